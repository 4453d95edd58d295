"""Text tables laid out in display cells: CJK characters count two, as wcwidth measures.

eduint draws its text tables itself, in the layouts of tabulate's ``simple``,
``plain``, ``github`` and ``grid`` formats, because it must measure widths itself:
tabulate measures wide characters only while its module-global ``WIDE_CHARS_MODE`` is
on, and eduint never reads or changes another library's globals.  Here every width is
a display width (:func:`display_width`), cells are wrapped at word boundaries or between
CJK characters (:func:`wrap_text`), and a table can be fitted to a width (a terminal's):
the widest columns give way first, down to their header's width.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Sequence
from itertools import repeat

__all__ = [
    "TABLE_FORMATS",
    "display_width",
    "draw_table",
    "fit_widths",
    "longest_token",
    "wrap_text",
]

TABLE_FORMATS = ("simple", "plain", "github", "grid")
"""The text table formats eduint draws (``html`` is a page of its own)."""

_MIN_COLUMN = 6
# A word longer than this may be cut (the last resort) rather than widen its column.
_LONGEST_WORD = 24
# Characters a line should not start with (closing punctuation stays with what it closes).
_NO_START = frozenset("，。；：、）》」』】〕”！？,.;:)!?%")
# Characters a line should not end with (opening punctuation stays with what it opens).
_NO_END = frozenset("（《「『【〔“(")

# wcwidth's own widths, written once: every code point in these ranges is two cells
# wide by wcwidth.wcwidth (tests/test_layout_fast_width.py checks each one, and that
# wcswidth adds them up), the East Asian wide blocks (CJK radicals and punctuation, kana, Hangul
# syllables, ideographs, fullwidth forms).  A line of printable ASCII and of these is
# measured here: wcwidth, whose import costs a national run ~10 ms, is imported only for
# text holding another character.  All lie in U+0800..U+FFFF (three bytes in UTF-8).
_WIDE_RANGES = (
    (0x2E80, 0x2E99),
    (0x2E9B, 0x2EF3),
    (0x2F00, 0x2FD5),
    (0x2FF0, 0x3029),
    (0x3030, 0x303E),
    (0x3041, 0x3096),
    (0x309B, 0x30FF),
    (0x3105, 0x312F),
    (0x3131, 0x3163),
    (0x3165, 0x318E),
    (0x3190, 0x31E5),
    (0x31EF, 0x321E),
    (0x3220, 0x3247),
    (0x3250, 0xA48C),
    (0xA490, 0xA4C6),
    (0xA960, 0xA97C),
    (0xAC00, 0xD7A3),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE19),
    (0xFE30, 0xFE52),
    (0xFE54, 0xFE66),
    (0xFE68, 0xFE6B),
    (0xFF01, 0xFF60),
    (0xFFE0, 0xFFE6),
)
# text measured without wcwidth: printable ASCII (one cell each), wide characters, and
# newlines (between the lines of a column joined into one string: one match a column)
_KNOWN = re.compile("[ -~\n" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _WIDE_RANGES) + "]*")


# Memoized: a table measures each cell three times (its column's width, wrapping,
# padding), and a many-county table repeats its words and verdicts down 2,850 rows;
# a hit is a dictionary lookup where a miss is a Python call and wcswidth.
@functools.lru_cache(maxsize=1 << 16)
def display_width(text: str) -> int:
    """The width of ``text`` in terminal cells (CJK characters count two).

    For text of several lines, the widest line.  A character wcwidth cannot measure
    (a control character) counts one.
    """
    if text.isascii() and text.isprintable():
        return len(text)  # one cell each: most cells of a big table are numbers
    if "\n" not in text:  # one line: a cell of a big table (no split, no loop)
        return _line_width(text)
    return max(map(_line_width, text.split("\n")))


def _line_width(line: str) -> int:
    """The display width of one line (no newline): without wcwidth when it holds only
    printable ASCII and :data:`_WIDE_RANGES` characters (one byte and one cell, three
    bytes and two cells each: the width is half its UTF-8 bytes and characters together)."""
    if _KNOWN.fullmatch(line):
        return (len(line.encode("utf-8")) + len(line)) // 2
    from wcwidth import wcswidth  # here: only text holding another character needs it

    w: int = wcswidth(line)
    return w if w >= 0 else _counted_width(line)


def _counted_width(line: str) -> int:
    """A line wcwidth cannot measure as a whole (it holds a control character): each
    character's width, a control character counting one."""
    from wcwidth import wcwidth

    return sum(max(wcwidth(ch), 1) for ch in line)


# memoized: wrapping measures a cell a character at a time, and a table's characters repeat
@functools.lru_cache(maxsize=1 << 12)
def _char_width(ch: str) -> int:
    """One character's display width (a tab, and what wcwidth cannot measure, count one
    and none): without wcwidth for printable ASCII and :data:`_WIDE_RANGES`."""
    if " " <= ch <= "~":
        return 1
    if ch > "~" and _KNOWN.fullmatch(ch):  # not ASCII: a wide character
        return 2
    if ch == "\t":
        return 1
    from wcwidth import wcwidth

    return max(wcwidth(ch), 0)


def _tokens(line: str) -> list[str]:
    """Break opportunities: a run of non-space narrow characters is one word, each wide
    character its own token, each space a token; closing punctuation joins the token
    before it."""
    out: list[str] = []
    word = ""
    opening = ""  # opening punctuation waiting for what it opens
    for ch in line:
        wide = _char_width(ch) == 2
        if ch in _NO_END:
            if word:
                out.append(word)
                word = ""
            opening += ch
        elif ch == " " or wide:
            if word:
                out.append(word)
                word = ""
            if ch in _NO_START and out and out[-1] != " " and not opening:
                out[-1] += ch
            else:
                out.append(opening + ch)
                opening = ""
        elif ch in _NO_START and not word and out and out[-1] != " " and not opening:
            out[-1] += ch
        else:
            word += opening + ch
            opening = ""
    if word or opening:
        out.append(word + opening)
    return out


def longest_token(text: str) -> int:
    """The display width of the widest piece of ``text`` a line never breaks inside: an
    English word, a CJK character with its punctuation, a citation's bracket ``〔2016〕``."""
    return max(
        (display_width(t) for line in text.split("\n") for t in _tokens(line) if t != " "),
        default=0,
    )


def _split_long(token: str, width: int) -> list[str]:
    pieces, cur, w = [], "", 0
    for ch in token:
        cw = _char_width(ch)
        if cur and w + cw > width:
            pieces.append(cur)
            cur, w = "", 0
        cur += ch
        w += cw
    if cur:
        pieces.append(cur)
    return pieces


def wrap_text(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` display cells.

    Breaks at spaces, or between CJK characters; a word longer than the width is cut.
    Leading spaces of a line (a part's indent) are kept; spaces at a break are dropped.
    """
    if width < 1:
        raise ValueError(f"width must be at least 1 display cell, got {width}")
    out: list[str] = []
    for line in text.split("\n"):
        if display_width(line) <= width:
            out.append(line)
            continue
        cur, w = "", 0
        for token in _tokens(line):
            tw = display_width(token)
            if token == " " and cur and w + 1 > width:
                out.append(cur.rstrip(" "))
                cur, w = "", 0
                continue
            if cur.strip() and w + tw > width:
                out.append(cur.rstrip(" "))
                cur, w = "", 0
                if token == " ":
                    continue
            if tw > width:
                pieces = _split_long(token, width - w if w else width)
                for piece in pieces[:-1]:
                    out.append(cur + piece)
                    cur, w = "", 0
                token, tw = pieces[-1], display_width(pieces[-1])
            cur += token
            w += tw
        out.append(cur.rstrip(" "))
    return out


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def fit_widths(
    natural: Sequence[int],
    floors: Sequence[int],
    budget: int,
    gap: int,
    weights: Sequence[int] | None = None,
) -> list[int]:
    """Column widths that fit ``budget`` display cells, gaps included.

    The widest columns give way first, down to an equal width, a column of weight 2
    (prose: a requirement, a note) keeping twice the cells of one of weight 1, never
    below its floor; when even the floors do not fit, the floors
    are returned (the table overflows).

    Args:
        natural: each column's widest cell.
        floors: each column's narrowest allowed width.
        budget: the width to fit.
        gap: the cells between and around columns (``2 * (n - 1)`` for ``simple``).
        weights: each column's claim to the width, positive (default: 1 each).
    """
    low = [min(n, f) for n, f in zip(natural, floors, strict=True)]
    avail = budget - gap
    if sum(natural) <= avail:
        return list(natural)
    if sum(low) >= avail:
        return low

    # equal shares (the widest gives way first), a column weighing 2 keeping twice the
    # cells of one weighing 1
    weight = list(weights) if weights is not None else [1] * len(natural)

    def at(share: float) -> list[int]:
        return [
            max(lo, min(n, int(share * wt))) for n, lo, wt in zip(natural, low, weight, strict=True)
        ]

    lo_s, hi_s = 0.0, float(max(natural)) + 1
    for _ in range(40):
        mid = (lo_s + hi_s) / 2
        if sum(at(mid)) <= avail:
            lo_s = mid
        else:
            hi_s = mid
    widths = at(lo_s)
    # the cells rounding left over go to the columns furthest below their natural width
    spare = avail - sum(widths)
    while spare > 0:
        room = [(natural[i] - w, i) for i, w in enumerate(widths) if w < natural[i]]
        if not room:
            break
        widths[max(room)[1]] += 1
        spare -= 1
    return widths


def draw_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    fmt: str = "simple",
    width: int | None = None,
    wrap: int | None = None,
    floors: Sequence[int] | None = None,
    hard_floors: Sequence[int] | None = None,
    weights: Sequence[int] | None = None,
) -> str:
    """A table of text in one of :data:`TABLE_FORMATS`.

    Args:
        headers: the column headers.
        rows: the rows, each a sequence of strings (one per column).
        fmt: ``simple`` (the default), ``plain``, ``github`` or ``grid``.
        width: fit the table to this many display cells by wrapping its widest columns
            (``None``: never).
        wrap: wrap cells wider than this many display cells (``None``: never); when given,
            ``width`` is not used.  ``github`` tables are never wrapped.
        floors: the narrowest each column should become when fitting ``width`` (default:
            its header's width, at least 6 cells); never more than its widest cell.
        hard_floors: the narrowest each column may become when the table does not fit
            at ``floors`` (default: ``floors``); a header's words are never cut.
        weights: each column's claim to the width when fitting (see :func:`fit_widths`).

    Returns:
        The table, without a final newline.

    Raises:
        ValueError: unknown ``fmt``, or ``wrap`` or ``width`` below 1.
    """
    if fmt not in TABLE_FORMATS:
        raise ValueError(
            f"unknown table format {fmt!r}; expected one of {', '.join(TABLE_FORMATS)}"
        )
    for name, n in (("wrap", wrap), ("width", width)):
        if n is not None and n < 1:
            raise ValueError(f"{name} must be at least 1 display cell, got {n}")
    return _draw(headers, rows, fmt, width, wrap, floors, hard_floors, weights, fast=True)


def _draw(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    fmt: str,
    width: int | None,
    wrap: int | None,
    floors: Sequence[int] | None,
    hard_floors: Sequence[int] | None,
    weights: Sequence[int] | None,
    *,
    fast: bool,
) -> str:
    """:func:`draw_table` after its checks; ``fast``: a table whose every cell is one
    line that fits its column is drawn a column at a time (:func:`_fast_table`), which
    gives what the general path (``fast=False``, a cell and a row at a time) gives."""
    heads = [_clean(h, fmt) for h in headers]
    ncol = len(heads)
    cols = _columns(rows, ncol, fmt)
    measured = list(map(_measured, cols))
    natural = [
        max(display_width(h), max(m, default=0)) for h, m in zip(heads, measured, strict=True)
    ]
    widths = natural
    if fmt != "github" and (wrap is not None or width is not None):
        widths = _fitted(heads, cols, natural, fmt, width, wrap, floors, hard_floors, weights)
    head_lines = [wrap_text(h, widths[i]) if fmt != "github" else [h] for i, h in enumerate(heads)]
    if fast and rows and _one_line_each(cols, measured, widths, fmt):
        return _fast_table(head_lines, cols, measured, widths, fmt)
    lines = [
        [_wrapped(c, widths[i], fmt) for i, c in enumerate(r)] for r in zip(*cols, strict=True)
    ]
    return _DRAW[fmt](head_lines, lines, widths)


def _measured(col: list[str]) -> list[int]:
    """Each cell's display width: a column of printable ASCII and wide characters at
    once, in C (one match, then half each cell's UTF-8 bytes and characters together, as
    :func:`_line_width`); otherwise a cell at a time (memoized :func:`display_width`)."""
    joined = "\n".join(col)
    # every newline one this join put in (no cell of several lines), every character known
    if joined.count("\n") == len(col) - 1 and _KNOWN.fullmatch(joined):
        chars = map(len, col)
        return list(
            map(
                operator.floordiv,
                map(operator.add, map(len, map(str.encode, col)), chars),
                repeat(2),
            )
        )
    return list(map(display_width, col))


def _fitted(
    heads: list[str],
    cols: list[list[str]],
    natural: list[int],
    fmt: str,
    width: int | None,
    wrap: int | None,
    floors: Sequence[int] | None,
    hard_floors: Sequence[int] | None,
    weights: Sequence[int] | None,
) -> list[int]:
    """The column widths for ``wrap`` or, when it is ``None``, ``width`` (see
    :func:`draw_table`)."""
    ncol = len(heads)
    # a word is never cut ("self-assessment", 〔2016〕40号 stay whole): a column is at
    # least as wide as its longest unbreakable piece, up to _LONGEST_WORD cells
    words = [
        min(
            max([longest_token(heads[i])] + [longest_token(c) for c in cols[i]]),
            max(_LONGEST_WORD, longest_token(heads[i])),
        )
        for i in range(ncol)
    ]
    if wrap is not None:
        return [min(w, max(wrap, display_width(heads[i]), words[i])) for i, w in enumerate(natural)]
    assert width is not None
    widths = natural
    least = floors or [max(display_width(h), _MIN_COLUMN) for h in heads]
    gap = {"simple": 2, "plain": 2, "grid": 3}[fmt] * (ncol - 1) + (4 if fmt == "grid" else 0)
    for limits in (least, hard_floors or least):
        low = [min(natural[i], max(limits[i], _MIN_COLUMN, words[i])) for i in range(ncol)]
        # shares of the natural widths, not of the last pass's: prose columns
        # keep their proportions when the softer floors did not fit
        widths = fit_widths(natural, low, width, gap, weights)
        if sum(widths) + gap <= width:
            break
    return widths


def _columns(rows: Sequence[Sequence[str]], ncol: int, fmt: str) -> list[list[str]]:
    """The cells column by column, cleaned (:func:`_clean`).

    Raises:
        IndexError: a row of another length than the headers (as indexing it did).
    """
    if any(len(r) != ncol for r in rows):
        raise IndexError(f"a table row has not {ncol} cells, one per header")
    cols = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(ncol)]
    for i, col in enumerate(cols):
        joined = "".join(col)  # one scan for what _clean changes, not a call a cell
        if "\r" in joined or (fmt == "github" and ("|" in joined or "\n" in joined)):
            cols[i] = [_clean(c, fmt) for c in col]
    return cols


def _one_line_each(
    cols: list[list[str]], measured: list[list[int]], widths: Sequence[int], fmt: str
) -> bool:
    """Whether every cell is one line no wider than its column (nothing to wrap)."""
    if fmt == "github":
        return True  # never wrapped; cleaned cells are one line
    return all(
        max(m, default=0) <= w and "\n" not in "".join(col)
        for col, m, w in zip(cols, measured, widths, strict=True)
    )


def _fast_table(
    head_lines: Lines,
    cols: list[list[str]],
    measured: list[list[int]],
    widths: list[int],
    fmt: str,
) -> str:
    """A table whose cells are one line each, drawn a column at a time: each cell
    padded to its column's width as :func:`_row_lines` pads it, the rows joined as
    :func:`_simple`, :func:`_github` and :func:`_grid` join them (C loops over the
    rows: ``map`` of ``str.join``, not a Python call a cell)."""
    # c + " " * (w - d) for a cell c of display width d: str.ljust to its length plus
    # the w - d cells missing, in C (map over str.ljust and operator.sub, no Python call)
    padded = [
        list(map(str.ljust, col, map(operator.sub, map(operator.add, map(len, col), repeat(w)), m)))
        for col, m, w in zip(cols, measured, widths, strict=True)
    ]
    if fmt in ("simple", "plain"):
        body = "\n".join(map(str.rstrip, map("  ".join, zip(*padded, strict=True))))
        return _simple(head_lines, [], widths, rule=fmt == "simple") + "\n" + body
    lines = " |\n| ".join(map(" | ".join, zip(*padded, strict=True)))
    if fmt == "github":
        return _github(head_lines, [], widths) + "\n| " + lines + " |"
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    # the empty table's lines without its last rule (a table with rows has "=" there)
    top = _grid(head_lines, [], widths).rsplit("\n", 1)[0]
    body = f" |\n{rule}\n| ".join(map(" | ".join, zip(*padded, strict=True)))
    return f"{top}\n{rule.replace('-', '=')}\n| {body} |\n{rule}"


def _wrapped(cell: str, width: int, fmt: str) -> list[str]:
    """A cell's lines at ``width``: :func:`wrap_text`'s, without its work for a cell of
    one line that fits (most cells of a big table)."""
    if fmt == "github" or ("\n" not in cell and display_width(cell) <= width):
        return [cell]
    return wrap_text(cell, width)


def _clean(text: str, fmt: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "github":
        return text.replace("\n", " ").replace("|", "\\|")
    return text


def _row_lines(row: list[list[str]], widths: Sequence[int]) -> list[list[str]]:
    if all(len(c) == 1 for c in row):  # a line a cell: most rows of a big table
        pairs = zip(row, widths, strict=False)
        return [[c[0] + " " * (w - display_width(c[0])) for c, w in pairs]]
    height = max((len(c) for c in row), default=1)
    return [
        [_pad(c[k] if k < len(c) else "", widths[i]) for i, c in enumerate(row)]
        for k in range(height)
    ]


Lines = list[list[str]]


def _simple(heads: Lines, rows: list[Lines], widths: list[int], rule: bool = True) -> str:
    out = ["  ".join(line).rstrip() for line in _row_lines(heads, widths)]
    if rule:
        out.append("  ".join("-" * w for w in widths))
    for row in rows:
        out += ["  ".join(line).rstrip() for line in _row_lines(row, widths)]
    return "\n".join(out)


def _plain(heads: Lines, rows: list[Lines], widths: list[int]) -> str:
    return _simple(heads, rows, widths, rule=False)


def _github(heads: Lines, rows: list[Lines], widths: list[int]) -> str:
    out = ["| " + " | ".join(_pad(h[0], widths[i]) for i, h in enumerate(heads)) + " |"]
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        out.append("| " + " | ".join(_pad(c[0], widths[i]) for i, c in enumerate(row)) + " |")
    return "\n".join(out)


def _grid(heads: Lines, rows: list[Lines], widths: list[int]) -> str:
    def rule(ch: str) -> str:
        return "+" + "+".join(ch * (w + 2) for w in widths) + "+"

    out = [rule("-")]
    out += ["| " + " | ".join(line) + " |" for line in _row_lines(heads, widths)]
    out.append(rule("="))
    for row in rows:
        out += ["| " + " | ".join(line) + " |" for line in _row_lines(row, widths)]
        out.append(rule("-"))
    if not rows:
        out[-1] = rule("-")
    return "\n".join(out)


_DRAW = {"simple": _simple, "plain": _plain, "github": _github, "grid": _grid}
