"""Cells a spreadsheet program would run as a formula, and how to keep them text.

Report cells repeat text from rule files and data (titles, names, county codes).  A
CSV cell such as ``=HYPERLINK(…)`` or ``-1 =cmd|' /C calc'!A0`` is run as a formula
when Excel or LibreOffice opens the file (CSV injection).  Every CSV and XLSX writer
passes its text cells through this module:

* :func:`formula_like` says whether a spreadsheet program could read a cell as a
  formula: its first character after any leading spaces is ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return (OWASP's list) — unless the whole cell is a plain
  number (``-1``, ``+0.5``, ``-12.5%``), which a spreadsheet reads as that number;
* :func:`spreadsheet_safe` is the text to write in a CSV cell: a formula-like cell gets
  a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheet programs show as text
  and do not display;
* an XLSX cell holds its type: a writer stores a formula-like text as a string cell
  (never a formula) marked with the quote prefix (``quotePrefix``), the workbook's own
  way of saying "this text begins with a formula character".
"""

from __future__ import annotations

import re

__all__ = ["formula_like", "spreadsheet_safe"]

# The characters that start a formula (or make one when the cell is re-edited).
_TRIGGERS = frozenset("=+-@\t\r")
# A plain number as a spreadsheet reads it: sign, digits, decimals, exponent, percent.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?%?")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet program could read ``text`` as a formula.

    Args:
        text: a cell's text as it would be written.

    Returns:
        True when, after any leading spaces, the cell starts with ``=``, ``+``, ``-``,
        ``@``, a tab or a carriage return, and is not a plain number.  A lone ``-``
        (the reports' placeholder for "nothing") is not a formula.
    """
    body = text.lstrip(" ")
    if not body or body[0] not in _TRIGGERS:
        return False
    if body == "-":
        return False
    return _NUMBER.fullmatch(text.strip(" ")) is None


def spreadsheet_safe(text: str) -> str:
    """The text to write in a CSV cell so that it is never run as a formula.

    Args:
        text: the cell's text.

    Returns:
        ``text`` itself, or with a leading apostrophe when :func:`formula_like`
        (``"-1 =cmd|' /C calc'!A0"`` → ``"'-1 =cmd|' /C calc'!A0"``; ``"-1"`` and
        ``"-0.5"`` stay numbers).
    """
    return "'" + text if formula_like(text) else text
