"""The three checker fixes of issue 12 (item 7): an aggregate reading a coarser figure
(``E311``), a margin in the wrong unit (``E207``, a convertible one converted), and a
margin given as a named value (used like a literal; ``E208`` when it is not one number).
Their rendered messages are golden files under ``tests/golden/check_invalid/``."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

import eduint
from eduint.checking.ruleset import Const
from eduint.errors import RuleCheckError


def _codes(text: str) -> list[str]:
    with pytest.raises(RuleCheckError) as info:
        eduint.check_text(text)
    return [d.code for d in info.value.diagnostics]


def _flags(rules: str, funds: int) -> dict[str, tuple[str, ...]]:
    ruleset = eduint.check_text(rules)
    county = eduint.load_county_text(f"name: x\nspecial_ed_funds_per_student: {funds}\n").county
    return {i.id: tuple(i.flags) for i in eduint.evaluate(ruleset, county).items}


MARGINS = """
value 临界 = 50 元/人
rule 命名 { require 特殊教育学校生均公用经费 >= 6000 元/人 margin 临界 }
rule 换算 { require 特殊教育学校生均公用经费 >= 6000 元/人 margin 0.005 万元/人 }
rule 字面 { require 特殊教育学校生均公用经费 >= 6000 元/人 margin 50 }
"""


def test_a_named_margin_works_like_a_literal() -> None:
    """A margin named by a value, one in 万元/人 on a rule in 元/人, and a bare 50 all
    flag 6040 元/人 (40 above 6000) as borderline, and none flags 6060."""
    near = _flags(MARGINS, 6040)
    far = _flags(MARGINS, 6060)
    assert near == {"命名": ("borderline",), "换算": ("borderline",), "字面": ("borderline",)}
    assert far == {"命名": (), "换算": (), "字面": ()}


def test_the_checked_margin_is_one_number_in_the_comparisons_unit() -> None:
    """The checked rule's margin is a constant in the unit its comparison is shown in."""
    ruleset = eduint.check_text(MARGINS)
    for rule in ruleset.rules():
        assert isinstance(rule.margin, Const)
        assert rule.margin.value == Decimal(50)
        assert str(rule.margin.type.unit) == "元/人"


def test_a_margin_in_a_third_of_a_unit_is_converted_closely() -> None:
    """亩 → 平方米 divides by 3: the margin keeps 40 significant digits."""
    ruleset = eduint.check_text(
        "rule r { scope school require 体育运动场馆面积 >= 1000 平方米 margin 1 亩 }"
    )
    (rule,) = ruleset.rules()
    assert rule.margin is not None
    assert abs(Fraction(rule.margin.value) - Fraction(2000, 3)) < Fraction(1, 10**35)


def test_a_margin_in_the_wrong_unit_is_e207() -> None:
    """``margin 2 元`` on a rule in 人."""
    assert _codes("rule r { require 在校生数 >= 10 人 margin 2 元 }") == ["E207"]


def test_a_margin_that_is_not_one_number_is_e208() -> None:
    """A keyed value, a dated value and an expression are not one number."""
    keyed = "value m = by segment { 小学: 1 人, 初中: 2 人 }\n"
    dated = "value m = dated { from 2017-01-01: 1 人 }\n"
    rule = "rule r { scope segment require 在校生数 >= 10 人 margin m }"
    assert _codes(keyed + rule) == ["E208"]
    assert _codes(dated + rule) == ["E208"]
    assert _codes("rule r { require 在校生数 >= 10 人 margin 1 人 + 1 人 }") == ["E208"]


def test_a_margin_that_is_not_a_number_is_still_e205() -> None:
    """A condition as a margin stays a type mismatch."""
    assert _codes("rule r { require 在校生数 >= 10 人 margin 在校生数 > 1 人 }") == ["E205"]


@pytest.mark.parametrize(
    "text",
    [
        "rule r { require sum(在校生数 over 班级) >= 100 人 }",
        "rule r { scope school require mean(专任教师数 over 班级) >= 1 人 }",
        "rule r { report sum(county.在校生数 over 学校) }",
        "rule r { require cv(图书册数 / county.在校生数 over 学段) <= 0.5 }",
        "rule r { report max(班额 - 在校生数 over 班级) }",
    ],
)
def test_an_aggregate_of_a_coarser_figure_is_e311(text: str) -> None:
    """Summing, averaging or taking extremes of a figure of a scope above the entities
    ranged over reads it once per entity."""
    assert _codes(text) == ["E311"]


@pytest.mark.parametrize(
    "text",
    [
        "rule r { require sum(在校生数 over 学段) >= 100 人 }",
        "rule r { report count(over 班级 where 在校生数 >= 1000 人) }",
        "rule r { report share(班额 > 在校生数 over 班级) }",
        "rule r { report sum(班额 over 班级 where 学段 == 小学) }",
    ],
)
def test_own_figures_and_conditions_may_be_aggregated(text: str) -> None:
    """The entity's own figure, and conditions reading coarser figures, check."""
    eduint.check_text(text)


def test_the_bundled_rule_sets_check() -> None:
    """No bundled rule set trips the new checks (their margins are bare numbers on CVs)."""
    from eduint._resources import bundled_rule_files

    for path in bundled_rule_files():
        eduint.check_text(path.read_text(encoding="utf-8"), file=str(path))


@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
def test_a_category_has_no_order(op: str) -> None:
    """Found by bench/fuzz.py (issue 14): ``学校类型 <= 教学点`` checked, then crashed the
    evaluator ("cannot order"); it is an E205 now, and == still checks."""
    rule = "rule r {{ scope school applies when 学校类型 {op} 教学点 require 在校生数 >= 1 人 }}"
    assert _codes(rule.format(op=op)) == ["E205"]
    eduint.check_text(rule.format(op="=="))
    eduint.check_text(rule.format(op="!="))


def test_texts_have_no_order() -> None:
    text = 'rule r { scope school applies when 学校名称 < "甲" require 在校生数 >= 1 人 }'
    assert _codes(text) == ["E205"]
