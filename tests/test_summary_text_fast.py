"""The fast forms behind the many-county summary give exactly what the general ones give.

* :func:`eduint.reporting.layout.draw_table` draws a table whose cells are one line each
  a column at a time; the general path (a cell and a row at a time, ``fast=False``) is
  the reference, over random tables of ASCII, CJK, multi-line and ``|`` cells, every
  format, width and wrap.
* :func:`eduint.reporting.numbers.float_texts` formats a column with one ``%``; the
  value-at-a-time loop (``_float_texts_slow``, the old code) is the reference.
* :func:`eduint.reporting.many._filled` fills a catalogue template over columns with one
  ``%``; ``str.format`` per row is the reference.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eduint.reporting import layout
from eduint.reporting.layout import TABLE_FORMATS, draw_table
from eduint.reporting.many import _filled, _nested
from eduint.reporting.numbers import _float_texts_slow, float_texts

_CELL = st.text(alphabet=st.sampled_from("ab1 .|-达到（）〔〕，\n\r%"), max_size=12)


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    ncol = draw(st.integers(1, 4))
    heads = draw(st.lists(_CELL, min_size=ncol, max_size=ncol))
    rows = draw(st.lists(st.lists(_CELL, min_size=ncol, max_size=ncol), max_size=6))
    return heads, rows


@given(
    _tables(),
    st.sampled_from(TABLE_FORMATS),
    st.one_of(st.none(), st.integers(1, 60)),
    st.one_of(st.none(), st.integers(1, 12)),
)
def test_fast_table_is_the_general_table(
    table: tuple[list[str], list[list[str]]], fmt: str, width: int | None, wrap: int | None
) -> None:
    heads, rows = table
    args = (heads, rows, fmt, width, wrap, None, None, None)
    general = _drawn(lambda: layout._draw(*args, fast=False))
    assert _drawn(lambda: layout._draw(*args, fast=True)) == general
    assert _drawn(lambda: draw_table(heads, rows, fmt=fmt, width=width, wrap=wrap)) == general


def _drawn(draw: Callable[[], str]) -> str | tuple[type[Exception], str]:
    """The table, or the error drawing it raised (an empty column of an empty header
    has no width to wrap to, on either path)."""
    try:
        return draw()
    except ValueError as e:
        return type(e), str(e)


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_fast_table_of_one_line_cells(fmt: str) -> None:
    """A table the fast path takes (one line a cell, no width): the general path's text."""
    heads = ["代码", "县区", "结论"]
    rows = [["110101", "东城区", "达到（0.3 <= 0.45）"], ["1", "a b", ""], ["x|y", "", "未达到"]]
    args = (heads, rows, fmt, None, None, None, None, None)
    assert layout._one_line_each(
        layout._columns(rows, 3, fmt),
        [[layout.display_width(c) for c in col] for col in layout._columns(rows, 3, fmt)],
        [20, 20, 30],
        fmt,
    )
    assert layout._draw(*args, fast=True) == layout._draw(*args, fast=False)


def test_a_row_of_another_length_is_refused() -> None:
    with pytest.raises(IndexError):
        draw_table(["a", "b"], [["1", "2", "3"]])


_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e-3, 1e-3),
    st.sampled_from([0.0, -0.0, 1e300, -1e300, 5e-324, -5e-324, 0.5, 2.5, -0.0004, 1e16]),
)


@given(st.lists(_FLOATS, max_size=20), st.integers(0, 20))
def test_float_texts_one_places(values: list[float], places: int) -> None:
    assert float_texts(values, places) == _float_texts_slow(values, places)


@given(st.lists(st.tuples(_FLOATS, st.integers(0, 20)), max_size=20), st.integers(0, 3))
def test_float_texts_places_each(pairs: list[tuple[float, int]], extra: int) -> None:
    values = [x for x, _ in pairs]
    places = [p for _, p in pairs] + [3] * extra  # longer places: zip's length, as before
    assert float_texts(values, places) == _float_texts_slow(values, places)


def test_float_texts_examples() -> None:
    nan = math.nan
    assert float_texts([1.5, -0.0001, nan, 100.0, 0.0], 3) == ["1.5", "0", "", "100", "0"]
    assert float_texts([100.0, -0.4, nan], 0) == ["100", "0", ""]
    assert float_texts([0.25, 0.25], [1, 3]) == ["0.2", "0.25"]


def test_float_texts_refuses_what_format_refuses() -> None:
    with pytest.raises(ValueError):
        float_texts([1.0], -1)


@given(
    st.lists(
        st.tuples(_CELL, st.integers(-5, 500), st.sampled_from(["<=", ">", "%s"])), max_size=8
    ),
    st.sampled_from(["{a}（{b} {c}）", "{a} ({b}%) {c}", "{{a}} {a}{b}{c}", "{b:>4} {a}{c}"]),
)
def test_filled_is_format_per_row(rows: list[tuple[str, int, str]], template: str) -> None:
    a, b, c = ([r[k] for r in rows] for k in range(3))
    want = [template.format(a=x, b=y, c=z) for x, y, z in rows]
    assert _filled(template, a=a, b=b, c=c) == want


def test_nested_fills_as_format_twice() -> None:
    outer, inner = "{outcome}（{detail}）{{x}}", "{value} {op} {{b}}"
    both = _nested(outer, "detail", inner)
    filled = both.format(outcome="达到", value="0.3", op="<=")
    assert filled == outer.format(outcome="达到", detail=inner.format(value="0.3", op="<="))
