"""Column values of the columnar engine: one value per entity of a scope, with masks.

A column value stands for the values an expression takes for every entity (row) of
one scope, across all counties.  Three kinds:

* :class:`Num`, a number per row, in one of two forms:

  - **exact**: ``n / d`` with ``n`` an int64 array (or a Python int for a constant) and
    ``d`` a positive int64 array or Python int, so the value of every row is the exact
    rational :mod:`eduint.core.values` would compute.  ``nmax`` and ``dmax`` are exact
    upper bounds of ``|n|`` and ``d`` (Python ints): every operation checks, before it
    multiplies, that its results stay below 2⁶³, so int64 arithmetic never overflows;
    when it could, the operation switches to the float form;
  - **float**: ``f`` (float64) with ``err``, a certified bound of ``|f − exact value|``
    per row, derived from the operations and magnitudes (``u = 2⁻⁵³`` per rounding).
    A comparison decides a row only when the two sides are further apart than their
    bounds; the rows it cannot decide are *near* and go to the exact path.

* :class:`Bool`, a condition per row (Kleene: true, false or unknown);
* :class:`Sym`, a symbol or text per row (codes into ``cats``).

Every column value carries three masks (``None`` when no row is set):

* ``unk``: the value is unknown (a missing figure, a division by 0 …); ``kind`` gives
  the :class:`~eduint.core.values.Kind` rank of each unknown row (``None``: all
  ``MISSING``), which decides the outcome an unknown requirement gets;
* ``defer``: the row's value is not a plain number here (a range such as ``30多``, an
  approximate figure, a list that needs the record engine's rules) or a comparison of it
  was too close to call in float64: the entity that reads it is decided by the record
  engine, exactly as a single-county run decides it.

Values at masked rows are placeholders (``n = 0``, ``d = 1``, ``f = 0``) and never used.
numpy is imported inside functions (start-up cost; see ``tests/test_layers.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eduint.core.values import Kind

if TYPE_CHECKING:
    import numpy.typing as npt

    Arr = npt.NDArray[Any]
else:
    Arr = Any

__all__ = [
    "KIND_RANK",
    "LIMIT",
    "U",
    "Bool",
    "Num",
    "Stats",
    "Sym",
    "Unsupported",
    "add",
    "and_",
    "at_least",
    "choose",
    "compare",
    "div",
    "floor_ceil",
    "mask_or",
    "merge",
    "mul",
    "neg",
    "not_",
    "or_",
    "pick",
    "broadcast",
    "constant",
    "sym_equal",
    "take",
    "to_float",
]

#: The unit roundoff of float64.
U = 2.0**-53
#: The largest magnitude an int64 result may reach.
LIMIT = 2**63 - 1
#: Kind → rank (the precedence of :class:`Kind`, lowest first).
KIND_RANK = {k: i for i, k in enumerate(Kind)}
_OPS = (">=", ">", "<=", "<", "==", "!=")


class Stats:
    """What one columnar evaluation counts (reported with its results).

    Attributes:
        int_compares: row comparisons decided in int64 by cross-multiplication.
        float_compares: row comparisons decided in float64 outside the error bound.
        big_compares: row comparisons whose int64 products could overflow, decided with
            Python integers.
        near: row decisions within their error bound of the threshold, decided exactly
            by the record engine (the *exact path*).
    """

    def __init__(self) -> None:
        self.int_compares = 0
        self.float_compares = 0
        self.big_compares = 0
        self.near = 0


class _Col:
    """The masks every column value has (see the module doc)."""

    __slots__ = ("defer", "kind", "size", "unk")

    def __init__(self, size: int | None, unk: Any, kind: Any, defer: Any) -> None:
        self.size = size  # None for a constant (the same for every row)
        self.unk = unk
        self.kind = kind
        self.defer = defer


class Num(_Col):
    """A number per row (see the module doc).

    Attributes:
        n, d: the exact form (``n`` is ``None`` in the float form).
        nmax, dmax: upper bounds of ``|n|`` and ``d`` (exact form).
        nonneg: True when every ``n`` is ≥ 0 (exact form).
        f, err: the float form: values and absolute error bounds (an array, or a float
            for every row).
    """

    __slots__ = ("d", "dmax", "err", "f", "n", "nmax", "nonneg")

    def __init__(
        self,
        size: int | None,
        n: Any = None,
        d: Any = 1,
        nmax: int = 0,
        dmax: int = 1,
        nonneg: bool = False,
        f: Any = None,
        err: Any = 0.0,
        unk: Any = None,
        kind: Any = None,
        defer: Any = None,
    ) -> None:
        super().__init__(size, unk, kind, defer)
        self.n = n
        self.d = d
        self.nmax = nmax
        self.dmax = dmax
        self.nonneg = nonneg
        self.f = f
        self.err = err

    @property
    def exact(self) -> bool:
        """True in the exact form."""
        return self.n is not None


class Bool(_Col):
    """A condition per row: ``v`` (meaningful where neither unknown nor deferred)."""

    __slots__ = ("v",)

    def __init__(
        self, size: int | None, v: Any, unk: Any = None, kind: Any = None, defer: Any = None
    ) -> None:
        super().__init__(size, unk, kind, defer)
        self.v = v


class Sym(_Col):
    """A symbol or text per row: ``codes`` index ``cats`` (-1 where masked)."""

    __slots__ = ("cats", "codes")

    def __init__(
        self,
        size: int | None,
        codes: Any,
        cats: tuple[str, ...],
        unk: Any = None,
        kind: Any = None,
        defer: Any = None,
    ) -> None:
        super().__init__(size, unk, kind, defer)
        self.codes = codes
        self.cats = cats


# ------------------------------------------------------------------ masks


def mask_or(a: Any, b: Any) -> Any:
    """``a | b`` for masks that may be ``None`` (no row) or ``True`` (every row)."""
    if a is None or a is False:
        return b
    if b is None or b is False:
        return a
    if a is True or b is True:
        return True
    return a | b


def _size(*cols: _Col) -> int | None:
    for c in cols:
        if c.size is not None:
            return c.size
    return None


def full(mask: Any, size: int | None) -> Any:
    """A mask as an array of ``size`` rows (``None`` stays ``None``)."""
    import numpy as np

    if mask is None or size is None or mask is not True:
        return mask
    return np.ones(size, dtype=bool)


def _kind_of(c: _Col) -> Any:
    """The kind rank of ``c``'s unknown rows: -1 where known (``None``: no unknown)."""
    import numpy as np

    if c.unk is None:
        return None
    k = c.kind if c.kind is not None else 0
    if c.unk is True:
        return k
    if isinstance(k, int):
        if k == 0:
            return np.where(c.unk, 0, -1).astype(np.int8)
        return np.where(c.unk, k, -1).astype(np.int8)
    return np.where(c.unk, k, -1).astype(np.int8)


def merge(*cols: _Col) -> tuple[Any, Any, Any]:
    """The masks of a value computed from ``cols``: unknown where any is (the kind of
    highest precedence among the unknown ones: :func:`eduint.core.values.unknown`),
    deferred where any is."""
    import numpy as np

    unk: Any = None
    defer: Any = None
    kinds = []
    for c in cols:
        unk = mask_or(unk, c.unk)
        defer = mask_or(defer, c.defer)
        if c.unk is not None and c.kind is not None and not _zero(c.kind):
            kinds.append(c)
    kind: Any = None
    if kinds:
        if len(kinds) == 1 and all(c.unk is None for c in cols if c is not kinds[0]):
            kind = kinds[0].kind
        else:
            ranks = [r for r in (_kind_of(c) for c in cols) if r is not None]
            kind = ranks[0]
            for r in ranks[1:]:
                kind = np.maximum(kind, r)
            if not isinstance(kind, int):
                kind = np.maximum(kind, 0).astype(np.int8)
            else:
                kind = max(kind, 0)
    return unk, kind, defer


def _zero(k: Any) -> bool:
    return isinstance(k, int) and k == 0


def _with(out: _Col, unk: Any, kind: Any, defer: Any) -> Any:
    out.unk, out.kind, out.defer = unk, kind, defer
    return out


# ------------------------------------------------------------------ numbers


def _same(a: Any, b: Any) -> bool:
    """True when two denominators are the same for every row (equal ints, one array)."""
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    return a is b


def to_float(x: Num) -> Num:
    """The float form of ``x`` (itself when it has it)."""
    import numpy as np

    if x.n is None:
        return x
    if x.size is None:
        f = x.n / x.d  # Python ints: correctly rounded
        return Num(None, f=f, err=abs(f) * U, unk=x.unk, kind=x.kind, defer=x.defer)
    f = np.true_divide(x.n, x.d, dtype=np.float64)
    # one rounding when n and d are exact in float64, else three (n, d, the quotient)
    c = U if (x.nmax <= 2**53 and x.dmax <= 2**53) else 3 * U
    return Num(x.size, f=f, err=np.abs(f) * c, unk=x.unk, kind=x.kind, defer=x.defer)


def _fnum(size: int | None, f: Any, err: Any, masks: tuple[Any, Any, Any]) -> Num:
    return _with(Num(size, f=f, err=err), *masks)  # type: ignore[no-any-return]


def add(a: Num, b: Num, sign: int = 1) -> Num:
    """``a + b`` (``sign`` -1: ``a - b``)."""
    import numpy as np

    masks = merge(a, b)
    size = _size(a, b)
    if a.exact and b.exact:
        if _same(a.d, b.d):
            nmax = a.nmax + b.nmax
            if nmax <= LIMIT:
                n = a.n + b.n if sign > 0 else a.n - b.n
                nonneg = a.nonneg and b.nonneg and sign > 0
                return _with(Num(size, n, a.d, nmax, a.dmax, nonneg), *masks)  # type: ignore[no-any-return]
        else:
            nmax = a.nmax * b.dmax + b.nmax * a.dmax
            dmax = a.dmax * b.dmax
            if nmax <= LIMIT and dmax <= LIMIT:
                left, right = a.n * b.d, b.n * a.d
                n = left + right if sign > 0 else left - right
                nonneg = a.nonneg and b.nonneg and sign > 0
                return _with(Num(size, n, a.d * b.d, nmax, dmax, nonneg), *masks)  # type: ignore[no-any-return]
    fa, fb = to_float(a), to_float(b)
    f = fa.f + fb.f if sign > 0 else fa.f - fb.f
    return _fnum(size, f, fa.err + fb.err + np.abs(f) * U, masks)


def neg(a: Num) -> Num:
    """``-a``."""
    if a.exact:
        return _with(Num(a.size, -a.n, a.d, a.nmax, a.dmax), a.unk, a.kind, a.defer)  # type: ignore[no-any-return]
    return _with(Num(a.size, f=-a.f, err=a.err), a.unk, a.kind, a.defer)  # type: ignore[no-any-return]


def mul(a: Num, b: Num) -> Num:
    """``a × b``."""
    import numpy as np

    masks = merge(a, b)
    size = _size(a, b)
    if a.exact and b.exact:
        nmax, dmax = a.nmax * b.nmax, a.dmax * b.dmax
        if nmax <= LIMIT and dmax <= LIMIT:
            d = b.d if _one(a.d) else (a.d if _one(b.d) else a.d * b.d)
            return _with(Num(size, a.n * b.n, d, nmax, dmax, a.nonneg and b.nonneg), *masks)  # type: ignore[no-any-return]
    fa, fb = to_float(a), to_float(b)
    f = fa.f * fb.f
    err = np.abs(fa.f) * fb.err + np.abs(fb.f) * fa.err + fa.err * fb.err + np.abs(f) * U
    return _fnum(size, f, err, masks)


def _one(d: Any) -> bool:
    return isinstance(d, int) and d == 1


def div(a: Num, b: Num) -> Num:
    """``a ÷ b``; unknown where ``b`` is 0 (:attr:`~eduint.core.values.Code.DIVISION_BY_ZERO`)."""
    import numpy as np

    unk, kind, defer = merge(a, b)
    size = _size(a, b)
    if b.exact and b.size is None:
        if b.n == 0:
            return Num(size, 0, 1, 0, 1, True, unk=True, kind=kind, defer=defer)
        if a.exact:
            nmax, dmax = a.nmax * b.dmax, a.dmax * abs(b.n)
            if nmax <= LIMIT and dmax <= LIMIT:
                s = 1 if b.n > 0 else -1
                n = a.n * (b.d * s) if b.d != 1 or s != 1 else a.n
                return Num(size, n, a.d * abs(b.n), nmax, dmax, a.nonneg and s > 0,
                           unk=unk, kind=kind, defer=defer)
    elif b.exact:
        zero = b.n == 0
        if zero.any():
            unk = mask_or(unk, zero)
        if a.exact:
            nmax, dmax = a.nmax * b.dmax, a.dmax * b.nmax
            if nmax <= LIMIT and dmax <= LIMIT:
                if b.nonneg:
                    bn = b.n if not zero.any() else np.where(zero, 1, b.n)
                    n = a.n if _one(b.d) else a.n * b.d
                    d = bn if _one(a.d) else a.d * bn
                    return Num(size, n, d, nmax, dmax, a.nonneg, unk=unk, kind=kind, defer=defer)
                sgn = np.sign(b.n)
                bn = np.where(zero, 1, np.abs(b.n))
                n = a.n * (b.d * sgn)
                return Num(size, n, a.d * bn, nmax, dmax, False, unk=unk, kind=kind, defer=defer)
    fa, fb = to_float(a), to_float(b)
    absb = np.abs(fb.f)
    # the divisor's exact value may be 0 where its bound reaches 0: decided exactly
    unsure = absb <= fb.err
    if size is not None and np.any(unsure):
        z = full(unsure, size) if not isinstance(unsure, bool) else np.ones(size, bool)
        defer = mask_or(defer, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(unsure, 1.0, fb.f) if size is not None else (fb.f or 1.0)
        f = fa.f / safe
        room = np.where(unsure, 1.0, absb * (absb - fb.err)) if size is not None else 1.0
        err = (fa.err * absb + np.abs(fa.f) * fb.err) / room + np.abs(f) * U
    return _fnum(size, f, err, (unk, kind, defer))


def floor_ceil(a: Num, up: bool) -> Num:
    """``floor(a)`` or ``ceil(a)`` (a whole number); exact form only, else ``None``."""
    import numpy as np

    if not a.exact:
        raise Unsupported("ceil/floor of a float")
    if _one(a.d):
        return a
    q = -((-a.n) // a.d) if up else a.n // a.d
    if a.size is None:
        q = int(q)
    else:
        q = np.asarray(q)
    return _with(Num(a.size, q, 1, a.nmax, 1, a.nonneg), a.unk, a.kind, a.defer)  # type: ignore[no-any-return]


class Unsupported(Exception):
    """An expression, or a use of it, the columnar engine does not compile: its rule is
    evaluated by the record engine instead."""


# ------------------------------------------------------------ comparisons


def _holds(op: str, left: Any, right: Any) -> Any:
    import numpy as np

    if op == ">=":
        return np.greater_equal(left, right)
    if op == ">":
        return np.greater(left, right)
    if op == "<=":
        return np.less_equal(left, right)
    if op == "<":
        return np.less(left, right)
    if op == "==":
        return np.equal(left, right)
    if op == "!=":
        return np.not_equal(left, right)
    raise ValueError(f"not a comparison: {op!r}")


def compare(op: str, a: Num, b: Num, stats: Stats) -> Bool:
    """``a op b``, exactly: int64 cross-multiplication where the products fit, Python
    integers for rows whose products could overflow, and float64 outside the error
    bound otherwise; rows within the bound are deferred (the exact path)."""
    import numpy as np

    unk, kind, defer = merge(a, b)
    size = _size(a, b)
    if a.exact and b.exact:
        if _same(a.d, b.d):
            left, right, lmax, rmax = a.n, b.n, a.nmax, b.nmax
        else:
            left, right = None, None
            lmax, rmax = a.nmax * b.dmax, b.nmax * a.dmax
        if lmax <= LIMIT and rmax <= LIMIT:
            if left is None:
                left = a.n if _one(b.d) else a.n * b.d
                right = b.n if _one(a.d) else b.n * a.d
            stats.int_compares += size or 1
            return Bool(size, _holds(op, left, right), unk, kind, defer)
        return Bool(size, _big_compare(op, a, b, size, stats), unk, kind, defer)
    fa, fb = to_float(a), to_float(b)
    diff = fa.f - fb.f
    tol = (fa.err + fb.err) * (1 + 8 * U) + np.abs(diff) * (2 * U)
    near = np.abs(diff) <= tol
    if size is None:
        if near:
            raise Unsupported("a constant comparison too close to call")
        return Bool(None, bool(_holds(op, diff, 0.0)), unk, kind, defer)
    near = np.asarray(near)
    if near.any():
        live = near
        if unk is not None:
            live = live & ~full(unk, size)
        if defer is not None:
            live = live & ~full(defer, size)
        stats.near += int(np.count_nonzero(live))
        defer = mask_or(defer, near)
    stats.float_compares += size
    return Bool(size, _holds(op, diff, 0.0), unk, kind, defer)


def _big_compare(op: str, a: Num, b: Num, size: int | None, stats: Stats) -> Any:
    """A comparison of exact numbers whose int64 products could overflow: rows that fit
    in int64 (judged in float64 with room to spare) are compared there, the others with
    Python integers."""
    import numpy as np

    if size is None:
        stats.big_compares += 1
        return _holds(op, int(a.n) * int(b.d), int(b.n) * int(a.d))
    an, bn = np.broadcast_to(a.n, (size,)), np.broadcast_to(b.n, (size,))
    ad, bd = np.broadcast_to(a.d, (size,)), np.broadcast_to(b.d, (size,))
    lf = np.abs(an.astype(np.float64)) * bd.astype(np.float64)
    rf = np.abs(bn.astype(np.float64)) * ad.astype(np.float64)
    risky = (lf > 2.0**62) | (rf > 2.0**62)
    out = np.empty(size, dtype=bool)
    safe = ~risky
    out[safe] = _holds(op, an[safe] * bd[safe], bn[safe] * ad[safe])
    idx = np.flatnonzero(risky)
    stats.big_compares += len(idx)
    stats.int_compares += size - len(idx)
    if len(idx):
        lhs = [int(x) * int(y) for x, y in zip(an[idx].tolist(), bd[idx].tolist(), strict=True)]
        rhs = [int(x) * int(y) for x, y in zip(bn[idx].tolist(), ad[idx].tolist(), strict=True)]
        out[idx] = [bool(_holds(op, x, y)) for x, y in zip(lhs, rhs, strict=True)]
    return out


def sym_equal(a: Sym, b: Sym, negate: bool) -> Bool:
    """``a == b`` (``negate``: ``!=``) for symbols or text."""
    import numpy as np

    unk, kind, defer = merge(a, b)
    size = _size(a, b)
    # map b's categories onto a's
    if a.cats == b.cats:
        v = np.equal(a.codes, b.codes)
    elif b.size is None:
        code = a.cats.index(b.cats[b.codes]) if b.cats[b.codes] in a.cats else -2
        v = np.equal(a.codes, code)
    elif a.size is None:
        code = b.cats.index(a.cats[a.codes]) if a.cats[a.codes] in b.cats else -2
        v = np.equal(b.codes, code)
    else:
        names = {c: i for i, c in enumerate(a.cats)}
        remap = np.array([names.get(c, -2) for c in b.cats] + [-3], dtype=np.int64)
        v = np.equal(a.codes, remap[b.codes])
    if negate:
        v = ~v if size is not None else not v
    return Bool(size, v, unk, kind, defer)


# ------------------------------------------------------------------ logic


def _known_false(x: Bool) -> Any:
    """Rows where ``x`` is decided false (not unknown, not deferred)."""
    import numpy as np

    f = np.logical_not(x.v)
    if x.unk is not None:
        f = f & ~_arr(x.unk, x.size)
    if x.defer is not None:
        f = f & ~_arr(x.defer, x.size)
    return f


def _known_true(x: Bool) -> Any:
    import numpy as np

    t = np.asarray(x.v) if x.size is not None else x.v
    if x.unk is not None:
        t = t & ~_arr(x.unk, x.size)
    if x.defer is not None:
        t = t & ~_arr(x.defer, x.size)
    return t


def _arr(mask: Any, size: int | None) -> Any:
    import numpy as np

    if mask is True:
        return np.ones(size, dtype=bool) if size is not None else True
    return mask


def not_(x: Bool) -> Bool:
    """Kleene ``not``."""
    import numpy as np

    return Bool(x.size, np.logical_not(x.v) if x.size is not None else not x.v,
                x.unk, x.kind, x.defer)


def and_(a: Bool, b: Bool) -> Bool:
    """Kleene ``and``: false where either is false (a deferred side does not matter then)."""
    return _logic(a, b, is_and=True)


def or_(a: Bool, b: Bool) -> Bool:
    """Kleene ``or``: true where either is true."""
    return _logic(a, b, is_and=False)


def _logic(a: Bool, b: Bool, is_and: bool) -> Bool:
    import numpy as np

    size = _size(a, b)
    if a.unk is None and a.defer is None and b.unk is None and b.defer is None:
        v = (np.logical_and if is_and else np.logical_or)(a.v, b.v)
        return Bool(size, v if size is not None else bool(v))
    decide_a = _known_false(a) if is_and else _known_true(a)
    decide_b = _known_false(b) if is_and else _known_true(b)
    decided = np.logical_or(decide_a, decide_b)
    v = np.logical_and(a.v, b.v) if is_and else np.logical_or(a.v, b.v)
    v = np.where(decided, not is_and, v)
    unk, kind, _ = merge(a, b)
    if unk is not None:
        unk = np.logical_and(_arr(unk, size), np.logical_not(decided))
    defer = None
    if a.defer is not None:
        defer = np.logical_and(_arr(a.defer, size), np.logical_not(decide_b))
    if b.defer is not None:
        db = np.logical_and(_arr(b.defer, size), np.logical_not(decide_a))
        defer = db if defer is None else defer | db
    if size is None:
        return Bool(None, bool(v), bool(unk) or None, kind, bool(defer) or None)
    return Bool(size, v, unk, kind, defer)


def at_least(k: int, items: list[Bool]) -> Bool:
    """Kleene ``at_least(k, [conditions])``: true when ``k`` hold, false when even every
    unknown holding would not reach ``k``, else unknown (deferred where a deferred
    condition could change that)."""
    import numpy as np

    size = _size(*items)
    if size is None:
        raise Unsupported("at_least over constants")
    true = np.zeros(size, dtype=np.int16)
    maybe = np.zeros(size, dtype=np.int16)
    deferred = np.zeros(size, dtype=np.int16)
    plain = True
    for x in items:
        if x.unk is None and x.defer is None:
            true += np.broadcast_to(np.asarray(x.v, dtype=bool), (size,))
            continue
        plain = False
        true += _known_true(x)
        if x.unk is not None:
            u = _arr(x.unk, size)
            maybe += u if x.defer is None else u & ~_arr(x.defer, size)
        if x.defer is not None:
            deferred += _arr(x.defer, size)
    if plain:
        return Bool(size, true >= k)
    yes = true >= k
    no = (true + maybe + deferred) < k
    unk_any, kind, _ = merge(*items)
    unk = ~yes & ~no & (deferred == 0) & (maybe > 0)
    defer = ~yes & ~no & (deferred > 0)
    if kind is not None and not isinstance(kind, int):
        kind = np.where(unk, kind, 0).astype(np.int8)
    return Bool(size, yes, unk if unk.any() else None, kind, defer if defer.any() else None)


# ------------------------------------------------------------- selection


def choose(cond: Bool, a: Any, b: Any) -> Any:
    """``if cond then a else b`` per row: an unknown condition is the value (its kind)."""
    import numpy as np

    size = _size(cond, a, b)
    if size is None:
        raise Unsupported("a constant condition")
    c = np.broadcast_to(np.asarray(cond.v, dtype=bool), (size,))
    out = pick(c, a, b, size)
    unk = mask_or(cond.unk, None)
    pu = mask_or(_sel(c, a.unk, b.unk, size), None)
    unk = mask_or(unk, pu)
    kind: Any = None
    if cond.kind is not None or a.kind is not None or b.kind is not None:
        kc = _kind_of(cond)
        ka = _kind_of(a) if a.unk is not None else None
        kb = _kind_of(b) if b.unk is not None else None
        sel = np.full(size, -1, dtype=np.int8)
        if ka is not None:
            sel = np.where(c, ka, sel)
        if kb is not None:
            sel = np.where(~c, kb, sel)
        if kc is not None:
            cu = _arr(cond.unk, size)
            sel = np.where(cu, kc, sel)
        kind = np.maximum(sel, 0).astype(np.int8)
    defer = mask_or(cond.defer, _sel(c, a.defer, b.defer, size))
    out.unk, out.kind, out.defer = unk, kind, defer
    return out


def _sel(c: Any, x: Any, y: Any, size: int) -> Any:
    import numpy as np

    if x is None and y is None:
        return None
    xa = _arr(x, size) if x is not None else np.zeros(size, bool)
    ya = _arr(y, size) if y is not None else np.zeros(size, bool)
    return np.where(c, xa, ya)


def pick(c: Any, a: Any, b: Any, size: int) -> Any:
    """The values of ``a`` where ``c``, else ``b`` (same kind of column; masks not set)."""
    import numpy as np

    if isinstance(a, Bool):
        return Bool(size, np.where(c, a.v, b.v))
    if isinstance(a, Sym):
        if a.cats != b.cats:
            raise Unsupported("symbols of different kinds")
        return Sym(size, np.where(c, a.codes, b.codes), a.cats)
    if a.exact and b.exact:
        n = np.where(c, a.n, b.n)
        d = a.d if _same(a.d, b.d) else np.where(c, a.d, b.d)
        return Num(size, n, d, max(a.nmax, b.nmax), max(a.dmax, b.dmax), a.nonneg and b.nonneg)
    fa, fb = to_float(a), to_float(b)
    return Num(size, f=np.where(c, fa.f, fb.f), err=np.where(c, fa.err, fb.err))


def take(x: Any, idx: Any) -> Any:
    """The rows ``idx`` of a column value (a constant stays a constant)."""
    if x.size is None:
        return x
    size = len(idx)

    def m(mask: Any) -> Any:
        if mask is None or mask is True:
            return mask
        out = mask[idx]
        return out if out.any() else None

    unk, defer = m(x.unk), m(x.defer)
    kind = x.kind if (x.kind is None or isinstance(x.kind, int)) else x.kind[idx]
    if isinstance(x, Bool):
        return Bool(size, x.v[idx], unk, kind, defer)
    if isinstance(x, Sym):
        return Sym(size, x.codes[idx], x.cats, unk, kind, defer)
    if x.exact:
        d = x.d if isinstance(x.d, int) else x.d[idx]
        return Num(size, x.n[idx], d, x.nmax, x.dmax, x.nonneg, unk=unk, kind=kind, defer=defer)
    err = x.err if isinstance(x.err, float) else x.err[idx]
    return Num(size, f=x.f[idx], err=err, unk=unk, kind=kind, defer=defer)


def constant(value: Any) -> Any:
    """A value of :mod:`eduint.core.values` as a constant column value.

    Raises:
        Unsupported: a value that is not a number, condition, symbol or unknown (a range
            or a list).
    """
    from fractions import Fraction

    from eduint.core import values as cv

    t = type(value)
    if t is int or t is Fraction:
        n, d = (value, 1) if t is int else (value.numerator, value.denominator)
        if abs(n) > LIMIT or d > LIMIT:
            f = float(value)
            return Num(None, f=f, err=abs(f) * U)
        return Num(None, n, d, abs(n), d, n >= 0)
    if t is bool:
        return Bool(None, value)
    if t is str:
        return Sym(None, 0, (value,))
    if t is cv.Unknown:
        return Num(None, 0, 1, 0, 1, True, unk=True, kind=KIND_RANK[value.kind])
    raise Unsupported(f"a constant {value!r}")


def broadcast(x: Any, size: int) -> Any:
    """A constant column value as ``size`` rows (an array value is returned as is)."""
    import numpy as np

    if x.size is not None:
        return x
    unk = np.ones(size, dtype=bool) if x.unk is True else None
    defer = np.ones(size, dtype=bool) if x.defer is True else None
    if isinstance(x, Bool):
        return Bool(size, np.full(size, bool(x.v)), unk, x.kind, defer)
    if isinstance(x, Sym):
        return Sym(size, np.full(size, x.codes, dtype=np.int64), x.cats, unk, x.kind, defer)
    if x.exact:
        return Num(size, np.full(size, x.n, dtype=np.int64), x.d, x.nmax, x.dmax, x.nonneg,
                   unk=unk, kind=x.kind, defer=defer)
    return Num(size, f=np.full(size, x.f), err=float(x.err), unk=unk, kind=x.kind, defer=defer)
