"""The record engine: a compiled rule set evaluated entity by entity over a population.

For every item, part and rule, in file order, :func:`run` evaluates the rule for each
entity of its scope (the county, its segments, its schools, school segments or classes)
and keeps structured facts (:class:`EntityFacts`, :class:`RuleFacts`): the outcome and
its coded reason, the sides of every top-level comparison of the requirement with its
comparator and result, the report values, the data cells read, the notes (what was
left out, merged or split) and the warnings.  Nothing is formatted here;
:mod:`eduint.engine.report` turns the facts into the :class:`~eduint.engine.results.Report`.

Outcomes (REFERENCE §3.4, ``docs/language.md``): a requirement that holds is 达到; one
that fails is 未达到 unless its ``basically`` condition holds (基本达到); an unknown one is
缺少数据 (or 不适用 / report-only by the kind of unknown).  A rule's outcome is the worst
of its entities' (未达到 > 缺少数据 > 基本达到 > 达到, 不适用 left out); an incomplete list
of entities makes anything but 未达到 缺少数据.  The headline is the computed outcome where
the data decides it, else the county's own answer (自评).
"""

from __future__ import annotations

import datetime
import functools
import pathlib
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import attrs

from eduint.checking.ruleset import CheckedRule, Const, Container, RuleSet
from eduint.checking.schema import ScopeKind
from eduint.core import values as v
from eduint.core.units import display_unit  # the margin is in the unit shown
from eduint.core.values import Code, Kind, Reason, Unknown, Value
from eduint.data import models
from eduint.data.answers import ancestor_answers, split_answers
from eduint.engine.compile import Program, RuleProgram
from eduint.engine.frame import Frame
from eduint.engine.population import Population
from eduint.engine.results import (
    Flag,
    Outcome,
    ProvisionalUse,
    Text,
    combine_worst,
    from_self_status,
)

__all__ = [
    "Answers",
    "EntityFacts",
    "Form",
    "RuleFacts",
    "RunFacts",
    "SectionFacts",
    "answers_for",
    "run",
]


class Form:
    """How an entity's evaluation ended (which fields of its result are shown)."""

    SEGMENT_NA = "segment_na"  # the county has no schools of the segment
    NOT_APPLIES = "not_applies"  # the applicability condition is false
    APPLIES_UNKNOWN = "applies_unknown"
    NO_REQUIRE = "no_require"  # report lines only
    REPORT_ONLY_MISSING = "report_only_missing"  # report-only period, value unknown
    REPORT_ONLY = "report_only"  # report-only period
    FULL = "full"  # the requirement was evaluated


class EntityFacts:
    """What one rule's evaluation for one entity found.

    Attributes:
        row: the entity's row in its scope's table.
        form: how the evaluation ended (:class:`Form`).
        outcome: the outcome, or ``None`` (report-only).
        reason: the coded reason for the outcome, or ``None``.
        missing: why the outcome is 缺少数据 (reasons, in order, with repeats as met).
        main: the headline comparison's ``(left, right)`` values, or ``None`` when it was
            not evaluated or the requirement has none.
        reports: the ``report`` values in order, or ``None`` before they were computed.
        checks: every top-level comparison of the requirement as
            ``(CheckInfo, left, right, result, group)``, in evaluation order.
        flags: :attr:`Flag.APPROXIMATE`, :attr:`Flag.BORDERLINE` (sorted by value).
        details: the notes of this entity's evaluation.
        inputs: the data cells this entity's evaluation read, in reading order (cell ids:
            :meth:`Population.input` gives each as an Input).
        result: what :func:`run`'s ``on_entity`` made of these facts, when it was given
            one (the comparisons are then let go).
    """

    __slots__ = (
        "checks",
        "details",
        "flags",
        "form",
        "inputs",
        "main",
        "missing",
        "outcome",
        "reason",
        "reports",
        "result",
        "row",
    )

    def __init__(
        self,
        row: int,
        form: str,
        outcome: Outcome | None,
        reason: Reason | None = None,
        missing: tuple[Reason, ...] = (),
        main: tuple[Value, Value] | None = None,
        reports: tuple[Value, ...] | None = None,
        checks: tuple[tuple[Any, Value, Value, Value, str | None], ...] = (),
        flags: tuple[Flag, ...] = (),
    ) -> None:
        self.row = row
        self.form = form
        self.outcome = outcome
        self.reason = reason
        self.missing = missing
        self.main = main
        self.reports = reports
        self.checks = checks
        self.flags = flags
        self.details: tuple[Reason, ...] = ()
        self.inputs: tuple[int, ...] = ()
        self.result: Any = None


@attrs.define
class RuleFacts:
    """What an item, part or rule's evaluation found (see :func:`run`).

    Attributes:
        rule: the checked rule; program: its compiled form; path: the enclosing labels.
        attestation: the county's answer (自评) it uses, or ``None``.
        computed, headline, self_outcome: the outcomes (see ItemResult).
        report_only, provisional, disagreement: as ItemResult.
        reason: the coded reason of the outcome, or ``None``.
        missing: why 缺少数据 (reasons, in order, repeats allowed).
        failing: the rows of the entities that fail (entities' scope).
        entities: the facts of each entity.
        shown: the index (in ``entities``) of the entity whose figures the item shows.
        reports: the report values of the rule's only entity, or ``None``.
        flags: the item's flags.
        frame: the evaluation record (inputs, notes, citations, periods, provisional).
        approx: True when an entity's verdict used an approximate figure.
        parts: the facts of an item's parts (``None`` for a rule).
        result: what :func:`run`'s ``on_rule`` made of these facts, when it was given one
            (the facts of the entities and the record are then let go).
    """

    rule: CheckedRule
    program: RuleProgram | None
    path: tuple[str, ...]
    attestation: models.Attestation | None
    computed: Outcome | None = None
    headline: Outcome | None = None
    self_outcome: Outcome | None = None
    report_only: bool = False
    provisional: bool = False
    disagreement: bool = False
    reason: Reason | None = None
    missing: list[Reason] = attrs.Factory(list)
    failing: list[int] = attrs.Factory(list)
    entities: list[EntityFacts] = attrs.Factory(list)
    shown: int | None = None
    reports: EntityFacts | None = None
    flags: set[Flag] = attrs.Factory(set)
    frame: Frame | None = None
    parts: list[RuleFacts] | None = None
    result: Any = None


@attrs.frozen
class SectionFacts:
    """A section or block's roll-up: its container, outcome and failed veto items."""

    container: Container
    outcome: Outcome | None
    vetoed: tuple[str, ...]


@attrs.frozen
class RunFacts:
    """Everything one evaluation of a county found, in file order.

    Attributes:
        pop: the population; as_of: the date used.
        items: the facts of every item, part and rule, in rule-file order.
        sections: the roll-up of every section and block, in file order.
        overall: the rule set's overall verdict.
        warnings: the warnings (coded), in order, with repeats.
        provisional: the provisional values, keys, periods, settings and rules that
            decided verdicts rest on, in the order first used.
        answers: the county's answers (自评) sorted by the rule set they belong to.
    """

    pop: Population
    as_of: datetime.date
    items: tuple[RuleFacts, ...]
    sections: tuple[SectionFacts, ...]
    overall: Outcome | None
    warnings: tuple[Reason, ...]
    provisional: tuple[ProvisionalUse, ...]
    answers: Answers


_SHOW_RANK = {
    Outcome.NOT_MET: 5,
    Outcome.NO_DATA: 4,
    Outcome.BASICALLY_MET: 3,
    Outcome.MET: 2,
    Outcome.NOT_APPLICABLE: 1,
    None: 0,
}


def _r(code: Code, *args: object) -> Reason:
    return Reason(code, args)


@functools.lru_cache(maxsize=256)
def _does_not_apply(otherwise: str | None, en: str | None, text: str | None) -> Reason:
    """One reason object per rule for all the entities it does not apply to: the rule's
    ``otherwise`` text (with its English variant) and its condition as rule text."""
    return Reason(Code.DOES_NOT_APPLY, (Text(otherwise, en) if otherwise else None, text))


def _rule_provisional(rule: CheckedRule) -> ProvisionalUse:
    """The provisional use a provisional rule records."""
    reason = Text(rule.provisional, rule.provisional_en) if rule.provisional else None
    title = Text(rule.title, rule.title_en) if rule.title else None
    return ProvisionalUse("rule", rule.id, reason, title=title)


# ------------------------------------------------------------------ entity


def eval_entity(p: RuleProgram, fr: Frame, row: int) -> EntityFacts:
    """Evaluate rule ``p`` for entity ``row`` of its scope (the frame records the rest)."""
    fr.ent_details = {}
    rule_inputs, fr.inputs = fr.inputs, {}
    try:
        facts = _eval_entity(p, fr, row)
    finally:
        details, fr.ent_details = tuple(fr.ent_details), None
        # the rule's inputs are its entities' in order, each cell once where first read
        inputs, fr.inputs = fr.inputs, rule_inputs
        rule_inputs.update(inputs)
    facts.details, facts.inputs = details, tuple(inputs)
    return facts


def _eval_entity(p: RuleProgram, fr: Frame, row: int) -> EntityFacts:
    rule = p.rule
    fr.approx = False  # flag only what this entity reads
    if rule.scope == ScopeKind.COUNTY_SEGMENT:
        na, effects = fr.pop.not_applicable(row)
        if effects is not None:
            fr.apply(effects)
        if na is not None:
            return EntityFacts(row, Form.SEGMENT_NA, Outcome.NOT_APPLICABLE, na)
    lets: list[Value] = []
    fr.lets = lets
    for f in p.lets:
        lets.append(f(fr, row))
    if p.applies is not None:
        a = p.applies(fr, row)
        if a is False:
            why = _does_not_apply(rule.otherwise, rule.otherwise_en, rule.applies_text)
            return EntityFacts(row, Form.NOT_APPLIES, Outcome.NOT_APPLICABLE, why)
        if a.__class__ is Unknown:
            return EntityFacts(
                row,
                Form.APPLIES_UNKNOWN,
                Outcome.NO_DATA,
                _r(Code.APPLICABILITY_UNKNOWN),
                a.reasons,
            )
    reports = tuple([f(fr, row) for _, _, f in p.reports])
    if p.require is None:
        return EntityFacts(row, Form.NO_REQUIRE, None, reports=reports)
    main: tuple[Value, Value] | None = None
    if p.main is not None:
        _, left, right = p.main
        lv, rv = left(fr, row), right(fr, row)
        main = (lv, rv)
        if rv.__class__ is Unknown and rv.kind is Kind.REPORT_ONLY:
            periods = tuple(x for x in rv.reasons if x.code is Code.REPORT_ONLY)
            if lv.__class__ is Unknown:
                # A report-only period still has to show its value; when the figures
                # for that value are missing, say so.
                return EntityFacts(
                    row,
                    Form.REPORT_ONLY_MISSING,
                    Outcome.NO_DATA,
                    _r(Code.REPORT_ONLY_NO_VALUE, periods),
                    lv.reasons,
                    main,
                    reports,
                )
            return EntityFacts(
                row, Form.REPORT_ONLY, None, _r(Code.REPORT_ONLY_PERIOD, periods), (), main, reports
            )
        fr.main = main
    checks: list[Any] = []
    fr.checks = checks
    try:
        r = p.require(fr, row)
    finally:
        fr.checks = None
        fr.main = None
    return _verdict(p, fr, row, r, main, reports, tuple(checks))


def _verdict(
    p: RuleProgram,
    fr: Frame,
    row: int,
    r: Value,
    main: tuple[Value, Value] | None,
    reports: tuple[Value, ...],
    checks: tuple[Any, ...],
) -> EntityFacts:
    reason: Reason | None = None
    missing: tuple[Reason, ...] = ()
    outcome: Outcome | None
    if r is True:
        outcome = Outcome.MET
    elif r is False:
        outcome = Outcome.NOT_MET
        if p.basically is not None:
            b = p.basically(fr, row)
            if b is True:
                outcome = Outcome.BASICALLY_MET
            elif b.__class__ is Unknown:
                outcome, missing = Outcome.NO_DATA, b.reasons
    elif r.__class__ is Unknown:
        u: Unknown = r
        if u.kind is Kind.REPORT_ONLY:
            outcome = None
            reason = _r(
                Code.REPORT_ONLY_PERIOD, tuple(x for x in u.reasons if x.code is Code.REPORT_ONLY)
            )
        elif u.kind is Kind.NOT_APPLICABLE:
            outcome = Outcome.NOT_APPLICABLE
            reason = _r(Code.NOT_APPLICABLE_BECAUSE, u.reasons)
        else:
            outcome = Outcome.NO_DATA
            missing = u.reasons
            reason = _r(
                Code.NO_THRESHOLD_IN_FORCE if u.kind is Kind.NO_THRESHOLD else Code.MISSING_FIGURES
            )
    else:
        raise AssertionError(f"requirement gave {r!r}")
    flags: list[Flag] = []
    if fr.approx:
        flags.append(Flag.APPROXIMATE)
    if main is not None and _borderline(p, main):
        flags.append(Flag.BORDERLINE)
    return EntityFacts(
        row, Form.FULL, outcome, reason, missing, main, reports, checks, tuple(sorted(flags))
    )


def _borderline(p: RuleProgram, main: tuple[Value, Value]) -> bool:
    """True when the headline comparison is within the rule's ``margin`` of its threshold."""
    margin = p.rule.margin
    if not isinstance(margin, Const) or p.main is None:
        return False
    cmp = p.main[0]
    lv, rv = main
    if cmp.op not in (">=", ">", "<=", "<") or not (_single(lv) and _single(rv)):
        return False
    unit = display_unit(cmp.right.type.unit, cmp.left.type.unit)
    a, b = v.bounds(lv)[0], v.bounds(rv)[0]  # type: ignore[arg-type]
    m = (a - b) if cmp.op in (">=", ">") else (b - a)
    return abs(Fraction(m) / unit.scale) <= Fraction(margin.value)


def _single(x: Value) -> bool:
    """One number: exact, approximate or a bracket (within 1e-40 of its value)."""
    t = type(x)
    return t is int or t is Fraction or (t is v.Interval and (x.exact or x.bracket))  # type: ignore[union-attr]


# -------------------------------------------------------------------- rule


class Outcomes:
    """``outcome(RULE)`` for the rules of one evaluation: each rule's outcome for an
    entity is evaluated once, when first read, in a frame of its own; what that read
    (cells, provisional values, citations) is recorded in the frame that reads it.
    缺少数据 is an unknown value carrying the rule's reasons; an entity outside the rule's
    segment list is 不适用."""

    def __init__(self, program: Program, pop: Population, bound: list[Any], as_of: datetime.date):
        self.program = program
        self.pop = pop
        self.bound = bound
        self.as_of = as_of
        self.rules = {p.rule.id: p for p in program.rules.values()}
        self.memo: dict[tuple[str, int], tuple[Value, Frame | None]] = {}

    def __call__(self, caller: Frame, rule: str, row: int) -> Value:
        hit = self.memo.get((rule, row))
        if hit is None:
            hit = self.memo[(rule, row)] = self._evaluate(rule, row)
        value, fr = hit
        if fr is not None:
            caller.inputs.update(fr.inputs)
            caller.prov.update(fr.prov)
            caller.sources.update(fr.sources)
        return value

    def _evaluate(self, rule: str, row: int) -> tuple[Value, Frame | None]:
        p = self.rules[rule]
        segments = p.rule.segments
        if segments is not None and self.pop.tables[p.rule.scope].segval[row] not in segments:
            return Outcome.NOT_APPLICABLE.value, None
        fr = Frame(self.pop, self.bound, self.as_of)
        fr.outcomes = self
        ef = eval_entity(p, fr, row)
        o = ef.outcome
        if o is None or o is Outcome.NO_DATA:
            reasons = ef.missing or ((ef.reason,) if ef.reason is not None else ())
            return Unknown(reasons or (_r(Code.MISSING_LIST),)), fr
        return o.value, fr


#: What :func:`run` may do with each entity's facts as soon as they are complete.
OnEntity = Callable[["RuleFacts", EntityFacts], Any]


def run_rule(
    p: RuleProgram,
    pop: Population,
    bound: list[Any],
    as_of: datetime.date,
    path: tuple[str, ...],
    att: models.Attestation | None,
    on_entity: OnEntity | None = None,
    outcomes: Outcomes | None = None,
) -> RuleFacts:
    """Evaluate one rule or part for every entity of its scope, and decide its outcome."""
    rule = p.rule
    fr = Frame(pop, bound, as_of)
    fr.outcomes = outcomes
    rf = RuleFacts(rule, p, path, att, frame=fr)
    if rule.require is not None or rule.reports:
        _entities(p, fr, rf, on_entity)
    if rule.provisional is not None and rf.computed is not None:
        fr.prov[_rule_provisional(rule)] = None
    _headline(rf, bool(fr.prov))
    return rf


def _entities(p: RuleProgram, fr: Frame, rf: RuleFacts, on_entity: OnEntity | None) -> None:
    rule = p.rule
    lst, notes = fr.pop.rule_rows(rule.scope, rule.segments)
    if lst.effects is not None:
        fr.apply(lst.effects)
    for n in notes:
        fr.note(n)
    if lst.missing is not None:
        rf.computed = Outcome.NO_DATA if rule.require is not None else None
        rf.reason, rf.missing = _r(Code.MISSING_LIST), [lst.missing]
        return
    outs: list[Outcome | None] = []
    shown_rank = -1
    single = len(lst.rows) == 1
    for row in lst.rows:
        ef = eval_entity(p, fr, row)
        if on_entity is not None:
            # made at once, the result lets the comparisons' records go young
            ef.result = on_entity(rf, ef)
            ef.checks = ()
        o = ef.outcome
        outs.append(o)
        rf.entities.append(ef)
        rf.flags.update(ef.flags)
        # Show the figures of the worst entity: the one that decides the verdict
        # (未达到 > 缺少数据 > 基本达到 > 达到).
        rank = _SHOW_RANK[o]
        if rank > shown_rank:
            shown_rank = rank
            rf.shown = len(rf.entities) - 1
        if single:
            rf.reports = ef
        if o is Outcome.NOT_MET:
            rf.failing.append(row)
        rf.missing.extend(ef.missing)
    if rule.require is None:
        rf.report_only = True
        return
    if outs and all(o is None for o in outs):
        rf.report_only = True
        rf.reason = rf.entities[0].reason
    elif not outs and not lst.complete:
        rf.computed = Outcome.NO_DATA
        rf.reason = _r(Code.NO_ENTITIES_INCOMPLETE)
        rf.missing.append(_r(Code.LIST_INCOMPLETE, rule.scope.value))
        rf.missing.extend(lst.gaps)
    elif not outs:
        rf.computed = Outcome.NOT_APPLICABLE
        rf.reason = _r(Code.NO_ENTITIES)
    else:
        rf.computed = combine_worst(outs)
        if not lst.complete and rf.computed != Outcome.NOT_MET:
            rf.computed = Outcome.NO_DATA
            rf.missing.append(_r(Code.LIST_INCOMPLETE, rule.scope.value))
            rf.missing.extend(lst.gaps)
        if rf.computed in (Outcome.NOT_APPLICABLE, Outcome.NO_DATA) and rf.reason is None:
            rf.reason = next((e.reason for e in rf.entities if e.reason is not None), None)


def _headline(rf: RuleFacts, provisional_used: bool) -> None:
    rule, att, computed = rf.rule, rf.attestation, rf.computed
    self_status = att.status if att is not None else None
    rf.self_outcome = from_self_status(self_status) if self_status is not None else None
    if computed is not None and computed.decided:
        rf.headline = computed
    elif rf.self_outcome is not None:
        rf.headline = rf.self_outcome
        if self_status == models.SelfStatus.NOT_STATED and rf.reason is None:
            rf.reason = _r(Code.NOT_STATED)
    elif computed is not None:
        rf.headline = computed
    elif rf.report_only:
        rf.headline = None
    else:
        rf.headline = Outcome.NO_DATA
        rf.reason = rf.reason or _r(Code.NO_ANSWER)
    rf.provisional = (
        computed is not None
        and computed.decided
        and rf.headline == computed
        and (provisional_used or rule.provisional is not None)
    ) or (
        # an item the rule file itself marks provisional (e.g. a veto known only from
        # memory) stays marked even when only the county answers it
        computed is None and rule.provisional is not None
    )
    rf.disagreement = (
        rf.self_outcome is not None
        and rf.self_outcome.decided
        and computed is not None
        and computed.decided
        and rf.self_outcome != computed
    )
    if rf.provisional:
        rf.flags.add(Flag.PROVISIONAL)
    if rf.disagreement:
        rf.flags.add(Flag.DISAGREEMENT)
    if rf.report_only:
        rf.flags.add(Flag.REPORT_ONLY)


# -------------------------------------------------------------- structure


def _combine_all_met(outcomes: Sequence[Outcome | None]) -> Outcome | None:
    present = [o for o in outcomes if o is not None and o != Outcome.NOT_APPLICABLE]
    if not present:
        return combine_worst(outcomes)
    if all(o == Outcome.MET for o in present):
        return Outcome.MET
    if any(o == Outcome.NO_DATA for o in present) and not any(
        o in (Outcome.NOT_MET, Outcome.BASICALLY_MET) for o in present
    ):
        return Outcome.NO_DATA
    return Outcome.NOT_MET


def _combine_any_met(outcomes: Sequence[Outcome | None]) -> Outcome | None:
    present = [o for o in outcomes if o is not None and o != Outcome.NOT_APPLICABLE]
    if not present:
        return combine_worst(outcomes)
    if any(o == Outcome.MET for o in present):
        return Outcome.MET
    if any(o == Outcome.NO_DATA for o in present):
        return Outcome.NO_DATA
    return combine_worst(present)


COMBINE = {
    "worst": combine_worst,
    "all_met": _combine_all_met,
    "any_met": _combine_any_met,
}
_ITEM_FLAGS = (Flag.PROVISIONAL, Flag.APPROXIMATE, Flag.DISAGREEMENT)


@attrs.frozen
class Answers:
    """The county's answers (自评) as they belong to the rule set being evaluated.

    Attributes:
        own: the answers this rule set may use (those naming it by id or file stem, and
            those naming no rule set), in data order.
        foreign: ``(rule-set id, number of answers)`` for the answers that belong to other
            rule sets, sorted by id.
        inherited: ``(ancestor id, answer)`` for the answers to the rule sets this one
            extends (issue 15): each serves an item the rule set inherits from that
            ancestor unchanged (:meth:`for_rule`).
    """

    own: tuple[models.Attestation, ...]
    foreign: tuple[tuple[str, int], ...]
    inherited: tuple[tuple[str, models.Attestation], ...] = ()

    def for_rule(self, rule: CheckedRule, lineage: tuple[str, ...]) -> models.Attestation | None:
        """The answer to ``rule`` (an item, part or rule): its own rule set's, else the
        nearest ancestor's when the rule (with its parts) is that ancestor's unchanged.

        Args:
            rule: the rule.
            lineage: the rule set's id and its ancestors' ids, nearest first.
        """
        own = next((a for a in self.own if a.item == rule.id), None)
        if own is not None or not self.inherited:
            return own
        for ancestor, a in self.inherited:
            if a.item == rule.id and _unchanged_since(rule, lineage, ancestor):
                return a
        return None


def _unchanged_since(rule: CheckedRule, lineage: tuple[str, ...], ancestor: str) -> bool:
    """Whether ``rule`` and its parts were set by ``ancestor`` or a rule set it extends."""
    if ancestor not in lineage:
        return False
    level = lineage.index(ancestor)
    for r in (rule, *rule.parts):
        origin = r.origin.ruleset if r.origin is not None else ancestor
        if origin not in lineage or lineage.index(origin) < level:
            return False
    return True


def answers_for(ruleset: RuleSet, county: models.County) -> Answers:
    """Sort the county's answers (自评) by the rule set they belong to: an answer is used
    only when it names no rule set or names this one (its id or its file's stem;
    :func:`eduint.data.answers.split_answers`), or names a rule set this one extends
    (for the items inherited from it unchanged)."""
    stem = pathlib.PurePath(ruleset.file).stem
    ancestors = [
        (p.id, pathlib.PurePath(p.file.removeprefix("bundled:")).stem) for p in ruleset.parents
    ]
    own, foreign = split_answers(
        county.attestations, ruleset_id=ruleset.id, file_stem=stem, ancestors=ancestors
    )
    inherited = tuple(
        (ruleset.parents[level - 1].id, a)
        for level, a in ancestor_answers(county.attestations, ancestors)
    )
    return Answers(own, tuple(sorted(foreign)), inherited)


class _Run:
    """One evaluation of a compiled rule set for one county."""

    def __init__(
        self,
        ruleset: RuleSet,
        program: Program,
        pop: Population,
        as_of: datetime.date,
        on_rule: Callable[[RuleFacts], Any] | None,
        on_entity: OnEntity | None,
    ) -> None:
        self.on_rule = on_rule
        self.on_entity = on_entity
        self.program = program
        self.pop = pop
        self.as_of = as_of
        self.bound = program.bind(pop)
        self.outcomes = Outcomes(program, pop, self.bound, as_of)
        self.answers = answers_for(ruleset, pop.county)
        self.lineage = ruleset.lineage
        self.own = {a.item: a for a in self.answers.own}
        self.items: list[RuleFacts] = []
        self.sections: list[SectionFacts] = []
        self.warnings: list[Reason] = []
        self.provisional: dict[ProvisionalUse, None] = {}

    def answer(self, rule: CheckedRule) -> models.Attestation | None:
        """The county's answer to ``rule`` (see :meth:`Answers.for_rule`)."""
        own = self.own.get(rule.id)
        if own is not None or not self.answers.inherited:
            return own
        return self.answers.for_rule(rule, self.lineage)

    def rule(
        self, rule: CheckedRule, path: tuple[str, ...], parent: CheckedRule | None
    ) -> RuleFacts:
        att = self.answer(rule) or (self.answer(parent) if parent is not None else None)
        p = self.program.rules[id(rule)]
        rf = run_rule(p, self.pop, self.bound, self.as_of, path, att, self.on_entity, self.outcomes)
        assert rf.frame is not None
        self.warnings.extend(rf.frame.warnings)
        if rf.computed is not None and rf.computed.decided:
            self.provisional.update(rf.frame.prov)
        if self.on_rule is not None:
            # used at once, the facts need not outlive the rule (fewer objects survive
            # into the garbage collector's older generations)
            rf.result = self.on_rule(rf)
            rf.entities, rf.reports, rf.frame = [], None, None
        return rf

    def item(self, rule: CheckedRule, path: tuple[str, ...]) -> RuleFacts:
        if not rule.parts:
            rf = self.rule(rule, path, None)
            self.items.append(rf)
            return rf
        own = len(self.items)
        self.items.append(None)  # type: ignore[arg-type]  # placeholder keeps file order
        parts = [self.rule(p, (*path, rule.id), rule) for p in rule.parts]
        self.items.extend(parts)
        combine = COMBINE[rule.combine]
        rf = RuleFacts(rule, None, path, self.answer(rule), parts=parts)
        rf.computed = combine([p.computed for p in parts])
        rf.self_outcome = combine([p.self_outcome for p in parts])
        headline = combine([p.headline for p in parts])
        rf.headline = headline if headline is not None else Outcome.NO_DATA
        for p in parts:
            rf.flags |= {f for f in p.flags if f in _ITEM_FLAGS}
        # An item disagrees when one of its parts does: comparing the item's combined
        # columns would set a 自评 of one part against the 核算 of another.
        rf.disagreement = any(p.disagreement for p in parts)
        if rf.disagreement:
            rf.flags.add(Flag.DISAGREEMENT)
        rf.provisional = any(p.provisional and p.headline == headline for p in parts)
        self.items[own] = rf
        return rf

    def members(
        self, members: Sequence[Container | CheckedRule], path: tuple[str, ...]
    ) -> list[tuple[Outcome | None, bool, str]]:
        out: list[tuple[Outcome | None, bool, str]] = []
        for m in members:
            if isinstance(m, CheckedRule):
                r = self.item(m, path)
                out.append((r.headline, m.veto, m.id))
                continue
            idx = len(self.sections)
            self.sections.append(None)  # type: ignore[arg-type]
            sub = self.members(m.members, (*path, m.id))
            outcome = COMBINE[m.combine]([o for o, _, _ in sub])
            vetoed = tuple(i for o, veto, i in sub if veto and o == Outcome.NOT_MET)
            if vetoed:
                outcome = Outcome.NOT_MET
            self.sections[idx] = SectionFacts(m, outcome, vetoed)
            out.append((outcome, False, m.id))
        return out


def run(
    ruleset: RuleSet,
    program: Program,
    pop: Population,
    as_of: datetime.date,
    on_rule: Callable[[RuleFacts], Any] | None = None,
    on_entity: OnEntity | None = None,
) -> RunFacts:
    """Evaluate ``ruleset`` (compiled as ``program``) for the county of ``pop`` at ``as_of``
    (see the module doc).

    Args:
        on_rule: called with the facts of each rule and part as soon as they are
            complete; what it returns is kept in :attr:`RuleFacts.result` and the
            entities' facts are let go.  ``None`` keeps every fact.
        on_entity: called with the facts of each entity as soon as they are complete;
            what it returns is kept in :attr:`EntityFacts.result` and the entity's
            comparisons are let go.
    """
    r = _Run(ruleset, program, pop, as_of, on_rule, on_entity)
    top = r.members(ruleset.members, ())
    overall = combine_worst([o for o, _, _ in top])
    if any(veto and o == Outcome.NOT_MET for o, veto, _ in top):
        overall = Outcome.NOT_MET
    return RunFacts(
        pop,
        as_of,
        tuple(r.items),
        tuple(r.sections),
        overall,
        tuple(r.warnings),
        tuple(r.provisional),
        r.answers,
    )
