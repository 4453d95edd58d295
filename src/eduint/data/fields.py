"""The field registry: every field of every data model, reflected once.

The attrs models of :mod:`eduint.data.models` carry their knowledge in field
metadata (unit, labels, aliases, direction, actionability, count).  This module
reads it, together with the fields' types, into one table of :class:`FieldDef`
records, in one vocabulary, that every reader of the models uses:

* the checker's :class:`~eduint.checking.schema.Schema` (what rules may read);
* the YAML/JSON loader (which keys a data file may use, how each value is read) and
  the JSON Schema of the input format;
* the spreadsheet reader (which column headers mean which field), the writer and the
  template (which headers to write, with which unit);
* the generated field tables of ``docs/data-model.md``.

Kinds (:attr:`FieldDef.kind`):

============  ===============================================================
``quantity``  a :class:`~eduint.data.models.Figure` in :attr:`FieldDef.unit`
``number``    a bare non-negative whole number (a grade, a band bound)
``text``      text (a school year when :attr:`FieldDef.school_year`)
``flag``      true/false (是/否)
``enum``      one member of :attr:`FieldDef.enum`
``date``      a date
``list``      a tuple of entries of the model :attr:`FieldDef.item`
``extra``     the mapping of extra fields declared by rule files
============  ===============================================================
"""

from __future__ import annotations

import datetime
import enum
import functools
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import attrs

from eduint.data import models
from eduint.data.models import (
    ACTIONABLE,
    ALIASES,
    BETTER,
    COUNT,
    COUNT_UNITS,
    LABEL,
    LABEL_EN,
    READ_AS,
    UNIT,
    Attestation,
    Better,
    Class,
    County,
    CountySegment,
    DeclaredCount,
    School,
    SchoolSegment,
    SizeBand,
)

__all__ = [
    "COUNT_UNITS",
    "KEYED_COLLECTIONS",
    "MODELS",
    "PHYSICAL_FIELDS",
    "SCOPES",
    "FieldDef",
    "Kind",
    "all_fields",
    "field_def",
    "fields_by_name",
    "is_count_unit",
    "model_fields",
    "scope_of",
]

Kind = Literal["quantity", "number", "text", "flag", "enum", "date", "list", "extra"]

#: The models of the input format, in the order the documentation lists them.
MODELS: tuple[type, ...] = (
    County,
    CountySegment,
    School,
    SchoolSegment,
    Class,
    SizeBand,
    DeclaredCount,
    Attestation,
)

#: Scope names (as rule files and :class:`~eduint.checking.schema.ScopeKind` write
#: them) → the model whose fields a rule in that scope reads.
SCOPES: Mapping[str, type] = types.MappingProxyType(
    {
        "county": County,
        "county_segment": CountySegment,
        "school": School,
        "segment": SchoolSegment,
        "class": Class,
    }
)

#: Lists that may be written either as a list or as a mapping keyed by one of their
#: entries' fields: (model, field) → key field.  ``segments: {小学: {...}}`` is the
#: same as ``segments: [{segment: 小学, ...}]``.
KEYED_COLLECTIONS: Mapping[tuple[type, str], str] = types.MappingProxyType(
    {
        (County, "segments"): "segment",
        (School, "segments"): "segment",
        (County, "attestations"): "item",
        (County, "declared_counts"): "kind",
    }
)


#: Whole-school physical figures (areas, equipment, rooms, books, computers, funds) that
#: a school segment may give as its own: a one-through school's are otherwise split by
#: segment with the rule set's weights (REFERENCE §3.3).  Both :class:`School` and
#: :class:`SchoolSegment` have each of them.
PHYSICAL_FIELDS: frozenset[str] = frozenset(
    {
        "floor_area_teaching",
        "indoor_sports_area",
        "sports_area",
        "equipment_value",
        "multimedia_rooms",
        "books",
        "computers",
        "public_funds",
    }
)


def is_count_unit(unit: str | None) -> bool:
    """True when figures in ``unit`` are whole-number counts (人, 所, 间, 册, 台, 班, 个 …).

    Args:
        unit: a unit of the vocabulary, or ``None`` for a plain number.
    """
    return unit in COUNT_UNITS


def scope_of(model: type) -> str | None:
    """The scope name of ``model`` (``"school"`` for :class:`School`), or ``None`` for a
    model rules do not range over (size bands, attestations, declared counts)."""
    return next((s for s, m in SCOPES.items() if m is model), None)


@attrs.frozen
class FieldDef:
    """One field of one data model, with everything eduint knows about it.

    Attributes:
        model: the attrs model class (:class:`~eduint.data.models.School` …).
        name: the English field name (the attrs attribute).
        kind: how the value is read (see the module docstring).
        label: the Chinese label, accepted as the name in data files and rules, or
            ``None``.
        label_en: the English label, or ``None``.
        aliases: other spreadsheet headers of the field (the statistics' names).
        unit: the unit text of a ``quantity`` (``"人"``, ``"元/人"``; ``""`` for a
            dimensionless figure), else ``None``.
        enum: the enum class of an ``enum`` field.
        item: the entry model of a ``list`` field.
        key: the key field of a ``list`` that may be written as a keyed mapping.
        school_year: True for a ``text`` field read as a school year (``2018-2019``).
        optional: True when ``None`` is a value of the field's type.
        required: True when a data file must give the field (an entry without it is
            left out; a county without a name gets a problem).
        better: ``"more"`` when a larger figure is better for the county, ``"less"``
            when a smaller one is, ``None`` when neither or not a figure (for a flag,
            ``"more"`` means true is better).
        actionable: whether a county bureau can act on it (teachers, rooms, area,
            equipment, funds: True; students enrolled, survey counts, civil servants'
            pay: False); ``None`` for identity and structural fields.
        count: True for a whole-number count (from the unit unless the model says).
    """

    model: type
    name: str
    kind: Kind
    label: str | None = None
    label_en: str | None = None
    aliases: tuple[str, ...] = ()
    unit: str | None = None
    enum: type[enum.Enum] | None = None
    item: type | None = None
    key: str | None = None
    school_year: bool = False
    optional: bool = False
    required: bool = False
    better: Better | None = None
    actionable: bool | None = None
    count: bool = False

    @property
    def scope(self) -> str | None:
        """The scope of the field's model (``"school"``), or ``None``."""
        return scope_of(self.model)

    @property
    def header(self) -> str:
        """The header spreadsheets write for the field: its label, else its first alias,
        else its name."""
        return self.label or (self.aliases[0] if self.aliases else self.name)

    def names(self) -> tuple[str, ...]:
        """The names data files and rules accept: the English name and the Chinese label."""
        return (self.name,) if self.label is None else (self.name, self.label)

    def headers(self) -> tuple[str, ...]:
        """The names a spreadsheet column may have: :meth:`names` and the aliases."""
        return self.names() + self.aliases

    def describe(self) -> str:
        """``'students' (在校生数)`` for messages."""
        return f"'{self.name}' ({self.label})" if self.label else f"'{self.name}'"


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    """``X | None`` → (X, True); any other type → (type, False)."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(tp)
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(rest) < len(args):
            return rest[0], True
    return tp, False


def _kind(model: type, a: attrs.Attribute[Any], tp: Any) -> dict[str, Any]:
    """The kind of a field and its kind-specific attributes, from its resolved type."""
    md = a.metadata
    if tp is models.Figure:
        unit = md.get(UNIT)
        if unit is None:  # pragma: no cover - a figure without a unit is a model bug
            raise TypeError(f"{model.__name__}.{a.name}: a Figure field needs a unit")
        return {"kind": "quantity", "unit": unit, "count": md.get(COUNT, is_count_unit(unit))}
    if tp is str:
        return {"kind": "text", "school_year": md.get(READ_AS) == "school_year"}
    simple: dict[Any, Kind] = {bool: "flag", int: "number", datetime.date: "date"}
    if tp in simple:
        return {"kind": simple[tp]}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"kind": "enum", "enum": tp}
    if typing.get_origin(tp) is tuple:
        item = typing.get_args(tp)[0]
        return {"kind": "list", "item": item, "key": KEYED_COLLECTIONS.get((model, a.name))}
    if a.name == "extra":
        return {"kind": "extra"}
    raise TypeError(  # pragma: no cover - a field type the registry cannot read is a bug
        f"eduint.data.fields cannot classify {model.__name__}.{a.name}: {tp!r}"
    )


@functools.cache
def model_fields(model: type) -> tuple[FieldDef, ...]:
    """Every field of ``model``, in declaration order.

    Args:
        model: one of :data:`MODELS`.

    Returns:
        One :class:`FieldDef` per attrs field.

    Raises:
        TypeError: a field's type or metadata cannot be classified (a model bug).
    """
    # Resolve the string annotations once (cattrs resolves them too): classify real
    # types, never type names.
    hints = typing.get_type_hints(model)
    out: list[FieldDef] = []
    for a in attrs.fields(model):
        tp, optional = _unwrap_optional(hints[a.name])
        md = a.metadata
        # Required: no default, or a non-optional type whose default is None
        # (School.id and County.name are declared ``str`` with ``default=None``).
        required = a.default is attrs.NOTHING or (a.default is None and not optional)
        out.append(
            FieldDef(
                model=model,
                name=a.name,
                label=md.get(LABEL),
                label_en=md.get(LABEL_EN),
                aliases=tuple(md.get(ALIASES, ())),
                optional=optional,
                required=required,
                better=md.get(BETTER),
                actionable=md.get(ACTIONABLE),
                **_kind(model, a, tp),
            )
        )
    return tuple(out)


def field_def(model: type, name: str) -> FieldDef:
    """The field ``name`` of ``model``.

    Raises:
        KeyError: ``model`` has no such field.
    """
    for fd in model_fields(model):
        if fd.name == name:
            return fd
    raise KeyError(f"{model.__name__}.{name}")


@functools.cache
def fields_by_name(model: type) -> Mapping[str, FieldDef]:
    """The names a data file may use for the fields of ``model``: English name and Chinese
    label → field.

    Raises:
        TypeError: a name or label names two fields (a model bug).
    """
    out: dict[str, FieldDef] = {}
    for fd in model_fields(model):
        for key in fd.names():
            if key in out and out[key] is not fd:  # pragma: no cover - model bug
                raise TypeError(f"{model.__name__}: '{key}' names two fields")
            out[key] = fd
    return types.MappingProxyType(out)


def all_fields() -> Iterator[FieldDef]:
    """Every field of every model of :data:`MODELS`, model by model."""
    for model in MODELS:
        yield from model_fields(model)
