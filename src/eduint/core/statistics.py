"""The statistics of the balance assessments, as plain functions.

The evaluator uses these same functions for the ``cv`` aggregate and for the
one-through-school split, so a figure computed here and one computed through a
rule file agree to the last digit.

Sources: ``REFERENCE §3`` (the research note in ``docs/reference/REFERENCE.md``):
§3.1 the student-weighted 差异系数 (coefficient of variation) in population form,
§3.2 its worked example, §3.3 the split of 九年一贯制 / 十二年一贯制 / 完全中学
schools; 教督〔2012〕3号 (the 2012 composite is the mean of the 8 single CVs).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

import attrs

from eduint.core.values import Interval, parts

__all__ = [
    "CvParts",
    "CvResult",
    "composite_cv",
    "cv_parts",
    "exact_root",
    "split_shares",
    "weighted_cv",
]

#: Significant digits of the square root inside the 差异系数 (:attr:`CvResult.cv`), and
#: the least number of significant digits of a bracket's ends (:func:`exact_root`).
SQRT_DIGITS = 40


@attrs.frozen
class CvResult:
    """A student-weighted 差异系数 with what went into it.

    Attributes:
        cv: S ÷ mean, to :data:`SQRT_DIGITS` significant digits (an exact
            :class:`~fractions.Fraction` of that decimal).
        mean: the weighted mean, exact: Σ PᵢXᵢ ÷ ΣPᵢ (= county total ÷ county students
            when Xᵢ is a per-student figure and Pᵢ the students).
        variance: Σ Pᵢ(Xᵢ − mean)² ÷ ΣPᵢ, exact.
        contributions: each entry's share of the variance, Pᵢ(Xᵢ − mean)² ÷ ΣPᵢ(Xᵢ − mean)²,
            exact, in input order (all 0 when the variance is 0).
        square: CV² = variance ÷ mean², exact: CV ≤ L ⇔ square ≤ L² for L ≥ 0, decided
            without a square root (:func:`exact_root` gives the CV itself exactly).
    """

    cv: Fraction
    mean: Fraction
    variance: Fraction
    contributions: tuple[Fraction, ...]
    square: Fraction = Fraction(0)


def _sqrt(x: Fraction) -> Fraction:
    with localcontext() as ctx:
        ctx.prec = SQRT_DIGITS
        root = (Decimal(x.numerator) / Decimal(x.denominator)).sqrt()
    return Fraction(root)


@attrs.frozen
class CvParts:
    """A student-weighted 差异系数 computed in integers, with each entry's part of the variance.

    Attributes:
        mean: the weighted mean, exact.
        variance: the weighted variance, exact.
        spread: each entry's part of the variance as a whole number proportional to
            Pᵢ(Xᵢ − mean)²; entry i's share of the variance is ``spread[i] / sum(spread)``
            (all 0 when the variance is 0).  Integers compare and sort fast, which is all
            a report of the largest shares needs.
        square: CV² = variance ÷ mean², exact (as :class:`CvResult`).
    """

    mean: Fraction
    variance: Fraction
    spread: tuple[int, ...]
    square: Fraction

    @property
    def cv(self) -> Fraction:
        """S ÷ mean, to :data:`SQRT_DIGITS` significant digits (as :class:`CvResult`)."""
        return _sqrt(self.square)


def exact_root(square: Fraction) -> int | Fraction | Interval:
    """The non-negative square root of ``square``, exactly: a rational when it is one
    (a CV of exactly 0.5 is ``Fraction(1, 2)``), else a *bracket*
    (:class:`~eduint.core.values.Interval` with ``bracket`` and ``square``) whose rational
    ends lie strictly on either side of the root, at least :data:`SQRT_DIGITS` + 1
    significant digits apart (a relative width below 1e-40), computed with
    :func:`math.isqrt` on scaled integers.

    Comparisons of a bracket with an exact number are decided from ``square``
    (:func:`eduint.core.values.compare`), so no verdict depends on the bracket's width.

    Raises:
        ValueError: ``square`` is negative.
    """
    if square < 0:
        raise ValueError("a negative number has no square root")
    n, d = parts(square)
    rn, rd = math.isqrt(n), math.isqrt(d)
    if rn * rn == n and rd * rd == d:
        return rn if rd == 1 else Fraction(rn, rd)
    # √(n/d) = √(n·d)/d; scale n·d by 100^k so that its root has > SQRT_DIGITS digits
    m = n * d
    digits = m.bit_length() * 30103 // 100000  # at most log10(m)
    k = max(0, (2 * SQRT_DIGITS + 4 - digits) // 2 + 1)
    scale = 10**k
    r = math.isqrt(m * scale * scale)
    return Interval(Fraction(r, d * scale), Fraction(r + 1, d * scale), False, True, square)


def _ratio(x: Fraction | int) -> tuple[int, int]:
    if type(x) is int or type(x) is Fraction:
        return parts(x)
    return parts(Fraction(x))


def cv_parts(values: Sequence[Fraction | int], weights: Sequence[Fraction | int]) -> CvParts:
    """The student-weighted 差异系数 of :func:`weighted_cv`, computed over a common denominator.

    With Xᵢ = aᵢ/D and Pᵢ = cᵢ/E (D, E the least common denominators), C = Σcᵢ,
    A = Σcᵢaᵢ and Q = Σcᵢaᵢ²: mean = A ÷ (D·C) and variance = (Q·C − A²) ÷ (D·C)², so the
    sums are exact integer sums and only the two results are reduced (REFERENCE §3.1).

    Args:
        values: Xᵢ, exact numbers; weights: Pᵢ (人), exact, same length.

    Raises:
        ValueError: as :func:`weighted_cv`.
    """
    if len(values) != len(weights):
        raise ValueError("values and weights differ in length")
    if len(values) < 2:
        raise ValueError("a 差异系数 needs at least two schools")
    xs = [_ratio(x) for x in values]
    ps = [_ratio(w) for w in weights]
    if any(n < 0 for n, _ in ps):
        raise ValueError("a weight (students) is negative")
    d = math.lcm(*(q for _, q in xs))
    e = math.lcm(*(q for _, q in ps))
    a = [n * (d // q) for n, q in xs]
    c = [n * (e // q) for n, q in ps]
    total = sum(c)
    if total == 0:
        raise ValueError("the weights (students) sum to 0")
    cas = list(map(operator.mul, c, a))
    ca = sum(cas)
    if ca == 0:
        raise ValueError("the mean is 0, so the 差异系数 is undefined")
    q = sum(map(operator.mul, cas, a))
    spread_sum = q * total - ca * ca
    mean = Fraction(ca, d * total)
    variance = Fraction(spread_sum, (d * total) ** 2)
    spread = tuple(ci * (ai * total - ca) ** 2 for ci, ai in zip(c, a, strict=True))
    # CV² = variance ÷ mean² = (Q·C − A²) ÷ A²
    return CvParts(mean, variance, spread, Fraction(spread_sum, ca * ca))


def weighted_cv(
    values: Sequence[Fraction | int | str], weights: Sequence[Fraction | int | str]
) -> CvResult:
    """The student-weighted 差异系数 (coefficient of variation), population form.

    mean = ΣPᵢXᵢ ÷ ΣPᵢ;  S = √(ΣPᵢ(Xᵢ − mean)² ÷ ΣPᵢ);  CV = S ÷ mean   (REFERENCE §3.1).

    Args:
        values: Xᵢ, each school's indicator (e.g. books per student, 册/人), exact
            numbers (a ``str`` such as ``"6.2"`` is read exactly).
        weights: Pᵢ, each school's students (人); same length as ``values``.

    Returns:
        The :class:`CvResult`.

    Raises:
        ValueError: lengths differ, fewer than two entries, a weight is negative,
            the weights sum to 0, or the mean is 0 (a CV is then undefined; the
            evaluator reports these cases as 缺少数据 or 不适用, never as a number).

    Example:
        The published 5-school example (REFERENCE §3.2): students 45, 37, 89, 76, 55,
        books 279, 137, 935, 160, 402 → CV 0.5153 (printed 0.52).
    """
    xs = [Fraction(v) for v in values]
    ws = [Fraction(w) for w in weights]
    if len(xs) != len(ws):
        raise ValueError("values and weights differ in length")
    if len(xs) < 2:
        raise ValueError("a 差异系数 needs at least two schools")
    if any(w < 0 for w in ws):
        raise ValueError("a weight (students) is negative")
    total = sum(ws, Fraction(0))
    if total == 0:
        raise ValueError("the weights (students) sum to 0")
    mean = sum((x * w for x, w in zip(xs, ws, strict=True)), Fraction(0)) / total
    if mean == 0:
        raise ValueError("the mean is 0, so the 差异系数 is undefined")
    squares = [w * (x - mean) ** 2 for x, w in zip(xs, ws, strict=True)]
    spread = sum(squares, Fraction(0))
    variance = spread / total
    contributions = tuple(s / spread if spread else Fraction(0) for s in squares)
    square = variance / (mean * mean)
    return CvResult(_sqrt(square), mean, variance, contributions, square)


def composite_cv(cvs: Sequence[Fraction | int | str]) -> Fraction:
    """The 2012 综合差异系数: the mean of the single CVs (教督〔2012〕3号; REFERENCE §2.2, §3.1).

    Args:
        cvs: the single CVs (8 of them in the 2012 assessment), exact.

    Raises:
        ValueError: no CVs given.
    """
    values = [Fraction(c) for c in cvs]
    if not values:
        raise ValueError("no CVs to average")
    return sum(values, Fraction(0)) / len(values)


def split_shares(
    students: Mapping[str, Fraction | int], weights: Mapping[str, Fraction | int | str]
) -> dict[str, Fraction]:
    """Shares of a one-through school's physical figures by segment (REFERENCE §3.3).

    Each segment's share is wₛnₛ ÷ Σwₖnₖ, with per-student weights 1 : 1.1 : 1.32
    (小学 : 初中 : 高中) for 九年一贯制 and 十二年一贯制 schools, and 1 : 1.2
    (初中 : 高中) for a 完全中学.

    Args:
        students: segment → students (人).
        weights: segment → per-student weight.

    Returns:
        segment → exact share (the shares sum to 1).

    Raises:
        ValueError: a segment has no weight, a count is negative, or Σwₖnₖ is 0.

    Example:
        166 小学 and 210 初中 students, 23,226 books: 小学 gets
        23226 × 166 ÷ (166 + 1.1 × 210) = 9711.6 books, 初中 13514.4.
    """
    ws = {k: Fraction(v) for k, v in weights.items()}
    ns = {k: Fraction(v) for k, v in students.items()}
    missing = sorted(set(ns) - set(ws))
    if missing:
        raise ValueError(f"no split weight for {', '.join(missing)}")
    if any(n < 0 for n in ns.values()):
        raise ValueError("a student count is negative")
    total = sum((ws[k] * n for k, n in ns.items()), Fraction(0))
    if total == 0:
        raise ValueError("the school has no students to split by")
    return {k: ws[k] * n / total for k, n in ns.items()}
