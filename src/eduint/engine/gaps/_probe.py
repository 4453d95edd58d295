"""Re-evaluation with the same engine: probes, moves and the re-check of a fix.

A *probe* is one term of a requirement evaluated as a rule of its own (the rule with its
scope, segments, applicability and ``let`` bindings, and the term as its requirement),
so that whether one comparison holds for one entity can be read off a report even where
the full requirement's ``and`` stops early.  A *move* is a whole number of steps of one
lever at one record; applying moves makes a new county (:mod:`._data`).  Every probe and
every re-check is :func:`eduint.engine.evaluator.evaluate`: the engine that made the
report, on a modified copy of the data.
"""

from __future__ import annotations

import datetime
import weakref
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs

from eduint.checking.ruleset import CheckedRule, RExpr, RuleSet
from eduint.core.refs import EntityRef, FieldRef
from eduint.data.models import County
from eduint.engine.evaluator import evaluate
from eduint.engine.gaps._data import Place, figure_at, flag_at, place_of, set_figure, set_flag
from eduint.engine.gaps._levers import Lever
from eduint.engine.gaps._model import Change, Check
from eduint.engine.results import EntityResult, Outcome, Report

__all__ = ["Ctx", "Move", "least"]

#: The largest number of steps a lever is searched over (2³²: far beyond any real fix).
MAX_STEPS = 2**32


@attrs.frozen
class Move:
    """``n`` steps of ``lever`` at ``place`` (whose figure was ``before``)."""

    place: Place
    lever: Lever
    before: Decimal
    n: int
    target: str = ""

    @property
    def sign(self) -> int:
        """+1 when more of the lever helps, -1 when less does."""
        return 1 if self.lever.better == "more" else -1

    def value(self, n: int | None = None) -> Decimal:
        """The figure after ``n`` steps (default: this move's)."""
        k = self.n if n is None else n
        return self.before + self.sign * k * self.lever.step

    def key(self) -> tuple[Place, str]:
        """Moves with the same key change the same figure."""
        return self.place, self.lever.name


def least(ok: Callable[[int], bool], cap: int) -> int | None:
    """The least ``n`` in 1…``cap`` with ``ok(n)``, for an ``ok`` that stays true once
    true (doubling, then halving: about 2·log₂ n calls); ``None`` when ``ok(cap)`` fails."""
    if cap < 1 or not ok(cap):
        return None
    hi = 1
    while hi < cap and not ok(hi):
        hi = min(cap, hi * 2)
    lo = hi // 2  # ok(lo) is false (or lo == 0, the data as given, which fails)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


class Ctx:
    """The rule set, the county as given and the date: what every probe evaluates."""

    def __init__(self, ruleset: RuleSet, county: County, as_of: datetime.date | None) -> None:
        self.ruleset = ruleset
        self.county = county
        self.as_of = as_of
        self._probes = _probe_cache(ruleset)

    def report(self, county: County, ruleset: RuleSet | None = None) -> Report:
        """Evaluate ``county`` (the full rule set unless ``ruleset``)."""
        return evaluate(ruleset or self.ruleset, county, as_of=self.as_of)

    def probes(self, rule: CheckedRule, terms: Sequence[RExpr], only: int | None = None) -> RuleSet:
        """A rule set with one rule ``__gap_<i>`` per term (or for term ``only`` alone):
        the rule with the term as its requirement."""
        key = (rule.id, -1 if only is None else only)
        rs = self._probes.get(key)
        if rs is None:
            members = tuple(
                attrs.evolve(
                    rule,
                    kind="rule",
                    id=f"__gap_{i}",
                    label=None,
                    require=t,
                    basically=None,
                    reports=(),
                    attested=False,
                    veto=False,
                    parts=(),
                    margin=None,
                )
                for i, t in enumerate(terms)
                if only is None or i == only
            )
            rs = attrs.evolve(self.ruleset, members=members)
            self._probes[key] = rs
        return rs

    def solo(self, rule: CheckedRule) -> RuleSet:
        """A rule set of ``rule`` alone (same id, scope, lets, values and settings): what
        the searches and the re-checks evaluate.  A rule's outcome depends on no other
        rule (gaps leaves rules that read ``outcome(…)`` alone), so this is the rule's
        verdict in the full rule set, at a fraction of the cost."""
        key = (rule.id, -2)
        rs = self._probes.get(key)
        if rs is None:
            rs = attrs.evolve(self.ruleset, members=(attrs.evolve(rule, kind="rule", parts=()),))
            self._probes[key] = rs
        return rs

    def apply(self, moves: Iterable[Move], county: County | None = None) -> County:
        """``county`` (default: as given) with every move applied."""
        c = county if county is not None else self.county
        for m in moves:
            if m.lever.flag:
                c = set_flag(c, m.place, m.lever.name, m.value() > 0)
            else:
                c = set_figure(c, m.place, m.lever.name, m.value())
        return c

    def met(self, rule: CheckedRule, entity: EntityRef, county: County) -> bool:
        """Whether ``rule`` is 达到 for ``entity`` in ``county`` (the rule evaluated alone:
        its outcome reads no other rule's, see :meth:`solo`)."""
        return outcome_in(self.report(county, self.solo(rule)), rule.id, entity) is Outcome.MET

    def check(self, rule: CheckedRule, entity: EntityRef, moves: Sequence[Move]) -> Check:
        """Apply ``moves`` and re-evaluate: the rule must be 达到 for ``entity``; and with
        one step less of any one move it must not be."""
        rep = self.report(self.apply(moves), self.solo(rule))
        res = entity_result(rep, rule.id, entity)
        met = outcome_in(rep, rule.id, entity) is Outcome.MET
        one_less = True
        for i, m in enumerate(moves):
            fewer = [*moves[:i], attrs.evolve(m, n=m.n - 1), *moves[i + 1 :]]
            if self.met(rule, entity, self.apply(fewer)):
                one_less = False
        return Check(met, one_less if moves else None, res.evidence if res else None)

    def tighten(self, rule: CheckedRule, entity: EntityRef, moves: list[Move]) -> list[Move]:
        """Each move in turn made as small as the others allow (the rule as the test);
        moves that become 0 are dropped."""
        out = list(moves)
        solo = self.solo(rule)
        for i in range(len(out)):
            m = out[i]

            def ok(n: int, i: int = i, m: Move = m) -> bool:
                trial = [*out[:i], attrs.evolve(m, n=n), *out[i + 1 :]]
                rep = self.report(self.apply(trial), solo)
                return outcome_in(rep, rule.id, entity) is Outcome.MET

            if not ok(m.n - 1):
                continue  # already as small as it can be (the usual case)
            if ok(0):
                out[i] = attrs.evolve(m, n=0)
                continue
            n = least(ok, m.n)
            if n is not None:
                out[i] = attrs.evolve(m, n=n)
        return [m for m in out if m.n > 0]

    def ref(self, p: Place) -> EntityRef:
        """The reference of the record at ``p`` (as the engine names it)."""
        c = self.county
        ckey = c.code or c.name
        if p.school is None:
            if p.seg is None:
                return EntityRef("county", ckey, c.name, where="county")
            return EntityRef(
                "county_segment", f"{ckey}/{p.seg}", c.name, p.seg, where=f"segments.{p.seg}"
            )
        s = (c.schools or ())[p.school]
        where = f"schools[{p.school}]"
        if p.seg is None:
            return EntityRef("school", s.id, s.name or s.id, where=where)
        return EntityRef(
            "segment", f"{s.id}/{p.seg}", s.name or s.id, p.seg, where=f"{where}.segments.{p.seg}"
        )

    def locate(self, entity: EntityRef, lever: Lever) -> tuple[Place, Decimal] | None:
        """Where ``lever`` of ``entity`` is written and its exact figure, or ``None``
        when it is missing, a range or approximate."""
        p = place_of(entity)
        if p is None:
            return None
        if lever.flag:
            flag = flag_at(self.county, p.up(lever.scope), lever.name)
            return None if flag is None else (p.up(lever.scope), Decimal(int(flag)))
        at, fig = figure_at(self.county, p.up(lever.scope), lever.name)
        if fig is None or fig.is_interval or fig.approximate:
            return None
        return at, fig.low

    def change(self, m: Move) -> Change:
        """The :class:`Change` of a move."""
        lev = m.lever
        shared = False
        if m.place.seg is None and m.place.school is not None and lev.scope == "segment":
            # a segment's figure written for the whole school: split when it has several
            school = (self.county.schools or ())[m.place.school]
            shared = len(school.segments or ()) > 1
        return Change(
            self.ref(m.place),
            FieldRef(lev.name, lev.label, lev.label_en),
            lev.unit,
            m.before,
            m.value() - m.before,
            lev.step,
            lev.whole,
            shared,
            lev.flag,
        )


# Probe rule sets by rule set identity (as the evaluator caches programs): a rule set's
# probes are built, and compiled, once for every county checked against it.
_PROBE_SETS: dict[int, tuple[weakref.ref[RuleSet], dict[tuple[str, int], RuleSet]]] = {}
_MAX_RULESETS = 16


def _probe_cache(ruleset: RuleSet) -> dict[tuple[str, int], RuleSet]:
    """The probe rule sets of ``ruleset`` built so far (a dict to fill)."""
    key = id(ruleset)
    hit = _PROBE_SETS.get(key)
    if hit is not None and hit[0]() is ruleset:
        return hit[1]
    if len(_PROBE_SETS) >= _MAX_RULESETS:
        _PROBE_SETS.pop(next(iter(_PROBE_SETS)))
    cache: dict[tuple[str, int], RuleSet] = {}
    _PROBE_SETS[key] = (weakref.ref(ruleset, lambda _: _PROBE_SETS.pop(key, None)), cache)
    return cache


def entity_result(rep: Report, rule: str, entity: EntityRef) -> EntityResult | None:
    """The entity's result of ``rule`` in ``rep``, or ``None`` (a county rule)."""
    for e in rep.item(rule).entities:
        if e.entity.key == entity.key:
            return e
    return None


def outcome_in(rep: Report, rule: str, entity: EntityRef) -> Outcome | None:
    """The computed outcome of ``rule`` for ``entity`` (the rule's, for a county rule)."""
    item = rep.item(rule)
    if entity.scope == "county" or not item.entities:
        return item.computed
    e = entity_result(rep, rule, entity)
    return e.outcome if e is not None else None
