"""The 2017 资源配置 block: every 差异系数 its scenarios pin, computed here independently.

The scenarios of the block (``tests/scenarios/resource-2017/settings-and-edges.yaml``,
run by ``tests/test_scenarios.py``) evaluate small counties with each setting one way and
the other (``include_special``, ``include_private``, ``teaching_points`` (单列 / 并入中心校
/ 不计入), ``teaching_point_min_students``, ``subtract_indoor_sports``,
``split_indicators`` and ``split_weights``), the edges of the CV (one school, a missing
figure, ``cv_over_available``, a mean of 0, 0 students) and the bundled 6-of-7 + 85 %
rule at its boundaries.  They pin each CV to 6 places (``~0.311210``: the exact CV, a
rational or a bracket, rounds to it).

This file computes every one of those CVs from the raw figures with plain fractions (not
:mod:`eduint.core.statistics`) and checks that the scenario's figure is that CV rounded
to 6 places, and that each setting really moves the CV.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from ._scenarios import Case, load_file

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "tests" / "scenarios" / "resource-2017" / "settings-and-edges.yaml"


def _cv(rows: Sequence[tuple[Fraction | int, Fraction | int]]) -> Fraction:
    """Student-weighted population CV of (indicator, students) rows, written out here."""
    n = sum((Fraction(w) for _, w in rows), Fraction(0))
    mean = sum((Fraction(x) * w for x, w in rows), Fraction(0)) / n
    var = sum((w * (Fraction(x) - mean) * (Fraction(x) - mean) for x, w in rows), Fraction(0)) / n
    with localcontext() as ctx:
        ctx.prec = 50
        root = Fraction((Decimal(var.numerator) / Decimal(var.denominator)).sqrt())
    return root / mean


# ------------------------------------------------ the settings county (小学 teachers)

# (students, teachers above the required degree) of each 小学 segment, by school id.
PRIMARY = {
    "P1": (600, 30),
    "P2": (400, 14),
    "PR": (300, 24),
    "SP": (40, 8),
    "TP": (30, 1),
    "TQ": (60, 2),
    "NY": (200, 9),
}
DEFAULT_IDS = ["P1", "P2", "PR", "TP", "TQ", "NY"]  # the special school is out by default
NON_POINTS = ["P1", "P2", "PR", "NY"]


def _primary_cv(ids: list[str], merged: dict[str, list[str]] | None = None) -> Fraction:
    """The 小学 CV over the schools ``ids``; ``merged`` adds 教学点 into their central school."""
    rows = []
    for i in ids:
        n, t = PRIMARY[i]
        for extra in (merged or {}).get(i, []):
            n, t = n + PRIMARY[extra][0], t + PRIMARY[extra][1]
        rows.append((Fraction(100 * t, n), n))
    return _cv(rows)


# 初中 physical figures: (floor area, indoor sports area, equipment value, 初中 students),
# whole school; the 九年一贯制 school's 初中 share is 1.1 × 220 ÷ (200 + 1.1 × 220).
JUNIOR = {"J1": (3500, 600, 1400000, 500), "J2": (1800, 100, 600000, 300)}
NY_WHOLE = (2600, 500, 1000000)
NY_JUNIOR_SHARE = Fraction(11, 10) * 220 / (200 + Fraction(11, 10) * 220)


def _floor_area_cv(subtract: bool) -> Fraction:
    rows = [(Fraction(f - (i if subtract else 0), n), n) for f, i, _, n in JUNIOR.values()]
    f, i, _ = NY_WHOLE
    rows.append(((f - (i if subtract else 0)) * NY_JUNIOR_SHARE / 220, 220))
    return _cv(rows)


TWO_JUNIOR = [(Fraction(e, n), n) for _, _, e, n in JUNIOR.values()]
NY_EQUIPMENT = (NY_WHOLE[2] * NY_JUNIOR_SHARE / 220, 220)
NY_EQUIPMENT_BY_HEAD = (Fraction(NY_WHOLE[2], 420), 220)  # 1 : 1: every student counts the same

# The edge county: multimedia rooms per 100 students of 甲 (10 of 400), 乙 (4 of 200), 丙 (3 of 100).
A, B, C = (Fraction(1000, 400), 400), (Fraction(400, 200), 200), (Fraction(300, 100), 100)

# case name -> (county segment entity, the CV computed here)
EXPECTED: dict[str, tuple[str, Fraction]] = {
    "teacher_cv_defaults": ("设置县（合成数据） 小学", _primary_cv(DEFAULT_IDS)),
    "include_special_true": ("设置县（合成数据） 小学", _primary_cv([*DEFAULT_IDS, "SP"])),
    "include_special_false": ("设置县（合成数据） 小学", _primary_cv(DEFAULT_IDS)),
    "include_private_true": ("设置县（合成数据） 小学", _primary_cv(DEFAULT_IDS)),
    "include_private_false": (
        "设置县（合成数据） 小学",
        _primary_cv([i for i in DEFAULT_IDS if i != "PR"]),
    ),
    "teaching_points_single": ("设置县（合成数据） 小学", _primary_cv(DEFAULT_IDS)),
    "teaching_points_merged": (
        "设置县（合成数据） 小学",
        _primary_cv(NON_POINTS, {"P1": ["TQ"], "P2": ["TP"]}),
    ),
    "teaching_points_left_out": ("设置县（合成数据） 小学", _primary_cv(NON_POINTS)),
    "teaching_point_min_students_50": (
        "设置县（合成数据） 小学",
        _primary_cv([i for i in DEFAULT_IDS if i != "TP"]),
    ),
    "teaching_point_min_students_0": ("设置县（合成数据） 小学", _primary_cv(DEFAULT_IDS)),
    "subtract_indoor_sports_true": ("设置县（合成数据） 初中", _floor_area_cv(True)),
    "subtract_indoor_sports_false": ("设置县（合成数据） 初中", _floor_area_cv(False)),
    "split_indicators_with_equipment": (
        "设置县（合成数据） 初中",
        _cv([*TWO_JUNIOR, NY_EQUIPMENT]),
    ),
    "split_indicators_without_equipment_cv_over_available": (
        "设置县（合成数据） 初中",
        _cv(TWO_JUNIOR),
    ),
    "split_weights_by_head": ("设置县（合成数据） 初中", _cv([*TWO_JUNIOR, NY_EQUIPMENT_BY_HEAD])),
    "a_county_segment_with_one_school_is_not_applicable": (
        "边界县（合成数据） 小学",
        _cv([A, B, C]),
    ),
    "cv_over_available_computes_over_the_others_and_lists_the_school": (
        "边界县（合成数据） 小学",
        _cv([A, C]),
    ),
    "a_zero_student_school_is_left_out_of_the_cv_and_listed": (
        "边界县（合成数据） 小学",
        _cv([A, B]),
    ),
}

# Pairs and triples of cases whose CVs a setting must make differ.
MOVES = [
    ("include_special_true", "include_special_false"),
    ("include_private_true", "include_private_false"),
    ("teaching_points_single", "teaching_points_merged", "teaching_points_left_out"),
    ("teaching_point_min_students_50", "teaching_point_min_students_0"),
    ("subtract_indoor_sports_true", "subtract_indoor_sports_false"),
    (
        "split_indicators_with_equipment",
        "split_indicators_without_equipment_cv_over_available",
        "split_weights_by_head",
    ),
]


@pytest.fixture(scope="module")
def cases() -> dict[str, Case]:
    return {c.name: c for c in load_file(SCENARIOS)}


def _shown(case: Case, item: str, entity: str) -> Fraction:
    """The CV a scenario pins for ``entity`` (the evidence's figure, ``~`` and its places)."""
    expected: Any = case.expect["items"][item]["entities"][entity]
    text = str(expected["evidence"]["left"])
    assert text.startswith("~"), text
    return Fraction(text[1:])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_scenario_cv_is_the_one_computed_here(cases: dict[str, Case], name: str) -> None:
    """The CV a scenario pins is the CV computed here from the raw figures, at 6 places."""
    entity, exact = EXPECTED[name]
    assert _shown(cases[name], "差异系数", entity) == round(exact, 6)
    # and the scenario writes all 6 places, so it pins the CV as tightly as this does
    assert (
        len(str(cases[name].expect["items"]["差异系数"]["entities"][entity]["evidence"]["left"]))
        == 9
    )


@pytest.mark.parametrize("names", MOVES, ids=["-".join(m) for m in MOVES])
def test_each_setting_moves_the_cv(names: tuple[str, ...]) -> None:
    """Each setting, one way and the other, gives CVs that differ (computed here)."""
    values = {round(EXPECTED[n][1], 6) for n in names}
    assert len(values) == len(names)


def test_the_zero_segment_scenario_multimedia_cv_is_the_one_computed_here(
    cases: dict[str, Case],
) -> None:
    """With the 0-student 初中 segment left out, the 初中 多媒体教室 CV is the one over
    第一中学 (3 rooms, 100 students) and 第二中学 (5 rooms, 200), at 3 places."""
    case = cases["a_zero_student_segment_is_left_out_and_blocks_nothing"]
    shown = _shown(case, "差异系数_多媒体教室", "零学生县（合成数据） 初中")
    assert shown == round(_cv([(3, 100), (Fraction(5, 2), 200)]), 3)


def test_every_settings_case_is_checked_here(cases: dict[str, Case]) -> None:
    """Every scenario that pins a 差异系数 figure has its independent computation here."""
    pinned = {
        name
        for name, case in cases.items()
        for item in case.expect.get("items", {}).values()
        if isinstance(item, dict)
        if isinstance(item.get("entities"), dict)
        for e in item["entities"].values()
        if isinstance(e, dict) and (e.get("evidence") or {}).get("left") is not None
    }
    assert pinned - {"a_zero_student_segment_is_left_out_and_blocks_nothing"} == set(EXPECTED)
