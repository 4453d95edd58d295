"""Compile a checked rule set once into closures over the population tables.

Each resolved expression becomes a function ``f(frame, row) -> Value``
(:class:`~eduint.engine.frame.Frame`), built once per rule set: the ``match`` over node
types happens here, not per entity.  A field reference becomes an index into a column
of the population (resolved per county into :attr:`Frame.bound`), with the row of the
entity's ancestor looked up in a precomputed map; a named value becomes its compiled
expression with its citations and provisional marker; built-ins call the registry's
implementations (:mod:`eduint.checking.builtins`); the 差异系数 is :mod:`eduint.engine._cv`.

Semantics (REFERENCE §3, ``docs/language.md``): values are those of
:mod:`eduint.core.values`; ``and``/``or`` short-circuit on a decided left side and are
Kleene otherwise; every top-level comparison of a requirement is recorded with its
sides (:attr:`Frame.checks`); a comparison over ranges that comes out undecided names
the ranges.  Nothing is formatted here.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import attrs

from eduint._compat import assert_never
from eduint.checking.builtins import AGGREGATES, FUNCTIONS, Items
from eduint.checking.ruleset import (
    Aggregate,
    Binary,
    BoolConst,
    CheckedRule,
    Comparison,
    Conditional,
    Const,
    DatedValue,
    FieldRef,
    Function,
    KeyedEntryValue,
    KeyedValue,
    LetRef,
    ListOf,
    Logic,
    Membership,
    Negate,
    Not,
    OutcomeRef,
    RExpr,
    RuleSet,
    SourceRef,
    Symbol,
    TextConst,
    ValueRef,
)
from eduint.checking.schema import FieldInfo, ScopeKind
from eduint.core import values as v
from eduint.core.units import Unit, display_unit
from eduint.core.values import Code, Kind, Reason, Unknown, Value, parts
from eduint.engine import _closures as C
from eduint.engine import _cv
from eduint.engine._exprtext import expr_text
from eduint.engine._main import main_comparison as main_comparison
from eduint.engine._tables import field_ref
from eduint.engine._walk import dependencies, operands, shared
from eduint.engine.frame import Frame
from eduint.engine.population import Population
from eduint.engine.results import Period, ProvisionalUse, Text

__all__ = ["CheckInfo", "Fn", "Program", "RuleProgram", "compile_ruleset"]

Fn = C.Fn


@attrs.frozen
class CheckInfo:
    """What the report shows of a comparison: its text, and the unit of its sides.

    Attributes:
        node: the comparison.
        text: the comparison as rule text.
        op: the comparator.
        unit: the unit a check shows its sides in (:func:`~eduint.core.units.display_unit`:
            the threshold's as written, else the value's).
        measure: ``"cv"`` when the figure side is a 差异系数 (see
            :attr:`eduint.engine.results.Comparison.measure`), else ``None``.
        figure, subject: the figure side's text and the report line that shows it (see
            :attr:`eduint.engine.results.Comparison.subject`).
    """

    node: Comparison
    text: str
    op: str
    unit: Unit
    measure: str | None = None
    figure: str | None = None
    subject: str | None = None


@attrs.frozen
class RuleProgram:
    """One checked item, part or rule, compiled.

    Attributes:
        rule: the checked rule.
        lets: the ``let`` expressions, in order (their values go to :attr:`Frame.lets`).
        applies: the applicability condition, or ``None``.
        reports: ``(name, expression, compiled)`` for each ``report`` line.
        require: the requirement, or ``None``.
        main: the headline comparison (the requirement, or the first condition of its
            and/or chain) as ``(comparison, left, right)``, or ``None``.
        basically: the 基本达到 condition, or ``None``.
        parts: the parts of an item.
        info: the headline comparison's :class:`CheckInfo` (the object its recorded
            checks carry), or ``None``.
    """

    rule: CheckedRule
    lets: tuple[Fn, ...]
    applies: Fn | None
    reports: tuple[tuple[str | None, RExpr, Fn], ...]
    require: Fn | None
    main: tuple[Comparison, Fn, Fn] | None
    basically: Fn | None
    parts: tuple[RuleProgram, ...]
    info: CheckInfo | None = None


class _Slots:
    """Per-county resolutions a program needs (columns, ancestor maps), by slot."""

    def __init__(self) -> None:
        self.keys: dict[tuple[Any, ...], int] = {}
        self.resolvers: list[Callable[[Population], Any]] = []

    def slot(self, key: tuple[Any, ...], resolve: Callable[[Population], Any]) -> int:
        k = self.keys.get(key)
        if k is None:
            k = self.keys[key] = len(self.resolvers)
            self.resolvers.append(resolve)
        return k


@attrs.frozen(eq=False)
class Program:
    """A compiled rule set.

    The program holds the rule set's rules but not the rule set itself, so a cache of
    programs keyed by rule set lets the rule set go.

    Attributes:
        rules: the compiled items, parts and rules, keyed by ``id()`` of their
            :class:`~eduint.checking.ruleset.CheckedRule`.
        fields: every field the rule set reads (columns to compute up front).
        resolvers: what :meth:`bind` resolves for a population, by slot.
    """

    rules: dict[int, RuleProgram] = attrs.field(repr=False)
    fields: frozenset[FieldInfo] = attrs.field(repr=False)
    resolvers: tuple[Callable[[Population], Any], ...] = attrs.field(repr=False)

    def bind(self, pop: Population) -> list[Any]:
        """Resolve the program's slots (columns, ancestor maps) for one population."""
        return [r(pop) for r in self.resolvers]


_UNSET: Any = object()  # a memo cell not computed yet


def compile_ruleset(ruleset: RuleSet) -> Program:
    """Compile every item, part and rule of ``ruleset`` (see the module doc)."""
    c = _Compiler(ruleset)
    rules: dict[int, RuleProgram] = {}
    for rule in ruleset.rules():
        if id(rule) not in rules:
            rules[id(rule)] = c.rule(rule, rules)
    return Program(rules, ruleset.fields_read(), tuple(c.slots.resolvers))


def expr_name(x: RExpr) -> object:
    """What an expression is, for reasons: a field's :class:`~eduint.core.refs.FieldRef`,
    else a short name as rule text (a value's or let's name, ``count(…)``)."""
    if isinstance(x, FieldRef):
        return field_ref(x.field)
    if isinstance(x, (ValueRef, LetRef)):
        return x.name
    if isinstance(x, (Aggregate, Function)):
        return f"{x.fn}(…)"
    return "a value"


#: A value per segment key (``None``: the same for any key), with the provisional
#: markers and citations its use records.
_Marks = tuple[Value, tuple[ProvisionalUse, ...], tuple[SourceRef, ...]]
_KeyConst = dict[str | None, _Marks]


def _reason(text: str | None, en: str | None = None) -> Text | None:
    """A provisional marker's reason with its English variant (``None`` when the marker
    gives none)."""
    return Text(text, en or None) if text else None


def _title(title: str | None, title_en: str | None) -> Text | None:
    """A value's or rule's title with its English variant, or ``None`` when untitled."""
    return Text(title, title_en or None) if title else None


def _prov(
    kind: str, name: str, text: str | None, en: str | None = None, title: Text | None = None
) -> ProvisionalUse | None:
    """The provisional use a marker records, or ``None`` for a confirmed value."""
    if text is None:
        return None
    return ProvisionalUse(kind, name, _reason(text, en), title=title)


def _at(kc: _KeyConst, key: str | None) -> _Marks | None:
    if None in kc:
        return kc[None]
    return kc.get(key)


def _report_names(rule: CheckedRule) -> dict[str, str]:
    """A rule's report lines by their expression's canonical text (the first line of a
    text wins)."""
    out: dict[str, str] = {}
    for name, e in rule.reports:
        if name is not None:
            out.setdefault(expr_text(e), name)
    return out


class _Compiler:
    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.shared = shared(ruleset)
        self.slots = _Slots()
        self.lets: dict[str, int] = {}
        self.main: Comparison | None = None
        self.main_info: CheckInfo | None = None
        # the named value being compiled (a dated period's provisional use names it)
        self.naming: list[str] = []
        self.rule_id = ""
        self.units: dict[tuple[Unit, str], Unit] = {}
        self.let_exprs: dict[str, RExpr] = {}  # the current rule's lets (for has_cv)
        # the current rule's report lines by their expression's text (names comparisons)
        self.report_names: dict[str, str] = {}
        # Named values are compiled once each (per scope), dependencies first: a chain of
        # 36,000 values, or values that use one another twice over, costs linear time and
        # no deep recursion (issue 14).
        self._consts: dict[str, _KeyConst | None] = {}
        self._value_fns: dict[tuple[str, ScopeKind], Fn] = {}

    # ------------------------------------------------------------- rules
    def rule(self, rule: CheckedRule, done: dict[int, RuleProgram]) -> RuleProgram:
        scope = rule.scope
        self.rule_id = rule.id
        self.lets = {}
        self.let_exprs = dict(rule.lets)
        self.report_names = _report_names(rule)
        lets = []
        for i, (name, expr) in enumerate(rule.lets):
            lets.append(self.expr(expr, scope))
            self.lets[name] = i
        main = main_comparison(rule.require) if rule.require is not None else None
        main_fns = (
            (main, self.expr(main.left, scope), self.expr(main.right, scope)) if main else None
        )
        self.main, self.main_info = main, None
        require = self.expr(rule.require, scope) if rule.require is not None else None
        info = self.main_info
        if main is not None and info is None:  # the headline comparison was folded
            info = self.check_info(main)
        self.main = None
        parts = []
        for p in rule.parts:
            if id(p) not in done:
                done[id(p)] = self.rule(p, done)
            parts.append(done[id(p)])
        self.rule_id = rule.id
        self.lets = {name: i for i, (name, _) in enumerate(rule.lets)}
        self.let_exprs = dict(rule.lets)
        self.report_names = _report_names(rule)
        return RuleProgram(
            rule=rule,
            lets=tuple(lets),
            applies=self.expr(rule.applies, scope) if rule.applies is not None else None,
            reports=tuple((n, e, self.expr(e, scope)) for n, e in rule.reports),
            require=require,
            main=main_fns,
            basically=self.expr(rule.basically, scope) if rule.basically is not None else None,
            parts=tuple(parts),
            info=info,
        )

    # ------------------------------------------------------- expressions
    def expr(self, e: RExpr, scope: ScopeKind) -> Fn:
        """Compile ``e`` for entities of ``scope``."""
        if isinstance(e, (ValueRef, KeyedValue, Binary, Negate, Function)):
            kc = self.keyconst(e)
            if kc is not None:
                return self.folded(kc, e, scope)
            if (e, scope) in self.shared:
                return self.memo(e, scope)
        return self.generic(e, scope)

    def memo(self, e: RExpr, scope: ScopeKind) -> Fn:
        """An expression of the figures of one entity that several rules compute (the
        2017 indicators are per-school checks and the inputs of their 差异系数): its value
        is kept per entity for the evaluation, and a later use records the same reads."""
        inner = self.generic(e, scope)
        reads = tuple(self._reads(e, scope))
        m = self.slots.slot(("memo", e, scope), lambda pop: [_UNSET] * len(pop.tables[scope]))

        def f(fr: Frame, row: int) -> Value:
            b = fr.bound
            memo = b[m]
            x = memo[row]
            if x is _UNSET:
                x = memo[row] = inner(fr, row)
                return x
            for k, a, county in reads:
                col = b[k]
                eff = col.effects[0 if county else (row if a is None else b[a][row])]
                if eff is not None:
                    if eff.__class__ is int:
                        fr.inputs[eff] = None
                    else:
                        fr.apply(eff)
            return x  # type: ignore[no-any-return]

        return f

    def _reads(self, e: RExpr, scope: ScopeKind) -> list[tuple[int, int | None, bool]]:
        """The field reads of a row expression, in evaluation order, as slots."""
        if isinstance(e, FieldRef):
            info = e.field
            k = self.slots.slot(("column", info), lambda pop: pop.column(info))
            if scope == info.scope or info.scope == ScopeKind.COUNTY:
                return [(k, None, scope != info.scope)]
            a = self.slots.slot(
                ("ancestor", scope, info.scope), lambda pop: pop.ancestor(scope, info.scope)
            )
            return [(k, a, False)]
        return [r for c in operands(e) for r in self._reads(c, scope)]

    def folded(self, kc: _KeyConst, e: RExpr, scope: ScopeKind) -> Fn:
        """A value that depends on the entity's segment at most, computed per segment
        at compile time; the marks (provisional markers, citations) are recorded on use."""
        if list(kc) == [None]:
            value, provs, sources = kc[None]
            if not provs and not sources:
                return C.const(value)

            def marked(fr: Frame, row: int) -> Value:
                for p in provs:
                    fr.prov[p] = None
                for src in sources:
                    fr.sources[src] = None
                return value

            return marked
        generic = self.generic(e, scope)  # a row without a segment, or a segment not listed
        k = self.slots.slot(("segval", scope), lambda pop: pop.tables[scope].segval)

        def by_segment(fr: Frame, row: int) -> Value:
            hit = kc.get(fr.bound[k][row])
            if hit is None:
                return generic(fr, row)
            for p in hit[1]:
                fr.prov[p] = None
            for src in hit[2]:
                fr.sources[src] = None
            return hit[0]

        by_segment.segval = k  # type: ignore[attr-defined]
        return by_segment

    def keyconst(self, e: RExpr) -> _KeyConst | None:  # noqa: C901 - one case per node type
        """``e``'s value per segment key (``None``: any key) with its marks, when it
        depends on nothing but the segment; else ``None``."""
        match e:
            case Const() | TextConst() | BoolConst() | Symbol():
                return {None: (self.generic(e, ScopeKind.COUNTY).constant, (), ())}  # type: ignore[attr-defined]
            case ValueRef(name):
                if name not in self._consts:
                    for dep in dependencies(self.ruleset.values, name):  # name itself comes last
                        if dep not in self._consts:
                            self._consts[dep] = self._value_const(dep)
                return self._consts[name]
            case KeyedValue(kind="segment"):
                out: _KeyConst = {}
                for entry in e.entries:
                    inner = self.keyconst(entry.value)
                    if inner is None:
                        return None
                    for key in entry.keys:
                        if key in out:
                            continue  # the first entry naming a key wins
                        at = _at(inner, key)
                        if at is None:
                            continue
                        km = self.key_prov(key, entry)
                        kp = (km,) if km is not None else ()
                        out[key] = (at[0], kp + at[1], C.cite(entry.sources) + at[2])
                return out
            case Binary(op, left, right):
                return self._combine(C.ARITH[op], [left, right])
            case Negate(operand):
                return self._combine(v.neg, [operand])
            case Function(fn, args) if fn != "at_least":
                apply = FUNCTIONS[fn].apply
                assert apply is not None
                return self._combine(apply, list(args))
            case _:
                return None

    def _value_const(self, name: str) -> _KeyConst | None:
        """A named value's :meth:`keyconst` (the values it uses are known already)."""
        nv = self.ruleset.values[name]
        self.naming.append(name)
        try:
            inner = self.keyconst(nv.value)
        finally:
            self.naming.pop()
        if inner is None:
            return None
        marker = _prov("value", name, nv.provisional, nv.provisional_en, self.value_title(name))
        prov = (marker,) if marker is not None else ()
        return {k: (x, prov + p, C.cite(nv.sources) + c) for k, (x, p, c) in inner.items()}

    def _combine(self, op: Callable[..., Value], args: list[RExpr]) -> _KeyConst | None:
        parts = []
        for a in args:
            kc = self.keyconst(a)
            if kc is None:
                return None
            parts.append(kc)
        keyed = [kc for kc in parts if list(kc) != [None]]
        keys: list[str | None] = [None] if not keyed else [k for k in keyed[0] if k is not None]
        out: _KeyConst = {}
        for k in keys:
            ats = [_at(kc, k) for kc in parts]
            if any(at is None for at in ats):
                continue
            out[k] = (
                op(*[at[0] for at in ats]),  # type: ignore[index]
                tuple(p for at in ats for p in at[1]),  # type: ignore[index]
                tuple(c for at in ats for c in at[2]),  # type: ignore[index]
            )
        return out

    def generic(self, e: RExpr, scope: ScopeKind) -> Fn:  # noqa: C901 - one case per node type
        match e:
            case Const(value, type_):
                x = Fraction(value) * type_.unit.scale
                return C.const(x.numerator if x.denominator == 1 else x)
            case TextConst(value) | Symbol(value):
                return C.const(value)
            case BoolConst(value):
                return C.const(value)
            case FieldRef():
                return self.field(e.field, scope)
            case LetRef(name):
                return self.let(name)
            case ValueRef(name):
                return self.value(name, scope)
            case Negate(operand):
                return C.unary(v.neg, self.expr(operand, scope))
            case Not(operand):
                return C.unary(v.not_, self.expr(operand, scope))
            case Binary(op, left, right):
                return C.binary(C.ARITH[op], self.expr(left, scope), self.expr(right, scope))
            case Comparison():
                return self.comparison(e, scope)
            case Membership(left, items):
                return C.membership(self.expr(left, scope), [self.expr(i, scope) for i in items])
            case Logic(op, left, right):
                return C.logic(op, self.expr(left, scope), self.expr(right, scope))
            case Conditional(cond, then, orelse):
                return C.conditional(
                    self.expr(cond, scope), self.expr(then, scope), self.expr(orelse, scope)
                )
            case ListOf(items):
                return C.list_of([self.expr(i, scope) for i in items])
            case Aggregate():
                return self.aggregate(e, scope)
            case Function():
                return self.function(e, scope)
            case KeyedValue():
                return self.keyed(e, scope)
            case DatedValue():
                return self.dated(e, scope)
            case OutcomeRef():
                return self.outcome(e, scope)
            case _:
                assert_never(e)

    def field(self, info: FieldInfo, scope: ScopeKind) -> Fn:
        k = self.slots.slot(("column", info), lambda pop: pop.column(info))
        if scope == info.scope or info.scope == ScopeKind.COUNTY:
            return C.reader(k, None, scope != info.scope)
        a = self.slots.slot(
            ("ancestor", scope, info.scope), lambda pop: pop.ancestor(scope, info.scope)
        )
        return C.reader(k, a, False)

    def let(self, name: str) -> Fn:
        return C.let_reader(self.lets[name])

    def value(self, name: str, scope: ScopeKind) -> Fn:
        """A named value that is not a constant (dated, keyed by location …), compiled
        once per scope, the values it uses first."""
        fn = self._value_fns.get((name, scope))
        if fn is None:
            for dep in dependencies(self.ruleset.values, name):  # name itself comes last
                if (dep, scope) not in self._value_fns:
                    self._value_fns[(dep, scope)] = self._compile_value(dep, scope)
            fn = self._value_fns[(name, scope)]
        return fn

    def _compile_value(self, name: str, scope: ScopeKind) -> Fn:
        nv = self.ruleset.values[name]
        self.naming.append(name)
        try:
            inner = self.expr(nv.value, scope)
        finally:
            self.naming.pop()
        marker = _prov("value", name, nv.provisional, nv.provisional_en, self.value_title(name))
        return C.marked(inner, marker, C.cite(nv.sources))

    def value_title(self, name: str | None) -> Text | None:
        """The title of value ``name`` (``None``: not in a value, or untitled)."""
        nv = self.ruleset.values.get(name) if name is not None else None
        return _title(nv.title, nv.title_en) if nv is not None else None

    def key_prov(self, key: str, entry: KeyedEntryValue) -> ProvisionalUse | None:
        """The provisional use of one key of the keyed value being compiled."""
        title = self.value_title(self.naming[-1] if self.naming else None)
        return _prov("key", key, entry.provisional, entry.provisional_en, title)

    def comparison(self, e: Comparison, scope: ScopeKind) -> Fn:
        op, compare, holds = e.op, v.compare, C.OPS[e.op]
        left, right = self.expr(e.left, scope), self.expr(e.right, scope)
        info = self.check_info(e)
        if e is self.main:
            self.main_info = info
        sides = ((expr_name(e.left), e.left.type.unit), (expr_name(e.right), e.right.type.unit))
        is_main = e is self.main

        def f(fr: Frame, row: int) -> Value:
            m = fr.main if is_main else None
            if m is not None:
                fr.main = None
                lv, rv = m
            else:
                lv = left(fr, row)
                rv = right(fr, row)
            tl, tr = lv.__class__, rv.__class__
            if tl is int and tr is int:
                res: Value = holds(lv, rv)
            elif (tl is int or tl is Fraction) and (tr is int or tr is Fraction):
                # a/b op c/d ⇔ a·d op c·b (denominators positive), in integers
                an, ad = parts(lv)  # type: ignore[arg-type]
                bn, bd = parts(rv)  # type: ignore[arg-type]
                res = holds(an * bd, bn * ad)
            else:
                res = compare(op, lv, rv)
            checks = fr.checks
            if checks is not None and fr.depth == 0:
                checks.append((info, lv, rv, res, fr.group))
            if res.__class__ is Unknown and v.is_number(lv) and v.is_number(rv):
                ranges = tuple(
                    (name, x, u)
                    for (name, u), x in zip(sides, (lv, rv), strict=True)
                    if type(x) is v.Interval and not x.exact
                )
                who = fr.pop.tables[scope].ref(row)
                return Unknown((Reason(Code.RANGE_COMPARISON, (who, ranges, op)),))
            return res

        return f

    def check_info(self, e: Comparison) -> CheckInfo:
        """What the report shows of comparison ``e`` (units that print alike are one
        object, so that a figure compared twice is one quantity in the report)."""
        unit = display_unit(e.right.type.unit, e.left.type.unit)
        unit = self.units.setdefault((unit, str(unit)), unit)
        figure = expr_text(e.left)
        return CheckInfo(
            e,
            e.text,
            e.op,
            unit,
            "cv" if _cv.has_cv(e.left, self.let_exprs) else None,
            figure,
            self.report_names.get(figure),
        )

    def where(self, e: RExpr | None, over: ScopeKind) -> C.Filter:
        """An aggregate's ``where`` as a filter over rows (see :func:`C.filter_rows`)."""
        if e is None:
            return C.keep_all
        generic = self.expr(e, over)
        if not (
            isinstance(e, Comparison)
            and isinstance(e.left, FieldRef)
            and e.left.field.scope == over
        ):
            return lambda fr, rows, mult: C.filter_rows(fr, rows, generic, mult)
        info = e.left.field
        k = self.slots.slot(("column", info), lambda pop: pop.column(info))
        right = self.expr(e.right, over)
        sv: int | None = getattr(right, "segval", None)
        if C.is_const(right) and sv is None:
            sv = self.slots.slot(("segval", over), lambda pop: pop.tables[over].segval)
        return C.where_filter(generic, k, right, sv, C.OPS[e.op])

    def function(self, e: Function, scope: ScopeKind) -> Fn:
        apply = FUNCTIONS[e.fn].apply
        assert apply is not None
        args = [self.expr(a, scope) for a in e.args]
        if e.fn == "at_least":

            def at_least(fr: Frame, row: int) -> Value:
                group, fr.group = fr.group, "at_least"
                try:
                    vals = [a(fr, row) for a in args]
                finally:
                    fr.group = group
                return apply(*vals)

            return at_least
        if all(C.is_const(a) for a in args):
            return C.const(apply(*[a.constant for a in args]))  # type: ignore[attr-defined]
        if len(args) == 2:
            a0, a1 = args
            if e.fn in ("per100", "ratio"):
                return C.ratio_of(a0, a1, 100 if e.fn == "per100" else 1, apply)

            def f2(fr: Frame, row: int) -> Value:
                return apply(a0(fr, row), a1(fr, row))

            return f2

        def f(fr: Frame, row: int) -> Value:
            return apply(*[a(fr, row) for a in args])

        return f

    def keyed(self, e: KeyedValue, scope: ScopeKind) -> Fn:
        table: dict[str, Fn] = {}
        for entry in e.entries:
            inner = self.expr(entry.value, scope)
            for key in entry.keys:
                if key in table:
                    continue  # the first entry naming a key wins
                kp = self.key_prov(key, entry)
                table[key] = C.marked(inner, kp, C.cite(entry.sources))
        key_of = C.key_reader(e.kind, scope)

        def f(fr: Frame, row: int) -> Value:
            key = key_of(fr, row)
            if key.__class__ is Unknown:
                return key
            g = table.get(key)
            if g is None:
                return Unknown((Reason(Code.NO_KEYED_VALUE, (key,)),), Kind.NO_THRESHOLD)
            return g(fr, row)

        return f

    def dated(self, e: DatedValue, scope: ScopeKind) -> Fn:
        periods = []
        name = self.naming[-1] if self.naming else self.rule_id
        for p in e.periods:
            period = Period(p.start, p.end)
            prov = None
            if p.provisional is not None:
                why = _reason(p.provisional, p.provisional_en)
                prov = ProvisionalUse("period", name, why, period, self.value_title(name))
            value = self.expr(p.value, scope) if p.value is not None else None
            only = Unknown((Reason(Code.REPORT_ONLY, (p.start, p.end)),), Kind.REPORT_ONLY)
            periods.append((p.start, p.end, period, prov, C.cite(p.sources), value, only))

        def f(fr: Frame, row: int) -> Value:
            day = fr.as_of
            for start, end, period, prov, sources, value, only in periods:
                if (start is None or start <= day) and (end is None or day <= end):
                    fr.periods.append(period)
                    if prov is not None:
                        fr.prov[prov] = None
                    for s in sources:
                        fr.sources[s] = None
                    if value is None:
                        return only
                    return value(fr, row)
            return Unknown((Reason(Code.NO_THRESHOLD, (day,)),), Kind.NO_THRESHOLD)

        return f

    def outcome(self, e: OutcomeRef, scope: ScopeKind) -> Fn:
        """``outcome(RULE)``: the rule's outcome for the same entity, as its symbol
        (the record engine evaluates the rule first, once per entity)."""
        rule = e.rule

        def f(fr: Frame, row: int) -> Value:
            return fr.outcome_of(rule, row)

        return f

    # -------------------------------------------------------- aggregates
    def aggregate(self, e: Aggregate, scope: ScopeKind) -> Fn:
        over = e.over
        where = self.where(e.where, over)
        args = [self.expr(a, over) for a in e.args]
        m = self.slots.slot(("mult", over), lambda pop: pop.tables[over].mult)
        if e.fn == "cv":
            weight = args[1] if len(args) == 2 else self._weight(over)
            return _cv.compile_cv(e, scope, args[0], weight, where)
        reduce = AGGREGATES[e.fn].reduce
        assert reduce is not None
        fn, label = e.fn, over.value
        arg = args[0] if args else None
        # An aggregate over 班级 reads a figure of every class of a county (tens of
        # thousands at national scale): its reads are not listed as inputs, one by one
        # (the classes are the entities of a class-scope rule, which lists them).
        unlisted = over == ScopeKind.CLASS

        def f(fr: Frame, row: int) -> Value:
            lst = fr.pop.below(scope, row, over)
            if lst.effects is not None:
                fr.apply(lst.effects)
            if lst.missing is not None:
                return Unknown((lst.missing,))
            fr.depth += 1
            listed = fr.inputs
            if unlisted:
                fr.inputs = {}
            try:
                mult = fr.bound[m]
                kept, undecided, undecided_mult = where(fr, lst.rows, mult)
                vals: list[Value] = (
                    [arg(fr, r) for r in kept] if arg is not None else [True] * len(kept)
                )
                if unlisted and (undecided or any(x.__class__ is Unknown for x in vals)):
                    # the reasons of an unknown come in entity order: classes sorted
                    rows = fr.pop.canonical(lst.rows)
                    kept, undecided, undecided_mult = where(fr, rows, mult)
                    vals = [arg(fr, r) for r in kept] if arg is not None else [True] * len(kept)
                incomplete = None
                if not lst.complete:
                    incomplete = Unknown((Reason(Code.INCOMPLETE_LIST, (label, fn)), *lst.gaps))
                items = Items(
                    vals, [mult[r] for r in kept], undecided, undecided_mult, incomplete, label
                )
                return reduce(items)
            finally:
                fr.depth -= 1
                fr.inputs = listed

        return f

    def _weight(self, over: ScopeKind) -> Fn:
        """The default weight of a 差异系数: each entity's 在校生数."""
        k = self.slots.slot(("weights", over), lambda pop: pop.weights(over))

        def read(fr: Frame, row: int) -> Value:
            col = fr.bound[k]
            e = col.effects[row]
            if e is not None:
                if e.__class__ is int:
                    fr.inputs[e] = None
                else:
                    fr.apply(e)
            return col.values[row]  # type: ignore[no-any-return]

        return read
