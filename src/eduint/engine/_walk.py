"""Walks over checked expressions that the compiler needs before it compiles anything:
the operands of arithmetic, the row expressions worth computing once per entity, and
the named values a value uses, in dependency order.

Every walk is iterative or bounded by the parser's nesting limit, so a chain of 36,000
named values costs linear time and no deep recursion (issue 14).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from eduint.checking.ruleset import (
    Aggregate,
    Binary,
    Const,
    FieldRef,
    Function,
    NamedValue,
    Negate,
    RExpr,
    RuleSet,
    ValueRef,
)
from eduint.checking.schema import ScopeKind

__all__ = ["dependencies", "operands", "shared"]


def operands(e: RExpr) -> tuple[RExpr, ...]:
    """The direct operands of arithmetic and function calls (none for other nodes)."""
    if isinstance(e, Binary):
        return (e.left, e.right)
    if isinstance(e, Negate):
        return (e.operand,)
    if isinstance(e, Function):
        return e.args
    return ()


def _value_refs(e: RExpr) -> list[str]:
    """The named values ``e`` uses itself (not those they use), in order, once each."""
    found: dict[str, None] = {}
    stack: list[object] = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, ValueRef):
            found[node.name] = None
            continue
        for name in _node_fields(type(node)):
            x = getattr(node, name)
            if isinstance(x, tuple):
                stack.extend(reversed(x))
            elif x is not None:
                stack.append(x)
    return list(found)


# The fields that may hold expressions, per node type, looked up once per type: types,
# units, spans and text hold none.
_NODE_FIELDS: dict[type, tuple[str, ...]] = {}
_NOT_NODES = frozenset({"type", "span", "sources", "text"})


def _node_fields(kind: type) -> tuple[str, ...]:
    names = _NODE_FIELDS.get(kind)
    if names is None:
        fields = attrs.fields(kind) if attrs.has(kind) else ()
        names = _NODE_FIELDS[kind] = tuple(a.name for a in fields if a.name not in _NOT_NODES)
    return names


def _row_pure(e: RExpr) -> bool:
    """An expression of figures and constants only (no named value, let, aggregate,
    condition): its value and its reads depend on the entity alone."""
    if isinstance(e, (FieldRef, Const)):
        return True
    if isinstance(e, Function) and e.fn == "at_least":
        return False
    if isinstance(e, (Binary, Negate, Function)):
        return all(_row_pure(c) for c in operands(e))
    return False


def shared(ruleset: RuleSet) -> set[tuple[RExpr, ScopeKind]]:
    """The row expressions (with a figure in them) that occur twice or more in the same
    scope: worth computing once per entity."""
    counts: dict[tuple[RExpr, ScopeKind], int] = {}
    stack: list[tuple[object, ScopeKind]] = []
    for rule in ruleset.rules():
        exprs = [rule.applies, rule.require, rule.basically, *(x for _, x in rule.lets)]
        exprs += [x for _, x in rule.reports]
        stack.extend((x, rule.scope) for x in exprs if x is not None)
    while stack:
        node, scope = stack.pop()
        if isinstance(node, (Binary, Negate, Function)) and _row_pure(node):
            if any(isinstance(x, FieldRef) for x in _leaves(node)):
                key = (node, scope)
                counts[key] = counts.get(key, 0) + 1
        if isinstance(node, Aggregate):
            stack.extend((x, node.over) for x in (*node.args, node.where) if x is not None)
        elif attrs.has(type(node)) and not isinstance(node, ValueRef):
            for a in attrs.fields(type(node)):  # type: ignore[arg-type]
                x = getattr(node, a.name)
                if isinstance(x, tuple):
                    stack.extend((y, scope) for y in x)
                elif attrs.has(type(x)):
                    stack.append((x, scope))
    return {k for k, n in counts.items() if n > 1}


def _leaves(e: RExpr) -> list[RExpr]:
    ops = operands(e)
    return [e] if not ops else [x for c in ops for x in _leaves(c)]


def dependencies(values: Mapping[str, NamedValue], name: str) -> list[str]:
    """``name`` and every value it uses, directly or not, each after the values it
    uses (an iterative depth-first walk; the checker has refused cycles).

    Args:
        values: the rule set's named values.
        name: a name in ``values``.

    Returns:
        The names in compile order, ``name`` last.
    """
    order: list[str] = []
    seen: set[str] = set()
    stack: list[tuple[str, bool]] = [(name, False)]
    while stack:
        current, done = stack.pop()
        if done:
            order.append(current)
            continue
        if current in seen:
            continue
        seen.add(current)
        stack.append((current, True))
        used = _value_refs(values[current].value)
        stack.extend((u, False) for u in reversed(used) if u not in seen)
    return order
