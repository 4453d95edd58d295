"""Private: checks that need every rule and value of a rule set at once.

Run by the checker on the finished rule set (for a file that extends another, on the
merged one):

* ``outcome(RULE)`` (:class:`~eduint.checking.ruleset.OutcomeRef`): the rule exists
  (``E113``), has a requirement of its own and is evaluated for the same entities as the
  place that reads it (``E318``: the rule's own scope, or inside an aggregate the scope
  ranged over), and no outcomes refer to each other in a cycle (``E318``);
* keys (``E316``): a keyed value covers every key its uses can reach.  A value keyed by
  segment used in a rule scoped to ``[小学, 初中]`` must have both (a rule without a
  segment list names none: its value's keys say which segments it was written for); by
  location, in a rule of schools, segments or classes, all three; by region, all three.
  Province and school-kind keys are open-ended.  Uses inside an aggregate are left to
  run time, where an entity whose key no entry covers is 缺少数据, naming the key.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from eduint.checking.ruleset import (
    Aggregate,
    CheckedRule,
    DatedValue,
    KeyedValue,
    LetRef,
    OutcomeRef,
    RExpr,
    RuleSet,
    SourceRef,
    Type,
    ValueRef,
)
from eduint.checking.schema import ScopeKind
from eduint.language.diagnostics import Diagnostic, Span, did_you_mean

__all__ = ["key_problems", "outcome_problems"]

_ALL_KEYS = {
    "location": ("城区", "镇区", "乡村"),
    "region": ("东部", "中部", "西部"),
}
_HAS_SEGMENT = (ScopeKind.COUNTY_SEGMENT, ScopeKind.SEGMENT, ScopeKind.CLASS)
_HAS_LOCATION = (ScopeKind.SCHOOL, ScopeKind.SEGMENT, ScopeKind.CLASS)


def _exprs(rule: CheckedRule) -> list[RExpr]:
    out = [e for e in (rule.applies, rule.require, rule.basically) if e is not None]
    out += [e for _, e in rule.lets]
    out += [e for _, e in rule.reports]
    return out


def _children(x: object) -> Iterator[object]:
    for a in attrs.fields(type(x)):  # type: ignore[arg-type]
        v = getattr(x, a.name)
        for item in v if isinstance(v, tuple) else (v,):
            if attrs.has(type(item)) and not isinstance(item, (Type, SourceRef)):
                yield item


def _refs(e: RExpr, scope: ScopeKind) -> Iterator[tuple[OutcomeRef, ScopeKind]]:
    """Every ``outcome(…)`` in ``e`` with the scope it is read in."""
    stack: list[tuple[object, ScopeKind]] = [(e, scope)]
    while stack:
        x, s = stack.pop()
        if isinstance(x, OutcomeRef):
            yield x, s
        elif isinstance(x, Aggregate):
            stack.extend((c, x.over) for c in _children(x))
        elif attrs.has(type(x)):
            stack.extend((c, s) for c in _children(x))


def _find(ruleset: RuleSet, name: str) -> CheckedRule | None:
    for r in ruleset.rules():
        if r.id == name or r.label == name:
            return r
    return None


def outcome_problems(
    ruleset: RuleSet, file: str, dropped: dict[str, Span | None] | None = None
) -> list[Diagnostic]:
    """``E113`` and ``E318`` for the ``outcome(…)`` references of ``ruleset``.

    Args:
        ruleset: the checked (merged) rule set.
        file: the file being checked: references in other files (a parent's) were
            checked with it and are not reported again.
        dropped: the rules this file drops, with where: a parent's ``outcome(…)`` of
            one of them is reported at the ``drop``.
    """
    dropped = dropped or {}
    out: list[Diagnostic] = []
    edges: dict[str, list[tuple[str, Span | None]]] = {}
    ids = [r.id for r in ruleset.rules()]
    for rule in ruleset.rules():
        for e in _exprs(rule):
            for ref, scope in _refs(e, rule.scope):
                mine = ref.span is None or ref.span.file == file
                target = _find(ruleset, ref.rule)
                if target is None and ref.rule in dropped:
                    out.append(
                        Diagnostic(
                            "E318",
                            f"'{ref.rule}' cannot be dropped: rule '{rule.id}' reads "
                            f"outcome({ref.rule})",
                            dropped[ref.rule],
                            f"drop '{rule.id}' too, or override it so that it does not",
                        )
                    )
                    continue
                if target is None and not mine:
                    continue
                if target is None:
                    sug = did_you_mean(ref.rule, ids)
                    out.append(
                        Diagnostic(
                            "E113",
                            f"outcome({ref.rule}): no item, part or rule '{ref.rule}'",
                            ref.span,
                            f"did you mean '{sug}'?" if sug else "name a rule by its id or label",
                        )
                    )
                    continue
                edges.setdefault(rule.id, []).append((target.id, ref.span))
                problem = _fit(target, scope)
                if problem is not None and mine:
                    out.append(Diagnostic("E318", problem[0], ref.span, problem[1]))
    out.extend(_cycles(edges))
    return out


def _fit(target: CheckedRule, scope: ScopeKind) -> tuple[str, str] | None:
    """Why ``outcome(target)`` cannot be read in ``scope``, with a hint, or ``None``."""
    if target.parts:
        return (
            f"outcome({target.id}): item '{target.id}' has parts; its outcome is combined "
            "from theirs",
            "read the outcome of one of its parts",
        )
    if target.require is None:
        return (
            f"outcome({target.id}): '{target.id}' has no requirement of its own",
            "read a rule with 'require'",
        )
    if target.scope != scope:
        return (
            f"outcome({target.id}) is evaluated for each {target.scope.label}, but read "
            f"here for each {scope.label}",
            f"read it in a rule of scope {target.scope.spelling}, or aggregate it: "
            f"share(outcome({target.id}) == 达到 over …)",
        )
    return None


def _cycles(edges: dict[str, list[tuple[str, Span | None]]]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    state: dict[str, int] = {}
    for root in edges:
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                if state.get(node) == 2:
                    continue
                if state.get(node) == 1:
                    cycle = [*path[path.index(node) :], node]
                    span = next(s for t, s in edges[path[-1]] if t == node)
                    out.append(
                        Diagnostic(
                            "E318",
                            "outcomes refer to each other in a cycle: " + " → ".join(cycle),
                            span,
                            "a rule cannot depend on its own outcome",
                        )
                    )
                    continue
                state[node] = 1
                path.append(node)
            nexts = [t for t, _ in edges.get(node, [])]
            if i < len(nexts):
                stack.append((node, i + 1))
                stack.append((nexts[i], 0))
            else:
                state[node] = 2
                path.pop()
    return out


# ---------------------------------------------------------------------- keys


def _needed(kind: str, rule: CheckedRule) -> tuple[str, ...]:
    """The keys of ``kind`` the entities of ``rule`` can have."""
    if kind == "segment":
        return (rule.segments or ()) if rule.scope in _HAS_SEGMENT else ()
    if kind == "location":
        return _ALL_KEYS["location"] if rule.scope in _HAS_LOCATION else ()
    return _ALL_KEYS.get(kind, ())


def _keyed_uses(ruleset: RuleSet, rule: CheckedRule) -> Iterator[tuple[KeyedValue, str | None]]:
    """The keyed values ``rule`` reads outside aggregates, each with the named value it
    belongs to (``None`` for one written in the rule)."""
    seen: set[str] = set()
    stack: list[tuple[object, str | None]] = [(e, None) for e in _exprs(rule)]
    while stack:
        x, owner = stack.pop()
        if isinstance(x, Aggregate):
            continue
        if isinstance(x, ValueRef):
            if x.name not in seen and x.name in ruleset.values:
                seen.add(x.name)
                stack.append((ruleset.values[x.name].value, x.name))
            continue
        if isinstance(x, LetRef):
            continue  # the let's own expression is among the rule's
        if isinstance(x, KeyedValue):
            yield x, owner
        if isinstance(x, DatedValue):
            stack.extend((p.value, owner) for p in x.periods if p.value is not None)
            continue
        if attrs.has(type(x)):
            stack.extend((c, owner) for c in _children(x))


def key_problems(ruleset: RuleSet, file: str) -> list[Diagnostic]:
    """``E316`` for each keyed value that lacks keys its uses reach (once per value).

    Args:
        ruleset: the checked (merged) rule set.
        file: the file being checked: a missing key is reported at the value when it
            is declared there, else at the rule that reaches it.
    """
    found: dict[tuple[int, str], tuple[KeyedValue, str | None, list[str], CheckedRule]] = {}
    for rule in ruleset.rules():
        for kv, owner in _keyed_uses(ruleset, rule):
            have = {k for x in kv.entries for k in x.keys}
            missing = [k for k in _needed(kv.kind, rule) if k not in have]
            if missing:
                found.setdefault((id(kv), ",".join(missing)), (kv, owner, missing, rule))
    out: list[Diagnostic] = []
    for kv, owner, missing, rule in found.values():
        what = f"value '{owner}'" if owner else "the keyed value"
        here = [s for s in (kv.span, rule.span) if s is None or s.file == file]
        if not here:
            continue  # the parent's own problem, reported when it was checked
        at = here[0]
        out.append(
            Diagnostic(
                "E316",
                f"{what} has no entry for {', '.join(missing)} (by {kv.kind}), which rule "
                f"'{rule.id}' reaches ({rule.scope.label}"
                + (f" [{', '.join(rule.segments)}]" if rule.segments else "")
                + ")",
                at,
                f"add {', '.join(missing)} to the value, or narrow the rule's scope"
                + (" with a segment list" if kv.kind == "segment" else ""),
            )
        )
    return out
