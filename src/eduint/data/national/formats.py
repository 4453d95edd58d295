"""The files of national input, as a header and chunks of columns.

Each reader opens one file and gives its first rows (to find the header in,
:func:`~eduint.data.national.columns.plan_columns`) and then, for the columns planned,
chunks of column values with the row number of each row as the user sees it (the CSV
line, the Excel row, the JSONL line, the Parquet row counted from 1).  A chunk's column
is a pyarrow array or a list of cell values; the caller converts it to numpy arrays
and drops it, so no Python object per cell outlives its chunk.

* Parquet: :class:`pyarrow.parquet.ParquetFile`, in record batches (no pandas).
* CSV: decoded as the spreadsheet reader decodes it (UTF-8, else GB18030, or UTF-16
  with its byte-order mark: :func:`~eduint.data.spreadsheets.sources.decode_csv`), a
  title row above the header allowed; the rows below the header are read by
  :mod:`pyarrow.csv` when pyarrow is installed (text columns kept as text: a
  学校代码's leading zeros stay), else by the :mod:`csv` module in chunks.
* XLSX: the spreadsheet reader's streaming reader
  (:func:`~eduint.data.spreadsheets.xlsx.read_xlsx`), the school sheet (``学校``, or
  the workbook's only sheet).
* JSON Lines: one object per line, its keys as headers.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import attrs

from eduint.data.errors import DataFileError, DataProblem
from eduint.data.limits import Limits, read_limited
from eduint.data.spreadsheets.mapping import sheet_role
from eduint.data.spreadsheets.sources import HEADER_SCAN, decode_csv

__all__ = ["SUFFIXES", "Chunk", "Source", "open_source"]

#: The suffixes of the files a national folder is read from.
SUFFIXES = (".parquet", ".csv", ".xlsx", ".xlsm", ".jsonl", ".ndjson")
#: Rows a chunk holds (the stdlib CSV reader, JSON Lines, XLSX).
CHUNK = 50_000


@attrs.define
class Chunk:
    """Columns of some rows: column index → pyarrow array or list of values, and the
    rows' numbers as the user sees them (a numpy int64 array)."""

    columns: dict[int, Any]
    rownums: Any
    done: int  # bytes (or an estimate) of the file read so far


@attrs.define
class Source:
    """One opened file: its first rows (row number, values) and a way to read chunks.

    Attributes:
        file: the file as shown in problems.
        size: its size in bytes (for progress).
        head: (row number, values) of its first rows, for the header.
        chunks: ``chunks(header_row, wanted, text_columns)`` yields the chunks of the
            rows below the header row, with the columns ``wanted``; ``text_columns``
            are read as text (never as numbers).
        problems: problems found opening it (keys a JSONL line adds later …).
    """

    file: str
    size: int
    head: list[tuple[int, list[Any]]]
    chunks: Callable[[int, list[int], set[int]], Generator[Chunk, None, None]]
    problems: list[DataProblem] = attrs.field(factory=list)


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def open_source(path: Path, shown: str, limits: Limits, encoding: str | None = None) -> Source:
    """Open one national file by its suffix.

    Raises:
        DataFileError: the file cannot be read, is too large (D005), is not of a known
            kind, or needs pyarrow (Parquet) which is not installed.
    """
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return _parquet(path, shown, limits)
    if suffix == ".csv":
        return _csv(path, shown, limits, encoding)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path, shown, limits)
    if suffix in (".jsonl", ".ndjson"):
        return _jsonl(path, shown, limits)
    raise DataFileError(
        shown,
        f"not a national data file (expected {', '.join(SUFFIXES)})",
    )


def _file_limits(limits: Limits) -> Limits:
    """The limits a national file is read under: the national ones in place of the
    county ones (file size, rows, cells)."""
    return attrs.evolve(
        limits,
        file_size=limits.national_file_size,
        rows=limits.national_rows + HEADER_SCAN,
        cells=max(limits.cells, (limits.national_rows + HEADER_SCAN) * 200),
    )


def _size(path: Path, shown: str, limits: Limits) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataFileError(shown, f"cannot read the file: {exc.strerror or exc}") from None
    if size > limits.national_file_size:
        raise DataFileError(
            shown,
            limits.exceeded("national_file_size", f"the file holds {size:,} bytes"),
            code="D005",
        )
    return size


# ----------------------------------------------------------------- Parquet


def _parquet(path: Path, shown: str, limits: Limits) -> Source:
    size = _size(path, shown, limits)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DataFileError(
            shown, "reading Parquet needs pyarrow: pip install 'eduint[parquet]'"
        ) from None
    try:
        # mapped, not copied into pyarrow's buffers first (~10 % of the read at scale 1)
        pf = pq.ParquetFile(path, memory_map=True)
    except Exception as exc:  # pyarrow raises its own kinds for a broken file
        raise DataFileError(shown, f"cannot read the Parquet file: {exc}") from None
    names = list(pf.schema_arrow.names)
    total = pf.metadata.num_rows

    def chunks(_header: int, wanted: list[int], _text: set[int]) -> Generator[Chunk, None, None]:
        import numpy as np
        import pyarrow as pa

        # columns are read by name: a name given twice would read another column
        _unique_names(names, wanted, shown)
        # A list column (班额: every class's size, 4.3 million at national scale) is
        # most of the decoding: it is decoded in a thread of its own while the other
        # columns are read and converted here (pyarrow decodes without Python's lock),
        # and waited for when the reader reaches it (the class lists come last).
        lists = [i for i in wanted if pa.types.is_list(pf.schema_arrow.field(i).type)]
        for i in lists:  # a few bytes may decode to millions of entries: not decoded then
            _list_entries_within(pf, i, shown, limits)
        pending = {i: _Decoding(path, names[i], shown) for i in lists}
        try:
            rest = [i for i in wanted if i not in pending]
            # the other columns at once (ParquetFile.read decodes them in parallel; record
            # batches are slower): their arrays are the data's size, no object a cell
            try:
                table = pf.read(columns=[names[i] for i in rest])
            except (OSError, ValueError) as exc:
                raise DataFileError(shown, f"cannot read the Parquet file: {exc}") from None
            data = _Columns({i: _valid_text(table.column(k), names[i], shown)
                             for k, i in enumerate(rest)}, pending)
            yield Chunk(data, np.arange(1, total + 1, dtype=np.int64), size)
        finally:
            # a read that failed (or stopped) leaves no thread decoding behind it
            for decoding in pending.values():
                decoding.thread.join()

    return Source(shown, size, [(0, names)], chunks)


def _unique_names(names: list[str], wanted: list[int], shown: str) -> None:
    """Raises DataFileError (D006) when a wanted column's name is given to two columns
    (pyarrow writes such a file; reading by name would read the wrong one)."""
    for i in wanted:
        if names.count(names[i]) > 1:
            raise DataFileError(
                shown,
                f"the file has two columns named {names[i]}; give each column its own name",
                code="D006",
            )


def _has_text(t: Any) -> bool:
    """Whether an Arrow type holds text (a string, or a nested type with strings)."""
    import pyarrow as pa

    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return True
    if pa.types.is_dictionary(t):
        return _has_text(t.value_type)
    return any(_has_text(t.field(k).type) for k in range(t.num_fields))


def _valid_text(column: Any, name: str, shown: str) -> Any:
    """A column read from a Parquet file, its text checked to be UTF-8 (Parquet's
    reader takes a string page's bytes as they are).

    Raises:
        DataFileError: the column holds text that is not valid UTF-8 (D001).
    """
    import pyarrow as pa

    if _has_text(column.type):
        try:
            column.validate(full=True)
        except pa.ArrowInvalid as exc:
            raise DataFileError(
                shown, f"the column {name} cannot be read: {exc} (text that is not valid "
                "UTF-8, or a damaged file)", code="D001") from None
    return column


def _leaves(t: Any) -> int:
    """The Parquet leaf columns an Arrow type is stored as."""
    return sum(_leaves(t.field(k).type) for k in range(t.num_fields)) if t.num_fields else 1


def _list_entries_within(pf: Any, index: int, shown: str, limits: Limits) -> None:
    """Refuse (D005) a list column whose entries, by the file's metadata, pass the
    ``national_classes`` limit, before it is decoded (a few kilobytes of Parquet can
    decode to gigabytes).  A leaf's value count includes one level for each blank or
    empty row: those are taken off, so only a column surely past the limit is refused.

    Raises:
        DataFileError: the column holds more entries than the limit (D005).
    """
    schema = pf.schema_arrow
    first = sum(_leaves(schema.field(k).type) for k in range(index))
    leaves = range(first, first + _leaves(schema.field(index).type))
    md = pf.metadata
    if first + len(leaves) > md.num_columns:
        return  # not the layout expected: the limit is checked after decoding
    levels = sum(md.row_group(r).column(c).num_values
                 for r in range(md.num_row_groups) for c in leaves)
    entries = levels - md.num_rows * len(leaves)
    if entries > limits.national_classes:
        raise DataFileError(
            shown,
            limits.exceeded("national_classes", f"the column {schema.field(index).name} "
                            f"holds at least {entries:,} class sizes"),
            code="D005",
        )


class _Decoding:
    """One column of a Parquet file decoded in a thread of its own (its own file
    handle; one decoding thread: the other columns use the other core)."""

    def __init__(self, path: Path, name: str, shown: str) -> None:
        import threading

        self.name, self.shown = name, shown
        self.column: Any = None
        self.error: str | None = None
        self.thread = threading.Thread(target=self._run, args=(path,), daemon=True,
                                       name=f"eduint-parquet-{name}")
        self.thread.start()

    def _run(self, path: Path) -> None:
        import pyarrow.parquet as pq

        try:
            table = pq.ParquetFile(path, memory_map=True).read(columns=[self.name],
                                                                use_threads=False)
            self.column = table.column(0)
        except Exception as exc:  # pyarrow raises its own kinds for a broken file
            self.error = str(exc)

    def result(self) -> Any:
        """The column, once decoded.

        Raises:
            DataFileError: the column cannot be read.
        """
        self.thread.join()
        if self.error is not None:
            raise DataFileError(self.shown, f"cannot read the Parquet file: {self.error}")
        return _valid_text(self.column, self.name, self.shown)


class _Columns(dict[int, Any]):
    """A chunk's columns, of which those still ``pending`` (:class:`_Decoding`) are
    waited for when first looked up."""

    def __init__(self, ready: dict[int, Any], pending: dict[int, _Decoding]) -> None:
        super().__init__(ready)
        self.pending = pending

    def __missing__(self, index: int) -> Any:
        decoding = self.pending.pop(index, None)
        if decoding is None:
            raise KeyError(index)
        self[index] = column = decoding.result()
        return column


# --------------------------------------------------------------------- CSV


def _csv(path: Path, shown: str, limits: Limits, encoding: str | None) -> Source:
    _size(path, shown, limits)
    raw = read_limited(path, shown, _file_limits(limits))
    text, used = decode_csv(raw, shown, encoding)
    delimiter = "\t" if used == "utf-16" else ","
    head: list[tuple[int, list[Any]]] = []
    reader = csv.reader(io.StringIO(text[: 1 << 20], newline=""), delimiter=delimiter)
    try:
        for record in reader:
            start = reader.line_num - sum(v.count("\n") for v in record)
            if any(v.strip() for v in record):
                head.append((start, record))
            if len(head) >= HEADER_SCAN:
                break
    except csv.Error:
        pass  # a cut-off quoted cell at the 1 MiB mark: the rows before it are enough

    def chunks(header: int, wanted: list[int], text_cols: set[int]) -> Generator[Chunk, None, None]:
        if _has_pyarrow():
            got = _arrow_csv(raw, text, used, header, wanted, text_cols, delimiter, shown)
            if got is not None:
                yield got
                return
        yield from _stdlib_csv(text, header, wanted, delimiter, shown, len(raw))

    return Source(shown, len(raw), head, chunks)


def _lines_before(text: str, header: int) -> int:
    """The character offset where the physical line after line ``header`` begins."""
    at = 0
    for _ in range(header):
        nl = text.find("\n", at)
        if nl < 0:
            return len(text)
        at = nl + 1
    return at


def _bytes_before(raw: bytes, header: int) -> int:
    """The byte offset where the physical line after line ``header`` begins."""
    at = 0
    for _ in range(header):
        nl = raw.find(b"\n", at)
        if nl < 0:
            return len(raw)
        at = nl + 1
    return at


#: Bytes from which pyarrow reads a CSV file with threads.
_THREADED_CSV = 8 << 20


def _arrow_csv(
    raw: bytes, text: str, used: str, header: int, wanted: list[int], text_cols: set[int],
    delimiter: str, shown: str,
) -> Chunk | None:
    """The rows below the header by :mod:`pyarrow.csv`, or ``None`` when it cannot
    read them as one table (rows of different widths …: the stdlib reader then does)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if used == "utf-8":  # the file's own bytes below the header: no copy of the text
        data = raw[_bytes_before(raw, header):]
    else:
        data = text[_lines_before(text, header):].encode("utf-8")
    if not data.strip():
        return Chunk({i: pa.array([], pa.string()) for i in wanted}, np.zeros(0, np.int64),
                     len(raw))
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            # threads pay off on large files only: a county file is read faster in one
            read_options=pacsv.ReadOptions(autogenerate_column_names=True,
                                           block_size=1 << 24,
                                           use_threads=len(data) > _THREADED_CSV),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in text_cols},
                include_columns=[f"f{i}" for i in wanted],
                include_missing_columns=True,
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError, UnicodeError):
        return None
    n = table.num_rows
    # one physical line a row: the row numbers are the lines (else count them)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines == n:
        rownums = np.arange(header + 1, header + n + 1, dtype=np.int64)
    else:
        rownums = _csv_rownums(text[_lines_before(text, header):], header, delimiter)
        if len(rownums) != n:
            return None
    cols = {i: table.column(f"f{i}").combine_chunks() for i in wanted}
    return Chunk(cols, rownums, len(raw))


def _csv_rownums(body: str, header: int, delimiter: str) -> Any:
    """The first line of each non-blank-line record below the header (pyarrow skips
    empty lines; a quoted cell may span lines)."""
    import numpy as np

    out = []
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    for record in reader:
        if record:
            out.append(header + reader.line_num - sum(v.count("\n") for v in record))
    return np.array(out, dtype=np.int64)


def _stdlib_csv(
    text: str, header: int, wanted: list[int], delimiter: str, shown: str, size: int
) -> Generator[Chunk, None, None]:
    """The rows below the header by the :mod:`csv` module, :data:`CHUNK` rows a chunk.
    The lines are cut from the text one at a time (an :class:`io.StringIO` would copy
    the whole text, at 4 bytes a character)."""
    at = [_lines_before(text, header)]
    start = at[0]
    total = max(len(text) - start, 1)

    def lines() -> Iterator[str]:
        while at[0] < len(text):
            nl = text.find("\n", at[0])
            end = len(text) if nl < 0 else nl + 1
            line = text[at[0]:end]
            at[0] = end
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    rows: list[list[str]] = []
    nums: list[int] = []
    try:
        for record in reader:
            if not any(v and not v.isspace() for v in record):
                continue
            nums.append(header + reader.line_num - sum(v.count("\n") for v in record))
            rows.append(record)
            if len(rows) >= CHUNK:
                yield _transpose(rows, nums, wanted, size * (at[0] - start) // total)
                rows, nums = [], []
    except csv.Error as exc:
        raise DataFileError(
            shown, f"not a CSV file (line {header + reader.line_num:,}: {exc})"
        ) from None
    if rows:
        yield _transpose(rows, nums, wanted, size)


def _transpose(rows: list[list[Any]], nums: list[int], wanted: list[int], done: int) -> Chunk:
    import numpy as np

    cols = {i: [r[i] if i < len(r) else None for r in rows] for i in wanted}
    return Chunk(cols, np.array(nums, dtype=np.int64), done)


# -------------------------------------------------------------------- XLSX


def _xlsx(path: Path, shown: str, limits: Limits) -> Source:
    from eduint.data.spreadsheets.mapping import sheet_role
    from eduint.data.spreadsheets.sources import Budget
    from eduint.data.spreadsheets.xlsx import read_xlsx

    _size(path, shown, limits)
    sheets, raw = read_xlsx(path, shown, Budget(_file_limits(limits)))
    roles = [(sheet_role(s.name or ""), s) for s in sheets]
    chosen = next((s for r, s in roles if r == "schools"), None)
    if chosen is None:
        data = [s for r, s in roles if r not in ("explain",) and s.rows]
        if len(data) != 1:
            raise DataFileError(
                shown,
                "the workbook has no sheet named 学校 (schools), and not exactly one sheet "
                "holding data; name the national table's sheet 学校",
            )
        chosen = data[0]
    width_rows = chosen.rows

    def values(cells: Any) -> list[Any]:
        out: list[Any] = [None] * cells.width
        for i, c in cells.items():
            out[i] = c.value
        return out

    head = [(num, values(cells)) for num, cells in width_rows[:HEADER_SCAN]]
    size = len(raw)
    del raw

    def chunks(header: int, wanted: list[int], _text: set[int]) -> Generator[Chunk, None, None]:
        import numpy as np

        body = [(num, cells) for num, cells in width_rows if num > header]
        for a in range(0, len(body), CHUNK):
            part = body[a : a + CHUNK]
            cols = {}
            for i in wanted:
                col = []
                for _num, cells in part:
                    c = cells.get(i)
                    col.append(c.value if c is not None else None)
                cols[i] = col
            nums = np.array([num for num, _c in part], dtype=np.int64)
            yield Chunk(cols, nums, size * min(a + CHUNK, len(body)) // max(len(body), 1))

    return Source(shown, size, head, chunks)


# ------------------------------------------------------------------- JSONL


def _jsonl(path: Path, shown: str, limits: Limits) -> Source:
    """JSON Lines: the keys of the first lines' objects are the headers; the lines are
    parsed a chunk at a time (one text a line is kept, never an object a cell)."""
    size = _size(path, shown, limits)
    raw = read_limited(path, shown, _file_limits(limits))
    text, _used = decode_csv(raw, shown, "utf-8")
    del raw
    lines = text.split("\n")
    del text
    keys: dict[str, int] = {}
    seen = 0
    for k, line in enumerate(lines, 1):
        if seen >= HEADER_SCAN * 50:
            break
        if line.strip():
            seen += 1
            for key in _object(line, k, shown):
                keys.setdefault(str(key), len(keys))
    names = list(keys)

    def chunks(_header: int, wanted: list[int], _text: set[int]) -> Generator[Chunk, None, None]:
        import numpy as np

        for a in range(0, len(lines), CHUNK):
            objs = [(k, _object(line, k, shown))
                    for k, line in enumerate(lines[a : a + CHUNK], a + 1) if line.strip()]
            cols = {i: [o.get(names[i]) for _k, o in objs] for i in wanted}
            nums = np.array([k for k, _o in objs], dtype=np.int64)
            yield Chunk(cols, nums, size * min(a + CHUNK, len(lines)) // max(len(lines), 1))

    return Source(shown, size, [(0, names)], chunks)


def _object(line: str, k: int, shown: str) -> dict[str, Any]:
    """One line of a JSON Lines file as an object.

    Raises:
        DataFileError: the line is not JSON, or not an object (D001).
    """
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataFileError(shown, f"not JSON Lines: {exc.msg}", line=k, column=exc.colno) from None
    if not isinstance(obj, dict):
        raise DataFileError(shown, "not JSON Lines: the line holds no object", line=k)
    return obj


def folder_files(root: Path) -> tuple[list[Path], list[Path]]:
    """A folder's national files (by suffix, sorted) and the other files in it (hidden
    files, Excel's ``~$`` lock files and 说明 or readme files left out)."""
    # a 说明/readme file (eduint synth writes 说明.csv) explains the folder: not data
    files = sorted(p for p in root.iterdir() if p.is_file()
                   and not p.name.startswith(("~$", ".")) and sheet_role(p.stem) != "explain")
    ours = [p for p in files if p.suffix.lower() in SUFFIXES]
    return ours, [p for p in files if p.suffix.lower() not in SUFFIXES]


def shown_path(root: str | os.PathLike[str], p: Path) -> str:
    """A file of a folder as problems show it (the folder's name joined with the file's)."""
    return str(Path(root) / p.name) if Path(root).is_dir() else str(root)
