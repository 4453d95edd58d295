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
``svg``/``charts``  the HTML page's inline SVG charts: how they are drawn, which ones
``notebook``        ``_repr_html_`` of reports and many-county results (a registered hook)
``jsonfmt``         :func:`to_json`, :func:`dump_json`, :func:`write_json` (report version 2)
``schema``          :func:`report_json_schema`, derived from the result classes
``csvfmt``          :func:`write_csv`
``xlsx``            :func:`write_xlsx` (openpyxl imported when writing)
``wordfmt``         ``write_docx``: the Word 自查报告 draft (python-docx, an optional extra)
``provenance``      :class:`Provenance`
==================  ==========================================================
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from eduint.reporting._defaults import LISTED_PER_CODE as LISTED_PER_CODE

if TYPE_CHECKING:
    from eduint.engine.results import Report
    from eduint.reporting.build import DataProblemLike as DataProblemLike
    from eduint.reporting.build import LoadLike as LoadLike
    from eduint.reporting.build import build_document as build_document
    from eduint.reporting.build import overall_cell as overall_cell
    from eduint.reporting.csvfmt import write_csv as write_csv
    from eduint.reporting.document import Document as Document
    from eduint.reporting.document import Lines as Lines
    from eduint.reporting.document import Table as Table
    from eduint.reporting.document import cell_text as cell_text
    from eduint.reporting.html import html_report as html_report
    from eduint.reporting.jsonfmt import REPORT_SCHEMA_ID as REPORT_SCHEMA_ID
    from eduint.reporting.jsonfmt import REPORT_VERSION as REPORT_VERSION
    from eduint.reporting.jsonfmt import dump_json as dump_json
    from eduint.reporting.jsonfmt import to_json as to_json
    from eduint.reporting.jsonfmt import write_json as write_json
    from eduint.reporting.layout import TABLE_FORMATS as TABLE_FORMATS
    from eduint.reporting.layout import display_width as display_width
    from eduint.reporting.layout import draw_table as draw_table
    from eduint.reporting.messages import Lang as Lang
    from eduint.reporting.provenance import Provenance as Provenance
    from eduint.reporting.schema import report_json_schema as report_json_schema
    from eduint.reporting.text import document_text as document_text
    from eduint.reporting.text import table_text as table_text
    from eduint.reporting.text import text_report as text_report
    from eduint.reporting.words import check_lang as check_lang
    from eduint.reporting.words import outcome_word as outcome_word
    from eduint.reporting.words import reason_text as reason_text
    from eduint.reporting.words import say as say
    from eduint.reporting.words import template_words as template_words
    from eduint.reporting.xlsx import write_xlsx as write_xlsx

# Public name -> the module that defines it, imported on first use (PEP 562), so that a
# run writing text never imports the JSON, HTML (Jinja2), CSV or XLSX writers, and
# ``import eduint.cli`` imports none of them (docs/performance.md, "Start-up").
_LAZY: dict[str, str] = {
    "DataProblemLike": "eduint.reporting.build",
    "Document": "eduint.reporting.document",
    "Lang": "eduint.reporting.messages",
    "Lines": "eduint.reporting.document",
    "LoadLike": "eduint.reporting.build",
    "Provenance": "eduint.reporting.provenance",
    "REPORT_SCHEMA_ID": "eduint.reporting.jsonfmt",
    "REPORT_VERSION": "eduint.reporting.jsonfmt",
    "TABLE_FORMATS": "eduint.reporting.layout",
    "Table": "eduint.reporting.document",
    "build_document": "eduint.reporting.build",
    "cell_text": "eduint.reporting.document",
    "check_lang": "eduint.reporting.words",
    "display_width": "eduint.reporting.layout",
    "document_text": "eduint.reporting.text",
    "draw_table": "eduint.reporting.layout",
    "dump_json": "eduint.reporting.jsonfmt",
    "html_report": "eduint.reporting.html",
    "outcome_word": "eduint.reporting.words",
    "overall_cell": "eduint.reporting.build",
    "reason_text": "eduint.reporting.words",
    "report_json_schema": "eduint.reporting.schema",
    "say": "eduint.reporting.words",
    "table_text": "eduint.reporting.text",
    "template_words": "eduint.reporting.words",
    "text_report": "eduint.reporting.text",
    "to_json": "eduint.reporting.jsonfmt",
    "write_csv": "eduint.reporting.csvfmt",
    "write_json": "eduint.reporting.jsonfmt",
    "write_xlsx": "eduint.reporting.xlsx",
}


def __getattr__(name: str) -> object:
    """Import a public name on first use and keep it in the module (PEP 562).

    Raises:
        AttributeError: ``name`` is not one of the names of :data:`__all__`.
    """
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'eduint.reporting' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next access is an ordinary attribute
    return value


def __dir__() -> list[str]:
    """The module's names, the public ones included before they are imported."""
    return sorted(set(globals()) | set(_LAZY))


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
    from eduint.reporting.build import overall_cell
    from eduint.reporting.document import cell_text
    from eduint.reporting.words import check_lang

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
    from eduint.reporting.layout import draw_table

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
    from eduint.reporting.document import Lines, Table, cell_text
    from eduint.reporting.words import check_lang, say

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
