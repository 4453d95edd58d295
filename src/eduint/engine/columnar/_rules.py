"""Rules as columns: outcomes per entity and per county, for every rule at once.

Each checked item, part and rule is compiled once (:class:`RuleCols` programs) into the
array operations of :mod:`._compile`; evaluating it gives, for every entity of its scope
in every county, the outcome and the coded reason the record engine gives
(:func:`eduint.engine.record._eval_entity`, ``_verdict``): 不适用 for a county segment the
county has no schools of, for an applicability condition that is false; 缺少数据 for one
that is unknown; report-only periods; 达到 / 未达到 / 基本达到 from the requirement and
its ``basically`` condition; the kind of an unknown requirement deciding 缺少数据, 不适用
or report-only.

Entities whose values the columns cannot decide (deferred: ranges, approximate figures,
a comparison inside its float error bound, lists the record engine treats specially) are
evaluated by the record engine itself, entity by entity, on their county's population
(:func:`eduint.engine.record.eval_entity`), and their outcome replaces the columns'.  A
rule that does not compile is evaluated by the record engine for every county
(:func:`eduint.engine.record.run_rule`) and listed as a fallback.

The outcome of a rule per county combines its entities' (``combine_worst``, incomplete
and missing lists, report-only rules) as :func:`eduint.engine.record._entities` does.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from eduint.checking.ruleset import CheckedRule, RuleSet
from eduint.checking.schema import ScopeKind
from eduint.core.values import Code, Kind
from eduint.engine._main import main_comparison
from eduint.engine.columnar import _values as V
from eduint.engine.columnar._compile import Ctx, ExprCompiler, Fn
from eduint.engine.columnar._values import KIND_RANK, Bool, Unsupported
from eduint.engine.columnar.frame import CODES, INCOMPLETE, MISSING
from eduint.engine.outcomes import Outcome

if TYPE_CHECKING:
    from eduint.engine.columnar.frame import Frame

__all__ = ["OUTCOMES", "CompiledRule", "RuleCols", "compile_rules", "evaluate_rule"]

#: Outcome codes: index into this tuple (0: no outcome, report-only).
OUTCOMES: tuple[Outcome | None, ...] = (
    None,
    Outcome.MET,
    Outcome.BASICALLY_MET,
    Outcome.NO_DATA,
    Outcome.NOT_MET,
    Outcome.NOT_APPLICABLE,
)
NONE, MET, BASIC, NO_DATA, NOT_MET, NA = range(6)
CODE_OF = {o: i for i, o in enumerate(OUTCOMES)}
_C = {c: i for i, c in enumerate(CODES)}
_RO = KIND_RANK[Kind.REPORT_ONLY]
_NAK = KIND_RANK[Kind.NOT_APPLICABLE]
_NT = KIND_RANK[Kind.NO_THRESHOLD]


class CompiledRule:
    """One item, part or rule compiled for the columns, or marked for the record engine.

    Attributes:
        rule: the checked rule.
        fallback: why it is evaluated by the record engine (``None``: it compiled).
        applies, require, basically: compiled conditions (or ``None``).
        main: the headline comparison's compiled sides, or ``None``.
        reports: ``(name, compiled)`` per report line.
    """

    def __init__(self, rule: CheckedRule) -> None:
        self.rule = rule
        self.fallback: str | None = None
        self.applies: Fn | None = None
        self.require: Fn | None = None
        self.basically: Fn | None = None
        self.main: tuple[Fn, Fn] | None = None
        self.reports: list[tuple[str | None, Fn]] = []


def compile_rules(ruleset: RuleSet) -> tuple[ExprCompiler, dict[int, CompiledRule]]:
    """Compile every item, part and rule of ``ruleset`` (by ``id()`` of the rule)."""
    comp = ExprCompiler(ruleset)
    out: dict[int, CompiledRule] = {}
    for rule in ruleset.rules():
        if id(rule) in out:
            continue
        cr = out[id(rule)] = CompiledRule(rule)
        try:
            _compile_rule(comp, cr)
        except Unsupported as exc:
            cr.fallback = str(exc) or "unsupported"
    return comp, out


def _compile_rule(comp: ExprCompiler, cr: CompiledRule) -> None:
    rule, scope = cr.rule, cr.rule.scope
    comp.lets = {}
    for name, expr in rule.lets:
        comp.lets[name] = comp.expr(expr, scope)
    if rule.applies is not None:
        cr.applies = comp.expr(rule.applies, scope)
    cr.reports = [(name, comp.expr(e, scope)) for name, e in rule.reports]
    if rule.require is not None:
        main = main_comparison(rule.require)
        if main is not None:
            cr.main = (comp.expr(main.left, scope), comp.expr(main.right, scope))
        cr.require = comp.expr(rule.require, scope)
    if rule.basically is not None:
        cr.basically = comp.expr(rule.basically, scope)
    comp.lets = {}


class RuleCols:
    """The columns of one rule's evaluation (see the module doc).

    Attributes:
        rule: the checked rule; scope: its scope.
        entity: mask of the scope's rows that are the rule's entities.
        outcome: per row, the outcome code (:data:`OUTCOMES`; 0 for none).
        reason: per row, the reason code index (:data:`~.frame.CODES`), or -1.
        deferred: rows decided by the record engine.
        facts: those rows' record-engine facts, by row.
        computed, reason_c, report_only: per county, the rule's computed outcome code,
            its reason code (-1) and whether it gives no verdict.
        fallback: why the record engine evaluated the whole rule, or ``None``.
    """

    def __init__(self, rule: CheckedRule, n: int, counties: int) -> None:
        import numpy as np

        self.rule = rule
        self.scope = rule.scope
        self.entity = np.zeros(n, dtype=bool)
        self.outcome = np.zeros(n, dtype=np.int8)
        self.reason = np.full(n, -1, dtype=np.int16)
        self.deferred = np.zeros(n, dtype=bool)
        self.facts: dict[int, Any] = {}
        self.computed = np.zeros(counties, dtype=np.int8)
        self.reason_c = np.full(counties, -1, dtype=np.int16)
        self.report_only = np.zeros(counties, dtype=bool)
        self.fallback: str | None = None
        self.facts_c: dict[int, Any] = {}


def _arr(mask: Any, n: int) -> Any:
    import numpy as np

    if mask is None:
        return np.zeros(n, dtype=bool)
    if mask is True:
        return np.ones(n, dtype=bool)
    return mask


def _kinds(x: Any, n: int) -> Any:
    import numpy as np

    if x.kind is None:
        return np.zeros(n, dtype=np.int8)
    return np.broadcast_to(np.asarray(x.kind, dtype=np.int8), (n,))


def evaluate_rule(cr: CompiledRule, ctx: Ctx, records: Any) -> RuleCols:
    """Evaluate one compiled rule over every entity of every county (see the module doc);
    ``records`` runs the record engine where the columns defer or the rule falls back."""
    frame = ctx.frame
    rule = cr.rule
    t = frame.tables[rule.scope]
    out = RuleCols(rule, t.n, frame.counties)
    ent, cstatus = frame.rule_rows(rule.scope, rule.segments)
    out.entity = ent
    if cr.fallback is None:
        try:
            _entities(cr, ctx, out, ent.copy())
        except Unsupported as exc:
            cr.fallback = str(exc) or "unsupported"
    if cr.fallback is not None:
        out.fallback = cr.fallback
        records.whole_rule(cr.rule, out)
        return out
    records.entities(cr.rule, out)
    _per_county(frame, out, cstatus)
    return out


def _set(out: RuleCols, rows: Any, outcome: int, reason: Code | None) -> None:
    """Outcome (and reason) of the rows of mask ``rows``, which have none yet (their
    reason is still -1, so ``None`` leaves it)."""
    import numpy as np

    if not rows.any():
        return
    np.putmask(out.outcome, rows, outcome)
    if reason is not None:
        np.putmask(out.reason, rows, _C[reason])


def _entities(cr: CompiledRule, ctx: Ctx, out: RuleCols, todo: Any) -> None:  # noqa: C901
    import numpy as np

    frame = ctx.frame
    rule = cr.rule
    n = len(todo)
    if rule.scope == ScopeKind.COUNTY_SEGMENT:
        na = frame.not_applicable()
        hit = todo & (na >= 0)
        out.outcome[hit] = NA
        out.reason[hit] = na[hit]
        todo &= ~hit
    if cr.applies is not None and todo.any():
        a = V.broadcast(_as_bool(cr.applies(ctx)), n)
        d = todo & _arr(a.defer, n)
        out.deferred |= d
        todo &= ~d
        unk = _arr(a.unk, n)
        false = todo & ~a.v & ~unk
        _set(out, false, NA, Code.DOES_NOT_APPLY)
        u = todo & unk
        _set(out, u, NO_DATA, Code.APPLICABILITY_UNKNOWN)
        todo &= ~(false | u)
    if cr.require is None or not todo.any():
        return  # report lines only: no outcome
    if cr.main is not None:
        right = V.broadcast(cr.main[1](ctx), n)
        if right.unk is not None and right.kind is not None:
            ro = todo & _arr(right.unk, n) & (_kinds(right, n) == _RO)
            if ro.any():
                left = V.broadcast(cr.main[0](ctx), n)
                d = ro & _arr(left.defer, n)
                out.deferred |= d
                lu = ro & ~d & _arr(left.unk, n)
                _set(out, lu, NO_DATA, Code.REPORT_ONLY_NO_VALUE)
                _set(out, ro & ~d & ~lu, NONE, Code.REPORT_ONLY_PERIOD)
                todo &= ~ro
    req = V.broadcast(_as_bool(cr.require(ctx)), n)
    d = todo & _arr(req.defer, n)
    out.deferred |= d
    todo &= ~d
    unk = _arr(req.unk, n) & todo
    met = todo & ~unk & np.asarray(req.v, dtype=bool)
    failed = todo & ~unk & ~np.asarray(req.v, dtype=bool)
    _set(out, met, MET, None)
    _set(out, failed, NOT_MET, None)
    if cr.basically is not None and failed.any():
        b = V.broadcast(_as_bool(cr.basically(ctx)), n)
        d = failed & _arr(b.defer, n)
        out.deferred |= d
        failed &= ~d
        bu = failed & _arr(b.unk, n)
        bt = failed & ~bu & np.asarray(b.v, dtype=bool)
        _set(out, bt, BASIC, None)
        _set(out, bu, NO_DATA, None)
    if unk.any():
        k = _kinds(req, n)
        _set(out, unk & (k == _RO), NONE, Code.REPORT_ONLY_PERIOD)
        _set(out, unk & (k == _NAK), NA, Code.NOT_APPLICABLE_BECAUSE)
        _set(out, unk & (k == _NT), NO_DATA, Code.NO_THRESHOLD_IN_FORCE)
        _set(out, unk & (k == 0), NO_DATA, Code.MISSING_FIGURES)


def _as_bool(x: Any) -> Bool:
    if not isinstance(x, Bool):
        raise Unsupported("a condition that is not a condition")
    return x


def _per_county(frame: Frame, out: RuleCols, cstatus: Any) -> None:
    """The rule's outcome per county from its entities' (record._entities)."""
    import numpy as np

    t = frame.tables[out.scope]
    C = frame.counties
    rule = out.rule
    rows = np.flatnonzero(out.entity)
    county = t.county[rows]
    codes = out.outcome[rows].astype(np.int64)
    counts = np.bincount(county * 6 + codes, minlength=C * 6).reshape(C, 6)
    n_ent = counts.sum(axis=1)
    worst = np.zeros(C, dtype=np.int8)
    for code in (MET, BASIC, NO_DATA, NOT_MET):  # severity rises with the code
        worst = np.where(counts[:, code] > 0, code, worst).astype(np.int8)
    worst = np.where((worst == 0) & (counts[:, NA] > 0), NA, worst).astype(np.int8)
    computed = worst.copy()
    reason = np.full(C, -1, dtype=np.int16)
    missing = cstatus == MISSING
    if rule.require is None:
        # report lines only (record._entities): no verdict, unless the list is missing
        out.report_only = ~missing & bool(rule.reports)
        out.computed[:] = 0
        out.reason_c[missing & bool(rule.reports)] = _C[Code.MISSING_LIST]
        return
    incomplete = cstatus == INCOMPLETE
    all_none = (n_ent > 0) & (counts[:, NONE] == n_ent)
    computed = np.where(incomplete & (computed != NOT_MET) & (n_ent > 0), NO_DATA, computed)
    computed = np.where((n_ent == 0) & incomplete, NO_DATA, computed)
    computed = np.where((n_ent == 0) & ~incomplete, NA, computed)
    reason = np.where((n_ent == 0) & incomplete, _C[Code.NO_ENTITIES_INCOMPLETE], reason)
    reason = np.where((n_ent == 0) & ~incomplete, _C[Code.NO_ENTITIES], reason)
    computed = np.where(all_none, NONE, computed)
    computed = np.where(missing, NO_DATA, computed)
    reason = np.where(missing, _C[Code.MISSING_LIST], reason)
    # the first entity's reason where the outcome is 不适用 or 缺少数据 (or report-only)
    first = _first_reason(out, rows, county, C)
    want = (reason < 0) & ((computed == NA) | (computed == NO_DATA)) & (n_ent > 0) & ~all_none
    reason = np.where(want, first, reason)
    if all_none.any():  # report-only: the first entity's reason
        head = np.full(C, -1, dtype=np.int16)
        cs, idx = np.unique(county, return_index=True)
        head[cs] = out.reason[rows][idx]
        reason = np.where(all_none, head, reason)
    out.computed = computed.astype(np.int8)
    out.reason_c = reason.astype(np.int16)
    out.report_only = all_none


def _first_reason(out: RuleCols, rows: Any, county: Any, C: int) -> Any:
    import numpy as np

    first = np.full(C, -1, dtype=np.int16)
    r = out.reason[rows]
    has = r >= 0
    if has.any():
        cs, idx = np.unique(county[has], return_index=True)
        first[cs] = r[has][idx]
    return first


# ---------------------------------------------------------------- combining


def combine(how: str, parts: list[Any]) -> Any:
    """Combine outcome code arrays (one per member) as ``worst``, ``all_met`` or
    ``any_met`` (:data:`eduint.engine.record.COMBINE`), per county."""
    import numpy as np

    C = len(parts[0]) if parts else 0
    stack = np.stack(parts) if parts else np.zeros((0, C), dtype=np.int8)
    has = {code: (stack == code).any(axis=0) for code in range(6)}
    worst = np.zeros(C, dtype=np.int8)
    for code in (MET, BASIC, NO_DATA, NOT_MET):
        worst = np.where(has[code], code, worst)
    worst = np.where((worst == 0) & has[NA], NA, worst).astype(np.int8)
    if how == "worst":
        return worst
    present = has[MET] | has[BASIC] | has[NO_DATA] | has[NOT_MET]
    if how == "all_met":
        all_met = present & ~has[BASIC] & ~has[NO_DATA] & ~has[NOT_MET]
        nd = has[NO_DATA] & ~has[NOT_MET] & ~has[BASIC]
        res = np.where(all_met, MET, np.where(nd, NO_DATA, NOT_MET))
        return np.where(present, res, worst).astype(np.int8)
    # any_met: the worst of the present ones otherwise
    res = np.where(has[MET], MET, np.where(has[NO_DATA], NO_DATA, worst))
    return np.where(present, res, worst).astype(np.int8)


def dates_of(frame: Frame, ruleset: RuleSet, as_of: datetime.date | None) -> list[datetime.date]:
    """Each county's evaluation date, as :func:`eduint.engine.evaluator.evaluate` resolves it."""
    if as_of is not None:  # every county's (and no record engine to import)
        return [as_of] * frame.counties
    from eduint.engine.evaluator import _resolve_as_of

    out = []
    # resolved once per distinct (date, basis, school year): a national table's 2,850
    # counties declare none, and the rule set's dated values are looked for once
    seen: dict[tuple[object, ...], datetime.date | None] = {}
    for i in range(frame.counties):
        day = frame.dates[i]
        if day is None:
            c = frame.dating(i)
            key = (c.as_of, c.date_basis, c.school_year)
            if key not in seen:
                seen[key] = _resolve_as_of(ruleset, c, None)[0]
            day = seen[key]
        out.append(day or datetime.date.min)
    return out
