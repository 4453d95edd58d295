"""Example-based tests of the evaluator: one or more per verdict path.

Each test writes a small rule text (checked with :func:`eduint.check_text`)
and a hand-built :class:`~eduint.data.models.County`, and pins the outcome, the
evidence (value, threshold, margin, missing figures, reason) and the flags.
The numbers are exact: 9 teachers for 1,000 students is 0.9 per 100, 85 % of
4.5 is 3.825, and the 差异系数 of REFERENCE §3.2's worked example is 0.5153.
"""

from __future__ import annotations

import datetime
import statistics
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import pytest

from eduint import check_text
from eduint.data.models import (
    Attestation,
    Class,
    County,
    CountySegment,
    Figure,
    School,
    SchoolSegment,
    Segment,
    SelfStatus,
    SizeBand,
)
from eduint.engine.evaluator import EvaluationError, evaluate
from eduint.engine.results import ItemResult, Outcome, Report

MET = Outcome.MET
BASICALLY = Outcome.BASICALLY_MET
NOT_MET = Outcome.NOT_MET
NA = Outcome.NOT_APPLICABLE
NO_DATA = Outcome.NO_DATA

DAY = datetime.date(2021, 6, 1)
F = Figure.exact


def rng(low: int, high: int, text: str | None = None) -> Figure:
    """A figure given as a range (``30多`` is ``rng(30, 39, "30多")``)."""
    return Figure(Decimal(low), Decimal(high), False, text)


def approx(value: int) -> Figure:
    """An approximate figure (``约212``)."""
    return Figure(Decimal(value), Decimal(value), True, f"约{value}")


def county(**kw: Any) -> County:
    """A county named 测试县 dated 2021-06-01 unless told otherwise."""
    kw.setdefault("name", "测试县")
    kw.setdefault("as_of", DAY)
    return County(**kw)


def seg(segment: Segment = Segment.PRIMARY, **kw: Any) -> SchoolSegment:
    """A school segment (小学 unless told otherwise)."""
    return SchoolSegment(segment, **kw)


def school(id_: str, *segments: SchoolSegment, **kw: Any) -> School:
    """A school named S<id> with the given segments (``segments=None`` if none given)."""
    kw.setdefault("name", f"S{id_}")
    return School(id=id_, segments=segments or None, **kw)


def run(text: str, data: County, **kw: Any) -> Report:
    """Check ``text`` and evaluate it against ``data``."""
    return evaluate(check_text(text), data, **kw)


def one(text: str, data: County, **kw: Any) -> ItemResult:
    """The result of the only rule in ``text``."""
    report = run(text, data, **kw)
    assert 1 == len(report.items)
    return report.items[0]


# ------------------------------------------------------- 不适用 vs 缺少数据

BOARDING = """
rule 寄宿 {
  scope school
  applies when 寄宿制 == true otherwise "非寄宿制学校"
  require 寄宿生数 >= 1 人
}
"""


def test_not_applicable_needs_known_data() -> None:
    """``applies when`` false on known data is 不适用, with the rule's reason."""
    r = one(BOARDING, county(schools=(school("1", boarding=False),), schools_complete=True))
    assert NA == r.computed
    assert NA == r.headline
    assert "非寄宿制学校" == r.reason
    assert NA == r.entities[0].outcome
    assert "非寄宿制学校" == r.entities[0].reason


def test_unknown_applicability_is_no_data() -> None:
    """``applies when`` on a missing figure is 缺少数据 naming it, never 不适用."""
    r = one(BOARDING, county(schools=(school("1", boarding=None),), schools_complete=True))
    assert NO_DATA == r.headline
    assert "applicability unknown" == r.reason
    assert ("S1: 寄宿制 missing",) == r.missing


def test_applicable_school_is_decided() -> None:
    """A boarding school with boarders meets the rule; one without fails it."""
    ok = school("1", boarding=True, boarders=F(30))
    bad = school("2", boarding=True, boarders=F(0))
    r = one(BOARDING, county(schools=(ok, bad), schools_complete=True))
    assert NOT_MET == r.headline
    assert ("S2",) == r.failing


# ------------------------------------------------------------- vacuous lists

EVERY_SEGMENT = "rule 骨干 { scope school segment require 县级以上骨干教师数 >= 1 人 }"
ALL_SEGMENTS = "rule 骨干 { scope county require all(县级以上骨干教师数 >= 1 人 over 学段) }"


def test_missing_school_list_is_no_data() -> None:
    """A rule for every school over a missing list is 缺少数据 naming the list,
    never vacuously met."""
    for text in (EVERY_SEGMENT, ALL_SEGMENTS):
        r = one(text, county(schools=None))
        assert NO_DATA == r.headline
        assert ("学校名单 (list of schools) not given",) == r.missing


def test_empty_complete_list_is_decided() -> None:
    """Over an empty list declared complete the rule is decided: a per-school
    rule has no entity to apply to (不适用), and ``all(…)`` is true (达到)."""
    data = county(schools=(), schools_complete=True)
    r = one(EVERY_SEGMENT, data)
    assert NA == r.headline
    assert "no entities: the complete list is empty" == r.reason
    assert MET == one(ALL_SEGMENTS, data).headline


def test_empty_incomplete_list_is_no_data() -> None:
    """An empty list that is not declared complete decides nothing (缺少数据)."""
    data = county(schools=(), schools_complete=False)
    r = one(EVERY_SEGMENT, data)
    assert NO_DATA == r.headline
    assert "the list of 学校学段 is incomplete" in r.missing
    assert NO_DATA == one(ALL_SEGMENTS, data).headline


def test_incomplete_list_with_a_failing_school_is_not_met() -> None:
    """One failing school decides the rule even if the list is incomplete."""
    data = county(
        schools=(
            school("1", seg(backbone_teachers=F(0))),
            school("2", seg(backbone_teachers=F(3))),
        ),
        schools_complete=False,
    )
    r = one(EVERY_SEGMENT, data)
    assert NOT_MET == r.headline
    assert ("S1 小学",) == r.failing
    assert NOT_MET == one(ALL_SEGMENTS, data).headline


def test_incomplete_list_all_passing_is_no_data() -> None:
    """Every listed school passing is not enough when the list is incomplete."""
    data = county(
        schools=(
            school("1", seg(backbone_teachers=F(2))),
            school("2", seg(backbone_teachers=F(3))),
        ),
        schools_complete=False,
    )
    r = one(EVERY_SEGMENT, data)
    assert NO_DATA == r.headline
    assert [MET, MET] == [e.outcome for e in r.entities]
    assert "the list of 学校学段 is incomplete" in r.missing
    assert NO_DATA == one(ALL_SEGMENTS, data).headline


def test_school_without_segment_figures_leaves_the_list_incomplete() -> None:
    """A school whose segment figures are missing makes the list of segments
    incomplete, naming the school; another school that fails still decides 未达到,
    and all others passing gives 缺少数据."""
    failing = county(
        schools=(school("1", seg(backbone_teachers=F(0))), school("2")),
        schools_complete=True,
    )
    r = one(EVERY_SEGMENT, failing)
    assert NOT_MET == r.headline
    assert NOT_MET == one(ALL_SEGMENTS, failing).headline
    passing = county(
        schools=(school("1", seg(backbone_teachers=F(5))), school("2")),
        schools_complete=True,
    )
    r = one(EVERY_SEGMENT, passing)
    assert NO_DATA == r.headline
    assert "S2: 学段 figures not given" in r.missing
    agg = one(ALL_SEGMENTS, passing)
    assert NO_DATA == agg.headline
    assert "S2: 学段 figures not given" in agg.missing


FUNDS = "rule 公用 { scope county segment [小学, 初中] require 生均公用经费 >= 600 元/人 }"


def test_county_segment_without_schools_is_not_applicable() -> None:
    """A county segment is 不适用 only on positive evidence: a complete school
    list whose every school's segments are known and none is 初中."""
    funds = (CountySegment(Segment.PRIMARY, public_funds_per_student=F(650)),)
    known = one(FUNDS, county(segments=funds, schools=(school("1", seg()),), schools_complete=True))
    assert MET == known.headline
    assert [(MET, None), (NA, "the county's complete school list has no 初中 segment")] == [
        (e.outcome, e.reason) for e in known.entities
    ]
    for schools, complete in (
        ((school("1", seg()), school("2")), True),
        ((school("1", seg()),), False),
    ):
        r = one(FUNDS, county(segments=funds, schools=schools, schools_complete=complete))
        assert NO_DATA == r.headline  # school 2's segments unknown, or the list incomplete
        assert ("测试县 初中: 生均公用经费 missing",) == r.missing


# ------------------------------------------------------------------ intervals

CLASS_SIZE = "rule 班额 {{ scope class require 班额 <= {} 人 }}"


def _one_class(size: Figure) -> County:
    return county(
        schools=(school("1", seg(classes=(Class(size=size),), classes_complete=True)),),
        schools_complete=True,
    )


@pytest.mark.parametrize(
    ("limit", "expected"),
    [(45, MET), (39, MET), (29, NOT_MET), (35, NO_DATA), (30, NO_DATA)],
)
def test_interval_comparison(limit: int, expected: Outcome) -> None:
    """30多 (30–39) is decided when the comparison is the same over the whole
    interval, else 缺少数据."""
    r = one(CLASS_SIZE.format(limit), _one_class(rng(30, 39, "30多")))
    assert expected == r.headline
    assert "30–39 人" == r.value


def test_undecided_interval_names_the_entity_and_figure() -> None:
    """An undecided comparison says which figure of which entity is a range."""
    r = one(CLASS_SIZE.format(35), _one_class(rng(30, 39, "30多")))
    assert ("S1 小学 1: 班额 = 30–39 人 is a range; '<=' is undecided",) == r.missing
    text = "rule 班额 { scope county require all(班额 <= 35 人 over 班级) }"
    agg = one(text, _one_class(rng(30, 39, "30多")))
    assert NO_DATA == agg.headline
    assert ("S1 小学 1: 班额 = 30–39 人 is a range; '<=' is undecided",) == agg.missing


def test_size_band_counts_every_class_of_the_band() -> None:
    """Classes given as size bands: a ``where`` the band leaves undecided
    counts all of the band's classes as possible (0–3 here), so ``<= 1`` is
    缺少数据, not 达到."""
    bands = (SizeBand(46, 55, count=F(2)), SizeBand(56, 65, count=F(3)))
    data = county(schools=(school("1", seg(size_bands=bands)),), schools_complete=True)
    text = "rule 大班 {{ scope county require count(over 班级 where 班额 >= {} 人) <= {} }}"
    r = one(text.format(60, 1), data)
    assert NO_DATA == r.headline
    assert "0–3" == r.value
    assert MET == one(text.format(56, 3), data).headline
    assert NOT_MET == one(text.format(56, 2), data).headline


def test_approximate_figure_is_used_and_flagged() -> None:
    """约212 is used as 212; the result and the report warn about it."""
    report = run(
        "rule 在岗 { scope county require 在岗教师数 >= 200 人 }",
        county(teachers_on_post=approx(212)),
    )
    r = report.items[0]
    assert MET == r.headline
    assert "约212 人" == r.value
    assert "approximate" in r.flags
    assert ("在岗: computed from approximate figures (约…), used as stated",) == report.warnings


def test_approximate_flag_belongs_to_the_entity_that_reads_it() -> None:
    """Only the class given as 约40 is flagged approximate, not the classes after it."""
    classes = (Class(name="甲", size=approx(40)), Class(name="乙", size=F(40)))
    data = county(
        schools=(school("1", seg(classes=classes, classes_complete=True)),),
        schools_complete=True,
    )
    r = one(CLASS_SIZE.format(45), data)
    assert [("S1 小学 甲", ("approximate",)), ("S1 小学 乙", ())] == [
        (e.entity, e.flags) for e in r.entities
    ]
    assert ("approximate",) == r.flags


# ---------------------------------------------------------- exact boundaries

PER100 = """
rule 骨干 {
  scope school segment
  require per100(县级以上骨干教师数, 在校生数) >= 0.9 人/百人
}
"""


@pytest.mark.parametrize(
    ("teachers", "expected", "shown", "margin"),
    [(9, MET, "0.9", "0"), (8, NOT_MET, "0.8", "-0.1"), (10, MET, "1", "0.1")],
)
def test_per100_exact_boundary(teachers: int, expected: Outcome, shown: str, margin: str) -> None:
    """9 teachers for 1,000 students is exactly 0.9 per 100 and meets ≥ 0.9;
    the value is shown per 100 students, not per student (0.009)."""
    data = county(
        schools=(school("1", seg(students=F(1000), backbone_teachers=F(teachers))),),
        schools_complete=True,
    )
    r = one(PER100, data)
    assert expected == r.headline
    assert (f"{shown} 人/百人", "0.9 人/百人", margin) == (r.value, r.threshold, r.margin)


@pytest.mark.parametrize(("pay", "expected"), [("3.825", MET), ("3.824", NOT_MET)])
def test_85_percent_of_4_5_is_exactly_3_825(pay: str, expected: Outcome) -> None:
    """85 % of 4.5 is 3.825 exactly (no binary floating point), shown in 元."""
    r = one(
        "rule 工资 { scope county require 乡村教师平均工资 >= 85% * 4.5 元 }",
        county(rural_teacher_pay=F(pay)),
    )
    assert expected == r.headline
    assert ("3.825 元", f"{pay} 元") == (r.threshold, r.value)


@pytest.mark.parametrize(
    ("rate", "ge", "gt"),
    [("90", MET, NOT_MET), ("90.01", MET, MET), ("89.99", NOT_MET, NOT_MET)],
)
def test_at_least_versus_more_than(rate: str, ge: Outcome, gt: Outcome) -> None:
    """不低于 (≥) includes the figure; 过九成 (> 90 %) does not (REFERENCE §9)."""
    report = run(
        "rule 不低于 { scope county require 校舍竣工率 >= 90% }\n"
        "rule 过九成 { scope county require 校舍竣工率 > 90% }",
        county(building_completion_rate=F(rate)),
    )
    assert {"不低于": ge, "过九成": gt} == report.headlines()


# -------------------------------------------------- unrounded and displayed

RATIO = """
setting display_precision = 2
rule 比例 {
  scope county
  require ratio(交流轮岗教师数, 符合交流条件教师数) <= 0.50 人/人
}
"""


def test_values_are_compared_unrounded_and_shown_consistently() -> None:
    """0.501787 against ≤ 0.50 is 未达到, and is never printed as 0.50.

    Rounding to 2 places first (the precision the rule set displays) would
    give 0.50 ≤ 0.50, the other verdict.
    """
    value = Fraction(501787, 1000000)
    rounded = Decimal(value.numerator) / Decimal(value.denominator)
    assert Decimal("0.50") == rounded.quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert Fraction(Decimal("0.50")) <= Fraction(1, 2)  # the rounded value would pass

    r = one(RATIO, county(rotated=F(501787), rotation_eligible=F(1000000)))
    assert NOT_MET == r.headline
    assert r.value is not None and r.threshold is not None and r.margin is not None
    assert not r.value.startswith("0.50 ")
    assert "0.502 人/人" == r.value
    assert "0.5 人/人" == r.threshold
    assert "-0.002" == r.margin  # a margin that is not 0 never prints as 0


def test_value_just_over_the_threshold_gets_the_digits_it_needs() -> None:
    """0.500001 against ≤ 0.50 is shown with as many places as it takes."""
    r = one(RATIO, county(rotated=F(500001), rotation_eligible=F(1000000)))
    assert NOT_MET == r.headline
    assert ("0.500001 人/人", "-0.000001") == (r.value, r.margin)


BOOKS = (279, 137, 935, 160, 402)
STUDENTS = (45, 37, 89, 76, 55)
CV_RULE = """
setting display_precision = {prec}
rule 图书差异系数 {{
  scope county segment [小学]
  require cv(图书册数 / 在校生数 over 学段) <= {limit}
}}
"""


def _five_schools() -> County:
    return county(
        schools=tuple(
            school(str(i), seg(students=F(n), books=F(b)))
            for i, (n, b) in enumerate(zip(STUDENTS, BOOKS, strict=True), start=1)
        ),
        schools_complete=True,
    )


def test_student_weighted_cv_of_the_worked_example() -> None:
    """REFERENCE §3.2: the student-weighted population CV is 0.5153 (4 places),
    published as 0.52 (2 places); the unweighted population CV, 0.4888,
    would pass a 0.50 threshold the weighted one fails."""
    ratios = [Fraction(b, n) for b, n in zip(BOOKS, STUDENTS, strict=True)]
    floats = [float(x) for x in ratios]
    unweighted = statistics.pstdev(floats) / statistics.mean(floats)
    assert "0.4888" == f"{unweighted:.4f}"

    at4 = one(CV_RULE.format(prec=4, limit="0.55"), _five_schools())
    assert (MET, "0.5153", "0.55") == (at4.headline, at4.value, at4.threshold)
    at2 = one(CV_RULE.format(prec=2, limit="0.55"), _five_schools())
    assert "0.52" == at2.value

    r = one(CV_RULE.format(prec=3, limit="0.50"), _five_schools())
    assert NOT_MET == r.headline  # the unweighted 0.4888 would have met it
    assert ("0.515", "0.5", "-0.015") == (r.value, r.threshold, r.margin)


def test_cv_over_schools_weights_by_the_schools_students() -> None:
    """Over 学校 the default weight is each school's 在校生数, the sum of its
    segments': the same 0.515 as with the weight written out."""
    data = county(
        schools=tuple(
            school(str(i), seg(students=F(n)), books=F(b))
            for i, (n, b) in enumerate(zip(STUDENTS, BOOKS, strict=True), start=1)
        ),
        schools_complete=True,
    )
    text = "rule 图书 {{ scope county require cv(图书册数 / 在校生数{} over 学校) <= 0.55 }}"
    implicit = one(text.format(""), data)
    explicit = one(text.format(", 在校生数"), data)
    assert (MET, "0.515") == (implicit.headline, implicit.value)
    assert (explicit.headline, explicit.value) == (implicit.headline, implicit.value)


def test_cv_needs_two_schools_with_students() -> None:
    """A 差异系数 over one school is 不适用: a single school has no inter-school
    balance (issue: the 差异系数 and the resource block, edge cases)."""
    data = county(schools=(school("1", seg(students=F(45), books=F(279))),), schools_complete=True)
    r = one(CV_RULE.format(prec=3, limit="0.50"), data)
    assert NA == r.headline
    assert r.reason is not None and "single school" in r.reason


def test_margin_marks_borderline() -> None:
    """``margin`` flags a result within the margin of the threshold."""
    text = "rule 竣工 {{ scope county require 校舍竣工率 >= 90% margin 0.5 }}"
    near = one(text.format(), county(building_completion_rate=F("90.3")))
    assert (MET, "0.3", ("borderline",)) == (near.headline, near.margin, near.flags)
    far = one(text.format(), county(building_completion_rate=F("91")))
    assert () == far.flags


def test_share_is_shown_as_a_percentage() -> None:
    """A reported share is shown in per cent, and a bare number has no unit."""
    classes = tuple(Class(size=F(n)) for n in (40, 50, 57, 70))
    data = county(
        schools=(school("1", seg(classes=classes, classes_complete=True)),),
        schools_complete=True,
    )
    r = one(
        "rule 大班额 { scope county report 比例 = share(班额 >= 56 人 over 班级) "
        "report 个数 = count(over 班级 where 班额 >= 56 人) }",
        data,
    )
    assert [("比例", "50%"), ("个数", "2")] == [(v.name, v.text) for v in r.reports]
    assert r.headline is None and r.report_only


# --------------------------------------------------------------- 自评 vs 核算

ATTESTED = "rule 竣工 { attested scope county require 校舍竣工率 > 90% }"


def test_computed_result_wins_and_disagreement_is_flagged() -> None:
    """Where the data decides, the headline is 核算; a differing 自评 is kept and flagged."""
    r = one(
        ATTESTED,
        county(
            building_completion_rate=F(80),
            attestations=(Attestation("竣工", SelfStatus.MET, "已完成"),),
        ),
    )
    assert (SelfStatus.MET, MET) == (r.self_status, r.self_outcome)
    assert (NOT_MET, NOT_MET) == (r.computed, r.headline)
    assert r.disagreement and "disagreement" in r.flags
    assert "已完成" == r.self_evidence


def test_agreement_is_not_flagged() -> None:
    """自评 and 核算 that agree raise no flag."""
    r = one(
        ATTESTED,
        county(
            building_completion_rate=F(95),
            attestations=(Attestation("竣工", SelfStatus.MET),),
        ),
    )
    assert (MET, False, ()) == (r.headline, r.disagreement, r.flags)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (SelfStatus.MET, MET),
        (SelfStatus.BASICALLY_MET, BASICALLY),
        (SelfStatus.IN_TRIAL, BASICALLY),
        (SelfStatus.NOT_MET, NOT_MET),
        (SelfStatus.NOT_APPLICABLE, NA),
        (SelfStatus.NOT_STATED, NO_DATA),
    ],
)
def test_self_assessment_is_the_headline_when_data_is_missing(
    status: SelfStatus, expected: Outcome
) -> None:
    """Without the figure the headline is 自评 mapped: 试行 → 基本达到, 未说明 → 缺少数据."""
    r = one(ATTESTED, county(attestations=(Attestation("竣工", status),)))
    assert NO_DATA == r.computed
    assert status == r.self_status
    assert expected == r.headline
    assert not r.disagreement


def test_provisional_threshold_marks_the_headline() -> None:
    """A decided headline resting on a provisional threshold is marked provisional;
    a headline taken from 自评 is not."""
    text = """
    value 上限 = 90% provisional "national figure from memory"
    rule 竣工 { attested scope county require 校舍竣工率 > 上限 }
    """
    report = run(text, county(building_completion_rate=F(95)))
    r = report.items[0]
    assert (MET, True) == (r.headline, r.provisional)
    assert "provisional" in r.flags
    assert ("上限: national figure from memory",) == report.provisional_values
    from_self = one(text, county(attestations=(Attestation("竣工", SelfStatus.MET),)))
    assert (MET, False) == (from_self.headline, from_self.provisional)


def test_no_answer_and_no_data_is_no_data() -> None:
    """An attested item the county did not answer is 缺少数据 with the reason."""
    r = one('item 1 "标准统一" { attested }', county())
    assert (None, NO_DATA) == (r.computed, r.headline)
    assert "no self-assessment given and no computed rule" == r.reason


# ------------------------------------------------------------ parts of items

ITEM = """
item 9 "三个部分" {
  part 9.1 "竣工" { scope county require 校舍竣工率 > 90% }
  part 9.2 "辍学" {
    scope county
    applies when 辍学率 > 0% otherwise "无辍学"
    require 辍学率 <= 1%
  }
  part 9.3 "机制" { attested }
}
"""


def test_parts_combine_leaving_out_not_applicable() -> None:
    """Part headlines first, then the item: 不适用 parts and parts with no
    outcome in a column are left out; the worst of the rest wins."""
    report = run(
        ITEM,
        county(
            building_completion_rate=F(95),
            dropout_rate=F(0),
            attestations=(Attestation("9.3", SelfStatus.IN_TRIAL),),
        ),
    )
    heads = report.headlines()
    assert {"9.1": MET, "9.2": NA, "9.3": BASICALLY, "9": BASICALLY} == heads
    item = report.item("9")
    assert MET == item.computed  # 9.1 达到; 9.2 不适用 and 9.3 (no 核算) left out
    assert BASICALLY == item.self_outcome  # only 9.3 answered: 试行 → 基本达到
    assert "无辍学" == report.item("9.2").reason


def test_part_takes_the_item_answer_unless_answered_separately() -> None:
    """A part's 自评 is the item's answer unless the part is answered itself."""
    report = run(
        ITEM,
        county(
            building_completion_rate=F(80),
            dropout_rate=F(0),
            attestations=(
                Attestation("9", SelfStatus.MET),
                Attestation("9.3", SelfStatus.NOT_STATED),
            ),
        ),
    )
    assert SelfStatus.MET == report.item("9.1").self_status
    assert SelfStatus.NOT_STATED == report.item("9.3").self_status
    assert NO_DATA == report.item("9.3").headline  # 未说明 → 缺少数据
    assert report.item("9.1").disagreement  # 自评 达到, 核算 未达到
    item = report.item("9")
    assert NOT_MET == item.headline  # worst: 未达到 > 缺少数据 > 基本达到 > 达到
    assert ("9.1",) == item.failing


def test_all_parts_not_applicable_make_the_item_not_applicable() -> None:
    """An item whose parts are all 不适用 is 不适用; with the figure missing it is 缺少数据."""
    text = """
    item 8 "辍学" {
      part 8.1 "a" { scope county applies when 辍学率 > 0% otherwise "无辍学" require 辍学率 <= 1% }
      part 8.2 "b" { scope county applies when 辍学率 > 0% otherwise "无辍学" require 辍学率 <= 2% }
    }
    """
    known = run(text, county(dropout_rate=F(0)))
    assert {"8": NA, "8.1": NA, "8.2": NA} == known.headlines()
    assert NA == known.overall
    unknown = run(text, county(dropout_rate=None))
    assert {"8": NO_DATA, "8.1": NO_DATA, "8.2": NO_DATA} == unknown.headlines()


# ------------------------------------------------------------ dated values

DATED = """
value 下限 "竣工率下限" = dated {
  from 2020-01-01 until 2020-12-31: report_only
  from 2021-01-01: 90%
}
rule 竣工 { scope county require 校舍竣工率 >= 下限 }
"""


def test_no_threshold_in_force_is_no_data() -> None:
    """Before any period starts the rule is 缺少数据: no threshold in force."""
    r = one(DATED, county(building_completion_rate=F(95), as_of=datetime.date(2019, 6, 1)))
    assert NO_DATA == r.headline
    assert "no threshold in force" == r.reason
    assert ("no threshold in force at 2019-06-01",) == r.missing


def test_report_only_period_shows_the_value_without_a_verdict() -> None:
    """In a report_only period the value is shown and there is no verdict."""
    report = run(DATED, county(building_completion_rate=F(95), as_of=datetime.date(2020, 6, 1)))
    r = report.items[0]
    assert (None, None, True) == (r.computed, r.headline, r.report_only)
    assert "report-only" in r.flags
    assert "95%" == r.value  # shown as the item's value, not as an unnamed report line
    assert [] == [v.text for v in r.reports]
    assert "2020-01-01–2020-12-31" == r.period
    assert 0 == report.exit_code(strict=True)


def test_threshold_in_force_decides() -> None:
    """Once a period with a threshold is in force the rule is decided."""
    r = one(DATED, county(building_completion_rate=F(85), as_of=datetime.date(2021, 6, 1)))
    assert (NOT_MET, "85%", "90%", "2021-01-01–") == (r.headline, r.value, r.threshold, r.period)


def test_as_of_comes_from_the_data() -> None:
    """``as_of=None`` uses the date the data states."""
    report = run(DATED, county(building_completion_rate=F(95), as_of=datetime.date(2021, 3, 1)))
    assert (datetime.date(2021, 3, 1), "stated") == (report.as_of, report.as_of_basis)
    assert MET == report.items[0].headline


def test_as_of_argument_wins_over_the_data() -> None:
    """An explicit ``as_of`` overrides the data's date."""
    data = county(building_completion_rate=F(95), as_of=datetime.date(2019, 3, 1))
    report = run(DATED, data, as_of=datetime.date(2021, 3, 1))
    assert (datetime.date(2021, 3, 1), "argument") == (report.as_of, report.as_of_basis)
    assert MET == report.items[0].headline


def test_as_of_from_the_school_year() -> None:
    """Without a date, the school year gives 1 September of its first year."""
    data = county(building_completion_rate=F(95), as_of=None, school_year="2020-2021学年")
    report = run(DATED, data)
    assert datetime.date(2020, 9, 1) == report.as_of
    assert report.items[0].report_only  # 2020-09-01 falls in the report-only period


def test_no_date_with_dated_values_is_an_error() -> None:
    """No date anywhere and a dated value: EvaluationError, not a guess."""
    with pytest.raises(EvaluationError, match="as_of"):
        run(DATED, county(building_completion_rate=F(95), as_of=None))


def test_no_date_needed_without_dated_values() -> None:
    """A rule set with no dated values evaluates undated data."""
    r = one("rule 竣工 { scope county require 校舍竣工率 >= 90% }", county(as_of=None))
    assert NO_DATA == r.headline


# ------------------------------------------------------ county figure vs sum

STUDENTS_RULE = "rule 规模 { scope county require 在校生数 >= 1000 人 }"


def _two_schools() -> tuple[School, ...]:
    return (school("1", seg(students=F(1000))), school("2", seg(students=F(600))))


def test_county_figure_wins_and_difference_is_warned() -> None:
    """A county figure and a differing sum over a complete school list: the
    county figure is used, with a warning."""
    report = run(
        STUDENTS_RULE, county(students=F(1655), schools=_two_schools(), schools_complete=True)
    )
    assert "1655 人" == report.items[0].value
    assert (
        "测试县 在校生数: the county figure (1655) differs from the sum over its schools "
        "(1600); the county figure is used",
    ) == report.warnings


def test_county_figure_equal_to_sum_is_not_warned() -> None:
    """No warning when the county figure equals the sum."""
    report = run(
        STUDENTS_RULE, county(students=F(1600), schools=_two_schools(), schools_complete=True)
    )
    assert () == report.warnings


def test_sum_stands_in_for_a_missing_county_figure() -> None:
    """Over a complete list the sum stands in for a missing county figure;
    over an incomplete list it does not."""
    complete = run(STUDENTS_RULE, county(schools=_two_schools(), schools_complete=True))
    assert (MET, "1600 人") == (complete.items[0].headline, complete.items[0].value)
    partial = run(STUDENTS_RULE, county(schools=_two_schools(), schools_complete=False))
    assert NO_DATA == partial.items[0].headline
    assert ("测试县: 在校生数 missing",) == partial.items[0].missing


# ---------------------------------------------------------- division by zero


def test_division_by_zero_is_no_data_with_reason() -> None:
    """A ratio over 0 is 缺少数据 with the reason, never a verdict."""
    r = one(RATIO, county(rotated=F(5), rotation_eligible=F(0)))
    assert NO_DATA == r.headline
    assert ("division by zero (the divisor is 0 or may be 0)",) == r.missing


def test_share_over_no_classes_is_division_by_zero() -> None:
    """A share over an empty, complete class list divides by zero: 缺少数据."""
    data = county(
        schools=(school("1", seg(classes=(), classes_complete=True)),), schools_complete=True
    )
    r = one("rule 大班额 { scope county require share(班额 >= 56 人 over 班级) <= 5% }", data)
    assert NO_DATA == r.headline
    assert ("share(…) over no 班级: division by zero",) == r.missing


def test_missing_figure_is_never_zero() -> None:
    """A missing figure makes 缺少数据 naming it; it is not taken as 0."""
    r = one(
        "rule 轮岗 { scope county require 交流轮岗教师数 >= 10% * 符合交流条件教师数 }",
        county(rotated=F(5)),
    )
    assert NO_DATA == r.headline
    assert ("测试县: 符合交流条件教师数 missing",) == r.missing
    assert "5 人" == r.value


# ------------------------------------------------------ basically, Kleene, veto

BASIC = "rule 竣工 { scope county require 校舍竣工率 >= 95% basically 校舍竣工率 >= 90% }"


@pytest.mark.parametrize(("rate", "expected"), [(96, MET), (92, BASICALLY), (80, NOT_MET)])
def test_basically(rate: int, expected: Outcome) -> None:
    """``basically`` gives 基本达到 when the requirement fails but it holds."""
    assert expected == one(BASIC, county(building_completion_rate=F(rate))).headline


def test_basically_on_missing_data_is_no_data() -> None:
    """A failed requirement whose ``basically`` is unknown is 缺少数据."""
    text = "rule 竣工 { scope county require 校舍竣工率 >= 95% basically 设备采购完成率 >= 90% }"
    r = one(text, county(building_completion_rate=F(80)))
    assert NO_DATA == r.headline
    assert ("测试县: 设备采购完成率 missing",) == r.missing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("校舍竣工率 >= 90% and 设备采购完成率 >= 90%", NOT_MET),  # false ∧ missing
        ("校舍竣工率 < 90% or 设备采购完成率 >= 90%", MET),  # true ∨ missing
        ("校舍竣工率 >= 90% or 设备采购完成率 >= 90%", NO_DATA),  # false ∨ missing
        ("not (设备采购完成率 >= 90%)", NO_DATA),  # ¬ missing
    ],
)
def test_kleene_logic(text: str, expected: Outcome) -> None:
    """false ∧ missing = false; true ∨ missing = true; otherwise missing stays missing."""
    r = one(f"rule r {{ scope county require {text} }}", county(building_completion_rate=F(80)))
    assert expected == r.headline


VETO = """
block 均衡 "均衡" {{
  combine any_met
  rule 竣工 {{ scope county require 校舍竣工率 > 90% }}
  rule 辍学 {{ {veto} scope county require 辍学率 <= 1% }}
}}
"""


def test_veto_item_fails_the_block() -> None:
    """A failing veto item makes its block and the overall verdict 未达到,
    whatever the block's combination says."""
    data = county(building_completion_rate=F(95), dropout_rate=F(3))
    vetoed = run(VETO.format(veto="veto"), data)
    assert (NOT_MET, ("辍学",)) == (vetoed.sections[0].outcome, vetoed.sections[0].vetoed)
    assert NOT_MET == vetoed.overall
    plain = run(VETO.format(veto=""), data)
    assert (MET, ()) == (plain.sections[0].outcome, plain.sections[0].vetoed)


# ------------------------------------------------------------------- exit codes


def test_exit_code() -> None:
    """0 without 未达到; 1 with it; ``strict`` also counts 基本达到 and 缺少数据."""
    assert 1 == run(BASIC, county(building_completion_rate=F(80))).exit_code()
    basically = run(BASIC, county(building_completion_rate=F(92)))
    assert (0, 1) == (basically.exit_code(), basically.exit_code(strict=True))
    missing = run(BASIC, county())
    assert (0, 1) == (missing.exit_code(), missing.exit_code(strict=True))
    assert (0, 0) == (
        run(BASIC, county(building_completion_rate=F(99))).exit_code(),
        run(BASIC, county(building_completion_rate=F(99))).exit_code(strict=True),
    )


# ------------------------------------------------------------- keyed values

QUOTA = """
value 定额 = dated {
  from 2016-01-01 until 2016-12-31: by region {
    东部: by segment { 小学: 650 元/人, 初中: 850 元/人 },
    中部, 西部: by segment { 小学: 600 元/人, 初中: 800 元/人 }
  }
  from 2017-01-01: by segment { 小学: 650 元/人, 初中: 850 元/人 }
}
rule 公用 { scope county segment [小学, 初中] require 生均公用经费 >= 定额 }
"""


def test_values_keyed_by_region_segment_and_date() -> None:
    """The threshold is looked up by date, region and segment: a 中部 county at
    600 元 meets 小学's 600 in 2016 but not 650 in 2017; its 初中 figure is
    missing (缺少数据); without a region the 2016 threshold is unknown."""
    from eduint.data.models import Region

    funds = (CountySegment(Segment.PRIMARY, public_funds_per_student=F(600)),)
    in_2016 = one(
        QUOTA, county(region=Region.CENTRAL, as_of=datetime.date(2016, 6, 1), segments=funds)
    )
    assert [("测试县 小学", MET, "600 元/人"), ("测试县 初中", NO_DATA, "800 元/人")] == [
        (e.entity, e.outcome, e.threshold) for e in in_2016.entities
    ]
    assert NO_DATA == in_2016.headline
    in_2017 = one(
        QUOTA, county(region=Region.CENTRAL, as_of=datetime.date(2017, 6, 1), segments=funds)
    )
    assert (NOT_MET, "650 元/人") == (in_2017.entities[0].outcome, in_2017.entities[0].threshold)
    no_region = one(QUOTA, county(as_of=datetime.date(2016, 6, 1), segments=funds))
    assert NO_DATA == no_region.entities[0].outcome
    assert ("测试县 地区 (region class) not given",) == no_region.entities[0].missing
