"""Golden tests of the checker's messages: ``tests/golden/check_invalid/``.

Each ``NAME.rules`` there parses but does not check (or, for a ``w…`` file,
checks with warnings).  ``NAME.err`` holds the exact text a rule author sees:

* ``str(exc)`` of the :class:`~eduint.errors.RuleCheckError` raised by
  ``check_text(text, file="tests/golden/check_invalid/NAME.rules")``;
* for a file that checks, its :attr:`RuleSet.warnings` rendered with
  :func:`eduint.language.diagnostics.render_all`.

The file name given to the checker is the relative path above, whatever the
working directory, so the expected text is stable.  Files that ``extends`` another find
their parents in ``parents/`` there (the rule root of these tests: a path leading out
of it is ``E314``) or among the bundled rule sets.  Every ``.err`` ends with
one newline.  ``pytest --update-golden`` rewrites the ``.err`` files from the
current output; review the diff like code.

A file named ``eNNN_…`` or ``wNNN_…`` must report that code; together the
files must cover every checker code (:data:`CHECKER_CODES`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eduint._resources import resource_dir
from eduint.checking.checker import check_text
from eduint.checking.resolver import RuleResolver
from eduint.engine.verify import verifier
from eduint.errors import RuleCheckError
from eduint.language.diagnostics import Diagnostic, render_all
from eduint.language.parser import parse

GOLDEN = Path(__file__).parent / "golden" / "check_invalid"
RELATIVE = "tests/golden/check_invalid"

#: Every code the checker reports: errors E1xx names, E2xx units and types,
#: E3xx structure (E312–E319 layering, E320 computations too large), and the warnings W301, W302.
CHECKER_CODES: tuple[str, ...] = (
    *(f"E1{i:02d}" for i in range(1, 14)),
    *(f"E2{i:02d}" for i in range(1, 9)),
    *(f"E3{i:02d}" for i in range(1, 21)),
    "W301",
    "W302",
)

CASES = sorted(GOLDEN.glob("*.rules"))
_CODE_IN_OUTPUT = re.compile(r"^\S+:\d+:\d+: (?:error|warning)\[(\w+)\]", re.MULTILINE)


def _render(path: Path) -> str:
    """What a rule author sees for one golden file, with a final newline."""
    text = path.read_text(encoding="utf-8")
    name = f"{RELATIVE}/{path.name}"
    resolver = RuleResolver(resource_dir("rules"), (GOLDEN,))
    try:
        ruleset = check_text(text, file=name, resolver=resolver, base=GOLDEN, verify=verifier)
    except RuleCheckError as exc:
        return str(exc) + "\n"
    warnings = [w for w in ruleset.warnings if isinstance(w, Diagnostic)]
    assert warnings, f"{path.name} checks cleanly: a golden file must give errors or warnings"
    return render_all(warnings, {name: text}) + "\n"


def _expected_codes(path: Path) -> set[str]:
    """The codes recorded in a file's ``.err``."""
    return set(_CODE_IN_OUTPUT.findall(path.with_suffix(".err").read_text(encoding="utf-8")))


def test_golden_directory_is_not_empty() -> None:
    """The glob finds the golden files (a moved directory must not pass silently)."""
    assert len(CASES) >= len(CHECKER_CODES)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_check_golden(path: Path, request: pytest.FixtureRequest) -> None:
    """The rendered diagnostics equal the ``.err`` file, byte for byte."""
    actual = _render(path)
    expected_path = path.with_suffix(".err")
    if request.config.getoption("--update-golden", default=False):
        expected_path.write_text(actual, encoding="utf-8")
        return
    assert expected_path.exists(), f"missing {expected_path.name}: run pytest --update-golden"
    assert actual == expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_input_parses(path: Path) -> None:
    """Every golden input is syntactically valid: it tests the checker, not the parser."""
    parse(path.read_text(encoding="utf-8"), file=path.name)


NAMED = [p for p in CASES if re.match(r"[ew]\d{3}_", p.name)]


@pytest.mark.parametrize("path", NAMED, ids=[p.stem for p in NAMED])
def test_file_name_code_is_reported(path: Path) -> None:
    """A file named after a code (``e301_…``, ``w301_…``) reports that code."""
    assert path.name[:4].upper() in _expected_codes(path)


def test_warning_files_check_and_error_files_do_not() -> None:
    """``w…`` files check (warnings only); every other file raises RuleCheckError."""
    resolver = RuleResolver(resource_dir("rules"), (GOLDEN,))
    for path in CASES:
        text = path.read_text(encoding="utf-8")
        if path.name.startswith("w"):
            ruleset = check_text(text, file=path.name, resolver=resolver, base=GOLDEN)
            assert ruleset.warnings
        else:
            with pytest.raises(RuleCheckError):
                check_text(text, file=path.name, resolver=resolver, base=GOLDEN)


def test_every_err_has_its_rules_file() -> None:
    """No stale ``.err`` is left behind after a ``.rules`` file is renamed or removed."""
    stale = [p.name for p in GOLDEN.glob("*.err") if not p.with_suffix(".rules").exists()]
    assert stale == []


def test_every_checker_code_is_covered() -> None:
    """Each code of :data:`CHECKER_CODES` appears in some golden file."""
    seen: set[str] = set()
    for path in CASES:
        seen |= _expected_codes(path)
    missing = [c for c in CHECKER_CODES if c not in seen]
    assert missing == []


def test_diagnostics_are_sorted_in_every_file() -> None:
    """Within one output, diagnostics come in line then column order."""
    for path in CASES:
        out = path.with_suffix(".err").read_text(encoding="utf-8")
        positions = [
            (int(line), int(col))
            for line, col in re.findall(r"^\S+?:(\d+):(\d+): ", out, flags=re.MULTILINE)
        ]
        assert positions == sorted(positions), path.name
