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

import operator
from collections.abc import Callable, Sequence
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
    KeyedValue,
    LetRef,
    ListOf,
    Logic,
    Membership,
    Negate,
    Not,
    RExpr,
    RuleSet,
    SourceRef,
    Symbol,
    TextConst,
    ValueRef,
)
from eduint.checking.schema import FieldInfo, ScopeKind
from eduint.core import values as v
from eduint.core.units import DIMENSIONLESS, Unit
from eduint.core.values import Code, Kind, Reason, Unknown, Value, parts, ratio
from eduint.engine import _cv
from eduint.engine.frame import Frame
from eduint.engine.population import Population

__all__ = ["CheckInfo", "Fn", "Program", "RuleProgram", "compile_ruleset"]

#: A compiled expression: the value for the entity ``row`` of the expression's scope.
Fn = Callable[[Frame, int], Value]

_ARITH = {"+": v.add, "-": v.sub, "*": v.mul, "/": v.div}
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
#: The rows an aggregate's ``where`` keeps, why each undecided row is undecided, and
#: the total multiplicity of the undecided rows.
_Filtered = tuple[list[int], list[Unknown], int]
#: An aggregate's ``where`` over rows: ``filter(frame, rows, multiplicities)``.
_Filter = Callable[[Frame, Sequence[int], Sequence[int]], _Filtered]


@attrs.frozen
class CheckInfo:
    """What the report shows of a comparison: its text, and the unit of its sides.

    Attributes:
        node: the comparison.
        text: the comparison as rule text.
        op: the comparator.
        unit: the unit a check shows its sides in (the threshold's, else the value's).
    """

    node: Comparison
    text: str
    op: str
    unit: Unit


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
    """

    rule: CheckedRule
    lets: tuple[Fn, ...]
    applies: Fn | None
    reports: tuple[tuple[str | None, RExpr, Fn], ...]
    require: Fn | None
    main: tuple[Comparison, Fn, Fn] | None
    basically: Fn | None
    parts: tuple[RuleProgram, ...]


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

    Attributes:
        ruleset: the checked rule set.
        rules: the compiled items, parts and rules, keyed by ``id()`` of their
            :class:`~eduint.checking.ruleset.CheckedRule`.
        fields: every field the rule set reads (columns to compute up front).
        resolvers: what :meth:`bind` resolves for a population, by slot.
    """

    ruleset: RuleSet
    rules: dict[int, RuleProgram]
    fields: frozenset[FieldInfo]
    resolvers: tuple[Callable[[Population], Any], ...]

    def bind(self, pop: Population) -> list[Any]:
        """Resolve the program's slots (columns, ancestor maps) for one population."""
        return [r(pop) for r in self.resolvers]


def compile_ruleset(ruleset: RuleSet) -> Program:
    """Compile every item, part and rule of ``ruleset`` (see the module doc)."""
    c = _Compiler(ruleset)
    rules: dict[int, RuleProgram] = {}
    for rule in ruleset.rules():
        if id(rule) not in rules:
            rules[id(rule)] = c.rule(rule, rules)
    return Program(ruleset, rules, ruleset.fields_read(), tuple(c.slots.resolvers))


def main_comparison(e: RExpr) -> Comparison | None:
    """The comparison whose value and threshold the report shows: the requirement
    itself, or the first condition of an and/or chain when that is a comparison
    (``count(…) <= 0 and share(…) <= 5%`` shows the count).  A requirement that
    starts with anything else (``at_least(6, […]) and …``) shows none: one of its many
    figures would misrepresent it."""
    x: RExpr = e
    while isinstance(x, Logic):
        x = x.left
    return x if isinstance(x, Comparison) else None


def expr_name(x: RExpr) -> str:
    """A short name for an expression in messages: the field label, value name or function."""
    if isinstance(x, FieldRef):
        return x.field.label or x.field.name
    if isinstance(x, (ValueRef, LetRef)):
        return x.name
    if isinstance(x, (Aggregate, Function)):
        return f"{x.fn}(…)"
    return "a value"


def _cite(sources: Sequence[SourceRef]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in (str(s) for s in sources) if t))


#: A value per segment key (``None``: the same for any key), with the provisional
#: markers and citations its use records.
_KeyConst = dict[str | None, tuple[Value, tuple[str, ...], tuple[str, ...]]]


def _at(kc: _KeyConst, key: str | None) -> tuple[Value, tuple[str, ...], tuple[str, ...]] | None:
    if None in kc:
        return kc[None]
    return kc.get(key)


def _const(x: Value) -> Fn:
    def f(fr: Frame, row: int) -> Value:
        return x

    f.constant = x  # type: ignore[attr-defined]
    return f


def _is_const(f: Fn) -> bool:
    return hasattr(f, "constant")


class _Compiler:
    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.slots = _Slots()
        self.lets: dict[str, int] = {}
        self.main: Comparison | None = None

    # ------------------------------------------------------------- rules
    def rule(self, rule: CheckedRule, done: dict[int, RuleProgram]) -> RuleProgram:
        scope = rule.scope
        self.lets = {}
        lets = []
        for i, (name, expr) in enumerate(rule.lets):
            lets.append(self.expr(expr, scope))
            self.lets[name] = i
        main = main_comparison(rule.require) if rule.require is not None else None
        main_fns = (
            (main, self.expr(main.left, scope), self.expr(main.right, scope)) if main else None
        )
        self.main = main
        require = self.expr(rule.require, scope) if rule.require is not None else None
        self.main = None
        parts = []
        for p in rule.parts:
            if id(p) not in done:
                done[id(p)] = self.rule(p, done)
            parts.append(done[id(p)])
        self.lets = {name: i for i, (name, _) in enumerate(rule.lets)}
        return RuleProgram(
            rule=rule,
            lets=tuple(lets),
            applies=self.expr(rule.applies, scope) if rule.applies is not None else None,
            reports=tuple((n, e, self.expr(e, scope)) for n, e in rule.reports),
            require=require,
            main=main_fns,
            basically=self.expr(rule.basically, scope) if rule.basically is not None else None,
            parts=tuple(parts),
        )

    # ------------------------------------------------------- expressions
    def expr(self, e: RExpr, scope: ScopeKind) -> Fn:
        """Compile ``e`` for entities of ``scope``."""
        if isinstance(e, (ValueRef, KeyedValue, Binary, Negate, Function)):
            kc = self.keyconst(e)
            if kc is not None:
                return self.folded(kc, e, scope)
        return self.generic(e, scope)

    def folded(self, kc: _KeyConst, e: RExpr, scope: ScopeKind) -> Fn:
        """A value that depends on the entity's segment at most, computed per segment
        at compile time; the marks (provisional markers, citations) are recorded on use."""
        if list(kc) == [None]:
            value, provs, sources = kc[None]
            if not provs and not sources:
                return _const(value)

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
                nv = self.ruleset.values[name]
                inner = self.keyconst(nv.value)
                if inner is None:
                    return None
                prov: tuple[str, ...] = ()
                if nv.provisional is not None:
                    prov = (f"{name}: {nv.provisional}" if nv.provisional else name,)
                return {k: (x, prov + p, _cite(nv.sources) + c) for k, (x, p, c) in inner.items()}
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
                        kp: tuple[str, ...] = ()
                        if entry.provisional is not None:
                            kp = (f"{key}: {entry.provisional}" if entry.provisional else key,)
                        out[key] = (at[0], kp + at[1], _cite(entry.sources) + at[2])
                return out
            case Binary(op, left, right):
                return self._combine(_ARITH[op], [left, right])
            case Negate(operand):
                return self._combine(v.neg, [operand])
            case Function(fn, args) if fn != "at_least":
                apply = FUNCTIONS[fn].apply
                assert apply is not None
                return self._combine(apply, list(args))
            case _:
                return None

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
                return _const(x.numerator if x.denominator == 1 else x)
            case TextConst(value) | Symbol(value):
                return _const(value)
            case BoolConst(value):
                return _const(value)
            case FieldRef():
                return self.field(e.field, scope)
            case LetRef(name):
                return self.let(name)
            case ValueRef(name):
                return self.value(name, scope)
            case Negate(operand):
                return self.unary(v.neg, self.expr(operand, scope))
            case Not(operand):
                return self.unary(v.not_, self.expr(operand, scope))
            case Binary(op, left, right):
                return self.binary(_ARITH[op], self.expr(left, scope), self.expr(right, scope))
            case Comparison():
                return self.comparison(e, scope)
            case Membership(left, items):
                return self.membership(self.expr(left, scope), [self.expr(i, scope) for i in items])
            case Logic(op, left, right):
                return self.logic(op, self.expr(left, scope), self.expr(right, scope))
            case Conditional(cond, then, orelse):
                return self.conditional(
                    self.expr(cond, scope), self.expr(then, scope), self.expr(orelse, scope)
                )
            case ListOf(items):
                return self.list_of([self.expr(i, scope) for i in items])
            case Aggregate():
                return self.aggregate(e, scope)
            case Function():
                return self.function(e, scope)
            case KeyedValue():
                return self.keyed(e, scope)
            case DatedValue():
                return self.dated(e, scope)
            case _:
                assert_never(e)

    def field(self, info: FieldInfo, scope: ScopeKind) -> Fn:
        k = self.slots.slot(("column", info), lambda pop: pop.column(info))
        if scope == info.scope:

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
        if info.scope == ScopeKind.COUNTY:

            def read_county(fr: Frame, row: int) -> Value:
                col = fr.bound[k]
                e = col.effects[0]
                if e is not None:
                    fr.apply(e)
                return col.values[0]  # type: ignore[no-any-return]

            return read_county
        a = self.slots.slot(
            ("ancestor", scope, info.scope), lambda pop: pop.ancestor(scope, info.scope)
        )

        def read_up(fr: Frame, row: int) -> Value:
            b = fr.bound
            r = b[a][row]
            col = b[k]
            e = col.effects[r]
            if e is not None:
                fr.apply(e)
            return col.values[r]  # type: ignore[no-any-return]

        return read_up

    def let(self, name: str) -> Fn:
        i = self.lets[name]

        def f(fr: Frame, row: int) -> Value:
            return fr.lets[i]

        return f

    def value(self, name: str, scope: ScopeKind) -> Fn:
        nv = self.ruleset.values[name]
        prov = None
        if nv.provisional is not None:
            prov = f"{name}: {nv.provisional}" if nv.provisional else name
        return self._marked(self.expr(nv.value, scope), prov, _cite(nv.sources))

    @staticmethod
    def _marked(inner: Fn, prov: str | None, sources: tuple[str, ...]) -> Fn:
        """``inner``, recording a provisional marker and citations when it is used."""
        if prov is None and not sources:
            return inner

        def f(fr: Frame, row: int) -> Value:
            if prov is not None:
                fr.prov[prov] = None
            for s in sources:
                fr.sources[s] = None
            return inner(fr, row)

        return f

    def unary(self, op: Callable[[Value], Value], x: Fn) -> Fn:
        if _is_const(x):
            return _const(op(x.constant))  # type: ignore[attr-defined]

        def f(fr: Frame, row: int) -> Value:
            return op(x(fr, row))

        return f

    def binary(self, op: Callable[[Value, Value], Value], a: Fn, b: Fn) -> Fn:
        if _is_const(a) and _is_const(b):
            return _const(op(a.constant, b.constant))  # type: ignore[attr-defined]
        if op is v.div:
            return _ratio(a, b, 1, op)

        def f(fr: Frame, row: int) -> Value:
            return op(a(fr, row), b(fr, row))

        return f

    def comparison(self, e: Comparison, scope: ScopeKind) -> Fn:
        op, compare, holds = e.op, v.compare, _OPS[e.op]
        left, right = self.expr(e.left, scope), self.expr(e.right, scope)
        unit = e.right.type.unit if str(e.right.type.unit) else e.left.type.unit
        info = CheckInfo(e, e.text, op, unit)
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
                who = fr.pop.tables[scope].names[row]
                return Unknown((Reason(Code.RANGE_COMPARISON, (who, ranges, op)),))
            return res

        return f

    def where(self, e: RExpr | None, over: ScopeKind) -> _Filter:
        """An aggregate's ``where`` as a filter over rows (see :func:`filter_rows`)."""
        if e is None:
            return _keep_all
        generic = self.expr(e, over)
        if not (
            isinstance(e, Comparison)
            and isinstance(e.left, FieldRef)
            and e.left.field.scope == over
        ):
            return lambda fr, rows, mult: filter_rows(fr, rows, generic, mult)
        # `field op value`: read the column in a loop; numbers compare at once, anything
        # else takes the comparison's full semantics (reading again is harmless).
        info, holds = e.left.field, _OPS[e.op]
        k = self.slots.slot(("column", info), lambda pop: pop.column(info))
        right = self.expr(e.right, over)
        # A threshold that depends on the segment at most reads no data: it is the same
        # for every row of a segment, so it is evaluated once per run of rows.
        sv: int | None = getattr(right, "segval", None)
        if _is_const(right) and sv is None:
            sv = self.slots.slot(("segval", over), lambda pop: pop.tables[over].segval)

        def filt(fr: Frame, rows: Sequence[int], mult: Sequence[int]) -> _Filtered:
            col = fr.bound[k]
            vals, effs, inputs = col.values, col.effects, fr.inputs
            kept: list[int] = []
            undecided: list[Unknown] = []
            undecided_mult = 0
            segval: Sequence[str | None] = fr.bound[sv] if sv is not None else ()
            last: object = kept  # no segment seen yet
            rv: Value = None  # type: ignore[assignment]
            for r in rows:
                eff = effs[r]
                if eff is not None:
                    if eff.__class__ is int:
                        inputs[eff] = None
                    else:
                        fr.apply(eff)
                lv = vals[r]
                if sv is None:
                    rv = right(fr, r)
                elif segval[r] is not last:
                    last = segval[r]
                    rv = right(fr, r)
                tl, tr = lv.__class__, rv.__class__
                if tl is int and tr is int:
                    if holds(lv, rv):
                        kept.append(r)
                    continue
                if (tl is int or tl is Fraction) and (tr is int or tr is Fraction):
                    an, ad = parts(lv)
                    bn, bd = parts(rv)  # type: ignore[arg-type]
                    if holds(an * bd, bn * ad):
                        kept.append(r)
                    continue
                w = generic(fr, r)
                if w is False:
                    continue
                if w.__class__ is Unknown:
                    undecided.append(w)
                    undecided_mult += mult[r]
                    continue
                kept.append(r)
            return kept, undecided, undecided_mult

        return filt

    def membership(self, left: Fn, items: list[Fn]) -> Fn:
        def f(fr: Frame, row: int) -> Value:
            x = left(fr, row)
            return v.any_of([v.compare("==", x, i(fr, row)) for i in items])

        return f

    def logic(self, op: str, a: Fn, b: Fn) -> Fn:
        if op == "and":

            def f_and(fr: Frame, row: int) -> Value:
                x = a(fr, row)
                if x is False:
                    return False
                return v.and_(x, b(fr, row))

            return f_and

        def f_or(fr: Frame, row: int) -> Value:
            x = a(fr, row)
            if x is True:
                return True
            return v.or_(x, b(fr, row))

        return f_or

    def conditional(self, c: Fn, then: Fn, orelse: Fn) -> Fn:
        def f(fr: Frame, row: int) -> Value:
            x = c(fr, row)
            if isinstance(x, Unknown):
                return x
            return then(fr, row) if x else orelse(fr, row)

        return f

    def list_of(self, items: list[Fn]) -> Fn:
        def f(fr: Frame, row: int) -> Value:
            return tuple([i(fr, row) for i in items])

        return f

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
        if all(_is_const(a) for a in args):
            return _const(apply(*[a.constant for a in args]))  # type: ignore[attr-defined]
        if len(args) == 2:
            a0, a1 = args
            if e.fn in ("per100", "ratio"):
                return _ratio(a0, a1, 100 if e.fn == "per100" else 1, apply)

            def f2(fr: Frame, row: int) -> Value:
                return apply(a0(fr, row), a1(fr, row))

            return f2

        def f(fr: Frame, row: int) -> Value:
            return apply(*[a(fr, row) for a in args])

        return f

    def keyed(self, e: KeyedValue, scope: ScopeKind) -> Fn:
        table: dict[str, Fn] = {}
        for entry in e.entries:
            prov = None
            if entry.provisional is not None:
                prov = entry.provisional
            inner = self.expr(entry.value, scope)
            for key in entry.keys:
                if key in table:
                    continue  # the first entry naming a key wins
                kp = None if prov is None else (f"{key}: {prov}" if prov else key)
                table[key] = self._marked(inner, kp, _cite(entry.sources))
        key_of = _key_reader(e.kind, scope)

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
        for p in e.periods:
            text = f"{p.start.isoformat() if p.start else ''}–{p.end.isoformat() if p.end else ''}"
            prov = (
                None
                if p.provisional is None
                else (f"{text}: {p.provisional}" if p.provisional else text)
            )
            value = self.expr(p.value, scope) if p.value is not None else None
            only = Unknown((Reason(Code.REPORT_ONLY, (p.start, p.end)),), Kind.REPORT_ONLY)
            periods.append((p.start, p.end, text, prov, _cite(p.sources), value, only))

        def f(fr: Frame, row: int) -> Value:
            day = fr.as_of
            for start, end, text, prov, sources, value, only in periods:
                if (start is None or start <= day) and (end is None or day <= end):
                    fr.periods.append(text)
                    if prov is not None:
                        fr.prov[prov] = None
                    for s in sources:
                        fr.sources[s] = None
                    if value is None:
                        return only
                    return value(fr, row)
            return Unknown((Reason(Code.NO_THRESHOLD, (day,)),), Kind.NO_THRESHOLD)

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
        fn, label = e.fn, over.label
        arg = args[0] if args else None

        def f(fr: Frame, row: int) -> Value:
            lst = fr.pop.below(scope, row, over)
            if lst.effects is not None:
                fr.apply(lst.effects)
            if lst.missing is not None:
                return Unknown((lst.missing,))
            fr.depth += 1
            try:
                mult = fr.bound[m]
                kept, undecided, undecided_mult = where(fr, lst.rows, mult)
                vals: list[Value] = (
                    [arg(fr, r) for r in kept] if arg is not None else [True] * len(kept)
                )
                incomplete = None
                if not lst.complete:
                    incomplete = Unknown((Reason(Code.INCOMPLETE_LIST, (label, fn)), *lst.gaps))
                items = Items(
                    vals, [mult[r] for r in kept], undecided, undecided_mult, incomplete, label
                )
                return reduce(items)
            finally:
                fr.depth -= 1

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


def _ratio(a: Fn, b: Fn, times: int, slow: Callable[[Value, Value], Value]) -> Fn:
    """``a × times ÷ b`` (``per100``, ``ratio``, ``/``): whole numbers divide at once, anything
    else goes through ``slow`` (the registry's implementation, which it equals)."""

    def f(fr: Frame, row: int) -> Value:
        x, y = a(fr, row), b(fr, row)
        tx, ty = x.__class__, y.__class__
        if (tx is int or tx is Fraction) and (ty is int or ty is Fraction) and y:
            xn, xd = parts(x)  # type: ignore[arg-type]
            yn, yd = parts(y)  # type: ignore[arg-type]
            return ratio(xn * times * yd, xd * yn)
        return slow(x, y)

    return f


def _keep_all(fr: Frame, rows: Sequence[int], mult: Sequence[int]) -> _Filtered:
    return list(rows), [], 0


def filter_rows(fr: Frame, rows: Sequence[int], where: Fn | None, mult: Sequence[int]) -> _Filtered:
    """Apply an aggregate's ``where``: the rows kept, why each undecided row is undecided
    (missing figures), and the total multiplicity of the undecided rows."""
    if where is None:
        return list(rows), [], 0
    kept: list[int] = []
    undecided: list[Unknown] = []
    undecided_mult = 0
    for r in rows:
        w = where(fr, r)
        if w is False:
            continue
        if w.__class__ is Unknown:
            undecided.append(w)
            undecided_mult += mult[r]
            continue
        kept.append(r)
    return kept, undecided, undecided_mult


def _key_reader(kind: str, scope: ScopeKind) -> Callable[[Frame, int], Any]:
    """How a keyed value finds its key (segment, location or region) for an entity."""
    if kind == "segment":
        missing = Unknown((Reason(Code.KEY_NOT_GIVEN, ("segment", None)),))

        def segment(fr: Frame, row: int) -> Any:
            s = fr.pop.tables[scope].segval[row]
            return s if s is not None else missing

        return segment
    if kind == "location":

        def location(fr: Frame, row: int) -> Any:
            pop = fr.pop
            if scope in (ScopeKind.COUNTY, ScopeKind.COUNTY_SEGMENT):
                who = pop.tables[scope].names[row]
                loc = None
            else:
                anc = pop.ancestor(scope, ScopeKind.SCHOOL)
                p = anc[row] if anc is not None else row
                who = pop.tables[ScopeKind.SCHOOL].names[p]
                loc = pop.tables[ScopeKind.SCHOOL].objs[p].location
            if loc is None:
                return Unknown((Reason(Code.KEY_NOT_GIVEN, ("location", who)),))
            return loc.value

        return location

    def region(fr: Frame, row: int) -> Any:
        r = fr.pop.county.region
        if r is None:
            return Unknown((Reason(Code.KEY_NOT_GIVEN, ("region", fr.pop.county.name)),))
        return r.value

    return region


_unused = DIMENSIONLESS
