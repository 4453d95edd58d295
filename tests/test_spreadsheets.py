"""Spreadsheet input (eduint.data.spreadsheets): the synthetic county as XLSX and GBK CSV, the
awkward features of real exports, bad cells, many counties, the template.

The awkward features, each exercised below (AWKWARD lists them; every one is produced by
``write_tables(..., export=True)`` or written by hand in a test):

* title rows above the header; a two-row merged header (小学/初中 over their columns);
* a 合计 row (recognised, reported, not read); a blank separator row;
* numbers stored as text (``"1,463"``); a share as a percentage cell (0.9 → 90 %) or
  ``96.5%`` text; amounts in 万元 (converted to 元); areas in 亩;
* GBK / UTF-8-with-BOM CSV; a file in neither encoding is an error naming the file;
* long and wide layouts; size-band columns; many counties in one workbook.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eduint
from eduint import cli, reporting
from eduint.data.errors import DataFileError
from eduint.data.models import LABEL, Figure
from eduint.data.spreadsheets import load_mapping, read_tables, write_tables, write_template

REPO = Path(__file__).resolve().parents[1]
YAML = REPO / "examples" / "synthetic-county-2019.yaml"
XLSX = REPO / "examples" / "synthetic-county-2019.xlsx"
CSV_DIR = REPO / "examples" / "synthetic-county-2019-csv"
RULES = REPO / "rules" / "chengxiang-yitihua-2018.rules"

AWKWARD = (
    "title rows",
    "two-row merged header",
    "total row",
    "blank row",
    "numbers as text",
    "percentage cell",
    "万元 column",
)


def _extra() -> dict[str, dict[str, str]]:
    rs = eduint.check_text(RULES.read_text(encoding="utf-8"), file=str(RULES))
    return rs.extra_field_kinds()


@pytest.fixture(scope="module")
def yaml_county() -> eduint.County:
    loaded = eduint.load_county(YAML, extra_fields=_extra())
    assert not loaded.problems
    return loaded.county


def _run(*args: str) -> Any:
    # a wide terminal: a problem's sheet, row and header stay on one line
    return CliRunner().invoke(cli.main, list(args), prog_name="eduint", env={"COLUMNS": "400"})


# ----------------------------------------------------------------- the shipped example


def test_generated_files_are_current() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gen_synthetic_tables", REPO / "scripts" / "gen_synthetic_tables.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0


@pytest.mark.parametrize("path", [XLSX, CSV_DIR], ids=["xlsx", "csv"])
def test_example_reads_to_the_yaml_county(path: Path, yaml_county: eduint.County) -> None:
    results = read_tables(path, extra_fields=_extra())
    assert len(results) == 1
    r = results[0]
    assert r.county == yaml_county
    # the only problem: the total row, recognised and reported
    assert [p.code for p in r.problems] == ["D030"]
    assert "合计" in r.problems[0].message
    assert r.rows_rejected == 1
    assert r.rows_read == (r.rows_used or 0) + 1
    assert r.rules == "chengxiang_yitihua_2018"


def test_example_workbook_has_the_awkward_features() -> None:
    wb = openpyxl.load_workbook(XLSX)
    ws = wb["学校"]
    assert "情况表" in str(ws.cell(1, 1).value)  # title rows
    assert any(r.min_row == 3 and r.max_col > r.min_col for r in ws.merged_cells.ranges)
    assert {"小学", "初中"} <= {c.value for c in ws[3]}  # grouped header
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert any("合计" in [v for v in row if isinstance(v, str)] for row in values)
    assert any(all(v is None for v in row) for row in values[4:])  # blank row
    assert any(isinstance(v, str) and "," in v for row in values[4:] for v in row)
    assert any(isinstance(h, str) and "万元" in h for h in values[2])  # merged down
    county = wb["县区"]
    assert any(
        c.number_format.endswith("%") and isinstance(c.value, float)
        for row in county.iter_rows()
        for c in row
    )
    assert len(AWKWARD) == 7


@pytest.mark.parametrize("rules", ["chengxiang_yitihua_2018", "youzhi_junheng_2017_resource"])
def test_check_gives_the_same_result(rules: str) -> None:
    docs = []
    for data in (YAML, XLSX, CSV_DIR):
        result = _run("check", str(data), "--rules", rules, "--format", "json")
        assert result.exit_code in (0, 1), result.output
        docs.append(json.loads(result.stdout if hasattr(result, "stdout") else result.output))

    def key(doc: dict[str, Any]) -> list[Any]:
        return [
            (i["id"], i["headline"], i["computed"], i["evidence"], i["shown"]) for i in doc["items"]
        ]

    assert key(docs[0]) == key(docs[1]) == key(docs[2])
    assert docs[0]["overall"] == docs[1]["overall"] == docs[2]["overall"]


def test_text_report_states_the_rows() -> None:
    result = _run("check", str(XLSX))
    assert result.exit_code == 1
    assert "读取" in result.output and "拒绝 1 行" in result.output
    assert "Traceback" not in result.output


# ----------------------------------------------------------------- round trips


@pytest.mark.parametrize("layout", ["long", "wide"])
@pytest.mark.parametrize("export", [False, True])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030"])
def test_round_trip_csv(
    tmp_path: Path, yaml_county: eduint.County, layout: Any, export: bool, encoding: str
) -> None:
    write_tables(yaml_county, tmp_path / "c", layout=layout, export=export, encoding=encoding)
    assert read_tables(tmp_path / "c", extra_fields=_extra())[0].county == yaml_county


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_round_trip_xlsx(tmp_path: Path, yaml_county: eduint.County, layout: Any) -> None:
    write_tables(yaml_county, tmp_path / "c.xlsx", layout=layout)
    assert read_tables(tmp_path / "c.xlsx", extra_fields=_extra())[0].county == yaml_county


def test_undecodable_csv_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "学校.csv"
    bad.write_bytes(b"\xff\xfe\x00\x81\x30\xff\xff")
    with pytest.raises(DataFileError) as info:
        read_tables(bad)
    assert str(bad) in str(info.value)
    result = _run("check", str(bad), "--rules", "chengxiang_yitihua_2018")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_many_counties(tmp_path: Path, yaml_county: eduint.County) -> None:
    import attrs

    a = attrs.evolve(yaml_county, code="990001")
    b = attrs.evolve(yaml_county, code="990002", name="另一县（合成）")
    write_tables([a, b], tmp_path / "two.xlsx", rules="chengxiang_yitihua_2018")
    results = read_tables(tmp_path / "two.xlsx", extra_fields=_extra())
    assert [r.county for r in results] == [a, b]
    out = tmp_path / "rep.json"
    result = _run("check", str(tmp_path / "two.xlsx"), "--format", "json", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert (tmp_path / "rep-990001.json").exists() and (tmp_path / "rep-990002.json").exists()
    assert "各县区汇总" in result.output


# ----------------------------------------------------------------- hand-written exports


def _sheet(wb: Any, name: str, rows: list[list[Any]]) -> Any:
    ws = wb.create_sheet(name)
    for row in rows:
        ws.append(row)
    return ws


def test_bad_cells_one_line_each(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        "县区",
        [["县区名称", "数据日期", "学段", "在校生数（人）"], ["某县", "2019-09-01", None, 100]],
    )
    _sheet(
        wb,
        "学校",
        [
            ["某县学校情况"],
            ["学校代码", "学校名称", "学校类型", "学段", "在校生数（人）", "专任教师数"],
            ["A1", "甲小学", "小学", "小学", "12.5", 5],
            ["A2", "乙小学", "大学", "小学", 60, "五"],
            [None, None, None, None, None, None],
            [None, "合计", None, None, 72.5, 5],
        ],
    )
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    (r,) = read_tables(path)
    assert r.rows_read == 4 and r.rows_rejected == 1 and r.rows_used == 3
    bad = {(p.sheet, p.row, p.path, str(p.value)) for p in r.problems if p.code != "D030"}
    assert bad == {
        ("学校", 3, "在校生数（人）", "12.5"),
        ("学校", 4, "学校类型", "大学"),
        ("学校", 4, "专任教师数", "五"),
    }
    schools = r.county.schools or ()
    assert [s.id for s in schools] == ["A1", "A2"] and schools[1].kind is None
    result = _run("check", str(path), "--rules", "chengxiang_yitihua_2018")
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    for sheet, row, header, _value in bad:
        assert any(
            sheet in line and f"{row}" in line and header in line
            for line in result.output.splitlines()
        )


def test_units_percent_mapping_and_bands(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text(
        "columns:\n  学校标识码: 学校代码\n  操场面积: {header: 体育运动场馆面积, unit: 亩}\n",
        encoding="utf-8",
    )
    mapping = load_mapping(tmp_path / "map.yaml")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    ws = _sheet(wb, "县区", [["县区名称", "校舍竣工率", "设备采购完成率"], ["某县", 0.95, "96.5%"]])
    ws.cell(2, 2).number_format = "0%"
    _sheet(
        wb,
        "学校",
        [
            [
                "学校标识码",
                "学校名称",
                "教学仪器设备值（万元）",
                "操场面积",
                "小学在校生数",
                "小学46-50人班数",
                "小学66人以上班数",
            ],
            ["A1", "甲", "约12.5", 15, "1,463", 3, 1],
        ],
    )
    path = tmp_path / "u.xlsx"
    wb.save(path)
    (r,) = read_tables(path, mapping=mapping)
    assert not r.problems
    assert r.county.building_completion_rate == Figure.exact(95)
    assert r.county.equipment_purchase_rate == Figure.exact("96.5")
    (school,) = r.county.schools or ()
    assert school.equipment_value == Figure(
        Figure.exact(125000).low, Figure.exact(125000).low, True
    )
    assert school.sports_area == Figure.exact(10000)
    seg = school.segments[0] if school.segments else None
    assert seg is not None and seg.students == Figure.exact(1463)
    assert [(b.low, b.high, b.count) for b in seg.size_bands or ()] == [
        (46, 50, Figure.exact(3)),
        (66, None, Figure.exact(1)),
    ]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000))
def test_shuffled_aliased_blank_total(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    aliases = {
        "学校代码": ["学校代码", "id", "学校代码 "],
        "学校名称": ["学校名称", "name"],
        "学段": ["学段", "segment"],
        "在校生数": ["在校生数（人）", "students", "在校生数"],
    }
    cols = list(aliases)
    rng.shuffle(cols)
    header = [rng.choice(aliases[c]) for c in cols]
    data = [
        {"学校代码": f"S{i}", "学校名称": f"校{i}", "学段": "小学", "在校生数": 100 + i}
        for i in range(4)
    ]
    rows: list[list[Any]] = [[d[c] for c in cols] for d in data]
    for _ in range(rng.randint(0, 2)):
        rows.insert(rng.randint(0, len(rows)), [None] * len(cols))
    if rng.random() < 0.7:
        rows.append(["合计" if c == "学校名称" else None for c in cols])
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _sheet(wb, "县区", [["县区名称", "数据日期"], ["某县", "2019-09-01"]])
    titles = [["某县学校表"]] * rng.randint(0, 2)
    _sheet(wb, "学校", [*titles, header, *rows])
    path = tmp_path / f"h{seed}.xlsx"
    wb.save(path)
    (r,) = read_tables(path)
    schools = r.county.schools or ()
    assert [(s.id, s.name, s.segments[0].students if s.segments else None) for s in schools] == [
        (d["学校代码"], d["学校名称"], Figure.exact(d["在校生数"])) for d in data
    ]
    assert r.rows_used == 5  # the county row and the 4 schools


# ----------------------------------------------------------------- the template


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_template_filled_in_checks_cleanly(tmp_path: Path, layout: str) -> None:
    path = tmp_path / "t.xlsx"
    result = _run(
        "template", "--rules", "chengxiang_yitihua_2018", "--layout", layout, "-o", str(path)
    )
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(path)
    assert {"说明", "县区", "学校", "自评"} <= set(wb.sheetnames)
    school = wb["学校"]
    headers = [c.value for c in school[1]]
    assert any(c.comment is not None for c in school[1])
    assert school.data_validations.dataValidation  # 学校类型, 城乡分类 lists
    county = wb["县区"]
    cheaders = [c.value for c in county[1]]
    fill: dict[str, Any] = {
        "行政区划代码": "990001",
        "县区名称": "模板县",
        "数据日期": "2021-06-30",
        "学段": None,
    }
    county_labels = {f.metadata.get(LABEL) for f in attrs.fields(eduint.County)}
    county_labels |= set(_extra().get("county", {}))

    def base(h: Any) -> str:
        return str(h).split("（")[0]

    def value(h: Any) -> Any:
        return "是" if "完整" in str(h) else 95 if "率" in str(h) else 1

    if layout == "long":  # the county row, then a 小学 row with the segment figures
        county.append(
            [
                fill[base(h)] if base(h) in fill else value(h) if base(h) in county_labels else None
                for h in cheaders
            ]
        )
        county.append(
            [
                "小学"
                if base(h) == "学段"
                else fill.get(base(h))
                if base(h) in fill
                else value(h)
                if base(h) not in county_labels
                else None
                for h in cheaders
            ]
        )
    else:
        county.append([fill[base(h)] if base(h) in fill else value(h) for h in cheaders])
    school.append(
        [
            {
                "学校代码": "T1",
                "学校名称": "模板小学",
                "学校类型": "小学",
                "城乡分类": "乡村",
                "学段": "小学",
            }.get(str(h), None if "班级名单完整" in str(h) else 10)  # no class sheet filled
            for h in headers
        ]
    )
    wb["自评"].append(["1", "达到", "模板", "县"])
    wb.save(path)
    (r,) = read_tables(path, extra_fields=_extra())
    assert not r.problems, [str(p) for p in r.problems]
    result = _run("check", str(path), "--rules", "chengxiang_yitihua_2018")
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


def test_template_guide_sheet_in_the_language_asked(tmp_path: Path) -> None:
    """The 说明 sheet explains every column through the catalogue: Chinese with the English
    labels by default, English with ``--lang en``; the cell notes likewise."""
    sheets = {}
    for lang in ("zh", "en"):
        path = tmp_path / f"{lang}.xlsx"
        result = _run("template", "--rules", "youzhi_junheng_2017", "--lang", lang, "-o", str(path))
        assert result.exit_code == 0, result.output
        sheets[lang] = openpyxl.load_workbook(path)
    zh = [[c.value for c in r] for r in sheets["zh"]["说明"].iter_rows()]
    en = [[c.value for c in r] for r in sheets["en"]["说明"].iter_rows()]
    assert zh[2] == ["工作表", "列标题", "字段", "单位", "说明"]
    assert en[2] == ["sheet", "header", "field", "unit", "what to write"]
    assert "缺少的数字留空" in zh[1][0] and "Leave a missing figure blank" in en[1][0]
    students = {r[2]: r[4] for r in zh[3:] if r[0] == "学校"}["students"]
    assert students == "在校生数（students）"
    assert {r[2]: r[4] for r in en[3:] if r[0] == "学校"}["students"] == "students (在校生数)"
    # every Chinese note holds Chinese; the English ones are English with the Chinese
    # header in brackets (the sheets' headers are Chinese) and Chinese data values
    ideograph = re.compile(r"[\u4e00-\u9fff]")
    assert all(ideograph.search(r[4]) for r in zh[3:])
    values = re.compile(r"\([^)]*\)|是|县/区/市/省|城区|镇区|乡村|学校|班级|学段|万元|亩|（万元）")
    assert [r for r in en[3:] if ideograph.search(values.sub("", r[4]))] == []
    cell = sheets["en"]["学校"]["A1"]
    assert cell.comment is not None and "(学校代码)" in cell.comment.text


def test_write_template_api(tmp_path: Path) -> None:
    rules = REPO / "rules" / "youzhi-junheng-2017-resource.rules"
    rs = eduint.check_text(rules.read_text(encoding="utf-8"), file=str(rules))
    out = write_template(
        rs, tmp_path / "r.xlsx", words=reporting.template_words("en"), layout="wide"
    )
    headers = [c.value for c in openpyxl.load_workbook(out)["学校"][1]]
    assert any(str(h).startswith("小学") for h in headers)
