"""A ``班额`` list column (``45;46;50``) on a school sheet: the spreadsheet reader reads
it as the national reader does (one function, :func:`eduint.data.scalars.read_class_sizes`),
so ``eduint check FILE`` and ``eduint check FILE --summary`` give the same class-size
verdicts (issue 19, a fresh user's report: the record path said 班额 was an unknown
column, D010, and the class-size items were 缺少数据).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from eduint.cli import main
from eduint.data.errors import DataValueError
from eduint.data.scalars import read_class_sizes
from eduint.data.spreadsheets import read_tables


@pytest.mark.parametrize(
    ("cell", "sizes"),
    [
        ("45;46;50", (45, 46, 50)),
        (" 45， 46、50 ; ", (45, 46, 50)),
        ("45 46\t50", (45, 46, 50)),
        ("56", (56,)),
        (56, (56,)),
        (56.0, (56,)),
        ([40, 41], (40, 41)),
        ([], ()),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_a_class_list_cell_reads_as_sizes(cell: object, sizes: tuple[int, ...] | None) -> None:
    assert read_class_sizes(cell) == sizes


@pytest.mark.parametrize("cell", ["45;四十六", "45;46.5", "45;-3", "45;10001", [45, True], "约45"])
def test_a_bad_class_list_cell_is_an_error(cell: object) -> None:
    with pytest.raises(DataValueError) as got:
        read_class_sizes(cell)
    assert got.value.code == "D020"
    assert "not a list of class sizes" in got.value.message


_SHEET = (
    "县区名称,学校代码,学校名称,学校类型,学段,在校生数,班额\n"
    "甲县,1,一小,小学,小学,150,45;50;55\n"
    "甲县,2,二小,小学,小学,100,\n"
    "甲县,3,三小,小学,小学,90,45;x\n"
)


def test_the_spreadsheet_reader_reads_a_class_list_column(tmp_path: Path) -> None:
    path = tmp_path / "甲县-学校.csv"
    path.write_text(_SHEET, encoding="utf-8")
    (got,) = read_tables(path)
    segs = {s.id: s.segments[0] for s in got.county.schools}
    assert [c.size.low for c in segs["1"].classes or ()] == [45, 50, 55]
    assert segs["1"].classes_complete is True
    # an empty cell: no class list given (missing, not an empty list)
    assert segs["2"].classes is None and segs["2"].classes_complete is False
    # a bad item: a problem naming the file, row, column and text; the list is missing
    assert segs["3"].classes is None and segs["3"].classes_complete is False
    (bad,) = [p for p in got.problems if p.path == "班额"]
    assert (bad.row, bad.value, bad.code) == (4, "45;x", "D020")
    assert bad.file.endswith("甲县-学校.csv")
    assert not [p for p in got.problems if p.code == "D010"]  # 班额 is no unknown column


_RULES = ["--rules", "youzhi-junheng-2017", "--as-of", "2024-01-01"]


def _record_headlines(folder: Path) -> dict[str, dict[str, str]]:
    """Each county's item headlines, one report per county (the record engine)."""
    got = CliRunner().invoke(main, ["check", str(folder), *_RULES, "--format", "json"])
    assert got.exit_code in (0, 1), got.output
    dec = json.JSONDecoder()
    docs = [dec.raw_decode(p.strip())[0]
            for p in re.split(r"^====.*====$", got.stdout, flags=re.M) if p.strip()]
    return {d["county_code"]: {i["id"]: i["headline"] for i in d["items"]} for d in docs}


def _summary_headlines(folder: Path, tmp_path: Path) -> dict[str, dict[str, str]]:
    """Each county's item verdicts from ``--summary`` (the columnar engine)."""
    import csv

    target = tmp_path / "result.csv"
    got = CliRunner().invoke(main, ["check", str(folder), *_RULES, "--summary", "--format",
                                    "csv", "--output", str(target)])
    assert got.exit_code in (0, 1), got.output
    with open(tmp_path / "result.county.csv", encoding="utf-8-sig", newline="") as fh:
        return {r["行政区划代码"]: r for r in csv.DictReader(fh)}


@pytest.mark.slow
def test_a_synthetic_folder_gives_the_same_class_verdicts_both_ways(tmp_path: Path) -> None:
    """``eduint synth --output d/`` then ``eduint check d`` (one report per county) and
    ``eduint check d --summary``: the same verdict for every county-level item, the
    class-size item (五) included (it was 缺少数据 one way, 未达到 the other)."""
    pytest.importorskip("numpy")
    from eduint.testing.synth import write_synth

    full = tmp_path / "full"
    write_synth(full, 0.01, 1, "folder")
    folder = tmp_path / "some"
    folder.mkdir()
    for p in sorted(full.glob("*.csv"))[:2]:  # two counties: fast enough
        shutil.copy(p, folder / p.name)
    record = _record_headlines(folder)
    summary = _summary_headlines(folder, tmp_path)
    assert sorted(record) == sorted(summary) and len(record) == 2
    compared = 0
    for code, items in record.items():
        assert items["(五)"] not in ("缺少数据", None), code
        for item, headline in items.items():
            if item in summary[code]:
                assert headline == summary[code][item], (code, item)
                compared += 1
    assert compared >= 2 * 40
