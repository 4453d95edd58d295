"""What issue 13 found ending in exit 0, "ignored" or "silently", and what it does now.

Each test builds the file a new user would have, reads it (``read_tables``) and, where
the issue's finding was about the command, runs ``eduint check``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from eduint import cli
from eduint.data.errors import DataFileError
from eduint.data.models import Figure
from eduint.data.provenance import read_cell
from eduint.data.spreadsheets import load_mapping, read_tables

from . import _real_sheets as sheets

REPO = Path(__file__).resolve().parents[1]
RESOURCE = "youzhi_junheng_2017_resource"


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli.main, list(args), prog_name="eduint")


def _book(path: Path, sheets_rows: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for name, rows in sheets_rows.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


_HEAD = ["学校标识码", "学校名称", "办学类型", "学段", "在校生数(人)", "专任教师数"]


# ------------------------------------------------------------------ nothing used


def test_header_only_csv_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "学校.csv"
    path.write_text(",".join(_HEAD) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        read_tables(path)
    assert info.value.code == "D003" and "no data rows" in str(info.value)
    result = _run("check", str(path), "--rules", RESOURCE)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "no data rows" in result.stderr


def test_no_row_used_exits_2(tmp_path: Path) -> None:
    """Every row rejected (here: no 学校代码 column, so no school can be built)."""
    path = _book(
        tmp_path / "x.xlsx",
        {
            "学校": [
                ["学校名称", "学段", "在校生数"],
                ["甲小学", "小学", 100],
                ["乙小学", "小学", 90],
            ]
        },
    )
    with pytest.raises(DataFileError) as info:
        read_tables(path)
    assert info.value.code == "D003" and "none of the 2 data rows was used" in str(info.value)
    result = _run("check", str(path), "--rules", RESOURCE)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_title_row_is_never_part_of_the_header(tmp_path: Path) -> None:
    """A title above a header whose first column is unknown (序号): the title is not
    glued onto it, and the rows are read."""
    path = _book(
        tmp_path / "t.xlsx",
        {
            "Sheet1": [
                ["某县2019年学校情况表"],
                ["序号", *_HEAD],
                [1, "S1", "甲小学", "小学", "小学", 300, 20],
            ]
        },
    )
    (r,) = read_tables(path)
    assert r.rows_used == 1
    unknown = [p for p in r.problems if p.code == "D010"]
    assert [p.path for p in unknown] == ["序号"]


# ------------------------------------------------------------------ headers, mapping


def test_mapping_keys_match_as_headers_do_and_unused_entries_are_problems(
    tmp_path: Path,
) -> None:
    (tmp_path / "m.yaml").write_text(
        "columns:\n"
        "  教学用房(平方米): 教学及辅助用房面积\n"  # the key written as the header appears
        "  操场面积: {header: 体育运动场馆面积, unit: 亩}\n"
        "  不存在的列: 在校生数\n",
        encoding="utf-8",
    )
    mapping = load_mapping(tmp_path / "m.yaml")
    path = _book(
        tmp_path / "m.xlsx",
        {
            "学校": [
                [*_HEAD, "教学用房（平方米）", "操场面积"],
                ["S1", "甲", "小学", "小学", 300, 20, 1500, 3],
            ]
        },
    )
    (r,) = read_tables(path, mapping=mapping)
    (school,) = r.county.schools or ()
    assert school.floor_area_teaching == Figure.exact(1500)
    assert school.sports_area == Figure.exact(2000)
    unused = [p for p in r.problems if p.code == "D013"]
    assert [(p.file, p.path) for p in unused] == [(str(tmp_path / "m.yaml"), "columns.不存在的列")]


def test_bad_mapping_shape_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text("columns: [a, b]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="columns: expected a mapping"):
        load_mapping(tmp_path / "m.yaml")


def test_unknown_unit_in_a_header_is_one_problem_for_the_column(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "u.xlsx",
        {
            "学校": [
                [*_HEAD, "教学仪器设备值(万)"],
                ["S1", "甲", "小学", "小学", 300, 20, 12],
                ["S2", "乙", "小学", "小学", 200, 15, 9],
            ]
        },
    )
    (r,) = read_tables(path)
    bad = [p for p in r.problems if p.path == "教学仪器设备值(万)"]
    assert len(bad) == 1 and "does not convert" in bad[0].message
    assert all(s.equipment_value is None for s in r.county.schools or ())


# ------------------------------------------------------------------ completeness


def test_undeclared_completeness_is_a_notice(tmp_path: Path) -> None:
    rows = [_HEAD, ["S1", "甲", "小学", "小学", 300, 20]]
    path = _book(tmp_path / "c.xlsx", {"学校": rows})
    (r,) = read_tables(path)
    (notice,) = [n for n in r.notices if n.code == "D040"]
    assert notice.file == str(path) and "--complete" in (notice.hint or "")
    assert not r.county.schools_complete
    (r,) = read_tables(path, complete=True)
    assert r.county.schools_complete and all(n.code != "D040" for n in r.notices)
    declared = _book(
        tmp_path / "d.xlsx",
        {"县区": [["县区名称", "学校名单完整"], ["某县", "是"]], "学校": rows},
    )
    (r,) = read_tables(declared)
    assert r.county.schools_complete and all(n.code != "D040" for n in r.notices)


# ------------------------------------------------------------------ per-segment figures


def _segment_rows(first: list[Any], second: list[Any]) -> list[list[Any]]:
    head = [*_HEAD, "教学及辅助用房面积(平方米)", "教学仪器设备值(万元)"]
    return [
        head,
        ["S1", "甲学校", "九年一贯制学校", "小学", 600, 40, *first],
        ["S1", "甲学校", "九年一贯制学校", "初中", 400, 30, *second],
        ["S2", "乙小学", "小学", "小学", 300, 20, 1300, 50],
    ]


def test_different_values_on_segment_rows_are_per_segment(tmp_path: Path) -> None:
    path = _book(tmp_path / "p.xlsx", {"学校": _segment_rows([3000, 100], [2500, 80])})
    (r,) = read_tables(path)
    school = (r.county.schools or ())[0]
    assert school.floor_area_teaching is None  # no whole-school figure: nothing to split
    assert [s.floor_area_teaching for s in school.segments or ()] == [
        Figure.exact(3000),
        Figure.exact(2500),
    ]
    assert not r.problems  # no "given again" problem per school
    assert r.county.name == "p"  # no county sheet: named after the file (a D042 notice)
    (notice,) = [n for n in r.notices if n.code == "D041"]
    assert "per segment" in notice.message and "S1" in notice.message


def test_figures_on_one_row_are_whole_school(tmp_path: Path) -> None:
    path = _book(tmp_path / "w.xlsx", {"学校": _segment_rows([5500, 180], [None, None])})
    (r,) = read_tables(path)
    school = (r.county.schools or ())[0]
    assert school.floor_area_teaching == Figure.exact(5500)
    assert all(s.floor_area_teaching is None for s in school.segments or ())


def test_a_sheet_consistent_with_both_readings_stops(tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", {"学校": _segment_rows([5500, 180], [5500, 180])})
    with pytest.raises(DataFileError) as info:
        read_tables(path)
    assert info.value.code == "D004" and "--figures" in str(info.value)
    result = _run("check", str(path), "--rules", RESOURCE)
    assert result.exit_code == 2 and "--figures whole-school" in result.stderr
    (r,) = read_tables(path, figures="whole-school")
    assert (r.county.schools or ())[0].floor_area_teaching == Figure.exact(5500)
    (r,) = read_tables(path, figures="per-segment")
    segs = (r.county.schools or ())[0].segments or ()
    assert [s.floor_area_teaching for s in segs] == [Figure.exact(5500)] * 2
    result = _run("check", str(path), "--rules", RESOURCE, "--figures", "per-segment")
    assert result.exit_code in (0, 1), result.output


def test_rows_disagreeing_on_a_school_field_name_both_rows(tmp_path: Path) -> None:
    rows = _segment_rows([3000, 100], [2500, 80])
    rows[2][2] = "完全中学"
    (r,) = read_tables(_book(tmp_path / "k.xlsx", {"学校": rows}))
    (p,) = [p for p in r.problems if p.code == "D011"]
    assert p.row == 3 and "row 2" in p.message and "row 3" in p.message
    assert "{" not in p.message and "Decimal" not in p.message


def test_whole_school_amount_given_twice_shows_no_python_dict(tmp_path: Path) -> None:
    rows = _segment_rows([5500, 180], [None, None])
    rows[2][7] = 175.5  # the whole-school reading, forced, and a second amount in 万元
    (r,) = read_tables(_book(tmp_path / "d.xlsx", {"学校": rows}), figures="whole-school")
    (p,) = [p for p in r.problems if p.code == "D011"]
    assert "1800000" in p.message and "1755000" in p.message
    assert "{" not in p.message and "Decimal" not in p.message


# ------------------------------------------------------------------ counties by file


def _county_book(path: Path, name: str | None, schools: list[tuple[str, int]]) -> Path:
    book: dict[str, list[list[Any]]] = {}
    if name is not None:
        book["县区"] = [["县区名称", "学校名单完整"], [name, "是"]]
    book["学校"] = [_HEAD] + [[sid, sid, "小学", "小学", n, 20] for sid, n in schools]
    return _book(path, book)


def test_a_folder_of_county_workbooks_gives_one_county_per_file(tmp_path: Path) -> None:
    folder = tmp_path / "全市"
    folder.mkdir()
    _county_book(folder / "甲县.xlsx", "甲县", [("A1", 300), ("A2", 200)])
    _county_book(folder / "乙县.xlsx", None, [("B1", 100)])
    (folder / "说明.txt").write_text("readme", encoding="utf-8")
    (folder / "汇总.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    results = read_tables(folder)  # files in sorted order: 乙县 (U+4E59) before 甲县
    assert [r.county.name for r in results] == ["乙县", "甲县"]
    assert [[s.id for s in r.county.schools or ()] for r in results] == [["B1"], ["A1", "A2"]]
    unclaimed = [p for p in results[0].problems if p.code == "D014"]
    assert sorted(Path(p.file).name for p in unclaimed) == ["汇总.csv", "说明.txt"]
    named = [n for n in results[0].notices if n.code == "D042"]
    assert named and "乙县" in named[0].message


def test_csv_files_per_county_by_prefix(tmp_path: Path) -> None:
    for county, sid in (("甲县", "A1"), ("乙县", "B1")):
        (tmp_path / f"{county}-学校.csv").write_text(
            ",".join(_HEAD) + f"\n{sid},{sid},小学,小学,300,20\n", encoding="utf-8"
        )
    results = read_tables(tmp_path)
    assert [r.county.name for r in results] == ["乙县", "甲县"]


def test_a_code_without_a_county_row_names_the_county(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "c.xlsx",
        {
            "县区": [["行政区划代码", "县区名称"], ["330102", "甲县"]],
            "学校": [
                ["行政区划代码", *_HEAD],
                ["330102", "A1", "甲", "小学", "小学", 300, 20],
                ["330199", "B1", "乙", "小学", "小学", 100, 9],
            ],
        },
    )
    results = read_tables(path)
    assert [(r.county.code, r.county.name) for r in results] == [
        ("330102", "甲县"),
        ("330199", "330199"),
    ]
    result = _run("check", str(path), "--rules", RESOURCE, "--as-of", "2019-09-01")
    assert result.exit_code in (0, 1), result.output
    assert "各县区汇总" in result.output


# ------------------------------------------------------------------ encodings, formulas


def test_big5_is_refused_naming_the_encodings_tried(tmp_path: Path) -> None:
    path = tmp_path / "學校.csv"
    path.write_bytes(
        ("學校標識碼,學校名稱,學段,在校生數（人）\nS1,臺北市立國民小學,小學,500\n").encode("big5")
    )
    with pytest.raises(DataFileError) as info:
        read_tables(path)
    message = str(info.value)
    assert str(path) in message and "utf-8" in message and "gb18030" in message
    result = _run("check", str(path), "--rules", RESOURCE)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_gb18030_chinese_is_plausible(tmp_path: Path) -> None:
    path = tmp_path / "学校.csv"
    path.write_bytes((",".join(_HEAD) + "\nS1,犇骉小学,小学,小学,300,20\n").encode("gb18030"))
    (r,) = read_tables(path)
    assert (r.county.schools or ())[0].name == "犇骉小学"


def test_formula_without_a_cached_value_is_a_problem(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "f.xlsx", {"学校": [_HEAD, ["S1", "甲", "小学", "小学", "=100+200", 20]]}
    )
    (r,) = read_tables(path)  # openpyxl writes the formula without its result
    (p,) = [p for p in r.problems if p.code == "D024"]
    assert (p.sheet, p.row, p.path) == ("学校", 2, "在校生数(人)") and "E2" in p.message
    assert (r.county.schools or ())[0].segments[0].students is None  # type: ignore[index]


# ------------------------------------------------------------------ provenance


def test_every_figure_is_traced_to_its_cell(tmp_path: Path) -> None:
    data = sheets.counties(n_counties=1)
    path = sheets.write_xlsx(data, tmp_path / "s.xlsx", "plain")
    (r,) = read_tables(path, complete=True)
    assert r.provenance is not None
    school = data[0]["schools"][3]  # a one-through school
    ref = r.provenance.cell(("segment", school["id"], "初中"), "equipment_value")
    assert ref is not None and ref.source.file == str(path) and ref.source.sheet == "学校基本情况"
    assert ref.name == f"Q{ref.row}"
    expected = school["segments"]["初中"]["equipment_value"] / 10000
    assert float(read_cell(ref)) == expected  # the raw cell, in 万元, re-read from the file
    assert r.provenance.text(("school", school["id"]), "name") == school["name"]
    assert r.provenance.cell(("school", "nope"), "name") is None
    band = r.provenance.cell(("band", school["id"], "小学", 66), "count")
    assert band is not None and read_cell(band) == str(school["segments"]["小学"]["bands"][-1])
    # one record per figure read (16 bytes each), a band under its own key again
    assert len(r.provenance) == sum(1 for _ in r.provenance)
    assert (("band", school["id"], "小学", 66), "count", band) in list(r.provenance)


def test_csv_cells_are_traced_too(tmp_path: Path) -> None:
    data = sheets.counties(n_counties=1)
    path = sheets.write_csv(data, tmp_path / "s.csv", "plain", "gbk")
    (r,) = read_tables(path, complete=True)
    assert r.provenance is not None
    sid = data[0]["schools"][0]["id"]
    ref = r.provenance.cell(("segment", sid, "小学"), "students")
    assert ref is not None and ref.row == 3 and ref.source.encoding == "gb18030"
    assert read_cell(ref) == str(data[0]["schools"][0]["segments"]["小学"]["students"])


# ------------------------------------------------------------------ examples, other rules


def test_examples_lists_every_form_and_each_runs() -> None:
    result = _run("examples")
    assert result.exit_code == 0
    for name in (
        "synthetic-county-2019",
        "synthetic-county-2019.xlsx",
        "synthetic-county-2019-csv",
    ):
        assert name in result.stdout
    for name in ("synthetic-county-2019.xlsx", "synthetic-county-2019-csv"):
        out = _run("check", "--example", name, "--format", "json")
        assert out.exit_code in (0, 1), out.output
        assert json.loads(out.stdout)["provenance"]["data_file"] == name
    out = _run("check", "--example", "synthetic-county-2019", "--format", "json")
    assert json.loads(out.stdout)["provenance"]["data_file"] == "synthetic-county-2019.yaml"


def test_fields_of_another_rule_set_are_notes() -> None:
    import eduint

    result = eduint.run(
        "youzhi_junheng_2017", REPO / "examples" / "synthetic-county-2019.yaml", name="x.yaml"
    )
    (one,) = result.counties
    loaded = one.load
    assert loaded is not None
    assert all(p.code != "D010" for p in loaded.problems)
    notes = [n for n in loaded.notices if n.code == "D012"]
    assert {n.field for n in notes} == {"一般班额", "最小班额"}
    assert all("chengxiang_yitihua_2018" in n.message for n in notes)


def test_complete_option_for_yaml(tmp_path: Path) -> None:
    import datetime

    import eduint

    path = tmp_path / "c.yaml"
    path.write_text(
        "name: 某县\nschools:\n  - id: S1\n    segments: {小学: {students: 100}}\n",
        encoding="utf-8",
    )
    day = datetime.date(2019, 9, 1)
    (plain,) = eduint.run("chengxiang-yitihua-2018", path, as_of=day).counties
    assert plain.load is not None
    assert [n.code for n in plain.load.notices] == ["D040"]
    assert not plain.load.county.schools_complete
    (declared,) = eduint.run("chengxiang-yitihua-2018", path, as_of=day, complete=True).counties
    assert declared.load is not None
    assert declared.load.county.schools_complete and declared.load.notices == ()
