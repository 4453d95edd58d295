"""The evaluation frame: what one rule's evaluation for one county reads and records.

A compiled expression (:mod:`eduint.engine.compile`) is a function ``f(frame, row)`` of
the frame and the row of the entity it is evaluated for.  The frame carries the
population, the columns the program resolved for it, the date, the current rule
entity's ``let`` values, and the record of what the evaluation touched: data cells read,
provisional values and settings used, periods, citations, notes, warnings and the
comparisons of the requirement.  Records are plain dicts used as ordered sets (first
occurrence wins, linear time); nothing is formatted here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from eduint.checking.ruleset import SourceRef
from eduint.core.values import Reason, Value
from eduint.engine.population import Effects, Population
from eduint.engine.results import Period, ProvisionalUse

__all__ = ["Frame"]


class Frame:
    """The state of one rule's evaluation (see the module doc).

    Attributes:
        pop: the population.
        bound: the columns and ancestor maps the program resolved for ``pop``, by slot.
        as_of: the date the evaluation uses.
        lets: the ``let`` values of the rule entity being evaluated, by index.
        main: the requirement's headline comparison's sides, evaluated already, or ``None``.
        inputs: cell ids read (ordered set).
        approx: True once an approximate figure is used for the current entity.
        prov: provisional values, keys, periods and settings used (ordered set).
        periods: the periods in force that were used, with repeats.
        sources: citations of the values used (ordered set).
        warnings: warnings, with repeats.
        details: notes of the rule (ordered set).
        ent_details: notes of the current entity, or ``None`` between entities.
        checks: the top-level comparisons of the requirement as
            ``(comparison info, left, right, result, group)``, or ``None`` when not recording.
        depth: how many aggregates deep the evaluation is (comparisons inside an
            aggregate are not the requirement's own).
        group: ``"at_least"`` inside the conditions an ``at_least`` counts, else ``None``.
        outcomes: gives another rule's outcome for an entity (``outcome(RULE)``), or
            ``None`` when the evaluation has none to give.
    """

    __slots__ = (
        "approx",
        "as_of",
        "bound",
        "checks",
        "depth",
        "details",
        "ent_details",
        "group",
        "inputs",
        "lets",
        "main",
        "outcomes",
        "periods",
        "pop",
        "prov",
        "sources",
        "warnings",
    )

    def __init__(self, pop: Population, bound: list[Any], as_of: datetime.date) -> None:
        self.pop = pop
        self.bound = bound
        self.as_of = as_of
        self.lets: list[Value] = []
        self.main: tuple[Value, Value] | None = None
        self.inputs: dict[int, None] = {}
        self.approx = False
        self.prov: dict[ProvisionalUse, None] = {}
        self.periods: list[Period] = []
        self.sources: dict[SourceRef, None] = {}
        self.warnings: list[Reason] = []
        self.details: dict[Reason, None] = {}
        self.ent_details: dict[Reason, None] | None = None
        self.checks: list[tuple[Any, Value, Value, Value, str | None]] | None = None
        self.depth = 0
        self.group: str | None = None
        self.outcomes: Callable[[Frame, str, int], Value] | None = None

    def outcome_of(self, rule: str, row: int) -> Value:
        """``outcome(rule)`` for entity ``row`` (see :attr:`outcomes`)."""
        if self.outcomes is None:
            raise AssertionError("outcome() evaluated without the record engine")
        return self.outcomes(self, rule, row)

    def apply(self, e: Effects | int) -> None:
        """Record the effects of a read or a listing."""
        if e.__class__ is int:
            self.inputs[e] = None
            return
        assert isinstance(e, Effects)
        inputs = self.inputs
        for c in e.inputs:
            inputs[c] = None
        if e.approx:
            self.approx = True
        for t in e.provisional:
            self.prov[t] = None
        for n in e.notes:
            self.note(n)
        if e.warnings:
            self.warnings.extend(e.warnings)

    def note(self, n: Reason) -> None:
        """Record a note for the rule and, during an entity's evaluation, for the entity."""
        self.details[n] = None
        if self.ent_details is not None:
            self.ent_details[n] = None
