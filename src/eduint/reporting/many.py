"""Many counties at once, as text: the per-county summary and totals.

:func:`eduint.engine.columnar.summary.summarize` computes a :class:`ManySummary` from a
columnar result's arrays; this module words it: :func:`summary_text` draws the
per-county table (one line per county), the totals and the counties closest to each
limit with the house table layout (:func:`eduint.reporting.layout.draw_table`), every
word from the catalogue; :func:`summary_dict` gives it as plain data for JSON.  The full
result, level by level, is written by :mod:`eduint.reporting.many_files`.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from eduint.engine.columnar.summary import ManySummary, RuleSummary, summarize
from eduint.engine.outcomes import Outcome
from eduint.reporting.layout import draw_table
from eduint.reporting.messages import OUTCOMES, SCOPES, WORDS, Lang
from eduint.reporting.numbers import decimal_text, float_texts, margin_places, negated
from eduint.reporting.words import NONE_MARK, check_lang, outcome_word, say

__all__ = [
    "ManySummary",
    "RuleSummary",
    "closest_rows",
    "county_rows",
    "summarize",
    "summary_dict",
    "summary_text",
    "totals_rows",
]

_MET, _NO_DATA = 1, 3  # outcome codes (engine.columnar._rules: MET, NO_DATA)
#: The order totals list outcomes in (codes), then no verdict (0).
_TOTAL_ORDER = (1, 2, 4, 3, 5, 0)
_PLACES = 3


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


def _rule_cells(r: RuleSummary, lang: Lang, memo: _Memo) -> list[str]:
    """Each county's cell of one rule: its headline, and how many entities are 达到 of
    those judged, or its worst value against the threshold."""
    words = [_outcome(c, lang) for c in range(6)]
    heads = [words[c] for c in r.headline.tolist()]
    if r.counts is not None:
        # 达到 of those judged, and those without the figures to judge said apart: a
        # 未达到（0/28） whose 27 lack figures is not 28 schools that failed
        judged = r.counts[:, 1:5].sum(axis=1).tolist()
        met = r.counts[:, _MET].tolist()
        missing = r.counts[:, _NO_DATA].tolist()
        passing = _filled(WORDS["many.passing"].text(lang), outcome=heads, met=met, total=judged)
        return [
            (say("many.passing_missing", lang, outcome=w, met=m, total=n, missing=k) if k else p)
            if n
            else w
            for w, m, n, k, p in zip(heads, met, judged, missing, passing, strict=True)
        ]
    if r.value is None or r.op is None:
        return heads
    values, bounds = _pairs(r, memo)
    op, neg = r.op, negated(r.op)
    ops = [op if m >= 0 else neg for m in r.margin.tolist()]
    # say()'s templates, filled a column at a time: a cell per county and rule, 20,000
    # at national scale
    detail, relation = (WORDS[k].text(lang) for k in ("many.detail", "many.relation"))
    cells = _filled(
        _nested(detail, "detail", relation), outcome=heads, value=values, op=ops, bound=bounds
    )
    # a county whose headline is not decided (缺少数据 …) shows the word alone: its
    # worst known value is not what decided it
    return [
        c if v and d else w for c, w, v, d in zip(cells, heads, values, r.decided(), strict=True)
    ]


def _filled(template: str, **columns: Sequence[object]) -> list[str]:
    """``template`` (a catalogue entry with ``{name}`` placeholders) filled once per row
    of ``columns`` (a sequence per placeholder, all as long), exactly as
    ``template.format(**row)`` fills it, but with one ``%`` over every row (the rows
    joined by newlines, then split) rather than a call a row."""
    pieces = list(string.Formatter().parse(template))
    fields = [f for _lit, f, _spec, _conv in pieces if f is not None]
    simple = all(not spec and not conv for _lit, _f, spec, conv in pieces)
    if (
        not simple  # a format spec or conversion: format() applies it
        or not set(fields) <= columns.keys()
        or "\n" in template
        or any(_has_newline(col) for col in columns.values())
    ):
        rows = zip(*columns.values(), strict=True)
        return [template.format(**dict(zip(columns, row, strict=True))) for row in rows]
    n = len(next(iter(columns.values()), ()))
    if not n:
        return []
    # '%s' is str(), what format() with no spec gives for str, int and float
    form = "".join(
        lit.replace("%", "%%") + ("%s" if f is not None else "") for lit, f, *_ in pieces
    )
    args = itertools.chain.from_iterable(zip(*(columns[f] for f in fields), strict=True))
    return ((form + "\n") * n % tuple(args))[:-1].split("\n")


def _has_newline(col: Sequence[object]) -> bool:
    try:
        return "\n" in "".join(col)  # type: ignore[arg-type]
    except TypeError:  # not all str (numbers)
        return "\n" in "".join(map(str, col))


def _nested(outer: str, name: str, inner: str) -> str:
    """The template ``outer`` with its placeholder ``{name}`` replaced by the template
    ``inner``: filling it gives ``outer.format(name=inner.format(...), ...)``."""
    out = []
    for lit, f, spec, conv in string.Formatter().parse(outer):
        out.append(lit.replace("{", "{{").replace("}", "}}"))
        if f is None:
            continue
        if f == name and not spec and not conv:
            out.append(inner)
        else:
            out.append("{" + f + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}")
    return "".join(out)


# Each rule's RuleSummary.places() (by the rule summary's id), worked out once for the
# per-county table and the closest counties of one summary_text (~0.4 ms a rule).
_Memo = dict[int, list[int]]


def _pairs(
    r: RuleSummary, memo: _Memo, rows: list[int] | None = None
) -> tuple[list[str], list[str]]:
    """Each county's worst value and its threshold as text, with the places that keep
    them on the right side of each other (:meth:`RuleSummary.places`, kept in ``memo``);
    only the counties ``rows`` when given (the closest few: not every county's texts
    again)."""
    places = memo.get(id(r))
    if places is None:
        places = memo[id(r)] = r.places()
    if rows is None:
        values = float_texts(r.value.tolist(), places)
        t = r.threshold
        if len(t) and t.min() == t.max() and min(places) == max(places):
            return values, float_texts([float(t[0])], places[0]) * len(t)  # one limit
        return values, float_texts(t.tolist(), places)
    at = [places[i] for i in rows]
    return float_texts(r.value[rows].tolist(), at), float_texts(r.threshold[rows].tolist(), at)


def _shows_outcome(r: RuleSummary) -> bool:
    """Report-only rules (report lines, no requirement) have no verdict column."""
    return r.rule.require is not None or bool(r.rule.parts) or r.rule.attested


def county_rows(s: ManySummary, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """The per-county table as text: headers and one row per county (code, name,
    overall verdict, a cell per headline rule, a column per whole-number report line).

    Raises:
        ValueError: unknown ``lang``.
    """
    return _county_rows(s, check_lang(lang), {})


def _county_rows(s: ManySummary, lg: Lang, memo: _Memo) -> tuple[list[str], list[list[str]]]:
    """:func:`county_rows`, the places of each rule kept in ``memo``."""
    heads = [say("p.county_code", lg), say("p.county", lg), say("p.overall", lg)]
    words = [_outcome(c, lg) for c in range(6)]
    overall = [words[c] for c in s.overall.tolist()]
    cols: list[list[str]] = [s.codes.tolist(), s.names.tolist(), overall]
    for r in s.rules:
        if _shows_outcome(r):
            heads.append(r.id)
            cols.append(_rule_cells(r, lg, memo))
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
    parts = []
    if r.counts is not None:
        scope = SCOPES[r.rule.scope.value].text(lang)
        judged = int(r.counts[:, 1:5].sum())
        met = int(r.counts[:, _MET].sum())
        missing = int(r.counts[:, _NO_DATA].sum())
        key = "many.entities_missing" if missing else "many.entities"
        parts.append(say(key, lang, scope=scope, met=met, total=judged, missing=missing))
    for name, _unit, _sums in r.lines:
        total = r.line_total(name)
        value = _num(total, 0) if total is not None else say("no_data_value", lang)
        parts.append(say("named_value", lang, name=name, value=value))
    return say("list_sep", lang).join(parts)


def closest_rows(s: ManySummary, lang: str = "zh") -> tuple[list[str], list[list[str]]]:
    """The counties closest to each limit: per rule with a comparison per county (or
    county segment), up to :attr:`ManySummary.closest` on each side, nearest first.

    Raises:
        ValueError: unknown ``lang``.
    """
    return _closest_rows(s, check_lang(lang), {})


def _closest_rows(s: ManySummary, lg: Lang, memo: _Memo) -> tuple[list[str], list[list[str]]]:
    """:func:`closest_rows`, the places of each rule kept in ``memo``."""
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
        near = [*ok.tolist(), *bad.tolist()]
        values, bounds = _pairs(r, memo, near) if near else ([], [])
        for k, i in enumerate(near):
            value, bound = values[k], bounds[k]
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
    memo: _Memo = {}  # each rule's places, for both tables
    # one line per county, never wrapped: it greps and sorts; the totals fit ``width``
    out = [say("t.counties", lg), draw_table(*_county_rows(s, lg, memo), fmt=fmt), ""]
    out += [
        say("t.many_totals", lg, n=s.counties),
        draw_table(*totals_rows(s, lg), fmt=fmt, width=width),
        "",
    ]
    heads, rows = _closest_rows(s, lg, memo)
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
