"""The evaluator: ``evaluate(ruleset, county, *, as_of=None) -> Report``.

A pure function: no clock, no I/O, no global state that changes results; the same inputs
give the same report, whatever the order of schools and classes.  It takes only a checked
:class:`~eduint.checking.ruleset.RuleSet`, so every name and unit is already known to be
valid.  The work happens in three steps:

1. the rule set is compiled once into closures (:mod:`eduint.engine.compile`), cached per
   rule set;
2. the county becomes entity tables under the rule set's settings
   (:mod:`eduint.engine.population`): schools counted, merged or left out, one-through
   schools split, size bands expanded, derived fields computed;
3. the record engine (:mod:`eduint.engine.record`) evaluates every rule for every entity
   and keeps structured facts, from which :mod:`eduint.engine.report` builds the report
   (exact values with their units, coded reasons; nothing formatted).

Numeric policy
    Every figure and threshold is an exact rational in the canonical unit of its dimension
    (万元 becomes 元 × 10000, % becomes 1/100; :mod:`eduint.core.values`).  Ratios, per-100
    rates and thresholds are therefore exact: 9 teachers for 1,000 students is exactly 0.9
    per 100, and 85 % of 4.5 is exactly 3.825.  Values are compared unrounded.  The one
    irrational operation, the square root inside the 差异系数, is never taken for a
    verdict: a rational CV is exact, an irrational one is a bracket (its ends within a
    relative 1e-40) that carries its exact square, and ``cv(…) <= L`` is decided as
    CV² ≤ L² (S² ≤ L²·mean²).

Three-valued logic
    A missing figure is never 0: it makes a value *unknown*, which carries coded reasons.
    ``and``/``or``/``not`` follow Kleene (false ∧ unknown = false; true ∨ unknown = true).
    A division by zero is unknown with its reason, never a verdict.

Intervals
    ``30多`` is the interval 30–39.  Arithmetic carries intervals; a comparison that comes
    out the same over the whole interval is decided, otherwise it is unknown naming the
    figure.  Approximate figures (``约212``) are used as stated and flagged.
"""

from __future__ import annotations

import datetime
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from eduint.checking.layering import in_force
from eduint.checking.ruleset import DatedValue, RuleSet
from eduint.checking.settings import Settings
from eduint.data import models
from eduint.engine import record
from eduint.engine import report as _report
from eduint.engine.compile import Program, compile_ruleset
from eduint.engine.population import populate
from eduint.engine.results import AsOfBasis, Report
from eduint.errors import EduintError

if TYPE_CHECKING:
    from eduint.data.provenance import FigureSources

__all__ = ["EvaluationError", "compiled", "evaluate", "evaluate_facts"]


class EvaluationError(EduintError):
    """The evaluation cannot start (e.g. no date to evaluate at)."""


# Compiled programs, by rule set identity (a RuleSet compares by value, deeply, so it is
# not used as a key).  Bounded; an entry is dropped when its rule set is collected.
_PROGRAMS: dict[int, tuple[weakref.ref[RuleSet], Program, Settings]] = {}
_LOCK = threading.Lock()
_MAX_PROGRAMS = 64


def _forget(key: int) -> Callable[[object], None]:
    """A weak-reference callback dropping the cache entry of a collected rule set."""

    def drop(_: object) -> None:
        programs = _PROGRAMS  # None while the interpreter shuts down
        if programs is not None:
            programs.pop(key, None)

    return drop


def compiled(ruleset: RuleSet) -> tuple[Program, Settings]:
    """The compiled program and typed settings of ``ruleset`` (cached per rule set object)."""
    key = id(ruleset)
    with _LOCK:
        hit = _PROGRAMS.get(key)
        if hit is not None and hit[0]() is ruleset:
            return hit[1], hit[2]
    program, settings = compile_ruleset(ruleset), Settings.of(ruleset)
    with _LOCK:
        if len(_PROGRAMS) >= _MAX_PROGRAMS:
            _PROGRAMS.pop(next(iter(_PROGRAMS)))
        try:
            ref = weakref.ref(ruleset, _forget(key))
        except TypeError:  # pragma: no cover - a RuleSet without weak references
            return program, settings
        _PROGRAMS[key] = (ref, program, settings)
    return program, settings


def _resolve_as_of(
    ruleset: RuleSet, county: models.County, as_of: datetime.date | None
) -> tuple[datetime.date | None, AsOfBasis]:
    if as_of is not None:
        return as_of, AsOfBasis.ARGUMENT
    if county.as_of is not None:
        if county.date_basis is models.DateBasis.INFERRED:
            return county.as_of, AsOfBasis.INFERRED
        return county.as_of, AsOfBasis.STATED
    if county.school_year:
        digits = "".join(ch for ch in county.school_year[:4] if ch.isdigit())
        if len(digits) == 4:
            return datetime.date(int(digits), 9, 1), AsOfBasis.SCHOOL_YEAR
    if any(isinstance(node, DatedValue) for node in ruleset.expressions()):
        raise EvaluationError(
            "the data declares no date and the rule set has dated values: "
            "give the date to evaluate at (as_of=…, or --as-of 2018-12-31)"
        )
    if any(c.until is not None for c in ruleset.changes):
        raise EvaluationError(
            "the data declares no date and the rule set has relaxations that lapse: "
            "give the date to evaluate at (as_of=…, or --as-of 2018-12-31)"
        )
    return None, AsOfBasis.NONE


def evaluate_facts(
    ruleset: RuleSet, data: models.County, *, as_of: datetime.date | None = None
) -> tuple[record.RunFacts, datetime.date | None, AsOfBasis]:
    """Evaluate and return the structured facts, the date used and its basis.

    See :func:`evaluate`; the facts keep values and coded reasons, unformatted.
    """
    day, basis = _resolve_as_of(ruleset, data, as_of)
    ruleset = in_force(ruleset, day)
    program, settings = compiled(ruleset)
    pop = populate(data, settings, program.fields)
    # With no date at all the rule set has no dated values, so the date is never read.
    return record.run(ruleset, program, pop, day or datetime.date.min), day, basis


def evaluate(
    ruleset: RuleSet,
    data: models.County,
    *,
    as_of: datetime.date | None = None,
    trace: bool = False,
    cells: FigureSources | None = None,
) -> Report:
    """Evaluate a checked rule set against a county's data.

    Args:
        ruleset: the checked rule set (:func:`eduint.check`).
        data: the county with its figures, answers (自评) and schools.
        as_of: the date to evaluate at; ``None`` means the date the data
            declares (``as_of``, or 1 September of its school year).
        trace: also record every value the evaluation computes, for
            :meth:`Report.explain <eduint.engine.results.Report.explain>` (issue 20):
            the rule set is compiled again, unfolded and recording (not cached), so a
            traced evaluation is slower; without it nothing is recorded.
        cells: where each figure came from in the data files
            (``LoadResult.provenance``), kept with the trace so that an explanation names
            each figure's file, sheet, row and column; ignored without ``trace``.

    Returns:
        The :class:`~eduint.engine.results.Report`: for every item, part and rule the
        county's self-assessment (自评) beside the computed result (核算), the
        headline verdict, evidence and flags; section roll-ups; the overall verdict.

    Raises:
        EvaluationError: no date is known and the rule set has dated values.
    """
    day, basis = _resolve_as_of(ruleset, data, as_of)
    ruleset = in_force(ruleset, day)
    if trace:
        return _traced(ruleset, data, day, basis, cells)
    program, settings = compiled(ruleset)
    pop = populate(data, settings, program.fields)
    # each rule's results are built as soon as it is evaluated, and its facts let go
    builder = _report.Builder(pop)
    facts = record.run(
        ruleset, program, pop, day or datetime.date.min, builder.rule_item, builder.entity
    )
    return _report.report(ruleset, facts, day, basis, builder)


def _traced(
    ruleset: RuleSet,
    data: models.County,
    day: datetime.date | None,
    basis: AsOfBasis,
    cells: FigureSources | None,
) -> Report:
    """:func:`evaluate` with a trace (a program of its own, compiled to record)."""
    from eduint.engine import _trace  # only when asked: the ordinary path never needs it
    from eduint.engine.explain import explain

    rec = _trace.Recorder()
    program = _trace.compile_traced(ruleset, rec)
    pop = populate(data, Settings.of(ruleset), program.fields)
    builder = _report.Builder(pop)
    facts = record.run(
        ruleset, program, pop, day or datetime.date.min, builder.rule_item, builder.entity
    )
    report = _report.report(ruleset, facts, day, basis, builder)
    return attrs.evolve(report, trace=_trace.Trace(ruleset, pop, rec, cells, explain))
