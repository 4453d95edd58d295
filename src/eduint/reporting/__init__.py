"""Render a :class:`~eduint.engine.results.Report`: text tables, HTML, JSON, CSV and XLSX.

Pure formatting: nothing here evaluates a rule or recomputes a figure.  Every cell
comes from a field of the report (or of a data problem, or of the provenance); the
one thing done here beyond copying is *counting*: entity outcomes for the summary
of an item evaluated over several schools or segments, and the ``at_least``
conditions an entity meets (its :attr:`~eduint.engine.results.EntityResult.checks`) for
the 达到项数 of the school table.

Tables (:func:`summary_table`, :func:`sections_table`, :func:`detail_table`,
:func:`problems_table`) go through tabulate with every cell as text
(``disable_numparse``, so ``2.10`` stays ``2.10``) and leading whitespace kept
(parts are indented under their item: ``  12.1``).  Column widths are measured in
display cells with wcwidth, so Chinese text lines up in a terminal, whatever a
caller has done to :data:`tabulate.WIDE_CHARS_MODE` (see :mod:`eduint.reporting.text`).
In ``html`` every value is escaped (``<`` appears as ``&lt;``).

Columns of the summary (:func:`summary_rows`), Chinese/English header:

========  ================  ==========================================================
章节      section           the section (and block) labels the item is in
项目      item              the item id; parts are indented under their item
要求      requirement       the item's title (``title_en`` in English where given)
自评      self-assessment   the county's own word (``试行`` stays ``试行``)
核算      computed          the outcome the county's figures support
结论      verdict           the headline: 核算 where the data decides, else 自评
数值      value             the value compared (or the count of entity outcomes)
标准      threshold         the threshold in force
依据      source            the citations
标记      flags             暂定, 自评与核算不一致, 约数, 临界, 仅报告
========  ================  ==========================================================

Beside the summary, rules of some shapes get tables of their own (pure formatting
too): :func:`entity_tables` for a rule whose entities carry per-entity ``report``
values (the 7 indicators of each school segment: values, the count of
``at_least`` conditions met from :attr:`EntityResult.checks`, outcome, the failed
conditions); :func:`cv_table` for the rules comparing a 差异系数 (one row per rule
and county segment: CV, limit, margin, outcome, flags), with :func:`cv_contributors`
naming the schools that weigh most in a failing or borderline one; and
:func:`details_table`, the evaluator's notes on each item (:attr:`ItemResult.details`).

``-`` in 自评 means the county gave no answer; in 核算, that no rule computes the
item; in 结论, that a report-only rule gives no verdict.

The JSON document (:func:`to_json`) is versioned (``eduint_report_version: 1``);
its JSON Schema is :func:`report_json_schema`, published as
``docs/schema/eduint-report-v1.schema.json``.

One module per format, every public name re-exported here:

==================  ==========================================================
``_common``         words and headers in both languages, flags, :class:`Provenance`,
                    :class:`DataProblemLike`, cell helpers, :func:`display_width`
``rows``            the rows of every table, format-neutral (``*_rows``,
                    :func:`overall_line`, :func:`entity_items`, :func:`cv_items`,
                    :func:`cv_contributors`)
``text``            tabulate tables (``*_table``, :func:`table`, :func:`entity_tables`)
                    and :func:`text_report`
``html``            :func:`html_report`
``jsonfmt``         :func:`to_json`, :func:`dump_json`
``schema``          :func:`report_json_schema`
``csvfmt``          :func:`write_csv`
``xlsx``            :func:`write_xlsx` (openpyxl imported only when writing)
==================  ==========================================================
"""

from __future__ import annotations

from eduint.reporting._common import (
    FLAG_LABELS,
    TABLE_FORMATS,
    DataProblemLike,
    Lang,
    Provenance,
    display_width,
)
from eduint.reporting.csvfmt import write_csv
from eduint.reporting.html import html_report
from eduint.reporting.jsonfmt import REPORT_SCHEMA_ID, REPORT_VERSION, dump_json, to_json
from eduint.reporting.rows import (
    CONTRIBUTORS_PREFIX,
    cv_contributors,
    cv_items,
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
from eduint.reporting.schema import report_json_schema
from eduint.reporting.text import (
    cv_table,
    detail_table,
    details_table,
    entity_tables,
    problems_table,
    sections_table,
    summary_table,
    table,
    text_report,
)
from eduint.reporting.xlsx import write_xlsx

__all__ = [
    "CONTRIBUTORS_PREFIX",
    "FLAG_LABELS",
    "REPORT_SCHEMA_ID",
    "REPORT_VERSION",
    "TABLE_FORMATS",
    "DataProblemLike",
    "Lang",
    "Provenance",
    "cv_contributors",
    "cv_items",
    "cv_rows",
    "cv_table",
    "detail_rows",
    "detail_table",
    "details_rows",
    "details_table",
    "display_width",
    "dump_json",
    "entity_items",
    "entity_rows",
    "entity_tables",
    "html_report",
    "overall_line",
    "problems_rows",
    "problems_table",
    "report_json_schema",
    "sections_rows",
    "sections_table",
    "summary_rows",
    "summary_table",
    "table",
    "text_report",
    "to_json",
    "write_csv",
    "write_xlsx",
]
