"""Write the JSON Schema of the data input format to docs/schema/eduint-data-v1.schema.json.

The schema is generated from the data models by :func:`eduint.data.loading.input_json_schema`,
with the extra fields that the bundled rule sets declare (``一般班额``, ``教师培训经费`` …):
a data file for a bundled rule set may give them, so the published schema knows them
(a rule file of one's own gets its schema from ``input_json_schema(extra_fields=…)``).
``tests/test_loading.py`` checks that the file in the tree is up to date, and
``tests/test_schemas.py`` that it validates every bundled data file.

Usage::

    python scripts/gen_schema.py            # rewrite the file
    python scripts/gen_schema.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eduint._resources import bundled_rule_files
from eduint.checking import cached
from eduint.data.loading import input_json_schema

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "docs" / "schema" / "eduint-data-v1.schema.json"


def bundled_extra_fields() -> dict[str, dict[str, str]]:
    """The extra fields every bundled rule set declares, merged by scope.

    Raises:
        ValueError: two bundled rule sets declare one name with different kinds.
    """
    merged: dict[str, dict[str, str]] = {}
    for path in bundled_rule_files():
        ruleset = cached.check_rule_text(path.read_text(encoding="utf-8"), file=str(path), path=path)
        for scope, fields in ruleset.extra_field_kinds().items():
            for name, kind in fields.items():
                known = merged.setdefault(scope, {}).setdefault(name, kind)
                if known != kind:
                    raise ValueError(f"{scope} field {name}: declared as {known} and {kind}")
    return {scope: dict(sorted(fields.items())) for scope, fields in sorted(merged.items())}


def render() -> str:
    """Return the schema file's text: indented JSON, UTF-8 (Chinese kept), final newline."""
    schema = input_json_schema(extra_fields=bundled_extra_fields())
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


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
