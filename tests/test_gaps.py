"""The 整改清单 (issue 20): every fix ``eduint gaps`` lists is re-checked HERE.

The test applies each fix to the data with its own code (not gaps' helpers), evaluates
with :func:`eduint.evaluate` and asserts the rule turns 达到 for the entity; for changes
in whole steps, one step less of any one change must leave it not 达到.  Then it counts
the 未达到 of ratio/share/per-student/per-100 rules, of the 6-of-7 rule, of CV rules and
of class-size rules without a fix or a stated reason: none.  The published 5-school
example (CV 0.5153, REFERENCE §3.2) against ≤ 0.50 gets a plan whose re-evaluated CV
meets 0.50, and a property runs the same re-check on generated counties.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import eduint
from eduint.cli import main
from eduint.core.statistics import weighted_cv
from eduint.data.loading import load_county
from eduint.data.models import (
    Class,
    County,
    Figure,
    School,
    SchoolKind,
    SchoolSegment,
    Segment,
)
from eduint.engine.gaps import IN_SCOPE, Change, ClassSplit, Fix, Gap, GapList, gaps
from eduint.engine.results import EntityRef, Outcome, Report
from eduint.reporting.gaps import amount_text, gaps_json, gaps_text
from eduint.testing import strategies

ROOT = Path(__file__).resolve().parent.parent
YAML = ROOT / "examples" / "synthetic-county-2019.yaml"
XLSX = ROOT / "examples" / "synthetic-county-2019.xlsx"
RULESETS = (
    "youzhi-junheng-2017-resource",
    "youzhi-junheng-2017",
    "chengxiang-yitihua-2018",
    "jiben-junheng-2012",
)


# ------------------------------------------------------------ applying fixes (test's own)

_SCHOOL = re.compile(r"schools\[(\d+)\](?:\.segments\.(.+))?")


def _set_figure(
    county: County, where: str, field: str, before: Decimal, after: Decimal, flag: bool = False
) -> County:
    """``county`` with ``field`` at the record ``where`` changed from ``before`` to
    ``after`` (asserting the data says ``before``; a yes/no field: 0 no, 1 yes)."""

    def swap(obj: Any) -> Any:
        old = getattr(obj, field)
        if flag:
            assert old is bool(before), (where, field, old, before)
            return attrs.evolve(obj, **{field: bool(after)})
        assert old is not None and old.low == old.high == before, (where, field, old, before)
        return attrs.evolve(obj, **{field: Figure.exact(after)})

    if where == "county":
        return swap(county)
    if where.startswith("segments."):
        seg = where.removeprefix("segments.")
        segs = tuple(swap(s) if s.segment.value == seg else s for s in county.segments)
        return attrs.evolve(county, segments=segs)
    m = _SCHOOL.fullmatch(where)
    assert m is not None, where
    schools = list(county.schools or ())
    i = int(m[1])
    if m[2] is None:
        schools[i] = swap(schools[i])
    else:
        segs2 = tuple(swap(s) if s.segment.value == m[2] else s for s in schools[i].segments or ())
        schools[i] = attrs.evolve(schools[i], segments=segs2)
    return attrs.evolve(county, schools=tuple(schools))


def _apply(county: County, changes: list[Change], less: int | None = None) -> County:
    """Apply ``changes``; with ``less`` = i, change i by one step less."""
    for i, ch in enumerate(changes):
        delta = ch.delta
        if i == less:
            delta -= ch.step if delta > 0 else -ch.step
        county = _set_figure(
            county, ch.entity.where, ch.field.name, ch.before, ch.before + delta, ch.flag
        )
    return county


def _regroup(county: County, s: ClassSplit, m: int) -> tuple[County, list[int]]:
    """The grade of ``s`` re-formed into ``m`` near-equal classes; the indices of the
    grade's classes after."""
    m_ = _SCHOOL.fullmatch(s.entity.where)
    assert m_ is not None and m_[2] is not None
    i, segname = int(m_[1]), m_[2]
    school = (county.schools or ())[i]
    seg = school.segment(Segment(segname))
    assert seg is not None and seg.classes is not None
    mine = [c for c in seg.classes if c.grade == s.grade]
    assert sorted(int(c.size.value) for c in mine) == sorted(s.before)  # type: ignore[union-attr,arg-type]
    students = sum(s.before)
    sizes = [students // m + (1 if k < students % m else 0) for k in range(m)]
    others = [c for c in seg.classes if c.grade != s.grade]
    new = [Class(name=f"T{k}", grade=s.grade, size=Figure.exact(n)) for k, n in enumerate(sizes)]
    changes: dict[str, Any] = {"classes": (*others, *new)}
    if seg.class_count is not None:
        changes["class_count"] = Figure.exact(seg.class_count.low + m - len(mine))
    seg2 = attrs.evolve(seg, **changes)
    segs = tuple(seg2 if x.segment == seg.segment else x for x in school.segments or ())
    schools = list(county.schools or ())
    schools[i] = attrs.evolve(school, segments=segs)
    return attrs.evolve(county, schools=tuple(schools)), list(range(len(others), len(others) + m))


def _outcome(rep: Report, rule: str, entity: EntityRef) -> Outcome | None:
    item = rep.item(rule)
    if not item.entities:
        return item.computed
    return next((e.outcome for e in item.entities if e.entity.key == entity.key), None)


def _grade_met(rep: Report, rule: str, s: ClassSplit, idx: list[int]) -> bool:
    wanted = {f"{s.entity.where}.classes[{k}]" for k in idx}
    got = [e.outcome for e in rep.item(rule).entities if e.entity.where in wanted]
    return len(got) == len(wanted) and all(o is Outcome.MET for o in got)


def recheck(rs: eduint.RuleSet, county: County, gap: Gap, fix: Fix, as_of: Any = None) -> None:
    """Apply ``fix`` independently and re-evaluate (see the module doc)."""
    if fix.kind == "classes":
        c = county
        idx: dict[ClassSplit, list[int]] = {}
        for s in fix.splits:
            c, idx[s] = _regroup(c, s, len(s.parts))
        rep = eduint.evaluate(rs, c, as_of=as_of)
        if gap.entity.scope == "class":
            (s,) = fix.splits
            assert _grade_met(rep, gap.rule, s, idx[s])
            fewer, idx2 = _regroup(county, s, len(s.parts) - 1)
            assert not _grade_met(eduint.evaluate(rs, fewer, as_of=as_of), gap.rule, s, idx2)
        else:
            assert _outcome(rep, gap.rule, gap.entity) is Outcome.MET
        return
    changes = list(fix.changes)
    assert changes
    rep = eduint.evaluate(rs, _apply(county, changes), as_of=as_of)
    assert _outcome(rep, gap.rule, gap.entity) is Outcome.MET, (gap.rule, gap.entity.key)
    if fix.kind in ("plan", "plans"):
        res = next(e for e in rep.item(gap.rule).entities if e.entity.key == gap.entity.key)
        assert res.evidence is not None and res.evidence.met is True
        if fix.total is not None:  # one figure throughout (a composite's differ)
            assert sum(ch.delta for ch in changes) == fix.total
        return
    for i, ch in enumerate(changes):
        assert ch.delta % ch.step == 0 and ch.delta != 0
        if ch.whole:
            assert ch.delta == ch.delta.to_integral_value()
        fewer = eduint.evaluate(rs, _apply(county, changes, less=i), as_of=as_of)
        assert _outcome(fewer, gap.rule, gap.entity) is not Outcome.MET, (gap.rule, ch)


def _failing(rep: Report) -> set[tuple[str, str]]:
    """(rule, entity key) of every computed 未达到, counted from the report alone."""
    out = set()
    for item in rep.items:
        if item.computed is not Outcome.NOT_MET or item.requirement is None:
            continue
        if not item.entities:
            out.add((item.id, rep.county_code or rep.county))
        out.update((item.id, e.entity.key) for e in item.entities if e.outcome is Outcome.NOT_MET)
    return out


# ------------------------------------------------------------ the synthetic county


@pytest.fixture(scope="module")
def synthetic() -> County:
    return load_county(YAML).county


@pytest.fixture(scope="module")
def synthetic_gaps(synthetic: County) -> dict[str, tuple[eduint.RuleSet, GapList]]:
    out = {}
    for name in RULESETS:
        rs = eduint.load_ruleset(name)
        out[name] = (rs, gaps(rs, synthetic))
    return out


@pytest.mark.parametrize("name", RULESETS)
def test_every_fix_passes_the_recheck(
    name: str, synthetic: County, synthetic_gaps: dict[str, tuple[eduint.RuleSet, GapList]]
) -> None:
    rs, gl = synthetic_gaps[name]
    n = 0
    for gap in gl:
        for fix in gap.fixes:
            assert fix.check.met
            recheck(rs, synthetic, gap, fix)
            n += 1
    assert n > 0  # the example fails something under each of these


@pytest.mark.parametrize("name", RULESETS)
def test_every_not_met_has_a_fix_or_a_reason(
    name: str, synthetic: County, synthetic_gaps: dict[str, tuple[eduint.RuleSet, GapList]]
) -> None:
    rs, gl = synthetic_gaps[name]
    listed = {(g.rule, g.entity.key) for g in gl}
    assert listed == _failing(eduint.evaluate(rs, synthetic))
    unexplained = [g for g in gl if g.kind in IN_SCOPE and not g.fixes and g.reason is None]
    assert unexplained == []
    assert gl.unexplained == ()
    assert all(not (g.fixes and g.reason) for g in gl)


def test_the_resource_block_fixes_are_the_expected_ones(
    synthetic_gaps: dict[str, tuple[eduint.RuleSet, GapList]],
) -> None:
    """The example's comments give the failures: 石桥乡中心小学 小学 meets 6 but L2 is below
    85 % (3 backbone teachers of 408: the fix is 1 more, to 4/408 = 0.98 ≥ 0.85);
    河西乡 初中 meets 5 (L1 4.76 < 5.3 and L5 9.05 < 10.2): one indicator must come up, and
    L1's relative shortfall (10.2 %) is smaller than L5's (11.3 %): +3 teachers above the
    required degree (23/420 = 5.476 ≥ 5.3; 22/420 = 5.238 < 5.3)."""
    _, gl = synthetic_gaps["youzhi-junheng-2017-resource"]
    by = {(g.rule, g.entity.key): g for g in gl}
    sx5 = by[("学校达标", "SX005/小学")]
    assert [(c.field.name, c.before, c.delta) for c in sx5.fixes[0].changes] == [
        ("backbone_teachers", 3, 1)
    ]
    sx7 = by[("学校达标", "SX007/初中")]
    (fix,) = sx7.fixes
    assert fix.kind == "indicators"
    assert [(c.field.name, c.before, c.delta) for c in fix.changes] == [
        ("teachers_above_degree", 20, 3)
    ]
    assert fix.targets == ("L1 >= 高学历教师标准",)
    assert amount_text(fix.changes[0], "zh") == "+3 名 高于规定学历教师"
    cv = by[("差异系数_骨干教师", "示例县（合成数据）/小学")]
    assert cv.kind == "cv" and cv.fixes[0].kind == "plan"
    assert sum(s.share for s in cv.shares) == 1


def test_the_workbook_gives_the_same_list(synthetic: County) -> None:
    """The XLSX form of the example reads to the same county: the same gaps and fixes."""
    rs = eduint.load_ruleset("youzhi-junheng-2017-resource")
    from_xlsx = eduint.gaps(rs, XLSX)[0]
    from_yaml = gaps(rs, synthetic)
    key = [
        (g.rule, g.entity.key, [[(c.field.name, c.delta) for c in f.changes] for f in g.fixes])
        for g in from_yaml
    ]
    assert [
        (g.rule, g.entity.key, [[(c.field.name, c.delta) for c in f.changes] for f in g.fixes])
        for g in from_xlsx
    ] == key


# ------------------------------------------------------------ the published 5-school example

FIVE = (("S1", 45, 279), ("S2", 37, 137), ("S3", 89, 935), ("S4", 76, 160), ("S5", 55, 402))
FIVE_RULES = """\
ruleset books5 "五校生均图书" {}
rule 图书差异系数 "生均图书册数校际差异系数" {
  title_en "Inter-school CV of books per student"
  scope county segment [小学]
  require cv(图书册数 / 在校生数 over 学段) <= 0.50
}
"""


def five_schools(books: dict[str, int] | None = None) -> County:
    """The published example (REFERENCE §3.2): five primary schools, books per student."""
    b = books or {}
    return County(
        name="五校示例",
        as_of=datetime.date(2019, 9, 1),
        schools_complete=True,
        schools=tuple(
            School(
                id=i,
                name=f"{i}小学",
                kind=SchoolKind.PRIMARY,
                segments=(
                    SchoolSegment(
                        Segment.PRIMARY, students=Figure.exact(n), books=Figure.exact(b.get(i, k))
                    ),
                ),
            )
            for i, n, k in FIVE
        ),
    )


def test_the_5_school_example_gets_a_plan_that_meets_050() -> None:
    rs = eduint.check_text(FIVE_RULES, file="books5.rules")
    county = five_schools()
    cv0 = weighted_cv([Fraction(k, n) for _, n, k in FIVE], [n for _, n, _ in FIVE]).cv
    assert round(cv0, 4) == Fraction("0.5153")
    (gap,) = gaps(rs, county)
    assert gap.kind == "cv" and gap.reason is None
    (plan,) = gap.fixes
    assert plan.kind == "plan" and plan.total is not None and plan.total > 0
    # independently: the new books, the CV by core.statistics, and by the engine
    new = {ch.entity.key.split("/")[0]: int(ch.after) for ch in plan.changes}
    after = five_schools(new)
    books = {i: new.get(i, k) for i, _, k in FIVE}
    cv1 = weighted_cv([Fraction(books[i], n) for i, n, _ in FIVE], [n for _, n, _ in FIVE]).cv
    assert cv1 <= Fraction(1, 2)
    assert eduint.evaluate(rs, after).item("图书差异系数").computed is Outcome.MET
    recheck(rs, county, gap, plan)
    # only schools below the county mean are raised (6.33 books per student)
    mean = Fraction(1913, 302)
    assert all(Fraction(k, n) < mean for i, n, k in FIVE if i in new)
    # shares of the variance: S3 and S4 carry most of it
    assert [s.entity.key for s in gap.shares[:2]] == ["S3/小学", "S4/小学"]
    text = gaps_text([gaps(rs, county)])
    assert "整改方案" in text and f"合计 +{plan.total} 册" in text and "0.5153" in text


def test_the_plan_is_least_total_among_whole_book_plans_for_the_lowest_school() -> None:
    """The plan is water filling: the lowest school (S4, 2.11 per student) is raised, and
    one book fewer in total (taken from any school of the plan) fails."""
    rs = eduint.check_text(FIVE_RULES, file="books5.rules")
    (gap,) = gaps(rs, five_schools())
    (plan,) = gap.fixes
    assert [ch.entity.key for ch in plan.changes][0] == "S4/小学"
    for i in range(len(plan.changes)):
        fewer = _apply(five_schools(), list(plan.changes), less=i)
        assert eduint.evaluate(rs, fewer).item("图书差异系数").computed is Outcome.NOT_MET


COMPOSITE_RULES = """\
ruleset comp "两项综合" {}
rule 综合差异系数 "两项综合差异系数" {
  scope county segment [小学]
  let a = cv(per100(县级以上骨干教师数, 在校生数) over 学段)
  let b = cv(体育运动场馆面积 / 在校生数 over 学段)
  require (a + b) / 2 <= 0.2
}
"""


def test_a_composite_of_cvs_gets_a_capped_plan(synthetic: County) -> None:
    """The mean of two CVs (0.5008 and 0.1134: 0.3071) against 0.2: every CV capped at one
    level, each by its own plan; re-checked here."""
    rs = eduint.check_text(COMPOSITE_RULES, file="comp.rules")
    (gap,) = gaps(rs, synthetic)
    assert gap.kind == "cv" and gap.reason is None
    (fix,) = gap.fixes
    assert fix.kind == "plans" and fix.check.after is not None and fix.check.after.met
    recheck(rs, synthetic, gap, fix)
    assert "各项差异系数压到同一上限" in gaps_text([gaps(rs, synthetic)])


AREA_RULES = """\
ruleset area "面积与设备" {}
setting subtract_indoor_sports = true
rule 教学用房 "生均教学及辅助用房面积" {
  scope segment [初中]
  require 教学及辅助用房计算面积 / 在校生数 >= 9 平方米/人
}
rule 仪器设备 "生均教学仪器设备值" {
  scope segment [初中]
  require 教学仪器设备值 / 在校生数 >= 3000 元/人
}
"""


def test_area_and_equipment_fixes_are_whole_square_metres_and_tenths_of_wan_yuan(
    synthetic: County,
) -> None:
    """The school's whole-school figures are changed where the data writes them; the
    九年一贯制 school's are split 1 : 1.1 by students, so its 初中 needs the school to add
    more than its 初中 alone would (marked shared); amounts in whole 平方米 and 0.1 万元."""
    rs = eduint.check_text(AREA_RULES, file="area.rules")
    gl = gaps(rs, synthetic)
    got = {(g.rule, g.entity.key): g.fixes[0].changes[0] for g in gl}
    area = got[("教学用房", "SX004/初中")]
    assert area.entity.key == "SX004" and area.shared and area.unit == "平方米"
    assert amount_text(area, "zh") == f"+{area.delta} 平方米 教学及辅助用房"
    assert not got[("教学用房", "SX007/初中")].shared  # a junior school: nothing split
    money = got[("仪器设备", "SX007/初中")]
    assert money.step == 1000 and money.delta % 1000 == 0
    assert amount_text(money, "zh") == "+6 万元 教学仪器设备"
    assert amount_text(got[("仪器设备", "SX004/初中")], "zh") == "+13.2 万元 教学仪器设备"
    for gap in gl:
        for fix in gap.fixes:
            recheck(rs, synthetic, gap, fix)


# ------------------------------------------------------------ reasons

SIZE_RULES = """\
ruleset size1 "规模" {}
rule 规模 "学校规模不超过2000人" {
  scope school
  require 义务教育阶段在校生数 <= 2000 人
}
rule 骨干 "骨干教师不多于1人" {
  scope segment [小学]
  require 县级以上骨干教师数 <= 1 人
}
"""


def test_a_rule_on_enrolment_alone_says_there_is_no_lever() -> None:
    rs = eduint.check_text(SIZE_RULES, file="size1.rules")
    county = County(
        name="大校县",
        as_of=datetime.date(2019, 9, 1),
        schools=(
            School(
                id="B1",
                name="大校",
                segments=(
                    SchoolSegment(
                        Segment.PRIMARY,
                        students=Figure.exact(2100),
                        backbone_teachers=Figure.exact(3),
                    ),
                ),
            ),
        ),
    )
    gl = gaps(rs, county)
    by = {g.rule: g for g in gl}
    assert by["规模"].fixes == () and by["规模"].reason == "not_actionable"
    # more backbone teachers never helps a ceiling on them: no fix, and it says so
    assert by["骨干"].fixes == () and by["骨干"].reason == "no_fix_found"
    text = gaps_text([gl])
    assert "在校生" in text and "无整改方案" in text


# ------------------------------------------------------------ the command


def test_the_command_prints_json_and_writes_a_workbook(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        main, ["gaps", str(YAML), "--rules", "youzhi-junheng-2017-resource", "--format", "json"]
    )
    assert res.exit_code == 1, res.output
    doc = json.loads(res.stdout)
    assert doc["eduint_gaps_version"] == 1
    gaps_ = doc["counties"][0]["gaps"]
    assert {g["rule"] for g in gaps_} == {"学校达标", "差异系数_骨干教师"}
    assert all(g["fixes"] or g["reason"] for g in gaps_)
    out = tmp_path / "g.xlsx"
    res = runner.invoke(
        main,
        [
            "gaps",
            str(YAML),
            "--rules",
            "youzhi-junheng-2017-resource",
            "--format",
            "xlsx",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 1, res.output
    import openpyxl

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["石桥乡中心小学", "河西乡寄宿制初级中学", "示例县（合成数据）县域"]
    row = [c.value for c in wb["河西乡寄宿制初级中学"][2]]
    assert row[8:11] == [20, 3, 23] and all(isinstance(x, int) for x in row[8:11])
    res = runner.invoke(
        main, ["gaps", str(YAML), "--rules", "youzhi-junheng-2017-resource", "--lang", "en"]
    )
    assert (
        "Fix (bring up 1, the smallest relative shortfalls):" in res.stdout
        and "+3 teachers above the required degree" in res.stdout
    )


def test_json_numbers_are_numbers(
    synthetic_gaps: dict[str, tuple[eduint.RuleSet, GapList]],
) -> None:
    _, gl = synthetic_gaps["chengxiang-yitihua-2018"]
    doc = json.loads(gaps_json([gl]))
    changes = [c for g in doc["counties"][0]["gaps"] for f in g["fixes"] for c in f["changes"]]
    assert changes and all(isinstance(c["delta"], (int, float)) for c in changes)


# ------------------------------------------------------------ property: generated counties

RESOURCE = eduint.load_ruleset("youzhi-junheng-2017-resource")


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(strategies.counties(min_schools=3, max_schools=6, one_through=0.2))
def test_every_fix_verifies_on_generated_counties(county: County) -> None:
    day = county.as_of or datetime.date(2019, 9, 1)
    gl = gaps(RESOURCE, county, as_of=day)
    rep = eduint.evaluate(RESOURCE, county, as_of=day)
    assert {(g.rule, g.entity.key) for g in gl} == _failing(rep)
    for gap in gl:
        assert gap.fixes or gap.reason
        for fix in gap.fixes:
            recheck(RESOURCE, county, gap, fix, as_of=day)


@pytest.mark.slow
@pytest.mark.parametrize("name", RULESETS)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(county=strategies.counties(min_schools=3, max_schools=10, one_through=0.3))
def test_every_fix_verifies_on_generated_counties_under_every_rule_set(
    name: str, county: County
) -> None:
    rs = eduint.load_ruleset(name)
    day = county.as_of or datetime.date(2019, 9, 1)
    gl = gaps(rs, county, as_of=day)
    assert {(g.rule, g.entity.key) for g in gl} == _failing(eduint.evaluate(rs, county, as_of=day))
    for gap in gl:
        assert gap.explained
        for fix in gap.fixes:
            recheck(rs, county, gap, fix, as_of=day)


# ------------------------------------------------------------ the docs show real output


def _doc_blocks() -> list[str]:
    text = (ROOT / "docs" / "gaps.md").read_text(encoding="utf-8")
    return re.findall(r"```text\n(.*?)\n```", text, flags=re.S)


@pytest.mark.parametrize(
    ("rules", "block"), [("youzhi-junheng-2017-resource", 0), ("chengxiang-yitihua-2018", 1)]
)
def test_docs_show_the_commands_output(rules: str, block: int) -> None:
    res = CliRunner().invoke(main, ["gaps", str(YAML), "--rules", rules])
    assert res.exit_code == 1
    assert _doc_blocks()[block] == res.stdout.rstrip("\n")


def test_the_api_doc_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    code = doc.split("## What it would take: `eduint.gaps`\n\n```python\n", 1)[1].split("```")[0]
    monkeypatch.chdir(ROOT)
    ns: dict[str, Any] = {}
    exec(compile(code, "docs/api.md", "exec"), ns)  # noqa: S102 - our own doc
    assert ns["same"] is True
    assert [(g.rule, g.entity.key) for g in ns["gl"]] == [
        ("学校达标", "SX005/小学"),
        ("学校达标", "SX007/初中"),
        ("差异系数_骨干教师", "示例县（合成数据）/小学"),
    ]


def test_docs_show_the_5_school_output() -> None:
    rs = eduint.check_text(FIVE_RULES, file="books5.rules")
    text = gaps_text([gaps(rs, five_schools())]).rstrip("\n")
    assert _doc_blocks()[3] == text
