"""Tests for rule authors (issue 16): rule-test files, coverage, mutants, testgen,
the pytest plugin, and the bundled provincial files."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import eduint
from eduint.authoring.boundary import boundary_points, generate
from eduint.authoring.cases import AuthoringError, load_test_file
from eduint.authoring.coverage import coverage
from eduint.authoring.mutation import mutants, mutation_score
from eduint.authoring.runner import counties_of, load_rules, run_file
from eduint.cli import main
from eduint.engine.evaluator import evaluate

REPO = Path(__file__).resolve().parents[1]
PROVINCES = REPO / "rules" / "provinces"
FILES = ["guangdong-youzhi-2017", "guangdong-jiben-2012", "hebei-youzhi-2017-resource"]


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


# ---------------------------------------------------------------- Done means


@pytest.mark.slow
def test_provinces_full_coverage_and_mutation_score() -> None:
    """`eduint test rules/provinces/ --coverage --mutate` passes: 100 % each, per file,
    with the equivalent mutants listed apart."""
    code, out = _cli("test", str(PROVINCES), "--coverage", "--mutate")
    assert code == 0, out
    for name in FILES:
        block = out.split(f"{name}.tests.yaml")[1].split(".tests.yaml")[0]
        assert "阈值覆盖率：100.0%" in block, block
        assert "变异得分：100.0%" in block, block
        assert "等价" in block  # each file has equivalent mutants, listed apart
    assert "全部 3 个测试文件通过" in out


def test_provinces_english_output_has_no_chinese_words_of_ours() -> None:
    code, out = _cli(
        "test",
        str(PROVINCES / "hebei-youzhi-2017-resource.rules"),
        "--coverage",
        "--mutate",
        "--lang",
        "en",
    )
    assert code == 0
    assert "threshold coverage: 100.0% (2/2)" in out
    assert "mutation score: 100.0% (1/1 non-equivalent mutants killed; 1 equivalent)" in out


@pytest.mark.slow
def test_chinese_output_has_no_english_words() -> None:
    """The Chinese output carries rule text, paths and numbers, but no English words."""
    import re

    code, out = _cli(
        "test", str(PROVINCES / "guangdong-youzhi-2017.rules"), "--coverage", "--mutate"
    )
    assert code == 0
    out = re.sub(r"\S*\.(rules|yaml)\S*", "", out)  # file names
    out = out.replace("teaching_point_min_students", "")
    words = set(re.findall(r"[A-Za-z]{3,}", out))
    assert words <= {"per100", "ratio", "school", "REFERENCE"}, words


@pytest.mark.parametrize(
    ("day", "quota", "cited"),
    [
        ("2018-09-01", 950, "经费项（2014年省定标准）"),
        ("2020-09-01", 1150, "REFERENCE §5（示例：广东2019年起的标准未载）"),
    ],
)
def test_as_of_picks_the_dated_quota_with_its_citation(day: str, quota: int, cited: str) -> None:
    """The tightening file's funding quota differs by date, each period cited."""
    test = load_test_file(PROVINCES / "guangdong-youzhi-2017.tests.yaml")
    ruleset = load_rules(test)
    county = counties_of(test)[0]
    item = evaluate(ruleset, county, as_of=datetime.date.fromisoformat(day)).item("生均公用经费")
    primary = next(e for e in item.entities if e.entity.segment == "小学")
    assert primary.evidence is not None and primary.evidence.right is not None
    assert primary.evidence.right.value == quota
    assert any(s.text == cited for s in item.sources)


EDITS = {
    "guangdong-youzhi-2017": ("小学: 950 元/人", "小学: 940 元/人"),
    "guangdong-jiben-2012": ("= 4 平方米/人", "= 3.9 平方米/人"),
    "hebei-youzhi-2017-resource": ("= 50 人", "= 51 人"),
}


@pytest.mark.parametrize("name", FILES)
def test_editing_one_threshold_fails_the_suite(name: str, tmp_path: Path) -> None:
    shutil.copy(PROVINCES / f"{name}.tests.yaml", tmp_path)
    text = (PROVINCES / f"{name}.rules").read_text(encoding="utf-8")
    old, new = EDITS[name]
    assert text.count(old) == 1
    (tmp_path / f"{name}.rules").write_text(text.replace(old, new), encoding="utf-8")
    code, out = _cli("test", str(tmp_path))
    assert code == 1, out
    assert "未通过" in out and "应为" in out and "expected" not in out
    code, _ = _cli("test", str(PROVINCES / f"{name}.rules"))
    assert code == 0


def test_bundled_provinces_resolve_by_name() -> None:
    for name in (
        "guangdong_youzhi_2017",
        "provinces/guangdong-jiben-2012",
        "hebei-youzhi-2017-resource",
    ):
        assert eduint.load_ruleset(name).parents


# ---------------------------------------------------------------- the parts


def test_failure_shows_expected_actual_and_inputs(tmp_path: Path) -> None:
    shutil.copy(PROVINCES / "hebei-youzhi-2017-resource.rules", tmp_path / "hebei.rules")
    (tmp_path / "x.tests.yaml").write_text(
        "rules: hebei.rules\ncases:\n  - name: c\n    as_of: 2020-09-01\n    data:\n      name: 县\n"
        "      code: '1'\n      schools_complete: true\n      schools:\n"
        "        - {id: A, kind: 小学, segments: {小学: {students: 100, teachers_above_degree: 5}}}\n"
        "        - {id: B, kind: 小学, segments: {小学: {students: 100, teachers_above_degree: 50}}}\n"
        "    expect:\n      - {rule: 差异系数_高学历教师, entity: 1/小学, outcome: 达到}\n",
        encoding="utf-8",
    )
    result = run_file(load_test_file(tmp_path / "x.tests.yaml"))
    (case,) = result.cases
    assert not case.passed
    text = "\n".join(case.failures)
    assert "差异系数_高学历教师 [1/小学]: expected met, got not met" in text
    assert "<= 0.5 (fails)" in text
    assert "input A/小学 teachers_above_degree = 5 人" in text
    zh = "\n".join(run_file(load_test_file(tmp_path / "x.tests.yaml"), "zh").cases[0].failures)
    assert "差异系数_高学历教师 [1/小学]：应为达到，实为未达到" in zh
    assert "输入 A/小学 高于规定学历教师数 = 5 人" in zh


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("cases: []\n", 1, "'cases' must be a non-empty list"),
        (
            "cases:\n  - name: a\n    data: {name: x}\n    expect:\n      - {rule: r, outcome: 好}\n",
            5,
            "unknown outcome",
        ),
        (
            "cases:\n  - name: a\n    data: {name: x}\n    expect:\n      - {rule: r, outcom: 达到}\n",
            5,
            "outcom",
        ),
        (
            "cases:\n  - name: a\n    as_of: 2020-13-01\n    data: {name: x}\n    expect: [{rule: r, outcome: 达到}]\n",
            3,
            "not a date",
        ),
        ("cases:\n  - name: a\n    data: 3\n    expect: [{rule: r, outcome: 达到}]\n", 3, "'data'"),
    ],
)
def test_test_file_errors_name_file_and_line(
    tmp_path: Path, body: str, line: int, words: str
) -> None:
    p = tmp_path / "bad.tests.yaml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(AuthoringError) as exc:
        load_test_file(p)
    assert f"bad.tests.yaml:{line}:" in str(exc.value) or (
        line == 1 and "bad.tests.yaml" in str(exc.value)
    )
    assert words in str(exc.value)


def test_cli_user_error_is_exit_2_without_traceback(tmp_path: Path) -> None:
    p = tmp_path / "bad.tests.yaml"
    p.write_text("cases: 3\n", encoding="utf-8")
    code, out = _cli("test", str(p))
    assert code == 2
    assert "Traceback" not in out


def test_boundary_points() -> None:
    b = boundary_points(__import__("fractions").Fraction(42, 10), ">=", whole=False)
    assert (
        b.on == __import__("fractions").Fraction(42, 10)
        and b.fail < b.on
        and b.fail > b.on * 99 / 100
    )
    w = boundary_points(__import__("fractions").Fraction(45), "<=", whole=True)
    assert (w.on, w.fail, w.pass_) == (45, 46, None)


@pytest.mark.slow
def test_testgen_suite_reaches_full_scores(tmp_path: Path) -> None:
    """testgen's boundary suite of the 9-of-11 file kills every non-equivalent mutant."""
    rules = tmp_path / "gd.rules"
    shutil.copy(PROVINCES / "guangdong-jiben-2012.rules", rules)
    code, out = _cli("testgen", str(rules))
    assert code == 0 and "gd.tests.yaml" in out
    code, out = _cli("test", str(rules), "--coverage", "--mutate")
    assert code == 0, out
    assert "阈值覆盖率：100.0%" in out and "变异得分：100.0%" in out


def test_mutants_cover_every_kind() -> None:
    rs = eduint.load_ruleset(PROVINCES / "guangdong-youzhi-2017.rules")
    kinds = {m.kind for m in mutants(rs)}
    assert {"threshold", "operator", "period"} <= kinds
    rs2 = eduint.load_ruleset(REPO / "tests" / "authoring" / "band.rules")
    kinds2 = {m.kind for m in mutants(rs2)}
    assert {"band", "conjunct", "at_least", "threshold", "operator"} <= kinds2


def test_equivalence_decided_by_whole_number_metadata() -> None:
    rs = eduint.load_ruleset(PROVINCES / "guangdong-youzhi-2017.rules")
    by_what = {m.what: m for m in mutants(rs)}
    assert by_what["班额上限.小学 40 → 40.4"].equivalent == "whole_count"
    assert by_what["班额上限.小学 40 → 39.6"].equivalent is None  # 40 is admitted no more
    assert by_what["随迁子女比例界限 30 → 30.3"].equivalent is None  # a ratio, not a count


def test_coverage_lists_uncovered_with_line(tmp_path: Path) -> None:
    test = load_test_file(PROVINCES / "guangdong-youzhi-2017.tests.yaml")
    few = type(test)(test.path, test.rules, test.cases[:1])
    cov = coverage(load_rules(test), few)
    assert cov.ratio is not None and cov.ratio < 1
    missing = [(s.where, m) for s in cov.sites for m in s.missing()]
    assert any(
        w.endswith("guangdong-youzhi-2017.rules:38") and "never fails" in m for w, m in missing
    )


def test_generate_skips_unsupported_rules() -> None:
    rs = eduint.load_ruleset(PROVINCES / "guangdong-youzhi-2017.rules")
    data, skipped = generate(rs)
    assert [s.split(":")[0] for s in skipped] == ["(五)"]  # class scope: listed
    assert any(c["expect"][0]["rule"] == "生均公用经费" for c in data["cases"])


@pytest.mark.slow
def test_pytest_plugin_runs_cases(tmp_path: Path) -> None:
    shutil.copy(PROVINCES / "hebei-youzhi-2017-resource.rules", tmp_path)
    shutil.copy(PROVINCES / "hebei-youzhi-2017-resource.tests.yaml", tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout


def test_pytest_plugin_imports_without_hypothesis() -> None:
    code = "import sys; sys.modules['hypothesis'] = None; import eduint.pytest_plugin, eduint.authoring.boundary"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.slow
def test_testgen_dated_county_segment_rule(tmp_path: Path) -> None:
    """testgen's cases for the dated, segment-keyed funding rule kill every mutant of
    it (thresholds of both periods, the operator, the period boundary moved either
    way); the class-size item, a conditional threshold at class scope, is skipped and
    its mutants are left to the hand-written cases."""
    rules = tmp_path / "gd.rules"
    shutil.copy(PROVINCES / "guangdong-youzhi-2017.rules", rules)
    code, out = _cli("testgen", str(rules))
    assert code == 0 and "(五)" in out  # listed as skipped (stderr is mixed in)
    test = load_test_file(tmp_path / "gd.tests.yaml")
    assert run_file(test).passed
    result = mutation_score(load_rules(test), test)
    assert {m.kind for m in result.killed} >= {"threshold", "operator", "period"}
    assert all(
        "省生均公用经费标准" not in m.what and "生均公用经费 >=" not in m.what
        for m in result.survived
    )
    assert len([m for m in result.killed if m.kind == "period"]) == 2


_VALUES = """\
rules: r.rules
cases:
  - name: from a data file, with values
    as_of: 2020-09-01
    data: county.yaml
    expect:
      - {rule: 生均, entity: A/小学, outcome: 达到, values: {生均值: {value: 2500, tolerance: 0.5}}}
      - {rule: 生均, entity: B/小学, outcome: 不适用}
      - {rule: 生均, entity: A/小学, values: {生均值: 2400}}
"""
_RULES = """\
ruleset r "r" { extends youzhi_junheng_2017_resource }
rule 生均 "生均" {
  scope segment [小学]
  applies when 在校生数 >= 100 人
  report 生均值 = 教学仪器设备值 / 在校生数
  require 教学仪器设备值 / 在校生数 >= 仪器设备标准
}
"""
_COUNTY = """\
name: 县
schools:
  - {id: A, kind: 小学, segments: {小学: {students: 100, equipment_value: 250000}}}
  - {id: B, kind: 小学, segments: {小学: {students: 99, equipment_value: 250000}}}
"""


def test_values_tolerance_data_path_and_applies_coverage(tmp_path: Path) -> None:
    (tmp_path / "r.rules").write_text(_RULES, encoding="utf-8")
    (tmp_path / "county.yaml").write_text(_COUNTY, encoding="utf-8")
    (tmp_path / "r.tests.yaml").write_text(_VALUES, encoding="utf-8")
    test = load_test_file(tmp_path / "r.tests.yaml")
    (case,) = run_file(test).cases
    assert case.failures[0] == "生均 [A/小学]: 生均值 expected 2400.0 ± 0.0, got 2500"
    assert len([f for f in case.failures if "expected" in f]) == 1  # the first two hold
    cov = coverage(load_rules(test), test)
    applies = next(s for s in cov.sites if s.text.startswith("applies when"))
    assert applies.covered == {(None, None, True), (None, None, False)}
    require = next(s for s in cov.sites if s.text.startswith("教学仪器设备值"))
    assert require.missing() == ["never fails for 小学"]  # B is not applicable: only A is checked


def _item(report: object, rule: str) -> dict[str, object]:
    stack = [report]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            if x.get("id") == rule and "entities" in x:
                return x
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    raise AssertionError(rule)


@pytest.mark.parametrize(
    ("day", "quotas", "cited"),
    [
        ("2018-09-01", {"小学": 950, "初中": 1550}, "经费项（2014年省定标准）"),
        (
            "2020-09-01",
            {"小学": 1150, "初中": 1950},
            "REFERENCE §5（示例：广东2019年起的标准未载）",
        ),
    ],
)
def test_check_as_of_picks_and_cites_the_quota(
    tmp_path: Path, day: str, quotas: dict[str, int], cited: str
) -> None:
    """`eduint check --as-of` on the tightening file: different quotas for two dates,
    each period's citation in the report."""
    import json

    import yaml

    test = load_test_file(PROVINCES / "guangdong-youzhi-2017.tests.yaml")
    data = tmp_path / "county.yaml"
    data.write_text(
        yaml.safe_dump(json.loads(json.dumps(test.cases[0].data)), allow_unicode=True),
        encoding="utf-8",
    )
    code, out = _cli(
        "check",
        str(data),
        "--rules",
        str(PROVINCES / "guangdong-youzhi-2017.rules"),
        "--as-of",
        day,
        "--format",
        "json",
    )
    assert code in (0, 1), out
    item = _item(json.loads(out), "生均公用经费")
    got = {e["entity"]["segment"]: e["evidence"]["right"]["value"] for e in item["entities"]}  # type: ignore[index, union-attr, attr-defined]
    assert got == quotas
    assert any(s["text"] == cited for s in item["sources"])  # type: ignore[index, union-attr, attr-defined]


def test_messages_have_the_same_placeholders_in_both_languages() -> None:
    import string

    from eduint.authoring.messages import MESSAGES

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key, m in MESSAGES.items():
        assert fields(m.zh) == fields(m.en) == set(m.args), key
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in m.en), key


def test_override_finds_an_item_by_id_before_a_label() -> None:
    """2017's 政府保障程度 item has the id "(五)"; the 教育质量 item 质量五 is labelled
    "(五)" too: `override "(五)"` changes the class-size item (scope class)."""
    rs = eduint.check_text(
        'ruleset x "x" { extends youzhi_junheng_2017 }\noverride "(五)" {\n  require 班额 <= 40 人\n}\n',
        file="x.rules",
    )
    rule = rs.find("(五)")
    assert rule is not None and rule.scope.value == "class"
    assert rule.origin is not None and rule.origin.ruleset == "x"
    assert rs.find("质量五").origin.ruleset == "youzhi_junheng_2017"  # type: ignore[union-attr]
