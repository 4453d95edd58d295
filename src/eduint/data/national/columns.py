"""Which column of a national table is read into what: the header matched as the
spreadsheet reader matches it (:func:`eduint.data.spreadsheets.header.find_header`), then
planned for arrays.

A national table is a long school sheet (one row per school segment) of many counties,
so the school sheet's column roles are reused: the county code groups rows
(``group``), ``学段`` is the segment, ``学校代码`` the school; school-segment figures and
the school's physical figures are read per segment (as ``--figures per-segment``: each
row carries its segment's figures, as national statistics do); ``学校类型``,
``办学性质``, ``城乡分类`` are the school's.  Three headers the school sheet does not
know are added: the class-size list ``班额`` and the county's ``省`` and ``县区名称``.
A column the mapping file's ``ignore`` names is not read, whatever its header means.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from eduint.data.errors import DataProblem
from eduint.data.fields import PHYSICAL_FIELDS, field_def, fields_by_name
from eduint.data.models import Class, County, SchoolSegment
from eduint.data.spreadsheets._headers import ignored_known
from eduint.data.spreadsheets.header import find_header
from eduint.data.spreadsheets.mapping import (
    Column,
    Resolver,
    TableMapping,
    norm,
    split_unit,
    unit_factor,
)
from eduint.data.spreadsheets.sources import Cell, Cells, Sheet

__all__ = ["Plan", "Spec", "plan_columns"]

_SEGMENT_FIELDS = fields_by_name(SchoolSegment)
#: School attributes the arrays hold (per row; the school's first row counts).
SCHOOL_ENUMS = ("kind", "ownership", "location")


@attrs.frozen
class Spec:
    """One column to read.

    Attributes:
        index: the column's position (0-based) among the table's columns.
        header: the header as written.
        what: ``code``, ``county_name``, ``province``, ``segment``, ``school_id``,
            ``school_name``, ``enum`` (a school attribute: ``field``), ``figure`` (a
            school-segment figure: ``field``), ``band`` (``band`` bounds), ``classes``.
        field: the model field.
        unit: the field's unit; ``factor``: the column's unit → the field's (1 if none).
        segment: the segment a prefixed band column is limited to, or ``None``.
        band: (low, high) of a band column (``high`` ``None``: and over).
        values: the mapping file's coded values of the column (value as written →
            the value it means).
    """

    index: int
    header: str
    what: str
    field: str = ""
    unit: str | None = None
    factor: Decimal = Decimal(1)
    segment: str | None = None
    band: tuple[int, int | None] | None = None
    values: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Plan:
    """The columns of a national table to read, and what the header told.

    Attributes:
        header_row: the header's (last) row as the user sees it; ``start``: the index
            of the first data row among the rows scanned.
        specs: the columns read.
        problems: unknown columns (D010), units that do not convert (D020).
        notices: known columns the national reader does not read (D016).
    """

    header_row: int
    start: int
    specs: tuple[Spec, ...]
    problems: tuple[DataProblem, ...]
    notices: tuple[DataProblem, ...]

    def of(self, what: str) -> list[Spec]:
        """The specs of one kind."""
        return [s for s in self.specs if s.what == what]

    def first(self, what: str) -> Spec | None:
        """The first spec of one kind, or ``None``."""
        return next((s for s in self.specs if s.what == what), None)


def _extra_headers() -> dict[str, str]:
    """Headers the school sheet does not know, normalised → what they are."""
    out = {}
    for h in field_def(Class, "size").headers():
        out[norm(h)] = "classes"
    out[norm("班额列表")] = "classes"
    for h in field_def(County, "province").headers():
        out[norm(h)] = "province"
    return out


def plan_columns(
    file: str,
    header_rows: list[tuple[int, list[Any]]],
    mapping: TableMapping,
    *,
    used: set[str],
    limits: Any,
    resolver: Resolver | None = None,
) -> Plan | None:
    """Plan the columns of a national table from its first rows (raw values).

    Args:
        file: the file as shown in problems.
        header_rows: the first rows of the table, (row number, raw cell values); a
            Parquet or JSONL table's one row of names.
        mapping: the user's column mapping (aliases, units).
        used: the mapping entries that matched are added to it.
        limits: the limits (``columns``).
        resolver: a ``schools`` resolver of ``mapping`` whose ``used`` is ``used``,
            shared by the files of a folder (:func:`find_header`).

    Returns:
        The plan, or ``None`` when no row names two known columns.
    """
    rows = [
        (num, Cells((i, Cell(v)) for i, v in enumerate(r) if v is not None and str(v).strip()))
        for num, r in header_rows
    ]
    sheet = Sheet(file, None, [r for r in rows if len(r[1])])
    found = find_header(sheet, "schools", mapping, limits=limits, used=used, resolver=resolver)
    if found is None:
        return None
    extra = _extra_headers()
    specs: list[Spec] = []
    notices: list[DataProblem] = []
    claimed: set[tuple[Any, ...]] = set()
    for i, col in enumerate(found.columns):
        if col[1] is not None and col[1].role == "ignore":
            # the mapping file's ignore: not read; a known column said so (D043), not D016
            shadow = resolver or Resolver("schools", mapping, {}, set())
            notice = ignored_known(shadow, file, None, col[0], found.row)
            if notice is not None:
                notices.append(notice)
            continue
        spec = _spec(i, col, extra, mapping, used)
        if spec is None:
            if col[1] is not None:
                notices.append(_not_read(file, found.row, col))
            continue
        if spec.what in ("segment", "enum"):
            spec = attrs.evolve(spec, values=_values(spec, mapping, used))
        key = (spec.what, spec.field, spec.band, spec.segment)
        if key in claimed:
            continue  # a second column for the same thing (学校代码 and 学校标识码): the first is read
        claimed.add(key)
        specs.append(spec)
    known = {s.header for s in specs}
    problems = [p for p in found.problems if not (p.code == "D010" and p.path in known)]
    if found.row == 0:  # a Parquet or JSONL table's names: no row of the file
        problems = [attrs.evolve(p, row=None) for p in problems]
        notices = [attrs.evolve(p, row=None) for p in notices]
    return Plan(found.row, found.start, tuple(specs), tuple(problems), tuple(notices))


def _spec(
    i: int, col: Column, extra: dict[str, str], mapping: TableMapping, used: set[str]
) -> Spec | None:
    header, t, unit = col
    if t is None:
        base = split_unit(header)[0]
        what = extra.get(norm(header)) or extra.get(base)
        if what is None:
            alias = next((v for k, v in mapping.aliases.items() if norm(k) == norm(header)), None)
            if alias is not None and (extra.get(norm(alias)) or extra.get(split_unit(alias)[0])):
                used.add(next(k for k in mapping.aliases if norm(k) == norm(header)))
                what = extra.get(norm(alias)) or extra.get(split_unit(alias)[0])
        return Spec(i, header, what) if what is not None else None
    role, field = t.role, t.field
    if role == "group" and field == "code":
        return Spec(i, header, "code")
    if role == "county_name":
        return Spec(i, header, "county_name")
    if role == "segment_key":
        return Spec(i, header, "segment")
    if role == "band":
        return Spec(i, header, "band", "count", "班", segment=t.segment, band=t.band)
    if role == "class_list" and t.segment is None:
        return Spec(i, header, "classes")
    if role == "school" and field == "id":
        return Spec(i, header, "school_id")
    if role == "school" and field == "name":
        return Spec(i, header, "school_name")
    if role == "school" and field in SCHOOL_ENUMS:
        return Spec(i, header, "enum", field)
    if t.extra or t.segment is not None:
        return None  # extra fields and wide-layout columns: not read here
    if (role == "segment" or (role == "school" and field in PHYSICAL_FIELDS)) and (
        field in _SEGMENT_FIELDS and _SEGMENT_FIELDS[field].kind == "quantity"
    ):
        fd = _SEGMENT_FIELDS[field]
        factor = Decimal(1)
        if unit is not None and unit != fd.unit:
            factor = unit_factor(unit, fd.unit) or Decimal(1)
        return Spec(i, header, "figure", field, fd.unit, factor)
    return None


def _not_read(file: str, row: int, col: Column) -> DataProblem:
    """The notice that a known column is not read by the national reader (D016)."""
    header, t, _u = col
    return DataProblem(
        file,
        header,
        t.field if t is not None else None,
        header,
        "the national reader does not read this column (it reads the school-segment "
        "figures, the school's id, type, ownership and location, the county's code, "
        "name and province, and the class sizes)",
        row,
        code="D016",
        hint="check the county with the spreadsheet reader (eduint check FILE) to use it",
    )


def _values(spec: Spec, mapping: TableMapping, used: set[str]) -> tuple[tuple[str, str], ...]:
    """The mapping file's coded values for a column: by its header as written, the
    header without its unit, or its field's name or label."""
    if not mapping.values:
        return ()
    field = spec.field or ("segment" if spec.what == "segment" else "")
    names = {norm(spec.header), split_unit(spec.header)[0], norm(field)}
    if field in _SEGMENT_FIELDS or spec.what == "segment":
        label = field_def(SchoolSegment, "segment").label if spec.what == "segment" else None
    else:
        label = None
    if spec.what == "enum":
        from eduint.data.models import School

        label = field_def(School, spec.field).label
    if label:
        names.add(norm(label))
    for key, table in mapping.values.items():
        if norm(key) in names:
            used.add(key)
            return tuple((str(a), str(b)) for a, b in table.items())
    return ()
