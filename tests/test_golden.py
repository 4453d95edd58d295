"""Golden files: parsed trees, printed text and rendered syntax errors.

``tests/golden/parse/NAME.rules`` must parse; its AST dump (``tests/_dump.py``)
must equal ``NAME.ast`` and its canonical printout must equal ``NAME.printed``.

``tests/golden/invalid/NAME.rules`` must be rejected; ``str()`` of the
:class:`~eduint.errors.RuleSyntaxError` must equal ``NAME.err`` exactly,
caret lines included.  Two errors cannot come from a checked-in file (a file
that is not UTF-8, a file over the size limit); they are produced here and
compared with ``GENERATED_NAME.err`` all the same.

``pytest --update-golden`` rewrites the expected files from the current
output instead of comparing; review the diff like code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from eduint.errors import RuleSyntaxError
from eduint.language.parser import MAX_CHARS, keywords, parse, parse_file
from eduint.language.printer import unparse

from ._dump import dump

GOLDEN = Path(__file__).parent / "golden"
PARSE_DIR = GOLDEN / "parse"
INVALID_DIR = GOLDEN / "invalid"

PARSE_CASES = sorted(PARSE_DIR.glob("*.rules"))
INVALID_CASES = sorted(INVALID_DIR.glob("*.rules"))


def _read(path: Path) -> str:
    """Read a golden file exactly (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def _compare(path: Path, actual: str, update: bool) -> None:
    """Compare ``actual`` with the golden file ``path``, or rewrite it when updating."""
    if update:
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.exists(), f"{path.name} is missing; run pytest --update-golden and review it"
    assert _read(path) == actual


def _parse_golden(path: Path) -> object:
    return parse(_read(path), file=path.name)


# ---------------------------------------------------------------- parse cases


@pytest.mark.parametrize("source", PARSE_CASES, ids=lambda p: p.stem)
def test_parse_golden_ast(source: Path, update_golden: bool) -> None:
    """The file parses and its AST dump equals ``NAME.ast``."""
    tree = _parse_golden(source)
    _compare(source.with_suffix(".ast"), dump(tree), update_golden)


@pytest.mark.parametrize("source", PARSE_CASES, ids=lambda p: p.stem)
def test_parse_golden_printed(source: Path, update_golden: bool) -> None:
    """The canonical printout of the file equals ``NAME.printed``; the printout
    parses to an equal tree and prints to itself (``eduint fmt`` is stable)."""
    tree = _parse_golden(source)
    printed = unparse(tree)
    _compare(source.with_suffix(".printed"), printed, update_golden)
    again = parse(printed, file=f"{source.stem}.printed")
    assert tree == again
    assert printed == unparse(again)


def test_parse_golden_ast_of_printed_file() -> None:
    """Every checked-in ``.printed`` file parses to the tree its ``.ast`` describes."""
    for source in PARSE_CASES:
        printed = source.with_suffix(".printed")
        expected = source.with_suffix(".ast")
        tree = parse(_read(printed), file=printed.name)
        assert _read(expected) == dump(tree), printed.name


def test_fullwidth_golden_equals_its_ascii_twin() -> None:
    """``fullwidth.rules`` (IME punctuation) and ``ascii_twin.rules`` parse to
    equal trees and print identically."""
    wide = _parse_golden(PARSE_DIR / "fullwidth.rules")
    ascii_ = _parse_golden(PARSE_DIR / "ascii_twin.rules")
    assert ascii_ == wide
    assert _read(PARSE_DIR / "ascii_twin.ast") == _read(PARSE_DIR / "fullwidth.ast")


def test_parse_golden_files_have_no_strays() -> None:
    """Every ``.ast``/``.printed`` file belongs to a ``.rules`` file (no stale
    expectations left behind by a rename)."""
    stems = {p.stem for p in PARSE_CASES}
    for path in PARSE_DIR.iterdir():
        assert path.suffix in {".rules", ".ast", ".printed"}, path.name
        assert path.stem in stems, f"{path.name} has no {path.stem}.rules"


# -------------------------------------------------------------- invalid cases


def _rendered_error(run: Callable[[], object]) -> RuleSyntaxError:
    with pytest.raises(RuleSyntaxError) as info:
        run()
    return info.value


@pytest.mark.parametrize("source", INVALID_CASES, ids=lambda p: p.stem)
def test_invalid_golden(source: Path, update_golden: bool) -> None:
    """The file is rejected and ``str(error)`` equals ``NAME.err`` exactly."""
    exc = _rendered_error(lambda: _parse_golden(source))
    _compare(source.with_suffix(".err"), str(exc) + "\n", update_golden)


def _not_utf8() -> RuleSyntaxError:
    """E000: a GBK-encoded rule file read with parse_file."""
    Path("gbk.rules").write_bytes("rule 班额 {\n  require 学生数 <= 45 人\n}\n".encode("gbk"))
    return _rendered_error(lambda: parse_file("gbk.rules"))


def _too_large() -> RuleSyntaxError:
    """E005: a text one character over MAX_CHARS."""
    text = "# " + "很长的注释" * (MAX_CHARS // 5) + "\n"
    assert len(text) > MAX_CHARS
    return _rendered_error(lambda: parse(text, file="too_large.rules"))


def _number_too_large() -> RuleSyntaxError:
    """E008: a threshold of 4,301 digits (more than Python prints)."""
    text = "rule 工资 {\n  scope county\n  require teacher_pay_avg >= 1" + "0" * 4300 + " 元\n}\n"
    return _rendered_error(lambda: parse(text, file="number_too_large.rules"))


GENERATED: dict[str, Callable[[], RuleSyntaxError]] = {
    "GENERATED_not_utf8": _not_utf8,
    "GENERATED_too_large": _too_large,
    "GENERATED_number_too_large": _number_too_large,
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_invalid_golden_generated(
    name: str, update_golden: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Errors no checked-in file can produce (not UTF-8, too large, a number of 4,301
    digits) render as
    ``GENERATED_*.err`` says."""
    monkeypatch.chdir(tmp_path)
    exc = GENERATED[name]()
    _compare(INVALID_DIR / f"{name}.err", str(exc) + "\n", update_golden)


def test_invalid_golden_covers_every_syntax_code() -> None:
    """Between them the invalid golden files show every syntax code E000-E008."""
    seen: set[str] = set()
    for err in INVALID_DIR.glob("*.err"):
        seen.update(re.findall(r"error\[(E0\d\d)\]", _read(err)))
    assert {f"E00{i}" for i in range(9)} <= seen


def test_invalid_golden_files_have_no_strays() -> None:
    """Every ``.err`` file belongs to a ``.rules`` file or a generated case."""
    stems = {p.stem for p in INVALID_CASES} | set(GENERATED)
    for path in INVALID_DIR.iterdir():
        assert path.suffix in {".rules", ".err"}, path.name
        assert path.stem in stems, f"{path.name} has no {path.stem}.rules"


_HEADER = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): error\[E\d+\]")


def _terminal_cells(text: str) -> list[int]:
    """Cell → index of the character drawn there, as a terminal lays ``text`` out.

    An independent oracle for the renderer (which uses ``wcwidth``): East Asian
    Wide and Fullwidth characters take two cells, everything else one.
    """
    cells: list[int] = []
    for i, ch in enumerate(text):
        cells.extend([i] * (2 if unicodedata.east_asian_width(ch) in "WF" else 1))
    return cells


@pytest.mark.parametrize("source", INVALID_CASES, ids=lambda p: p.stem)
def test_invalid_golden_carets_sit_under_the_reported_column(source: Path) -> None:
    """In every ``.err`` file, the first ``^`` is drawn under the character at
    the reported line and column (or one cell past the end of the line for an
    error at the end of the file), after Chinese text, full-width punctuation,
    tabs and in windowed long lines alike."""
    lines = _read(source.with_suffix(".err")).split("\n")
    src_lines = _read(source).split("\n")
    checked = 0
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if m is None or i + 2 >= len(lines) or not lines[i + 2].strip().startswith("^"):
            continue
        shown, caret = lines[i + 1][4:], lines[i + 2][4:]
        raw = src_lines[int(m["line"]) - 1]
        col = int(m["col"])
        cells = _terminal_cells(shown)
        lead = len(caret) - len(caret.lstrip(" "))
        if col - 1 >= len(raw):
            assert lead == len(cells), line
        else:
            assert shown[cells[lead]] == raw[col - 1], line
        checked += 1
    assert checked >= 1


# ----------------------------------------------------------------- the docs

DOCS = Path(__file__).parents[1] / "docs"


def _blocks(doc: str, lang: str) -> list[str]:
    """The fenced code blocks of a docs page whose info string is ``lang``."""
    blocks: list[str] = []
    current: list[str] | None = None
    keep = False
    for line in _read(DOCS / doc).split("\n"):
        if current is None and line.startswith("```"):
            current, keep = [], line[3:].strip() == lang
        elif current is not None and line == "```":
            if keep:
                blocks.append("\n".join(current) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    assert current is None, f"unclosed code block in {doc}"
    return blocks


def test_language_reference_examples_parse() -> None:
    """Every ``eduint`` code block of docs/language.md is a rule file that parses,
    and prints back to a file that parses to the same tree."""
    blocks = _blocks("language.md", "eduint")
    assert len(blocks) >= 15
    for i, block in enumerate(blocks):
        tree = parse(block, file=f"language.md#{i}")
        assert tree == parse(unparse(tree))


def test_language_reference_lists_the_keywords() -> None:
    """The keyword list in docs/language.md is exactly ``eduint.language.parser.keywords()``."""
    line = next(
        ln for ln in _read(DOCS / "language.md").split("\n") if ln.startswith("`and`, `applies`")
    )
    assert keywords() == set(re.findall(r"`([a-z_]+)`", line))


@pytest.mark.parametrize("doc", ["language.md", "errors.md"])
def test_docs_error_outputs_are_golden(doc: str) -> None:
    """Every rendered error shown in the docs is, character for character, the
    content of a golden ``.err`` file (so the docs show what eduint prints)."""
    goldens = {_read(p).rstrip("\n") for p in INVALID_DIR.glob("*.err")} | {
        _read(p).rstrip("\n") for p in (INVALID_DIR.parent / "check_invalid").glob("*.err")
    }
    shown = [b.rstrip("\n") for b in _blocks(doc, "text") if _HEADER.match(b)]
    assert shown
    for block in shown:
        assert block in goldens, block.split("\n")[0]


def test_errors_reference_inputs_are_golden() -> None:
    """Every example input in docs/errors.md is a golden invalid ``.rules`` file
    (syntax or checker), and every syntax code E000-E008 has its own section."""
    inputs = {_read(p).rstrip("\n") for p in INVALID_CASES} | {
        _read(p).rstrip("\n") for p in (INVALID_DIR.parent / "check_invalid").glob("*.rules")
    }
    blocks = _blocks("errors.md", "")
    assert len(blocks) >= 10
    for block in blocks:
        assert block.rstrip("\n") in inputs, block.split("\n")[0]
    headings = re.findall(r"^### (E0\d\d):", _read(DOCS / "errors.md"), re.M)
    assert [f"E00{i}" for i in range(9)] == headings
