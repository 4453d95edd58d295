"""The strictness proof (issue 15): ``eduint.checking.proof`` and ``eduint lint --strictness``.

Until ``extends`` lands, a child is a second rule file with the same ids: an edited copy
of ``rules/youzhi-junheng-2017-resource.rules`` (the "Done means" of the issue), or of
``tests/golden/strictness/parent.rules`` (a keyed value, a dated value, a setting).  The
``lint --strictness`` output is compared with ``tests/golden/strictness/*.txt``
(``pytest --update-golden`` rewrites them; review the diff like code).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import eduint
from eduint import cli
from eduint._resources import bundled_rule_files
from eduint.checking import proof as P
from eduint.checking._proof_formula import Point, Registry, translate_rule
from eduint.checking._proof_search import Searcher
from eduint.checking.proof import Verdict, prove_rule, prove_ruleset, prove_setting, prove_value
from eduint.checking.ruleset import Const, KeyedEntryValue, KeyedValue, RuleSet
from eduint.checking.schema import ScopeKind
from eduint.engine.results import Outcome
from eduint.engine.verify import outcome_of, verifier

GOLDEN = Path(__file__).parent / "golden" / "strictness"
RESOURCE = next(p for p in bundled_rule_files() if p.stem == "youzhi-junheng-2017-resource")
RESOURCE_TEXT = RESOURCE.read_text(encoding="utf-8")
CV_RULE = "require cv(per100(高于规定学历教师数, 在校生数) over 学段) <= 差异系数上限"
INDICATORS = (
    "高学历教师标准",
    "骨干教师标准",
    "体艺教师标准",
    "教学用房标准",
    "体育场馆标准",
    "仪器设备标准",
    "多媒体教室标准",
)


def _edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


def _check(text: str, name: str = "child.rules") -> RuleSet:
    return eduint.check_text(text, file=name)


@pytest.fixture(scope="module")
def resource() -> RuleSet:
    """The national 2017 resource block, checked."""
    return _check(RESOURCE_TEXT, "parent.rules")


@pytest.fixture(scope="module")
def small() -> RuleSet:
    """tests/golden/strictness/parent.rules, checked."""
    return _check((GOLDEN / "parent.rules").read_text(encoding="utf-8"), "parent.rules")


def _scaled_values(text: str, factor: Decimal, names: tuple[str, ...]) -> str:
    """Every number of the named values' entries multiplied by ``factor``."""
    out = []
    current: str | None = None
    for line in text.splitlines(keepends=True):
        if line.startswith("value "):
            current = line.split()[1]
        elif line.startswith("}"):
            current = None
        if current in names and ":" in line and not line.startswith("value"):
            key, rest = line.split(":", 1)
            number, unit = rest.strip().rstrip(",").split(" ", 1)
            comma = "," if line.rstrip().endswith(",") else ""
            value = (Decimal(number) * factor).normalize()
            line = f"{key}: {value:f} {unit}{comma}\n"
        out.append(line)
    return "".join(out)


def _only(results: tuple[tuple[P.Element, P.Proof], ...], name: str) -> P.Proof:
    found = [p for e, p in results if e.name == name]
    assert len(found) == 1, [e.name for e, _ in results]
    return found[0]


# ------------------------------------------------------------ the Done means


def test_cv_limit_raised_to_060_is_looser_with_a_verified_county_segment(
    resource: RuleSet,
) -> None:
    """A CV rule overridden to <= 0.60 (national 0.50 小学, 0.45 初中) is looser in both
    segments; each counterexample is a county segment of two schools whose CV lies between
    the limits, and the engine gives the parent 未达到 and the child 达到 on it."""
    child = _check(_edit(RESOURCE_TEXT, (CV_RULE, CV_RULE.replace("差异系数上限", "0.60"))))
    results = prove_ruleset(resource, child, verify=verifier)
    assert [e.name for e, _ in results] == ["差异系数_高学历教师"]
    proof = results[0][1]
    assert proof.verdict is Verdict.LOOSER
    assert [(p.key, p.verdict) for p in proof.parts] == [
        ("小学", Verdict.LOOSER),
        ("初中", Verdict.LOOSER),
    ]
    for part in proof.parts:
        cx = part.counterexample
        assert cx is not None and cx.verified
        assert cx.scope is ScopeKind.COUNTY_SEGMENT
        assert len(cx.data["schools"]) == 2  # type: ignore[arg-type]
        assert outcome_of(cx, resource) is Outcome.NOT_MET
        assert outcome_of(cx, child) is Outcome.MET
        assert (cx.parent_outcome, cx.child_outcome) == ("未达到", "达到")


def test_cv_limit_lowered_to_040_is_stricter(resource: RuleSet) -> None:
    """The same rule overridden to <= 0.40 is stricter in both segments."""
    child = _check(_edit(RESOURCE_TEXT, (CV_RULE, CV_RULE.replace("差异系数上限", "0.40"))))
    proof = _only(prove_ruleset(resource, child, verify=verifier), "差异系数_高学历教师")
    assert proof.verdict is Verdict.STRICTER
    assert {p.verdict for p in proof.parts} == {Verdict.STRICTER}
    assert proof.counterexample is None


def test_thresholds_up_10_percent_with_the_band_at_80_percent_is_stricter(
    resource: RuleSet,
) -> None:
    """All seven thresholds +10 % with the floor band lowered to 80 % (exact reasoning:
    1.1 × 80 % = 88 % ≥ 85 %) is stricter: every value and the 6-of-7 rule."""
    text = _scaled_values(RESOURCE_TEXT, Decimal("1.1"), INDICATORS).replace("85% *", "80% *")
    results = prove_ruleset(resource, _check(text), verify=verifier)
    assert sorted(e.name for e, _ in results) == sorted([*INDICATORS, "学校达标"])
    assert {p.verdict for _, p in results} == {Verdict.STRICTER}


def test_five_of_seven_with_a_95_percent_band_is_looser_with_a_verified_school(
    resource: RuleSet,
) -> None:
    """ "5 of 7 with a 95 % band" is looser: the counterexample is one school segment with
    five indicators met and two between 95 % and 100 % of their thresholds."""
    text = _edit(RESOURCE_TEXT, ("require at_least(6,", "require at_least(5,"))
    child = _check(text.replace("85% *", "95% *"))
    proof = _only(prove_ruleset(resource, child, verify=verifier), "学校达标")
    assert proof.verdict is Verdict.LOOSER
    for part in proof.parts:
        cx = part.counterexample
        assert part.verdict is Verdict.LOOSER and cx is not None and cx.verified
        assert cx.scope is ScopeKind.SEGMENT
        (school,) = cx.data["schools"]  # type: ignore[misc]
        assert list(school["segments"]) == [part.key]
        assert outcome_of(cx, resource) is Outcome.NOT_MET
        assert outcome_of(cx, child) is Outcome.MET


def test_the_6_of_7_grid_tries_three_points_per_indicator(resource: RuleSet) -> None:
    """Monotone in every indicator, the search tries only the passing rule's breakpoints
    and the worst value: 3 per indicator, 3⁷ = 2,187 points for the 6-of-7 rule."""
    rule = resource.find("学校达标")
    assert rule is not None
    text = _edit(RESOURCE_TEXT, ("require at_least(6,", "require at_least(5,"))
    child = _check(text.replace("85% *", "95% *"))
    reg = Registry()
    point = Point(segment="小学")
    grid = Searcher(
        reg,
        translate_rule(resource, rule, point, reg),
        translate_rule(child, child.find("学校达标"), point, reg),
    )
    assert len(reg.quantities) == 7
    assert [len(grid.candidates(q, "child")) for q in range(7)] == [3] * 7


# --------------------------------------------------- keys, periods, settings


def test_keyed_value_with_one_key_tightened_and_one_loosened_is_looser(
    small: RuleSet,
) -> None:
    """班额上限 小学 45 → 40 is stricter, 初中 50 → 55 looser: the value is looser and the
    counterexample is a 初中 class of a size between 50 and 55."""
    child = _check((GOLDEN / "keyed_value.child.rules").read_text(encoding="utf-8"))
    proof = prove_value(
        "班额上限",
        small.values["班额上限"],
        child.values["班额上限"],
        small,
        child,
        verify=verifier,
    )
    assert proof.verdict is Verdict.LOOSER
    assert [(p.key, p.old, p.new, p.verdict) for p in proof.parts] == [
        ("小学", "45 人", "40 人", Verdict.STRICTER),
        ("初中", "50 人", "55 人", Verdict.LOOSER),
    ]
    cx = proof.counterexample
    assert cx is not None and cx.verified and cx.key == "初中" and cx.scope is ScopeKind.CLASS


def test_a_limit_moved_between_the_same_whole_numbers_changes_nothing(small: RuleSet) -> None:
    """Class sizes are whole numbers: 班额上限 45 → 45.5 人 decides every class alike (same),
    where the direction of the use alone would say looser."""
    text = (GOLDEN / "parent.rules").read_text(encoding="utf-8").replace("45 人", "45.5 人")
    child = _check(text)
    proof = _only(prove_ruleset(small, child), "班额上限")
    assert proof.verdict is Verdict.SAME
    assert [p.verdict for p in proof.parts] == [Verdict.SAME, Verdict.SAME]


def test_dated_value_changed_in_one_period_gets_that_periods_verdict(small: RuleSet) -> None:
    """公用经费定额 小学 from 2017 650 → 700 元/人 is stricter there; the other periods and
    keys are the same."""
    text = (GOLDEN / "parent.rules").read_text(encoding="utf-8")
    child = _check(text.replace("小学: 650 元/人", "小学: 700 元/人"))
    proof = _only(prove_ruleset(small, child, verify=verifier), "公用经费定额")
    assert proof.verdict is Verdict.STRICTER
    assert [(p.key, p.period, p.verdict) for p in proof.parts] == [
        ("小学", "2016-01-01–2016-12-31", Verdict.SAME),
        ("小学", "2017-01-01–", Verdict.STRICTER),
        ("初中", "2016-01-01–2016-12-31", Verdict.SAME),
        ("初中", "2017-01-01–", Verdict.SAME),
    ]


def test_dated_value_loosened_in_one_period_has_a_counterexample_dated_in_it(
    small: RuleSet,
) -> None:
    """A period loosened: the counterexample's data is dated inside that period."""
    child = _check((GOLDEN / "dated_value.child.rules").read_text(encoding="utf-8"))
    proof = _only(prove_ruleset(small, child, verify=verifier), "公用经费定额")
    assert proof.verdict is Verdict.LOOSER
    cx = proof.counterexample
    assert cx is not None and cx.verified
    assert (cx.period, cx.data["as_of"]) == ("2016-01-01–2016-12-31", "2016-01-01")


def test_keys_of_other_kinds_are_the_keys_the_values_name(small: RuleSet) -> None:
    """A value keyed by another kind (``province``, from layering) is compared per key the
    values name, and the counterexample carries the key (here the county's province)."""
    nv = small.values["班额上限"]
    assert isinstance(nv.value, KeyedValue)
    limit = nv.value.entries[0].value

    def by_province(a: int, b: int) -> RuleSet:
        entries = tuple(
            KeyedEntryValue((key,), attrs.evolve(limit, value=Decimal(x)))
            for key, x in (("广东", a), ("广西", b))
        )
        value = attrs.evolve(nv, value=KeyedValue("province", entries, nv.value.type))
        return attrs.evolve(small, values={**small.values, "班额上限": value})

    parent, child = by_province(45, 50), by_province(44, 52)
    proof = prove_value(
        "班额上限", parent.values["班额上限"], child.values["班额上限"], parent, child
    )
    assert [(p.key, p.verdict) for p in proof.parts] == [
        ("广东", Verdict.STRICTER),
        ("广西", Verdict.LOOSER),
    ]
    assert proof.counterexample is not None
    assert proof.counterexample.data["province"] == "广西"


@pytest.mark.parametrize(
    ("name", "old", "new", "verdict"),
    [
        ("subtract_indoor_sports", "true", "false", Verdict.LOOSER),
        ("subtract_indoor_sports", "false", "true", Verdict.STRICTER),
        ("teaching_points", "单列", "不计入", Verdict.METHOD),
        ("display_precision", "3", "1", Verdict.SAME),
        ("include_private", "true", "true", Verdict.SAME),
    ],
)
def test_settings_follow_their_declared_direction(
    name: str, old: str, new: str, verdict: Verdict
) -> None:
    """A setting changed in its loosening direction is looser; a method setting is
    method; a display setting never changes a verdict."""
    p = _check(f"setting {name} = {old}").settings[name]
    c = _check(f"setting {name} = {new}").settings[name]
    proof = prove_setting(name, p, c)
    assert proof.verdict is verdict
    assert [(x.old, x.new) for x in proof.parts] == [(old, new)]


# -------------------------------------------------------- rule structure

_SEG = """
rule R {{
  scope segment [{segments}]
  {applies}
  require 公用经费 / 在校生数 >= {quota}
}}
"""


def _seg_rule(segments: str = "小学", applies: str = "", quota: str = "600 元/人") -> RuleSet:
    return _check(_SEG.format(segments=segments, applies=applies, quota=quota))


@pytest.mark.parametrize(
    ("parent", "child", "verdict"),
    [
        # a rule applying to more entities, with the same requirement: stricter
        (_seg_rule("小学"), _seg_rule("小学, 初中"), Verdict.STRICTER),
        (_seg_rule("小学, 初中"), _seg_rule("小学"), Verdict.LOOSER),
        (
            _seg_rule(applies="applies when 在校生数 >= 100 人"),
            _seg_rule(applies="applies when 在校生数 >= 50 人"),
            Verdict.STRICTER,
        ),
        (
            _seg_rule(applies="applies when 在校生数 >= 100 人"),
            _seg_rule(applies="applies when 在校生数 >= 200 人"),
            Verdict.LOOSER,
        ),
        # more entities, but a looser requirement: looser
        (_seg_rule("小学"), _seg_rule("小学, 初中", quota="500 元/人"), Verdict.LOOSER),
        (_seg_rule(quota="600 元/人"), _seg_rule(quota="600.00 元/人"), Verdict.SAME),
    ],
)
def test_applicability_widened_is_stricter_only_with_a_requirement_as_strict(
    parent: RuleSet, child: RuleSet, verdict: Verdict
) -> None:
    """Applicability (segments, ``applies when``) and requirement together; every looser
    verdict comes with a counterexample the engine confirms."""
    proof = prove_rule(
        parent.rules().__next__(), child.rules().__next__(), parent, child, verify=verifier
    )
    assert proof.verdict is verdict
    if verdict is Verdict.LOOSER:
        assert proof.counterexample is not None and proof.counterexample.verified


def test_a_narrowed_segment_list_gives_a_school_the_child_does_not_judge() -> None:
    """The child drops 初中: a failing 初中 school segment is 不适用 to the child."""
    parent, child = _seg_rule("小学, 初中"), _seg_rule("小学")
    proof = prove_rule(next(parent.rules()), next(child.rules()), parent, child, verify=verifier)
    cx = proof.counterexample
    assert cx is not None and cx.key == "初中"
    assert (cx.parent_outcome, cx.child_outcome) == ("未达到", "不适用")


def test_a_dropped_rule_is_looser_and_an_added_rule_stricter() -> None:
    """A rule of the parent the child lacks is looser (with a verified counterexample); a
    rule the child adds is stricter."""
    a, b = (
        _seg_rule(),
        _check(
            _SEG.format(segments="小学", applies="", quota="600 元/人").replace("rule R", "rule S")
        ),
    )
    results = dict((e.name, p) for e, p in prove_ruleset(a, b, verify=verifier))
    assert results["R"].verdict is Verdict.LOOSER
    assert results["R"].counterexample is not None and results["R"].counterexample.verified
    assert results["S"].verdict is Verdict.STRICTER


def test_basically_condition_is_a_level_of_its_own() -> None:
    """With 基本达到, an entity the child rates 基本达到 and the parent 未达到 is a
    counterexample; raising the 基本达到 floor is stricter."""
    base = "rule R {{ scope segment require 公用经费 / 在校生数 >= 600 元/人 {b} }}"
    parent = _check(base.format(b="basically 公用经费 / 在校生数 >= 500 元/人"))
    looser = _check(base.format(b="basically 公用经费 / 在校生数 >= 400 元/人"))
    tighter = _check(base.format(b="basically 公用经费 / 在校生数 >= 550 元/人"))
    p = next(parent.rules())
    loose = prove_rule(p, next(looser.rules()), parent, looser, verify=verifier)
    assert loose.verdict is Verdict.LOOSER
    assert loose.counterexample is not None
    assert (loose.counterexample.parent_outcome, loose.counterexample.child_outcome) == (
        "未达到",
        "基本达到",
    )
    assert prove_rule(p, next(tighter.rules()), parent, tighter).verdict is Verdict.STRICTER


def test_every_bundled_rule_set_is_the_same_as_itself() -> None:
    """No bundled rule set differs from itself, and every rule proves the same as itself
    (the national rule sets keep their verdicts)."""
    for info in eduint.rulesets():
        rs = eduint.load_ruleset(info.id)
        assert prove_ruleset(rs, rs) == ()
        for rule in rs.rules():
            assert prove_rule(rule, rule, rs, rs).verdict is Verdict.SAME, rule.id


def test_an_unbuildable_counterexample_leaves_the_proof_undecided() -> None:
    """``ceil(sum(…) / value)``: the grid finds a point but no data can be built for it,
    so the rule is undecided (never looser without data) and says why."""
    rs = eduint.load_ruleset("youzhi_junheng_2017")
    nv = rs.values["专用教室配班数"]
    assert isinstance(nv.value, Const)
    bigger = attrs.evolve(nv, value=attrs.evolve(nv.value, value=nv.value.value + 1))
    child = attrs.evolve(rs, values={**rs.values, "专用教室配班数": bigger})
    rule = next(
        r
        for r in rs.rules()
        if r.require is not None and "音乐专用教室数 >=" in (r.requirement_text or "")
    )
    proof = prove_rule(rule, rule, rs, child, verify=verifier)
    assert proof.verdict is Verdict.UNDECIDED
    assert proof.reason is not None and "no data was built" in proof.reason


def test_a_grid_too_large_is_undecided() -> None:
    """``!=`` on six quantities with eight constants each (four per rule): 9⁶ grid points,
    more than MAX_POINTS, so the proof gives up and says why."""
    fields = ["专任教师数", "高于规定学历教师数", "县级以上骨干教师数", "体育艺术专任教师数",
              "在校生数", "寄宿生数"]  # fmt: skip

    def rs(offset: int) -> RuleSet:
        conds = " and ".join(f"{f} != {k + offset} 人" for f in fields for k in range(1, 5))
        return _check(f"rule R {{ scope segment require {conds} }}")

    a, b = rs(0), rs(4)
    proof = prove_rule(next(a.rules()), next(b.rules()), a, b)
    assert proof.verdict is Verdict.UNDECIDED
    assert proof.reason is not None and "points, more than" in proof.reason


# ------------------------------------------------------------------- the CLI


def _lint(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, ["lint", "--strictness", *args], prog_name="eduint")
    return result.exit_code, result.output


_RESOURCE_CHILDREN = {
    "cv_060": [(CV_RULE, CV_RULE.replace("差异系数上限", "0.60"))],
    "cv_040": [(CV_RULE, CV_RULE.replace("差异系数上限", "0.40"))],
    "five_of_seven": [("require at_least(6,", "require at_least(5,"), ("85% *", "95% *")],
}


@pytest.mark.parametrize("name", ["keyed_value", "setting_loosened", "dated_value"])
def test_lint_strictness_golden(
    name: str, monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    """``eduint lint --strictness parent.rules NAME.child.rules`` prints NAME.txt and exits 1
    (each child loosens something) or 0."""
    monkeypatch.chdir(GOLDEN)
    code, out = _lint("parent.rules", f"{name}.child.rules")
    _golden(name, out, update_golden)
    assert code == (0 if "all at least as strict" in out else 1)


@pytest.mark.parametrize("name", sorted(_RESOURCE_CHILDREN))
def test_lint_strictness_golden_resource(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    """The issue's resource-block cases against the bundled rule set by name; the child
    is the bundled file with the edits of ``_RESOURCE_CHILDREN``."""
    text = _edit(RESOURCE_TEXT, *_RESOURCE_CHILDREN[name])
    (tmp_path / "child.rules").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out = _lint("youzhi-junheng-2017-resource", "child.rules")
    _golden(f"resource_{name}", out, update_golden)
    assert code == (0 if name == "cv_040" else 1)


def _golden(name: str, out: str, update: bool) -> None:
    path = GOLDEN / f"{name}.txt"
    if update:
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"missing {path.name}: run pytest --update-golden"
    assert out == path.read_text(encoding="utf-8")


def test_lint_strictness_needs_a_parent_and_a_child() -> None:
    """One rule set that extends nothing is a usage error: exit 2, no traceback."""
    code, out = _lint("youzhi-junheng-2017-resource")
    assert code == 2 and "PARENT CHILD" in out and "Traceback" not in out


def test_lint_strictness_of_a_rule_set_against_itself() -> None:
    """Nothing differs: exit 0, and the output says so."""
    code, out = _lint("youzhi-junheng-2017-resource", "youzhi-junheng-2017-resource")
    assert code == 0 and "no setting, value or rule differs" in out
