"""Derived fields: figures computed from others, each declared beside its computation.

A rule reads a derived field like any other (``义务教育阶段在校生数 <= 2000 人``); the
schema (:mod:`eduint.checking.schema`) takes the declarations from :data:`DERIVED`,
and the population pass (:mod:`eduint.engine.population`) computes each one with the
function named here, over values of :mod:`eduint.core.values`.

This module sits in the data layer: it imports :mod:`eduint.core` only, so a scope is
named by its value (``"school"``, ``"segment"``) rather than by the checker's enum.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from eduint.core import values as v
from eduint.core.values import Value

__all__ = [
    "DERIVED",
    "COMPULSORY_SEGMENTS",
    "DerivedField",
    "sum_students",
    "teaching_area_net",
]


@attrs.frozen
class DerivedField:
    """The declaration of a derived field.

    Attributes:
        name: the English name rules may use.
        scope: the scope's value (``"school"``, ``"segment"``).
        unit: the unit, in the unit vocabulary (``人``, ``平方米``).
        label: the Chinese label (also accepted as the name); label_en: the English one.
        meaning: how it is computed and why, with its source.
        better: ``"more"``/``"less"`` when more/less of it is better, else ``None``
            (as :func:`eduint.data.models.quantity`).
        actionable: whether a bureau can act on it (students enrolled: no).
        count: whether it is a whole-number count.
        inputs: the data fields it is computed from, as (scope, field name): what a
            data template must ask for when a rule reads it.
    """

    name: str
    scope: str
    unit: str
    label: str
    label_en: str
    meaning: str
    better: str | None = None
    actionable: bool = False
    count: bool = False
    inputs: tuple[tuple[str, str], ...] = ()


#: The segments whose students count towards 义务教育阶段在校生数.
COMPULSORY_SEGMENTS = ("小学", "初中")


def sum_students(students: Sequence[Value]) -> Value:
    """A school's 在校生数: the sum of its segments' (人).

    Args:
        students: each counted segment's 在校生数, exact numbers, intervals or unknowns.

    Returns:
        The sum (an interval when a figure is a range, flagged approximate when one
        is); unknown, with every missing figure's reason, when one is missing.
    """
    lo: v.Exact = 0
    hi: v.Exact = 0
    approx = False
    unknowns: list[Value] = []
    for x in students:
        t = type(x)
        if t is int:
            lo += x  # type: ignore[operator]
            hi += x  # type: ignore[operator]
        elif t is v.Interval:
            lo += x.lo  # type: ignore[union-attr]
            hi += x.hi  # type: ignore[union-attr]
            approx = approx or x.approx  # type: ignore[union-attr]
        elif v.is_number(x):
            lo += x  # type: ignore[operator]
            hi += x  # type: ignore[operator]
        else:
            unknowns.append(x)
    if unknowns:
        return v.unknown(*unknowns)
    return v.Interval(lo, hi, approx) if (lo != hi or approx) else lo


def teaching_area_net(area: Value, indoor_sports: Value | None) -> Value:
    """教学及辅助用房计算面积 (平方米): the teaching floor area less the indoor sports rooms.

    Indoor sports rooms are part of 教学及辅助用房 in the statistics and are counted again
    in the sports area; a rule set that subtracts them (setting
    ``subtract_indoor_sports``) counts them once (REFERENCE §1.2 L4, §6 #9).

    Args:
        area: the segment's 教学及辅助用房面积 (split from the school's when needed).
        indoor_sports: its 室内体育用房面积, or ``None`` when the rule set does not subtract.
    """
    if indoor_sports is None:
        return area
    return v.sub(area, indoor_sports)


#: Every derived field, declared once (the schema reads these declarations).
DERIVED: tuple[DerivedField, ...] = (
    DerivedField(
        "students",
        "school",
        "人",
        "在校生数",
        "students (all segments)",
        # the statistics report students by segment only
        "the sum of the school's segments' 在校生数 (sum_students)",
        count=True,
        inputs=(("segment", "students"),),
    ),
    DerivedField(
        "compulsory_students",
        "school",
        "人",
        "义务教育阶段在校生数",
        "students of the compulsory segments (小学 and 初中)",
        "the sum of the 小学 and 初中 segments' 在校生数: the school-size cap of "
        "教督〔2017〕6号 counts a one-through school's compulsory part only (REFERENCE §9)",
        count=True,
        inputs=(("segment", "students"),),
    ),
    DerivedField(
        "teaching_area_net",
        "segment",
        "平方米",
        "教学及辅助用房计算面积",
        "teaching and auxiliary floor area as counted (indoor sports rooms out when set)",
        "教学及辅助用房面积 less 室内体育用房面积 when the rule set's "
        "subtract_indoor_sports setting says so, so that the indoor sports rooms are not "
        "counted twice (REFERENCE §1.2 L4, §6 #9; teaching_area_net)",
        better="more",
        actionable=True,
        inputs=(("segment", "floor_area_teaching"), ("segment", "indoor_sports_area")),
    ),
)
