"""The registry of built-in functions and aggregates, written once.

Each :class:`Builtin` gives a function's canonical name, the names a rule file may
call it by (English and Chinese), how many arguments it takes, what it means, and
its *unit rule* (what its arguments must be and what unit its result has), and its
implementation over :mod:`eduint.core.values`.  The checker resolves calls, checks
arity and applies :attr:`Builtin.unit_rule` from this registry, so adding a built-in
is one entry here plus its implementation; the evaluator calls :attr:`Builtin.apply`
(plain functions) or :attr:`Builtin.reduce` (aggregates); ``docs/language.md`` lists
the built-ins from it (``tests/test_registries.py`` compares them).

Aggregates range over the entities of a lower scope (``sum(在校生数 over 学校)``).
The evaluator gathers, for the entities kept by the ``where`` filter, the argument's
value and the entity's multiplicity (a size band of 12 classes counts 12 times),
and hands them to :attr:`Builtin.reduce` as an :class:`Items`.  Whether the list of
entities is complete, and entities whose filter is undecided, are part of the
input, because each aggregate treats them differently (``all`` is false on one
false entity even in an incomplete list; ``count`` is unknown).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Protocol

import attrs

from eduint.checking.ruleset import BOOL, Const, ListOf, RExpr, Type
from eduint.core import values as v
from eduint.core.units import DIMENSIONLESS, parse_unit
from eduint.core.values import Value
from eduint.language.diagnostics import Span

__all__ = [
    "AGGREGATES",
    "BUILTINS",
    "COMBINERS",
    "FUNCTIONS",
    "Builtin",
    "BuiltinKind",
    "Combiner",
    "Items",
    "UnitCheck",
    "UnitRule",
    "lookup",
]


class BuiltinKind(str, enum.Enum):
    """A plain function of its arguments, or an aggregate over a lower scope."""

    FUNCTION = "function"
    AGGREGATE = "aggregate"


@attrs.frozen
class Items:
    """What an aggregate reduces: the kept entities' values and multiplicities.

    Attributes:
        values: the argument's value for each kept entity (``True`` when the aggregate
            takes no argument, as ``count`` does).
        mults: each kept entity's multiplicity (1, or the number of classes in a band).
        undecided: why the ``where`` filter is undecided, once per such entity.
        undecided_mult: the total multiplicity of those entities.
        incomplete: why the list of entities is incomplete, or ``None`` when complete.
        over: the scope ranged over (its :class:`~eduint.checking.schema.ScopeKind`
            value, ``school``), for reasons.
    """

    values: Sequence[Value]
    mults: Sequence[int]
    undecided: Sequence[v.Unknown] = ()
    undecided_mult: int = 0
    incomplete: v.Unknown | None = None
    over: str = ""


class UnitCheck(Protocol):
    """One call of a built-in, as its unit rule sees it (the checker implements it).

    The arguments are checked already, none of them is in error, and their number is
    within :attr:`Builtin.arity`.
    """

    @property
    def name(self) -> str:
        """The name the call is written with (``每百`` or ``per100``), for messages."""

    @property
    def args(self) -> tuple[RExpr, ...]:
        """The checked arguments (before ``over`` for an aggregate)."""

    @property
    def spans(self) -> tuple[Span | None, ...]:
        """Where each argument is written."""

    @property
    def span(self) -> Span | None:
        """Where the whole call is written."""

    def error(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        """Report a diagnostic; the check goes on."""

    def need_number(self, i: int) -> None:
        """``E205`` unless argument ``i`` is a number."""

    def same_units(self, what: str) -> tuple[RExpr, RExpr]:
        """The first two arguments in one unit: a bare literal takes the other's unit
        (``max(在校生数, 1)`` means 1 人); ``E202`` when neither can (``cannot WHAT 人
        and 元``)."""


#: A built-in's unit rule: the call's arguments (a bare literal may have taken the
#: other argument's unit) and the type of its result.  It reports through the
#: :class:`UnitCheck` what is wrong with the arguments (``E201``, ``E205``) and
#: still returns a type, so that one mistake is reported once.
UnitRule = Callable[[UnitCheck], tuple[tuple[RExpr, ...], Type]]


@attrs.frozen
class Builtin:
    """One built-in.

    Attributes:
        name: the canonical name (``per100``).
        aliases: other names a rule file may use (``每百``).
        kind: function or aggregate.
        arity: the number of arguments (``(min, max)``, before ``over`` for aggregates).
        summary: what it computes, in Chinese; summary_en: in English.
        apply: a function's implementation: values in, value out.
        reduce: an aggregate's implementation over :class:`Items` (``cv`` has none: the
            evaluator computes the 差异系数 itself, see :mod:`eduint.core.statistics`).
        unit_rule: what the checker requires of the arguments and the unit of the
            result (:data:`UnitRule`).
        arity_text: what the arguments are, for the ``E206`` message of a built-in
            whose number of arguments varies (``the indicator and optionally a
            weight``); ``None`` to state the number.
    """

    name: str
    aliases: tuple[str, ...]
    kind: BuiltinKind
    arity: tuple[int, int]
    summary: str
    summary_en: str
    apply: Callable[..., Value] | None = None
    reduce: Callable[[Items], Value] | None = None
    unit_rule: UnitRule = attrs.field(kw_only=True)
    arity_text: str | None = attrs.field(default=None, kw_only=True)

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name and its aliases."""
        return (self.name, *self.aliases)


# ------------------------------------------------------------------ functions


def _monotone(f: Callable[[Fraction], int]) -> Callable[[Value], Value]:
    def apply(x: Value) -> Value:
        if isinstance(x, v.Unknown):
            return x
        lo, hi, approx = v.bounds(x)  # type: ignore[arg-type]
        a, b = f(Fraction(lo)), f(Fraction(hi))
        return v.Interval(a, b, approx) if (a != b or approx) else a

    return apply


def _pick(f: Callable[[v.Exact, v.Exact], v.Exact]) -> Callable[[Value, Value], Value]:
    def apply(a: Value, b: Value) -> Value:
        if isinstance(a, v.Unknown) or isinstance(b, v.Unknown):
            return v.unknown(a, b)
        alo, ahi, aap = v.bounds(a)  # type: ignore[arg-type]
        blo, bhi, bap = v.bounds(b)  # type: ignore[arg-type]
        lo, hi = f(alo, blo), f(ahi, bhi)
        return v.Interval(lo, hi, aap or bap) if (lo != hi or aap or bap) else lo

    return apply


def _per100(a: Value, b: Value) -> Value:
    # x per 100 persons: 9 teachers for 1,000 students is 0.9 人/百人.  (a × 100) ÷ b is
    # a ÷ b × 100 exactly, intervals and unknowns alike, with one division.
    return v.div(v.mul(a, 100), b)


def _at_least(k: Value, items: Value) -> Value:
    if isinstance(k, v.Unknown):
        return k
    if not isinstance(items, tuple) or not v.is_number(k):
        raise TypeError("at_least(k, [conditions])")  # the checker forbids it
    lo, _, _ = v.bounds(k)  # type: ignore[arg-type]
    return v.kleene_count(lo, items)


# ----------------------------------------------------------------- aggregates


def _reasons(items: Items) -> v.Unknown | None:
    """The unknown that decides a numeric aggregate before any arithmetic: an
    incomplete list, then undecided filters, then unknown arguments."""
    if items.incomplete is not None:
        return items.incomplete
    if items.undecided:
        return v.unknown(*items.undecided)
    unknowns = [x for x in items.values if isinstance(x, v.Unknown)]
    return v.unknown(*unknowns) if unknowns else None


def _sum(items: Items) -> Value:
    u = _reasons(items)
    if u is not None:
        return u
    lo: v.Exact = 0
    hi: v.Exact = 0
    approx = False
    for x, m in zip(items.values, items.mults, strict=True):
        a, b, ap = v.bounds(x)  # type: ignore[arg-type]
        lo += a * m
        hi += b * m
        approx = approx or ap
    return v.Interval(lo, hi, approx) if (lo != hi or approx) else lo


def _mean(items: Items) -> Value:
    total = _sum(items)
    if isinstance(total, v.Unknown):
        return total
    n = sum(items.mults)
    if n == 0:
        return v.Unknown((v.Reason(v.Code.EMPTY_AGGREGATE, ("mean", items.over)),))
    # the mean of approximate figures is not flagged (as before the registry)
    lo, hi, _ = v.bounds(total)  # type: ignore[arg-type]
    return v.div(v.Interval(lo, hi) if lo != hi else lo, n)


def _extreme(name: str, pick: Callable[..., v.Exact]) -> Callable[[Items], Value]:
    def reduce(items: Items) -> Value:
        u = _reasons(items)
        if u is not None:
            return u
        if not items.values:
            return v.Unknown((v.Reason(v.Code.EMPTY_AGGREGATE, (name, items.over)),))
        bs = [v.bounds(x) for x in items.values]  # type: ignore[arg-type]
        lo, hi = pick(b[0] for b in bs), pick(b[1] for b in bs)
        return v.Interval(lo, hi) if lo != hi else lo

    return reduce


def _count(items: Items) -> Value:
    if items.incomplete is not None:
        return items.incomplete
    n = sum(items.mults)
    extra = items.undecided_mult
    return v.Interval(n, n + extra) if extra else n


def _share(items: Items) -> Value:
    if items.incomplete is not None:
        return items.incomplete
    if items.undecided:
        return v.unknown(*items.undecided)
    total = sum(items.mults)
    if total == 0:
        return v.Unknown((v.Reason(v.Code.EMPTY_AGGREGATE, ("share", items.over)),))
    yes = sum(m for x, m in zip(items.values, items.mults, strict=True) if x is True)
    maybe = sum(
        m for x, m in zip(items.values, items.mults, strict=True) if isinstance(x, v.Unknown)
    )
    lo, hi = Fraction(yes, total), Fraction(yes + maybe, total)
    return v.Interval(lo, hi) if lo != hi else lo


def _all(items: Items) -> Value:
    result = v.all_of([*items.values, *items.undecided])
    # one false entity decides `all` even in an incomplete list; true needs them all
    if items.incomplete is not None and result is True:
        return items.incomplete
    return result


def _any(items: Items) -> Value:
    result = v.any_of([*items.values, *items.undecided])
    if items.incomplete is not None and result is False:
        return items.incomplete
    return result


# ----------------------------------------------------------------- unit rules


def _keeps_unit(c: UnitCheck) -> tuple[tuple[RExpr, ...], Type]:
    # ceil, floor: a number, in the argument's unit
    c.need_number(0)
    return c.args, c.args[0].type


def _common_unit(fn: str) -> UnitRule:
    # max, min of two numbers: one unit for both, which the result has
    def rule(c: UnitCheck) -> tuple[tuple[RExpr, ...], Type]:
        a, b = c.same_units(f"take {fn} of")
        return (a, b), a.type if not a.type.literal else b.type

    return rule


def _quotient(c: UnitCheck) -> tuple[tuple[RExpr, ...], Type]:
    # ratio(a, b): in a's unit over b's
    c.need_number(0)
    c.need_number(1)
    a, b = c.args
    return c.args, Type("number", a.type.unit / b.type.unit)


def _per_hundred(c: UnitCheck) -> tuple[tuple[RExpr, ...], Type]:
    # per100(a, b): a per 100 persons, so b counts persons (人): a's unit over 百人
    c.need_number(0)
    c.need_number(1)
    a, b = c.args
    if b.type.kind == "number" and b.type.unit.dims != (("人", 1),):
        c.error(
            "E201",
            f"per100 counts per 100 persons; the second argument is in "
            f"{b.type.unit.describe() or 'a bare number'}",
            c.spans[1] or c.span,
            "pass the number of students (人) as the second argument",
        )
    return c.args, Type("number", a.type.unit / parse_unit("百人"))


def _at_least_units(c: UnitCheck) -> tuple[tuple[RExpr, ...], Type]:
    # at_least(k, [conditions]): a condition
    k, lst = c.args
    if not (isinstance(k, Const) and k.type.unit.dimensionless):
        c.error("E205", "at_least needs a whole number first: at_least(6, [...])", c.span)
    if not isinstance(lst, ListOf) or any(i.type.kind not in ("bool", "error") for i in lst.items):
        c.error(
            "E205",
            "at_least needs a list of conditions second: at_least(6, [a >= 1, ...])",
            c.span,
        )
    return c.args, BOOL


def _numeric(c: UnitCheck) -> tuple[tuple[RExpr, ...], Type]:
    # sum, mean, min, max over entities: a number, in the argument's unit
    c.need_number(0)
    return c.args, Type("number", c.args[0].type.unit)


def _counted(c: UnitCheck) -> tuple[tuple[RExpr, ...], Type]:
    # count: a bare number of entities
    return c.args, Type("number", DIMENSIONLESS)


def _of_condition(result: Type) -> UnitRule:
    # share, all, any: of a condition; a bare share or a condition
    def rule(c: UnitCheck) -> tuple[tuple[RExpr, ...], Type]:
        if c.args[0].type.kind not in ("bool", "error"):
            c.error(
                "E205",
                f"'{c.name}' needs a condition, got {c.args[0].type.describe()}",
                c.spans[0],
            )
        return c.args, result

    return rule


def _cv_units(c: UnitCheck) -> tuple[tuple[RExpr, ...], Type]:
    # cv(indicator[, weight]): a bare number; the weight counts students (人)
    for i in range(len(c.args)):
        c.need_number(i)
    if (
        len(c.args) == 2
        and c.args[1].type.kind == "number"
        and c.args[1].type.unit.dims != (("人", 1),)
    ):
        c.error(
            "E201",
            f"the weight of a 差异系数 is a number of students (人), got "
            f"{c.args[1].type.unit.describe() or 'a bare number'}",
            c.spans[1],
            "weight by 在校生数",
        )
    return c.args, Type("number", DIMENSIONLESS)


def _outcome_units(c: UnitCheck) -> tuple[tuple[RExpr, ...], Type]:
    """``outcome(RULE)`` is read by the checker itself (the rule is a name, not an
    expression): a symbol of the rule's outcome."""
    return c.args, Type("symbol", enum="RuleOutcome")


def _b(
    name: str,
    aliases: tuple[str, ...],
    kind: BuiltinKind,
    arity: tuple[int, int],
    summary: str,
    summary_en: str,
    *,
    unit_rule: UnitRule,
    apply: Callable[..., Value] | None = None,
    reduce: Callable[[Items], Value] | None = None,
    arity_text: str | None = None,
) -> Builtin:
    return Builtin(
        name,
        aliases,
        kind,
        arity,
        summary,
        summary_en,
        apply,
        reduce,
        unit_rule=unit_rule,
        arity_text=arity_text,
    )


F, A = BuiltinKind.FUNCTION, BuiltinKind.AGGREGATE

#: Every built-in, functions first, in documentation order.
BUILTINS: tuple[Builtin, ...] = (
    _b(
        "ceil",
        ("向上取整",),
        F,
        (1, 1),
        "向上取整",
        "round up to a whole number",
        apply=_monotone(math.ceil),
        unit_rule=_keeps_unit,
    ),
    _b(
        "floor",
        ("向下取整",),
        F,
        (1, 1),
        "向下取整",
        "round down to a whole number",
        apply=_monotone(math.floor),
        unit_rule=_keeps_unit,
    ),
    _b(
        "max",
        (),
        F,
        (2, 2),
        "两数中较大者",
        "the larger of two numbers",
        apply=_pick(max),
        unit_rule=_common_unit("max"),
    ),
    _b(
        "min",
        (),
        F,
        (2, 2),
        "两数中较小者",
        "the smaller of two numbers",
        apply=_pick(min),
        unit_rule=_common_unit("min"),
    ),
    _b(
        "ratio",
        ("比值",),
        F,
        (2, 2),
        "比值 a ÷ b",
        "the ratio a ÷ b",
        apply=v.div,
        unit_rule=_quotient,
    ),
    _b(
        "per100",
        ("每百",),
        F,
        (2, 2),
        "每百人拥有数：a ÷ b × 100",
        "per 100 persons: a ÷ b × 100",
        apply=_per100,
        unit_rule=_per_hundred,
    ),
    _b(
        "at_least",
        ("至少",),
        F,
        (2, 2),
        "条件列表中至少 k 项成立",
        "at least k of the conditions hold",
        apply=_at_least,
        unit_rule=_at_least_units,
    ),
    _b(
        "outcome",
        ("结论",),
        F,
        (1, 1),
        "另一条规则对同一对象的结论（达到、基本达到、未达到、不适用）",
        "another rule's outcome for the same entity (达到, 基本达到, 未达到, 不适用)",
        unit_rule=_outcome_units,
        arity_text="one rule: its id or label",
    ),
    _b("sum", ("合计",), A, (1, 1), "合计", "the sum", reduce=_sum, unit_rule=_numeric),
    _b("mean", ("平均",), A, (1, 1), "平均值", "the mean", reduce=_mean, unit_rule=_numeric),
    _b(
        "min",
        ("最小",),
        A,
        (1, 1),
        "最小值",
        "the smallest value",
        reduce=_extreme("min", min),
        unit_rule=_numeric,
    ),
    _b(
        "max",
        ("最大",),
        A,
        (1, 1),
        "最大值",
        "the largest value",
        reduce=_extreme("max", max),
        unit_rule=_numeric,
    ),
    _b(
        "count",
        ("计数",),
        A,
        (0, 0),
        "满足条件的对象数",
        "the number of entities",
        reduce=_count,
        unit_rule=_counted,
    ),
    _b(
        "share",
        ("占比",),
        A,
        (1, 1),
        "满足条件的对象占比",
        "the share of entities for which a condition holds",
        reduce=_share,
        unit_rule=_of_condition(Type("number", DIMENSIONLESS)),
    ),
    _b(
        "all",
        ("全部",),
        A,
        (1, 1),
        "全部对象满足条件",
        "the condition holds for every entity",
        reduce=_all,
        unit_rule=_of_condition(BOOL),
    ),
    _b(
        "any",
        ("任一",),
        A,
        (1, 1),
        "至少一个对象满足条件",
        "the condition holds for some entity",
        reduce=_any,
        unit_rule=_of_condition(BOOL),
    ),
    _b(
        "cv",
        ("差异系数",),
        A,
        (1, 2),
        "按学生数加权的校际差异系数（可另给权重）",
        "the student-weighted coefficient of variation (差异系数), optionally with a weight",
        unit_rule=_cv_units,
        arity_text="the indicator and optionally a weight",
    ),
)

#: Plain functions by every name they may be called by.
FUNCTIONS: Mapping[str, Builtin] = {
    name: b for b in BUILTINS if b.kind is BuiltinKind.FUNCTION for name in b.names
}
#: Aggregates by every name they may be called by.
AGGREGATES: Mapping[str, Builtin] = {
    name: b for b in BUILTINS if b.kind is BuiltinKind.AGGREGATE for name in b.names
}


def lookup(name: str, *, aggregate: bool) -> Builtin | None:
    """The built-in called ``name`` (canonical or alias), as a function or an aggregate."""
    return (AGGREGATES if aggregate else FUNCTIONS).get(name)


@attrs.frozen
class Combiner:
    """How the outcomes of parts or members combine into one verdict.

    Attributes:
        name: canonical name; aliases: Chinese names.
        summary: meaning in Chinese; summary_en: in English.
    """

    name: str
    aliases: tuple[str, ...]
    summary: str
    summary_en: str


#: Every combination rule (the evaluator implements each by name in the engine).
COMBINERS: tuple[Combiner, ...] = (
    Combiner(
        "worst",
        ("最差",),
        "取最差结论（未达到 > 缺少数据 > 基本达到 > 达到）",
        "the worst outcome (not met > no data > basically met > met)",
    ),
    Combiner("all_met", ("全部达到",), "全部达到才达到", "met only when every one is met"),
    Combiner("any_met", ("任一达到",), "任一达到即达到", "met when any one is met"),
)
