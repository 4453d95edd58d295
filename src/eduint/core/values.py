"""Exact values with coded reasons: the algebra every evaluation uses.

A *value* is one of:

* an **exact number**: an ``int`` or a :class:`fractions.Fraction`, in the canonical
  unit of its dimension (万元 → 元 × 10000, % → 1/100, 亩 → 2000/3 平方米).  ``bool`` is
  never a number here, although Python counts it as an ``int``;
* an :class:`Interval`: a figure known only as a range (``30多`` → 30–39, ``不足10`` →
  0–9) or approximately (``约212`` → 212–212 with ``approx=True``);
* a ``bool``: a decided condition;
* a ``str``: text, or an enum symbol (``小学``, ``乡村``);
* a ``tuple`` of values: a list (the conditions ``at_least`` counts);
* :class:`Unknown`: a value that cannot be known, carrying its :class:`Reason` codes.

Numbers are never floats and never rounded.  A missing figure is :class:`Unknown`,
never 0; a division by zero is :class:`Unknown`, never a verdict.  ``and``, ``or`` and
``not`` follow Kleene's strong three-valued logic (false ∧ unknown = false,
true ∨ unknown = true).  Arithmetic on intervals gives the smallest interval that
contains every result of the operation on points of its operands; a comparison over
intervals is decided only when every pair of points agrees.

Exact results are canonical: an ``int`` whenever whole, else a ``Fraction`` (the ends of
an :class:`Interval` too).  Combining unknowns keeps a fixed precedence of kinds, so that
``and``, ``or``, ``+`` and ``×`` are commutative and associative on unknowns as on
everything else.

The functions here are pure, total on the values the checker lets through, and
property-tested for their laws (``tests/test_values.py``).  A value of the wrong kind
(a ``bool`` in arithmetic or compared with a number, text ordered) raises instead of
being guessed at: ``True`` is never 1.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Sequence
from fractions import Fraction
from typing import TypeAlias

import attrs

__all__ = [
    "Code",
    "Exact",
    "Interval",
    "Kind",
    "Reason",
    "Unknown",
    "Value",
    "add",
    "all_of",
    "and_",
    "any_of",
    "bounds",
    "compare",
    "div",
    "is_number",
    "kleene_count",
    "mul",
    "neg",
    "not_",
    "or_",
    "sub",
    "unknown",
]

Exact: TypeAlias = "int | Fraction"
"""An exact number in a canonical unit (never ``bool``)."""


@attrs.frozen(slots=True)
class Interval:
    """A number known only within ``[lo, hi]`` (canonical unit), or approximately.

    Attributes:
        lo: the smallest value the figure allows (exact).
        hi: the largest value the figure allows (exact); ``lo <= hi``.
        approx: True for an approximate figure (``约212``): it is used as stated and
            flagged, and results computed from it stay flagged.

    An exact figure is never an :class:`Interval` unless it is approximate: use
    :func:`bounds` to read any number as ``(lo, hi, approx)``.
    """

    lo: Exact
    hi: Exact
    approx: bool = False

    @property
    def exact(self) -> bool:
        """True when ``lo == hi`` (a single value, possibly approximate)."""
        return self.lo == self.hi


class Code(str, enum.Enum):
    """Why a value is unknown, or what an evaluation left out.

    The value of each member is its stable code, used by the message catalogue and
    in JSON reports.  Arguments travel in :attr:`Reason.args`.
    """

    MISSING_FIGURE = "missing_figure"
    """A figure is not given.  args: entity, field."""
    DIVISION_BY_ZERO = "division_by_zero"
    """A divisor is 0 or, for a range, may be 0.  args: none."""
    RANGE_UNDECIDED = "range_undecided"
    """A comparison over a figure given as a range is true for part of it only."""
    EMPTY_AGGREGATE = "empty_aggregate"
    """An aggregate that needs at least one entity has none.  args: function, scope."""


class Kind(str, enum.Enum):
    """What kind of unknown a value is: it decides the outcome an unknown requirement gets.

    The members are declared in rising precedence: combining unknowns of several kinds
    gives the latest-declared of them (a threshold not in force outranks a missing
    figure; a question that does not arise outranks everything).
    """

    MISSING = "missing"
    """Figures are missing or undecided: 缺少数据."""
    NO_THRESHOLD = "no_threshold"
    """No value is in force for the date or key: 缺少数据 (no threshold)."""
    REPORT_ONLY = "report_only"
    """The period in force is report-only: the value is shown without a verdict."""
    NOT_APPLICABLE = "not_applicable"
    """The question does not arise (e.g. one school has no inter-school balance): 不适用."""


@attrs.frozen(slots=True)
class Reason:
    """One coded reason why a value is unknown.

    Attributes:
        code: the :class:`Code`.
        args: the arguments the message for ``code`` needs, in its documented order
            (entity references, field names, dates, numbers, text).  Hashable, so
            reasons de-duplicate in a dict in linear time.
    """

    code: Code
    args: tuple[Hashable, ...] = ()


@attrs.frozen(slots=True)
class Unknown:
    """A value that cannot be known.

    Attributes:
        reasons: why, without repeats, in the order first met.
        kind: the :class:`Kind` of unknown; combining unknowns keeps the kind of
            highest precedence among them (see :class:`Kind`), whatever their order.
    """

    reasons: tuple[Reason, ...]
    kind: Kind = Kind.MISSING


Value: TypeAlias = "int | Fraction | Interval | bool | str | tuple[Value, ...] | Unknown"
"""Any value an expression may have (see the module docstring)."""


def unknown(*values: object) -> Unknown:
    """Combine the :class:`Unknown` values among ``values`` into one.

    Reasons keep their first-met order without repeats (linear time); the kind is the
    one of highest precedence (see :class:`Kind`); values that are not unknown are
    ignored.

    Returns:
        The combined unknown (with no reasons if none of ``values`` was unknown).
    """
    reasons: dict[Reason, None] = {}
    kind = Kind.MISSING
    for v in values:
        if isinstance(v, Unknown):
            for r in v.reasons:
                reasons[r] = None
            if _RANK[v.kind] > _RANK[kind]:
                kind = v.kind
    return Unknown(tuple(reasons), kind)


_RANK = {k: i for i, k in enumerate(Kind)}


def is_number(v: object) -> bool:
    """True for an exact number (``int`` but not ``bool``, or ``Fraction``) or an :class:`Interval`."""
    t = type(v)
    return t is int or t is Fraction or t is Interval


def bounds(v: Exact | Interval) -> tuple[Exact, Exact, bool]:
    """A number as ``(lo, hi, approx)``: an exact number is ``(v, v, False)``."""
    if type(v) is Interval:
        return v.lo, v.hi, v.approx
    return v, v, False  # type: ignore[return-value]


def _exact(q: Exact) -> Exact:
    """``q`` in canonical form: an ``int`` when whole."""
    if type(q) is Fraction and q.denominator == 1:
        return q.numerator
    return q


def _make(lo: Exact, hi: Exact, approx: bool) -> Exact | Interval:
    lo, hi = _exact(lo), _exact(hi)
    if lo == hi and not approx:
        return lo
    return Interval(lo, hi, approx)


def _num_or_unknown(a: Value, b: Value) -> Unknown | None:
    """The combined unknown if either operand is unknown, else ``None``.

    Raises:
        TypeError: an operand is neither a number nor unknown (a ``bool``, text, a list).
    """
    for x in (a, b):
        if not (is_number(x) or isinstance(x, Unknown)):
            raise TypeError(f"not a number: {x!r}")
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return unknown(a, b)
    return None


def add(a: Value, b: Value) -> Value:
    """``a + b`` (numbers or unknowns).

    Raises:
        TypeError: an operand is not a number or unknown (as for every arithmetic
            function here).
    """
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return a + b  # type: ignore[operator]
    if (ta is int or ta is Fraction) and (tb is int or tb is Fraction):
        return _exact(a + b)  # type: ignore[operator, arg-type]
    u = _num_or_unknown(a, b)
    if u is not None:
        return u
    alo, ahi, aap = bounds(a)  # type: ignore[arg-type]
    blo, bhi, bap = bounds(b)  # type: ignore[arg-type]
    return _make(alo + blo, ahi + bhi, aap or bap)


def neg(a: Value) -> Value:
    """``-a``.

    Raises:
        TypeError: ``a`` is not a number or unknown.
    """
    t = type(a)
    if t is int:
        return -a  # type: ignore[operator]
    if t is Fraction:
        return _exact(-a)  # type: ignore[operator]
    if isinstance(a, Unknown):
        return a
    if not is_number(a):
        raise TypeError(f"not a number: {a!r}")
    lo, hi, ap = bounds(a)  # type: ignore[arg-type]
    return _make(-hi, -lo, ap)


def sub(a: Value, b: Value) -> Value:
    """``a - b``."""
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return a - b  # type: ignore[operator]
    if (ta is int or ta is Fraction) and (tb is int or tb is Fraction):
        return _exact(a - b)  # type: ignore[operator]
    return add(a, neg(b))


def mul(a: Value, b: Value) -> Value:
    """``a × b``."""
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return a * b  # type: ignore[operator]
    if (ta is int or ta is Fraction) and (tb is int or tb is Fraction):
        return _exact(a * b)  # type: ignore[operator, arg-type]
    u = _num_or_unknown(a, b)
    if u is not None:
        return u
    alo, ahi, aap = bounds(a)  # type: ignore[arg-type]
    blo, bhi, bap = bounds(b)  # type: ignore[arg-type]
    c = (alo * blo, alo * bhi, ahi * blo, ahi * bhi)
    return _make(min(c), max(c), aap or bap)


_DIV0 = Unknown((Reason(Code.DIVISION_BY_ZERO),))


def div(a: Value, b: Value) -> Value:
    """``a ÷ b``; unknown (:attr:`Code.DIVISION_BY_ZERO`) when ``b`` is or may be 0.

    An exact quotient of two integers is a ``Fraction`` reduced to an ``int`` when whole.
    """
    ta, tb = type(a), type(b)
    if (ta is int or ta is Fraction) and (tb is int or tb is Fraction):
        if b == 0:
            return _DIV0
        q = Fraction(a, b)  # type: ignore[arg-type]
        return q.numerator if q.denominator == 1 else q
    u = _num_or_unknown(a, b)
    if u is not None:
        return u
    alo, ahi, aap = bounds(a)  # type: ignore[arg-type]
    blo, bhi, bap = bounds(b)  # type: ignore[arg-type]
    if blo <= 0 <= bhi:
        return _DIV0
    c = (
        Fraction(alo) / blo,
        Fraction(alo) / bhi,
        Fraction(ahi) / blo,
        Fraction(ahi) / bhi,
    )
    return _make(min(c), max(c), aap or bap)


_RANGE = Unknown((Reason(Code.RANGE_UNDECIDED),))


def compare(op: str, a: Value, b: Value) -> Value:
    """``a op b`` for ``op`` in ``>= > <= < == !=``.

    Numbers compare exactly; over intervals the result is decided only when it is
    the same for every pair of points, else unknown (:attr:`Code.RANGE_UNDECIDED`).
    Text, symbols and booleans support ``==`` and ``!=`` only.

    Raises:
        ValueError: ``op`` is not a comparison, orders non-numbers, or compares a
            ``bool`` with a number (the checker never lets any of these through).
    """
    ta, tb = type(a), type(b)
    if (ta is int or ta is Fraction) and (tb is int or tb is Fraction):
        if op == ">=":
            return a >= b  # type: ignore[operator]
        if op == "<=":
            return a <= b  # type: ignore[operator]
        if op == ">":
            return a > b  # type: ignore[operator]
        if op == "<":
            return a < b  # type: ignore[operator]
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        raise ValueError(f"not a comparison: {op!r}")
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return unknown(a, b)
    if is_number(a) and is_number(b):
        alo, ahi, _ = bounds(a)  # type: ignore[arg-type]
        blo, bhi, _ = bounds(b)  # type: ignore[arg-type]
        if op in (">=", ">"):
            strict = op == ">"
            if alo > bhi or (not strict and alo >= bhi):
                return True
            if ahi < blo or (strict and ahi <= blo):
                return False
        elif op in ("<=", "<"):
            strict = op == "<"
            if ahi < blo or (not strict and ahi <= blo):
                return True
            if alo > bhi or (strict and alo >= bhi):
                return False
        elif op in ("==", "!="):
            if alo == ahi == blo == bhi:
                return op == "=="
            if ahi < blo or bhi < alo:
                return op == "!="
        else:
            raise ValueError(f"not a comparison: {op!r}")
        return _RANGE
    if (ta is bool and is_number(b)) or (tb is bool and is_number(a)):
        # Python would say True == 1; a condition is never a number
        raise ValueError(f"cannot compare a condition with a number: {a!r} {op} {b!r}")
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    raise ValueError(f"cannot order {a!r} {op} {b!r}")


def not_(a: Value) -> Value:
    """Kleene ``not``: unknown stays unknown."""
    if a is True:
        return False
    if a is False:
        return True
    return a


def and_(a: Value, b: Value) -> Value:
    """Kleene ``and``: false if either is false, true if both are true, else unknown."""
    if a is False or b is False:
        return False
    if a is True and b is True:
        return True
    return unknown(a, b)


def or_(a: Value, b: Value) -> Value:
    """Kleene ``or``: true if either is true, false if both are false, else unknown."""
    if a is True or b is True:
        return True
    if a is False and b is False:
        return False
    return unknown(a, b)


def all_of(values: Iterable[Value]) -> Value:
    """Kleene ``and`` over any number of values (true for none)."""
    unknowns: list[Value] = []
    for v in values:
        if v is False:
            return False
        if v is not True:
            unknowns.append(v)
    return unknown(*unknowns) if unknowns else True


def any_of(values: Iterable[Value]) -> Value:
    """Kleene ``or`` over any number of values (false for none)."""
    unknowns: list[Value] = []
    for v in values:
        if v is True:
            return True
        if v is not False:
            unknowns.append(v)
    return unknown(*unknowns) if unknowns else False


def kleene_count(k: Exact, values: Sequence[Value]) -> Value:
    """At least ``k`` of ``values`` are true (``at_least(k, [...])``).

    True when ``k`` are true already, false when even every unknown turning true
    would not reach ``k``, else unknown with the unknowns' reasons.
    """
    true = 0
    unknowns: list[Value] = []
    for v in values:
        if v is True:
            true += 1
        elif v is not False:
            unknowns.append(v)
    if true >= k:
        return True
    if true + len(unknowns) < k:
        return False
    return unknown(*unknowns)
