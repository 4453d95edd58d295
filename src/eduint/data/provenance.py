"""Where each figure came from: file, sheet, row and column, stored compactly.

Every value a spreadsheet reader puts into a county is recorded in a
:class:`FigureSources` under its entity and field.  The record is three integers in
two arrays (no string per cell): a per-load table of sheets (file, sheet name) is
indexed, entity keys and field names are interned once, and each figure is one
packed ``(entity, field) → (sheet, row, column)`` pair, so a national file's
provenance costs 16 bytes a figure rather than doubling the memory of its data.

Entity keys, the same for every reader (and documented in ``docs/spreadsheets.md``):

================================  ==========================================
``("county",)``                   the county's own figures
``("county_segment", 学段)``       a county segment's
``("school", 学校代码)``           a school's
``("segment", 学校代码, 学段)``     a school segment's
``("class", 学校代码, 学段, i)``    the *i*-th class (0-based) of a segment
``("band", 学校代码, 学段, low)``   a class-size band, by its lower bound
``("attestation", 项目)``          an answer of the 自评 sheet (to the county's rule set)
``("attestation", 项目, 规则集)``   an answer to another rule set (its 规则集 cell)
``("declared", 学校类型)``          a declared count of schools
================================  ==========================================

The raw text of a cell is re-read on demand (:func:`read_cell`), from the file.
"""

from __future__ import annotations

import bisect
import csv
import io
from array import array
from collections.abc import Hashable, Iterator
from pathlib import Path

import attrs

from eduint.data.errors import DataFileError

__all__ = ["CellRef", "FigureSources", "SheetRef", "cell_name", "column_name", "read_cell"]

_COL_BITS = 16  # up to 65,535 columns (XLSX has 16,384)
_ROW_BITS = 24  # up to 16,777,215 rows (XLSX has 1,048,576)
_FIELD_BITS = 12  # up to 4,095 distinct field names per load
_BAND = "size_bands@"  # a band's fields, stored under its segment


@attrs.frozen
class SheetRef:
    """A sheet of a load: the file as shown, its path on disk, the sheet name (a CSV
    file's stem) and, for CSV, the encoding it was read in."""

    file: str
    sheet: str | None
    path: Path | None = None
    encoding: str | None = None


@attrs.frozen
class CellRef:
    """The cell a figure came from.

    Attributes:
        source: the sheet.
        row: the row number as the user sees it (the Excel row; the CSV line).
        column: the column number, 1-based (``A`` is 1).
    """

    source: SheetRef
    row: int
    column: int

    @property
    def name(self) -> str:
        """The cell as a spreadsheet names it: ``D7``."""
        return cell_name(self.row, self.column)

    def __str__(self) -> str:
        sheet = f"[{self.source.sheet}]" if self.source.sheet is not None else ""
        return f"{self.source.file}{sheet}!{self.name}"


def column_name(column: int) -> str:
    """``4`` → ``D``, ``16384`` → ``XFD`` (1-based)."""
    letters = ""
    n = column
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """``(7, 4)`` → ``D7``."""
    return f"{column_name(column)}{row}"


class FigureSources:
    """The cell of every figure of one load (file, sheet, row, column), compactly.

    Look a figure up with :meth:`cell` by entity key (see the module docstring) and
    field name (an extra field by its declared name); re-read its text with
    :meth:`text`.  The first value recorded for a figure is the one kept (as the
    reader keeps the first of two values).
    """

    __slots__ = (
        "_sheets",
        "_sheet_index",
        "_entities",
        "_entity_index",
        "_fields",
        "_field_index",
        "_keys",
        "_cells",
        "_sorted",
    )

    def __init__(self) -> None:
        self._sheets: list[SheetRef] = []
        self._sheet_index: dict[SheetRef, int] = {}
        self._entities: list[tuple[Hashable, ...]] = []
        self._entity_index: dict[tuple[Hashable, ...], int] = {}
        self._fields: list[str] = []
        self._field_index: dict[str, int] = {}
        self._keys = array("q")
        self._cells = array("q")
        self._sorted = True

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def sheets(self) -> tuple[SheetRef, ...]:
        """The sheets figures came from, in the order first used."""
        return tuple(self._sheets)

    def _key(self, entity: tuple[Hashable, ...], field: str, add: bool) -> int | None:
        if entity and entity[0] == "band":
            # a band is stored under its segment (a sheet has a dozen band columns and
            # thousands of segments: no entity key per band)
            entity, field = ("segment", *entity[1:3]), f"{_BAND}{entity[3]}.{field}"
        e = self._entity_index.get(entity)
        f = self._field_index.get(field)
        if e is None or f is None:
            if not add:
                return None
            if e is None:
                e = self._entity_index[entity] = len(self._entities)
                self._entities.append(entity)
            if f is None:
                f = self._field_index[field] = len(self._fields)
                self._fields.append(field)
        return (e << _FIELD_BITS) | f

    def add(
        self, sheet: SheetRef, entity: tuple[Hashable, ...], field: str, row: int, column: int
    ) -> None:
        """Record that ``field`` of ``entity`` came from ``sheet`` at (row, column)."""
        s = self._sheet_index.get(sheet)
        if s is None:
            s = self._sheet_index[sheet] = len(self._sheets)
            self._sheets.append(sheet)
        key = self._key(entity, field, add=True)
        assert key is not None
        if self._keys and key < self._keys[-1]:
            self._sorted = False
        self._keys.append(key)
        self._cells.append((s << (_ROW_BITS + _COL_BITS)) | (row << _COL_BITS) | column)

    def _sort(self) -> None:
        if self._sorted:
            return
        # stable: the first value recorded for a key stays first
        order = sorted(range(len(self._keys)), key=self._keys.__getitem__)
        self._keys = array("q", (self._keys[i] for i in order))
        self._cells = array("q", (self._cells[i] for i in order))
        self._sorted = True

    def cell(self, entity: tuple[Hashable, ...], field: str) -> CellRef | None:
        """The cell ``field`` of ``entity`` was read from, or ``None`` when it was not
        read from a cell (absent, or not from a spreadsheet)."""
        key = self._key(entity, field, add=False)
        if key is None:
            return None
        self._sort()
        i = bisect.bisect_left(self._keys, key)
        if i == len(self._keys) or self._keys[i] != key:
            return None
        return self._unpack(self._cells[i])

    def _unpack(self, packed: int) -> CellRef:
        column = packed & ((1 << _COL_BITS) - 1)
        row = (packed >> _COL_BITS) & ((1 << _ROW_BITS) - 1)
        return CellRef(self._sheets[packed >> (_ROW_BITS + _COL_BITS)], row, column)

    def __iter__(self) -> Iterator[tuple[tuple[Hashable, ...], str, CellRef]]:
        """Every (entity, field, cell), in key order."""
        self._sort()
        for key, packed in zip(self._keys, self._cells, strict=True):
            entity = self._entities[key >> _FIELD_BITS]
            field = self._fields[key & ((1 << _FIELD_BITS) - 1)]
            if field.startswith(_BAND):
                low, field = field[len(_BAND) :].split(".", 1)
                entity = ("band", *entity[1:3], int(low))
            yield entity, field, self._unpack(packed)

    def text(self, entity: tuple[Hashable, ...], field: str) -> str | None:
        """The raw text of the cell ``field`` of ``entity`` came from, re-read from the
        file (:func:`read_cell`), or ``None`` when it came from no cell.

        Raises:
            DataFileError: the file can no longer be read.
        """
        ref = self.cell(entity, field)
        return None if ref is None else read_cell(ref)


def read_cell(ref: CellRef) -> str:
    """The text of a cell as the file holds it now (a workbook's cached value; a CSV
    file's field), ``""`` for an empty cell.

    Raises:
        DataFileError: the file cannot be read, or no longer has that sheet.
    """
    from eduint.data.spreadsheets.sources import decode_csv, text_of

    src = ref.source
    if src.path is None:
        raise DataFileError(src.file, "the figure was not read from a file")
    try:
        if src.encoding is not None:
            text, _enc = decode_csv(src.path.read_bytes(), src.file, src.encoding)
            delimiter = "\t" if src.encoding == "utf-16" else ","
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for record in reader:
                start = reader.line_num - sum(v.count("\n") for v in record)
                if start == ref.row:
                    return record[ref.column - 1].strip() if ref.column <= len(record) else ""
                if start > ref.row:
                    break
            return ""
        from eduint.data.limits import Limits, read_limited
        from eduint.data.spreadsheets.xlsx import cell_value

        raw = read_limited(src.path, src.file, Limits())
        return text_of(cell_value(raw, src.file, src.sheet, ref.row, ref.column))
    except KeyError:
        raise DataFileError(src.file, f"the workbook has no sheet '{src.sheet}'") from None
    except (OSError, csv.Error) as exc:
        raise DataFileError(src.file, f"cannot read the file again: {exc}") from None
