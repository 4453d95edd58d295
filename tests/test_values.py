"""The laws of the value algebra, :mod:`eduint.core.values` (Hypothesis properties).

* Kleene's strong three-valued logic: the truth tables of ``and``/``or``/``not`` for all
  9 pairs, commutativity, associativity, De Morgan, ``all_of``/``any_of`` as folds, and
  ``kleene_count`` against counting over every completion of the unknowns;
* arithmetic: ``add`` and ``mul`` commutative and associative (unknowns included),
  ``sub`` is ``add`` of ``neg``;
* intervals: for points inside two intervals, ``op(point_a, point_b)`` lies inside
  ``op(interval_a, interval_b)`` for + − × ÷, and the result is the smallest such
  interval; a decided comparison over intervals agrees with every pair of points, an
  undecided one has a pair of points each way;
* division by zero (or by a range that may be 0) is always
  ``Unknown(DIVISION_BY_ZERO)``, never a number;
* ``bool`` is never a number: not counted as one, refused in arithmetic and in
  comparisons with a number;
* exact results are ``int`` whenever they are whole, else ``Fraction``, never ``float``.

Unknowns compare by their reasons as a set and their kind: the order of reasons is the
order first met, which an operand swap may change, and nothing else may.

The interval and comparison properties run once per operator and take seconds in the
``ci`` profile: they are marked slow (the fast set leaves them to the full run).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduint.core import values as v
from eduint.core.values import Code, Interval, Kind, Reason, Unknown

# ------------------------------------------------------------------ strategies

exacts = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.fractions(min_value=-(10**4), max_value=10**4, max_denominator=1000),
)


@st.composite
def intervals(draw: st.DrawFn, *, approx: bool | None = None) -> Interval:
    """An interval ``[lo, hi]`` with exact endpoints (possibly lo == hi), approximate or not."""
    a, b = draw(exacts), draw(exacts)
    flag = draw(st.booleans()) if approx is None else approx
    return Interval(min(a, b), max(a, b), flag)


REASON_POOL = [
    Reason(Code.MISSING_FIGURE, ("S1", "students")),
    Reason(Code.MISSING_FIGURE, ("S2", "books")),
    Reason(Code.DIVISION_BY_ZERO),
    Reason(Code.RANGE_UNDECIDED),
    Reason(Code.EMPTY_AGGREGATE, ("count", "班级")),
]
unknowns = st.builds(
    Unknown,
    st.lists(st.sampled_from(REASON_POOL), max_size=3, unique=True).map(tuple),
    st.sampled_from(list(Kind)),
)
numbers = st.one_of(exacts, intervals())
numeric_values = st.one_of(exacts, intervals(), unknowns)
truths = st.one_of(st.booleans(), unknowns)

U = Unknown((Reason(Code.MISSING_FIGURE, ("S1", "students")),))


def same(x: Any, y: Any) -> bool:
    """Equal values; unknowns equal by the set of their reasons and their kind."""
    if isinstance(x, Unknown) or isinstance(y, Unknown):
        return (
            isinstance(x, Unknown)
            and isinstance(y, Unknown)
            and set(x.reasons) == set(y.reasons)
            and x.kind is y.kind
        )
    return type(x) is type(y) and x == y


def truth(x: Any) -> bool | None:
    """A truth value as True, False or None (unknown)."""
    assert x is True or x is False or isinstance(x, Unknown), x
    return None if isinstance(x, Unknown) else x


def _points(iv: Interval) -> st.SearchStrategy[Fraction]:
    """Points of ``iv``: its ends, and exact points between them."""
    lo, hi = Fraction(iv.lo), Fraction(iv.hi)
    inner = st.fractions(min_value=lo, max_value=hi, max_denominator=1000).filter(
        lambda p: lo <= p <= hi
    )
    return st.one_of(st.sampled_from([lo, hi]), inner)


def _bounds(x: Any) -> tuple[Fraction, Fraction]:
    lo, hi, _ = v.bounds(x)
    return Fraction(lo), Fraction(hi)


# ------------------------------------------------------------------ Kleene logic

T, F = True, False
AND_TABLE = [
    (T, T, T),
    (T, F, F),
    (T, U, None),
    (F, T, F),
    (F, F, F),
    (F, U, F),
    (U, T, None),
    (U, F, F),
    (U, U, None),
]
OR_TABLE = [
    (T, T, T),
    (T, F, T),
    (T, U, T),
    (F, T, T),
    (F, F, F),
    (F, U, None),
    (U, T, T),
    (U, F, None),
    (U, U, None),
]


@pytest.mark.parametrize(("a", "b", "expected"), AND_TABLE)
def test_kleene_and_table(a: Any, b: Any, expected: bool | None) -> None:
    """false ∧ anything = false; true ∧ true = true; otherwise unknown, with the
    unknown's reasons."""
    result = v.and_(a, b)
    assert truth(result) is expected
    if expected is None:
        assert result.reasons == U.reasons


@pytest.mark.parametrize(("a", "b", "expected"), OR_TABLE)
def test_kleene_or_table(a: Any, b: Any, expected: bool | None) -> None:
    """true ∨ anything = true; false ∨ false = false; otherwise unknown."""
    result = v.or_(a, b)
    assert truth(result) is expected
    if expected is None:
        assert result.reasons == U.reasons


@pytest.mark.parametrize(("a", "expected"), [(T, F), (F, T), (U, None)])
def test_kleene_not_table(a: Any, expected: bool | None) -> None:
    """¬true = false, ¬false = true, ¬unknown = the same unknown."""
    result = v.not_(a)
    assert truth(result) is expected
    if expected is None:
        assert result is U


@given(truths, truths)
def test_and_or_are_commutative(a: Any, b: Any) -> None:
    assert same(v.and_(a, b), v.and_(b, a))
    assert same(v.or_(a, b), v.or_(b, a))


@given(truths, truths, truths)
def test_and_or_are_associative(a: Any, b: Any, c: Any) -> None:
    assert same(v.and_(v.and_(a, b), c), v.and_(a, v.and_(b, c)))
    assert same(v.or_(v.or_(a, b), c), v.or_(a, v.or_(b, c)))


@given(truths, truths)
def test_de_morgan(a: Any, b: Any) -> None:
    """¬(a ∧ b) = ¬a ∨ ¬b and ¬(a ∨ b) = ¬a ∧ ¬b, unknowns included."""
    assert same(v.not_(v.and_(a, b)), v.or_(v.not_(a), v.not_(b)))
    assert same(v.not_(v.or_(a, b)), v.and_(v.not_(a), v.not_(b)))


@given(truths, truths)
def test_and_or_are_absorbing_and_idempotent(a: Any, b: Any) -> None:
    """a ∧ a = a, a ∨ a = a, a ∧ (a ∨ b) = a, a ∨ (a ∧ b) = a (in truth)."""
    assert truth(v.and_(a, a)) is truth(a)
    assert truth(v.or_(a, a)) is truth(a)
    assert truth(v.and_(a, v.or_(a, b))) is truth(a)
    assert truth(v.or_(a, v.and_(a, b))) is truth(a)


@given(st.lists(truths, max_size=6))
def test_all_of_and_any_of_are_folds(xs: list[Any]) -> None:
    """``all_of`` is ``and`` folded from true, ``any_of`` is ``or`` folded from false."""
    all_fold: Any = True
    any_fold: Any = False
    for x in xs:
        all_fold = v.and_(all_fold, x)
        any_fold = v.or_(any_fold, x)
    assert same(v.all_of(xs), all_fold)
    assert same(v.any_of(xs), any_fold)


@given(st.integers(min_value=-1, max_value=8), st.lists(truths, max_size=7))
def test_kleene_count_agrees_with_every_completion(k: int, xs: list[Any]) -> None:
    """``kleene_count(k, xs)`` is true when every way of deciding the unknowns gives at
    least ``k`` true, false when none does, else unknown with the unknowns' reasons."""
    holes = [i for i, x in enumerate(xs) if isinstance(x, Unknown)]
    outcomes = set()
    for fill in itertools.product([True, False], repeat=len(holes)):
        filled = list(xs)
        for i, b in zip(holes, fill, strict=True):
            filled[i] = b
        outcomes.add(sum(1 for x in filled if x is True) >= k)
    result = v.kleene_count(k, xs)
    if outcomes == {True}:
        assert result is True
    elif outcomes == {False}:
        assert result is False
    else:
        assert isinstance(result, Unknown)
        assert set(result.reasons) == {r for i in holes for r in xs[i].reasons}


# ------------------------------------------------------------------ arithmetic


@given(numeric_values, numeric_values)
def test_add_and_mul_are_commutative(a: Any, b: Any) -> None:
    assert same(v.add(a, b), v.add(b, a))
    assert same(v.mul(a, b), v.mul(b, a))


@given(numeric_values, numeric_values, numeric_values)
def test_add_and_mul_are_associative(a: Any, b: Any, c: Any) -> None:
    assert same(v.add(v.add(a, b), c), v.add(a, v.add(b, c)))
    assert same(v.mul(v.mul(a, b), c), v.mul(a, v.mul(b, c)))


@given(numeric_values, numeric_values)
def test_sub_is_add_of_neg_and_neg_is_an_involution(a: Any, b: Any) -> None:
    assert same(v.sub(a, b), v.add(a, v.neg(b)))
    twice = v.neg(v.neg(a))
    if isinstance(a, Unknown):
        assert twice is a
    else:
        assert v.bounds(twice) == v.bounds(a)


@given(exacts, exacts)
def test_exact_arithmetic_is_pythons_fraction_arithmetic(a: Any, b: Any) -> None:
    """On exact numbers the results are the exact rational results."""
    fa, fb = Fraction(a), Fraction(b)
    assert v.add(a, b) == fa + fb
    assert v.sub(a, b) == fa - fb
    assert v.mul(a, b) == fa * fb
    if b != 0:
        assert v.div(a, b) == fa / fb
    for op, name in ((operator.ge, ">="), (operator.gt, ">"), (operator.le, "<=")):
        assert v.compare(name, a, b) is op(fa, fb)
    assert v.compare("<", a, b) is (fa < fb)
    assert v.compare("==", a, b) is (fa == fb)
    assert v.compare("!=", a, b) is (fa != fb)


OPS: dict[str, Callable[[Any, Any], Any]] = {"+": v.add, "-": v.sub, "*": v.mul, "/": v.div}
POINT_OPS: dict[str, Callable[[Fraction, Fraction], Fraction]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


@pytest.mark.slow
@pytest.mark.parametrize("op", sorted(OPS))
@given(a=intervals(), b=intervals(), data=st.data())
def test_interval_arithmetic_contains_every_point_result(
    op: str, a: Interval, b: Interval, data: st.DataObject
) -> None:
    """For points p in a and q in b, ``p op q`` lies in ``a op b`` (÷: b not containing
    0); the result is approximate when either operand is."""
    if op == "/" and b.lo <= 0 <= b.hi:
        return  # a divisor that may be 0: see test_division_by_zero_is_unknown_never_a_number
    result = OPS[op](a, b)
    lo, hi = _bounds(result)
    p, q = data.draw(_points(a)), data.draw(_points(b))
    assert lo <= POINT_OPS[op](p, q) <= hi
    assert v.bounds(result)[2] is (a.approx or b.approx)


@pytest.mark.slow
@pytest.mark.parametrize("op", sorted(OPS))
@given(a=intervals(), b=intervals())
def test_interval_arithmetic_is_the_smallest_interval(op: str, a: Interval, b: Interval) -> None:
    """Each end of ``a op b`` is ``p op q`` for some ends p of a and q of b: no interval
    inside it holds every point result."""
    if op == "/" and b.lo <= 0 <= b.hi:
        return
    lo, hi = _bounds(OPS[op](a, b))
    ends = {
        POINT_OPS[op](Fraction(p), Fraction(q))
        for p, q in itertools.product((a.lo, a.hi), (b.lo, b.hi))
    }
    assert lo in ends and hi in ends


COMPARISONS: dict[str, Callable[[Fraction, Fraction], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


@pytest.mark.slow
@pytest.mark.parametrize("op", sorted(COMPARISONS))
@given(a=numbers, b=numbers, data=st.data())
def test_a_decided_comparison_agrees_with_every_point_pair(
    op: str, a: Any, b: Any, data: st.DataObject
) -> None:
    """Decided over intervals, the comparison is the same for every pair of points;
    undecided (RANGE_UNDECIDED), some pair of points makes it true and another false."""
    result = v.compare(op, a, b)
    alo, ahi = _bounds(a)
    blo, bhi = _bounds(b)
    test = COMPARISONS[op]
    if isinstance(result, bool):
        p, q = data.draw(_points(Interval(alo, ahi))), data.draw(_points(Interval(blo, bhi)))
        assert test(p, q) is result
        for p, q in itertools.product((alo, ahi), (blo, bhi)):
            assert test(p, q) is result
    else:
        assert isinstance(result, Unknown)
        assert result.reasons == (Reason(Code.RANGE_UNDECIDED),)
        candidates = [*itertools.product((alo, ahi), (blo, bhi))]
        overlap = max(alo, blo)
        if overlap <= min(ahi, bhi):
            candidates.append((overlap, overlap))
        verdicts = {test(p, q) for p, q in candidates}
        assert verdicts == {True, False}


@given(numeric_values, numeric_values)
def test_an_unknown_operand_makes_an_unknown_result(a: Any, b: Any) -> None:
    """Arithmetic and comparison with an unknown operand are unknown, with its reasons."""
    if not (isinstance(a, Unknown) or isinstance(b, Unknown)):
        return
    reasons = {r for x in (a, b) if isinstance(x, Unknown) for r in x.reasons}
    for result in (v.add(a, b), v.sub(a, b), v.mul(a, b), v.div(a, b), v.compare(">=", a, b)):
        assert isinstance(result, Unknown)
        assert set(result.reasons) == reasons


# ------------------------------------------------------------------ division by zero


nonnegative = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.fractions(min_value=0, max_value=10**4, max_denominator=1000),
)
# Ranges that contain 0: [−x, y] with x, y ≥ 0 (0–0 and approximately 0 among them).
zero_ranges = st.builds(
    lambda x, y, ap: Interval(-x, y, ap), nonnegative, nonnegative, st.booleans()
)


@given(numbers, st.one_of(st.just(0), st.just(Fraction(0)), zero_ranges))
def test_division_by_zero_is_unknown_never_a_number(a: Any, b: Any) -> None:
    """÷ 0, or ÷ a range that may be 0, is Unknown(DIVISION_BY_ZERO), never a number."""
    result = v.div(a, b)
    assert isinstance(result, Unknown)
    assert result.reasons == (Reason(Code.DIVISION_BY_ZERO),)
    assert not v.is_number(result)


# ------------------------------------------------------------------ bool and exactness


@given(st.booleans(), numbers)
def test_bool_is_never_a_number(flag: bool, x: Any) -> None:
    """True is not 1: it is not a number, arithmetic refuses it, and it never equals or
    orders against a number (the checker never lets that through; if it did, the algebra
    says so instead of computing with 1 and 0)."""
    assert not v.is_number(flag)
    for f in (v.add, v.sub, v.mul, v.div):
        with pytest.raises(TypeError):
            f(flag, x)
        with pytest.raises(TypeError):
            f(x, flag)
    with pytest.raises(TypeError):
        v.neg(flag)
    for op in COMPARISONS:
        with pytest.raises(ValueError):
            v.compare(op, flag, x)
        with pytest.raises(ValueError):
            v.compare(op, x, flag)


@given(exacts, exacts)
def test_exact_results_are_int_when_whole(a: Any, b: Any) -> None:
    """Every exact result is an ``int`` when it is whole and a ``Fraction`` otherwise;
    never a float, never a bool."""
    results = [v.add(a, b), v.sub(a, b), v.mul(a, b), v.neg(a)]
    if b != 0:
        results.append(v.div(a, b))
    for r in results:
        assert type(r) in (int, Fraction), r
        assert (type(r) is int) is (Fraction(r).denominator == 1), r


@given(intervals(), intervals())
def test_interval_ends_are_int_when_whole(a: Interval, b: Interval) -> None:
    """The ends of an interval result follow the same rule as exact results."""
    for r in (v.add(a, b), v.sub(a, b), v.mul(a, b), v.neg(a)):
        for end in v.bounds(r)[:2]:
            assert (type(end) is int) is (Fraction(end).denominator == 1), (r, end)


@given(intervals(approx=False))
def test_only_an_approximate_single_value_is_an_interval(a: Interval) -> None:
    """An exact result of a single value is a number, not an interval; an approximate one
    stays an interval (flagged)."""
    zero = v.mul(a, 0)
    assert zero == 0 and type(zero) is int
    approx = v.add(Interval(a.lo, a.lo, approx=True), 0)
    assert isinstance(approx, Interval) and approx.approx and approx.exact


# ------------------------------------------------------------------ unknowns


@given(st.lists(unknowns, max_size=4))
def test_unknown_keeps_reasons_once_in_first_met_order(us: list[Unknown]) -> None:
    """Combined unknowns carry each reason once, in the order first met."""
    combined = v.unknown(*us)
    expected: list[Reason] = []
    for u in us:
        for r in u.reasons:
            if r not in expected:
                expected.append(r)
    assert list(combined.reasons) == expected


@given(st.lists(unknowns, max_size=4), st.randoms())
def test_the_kind_of_combined_unknowns_does_not_depend_on_their_order(
    us: list[Unknown], rnd: Any
) -> None:
    """The kind of combined unknowns is the highest-ranking kind among them (MISSING <
    NO_THRESHOLD < REPORT_ONLY < NOT_APPLICABLE), whatever their order."""
    shuffled = list(us)
    rnd.shuffle(shuffled)
    assert v.unknown(*us).kind is v.unknown(*shuffled).kind
    ranks = list(Kind)
    expected = max((u.kind for u in us), key=ranks.index, default=Kind.MISSING)
    assert v.unknown(*us).kind is expected
