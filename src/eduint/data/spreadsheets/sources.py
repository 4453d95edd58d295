"""Raw sheets: the cells of CSV files and XLSX workbooks, before any header is known.

CSV bytes are decoded strictly (UTF-8 with or without BOM, else GB18030); XLSX
workbooks are read with openpyxl (imported only here, only when a workbook is read),
cached values only, merged header cells filled with their top-left value.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import attrs

from eduint.data.errors import DataFileError

__all__ = ["HEADER_SCAN", "Cell", "Sheet", "read_csv", "read_xlsx", "sources", "text_of"]

#: Rows searched for the header (title rows may stand above it).
HEADER_SCAN = 20


@attrs.frozen
class Cell:
    """One cell: its value, and whether Excel formats it as a percentage."""

    value: Any
    percent: bool = False  # an Excel cell formatted as a percentage


@attrs.define
class Sheet:
    """One sheet (or CSV file) of raw cells.

    Attributes:
        file: the file name as shown in problems.
        name: the sheet name (a CSV file: its stem).
        rows: (row number as the user sees it, cells) for every row.
    """

    file: str
    name: str | None  # the CSV file's stem for a CSV file
    rows: list[tuple[int, list[Cell]]]  # (row number as the user sees it, cells)


def _decode(raw: bytes, file: str) -> str:
    """CSV bytes → text: strict UTF-8 (with or without BOM), else strict GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataFileError(
        file, "cannot decode the file as UTF-8 or GB18030/GBK; save it as UTF-8 or GBK"
    )


def read_csv(path: Path, shown: str) -> tuple[Sheet, bytes]:
    """Read a CSV file as one sheet named by its stem; also return its bytes (for the digest).

    Raises:
        DataFileError: the file cannot be read, decoded or parsed as CSV.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(shown, f"cannot read the file: {exc.strerror or exc}") from None
    text = _decode(raw, shown)
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataFileError(shown, f"not a CSV file: {exc}") from None
    rows = [(i, [Cell(v) for v in rec]) for i, rec in enumerate(records, start=1)]
    return Sheet(shown, path.stem, rows), raw


def read_xlsx(path: Path, shown: str) -> tuple[list[Sheet], bytes]:
    """Read every worksheet of a workbook (cached values); also return its bytes.

    Merged cells near the top (where headers are) are filled with their top-left value.

    Raises:
        DataFileError: the file cannot be read or is not a workbook.
    """
    import openpyxl  # imported here: the YAML path never needs it

    try:
        raw = path.read_bytes()
        wb = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except OSError as exc:
        raise DataFileError(shown, f"cannot read the file: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise DataFileError(shown, f"not an XLSX workbook: {exc}") from None
    sheets = []
    for ws in wb.worksheets:
        fill: dict[tuple[int, int], Any] = {}
        for rng in ws.merged_cells.ranges:
            if rng.min_row > HEADER_SCAN + 2:
                continue
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    fill[(r, c)] = top
        rows = []
        for r, row in enumerate(ws.iter_rows(), start=1):
            cells = []
            for c, cell in enumerate(row, start=1):
                value = fill.get((r, c), cell.value)
                fmt = str(getattr(cell, "number_format", "") or "")
                cells.append(Cell(value, "%" in fmt))
            rows.append((r, cells))
        sheets.append(Sheet(shown, ws.title, rows))
    return sheets, raw


def text_of(value: Any) -> str:
    """A cell value as text: ``""`` for empty, ``12`` for the float 12.0, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sources(path: Path) -> list[Path]:
    """The files to read: the file itself, or a folder's .xlsx/.xlsm/.csv files (sorted).

    Raises:
        DataFileError: the folder holds no such file.
    """
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix.lower() in (".xlsx", ".xlsm", ".csv") and not p.name.startswith(("~$", "."))
        )
        if not files:
            raise DataFileError(str(path), "the folder holds no .xlsx or .csv file")
        return files
    return [path]
