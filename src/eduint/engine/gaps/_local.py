"""One school's gaps searched on a county of that school alone, re-checked on the whole.

A rule evaluated for a school, a school segment or a class reads that school's figures
and the county's own, nothing of the other schools' (except a 教学点 and its central
school, which a rule set may merge: both are kept).  Its searches (dozens of
evaluations) therefore run on a copy of the county that lists only those schools, which
costs one school's evaluation instead of the county's; every fix found is then mapped back
and re-checked on the whole county (达到 with it, and not with one step less), and only
fixes that pass are kept.  If none passes, the search runs again on the whole county.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs

from eduint.checking.ruleset import CheckedRule
from eduint.core.refs import EntityRef
from eduint.data.models import County
from eduint.engine.gaps._classes import grade_met, regroup
from eduint.engine.gaps._data import Place, place_of, set_figure, set_flag
from eduint.engine.gaps._model import Change, Check, ClassSplit, Fix, Gap
from eduint.engine.gaps._probe import Ctx, entity_result, outcome_in
from eduint.engine.results import Outcome

__all__ = ["local", "recheck_fix", "to_county"]

_SCOPES = frozenset({"school", "segment", "class"})
_SCHOOL = re.compile(r"^schools\[(\d+)\]")


def local(
    ctx: Ctx, rule: CheckedRule, entity: EntityRef
) -> tuple[Ctx, EntityRef, list[int]] | None:
    """A context over ``entity``'s school alone (with its 教学点 or central school), the
    entity as it is named there, and the whole county's index of each school kept; ``None``
    when the rule is not one school's or nothing would be saved."""
    if entity.scope not in _SCOPES or rule.scope.value != entity.scope:
        return None
    p = place_of(entity)
    schools = ctx.county.schools or ()
    if p is None or p.school is None or p.school >= len(schools):
        return None
    me = schools[p.school]
    keep = [p.school] + [
        j
        for j, s in enumerate(schools)
        if j != p.school and (s.central_school == me.id or me.central_school == s.id)
    ]
    if len(keep) == len(schools):
        return None
    sub = attrs.evolve(ctx.county, schools=tuple(schools[j] for j in keep))
    return Ctx(ctx.ruleset, sub, ctx.as_of), _renamed(entity, {p.school: 0}.get), keep


def _renamed(ref: EntityRef, index: Callable[[int], int | None]) -> EntityRef:
    m = _SCHOOL.match(ref.where)
    if m is None:
        return ref
    j = index(int(m[1]))
    return ref if j is None else attrs.evolve(ref, where=f"schools[{j}]{ref.where[m.end() :]}")


def to_county(gap: Gap, entity: EntityRef, keep: list[int]) -> Gap:
    """``gap`` as found on the one-school county, named in the whole county."""

    def back(ref: EntityRef) -> EntityRef:
        return _renamed(ref, lambda k: keep[k] if k < len(keep) else None)

    fixes = tuple(
        attrs.evolve(
            f,
            changes=tuple(attrs.evolve(c, entity=back(c.entity)) for c in f.changes),
            splits=tuple(attrs.evolve(s, entity=back(s.entity)) for s in f.splits),
        )
        for f in gap.fixes
    )
    return attrs.evolve(gap, entity=entity, fixes=fixes)


def _apply(county: County, changes: tuple[Change, ...], less: int | None = None) -> County:
    for i, c in enumerate(changes):
        p = place_of(c.entity)
        assert p is not None
        value = c.after if i != less else c.after - (c.step if c.delta > 0 else -c.step)
        if c.flag:
            county = set_flag(county, p, c.field.name, value > 0)
        else:
            county = set_figure(county, p, c.field.name, value)
    return county


def recheck_fix(ctx: Ctx, rule: CheckedRule, entity: EntityRef, fix: Fix) -> Fix | None:
    """``fix`` re-checked on the whole county (see the module doc), with the deciding
    comparison re-evaluated there; ``None`` when it fails."""
    if fix.kind == "classes":
        return fix if all(_grade_ok(ctx, rule, s) for s in fix.splits) else None
    county = _apply(ctx.county, fix.changes)
    rep = ctx.report(county, ctx.solo(rule))
    if outcome_in(rep, rule.id, entity) is not Outcome.MET:
        return None
    if fix.check.one_less_fails:
        for i in range(len(fix.changes)):
            if ctx.met(rule, entity, _apply(ctx.county, fix.changes, less=i)):
                return None
    res = entity_result(rep, rule.id, entity)
    after = res.evidence if res is not None else rep.item(rule.id).evidence
    return attrs.evolve(fix, check=Check(True, fix.check.one_less_fails, after))


def _grade_ok(ctx: Ctx, rule: CheckedRule, s: ClassSplit) -> bool:
    p = place_of(s.entity)
    if p is None:
        return False
    sp = Place(p.school, p.seg)
    m = len(s.parts)
    fewer = regroup(ctx.county, {(sp, s.grade): m - 1}) if m > 1 else None
    return grade_met(ctx, rule, regroup(ctx.county, {(sp, s.grade): m}), sp, s.grade) and (
        fewer is None or not grade_met(ctx, rule, fewer, sp, s.grade)
    )
