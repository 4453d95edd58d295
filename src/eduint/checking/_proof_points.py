"""Keys and dated periods of the strictness proof: which points a rule is compared at.

A rule reads values keyed by segment, location or region, and dated values; the proof
compares parent and child at every combination of the keys those values (of either
rule) use, and in every *elementary period*: the dates cut at every period boundary of
either side, so that within one elementary period each dated value has one value in
force (or none).  A period is labelled like the engine labels it
(``2016-01-01–2016-12-31``, ``2017-01-01–``, ``–2015-12-31``).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Iterator

import attrs

from eduint.checking._proof_formula import Point
from eduint.checking.ruleset import (
    CheckedRule,
    DatedValue,
    FieldRef,
    KeyedValue,
    RExpr,
    RuleSet,
    ValueRef,
)
from eduint.checking.schema import ScopeKind

__all__ = ["KEYS", "Labelled", "points", "reads", "rule_nodes", "value_points"]

#: The keys of each key kind, in the order reports list them.
KEYS: dict[str, tuple[str, ...]] = {
    "region": ("东部", "中部", "西部"),
    "location": ("城区", "镇区", "乡村"),
    "segment": ("小学", "初中", "高中"),
}

#: Scopes whose entities have a segment.
SEGMENTED = (ScopeKind.SEGMENT, ScopeKind.COUNTY_SEGMENT, ScopeKind.CLASS)

_SYMBOL_KINDS = {"segment": "segment", "location": "location", "region": "region"}


@attrs.frozen
class Labelled:
    """A point with its key and period as text (``None`` where it has none)."""

    point: Point
    key: str | None
    period: str | None


def _walk(e: object) -> Iterator[object]:
    """Every node under ``e`` (iterative)."""
    stack: list[object] = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, tuple):
            stack.extend(x)
        elif attrs.has(type(x)):
            yield x
            for f in attrs.fields(type(x)):  # type: ignore[arg-type]
                if f.name not in ("type", "span", "sources"):
                    stack.append(getattr(x, f.name))


def _rule_exprs(rule: CheckedRule) -> list[RExpr]:
    out = [e for e in (rule.applies, rule.require, rule.basically) if e is not None]
    return out + [e for _, e in rule.lets]


def _reachable(ruleset: RuleSet, exprs: Iterable[object]) -> list[object]:
    """Every node of ``exprs`` and of the values they read, through other values."""
    nodes: list[object] = []
    seen: set[str] = set()
    todo = list(exprs)
    while todo:
        for x in _walk(todo.pop()):
            nodes.append(x)
            if isinstance(x, ValueRef) and x.name not in seen and x.name in ruleset.values:
                seen.add(x.name)
                todo.append(ruleset.values[x.name].value)
    return nodes


def reads(ruleset: RuleSet, rule: CheckedRule, name: str) -> bool:
    """Whether ``rule`` reads value ``name`` (through ``let`` bindings and other values)."""
    return any(
        isinstance(x, ValueRef) and x.name == name for x in _reachable(ruleset, _rule_exprs(rule))
    )


def _listed(nodes: Iterable[object]) -> dict[str, tuple[str, ...]]:
    """For each key kind, the keys the keyed values among ``nodes`` name (in order)."""
    out: dict[str, dict[str, None]] = {}
    for x in nodes:
        if isinstance(x, KeyedValue):
            keys = out.setdefault(x.kind, {})
            for entry in x.entries:
                keys.update(dict.fromkeys(entry.keys))
    return {kind: tuple(keys) for kind, keys in out.items()}


def _needs(nodes: Iterable[object]) -> tuple[set[str], set[datetime.date]]:
    """The key kinds and the period cuts (first days) the nodes depend on."""
    kinds: set[str] = set()
    cuts: set[datetime.date] = set()
    for x in nodes:
        if isinstance(x, KeyedValue):
            kinds.add(x.kind)
        elif isinstance(x, DatedValue):
            for p in x.periods:
                if p.start is not None:
                    cuts.add(p.start)
                if p.end is not None and p.end < datetime.date.max:
                    cuts.add(p.end + datetime.timedelta(days=1))
        elif isinstance(x, FieldRef) and x.field.name in _SYMBOL_KINDS:
            kinds.add(_SYMBOL_KINDS[x.field.name])
    return kinds, cuts


def _periods(
    cuts: set[datetime.date],
) -> list[tuple[datetime.date | None, str | None]]:
    """The elementary periods: (a day inside, label); ``[(None, None)]`` without cuts."""
    if not cuts:
        return [(None, None)]
    days = sorted(cuts)
    one = datetime.timedelta(days=1)
    out: list[tuple[datetime.date | None, str | None]] = [
        (days[0] - one, f"–{(days[0] - one).isoformat()}")
    ]
    for a, b in zip(days, [*days[1:], None], strict=True):
        end = "" if b is None else (b - one).isoformat()
        out.append((a, f"{a.isoformat()}–{end}"))
    return out


def _in_force(nodes: Iterable[object], day: datetime.date) -> bool:
    """Whether some dated value among ``nodes`` has a period in force on ``day``."""
    return any(
        (p.start is None or p.start <= day) and (p.end is None or day <= p.end)
        for x in nodes
        if isinstance(x, DatedValue)
        for p in x.periods
    )


def points(
    scope: ScopeKind,
    segments: tuple[tuple[str, ...] | None, ...],
    nodes: list[object],
    keys: dict[str, tuple[str, ...]] | None = None,
) -> list[Labelled]:
    """The points to compare two rules at.

    Args:
        scope: the rules' scope.
        segments: each rule's segment list (``None``: every segment).
        nodes: every expression node both rules read (:func:`rule_nodes`).
        keys: the keys of each kind to take (default :data:`KEYS`).
    """
    keys = KEYS if keys is None else keys
    kinds, cuts = _needs(nodes)
    segs: tuple[str | None, ...] = (None,)
    if scope in SEGMENTED and ("segment" in kinds or len(set(segments)) > 1):
        wanted = {s for lst in segments for s in (lst if lst is not None else keys["segment"])}
        segs = tuple(s for s in keys["segment"] if s in wanted)
    regions = keys["region"] if "region" in kinds else (None,)
    locations = keys["location"] if "location" in kinds else (None,)
    listed = _listed(nodes)
    other_kinds = sorted(k for k in kinds if k not in KEYS)
    others = list(itertools.product(*((listed.get(k, ()) or ("?",)) for k in other_kinds)))
    periods = _periods(cuts)
    if len(periods) > 1:
        periods = [p for p in periods if p[0] is None or _in_force(nodes, p[0])]
    out: list[Labelled] = []
    for other in others:
        extra = tuple(zip(other_kinds, other, strict=True))
        for region in regions:
            for location in locations:
                for segment in segs:
                    for day, label in periods:
                        names = (*other, region, location, segment)
                        key = ", ".join(k for k in names if k is not None)
                        point = Point(segment, location, region, day, extra)
                        out.append(Labelled(point, key or None, label))
    return out


def rule_nodes(ruleset: RuleSet, rule: CheckedRule | None) -> list[object]:
    """Every expression node ``rule`` reads, values followed (``[]`` for no rule)."""
    return [] if rule is None else _reachable(ruleset, _rule_exprs(rule))


def value_points(old: RExpr, new: RExpr) -> list[Labelled]:
    """The cells of a value: every key combination and elementary period either version
    of it distinguishes."""
    nodes = list(_walk(old)) + list(_walk(new))
    listed = _listed(nodes)
    keys = {kind: tuple(k for k in KEYS[kind] if k in listed.get(kind, ())) for kind in KEYS}
    return points(ScopeKind.SEGMENT, (keys["segment"],), nodes, keys)
