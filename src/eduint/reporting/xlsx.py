"""The report as an Excel workbook: numbers as numbers, byte-stable (openpyxl, imported when writing).

One sheet per section of the document that has one (汇总, 学校指标, 差异系数, 章节,
明细, 计算说明, 未计入与拆分, 数据问题, 来源; English names with ``lang="en"``).  A number
is a numeric cell whose number format carries its unit, its comparator and exactly the
decimal places the text shows (``0.000" 人/百人"``, ``">= "0" 人"``; a per cent figure is
stored as a fraction with a ``%`` format, as spreadsheets do), so it sorts and sums;
an approximate figure is its number with ``约`` in the format; a range (``30多``) is a
text cell (``30–39 人``) marked as a range by a cell comment giving its ends.  Every
sheet has a bold, frozen header row with a filter and columns sized in display cells.
The file's bytes depend on the report only: the document's timestamps and the zip
entries' dates are fixed (``SOURCE_DATE_EPOCH`` when set, else 1980-01-01).
"""

from __future__ import annotations

import datetime
import io
import os
import re
import zipfile
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from eduint.core.values import Interval
from eduint.engine.results import Report
from eduint.reporting._safe import formula_like
from eduint.reporting.build import DataProblemLike, LoadLike, build_document
from eduint.reporting.document import (
    Cell,
    Document,
    Lines,
    Num,
    Para,
    Section,
    Table,
    cell_number,
    cell_text,
    say_cell,
)
from eduint.reporting.layout import display_width
from eduint.reporting.messages import Lang
from eduint.reporting.numbers import APPROX_MARKS, in_unit, number_text, places_shown, shown_unit
from eduint.reporting.provenance import Provenance
from eduint.reporting.words import check_lang, say

__all__ = ["document_xlsx", "fixed_timestamp", "write_xlsx"]

_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_WIDTH = 60


def fixed_timestamp() -> datetime.datetime:
    """The timestamp written into files: ``SOURCE_DATE_EPOCH`` (UTC) when set and valid,
    else 1980-01-01 00:00 (the earliest date a zip entry can carry)."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    try:
        seconds = int(raw)
    except ValueError:
        seconds = None
    if seconds is not None and seconds >= 315532800:  # 1980-01-01
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc).replace(
            tzinfo=None
        )
    return datetime.datetime(1980, 1, 1)


def _format(num: Num, op: str | None, lang: Lang) -> tuple[float | int, str]:
    """A number cell's value and number format (unit, comparator, places)."""
    unit = shown_unit(num.unit)
    value = num.value
    lo = value.lo if isinstance(value, Interval) else value
    if isinstance(value, Interval) and value.bracket:
        lo = (Fraction(value.lo) + Fraction(value.hi)) / 2
    text = str(unit)
    percent = text == "%"
    x = lo if percent else in_unit(lo, unit)
    shown = in_unit(lo, unit)
    places = places_shown(shown, num.places)
    fmt = "0" + ("." + "0" * places if places else "")
    if percent:
        fmt += "%"
    elif text and text != "1":
        fmt += f'"{"" if text == "‰" else " "}{text}"'
    prefix = (op + " " if op else "") + (
        APPROX_MARKS[lang] if isinstance(value, Interval) and value.approx else ""
    )
    if prefix:
        fmt = f'"{prefix}"' + fmt
    number = x if isinstance(x, int) else x.numerator / x.denominator
    return number, fmt


def _write_cell(ws: Any, row: int, col: int, cell: Cell, lang: Lang) -> str:
    """Write one cell; return its text (for the column width)."""
    from openpyxl.comments import Comment

    num = cell_number(cell)
    target = ws.cell(row=row, column=col)
    value = num.value if num is not None else None
    if num is not None and not (
        isinstance(value, Interval) and value.lo != value.hi and not value.bracket
    ):
        op = getattr(cell, "op", None) if num is not cell else None
        target.value, target.number_format = _format(num, op, lang)
        return cell_text(cell, lang)
    text = _XLSX_ILLEGAL.sub("", cell_text(cell, lang))
    _set_text(target, text)
    if num is not None and isinstance(value, Interval):
        lo = number_text(Interval(value.lo, value.lo), num.unit, num.places, suffix=False)
        hi = number_text(Interval(value.hi, value.hi), num.unit, num.places, suffix=False)
        target.comment = Comment(say("range_note", lang, low=lo, high=hi), "eduint")
    return text


def _set_text(target: Any, text: str) -> None:
    """A text cell that is never a formula, whatever it starts with: stored as a string,
    and a formula-like one (``-1 =cmd|' /C calc'!A0``) marked with the quote prefix so a
    spreadsheet program keeps it text when the cell is edited
    (:mod:`eduint.reporting._safe`)."""
    target.value = text
    target.data_type = "s"
    if formula_like(text):
        target.quotePrefix = True


def _fill(ws: Any, headers: Sequence[str], rows: Sequence[Sequence[Cell]], lang: Lang) -> None:
    """A header row (bold, frozen, with a filter) and the rows; columns sized to their
    text in display cells, long ones wrapped."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    texts: list[list[str]] = [list(headers)]
    for c, h in enumerate(headers, start=1):
        head = ws.cell(row=1, column=c)
        _set_text(head, _XLSX_ILLEGAL.sub("", h))
        head.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        texts.append([_write_cell(ws, r, c, cell, lang) for c, cell in enumerate(row, start=1)])
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    for c in range(1, len(headers) + 1):
        width = max(display_width(t[c - 1]) for t in texts) + 2
        ws.column_dimensions[get_column_letter(c)].width = min(max(width, 6), _MAX_WIDTH)
        if width > _MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=2, min_col=c, max_col=c):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name)[:28] or "sheet"
    shown, n = base, 2
    while shown in taken:
        shown, n = f"{base} {n}", n + 1
    taken.add(shown)
    return shown


def _extra_rows(doc: Document) -> list[tuple[Cell, Cell]]:
    """The lines and paragraphs no sheet shows, as key/value rows for the provenance
    sheet: the sections without a sheet, and the paragraphs beside a sheet's table (the
    rows read, used and rejected; why every CV is 缺少数据)."""
    rows: list[tuple[Cell, Cell]] = []
    none = say_cell("t.no_problems")
    for s in doc.sections:
        if s.key in ("overall", "cv_contributors"):
            continue  # the overall verdict is a fact already; contributors have a column
        if s.sheet is not None:
            rows += [(s.sheet, b.cell) for b in s.blocks if isinstance(b, Para) and b.cell != none]
            continue
        for b in s.blocks:
            if isinstance(b, Lines):
                rows += [(s.title, item) for item in b.items]
            elif isinstance(b, Para):
                rows.append((s.title, b.cell))
            elif isinstance(b, Table):
                rows += [(s.title, say_cell("named_value", name=r[0], value=r[-1])) for r in b.rows]
    return rows


def document_xlsx(doc: Document, *, lang: str = "zh") -> bytes:
    """A document as the bytes of an XLSX workbook (see the module docstring).

    Raises:
        ValueError: unknown ``lang``.
    """
    from openpyxl import Workbook

    lg = check_lang(lang)
    wb = Workbook()
    first = wb.active
    assert first is not None  # a new workbook has one sheet
    taken: set[str] = set()
    sheets: list[tuple[Section, Table]] = [
        (s, b)
        for s in doc.sections
        if s.sheet is not None
        for b in s.blocks
        if isinstance(b, Table)
    ]
    for n, (section, table) in enumerate(sheets):
        ws = first if n == 0 else wb.create_sheet()
        ws.title = _sheet_name(cell_text(section.sheet, lg), taken)
        rows = list(table.rows)
        if section.key == "provenance":
            rows += _extra_rows(doc)
        _fill(ws, [cell_text(c.header, lg) for c in table.columns], rows, lg)
    stamp = fixed_timestamp()
    wb.properties.created = wb.properties.modified = stamp
    return _stable_zip(wb, stamp)


def _stable_zip(wb: Any, stamp: datetime.datetime) -> bytes:
    """The workbook's bytes with every zip entry dated ``stamp`` (openpyxl dates them now)."""
    from openpyxl.writer.excel import ExcelWriter

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    date = stamp.timetuple()[:6]
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_xlsx(
    report: Report,
    path: str | Path,
    *,
    lang: str = "zh",
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] = (),
    load: LoadLike | None = None,
) -> Path:
    """Write the report as an Excel workbook (see the module docstring).

    Args:
        report: the evaluated report.
        path: the ``.xlsx`` file to write (replaced if it exists).
        lang: ``"zh"`` or ``"en"``.
        provenance: where the report came from.
        problems: the data problems.
        load: the load accounting.

    Returns:
        The path written.

    Raises:
        OSError: the file cannot be written.
        ValueError: unknown ``lang``.
    """
    doc = build_document(report, provenance=provenance, problems=problems, load=load)
    target = Path(path)
    target.write_bytes(document_xlsx(doc, lang=lang))
    return target
