"""What rules may read: scopes, fields with units, and enum symbols.

The :class:`Schema` is built once from the field registry :mod:`eduint.data.fields`
(which reflects the attrs models of :mod:`eduint.data.models`: names, kinds, units,
labels and meaning come from field metadata) plus the extra fields a rule
file declares (``field county.公办幼儿园数: 所 "公办幼儿园数"``).  The checker
resolves every name a rule uses against it.

Scopes nest: a class belongs to a school segment, a segment to a school, a
school to the county; a county segment (县域 × 学段) belongs to the county.
A bare name is looked up in the rule's scope, then in the scopes above it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping

import attrs

from eduint.core.units import Unit, parse_unit
from eduint.data import models
from eduint.data.derived import DERIVED
from eduint.data.fields import SCOPES, model_fields

__all__ = [
    "ENUM_SYMBOLS",
    "FieldInfo",
    "RuleOutcome",
    "Schema",
    "ScopeKind",
    "build_schema",
    "over_scope",
    "scope_from_words",
]


class ScopeKind(str, enum.Enum):
    """The entity a rule is evaluated for."""

    COUNTY = "county"
    COUNTY_SEGMENT = "county_segment"
    SCHOOL = "school"
    SEGMENT = "segment"
    CLASS = "class"

    @property
    def label(self) -> str:
        """The Chinese name of the scope."""
        return _SCOPE_LABELS[self]

    @property
    def spelling(self) -> str:
        """The scope as the rule language writes it (``county segment``), for hints."""
        return self.value.replace("_", " ")

    @property
    def parent(self) -> ScopeKind | None:
        """The scope directly above, or ``None`` for the county."""
        return _PARENT[self]

    def ancestors(self) -> Iterator[ScopeKind]:
        """This scope and every scope above it, innermost first."""
        s: ScopeKind | None = self
        while s is not None:
            yield s
            s = s.parent

    def below(self) -> tuple[ScopeKind, ...]:
        """The scopes an aggregate in this scope may range over."""
        return _BELOW[self]


_SCOPE_LABELS = {
    ScopeKind.COUNTY: "县域",
    ScopeKind.COUNTY_SEGMENT: "县域学段",
    ScopeKind.SCHOOL: "学校",
    ScopeKind.SEGMENT: "学校学段",
    ScopeKind.CLASS: "班级",
}
_PARENT: dict[ScopeKind, ScopeKind | None] = {
    ScopeKind.COUNTY: None,
    ScopeKind.COUNTY_SEGMENT: ScopeKind.COUNTY,
    ScopeKind.SCHOOL: ScopeKind.COUNTY,
    ScopeKind.SEGMENT: ScopeKind.SCHOOL,
    ScopeKind.CLASS: ScopeKind.SEGMENT,
}
_BELOW: dict[ScopeKind, tuple[ScopeKind, ...]] = {
    ScopeKind.COUNTY: (ScopeKind.SCHOOL, ScopeKind.SEGMENT, ScopeKind.CLASS),
    # a county segment ranges over the school segments of that segment
    ScopeKind.COUNTY_SEGMENT: (ScopeKind.SCHOOL, ScopeKind.SEGMENT, ScopeKind.CLASS),
    ScopeKind.SCHOOL: (ScopeKind.SEGMENT, ScopeKind.CLASS),
    ScopeKind.SEGMENT: (ScopeKind.CLASS,),
    ScopeKind.CLASS: (),
}

# Words accepted after `scope` (English and Chinese).
_SCOPE_WORDS: dict[tuple[str, ...], ScopeKind] = {
    ("county",): ScopeKind.COUNTY,
    ("县",): ScopeKind.COUNTY,
    ("县域",): ScopeKind.COUNTY,
    ("county", "segment"): ScopeKind.COUNTY_SEGMENT,
    ("县", "学段"): ScopeKind.COUNTY_SEGMENT,
    ("县域", "学段"): ScopeKind.COUNTY_SEGMENT,
    ("县域学段",): ScopeKind.COUNTY_SEGMENT,
    ("school",): ScopeKind.SCHOOL,
    ("学校",): ScopeKind.SCHOOL,
    ("segment",): ScopeKind.SEGMENT,
    ("school", "segment"): ScopeKind.SEGMENT,
    ("学段",): ScopeKind.SEGMENT,
    ("学校", "学段"): ScopeKind.SEGMENT,
    ("学校学段",): ScopeKind.SEGMENT,
    ("class",): ScopeKind.CLASS,
    ("班级",): ScopeKind.CLASS,
}

# Words accepted after `over` in aggregates, and as path prefixes.
_OVER_WORDS: dict[str, ScopeKind] = {
    "schools": ScopeKind.SCHOOL,
    "school": ScopeKind.SCHOOL,
    "学校": ScopeKind.SCHOOL,
    "segments": ScopeKind.SEGMENT,
    "segment": ScopeKind.SEGMENT,
    "学段": ScopeKind.SEGMENT,
    "学校学段": ScopeKind.SEGMENT,
    "classes": ScopeKind.CLASS,
    "class": ScopeKind.CLASS,
    "班级": ScopeKind.CLASS,
    "county": ScopeKind.COUNTY,
    "县": ScopeKind.COUNTY,
    "县域": ScopeKind.COUNTY,
}


def scope_from_words(words: Iterable[str]) -> ScopeKind | None:
    """Map the words after ``scope`` to a scope (``("school", "segment")`` →
    SEGMENT), or ``None`` if they name none."""
    return _SCOPE_WORDS.get(tuple(words))


def scope_words() -> tuple[str, ...]:
    """Every accepted ``scope`` phrase, for suggestions."""
    return tuple(" ".join(w) for w in _SCOPE_WORDS)


def over_scope(word: str) -> ScopeKind | None:
    """Map a word after ``over`` (or a path prefix such as ``学校``) to a scope."""
    return _OVER_WORDS.get(word)


def over_words() -> tuple[str, ...]:
    """Every accepted word after ``over``."""
    return tuple(_OVER_WORDS)


class RuleOutcome(str, enum.Enum):
    """The outcome of an item, part or rule, as ``outcome(RULE)`` reads it.  A rule
    whose outcome is 缺少数据 gives an unknown value (naming the missing figures), not a
    symbol: what reads it is 缺少数据 too."""

    MET = "达到"
    BASICALLY_MET = "基本达到"
    NOT_MET = "未达到"
    NOT_APPLICABLE = "不适用"


#: Enum symbols rules may write bare: ``小学``, ``乡村``, ``中部``, ``九年一贯制`` ...
ENUM_SYMBOLS: dict[str, tuple[type[enum.Enum], ...]] = {}
for _enum in (
    models.Segment,
    models.SchoolKind,
    models.Ownership,
    models.Location,
    models.Region,
    models.SelfStatus,
    RuleOutcome,
):
    for _member in _enum:
        ENUM_SYMBOLS.setdefault(str(_member.value), ())
        ENUM_SYMBOLS[str(_member.value)] += (_enum,)


@attrs.frozen
class FieldInfo:
    """A field rules may read.

    Attributes:
        name: the English name (the attrs attribute, or the declared name of an
            extra field).
        scope: the entity it belongs to.
        kind: ``"quantity"`` (a :class:`~eduint.data.models.Figure` with :attr:`unit`),
            ``"number"`` (a bare number), ``"text"``, ``"flag"`` (yes/no),
            ``"enum"`` (one of :attr:`enum`), ``"date"``.
        unit: the unit of a quantity, else ``None``.
        label: the Chinese label (also accepted as the name), or ``None``.
        label_en: the English label, or ``None``.
        enum: the enum class of an ``"enum"`` field.
        extra: True for a field declared in a rule file (read from ``extra``).
        derived: True for a field computed from others (a school's students
            are the sum of its segments').
        better: ``"more"`` or ``"less"`` when a larger or smaller value is better for
            the county, else ``None`` (:attr:`eduint.data.fields.FieldDef.better`).
        actionable: whether a county bureau can act on it, ``None`` when that does
            not apply (:attr:`eduint.data.fields.FieldDef.actionable`).
        count: True for a whole-number count (人, 间, 班 …).
    """

    name: str
    scope: ScopeKind
    kind: str
    unit: Unit | None = None
    label: str | None = None
    label_en: str | None = None
    enum: type[enum.Enum] | None = None
    extra: bool = False
    derived: bool = False
    better: str | None = None
    actionable: bool | None = None
    count: bool = False

    def describe(self) -> str:
        """``学校学段.students (在校生数, 人)`` for messages."""
        bits = [b for b in (self.label, str(self.unit) if self.unit else None) if b]
        extra = f" ({', '.join(bits)})" if bits else ""
        return f"{self.scope.label}.{self.name}{extra}"


# Kept out by name before the registry existed, together with County.schools (the
# school list): CountySegment.schools (学校数, 所) has never been readable by rules.
# Left so (no behaviour change); whether rules should read it is an open question.
_HIDDEN = frozenset({(ScopeKind.COUNTY_SEGMENT, "schools")})


def _model_fields(scope: ScopeKind) -> Iterator[FieldInfo]:
    """The fields rules may read in ``scope``: the registry's fields of its model, except
    the containers (segments, schools, classes, size bands, extra), which are reached
    through scopes and aggregates."""
    for fd in model_fields(SCOPES[scope.value]):
        if fd.kind in ("list", "extra") or (scope, fd.name) in _HIDDEN:
            continue
        yield FieldInfo(
            name=fd.name,
            scope=scope,
            kind=fd.kind,
            unit=parse_unit(fd.unit) if fd.unit is not None else None,
            label=fd.label,
            label_en=fd.label_en,
            enum=fd.enum,
            better=fd.better,
            actionable=fd.actionable,
            count=fd.count,
        )


def _derived_fields() -> Iterator[FieldInfo]:
    """The derived fields, as :mod:`eduint.data.derived` declares them beside their
    computations."""
    for d in DERIVED:
        yield FieldInfo(
            d.name,
            ScopeKind(d.scope),
            "quantity",
            parse_unit(d.unit),
            d.label,
            d.label_en,
            derived=True,
            better=d.better,
            actionable=d.actionable,
            count=d.count,
        )


@attrs.frozen
class Schema:
    """Every field rules may read, by scope.

    Attributes:
        fields: scope → English name → :class:`FieldInfo`.
    """

    fields: Mapping[ScopeKind, Mapping[str, FieldInfo]]
    # scope → Chinese label → the first field with that label: a lookup by label costs
    # the same as one by name, however many fields a rule file declares.
    _labels: dict[ScopeKind, dict[str, FieldInfo]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        labels: dict[ScopeKind, dict[str, FieldInfo]] = {}
        for scope, table in self.fields.items():
            by_label = labels.setdefault(scope, {})
            for info in table.values():
                if info.label:
                    by_label.setdefault(info.label, info)
        object.__setattr__(self, "_labels", labels)

    def lookup(self, scope: ScopeKind, name: str) -> FieldInfo | None:
        """Find a field of ``scope`` by English name or Chinese label."""
        table = self.fields.get(scope, {})
        if name in table:
            return table[name]
        return self._labels.get(scope, {}).get(name)

    def names(self, scope: ScopeKind) -> tuple[str, ...]:
        """English names and Chinese labels of the fields of ``scope``."""
        out: list[str] = []
        for info in self.fields.get(scope, {}).values():
            out.append(info.name)
            if info.label:
                out.append(info.label)
        return tuple(out)

    def all_fields(self) -> Iterator[FieldInfo]:
        """Every field of every scope."""
        for table in self.fields.values():
            yield from table.values()


def build_schema(extra: Iterable[FieldInfo] = ()) -> Schema:
    """Build the schema from the models plus extra fields.

    Args:
        extra: fields declared in rule files (``FieldInfo(extra=True)``).

    Returns:
        The :class:`Schema`.  The caller (the checker) reports clashes between
        an extra field and a model field before calling this.
    """
    table: dict[ScopeKind, dict[str, FieldInfo]] = {s: {} for s in ScopeKind}
    for scope in ScopeKind:
        for info in _model_fields(scope):
            table[scope][info.name] = info
    for info in _derived_fields():
        table[info.scope].setdefault(info.name, info)
    for info in extra:
        table[info.scope][info.name] = info
    return Schema(table)
