"""Walking and rebuilding the checked IR: what a rule file owns, and where.

A mutant or a probe is a new :class:`~eduint.checking.ruleset.RuleSet` built with
``attrs.evolve`` along a *path* of attribute names and tuple indexes; nothing is
evaluated as code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

import attrs

from eduint.checking.ruleset import (
    CheckedRule,
    Container,
    KeyedEntryValue,
    KeyedValue,
    Origin,
    PeriodValue,
    RuleSet,
)

__all__ = [
    "Path",
    "get_at",
    "leaf_owner",
    "leaf_place",
    "owned",
    "replace_at",
    "replace_rule",
    "walk",
]

Path = tuple[str | int, ...]
"""Attribute names and tuple indexes from a node down to a sub-node."""


def owned(origin: Origin | None, ruleset: RuleSet) -> bool:
    """Whether an element was set by the rule set's own file (not inherited)."""
    return origin is not None and origin.ruleset == ruleset.id


def walk(node: object, path: Path = ()) -> Iterator[tuple[Path, object]]:
    """Every attrs node and tuple element below ``node`` (itself included), with its
    path, parents before children (iteratively: no recursion limit)."""
    stack: list[tuple[Path, object]] = [(path, node)]
    while stack:
        p, x = stack.pop()
        if attrs.has(type(x)):
            yield p, x
            kids = [
                (p + (f.name,), getattr(x, f.name))
                for f in attrs.fields(cast(Any, type(x)))
                if f.eq
            ]
            stack.extend(reversed(kids))
        elif isinstance(x, tuple):
            stack.extend(reversed([(p + (i,), y) for i, y in enumerate(x)]))


def get_at(node: Any, path: Path) -> Any:
    """The sub-node at ``path``."""
    for step in path:
        node = node[step] if isinstance(step, int) else getattr(node, step)
    return node


def replace_at(node: Any, path: Path, new: object) -> Any:
    """``node`` with the sub-node at ``path`` replaced (frozen nodes rebuilt upwards)."""
    if not path:
        return new
    step, rest = path[0], path[1:]
    if isinstance(step, int):
        items = list(node)
        items[step] = replace_at(items[step], rest, new)
        return tuple(items)
    return attrs.evolve(node, **{step: replace_at(getattr(node, step), rest, new)})


def replace_rule(
    ruleset: RuleSet, rule_id: str, fn: Callable[[CheckedRule], CheckedRule]
) -> RuleSet:
    """The rule set with the item, part or rule ``rule_id`` replaced by ``fn(rule)``."""

    def members(ms: tuple[Container | CheckedRule, ...]) -> tuple[Container | CheckedRule, ...]:
        return tuple(member(m) for m in ms)

    def member(m: Container | CheckedRule) -> Container | CheckedRule:
        if isinstance(m, Container):
            return attrs.evolve(m, members=members(m.members))
        if m.id == rule_id:
            return fn(m)
        if m.parts:
            return attrs.evolve(m, parts=tuple(member(p) for p in m.parts))  # type: ignore[misc]
        return m

    return attrs.evolve(ruleset, members=members(ruleset.members))


def leaf_owner(root: object, path: Path, whole: Origin | None) -> Origin | None:
    """The origin of the innermost keyed entry or dated period above ``path`` that has
    one (a relaxation's entry, an override's period), else the value's own."""
    for i in range(len(path), -1, -1):
        node = get_at(root, path[:i])
        if isinstance(node, (KeyedEntryValue, PeriodValue)) and node.origin is not None:
            return node.origin
    return whole


def leaf_place(
    root: object, path: Path, kind: str | None
) -> tuple[list[str | None], PeriodValue | None]:
    """The keys (of kind ``kind``) and the dated period a leaf at ``path`` is under."""
    keys: list[str | None] = [None]
    period = None
    for i in range(len(path)):
        node = get_at(root, path[:i])
        if isinstance(node, PeriodValue):
            period = node
        if isinstance(node, KeyedValue) and node.kind == kind and i + 1 < len(path):
            entry = node.entries[cast(int, path[i + 1])]
            keys = list(entry.keys)
    return keys, period
