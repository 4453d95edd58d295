"""Helpers of the HTML report tests (tests/test_html_charts.py, tests/test_html_chromium.py)."""

from __future__ import annotations

from pathlib import Path

#: The options the synthetic national data is checked with (docs/synthetic.md).
RESOURCE = (
    "--rules",
    "youzhi-junheng-2017-resource",
    "--complete",
    "--set",
    "subtract_indoor_sports=false",
    "--as-of",
    "2021-06-30",
)


def largest_county(national: Path) -> tuple[str, int]:
    """The code of the county of a synthetic national Parquet file with the most
    schools, and how many."""
    import pyarrow.parquet as pq

    t = pq.read_table(national, columns=["行政区划代码", "学校代码"])
    schools: dict[str, set[str]] = {}
    for code, school in zip(t.column(0).to_pylist(), t.column(1).to_pylist(), strict=True):
        schools.setdefault(code, set()).add(school)
    code = max(schools, key=lambda c: len(schools[c]))
    return code, len(schools[code])
