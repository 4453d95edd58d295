"""Raw sheets: the cells of CSV files and XLSX workbooks, before any header is known.

CSV bytes are decoded strictly (UTF-8 with or without BOM, else GB18030, or UTF-16
when the file starts with its byte-order mark); text that GB18030 decodes but that
is not plausibly Chinese (Big5 read as GB18030 gives kana, box-drawing characters
and rare ideographs) is refused too, naming the encodings tried.  XLSX workbooks are
read with openpyxl (imported only here, only when a workbook is read), cached values
only, merged header cells filled with their top-left value; a formula cell without a
cached value is marked, so that the reader can report it.

Only rows holding data are kept, and each row stops at its last cell holding data:
blank rows are never materialised (a sheet's declared dimensions do not matter, only
the cells present).  Each kept row carries the row number the user sees, so that every
figure can be traced back to its cell (:mod:`~eduint.data.provenance`).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import attrs

from eduint.data.errors import DataFileError

__all__ = [
    "ENCODINGS",
    "HEADER_SCAN",
    "TABLE_SUFFIXES",
    "Cell",
    "Sheet",
    "decode_csv",
    "plausible_text",
    "read_csv",
    "read_xlsx",
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


@attrs.define
class Sheet:
    """One sheet (or CSV file) of raw cells.

    Attributes:
        file: the file name as shown in problems.
        name: the sheet name (a CSV file: its stem).
        rows: (row number as the user sees it, cells) for every row holding data, in
            order; each row's cells stop at its last cell holding data (column *n* is
            ``cells[n - 1]``).
        path: the file on disk (to re-read a cell, :mod:`.provenance`).
        encoding: the encoding a CSV file was read in, ``None`` for a workbook.
    """

    file: str
    name: str | None  # the CSV file's stem for a CSV file
    rows: list[tuple[int, list[Cell]]]  # (row number as the user sees it, cells)
    path: Path | None = None
    encoding: str | None = None


# Characters that Chinese text in GB18030 almost never holds but that Big5 (or another
# double-byte encoding) read as GB18030 is full of: kana, box drawing and block
# elements, Greek and Cyrillic letters, private-use code points.
_MOJIBAKE = re.compile(r"[\u0370-\u04ff\u2500-\u259f\u3040-\u30ff\ue000-\uf8ff\uff61-\uff9f]")
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f]")
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
    odd = len(_MOJIBAKE.findall(sample))
    for ch in _IDEOGRAPH.findall(sample):
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


def _kept(cells: list[Cell]) -> list[Cell] | None:
    """A row's cells up to its last cell holding data, or ``None`` for a blank row."""
    end = len(cells)
    while end and text_of(cells[end - 1].value) == "" and not cells[end - 1].formula:
        end -= 1
    return cells[:end] if end else None


def read_csv(path: Path, shown: str, encoding: str | None = None) -> tuple[Sheet, bytes]:
    """Read a CSV file as one sheet named by its stem; also return its bytes (for the digest).

    A UTF-16 file (Excel's "Unicode text") is tab-separated; any other is comma-separated.

    Raises:
        DataFileError: the file cannot be read, decoded or parsed as CSV.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(shown, f"cannot read the file: {exc.strerror or exc}") from None
    text, used = decode_csv(raw, shown, encoding)
    delimiter = "\t" if used == "utf-16" else ","
    rows: list[tuple[int, list[Cell]]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for record in reader:
            # reader.line_num is the last physical line of the record: a quoted cell may
            # span lines, and the user looks for the record's first line.
            kept = _kept([Cell(v) for v in record])
            if kept is not None:
                start = reader.line_num - sum(v.count("\n") for v in record)
                rows.append((start, kept))
    except csv.Error as exc:
        raise DataFileError(shown, f"not a CSV file: {exc}") from None
    return Sheet(shown, path.stem, rows, path, used), raw


_FORMULA_CELL = re.compile(rb"<c\b[^>]*\br=\"([A-Z]+)(\d+)\"[^>]*>\s*<f\b")


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name → its XML part (``xl/worksheets/sheet1.xml``), from the workbook's
    relationships (a sheet's part is not always numbered by its position)."""
    from xml.etree import ElementTree

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    out: dict[str, str] = {}
    for sheet in book.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out[sheet.get("name", "")] = part
    return out


def _uncached_formulas(raw: bytes) -> dict[str, set[tuple[int, int]]]:
    """Worksheet name → the (row, column) of each formula cell without a cached value.

    Read from the file's XML, because openpyxl's cached-values mode shows such a cell
    as empty, the same as a blank one.  A workbook whose parts cannot be read this way
    gives no marks (openpyxl has read its values already).
    """
    out: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            for name, part in _sheet_parts(z).items():
                xml = z.read(part)
                if b"<f" not in xml:
                    continue
                found: set[tuple[int, int]] = set()
                for m in _FORMULA_CELL.finditer(xml):
                    end = xml.find(b"</c>", m.end())
                    body = xml[m.end() : end if end >= 0 else len(xml)]
                    v = re.search(rb"<v>([^<]*)</v>", body)
                    if v is None or v.group(1) == b"":
                        found.add((int(m.group(2)), _column_number(m.group(1).decode())))
                if found:
                    out[name] = found
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
        return {}
    return out


def _column_number(letters: str) -> int:
    """``A`` → 1, ``AB`` → 28."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


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
    uncached = _uncached_formulas(raw)
    sheets = []
    for ws in wb.worksheets:
        formulas = uncached.get(ws.title, set())
        sheets.append(Sheet(shown, ws.title, _worksheet_rows(ws, formulas), path))
    return sheets, raw


def _worksheet_rows(ws: Any, formulas: set[tuple[int, int]]) -> list[tuple[int, list[Cell]]]:
    """The rows of a worksheet holding data (merged header cells filled)."""
    fill: dict[tuple[int, int], Any] = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row > HEADER_SCAN + 2:
            continue
        top = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                fill[(r, c)] = top
    rows: list[tuple[int, list[Cell]]] = []
    for r, row in enumerate(ws.iter_rows(), start=1):
        cells = []
        for c, cell in enumerate(row, start=1):
            value = fill.get((r, c), cell.value)
            fmt = str(getattr(cell, "number_format", "") or "")
            cells.append(Cell(value, "%" in fmt, (r, c) in formulas))
        kept = _kept(cells)
        if kept is not None:
            rows.append((r, kept))
    return rows


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
