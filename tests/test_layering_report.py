"""Issue 15: the report of a rule set that extends another shows its layering in every
format — what it extends, every change (kind, verdict, citation, expiry, lapsed) and,
for each item, the rule sets that set it — with every word from the catalogue in
Chinese and English.  A report of a rule set that extends none is unchanged (the
golden reports of ``tests/test_reporting.py`` pin that).

The goldens under ``tests/golden/reports/layering-*`` hold the layering section of
``eduint check --example synthetic-county-2019 --rules gd.rules`` (text, both languages)
and its ``.layering.csv``.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from eduint import cli

GOLDEN = Path(__file__).parent / "golden" / "reports"
SCHEMA = Path(__file__).parents[1] / "docs" / "schema" / "eduint-report-v2.schema.json"

CHILD = """\
ruleset 广东资源 "广东省资源配置（示例）" {
  extends youzhi_junheng_2017_resource
}

document 粤教督2020 "广东省实施办法（示例）" {
  number "粤教督〔2020〕1号"
}

relax 差异系数_高学历教师 {
  require cv(per100(高于规定学历教师数, 在校生数) over 学段) <= 0.60
} because 粤教督2020 "第七条" until UNTIL

override 差异系数_骨干教师 {
  require cv(per100(县级以上骨干教师数, 在校生数) over 学段) <= 0.40
}
"""
CITATION = "粤教督〔2020〕1号 第七条"
RULE_060 = "cv(per100(高于规定学历教师数, 在校生数) over 学段) <= 0.60; [小学, 初中]"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with the provincial file ``gd.rules`` (relaxation until 2025)."""
    (tmp_path / "gd.rules").write_text(CHILD.replace("UNTIL", "2025-12-31"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(*args: str) -> str:
    result = CliRunner().invoke(
        cli.main,
        ["check", "--example", "synthetic-county-2019", "--rules", "gd.rules", *args],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _section(text: str, title: str) -> str:
    """The text section headed ``title`` (up to the next blank line)."""
    return title + text.split("\n" + title, 1)[1].split("\n\n", 1)[0] + "\n"


def _golden(name: str, actual: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs (pytest --update-golden)"


def test_text_lists_what_the_file_extends_and_every_change(here: Path, update_golden: bool) -> None:
    """The relaxation with its citation and expiry, the stricter override, the parent by
    id and file; the summary names who set each item (广东资源 for the changed rules)."""
    out = _check()
    section = _section(out, "分层：所扩展的规则集与本文件的改动")
    assert (
        "扩展：县域义务教育优质均衡发展督导评估：资源配置（youzhi_junheng_2017_resource" in section
    )
    relax = next(line for line in section.splitlines() if line.startswith("放宽"))
    for word in ("差异系数_高学历教师", "更宽", CITATION, "2025-12-31", "有效", "gd.rules:9"):
        assert word in relax
    assert re.search(r"^覆盖\s+规则 差异系数_骨干教师.*更严", section, re.M)
    assert "改动 2 项；放宽或删除（均引依据）1 项" in section
    head = out.splitlines()[3]
    assert head.split()[-1] == "设定于"
    rows = {line.split()[1]: line.split()[-1] for line in out.splitlines()[5:13]}
    assert rows["差异系数_高学历教师"] == "广东资源"
    assert rows["差异系数_体艺教师"] == "youzhi_junheng_2017_resource"
    _golden("layering-zh.txt", section, update_golden)


def test_english_words_come_from_the_catalogue(here: Path, update_golden: bool) -> None:
    """With ``--lang en`` the layering section holds Chinese only in what authors wrote:
    rule text, names, the citation and the parent's title."""
    section = _section(_check("--lang", "en"), "Layering: the rule sets extended")
    assert "relaxation" in section and "looser" in section and "in force" in section
    rest = section
    for authored in (
        "县域义务教育优质均衡发展督导评估：资源配置",
        "广东资源",
        CITATION,
        "差异系数_高学历教师",
        "差异系数_骨干教师",
    ):
        rest = rest.replace(authored, "")
    rest = re.sub(r"cv\(.*?\]", "", rest.replace("\n", " "))  # rule text, wrapped or not
    assert not re.findall(r"[\u4e00-\u9fff]", rest), rest
    _golden("layering-en.txt", section, update_golden)


def test_a_lapsed_relaxation_is_shown_as_lapsed(here: Path) -> None:
    """The data's date (2021-06-30) is past ``until``: the parent's rule applies, and the
    report says so."""
    (here / "gd.rules").write_text(CHILD.replace("UNTIL", "2020-12-31"), encoding="utf-8")
    out = _check()
    section = _section(out, "分层：所扩展的规则集与本文件的改动")
    relax = next(line for line in section.splitlines() if line.startswith("放宽"))
    assert "已过期，按上级规定" in relax and "已过期（按上级规定核算）1 项" in section


def test_json_carries_extends_changes_and_set_by_and_validates(here: Path) -> None:
    _check("--format", "json", "-o", "out.json")
    doc = json.loads((here / "out.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    (parent,) = doc["extends"]
    assert parent["id"] == "youzhi_junheng_2017_resource"
    relax, override = doc["changes"]
    assert (relax["kind"], relax["verdict"], relax["until"], relax["lapsed"]) == (
        "relax",
        "looser",
        "2025-12-31",
        False,
    )
    assert relax["because"]["number"] == "粤教督〔2020〕1号" and relax["new"] == RULE_060
    assert (override["kind"], override["verdict"]) == ("override", "stricter")
    items = {i["id"]: i for i in doc["items"]}
    assert [o["ruleset"] for o in items["差异系数_高学历教师"]["set_by"]] == ["广东资源"]
    assert items["差异系数_高学历教师"]["set_by"][0]["line"] == 9


def test_csv_writes_the_changes_beside_the_summary(here: Path, update_golden: bool) -> None:
    _check("--format", "csv", "-o", "out.csv")
    with (here / "out.csv").open(encoding="utf-8-sig", newline="") as fh:
        summary = list(csv.reader(fh))
    assert summary[0][-1] == "设定于"
    changes = (here / "out.layering.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(changes.splitlines()))
    assert rows[0][:2] == ["改动", "名称"] and rows[1][0] == "放宽" and rows[1][6] == CITATION
    _golden("layering.csv", changes, update_golden)


def test_xlsx_has_a_layering_sheet_and_names_the_parent(here: Path) -> None:
    from openpyxl import load_workbook

    _check("--format", "xlsx", "-o", "out.xlsx", "--lang", "en")
    wb = load_workbook(here / "out.xlsx")
    ws = wb["Layering"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][:3] == ["change", "name", "period"]
    assert rows[1][0] == "relaxation" and rows[1][6] == CITATION and rows[1][7] == "2025-12-31"
    facts = [str(c.value) for r in wb["Provenance"].iter_rows() for c in r]
    assert any("extends" in f and "youzhi_junheng_2017_resource" in f for f in facts)
    summary = [c.value for c in next(wb["Summary"].iter_rows())]
    assert summary[-1] == "set by"


def test_html_has_the_layering_section(here: Path) -> None:
    _check("--format", "html", "-o", "out.html")
    page = (here / "out.html").read_text(encoding="utf-8")
    section = page.split('<section class="layering">', 1)[1].split("</section>", 1)[0]
    assert "<h2>分层：所扩展的规则集与本文件的改动</h2>" in section
    assert "<td>放宽</td>" in section and CITATION in section and "<td>更严</td>" in section
    assert "<th>设定于</th>" in page


PROVINCE_2012 = """\
ruleset 示例省2012 "示例省基本均衡（示例）" {
  extends jiben_junheng_2012
}

document 省标准 "示例省义务教育学校办学基本标准" {
  number "示教〔2013〕2号"
}

override 办学基本标准 {
  require 在校生数 >= 1 人
}

relax setting subtract_indoor_sports = true because 省标准 "第三条" until 2019-12-31

drop 满意度 because 省标准 "第九条"
"""


def test_a_placeholder_a_setting_and_a_drop_are_worded_in_both_languages(tmp_path: Path) -> None:
    """A replaced placeholder (its own kind, not compared), a setting by its label with
    its value worded (是/否, yes/no), a drop with its citation, and the parent's English
    title in English."""
    import eduint
    from eduint import reporting
    from eduint.engine.evaluator import evaluate

    path = tmp_path / "province.rules"
    path.write_text(PROVINCE_2012, encoding="utf-8")
    rs = eduint.load_ruleset(path)
    county = eduint.load_county_text("name: 甲县\nas_of: 2021-09-01\nschools: []\n").county
    report = evaluate(rs, county)
    en = _section(reporting.text_report(report, lang="en"), "Layering:")
    assert "Basic balanced development of county compulsory education (2012)" in en
    assert re.search(
        r"^placeholder filled\s+rule 办学基本标准.*placeholder \(not compared\)", en, re.M
    )
    assert re.search(r"^relaxation\s+setting subtract indoor sports rooms\s+no\s+yes\s", en, re.M)
    assert "lapsed: the parent's rule applies" in en
    assert re.search(
        r"^dropped\s+rule 满意度.*\(dropped\)\s+looser\s+示教〔2013〕2号 第九条", en, re.M
    )
    zh = _section(reporting.text_report(report), "分层：")
    assert re.search(r"^填充占位\s+规则 办学基本标准.*占位（不比宽严）", zh, re.M)
    assert re.search(r"^放宽\s+设置 室内体育用房扣除\s+否\s+是\s", zh, re.M)
    assert re.search(r"^删除\s+规则 满意度.*（删除）\s+更宽\s+示教〔2013〕2号 第九条", zh, re.M)
    assert "放宽或删除（均引依据）2 项" in zh
