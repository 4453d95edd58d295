"""docs/testing.md, "Property-testing a provincial file against the national one": its
rule file and test file are written out and run as the page says, and what it shows
pytest and ``eduint test`` printing is what they print (issue 17)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "testing.md"
EDUINT = Path(sys.executable).parent / "eduint"


def _section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("## Property-testing a provincial file")
    return text[start : text.index("### The other property helpers", start)]


def _blocks(section: str) -> list[tuple[str, str]]:
    return re.findall(r"```(\w*)\n(.*?)```", section, flags=re.S)


@pytest.mark.slow
def test_the_worked_example_runs_as_documented(tmp_path: Path) -> None:
    blocks = _blocks(_section())
    rules, code, pytest_out, eduint_out = (b for _lang, b in blocks)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "province.rules").write_text(rules, encoding="utf-8")
    (tmp_path / "test_province.py").write_text(code, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--eduint-profile=ci",
         "test_province.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    shown = [ln for ln in pytest_out.splitlines() if ln.startswith("E       ")]
    assert shown and all(ln in run.stdout for ln in shown), run.stdout
    # paste the case (the message: comment lines, then the YAML) under cases: of a rule
    # test of the provincial file
    lines = [ln[8:] for ln in shown]
    lines[0] = lines[0].split("PropertyFailed: ", 1)[1]
    case = "\n".join(lines)
    (tmp_path / "rules" / "province.tests.yaml").write_text(
        "rules: province.rules\ncases:\n" + case + "\n", encoding="utf-8"
    )
    test = subprocess.run(
        [str(EDUINT), "test", "rules/province.tests.yaml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert test.returncode == 1, test.stdout + test.stderr
    for line in eduint_out.splitlines():
        if line.startswith(("$", "...")):
            continue
        assert line in test.stdout, test.stdout
