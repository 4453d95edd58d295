"""The 差异系数 over groups, in float64 with a certified error bound.

For every entity of the aggregate's scope (a county segment: its school segments) the
student-weighted CV is computed as perfref's numpy program computes it (two passes with
``np.bincount``: W = Σw, Â = Σw·x̂, m̂ = Â/W, Q̂ = Σw·(x̂ − m̂)²), together with bounds of
the float errors, derived from the operation count and the magnitudes (u = 2⁻⁵³,
γₙ = n·u for a sequential sum of n terms, x̂ᵢ within Eᵢ of the exact xᵢ):

* |Â − A| ≤ e_A = Σw·Eᵢ + (u + γₙ(1+u))·Σw|x̂ᵢ|;   |m̂ − m| ≤ e_m = (e_A/W + u|m̂|)(1+2u);
* each deviation D̂ᵢ = x̂ᵢ − m̂ is within eᵢ = Eᵢ + e_m + u|D̂ᵢ| of Dᵢ, so (Cauchy–Schwarz)
  |Q̂ − Q| ≤ e_Q = (2u + γₙ)(1+3u)·Q̃ + 2√(E₂·Q̃) + E₂ with Q̃ = Q̂(1 + 2γₙ₊₂) ≥ Σw·D̂²
  and E₂ = 3(Σw·Eᵢ² + W·e_m² + u²·Q̃) ≥ Σw·eᵢ².

``cv(x over …) <= L`` is decided through the square, as the record engine decides it
(CV ≤ L ⇔ Q ≤ L²·W·m², for L ≥ 0): F̂ = Q̂ − L²·W·m̂² is certain to have the sign of the
exact F when |F̂| exceeds e_Q + L²·W·e_m(2|m̂| + e_m) + the rounding of L² and of F̂
itself (all × 1.01); a county segment inside that band is decided exactly by the record
engine (the exact path).  Unknown figures, ranges, incomplete lists, fewer than two
schools with students (不适用) and 0-student schools (left out) follow
:mod:`eduint.engine._cv`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eduint.checking.ruleset import Aggregate, Comparison
from eduint.checking.schema import ScopeKind
from eduint.core.values import Kind
from eduint.engine.columnar import _values as V
from eduint.engine.columnar._groups import gather
from eduint.engine.columnar._values import KIND_RANK, Bool, Num, Unsupported

if TYPE_CHECKING:
    from eduint.engine.columnar._compile import Ctx, ExprCompiler, Fn

__all__ = ["CvStats", "compile_cv_comparison", "compile_cv_value"]

_NA = KIND_RANK[Kind.NOT_APPLICABLE]
U = V.U


class CvStats:
    """The float sums of every group's CV and their bounds (see the module doc).

    Attributes:
        n: groups; w: W; m: m̂; q: Q̂; e_m, e_q: their error bounds.
        unk, kind, defer: the masks of the CV's value per group.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.w: Any = None
        self.m: Any = None
        self.q: Any = None
        self.e_m: Any = None
        self.e_q: Any = None
        self.unk: Any = None
        self.kind: Any = None
        self.defer: Any = None


def _stats_fn(comp: ExprCompiler, e: Aggregate, scope: ScopeKind) -> Fn:
    over = e.over
    if over == ScopeKind.CLASS:
        raise Unsupported("a 差异系数 over classes")
    x_fn = comp.expr(e.args[0], over)
    w_fn = comp.expr(e.args[1], over) if len(e.args) == 2 else None
    where = comp.expr(e.where, over) if e.where is not None else None
    key = ("cv", e, scope)

    def f(ctx: Ctx) -> CvStats:
        hit = ctx.memo.get(key)  # type: ignore[call-overload]
        if hit is None:
            frame = ctx.frame
            x = x_fn(ctx)
            w = w_fn(ctx) if w_fn is not None else frame.weights(over)
            wh = where(ctx) if where is not None else None
            # the default weights (students) are the frame's own column: shareable
            share = (scope, over) if w_fn is None else None
            hit = ctx.memo[key] = _stats(ctx, scope, over, x, w, wh, share)  # type: ignore[index]
        return hit  # type: ignore[no-any-return]

    return f


def _stats(  # noqa: C901
    ctx: Ctx, scope: ScopeKind, over: ScopeKind, x: Any, w: Any, wh: Any, share: Any
) -> CvStats:
    import numpy as np

    frame = ctx.frame
    g = gather(frame, scope, over)
    if not isinstance(x, Num) or not isinstance(w, Num):
        raise Unsupported("a 差异系数 of a non-number")
    if not (w.exact and isinstance(w.d, int) and w.d == 1):
        raise Unsupported("a 差异系数 weighted by a fraction")
    if g.rows is not None:
        x, w = V.take(x, g.rows), V.take(w, g.rows)
        wh = V.take(wh, g.rows) if wh is not None else None
    m = len(g.ids)
    n = g.n
    ids = g.ids
    out = CvStats(n)
    wn = np.broadcast_to(np.asarray(w.n, dtype=np.int64), (m,))
    live = np.ones(m, dtype=bool)
    undecided = None
    if wh is not None:
        wv = np.broadcast_to(np.asarray(wh.v, dtype=bool), (m,))
        wu, wd = V.full(wh.unk, m), V.full(wh.defer, m)
        keep = wv.copy()
        if wu is not None:
            keep &= ~wu
            undecided = wu if wd is None else wu & ~wd
        if wd is not None:
            keep &= ~wd
            out.defer = V.mask_or(out.defer, _any(ids, wd, n))
        live = keep
    wunk, wdef = V.full(w.unk, m), V.full(w.defer, m)
    xunk, xdef = V.full(x.unk, m), V.full(x.defer, m)
    # a weight that is a range, approximate, negative: the record engine decides
    bad_w = (wn < 0) & live
    if wdef is not None:
        bad_w |= wdef & live
    out.defer = V.mask_or(out.defer, _any(ids, bad_w, n))
    wknown = live.copy() if wunk is None else live & ~wunk
    if wdef is not None:
        wknown &= ~wdef
    used = wknown & (wn > 0)
    problems = live & (wunk if wunk is not None else False)
    if xunk is not None:
        problems = problems | (used & xunk)
    if undecided is not None:
        problems = problems | undecided
    if xdef is not None:
        out.defer = V.mask_or(out.defer, _any(ids, used & xdef, n))
        used &= ~xdef
    if xunk is not None:
        used &= ~xunk
    prob = _any(ids, problems, n)
    if prob is not None and frame.settings.cv_over_available:
        out.defer = V.mask_or(out.defer, prob)
        prob = None
    status = g.status
    unk = None if status is None else status > 0
    kind = None
    if prob is not None:
        unk = V.mask_or(unk, prob)
        ranks = _member_kinds(ids, problems, (x, w, wh), m, n)
        if ranks is not None:
            kind = np.where(prob & ((status if status is not None else 0) == 0), ranks, 0)
    count = _count_used(ctx, ids, used, n, share)
    single = count < 2
    if unk is not None:
        single &= ~unk
    if single.any():
        unk = V.mask_or(unk, single)
        k = np.zeros(n, dtype=np.int8) if kind is None else kind.astype(np.int8)
        kind = np.where(single, _NA, k).astype(np.int8)
    out.unk, out.kind = unk, kind
    _float_sums(out, ids, used, wn, x, count, _weights(ctx, ids, used, wn, n, share))
    return out


def _count_used(ctx: Ctx, ids: Any, used: Any, n: int, key: Any) -> Any:
    """Members counted per group; shared (``key``: the CV's scope and ``over``, or
    ``None``) by the CVs over the same groups when every member counts (the usual case:
    each indicator's CV over the same schools, weighted by their students)."""
    import numpy as np

    if key is None or not used.all():
        return np.bincount(ids[used], minlength=n)
    memo_key = ("cv-count", *key)
    hit = ctx.memo.get(memo_key)  # type: ignore[call-overload]
    if hit is None:
        hit = ctx.memo[memo_key] = np.bincount(ids, minlength=n)  # type: ignore[index]
    return hit


def _weights(ctx: Ctx, ids: Any, used: Any, wn: Any, n: int, key: Any) -> tuple[Any, Any]:
    """The members' weights as floats (0 where not used) and their sum per group W;
    shared, as :func:`_count_used`, when every member is used."""
    import numpy as np

    memo_key = ("cv-weights", key)
    if key is not None and used.all():
        hit = ctx.memo.get(memo_key)  # type: ignore[call-overload]
        if hit is not None:
            return hit  # type: ignore[no-any-return]
    wf = np.where(used, wn, 0).astype(np.float64)
    out = (wf, np.bincount(ids, weights=wf, minlength=n))
    if key is not None and used.all():
        ctx.memo[memo_key] = out  # type: ignore[index]
    return out


def _member_kinds(ids: Any, problems: Any, cols: tuple[Any, ...], m: int, n: int) -> Any:
    """Per group, the highest kind rank of the members' unknowns."""
    import numpy as np

    ranks = np.zeros(m, dtype=np.int8)
    found = False
    for c in cols:
        if c is not None and c.unk is not None and c.kind is not None:
            r = np.broadcast_to(np.asarray(c.kind, dtype=np.int8), (m,))
            ranks = np.maximum(ranks, np.where(V.full(c.unk, m), r, 0))
            found = True
    if not found:
        return None
    out = np.zeros(n, dtype=np.int8)
    sel = np.flatnonzero(problems)
    np.maximum.at(out, ids[sel], ranks[sel])
    return out


def _any(ids: Any, mask: Any, n: int) -> Any:
    import numpy as np

    if mask is None or mask is False or not np.any(mask):
        return None
    return np.bincount(ids[mask], minlength=n) > 0


def _float_sums(out: CvStats, ids: Any, used: Any, wn: Any, x: Num, count: Any,
                weights: tuple[Any, Any]) -> None:
    """W, m̂, Q̂ and their bounds per group (see the module doc); ``weights``: the
    members' float weights and W (:func:`_weights`)."""
    import numpy as np

    n = out.n
    m = len(ids)
    if x.exact and x.size is not None:
        # the values only (to_float's f): the bounds below are relative for exact x
        xf = None
        f = np.true_divide(x.n, x.d, dtype=np.float64)
    else:
        xf = V.to_float(x)
        f = np.broadcast_to(np.asarray(xf.f, dtype=np.float64), (m,))
    wf, W = weights
    if not used.all():
        f = np.where(used, f, 0.0)
    wx = wf * f
    A = np.bincount(ids, weights=wx, minlength=n)
    relative = x.exact  # exact inputs: Eᵢ = c·u·|x̂ᵢ|
    nonneg = x.exact and x.nonneg
    S1 = A if nonneg else np.bincount(ids, weights=np.abs(wx), minlength=n)
    gam: Any = (count.astype(np.float64) + 2) * U * 1.01
    if relative:
        c = U if (x.nmax <= 2**53 and x.dmax <= 2**53) else 3 * U
        eps = c * (1 + 4 * U)
        swe: Any = eps * S1
        swe2 = None
    else:
        assert xf is not None
        err: Any = np.broadcast_to(np.asarray(xf.err, dtype=np.float64), (m,))
        err = np.where(used, err, 0.0).astype(np.float64)
        swe = np.bincount(ids, weights=wf * err, minlength=n)
        swe2 = np.bincount(ids, weights=wf * err * err, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        Wsafe = np.where(W > 0, W, 1.0)
        mean = A / Wsafe
        e_a = swe + (U + gam * (1 + U)) * S1
        e_m = (e_a / Wsafe + U * np.abs(mean) * (1 + U)) * (1 + 2 * U)
        D = f - mean.take(ids)
        wdd = wf * D  # w·D·D as (w·D)·D, one temporary
        wdd *= D
        Q = np.bincount(ids, weights=wdd, minlength=n)
        Qt = Q * (1 + 2 * gam)
        if swe2 is None:
            x2 = 2 * (1 + 2 * U) ** 2 * Qt + 2 * W * mean * mean
            swe2 = eps * eps * x2
        E2 = 3 * (swe2 + W * e_m * e_m + U * U * Qt)
        e_q = (2 * U + gam) * (1 + 3 * U) * Qt + 2 * np.sqrt(E2 * Qt) + E2
    out.w, out.m, out.q, out.e_m, out.e_q = W, mean, Q, e_m, e_q
    # a mean that may be 0 (CV_ZERO_MEAN) is decided exactly
    zero = np.abs(mean) <= e_m * 1.01
    if out.unk is not None:
        zero &= ~V.full(out.unk, n)
    if zero.any():
        out.defer = V.mask_or(out.defer, zero)


def compile_cv_value(comp: ExprCompiler, e: Aggregate, scope: ScopeKind) -> Fn:
    """``cv(…)`` as a value: float64 with its error bound per group."""
    stats = _stats_fn(comp, e, scope)

    def f(ctx: Ctx) -> Num:
        import numpy as np

        s = stats(ctx)
        with np.errstate(divide="ignore", invalid="ignore"):
            am = np.abs(s.m)
            Wsafe = np.where(s.w > 0, s.w, 1.0)
            cv = np.sqrt(np.maximum(s.q, 0) / Wsafe) / np.where(am > 0, am, 1.0)
            r_q = np.where(s.q > 0, s.e_q / np.where(s.q > 0, s.q, 1.0), np.inf)
            r_m = s.e_m / np.where(am > 0, am, 1.0)
            rel = 0.5 * r_q / (1 - r_q) + r_m / (1 - r_m) + 4 * U
            upper = np.sqrt((np.maximum(s.q, 0) + s.e_q) / Wsafe) / np.maximum(am - s.e_m, 1e-300)
            err = np.where((r_q < 0.5) & (r_m < 0.5), cv * rel * 1.01, upper * 1.01)
        err = np.where(np.isfinite(err), err, 0.0)
        cv = np.where(np.isfinite(cv), cv, 0.0)
        bad = ~np.isfinite(err) | ((r_m >= 0.5) & (am > 0))
        defer = s.defer
        if bad.any():
            defer = V.mask_or(defer, bad)
        return Num(s.n, f=cv, err=err, unk=s.unk, kind=s.kind, defer=defer)

    return f


def compile_cv_comparison(comp: ExprCompiler, e: Comparison, scope: ScopeKind) -> Fn:
    """``cv(…) op L`` decided through the square (see the module doc)."""
    assert isinstance(e.left, Aggregate)
    stats = _stats_fn(comp, e.left, scope)
    limit = comp.expr(e.right, scope)
    op = e.op

    def f(ctx: Ctx) -> Bool:
        import numpy as np

        s = stats(ctx)
        lim = limit(ctx)
        if not isinstance(lim, Num) or not lim.exact:
            value = compile_cv_value(comp, e.left, scope)(ctx)  # type: ignore[arg-type]
            return V.compare(op, value, lim, ctx.stats)
        lim = V.broadcast(lim, s.n)
        unk, kind, defer = V.merge(
            Num(s.n, unk=s.unk, kind=s.kind, defer=s.defer), lim
        )
        ln = lim.n.astype(np.float64)
        ld = np.broadcast_to(np.asarray(lim.d, dtype=np.float64), (s.n,))
        l2 = (ln * ln) / (ld * ld)
        wm2 = s.w * s.m * s.m
        F = s.q - l2 * wm2
        am = np.abs(s.m)
        B = (
            s.e_q
            + 4 * U * l2 * wm2
            + l2 * (1 + U) * s.w * s.e_m * (2 * am + s.e_m)
            + 4 * U * (s.q + l2 * wm2)
        ) * 1.01
        below = F < -B  # CV < L for sure
        above = F > B  # CV > L for sure
        negative = lim.n < 0  # a CV is never below a negative limit
        if op in ("<=", "<"):
            v = below & ~negative
        else:
            v = above | negative
        near = ~(below | above) & ~negative
        live = near.copy()
        if unk is not None:
            live &= ~V.full(unk, s.n)
        if defer is not None:
            live &= ~V.full(defer, s.n)
        ctx.stats.near += int(np.count_nonzero(live))
        ctx.stats.float_compares += s.n
        if live.any():
            defer = V.mask_or(defer, live)
        return Bool(s.n, v, unk, kind, defer)

    return f
