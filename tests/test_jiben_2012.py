"""The 2012 基本均衡 rule set, ``rules/jiben-junheng-2012.rules`` (教督〔2012〕3号).

Four blocks inside one roll-up (REFERENCE §2.1): every school meets the province's
办学基本标准 (a per-school attestation in the data); the 综合差异系数, the mean of
the 8 single CVs, at most 0.65 (小学) / 0.55 (初中), with the single CVs shown but
not deciding; the county government's work score of at least 85 points (attested,
provisional); public satisfaction of at least 85 %.  The worst block decides.

The counties are hand-built YAML data files read with :func:`eduint.load_county_text`.
Two kinds are used:

* ``BASE_YAML``: four schools, one of them 九年一贯制 (its physical figures are
  split 1 : 1.1 between its segments); the 8 single CVs are recomputed here
  independently with :mod:`eduint.core.statistics`.
* ``constructed()``: two schools per segment, 10,000 and 40,000 students, whose
  resources are chosen so that each indicator's student-weighted CV is *exactly*
  a given number (x_A = m(1 + 2c), x_B = m(1 − c/2): mean m, S = c·m).  These are
  not realistic schools; they let the published 3-dp CVs of the 2012 assessment
  tables go through the rule file unchanged.

The key pitfall (REFERENCE §6 #6): a county whose composite passes although single
CVs exceed 0.65 is 达到 under the 2012 rules, and would wrongly fail if the 2017
single-CV test were applied to the same numbers.

The verdicts of each block at its boundaries are scenarios now
(``tests/scenarios/jiben-2012/*.yaml``, run by ``tests/test_scenarios.py``), on data
files that are this file's base county and constructed counties (the tests below check
that they still are).  What stays here: the rule file's structure, the independent
computation of the base county's CVs, the pitfall against a rule set built from the
file's own text, and the published tables.
"""

from __future__ import annotations

import csv
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import eduint
from eduint import cli
from eduint.checking.ruleset import Const, FieldRef, KeyedValue, ListOf, RuleSet
from eduint.core.statistics import composite_cv, split_shares, weighted_cv
from eduint.core.values import Interval
from eduint.engine.results import ItemResult, Outcome, Quantity, Report
from eduint.language.parser import parse
from eduint.language.printer import unparse

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "rules" / "jiben-junheng-2012.rules"
TEXT = RULES.read_text(encoding="utf-8")
# The published tables as the research team transcribed them (outside the repo;
# the rows are copied into PUBLISHED below, and checked against it when present).
SHARED_CSV = REPO.parent / "shared" / "data" / "composite_cv_basic_balance_tables.csv"

MET = Outcome.MET
NOT_MET = Outcome.NOT_MET

PRE, BAL, GOV, SAT = "办学基本标准", "综合差异系数", "政府工作", "满意度"
ROLL_UP = "基本均衡"
BLOCKS = ("前提条件", "校际均衡", "县级政府", "公众满意度")

# The report lines of the composite rule, in the order of REFERENCE §2.2.
SINGLES = (
    "生均教学及辅助用房面积差异系数",
    "生均体育运动场馆面积差异系数",
    "生均教学仪器设备值差异系数",
    "每百名学生拥有计算机台数差异系数",
    "生均图书册数差异系数",
    "师生比差异系数",
    "生均高于规定学历教师数差异系数",
    "生均中级及以上专业技术职务教师数差异系数",
)
# The data field behind each indicator, same order; the first five are the
# school's physical figures (split for one-through schools), the last three the
# segment's teachers.
FIELDS = (
    "floor_area_teaching",
    "sports_area",
    "equipment_value",
    "computers",
    "books",
    "full_time_teachers",
    "teachers_above_degree",
    "titled_teachers",
)
PHYSICAL = FIELDS[:5]


# ------------------------------------------------------------------ helpers


def check(text: str = TEXT) -> RuleSet:
    return eduint.check_text(text, file=str(RULES))


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return check()


@pytest.fixture(scope="module")
def rs_precise() -> RuleSet:
    """The same rule set showing 12 decimals, to compare figures exactly."""
    return check(TEXT + "\nsetting display_precision = 12\n")


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def run(ruleset: RuleSet, data: str | dict[str, Any]) -> Report:
    """Load a YAML county (text, or a mapping dumped to YAML) and evaluate it."""
    text = data if isinstance(data, str) else dump(data)
    loaded = eduint.load_county_text(text, extra_fields=ruleset.extra_field_kinds())
    assert loaded.problems == (), loaded.problems
    return eduint.evaluate(ruleset, loaded.county)


def entity(item: ItemResult, segment: str) -> Any:
    return next(e for e in item.entities if e.entity.segment == segment)


def _number(q: Any) -> Fraction | None:
    """A shown CV as an exact number: a rational CV itself, an irrational one (a bracket
    within 1e-40 of it) by its lower end; ``None`` when unknown."""
    if q is None:
        return None
    assert isinstance(q, Quantity) and q.unit.scale == 1, q
    x = q.value
    return Fraction(x.lo) if isinstance(x, Interval) else Fraction(x)


def shown(item: ItemResult, segment: str) -> dict[str, Fraction | None]:
    """The report lines of the composite rule for one county segment, as numbers."""
    return {v.name: _number(v.value) for v in entity(item, segment).shown if v.name is not None}


BASE_YAML = """\
eduint_data_version: 1
rules: jiben_junheng_2012
name: 基本均衡测试县（合成）
as_of: 2013-09-01
government_score: 90
survey_respondents: 1000
survey_satisfied: 900
schools_complete: true
schools:
  - id: P1
    kind: 小学
    basic_standard_met: true
    floor_area_teaching: 4000
    sports_area: 6000
    equipment_value: 1500000
    computers: 100
    books: 20000
    segments:
      - {segment: 小学, students: 1000, full_time_teachers: 60, teachers_above_degree: 50, titled_teachers: 30}
  - id: P2
    kind: 小学
    basic_standard_met: true
    floor_area_teaching: 2000
    sports_area: 3000
    equipment_value: 500000
    computers: 40
    books: 10000
    segments:
      - {segment: 小学, students: 500, full_time_teachers: 25, teachers_above_degree: 20, titled_teachers: 10}
  - id: N1
    kind: 九年一贯制
    basic_standard_met: true
    floor_area_teaching: 5000
    indoor_sports_area: 600
    sports_area: 8000
    equipment_value: 2000000
    computers: 150
    books: 30000
    segments:
      - {segment: 小学, students: 600, full_time_teachers: 30, teachers_above_degree: 25, titled_teachers: 12}
      - {segment: 初中, students: 400, full_time_teachers: 35, teachers_above_degree: 30, titled_teachers: 20}
  - id: J1
    kind: 初中
    basic_standard_met: true
    floor_area_teaching: 6000
    sports_area: 9000
    equipment_value: 2500000
    computers: 120
    books: 35000
    segments:
      - {segment: 初中, students: 1000, full_time_teachers: 80, teachers_above_degree: 70, titled_teachers: 50}
"""


def base() -> dict[str, Any]:
    return yaml.safe_load(BASE_YAML)


def expected_singles(data: dict[str, Any], segment: str) -> list[Fraction]:
    """The 8 single CVs of one segment, computed here from the data mapping:
    physical figures split 1 : 1.1 for a school with two segments, gross floor
    area (no subtraction of indoor sports rooms), weights = the segment's students."""
    rows: list[tuple[Fraction, dict[str, Fraction]]] = []
    for s in data["schools"]:
        segs = {x["segment"]: x for x in s["segments"]}
        if segment not in segs:
            continue
        share = Fraction(1)
        if len(segs) > 1:
            share = split_shares(
                {k: v["students"] for k, v in segs.items()}, {"小学": 1, "初中": "1.1"}
            )[segment]
        seg = segs[segment]
        figures = {f: Fraction(s[f]) * share for f in PHYSICAL}
        figures |= {f: Fraction(seg[f]) for f in FIELDS[5:]}
        rows.append((Fraction(seg["students"]), figures))
    return [weighted_cv([r[f] / n for n, r in rows], [n for n, _ in rows]).cv for f in FIELDS]


# Per-student means of the constructed counties (any positive number would do:
# a CV does not depend on the scale).  With 10,000 and 40,000 students every
# count (teachers, computers, books) comes out whole for a CV given to 3 dp.
MEANS = {
    "floor_area_teaching": Fraction(4),
    "sports_area": Fraction(6),
    "equipment_value": Fraction(2000),
    "computers": Fraction(1, 10),
    "books": Fraction(25),
    "full_time_teachers": Fraction(1, 10),
    "teachers_above_degree": Fraction(1, 20),
    "titled_teachers": Fraction(1, 20),
}
N_A, N_B = 10000, 40000


def _whole(x: Fraction) -> int:
    assert x.denominator == 1 and x >= 0, x
    return int(x)


def constructed(cvs: dict[str, list[str]], name: str = "构造县（合成）") -> dict[str, Any]:
    """A county whose 8 single CVs per segment are exactly ``cvs[segment]``.

    Two single-segment schools per segment with N_A and N_B students; indicator
    values x_A = m(1 + 2c) and x_B = m(1 − c/2): the weighted mean is m and
    S² = (N_A(2cm)² + N_B(cm/2)²)/(N_A + N_B) = c²m², so CV = c exactly.
    Every other block passes (all schools attest the standard; score 90; 90 %).
    """
    schools: list[dict[str, Any]] = []
    for segment, row in cvs.items():
        assert len(row) == 8
        for suffix, n, factor in (
            ("A", N_A, lambda c: 1 + 2 * c),
            ("B", N_B, lambda c: 1 - c / 2),
        ):
            figs = {
                f: _whole(MEANS[f] * n * factor(Fraction(c)))
                for f, c in zip(FIELDS, row, strict=True)
            }
            schools.append(
                {
                    "id": f"{segment}{suffix}",
                    "kind": segment,
                    "basic_standard_met": True,
                    **{f: figs[f] for f in PHYSICAL},
                    "segments": [
                        {"segment": segment, "students": n, **{f: figs[f] for f in FIELDS[5:]}}
                    ],
                }
            )
    return {
        "name": name,
        "government_score": 90,
        "survey_respondents": 1000,
        "survey_satisfied": 900,
        "schools_complete": True,
        "schools": schools,
    }


# --------------------------------------------------------- the file itself


def test_file_checks_cleanly_and_is_canonical() -> None:
    """The file checks with no error and no warning, and ``eduint fmt`` would not change it."""
    ruleset = check()
    assert ruleset.warnings == ()
    assert unparse(parse(TEXT, file=str(RULES))) == TEXT


def test_eduint_lint_accepts_the_file() -> None:
    """``eduint lint rules/jiben-junheng-2012.rules`` exits 0 and says ok."""
    result = CliRunner().invoke(cli.main, ["lint", str(RULES)])
    assert result.exit_code == 0, result.output
    assert "ok (jiben_junheng_2012" in result.output


def test_structure_four_blocks_under_one_worst_roll_up(rs: RuleSet) -> None:
    """One roll-up block combining by ``worst``, holding the four blocks of
    REFERENCE §2.1 in order, each with exactly one rule."""
    assert rs.id == "jiben_junheng_2012"
    assert [m.id for m in rs.members] == [ROLL_UP]
    (roll_up,) = rs.members
    assert roll_up.kind == "block" and roll_up.combine == "worst"
    assert [b.id for b in roll_up.members] == list(BLOCKS)
    assert [[r.id for r in b.members] for b in roll_up.members] == [[PRE], [BAL], [GOV], [SAT]]
    assert all(b.combine == "worst" for b in roll_up.members)


def test_every_rule_cites_the_2012_document_and_reference(rs: RuleSet) -> None:
    """Every rule cites 教督〔2012〕3号 and a REFERENCE section; the document is declared."""
    doc = rs.documents["教督2012_3"]
    assert doc.number == "教督〔2012〕3号" and str(doc.date) == "2012-01-20"
    for rule in rs.rules():
        numbers = [s.number for s in rule.sources]
        texts = [s.text or "" for s in rule.sources if s.document is None]
        assert "教督〔2012〕3号" in numbers, rule.id
        assert any("REFERENCE §2.1" in t for t in texts), rule.id


def test_precondition_is_a_school_rule_on_the_attestation(rs: RuleSet) -> None:
    """Computed per school from ``basic_standard_met``; notes say a provincial file replaces it."""
    rule = rs.find(PRE)
    assert rule is not None and rule.scope.value == "school"
    assert rule.requirement_text == "达到办学基本标准"
    assert {f.field.name for f in _fields(rule.require)} == {"basic_standard_met"}
    assert any("provincial rule file replaces" in (n or "") for n in rule.notes_en)
    assert any("省级规则文件以本省逐项的学校规则替换本规则" in n for n in rule.notes)


def test_composite_rule_reports_8_singles_and_decides_on_their_mean(rs: RuleSet) -> None:
    """Per county segment; the 8 singles and the composite are report lines; the
    requirement compares only the composite, the mean of the 8 cv() aggregates."""
    rule = rs.find(BAL)
    assert rule is not None
    assert rule.scope.value == "county_segment" and rule.segments == ("小学", "初中")
    assert [name for name, _ in rule.reports] == [*SINGLES, "综合差异系数"]
    assert rule.requirement_text == "综合 <= 综合差异系数上限"
    lets = dict(rule.lets)
    assert sum(1 for e in lets.values() if getattr(e, "fn", None) == "cv") == 8
    assert TEXT.count("cv(") == 8


def test_thresholds_confirmed_and_provisional(rs: RuleSet) -> None:
    """0.65/0.55 and 85 % are confirmed (C in REFERENCE §2.1), so not provisional;
    the 85-point government pass mark is M, so provisional with the reason."""
    assert _keyed(rs, "综合差异系数上限") == {"小学": Decimal("0.65"), "初中": Decimal("0.55")}
    assert rs.values["综合差异系数上限"].provisional is None
    sat = rs.values["满意度标准"]
    assert (
        isinstance(sat.value, Const) and sat.value.value == 85 and str(sat.value.type.unit) == "%"
    )
    assert sat.provisional is None
    gov = rs.values["政府工作合格分"]
    assert isinstance(gov.value, Const) and gov.value.value == 85
    assert gov.provisional and "M" in gov.provisional


def test_split_setting_is_explicit_five_physical_indicators(rs: RuleSet) -> None:
    """``split_indicators`` is stated in the file (not left to the default), is the
    five physical indicators of REFERENCE §3.3, and is provisional (origin M)."""
    setting = rs.settings["split_indicators"]
    assert setting.explicit
    assert isinstance(setting.value, ListOf)
    assert [f.field.name for f in setting.value.items if isinstance(f, FieldRef)] == list(PHYSICAL)
    assert setting.provisional and "M" in setting.provisional


def test_floor_area_does_not_subtract_indoor_sports_rooms(rs: RuleSet) -> None:
    """Decision: ``subtract_indoor_sports = false`` (REFERENCE §2.2 defines indicator 1
    without the subtraction, which §1.2 gives only for 2017 L4, as M+code);
    stated explicitly, provisional, citing REFERENCE."""
    setting = rs.settings["subtract_indoor_sports"]
    assert setting.explicit
    assert getattr(setting.value, "value", None) is False
    assert setting.provisional
    assert any("REFERENCE §2.2" in (s.text or "") for s in setting.sources)


def test_government_item_is_attested_and_invents_no_indicators(rs: RuleSet) -> None:
    """One county rule on the given score, answerable by the county (attested);
    the 17 indicators are named only as a count with their 4 groups."""
    rule = rs.find(GOV)
    assert rule is not None and rule.attested and rule.scope.value == "county"
    assert {f.field.name for f in _fields(rule.require)} == {"government_score"}
    assert any("入学机会, 保障机制, 教师队伍, 质量与管理" in (n or "") for n in rule.notes_en)
    assert any("入学机会、保障机制、教师队伍、质量与管理" in n for n in rule.notes)
    assert sum(1 for r in rs.rules()) == 4


# ------------------------------------------------------------- the base county


def test_base_county_singles_match_an_independent_computation(rs_precise: RuleSet) -> None:
    """Each reported single CV, and the composite, equals the CV computed here with
    statistics.weighted_cv (split 1 : 1.1, gross floor area) to 12 decimals."""
    data = base()
    item = run(rs_precise, data).item(BAL)
    for segment in ("小学", "初中"):
        want = expected_singles(data, segment)
        got = shown(item, segment)
        for name, w in zip(SINGLES, want, strict=True):
            x = got[name]
            assert x is not None and abs(x - w) <= Fraction(1, 2 * 10**12), (segment, name)
        x = got["综合差异系数"]
        assert x is not None and abs(x - composite_cv(want)) <= Fraction(1, 10**12)


# ------------------------------------------- the key pitfall (REFERENCE §6 #6)

# 合肥市庐阳区 (C1, book118 table): composite 0.592 (小学) and 0.314 (初中) pass,
# while 小学 floor area 0.881, sports area 1.299, equipment 0.977 and 初中 sports
# area 0.784 exceed 0.65.
C1 = {
    "小学": ["0.881", "1.299", "0.977", "0.379", "0.170", "0.334", "0.286", "0.408"],
    "初中": ["0.353", "0.784", "0.146", "0.491", "0.037", "0.226", "0.223", "0.253"],
}


def single_cv_ruleset(primary: str, junior: str) -> RuleSet:
    """The WRONG reading: each of the 8 cv() aggregates of the 2012 file (copied
    from its text, with its settings) required on its own to be at most a limit."""
    lets = re.findall(r"^\s*let (\S+) = (cv\(.*\))$", TEXT, re.M)
    settings = re.findall(r"^setting .*$", TEXT, re.M)
    assert len(lets) == 8 and len(settings) == 2
    rules = "\n".join(
        f"rule 单项_{name} {{\n  scope county segment [小学, 初中]\n  require {expr} <= 单项上限\n}}"
        for name, expr in lets
    )
    limits = f"value 单项上限 = by segment {{ 小学: {primary}, 初中: {junior} }}"
    return eduint.check_text("\n".join([*settings, limits, rules]))


@pytest.mark.parametrize(
    ("primary", "junior"),
    [
        pytest.param("0.50", "0.45", id="2017-single-limits"),
        pytest.param("0.65", "0.55", id="2012-limits-per-indicator"),
    ],
)
def test_pitfall_single_cv_test_on_the_same_numbers_fails(
    rs: RuleSet, primary: str, junior: str
) -> None:
    """The same county under the 2017-style single-CV test (with the 2017 limits,
    and with 0.65/0.55 applied per indicator as in G5) is 未达到 in both segments,
    computing exactly the single CVs the 2012 rule set reports."""
    data = constructed(C1)
    right = run(rs, data)
    wrong = run(single_cv_ruleset(primary, junior), data)
    assert right.item(BAL).headline == MET
    assert wrong.overall == NOT_MET
    failing = {
        (e.entity.segment, r.id) for r in wrong.items for e in r.entities if e.outcome == NOT_MET
    }
    assert {seg for seg, _ in failing} == {"小学", "初中"}
    for seg in ("小学", "初中"):
        singles = [_number(entity(r, seg).evidence.left) for r in wrong.items]
        assert singles == [shown(right.item(BAL), seg)[n] for n in SINGLES]


# Data files of the scenarios (tests/scenarios/jiben-2012/*.yaml) built by constructed():
# file name -> the single CVs it was built for.
CONSTRUCTED_FILES = {
    "jiben-2012-constructed-070-050.yaml": {"小学": ["0.70"] * 8, "初中": ["0.50"] * 8},
    "jiben-2012-constructed-060-060.yaml": {"小学": ["0.60"] * 8, "初中": ["0.60"] * 8},
    "jiben-2012-constructed-065.yaml": {"小学": ["0.65"] * 8},
    "jiben-2012-constructed-0651.yaml": {"小学": ["0.651"] * 8},
    "jiben-2012-constructed-0649.yaml": {"小学": ["0.649"] * 8},
    "jiben-2012-constructed-070.yaml": {"小学": ["0.70"] * 8},
    "jiben-2012-constructed-c1.yaml": C1,
}
SCENARIO_DATA = REPO / "tests" / "scenarios" / "data"


@pytest.mark.parametrize("name", sorted(CONSTRUCTED_FILES))
def test_scenario_data_files_are_the_constructed_counties(name: str) -> None:
    """Each constructed county the scenarios read is exactly what constructed() builds
    for its CVs, so its single CVs are exactly those numbers."""
    data = yaml.safe_load((SCENARIO_DATA / name).read_text(encoding="utf-8"))
    assert data == constructed(CONSTRUCTED_FILES[name])


def test_scenario_base_county_is_the_base_county() -> None:
    """The scenarios' base county is BASE_YAML, the county this file computes from."""
    path = SCENARIO_DATA / "jiben-2012-base-county.yaml"
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == base()


# ------------------------------------- the published tables (REFERENCE §2.2)

# (county, segment, the 8 single CVs, published composite): book118 (Anhui, C1-C2)
# and wenke99 (Jilin, C3-C7) annex tables, as in composite_cv_basic_balance_tables.csv.
PUBLISHED_TABLE = """\
C1 小学  0.881 1.299 0.977 0.379 0.170 0.334 0.286 0.408  0.592
C1 初中  0.353 0.784 0.146 0.491 0.037 0.226 0.223 0.253  0.314
C2 小学  0.711 0.649 0.472 0.338 0.235 0.274 0.260 0.396  0.417
C2 初中  0.505 0.484 0.325 0.275 0.199 0.715 0.421 1.021  0.493
C3 小学  0.393 0.578 0.372 0.246 0.208 0.311 0.311 0.455  0.359
C3 初中  0.433 0.464 0.334 0.318 0.433 0.362 0.368 0.335  0.381
C4 小学  0.251 0.426 0.267 0.227 0.127 0.318 0.302 0.440  0.295
C4 初中  0.285 0.373 0.243 0.333 0.224 0.391 0.355 0.569  0.347
C5 小学  0.380 0.605 0.352 0.362 0.101 0.301 0.295 0.415  0.351
C5 初中  0.320 0.431 0.291 0.223 0.095 0.400 0.386 0.431  0.322
C6 小学  0.246 0.471 0.388 0.299 0.189 0.475 0.479 0.533  0.385
C6 初中  0.441 0.494 0.495 0.311 0.388 0.365 0.236 0.493  0.403
C7 小学  0.280 0.819 0.315 0.206 0.104 0.353 0.343 0.406  0.353
C7 初中  0.362 0.446 0.324 0.402 0.362 0.372 0.342 0.496  0.388
"""
PUBLISHED: list[tuple[str, str, tuple[str, ...], str]] = [
    (c, seg, tuple(rest[:8]), rest[8])
    for c, seg, *rest in (line.split() for line in PUBLISHED_TABLE.splitlines())
]
# Every listed county passed the national assessment (the tables are of 基本均衡 counties).
PUBLISHED_VERDICT = True


def _half_up(x: Fraction) -> Decimal:
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(
        Decimal("0.001"), rounding=ROUND_HALF_UP
    )


@pytest.mark.skipif(not SHARED_CSV.exists(), reason="the shared research data is not here")
def test_published_rows_match_the_shared_csv() -> None:
    """The rows copied into this test are those of the shared CSV, in order."""
    with SHARED_CSV.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    got = [(r[2][:2], r[3][:2], tuple(r[4:12]), r[12]) for r in rows]
    assert got == PUBLISHED


@pytest.mark.parametrize(
    ("county", "segment", "singles", "published"),
    PUBLISHED,
    ids=[f"{c}-{s}" for c, s, _, _ in PUBLISHED],
)
def test_published_composite_and_verdict(
    rs: RuleSet, county: str, segment: str, singles: tuple[str, ...], published: str
) -> None:
    """statistics.composite_cv of the 8 printed CVs rounds (half up) to the published
    composite at 3 dp, and compared unrounded with the rule file's own threshold it
    gives the published verdict (pass), although some singles may exceed it."""
    composite = composite_cv(singles)
    assert _half_up(composite) == Decimal(published)
    threshold = _keyed(rs, "综合差异系数上限")[segment]
    assert (composite <= Fraction(threshold)) is PUBLISHED_VERDICT


@pytest.mark.parametrize("county", sorted({c for c, _, _, _ in PUBLISHED}))
def test_published_rows_through_the_rule_file(
    rs_precise: RuleSet, rs: RuleSet, county: str
) -> None:
    """A constructed county with exactly the published single CVs, evaluated by the
    rule file: each single is reported as printed, the composite is exactly their
    mean (= composite_cv), shows as the published figure at 3 dp, and the verdict is
    达到 like the published one."""
    rows = {seg: (singles, pub) for c, seg, singles, pub in PUBLISHED if c == county}
    data = constructed({seg: list(s) for seg, (s, _) in rows.items()}, name=f"{county}（构造）")
    precise = run(rs_precise, data).item(BAL)
    default = run(rs, data).item(BAL)
    for seg, (singles, pub) in rows.items():
        got = shown(precise, seg)
        assert [got[n] for n in SINGLES] == [Fraction(s) for s in singles]
        assert got["综合差异系数"] == composite_cv(singles)
        composite = shown(default, seg)["综合差异系数"]
        assert composite is not None and round(composite, 3) == Fraction(pub)
        assert entity(default, seg).outcome == (MET if PUBLISHED_VERDICT else NOT_MET)


# ------------------------------------------------------------------ helpers


def _keyed(rs: RuleSet, name: str) -> dict[str, Decimal]:
    value = rs.values[name].value
    assert isinstance(value, KeyedValue) and value.kind == "segment"
    out: dict[str, Decimal] = {}
    for entry in value.entries:
        assert isinstance(entry.value, Const)
        for key in entry.keys:
            out[key] = entry.value.value
    return out


def _fields(expr: Any) -> list[FieldRef]:
    """The field references in a resolved expression."""
    found: list[FieldRef] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, FieldRef):
            found.append(node)
        elif isinstance(node, tuple):
            stack.extend(node)
        elif hasattr(node, "__attrs_attrs__"):
            stack.extend(getattr(node, a.name) for a in node.__attrs_attrs__)
    return found
