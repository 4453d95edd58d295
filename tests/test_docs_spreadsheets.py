"""The commands and the Python example of docs/spreadsheets.md run as written (issue 13).

The sheet they read, 全市.xlsx, is the statistics-shaped sheet of tests/_real_sheets.py
(plain headers); each ``eduint`` command on it runs through the CLI, and the Python block
runs in a fresh interpreter and prints what its comments say.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eduint import cli

from . import _real_sheets as sheets

REPO = Path(__file__).resolve().parents[1]
DOC = (REPO / "docs" / "spreadsheets.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC, flags=re.DOTALL)


def _commands() -> list[str]:
    out = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("eduint ") and ("全市.xlsx" in line or "template" in line):
                out.append(line)
    return out


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    sheets.write_xlsx(sheets.counties(), tmp_path / "全市.xlsx", "plain")
    return tmp_path


def test_the_doc_has_the_commands() -> None:
    commands = _commands()
    assert any("--complete" in c and "--figures" not in c for c in commands)
    assert any("--figures per-segment" in c for c in commands)
    assert any(c.startswith("eduint template") for c in commands)


@pytest.mark.parametrize("command", _commands())
def test_command_runs(workdir: Path, command: str) -> None:
    args = shlex.split(command)[1:]
    result: Any = CliRunner().invoke(cli.main, args, prog_name="eduint")
    assert result.exit_code in (0, 1), result.output
    if args[0] == "check":
        assert "各县区汇总" in result.output  # three counties, then the summary
        for county in ("甲县", "乙县", "丙县"):
            assert county in result.output


def test_python_example_prints_what_it_says(workdir: Path) -> None:
    (block,) = _blocks("python")
    expected = [m for m in re.findall(r"#\s*(.+)$", block, flags=re.MULTILINE)]
    (workdir / "example.py").write_text(block, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "example.py"], capture_output=True, text=True, cwd=workdir, check=True
    )
    assert done.stdout.splitlines() == [e.strip() for e in expected]
