"""Display widths and wrapping of text tables: the quicker ways (memoized widths, one
line without a split, cells that fit not re-wrapped) give exactly what wcwidth and
:func:`wrap_text` give."""

from __future__ import annotations

import pytest
import wcwidth
from hypothesis import given, settings
from hypothesis import strategies as st

from eduint.reporting import layout, many

# Characters a table meets, and those that make wcswidth's grapheme rules matter:
# CJK and fullwidth punctuation, combining marks, zero-width joiners, variation
# selectors, viramas, Hangul jamo, emoji with skin tones, regional indicators,
# control characters, tabs and newlines.
_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from(list("，。；：、（）《》「」〔〕“”！？≤≥％　")),
    st.sampled_from(["\u0301", "\u200d", "\ufe0f", "\ufe0e", "\u094d", "\u1160", "\u11a8",
                     "\U0001f44d", "\U0001f3fd", "\U0001f1e8", "\U0001f1f3", "\u2764",
                     "\x00", "\x1b", "\x7f", "\t", "\n", "\u00ad", "\u0915"]),
    st.characters(),
)


def reference_width(text: str) -> int:
    """display_width as it was written before it was made quicker: the widest line's
    wcswidth, a line wcwidth cannot measure counted character by character."""
    if text.isascii() and text.isprintable():
        return len(text)
    widest = 0
    for line in text.split("\n"):
        w = wcwidth.wcswidth(line)
        if w < 0:
            w = sum(max(wcwidth.wcwidth(ch), 1) for ch in line)
        widest = max(widest, w)
    return widest


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, max_size=30))
def test_display_width_is_wcwidths(text: str) -> None:
    """Any text, twice (the second answer memoized): the reference width."""
    assert layout.display_width(text) == reference_width(text)
    assert layout.display_width(text) == reference_width(text)


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=40), st.integers(min_value=1, max_value=30))
def test_wrapped_cell_is_wrap_text(cell: str, width: int) -> None:
    """A cell's lines in a table are wrap_text's, whether or not it fits."""
    assert layout._wrapped(cell, width, "simple") == layout.wrap_text(cell, width)
    assert layout._wrapped(cell, width, "github") == [cell]


@pytest.mark.slow
def test_every_string_of_a_national_summary() -> None:
    """Every cell and header of a many-county summary's tables (Chinese and English)
    measures as the reference, and the summary text is drawn from those widths."""
    import datetime
    import tempfile
    from pathlib import Path

    pytest.importorskip("numpy")
    from eduint.api import load_ruleset
    from eduint.data.national import read_national
    from eduint.engine.columnar import evaluate_many
    from eduint.engine.columnar.national import frame_of
    from eduint.testing.synth import write_synth

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national.csv"
        write_synth(path, scale=0.004, seed=3)
        data = read_national(path)
    rs = load_ruleset("youzhi-junheng-2017-resource")
    as_of = datetime.date(2024, 9, 1)
    s = many.summarize(evaluate_many(rs, frame_of(data, rs, complete=True, as_of=as_of), as_of))
    strings = 0
    for lang in ("zh", "en"):
        for heads, rows in (many.county_rows(s, lang), many.totals_rows(s, lang),
                            many.closest_rows(s, lang)):
            for text in [*heads, *(c for r in rows for c in r)]:
                assert layout.display_width(text) == reference_width(text), text
                strings += 1
        for line in many.summary_text(s, lang, width=100).split("\n"):
            assert layout.display_width(line) == reference_width(line)
    assert strings > 100
