"""The whole 2017 优质均衡 assessment (``rules/youzhi-junheng-2017.rules``).

教督〔2017〕6号 in one rule set: the 资源配置 block (a verbatim copy of
``youzhi-junheng-2017-resource.rules``, kept identical by the tests below),
政府保障程度 (items (一)–(十五)), 教育质量 (items (一)–(九), ids 质量一 … 质量九),
社会认可度 and the 一票否决 items.  The file lints cleanly and is canonical; small
hand-built counties drive every block through 达到, 未达到, 不适用 and 缺少数据,
at the boundaries REFERENCE §1.4–§1.6 and §9 set (2,000 vs 2,001 students, a
45- vs 46-student class, 12 vs 13 classes per music room, 96 ㎡, the
100-student funding floor, 95 % exactly), and a failing veto item fails the
overall verdict even when every other block passes.
"""

from __future__ import annotations

import datetime
import enum
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

from eduint import check_text, evaluate, load_county_text
from eduint.checking.ruleset import CheckedRule, Container, DatedValue, RuleSet
from eduint.cli import main
from eduint.data.models import (
    Attestation,
    Class,
    County,
    CountySegment,
    Figure,
    Location,
    Region,
    School,
    SchoolKind,
    SchoolSegment,
    Segment,
    SelfStatus,
    SizeBand,
)
from eduint.engine.results import Outcome, Report
from eduint.language.parser import parse
from eduint.language.printer import unparse

RULES_DIR = Path(__file__).parent.parent / "rules"
FULL = RULES_DIR / "youzhi-junheng-2017.rules"
RESOURCE = RULES_DIR / "youzhi-junheng-2017-resource.rules"

MET = Outcome.MET
NOT_MET = Outcome.NOT_MET
NA = Outcome.NOT_APPLICABLE
NO_DATA = Outcome.NO_DATA

DAY = datetime.date(2021, 6, 30)
PRIMARY, JUNIOR, SENIOR = Segment.PRIMARY, Segment.JUNIOR, Segment.SENIOR

BLOCKS = ("资源配置", "政府保障程度", "教育质量", "社会认可度", "一票否决")
NUMERALS: tuple[str, ...] = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
NUMERALS += ("十一", "十二", "十三", "十四", "十五")
GOVERNMENT = tuple(f"({n})" for n in NUMERALS)
QUALITY_LABELS = GOVERNMENT[:9]
QUALITY = tuple(f"质量{n}" for n in NUMERALS[:9])
ATTESTED_VETOES = ("考试招生", "违规择校", "重点校重点班", "有编不补", "安全事故", "弄虚作假")
M_VETOES = ("有编不补", "安全事故", "弄虚作假")
# Items and parts answered by the county only (no computed requirement).
ATTESTED_ONLY = (
    "(一)",
    "(二)",
    "(八)2",
    "(十)",
    "(十四)2",
    "(十五)1",
    "质量三",
    "质量五",
    "质量六",
    "质量七",
    "质量八",
    *ATTESTED_VETOES,
)


# ------------------------------------------------------------------ helpers


@pytest.fixture(scope="module")
def rs() -> RuleSet:
    return check_text(FULL.read_text(encoding="utf-8"), file=str(FULL))


@pytest.fixture(scope="module")
def resource_rs() -> RuleSet:
    return check_text(RESOURCE.read_text(encoding="utf-8"), file=str(RESOURCE))


_TEXT_KEYS = {"name", "id", "central_school", "code", "province", "city", "school_year"}


def _figs(kw: dict[str, Any]) -> dict[str, Any]:
    """Numbers written as ints, strings or Decimals become exact figures."""
    return {
        k: Figure.exact(v)
        if k not in _TEXT_KEYS
        and isinstance(v, int | str | Decimal)
        and not isinstance(v, bool | enum.Enum)
        else v
        for k, v in kw.items()
    }


def classes(*sizes: int) -> tuple[Class, ...]:
    return tuple(Class(name=f"{i + 1}班", size=Figure.exact(s)) for i, s in enumerate(sizes))


def seg(segment: Segment = PRIMARY, **kw: Any) -> SchoolSegment:
    """A school segment; a class list given is complete."""
    if "classes" in kw:
        kw.setdefault("classes_complete", True)
    return SchoolSegment(segment, **_figs(kw))


def school(id_: str, *segments: SchoolSegment, **kw: Any) -> School:
    """A public school named S<id> (a 小学 unless told otherwise)."""
    kw.setdefault("name", f"S{id_}")
    kw.setdefault("kind", SchoolKind.PRIMARY)
    training = kw.pop("training_funds", None)
    if training is not None:
        kw["extra"] = {"教师培训经费": Figure.exact(training)}
    return School(id=id_, segments=segments or None, **_figs(kw))


def small(*schools: School, **kw: Any) -> County:
    """A county with only these schools (the list complete), dated 2021-06-30."""
    kw.setdefault("name", "测试县")
    kw.setdefault("as_of", DAY)
    return County(schools=schools, schools_complete=True, **_figs(kw))


def run(rs: RuleSet, data: County, **kw: Any) -> Report:
    return evaluate(rs, data, **kw)


def section(report: Report, id_: str) -> Outcome | None:
    return next(s.outcome for s in report.sections if s.id == id_)


# A county that meets everything: two identical 小学 and two identical 初中
# (so every 差异系数 is 0), every figure on the right side of its threshold,
# and the county's 自评 达到 for every item it answers alone.


def _primary_school(id_: str) -> School:
    return school(
        id_,
        seg(
            PRIMARY,
            students=540,
            class_count=12,
            classes=classes(*[45] * 12),
            full_time_teachers=30,
            certified_teachers=30,
            teachers_above_degree=23,
            backbone_teachers=6,
            pe_arts_teachers=5,
        ),
        kind=SchoolKind.PRIMARY,
        location=None,
        floor_area_teaching=3000,
        indoor_sports_area=0,
        sports_area=5000,
        equipment_value=1200000,
        multimedia_rooms=13,
        music_rooms=1,
        music_room_min_area=96,
        art_rooms=1,
        art_room_min_area=90,
        public_funds=400000,
        training_funds=20000,
    )


def _junior_school(id_: str) -> School:
    return school(
        id_,
        seg(
            JUNIOR,
            students=500,
            class_count=10,
            classes=classes(*[50] * 10),
            full_time_teachers=35,
            certified_teachers=35,
            teachers_above_degree=27,
            backbone_teachers=5,
            pe_arts_teachers=5,
        ),
        kind=SchoolKind.JUNIOR,
        floor_area_teaching=3000,
        indoor_sports_area=0,
        sports_area=5200,
        equipment_value=1300000,
        multimedia_rooms=12,
        music_rooms=1,
        music_room_min_area=96,
        art_rooms=1,
        art_room_min_area=90,
        public_funds=500000,
        training_funds=25000,
    )


COUNTY_FIGURES: dict[str, Any] = {
    "region": Region.WEST,
    "full_time_teachers": 130,
    "training_completed": 130,
    "teacher_pay_avg": 90000,
    "civil_servant_pay_avg": 90000,
    "special_ed_funds_per_student": 6000,
    "rotation_eligible": 100,
    "rotated": 10,
    "rotated_backbone": 2,
    "quality_places_total": 1000,
    "quality_places_allocated": 500,
    "migrant_children_eligible": 100,
    "migrant_children_public": 85,
    "disabled_children": 100,
    "disabled_children_enrolled": 95,
    "naeq_min_level": 3,
    "naeq_max_difference": "0.149",
    "survey_respondents": 1000,
    "survey_satisfied": 850,
}


def county_segments(**junior: Any) -> tuple[CountySegment, ...]:
    cohort = {
        "cohort_entry": 102,
        "cohort_deaths": 2,
        "cohort_graduates": 95,
        "cohort_transferred_in": 5,
        "cohort_transferred_out": 5,
    }
    jr = {"nearby_eligible": 100, "nearby_enrolled": 95, **cohort, **junior}
    return (
        CountySegment(PRIMARY, **_figs({"nearby_eligible": 100, "nearby_enrolled": 100})),
        CountySegment(JUNIOR, **_figs(jr)),
    )


def answers(**status: SelfStatus) -> tuple[Attestation, ...]:
    """达到 for every item the county answers alone, unless told otherwise."""
    words = dict.fromkeys(ATTESTED_ONLY, SelfStatus.MET)
    words.update(status)
    return tuple(Attestation(item, word) for item, word in words.items())


def full_county(**kw: Any) -> County:
    """The county that meets everything, with ``kw`` replacing its fields."""
    base = small(
        _primary_school("P1"),
        _primary_school("P2"),
        _junior_school("J1"),
        _junior_school("J2"),
        segments=county_segments(),
        attestations=answers(),
        **COUNTY_FIGURES,
    )
    return attrs.evolve(base, **_figs(kw))


def county_with(**kw: Any) -> County:
    """A county with no schools listed (``schools=None``) and these figures."""
    kw.setdefault("name", "测试县")
    kw.setdefault("as_of", DAY)
    return County(**_figs(kw))


# ------------------------------------------------------------ the rule file


def test_file_lints_cleanly_and_is_canonical(rs: RuleSet) -> None:
    """``eduint lint`` and ``eduint fmt --check`` pass on the file; it checks with
    no warning and prints back to itself."""
    runner = CliRunner()
    lint = runner.invoke(main, ["lint", str(FULL)])
    assert lint.exit_code == 0, lint.output
    kinds = [r.kind for r in rs.rules()]
    assert (kinds.count("item"), kinds.count("part"), kinds.count("rule")) == (31, 16, 9)
    fmt = runner.invoke(main, ["fmt", "--check", str(FULL)])
    assert fmt.exit_code == 0, fmt.output
    text = FULL.read_text(encoding="utf-8")
    assert unparse(parse(text, file=str(FULL))) == text
    assert rs.warnings == ()
    assert rs.id == "youzhi_junheng_2017"


def _block_text(text: str, name: str) -> str:
    """The text of ``block NAME … }``, from its first line to its closing brace."""
    m = re.search(rf"^block {name} .*?^}}\n", text, re.M | re.S)
    assert m is not None, f"block {name} not found"
    return m.group(0)


def _decl_text(text: str, head: str) -> str:
    """The text of the top-level declaration whose first line starts with ``head``:
    that line, and when it opens a brace, every line up to the closing ``}``."""
    lines = text.splitlines(keepends=True)
    [start] = [i for i, line in enumerate(lines) if line.startswith(head)]
    if not lines[start].rstrip().endswith("{"):
        return lines[start]
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("}"))
    return "".join(lines[start : end + 1])


def test_resource_block_text_is_identical_to_the_resource_file() -> None:
    """The 资源配置 block is copied verbatim (``extends`` is not implemented):
    its text, and the text of every declaration it relies on (the document,
    the two settings and the eight values), are identical in both files."""
    full = FULL.read_text(encoding="utf-8")
    resource = RESOURCE.read_text(encoding="utf-8")
    assert _block_text(full, "资源配置") == _block_text(resource, "资源配置")
    heads = [
        "document 教督2017_6 ",
        "setting split_indicators ",
        "setting subtract_indoor_sports ",
    ] + [f"value {name} " for name in re.findall(r"^value (\S+) ", resource, re.M)]
    assert len(heads) == 3 + 8
    for head in heads:
        assert _decl_text(full, head) == _decl_text(resource, head), head


def test_resource_block_checks_to_the_same_rules(rs: RuleSet, resource_rs: RuleSet) -> None:
    """Checked, the two 资源配置 blocks are equal, rule for rule, with the same
    values and settings, so they evaluate alike."""
    [mine] = [m for m in rs.members if isinstance(m, Container) and m.id == "资源配置"]
    [theirs] = resource_rs.members
    assert mine == theirs
    for name, value in resource_rs.values.items():
        assert rs.values[name] == value, name
    assert rs.settings == resource_rs.settings
    assert rs.documents["教督2017_6"] == resource_rs.documents["教督2017_6"]


def test_the_five_blocks_in_order(rs: RuleSet) -> None:
    """资源配置, 政府保障程度, 教育质量, 社会认可度, 一票否决: blocks, each rolled up
    with the default combination (worst)."""
    assert tuple(m.id for m in rs.members) == BLOCKS
    for m in rs.members:
        assert isinstance(m, Container) and m.kind == "block"
        assert m.combine == "worst"


def _block(rs: RuleSet, name: str) -> Container:
    [b] = [m for m in rs.members if isinstance(m, Container) and m.id == name]
    return b


def _members(rs: RuleSet, name: str) -> list[CheckedRule]:
    out = [m for m in _block(rs, name).members if isinstance(m, CheckedRule)]
    assert len(out) == len(_block(rs, name).members)
    return out


def test_government_items_are_numbered_one_to_fifteen(rs: RuleSet) -> None:
    """政府保障程度 holds items (一)…(十五), each known by its label."""
    items = _members(rs, "政府保障程度")
    assert tuple(i.id for i in items) == GOVERNMENT
    assert all(i.kind == "item" and i.label == i.id and i.title for i in items)


def test_quality_items_keep_their_labels_under_distinct_ids(rs: RuleSet) -> None:
    """教育质量 items are labelled (一)…(九) as the document numbers them; ids and
    labels are one namespace, so they are known as 质量一 … 质量九."""
    items = _members(rs, "教育质量")
    assert tuple(i.label for i in items) == QUALITY_LABELS
    assert tuple(i.id for i in items) == QUALITY


def test_parts(rs: RuleSet) -> None:
    """The items with parts, and their part ids."""
    got = {r.id: tuple(p.id for p in r.parts) for r in rs.rules() if r.parts}
    assert got == {
        "(三)": ("(三)1", "(三)2", "(三)3", "(三)4"),
        "(四)": ("(四)1", "(四)2"),
        "(八)": ("(八)1", "(八)2"),
        "(十一)": ("(十一)1", "(十一)2"),
        "(十四)": ("(十四)1", "(十四)2"),
        "(十五)": ("(十五)1", "(十五)2"),
        "质量九": ("质量九_1", "质量九_2"),
    }


def test_every_new_item_cites_the_2017_document(rs: RuleSet) -> None:
    """Every item, part and rule outside 资源配置 cites 教督〔2017〕6号 itself."""
    for name in BLOCKS[1:]:
        for member in _members(rs, name):
            for r in (member, *member.parts):
                assert "教督2017_6" in {s.document for s in r.sources}, r.id
                assert all(s.number for s in r.sources if s.document), r.id


def test_computed_and_attested_items(rs: RuleSet) -> None:
    """Which items compute a verdict and which the county answers alone."""
    new = [r for name in BLOCKS[1:] for m in _members(rs, name) for r in (m, *m.parts)]
    attested_only = {r.id for r in new if r.attested and not r.computed}
    assert attested_only == set(ATTESTED_ONLY)
    computed = {r.id for r in new if r.computed}
    assert computed == {
        "(三)1",
        "(三)2",
        "(三)3",
        "(三)4",
        "(四)1",
        "(四)2",
        "(五)",
        "(六)",
        "(七)",
        "(八)1",
        "(九)",
        "(十一)1",
        "(十一)2",
        "(十二)",
        "(十三)",
        "(十四)1",
        "(十五)2",
        "质量一",
        "质量二",
        "质量四",
        "质量九_1",
        "质量九_2",
        "社会认可度调查",
        "认可度否决",
    }
    # 质量四 needs a figure the model lacks: computed where given, else 自评
    training = rs.find("质量四")
    assert training is not None and training.attested


def test_veto_items(rs: RuleSet) -> None:
    """The 一票否决 block: the four confirmed vetoes (three answered by the county,
    social recognition computed) and the three from memory, attested and
    provisional."""
    items = _members(rs, "一票否决")
    assert all(i.veto for i in items)
    assert tuple(i.id for i in items) == (
        "考试招生",
        "违规择校",
        "重点校重点班",
        "认可度否决",
        *M_VETOES,
    )
    provisional = {i.id for i in items if i.provisional}
    assert provisional == set(M_VETOES)
    assert all("M" in (i.provisional or "") for i in items if i.id in M_VETOES)
    # no veto elsewhere
    others = [r for m in rs.members if m.id != "一票否决" for r in _walk_rules(m)]
    assert not any(r.veto for r in others)


def _walk_rules(m: Container | CheckedRule) -> list[CheckedRule]:
    if isinstance(m, CheckedRule):
        return [m, *m.parts]
    return [r for x in m.members for r in _walk_rules(x)]


def test_provisional_figures(rs: RuleSet) -> None:
    """Figures REFERENCE tags M or M+code are provisional, with a reason that
    says so; the confirmed ones (C) are not."""
    provisional = {
        "专用教室配班数",
        "音乐教室面积下限",
        "美术教室面积下限",
        "学校规模上限",
        "一贯制学校规模上限",
        "班额上限",
        "培训完成率标准",
        "持证比例标准",
        "就近入学比例标准",
        "优质高中名额分配比例下限",
        "培训经费比例下限",
        "质量监测等级下限",
        "质量监测差异率上限",
    }
    confirmed = {
        "小规模学校核定人数",
        "特教生均公用经费标准",
        "交流轮岗比例下限",
        "骨干教师交流比例下限",
        "随迁子女就读比例下限",
        "巩固率标准",
        "残疾儿童入学率标准",
        "认可度标准",
    }
    for name in provisional:
        reason = rs.values[name].provisional
        assert reason and "M" in reason, name
    for name in confirmed:
        assert rs.values[name].provisional is None, name
        assert rs.values[name].sources, name
    # The base quota is dated: 2016 confirmed (国发〔2015〕67号), 2017 on from memory.
    quota = rs.values["基准定额"].value
    assert isinstance(quota, DatedValue)
    periods = quota.periods
    assert periods[0].provisional is None and periods[1].provisional
    # Rules whose figure is confirmed but whose use as a 优质均衡 item, or
    # whose formula, is from memory.
    for rid in ("(六)", "(七)", "(十一)1", "(十一)2", "(十五)2", "质量一", "质量二"):
        rule = rs.find(rid)
        assert rule is not None and rule.provisional and "M" in rule.provisional, rid
    for rid in ("(八)1", "社会认可度调查", "认可度否决"):
        rule = rs.find(rid)
        assert rule is not None and rule.provisional is None, rid


def test_declared_field(rs: RuleSet) -> None:
    """教育质量 (四) reads one figure the model lacks, declared in the file."""
    assert rs.extra_field_kinds() == {"school": {"教师培训经费": "unit:元"}}


# ------------------------------------------------------------ certification


def test_a_county_meeting_everything_is_certified(rs: RuleSet) -> None:
    """Every block 达到 and no veto: the overall verdict is 达到."""
    report = run(rs, full_county())
    assert {s.id: s.outcome for s in report.sections} == dict.fromkeys(BLOCKS, MET)
    assert report.overall == MET
    assert not [r.id for r in report.items if r.headline not in (MET, NA)]
    assert report.warnings == ()


@pytest.mark.parametrize("veto", ATTESTED_VETOES)
def test_a_failing_veto_fails_the_whole_even_when_everything_else_passes(
    rs: RuleSet, veto: str
) -> None:
    """The county says a vetoing situation exists (未达到): the 一票否决 block
    names it and the overall verdict is 未达到, while the four assessment blocks
    all stay 达到."""
    report = run(rs, full_county(attestations=answers(**{veto: SelfStatus.NOT_MET})))
    for name in BLOCKS[:4]:
        assert section(report, name) == MET, name
    veto_block = next(s for s in report.sections if s.id == "一票否决")
    assert veto_block.outcome == NOT_MET
    assert veto_block.vetoed == (veto,)
    assert report.overall == NOT_MET


def test_social_recognition_below_85_percent_is_a_veto(rs: RuleSet) -> None:
    """849 of 1,000 satisfied (84.9 %): the 社会认可度 block fails, the computed
    veto fails, and so does the whole; 850 (85 % exactly) passes."""
    report = run(rs, full_county(survey_satisfied=849))
    assert report.item("社会认可度调查").headline == NOT_MET
    assert report.item("认可度否决").headline == NOT_MET
    assert report.item("认可度否决").value == "84.9%"
    assert next(s for s in report.sections if s.id == "一票否决").vetoed == ("认可度否决",)
    assert report.overall == NOT_MET
    ok = run(rs, full_county(survey_satisfied=850))
    assert ok.item("认可度否决").headline == MET
    assert ok.item("认可度否决").value == "85%"
    assert ok.overall == MET


def test_an_unanswered_veto_leaves_the_verdict_open(rs: RuleSet) -> None:
    """No 自评 for a veto item: 缺少数据, and the overall verdict is 缺少数据, never 达到."""
    words = tuple(a for a in answers() if a.item != "弄虚作假")
    report = run(rs, full_county(attestations=words))
    assert report.item("弄虚作假").headline == NO_DATA
    assert section(report, "一票否决") == NO_DATA
    assert report.overall == NO_DATA


def test_vetoes_from_memory_are_flagged_provisional_in_the_report(rs: RuleSet) -> None:
    """The three veto items REFERENCE tags M carry 暂定 in the report."""
    report = run(rs, full_county())
    for veto in M_VETOES:
        assert report.item(veto).provisional, veto


def test_a_veto_answered_not_applicable_blocks_nothing(rs: RuleSet) -> None:
    """A veto item the county answers 不适用 is 不适用 and the county is still certified."""
    report = run(rs, full_county(attestations=answers(考试招生=SelfStatus.NOT_APPLICABLE)))
    assert report.item("考试招生").headline == NA
    assert section(report, "一票否决") == MET
    assert report.overall == MET


def test_a_failing_block_fails_the_whole(rs: RuleSet) -> None:
    """One class of 46 in a 小学 fails (五), the 政府保障程度 block and the whole."""
    p1 = _primary_school("P1")
    assert p1.segments is not None
    bigger = attrs.evolve(p1.segments[0], classes=classes(*[45] * 11, 46))
    others = (_primary_school("P2"), _junior_school("J1"), _junior_school("J2"))
    county = full_county(schools=(attrs.evolve(p1, segments=(bigger,)), *others))
    report = run(rs, county)
    assert report.item("(五)").headline == NOT_MET
    assert section(report, "政府保障程度") == NOT_MET
    assert section(report, "一票否决") == MET
    assert report.overall == NOT_MET


# ------------------------------------------------------------ 政府保障程度 (四)


@pytest.mark.parametrize(
    ("kind", "segments", "part", "outcome"),
    [
        (SchoolKind.PRIMARY, [(PRIMARY, 2000)], "(四)1", MET),
        (SchoolKind.PRIMARY, [(PRIMARY, 2001)], "(四)1", NOT_MET),
        (SchoolKind.JUNIOR, [(JUNIOR, 2000)], "(四)1", MET),
        (SchoolKind.JUNIOR, [(JUNIOR, 2001)], "(四)1", NOT_MET),
        (SchoolKind.NINE_YEAR, [(PRIMARY, 1500), (JUNIOR, 1000)], "(四)2", MET),
        (SchoolKind.NINE_YEAR, [(PRIMARY, 1501), (JUNIOR, 1000)], "(四)2", NOT_MET),
    ],
)
def test_school_size_boundaries(
    rs: RuleSet,
    kind: SchoolKind,
    segments: list[tuple[Segment, int]],
    part: str,
    outcome: Outcome,
) -> None:
    """小学 and 初中 at most 2,000 students, 九年一贯制 at most 2,500: the limit
    itself is allowed (不超过), one more is not."""
    s = school("1", *(seg(sg, students=n) for sg, n in segments), kind=kind)
    report = run(rs, small(s))
    assert report.item(part).headline == outcome
    other = "(四)2" if part == "(四)1" else "(四)1"
    assert report.item(other).headline == NA
    assert report.item("(四)").headline == outcome


def test_one_through_school_size_counts_the_compulsory_part_only(rs: RuleSet) -> None:
    """A 十二年一贯制 school with 1,200 小学, 1,300 初中 and 900 高中 students: 3,400
    in all, but its compulsory part is 2,500, exactly the limit, so it meets (四);
    one more 初中 student fails it."""
    segs = (seg(PRIMARY, students=1200), seg(JUNIOR, students=1300), seg(SENIOR, students=900))
    report = run(rs, small(school("1", *segs, kind=SchoolKind.TWELVE_YEAR)))
    r = report.item("(四)2")
    assert r.headline == MET
    assert (r.value, r.threshold) == ("2500 人", "2500 人")
    assert report.item("(四)1").headline == NA
    segs = (seg(PRIMARY, students=1200), seg(JUNIOR, students=1301), seg(SENIOR, students=900))
    report = run(rs, small(school("1", *segs, kind=SchoolKind.TWELVE_YEAR)))
    assert report.item("(四)2").headline == NOT_MET
    assert report.item("(四)2").failing == ("S1",)


def test_school_size_not_applicable_and_no_data(rs: RuleSet) -> None:
    """A 完全中学 is neither kind (不适用, both parts); a school of unknown kind, or
    with a segment's students missing, is 缺少数据 naming the figure."""
    segs = (seg(JUNIOR, students=3000), seg(SENIOR, students=900))
    report = run(rs, small(school("1", *segs, kind=SchoolKind.COMPLETE_MIDDLE)))
    assert report.item("(四)").headline == NA
    unknown_kind = run(rs, small(school("1", seg(PRIMARY, students=100), kind=None)))
    r = unknown_kind.item("(四)1")
    assert r.headline == NO_DATA
    assert r.reason == "applicability unknown"
    assert "S1: 学校类型 missing" in r.missing
    no_students = run(rs, small(school("1", seg(PRIMARY), kind=SchoolKind.PRIMARY)))
    r = no_students.item("(四)1")
    assert r.headline == NO_DATA
    assert "S1 小学: 在校生数 missing" in r.missing


# ------------------------------------------------------------ 政府保障程度 (五)


@pytest.mark.parametrize(
    ("segment", "kind", "size", "outcome"),
    [
        (PRIMARY, SchoolKind.PRIMARY, 45, MET),
        (PRIMARY, SchoolKind.PRIMARY, 46, NOT_MET),
        (JUNIOR, SchoolKind.JUNIOR, 50, MET),
        (JUNIOR, SchoolKind.JUNIOR, 51, NOT_MET),
    ],
)
def test_class_size_boundaries(
    rs: RuleSet, segment: Segment, kind: SchoolKind, size: int, outcome: Outcome
) -> None:
    """Every 小学 class at most 45, every 初中 class at most 50."""
    s = school("1", seg(segment, students=size + 30, classes=classes(30, size)), kind=kind)
    r = run(rs, small(s)).item("(五)")
    assert r.headline == outcome
    assert r.threshold == ("45 人" if segment == PRIMARY else "50 人")
    if outcome == NOT_MET:
        assert r.failing == ("S1 小学 2班" if segment == PRIMARY else "S1 初中 2班",)


def test_class_size_ignores_senior_classes_and_reads_size_bands(rs: RuleSet) -> None:
    """A 完全中学's 高中 class of 60 is not judged; classes given as size bands are
    judged by band (41–45 meets the 小学 limit, 46–50 does not)."""
    s = school(
        "1",
        seg(JUNIOR, students=50, classes=classes(50)),
        seg(SENIOR, students=60, classes=classes(60)),
        kind=SchoolKind.COMPLETE_MIDDLE,
    )
    assert run(rs, small(s)).item("(五)").headline == MET
    band_ok = seg(PRIMARY, students=90, size_bands=(SizeBand(41, 45, count=Figure.exact(2)),))
    assert run(rs, small(school("1", band_ok))).item("(五)").headline == MET
    band_bad = seg(PRIMARY, students=90, size_bands=(SizeBand(46, 50, count=Figure.exact(2)),))
    assert run(rs, small(school("1", band_bad))).item("(五)").headline == NOT_MET


def test_class_size_without_classes_is_no_data(rs: RuleSet) -> None:
    """A segment with no class list (only a class count) leaves (五) 缺少数据."""
    r = run(rs, small(school("1", seg(PRIMARY, students=90, class_count=2)))).item("(五)")
    assert r.headline == NO_DATA
    assert "S1 小学: 班级 (classes) not given" in r.missing


# ------------------------------------------------------------ 政府保障程度 (三)


def _rooms_school(class_count: int | list[tuple[Segment, int]], **kw: Any) -> School:
    kw = {
        "music_rooms": 1,
        "music_room_min_area": 96,
        "art_rooms": 1,
        "art_room_min_area": 90,
        **kw,
    }
    counts = class_count if isinstance(class_count, list) else [(PRIMARY, class_count)]
    segs = [seg(sg, students=40 * n, class_count=n) for sg, n in counts]
    return school("1", *segs, **kw)


@pytest.mark.parametrize(
    ("count", "rooms", "outcome"),
    [(12, 1, MET), (13, 1, NOT_MET), (13, 2, MET), (24, 2, MET), (25, 2, NOT_MET)],
)
def test_one_music_and_one_art_room_per_12_classes_rounded_up(
    rs: RuleSet, count: int, rooms: int, outcome: Outcome
) -> None:
    """12 classes need 1 room of each kind, 13 need 2 (ceil), 24 need 2, 25 need 3."""
    report = run(rs, small(_rooms_school(count, music_rooms=rooms, art_rooms=rooms)))
    assert report.item("(三)1").headline == outcome
    assert report.item("(三)3").headline == outcome
    assert report.item("(三)").headline == outcome


@pytest.mark.parametrize(
    ("music", "art", "music_outcome", "art_outcome"),
    [
        ("96", "90", MET, MET),
        ("95.9", "90", NOT_MET, MET),
        ("96", "89.9", MET, NOT_MET),
    ],
)
def test_room_areas_96_for_music_90_for_art(
    rs: RuleSet, music: str, art: str, music_outcome: Outcome, art_outcome: Outcome
) -> None:
    """Each music room at least 96 ㎡, each art room at least 90 ㎡ (96/90 is
    music/art, not primary/junior: REFERENCE §9)."""
    s = _rooms_school(12, music_room_min_area=Decimal(music), art_room_min_area=Decimal(art))
    report = run(rs, small(s))
    assert report.item("(三)2").headline == music_outcome
    assert report.item("(三)4").headline == art_outcome
    assert report.item("(三)2").threshold == "96 平方米"
    assert report.item("(三)4").threshold == "90 平方米"


def test_rooms_count_the_compulsory_classes_only(rs: RuleSet) -> None:
    """A 十二年一贯制 school with 6 小学, 6 初中 and 6 高中 classes: 12 compulsory
    classes need 1 room (the 高中 classes are not counted); a 九年一贯制 school
    with 7 + 6 classes needs 2."""
    twelve = _rooms_school([(PRIMARY, 6), (JUNIOR, 6), (SENIOR, 6)], kind=SchoolKind.TWELVE_YEAR)
    assert run(rs, small(twelve)).item("(三)1").headline == MET
    nine = _rooms_school([(PRIMARY, 7), (JUNIOR, 6)], kind=SchoolKind.NINE_YEAR)
    assert run(rs, small(nine)).item("(三)1").headline == NOT_MET


def test_rooms_not_applicable_and_no_data(rs: RuleSet) -> None:
    """No music room at all: the count fails and the area is 不适用; an unknown
    class count is 缺少数据."""
    report = run(rs, small(_rooms_school(6, music_rooms=0, music_room_min_area=None)))
    assert report.item("(三)1").headline == NOT_MET
    assert report.item("(三)2").headline == NA
    s = school("1", seg(PRIMARY, students=100), music_rooms=1, art_rooms=1)
    r = run(rs, small(s)).item("(三)1")
    assert r.headline == NO_DATA
    assert "S1 小学: 班级数 missing" in r.missing


def test_room_count_is_shown_in_rooms(rs: RuleSet) -> None:
    """The rooms needed are shown in 间."""
    r = run(rs, small(_rooms_school(12))).item("(三)1")
    assert (r.value, r.threshold) == ("1 间", "1 间")


# ------------------------------------------------------------ 政府保障程度 (六)


@pytest.mark.parametrize(
    ("kind", "location", "students", "funds", "outcome"),
    [
        (SchoolKind.TEACHING_POINT, None, 30, 65000, MET),
        (SchoolKind.TEACHING_POINT, None, 30, 64999, NOT_MET),
        (SchoolKind.PRIMARY, Location.RURAL, 99, 65000, MET),
        (SchoolKind.PRIMARY, Location.RURAL, 99, 64999, NOT_MET),
        (SchoolKind.PRIMARY, Location.RURAL, 100, 1, NA),
        (SchoolKind.PRIMARY, Location.URBAN, 50, 1, NA),
    ],
)
def test_small_schools_funded_as_100_students(
    rs: RuleSet,
    kind: SchoolKind,
    location: Location | None,
    students: int,
    funds: int,
    outcome: Outcome,
) -> None:
    """A 教学点 or 村小学 under 100 students gets at least the quota (650 元 in
    2021) × 100: 65,000 元 meets it, 64,999 does not; a rural school of 100, or
    an urban one, is not such a school (不适用)."""
    s = school("1", seg(PRIMARY, students=students), kind=kind, location=location)
    s = attrs.evolve(s, public_funds=Figure.exact(funds))
    r = run(rs, small(s)).item("(六)")
    assert r.headline == outcome
    if outcome != NA:
        assert r.threshold == "65000 元"
        assert r.period == "2017-01-01–"


def test_small_school_funding_in_2016_depends_on_region(rs: RuleSet) -> None:
    """In 2016 the quota is by region: 西部 600 元 (60,000 for 100 students), 东部
    650; without the county's region it is 缺少数据."""
    s = school("1", seg(PRIMARY, students=30), kind=SchoolKind.TEACHING_POINT, public_funds=60000)
    day = datetime.date(2016, 9, 1)
    west = run(rs, small(s, as_of=day, region=Region.WEST)).item("(六)")
    assert (west.headline, west.threshold) == (MET, "60000 元")
    east = run(rs, small(s, as_of=day, region=Region.EAST)).item("(六)")
    assert (east.headline, east.threshold) == (NOT_MET, "65000 元")
    nowhere = run(rs, small(s, as_of=day)).item("(六)")
    assert nowhere.headline == NO_DATA
    assert "测试县 地区 (region class) not given" in nowhere.missing


# ------------------------------------------------- 政府保障程度 county items


@pytest.mark.parametrize(
    ("item", "figures", "outcome"),
    [
        ("(七)", {"special_ed_funds_per_student": 6000}, MET),
        ("(七)", {"special_ed_funds_per_student": "5999.99"}, NOT_MET),
        ("(七)", {}, NO_DATA),
        ("(八)1", {"teacher_pay_avg": 90000, "civil_servant_pay_avg": 90000}, MET),
        ("(八)1", {"teacher_pay_avg": 89999, "civil_servant_pay_avg": 90000}, NOT_MET),
        ("(八)1", {"teacher_pay_avg": 90000}, NO_DATA),
        ("(九)", {"training_completed": 130, "full_time_teachers": 130}, MET),
        ("(九)", {"training_completed": 129, "full_time_teachers": 130}, NOT_MET),
        ("(十一)1", {"rotation_eligible": 100, "rotated": 10}, MET),
        ("(十一)1", {"rotation_eligible": 100, "rotated": 9}, NOT_MET),
        ("(十一)1", {"rotation_eligible": 0, "rotated": 0}, NA),
        ("(十一)1", {"rotated": 10}, NO_DATA),
        ("(十一)2", {"rotated": 10, "rotated_backbone": 2}, MET),
        ("(十一)2", {"rotated": 10, "rotated_backbone": 1}, NOT_MET),
        ("(十四)1", {"quality_places_total": 1000, "quality_places_allocated": 500}, MET),
        ("(十四)1", {"quality_places_total": 1000, "quality_places_allocated": 499}, NOT_MET),
        ("(十五)2", {"migrant_children_eligible": 100, "migrant_children_public": 85}, MET),
        ("(十五)2", {"migrant_children_eligible": 100, "migrant_children_public": 84}, NOT_MET),
        ("(十五)2", {"migrant_children_eligible": 0, "migrant_children_public": 0}, NA),
    ],
)
def test_government_county_figures(
    rs: RuleSet, item: str, figures: dict[str, Any], outcome: Outcome
) -> None:
    """Special-education funds ≥ 6,000 元; teacher pay ≥ civil servants'; 360-hour
    training 100 %; rotation ≥ 10 % and backbone ≥ 20 % of those rotated;
    quality places ≥ 50 %; migrants ≥ 85 %: each at its boundary, with no data,
    and 不适用 where there is nobody to count."""
    assert run(rs, county_with(**figures)).item(item).headline == outcome


def test_certificates_are_judged_for_every_school_segment(rs: RuleSet) -> None:
    """(十二): every 专任教师 certified, school segment by school segment; the
    school short of one certificate is named."""
    a = school("1", seg(PRIMARY, students=100, full_time_teachers=8, certified_teachers=8))
    b = school("2", seg(PRIMARY, students=100, full_time_teachers=8, certified_teachers=7))
    r = run(rs, small(a, b)).item("(十二)")
    assert r.headline == NOT_MET
    assert r.failing == ("S2 小学",)
    assert run(rs, small(a)).item("(十二)").headline == MET
    c = school("3", seg(PRIMARY, students=100, full_time_teachers=8))
    assert run(rs, small(a, c)).item("(十二)").headline == NO_DATA


@pytest.mark.parametrize(
    ("primary", "junior", "outcome"),
    [
        ((100, 100), (100, 95), MET),
        ((100, 99), (100, 95), NOT_MET),
        ((100, 100), (100, 94), NOT_MET),
        ((0, 0), (100, 95), MET),
    ],
)
def test_nearby_enrolment_100_and_95_percent(
    rs: RuleSet, primary: tuple[int, int], junior: tuple[int, int], outcome: Outcome
) -> None:
    """(十三): 100 % for 小学, 95 % for 初中, each county segment on its own; a
    segment with no entrants to count is 不适用."""
    segs = (
        CountySegment(
            PRIMARY, **_figs({"nearby_eligible": primary[0], "nearby_enrolled": primary[1]})
        ),
        CountySegment(
            JUNIOR, **_figs({"nearby_eligible": junior[0], "nearby_enrolled": junior[1]})
        ),
    )
    r = run(rs, county_with(segments=segs)).item("(十三)")
    assert r.headline == outcome
    outcomes = {e.entity: e.outcome for e in r.entities}
    assert outcomes["测试县 小学"] == (
        NA if primary[0] == 0 else MET if primary[1] == 100 else NOT_MET
    )


def test_government_block_rolls_up_worst(rs: RuleSet) -> None:
    """An attested item the county does not answer leaves 政府保障程度 缺少数据;
    answered 未达到 it fails the block."""
    words = tuple(a for a in answers() if a.item != "(十)")
    assert section(run(rs, full_county(attestations=words)), "政府保障程度") == NO_DATA
    failed = run(rs, full_county(attestations=answers(**{"(十)": SelfStatus.NOT_MET})))
    assert section(failed, "政府保障程度") == NOT_MET
    assert failed.overall == NOT_MET


# ------------------------------------------------------------ 教育质量


def _cohort(**kw: Any) -> tuple[CountySegment, ...]:
    return county_segments(**kw)


@pytest.mark.parametrize(
    ("graduates", "outcome", "shown"),
    [(95, MET, "95%"), (94, NOT_MET, "94%")],
)
def test_retention_rate_95_percent(
    rs: RuleSet, graduates: int, outcome: Outcome, shown: str
) -> None:
    """巩固率 = (graduates − transferred in + transferred out) ÷ (entry − deaths):
    (95 − 5 + 5) ÷ (102 − 2) = 95 % exactly meets it; 94 graduates give 94 %."""
    r = run(rs, county_with(segments=_cohort(cohort_graduates=graduates))).item("质量一")
    assert r.headline == outcome
    assert (r.value, r.threshold) == (shown, "95%")
    assert "provisional" in r.flags


def test_retention_rate_no_data_and_not_applicable(rs: RuleSet) -> None:
    """A missing cohort figure is 缺少数据 naming it; a county with no 初中 schools
    has no 初中 巩固率 to judge (不适用)."""
    segs = tuple(
        attrs.evolve(s, cohort_deaths=None) if s.segment == JUNIOR else s for s in _cohort()
    )
    r = run(rs, county_with(segments=segs)).item("质量一")
    assert r.headline == NO_DATA
    assert "测试县 初中: 死亡学生数 missing" in r.missing
    no_junior = small(school("1", seg(PRIMARY, students=100)))
    assert run(rs, no_junior).item("质量一").headline == NA


@pytest.mark.parametrize(
    ("enrolled", "total", "outcome"),
    [(95, 100, MET), (94, 100, NOT_MET), (0, 0, NA), (None, 100, NO_DATA)],
)
def test_disabled_children_enrolment_95_percent(
    rs: RuleSet, enrolled: int | None, total: int, outcome: Outcome
) -> None:
    """残疾儿童少年入学率 at least 95 %; 不适用 with no school-age disabled children."""
    data = county_with(disabled_children=total, disabled_children_enrolled=enrolled)
    assert run(rs, data).item("质量二").headline == outcome


@pytest.mark.parametrize(
    ("level", "difference", "level_outcome", "difference_outcome"),
    [
        (3, "0.149", MET, MET),
        (2, "0.149", NOT_MET, MET),
        (4, "0.15", MET, NOT_MET),
        (None, None, NO_DATA, NO_DATA),
    ],
)
def test_naeq_level_three_and_difference_below_015(
    rs: RuleSet,
    level: int | None,
    difference: str | None,
    level_outcome: Outcome,
    difference_outcome: Outcome,
) -> None:
    """NAEQ: every subject at Ⅲ级 (3) or above, and the difference rate below
    0.15 (低于 is strict: 0.15 itself fails)."""
    report = run(rs, county_with(naeq_min_level=level, naeq_max_difference=difference))
    assert report.item("质量九_1").headline == level_outcome
    assert report.item("质量九_2").headline == difference_outcome
    assert report.item("质量九").headline == max(
        (level_outcome, difference_outcome), key=[MET, NO_DATA, NOT_MET].index
    )


def test_training_funds_five_percent_or_the_countys_word(rs: RuleSet) -> None:
    """(四) compares each school's 教师培训经费 (a declared field) with 5 % of its
    公用经费: 20,000 of 400,000 meets it exactly, 19,999 does not; without the
    figure the computation is 缺少数据 and the county's answer stands."""
    base = school("1", seg(PRIMARY, students=100), public_funds=400000)
    met = attrs.evolve(base, extra={"教师培训经费": Figure.exact(20000)})
    short = attrs.evolve(base, extra={"教师培训经费": Figure.exact(19999)})
    assert run(rs, small(met)).item("质量四").headline == MET
    assert run(rs, small(short)).item("质量四").headline == NOT_MET
    answered = small(base, attestations=(Attestation("质量四", SelfStatus.MET),))
    r = run(rs, answered).item("质量四")
    assert (r.computed, r.headline) == (NO_DATA, MET)


def test_qualitative_quality_items_take_the_countys_word(rs: RuleSet) -> None:
    """(三), (五)–(八) are answered by the county: its 自评 is the verdict, and
    without one the item is 缺少数据."""
    data = county_with(attestations=(Attestation("质量六", SelfStatus.NOT_MET),))
    report = run(rs, data)
    assert report.item("质量六").headline == NOT_MET
    assert report.item("质量六").computed is None
    assert report.item("质量七").headline == NO_DATA
    assert section(report, "教育质量") == NOT_MET


def test_quality_block_passes_with_everything_met(rs: RuleSet) -> None:
    """The full county's 教育质量 block is 达到; one quality figure short fails it."""
    assert section(run(rs, full_county()), "教育质量") == MET
    short = run(rs, full_county(disabled_children_enrolled=94))
    assert section(short, "教育质量") == NOT_MET


# ------------------------------------------------------------ 社会认可度


@pytest.mark.parametrize(
    ("satisfied", "respondents", "outcome"),
    [(850, 1000, MET), (849, 1000, NOT_MET), (None, 1000, NO_DATA), (0, 0, NO_DATA)],
)
def test_social_recognition_85_percent(
    rs: RuleSet, satisfied: int | None, respondents: int, outcome: Outcome
) -> None:
    """At least 85 % of respondents satisfied; no survey (0 respondents) is no
    data, never a verdict."""
    data = county_with(survey_satisfied=satisfied, survey_respondents=respondents)
    report = run(rs, data)
    assert report.item("社会认可度调查").headline == outcome
    assert section(report, "社会认可度") == outcome


# ------------------------------------------------------------ a YAML county


YAML = """
name: 示例县
as_of: 2021-06-30
schools_complete: true
schools:
  - id: "1"
    name: 第一小学
    kind: 小学
    public_funds: 400000
    教师培训经费: 20000
    music_rooms: 2
    music_room_min_area: 96
    art_rooms: 2
    art_room_min_area: 90
    segments:
      小学:
        students: 585
        class_count: 13
attestations:
  质量四: {status: 达到, evidence: "按5%列支"}
"""


def test_yaml_county_with_the_declared_field(rs: RuleSet) -> None:
    """A data file may carry 教师培训经费 once the rule set declares it; 13 classes
    with 2 rooms of each kind meet (三)."""
    loaded = load_county_text(YAML, extra_fields=rs.extra_field_kinds())
    assert loaded.problems == ()
    report = run(rs, loaded.county)
    r = report.item("质量四")
    assert (r.computed, r.headline, r.self_outcome) == (MET, MET, MET)
    assert report.item("(三)").headline == MET
    assert report.item("(四)1").headline == MET
    assert "provisional" in report.item("(四)1").flags
