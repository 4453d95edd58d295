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
    "CLASS_LIST_SEPARATORS",
    "MAX_CLASS_SIZE",
    "read_class_sizes",
    "read_date",
    "read_enum",
    "read_flag",
    "read_int",
    "read_school_year",
    "read_text",
]

#: What separates the sizes of a class-size list cell (``45;46;50``; also ``,`` ``、``
#: full-width ``；`` ``，`` and white space), as a regular expression.
CLASS_LIST_SEPARATORS = r"[;；,，、\s]+"
_CLASS_LIST_SEP_RE = re.compile(CLASS_LIST_SEPARATORS)
#: Largest class size accepted (人): a size beyond it is a typing error.
MAX_CLASS_SIZE = 10_000

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


def read_class_sizes(value: object) -> tuple[int, ...] | None:
    """A class-size list cell (a school segment's ``班额`` column) → each class's size
    (人), in order.

    The cell is a list of whole numbers (Parquet, JSON Lines), a text of them separated
    by ``;`` ``,`` ``、`` or spaces (CSV, XLSX: ``45;46;50``), or one number (one
    class).  One function for the national reader (:mod:`eduint.data.national`) and the
    spreadsheet reader, so both read a cell alike.

    Returns:
        The sizes, or ``None`` for a blank cell (no class list given: missing, not an
        empty list).

    Raises:
        DataValueError: an entry is not a whole number of 人 from 0 to
            :data:`MAX_CLASS_SIZE` (D020); the class list is then missing.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        items: list[Any] = [t for t in _CLASS_LIST_SEP_RE.split(text) if t]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = [value]
    out = []
    for t in items:
        v = _class_size(t)
        if v is None:
            raise DataValueError(
                f"{_clip(value)} is not a list of class sizes (whole numbers of 人, "
                "separated by ; , 、 or spaces); the class list is missing",
                code="D020",
            )
        out.append(v)
    return tuple(out)


def _class_size(t: Any) -> int | None:
    if isinstance(t, bool):
        return None
    if isinstance(t, int):
        v = t
    elif isinstance(t, float) and t.is_integer():
        v = int(t)
    elif isinstance(t, str) and t.isascii() and t.isdigit():
        v = int(t)
    else:
        return None
    return v if 0 <= v <= MAX_CLASS_SIZE else None


def _clip(x: Any) -> str:
    s = str(x)
    return repr(s[:60] + "…") if len(s) > 60 else repr(s)
