"""Write the JSON Schema of the report document to docs/schema/eduint-report-v2.schema.json.

The schema is built by :func:`eduint.reporting.report_json_schema`, the same code that
defines what :func:`eduint.reporting.to_json` writes; ``tests/test_reporting.py`` checks
that the file in the tree is up to date and that reports validate against it.

Usage::

    python scripts/gen_report_schema.py            # rewrite the file
    python scripts/gen_report_schema.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eduint.reporting import report_json_schema

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "docs" / "schema" / "eduint-report-v2.schema.json"


def render() -> str:
    """Return the schema file's text: indented JSON, UTF-8 (Chinese kept), final newline."""
    return json.dumps(report_json_schema(), ensure_ascii=False, indent=2) + "\n"


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
            print(
                f"{where} is out of date; run: python scripts/gen_report_schema.py", file=sys.stderr
            )
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
