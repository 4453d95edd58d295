"""What a number in a rule file may be: ASCII digits, and a bounded magnitude.

Rule files are untrusted text.  A number literal is read exactly (as a
:class:`~decimal.Decimal`, then a fraction), so its size is the size of every
computation it enters: a literal of 5,000 digits used to pass ``eduint lint`` and
then crash ``eduint check`` while it was being shown (Python refuses to print an
integer of more than 4,300 digits).  The parser therefore checks every literal
here, before anything computes with it:

* **ASCII digits only**, as data files require: ``𝟑`` (U+1D7D1), ``٣`` (U+0663) and
  ``३`` (U+0969) are digits to Python but not to a reader, and a full-width ``３``
  (U+FF13) is not the ``3`` that the printer writes back.  Such a character is a
  syntax error (``E001``) with a hint naming the ASCII digit to type
  (:func:`digit_hint`).
* **At most** :data:`MAX_INTEGER_DIGITS` **digits before the decimal point and**
  :data:`MAX_FRACTION_DIGITS` **after it** (``E008``, :func:`number_problem`).  The
  largest figure a data file may hold is 10^15 (``D020``); a threshold of 10^30 元 is
  far beyond any real standard, and 30 decimal places are far finer than the 12 that
  ``display_precision`` can show.

This module imports neither lark nor the data models.
"""

from __future__ import annotations

import errno
import os
import unicodedata

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_FRACTION_DIGITS",
    "MAX_INTEGER_DIGITS",
    "RuleFileTooLarge",
    "digit_hint",
    "is_foreign_digit",
    "number_problem",
    "read_rule_bytes",
]

#: Most digits a number literal may have before its decimal point (leading zeros count).
MAX_INTEGER_DIGITS = 30
#: Most digits a number literal may have after its decimal point (trailing zeros count).
MAX_FRACTION_DIGITS = 30
#: Most bytes read from a rule file: the parser's 1,000,000 characters
#: (:data:`eduint.language.parser.MAX_CHARS`) of at most 4 bytes each in UTF-8.
MAX_FILE_BYTES = 4_000_000


class RuleFileTooLarge(OSError):
    """A rule file holds more than :data:`MAX_FILE_BYTES` bytes (it was not read whole)."""


def read_rule_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a rule file, refusing one too large to be a rule file before reading it all.

    A rule file named on the command line may be anything, ``/dev/zero`` included:
    at most :data:`MAX_FILE_BYTES` + 1 bytes are read, whatever the file claims.

    Args:
        path: the file.

    Returns:
        Its bytes.

    Raises:
        RuleFileTooLarge: the file has more than :data:`MAX_FILE_BYTES` bytes.
        OSError: the file cannot be read.
    """
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise RuleFileTooLarge(
            errno.EFBIG,
            f"too large for a rule file (more than {MAX_FILE_BYTES:,} bytes; "
            "rule files hold at most 1,000,000 characters)",
            os.fspath(path),
        )
    return data


def number_problem(text: str) -> tuple[str, str] | None:
    """Check a number literal as the grammar matched it (``45``, ``0.50``).

    Args:
        text: ASCII digits with an optional decimal part.

    Returns:
        ``None`` when the literal is within the supported magnitude, else the message
        and hint of its ``E008`` diagnostic.  The message never repeats the digits: it
        counts them.
    """
    whole, _, fraction = text.partition(".")
    if len(whole) > MAX_INTEGER_DIGITS:
        return (
            f"number too large: {len(whole):,} digits before the decimal point "
            f"(at most {MAX_INTEGER_DIGITS})",
            f"numbers in rule files stay below 10^{MAX_INTEGER_DIGITS}; "
            "write the threshold in a larger unit (万元 for 元) or check for stray digits",
        )
    if len(fraction) > MAX_FRACTION_DIGITS:
        return (
            f"number too precise: {len(fraction):,} digits after the decimal point "
            f"(at most {MAX_FRACTION_DIGITS})",
            f"round it to at most {MAX_FRACTION_DIGITS} decimal places",
        )
    return None


def is_foreign_digit(ch: str) -> bool:
    """Whether ``ch`` is a decimal digit other than ASCII ``0``–``9``.

    Args:
        ch: one character.
    """
    return len(ch) == 1 and not "0" <= ch <= "9" and unicodedata.decimal(ch, None) is not None


def digit_hint(text: str, at: int = 0) -> str | None:
    """The hint for a number written with digits that are not ASCII, or ``None``.

    Args:
        text: the source from the start of the number on (``٤٥ 人 }``, ``1٣ 人`` …).
        at: where in ``text`` the first digit that is not ASCII is.

    Returns:
        ``None`` unless ``text[at]`` is a digit other than ``0``–``9``; else what
        to type instead, with the whole number converted: ``"full-width digit '３'
        (U+FF13): write 3; numbers take the ASCII digits 0-9 only"``, or for ``٤٥``
        ``"'٤' (U+0664 ARABIC-INDIC DIGIT FOUR) is not an ASCII digit: write 45; …"``.
    """
    ch = text[at : at + 1]
    if not is_foreign_digit(ch):
        return None
    run = []
    for c in text[: at + MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS + 1]:
        if c == ".":
            run.append(c)
        elif unicodedata.decimal(c, None) is not None:
            run.append(str(unicodedata.decimal(c)))
        else:
            break
    number = "".join(run).rstrip(".")
    if "\uff10" <= ch <= "\uff19":
        what = f"full-width digit '{ch}' (U+{ord(ch):04X})"
    else:
        name = unicodedata.name(ch, "")
        what = f"'{ch}' (U+{ord(ch):04X}{' ' + name if name else ''}) is not an ASCII digit"
    return f"{what}: write {number}; numbers take the ASCII digits 0-9 only"
