"""Defects a fresh review of main found after issues 11–13 and 15 (fix12), end to end
through ``eduint check``/``eduint lint`` on the bundled examples."""

from __future__ import annotations

from click.testing import CliRunner

from eduint import cli


def _cli(*args: str, columns: int = 400) -> tuple[int, str]:
    """Run ``eduint``; by default a wide "terminal", so that no table cell is wrapped."""
    result = CliRunner().invoke(cli.main, list(args), env={"COLUMNS": str(columns)})
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout


def _lines(text: str, *needles: str) -> list[str]:
    return [line for line in text.splitlines() if all(n in line for n in needles)]


# ------------------------------------------------------------------ 1. at_least with a floor


def test_a_failing_floor_is_the_evidence_labelled_as_the_floor() -> None:
    """石桥乡中心小学 小学 meets 6 of 7 but its 骨干教师 is under the 85 % floor: the
    evidence is the floor comparison (0.735 < 0.85), not the counted one (0.735 < 1)."""
    _, out = _cli(
        "check",
        "--example",
        "synthetic-county-2019",
        "--rules",
        "youzhi_junheng_2017",
        "--detail",
        "--wrap",
        "400",
    )
    (row,) = [r for r in _lines(out, "学校达标", "石桥乡中心小学 小学", "未达到") if "人/百人" in r]
    assert "骨干教师：0.735 人/百人 < 0.85 人/百人（85% 下限）" in row
    assert "< 1 人/百人" not in row
    assert "-0.115 人/百人" in row


def test_a_passing_school_note_does_not_start_with_not_met() -> None:
    _, out = _cli(
        "check",
        "--example",
        "synthetic-county-2019",
        "--rules",
        "youzhi_junheng_2017",
        "--detail",
        "--wrap",
        "400",
    )
    (row,) = _lines(out, "城关第二小学 小学", "2294.686")
    assert "未达到" not in row
    assert "6/7 达到；教学用房：3.825 平方米/人 < 4.5 平方米/人，在 85% 下限之上" in row
    (failing,) = _lines(out, "石桥乡中心小学 小学", "2205.882")
    assert failing.count("骨干教师") == 1 and "（85% 下限）" in failing
