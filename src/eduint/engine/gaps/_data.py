"""Where a figure lives in a :class:`~eduint.data.models.County`, and changing it.

Every change makes a new county (``attrs.evolve`` down the path), so the caller's data
is never touched.  Entities are found by their :attr:`EntityRef.where` path
(``schools[4].segments.小学``, ``schools[2].segments.初中.classes[27]``,
``segments.小学``): the path of the very county the report was made from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from eduint.core.refs import EntityRef
from eduint.data import models
from eduint.data.fields import PHYSICAL_FIELDS
from eduint.data.models import County, Figure, School, SchoolSegment

__all__ = ["Place", "figure_at", "flag_at", "place_of", "set_classes", "set_figure", "set_flag"]

_WHERE = re.compile(
    r"^(?:schools\[(?P<school>\d+)\])?\.?(?:segments\.(?P<seg>[^.\[]+))?"
    r"(?:\.classes\[(?P<cls>\d+)\])?$"
)


@attrs.frozen
class Place:
    """A record of the county: the county itself, one of its segments (``seg`` without
    ``school``), a school, a school's segment, or a class of one.

    Attributes:
        school: the school's index in ``county.schools``, or ``None``.
        seg: the segment's word (``小学``), or ``None``.
        cls: the class's index in the segment's classes, or ``None``.
    """

    school: int | None = None
    seg: str | None = None
    cls: int | None = None

    def up(self, scope: str) -> Place:
        """The record of ``scope`` (``"school"``, ``"segment"``, ``"county_segment"``,
        ``"county"``) that contains this one."""
        if scope == "county":
            return Place()
        if scope == "county_segment":
            return Place(None, self.seg)
        if scope == "school":
            return Place(self.school)
        if scope == "segment":
            return Place(self.school, self.seg)
        return self


def place_of(entity: EntityRef) -> Place | None:
    """The record of ``entity`` from its data path, or ``None`` when the path is not one
    of the forms above."""
    if entity.where == "county":
        return Place()
    m = _WHERE.match(entity.where)
    if m is None:
        return None
    school, seg, cls = m["school"], m["seg"], m["cls"]
    return Place(
        int(school) if school is not None else None,
        seg,
        int(cls) if cls is not None else None,
    )


def _record(county: County, p: Place) -> object | None:
    if p.school is None:
        return county if p.seg is None else county.segment(models.Segment(p.seg))
    schools = county.schools or ()
    if p.school >= len(schools):
        return None
    school = schools[p.school]
    if p.seg is None:
        return school
    seg = school.segment(models.Segment(p.seg))
    if seg is None or p.cls is None:
        return seg
    classes = seg.classes or ()
    return classes[p.cls] if p.cls < len(classes) else None


def figure_at(county: County, p: Place, field: str) -> tuple[Place, Figure | None]:
    """Where ``field`` of the record ``p`` is written, and the figure there.

    A segment's physical figure (area, equipment, rooms) that the segment does not give
    is the school's, split by the rule set (:data:`~eduint.data.fields.PHYSICAL_FIELDS`):
    then the school's place and figure.
    """
    rec = _record(county, p)
    fig = getattr(rec, field, None) if rec is not None else None
    if fig is None and isinstance(rec, SchoolSegment) and field in PHYSICAL_FIELDS:
        school = Place(p.school)
        return school, getattr(_record(county, school), field, None)
    return p, fig if isinstance(fig, Figure) else None


def flag_at(county: County, p: Place, field: str) -> bool | None:
    """The yes/no field ``field`` of the record ``p`` (``None``: missing)."""
    rec = _record(county, p)
    v = getattr(rec, field, None) if rec is not None else None
    return v if isinstance(v, bool) else None


def _evolve_seg(school: School, seg: str, **changes: Any) -> School:
    segs = tuple(
        attrs.evolve(s, **changes) if s.segment.value == seg else s for s in school.segments or ()
    )
    return attrs.evolve(school, segments=segs)


def _evolve_at(county: County, p: Place, **changes: Any) -> County:
    if p.school is None:
        if p.seg is None:
            return attrs.evolve(county, **changes)
        segs = tuple(
            attrs.evolve(s, **changes) if s.segment.value == p.seg else s for s in county.segments
        )
        return attrs.evolve(county, segments=segs)
    schools = list(county.schools or ())
    school = schools[p.school]
    if p.seg is None:
        schools[p.school] = attrs.evolve(school, **changes)
    elif p.cls is None:
        schools[p.school] = _evolve_seg(school, p.seg, **changes)
    else:
        seg = school.segment(models.Segment(p.seg))
        assert seg is not None and seg.classes is not None
        classes = list(seg.classes)
        classes[p.cls] = attrs.evolve(classes[p.cls], **changes)
        schools[p.school] = _evolve_seg(school, p.seg, classes=tuple(classes))
    return attrs.evolve(county, schools=tuple(schools))


def set_figure(county: County, p: Place, field: str, value: Decimal) -> County:
    """A copy of ``county`` with ``field`` of record ``p`` set to the exact ``value``."""
    return _evolve_at(county, p, **{field: Figure.exact(value)})


def set_flag(county: County, p: Place, field: str, value: bool) -> County:
    """A copy of ``county`` with the yes/no ``field`` of record ``p`` set to ``value``."""
    return _evolve_at(county, p, **{field: value})


def set_classes(county: County, p: Place, classes: Sequence[models.Class], added: int) -> County:
    """A copy of ``county`` whose segment ``p`` has ``classes`` as its class list and
    ``added`` more classes in its 班级数 (when it gives one)."""
    school = (county.schools or ())[p.school or 0]
    seg = school.segment(models.Segment(p.seg or ""))
    assert seg is not None
    changes: dict[str, Any] = {"classes": tuple(classes)}
    count = seg.class_count
    if count is not None and count.value is not None:
        changes["class_count"] = Figure.exact(count.value + added)
    return _evolve_at(county, Place(p.school, p.seg), **changes)
