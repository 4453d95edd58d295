"""Boundary cases from the exact thresholds (``eduint testgen``; reused by the testing
kit's ``near_threshold``).

For each comparison of a rule the file owns, of the form ``FIELD op T``,
``A / B op T``, ``ratio(A, B) op T`` or ``per100(A, B) op T`` with ``T`` a value (keyed
by segment or school kind, dated or not) or a number, the generator places one entity
exactly on the threshold, one just on the failing side (one input unit for a
whole-number count, else well within 1 %: the denominator is 10000 persons) and, for
an upper limit, one just above.  The other conditions of the requirement are set so
that the comparison decides: the other conjuncts of an ``and`` pass comfortably, and
of an ``at_least(k, […])`` exactly k − 1 others pass.  Each key and each dated period
(at its first day) gets its own entities.  Comparisons of other forms are listed as
skipped, for the author to complete.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import attrs

from eduint.authoring._ir import owned, walk
from eduint.checking.ruleset import (
    Binary,
    CheckedRule,
    Comparison,
    Const,
    DatedValue,
    FieldRef,
    Function,
    KeyedValue,
    LetRef,
    Logic,
    RExpr,
    RuleSet,
    ValueRef,
)

__all__ = ["Boundary", "boundary_points", "generate"]

_KINDS = ("小学", "初中")

DENOMINATOR = 10000
"""Persons an entity has when a figure is per person: 1 % of a threshold is then
always more than one unit of a whole-number numerator."""


@attrs.frozen
class Boundary:
    """Figures on and beside a threshold: ``on`` meets it exactly, ``fail`` just fails
    it, ``pass_`` just passes it on the other side (``None`` when ``on`` already does)."""

    on: Fraction
    fail: Fraction
    pass_: Fraction | None


def boundary_points(threshold: Fraction, op: str, *, whole: bool) -> Boundary:
    """The boundary figures of ``figure op threshold`` (op ``>= > <= <``).

    Args:
        threshold: the exact threshold, in the figure's unit.
        whole: whether the figure is a whole-number count (one unit steps).
    """
    step = Fraction(1) if whole else max(abs(threshold) / 400, Fraction(1, 100))
    on = Fraction(math.ceil(threshold)) if whole and op in (">=", ">") else threshold
    if whole and op in ("<=", "<"):
        on = Fraction(math.floor(threshold))
    if op == ">=":
        return Boundary(on, on - step, None)
    if op == ">":
        return Boundary(on, on, on + step)
    if op == "<=":
        return Boundary(on, on + step, None)
    return Boundary(on, on, on - step)


def _thresholds(
    ruleset: RuleSet, e: RExpr
) -> list[tuple[str | None, datetime.date | None, Fraction]]:
    """(key, period start, canonical threshold) for each key and period of ``e``."""
    if isinstance(e, Const):
        pct = str(e.type.unit) == "%"
        return [(None, None, Fraction(e.value) / (100 if pct else 1))]
    if isinstance(e, ValueRef):
        return _thresholds(ruleset, ruleset.values[e.name].value)
    if isinstance(e, KeyedValue) and e.kind in ("segment", "school_kind"):
        return [
            (k, d, t)
            for entry in e.entries
            for k in entry.keys
            for _, d, t in _thresholds(ruleset, entry.value)
        ]
    if isinstance(e, DatedValue):
        out: list[tuple[str | None, datetime.date | None, Fraction]] = []
        for p in e.periods:
            if p.value is not None:
                # the first day, and the last: a boundary moved by a day is noticed
                days = [p.start or datetime.date(2000, 9, 1)] + ([p.end] if p.end else [])
                out += [(k, d, t) for d in days for k, _, t in _thresholds(ruleset, p.value)]
        return out
    raise ValueError("threshold of an unsupported form")


def _figure(e: RExpr, lets: dict[str, RExpr]) -> tuple[FieldRef, FieldRef | None, Fraction]:
    """(numerator, denominator, factor): the figure is factor × num ÷ den, canonically."""
    if isinstance(e, LetRef):
        return _figure(lets[e.name], lets)
    if isinstance(e, FieldRef):
        return e, None, Fraction(1)
    if (
        isinstance(e, Binary)
        and e.op == "/"
        and isinstance(e.left, FieldRef)
        and isinstance(e.right, FieldRef)
    ):
        return e.left, e.right, Fraction(1)
    if (
        isinstance(e, Function)
        and e.fn in ("ratio", "per100")
        and all(isinstance(a, FieldRef) for a in e.args)
    ):
        a, b = e.args
        assert isinstance(a, FieldRef) and isinstance(b, FieldRef)
        return a, b, Fraction(100 if e.fn == "per100" else 1)
    raise ValueError("figure of an unsupported form")


def _conditions(e: RExpr) -> tuple[list[Comparison], int]:
    """The comparisons of a requirement and how many must hold (``and``: all)."""
    if isinstance(e, Comparison):
        return [e], 1
    if isinstance(e, Function) and e.fn == "at_least" and isinstance(e.args[0], Const):
        items = getattr(e.args[1], "items", ())
        return [c for c in items if isinstance(c, Comparison)], int(e.args[0].value)
    if isinstance(e, Logic) and e.op == "and":
        a, _ = _conditions(e.left)
        b, _ = _conditions(e.right)
        return a + b, len(a) + len(b)
    raise ValueError("requirement of an unsupported form")


def _num(x: Fraction, whole: bool) -> int | float:
    if whole or x.denominator == 1:
        return int(x) if x.denominator == 1 else math.ceil(x)
    return float(x)


def _set(
    fig: tuple[FieldRef, FieldRef | None, Fraction], value: Fraction, row: dict[str, Any], up: bool
) -> None:
    """Set the numerator so the figure is ``value`` (a count rounded ``up`` or down)."""
    num, den, factor = fig
    raw = value * (DENOMINATOR if den is not None else 1) / factor
    if num.field.count and raw.denominator != 1:
        raw = Fraction(math.ceil(raw) if up else math.floor(raw))
    row[num.field.name] = _num(raw, num.field.count)


def _entity(
    rule: CheckedRule,
    comps: list[Comparison],
    k: int,
    target: int,
    figure: Fraction,
    key: str | None,
    day: datetime.date | None,
    ruleset: RuleSet,
    lets: dict[str, RExpr],
) -> dict[str, Any]:
    n = len(comps)
    fail = {(target + 1 + j) % n for j in range(n - k)}
    row: dict[str, Any] = {}
    for i, c in enumerate(comps):
        fig = _figure(c.left, lets)
        ts = [
            t
            for kk, d, t in _thresholds(ruleset, c.right)
            if (kk is None or kk == (key if key in _KINDS else "小学"))
            and (d is None or day is None or d <= day)
        ]
        t = ts[-1]
        up = c.op in (">=", ">")
        if i == target:
            value, rnd = figure, True
        elif i in fail:
            value, rnd = t * (Fraction(3, 4) if up else Fraction(5, 4)), not up
        else:
            value, rnd = t * (Fraction(5, 4) if up else Fraction(3, 4)), up
        _set(fig, value, row, rnd)
    return row


def generate(ruleset: RuleSet, lang: str = "en") -> tuple[dict[str, Any], list[str]]:
    """A rule-test file (as a mapping) with boundary cases for every supported
    comparison of the rules the rule set's own file sets, and the skipped ones.

    Only school and school-segment rules are generated (one school per entity); the
    rules the file sets and the inherited rules that read a value it sets.  Case names
    are in ``lang`` (``zh`` or ``en``); a skipped rule is ``RULE: reason`` in English.
    """
    cases: list[dict[str, Any]] = []
    skipped: list[str] = []
    mine = {
        n
        for n, v in ruleset.values.items()
        if owned(v.origin, ruleset)
        or any(owned(getattr(x, "origin", None), ruleset) for _, x in walk(v.value))
    }
    for rule in ruleset.rules():
        if rule.require is None:
            continue
        reads = {x.name for _, x in walk(rule.require) if isinstance(x, ValueRef)}
        if not owned(rule.origin, ruleset) and not reads & mine:
            continue
        try:
            cases += list(_rule_cases(ruleset, rule, lang))
        except (ValueError, KeyError, IndexError) as exc:
            skipped.append(f"{rule.id}: {exc}")
    return {"cases": cases}, skipped


def _name(rule: str, what: str, day: datetime.date | None, at: str, lang: str) -> str:
    """A generated case's name in the user's language (``(五)：边界（2020-01-01起）``)."""
    if lang == "en":
        return f"{rule}: {what}" + (f" {at} {day}" if day else "")
    words = {"boundaries": "边界"}.get(what, what)
    when = {"from": "起", "on": "当日"}[at]
    return f"{rule}：{words}" + (f"（{day}{when}）" if day else "")


def _rule_cases(ruleset: RuleSet, rule: CheckedRule, lang: str = "en") -> Iterator[dict[str, Any]]:
    if rule.scope.value not in ("school", "segment", "county_segment") or rule.applies is not None:
        raise ValueError(
            f"scope {rule.scope.value}"
            + (" with 'applies when'" if rule.applies else "")
            + " not supported"
        )
    assert rule.require is not None
    comps, k = _conditions(rule.require)
    lets = dict(rule.lets)
    by_day: dict[datetime.date | None, list[tuple[str, dict[str, Any], str]]] = {}
    for i, c in enumerate(comps):
        fig = _figure(c.left, lets)
        whole = fig[1] is None and fig[0].field.count
        for key, day, t in _thresholds(ruleset, c.right):
            b = boundary_points(t, c.op, whole=whole)
            for tag, value, met in (
                ("on", b.on, c.op in (">=", "<=")),
                ("fail", b.fail, False),
                ("pass", b.pass_, True),
            ):
                if value is None:
                    continue
                seg = key if key in ("小学", "初中") else "小学"
                row = _entity(rule, comps, k, i, value, key, day, ruleset, lets)
                sid = f"C{i + 1:02d}{('-' + key) if key else ''}-{tag}"
                by_day.setdefault(day, []).append(
                    (sid, _school(sid, seg, row, rule.scope.value), "达到" if met else "未达到")
                )
    if rule.scope.value == "county_segment":
        yield from _county_cases(rule, by_day, lang)
        return
    for day, rows in by_day.items():
        entity = "{0}" if rule.scope.value == "school" else "{0}/{1}"
        yield {
            "name": _name(rule.id, "boundaries", day, "from", lang),
            "as_of": (day or datetime.date(2020, 9, 1)).isoformat(),
            "data": {
                "name": "边界县",
                "code": "000000",
                "schools_complete": True,
                "schools": [r[1] for r in rows],
            },
            "expect": [
                {
                    "rule": rule.id,
                    "entity": entity.format(sid, next(iter(s["segments"]))),
                    "outcome": o,
                }
                for sid, s, o in rows
            ],
        }


def _county_cases(
    rule: CheckedRule,
    by_day: dict[datetime.date | None, list[tuple[str, dict[str, Any], str]]],
    lang: str,
) -> Iterator[dict[str, Any]]:
    """A county-segment rule: one county per entity (a county has one 小学 segment)."""
    for day, rows in by_day.items():
        for sid, school, outcome in rows:
            seg = next(iter(school["segments"]))
            yield {
                "name": _name(rule.id, sid, day, "on", lang),
                "as_of": (day or datetime.date(2020, 9, 1)).isoformat(),
                "data": {"name": "边界县", "code": "000000", "segments": school["segments"]},
                "expect": [{"rule": rule.id, "entity": f"000000/{seg}", "outcome": outcome}],
            }


def _school(sid: str, seg: str, row: dict[str, Any], scope: str) -> dict[str, Any]:
    segment: dict[str, Any] = {"students": DENOMINATOR}
    school: dict[str, Any] = {"id": sid, "name": sid, "kind": seg}
    (school if scope == "school" else segment).update(row)
    if scope == "county_segment":
        segment.pop("students")
    school["segments"] = {seg: segment}
    return school
