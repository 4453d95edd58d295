"""A county bureau's own messy statistics export (issue 13, after the merge): defects
found by building such files by hand and reading them as an inspector would.

Each test builds its file in ``tmp_path`` with openpyxl or the csv module, shaped the
way 教育事业统计 exports are: a title row and a note row above the header, a two-row
header with groups (学生, 专任教师, 办学条件, 班额) over the field names, 县区代码 and
学校标识码 columns, a 小计 row per county and a 合计 row at the bottom.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from eduint.data.spreadsheets import read_tables

TITLE = "2019年度某市义务教育学校办学条件统计表"
NOTE = "填报单位：某市教育局（盖章）    统计时点：2019年9月1日"
# (header, group of the two-row header or None for a column merged over both rows)
COLUMNS: list[tuple[str, str | None]] = [
    ("县区代码", None),
    ("县区名称", None),
    ("学校标识码", None),
    ("学校名称", None),
    ("办学类型", None),
    ("学段", None),
    ("在校生数(人)", "学生"),
    ("专任教师数（人）", "专任教师"),
    ("县级以上骨干教师数(人)", "专任教师"),
    ("教学及辅助用房面积（平方米）", "办学条件"),
    ("教学仪器设备值（万元）", "办学条件"),
    ("25人及以下", "班额（班数）"),
    ("66人及以上", "班额（班数）"),
]
ROWS: list[list[Any]] = [
    [
        "330102",
        "甲县",
        "0133010201",
        "甲县实验小学",
        "小学",
        "小学",
        1680,
        99,
        18,
        8632,
        509.91,
        0,
        0,
    ],
    [
        "330102",
        "甲县",
        "0233010203",
        "甲县城关中学",
        "初级中学",
        "初中",
        "1,450",
        112,
        17,
        7844,
        476.02,
        0,
        0,
    ],
    ["甲县小计", None, None, None, None, None, 3130, 211, 35, 16476, 985.93, 0, 0],
    [None] * len(COLUMNS),
    [
        "330103",
        "乙县",
        "0133010301",
        "乙县第一小学",
        "小学",
        "小学",
        1320,
        78,
        14,
        8888,
        231.32,
        0,
        0,
    ],
    [
        "330103",
        "乙县",
        "0233010303",
        "乙县实验中学",
        "初级中学",
        "初中",
        1100,
        85,
        20,
        6232,
        367.35,
        0,
        0,
    ],
    [None] * len(COLUMNS),
    ["合计", None, None, None, None, None, 5550, 374, 69, 31596, 1584.6, 0, 0],
]


def _header_rows() -> tuple[list[str], list[str]]:
    """The two header rows as a CSV export writes merged cells: a group's text in its
    first column only, a column merged over both rows in the top row only."""
    top: list[str] = []
    sub: list[str] = []
    previous = None
    for header, group in COLUMNS:
        if group is None:
            top.append(header)
            sub.append("")
        else:
            top.append(group if group != previous else "")
            sub.append(header)
        previous = group
    return top, sub


def _xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([TITLE])
    ws.append([NOTE])
    ws.append(list(_header_rows()[0]))
    ws.append(list(_header_rows()[1]))
    width = len(COLUMNS)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for c, (_header, group) in enumerate(COLUMNS, 1):
        if group is None:
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    for row in ROWS:
        ws.append(row)
    wb.save(path)
    return path


def _csv(path: Path, encoding: str) -> Path:
    width = len(COLUMNS)
    top, sub = _header_rows()
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow([TITLE] + [""] * (width - 1))
        w.writerow([NOTE] + [""] * (width - 1))
        w.writerow(top)
        w.writerow(sub)
        for row in ROWS:
            w.writerow(["" if v is None else v for v in row])
    return path


@pytest.fixture(params=["xlsx", "gbk-csv"])
def export(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "xlsx":
        return _xlsx(tmp_path / "某市统计导出.xlsx")
    return _csv(tmp_path / "某市统计导出.csv", "gbk")


def test_total_rows_in_the_code_column_are_no_counties(export: Path) -> None:
    """甲县小计 and 合计 written in the 县区代码 column were each read as a county of
    their own (a report 合计 with every figure 缺少数据); they are the sheet's total rows:
    read, rejected with a D030 naming the row and column, counted once."""
    results = read_tables(export, complete=True)
    assert [r.county.code for r in results] == ["330102", "330103"]
    assert [r.county.name for r in results] == ["甲县", "乙县"]
    totals = [p for r in results for p in r.problems if p.code == "D030"]
    first_data_row = 5
    assert sorted((p.row, p.value) for p in totals) == [
        (first_data_row + 2, "甲县小计"),
        (first_data_row + 7, "合计"),
    ]
    assert all(p.path == "县区代码" for p in totals)
    read = sum(r.rows_read or 0 for r in results)
    used = sum(r.rows_used or 0 for r in results)
    rejected = sum(r.rows_rejected or 0 for r in results)
    assert (read, used, rejected) == (6, 4, 2)
    assert all(not (r.rows_used == 0 and r.rows_read) for r in results)


def test_group_row_over_the_field_names_is_not_a_prefix(export: Path) -> None:
    """A CSV export keeps a merged group's text (学生, 专任教师, 办学条件, 班额（班数）) in
    its group's first column only; that column was read as ``学生在校生数(人)``, an
    unknown column, so every school's 在校生数 was missing (and the run exited 0 with
    every indicator 缺少数据).  The field name under a group that is no segment is the
    column's header."""
    results = read_tables(export, complete=True)
    assert not [p for r in results for p in r.problems if p.code == "D010"]
    school = results[0].county.schools[0]
    assert school.id == "0133010201"
    seg = school.segments[0]
    assert seg.students is not None and seg.students.value == 1680
    assert seg.full_time_teachers is not None and seg.full_time_teachers.value == 99
    second = results[0].county.schools[1]
    assert second.segments[0].students is not None
    assert second.segments[0].students.value == 1450
    area = second.floor_area_teaching  # no one-through school: whole-school figures
    assert area is not None and area.value == 7844
    bands = {(b.low, b.high): b.count for b in seg.size_bands or ()}
    assert bands[(0, 25)] is not None and bands[(0, 25)].value == 0


def test_county_named_notice_names_the_file_as_it_is(export: Path) -> None:
    """The D042 notice (the county named after the 县区名称 column) named the file by its
    stem (``某市统计导出``), a file the user cannot find; it names the file read."""
    results = read_tables(export, complete=True)
    named = [n for r in results for n in r.notices if n.code == "D042"]
    assert [n.value for n in named] == ["甲县", "乙县"]
    assert {n.file for n in named} == {str(export)}


_LONG = [
    "学校标识码",
    "学校名称",
    "办学类型",
    "学段",
    "在校生数(人)",
    "教学及辅助用房面积（平方米）",
]


def _long_sheet(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学校"
    ws.append(_LONG)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_school_id_typed_as_a_number_is_the_same_school(tmp_path: Path) -> None:
    """学校标识码 0333010204 as text on the 小学 row and as the number 333010204 (its
    leading zero lost) on the 初中 row made two one-segment schools, silently: the
    rows are one school, and the differing ids a problem naming both rows."""
    path = _long_sheet(
        tmp_path / "标识码.xlsx",
        [
            ["0333010204", "红旗镇学校", "九年一贯制学校", "小学", 760, 3745],
            [333010204, "红旗镇学校", "九年一贯制学校", "初中", 520, 2012],
        ],
    )
    (r,) = read_tables(path, complete=True)
    schools = r.county.schools or ()
    assert [(s.id, [g.segment.value for g in s.segments]) for s in schools] == [
        ("0333010204", ["小学", "初中"])
    ]
    (clash,) = [p for p in r.problems if p.code == "D011"]
    assert (clash.row, clash.path, clash.value) == (3, "学校标识码", 333010204)
    assert "row 2" in clash.message
    ref = r.provenance.cell(("segment", "0333010204", "初中"), "students")
    assert ref is not None and ref.row == 3


def test_a_copied_segment_row_is_a_problem(tmp_path: Path) -> None:
    """A school segment's row copied twice was read twice with no word (the counts said
    every row used); the copy is a problem naming both rows."""
    path = _long_sheet(
        tmp_path / "重复.xlsx",
        [
            ["0133010201", "实验小学", "小学", "小学", 1680, 8632],
            ["0133010201", "实验小学", "小学", "小学", 1680, 8632],
        ],
    )
    (r,) = read_tables(path, complete=True)
    (again,) = [p for p in r.problems if p.code == "D011"]
    assert (again.row, again.path, again.field) == (3, "学段", "segment")
    assert "row 2" in again.message


def test_one_number_written_two_ways_is_not_given_again(tmp_path: Path) -> None:
    """A whole-school figure repeated on a one-through school's rows, once as the number
    3745 and once as the text "3,745", was 'given again with a different value'."""
    path = _long_sheet(
        tmp_path / "千分位.xlsx",
        [
            ["0333010204", "红旗镇学校", "九年一贯制学校", "小学", 760, 3745],
            ["0333010204", "红旗镇学校", "九年一贯制学校", "初中", 520, "3,745"],
        ],
    )
    (r,) = read_tables(path, complete=True, figures="whole-school")
    assert not [p for p in r.problems if p.code == "D011"]
    (school,) = r.county.schools or ()
    assert school.floor_area_teaching is not None
    assert school.floor_area_teaching.value == 3745
