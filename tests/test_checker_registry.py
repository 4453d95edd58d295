"""The checker takes every built-in's names, arity and unit rule from the registry.

:mod:`eduint.checking.builtins` holds, for each built-in, what the checker needs
(:attr:`Builtin.unit_rule`, :attr:`Builtin.arity`, :attr:`Builtin.arity_text`), so
that adding a built-in is one registry entry.  These tests add an entry and see the
checker use it, and pin that each bundled entry's rule gives the unit the old
hand-written branches gave.
"""

from __future__ import annotations

import attrs
import pytest

from eduint.checking import builtins
from eduint.checking.builtins import Builtin, BuiltinKind, UnitCheck
from eduint.checking.checker import check_text
from eduint.checking.ruleset import Aggregate, CheckedRule, Function, RExpr, Type
from eduint.core.units import parse_unit
from eduint.errors import RuleCheckError


def _report(scope: str, expr: str) -> RExpr:
    """Check a one-rule file reporting ``expr`` and return the checked expression."""
    rs = check_text(f'rule r "r" {{\n  scope {scope}\n  report v = {expr}\n}}\n', file="t.rules")
    rule = rs.members[0]
    assert isinstance(rule, CheckedRule)
    return rule.reports[0][1]


def _squared(c: UnitCheck) -> tuple[tuple[RExpr, ...], Type]:
    """A test unit rule: a number, in the square of its unit."""
    c.need_number(0)
    unit = c.args[0].type.unit
    return c.args, Type("number", unit * unit)


def test_every_builtin_has_a_unit_rule() -> None:
    """No built-in is left for the checker to type by name."""
    for b in builtins.BUILTINS:
        assert callable(b.unit_rule), b.name


def test_a_new_registry_entry_is_checked_with_its_unit_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A function added to the registry alone resolves, by name and alias, with its
    arity and its unit rule."""
    entry = Builtin(
        "squared", ("平方",), BuiltinKind.FUNCTION, (1, 1), "平方", "the square",
        unit_rule=_squared,
    )  # fmt: skip
    functions = {**builtins.FUNCTIONS, "squared": entry, "平方": entry}
    monkeypatch.setattr(builtins, "FUNCTIONS", functions)
    for name in ("squared", "平方"):
        r = _report("school segment", f"{name}(在校生数)")
        assert isinstance(r, Function) and r.fn == "squared"
        assert r.type.unit == parse_unit("人") * parse_unit("人")
    with pytest.raises(RuleCheckError) as info:
        _report("school segment", "squared(在校生数, 1)")
    assert info.value.codes == ("E206",)
    assert "'squared' takes 1 argument(s), got 2" in str(info.value)
    with pytest.raises(RuleCheckError) as info:
        _report("school segment", '平方("x")')
    assert info.value.codes == ("E205",)
    assert "'平方' needs a number" in str(info.value)


def test_an_aggregates_arity_text_is_its_e206_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """An aggregate whose arity varies is described by its ``arity_text``."""
    cv = builtins.AGGREGATES["cv"]
    changed = attrs.evolve(cv, arity_text="one or two figures")
    monkeypatch.setattr(builtins, "AGGREGATES", {**builtins.AGGREGATES, "cv": changed})
    with pytest.raises(RuleCheckError) as info:
        _report("county", "cv(over 学校)")
    assert "'cv' takes one or two figures" in str(info.value)


@pytest.mark.parametrize(
    ("scope", "expr", "unit"),
    [
        ("school segment", "ceil(在校生数)", "人"),
        ("school segment", "max(在校生数, 1)", "人"),
        ("school segment", "ratio(图书册数, 在校生数)", "册/人"),
        ("school segment", "per100(专任教师数, 在校生数)", "人/百人"),
        ("county", "sum(在校生数 over 学校)", "人"),
        ("county", "mean(专任教师数 over 学段)", "人"),
        ("county", "count(over 学校)", None),
        ("county", "share(在校生数 >= 1 人 over 学校)", None),
        ("county", "cv(图书册数 / 在校生数, 在校生数 over 学段)", None),
    ],
)
def test_registry_unit_rules_give_the_units(scope: str, expr: str, unit: str | None) -> None:
    """Each kind of unit rule gives its call the unit of its result."""
    r = _report(scope, expr)
    assert isinstance(r, Function | Aggregate)
    assert r.type.kind == "number"
    assert r.type.unit == (parse_unit(unit) if unit else parse_unit(None))


def test_all_and_at_least_are_conditions() -> None:
    """``all``/``any``/``at_least`` give conditions, usable in ``require``."""
    for expr in ("all(在校生数 >= 1 人 over 学校)", "at_least(1, [在校生数 >= 1 人])"):
        scope = "county" if "over" in expr else "school segment"
        rs = check_text(f'rule r "r" {{\n  scope {scope}\n  require {expr}\n}}\n')
        rule = rs.members[0]
        assert isinstance(rule, CheckedRule) and rule.require is not None
        assert rule.require.type.kind == "bool"
