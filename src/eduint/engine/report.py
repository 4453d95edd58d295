"""The :class:`~eduint.engine.results.Report` built from the record engine's facts.

:mod:`eduint.engine.record` keeps values and coded reasons; this module turns them into
the result classes of :mod:`eduint.engine.results`, without formatting anything:

* every number becomes a :class:`~eduint.engine.results.Quantity`: the exact value (in
  the canonical unit) with the unit it is shown in (the threshold's unit as written,
  else the figure's: :func:`~eduint.core.units.display_unit`);
* every top-level comparison of a requirement becomes a
  :class:`~eduint.engine.results.Comparison` with its sides, comparator, verdict, margin
  and relative shortfall;
* the *evidence* of an entity is the comparison that decided its outcome: for a failed
  requirement (未达到, or 基本达到) the failing comparison with the largest relative
  shortfall (ties: the first in the requirement), among those outside an
  ``at_least(k, [...])`` when any of those fails (a floor decides alone; one counted
  condition does not); for 达到 the headline comparison (the
  requirement itself, or the first condition of its and/or chain) when it holds, else
  the first comparison that holds; for 缺少数据 and 不适用 the first undecided one;
* the *headline evidence* of an item is, for 未达到, the evidence of the failing entity
  whose evidence has the largest relative shortfall (ties: the first in entity order),
  else the evidence of the entity the item shows (the worst outcome, first in entity
  order);
* warnings are coded: figures that differ, approximate figures used, answers (自评)
  that match no item, answers that belong to other rule sets.

Entities are evaluated in the documented order (the population's tables are in
:meth:`~eduint.core.refs.EntityRef.sort_key` order), so lists built here are in that
order without sorting.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import attrs

from eduint.checking.layering import set_by
from eduint.checking.ruleset import Aggregate, CheckedRule, RExpr, RuleSet
from eduint.checking.schema import ScopeKind
from eduint.core import values as v
from eduint.core.units import PERCENT, Unit, display_unit
from eduint.core.values import Code, Reason, Unknown, Value
from eduint.data import models
from eduint.engine.population import Population
from eduint.engine.record import EntityFacts, Form, RuleFacts, RunFacts
from eduint.engine.results import (
    AsOfBasis,
    Comparison,
    Disposition,
    EntityResult,
    Flag,
    ItemResult,
    Layer,
    LayerChange,
    Outcome,
    Period,
    Quantity,
    Report,
    SectionResult,
    Shown,
    Text,
)
from eduint.language.diagnostics import did_you_mean

__all__ = ["Builder", "comparison", "report"]

_ORDERED = frozenset((">=", ">", "<=", "<"))
_FAILED = (Outcome.NOT_MET, Outcome.BASICALLY_MET)
_UNDECIDED = (Outcome.NO_DATA, Outcome.NOT_APPLICABLE)
_ACTION_ORDER = {"left_out": 0, "merged": 1, "split": 2}
_NOT_DECIDED = Unknown(())  # the result of a comparison that was not evaluated


# ------------------------------------------------------------------ numbers


class _Quantities:
    """Quantities made once per rule and value object (see :func:`comparison`).  Keyed by the unit's and the value's identity (the facts hold every
    value until the rule's results are built; ``alive`` keeps each one while the cache
    does)."""

    def __init__(self) -> None:
        self.cache: dict[int, dict[int, Quantity]] = {}
        self.alive: list[Any] = []

    def clear(self) -> None:
        self.cache.clear()
        self.alive.clear()

    def __call__(self, x: Value, unit: Unit) -> Quantity:
        by_value = self.cache.get(id(unit))
        if by_value is None:
            by_value = self.cache[id(unit)] = {}
            self.alive.append(unit)
        q = by_value.get(id(x))
        if q is None:
            q = by_value[id(x)] = Quantity(x, unit)  # type: ignore[arg-type]
            self.alive.append(x)
        return q


def comparison(
    info: Any, lv: Value, rv: Value, res: Value, group: str | None, q: _Quantities
) -> Comparison:
    """One recorded comparison ``(CheckInfo, left, right, result, group)`` as a result."""
    unit = info.unit
    met = res if res is True or res is False else None
    tl, tr = lv.__class__, rv.__class__
    # a threshold is mostly the same object for every entity, and a `let` figure is
    # compared more than once (L1 >= 标准, L1 >= 85% * 标准): one Quantity each
    left = q(lv, unit) if tl is int or tl is Fraction or tl is v.Interval else None
    right = q(rv, unit) if tr is int or tr is Fraction or tr is v.Interval else None
    return Comparison(
        info.text, info.op, left, right, met, group, info.measure, info.figure, info.subject
    )


def _worst(comparisons: Sequence[Comparison]) -> Comparison | None:
    """The failing comparison with the largest relative shortfall (ties: the first; a
    failing one without a shortfall ranks below any with one)."""
    failing = [c for c in comparisons if c.met is False]
    if len(failing) < 2:  # nothing to rank
        return failing[0] if failing else None
    best = failing[0]
    most = best.shortfall
    for c in failing[1:]:
        sf = c.shortfall
        if sf is not None and (most is None or sf > most):
            best, most = c, sf
    return best


def _evidence(
    outcome: Outcome | None, comparisons: Sequence[Comparison], main: int | None
) -> Comparison | None:
    """The comparison that decided an entity's outcome (see the module doc); ``main``:
    the index of the headline comparison among ``comparisons``, if recorded."""
    if not comparisons:
        return None
    if outcome in _FAILED:
        # a failing comparison outside an at_least(k, [...]) (a floor such as
        # L2 >= 85% * 标准) decides by itself; a failing condition inside it decides
        # only with enough others, so it is the evidence only when nothing else fails
        outside = [c for c in comparisons if c.met is False and c.group is None]
        return _worst(outside or comparisons)
    if outcome is Outcome.MET:
        if main is not None and comparisons[main].met is True:
            return comparisons[main]
        return next((c for c in comparisons if c.met is True), None)
    if outcome in _UNDECIDED:
        return next((c for c in comparisons if c.met is None), None)
    return comparisons[0]  # report-only: the headline comparison and its value


def _reasons(
    first: Reason | None, more: Sequence[Reason], single: dict[Reason, tuple[Reason, ...]]
) -> tuple[Reason, ...]:
    """The outcome's reason, then the others, without repeats (``single``: one tuple for
    every entity whose only reason is the same)."""
    if not more:
        if first is None:
            return ()
        one = single.get(first)
        if one is None:
            one = single[first] = (first,)
        return one
    if first is None:
        return tuple(dict.fromkeys(more))
    return tuple(dict.fromkeys((first, *more)))


def _is_share(expr: RExpr) -> bool:
    return isinstance(expr, Aggregate) and expr.fn == "share"


# ------------------------------------------------------------------ results


class Builder:
    """Builds the results of one report from its facts (:meth:`rule_item` may be given
    to :func:`eduint.engine.record.run` as its ``on_rule``)."""

    def __init__(self, pop: Population) -> None:
        self.pop = pop
        self.q = _Quantities()
        self.rule: RuleFacts | None = None
        self.single: dict[Reason, tuple[Reason, ...]] = {}
        self._report_units: dict[int, list[tuple[str | None, Unit]]] = {}

    def report_units(self, rf: RuleFacts) -> list[tuple[str | None, Unit]]:
        """Each report line's name and display unit (a share is shown in %)."""
        assert rf.program is not None
        key = id(rf.program)
        units = self._report_units.get(key)
        if units is None:
            units = []
            for name, expr, _ in rf.program.reports:
                unit = display_unit(expr.type.unit, expr.type.unit)
                bare = unit.dimensionless and unit.scale == 1
                if bare and expr.type.kind == "number" and _is_share(expr):
                    unit = PERCENT
                units.append((name, unit))
            self._report_units[key] = units
        return units

    def shown(self, rf: RuleFacts, values: Sequence[Value] | None) -> tuple[Shown, ...]:
        """The rule's ``report`` lines for one entity's values."""
        if not values or rf.program is None:
            return ()
        out = []
        q = self.q
        for (name, unit), x in zip(self.report_units(rf), values, strict=True):
            t = x.__class__
            if t is int or t is Fraction or t is v.Interval:
                out.append(Shown(name, q(x, unit)))
            elif t is bool or t is str:
                out.append(Shown(name, x))  # type: ignore[arg-type]
            elif t is Unknown:
                out.append(Shown(name, None, x.reasons))  # type: ignore[union-attr]
            else:
                out.append(Shown(name, str(x)))
        return tuple(out)

    def comparisons(
        self, ef: EntityFacts, rf: RuleFacts
    ) -> tuple[tuple[Comparison, ...], int | None]:
        """Every recorded comparison of an entity's requirement (for a report-only
        period, the headline comparison, whose threshold is not in force), and the
        index of the headline comparison among them."""
        q = self.q
        program = rf.program
        info = program.info if program is not None else None
        if ef.checks:
            # comparison() inlined: every comparison of every entity passes here
            main = None
            out = []
            cache, alive = q.cache, q.alive
            num, frac, interval = int, Fraction, v.Interval
            for i, (ci, lv, rv, res, group) in enumerate(ef.checks):
                if ci is info and main is None:
                    main = i
                unit = ci.unit
                by_value = cache.get(id(unit))
                if by_value is None:
                    by_value = cache[id(unit)] = {}
                    alive.append(unit)
                left = right = None
                t = lv.__class__
                if t is num or t is frac or t is interval:
                    left = by_value.get(id(lv))
                    if left is None:
                        left = by_value[id(lv)] = Quantity(lv, unit)  # type: ignore[arg-type]
                        alive.append(lv)
                t = rv.__class__
                if t is num or t is frac or t is interval:
                    right = by_value.get(id(rv))
                    if right is None:
                        right = by_value[id(rv)] = Quantity(rv, unit)  # type: ignore[arg-type]
                        alive.append(rv)
                met = res if res is True or res is False else None
                out.append(
                    Comparison(
                        ci.text,
                        ci.op,
                        left,
                        right,
                        met,
                        group,
                        ci.measure,
                        ci.figure,
                        ci.subject,
                    )
                )
            return tuple(out), main
        if ef.main is None or info is None:
            return (), None
        lv, rv = ef.main
        return (comparison(info, lv, rv, _NOT_DECIDED, None, q),), 0

    def entity(self, rf: RuleFacts, ef: EntityFacts) -> EntityResult:
        """An entity's result (may be given to :func:`eduint.engine.record.run` as its
        ``on_entity``)."""
        if rf is not self.rule:
            # values are cached by identity while their facts live: one rule at a time
            self.rule = rf
            self.q.clear()
        ref = self.pop.tables[rf.rule.scope].ref(ef.row)
        form = ef.form
        shown = self.shown(rf, ef.reports) if ef.reports is not None else ()
        if form == Form.NO_REQUIRE:
            return EntityResult(ref, None, shown=shown, notes=ef.details)
        comparisons, main = self.comparisons(ef, rf) if form in _COMPARED else ((), None)
        evidence = _evidence(ef.outcome, comparisons, main)
        return EntityResult(
            ref,
            ef.outcome,
            evidence,
            comparisons,
            _reasons(ef.reason, ef.missing, self.single),
            ef.flags,
            shown,
            ef.details,
        )

    def rule_item(self, rf: RuleFacts) -> ItemResult:
        """The :class:`ItemResult` of a rule or part from its facts (and the results its
        entities were given already)."""
        rule, fr, pop = rf.rule, rf.frame, self.pop
        assert fr is not None
        table = pop.tables[rule.scope]
        entities = [
            ef.result if ef.result is not None else self.entity(rf, ef) for ef in rf.entities
        ]
        if fr.prov and not rf.provisional:
            entities = _provisional_entities(entities)
        evidence, evidence_entity = _headline_evidence(rf, entities)
        if rule.scope == ScopeKind.COUNTY:
            evidence_entity = None
        shown: tuple[Shown, ...] = ()
        if rf.reports is not None:
            r = rf.reports.result
            shown = r.shown if r is not None else self.shown(rf, rf.reports.reports)
        att = rf.attestation
        return ItemResult(
            id=rule.id,
            kind=rule.kind,
            section=rf.path,
            title=rule.title,
            title_en=rule.title_en,
            self_status=att.status if att is not None else None,
            self_outcome=rf.self_outcome,
            self_evidence=att.evidence if att is not None else None,
            self_actor=att.actor if att is not None else None,
            self_note=att.note if att is not None else None,
            computed=rf.computed,
            headline=rf.headline,
            report_only=rf.report_only,
            provisional=rf.provisional,
            disagreement=rf.disagreement,
            requirement=rule.requirement_text,
            evidence=evidence,
            evidence_entity=evidence_entity,
            periods=tuple(dict.fromkeys(fr.periods)),
            reasons=_reasons(rf.reason, rf.missing, self.single),
            failing=tuple([table.ref(r) for r in rf.failing]),
            entities=tuple(entities) if rule.scope != ScopeKind.COUNTY else (),
            shown=shown,
            inputs=pop.inputs(fr.inputs),
            sources=tuple(dict.fromkeys((*rule.sources, *fr.sources))),
            notes=_notes(rule),
            flags=tuple(sorted(rf.flags)),
            notes_found=tuple(fr.details),
            provisional_reason=_provisional_reason(rule),
        )


_COMPARED = (Form.FULL, Form.REPORT_ONLY, Form.REPORT_ONLY_MISSING)


def _provisional_entities(entities: list[EntityResult]) -> list[EntityResult]:
    """The entities of a rule that rests on provisional values or settings but whose own
    outcome is undecided (so the item is not marked 暂定): each decided entity is marked
    itself (差异系数_仪器设备 初中 达到 rests on the same provisional settings as every
    other CV, though its 小学 has no data)."""
    return [
        attrs.evolve(e, flags=tuple(sorted({*e.flags, Flag.PROVISIONAL})))
        if e.outcome is not None and e.outcome.decided and Flag.PROVISIONAL not in e.flags
        else e
        for e in entities
    ]


def _notes(rule: CheckedRule) -> tuple[Text, ...]:
    """A rule's notes, each with its English variant when the file gives one."""
    en = rule.notes_en
    return tuple(Text(t, en[i] if i < len(en) else None) for i, t in enumerate(rule.notes))


def _provisional_reason(rule: CheckedRule) -> Text | None:
    """Why a rule is provisional, with its English variant (``None``: not provisional,
    or no reason given)."""
    return Text(rule.provisional, rule.provisional_en) if rule.provisional else None


def _headline_evidence(
    rf: RuleFacts, entities: Sequence[EntityResult]
) -> tuple[Comparison | None, Any]:
    """The item's headline evidence and its entity (see the module doc)."""
    if rf.computed is Outcome.NOT_MET:
        failing = [e for e in entities if e.outcome is Outcome.NOT_MET and e.evidence]
        if failing:
            best = failing[0]
            if len(failing) > 1:
                most = best.evidence.shortfall  # type: ignore[union-attr]
                for e in failing[1:]:
                    sf = e.evidence.shortfall  # type: ignore[union-attr]
                    if sf is not None and (most is None or sf > most):
                        best, most = e, sf
            return best.evidence, best.entity
    if rf.shown is not None and rf.shown < len(entities):
        e = entities[rf.shown]
        if e.evidence is not None:
            return e.evidence, e.entity
    return None, None


def _parts_item(rf: RuleFacts) -> ItemResult:
    rule, att = rf.rule, rf.attestation
    assert rf.parts is not None
    return ItemResult(
        id=rule.id,
        kind=rule.kind,
        section=rf.path,
        title=rule.title,
        title_en=rule.title_en,
        self_status=att.status if att else None,
        self_outcome=rf.self_outcome,
        self_evidence=att.evidence if att else None,
        self_actor=att.actor if att else None,
        self_note=att.note if att else None,
        computed=rf.computed,
        headline=rf.headline,
        report_only=False,
        provisional=rf.provisional,
        disagreement=rf.disagreement,
        sources=tuple(rule.sources),
        notes=_notes(rule),
        flags=tuple(sorted(rf.flags)),
        provisional_reason=_provisional_reason(rule),
        failing_parts=tuple(p.rule.id for p in rf.parts if p.headline == Outcome.NOT_MET),
    )


# ------------------------------------------------------------------ warnings


def _unused_answers(ruleset: RuleSet, facts: RunFacts) -> Reason | None:
    """One warning for the answers (自评) of this rule set that match no item or part (a
    typo such as "12.l" would otherwise be lost without a word)."""
    known = [r.id for r in ruleset.rules()]
    ids = set(known)
    unused = tuple(a.item for a in facts.answers.own if a.item not in ids)
    if not unused:
        return None
    hints = []
    for item in unused:
        close = did_you_mean(item, known)
        # a suggestion is only worth giving for a near-miss, not '(十四)2' → '2'
        if close is not None and len(close) >= len(item) - 1:
            hints.append((item, close))
    return Reason(Code.UNUSED_ANSWERS, (ruleset.id, unused, tuple(hints[:5])))


def _warnings(ruleset: RuleSet, facts: RunFacts, items: Sequence[ItemResult]) -> list[Reason]:
    warnings = dict.fromkeys(facts.warnings)
    for r in items:
        if Flag.APPROXIMATE in r.flags and r.requirement is not None:
            warnings[Reason(Code.APPROXIMATE_USED, (r.id,))] = None
    unused = _unused_answers(ruleset, facts)
    if unused is not None:
        warnings[unused] = None
    if facts.answers.foreign:
        warnings[Reason(Code.FOREIGN_ANSWERS, (facts.answers.foreign,))] = None
    return list(warnings)


def _with_set_by(ruleset: RuleSet, item: ItemResult) -> ItemResult:
    """``item`` with the files that set its requirement and thresholds (layering)."""
    rule = ruleset.find(item.id)
    return attrs.evolve(item, set_by=set_by(ruleset, rule)) if rule is not None else item


def _changes(ruleset: RuleSet, as_of: datetime.date | None) -> tuple[LayerChange, ...]:
    """The rule set's layering changes as the report lists them."""
    return tuple(
        LayerChange(
            kind=c.kind.value,
            target=c.target.value,
            name=c.where,
            period=Period(*c.period) if c.period is not None else None,
            old=c.old,
            new=c.new,
            verdict=c.verdict,
            because=c.because,
            until=c.until,
            lapsed=not c.in_force(as_of),
            origin=c.origin,
        )
        for c in ruleset.changes
    )


def _dispositions(pop: Population) -> tuple[Disposition, ...]:
    """Every entity left out, merged or split, in entity order."""
    return tuple(
        sorted(
            pop.dispositions,
            key=lambda d: (d.entity.sort_key(), _ACTION_ORDER.get(d.action, 3)),
        )
    )


def report(
    ruleset: RuleSet,
    facts: RunFacts,
    as_of: datetime.date | None,
    basis: AsOfBasis,
    builder: Builder | None = None,
) -> Report:
    """The :class:`Report` from the facts of one evaluation (``builder``: the one that
    already built the rules' results as they were evaluated, if any)."""
    pop = facts.pop
    b = builder or Builder(pop)
    items = tuple(
        _parts_item(rf)
        if rf.parts is not None
        else (rf.result if rf.result is not None else b.rule_item(rf))
        for rf in facts.items
    )
    sections = tuple(
        SectionResult(
            s.container.kind,
            s.container.id,
            s.container.title,
            s.container.title_en,
            s.outcome,
            s.vetoed,
        )
        for s in facts.sections
    )
    county: models.County = pop.county
    if ruleset.parents:
        items = tuple(_with_set_by(ruleset, i) for i in items)
    return Report(
        ruleset_id=ruleset.id,
        ruleset_title=ruleset.title,
        ruleset_title_en=ruleset.title_en,
        ruleset_version=ruleset.version,
        county=county.name,
        county_code=county.code,
        as_of=as_of,
        as_of_basis=basis,
        items=items,
        sections=sections,
        overall=facts.overall,
        warnings=tuple(_warnings(ruleset, facts, items)),
        provisional_uses=facts.provisional,
        dispositions=_dispositions(pop),
        display_precision=pop.settings.display_precision,
        extends=tuple(Layer(p.id, p.title, p.file, p.title_en) for p in ruleset.parents),
        changes=_changes(ruleset, as_of),
    )
