"""The short fuzz run of issue 14 (``bench/fuzz.py --rules 200 --data 50``).

Two hundred mutated and generated rule files and fifty mutated example data files go
through the library and the CLI in worker processes.  On the rule-file side nothing may
raise an exception other than eduint's own, exit with status 3, take more than 5 s of
CPU in any step, or be killed.  On the data side nothing may raise an exception other
than eduint's own and every data problem names its place; its times are printed, not
asserted (the 5 s bound is the long run's figure: a loaded CI machine stretches CPU time
too; docs/performance.md).  The long run (``--rules 10000 --data 2000``) is on demand; docs/performance.md has its
figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def test_short_fuzz_run_finds_nothing_on_the_rule_file_side(tmp_path: Path) -> None:
    """``bench/fuzz.py --rules 200 --data 50``: the rule-file side is clean."""
    summary = tmp_path / "fuzz.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "fuzz.py"),
            "--rules", "200",
            "--data", "50",
            "--seed", "ci",
            "--timeout", "60",
            "--data-timeout", "10",
            "--out", str(tmp_path / "found"),
            "--json", str(summary),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    print(proc.stdout)
    figures = json.loads(summary.read_text(encoding="utf-8"))
    rules, data = figures["rules"], figures["data"]
    assert rules["inputs"] == 200 and data["inputs"] == 50
    assert rules["foreign_exceptions"] == 0, rules["foreign_by_kind"]
    assert rules["over_slow"] == 0, rules["slow"]
    assert rules["killed"] == []
    assert data["foreign_exceptions"] == 0, data["foreign_by_kind"]
    assert data["data_problems_without_location"] == 0
    assert proc.returncode == 0, proc.stdout + proc.stderr
