"""Folding user-typed text before it is matched: full-width forms to ASCII.

Chinese input methods produce full-width digits, letters and signs (``１２％``,
``２０１８／９／１``).  Every reader of figures, dates and school years folds them
the same way, here, so that one accepted syntax holds for data files,
spreadsheets and the command line alike.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Mapping
from decimal import Decimal

__all__ = ["CLIP", "clip", "fold_width", "show"]

#: How much of a long value messages quote (characters).
CLIP = 60


def fold_width(text: str) -> str:
    """Full-width digits, signs and letters → their ASCII forms (``１２％`` → ``12%``), stripped.

    Only the full-width block (U+FF01–U+FF5E) and the ideographic space are folded.
    Other characters that NFKC would turn into digits (``²``, ``①``, ``𝟓``,
    Arabic-Indic ``٣``) become U+FFFD, which no figure, date or school-year pattern
    matches, so that ``"10²"`` is refused instead of being read as 102.

    Args:
        text: the text as typed.

    Returns:
        The folded text, without leading or trailing white space.
    """
    out = []
    for ch in text:
        if "\uff01" <= ch <= "\uff5e" or ch == "\u3000":
            out.append(unicodedata.normalize("NFKC", ch))
        elif ch.isdigit() and not ("0" <= ch <= "9"):
            out.append("\ufffd")  # never matches a pattern
        else:
            out.append(ch)
    return "".join(out).strip()


def clip(text: str, keep: int = CLIP) -> str:
    """``text`` shortened for a message: its first ``keep`` characters, then how long
    it is (``县县县…(1,000,000 characters)``); shorter text as it is."""
    if len(text) <= keep:
        return text
    return f"{text[:keep]}…({len(text):,} characters)"


def show(value: object) -> str:
    """A value as messages quote it: ``'12.5'``, ``'一百'``, ``null``, ``a list``.

    Args:
        value: a value read from the user (scalar, date, mapping or list).

    Returns:
        Scalars in single quotes (dates in ISO form; a long one shortened, see
        :func:`clip`), ``null``/``true``/``false``, and ``a mapping``, ``a list`` or
        ``a <type>`` for anything else.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{clip(value)}'"
    if isinstance(value, (int, float, Decimal)):
        try:
            return f"'{clip(str(value))}'"
        except ValueError:  # an int of more than 4,300 digits (Python's limit)
            return "a number of more than 4,300 digits"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"'{value.isoformat()}'"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"
