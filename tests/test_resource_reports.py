"""Per-school and 差异系数 reports for the 2017 资源配置 block (``rules/youzhi-junheng-2017-resource.rules``).

A small hand-built county (test data, not a real one): four schools counted and one left out
by the settings:

* 育人小学 (小学): all 7 indicators met.
* 明德小学 (小学): 骨干教师 0.4 and 体育场馆 7 平方米/人 below their standards: 5 of 7, 未达到.
* 新星学校 (九年一贯制): its physical figures split 小学 : 初中 by the default weights; its
  初中 segment misses 教学用房 (5.5 < 5.8) but meets the other 6: 达到.
* 城关中学 (初中): no 网络多媒体教室数 (缺少数据), and 体艺教师 0.833 below 0.9.
* 启智学校 (特殊教育学校): left out (setting include_special), named in the details.

The 差异系数 of 骨干教师 for 小学 is 0.519 > 0.50 (the failing CV); the 差异系数 of 体艺教师 for
初中 is 0.449, within the rule's margin 0.005 of 0.45 (borderline, met).

The whole text report is pinned by golden files in ``tests/golden/reports/``
(``pytest --update-golden`` rewrites them; review the diff like code).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from wcwidth import wcswidth

import eduint
from eduint import cli, reporting
from eduint.data.loading import load_county_text
from eduint.engine.evaluator import evaluate
from eduint.engine.results import Report

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "rules" / "youzhi-junheng-2017-resource.rules"
GOLDEN = REPO / "tests" / "golden" / "reports"

COUNTY = """\
eduint_data_version: 1
name: 测试县
code: "000002"
as_of: 2019-09-01
schools_complete: true
schools:
  - id: A
    name: 育人小学
    kind: 小学
    floor_area_teaching: 2200
    indoor_sports_area: 200
    sports_area: 3200
    equipment_value: 900000
    multimedia_rooms: 10
    segments:
      小学: {students: 400, teachers_above_degree: 20, backbone_teachers: 6, pe_arts_teachers: 4}
  - id: B
    name: 明德小学
    kind: 小学
    floor_area_teaching: 2500
    indoor_sports_area: 0
    sports_area: 3500
    equipment_value: 1100000
    multimedia_rooms: 12
    segments:
      小学: {students: 500, teachers_above_degree: 22, backbone_teachers: 2, pe_arts_teachers: 5}
  - id: C
    name: 新星学校
    kind: 九年一贯制
    floor_area_teaching: 2700
    indoor_sports_area: 100
    sports_area: 5000
    equipment_value: 1200000
    multimedia_rooms: 12
    segments:
      小学: {students: 300, teachers_above_degree: 14, backbone_teachers: 3, pe_arts_teachers: 3}
      初中: {students: 200, teachers_above_degree: 11, backbone_teachers: 2, pe_arts_teachers: 4}
  - id: D
    name: 城关中学
    kind: 初中
    floor_area_teaching: 3900
    indoor_sports_area: 300
    sports_area: 6600
    equipment_value: 1560000
    segments:
      初中: {students: 600, teachers_above_degree: 33, backbone_teachers: 7, pe_arts_teachers: 5}
  - id: E
    name: 启智学校
    kind: 特殊教育学校
    segments:
      小学: {students: 40}
"""

INDICATORS = [
    "高学历教师",
    "骨干教师",
    "体艺教师",
    "教学用房",
    "体育场馆",
    "仪器设备",
    "多媒体教室",
]


@pytest.fixture(scope="module")
def report() -> Report:
    """The resource block evaluated for the test county."""
    ruleset = eduint.check_text(RULES.read_text(encoding="utf-8"), file=RULES.name)
    loaded = load_county_text(COUNTY, file="county.yaml")
    assert loaded.problems == ()
    return evaluate(ruleset, loaded.county)


def run(*args: str) -> Result:
    """Run ``eduint ARGS`` in-process, stdout and stderr kept apart."""
    return CliRunner().invoke(cli.main, list(args), prog_name="eduint")


@pytest.fixture
def county_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test county as a data file in a fresh current directory."""
    path = tmp_path / "county.yaml"
    path.write_text(COUNTY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return path


# ------------------------------------------------------------------ golden files

GOLDEN_CASES = {
    "resource-zh.txt": ("--detail",),
    "resource-en.md": ("--lang", "en", "--format", "github"),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_resource_report(name: str, county_file: Path, update_golden: bool) -> None:
    """``eduint check county.yaml --rules …resource.rules`` prints the summary, the school
    table, the 差异系数 table and (with --detail) the computation notes exactly as the
    golden file says; exit 1 (明德小学 and the 骨干教师 CV are 未达到)."""
    result = run("check", county_file.name, "--rules", str(RULES), *GOLDEN_CASES[name])
    assert result.exit_code == 1, result.output
    assert result.stderr == ""
    path = GOLDEN / name
    if update_golden:
        path.write_bytes(result.stdout.encode("utf-8"))
    assert path.exists(), f"missing {path.name}: run pytest --update-golden"
    expected = path.read_bytes().decode("utf-8")
    assert result.stdout == expected, (
        f"{name} differs from its golden file (pytest --update-golden)"
    )


def test_text_report_order(county_file: Path) -> None:
    """The school table and the 差异系数 table come after the summary and before the
    section verdicts; the computation notes only with --detail, after the detail table;
    the school left out by the settings is listed with its reason either way."""
    out = run("check", county_file.name, "--rules", str(RULES)).stdout
    heads = ["学校指标：学校达标", "\n差异系数\n", "未达到或临界的差异系数", "章节结论", "总体结论"]
    positions = [out.index(h) for h in heads]
    assert positions == sorted(positions)
    assert "计算说明" not in out
    assert "未计入、并入或拆分的学校（学段）" in out and "特殊教育学校，不计入" in out
    detailed = run("check", county_file.name, "--rules", str(RULES), "--detail").stdout
    assert detailed.index("明细：") < detailed.index("计算说明") < detailed.index("总体结论")
    assert "启智学校：特殊教育学校，不计入（设置“特殊教育学校计入”）" in detailed


# ------------------------------------------------------------------ school table


def _rows(report: Report, key: str, lang: str = "zh") -> list[dict[str, str]]:
    return reporting.section_rows(reporting.build_document(report), key, lang=lang)


def _by_entity(rows: list[dict[str, str]], key: str = "对象") -> dict[str, dict[str, str]]:
    return {r[key]: r for r in rows}


def test_entity_rows_columns(report: Report) -> None:
    """One column per report line, named as in the rule, between the entity and the count;
    one row per school segment counted, in entity order."""
    rows = _rows(report, "entities")
    assert list(rows[0]) == ["对象", *INDICATORS, "达到项数", "结论", "说明"]
    en = _rows(report, "entities", "en")
    assert list(en[0]) == ["entity", *INDICATORS, "conditions met", "outcome", "note"]
    assert [r["对象"] for r in rows] == [
        "育人小学 小学",
        "明德小学 小学",
        "新星学校 小学",
        "新星学校 初中",
        "城关中学 初中",
    ]  # 启智学校 is left out by the settings


def test_entity_rows_values_counts_and_notes(report: Report) -> None:
    """Values with their units; 达到项数 counts the at_least conditions met (undecided
    ones said); 说明 names each condition failed, as it came out, and the missing figures."""
    rows = _by_entity(_rows(report, "entities"))
    met = rows["育人小学 小学"]
    assert (met["骨干教师"], met["体育场馆"], met["达到项数"], met["结论"], met["说明"]) == (
        "1.5 人/百人",
        "8 平方米/人",
        "7/7",
        "达到",
        "",
    )
    failing = rows["明德小学 小学"]
    assert (failing["达到项数"], failing["结论"]) == ("5/7", "未达到")
    assert failing["说明"] == (
        "未达到：骨干教师：0.4 人/百人 < 1 人/百人；体育场馆：7 平方米/人 < 7.5 平方米/人"
    )
    split = rows["新星学校 初中"]
    assert (split["教学用房"], split["达到项数"], split["结论"]) == ("5.5 平方米/人", "6/7", "达到")
    assert split["说明"] == "6/7 达到；教学用房：5.5 平方米/人 < 5.8 平方米/人，在 85% 下限之上"
    missing = rows["城关中学 初中"]
    assert missing["多媒体教室"] == "缺少数据"
    assert (missing["达到项数"], missing["结论"]) == ("5/7（1项未定）", "缺少数据")
    assert missing["说明"].endswith("城关中学：缺少网络多媒体教室数")
    en = _by_entity(_rows(report, "entities", "en"), "entity")["城关中学 junior secondary"]
    assert (en["conditions met"], en["多媒体教室"]) == ("5/7 (1 undecided)", "no data")


def test_entity_tables_heading_per_rule(report: Report) -> None:
    """Each rule's table is under a heading with its id and title; the units of a column
    are in its header, its numbers bare."""
    text = reporting.text_report(report)
    lines = text.splitlines()
    at = lines.index("学校指标：学校达标 每所学校（学段）7项指标至少6项达到、其余不低于85%")
    assert lines[at + 1].startswith("对象 ")
    assert "（人/百人）" in lines[at + 2]


# ------------------------------------------------------------------ 差异系数 table


def _cv(rows: list[dict[str, str]], rule: str, entity: str) -> dict[str, str]:
    return next(r for r in rows if r["项目"] == rule and r["对象"] == entity)


def test_cv_rows_one_per_rule_and_segment(report: Report) -> None:
    """The 7 差异系数 rules, 小学 and 初中 each: 14 rows."""
    rows = _rows(report, "cv")
    assert len(rows) == 14
    assert list(rows[0]) == [
        "项目",
        "要求",
        "对象",
        "差异系数",
        "上限",
        "差距",
        "结论",
        "标记",
        "说明",
        "方差主要来源",
    ]
    assert "学校达标" not in {r["项目"] for r in rows}


def test_cv_rows_failing_borderline_and_missing(report: Report) -> None:
    """A failing CV: value, limit with its comparator, negative margin, 未达到, the largest
    contributors; a borderline one: 临界 and its contributors; a met one: none; a CV that
    cannot be computed: what is missing."""
    rows = _rows(report, "cv")
    failing = _cv(rows, "差异系数_骨干教师", "测试县 小学")
    assert (failing["差异系数"], failing["上限"], failing["差距"], failing["结论"]) == (
        "0.519",
        "<= 0.5",
        "-0.019",
        "未达到",
    )
    assert "育人小学 小学 50.1%" in failing["方差主要来源"]
    border = _cv(rows, "差异系数_体艺教师", "测试县 初中")
    assert border["结论"] == "达到" and "临界" in border["标记"].split("、")
    assert "临界" not in failing["标记"]
    assert "新星学校 初中 75%" in border["方差主要来源"]
    met = _cv(rows, "差异系数_骨干教师", "测试县 初中")
    assert (met["结论"], met["方差主要来源"]) == ("达到", "")
    missing = _cv(rows, "差异系数_多媒体教室", "测试县 初中")
    assert (missing["差异系数"], missing["结论"]) == ("", "缺少数据")
    assert missing["说明"] == "城关中学：缺少网络多媒体教室数"


def test_cv_contributors_only_for_failing_or_borderline(report: Report) -> None:
    """Contributors are listed under the table for rules with a failing or borderline CV."""
    text = reporting.text_report(report)
    block = text.split("未达到或临界的差异系数：方差的主要来源（按项目，含该项各学段）\n")[1]
    lines = [ln for ln in block.split("\n\n")[0].splitlines()]
    assert [ln.split("：")[0] for ln in lines] == ["- 差异系数_骨干教师", "- 差异系数_体艺教师"]
    assert all("方差主要来源：" in ln for ln in lines)


def test_cv_table_leaves_out_long_columns(report: Report) -> None:
    """The text table has no 要求 and no contributors column (they are listed below it)."""
    text = reporting.text_report(report).split("\n差异系数\n")[1]
    assert text.splitlines()[0].split() == [
        "项目", "对象", "差异系数", "上限", "差距", "结论", "标记", "说明",
    ]  # fmt: skip
    en = reporting.text_report(report, lang="en").split("\nCoefficients of variation (CV)\n")[1]
    assert en.splitlines()[0].split()[:4] == ["item", "entity", "CV", "limit"]


COUNTY_CV_RULES = """\
ruleset county_cv "县级差异系数" {
  version "0.1"
}

rule 县差异 "骨干教师比例差异系数" {
  scope county
  require cv(县级以上骨干教师数 / 在校生数 over 学段) <= 0.1
}
"""


def test_county_scope_cv_has_one_row_for_the_county() -> None:
    """A 差异系数 rule at county scope (no entities) has one row: the county, with the
    rule's own value, limit and margin, and its contributors when it fails."""
    loaded = load_county_text(COUNTY, file="county.yaml")
    rep = evaluate(eduint.check_text(COUNTY_CV_RULES), loaded.county)
    rows = _rows(rep, "cv")
    assert len(rows) == 1
    row = rows[0]
    assert (row["项目"], row["对象"], row["上限"], row["结论"]) == (
        "县差异",
        "测试县",
        "<= 0.1",
        "未达到",
    )
    assert row["差距"].startswith("-")
    assert row["方差主要来源"].startswith("方差主要来源：")


def test_no_tables_for_rule_sets_without_such_rules() -> None:
    """The tiny report rule set has no per-entity values and no 差异系数: no such sections."""
    tiny = (REPO / "tests" / "golden" / "reports" / "tiny.rules").read_text(encoding="utf-8")
    loaded = load_county_text(
        "name: 示例县\nas_of: 2019-09-01\nschools_complete: true\nschools: []\n"
    )
    rep = evaluate(eduint.check_text(tiny), loaded.county)
    keys = {s.key for s in reporting.build_document(rep).sections}
    assert not keys & {"entities", "cv", "cv_contributors", "dispositions"}


# ------------------------------------------------------------------ notes and dispositions


def test_notes_and_dispositions(report: Report) -> None:
    """Every rule's computation notes (split shares, shares of a CV's variance), and every
    school left out or split, with the setting that decided it."""
    notes = _rows(report, "notes")
    assert list(notes[0]) == ["项目", "说明"]
    texts = [r["说明"] for r in notes]
    assert any("新星学校 初中：教学及辅助用房面积按全校数的42.31%计" in n for n in texts)
    assert not any(n.endswith("方差主要来源：") for n in texts)  # a CV of 0 names none
    assert list(_rows(report, "notes", "en")[0]) == ["item", "note"]
    gone = _by_entity(_rows(report, "dispositions"))
    assert (gone["启智学校"]["处理"], gone["启智学校"]["设置"]) == ("未计入", "特殊教育学校计入")
    assert gone["启智学校"]["原因"] == "特殊教育学校，不计入（设置“特殊教育学校计入”）"
    assert (gone["新星学校 小学"]["处理"], gone["新星学校 小学"]["比例"]) == ("拆分", "57.69%")


# ------------------------------------------------------------------ alignment

_BORDER = re.compile(r"^[\s+\-=|:]*$")


def _cell_starts(line: str, cells: list[str]) -> list[int | None]:
    starts: list[int | None] = []
    pos = 0
    for cell in cells:
        text = cell.strip()
        if not text:
            starts.append(None)
            continue
        index = line.find(text, pos)
        number = re.match(r"-?[0-9.]+", text)
        if index < 0 and number:  # a number whose unit is in the column header
            text = number.group()
            index = line.find(text, pos)
        assert index >= 0, f"{text!r} not found in {line!r}"
        starts.append(wcswidth(line[:index]))
        pos = index + len(text)
    return starts


@pytest.mark.parametrize("fmt", ["plain", "simple", "github", "grid"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", ["cv", "notes", "dispositions"])
def test_tables_aligned_by_display_width(report: Report, fmt: str, lang: str, key: str) -> None:
    """Every column of the 差异系数, notes and dispositions tables starts at the same
    display column on every line (CJK characters count two)."""
    table = reporting.build_document(report).tables(key)[0]
    text = reporting.table_text(table, reporting.check_lang(lang), fmt=fmt)
    keep = [i for i, c in enumerate(table.columns) if c.key not in table.text_omits]
    shown = [[list(r.values())[i] for i in keep] for r in _rows(report, key, lang)]
    lines = [ln for ln in text.splitlines() if not _BORDER.match(ln)]
    body = lines[len(lines) - len(shown) :]  # a header may take two lines (a unit under it)
    grid = [_cell_starts(line, cells) for line, cells in zip(body, shown, strict=True)]
    for col in range(len(keep)):
        assert len({g[col] for g in grid if g[col] is not None}) <= 1, (fmt, col)
    if fmt in ("github", "grid"):
        assert len({wcswidth(ln) for ln in text.splitlines()}) == 1, fmt


# ------------------------------------------------------------------ XLSX and JSON


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        (
            "zh",
            [
                "汇总",
                "学校指标",
                "差异系数",
                "章节",
                "明细",
                "计算说明",
                "未计入与拆分",
                "数据问题",
                "来源",
            ],
        ),
        (
            "en",
            [
                "Summary",
                "School indicators",
                "CV",
                "Sections",
                "Detail",
                "Computation notes",
                "Left out and split",
                "Data problems",
                "Provenance",
            ],
        ),
    ],
)
def test_xlsx_school_and_cv_sheets(
    county_file: Path, tmp_path: Path, lang: str, names: list[str]
) -> None:
    """``--format xlsx`` writes the sheets 学校指标 (one row per school segment, numbers as
    numbers), 差异系数 (one row per rule and segment), 计算说明 and 未计入与拆分, each with
    a bold, frozen header row."""
    out = tmp_path / "out.xlsx"
    result = run(
        "check", county_file.name, "--rules", str(RULES), "--format", "xlsx", "-o", str(out),
        "--lang", lang,
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == names
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert all(c.font.bold for c in ws[1]), ws.title
    schools = wb[names[1]]
    header = [c.value for c in schools[1]]
    assert header[1:8] == INDICATORS
    assert schools.max_row == 1 + 5
    assert schools["C3"].value == 0.4 and schools["C3"].number_format == '0.0" 人/百人"'
    cv = wb[names[2]]
    assert cv.max_row == 1 + 14
    rows = list(cv.iter_rows(min_row=2, values_only=True))
    failing = next(
        r
        for r in rows
        if r[0] == "差异系数_骨干教师"
        and "小学" in str(r[2])
        or r[0] == "差异系数_骨干教师"
        and "primary" in str(r[2])
    )
    assert round(failing[3], 3) == 0.519 and failing[4] == 0.5 and round(failing[5], 3) == -0.019
    assert failing[9] is not None and "育人小学" in failing[9]


def test_json_carries_values_comparisons_and_notes(report: Report) -> None:
    """The JSON document has the per-entity values and comparisons, the notes and the
    dispositions, and validates against the published schema."""
    import json

    import jsonschema

    schema = json.loads(
        (REPO / "docs" / "schema" / "eduint-report-v2.schema.json").read_text(encoding="utf-8")
    )
    doc = json.loads(reporting.dump_json(report))
    jsonschema.validate(doc, schema)
    school = next(i for i in doc["items"] if i["id"] == "学校达标")
    first = school["entities"][0]
    assert [v["name"] for v in first["shown"]] == INDICATORS
    assert first["shown"][1]["value"] == {"value": 1.5, "exact": "3/2", "unit": "人/百人"}
    assert sum(1 for c in first["comparisons"] if c["group"] == "at_least") == 7
    assert doc["dispositions"][-1]["reason"]["code"] == "left_out_special"


def test_html_has_the_school_and_cv_tables(report: Report) -> None:
    """The HTML page shows the school table, the 差异系数 table and the contributors, escaped."""
    page = reporting.html_report(report)
    assert "<h2>学校指标：学校达标" in page
    assert "<h2>差异系数</h2>" in page
    assert "骨干教师：0.4 人/百人 &lt; 1 人/百人" in page
    assert "方差主要来源：育人小学 小学 50.1%" in page


def test_cli_json_validates_and_carries_the_tables_data(county_file: Path) -> None:
    """``--format json`` validates against the schema; the CV values and the notes are in it."""
    import json

    import jsonschema

    result = run("check", county_file.name, "--rules", str(RULES), "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    schema = json.loads(
        (REPO / "docs" / "schema" / "eduint-report-v2.schema.json").read_text(encoding="utf-8")
    )
    jsonschema.validate(doc, schema)
    cv = next(i for i in doc["items"] if i["id"] == "差异系数_骨干教师")
    assert [e["outcome"] for e in cv["entities"]] == ["未达到", "达到"]
    shares = [n for e in cv["entities"] for n in e["notes"] if n["code"] == "cv_shares"]
    assert shares and shares[0]["message"].startswith("方差主要来源：")
