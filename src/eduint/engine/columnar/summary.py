"""Many counties at once: per-county answers and totals from a columnar result's arrays.

:func:`summarize` reads a :class:`~.result.ColumnarResult`'s arrays (numpy; no
per-county or per-entity Python loop) into a :class:`ManySummary`:

* per county: its code, name and overall verdict; per headline rule (every item and
  rule, parts left out) its headline; for a rule evaluated per school, school segment
  or class, its entities per outcome (达到 of those judged: 不适用 and report-only ones
  left out); for a comparison per county or county segment (a 差异系数 against its
  limit), the worst entity's value and threshold (smallest margin on the side the
  comparison wants); for report lines that are whole numbers (class counts …), their
  sum over the county's entities (NaN, missing, when any is missing: never 0);
* totals: per rule, the counties by headline; the entities by outcome; the counties
  closest to each limit on both sides (smallest margin).

:mod:`eduint.reporting.many` words it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from eduint.checking.ruleset import CheckedRule, Container
from eduint.checking.schema import ScopeKind
from eduint.engine.outcomes import Outcome

if TYPE_CHECKING:
    from eduint.engine.columnar.result import ColumnarResult

__all__ = ["DECIDED", "ManySummary", "RuleSummary", "headline_rules", "summarize"]

#: Outcome codes of the columnar engine (index into its OUTCOMES): 0 none, 1 达到,
#: 2 基本达到, 3 缺少数据, 4 未达到, 5 不适用.
_MET = 1
#: Outcome codes of a decided headline: 达到, 基本达到, 未达到.
DECIDED = (1, 2, 4)
#: The places a value and threshold are shown with at least, and at most.
PLACES, MAX_PLACES = 3, 12
_ENTITY_SCOPES = (ScopeKind.SCHOOL, ScopeKind.SEGMENT, ScopeKind.CLASS)


@attrs.frozen
class RuleSummary:
    """One headline rule over the counties (arrays of length C unless said otherwise).

    Attributes:
        rule: the checked item or rule.
        headline: outcome codes per county.
        counts: entities per county and outcome code (C × 6, int64), or ``None`` (an
            item with parts, a rule per county or county segment).
        value, threshold, margin: the worst entity's value, threshold and margin
            (float64, NaN where unknown; margin ≥ 0 on the side the comparison wants),
            or ``None`` (no comparison per county or county segment).
        op: the comparison (``<=`` …), or ``None``.
        unit: the unit of value and threshold (``""``: none).
        lines: ``(name, unit, per-county sum)`` of the report lines whose values are
            whole numbers (NaN where a county's entity has none).
    """

    rule: CheckedRule
    headline: Any
    counts: Any = None
    value: Any = None
    threshold: Any = None
    margin: Any = None
    op: str | None = None
    unit: str = ""
    lines: tuple[tuple[str, str, Any], ...] = ()

    @property
    def id(self) -> str:
        """The rule's id."""
        return self.rule.id

    def judged(self) -> Any:
        """Per county, the entities judged (all but 不适用 and report-only ones)."""
        assert self.counts is not None
        return self.counts[:, 1:5].sum(axis=1)

    def counties_by_outcome(self) -> dict[Outcome | None, int]:
        """Counties by headline."""
        return _tally(self.headline)

    def entities_by_outcome(self) -> dict[Outcome | None, int]:
        """Entities by outcome over all counties (empty without :attr:`counts`)."""
        if self.counts is None:
            return {}
        from eduint.engine.columnar._rules import OUTCOMES as CODES

        total = self.counts.sum(axis=0)
        return {CODES[i]: int(n) for i, n in enumerate(total.tolist()) if n}

    def closest(self, k: int) -> tuple[Any, Any]:
        """The indices of the ``k`` counties nearest the limit on the side the
        comparison wants (margin ≥ 0, smallest first) and on the other side (margin < 0,
        nearest first), of those whose headline is decided (达到, 基本达到, 未达到);
        empty arrays without margins."""
        import numpy as np

        if self.margin is None:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        m = self.margin
        decided = np.isin(self.headline, DECIDED) & np.isfinite(m)
        ok = np.flatnonzero(decided & (m >= 0))
        bad = np.flatnonzero(decided & (m < 0))
        ok = ok[np.argsort(m[ok], kind="stable")[:k]]
        bad = bad[np.argsort(-m[bad], kind="stable")[:k]]
        return ok, bad

    def places(self) -> list[int]:
        """Per county, the decimal places that make its worst value and threshold,
        printed, agree with the side of the limit the value is on (0.5004 against 0.5
        is not printed 0.5): what :func:`eduint.reporting.numbers.agreeing_places` does
        for one report, over a column at once (:data:`PLACES` where nothing is known)."""
        import operator

        import numpy as np

        v, t, m = self.value, self.threshold, self.margin
        if v is None:
            return []
        held = m >= 0
        holds = {
            "<=": operator.le,
            "<": operator.lt,
            ">=": operator.ge,
            ">": operator.gt,
            "==": operator.eq,
            "!=": operator.ne,
        }[self.op or "=="]
        places = np.full(len(v), MAX_PLACES, dtype=np.int64)
        done = ~np.isfinite(m)
        for p in range(PLACES, MAX_PLACES):
            rv, rt = np.round(v, p), np.round(t, p)
            fits = ~done & (holds(rv, rt) == held) & (rv != rt)
            places[fits] = p
            done |= fits
        places[~np.isfinite(m)] = PLACES
        return [int(x) for x in places.tolist()]

    def decided(self) -> list[bool]:
        """Per county, whether its headline is decided (达到, 基本达到, 未达到)."""
        import numpy as np

        return [bool(x) for x in np.isin(self.headline, DECIDED).tolist()]

    def line_total(self, name: str) -> float | None:
        """A whole-number report line summed over every county, ``None`` when a county's
        sum is missing (never 0 for missing)."""
        import numpy as np

        sums = next(x for n, _, x in self.lines if n == name)
        return float(sums.sum()) if bool(np.isfinite(sums).all()) else None


@attrs.frozen
class ManySummary:
    """What :func:`summarize` returns.

    Attributes:
        codes, names: per county (object arrays of ``str``; ``""``: no code).
        overall: the overall verdict per county (outcome codes).
        rules: one :class:`RuleSummary` per headline rule, in rule-file order.
        closest: how many counties per rule and side the totals name.
    """

    codes: Any
    names: Any
    overall: Any
    rules: tuple[RuleSummary, ...]
    closest: int = 5

    @property
    def counties(self) -> int:
        """The number of counties."""
        return len(self.codes)

    def overall_by_outcome(self) -> dict[Outcome | None, int]:
        """Counties by overall verdict."""
        return _tally(self.overall)

    def rule(self, rule_id: str) -> RuleSummary:
        """The summary of one rule.

        Raises:
            KeyError: no headline rule has that id.
        """
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def _tally(codes: Any) -> dict[Outcome | None, int]:
    import numpy as np

    from eduint.engine.columnar._rules import OUTCOMES as CODES

    counts = np.bincount(np.asarray(codes, dtype=np.int64), minlength=6)
    return {CODES[i]: int(c) for i, c in enumerate(counts.tolist()) if c}


def headline_rules(members: Any) -> Iterator[CheckedRule]:
    """Every item and rule in file order (not the parts of an item)."""
    for m in members:
        if isinstance(m, Container):
            yield from headline_rules(m.members)
        elif isinstance(m, CheckedRule):
            yield m


def summarize(result: ColumnarResult, *, closest: int = 5) -> ManySummary:
    """The per-county summary and totals of ``result`` (see the module doc).

    Args:
        result: the columnar result (:func:`eduint.engine.columnar.evaluate_many`).
        closest: how many counties per rule and side of the limit the totals name.
    """
    import numpy as np

    frame = result.frame
    codes = np.array(["" if c is None else str(c) for c in frame.codes], dtype=object)
    names = np.array([str(n) for n in frame.names], dtype=object)
    rules = tuple(
        _rule(result, r) for r in headline_rules(result.ruleset.members) if r.id in result.headline
    )
    return ManySummary(codes, names, np.asarray(result.overall, dtype=np.int8), rules, closest)


def _rule(result: ColumnarResult, rule: CheckedRule) -> RuleSummary:
    """One headline rule's per-county columns."""
    import numpy as np

    head = np.asarray(result.headline[rule.id], dtype=np.int8)
    rc = result.rules.get(rule.id)
    if rc is None or rule.parts:
        return RuleSummary(rule, head)
    C = result.counties
    t = result.frame.tables[rc.scope]
    rows = np.flatnonzero(rc.entity)
    county = np.asarray(t.county[rows], dtype=np.int64) if rc.scope != ScopeKind.COUNTY else rows
    counts = None
    if rc.scope in _ENTITY_SCOPES:
        codes = rc.outcome[rows].astype(np.int64)
        counts = np.bincount(county * 6 + codes, minlength=C * 6).reshape(C, 6)
    lines = tuple(_line_sums(result, rule, county, C))
    main = result.main_values(rule.id) if rc.scope not in _ENTITY_SCOPES else None
    if main is None:
        return RuleSummary(rule, head, counts, lines=lines)
    from eduint.engine._main import main_comparison

    left, right, unit = main
    assert rule.require is not None
    op = main_comparison(rule.require).op  # type: ignore[union-attr]
    margin = _margins(left, right, op)
    worst = _worst(county, margin, C)
    pick = np.where(worst >= 0, worst, 0)
    have = worst >= 0

    def at(x: Any) -> Any:
        return np.where(have, x[pick] if len(x) else np.nan, np.nan)

    return RuleSummary(rule, head, counts, at(left), at(right), at(margin), op, unit, lines)


def _margins(left: Any, right: Any, op: str) -> Any:
    """How far each value is from its threshold on the side ``op`` wants (≥ 0: the
    comparison holds; NaN: unknown, or ``==``/``!=``, which have no side)."""
    import numpy as np

    if op in ("<=", "<"):
        return right - left
    if op in (">=", ">"):
        return left - right
    return np.full(len(left), np.nan)


def _worst(county: Any, margin: Any, C: int) -> Any:
    """Per county, the position of its entity with the smallest known margin (-1: none)."""
    import numpy as np

    out = np.full(C, -1, dtype=np.int64)
    known = np.flatnonzero(np.isfinite(margin))
    if not len(known):
        return out
    order = known[np.lexsort((margin[known], county[known]))]
    cs, first = np.unique(county[order], return_index=True)
    out[cs] = order[first]
    return out


def _line_sums(
    result: ColumnarResult, rule: CheckedRule, county: Any, C: int
) -> Iterator[tuple[str, str, Any]]:
    """Each report line whose known values are all whole numbers, summed per county
    (NaN for a county one of whose entities has no value)."""
    import numpy as np

    for name, expr in rule.reports:
        vals = result.values(rule.id, name)
        known = np.isfinite(vals)
        if not known.any() or not np.all(vals[known] == np.rint(vals[known])):
            continue
        sums = np.bincount(county, weights=np.where(known, vals, 0.0), minlength=C)
        gaps = np.bincount(county, weights=(~known).astype(np.float64), minlength=C)
        any_rows = np.bincount(county, minlength=C) > 0
        sums = np.where((gaps > 0) | ~any_rows, np.nan, sums)
        unit = getattr(getattr(expr.type, "unit", None), "text", "") or ""
        yield name or "", unit, sums
