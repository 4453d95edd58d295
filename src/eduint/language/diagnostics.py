"""Source positions and the rendering of diagnostics.

One layout for every user-facing problem in a rule file::

    rules/x.rules:2:12: error[E101]: unknown field 'studnets'
        require studnets >= 10 人
                ^^^^^^^^
      hint: did you mean '学生数' (students)?

* line and column are one-based; the column counts code points, as editors do;
* the caret line is aligned in *display cells* (``wcwidth``), so it lands under
  the right character after Chinese text;
* the caret covers the whole span on its first line (at least one ``^``);
* what a message repeats of the input is shortened (:func:`shorten`): a word longer
  than :data:`MAX_ECHO_CELLS` display cells ends in ``…``, and a message or hint never
  exceeds :data:`MAX_MESSAGE_CELLS`, so a generated 100 KB name cannot make a 100 KB
  message.  :class:`Diagnostic` applies this to every message and hint it is given.

This module imports neither lark nor the data models.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "MAX_ECHO_CELLS",
    "MAX_MESSAGE_CELLS",
    "Diagnostic",
    "Span",
    "clip_message",
    "did_you_mean",
    "display_width",
    "render",
    "render_all",
    "shorten",
]

#: How many diagnostics one error message shows before "... and N more".
MAX_SHOWN = 50
#: Longest source line shown whole under a diagnostic, in characters.
_WINDOW = 100
#: Longest word (a run without white space: a name, a number, a piece of text) that a
#: message or hint repeats, in display cells; a longer one is cut and ends in ``…``.
MAX_ECHO_CELLS = 60
#: Longest message or hint, in display cells (the longest eduint writes is about 210).
MAX_MESSAGE_CELLS = 500
#: Longest word :func:`did_you_mean` looks for: no real name is longer.
_MAX_SUGGEST_CHARS = 100


@attrs.frozen
class Span:
    """A region of a source file.

    Attributes:
        file: the file name as given to the parser.
        line: first line, one-based.
        column: first column, one-based, counted in code points.
        end_line: last line, one-based.
        end_column: column one past the last character, one-based.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def shorten(text: str, cells: int = MAX_ECHO_CELLS) -> str:
    """Return ``text`` cut to at most ``cells`` display cells, ending in ``…`` when cut.

    The cost is bounded by ``cells``, not by the length of ``text``.

    Args:
        text: what to show (a name, a number, a quoted text, a file name).
        cells: the most display cells the result may take (a CJK character is 2); at
            least 2.
    """
    if len(text) * 2 <= cells:  # no character is wider than 2 cells
        return text
    from wcwidth import wcwidth  # here: importing it costs a rule-set load 10 ms

    used = 0
    cut = len(text)  # where the ellipsis goes: the first character past cells - 1
    for i, ch in enumerate(text):
        width = max(wcwidth(ch), 1)
        if cut == len(text) and used + width > cells - 1:
            cut = i
        used += width
        if used > cells:
            return text[:cut] + "…"
    return text


# A word of a message: a run without white space, with the closing punctuation
# (quotes, brackets, a comma) that follows what it repeats.
_WORD = re.compile(r"\S+")
_CLOSING = "'\"”」)]}>,.:;?"


def _shorten_word(m: re.Match[str]) -> str:
    word = m[0]
    if len(word) * 2 <= MAX_ECHO_CELLS:
        return word
    tail = ""
    while word and word[-1] in _CLOSING and len(tail) < 3:
        word, tail = word[:-1], word[-1] + tail
    short = shorten(word, MAX_ECHO_CELLS)
    return short + tail if short != word else m[0]


def clip_message(text: str) -> str:
    """Return a message or hint with what it repeats of the input shortened.

    Every word (run without white space) longer than :data:`MAX_ECHO_CELLS` display
    cells is cut to that width and ends in ``…`` (a closing quote or bracket after it is
    kept), then the whole text is cut to :data:`MAX_MESSAGE_CELLS`.  Messages eduint
    writes about ordinary input are returned unchanged.
    """
    if len(text) * 2 <= MAX_ECHO_CELLS:
        return text
    return shorten(_WORD.sub(_shorten_word, text), MAX_MESSAGE_CELLS)


def _clip_hint(text: str | None) -> str | None:
    return None if text is None else clip_message(text)


@attrs.frozen
class Diagnostic:
    """One problem found in a rule file.

    Attributes:
        code: the stable code (``E0xx`` syntax, ``E1xx`` names, ``E2xx`` units and
            types, ``E3xx`` structure, ``W...`` warnings); see ``docs/errors.md``.
        message: what is wrong, one line (long words shortened: :func:`clip_message`).
        span: where, or ``None`` when the problem concerns the whole file.
        hint: what to do about it, or ``None`` (shortened likewise).
        severity: ``"error"`` or ``"warning"``.
        detail: further lines shown under the hint, indented (the figures of a
            counterexample), or ``None``.
    """

    code: str
    message: str = attrs.field(converter=clip_message)
    span: Span | None = attrs.field()
    hint: str | None = attrs.field(default=None, converter=_clip_hint)
    severity: str = "error"
    detail: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        """Key that sorts diagnostics by file and position."""
        if self.span is None:
            return ("", 0, 0, self.code)
        return (self.span.file, self.span.line, self.span.column, self.code)


def display_width(text: str) -> int:
    """Return the number of terminal cells ``text`` occupies.

    Wide (CJK) characters count 2; characters ``wcwidth`` cannot measure count 1.
    """
    from wcwidth import wcswidth, wcwidth  # here: importing it costs a rule-set load 10 ms

    width = wcswidth(text)
    if width >= 0:
        return width
    return sum(max(wcwidth(ch), 1) for ch in text)


def _source_line(source: str, line: int) -> str | None:
    # Lines end at "\n" only, as the parser counts them (not str.splitlines()).
    lines = source.split("\n")
    if 1 <= line <= len(lines):
        return lines[line - 1].rstrip("\r")
    if line == len(lines) + 1:
        return ""
    return None


def render(diagnostic: Diagnostic, source: str | None = None) -> str:
    """Render one diagnostic as text.

    Args:
        diagnostic: the problem.
        source: the whole text of the file the span points into, used to show
            the offending line with a caret; ``None`` shows the header and hint only.

    Returns:
        Two to four lines, without a trailing newline.
    """
    span = diagnostic.span
    where = f"{span}: " if span is not None else ""
    out = [f"{where}{diagnostic.severity}[{diagnostic.code}]: {diagnostic.message}"]
    if span is not None and source is not None:
        raw = _source_line(source, span.line)
        if raw is not None:
            # Columns count code points of the raw line, a tab as one; map them
            # into the tab-expanded text that is shown.
            text = raw.expandtabs(4)
            raw_start = max(span.column - 1, 0)
            raw_end = span.end_column - 1 if span.end_line == span.line else len(raw)
            start = len(raw[:raw_start].expandtabs(4))
            end = len(raw[:raw_end].expandtabs(4))
            end = max(end, start + 1)
            if len(text) > _WINDOW:
                # A very long line (generated input) is shown as a window
                # around the error, marked with ellipses.
                lo = max(start - _WINDOW // 2, 0)
                hi = min(lo + _WINDOW, len(text))
                end = min(end, hi)
                text = ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")
                shift = 1 if lo else 0
                start, end = start - lo + shift, end - lo + shift
            lead = display_width(text[:start])
            width = max(display_width(text[start:end]), 1)
            out.append("    " + text)
            out.append("    " + " " * lead + "^" * width)
    if diagnostic.hint:
        out.append(f"  hint: {diagnostic.hint}")
    if diagnostic.detail:
        out.extend(f"    {line}".rstrip() for line in diagnostic.detail.split("\n"))
    return "\n".join(out)


def render_all(
    diagnostics: Sequence[Diagnostic],
    sources: dict[str, str] | None = None,
    *,
    limit: int = MAX_SHOWN,
) -> str:
    """Render several diagnostics, sorted by position, capped at ``limit``.

    Args:
        diagnostics: the problems.
        sources: file name → file text, for the source lines.
        limit: how many to show before ``... and N more``.

    Returns:
        The rendered diagnostics separated by newlines.
    """
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    sources = sources or {}
    parts = [
        render(d, sources.get(d.span.file) if d.span is not None else None) for d in ordered[:limit]
    ]
    if len(ordered) > limit:
        parts.append(f"... and {len(ordered) - limit} more")
    return "\n".join(parts)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """Return the closest candidate to ``word``, or ``None`` if none is close.

    Args:
        word: what the user wrote.
        candidates: the names that exist (English names and Chinese labels alike).
    """
    if len(word) > _MAX_SUGGEST_CHARS:
        return None
    import difflib  # only when a name is unknown: every command imports this module

    pool = sorted(set(candidates))
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    # Chinese names are short: one wrong character out of three is below the
    # 0.6 ratio cut-off, so also accept a candidate that contains the word or
    # is contained in it.
    for cand in pool:
        if len(word) >= 2 and (word in cand or cand in word):
            return cand
    return None
