"""Render a :class:`~eduint.engine.results.Report`: text, HTML, JSON, CSV and XLSX.

One document behind every format: :func:`build_document` turns a report (with the run's
provenance and load accounting) into a language-neutral
:class:`~eduint.reporting.document.Document` once — tables of typed cells (numbers
with units and the places to print, comparisons, outcomes, flags, coded reasons,
entities) — and each format draws it in the language asked.  Every word comes from the
message catalogue (:mod:`eduint.reporting.messages`, Chinese and English side by
side); numbers are formatted in :mod:`eduint.reporting.numbers` only.

==================  ==========================================================
``messages``        the catalogue: every header, title, line and reason code
``words``           catalogue entries and entity/field/setting names as text
``numbers``         decimals, units, 约, ranges, verdict-preserving places
``document``        the document model and :func:`~eduint.reporting.document.cell_text`
``build``           :func:`build_document` (with ``_cells`` and ``_tables``)
``layout``          text tables in display cells (wcwidth), wrapping, fitting a width
``text``            :func:`text_report`, :func:`document_text`
``html``            :func:`html_report` (a Jinja2 template, ``templates/report.html``)
``jsonfmt``         :func:`to_json`, :func:`dump_json`, :func:`write_json` (report version 2)
``schema``          :func:`report_json_schema`, derived from the result classes
``csvfmt``          :func:`write_csv`
``xlsx``            :func:`write_xlsx` (openpyxl imported when writing)
``provenance``      :class:`Provenance`
==================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Sequence

from eduint.engine.results import Report
from eduint.reporting.build import (
    LISTED_PER_CODE,
    DataProblemLike,
    LoadLike,
    build_document,
    overall_cell,
)
from eduint.reporting.csvfmt import write_csv
from eduint.reporting.document import Document, Lines, Table, cell_text
from eduint.reporting.html import html_report
from eduint.reporting.jsonfmt import (
    REPORT_SCHEMA_ID,
    REPORT_VERSION,
    dump_json,
    to_json,
    write_json,
)
from eduint.reporting.layout import TABLE_FORMATS, display_width, draw_table
from eduint.reporting.messages import Lang
from eduint.reporting.provenance import Provenance
from eduint.reporting.schema import report_json_schema
from eduint.reporting.text import document_text, table_text, text_report
from eduint.reporting.words import check_lang, outcome_word, reason_text, say, template_words
from eduint.reporting.xlsx import write_xlsx

__all__ = [
    "REPORT_SCHEMA_ID",
    "REPORT_VERSION",
    "SECTION_KEYS",
    "TABLE_FORMATS",
    "DataProblemLike",
    "Document",
    "Lang",
    "LoadLike",
    "Provenance",
    "build_document",
    "LISTED_PER_CODE",
    "check_lang",
    "display_width",
    "document_text",
    "dump_json",
    "html_report",
    "outcome_word",
    "overall_line",
    "reason_text",
    "report_json_schema",
    "say",
    "section_rows",
    "table",
    "table_text",
    "template_words",
    "text_report",
    "to_json",
    "write_json",
    "write_csv",
    "write_xlsx",
]


def overall_line(report: Report, *, lang: str = "zh") -> str:
    """One line with the overall verdict and what it is about.

    Example: ``总体结论：未达到（示例县；tiny_report 0.1；截至 2019-09-01，数据注明）``.

    Raises:
        ValueError: unknown ``lang``.
    """
    return cell_text(overall_cell(report), check_lang(lang))


def table(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    *,
    fmt: str = "simple",
    width: int | None = None,
) -> str:
    """Any rows of text as a table, drawn the way the reports draw theirs (display
    widths, CJK characters two cells), fitted to ``width`` display cells when given.

    Raises:
        ValueError: unknown ``fmt``.
    """
    return draw_table(headers, rows, fmt=fmt, width=width)


SECTION_KEYS = frozenset(
    {
        "summary",
        "entities",
        "cv",
        "cv_contributors",
        "sections",
        "detail",
        "notes",
        "notices",
        "dispositions",
        "layering",
        "overall",
        "problems",
        "warnings",
        "provisional",
        "overrides",
        "provenance",
    }
)
"""The section keys a document may have (:class:`~eduint.reporting.document.Section`)."""


def section_rows(doc: Document, key: str, *, lang: str = "zh") -> list[dict[str, str]]:
    """The rows of the sections ``key`` as text: each table row a dict keyed by the
    headers in ``lang`` (``summary``, ``detail``, ``cv`` …; see
    :mod:`eduint.reporting.build`), and each line of a list or paragraph (``overall``,
    ``warnings``, ``provisional`` …) a dict with the one key ``h.text`` words (内容 /
    text).  A section the document does not have gives ``[]``.

    Raises:
        ValueError: unknown ``lang``, or ``key`` is no section key (:data:`SECTION_KEYS`).
    """
    lg = check_lang(lang)
    if key not in SECTION_KEYS:
        raise ValueError(
            f"unknown section key {key!r}; expected one of {', '.join(sorted(SECTION_KEYS))}"
        )
    text_key = say("h.text", lg)
    out: list[dict[str, str]] = []
    for section in doc.sections:
        if section.key != key:
            continue
        for block in section.blocks:
            if isinstance(block, Table):
                heads = [cell_text(c.header, lg) for c in block.columns]
                out += [
                    dict(zip(heads, (cell_text(c, lg) for c in row), strict=True))
                    for row in block.rows
                ]
            elif isinstance(block, Lines):
                out += [{text_key: cell_text(c, lg)} for c in block.items]
            else:
                out.append({text_key: cell_text(block.cell, lg)})
    return out
