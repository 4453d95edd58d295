"""Class counts by size in one packed pass.

``count(over 班级 where 班额 > 班额上限)``, ``count(over 班级 where 班额 >= 56 人)`` and
``share(班额 >= 66 人 over 班级)`` all count, per school segment, the classes whose size
is at least some whole number t (``> 45`` is ``>= 46``; ``<=`` and ``<`` are the
complement, ``==`` a difference of two).  Every such aggregate of a rule set registers
its class field when it is compiled; the first one evaluated finds the cuts t every
registered aggregate needs (each school segment's threshold: a constant, or keyed by
segment, location, region or date), builds a lookup table that turns a class size into
one word holding a counter per cut (16 bits or fewer each, as many as fit in 63 bits),
and sums the words per school segment with ``np.add.reduceat`` over the CSR offsets,
65,536 classes at a time.  Each school segment then reads the counter of its own cut.

The sizes must be exact whole numbers ≥ 0 with multiplicity 1; a school segment with a
size that is missing or a range (a size band) is deferred to the record engine, and a
size column that is not whole numbers makes the aggregate take the general path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eduint.checking.ruleset import Aggregate, Comparison
from eduint.checking.schema import ScopeKind
from eduint.engine.columnar import _values as V
from eduint.engine.columnar._values import Num

if TYPE_CHECKING:
    from eduint.engine.columnar._compile import Ctx, ExprCompiler, Fn

__all__ = ["plan"]

CLASS, SEGMENT = ScopeKind.CLASS, ScopeKind.SEGMENT
# classes per lookup pass: the temporary words (512 KiB) stay in the cache between the
# gather and the sums (1 << 20 was half as fast on a national run)
_CHUNK = 1 << 16


class _Need:
    """One registered aggregate: its condition's comparator and threshold (per segment row)."""

    def __init__(self, op: str, threshold: Fn) -> None:
        self.op = op
        self.threshold = threshold


def _registry(comp: ExprCompiler) -> dict[Any, list[_Need]]:
    reg = getattr(comp, "_packed", None)
    if reg is None:
        reg = {}
        comp._packed = reg  # type: ignore[attr-defined]
    return reg


def plan(comp: ExprCompiler, e: Aggregate, cond: Comparison) -> Any:
    """Register ``e`` and return a function of the aggregate's scope giving its
    compiled form (see the module doc)."""
    from eduint.checking.ruleset import FieldRef

    assert isinstance(cond.left, FieldRef)
    info = cond.left.field
    need = _Need(cond.op, comp.expr(cond.right, SEGMENT))
    _registry(comp).setdefault(info, []).append(need)
    needs = _registry(comp)[info]
    fallback: list[Fn] = []

    def for_scope(scope: ScopeKind) -> Fn:
        def f(ctx: Ctx) -> Any:
            try:
                cut = _counts(ctx, info, needs)
            except _General:
                if not fallback:
                    fallback.append(_general(comp, e, scope))
                return fallback[0](ctx)
            return _aggregate(ctx, scope, e.fn, need, cut)

        return f

    return for_scope


class _General(Exception):
    """The class figure is not whole numbers ≥ 0: the aggregate takes the general path."""


def _general(comp: ExprCompiler, e: Aggregate, scope: ScopeKind) -> Fn:
    from eduint.engine.columnar import _groups

    where = comp.expr(e.where, CLASS) if e.where is not None else None
    arg = comp.expr(e.args[0], CLASS) if e.args else None

    def f(ctx: Ctx) -> Any:
        w = where(ctx) if where is not None else None
        x = arg(ctx) if arg is not None else None
        return _groups.over_classes(ctx.frame, scope, e.fn, w, x)

    return f


class _Cuts:
    """The counters of one class field: per school segment, for each registered need,
    the classes meeting the condition (``counts[need]``), the classes (``total``) and
    the segments with undecided sizes (``bad``)."""

    def __init__(
        self, counts: dict[int, Any], total: Any, bad: Any, tunk: dict[int, Any], order: dict[int, int]
    ) -> None:
        self.counts = counts
        self.total = total
        self.bad = bad
        self.tunk = tunk
        self.order = order  # id of a need → its index


def _cut_of(op: str, n: Any, d: Any) -> tuple[Any, Any]:
    """For ``size op n/d`` over whole sizes: (t, how) with the condition as counters of
    ``size >= t``: how 0 = c(t), 1 = total − c(t), 2 = c(t) − c(t+1) (== when n/d is whole,
    else never), 3 = total − (c(t) − c(t+1))."""
    import numpy as np

    if isinstance(d, int) and d == 1:  # whole thresholds (the usual case): no division
        fl = ce = n
        whole: Any = True
    else:
        fl = n // d
        ce = -((-n) // d)
        whole = (n % d) == 0
    if op == ">=":
        return ce, 0
    if op == ">":
        return fl + 1, 0
    if op == "<=":
        return fl + 1, 1
    if op == "<":
        return ce, 1
    # == / != : a fractional threshold never equals a whole size (t beyond every size)
    t = np.where(whole, fl, np.iinfo(np.int64).max // 4)
    return t, 2 if op == "==" else 3


def _counts(ctx: Ctx, info: Any, needs: list[_Need]) -> _Cuts:
    import numpy as np

    key = ("packed", info)
    hit = ctx.memo.get(key)  # type: ignore[call-overload]
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    frame = ctx.frame
    sizes, col = frame.small_ints(info)
    if not (sizes is not None and isinstance(col.d, int) and col.d == 1
            and col.nonneg and col.nmax < (1 << 16) and frame.tables[CLASS].mult is None):
        raise _General
    bad_cls = V.mask_or(col.unk, col.defer)
    off = frame.class_offsets
    nseg = len(off) - 1
    cuts: list[tuple[Any, int, Any]] = []  # (t per segment, how, threshold unknown mask)
    for need in needs:
        k = need.threshold(ctx)
        if not isinstance(k, Num) or not k.exact:
            raise _General
        k = V.broadcast(k, nseg)
        t, how = _cut_of(need.op, k.n, k.d)
        t = np.asarray(np.broadcast_to(t, (nseg,)), dtype=np.int64)
        cuts.append((t, how if isinstance(how, int) else int(how), V.mask_or(k.unk, k.defer)))
    top = int(col.nmax) + 1
    values = sorted({int(x) for t, how, _ in cuts for x in _distinct(np.clip(t, 0, top))}
                    | {int(x) + 1 for t, how, _ in cuts if how >= 2
                       for x in _distinct(np.clip(t, 0, top))})
    values = [x for x in values if 0 < x <= top - 1 or x == 0] or [0]
    counters = _lookup_counts(sizes, off, [x for x in values if 0 < x < top])
    counts: dict[int, Any] = {}
    total = np.diff(off)
    # c(t) per segment: one gather from the rows [0, total, counters …] at each
    # segment's row for its cut (t ≤ 0: every class; t = top: none)
    table = np.stack([np.zeros(nseg, dtype=np.int64), total, *counters.values()]).ravel()
    row_of = np.zeros(top + 1, dtype=np.int64)
    row_of[0] = 1
    for i, x in enumerate(counters):
        row_of[x] = 2 + i
    at = np.arange(nseg, dtype=np.int64)

    def c(t: Any) -> Any:
        return table.take(row_of.take(np.clip(t, 0, top)) * nseg + at)

    tunk: dict[int, Any] = {}
    for i, (t, how, unk) in enumerate(cuts):
        ct = c(t)
        if how == 0:
            counts[i] = ct
        elif how == 1:
            counts[i] = total - ct
        else:
            eq = ct - c(t + 1)
            counts[i] = eq if how == 2 else total - eq
        tunk[i] = unk
    bad = None
    if bad_cls is not None:
        bad_cls = V.full(bad_cls, len(sizes))
        nonempty = np.flatnonzero(total)
        b = np.zeros(nseg, dtype=np.int64)
        if len(nonempty):
            b[nonempty] = np.add.reduceat(bad_cls.view(np.int8), off[:-1][nonempty], dtype=np.int64)
        bad = b > 0 if b.any() else None
    out = _Cuts(counts, total, bad, tunk, {id(x): i for i, x in enumerate(needs)})
    ctx.memo[key] = out  # type: ignore[index]
    return out


def _distinct(t: Any) -> list[int]:
    """The distinct values of an int64 array of thresholds (a handful, over a short
    range: a bincount over the range instead of a sort or a hash)."""
    import numpy as np

    if not len(t):
        return []
    lo, hi = int(t.min()), int(t.max())
    if lo == hi:  # one threshold for every segment (a constant)
        return [lo]
    if hi - lo > 1 << 16:
        return [int(x) for x in np.unique(t)]
    return (np.flatnonzero(np.bincount(t - lo)) + lo).tolist()  # type: ignore[no-any-return]


def _lookup_counts(sizes: Any, off: Any, cuts: list[int]) -> dict[int, Any]:
    """Per school segment, the number of classes of size ≥ t for each t in ``cuts``."""
    import numpy as np

    nseg = len(off) - 1
    if not cuts:
        return {}
    per_row = np.diff(off)
    bits = max(int(per_row.max(initial=0)).bit_length(), 1)
    # 32-bit words when every counter fits one (half the memory traffic of the gather)
    wide = len(cuts) * bits > 31
    dtype = np.int64 if wide else np.int32
    per_word = max((63 if wide else 31) // bits, 1)
    top = int(sizes.max(initial=0)) + 1 if len(sizes) else 1
    grid = np.arange(top, dtype=dtype)
    words = []
    for w0 in range(0, len(cuts), per_word):
        lut = np.zeros(top, dtype=dtype)
        for slot, t in enumerate(cuts[w0 : w0 + per_word]):
            lut += (grid >= t).astype(dtype) << (bits * slot)
        words.append(lut)
    nonempty = np.flatnonzero(per_row)
    starts = off[:-1][nonempty]
    sums = [np.zeros(len(nonempty), dtype=dtype) for _ in words]
    # chunks of whole segments, about _CHUNK classes each
    bounds = np.searchsorted(starts, np.arange(0, int(off[-1]), _CHUNK, dtype=np.int64))
    bounds = np.append(bounds, len(starts))
    # sorted already: drop repeats without np.unique (whose first plain call imports
    # numpy.ma, ~25 ms of a national run)
    bounds = bounds[np.concatenate(([True], bounds[1:] != bounds[:-1]))]
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        lo = int(starts[a])
        hi = int(starts[b]) if b < len(starts) else int(off[-1])
        chunk = sizes[lo:hi]
        rel = starts[a:b] - lo
        for lut, out in zip(words, sums, strict=True):
            # take, not lut[chunk]: it gathers with the small sizes as indices directly
            out[a:b] = np.add.reduceat(lut.take(chunk), rel)
    result: dict[int, Any] = {}
    mask = (1 << bits) - 1
    for i, t in enumerate(cuts):
        word = sums[i // per_word]
        arr = np.zeros(nseg, dtype=np.int64)
        arr[nonempty] = (word.astype(np.int64) >> (bits * (i % per_word))) & mask
        result[t] = arr
    return result


def _aggregate(ctx: Ctx, scope: ScopeKind, fn: str, need: _Need, cut: _Cuts) -> Num:
    """The aggregate for every entity of ``scope`` from the per-segment counters."""
    import numpy as np

    from eduint.engine.columnar._groups import _sum, class_groups

    frame = ctx.frame
    g = class_groups(frame, scope)
    rows = g.rows if g.rows is not None else slice(None)
    idx = cut.order[id(need)]
    per = cut.counts[idx][rows]
    tot = cut.total[rows]
    # undecided sizes, or a threshold unknown for the segment: the filter is undecided
    bad = cut.bad
    tun = cut.tunk[idx]
    if tun is not None:
        tun = V.full(tun, len(cut.total)) & (cut.total > 0)
        bad = tun if bad is None else bad | tun
    defer = None
    if bad is not None:
        b = bad[rows]
        if b.any():
            defer = np.bincount(g.ids[b], minlength=g.n) > 0
    missing = None if g.status is None else g.status > 0
    yes = np.rint(_sum(g.ids, per.astype(np.float64), g.n)).astype(np.int64)
    if fn == "count":
        top = int(yes.max(initial=0))
        return Num(g.n, yes, 1, top, 1, True, unk=missing, defer=defer)
    total = np.rint(_sum(g.ids, tot.astype(np.float64), g.n)).astype(np.int64)
    empty = total == 0
    unknown = missing
    if empty.any():
        unknown = V.mask_or(unknown, empty)
    top = int(total.max(initial=1))
    return Num(g.n, yes, np.where(empty, 1, total), top, max(top, 1), True, unk=unknown,
               defer=defer)

