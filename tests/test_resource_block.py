"""The 2017 资源配置 block: the settings that decide which schools a 差异系数 counts, and its edges.

* Each setting moves a CV: the same county is evaluated with the setting one way and the
  other (small rule files that ``extends`` nothing: the setting line and one ``cv`` rule),
  the two CVs differ, each equals a CV computed here from the raw figures (plain
  fractions, not :mod:`eduint.core.statistics`), and every school the setting leaves out,
  merges or splits is named in ``ItemResult.details``: ``include_special``,
  ``include_private``, ``teaching_points`` (单列 / 并入中心校 / 不计入),
  ``teaching_point_min_students``, ``subtract_indoor_sports``, ``split_indicators`` (and
  ``split_weights``).
* Edges of the CV: a county segment with one school is 不适用 with the reason; a school
  segment with 0 students is left out of the 6-of-7 rule and of the CV, listed, and blocks
  nothing; a missing figure makes the CV 缺少数据 naming the school, or, with
  ``cv_over_available = true``, the CV over the others with the school listed; a county
  mean of 0 is 缺少数据.
* The 6-of-7 + 85 % rule of the bundled ``rules/youzhi-junheng-2017-resource.rules`` at its
  exact boundaries, with Kleene logic for a missing figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest

import eduint
from eduint.engine.results import EntityResult, ItemResult, Outcome

REPO = Path(__file__).resolve().parents[1]
RESOURCE_RULES = REPO / "rules" / "youzhi-junheng-2017-resource.rules"


# ------------------------------------------------------------ helpers


def _evaluate(rules: str, data: str) -> eduint.Report:
    ruleset = eduint.check_text(rules, file="test.rules")
    loaded = eduint.load_county_text(data, extra_fields=ruleset.extra_field_kinds())
    assert loaded.problems == (), loaded.problems
    return eduint.evaluate(ruleset, loaded.county)


def _cv(rows: Sequence[tuple[Fraction | int, Fraction | int]]) -> Fraction:
    """Student-weighted population CV of (indicator, students) rows, written out here."""
    n = sum((Fraction(w) for _, w in rows), Fraction(0))
    mean = sum((Fraction(x) * w for x, w in rows), Fraction(0)) / n
    var = sum((w * (Fraction(x) - mean) * (Fraction(x) - mean) for x, w in rows), Fraction(0)) / n
    with localcontext() as ctx:
        ctx.prec = 50
        root = Fraction((Decimal(var.numerator) / Decimal(var.denominator)).sqrt())
    return root / mean


def _entity(item: ItemResult, suffix: str) -> EntityResult:
    found = [e for e in item.entities if e.entity.endswith(suffix)]
    assert len(found) == 1, [e.entity for e in item.entities]
    return found[0]


def _cv_value(item: ItemResult, segment: str) -> Fraction:
    """The CV the evaluator shows for a county segment (display precision 6)."""
    e = _entity(item, segment)
    assert e.outcome in (Outcome.MET, Outcome.NOT_MET), e
    assert e.value is not None
    return Fraction(e.value)


def _shown(x: Fraction) -> Fraction:
    """``x`` as shown at 6 places."""
    return round(x, 6)


# ============================================================ settings move a CV

# 小学: two public schools, a private one, a special-education school, two 教学点 (one
# below 50 students) and the 小学 of a 九年一贯制 school. 初中: two schools and the 初中 of
# the 九年一贯制 school, whose physical figures are given for the whole school.
SETTINGS_COUNTY = """\
name: 设置县（合成数据）
as_of: 2021-09-01
schools_complete: true
schools:
  - id: P1
    name: 城关一小
    kind: 小学
    ownership: 公办
    segments: {小学: {students: 600, teachers_above_degree: 30}}
  - id: P2
    name: 城关二小
    kind: 小学
    ownership: 公办
    segments: {小学: {students: 400, teachers_above_degree: 14}}
  - id: PR
    name: 育才民办小学
    kind: 小学
    ownership: 民办
    segments: {小学: {students: 300, teachers_above_degree: 24}}
  - id: SP
    name: 县特殊教育学校
    kind: 特殊教育学校
    ownership: 公办
    segments: {小学: {students: 40, teachers_above_degree: 8}}
  - id: TP
    name: 岩口教学点
    kind: 教学点
    ownership: 公办
    central_school: P2
    segments: {小学: {students: 30, teachers_above_degree: 1}}
  - id: TQ
    name: 河湾教学点
    kind: 教学点
    ownership: 公办
    central_school: P1
    segments: {小学: {students: 60, teachers_above_degree: 2}}
  - id: NY
    name: 红旗九年一贯制学校
    kind: 九年一贯制
    ownership: 公办
    floor_area_teaching: 2600
    indoor_sports_area: 500
    equipment_value: 1000000
    segments:
      小学: {students: 200, teachers_above_degree: 9}
      初中: {students: 220, teachers_above_degree: 14}
  - id: J1
    name: 城关中学
    kind: 初中
    ownership: 公办
    floor_area_teaching: 3500
    indoor_sports_area: 600
    equipment_value: 1400000
    segments: {初中: {students: 500, teachers_above_degree: 30}}
  - id: J2
    name: 河西中学
    kind: 初中
    ownership: 公办
    floor_area_teaching: 1800
    indoor_sports_area: 100
    equipment_value: 600000
    segments: {初中: {students: 300, teachers_above_degree: 12}}
"""

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
NAMES = {
    "P1": "城关一小",
    "P2": "城关二小",
    "PR": "育才民办小学",
    "SP": "县特殊教育学校",
    "TP": "岩口教学点",
    "TQ": "河湾教学点",
    "NY": "红旗九年一贯制学校",
}

TEACHER_CV = """\
setting display_precision = 6
{settings}
rule 差异系数 "每百名学生拥有高于规定学历教师数 校际差异系数" {{
  scope county segment [小学]
  require cv(per100(高于规定学历教师数, 在校生数) over 学段) <= 0.50
}}
"""


def _teacher_cv(settings: str) -> ItemResult:
    return _evaluate(TEACHER_CV.format(settings=settings), SETTINGS_COUNTY).item("差异系数")


def _primary_cv(ids: list[str], merged: dict[str, list[str]] | None = None) -> Fraction:
    """The 小学 CV over the schools ``ids``; ``merged`` adds 教学点 into their central school."""
    rows = []
    for i in ids:
        n, t = PRIMARY[i]
        for extra in (merged or {}).get(i, []):
            n, t = n + PRIMARY[extra][0], t + PRIMARY[extra][1]
        rows.append((Fraction(100 * t, n), n))
    return _cv(rows)


DEFAULT_IDS = ["P1", "P2", "PR", "TP", "TQ", "NY"]  # the special school is out by default


def _names_in(details: tuple[str, ...]) -> set[str]:
    return {n for n in NAMES.values() if any(d.startswith(n + ":") for d in details)}


def test_defaults_count_private_schools_and_teaching_points_not_special_schools() -> None:
    """With no settings line: 特殊教育学校 out (include_special = false, named in the details),
    民办 in, 教学点 on their own (单列); the CV is the one computed here over the other 6."""
    item = _teacher_cv("")
    assert _cv_value(item, "小学") == _shown(_primary_cv(DEFAULT_IDS))
    assert _names_in(item.details) == {NAMES["SP"]}
    assert any("特殊教育学校, not counted (setting include_special)" in d for d in item.details)


def test_include_special_moves_the_cv() -> None:
    """``include_special = true`` counts the special school (20 per 100: the CV rises);
    ``false`` leaves it out and names it."""
    on, off = (
        _teacher_cv("setting include_special = true"),
        _teacher_cv("setting include_special = false"),
    )
    assert _cv_value(on, "小学") == _shown(_primary_cv([*DEFAULT_IDS, "SP"]))
    assert _cv_value(off, "小学") == _shown(_primary_cv(DEFAULT_IDS))
    assert _cv_value(on, "小学") != _cv_value(off, "小学")
    assert NAMES["SP"] not in _names_in(on.details)
    assert NAMES["SP"] in _names_in(off.details)


def test_include_private_moves_the_cv() -> None:
    """``include_private = false`` leaves out 育才民办小学 (named) and changes the CV."""
    on, off = (
        _teacher_cv("setting include_private = true"),
        _teacher_cv("setting include_private = false"),
    )
    without = [i for i in DEFAULT_IDS if i != "PR"]
    assert _cv_value(on, "小学") == _shown(_primary_cv(DEFAULT_IDS))
    assert _cv_value(off, "小学") == _shown(_primary_cv(without))
    assert _cv_value(on, "小学") != _cv_value(off, "小学")
    assert any(
        d.startswith(NAMES["PR"] + ": 民办, not counted (setting include_private)")
        for d in off.details
    )
    assert NAMES["PR"] not in _names_in(on.details)


def test_teaching_points_single_merged_or_left_out_give_three_cvs() -> None:
    """``teaching_points``: 单列 counts each 教学点 as a school; 并入中心校 adds each into its
    central school (岩口 into 城关二小, 河湾 into 城关一小; both named); 不计入 leaves both out
    (named). Three different CVs, each the one computed here."""
    single = _teacher_cv("setting teaching_points = 单列")
    merged = _teacher_cv("setting teaching_points = 并入中心校")
    out = _teacher_cv("setting teaching_points = 不计入")
    non_points = ["P1", "P2", "PR", "NY"]
    assert _cv_value(single, "小学") == _shown(_primary_cv(DEFAULT_IDS))
    assert _cv_value(merged, "小学") == _shown(
        _primary_cv(non_points, {"P1": ["TQ"], "P2": ["TP"]})
    )
    assert _cv_value(out, "小学") == _shown(_primary_cv(non_points))
    values = {_cv_value(r, "小学") for r in (single, merged, out)}
    assert len(values) == 3
    assert {NAMES["TP"], NAMES["TQ"]} <= _names_in(merged.details)
    assert any(
        d == f"{NAMES['TP']}: 教学点, merged into its central school {NAMES['P2']}"
        for d in merged.details
    )
    assert any(
        d == f"{NAMES['TQ']}: 教学点, not counted (setting teaching_points)" for d in out.details
    )
    assert {NAMES["TP"], NAMES["TQ"]}.isdisjoint(_names_in(single.details))


def test_teaching_point_min_students_leaves_out_only_the_small_point() -> None:
    """``teaching_point_min_students = 50 人`` (Hebei): 岩口教学点 (30 students) is left out
    and named, 河湾教学点 (60) stays; the CV moves. 0 (the default) leaves neither out."""
    hebei = _teacher_cv("setting teaching_point_min_students = 50 人")
    none = _teacher_cv("setting teaching_point_min_students = 0 人")
    assert _cv_value(hebei, "小学") == _shown(_primary_cv([i for i in DEFAULT_IDS if i != "TP"]))
    assert _cv_value(none, "小学") == _shown(_primary_cv(DEFAULT_IDS))
    assert _cv_value(hebei, "小学") != _cv_value(none, "小学")
    assert NAMES["TP"] in _names_in(hebei.details)
    assert NAMES["TQ"] not in _names_in(hebei.details)
    assert any("30 students, below 50" in d for d in hebei.details)
    assert {NAMES["TP"], NAMES["TQ"]}.isdisjoint(_names_in(none.details))


# 初中 physical figures: (floor area, indoor sports area, equipment value, 初中 students),
# whole school; the 九年一贯制 school's 初中 share is 1.1 × 220 ÷ (200 + 1.1 × 220).
JUNIOR = {"J1": (3500, 600, 1400000, 500), "J2": (1800, 100, 600000, 300)}
NY_WHOLE = (2600, 500, 1000000)
NY_JUNIOR_SHARE = Fraction(11, 10) * 220 / (200 + Fraction(11, 10) * 220)

PHYSICAL_CV = """\
setting display_precision = 6
{settings}
rule 差异系数 "校际差异系数" {{
  scope county segment [初中]
  require cv({indicator} / 在校生数 over 学段) <= 0.45
}}
"""


def _physical_cv(indicator: str, settings: str) -> ItemResult:
    text = PHYSICAL_CV.format(indicator=indicator, settings=settings)
    return _evaluate(text, SETTINGS_COUNTY).item("差异系数")


def test_subtract_indoor_sports_moves_the_cv() -> None:
    """``教学及辅助用房计算面积`` is 教学及辅助用房 less 室内体育用房 when
    ``subtract_indoor_sports = true`` (the default) and the whole floor area when false;
    the indoor rooms differ in share between the schools, so the CVs differ; each is the
    one computed here (the 九年一贯制 school split 1 : 1.1)."""
    with_split = "setting split_indicators = [floor_area_teaching, indoor_sports_area]\n"
    net = _physical_cv(
        "教学及辅助用房计算面积", with_split + "setting subtract_indoor_sports = true"
    )
    gross = _physical_cv(
        "教学及辅助用房计算面积", with_split + "setting subtract_indoor_sports = false"
    )

    def expected(subtract: bool) -> Fraction:
        rows = [(Fraction(f - (i if subtract else 0), n), n) for f, i, _, n in JUNIOR.values()]
        f, i, _ = NY_WHOLE
        rows.append(((f - (i if subtract else 0)) * NY_JUNIOR_SHARE / 220, 220))
        return _cv(rows)

    assert _cv_value(net, "初中") == _shown(expected(True))
    assert _cv_value(gross, "初中") == _shown(expected(False))
    assert _cv_value(net, "初中") != _cv_value(gross, "初中")
    # the split school is named with its share in both
    for r in (net, gross):
        assert any(
            d.startswith(f"{NAMES['NY']} 初中: 教学及辅助用房面积 is 54.75%") for d in r.details
        )


def test_split_indicators_decides_whether_a_one_through_school_counts() -> None:
    """``split_indicators`` with equipment_value: the 九年一贯制 school's 初中 gets 54.75 % of
    its equipment (named with the share) and the CV is over 3 schools. Without it the
    segment figure is unknown, so the CV is 缺少数据 naming the school; with
    ``cv_over_available = true`` as well it is computed over the 2 other schools, a
    different CV, the school listed as left out. ``split_weights`` 1 : 1 (by head) moves
    it again."""
    split = _physical_cv("教学仪器设备值", "setting split_indicators = [equipment_value]")
    unsplit = _physical_cv("教学仪器设备值", "setting split_indicators = [floor_area_teaching]")
    available = _physical_cv(
        "教学仪器设备值",
        "setting split_indicators = [floor_area_teaching]\nsetting cv_over_available = true",
    )
    by_head = _physical_cv(
        "教学仪器设备值",
        "setting split_indicators = [equipment_value]\n"
        "setting split_weights = by segment { 小学: 1, 初中: 1, 高中: 1 }",
    )
    two = [(Fraction(e, n), n) for _, _, e, n in JUNIOR.values()]
    ny = (NY_WHOLE[2] * NY_JUNIOR_SHARE / 220, 220)
    ny_by_head = (Fraction(NY_WHOLE[2], 420), 220)  # 1 : 1: every student counts the same

    assert _cv_value(split, "初中") == _shown(_cv([*two, ny]))
    assert any(d.startswith(f"{NAMES['NY']} 初中: 教学仪器设备值 is 54.75%") for d in split.details)

    e = _entity(unsplit, "初中")
    assert e.outcome is Outcome.NO_DATA
    assert any(m.startswith(NAMES["NY"]) and "does not split it" in m for m in e.missing)

    assert _cv_value(available, "初中") == _shown(_cv(two))
    assert any(
        d.startswith(f"{NAMES['NY']} 初中: left out of the 差异系数") for d in available.details
    )
    assert _cv_value(by_head, "初中") == _shown(_cv([*two, ny_by_head]))
    values = {_cv_value(r, "初中") for r in (split, available, by_head)}
    assert len(values) == 3


# ============================================================ edges of the CV

EDGE_RULE = """\
setting display_precision = 6
{settings}
rule 差异系数 "校际差异系数" {{
  scope county segment [小学, 初中]
  require cv({indicator} over 学段) <= 0.50
}}
"""


def _edge(
    county: str, indicator: str = "per100(网络多媒体教室数, 在校生数)", settings: str = ""
) -> ItemResult:
    text = EDGE_RULE.format(indicator=indicator, settings=settings)
    return _evaluate(text, county).item("差异系数")


EDGE_COUNTY = """\
name: 边界县（合成数据）
as_of: 2021-09-01
schools_complete: true
schools:
  - {{id: A, name: 甲小学, kind: 小学, multimedia_rooms: {a}, segments: {{小学: {{students: 400}}}}}}
  - {{id: B, name: 乙小学, kind: 小学, multimedia_rooms: {b}, segments: {{小学: {{students: 200}}}}}}
  - {{id: C, name: 丙小学, kind: 小学, multimedia_rooms: {c}, segments: {{小学: {{students: 100}}}}}}
  - {{id: J, name: 唯一中学, kind: 初中, multimedia_rooms: 12, segments: {{初中: {{students: 500}}}}}}
"""


def _edge_county(a: str = "10", b: str = "4", c: str = "3") -> str:
    return EDGE_COUNTY.format(a=a, b=b, c=c)


def test_a_county_segment_with_one_school_is_not_applicable() -> None:
    """The county has one 初中: its CV is 不适用 with the reason (a single school has no
    inter-school balance), never 0 or 达到; the 小学 CV is computed and decides the rule."""
    item = _edge(_edge_county())
    junior = _entity(item, "初中")
    assert junior.outcome is Outcome.NOT_APPLICABLE
    assert (
        junior.reason is not None and "single school has no inter-school balance" in junior.reason
    )
    assert junior.value is None
    rows = [(Fraction(1000, 400), 400), (Fraction(400, 200), 200), (Fraction(300, 100), 100)]
    assert _cv_value(item, "小学") == _shown(_cv(rows))
    assert item.computed is Outcome.MET


def test_a_missing_figure_makes_the_cv_no_data_naming_the_school() -> None:
    """乙小学's multimedia rooms missing: the 小学 CV is 缺少数据 naming 乙小学 (a missing
    figure is never 0)."""
    item = _edge(_edge_county(b="null"))
    e = _entity(item, "小学")
    assert e.outcome is Outcome.NO_DATA
    assert any(m.startswith("乙小学") and "网络多媒体教室数" in m for m in e.missing)
    assert item.computed is Outcome.NO_DATA


def test_cv_over_available_computes_over_the_others_and_lists_the_school() -> None:
    """With ``setting cv_over_available = true`` the same data gives the CV over 甲 and 丙
    (computed here) and the details list 乙小学 as left out, with why."""
    item = _edge(_edge_county(b="null"), settings="setting cv_over_available = true")
    assert _cv_value(item, "小学") == _shown(_cv([(Fraction(1000, 400), 400), (3, 100)]))
    assert any(
        d.startswith("乙小学 小学: left out of the 差异系数") and "网络多媒体教室数" in d
        for d in item.details
    )


def test_cv_over_available_with_one_school_left_is_no_data_not_not_applicable() -> None:
    """Two 小学 with data would be needed; when a missing figure leaves only one, the CV is
    缺少数据 (the county has three schools: the balance is unknown, not inapplicable)."""
    item = _edge(_edge_county(b="null", c="null"), settings="setting cv_over_available = true")
    e = _entity(item, "小学")
    assert e.outcome is Outcome.NO_DATA
    assert any("乙小学" in m for m in e.missing) and any("丙小学" in m for m in e.missing)


def test_a_county_mean_of_0_is_no_data() -> None:
    """No 小学 has a multimedia room: the mean is 0, the CV undefined: 缺少数据 saying so
    (an implementation that returns 0 would silently pass, REFERENCE §3.4)."""
    item = _edge(_edge_county(a="0", b="0", c="0"))
    e = _entity(item, "小学")
    assert e.outcome is Outcome.NO_DATA
    assert any("the mean is 0" in m for m in e.missing)
    assert e.value is None


def test_a_zero_student_school_is_left_out_of_the_cv_and_listed() -> None:
    """丙小学 with 0 students (and 0 rooms) is left out of the CV, which is the one over 甲 and
    乙, and listed; were it counted, 0 ÷ 0 would make the CV unknown."""
    county = _edge_county(c="0").replace("students: 100", "students: 0")
    item = _edge(county)
    assert _cv_value(item, "小学") == _shown(_cv([(Fraction(1000, 400), 400), (2, 200)]))
    assert "丙小学 小学: 0 students, left out of the 差异系数" in item.details


# ============================================================ the bundled 2017 block


@pytest.fixture(scope="module")
def resource_rules() -> eduint.RuleSet:
    return eduint.check_text(RESOURCE_RULES.read_text(encoding="utf-8"), file=str(RESOURCE_RULES))


# A 小学 segment of 100 students meeting every indicator, several exactly:
# L1 5 ≥ 4.2, L2 1 = 1, L3 1 ≥ 0.9, L4 (500 − 50) / 100 = 4.5, L5 750 / 100 = 7.5,
# L6 200000 / 100 = 2000, L7 3 ≥ 2.3 (per 100).
BASE = {
    "floor_area_teaching": "500",
    "indoor_sports_area": "50",
    "sports_area": "750",
    "equipment_value": "200000",
    "multimedia_rooms": "3",
}


def _school(id_: str, name: str, **physical: str | None) -> str:
    figs = {**BASE, **physical}
    parts = [f"id: {id_}", f"name: {name}", "kind: 小学"]
    parts += [f"{k}: {v}" for k, v in figs.items() if v is not None]
    seg = (
        "小学: {students: 100, teachers_above_degree: 5, backbone_teachers: 1, pe_arts_teachers: 1}"
    )
    return "  - {" + ", ".join(parts) + ", segments: {" + seg + "}}\n"


# (id, name, changed figures, expected outcome of the school rule)
SIX_OF_SEVEN: list[tuple[str, str, dict[str, str | None], Outcome]] = [
    ("S1", "全部达到", {}, Outcome.MET),
    # L4 = 382.5 / 100 = 3.825 = 85 % of 4.5 exactly: 6 met, the 7th at 85 %
    ("S2", "六项且第七项恰为85", {"floor_area_teaching": "432.5"}, Outcome.MET),
    # L4 = 3.8249 < 3.825: 6 met, the 7th just below 85 %
    ("S3", "六项且第七项略低于85", {"floor_area_teaching": "432.49"}, Outcome.NOT_MET),
    # L4 4.0 < 4.5 and L5 7.0 < 7.5, both above 85 %: only 5 met
    ("S4", "五项", {"floor_area_teaching": "450", "sports_area": "700"}, Outcome.NOT_MET),
    # L6 missing, the other 6 met: at_least(6) is true, L6's 85 % test unknown
    ("S5", "六项且第七项缺失", {"equipment_value": None}, Outcome.NO_DATA),
    # L6 missing and L4 not met (above 85 %): 5 met + 1 unknown could still be 6
    (
        "S6",
        "五项且一项缺失",
        {"equipment_value": None, "floor_area_teaching": "450"},
        Outcome.NO_DATA,
    ),
    # L6 missing, L4 and L5 not met: at most 5 of 7 whatever L6 is: decided
    (
        "S7",
        "四项且一项缺失",
        {"equipment_value": None, "floor_area_teaching": "450", "sports_area": "700"},
        Outcome.NOT_MET,
    ),
    # L6 missing, L4 below 85 %: the 85 % floor fails whatever L6 is: decided
    (
        "S8",
        "一项低于85且一项缺失",
        {"equipment_value": None, "floor_area_teaching": "432.49"},
        Outcome.NOT_MET,
    ),
]


def _six_of_seven_county() -> str:
    head = "name: 达标县（合成数据）\nas_of: 2021-09-01\nschools_complete: true\nschools:\n"
    return head + "".join(_school(i, n, **figs) for i, n, figs, _ in SIX_OF_SEVEN)


@pytest.fixture(scope="module")
def six_of_seven(resource_rules: eduint.RuleSet) -> ItemResult:
    loaded = eduint.load_county_text(_six_of_seven_county())
    assert loaded.problems == ()
    return eduint.evaluate(resource_rules, loaded.county).item("学校达标")


@pytest.mark.parametrize(
    ("name", "expected"), [(n, o) for _, n, _, o in SIX_OF_SEVEN], ids=[i for i, *_ in SIX_OF_SEVEN]
)
def test_six_of_seven_and_85_percent_at_the_boundaries(
    six_of_seven: ItemResult, name: str, expected: Outcome
) -> None:
    """The bundled 学校达标 rule, school by school: all 7 met → 达到; 6 met and the 7th
    exactly at 85 % (3.825 m²) → 达到; the 7th just below (3.8249) → 未达到; 5 met (both
    others above 85 %) → 未达到; 6 met and the 7th missing → 缺少数据 (at_least(6) is true,
    the 85 % test unknown); 5 met + 1 missing → 缺少数据; 4 met + 1 missing → 未达到; a
    figure below 85 % + 1 missing → 未达到 (Kleene: false ∧ unknown = false)."""
    e = _entity(six_of_seven, name + " 小学")
    assert e.outcome is expected, e
    if expected is Outcome.NO_DATA:
        assert any("教学仪器设备值" in m for m in e.missing)


def test_six_of_seven_shows_the_indicators(six_of_seven: ItemResult) -> None:
    """Each school segment shows its 7 indicators: the exact-85 % school's 教学用房 is
    3.825 m² per student, the just-below one's 3.825 too at 3 places (its verdict comes from
    the exact 3.8249), and the missing one has no value and names the figure."""
    s2 = {v.name: v.text for v in _entity(six_of_seven, "六项且第七项恰为85 小学").values}
    assert s2["教学用房"] == "3.825 平方米/人"
    assert s2["高学历教师"] is not None and s2["高学历教师"].startswith("5 ")
    assert len(s2) == 7
    s5 = {v.name: v for v in _entity(six_of_seven, "六项且第七项缺失 小学").values}
    assert s5["仪器设备"].text is None
    assert any("教学仪器设备值" in m for m in s5["仪器设备"].missing)
    assert six_of_seven.computed is Outcome.NOT_MET
    assert set(six_of_seven.failing) == {
        f"{n} 小学" for _, n, _, o in SIX_OF_SEVEN if o is Outcome.NOT_MET
    }


ZERO_SEGMENT_COUNTY = """\
name: 零学生县（合成数据）
as_of: 2021-09-01
schools_complete: true
schools:
{schools}\
  - id: Z
    name: 附设初中小学
    kind: 小学
    floor_area_teaching: 500
    indoor_sports_area: 50
    sports_area: 750
    equipment_value: 200000
    multimedia_rooms: 3
    segments:
      小学: {{students: 100, teachers_above_degree: 5, backbone_teachers: 1, pe_arts_teachers: 1}}
      初中: {{students: 0, teachers_above_degree: 0, backbone_teachers: 0, pe_arts_teachers: 0}}
  - id: J1
    name: 第一中学
    kind: 初中
    floor_area_teaching: 700
    indoor_sports_area: 100
    sports_area: 1100
    equipment_value: 260000
    multimedia_rooms: 3
    segments:
      初中: {{students: 100, teachers_above_degree: 6, backbone_teachers: 1, pe_arts_teachers: 1}}
  - id: J2
    name: 第二中学
    kind: 初中
    floor_area_teaching: 1300
    indoor_sports_area: 100
    sports_area: 2100
    equipment_value: 500000
    multimedia_rooms: 5
    segments:
      初中: {{students: 200, teachers_above_degree: 11, backbone_teachers: 3, pe_arts_teachers: 2}}
"""


def test_a_zero_student_segment_is_left_out_and_blocks_nothing(
    resource_rules: eduint.RuleSet,
) -> None:
    """附设初中小学 has an 初中 segment with 0 students: the 6-of-7 rule leaves it out (listed)
    and is 达到 over the others (with it, 0 ÷ 0 would make it 缺少数据); every 初中 CV leaves it
    out (listed) and is computed over 第一中学 and 第二中学, e.g. the 多媒体教室 CV is the one
    computed here; the school's 小学 gets the whole school's physical figures (its share is
    100 ÷ (100 + 1.1 × 0) = 1)."""
    text = ZERO_SEGMENT_COUNTY.format(schools=_school("S1", "全部达到"))
    loaded = eduint.load_county_text(text)
    assert loaded.problems == ()
    report = eduint.evaluate(resource_rules, loaded.county)
    school_rule = report.item("学校达标")
    assert school_rule.computed is Outcome.MET
    assert "附设初中小学 初中: 0 students, left out" in school_rule.details
    assert all(e.entity != "附设初中小学 初中" for e in school_rule.entities)
    z = {v.name: v.text for v in _entity(school_rule, "附设初中小学 小学").values}
    assert z["教学用房"] == "4.5 平方米/人" and z["仪器设备"] == "2000 元/人"
    for rule in (r for r in report.items if r.id.startswith("差异系数_")):
        assert "附设初中小学 初中: 0 students, left out of the 差异系数" in rule.details, rule.id
        assert _entity(rule, "初中").outcome is Outcome.MET, rule.id
    mm = report.item("差异系数_多媒体教室")
    shown = Fraction(_entity(mm, "初中").value or "nan")
    assert shown == round(_cv([(3, 100), (Fraction(5, 2), 200)]), 3)


def test_a_provisional_setting_flags_only_what_it_decides() -> None:
    """A provisional setting marks a verdict provisional only when it decides something:
    the default ``teaching_point_min_students`` (0, provisional) leaves no 教学点 out, so it is
    not among the provisional values used; a provisional minimum of 50 that leaves
    岩口教学点 out is, and the CV's verdict is 暂定."""
    plain = "setting teaching_points = 单列\nsetting include_special = true\nsetting include_private = true"
    default = _evaluate(TEACHER_CV.format(settings=plain), SETTINGS_COUNTY)
    assert not any("teaching_point_min_students" in p for p in default.provisional_values)
    assert not default.item("差异系数").provisional
    hebei = _evaluate(
        TEACHER_CV.format(
            settings=plain + '\nsetting teaching_point_min_students = 50 人 provisional "Hebei"'
        ),
        SETTINGS_COUNTY,
    )
    assert "setting teaching_point_min_students: Hebei" in hebei.provisional_values
    assert hebei.item("差异系数").provisional
