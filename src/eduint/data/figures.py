"""Figures as data files write them: exact, approximate (``约212``) or intervals (``30多``).

:func:`parse_figure` reads one figure from a YAML/JSON value or a spreadsheet cell;
:func:`dump_figure` writes one back in a form that reads back equal.  Numbers are
:class:`~decimal.Decimal`, never binary floats.  The written forms are listed in
:func:`parse_figure` and in ``docs/data-model.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from eduint.core.text import fold_width
from eduint.core.text import show as _show_value
from eduint.core.units import unit_names
from eduint.data.errors import DataValueError
from eduint.data.fields import COUNT_UNITS, is_count_unit
from eduint.data.models import Figure

__all__ = [
    "SIMPLE_NUMBER",
    "WHOLE_NUMBER_UNITS",
    "dump_figure",
    "is_whole",
    "noun",
    "parse_figure",
    "plain_decimal",
    "show",
]

#: Units whose figures must be whole numbers (counts of persons, schools, rooms,
#: books, computers, classes, other things).  ``12.5 人`` is a data problem.
WHOLE_NUMBER_UNITS: frozenset[str] = COUNT_UNITS


def show(value: object) -> str:
    """A value as messages quote it: ``'12.5'``, ``'约212'``, ``null``, ``a list``."""
    if isinstance(value, Figure):
        return f"'{value}'"
    return _show_value(value)


_NUM = r"\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_FIGURE_RE = re.compile(
    r"(?P<pre>大约|约)?\s*(?P<lt>不足|不到|少于)?\s*(?P<sign>[-+])?\s*"
    rf"(?P<num>{_NUM})\s*(?P<more>[多余])?\s*(?P<pct>%)?\s*(?P<post>左右)?"
)
_PLAIN_RE = re.compile(rf"[-+]?(?:{_NUM})")
#: A plain decimal number, as YAML writes ints and floats (``-3``, ``1.50``).
SIMPLE_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
# The same in ASCII digits only (``\d`` also matches ``٣``, which figures refuse).
_ASCII_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")
_OPEN_ENDED = (
    "以上",
    "以下",
    "以内",
    "超过",
    "多于",
    "高于",
    "低于",
    "至少",
    "最多",
    "不少于",
    "不超过",
    "不低于",
    "不高于",
)
_CHINESE_NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百千万亿]")
_RANGE_RE = re.compile(r"\d\s*(?:-|~|至|到|–|—)\s*\d")
_PLACEHOLDERS = frozenset({"-", "--", "—", "——", "/", "无", "空", "n/a", "na", "N/A", "NA"})
_UNIT_WORDS = tuple(sorted(unit_names(), key=len, reverse=True))


def noun(unit: str | None, whole: bool | None = None) -> str:
    """What a figure in ``unit`` is called in messages (``whole number of 人``).

    Args:
        unit: the field's unit, or ``None`` for a plain number.
        whole: whether the field is a whole-number count; ``None`` derives it from
            the unit.
    """
    if unit is None:
        return "number"
    if unit == "%":
        return "per cent figure"
    if is_count_unit(unit) if whole is None else whole:
        return f"whole number of {unit}"
    return f"number of {unit}"


def _figure_hint(text: str, unit: str | None) -> str | None:
    """A hint for a string that is not a figure, or ``None``."""
    if text in _PLACEHOLDERS:
        return "leave a missing figure empty (or null); write 0 when it is zero"
    has_digit = bool(re.search(r"\d", text))
    if not has_digit and _CHINESE_NUMERALS.search(text):
        return "write the figure in digits (100, not 一百)"
    if has_digit and re.search(r"\d\s*[万亿千]", text):
        return "write the whole number (15000, not 1.5万)"
    if has_digit and _RANGE_RE.search(text):
        return "write a range as a mapping: {low: 30, high: 39}"
    if has_digit:
        for word in _UNIT_WORDS:
            if text.endswith(word):
                where = f"this field is in {unit}" if unit else "this field has no unit"
                return f"write the number without a unit ({where})"
    return None


def _not_a_figure(
    value: object, unit: str | None, whole: bool, hint: str | None = None
) -> DataValueError:
    return DataValueError(f"expected a {noun(unit, whole)}, got {show(value)}", hint=hint)


def _decimal_of_number(value: int | float | Decimal) -> Decimal | None:
    """A finite int/float/Decimal as an exact Decimal (floats via ``str``), else ``None``."""
    if isinstance(value, int):
        return Decimal(value)
    d = Decimal(str(value)) if isinstance(value, float) else value
    return d if d.is_finite() else None


def plain_decimal(value: object) -> Decimal | None:
    """A number or a plain number string (``"1,655"``, ``"-3.5"``) as a Decimal, else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return _decimal_of_number(value)
    if isinstance(value, str):
        text = fold_width(value)
        if _PLAIN_RE.fullmatch(text):
            return Decimal(text.replace(",", ""))
    return None


def is_whole(d: Decimal) -> bool:
    """True when ``d`` has no fractional part."""
    return d == d.to_integral_value()


#: Largest figure accepted: far above any county's students, staff or 元, and
#: small enough that every computation stays quick and every display exact.
_LARGEST = Decimal(10) ** 15


def _check_figure(fig: Figure, unit: str | None, whole: bool, value: object) -> None:
    """Check a figure against its field's unit: not too large, not negative, whole
    where counted (``value`` as written, quoted only in a message)."""
    if max(abs(fig.low), abs(fig.high)) > _LARGEST:
        raise DataValueError(
            f"{show(value)} is too large for a {noun(unit, whole)} (more than 10^15)",
            code="D020",
        )
    if unit is None:
        return
    if fig.low < 0 or fig.high < 0:
        raise DataValueError(
            f"expected a non-negative {noun(unit, whole)}, got {show(value)}", code="D022"
        )
    if whole and not (is_whole(fig.low) and is_whole(fig.high)):
        raise DataValueError(f"expected a {noun(unit, whole)}, got {show(value)}", code="D021")


def _parse_figure_text(value: str, unit: str | None, whole: bool) -> Figure:
    original = value.strip()
    text = fold_width(value)
    shown = show(original)
    if not text:
        raise _not_a_figure(value, unit, whole)
    if re.search(r"\d", text):
        for word in _OPEN_ENDED:
            if word in text:
                raise DataValueError(
                    f"{shown} is ambiguous: '{word}' does not say whether the bound is "
                    "included, nor where the range ends",
                    code="D023",
                    hint="write an interval as {low: 10, high: 20}, or the exact figure",
                )
    m = _FIGURE_RE.fullmatch(text)
    if m is None:
        raise _not_a_figure(original, unit, whole, _figure_hint(text, unit))
    if m["pct"] and unit != "%":
        where = f"in {unit}" if unit else "a plain number"
        raise DataValueError(f"{shown} is a per cent figure, but this field is {where}")
    num = Decimal(m["num"].replace(",", ""))
    if m["sign"] == "-":
        num = -num
    approximate = bool(m["pre"] or m["post"])
    fig_text = None if SIMPLE_NUMBER.fullmatch(text) else original
    if m["sign"] and (m["more"] or m["lt"]):
        raise _not_a_figure(original, unit, whole)
    if m["more"]:
        if approximate or m["lt"]:
            raise DataValueError(
                f"{shown} combines several ways of being vague; write one of them",
                code="D023",
                hint="write an interval as {low: 30, high: 39}",
            )
        n = int(num) if is_whole(num) else 0
        zeros = len(str(n)) - len(str(n).rstrip("0")) if n > 0 else 0
        if zeros == 0:
            raise DataValueError(
                f"{shown} is ambiguous: '多'/'余' needs a round number (30多 is 30–39, "
                "300多 is 300–399)",
                code="D023",
                hint="write an interval as {low: 12, high: 13}, or the exact figure",
            )
        step = 10**zeros
        return Figure(Decimal(n), Decimal(n + step - 1), False, fig_text)
    if m["lt"]:
        if approximate:
            raise DataValueError(
                f"{shown} combines several ways of being vague; write one of them",
                code="D023",
                hint="write an interval as {low: 0, high: 9}",
            )
        if num <= 0:
            raise DataValueError(f"{shown}: no figure is below {num}", code="D022")
        high = num - 1 if is_whole(num) else num.to_integral_value(rounding=ROUND_FLOOR)
        return Figure(Decimal(0), high, False, fig_text)
    return Figure(num, num, approximate, fig_text)


def _parse_figure_mapping(value: Mapping[Any, Any], unit: str | None, whole: bool) -> Figure:
    keys = {str(k) for k in value}
    form = "{value: 212, approximate: true} or {low: 30, high: 39}"
    approx_raw = value.get("approximate", False)
    if approx_raw is None:
        approx_raw = False
    if not isinstance(approx_raw, bool):
        raise DataValueError(f"'approximate' must be true or false, got {show(approx_raw)}")

    def number(key: str) -> Decimal:
        raw = value[key]
        d = plain_decimal(raw)
        if d is None:
            raise DataValueError(f"expected a {noun(unit, whole)} as '{key}', got {show(raw)}")
        return d

    if "value" in keys and keys <= {"value", "approximate"}:
        v = number("value")
        return Figure(v, v, approx_raw)
    if {"low", "high"} <= keys and keys <= {"low", "high", "approximate"}:
        low, high = number("low"), number("high")
        if low > high:
            raise DataValueError(f"the interval's low {low} is above its high {high}")
        return Figure(low, high, approx_raw)
    got = ", ".join(sorted(keys)) or "no keys"
    raise DataValueError(f"expected a figure written as {form}, got a mapping with {got}")


def parse_figure(value: object, *, unit: str | None = None, whole: bool | None = None) -> Figure:
    """Read one figure as a data file may write it.

    Written forms:

    * a number: ``212``, ``212.5`` (floats go through ``str``, never binary arithmetic);
    * a number as text: ``"212"``, ``"1,655"`` (thousands separators), full-width
      digits (``"１２"``);
    * approximate: ``"约212"``, ``"大约212"``, ``"212左右"`` → ``Figure(212, 212,
      approximate=True, text="约212")`` (used as 212 and flagged);
    * an interval by round number: ``"30多"``/``"30余"`` → 30–39, ``"300多"`` →
      300–399, ``"1,000多"`` → 1000–1999 (the unit of the last non-zero digit).  The
      number must be round: ``"12多"`` is ambiguous and refused;
    * below a bound: ``"不足10"``/``"不到10"``/``"少于10"`` → 0–9.  Integer semantics:
      the high end is the largest whole number *below* the bound (``"不足10.5"`` → 0–10),
      whatever the unit;
    * structured: ``{value: 212, approximate: true}`` or ``{low: 30, high: 39}``
      (optionally ``approximate: true``);
    * for a ``%`` field: ``"95%"`` → 95.  A bare number in a ``%`` field is *per cent*
      already (``95`` is 95 %, and ``0.95`` is 0.95 %, not 95 %).

    Open-ended forms (``"10以上"``, ``"超过10"``, ``"10以下"``) are refused as ambiguous.
    A :class:`Figure` is accepted as it is (and checked).

    Args:
        value: the value as read from the file (int, float, Decimal, str, mapping).
        unit: the unit of the field (``"人"``, ``"平方米"``, ``"%"``), or ``None`` for a
            plain number (negative values allowed).  With a unit, negative values are
            refused.
        whole: whether the field is a whole-number count (the registry's
            :attr:`~eduint.data.fields.FieldDef.count`); ``None`` derives it from the
            unit (units in :data:`WHOLE_NUMBER_UNITS` are counted).

    Returns:
        The figure; ``text`` keeps the string as written unless it was a plain number.

    Raises:
        DataValueError: the value is not a figure (code ``D020``), not a whole number
            for a counted unit (``D021``), negative (``D022``) or ambiguous (``D023``).
    """
    whole = is_count_unit(unit) if whole is None else whole
    if isinstance(value, Figure):
        _check_figure(value, unit, whole, value)
        return value
    if value is None or isinstance(value, bool):
        raise _not_a_figure(value, unit, whole)
    if isinstance(value, (int, float, Decimal)):
        d = _decimal_of_number(value)
        if d is None:
            raise _not_a_figure(value, unit, whole)
        fig = Figure(d, d)
    elif isinstance(value, str):
        plain = value.strip()
        if _ASCII_NUMBER.fullmatch(plain):  # most figures: read them without the rest
            d = Decimal(plain)
            fig = Figure(d, d)
        else:
            fig = _parse_figure_text(value, unit, whole)
    elif isinstance(value, Mapping):
        fig = _parse_figure_mapping(value, unit, whole)
    else:
        raise _not_a_figure(value, unit, whole)
    _check_figure(fig, unit, whole, value.strip() if isinstance(value, str) else value)
    return fig


def _number_out(d: Decimal) -> int | float | str:
    """A Decimal as a JSON/YAML scalar that reads back exactly: int, float, else string."""
    if is_whole(d):
        return int(d)
    f = float(d)
    if Decimal(repr(f)) == d:
        return f
    return str(d)


def dump_figure(fig: Figure, unit: str | None, *, use_text: bool = True) -> Any:
    """A figure in the input format; reads back (with ``unit``) to an equal figure.

    Args:
        fig: the figure.
        unit: its field's unit (``None``: a plain number).
        use_text: write the figure's text as written (``"约212"``) when it reads back
            equal; False for extra fields, whose undeclared values must read back as
            figures, not text.

    Returns:
        A number, the written text, ``{value, approximate}`` or ``{low, high[, approximate]}``.
    """
    if use_text and fig.text is not None:
        try:
            again = parse_figure(fig.text, unit=unit)
        except DataValueError:
            again = None
        if again == fig:
            return fig.text
    if not fig.is_interval:
        value = _number_out(fig.low)
        if fig.approximate:
            return {"value": value, "approximate": True}
        if use_text or isinstance(value, int):
            return value
        return {"value": value}
    out: dict[str, Any] = {"low": _number_out(fig.low), "high": _number_out(fig.high)}
    if fig.approximate:
        out["approximate"] = True
    return out
