"""The report as text: the document's sections, tables drawn in display cells.

Tables are drawn by :mod:`eduint.reporting.layout` (CJK characters count two cells;
nothing of tabulate's module state is read or changed).  ``width`` fits every table to
a terminal (the CLI passes the terminal's width, 100 when output is not a terminal);
``wrap`` wraps cells wider than a given width instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from eduint.engine.results import Report
from eduint.reporting._defaults import LISTED_PER_CODE
from eduint.reporting.document import (
    Answer,
    Bound,
    Document,
    Entity,
    Lines,
    Num,
    Para,
    Relation,
    Say,
    Section,
    Table,
    Verdict,
    cell_text,
)
from eduint.reporting.layout import display_width, draw_table
from eduint.reporting.messages import Lang
from eduint.reporting.numbers import APPROX_MARKS, number_text, unit_suffix
from eduint.reporting.words import check_lang, say

if TYPE_CHECKING:
    from eduint.reporting.build import DataProblemLike, LoadLike

__all__ = ["document_text", "section_text", "table_text", "text_report"]


_UNBROKEN = (Num, Bound, Verdict, Answer, Say, Relation)
_TEXT_FLOOR = 16
_ENTITY_FLOOR = 12
_SHORT = 16
_PROSE = frozenset({"requirement", "title", "problem", "note", "reason", "change"})


def _column(table: Table, i: int, lang: Lang) -> tuple[str, list[str], int, int]:
    """A column's header and cells as text, and its floor when fitting a width.

    A column whose numbers are all in one unit shows the unit once, under its header
    (``高学历教师`` / ``（人/百人）``), and its numbers bare.  Columns of numbers,
    thresholds, outcomes and short words are never wrapped (their floor is their width);
    entity names wrap below 12 cells, other text below 16, and both further (down to 6)
    only when a table does not fit otherwise.
    """
    cells = [row[i] for row in table.rows]
    header = cell_text(table.columns[i].header, lang)
    present = [c for c in cells if c is not None]
    nums = [c for c in present if isinstance(c, Num)]
    units = {unit_suffix(c.unit).strip() for c in nums}
    others = [c for c in present if not isinstance(c, Num)]
    missing_only = all(isinstance(c, Say) and c.key == "no_data_value" for c in others)
    if nums and missing_only and len(units) == 1 and "" not in units:
        header = say("h.with_unit", lang, header=header, unit=units.pop())
        texts = [
            number_text(c.value, c.unit, c.places, suffix=False, approx=APPROX_MARKS[lang])
            if isinstance(c, Num)
            else cell_text(c, lang)
            for c in cells
        ]
    else:
        texts = [cell_text(c, lang) for c in cells]
    widest = max([display_width(t) for t in texts], default=0)
    if all(isinstance(c, _UNBROKEN) for c in present) and widest <= _SHORT:
        return header, texts, max(widest, 6), max(widest, 6)
    if table.columns[i].key == "item" and widest <= 2 * _SHORT:
        return header, texts, widest, _TEXT_FLOOR  # an item's label stays whole if it can
    if present and all(isinstance(c, Entity) for c in present):
        return header, texts, _ENTITY_FLOOR, 6
    return header, texts, _TEXT_FLOOR, 6


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
    columns = [_column(table, i, lang) for i in keep]
    headers = [c[0] for c in columns]
    rows = [list(r) for r in zip(*(c[1] for c in columns), strict=True)]
    floors = [c[2] for c in columns]
    hard = [c[3] for c in columns]
    # prose (a requirement, a problem, a note) keeps twice the cells of other columns
    weights = [2 if table.columns[k].key in _PROSE else 1 for k in keep]
    return draw_table(
        headers,
        rows,
        fmt=fmt,
        width=width,
        wrap=wrap,
        floors=floors,
        hard_floors=hard,
        weights=weights,
    )


def section_text(
    section: Section,
    lang: Lang,
    *,
    fmt: str = "simple",
    width: int | None = None,
    wrap: int | None = None,
) -> list[str]:
    """One section of a document as lines of text: its title, then its tables, lists
    (``- …``) and paragraphs."""
    out: list[str] = []
    if section.title is not None:
        out.append(cell_text(section.title, lang))
    for block in section.blocks:
        if isinstance(block, Table):
            if block.rows:  # an empty table (no data problems) is said, not drawn
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
        out += section_text(section, lg, fmt=fmt, width=width, wrap=wrap)
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
    problems_per_code: int | None = LISTED_PER_CODE,
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
        problems_per_code: list at most this many data problems of each code and count
            the rest (``None``: every one).

    Returns:
        The text, ending in a newline.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    # the builder only here: the CLI's data-problem table (section_text) needs none of it
    from eduint.reporting.build import build_document

    doc = build_document(
        report, problems=problems, load=load, per_code=problems_per_code, detail=detail
    )
    return document_text(doc, lang=lang, fmt=fmt, detail=detail, width=width, wrap=wrap)
