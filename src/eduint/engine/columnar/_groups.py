"""Group reductions shared by the aggregates, the 差异系数 and the packed class counts.

:class:`Group` (the members of every entity of a scope, over the rows of another, with a
group id per member), sums and "any" per group, and aggregates over classes reduced per
school segment over the CSR offsets.  Split from :mod:`._aggregates` so that
:mod:`._cv` and :mod:`._packed` use them without an import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eduint.checking.schema import ScopeKind
from eduint.engine.columnar import _values as V
from eduint.engine.columnar._values import Bool, Num, Unsupported

if TYPE_CHECKING:
    from eduint.engine.columnar.frame import Frame

__all__ = [
    "Group",
    "class_groups",
    "class_members",
    "count_num",
    "filter_masks",
    "gather",
    "over_classes",
]

CLASS, SEGMENT = ScopeKind.CLASS, ScopeKind.SEGMENT

class Group:
    """The members of every entity of an aggregate's scope, over rows of its ``over``.

    Attributes:
        n: the number of entities (groups).
        rows: member rows of ``over`` (``None``: every row, in order).
        ids: each member's group.
        status: per group, list complete (0), incomplete (1) or missing (2); or ``None``.
        mult: each member's multiplicity, or ``None`` (all 1).
    """

    def __init__(self, n: int, rows: Any, ids: Any, status: Any, mult: Any) -> None:
        self.n = n
        self.rows = rows
        self.ids = ids
        self.status = status
        self.mult = mult


def gather(frame: Frame, scope: ScopeKind, over: ScopeKind) -> Group:
    """The members of every entity of ``scope`` over ``over`` (``over`` not class)."""
    n = frame.tables[scope].n
    if scope == over:
        import numpy as np

        return Group(n, None, np.arange(n, dtype=np.int64), None, frame.tables[over].mult)
    m = frame.members(scope, over)
    mult = frame.tables[over].mult
    if mult is not None and m.rows is not None:
        mult = mult[m.rows]
    return Group(n, m.rows, m.groups, m.status, mult)


def class_groups(frame: Frame, scope: ScopeKind) -> Group:
    """The school segments whose classes each entity of ``scope`` ranges over, with the
    status of the class lists folded in (a segment's class list that is missing or
    incomplete makes the entity's list incomplete)."""
    import numpy as np

    g = gather(frame, scope, SEGMENT)
    cs = frame.class_status
    if cs is None:
        return g
    seg_rows = g.rows if g.rows is not None else np.arange(len(g.ids))
    bad = cs[seg_rows] > 0
    status = np.zeros(g.n, dtype=np.int8) if g.status is None else g.status.copy()
    if bad.any():
        hit = np.bincount(g.ids[bad], minlength=g.n) > 0
        status = np.where(hit & (status == 0), 1, status).astype(np.int8)
    return Group(g.n, g.rows, g.ids, status if status.any() else None, g.mult)


def class_members(frame: Frame, scope: ScopeKind) -> Group:
    """The classes of every entity of ``scope`` as members (for ``sum``, ``mean``,
    ``min``, ``max``, ``all``, ``any`` over classes): each school segment of
    :func:`class_groups` expanded to its classes over the CSR offsets, the status of the
    class lists kept."""
    import numpy as np

    g = class_groups(frame, scope)
    off = frame.class_offsets
    seg_rows = g.rows if g.rows is not None else np.arange(len(g.ids), dtype=np.int64)
    counts = np.diff(off)[seg_rows]
    starts = off[:-1][seg_rows]
    ids = np.repeat(g.ids, counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    rows = np.repeat(starts, counts) + (np.arange(len(ids), dtype=np.int64) - first)
    mult = frame.tables[CLASS].mult
    return Group(g.n, rows, ids, g.status, mult[rows] if mult is not None else None)


def _sum(ids: Any, weights: Any, n: int) -> Any:
    import numpy as np

    return np.bincount(ids, weights=weights, minlength=n)


def _any(ids: Any, mask: Any, n: int) -> Any:
    import numpy as np

    if mask is None:
        return None
    if mask is True:
        mask = np.ones(len(ids), dtype=bool)
    if not mask.any():
        return None
    return np.bincount(ids[mask], minlength=n) > 0


def _max_kind(ids: Any, x: Any, mask: Any, n: int) -> Any:
    """Per group, the highest kind rank of the members' unknowns in ``mask``."""
    import numpy as np

    if x.kind is None or mask is None:
        return None
    ranks = np.broadcast_to(np.asarray(x.kind, dtype=np.int8), (len(ids),))
    out = np.zeros(n, dtype=np.int8)
    sel = np.flatnonzero(mask)
    np.maximum.at(out, ids[sel], ranks[sel])
    return out if out.any() else None



def count_num(total: Any, missing: Any, defer: Any, n: int) -> Num:
    import numpy as np

    counts = np.rint(total).astype(np.int64)
    top = int(counts.max(initial=0))
    return Num(n, counts, 1, top, 1, True, unk=missing, defer=defer)



# ----------------------------------------------------------------- classes


def over_classes(frame: Frame, scope: ScopeKind, fn: str, w: Bool | None, x: Any) -> Any:
    """An aggregate over classes: reduced per school segment over the CSR offsets, then
    per entity like any aggregate over school segments."""
    import numpy as np

    off = frame.class_offsets
    nseg = len(off) - 1
    counts = np.diff(off)
    nonempty = np.flatnonzero(counts)
    starts = off[:-1][nonempty]
    mult = frame.tables[CLASS].mult

    def per_segment(vals: Any) -> Any:
        out = np.zeros(nseg, dtype=np.float64 if vals.dtype.kind == "f" else np.int64)
        if len(nonempty):
            red = np.add.reduceat(vals if vals.dtype != bool else vals.view(np.int8), starts,
                                  dtype=out.dtype)
            out[nonempty] = red
        return out

    if fn not in ("count", "share"):
        raise Unsupported(f"{fn} over classes")
    ncls = frame.tables[CLASS].n
    keep = filter_masks(w, ncls)
    bad = None
    if fn == "share":
        assert x is not None
        cond = filter_masks(x, ncls)
        yes_v = cond[0] if keep[0] is None else cond[0] & keep[0]
        # unknown conditions make the share a range: the record engine decides those
        for mask in cond[1:]:
            if mask is not None:
                hit = per_segment(mask.astype(np.int8)) > 0
                bad = hit if bad is None else bad | hit
    if keep[0] is None and mult is None:
        seg_count = counts  # every class counts once: the CSR offsets say how many
    else:
        seg_count = per_segment(_weighted(keep[0], mult, ncls))
    und = per_segment(keep[1].astype(np.int8)) > 0 if keep[1] is not None else None
    dfr = per_segment(keep[2].astype(np.int8)) > 0 if keep[2] is not None else None
    g = class_groups(frame, scope)
    rows = g.rows if g.rows is not None else slice(None)
    total = np.rint(_sum(g.ids, seg_count[rows].astype(np.float64), g.n)).astype(np.int64)
    if bad is not None:
        dfr = bad if dfr is None else dfr | bad
    defer = _any(g.ids, dfr[rows] if dfr is not None else None, g.n)
    undg = _any(g.ids, und[rows] if und is not None else None, g.n)
    missing = None if g.status is None else g.status > 0
    if fn == "count":
        return count_num(total.astype(np.float64), missing, V.mask_or(defer, undg), g.n)
    yes_seg = per_segment(_weighted(yes_v, mult, ncls))
    yes = np.rint(_sum(g.ids, yes_seg[rows].astype(np.float64), g.n)).astype(np.int64)
    unknown = V.mask_or(missing, undg)
    empty = total == 0
    if empty.any():
        unknown = V.mask_or(unknown, empty)
    top = int(total.max(initial=1))
    return Num(g.n, yes, np.where(empty, 1, total), top, max(top, 1), True, unk=unknown,
               defer=defer)


def filter_masks(w: Bool | None, size: int) -> tuple[Any, Any, Any]:
    """A filter over ``size`` members (a ``where`` of an aggregate, or a share's
    condition) as three boolean masks: the members it keeps, those it leaves undecided
    (unknown) and those it defers to the record engine; ``None`` for a mask that is
    empty, and ``(None, None, None)`` for no filter."""
    import numpy as np

    if w is None:
        return None, None, None
    v = np.broadcast_to(np.asarray(w.v, dtype=bool), (size,))
    unk, defer = V.full(w.unk, size), V.full(w.defer, size)
    keep = v
    if unk is not None:
        keep = keep & ~unk
    if defer is not None:
        keep = keep & ~defer
        if unk is not None:
            unk = unk & ~defer
    return keep, unk, defer


def _weighted(mask: Any, mult: Any, size: int) -> Any:
    import numpy as np

    if mask is None:
        return mult if mult is not None else np.ones(size, dtype=np.int8)
    if mult is None:
        return mask.view(np.int8)
    return np.where(mask, mult, 0)


