"""The checked rule set: the checker's output and the evaluator's only input.

Every name is resolved (to a field with its unit, a value, a setting, a
``let`` binding or an enum symbol) and every expression carries its inferred
:class:`Type`.  All classes are frozen; spans are kept for messages and left
out of equality.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from eduint.checking.schema import FieldInfo, ScopeKind
from eduint.core.units import DIMENSIONLESS, Unit
from eduint.language.diagnostics import Span

if TYPE_CHECKING:  # the layering records refer back to this module
    from eduint.checking.changes import Change, Parent

__all__ = [
    "Aggregate",
    "expression_nodes",
    "Binary",
    "BoolConst",
    "CheckedRule",
    "Comparison",
    "Conditional",
    "Const",
    "Container",
    "DatedValue",
    "DocumentInfo",
    "FieldRef",
    "Function",
    "KeyedEntryValue",
    "KeyedValue",
    "LetRef",
    "ListOf",
    "Logic",
    "Membership",
    "Negate",
    "Not",
    "Origin",
    "OutcomeRef",
    "PeriodValue",
    "RExpr",
    "RuleSet",
    "SettingValue",
    "SourceRef",
    "Symbol",
    "TextConst",
    "Type",
    "ValueRef",
    "headline_comparison",
]


def _span() -> Span | None:
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)  # type: ignore[no-any-return]


def _origin() -> Origin | None:
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)  # type: ignore[no-any-return]


@attrs.frozen
class Type:
    """The static type of an expression.

    Attributes:
        kind: ``"number"``, ``"bool"``, ``"text"``, ``"symbol"``, ``"list"``,
            ``"date"`` or ``"combiner"``.
        unit: the unit of a number.
        enum: the enum name of a symbol (``"Segment"``), or ``None``.
        literal: True for a bare number literal written without a unit.
    """

    kind: str
    unit: Unit = DIMENSIONLESS
    enum: str | None = None
    literal: bool = False

    def describe(self) -> str:
        """``人``, ``元/人``, ``a condition``, ``学段 symbol`` for messages."""
        if self.kind == "number":
            return str(self.unit) if self.unit.describe() else "a bare number"
        if self.kind == "bool":
            return "a condition"
        if self.kind == "symbol":
            return f"a {self.enum} symbol"
        return self.kind


BOOL = Type("bool")
TEXT = Type("text")


@attrs.frozen(cache_hash=True)
class SourceRef:
    """A citation, with the document resolved.

    Attributes:
        document: the document id, or ``None``.
        number: the document's number (``国发〔2016〕40号``), when declared.
        text: the article or free text.
    """

    document: str | None
    number: str | None
    text: str | None

    def __str__(self) -> str:
        return " ".join(x for x in (self.number or self.document, self.text) if x)


@attrs.frozen
class Origin:
    """Where an element of a checked rule set was set: the rule file (national or
    provincial) and line, and the documents it cites.  A rule set that extends another
    keeps the parent's origins for what it inherits unchanged.

    Attributes:
        ruleset: the id of the rule set whose file set it.
        file: that file as reports name it (``bundled:youzhi-junheng-2017.rules``, or
            its path).
        line: the line of the declaration, override or relaxation, or ``None``.
        sources: the documents it cites (a relaxation's ``because`` first).
    """

    ruleset: str
    file: str
    line: int | None
    sources: tuple[SourceRef, ...] = ()

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        cites = "; ".join(str(s) for s in self.sources)
        return f"{where} ({cites})" if cites else where


# ------------------------------------------------------------- expressions


@attrs.frozen
class Const:
    """A number (exact decimal) in a unit."""

    value: Decimal
    type: Type
    span: Span | None = _span()


@attrs.frozen
class TextConst:
    """A text literal."""

    value: str
    type: Type = TEXT
    span: Span | None = _span()


@attrs.frozen
class BoolConst:
    """``true`` / ``false``."""

    value: bool
    type: Type = BOOL
    span: Span | None = _span()


@attrs.frozen
class Symbol:
    """An enum symbol: ``小学``, ``乡村``, ``中部``, or a combiner name."""

    value: str
    type: Type
    span: Span | None = _span()


@attrs.frozen
class FieldRef:
    """A data field of the entity in :attr:`field.scope` (the rule's entity or one above)."""

    field: FieldInfo
    type: Type
    span: Span | None = _span()


@attrs.frozen
class LetRef:
    """A ``let`` binding of the same rule."""

    name: str
    type: Type
    span: Span | None = _span()


@attrs.frozen
class ValueRef:
    """A named value (``value`` declaration), looked up in :attr:`RuleSet.values`."""

    name: str
    type: Type
    span: Span | None = _span()


@attrs.frozen
class Negate:
    """``-x``."""

    operand: RExpr
    type: Type
    span: Span | None = _span()


@attrs.frozen
class Not:
    """``not x`` (Kleene)."""

    operand: RExpr
    type: Type = BOOL
    span: Span | None = _span()


@attrs.frozen
class Binary:
    """Arithmetic ``+ - * /`` with the result's unit in :attr:`type`."""

    op: str
    left: RExpr
    right: RExpr
    type: Type
    span: Span | None = _span()


@attrs.frozen
class Comparison:
    """``>= <= == != > <``; operands have the same dimension (units convert)."""

    op: str
    left: RExpr
    right: RExpr
    type: Type = BOOL
    span: Span | None = _span()
    text: str = attrs.field(default="", eq=False, repr=False, kw_only=True)
    """The comparison as canonical rule text, for reports (``L1 >= 高学历教师标准``)."""


@attrs.frozen
class Membership:
    """``x in [a, b]``."""

    left: RExpr
    items: tuple[RExpr, ...]
    type: Type = BOOL
    span: Span | None = _span()


@attrs.frozen
class Logic:
    """``and`` / ``or`` (Kleene three-valued)."""

    op: str
    left: RExpr
    right: RExpr
    type: Type = BOOL
    span: Span | None = _span()


@attrs.frozen
class Conditional:
    """``if c then a else b``."""

    cond: RExpr
    then: RExpr
    orelse: RExpr
    type: Type
    span: Span | None = _span()


@attrs.frozen
class ListOf:
    """A list of expressions (k-of-n arguments)."""

    items: tuple[RExpr, ...]
    type: Type = Type("list")
    span: Span | None = _span()


@attrs.frozen
class Aggregate:
    """An aggregate from a lower scope: ``sum``, ``mean``, ``min``, ``max``,
    ``count``, ``share``, ``all``, ``any``, ``cv`` (student-weighted 差异系数).

    Attributes:
        fn: the aggregate's canonical name.
        args: its arguments, resolved in scope :attr:`over`.
        over: the scope ranged over.
        where: the filter, resolved in scope :attr:`over`, or ``None``.
    """

    fn: str
    args: tuple[RExpr, ...]
    over: ScopeKind
    where: RExpr | None
    type: Type
    span: Span | None = _span()


@attrs.frozen
class Function:
    """A plain function: ``ceil``, ``floor``, ``max``/``min`` of two, ``ratio``,
    ``per100``, ``at_least``."""

    fn: str
    args: tuple[RExpr, ...]
    type: Type
    span: Span | None = _span()


@attrs.frozen
class OutcomeRef:
    """``outcome(RULE)``: the outcome of another item, part or rule for the same entity
    (or, inside an aggregate, for each entity aggregated), as a symbol 达到, 基本达到,
    未达到 or 不适用 (缺少数据 is an unknown value).

    Attributes:
        rule: the id of the rule read.
    """

    rule: str
    type: Type = Type("symbol", enum="RuleOutcome")
    span: Span | None = _span()


@attrs.frozen
class KeyedEntryValue:
    """One entry of a keyed value, with its own sources and provisional marker."""

    keys: tuple[str, ...]
    value: RExpr
    sources: tuple[SourceRef, ...] = ()
    provisional: str | None = None
    """``None`` when confirmed; otherwise the reason text (``""`` if none given)."""
    provisional_en: str | None = None
    """The English variant of the reason (``en "…"``), or ``None``."""
    origin: Origin | None = _origin()
    """Where the entry was set (a provincial override replaces one key)."""


@attrs.frozen
class KeyedValue:
    """A value keyed by ``segment``, ``location`` or ``region`` (canonical kind)."""

    kind: str
    entries: tuple[KeyedEntryValue, ...]
    type: Type
    span: Span | None = _span()


@attrs.frozen
class PeriodValue:
    """One period of a dated value; ``value is None`` means report-only; the provisional
    reason has its English variant in ``provisional_en``."""

    start: datetime.date | None
    end: datetime.date | None
    value: RExpr | None
    sources: tuple[SourceRef, ...] = ()
    provisional: str | None = None
    provisional_en: str | None = None
    span: Span | None = _span()
    origin: Origin | None = _origin()


@attrs.frozen
class DatedValue:
    """A value dated by the periods it is in force (periods sorted, no overlap)."""

    periods: tuple[PeriodValue, ...]
    type: Type
    span: Span | None = _span()


RExpr = (
    Const
    | TextConst
    | BoolConst
    | Symbol
    | FieldRef
    | LetRef
    | ValueRef
    | Negate
    | Not
    | Binary
    | Comparison
    | Membership
    | Logic
    | Conditional
    | ListOf
    | Aggregate
    | Function
    | OutcomeRef
    | KeyedValue
    | DatedValue
)
"""Every resolved expression node."""


def headline_comparison(e: RExpr) -> Comparison | None:
    """The comparison whose value and threshold a report shows for a requirement: the
    requirement itself, or the first condition of an ``and``/``or`` chain when that is a
    comparison (``count(…) <= 0 and share(…) <= 5%`` shows the count); ``None`` for a
    requirement that starts with anything else (``at_least(6, […]) and …``).  A rule's
    ``margin`` qualifies this comparison, in the unit it is shown in."""
    x: RExpr = e
    while isinstance(x, Logic):
        x = x.left
    return x if isinstance(x, Comparison) else None


# --------------------------------------------------------------- structure


@attrs.frozen
class SettingValue:
    """A rule-set setting: its value, whether the file set it, source and provisional marker.

    Attributes:
        name: the canonical (English) setting name.
        value: the resolved value.
        explicit: True when the rule file set it, False for the built-in default.
        sources: citations.
        provisional: ``None`` when confirmed, else the reason (``""`` if none).
        provisional_en: the reason's English variant, or ``None``.
        origin: the file and line that set it (``None`` for the built-in default).
    """

    name: str
    value: RExpr
    explicit: bool
    sources: tuple[SourceRef, ...] = ()
    provisional: str | None = None
    provisional_en: str | None = None
    origin: Origin | None = _origin()


@attrs.frozen
class NamedValue:
    """A ``value`` declaration: a threshold or quota, possibly keyed and dated.

    Attributes:
        name, title, value, sources: as declared (``title`` Chinese).
        provisional: ``None`` when confirmed, else the reason (``""`` if none).
        title_en: the English title (``value X "标题" en "title"``), or ``None``.
        provisional_en: the provisional reason's English variant, or ``None``.
        notes: the value's notes; notes_en: their English variants, one per note
            (``None`` where a note has none).
        placeholder: ``None``, or the reason (``""`` if none) of a ``placeholder`` a
            file that extends this one is meant to replace.
        origin: the file and line that set it.
    """

    name: str
    title: str | None
    value: RExpr
    sources: tuple[SourceRef, ...] = ()
    provisional: str | None = None
    title_en: str | None = None
    provisional_en: str | None = None
    notes: tuple[str, ...] = ()
    notes_en: tuple[str | None, ...] = ()
    placeholder: str | None = None
    span: Span | None = _span()
    origin: Origin | None = _origin()


@attrs.frozen
class DocumentInfo:
    """A declared document: id, title, number, date, url, notes (``notes_en``: their
    English variants, one per note, ``None`` where a note has none), English title."""

    id: str
    title: str
    number: str | None = None
    date: datetime.date | None = None
    url: str | None = None
    notes: tuple[str, ...] = ()
    notes_en: tuple[str | None, ...] = ()
    title_en: str | None = None


@attrs.frozen
class CheckedRule:
    """A checked item, part or rule.

    Attributes:
        kind: ``"item"``, ``"part"`` or ``"rule"``.
        id: the item/part label (``"12.1"``) or the rule id.
        label: the official number as written, or ``None`` for a named rule.
        title: the Chinese title.
        title_en: the English title, or ``None``.
        scope: the entity the rule is evaluated for.
        segments: the segments it applies to (``None``: all).
        applies: the applicability condition, or ``None`` (always applies).
        otherwise: the reason shown when it does not apply.
        require: the requirement (达到 when true), or ``None``.
        basically: the 基本达到 condition, or ``None``.
        reports: ``(name, expression)`` pairs shown without a verdict.
        lets: ``(name, expression)`` bindings in order.
        sources: citations.
        notes: notes.
        notes_en: the notes' English variants, one per note (``None`` where a note
            has none).
        provisional: ``None`` when confirmed, else the reason (``""`` if none).
        provisional_en: the provisional reason's English variant, or ``None``.
        otherwise_en: the English variant of :attr:`otherwise`, or ``None``.
        attested: True when the county answers it (自评).
        veto: True for a veto item (一票否决).
        margin: the borderline margin, one number in the unit the headline comparison
            (:func:`headline_comparison`) is shown in (converted by the checker), or
            ``None``.
        combine: how parts combine (``"worst"`` by default).
        parts: the parts of an item.
        requirement_text: the requirement as canonical rule text, for reports.
        applies_text: the applicability condition as canonical rule text.
        placeholder: ``None``, or the reason (``""`` if none) of a ``placeholder`` a
            file that extends this one is meant to replace.
        origin: the file and line that set its requirement (an override's, when a
            file that extends another replaced it).
    """

    kind: str
    id: str
    label: str | None
    title: str | None
    title_en: str | None
    scope: ScopeKind
    segments: tuple[str, ...] | None
    applies: RExpr | None
    otherwise: str | None
    require: RExpr | None
    basically: RExpr | None
    reports: tuple[tuple[str | None, RExpr], ...]
    lets: tuple[tuple[str, RExpr], ...]
    sources: tuple[SourceRef, ...]
    notes: tuple[str, ...]
    provisional: str | None
    attested: bool
    veto: bool
    margin: Const | None
    combine: str
    parts: tuple[CheckedRule, ...] = ()
    requirement_text: str | None = None
    applies_text: str | None = None
    notes_en: tuple[str | None, ...] = ()
    provisional_en: str | None = None
    otherwise_en: str | None = None
    placeholder: str | None = None
    span: Span | None = _span()
    origin: Origin | None = _origin()

    @property
    def computed(self) -> bool:
        """True when the rule computes a verdict (it has a requirement)."""
        return self.require is not None

    @property
    def report_only(self) -> bool:
        """True when the rule shows values and gives no verdict."""
        return self.require is None and bool(self.reports) and not self.attested


@attrs.frozen
class Container:
    """A section or block with its members and roll-up (``notes_en``: the notes' English
    variants, one per note, ``None`` where a note has none)."""

    kind: str
    id: str
    title: str | None
    title_en: str | None
    members: tuple[Container | CheckedRule, ...]
    combine: str
    notes: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    notes_en: tuple[str | None, ...] = ()
    span: Span | None = _span()



def expression_nodes(roots: Iterable[object], stop: tuple[type, ...] = ()) -> Iterator[object]:
    """Every resolved expression node under ``roots`` (the roots too), each once per
    occurrence, in no particular order (an iterative walk: nesting is bounded by the
    parser, but not by Python's stack); a node of a ``stop`` type is yielded but not
    entered (``ValueRef``: a named value's own expression is elsewhere)."""
    stack = list(roots)
    while stack:
        node = stack.pop()
        if not attrs.has(type(node)):
            continue
        yield node
        if isinstance(node, stop):
            continue
        for a in attrs.fields(type(node)):  # type: ignore[arg-type]
            v = getattr(node, a.name)
            if isinstance(v, tuple):
                stack.extend(v)
            elif attrs.has(type(v)):
                stack.append(v)

@attrs.frozen
class RuleSet:
    """A checked rule set.

    Attributes:
        id: the rule set id.
        title: its Chinese title.
        title_en: its English title.
        version: its version text.
        derived_from: what it was derived from, when not an official checklist.
        notes: notes; notes_en: their English variants, one per note (``None`` where
            a note has none).
        derived_from_en: the English variant of :attr:`derived_from`, or ``None``.
        sources: citations of the whole rule set.
        documents: declared documents by id.
        settings: every setting by canonical name (defaults included).
        values: named values by name.
        extra_fields: fields declared in the rule file.
        members: sections, blocks, items and rules in order.
        file: the rule file name.
        warnings: non-fatal diagnostics from the checker (e.g. gaps between
            dated periods).
        parents: the rule sets this one extends, nearest first (empty for none).
        changes: what it changes of its parents: overrides, relaxations, drops and
            replaced placeholders, in file order (:mod:`eduint.checking.changes`).
    """

    id: str
    title: str | None
    title_en: str | None
    version: str | None
    derived_from: str | None
    notes: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    documents: Mapping[str, DocumentInfo]
    settings: Mapping[str, SettingValue]
    values: Mapping[str, NamedValue]
    extra_fields: tuple[FieldInfo, ...]
    members: tuple[Container | CheckedRule, ...]
    file: str = attrs.field(default="<string>", eq=False)
    warnings: tuple[object, ...] = attrs.field(default=(), eq=False)
    notes_en: tuple[str | None, ...] = ()
    derived_from_en: str | None = None
    parents: tuple[Parent, ...] = ()
    changes: tuple[Change, ...] = ()

    @property
    def lineage(self) -> tuple[str, ...]:
        """This rule set's id and its parents' ids, nearest first."""
        return (self.id, *(p.id for p in self.parents))

    def rules(self) -> Iterator[CheckedRule]:
        """Every item, part and rule, depth first in file order."""
        stack: list[Container | CheckedRule] = list(reversed(self.members))
        while stack:
            m = stack.pop()
            if isinstance(m, CheckedRule):
                yield m
                stack.extend(reversed(m.parts))
            else:
                stack.extend(reversed(m.members))

    def find(self, id_: str) -> CheckedRule | None:
        """The item, part or rule with this id or label, or ``None``."""
        return next((r for r in self.rules() if r.id == id_), None)

    def expressions(self) -> Iterator[object]:
        """Every resolved expression node of the rule set's values and rules, each once
        per occurrence (iterative walk, any order)."""
        stack: list[object] = [v.value for v in self.values.values()]
        for r in self.rules():
            stack.extend(x for x in (r.applies, r.require, r.basically, r.margin) if x is not None)
            stack.extend(e for _, e in r.reports)
            stack.extend(e for _, e in r.lets)
        return expression_nodes(stack)

    def fields_read(self) -> frozenset[FieldInfo]:
        """Every data field any rule or value of this rule set reads."""
        return frozenset(n.field for n in self.expressions() if isinstance(n, FieldRef))

    def extra_field_kinds(self) -> dict[str, dict[str, str]]:
        """The extra fields in the form the data loaders take.

        Returns:
            scope value (``"county"``, ``"school"``, ``"segment"`` ...) → field
            name → kind (``"unit:所"``, ``"number"``, ``"text"``, ``"flag"``).
        """
        out: dict[str, dict[str, str]] = {}
        for f in self.extra_fields:
            kind = f"unit:{f.unit}" if f.kind == "quantity" else f.kind
            out.setdefault(f.scope.value, {})[f.name] = kind
        return out

    def sources_cited(self) -> tuple[SourceRef, ...]:
        """Every citation of the rule set and its rules, in order, without repeats."""
        seen: dict[SourceRef, None] = dict.fromkeys(self.sources)
        for r in self.rules():
            seen.update(dict.fromkeys(r.sources))
        return tuple(seen)
