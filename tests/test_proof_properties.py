"""The strictness proof against the engine, on random threshold edits (issue 15).

Random edits of the bundled 6-of-7 rule and CV rules (each indicator threshold scaled,
the floor band and ``k`` changed, the CV limits replaced) are proved against the national
rule set; then generated entities — with figures placed on and around the thresholds of
both — are evaluated with the engine under both rule sets:

* whenever the proof says stricter (or same), no entity does better under the child than
  under the parent (达到 > 基本达到 > 未达到; 不适用 counts as passing);
* whenever it says looser, its counterexample is verified, and the engine gives the
  parent 未达到 and the child a better outcome on it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eduint
from eduint.checking.proof import Verdict, prove_rule
from eduint.checking.ruleset import RuleSet
from eduint.engine.results import Outcome
from eduint.engine.verify import outcome_of, verifier

from .test_proof import INDICATORS, RESOURCE_TEXT, _scaled_values

pytestmark = pytest.mark.slow

SCALES = tuple(Decimal(x) for x in ("0.8", "0.9", "0.95", "1", "1.05", "1.1", "1.25"))
BANDS = ("75", "80", "85", "90", "95")
CV_LIMITS = ("0.35", "0.40", "0.45", "0.50", "0.55", "0.60")

#: The 7 indicators: value name, numerator field, per-100 (else per student), count.
FIELDS = (
    ("高学历教师标准", "teachers_above_degree", True),
    ("骨干教师标准", "backbone_teachers", True),
    ("体艺教师标准", "pe_arts_teachers", True),
    ("教学用房标准", "floor_area_teaching", False),
    ("体育场馆标准", "sports_area", False),
    ("仪器设备标准", "equipment_value", False),
    ("多媒体教室标准", "multimedia_rooms", True),
)
THRESHOLDS = {
    "小学": (Decimal("4.2"), 1, Decimal("0.9"), Decimal("4.5"), Decimal("7.5"), 2000,
             Decimal("2.3")),
    "初中": (Decimal("5.3"), 1, Decimal("0.9"), Decimal("5.8"), Decimal("10.2"), 2500,
             Decimal("2.4")),
}  # fmt: skip
STUDENTS = 10**8  # per-100 rates with up to 6 decimals come out as whole teachers
_RANK = {Outcome.NOT_MET: 0, Outcome.BASICALLY_MET: 1, Outcome.MET: 2, Outcome.NOT_APPLICABLE: 2}

PARENT = eduint.check_text(RESOURCE_TEXT, file="parent.rules")


@st.composite
def _edits(draw: st.DrawFn) -> tuple[dict[str, Decimal], str, int, dict[str, str]]:
    """An edit of the thresholds: half of them only tighten (so that stricter proofs are
    common), the other half move anything anywhere."""
    if draw(st.booleans()):
        scales = {name: draw(st.sampled_from(SCALES[3:])) for name in INDICATORS}
        lowest = min(scales.values())
        bands = BANDS[2:] if lowest < Decimal("1.1") else BANDS[1:]
        band, k = draw(st.sampled_from(bands)), draw(st.sampled_from((6, 7)))
        cv = {
            "小学": draw(st.sampled_from(CV_LIMITS[:4])),
            "初中": draw(st.sampled_from(CV_LIMITS[:3])),
        }
        return scales, band, k, cv
    scales = {name: draw(st.sampled_from(SCALES)) for name in INDICATORS}
    band = draw(st.sampled_from(BANDS))
    k = draw(st.sampled_from((5, 6, 7)))
    cv = {seg: draw(st.sampled_from(CV_LIMITS)) for seg in ("小学", "初中")}
    return scales, band, k, cv


def _child(scales: dict[str, Decimal], band: str, k: int, cv: dict[str, str]) -> RuleSet:
    text = RESOURCE_TEXT
    for name, factor in scales.items():
        text = _scaled_values(text, factor, (name,))
    text = text.replace("85% *", f"{band}% *").replace("at_least(6,", f"at_least({k},")
    text = text.replace("小学: 0.50,", f"小学: {cv['小学']},").replace(
        "初中: 0.45\n", f"初中: {cv['初中']}\n"
    )
    return eduint.check_text(text, file="child.rules")


def _outcomes(ruleset: RuleSet, data: eduint.County, rule: str) -> dict[str, Outcome | None]:
    item = eduint.evaluate(ruleset, data).item(rule)
    return {e.entity.key: e.outcome for e in item.entities}


def _never_better(parent: RuleSet, child: RuleSet, data: eduint.County, rule: str) -> None:
    p, c = _outcomes(parent, data, rule), _outcomes(child, data, rule)
    for where, outcome in c.items():
        if outcome is None or outcome is Outcome.NO_DATA or p.get(where) in (None, Outcome.NO_DATA):
            continue
        assert _RANK[outcome] <= _RANK[p[where]], (rule, where, p[where], outcome)  # type: ignore[index]


def _looser_is_verified(parent: RuleSet, child: RuleSet, rule: str) -> Verdict:
    proof = prove_rule(PARENT.find(rule), child.find(rule), parent, child, verify=verifier)  # type: ignore[arg-type]
    if proof.verdict is Verdict.LOOSER:
        cx = proof.counterexample
        assert cx is not None and cx.verified
        got_p, got_c = outcome_of(cx, parent), outcome_of(cx, child)
        assert got_p is Outcome.NOT_MET
        assert got_c is not None and _RANK[got_c] > _RANK[got_p]
    return proof.verdict


@st.composite
def _segments(draw: st.DrawFn, scales: dict[str, Decimal], band: str) -> list[dict[str, object]]:
    """School segments whose 7 indicators lie on or around both rule sets' thresholds:
    up to two indicators below a threshold (at a band or between), the others at or just
    above one."""
    below_factors = [
        Decimal(x) for x in ("0.7", "0.75", "0.8", "0.85", "0.88", "0.9", "0.95", "0.99")
    ]
    above_factors = [Decimal(x) for x in ("1", "1.01", "1.1")]
    out = []
    for _ in range(draw(st.integers(1, 3))):
        seg = draw(st.sampled_from(("小学", "初中")))
        below = draw(st.sets(st.integers(0, 6), max_size=2))
        figures: dict[str, object] = {"students": STUDENTS, "indoor_sports_area": 0}
        for i, ((name, field, per100), base) in enumerate(
            zip(FIELDS, THRESHOLDS[seg], strict=True)
        ):
            threshold = Decimal(base) * draw(st.sampled_from((Decimal(1), scales[name])))
            factors = below_factors if i in below else above_factors
            rate = threshold * draw(st.sampled_from(factors))
            total = rate * STUDENTS / (100 if per100 else 1)
            figures[field] = int(total) if per100 else format(total, "f")
        out.append({"segment": seg, **figures})
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit=_edits(), data=st.data())
def test_six_of_seven_edits_agree_with_the_engine(
    edit: tuple[dict[str, Decimal], str, int, dict[str, str]], data: st.DataObject
) -> None:
    """The 6-of-7 rule under random threshold, band and ``k`` edits."""
    scales, band, k, cv = edit
    child = _child(scales, band, k, cv)
    verdict = _looser_is_verified(PARENT, child, "学校达标")
    if verdict in (Verdict.STRICTER, Verdict.SAME):
        segments = data.draw(_segments(scales, band))
        schools = []
        for i, figures in enumerate(segments):
            seg = str(figures.pop("segment"))
            schools.append(
                {"id": f"S{i}", "name": f"学校{i}", "kind": seg, "segments": {seg: figures}}
            )
        county = eduint.load_county_text(
            _yaml(
                {"name": "县", "as_of": "2021-09-01", "schools_complete": True, "schools": schools}
            )
        ).county
        _never_better(PARENT, child, county, "学校达标")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edit=_edits(),
    teachers=st.lists(
        st.tuples(st.sampled_from((100, 200, 500)), st.integers(0, 40)), min_size=2, max_size=4
    ),
)
def test_cv_limit_edits_agree_with_the_engine(
    edit: tuple[dict[str, Decimal], str, int, dict[str, str]],
    teachers: list[tuple[int, int]],
) -> None:
    """The CV rules under random limits, on county segments of 2–4 schools."""
    child = _child(*edit)
    verdict = _looser_is_verified(PARENT, child, "差异系数_高学历教师")
    if verdict in (Verdict.STRICTER, Verdict.SAME):
        schools = [
            {"id": f"{seg}{i}", "name": f"{seg}{i}", "kind": seg,
             "segments": {seg: {"students": n, "teachers_above_degree": t}}}
            for seg in ("小学", "初中")
            for i, (n, t) in enumerate(teachers)
        ]  # fmt: skip
        county = eduint.load_county_text(
            _yaml(
                {"name": "县", "as_of": "2021-09-01", "schools_complete": True, "schools": schools}
            )
        ).county
        _never_better(PARENT, child, county, "差异系数_高学历教师")


def _yaml(data: object) -> str:
    import yaml

    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
