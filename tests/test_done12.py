"""Issue 12, "Done means", end to end through ``eduint check`` on the bundled examples.

The items other modules already hold are listed in the integration report; these are
the ones that need the command itself: the class-size rule set on the Baoshan example,
the synthetic county's 17.1 with its ``>``, ``--set`` listed in every format, the
command being a shell over :func:`eduint.run`, and the load's notices and row counts in
every output format (with the 差异系数's D040 note beside the CV table).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
import yaml
from click.testing import CliRunner

import eduint
from eduint import cli

REPO = Path(__file__).resolve().parents[1]
SYNTHETIC = REPO / "examples" / "synthetic-county-2019.yaml"
WORKBOOK = REPO / "examples" / "synthetic-county-2019.xlsx"
REPORT_SCHEMA = REPO / "docs" / "schema" / "eduint-report-v2.schema.json"
RESOURCE = "youzhi-junheng-2017-resource"


def _cli(*args: str) -> tuple[int, str, str]:
    """Run ``eduint``; a wide "terminal", so that no table cell is wrapped."""
    result = CliRunner().invoke(cli.main, list(args), env={"COLUMNS": "400"})
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


def _row(text: str, first: str) -> list[str]:
    """The cells of the table row of ``text`` whose first cells start with ``first``."""
    for line in text.splitlines():
        if line.split() and line.split()[0] == first:
            return line.split()
    raise AssertionError(f"no row {first!r}")


# ------------------------------------------------------------------ answers by rule set


@pytest.fixture
def class_size(tmp_path: Path) -> Path:
    rules = tmp_path / "class-size.rules"
    rules.write_text(
        'ruleset class_size "班额" {\n}\n\nitem 1 "班额不超过40人" {\n  scope class\n'
        "  require 班额 <= 40 人\n}\n",
        encoding="utf-8",
    )
    return rules


def test_the_baoshan_answers_do_not_serve_a_class_size_rule_set(class_size: Path) -> None:
    """The one-item class-size file on the Baoshan example: item 1 is 缺少数据 (no class
    list), no answer is used (自评 ``-``), one line says that the Baoshan answers belong
    to another rule set, and ``--strict`` exits 1."""
    code, out, err = _cli("check", "--example", "baoshan-2018", "--rules", str(class_size))
    assert code == 0, err
    assert _row(out, "1")[1:5] == ["班额不超过40人", "-", "缺少数据", "缺少数据"]
    assert out.count("数据中属于其他规则集的自评未采用：chengxiang_yitihua_2018（36条）") == 1
    assert "对不上" not in out  # no answer is said to match no item either
    strict, _, _ = _cli(
        "check", "--example", "baoshan-2018", "--rules", str(class_size), "--strict"
    )
    assert strict == 1
    _, doc, _ = _cli(
        "check", "--example", "baoshan-2018", "--rules", str(class_size), "--format", "json"
    )
    warnings = [w["code"] for w in json.loads(doc)["warnings"]]
    assert warnings == ["foreign_answers"]


# ------------------------------------------------------------------ comparators


def test_the_synthetic_county_17_1_shows_its_strict_comparator() -> None:
    """``require 校舍竣工率 > 90%`` with exactly 90 %: 未达到 beside 90% and ``> 90%``
    (the comparator is shown, so the figures agree with the verdict)."""
    _, out, _ = _cli("check", "--example", "synthetic-county-2019", "--detail")
    part = next(line.split() for line in out.splitlines() if line.split()[1:2] == ["17.1"])
    assert part[3:9] == ["达到", "未达到", "未达到", "90%", ">", "90%"]
    detail = next(line for line in out.splitlines() if line.startswith("17.1 "))
    # failed at the bound: the requirement's own comparator, not "90% <= 90%" (fix12)
    assert "90%，要求 > 90%" in detail and "<=" not in detail


# ------------------------------------------------------------------ --set


def test_set_of_a_setting_and_a_keyed_value_changes_verdicts_and_is_listed(
    tmp_path: Path,
) -> None:
    """``--set 差异系数上限.小学=0.51 --set cv_over_available=true``: 骨干教师's CV and
    仪器设备's CV become 达到 (nothing else changes), and each override is listed by its
    label in the text, HTML, JSON, XLSX and CSV reports, marked as an uncited
    relaxation."""
    base = ["check", "--example", "synthetic-county-2019", "--rules", RESOURCE]
    sets = ["--set", "差异系数上限.小学=0.51", "--set", "cv_over_available=true"]
    _, plain, _ = _cli(*base)
    _, changed, _ = _cli(*base, *sets)

    def heads(*extra: str) -> dict[str, str]:
        _, doc, _ = _cli(*base, *extra, "--format", "json")
        return {i["id"]: i["headline"] for i in json.loads(doc)["items"]}

    before, after = heads(), heads(*sets)
    assert (before["差异系数_骨干教师"], after["差异系数_骨干教师"]) == ("未达到", "达到")
    assert (before["差异系数_仪器设备"], after["差异系数_仪器设备"]) == ("缺少数据", "达到")
    assert {k for k in before if before[k] != after[k]} == {
        "差异系数_骨干教师",
        "差异系数_仪器设备",
    }
    assert "本次运行改动的设置与取值" not in plain
    listed = changed.split("本次运行改动的设置与取值", 1)[1]
    assert _row(listed, "校际差异系数上限.小学")[1:] == ["取值", "0.50", "0.51", "更宽（未引依据）"]
    assert _row(listed, "差异系数按有数据学校计算")[1:] == [
        "设置",
        "否",
        "是",
        "改变方法（未引依据）",
    ]
    _, en, _ = _cli(*base, *sets, "--lang", "en")
    assert "inter-school CV limit.primary" in en and "looser (uncited)" in en
    _, html, _ = _cli(*base, *sets, "--format", "html")
    assert "校际差异系数上限.小学" in html and "改变方法（未引依据）" in html
    _, doc, _ = _cli(*base, *sets, "--format", "json")
    names = [(o["name"], o["key"], o["verdict"]) for o in json.loads(doc)["overrides"]]
    assert names == [("差异系数上限", "小学", "looser"), ("cv_over_available", None, "method")]
    code, _, _ = _cli(*base, *sets, "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    assert code == 1
    book = tmp_path / "r.xlsx"
    cells = [[c.value for c in row] for row in openpyxl.load_workbook(book)["本次改动"].iter_rows()]
    assert ["校际差异系数上限.小学", "取值", "0.50", "0.51", "更宽（未引依据）"] in cells
    _cli(*base, *sets, "--format", "csv", "-o", str(tmp_path / "r.csv"))
    csv_lines = (tmp_path / "r.overrides.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv_lines[1:] == [
        "校际差异系数上限.小学,取值,0.50,0.51,更宽（未引依据）",
        "差异系数按有数据学校计算,设置,否,是,改变方法（未引依据）",
    ]


def test_check_is_a_shell_over_eduint_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """``eduint check`` evaluates through :func:`eduint.run` (it holds no evaluation of
    its own): with ``run`` replaced, the command shows what the replacement returns."""
    calls: list[tuple[Any, ...]] = []
    real = eduint.run

    def spy(*args: Any, **kwargs: Any) -> eduint.RunResult:
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(eduint, "run", spy)
    code, out, _ = _cli("check", "--example", "synthetic-county-2019", "--set", "大班额比例上限=5%")
    assert code == 1 and out
    ((args, kwargs),) = calls
    assert str(args[1]).endswith("synthetic-county-2019.yaml")
    assert kwargs["overrides"] == ("大班额比例上限=5%",)


# ------------------------------------------------------------------ notices and counts


@pytest.fixture
def undeclared(tmp_path: Path) -> Path:
    """The synthetic county with its school list not declared complete (a D040 notice)."""
    data = yaml.safe_load(SYNTHETIC.read_text(encoding="utf-8"))
    data.pop("schools_complete")
    path = tmp_path / "undeclared.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_notices_appear_in_every_format(undeclared: Path, tmp_path: Path) -> None:
    """D040 (the school list not declared complete) and D012 (fields of another rule
    set) are in the text (a notices table, and the D040 note right below the CV table
    saying how to declare the list), HTML, JSON (``data_notices``, valid against the
    schema), CSV (``.data.csv``) and XLSX (a 数据说明 sheet)."""
    base = ["check", str(undeclared), "--rules", RESOURCE]
    code, out, _ = _cli(*base)
    assert code == 1
    cv_section = out.split("\n\n差异系数\n", 1)[1].split("\n\n", 1)[0]
    note = cv_section.splitlines()[-1]  # right below the CV table
    assert note.startswith("说明（D040）：学校名单未声明完整，因此各差异系数为缺少数据")
    assert "“学校名单完整”列" in note and "--complete" in note
    notices = out.split("数据说明（共 3 条）", 1)[1]
    assert [line.split()[0] for line in notices.strip().splitlines()[2:5]] == [
        "D040",
        "D012",
        "D012",
    ]
    _, en, _ = _cli(*base, "--lang", "en")
    assert "Note (D040): the school list is not declared complete" in en
    assert "Data notes (3)" in en
    _, html, _ = _cli(*base, "--format", "html")
    assert "数据说明（共 3 条）" in html and "说明（D040）" in html
    _, doc, _ = _cli(*base, "--format", "json")
    report = json.loads(doc)
    jsonschema.validate(report, json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))
    assert [n["code"] for n in report["data_notices"]] == ["D040", "D012", "D012"]
    assert all(v is None for v in report["load"].values())  # YAML: no rows counted
    _cli(*base, "--format", "csv", "-o", str(tmp_path / "r.csv"))
    data_csv = tmp_path / "r.data.csv"
    lines = data_csv.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(",")[:2] == ["类型", "代码"]
    # the notices, then the run's warnings and provisional values (kinds 警告, 暂定值)
    notes = [line.split(",")[:2] for line in lines[1:] if line.startswith("说明")]
    assert notes == [["说明", "D040"], ["说明", "D012"], ["说明", "D012"]]
    assert {line.split(",")[0] for line in lines[1:]} <= {"说明", "警告", "暂定值"}
    _cli(*base, "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    book = tmp_path / "r.xlsx"
    wb = openpyxl.load_workbook(book)
    codes = [r[0] for r in wb["数据说明"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["D040", "D012", "D012"]
    extra = [r for r in wb["来源"].iter_rows(values_only=True) if r[0] == "差异系数"]
    assert extra and str(extra[0][1]).startswith("说明（D040）")


def test_the_rows_read_used_and_rejected_appear_in_every_format(tmp_path: Path) -> None:
    """A workbook's row accounting is in the text, HTML, JSON (``load``), CSV
    (``.data.csv``) and XLSX (the provenance sheet) reports."""
    base = ["check", str(WORKBOOK)]
    _, out, _ = _cli(*base)
    counts = next(line for line in out.splitlines() if line.startswith("读取 "))
    assert "采用" in counts and "拒绝 1 行" in counts
    _, html, _ = _cli(*base, "--format", "html")
    assert counts in html
    _, doc, _ = _cli(*base, "--format", "json")
    load = json.loads(doc)["load"]
    assert load["rows_rejected"] == 1 and load["rows_read"] == load["rows_used"] + 1
    _cli(*base, "--format", "csv", "-o", str(tmp_path / "r.csv"))
    data_csv = tmp_path / "r.data.csv"
    rows = [line.split(",") for line in data_csv.read_text(encoding="utf-8-sig").splitlines()]
    value = rows[0].index("数值")
    assert [(r[0], r[value]) for r in rows[1:4]] == [
        ("读取行数", str(load["rows_read"])),
        ("采用行数", str(load["rows_used"])),
        ("拒绝行数", "1"),
    ]
    _cli(*base, "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    book = tmp_path / "r.xlsx"
    shown = [r for r in openpyxl.load_workbook(book)["来源"].iter_rows(values_only=True)]
    assert ("数据问题", counts) in [(r[0], r[1]) for r in shown]
