"""What a requirement compares, and which of its inputs a bureau can change.

Read from the checked rule (:mod:`eduint.checking.ruleset`), never from text: a
requirement is split into the terms of its top-level ``and``; each term is classified
(:func:`kind_of`), and its *levers* are the data fields it reads, through the rule's
``let`` bindings and through derived fields (教学及辅助用房计算面积 is read as 教学及辅助用房面积
less 室内体育用房面积), that the field registry marks actionable and that have a better
direction (:attr:`eduint.data.fields.FieldDef.actionable`, ``better``).  Enrolment,
boarders and migrant children are facts, never levers.  Fields read inside an aggregate
(``sum(班级数 over 学段)``) are not levers of the entity: they are other entities' figures.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

import attrs

from eduint.checking.ruleset import (
    Aggregate,
    Binary,
    CheckedRule,
    Const,
    FieldRef,
    Function,
    LetRef,
    ListOf,
    Logic,
    OutcomeRef,
    RExpr,
    ValueRef,
)
from eduint.core.refs import FieldRef as CoreFieldRef
from eduint.data.derived import DERIVED
from eduint.data.fields import COUNT_UNITS, SCOPES, field_def

__all__ = [
    "Lever",
    "at_least_parts",
    "class_size_read",
    "conjuncts",
    "cv_aggregate",
    "cv_aggregates",
    "fields_read",
    "kind_of",
    "levers",
    "reads_outcome",
    "rule_lets",
    "step_of",
]

#: Built-ins whose result is a ratio of two figures.
_RATIO_FUNCTIONS = frozenset({"ratio", "per100"})


@attrs.frozen
class Lever:
    """A data field a fix may change.

    Attributes:
        scope: the scope of the record that has it (``"segment"``, ``"school"`` …).
        name: the field's English name; label, label_en: its labels.
        unit: its unit as data files write it (``人``, ``平方米``, ``元``, ``%``).
        whole: True for a whole-number count.
        better: ``"more"`` or ``"less"``: the direction that helps.
        flag: True for a yes/no field (达到办学基本标准): the fix sets it to yes (one step).
    """

    scope: str
    name: str
    label: str | None
    label_en: str | None
    unit: str
    whole: bool
    better: str
    flag: bool = False

    @property
    def step(self) -> Decimal:
        """The search resolution (see :func:`step_of`)."""
        return step_of(self.unit, self.whole)


def step_of(unit: str, whole: bool) -> Decimal:
    """The resolution a fix is searched at, in ``unit``: 1 for a whole-number count
    (人, 间, 班), 1000 元 (shown as 0.1 万元), 0.1 for a percentage, else 1 (平方米)."""
    if whole or unit in COUNT_UNITS:
        return Decimal(1)
    if unit == "元":
        return Decimal(1000)
    if unit == "%":
        return Decimal("0.1")
    return Decimal(1)


def conjuncts(e: RExpr) -> list[RExpr]:
    """The terms of a top-level ``and`` chain, in order (``e`` itself when it is none)."""
    out: list[RExpr] = []
    stack = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, Logic) and x.op == "and":
            stack.append(x.right)
            stack.append(x.left)
        else:
            out.append(x)
    return out


def at_least_parts(e: RExpr) -> tuple[int, tuple[RExpr, ...]] | None:
    """``(k, conditions)`` of an ``at_least(k, [c₁, …])`` term, else ``None``."""
    if isinstance(e, Function) and e.fn == "at_least" and len(e.args) == 2:
        k, lst = e.args
        if isinstance(k, Const) and isinstance(lst, ListOf):
            return int(k.value), lst.items
    return None


def _walk(e: RExpr, lets: Mapping[str, RExpr], *, into_aggregates: bool) -> Iterator[object]:
    """Every node of ``e``, following ``let`` references once each; aggregates are
    yielded and entered only with ``into_aggregates``; named values are not entered."""
    stack: list[object] = [e]
    seen: set[str] = set()
    while stack:
        x = stack.pop()
        if not attrs.has(type(x)):
            continue
        yield x
        if isinstance(x, LetRef):
            if x.name not in seen and x.name in lets:
                seen.add(x.name)
                stack.append(lets[x.name])
            continue
        if isinstance(x, ValueRef) or (isinstance(x, Aggregate) and not into_aggregates):
            continue
        children: list[object] = []
        for a in attrs.fields(type(x)):  # type: ignore[arg-type]
            v = getattr(x, a.name)
            if isinstance(v, tuple):
                children.extend(v)
            elif attrs.has(type(v)):
                children.append(v)
        stack.extend(reversed(children))  # visit in source order


def cv_aggregate(e: RExpr, lets: Mapping[str, RExpr]) -> Aggregate | None:
    """The ``cv(…)`` aggregate a term compares, or ``None``."""
    for x in _walk(e, lets, into_aggregates=False):
        if isinstance(x, Aggregate) and x.fn == "cv":
            return x
    return None


def cv_aggregates(e: RExpr, lets: Mapping[str, RExpr]) -> tuple[Aggregate, ...]:
    """Every ``cv(…)`` aggregate a term compares (eight for the 2012 composite), in
    reading order."""
    return tuple(
        x
        for x in _walk(e, lets, into_aggregates=False)
        if isinstance(x, Aggregate) and x.fn == "cv"
    )


def class_size_read(e: RExpr, lets: Mapping[str, RExpr]) -> bool:
    """Whether the term reads a class's 班额 (directly, or in an aggregate over classes)."""
    return any(
        isinstance(x, FieldRef) and x.field.scope.value == "class" and x.field.name == "size"
        for x in _walk(e, lets, into_aggregates=True)
    )


def kind_of(e: RExpr, lets: Mapping[str, RExpr]) -> str:
    """What a requirement term compares: ``"at_least"``, ``"cv"``, ``"class_size"``,
    ``"ratio"`` (a ratio, share, per-student or per-100 figure: a division, ``ratio``,
    ``per100``, ``share(…)``, or a percentage of a figure), or ``"other"``."""
    if at_least_parts(e) is not None:
        return "at_least"
    if cv_aggregate(e, lets) is not None:
        return "cv"
    if class_size_read(e, lets):
        return "class_size"
    for x in _walk(e, lets, into_aggregates=False):
        if isinstance(x, Binary) and x.op == "/":
            return "ratio"
        if isinstance(x, Function) and x.fn in _RATIO_FUNCTIONS:
            return "ratio"
        if isinstance(x, Aggregate) and x.fn == "share":
            return "ratio"
        if isinstance(x, Binary) and x.op == "*" and _percent_of_figure(x, lets):
            return "ratio"
    return "other"


def _percent_of_figure(x: Binary, lets: Mapping[str, RExpr]) -> bool:
    """``10% * 符合交流条件教师数``: a share written as a percentage of a figure."""
    sides = (x.left, x.right)
    pct = any(s.type.unit.text == "%" for s in sides if isinstance(s, (Const, ValueRef)))
    fig = any(isinstance(n, FieldRef) for s in sides for n in _walk(s, lets, into_aggregates=False))
    return pct and fig


def reads_outcome(e: RExpr, lets: Mapping[str, RExpr]) -> bool:
    """Whether the term reads another rule's outcome (gaps does not follow it)."""
    return any(isinstance(x, OutcomeRef) for x in _walk(e, lets, into_aggregates=True))


def _lever_of(scope: str, name: str) -> Lever | None:
    model = SCOPES.get(scope)
    if model is None:
        return None
    try:
        fd = field_def(model, name)
    except KeyError:
        return None
    if fd.actionable is not True or fd.better is None:
        return None
    if fd.kind == "flag" and fd.better == "more":
        return Lever(scope, name, fd.label, fd.label_en, "", True, "more", flag=True)
    if fd.kind != "quantity":
        return None
    return Lever(scope, name, fd.label, fd.label_en, fd.unit or "", fd.count, fd.better)


def levers(e: RExpr, lets: Mapping[str, RExpr]) -> tuple[tuple[Lever, ...], bool]:
    """The levers of a term, in the order first read, and whether it reads any figure at
    all outside aggregates (False: it compares constants or aggregates only)."""
    out: dict[tuple[str, str], Lever] = {}
    reads = False
    for x in _walk(e, lets, into_aggregates=False):
        if not isinstance(x, FieldRef):
            continue
        reads = True
        info = x.field
        scope = info.scope.value
        names: list[tuple[str, str]] = [(scope, info.name)]
        if info.derived:
            d = next((d for d in DERIVED if d.name == info.name and d.scope == scope), None)
            names = list(d.inputs) if d is not None else []
        for s, n in names:
            lev = _lever_of(s, n)
            if lev is not None:
                out.setdefault((s, n), lev)
    return tuple(out.values()), reads


def fields_read(e: RExpr, lets: Mapping[str, RExpr]) -> tuple[CoreFieldRef, ...]:
    """The data fields a term reads outside aggregates, in reading order, once each."""
    out: dict[str, CoreFieldRef] = {}
    for x in _walk(e, lets, into_aggregates=False):
        if isinstance(x, FieldRef):
            f = x.field
            out.setdefault(f"{f.scope.value}.{f.name}", CoreFieldRef(f.name, f.label, f.label_en))
    return tuple(out.values())


def rule_lets(rule: CheckedRule) -> dict[str, RExpr]:
    """The rule's ``let`` bindings by name."""
    return dict(rule.lets)
