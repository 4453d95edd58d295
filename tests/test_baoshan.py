"""The main job on real input: the 宝山区 self-check against the 城乡一体化 checklist.

Pins what ``eduint check --example baoshan-2018`` shows: the district's own
answers (自评), what its figures support (核算), the headlines and the exit code.
"""

from __future__ import annotations

import functools

import pytest
from click.testing import CliRunner

import eduint
from eduint._resources import resource_dir
from eduint.cli import main
from eduint.core.refs import FieldRef
from eduint.core.values import Code, Reason
from eduint.data.models import SelfStatus
from eduint.engine.results import AsOfBasis, Flag, Outcome, Report

MET, NOT_MET, NO_DATA = Outcome.MET, Outcome.NOT_MET, Outcome.NO_DATA


@functools.cache
def _report() -> Report:
    rules = resource_dir("rules") / "chengxiang-yitihua-2018.rules"
    ruleset = eduint.check_text(rules.read_text(encoding="utf-8"), file=str(rules))
    loaded = eduint.load_county(
        resource_dir("examples") / "baoshan-2018.yaml", extra_fields=ruleset.extra_field_kinds()
    )
    assert () == loaded.problems
    assert "chengxiang_yitihua_2018" == loaded.rules
    return eduint.evaluate(ruleset, loaded.county)


SELF = {
    **{str(i): SelfStatus.MET for i in (*range(1, 11), 13, 16, 17, 18, 22, 26, 28, 30, 31, 32)},
    "20": SelfStatus.BASICALLY_MET,
    "21": SelfStatus.IN_TRIAL,
    "15": SelfStatus.NOT_MET,
    "27": SelfStatus.NOT_APPLICABLE,
    "12.1": SelfStatus.MET,
    "12.2": SelfStatus.NOT_MET,
    "24.1": SelfStatus.MET,
    "24.2": SelfStatus.NOT_MET,
    "24.3": SelfStatus.NOT_MET,
}


@pytest.mark.parametrize("item", sorted(SELF, key=lambda s: [int(x) for x in s.split(".")]))
def test_self_assessment_as_the_report_gives_it(item: str) -> None:
    """自评 keeps the district's own word for every item the issue pins."""
    assert SELF[item] == _report().item(item).self_status


def _named(reasons: tuple[Reason, ...]) -> set[str]:
    """The field labels, scopes and entity segments the reasons name, nested ones too."""
    out: set[str] = set()
    stack: list[object] = list(reasons)
    while stack:
        x = stack.pop()
        if isinstance(x, Reason):
            stack.extend(x.args)
            if x.code in (Code.INCOMPLETE_LIST, Code.LIST_INCOMPLETE) and x.args:
                out.add(str(x.args[0]))
        elif isinstance(x, FieldRef):
            out.add(x.label or x.name)
        elif isinstance(x, tuple):
            stack.extend(x)
    return out


def test_every_item_has_a_self_assessment_with_evidence() -> None:
    """All 32 items (or all their parts) carry the district's answer and its sentence."""
    report = _report()
    for n in range(1, 33):
        item = report.item(str(n))
        parts = [r for r in report.items if r.kind == "part" and r.id.split(".")[0] == str(n)]
        for r in parts or [item]:
            assert r.self_status is not None, r.id
            assert r.self_evidence, r.id


def test_funding_quota_is_checked_against_the_provisional_national_quota() -> None:
    """3.2: 600 元 against the 650 元 in force for 中部 in 2018 (REFERENCE §5, tag M):
    未达到, marked provisional, and flagged against the district's 达到."""
    r = _report().item("3.2")
    assert (SelfStatus.MET, NOT_MET, NOT_MET) == (r.self_status, r.computed, r.headline)
    assert r.provisional and r.disagreement
    ev = r.evidence
    assert ev is not None and ev.left is not None and ev.right is not None
    assert (600, 650, "元/人", ">=", -50) == (
        ev.left.value,
        ev.right.value,
        str(ev.right.unit),
        ev.op,
        ev.margin,
    )
    assert r.evidence_entity is not None and "小学" == r.evidence_entity.segment
    assert Flag.PROVISIONAL in r.flags and Flag.DISAGREEMENT in r.flags
    item = _report().item("3")
    assert NOT_MET == item.headline and item.provisional


@pytest.mark.parametrize(
    ("part", "named"),
    [
        ("2.2", "核定编制"),
        ("12.1", "交流轮岗教师数"),
        ("12.2", "交流轮岗骨干教师数"),
        ("17.1", "校舍竣工率"),
        ("17.2", "设备采购完成率"),
        ("19.2", "class"),
        ("22.1", "乡村教师平均工资"),
        ("22.2", "公务员平均工资"),
    ],
)
def test_missing_figures_are_named(part: str, named: str) -> None:
    """Computed parts the report gives no figures for are 缺少数据, naming what is missing
    (a field by its label; 19.2's list of classes by its scope)."""
    r = _report().item(part)
    assert NO_DATA == r.computed
    assert named in _named(r.reasons), r.reasons


def test_items_17_and_22_are_no_data_as_computed() -> None:
    """The items combine their parts' 核算: both parts lack figures."""
    assert NO_DATA == _report().item("17").computed
    assert NO_DATA == _report().item("22").computed


def test_junior_figures_are_missing_not_zero() -> None:
    """The report gives no 初中 figures: junior rules are 缺少数据 with that reason,
    never 不适用 (the report does not say the district has no junior schools)."""
    r = _report().item("3.2")
    junior = next(e for e in r.entities if "初中" == e.entity.segment)
    assert NO_DATA == junior.outcome
    assert [(Code.MISSING_FIGURES, None), (Code.MISSING_FIGURE, "初中")] == [
        (m.code, m.args[0].segment if m.args else None) for m in junior.reasons
    ]


@pytest.mark.parametrize("item", ["3", "12", "15", "24"])
def test_headlines_not_met(item: str) -> None:
    """3 (through 3.2, provisional), 12, 15 and 24 are 未达到."""
    assert NOT_MET == _report().item(item).headline


def test_only_those_items_are_not_met() -> None:
    """No other item's headline is 未达到."""
    items = [r for r in _report().items if r.kind == "item"]
    assert ["3", "12", "15", "24"] == [r.id for r in items if r.headline == NOT_MET]


def test_trial_and_not_applicable() -> None:
    """21 试行 maps to 基本达到; 27 is 不适用 (no remote, poor or minority areas)."""
    assert Outcome.BASICALLY_MET == _report().item("21").headline
    assert Outcome.NOT_APPLICABLE == _report().item("27").headline


def test_date_is_inferred() -> None:
    """The date is 2018, inferred from the document number."""
    report = _report()
    assert report.as_of is not None
    assert (2018, AsOfBasis.INFERRED) == (report.as_of.year, report.as_of_basis)


def test_cli_example_exits_1_and_shows_self_beside_computed() -> None:
    """``eduint check --example baoshan-2018`` prints the table and exits 1."""
    result = CliRunner().invoke(main, ["check", "--example", "baoshan-2018"])
    assert 1 == result.exit_code, result.output
    assert "宝山区" in result.output
    assert "自评" in result.output and "核算" in result.output
    assert "未达到" in result.output


def test_readme_excerpt_is_true() -> None:
    """Every line of README's output excerpt appears in the real output of its command."""
    readme = (resource_dir("examples").parent / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("An excerpt:\n\n```text\n", 1)[1].split("```", 1)[0]
    result = CliRunner().invoke(main, ["check", "--example", "baoshan-2018", "--wrap", "24"])
    lines = set(result.output.splitlines())
    for line in excerpt.splitlines():
        assert line in lines, line


def test_api_doc_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 'step by step' example of docs/api.md runs as written from the repository root."""
    root = resource_dir("examples").parent
    doc = (root / "docs" / "api.md").read_text(encoding="utf-8")
    code = doc.split("## Step by step\n\n```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(root)
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/api.md", "exec"), namespace)  # noqa: S102 - our own doc
    report = namespace["report"]
    assert isinstance(report, Report)
    assert 1 == report.exit_code()
