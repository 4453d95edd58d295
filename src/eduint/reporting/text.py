"""The report as text: the document's sections, tables drawn in display cells.

Tables are drawn by :mod:`eduint.reporting.layout` (CJK characters count two cells;
nothing of tabulate's module state is read or changed).  ``width`` fits every table to
a terminal (the CLI passes the terminal's width, 100 when output is not a terminal);
``wrap`` wraps cells wider than a given width instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from eduint.engine.results import Report
from eduint.reporting.build import DataProblemLike, LoadLike, build_document
from eduint.reporting.document import (
    Document,
    Lines,
    Para,
    Section,
    Table,
    cell_text,
)
from eduint.reporting.layout import draw_table
from eduint.reporting.messages import Lang
from eduint.reporting.words import check_lang

__all__ = ["document_text", "table_text", "text_report"]


def table_text(
    table: Table,
    lang: Lang,
    *,
    fmt: str = "simple",
    width: int | None = None,
    wrap: int | None = None,
) -> str:
    """One table of a document as text, without the columns text leaves out
    (:attr:`Table.text_omits`).

    Raises:
        ValueError: unknown ``fmt``, or ``width``/``wrap`` below 1.
    """
    keep = [i for i, c in enumerate(table.columns) if c.key not in table.text_omits]
    headers = [cell_text(table.columns[i].header, lang) for i in keep]
    rows = [[cell_text(row[i], lang) for i in keep] for row in table.rows]
    return draw_table(headers, rows, fmt=fmt, width=width, wrap=wrap)


def _section_text(
    section: Section, lang: Lang, fmt: str, width: int | None, wrap: int | None
) -> list[str]:
    out: list[str] = []
    if section.title is not None:
        out.append(cell_text(section.title, lang))
    for block in section.blocks:
        if isinstance(block, Table):
            out.append(table_text(block, lang, fmt=fmt, width=width, wrap=wrap))
        elif isinstance(block, Lines):
            out += [f"- {cell_text(c, lang)}" for c in block.items]
        elif isinstance(block, Para):
            out.append(cell_text(block.cell, lang))
    return out


def document_text(
    doc: Document,
    *,
    lang: str = "zh",
    fmt: str = "simple",
    detail: bool = False,
    width: int | None = None,
    wrap: int | None = None,
) -> str:
    """A document as text: title, county line, then every section but the provenance
    (and the detail and computation notes only with ``detail``), a blank line between.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``, or ``width``/``wrap`` below 1.
    """
    lg = check_lang(lang)
    out = [cell_text(doc.title, lg), cell_text(doc.subtitle, lg)]
    for section in doc.sections:
        if section.key == "provenance" or (section.detail and not detail):
            continue
        out.append("")
        out += _section_text(section, lg, fmt, width, wrap)
    return "\n".join(out) + "\n"


def text_report(
    report: Report,
    *,
    lang: str = "zh",
    fmt: str = "simple",
    problems: Sequence[DataProblemLike] = (),
    load: LoadLike | None = None,
    detail: bool = False,
    width: int | None = None,
    wrap: int | None = None,
) -> str:
    """The report as text (its :func:`~eduint.reporting.build.build_document` document).

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.
        fmt: ``simple``, ``plain``, ``github`` or ``grid`` tables.
        problems: the data problems of the run (every one is listed).
        load: the load accounting (rows read, used, rejected), or ``None``.
        detail: also show the entities not met, the missing figures and the
            computation notes.
        width: fit tables to this many display cells (``None``: never wrap).
        wrap: wrap table cells wider than this many display cells instead.

    Returns:
        The text, ending in a newline.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    doc = build_document(report, problems=problems, load=load)
    return document_text(doc, lang=lang, fmt=fmt, detail=detail, width=width, wrap=wrap)
