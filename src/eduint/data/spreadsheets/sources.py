"""Raw sheets: the cells of CSV files and XLSX workbooks, before any header is known.

CSV bytes are decoded strictly (UTF-8 with or without BOM, else GB18030, or UTF-16
when the file starts with its byte-order mark); text that GB18030 decodes but that
is not plausibly Chinese (Big5 read as GB18030 gives kana, box-drawing characters
and rare ideographs) is refused too, naming the encodings tried.  XLSX workbooks are
read by :mod:`~eduint.data.spreadsheets.xlsx` (cached values only, merged header cells
filled with their top-left value; a formula cell without a cached value is marked, so
that the reader can report it).

Only rows holding data are kept, and of each row only the cells holding data
(:class:`Cells`): blank rows and empty cells are never materialised, so a sheet's
declared dimensions do not matter, only the cells present.  The rows and cells are
counted against the limits as they are read (:class:`Budget`).  Each kept row carries
the row number the user sees, so that every figure can be traced back to its cell
(:mod:`~eduint.data.provenance`).
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import sys
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from eduint.data.errors import DataFileError
from eduint.data.limits import Limits, read_limited

__all__ = [
    "ENCODINGS",
    "HEADER_SCAN",
    "MAX_LINE",
    "TABLE_SUFFIXES",
    "Budget",
    "Cell",
    "Cells",
    "Sheet",
    "decode_csv",
    "plausible_text",
    "read_csv",
    "sources",
    "text_of",
]

#: Rows searched for the header (title rows may stand above it).
HEADER_SCAN = 20
#: The encodings a CSV file is read in, in the order tried (UTF-16 only with its BOM).
ENCODINGS = ("utf-8", "gb18030")
#: The suffixes of the files a folder's spreadsheets are read from.
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv")


@attrs.frozen
class Cell:
    """One cell: its value, whether Excel formats it as a percentage, and whether it is a
    formula without a cached value (its value is then ``None``)."""

    value: Any
    percent: bool = False  # an Excel cell formatted as a percentage
    formula: bool = False  # a formula whose result was never stored in the file


class Cells:
    """The cells of one row that hold data, by column (0-based: column ``A`` is 0).

    Sparse: empty cells are not stored, so a row whose only value sits in column XFD
    costs one cell.  Built from (column, cell) pairs in increasing column order.
    """

    __slots__ = ("_cells", "_cols")

    def __init__(self, items: Iterable[tuple[int, Cell]] = ()) -> None:
        self._cols = array("I")
        self._cells: list[Cell] = []
        for col, cell in items:
            self._cols.append(col)
            self._cells.append(cell)

    def get(self, col: int) -> Cell | None:
        """The cell in column ``col`` (0-based), or ``None`` when it holds nothing."""
        i = bisect.bisect_left(self._cols, col)
        if i < len(self._cols) and self._cols[i] == col:
            return self._cells[i]
        return None

    def items(self) -> Iterator[tuple[int, Cell]]:
        """(column, cell) of each cell holding data, left to right."""
        return zip(self._cols, self._cells, strict=True)

    def values(self) -> Iterator[Cell]:
        """The cells holding data, left to right."""
        return iter(self._cells)

    @property
    def width(self) -> int:
        """One past the last column holding data (0 for an empty row)."""
        return self._cols[-1] + 1 if self._cols else 0

    def texts(self, width: int | None = None) -> list[str]:
        """Each column's text up to ``width`` (default: :attr:`width`), ``""`` where
        empty: the headers of a header row."""
        out = [""] * (self.width if width is None else width)
        for col, cell in self.items():
            if col < len(out):
                out[col] = text_of(cell.value)
        return out

    def __len__(self) -> int:
        return len(self._cells)

    def __repr__(self) -> str:
        return f"Cells({list(self.items())!r})"


@attrs.define
class Sheet:
    """One sheet (or CSV file) of raw cells.

    Attributes:
        file: the file name as shown in problems.
        name: the sheet name (a CSV file: its stem).
        rows: (row number as the user sees it, cells) for every row holding data, in
            order; a row's cells are those holding data (:class:`Cells`).
        path: the file on disk (to re-read a cell, :mod:`.provenance`).
        encoding: the encoding a CSV file was read in, ``None`` for a workbook.
    """

    file: str
    name: str | None  # the CSV file's stem for a CSV file
    rows: list[tuple[int, Cells]]  # (row number as the user sees it, cells)
    path: Path | None = None
    encoding: str | None = None


class Budget:
    """Counts the rows and cells holding data of one load against its limits.

    Attributes:
        limits: the limits of the load.
        cells: cells holding data counted so far (every sheet of the load).
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.cells = 0
        self._rows: dict[int, int] = {}

    def row(self, sheet: Sheet, number: int, cells: int, *, new: bool = True) -> None:
        """Count a row of ``cells`` cells holding data (``new=False``: cells added to a
        row counted before).

        Raises:
            DataFileError: the sheet holds more rows, or the load more cells, than the
                limits allow (D005).
        """
        self.cells += cells
        rows = self._rows.get(id(sheet), 0) + new
        self._rows[id(sheet)] = rows
        where = f"the sheet {sheet.name}" if sheet.name is not None else "the file"
        if rows > self.limits.rows:
            raise DataFileError(
                sheet.file,
                self.limits.exceeded(
                    "rows", f"{where} holds {rows:,} rows holding data by row {number:,}"
                ),
                code="D005",
            )
        if self.cells > self.limits.cells:
            raise DataFileError(
                sheet.file,
                self.limits.exceeded(
                    "cells",
                    f"the data holds {self.cells:,} cells holding data by {where}, row {number:,}",
                ),
                code="D005",
            )


# Characters that Chinese text in GB18030 almost never holds but that Big5 (or another
# double-byte encoding) read as GB18030 is full of: kana, box drawing and block
# elements, Greek and Cyrillic letters, private-use code points.
# Pattern texts, compiled on first use (re caches them): only a CSV that is not UTF-8
# needs them, and the astral range alone costs milliseconds to compile at every start.
_MOJIBAKE = r"[\u0370-\u04ff\u2500-\u259f\u3040-\u30ff\ue000-\uf8ff\uff61-\uff9f]"
_IDEOGRAPH = r"[\u3400-\u9fff\U00020000-\U0003134f]"
#: The share of suspicious characters (above, and ideographs outside GB2312's 6,763)
#: among the non-ASCII characters above which GB18030 text is taken as mis-decoded.
#: Simplified Chinese data stays below 5 % (a rare character in a school's name);
#: Big5 read as GB18030 is near 50 %.
_IMPLAUSIBLE_SHARE = 0.25
_SAMPLE = 20_000  # characters of a file tested for plausibility


def plausible_text(text: str) -> bool:
    """Whether text decoded as GB18030 plausibly is Chinese (not Big5 or another
    encoding read as GB18030): few kana, box-drawing, Greek or private-use characters
    and few ideographs outside GB2312 among its non-ASCII characters."""
    sample = text[:_SAMPLE]
    wide = [ch for ch in sample if ord(ch) > 127]
    if not wide:
        return True
    odd = len(re.findall(_MOJIBAKE, sample))
    for ch in re.findall(_IDEOGRAPH, sample):
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            odd += 1
    return odd / len(wide) < _IMPLAUSIBLE_SHARE


def decode_csv(raw: bytes, file: str, encoding: str | None = None) -> tuple[str, str]:
    """CSV bytes → (text, the encoding used).

    Without ``encoding``: a UTF-16 byte-order mark means UTF-16; else strict UTF-8
    (with or without BOM), else strict GB18030 (which includes GBK and GB2312) when
    the text it gives is plausible (:func:`plausible_text`).

    Raises:
        DataFileError: the bytes are not valid in the encoding chosen, or in any tried
            (the message names each encoding tried and why it failed).
    """
    if encoding is not None:
        tries: tuple[str, ...] = (encoding,)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        tries = ("utf-16",)
    else:
        tries = ENCODINGS
    why: list[str] = []
    for enc in tries:
        codec = "utf-8-sig" if enc.replace("_", "-").lower() in ("utf-8", "utf8") else enc
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as exc:
            why.append(f"{enc}: invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}")
            continue
        except LookupError:
            raise DataFileError(file, f"unknown encoding '{enc}'") from None
        if enc == "gb18030" and encoding is None and not plausible_text(text):
            why.append(f"{enc}: decodes only into implausible text (Big5 or another encoding?)")
            continue
        return text, enc
    raise DataFileError(
        file,
        f"cannot decode the file (tried {', '.join(tries)}: {'; '.join(why)}); "
        "save it as UTF-8 or GBK",
    )


#: The last row (CSV line) whose cells can be traced (:mod:`~eduint.data.provenance`).
MAX_LINE = (1 << 24) - 1


def read_csv(
    path: Path, shown: str, encoding: str | None = None, budget: Budget | None = None
) -> tuple[Sheet, bytes]:
    """Read a CSV file as one sheet named by its stem; also return its bytes (for the digest).

    A UTF-16 file (Excel's "Unicode text") is tab-separated; any other is comma-separated.
    Only the cells holding data are kept.

    Raises:
        DataFileError: the file cannot be read, decoded or parsed as CSV, or exceeds a
            limit (D005: its size, its rows or cells).
    """
    budget = budget or Budget(Limits())
    raw = read_limited(path, shown, budget.limits)
    text, used = decode_csv(raw, shown, encoding)
    delimiter = "\t" if used == "utf-16" else ","
    sheet = Sheet(shown, path.stem, [], path, used)
    # Python 3.10's csv refuses NUL ("line contains NUL"); 3.11 reads it as text.  Read it
    # as text on both: through a character the file does not hold, put back in each cell.
    nul = _nul_stand_in(text)
    if nul:
        text = text.replace("\x00", nul)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for record in reader:
            if nul:
                record = [v.replace(nul, "\x00") for v in record]
            cells = [(i, Cell(v)) for i, v in enumerate(record) if v and not v.isspace()]
            if not cells:
                continue
            # reader.line_num is the last physical line of the record: a quoted cell may
            # span lines, and the user looks for the record's first line.
            start = reader.line_num - sum(v.count("\n") for v in record)
            if start > MAX_LINE:
                raise DataFileError(
                    shown, f"line {start:,}: eduint reads CSV files of up to {MAX_LINE:,} lines"
                )
            budget.row(sheet, start, len(cells))
            sheet.rows.append((start, Cells(cells)))
    except csv.Error as exc:
        raise DataFileError(shown, f"not a CSV file (line {reader.line_num:,}: {exc})") from None
    return sheet, raw


def _nul_stand_in(text: str) -> str:
    """A private-use character absent from ``text`` to carry its NUL bytes through
    :mod:`csv`, or ``""`` when ``text`` holds none (or Python's csv reads NUL itself)."""
    if "\x00" not in text or sys.version_info >= (3, 11):
        return ""
    return next(c for c in map(chr, range(0xE000, 0xF900)) if c not in text)


def text_of(value: Any) -> str:
    """A cell value as text: ``""`` for empty, ``12`` for the float 12.0, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sources(path: Path) -> list[Path]:
    """The files to read: the file itself, or every file of a folder (sorted; hidden
    files and Excel's ``~$`` lock files left out).  Which of them a reader claims is
    the caller's business: a file none claims is a problem, never skipped silently.

    Raises:
        DataFileError: the folder holds no file.
    """
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.is_file() and not p.name.startswith(("~$", "."))
        )
        if not files:
            raise DataFileError(str(path), "the folder holds no .xlsx or .csv file")
        return files
    return [path]
