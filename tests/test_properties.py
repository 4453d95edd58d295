"""Hypothesis properties of the evaluator, using the public strategies in
:mod:`eduint.testing` (STYLE §10.6).

* ``evaluate`` is deterministic, and does not depend on the order of the
  schools or of the classes in the data;
* ``and``/``or``/``not`` follow Kleene's three-valued logic;
* any county :func:`eduint.testing.counties` generates, evaluated against the
  bundled rule set and against a rule set that uses every function, gives a
  report (or, for undated data, :class:`~eduint.engine.evaluator.EvaluationError`),
  never a crash, and 缺少数据 always names what is missing;
* raising the numerator of a per-100 or ratio rule never turns 达到 into
  未达到.

The strategies themselves are tested at the end: their bounds hold and bad
arguments raise ``InvalidArgument`` naming them.
"""

from __future__ import annotations

import copy
import datetime
import subprocess
import sys
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from eduint import check_text, load_county
from eduint._resources import bundled_rule_files, resource_dir
from eduint.core.refs import EntityRef, FieldRef, natural_key
from eduint.core.values import Code, Reason, Unknown, all_of, and_, any_of, or_
from eduint.data.models import County, Figure, School, Segment
from eduint.engine.evaluator import EvaluationError, evaluate
from eduint.engine.results import Outcome, Report
from eduint.testing import (
    attestations,
    classes,
    counties,
    figures,
    school_segments,
    schools,
)

# County-sized examples take milliseconds each; a shared CI machine may be slower.
county_settings = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

BUNDLED = check_text(
    next(p for p in bundled_rule_files() if p.name == "chengxiang-yitihua-2018.rules").read_text(
        encoding="utf-8"
    ),
    file="chengxiang-yitihua-2018.rules",
)

# Every aggregate and function, keyed and dated values, applicability,
# basically, margin, report lines, parts and a veto block.
EVERYTHING = check_text(
    """
value 编制标准 = by segment { 小学: 19, 初中: 13.5, 高中: 12.5 }
value 竣工下限 = dated {
  until 2018-12-31: report_only
  from 2019-01-01: 90%
}
value 定额 = dated {
  from 2016-01-01 until 2016-12-31: by region { 东部: 650 元/人, 中部, 西部: 600 元/人 }
  from 2018-01-01: by segment { 小学: 650 元/人, 初中: 850 元/人, 高中: 1000 元/人 }
}
rule 骨干 {
  scope school segment
  require per100(县级以上骨干教师数, 在校生数) >= 1 人/百人
  basically per100(县级以上骨干教师数, 在校生数) >= 0.8 人/百人
  margin 0.05
}
rule 寄宿 {
  scope school
  applies when 寄宿制 == true otherwise "非寄宿制学校"
  require 寄宿生数 >= 1 人
}
rule 班额 { scope class require 班额 <= 45 人 }
rule 大班额 {
  scope county
  report 比例 = share(班额 >= 56 人 over 班级)
  report 个数 = count(over 班级 where 班额 >= 56 人)
  require count(over 班级 where 班额 >= 66 人) <= 0 and share(班额 >= 56 人 over 班级) <= 5%
}
rule 图书 { scope county segment [小学, 初中] require cv(图书册数 / 在校生数 over 学段) <= 0.50 }
rule 编制 { scope county segment require 核定编制 >= 在校生数 / 编制标准 }
rule 公用 { scope county segment [小学, 初中] require 生均公用经费 >= 定额 }
rule 竣工 { scope county require 校舍竣工率 >= 竣工下限 }
rule 教师 {
  scope county
  require mean(专任教师数 over 学段) >= 10 人 and min(专任教师数 over 学段) >= 1 人
    or max(专任教师数 over 学段) >= 100 人
}
rule 规模 {
  scope school
  let 人数 = 在校生数
  require floor(人数 / 2) <= 1500 人 and ceil(人数 / 3) >= 0 人
}
rule 乡村 {
  scope school
  applies when 城乡分类 in [乡村, 镇区]
  require sum(专任教师数 over 学段) >= 1 人
}
rule 至少 {
  scope school segment
  require at_least(2, [专任教师数 >= 1 人, 县级以上骨干教师数 >= 1 人, 图书册数 >= 100 册])
}
rule 任一 { scope county require any(县级以上骨干教师数 >= 1 人 over 学段 where 在校生数 >= 100 人) }
rule 全部 { scope county require all(在校生数 <= 3000 人 over 学校) }
rule 轮岗 {
  scope county
  require 交流轮岗教师数 >= 10% * 符合交流条件教师数 and 交流轮岗骨干教师数 >= 20% * 交流轮岗教师数
}
rule 比值 { scope county require ratio(交流轮岗教师数, 符合交流条件教师数) <= 0.5 人/人 }
rule 工资 {
  scope county
  require if 公务员平均工资 > 0 元 then 义务教育教师平均工资 >= 公务员平均工资 else false
}
item 9 "部分" {
  part 9.1 "一" { attested scope county require 辍学率 <= 1% }
  part 9.2 "二" { scope county applies when 辍学率 > 0% otherwise "无辍学" require 辍学率 <= 2% }
  part 9.3 "三" { attested }
}
block 否决 "否决项" {
  combine any_met
  rule 否决甲 { veto scope county require 设备采购完成率 > 90% }
  rule 否决乙 { scope county require 校舍竣工率 > 90% }
}
""",
    file="everything.rules",
)

DAYS = st.dates(datetime.date(2015, 1, 1), datetime.date(2026, 12, 31))
RULE_SETS = (BUNDLED, EVERYTHING)
BUNDLED_ALL = tuple(
    check_text(p.read_text(encoding="utf-8"), file=p.name) for p in sorted(bundled_rule_files())
)


def _merged_extra_fields() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for rs in BUNDLED_ALL:
        for scope, fields in rs.extra_field_kinds().items():
            out.setdefault(scope, {}).update(fields)
    return out


SYNTHETIC = load_county(
    resource_dir("examples") / "synthetic-county-2019.yaml", extra_fields=_merged_extra_fields()
).county


# ------------------------------------------------------------------ helpers

# The codes that say which kind of unknown an outcome is (the missing figures follow).
_OUTCOME_CODES = {
    Code.MISSING_FIGURES,
    Code.NO_THRESHOLD_IN_FORCE,
    Code.APPLICABILITY_UNKNOWN,
    Code.REPORT_ONLY_NO_VALUE,
}


def _dated(c: County, day: datetime.date | None) -> bool:
    return day is not None or c.as_of is not None or c.school_year is not None


def _shuffle_classes(county: County, data: st.DataObject) -> County:
    """``county`` with the classes of every segment in an order drawn from ``data``."""
    assert county.schools is not None
    new: list[School] = []
    for s in county.schools:
        segs = []
        for sg in s.segments or ():
            if sg.classes:
                sg = attrs.evolve(sg, classes=tuple(data.draw(st.permutations(sg.classes))))
            segs.append(sg)
        new.append(attrs.evolve(s, segments=tuple(segs)) if s.segments is not None else s)
    return attrs.evolve(county, schools=tuple(new))


def _same_reports(a: County, b: County, day: datetime.date) -> None:
    """Both counties give equal reports under every rule set: every field of every
    result (an entity's data path, ``where``, is provenance and takes no part)."""
    for rs in RULE_SETS:
        assert evaluate(rs, a, as_of=day) == evaluate(rs, b, as_of=day)


# ------------------------------------------------------------ determinism


@pytest.mark.slow
@county_settings
@given(counties(), DAYS)
def test_evaluate_is_deterministic(county: County, day: datetime.date) -> None:
    """The same input twice (and an equal copy) gives equal reports."""
    for rs in RULE_SETS:
        first = evaluate(rs, county, as_of=day)
        assert first == evaluate(rs, county, as_of=day)
        assert first == evaluate(rs, copy.deepcopy(county), as_of=day)


@pytest.mark.slow
@county_settings
@given(counties(min_schools=2), DAYS, st.data())
def test_independent_of_school_order(
    county: County, day: datetime.date, data: st.DataObject
) -> None:
    """Reordering the schools changes no field of any result: entities are listed by id."""
    assert county.schools is not None
    shuffled = attrs.evolve(county, schools=tuple(data.draw(st.permutations(county.schools))))
    _same_reports(county, shuffled, day)


@pytest.mark.slow
@county_settings
@given(counties(min_schools=1), DAYS, st.data())
def test_independent_of_class_order(
    county: County, day: datetime.date, data: st.DataObject
) -> None:
    """Reordering the classes of every segment changes no field of any result, unnamed
    classes included (a class is numbered in the canonical order of its segment's
    classes, not by its place in the data)."""
    _same_reports(county, _shuffle_classes(county, data), day)


@pytest.mark.slow
@county_settings
@given(st.data())
def test_the_synthetic_county_is_independent_of_order(data: st.DataObject) -> None:
    """The bundled synthetic county under every bundled rule set: shuffling its schools
    and its classes changes no field of any report."""
    assert SYNTHETIC.schools is not None
    shuffled = attrs.evolve(SYNTHETIC, schools=tuple(data.draw(st.permutations(SYNTHETIC.schools))))
    shuffled = _shuffle_classes(shuffled, data)
    for rs in BUNDLED_ALL:
        assert evaluate(rs, SYNTHETIC) == evaluate(rs, shuffled)


# ------------------------------------------------------------ Kleene logic

UNKNOWN = Unknown(
    (
        Reason(
            Code.MISSING_FIGURE,
            (EntityRef("county", "测试县", "测试县"), FieldRef("students", "在校生数")),
        ),
    )
)
KLEENE = {True: 1.0, False: 0.0}
TRUTH = st.sampled_from([True, False, None])


def _kleene(v: object) -> float:
    return 0.5 if isinstance(v, Unknown) else KLEENE[bool(v)]


def _val(x: bool | None) -> bool | Unknown:
    return UNKNOWN if x is None else x


@given(TRUTH, TRUTH)
def test_kleene_and_or_internals(a: bool | None, b: bool | None) -> None:
    """``and_`` is min and ``or_`` is max on false < unknown < true."""
    va, vb = _val(a), _val(b)
    assert min(_kleene(va), _kleene(vb)) == _kleene(and_(va, vb))
    assert max(_kleene(va), _kleene(vb)) == _kleene(or_(va, vb))


@given(st.lists(TRUTH, max_size=6))
def test_kleene_all_any_internals(xs: list[bool | None]) -> None:
    """``all``/``any`` over a list are the n-ary min/max (true/false when empty)."""
    vals = [_val(x) for x in xs]
    assert min([_kleene(v) for v in vals], default=1.0) == _kleene(all_of(vals))
    assert max([_kleene(v) for v in vals], default=0.0) == _kleene(any_of(vals))


FLAGS = check_text(
    """
field county.甲: flag "甲"
field county.乙: flag "乙"
rule 与 { scope county require 甲 and 乙 }
rule 或 { scope county require 甲 or 乙 }
rule 非 { scope county require not 甲 }
rule 与非 { scope county require not (甲 and 乙) }
rule 或非 { scope county require not 甲 or not 乙 }
""",
    file="flags.rules",
)
OUTCOME = {1.0: Outcome.MET, 0.0: Outcome.NOT_MET, 0.5: Outcome.NO_DATA}


@given(TRUTH, TRUTH)
def test_kleene_through_rules(a: bool | None, b: bool | None) -> None:
    """Rules on two yes/no figures, each true, false or missing, give the
    Kleene truth tables; De Morgan holds, missing included."""
    extra = {k: v for k, v in (("甲", a), ("乙", b)) if v is not None}
    heads = evaluate(FLAGS, County(name="测试县", extra=extra)).headlines()
    ka, kb = _kleene(_val(a)), _kleene(_val(b))
    assert OUTCOME[min(ka, kb)] == heads["与"]
    assert OUTCOME[max(ka, kb)] == heads["或"]
    assert OUTCOME[1 - ka] == heads["非"]
    assert heads["与非"] == heads["或非"]


# ------------------------------------------------------ never crashes


def _check_report(report: Report) -> None:
    assert isinstance(report.overall, Outcome | None)
    assert report.exit_code() in (0, 1)
    assert report.exit_code(strict=True) in (0, 1)
    for it in report.items:
        assert isinstance(it.headline, Outcome) or (it.headline is None and it.report_only)
        assert it.computed is None or isinstance(it.computed, Outcome)
        for e in it.entities:
            assert e.outcome is None or isinstance(e.outcome, Outcome)
            if e.outcome is Outcome.NO_DATA:
                # 缺少数据 names what is missing, beside the outcome's own code
                assert any(r.code not in _OUTCOME_CODES for r in e.reasons), e
            if e.outcome is Outcome.NOT_APPLICABLE:
                assert e.reasons, e  # 不适用 says why
            assert e.entity.sort_key() == natural_key(e.entity.key)
        keys = [e.entity.sort_key() for e in it.entities]
        assert keys == sorted(keys) and len(set(keys)) == len(keys)  # entity order, once each
        if it.kind != "item" and it.computed is Outcome.NO_DATA:
            assert it.reasons, it
    for s in report.sections:
        assert s.outcome is None or isinstance(s.outcome, Outcome)


@pytest.mark.slow
@county_settings
@given(counties(), st.none() | DAYS)
def test_never_crashes_on_missing_inputs(county: County, day: datetime.date | None) -> None:
    """Any generated county gives a report whose every headline is an outcome
    (or None for a report-only rule); only undated data with dated rules is
    refused, with EvaluationError."""
    for rs in RULE_SETS:
        if not _dated(county, day):
            with pytest.raises(EvaluationError):
                evaluate(rs, county, as_of=day)
            continue
        _check_report(evaluate(rs, county, as_of=day))


# ---------------------------------------------------------- monotonicity

MONOTONE = check_text(
    """
rule 每段 { scope school segment require per100(县级以上骨干教师数, 在校生数) >= 1 人/百人 }
rule 县段 {
  scope county segment
  require per100(sum(县级以上骨干教师数 over 学段), 在校生数) >= 1 人/百人
}
rule 全县 {
  scope county
  require ratio(sum(县级以上骨干教师数 over 学段), sum(在校生数 over 学段)) >= 1%
}
""",
    file="monotone.rules",
)


def _raise(f: Figure, k: int) -> Figure:
    return Figure(f.low + k, f.high + k, f.approximate)


def _outcomes(report: Report) -> dict[tuple[str, str], Outcome | None]:
    out: dict[tuple[str, str], Outcome | None] = {}
    for it in report.items:
        out[(it.id, "")] = it.headline
        for e in it.entities:
            out[(it.id, e.entity.key)] = e.outcome
    return out


@pytest.mark.slow
@county_settings
@given(counties(min_schools=1), st.integers(1, 50), st.data())
def test_raising_the_numerator_never_turns_met_into_not_met(
    county: County, k: int, data: st.DataObject
) -> None:
    """More backbone teachers never turn 达到 into 未达到 (nor into anything
    else: the figures stay exact or keep their interval's width)."""
    assert county.schools is not None
    spots = [
        (i, j)
        for i, s in enumerate(county.schools)
        for j, sg in enumerate(s.segments or ())
        if sg.backbone_teachers is not None
    ]
    assume(spots)
    i, j = data.draw(st.sampled_from(spots))
    s = county.schools[i]
    assert s.segments is not None
    sg = s.segments[j]
    assert sg.backbone_teachers is not None
    segs = list(s.segments)
    segs[j] = attrs.evolve(sg, backbone_teachers=_raise(sg.backbone_teachers, k))
    schools_ = list(county.schools)
    schools_[i] = attrs.evolve(s, segments=tuple(segs))
    raised = attrs.evolve(county, schools=tuple(schools_))
    day = datetime.date(2021, 6, 1)
    before = _outcomes(evaluate(MONOTONE, county, as_of=day))
    after = _outcomes(evaluate(MONOTONE, raised, as_of=day))
    assert before.keys() == after.keys()
    for key, outcome in before.items():
        if outcome is Outcome.MET:
            assert Outcome.NOT_MET != after[key], key
            assert Outcome.MET == after[key], key


# ------------------------------------------------------- the strategies


@given(st.data())
def test_figures_respect_their_bounds(data: st.DataObject) -> None:
    """Every figure lies within its bounds, and the flags switch kinds off."""
    lo = data.draw(st.integers(-500, 500), label="min_value")
    hi = data.draw(st.integers(lo, lo + 1000), label="max_value")
    whole = data.draw(st.booleans(), label="unit_whole")
    flags = data.draw(
        st.fixed_dictionaries({k: st.booleans() for k in ("intervals", "approximate", "missing")})
    )
    f = data.draw(figures(min_value=lo, max_value=hi, unit_whole=whole, **flags))
    if f is None:
        assert flags["missing"]
        return
    assert lo <= f.low <= f.high <= hi
    if whole:
        assert f.low == f.low.to_integral_value() and f.high == f.high.to_integral_value()
    assert flags["approximate"] or not f.approximate
    assert flags["intervals"] or not f.is_interval


@given(schools(min_students=100, max_students=200))
def test_school_students_within_bounds(s: School) -> None:
    """When every segment's 在校生数 is known, their sum lies within the bounds."""
    figs = [sg.students for sg in s.segments or ()]
    if figs and all(f is not None for f in figs):
        total = sum((f.low for f in figs if f is not None), Decimal(0))
        assert 100 <= total <= 200


@pytest.mark.slow
@given(counties(min_schools=2, max_schools=4, complete=True))
def test_counties_respect_their_bounds(c: County) -> None:
    """The school list has 2–4 schools with distinct ids and is complete."""
    assert c.schools is not None and 2 <= len(c.schools) <= 4
    assert len({s.id for s in c.schools}) == len(c.schools)
    assert c.schools_complete
    assert len({a.item for a in c.attestations}) == len(c.attestations)


@given(school_segments(segment=Segment.JUNIOR), classes(), attestations())
def test_other_strategies_draw(seg: Any, cls: Any, att: Any) -> None:
    """school_segments(segment=…) keeps the segment; classes and answers draw."""
    assert Segment.JUNIOR == seg.segment
    assert cls.size is None or 1 <= cls.size.low <= cls.size.high <= 80
    assert att.item.split(".")[0].isdigit()


@pytest.mark.parametrize(
    ("call", "echo"),
    [
        (lambda: figures(min_value=5, max_value=1), "min_value=5"),
        (lambda: figures(min_value="1"), "min_value='1'"),  # type: ignore[arg-type]
        (lambda: figures(unit_whole=1), "unit_whole=1"),  # type: ignore[arg-type]
        (lambda: figures(min_value=True), "min_value=True"),
        (
            lambda: figures(min_value=Decimal("0.2"), max_value=Decimal("0.8")),
            "min_value=Decimal('0.2')",
        ),
        (lambda: schools(min_students=-1), "min_students=-1"),
        (lambda: schools(min_students=10, max_students=5), "max_students=5"),
        (lambda: counties(min_schools=3, max_schools=2), "min_schools=3"),
        (lambda: counties(max_schools=1.5), "max_schools=1.5"),  # type: ignore[arg-type]
        (lambda: counties(complete="yes"), "complete='yes'"),  # type: ignore[arg-type]
        (lambda: school_segments(segment="小学"), "segment='小学'"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_raise_invalid_argument(call: Any, echo: str) -> None:
    """A bad argument raises InvalidArgument naming it as ``name=value``."""
    with pytest.raises(InvalidArgument, match=echo.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_import_eduint_does_not_import_the_testing_module() -> None:
    """``import eduint`` needs no Hypothesis: eduint.testing is only imported on request."""
    code = (
        "import sys, eduint; "
        "assert 'eduint.testing' not in sys.modules, 'eduint.testing'; "
        "assert 'hypothesis' not in sys.modules, 'hypothesis'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
