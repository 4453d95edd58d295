"""Example tests of the checker (:mod:`eduint.checking.checker`) and of ``eduint lint``.

The exact wording of every message is pinned by the golden files
(``tests/test_checker_golden.py``); the tests here pin behaviour: which codes
at which positions, which names resolve to which fields, which units convert,
what a checked :class:`~eduint.checking.ruleset.RuleSet` exposes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from eduint.checking.checker import SETTINGS, check_text
from eduint.checking.ruleset import (
    CheckedRule,
    Comparison,
    Const,
    FieldRef,
    RuleSet,
    SourceRef,
)
from eduint.checking.schema import ScopeKind
from eduint.cli import main
from eduint.core.units import parse_unit
from eduint.errors import RuleCheckError

BUNDLED = Path(__file__).parent.parent / "rules" / "chengxiang-yitihua-2018.rules"

THREE_ERRORS = """\
rule 规模 "学校学段在校生数" {
  scope school segment
  require studnets >= 100 人
}

rule 仪器 "教学仪器设备值不低于教学用房面积" {
  scope school
  require 教学仪器设备值 >= 教学及辅助用房面积
}

rule 班额 "班额不超过45人" {
  scope county
  require 班额 <= 45 人
}
"""


def _errors(text: str, file: str = "t.rules") -> RuleCheckError:
    """Check ``text``, which must fail, and return the error."""
    with pytest.raises(RuleCheckError) as info:
        check_text(text, file=file)
    return info.value


def _rule(text: str, scope: str, require: str) -> CheckedRule:
    """Check a one-rule file and return the rule."""
    rs = check_text(f"rule r {{\n  scope {scope}\n  require {require}\n}}\n", file="t.rules")
    rule = rs.find("r")
    assert rule is not None
    return rule


def _require(scope: str, require: str) -> Comparison:
    """The checked requirement of a one-rule file (a comparison)."""
    rule = _rule("", scope, require)
    assert isinstance(rule.require, Comparison)
    return rule.require


def _codes(text: str) -> tuple[str, ...]:
    """The codes a failing text reports, in order."""
    return _errors(text).codes


# ---------------------------------------------------------------- every error at once


def test_three_errors_in_one_file_are_all_reported() -> None:
    """A misspelt field, a unit mismatch and a scope error: exactly E101, E201, E301,
    each at the start of its expression, sorted by position."""
    exc = _errors(THREE_ERRORS, file="three.rules")
    assert exc.codes == ("E101", "E201", "E301")
    where = [(d.span.line, d.span.column) for d in exc.diagnostics if d.span is not None]
    assert where == [(3, 11), (8, 11), (13, 11)]
    text = str(exc)
    for line, col in where:
        assert f"three.rules:{line}:{col}: error[" in text


def test_errors_from_different_passes_are_sorted() -> None:
    """Documents are checked before rules, but a duplicate document at the end of the
    file is reported after a rule error at its start."""
    text = (
        "rule r { scope county require 班额 <= 45 人 }\n"
        'document d "A" { number "1" }\n'
        'document d "B" { number "2" }\n'
    )
    exc = _errors(text)
    assert exc.codes == ("E301", "E104")
    assert [d.span.line for d in exc.diagnostics if d.span] == [1, 3]


def test_lint_reports_all_three_and_exits_2(tmp_path: Path) -> None:
    """``eduint lint`` prints every ``file:line:col`` and exits 2."""
    path = tmp_path / "three.rules"
    path.write_text(THREE_ERRORS, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 2, result.output
    for line, col in [(3, 11), (8, 11), (13, 11)]:
        assert f"{path}:{line}:{col}: error[" in result.stderr
    for code in ("E101", "E201", "E301"):
        assert f"error[{code}]" in result.stderr
    assert "did you mean 'students'" in result.stderr


def test_lint_clean_file_exits_0(tmp_path: Path) -> None:
    """A file that checks: exit 0 and an ``ok`` line on stdout, nothing on stderr."""
    path = tmp_path / "ok.rules"
    path.write_text('rule r "规模" {\n  scope county\n  require 在校生数 >= 1 人\n}\n')
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}: ok" in result.stdout
    assert result.stderr == ""


def test_lint_prints_warnings_but_exits_0(tmp_path: Path) -> None:
    """A W301 gap is printed on stderr; it does not fail the file."""
    path = tmp_path / "gap.rules"
    path.write_text(
        'value q "定额" = dated {\n'
        "  from 2016-01-01 until 2016-12-31: 600 元/人\n"
        "  from 2018-01-01: 650 元/人\n"
        "}\n"
        "rule r { scope county segment require 生均公用经费 >= q }\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}:3:3: warning[W301]" in result.stderr


def test_lint_bundled_rules_exits_0() -> None:
    """``eduint lint`` with no arguments checks the bundled rule files."""
    result = CliRunner().invoke(main, ["lint"])
    assert result.exit_code == 0, result.output
    assert "chengxiang-yitihua-2018.rules: ok" in result.stdout


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("english", "chinese", "threshold"),
    [
        ("students", "在校生数", "1 人"),
        ("full_time_teachers", "专任教师数", "1 人"),
        ("approved_posts", "核定编制", "1 人"),
        ("building_completion_rate", "校舍竣工率", "90%"),
    ],
)
def test_chinese_label_and_english_name_resolve_to_the_same_field(
    english: str, chinese: str, threshold: str
) -> None:
    """``students`` and ``在校生数`` are one field; so are ``county.students`` and ``县域.在校生数``."""
    fields = []
    for name in (english, chinese, f"county.{english}", f"县域.{chinese}"):
        left = _require("county", f"{name} >= {threshold}").left
        assert isinstance(left, FieldRef)
        fields.append(left.field)
    assert len(set(fields)) == 1
    assert fields[0].name == english and fields[0].label == chinese
    assert fields[0].scope is ScopeKind.COUNTY


def test_bare_name_resolves_in_the_rules_scope() -> None:
    """在校生数 is the segment's figure in a segment rule and the county's in a county rule."""
    seg = _require("school segment", "在校生数 >= 1 人").left
    county = _require("county", "在校生数 >= 1 人").left
    assert isinstance(seg, FieldRef) and isinstance(county, FieldRef)
    assert seg.field.scope is ScopeKind.SEGMENT
    assert county.field.scope is ScopeKind.COUNTY


def test_a_scope_above_is_read_when_the_name_is_not_below() -> None:
    """A class rule reads its segment's 在校生数 (the class has none, and nothing is below)."""
    left = _require("class", "在校生数 >= 1 人").left
    assert isinstance(left, FieldRef)
    assert left.field.scope is ScopeKind.SEGMENT


def test_school_rule_does_not_silently_read_the_county_teachers() -> None:
    """A school has no 专任教师数 of its own (its segments have): E301, not the county's
    figure.  The county's figure is still reachable as ``county.专任教师数``."""
    exc = _errors("rule r { scope school require 专任教师数 >= 2 人 }\n")
    assert exc.codes == ("E301",)
    assert "sum(专任教师数 over 学段)" in str(exc)
    left = _require("school", "county.专任教师数 >= 2 人").left
    assert isinstance(left, FieldRef) and left.field.scope is ScopeKind.COUNTY


def test_aggregate_over_schools_does_not_sum_the_county_figure() -> None:
    """``sum(专任教师数 over 学校)`` is an error (the schools' teachers are in their
    segments), not N times the county's 专任教师数."""
    exc = _errors("rule r { scope county require sum(专任教师数 over 学校) >= 1 人 }\n")
    assert exc.codes == ("E301",)
    ok = _require("county", "sum(专任教师数 over 学段) >= 1 人").left
    assert ok.type.unit == parse_unit("人")


def test_misspelt_names_get_a_suggestion() -> None:
    """English and Chinese misspellings both name the field they are closest to."""
    assert "did you mean 'students' (在校生数)?" in str(
        _errors("rule r { scope school segment require studnets >= 10 人 }\n")
    )
    assert "did you mean '专任教师数' (full_time_teachers)?" in str(
        _errors("rule r { scope school segment require 专任教师 >= 10 人 }\n")
    )


def test_unknown_document_in_the_header_is_reported() -> None:
    """A header ``source`` citing an undeclared document is E103 (it was once dropped)."""
    exc = _errors('ruleset x "t" {\n  source 国发\n}\nrule r { scope county report 在校生数 }\n')
    assert exc.codes == ("E103",)


def test_one_mistake_is_reported_once() -> None:
    """An unknown name inside arithmetic, a function or an aggregate gives one E101,
    not a unit error for every expression around it."""
    text = (
        "rule a { scope school segment require studnets * 2 >= 10 人 }\n"
        "rule b { scope school segment require ratio(studnets, 在校生数) >= 0.1 人/人 }\n"
        "rule c { scope county require sum(studnets over 学段) >= 10 人 }\n"
        "rule d { scope county require sum(班额 over 学段) >= 10 人 }\n"
        "rule e { scope county margin 学校类型 require 在校生数 >= 1 人 }\n"
    )
    assert _codes(text) == ("E101", "E101", "E101", "E301", "E301")


# ---------------------------------------------------------------- units


def test_wan_yuan_compares_with_yuan() -> None:
    """万元 converts to 元: a pay figure in 元 may be compared with 5 万元."""
    req = _require("county", "公务员平均工资 >= 5 万元")
    assert isinstance(req.right, Const)
    assert req.right.type.unit.same_dimension(parse_unit("元"))
    assert req.right.type.unit.scale == 10000


@pytest.mark.parametrize("written", ["平方米", "㎡", "m²", "m2", "亩"])
def test_area_units_compare_with_square_metres(written: str) -> None:
    """平方米, ㎡, m², m2 are one unit, and 亩 converts to it."""
    req = _require("school", f"教学及辅助用房面积 >= 100 {written}")
    assert req.right.type.unit.same_dimension(req.left.type.unit)


def test_area_per_student_in_square_metres_per_person() -> None:
    """A computed per-student area is 平方米/人 and compares with a threshold in ㎡/人."""
    req = _require("school segment", "教学及辅助用房面积 / 在校生数 >= 4.5 ㎡/人")
    assert req.left.type.unit.same_dimension(parse_unit("平方米/人"))


def test_money_against_area_is_refused() -> None:
    """元 and 平方米 do not compare: E201."""
    assert _codes("rule r { scope school require 教学仪器设备值 >= 教学及辅助用房面积 }\n") == (
        "E201",
    )


def test_per100_rate_against_per_student_ratio_is_refused() -> None:
    """4.2 人/百人 is not 0.042 人/人 to the checker: the per-100 hint is given."""
    exc = _errors(
        "rule r { scope school segment require per100(专任教师数, 在校生数) >= 0.042 人/人 }\n"
    )
    assert exc.codes == ("E201",)
    assert "per-100 rate" in (exc.diagnostics[0].hint or "")
    req = _require("school segment", "per100(专任教师数, 在校生数) >= 4.2 人/百人")
    assert req.left.type.unit.same_dimension(parse_unit("人/百人"))


def test_percent_threshold_on_a_percent_field() -> None:
    """``校舍竣工率 > 90%`` checks; ``> 90`` is E203 with the hint ``write 90%``."""
    req = _require("county", "校舍竣工率 > 90%")
    assert isinstance(req.right, Const) and req.right.value == Decimal("90")
    assert req.right.type.unit == parse_unit("%")
    exc = _errors("rule r { scope county require 校舍竣工率 > 90 }\n")
    assert exc.codes == ("E203",)
    assert exc.diagnostics[0].hint == "write 90%"


def test_percent_times_figure_keeps_the_figures_unit() -> None:
    """``10% * 符合交流条件教师数`` is in 人 and compares with 交流轮岗教师数."""
    req = _require("county", "交流轮岗教师数 >= 10% * 符合交流条件教师数")
    assert req.right.type.unit.same_dimension(parse_unit("人"))


def test_bare_threshold_on_counts_and_shares_needs_no_unit() -> None:
    """count, share and cv are bare numbers: ``count(...) >= 1`` is not E203."""
    _require("county", "count(over 学校 where 城乡分类 == 乡村) >= 1")
    _require("county", "share(班额 >= 56 人 over 班级) <= 0.05")
    _require("county", "cv(在校生数 over 学校) <= 0.5")


def test_threshold_without_unit_is_refused() -> None:
    """``专任教师数 >= 2`` is E203 (2 what?) but ``>= 0`` is fine."""
    assert _codes("rule r { scope school segment require 专任教师数 >= 2 }\n") == ("E203",)
    _require("school segment", "专任教师数 >= 0")


def test_per_hundred_only_as_denominator() -> None:
    """``5 百人`` is E204: 百人 only appears in per-100 rates such as 人/百人."""
    assert _codes("rule r { scope school segment require 在校生数 >= 5 百人 }\n") == ("E204",)
    assert _codes('field county.x: 百人 "x"\nrule r { scope county report 在校生数 }\n') == (
        "E204",
    )


# ---------------------------------------------------------------- dated values


def _dated(periods: str) -> str:
    return (
        f'value q "定额" = dated {{\n{periods}}}\n'
        "rule r { scope county segment require 生均公用经费 >= q }\n"
    )


def test_adjacent_periods_check_without_warning() -> None:
    """Until 2016-12-31 then from 2017-01-01: no gap, no overlap."""
    rs = check_text(
        _dated("  from 2016-01-01 until 2016-12-31: 600 元/人\n  from 2017-01-01: 650 元/人\n")
    )
    assert rs.warnings == ()


def test_overlapping_periods_are_an_error() -> None:
    """Two periods both in force in 2017: E305 on the later period."""
    exc = _errors(
        _dated("  from 2016-01-01 until 2017-06-30: 600 元/人\n  from 2017-01-01: 650 元/人\n")
    )
    assert exc.codes == ("E305",)
    assert exc.diagnostics[0].span is not None and exc.diagnostics[0].span.line == 3


def test_reversed_period_is_an_error() -> None:
    """A period that ends before it starts: E305."""
    assert _codes(_dated("  from 2017-01-01 until 2016-01-01: 600 元/人\n")) == ("E305",)


def test_gap_between_periods_is_a_warning() -> None:
    """Nothing in force in 2017: the file checks, with W301 on ``RuleSet.warnings``."""
    rs = check_text(
        _dated("  from 2016-01-01 until 2016-12-31: 600 元/人\n  from 2018-01-01: 650 元/人\n")
    )
    assert [w.code for w in rs.warnings] == ["W301"]  # type: ignore[attr-defined]
    assert "2017-01-01 to 2017-12-31" in rs.warnings[0].message  # type: ignore[attr-defined]


def test_periods_are_sorted() -> None:
    """Periods written out of order come out sorted by start."""
    rs = check_text(
        _dated("  from 2017-01-01: 650 元/人\n  from 2016-01-01 until 2016-12-31: 600 元/人\n")
    )
    periods = rs.values["q"].value.periods  # type: ignore[union-attr]
    assert [str(p.start) for p in periods] == ["2016-01-01", "2017-01-01"]


# ---------------------------------------------------------------- settings


def test_settings_defaults_are_present_with_provisional_markers() -> None:
    """Every setting has a value; defaults are marked not explicit, and those REFERENCE
    does not confirm nationally are provisional."""
    rs = check_text("rule r { scope county report 在校生数 }\n")
    assert set(rs.settings) == set(SETTINGS)
    assert all(not s.explicit for s in rs.settings.values())
    assert rs.settings["split_weights"].provisional
    assert rs.settings["teaching_points"].provisional
    precision = rs.settings["display_precision"]
    assert precision.provisional is None
    assert isinstance(precision.value, Const) and precision.value.value == 3
    assert all(s.sources for s in rs.settings.values())


def test_explicit_setting_replaces_the_default() -> None:
    """A setting given in the file is explicit and keeps its own provisional marker."""
    rs = check_text(
        'setting 显示精度 = 2 provisional "province to confirm"\n'
        "setting include_special = true\n"
        "rule r { scope county report 在校生数 }\n"
    )
    precision = rs.settings["display_precision"]
    assert precision.explicit
    assert isinstance(precision.value, Const) and precision.value.value == 2
    assert precision.provisional == "province to confirm"
    assert rs.settings["include_special"].explicit


# ---------------------------------------------------------------- extra fields


EXTRA = """\
field county.公办幼儿园数: 所 "公办幼儿园数" {
  label_en "public kindergartens"
}

rule 幼儿园 "县域至少有一所公办幼儿园" {
  scope county
  require 公办幼儿园数 >= 1 所
}
"""


def test_extra_field_checks_and_is_listed() -> None:
    """A field declared in the file is read like a model field and is listed in
    ``extra_fields`` and ``fields_read()``."""
    rs = check_text(EXTRA)
    (field,) = rs.extra_fields
    assert field.name == "公办幼儿园数" and field.extra
    assert field.scope is ScopeKind.COUNTY
    assert field.unit == parse_unit("所")
    assert field.label_en == "public kindergartens"
    assert field in rs.fields_read()
    rule = rs.find("幼儿园")
    assert rule is not None and isinstance(rule.require, Comparison)
    assert isinstance(rule.require.left, FieldRef) and rule.require.left.field == field


def test_extra_field_declared_twice_is_an_error() -> None:
    """The same extra field twice: E104 (the second used to replace the first silently)."""
    text = 'field county.a: 所 "甲"\nfield county.a: 人 "甲"\nrule r { scope county report a }\n'
    assert _codes(text) == ("E104",)


def test_extra_field_clashing_with_a_model_field_is_an_error() -> None:
    """By name (students) and by label (在校生数): E110 each."""
    text = (
        'field county.students: 人 "学生总数"\n'
        'field county.学前在园幼儿数: 人 "在校生数"\n'
        "rule r { scope county report 学前在园幼儿数 }\n"
    )
    assert _codes(text) == ("E110", "E110")


# ---------------------------------------------------------------- the rule set


def _bundled() -> RuleSet:
    return check_text(BUNDLED.read_text(encoding="utf-8"), file=str(BUNDLED))


def test_sources_cited_in_order_without_repeats() -> None:
    """The header's source first, then each rule's in file order, each once, with the
    document number resolved."""
    text = (
        'ruleset x "t" {\n  source d1\n}\n'
        'document d1 "文件一" { number "国发〔2016〕40号" }\n'
        'document d2 "文件二" { number "国发〔2015〕67号" }\n'
        'rule a { scope county report 在校生数 source d1 source d2 "第三条" }\n'
        'rule b { scope county report 在校生数 source d1 source "省定" }\n'
    )
    cited = check_text(text).sources_cited()
    assert cited == (
        SourceRef("d1", "国发〔2016〕40号", None),
        SourceRef("d2", "国发〔2015〕67号", "第三条"),
        SourceRef(None, None, "省定"),
    )
    assert [str(s) for s in cited] == ["国发〔2016〕40号", "国发〔2015〕67号 第三条", "省定"]


def test_bundled_sources_cited() -> None:
    """The bundled rule set cites 国发〔2016〕40号 first (its header), and its other documents."""
    cited = _bundled().sources_cited()
    assert str(cited[0]) == "国发〔2016〕40号"
    numbers = {s.number for s in cited}
    assert {"国发〔2016〕40号", "国发〔2015〕67号", "中央编办发〔2014〕72号"} <= numbers
    assert len(cited) == len(set(cited))


def test_bundled_fields_read() -> None:
    """The bundled rule set reads the staffing, funding, pay, rotation, 全面改薄 and
    class-size figures, and nothing at school level."""
    read = _bundled().fields_read()
    names = {f.name for f in read}
    assert {
        "approved_posts",
        "students",
        "public_funds_quota",
        "rotated",
        "rotation_eligible",
        "rotated_backbone",
        "building_completion_rate",
        "equipment_purchase_rate",
        "rural_teacher_pay",
        "town_teacher_pay_same_rank",
        "teacher_pay_avg",
        "civil_servant_pay_avg",
        "size",
    } <= names
    approved = {f.scope for f in read if f.name == "approved_posts"}
    assert approved == {ScopeKind.COUNTY_SEGMENT}
    assert {f.scope for f in read if f.name == "size"} == {ScopeKind.CLASS}
    assert ScopeKind.SCHOOL not in {f.scope for f in read}


def test_schema_does_not_depend_on_who_resolved_the_annotations_first() -> None:
    """Field kinds come from real types: after cattrs (or anyone) resolves the
    models' string annotations, 城乡分类 is still an enum field, not a number
    (a regression: 'eduint.data.models.Location' contains the letters 'int')."""
    import attrs

    from eduint.checking.schema import ScopeKind, build_schema
    from eduint.data import models

    for cls in (models.County, models.School, models.SchoolSegment, models.Class):
        attrs.resolve_types(cls)
    info = build_schema().lookup(ScopeKind.SCHOOL, "城乡分类")
    assert info is not None
    assert ("enum", models.Location) == (info.kind, info.enum)
    _require("county", "count(over 学校 where 城乡分类 == 乡村) >= 1")
