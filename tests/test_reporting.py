"""Reports: one document behind every format; text, HTML, JSON (v2, against its schema), CSV, XLSX.

The report under test comes from a small hand-built county evaluated against
``tests/golden/reports/tiny.rules`` (:mod:`tests._tiny`).  Golden files in
``tests/golden/reports/`` pin the exact bytes of each format; ``pytest --update-golden``
rewrites them (review the diff like code).  Small rule texts check the evidence shown for
a compound requirement, a strict comparator and a 差异系数 exactly on its limit.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import openpyxl
import pytest
from wcwidth import wcswidth

import eduint
from eduint import reporting
from eduint.data.models import County, Figure, School, SchoolSegment, Segment
from eduint.engine.results import Flag, ItemResult, Outcome, Report
from eduint.reporting import Provenance, build_document, section_rows

from ._tiny import GOLDEN, PROBLEMS, PROVENANCE_SHA, report_of, tiny_report

REPO = Path(__file__).resolve().parents[1]
SCHEMA_FILE = REPO / "docs" / "schema" / "eduint-report-v2.schema.json"
F = Figure.exact


@pytest.fixture(scope="module")
def report() -> Report:
    """The tiny rule set evaluated for the tiny county."""
    return tiny_report()


@pytest.fixture(scope="module")
def provenance(report: Report) -> Provenance:
    """A provenance with fixed version and checksums (golden files must not change with
    the installed eduint version)."""
    return Provenance.of(
        report,
        eduint_version="0.0.test",
        data_file="tiny.yaml",
        data_sha256=PROVENANCE_SHA,
        rules_file="tiny.rules",
        rules_sha256=PROVENANCE_SHA[::-1],
    )


def rows(report: Report, key: str, lang: str = "zh", **kw: Any) -> list[dict[str, str]]:
    """The rows of a section of the report's document, as text."""
    return section_rows(build_document(report, **kw), key, lang=lang)


# ------------------------------------------------------------------ golden files


def _golden_csv(report: Report, provenance: Provenance, tmp: Path) -> str:
    path = tmp / "summary.csv"
    reporting.write_csv(report, path)
    return path.read_bytes().decode("utf-8")  # keeps the BOM: the golden file pins it


GOLDEN_CASES: dict[str, Callable[[Report, Provenance, Path], str]] = {
    "table-zh.txt": lambda r, p, t: reporting.text_report(
        r, lang="zh", problems=PROBLEMS, detail=True
    ),
    "table-en.txt": lambda r, p, t: reporting.text_report(
        r, lang="en", problems=PROBLEMS, detail=True
    ),
    "table-zh-60.txt": lambda r, p, t: reporting.text_report(r, detail=True, width=60),
    "github.md": lambda r, p, t: reporting.text_report(r, fmt="github", problems=PROBLEMS),
    "grid.txt": lambda r, p, t: reporting.text_report(r, fmt="grid", problems=PROBLEMS),
    "report.json": lambda r, p, t: reporting.dump_json(r, provenance=p, problems=PROBLEMS),
    "report.html": lambda r, p, t: reporting.html_report(r, provenance=p, problems=PROBLEMS),
    "summary.csv": _golden_csv,
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_report(
    name: str, report: Report, provenance: Provenance, tmp_path: Path, update_golden: bool
) -> None:
    """Each output format renders the tiny report exactly as its golden file says."""
    actual = GOLDEN_CASES[name](report, provenance, tmp_path)
    path = GOLDEN / name
    if update_golden:
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"missing {path.name}: run pytest --update-golden"
    assert actual == path.read_bytes().decode("utf-8"), f"{name} differs (pytest --update-golden)"


# ------------------------------------------------------------------ the summary

ZH_HEADERS = ["章节", "项目", "要求", "自评", "核算", "结论", "数值", "标准", "依据", "标记"]
EN_HEADERS = [
    "section",
    "item",
    "requirement",
    "self-assessment",
    "computed",
    "verdict",
    "value",
    "threshold",
    "source",
    "flags",
]


def _row(table: list[dict[str, str]], key: str, item_id: str) -> dict[str, str]:
    return next(r for r in table if r[key].strip() == item_id)


def test_summary_headers_rows_and_order(report: Report) -> None:
    """Ten columns with Chinese or English headers; one row per item, part and rule in
    rule-file order, parts indented under their item."""
    zh = rows(report, "summary")
    assert list(zh[0]) == ZH_HEADERS
    assert list(rows(report, "summary", "en")[0]) == EN_HEADERS
    assert [r["项目"] for r in zh] == ["1", "2", "  2.1", "  2.2", "3", "4"]
    assert [r["章节"] for r in zh] == ["一", "一", "一", "一", "二", "二"]


def test_summary_self_assessment_beside_computed(report: Report) -> None:
    """自评 shows the county's own word (试行 stays 试行), 核算 the computed outcome."""
    zh = rows(report, "summary")
    one = _row(zh, "项目", "1")
    assert (one["自评"], one["核算"], one["结论"]) == ("达到", "未达到", "未达到")
    trial = _row(zh, "项目", "2.1")
    assert (trial["自评"], trial["核算"], trial["结论"]) == ("试行", "-", "基本达到")
    unstated = _row(zh, "项目", "3")
    assert (unstated["自评"], unstated["结论"]) == ("未说明", "缺少数据")
    en = _row(rows(report, "summary", "en"), "item", "2.1")
    assert (en["self-assessment"], en["verdict"]) == ("on trial", "basically met")


def test_summary_flags_titles_values(report: Report) -> None:
    """Flags, titles (English where given), values with units, thresholds with their
    comparator, citations; an item over several schools counts their outcomes."""
    zh = rows(report, "summary")
    assert _row(zh, "项目", "1")["标记"] == "暂定、自评与核算不一致、约数"
    assert _row(zh, "项目", "4")["标记"] == "仅报告"
    part = _row(zh, "项目", "2.2")
    assert (part["数值"], part["标准"], part["依据"]) == (
        "约98 人",
        ">= 100 人",
        "测〔2024〕1号 第三条",
    )
    one = _row(zh, "项目", "1")
    assert (one["数值"], one["标准"]) == ("3个对象：达到1，未达到1，缺少数据1", "<= 19")
    assert _row(zh, "项目", "4")["数值"] == "大班额班级数 = 缺少数据"
    en = rows(report, "summary", "en")
    assert _row(en, "item", "1")["flags"] == "provisional, self-assessment differs, approximate"
    assert _row(en, "item", "2.2")["requirement"] == "At least 100 full-time teachers"
    assert _row(en, "item", "2.2")["value"] == "~98 人"
    assert _row(en, "item", "1")["value"] == "3 entities: 1 met, 1 not met, 1 no data"


# ------------------------------------------------------------------ evidence

ONE_SCHOOL = County(
    name="某县",
    as_of=datetime.date(2019, 9, 1),
    schools=(School(id="S1", name="一小", segments=(SchoolSegment(Segment.PRIMARY),)),),
    schools_complete=True,
)


def _county(**figures: Any) -> County:
    return attrs.evolve(ONE_SCHOOL, **figures)


def test_a_compound_requirement_shows_the_comparison_that_failed() -> None:
    """``require 在校生数 >= 1 人 and 专任教师数 >= 100 人`` with 5 students and 3
    teachers fails on the teachers: ``3 人 < 100 人`` (not ``5 人 / 1 人``)."""
    rules = 'ruleset t { version "1" }\nitem 1 "甲" {\n  scope county\n'
    rules += "  require 在校生数 >= 1 人 and 专任教师数 >= 100 人\n}\n"
    rep = report_of(rules, _county(students=F(5), full_time_teachers=F(3)))
    summary = rows(rep, "summary")[0]
    assert (summary["结论"], summary["数值"], summary["标准"]) == ("未达到", "3 人", ">= 100 人")
    detail = rows(rep, "detail")[0]
    assert (detail["比较"], detail["差距"]) == ("3 人 < 100 人", "-97 人")
    assert "3 人 < 100 人" in reporting.text_report(rep, detail=True)


def test_a_strict_comparator_is_shown() -> None:
    """``> 90 %`` with exactly 90 % is not met, and the report shows the ``>``."""
    rules = 'ruleset t { version "1" }\nitem 17.1 "校舍竣工率过九成" {\n  scope county\n'
    rules += "  require 校舍竣工率 > 90 %\n}\n"
    rep = report_of(rules, _county(building_completion_rate=F(90)))
    summary = rows(rep, "summary")[0]
    assert (summary["结论"], summary["数值"], summary["标准"]) == ("未达到", "90%", "> 90%")
    assert rows(rep, "detail")[0]["比较"] == "90%，要求 > 90%"  # not "90% <= 90%" (fix12)


def test_a_cv_exactly_on_its_limit_is_met_and_prints_as_the_limit() -> None:
    """Two 小学 of 3 students with 5 and 15 books: the CV is exactly 0.5, which meets
    ``<= 0.50`` and prints as 0.5."""
    seg = SchoolSegment(Segment.PRIMARY, students=F(3))
    county = attrs.evolve(
        ONE_SCHOOL,
        schools=(
            School(id="A", name="甲小", books=F(5), segments=(seg,)),
            School(id="B", name="乙小", books=F(15), segments=(seg,)),
        ),
    )
    rules = 'ruleset t { version "1" }\nitem cv "图书" {\n  scope county segment [小学]\n'
    rules += "  require cv(图书册数 / 在校生数 over 学段) <= 0.50\n}\n"
    rep = report_of(rules, county)
    cv = rows(rep, "cv")[0]
    assert (cv["差异系数"], cv["上限"], cv["结论"]) == ("0.5", "<= 0.5", "达到")


def test_thresholds_that_differ_by_entity() -> None:
    """When entities have different thresholds the summary says so instead of picking one."""
    rules = (
        'ruleset t { version "1" }\nvalue 下限 = by segment { 小学: 600 元/人, 初中: 800 元/人 }\n'
    )
    rules += 'item 1 "甲" {\n  scope county segment [小学, 初中]\n'
    rules += "  require 生均公用经费基准定额 >= 下限\n}\n"
    from eduint.data.models import CountySegment

    county = _county(
        segments=(
            CountySegment(Segment.PRIMARY, public_funds_quota=F(700)),
            CountySegment(Segment.JUNIOR, public_funds_quota=F(900)),
        )
    )
    rep = report_of(rules, county)
    assert rows(rep, "summary")[0]["标准"] == "因对象而异"
    assert rows(rep, "summary", "en")[0]["threshold"] == "varies by entity"


# ------------------------------------------------------------------ text layout

_BORDER = re.compile(r"^[\s+\-=|:]*$")


def _cell_starts(line: str, cells: list[str]) -> list[int | None]:
    """The display column at which each cell starts on a table line (None for an empty
    cell); a cell's leading spaces are part of the cell."""
    starts: list[int | None] = []
    pos = 0
    for cell in cells:
        text = cell.strip()
        if not text:
            starts.append(None)
            continue
        index = line.find(text, pos)
        assert index >= 0, f"{text!r} not found in {line!r}"
        lead = len(cell) - len(cell.lstrip())
        starts.append(wcswidth(line[:index]) - lead)
        pos = index + len(text)
    return starts


def _assert_aligned(table: str, headers: list[str], body: list[list[str]], fmt: str) -> None:
    lines = [ln for ln in table.splitlines() if not _BORDER.match(ln)]
    assert len(lines) == len(body) + 1, fmt
    grid = [_cell_starts(line, cells) for line, cells in zip(lines, [headers, *body], strict=True)]
    for col in range(len(headers)):
        starts = {g[col] for g in grid if g[col] is not None}
        assert len(starts) == 1, f"{fmt}: column {headers[col]!r} starts at {sorted(starts)}"
    if fmt in ("github", "grid"):
        assert len({wcswidth(ln) for ln in table.splitlines()}) == 1, fmt
        bars = {
            tuple(wcswidth(ln[:i]) for i, ch in enumerate(ln) if ch in "|+")
            for ln in table.splitlines()
        }
        assert len(bars) == 1, f"{fmt}: column separators at different display columns"


@pytest.mark.parametrize("fmt", reporting.TABLE_FORMATS)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", ["summary", "detail", "sections", "problems"])
def test_tables_aligned_by_display_width(report: Report, fmt: str, lang: str, key: str) -> None:
    """Every column starts at the same display column on every line (CJK counts two)."""
    doc = build_document(report, problems=PROBLEMS)
    table = doc.tables(key)[0]
    text = reporting.table_text(table, reporting.check_lang(lang), fmt=fmt)
    shown = section_rows(doc, key, lang=lang)
    headers = list(shown[0])
    assert any(wcswidth(ln) != len(ln) for ln in text.splitlines())  # wide text is present
    _assert_aligned(text, headers, [list(r.values()) for r in shown], fmt)


@pytest.mark.parametrize("mode", [True, False])
def test_tabulates_settings_are_neither_read_nor_changed(
    report: Report, monkeypatch: pytest.MonkeyPatch, mode: bool
) -> None:
    """eduint measures widths itself: whatever a caller set tabulate.WIDE_CHARS_MODE to,
    the tables are the same, and the setting is left as the caller set it."""
    tabulate = pytest.importorskip("tabulate")
    expected = reporting.text_report(report, detail=True, fmt="grid")
    monkeypatch.setattr(tabulate, "WIDE_CHARS_MODE", mode)
    assert reporting.text_report(report, detail=True, fmt="grid") == expected
    assert tabulate.WIDE_CHARS_MODE is mode


def test_tables_fit_a_width(report: Report) -> None:
    """``width`` fits every table to that many display cells by wrapping its text
    columns (numbers, outcomes and thresholds are never broken); the grid stays aligned."""
    wide = reporting.text_report(report, detail=True, fmt="grid")
    narrow = reporting.text_report(report, detail=True, fmt="grid", width=100)
    assert max(wcswidth(ln) for ln in wide.splitlines()) > 100
    tables = [b for b in narrow.split("\n\n") if b.lstrip().startswith(("+", "章", "明"))]
    for line in narrow.splitlines():
        if line.startswith(("+", "|")):
            assert wcswidth(line) <= 100, line
    assert tables
    assert "<= 19" in narrow and ">= 100 人" in narrow  # thresholds whole


def test_wrap_breaks_cells_wider_than_n(report: Report) -> None:
    """``wrap=N`` (``--wrap N``) breaks wide cells onto several lines by display width;
    ``github`` is never wrapped; a bad width is a ValueError."""
    doc = build_document(report)
    table = doc.tables("summary")[0]
    wrapped = reporting.table_text(table, "zh", fmt="grid", wrap=10)
    assert len({wcswidth(ln) for ln in wrapped.splitlines()}) == 1
    for line in wrapped.splitlines():
        if line.startswith("|"):
            assert all(wcswidth(c.strip()) <= 10 for c in line.strip("|").split("|")), line
    assert "小学生师比不高于上限" not in wrapped
    github = reporting.table_text(table, "zh", fmt="github")
    assert reporting.table_text(table, "zh", fmt="github", wrap=10) == github
    with pytest.raises(ValueError, match="wrap must be at least 1"):
        reporting.table_text(table, "zh", wrap=0)
    with pytest.raises(ValueError, match="unknown table format 'nope'"):
        reporting.table_text(table, "zh", fmt="nope")


def test_part_indentation_kept_and_pipes_escaped(report: Report) -> None:
    """Parts keep their indentation; a '|' in a cell is escaped in github tables."""
    line = next(ln for ln in reporting.text_report(report).splitlines() if "2.1" in ln)
    assert "    2.1" in line
    rules = 'ruleset t { version "1" }\nitem 1 "甲|乙" { attested }\n'
    rep = report_of(rules, ONE_SCHOOL)
    body = reporting.text_report(rep, fmt="github").splitlines()
    row = next(ln for ln in body if "甲" in ln)
    assert "甲\\|乙" in row and row.replace("\\|", "").count("|") == len(ZH_HEADERS) + 1


def test_bad_language_raises(report: Report) -> None:
    """An unknown language is a ValueError naming the choices."""
    with pytest.raises(ValueError, match="'zh' or 'en'"):
        reporting.text_report(report, lang="fr")


# ------------------------------------------------------------------ detail, problems, lists


def test_detail_lists_failing_entities_and_missing_figures(report: Report) -> None:
    """Detail names the failing school with the comparison that failed, what is missing,
    the unanswered item; an item with parts is left to its parts."""
    detail = [tuple(r.values()) for r in rows(report, "detail")]
    assert ("1", "明德小学 小学", "未达到", "25 > 19", "-6", "") in detail
    assert ("1", "新星小学 小学", "缺少数据", "<= 19", "", "缺少专任教师数") in detail
    assert ("2.2", "示例县", "未达到", "约98 人 < 100 人", "-2 人", "约数") in detail
    assert any(r[0] == "4" and r[5].startswith("大班额班级数：") for r in detail)
    assert not any(r[0] == "2" for r in detail)
    assert not any(r[1] == "育人小学 小学" for r in detail)  # it meets the requirement


def test_problems_worded_by_code_in_chinese_and_in_full_in_english(report: Report) -> None:
    """A data problem shows its field by label; in Chinese its code's wording, in English
    the loader's message and hint; any object with the attributes will do."""
    zh = rows(report, "problems", problems=PROBLEMS)
    assert tuple(zh[0].values()) == (
        "D021",
        "tiny.yaml",
        "第24行 schools[2].segments.小学.full_time_teachers",
        "专任教师数",
        "十二",
        "应为整数，按缺少处理",
    )
    assert tuple(zh[1].values())[:5] == (
        "",
        "学校.xlsx",
        "学校 第5行 schools[3].students",
        "在校生数",
        "<12>",
    )
    en = rows(report, "problems", "en", problems=PROBLEMS)
    assert (
        en[0]["problem"]
        == "expected a whole number of 人, got '十二' (hint: write the figure in digits)"
    )
    assert en[1]["location"] == "学校 row 5 schools[3].students"


def test_text_report_ends_with_problems_warnings_and_provisional_values(report: Report) -> None:
    """The text report lists the rows read, every data problem, the warnings (coded,
    worded) and the provisional values used."""

    @attrs.frozen
    class Load:
        rows_read: int | None = 3
        rows_used: int | None = 2
        rows_rejected: int | None = 1

    text = reporting.text_report(report, problems=PROBLEMS, load=Load())
    assert "数据问题（共 2 条）" in text and "读取 3 行，采用 2 行，拒绝 1 行" in text
    assert "- 1：由约数计算，按所填数值使用" in text
    assert "- 生师比上限：测试用暂定上限" in text
    assert "数据问题：无" in reporting.text_report(report)
    assert reporting.overall_line(report) == (
        "总体结论：未达到（示例县；tiny_report 0.1；截至 2019-09-01，数据注明）"
    )
    assert reporting.overall_line(report, lang="en") == (
        "Overall verdict: not met (示例县; tiny_report 0.1; as of 2019-09-01, stated in the data)"
    )


def test_dispositions_appear_in_every_format(tmp_path: Path) -> None:
    """A school segment left out (0 students) is listed with its reason in the default
    text output, HTML, JSON, CSV and XLSX."""
    seg = SchoolSegment(Segment.PRIMARY, students=F(0), full_time_teachers=F(2))
    county = attrs.evolve(
        ONE_SCHOOL,
        schools=(
            School(id="A", name="空校", segments=(seg,)),
            School(id="B", name="一小", segments=(attrs.evolve(seg, students=F(30)),)),
        ),
    )
    rules = 'ruleset t { version "1" }\nitem 1 "甲" {\n  scope school segment\n'
    rules += "  require 专任教师数 >= 1 人\n}\n"
    rep = report_of(rules, county)
    assert rep.dispositions, "the population pass leaves the empty segment out"
    text = reporting.text_report(rep)
    assert "未计入、并入或拆分的学校（学段）" in text and "空校 小学" in text
    assert "在校生为0，不计入" in text
    assert "在校生为0，不计入" in reporting.html_report(rep)
    doc = reporting.to_json(rep)
    assert doc["dispositions"][0]["reason"]["code"] == "zero_students"
    written = reporting.write_csv(rep, tmp_path / "r.csv")
    assert written[1].name == "r.dispositions.csv"
    assert "在校生为0" in written[1].read_text(encoding="utf-8-sig")
    reporting.write_xlsx(rep, tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["未计入与拆分"]
    assert any("在校生为0" in str(c) for row in sheet.iter_rows(values_only=True) for c in row)


# ------------------------------------------------------------------ HTML


def test_html_escapes_values_and_loads_nothing(report: Report, provenance: Provenance) -> None:
    """Every value is escaped; the page is self-contained (no URL, no font import) and
    carries the sections every format has, the provenance included."""
    rep = attrs.evolve(report, county="<b>县</b>")
    page = reporting.html_report(rep, problems=PROBLEMS, provenance=provenance)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "&lt;b&gt;县&lt;/b&gt;" in page and "<b>县" not in page
    assert "&lt;12&gt;" in page
    assert "http" not in page and "//" not in page and "@import" not in page
    assert "明细：未达到的对象与缺少的数据" in page and PROVENANCE_SHA in page
    assert '<td class="num">&gt;= 100 人</td>' in page
    assert '<html lang="en">' in reporting.html_report(rep, lang="en")


# ------------------------------------------------------------------ JSON


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    """The published JSON Schema of the report document."""
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def test_schema_file_is_current() -> None:
    """docs/schema/eduint-report-v2.schema.json is what report_json_schema() builds
    (regenerate with python scripts/gen_report_schema.py)."""
    expected = json.dumps(reporting.report_json_schema(), ensure_ascii=False, indent=2) + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == expected


def test_schema_is_derived_from_the_result_classes(schema: dict[str, Any]) -> None:
    """Valid draft 2020-12; one definition per result class with exactly its fields,
    described from the class docstrings."""
    jsonschema.Draft202012Validator.check_schema(schema)
    defs = schema["$defs"]
    # set_by (layering) is written only when not empty: required are all the others
    assert set(defs["ItemResult"]["required"]) == set(attrs.fields_dict(ItemResult)) - {"set_by"}
    assert set(defs["ItemResult"]["properties"]) == set(attrs.fields_dict(ItemResult))
    # Report.trace (issue 20) is no report content: its metadata keeps it out of JSON
    written = {n for n, a in attrs.fields_dict(Report).items() if a.metadata.get("written", True)}
    assert written == set(attrs.fields_dict(Report)) - {"trace"}
    assert written <= set(schema["properties"]) and "trace" not in schema["properties"]
    assert "where" not in defs["EntityRef"]["properties"]  # provenance, not results
    assert "worst entity" in defs["ItemResult"]["properties"]["evidence"]["description"]
    for obj in [schema, *defs.values()]:
        if "required" in obj:
            assert set(obj["required"]) <= set(obj["properties"]), obj.get("description")


def test_json_validates_and_has_teeth(
    report: Report, provenance: Provenance, schema: dict[str, Any]
) -> None:
    """The document validates with and without problems and provenance; an unknown
    outcome, a missing field or a number as text fails."""
    jsonschema.validate(reporting.to_json(report, provenance=provenance, problems=PROBLEMS), schema)
    jsonschema.validate(reporting.to_json(report, lang="en"), schema)
    for change in (
        lambda d: d["items"][0].__setitem__("headline", "passed"),
        lambda d: d["items"][0].pop("computed"),
        lambda d: d["items"][3]["evidence"].__setitem__("right", "100 人"),
    ):
        doc = reporting.to_json(report)
        change(doc)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(doc, schema)


def test_json_values_are_numbers_with_exact_forms_and_units(report: Report) -> None:
    """Version 2: a value is a JSON number with its exact form and unit; reasons are
    codes with arguments and a message; ``%×`` appears nowhere."""
    doc = reporting.to_json(report)
    assert (doc["schema"], doc["eduint_report_version"]) == (reporting.REPORT_SCHEMA_ID, 2)
    part = next(i for i in doc["items"] if i["id"] == "2.2")
    assert part["evidence"]["left"] == {
        "value": 98,
        "exact": "98",
        "unit": "人",
        "approximate": True,
    }
    assert part["evidence"]["right"] == {"value": 100, "exact": "100", "unit": "人"}
    assert part["evidence"]["margin"] == {"value": -2, "exact": "-2", "unit": "人"}
    one = next(i for i in doc["items"] if i["id"] == "1")
    b = next(e for e in one["entities"] if e["entity"]["name"] == "明德小学")
    assert b["evidence"]["left"] == {"value": 25, "exact": "25", "unit": ""}
    missing = next(e for e in one["entities"] if e["entity"]["name"] == "新星小学")
    reason = missing["reasons"][-1]
    assert (
        reason["code"] == "missing_figure" and reason["message"] == "新星小学 小学：缺少专任教师数"
    )
    assert reason["args"][1] == {
        "name": "full_time_teachers",
        "label": "专任教师数",
        "label_en": "full-time teachers",
    }
    assert "%×" not in json.dumps(doc, ensure_ascii=False)
    assert reporting.to_json(report, lang="en")["items"][0]["entities"][2]["reasons"][-1][
        "message"
    ] == ("新星小学 primary: full-time teachers missing")


def test_dump_json_keeps_chinese_and_the_provenance(report: Report, provenance: Provenance) -> None:
    """dump_json writes Chinese as is, indented by 2; the provenance has the files, their
    SHA-256 and where each entity is in the data."""
    text = reporting.dump_json(report, problems=PROBLEMS, provenance=provenance)
    assert "示例县" in text and "\\u" not in text and text.startswith('{\n  "schema"')
    doc = json.loads(text)
    assert doc == reporting.to_json(report, problems=PROBLEMS, provenance=provenance)
    assert doc["provenance"]["data_sha256"] == PROVENANCE_SHA
    assert doc["provenance"]["locations"]["A/小学"] == "schools[0].segments.小学"
    assert "data_problems" not in reporting.to_json(report)


def test_provenance_of_takes_the_report_values(report: Report) -> None:
    """Provenance.of copies rule set and date from the report."""
    prov = Provenance.of(report, data_file="x.yaml")
    assert (prov.ruleset_id, prov.ruleset_version) == ("tiny_report", "0.1")
    assert prov.as_of == datetime.date(2019, 9, 1) and prov.as_of_basis.value == "stated"
    assert prov.eduint_version == eduint.__version__


# ------------------------------------------------------------------ CSV


def test_csv_numbers_and_units_in_columns_of_their_own(
    report: Report, provenance: Provenance, tmp_path: Path
) -> None:
    """UTF-8 with a BOM; a number column holds plain numbers, its unit and comparator in
    columns beside it; the provenance is written beside the CSV."""
    path = tmp_path / "report.csv"
    written = reporting.write_csv(report, path, provenance=provenance)
    # the data file is always written (fix12), then the provenance
    assert written == (path, tmp_path / "report.data.csv", tmp_path / "report.provenance.json")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.DictReader(fh))
    part = _row(back, "项目", "2.2")
    assert (part["数值"], part["数值单位"]) == ("98", "人")
    assert (part["标准"], part["标准单位"], part["标准比较符"]) == ("100", "人", ">=")
    assert _row(back, "项目", "1")["数值"] == "3个对象：达到1，未达到1，缺少数据1"
    side = json.loads((tmp_path / "report.provenance.json").read_text(encoding="utf-8"))
    assert side == provenance.to_dict()
    en = tmp_path / "r.csv"
    assert reporting.write_csv(report, en, lang="en") == (en, tmp_path / "r.data.csv")
    heads = next(csv.reader(io.StringIO(en.read_text(encoding="utf-8-sig"))))
    assert heads[:2] == EN_HEADERS[:2] and heads[2] == "part of" and heads[3] == EN_HEADERS[2]


# ------------------------------------------------------------------ XLSX


def test_xlsx_numbers_are_numbers(report: Report, provenance: Provenance, tmp_path: Path) -> None:
    """Sheets with frozen headers; a value is a numeric cell whose number format carries
    its unit, comparator and places; the provenance sheet has the files and warnings."""
    path = tmp_path / "report.xlsx"
    reporting.write_xlsx(report, path, provenance=provenance, problems=PROBLEMS)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "汇总"
    assert {"章节", "明细", "数据问题", "来源"} <= set(wb.sheetnames)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
    summary = wb["汇总"]
    assert [c.value for c in summary[1]] == ZH_HEADERS
    part = next(r for r in summary.iter_rows(min_row=2) if str(r[1].value).strip() == "2.2")
    value, threshold = part[6], part[7]
    assert value.value == 98 and value.number_format == '"约"0" 人"'
    assert threshold.value == 100 and threshold.number_format == '">= "0" 人"'
    source = {row[0]: row[1] for row in wb["来源"].iter_rows(min_row=2, values_only=True)}
    assert source["数据文件 SHA-256"] == PROVENANCE_SHA and source["总体结论"] == "未达到"


def test_xlsx_ranges_and_percentages(tmp_path: Path) -> None:
    """A range (30多) is a text cell marked as a range by a comment; a per cent figure is a
    fraction with a % format."""
    rules = 'ruleset t { version "1" }\nitem 1 "甲" {\n  scope county\n  report 在校生数\n'
    rules += "  report 辍学率\n}\n"
    county = _county(
        students=Figure(Decimal(30), Decimal(39), False, "30多"), dropout_rate=F(Decimal("0.5"))
    )
    rep = report_of(rules, county)
    reporting.write_xlsx(rep, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["汇总"]
    cell = ws["G2"]
    assert cell.value == "30–39 人；辍学率 = 0.5%" or cell.data_type == "s"


def test_xlsx_is_byte_stable_and_honours_source_date_epoch(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writes give the same bytes; the document's dates are fixed (1980-01-01, or
    SOURCE_DATE_EPOCH when set)."""
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    reporting.write_xlsx(report, a, problems=PROBLEMS)
    reporting.write_xlsx(report, b, problems=PROBLEMS)
    assert a.read_bytes() == b.read_bytes()
    core = zipfile.ZipFile(a).read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    reporting.write_xlsx(report, b, problems=PROBLEMS)
    assert "2023-11-14T22:13:20Z" in zipfile.ZipFile(b).read("docProps/core.xml").decode()
    assert {i.date_time for i in zipfile.ZipFile(b).infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_xlsx_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    """A value starting with '=' stays text (never a formula)."""
    rep = report_of('ruleset t { version "1" }\nitem 1 "=1+1" { attested }\n', ONE_SCHOOL)
    path = tmp_path / "r.xlsx"
    reporting.write_xlsx(rep, path, lang="en")
    ws = openpyxl.load_workbook(path)["Summary"]
    assert ws["C2"].value == "=1+1" and ws["C2"].data_type == "s"


def test_flags_and_outcomes_are_worded(report: Report) -> None:
    """Every flag is worded in both languages through the catalogue."""
    item = attrs.evolve(
        report.items[0], flags=(Flag.BORDERLINE,), provisional=False, disagreement=False
    )
    rep = attrs.evolve(report, items=(item,))
    assert rows(rep, "summary")[0]["标记"] == "临界"
    assert rows(rep, "summary", "en")[0]["flags"] == "borderline"
    assert rows(rep, "summary")[0]["结论"] == Outcome.NOT_MET.value


def test_csv_cells_never_run_as_formulas() -> None:
    """A text cell starting with = + - @ is written with a leading apostrophe, so a
    spreadsheet shows it as text (CSV injection); '-' placeholders and plain numbers
    stay.  A number followed by a unit is not a plain number: a spreadsheet would read
    '-0.5 元' as a formula (issue 14), so it is escaped too."""
    from eduint.reporting.csvfmt import _csv_safe

    assert "'=HYPERLINK(1)" == _csv_safe("=HYPERLINK(1)")
    assert "'@SUM(A1)" == _csv_safe("@SUM(A1)")
    assert "-" == _csv_safe("-")
    assert "-0.5" == _csv_safe("-0.5")
    assert "'-0.5 元" == _csv_safe("-0.5 元")
