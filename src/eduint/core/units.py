"""The unit vocabulary of eduint and the rules for combining units.

A :class:`Unit` is a product of base dimensions with integer exponents and an
exact scale factor relative to the canonical unit of those dimensions:

========  ==========  ==========================================
written   dimension   scale
========  ==========  ==========================================
人, 生    人          1  (a count of persons; 生 is a student)
人次      人次        1  (person-times, e.g. training attendances)
元        元          1
万元      元          10000
平方米    平方米      1  (also written ㎡, m², m2)
亩        平方米      2000/3  (1 亩 = 666.67 平方米)
间        间          1  (rooms)
册        册          1  (books)
台        台          1  (computers, devices)
所        所          1  (schools)
个        个          1  (other counted things)
班        班          1  (classes)
学时      学时        1  (training hours)
年        年          1
%         (none)      1/100
‰         (none)      1/1000
百人,百生 百人        1  (only as a denominator: a per-100 rate)
========  ==========  ==========================================

``百人`` is deliberately its own dimension: ``人/百人`` (teachers per 100
students) and ``人/人`` (teachers per student) are both ratios of persons, but
comparing a per-100 rate with a per-student ratio is the classic slip of
spreadsheet tools (4.2 against 0.042), so the checker refuses it.

Compound units are written ``A/B`` (``元/人``, ``平方米/人``, ``人/百人``).  The
dimensionless unit prints as ``1``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs

__all__ = [
    "display_unit",
    "DIMENSIONLESS",
    "PERCENT",
    "Unit",
    "UnitError",
    "parse_unit",
    "unit_names",
]


class UnitError(ValueError):
    """A unit is not in the vocabulary."""


# written form -> (dimension or None, scale)
_BASE: dict[str, tuple[str | None, Fraction]] = {
    "人": ("人", Fraction(1)),
    "生": ("人", Fraction(1)),
    "人次": ("人次", Fraction(1)),
    "元": ("元", Fraction(1)),
    "万元": ("元", Fraction(10000)),
    "平方米": ("平方米", Fraction(1)),
    "㎡": ("平方米", Fraction(1)),
    "m²": ("平方米", Fraction(1)),
    "m2": ("平方米", Fraction(1)),
    "亩": ("平方米", Fraction(2000, 3)),
    "间": ("间", Fraction(1)),
    "册": ("册", Fraction(1)),
    "台": ("台", Fraction(1)),
    "所": ("所", Fraction(1)),
    "个": ("个", Fraction(1)),
    "班": ("班", Fraction(1)),
    "学时": ("学时", Fraction(1)),
    "年": ("年", Fraction(1)),
    "%": (None, Fraction(1, 100)),
    "‰": (None, Fraction(1, 1000)),
    "百人": ("百人", Fraction(1)),
    "百生": ("百人", Fraction(1)),
}


def unit_names() -> tuple[str, ...]:
    """Every written base unit the vocabulary accepts, in a stable order."""
    return tuple(_BASE)


@attrs.frozen
class Unit:
    """A unit: base dimensions with exponents, and a scale to the canonical unit.

    Attributes:
        dims: sorted ``(dimension, exponent)`` pairs, exponents non-zero
            (``(("人", -1), ("元", 1))`` for 元/人).
        scale: exact factor from this unit to the canonical unit of ``dims``
            (``10000`` for 万元, ``1/100`` for %).
        text: the written form, for messages; not compared.
    """

    dims: tuple[tuple[str, int], ...] = ()
    scale: Fraction = Fraction(1)
    text: str = attrs.field(default="", eq=False)

    @classmethod
    def _make(cls, dims: Mapping[str, int], scale: Fraction, text: str) -> Unit:
        made = cls(tuple(sorted((d, e) for d, e in dims.items() if e != 0)), scale, text)
        if len(text) > _MAX_TEXT:
            # A long chain of × and / (人×人/人×人…): the written form would grow with
            # every step, and only the dimensions mean anything.
            return cls(made.dims, scale, made.canonical())
        return made

    @property
    def dimensionless(self) -> bool:
        """True for bare numbers, % and ‰ (and ratios like 人/人)."""
        return not self.dims

    def same_dimension(self, other: Unit) -> bool:
        """True when values in the two units can be compared or added after conversion."""
        return self.dims == other.dims

    def __mul__(self, other: Unit) -> Unit:
        dims = dict(self.dims)
        for d, e in other.dims:
            dims[d] = dims.get(d, 0) + e
        return Unit._make(dims, self.scale * other.scale, _join(self, other, "×"))

    def __truediv__(self, other: Unit) -> Unit:
        dims = dict(self.dims)
        for d, e in other.dims:
            dims[d] = dims.get(d, 0) - e
        return Unit._make(dims, self.scale / other.scale, _join(self, other, "/"))

    def __str__(self) -> str:
        return self.text or self.canonical()

    def canonical(self) -> str:
        """The canonical written form of the dimensions (``元/人``, ``1``)."""
        num = [_power(d, e) for d, e in self.dims if e > 0]
        den = [_power(d, -e) for d, e in self.dims if e < 0]
        top = "·".join(num) if num else "1"
        return top + ("/" + "·".join(den) if den else "")

    def describe(self) -> str:
        """A human description: the written form and, if it differs, the canonical one.

        The empty string for a bare number (no unit written, no dimension), so
        that callers can say "a bare number" instead of ``1``.
        """
        if not self.text and not self.dims and self.scale == 1:
            return ""
        text = str(self)
        canon = self.canonical()
        if self.scale != 1 and not self.dims:
            return text
        return text if text == canon else f"{text} (= {canon})"


#: Longest written form a product or quotient of units keeps (else: its dimensions).
_MAX_TEXT = 40


def _power(d: str, e: int) -> str:
    return d if e == 1 else f"{d}^{e}"


def _join(a: Unit, b: Unit, op: str) -> str:
    if not a.text:
        return b.text if op == "×" else f"1/{b.text}" if b.text else ""
    if not b.text:
        return a.text
    return f"{a.text}{op}{b.text}"


DIMENSIONLESS = Unit(text="")
"""A bare number."""

PERCENT = Unit((), Fraction(1, 100), "%")
"""Per cent."""


def _base(word: str) -> Unit:
    try:
        dim, scale = _BASE[word]
    except KeyError:
        raise UnitError(f"unknown unit '{word}'") from None
    return Unit(((dim, 1),) if dim else (), scale, word)


def parse_unit(text: str | None) -> Unit:
    """Parse a written unit such as ``人``, ``元/人``, ``平方米/人``, ``人/百人``, ``%``.

    Args:
        text: the unit as written; ``None`` or ``""`` is the dimensionless unit.

    Returns:
        The :class:`Unit`, keeping ``text`` for messages.

    Raises:
        UnitError: a part of the unit is not in the vocabulary.
    """
    if not text:
        return DIMENSIONLESS
    parts = text.split("/")
    unit = _base(parts[0].strip())
    for part in parts[1:]:
        unit = unit / _base(part.strip())
    return attrs.evolve(unit, text=text)


def known(words: Iterable[str]) -> bool:
    """True when every word is a base unit of the vocabulary."""
    return all(w in _BASE for w in words)


def display_unit(preferred: Unit, other: Unit) -> Unit:
    """The unit a comparison is shown in: the threshold's as written, unless it is a
    product of the arithmetic (85% * 4.5 元 is "%×元"; 班 / (班/间) is "班/班/间"),
    then the figure's, else the canonical form of the dimensions.

    Args:
        preferred: the threshold's unit (the right side of the comparison).
        other: the figure's unit (the left side).
    """
    for u in (preferred, other):
        text = str(u)
        shown = bool(u.dims) or text in ("%", "‰")  # 人/人 is a bare ratio
        if shown and "×" not in text and text.count("/") <= 1:
            return u
    if preferred.dims:
        return attrs.evolve(preferred, scale=Fraction(1), text=preferred.canonical())
    return preferred
