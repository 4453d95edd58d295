"""Every command of docs/tutorial-province.md runs, in a fresh directory holding the
files the page shows, and prints what the page says (issue 16)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from eduint.cli import main

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "tutorial-province.md"
_BLOCK = re.compile(r"^```([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks() -> list[tuple[str, str]]:
    return [(m[1].strip(), m[2]) for m in _BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def _matches(want: str, line: str) -> bool:
    """Whether an output line shows ``want``, whose ``…`` stands for any text."""
    at = 0
    for part in want.split("…"):
        found = line.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def _shown_in_order(cmd: str, expected: list[str], output: str) -> None:
    """Each line the page shows is in the output, in the page's order; a line ``…``
    stands for lines left out, so the shown lines are consecutive otherwise."""
    lines = output.splitlines()
    at = 0
    gap = False  # a block starts with the first line printed, or with …
    for want in expected:
        if want == "…":
            gap = True
            continue
        found = next((i for i in range(at, len(lines)) if _matches(want, lines[i])), None)
        assert found is not None, (cmd, want, output)
        assert gap or found == at, (cmd, "lines left out without …", want, output)
        at, gap = found + 1, False
    assert gap or at == len(lines), (cmd, "lines after the last shown left out without …", output)


def test_shown_lines_checked_in_order() -> None:
    out = "a\nb\nc\n"
    _shown_in_order("x", ["a", "…", "c"], out)
    with pytest.raises(AssertionError):
        _shown_in_order("x", ["c", "…", "a"], out)  # wrong order
    with pytest.raises(AssertionError):
        _shown_in_order("x", ["a", "c"], out)  # b dropped silently
    with pytest.raises(AssertionError):
        _shown_in_order("x", ["a", "b"], out)  # c dropped silently at the end


@pytest.mark.slow
def test_tutorial_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ran = 0
    for info, body in _blocks():
        m = re.search(r"file=(\S+)", info)
        if m:
            (tmp_path / m[1]).write_text(body, encoding="utf-8")
            continue
        if info != "console":
            continue
        commands: list[tuple[str, int, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                cmd, _, note = line[2:].partition("  # exit ")
                commands.append((cmd, int(note or 0), []))
            elif line.strip():
                commands[-1][2].append(line.strip())
        for cmd, code, expected in commands:
            args = shlex.split(cmd)
            assert args[0] == "eduint"
            args = [str(REPO / a) if a.startswith("rules/") else a for a in args[1:]]
            result = CliRunner().invoke(main, args)
            assert result.exit_code == code, (cmd, result.output)
            _shown_in_order(cmd, expected, result.output)
            ran += 1
    assert ran >= 8
