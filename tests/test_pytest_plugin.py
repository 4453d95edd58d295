"""eduint's pytest plugin (``eduint.pytest_plugin``) run by pytester on a folder with one
passing, one failing and one broken rule-test file.  The runs are subprocesses: eduint's
module-level caches (the parser, the YAML event classes) do not survive pytester's
in-process restoring of ``sys.modules``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

PA = Path(__file__).parent / "authoring" / "pa"


@pytest.fixture
def folder(pytester: pytest.Pytester) -> pytest.Pytester:
    """good.tests.yaml passes; bad.tests.yaml expects 未达到 of a class that meets its
    limit (case line 3, expectation line 26); broken.tests.yaml misspells ``expect``."""
    text = (PA / "x.tests.yaml").read_text(encoding="utf-8")
    for name in ("good", "bad"):
        shutil.copy(PA / "x.rules", pytester.path / f"{name}.rules")
    (pytester.path / "good.tests.yaml").write_text(
        text.replace("rules: x.rules", "rules: good.rules"), encoding="utf-8"
    )
    wrong = text.replace("rules: x.rules", "rules: bad.rules").replace(
        "entity: X1/小学/1, outcome: 达到", "entity: X1/小学/1, outcome: 未达到", 1
    )
    assert wrong != text
    (pytester.path / "bad.tests.yaml").write_text(wrong, encoding="utf-8")
    (pytester.path / "broken.tests.yaml").write_text(
        "rules: good.rules\ncases:\n  - name: a\n    data: {name: x}\n    expekt: []\n",
        encoding="utf-8",
    )
    return pytester


def test_plugin_runs_every_file_and_words_failures_in_chinese(folder: pytest.Pytester) -> None:
    result = folder.runpytest_subprocess("-p", "no:cacheprovider")
    out = result.stdout.str()
    result.assert_outcomes(passed=5, failed=2)
    assert "Interrupted" not in out and "during collection" not in out
    assert "Traceback" not in out and "cases.py" not in out  # no traceback through eduint
    assert "broken.tests.yaml:3：错误：用例中未知的键 “expekt”（是否应为“expect”？）" in out
    result.stdout.fnmatch_lines(
        [
            "*bad.tests.yaml:3 班额边界*",
            "未通过：班额边界（bad.tests.yaml:3）",
            "    bad.tests.yaml:26：(五) [X1/小学/1]：应为未达到，实为达到",
            "*班额 <= 班额上限：40 人 <= 40 人（成立）",
        ]
    )


@pytest.mark.slow
@pytest.mark.parametrize("how", [["--eduint-lang=en"], ["-o", "eduint_lang=en"]])
def test_plugin_words_failures_in_english_on_request(
    folder: pytest.Pytester, how: list[str]
) -> None:
    result = folder.runpytest_subprocess("-p", "no:cacheprovider", *how)
    result.assert_outcomes(passed=5, failed=2)
    result.stdout.fnmatch_lines(
        [
            "FAILED: 班额边界 (bad.tests.yaml:3)",
            "    bad.tests.yaml:26: (五) [X1/小学/1]: expected not met, got met",
        ]
    )
    assert "broken.tests.yaml:3: error: case: unknown key 'expekt'" in result.stdout.str()
