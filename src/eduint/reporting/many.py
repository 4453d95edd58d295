"""Many counties at once: a per-county summary and totals from a columnar result.

:func:`summarize` reads a :class:`~eduint.engine.columnar.ColumnarResult`'s arrays
(numpy; no per-county or per-entity Python loop) into a :class:`ManySummary`:

* per county: its code, name and overall verdict; per headline rule (every item and
  rule, parts left out) its headline; for a rule evaluated per school, school segment
  or class, how many of the county's entities are 达到 of those judged (不适用 and
  report-only ones left out); for a comparison per county or county segment (a
  差异系数 against its limit), the worst entity's value and threshold (smallest margin
  on the side the comparison wants); for report lines that are whole numbers (class
  counts …), their sum over the county's entities (missing when any is missing);
* totals: per rule, the counties by headline; the entities by outcome; the report
  lines' sums; the counties closest to each limit on both sides (smallest margin).

:func:`summary_text` draws it with the house table layout
(:func:`eduint.reporting.layout.draw_table`), every word from the catalogue.  The full
result, level by level, is written by :mod:`eduint.reporting.many_files`.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from eduint.checking.ruleset import CheckedRule, Container
from eduint.checking.schema import ScopeKind
from eduint.engine.results import Outcome
from eduint.reporting.layout import draw_table
from eduint.reporting.messages import OUTCOMES, SCOPES, Lang
from eduint.reporting.numbers import decimal_text, float_texts, margin_places, negated
from eduint.reporting.words import NONE_MARK, check_lang, outcome_word, say

if TYPE_CHECKING:
    from eduint.engine.columnar import ColumnarResult

__all__ = ["ManySummary", "RuleSummary", "summarize", "summary_text"]

#: Outcome codes of the columnar engine (index into its OUTCOMES): 0 none, 1 达到,
#: 2 基本达到, 3 缺少数据, 4 未达到, 5 不适用.
_MET, _NA = 1, 5
_DECIDED = (1, 2, 4)
#: The order totals list outcomes in (codes), then no verdict (0).
_TOTAL_ORDER = (1, 2, 4, 3, 5, 0)
_PLACES = 3
_MAX_PLACES = 12
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
        decided = np.isin(self.headline, _DECIDED) & np.isfinite(m)
        ok = np.flatnonzero(decided & (m >= 0))
        bad = np.flatnonzero(decided & (m < 0))
        ok = ok[np.argsort(m[ok], kind="stable")[:k]]
        bad = bad[np.argsort(-m[bad], kind="stable")[:k]]
        return ok, bad


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
    from eduint.engine.compile import main_comparison

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


# ------------------------------------------------------------------ text


def _num(x: float, places: int = _PLACES) -> str:
    """A float as the reports print a decimal (at most ``places`` places); NaN as the
    catalogue's 缺少数据."""
    if x != x:
        return ""
    return decimal_text(Fraction(x), places)


def _outcome(code: int, lang: Lang) -> str:
    from eduint.engine.columnar._rules import OUTCOMES as CODES

    return outcome_word(CODES[code], lang)


def _rule_cells(r: RuleSummary, lang: Lang) -> list[str]:
    """Each county's cell of one rule: its headline, and how many entities are 达到 of
    those judged, or its worst value against the threshold."""
    import numpy as np

    words = np.array([_outcome(c, lang) for c in range(6)], dtype=object)[r.headline]
    if r.counts is not None:
        judged = r.counts[:, 1:5].sum(axis=1).tolist()
        met = r.counts[:, _MET].tolist()
        return [
            say("many.passing", lang, outcome=w, met=m, total=n) if n else w
            for w, m, n in zip(words.tolist(), met, judged, strict=True)
        ]
    if r.value is None or r.op is None:
        return [str(w) for w in words.tolist()]
    values, bounds = _pairs(r)
    ops = np.where(r.margin >= 0, r.op, negated(r.op))
    # a county whose headline is not decided (缺少数据 …) shows the word alone: its
    # worst known value is not what decided it
    shown = np.isin(r.headline, _DECIDED).tolist()
    return [
        say(
            "many.detail",
            lang,
            outcome=w,
            detail=say("many.relation", lang, value=v, op=o, bound=b),
        )
        if v and d
        else w
        for w, v, o, b, d in zip(words.tolist(), values, ops.tolist(), bounds, shown, strict=True)
    ]


def _pairs(r: RuleSummary) -> tuple[list[str], list[str]]:
    """Each county's worst value and its threshold as text, with the places that make
    them agree with the side of the limit the value is on (0.5004 against 0.5 is not
    printed 0.5; as :func:`~eduint.reporting.numbers.agreeing_places` does for one
    report, here over a column at once)."""
    import operator

    import numpy as np

    v, t, m = r.value, r.threshold, r.margin
    held = m >= 0
    holds = {
        "<=": operator.le,
        "<": operator.lt,
        ">=": operator.ge,
        ">": operator.gt,
        "==": operator.eq,
        "!=": operator.ne,
    }[r.op or "=="]
    places = np.full(len(v), _MAX_PLACES, dtype=np.int64)
    done = ~np.isfinite(m)
    for p in range(_PLACES, _MAX_PLACES):
        rv, rt = np.round(v, p), np.round(t, p)
        fits = ~done & (holds(rv, rt) == held) & (rv != rt)
        places[fits] = p
        done |= fits
    places[~np.isfinite(m)] = _PLACES
    return float_texts(v.tolist(), places.tolist()), float_texts(t.tolist(), places.tolist())


def _shows_outcome(r: RuleSummary) -> bool:
    """Report-only rules (report lines, no requirement) have no verdict column."""
    return r.rule.require is not None or bool(r.rule.parts) or r.rule.attested


def county_rows(s: ManySummary, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """The per-county table as text: headers and one row per county (code, name,
    overall verdict, a cell per headline rule, a column per whole-number report line).

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = check_lang(lang)
    heads = [say("p.county_code", lg), say("p.county", lg), say("p.overall", lg)]
    import numpy as np

    overall = np.array([_outcome(c, lg) for c in range(6)], dtype=object)[s.overall]
    cols: list[list[str]] = [s.codes.tolist(), s.names.tolist(), overall.tolist()]
    for r in s.rules:
        if _shows_outcome(r):
            heads.append(r.id)
            cols.append(_rule_cells(r, lg))
        for name, _unit, sums in r.lines:
            heads.append(say("h.of", lg, name=r.id, what=name))
            cols.append(float_texts(sums.tolist(), 0))
    return heads, [list(row) for row in zip(*cols, strict=True)]


def totals_rows(s: ManySummary, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """The totals table as text: per rule (the overall verdict first) the counties by
    headline, then what its entities or report lines add up to.

    Raises:
        ValueError: unknown ``lang``.
    """
    from eduint.engine.columnar._rules import OUTCOMES as CODES

    lg = check_lang(lang)
    heads = (
        [say("h.item", lg)]
        + [
            say("no_verdict", lg) if c == 0 else OUTCOMES[CODES[c]].text(lg)  # type: ignore[index]
            for c in _TOTAL_ORDER
        ]
        + [say("h.entity", lg)]
    )
    rows = [[say("p.overall", lg), *_by_code(s.overall_by_outcome()), ""]]
    for r in s.rules:
        rows.append([r.id, *_by_code(r.counties_by_outcome()), _entity_total(r, lg)])
    return heads, rows


def _by_code(tally: dict[Outcome | None, int]) -> list[str]:
    from eduint.engine.columnar._rules import OUTCOMES as CODES

    return [str(tally.get(CODES[c], 0)) for c in _TOTAL_ORDER]


def _entity_total(r: RuleSummary, lang: Lang) -> str:
    """``学校学段达到 180000/200000`` and the report lines' totals."""
    import numpy as np

    parts = []
    if r.counts is not None:
        scope = SCOPES[r.rule.scope.value].text(lang)
        judged = int(r.counts[:, 1:5].sum())
        parts.append(
            say("many.entities", lang, scope=scope, met=int(r.counts[:, _MET].sum()), total=judged)
        )
    for name, _unit, sums in r.lines:
        known = sums[np.isfinite(sums)]
        value = (
            _num(float(known.sum()), 0) if len(known) == len(sums) else say("no_data_value", lang)
        )
        parts.append(say("named_value", lang, name=name, value=value))
    return say("list_sep", lang).join(parts)


def closest_rows(s: ManySummary, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """The counties closest to each limit: per rule with a comparison per county (or
    county segment), up to :attr:`ManySummary.closest` on each side, nearest first.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = check_lang(lang)
    heads = [
        say(k, lg)
        for k in (
            "h.item",
            "h.verdict",
            "p.county_code",
            "p.county",
            "h.value",
            "h.threshold",
            "h.margin",
        )
    ]
    rows = []
    for r in s.rules:
        ok, bad = r.closest(s.closest)
        values, bounds = _pairs(r) if len(ok) + len(bad) else ([], [])
        for i in [*ok.tolist(), *bad.tolist()]:
            value, bound = values[i], bounds[i]
            margin = float(r.margin[i])
            rows.append(
                [
                    r.id,
                    _outcome(int(r.headline[i]), lg),
                    str(s.codes[i]),
                    str(s.names[i]),
                    value,
                    bound,
                    _num(margin, margin_places(Fraction(margin), _PLACES)),
                ]
            )
    return heads, rows


def summary_text(
    s: ManySummary, lang: str = "zh", *, width: int | None = None, fmt: str = "simple"
) -> str:
    """The per-county table (one line per county), the totals and the counties closest
    to each limit (fitted to ``width`` display cells when given), as text.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = check_lang(lang)
    # one line per county, never wrapped: it greps and sorts; the totals fit ``width``
    out = [say("t.counties", lg), draw_table(*county_rows(s, lg), fmt=fmt), ""]
    out += [
        say("t.many_totals", lg, n=s.counties),
        draw_table(*totals_rows(s, lg), fmt=fmt, width=width),
        "",
    ]
    heads, rows = closest_rows(s, lg)
    if rows:
        out += [
            say("t.many_closest", lg, k=s.closest),
            draw_table(heads, rows, fmt=fmt, width=width),
            "",
        ]
    return "\n".join(out)


def summary_dict(s: ManySummary, lang: str = "zh") -> dict[str, Any]:
    """The summary as plain data for JSON: per county its code, name, overall verdict and
    per rule the headline (the catalogue's word), entities met and judged, worst value,
    threshold and margin, report-line sums (missing: ``None``); the totals by rule.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = check_lang(lang)

    def num(x: float) -> float | int | None:
        if x != x:
            return None
        return int(x) if x == int(x) and abs(x) < 2**53 else float(x)

    counties = []
    for i in range(s.counties):
        rules: dict[str, Any] = {}
        for r in s.rules:
            one: dict[str, Any] = {"outcome": _word_or_none(int(r.headline[i]), lg)}
            if r.counts is not None:
                one["met"] = int(r.counts[i, _MET])
                one["judged"] = int(r.counts[i, 1:5].sum())
            if r.value is not None:
                one.update(
                    value=num(r.value[i]), threshold=num(r.threshold[i]), margin=num(r.margin[i])
                )
            for name, _u, sums in r.lines:
                one[name] = num(sums[i])
            rules[r.id] = one
        counties.append(
            {
                "code": s.codes[i] or None,
                "name": s.names[i],
                "overall": _word_or_none(int(s.overall[i]), lg),
                "rules": rules,
            }
        )
    totals = {
        r.id: {
            "counties": {_key(o, lg): n for o, n in r.counties_by_outcome().items()},
            "entities": {_key(o, lg): n for o, n in r.entities_by_outcome().items()},
            "closest": [
                s.codes[i] or s.names[i] for part in r.closest(s.closest) for i in part.tolist()
            ],
        }
        for r in s.rules
    }
    overall = {_key(o, lg): n for o, n in s.overall_by_outcome().items()}
    return {"counties": counties, "overall": overall, "totals": totals}


def _word_or_none(code: int, lang: Lang) -> str | None:
    word = _outcome(code, lang)
    return None if word == NONE_MARK else word


def _key(o: Outcome | None, lang: Lang) -> str:
    return say("no_verdict", lang) if o is None else outcome_word(o, lang)
