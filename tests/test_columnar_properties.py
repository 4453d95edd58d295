"""The columnar engine equals the record engine on generated counties (issue 18).

For every bundled rule set, Hypothesis draws lists of 1–3 counties from the testing
kit's strategies (:func:`eduint.testing.from_ruleset`: missing figures, 九年一贯制
schools; :func:`eduint.testing.counties`: intervals (``30多``), approximate figures,
教学点, special and private schools, class bands; :func:`eduint.testing.near_threshold`:
figures exactly on each threshold and CVs on their limits), evaluates them together with
:func:`~eduint.engine.columnar.evaluate_many` and each alone with the record engine, and
compares the structured results read from the columns (overall verdict, every item's
computed outcome and headline, every entity's outcome and reason code) with the record
engine's reports.  The fast set draws a few examples per rule set; the slow one many.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eduint
from eduint.data import models
from eduint.engine.columnar import evaluate_many
from eduint.engine.evaluator import evaluate
from eduint.testing import counties, from_ruleset, near_threshold

from ._columnar import compare

RULESETS = [r.stem for r in eduint.rulesets()]

#: Aggregates over classes beyond the bundled rule sets' counts and shares.
CLASS_RULES = """\
ruleset 班额规则 "班额" { version "1" }
value 班额上限 = by segment { 小学: 45 人, 初中: 50 人 }
rule 最大班额 {
  scope segment [小学, 初中]
  require max(班额 over 班级) <= 班额上限
}
rule 最小班额 {
  scope county segment [小学, 初中]
  require min(班额 over 班级) >= 20 人
}
rule 平均班额 {
  scope school
  require mean(班额 over 班级) <= 45 人
}
rule 学生总数 {
  scope county
  require sum(班额 over 班级) >= 100 人
  report 最大 = max(班额 over 班级 where 班额 > 30 人)
}
rule 全部 {
  scope segment [小学, 初中]
  require all(班额 <= 56 人 over 班级)
}
"""


#: Values keyed by province and by school kind (issue 15), read at several scopes.
KEY_RULES = """\
ruleset 键 "键" { version "1" }
value 上限 = by province { 广东: 2400 人, 河北: 2000 人 }
value 类型上限 = by school_kind { 九年一贯制: 2500 人, 小学: 2000 人, 初中: 1500 人 }
rule 省规模 {
  scope school
  require 在校生数 <= 上限
}
rule 类型规模 {
  scope segment [小学, 初中]
  require 在校生数 <= 类型上限
}
rule 县类型 {
  scope county
  require 在校生数 <= 类型上限 * 10
}
"""
_PROVINCES = (None, "广东", "广东省", "河北", "四川省", " ", "火星")


def _load(stem: str) -> eduint.RuleSet:
    if stem == "classes":
        return eduint.check_text(CLASS_RULES)
    if stem == "keys":
        return eduint.check_text(KEY_RULES)
    return eduint.load_ruleset(stem)


def _with_province(c: models.County, p: str | None) -> models.County:
    return attrs.evolve(c, province=p)
_CV_RULE = {"youzhi-junheng-2017-resource": "差异系数_高学历教师",
            "hebei-youzhi-2017-resource": "差异系数_高学历教师"}


def _strategy(stem: str) -> st.SearchStrategy[list[models.County]]:
    rs = _load(stem)
    options = [
        from_ruleset(rs, max_schools=8, missing=0.15, one_through=0.3),
        counties(),
    ]
    if stem == "keys":
        options = [st.builds(_with_province, o, st.sampled_from(_PROVINCES)) for o in options]
    rule = _CV_RULE.get(stem)
    if rule is not None and rs.find(rule) is not None:
        options.append(near_threshold(rs, rule, distance=0.0001, max_pairs=3))
    return st.lists(st.one_of(options), min_size=1, max_size=3)


def _check(stem: str, examples: int) -> dict[str, int]:
    """Run the property; how many entities the record engine decided for the columns
    (``deferred``), comparisons on the exact path (``near``), and counties seen."""
    seen = {"deferred": 0, "near": 0, "counties": 0}
    rs = _load(stem)

    # derandomize: the slow test counts what the examples held (deferred > 0), which a
    # random draw of 60 lists can miss; a fixed draw is the same on every run
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(_strategy(stem))
    def both_engines_agree(cs: list[models.County]) -> None:
        try:
            reports = [evaluate(rs, c) for c in cs]
        except eduint.EvaluationError:
            return  # a county without a date for dated rules: no report from either
        res = evaluate_many(rs, cs)
        assert compare(res, reports) == []
        assert res.fallback == {}
        seen["deferred"] += res.deferred
        seen["near"] += res.stats.near
        seen["counties"] += len(cs)
        head = res.summary().headlines
        for rid in reports[0].headlines():
            assert sum(head[rid].values()) == len(cs)

    both_engines_agree()
    return seen


@pytest.mark.parametrize("stem", [*RULESETS, "classes", "keys"])
def test_both_engines_agree_on_generated_counties(stem: str) -> None:
    """A few generated county lists per bundled rule set (the fast set)."""
    _check(stem, 10)


@pytest.mark.slow
@pytest.mark.parametrize("stem", [*RULESETS, "classes", "keys"])
def test_both_engines_agree_on_many_generated_counties(stem: str) -> None:
    """Many generated county lists per bundled rule set; ranges and approximate figures
    (decided by the record engine for the columns) occur."""
    seen = _check(stem, 60)
    print(stem, seen)
    assert seen["counties"] >= 30  # lists whose counties all evaluate (some lack a date)
    assert seen["deferred"] > 0
