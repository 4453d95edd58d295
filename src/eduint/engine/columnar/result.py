"""``evaluate_many``: a checked rule set over many counties at once, and its result.

:func:`evaluate_many` compiles the rule set once (:mod:`._rules`, cached per rule set
object), evaluates every item, part and rule over the frame's counties together, rolls
parts, sections and blocks up per county as :func:`eduint.engine.record.run` does, and
returns a :class:`ColumnarResult`: arrays of outcomes and reason codes per entity and per
county, the per-county verdicts, values, and what took the exact path.  A county's full
:class:`~eduint.engine.results.Report` (per-school evidence, inputs, notes) is built
only when asked for, by the record engine, so it is the record engine's report for that
county, identical in every field.
"""

from __future__ import annotations

import datetime
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from eduint.checking.ruleset import CheckedRule, Container, RuleSet
from eduint.data import models
from eduint.engine.columnar import _rules as R
from eduint.engine.columnar._bridge import Records
from eduint.engine.columnar._compile import Ctx, ExprCompiler
from eduint.engine.columnar._floats import float_of as _float_of
from eduint.engine.columnar._floats import floats as _floats
from eduint.engine.columnar._values import Num, Stats
from eduint.engine.columnar.frame import CODES, Frame
from eduint.engine.outcomes import Outcome, from_self_status

if TYPE_CHECKING:
    from eduint.engine.population import Population
    from eduint.engine.results import Report

__all__ = ["ColumnarResult", "Summary", "evaluate_many"]

OUTCOMES = R.OUTCOMES

_PROGRAMS: dict[int, tuple[weakref.ref[RuleSet], ExprCompiler, dict[int, R.CompiledRule]]] = {}
_LOCK = threading.Lock()


def _compiled(ruleset: RuleSet) -> tuple[ExprCompiler, dict[int, R.CompiledRule]]:
    """The columnar program of ``ruleset`` (compiled once per rule set object)."""
    key = id(ruleset)
    with _LOCK:
        hit = _PROGRAMS.get(key)
        if hit is not None and hit[0]() is ruleset:
            return hit[1], hit[2]
    comp, rules = R.compile_rules(ruleset)
    with _LOCK:
        if len(_PROGRAMS) >= 16:
            _PROGRAMS.pop(next(iter(_PROGRAMS)))
        _PROGRAMS[key] = (weakref.ref(ruleset, lambda _: _PROGRAMS.pop(key, None)), comp, rules)
    return comp, rules


@attrs.frozen
class Summary:
    """What a multi-county evaluation found, from the columns.

    Attributes:
        counties: how many counties.
        overall: each verdict (``Outcome`` or ``None``) → number of counties.
        met, not_met: counties whose overall verdict is 达到 / 未达到.
        headlines: rule id → verdict → number of counties.
        entities: rule id → outcome → number of entities (all counties).
        totals: ``(rule id, report name)`` → the sum over all entities of a report line
            whose values are whole numbers (class counts …).
        exact_path: decisions within their float error bound, decided exactly.
        deferred: entities decided by the record engine (exact path and figures the
            columns do not decide: ranges, approximate figures, special lists).
        fallback: rule ids evaluated wholly by the record engine, with why.
    """

    counties: int
    overall: dict[Outcome | None, int]
    met: int
    not_met: int
    headlines: dict[str, dict[Outcome | None, int]]
    entities: dict[str, dict[Outcome | None, int]]
    totals: dict[tuple[str, str], int]
    exact_path: int
    deferred: int
    fallback: tuple[tuple[str, str], ...]


class ColumnarResult:
    """The result of :func:`evaluate_many` (see the module doc).

    Attributes:
        ruleset: the rule set; frame: the counties' columnar population.
        as_of: the date given (``None``: each county's own); dates: the date per county.
        rules: rule id → :class:`~._rules.RuleCols` (items, parts, rules in file order).
        computed, self_outcome, headline: rule id → outcome codes per county
            (:data:`OUTCOMES`).
        report_values: rule id → report line name → its values over the rule's scope
            (a column value; :meth:`values` reads them as floats per entity).
        sections: ``(container, outcome codes per county)`` in file order.
        overall: outcome codes per county.
        stats: the comparisons decided in int64, float64, with Python integers, and on
            the exact path (:class:`~._values.Stats`).
        deferred: entities decided by the record engine; fallback: rule id → why.
    """

    def __init__(self, ruleset: RuleSet, frame: Frame, as_of: datetime.date | None,
                 dates: list[datetime.date], ctx: Ctx) -> None:
        self.ruleset = ruleset
        self.frame = frame
        self.as_of = as_of
        self.dates = dates
        self._ctx = ctx
        self.rules: dict[str, R.RuleCols] = {}
        self.computed: dict[str, Any] = {}
        self.self_outcome: dict[str, Any] = {}
        self.headline: dict[str, Any] = {}
        self.report_only: dict[str, Any] = {}
        self.sections: list[tuple[Container, Any]] = []
        self.overall: Any = None
        self.stats: Stats = ctx.stats
        self.deferred = 0
        self.fallback: dict[str, str] = {}
        self._compiled: dict[int, R.CompiledRule] = {}
        self.report_values: dict[str, dict[str | None, Any]] = {}

    @property
    def counties(self) -> int:
        """The number of counties."""
        return self.frame.counties

    # ------------------------------------------------------------ reading
    def outcome(self, rule_id: str, county: int) -> Outcome | None:
        """The headline verdict of ``rule_id`` for county ``county``."""
        return OUTCOMES[int(self.headline[rule_id][county])]

    def overall_outcome(self, county: int) -> Outcome | None:
        """County ``county``'s overall verdict."""
        return OUTCOMES[int(self.overall[county])]

    def headlines(self, county: int) -> dict[str, Outcome | None]:
        """id → headline for county ``county``, for every item, part and rule (as
        :meth:`eduint.engine.results.Report.headlines`, from the columns)."""
        return {rid: OUTCOMES[int(h[county])] for rid, h in self.headline.items()}

    def entity_outcomes(self, rule_id: str) -> tuple[Any, Any]:
        """The rule's entities (rows of its scope) and their outcome codes."""
        import numpy as np

        rc = self.rules[rule_id]
        rows = np.flatnonzero(rc.entity)
        return rows, rc.outcome[rows]

    def values(self, rule_id: str, name: str | None) -> Any:
        """A report line's values for the rule's entities (float64, NaN where unknown or
        not a single number; exact ones where the record engine decided the entity)."""
        import numpy as np

        rc = self.rules[rule_id]
        cr = self._compiled[id(rc.rule)]
        rows = np.flatnonzero(rc.entity)
        index = [n for n, _ in cr.reports].index(name)
        out = np.full(len(rows), np.nan)
        x = self.report_values.get(rule_id, {}).get(name)
        if isinstance(x, Num):
            out = _floats(x, rows)
        for k, ef in _facts_at(rc, rows):  # the few the record engine decided
            if ef.reports is not None:
                out[k] = _float_of(ef.reports[index])
        return out

    def main_values(self, rule_id: str) -> tuple[Any, Any, str] | None:
        """The headline comparison's value and threshold for the rule's entities
        (float64, NaN where unknown or not a single number; the record engine's where it
        decided the entity), and their unit's text (``人/百人``, ``""`` for none); ``None``
        for a rule whose requirement has no headline comparison (``at_least(6, …)``)."""
        import numpy as np

        from eduint.engine._main import main_comparison
        from eduint.engine.columnar._values import Unsupported

        rc = self.rules[rule_id]
        cr = self._compiled[id(rc.rule)]
        comparison = main_comparison(rc.rule.require) if rc.rule.require is not None else None
        if comparison is None:
            return None
        rows = np.flatnonzero(rc.entity)
        sides = [np.full(len(rows), np.nan), np.full(len(rows), np.nan)]
        if cr.main is not None and cr.fallback is None and len(rows):
            for k in (0, 1):
                try:
                    x = cr.main[k](self._ctx)  # memoised: computed once by the evaluation
                except Unsupported:
                    continue
                if isinstance(x, Num):
                    sides[k] = _floats(x, rows)
        for k, ef in _facts_at(rc, rows):
            if ef.main is not None:
                sides[0][k], sides[1][k] = _float_of(ef.main[0]), _float_of(ef.main[1])
        unit = getattr(getattr(comparison.left.type, "unit", None), "text", "") or ""
        return sides[0], sides[1], unit

    def table(self, level: str) -> Any:
        """The table of one level (``county``, ``county_segment``, ``school``,
        ``segment``, ``class``) as :class:`~.tables.LevelTable`.

        Raises:
            ValueError: no such level, or no rule of the rule set is evaluated for it.
        """
        from eduint.checking.schema import ScopeKind
        from eduint.engine.columnar.tables import level_table

        return level_table(self, ScopeKind(level))

    def to_arrow(self, level: str = "county") -> Any:
        """One level's table (:meth:`table`) as a ``pyarrow.Table``: a row per entity,
        keys (``county_code``, ``county``, ``school``, ``segment`` …), then per rule its
        outcome as the word (``学校达标``: 达到 …, null for none) and code
        (``学校达标.code``: :data:`OUTCOMES` index), its reason code, value, threshold
        and report lines (float64, null where missing).  pyarrow is imported here only.

        Raises:
            ImportError: pyarrow is not installed (the message says how to install it).
            ValueError: no such level.
        """
        from eduint.engine.columnar.tables import to_arrow

        return to_arrow(self.table(level))

    def to_pandas(self, level: str = "county") -> Any:
        """:meth:`to_arrow` as a ``pandas.DataFrame`` (pandas and pyarrow imported here
        only; missing numbers are NaN, words ``None``).

        Raises:
            ImportError: pandas or pyarrow is not installed.
            ValueError: no such level.
        """
        from eduint.engine.columnar.tables import to_pandas

        return to_pandas(self.table(level))

    def _repr_html_(self) -> str | None:
        """The per-county table and the totals as HTML for a notebook (Jupyter), drawn
        by :mod:`eduint.reporting.notebook` (see :mod:`eduint.engine._display`)."""
        from eduint.engine._display import html_of

        return html_of(self)

    def exit_code(self, *, strict: bool = False) -> int:
        """The worst :meth:`Report.exit_code` over the counties, from the columns: 1 when
        some county has a headline 未达到 (with ``strict``, also 基本达到 or 缺少数据),
        else 0."""
        import numpy as np

        bad = [R.NOT_MET] + ([R.BASIC, R.NO_DATA] if strict else [])
        return int(any(bool(np.isin(h, bad).any()) for h in self.headline.values()))

    def report(self, county: int) -> Report:
        """County ``county``'s full report, by the record engine: identical to
        ``eduint.evaluate(ruleset, county)`` in every field."""
        from eduint.engine.evaluator import evaluate

        return evaluate(self.ruleset, self.frame.county_model(county), as_of=self.as_of)

    def summary(self) -> Summary:
        """The summary across counties, from the columns."""
        import numpy as np

        def tally(codes: Any) -> dict[Outcome | None, int]:
            counts = np.bincount(np.asarray(codes, dtype=np.int64), minlength=6)
            return {OUTCOMES[i]: int(c) for i, c in enumerate(counts) if c}

        headlines = {rid: tally(h) for rid, h in self.headline.items()}
        entities = {rid: tally(self.entity_outcomes(rid)[1]) for rid in self.rules}
        totals: dict[tuple[str, str], int] = {}
        for rid, rc in self.rules.items():
            cr = self._compiled[id(rc.rule)]
            for name, _ in cr.reports:
                vals = self.values(rid, name)
                if len(vals) and np.all(np.isfinite(vals)) and np.all(vals == np.rint(vals)):
                    totals[(rid, name or "")] = int(np.rint(vals).sum())
        overall = self.overall
        return Summary(
            self.counties,
            tally(overall),
            int(np.count_nonzero(overall == R.MET)),
            int(np.count_nonzero(overall == R.NOT_MET)),
            headlines,
            entities,
            totals,
            self.stats.near,
            self.deferred,
            tuple(self.fallback.items()),
        )


def _facts_at(rc: R.RuleCols, rows: Any) -> list[tuple[int, Any]]:
    """``(position in rows, facts)`` of the entities among ``rows`` (sorted) that the
    record engine decided: a loop over those few, not over every entity."""
    import numpy as np

    if not rc.facts:
        return []
    keys = np.fromiter(rc.facts, dtype=np.int64, count=len(rc.facts))
    pos = np.searchsorted(rows, keys)
    ok = (pos < len(rows)) & (rows[np.minimum(pos, max(len(rows) - 1, 0))] == keys) \
        if len(rows) else np.zeros(len(keys), dtype=bool)
    return [(int(p), rc.facts[int(k)]) for p, k in zip(pos[ok].tolist(), keys[ok].tolist(),
                                                         strict=True)]


# ---------------------------------------------------------------- evaluate


def evaluate_many(
    ruleset: RuleSet,
    data: Frame | Sequence[Population] | Sequence[models.County],
    as_of: datetime.date | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ColumnarResult:
    """Evaluate ``ruleset`` for many counties at once with the columnar engine.

    Args:
        ruleset: the checked rule set.
        data: a :class:`~.frame.Frame` (e.g. :func:`~._arrays.frame_from_arrays`), the
            counties (:class:`~eduint.data.models.County`, populated here under the rule
            set's settings as the record engine populates them), or their record-engine
            populations (:func:`eduint.engine.population.populate`).
        as_of: the date to evaluate at; ``None``: each county's own.
        progress: called with ``(rules done, rules)`` after each item, part and rule
            (a progress bar's hook).

    Returns:
        The :class:`ColumnarResult`.

    Raises:
        EvaluationError: a county has no date and the rule set has dated values.
        ValueError: no counties.
    """
    from eduint.engine.columnar.frame import PopulationFrame

    if not isinstance(data, Frame):
        pops = [_population(ruleset, x) for x in data]
        if not pops:
            raise ValueError("evaluate_many: no counties")
        frame: Frame = PopulationFrame(pops, [None] * len(pops))
    else:
        frame = data
    comp, programs = _compiled(ruleset)
    dates = R.dates_of(frame, ruleset, as_of)
    ctx = Ctx(frame, dates)
    records = Records(ruleset, frame, dates)
    result = ColumnarResult(ruleset, frame, as_of, dates, ctx)
    result._compiled = programs
    todo = list(ruleset.rules())
    for done, rule in enumerate(todo, start=1):
        cr = programs[id(rule)]
        rc = R.evaluate_rule(cr, ctx, records)
        result.rules[rule.id] = rc
        if cr.fallback is None and cr.reports:
            result.report_values[rule.id] = _report_values(cr, ctx)
        if rc.fallback is not None:
            result.fallback[rule.id] = rc.fallback
        if progress is not None:
            progress(done, len(todo))
    result.deferred = records.entities_done
    _structure(result)
    return result


def _report_values(cr: R.CompiledRule, ctx: Ctx) -> dict[str | None, Any]:
    """A rule's report lines as columns over its scope (``None`` for a line the columns
    cannot compute: the record engine's facts give those entities' values)."""
    from eduint.engine.columnar._values import Unsupported

    out: dict[str | None, Any] = {}
    for name, fn in cr.reports:
        try:
            out[name] = fn(ctx)
        except Unsupported:
            out[name] = None
    return out


def _population(ruleset: RuleSet, x: Population | models.County) -> Population:
    """A county's population as the record engine builds it (a population as given)."""
    if not isinstance(x, models.County):
        return x
    from eduint.engine.evaluator import compiled
    from eduint.engine.population import populate

    program, settings = compiled(ruleset)
    return populate(x, settings, program.fields)


# ---------------------------------------------------------------- roll-up


def _self_codes(result: ColumnarResult, rule: CheckedRule, parent: CheckedRule | None) -> Any:
    """The county's own answer (自评) to ``rule`` per county, as outcome codes."""
    import numpy as np

    out = np.zeros(result.counties, dtype=np.int8)
    answers = getattr(result, "_answers", None)
    if answers is None:
        answers = result._answers = _answers(result)  # type: ignore[attr-defined]
    lineage = result.ruleset.lineage
    for i, answered in answers.items():
        # as the record engine: this rule set's answer, else an ancestor's for a rule it
        # inherits unchanged (Answers.for_rule), else the parent item's
        att = answered.for_rule(rule, lineage) or (
            answered.for_rule(parent, lineage) if parent is not None else None
        )
        if att is not None and att.status is not None:
            out[i] = R.CODE_OF[from_self_status(att.status)]
    return out


def _answers(result: ColumnarResult) -> dict[int, Any]:
    from eduint.engine.columnar.frame import PopulationFrame

    if not isinstance(result.frame, PopulationFrame):
        return {}  # array input carries no answers (自评): no record engine to import
    from eduint.engine.record import answers_for

    out = {}
    for i in range(result.counties):
        answers = answers_for(result.ruleset, result.frame.county_model(i))
        if answers.own or answers.inherited:
            out[i] = answers
    return out


def _headline(computed: Any, self_codes: Any, report_only: Any) -> Any:
    import numpy as np

    decided = (computed != 0) & (computed != R.NO_DATA)
    fallback = np.where(report_only, 0, R.NO_DATA)
    rest = np.where(computed != 0, computed, fallback)
    return np.where(decided, computed, np.where(self_codes != 0, self_codes, rest)).astype(np.int8)


def _rule_item(result: ColumnarResult, rule: CheckedRule, parent: CheckedRule | None) -> Any:
    rc = result.rules[rule.id]
    own = _self_codes(result, rule, parent)
    result.computed[rule.id] = rc.computed
    result.self_outcome[rule.id] = own
    result.report_only[rule.id] = rc.report_only
    head = result.headline[rule.id] = _headline(rc.computed, own, rc.report_only)
    return head


def _item(result: ColumnarResult, rule: CheckedRule) -> Any:
    import numpy as np

    if not rule.parts:
        return _rule_item(result, rule, None)
    heads = [_rule_item(result, p, rule) for p in rule.parts]
    how = rule.combine
    result.computed[rule.id] = R.combine(how, [result.computed[p.id] for p in rule.parts])
    result.self_outcome[rule.id] = R.combine(how, [result.self_outcome[p.id] for p in rule.parts])
    head = R.combine(how, heads)
    head = np.where(head == 0, R.NO_DATA, head).astype(np.int8)
    result.headline[rule.id] = head
    return head


def _members(result: ColumnarResult, members: Sequence[Container | CheckedRule]) -> list[tuple[Any, bool]]:
    import numpy as np

    out: list[tuple[Any, bool]] = []
    for m in members:
        if isinstance(m, CheckedRule):
            out.append((_item(result, m), m.veto))
            continue
        idx = len(result.sections)
        result.sections.append((m, None))
        sub = _members(result, m.members)
        outcome = R.combine(m.combine, [o for o, _ in sub]) if sub else np.zeros(result.counties, np.int8)
        for o, veto in sub:
            if veto:
                outcome = np.where(o == R.NOT_MET, R.NOT_MET, outcome).astype(np.int8)
        result.sections[idx] = (m, outcome)
        out.append((outcome, False))
    return out


def _structure(result: ColumnarResult) -> None:
    import numpy as np

    top = _members(result, result.ruleset.members)
    overall = R.combine("worst", [o for o, _ in top]) if top else np.zeros(result.counties, np.int8)
    for o, veto in top:
        if veto:
            overall = np.where(o == R.NOT_MET, R.NOT_MET, overall).astype(np.int8)
    result.overall = overall


def reason_name(code: int) -> str | None:
    """A reason code index as its :class:`~eduint.core.values.Code` value, or ``None``."""
    return CODES[code].value if code >= 0 else None
