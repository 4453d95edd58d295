"""Fixes for requirements on figures: one lever, several terms, and k of n indicators.

The smallest change of one lever that makes one term hold is found by searching whole
steps of the lever (:func:`._probe.least`), each step re-evaluated with the engine; the
requirement is monotone in a lever of its own figure side (more teachers never lower a
per-100 rate), and where it is not the re-check finds out and the fix is dropped.

An ``at_least(k, [c₁ … cₙ]) and floors`` rule (教督〔2017〕6号 学校达标: 6 of 7 and the rest
at 85 %) is fixed in two stages: every failing floor (a plain term) is brought up first;
then, of the conditions still unmet, the ``k − met`` with the smallest relative shortfall
``(threshold − figure) ÷ threshold`` are brought up: the fewest indicators, ties broken
by the smallest total shortfall (choosing the d smallest minimises the sum).  The moves
are then tightened together (each as small as the others allow) and re-checked.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

import attrs

from eduint.checking.ruleset import CheckedRule, RExpr
from eduint.core.refs import EntityRef
from eduint.data.models import County
from eduint.engine.gaps._levers import Lever, at_least_parts, levers, rule_lets
from eduint.engine.gaps._model import Fix
from eduint.engine.gaps._probe import MAX_STEPS, Ctx, Move, entity_result, least, outcome_in
from eduint.engine.results import Outcome, Report

__all__ = ["Terms", "conjunction_fixes", "lever_fixes", "terms_of", "why_not"]


@attrs.frozen
class Terms:
    """A requirement's terms with their probes' outcomes for one entity.

    Attributes:
        plain: the terms outside ``at_least``, in order.
        members: the conditions an ``at_least`` counts (empty when there is none).
        k: how many of them must hold.
        exprs: every probed term (``plain`` then ``members``); probe ``__gap_<i>`` is
            ``exprs[i]``.
    """

    plain: tuple[RExpr, ...]
    members: tuple[RExpr, ...]
    k: int
    exprs: tuple[RExpr, ...]


def terms_of(conj: Sequence[RExpr]) -> Terms | None:
    """Split the terms of a requirement; ``None`` with more than one ``at_least``."""
    plain: list[RExpr] = []
    members: tuple[RExpr, ...] = ()
    k = 0
    for t in conj:
        parts = at_least_parts(t)
        if parts is None:
            plain.append(t)
        elif members:
            return None
        else:
            k, members = parts
    return Terms(tuple(plain), members, k, (*plain, *members))


def probe_outcomes(
    ctx: Ctx, rule: CheckedRule, terms: Terms, entity: EntityRef, county: County
) -> tuple[list[Outcome | None], Report]:
    """Each probed term's outcome for ``entity`` in ``county``, and the probe report."""
    rep = ctx.report(county, ctx.probes(rule, terms.exprs))
    return [outcome_in(rep, f"__gap_{i}", entity) for i in range(len(terms.exprs))], rep


def _one_move(
    ctx: Ctx,
    rule: CheckedRule,
    terms: Terms,
    i: int,
    entity: EntityRef,
    lever: Lever,
    county: County,
) -> Move | None:
    """The smallest move of ``lever`` that makes probe ``i`` hold for ``entity``."""
    at = ctx.locate(entity, lever)
    if at is None:
        return None
    place, before = at
    probe_rs = ctx.probes(rule, terms.exprs, only=i)
    step = lever.step
    cap = (
        (1 - int(before))
        if lever.flag
        else MAX_STEPS
        if lever.better == "more"
        else int(before // step)
    )
    m = Move(place, lever, before, 0)

    def run(n: int) -> Report:
        return ctx.report(ctx.apply([attrs.evolve(m, n=n)], county), probe_rs)

    def ok(n: int) -> bool:
        return outcome_in(run(n), f"__gap_{i}", entity) is Outcome.MET

    guess = _secant(run, i, entity, cap)
    if guess is not None and ok(guess) and (guess == 1 or not ok(guess - 1)):
        return attrs.evolve(m, n=guess)
    n = least(ok, cap)
    return None if n is None else attrs.evolve(m, n=n)


def _margin(rep: Report, i: int, entity: EntityRef) -> tuple[Fraction, bool] | None:
    """Probe ``i``'s margin for ``entity`` (positive: met with room) and whether its
    comparator is strict, or ``None`` when there is none (a range, a bracket)."""
    e = entity_result(rep, f"__gap_{i}", entity)
    ev = e.evidence if e is not None else rep.item(f"__gap_{i}").evidence
    if ev is None or ev.margin is None:
        return None
    return Fraction(ev.margin), ev.op in ("<", ">")


def _secant(run: Callable[[int], Report], i: int, entity: EntityRef, cap: int) -> int | None:
    """The steps a figure affine in the lever needs, from its margin at 0 and 1 steps
    (a per-100 rate, a per-student area, a share: all affine in their numerator); the
    caller re-checks the guess and searches when it is wrong."""
    a, b = _margin(run(0), i, entity), _margin(run(1), i, entity)
    if a is None or b is None or b[0] <= a[0]:
        return None
    need = -a[0] / (b[0] - a[0])  # steps to a margin of 0
    n = math.floor(need) + 1 if a[1] else math.ceil(need)
    return n if 1 <= n <= cap else None


def _first_move(
    ctx: Ctx, rule: CheckedRule, terms: Terms, i: int, entity: EntityRef, county: County
) -> Move | None:
    """The move of the first lever of probe ``i`` (in reading order) that works."""
    levs, _ = levers(terms.exprs[i], rule_lets(rule))
    for lev in levs:
        m = _one_move(ctx, rule, terms, i, entity, lev, county)
        if m is not None:
            return m
    return None


def _merge(moves: Sequence[Move]) -> list[Move]:
    """Moves of the same figure combined: the larger wins (each target needs at least
    its own amount of the same lever)."""
    out: dict[object, Move] = {}
    for m in moves:
        k = m.key()
        if k not in out or m.n > out[k].n:
            out[k] = m if k not in out else attrs.evolve(m, target=f"{out[k].target}; {m.target}")
        elif m.target:
            out[k] = attrs.evolve(out[k], target=f"{out[k].target}; {m.target}")
    return list(out.values())


def _fix(
    ctx: Ctx, rule: CheckedRule, entity: EntityRef, kind: str, moves: list[Move]
) -> Fix | None:
    """Tighten, re-check and package ``moves``; ``None`` when the re-check fails."""
    moves = ctx.tighten(rule, entity, moves)
    if not moves:
        return None
    check = ctx.check(rule, entity, moves)
    if not check.met or check.one_less_fails is False:
        return None
    changes = tuple(ctx.change(m) for m in moves)
    total = changes[0].delta if len(changes) == 1 else None
    return Fix(kind, changes, check, tuple(m.target for m in moves), total=total)


def _text(rep: Report, i: int, entity: EntityRef) -> tuple[str, Fraction | None]:
    """Probe ``i``'s comparison text and relative shortfall for ``entity``."""
    e = entity_result(rep, f"__gap_{i}", entity)
    ev = e.evidence if e is not None else rep.item(f"__gap_{i}").evidence
    if ev is None:
        return "", None
    sf = ev.shortfall
    return ev.text, None if sf is None else Fraction(sf)


def lever_fixes(
    ctx: Ctx, rule: CheckedRule, terms: Terms, i: int, entity: EntityRef
) -> tuple[Fix, ...]:
    """One fix per lever of the one failing term ``i``: alternatives, each verified."""
    levs, _ = levers(terms.exprs[i], rule_lets(rule))
    _, rep = probe_outcomes(ctx, rule, terms, entity, ctx.county)
    text, _ = _text(rep, i, entity)
    out: list[Fix] = []
    for lev in levs:
        m = _one_move(ctx, rule, terms, i, entity, lev, ctx.county)
        if m is None:
            continue
        fix = _fix(ctx, rule, entity, "lever", [attrs.evolve(m, target=text)])
        if fix is not None:
            out.append(fix)
    return tuple(out)


def why_not(
    ctx: Ctx,
    rule: CheckedRule,
    terms: Terms,
    idxs: Sequence[int],
    entity: EntityRef,
    outcomes: Sequence[Outcome | None],
) -> str:
    """Why terms ``idxs`` got no fix: ``not_exact`` when one is undecided (a figure
    missing) or one of their levers is missing, a range or approximate; else
    ``no_fix_found``."""
    lets = rule_lets(rule)
    for i in idxs:
        if outcomes[i] is not Outcome.NOT_MET:
            return "not_exact"
        if any(ctx.locate(entity, lev) is None for lev in levers(terms.exprs[i], lets)[0]):
            return "not_exact"
    return "no_fix_found"


def conjunction_fixes(
    ctx: Ctx, rule: CheckedRule, terms: Terms, entity: EntityRef, outcomes: list[Outcome | None]
) -> tuple[tuple[Fix, ...], str | None]:
    """The fix of a requirement with several failing terms or an ``at_least``: failing
    plain terms first, then the fewest ``at_least`` conditions (see the module doc)."""
    _, rep0 = probe_outcomes(ctx, rule, terms, entity, ctx.county)
    moves: list[Move] = []
    for i in range(len(terms.plain)):
        if outcomes[i] is Outcome.MET:
            continue
        m = _first_move(ctx, rule, terms, i, entity, ctx.county)
        if m is None:
            return (), why_not(ctx, rule, terms, [i], entity, outcomes)
        moves.append(attrs.evolve(m, target=_text(rep0, i, entity)[0]))
    moves = _merge(moves)
    if terms.members:
        county1 = ctx.apply(moves)
        now, rep1 = probe_outcomes(ctx, rule, terms, entity, county1)
        base = len(terms.plain)
        met = sum(1 for j in range(len(terms.members)) if now[base + j] is Outcome.MET)
        need = terms.k - met
        if need > 0:
            cands: list[tuple[Fraction, int, Move]] = []
            for j in range(len(terms.members)):
                i = base + j
                if now[i] is not Outcome.NOT_MET:
                    continue
                text, sf = _text(rep1, i, entity)
                m = _first_move(ctx, rule, terms, i, entity, county1)
                if m is not None:
                    cands.append(
                        (sf if sf is not None else Fraction(10**9), j, attrs.evolve(m, target=text))
                    )
            if len(cands) < need:
                unmet = [
                    base + j for j in range(len(terms.members)) if now[base + j] is not Outcome.MET
                ]
                return (), why_not(ctx, rule, terms, unmet, entity, now)
            cands.sort(key=lambda c: (c[0], c[1]))
            moves = _merge([*moves, *(c[2] for c in cands[:need])])
    fix = _fix(ctx, rule, entity, "indicators" if terms.members else "lever", moves)
    return ((fix,), None) if fix is not None else ((), "not_verified")
