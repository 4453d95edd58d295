"""整改清单: what it would take to turn each 未达到 into 达到, every fix re-checked.

``gaps(ruleset, county)`` evaluates the county, and for every rule that is 未达到 for an
entity (a school segment, a school, a class, the county or one of its segments) finds:

* for a requirement on a ratio, share, per-student or per-100 figure (and any other
  comparison of figures): the smallest change of one of the rule's own inputs that a
  bureau can act on (:mod:`._levers`), in whole steps of that input's unit, one fix per
  such input (:mod:`._fixes`);
* for ``at_least(k, […]) and`` floors (教督〔2017〕6号 学校达标, 6 of 7 and 85 %): the fewest
  indicators to bring up, ties by the smallest total relative shortfall, each with its
  amount (:mod:`._fixes`);
* for a 差异系数 over its limit: every school's share of the variance and a plan that
  raises the schools below the mean (least total, water filling; :mod:`._cvplan`);
* for class-size limits: the classes to add (:mod:`._classes`).

Every fix is applied to a copy of the data (``attrs.evolve``) and re-evaluated with
:func:`eduint.engine.evaluator.evaluate`: it is kept only when the rule turns 达到 for
the entity and, for changes in whole steps, one step less of any change does not.  A
gap without a fix carries the coded reason (:data:`._model.REASONS`).  Pure: no I/O,
the caller's data untouched, the same inputs give the same list.
"""

from __future__ import annotations

import datetime

from eduint.checking.ruleset import CheckedRule, RuleSet
from eduint.core.refs import EntityRef
from eduint.data.models import County
from eduint.engine.gaps._classes import aggregate_class_fixes, class_fixes
from eduint.engine.gaps._cvplan import cv_plan
from eduint.engine.gaps._fixes import (
    conjunction_fixes,
    lever_fixes,
    probe_outcomes,
    terms_of,
    why_not,
)
from eduint.engine.gaps._levers import (
    conjuncts,
    fields_read,
    kind_of,
    levers,
    reads_outcome,
    rule_lets,
)
from eduint.engine.gaps._local import local, recheck_fix, to_county
from eduint.engine.gaps._model import (
    REASONS,
    Change,
    Check,
    ClassSplit,
    Fix,
    Gap,
    GapList,
    Share,
)
from eduint.engine.gaps._probe import Ctx
from eduint.engine.results import Comparison, EntityResult, ItemResult, Outcome, Report

__all__ = [
    "GAP_KINDS",
    "IN_SCOPE",
    "REASONS",
    "Change",
    "Check",
    "ClassSplit",
    "Fix",
    "Gap",
    "GapList",
    "Share",
    "gaps",
]

#: The kinds of requirement, in the order a rule's kind is chosen from its terms'.
GAP_KINDS: tuple[str, ...] = ("at_least", "cv", "class_size", "ratio", "other")
#: The kinds issue 20 requires a fix or a stated reason for (every gap gets one anyway).
IN_SCOPE: frozenset[str] = frozenset({"at_least", "cv", "class_size", "ratio"})


def gaps(
    ruleset: RuleSet,
    county: County,
    *,
    as_of: datetime.date | None = None,
    report: Report | None = None,
) -> GapList:
    """The 整改清单 of ``county`` under ``ruleset`` (see the module doc).

    Args:
        ruleset: the checked rule set.
        county: the county's data (never modified).
        as_of: the date to evaluate at (as :func:`eduint.evaluate`).
        report: the report of ``ruleset`` on ``county`` at ``as_of`` when the caller has
            it already (it must be that report; it only saves one evaluation).

    Returns:
        A :class:`GapList`: one :class:`Gap` per rule and entity that is 未达到, each with
        its verified fixes or the reason there are none.

    Raises:
        EvaluationError: as :func:`eduint.evaluate` (no date to evaluate at).
    """
    ctx = Ctx(ruleset, county, as_of)
    rep = report if report is not None else ctx.report(county)
    out: list[Gap] = []
    grades: dict[object, object] = {}  # a grade's class fix, shared by its failing classes
    for rule in ruleset.rules():
        if rule.require is None or rule.id.startswith("__gap_"):
            continue
        item = rep.item(rule.id)
        if item.computed is not Outcome.NOT_MET:
            continue
        for entity, evidence in _failing(item, rep):
            out.append(_gap(ctx, rule, entity, evidence, grades))
    return GapList(
        rep.ruleset_id,
        rep.ruleset_title,
        rep.ruleset_title_en,
        rep.county,
        rep.county_code,
        rep.as_of,
        tuple(out),
    )


def _failing(item: ItemResult, rep: Report) -> list[tuple[EntityRef, Comparison | None]]:
    """The entities for which ``item`` is 未达到 with their evidence (the county itself
    for a county rule)."""
    if not item.entities:
        ckey = rep.county_code or rep.county
        return [(EntityRef("county", ckey, rep.county, where="county"), item.evidence)]
    return [(e.entity, e.evidence) for e in item.entities if _fails(e)]


def _fails(e: EntityResult) -> bool:
    return e.outcome is Outcome.NOT_MET


def _gap(
    ctx: Ctx,
    rule: CheckedRule,
    entity: EntityRef,
    evidence: Comparison | None,
    grades: dict[object, object],
) -> Gap:
    """The gap of one failing entity: searched on its school alone where the rule is one
    school's (:mod:`._local`), every fix then re-checked on the whole county."""
    loc = local(ctx, rule, entity)
    if loc is not None:
        sub, sub_entity, keep = loc
        gap = to_county(_search(sub, rule, sub_entity, evidence, grades), entity, keep)
        fixes = tuple(f for f in (_rechecked(ctx, rule, entity, f, grades) for f in gap.fixes) if f)
        if fixes or not gap.fixes:
            return _with(gap, fixes=fixes, reason=gap.reason, shares=gap.shares)
    return _search(ctx, rule, entity, evidence, grades)


def _rechecked(
    ctx: Ctx, rule: CheckedRule, entity: EntityRef, fix: Fix, memo: dict[object, object]
) -> Fix | None:
    """:func:`._local.recheck_fix`, once per grade's class fix (its failing classes share
    it; the re-check is the grade's, not the class's)."""
    if fix.kind != "classes":
        return recheck_fix(ctx, rule, entity, fix)
    key = ("recheck", rule.id, fix)
    if key not in memo:
        memo[key] = recheck_fix(ctx, rule, entity, fix)
    got = memo[key]
    return got if isinstance(got, Fix) else None


def _search(
    ctx: Ctx,
    rule: CheckedRule,
    entity: EntityRef,
    evidence: Comparison | None,
    grades: dict[object, object],
) -> Gap:
    """The gap of one failing entity, every fix searched and re-checked in ``ctx``."""
    assert rule.require is not None
    lets = rule_lets(rule)
    conj = conjuncts(rule.require)
    kinds = [kind_of(t, lets) for t in conj]
    kind = next(k for k in GAP_KINDS if k in kinds or k == "other")
    reads = tuple(dict.fromkeys(f for t in conj for f in fields_read(t, lets)))
    gap = Gap(rule.id, rule.title, rule.title_en, kind, entity, evidence, reads=reads)
    if any(reads_outcome(t, lets) for t in conj):
        return _with(gap, reason="not_supported")
    if not any(levers(t, lets)[0] for t in conj) and kind not in ("cv", "class_size"):
        return _with(gap, reason="not_actionable")
    terms = terms_of(conj)
    if terms is None:
        return _with(gap, reason="not_supported")
    outcomes, _ = probe_outcomes(ctx, rule, terms, entity, ctx.county)
    failing = [i for i, o in enumerate(outcomes[: len(terms.plain)]) if o is not Outcome.MET]
    if kind == "class_size" and not terms.members and len(failing) <= 1:
        if rule.scope.value == "class":
            fixes, reason = class_fixes(ctx, rule, entity, grades)  # type: ignore[arg-type]
        else:
            fixes, reason = aggregate_class_fixes(ctx, rule, entity)
        return _with(gap, fixes=fixes, reason=reason)
    if kind == "cv":
        if terms.members or len(failing) != 1 or kinds[failing[0]] != "cv":
            return _with(gap, reason="not_supported")
        fixes, shares, reason = cv_plan(ctx, rule, terms.plain[failing[0]], entity)
        return _with(gap, fixes=fixes, reason=reason, shares=shares)
    if not terms.members and len(failing) == 1:
        i = failing[0]
        if not levers(terms.exprs[i], lets)[0]:
            return _with(gap, reason="not_actionable")
        fixes = lever_fixes(ctx, rule, terms, i, entity)
        why = None if fixes else why_not(ctx, rule, terms, [i], entity, outcomes)
        return _with(gap, fixes=fixes, reason=why)
    fixes, reason = conjunction_fixes(ctx, rule, terms, entity, outcomes)
    return _with(gap, fixes=fixes, reason=reason)


def _with(
    gap: Gap,
    *,
    fixes: tuple[Fix, ...] = (),
    reason: str | None = None,
    shares: tuple[Share, ...] = (),
) -> Gap:
    """``gap`` with its fixes, or the reason (never both: a gap with a fix needs none)."""
    import attrs

    if fixes:
        reason = None
    elif reason is None:
        reason = "no_fix_found"
    return attrs.evolve(gap, fixes=fixes, reason=reason, shares=shares)
