"""Text tables through tabulate, and the whole report as text.

Every cell is text (``disable_numparse``, so ``2.10`` stays ``2.10``), leading
whitespace is kept (parts are indented under their item), and CJK characters count
two display cells.  tabulate measures them so only while its module-level
``WIDE_CHARS_MODE`` is on, the default whenever wcwidth is importable (always: it is a
dependency).  eduint never changes that setting unless a caller switched it off, and
then only for the duration of one table (see :func:`_tabulate`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import tabulate as _tabulate_module

from eduint.engine.results import Report
from eduint.reporting._common import (
    _CV_HEADERS,
    _DETAIL_HEADERS,
    _DETAILS_HEADERS,
    _PROBLEM_HEADERS,
    _SECTION_HEADERS,
    _SUMMARY_HEADERS,
    DataProblemLike,
    _check_lang,
    _headers,
    _heading,
    _text,
    _title,
)
from eduint.reporting.rows import (
    cv_contributors,
    cv_rows,
    detail_rows,
    details_rows,
    entity_items,
    entity_rows,
    overall_line,
    problems_rows,
    sections_rows,
    summary_rows,
)


def _clean_cell(text: str, fmt: str) -> str:
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    if fmt in ("github", "pipe"):
        text = text.replace("|", "\\|")
    return text


_NO_WRAP_FORMATS = frozenset({"github", "pipe", "html", "unsafehtml", "tsv", "jira", "textile"})


def _tabulate(
    rows: Sequence[Sequence[str]], headers: Sequence[str], fmt: str, wrap: int | None = None
) -> str:
    """Every table of the reports goes through here (see the module docstring).

    Raises:
        ValueError: unknown ``fmt``, or ``wrap`` below 1.
    """
    if fmt not in _tabulate_module.tabulate_formats:
        raise ValueError(
            f"unknown table format {fmt!r}; expected one of "
            + ", ".join(_tabulate_module.tabulate_formats)
        )
    html_like = fmt in ("html", "unsafehtml")
    cells = []
    for row in rows:
        cleaned = [_clean_cell(c, fmt) for c in row]
        if html_like:
            # HTML collapses spaces: keep the indentation of parts as no-break spaces.
            cleaned = [re.sub(r"^ +", lambda m: "\u00a0" * len(m.group()), c) for c in cleaned]
        cells.append(cleaned)
    if wrap is not None and wrap < 1:
        raise ValueError(f"wrap must be at least 1 display cell, got {wrap}")

    def draw() -> str:
        return _tabulate_module.tabulate(
            cells,
            headers=list(headers),
            tablefmt=fmt,
            disable_numparse=True,
            preserve_whitespace=True,
            missingval="",
            # one-line formats (Markdown, HTML …) are never wrapped
            maxcolwidths=wrap if wrap is not None and fmt not in _NO_WRAP_FORMATS else None,
        )

    saved = _tabulate_module.WIDE_CHARS_MODE
    if saved:
        return draw()
    # A caller switched CJK widths off.  tabulate has no per-call switch, so turn
    # the module setting on for this table only, or Chinese text would misalign.
    # (Not thread-safe; issue 12 removes the need by measuring widths itself.)
    _tabulate_module.WIDE_CHARS_MODE = True
    try:
        return draw()
    finally:
        _tabulate_module.WIDE_CHARS_MODE = saved


def table(rows: Sequence[Sequence[str]], headers: Sequence[str], *, fmt: str = "simple") -> str:
    """Any rows of text as a table, the way this module draws its own.

    Every cell is text (no number parsing), leading whitespace is kept and CJK
    characters count two cells.

    Args:
        rows: The rows, each a sequence of strings.
        headers: The column headers.
        fmt: Any tabulate format.

    Returns:
        The table text, without a final newline.

    Raises:
        ValueError: unknown ``fmt``.
    """
    return _tabulate(rows, headers, fmt)


def summary_table(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """The summary (:func:`summary_rows`) as a table.

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.
        fmt: any tabulate format (``simple``, ``plain``, ``github``, ``grid``, ``html`` …).
        wrap: wrap cells wider than this many display cells onto several lines
            (``None``: never; one-line formats such as ``github`` and ``html`` are
            never wrapped).

    Returns:
        The table text, without a final newline.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = summary_rows(report, lang=lg)
    return _tabulate([list(r.values()) for r in rows], _headers(_SUMMARY_HEADERS, lg), fmt, wrap)


def sections_table(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """The section roll-ups (:func:`sections_rows`) as a table (``wrap`` as for
    :func:`summary_table`).

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = sections_rows(report, lang=lg)
    return _tabulate([list(r.values()) for r in rows], _headers(_SECTION_HEADERS, lg), fmt, wrap)


def detail_table(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """The detail (:func:`detail_rows`) as a table (``wrap`` as for :func:`summary_table`).

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = detail_rows(report, lang=lg)
    return _tabulate([list(r.values()) for r in rows], _headers(_DETAIL_HEADERS, lg), fmt, wrap)


def entity_tables(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """:func:`entity_rows` as one table per rule, each under a heading
    (``学校指标：学校达标 每所学校…`` / ``School indicators: …``).

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.
        fmt: any tabulate format.
        wrap: wrap cells wider than this many display cells (as :func:`summary_table`).

    Returns:
        The headings and tables separated by blank lines, without a final newline;
        ``""`` when no rule has per-entity report values.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    out: list[str] = []
    for item in entity_items(report):
        rows = entity_rows(report, lang=lg, rule=item.id)
        headers = list(rows[0])[1:]  # the item is the heading, not a column
        heading = _text(lg, "entity_heading").format(id=item.id, title=_title(item, lg))
        out += [heading, _tabulate([list(r.values())[1:] for r in rows], headers, fmt, wrap), ""]
    return "\n".join(out[:-1])


def cv_table(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """:func:`cv_rows` as a table, without the 要求 and 方差主要来源 columns (the text
    report lists :func:`cv_contributors` under the table).

    Returns:
        The table, without a final newline; ``""`` when the report has no 差异系数 rule.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = cv_rows(report, lang=lg)
    if not rows:
        return ""
    shown = [
        h
        for (key, _, _), h in zip(_CV_HEADERS, _headers(_CV_HEADERS, lg), strict=True)
        if key not in ("requirement", "contributors")
    ]
    return _tabulate([[r[h] for h in shown] for r in rows], shown, fmt, wrap)


def details_table(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """:func:`details_rows` as a table (``wrap`` as for :func:`summary_table`).

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = details_rows(report, lang=lg)
    return _tabulate([list(r.values()) for r in rows], _headers(_DETAILS_HEADERS, lg), fmt, wrap)


def problems_table(
    problems: Iterable[DataProblemLike],
    *,
    lang: str = "zh",
    fmt: str = "simple",
    wrap: int | None = None,
) -> str:
    """The data problems (:func:`problems_rows`) as a table (``wrap`` as for
    :func:`summary_table`).

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = problems_rows(problems, lang=lg)
    return _tabulate([list(r.values()) for r in rows], _headers(_PROBLEM_HEADERS, lg), fmt, wrap)


def text_report(
    report: Report,
    *,
    lang: str = "zh",
    fmt: str = "simple",
    problems: Sequence[DataProblemLike] = (),
    detail: bool = False,
    data_summary: str | None = None,
    wrap: int | None = None,
) -> str:
    """The report as text: heading, summary table, sections, overall verdict, data
    problems, warnings and provisional values used.

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.
        fmt: the tabulate format of the tables (``simple``, ``plain``, ``github``, ``grid``).
        problems: the data problems to list (every one of them).
        detail: also include :func:`detail_table` (entities not met, missing figures).
        data_summary: a line about the data read (rows read/used/rejected), shown
            with the data problems.
        wrap: wrap table cells wider than this many display cells (``None``: never).

    Returns:
        The text, ending in a newline.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    out = _heading(report, lg)
    out += ["", summary_table(report, lang=lg, fmt=fmt, wrap=wrap)]
    entities = entity_tables(report, lang=lg, fmt=fmt, wrap=wrap)
    if entities:
        out += ["", entities]
    cv = cv_table(report, lang=lg, fmt=fmt, wrap=wrap)
    if cv:
        out += ["", _text(lg, "cv"), cv]
        contributors = cv_contributors(report)
        if contributors:
            colon = "：" if lg == "zh" else ": "
            out += ["", _text(lg, "cv_contributors")]
            out += [f"- {rule}{colon}{line}" for rule, line in contributors]
    if report.sections:
        out += ["", _text(lg, "sections"), sections_table(report, lang=lg, fmt=fmt, wrap=wrap)]
    if detail:
        rows = detail_rows(report, lang=lg)
        if rows:
            out += ["", _text(lg, "detail"), detail_table(report, lang=lg, fmt=fmt, wrap=wrap)]
        if details_rows(report, lang=lg):
            out += ["", _text(lg, "details"), details_table(report, lang=lg, fmt=fmt, wrap=wrap)]
    out += ["", overall_line(report, lang=lg)]
    if problems or data_summary:
        count = _text(lg, "count").format(n=len(problems))
        out += [
            "",
            f"{_text(lg, 'problems')}（{count}）"
            if lg == "zh"
            else f"{_text(lg, 'problems')} ({count})",
        ]
        if data_summary:
            out.append(data_summary)
        if problems:
            out.append(problems_table(problems, lang=lg, fmt=fmt, wrap=wrap))
    else:
        out += ["", _text(lg, "no_problems")]
    if report.warnings:
        out += ["", _text(lg, "warnings")] + [f"- {w}" for w in report.warnings]
    if report.provisional_values:
        out += ["", _text(lg, "provisional_values")]
        out += [f"- {v}" for v in report.provisional_values]
    return "\n".join(out) + "\n"
