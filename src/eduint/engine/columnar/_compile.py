"""Compile checked expressions into array operations over a :class:`~.frame.Frame`.

Each resolved expression of a rule becomes, once per rule set, a function
``f(ctx) -> column value`` (:mod:`._values`) computing it for *every* entity of its scope
in every county at once: a field reference is a frame column (gathered from the
ancestor's rows when the field belongs to a scope above), a value keyed by segment,
location or region is a table looked up by each row's key, a dated value the period in
force at each county's date, an aggregate a group reduction (:mod:`._aggregates`,
:mod:`._cv`).  A function's result is kept for the evaluation, so an expression that
several rules share (the 7 indicators of 2017 are both per-school checks and the inputs
of their 差异系数) is computed once.

Semantics are the record engine's (:mod:`eduint.engine.compile`,
:mod:`eduint.core.values`): exact numbers, Kleene logic, unknown kinds; what the
record engine decides from ranges or approximate figures is deferred to it per entity.
An expression this module cannot compile raises :class:`~._values.Unsupported`, and its
rule falls back to the record engine.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from eduint.checking.ruleset import (
    Aggregate,
    Binary,
    BoolConst,
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
    Symbol,
    TextConst,
    ValueRef,
    expression_nodes,
)
from eduint.checking.schema import ScopeKind
from eduint.core.values import Kind
from eduint.engine.columnar import _values as V
from eduint.engine.columnar._values import KIND_RANK, Bool, Num, Sym, Unsupported

if TYPE_CHECKING:
    from eduint.engine.columnar.frame import Frame

__all__ = ["Ctx", "ExprCompiler", "Fn"]

#: A compiled expression: its column value over every entity of its scope.
Fn = Callable[["Ctx"], Any]

_NO_THRESHOLD = KIND_RANK[Kind.NO_THRESHOLD]
_REPORT_ONLY = KIND_RANK[Kind.REPORT_ONLY]


class Ctx:
    """One evaluation: the frame, each county's date, results kept, counts.

    Attributes:
        frame: the columnar population.
        dates: per county, the date evaluated at.
        memo: results of compiled expressions, by function.
        stats: what the evaluation counts (:class:`~._values.Stats`).
    """

    def __init__(self, frame: Frame, dates: list[datetime.date]) -> None:
        self.frame = frame
        self.dates = dates
        self.memo: dict[int, Any] = {}
        self.stats = V.Stats()


def _memo(f: Fn) -> Fn:
    def g(ctx: Ctx) -> Any:
        hit = ctx.memo.get(id(g))
        if hit is None:
            hit = ctx.memo[id(g)] = f(ctx)
        return hit

    return g


def _kind_const(rank: int) -> Num:
    return Num(None, 0, 1, 0, 1, True, unk=True, kind=rank)


class ExprCompiler:
    """Compiles the expressions of one rule set (see the module doc)."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.cache: dict[tuple[RExpr, ScopeKind], Fn] = {}
        self.lets: dict[str, Fn] = {}

    def expr(self, e: RExpr, scope: ScopeKind) -> Fn:
        """Compile ``e`` for the entities of ``scope``.

        Raises:
            Unsupported: a construct the columnar engine does not compile.
        """
        if isinstance(e, LetRef):
            if e.name not in self.lets:
                raise Unsupported(f"let {e.name}")
            return self.lets[e.name]
        key = (e, scope)
        hit = self.cache.get(key)
        if hit is not None and not _has_let(e):
            return hit
        f = _memo(self._expr(e, scope))
        if not _has_let(e):
            self.cache[key] = f
        return f

    def _expr(self, e: RExpr, scope: ScopeKind) -> Fn:  # noqa: C901 - one case per node
        match e:
            case Const(value, type_):
                c = V.constant(_canon(Fraction(value) * type_.unit.scale))
                return lambda ctx: c
            case TextConst(value) | Symbol(value):
                s = V.constant(value)
                return lambda ctx: s
            case BoolConst(value):
                b = V.constant(value)
                return lambda ctx: b
            case FieldRef():
                return self.field(e, scope)
            case ValueRef(name):
                return self.expr(self.ruleset.values[name].value, scope)
            case Negate(operand):
                x = self.expr(operand, scope)
                return lambda ctx: V.neg(_num(x(ctx)))
            case Not(operand):
                x = self.expr(operand, scope)
                return lambda ctx: V.not_(_bool(x(ctx)))
            case Binary(op, left, right):
                return self.binary(op, self.expr(left, scope), self.expr(right, scope))
            case Comparison():
                return self.comparison(e, scope)
            case Membership(left, items):
                return self.membership(left, items, scope)
            case Logic(op, left, right):
                a, b = self.expr(left, scope), self.expr(right, scope)
                if op == "and":
                    return lambda ctx: V.and_(_bool(a(ctx)), _bool(b(ctx)))
                return lambda ctx: V.or_(_bool(a(ctx)), _bool(b(ctx)))
            case Conditional(cond, then, orelse):
                c, t, o = (self.expr(x, scope) for x in (cond, then, orelse))
                return lambda ctx: V.choose(_bool(c(ctx)), t(ctx), o(ctx))
            case Aggregate():
                from eduint.engine.columnar import _aggregates

                return _aggregates.compile_aggregate(self, e, scope)
            case Function():
                return self.function(e, scope)
            case KeyedValue():
                return self.keyed(e, scope)
            case DatedValue():
                return self.dated(e, scope)
            case ListOf():
                raise Unsupported("a list outside at_least")
            case _:
                raise Unsupported(type(e).__name__)

    # ------------------------------------------------------------- leaves
    def field(self, e: FieldRef, scope: ScopeKind) -> Fn:
        info = e.field
        if info.kind not in ("quantity", "number", "flag", "enum", "text"):
            raise Unsupported(f"a field of kind {info.kind}")
        if info.scope == scope:
            return lambda ctx: ctx.frame.column(info)
        if info.scope not in set(scope.ancestors()):
            raise Unsupported(f"{info.scope.value} field from {scope.value}")

        def up(ctx: Ctx) -> Any:
            return V.take(ctx.frame.column(info), ctx.frame.ancestor(scope, info.scope))

        return up

    # ---------------------------------------------------------- operators
    def binary(self, op: str, a: Fn, b: Fn) -> Fn:
        if op == "+":
            return lambda ctx: V.add(_num(a(ctx)), _num(b(ctx)))
        if op == "-":
            return lambda ctx: V.add(_num(a(ctx)), _num(b(ctx)), -1)
        if op == "*":
            return lambda ctx: V.mul(_num(a(ctx)), _num(b(ctx)))
        if op == "/":
            return lambda ctx: V.div(_num(a(ctx)), _num(b(ctx)))
        raise Unsupported(f"operator {op}")

    def comparison(self, e: Comparison, scope: ScopeKind) -> Fn:
        op = e.op
        if isinstance(e.left, Aggregate) and e.left.fn == "cv" and op in ("<=", "<", ">=", ">"):
            from eduint.engine.columnar import _cv

            return _cv.compile_cv_comparison(self, e, scope)
        a, b = self.expr(e.left, scope), self.expr(e.right, scope)

        def f(ctx: Ctx) -> Bool:
            return compare_any(op, a(ctx), b(ctx), ctx.stats)

        return f

    def membership(self, left: RExpr, items: tuple[RExpr, ...], scope: ScopeKind) -> Fn:
        a = self.expr(left, scope)
        fs = [self.expr(i, scope) for i in items]

        def f(ctx: Ctx) -> Bool:
            x = a(ctx)
            out: Bool | None = None
            for g in fs:
                eq = compare_any("==", x, g(ctx), ctx.stats)
                out = eq if out is None else V.or_(out, eq)
            if out is None:
                return Bool(None, False)
            return out

        return f

    def function(self, e: Function, scope: ScopeKind) -> Fn:
        fn = e.fn
        if fn in ("at_least", "至少"):
            k, lst = e.args
            if not isinstance(k, Const) or not isinstance(lst, ListOf):
                raise Unsupported("at_least")
            kv = Fraction(k.value)
            items = [self.expr(i, scope) for i in lst.items]
            # at_least(k, …) with a fractional k counts like its ceiling (true >= k)
            need = int(-(-kv.numerator // kv.denominator))
            return lambda ctx: V.at_least(need, [_bool(g(ctx)) for g in items])
        args = [self.expr(a, scope) for a in e.args]
        if fn in ("per100", "每百"):
            a, b = args
            hundred = V.constant(100)
            return lambda ctx: V.div(V.mul(_num(a(ctx)), hundred), _num(b(ctx)))
        if fn in ("ratio", "比值"):
            a, b = args
            return lambda ctx: V.div(_num(a(ctx)), _num(b(ctx)))
        if fn in ("ceil", "向上取整", "floor", "向下取整"):
            (a,) = args
            up = fn in ("ceil", "向上取整")
            return lambda ctx: V.floor_ceil(_num(a(ctx)), up)
        if fn in ("max", "min"):
            a, b = args
            op = ">=" if fn == "max" else "<="

            def pick(ctx: Ctx) -> Num:
                x, y = _num(a(ctx)), _num(b(ctx))
                if x.size is None and y.size is None:
                    raise Unsupported("max/min of constants")
                c = V.compare(op, x, y, ctx.stats)
                size = x.size if x.size is not None else y.size
                assert size is not None
                out = V.pick(V.broadcast(c, size).v, x, y, size)
                out.unk, out.kind, out.defer = V.merge(x, y)
                out.defer = V.mask_or(out.defer, c.defer)
                return out  # type: ignore[no-any-return]

            return pick
        raise Unsupported(f"function {fn}")

    # ------------------------------------------------------- keyed, dated
    def keyed(self, e: KeyedValue, scope: ScopeKind) -> Fn:
        table: dict[str, Fn] = {}
        for entry in e.entries:
            inner = self.expr(entry.value, scope)
            for key in entry.keys:
                table.setdefault(key, inner)  # the first entry naming a key wins
        kind = e.kind
        keys = list(table)
        fns = [table[k] for k in keys]
        no_entry = _kind_const(_NO_THRESHOLD)
        not_given = _kind_const(0)

        def f(ctx: Ctx) -> Any:
            frame = ctx.frame
            t = frame.tables[scope]
            if kind == "segment":
                from eduint.engine.columnar.frame import SEGMENTS

                cats = tuple(s.value for s in SEGMENTS)
                codes = frame.segment_codes(scope)
                sym = Sym(t.n, codes, cats, unk=None)
                missing = codes < 0
            else:
                sym = frame.key_codes(kind, scope)
                cats, codes = sym.cats, sym.codes
                missing = codes < 0
            # option j for cats[j]: the entry's value, else "no such entry"; the same
            # keys over the same rows give the same choice (one per keyed value read)
            memo_key = ("which", kind, scope, tuple(keys), cats)
            which = ctx.memo.get(memo_key)  # type: ignore[call-overload]
            if which is None:
                import numpy as np

                slot = {k: i for i, k in enumerate(keys)}
                remap = [slot.get(c, len(keys)) for c in cats] + [len(keys) + 1]
                which = np.asarray(remap, dtype=np.int64)[np.where(missing, len(cats), codes)]
                ctx.memo[memo_key] = which  # type: ignore[index]
            options = [g(ctx) for g in fns] + [no_entry, not_given]
            return select(which, options, t.n)

        return f

    def dated(self, e: DatedValue, scope: ScopeKind) -> Fn:
        options: list[Fn | Num] = []
        for p in e.periods:
            if p.value is None:
                options.append(_kind_const(_REPORT_ONLY))
            else:
                options.append(self.expr(p.value, scope))
        none = _kind_const(_NO_THRESHOLD)
        periods = [(p.start, p.end) for p in e.periods]

        def f(ctx: Ctx) -> Any:
            import numpy as np

            per_county = []
            for day in ctx.dates:
                k = len(periods)
                for j, (start, end) in enumerate(periods):
                    if (start is None or start <= day) and (end is None or day <= end):
                        k = j
                        break
                per_county.append(k)
            used = sorted(set(per_county))
            opts = [o if isinstance(o, Num) else None for o in options] + [none]
            vals = [opts[k] if opts[k] is not None else options[k](ctx) for k in used]  # type: ignore[operator]
            if len(used) == 1:
                return vals[0]
            t = ctx.frame.tables[scope]
            pos = {k: i for i, k in enumerate(used)}
            which = np.asarray([pos[k] for k in per_county], dtype=np.int64)[t.county]
            return select(which, vals, t.n)

        return f


def _has_let(e: object) -> bool:
    """Whether ``e`` reads a ``let`` (its compiled form depends on the rule it is in)."""
    return any(isinstance(x, LetRef) for x in expression_nodes((e,), stop=(ValueRef,)))


def _canon(x: Fraction) -> int | Fraction:
    return x.numerator if x.denominator == 1 else x


def _num(x: Any) -> Num:
    if not isinstance(x, Num):
        raise Unsupported("arithmetic on a condition or text")
    return x


def _bool(x: Any) -> Bool:
    if not isinstance(x, Bool):
        raise Unsupported("logic on a number or text")
    return x


def compare_any(op: str, a: Any, b: Any, stats: V.Stats) -> Bool:
    """``a op b`` for numbers, symbols or conditions (``==``, ``!=`` only for the latter).

    Raises:
        Unsupported: operands of different kinds.
    """
    import numpy as np

    if isinstance(a, Num) and isinstance(b, Num):
        return V.compare(op, a, b, stats)
    if isinstance(a, Sym) and isinstance(b, Sym) and op in ("==", "!="):
        return V.sym_equal(a, b, op == "!=")
    if isinstance(a, Bool) and isinstance(b, Bool) and op in ("==", "!="):
        unk, kind, defer = V.merge(a, b)
        eq = np.equal(a.v, b.v)
        size = a.size if a.size is not None else b.size
        v = eq if op == "==" else np.logical_not(eq)
        return Bool(size, v if size is not None else bool(v), unk, kind, defer)
    raise Unsupported(f"comparing {type(a).__name__} with {type(b).__name__}")


def select(which: Any, options: list[Any], size: int) -> Any:
    """Per row, the value of ``options[which[row]]`` (with its masks)."""
    import numpy as np

    consts = all(o.size is None for o in options)
    if consts and all(isinstance(o, Num) and o.exact for o in options):
        den = 1
        for o in options:
            den = den * o.d // _gcd(den, o.d)
        if den <= 2**53 and all(abs(o.n) * (den // o.d) <= 2**62 for o in options):
            table = np.asarray([o.n * (den // o.d) for o in options], dtype=np.int64)
            # take, not table[which]: it gathers with small codes as indices directly
            # (negative ones count from the end, as indexing does)
            n = table.take(which)
            unk_t = np.asarray([o.unk is True for o in options])
            unk = unk_t.take(which) if unk_t.any() else None
            kind = None
            if unk is not None:
                kt = np.asarray([o.kind if o.kind is not None else 0 for o in options], np.int8)
                kind = kt.take(which) if kt.any() else None
            nmax = max(abs(o.n) * (den // o.d) for o in options)
            nonneg = all(o.n >= 0 for o in options)
            if unk is not None and not unk.any():
                unk = None
            return Num(size, n, den, nmax, den, nonneg, unk=unk, kind=kind)
    out = V.broadcast(options[0], size)
    for j in range(1, len(options)):
        hit = which == j
        if not hit.any():
            continue
        o = V.broadcast(options[j], size)
        if type(o) is not type(out):
            if o.unk is True or (o.unk is not None and np.all(o.unk)):
                o = V.broadcast(_like(out, o), size)
            elif out.unk is not None and np.all(out.unk):
                out = V.broadcast(_like(o, out), size)
            else:
                raise Unsupported("keyed values of different kinds")
        merged = V.pick(hit, o, out, size)
        merged.unk = _pick_mask(hit, o.unk, out.unk, size)
        merged.defer = _pick_mask(hit, o.defer, out.defer, size)
        if o.kind is not None or out.kind is not None:
            ko = _rank_array(o, size)
            kout = _rank_array(out, size)
            merged.kind = np.where(hit, ko, kout).astype(np.int8)
        out = merged
    return out


def _like(model: Any, unknown: Any) -> Any:
    """An all-unknown value of ``model``'s kind with ``unknown``'s kind."""
    kind = unknown.kind
    if isinstance(model, Bool):
        return Bool(None, False, True, kind)
    if isinstance(model, Sym):
        return Sym(None, -1, model.cats, True, kind)
    return Num(None, 0, 1, 0, 1, True, unk=True, kind=kind)


def _rank_array(x: Any, size: int) -> Any:
    import numpy as np

    if x.kind is None:
        return np.zeros(size, dtype=np.int8)
    if isinstance(x.kind, int):
        return np.full(size, x.kind, dtype=np.int8)
    return x.kind


def _pick_mask(hit: Any, a: Any, b: Any, size: int) -> Any:
    import numpy as np

    if a is None and b is None:
        return None
    aa = V.full(a, size) if a is not None else np.zeros(size, bool)
    bb = V.full(b, size) if b is not None else np.zeros(size, bool)
    out = np.where(hit, aa, bb)
    return out if out.any() else None


def _gcd(a: int, b: int) -> int:
    import math

    return math.gcd(a, b)
