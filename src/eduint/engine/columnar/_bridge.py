"""The record engine where the columns defer: entity by entity, or a whole rule.

The columnar engine hands the record engine (:mod:`eduint.engine.record`) what it does
not decide itself: the entities whose figures are ranges or approximate, whose lists need
the record engine's rules, or whose comparison fell inside its float error bound (the
exact path); and the rules that do not compile.  Each county's population is the
frame's (built on first use for an array frame) and is bound to the record program
once, so a county that needs the record engine for several rules pays for its
population once.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from eduint.checking.ruleset import CheckedRule, RuleSet
from eduint.engine.columnar.frame import CODES

if TYPE_CHECKING:
    from eduint.engine import record
    from eduint.engine.columnar._rules import RuleCols
    from eduint.engine.columnar.frame import Frame

__all__ = ["Records"]

_C = {c: i for i, c in enumerate(CODES)}


class Records:
    """Runs the record engine for a frame's counties (see the module doc).

    Attributes:
        entities_done: entities decided by the record engine (deferred by the columns).
        counties_used: counties whose population the record engine needed.
    """

    def __init__(self, ruleset: RuleSet, frame: Frame, dates: list[datetime.date]) -> None:
        self.ruleset = ruleset
        self.frame = frame
        self.dates = dates
        self._program: Any = None
        self._bound: dict[int, list[Any]] = {}
        self._outcomes: dict[int, record.Outcomes] = {}
        self.entities_done = 0

    @property
    def program(self) -> Any:
        """The rule set's record program, compiled when first needed: a run whose
        columns decide everything imports no record engine (~20 ms)."""
        if self._program is None:
            from eduint.engine.evaluator import compiled

            self._program, _ = compiled(self.ruleset)
        return self._program

    @property
    def counties_used(self) -> int:
        """How many counties the record engine evaluated something for."""
        return len(self._bound)

    def bound(self, i: int) -> tuple[Any, list[Any]]:
        """County ``i``'s population and the record program bound to it."""
        pop = self.frame.population(i)
        b = self._bound.get(i)
        if b is None:
            b = self._bound[i] = self.program.bind(pop)
        return pop, b

    def outcomes(self, i: int) -> record.Outcomes:
        """``outcome(RULE)`` for county ``i``, as the record engine reads it (evaluated
        by the record engine, once per rule and entity)."""
        hit = self._outcomes.get(i)
        if hit is None:
            pop, bound = self.bound(i)
            from eduint.engine import record

            hit = self._outcomes[i] = record.Outcomes(self.program, pop, bound, self.dates[i])
        return hit

    def entities(self, rule: CheckedRule, out: RuleCols) -> None:
        """Decide the deferred entities of ``out`` with the record engine."""
        import numpy as np

        from eduint.engine.columnar._rules import CODE_OF

        rows = np.flatnonzero(out.deferred & out.entity)
        if not len(rows):
            return
        from eduint.engine import record
        from eduint.engine.frame import Frame as RecordFrame

        p = self.program.rules[id(rule)]
        t = self.frame.tables[rule.scope]
        counties = t.county[rows]
        for i in np.unique(counties).tolist():
            pop, bound = self.bound(i)
            fr = RecordFrame(pop, bound, self.dates[i])
            fr.outcomes = self.outcomes(i)
            base = int(t.start[i])
            for r in rows[counties == i].tolist():
                ef = record.eval_entity(p, fr, r - base)
                out.outcome[r] = CODE_OF[ef.outcome]
                out.reason[r] = _C[ef.reason.code] if ef.reason is not None else -1
                out.facts[r] = ef
                self.entities_done += 1

    def whole_rule(self, rule: CheckedRule, out: RuleCols) -> None:
        """Evaluate ``rule`` for every county with the record engine (a fallback)."""
        from eduint.engine import record
        from eduint.engine.columnar._rules import CODE_OF

        p = self.program.rules[id(rule)]
        t = self.frame.tables[rule.scope]
        for i in range(self.frame.counties):
            pop, bound = self.bound(i)
            rf = record.run_rule(p, pop, bound, self.dates[i], (), None, None, self.outcomes(i))
            base = int(t.start[i])
            for ef in rf.entities:
                r = ef.row + base
                out.outcome[r] = CODE_OF[ef.outcome]
                out.reason[r] = _C[ef.reason.code] if ef.reason is not None else -1
                out.facts[r] = ef
            out.computed[i] = CODE_OF[rf.computed]
            out.reason_c[i] = _C[rf.reason.code] if rf.reason is not None else -1
            out.report_only[i] = rf.report_only
