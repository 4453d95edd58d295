"""eduint.testing's property helpers and rule-set strategies (issue 17), on eduint itself.

* a provincial file that loosens one threshold yields a shrunk counterexample which,
  pasted into a rule test, fails as described; one that only tightens yields none;
* the record evaluator agrees with a plain-Python computation of the 2017 resource
  indicators, the 6-of-7 rule and the CVs;
* monotonicity holds for the 6-of-7 rule in every "more is better" figure it reads, and
  a CV counterexample shows why it cannot hold for a 差异系数;
* order, unit and scale invariance, no crash; the strategies' knobs are validated;
* ``--eduint-profile`` selects Hypothesis settings, and the plugin imports without it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from eduint import check_text
from eduint.api import read_rules
from eduint.authoring.cases import load_test_file
from eduint.authoring.runner import run_file
from eduint.checking.proof import Verdict, prove_ruleset
from eduint.checking.resolver import default_resolver
from eduint.data.models import County
from eduint.engine.evaluator import evaluate
from eduint.engine.results import Outcome
from eduint.errors import EduintError
from eduint.language.parser import parse
from eduint.language.printer import unparse
from eduint.testing import (
    PropertyFailed,
    assert_at_least_as_strict,
    assert_monotone,
    assert_no_crash,
    assert_order_invariant,
    assert_scale_invariant,
    assert_unit_invariant,
    counties,
    from_ruleset,
    near_threshold,
    rule_texts,
)

NATIONAL = read_rules("youzhi-junheng-2017-resource").ruleset
#: Small counties for the searches that are expected to fail: shrinking is quicker.
SMALL = from_ruleset(NATIONAL, max_schools=5)
HEAD = 'ruleset 省 "某省资源配置" {\n  extends youzhi_junheng_2017_resource\n}\n'
LOOSE = HEAD + 'relax value 差异系数上限.小学 = 0.60 because "省试点办法第六条"\n'
TIGHT = HEAD + (
    "override value 高学历教师标准.小学 = 4.6 人/百人\noverride value 差异系数上限.初中 = 0.40\n"
)


def _province(tmp_path: Path, text: str, name: str = "province.rules") -> object:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_rules(path, resolver=default_resolver(roots=(tmp_path,))).ruleset


# --------------------------------------------------------------- Done means


def test_a_loosened_threshold_is_found_and_its_case_fails_in_a_rule_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Relaxing the 小学 CV limit 0.50 → 0.60: the search finds and shrinks a county the
    province passes and the nation fails; the printed case, pasted under ``cases:`` of
    a rule test of the provincial file, fails with 达到 where 未达到 is expected."""
    loose = _province(tmp_path, LOOSE)
    with pytest.raises(PropertyFailed) as info:
        assert_at_least_as_strict(loose, NATIONAL)
    printed = capsys.readouterr().out
    assert info.value.yaml in printed
    assert (
        "差异系数_" in printed
        and "达到 under 省, 未达到 under youzhi_junheng_2017_resource" in printed
    )
    # shrunk: two schools of one segment, CV on the provincial limit
    assert len(info.value.county.schools or ()) == 2
    test = tmp_path / "province.tests.yaml"
    test.write_text("rules: province.rules\ncases:\n" + printed, encoding="utf-8")
    result = run_file(load_test_file(test))
    assert not result.passed
    failures = "\n".join(result.cases[0].failures)
    assert "差异系数_高学历教师 [100000/小学]: expected not met, got met" in failures
    assert "0.6 <= 0.6 (holds)" in failures
    # against the national rule set the same case passes: it is a real loosening
    from eduint.authoring.runner import check_case

    case = load_test_file(test).cases[0]
    assert check_case(NATIONAL, case, info.value.county) == ()


def test_a_tightening_only_file_yields_no_counterexample(tmp_path: Path) -> None:
    tight = _province(tmp_path, TIGHT)
    assert_at_least_as_strict(tight, NATIONAL, max_examples=40)


# ------------------------------------------------------------- the evaluator


INDICATORS = (
    ("teachers_above_degree", True, {"小学": Fraction("4.2"), "初中": Fraction("5.3")}),
    ("backbone_teachers", True, {"小学": Fraction(1), "初中": Fraction(1)}),
    ("pe_arts_teachers", True, {"小学": Fraction("0.9"), "初中": Fraction("0.9")}),
    ("floor_area_teaching", False, {"小学": Fraction("4.5"), "初中": Fraction("5.8")}),
    ("sports_area", False, {"小学": Fraction("7.5"), "初中": Fraction("10.2")}),
    ("equipment_value", False, {"小学": Fraction(2000), "初中": Fraction(2500)}),
    ("multimedia_rooms", True, {"小学": Fraction("2.3"), "初中": Fraction("2.4")}),
)
CV_LIMIT = {"小学": Fraction("0.50"), "初中": Fraction("0.45")}


def _indicators(seg: object) -> list[Fraction]:
    """The 7 indicators of one segment, by hand (教督〔2017〕6号 第五条; L4 less the
    indoor sports rooms, as the bundled file's subtract_indoor_sports says)."""
    p = Fraction(seg.students.low)  # type: ignore[attr-defined]
    out = []
    for name, per100, _t in INDICATORS:
        x = Fraction(getattr(seg, name).low)
        if name == "floor_area_teaching":
            x -= Fraction(seg.indoor_sports_area.low)  # type: ignore[attr-defined]
        out.append(x * 100 / p if per100 else x / p)
    return out


def _cv_met(xs: list[Fraction], ps: list[Fraction], limit: Fraction) -> bool | None:
    """Student-weighted population CV ≤ limit, exactly (squared: no square root)."""
    total = sum(ps)
    mean = sum(p * x for p, x in zip(ps, xs, strict=True)) / total
    if mean == 0:
        return None
    var = sum(p * (x - mean) ** 2 for p, x in zip(ps, xs, strict=True)) / total
    return var <= limit**2 * mean**2


@pytest.mark.slow
@settings(deadline=None, max_examples=60)
@given(from_ruleset(NATIONAL, max_schools=12))
def test_the_evaluator_agrees_with_a_plain_python_computation(county: County) -> None:
    report = evaluate(NATIONAL, county, as_of=county.as_of)
    six = {e.entity.key: e.outcome for e in report.item("学校达标").entities}
    rows: dict[str, list[tuple[list[Fraction], Fraction]]] = {"小学": [], "初中": []}
    for school in county.schools or ():
        for seg in school.segments or ():
            ls = _indicators(seg)
            ts = [t[seg.segment.value] for _n, _p, t in INDICATORS]
            ok = sum(x >= t for x, t in zip(ls, ts, strict=True)) >= 6 and all(
                x >= Fraction(85, 100) * t for x, t in zip(ls, ts, strict=True)
            )
            want = Outcome.MET if ok else Outcome.NOT_MET
            assert six[f"{school.id}/{seg.segment.value}"] is want
            rows[seg.segment.value].append((ls, Fraction(seg.students.low)))
    for i, (name, _p, _t) in enumerate(INDICATORS):
        rule = report.item(f"差异系数_{_CV_NAMES[name]}")
        got = {e.entity.key: e.outcome for e in rule.entities}
        for seg, entries in rows.items():
            if not entries:
                continue
            if len(entries) == 1:  # one school: no spread to measure
                assert got[f"100000/{seg}"] is Outcome.NOT_APPLICABLE
                continue
            met = _cv_met([ls[i] for ls, _ in entries], [p for _, p in entries], CV_LIMIT[seg])
            if met is not None:
                want = Outcome.MET if met else Outcome.NOT_MET
                assert got[f"100000/{seg}"] is want, (name, seg, got, len(entries))


_CV_NAMES = {
    "teachers_above_degree": "高学历教师",
    "backbone_teachers": "骨干教师",
    "pe_arts_teachers": "体艺教师",
    "floor_area_teaching": "教学用房",
    "sports_area": "体育场馆",
    "equipment_value": "仪器设备",
    "multimedia_rooms": "多媒体教室",
}


# ------------------------------------------------------------- monotonicity


@pytest.mark.slow
@pytest.mark.parametrize("field", [name for name, _p, _t in INDICATORS])
def test_the_six_of_seven_rule_is_monotone_in_every_resource_figure(field: str) -> None:
    """Raising one school's resource figure ("more is better" in the data model) never
    turns 学校达标 from 达到 into 未达到."""
    assert_monotone(NATIONAL, field, rules=["学校达标"], max_examples=40)


@pytest.mark.slow
def test_a_cv_is_not_monotone_and_the_helper_shows_why() -> None:
    """Adding teachers to the best-equipped school raises the spread: the CV rule goes
    from 达到 to 未达到 (docs/testing.md, "Monotonicity and the CV")."""
    with pytest.raises(PropertyFailed) as info:
        assert_monotone(
            NATIONAL,
            "高于规定学历教师数",
            rules=["差异系数_高学历教师"],
            counties=SMALL,
            max_examples=200,
        )
    assert "差异系数_高学历教师" in str(info.value)
    assert "teachers_above_degree" in str(info.value)


def test_monotone_needs_a_direction() -> None:
    with pytest.raises(ValueError, match="direction"):
        assert_monotone(NATIONAL, "students")


# --------------------------------------------------------------- invariance


def test_verdicts_do_not_depend_on_the_order_of_the_schools() -> None:
    assert_order_invariant(NATIONAL, max_examples=30)


def test_verdicts_do_not_depend_on_units() -> None:
    assert_unit_invariant(NATIONAL, max_examples=30)


def test_a_cv_does_not_change_when_figures_are_scaled() -> None:
    assert_scale_invariant(NATIONAL, "差异系数_仪器设备", max_examples=30)


def test_missing_figures_never_crash() -> None:
    assert_no_crash(NATIONAL, max_examples=30)


@pytest.mark.slow
def test_an_invariance_failure_is_reported_as_a_case() -> None:
    """A property that does not hold (scaling the figures of the 6-of-7 rule changes
    its verdicts) is reported with a county and a case."""
    with pytest.raises(PropertyFailed) as info:
        assert_scale_invariant(NATIONAL, "学校达标", counties=SMALL, max_examples=100)
    assert "scaling the figures of 学校达标" in str(info.value)
    assert info.value.case["data"]["schools"]


# -------------------------------------------------------------- strategies


@settings(max_examples=20, deadline=None)
@given(from_ruleset(NATIONAL))
def test_realistic_counties_are_complete_and_sized(county: County) -> None:
    assert 3 <= len(county.schools or ()) <= 30
    assert county.schools_complete is True
    for school in county.schools or ():
        for seg in school.segments or ():
            assert seg.teachers_above_degree is not None and seg.students is not None


@settings(max_examples=20, deadline=None)
@given(near_threshold(NATIONAL, "差异系数_高学历教师", distance=0.01))
def test_near_threshold_cv_counties_sit_within_the_distance(county: County) -> None:
    report = evaluate(NATIONAL, county, as_of=county.as_of)
    (entity,) = [
        e
        for e in report.item("差异系数_高学历教师").entities
        if e.outcome is not Outcome.NOT_APPLICABLE
    ]
    cv = entity.evidence.left.value  # type: ignore[union-attr]
    limit = CV_LIMIT[entity.entity.segment]  # type: ignore[index]
    assert abs(Fraction(cv) - limit) <= Fraction(1, 100)


@pytest.mark.parametrize(
    ("kw", "shown"),
    [
        ({"min_schools": 5, "max_schools": 2}, "min_schools=5"),
        ({"missing": 1.5}, "missing=1.5"),
        ({"one_through": -0.1}, "one_through=-0.1"),
        ({"kinds": ["大学"]}, "kinds=['大学']"),
        ({"locations": []}, "locations=[]"),
    ],
)
def test_bad_knobs_raise_invalid_argument(kw: dict[str, object], shown: str) -> None:
    with pytest.raises(InvalidArgument, match=shown.replace("[", r"\[").replace("]", r"\]")):
        from_ruleset(NATIONAL, **kw)  # type: ignore[arg-type]


def test_counties_with_a_knob_are_realistic() -> None:
    with pytest.raises(InvalidArgument, match="missing=2"):
        counties(missing=2)

    @settings(max_examples=10, deadline=None)
    @given(counties(kinds=["小学"], one_through=0, max_schools=5))
    def check(county: County) -> None:
        assert 3 <= len(county.schools or ()) <= 5
        assert {s.kind.value for s in county.schools or ()} == {"小学"}  # type: ignore[union-attr]

    check()


def test_near_threshold_refuses_an_unknown_rule() -> None:
    with pytest.raises(InvalidArgument, match="rule='无此规则'"):
        near_threshold(NATIONAL, "无此规则")


# -------------------------------------------------------------- the plugin


@pytest.mark.slow
def test_eduint_profile_option_selects_the_settings(tmp_path: Path) -> None:
    (tmp_path / "test_p.py").write_text(
        textwrap.dedent(
            """
            from hypothesis import settings

            def test_profile():
                assert settings.default.max_examples == 2000
                assert settings.default.deadline is None
            """
        ),
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "--eduint-profile=thorough", str(tmp_path / "test_p.py")],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_plugin_imports_without_hypothesis() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "import eduint.pytest_plugin as p\n"
        "assert 'ci' in p.PROFILES\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- rule texts


@settings(max_examples=40, deadline=None)
@given(rule_texts())
def test_rule_texts_round_trip_and_check(text: str) -> None:
    """parse(unparse(t)) == t, and the checker accepts every generated text."""
    tree = parse(text)
    assert parse(unparse(tree)) == tree
    check_text(text)


@settings(max_examples=40, deadline=None)
@given(rule_texts(), st.data())
def test_a_damaged_rule_text_raises_eduint_errors_only(text: str, data: st.DataObject) -> None:
    """Cut a generated text anywhere, or drop one character: checking it either succeeds
    or raises eduint's own error, never anything else."""
    i = data.draw(st.integers(0, len(text) - 1))
    damaged = data.draw(st.sampled_from([text[:i], text[:i] + text[i + 1 :]]))
    try:
        check_text(damaged)
    except EduintError:
        pass


# ------------------------------------------- the strictness proof, by search

PROVINCES = ("guangdong-jiben-2012", "guangdong-youzhi-2017", "hebei-youzhi-2017-resource")


@pytest.mark.slow
@pytest.mark.parametrize("name", PROVINCES)
def test_the_search_agrees_with_the_strictness_proof(name: str) -> None:
    """Every bundled provincial override: where the proof says stricter (or same), the
    search finds no county the province passes better than the nation; where it says
    looser, the search finds a counterexample of its own.  Undecided and method changes
    (Hebei's teaching-point relaxation) make no claim."""
    child = read_rules(name).ruleset
    parent = read_rules(
        child.parents[0].file.removeprefix("bundled:").removesuffix(".rules")
    ).ruleset
    proofs = prove_ruleset(parent, child)
    assert proofs, f"{name} changes nothing the proof sees"
    checked = 0
    for element, proof in proofs:
        if element.kind != "rule" or parent.find(element.name) is None:
            continue
        if proof.verdict in (Verdict.STRICTER, Verdict.SAME):
            assert_at_least_as_strict(child, parent, rules=[element.name], max_examples=40)
            checked += 1
        elif proof.verdict is Verdict.LOOSER:
            with pytest.raises(PropertyFailed):
                assert_at_least_as_strict(child, parent, rules=[element.name], max_examples=200)
            checked += 1
    for element, proof in proofs:
        if element.kind == "value" and proof.verdict in (Verdict.STRICTER, Verdict.SAME):
            assert_at_least_as_strict(child, parent, max_examples=40)
            checked += 1
            break
    assert checked or all(p.verdict not in _DECIDED for _e, p in proofs)


_DECIDED = (Verdict.STRICTER, Verdict.SAME, Verdict.LOOSER)


# ------------------------- monotonicity over every bundled rule set (issue 17)


#: "More is better" figures a rule reads as the denominator of a share: more of them
#: lowers the share, so the rule cannot be monotone in them (docs/testing.md).
DENOMINATORS = {("(十二)", "full_time_teachers")}  # ratio(持证专任教师数, 专任教师数)


def _monotone_cases() -> list[tuple[str, str, str]]:
    """(rule set, rule, field): every bundled rule without a 差异系数 that reads a "more
    is better" school-segment figure."""
    import attrs

    from eduint._resources import bundled_rule_files
    from eduint.authoring._ir import walk
    from eduint.checking.ruleset import Aggregate
    from eduint.data import models
    from eduint.testing import _realistic as real

    more = {
        f.name
        for f in attrs.fields(models.SchoolSegment)
        if f.metadata.get(models.BETTER) == "more" and real._is_figure(f)
    }
    out = []
    for path in bundled_rule_files():
        rs = read_rules(path.stem).ruleset
        for rule in rs.rules():
            if any(isinstance(n, Aggregate) and n.fn == "cv" for _p, n in walk(rule)):
                continue
            fields = {n for s, n in real.rule_fields(rule) if s == "segment"} & more
            out += [
                (path.stem, rule.id, f) for f in sorted(fields) if (rule.id, f) not in DENOMINATORS
            ]
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("ruleset", "rule", "field"), _monotone_cases())
def test_every_bundled_rule_is_monotone_in_its_resource_figures(
    ruleset: str, rule: str, field: str
) -> None:
    rs = read_rules(ruleset).ruleset
    small = from_ruleset(rs, max_schools=4)
    assert_monotone(rs, field, rules=[rule], counties=small, max_examples=20)


@pytest.mark.slow
def test_a_share_is_not_monotone_in_its_denominator() -> None:
    """(十二) asks 持证专任教师数 / 专任教师数 ≥ the standard: one more 专任教师 (more is
    better) without a certificate lowers the share below it."""
    rs = read_rules("youzhi-junheng-2017").ruleset
    tiny = from_ruleset(rs, min_schools=1, max_schools=1, kinds=["小学"], one_through=0)
    with pytest.raises(PropertyFailed, match=r"\(十二\)"):
        assert_monotone(rs, "full_time_teachers", rules=["(十二)"], counties=tiny)
