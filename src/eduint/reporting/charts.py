"""Which charts a report gets, and their data: read from the results, drawn by :mod:`.svg`.

A person would rather look than read in three places (issue 21):

* **Indicators per school** (:func:`indicator_charts`): for a rule per school or school
  segment whose comparisons name their indicator (``report 高学历教师 = L1`` … — the
  structural :attr:`~eduint.engine.results.Comparison.subject`, never guessed from
  values), one chart per indicator: every entity's value, its threshold, and when the
  rule also compares the same figure with a lower bound (学校达标: ``L1 >= 85% *
  高学历教师标准``, 教督〔2017〕6号 第五条) the band between that floor and the threshold.
* **差异系数 per county segment** (:func:`cv_charts`): for each county segment, every
  rule whose figure is a 差异系数 (:attr:`~eduint.engine.results.Comparison.measure`
  ``"cv"``), its CV against its limit.
* **Many counties** (:func:`many_charts`): for each CV rule, the distribution of its
  CVs over the county segments of every county (a histogram), each distinct limit
  marked (小学 0.50, 初中 0.45).

Rules per class are not charted (a county has thousands of classes: the tables list
the ones over the limit).  Values are drawn as floats (a 差异系数 that is an exact
bracket at its midpoint); the tables beside the charts keep the exact figures.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from eduint.core.values import Interval
from eduint.engine.results import Comparison, EntityResult, Quantity, Report
from eduint.reporting.messages import Lang
from eduint.reporting.svg import BarRow, bar_chart, histogram, value_text
from eduint.reporting.words import entity_name

if TYPE_CHECKING:
    from eduint.engine.columnar import ColumnarResult

__all__ = ["Chart", "cv_charts", "indicator_charts", "many_charts", "quantity_float"]

#: The charts' words: key → (Chinese, English).
WORDS: dict[str, tuple[str, str]] = {
    "indicator": ("{rule}：{name}", "{rule}: {name}"),
    "indicator_desc": (
        "{n} 个对象的{name}（{unit}）与标准值（黑色竖线）对比{band}；"
        "达到 {met} 个，未达到 {no} 个，缺少数据 {na} 个。",
        "{name} ({unit}) of {n} entities against the threshold (black tick){band}; "
        "{met} met, {no} not met, {na} without data.",
    ),
    "band": (
        "，黄色区域为下限（标准值的一定比例）至标准值",
        "; the yellow band runs from the floor to the threshold",
    ),
    "cv": ("差异系数：{segment}", "Coefficients of variation: {segment}"),
    "cv_desc": (
        "{segment}各指标校际差异系数与限值（黑色竖线）对比；{over} 项超过限值，缺少数据 {na} 项。",
        "{segment}: each indicator's inter-school coefficient of variation against its "
        "limit (black tick); {over} over the limit, {na} without data.",
    ),
    "hist": (
        "{rule}：各县域学段差异系数分布",
        "{rule}: coefficients of variation over county segments",
    ),
    "hist_desc": (
        "{n} 个县域学段的差异系数分布（缺少数据 {na} 个），虚线为限值 {limits}；超过限值 {over} 个。",
        "Distribution of {n} county segments' coefficients of variation ({na} without "
        "data); dashed lines: the limits {limits}; {over} over the limit.",
    ),
    "limit": ("限值 {value}", "limit {value}"),
    "na": ("缺少数据", "no data"),
    "count": ("个", ""),
    "sep": ("、", ", "),
}


def _w(key: str, lang: Lang, **args: object) -> str:
    zh, en = WORDS[key]
    return (zh if lang == "zh" else en).format(**args)


@attrs.frozen
class Chart:
    """One chart of a page: the heading it sits under (a rule's id) and its SVG text."""

    key: str
    svg: str


def quantity_float(q: Quantity | None) -> float | None:
    """A comparison side as a float in its unit as shown (the canonical value divided by
    the unit's scale: 万元 figures in 万元), or ``None``: unknown, or a range that is not
    one number.  A 差异系数 bracket (an irrational square root) is drawn at its midpoint."""
    if q is None:
        return None
    v = q.value
    if isinstance(v, Interval):
        if not (v.lo == v.hi or v.bracket):
            return None
        return float((Fraction(v.lo) + Fraction(v.hi)) / 2 / q.unit.scale)
    return float(Fraction(v) / q.unit.scale)


_ORDERED = frozenset((">=", ">", "<=", "<"))


def _row(e: EntityResult, cmps: list[Comparison], lang: Lang) -> tuple[BarRow, str]:
    """One entity's row for one indicator: its value, the strictest threshold and, when
    the rule compares the figure twice, the looser one as the band's floor."""
    first = cmps[0]
    up = first.op in (">=", ">")
    rights = [(quantity_float(c.right), c) for c in cmps if c.right is not None]
    known = [(v, c) for v, c in rights if v is not None]
    known.sort(key=lambda p: p[0], reverse=up)  # strictest first
    thr = known[0] if known else None
    floor = known[-1] if len(known) > 1 and known[-1][0] != known[0][0] else None
    side = first.right or first.left
    unit = side.unit.text if side is not None else ""
    row = BarRow(
        label=entity_name(e.entity, lang),
        value=quantity_float(first.left),
        threshold=thr[0] if thr else None,
        floor=floor[0] if floor else None,
        met=thr[1].met if thr else None,
        below_floor=bool(floor and floor[1].met is False),
    )
    return row, unit


def indicator_charts(report: Report, lang: Lang = "zh") -> list[Chart]:
    """One chart per named indicator of each rule per school or school segment (see the
    module doc), in rule-file order."""
    charts = []
    for item in report.items:
        ents = [e for e in item.entities if e.entity.scope in ("school", "segment")]
        names: dict[str, None] = {}
        for e in ents:
            for c in e.comparisons:
                if c.subject is not None and c.op in _ORDERED:
                    names.setdefault(c.subject)
        for name in names:
            rows, unit = [], ""
            for e in ents:
                cmps = [c for c in e.comparisons if c.subject == name and c.op in _ORDERED]
                if cmps:
                    row, u = _row(e, cmps, lang)
                    rows.append(row)
                    unit = unit or u
            charts.append(Chart(item.id, _indicator_svg(item.id, name, rows, unit, lang)))
    return charts


def _indicator_svg(rule: str, name: str, rows: list[BarRow], unit: str, lang: Lang) -> str:
    band = any(r.floor is not None for r in rows)
    desc = _w(
        "indicator_desc",
        lang,
        n=len(rows),
        name=name,
        unit=unit or "-",
        band=_w("band", lang) if band else "",
        met=sum(1 for r in rows if r.met),
        no=sum(1 for r in rows if r.met is False),
        na=sum(1 for r in rows if r.met is None),
    )
    return bar_chart(
        rows,
        title=_w("indicator", lang, rule=rule, name=name),
        desc=desc,
        unit=unit,
        na_word=_w("na", lang),
    )


def _short(label: str) -> str:
    """A long rule title cut to 14 characters: the tables beside it name it in full."""
    return label if len(label) <= 14 else label[:13] + "…"


def cv_charts(report: Report, lang: Lang = "zh") -> list[Chart]:
    """Per county segment, every 差异系数 rule's CV against its limit (see the module
    doc); none when the rule set has no CV rule."""
    by_segment: dict[str, list[BarRow]] = {}
    for item in report.items:
        for e in item.entities:
            cmps = [c for c in e.comparisons if c.measure == "cv" and c.op in _ORDERED]
            if e.entity.scope != "county_segment" or not cmps:
                continue
            c = cmps[0]
            by_segment.setdefault(entity_name(e.entity, lang), []).append(
                BarRow(
                    label=_short(item.title if lang == "zh" and item.title else item.id),
                    value=quantity_float(c.left),
                    threshold=quantity_float(c.right),
                    met=c.met,
                )
            )
    charts = []
    for segment, rows in by_segment.items():
        desc = _w(
            "cv_desc",
            lang,
            segment=segment,
            over=sum(1 for r in rows if r.met is False),
            na=sum(1 for r in rows if r.value is None),
        )
        svg = bar_chart(
            rows, title=_w("cv", lang, segment=segment), desc=desc, na_word=_w("na", lang)
        )
        charts.append(Chart("cv", svg))
    return charts


def many_charts(result: ColumnarResult, lang: Lang = "zh") -> list[Chart]:
    """For each 差异系数 rule of a many-county result, the histogram of its CVs over
    every county segment, its limits marked (see the module doc).  The result's arrays
    are read as lists: numpy stays inside the columnar engine."""
    from eduint.engine._cv import has_cv
    from eduint.engine.compile import main_comparison

    charts = []
    for rule_id, rc in result.rules.items():
        rule = rc.rule
        cmp = main_comparison(rule.require) if rule.require is not None else None
        if cmp is None or not has_cv(cmp.left, dict(rule.lets)):
            continue
        got = result.main_values(rule_id)
        if got is None:
            continue
        values, thresholds, _unit = got
        pairs = list(zip(values.tolist(), thresholds.tolist(), strict=True))
        charts.append(Chart(rule_id, _histogram(rule_id, pairs, cmp.op, lang)))
    return charts


def _histogram(rule: str, pairs: list[tuple[float, float]], op: str, lang: Lang) -> str:
    """One rule's histogram from (value, threshold) per county segment (NaN: unknown)."""
    values = [v for v, _ in pairs if math.isfinite(v)]
    limits = sorted({t for _, t in pairs if math.isfinite(t)})
    up = op in ("<=", "<")
    over = sum(
        1 for v, t in pairs if math.isfinite(v) and math.isfinite(t) and (v > t if up else v < t)
    )
    labels = [(t, _w("limit", lang, value=value_text(t))) for t in limits]
    desc = _w(
        "hist_desc",
        lang,
        n=len(values),
        na=len(pairs) - len(values),
        limits=_w("sep", lang).join(value_text(t) for t in limits) or "-",
        over=over,
    )
    return histogram(
        values,
        labels,
        title=_w("hist", lang, rule=rule),
        desc=desc,
        count_word=_w("count", lang),
    )
