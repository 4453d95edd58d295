"""Threshold coverage of a rule file by its tests.

A *site* is a comparison the rule file owns: a comparison in one of its own rules,
parts or overrides (conditions inside aggregates aside), or a comparison in an
inherited rule that reads a value the file sets; an applicability condition of an own
rule; a number setting the file sets that limits a count (a teaching-point minimum).
A site has *cells*: each side of the threshold (holds, fails), for each key of the
keyed values it reads (segment, school kind, location) and each dated period of the
file's dated values it reads.  A cell is covered when some case evaluates the site
for an entity of that key, at a date in that period, with that result.

How a site came out is found by evaluating *probes*: copies of the rule whose
requirement is just the site's comparison (same scope, ``let`` names and
applicability), added to the checked rule set and run by the engine.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator, Sequence
from typing import Any, cast

import attrs

from eduint.authoring._ir import leaf_owner, leaf_place, owned, walk
from eduint.authoring.cases import TestFile
from eduint.authoring.mutation import COUNT_SETTINGS
from eduint.authoring.runner import counties_of
from eduint.checking.ruleset import (
    Aggregate,
    CheckedRule,
    Comparison,
    Const,
    DatedValue,
    KeyedValue,
    Origin,
    PeriodValue,
    RExpr,
    RuleSet,
    ValueRef,
)
from eduint.data import models
from eduint.engine.evaluator import evaluate
from eduint.engine.results import Outcome, Report
from eduint.errors import EduintError

__all__ = ["Coverage", "Site", "coverage"]

_KEYED = ("segment", "school_kind", "location")


@attrs.frozen
class Site:
    """A place of the rule file whose threshold the tests should exercise.

    Attributes:
        where: ``file:line``.
        rule: the rule (item, part) id, or the setting's name.
        text: the comparison as rule text (or ``applies when …``, ``setting …``).
        cells: every (key, period, side) to cover; key and period ``None`` when the
            site reads no keyed or dated value of the file.
        covered: the cells some case reached.
    """

    where: str
    rule: str
    text: str
    cells: tuple[tuple[str | None, str | None, bool], ...]
    covered: frozenset[tuple[str | None, str | None, bool]]

    def missing(self) -> list[str]:
        """The uncovered cells, in words (``never fails for 初中 in 2019-01-01–…``)."""
        out = []
        for key, period, side in self.cells:
            if (key, period, side) not in self.covered:
                words = "never holds" if side else "never fails"
                if key:
                    words += f" for {key}"
                if period:
                    words += f" in {period}"
                out.append(words)
        return out


@attrs.frozen
class Coverage:
    """The sites of a rule file and how much of them its tests cover."""

    sites: tuple[Site, ...]

    @property
    def total(self) -> int:
        """The number of cells."""
        return sum(len(s.cells) for s in self.sites)

    @property
    def hit(self) -> int:
        """The number of covered cells."""
        return sum(len(s.covered & set(s.cells)) for s in self.sites)

    @property
    def ratio(self) -> float | None:
        """Covered ÷ all cells, or ``None`` without sites."""
        return self.hit / self.total if self.total else None


@attrs.frozen
class _Probe:
    id: str
    site: int
    key_kind: str | None


def _comparisons(e: RExpr | None) -> Iterator[Comparison]:
    """Comparisons of ``e`` outside aggregates (a condition inside ``share(…)`` is
    about the entities aggregated over, not this rule's entity)."""
    if e is None:
        return
    stack: list[object] = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, Aggregate):
            continue
        if isinstance(x, Comparison):
            yield x
        if attrs.has(type(x)):
            stack.extend(getattr(x, f.name) for f in attrs.fields(cast(Any, type(x))) if f.eq)
        elif isinstance(x, tuple):
            stack.extend(x)


def _read_values(e: RExpr) -> list[str]:
    """The values ``e`` reads, in order of first reading."""
    names: list[str] = []
    for _, node in walk(e):
        if isinstance(node, ValueRef) and node.name not in names:
            names.append(node.name)
    return names


def _periods(ruleset: RuleSet, names: Sequence[str]) -> list[PeriodValue]:
    for name in names:
        nv = ruleset.values[name]
        if not owned(nv.origin, ruleset) and not any(
            owned(getattr(n, "origin", None), ruleset) for _, n in walk(nv.value)
        ):
            continue
        for _, node in walk(nv.value):
            if isinstance(node, DatedValue):
                return list(node.periods)
    return []


def _keys(
    ruleset: RuleSet, names: Sequence[str], rule: CheckedRule
) -> tuple[str | None, list[str]]:
    for name in names:
        for _, node in walk(ruleset.values[name].value):
            if isinstance(node, KeyedValue) and node.kind in _KEYED:
                keys = [k for entry in node.entries for k in entry.keys]
                if node.kind == "segment" and rule.segments:
                    keys = [k for k in keys if k in rule.segments]
                return node.kind, keys
    return None, []


def _label(p: PeriodValue) -> str:
    return f"{p.start or '…'}–{p.end or '…'}"


def _probe_rule(rule: CheckedRule, pid: str, require: RExpr, applies: RExpr | None) -> CheckedRule:
    return attrs.evolve(
        rule,
        kind="rule",
        id=pid,
        label=None,
        require=require,
        applies=applies,
        basically=None,
        reports=(),
        parts=(),
        attested=False,
        veto=False,
        margin=None,
        placeholder=None,
    )


def _owned_cells(
    ruleset: RuleSet, names: Sequence[str], kind: str | None, periods: Sequence[PeriodValue]
) -> tuple[set[tuple[str | None, str | None]], Origin | None]:
    """The (key, period) pairs whose figure the rule file itself sets, in the values
    ``names`` (an inherited, unchanged key or period is the parent's tests' business),
    and the origin of the first such figure."""
    labels = [_label(p) for p in periods]
    out: set[tuple[str | None, str | None]] = set()
    first: Origin | None = None
    for name in names:
        nv = ruleset.values[name]
        for path, node in walk(nv.value):
            if not isinstance(node, Const):
                continue
            origin = leaf_owner(nv.value, path, nv.origin)
            if not owned(origin, ruleset):
                continue
            first = first or origin
            keys, period = leaf_place(nv.value, path, kind)
            label = _label(period) if period is not None else None
            chosen: list[str | None] = [label] if label in labels else [*labels] or [None]
            out.update((k, p) for k in keys for p in chosen)
    return out, first


def _written_by(e: object, rule: CheckedRule) -> bool:
    """Whether ``e`` was written in the same file as the rule's requirement (an
    override that keeps the parent's ``applies when`` does not own it)."""
    mine = getattr(rule.require, "span", None) or rule.span
    span = getattr(e, "span", None)
    return mine is None or span is None or span.file == mine.file


def _sites(
    ruleset: RuleSet,
) -> tuple[
    list[tuple[Site, RExpr | None, CheckedRule | None, str | None, list[PeriodValue]]],
    list[CheckedRule],
    list[_Probe],
]:
    found: list[tuple[Site, RExpr | None, CheckedRule | None, str | None, list[PeriodValue]]] = []
    probes: list[CheckedRule] = []
    meta: list[_Probe] = []
    owned_values = {
        n
        for n, v in ruleset.values.items()
        if owned(v.origin, ruleset)
        or any(owned(getattr(x, "origin", None), ruleset) for _, x in walk(v.value))
    }
    for rule in ruleset.rules():
        mine = owned(rule.origin, ruleset)
        exprs: list[tuple[RExpr, bool]] = []
        for e in (rule.require, rule.basically):
            exprs += [(c, False) for c in _comparisons(e)]
        if mine and rule.applies is not None and _written_by(rule.applies, rule):
            exprs.append((rule.applies, True))
        for c, is_applies in exprs:
            names = _read_values(c)
            if not mine and not owned_values.intersection(names):
                continue
            kind, keys = _keys(ruleset, names, rule)
            periods = _periods(ruleset, names)
            key_list: list[str | None] = [*keys] or [None]
            period_list: list[PeriodValue | None] = [*periods] or [None]
            pairs = [
                (k, _label(p) if p is not None else None)
                for k, p in itertools.product(key_list, period_list)
            ]
            origin = rule.origin
            if not mine:
                own, origin = _owned_cells(ruleset, names, kind, periods)
                pairs = [kp for kp in pairs if kp in own]
                if not pairs:
                    continue
            cells = [(k, p, side) for k, p in pairs for side in (True, False)]
            line = origin.line if origin is not None else None
            span = getattr(c, "span", None)
            if mine and span is not None:
                line = span.line
            file = origin.file if origin is not None else ruleset.file
            where = f"{file}:{line}" if line else file
            text = ("applies when " if is_applies else "") + (
                getattr(c, "text", "") or rule.applies_text or ""
            )
            pid = f"__probe_{len(probes)}"
            probes.append(_probe_rule(rule, pid, c, None if is_applies else rule.applies))
            meta.append(_Probe(pid, len(found), kind))
            found.append(
                (Site(where, rule.id, text, tuple(cells), frozenset()), c, rule, kind, periods)
            )
    for name, sv in ruleset.settings.items():
        if owned(sv.origin, ruleset) and name in COUNT_SETTINGS and isinstance(sv.value, Const):
            where = str(sv.origin).split(" (")[0] if sv.origin else ruleset.file
            text = f"setting {name} = {sv.value.value}"
            found.append(
                (
                    Site(where, name, text, ((None, None, True), (None, None, False)), frozenset()),
                    None,
                    None,
                    None,
                    [],
                )
            )
    return found, probes, meta


def _key_of(
    entity_key: str, segment: str | None, kind: str | None, county: models.County
) -> str | None:
    if kind == "segment":
        return segment
    school_id = entity_key.split("/")[0]
    school = next((s for s in county.schools or () if s.id == school_id), None)
    if school is None:
        return None
    value = school.kind if kind == "school_kind" else school.location
    return value.value if value is not None else None


def _teaching_points(county: models.County, minimum: Const) -> set[bool]:
    """Sides of ``students < minimum`` the county's teaching points reach (True: counted)."""
    out = set()
    for s in county.schools or ():
        if s.kind != models.SchoolKind.TEACHING_POINT or s.segments is None:
            continue
        figs = [seg.students for seg in s.segments]
        if any(f is None or f.value is None for f in figs):
            continue
        total = sum(f.value for f in figs if f is not None and f.value is not None)
        out.add(not total < minimum.value)
    return out


def coverage(ruleset: RuleSet, test: TestFile) -> Coverage:
    """Which cells of each site the test file's cases reach (see the module doc)."""
    found, probes, meta = _sites(ruleset)
    probed = attrs.evolve(ruleset, members=ruleset.members + tuple(probes))
    hits: list[set[tuple[str | None, str | None, bool]]] = [set() for _ in found]
    for case, county in zip(test.cases, counties_of(test), strict=True):
        try:
            report = evaluate(probed, county, as_of=case.as_of)
        except EduintError:
            continue
        _collect(report, meta, found, hits, county)
        for i, (site, _, _, _, _) in enumerate(found):
            if site.text.startswith("setting "):
                minimum = ruleset.settings[site.rule].value
                assert isinstance(minimum, Const)
                hits[i].update((None, None, side) for side in _teaching_points(county, minimum))
    return Coverage(
        tuple(attrs.evolve(s, covered=frozenset(h)) for (s, *_), h in zip(found, hits, strict=True))
    )


def _in(day: datetime.date | None, p: PeriodValue) -> bool:
    return (
        day is not None and (p.start is None or p.start <= day) and (p.end is None or day <= p.end)
    )


def _collect(
    report: Report,
    meta: Sequence[_Probe],
    found: Sequence[tuple[Site, RExpr | None, CheckedRule | None, str | None, list[PeriodValue]]],
    hits: list[set[tuple[str | None, str | None, bool]]],
    county: models.County,
) -> None:
    for pm in meta:
        site, _, _, kind, periods = found[pm.site]
        period = (
            next((_label(p) for p in periods if _in(report.as_of, p)), None) if periods else None
        )
        item = report.item(pm.id)
        outcomes: list[tuple[str | None, Outcome | None]]
        if item.entities:
            outcomes = [
                (_key_of(e.entity.key, e.entity.segment, kind, county) if kind else None, e.outcome)
                for e in item.entities
            ]
        else:
            outcomes = [(None, item.computed)]
        for key, outcome in outcomes:
            if outcome in (Outcome.MET, Outcome.NOT_MET):
                hits[pm.site].add((key, period, outcome is Outcome.MET))
