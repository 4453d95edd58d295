"""The v2 results the engine builds (issue 12): evidence that decided the verdict, with
its comparator, sides and margin; the worst entity; entities in the documented order;
exact 差异系数 comparisons; answers scoped to their rule set; dispositions and coded
warnings.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduint import check_text, load_county, load_ruleset
from eduint._resources import resource_dir
from eduint.core import values as v
from eduint.core.refs import EntityRef, FieldRef, natural_key
from eduint.core.statistics import exact_root
from eduint.core.units import parse_unit
from eduint.core.values import Code, Interval, Reason
from eduint.data.models import (
    Attestation,
    Class,
    County,
    Figure,
    School,
    SchoolKind,
    SchoolSegment,
    Segment,
    SelfStatus,
)
from eduint.engine.evaluator import evaluate
from eduint.engine.results import COMPUTED, Comparison, Flag, Outcome, Quantity

F = Figure.exact
DAY = datetime.date(2021, 6, 1)
PERSON = parse_unit("人")


def _county(*schools: School, **kw: object) -> County:
    return County(name="测试县", as_of=DAY, schools=schools, schools_complete=True, **kw)  # type: ignore[arg-type]


def _school(id_: str, segment: Segment = Segment.PRIMARY, **kw: object) -> School:
    return School(id=id_, name=f"{id_}校", segments=(SchoolSegment(segment, **kw),))  # type: ignore[arg-type]


# ------------------------------------------------------------------ refs and order


@given(st.text(alphabet="S0123456789/小学初中高x", max_size=12), st.text(max_size=12))
def test_natural_key_orders_distinct_keys_distinctly(a: str, b: str) -> None:
    """Two different keys never sort alike, so the documented order is total."""
    assert (natural_key(a) == natural_key(b)) == (a == b)


def test_natural_key_orders_digits_by_value_and_segments_in_school_order() -> None:
    """S2 before S10, a school before its segments, 小学 before 初中 before 高中."""
    keys = ["S10", "S2/初中", "S2/小学/10", "S2", "S2/小学/9", "S2/高中", "S1x", "S1"]
    assert sorted(keys, key=natural_key) == [
        "S1",
        "S1x",
        "S2",
        "S2/小学/9",
        "S2/小学/10",
        "S2/初中",
        "S2/高中",
        "S10",
    ]


def test_entities_are_listed_by_id_not_in_input_order() -> None:
    """Schools S10, S2, S1 in the data are listed S1, S2, S10, and so are the failing."""
    rs = check_text("rule r { scope school segment require 专任教师数 >= 10 人 }")
    c = _county(
        _school("S10", full_time_teachers=F(1)),
        _school("S2", full_time_teachers=F(20)),
        _school("S1", full_time_teachers=F(2)),
    )
    item = evaluate(rs, c).item("r")
    assert ["S1/小学", "S2/小学", "S10/小学"] == [e.entity.key for e in item.entities]
    assert ["S1/小学", "S10/小学"] == [e.key for e in item.failing]


def test_county_segments_are_listed_in_school_order_whatever_the_rule_says() -> None:
    """``scope county segment [初中, 小学]`` lists 小学 first."""
    rs = check_text("rule r { scope county segment [初中, 小学] require 在校生数 >= 1 人 }")
    item = evaluate(rs, _county(_school("1", students=F(5)))).item("r")
    assert ["小学", "初中"] == [e.entity.segment for e in item.entities]


# ------------------------------------------------------------------ evidence


def test_a_compound_requirement_shows_the_failing_comparison() -> None:
    """``在校生数 >= 1 人 and 专任教师数 >= 100 人`` with 5 students and 3 teachers: 未达到
    beside ``3 人 >= 100 人`` (not the first comparison, which holds), both kept."""
    rs = check_text(
        "rule r { scope school segment require 在校生数 >= 1 人 and 专任教师数 >= 100 人 }"
    )
    item = evaluate(rs, _county(_school("1", students=F(5), full_time_teachers=F(3)))).item("r")
    assert Outcome.NOT_MET == item.headline
    ev = item.evidence
    assert ev is not None
    assert ("专任教师数 >= 100 人", ">=", False) == (ev.text, ev.op, ev.met)
    assert (Quantity(3, PERSON), Quantity(100, PERSON)) == (ev.left, ev.right)
    assert (-97, Fraction(97, 100)) == (ev.margin, ev.shortfall)
    (e,) = item.entities
    assert [True, False] == [c.met for c in e.comparisons]
    assert e.evidence == ev and item.evidence_entity == e.entity


def test_an_or_that_holds_shows_the_comparison_that_holds() -> None:
    """``… or …``: 达到 beside the comparison that holds; the right side is not evaluated
    once the left decides."""
    rs = check_text(
        "rule r { scope school segment require 在校生数 >= 1 人 or 专任教师数 >= 100 人 }"
    )
    item = evaluate(rs, _county(_school("1", students=F(5), full_time_teachers=F(3)))).item("r")
    assert Outcome.MET == item.headline
    assert item.evidence is not None
    assert ("在校生数 >= 1 人", True, 4) == (
        item.evidence.text,
        item.evidence.met,
        item.evidence.margin,
    )
    (e,) = item.entities
    assert 1 == len(e.comparisons)


def test_more_than_shows_its_comparator() -> None:
    """``> 90 %`` at 90 %: 未达到 with ``>`` and a margin of 0 (not a ``>=`` reading)."""
    rs = check_text("rule r { scope county require 校舍竣工率 > 90% }")
    c = County(name="测试县", as_of=DAY, building_completion_rate=F(90))
    item = evaluate(rs, c).item("r")
    assert item.evidence is not None
    assert (">", False, 0, 0) == (
        item.evidence.op,
        item.evidence.met,
        item.evidence.margin,
        item.evidence.shortfall,
    )
    assert item.evidence_entity is None  # a county rule names no entity


def test_the_worst_entity_is_the_largest_relative_shortfall() -> None:
    """Three failing schools: the evidence is the one furthest below its threshold
    relative to it (2 of 10 short of 20 is 50 %; 4 short of 10 is 40 %), wherever the
    data lists it; an equal shortfall goes to the first in entity order."""
    rs = check_text(
        "value 标准 = by segment { 小学: 10 人, 初中: 20 人 }\n"
        "rule r { scope school segment require 专任教师数 >= 标准 }"
    )
    schools = [
        _school("S3", full_time_teachers=F(6)),  # 小学: 4 short of 10 (40 %)
        _school("S1", Segment.JUNIOR, full_time_teachers=F(10)),  # 初中: 10 short of 20 (50 %)
        _school("S2", full_time_teachers=F(9)),  # 10 %
        _school("S4", Segment.JUNIOR, full_time_teachers=F(10)),  # 50 % too, after S1
    ]
    for order in (schools, schools[::-1]):
        item = evaluate(rs, _county(*order)).item("r")
        assert item.evidence_entity is not None
        assert "S1/初中" == item.evidence_entity.key
        assert item.evidence is not None and Fraction(1, 2) == item.evidence.shortfall
        assert ["S1/初中", "S2/小学", "S3/小学", "S4/初中"] == [e.key for e in item.failing]


def test_within_an_entity_the_largest_relative_shortfall_is_the_evidence() -> None:
    """Of two failing comparisons the one further below its threshold, relatively."""
    rs = check_text(
        "rule r { scope school segment require 在校生数 >= 100 人 and 专任教师数 >= 10 人 }"
    )
    c = _county(_school("1", students=F(90), full_time_teachers=F(5)))
    (e,) = evaluate(rs, c).item("r").entities
    # `and` stops at the first failing comparison: only it decides
    assert e.evidence is not None and "在校生数 >= 100 人" == e.evidence.text
    rs = check_text(
        "rule r { scope school segment "
        "require at_least(2, [在校生数 >= 100 人, 专任教师数 >= 10 人]) }"
    )
    (e,) = evaluate(rs, c).item("r").entities
    assert [Fraction(1, 10), Fraction(1, 2)] == [x.shortfall for x in e.comparisons]
    assert e.evidence is not None and "专任教师数 >= 10 人" == e.evidence.text
    assert {"at_least"} == {x.group for x in e.comparisons}


def test_margins_are_in_the_threshold_unit() -> None:
    """A margin is in the unit the threshold is written in: 0.5 万元, not 5000 元."""
    rs = check_text("rule r { scope county require 乡村教师平均工资 >= 1 万元 }")
    c = County(name="测试县", as_of=DAY, rural_teacher_pay=F(15000))
    ev = evaluate(rs, c).item("r").evidence
    assert ev is not None and ev.right is not None
    assert (Fraction(1, 2), "万元") == (ev.margin, str(ev.right.unit))
    assert 15000 == ev.left.value if ev.left is not None else False  # canonical 元


def test_margin_and_shortfall_are_computed_not_stored() -> None:
    """They are read-only, listed in ``COMPUTED`` for writers, and take no part in
    equality (they follow from the fields)."""
    assert ("margin", "shortfall") == COMPUTED[Comparison]
    assert "margin" not in attrs.fields_dict(Comparison)
    c = Comparison("x >= 2", ">=", Quantity(1, PERSON), Quantity(2, PERSON), False)
    assert (-1, Fraction(1, 2)) == (c.margin, c.shortfall)
    assert (
        Comparison("x == 2", "==", Quantity(1, PERSON), Quantity(2, PERSON), False).margin is None
    )


def test_a_report_only_period_shows_the_value() -> None:
    """A report-only period: no verdict, the evidence holds the value without a threshold."""
    rs = check_text(
        "value 下限 = dated { until 2021-12-31: report_only }\n"
        "rule r { scope county require 校舍竣工率 >= 下限 }"
    )
    c = County(name="测试县", as_of=DAY, building_completion_rate=F(95))
    item = evaluate(rs, c).item("r")
    assert item.headline is None and item.evidence is not None
    assert item.evidence.right is None and item.evidence.met is None
    assert item.evidence.left == Quantity(Fraction(95, 100), parse_unit("%"))


# ------------------------------------------------------------------ the 差异系数

CV_RULE = """
rule 图书 {
  scope county segment [小学]
  require cv(图书册数 / 在校生数 over 学段) <= LIMIT
}
"""


def _cv_county(*rows: tuple[int, int]) -> County:
    return _county(
        *(_school(f"S{i}", students=F(n), books=F(b)) for i, (n, b) in enumerate(rows, 1))
    )


def test_a_cv_exactly_on_its_limit_is_met() -> None:
    """Two 小学 of 3 students with 5 and 15 books: the CV is exactly 0.5 and meets
    ``<= 0.50`` (a 40-digit root once printed 0.5000…0001 and failed)."""
    rs = check_text(CV_RULE.replace("LIMIT", "0.50"))
    item = evaluate(rs, _cv_county((3, 5), (3, 15))).item("图书")
    assert Outcome.MET == item.headline
    assert item.evidence is not None and item.evidence.left is not None
    assert (Fraction(1, 2), 0) == (item.evidence.left.value, item.evidence.margin)
    # a hair below 0.5: 30 places, the most a rule-file number may have (E008)
    rs = check_text(CV_RULE.replace("LIMIT", "0." + "4" + "9" * 29))
    assert Outcome.NOT_MET == evaluate(rs, _cv_county((3, 5), (3, 15))).item("图书").headline


def test_an_irrational_cv_is_a_bracket_with_its_square() -> None:
    """The worked example's CV (0.5153…) is irrational: a bracket of 40+ digits around
    it, carrying its exact square, decided against its limit from the square."""
    rs = check_text(CV_RULE.replace("LIMIT", "0.55"))
    c = _cv_county((45, 279), (37, 137), (89, 935), (76, 160), (55, 402))
    ev = evaluate(rs, c).item("图书").evidence
    assert ev is not None and ev.left is not None
    x = ev.left.value
    assert isinstance(x, Interval) and x.bracket and x.square is not None
    assert x.lo * x.lo < x.square < x.hi * x.hi
    assert x.hi - x.lo < x.lo / 10**40
    assert Fraction("0.51525") < x.lo < Fraction("0.51526")
    assert ev.margin is not None and 0 < ev.margin < Fraction("0.035")


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 400), st.integers(0, 5000)), min_size=2, max_size=6),
    st.integers(-(10**6), 10**6),
    st.sampled_from(["<=", "<", ">=", ">"]),
)
def test_cv_verdicts_are_decided_from_the_square(
    rows: list[tuple[int, int]], nudge: int, op: str
) -> None:
    """Against any limit, however close to the CV (here within 1e-12), the verdict is the
    exact one: CV op L ⇔ CV² op L² (L ≥ 0), with no square root taken."""
    xs = [Fraction(b, n) for n, b in rows]
    total = sum(n for n, _ in rows)
    mean = sum(Fraction(b) for _, b in rows) / total
    if mean == 0:
        return
    var = sum(n * (x - mean) ** 2 for (n, _), x in zip(rows, xs, strict=True)) / total
    square = var / mean**2
    root = exact_root(square)
    lo = root.lo if isinstance(root, Interval) else root
    k = round(lo * 10**12) + nudge  # the limit k / 10^12 is near the CV, either side
    if k < 0:
        return
    exact_limit = Fraction(k, 10**12)
    text = f"{k // 10**12}.{k % 10**12:012d}"
    rs = check_text(CV_RULE.replace("<= LIMIT", f"{op} {text}"))
    holds = {
        "<=": square <= exact_limit**2,
        "<": square < exact_limit**2,
        ">=": square >= exact_limit**2,
        ">": square > exact_limit**2,
    }[op]
    item = evaluate(rs, _cv_county(*rows)).item("图书")
    assert item.computed is (Outcome.MET if holds else Outcome.NOT_MET)


@given(st.fractions(min_value=0, max_value=10**6, max_denominator=10**9))
def test_exact_root_is_exact_or_a_tight_bracket(square: Fraction) -> None:
    """A rational root is returned exactly; otherwise a bracket strictly around it."""
    r = exact_root(square)
    if isinstance(r, Interval):
        assert r.bracket and r.square == square and not r.approx
        assert r.lo * r.lo < square < r.hi * r.hi
        assert r.hi - r.lo <= r.lo / 10**40
    else:
        assert r * r == square


def test_a_bracket_compares_exactly_and_keeps_being_one_number() -> None:
    """``√2`` as a bracket: compared with exact numbers from its square; arithmetic on it
    stays one number (a bracket), unlike a range."""
    r = exact_root(Fraction(2))
    assert isinstance(r, Interval)
    assert v.compare("<", r, Fraction(1414213562373095, 10**15)) is False
    assert v.compare(">", r, Fraction(1414213562373095, 10**15)) is True
    assert v.compare(">=", r, -1) is True and v.compare("==", r, 1) is False
    half = v.div(r, 2)
    assert isinstance(half, Interval) and half.bracket and half.square is None
    rng = v.add(r, Interval(0, 1))
    assert isinstance(rng, Interval) and not rng.bracket


# ------------------------------------------------------------------ answers


ANSWERED = 'ruleset 班额规则 {}\nitem 1 "班额" { scope class require 班额 <= 40 人 attested }'


def _answers(*answers: Attestation) -> County:
    return County(name="测试县", as_of=DAY, attestations=answers)


def test_answers_for_another_rule_set_are_not_used_and_warned_once() -> None:
    """An answer naming another rule set never answers an item of this one (both labels
    are "1"): the item is 缺少数据, and one warning counts the other rule sets' answers."""
    rs = check_text(ANSWERED, file="class-size.rules")
    c = _answers(
        Attestation("1", SelfStatus.MET, ruleset="youzhi_junheng_2017"),
        Attestation("2", SelfStatus.MET, ruleset="youzhi_junheng_2017"),
        Attestation("3", SelfStatus.MET, ruleset="jiben_junheng_2012"),
    )
    report = evaluate(rs, c)
    item = report.item("1")
    assert (None, Outcome.NO_DATA) == (item.self_status, item.headline)
    assert report.exit_code(strict=True) == 1
    assert (
        Reason(Code.FOREIGN_ANSWERS, ((("jiben_junheng_2012", 1), ("youzhi_junheng_2017", 2)),)),
    ) == report.warnings


@pytest.mark.parametrize("name", [None, "班额规则", "class-size"])
def test_answers_for_this_rule_set_or_none_are_used(name: str | None) -> None:
    """An answer naming no rule set, or this one by id or file stem, is used."""
    rs = check_text(ANSWERED, file="rules/class-size.rules")
    report = evaluate(rs, _answers(Attestation("1", SelfStatus.MET, ruleset=name)))
    assert (SelfStatus.MET, ()) == (report.item("1").self_status, report.warnings)


def test_own_answers_that_match_no_item_are_one_warning() -> None:
    """Answers of this rule set whose labels match no item: one warning listing them,
    with a near miss suggested."""
    rs = check_text(ANSWERED, file="class-size.rules")
    report = evaluate(
        rs, _answers(Attestation("l", SelfStatus.MET), Attestation("9", SelfStatus.MET))
    )
    (w,) = report.warnings
    assert Code.UNUSED_ANSWERS == w.code
    assert ("班额规则", ("l", "9")) == w.args[:2]


# ------------------------------------------------------------------ the report


def test_dispositions_are_on_the_report_in_entity_order() -> None:
    """Every school left out or merged and every 0-student segment, in entity order."""
    rs = check_text("rule r { scope school segment require 在校生数 >= 1 人 }")
    c = _county(
        _school("S3", students=F(0)),
        School(id="S2", name="特校", kind=SchoolKind.SPECIAL),
        _school("S1", students=F(4)),
    )
    report = evaluate(rs, c)
    assert [
        ("S2", "left_out", Code.LEFT_OUT_SPECIAL),
        ("S3/小学", "left_out", Code.ZERO_STUDENTS),
    ] == [(d.entity.key, d.action, d.reason.code) for d in report.dispositions]
    assert ["S1/小学"] == [e.entity.key for e in report.item("r").entities]


def test_approximate_figures_are_one_coded_warning_per_item() -> None:
    """An item computed from an approximate figure is flagged and warned, by its id."""
    rs = check_text("rule 在岗 { scope county require 在岗教师数 >= 200 人 }")
    c = County(name="测试县", as_of=DAY, teachers_on_post=Figure(Decimal(212), Decimal(212), True))
    report = evaluate(rs, c)
    assert (Reason(Code.APPROXIMATE_USED, ("在岗",)),) == report.warnings
    assert Flag.APPROXIMATE in report.item("在岗").flags


def test_provisional_uses_are_structured() -> None:
    """A provisional value used by a decided verdict is listed with its reason."""
    rs = check_text(
        'value 上限 = 90% provisional "from memory"\n'
        "rule r { scope county require 校舍竣工率 >= 上限 }"
    )
    c = County(name="测试县", as_of=DAY, building_completion_rate=F(95))
    (use,) = evaluate(rs, c).provisional_uses
    assert ("value", "上限", "from memory") == (use.kind, use.name, use.reason and use.reason.zh)


def test_inputs_hold_values_with_units_and_the_text_as_written() -> None:
    """An input is the entity, the field, the figure with its unit, and its text."""
    rs = check_text("rule r { scope school segment require 在校生数 >= 1 人 }")
    report = evaluate(rs, _county(_school("S1", students=F(12))))
    (inp,) = report.item("r").inputs
    assert EntityRef("segment", "S1/小学", "S1校", "小学") == inp.entity
    assert FieldRef("students", "在校生数", "students") == inp.field
    assert (Quantity(12, PERSON), "12") == (inp.value, inp.text)


def test_class_figures_read_by_an_aggregate_are_not_listed() -> None:
    """Counting a county's classes reads every class size; those are not listed as
    inputs (a class-scope rule lists its classes' figures)."""
    rs = check_text(
        "rule 大班 { scope county report n = count(over 班级 where 班额 > 45 人) }\n"
        "rule 班额 { scope class require 班额 <= 45 人 }"
    )
    seg = SchoolSegment(
        Segment.PRIMARY,
        classes=(Class(size=F(50)), Class(size=F(40))),
        classes_complete=True,
    )
    report = evaluate(rs, _county(School(id="S1", segments=(seg,))))
    assert () == report.item("大班").inputs
    assert [("S1/小学/1", 40), ("S1/小学/2", 50)] == [
        (i.entity.key, i.value.value)  # type: ignore[union-attr]
        for i in report.item("班额").inputs
    ]


def test_the_baoshan_answers_serve_no_one_item_class_size_rule_set(tmp_path: Path) -> None:
    """Issue 12's case, through the engine alone: the Baoshan answers belong to
    chengxiang_yitihua_2018, so a one-item class-size rule set's item 1 takes none of
    them (缺少数据: Baoshan lists no classes; ``--strict`` exits 1), and one warning says
    whose they are."""
    rules = tmp_path / "class-size.rules"
    rules.write_text(
        'ruleset class_size "班额" {\n}\n\nitem 1 "班额不超过40人" {\n  scope class\n'
        "  require 班额 <= 40 人\n}\n",
        encoding="utf-8",
    )
    ruleset = load_ruleset(rules)
    county = load_county(resource_dir("examples") / "baoshan-2018.yaml").county
    report = evaluate(ruleset, county)
    item = report.item("1")
    assert (Outcome.NO_DATA, None, None) == (item.headline, item.self_status, item.self_outcome)
    assert 1 == report.exit_code(strict=True)
    n = len(county.attestations)
    assert (Reason(Code.FOREIGN_ANSWERS, ((("chengxiang_yitihua_2018", n),),)),) == report.warnings
