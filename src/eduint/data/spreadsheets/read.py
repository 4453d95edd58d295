"""Reading county data from spreadsheets: :func:`read_tables`.

A workbook, a CSV file or a folder of them becomes one
:class:`~eduint.data.loading.LoadResult` per county.  The files are first grouped into
*units* (:mod:`~eduint.data.spreadsheets.units`: a workbook, or the CSV files that
form one); each sheet's header is found (the row, or two merged rows, whose cells
name the most known fields: a title row is never part of it;
:mod:`~eduint.data.spreadsheets._headers`, apart for the national reader), its columns
resolved through the column mapping (:mod:`~eduint.data.spreadsheets.mapping`), a long school
sheet's physical figures read per segment or whole-school
(:mod:`~eduint.data.spreadsheets.segments`), and every data row read by its role
(:mod:`~eduint.data.spreadsheets.rows`) into the input mapping of its county, which
:func:`eduint.data.loading.read_county` reads exactly as a YAML file.  The loader's
problems are mapped back to the cell they came from, and every figure's cell is kept
(:mod:`eduint.data.provenance`).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eduint.data.errors import DataFileError, DataProblem
from eduint.data.extras import ExtraDecls, ExtraFieldsFor, Extras, parse_extra_fields
from eduint.data.limits import Limits, gc_paused
from eduint.data.loading import LoadResult, read_county
from eduint.data.provenance import SheetRef, cell_name, column_name
from eduint.data.spreadsheets._headers import HeaderReader, Options, ignored_known
from eduint.data.spreadsheets.mapping import Column, Resolver, TableMapping, norm
from eduint.data.spreadsheets.rows import ROLE_READERS, Build, Row, RowKey, known_pairs
from eduint.data.spreadsheets.segments import Figures, decide_figures
from eduint.data.spreadsheets.sources import Cells, Sheet, text_of
from eduint.data.spreadsheets.units import Unit, read_units

__all__ = ["read_tables"]

_TOTAL_RE = re.compile(r"^(?:.*(?:合计|小计|总计)|全县|全市|全区|总数)$")
_NUMBER_RE = re.compile(r"[-+]?[\d,.]+%?")
# Cell texts up to this length have their "is it a total label" answer cached: a sheet
# repeats the same names and codes down its rows, and every cell of every row is asked.
_CACHED_TEXT = 64
# The order sheets are read in: schools before the classes that name them.
_ROLE_ORDER = ("county", "schools", "classes", "attestations", "declared")


def _total_cell(cells: Cells, ignored: frozenset[int] = frozenset()) -> tuple[int, str] | None:
    """The first cell of a total row (合计, 小计, 甲县小计, 总计, 全县) as (index, text),
    or ``None`` when the row is not one.  The cells of ``ignored`` columns (the mapping
    file's ``ignore``: a 备注 of 小计 …) are not read."""
    for i, c in cells.items():
        if i in ignored:
            continue
        value = c.value
        if value is None or isinstance(value, (int, float)):
            continue  # a number is never a label
        t = text_of(value)
        if t and (_total_text(t) if len(t) <= _CACHED_TEXT else _is_total_text(t)):
            return i, t
    return None


@functools.lru_cache(maxsize=4096)
def _total_text(text: str) -> bool:
    return _is_total_text(text)


def _is_total_text(text: str) -> bool:
    """合计, 小计, 甲县小计, 总计, 全县 … (after :func:`norm`), and not a number."""
    return not _is_number(text) and _TOTAL_RE.match(norm(text)) is not None


def _field_of(cols: list[Column], i: int) -> str:
    """The field of column ``i`` (its header when it names none)."""
    header, target, _unit = cols[i] if i < len(cols) else (column_name(i + 1), None, None)
    return target.field if target is not None and target.field else header


def _is_number(text: str) -> bool:
    return _NUMBER_RE.fullmatch(text) is not None


def _truthy(value: Any) -> bool:
    return value is True or (
        isinstance(value, str) and value.strip().lower() in ("true", "是", "yes")
    )


class _Reader(HeaderReader):
    """Reads the units of one source into one :class:`Build` per county.

    Counties are keyed by their code; the rows of a unit that name no code belong to
    the unit's own county, so two files never merge unless they carry the same code.
    Headers are found, and column and mapping problems reported, by the base class
    (:class:`~eduint.data.spreadsheets._headers.HeaderReader`).
    """

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self.builds: dict[object, Build] = {}
        self.unit = Unit("", [])
        self.unit_keys: dict[str, list[object]] = {}
        self.last_build: Build | None = None  # the county of the last row read
        self.orphan_rows: set[RowKey] = set()
        self.notices: list[DataProblem] = []
        self.columns: dict[tuple[str, str | None], list[Column]] = {}
        self.sheets: dict[tuple[str, str | None], Sheet] = {}
        self.ignored: frozenset[int] = frozenset()  # the sheet's ignored columns (indexes)

    def county_for(self, code: str | None) -> Build | None:
        """The county of a row with county code ``code`` (``None``: no code column or
        cell); ``None`` when the row names no county and its unit has several."""
        keys = self.unit_keys.setdefault(self.unit.name, [])
        if code is None:
            if len(keys) == 1:
                return self.builds[keys[0]]
            if keys:
                return None
            key: object = ("unit", self.unit.name)
        elif code in self.builds:
            if code not in keys:
                keys.append(code)
            return self.builds[code]
        elif keys == [("unit", self.unit.name)]:  # the unit's county gets its code
            old = keys[0]
            keys[0] = code
            self.builds = {(code if k == old else k): b for k, b in self.builds.items()}
            return self.builds[code]
        else:
            key = code
        keys.append(key)
        self.builds[key] = Build(unit=self.unit.name, file=self.unit.file)
        return self.builds[key]

    def read_unit(self, unit: Unit) -> None:
        """Read every sheet of a unit, in role order."""
        self.unit = unit
        for role, sheet in sorted(unit.sheets, key=lambda rs: _ROLE_ORDER.index(rs[0])):
            self.read_sheet(sheet, role)

    def read_sheet(self, sheet: Sheet, role: str) -> None:
        """Read one sheet of a known role: its header, unknown columns, every data row.

        Raises:
            DataFileError: the header reaches beyond the columns limit (D005).
        """
        resolver = Resolver(role, self.options.mapping, self.options.extras, self.used)
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
        cols = self._columns(sheet, cols, header_row, resolver.known)
        self._ignored_known(sheet, resolver, cols, header_row)
        if role == "schools":
            cols, reading = decide_figures(sheet, start, cols, self.options.figures)
            if reading is not None:
                self.notices.append(
                    DataProblem(
                        sheet.file,
                        "",
                        None,
                        reading.figures,
                        f"the physical figures ({', '.join(reading.columns)}) are read "
                        f"{'per segment' if reading.figures == 'per-segment' else 'as whole-school figures, split by the rule set'}: "
                        f"{reading.why}",
                        header_row,
                        sheet.name,
                        code="D041",
                        hint="--figures per-segment|whole-school forces a reading",
                    )
                )
        ref = SheetRef(sheet.file, sheet.name, sheet.path, sheet.encoding)
        self.columns[(sheet.file, sheet.name)] = cols
        self.sheets[(sheet.file, sheet.name)] = sheet
        self.ignored = frozenset(
            i for i, (_h, t, _u) in enumerate(cols) if t is not None and t.role == "ignore"
        )
        beyond: list[tuple[int, int]] = []  # (row, column) of values beyond the header
        for rownum, cells in sheet.rows[start:]:
            if cells.width > len(cols):
                beyond.append((rownum, cells.width))
                if not any(i < len(cols) for i, _c in cells.items()):
                    continue  # nothing under the header: not a data row
            self.read_row(sheet, ref, role, rownum, cells, cols)
            self._bound_problems(sheet, rownum)
        if beyond:
            self._beyond(sheet, len(cols), beyond)

    def _ignored_known(
        self, sheet: Sheet, resolver: Resolver, cols: list[Column], header_row: int
    ) -> None:
        """A notice (D043) for each column the mapping file's ``ignore`` leaves unread
        although the sheet knows it (the 自评 sheet's 备注, a 学校名称): the ignore wins,
        but the user hears of it, since the column's data (notes shown in reports, a
        field the rules read) is then missing."""
        for h, t, _u in cols:
            if t is not None and t.role == "ignore":
                notice = ignored_known(resolver, sheet.file, sheet.name, h, header_row)
                if notice is not None:
                    self.notices.append(notice)

    def _beyond(self, sheet: Sheet, width: int, beyond: list[tuple[int, int]]) -> None:
        """One problem for the values of a sheet that lie beyond its header's last
        column: they are not read (D015)."""
        row, col = beyond[0]
        more = f" and in {len(beyond) - 1:,} more rows" if len(beyond) > 1 else ""
        self.sheet_problem(
            sheet,
            "",
            None,
            f"a value in {_cell(row, col)} lies beyond the header's last column "
            f"({column_name(width) if width else 'none'}){more}; "
            "values under no header are not read",
            row,
            column_name(col),
            code="D015",
            hint="give the column a header, or delete the stray value",
        )

    def read_row(
        self,
        sheet: Sheet,
        ref: SheetRef,
        role: str,
        rownum: int,
        cells: Cells,
        cols: list[Column],
    ) -> None:
        """Read one data row into its county (a total row is reported and skipped)."""
        pairs = known_pairs(cols, cells)
        code = next(
            (
                text_of(p.cell.value)
                for p in pairs
                if p.target.field == "code" and p.target.role in ("group", "county")
            ),
            None,
        )
        segment = next(
            (text_of(p.cell.value) for p in pairs if p.target.role == "segment_key"), None
        )
        total = _total_cell(cells, self.ignored)
        if total is not None and (code is None or code not in self.builds):
            # A total row whose code cell is blank or the label itself (合计, 甲县小计 in
            # the 县区代码 column) is the sheet's, not a county of its own.
            self._sheet_total(sheet, rownum, cols, total)
            return
        build = self.last_build = self.county_for(code)
        if build is None:
            self.orphan_rows.add((sheet.file, sheet.name, rownum))
            self.sheet_problem(
                sheet,
                "",
                None,
                "the row names no county (no county code) and the file has several; "
                "the row is rejected",
                rownum,
                "code",
                code="D030",
            )
            return
        row = Row(sheet, ref, rownum, build, pairs, segment)
        build.rows.add(row.key)
        if total is not None:
            i, label = total
            row.reject(label, f"a total row ({label}); not read as data", field=_field_of(cols, i))
            return
        for i, cell in cells.items():
            if cell.formula and i < len(cols) and cols[i][1] is not None \
                    and i not in self.ignored:
                row.problem(
                    cols[i][0],
                    None,
                    f"cell {_cell(rownum, i + 1)} holds a formula whose result the file does "
                    "not store; it is read as missing",
                    code="D024",
                    hint="open the file in Excel or LibreOffice and save it, so that the "
                    "results are stored",
                )
        ROLE_READERS[role](row)
        limits = self.options.limits
        for name, count in (("schools", len(build.schools)), ("classes", build.classes)):
            if count > getattr(limits, name):  # refused early, not at the end
                where = f"the sheet {sheet.name}" if sheet.name is not None else "the file"
                raise DataFileError(
                    sheet.file,
                    limits.exceeded(
                        name, f"the county lists {count:,} {name} by {where}, row {rownum:,}"
                    ),
                    code="D005",
                )

    def _bound_problems(self, sheet: Sheet, rownum: int) -> None:
        """Refuse the file once the problems found pass the ``problems`` limit (a sheet
        whose every row is a problem: rows repeated thousands of times).

        Raises:
            DataFileError: the limit is passed (D005), naming the row.
        """
        limit = self.options.limits.problems
        last = self.last_build  # the county of the row just read (problems are per county)
        found = len(self.orphans) + (len(last.problems) if last is not None else 0)
        if found > limit:
            where = f"the sheet {sheet.name}" if sheet.name is not None else "the file"
            raise DataFileError(
                sheet.file,
                self.options.limits.exceeded(
                    "problems", f"{found:,} data problems by {where}, row {rownum:,}"
                ),
                code="D005",
            )

    def _sheet_total(
        self, sheet: Sheet, rownum: int, cols: list[Column], total: tuple[int, str]
    ) -> None:
        """A total row that names no county: read and rejected by the sheet (D030),
        counted with the rows of the first county's report, never a county of its own."""
        i, label = total
        self.orphan_rows.add((sheet.file, sheet.name, rownum))
        header = cols[i][0] if i < len(cols) else column_name(i + 1)
        self.sheet_problem(
            sheet,
            header,
            label,
            f"a total row ({label}); not read as data",
            rownum,
            _field_of(cols, i),
            code="D030",
        )

    # -- results

    def results(
        self, shown: str, sha: str, decls: Mapping[str, Any], several: bool
    ) -> list[LoadResult]:
        """Read each county's mapping with the loader; map its problems to the cells."""
        from eduint.data.spreadsheets.locate import locate

        out = []
        builds = list(self.builds.values()) or [Build()]
        self.orphans += self.unused_mapping()
        for n, build in enumerate(builds):
            self.settle(build, several)
            county, problems = read_county(
                build.mapping(), file=shown, extra_fields=decls or None, limits=self.options.limits
            )
            mapped: list[DataProblem] = list(build.problems)
            rejected = set(build.rejected)
            for p in problems:
                mapped.append(locate(self, build, p, rejected))
            rows = set(build.rows)
            notices = list(build.notices)
            if n == 0:
                mapped = self.orphans + mapped
                rows |= self.orphan_rows
                rejected |= self.orphan_rows
                notices = self.notices + notices
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
                    notices=tuple(notices),
                    provenance=build.sources,
                )
            )
        return out

    def settle(self, build: Build, several: bool) -> None:
        """The county's name when no sheet gives it, its completeness, its classes."""
        if build.has_classes:
            for school in build.schools:
                for sd in (school.get("segments") or {}).values():
                    if _truthy(sd.get("classes_complete")) and "classes" not in sd:
                        sd["classes"] = []
        data = build.data
        if "name" not in data:
            code = data.get("code") or next(
                (k for k, b in self.builds.items() if b is build and isinstance(k, str)), None
            )
            alone = sum(1 for b in self.builds.values() if b.unit == build.unit) == 1
            name, why = (
                (build.county_name, "its school sheet's 县区名称")
                if build.county_name
                else (build.unit, "its file")
                if (several or alone) and build.unit
                else (code, "its county code")
                if code
                else (None, "")
            )
            if name:
                data["name"] = name
                build.notices.append(
                    DataProblem(
                        build.file or build.unit or "",
                        "",  # the county as a whole: no cell holds its name
                        "name",
                        name,
                        f"no county sheet names the county; it is named '{name}' after {why}",
                        code="D042",
                    )
                )
        if code_key := next(
            (k for k, b in self.builds.items() if b is build and isinstance(k, str)), None
        ):
            data.setdefault("code", code_key)
        if self.options.complete:
            data["schools_complete"] = True
        elif build.schools and "schools_complete" not in data:
            build.notices.append(_undeclared(build.file))

def _cell(row: int, col: int) -> str:
    return cell_name(row, col)


def _undeclared(file: str) -> DataProblem:
    """The notice that a county's school list is not declared complete (D040)."""
    return DataProblem(
        file,
        "schools_complete",
        "schools_complete",
        None,
        "the school list is not declared complete, so every 差异系数 and every sum over "
        "the schools is 缺少数据",
        code="D040",
        hint="if the file lists every school, say so: a 学校名单完整 column with 是 on the "
        "county sheet, or --complete (read_tables(..., complete=True))",
    )


def read_tables(
    path: str | os.PathLike[str],
    *,
    mapping: TableMapping | None = None,
    extra_fields: ExtraDecls | ExtraFieldsFor | None = None,
    complete: bool = False,
    figures: Figures | None = None,
    encoding: str | None = None,
    limits: Limits | None = None,
) -> list[LoadResult]:
    """Read county data from an XLSX workbook, a CSV file, or a folder of them.

    A folder's files are read as *units* (:mod:`~eduint.data.spreadsheets.units`):
    each workbook is one, and CSV files named like sheets form one together (those
    named ``甲县-学校.csv``, ``甲县-县区.csv`` … one per prefix).  Rows are grouped
    into counties by a county code column (县区代码, 行政区划代码) where there is
    one; rows of a unit without a code are the unit's own county, so two files never
    merge into one county unless they carry the same code.  A county no sheet names is
    named after its school sheet's 县区名称, its file (in a folder of several), or its
    code (a D042 notice says which).

    Bad values never stop the run: a bad cell is missing and becomes a
    :class:`~eduint.data.errors.DataProblem` with the file, the sheet (``None`` for
    CSV), the row number as the user sees it (the Excel row; the CSV line), the column
    header as ``path``, the value as written and the reason.  Total rows (合计, 小计)
    are recognised, reported and not read as data; blank rows are skipped.

    Args:
        path: an ``.xlsx`` file, a ``.csv`` file or a folder.
        mapping: the user's column aliases, units and extra fields (:func:`load_mapping`);
            an entry that matches no column is a D013 problem.
        extra_fields: extra-field declarations of the rule set (as for
            :func:`eduint.load_county`); merged with those of ``mapping``.  A function
            (:data:`~eduint.data.extras.ExtraFieldsFor`) is called once with the rule
            set the county sheets name (规则集; the first county's), read before the
            other sheets.
        complete: declare every county's school list complete (``--complete``); without
            it, a county whose sheets do not declare it gets a D040 notice.
        figures: force how a long school sheet's physical figures are read
            (``"per-segment"`` or ``"whole-school"``, :mod:`.segments`); ``None``
            decides from the sheet.
        encoding: the encoding of CSV files; ``None`` tries UTF-8, then GB18030.
        limits: the limits the load observes (:class:`~eduint.data.limits.Limits`;
            ``None``: the defaults): file size, expanded size and compression ratio of a
            workbook, rows per sheet, header columns, cells, schools per county, text.

    Returns:
        One :class:`~eduint.data.loading.LoadResult` per county, in order of appearance,
        with ``rows_read``, ``rows_used`` and ``rows_rejected`` (data rows; blank rows
        are not counted), ``notices`` (D040–D043) and ``provenance`` (each figure's
        cell).  Figures are in the fields' units (元, 平方米, %): a column in 万元 or 亩
        is converted.

    Raises:
        DataFileError: a file cannot be read, is not a workbook, is not valid text in the
            encodings tried (CSV), holds no sheet with a known role, holds no data row,
            or none of its rows was used (D003); a long school sheet's physical figures
            fit both readings and ``figures`` is not given (D004); a limit is exceeded
            (D005, the message names the limit and how to raise it).
    """
    root = Path(path)
    shown_root = str(path)
    mapping = mapping or TableMapping()
    if not callable(extra_fields):
        decls, extras = _declarations(shown_root, mapping, extra_fields)
    if not root.exists():
        raise DataFileError(shown_root, "no such file or folder")
    limits = limits or Limits()
    with gc_paused():
        units, digest, unclaimed = read_units(root, shown_root, encoding, limits)
        if callable(extra_fields):
            named = _named_rules(units, Options(mapping, {}, complete, figures, limits))
            decls, extras = _declarations(shown_root, mapping, extra_fields(named))
        reader = _Reader(Options(mapping, extras, complete, figures, limits))
        reader.orphans += unclaimed
        for unit in units:
            reader.read_unit(unit)
        results = reader.results(shown_root, digest, decls, len(units) > 1)
    _require_rows(shown_root, results)
    return results


def _declarations(
    shown: str, mapping: TableMapping, given: ExtraDecls | None
) -> tuple[dict[str, dict[str, str]], Extras]:
    """The extra-field declarations of the mapping and the rule set, merged and parsed.

    Raises:
        DataFileError: a declaration is malformed.
    """
    decls: dict[str, dict[str, str]] = {}
    for source in (mapping.extra_fields, given or {}):
        for scope, fields in source.items():
            decls.setdefault(scope, {}).update(fields)
    try:
        return decls, parse_extra_fields(decls or None)
    except ValueError as exc:
        raise DataFileError(shown, f"extra fields: {exc}") from None


def _named_rules(units: list[Unit], options: Options) -> str | None:
    """The rule set the first county's county sheet names (规则集), read ahead with a
    throw-away reader: only the county sheets, which are small."""
    probe = _Reader(options)
    for unit in units:
        probe.unit = unit
        for role, sheet in unit.sheets:
            if role == "county":
                probe.read_sheet(sheet, role)
    return next((b.rules for b in probe.builds.values() if b.rules), None)


def _require_rows(shown: str, results: list[LoadResult]) -> None:
    """Nothing read, or nothing used, is an error (D003), never an empty success."""
    read = sum(r.rows_read or 0 for r in results)
    used = sum(r.rows_used or 0 for r in results)
    # A known column the mapping's ignore: left out (D043) may be why: say so first.
    ignored = list(dict.fromkeys(
        n.path for r in results for n in r.notices if n.code == "D043"
    ))
    left_out = (
        f"; the mapping file's ignore: left out the known column(s) {', '.join(ignored)}"
        if ignored else ""
    )
    if read == 0:
        raise DataFileError(
            shown, f"the file holds no data rows (a header only?){left_out}", code="D003"
        )
    if used == 0:
        first = next((p for r in results for p in r.problems), None)
        why = f"; the first problem: {first}" if first is not None else ""
        raise DataFileError(
            shown, f"none of the {read} data rows was used{left_out}{why}", code="D003"
        )
