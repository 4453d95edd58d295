"""The checker's shared state and the small helpers every part of it uses.

The checker is one object built in layers, each a module of its own, each class
adding one concern to the one below it::

    CheckerState     (here)            the diagnostics, documents, values and schema
    ExprChecker      (_exprs.py)       expressions: names, units, comparisons, calls
    ValueChecker     (_values.py)      named values and settings
    StructureChecker (_structure.py)   sections, blocks, items, parts and rules
    _Checker         (checker.py)      the file: header, documents, fields; the result

The layers share one state (this class), so the order in which diagnostics are
appended is the order of the calls, exactly as when the checker was one class:
:class:`~eduint.errors.RuleCheckError` sorts them by position, stably, so that
order decides between two diagnostics at one position.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable
from decimal import Decimal

import attrs

from eduint.checking.ruleset import (
    Aggregate,
    Const,
    DocumentInfo,
    FieldRef,
    Function,
    NamedValue,
    Origin,
    RExpr,
    SourceRef,
    Symbol,
    Type,
    ValueRef,
)
from eduint.checking.schema import Schema, ScopeKind, build_schema
from eduint.core.units import Unit, UnitError, parse_unit
from eduint.language import nodes as n
from eduint.language.diagnostics import Diagnostic, Span, did_you_mean

#: Candidate names all the did-you-mean hints of one rule file may compare together
#: (:meth:`CheckerState.suggest`): about a tenth of a second of work.
SUGGESTION_BUDGET = 50_000


@attrs.frozen
class Ctx:
    """Where an expression is resolved.

    Attributes:
        scope: the entities the expression reads (a rule's scope, or the scope an
            aggregate ranges over); ``None`` for a value or setting, which reads no data.
        lets: the ``let`` bindings in force, name → type.
    """

    scope: ScopeKind | None
    lets: dict[str, Type]


class CheckerState:
    """What the checker knows and has found so far, for one rule file.

    Attributes:
        tree: the parsed file; file: its name, for messages.
        diags: the errors found, in the order found; warnings: likewise (``W3xx``).
        documents: declared documents by id; values: checked named values by name.
        schema: the data model, with the file's own ``field`` declarations once read.
        seen_ids: the ids of sections, blocks, items, parts and rules, with where
            each was first defined (``E104`` on the second).
        cyclic: values in a reference cycle (``E310``): their uses are not reported again.
        extra_seen: the ``field`` declarations read, by scope and name.
        ruleset_id: the id of the rule set being checked (for origins).
        shown: the file as reports name it (``bundled:…`` or its path; for origins).
        suggestions_left: how many more candidate names the did-you-mean hints of this
            file may compare (:meth:`suggest`).
    """

    def __init__(self, tree: n.RuleFile, shown: str | None = None) -> None:
        self.tree = tree
        self.file = tree.file
        self.shown = shown or tree.file
        self.ruleset_id = ""
        self.diags: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        self.documents: dict[str, DocumentInfo] = {}
        self.values: dict[str, NamedValue] = {}
        self.schema: Schema = build_schema()
        self.seen_ids: dict[str, Span | None] = {}
        self.cyclic: set[str] = set()
        self.extra_seen: set[tuple[ScopeKind, str]] = set()
        self.suggestions_left = SUGGESTION_BUDGET

    def suggest(self, word: str, *pools: Collection[str]) -> str | None:
        """The closest name to ``word`` among ``pools`` (:func:`did_you_mean`), within a
        budget of :data:`SUGGESTION_BUDGET` candidates for the whole file.

        A pool of names the file declares (values, lets, documents, fields) grows with the
        file, and so can the number of unknown names: without a budget, hints would cost
        time quadratic in the file's size.  A call whose pools exceed what is left gets
        ``None`` (the diagnostic keeps its generic hint); later, smaller calls still get
        hints.  Ordinary files use a few thousand candidates.
        """
        size = sum(len(p) for p in pools)
        if size > self.suggestions_left:
            return None
        self.suggestions_left -= size
        return did_you_mean(word, itertools.chain.from_iterable(pools))

    def err(self, code: str, msg: str, span: Span | None, hint: str | None = None) -> None:
        """Record an error (the check fails, but goes on to find the others)."""
        self.diags.append(Diagnostic(code, msg, span, hint))

    def warn(self, code: str, msg: str, span: Span | None, hint: str | None = None) -> None:
        """Record a warning (kept on :attr:`RuleSet.warnings`; the check succeeds)."""
        self.warnings.append(Diagnostic(code, msg, span, hint, severity="warning"))

    def sources(self, metas: Iterable[object]) -> tuple[SourceRef, ...]:
        """The ``source`` citations among ``metas``; an unknown document is ``E103``."""
        out = []
        for m in metas:
            if isinstance(m, n.Source):
                number = None
                if m.document is not None:
                    doc = self.documents.get(m.document)
                    if doc is None:
                        sug = self.suggest(m.document, self.documents)
                        self.err(
                            "E103",
                            f"unknown document '{m.document}'",
                            m.span,
                            f"did you mean '{sug}'?"
                            if sug
                            else 'declare it with: document ID "title" { number "..." }',
                        )
                    else:
                        number = doc.number
                out.append(SourceRef(m.document, number, m.text))
        return tuple(out)

    def origin(self, span: Span | None, sources: tuple[SourceRef, ...] = ()) -> Origin:
        """Where an element was set: this file, the line of ``span``, its citations."""
        line = span.line if span is not None else None
        return Origin(self.ruleset_id, self.shown, line, sources)

    @staticmethod
    def placeholder(metas: Iterable[object]) -> str | None:
        """The reason of the first ``placeholder`` among ``metas`` (``""`` when none is
        given), or ``None`` when there is none."""
        for m in metas:
            if isinstance(m, n.Placeholder):
                return m.reason or ""
        return None

    def no_placeholder(self, metas: Iterable[object], where: str) -> None:
        """``E319`` for a ``placeholder`` where it means nothing (a setting, an entry)."""
        for m in metas:
            if isinstance(m, n.Placeholder):
                self.err(
                    "E319",
                    f"'placeholder' marks a whole rule or value, not {where}",
                    m.span,
                    "put it on the value or rule that provinces replace",
                )

    @staticmethod
    def provisional(metas: Iterable[object]) -> str | None:
        """The reason of the first ``provisional`` among ``metas`` (``""`` when none is
        given), or ``None`` when nothing is provisional."""
        for m in metas:
            if isinstance(m, n.Provisional):
                return m.reason or ""
        return None

    @staticmethod
    def provisional_en(metas: Iterable[object]) -> str | None:
        """The English variant of the first ``provisional``'s reason, or ``None``."""
        for m in metas:
            if isinstance(m, n.Provisional):
                return m.reason_en
        return None


def notes(props: Iterable[object]) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    """The ``note`` texts among ``props`` and their English variants, one per note
    (``None`` where a note has none)."""
    found = [p for p in props if isinstance(p, n.Note)]
    return tuple(p.text for p in found), tuple(p.text_en for p in found)


def first_prop(props: Iterable[object], cls: type, attr: str) -> str | None:
    """Attribute ``attr`` of the first property of class ``cls``, or ``None``."""
    for p in props:
        if isinstance(p, cls):
            value = getattr(p, attr)
            return value  # type: ignore[no-any-return]
    return None


def error_expr(span: Span | None) -> RExpr:
    """A stand-in for an expression that already produced a diagnostic.

    One mistake is reported once: every enclosing check lets an ``error`` type pass.
    """
    return Symbol("<error>", Type("error"), span=span)


def what(r: RExpr) -> str:
    """How an operand is named in a message: the field, the literal, the value."""
    if isinstance(r, FieldRef):
        return r.field.describe()
    if isinstance(r, Const):
        return f"{r.value}{(' ' + str(r.type.unit)) if r.type.unit.describe() else ''}"
    if isinstance(r, ValueRef):
        return f"value {r.name}"
    if isinstance(r, Aggregate | Function):
        return f"{r.fn}(…) ({r.type.describe()})"
    return r.type.describe()


def enum_hint(r: RExpr) -> str | None:
    """``use one of: …`` for a field with a fixed set of values, else ``None``."""
    if isinstance(r, FieldRef) and r.field.enum is not None:
        return "use one of: " + ", ".join(str(m.value) for m in r.field.enum)
    return None


def written_unit(text: str | None) -> Unit:
    """A unit as written in a rule file.

    Raises:
        UnitError: an unknown unit, or 百人 (百生) anywhere but after ``/``: it counts a
            per-100 rate, so "5 百人" is not 500 人 (see :mod:`eduint.core.units`).
    """
    unit = parse_unit(text)
    if text and text.split("/")[0].strip() in ("百人", "百生"):
        raise UnitError(
            f"'{text}': 百人 (百生) may only follow '/', as in 人/百人 (a per-100 rate)"
        )
    return unit


def unit_hint() -> str:
    """The hint of ``E204``: the units a rule file may write."""
    from eduint.core.units import unit_names

    return "units: " + ", ".join(unit_names()) + " and A/B forms such as 元/人"


def unit_mismatch_hint(a: Unit, b: Unit) -> str | None:
    """The hint for two units that do not match (``E201``, ``E202``)."""
    dims = {d for d, _ in a.dims} | {d for d, _ in b.dims}
    if "百人" in dims:
        return (
            "one side is a per-100 rate (人/百人), the other is not: use per100(x, 在校生数) "
            "on both sides, or a threshold in 人/百人"
        )
    if a.dimensionless or b.dimensionless:
        return "give the threshold the same unit as the figure"
    return "compare figures of the same kind (人 with 人, 元/人 with 元/人)"


def percent_hint(value: Decimal) -> str:
    """The hint of ``E203`` for a bare threshold compared with a percentage."""
    if 0 < value <= 1:
        pct = (value * 100).normalize()
        return (
            f"write it in per cent: {pct:f}% (a share of {value} is {pct:f} per cent), not {value}%"
        )
    return f"write {value}%"
