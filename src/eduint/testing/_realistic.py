"""Realistic counties for property tests: 3–30 schools of the kinds asked for, with the
figures a rule set reads given (exact, or missing at a chosen share), so that verdicts
are decided rather than 缺少数据.

Figures are drawn as a per-student rate times the segment's students, with rates
spread around the 2017 standards (教督〔2017〕6号: 4.2 teachers above the required
qualification per 100 students, 4.5 平方米 of teaching rooms per student …), so that
both 达到 and 未达到 occur.  Hypothesis shrinks a rate towards 0 and a school count
towards ``min_schools``.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from eduint.data import models

if TYPE_CHECKING:
    from hypothesis import strategies as st

    from eduint.checking.ruleset import RuleSet

#: Per-student rate that is "about twice the usual standard", per field (人/人, 平方米/人,
#: 元/人 …).  A drawn rate is 0–100 % of it.  Fields not listed get 1 per student.
_RATE: dict[str, float] = {
    "teachers_above_degree": 0.1,
    "backbone_teachers": 0.025,
    "pe_arts_teachers": 0.02,
    "full_time_teachers": 0.12,
    "certified_teachers": 0.12,
    "titled_teachers": 0.12,
    "floor_area_teaching": 10,
    "indoor_sports_area": 1,
    "sports_area": 18,
    "equipment_value": 5000,
    "multimedia_rooms": 0.05,
    "computers": 0.3,
    "books": 60,
    "public_funds": 2500,
    "boarders": 0.5,
    "class_count": 1 / 45,
}
#: Fields never drawn as rates: they are the denominators or the structure.
_STRUCTURE = {"students", "classes", "size_bands", "segment", "classes_complete", "segments"}


@attrs.frozen
class Knobs:
    """The validated knobs of a realistic county (see :func:`eduint.testing.counties`)."""

    min_schools: int = 3
    max_schools: int = 30
    kinds: tuple[models.SchoolKind, ...] = (models.SchoolKind.PRIMARY, models.SchoolKind.JUNIOR)
    locations: tuple[models.Location, ...] = tuple(models.Location)
    one_through: float = 0.1
    missing: float = 0.0
    as_of: datetime.date = datetime.date(2020, 9, 1)


def _is_figure(f: attrs.Attribute[Any]) -> bool:
    return "Figure" in str(f.type)


def read_fields(ruleset: RuleSet) -> frozenset[tuple[str, str]]:
    """``(scope, attribute)`` pairs of every model figure the rule set reads, derived
    fields replaced by their inputs; ``scope`` is a :class:`ScopeKind` value."""
    return rule_fields(*ruleset.rules(), *ruleset.values.values())


def rule_fields(*roots: object) -> frozenset[tuple[str, str]]:
    """:func:`read_fields` of some rules (or values) only."""
    from eduint.authoring._ir import walk
    from eduint.checking.ruleset import FieldRef
    from eduint.data.derived import DERIVED

    derived = {(d.scope, d.name): d.inputs for d in DERIVED}
    out: set[tuple[str, str]] = set()
    for root in roots:
        for _path, node in walk(root):
            if isinstance(node, FieldRef):
                key = (node.field.scope.value, node.field.name)
                out.update(derived.get(key, (key,)))
    return frozenset(out)


def every_field() -> frozenset[tuple[str, str]]:
    """Every figure of schools, segments, counties and county segments."""
    pairs = (
        ("school", models.School),
        ("segment", models.SchoolSegment),
        ("county", models.County),
        ("county_segment", models.CountySegment),
    )
    return frozenset(
        (scope, f.name)
        for scope, cls in pairs
        for f in attrs.fields(cls)
        if _is_figure(f) and f.name not in _STRUCTURE
    )


def _names(
    fields: Iterable[tuple[str, str]], scope: str, cls: type, kind: str = "Figure"
) -> tuple[str, ...]:
    """The attributes of ``cls`` in ``fields`` whose type mentions ``kind`` (``Figure``
    or ``bool``, a yes/no flag such as 达到办学基本标准)."""
    wanted = {name for s, name in fields if s == scope} - _STRUCTURE
    return tuple(f.name for f in attrs.fields(cls) if f.name in wanted and kind in str(f.type))


def _segments_of(kind: models.SchoolKind) -> tuple[models.Segment, ...]:
    if kind in (models.SchoolKind.PRIMARY, models.SchoolKind.TEACHING_POINT):
        return (models.Segment.PRIMARY,)
    if kind is models.SchoolKind.JUNIOR:
        return (models.Segment.JUNIOR,)
    return (models.Segment.PRIMARY, models.Segment.JUNIOR)


@functools.cache
def realistic(fields: frozenset[tuple[str, str]], knobs: Knobs) -> st.SearchStrategy[models.County]:
    """The strategy for counties carrying exactly ``fields`` (cached: strategies built
    inside a draw make Hypothesis slow)."""
    from hypothesis import strategies as st

    seg_fields = _names(fields, "segment", models.SchoolSegment)
    school_fields = _names(fields, "school", models.School)
    school_flags = _names(fields, "school", models.School, "bool")
    county_fields = _names(fields, "county", models.County)
    cseg_fields = _names(fields, "county_segment", models.CountySegment)
    bases = st.integers(0, 1000)
    jitter = st.integers(-100, 100)
    spreads = st.integers(0, 95)
    gone = st.integers(0, 99)
    students = st.integers(4, 40)  # × 50 students: 200–2000 a segment
    one = st.integers(0, 99)
    flags = st.booleans()
    kinds = st.sampled_from(knobs.kinds)
    locations = st.sampled_from(knobs.locations)
    miss = round(knobs.missing * 100)

    def figure(
        draw: st.DrawFn, name: str, per: int, base: int, off: int = 0
    ) -> models.Figure | None:
        # rate = the county's base rate for the field (50–120 % of the scale: 1–2.4 × the
        # standard) times 1 ± the school's offset (the county's spread, 0–95 %, times
        # -1..2).  One offset a school, not one a figure: far fewer choices, so
        # Hypothesis shrinks a 30-school county in seconds, and a well-equipped school
        # is well equipped in every figure, as in real counties.
        if miss and draw(gone) < miss:
            return None
        rate = _RATE.get(name, 1.0) * (0.5 + 0.7 * base / 1000) * (1 + off / 10000)
        return models.Figure.exact(round(rate * per))

    @st.composite
    def school(draw: st.DrawFn, index: int, base: dict[str, int]) -> models.School:
        kind = draw(kinds)
        j = draw(jitter)
        off = j * base[""] * (2 if j > 0 else 1)  # skewed, as resources are: CVs to ~0.9
        if draw(one) < round(knobs.one_through * 100):
            kind = models.SchoolKind.NINE_YEAR
        segs = []
        total = 0
        for seg in _segments_of(kind):
            n = (
                5 * draw(students)
                if kind is models.SchoolKind.TEACHING_POINT
                else 50 * draw(students)
            )
            total += n
            figs: dict[str, Any] = {
                name: figure(draw, name, n, base[name], off) for name in seg_fields
            }
            segs.append(models.SchoolSegment(seg, students=models.Figure.exact(n), **figs))
        figs = {name: figure(draw, name, total, base[name], off) for name in school_fields}
        figs |= {name: None if miss and draw(gone) < miss else draw(flags) for name in school_flags}
        return models.School(
            id=f"S{index + 1:02d}",
            name=f"第{index + 1}学校",
            kind=kind,
            location=draw(locations),
            segments=tuple(segs),
            **figs,
        )

    def cseg(draw: st.DrawFn) -> dict[str, Any]:
        return {name: figure(draw, name, 1000, draw(bases)) for name in cseg_fields}

    @st.composite
    def county(draw: st.DrawFn) -> models.County:
        n = draw(st.integers(knobs.min_schools, knobs.max_schools))
        base = {name: draw(bases) for name in {*seg_fields, *school_fields}}
        base[""] = draw(spreads)
        schools = tuple(draw(school(i, base)) for i in range(n))
        total = sum(int(g.students.low) for _i, _j, g in _segs(schools) if g.students)
        cfigs: dict[str, Any] = {
            name: figure(draw, name, max(total, 1), draw(bases)) for name in county_fields
        }
        csegs = (
            tuple(
                models.CountySegment(seg, **cseg(draw))
                for seg in (models.Segment.PRIMARY, models.Segment.JUNIOR)
            )
            if cseg_fields
            else ()
        )
        return models.County(
            name="示例县",
            code="100000",
            schools=schools,
            schools_complete=True,
            segments=csegs,
            as_of=knobs.as_of,
            **cfigs,
        )

    return county()


def segments_of(county: models.County) -> Iterator[tuple[int, int, models.SchoolSegment]]:
    """``(school index, segment index, segment)`` for every school segment."""
    return _segs(county.schools or ())


def _segs(schools: Iterable[models.School]) -> Iterator[tuple[int, int, models.SchoolSegment]]:
    for i, s in enumerate(schools):
        for j, g in enumerate(s.segments or ()):
            yield i, j, g


def with_segment(county: models.County, i: int, j: int, seg: models.SchoolSegment) -> models.County:
    """``county`` with school ``i``'s segment ``j`` replaced."""
    schools = list(county.schools or ())
    segs = list(schools[i].segments or ())
    segs[j] = seg
    schools[i] = attrs.evolve(schools[i], segments=tuple(segs))
    return attrs.evolve(county, schools=tuple(schools))


def plus(fig: models.Figure | None, by: int | Decimal) -> models.Figure | None:
    """``fig`` raised by ``by`` (a missing figure stays missing)."""
    if fig is None:
        return None
    return models.Figure(fig.low + Decimal(by), fig.high + Decimal(by))
