"""Evaluator scenarios as data: every case of ``tests/scenarios/**/*.yaml`` through the public API.

Each case is checked with :func:`eduint.check_text`, its county loaded with
:func:`eduint.load_county_text` (with the rule set's extra fields; the data must load
without problems unless the case lists them) and evaluated by the ``engine`` fixture,
then compared with the case's ``expect`` (format: ``tests/scenarios/README.md``).

The engine is a fixture, so a second engine runs the same files by adding itself to
``ENGINES``.  Each run also shows that its expectations are live: every leaf of
``expect`` changed on its own must make the comparison fail.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from ._scenarios import (
    SCENARIOS,
    Case,
    Engine,
    ScenarioError,
    differences,
    expectation_leaves,
    load_scenarios,
    mutate,
    record_engine,
    run_case,
)

CASES = load_scenarios()

# name -> engine; a second engine (issue 18) adds its entry here.
ENGINES: dict[str, Engine] = {"record": record_engine}


@pytest.fixture(params=sorted(ENGINES))
def engine(request: pytest.FixtureRequest) -> Engine:
    """The evaluation engine the scenarios run on."""
    return ENGINES[request.param]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_scenario(case: Case, engine: Engine) -> None:
    """The case's report meets every expectation, and each expectation can fail."""
    run = run_case(case, engine)
    diffs = differences(case.expect, run)
    assert not diffs, "\n".join([f"{case.file}: {case.name}", *diffs])
    dead = [
        path
        for path in expectation_leaves(case.expect)
        if not differences(mutate(case.expect, path), run)
    ]
    assert not dead, f"expectations that cannot fail: {dead}"


def test_there_are_scenarios() -> None:
    """The scenario files are found, and their case ids are unique."""
    assert len(CASES) >= 100
    assert len({c.id for c in CASES}) == len(CASES)


# ------------------------------------------------------------ the runner itself


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    return tmp_path


MINIMAL = """\
eduint_scenarios: 2
cases:
  - name: one
    rules: "rule 竣工 { scope county require 校舍竣工率 >= 90% }"
    data: {name: 测试县, building_completion_rate: 1.50}
    expect: {EXPECT}
"""


def _only(tmp_path: Path, expect: str) -> Case:
    [case] = load_scenarios(_write(tmp_path, MINIMAL.replace("EXPECT", expect)))
    return case


@pytest.mark.parametrize(
    "expect",
    [
        "overal: 达到",  # misspelt report attribute
        "items: {竣工: {headlin: 达到}}",  # misspelt item attribute
        "items: {竣工: {entities: [{outcom: 达到}]}}",  # misspelt entity attribute
        "items: {竣工: {missing.contains: x}}",  # unknown operator
        "items: {竣工: {entities.has: [{outcom: 达到}]}}",  # misspelt attribute under .has
        "items: {竣工: {evidence.has: [x]}}",  # .has is for lists, not one result
        "items: {竣工: {evidence: {lef: 1}}}",  # misspelt comparison attribute
        "items: {竣工: {value: 90%}}",  # a format-1 key: the evidence is structured now
        "error: {type: X}, overall: 达到",  # an error excludes the rest
    ],
)
def test_unknown_expectation_keys_are_refused(tmp_path: Path, expect: str) -> None:
    """A misspelt or misplaced expectation is an error, never silently ignored."""
    with pytest.raises(ScenarioError):
        _only(tmp_path, expect)


def test_numbers_reach_the_loader_as_written(tmp_path: Path) -> None:
    """A figure written 1.50 reaches the data loader as the text 1.50, not a float."""
    case = _only(tmp_path, "overall: 未达到")
    assert "building_completion_rate: 1.50\n" in case.data_text


def test_a_wrong_expectation_fails(tmp_path: Path) -> None:
    """The comparison reports a wrong headline, value, comparator and reasons."""
    case = _only(
        tmp_path,
        "items: {竣工: {headline: 达到, evidence: {left: '1.6%', op: '>', margin: '-88.5'},"
        " reasons: [x], flags.has: [y]}}",
    )
    diffs = differences(case.expect, run_case(case))
    assert [d.split(":")[0] for d in diffs] == [
        "items['竣工'].headline",
        "items['竣工'].evidence.left",
        "items['竣工'].evidence.op",
        "items['竣工'].reasons",
        "items['竣工'].flags.has",
    ]


def test_a_right_structured_expectation_holds(tmp_path: Path) -> None:
    """The figure 1.50 % against ≥ 90 %: the evidence's sides in their unit, the
    comparator, the margin in the threshold's unit, and the rounded form ``~``."""
    case = _only(
        tmp_path,
        "items: {竣工: {headline: 未达到, evidence: {left: 1.5%, op: '>=', right: 90%,"
        " met: false, margin: '-88.5', shortfall: '59/60'}}}",
    )
    assert differences(case.expect, run_case(case)) == []
    case = _only(tmp_path, "items: {竣工: {evidence: {left: '~1.50%', shortfall: '~0.983'}}}")
    assert differences(case.expect, run_case(case)) == []
    case = _only(tmp_path, "items: {竣工: {evidence: {left: '~1.5 人'}}}")  # another unit
    assert differences(case.expect, run_case(case)) != []


def test_patches_set_and_unset(tmp_path: Path) -> None:
    """``data: {use, set, unset}`` edits a named county; a bad path is an error."""
    text = """\
eduint_scenarios: 2
counties:
  base: {name: 测试县, schools_complete: true, schools: [{id: "1", kind: 小学}]}
cases:
  - name: patched
    rules: "rule 竣工 { scope county require 校舍竣工率 >= 90% }"
    data:
      use: base
      set: {building_completion_rate: 95, schools/0/name: 一小, schools/-: {id: "2"}}
      unset: [schools/0/kind]
    expect: {overall: 达到}
"""
    [case] = load_scenarios(_write(tmp_path, text))
    assert "name: 一小" in case.data_text and "kind" not in case.data_text
    assert 'id: "2"' in case.data_text or "id: '2'" in case.data_text
    with pytest.raises(ScenarioError, match="nothing at"):
        load_scenarios(_write(tmp_path, text.replace("schools/0/kind", "schools/0/size")))


def test_expectation_leaves_cover_lists_and_matchers() -> None:
    """Each scalar, each list length and each matcher part is a leaf; ``.lacks`` is not."""
    expect = {
        "overall": "达到",
        "items": {
            "a": {"reasons": ["x"], "evidence": {"left": {"contains": "y"}}, "flags.lacks": ["z"]}
        },
    }
    assert list(expectation_leaves(expect)) == [
        ("overall",),
        ("items", "a", "reasons", "<length>"),
        ("items", "a", "reasons", 0),
        ("items", "a", "evidence", "left", "contains"),
    ]
    assert mutate(expect, ("items", "a", "reasons", "<length>"))["items"]["a"]["reasons"][1]


def test_engine_is_a_parameter() -> None:
    """The runner calls the engine it is given (here one that records its arguments)."""
    calls: list[datetime.date | None] = []
    case = next(c for c in CASES if c.as_of is not None)

    def spy(*args: object) -> object:
        calls.append(args[2])  # type: ignore[arg-type]
        return record_engine(*args)  # type: ignore[arg-type]

    run_case(case, spy)  # type: ignore[arg-type]
    assert calls == [case.as_of]


def test_scenario_files_live_under_tests_scenarios() -> None:
    """Every case comes from a file under tests/scenarios/."""
    assert {Path(c.file).parts[:2] for c in CASES} == {("tests", "scenarios")}
    assert SCENARIOS.is_dir()
