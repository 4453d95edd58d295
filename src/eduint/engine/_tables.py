"""The values and records the population pass shares with its helpers: effects of a
read, lists of rows, columns and dispositions (see :mod:`eduint.engine.population`).

Kept apart from :mod:`eduint.engine.population` so that its helper module
(:mod:`eduint.engine._prepare`) imports these at run time without importing the
population itself.
"""

from __future__ import annotations

import enum
import functools
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import attrs

from eduint.checking.schema import FieldInfo, ScopeKind
from eduint.core import values as v
from eduint.core.refs import FieldRef
from eduint.core.units import Unit, parse_unit
from eduint.core.values import Code, Reason, Value
from eduint.data import fields as data_fields
from eduint.data import models
from eduint.engine.outcomes import Disposition, ProvisionalUse

__all__ = [
    "PHYSICAL",
    "SUMMABLE_COUNTY",
    "SUMMABLE_SEGMENT",
    "Action",
    "Column",
    "Disposition",
    "Effect",
    "Effects",
    "Rows",
    "exact",
    "field_ref",
    "merge_effects",
    "model_field",
    "unknown_figure",
]

# Whole-school physical figures that a segment may take from its school (REFERENCE §3.3):
# the data layer's list, which the spreadsheet reader reads per segment or per school.
PHYSICAL = data_fields.PHYSICAL_FIELDS
# County figures that may also be summed over a complete school list.
SUMMABLE_COUNTY = frozenset({"students", "full_time_teachers"})
SUMMABLE_SEGMENT = frozenset({"students", "full_time_teachers", "approved_posts"}) & {
    a.name for a in attrs.fields(models.SchoolSegment)
}
_ONE = Fraction(1)


@functools.cache
def model_field(scope: ScopeKind, name: str) -> tuple[FieldRef, Unit | None]:
    """The reference and unit of the data model's field ``name`` in ``scope``
    (``students`` of a school segment: 在校生数, 人), from the field registry."""
    fd = data_fields.fields_by_name(data_fields.SCOPES[scope.value]).get(name)
    if fd is None:  # pragma: no cover - the engine names model fields only
        return FieldRef(name), None
    unit = parse_unit(fd.unit) if fd.unit else None
    return FieldRef(fd.name, fd.label, fd.label_en), unit


def field_ref(info: FieldInfo) -> FieldRef:
    """The reference of a field a rule reads."""
    return FieldRef(info.name, info.label, info.label_en)


class Effects(NamedTuple):
    """What reading a value or listing entities adds to an evaluation's record.

    Attributes:
        inputs: cell ids of the data figures read (:meth:`Population.input` gives each
            as an :class:`~eduint.engine.results.Input`), in reading order.
        approx: True when an approximate figure (``约212``) was used.
        provisional: the provisional settings that decided something.
        notes: what was left out, merged or split (:class:`~eduint.core.values.Reason`).
        warnings: warnings (:attr:`~eduint.core.values.Code.FIGURE_DIFFERS`).
    """

    inputs: tuple[int, ...] = ()
    approx: bool = False
    provisional: tuple[ProvisionalUse, ...] = ()
    notes: tuple[Reason, ...] = ()
    warnings: tuple[Reason, ...] = ()


_NONE = Effects()

#: A cell's effects: ``None`` (nothing), a cell id (one exact figure read), or :class:`Effects`.
Effect = None | int | Effects


def _as_effects(e: Effect) -> Effects | None:
    if e is None or type(e) is Effects:
        return e
    return Effects((e,))  # type: ignore[arg-type]


def merge_effects(*effects: Effect) -> Effect:
    """The effects of several reads in order, as one (``None`` when there are none)."""
    parts = [e for e in (_as_effects(x) for x in effects) if e is not None and e != _NONE]
    if not parts:
        return None
    if len(parts) == 1:
        only = parts[0]
        if len(only.inputs) == 1 and not (
            only.approx or only.provisional or only.notes or only.warnings
        ):
            return only.inputs[0]
        return only
    return Effects(
        tuple(i for p in parts for i in p.inputs),
        any(p.approx for p in parts),
        tuple(dict.fromkeys(t for p in parts for t in p.provisional)),
        tuple(dict.fromkeys(n for p in parts for n in p.notes)),
        tuple(w for p in parts for w in p.warnings),
    )


class Rows(NamedTuple):
    """A list of entities of one scope (row numbers of its :class:`Table`).

    Attributes:
        rows: the rows, in list order.
        complete: True when the list is declared complete and no sub-list is missing.
        missing: why there is no list at all (:attr:`Code.NO_SCHOOL_LIST` …), or ``None``.
        gaps: why the list is incomplete: the sub-lists not given, in order.
        effects: the effects of listing them (settings consulted, schools left out …).
    """

    rows: tuple[int, ...]
    complete: bool
    missing: Reason | None = None
    gaps: tuple[Reason, ...] = ()
    effects: Effect = None


class Action(str, enum.Enum):
    """What the population pass did with an entity (:attr:`Disposition.action`)."""

    LEFT_OUT = "left_out"
    MERGED = "merged"
    SPLIT = "split"


class Column:
    """One field of one scope: a value and its read effects per row.

    Attributes:
        values: the value of each row (:mod:`eduint.core.values`).
        effects: the effects of reading each row's value (see :data:`Effect`).
    """

    __slots__ = ("effects", "values")

    def __init__(self, values: list[Value], effects: list[Effect]) -> None:
        self.values = values
        self.effects = effects


def exact(d: Decimal, scale: Fraction) -> v.Exact:
    """A reported decimal in the canonical unit: an ``int`` when whole, else a ``Fraction``."""
    n, den = d.as_integer_ratio()
    if scale == 1:
        return n if den == 1 else v.ratio(n, den)
    f = Fraction(n, den) * scale
    return f.numerator if f.denominator == 1 else f


def unknown_figure(code: Code, *args: object) -> v.Unknown:
    """An unknown with one reason."""
    return v.Unknown((Reason(code, args),))
