"""Charts as inline SVG, drawn by eduint itself: no script, no library, no network.

Two shapes, both plain SVG 1.1 text that any browser (and a Word or PDF converter)
draws offline:

* :func:`bar_chart` — one row per entity (a school segment, a county segment's
  indicator): a bar for the value, a tick at the threshold, and when the rule has a
  floor below the threshold (学校达标's 85 %) a shaded band from the floor to the
  threshold.  Thresholds may differ row by row (小学 and 初中 have their own standards).
* :func:`histogram` — how many values fall in each bin, with the limits drawn as
  dashed vertical lines (the distribution of a 差异系数 across counties).

No ``xmlns`` attribute: inline SVG in HTML needs none, and the page holds no URL of any
kind.  Every chart carries its text alternative: ``role="img"``, a ``<title>`` (the chart's
name) and a ``<desc>`` (what it shows, in words, with the counts a reader would want).
Styles are classes (``.b-ok``, ``.b-no`` …) defined once in the page's CSS
(:data:`CHART_CSS`), so a chart of 185 schools stays small: about 270 bytes a row.
All text is escaped here; callers pass plain strings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import attrs

__all__ = ["CHART_CSS", "BarRow", "bar_chart", "histogram"]

#: The CSS the charts' classes need (the page includes it once).
CHART_CSS = (
    "svg.chart{display:block;margin:0.3em 0 1em;max-width:100%;height:auto}"
    "svg.chart text{font-size:11px;fill:#222}"
    "svg.chart .b-ok{fill:#4a7fb5}"
    "svg.chart .b-no{fill:#c0392b}"
    "svg.chart .b-mid{fill:#e0a030}"
    "svg.chart .band{fill:#f3e3a0;opacity:0.7}"
    "svg.chart .thr{stroke:#111;stroke-width:2}"
    "svg.chart .lim{stroke:#c0392b;stroke-width:2;stroke-dasharray:5 3}"
    "svg.chart .ax{stroke:#888;stroke-width:1}"
    "svg.chart .na{fill:#865;font-style:italic}"
    "svg.chart .b-na{fill:#aaa}"
    "svg.chart .hb{fill:#4a7fb5}"
)

_LABEL_W = 170  # px for the row labels (12 CJK characters at 11 px)
_PLOT_W = 380
_ROW_H = 14
_TOP = 22
_BOTTOM = 26


@attrs.frozen
class BarRow:
    """One row of a bar chart.

    Attributes:
        label: the row's name (a school and segment, an indicator).
        value: the value, or ``None`` when unknown (the row says 缺少数据, never 0).
        threshold: the row's threshold, or ``None``.
        floor: the lower bound of the band (学校达标: 85 % of the threshold), or ``None``.
        met: whether the row's comparison holds (``None``: undecided); colours the bar.
        below_floor: the value is under the floor as well (drawn as failing outright).
    """

    label: str
    value: float | None
    threshold: float | None
    floor: float | None = None
    met: bool | None = None
    below_floor: bool = False


def _num(x: float) -> str:
    """A coordinate with at most one decimal (``12``, ``12.5``): small output."""
    r = round(x, 1)
    return str(int(r)) if r == int(r) else f"{r:.1f}"


def value_text(x: float) -> str:
    """A value as a chart labels it: up to four significant digits, no exponent."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else ""
    places = max(0, 3 - int(math.floor(math.log10(abs(x)))))
    text = f"{x:.{min(places, 6)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scale(rows: Sequence[BarRow]) -> tuple[float, float]:
    """The plotted range: from 0 (or the smallest negative value) to 5 % past the
    largest value, threshold or floor."""
    xs = [x for r in rows for x in (r.value, r.threshold, r.floor) if x is not None]
    xs = [x for x in xs if math.isfinite(x)]
    lo = min([0.0, *xs])
    hi = max([0.0, *xs])
    if hi <= lo:
        hi = lo + 1.0
    return lo, hi + (hi - lo) * 0.05


def _bar_class(r: BarRow) -> str:
    """Met: blue; not met but above the floor (in the band): amber; not met: red;
    undecided: grey."""
    if r.met is None:
        return "b-na"
    if r.met:
        return "b-ok"
    return "b-mid" if r.floor is not None and not r.below_floor else "b-no"


def _head(width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]


def bar_chart(
    rows: Sequence[BarRow], *, title: str, desc: str, unit: str = "", na_word: str = "缺少数据"
) -> str:
    """Rows of bars against their thresholds (see the module doc), as one ``<svg>``.

    Args:
        rows: the rows, top to bottom.
        title: the chart's name (its ``<title>``, also drawn above the plot).
        desc: the chart in words (its ``<desc>``).
        unit: the values' unit, shown on the axis (``人/百人``).
        na_word: what a row without a value says.

    Returns:
        The SVG element as text (no XML declaration: it is inlined in HTML).
    """
    lo, hi = _scale(rows)
    span = hi - lo
    x0 = _LABEL_W + 6

    def x(v: float) -> float:
        return x0 + (v - lo) / span * _PLOT_W

    width = x0 + _PLOT_W + 90
    height = _TOP + len(rows) * _ROW_H + _BOTTOM
    out = _head(width, height, title, desc)
    out.append(f'<text x="0" y="13" font-weight="bold">{escape(title)}</text>')
    for i, r in enumerate(rows):
        y = _TOP + i * _ROW_H
        out.append(f'<text x="{_LABEL_W}" y="{y + 10}" text-anchor="end">{escape(r.label)}</text>')
        if r.floor is not None and r.threshold is not None:
            a, b = sorted((x(r.floor), x(r.threshold)))
            out.append(
                f'<rect class="band" x="{_num(a)}" y="{y}" width="{_num(b - a)}" height="{_ROW_H}"/>'
            )
        if r.value is None or not math.isfinite(r.value):
            out.append(f'<text class="na" x="{x0 + 4}" y="{y + 10}">{escape(na_word)}</text>')
        else:
            a, b = sorted((x(0.0 if lo <= 0 else lo), x(r.value)))
            css = _bar_class(r)
            out.append(
                f'<rect class="{css}" x="{_num(a)}" y="{y + 2}" width="{_num(max(b - a, 0.5))}" '
                f'height="{_ROW_H - 4}"><title>{escape(r.label)}: {value_text(r.value)}'
                f"{escape(unit)}</title></rect>"
            )
        if r.threshold is not None:
            out.append(f'<path class="thr" d="M{_num(x(r.threshold))} {y}v{_ROW_H}"/>')
    base = _TOP + len(rows) * _ROW_H
    out.append(f'<path class="ax" d="M{x0} {base}h{_PLOT_W}"/>')
    for v in (lo, (lo + hi) / 2, hi):
        out.append(
            f'<text x="{_num(x(v))}" y="{base + 12}" text-anchor="middle">{value_text(v)}</text>'
        )
    if unit:
        out.append(f'<text x="{x0 + _PLOT_W + 24}" y="{base + 12}">{escape(unit)}</text>')
    out.append("</svg>")
    return "".join(out)


def histogram(
    values: Sequence[float],
    limits: Sequence[tuple[float, str]],
    *,
    title: str,
    desc: str,
    bins: int = 20,
    count_word: str = "个",
) -> str:
    """The distribution of ``values`` in ``bins`` equal bins from 0 (or the smallest
    value) to past the largest value or limit, with each limit a dashed line labelled
    by its text, as one ``<svg>``.

    Args:
        values: the values (finite ones are counted; NaN is left out).
        limits: ``(value, label)`` of each limit line.
        title, desc: the chart's name and its words (``<title>``, ``<desc>``).
        bins: how many bins.
        count_word: the word after a bar's count in its tooltip.
    """
    xs = [v for v in values if math.isfinite(v)]
    ends = [*xs, *(v for v, _ in limits if math.isfinite(v))]
    lo = min([0.0, *ends])
    hi = max([0.0, *ends]) * 1.05 or 1.0
    step = (hi - lo) / bins
    counts = [0] * bins
    for v in xs:
        counts[min(int((v - lo) / step), bins - 1)] += 1
    top = max([1, *counts])
    plot_h, x0, plot_w = 120, 40, 440
    width, height = x0 + plot_w + 20, _TOP + plot_h + 40 + 14 * len(limits)
    base = _TOP + plot_h

    def x(v: float) -> float:
        return x0 + (v - lo) / (hi - lo) * plot_w

    out = _head(width, height, title, desc)
    out.append(f'<text x="0" y="13" font-weight="bold">{escape(title)}</text>')
    bw = plot_w / bins
    for i, n in enumerate(counts):
        if n:
            h = n / top * plot_h
            a, b = lo + i * step, lo + (i + 1) * step
            out.append(
                f'<rect class="hb" x="{_num(x0 + i * bw + 1)}" y="{_num(base - h)}" '
                f'width="{_num(bw - 2)}" height="{_num(h)}"><title>{value_text(a)}–'
                f"{value_text(b)}: {n} {escape(count_word)}</title></rect>"
            )
    out.append(f'<path class="ax" d="M{x0} {base}h{plot_w}M{x0} {_TOP}V{base}"/>')
    out.append(f'<text x="{x0 - 4}" y="{_TOP + 8}" text-anchor="end">{top}</text>')
    out.append(f'<text x="{x0 - 4}" y="{base}" text-anchor="end">0</text>')
    for v in (lo, (lo + hi) / 2, hi):
        out.append(
            f'<text x="{_num(x(v))}" y="{base + 12}" text-anchor="middle">{value_text(v)}</text>'
        )
    for k, (v, label) in enumerate(limits):
        out.append(f'<path class="lim" d="M{_num(x(v))} {_TOP}V{base}"/>')
        out.append(f'<text x="{_num(x(v) + 3)}" y="{_TOP + 10 + 12 * k}">{value_text(v)}</text>')
        out.append(f'<text x="{x0}" y="{base + 28 + 14 * k}">┆ {escape(label)}</text>')
    out.append("</svg>")
    return "".join(out)
