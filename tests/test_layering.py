"""Layering (issue 15): a rule file that ``extends`` another.

Parents are found through the resolver inside the rule roots; the child is checked on
the parent's documents, values and rules; overrides, relaxations and drops replace what
the parent has (rules, values whole, per key and per period, settings) and are recorded
with where they were written and what they cite; placeholders are replaced as their own
kind; relaxations lapse after ``until``; ``outcome(RULE)`` reads another rule's verdict;
values keyed by province and school kind find their key at run time.  The verdicts of the
strictness proof itself are tested with the proof (tests/test_layering_proof.py).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import eduint
from eduint._resources import resource_dir
from eduint.checking.changes import ChangeKind, Target
from eduint.checking.checker import check_text
from eduint.checking.layering import in_force
from eduint.checking.resolver import RuleResolver
from eduint.checking.ruleset import DatedValue, KeyedValue, RuleSet
from eduint.data.models import County, Figure, School, SchoolKind, SchoolSegment, Segment
from eduint.engine.evaluator import evaluate
from eduint.engine.results import Outcome
from eduint.errors import RuleCheckError

F = Figure.exact
DAY = datetime.date(2021, 6, 1)

PARENT = """\
ruleset 国家 "国家标准" {
  source 国家文件
}

document 国家文件 "国家文件" {
  number "教督〔2017〕6号"
}

value 班额上限 "班额上限" = by segment { 小学: 45 人, 初中: 50 人 } source 国家文件 "第五条"
value 定额 = dated {
  from 2016-01-01 until 2016-12-31: 600 元/人,
  from 2017-01-01: 650 元/人
} source 国家文件 "第九条"

block 国家 "国家指标" {
  rule 规模 "学校规模" {
    scope school
    require 在校生数 <= 2000 人
    source 国家文件 "第三条"
  }

  rule 学校标准 "达到办学基本标准" {
    scope school
    require 达到办学基本标准
    placeholder "各省替换"
  }

  rule 经费 {
    scope county segment [小学, 初中]
    require 生均公用经费 >= 定额
  }
}
"""


def _files(tmp_path: Path, child: str, parent: str = PARENT) -> Path:
    (tmp_path / "national.rules").write_text(parent, encoding="utf-8")
    path = tmp_path / "province.rules"
    path.write_text(child, encoding="utf-8")
    return path


def _resolver(*roots: Path) -> RuleResolver:
    return RuleResolver(resource_dir("rules"), roots)


def _check(tmp_path: Path, child: str, parent: str = PARENT) -> RuleSet:
    path = _files(tmp_path, child, parent)
    return check_text(
        path.read_text(encoding="utf-8"),
        file=str(path),
        resolver=_resolver(tmp_path),
        base=tmp_path,
    )


HEADER = 'ruleset 省 "省级细则" {\n  extends national\n}\n'
DOC = 'document 省文件 "省级文件" {\n  number "省教〔2020〕1号"\n}\n'


# ------------------------------------------------------------------ merging


def test_a_child_adds_rules_values_documents_and_knows_its_parent(tmp_path: Path) -> None:
    """The merged rule set has the parent's members then the child's; the child's rules
    may read the parent's values and cite the parent's documents; the parent is recorded
    with its file and digest."""
    rs = _check(
        tmp_path,
        HEADER
        + DOC
        + "value 省定 = 40 人\n"
        + "rule 省班额 {\n  scope class [小学]\n  require 班额 <= min(省定, 班额上限)\n"
        + '  source 国家文件 "第五条"\n}\n',
    )
    assert [r.id for r in rs.rules()] == ["规模", "学校标准", "经费", "省班额"]
    assert set(rs.documents) == {"国家文件", "省文件"}
    assert set(rs.values) == {"班额上限", "定额", "省定"}
    assert rs.lineage == ("省", "国家")
    (parent,) = rs.parents
    assert parent.file == str(tmp_path / "national.rules")
    assert parent.sha256 is not None and len(parent.sha256) == 64
    assert rs.changes == ()


def test_every_element_records_where_it_came_from(tmp_path: Path) -> None:
    """Origins: an inherited rule keeps the parent's file and line, the child's own rule
    has the child's, each citing its documents."""
    rs = _check(tmp_path, HEADER + "rule 省规则 {\n  require 在校生数 >= 0 人\n}\n")
    inherited, own = rs.find("规模"), rs.find("省规则")
    assert inherited is not None and own is not None
    assert inherited.origin is not None and own.origin is not None
    assert (inherited.origin.ruleset, inherited.origin.line) == ("国家", 16)
    assert inherited.origin.file.endswith("national.rules")
    assert [str(s) for s in inherited.origin.sources] == ["教督〔2017〕6号 第三条"]
    assert (own.origin.ruleset, own.origin.line) == ("省", 4)
    value = rs.values["班额上限"]
    assert value.origin is not None and value.origin.line == 9
    assert isinstance(value.value, KeyedValue)
    assert all(e.origin is not None and e.origin.line == 9 for e in value.value.entries)


def test_a_relaxed_rule_replaces_the_parents_and_is_recorded_with_its_citation(
    tmp_path: Path,
) -> None:
    """``relax LABEL { … } because DOC "article" until DATE``: the rule's requirement is
    the child's, its origin the child's line with the citation first; the change keeps
    both texts, the citation and the expiry."""
    rs = _check(
        tmp_path,
        HEADER
        + DOC
        + 'relax 规模 {\n  require 在校生数 <= 2400 人\n} because 省文件 "第四条" until 2025-12-31\n',
    )
    rule = rs.find("规模")
    assert rule is not None and rule.requirement_text == "在校生数 <= 2400 人"
    assert rule.sources and str(rule.sources[0]) == "教督〔2017〕6号 第三条"  # kept
    assert rule.origin is not None and rule.origin.ruleset == "省"
    assert str(rule.origin.sources[0]) == "省教〔2020〕1号 第四条"
    (change,) = rs.changes
    assert (change.kind, change.target, change.name) == (ChangeKind.RELAX, Target.RULE, "规模")
    assert change.old == "在校生数 <= 2000 人" and change.new == "在校生数 <= 2400 人"
    assert str(change.because) == "省教〔2020〕1号 第四条"
    assert change.until == datetime.date(2025, 12, 31)
    assert change.parent_origin is not None and change.parent_origin.ruleset == "国家"


def test_a_relaxation_lapses_after_until(tmp_path: Path) -> None:
    """After ``until`` the parent's rule applies again: a school of 2200 students meets
    the relaxed rule in 2021 and fails the national one in 2026."""
    rs = _check(
        tmp_path,
        HEADER
        + DOC
        + "relax 规模 {\n  require 在校生数 <= 2400 人\n} because 省文件 until 2025-12-31\n",
    )
    county = _county(School(id="1", name="甲校", segments=(_seg(students=F(2200)),)))
    assert _outcome(evaluate(rs, county, as_of=DAY), "规模") == Outcome.MET
    later = datetime.date(2026, 1, 1)
    assert _outcome(evaluate(rs, county, as_of=later), "规模") == Outcome.NOT_MET
    assert in_force(rs, later) is in_force(rs, later)  # compiled once per day set
    assert in_force(rs, DAY) is rs


def test_a_drop_leaves_the_rule_out_and_a_lapsed_drop_brings_it_back(tmp_path: Path) -> None:
    rs = _check(tmp_path, HEADER + DOC + 'drop 规模 because 省文件 "第二条" until 2022-12-31\n')
    assert rs.find("规模") is None
    (change,) = rs.changes
    assert (change.kind, change.verdict) == (ChangeKind.DROP, "looser")
    back = in_force(rs, datetime.date(2023, 1, 1))
    assert back.find("规模") is not None


def test_replacing_a_placeholder_is_its_own_kind(tmp_path: Path) -> None:
    """A parent's ``placeholder`` rule replaced by an override is neither stricter nor
    looser: no proof, no relax needed, recorded as a replaced placeholder."""
    rs = _check(
        tmp_path,
        HEADER
        + "override 学校标准 {\n  require at_least(2, [在校生数 <= 2000 人, 达到办学基本标准, "
        + "sum(专任教师数 over 学段) >= 1 人])\n}\n",
    )
    (change,) = rs.changes
    assert (change.kind, change.verdict) == (ChangeKind.PLACEHOLDER, "placeholder")
    rule = rs.find("学校标准")
    assert rule is not None and rule.placeholder is None
    parent_rule = change.previous
    assert getattr(parent_rule, "placeholder", None) == "各省替换"


def test_a_value_override_replaces_one_key_and_keeps_the_others(tmp_path: Path) -> None:
    """``relax value 班额上限.初中 = 55``: 初中 is the child's (bare number in the
    value's unit), 小学 the parent's; each entry records its origin."""
    rs = _check(tmp_path, HEADER + DOC + "relax value 班额上限.初中 = 55 because 省文件\n")
    v = rs.values["班额上限"].value
    assert isinstance(v, KeyedValue)
    by_key = {k: e for e in v.entries for k in e.keys}
    assert str(by_key["小学"].value.value) == "45"  # type: ignore[union-attr]
    assert str(by_key["初中"].value.value) == "55"  # type: ignore[union-attr]
    assert str(by_key["初中"].value.type.unit) == "人"
    assert by_key["小学"].origin is not None and by_key["小学"].origin.ruleset == "国家"
    assert by_key["初中"].origin is not None and by_key["初中"].origin.ruleset == "省"
    (change,) = rs.changes
    assert (change.where, change.old, change.new) == ("班额上限.初中", "50 人", "55 人")


def test_a_period_override_cuts_the_parents_periods(tmp_path: Path) -> None:
    """``from 2017-01-01 until 2018-12-31``: the parent's periods are cut at its edges;
    the new value is in force within it, the parent's before and after."""
    rs = _check(
        tmp_path,
        HEADER
        + DOC
        + "relax value 定额 from 2017-01-01 until 2018-12-31 = 620 元/人 because 省文件\n",
    )
    v = rs.values["定额"].value
    assert isinstance(v, DatedValue)
    spans = [(p.start, p.end, str(p.value.value)) for p in v.periods]  # type: ignore[union-attr]
    d = datetime.date
    assert spans == [
        (d(2016, 1, 1), d(2016, 12, 31), "600"),
        (d(2017, 1, 1), d(2018, 12, 31), "620"),
        (d(2019, 1, 1), None, "650"),
    ]


def test_a_value_relaxation_with_until_ends_as_a_period(tmp_path: Path) -> None:
    """A relaxed value lapses as a period of the value: the parent's applies after it."""
    rs = _check(
        tmp_path, HEADER + DOC + "relax value 班额上限.小学 = 50 because 省文件 until 2023-08-31\n"
    )
    v = rs.values["班额上限"].value
    assert isinstance(v, DatedValue)
    assert [(p.start, p.end) for p in v.periods] == [
        (None, datetime.date(2023, 8, 31)),
        (datetime.date(2023, 9, 1), None),
    ]


def test_override_of_a_setting_in_its_stricter_direction_passes(tmp_path: Path) -> None:
    """subtract_indoor_sports is stricter when true: a child turning it on needs no
    relax (the proof of settings follows the registry's direction)."""
    parent = PARENT.replace("block 国家", "setting subtract_indoor_sports = false\n\nblock 国家")
    rs = _check(tmp_path, HEADER + "override setting subtract_indoor_sports = true\n", parent)
    (change,) = rs.changes
    assert (change.kind, change.verdict) == (ChangeKind.OVERRIDE, "stricter")
    assert rs.settings["subtract_indoor_sports"].origin is not None


def test_a_child_may_not_redeclare_what_the_parent_has(tmp_path: Path) -> None:
    with pytest.raises(RuleCheckError) as exc:
        _check(tmp_path, HEADER + "value 班额上限 = 40 人\nrule 规模 {\n  require true\n}\n")
    assert exc.value.codes == ("E104", "E104")


def test_an_error_in_the_parent_names_the_parent_file(tmp_path: Path) -> None:
    with pytest.raises(RuleCheckError) as exc:
        _check(tmp_path, HEADER, PARENT.replace("在校生数 <= 2000 人", "在校生 <= 2000 人"))
    (d,) = exc.value.diagnostics
    assert d.code == "E101" and d.span is not None and d.span.file.endswith("national.rules")
    assert "在校生 <= 2000 人" in str(exc.value)  # rendered with the parent's source line


# ------------------------------------------------------------------ finding parents


def test_a_parent_is_found_by_bundled_id_or_stem(tmp_path: Path) -> None:
    for name in ("youzhi_junheng_2017_resource", '"youzhi-junheng-2017-resource"'):
        path = tmp_path / "p.rules"
        path.write_text(f"ruleset 省 {{\n  extends {name}\n}}\n", encoding="utf-8")
        rs = check_text(path.read_text(), file=str(path), resolver=_resolver(tmp_path))
        assert rs.parents[0].id == "youzhi_junheng_2017_resource"
        assert rs.parents[0].file == "bundled:youzhi-junheng-2017-resource.rules"
        assert len(list(rs.rules())) == 8


def test_load_ruleset_checks_a_child_with_its_resolver(tmp_path: Path) -> None:
    path = _files(tmp_path, HEADER)
    rs = eduint.load_ruleset(path, resolver=_resolver(tmp_path))
    assert rs.lineage == ("省", "国家")


def test_parents_outside_the_roots_are_never_read(tmp_path: Path) -> None:
    """A path that leads out of the rule roots is E314 even when the file exists; the
    default roots are the directory of the file first checked."""
    outside = tmp_path / "outside.rules"
    outside.write_text(PARENT, encoding="utf-8")
    inner = tmp_path / "province"
    inner.mkdir()
    child = inner / "p.rules"
    child.write_text('ruleset 省 {\n  extends "../outside.rules"\n}\n', encoding="utf-8")
    with pytest.raises(RuleCheckError) as exc:
        check_text(child.read_text(), file=str(child))
    assert exc.value.codes == ("E314",)
    ok = check_text(child.read_text(), file=str(child), resolver=_resolver(tmp_path))
    assert ok.parents[0].id == "国家"


def test_a_chain_of_three_files_and_a_cycle(tmp_path: Path) -> None:
    """A provincial file may extend a file that extends the national one; files that
    extend each other are E312, naming the cycle."""
    (tmp_path / "a.rules").write_text('ruleset 甲 {\n  extends "b.rules"\n}\n', encoding="utf-8")
    (tmp_path / "b.rules").write_text("ruleset 乙 {\n  extends national\n}\n", encoding="utf-8")
    (tmp_path / "national.rules").write_text(PARENT, encoding="utf-8")
    rs = eduint.load_ruleset(tmp_path / "a.rules", resolver=_resolver(tmp_path))
    assert rs.lineage == ("甲", "乙", "国家")
    (tmp_path / "b.rules").write_text('ruleset 乙 {\n  extends "a.rules"\n}\n', encoding="utf-8")
    with pytest.raises(RuleCheckError) as exc:
        eduint.load_ruleset(tmp_path / "a.rules", resolver=_resolver(tmp_path))
    assert exc.value.codes == ("E312",)
    assert "a.rules → b.rules → a.rules" in str(exc.value)


# ------------------------------------------------------------------ engine


def _county(*schools: School, **kw: object) -> County:
    return County(name="测试县", as_of=DAY, schools=schools, schools_complete=True, **kw)  # type: ignore[arg-type]


def _seg(segment: Segment = Segment.PRIMARY, **kw: object) -> SchoolSegment:
    return SchoolSegment(segment, **kw)  # type: ignore[arg-type]


def _outcome(report: object, rule_id: str) -> Outcome | None:
    item = next(i for i in report.items if i.id == rule_id)  # type: ignore[attr-defined]
    return item.computed  # type: ignore[no-any-return]


OUTCOMES = """\
rule 规模 {
  scope school
  require 在校生数 <= 2000 人
}

rule 综合 {
  scope school
  require outcome(规模) == 达到 and 专任教师数 >= 1 人
}

rule 县 {
  require share(outcome(规模) == 达到 over 学校) >= 50%
}
"""


def test_outcome_reads_another_rules_verdict_for_the_same_entity() -> None:
    """``outcome(规模)`` is the rule's verdict for each school; inside an aggregate, for
    each school aggregated; a school whose figure is missing is 缺少数据 there too."""
    rs = check_text(OUTCOMES.replace("专任教师数 >= 1 人", "true"))
    county = _county(
        School(id="1", name="甲校", segments=(_seg(students=F(2500)),)),
        School(id="2", name="乙校", segments=(_seg(students=F(900)),)),
    )
    report = evaluate(rs, county)
    assert _outcome(report, "综合") == Outcome.NOT_MET
    assert _outcome(report, "县") == Outcome.MET
    missing = _county(School(id="1", name="甲校", segments=(_seg(),)))
    assert _outcome(evaluate(rs, missing), "综合") == Outcome.NO_DATA


def test_values_keyed_by_province_and_school_kind() -> None:
    """A value keyed by province reads the county's province, full names too (广东省);
    one keyed by school kind reads each school's kind; an entity whose key no entry
    covers is 缺少数据, never a default."""
    rs = check_text(
        "value 上限 = by province { 广东: 2400 人, 河北: 2000 人 }\n"
        "value 类型上限 = by school_kind { 九年一贯制: 2500 人, 小学: 2000 人 }\n"
        "rule 省规模 {\n  scope school\n  require 在校生数 <= 上限\n}\n"
        "rule 类型规模 {\n  scope school\n  require 在校生数 <= 类型上限\n}\n"
    )
    school = School(
        id="1", name="甲校", kind=SchoolKind.NINE_YEAR, segments=(_seg(students=F(2300)),)
    )
    gd = evaluate(rs, _county(school, province="广东省"))
    assert _outcome(gd, "省规模") == Outcome.MET
    assert _outcome(gd, "类型规模") == Outcome.MET
    hb = evaluate(rs, _county(school, province="河北"))
    assert _outcome(hb, "省规模") == Outcome.NOT_MET
    other = evaluate(rs, _county(school, province="四川省"))
    assert _outcome(other, "省规模") == Outcome.NO_DATA
    junior = School(id="2", name="乙校", kind=SchoolKind.JUNIOR, segments=(_seg(students=F(10)),))
    assert _outcome(evaluate(rs, _county(junior, province="河北")), "类型规模") == Outcome.NO_DATA


def test_an_unknown_province_key_is_e106() -> None:
    with pytest.raises(RuleCheckError) as exc:
        check_text("value 上限 = by province { 广东省: 2400 人 }")
    assert exc.value.codes == ("E106",)


# ------------------------------------------------------------------ eduint rules show


def _cli(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from eduint import cli

    result = CliRunner().invoke(cli.main, list(args), prog_name="eduint")
    return result.exit_code, result.output


def test_rules_show_lists_what_a_child_can_override() -> None:
    """Sections, rules with their scope, values with keys and periods, settings with
    their strictness direction, each with its citation; in Chinese or English."""
    code, out = _cli("rules", "show", "youzhi-junheng-2017")
    assert code == 0, out
    assert out.startswith("youzhi_junheng_2017  县域义务教育优质均衡发展督导评估")
    for heading in (
        "部分与板块",
        "条目、分项与规则",
        "取值（override value",
        "设置（override setting",
    ):
        assert heading in out
    row = next(line for line in out.splitlines() if line.startswith("基准定额 "))
    assert "东部.小学, 东部.初中" in row and "2016-01-01–2016-12-31; 2017-01-01–" in row
    setting = next(line for line in out.splitlines() if line.startswith("subtract_indoor_sports"))
    assert "true 更严" in setting
    code, en = _cli("rules", "show", "youzhi_junheng_2017", "--lang", "en")
    assert code == 0 and "Settings (override setting NAME = …)" in en
    assert "true is stricter" in en


def test_rules_show_of_a_child_names_the_file_that_set_each_part(tmp_path: Path) -> None:
    path = _files(tmp_path, HEADER + DOC + "relax value 班额上限.初中 = 55 because 省文件\n")
    (tmp_path / "national.rules").write_text(PARENT, encoding="utf-8")
    code, out = _cli("rules", "show", str(path))
    assert code == 0, out
    assert "extends 国家 (" in out
    row = next(line for line in out.splitlines() if line.startswith("班额上限 "))
    assert f"初中: {path}:7" in row


def test_rules_show_of_an_unknown_name_fails_with_a_suggestion() -> None:
    code, out = _cli("rules", "show", "youzhi-junheng-2071")
    assert code == 2 and "youzhi-junheng-2017" in out


def test_rules_without_a_subcommand_still_lists_the_bundled_rule_sets() -> None:
    code, out = _cli("rules")
    assert code == 0 and "youzhi_junheng_2017_resource" in out


# ------------------------------------------------------------------ compatibility


@pytest.mark.parametrize("example", ["baoshan-2018.yaml", "synthetic-county-2019.yaml"])
@pytest.mark.parametrize(
    "stem",
    [
        "chengxiang-yitihua-2018",
        "jiben-junheng-2012",
        "youzhi-junheng-2017",
        "youzhi-junheng-2017-resource",
    ],
)
def test_a_child_that_changes_nothing_gives_its_parents_verdicts(
    tmp_path: Path, stem: str, example: str
) -> None:
    """Every bundled rule set, extended by a file that changes nothing, gives the same
    verdict for every item, part and rule (自评 included: answers to the parent serve the
    items the child inherits) and the same overall verdict, on the bundled examples."""
    parent = eduint.load_ruleset(stem)
    path = tmp_path / "child.rules"
    path.write_text(f'ruleset 子 "子" {{\n  extends "{stem}"\n}}\n', encoding="utf-8")
    child = eduint.load_ruleset(path)
    assert child.parents[0].id == parent.id and child.changes == ()
    loaded = eduint.load_county(
        resource_dir("examples") / example, extra_fields=parent.extra_field_kinds()
    )
    day = datetime.date(2019, 12, 31)
    a = evaluate(parent, loaded.county, as_of=day)
    b = evaluate(child, loaded.county, as_of=day)
    assert a.overall == b.overall
    rows = [(i.id, i.computed, i.headline, i.self_status) for i in a.items]
    assert rows == [(i.id, i.computed, i.headline, i.self_status) for i in b.items]


def test_a_dropped_rule_cannot_be_changed_too(tmp_path: Path) -> None:
    with pytest.raises(RuleCheckError) as exc:
        _check(
            tmp_path,
            HEADER + DOC + "drop 国家 because 省文件\n"
            "relax 规模 {\n  require 在校生数 <= 2400 人\n} because 省文件\n",
        )
    assert exc.value.codes == ("E319",)
    assert "was dropped" in str(exc.value)


def test_a_child_cannot_redeclare_a_parents_field(tmp_path: Path) -> None:
    parent = PARENT.replace(
        "block 国家", 'field school.图书室面积: 平方米 "图书室面积"\n\nblock 国家'
    )
    with pytest.raises(RuleCheckError) as exc:
        _check(tmp_path, HEADER + 'field school.图书室面积: 平方米 "图书室"\n', parent)
    assert exc.value.codes == ("E104",)
    rs = _check(
        tmp_path,
        HEADER + "rule 图书 {\n  scope school\n  require 图书室面积 >= 60 平方米\n}\n",
        parent,
    )
    assert rs.extra_field_kinds() == {"school": {"图书室面积": "unit:平方米"}}


def test_a_whole_override_keeps_nested_keys(tmp_path: Path) -> None:
    """A value keyed by region then segment, replaced whole, must keep every key at every
    level (E316 names the path of a lost one)."""
    parent = PARENT.replace(
        "block 国家",
        "value 公用 = by region {\n  东部: by segment { 小学: 650 元/人, 初中: 850 元/人 },\n"
        "  中部, 西部: by segment { 小学: 600 元/人, 初中: 800 元/人 }\n}\n\nblock 国家",
    )
    with pytest.raises(RuleCheckError) as exc:
        _check(
            tmp_path,
            HEADER + DOC + "relax value 公用 = by region {\n"
            "  东部: by segment { 小学: 700 元/人 },\n  中部, 西部: 800 元/人\n} because 省文件\n",
            parent,
        )
    assert exc.value.codes == ("E316",)
    assert "东部.初中" in str(exc.value)


def test_set_by_names_the_files_that_set_a_rules_thresholds(tmp_path: Path) -> None:
    """A rule the child leaves alone but whose value it relaxes for one key was set by
    both files (the national first); one it does not touch by the national file only; in a
    rule set that extends nothing, by no file in particular."""
    from eduint.checking.layering import set_by

    child = (
        HEADER
        + DOC
        + "relax value 定额 from 2020-01-01 = 620 元/人 because 省文件\n"
        + "rule 省规模 {\n  scope school\n  require 在校生数 <= 1800 人\n}\n"
    )
    rs = _check(tmp_path, child)
    fee, size, own = rs.find("经费"), rs.find("规模"), rs.find("省规模")
    assert fee is not None and size is not None and own is not None
    assert [o.ruleset for o in set_by(rs, fee)] == ["国家", "省"]
    assert [o.ruleset for o in set_by(rs, size)] == ["国家"]
    assert [o.ruleset for o in set_by(rs, own)] == ["省"]
    plain = check_text(PARENT)
    rule = plain.find("经费")
    assert rule is not None and set_by(plain, rule) == ()


def test_checking_a_child_on_its_own_says_its_parent_was_not_resolved() -> None:
    """``check(tree)`` (the pure checker, which reads no file) of a file that extends
    another is E306; ``check_text`` and ``load_ruleset`` resolve the parent."""
    from eduint.checking.checker import check
    from eduint.language.parser import parse

    with pytest.raises(RuleCheckError) as exc:
        check(parse("ruleset 省 {\n  extends youzhi_junheng_2017\n}\n"))
    assert exc.value.codes == ("E306",)


def test_answers_to_ancestors_are_not_another_rule_sets() -> None:
    """Answers naming a rule set's ancestors are neither its own nor foreign: they are
    given with how far up their rule set is."""
    from eduint.data.answers import ancestor_answers, split_answers
    from eduint.data.models import Attestation, SelfStatus

    answers = (
        Attestation("1", SelfStatus.MET, ruleset="省"),
        Attestation("2", SelfStatus.MET, ruleset="youzhi_junheng_2017"),
        Attestation("3", SelfStatus.MET, ruleset="youzhi-junheng-2017"),
        Attestation("4", SelfStatus.MET, ruleset="jiben_junheng_2012"),
        Attestation("5", SelfStatus.MET),
    )
    ancestors = [("youzhi_junheng_2017", "youzhi-junheng-2017")]
    own, foreign = split_answers(answers, ruleset_id="省", ancestors=ancestors)
    assert [a.item for a in own] == ["1", "5"]
    assert foreign == (("jiben_junheng_2012", 1),)
    assert [(i, a.item) for i, a in ancestor_answers(answers, ancestors)] == [(1, "2"), (1, "3")]


def test_answers_to_the_parent_serve_what_the_child_inherits_unchanged(tmp_path: Path) -> None:
    """An answer (自评) to the national rule set serves an item the provincial file
    inherits unchanged; an item the file relaxes needs an answer to the provincial rule
    set, and gets none from the national one."""
    from eduint.data.models import Attestation, SelfStatus

    rs = _check(
        tmp_path,
        HEADER + DOC + "relax 规模 {\n  require 在校生数 <= 2400 人\n} because 省文件\n",
    )
    school = School(id="1", name="甲校", segments=(_seg(students=F(100)),))
    answers = (
        Attestation("规模", SelfStatus.MET, ruleset="国家"),
        Attestation("学校标准", SelfStatus.NOT_MET, ruleset="national"),
    )
    report = evaluate(rs, _county(school, attestations=answers))
    assert report.item("学校标准").self_status is SelfStatus.NOT_MET  # by the file's stem
    assert report.item("规模").self_status is None
    own = (*answers, Attestation("规模", SelfStatus.BASICALLY_MET, ruleset="省"))
    report = evaluate(rs, _county(school, attestations=own))
    assert report.item("规模").self_status is SelfStatus.BASICALLY_MET


def test_the_report_lists_parents_changes_and_who_set_each_threshold(tmp_path: Path) -> None:
    """The v2 report of a child rule set: the rule sets it extends; every change with its
    kind, verdict, citation and expiry (lapsed once the date is past); for each item, the
    files that set its requirement and thresholds, the national first."""
    rs = _check(
        tmp_path,
        HEADER
        + DOC
        + 'relax value 定额 from 2020-01-01 = 620 元/人 because 省文件 "第九条"\n'
        + "relax 规模 {\n  require 在校生数 <= 2400 人\n} because 省文件 until 2022-12-31\n"
        + "override 学校标准 {\n  require 达到办学基本标准 and 在校生数 <= 3000 人\n}\n",
    )
    school = School(id="1", name="甲校", segments=(_seg(students=F(100)),))
    report = evaluate(rs, _county(school))
    assert [(p.id, p.file) for p in report.extends] == [("国家", str(tmp_path / "national.rules"))]
    rows = [
        (c.kind, c.name, c.verdict, str(c.because or ""), c.until, c.lapsed) for c in report.changes
    ]
    assert rows == [
        ("relax", "定额", "looser", "省教〔2020〕1号 第九条", None, False),
        ("relax", "规模", "looser", "省教〔2020〕1号", datetime.date(2022, 12, 31), False),
        ("placeholder", "学校标准", "placeholder", "", None, False),
    ]
    assert report.changes[0].period is not None and report.changes[0].period.start == datetime.date(
        2020, 1, 1
    )
    assert [o.ruleset for o in report.item("经费").set_by] == ["国家", "省"]
    assert [o.ruleset for o in report.item("规模").set_by] == ["省"]
    later = evaluate(rs, _county(school), as_of=datetime.date(2023, 1, 1))
    assert [c.lapsed for c in later.changes] == [False, True, False]
    assert [o.ruleset for o in later.item("规模").set_by] == ["国家"]
    plain = evaluate(check_text(PARENT), _county(school))
    assert plain.extends == () and plain.changes == () and plain.item("经费").set_by == ()


def test_a_run_records_the_files_its_rule_set_extends(tmp_path: Path) -> None:

    path = _files(tmp_path, HEADER)
    result = eduint.run(path, _county(School(id="1", name="甲校", segments=(_seg(students=F(1)),))))
    (parent,) = result.provenance.parents
    assert parent[0] == str(tmp_path / "national.rules") and parent[1] is not None
    assert len(parent[1]) == 64


def test_a_lapsed_setting_relaxation_restores_the_parents_setting(tmp_path: Path) -> None:
    parent = PARENT.replace("block 国家", "setting subtract_indoor_sports = true\n\nblock 国家")
    rs = _check(
        tmp_path,
        HEADER
        + DOC
        + "relax setting subtract_indoor_sports = false because 省文件 until 2020-12-31\n",
        parent,
    )
    assert rs.settings["subtract_indoor_sports"].value.value is False  # type: ignore[union-attr]
    back = in_force(rs, datetime.date(2021, 1, 1))
    assert back.settings["subtract_indoor_sports"].value.value is True  # type: ignore[union-attr]


def test_set_by_is_cached_per_rule_set_and_forgotten_with_it() -> None:
    """``set_by`` walks a rule's values once per rule set (the engine asks on every run);
    the cache gives the walk's answer and is dropped when the rule set is collected."""
    import gc

    from eduint.checking import layering

    rs = eduint.load_ruleset("guangdong_youzhi_2017")
    rules = list(rs.rules())
    first = [layering.set_by(rs, r) for r in rules]
    assert first == [layering._set_by(rs, r) for r in rules]
    assert any(first)  # a provincial file sets some requirement or threshold
    assert [layering.set_by(rs, r) for r in rules] == first
    key = id(rs)
    assert key in layering._SET_BY
    del rs, rules
    gc.collect()
    assert key not in layering._SET_BY
