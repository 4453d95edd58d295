"""Numbers as reports print them: decimals, units, 约, ranges, and digits that keep the verdict.

Every number a report shows is exact (``int``, ``Fraction`` or an
:class:`~eduint.core.values.Interval`) in the canonical unit of its dimensions; this
module turns it into text in the unit it is shown in, and nothing else in eduint does:

* a decimal with at most ``places`` places, rounded half to even in exact integer
  arithmetic, trailing zeros removed (:func:`decimal_text`);
* the unit after it: ``%`` and ``‰`` attached (``85%``), others after a space
  (``4.785 人/百人``), a bare ratio without one (:func:`unit_suffix`);
* ``约212 人`` for an approximate figure and ``30–39 人`` for a range (:func:`number_text`);
* as many more places as it takes for a printed value and threshold to give the same
  verdict as the exact ones (:func:`agreeing_places`): 0.501787 against ``<= 0.5`` never
  prints as 0.5, and a 差异系数 exactly on its limit prints as the limit;
* a margin that is not 0 never prints as 0 (:func:`margin_places`).

The number of places is chosen when the document is built (language-neutral); every
format prints it the same way, and XLSX stores the number itself with a number format
of exactly those places.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import attrs

from eduint.core.units import Unit
from eduint.core.values import Exact, Interval

__all__ = [
    "APPROX_MARKS",
    "MAX_PLACES",
    "agreeing_places",
    "decimal_text",
    "exact_text",
    "in_unit",
    "margin_places",
    "negated",
    "number_text",
    "places_shown",
    "shown_unit",
    "unit_suffix",
]

MAX_PLACES = 60
"""The most decimal places the display adds to keep a printed value from contradicting
its verdict (a 差异系数 carried as a bracket of 1e-40 needs no more than 45)."""

_HOLDS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}

_NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}


def negated(op: str) -> str:
    """The comparator that holds when ``op`` fails (``>=`` → ``<``): how a failing
    comparison is shown (``3 人 < 100 人``)."""
    return _NEGATED[op]


#: Integers longer than this (about 3,900 digits) are shown in scientific form: Python
#: refuses ``str()`` of an integer of more than 4,300 digits, and no reader counts them.
#: Rule-file numbers (E008) and computations (E320) stay far below; this is the last
#: guard, so that no figure ends in a foreign exception (issue 14).
_MAX_PLAIN_BITS = 13_000


def _int_text(n: int, shift: int = 0) -> str:
    """``n × 10^-shift`` as text: its digits, or for a huge ``n`` ``约1.797693×10^308``
    (seven significant digits, computed from the leading bits in constant time)."""
    if n.bit_length() <= _MAX_PLAIN_BITS:
        return str(n)
    sign = "-" if n < 0 else ""
    a = abs(n)
    drop = a.bit_length() - 64
    log = math.log10(a >> drop) + drop * math.log10(2) - shift
    exp = math.floor(log)
    return f"约{sign}{10 ** (log - exp):.6f}×10^{exp}"


def _parts(x: Exact) -> tuple[int, int]:
    if type(x) is int:
        return x, 1
    return x.numerator, x.denominator


def _scaled(n: int, d: int, places: int) -> int:
    """``n / d × 10^places`` rounded half to even, exactly (``d > 0``)."""
    q, r = divmod(n * 10**places, d)
    twice = 2 * r
    if twice > d or (twice == d and q & 1):
        q += 1
    return q  # type: ignore[no-any-return]


def _digits(scaled: int, places: int) -> str:
    if scaled.bit_length() > _MAX_PLAIN_BITS:
        return _int_text(scaled, places)
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(places + 1, "0")
    whole, frac = (digits[:-places], digits[-places:]) if places else (digits, "")
    frac = frac.rstrip("0")
    text = whole + ("." + frac if frac else "")
    return "0" if text == "0" else sign + text


def decimal_text(x: Exact, places: int) -> str:
    """``x`` as a decimal with at most ``places`` places, trailing zeros removed
    (``Fraction(2, 3)``, 3 → ``0.667``; ``Fraction(1, 2)``, 3 → ``0.5``).

    Exact integer arithmetic (round half to even), so any magnitude prints.
    """
    n, d = _parts(x)
    if d == 1:
        return _int_text(n)
    return _digits(_scaled(n, d, places), places)


def places_shown(x: Exact, places: int) -> int:
    """How many decimal places :func:`decimal_text` prints for ``x`` (trailing zeros
    removed): the number format XLSX gives the cell."""
    text = decimal_text(x, places)
    return len(text) - text.index(".") - 1 if "." in text else 0


def exact_text(x: Exact) -> str:
    """The exact form of a number for machines: ``"2/3"``, ``"5"``, ``"-7/2"``."""
    n, d = _parts(x)
    return _int_text(n) if d == 1 else f"{_int_text(n)}/{_int_text(d)}"


def shown_unit(unit: Unit) -> Unit:
    """The unit a number is printed in: the unit itself, or for a product of the
    arithmetic that reads badly (``%×人/百人``, ``班/班/间``) the canonical form of its
    dimensions (so ``%×`` is never printed)."""
    text = str(unit)
    if not unit.dims and text not in ("%", "‰"):
        return attrs.evolve(unit, scale=Fraction(1), text="")  # 人/人: a bare number
    if "×" not in text and text.count("/") <= 1:
        return unit
    if unit.dims:
        return attrs.evolve(unit, scale=Fraction(1), text=unit.canonical())
    return attrs.evolve(unit, scale=Fraction(1), text="")


def unit_suffix(unit: Unit) -> str:
    """What follows a number in ``unit``: ``"%"``, ``"‰"`` attached, ``" 人"`` after a
    space, ``""`` for a bare number or ratio (never ``1``)."""
    shown = shown_unit(unit)
    u = str(shown)
    if u in ("%", "‰"):
        return u
    if not shown.dims:  # a bare number, or a ratio such as 人/人
        return ""
    return " " + u


def in_unit(x: Exact, unit: Unit) -> Exact:
    """A canonical value as a number in ``unit`` (``Fraction(1, 2)`` in % → 50)."""
    scale = shown_unit(unit).scale
    if scale == 1:
        return x
    q = Fraction(x) / scale
    return q.numerator if q.denominator == 1 else q


APPROX_MARKS = {"zh": "约", "en": "~"}
"""What marks an approximate figure: ``约212`` in Chinese, ``~212`` in English."""


def number_text(
    value: Exact | Interval,
    unit: Unit,
    places: int,
    *,
    suffix: bool = True,
    approx: str = "约",
) -> str:
    """A number with its unit: ``4.785 人/百人``, ``85%``, ``约212 人``, ``30–39 人``.

    Args:
        value: the exact value or interval, in the canonical unit.
        unit: the unit to show it in.
        places: the most decimal places.
        suffix: add the unit (False: the number alone, for a column headed by its unit).
        approx: the mark of an approximate figure (:data:`APPROX_MARKS`).
    """
    end = unit_suffix(unit) if suffix else ""
    if isinstance(value, Interval):
        lo = decimal_text(in_unit(value.lo, unit), places)
        if value.lo == value.hi:
            return (approx if value.approx else "") + lo + end
        if value.bracket:
            # one computed number carried as tight bounds (a 差异系数) prints as itself
            mid = (Fraction(value.lo) + Fraction(value.hi)) / 2
            return decimal_text(in_unit(mid, unit), places) + end
        hi = decimal_text(in_unit(value.hi, unit), places)
        return (approx if value.approx else "") + f"{lo}–{hi}{end}"
    return decimal_text(in_unit(value, unit), places) + end


def _point(v: Exact | Interval) -> tuple[Exact, Exact]:
    if isinstance(v, Interval):
        return v.lo, v.hi
    return v, v


def agreeing_places(
    left: Exact | Interval,
    right: Exact | Interval,
    op: str,
    met: bool | None,
    unit: Unit,
    places: int,
    right_unit: Unit | None = None,
) -> int:
    """The places that make a printed value and threshold agree with the verdict.

    Starting at ``places`` (the rule set's display precision), adds places until the
    printed figures, compared with ``op``, give ``met``; and, where the exact values
    differ, until they print differently (0.501787 against 0.5 prints as 0.502).
    A value carried as a bracket (a 差异系数 whose root is irrational, decided from its
    exact square) may print equal to its threshold when the verdict allows it.  Ranges from the data (``30多``) and undecided comparisons keep
    ``places``.

    Args:
        left: the figure side (canonical unit).
        right: the threshold side.
        op: the comparator.
        met: the verdict of the comparison (``None``: undecided).
        unit: the unit the figure is shown in.
        places: the display precision to start from.
        right_unit: the unit of the threshold, when it differs.

    Returns:
        The number of places, at most :data:`MAX_PLACES`.
    """
    if met is None or op not in _HOLDS:
        return places
    if not (_tight(left) and _tight(right)):
        return places  # a range from the data: shown as a range
    llo, lhi = _point(left)
    rlo, rhi = _point(right)
    holds = _HOLDS[op]
    ru = right_unit or unit
    a_lo, a_hi = in_unit(llo, unit), in_unit(lhi, unit)
    b_lo, b_hi = in_unit(rlo, ru), in_unit(rhi, ru)
    exact_tie = llo == lhi == rlo == rhi
    point = llo == lhi and rlo == rhi
    scale_l, scale_r = shown_unit(unit).scale, shown_unit(ru).scale
    p = places
    while p < MAX_PLACES:
        da, da2 = _rounded(a_lo, p), _rounded(a_hi, p)
        db, db2 = _rounded(b_lo, p), _rounded(b_hi, p)
        if da == da2 and db == db2:
            shown_a = Fraction(da, 10**p) * scale_l
            shown_b = Fraction(db, 10**p) * scale_r
            agree = holds(shown_a, shown_b) == met
            apart = shown_a != shown_b or exact_tie or (not point and _contains(left, right))
            if agree and apart:
                return p
        p += 1
    return MAX_PLACES


def _tight(v: Exact | Interval) -> bool:
    """Whether ``v`` stands for one number: exact, approximate (``约212``) or a bracket
    around a computed irrational (a 差异系数), rather than a range from the data."""
    return not isinstance(v, Interval) or v.bracket or v.lo == v.hi


def _contains(left: Exact | Interval, right: Exact | Interval) -> bool:
    llo, lhi = _point(left)
    rlo, rhi = _point(right)
    return llo <= rhi and rlo <= lhi


def _rounded(x: Exact, places: int) -> int:
    n, d = _parts(x)
    return _scaled(n, d, places)


def margin_places(margin: Exact, places: int) -> int:
    """The places that keep a margin that is not 0 from printing as 0 (at most 15
    more than ``places``)."""
    p = places
    while margin != 0 and decimal_text(margin, p) in ("0", "-0") and p < places + 15:
        p += 1
    return p


def float_texts(values: Sequence[float], places: int | Sequence[int]) -> list[str]:
    """Floats (a column of a many-county summary) as decimals with at most ``places``
    places each (one number, or one per value), trailing zeros removed; NaN as ``""``
    (missing is never 0).  Floats, not exact values: the columns the columnar engine
    computes in float64.

    Raises:
        ValueError: a negative number of places.
    """
    each = [places] if isinstance(places, int) else places
    n = len(values) if isinstance(places, int) else min(len(values), len(places))
    low, high = (min(each), max(each)) if n else (0, 0)
    # a place that is not an int (numpy's), or none after the point for some values and
    # some after it for others: a value at a time (what raises for a negative place too)
    if not n or type(low) is not int or type(high) is not int or low < 0:
        return _float_texts_slow(values, places)
    if low == 0 and high > 0:
        return _float_texts_slow(values, places)
    # one C call formats the column: '%' and format() print a float alike (the same
    # PyOS_double_to_string), so this is format(x, f".{p}f") of each value
    if low == high:
        text = (f"%.{low}f\n" * n) % tuple(values[:n])
    else:
        pairs = itertools.chain.from_iterable(zip(each, values, strict=False))
        text = ("%.*f\n" * n) % tuple(pairs)
    if high:
        # every number has a point: trailing zeros go, then a point ending a line (a
        # pass strips one zero off every line; a line stops at its point)
        while "0\n" in text:
            text = text.replace("0\n", "\n")
        text = text.replace(".\n", "\n")
    out = text[:-1].split("\n")
    if "nan" in text:
        out = ["" if t == "nan" else t for t in out]  # missing is never 0
    if "-0\n" in text:
        out = ["0" if t == "-0" else t for t in out]  # a tiny negative rounded away
    return out


def _float_texts_slow(values: Sequence[float], places: int | Sequence[int]) -> list[str]:
    """:func:`float_texts` a value at a time (the reference the fast form is tested
    against; also what places that are not ``int`` take)."""
    each = itertools.repeat(places) if isinstance(places, int) else places
    out = []
    specs: dict[int, str] = {}  # the format spec of each number of places, made once
    for x, p in zip(values, each, strict=False):  # each: one per value, or repeated
        if x != x:
            out.append("")
            continue
        spec = specs.get(p)
        if spec is None:
            spec = specs[p] = f".{int(p)}f"
        text = format(x, spec)
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        out.append("0" if text in ("-0", "") else text)
    return out
