"""Write the JSON Schema of the data input format to docs/schema/eduint-data-v1.schema.json.

The schema is generated from the data models by :func:`eduint.data.loading.input_json_schema`;
``tests/test_loading.py`` checks that the file in the tree is up to date.

Usage::

    python scripts/gen_schema.py            # rewrite the file
    python scripts/gen_schema.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eduint.data.loading import input_json_schema

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "docs" / "schema" / "eduint-data-v1.schema.json"


def render() -> str:
    """Return the schema file's text: indented JSON, UTF-8 (Chinese kept), final newline."""
    return json.dumps(input_json_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check``, compare) the schema file.

    Args:
        argv: command-line arguments (``None``: ``sys.argv[1:]``).

    Returns:
        The exit status: 0, or 1 when ``--check`` finds the file out of date.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the file is out of date"
    )
    args = parser.parse_args(argv)
    text = render()
    where = TARGET.relative_to(REPO)
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{where} is out of date; run: python scripts/gen_schema.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
