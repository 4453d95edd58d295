"""Regressions from an adversarial pass: hostile rule files and data never crash,
never drop data silently and never turn a contradiction into a verdict."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

import eduint
from eduint.cli import main
from eduint.core.values import Code
from eduint.engine.results import Outcome


def _county(text: str, rules: str) -> tuple[eduint.Report, tuple[eduint.DataProblem, ...]]:
    ruleset = eduint.check_text(rules, file="t.rules")
    loaded = eduint.load_county_text(text, file="d.yaml", extra_fields=ruleset.extra_field_kinds())
    return eduint.evaluate(ruleset, loaded.county), loaded.problems


def test_values_of_any_magnitude_are_exact() -> None:
    """A figure of any size is carried exactly, with its margin (formatting it is
    reporting's; it used to overflow a Decimal context)."""
    rs = eduint.check_text("rule r { scope county require teacher_pay_avg >= 1 元 }")
    big = eduint.County(name="x", teacher_pay_avg=eduint.Figure.exact(10**100))
    ev = eduint.evaluate(rs, big, as_of=datetime.date(2021, 6, 30)).items[0].evidence
    assert ev is not None and ev.left is not None
    assert (10**100, 10**100 - 1) == (ev.left.value, ev.margin)
    tiny = eduint.County(name="x", teacher_pay_avg=eduint.Figure.exact(Decimal("-0.000000001")))
    ev = eduint.evaluate(rs, tiny, as_of=datetime.date(2021, 6, 30)).items[0].evidence
    assert ev is not None and ev.left is not None
    assert Fraction(-1, 10**9) == ev.left.value


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("big.json", '{"name": "x", "as_of": "2021-06-30", "teacher_pay_avg": 1e400}'),
        ("long.json", '{"name": "x", "teacher_pay_avg": 1' + "0" * 5000 + "}"),
        ("long.yaml", "name: x\nteacher_pay_avg: 1" + "0" * 5000 + "\n"),
        ("sy.yaml", "name: x\nschool_year: 9999学年\n"),
        ("uni.json", '{"name": "x", "students": "10²"}'),
    ],
)
def test_hostile_numbers_are_problems_not_crashes(tmp_path: Path, name: str, text: str) -> None:
    """Huge numbers, over-long integers, year 9999 and non-ASCII digits end as a data
    problem (exit 0 with the problem listed) or an unreadable file (exit 2), never exit 3."""
    data = tmp_path / name
    data.write_text(text, encoding="utf-8")
    rules = tmp_path / "r.rules"
    rules.write_text(
        "rule 工资 { scope county require teacher_pay_avg >= 1 元 }\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["check", str(data), "--rules", str(rules), "--as-of", "2021-06-30"]
    )
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    assert "D0" in result.output


def test_non_ascii_digits_are_refused() -> None:
    """'10²' is not 102, '①' is not 1: such figures are D020 and stay missing."""
    report, problems = _county(
        'name: x\nas_of: 2021-06-30\nstudents: "10²"\nfull_time_teachers: "①"\n',
        "rule s { scope county require students >= 1 人 }",
    )
    assert {"students", "full_time_teachers"} == {p.field for p in problems}
    assert Outcome.NO_DATA == report.items[0].computed


def test_display_precision_is_bounded() -> None:
    """display_precision outside 0–12 decimal places is E309 (it used to crash the display)."""
    with pytest.raises(eduint.RuleCheckError) as info:
        eduint.check_text("setting display_precision = 100\nrule r { report 1 }\n")
    assert ("E309",) == info.value.codes


def test_cv_with_non_positive_weights_is_no_data() -> None:
    """Weights that are negative or sum to zero give 缺少数据, not a ZeroDivisionError."""
    data = (
        "name: x\nas_of: 2021-06-30\nschools_complete: true\nschools:\n"
        "  - {id: a, segments: {小学: {students: 50, full_time_teachers: 3}}}\n"
        "  - {id: b, segments: {小学: {students: 150, full_time_teachers: 5}}}\n"
    )
    for weight in ("在校生数 - 100 人", "在校生数 - 60 人"):
        rules = (
            "rule cv1 { scope county segment [小学] "
            f"require cv(专任教师数, {weight} over 学段) <= 0.5 }}"
        )
        report, _ = _county(data, rules)
        assert Outcome.NO_DATA == report.items[0].computed


def test_county_segment_does_not_count_schools_of_unknown_segments() -> None:
    """A school whose segments are unknown may not be a 小学: counting 小学 schools
    over such a list is 缺少数据, not 未达到 with the 初中 school counted."""
    data = (
        "name: x\nas_of: 2021-06-30\nschools_complete: true\nschools:\n"
        "  - {id: A, kind: 小学, segments: {小学: {students: 100}}}\n"
        "  - {id: B, kind: 初中, location: 乡村}\n"
        "  - {id: C, kind: 小学, segments: {小学: {students: 100}}}\n"
    )
    report, _ = _county(
        data, "rule n { scope county segment [小学] require count(over 学校) <= 2 }"
    )
    r = report.items[0]
    assert Outcome.NO_DATA == r.computed
    assert any(m.code is Code.SEGMENTS_NOT_GIVEN and m.args[0].key == "B" for m in r.reasons)


@pytest.mark.parametrize(
    "segment",
    [
        "{class_count: 100, size_bands: [{low: 56, high: 65, count: 2}]}",
        "{class_count: 50, classes_complete: true, classes: [{size: 60}, {size: 30}]}",
    ],
)
def test_class_count_contradicting_the_classes_is_no_data(segment: str) -> None:
    """A class count that disagrees with the bands' total or with a complete class list
    makes the class figures unusable (缺少数据 naming the clash), not a 100 % share."""
    data = f"name: x\nas_of: 2021-06-30\nschools_complete: true\nschools:\n  - {{id: a, segments: {{小学: {segment}}}}}\n"
    report, _ = _county(
        data, "rule d { scope county require share(班额 >= 56 人 over 班级) <= 5% }"
    )
    r = report.items[0]
    assert Outcome.NO_DATA == r.computed
    assert any(m.code is Code.CLASS_COUNT_CLASH for m in r.reasons)


def test_a_let_cannot_hide_a_data_field() -> None:
    """`let 班额 = 10 人` would make every class pass, even one whose 班额 is missing: E111."""
    with pytest.raises(eduint.RuleCheckError) as info:
        eduint.check_text("rule r { scope class let 班额 = 10 人 require 班额 <= 45 人 }")
    assert ("E111",) == info.value.codes


def test_values_may_be_declared_in_any_order() -> None:
    """A value may use one declared after it."""
    rs = eduint.check_text(
        "value a = b + 1 人\nvalue b = 1 人\nrule r { scope county require students >= a }"
    )
    county = eduint.County(name="x", students=eduint.Figure.exact(2))
    assert (
        Outcome.MET
        == eduint.evaluate(rs, county, as_of=datetime.date(2020, 1, 1)).items[0].computed
    )


def test_values_never_contradict_the_verdict_beyond_fifteen_places() -> None:
    """0.5000000000000000001 against ≤ 0.5 is carried exactly, so a report can print the
    digits that show why it fails."""
    county = eduint.County(
        name="x", teacher_pay_avg=eduint.Figure.exact(Decimal("0.5000000000000000001"))
    )
    rs = eduint.check_text("rule r { scope county require teacher_pay_avg <= 0.5 元 }")
    r = eduint.evaluate(rs, county).items[0]
    assert Outcome.NOT_MET == r.computed
    assert r.evidence is not None and r.evidence.left is not None
    assert Fraction("0.5000000000000000001") == r.evidence.left.value
    assert Fraction(-1, 10**19) == r.evidence.margin
