"""The summary as CSV (numbers as plain numbers, units in columns of their own), with the
schools left out, merged or split and the provenance beside it.

The CSV holds the document's summary table; every entity the population pass left out,
merged or split is in a second CSV beside it (``report.dispositions.csv``), with its
reason; the overrides of the run in another (``report.overrides.csv``); for a rule set
that extends another, its changes in another (``report.layering.csv``); the rows read,
used and rejected, the data problems and the notices of the load, the warnings and the
provisional values used in another (``report.data.csv``, always written).  The 项目
column holds the plain id; a part names its item in the next column (所属条目).  A column holding numbers (the value, the
threshold) writes each number as a plain decimal, with exactly the places the text
shows, and is followed by a unit column (``数值单位``) and, for thresholds, a comparator
column (``标准比较符``); a cell that is not a number (``8个对象：达到5，未达到2``) stays
text in the number column.  A range (``30多``) is written ``30–39``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

from eduint.core.values import Interval
from eduint.engine.results import Report
from eduint.reporting._safe import spreadsheet_safe
from eduint.reporting._tables import _PROBLEMS
from eduint.reporting.build import DataProblemLike, LoadLike, build_document
from eduint.reporting.document import (
    Bound,
    Cell,
    Document,
    Lines,
    Para,
    Table,
    cell_number,
    cell_text,
    say_cell,
)
from eduint.reporting.messages import Lang
from eduint.reporting.numbers import number_text, shown_unit
from eduint.reporting.provenance import Provenance
from eduint.reporting.words import check_lang

__all__ = ["csv_rows", "data_rows", "section_rows_text", "write_csv"]


def _csv_safe(value: str) -> str:
    """A CSV cell that spreadsheet programs never run as a formula
    (:func:`eduint.reporting._safe.spreadsheet_safe`)."""
    return spreadsheet_safe(value)


def csv_rows(table: Table, lang: Lang) -> tuple[list[str], list[list[str]]]:
    """A table's headers and rows for CSV: number columns split into number, unit and
    (for thresholds) comparator columns (see the module docstring)."""
    headers: list[str] = []
    columns: list[list[str]] = []
    for i, col in enumerate(table.columns):
        cells: list[Cell] = [row[i] for row in table.rows]
        head = cell_text(col.header, lang)
        if col.key == "item":
            # the text indents a part under its item; CSV writes the plain id and the
            # item it belongs to in a column of its own
            ids, parents, current = [], [], ""
            for c in cells:
                text = cell_text(c, lang)
                part = text.startswith(" ")
                current = current if part else text
                ids.append(text.strip())
                parents.append(current if part else "")
            headers += [head, cell_text(say_cell("h.part_of"), lang)]
            columns += [ids, parents]
            continue
        nums = [cell_number(c) for c in cells]
        if not any(n is not None for n in nums):
            headers.append(head)
            columns.append([cell_text(c, lang) for c in cells])
            continue
        shown, units, ops = [], [], []
        for c, n in zip(cells, nums, strict=True):
            if n is None:
                shown.append(cell_text(c, lang))
                units.append("")
            else:
                value = n.value
                plain = number_text(value, n.unit, n.places, suffix=False)
                shown.append(
                    plain if not (isinstance(value, Interval) and value.approx) else plain[1:]
                )
                unit = str(shown_unit(n.unit))
                units.append("" if unit == "1" else unit)
            ops.append(c.op if isinstance(c, Bound) else "")
        headers += [head, cell_text(say_cell("h.unit", header=head), lang)]
        columns += [shown, units]
        if any(ops):
            headers.append(cell_text(say_cell("h.op", header=head), lang))
            columns.append(ops)
    rows = [list(r) for r in zip(*columns, strict=True)] if columns else []
    return headers, rows


def _write(path: Path, headers: list[str], rows: list[list[str]]) -> None:
    """One CSV file, UTF-8 with a byte-order mark; no cell runs as a formula."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([_csv_safe(h) for h in headers])
        writer.writerows([_csv_safe(v) for v in row] for row in rows)


def data_rows(
    doc: Document, lang: Lang, load: LoadLike | None = None
) -> tuple[list[str], list[list[str]]]:
    """The load as one CSV table: a kind column (读取行数/采用行数/拒绝行数, 问题, 说明,
    警告, 暂定值) before the problem table's columns; first the rows read, used and
    rejected (the number in the value column, when counted), then every data problem and
    notice of the document, then each warning and provisional value used (its text in
    the last column).  Headers only when there is nothing to list."""
    tables = [(k, t) for k in ("problem", "notice") for t in doc.tables(f"{k}s")]
    columns = tables[0][1].columns if tables else _PROBLEMS
    head = [cell_text(say_cell("h.kind"), lang), *(cell_text(c.header, lang) for c in columns)]
    value_at = 1 + [c.key for c in columns].index("value")
    text_at = len(head) - 1  # the problem / note column
    rows: list[list[str]] = []
    for key in ("rows_read", "rows_used", "rows_rejected"):
        n = getattr(load, key, None) if load is not None else None
        if n is not None:
            row = [""] * len(head)
            row[0], row[value_at] = cell_text(say_cell(f"data.{key}"), lang), str(n)
            rows.append(row)
    for kind, table in tables:
        word = cell_text(say_cell(f"data.{kind}"), lang)
        rows += [[word, *(cell_text(c, lang) for c in r)] for r in table.rows]
    # the run's warnings and the provisional values it used, one line each
    for key in ("warnings", "provisional"):
        word = cell_text(say_cell(f"data.{key}"), lang)
        for line in section_rows_text(doc, key, lang):
            row = [""] * len(head)
            row[0], row[text_at] = word, line
            rows.append(row)
    return head, rows


def section_rows_text(doc: Document, key: str, lang: Lang) -> list[str]:
    """The lines of the list and paragraph sections ``key``, as text."""
    out: list[str] = []
    for section in doc.sections:
        if section.key == key:
            for block in section.blocks:
                if isinstance(block, Lines):
                    out += [cell_text(c, lang) for c in block.items]
                elif isinstance(block, Para):
                    out.append(cell_text(block.cell, lang))
    return out


def write_csv(
    report: Report,
    path: str | Path,
    *,
    lang: str = "zh",
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] = (),
    load: LoadLike | None = None,
) -> tuple[Path, ...]:
    """Write the summary as CSV, UTF-8 with a byte-order mark (Excel opens it as UTF-8).

    When the report has dispositions (schools left out, merged or split), they are
    written beside it to ``path.with_suffix(".dispositions.csv")``; the overrides of the
    run (``--set``) to ``path.with_suffix(".overrides.csv")``; the changes of a rule set
    that extends another to ``path.with_suffix(".layering.csv")``; the rows counted, the
    data problems, notices, warnings and provisional values used always go to
    ``path.with_suffix(".data.csv")`` (:func:`data_rows`; headers only when there is
    none); when ``provenance`` is given, it is written beside the CSV as
    JSON, to ``path.with_suffix(".provenance.json")`` (``report.csv`` →
    ``report.provenance.json``).

    Args:
        report: the evaluated report.
        path: the CSV file to write (replaced if it exists).
        lang: ``"zh"`` or ``"en"`` headers and words.
        provenance: where the report came from.
        problems: the data problems of the run.
        load: the load accounting (rows read, used, rejected) and its notices.

    Returns:
        The files written: the CSV, then the dispositions, overrides, layering, data and
        provenance files if any.

    Raises:
        OSError: a file cannot be written.
        ValueError: unknown ``lang``.
    """
    lg = check_lang(lang)
    target = Path(path)
    doc = build_document(report, provenance=provenance, problems=problems, load=load)
    written = [target]
    _write(target, *csv_rows(doc.tables("summary")[0], lg))
    dispositions = doc.tables("dispositions")
    if dispositions:
        side = target.with_suffix(".dispositions.csv")
        _write(side, *csv_rows(dispositions[0], lg))
        written.append(side)
    overrides = doc.tables("overrides")
    if overrides:
        side = target.with_suffix(".overrides.csv")
        _write(side, *csv_rows(overrides[0], lg))
        written.append(side)
    layering = doc.tables("layering")
    if layering:
        side = target.with_suffix(".layering.csv")
        _write(side, *csv_rows(layering[0], lg))
        written.append(side)
    side = target.with_suffix(".data.csv")  # always: the rows counted, or none
    _write(side, *data_rows(doc, lg, load))
    written.append(side)
    if provenance is not None:
        side = target.with_suffix(".provenance.json")
        side.write_text(
            json.dumps(provenance.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written.append(side)
    return tuple(written)
