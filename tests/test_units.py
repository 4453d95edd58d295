"""The unit vocabulary (:mod:`eduint.core.units`): parsing, exact conversions, dimensions."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduint.core.units import DIMENSIONLESS, PERCENT, Unit, UnitError, parse_unit, unit_names

# ---------------------------------------------------------------- parse_unit


@pytest.mark.parametrize(
    ("text", "dims", "scale"),
    [
        ("人", (("人", 1),), Fraction(1)),
        ("生", (("人", 1),), Fraction(1)),
        ("人次", (("人次", 1),), Fraction(1)),
        ("元", (("元", 1),), Fraction(1)),
        ("万元", (("元", 1),), Fraction(10000)),
        ("平方米", (("平方米", 1),), Fraction(1)),
        ("㎡", (("平方米", 1),), Fraction(1)),
        ("m²", (("平方米", 1),), Fraction(1)),
        ("m2", (("平方米", 1),), Fraction(1)),
        ("亩", (("平方米", 1),), Fraction(2000, 3)),
        ("%", (), Fraction(1, 100)),
        ("‰", (), Fraction(1, 1000)),
        ("元/人", (("人", -1), ("元", 1)), Fraction(1)),
        ("万元/人", (("人", -1), ("元", 1)), Fraction(10000)),
        ("平方米/人", (("人", -1), ("平方米", 1)), Fraction(1)),
        ("人/百人", (("人", 1), ("百人", -1)), Fraction(1)),
        ("人/百生", (("人", 1), ("百人", -1)), Fraction(1)),
        ("人/人", (), Fraction(1)),
        ("人/班", (("人", 1), ("班", -1)), Fraction(1)),
    ],
)
def test_parse_unit(text: str, dims: tuple[tuple[str, int], ...], scale: Fraction) -> None:
    """Each written unit has its dimensions and exact scale, and keeps its text."""
    unit = parse_unit(text)
    assert unit.dims == dims
    assert unit.scale == scale
    assert str(unit) == text


@pytest.mark.parametrize("text", [None, ""])
def test_no_unit_is_dimensionless(text: str | None) -> None:
    """No unit is a bare number: no dimensions, scale 1, printed ``1``."""
    unit = parse_unit(text)
    assert unit == DIMENSIONLESS
    assert unit.dimensionless
    assert str(unit) == "1"
    assert unit.describe() == ""


@pytest.mark.parametrize("text", ["斤", "人/斤", "元/", "students", "％"])
def test_unknown_unit_is_refused(text: str) -> None:
    """A unit outside the vocabulary raises UnitError naming it."""
    with pytest.raises(UnitError, match="unknown unit"):
        parse_unit(text)


def test_unit_error_is_a_value_error() -> None:
    """UnitError is a ValueError (not an EduintError: the checker turns it into E204)."""
    assert issubclass(UnitError, ValueError)


def test_every_unit_name_parses() -> None:
    """``unit_names()`` lists exactly what ``parse_unit`` accepts as a base."""
    for name in unit_names():
        parse_unit(name)
    assert len(set(unit_names())) == len(unit_names())


# ---------------------------------------------------------------- conversions


def test_wan_yuan_is_ten_thousand_yuan() -> None:
    """万元 = 10000 元: same dimension, scale ratio exactly 10000."""
    wan, yuan = parse_unit("万元"), parse_unit("元")
    assert wan.same_dimension(yuan)
    assert wan.scale / yuan.scale == 10000
    assert (wan / yuan).dimensionless and (wan / yuan).scale == 10000


def test_mu_is_exactly_two_thousand_thirds_square_metres() -> None:
    """1 亩 = 2000/3 平方米 exactly (666.67 rounded), not a float."""
    mu = parse_unit("亩")
    assert mu.same_dimension(parse_unit("平方米"))
    assert mu.scale == Fraction(2000, 3)
    assert isinstance(mu.scale, Fraction)
    assert 15 * mu.scale == 10000  # 15 亩 = 1 hectare


def test_square_metre_spellings_are_one_unit() -> None:
    """平方米, ㎡, m², m2 compare equal (the written text is not compared)."""
    units = [parse_unit(t) for t in ("平方米", "㎡", "m²", "m2")]
    assert all(u == units[0] for u in units)
    assert len({str(u) for u in units}) == 4


def test_percent_is_one_hundredth() -> None:
    """% is dimensionless with scale 1/100, ‰ 1/1000; PERCENT is ``parse_unit('%')``."""
    assert parse_unit("%") == PERCENT
    assert PERCENT.dimensionless and PERCENT.scale == Fraction(1, 100)
    assert parse_unit("‰").scale == Fraction(1, 1000)
    assert PERCENT.same_dimension(DIMENSIONLESS)


def test_percent_of_a_figure_keeps_its_dimension() -> None:
    """10% × 人 is in 人 (scale 1/100): a share of a count is a count."""
    unit = PERCENT * parse_unit("人")
    assert unit.same_dimension(parse_unit("人"))
    assert unit.scale == Fraction(1, 100)


def test_per_student_money_divides() -> None:
    """元 ÷ 人 is 元/人; 万元 ÷ 人 converts to it."""
    assert (parse_unit("元") / parse_unit("人")) == parse_unit("元/人")
    assert (parse_unit("万元") / parse_unit("人")).same_dimension(parse_unit("元/人"))


# ---------------------------------------------------------------- per-100


def test_per_hundred_is_its_own_dimension() -> None:
    """人/百人 and 人/人 are not the same dimension: 4.2 per 100 is not 4.2 per one."""
    per100 = parse_unit("人/百人")
    per_one = parse_unit("人/人")
    assert not per100.same_dimension(per_one)
    assert per_one.dimensionless
    assert not per100.dimensionless
    assert parse_unit("人/百人") == parse_unit("人/百生")
    assert parse_unit("生/百人") == parse_unit("人/百人")


def test_per_hundred_does_not_cancel_with_persons() -> None:
    """人 × (人/百人)^-1 keeps 百人: there is no silent ×100."""
    unit = parse_unit("人") / parse_unit("人/百人")
    assert unit.dims == (("百人", 1),)


# ---------------------------------------------------------------- text and description


def test_canonical_and_describe() -> None:
    """The written form is kept for messages; describe adds the canonical form if it differs."""
    assert parse_unit("元/人").canonical() == "元/人"
    assert parse_unit("元/人").describe() == "元/人"
    assert parse_unit("万元").describe() == "万元 (= 元)"
    assert parse_unit("㎡").describe() == "㎡ (= 平方米)"
    assert parse_unit("%").describe() == "%"
    assert (parse_unit("人") * parse_unit("人")).canonical() == "人^2"


# ---------------------------------------------------------------- properties

BASE_NAMES = st.sampled_from(unit_names())


@st.composite
def units(draw: st.DrawFn) -> Unit:
    """A product of one to three base units, each multiplied or divided."""
    unit = parse_unit(draw(BASE_NAMES))
    for _ in range(draw(st.integers(0, 2))):
        other = parse_unit(draw(BASE_NAMES))
        unit = unit * other if draw(st.booleans()) else unit / other
    return unit


@given(units(), units())
def test_multiply_then_divide_gives_the_same_dimension(a: Unit, b: Unit) -> None:
    """(a × b) ÷ b has a's dimension and a's scale, exactly."""
    back = (a * b) / b
    assert back.same_dimension(a)
    assert back.scale == a.scale
    assert back == a


@given(units(), units())
def test_divide_then_multiply_gives_the_same_dimension(a: Unit, b: Unit) -> None:
    """(a ÷ b) × b has a's dimension."""
    assert ((a / b) * b).same_dimension(a)


@given(units(), units())
def test_same_dimension_is_symmetric(a: Unit, b: Unit) -> None:
    """a converts to b exactly when b converts to a."""
    assert a.same_dimension(b) == b.same_dimension(a)


@given(units())
def test_same_dimension_is_reflexive_and_self_division_is_dimensionless(a: Unit) -> None:
    """a converts to itself, and a ÷ a is a bare number of scale 1."""
    assert a.same_dimension(a)
    ratio = a / a
    assert ratio.dimensionless and ratio.scale == 1


@given(units(), units(), units())
def test_multiplication_is_commutative_and_associative(a: Unit, b: Unit, c: Unit) -> None:
    """Unit products do not depend on order or grouping (text aside)."""
    assert a * b == b * a
    assert (a * b) * c == a * (b * c)


@given(BASE_NAMES, BASE_NAMES)
def test_written_compound_equals_computed(num: str, den: str) -> None:
    """``parse_unit('A/B')`` equals ``parse_unit('A') / parse_unit('B')``."""
    assert parse_unit(f"{num}/{den}") == parse_unit(num) / parse_unit(den)
