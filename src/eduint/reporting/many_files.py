"""The whole result of many counties as files: CSV, JSON Lines, XLSX, Parquet.

Every level of the result (:mod:`eduint.engine.columnar.tables`: 县区, 县区学段, 学校,
学校学段, 班级; a level only when some rule is evaluated for it) is written with a row
per entity: keys, then per rule its outcome, reason, value, threshold and report lines.
Numbers are numbers (a whole number without a decimal point), a missing number is left
empty (never 0), an outcome is its word with its code in a column of its own
(1 达到, 2 基本达到, 3 缺少数据, 4 未达到, 5 不适用; :data:`CODE_NOTE`).

* ``csv``: one file per level, UTF-8 with a byte-order mark, headers in the language
  asked (行政区划代码, 县区, 学段, ``学校达标：数值（人/百人）`` …), no cell that a
  spreadsheet would run as a formula; ``NAME.county.csv``, ``NAME.county_segment.csv`` …
  beside ``NAME.csv``, or ``county.csv`` … inside a folder.  pyarrow writes them when it
  is installed (fast), the csv module otherwise (same cells; pyarrow quotes every text).
* ``parquet``: one file per level, named like the CSV files, with
  :meth:`~eduint.engine.columnar.ColumnarResult.to_arrow`'s columns (needs pyarrow).
* ``jsonl``: one file, one JSON object per entity, ``level`` first, the same names as
  Parquet; missing numbers ``null``.
* ``xlsx``: one workbook, a sheet per level except classes (a class level can exceed a
  worksheet's 1,048,576 rows: CSV and Parquet only) and a 说明 sheet saying so.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eduint.checking.schema import ScopeKind
from eduint.reporting._safe import formula_like, spreadsheet_safe
from eduint.reporting.messages import Lang
from eduint.reporting.words import check_lang, outcome_word, say

if TYPE_CHECKING:
    from eduint.engine.columnar import ColumnarResult
    from eduint.engine.columnar.tables import Column, LevelTable

__all__ = ["FILE_FORMATS", "column_header", "level_files", "write_many"]

#: The formats :func:`write_many` writes.
FILE_FORMATS = ("csv", "jsonl", "xlsx", "parquet")

#: Progress: called with the number of rows just written.
Progress = Callable[[int], None]

_XLSX_LEVELS = (ScopeKind.COUNTY, ScopeKind.COUNTY_SEGMENT, ScopeKind.SCHOOL, ScopeKind.SEGMENT)
_CHUNK = 20_000
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def column_header(col: Column, lang: Lang) -> str:
    """A column's header in ``lang``: 行政区划代码, 县区, 学校代码, 学段, 班额（人）, a
    rule's id for its outcome, ``学校达标（代码）``, ``学校达标：原因``,
    ``差异系数_骨干教师：数值``, ``学校达标：高学历教师（人/百人）``."""
    keys = {
        "county_code": "p.county_code",
        "county": "p.county",
        "school": "h.school_id",
        "school_name": "h.school_name",
        "segment": "key.segment",
        "size": "h.class_size",
        "overall": "p.overall",
    }
    if col.what in keys:
        head = say(keys[col.what], lang)
    elif col.what in ("headline", "outcome"):
        head = col.rule or ""
    elif col.what == "report":
        head = say("h.of", lang, name=col.rule, what=col.line or "")
    else:
        what = say(
            {"reason": "h.reason_code", "value": "h.value", "threshold": "h.threshold"}[col.what],
            lang,
        )
        head = say("h.of", lang, name=col.rule, what=what)
    return say("h.in_unit", lang, header=head, unit=col.unit) if col.unit else head


def _code_header(col: Column, lang: Lang) -> str:
    return say("h.in_unit", lang, header=column_header(col, lang), unit=say("h.code", lang))


def _outcome_words(lang: Lang) -> list[str | None]:
    from eduint.engine.columnar._rules import OUTCOMES

    return [None if o is None else outcome_word(o, lang) for o in OUTCOMES]


def _reason_words() -> list[str | None]:
    from eduint.engine.columnar.frame import CODES

    return [str(c.value) for c in CODES] + [None]


def _text_cells(values: Any, text: Callable[[str], Any]) -> list[Any]:
    """A text column for a spreadsheet: each distinct value made safe once by ``text``,
    ``""`` as none."""
    from eduint.engine.columnar.tables import distinct

    uniq, index = distinct(values)
    safe = [None if u == "" else text(u) for u in uniq]
    return [safe[i] for i in index]


def cells(
    table: LevelTable, lang: Lang, text: Callable[[str], Any] = spreadsheet_safe
) -> Iterator[tuple[str, list[Any]]]:
    """The table's columns for CSV and XLSX: ``(header, cells)``, outcomes as words
    followed by their codes, reasons as their code values, text from the data made
    safe by ``text`` (CSV: :func:`~eduint.reporting._safe.spreadsheet_safe`), numbers as
    ``int``/``float``, missing as ``None``."""
    from eduint.engine.columnar.tables import number_cells

    outcome = _outcome_words(lang)
    reasons = _reason_words()
    for col in table.columns:
        v = col.values
        if col.what in ("overall", "headline", "outcome"):
            yield column_header(col, lang), [outcome[c] for c in v.tolist()]
            codes = v.tolist()
            yield _code_header(col, lang), [c or None for c in codes]
        elif col.what == "reason":
            yield column_header(col, lang), [reasons[c] for c in v.tolist()]
        elif v.dtype == object:
            yield column_header(col, lang), _text_cells(v, text)
        else:
            yield column_header(col, lang), number_cells(v)


# ------------------------------------------------------------------ files


def level_files(
    path: str | os.PathLike[str], ext: str, levels: Sequence[ScopeKind]
) -> dict[ScopeKind, Path]:
    """Where each level's file goes: inside ``path`` when it is a folder (an existing
    one, or a path ending in ``/``): ``county.csv`` …; else beside it:
    ``NAME.county.csv`` … for ``NAME.csv`` (or ``NAME``)."""
    text = os.fspath(path)
    p = Path(text)
    if p.is_dir() or text.endswith(("/", os.sep)):
        p.mkdir(parents=True, exist_ok=True)
        return {lv: p / f"{lv.value}.{ext}" for lv in levels}
    stem = p.with_suffix("") if p.suffix.lower() == f".{ext}" else p
    return {lv: stem.with_name(f"{stem.name}.{lv.value}.{ext}") for lv in levels}


def write_many(
    result: ColumnarResult,
    path: str | os.PathLike[str],
    fmt: str,
    *,
    lang: str = "zh",
    progress: Progress | None = None,
) -> tuple[Path, ...]:
    """Write the whole result in ``fmt`` (see the module doc).

    Args:
        result: the columnar result.
        path: the file (jsonl, xlsx), or the base name or folder of the level files
            (csv, parquet).
        fmt: one of :data:`FILE_FORMATS`.
        lang: headers and words of CSV and XLSX.
        progress: called with the rows written, as they are written.

    Returns:
        The files written.

    Raises:
        ValueError: unknown ``fmt`` or ``lang``.
        ImportError: Parquet without pyarrow (the message says how to install it).
        OSError: a file cannot be written.
    """
    from eduint.engine.columnar.tables import level_table, levels

    lg = check_lang(lang)
    if fmt not in FILE_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FILE_FORMATS)}")
    if fmt == "parquet":
        from eduint.engine._optional import need

        need("pyarrow.parquet", "--format parquet")
    tick = progress or (lambda n: None)
    todo = levels(result)
    if fmt == "xlsx":
        target = Path(path)
        _write_xlsx(result, target, lg, tick)
        return (target,)
    if fmt == "jsonl":
        target = Path(path)
        with target.open("w", encoding="utf-8", newline="\n") as fh:
            for lv in todo:
                _write_jsonl(level_table(result, lv), fh, tick)
        return (target,)
    files = level_files(path, fmt, todo)
    for lv, target in files.items():
        table = level_table(result, lv)
        if fmt == "csv":
            _write_csv(table, target, lg)
        else:
            _write_parquet(table, target)
        tick(len(table))
    return tuple(files.values())


def _write_parquet(table: LevelTable, target: Path) -> None:
    from eduint.engine._optional import need
    from eduint.engine.columnar.tables import to_arrow

    pq = need("pyarrow.parquet", "--format parquet")
    pq.write_table(to_arrow(table), target)


def _write_csv(table: LevelTable, target: Path, lang: Lang) -> None:
    """One level as CSV: with pyarrow's writer when installed, else the csv module."""
    import importlib.util

    heads, columns = zip(*cells(table, lang), strict=True) if table.columns else ((), ())
    safe_heads = [spreadsheet_safe(h) for h in heads]
    if importlib.util.find_spec("pyarrow") is not None:
        from eduint.engine._optional import need

        pa = need("pyarrow", "CSV")
        pacsv = need("pyarrow.csv", "CSV")

        arrays = [pa.array(c) for c in columns]
        with target.open("wb") as fh:
            fh.write("\ufeff".encode())
            pacsv.write_csv(pa.Table.from_arrays(arrays, names=safe_heads), fh)
        return
    import csv

    with target.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(safe_heads)
        writer.writerows(
            [("" if x is None else x) for x in row] for row in zip(*columns, strict=True)
        )


def _write_jsonl(table: LevelTable, fh: Any, tick: Progress) -> None:
    """One level as JSON Lines: ``level`` first, then :meth:`Column.name` keys;
    outcomes as their word and code, numbers as numbers, missing as null."""
    from eduint.engine.columnar._rules import OUTCOMES
    from eduint.engine.columnar.frame import CODES
    from eduint.engine.columnar.tables import number_cells

    words = [None if o is None else str(o.value) for o in OUTCOMES]
    reasons = [str(c.value) for c in CODES] + [None]
    names: list[str] = []
    cols: list[list[Any]] = []
    for col in table.columns:
        v = col.values
        if col.what in ("overall", "headline", "outcome"):
            names += [col.name, f"{col.name}.code"]
            cols += [[words[c] for c in v.tolist()], v.tolist()]
        elif col.what == "reason":
            names.append(col.name)
            cols.append([reasons[c] for c in v.tolist()])
        elif v.dtype == object:
            names.append(col.name)
            cols.append([x or None for x in v.tolist()])
        else:
            names.append(col.name)
            cols.append(number_cells(v))
    level = table.level.value
    dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    n = len(table)
    for a in range(0, n, _CHUNK):
        part = [c[a : a + _CHUNK] for c in cols]
        lines = [
            dumps({"level": level, **dict(zip(names, row, strict=True))})
            for row in zip(*part, strict=True)
        ]
        fh.write("\n".join(lines) + "\n" if lines else "")
        tick(len(lines))


def _write_xlsx(result: ColumnarResult, target: Path, lang: Lang, tick: Progress) -> None:
    """A sheet per level but classes, numbers as numbers, and a 说明 sheet (openpyxl
    write-only: rows streamed)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from eduint.engine.columnar.tables import level_table, levels

    have = levels(result)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    sheets = [lv for lv in _XLSX_LEVELS if lv in have]
    for lv in sheets:
        ws = wb.create_sheet(say(f"level.{lv.value}", lang))

        def text(value: str, ws: Any = ws) -> Any:
            # a string cell, never a formula; a formula-like one keeps the quote prefix
            clean = _XLSX_ILLEGAL.sub("", value)
            if not formula_like(clean):
                return clean
            c = WriteOnlyCell(ws, value=clean)
            c.data_type = "s"
            c.quotePrefix = True
            return c

        heads, columns = zip(*cells(level_table(result, lv), lang, text), strict=True)
        ws.freeze_panes = "A2"
        head_cells = []
        for h in heads:
            c = WriteOnlyCell(ws, value=h)
            c.data_type = "s"
            c.font = bold
            head_cells.append(c)
        ws.append(head_cells)
        n = len(columns[0]) if columns else 0
        for a in range(0, n, _CHUNK):
            part = [c[a : a + _CHUNK] for c in columns]
            for row in zip(*part, strict=True):
                ws.append(row)
            tick(min(_CHUNK, n - a))
    notes = wb.create_sheet(say("t.many_notes", lang))
    names = say("name_sep", lang).join(say(f"level.{lv.value}", lang) for lv in sheets)
    notes.append([say("many.sheets_note", lang, sheets=names)])
    classes = ScopeKind.CLASS in have
    notes.append([say("many.classes_note" if classes else "many.classes_none", lang)])
    if not classes:
        notes.append([say("many.classes_note", lang)])
    wb.save(target)
