"""The grammar itself: it builds strictly, and no input makes the parser crash.

Three kinds of input are thrown at :func:`eduint.parse`:

* strings generated from the grammar by ``hypothesis.extra.lark.from_lark``,
  once with its default alphabet (any UTF-8 text where the grammar allows
  text) and once with tokens padded by spaces and names drawn from a small
  pool, so that most of them parse;
* the bundled ``rules/*.rules`` files and the golden parse files, each with
  one to three random single-character deletions, insertions or
  replacements (the insertions favour the full-width punctuation a Chinese
  IME produces).

Every one must either parse or raise :class:`eduint.errors.RuleSyntaxError`,
never any other exception.  Whatever parses must survive the printer:
``parse(unparse(t)) == t`` and ``unparse`` is idempotent.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark
from lark.lexer import PatternStr

from eduint._resources import bundled_rule_files
from eduint.errors import RuleSyntaxError
from eduint.language import nodes as n
from eduint.language.parser import grammar_text, keywords, parse
from eduint.language.printer import unparse

GOLDEN_PARSE = Path(__file__).parent / "golden" / "parse"

# The number of examples comes from the Hypothesis profile (tests/conftest.py:
# 100 for dev, 200 for ci, 20 for FAST=1); parsing has no deadline.
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@functools.cache
def _grammar() -> Lark:
    """The grammar as hypothesis needs it (no positions, same parser and lexer)."""
    return Lark(grammar_text(), parser="lalr", lexer="contextual")


def _keyword_terminals() -> dict[str, str]:
    """Terminal name → keyword text, for the grammar's keyword literals."""
    terminals, _rules, _ignore = _grammar().grammar.compile(_grammar().options.start, ())
    return {
        t.name: str(t.pattern.value)
        for t in terminals
        if isinstance(t.pattern, PatternStr) and str(t.pattern.value).isidentifier()
    }


def _roundtrip(text: str) -> n.RuleFile | None:
    """Parse ``text``; if it parses, check the printer round trip and return the tree.

    Returns ``None`` when the text is rejected with :class:`RuleSyntaxError`, the
    only exception allowed.  Any other exception propagates and fails the test.
    """
    try:
        tree = parse(text, file="gen.rules")
    except RuleSyntaxError as exc:
        assert exc.diagnostics, "a RuleSyntaxError must carry at least one diagnostic"
        assert all(d.code.startswith("E0") for d in exc.diagnostics)
        str(exc)  # rendering never fails either
        return None
    printed = unparse(tree)
    again = parse(printed, file="printed.rules")
    assert tree == again, f"printer changed the meaning:\n{text!r}\n---\n{printed}"
    assert printed == unparse(again), "unparse is not idempotent"
    return tree


# ------------------------------------------------------------------- grammar


def test_grammar_builds_strict() -> None:
    """The grammar has no shift/reduce conflict and no terminal collision.

    lark's ``strict=True`` (which needs ``interegular``) turns both into a
    ``GrammarError``, so a grammar edit that introduces one fails here.
    """
    pytest.importorskip("interegular")
    Lark(grammar_text(), parser="lalr", lexer="contextual", strict=True)


def test_keywords_are_the_grammar_literals() -> None:
    """``keywords()`` lists exactly the word-like literals of the grammar."""
    assert set(_keyword_terminals().values()) == keywords()
    assert {"rule", "require", "scope", "override", "relax", "report_only"} <= keywords()


# ------------------------------------------------------- generated from grammar


@pytest.mark.slow
@SETTINGS
@given(from_lark(_grammar()))
def test_generated_text_parses_or_raises_rule_syntax_error(text: str) -> None:
    """Text generated from the grammar (any UTF-8 where the grammar allows text)
    parses or raises RuleSyntaxError, and what parses round-trips.

    Adjacent tokens are often glued together (``rulesetx``), so most of these are
    rejected; the point is that rejection is always our own error.
    """
    _roundtrip(text)


_NAMES = [
    "学生数",
    "专任教师数",
    "班额",  # starts with the unit 班: must not be glued to a number
    "人均",  # starts with the unit 人
    "小学",
    "初中",
    "学校",
    "school",
    "students",
    "x",
    "a1",
    "大班额_比例",
]

_STRINGS = ['"第五条"', "“第（三）项”", "「附件2」", '""', '"# not a comment"', '"a, b: {c}"']


def _padded(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return strategy.map(lambda s: f" {s} ")


def _spaced_strategy() -> st.SearchStrategy[str]:
    dates = st.dates(datetime.date(2000, 1, 1), datetime.date(2035, 12, 31)).map(
        datetime.date.isoformat
    )
    explicit: dict[str, st.SearchStrategy[str]] = {
        name: st.just(f" {kw} ") for name, kw in _keyword_terminals().items()
    }
    explicit.update(
        NAME=_padded(st.sampled_from(_NAMES)),
        STRING=_padded(st.sampled_from(_STRINGS)),
        NUMBER=_padded(st.sampled_from(["0", "1", "4.2", "85", "2000", "0.50", "1.10"])),
        DATE=_padded(st.one_of(dates, st.just("2016-02-30"))),
    )
    return from_lark(_grammar(), explicit=explicit)


@pytest.mark.slow
@SETTINGS
@given(_spaced_strategy())
@example("setting x = by kind { 小学: 45, 班额: 50 }")
@example("setting x = by kind { 小学: 45, from: 50 }")
def test_spaced_generated_text_round_trips(text: str) -> None:
    """Grammar-generated text with spaced tokens and realistic names parses or
    raises RuleSyntaxError; what parses round-trips through the printer.

    The names include ``班额`` and ``人均``, which begin with a unit: a printer
    that drops the commas between ``by`` entries would glue them to the number
    before (``45 班`` + ``额``), which the explicit examples pin.
    """
    _roundtrip(text)


# ------------------------------------------------------------ mutated rule files


def _corpus() -> list[str]:
    files = [*bundled_rule_files(), *sorted(GOLDEN_PARSE.glob("*.rules"))]
    return [p.read_text(encoding="utf-8") for p in files]


_CORPUS = _corpus()

_POOL = (
    "；：，（）“”《》【】〔〕。、！？「」＝＋－×÷≥≤≠　"  # IME punctuation
    "\"'{}[]()<>=:,.#%‰+-*/\\\n\t "  # ASCII punctuation and white space
    "0123456789"
    "学生数教师班额人元平方米间一二十小学初中达到"
    "aezAZ_"
)

_mutation = st.tuples(
    st.sampled_from(["delete", "insert", "replace"]),
    st.floats(0, 1, exclude_max=True),
    st.sampled_from(_POOL),
)


def _mutate(text: str, mutations: list[tuple[str, float, str]]) -> str:
    for kind, where, char in mutations:
        pos = int(where * (len(text) + (kind == "insert")))
        if kind == "insert":
            text = text[:pos] + char + text[pos:]
        elif text and kind == "delete":
            text = text[:pos] + text[pos + 1 :]
        elif text:
            text = text[:pos] + char + text[pos + 1 :]
    return text


def test_mutation_corpus_is_not_empty() -> None:
    """The mutation test has files to work on, and every one of them parses."""
    assert len(_CORPUS) >= 5
    for text in _CORPUS:
        parse(text)


@pytest.mark.slow
@SETTINGS
@given(st.sampled_from(_CORPUS), st.lists(_mutation, min_size=1, max_size=3))
def test_mutated_rule_files_parse_or_raise_rule_syntax_error(
    text: str, mutations: list[tuple[str, float, str]]
) -> None:
    """A real rule file with one to three single-character edits (deletions,
    insertions, replacements; insertions from a pool rich in full-width IME
    punctuation, quotes, braces, digits and Chinese) parses or raises
    RuleSyntaxError, and what still parses round-trips through the printer."""
    _roundtrip(_mutate(text, mutations))
