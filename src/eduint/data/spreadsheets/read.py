"""Reading county data from spreadsheets: :func:`read_tables`.

A workbook, a CSV file or a folder of them becomes one
:class:`~eduint.data.loading.LoadResult` per county.  Each sheet's header is found
(one row, or two merged rows, among the first rows), its columns resolved through the
column mapping (:mod:`~eduint.data.spreadsheets.mapping`), and every data row read by
its role (:mod:`~eduint.data.spreadsheets.rows`) into the input mapping of its county,
which :func:`eduint.data.loading.read_county` reads exactly as a YAML file.  The
loader's problems are mapped back to the cell they came from.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from eduint.data.errors import DataFileError, DataProblem
from eduint.data.extras import Extras, parse_extra_fields
from eduint.data.loading import LoadResult, read_county
from eduint.data.spreadsheets.mapping import (
    SEGMENT_WORDS,
    Column,
    Resolver,
    TableMapping,
    norm,
    sheet_role,
    split_unit,
)
from eduint.data.spreadsheets.rows import ROLE_READERS, Build, Row, RowKey, known_pairs
from eduint.data.spreadsheets.sources import (
    HEADER_SCAN,
    Cell,
    Sheet,
    read_csv,
    read_xlsx,
    sources,
    text_of,
)
from eduint.language.diagnostics import did_you_mean

__all__ = ["read_tables"]

_TOTAL_RE = re.compile(r"^(?:.*(?:合计|小计)|总计|全县|总数)$")
# The order sheets are read in: schools before the classes that name them.
_ROLE_ORDER = ("county", "schools", "classes", "attestations", "declared")


def _combine(top: Sequence[Cell], bottom: Sequence[Cell]) -> list[str]:
    """The headers of a two-row header: ``小学`` over ``在校生数`` → ``小学在校生数``."""
    width = max(len(top), len(bottom))
    t = [text_of(top[i].value) if i < len(top) else "" for i in range(width)]
    b = [text_of(bottom[i].value) if i < len(bottom) else "" for i in range(width)]
    out = []
    group = ""
    for i in range(width):
        if t[i] and b[i] and t[i] != b[i]:
            out.append(t[i] + b[i])
            group = t[i] if norm(t[i]) in (*SEGMENT_WORDS, "学段") else ""
        elif t[i] and not b[i]:
            out.append(t[i])
            group = t[i] if norm(t[i]) in SEGMENT_WORDS else ""
        elif b[i] and not t[i]:
            out.append(group + b[i])
        else:
            out.append(t[i])
            group = ""
    return out


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d,.]+%?", text))


def _truthy(value: Any) -> bool:
    return value is True or (
        isinstance(value, str) and value.strip().lower() in ("true", "是", "yes")
    )


class _Reader:
    """Reads the sheets of one source into one :class:`Build` per county."""

    def __init__(self, mapping: TableMapping, extras: Extras) -> None:
        self.mapping = mapping
        self.extras = extras
        self.builds: dict[str | None, Build] = {}
        self.orphans: list[DataProblem] = []
        self.orphan_rows: set[RowKey] = set()

    def county_for(self, code: str | None) -> Build | None:
        """The county of a row with county code ``code`` (``None``: no code column or cell);
        ``None`` when the row names no county and there are several."""
        if code is None:
            if len(self.builds) == 1:
                return next(iter(self.builds.values()))
            if not self.builds:
                self.builds[None] = Build()
                return self.builds[None]
            return None
        if code in self.builds:
            return self.builds[code]
        if list(self.builds) == [None]:
            self.builds[code] = self.builds.pop(None)
            return self.builds[code]
        self.builds[code] = Build()
        return self.builds[code]

    def header(self, sheet: Sheet, resolver: Resolver) -> tuple[int, list[Column]] | None:
        """Find the header (one row, or two rows merged); returns the index of the first
        data row and the columns (header as written, target, unit)."""
        best: tuple[int, int, list[Column]] | None = None
        rows = sheet.rows
        for i in range(min(len(rows), HEADER_SCAN)):
            candidates = [(1, [text_of(c.value) for c in rows[i][1]])]
            if i + 1 < len(rows):
                candidates.append((2, _combine(rows[i][1], rows[i + 1][1])))
            for height, headers in candidates:
                cols: list[Column] = [(h, *resolver.resolve(h)) for h in headers]
                distinct = {t for _h, t, _u in cols if t is not None and t.role != "ignore"}
                score = len(distinct)
                if score >= 2 and (best is None or score > best[1]):
                    best = (i + height, score, cols)
        if best is None:
            return None
        return best[0], best[2]

    def sheet_problem(
        self, sheet: Sheet, header: str, value: Any, message: str, row: int | None, **kw: Any
    ) -> None:
        """A problem with a whole sheet, column or county-less row (reported once)."""
        self.orphans.append(
            DataProblem(sheet.file, header, None, value, message, row, sheet.name, **kw)
        )

    def read_sheet(self, sheet: Sheet, role: str) -> None:
        """Read one sheet of a known role: its header, unknown columns, every data row."""
        resolver = Resolver(role, self.mapping, self.extras)
        found = self.header(sheet, resolver)
        if found is None:
            self.sheet_problem(
                sheet,
                "",
                None,
                "no header row found (no two known column headers); the sheet is not read",
                None,
                code="D010",
            )
            return
        start, cols = found
        header_row = sheet.rows[start - 1][0]
        for h, t, _u in cols:
            if h and t is None:
                hint = did_you_mean(norm(split_unit(h)[0]), resolver.known)
                self.sheet_problem(
                    sheet,
                    h,
                    h,
                    "unknown column; its cells are not read",
                    header_row,
                    code="D010",
                    hint=f"did you mean '{hint}'?" if hint else "add it to a --mapping file",
                )
        for rownum, cells in sheet.rows[start:]:
            if all(text_of(c.value) == "" for c in cells):
                continue  # a blank separator row
            self.read_row(sheet, role, rownum, cells, cols)

    def read_row(
        self, sheet: Sheet, role: str, rownum: int, cells: list[Cell], cols: list[Column]
    ) -> None:
        """Read one data row into its county (a total row is reported and skipped)."""
        pairs = known_pairs(cols, cells)
        code = next(
            (
                text_of(c.value)
                for (_h, t, _u), c in pairs
                if t.field == "code" and t.role in ("group", "county")
            ),
            None,
        )
        segment = next(
            (text_of(c.value) for (_h, t, _u), c in pairs if t.role == "segment_key"), None
        )
        build = self.county_for(code)
        if build is None:
            self.orphan_rows.add((sheet.file, sheet.name, rownum))
            self.sheet_problem(
                sheet,
                "",
                None,
                "the row names no county (行政区划代码) and the workbook has several; "
                "the row is rejected",
                rownum,
                code="D030",
            )
            return
        row = Row(sheet, rownum, build, pairs, segment)
        build.rows.add(row.key)
        texts = [text_of(c.value) for c in cells]
        total = next(
            (t for t in texts if t and not _is_number(t) and _TOTAL_RE.match(norm(t))), None
        )
        if total is not None:
            row.reject(total, f"a total row ({total}); not read as data")
            return
        ROLE_READERS[role](row)

    # -- results

    def results(self, shown: str, sha: str, extra_fields: Mapping[str, Any]) -> list[LoadResult]:
        """Read each county's mapping with the loader; map its problems to the cells."""
        out = []
        builds = list(self.builds.values()) or [Build()]
        for n, build in enumerate(builds):
            if build.has_classes:
                for school in build.schools:
                    for sd in (school.get("segments") or {}).values():
                        if _truthy(sd.get("classes_complete")) and "classes" not in sd:
                            sd["classes"] = []
            county, problems = read_county(
                build.mapping(), file=shown, extra_fields=extra_fields or None
            )
            mapped: list[DataProblem] = list(build.problems)
            rejected = set(build.rejected)
            for p in problems:
                mapped.append(self.locate(build, p, rejected))
            rows = set(build.rows)
            if n == 0:
                mapped = self.orphans + mapped
                rows |= self.orphan_rows
                rejected |= self.orphan_rows
            out.append(
                LoadResult(
                    county,
                    tuple(mapped),
                    shown,
                    sha,
                    build.rules,
                    rows_read=len(rows),
                    rows_used=len(rows - rejected),
                    rows_rejected=len(rejected & rows),
                )
            )
        return out

    @staticmethod
    def locate(build: Build, p: DataProblem, rejected: set[RowKey]) -> DataProblem:
        """The loader's problem ``p`` located at the cell (or row) it came from; a left-out
        entity's rows are added to ``rejected``."""
        path = p.path
        if p.code == "D030" and path in build.entity_rows:
            rejected |= build.entity_rows[path]
        probe = path
        while probe:
            where = build.where.get(probe)
            if where is not None:
                return attrs.evolve(
                    p,
                    file=where.file,
                    path=where.header,
                    value=where.value,
                    row=where.row,
                    sheet=where.sheet,
                )
            rows = build.entity_rows.get(probe)
            if rows:
                file, sheet, row = min(rows, key=lambda r: r[2])
                return attrs.evolve(p, file=file, row=row, sheet=sheet)
            shorter = re.sub(r"(\.[^.\[\]]*|\[\d+\])$", "", probe)
            if shorter == probe:
                break
            probe = shorter
        return p


def read_tables(
    path: str | os.PathLike[str],
    *,
    mapping: TableMapping | None = None,
    extra_fields: Mapping[str, Mapping[str, str]] | None = None,
) -> list[LoadResult]:
    """Read county data from an XLSX workbook, a CSV file, or a folder of them.

    The CSV files of a folder are the sheets of one workbook (each named by its file
    stem); every XLSX file of a folder is read too.  Rows are grouped into counties by
    a 行政区划代码 column where there is one (many counties in one workbook); otherwise
    all rows are one county.

    Bad values never stop the run: a bad cell is missing and becomes a
    :class:`~eduint.data.errors.DataProblem` with the file, the sheet (``None`` for
    CSV), the row number as the user sees it (the Excel row; the CSV line), the column
    header as ``path``, the value as written and the reason.  Total rows (合计, 小计)
    are recognised, reported and not read as data; blank rows are skipped.

    Args:
        path: an ``.xlsx`` file, a ``.csv`` file or a folder.
        mapping: the user's column aliases, units and extra fields (:func:`load_mapping`).
        extra_fields: extra-field declarations of the rule set (as for
            :func:`eduint.load_county`); merged with those of ``mapping``.

    Returns:
        One :class:`~eduint.data.loading.LoadResult` per county, in order of appearance, with
        ``rows_read``, ``rows_used`` and ``rows_rejected`` (data rows; blank rows are not
        counted).  Figures are in the fields' units (元, 平方米, %): a column in 万元 or
        亩 is converted.

    Raises:
        DataFileError: a file cannot be read, is not a workbook, is neither UTF-8 nor
            GB18030/GBK text (CSV), or holds no sheet with a known role.
    """
    root = Path(path)
    shown_root = str(path)
    mapping = mapping or TableMapping()
    decls: dict[str, dict[str, str]] = {}
    for source in (mapping.extra_fields, extra_fields or {}):
        for scope, fields in source.items():
            decls.setdefault(scope, {}).update(fields)
    try:
        extras = parse_extra_fields(decls or None)
    except ValueError as exc:
        raise DataFileError(shown_root, f"extra fields: {exc}") from None
    if not root.exists():
        raise DataFileError(shown_root, "no such file or folder")
    sheets, digest = _read_sources(root, shown_root)
    reader = _Reader(mapping, extras)
    roles: list[tuple[str, Sheet]] = []
    for sheet in sheets:
        role = sheet_role(sheet.name or "")
        if role is None and len(sheets) == 1:
            role = "schools"
        if role is None:
            reader.sheet_problem(
                sheet,
                "",
                sheet.name,
                "the sheet's name says nothing it holds (县区, 学校, 班级, 自评, 学校数); "
                "it is not read",
                None,
                code="D010",
            )
            continue
        if role != "explain":
            roles.append((role, sheet))
    if not roles:
        raise DataFileError(shown_root, "no sheet named 县区, 学校, 班级, 自评 or 学校数")
    for role, sheet in sorted(roles, key=lambda rs: _ROLE_ORDER.index(rs[0])):
        reader.read_sheet(sheet, role)
    return reader.results(shown_root, digest, decls)


def _read_sources(root: Path, shown_root: str) -> tuple[list[Sheet], str]:
    """Every sheet of a file or folder, and the SHA-256 of the files' bytes."""
    sheets: list[Sheet] = []
    digest = hashlib.sha256()
    for file in sources(root):
        shown = str(file) if root.is_dir() else shown_root
        if file.suffix.lower() == ".csv":
            sheet, raw = read_csv(file, shown)
            sheets.append(sheet)
        elif file.suffix.lower() in (".xlsx", ".xlsm"):
            got, raw = read_xlsx(file, shown)
            sheets.extend(got)
        else:
            raise DataFileError(shown, "expected an .xlsx or .csv file (or a folder of them)")
        digest.update(raw)
    return sheets, digest.hexdigest()
