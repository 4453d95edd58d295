"""Dates and school years: the one parser for data files, spreadsheets and the CLI.

One accepted syntax, everywhere a user writes a date (``as_of`` in a data file, a
数据日期 cell, ``--as-of`` on the command line):

* **a date**: ``2018-09-01``, ``2018/9/1``, ``2018.9.1``, ``2018年9月1日`` (white space
  around the separators allowed; month and day with one or two digits);
* **a school year**: ``2018-2019``, ``2018/2019``, ``2018—19``, ``2018~2019``,
  ``2018至2019``, ``2018-2019学年``, ``2018学年``, ``2018学年度`` (the separators
  ``-``, ``–``, ``—``, ``~``, ``/``, ``至``; the second year in four digits or two).
  A school year runs from 1 September of its first year; its two years must be
  consecutive, and the first must lie between 1900 and 2999.

Full-width digits and signs are folded first (``２０１８学年``); other digit-like
characters (``²``, Arabic-Indic digits) are refused.  A bare year (``2018``) is
neither: it could be the school year 2017-2018 or 2018-2019, so it is refused with a
hint.

Before this module the command line accepted only ``YYYY-MM-DD`` dates and school
years with ``-``, ``/``, ``–`` or ``—`` and a four-digit second year, while data files
accepted the wider syntax above; both now accept the union, which is the data files'
syntax.  The CLI also no longer accepts a school year outside 1900–2999.
"""

from __future__ import annotations

import datetime
import re

from eduint.core.text import fold_width, show

__all__ = [
    "DateSyntaxError",
    "looks_like_school_year",
    "parse_as_of",
    "parse_date",
    "parse_school_year",
    "school_year_of",
    "school_year_start",
]

_DATE_RE = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")
_SCHOOL_YEAR_RE = re.compile(
    r"(?P<y1>[0-9]{4})\s*(?:(?:-|–|—|~|/|至)\s*(?P<y2>[0-9]{4}|[0-9]{2}))?\s*"
    r"(?P<suffix>学年度|学年)?"
)
_BARE_YEAR_RE = re.compile(r"[0-9]{4}")
#: The month and day a school year starts on (the statistics' count date).
_START = (9, 1)
_BARE_YEAR_HINT = (
    "a bare year is ambiguous; write 2018-2019 (or 2018学年) for the year from September 2018"
)


class DateSyntaxError(ValueError):
    """A date or school year that cannot be read.

    Attributes:
        message: what is wrong, one line (``'2018-2020' is not one school year …``).
        hint: what to do about it, or ``None``.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def parse_date(value: object) -> datetime.date:
    """Read a date: a :class:`datetime.date`, or text such as ``2018-09-01``.

    Args:
        value: a date (as YAML or a spreadsheet gives it) or its text (see the module
            docstring for the spellings).

    Returns:
        The date.

    Raises:
        DateSyntaxError: a date with a time, text that is not a date, or a date not in
            the calendar (``2018-02-30``).
    """
    if isinstance(value, datetime.datetime):
        raise DateSyntaxError(f"expected a date without a time, got {show(value)}")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        m = _DATE_RE.fullmatch(fold_width(value))
        if m:
            try:
                return datetime.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise DateSyntaxError(f"{show(value)} is not a date in the calendar") from None
    raise DateSyntaxError(f"expected a date such as 2018-09-01, got {show(value)}")


def looks_like_school_year(text: str) -> bool:
    """True when ``text`` is written as a school year (``2018-2019``, ``2018学年``),
    whether or not it is a valid one; a bare year is not."""
    m = _SCHOOL_YEAR_RE.fullmatch(fold_width(text))
    return m is not None and (m["y2"] is not None or m["suffix"] is not None)


def school_year_of(text: str) -> str | None:
    """``"2018-2019"``, ``"2018—19学年"``, ``"2018学年"`` → ``"2018-2019"``; else ``None``.

    Args:
        text: the text as written.

    Returns:
        The school year as ``"YYYY-YYYY"``, or ``None`` when the text is not written as
        a school year (a bare year is not one).

    Raises:
        DateSyntaxError: it is written as a school year but the first year is outside
            1900–2999, or the two years are not consecutive.
    """
    m = _SCHOOL_YEAR_RE.fullmatch(fold_width(text))
    if m is None or (m["y2"] is None and m["suffix"] is None):
        return None
    y1 = int(m["y1"])
    if not 1900 <= y1 <= 2999:
        raise DateSyntaxError(f"{show(text)} is not a plausible school year (1900 to 2999)")
    if m["y2"] is not None:
        y2 = int(m["y2"]) if len(m["y2"]) == 4 else y1 // 100 * 100 + int(m["y2"])
        if y2 != y1 + 1:
            raise DateSyntaxError(
                f"{show(text)} is not one school year (the years must be consecutive)"
            )
    return f"{y1}-{y1 + 1}"


def _bare_year(value: object) -> bool:
    return not isinstance(value, bool) and bool(_BARE_YEAR_RE.fullmatch(fold_width(str(value))))


def parse_school_year(value: object) -> str:
    """Read a school year as ``"2018-2019"`` (from ``2018-2019``, ``2018—19``, ``2018学年`` …).

    Args:
        value: the value as read (only text can be a school year).

    Returns:
        The school year as ``"YYYY-YYYY"``.

    Raises:
        DateSyntaxError: the value is not a school year (a bare year gets a hint), or is
            an implausible or non-consecutive one.
    """
    if isinstance(value, str):
        year = school_year_of(value)
        if year is not None:
            return year
    raise DateSyntaxError(
        f"expected a school year such as 2018-2019 or 2018学年, got {show(value)}",
        hint=_BARE_YEAR_HINT if _bare_year(value) else None,
    )


def school_year_start(year: str) -> datetime.date:
    """The first day of a school year: ``"2018-2019"`` → 2018-09-01.

    Args:
        year: a school year in any accepted spelling (``"2018-2019"``, ``"2018学年"``).

    Returns:
        1 September of its first year: the date the national statistics count students
        and teachers at.

    Raises:
        DateSyntaxError: ``year`` is not a school year.
    """
    first = int(parse_school_year(year)[:4])
    return datetime.date(first, *_START)


def parse_as_of(text: str) -> datetime.date:
    """Read a date to evaluate at: a date, or a school year meaning its first day.

    ``2018-12-31`` is that day; ``2018-2019`` (or ``2018学年``) is 2018-09-01, the start of
    the school year (see :func:`school_year_start`).

    Args:
        text: the text as typed (full-width digits are accepted).

    Returns:
        The date.

    Raises:
        DateSyntaxError: the text is neither a date nor a school year, is not a date in
            the calendar, or is an implausible or non-consecutive school year.
    """
    if looks_like_school_year(text):
        return school_year_start(text)
    if _DATE_RE.fullmatch(fold_width(text)):
        return parse_date(text)
    raise DateSyntaxError(
        f"{show(text)} is neither a date (2018-12-31) nor a school year (2018-2019, 2018学年)",
        hint=_BARE_YEAR_HINT if _bare_year(text) else None,
    )
