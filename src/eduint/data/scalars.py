"""Scalar values as data files and spreadsheet cells write them: text, flags, whole
numbers, enum members, dates and school years.

Each reader takes the value as read (a YAML/JSON scalar or a cell) and returns the
model's value, or raises :class:`~eduint.data.errors.DataValueError` with a message
(and a hint) the loaders turn into a :class:`~eduint.data.errors.DataProblem`.
Figures are read by :mod:`eduint.data.figures`; dates and school years by
:mod:`eduint.core.dates` (one syntax for data files and the command line).
"""

from __future__ import annotations

import datetime
import enum
import re
from decimal import Decimal
from typing import Any

from eduint.core import dates
from eduint.core.text import fold_width
from eduint.data.errors import DataValueError
from eduint.data.figures import is_whole, plain_decimal, show
from eduint.data.models import VALUE_ALIASES
from eduint.language.diagnostics import did_you_mean

__all__ = [
    "read_date",
    "read_enum",
    "read_flag",
    "read_int",
    "read_school_year",
    "read_text",
]

_TRUE_WORDS = frozenset({"true", "是", "yes"})
_FALSE_WORDS = frozenset({"false", "否", "no"})


def read_text(value: object) -> str:
    """Text: a string (stripped), or an integer or decimal written without quotes."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        raise DataValueError(f"expected text, got {show(value)}")
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise DataValueError(f"expected text, got {show(value)}")


def read_flag(value: object) -> bool:
    """A flag: true/false (also 是/否)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = fold_width(value).lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise DataValueError(f"expected true or false (是/否), got {show(value)}")


def read_int(value: object) -> int:
    """A non-negative whole number (grades, class-size band bounds)."""
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    else:
        d = plain_decimal(value)
        if d is None:
            raise DataValueError(f"expected a whole number, got {show(value)}")
        if not is_whole(d):
            raise DataValueError(f"expected a whole number, got {show(value)}", code="D021")
        n = int(d)
    if n < 0:
        raise DataValueError(
            f"expected a non-negative whole number, got {show(value)}", code="D022"
        )
    return n


def read_enum(value: object, cls: type[enum.Enum]) -> Any:
    """An enum member: its Chinese value, the statistics' word or code for it
    (:data:`~eduint.data.models.VALUE_ALIASES`: 初级中学, 村庄, 111), or its English name in
    any case (``primary``)."""
    if isinstance(value, cls):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a code written as a number (城乡分类 111)
    if isinstance(value, str):
        text = fold_width(value).strip()
        for member in cls:
            if member.value == text:
                return member
        alias = VALUE_ALIASES.get(cls, {}).get(text)
        if alias is not None:
            return alias
        name = re.sub(r"[\s-]+", "_", text).upper()
        if name in cls.__members__:
            return cls.__members__[name]
    values = [str(m.value) for m in cls]
    names = [m.name.lower() for m in cls]
    choices = ", ".join(values)
    if names != values:
        choices += f" (or {', '.join(names)})"
    guess = did_you_mean(str(value), values + names) if isinstance(value, str) else None
    raise DataValueError(
        f"expected one of {choices}, got {show(value)}",
        hint=f"did you mean '{guess}'?" if guess else None,
    )


def read_date(value: object) -> datetime.date:
    """A date: ``2018-09-01`` (also ``2018/9/1``, ``2018年9月1日``; see :mod:`eduint.core.dates`)."""
    try:
        return dates.parse_date(value)
    except dates.DateSyntaxError as exc:
        raise DataValueError(exc.message, hint=exc.hint) from None


def read_school_year(value: object) -> str:
    """A school year as ``"2018-2019"`` (from ``2018-2019``, ``2018—19``, ``2018学年``)."""
    try:
        return dates.parse_school_year(value)
    except dates.DateSyntaxError as exc:
        raise DataValueError(exc.message, hint=exc.hint) from None
