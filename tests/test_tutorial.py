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
            for want in expected:
                assert want in result.output, (cmd, want, result.output)
            ran += 1
    assert ran >= 8
