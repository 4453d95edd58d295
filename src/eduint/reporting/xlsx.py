"""The report as an Excel workbook (openpyxl is imported when one is written)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eduint.engine.results import Report
from eduint.reporting._common import (
    _CV_HEADERS,
    _DETAIL_HEADERS,
    _DETAILS_HEADERS,
    _PROBLEM_HEADERS,
    _SECTION_HEADERS,
    _SUMMARY_HEADERS,
    DataProblemLike,
    Lang,
    Provenance,
    _check_lang,
    _headers,
    _provenance_pairs,
    _text,
    display_width,
)
from eduint.reporting._safe import formula_like
from eduint.reporting.rows import (
    cv_items,
    cv_rows,
    detail_rows,
    details_rows,
    entity_rows,
    problems_rows,
    sections_rows,
    summary_rows,
)

_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XLSX_MAX_WIDTH = 60


def _fill_sheet(ws: Any, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write a header row and data rows, freeze the header, add a filter and size
    the columns to their text in display cells (CJK characters count two)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_XLSX_ILLEGAL.sub("", c) for c in row])
    # A text cell starting with "=" would be stored as a formula: keep it text, and mark
    # every formula-like text with the quote prefix (eduint.reporting._safe).
    for row_cells in ws.iter_rows(min_row=1):
        for cell in row_cells:
            if isinstance(cell.value, str) and formula_like(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    for index, header in enumerate(headers, start=1):
        texts = [header] + [r[index - 1] for r in rows]
        width = max(display_width(t) for t in texts) + 2
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = min(max(width, 6), _XLSX_MAX_WIDTH)
        if width > _XLSX_MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_xlsx(
    report: Report,
    path: str | Path,
    *,
    lang: str = "zh",
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] = (),
) -> Path:
    """Write the report as an Excel workbook.

    Sheets (Chinese names; English with ``lang="en"``): 汇总 (the summary rows),
    章节 (section roll-ups), 明细 (entities not met and missing figures), 数据问题
    (the data problems) and 来源 (rule set, county, date, overall verdict, and the
    provenance when given: eduint version, files and their SHA-256, provisional
    values, warnings).  Each sheet has a bold, frozen header row with a filter;
    column widths are measured in display cells so Chinese text fits.

    Args:
        report: the evaluated report.
        path: the ``.xlsx`` file to write (replaced if it exists).
        lang: ``"zh"`` or ``"en"``.
        provenance: where the report came from.
        problems: the data problems.

    Returns:
        The path written.

    Raises:
        OSError: the file cannot be written.
        ValueError: unknown ``lang``.
    """
    from openpyxl import Workbook

    lg = _check_lang(lang)
    target = Path(path)
    wb = Workbook()
    summary = wb.active
    assert summary is not None  # a new workbook always has one sheet
    summary.title = _text(lg, "summary")
    sheets = _sheets(wb, summary, report, lg, problems)
    for ws, headers, rows in sheets:
        _fill_sheet(ws, headers, [list(r.values()) for r in rows])
    source = wb.create_sheet(_text(lg, "provenance_sheet"))
    pairs = _provenance_pairs(report, provenance, lg)
    _fill_sheet(source, [_text(lg, "key"), _text(lg, "val")], [[k, v] for k, v in pairs])
    wb.save(target)
    return target


def _sheets(
    wb: Any, summary: Any, report: Report, lg: Lang, problems: Sequence[DataProblemLike]
) -> list[tuple[Any, Sequence[str], list[dict[str, str]]]]:
    """The workbook's sheets of rows, in order, each with its headers and rows: the
    summary (the sheet already there), sections, school indicators and 差异系数 when
    the report has them, detail, computation notes when any, data problems."""
    sheets: list[tuple[Any, Sequence[str], list[dict[str, str]]]] = [
        (summary, _headers(_SUMMARY_HEADERS, lg), summary_rows(report, lang=lg)),
        (
            wb.create_sheet(_text(lg, "sections_sheet")),
            _headers(_SECTION_HEADERS, lg),
            sections_rows(report, lang=lg),
        ),
    ]
    school_rows = entity_rows(report, lang=lg)
    if school_rows:
        sheets.append(
            (wb.create_sheet(_text(lg, "entity_sheet")), list(school_rows[0]), school_rows)
        )
    if cv_items(report):
        sheets.append(
            (
                wb.create_sheet(_text(lg, "cv_sheet")),
                _headers(_CV_HEADERS, lg),
                cv_rows(report, lang=lg),
            )
        )
    sheets.append(
        (
            wb.create_sheet(_text(lg, "detail_sheet")),
            _headers(_DETAIL_HEADERS, lg),
            detail_rows(report, lang=lg),
        )
    )
    notes = details_rows(report, lang=lg)
    if notes:
        sheets.append(
            (wb.create_sheet(_text(lg, "details_sheet")), _headers(_DETAILS_HEADERS, lg), notes)
        )
    sheets += [
        (
            wb.create_sheet(_text(lg, "problems_sheet")),
            _headers(_PROBLEM_HEADERS, lg),
            problems_rows(problems, lang=lg),
        ),
    ]
    return sheets
