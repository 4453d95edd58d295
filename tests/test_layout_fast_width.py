"""The layout measures printable ASCII and East Asian wide text without wcwidth, exactly
as wcwidth measures it.

* Every code point of :data:`eduint.reporting.layout._WIDE_RANGES` is two cells by
  ``wcwidth.wcwidth`` itself, and ``wcwidth.wcswidth`` adds them up (checked one by one,
  all of them); every printable ASCII character is one cell.
* On random text (ASCII, CJK, fullwidth forms, combining marks, emoji, control
  characters), :func:`display_width`, :func:`wrap_text` and :func:`draw_table` give the
  same with the shortcut as with wcwidth measuring everything.
* Laying out ASCII and CJK text does not import wcwidth.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import wcwidth
from hypothesis import given
from hypothesis import strategies as st

from eduint.reporting import layout
from eduint.reporting.layout import TABLE_FORMATS, display_width, draw_table, wrap_text

T = TypeVar("T")


def test_every_wide_code_point_is_two_cells_by_wcwidth() -> None:
    for lo, hi in layout._WIDE_RANGES:
        assert 0x800 <= lo <= hi <= 0xFFFF  # three UTF-8 bytes each (_line_width)
        chars = [chr(cp) for cp in range(lo, hi + 1)]
        bad = [hex(ord(ch)) for ch in chars if wcwidth.wcwidth(ch) != 2]
        assert not bad, f"wcwidth does not give 2 cells for {bad[:10]}"
        assert [layout._char_width(ch) for ch in chars] == [2] * len(chars)
        text = "".join(chars)
        # wcswidth adds the widths up, alone and among ASCII
        assert wcwidth.wcswidth(text) == 2 * len(chars) == display_width(text)
        mixed = "a".join(chars)
        assert wcwidth.wcswidth(mixed) == 3 * len(chars) - 1 == display_width(mixed)


def test_printable_ascii_is_one_cell_by_wcwidth() -> None:
    for cp in range(0x20, 0x7F):
        assert wcwidth.wcwidth(chr(cp)) == 1 == layout._char_width(chr(cp))


def test_the_ranges_hold_no_other_character() -> None:
    # neighbours of the ranges, marks, jamo (wide, left out), emoji: measured by wcwidth
    for cp in (0x7F, 0x0300, 0x1100, 0x2E9A, 0x302A, 0x3164, 0xFE0F, 0xFF61, 0x1F600):
        assert not layout._KNOWN.fullmatch(chr(cp))
        assert layout._char_width(chr(cp)) == max(wcwidth.wcwidth(chr(cp)), 0)


@contextmanager
def _without_shortcut() -> Iterator[None]:
    """wcwidth measures everything (the layout as it was), a cold width cache."""
    known = layout._KNOWN
    never = re.compile("(?!)")
    layout._KNOWN = never
    display_width.cache_clear()
    try:
        yield
    finally:
        layout._KNOWN = known
        display_width.cache_clear()


def _both(f: Callable[[], T]) -> tuple[T | tuple[type[Exception], str], ...]:
    """What ``f`` gives (or raises) with the shortcut and without it."""

    def run() -> T | tuple[type[Exception], str]:
        try:
            return f()
        except ValueError as e:
            return type(e), str(e)

    display_width.cache_clear()
    fast = run()
    with _without_shortcut():
        slow = run()
    return fast, slow


_ALPHABET = st.one_of(
    st.sampled_from("ab1 .,-|（）〔〕，。、达到标准\n\t\x00\x1b\x7f"),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x3000, max_codepoint=0x30FF),  # incl. 〪 (width 0)
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),  # fullwidth, halfwidth
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),  # combining marks
    st.characters(min_codepoint=0x1100, max_codepoint=0x11FF),  # Hangul jamo
    st.sampled_from(["\U0001f600", "\u2764", "\ufe0f", "\u200d", "\U0001f468", "…", "é"]),
)
_TEXT = st.text(alphabet=_ALPHABET, max_size=30)


@given(_TEXT)
def test_display_width_is_wcwidths(text: str) -> None:
    fast, slow = _both(lambda: display_width(text))
    assert fast == slow
    if "\n" not in text and wcwidth.wcswidth(text) >= 0:
        assert fast == wcwidth.wcswidth(text)


@given(_TEXT, st.integers(1, 12))
def test_wrap_text_is_the_same_without_the_shortcut(text: str, width: int) -> None:
    fast, slow = _both(lambda: wrap_text(text, width))
    assert fast == slow


@given(
    st.integers(1, 3).flatmap(
        lambda n: st.tuples(
            st.lists(_TEXT, min_size=n, max_size=n),
            st.lists(st.lists(_TEXT, min_size=n, max_size=n), max_size=4),
        )
    ),
    st.sampled_from(TABLE_FORMATS),
    st.one_of(st.none(), st.integers(1, 60)),
    st.one_of(st.none(), st.integers(1, 12)),
)
def test_draw_table_is_the_same_without_the_shortcut(
    table: tuple[list[str], list[list[str]]], fmt: str, width: int | None, wrap: int | None
) -> None:
    heads, rows = table
    fast, slow = _both(lambda: draw_table(heads, rows, fmt=fmt, width=width, wrap=wrap))
    assert fast == slow


def test_ascii_and_cjk_tables_do_not_import_wcwidth() -> None:
    code = (
        "import sys\n"
        "from eduint.reporting.layout import draw_table, wrap_text\n"
        "t = draw_table(['县', 'code'], [['达到（3/4）', '〔2016〕40号，ＡＢ'], ['x', 'y']],"
        " width=12)\n"
        "wrap_text('未达到：学校 school 数 ' * 5, 10)\n"
        "assert '〔2016〕' in t\n"
        "print('wcwidth' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
