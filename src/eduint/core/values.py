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
from math import gcd as _gcd
from typing import TypeAlias

import attrs

__all__ = [
    "FAST_FRACTIONS",
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
    "parts",
    "ratio",
    "sub",
    "unknown",
]

Exact: TypeAlias = "int | Fraction"
"""An exact number in a canonical unit (never ``bool``)."""


@attrs.frozen(slots=True)
class Interval:
    """A number known only within ``[lo, hi]`` (canonical unit), or approximately.

    Three kinds of number are intervals:

    * a *range* of possible figures (``30多`` → 30–39): any point may be the figure;
    * an *approximate* figure (``约212`` → 212–212, ``approx``): used as stated, flagged;
    * a *bracket* (``bracket``): one irrational number computed to finite precision
      (a 差异系数 whose square root is not rational, or arithmetic on one), known to lie
      strictly between ``lo`` and ``hi``, which are within a relative 1e-40 of it.
      When the number is a square root, ``square`` holds its exact square, and a
      comparison with an exact number is decided from the squares, exactly
      (:func:`compare`); arithmetic keeps the bracket but not the square.

    Attributes:
        lo: the smallest value the figure allows (exact).
        hi: the largest value the figure allows (exact); ``lo <= hi``.
        approx: True for an approximate figure (``约212``): it is used as stated and
            flagged, and results computed from it stay flagged.
        bracket: True when the interval brackets one number (see above), not a range.
        square: the exact square of a bracketed non-negative square root, else ``None``.

    An exact figure is never an :class:`Interval` unless it is approximate: use
    :func:`bounds` to read any number as ``(lo, hi, approx)``.
    """

    lo: Exact
    hi: Exact
    approx: bool = False
    bracket: bool = False
    square: Fraction | None = None

    @property
    def exact(self) -> bool:
        """True when ``lo == hi`` (a single value, possibly approximate)."""
        return self.lo == self.hi


class Code(str, enum.Enum):
    """Why a value is unknown, what an evaluation left out, or what it warns about.

    The value of each member is its stable code, used by the message catalogue and
    in JSON reports.  Arguments travel in :attr:`Reason.args`, in the documented order.
    They are language-neutral: an entity is an :class:`~eduint.core.refs.EntityRef`, a
    data field a :class:`~eduint.core.refs.FieldRef`, a scope its
    :class:`~eduint.checking.schema.ScopeKind` value (``"school"``), a segment its
    value (``"小学"``), numbers exact, dates :class:`datetime.date`; text is rule text or
    text from the data, never a sentence the engine wrote.
    """

    # --- figures
    MISSING_FIGURE = "missing_figure"
    """A figure is not given.  args: entity (EntityRef), field (FieldRef)."""
    FIGURE_AS_BANDS = "figure_as_bands"
    """A class figure other than its size is read from classes given only as size bands.
    args: entity (EntityRef, the band), field (FieldRef)."""
    RANGE_UNDECIDED = "range_undecided"
    """A comparison over a figure given as a range is true for part of it only.  args: none."""
    RANGE_COMPARISON = "range_comparison"
    """The same, for a comparison of a rule: args: entity (EntityRef), the sides given as
    ranges (a tuple of ``(what, value, unit)``: a :class:`~eduint.core.refs.FieldRef`
    for a field, else the expression's short name as rule text (a value's or let's
    name, ``count(…)``); its :class:`Interval`; its :class:`~eduint.core.units.Unit`),
    the comparator."""
    DIVISION_BY_ZERO = "division_by_zero"
    """A divisor is 0 or, for a range, may be 0.  args: none."""
    # --- lists
    NO_SCHOOL_LIST = "no_school_list"
    """The county's list of schools is not given.  args: none."""
    SEGMENTS_NOT_GIVEN = "segments_not_given"
    """A school's segment figures are not given.  args: school (EntityRef)."""
    CLASSES_NOT_GIVEN = "classes_not_given"
    """A school segment gives neither classes nor size bands.  args: segment (EntityRef)."""
    CLASS_COUNT_CLASH = "class_count_clash"
    """A segment's 班级数 contradicts its complete class list or its size bands.
    args: segment (EntityRef), the stated 班级数 (exact), the classes counted (int),
    ``"list"`` or ``"bands"`` (what was counted)."""
    BANDS_OVERLAP = "bands_overlap"
    """Two class-size bands of a segment overlap.  args: segment (EntityRef), the lower
    band's low and high (``None``: and over), the upper band's low."""
    BAND_COUNT_MISSING = "band_count_missing"
    """The class count of a size band is not given.  args: segment (EntityRef), band low,
    band high (``None``: and over)."""
    BAND_COUNT_RANGE = "band_count_range"
    """The class count of a size band is a range.  args: segment (EntityRef), band low,
    band high (``None``), the count as written."""
    INCOMPLETE_LIST = "incomplete_list"
    """An aggregate ranges over an incomplete list.  args: the scope ranged over
    (``"school"``), the aggregate's name (``count``; ``cv`` for the 差异系数)."""
    INCOMPLETE_SUM = "incomplete_sum"
    """A figure summed over an incomplete list.  args: the field (FieldRef)."""
    LIST_INCOMPLETE = "list_incomplete"
    """A rule's own list of entities is incomplete.  args: the rule's scope (``"class"``)."""
    EMPTY_AGGREGATE = "empty_aggregate"
    """An aggregate that needs at least one entity has none.  args: function, the scope
    ranged over (``"class"``)."""
    # --- thresholds
    KEY_NOT_GIVEN = "key_not_given"
    """The key of a keyed value is not given.  args: the key kind (``"segment"``,
    ``"location"``, ``"region"``), the entity (EntityRef; ``None`` for a segment)."""
    NO_KEYED_VALUE = "no_keyed_value"
    """A keyed value has no entry for the key (kind :attr:`Kind.NO_THRESHOLD`).  args: key."""
    NO_THRESHOLD = "no_threshold"
    """No period of a dated value is in force (kind :attr:`Kind.NO_THRESHOLD`).
    args: the date (:class:`datetime.date`)."""
    REPORT_ONLY = "report_only"
    """The period in force is report-only (kind :attr:`Kind.REPORT_ONLY`).  args: the
    period's start and end (:class:`datetime.date` or ``None``)."""
    # --- applicability
    NO_SCHOOLS_OF_SEGMENT = "no_schools_of_segment"
    """The county states it has no schools of a segment (不适用).  args: segment."""
    NO_SEGMENT_IN_LIST = "no_segment_in_list"
    """The county's complete school list has no school of a segment (不适用).  args: segment."""
    # --- 差异系数
    SINGLE_SCHOOL = "single_school"
    """Fewer than two schools with students: no inter-school balance (kind
    :attr:`Kind.NOT_APPLICABLE`).  args: how many (0 or 1)."""
    CV_NEGATIVE_WEIGHT = "cv_negative_weight"
    """The weight of an entity in a 差异系数 is negative.  args: entity (EntityRef)."""
    CV_NEEDS_EXACT = "cv_needs_exact"
    """A figure of a 差异系数 is a range.  args: entity (EntityRef)."""
    CV_ZERO_MEAN = "cv_zero_mean"
    """The weighted mean is 0, so the 差异系数 is undefined.  args: none."""
    # --- one-through schools
    WHOLE_SCHOOL_NOT_SPLIT = "whole_school_not_split"
    """A whole-school figure the rule set does not split by segment is read for one
    segment.  args: school (EntityRef), field (FieldRef)."""
    SPLIT_NEEDS_STUDENTS = "split_needs_students"
    """A segment's 在校生数, needed to split a figure, is missing or a range.  args: school
    (EntityRef), segment, field (FieldRef)."""
    SPLIT_NO_WEIGHT = "split_no_weight"
    """No split weight for some of a school's segments.  args: school (EntityRef), field
    (FieldRef), the segments without a weight (a tuple)."""
    SPLIT_NEGATIVE = "split_negative"
    """A student count of a school to split is negative.  args: school (EntityRef),
    field (FieldRef)."""
    SPLIT_NO_STUDENTS = "split_no_students"
    """A school to split has no students.  args: school (EntityRef), field (FieldRef)."""
    # --- what an evaluation left out, merged or split (notes and dispositions)
    LEFT_OUT_SPECIAL = "left_out_special"
    """A 特殊教育学校 is not counted (setting ``include_special``).  args: school (EntityRef)."""
    LEFT_OUT_PRIVATE = "left_out_private"
    """A 民办 school is not counted (setting ``include_private``).  args: school (EntityRef)."""
    LEFT_OUT_TEACHING_POINT = "left_out_teaching_point"
    """A 教学点 is not counted (setting ``teaching_points``).  args: school (EntityRef)."""
    LEFT_OUT_SMALL_TEACHING_POINT = "left_out_small_teaching_point"
    """A 教学点 below the minimum is not counted (setting ``teaching_point_min_students``).
    args: school (EntityRef), its students, the minimum (exact numbers)."""
    MERGED_TEACHING_POINT = "merged_teaching_point"
    """A 教学点 is merged into its central school (setting ``teaching_points``).
    args: school (EntityRef), central school (EntityRef)."""
    ZERO_STUDENTS = "zero_students"
    """A school segment with 0 students is left out of a segment-scope rule.  args:
    entity (EntityRef)."""
    ZERO_STUDENTS_CV = "zero_students_cv"
    """An entity with 0 students is left out of a 差异系数.  args: entity (EntityRef)."""
    CV_LEFT_OUT = "cv_left_out"
    """An entity without the figures is left out of a 差异系数 (setting
    ``cv_over_available``).  args: entity (EntityRef), the reasons (a tuple of
    :class:`Reason`)."""
    CV_SHARES = "cv_shares"
    """The entities with the largest shares of a 差异系数's variance.  args: a tuple of
    ``(entity, share)`` pairs (EntityRef, exact share of the variance), largest first,
    ties in entity order (at most three)."""
    SPLIT_SHARE = "split_share"
    """A one-through school's figure is split: the segment's share.  args: segment
    (EntityRef), field (FieldRef, or ``None`` for the share of every split figure),
    share (exact), the weights setting's name."""
    FIGURE_DIFFERS = "figure_differs"
    """A county figure differs from the sum over its schools; the county figure is used
    (a warning).  args: entity (EntityRef), field (FieldRef), the given value, the sum."""
    # --- warnings of a report
    APPROXIMATE_USED = "approximate_used"
    """An item's verdict was computed from approximate figures (约…), used as stated
    (a warning).  args: the item, part or rule id."""
    UNUSED_ANSWERS = "unused_answers"
    """Answers (自评) for this rule set match no item or part of it and are not used
    (a warning).  args: the rule set's id, the answers' item labels (a tuple, in data
    order), near-miss suggestions (a tuple of ``(label, suggested id)`` pairs, at most
    five)."""
    FOREIGN_ANSWERS = "foreign_answers"
    """Answers (自评) that belong to other rule sets are not used (a warning).  args: a
    tuple of ``(rule-set id, number of answers)`` pairs, sorted by id."""
    # --- why an entity or item has the outcome it has
    DOES_NOT_APPLY = "does_not_apply"
    """A rule's applicability condition is false (不适用).  args: the rule's ``otherwise``
    text (or ``None``), the condition as rule text."""
    APPLICABILITY_UNKNOWN = "applicability_unknown"
    """A rule's applicability condition is unknown (缺少数据).  args: none."""
    MISSING_FIGURES = "missing_figures"
    """The requirement is unknown for missing figures (缺少数据).  args: none."""
    NO_THRESHOLD_IN_FORCE = "no_threshold_in_force"
    """The requirement is unknown for want of a threshold (缺少数据).  args: none."""
    REPORT_ONLY_PERIOD = "report_only_period"
    """The requirement is report-only in the period in force.  args: the
    :attr:`REPORT_ONLY` reasons (a tuple)."""
    REPORT_ONLY_NO_VALUE = "report_only_no_value"
    """Report-only, and the value to show cannot be computed (缺少数据).  args: the
    :attr:`REPORT_ONLY` reasons (a tuple)."""
    NOT_APPLICABLE_BECAUSE = "not_applicable_because"
    """The requirement is 不适用 for the reasons given.  args: the reasons (a tuple)."""
    MISSING_LIST = "missing_list"
    """The rule's list of entities is not given (缺少数据).  args: none."""
    NO_ENTITIES_INCOMPLETE = "no_entities_incomplete"
    """The rule has no entities and its list is not declared complete.  args: none."""
    NO_ENTITIES = "no_entities"
    """The rule has no entities: its complete list is empty (不适用).  args: none."""
    NOT_STATED = "not_stated"
    """The county's answer (自评) is 未说明.  args: none."""
    NO_ANSWER = "no_answer"
    """No answer (自评) and no computed rule (缺少数据).  args: none."""


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


@attrs.frozen(slots=True, cache_hash=True)
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


def _make(lo: Exact, hi: Exact, approx: bool, bracket: bool = False) -> Exact | Interval:
    lo, hi = _exact(lo), _exact(hi)
    if lo == hi and not approx:
        return lo
    return Interval(lo, hi, approx, bracket and lo != hi)


def _point(x: Value) -> bool:
    """True for a number that is one value: exact, approximate, or a bracket (not a range)."""
    return type(x) is not Interval or x.bracket or x.lo == x.hi


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
    return _make(alo + blo, ahi + bhi, aap or bap, _point(a) and _point(b))


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
    return _make(-hi, -lo, ap, _point(a))


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
    return _make(min(c), max(c), aap or bap, _point(a) and _point(b))


_DIV0 = Unknown((Reason(Code.DIVISION_BY_ZERO),))


def _check_parts() -> bool:
    """Whether :class:`Fraction` keeps its terms in ``_numerator``/``_denominator`` slots
    (CPython 3.10–3.13 does); if a later version does not, the public API is used."""
    try:
        f = Fraction(6, 4)
        g = object.__new__(Fraction)
        g._numerator, g._denominator = 3, 2  # type: ignore[attr-defined]
        return f._numerator == 3 and f._denominator == 2 and g == f and hash(g) == hash(f)  # type: ignore[attr-defined]
    except (AttributeError, TypeError):  # pragma: no cover - another Fraction layout
        return False


#: True when :func:`ratio` and :func:`parts` may use Fraction's slots directly.
FAST_FRACTIONS = _check_parts()
_new = object.__new__


def ratio(n: int, d: int) -> Exact:
    """The exact quotient ``n / d`` of two integers (``d != 0``): an ``int`` when whole,
    else a reduced ``Fraction``.

    Builds the Fraction from its reduced terms directly (the constructor re-checks its
    arguments, which costs more than the division): per-student figures are the bulk of
    an evaluation's arithmetic.
    """
    g = _gcd(n, d)
    if d < 0:
        g = -g
    n //= g
    d //= g
    if d == 1:
        return n
    if FAST_FRACTIONS:
        f = _new(Fraction)
        f._numerator = n  # type: ignore[attr-defined]
        f._denominator = d  # type: ignore[attr-defined]
        return f
    return Fraction(n, d)  # pragma: no cover - another Fraction layout


def parts(x: Exact) -> tuple[int, int]:
    """An exact number as ``(numerator, denominator)``, the denominator positive."""
    if x.__class__ is int:
        return x, 1
    if FAST_FRACTIONS:
        return x._numerator, x._denominator  # type: ignore[union-attr]
    return x.numerator, x.denominator  # pragma: no cover


def div(a: Value, b: Value) -> Value:
    """``a ÷ b``; unknown (:attr:`Code.DIVISION_BY_ZERO`) when ``b`` is or may be 0.

    An exact quotient of two integers is a ``Fraction`` reduced to an ``int`` when whole.
    """
    ta, tb = type(a), type(b)
    if (ta is int or ta is Fraction) and (tb is int or tb is Fraction):
        if b == 0:
            return _DIV0
        if ta is int and tb is int:
            return ratio(a, b)  # type: ignore[arg-type]
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
    return _make(min(c), max(c), aap or bap, _point(a) and _point(b))


_RANGE = Unknown((Reason(Code.RANGE_UNDECIDED),))


def compare(op: str, a: Value, b: Value) -> Value:
    """``a op b`` for ``op`` in ``>= > <= < == !=``.

    Numbers compare exactly; over intervals the result is decided only when it is
    the same for every pair of points, else unknown (:attr:`Code.RANGE_UNDECIDED`).
    A bracketed square root (an :class:`Interval` with ``square``) against an exact
    number is decided exactly from the squares, whatever the bracket's width.
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
    if ta is Interval and a.square is not None and (tb is int or tb is Fraction):  # type: ignore[union-attr]
        return _compare_root(op, a.square, b)  # type: ignore[union-attr, arg-type]
    if tb is Interval and b.square is not None and (ta is int or ta is Fraction):  # type: ignore[union-attr]
        return _compare_root(_FLIP.get(op, op), b.square, a)  # type: ignore[union-attr, arg-type]
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


_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}


def _compare_root(op: str, square: Fraction, b: Exact) -> bool:
    """``√square op b``, decided exactly: a non-negative root against a negative ``b``
    is larger; otherwise the root compares as ``square`` does with ``b²``.

    This is how ``cv(…) <= L`` is decided without a square root: CV ≤ L ⇔ S² ≤ L²·mean².

    Raises:
        ValueError: ``op`` is not a comparison.
    """
    if b < 0:
        sign = 1
    else:
        bb = b * b
        sign = (square > bb) - (square < bb)
    if op == ">=":
        return sign >= 0
    if op == ">":
        return sign > 0
    if op == "<=":
        return sign <= 0
    if op == "<":
        return sign < 0
    if op == "==":
        return sign == 0
    if op == "!=":
        return sign != 0
    raise ValueError(f"not a comparison: {op!r}")


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
