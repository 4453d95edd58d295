"""What-if results as text, CSV and JSON: ``eduint sweep`` and ``eduint diff``.

:func:`eduint.engine.columnar.whatif.sweep` and
:func:`eduint.engine.columnar.whatif.diff` compute; this module words what they found.  A sweep is one row per grid point and rule (the
overall verdict first), with the counties by verdict and the rule's entities 达到 of
those judged; a diff is the rules only one side has, the changes counted per rule and
outcome pair, then the changes themselves with the value and threshold that decided each
on both sides.  Outcome words are the report catalogue's (:func:`outcome_word`); the
few column headers of these two commands are kept here, in both languages.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from typing import Any

from eduint.engine.columnar.whatif import Change, Diff, Sweep
from eduint.engine.results import Outcome
from eduint.reporting.layout import draw_table
from eduint.reporting.messages import Lang
from eduint.reporting.words import NONE_MARK, check_lang, outcome_word

__all__ = [
    "diff_csv",
    "diff_dict",
    "diff_text",
    "sweep_csv",
    "sweep_dict",
    "sweep_text",
]

#: Outcomes in the order the columns list them.
_ORDER = (
    Outcome.MET,
    Outcome.BASICALLY_MET,
    Outcome.NOT_MET,
    Outcome.NO_DATA,
    Outcome.NOT_APPLICABLE,
)
_JUDGED = (Outcome.MET, Outcome.BASICALLY_MET, Outcome.NOT_MET, Outcome.NO_DATA)

_WORDS: dict[str, tuple[str, str]] = {
    "overall": ("总体结论", "overall"),
    "rule": ("规则", "rule"),
    "title": ("名称", "title"),
    "scope": ("对象", "entities"),
    "counties": ("县区", "counties"),
    "entities_met": ("对象达到/判定", "entities met/judged"),
    "level": ("层级", "level"),
    "county": ("县区", "county"),
    "school": ("学校", "school"),
    "segment": ("学段", "segment"),
    "class": ("班级", "class"),
    "a": ("A", "A"),
    "b": ("B", "B"),
    "value_a": ("值A", "value A"),
    "threshold_a": ("标准A", "threshold A"),
    "value_b": ("值B", "value B"),
    "threshold_b": ("标准B", "threshold B"),
    "changes": ("变化", "changes"),
    "added": ("仅B有的规则（新增）", "rules only in B (added)"),
    "removed": ("仅A有的规则（删除）", "rules only in A (removed)"),
    "no_change": ("两组规则下没有结论不同的对象。", "No entity's verdict differs."),
    "more": (
        "另有 {n} 项变化未列出（--limit，或 --format csv/json 列出全部）。",
        "{n} more changes not listed (--limit, or --format csv/json lists all).",
    ),
    "unmatched": (
        "{n} 个对象只在一侧出现，未比较。",
        "{n} entities appear on one side only, not compared.",
    ),
    "sweep_head": (
        "{ruleset}：{counties} 个县区，{points} 个取值（原值 {base}）",
        "{ruleset}: {counties} counties, {points} points (rule set's value {base})",
    ),
    "diff_head": (
        "A = {a}{as_of_a}，B = {b}{as_of_b}：{counties} 个县区，{n} 项结论不同",
        "A = {a}{as_of_a}, B = {b}{as_of_b}: {counties} counties, {n} verdicts differ",
    ),
    "fallback": ("以下规则由逐县引擎计算：{rules}", "evaluated by the record engine: {rules}"),
    "page_title": ("标准取值的假设分析", "What-if sweep of a threshold"),
    "charts": ("图表：各取值下达到的县区数", "Charts: counties met at each value"),
    "chart_title": ("{rule}：{met}的县区数", "{rule}: counties {met}"),
    "chart_desc": (
        "横条为各取值下{rule}{met}的县区数（原值 {base}）：{counts}",
        "Each bar is the number of counties where {rule} is {met} at that value (rule "
        "set's value {base}): {counts}",
    ),
    "counties_unit": ("个县区", "counties"),
}

_SCOPE_WORDS = {
    "county": ("县区", "county"),
    "county_segment": ("县域学段", "county segment"),
    "school": ("学校", "school"),
    "segment": ("学校学段", "school segment"),
    "class": ("班级", "class"),
}


def _w(key: str, lang: Lang, **args: object) -> str:
    text = _WORDS[key][0 if lang == "zh" else 1]
    return text.format(**args) if args else text


def _scope(scope: str, lang: Lang) -> str:
    words = _SCOPE_WORDS.get(scope)
    return scope if words is None else words[0 if lang == "zh" else 1]


def _word(o: Outcome | None, lang: Lang) -> str:
    return outcome_word(o, lang)


def _num(x: float) -> str:
    """A float as a short decimal (at most 4 places); NaN as the none mark."""
    if not math.isfinite(x):
        return NONE_MARK
    if x == int(x) and abs(x) < 2**53:
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _json_num(x: float) -> float | int | None:
    if not math.isfinite(x):
        return None
    return int(x) if x == int(x) and abs(x) < 2**53 else x


def _counts(tally: dict[Outcome | None, int], lang: Lang) -> str:
    """``达到 4，未达到 24`` in the column order."""
    sep = "，" if lang == "zh" else ", "
    parts = [f"{_word(o, lang)} {tally[o]}" for o in _ORDER if tally.get(o)]
    if tally.get(None):
        parts.append(f"{NONE_MARK} {tally[None]}")
    return sep.join(parts) or NONE_MARK


def _met_of(tally: dict[Outcome | None, int]) -> tuple[int, int]:
    return tally.get(Outcome.MET, 0), sum(tally.get(o, 0) for o in _JUDGED)


# ------------------------------------------------------------------ sweep


def sweep_words(key: str, lang: Lang, **args: object) -> str:
    """A word of the sweep and diff outputs in ``lang`` (this module's table)."""
    return _w(key, lang, **args)


def sweep_rows(s: Sweep, lang: Lang) -> tuple[list[str], list[list[str]]]:
    """The sweep's table: headers and one row per point and rule (overall first)."""
    return _sweep_rows(s, lang)


def _sweep_rows(s: Sweep, lang: Lang) -> tuple[list[str], list[list[str]]]:
    heads = [v.target for v in s.varies] + [
        _w("rule", lang),
        _w("scope", lang),
        _w("counties", lang),
        _w("entities_met", lang),
    ]
    rows: list[list[str]] = []
    for p in s.points:
        vals = [str(x) for _, x in p.values]
        rows.append(
            vals + [_w("overall", lang), _scope("county", lang), _counts(p.overall, lang), ""]
        )
        for r in p.rules:
            met, judged = _met_of(r.entities)
            rows.append(
                vals
                + [
                    r.id,
                    _scope(r.scope, lang),
                    _counts(r.counties, lang),
                    f"{met}/{judged}" if r.entities else "",
                ]
            )
    return heads, rows


def sweep_text(s: Sweep, lang: str = "zh", *, width: int | None = None, fmt: str = "simple") -> str:
    """The sweep as a text table (one row per point and rule, the overall verdict first)
    under a line naming the rule set, the counties and the rule set's own values.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = check_lang(lang)
    base = ", ".join(f"{t} = {v}" for t, v in s.base)
    head = _w(
        "sweep_head", lg, ruleset=s.ruleset, counties=s.counties, points=len(s.points), base=base
    )
    heads, rows = _sweep_rows(s, lg)
    out = [head, "", draw_table(heads, rows, fmt=fmt, width=width)]
    fallback = sorted({f for p in s.points for f in p.fallback})
    if fallback:
        out += ["", _w("fallback", lg, rules=", ".join(fallback))]
    return "\n".join(out) + "\n"


def _tally_dict(tally: dict[Outcome | None, int], lang: Lang) -> dict[str, int]:
    return {(_word(o, lang) if o is not None else "none"): n for o, n in tally.items()}


def sweep_dict(s: Sweep, lang: str = "zh") -> dict[str, Any]:
    """The sweep as plain data for JSON: ``ruleset``, ``counties``, ``varies`` (target,
    the rule set's value, the grid as decimal strings, the unit), and per point its
    ``values`` (target → decimal string), ``overall`` (verdict word → counties) and
    ``rules`` (id → ``title``, ``scope``, ``counties`` and ``entities`` by verdict word,
    ``met`` and ``judged`` entities).

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = check_lang(lang)
    base = dict(s.base)
    points = []
    for p in s.points:
        rules = {}
        for r in p.rules:
            met, judged = _met_of(r.entities)
            one: dict[str, Any] = {
                "title": r.title,
                "scope": r.scope,
                "counties": _tally_dict(r.counties, lg),
                "entities": _tally_dict(r.entities, lg),
            }
            if r.entities:
                one.update(met=met, judged=judged)
            rules[r.id] = one
        points.append(
            {
                "values": {t: str(x) for t, x in p.values},
                "overall": _tally_dict(p.overall, lg),
                "rules": rules,
                "fallback": list(p.fallback),
            }
        )
    return {
        "eduint_sweep_version": 1,
        "ruleset": s.ruleset,
        "counties": s.counties,
        "varies": [
            {
                "target": v.target,
                "name": v.name,
                "key": v.key,
                "base": base.get(v.target),
                "unit": v.unit,
                "values": [str(x) for x in v.values],
            }
            for v in s.varies
        ],
        "points": points,
    }


def sweep_csv(s: Sweep, lang: str = "zh") -> str:
    """The sweep as CSV: one row per point and rule (``rule`` empty for the overall
    verdict), a column per varied threshold, then per outcome the counties and the
    entities (empty for a rule with no entities of its own), UTF-8 text.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = check_lang(lang)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    words = [_word(o, lg) for o in _ORDER]
    w.writerow(
        [v.target for v in s.varies]
        + ["rule", "scope"]
        + [f"counties:{x}" for x in words]
        + [f"entities:{x}" for x in words]
    )
    for p in s.points:
        vals = [str(x) for _, x in p.values]
        w.writerow(
            vals + ["", "county"] + [p.overall.get(o, 0) for o in _ORDER] + [""] * len(_ORDER)
        )
        for r in p.rules:
            ents: list[Any] = (
                [r.entities.get(o, 0) for o in _ORDER] if r.entities else [""] * len(_ORDER)
            )
            w.writerow(vals + [r.id, r.scope] + [r.counties.get(o, 0) for o in _ORDER] + ents)
    return buf.getvalue()


# ------------------------------------------------------------------ diff


def _change_cells(c: Change, lang: Lang) -> list[str]:
    school = c.school_name or c.school
    return [
        c.rule or _w("overall", lang),
        _scope(c.level, lang),
        c.county,
        school,
        c.segment,
        str(c.index + 1) if c.index >= 0 else "",
        _word(c.a, lang),
        _word(c.b, lang),
        _num(c.value_a),
        _num(c.threshold_a),
        _num(c.value_b),
        _num(c.threshold_b),
    ]


def _change_heads(lang: Lang) -> list[str]:
    return [
        _w(k, lang)
        for k in (
            "rule",
            "level",
            "county",
            "school",
            "segment",
            "class",
            "a",
            "b",
            "value_a",
            "threshold_a",
            "value_b",
            "threshold_b",
        )
    ]


def _as_of(d: Any) -> str:
    return f" @ {d.isoformat()}" if d is not None else ""


def diff_text(
    d: Diff,
    lang: str = "zh",
    *,
    width: int | None = None,
    fmt: str = "simple",
    limit: int | None = 50,
) -> str:
    """The diff as text: a heading, the rules one side only has, the changes per rule
    and outcome pair, then the first ``limit`` changes (``None``: all).

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = check_lang(lang)
    out = [
        _w(
            "diff_head",
            lg,
            a=d.a,
            b=d.b,
            as_of_a=_as_of(d.as_of_a),
            as_of_b=_as_of(d.as_of_b),
            counties=d.counties,
            n=len(d.changes),
        )
    ]
    for key, rules in (("added", d.added), ("removed", d.removed)):
        if rules:
            out += ["", _w(key, lg)]
            out += [f"  {rid}  {title}" for rid, title in rules]
    if not d.changes:
        out += ["", _w("no_change", lg)]
    else:
        counts = Counter((c.rule, c.level, c.a, c.b) for c in d.changes)
        titles = {c.rule: c.title for c in d.changes}
        rows = [
            [
                rid or _w("overall", lg),
                titles[rid],
                _scope(level, lg),
                f"{_word(a, lg)} → {_word(b, lg)}",
                str(n),
            ]
            for (rid, level, a, b), n in counts.items()
        ]
        heads = [_w("rule", lg), _w("title", lg), _w("level", lg), "A → B", _w("changes", lg)]
        out += ["", draw_table(heads, rows, fmt=fmt, width=width)]
        shown = d.changes if limit is None else d.changes[:limit]
        out += [
            "",
            draw_table(
                _change_heads(lg), [_change_cells(c, lg) for c in shown], fmt=fmt, width=width
            ),
        ]
        if len(shown) < len(d.changes):
            out += ["", _w("more", lg, n=len(d.changes) - len(shown))]
    if d.unmatched:
        out += ["", _w("unmatched", lg, n=d.unmatched)]
    return "\n".join(out) + "\n"


def _change_dict(c: Change, lang: Lang) -> dict[str, Any]:
    return {
        "rule": c.rule or None,
        "level": c.level,
        "county_code": c.county_code or None,
        "county": c.county,
        "school": c.school or None,
        "school_name": c.school_name or None,
        "segment": c.segment or None,
        "class": c.index if c.index >= 0 else None,
        "ref": c.ref or None,
        "a": None if c.a is None else _word(c.a, lang),
        "b": None if c.b is None else _word(c.b, lang),
        "value_a": _json_num(c.value_a),
        "threshold_a": _json_num(c.threshold_a),
        "value_b": _json_num(c.value_b),
        "threshold_b": _json_num(c.threshold_b),
        "unit": c.unit or None,
    }


def diff_dict(d: Diff, lang: str = "zh") -> dict[str, Any]:
    """The diff as plain data for JSON: both sides (rule set id, date), the counties,
    ``added`` / ``removed`` rules (id, title), ``changes`` (one object per change: rule
    (``null`` for the overall verdict), level, county, school, segment, class position
    (0-based), outcome words ``a`` and ``b``, values and thresholds (``null``: unknown),
    unit) and ``unmatched``.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = check_lang(lang)
    return {
        "eduint_diff_version": 1,
        "a": {"ruleset": d.a, "as_of": d.as_of_a.isoformat() if d.as_of_a else None},
        "b": {"ruleset": d.b, "as_of": d.as_of_b.isoformat() if d.as_of_b else None},
        "counties": d.counties,
        "added": [{"id": i, "title": t} for i, t in d.added],
        "removed": [{"id": i, "title": t} for i, t in d.removed],
        "changes": [_change_dict(c, lg) for c in d.changes],
        "unmatched": d.unmatched,
    }


def diff_csv(d: Diff, lang: str = "zh") -> str:
    """The changes as CSV, one row per change (the :func:`diff_dict` fields), UTF-8 text.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = check_lang(lang)
    buf = io.StringIO()
    rows = [_change_dict(c, lg) for c in d.changes]
    fields = list(_change_dict(_EMPTY, lg))
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: "" if v is None else v for k, v in r.items()})
    return buf.getvalue()


_EMPTY = Change("", "", "county", "", "", "", "", "", -1, None, None)


def dumps(data: dict[str, Any]) -> str:
    """JSON text as the what-if commands print it (UTF-8 characters kept, one-space
    indent, a final newline)."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
