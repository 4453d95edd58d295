"""Mutants of a rule file, and the share of them its tests kill (the mutation score).

Mutants are made on the checked IR (:mod:`eduint.authoring._ir`), only on what the
rule file itself sets (its rules, parts, values, keyed entries, dated periods and
settings; inherited rules are the national file's tests' business):

=================  ==================================================================
``threshold``      each number of a value or of a comparison, ± 1 %
``operator``       ``>=`` ↔ ``>``, ``<=`` ↔ ``<``
``at_least``       the k of ``at_least(k, […])``, ± 1
``band``           a percentage multiplying a threshold (``85% * T``), ± 5 points
``conjunct``       one side of an ``and`` dropped
``period``         a dated period's boundary moved by a day (both sides of a shared one)
``setting``        a number setting (a teaching-point minimum), ± 1 %
=================  ==================================================================

A mutant is *equivalent* when it provably changes no verdict on any valid data: it
changes nothing (± 1 % of a zero limit), or it moves a limit compared with a
whole-number count (the data model's ``count`` metadata) without moving it past an
integer (``班额 <= 45 人`` and ``班额 <= 45.45 人`` agree on every class).  Equivalent
mutants are listed apart and left out of the score.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import cast

import attrs

from eduint.authoring._ir import (
    Path,
    get_at,
    leaf_owner,
    leaf_place,
    owned,
    replace_at,
    replace_rule,
    walk,
)
from eduint.authoring.cases import TestFile
from eduint.authoring.runner import counties_of, killed_by
from eduint.checking.ruleset import (
    Aggregate,
    Binary,
    CheckedRule,
    Comparison,
    Conditional,
    Const,
    DatedValue,
    FieldRef,
    Function,
    KeyedEntryValue,
    Logic,
    Origin,
    PeriodValue,
    RuleSet,
    ValueRef,
)

__all__ = ["EQUIVALENT", "Mutant", "MutationResult", "mutants", "mutation_score"]

#: Settings that are limits on a whole-number count, with how the engine compares
#: the count with them (``_prepare``: a teaching point with ``students < minimum`` is
#: left out).
COUNT_SETTINGS = {"teaching_point_min_students": "<"}

EQUIVALENT = {
    "zero_limit": "the limit is 0: ± 1 % changes nothing",
    "whole_count": "compared with a whole-number count, the new limit admits the same counts",
    "unread_key": "no rule reads this key",
}
"""Why a mutant is equivalent, by code (the words are reporting's)."""

_FLIP = {">=": ">", ">": ">=", "<=": "<", "<": "<="}
_MIRROR = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}


@attrs.frozen
class Mutant:
    """One mutant.

    Attributes:
        kind: ``threshold``, ``operator``, ``at_least``, ``band``, ``conjunct``,
            ``period`` or ``setting``.
        where: ``file:line`` of what was changed.
        what: the change, in words (``高学历教师标准.小学 4.2 → 4.242``).
        ruleset: the mutated rule set.
        equivalent: why it changes no verdict, a code of :data:`EQUIVALENT`, or ``None``.
    """

    kind: str
    where: str
    what: str
    ruleset: RuleSet = attrs.field(repr=False, eq=False)
    equivalent: str | None = None


@attrs.frozen
class MutationResult:
    """The mutants of a file and which the tests killed.

    Attributes:
        killed: mutants some case noticed.
        survived: non-equivalent mutants no case noticed.
        equivalent: mutants that change no verdict (left out of the score).
    """

    killed: tuple[Mutant, ...]
    survived: tuple[Mutant, ...]
    equivalent: tuple[Mutant, ...]

    @property
    def score(self) -> float | None:
        """Killed ÷ non-equivalent mutants, or ``None`` when there are none."""
        n = len(self.killed) + len(self.survived)
        return len(self.killed) / n if n else None


def _where(ruleset: RuleSet, line: int | None, origin: Origin | None = None) -> str:
    """``file:line``, the file being the one that wrote the element (``origin``)."""
    file = origin.file if origin is not None else ruleset.file
    return f"{file}:{line}" if line is not None else file


def _readers(ruleset: RuleSet, name: str) -> list[CheckedRule]:
    """The rules that read the value ``name``, directly or through other values."""
    out = []
    for r in ruleset.rules():
        stack: list[object] = [r.applies, r.require, r.basically, *(e for _, e in r.lets)]
        seen: set[str] = set()
        while stack:
            x = stack.pop()
            hit = False
            for _, node in walk(x):
                if isinstance(node, ValueRef) and node.name not in seen:
                    seen.add(node.name)
                    if node.name == name:
                        hit = True
                        break
                    if node.name in ruleset.values:
                        stack.append(ruleset.values[node.name].value)
            if hit:
                out.append(r)
                break
    return out


def _unread(ruleset: RuleSet, name: str, root: object, path: Path) -> bool:
    """Whether the segment a figure is keyed by is read by no rule (every rule reading
    the value is scoped to other segments)."""
    keys, _ = leaf_place(root, path, "segment")
    if keys == [None]:
        return False
    readers = _readers(ruleset, name)
    return all(r.segments is not None and not set(keys) & set(r.segments) for r in readers)


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _integral(op: str, old: Decimal, new: Decimal) -> bool:
    """``count op old`` and ``count op new`` agree on every whole number."""
    if op in (">=", "<"):
        return math.ceil(old) == math.ceil(new)
    if op in (">", "<="):
        return math.floor(old) == math.floor(new)
    return old == new


def _is_count(e: object) -> bool:
    if isinstance(e, FieldRef):
        return e.field.count
    if isinstance(e, Aggregate):
        return e.fn == "count" or (e.fn == "sum" and all(_is_count(a) for a in e.args))
    return False


def _uses(ruleset: RuleSet, target: object) -> Iterator[tuple[str, object]]:
    """(op with the target on the right, other side) for each comparison whose one
    side is ``target`` (a ``ValueRef`` or a ``Const`` node), anywhere in the rules."""
    for r in ruleset.rules():
        for x in (r.applies, r.require, r.basically, *(e for _, e in r.lets)):
            for _, node in walk(x):
                if isinstance(node, Comparison):
                    if node.right is target or node.right == target:
                        yield node.op, node.left
                    elif node.left is target or node.left == target:
                        yield _MIRROR[node.op], node.right


def _equivalent(uses: Sequence[tuple[str, object]], old: Decimal, new: Decimal) -> str | None:
    """``zero_limit``, ``whole_count`` (see :data:`EQUIVALENT`) or ``None``."""
    if old == new:
        return "zero_limit"
    if uses and all(_is_count(o) and _integral(op, old, new) for op, o in uses):
        return "whole_count"
    return None


def _scaled(c: Const, pct: int) -> Const:
    return attrs.evolve(c, value=c.value * (100 + pct) / 100)


def _value_mutants(ruleset: RuleSet) -> Iterator[Mutant]:
    for name, nv in ruleset.values.items():
        whole = owned(nv.origin, ruleset)
        for path, node in walk(nv.value):
            if isinstance(node, DatedValue):
                yield from _period_mutants(ruleset, name, path, node, whole)
            if not isinstance(node, Const) or not (whole or _owner_owned(nv.value, path, ruleset)):
                continue
            line = _line_of(nv.value, path) or (nv.origin.line if nv.origin else None)
            origin = leaf_owner(nv.value, path, nv.origin)
            keys = _keys_of(nv.value, path)
            uses = list(_value_uses(ruleset, name))
            unread = _unread(ruleset, name, nv.value, path)
            for pct in (1, -1):
                new = _scaled(node, pct)
                mutated = attrs.evolve(nv, value=replace_at(nv.value, path, new))
                rs = attrs.evolve(ruleset, values={**ruleset.values, name: mutated})
                label = name + "".join(f".{k}" for k in keys)
                yield Mutant(
                    "threshold",
                    _where(ruleset, line, origin),
                    f"{label} {_fmt(node.value)} → {_fmt(new.value)}",
                    rs,
                    "unread_key" if unread else _equivalent(uses, node.value, new.value),
                )


def _value_uses(ruleset: RuleSet, name: str) -> Iterator[tuple[str, object]]:
    for r in ruleset.rules():
        for x in (r.applies, r.require, r.basically, *(e for _, e in r.lets)):
            for _, node in walk(x):
                if isinstance(node, Comparison):
                    for mine, other, op in (
                        (node.right, node.left, node.op),
                        (node.left, node.right, _MIRROR[node.op]),
                    ):
                        if _direct(mine, name):
                            yield op, other
                        elif any(isinstance(n, ValueRef) and n.name == name for _, n in walk(mine)):
                            yield op, None  # used in arithmetic: not provably integral


def _direct(e: object, name: str) -> bool:
    """Whether ``e`` is the value ``name`` itself, or a conditional one of whose
    branches is (``if c then 随迁学校班额上限 else 班额上限``): the comparison then
    compares the count with the value unchanged on that branch."""
    if isinstance(e, ValueRef):
        return e.name == name
    if isinstance(e, Conditional):
        return _direct(e.then, name) or _direct(e.orelse, name)
    return False


def _owner_owned(root: object, path: Path, ruleset: RuleSet) -> bool:
    """Whether a keyed entry or dated period above ``path`` was set by this file."""
    for i in range(len(path), -1, -1):
        node = get_at(root, path[:i])
        if isinstance(node, (KeyedEntryValue, PeriodValue)):
            return owned(node.origin, ruleset)
    return False


def _line_of(root: object, path: Path) -> int | None:
    for i in range(len(path), -1, -1):
        node = get_at(root, path[:i])
        origin = getattr(node, "origin", None)
        if origin is not None and origin.line is not None:
            return int(origin.line)
        span = getattr(node, "span", None)
        if span is not None:
            return int(span.line)
    return None


def _keys_of(root: object, path: Path) -> list[str]:
    keys = []
    for i in range(len(path)):
        node = get_at(root, path[:i])
        if isinstance(node, KeyedEntryValue):
            keys.append("/".join(node.keys))
        if isinstance(node, PeriodValue):
            keys.append(f"[{node.start or '…'}–{node.end or '…'}]")
    return keys


def _period_owned(p: PeriodValue, ruleset: RuleSet, whole: bool) -> bool:
    """Whether the file set this period, or its end (a ``relax … until D`` period has
    no origin of its own but the relaxed entry inside it)."""
    if whole:
        return True
    if p.origin is not None:
        return owned(p.origin, ruleset)
    return any(owned(getattr(n, "origin", None), ruleset) for _, n in walk(p.value))


def _period_mutants(
    ruleset: RuleSet, name: str, path: Path, dv: DatedValue, whole: bool
) -> Iterator[Mutant]:
    """A day either way for each period boundary the file set: an end it wrote
    (``until D``), or the start of a period it added after a parent's one (``override
    value … from D``); a shared boundary moves on both sides."""
    nv = ruleset.values[name]
    day = datetime.timedelta(days=1)
    ps = dv.periods
    for i, p in enumerate(ps):
        nxt = ps[i + 1] if i + 1 < len(ps) else None
        joined = nxt is not None and p.end is not None and nxt.start == p.end + day
        mine = _period_owned(p, ruleset, whole)
        theirs = joined and nxt is not None and _period_owned(nxt, ruleset, whole)
        if p.end is None or not (mine or theirs):
            continue
        at = p if mine else cast(PeriodValue, nxt)
        origin = at.origin or next(
            (o for _, n in walk(at.value) if owned(o := getattr(n, "origin", None), ruleset)),
            nv.origin,
        )
        line = origin.line if origin else (at.span.line if at.span else None)
        for shift in (day, -day):
            periods = list(ps)
            periods[i] = attrs.evolve(p, end=p.end + shift)
            if joined and nxt is not None and nxt.start is not None:
                periods[i + 1] = attrs.evolve(nxt, start=nxt.start + shift)
            new = attrs.evolve(dv, periods=tuple(periods))
            rs = attrs.evolve(
                ruleset,
                values={
                    **ruleset.values,
                    name: attrs.evolve(nv, value=replace_at(nv.value, path, new)),
                },
            )
            if mine or nxt is None or nxt.start is None:
                what = f"{name}: {p.end} → {p.end + shift}"
            else:
                what = f"{name}: from {nxt.start} → {nxt.start + shift}"
            yield Mutant("period", _where(ruleset, line, origin), what, rs)


def _rule_mutants(ruleset: RuleSet) -> Iterator[Mutant]:
    for rule in ruleset.rules():
        if not owned(rule.origin, ruleset):
            continue
        mine = getattr(rule.require, "span", None) or rule.span
        for prop in ("require", "basically", "applies"):
            expr = getattr(rule, prop)
            span = getattr(expr, "span", None)
            if prop == "applies" and mine and span and span.file != mine.file:
                continue  # an override kept the parent's ``applies when``: not this file's
            if expr is not None:
                yield from _expr_mutants(ruleset, rule, prop, expr)


def _expr_mutants(ruleset: RuleSet, rule: CheckedRule, prop: str, expr: object) -> Iterator[Mutant]:
    def make(path: Path, new: object) -> RuleSet:
        return replace_rule(
            ruleset, rule.id, lambda r: attrs.evolve(r, **{prop: replace_at(expr, path, new)})
        )

    for path, node in walk(expr):
        line = node.span.line if getattr(node, "span", None) is not None else None  # type: ignore[attr-defined]
        where = _where(ruleset, line or (rule.origin.line if rule.origin else None))
        if isinstance(node, Comparison) and node.op in _FLIP:
            new_op = _FLIP[node.op]
            yield Mutant(
                "operator",
                where,
                f"{rule.id}: {node.text or node.op}: {node.op} → {new_op}",
                make(path, attrs.evolve(node, op=new_op)),
            )
            for side in ("left", "right"):
                c = getattr(node, side)
                if isinstance(c, Const):
                    other = node.right if side == "left" else node.left
                    op = node.op if side == "right" else _MIRROR[node.op]
                    for pct in (1, -1):
                        new = _scaled(c, pct)
                        yield Mutant(
                            "threshold",
                            where,
                            f"{rule.id}: {_fmt(c.value)} → {_fmt(new.value)}",
                            make(path + (side,), new),
                            _equivalent([(op, other)], c.value, new.value),
                        )
        elif (
            isinstance(node, Function) and node.fn == "at_least" and isinstance(node.args[0], Const)
        ):
            k = node.args[0]
            for d in (1, -1):
                new_k = attrs.evolve(k, value=k.value + d)
                yield Mutant(
                    "at_least",
                    where,
                    f"{rule.id}: at_least {_fmt(k.value)} → {_fmt(new_k.value)}",
                    make(path + ("args", 0), new_k),
                )
        elif isinstance(node, Binary) and node.op == "*":
            for side in ("left", "right"):
                c = getattr(node, side)
                if isinstance(c, Const) and str(c.type.unit) == "%":
                    for points in (Decimal(5), Decimal(-5)):
                        new = attrs.evolve(c, value=c.value + points)
                        yield Mutant(
                            "band",
                            where,
                            f"{rule.id}: {_fmt(c.value)}% → {_fmt(new.value)}%",
                            make(path + (side,), new),
                        )
        elif isinstance(node, Logic) and node.op == "and":
            for keep, drop in (("left", "right"), ("right", "left")):
                yield Mutant(
                    "conjunct",
                    where,
                    f"{rule.id}: and → {keep} ({_dropped(getattr(node, drop))})",
                    make(path, getattr(node, keep)),
                )


def _dropped(e: object) -> str:
    """The dropped conjunct in words: its comparisons' text (``drops 在校生数 < 100``)."""
    texts = [n.text for _, n in walk(e) if isinstance(n, Comparison) and n.text]
    return "drops " + " and ".join(texts) if texts else "drops a conjunct"


def _setting_mutants(ruleset: RuleSet) -> Iterator[Mutant]:
    for name, sv in ruleset.settings.items():
        if not owned(sv.origin, ruleset) or not isinstance(sv.value, Const):
            continue
        c = sv.value
        for pct in (1, -1):
            new = _scaled(c, pct)
            rs = attrs.evolve(
                ruleset, settings={**ruleset.settings, name: attrs.evolve(sv, value=new)}
            )
            op = COUNT_SETTINGS.get(name)
            equiv = _equivalent([], c.value, new.value)
            if equiv is None and op is not None and _integral(op, c.value, new.value):
                equiv = "whole_count"
            line = sv.origin.line if sv.origin else None
            yield Mutant(
                "setting",
                _where(ruleset, line),
                f"{name} {_fmt(c.value)} → {_fmt(new.value)}",
                rs,
                equiv,
            )


def mutants(ruleset: RuleSet) -> list[Mutant]:
    """Every mutant of what the rule set's own file sets, in a stable order."""
    out: list[Mutant] = []
    seen: set[tuple[str, str, str]] = set()
    for m in (*_value_mutants(ruleset), *_rule_mutants(ruleset), *_setting_mutants(ruleset)):
        if (m.kind, m.where, m.what) not in seen:  # one line per distinct change
            seen.add((m.kind, m.where, m.what))
            out.append(m)
    return out


def mutation_score(ruleset: RuleSet, test: TestFile) -> MutationResult:
    """Run the test file's cases against every mutant.

    A mutant is killed when some case fails against it (a case that errors counts as
    failing).  The cases themselves must pass against ``ruleset``.
    """
    counties = counties_of(test)
    killed, survived, equivalent = [], [], []
    for m in mutants(ruleset):
        if m.equivalent is not None:
            equivalent.append(m)
        elif killed_by(m.ruleset, test, counties):
            killed.append(m)
        else:
            survived.append(m)
    return MutationResult(tuple(killed), tuple(survived), tuple(equivalent))
