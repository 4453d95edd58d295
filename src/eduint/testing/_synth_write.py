"""Writers of :class:`~eduint.testing._synth_data.SynthTable`: Parquet, CSV, JSONL, XLSX
and a folder of county CSV files, each documented as synthetic in or beside the file.

The text formats are built column by column (numpy turns a whole column into text at
once; ``str.join`` over ``zip`` makes the lines), never cell by cell in Python, and no
writer depends on anything but the table: the same table gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from eduint.errors import MissingDependencyError
from eduint.testing._synth_data import COLUMNS, SynthTable

#: Rows per chunk of text (bounds the memory of the text being built).
CHUNK = 50_000
#: Suffix of the 说明 file written beside a CSV or JSONL file.
README_SUFFIX = ".说明.txt"
#: Name of the 说明 file inside a folder (a CSV named 说明 is skipped by every eduint
#: reader, as the template's 说明 sheet is).
FOLDER_README = "说明.csv"


def pyarrow_or_error() -> Any:
    """pyarrow, or a :class:`~eduint.errors.MissingDependencyError` that says how to
    install it."""
    try:
        import pyarrow
    except ImportError:
        raise MissingDependencyError(
            "error: writing Parquet needs pyarrow: pip install 'eduint[parquet]'"
        ) from None
    return pyarrow


def readme_lines(table: SynthTable, form: str) -> list[str]:
    """The 说明 of a written table, one line a string: what it is (synthetic), how it
    was made, its size, its columns with their units, its order and its holes."""
    m = table.meta
    lines = [
        "合成数据，不是真实数据。Synthetic data: nothing in this table is real.",
        f"Made by eduint synth (eduint.testing.synth) with --scale {m['scale']:g} "
        f"--seed {m['seed']}; the same scale and seed give the same file.",
        f"{m['counties']:,} counties, {m['schools']:,} schools, {m['rows']:,} rows "
        f"(one per school segment), {m['classes']:,} classes.",
        "The number of counties per province is roughly the real one; codes, names and "
        "every figure are made up.",
        "Rows are ordered by 行政区划代码, 学校代码 and 学段 (小学 before 初中). A "
        "九年一贯制学校 has two rows (小学, 初中) with the same 学校代码, each with its own "
        "segment's figures.",
        "A missing figure is "
        + ("null" if form in ("parquet", "jsonl") else "an empty cell")
        + ", never 0.",
        "Columns (header, unit, meaning):",
    ]
    lines += [f"  {name}\t{unit or '-'}\t{what}" for name, unit, what in COLUMNS]
    return lines


def _metadata(table: SynthTable) -> dict[str, str]:
    return {
        "eduint.synthetic": json.dumps(table.meta, ensure_ascii=False, sort_keys=True),
        "eduint.columns": json.dumps(
            [{"name": n, "unit": u, "meaning": w} for n, u, w in COLUMNS], ensure_ascii=False
        ),
        "eduint.readme": "\n".join(readme_lines(table, "parquet")),
    }


def write_parquet(table: SynthTable, path: Path) -> None:
    """Parquet (zstd): text columns as strings, figures as int32/int64/float64 with nulls,
    班额 as ``list<int16>``; the 说明 in the key-value metadata (``eduint.synthetic``:
    the generator's JSON, ``eduint.columns``, ``eduint.readme``).

    Raises:
        MissingDependencyError: pyarrow is not installed.
    """
    pa = pyarrow_or_error()
    import numpy as np
    import pyarrow.parquet as pq

    arrays: dict[str, Any] = {}
    for name, values in table.columns.items():
        mask = table.missing.get(name)
        if values.dtype.kind == "U":
            arrays[name] = pa.array(values, type=pa.string())
        else:
            arrays[name] = pa.array(values, mask=mask)
    offsets = pa.array(table.class_offsets.astype(np.int32))
    arrays["班额"] = pa.ListArray.from_arrays(
        offsets, pa.array(table.class_sizes), mask=pa.array(table.class_missing)
    )
    out = pa.table(arrays).replace_schema_metadata(_metadata(table))
    pq.write_table(out, str(path), compression="zstd", row_group_size=1 << 18)


def _text(table: SynthTable, name: str, lo: int, hi: int, null: str, quote: bool) -> list[str]:
    """A column's cells of rows ``lo:hi`` as text (``null`` where missing)."""
    import numpy as np

    values = table.columns[name][lo:hi]
    if values.dtype.kind == "U":
        text = np.char.add(np.char.add('"', values), '"') if quote else values
    else:
        text = values.astype(str)
    mask = table.missing.get(name)
    if mask is not None:
        text = np.where(mask[lo:hi], null, text)
    return text.tolist()  # type: ignore[no-any-return]


def _class_text(table: SynthTable, lo: int, hi: int, sep: str, null: str, ends: str) -> list[str]:
    """The 班额 cells of rows ``lo:hi``: the sizes joined by ``sep`` inside ``ends``."""
    off = table.class_offsets[lo : hi + 1].tolist()
    tokens = table.class_sizes[off[0] : off[-1]].astype(str).tolist()
    base = off[0]
    left, right = ends[:1], ends[1:]
    cells = [
        left + sep.join(tokens[a - base : b - base]) + right
        for a, b in zip(off, off[1:], strict=False)
    ]
    gone = table.class_missing[lo:hi]
    if gone.any():
        for i in gone.nonzero()[0].tolist():
            cells[i] = null
    return cells


def _chunks(lo: int, hi: int) -> Iterator[tuple[int, int]]:
    for a in range(lo, hi, CHUNK):
        yield a, min(a + CHUNK, hi)


def csv_lines(table: SynthTable, lo: int, hi: int) -> Iterator[str]:
    """The CSV text of rows ``lo:hi``, a chunk at a time (UTF-8 text, ``\\n`` line ends,
    no quoting: no generated cell holds a comma, quote or line break)."""
    for a, b in _chunks(lo, hi):
        cols = [_text(table, n, a, b, "", False) for n in table.columns]
        cols.append(_class_text(table, a, b, ";", "", ""))
        yield "".join(",".join(cells) + "\n" for cells in zip(*cols, strict=True))


def _header() -> str:
    return ",".join(name for name, _, _ in COLUMNS) + "\n"


def write_csv(table: SynthTable, path: Path) -> None:
    """One CSV file (UTF-8, class sizes joined by ``;``) and ``FILE.说明.txt`` beside it."""
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(_header())
        for text in csv_lines(table, 0, table.rows):
            f.write(text)
    _write_readme(table, path, "csv")


def write_jsonl(table: SynthTable, path: Path) -> None:
    """JSON Lines: one object per row, keys the headers, 班额 a list, missing null; and
    ``FILE.说明.txt`` beside it."""
    keys = [json.dumps(name, ensure_ascii=False) + ": " for name, _, _ in COLUMNS]
    with path.open("w", encoding="utf-8", newline="") as f:
        for a, b in _chunks(0, table.rows):
            cols = [_text(table, n, a, b, "null", True) for n in table.columns]
            cols.append(_class_text(table, a, b, ", ", "null", "[]"))
            f.write(
                "".join(
                    "{" + ", ".join(k + v for k, v in zip(keys, cells, strict=True)) + "}\n"
                    for cells in zip(*cols, strict=True)
                )
            )
    _write_readme(table, path, "jsonl")


def _write_readme(table: SynthTable, path: Path, form: str) -> None:
    readme = path.with_name(path.name + README_SUFFIX)
    readme.write_text("\n".join(readme_lines(table, form)) + "\n", encoding="utf-8")


def write_xlsx(table: SynthTable, path: Path) -> None:
    """A workbook: sheet 学校 (numbers as numbers, missing cells empty, 班额 as text
    joined by ``;``) and sheet 说明."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("学校")
    sheet.append([name for name, _, _ in COLUMNS])
    names = list(table.columns)
    for a, b in _chunks(0, table.rows):
        cols = [_cells(table, n, a, b) for n in names]
        cols.append([c or None for c in _class_text(table, a, b, ";", "", "")])
        for cells in zip(*cols, strict=True):
            sheet.append(list(cells))
    notes = book.create_sheet("说明")
    for line in readme_lines(table, "xlsx"):
        notes.append(line.split("\t") if line.startswith("  ") else [line])
    book.save(path)


def _cells(table: SynthTable, name: str, lo: int, hi: int) -> list[Any]:
    """A column's cells of rows ``lo:hi`` as Python values (``None`` where missing)."""
    cells: list[Any] = table.columns[name][lo:hi].tolist()
    mask = table.missing.get(name)
    if mask is not None:
        for i in mask[lo:hi].nonzero()[0].tolist():
            cells[i] = None
    return cells


def write_folder(table: SynthTable, path: Path) -> None:
    """A folder: one CSV file per county, ``<行政区划代码>-<县区名称>-学校.csv`` (the same
    columns as :func:`write_csv`; the ``-学校`` suffix makes it a school sheet for
    :func:`eduint.data.spreadsheets.read_tables` too), and ``说明.csv``."""
    import numpy as np

    path.mkdir(parents=True, exist_ok=True)
    codes = table.columns["行政区划代码"]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]).tolist() + [table.rows]
    names = table.columns["县区名称"]
    for lo, hi in zip(starts, starts[1:], strict=False):
        file = path / f"{codes[lo]}-{names[lo]}-学校.csv"
        with file.open("w", encoding="utf-8", newline="") as f:
            f.write(_header())
            for text in csv_lines(table, lo, hi):
                f.write(text)
    lines = ["说明"] + [line.replace("\t", " | ").strip() for line in readme_lines(table, "csv")]
    (path / FOLDER_README).write_text("\n".join(_csv_cell(x) for x in lines) + "\n", "utf-8")


def _csv_cell(text: str) -> str:
    """``text`` as one CSV cell (quoted when it holds a comma or a quote)."""
    if any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


#: Format → writer.
WRITERS: dict[str, Callable[[SynthTable, Path], None]] = {
    "parquet": write_parquet,
    "csv": write_csv,
    "jsonl": write_jsonl,
    "xlsx": write_xlsx,
    "folder": write_folder,
}
