"""Hypothesis strategies for eduint's data models (re-exported by :mod:`eduint.testing`).

Rule authors and developers use these to write property tests of rule sets:
"whatever the county's data, my provincial rule gives a verdict or 缺少数据,
never a crash", "more backbone teachers never turn 达到 into 未达到".  See
``docs/testing.md`` for a worked example.

The strategies need the optional extra ``eduint[testing]`` (Hypothesis).  Neither
``import eduint`` nor ``import eduint.testing`` imports Hypothesis: it is imported
when a strategy function is first called, so that merely importing this module costs
no start-up time.

Every function returns a :class:`hypothesis.strategies.SearchStrategy`.
Arguments are keyword-only and are checked when the function is called: a bad
argument raises :class:`hypothesis.errors.InvalidArgument` naming it as
``name=value``.  (Hypothesis itself defers such errors to the first draw; eduint
checks at once so that the traceback points at the line that passed the bad
argument.)

The strategies are written out field by field rather than with
``st.builds(Model)``, which cannot see the models' ranges and units
(STYLE §9 item 9).  What they generate:

* figures (:class:`~eduint.data.models.Figure`) that are exact, approximate
  (``约212``), intervals (``30多`` = 30–39, ``不足10`` = 0–9) or missing
  (``None``), as the statistics and the reports give them;
* lists of schools and classes that may be missing (``None``), empty, complete
  or incomplete;
* answers (自评) with every :class:`~eduint.data.models.SelfStatus`.

Generated data is plausible, not consistent: a segment may report more
backbone teachers than full-time teachers.  Rules must cope with that too.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from eduint.data import models

if TYPE_CHECKING:  # imported when a strategy is first built (see the module docstring)
    from hypothesis import strategies as st

__all__ = [
    "attestations",
    "classes",
    "counties",
    "figures",
    "school_segments",
    "schools",
]

Number = int | Decimal

_SCHOOL_NAMES = (
    "育人小学",
    "实验小学",
    "第一中学",
    "第二中学",
    "中心小学",
    "红旗小学",
    "民族中学",
    "九年一贯制学校",
    "希望小学",
    "朝阳初级中学",
)
_COUNTY_NAMES = ("宝山区", "尖山区", "友谊县", "饶河县", "集贤县")
_CLASS_NAMES = ("一班", "二班", "三班", "四班", "五班", "六班")


from eduint.testing._validate import (  # noqa: E402  (shared with generators)
    _check_bool,
    _check_count,
    _check_number,
    _check_order,
    _invalid,
)

# --------------------------------------------------------------------- figures


def _ceil(x: Number | Fraction) -> int:
    f = Fraction(x)
    return -((-f.numerator) // f.denominator)


def _floor(x: Number | Fraction) -> int:
    f = Fraction(x)
    return f.numerator // f.denominator


def figures(
    *,
    min_value: Number = 0,
    max_value: Number = 10_000,
    unit_whole: bool = True,
    intervals: bool = True,
    approximate: bool = True,
    missing: bool = True,
) -> st.SearchStrategy[models.Figure | None]:
    """Reported figures: exact, approximate, intervals, or missing.

    Exact figures come five times as often as each other kind, and shrink first.

    Args:
        min_value: the smallest value a figure may allow (an ``int`` or
            :class:`~decimal.Decimal`, in the field's unit).
        max_value: the largest value a figure may allow.
        unit_whole: True for counts (人, 班, 所, 册 ...): whole numbers only;
            False also gives values with up to 2 decimal places (元, 平方米, %).
        intervals: also give ranges such as ``30多`` (30–39), ``不足10`` (0–9)
            and ``120–135``.
        approximate: also give approximate figures such as ``约212``.
        missing: also give ``None`` (a missing figure, never 0).

    Returns:
        A strategy for :class:`~eduint.data.models.Figure` or ``None``; every
        figure's ``low`` and ``high`` lie in ``[min_value, max_value]``.

    Raises:
        InvalidArgument: an argument has the wrong type, ``min_value >
            max_value``, or ``unit_whole`` is True and no whole number lies
            between the bounds.
    """
    lo = _check_number("min_value", min_value)
    hi = _check_number("max_value", max_value)
    _check_order("min_value", lo, "max_value", hi)
    for name, flag in (
        ("unit_whole", unit_whole),
        ("intervals", intervals),
        ("approximate", approximate),
        ("missing", missing),
    ):
        _check_bool(name, flag)
    if unit_whole and _ceil(lo) > _floor(hi):
        raise _invalid(
            f"No whole number lies between min_value={lo!r} and max_value={hi!r}; "
            f"pass unit_whole=False or widen the bounds"
        )
    return _figures(lo, hi, unit_whole, intervals, approximate, missing)


@functools.cache
def _figures(
    lo: Number, hi: Number, whole: bool, intervals: bool, approximate: bool, missing: bool
) -> st.SearchStrategy[models.Figure | None]:
    # Cached, and every inner strategy built here once: building strategies
    # inside a draw makes Hypothesis many times slower.
    from hypothesis import strategies as st

    values: st.SearchStrategy[Decimal]
    if whole:
        values = st.integers(_ceil(lo), _floor(hi)).map(Decimal)
    else:
        values = st.integers(_ceil(Fraction(lo) * 100), _floor(Fraction(hi) * 100)).map(
            lambda cents: Decimal(cents).scaleb(-2)
        )
    kinds = ["exact"] * 5
    if approximate:
        kinds.append("approximate")
    if intervals:
        kinds += ["interval", "tens"]
    if missing:
        kinds.append("missing")
    kind_st = st.sampled_from(kinds)

    def width(v: Decimal) -> st.SearchStrategy[int]:
        return _ints(1, 9 + abs(int(v)) // 10)

    @st.composite
    def figure(draw: st.DrawFn) -> models.Figure | None:
        kind = draw(kind_st)
        if kind == "missing":
            return None
        v = draw(values)
        if kind == "exact":
            return models.Figure.exact(v)
        if kind == "approximate":
            return models.Figure(v, v, True, f"约{_plain(v)}")
        if kind == "tens":
            # "30多" is 30–39; "不足10" is 0–9 (when the bounds allow them)
            tens = (int(v) // 10) * 10
            if tens >= 10 and tens >= lo and tens + 9 <= hi:
                return models.Figure(Decimal(tens), Decimal(tens + 9), False, f"{tens}多")
            if lo <= 0 and 9 <= hi:
                return models.Figure(Decimal(0), Decimal(9), False, "不足10")
        # a range a little wider than a tens range: 1 to 9 + |v|/10 wide
        high = min(v + draw(width(v)), Decimal(hi))
        if high <= v:
            return models.Figure.exact(v)
        return models.Figure(v, high, False, f"{_plain(v)}–{_plain(high)}")

    return figure()


@functools.cache
def _ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    from hypothesis import strategies as st

    return st.integers(lo, hi)


def _plain(d: Decimal) -> str:
    return format(d, "f")


def _fig(max_value: int, whole: bool = True) -> st.SearchStrategy[models.Figure | None]:
    return _figures(0, max_value, whole, True, True, True)


def _optional(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    from hypothesis import strategies as st

    return st.none() | st.sampled_from(values)


# --------------------------------------------------------------------- classes


def classes() -> st.SearchStrategy[models.Class]:
    """Classes (班级) with a size (班额, 1–80 人, possibly approximate, an
    interval such as ``50多`` or missing), an optional name and grade (1–9).

    Returns:
        A strategy for :class:`~eduint.data.models.Class`.
    """
    return _classes()


@functools.cache
def _classes() -> st.SearchStrategy[models.Class]:
    from hypothesis import strategies as st

    names = _optional(_CLASS_NAMES)
    grades = st.none() | st.integers(1, 9)
    sizes = _figures(1, 80, True, True, True, True)

    @st.composite
    def klass(draw: st.DrawFn) -> models.Class:
        return models.Class(name=draw(names), grade=draw(grades), size=draw(sizes))

    return klass()


# The statistics' class-size bands: ..., 46–50, 51–55, 56–65, 66 and over.
_BANDS = ((1, 45), (46, 50), (51, 55), (56, 65), (66, None))


# ------------------------------------------------------------- school segments


def school_segments(
    *, segment: models.Segment | None = None
) -> st.SearchStrategy[models.SchoolSegment]:
    """One segment (小学, 初中 or 高中) of a school with its figures.

    The class list is missing (``None``), empty or up to 6 classes, and marked
    complete or not; sometimes the classes are given as size bands instead.
    Half the time only the core figures are given (在校生数, 专任教师数,
    县级以上骨干教师数, 图书册数 and the classes), as when a report fills in
    the teacher tables but not the facilities tables.

    Args:
        segment: the segment to generate, or ``None`` for any.

    Returns:
        A strategy for :class:`~eduint.data.models.SchoolSegment`.

    Raises:
        InvalidArgument: ``segment`` is not a :class:`~eduint.data.models.Segment` or ``None``.
    """
    from hypothesis import strategies as st

    if segment is not None and not isinstance(segment, models.Segment):
        raise _invalid(
            f"Expected segment to be an eduint.data.models.Segment or None, but got "
            f"segment={segment!r} (type={type(segment).__name__})"
        )
    which = st.just(segment) if segment is not None else st.sampled_from(models.Segment)

    @st.composite
    def seg(draw: st.DrawFn) -> models.SchoolSegment:
        return _draw_segment(draw, draw(which), draw(_fig(3000)))

    return seg()


class _Shared:
    """The strategies every draw shares, built once on first use (Hypothesis then)."""

    def __init__(self) -> None:
        from hypothesis import strategies as st

        self.class_lists = st.lists(_classes(), max_size=6).map(tuple)
        self.class_form = st.sampled_from(["list", "list", "missing", "bands"])
        self.band_count = _figures(0, 20, True, False, False, True)
        self.segment_sets = st.lists(
            st.sampled_from(models.Segment), min_size=1, max_size=3, unique=True
        )
        self.student_form = st.sampled_from(["exact"] * 6 + ["approximate", "missing"])
        self.school_ids = st.integers(1, 10**8).map(str)
        self.school_name = _optional(_SCHOOL_NAMES)
        self.school_kind = _optional(tuple(models.SchoolKind))
        self.ownership = _optional(tuple(models.Ownership))
        self.location = _optional(tuple(models.Location))
        self.maybe_bool = st.none() | st.booleans()
        self.segments_given = st.integers(0, 9)
        self.county_segment_sets = st.lists(
            st.sampled_from(models.Segment), max_size=3, unique=True
        )
        self.attestation_lists = st.lists(
            _attestations(), max_size=12, unique_by=lambda a: a.item
        ).map(tuple)
        self.county_name = st.sampled_from(_COUNTY_NAMES)
        self.county_code = _optional(("230502", "230503", "230522"))
        self.region = _optional(tuple(models.Region))
        self.percent = _figures(0, 100, False, True, True, True)
        self.dropout = _figures(0, 10, False, True, True, True)
        self.dating = st.fixed_dictionaries(
            {},
            optional={
                "as_of": st.dates(datetime.date(2015, 1, 1), datetime.date(2026, 12, 31)),
                "school_year": st.integers(2015, 2026).map(lambda y: f"{y}-{y + 1}学年"),
                "date_basis": st.sampled_from(models.DateBasis),
            },
        )


@functools.cache
def _shared() -> _Shared:
    return _Shared()


def _draw_segment(
    draw: st.DrawFn, segment: models.Segment, students: models.Figure | None
) -> models.SchoolSegment:
    from hypothesis import strategies as st

    sh = _shared()
    how = draw(sh.class_form)
    cls: tuple[models.Class, ...] | None = None
    bands: tuple[models.SizeBand, ...] | None = None
    if how == "list":
        cls = draw(sh.class_lists)
    elif how == "bands":
        bands = tuple(models.SizeBand(a, b, count=draw(sh.band_count)) for a, b in _BANDS)
    full = draw(st.booleans())

    def more(max_value: int, whole: bool = True) -> models.Figure | None:
        return draw(_fig(max_value, whole)) if full else None

    return models.SchoolSegment(
        segment,
        students=students,
        classes=cls,
        classes_complete=draw(st.booleans()),
        size_bands=bands,
        full_time_teachers=draw(_fig(200)),
        backbone_teachers=draw(_fig(60)),
        books=draw(_fig(100_000)),
        boarders=more(1000),
        class_count=more(60),
        teachers_above_degree=more(200),
        pe_arts_teachers=more(40),
        certified_teachers=more(200),
        titled_teachers=more(200),
        floor_area_teaching=more(40_000, False),
        indoor_sports_area=more(5_000, False),
        sports_area=more(40_000, False),
        equipment_value=more(5_000_000, False),
        multimedia_rooms=more(80),
        computers=more(1_000),
        public_funds=more(3_000_000, False),
    )


# --------------------------------------------------------------------- schools


def schools(*, min_students: int = 0, max_students: int = 3000) -> st.SearchStrategy[models.School]:
    """Schools with their segments and whole-school figures.

    A school has one to three segments (a 九年一贯制 school has 小学 and 初中),
    or, one time in ten, its segment figures are missing altogether
    (``segments=None``).  When every segment's 在校生数 is given, their sum
    (the school's 在校生数) lies in ``[min_students, max_students]``; a
    segment's figure may also be approximate or missing.  Half the time only
    the core whole-school figures are given.

    Args:
        min_students: the fewest students a school has (人).
        max_students: the most students a school has (人).

    Returns:
        A strategy for :class:`~eduint.data.models.School`; ``id`` is a string of digits.

    Raises:
        InvalidArgument: a bound is not a whole number ≥ 0, or
            ``min_students > max_students``.
    """
    lo = _check_count("min_students", min_students)
    hi = _check_count("max_students", max_students)
    _check_order("min_students", lo, "max_students", hi)
    return _schools(lo, hi)


@functools.cache
def _schools(lo: int, hi: int) -> st.SearchStrategy[models.School]:
    from hypothesis import strategies as st

    totals = st.integers(lo, hi)
    sh = _shared()

    @st.composite
    def school(draw: st.DrawFn) -> models.School:
        segs: tuple[models.SchoolSegment, ...] | None = None
        if draw(sh.segments_given) > 0:
            which = draw(sh.segment_sets)
            total = draw(totals)
            points = sorted(draw(_ints(0, total)) for _ in which[1:])
            counts = [b - a for a, b in zip([0, *points], [*points, total], strict=True)]
            built = []
            for s, n in zip(which, counts, strict=True):
                how = draw(sh.student_form)
                fig: models.Figure | None
                if how == "exact":
                    fig = models.Figure.exact(n)
                elif how == "approximate":
                    fig = models.Figure(Decimal(n), Decimal(n), True, f"约{n}")
                else:
                    fig = None
                built.append(_draw_segment(draw, s, fig))
            segs = tuple(built)
        full = draw(st.booleans())

        def more(max_value: int, whole: bool = True) -> models.Figure | None:
            return draw(_fig(max_value, whole)) if full else None

        return models.School(
            id=draw(sh.school_ids),
            name=draw(sh.school_name),
            kind=draw(sh.school_kind),
            ownership=draw(sh.ownership),
            location=draw(sh.location),
            boarding=draw(sh.maybe_bool),
            boarders=more(1000),
            floor_area_teaching=more(60_000, False),
            indoor_sports_area=more(8_000, False),
            sports_area=more(60_000, False),
            equipment_value=more(8_000_000, False),
            multimedia_rooms=more(120),
            books=more(150_000),
            computers=more(1_500),
            public_funds=more(5_000_000, False),
            rotation_eligible=more(200),
            rotated=more(50),
            rotated_backbone=more(20),
            segments=segs,
        )

    return school()


# ----------------------------------------------------------------- attestations


def attestations() -> st.SearchStrategy[models.Attestation]:
    """The county's answers (自评) to checklist items and parts.

    Item labels follow checklist numbering (``"12"``, ``"12.1"``): 1–40,
    optionally with a part number 1–4, which covers the bundled rule sets.
    Every :class:`~eduint.data.models.SelfStatus` occurs, 试行 and 未说明 included.

    Returns:
        A strategy for :class:`~eduint.data.models.Attestation`.
    """
    return _attestations()


@functools.cache
def _attestations() -> st.SearchStrategy[models.Attestation]:
    from hypothesis import strategies as st

    labels = st.tuples(st.integers(1, 40), st.none() | st.integers(1, 4)).map(
        lambda t: str(t[0]) if t[1] is None else f"{t[0]}.{t[1]}"
    )
    statuses = st.sampled_from(models.SelfStatus)
    evidence = _optional(("已出台文件", "生均600元/年", "正在推进"))
    actors = _optional(tuple(models.Actor))

    @st.composite
    def attestation(draw: st.DrawFn) -> models.Attestation:
        return models.Attestation(
            draw(labels), draw(statuses), evidence=draw(evidence), actor=draw(actors)
        )

    return attestation()


# --------------------------------------------------------------------- counties


def counties(
    *,
    min_schools: int | None = None,
    max_schools: int | None = None,
    complete: bool | None = None,
    kinds: Any = None,
    locations: Any = None,
    one_through: float | None = None,
    missing: float | None = None,
) -> st.SearchStrategy[models.County]:
    """Counties with county figures, county segments, answers (自评) and schools.

    The school list is missing (``schools=None``) some of the time when
    ``min_schools`` is 0; otherwise it holds between ``min_schools`` and
    ``max_schools`` schools with distinct ids.  The data may be dated by
    ``as_of``, by a school year, or not at all (evaluate it with an explicit
    ``as_of`` then, or expect :class:`~eduint.engine.evaluator.EvaluationError` from a
    rule set with dated values).

    Given any of ``kinds``, ``locations``, ``one_through`` or ``missing``, the counties
    are realistic instead (:func:`eduint.testing.from_ruleset` with every figure):
    3–30 schools by default, a complete school list, every figure given except the
    share ``missing``, so that verdicts are decided.

    Args:
        min_schools: the fewest schools in the list (default 0; realistic: 3).
        max_schools: the most schools in the list (default 8; realistic: 30).
        complete: whether the school list is declared complete; ``None`` for either
            (realistic counties: always complete; ``False`` is refused).
        kinds: school kinds of realistic counties (default 小学 and 初中).
        locations: locations of realistic counties (default all three).
        one_through: share (0–1) of 九年一贯制 schools in realistic counties (0.1).
        missing: share (0–1) of figures left missing in realistic counties (0).

    Returns:
        A strategy for :class:`~eduint.data.models.County`.

    Raises:
        InvalidArgument: a bound is not a whole number ≥ 0, ``min_schools >
            max_schools``, ``complete`` is not True, False or None, or a realistic
            knob is out of range (each named as ``name=value``).
    """
    if not (kinds is None and locations is None and one_through is None and missing is None):
        from eduint.testing.generators import realistic_counties

        if complete is False:
            raise _invalid("complete=False: realistic counties have a complete school list")
        return realistic_counties(
            min_schools=3 if min_schools is None else min_schools,
            max_schools=30 if max_schools is None else max_schools,
            kinds=kinds,
            locations=locations,
            one_through=0.1 if one_through is None else one_through,
            missing=0.0 if missing is None else missing,
        )
    lo = _check_count("min_schools", 0 if min_schools is None else min_schools)
    hi = _check_count("max_schools", 8 if max_schools is None else max_schools)
    _check_order("min_schools", lo, "max_schools", hi)
    if complete is not None:
        _check_bool("complete", complete)
    return _counties(lo, hi, complete)


@functools.cache
def _counties(lo: int, hi: int, complete: bool | None) -> st.SearchStrategy[models.County]:
    from hypothesis import strategies as st

    school_lists = st.lists(_schools(0, 3000), min_size=lo, max_size=hi, unique_by=lambda s: s.id)
    school_field: st.SearchStrategy[tuple[models.School, ...] | None] = school_lists.map(tuple)
    if lo == 0:
        school_field = st.none() | school_field
    complete_field = st.booleans() if complete is None else st.just(complete)
    sh = _shared()

    @st.composite
    def county(draw: st.DrawFn) -> models.County:
        segments = tuple(
            models.CountySegment(
                s,
                students=draw(_fig(100_000)),
                schools=draw(_fig(200)),
                full_time_teachers=draw(_fig(8_000)),
                public_funds_quota=draw(_fig(2_000, False)),
                public_funds_per_student=draw(_fig(2_000, False)),
                approved_posts=draw(_fig(10_000)),
            )
            for s in draw(sh.county_segment_sets)
        )
        pay = _fig(300_000, False)
        return models.County(
            name=draw(sh.county_name),
            code=draw(sh.county_code),
            region=draw(sh.region),
            students=draw(_fig(200_000)),
            teachers_on_post=draw(_fig(20_000)),
            full_time_teachers=draw(_fig(20_000)),
            approved_posts=draw(_fig(20_000)),
            teacher_pay_avg=draw(pay),
            civil_servant_pay_avg=draw(pay),
            rural_teacher_pay=draw(pay),
            town_teacher_pay_same_rank=draw(pay),
            rotation_eligible=draw(_fig(5_000)),
            rotated=draw(_fig(1_000)),
            rotated_backbone=draw(_fig(500)),
            building_completion_rate=draw(sh.percent),
            equipment_purchase_rate=draw(sh.percent),
            dropout_rate=draw(sh.dropout),
            segments=segments,
            attestations=draw(sh.attestation_lists),
            schools=draw(school_field),
            schools_complete=draw(complete_field),
            **draw(sh.dating),
        )

    return county()
