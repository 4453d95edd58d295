"""The cells of one result: numbers with the places that keep the verdict, comparisons,
titles, shown values.  Shared by the document's tables (:mod:`eduint.reporting.build`,
:mod:`eduint.reporting._tables`)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs

from eduint.engine.results import (
    Comparison,
    EntityResult,
    Flag,
    ItemResult,
    Outcome,
    Quantity,
    Shown,
    Text,
)
from eduint.reporting.document import (
    Authored,
    Bound,
    Cell,
    Num,
    Plain,
    Relation,
    Symbol,
    say_cell,
)
from eduint.reporting.numbers import agreeing_places, margin_places, negated

__all__ = [
    "Figures",
    "figures",
    "is_cv",
    "item_flags",
    "shown_value",
    "title",
]


@attrs.frozen
class Figures:
    """A comparison's cells: the value, the threshold with its comparator, the margin
    with its unit, and the comparison as it came out (``3 人 < 100 人``)."""

    value: Num | None = None
    bound: Bound | None = None
    margin: Num | None = None
    relation: Relation | None = None


_NONE = Figures()


def figures(c: Comparison | None, places: int) -> Figures:
    """The cells of a comparison, printed with enough places to agree with its verdict.

    Args:
        c: the comparison, or ``None``.
        places: the rule set's display precision.
    """
    if c is None:
        return _NONE
    left, right = c.left, c.right
    p = places
    if left is not None and right is not None:
        p = agreeing_places(left.value, right.value, c.op, c.met, left.unit, places, right.unit)
    value = Num(left.value, left.unit, p) if left is not None else None
    bound = Bound(c.op, Num(right.value, right.unit, p)) if right is not None else None
    margin = None
    if c.margin is not None and right is not None:
        canonical = c.margin * right.unit.scale
        margin = Num(_exact(canonical), right.unit, margin_places(c.margin, p))
    relation = None
    if value is not None and bound is not None and c.met is not None:
        if c.met is False and c.margin == 0:  # failed at the bound: say what is required
            relation = Relation(value, c.op, bound.value, required=True)
        else:
            relation = Relation(value, c.op if c.met else negated(c.op), bound.value)
    return Figures(value, bound, margin, relation)


def _exact(x: Fraction) -> int | Fraction:
    return x.numerator if x.denominator == 1 else x


def title(item: ItemResult) -> Cell:
    """An item's title (with its English variant), else its requirement as rule text."""
    if item.title:
        return Authored(Text(item.title, item.title_en))
    return Plain(item.requirement or "")


def item_flags(item: ItemResult) -> tuple[Flag, ...]:
    """An item's flags, with those its booleans imply (provisional, disagreement,
    report only)."""
    flags = set(item.flags)
    if item.provisional:
        flags.add(Flag.PROVISIONAL)
    if item.disagreement:
        flags.add(Flag.DISAGREEMENT)
    if item.report_only:
        flags.add(Flag.REPORT_ONLY)
    return tuple(f for f in Flag if f in flags)


def shown_value(value: Quantity | bool | str | None, places: int) -> Cell:
    """A shown (``report``) value: a number with its unit, 是/否, a symbol, or 缺少数据."""
    if value is None:
        return say_cell("no_data_value")
    if isinstance(value, bool):
        return say_cell("yes" if value else "no")
    if isinstance(value, str):
        return Symbol(value)
    return Num(value.value, value.unit, places)


def named_values(shown: Sequence[Shown], places: int) -> list[Cell]:
    """The named shown values as ``name = value`` cells."""
    return [
        say_cell("named_value", name=s.name, value=shown_value(s.value, places))
        for s in shown
        if s.name
    ]


def is_cv(item: ItemResult) -> bool:
    """Whether the rule compares a 差异系数: one of its comparisons says so
    (:attr:`~eduint.engine.results.Comparison.measure` is ``"cv"``, set by the engine
    from the rule itself, whatever the values came out as)."""
    if item.evidence is not None and item.evidence.measure == "cv":
        return True
    return any(
        c.measure == "cv"
        for e in item.entities
        for c in (e.comparisons or ((e.evidence,) if e.evidence is not None else ()))
    )


def count_outcomes(entities: Sequence[EntityResult]) -> dict[Outcome, int]:
    """How many entities have each outcome."""
    counts: dict[Outcome, int] = {}
    for e in entities:
        if e.outcome is not None:
            counts[e.outcome] = counts.get(e.outcome, 0) + 1
    return counts
