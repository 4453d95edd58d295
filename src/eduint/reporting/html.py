"""The report as one self-contained HTML page (a Jinja2 template; every value escaped).

The page draws the same document as every other format
(:func:`~eduint.reporting.build.build_document`): every section, the detail and the
provenance included, and adds charts drawn as inline SVG by :mod:`eduint.reporting.charts`
(each school's value per indicator against its threshold and 85 % band, each 差异系数
against its limit) and, when given, the gap list (整改清单, :mod:`eduint.engine.gaps`).
It loads nothing from anywhere (no URL, no script, no ``@font-face``, no ``url()``): the
CJK font stack (:data:`FONT_STACK`) names fonts an operating system already has.
:func:`summary_html` draws many counties (``eduint check --summary --format html``);
:func:`report_fragment` and :func:`many_fragment` are the tables without the page, for
a notebook (``_repr_html_``).  Jinja2 is imported when a page is written.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eduint.engine.results import Outcome, Report
from eduint.reporting.build import LISTED_PER_CODE, DataProblemLike, LoadLike, build_document
from eduint.reporting.document import (
    Bound,
    Cell,
    Document,
    Lines,
    Num,
    Table,
    Verdict,
    cell_text,
)
from eduint.reporting.messages import Lang
from eduint.reporting.provenance import Provenance
from eduint.reporting.svg import CHART_CSS
from eduint.reporting.words import check_lang, outcome_word

if TYPE_CHECKING:
    import jinja2

    from eduint.engine.columnar import ColumnarResult
    from eduint.engine.columnar.summary import ManySummary
    from eduint.engine.columnar.whatif import Sweep
    from eduint.engine.gaps import GapList
    from eduint.reporting.charts import Chart

__all__ = [
    "FONT_STACK",
    "document_html",
    "html_report",
    "many_fragment",
    "report_fragment",
    "summary_html",
]

FONT_STACK = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)
"""The page's fonts: Chinese fonts of macOS (PingFang SC, Hiragino Sans GB), Windows
(Microsoft YaHei) and Linux (Noto Sans CJK SC / Source Han Sans SC from fonts-noto-cjk,
WenQuanYi Micro Hei from fonts-wqy-microhei), then any sans-serif.  Named, never
downloaded: the page works offline."""

_TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


_OUTCOME_CSS = {Outcome.NOT_MET: "o-not-met", Outcome.NO_DATA: "o-no-data"}


def _css(cell: Cell) -> str:
    if isinstance(cell, (Num, Bound)):
        return "num"
    if isinstance(cell, Verdict) and cell.outcome is not None:
        return _OUTCOME_CSS.get(cell.outcome, "")
    return ""


def _block(block: Any, lang: Lang) -> dict[str, Any]:
    if isinstance(block, Table):
        return {
            "kind": "table",
            "headers": [cell_text(c.header, lang) for c in block.columns],
            "rows": [
                [{"text": cell_text(c, lang), "css": _css(c)} for c in row] for row in block.rows
            ],
        }
    if isinstance(block, Lines):
        return {"kind": "lines", "lines": [cell_text(c, lang) for c in block.items]}
    return {"kind": "para", "text": cell_text(block.cell, lang)}


def _sections(doc: Document, lg: Lang) -> list[dict[str, Any]]:
    return [
        {
            "key": s.key,
            # the data problems keep their heading when there are none (数据问题：无)
            "title": cell_text(s.title, lg)
            if s.title is not None
            else (cell_text(s.sheet, lg) if s.key == "problems" and s.sheet else ""),
            "blocks": [
                _block(b, lg) for b in s.blocks if not (isinstance(b, Table) and not b.rows)
            ],
        }
        for s in doc.sections
    ]


def _insert(sections: list[dict[str, Any]], after: str, new: dict[str, Any]) -> None:
    """Put ``new`` after the last section keyed ``after`` (else after the summary)."""
    keys = [s["key"] for s in sections]
    for key in (after, "summary"):
        if key in keys:
            sections.insert(len(keys) - keys[::-1].index(key), new)
            return
    sections.append(new)


def _chart_section(key: str, title: str, charts: Sequence[Chart]) -> dict[str, Any]:
    return {"key": key, "title": title, "blocks": [{"kind": "svg", "svg": c.svg} for c in charts]}


_WORDS = {
    "indicators": (
        "图表：各校指标与标准",
        "Charts: each school's indicators against the thresholds",
    ),
    "cvs": ("图表：差异系数与限值", "Charts: coefficients of variation against their limits"),
    "gaps": ("整改清单", "Gap list"),
    "many_cvs": ("图表：各县差异系数分布", "Charts: coefficients of variation across counties"),
    "legend": (
        "图例：蓝色为达到，红色为未达到，橙色为未达到标准但不低于下限，灰色为未判定；"
        "黑色竖线为标准值，黄色区域为下限至标准值。",
        "Key: blue met, red not met, amber below the threshold but above the floor, grey "
        "undecided; the black tick is the threshold, the yellow band runs from the floor "
        "to the threshold.",
    ),
}


def _say(key: str, lg: Lang) -> str:
    zh, en = _WORDS[key]
    return zh if lg == "zh" else en


def _extra_css(sections: list[dict[str, Any]]) -> str:
    """The styles of charts and preformatted blocks, when the page has any (a page
    without them is as it was before charts)."""
    kinds = {b["kind"] for s in sections for b in s["blocks"]}
    css = []
    if "svg" in kinds:
        css.append("figure{margin:0}\n" + CHART_CSS)
    if "pre" in kinds:
        css.append("pre{font-family:inherit;white-space:pre-wrap}")
    return "\n".join(css)


def _render(
    title: str, subtitle: str, sections: list[dict[str, Any]], lg: Lang, *, fragment: bool = False
) -> str:
    page = (
        _environment()
        .get_template("report.html")
        .render(
            html_lang="zh-CN" if lg == "zh" else "en",
            title=title,
            subtitle=subtitle,
            sections=sections,
            font_stack=FONT_STACK,
            extra_css=_extra_css(sections),
            fragment=fragment,
        )
    )
    return page if page.endswith("\n") else page + "\n"


def document_html(
    doc: Document,
    *,
    lang: str = "zh",
    report: Report | None = None,
    gaps: Sequence[GapList] = (),
    fragment: bool = False,
) -> str:
    """A document as an HTML page: every section, tables with their headers.

    Args:
        doc: the document (:func:`~eduint.reporting.build.build_document`).
        lang: ``"zh"`` or ``"en"``.
        report: the report the document was built from: its charts are drawn
            (:mod:`eduint.reporting.charts`); ``None``: no charts.
        gaps: gap lists to show as the 整改清单 section (none: no section).
        fragment: the tables alone, without ``<html>``, styles or charts (a notebook).

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = check_lang(lang)
    sections = _sections(doc, lg)
    if report is not None and not fragment:
        _add_charts(sections, report, lg)
    if gaps:
        from eduint.reporting.gaps import gaps_text

        text = gaps_text(gaps, lg)
        _insert(
            sections,
            "overall",
            {"key": "gaps", "title": _say("gaps", lg), "blocks": [{"kind": "pre", "text": text}]},
        )
    return _render(
        cell_text(doc.title, lg), cell_text(doc.subtitle, lg), sections, lg, fragment=fragment
    )


def _add_charts(sections: list[dict[str, Any]], report: Report, lg: Lang) -> None:
    from eduint.reporting.charts import cv_charts, indicator_charts

    indicators = indicator_charts(report, lg)
    if indicators:
        new = _chart_section("charts", _say("indicators", lg), indicators)
        new["blocks"].insert(0, {"kind": "para", "text": _say("legend", lg)})
        _insert(sections, "entities", new)
    cvs = cv_charts(report, lg)
    if cvs:
        _insert(sections, "cv", _chart_section("cv_charts", _say("cvs", lg), cvs))


def html_report(
    report: Report,
    *,
    lang: str = "zh",
    problems: Sequence[DataProblemLike] = (),
    provenance: Provenance | None = None,
    load: LoadLike | None = None,
    problems_per_code: int | None = LISTED_PER_CODE,
    gaps: Sequence[GapList] = (),
) -> str:
    """The report as a standalone HTML page, with its charts.

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.
        problems: the data problems to list.
        provenance: where the report came from, shown at the end when given.
        load: the load accounting (rows read, used, rejected).
        problems_per_code: list at most this many data problems of each code and count
            the rest (``None``: every one).
        gaps: the county's gap list(s) (:func:`eduint.engine.gaps.gaps`), shown as the
            整改清单 section; none: no such section (computing one re-evaluates the
            county per fix, so it is asked for, not implied).

    Returns:
        The HTML document, ending in a newline.

    Raises:
        ValueError: unknown ``lang``.
    """
    doc = build_document(
        report, provenance=provenance, problems=problems, load=load, per_code=problems_per_code
    )
    return document_html(doc, lang=lang, report=report, gaps=gaps)


def report_fragment(report: Report, lang: str = "zh") -> str:
    """The report's tables as an HTML fragment (no ``<html>``, no script, no charts):
    what :meth:`Report._repr_html_ <eduint.engine.results.Report._repr_html_>` shows.

    Raises:
        ValueError: unknown ``lang``.
    """
    return document_html(build_document(report), lang=lang, fragment=True)


def _table(heads: list[str], rows: list[list[str]]) -> dict[str, Any]:
    return {
        "kind": "table",
        "headers": heads,
        "rows": [[{"text": c, "css": ""} for c in row] for row in rows],
    }


def _many_sections(summary: ManySummary, lg: Lang) -> list[dict[str, Any]]:
    from eduint.reporting import many
    from eduint.reporting.words import say

    out = [
        {
            "key": "counties",
            "title": say("t.counties", lg),
            "blocks": [_table(*many.county_rows(summary, lg))],
        },
        {
            "key": "totals",
            "title": say("t.many_totals", lg, n=summary.counties),
            "blocks": [_table(*many.totals_rows(summary, lg))],
        },
    ]
    heads, rows = many.closest_rows(summary, lg)
    if rows:
        out.append(
            {
                "key": "closest",
                "title": say("t.many_closest", lg, k=summary.closest),
                "blocks": [_table(heads, rows)],
            }
        )
    return out


def summary_html(result: ColumnarResult, *, lang: str = "zh", title: str = "") -> str:
    """Many counties as one HTML page: the per-county table, the totals, the counties
    closest to each limit, and for each 差异系数 rule a histogram of its CVs over the
    county segments with the limits marked (:func:`eduint.reporting.charts.many_charts`).

    Args:
        result: the columnar result (:func:`eduint.engine.columnar.evaluate_many`).
        lang: ``"zh"`` or ``"en"``.
        title: the page's heading (``""``: the rule set's title).

    Raises:
        ValueError: unknown ``lang``.
    """
    from eduint.reporting.charts import many_charts
    from eduint.reporting.many import summarize

    lg = check_lang(lang)
    summary = summarize(result)
    sections = _many_sections(summary, lg)
    charts = many_charts(result, lg)
    if charts:
        sections.insert(2, _chart_section("many_charts", _say("many_cvs", lg), charts))
    rs = result.ruleset
    named = (rs.title_en if lg == "en" else rs.title) or rs.title or rs.id
    heading = title or named
    sub = f"{rs.id} {rs.version or ''}".strip()
    return _render(heading, sub, sections, lg)


def many_fragment(result: ColumnarResult, lang: str = "zh") -> str:
    """The per-county table and the totals of a many-county result as an HTML fragment
    (no ``<html>``, no script, no charts): what ``ColumnarResult._repr_html_`` shows.

    Raises:
        ValueError: unknown ``lang``.
    """
    from eduint.reporting.many import summarize

    lg = check_lang(lang)
    return _render("", "", _many_sections(summarize(result), lg), lg, fragment=True)


def sweep_html(s: Sweep, lang: str = "zh") -> str:
    """A sweep (``eduint sweep --format html``) as one self-contained page: the table of
    :func:`eduint.reporting.whatif.sweep_text`, then per rule (and for the overall
    verdict) a chart of how many counties are 达到 at each grid point, the rule set's own
    value named in the chart's description.

    Raises:
        ValueError: unknown ``lang``.
    """
    from eduint.reporting.svg import BarRow, bar_chart
    from eduint.reporting.whatif import sweep_rows, sweep_words

    lg = check_lang(lang)
    heads, rows = sweep_rows(s, lg)
    met_word = outcome_word(Outcome.MET, lg)
    base = ", ".join(f"{t} = {v}" for t, v in s.base)
    charts: list[str] = []

    def chart(name: str, tallies: list[dict[Outcome | None, int]]) -> str:
        bars = [
            BarRow(
                " ".join(str(x) for _t, x in p.values), float(t.get(Outcome.MET, 0)), None, met=True
            )
            for p, t in zip(s.points, tallies, strict=True)
        ]
        title = sweep_words("chart_title", lg, rule=name, met=met_word)
        desc = sweep_words(
            "chart_desc",
            lg,
            rule=name,
            met=met_word,
            base=base,
            counts="，".join(f"{b.label}: {int(b.value or 0)}" for b in bars),
        )
        return bar_chart(bars, title=title, desc=desc, unit=sweep_words("counties_unit", lg))

    charts.append(chart(sweep_words("overall", lg), [p.overall for p in s.points]))
    for i, r in enumerate(s.points[0].rules if s.points else ()):
        charts.append(chart(r.id, [p.rules[i].counties for p in s.points]))
    sections = [
        {
            "key": "sweep",
            "title": sweep_words(
                "sweep_head",
                lg,
                ruleset=s.ruleset,
                counties=s.counties,
                points=len(s.points),
                base=base,
            ),
            "blocks": [_table(heads, rows)],
        },
        {
            "key": "sweep_charts",
            "title": sweep_words("charts", lg),
            "blocks": [{"kind": "svg", "svg": c} for c in charts],
        },
    ]
    return _render(sweep_words("page_title", lg), f"{s.ruleset}", sections, lg)
