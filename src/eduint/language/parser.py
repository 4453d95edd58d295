"""Parse rule text into the frozen AST of :mod:`eduint.language.nodes`.

This is the only module that imports lark.  Every lark exception is turned
into :class:`~eduint.errors.RuleSyntaxError` here; no lark type leaves this
module.

Rule files are untrusted text.  Parsing never evaluates anything, reads no
file but the one it is given, and always terminates: the LALR parser is
iterative, the tree is converted with lark's non-recursive transformer, and a
nesting limit (:data:`MAX_DEPTH`) and a size limit (:data:`MAX_CHARS`) are
enforced so later passes may recurse safely.

Start-up: lark and the LALR tables are loaded on first use, not on import, so a run that
reads a cached checked rule set (:mod:`eduint.checking.cached`) never pays for them.  The
tables are built from the grammar once per user and kept in eduint's private cache
(:mod:`eduint._cache`), keyed by the grammar text, the lark version and the parser
options; building them takes most of a second, loading them a few hundredths.  The
printer needs no tables: :func:`keywords` reads the grammar text.
"""

from __future__ import annotations

import functools
import io
import os
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from eduint import _cache
from eduint._resources import grammar_text as grammar_text
from eduint.errors import RuleSyntaxError
from eduint.language.diagnostics import Diagnostic, Span
from eduint.language.limits import digit_hint, read_rule_bytes
from eduint.language.nodes import Comment, RuleFile

if TYPE_CHECKING:  # lark is imported on first use (see the module docstring)
    from lark import Lark, Token, Tree
    from lark.exceptions import UnexpectedInput

__all__ = [
    "MAX_CHARS",
    "MAX_DEPTH",
    "MAX_ERRORS",
    "find_comments",
    "grammar_text",
    "keywords",
    "parse",
    "parse_file",
]

#: Largest rule file accepted, in characters (about 1 MiB of text).
MAX_CHARS = 1_000_000
#: Deepest nesting of the parse tree accepted (brackets, operators, blocks).
MAX_DEPTH = 200
#: Syntax errors collected from one file before giving up.
MAX_ERRORS = 20
#: Errors lark's recovery may meet in one file (reported or not) before giving up.
MAX_RECOVERIES = 200

# Characters a Chinese IME produces that the grammar does not accept, with the
# ASCII character to type instead.  (：，（）［］｛｝＝“”「」≥≤≠×÷ are accepted.)
FULLWIDTH_HINTS: dict[str, str] = {
    "；": "use a new line; statements need no ';'",
    "。": "use '.'",
    "．": "use '.'",
    "！": "use '!' ('!=' means not equal)",
    "？": "remove it; there is no '?' in the language",
    "＃": "use '#' to start a comment",
    "＂": "use '\"'",
    "‘": "use '\"' (or “…”) for text",
    "’": "use '\"' (or “…”) for text",
    "《": 'put titles inside quotes: "《…》"',
    "》": 'put titles inside quotes: "《…》"',
    "【": "use '[' (or put document numbers inside quotes)",
    "】": "use ']' (or put document numbers inside quotes)",
    "〔": 'put document numbers inside quotes: "国发〔2016〕40号"',
    "〕": 'put document numbers inside quotes: "国发〔2016〕40号"',
    "—": "use '-'",
    "…": "use '...' inside quotes",
    "＊": "use '*' (or '×')",
    "／": "use '/' (or '÷')",
    "％": "use '%'",
    "＜": "use '<'",
    "＞": "use '>'",
    "＝": "use '='",
}

# Friendly names for the terminals lark lists as expected.
_FRIENDLY = {
    "NAME": "a name",
    "STRING": 'text in quotes ("...")',
    "NUMBER": "a number",
    "UNIT": "a unit (人, 元, 平方米, %, 元/人 ...)",
    "DATE": "a date (YYYY-MM-DD)",
    "COMP_OP": "a comparison (>=, <=, ==, !=, >, <)",
    "PLUS": "'+'",
    "MINUS": "'-'",
    "MUL_OP": "'*' or '/'",
    "_EQ": "'='",
    "_COLON": "':'",
    "_COMMA": "','",
    "_DOT": "'.'",
    "_LPAR": "'('",
    "_RPAR": "')'",
    "_LSQB": "'['",
    "_RSQB": "']'",
    "_LBRACE": "'{'",
    "_RBRACE": "'}'",
    "$END": "end of file",
}


# The options the parser is built with; part of the cache key of its tables.
_LARK_OPTIONS: dict[str, Any] = {
    "parser": "lalr",
    "lexer": "contextual",
    "propagate_positions": True,
    "maybe_placeholders": True,
}


@functools.cache
def _lark() -> Lark:
    """The parser: LALR tables from the per-user cache, else built and cached."""
    import lark

    key = _cache.cache_key(
        "lark-tables",
        grammar_text(),
        lark.__version__,
        repr(sorted(_LARK_OPTIONS.items())),
        f"{sys.version_info[0]}.{sys.version_info[1]}",
    )
    blob = _cache.load("parser", key)
    if blob is not None:
        try:
            return lark.Lark.load(io.BytesIO(blob))
        except Exception:  # an entry lark cannot read back is a miss; build afresh
            pass
    parser = lark.Lark(grammar_text(), **_LARK_OPTIONS)
    buf = io.BytesIO()
    try:
        parser.save(buf)
    except Exception:  # the cache is an optimisation: a parser that cannot be saved still parses
        return parser
    _cache.store("parser", key, buf.getvalue())
    return parser


def parse(text: str, *, file: str = "<string>") -> RuleFile:
    """Parse the text of a rule file.

    Args:
        text: the whole rule file.
        file: the name used in diagnostics and stored in every span.

    Returns:
        The frozen :class:`~eduint.language.nodes.RuleFile`.

    Raises:
        RuleSyntaxError: the text does not follow the grammar.  It carries every
            syntax error lark's error recovery could find (at most
            :data:`MAX_ERRORS`), each with position, code and hint.
    """
    from lark.exceptions import UnexpectedInput

    if len(text) > MAX_CHARS:
        raise _error(
            text,
            file,
            Diagnostic(
                "E005",
                f"rule file too large: {len(text):,} characters (at most {MAX_CHARS:,})",
                Span(file, 1, 1, 1, 2),
                "split the rule set into several files",
            ),
        )
    if text.startswith("\ufeff"):
        text = text[1:]  # a BOM from Windows editors is not content

    _check_brackets(text, file)
    diags: list[Diagnostic] = []

    attempts = 0

    def record(exc: UnexpectedInput) -> None:
        # After a first error, lark's recovery often trips again on the same
        # line or at the end of the file; one report per line, and no
        # end-of-file report after another error, keeps the list honest.
        # Judged before the diagnosis: what lark expects costs a copy of its stack
        # (20,000 nested 'not' on one line cost 24 s this way).
        if diags and (_at_end(exc) or _on_line(diags[-1], exc)):
            return
        diag = _diagnose(exc, text, file)
        if diags and (_same_line(diags[-1], diag) or diag in diags):
            return
        diags.append(diag)

    def on_error(exc: UnexpectedInput) -> bool:
        nonlocal attempts
        attempts += 1
        record(exc)
        # After an unclosed quote everything that follows is misread; stop
        # there rather than report a cascade of follow-on errors.  Recovery ends
        # after MAX_RECOVERIES errors too, reported or not (one long line of them).
        unclosed = bool(diags) and diags[-1].code == "E007"
        # a missing 'because' leaves lark inside the statement: what follows would
        # only be misread
        because = bool(diags) and diags[-1].message.startswith("missing 'because'")
        return (
            len(diags) < MAX_ERRORS
            and attempts < MAX_RECOVERIES
            and not _at_end(exc)
            and not unclosed
            and not because
        )

    try:
        tree = _lark().parse(text, on_error=on_error)
    except UnexpectedInput as exc:
        record(exc)
        raise _error(text, file, *diags) from None
    if diags:
        raise _error(text, file, *diags)
    _check_depth(tree, text, file)
    return attrs.evolve(_to_rule_file(tree, text, file), comments=tuple(find_comments(text)))


def _to_rule_file(tree: Any, text: str, file: str) -> RuleFile:
    """The parse tree as the AST; a date that is not a calendar date (``E006``) and
    number literals beyond eduint's magnitudes (``E008``) raise :class:`RuleSyntaxError`."""
    from lark.exceptions import VisitError

    from eduint.language._to_ast import BadDate, ToAst

    to_ast = ToAst(file)
    try:
        result = to_ast.transform(tree)
    except VisitError as exc:
        orig = exc.orig_exc
        if isinstance(orig, BadDate):
            tok = orig.token
            raise _error(
                text,
                file,
                Diagnostic(
                    "E006",
                    f"'{tok}' is not a calendar date",
                    _token_span(tok, file),
                    "write a real date as YYYY-MM-DD",
                ),
            ) from None
        raise
    if to_ast.problems:  # number literals beyond eduint's magnitudes (E008)
        raise _error(text, file, *to_ast.problems[:MAX_ERRORS])
    assert isinstance(result, RuleFile)
    return result


def parse_file(path: str | os.PathLike[str]) -> RuleFile:
    """Read a UTF-8 rule file and parse it.

    Args:
        path: the file; its name as given appears in diagnostics.

    Raises:
        RuleSyntaxError: as :func:`parse`; also for a file that is not UTF-8 (E000).
        OSError: the file cannot be read, or holds more than
            :data:`eduint.language.limits.MAX_FILE_BYTES` bytes.
    """
    name = os.fspath(path)
    data = read_rule_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RuleSyntaxError(
            [
                Diagnostic(
                    "E000",
                    f"not UTF-8 text (byte {exc.start}: {data[exc.start : exc.start + 1]!r})",
                    Span(name, line, 1, line, 2),
                    "save the rule file as UTF-8",
                )
            ]
        ) from None
    return parse(text, file=name)


def keywords() -> frozenset[str]:
    """Return the reserved words of the language (they cannot be names).

    They are the word-like literals of the grammar (``"rule"``, ``"require"`` …), read
    from the grammar text, so the printer, which quotes labels that are keywords, needs
    neither lark nor the parser tables.  ``tests/test_grammar.py`` checks the result
    against the terminals lark builds.

    Raises:
        FileNotFoundError: the installation lacks the grammar file.
    """
    return _keywords()


# One token of a lark grammar, left to right: a comment, a string literal (with its
# optional "i" flag), a regular expression, or any other character.
_GRAMMAR_TOKEN = re.compile(
    r"(?P<comment>//[^\n]*)"
    r'|"(?P<string>(?:[^"\\\n]|\\.)*)"i?'
    r"|(?P<regex>/(?:[^/\\\n]|\\.)+/[imslux]*)"
    r"|.",
    re.DOTALL,
)


@functools.cache
def _keywords() -> frozenset[str]:
    words = (m["string"] for m in _GRAMMAR_TOKEN.finditer(grammar_text()))
    return frozenset(w for w in words if w is not None and w.isidentifier())


def find_comments(text: str) -> list[Comment]:
    """Return the ``#`` comments of a rule text in order.

    A ``#`` inside quotes (``"…"``, ``“…”``, ``「…」``) is text, not a comment.
    Text never spans lines, so a scan line by line is exact.
    """
    closing = {'"': '"', "“": "”", "「": "」"}
    out: list[Comment] = []
    # Lines end at "\n" only, as lark counts them; str.splitlines() would also
    # split at "\r", "\f", "\u2028" ..., which may sit inside text or white space.
    for lineno, line in enumerate(text.split("\n"), start=1):
        quote: str | None = None
        for i, ch in enumerate(line):
            if quote is not None:
                if ch == quote:
                    quote = None
            elif ch in closing:
                quote = closing[ch]
            elif ch == "#":
                out.append(Comment(lineno, line[i:].rstrip(), not line[:i].strip()))
                break
    return out


# ----------------------------------------------------------------- internals


def _error(text: str, file: str, *diags: Diagnostic) -> RuleSyntaxError:
    return RuleSyntaxError(list(diags), {file: text})


def _on_line(diag: Diagnostic, exc: UnexpectedInput) -> bool:
    """Whether ``exc`` is on the line of ``diag`` (without diagnosing ``exc``)."""
    line = getattr(exc, "line", None)
    return diag.span is not None and isinstance(line, int) and line > 0 and diag.span.line == line


def _same_line(a: Diagnostic, b: Diagnostic) -> bool:
    # After an error, lark's recovery often trips again on the same line;
    # one report per line keeps the list honest and short.
    return a.span is not None and b.span is not None and a.span.line == b.span.line


def _at_end(exc: UnexpectedInput) -> bool:
    from lark.exceptions import UnexpectedEOF, UnexpectedToken

    return isinstance(exc, UnexpectedEOF) or (
        isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
    )


def _token_span(tok: Token, file: str) -> Span:
    line = tok.line or 1
    col = tok.column or 1
    end_line = tok.end_line or line
    end_col = tok.end_column or col + max(len(str(tok)), 1)
    return Span(file, line, col, end_line, end_col)


def _end_span(text: str, file: str) -> Span:
    """One past the last non-blank character of the text."""
    body = text.rstrip()
    line = body.count("\n") + 1
    col = len(body) - (body.rfind("\n") + 1) + 1
    return Span(file, line, col, line, col + 1)


_BECAUSE_HINT = (
    "'relax' and 'drop' require because \"…\" (why the province changes the national "
    'rule), written last: relax value X = … because "…" until DATE'
)


def _missing_because(exc: Any, text: str, file: str) -> Diagnostic | None:
    """A ``drop``/``relax`` without its ``because``, reported where that statement ends
    (not at the next statement, which lark trips on), or at an ``until`` that comes
    before it."""
    accepts = exc.accepts or exc.expected
    if not any(_friendly([name]) == "'because'" for name in accepts):
        return None
    tok = exc.token
    if tok.type != "$END" and str(tok) == "until":
        return Diagnostic(
            "E002",
            "missing 'because' before 'until'",
            _token_span(tok, file),
            _BECAUSE_HINT,
        )
    pos = len(text) if tok.type == "$END" else tok.start_pos
    before = _code_before(text, pos)
    if tok.type != "$END" and "\n" not in text[len(before) : pos]:
        return None  # on the same line: an unexpected word, said as such
    return Diagnostic(
        "E002",
        "missing 'because' at the end of this drop/relax",
        _end_span(before, file),
        _BECAUSE_HINT,
    )


def _code_before(text: str, pos: int | None) -> str:
    """``text`` up to ``pos`` without its trailing comments (``# …`` lines and line
    ends), so that its end is the end of the last statement."""
    lines = text[: pos if pos is not None else len(text)].split("\n")
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return "\n".join(lines)


def _friendly(names: Iterable[str]) -> str:
    from lark.lexer import PatternStr

    out = set()
    for name in names:
        if name in _FRIENDLY:
            out.add(_FRIENDLY[name])
            continue
        try:
            pattern = _lark().get_terminal(name).pattern
        except KeyError:
            out.add(name)
            continue
        out.add(f"'{pattern.value}'" if isinstance(pattern, PatternStr) else name)
    ordered = sorted(out, key=lambda s: (not s.startswith("'"), s))
    shown = ordered[:14]
    more = f", ... ({len(ordered) - 14} more)" if len(ordered) > 14 else ""
    return ", ".join(shown) + more


def _keyword(tok: Token) -> str | None:
    """The keyword text if ``tok`` is a keyword terminal, else None."""
    from lark.lexer import PatternStr

    try:
        pattern = _lark().get_terminal(tok.type).pattern
    except KeyError:
        return None
    if isinstance(pattern, PatternStr) and pattern.value.isidentifier():
        return str(pattern.value)
    return None


def _diagnose(exc: UnexpectedInput, text: str, file: str) -> Diagnostic:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedCharacters):
        line, col = exc.line, exc.column
        pos = exc.pos_in_stream if exc.pos_in_stream is not None else -1
        ch = text[pos] if 0 <= pos < len(text) else ""
        span = Span(file, line, col, line, col + 1)
        start = pos
        while 0 < start and pos - start < 64 and text[start - 1] in "0123456789.":
            start -= 1  # the ASCII digits of the number before the character
        digit = digit_hint(text[start : pos + 64], pos - start) if pos >= 0 else None
        if digit is not None:
            return Diagnostic("E001", f"unexpected character '{ch}' (U+{ord(ch):04X})", span, digit)
        if ch in FULLWIDTH_HINTS:
            return Diagnostic(
                "E001",
                f"unexpected character '{ch}' (U+{ord(ch):04X})",
                span,
                f"full-width '{ch}' (U+{ord(ch):04X}): {FULLWIDTH_HINTS[ch]}",
            )
        if ch in '"“「':
            return Diagnostic(
                "E007",
                "unterminated text: the quote is not closed on this line",
                span,
                "close the text with a matching quote on the same line",
            )
        allowed = _friendly(exc.allowed) if exc.allowed else None
        shown = repr(ch)[1:-1] if ch else "end of file"
        return Diagnostic(
            "E001",
            f"unexpected character '{shown}'" + (f" (U+{ord(ch):04X})" if ch else ""),
            span,
            f"expected {allowed}" if allowed else None,
        )
    if isinstance(exc, UnexpectedToken):
        expected = _friendly(exc.accepts or exc.expected)
        missing = _missing_because(exc, text, file)
        if missing is not None:
            return missing
        if exc.token.type == "$END":
            return Diagnostic(
                "E003",
                "unexpected end of file",
                _end_span(text, file),
                f"expected {expected}; is a closing '}}' or ')' missing?",
            )
        tok = exc.token
        hint = f"expected {expected}"
        kw = _keyword(tok)
        accepts = exc.accepts or exc.expected
        if kw is not None and "NAME" in accepts:
            hint = f"'{kw}' is a keyword and cannot be a name; choose another name"
        elif tok.type == "_EQ" and "COMP_OP" in accepts:
            hint = "to compare, write '=='; a single '=' only names things (setting, value, let)"
        elif tok.type == "COMP_OP" and "COMP_OP" not in accepts:
            hint = "comparisons cannot be chained: write 0 <= x and x <= 0.5"
        return Diagnostic(
            "E002",
            f"unexpected {_describe(tok)}",
            _token_span(tok, file),
            hint,
        )
    if isinstance(exc, UnexpectedEOF):
        return Diagnostic(
            "E003",
            "unexpected end of file",
            _end_span(text, file),
            f"expected {_friendly(exc.expected)}",
        )
    return Diagnostic("E002", str(exc).splitlines()[0], _end_span(text, file))


def _describe(tok: Token) -> str:
    if _keyword(tok) is not None:
        return f"keyword '{tok}'"
    kinds = {"NAME": "name", "STRING": "text", "NUMBER": "number", "UNIT": "unit", "DATE": "date"}
    kind = kinds.get(tok.type)
    return f"{kind} '{tok}'" if kind else f"'{tok}'"


_OPENERS = {"(": ")", "（": "）", "[": "]", "［": "］", "{": "}", "｛": "｝"}
_CLOSERS = frozenset(_OPENERS.values())


def _check_brackets(text: str, file: str) -> None:
    """Refuse bracket nesting deeper than MAX_DEPTH before parsing.

    Brackets do not make tree nodes, so the tree-depth check alone would let
    ``((((…))))`` through; a scan of the text (outside quotes and comments)
    bounds it.  Unbalanced brackets are left to the parser, which names them.
    """
    closing = {'"': '"', "“": "”", "「": "」"}
    depth = 0
    for lineno, line in enumerate(text.split("\n"), start=1):  # lark's lines: see find_comments
        quote: str | None = None
        for col, ch in enumerate(line, start=1):
            if quote is not None:
                if ch == quote:
                    quote = None
            elif ch in closing:
                quote = closing[ch]
            elif ch == "#":
                break
            elif ch in _OPENERS:
                depth += 1
                if depth > MAX_DEPTH:
                    raise _error(
                        text,
                        file,
                        Diagnostic(
                            "E004",
                            f"brackets nested too deep (more than {MAX_DEPTH} levels)",
                            Span(file, lineno, col, lineno, col + 1),
                            "split the expression with 'let' bindings or remove extra brackets",
                        ),
                    )
            elif ch in _CLOSERS:
                depth = max(depth - 1, 0)


def _check_depth(tree: Tree[Token], text: str, file: str) -> None:
    """Refuse trees nested deeper than MAX_DEPTH (iterative walk, no recursion)."""
    from lark import Tree

    stack: list[tuple[Tree[Token], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            meta = node.meta
            span = (
                Span(file, meta.line, meta.column, meta.line, meta.column + 1)
                if not meta.empty
                else _end_span(text, file)
            )
            raise _error(
                text,
                file,
                Diagnostic(
                    "E004",
                    f"nesting too deep (more than {MAX_DEPTH} levels)",
                    span,
                    "split the expression with 'let' bindings or remove extra brackets",
                ),
            )
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, depth + 1))
