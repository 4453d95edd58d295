"""How reports print numbers: decimals, units, 约, ranges, and digits that keep the verdict.

A printed value and its threshold never contradict the verdict (0.501787 against
``<= 0.5`` never prints as 0.5, a 差异系数 exactly on its limit prints as the limit), a
margin that is not 0 never prints as 0, and ``%×`` is never printed.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduint.core.units import PERCENT, parse_unit
from eduint.core.values import Interval
from eduint.reporting.numbers import (
    agreeing_places,
    decimal_text,
    exact_text,
    in_unit,
    margin_places,
    negated,
    number_text,
    places_shown,
    shown_unit,
    unit_suffix,
)

RATIO = parse_unit("人/百人")
PERSONS = parse_unit("人")


def test_decimal_text_rounds_half_to_even_and_drops_trailing_zeros() -> None:
    """Exact integer rounding, at most ``places`` places, no trailing zeros."""
    assert decimal_text(Fraction(2, 3), 3) == "0.667"
    assert decimal_text(Fraction(1, 2), 3) == "0.5"
    assert decimal_text(Fraction(5, 2), 0) == "2"  # half to even
    assert decimal_text(Fraction(7, 2), 0) == "4"
    assert decimal_text(Fraction(-1, 3), 2) == "-0.33"
    assert decimal_text(Fraction(-1, 1000), 2) == "0"
    assert decimal_text(10**30 + 1, 3) == str(10**30 + 1)
    assert places_shown(Fraction(1, 2), 3) == 1 and places_shown(5, 3) == 0


def test_numbers_with_units() -> None:
    """% and ‰ attach, other units follow a space, a bare ratio shows none; 约 marks an
    approximate figure and an en dash a range."""
    assert number_text(Fraction(17, 20), PERCENT, 3) == "85%"
    assert number_text(Fraction(1000, 209), RATIO, 3) == "4.785 人/百人"
    assert number_text(Interval(212, 212, approx=True), PERSONS, 3) == "约212 人"
    assert number_text(Interval(212, 212, approx=True), PERSONS, 3, approx="~") == "~212 人"
    assert number_text(Interval(30, 39), PERSONS, 3) == "30–39 人"
    assert number_text(Fraction(1, 2), parse_unit("人/人"), 3) == "0.5"
    assert unit_suffix(parse_unit("万元")) == " 万元"
    assert number_text(50000, parse_unit("万元"), 3) == "5 万元"
    assert in_unit(Fraction(1, 2), PERCENT) == 50


def test_products_of_the_arithmetic_print_in_canonical_units() -> None:
    """``85% * 4.5 人/百人`` has the unit ``%×人/百人``: it prints as 人/百人, never ``%×``."""
    product = PERCENT * RATIO
    assert "×" in str(product)
    assert str(shown_unit(product)) == "人/百人"
    value = Fraction(85, 100) * Fraction(9, 2)  # canonical: 3.825 人/百人
    assert number_text(value, product, 3) == "3.825 人/百人"


def test_value_and_threshold_agree_with_the_verdict() -> None:
    """0.501787 against <= 0.5 (not met) needs a third place; a tie prints as a tie only
    when it is one."""
    dimensionless = parse_unit("")
    p = agreeing_places(Fraction(501787, 10**6), Fraction(1, 2), "<=", False, dimensionless, 2)
    assert decimal_text(Fraction(501787, 10**6), p) != decimal_text(Fraction(1, 2), p)
    assert p == 3
    # exactly on the limit: met, and printed equal
    assert agreeing_places(Fraction(1, 2), Fraction(1, 2), "<=", True, dimensionless, 3) == 3
    # 90% against > 90%: not met, printed equal (that is what fails)
    assert agreeing_places(Fraction(9, 10), Fraction(9, 10), ">", False, PERCENT, 3) == 3
    # a value just above its threshold prints above it
    above = Fraction(1, 2) + Fraction(1, 10**9)
    q = agreeing_places(above, Fraction(1, 2), ">=", True, dimensionless, 3)
    assert decimal_text(above, q) != "0.5" and q == 9


def test_a_cv_exactly_on_its_limit_prints_as_the_limit() -> None:
    """A 差异系数 carried as a bracket around its irrational value, decided met from its
    exact square, prints as the limit; one just above prints above it."""
    on = Interval(
        Fraction(1, 2) - Fraction(1, 10**41), Fraction(1, 2) + Fraction(1, 10**41), bracket=True
    )
    p = agreeing_places(on, Fraction(1, 2), "<=", True, parse_unit(""), 3)
    assert number_text(on, parse_unit(""), p) == "0.5"
    root2 = Fraction(math.isqrt(2 * 10**80), 10**40)  # √2 to 40 places
    bracket = Interval(root2, root2 + Fraction(1, 10**40), bracket=True)
    assert number_text(bracket, parse_unit(""), 3) == "1.414"


@given(
    st.fractions(min_value=0, max_value=10, max_denominator=10**6),
    st.fractions(min_value=0, max_value=10, max_denominator=10**6),
    st.sampled_from([">=", ">", "<=", "<"]),
)
def test_printed_figures_never_contradict_the_verdict(a: Fraction, b: Fraction, op: str) -> None:
    """For any value and threshold, the printed figures compared as printed give the
    verdict of the exact ones, and differ unless the exact ones are equal."""
    holds = {">=": a >= b, ">": a > b, "<=": a <= b, "<": a < b}[op]
    p = agreeing_places(a, b, op, holds, parse_unit(""), 3)
    sa, sb = Fraction(decimal_text(a, p)), Fraction(decimal_text(b, p))
    assert {">=": sa >= sb, ">": sa > sb, "<=": sa <= sb, "<": sa < sb}[op] == holds
    assert (sa == sb) == (a == b)


def test_margins_that_are_not_zero_never_print_as_zero() -> None:
    """A margin of 1/1000 at 2 places takes a third."""
    assert margin_places(Fraction(1, 1000), 2) == 3
    assert margin_places(Fraction(-1, 1000), 2) == 3
    assert margin_places(0, 2) == 2


def test_failing_comparisons_show_the_comparator_that_holds() -> None:
    """``3 人 < 100 人`` for a failing ``>=``; each comparator has its negation."""
    assert [negated(op) for op in (">=", ">", "<=", "<", "==", "!=")] == [
        "<", "<=", ">", ">=", "!=", "==",
    ]  # fmt: skip


def test_exact_forms_for_machines() -> None:
    """The exact form of a number: ``2/3``, ``5``, ``-7/2``."""
    assert [exact_text(x) for x in (Fraction(2, 3), 5, Fraction(-7, 2))] == ["2/3", "5", "-7/2"]


@pytest.mark.parametrize("places", [0, 3, 12])
def test_ranges_keep_the_display_precision(places: int) -> None:
    """A range from the data is printed as a range whatever the verdict."""
    rng = Interval(30, 39)
    assert agreeing_places(rng, 45, "<=", True, PERSONS, places) == places
