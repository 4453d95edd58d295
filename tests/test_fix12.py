"""Defects a fresh review of main found after issues 11–13 and 15 (fix12), end to end
through ``eduint check``/``eduint lint`` on the bundled examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from eduint import cli
from eduint.reporting.layout import draw_table

REPO = Path(__file__).resolve().parents[1]


def _cli(*args: str, columns: int = 400) -> tuple[int, str]:
    """Run ``eduint``; by default a wide "terminal", so that no table cell is wrapped."""
    result = CliRunner().invoke(cli.main, list(args), env={"COLUMNS": str(columns)})
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout


def _lines(text: str, *needles: str) -> list[str]:
    return [line for line in text.splitlines() if all(n in line for n in needles)]


# ------------------------------------------------------------------ 1. at_least with a floor


def test_a_failing_floor_is_the_evidence_labelled_as_the_floor() -> None:
    """石桥乡中心小学 小学 meets 6 of 7 but its 骨干教师 is under the 85 % floor: the
    evidence is the floor comparison (0.735 < 0.85), not the counted one (0.735 < 1)."""
    _, out = _cli(
        "check",
        "--example",
        "synthetic-county-2019",
        "--rules",
        "youzhi_junheng_2017",
        "--detail",
        "--wrap",
        "400",
    )
    (row,) = [r for r in _lines(out, "学校达标", "石桥乡中心小学 小学", "未达到") if "人/百人" in r]
    assert "骨干教师：0.735 人/百人 < 0.85 人/百人（85% 下限）" in row
    assert "< 1 人/百人" not in row
    assert "-0.115 人/百人" in row


def test_a_passing_school_note_does_not_start_with_not_met() -> None:
    _, out = _cli(
        "check",
        "--example",
        "synthetic-county-2019",
        "--rules",
        "youzhi_junheng_2017",
        "--detail",
        "--wrap",
        "400",
    )
    (row,) = _lines(out, "城关第二小学 小学", "2294.686")
    assert "未达到" not in row
    assert "6/7 达到；教学用房：3.825 平方米/人 < 4.5 平方米/人，在 85% 下限之上" in row
    (failing,) = _lines(out, "石桥乡中心小学 小学", "2205.882")
    assert failing.count("骨干教师") == 1 and "（85% 下限）" in failing


# ------------------------------------------------------------------ 2. text layout


def _width(text: str) -> int:
    return max(wcswidth(line) for line in text.splitlines())


def _run_default(*args: str) -> str:
    """Run ``eduint`` as when its output is not a terminal (fitted to 100 columns)."""
    result = CliRunner().invoke(cli.main, list(args), env={"COLUMNS": None})
    assert "Traceback" not in result.output, result.output
    return result.stdout


def test_english_words_are_never_split() -> None:
    """Every space-separated word of the fitted English report is a word of the same
    report unwrapped: nothing like ``provis``/``ional`` or ``〔2016``/``〕40号``."""
    args = ("check", "--example", "baoshan-2018", "--detail", "--lang", "en")
    whole = set(_cli(*args, "--wrap", "1000")[1].split())
    fitted = _run_default(*args)
    # English words only: Chinese may break between characters, rules are dashes
    pieces = {w for w in set(fitted.split()) - whole if w.isascii() and w.strip("-")}
    assert not pieces, sorted(pieces)[:20]
    assert "国发" in fitted and "〔2016〕40号" in _cli(*args, "--wrap", "1000")[1]
    assert not any(line.rstrip().endswith("〔2016") for line in fitted.splitlines())


def test_chinese_default_fits_100_and_gives_the_requirement_a_fair_share() -> None:
    out = _run_default("check", "--example", "baoshan-2018")
    assert _width(out) <= 100
    header, rule = [ln for ln in out.splitlines() if ln.startswith("章节")][0], None
    lines = out.splitlines()
    rule = lines[lines.index(header) + 1]
    widths = [len(dashes) for dashes in rule.split()]
    assert header.split()[2] == "要求" and widths[2] >= 14, widths
    assert not any("〔2016" in ln and "〔2016〕" not in ln for ln in lines)


def test_a_table_fits_its_width_at_spaces_when_it_can() -> None:
    text = "provisional, self-assessment differs"
    table = draw_table(
        ["requirement", "flags"],
        [["Urban and rural schools funded by one base quota", text]] * 2,
        width=40,
    )
    assert _width(table) <= 40
    words = set(text.split()) | set("Urban and rural schools funded by one base quota".split())
    assert set(table.split()) - {"-" * n for n in range(1, 41)} <= words | {"requirement", "flags"}


# ------------------------------------------------------------------ 3. --wrap help


def test_wrap_help_states_the_fitted_default() -> None:
    _, out = _cli("check", "--help", columns=200)
    text = " ".join(out.split())
    assert "no wrapping" not in text
    assert "fitted to the terminal's width (100 columns when the output is not a terminal)" in text


# ------------------------------------------------------------------ 4. layering


BASE = REPO / "tests" / "golden" / "check_invalid" / "parents" / "base.rules"


def _child(tmp: Path, body: str, name: str = "child.rules") -> Path:
    (tmp / "parents").mkdir(exist_ok=True)
    (tmp / "parents" / "base.rules").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp / name
    path.write_text(
        'ruleset 省 "省级细则" {\n  extends "parents/base.rules"\n}\n\n' + body, encoding="utf-8"
    )
    return path


def test_scope_hints_use_the_languages_spelling(tmp_path: Path) -> None:
    child = _child(tmp_path, "override 差异系数 {\n  scope school\n}\n")
    result = CliRunner().invoke(cli.main, ["lint", str(child)])
    text = result.output
    assert result.exit_code != 0 and "E319" in text, text
    assert "keep scope county segment;" in text and "county_segment" not in text


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        ('drop 国家\n\nrelax value 定额 = 500 元/人 because "财力"\n', "5:8", "at the end"),
        ("drop 国家\n", "5:8", "at the end"),
        ("drop 国家\n\n# 注释\noverride 班额 {\n  margin 1\n}\n", "5:8", "at the end"),
        (
            'relax value 定额 = 500 元/人 until 2020-01-01\n\ndrop 国家 because "x"\n',
            "5:26",
            "before 'until'",
        ),
    ],
)
def test_a_missing_because_is_reported_at_its_statement(
    tmp_path: Path, body: str, where: str, message: str
) -> None:
    child = _child(tmp_path, body)
    result = CliRunner().invoke(cli.main, ["lint", str(child)])
    text = result.output
    assert result.exit_code != 0
    assert f"child.rules:{where}: error[E002]: missing 'because' {message}" in text, text
    assert "unexpected keyword" not in text and text.count("error[") == 1
    assert "require because" in text


STRICTNESS = REPO / "tests" / "golden" / "strictness" / "parent.rules"


@pytest.mark.parametrize(
    ("limit", "marks", "absent"),
    [
        ("55 人", ["looser (relaxed)"], ["same (relaxed)"]),
        ("45 人", ["stricter (does not loosen, W302)"], ["(relaxed)"]),
    ],
)
def test_lint_strictness_agrees_in_both_forms_and_marks_only_what_changed(
    tmp_path: Path, limit: str, marks: list[str], absent: list[str]
) -> None:
    (tmp_path / "parent.rules").write_text(STRICTNESS.read_text(encoding="utf-8"), "utf-8")
    child = tmp_path / "child.rules"
    child.write_text(
        'ruleset 示例省 "示例" {\n  extends "parent.rules"\n}\n\n'
        f'relax value 班额上限.初中 = {limit} because "省财力"\n',
        encoding="utf-8",
    )
    alone = CliRunner().invoke(cli.main, ["lint", "--strictness", str(child)])
    both = CliRunner().invoke(
        cli.main, ["lint", "--strictness", str(tmp_path / "parent.rules"), str(child)]
    )
    assert alone.exit_code == both.exit_code == 0, (alone.output, both.output)
    for out in (alone.output, both.output):
        rows = {
            line.split()[2]: line for line in out.splitlines() if line.startswith("value 班额上限")
        }
        assert rows["小学"].split()[-1] == "same", out
        assert all(m in rows["初中"] for m in marks), out
        assert not any(a in out for a in absent), out
    assert alone.output.splitlines()[2:] == both.output.splitlines()[2:]


RESOURCE = REPO / "rules" / "youzhi-junheng-2017-resource.rules"


def _province(tmp: Path, relax: str) -> Path:
    """docs/language.md's layout: national/优质均衡.rules, and guangdong/广东.rules that
    ``extends "../national/优质均衡.rules"``."""
    (tmp / "national").mkdir()
    (tmp / "guangdong").mkdir()
    (tmp / "national" / "优质均衡.rules").write_text(RESOURCE.read_text("utf-8"), "utf-8")
    child = tmp / "guangdong" / "广东.rules"
    child.write_text(
        'ruleset 广东资源 "广东（示例）" {\n  extends "../national/优质均衡.rules"\n}\n\n'
        f'relax value 差异系数上限.初中 = {relax} because "粤教督〔2020〕1号 第七条"\n',
        encoding="utf-8",
    )
    return child


def test_rule_root_makes_the_docs_extends_example_true(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    child = _province(tmp_path, "0.50")
    monkeypatch.chdir(tmp_path)
    plain = CliRunner().invoke(cli.main, ["lint", "guangdong/广东.rules"])
    assert plain.exit_code == 2 and "E314" in plain.output and "--rule-root" in plain.output
    rooted = CliRunner().invoke(cli.main, ["lint", "--rule-root", "national", str(child)])
    assert rooted.exit_code == 0 and "ok (广东资源" in rooted.output, rooted.output
    proof = CliRunner().invoke(
        cli.main, ["lint", "--strictness", "--rule-root", "national", "guangdong/广东.rules"]
    )
    assert proof.exit_code == 0 and "looser (relaxed)" in proof.output, proof.output
    code, out = _cli(
        "check",
        "--example",
        "synthetic-county-2019",
        "--rules",
        "guangdong/广东.rules",
        "--rule-root",
        "national",
    )
    assert code in (0, 1) and "广东（示例）（广东资源）" in out
    assert "--rule-root DIR" in _cli("check", "--help")[1]
    assert "--rule-root" in (REPO / "docs" / "language.md").read_text("utf-8")


def test_a_relax_that_tightens_says_so_in_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _province(tmp_path, "0.40")
    monkeypatch.chdir(tmp_path)
    code, out = _cli(
        "check",
        "--example",
        "synthetic-county-2019",
        "--rules",
        "guangdong/广东.rules",
        "--rule-root",
        "national",
    )
    (row,) = [ln for ln in out.splitlines() if ln.startswith("放宽") and "差异系数上限" in ln]
    assert "更严（并未放宽，W302）" in row, row


# ------------------------------------------------------------------ 5. section_rows


def test_section_rows_gives_list_sections_and_refuses_unknown_keys() -> None:
    import eduint
    from eduint import reporting

    result = eduint.run(None, REPO / "examples" / "baoshan-2018.yaml")
    (one,) = result.counties
    doc = reporting.build_document(one.report, problems=one.problems, load=one.load)
    overall = reporting.section_rows(doc, "overall")
    assert len(overall) == 1 and overall[0]["内容"].startswith("总体结论：")
    provisional = reporting.section_rows(doc, "provisional", lang="en")
    assert provisional and all(set(r) == {"text"} and r["text"] for r in provisional)
    assert reporting.section_rows(doc, "warnings") or doc.section("warnings") is None
    with pytest.raises(ValueError, match="unknown section key 'overal'"):
        reporting.section_rows(doc, "overal")


# ------------------------------------------------------------------ 6. rules show


def test_rules_show_words_kinds_and_combine_in_both_languages() -> None:
    _, zh = _cli("rules", "show", "youzhi_junheng_2017")
    _, en = _cli("rules", "show", "youzhi_junheng_2017", "--lang", "en")
    words = {w for line in zh.splitlines() for w in line.split()}
    assert not words & {"block", "rule", "item", "part", "worst", "attested"}, zh
    assert "板块  资源配置" in zh and "取最差" in zh
    assert any(ln.split()[:2] == ["block", "资源配置"] and "worst" in ln for ln in en.splitlines())
    assert "county segment [小学, 初中]" in en


# ------------------------------------------------------------------ 7. CSV and HTML


def test_csv_plain_ids_data_file_always_with_warnings_and_provisional(tmp_path: Path) -> None:
    import csv

    out = tmp_path / "b.csv"
    _cli("check", "--example", "baoshan-2018", "--format", "csv", "-o", str(out))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    part = next(r for r in rows if r["项目"] == "2.1")
    assert part["所属条目"] == "2" and not any(r["项目"].startswith(" ") for r in rows)
    data = tmp_path / "b.data.csv"
    assert data.is_file()  # written although the load has no problem
    with data.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0][:2] == ["类型", "代码"]
    provisional = [r for r in lines[1:] if r[0] == "暂定值"]
    assert provisional and "基准定额" in provisional[0][-1]
    # a workbook: the row counts are in the data file
    book = tmp_path / "w.csv"
    _cli(
        "check",
        str(REPO / "examples" / "synthetic-county-2019.xlsx"),
        "--format",
        "csv",
        "-o",
        str(book),
    )
    with (tmp_path / "w.data.csv").open(encoding="utf-8-sig", newline="") as fh:
        kinds = [r[0] for r in csv.reader(fh)]
    assert "读取行数" in kinds and "问题" in kinds


def test_chinese_html_has_its_data_problems_heading_when_there_are_none(tmp_path: Path) -> None:
    page = tmp_path / "b.html"
    _cli("check", "--example", "baoshan-2018", "--format", "html", "-o", str(page))
    html = page.read_text("utf-8")
    assert "<h2>数据问题</h2>" in html and "数据问题：无" in html


# ------------------------------------------------------------------ 9. 暂定 on every CV row


@pytest.mark.parametrize("rules", ["youzhi_junheng_2017", "youzhi_junheng_2017_resource"])
def test_every_decided_cv_row_is_provisional(rules: str) -> None:
    """差异系数_仪器设备 is 缺少数据 (its 小学 lacks a figure), so the item is not 暂定; its
    初中 row is decided on the same provisional settings as every other CV and says so."""
    _, out = _cli("check", "--example", "synthetic-county-2019", "--rules", rules, "--wrap", "400")
    rows = [ln for ln in out.splitlines() if ln.startswith("差异系数_") and "示例县" in ln]
    decided = [r for r in rows if " 达到 " in r or "未达到" in r]
    assert len(decided) >= 13
    assert all("暂定" in r for r in decided), [r for r in decided if "暂定" not in r]


# ------------------------------------------------------------------ 8. comparisons named


def test_item_comparisons_are_named_and_a_failure_at_the_bound_shows_the_requirement() -> None:
    _, zh = _cli("check", "--example", "synthetic-county-2019", "--detail", "--wrap", "400")
    _, en = _cli(
        "check", "--example", "synthetic-county-2019", "--detail", "--wrap", "400", "--lang", "en"
    )
    (r19,) = [ln for ln in zh.splitlines() if ln.startswith("19.2 ") and "未达到" in ln]
    assert "超大班额班级数：1 > 0" in r19
    (r17,) = [ln for ln in zh.splitlines() if ln.startswith("17.1 ") and "未达到" in ln]
    assert "90%，要求 > 90%" in r17 and "<=" not in r17
    assert "90%, required > 90%" in en


def test_dispositions_and_missing_reasons_are_not_repeated() -> None:
    _, out = _cli("check", "--example", "synthetic-county-2019", "--detail", "--wrap", "400")
    assert len([ln for ln in out.splitlines() if ln.startswith("石桥乡中心小学 初中")]) == 1
    _, bao = _cli("check", "--example", "baoshan-2018", "--detail", "--wrap", "400")
    rows = [ln.split(None, 2)[2] for ln in bao.splitlines() if ln.startswith("19.2 ")]
    assert len(rows) == len(set(rows)) and len(rows) <= 6, rows
    assert sum("宝山村学校：未提供分学段数据" in r for r in rows) == 1
    assert any("超大班额班级数、大班额班级数：缺少数据（原因见上）" in r for r in rows)
