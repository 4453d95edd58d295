"""Tests of :mod:`eduint.language.diagnostics`: rendering, windowing, suggestions, sorting."""

from __future__ import annotations

import unicodedata

import pytest

from eduint.language.diagnostics import (
    MAX_SHOWN,
    Diagnostic,
    Span,
    did_you_mean,
    display_width,
    render,
    render_all,
)

SOURCE = "rule 专任教师 {\n  require 专任教师数 >= studnets\n}"


def _caret_char(rendered: str) -> str:
    """The character a terminal draws above the first ``^`` of a rendering.

    Wide and fullwidth characters (East Asian Width W/F) take two cells; this
    is computed independently of ``wcwidth``.
    """
    lines = rendered.split("\n")
    shown, caret = lines[1][4:], lines[2][4:]
    cells: list[str] = []
    for ch in shown:
        cells.extend([ch] * (2 if unicodedata.east_asian_width(ch) in "WF" else 1))
    return cells[len(caret) - len(caret.lstrip(" "))]


class TestRender:
    """render() lays one diagnostic out as header, source line, caret line, hint."""

    def test_full_layout(self) -> None:
        """The layout is ``file:line:col: error[CODE]: message``, the source line
        indented four spaces, the caret line, then ``  hint: ...``."""
        diag = Diagnostic(
            "E101",
            "unknown field 'studnets'",
            Span("r.rules", 2, 20, 2, 28),
            "did you mean 'students'?",
        )
        expected = (
            "r.rules:2:20: error[E101]: unknown field 'studnets'\n"
            "      require 专任教师数 >= studnets\n"
            "                            ^^^^^^^^\n"
            "  hint: did you mean 'students'?"
        )
        assert expected == render(diag, SOURCE)

    def test_caret_is_aligned_by_display_width_after_cjk(self) -> None:
        """After Chinese text the caret is shifted by display cells, not by
        characters, so it sits under the right character."""
        diag = Diagnostic("E101", "x", Span("r.rules", 2, 20, 2, 28))
        rendered = render(diag, SOURCE)
        assert "s" == _caret_char(rendered)
        assert rendered.split("\n")[2].index("^") == 4 + display_width("  require 专任教师数 >= ")

    def test_caret_covers_a_cjk_span_in_cells(self) -> None:
        """A span of Chinese characters is underlined over its full display width."""
        diag = Diagnostic("E101", "x", Span("r.rules", 2, 11, 2, 16))
        caret = render(diag, SOURCE).split("\n")[2]
        assert "^" * 10 == caret.strip()
        assert "专" == _caret_char(render(diag, SOURCE))

    def test_caret_after_fullwidth_punctuation(self) -> None:
        """Full-width punctuation before the error counts two cells."""
        source = "setting 下限＝（50；"
        diag = Diagnostic("E001", "x", Span("f", 1, 15, 1, 16))
        rendered = render(diag, source)
        assert "；" == _caret_char(rendered)
        assert "^^" == rendered.split("\n")[2].strip()

    def test_caret_after_tabs(self) -> None:
        """Tabs are shown expanded, and the caret still sits under the character
        at the reported column (a tab counts as one column)."""
        source = "\trequire\t学生数 >= $"
        diag = Diagnostic("E001", "x", Span("f", 1, 17, 1, 18))
        rendered = render(diag, source)
        assert "\t" not in rendered
        assert "$" == _caret_char(rendered)

    def test_at_least_one_caret(self) -> None:
        """An empty span (end == start) still gets one ``^``."""
        diag = Diagnostic("E003", "x", Span("f", 1, 4, 1, 4))
        assert "    " + "   ^" == render(diag, "abc").split("\n")[2]

    def test_end_of_file_caret_one_past_the_end(self) -> None:
        """A span one past the last character puts the caret just after the line."""
        diag = Diagnostic("E003", "x", Span("f", 1, 17, 1, 18))
        source = "  require 巩固率 >="
        assert "    " + " " * display_width(source) + "^" == render(diag, source).split("\n")[2]

    def test_multi_line_span_underlines_to_end_of_first_line(self) -> None:
        """A span over several lines is underlined from its column to the end of
        its first line."""
        diag = Diagnostic("E301", "x", Span("r.rules", 1, 6, 3, 2))
        caret = render(diag, SOURCE).split("\n")[2]
        assert "^" * display_width("专任教师 {") == caret.strip()

    def test_crlf_source(self) -> None:
        """A Windows line ending is not shown as part of the source line."""
        diag = Diagnostic("E001", "x", Span("f", 1, 1, 1, 2))
        assert "    ab" == render(diag, "ab\r\ncd").split("\n")[1]

    def test_without_source(self) -> None:
        """Without the source text only the header and the hint are shown."""
        diag = Diagnostic("E000", "not UTF-8", Span("f", 3, 1, 3, 2), "save as UTF-8")
        assert "f:3:1: error[E000]: not UTF-8\n  hint: save as UTF-8" == render(diag)

    def test_without_span(self) -> None:
        """A diagnostic about the whole file has no location prefix."""
        diag = Diagnostic("E300", "include cycle", None)
        assert "error[E300]: include cycle" == render(diag, "text")

    def test_line_out_of_range(self) -> None:
        """A span past the end of the source shows the header only."""
        diag = Diagnostic("E002", "x", Span("f", 9, 1, 9, 2))
        assert "f:9:1: error[E002]: x" == render(diag, "one line")

    def test_warning_severity(self) -> None:
        """The severity word comes from the diagnostic."""
        diag = Diagnostic("W001", "odd", Span("f", 1, 1, 1, 2), severity="warning")
        assert render(diag).startswith("f:1:1: warning[W001]: odd")


class TestWindowing:
    """Lines longer than 100 characters are shown as a window around the error."""

    LINE = "x" * 150 + "错" + "y" * 150

    def test_window_in_the_middle(self) -> None:
        """In the middle of a long line the window is marked with ellipses on both
        sides, and the caret stays under the offending character."""
        diag = Diagnostic("E002", "x", Span("f", 1, 151, 1, 152))
        rendered = render(diag, self.LINE)
        shown = rendered.split("\n")[1][4:]
        assert shown.startswith("…")
        assert shown.endswith("…")
        assert len(shown) <= 102
        assert "错" == _caret_char(rendered)
        assert "^^" == rendered.split("\n")[2].strip()

    def test_window_at_the_start(self) -> None:
        """Near the start of the line there is no leading ellipsis."""
        diag = Diagnostic("E002", "x", Span("f", 1, 3, 1, 4))
        shown = render(diag, "ab" + "c" * 200).split("\n")[1][4:]
        assert shown.startswith("abc")
        assert shown.endswith("…")

    def test_window_at_the_end(self) -> None:
        """Near the end of the line there is no trailing ellipsis."""
        diag = Diagnostic("E002", "x", Span("f", 1, 200, 1, 201))
        rendered = render(diag, "c" * 199 + "!")
        shown = rendered.split("\n")[1][4:]
        assert shown.startswith("…")
        assert shown.endswith("!")
        assert "!" == _caret_char(rendered)

    def test_short_line_is_not_windowed(self) -> None:
        """A line of 100 characters is shown whole."""
        line = "z" * 100
        diag = Diagnostic("E002", "x", Span("f", 1, 90, 1, 91))
        assert "    " + line == render(diag, line).split("\n")[1]


class TestDisplayWidth:
    """display_width() counts terminal cells."""

    @pytest.mark.parametrize(
        ("text", "width"),
        [("", 0), ("abc", 3), ("专任教师", 8), ("：；（", 6), ("a专b", 4), ("\x07a", 2)],
    )
    def test_widths(self, text: str, width: int) -> None:
        """CJK and full-width characters count two cells, ASCII one; characters
        wcwidth cannot measure (control characters) count one."""
        assert width == display_width(text)


class TestDidYouMean:
    """did_you_mean() suggests the closest existing name."""

    @pytest.mark.parametrize(
        ("word", "candidates", "expected"),
        [
            ("studnets", ["students", "teachers", "classes"], "students"),
            ("Students", ["students", "schools"], "students"),
            ("专任教帅数", ["专任教师数", "学生数"], "专任教师数"),
            ("学声数", ["学生数", "班级数"], "学生数"),
            ("专任教师", ["专任教师数", "学生数"], "专任教师数"),
            ("生均图书册数量", ["生均图书册数", "学生数"], "生均图书册数"),
            ("完全不同", ["学生数", "students"], None),
            ("生", ["学生数"], None),
            ("x", [], None),
        ],
    )
    def test_suggestions(self, word: str, candidates: list[str], expected: str | None) -> None:
        """English typos, one wrong Chinese character, and a Chinese name that
        contains or is contained in a candidate are suggested; unrelated words
        and single characters are not."""
        assert expected == did_you_mean(word, candidates)

    def test_mixed_candidates(self) -> None:
        """English names and Chinese labels can be offered together."""
        pool = ["students", "学生数", "full_time_teachers", "专任教师数"]
        assert "学生数" == did_you_mean("学生", pool)
        assert "full_time_teachers" == did_you_mean("full_time_teacher", pool)

    def test_deterministic(self) -> None:
        """The answer does not depend on the order of the candidates."""
        assert did_you_mean("学生", ["学生数", "学生人数"]) == did_you_mean(
            "学生", ["学生人数", "学生数"]
        )


class TestRenderAll:
    """render_all() sorts by position and caps the output."""

    def test_sorted_by_file_line_column(self) -> None:
        """Diagnostics come out sorted by file, line, column and code; those
        without a span first."""
        diags = [
            Diagnostic("E002", "c", Span("b.rules", 1, 1, 1, 2)),
            Diagnostic("E002", "b", Span("a.rules", 2, 5, 2, 6)),
            Diagnostic("E001", "a", Span("a.rules", 2, 1, 2, 2)),
            Diagnostic("E300", "whole", None),
            Diagnostic("E001", "z", Span("a.rules", 10, 1, 10, 2)),
        ]
        headers = [line for line in render_all(diags).split("\n") if "error[" in line]
        assert [
            "error[E300]: whole",
            "a.rules:2:1: error[E001]: a",
            "a.rules:2:5: error[E002]: b",
            "a.rules:10:1: error[E001]: z",
            "b.rules:1:1: error[E002]: c",
        ] == headers

    def test_sources_by_file(self) -> None:
        """Each diagnostic shows the line of its own file's source."""
        diags = [
            Diagnostic("E001", "x", Span("a.rules", 1, 1, 1, 2)),
            Diagnostic("E001", "y", Span("b.rules", 1, 1, 1, 2)),
        ]
        out = render_all(diags, {"a.rules": "alpha", "b.rules": "beta"}).split("\n")
        assert ["    alpha", "    beta"] == [out[1], out[4]]

    def test_cap_and_more(self) -> None:
        """Beyond the limit, the rest is summarised as ``... and N more``."""
        diags = [Diagnostic("E002", f"m{i}", Span("f", i, 1, i, 2)) for i in range(1, 6)]
        out = render_all(diags, limit=3).split("\n")
        assert [
            "f:1:1: error[E002]: m1",
            "f:2:1: error[E002]: m2",
            "f:3:1: error[E002]: m3",
        ] == out[:3]
        assert "... and 2 more" == out[-1]
        assert len(out) == 4

    def test_default_cap(self) -> None:
        """By default MAX_SHOWN diagnostics are shown."""
        diags = [Diagnostic("E002", "m", Span("f", i, 1, i, 2)) for i in range(1, MAX_SHOWN + 3)]
        out = render_all(diags).split("\n")
        assert "... and 2 more" == out[-1]
        assert MAX_SHOWN == sum(1 for line in out if "error[" in line)

    def test_no_more_line_at_the_limit(self) -> None:
        """Exactly ``limit`` diagnostics show no ``... and N more`` line."""
        diags = [Diagnostic("E002", "m", Span("f", i, 1, i, 2)) for i in range(1, 4)]
        assert "more" not in render_all(diags, limit=3)


def test_span_str() -> None:
    """A span prints as ``file:line:col``, the form editors jump to."""
    assert "rules/x.rules:2:12" == str(Span("rules/x.rules", 2, 12, 2, 20))


def test_diagnostic_sort_key() -> None:
    """sort_key orders by file, line, column, then code."""
    a = Diagnostic("E002", "x", Span("f", 1, 5, 1, 6))
    b = Diagnostic("E001", "x", Span("f", 1, 5, 1, 6))
    assert [b, a] == sorted([a, b], key=Diagnostic.sort_key)
