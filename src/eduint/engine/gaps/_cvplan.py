"""A plan that brings a county's 差异系数 within its limit.

The 差异系数 is student-weighted (:func:`eduint.core.statistics.weighted_cv`,
REFERENCE §3.1): with xᵢ a school's indicator and wᵢ its students, mean = Σwᵢxᵢ ÷ Σwᵢ and
CV² = Σwᵢ(xᵢ − mean)² ÷ (Σwᵢ · mean²).  Raising school i's indicator by δᵢ costs wᵢδᵢ (÷ 100
for a per-100 figure) of the resource, so a least-total repair is

    minimise Σ wᵢδᵢ   subject to   δ ≥ 0,  ‖√w ⊙ (x + δ − mean(x + δ))‖ ≤ L·√Σw·mean(x + δ),

a second-order cone constraint (the mean is linear in δ).  For a fixed total B the mean
is fixed at mean(x) + B ÷ Σw, and the variance is least when the raised values are
``max(xᵢ, t)`` for one level t (the KKT conditions of a weighted least-squares
projection onto {y ≥ x, Σwy fixed}: water filling); the CV of that allocation falls as t
rises.  So the least total is reached by the *smallest level t* with CV ≤ L, found here
by bisection in exact fractions: every school below t is raised to t, none above.

The amounts are then whole steps of the lever (whole teachers and rooms, 1 平方米,
0.1 万元), rounded up per school, each school's slope read by re-evaluating the engine
(a one-through school's whole-school area reaches a segment through its split share);
if rounding leaves the rule failing, t is raised; then each school's amount is trimmed
by one step where the rule still holds.  The plan is re-checked with the engine: the
county's 差异系数 re-evaluated on the changed data must meet the limit.
"""

from __future__ import annotations

import math
from fractions import Fraction

import attrs

from eduint.checking.ruleset import Aggregate, CheckedRule, FieldRef, LetRef, RExpr, Type
from eduint.checking.schema import build_schema
from eduint.core.refs import EntityRef
from eduint.core.statistics import cv_parts, weighted_cv
from eduint.core.units import DIMENSIONLESS
from eduint.core.values import Interval
from eduint.engine.gaps._levers import cv_aggregates, levers, rule_lets
from eduint.engine.gaps._model import Check, Fix, Share
from eduint.engine.gaps._probe import Ctx, Move, entity_result, outcome_in
from eduint.engine.results import Outcome, Quantity, Report

__all__ = ["cv_plan", "water_level"]

#: Steps added to every lever to read each school's slope (exact: the figure is affine).
_PROBE_STEPS = 1000


def _weight(agg: Aggregate) -> RExpr:
    """The weight a ``cv`` uses: its second argument, else the entity's 在校生数."""
    if len(agg.args) == 2:
        return agg.args[1]
    info = build_schema().lookup(agg.over, "students")
    assert info is not None
    return FieldRef(info, Type("number", info.unit or DIMENSIONLESS))


def _values_probe(ctx: Ctx, rule: CheckedRule, agg: Aggregate, entity: EntityRef) -> CheckedRule:
    """A report-only rule over the CV's entities showing each one's indicator and weight."""
    segs = (entity.segment,) if entity.segment else rule.segments
    return attrs.evolve(
        rule,
        kind="rule",
        id="__gap_cv",
        label=None,
        scope=agg.over,
        segments=segs,
        applies=agg.where,
        require=None,
        basically=None,
        reports=(("x", agg.args[0]), ("w", _weight(agg))),
        lets=(),
        attested=False,
        parts=(),
        margin=None,
    )


def _read(rep: Report) -> list[tuple[EntityRef, Fraction, Fraction]] | None:
    """(entity, indicator, weight) of every entity with students; ``None`` when one is
    not an exact number."""
    out = []
    for e in rep.item("__gap_cv").entities:
        vals = {s.name: s.value for s in e.shown}
        x, w = vals.get("x"), vals.get("w")
        if not isinstance(w, Quantity) or isinstance(w.value, Interval):
            return None
        if w.value == 0:
            continue  # left out of the 差异系数 (0 students)
        if not isinstance(x, Quantity) or isinstance(x.value, Interval):
            return None
        out.append((e.entity, Fraction(x.value), Fraction(w.value)))
    return out


def water_level(
    xs: list[Fraction], ws: list[Fraction], raisable: list[bool], limit: Fraction, strict: bool
) -> Fraction | None:
    """The smallest level t such that raising every raisable xᵢ below t to t gives a
    student-weighted CV ≤ ``limit`` (< with ``strict``), to within 2⁻⁶⁰ of the range;
    ``None`` when even the top level does not."""

    def ok(t: Fraction) -> bool:
        ys = [max(x, t) if r else x for x, r in zip(xs, raisable, strict=True)]
        sq = cv_parts(ys, ws).square
        return sq < limit * limit if strict else sq <= limit * limit

    lo, hi = min(xs), max(xs)
    if ok(lo):
        return lo
    if not ok(hi):
        return None
    for _ in range(60):
        mid = (lo + hi) / 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


@attrs.frozen
class _Indicator:
    """One ``cv(…)`` of a term: its schools (entity, indicator, students), the lever's
    move at each school (``None``: missing, not exact), each school's slope per step."""

    rows: tuple[tuple[EntityRef, Fraction, Fraction], ...]
    base: tuple[Move | None, ...]
    slopes: tuple[Fraction, ...]

    @property
    def xs(self) -> list[Fraction]:
        """Each school's indicator."""
        return [x for _, x, _ in self.rows]

    @property
    def ws(self) -> list[Fraction]:
        """Each school's students (the weights)."""
        return [w for _, _, w in self.rows]

    @property
    def raisable(self) -> list[bool]:
        """Whether each school's indicator can be raised (its lever exact, slope > 0)."""
        return [m is not None and s > 0 for m, s in zip(self.base, self.slopes, strict=True)]

    def cv_square(self) -> Fraction:
        """CV² of the indicator as given."""
        return cv_parts(self.xs, self.ws).square

    def moves(self, level: Fraction) -> list[Move]:
        """Every school below ``level`` raised to it, in whole steps (rounded up)."""
        return [
            attrs.evolve(m, n=math.ceil((level - x) / s))
            for m, x, s, r in zip(self.base, self.xs, self.slopes, self.raisable, strict=True)
            if m is not None and r and x < level
        ]


def _indicator(ctx: Ctx, rule: CheckedRule, agg: Aggregate, entity: EntityRef) -> _Indicator | str:
    """The schools of one ``cv(…)`` with their lever and slopes, or a reason code."""
    if any(isinstance(a, LetRef) for a in agg.args):
        return "not_supported"
    probe_rs = attrs.evolve(ctx.ruleset, members=(_values_probe(ctx, rule, agg, entity),))
    rows = _read(ctx.report(ctx.county, probe_rs))
    if rows is None or len(rows) < 2:
        return "not_exact"
    levs = tuple(lv for lv in levers(agg.args[0], {})[0] if lv.better == "more")
    if not levs:
        return "not_actionable"
    base: list[Move | None] = []
    for e, _, _ in rows:
        at = ctx.locate(e, levs[0])
        base.append(Move(at[0], levs[0], at[1], 0) if at is not None else None)
    # each school's slope per step, read from the engine with every lever moved at once
    moved = ctx.apply(attrs.evolve(m, n=_PROBE_STEPS) for m in base if m is not None)
    after = _read(ctx.report(moved, probe_rs))
    if after is None or len(after) != len(rows):
        return "not_exact"
    slopes = tuple((a[1] - r[1]) / _PROBE_STEPS for r, a in zip(rows, after, strict=True))
    return _Indicator(tuple(rows), tuple(base), slopes)


def cv_plan(
    ctx: Ctx, rule: CheckedRule, term: RExpr, entity: EntityRef
) -> tuple[tuple[Fix, ...], tuple[Share, ...], str | None]:
    """The plan for a failing 差异系数 term of ``rule`` at the county segment ``entity``:
    (fixes, shares of the variance, reason when there is no plan).  A term over one
    ``cv(…)`` gets the least-total plan; a term over several (the 2012 composite, the
    mean of eight) gets the capped plan (see the module doc)."""
    lets = rule_lets(rule)
    aggs = cv_aggregates(term, lets)
    res = entity_result(ctx.report(ctx.county), rule.id, entity)
    ev = res.evidence if res is not None else None
    if not aggs or ev is None or ev.right is None or isinstance(ev.right.value, Interval):
        return (), (), "not_exact"
    inds = [_indicator(ctx, rule, a, entity) for a in aggs]
    shares: tuple[Share, ...] = ()
    if len(aggs) == 1 and isinstance(inds[0], _Indicator):
        ind = inds[0]
        contrib = weighted_cv(ind.xs, ind.ws).contributions
        shares = tuple(
            sorted(
                (Share(e, x, w, c) for (e, x, w), c in zip(ind.rows, contrib, strict=True)),
                key=lambda s: -s.share,
            )
        )
    ok = [i for i in inds if isinstance(i, _Indicator)]
    if not ok:
        reasons = [i for i in inds if isinstance(i, str)]
        return (), shares, reasons[0]
    if len(aggs) == 1:
        limit, strict = Fraction(ev.right.value), ev.op == "<"
        fix = _plan(ctx, rule, entity, ok[0], limit, strict)
    else:
        fix = _capped(ctx, rule, entity, ok)
    return ((fix,) if fix else ()), shares, (None if fix else "no_fix_found")


def _plan(
    ctx: Ctx, rule: CheckedRule, entity: EntityRef, ind: _Indicator, limit: Fraction, strict: bool
) -> Fix | None:
    """Water filling (see the module doc) in whole steps of the lever, re-checked."""
    t = water_level(ind.xs, ind.ws, ind.raisable, limit, strict)
    if t is None:
        return None
    top = max(ind.xs)
    for j in range(33):  # rounding up can only help; raise t if the engine disagrees
        moves = ind.moves(t + (top - t) * j / 32)
        if _met(ctx, rule, entity, moves):
            return _trimmed(ctx, rule, entity, moves)
    return None


def _capped(ctx: Ctx, rule: CheckedRule, entity: EntityRef, inds: list[_Indicator]) -> Fix | None:
    """A composite of several 差异系数 (the mean of eight): every indicator's CV capped at
    one level c, each by its own least-total water filling, with the largest c that the
    engine accepts (bisection over c); not proven least in any sense (the indicators'
    units differ), but re-checked."""
    cvs = [_root(i.cv_square()) for i in inds]

    def moves_at(c: Fraction) -> list[Move] | None:
        out: list[Move] = []
        for ind, cv in zip(inds, cvs, strict=True):
            if cv <= c:
                continue
            t = water_level(ind.xs, ind.ws, ind.raisable, c, False)
            if t is None:
                return None
            out.extend(ind.moves(t))
        return out

    lo, hi = Fraction(0), max(cvs)  # c = hi changes nothing, which fails
    best = moves_at(lo)
    if best is None or not _met(ctx, rule, entity, best):
        return None
    for _ in range(30):
        mid = (lo + hi) / 2
        trial = moves_at(mid)
        if trial is not None and _met(ctx, rule, entity, trial):
            lo, best = mid, trial
        else:
            hi = mid
    fix = _trimmed(ctx, rule, entity, best)
    return None if fix is None else attrs.evolve(fix, kind="plans")


def _root(square: Fraction) -> Fraction:
    """√square to 1e-12 (a CV to compare with caps; the verdicts are the engine's)."""
    return Fraction(math.isqrt(int(square * 10**24)), 10**12)


def _met(ctx: Ctx, rule: CheckedRule, entity: EntityRef, moves: list[Move]) -> bool:
    return ctx.met(rule, entity, ctx.apply(moves))


def _trimmed(ctx: Ctx, rule: CheckedRule, entity: EntityRef, moves: list[Move]) -> Fix | None:
    """Take one step off each school's amount where the rule still holds, re-check."""
    moves = list(moves)
    for i, m in enumerate(moves):
        if m.n < 1:
            continue
        trial = [*moves[:i], attrs.evolve(m, n=m.n - 1), *moves[i + 1 :]]
        if _met(ctx, rule, entity, trial):
            moves = trial
    moves = [m for m in moves if m.n > 0]
    rep = ctx.report(ctx.apply(moves), ctx.solo(rule))
    res = entity_result(rep, rule.id, entity)
    if outcome_in(rep, rule.id, entity) is not Outcome.MET or not moves:
        return None
    changes = tuple(ctx.change(m) for m in moves)
    one_field = len({c.field for c in changes}) == 1
    total = (
        sum((c.delta for c in changes), changes[0].delta - changes[0].delta) if one_field else None
    )
    check = Check(True, None, res.evidence if res is not None else None)
    return Fix("plan", changes, check, total=total)
