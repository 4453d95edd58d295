"""The registry of built-in functions and aggregates, written once.

Each :class:`Builtin` gives a function's canonical name, the names a rule file may
call it by (English and Chinese), how many arguments it takes, what it means, and
its implementation over :mod:`eduint.core.values`.  The checker resolves calls and
checks arity against this registry; the evaluator calls :attr:`Builtin.apply` (plain
functions) or :attr:`Builtin.reduce` (aggregates); ``docs/language.md`` lists the
built-ins from it (``tests/test_registries.py`` compares them).

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

import attrs

from eduint.core import values as v
from eduint.core.values import Value

__all__ = [
    "AGGREGATES",
    "BUILTINS",
    "COMBINERS",
    "FUNCTIONS",
    "Builtin",
    "BuiltinKind",
    "Combiner",
    "Items",
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
        over: the Chinese name of the scope ranged over (``学校``), for reasons.
    """

    values: Sequence[Value]
    mults: Sequence[int]
    undecided: Sequence[v.Unknown] = ()
    undecided_mult: int = 0
    incomplete: v.Unknown | None = None
    over: str = ""


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
    """

    name: str
    aliases: tuple[str, ...]
    kind: BuiltinKind
    arity: tuple[int, int]
    summary: str
    summary_en: str
    apply: Callable[..., Value] | None = None
    reduce: Callable[[Items], Value] | None = None

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


def _b(
    name: str,
    aliases: tuple[str, ...],
    kind: BuiltinKind,
    arity: tuple[int, int],
    summary: str,
    summary_en: str,
    *,
    apply: Callable[..., Value] | None = None,
    reduce: Callable[[Items], Value] | None = None,
) -> Builtin:
    return Builtin(name, aliases, kind, arity, summary, summary_en, apply, reduce)


F, A = BuiltinKind.FUNCTION, BuiltinKind.AGGREGATE

#: Every built-in, functions first, in documentation order.
BUILTINS: tuple[Builtin, ...] = (
    _b("ceil", ("向上取整",), F, (1, 1), "向上取整", "round up to a whole number",
       apply=_monotone(math.ceil)),
    _b("floor", ("向下取整",), F, (1, 1), "向下取整", "round down to a whole number",
       apply=_monotone(math.floor)),
    _b("max", (), F, (2, 2), "两数中较大者", "the larger of two numbers", apply=_pick(max)),
    _b("min", (), F, (2, 2), "两数中较小者", "the smaller of two numbers", apply=_pick(min)),
    _b("ratio", ("比值",), F, (2, 2), "比值 a ÷ b", "the ratio a ÷ b", apply=v.div),
    _b("per100", ("每百",), F, (2, 2), "每百人拥有数：a ÷ b × 100", "per 100 persons: a ÷ b × 100",
       apply=_per100),
    _b("at_least", ("至少",), F, (2, 2), "条件列表中至少 k 项成立", "at least k of the conditions hold",
       apply=_at_least),
    _b("sum", ("合计",), A, (1, 1), "合计", "the sum", reduce=_sum),
    _b("mean", ("平均",), A, (1, 1), "平均值", "the mean", reduce=_mean),
    _b("min", ("最小",), A, (1, 1), "最小值", "the smallest value", reduce=_extreme("min", min)),
    _b("max", ("最大",), A, (1, 1), "最大值", "the largest value", reduce=_extreme("max", max)),
    _b("count", ("计数",), A, (0, 0), "满足条件的对象数", "the number of entities", reduce=_count),
    _b("share", ("占比",), A, (1, 1), "满足条件的对象占比", "the share of entities for which a condition holds",
       reduce=_share),
    _b("all", ("全部",), A, (1, 1), "全部对象满足条件", "the condition holds for every entity", reduce=_all),
    _b("any", ("任一",), A, (1, 1), "至少一个对象满足条件", "the condition holds for some entity", reduce=_any),
    _b("cv", ("差异系数",), A, (1, 2), "按学生数加权的校际差异系数（可另给权重）",
       "the student-weighted coefficient of variation (差异系数), optionally with a weight"),
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
    Combiner("worst", ("最差",), "取最差结论（未达到 > 缺少数据 > 基本达到 > 达到）",
             "the worst outcome (not met > no data > basically met > met)"),
    Combiner("all_met", ("全部达到",), "全部达到才达到", "met only when every one is met"),
    Combiner("any_met", ("任一达到",), "任一达到即达到", "met when any one is met"),
)
