"""Writing spreadsheets: :func:`write_tables` (counties as a workbook or CSV folder).

The sheets come from :mod:`~eduint.data.spreadsheets.tables`; with ``export=True``
they are made awkward like a real statistics export (title rows, a two-row merged
header, 万元 amounts, numbers as text, a blank row and a 合计 row), for tests and
examples.  openpyxl is imported only when a workbook is written.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from eduint.data.models import County
from eduint.data.spreadsheets.mapping import Layout
from eduint.data.spreadsheets.rows import tidy
from eduint.data.spreadsheets.tables import Table, build_tables

__all__ = ["header_text", "write_tables"]

#: A laid-out sheet: rows from row 1, merged ranges (row1, col1, row2, col2; 1-based)
#: and each cell's number format (``""`` or a percentage format).
_Laid = tuple[list[list[Any]], list[tuple[int, int, int, int]], list[list[str]]]


def _export_header(
    table: Table,
) -> tuple[list[list[Any]], list[tuple[int, int, int, int]], list[Decimal | None]]:
    """The header rows of an export (one row, or two with segment groups merged over
    their columns), the merges of groups, and each column's scale (万元: 10000)."""
    rows: list[list[Any]] = []
    merges: list[tuple[int, int, int, int]] = []
    width = len(table.headers)
    headers = []
    scale: list[Decimal | None] = []
    for h, u in zip(table.headers, table.units, strict=True):
        if u == "元" and table.name == "学校":
            headers.append(f"{h}（万元）")
            scale.append(Decimal(10000))
        else:
            headers.append(f"{h}（{u}）" if u and u != "%" else h)
            scale.append(None)
    if any(table.groups):
        top = [g or h for g, h in zip(table.groups, headers, strict=True)]
        bottom = [h if g else None for g, h in zip(table.groups, headers, strict=True)]
        rows += [top, bottom]
        c = 0
        while c < width:
            if table.groups[c]:
                end = c
                while end + 1 < width and table.groups[end + 1] == table.groups[c]:
                    end += 1
                merges.append((3, c + 1, 3, end + 1))
                c = end + 1
            else:
                merges.append((3, c + 1, 4, c + 1))
                c += 1
    else:
        rows.append(headers)
    return rows, merges, scale


def _export(table: Table, title: str) -> _Laid:
    """Make a table awkward like a real export: title rows, a two-row header where there
    are groups, 万元 amounts, numbers as text, a blank row and a 合计 row.

    Returns:
        The rows (from row 1), merged ranges (row1, col1, row2, col2; 1-based) and the
        cell number formats (``"0%"`` for percentages, else ``""``).
    """
    width = len(table.headers)
    header_rows, header_merges, scale = _export_header(table)
    rows: list[list[Any]] = [[title], [f"单位：见列标题；{table.name}"], *header_rows]
    merges = [(1, 1, 1, max(width, 1)), *header_merges]
    formats = [[""] * width for _ in rows]
    total = [Decimal(0)] * width
    summable = [u is not None and u not in ("%", "元/人") for u in table.units]
    for n, data in enumerate(table.rows):
        out: list[Any] = []
        fmt: list[str] = []
        for i, v in enumerate(data):
            f = ""
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                d = Decimal(str(v))
                if summable[i]:
                    total[i] += d
                if scale[i] is not None:
                    v = tidy(d / scale[i])  # type: ignore[operator]
                    v = float(v) if v != v.to_integral_value() else int(v)
                elif table.units[i] == "%":
                    v = float(d / 100)
                    f = "0.0%"
                elif table.units[i] == "人" and n % 2 == 0:
                    v = f"{int(d):,}" if d == d.to_integral_value() else str(d)  # text
            out.append(v)
            fmt.append(f)
        rows.append(out)
        formats.append(fmt)
        if n == 2:
            rows.append([None] * width)  # a blank separator row
            formats.append([""] * width)
    if table.name == "学校" and table.rows:
        label_col = next((i for i, h in enumerate(table.headers) if h == "学校名称"), 0)
        tot: list[Any] = [None] * width
        tot[label_col] = "合计"
        for i in range(width):
            if summable[i] and total[i] and scale[i] is None and table.units[i] != "班":
                tot[i] = (
                    int(total[i]) if total[i] == total[i].to_integral_value() else float(total[i])
                )
        rows.append(tot)
        formats.append([""] * width)
    return rows, merges, formats


def _plain_headers(table: Table) -> list[Any]:
    """One header row: units in brackets, wide segment columns prefixed (小学在校生数)."""
    groups = table.groups or [""] * len(table.headers)
    return [
        g + header_text(h, u) for g, h, u in zip(groups, table.headers, table.units, strict=True)
    ]


def header_text(header: str, unit: str | None) -> str:
    """A header with its unit in brackets: ``在校生数（人）`` (``%`` and ``1`` are left out)."""
    return f"{header}（{unit}）" if unit and unit not in ("%", "1") else header


def _write_xlsx(tables: list[Table], target: Path, title: str, export: bool) -> None:
    import openpyxl  # imported here: the YAML path never needs it
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for table in tables:
        ws = wb.create_sheet(table.name)
        if export:
            rows, merges, formats = _export(table, f"{title}{table.name}情况表")
        else:
            rows, merges, formats = (
                [_plain_headers(table), *table.rows],
                [],
                [[""] * len(table.headers)] * (len(table.rows) + 1),
            )
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is None:
                    continue
                cell = ws.cell(r, c, v)
                if formats[r - 1][c - 1] if c - 1 < len(formats[r - 1]) else "":
                    cell.number_format = formats[r - 1][c - 1]
        for r1, c1, r2, c2 in merges:
            if (r1, c1) != (r2, c2):
                ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for c in range(1, len(table.headers) + 1):
            ws.column_dimensions[get_column_letter(c)].width = 14
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)


def _write_csv(
    tables: list[Table], target: Path, title: str, export: bool, encoding: str
) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        if export:
            rows, _merges, formats = _export(table, f"{title}{table.name}情况表")
            rows = [
                [
                    (f"{Decimal(str(v)) * 100:f}".rstrip("0").rstrip(".") + "%")
                    if formats[r][c] and isinstance(v, float)
                    else v
                    for c, v in enumerate(row)
                ]
                for r, row in enumerate(rows)
            ]
        else:
            rows = [_plain_headers(table), *table.rows]
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\r\n")
        for row in rows:
            w.writerow(["" if v is None else v for v in row])
        file = target / f"{table.name}.csv"
        file.write_bytes(buf.getvalue().encode(encoding))
        written.append(file)
    return written


def write_tables(
    counties: County | Sequence[County],
    path: str | os.PathLike[str],
    *,
    layout: Layout = "long",
    rules: str | None = None,
    export: bool = False,
    encoding: str = "utf-8-sig",
) -> list[Path]:
    """Write counties as spreadsheets that :func:`~eduint.data.spreadsheets.read_tables` reads back to the same
    counties.

    Sheets: 县区, 学校, 班级 (when classes are listed), 自评, 学校数; several counties
    get a 行政区划代码 column in every sheet.

    Args:
        counties: one county or several.
        path: an ``.xlsx`` file, or a folder (created) that receives one CSV file per
            sheet (``学校.csv`` …).
        layout: ``"long"`` (one school row per segment, with 学段) or ``"wide"``
            (one row per school, segment figures under a 小学/初中 header group).
        rules: a rule-set name written in the county sheet (规则), or ``None``.
        export: write like a real statistics export: two title rows, a two-row merged
            header (wide layout), amounts of the school sheet in 万元, shares as
            percentage cells (XLSX) or ``90%`` text (CSV), some numbers as text, a
            blank row and a 合计 row.
        encoding: the encoding of CSV files (``utf-8-sig``, ``gbk``, ``gb18030``).

    Returns:
        The files written.

    Raises:
        OSError: a file cannot be written.
        UnicodeEncodeError: a CSV cell cannot be written in ``encoding``.
    """
    items = [counties] if isinstance(counties, County) else list(counties)
    tables = build_tables(items, layout, rules)
    target = Path(path)
    title = "、".join(c.name for c in items)
    if target.suffix.lower() in (".xlsx", ".xlsm"):
        _write_xlsx(tables, target, title, export)
        return [target]
    return _write_csv(tables, target, title, export, encoding)
