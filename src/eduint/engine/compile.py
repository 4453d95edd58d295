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
from eduint.core.values import Code, Kind, Reason, Unknown, Value
from eduint.engine import _cv
from eduint.engine.frame import Frame
from eduint.engine.population import Population

__all__ = ["CheckInfo", "Fn", "Program", "RuleProgram", "compile_ruleset"]

#: A compiled expression: the value for the entity ``row`` of the expression's scope.
Fn = Callable[[Frame, int], Value]

_ARITH = {"+": v.add, "-": v.sub, "*": v.mul, "/": v.div}


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
        main_fns = (main, self.expr(main.left, scope), self.expr(main.right, scope)) if main else None
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
    def expr(self, e: RExpr, scope: ScopeKind) -> Fn:  # noqa: C901 - one case per node type
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

        def f(fr: Frame, row: int) -> Value:
            return op(a(fr, row), b(fr, row))

        return f

    def comparison(self, e: Comparison, scope: ScopeKind) -> Fn:
        op, compare = e.op, v.compare
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
            res = compare(op, lv, rv)
            if fr.checks is not None and fr.depth == 0:
                fr.checks.append((info, lv, rv, res, fr.group))
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
            g = table.get(key)  # type: ignore[arg-type]
            if g is None:
                return Unknown((Reason(Code.NO_KEYED_VALUE, (key,)),), Kind.NO_THRESHOLD)
            return g(fr, row)

        return f

    def dated(self, e: DatedValue, scope: ScopeKind) -> Fn:
        periods = []
        for p in e.periods:
            text = f"{p.start.isoformat() if p.start else ''}–{p.end.isoformat() if p.end else ''}"
            prov = None if p.provisional is None else (f"{text}: {p.provisional}" if p.provisional else text)
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
        where = self.expr(e.where, over) if e.where is not None else None
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
                kept, undecided, undecided_mult = filter_rows(fr, lst.rows, where, fr.bound[m])
                mult = fr.bound[m]
                vals: list[Value] = (
                    [arg(fr, r) for r in kept] if arg is not None else [True] * len(kept)
                )
                incomplete = None
                if not lst.complete:
                    incomplete = Unknown((Reason(Code.INCOMPLETE_LIST, (label, fn)), *lst.gaps))
                items = Items(vals, [mult[r] for r in kept], undecided, undecided_mult, incomplete, label)
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


def filter_rows(
    fr: Frame, rows: Sequence[int], where: Fn | None, mult: Sequence[int]
) -> tuple[list[int], list[Unknown], int]:
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
            undecided.append(w)  # type: ignore[arg-type]
            undecided_mult += mult[r]
            continue
        kept.append(r)
    return kept, undecided, undecided_mult


def _key_reader(kind: str, scope: ScopeKind) -> Callable[[Frame, int], Any]:
    """How a keyed value finds its key (segment, location or region) for an entity."""
    if kind == "segment":
        missing = Unknown((Reason(Code.KEY_NOT_GIVEN, ("segment", None)),))

        def segment(fr: Frame, row: int) -> Any:
            s = fr.pop.tables[scope].segment[row]
            return s.value if s is not None else missing

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
