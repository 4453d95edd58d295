"""The report as a standalone HTML page (every value escaped)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from eduint.engine.results import Report
from eduint.reporting._common import (
    DataProblemLike,
    Lang,
    Provenance,
    _check_lang,
    _heading,
    _provenance_pairs,
    _text,
    _title,
)
from eduint.reporting.rows import (
    cv_contributors,
    cv_items,
    detail_rows,
    details_rows,
    entity_items,
    entity_rows,
    overall_line,
)
from eduint.reporting.text import (
    _tabulate,
    cv_table,
    detail_table,
    details_table,
    problems_table,
    sections_table,
    summary_table,
)


def html_report(
    report: Report,
    *,
    lang: str = "zh",
    problems: Sequence[DataProblemLike] = (),
    provenance: Provenance | None = None,
) -> str:
    """The report as a standalone HTML page (every value escaped).

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.
        problems: the data problems to list.
        provenance: where the report came from, shown at the end when given.

    Returns:
        The HTML document, ending in a newline.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = _check_lang(lang)
    esc = html.escape
    heading = _heading(report, lg)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lg == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        f"<title>{esc(heading[0])}</title>",
        "<style>table{border-collapse:collapse}td,th{border:1px solid #999;"
        "padding:2px 6px;vertical-align:top;white-space:pre-wrap}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(heading[0])}</h1>",
        f"<p>{esc(heading[1])}</p>",
        summary_table(report, lang=lg, fmt="html"),
        f"<p><strong>{esc(overall_line(report, lang=lg))}</strong></p>",
    ]
    parts += _html_tables(report, lg)
    if problems:
        parts += [
            f"<h2>{esc(_text(lg, 'problems'))}</h2>",
            problems_table(problems, lang=lg, fmt="html"),
        ]
    else:
        parts.append(f"<p>{esc(_text(lg, 'no_problems'))}</p>")
    for key, lines in (
        ("warnings", report.warnings),
        ("provisional_values", report.provisional_values),
    ):
        if lines:
            parts.append(f"<h2>{esc(_text(lg, key))}</h2>")
            parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>")
    if provenance is not None:
        parts.append(f"<h2>{esc(_text(lg, 'provenance_sheet'))}</h2>")
        rows = [[k, v] for k, v in _provenance_pairs(report, provenance, lg)]
        parts.append(_tabulate(rows, [_text(lg, "key"), _text(lg, "val")], "html"))
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _html_tables(report: Report, lg: Lang) -> list[str]:
    """The page's tables after the summary, each under its heading: the per-entity
    indicators, the 差异系数 with their largest contributors, the sections, the detail
    and the computation notes (each only when the report has any)."""
    esc = html.escape
    parts: list[str] = []
    for item in entity_items(report):
        school_rows = entity_rows(report, lang=lg, rule=item.id)
        caption = _text(lg, "entity_heading").format(id=item.id, title=_title(item, lg))
        parts += [
            f"<h2>{esc(caption)}</h2>",
            _tabulate(
                [list(r.values())[1:] for r in school_rows], list(school_rows[0])[1:], "html"
            ),
        ]
    if cv_items(report):
        parts += [f"<h2>{esc(_text(lg, 'cv'))}</h2>", cv_table(report, lang=lg, fmt="html")]
        contributors = cv_contributors(report)
        if contributors:
            parts.append(f"<p>{esc(_text(lg, 'cv_contributors'))}</p>")
            parts.append(
                "<ul>"
                + "".join(f"<li>{esc(rule)}: {esc(line)}</li>" for rule, line in contributors)
                + "</ul>"
            )
    if report.sections:
        parts += [
            f"<h2>{esc(_text(lg, 'sections'))}</h2>",
            sections_table(report, lang=lg, fmt="html"),
        ]
    if detail_rows(report, lang=lg):
        parts += [f"<h2>{esc(_text(lg, 'detail'))}</h2>", detail_table(report, lang=lg, fmt="html")]
    if details_rows(report, lang=lg):
        parts += [
            f"<h2>{esc(_text(lg, 'details'))}</h2>",
            details_table(report, lang=lg, fmt="html"),
        ]
    return parts
