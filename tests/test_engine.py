"""The engine's parts on their own: the population pass, the compiled program and its
cache, the structured facts, the results built from them (evidence, margins, entity
order, answers scoped to their rule set), the reason codes and the integer arithmetic
behind the fast paths.  The reports themselves are pinned by the scenario, example and
golden tests.
"""

from __future__ import annotations

import datetime
import gc
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduint import check_text
from eduint.checking.schema import ScopeKind, build_schema
from eduint.checking.settings import Settings
from eduint.core import values as v
from eduint.core.refs import EntityRef, FieldRef
from eduint.core.statistics import cv_parts, weighted_cv
from eduint.core.units import parse_unit
from eduint.core.values import Code, Kind, Reason
from eduint.data import derived
from eduint.data.models import (
    Class,
    County,
    Figure,
    School,
    SchoolKind,
    SchoolSegment,
    Segment,
    SizeBand,
)
from eduint.engine import evaluator
from eduint.engine.evaluator import compiled, evaluate, evaluate_facts
from eduint.engine.population import Action, model_field, populate
from eduint.engine.results import AsOfBasis, Outcome, Quantity

F = Figure.exact
DAY = datetime.date(2021, 6, 1)


def _settings(text: str = "") -> Settings:
    return Settings.of(check_text(text + "\nrule r { scope county require true }"))


def _county(*schools: School, **kw: object) -> County:
    return County(name="测试县", as_of=DAY, schools=schools, schools_complete=True, **kw)  # type: ignore[arg-type]


def _seg(segment: Segment = Segment.PRIMARY, **kw: object) -> SchoolSegment:
    return SchoolSegment(segment, **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------ population


def test_tables_are_columns_with_keys_paths_and_parents() -> None:
    """Schools are listed in id order with their data paths; segments and classes point
    at their parent rows and carry their segment."""
    c = _county(
        School(id="2", name="乙校", segments=(_seg(students=F(10)),)),
        School(
            id="1",
            name="甲校",
            segments=(_seg(students=F(5), classes=(Class(size=F(30)), Class(size=F(31)))),),
        ),
    )
    pop = populate(c, _settings())
    schools = pop.tables[ScopeKind.SCHOOL]
    assert ["1", "2"] == [r.key for r in schools.refs]
    assert ["schools[1]", "schools[0]"] == [r.where for r in schools.refs]
    segs = pop.tables[ScopeKind.SEGMENT]
    assert ["1/小学", "2/小学"] == [r.key for r in segs.refs]
    assert ["schools[1].segments.小学", "schools[0].segments.小学"] == [r.where for r in segs.refs]
    assert [0, 1] == segs.parent
    classes = pop.tables[ScopeKind.CLASS]
    assert [("1/小学/1", "1"), ("1/小学/2", "2")] == [(r.key, r.part) for r in classes.refs]
    assert {("甲校", "小学")} == {(r.name, r.segment) for r in classes.refs}
    assert [0, 0] == classes.parent
    assert ["小学", "小学"] == classes.segval


def test_size_bands_are_rows_with_multiplicities() -> None:
    """A size band of N classes is one row counted N times; a band of 0 classes is no row."""
    bands = (
        SizeBand(0, 45, count=F(3)),
        SizeBand(46, 55, count=F(0)),
        SizeBand(56, None, count=F(2)),
    )
    pop = populate(_county(School(id="1", segments=(_seg(size_bands=bands),))), _settings())
    rows = pop.class_rows(0)
    classes = pop.tables[ScopeKind.CLASS]
    assert rows.complete and rows.missing is None
    assert [3, 2] == [classes.mult[r] for r in rows.rows]
    size = pop.raw(ScopeKind.CLASS, *model_field(ScopeKind.CLASS, "size"))
    assert [v.Interval(0, 45), v.Interval(56, 10**6)] == [size.values[r] for r in rows.rows]
    refs = [classes.ref(r) for r in rows.rows]
    assert [("1/小学/0-45", "0–45", True), ("1/小学/56-", "56–", True)] == [
        (r.key, r.part, r.band) for r in refs
    ]


def test_a_class_count_clash_makes_the_class_list_missing() -> None:
    """班级数 contradicting a complete class list leaves no class list, with a coded reason."""
    seg = _seg(classes=(Class(size=F(30)),), classes_complete=True, class_count=F(2))
    pop = populate(_county(School(id="1", name="甲校", segments=(seg,))), _settings())
    missing = pop.class_rows(0).missing
    segment = EntityRef("segment", "1/小学", "甲校", "小学")
    assert missing == Reason(Code.CLASS_COUNT_CLASH, (segment, 2, 1, "list"))


def test_settings_decide_which_schools_count_and_say_why() -> None:
    """A special school is left out by default and a teaching point merged into its
    central school when the settings say so; each is a structured disposition."""
    c = _county(
        School(id="1", name="中心校", segments=(_seg(students=F(100)),)),
        School(
            id="2",
            name="教学点",
            kind=SchoolKind.TEACHING_POINT,
            central_school="1",
            segments=(_seg(students=F(7)),),
        ),
        School(id="3", name="特校", kind=SchoolKind.SPECIAL, segments=(_seg(students=F(9)),)),
    )
    pop = populate(c, _settings("setting teaching_points = 并入中心校"))
    assert ["1"] == [r.key for r in pop.tables[ScopeKind.SCHOOL].refs]
    merged = pop.tables[ScopeKind.SCHOOL].objs[0]
    assert Decimal(107) == merged.segments[0].students.low
    kinds = {
        (d.entity.key, d.action, d.setting, d.into.key if d.into else None)
        for d in pop.dispositions
    }
    assert kinds == {
        ("2", Action.MERGED, "teaching_points", "1"),
        ("3", Action.LEFT_OUT, "include_special", None),
    }
    codes = {d.reason.code for d in pop.dispositions}
    assert codes == {Code.MERGED_TEACHING_POINT, Code.LEFT_OUT_SPECIAL}
    point = EntityRef("school", "2", "教学点")
    assert Reason(Code.MERGED_TEACHING_POINT, (point, EntityRef("school", "1", "中心校"))) in {
        d.reason for d in pop.dispositions
    }


def test_one_through_schools_split_with_the_settings_weights() -> None:
    """A nine-year school's whole-school books split 166 : 1.1 × 210 (REFERENCE §3.3);
    the split is recorded once per segment."""
    school = School(
        id="1",
        name="九年校",
        kind=SchoolKind.NINE_YEAR,
        books=F(23226),
        segments=(_seg(students=F(166)), _seg(Segment.JUNIOR, students=F(210))),
    )
    rs = check_text(
        "setting split_indicators = [books]\nrule r { scope segment require 图书册数 >= 0 册 }"
    )
    pop = populate(_county(school), Settings.of(rs))
    books = pop.column(next(f for f in rs.fields_read() if f.name == "books"))
    share = Fraction(166, 166 + Fraction(11, 10) * 210)
    assert [23226 * share, 23226 * (1 - share)] == books.values
    assert [Action.SPLIT, Action.SPLIT] == [d.action for d in pop.dispositions]
    assert [share, 1 - share] == [d.share for d in pop.dispositions]
    assert pytest.approx(9711.6, abs=0.05) == float(books.values[0])


def test_derived_students_sum_the_segments() -> None:
    """在校生数 of a school is its segments' sum; 义务教育阶段在校生数 leaves 高中 out."""
    school = School(
        id="1",
        segments=(_seg(students=F(100)), _seg(Segment.SENIOR, students=F(50))),
    )
    pop = populate(_county(school), _settings())
    assert [150] == pop.school_students(False, None).values
    assert [100] == pop.school_students(True, None).values


def test_zero_student_segments_are_left_out_of_segment_rules_only() -> None:
    """A segment with 0 students is not judged by a segment-scope rule (and is noted), but
    still counts in an aggregate over segments."""
    c = _county(School(id="1", name="甲校", segments=(_seg(students=F(0)),)))
    pop = populate(c, _settings())
    rows, notes = pop.rule_rows(ScopeKind.SEGMENT, None)
    assert () == rows.rows
    segment = EntityRef("segment", "1/小学", "甲校", "小学")
    assert (Reason(Code.ZERO_STUDENTS, (segment,)),) == notes
    assert (0,) == pop.below(ScopeKind.COUNTY, 0, ScopeKind.SEGMENT).rows
    # and the population lists it as left out, with the same reason
    assert [(segment, Action.LEFT_OUT, notes[0])] == [
        (d.entity, d.action, d.reason) for d in pop.dispositions
    ]


def test_schema_takes_derived_fields_from_their_declarations() -> None:
    """Every derived field of the schema is declared in data.derived, with its unit and label."""
    schema = build_schema()
    got = {(f.name, f.scope.value, str(f.unit), f.label) for f in schema.all_fields() if f.derived}
    assert got == {(d.name, d.scope, d.unit, d.label) for d in derived.DERIVED}


# ----------------------------------------------------------- program and facts

RULES = """
value 标准 = by segment { 小学: 4.2 人/百人, 初中: 5.3 人/百人 }
rule 达标 {
  scope segment
  require per100(高于规定学历教师数, 在校生数) >= 标准 and 专任教师数 >= 1 人
}
"""


def test_facts_keep_exact_values_comparators_and_results() -> None:
    """The structured facts of an entity keep every top-level comparison unformatted."""
    rs = check_text(RULES)
    seg = _seg(students=F(1000), teachers_above_degree=F(41), full_time_teachers=F(50))
    facts, day, basis = evaluate_facts(rs, _county(School(id="1", segments=(seg,))))
    assert (DAY, AsOfBasis.STATED) == (day, basis)
    (rule,) = facts.items
    (entity,) = rule.entities
    assert Outcome.NOT_MET == entity.outcome
    (check,) = entity.checks  # `and` stops at the failing first condition
    info, left, right, result, group = check
    assert (">=", Fraction(41, 10), Fraction(21, 5), False, None) == (
        info.op,
        left,
        right,
        result,
        group,
    )


def test_facts_keep_each_entitys_inputs_and_the_rule_keeps_them_all() -> None:
    """Each entity records the cells it read; the rule's inputs are theirs in order."""
    rs = check_text(RULES)
    one = _seg(students=F(100), teachers_above_degree=F(9), full_time_teachers=F(5))
    two = _seg(students=F(200), teachers_above_degree=F(1), full_time_teachers=F(7))
    c = _county(School(id="1", segments=(one,)), School(id="2", segments=(two,)))
    facts, _, _ = evaluate_facts(rs, c)
    (rule,) = facts.items
    pop = facts.pop
    first, second = ([pop.input(i).entity.where for i in e.inputs] for e in rule.entities)
    assert ["schools[0].segments.小学"] * 3 == first  # 高于规定学历, 在校生数, 专任教师数
    assert ["schools[1].segments.小学"] * 2 == second  # `and` stops at the failing first
    report = evaluate(rs, c)
    assert [(i.entity, i.field) for i in report.item("达标").inputs] == [
        (pop.input(i).entity, pop.input(i).field) for e in rule.entities for i in e.inputs
    ]
    students = report.item("达标").inputs[1]
    assert (FieldRef("students", "在校生数", "students"), "100") == (students.field, students.text)
    assert Quantity(100, parse_unit("人")) == students.value


def test_programs_are_cached_per_rule_set_object_and_released() -> None:
    """The compiled program is reused for the same rule set, made afresh for an equal
    one, and dropped when its rule set is collected."""
    a, b = check_text(RULES), check_text(RULES)
    assert a == b and a is not b
    assert compiled(a)[0] is compiled(a)[0]
    assert compiled(a)[0] is not compiled(b)[0]
    gc.collect()  # rule sets earlier tests left to the collector go first
    n = len(evaluator._PROGRAMS)
    del a
    gc.collect()
    assert len(evaluator._PROGRAMS) == n - 1


def test_many_rule_sets_give_the_results_of_each() -> None:
    """More rule sets than the cache holds still evaluate each to its own result."""
    c = _county(School(id="1", segments=(_seg(students=F(10), full_time_teachers=F(3)),)))
    sets = [
        check_text(f"rule r {{ scope segment require 专任教师数 >= {n} 人 }}") for n in range(70)
    ]
    outcomes = [evaluate(rs, c).item("r").headline for rs in sets]
    assert [Outcome.MET] * 4 + [Outcome.NOT_MET] * 66 == outcomes


# ------------------------------------------------------------------ reasons


def test_reasons_name_entities_and_fields_by_reference() -> None:
    """A missing figure's reason holds the entity's and the field's references (names from
    the data and the field registry), never a sentence."""
    rs = check_text("rule r { scope segment require 专任教师数 >= 1 人 }")
    report = evaluate(rs, _county(School(id="S1", name="甲校", segments=(_seg(),))))
    (e,) = report.item("r").entities
    field = FieldRef("full_time_teachers", "专任教师数", "full-time teachers")
    who = EntityRef("segment", "S1/小学", "甲校", "小学")
    assert (Reason(Code.MISSING_FIGURES), Reason(Code.MISSING_FIGURE, (who, field))) == e.reasons
    assert who == e.entity and "schools[0].segments.小学" == e.entity.where


def test_unknowns_keep_their_kind() -> None:
    """A report-only period outranks a missing figure when unknowns combine."""
    missing = v.Unknown((Reason(Code.DIVISION_BY_ZERO),))
    only = v.Unknown((Reason(Code.REPORT_ONLY, (None, None)),), Kind.REPORT_ONLY)
    assert Kind.REPORT_ONLY == v.unknown(missing, only).kind


# ------------------------------------------------------------------ arithmetic

INTS = st.integers(-(10**12), 10**12)
NONZERO = INTS.filter(bool)


@given(INTS, NONZERO)
def test_ratio_is_the_exact_quotient(n: int, d: int) -> None:
    """``ratio(n, d)`` is ``Fraction(n, d)``, an int when whole, and behaves as a Fraction."""
    q = v.ratio(n, d)
    assert Fraction(n, d) == q
    assert (type(q) is int) == (n % d == 0)
    assert hash(Fraction(n, d)) == hash(q)
    assert v.parts(q) == (Fraction(n, d).numerator, Fraction(n, d).denominator)


FRACS = st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6)


@given(
    st.lists(FRACS, min_size=2, max_size=8), st.lists(st.integers(1, 5000), min_size=8, max_size=8)
)
def test_cv_in_integers_equals_the_fraction_formula(xs: list[Fraction], ws: list[int]) -> None:
    """``cv_parts`` gives weighted_cv's CV, mean, variance and shares of the variance."""
    ws = ws[: len(xs)]
    try:
        expected = weighted_cv(xs, ws)
    except ValueError as exc:
        with pytest.raises(ValueError, match=str(exc)):
            cv_parts(xs, ws)
        return
    got = cv_parts(xs, ws)
    assert (expected.cv, expected.mean, expected.variance) == (got.cv, got.mean, got.variance)
    total = sum(got.spread)
    shares = tuple(Fraction(k, total) if total else Fraction(0) for k in got.spread)
    assert expected.contributions == shares


@given(
    st.lists(FRACS, min_size=2, max_size=8), st.lists(st.integers(1, 5000), min_size=8, max_size=8)
)
def test_cv_square_is_exact(xs: list[Fraction], ws: list[int]) -> None:
    """``cv_parts``'s square is variance ÷ mean², exactly, and its CV is that square's root
    to 40 digits."""
    ws = ws[: len(xs)]
    try:
        got = cv_parts(xs, ws)
    except ValueError:
        return
    assert got.square == got.variance / (got.mean * got.mean)
    assert abs(got.cv * got.cv - got.square) <= got.square * Fraction(1, 10**38) + Fraction(
        1, 10**80
    )
