"""Reading XLSX workbooks as a stream: time and memory follow the cells that hold data.

A workbook is a zip of XML parts.  Before anything is expanded, the zip's directory is
checked against the limits (:mod:`eduint.data.limits`): how many parts, their declared
sizes in all (``expanded_size``), each part's compression ratio
(``compression_ratio``), and the compression method (deflate or none, as Excel and
LibreOffice write).  Parts are then expanded in chunks of at most 64 KiB, the bytes
actually expanded counted against the same limits, since a zip's declared sizes can lie.

Each worksheet is parsed with expat as the chunks arrive, without building a tree: a
row that holds no value (a formatted row, styled empty cells) is dropped from the XML
text before it is parsed (a regular expression, at C speed), and of the rest only the
cells holding data are kept (:class:`~eduint.data.spreadsheets.sources.Cells`), so a
sheet whose ``dimension`` declares A1:XFD1048576, or that holds a million empty rows,
costs what its data costs.  A DTD is refused (no entity expansion).

Values are read as openpyxl's cached-values mode reads them: shared and inline strings
(phonetic runs left out), numbers (``int`` or ``float``), booleans, error values as
their text (``#DIV/0!``), and numbers in a date format as dates (the workbook's 1900 or
1904 calendar); a formula cell without a cached value is marked.  Merged cells near the
top (where headers are) are filled with their top-left value.  openpyxl is used only
for its number-format helpers (which formats are dates).
"""

from __future__ import annotations

import bisect
import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from eduint.data.errors import DataFileError
from eduint.data.limits import Limits, read_limited
from eduint.data.spreadsheets.sources import HEADER_SCAN, Budget, Cell, Cells, Sheet

__all__ = ["MAX_PARTS", "cell_value", "open_workbook", "read_workbook", "read_xlsx"]

#: Parts an XLSX workbook may have (Excel writes a few dozen).
MAX_PARTS = 10_000
_CHUNK = 64 << 10  # bytes expanded and parsed at a time
_RATIO_FLOOR = 1 << 20  # parts expanding to at most this are not held to the ratio
_MAX_ROW = 1_048_576  # the rows and columns an XLSX sheet can have
_MAX_COL = 16_384

# A row that holds no value: self-closing, or holding only empty cells (self-closing,
# or with an empty <v>).  Any namespace prefix.  Removed from the XML before parsing.
_P = rb"<(?:[A-Za-z_][\w.-]*:)?"
_END = rb"</(?:[A-Za-z_][\w.-]*:)?"
_EMPTY_CELL = (
    _P
    + rb"c\b[^>]*(?:/>|>\s*(?:"
    + _P
    + rb"v\s*/>|"
    + _P
    + rb"v>\s*"
    + _END
    + rb"v>)?\s*"
    + _END
    + rb"c>)"
)
# The pattern's bytes, compiled on first use (re caches it): only a workbook read needs it.
_EMPTY_ROW = _P + rb"row\b[^>]*(?:/>|>(?:\s*" + _EMPTY_CELL + rb")*\s*" + _END + rb"row>)"


def _fail(shown: str, message: str, code: str = "D001") -> DataFileError:
    return DataFileError(shown, message, code=code)


# -- the zip ------------------------------------------------------------------------


def _directory_size(raw: bytes) -> tuple[int, int] | None:
    """(entries, bytes) of a zip's central directory, from its end record (zip64 too),
    read before :mod:`zipfile` builds an object per entry; ``None`` when not found."""
    end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - 65_557))
    if end < 0 or end + 22 > len(raw):
        return None
    entries, size = struct.unpack_from("<HI", raw, end + 10)
    if entries == 0xFFFF or size == 0xFFFFFFFF:
        loc = end - 20
        if loc >= 0 and raw[loc : loc + 4] == b"PK\x06\x07":
            (offset,) = struct.unpack_from("<Q", raw, loc + 8)
            if raw[offset : offset + 4] == b"PK\x06\x06" and offset + 56 <= len(raw):
                entries, size = struct.unpack_from("<QQ", raw, offset + 32)
    return entries, size


def open_workbook(raw: bytes, shown: str, limits: Limits) -> zipfile.ZipFile:
    """Open a workbook's bytes as a zip, after checking its directory against the limits.

    Raises:
        DataFileError: not a zip (D001); too many parts, a part compressed other than by
            deflate, or declared sizes or a compression ratio beyond the limits (D005).
    """
    found = _directory_size(raw)
    if found is not None and (found[0] > MAX_PARTS or found[1] > MAX_PARTS * 1024):
        raise _fail(
            shown,
            f"the workbook's zip lists {found[0]:,} parts; an XLSX workbook has at most "
            f"{MAX_PARTS:,}",
            "D005",
        )
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise _fail(shown, f"not an XLSX workbook (not a zip file: {exc})") from None
    infos = z.infolist()
    if len(infos) > MAX_PARTS:
        raise _fail(shown, f"the workbook has more than {MAX_PARTS:,} parts", "D005")
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _fail(
                shown,
                f"the part {info.filename!r} is compressed with method {info.compress_type}; "
                "XLSX workbooks use deflate",
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > limits.compression_ratio:
            raise _fail(
                shown,
                limits.exceeded(
                    "compression_ratio",
                    f"the part {info.filename!r} would expand {ratio:,.0f} times its "
                    f"compressed size (to {info.file_size:,} bytes)",
                    "refused before expanding it",
                ),
                "D005",
            )
    if total > limits.expanded_size:
        raise _fail(
            shown,
            limits.exceeded(
                "expanded_size",
                f"the workbook's parts would expand to {total:,} bytes",
                "refused before expanding them",
            ),
            "D005",
        )
    return z


class _Expanded:
    """Counts the bytes actually expanded from a workbook (a zip's sizes can lie)."""

    def __init__(self, z: zipfile.ZipFile, shown: str, limits: Limits) -> None:
        self.z = z
        self.shown = shown
        self.limits = limits
        self.total = 0

    def chunks(self, name: str) -> Iterator[bytes]:
        """The part ``name`` in chunks of at most 64 KiB.

        Raises:
            DataFileError: the part is missing, corrupt, or expands beyond its declared
                size, its compression ratio or the workbook's ``expanded_size``.
        """
        try:
            info = self.z.getinfo(name)
        except KeyError:
            raise _fail(self.shown, f"not an XLSX workbook (no part {name!r})") from None
        size = 0
        try:
            with self.z.open(info) as f:
                while chunk := f.read(_CHUNK):  # never read(): it expands in one piece
                    size += len(chunk)
                    self.total += len(chunk)
                    self._check(info, size)
                    yield chunk
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise _fail(self.shown, f"not an XLSX workbook ({name}: {exc})") from None

    def _check(self, info: zipfile.ZipInfo, size: int) -> None:
        if size > info.file_size:
            raise _fail(self.shown, f"the part {info.filename!r} holds more than it declares")
        if self.total > self.limits.expanded_size:
            raise _fail(
                self.shown,
                self.limits.exceeded(
                    "expanded_size",
                    f"the workbook's parts expand to {self.total:,} bytes and more",
                    "refused; the zip declared less",
                ),
                "D005",
            )
        if size > _RATIO_FLOOR and size > self.limits.compression_ratio * max(
            info.compress_size, 1
        ):
            raise _fail(
                self.shown,
                self.limits.exceeded(
                    "compression_ratio",
                    f"the part {info.filename!r} expands to {size:,} bytes and more from "
                    f"{info.compress_size:,}",
                    "refused; the zip declared less",
                ),
                "D005",
            )


# -- XML ----------------------------------------------------------------------------


def _local(name: str) -> str:
    """``x:row`` → ``row`` (expat without namespace processing keeps prefixes)."""
    return name[name.find(":") + 1 :]


def _parse(
    shown: str,
    name: str,
    chunks: Iterator[bytes],
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
    *,
    drop_empty_rows: bool = False,
) -> None:
    """Run expat over a part's chunks with the given handlers (element names with their
    prefixes); a DTD or an entity declaration is refused."""
    p = expat.ParserCreate()
    p.buffer_text = True
    p.ordered_attributes = False

    def refuse(*_args: Any) -> None:
        raise _fail(shown, f"not an XLSX workbook ({name} declares a DTD)")

    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    p.StartElementHandler = start
    if end is not None:
        p.EndElementHandler = end
    if text is not None:
        p.CharacterDataHandler = text
    rest = b""
    try:
        for chunk in chunks:
            if drop_empty_rows:
                data = rest + chunk
                cut = data.rfind(b"<")
                data, rest = data[:cut], data[cut:]
                if b"<![CDATA[" not in data:  # text that looks like a row stays text
                    data = re.sub(_EMPTY_ROW, b"", data)
                p.Parse(data, False)
            else:
                p.Parse(chunk, False)
        p.Parse(rest, True)
    except expat.ExpatError as exc:
        raise _fail(shown, f"not an XLSX workbook ({name}: {exc})") from None


def _elements(ex: _Expanded, name: str, wanted: set[str]) -> list[tuple[str, dict[str, str], str]]:
    """(local name, attributes, parent's local name) of each element of ``wanted``."""
    out: list[tuple[str, dict[str, str], str]] = []
    stack: list[str] = [""]

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local in wanted:
            out.append((local, attrs, stack[-1]))
        stack.append(local)

    def end(_tag: str) -> None:
        stack.pop()

    _parse(ex.shown, name, ex.chunks(name), start, end)
    return out


def _attr(attrs: dict[str, str], local: str) -> str | None:
    """The attribute of local name ``local`` whatever its prefix (``r:id``)."""
    for key, value in attrs.items():
        if _local(key) == local:
            return value
    return None


def _rels(ex: _Expanded, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, target part) of ``part`` (targets resolved)."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in ex.z.NameToInfo:
        return {}
    out = {}
    for _t, a, _p in _elements(ex, rels, {"Relationship"}):
        target = a.get("Target", "")
        if a.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[a.get("Id", "")] = (a.get("Type", ""), posixpath.normpath(path))
    return out


# -- the workbook -------------------------------------------------------------------


class _Book:
    """What every sheet needs: shared strings, cell formats (percent, date), calendar."""

    @staticmethod
    def root(ex: _Expanded) -> str:
        """The workbook part's name (``xl/workbook.xml`` unless the package says otherwise)."""
        return next(
            (t for _i, (ty, t) in _rels(ex, "").items() if ty.endswith("/officeDocument")),
            "xl/workbook.xml",
        )

    @staticmethod
    def sheet_parts(
        ex: _Expanded,
        root: str | None = None,
        els: list[tuple[str, dict[str, str], str]] | None = None,
    ) -> list[tuple[str, str]]:
        """(name, part) of each worksheet, in the workbook's order."""
        root = root or _Book.root(ex)
        if els is None:
            els = _elements(ex, root, {"sheet"})
        rels = _rels(ex, root)
        out: list[tuple[str, str]] = []
        for t, a, _p in els:
            if t != "sheet":
                continue
            ty, part = rels.get(_attr(a, "id") or "", ("", ""))
            if ty.endswith("/worksheet"):
                out.append((a.get("name", ""), part))
        return out

    def __init__(self, ex: _Expanded) -> None:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        self.ex = ex
        root = self.root(ex)
        els = _elements(ex, root, {"sheet", "workbookPr"})
        pr = next((a for t, a, _p in els if t == "workbookPr"), {})
        self.epoch = (
            CALENDAR_MAC_1904
            if pr.get("date1904", "").lower() in ("1", "true")
            else CALENDAR_WINDOWS_1900
        )
        self.sheets = self.sheet_parts(ex, root, els)  # (name, part) of each worksheet
        self.strings: list[str] = []
        self.formats: list[tuple[bool, bool, bool]] = []  # (percent, date, timedelta)
        for ty, part in _rels(ex, root).values():
            if ty.endswith("/sharedStrings") and part in ex.z.NameToInfo:
                self.strings = _shared_strings(ex, part)
            elif ty.endswith("/styles") and part in ex.z.NameToInfo:
                self.formats = _formats(ex, part)


def _shared_strings(ex: _Expanded, part: str) -> list[str]:
    """The shared strings (rich text runs joined, phonetic runs left out)."""
    out: list[str] = []
    buf: list[str] = []
    state = {"t": False, "rph": 0}

    def start(tag: str, _a: dict[str, str]) -> None:
        local = _local(tag)
        if local == "t":
            state["t"] = not state["rph"]
        elif local == "rPh":
            state["rph"] += 1
        elif local == "si":
            buf.clear()

    def end(tag: str) -> None:
        local = _local(tag)
        if local == "t":
            state["t"] = False
        elif local == "rPh":
            state["rph"] -= 1
        elif local == "si":
            out.append("".join(buf).replace("x005F_", ""))  # as openpyxl reads them

    def text(data: str) -> None:
        if state["t"]:
            buf.append(data)

    _parse(ex.shown, part, ex.chunks(part), start, end, text)
    return out


def _formats(ex: _Expanded, part: str) -> list[tuple[bool, bool, bool]]:
    """For each cell format (``cellXfs``): whether it shows a percentage, a date, a
    duration."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    custom: dict[int, str] = {}
    xfs: list[int] = []
    for t, a, parent in _elements(ex, part, {"numFmt", "xf"}):
        number = a.get("numFmtId", "0")
        fid = int(number) if number.isdigit() and len(number) < 10 else -1
        if t == "numFmt":
            custom[fid] = a.get("formatCode", "")
        elif parent == "cellXfs":
            xfs.append(fid)
    out = []
    for fid in xfs:
        fmt = custom.get(fid) or BUILTIN_FORMATS.get(fid, "General")
        out.append(("%" in fmt, bool(is_date_format(fmt)), bool(is_timedelta_format(fmt))))
    return out


def _column(letters: str) -> int:
    """``A`` → 1, ``XFD`` → 16384; 0 for anything else."""
    n = 0
    for ch in letters:
        if not "A" <= ch <= "Z":
            return 0
        n = n * 26 + ord(ch) - 64
    return n


_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


# -- a worksheet --------------------------------------------------------------------


class _SheetReader:
    """Expat handlers that collect a worksheet's rows of cells holding data."""

    def __init__(self, book: _Book, sheet: Sheet, budget: Budget) -> None:
        self.book = book
        self.sheet = sheet
        self.budget = budget
        self.top: dict[int, dict[int, Cell]] = {}  # header rows, merged cells to fill
        self.merges: list[tuple[int, int, int, int]] = []
        self.row = 0  # the current row's number
        self.col = 0
        self.cells: list[tuple[int, Cell]] = []
        self.cell: dict[str, str] | None = None  # the current cell's attributes
        self.value: list[str] = []
        self.formula = False
        self.inline: list[str] = []
        self.into: list[str] | None = None  # where text goes
        self.rph = 0
        self.ordered = True

    def start(self, tag: str, a: dict[str, str]) -> None:
        local = _local(tag)
        if local == "c":
            self.cell = a
            self.value = []
            self.inline = []
            self.formula = False
        elif local == "v" and self.cell is not None:
            self.into = self.value
        elif local == "t" and self.cell is not None and not self.rph:
            self.into = self.inline
        elif local == "f":
            self.formula = True
        elif local == "rPh":
            self.rph += 1
        elif local == "row":
            self._row(a.get("r"))
        elif local == "mergeCell":
            self._merge(a.get("ref", ""))

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local in ("v", "t"):
            self.into = None
        elif local == "c":
            self._cell()
        elif local == "row":
            self._end_row()
        elif local == "rPh":
            self.rph -= 1

    def text(self, data: str) -> None:
        if self.into is not None:
            self.into.append(data)

    def fail(self, message: str) -> DataFileError:
        return _fail(self.sheet.file, f"not an XLSX workbook (sheet {self.sheet.name}: {message})")

    def _row(self, r: str | None) -> None:
        self._end_row()
        try:
            number = int(r) if r is not None else self.row + 1
        except ValueError:
            raise self.fail(f"row number {r!r}") from None
        if not 1 <= number <= _MAX_ROW:
            raise self.fail(f"row number {number:,} outside 1–{_MAX_ROW:,}")
        if number <= self.row:
            self.ordered = False
        self.row = number
        self.col = 0

    def _cell(self) -> None:
        a, self.cell = self.cell or {}, None
        ref = a.get("r")
        if ref is not None:
            m = _REF.fullmatch(ref)
            col = _column(m[1]) if m else 0
            if m is None or not 1 <= col <= _MAX_COL or int(m[2]) != self.row:
                raise self.fail(f"cell reference {ref[:20]!r} in row {self.row}")
            self.col = col
        else:
            self.col += 1
        value = self._value(a)
        if value is None and not self.formula:
            return
        flags = self._format(a.get("s"))
        cell = Cell(value, flags[0], self.formula and value is None)
        self.cells.append((self.col - 1, cell))

    def _format(self, s: str | None) -> tuple[bool, bool, bool]:
        if not s:
            return _NO_FORMAT
        try:
            return self.book.formats[int(s)]
        except (ValueError, IndexError):
            return _NO_FORMAT

    def _value(self, a: dict[str, str]) -> Any:
        """The cell's value as openpyxl's cached-values mode reads it (``None``: empty)."""
        kind = a.get("t", "n")
        if kind == "inlineStr":
            return "".join(self.inline) or None
        v = "".join(self.value)
        if v == "":
            return None
        if kind == "s":
            try:
                return self.book.strings[int(v)]
            except (ValueError, IndexError):
                raise self.fail(f"cell {a.get('r', '?')} names no shared string") from None
        if kind == "b":
            return v.strip() in ("1", "true") if v.strip() in ("0", "1", "true", "false") else v
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            try:
                return from_ISO8601(v)  # type: ignore[no-untyped-call]
            except (ValueError, TypeError):
                return v
        if kind != "n":
            return v  # str (a formula's text), e (an error value such as #DIV/0!)
        return self._number(v, self._format(a.get("s")))

    def _number(self, v: str, flags: tuple[bool, bool, bool]) -> Any:
        try:
            number: int | float = float(v) if ("." in v or "e" in v or "E" in v) else int(v)
        except ValueError:
            return v  # too many digits, or not a number: the loader says what is wrong
        if not flags[1]:
            return number
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(number, self.book.epoch, timedelta=flags[2])
        except (OverflowError, ValueError, TypeError):
            return number

    def _end_row(self) -> None:
        if not self.cells:
            return
        cells, self.cells = self.cells, []
        if self.row <= HEADER_SCAN + 2:
            self.top.setdefault(self.row, {}).update(cells)
            return
        if not self.ordered or len({c for c, _ in cells}) < len(cells):
            cells = sorted(dict(cells).items())
        self.budget.row(self.sheet, self.row, len(cells))
        self.sheet.rows.append((self.row, Cells(cells)))

    def _merge(self, ref: str) -> None:
        first, sep, last = ref.partition(":")
        a, b = _REF.fullmatch(first), _REF.fullmatch(last)
        if not sep or a is None or b is None:
            return
        r1, r2 = int(a[2]), int(b[2])
        if r1 <= HEADER_SCAN + 2:
            self.merges.append((r1, _column(a[1]), r2, _column(b[1])))

    def finish(self) -> None:
        """Fill merged cells, put the header rows first, order the rows.

        A merged range that starts among the header rows is filled with its top-left
        value in every row holding data that it covers, up to the widest header row
        (a vertical merge may name the county of many schools); others are not.
        """
        self._end_row()
        width = max((max(row) + 1 for row in self.top.values() if row), default=0)
        rows = self.sheet.rows
        if not self.ordered:
            merged: dict[int, dict[int, Cell]] = {}
            for r, cells in rows:
                merged.setdefault(r, {}).update(cells.items())
            rows = [(r, Cells(sorted(c.items()))) for r, c in sorted(merged.items())]
        numbers = [r for r, _c in rows]
        for r1, c1, r2, c2 in self.merges:
            source = self.top.get(r1, {}).get(c1 - 1)
            if source is None:
                continue
            columns = range(c1 - 1, min(c2, width))
            for r in range(r1, min(r2, HEADER_SCAN + 2) + 1):
                row = self.top.setdefault(r, {})
                for c in columns:
                    row[c] = source
            for i in range(bisect.bisect_left(numbers, r1), bisect.bisect_right(numbers, r2)):
                r, cells = rows[i]
                filled = dict(cells.items())
                filled.update((c, source) for c in columns)
                self.budget.row(self.sheet, r, len(filled) - len(cells), new=False)
                rows[i] = (r, Cells(sorted(filled.items())))
        top = [(r, Cells(sorted(cells.items()))) for r, cells in sorted(self.top.items())]
        for r, cells in top:
            self.budget.row(self.sheet, r, len(cells))
        self.sheet.rows = top + rows


_NO_FORMAT = (False, False, False)


def read_workbook(
    raw: bytes, shown: str, limits: Limits, budget: Budget, path: Any = None
) -> list[Sheet]:
    """Every worksheet of a workbook's bytes, in workbook order.

    Args:
        raw: the file's bytes (already within ``limits.file_size``).
        shown: the file name as problems show it.
        limits: the limits of the load.
        budget: counts rows and cells against the limits across the load.
        path: the file on disk (kept on each sheet, to re-read a cell).

    Raises:
        DataFileError: not a workbook, or a limit exceeded (D005).
    """
    z = open_workbook(raw, shown, limits)
    with z:
        ex = _Expanded(z, shown, limits)
        book = _Book(ex)
        out = []
        for name, part in book.sheets:
            sheet = Sheet(shown, name, [], path)
            reader = _SheetReader(book, sheet, budget)
            _parse(
                shown,
                part,
                ex.chunks(part),
                reader.start,
                reader.end,
                reader.text,
                drop_empty_rows=True,
            )
            reader.finish()
            out.append(sheet)
        return out


def read_xlsx(path: Path, shown: str, budget: Budget) -> tuple[list[Sheet], bytes]:
    """Read every worksheet of a workbook file; also return its bytes (for the digest).

    Raises:
        DataFileError: the file cannot be read or is not a workbook (D001), or exceeds a
            limit (D005).
    """
    raw = read_limited(path, shown, budget.limits)
    return read_workbook(raw, shown, budget.limits, budget, path), raw


def cell_value(raw: bytes, shown: str, sheet: str | None, row: int, column: int) -> Any:
    """The value of one cell of a workbook's bytes (``None`` when empty).

    Raises:
        DataFileError: not a workbook, or no sheet of that name.
    """
    limits = Limits()
    z = open_workbook(raw, shown, limits)
    with z:
        ex = _Expanded(z, shown, limits)
        book = _Book(ex)
        part = next((p for n, p in book.sheets if n == sheet), None)
        if part is None:
            raise _fail(shown, f"the workbook has no sheet '{sheet}'")
        found = Sheet(shown, sheet, [])
        reader = _SheetReader(book, found, Budget(limits))
        _parse(
            shown,
            part,
            ex.chunks(part),
            reader.start,
            reader.end,
            reader.text,
            drop_empty_rows=True,
        )
        reader.finish()
    for r, cells in found.rows:
        if r == row:
            cell = cells.get(column - 1)
            return None if cell is None else cell.value
    return None


def sheet_names(path: Path, limits: Limits | None = None) -> list[str] | None:
    """The names of a workbook file's worksheets, in order, or ``None`` when the file
    cannot be read as a workbook (the reader that reads it then says why).  Reads the
    workbook part only, within the limits."""
    limits = limits or Limits()
    try:
        raw = read_limited(path, str(path), limits)
        ex = _Expanded(open_workbook(raw, str(path), limits), str(path), limits)
        return [name for name, _part in _Book.sheet_parts(ex)]
    except (DataFileError, OSError, KeyError):
        return None
