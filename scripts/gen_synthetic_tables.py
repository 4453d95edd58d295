"""Generate the spreadsheet forms of the synthetic county from its YAML.

Writes ``examples/synthetic-county-2019.xlsx`` (an awkward "export": title rows, a
two-row merged header, a 合计 row, a blank row, numbers stored as text, amounts in 万元,
shares as percentage cells; wide layout) and ``examples/synthetic-county-2019-csv/``
(one GBK CSV file per sheet, long layout, the same awkward features as text).  Both read
back (:func:`eduint.data.spreadsheets.read_tables`) to the county of the YAML file.

Run ``python scripts/gen_synthetic_tables.py`` after editing the YAML;
``--check`` exits 1 when the committed files are not what the YAML generates
(``tests/test_spreadsheets.py`` runs the same comparison).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import eduint
from eduint.data.spreadsheets import read_tables, write_tables

REPO = Path(__file__).resolve().parents[1]
YAML = REPO / "examples" / "synthetic-county-2019.yaml"
XLSX = REPO / "examples" / "synthetic-county-2019.xlsx"
CSV_DIR = REPO / "examples" / "synthetic-county-2019-csv"


def generate(xlsx: Path, csv_dir: Path) -> None:
    """Write the workbook and the CSV folder from the YAML file."""
    first = eduint.load_county(YAML)
    ruleset = eduint.load_ruleset(first.rules) if first.rules else None
    extra = ruleset.extra_field_kinds() if ruleset is not None else None
    loaded = eduint.load_county(YAML, extra_fields=extra)  # the rule set's extra fields kept
    assert not loaded.problems, loaded.problems
    write_tables(loaded.county, xlsx, layout="wide", rules=loaded.rules, export=True)
    write_tables(
        loaded.county, csv_dir, layout="long", rules=loaded.rules, export=True, encoding="gbk"
    )


def tables_of(xlsx: Path, csv_dir: Path) -> list[eduint.County]:
    """The counties the generated files read back to."""
    return [read_tables(p)[0].county for p in (xlsx, csv_dir)]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        with tempfile.TemporaryDirectory() as tmp:
            fresh_x, fresh_c = Path(tmp) / "x.xlsx", Path(tmp) / "csv"
            generate(fresh_x, fresh_c)
            same = tables_of(fresh_x, fresh_c) == tables_of(XLSX, CSV_DIR) and sorted(
                p.name for p in fresh_c.iterdir()
            ) == sorted(p.name for p in CSV_DIR.iterdir())
            same = same and all(
                (fresh_c / p.name).read_bytes() == p.read_bytes() for p in CSV_DIR.iterdir()
            )
        print("up to date" if same else "stale: run python scripts/gen_synthetic_tables.py")
        return 0 if same else 1
    generate(XLSX, CSV_DIR)
    print(f"wrote {XLSX.relative_to(REPO)} and {CSV_DIR.relative_to(REPO)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
