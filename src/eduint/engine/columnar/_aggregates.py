"""Aggregates as group reductions: ``count``, ``sum``, ``mean``, ``min``, ``max``,
``share``, ``all``, ``any`` (the 差异系数 is :mod:`._cv`).

An aggregate of scope S over scope O is computed for every entity of S at once: the
members of each entity (:meth:`~.frame.Frame.members`) carry a group id, the ``where``
filter and the argument are evaluated over O's rows, and ``np.bincount`` (or a
``reduceat`` over sorted ids) reduces them per group.  Classes (4.3 million rows at
national scale) are first reduced per school segment over their CSR offsets, then per
group like any school segment; counting classes by size against thresholds that are
constants or keyed by segment (``count(over 班级 where 班额 > 班额上限)``) takes one
packed pass: a lookup table gives each class size a word holding one counter per
threshold, summed per school segment with one ``reduceat``.

The semantics are those of :mod:`eduint.checking.builtins`: multiplicities count (a
size band of N classes), a list that is incomplete or missing makes a number unknown,
an undecided filter makes a ``count`` a range (deferred to the record engine) and the
other aggregates unknown, an empty ``mean``/``min``/``max``/``share`` is unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eduint.checking.ruleset import Aggregate, Comparison, Const, FieldRef, KeyedValue, ValueRef
from eduint.checking.schema import ScopeKind
from eduint.engine.columnar import _values as V
from eduint.engine.columnar._groups import (
    Group,
    _any,
    _max_kind,
    _sum,
    class_groups,
    class_members,
    count_num,
    filter_masks,
    gather,
    over_classes,
)
from eduint.engine.columnar._values import Bool, Num, Unsupported

if TYPE_CHECKING:
    from eduint.engine.columnar._compile import Ctx, ExprCompiler, Fn

__all__ = ["Group", "class_groups", "compile_aggregate", "gather"]

CLASS, SEGMENT = ScopeKind.CLASS, ScopeKind.SEGMENT


# ----------------------------------------------------------------- compile


def compile_aggregate(comp: ExprCompiler, e: Aggregate, scope: ScopeKind) -> Fn:
    """The compiled aggregate ``e`` for the entities of ``scope``.

    Raises:
        Unsupported: an aggregate the engine does not compile.
    """
    if e.fn == "cv":
        from eduint.engine.columnar import _cv

        return _cv.compile_cv_value(comp, e, scope)
    over = e.over
    if over == CLASS and e.fn in ("count", "share"):
        packed = _packed_plan(comp, e)
        if packed is not None:
            return packed(scope)  # type: ignore[no-any-return]
    where = comp.expr(e.where, over) if e.where is not None else None
    arg = comp.expr(e.args[0], over) if e.args else None
    fn = e.fn
    if fn not in ("count", "sum", "mean", "min", "max", "share", "all", "any"):
        raise Unsupported(f"aggregate {fn}")

    def f(ctx: Ctx) -> Any:
        frame = ctx.frame
        w = where(ctx) if where is not None else None
        x = arg(ctx) if arg is not None else None
        if over == CLASS and fn in ("count", "share"):
            return over_classes(frame, scope, fn, w, x)
        g = class_members(frame, scope) if over == CLASS else gather(frame, scope, over)
        if g.rows is not None:
            w = V.take(w, g.rows) if w is not None else None
            x = V.take(x, g.rows) if x is not None else None
        return reduce(fn, g, w, x)

    return f


def reduce(fn: str, g: Group, w: Bool | None, x: Any) -> Any:
    """The aggregate ``fn`` per group (see the module doc)."""
    import numpy as np

    n = g.n
    keep, undecided, wdefer = filter_masks(w, len(g.ids))
    mult = g.mult
    weight = None if keep is None else keep.astype(np.float64)
    if mult is not None:
        weight = mult.astype(np.float64) if weight is None else weight * mult
    defer = _any(g.ids, wdefer, n)
    if x is not None and x.defer is not None:
        xd = V.full(x.defer, len(g.ids))
        defer = V.mask_or(defer, _any(g.ids, xd if keep is None else xd & keep, n))
    missing = None if g.status is None else g.status > 0
    und = _any(g.ids, undecided, n)
    if fn == "count":
        total = _sum(g.ids, weight, n)
        defer = V.mask_or(defer, und)  # an undecided filter makes a range
        return count_num(total, missing, defer, n)
    if fn in ("all", "any"):
        return _all_any(fn, g, keep, undecided, x, g.status, defer)
    assert x is not None
    xk = x
    # an unknown value among the kept members (ranges of shares are deferred)
    xunk = V.full(x.unk, len(g.ids)) if x.unk is not None else None
    if xunk is not None and keep is not None:
        xunk = xunk & keep
    if fn == "share":
        return _share(g, keep, weight, x, missing, und, xunk, defer)
    unknown = V.mask_or(missing, V.mask_or(und, _any(g.ids, xunk, n)))
    kind = None
    if und is None and missing is None and xunk is not None:
        kind = _max_kind(g.ids, x, xunk, n)
    elif und is not None and w is not None and w.kind is not None:
        kind = _max_kind(g.ids, w, undecided, n)
    count = _sum(g.ids, weight, n)
    if fn in ("mean", "min", "max"):
        empty = count == 0
        if empty.any():
            unknown = V.mask_or(unknown, empty)
    if fn in ("min", "max"):
        return _extreme(fn, g, keep, xk, unknown, kind, defer)
    total = _weighted_sum(g, weight, xk)
    if fn == "mean":
        cnt = Num(n, np.rint(count).astype(np.int64), 1, int(count.max(initial=0)), 1, True)
        cnt.n = np.where(cnt.n == 0, 1, cnt.n)
        total = V.div(total, cnt)
    total.unk, total.kind, total.defer = unknown, kind, defer
    return total


def _weighted_sum(g: Group, weight: Any, x: Num) -> Num:
    """Σ weight·x per group: exact in int64 when x has one denominator and the sum stays
    below 2⁵³ (float64 sums of integers are exact there), else float with its bound."""
    import numpy as np

    n = g.n
    m = len(g.ids)
    total_w = float(weight.sum()) if weight is not None else float(m)
    if x.exact and isinstance(x.d, int) and x.nmax * max(total_w, 1.0) < 2.0**53:
        vals = np.broadcast_to(np.asarray(x.n, dtype=np.float64), (m,))
        if x.unk is not None:
            vals = np.where(V.full(x.unk, m), 0.0, vals)
        s = _sum(g.ids, vals if weight is None else vals * weight, n)
        top = int(x.nmax * max(total_w, 1.0))
        return Num(n, np.rint(s).astype(np.int64), x.d, top, x.d, x.nonneg)
    fx = V.to_float(x)
    vals = np.broadcast_to(np.asarray(fx.f, dtype=np.float64), (m,))
    errs = np.broadcast_to(np.asarray(fx.err, dtype=np.float64), (m,))
    if x.unk is not None:
        vals = np.where(V.full(x.unk, m), 0.0, vals)
        errs = np.where(V.full(x.unk, m), 0.0, errs)
    w = weight if weight is not None else 1.0
    s = _sum(g.ids, vals * w, n)
    # each term rounds once, the sequential sum at most (k-1)u Σ|terms|
    cnt = np.bincount(g.ids, minlength=n).astype(np.float64)
    mag = _sum(g.ids, np.abs(vals) * w, n)
    err = _sum(g.ids, errs * w, n) + mag * (cnt + 1) * V.U * 1.01
    return Num(n, f=s, err=err)


def _extreme(fn: str, g: Group, keep: Any, x: Num, unknown: Any, kind: Any, defer: Any) -> Num:
    import numpy as np

    if not (x.exact and isinstance(x.d, int)):
        raise Unsupported(f"{fn} of values without one denominator")
    n = g.n
    m = len(g.ids)
    vals = np.broadcast_to(np.asarray(x.n, dtype=np.int64), (m,))
    sel = np.ones(m, dtype=bool) if keep is None else keep.copy()
    if x.unk is not None:
        sel &= ~V.full(x.unk, m)
    big = np.iinfo(np.int64)
    out = np.full(n, big.max if fn == "min" else big.min, dtype=np.int64)
    idx = np.flatnonzero(sel)
    (np.minimum if fn == "min" else np.maximum).at(out, g.ids[idx], vals[idx])
    out = np.where((out == big.max) | (out == big.min), 0, out)
    return Num(n, out, x.d, x.nmax, x.d, x.nonneg, unk=unknown, kind=kind, defer=defer)


def _share(
    g: Group, keep: Any, weight: Any, x: Bool, missing: Any, und: Any, xunk: Any, defer: Any
) -> Num:
    import numpy as np

    n = g.n
    m = len(g.ids)
    yes_mask = np.broadcast_to(np.asarray(x.v, dtype=bool), (m,))
    if x.unk is not None:
        yes_mask = yes_mask & ~V.full(x.unk, m)
    if x.defer is not None:
        yes_mask = yes_mask & ~V.full(x.defer, m)
    wy = yes_mask.astype(np.float64) if weight is None else yes_mask * weight
    yes = np.rint(_sum(g.ids, wy, n)).astype(np.int64)
    total = np.rint(_sum(g.ids, weight, n)).astype(np.int64)
    # unknown conditions make the share a range: the record engine decides those
    defer = V.mask_or(defer, _any(g.ids, xunk, n))
    unknown = V.mask_or(missing, und)
    empty = total == 0
    if empty.any():
        unknown = V.mask_or(unknown, empty)
    den = np.where(empty, 1, total)
    top = int(total.max(initial=1))
    return Num(n, yes, den, top, max(top, 1), True, unk=unknown, defer=defer)


def _all_any(
    fn: str, g: Group, keep: Any, undecided: Any, x: Bool, status: Any, defer: Any
) -> Bool:
    import numpy as np

    n = g.n
    m = len(g.ids)
    v = np.broadcast_to(np.asarray(x.v, dtype=bool), (m,))
    known = np.ones(m, dtype=bool)
    if x.unk is not None:
        known &= ~V.full(x.unk, m)
    if x.defer is not None:
        known &= ~V.full(x.defer, m)
    live = keep if keep is not None else np.ones(m, dtype=bool)
    decisive = live & known & (~v if fn == "all" else v)
    hit = _any(g.ids, decisive, n)
    decided = hit if hit is not None else np.zeros(n, dtype=bool)
    unsure = live & ~known
    if undecided is not None:
        unsure = unsure | undecided
    maybe = _any(g.ids, unsure, n)
    unk = None
    if maybe is not None:
        unk = maybe & ~decided
    if status is not None:
        # a missing list is unknown whatever its members say; an incomplete one unless
        # a member decides
        unk = V.mask_or(unk, (status == 1) & ~decided)
        defer = V.mask_or(defer, status == 2)
    # kinds and reasons of these unknowns are the record engine's: defer them
    defer = V.mask_or(defer, unk if unk is not None and unk.any() else None)
    value = decided if fn == "any" else ~decided
    return Bool(n, value, None, None, defer)


# ------------------------------------------------------------ packed counts


def _packed_plan(comp: ExprCompiler, e: Aggregate) -> Any:
    """For ``count(over 班级 where F op K)`` and ``share(F op K over 班级)`` with F a
    class figure and K a constant or a value keyed by segment: a function of the scope
    giving the compiled aggregate through :mod:`._packed`; ``None`` otherwise."""
    cond = e.where if e.fn == "count" else (e.args[0] if e.args else None)
    if e.fn == "share" and e.where is not None:
        return None
    if not isinstance(cond, Comparison) or cond.op not in (">=", ">", "<=", "<", "==", "!="):
        return None
    left, right = cond.left, cond.right
    if not (isinstance(left, FieldRef) and left.field.scope == CLASS):
        return None
    if not isinstance(right, (Const, ValueRef, KeyedValue)):
        return None
    from eduint.engine.columnar import _packed

    return _packed.plan(comp, e, cond)
