"""Assembling one county's input mapping from sheet rows, one role at a time.

Each data row of a sheet is read by the function of the sheet's role (county,
schools, classes, attestations, declared counts) into the :class:`Build` of its
county: the mapping of the YAML/JSON input format, plus where each value came from
(so that the loader's problems can be mapped back to the cell).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from eduint.core.text import clip
from eduint.data.errors import DataProblem, DataValueError
from eduint.data.figures import parse_figure, plain_decimal
from eduint.data.provenance import FigureSources, SheetRef, cell_name
from eduint.data.scalars import read_class_sizes
from eduint.data.spreadsheets.mapping import Column, Target, unit_factor
from eduint.data.spreadsheets.sources import Cell, Cells, Sheet, text_of

__all__ = [
    "ROLE_READERS",
    "Build",
    "Pair",
    "Row",
    "RowKey",
    "convert",
    "known_pairs",
    "shown",
    "tidy",
]

#: A data row's identity: (file, sheet, row number as the user sees it).
RowKey = tuple[str, str | None, int]


@attrs.define
class Build:
    """The mapping of one county being assembled, and where each value came from.

    Attributes:
        data: county fields; ``segments``, ``schools``, ``attestations`` and
            ``declared`` hold the county's lists as keyed mappings or lists;
            ``answers`` the answers to other rule sets than :attr:`rules`, by rule set
            (a 自评 row whose 规则集 names another rule set).
        school_index: school id (:func:`id_key`) → index in ``schools``;
            ``school_ids``: index → the id as its first row writes it.
        sources: where each value came from (entity, field → cell).
        entity_rows: entity path → the rows that built it.
        rows: every data row of the county; ``rejected``: of which rejected.
        problems: problems found while assembling (bad cells, total rows …).
        notices: notes for the user that are not problems (how figures were read …).
        rules: the rule set the county sheet names (规则), or ``None``.
        has_classes: a class sheet gave classes.
        classes: how many class rows it gave (for the classes limit).
        unit: the name of the file (or group of CSV files) the county came from.
        file: that file as shown.
        county_name: the county's name as a school sheet gives it (县区名称 column).
    """

    data: dict[str, Any] = attrs.field(factory=dict)
    segments: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    schools: list[dict[str, Any]] = attrs.field(factory=list)
    school_index: dict[str, int] = attrs.field(factory=dict)
    school_ids: dict[int, str] = attrs.field(factory=dict)
    attestations: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    answers: dict[str, dict[str, dict[str, Any]]] = attrs.field(factory=dict)
    declared: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    sources: FigureSources = attrs.field(factory=FigureSources)
    entity_rows: dict[str, set[RowKey]] = attrs.field(factory=dict)
    rows: set[RowKey] = attrs.field(factory=set)
    rejected: set[RowKey] = attrs.field(factory=set)
    problems: list[DataProblem] = attrs.field(factory=list)
    notices: list[DataProblem] = attrs.field(factory=list)
    rules: str | None = None
    has_classes: bool = False
    classes: int = 0
    unit: str = ""
    file: str = ""
    county_name: str | None = None

    def mapping(self) -> dict[str, Any]:
        """The county in the input format (for :func:`eduint.data.loading.read_county`)."""
        out = dict(self.data)
        if self.segments:
            out["segments"] = self.segments
        if self.schools:
            out["schools"] = self.schools
        if self.rules:
            out["rules"] = self.rules
        if self.attestations:
            out["attestations"] = self.attestations
        if self.answers:
            out["answers"] = self.answers
        if self.declared:
            out["declared_counts"] = self.declared
        return out


def tidy(d: Decimal) -> Decimal:
    """A converted figure without trailing zeros (``3600000``, not ``3600000.0000``)."""
    return d.to_integral_value() if d == d.to_integral_value() else d.normalize()


def convert(t: Target, cell: Cell, unit: str | None) -> Any:
    """A cell's value as the input format takes it.

    Blank text is ``None``; dates lose a midnight time; whole floats in text, enum and
    number columns become ints; a percentage-formatted cell in a ``%`` column is per
    cent; a column in 万元 or 亩 (``unit``) is converted to the field's unit, exactly.

    Raises:
        DataValueError: the column's unit does not convert to the field's.
    """
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            value = value.date()
    if (
        t.kind in ("text", "enum", "number")
        and not t.school_year
        and isinstance(value, float)
        and value.is_integer()
    ):
        return int(value)
    if t.kind == "raw" and isinstance(value, str):
        number = plain_decimal(value)  # an undeclared extra: numbers stay numbers
        return value if number is None else number
    if t.kind != "quantity" or value is None:
        return value
    if cell.percent and t.unit == "%" and isinstance(value, (int, float)):
        if not isinstance(value, bool):
            return (Decimal(str(value)) * 100).normalize()
    if unit is not None and unit != t.unit:
        factor = unit_factor(unit, t.unit)
        if factor is None:
            raise DataValueError(
                f"the column is in {unit}, but the field is in {t.unit or 'no unit'}",
                hint="the units that convert are 万元, 千元, 亩, 公顷, 平方米, 元/生 and the field's own",
            )
        if factor == 1:
            return value
        fig = parse_figure(value, unit=t.unit)
        low, high = fig.low * factor, fig.high * factor
        if low == high:
            return {"value": tidy(low), "approximate": fig.approximate}
        return {"low": tidy(low), "high": tidy(high), "approximate": fig.approximate}
    return value


def shown(value: Any) -> str:
    """A value of the input mapping as the user wrote it, for messages (``约12.5``,
    ``30–39``): never a Python mapping."""
    if isinstance(value, Mapping):
        if "value" in value:
            return ("约" if value.get("approximate") else "") + str(value["value"])
        return f"{value.get('low')}–{value.get('high')}"
    return text_of(value)


@attrs.define(slots=True)
class Pair:
    """A known column of a row with a non-blank cell.

    Attributes:
        header: the column's header as written.
        target: what the column is read into.
        unit: the unit its cells are in (from the header or the mapping), or ``None``.
        cell: the cell.
        col: the column number (1-based).
    """

    header: str
    target: Target
    unit: str | None
    cell: Cell
    col: int


@attrs.define
class Row:
    """One data row being read into its county's :class:`Build`.

    Attributes:
        sheet: the sheet.
        ref: the sheet as provenance records it.
        rownum: the row number as the user sees it.
        build: the county the row belongs to.
        pairs: the row's known columns with a non-blank cell.
        segment: the row's 学段, or ``None``.
    """

    sheet: Sheet
    ref: SheetRef
    rownum: int
    build: Build
    pairs: list[Pair]
    segment: str | None

    @property
    def key(self) -> RowKey:
        """The row's identity (file, sheet, row)."""
        return (self.sheet.file, self.sheet.name, self.rownum)

    def problem(
        self,
        header: str,
        value: Any,
        message: str,
        *,
        field: str | None = None,
        code: str = "D020",
        hint: str | None = None,
    ) -> None:
        """Record a problem with a cell of this row (``header`` is its column)."""
        self.build.problems.append(
            DataProblem(
                self.sheet.file,
                header,
                field,
                value,
                message,
                self.rownum,
                self.sheet.name,
                code=code,
                hint=hint,
            )
        )

    def reject(self, value: Any, message: str, *, field: str | None = None) -> None:
        """Reject the whole row (D030), with a problem naming no column."""
        self.build.rejected.add(self.key)
        self.problem("", value, message, field=field, code="D030")

    def first(self, match: Callable[[Target], bool]) -> Pair | None:
        """The first known column of the row whose target matches."""
        return next((p for p in self.pairs if match(p.target)), None)

    def entity(self, path: str) -> None:
        """Note that this row builds (part of) the entity at ``path``."""
        self.build.entity_rows.setdefault(path, set()).add(self.key)

    def put(
        self,
        container: dict[str, Any],
        entity: tuple[Any, ...],
        p: Pair,
        target: Target | None = None,
    ) -> None:
        """Put a cell's value into ``container`` (the input mapping of ``entity``),
        keeping the first of two different values with a problem naming both rows.

        Args:
            container: the entity's mapping.
            entity: its provenance key (:mod:`~eduint.data.provenance`).
            p: the column and cell.
            target: the target to read into, when not the column's own.
        """
        t = target or p.target
        try:
            value = convert(t, p.cell, p.unit)
        except DataValueError as exc:
            self.problem(
                p.header, p.cell.value, exc.message, field=t.field, code=exc.code, hint=exc.hint
            )
            return
        if value is None:
            return
        where = container.setdefault("extra", {}) if t.extra else container
        if t.field in where:
            if where[t.field] != value and not (
                t.kind == "quantity" and _same_number(where[t.field], value)
            ):
                self._again(entity, p, t, where[t.field], value)
            return
        where[t.field] = value
        self.build.sources.add(self.ref, entity, t.field, self.rownum, p.col)

    def _again(self, entity: tuple[Any, ...], p: Pair, t: Target, kept: Any, value: Any) -> None:
        """A field given again with another value: a problem naming both cells."""
        first = self.build.sources.cell(entity, t.field)
        if first is not None and (first.source.file, first.source.sheet) == self.key[:2]:
            at = (
                f"row {first.row}"
                if first.row != self.rownum
                else cell_name(first.row, first.column)
            )
        elif first is not None:
            at = str(first)
        else:
            at = "an earlier cell"
        self.problem(
            p.header,
            p.cell.value,
            f"given again with a different value: {at} gives {shown(kept)}, row {self.rownum} "
            f"gives {shown(value)}; the value of {at} is kept",
            field=t.field,
            code="D011",
        )

    def need_segment(self, p: Pair) -> None:
        """A segment figure on a row without a 学段: a problem."""
        self.problem(
            p.header,
            None,
            "the row has no 学段, so this segment figure has nowhere to go",
            field=p.target.field,
            code="D030",
            hint="add a 学段 column, or prefix the header (小学在校生数)",
        )


def _same_number(a: Any, b: Any) -> bool:
    """Two cells that write one number (``8632`` and ``"8,632"``, ``99.0`` and ``"99"``):
    not given again with a different value."""
    x, y = plain_decimal(a), plain_decimal(b)
    return x is not None and y is not None and x == y


def id_key(sid: str) -> str:
    """The key a school id is matched by: an id of digits without its leading zeros, so
    that ``0333010204`` written as text and ``333010204`` (the same 学校标识码 typed
    as a number, its leading zero lost by the spreadsheet) are one school; the rows'
    differing ids are a problem (D011) naming both.  Other ids as they are."""
    return (sid.lstrip("0") or "0") if sid.isascii() and sid.isdigit() else sid


def _county_row(row: Row) -> None:
    """A county-sheet row: county figures, or (with a 学段) a county segment's."""
    build, segment = row.build, row.segment
    for p in row.pairs:
        t = p.target
        if t.role == "rules":
            build.rules = text_of(p.cell.value)
        elif t.role == "county" and (segment is None or t.alt is None):
            if segment is not None and t.field in ("name", "code"):
                continue  # repeated on segment rows
            row.put(build.data, ("county",), p)
        elif t.role in ("county", "county_segment"):
            seg = t.segment or segment
            if seg is None:
                row.need_segment(p)
                continue
            field_t = (
                attrs.evolve(t, field=t.alt)
                if t.role == "county" and t.alt and not t.segment
                else t
            )
            row.entity(f"segments.{seg}")
            sd = build.segments.setdefault(seg, {})
            row.put(sd, ("county_segment", seg), p, field_t)


def _school_row(row: Row) -> None:
    """A school-sheet row: a school's figures and its segments' (long or wide layout)."""
    build, segment = row.build, row.segment
    found = row.first(lambda t: t.role == "school" and t.field == "id")
    sid = text_of(found.cell.value) if found else None
    if sid is not None and id_key(sid) in build.school_index:
        index = build.school_index[id_key(sid)]
        sid = build.school_ids[index]  # as its first row writes it
    else:
        index = len(build.schools)
        build.schools.append({})
        if sid is not None:
            build.school_index[id_key(sid)] = index
            build.school_ids[index] = sid
    school = build.schools[index]
    spath = f"schools[{index}]"
    skey = sid if sid is not None else f"#{index}"
    if segment is not None:
        _segment_again(row, f"{spath}.segments.{segment}", skey)
    row.entity(spath)
    for p in row.pairs:
        t = p.target
        if t.role == "school":
            row.put(school, ("school", skey), p)
        elif t.role == "county_name":
            build.county_name = build.county_name or text_of(p.cell.value)
        elif t.role == "class_list":
            _class_list(row, p, school, spath, skey, t.segment or segment)
        elif t.role in ("segment", "band"):
            seg = t.segment or segment
            if seg is None:
                row.need_segment(p)
                continue
            sd = school.setdefault("segments", {}).setdefault(seg, {})
            gpath = f"{spath}.segments.{seg}"
            row.entity(gpath)
            if t.role == "band":
                assert t.band is not None
                bands = sd.setdefault("size_bands", [])
                band = {"low": t.band[0], "high": t.band[1]}
                bands.append(band)
                row.put(band, ("band", skey, seg, t.band[0]), p)
            else:
                row.put(sd, ("segment", skey, seg), p)
    if segment is not None:
        school.setdefault("segments", {}).setdefault(segment, {})
        row.entity(f"{spath}.segments.{segment}")


def _class_list(
    row: Row, p: Pair, school: dict[str, Any], spath: str, skey: str, seg: str | None
) -> None:
    """A ``班额`` cell (``45;46;50``): the school segment's classes, its class list
    complete, as the national reader reads the cell
    (:func:`eduint.data.scalars.read_class_sizes`); a bad list is a problem and the
    list is missing."""
    if seg is None:
        row.need_segment(p)
        return
    try:
        sizes = read_class_sizes(p.cell.value)
    except DataValueError as exc:
        row.problem(p.header, p.cell.value, exc.message, field="classes", code=exc.code,
                    hint=exc.hint)
        return
    if sizes is None:
        return
    sd = school.setdefault("segments", {}).setdefault(seg, {})
    gpath = f"{spath}.segments.{seg}"
    row.entity(gpath)
    if "classes" in sd:
        row.problem(p.header, p.cell.value, f"the classes of segment {seg} of school "
                    f"{clip(skey)} are given again; the first list is kept",
                    field="classes", code="D011")
        return
    sd["classes"] = [{"size": n} for n in sizes]
    sd["classes_complete"] = True
    row.build.classes += len(sizes)
    entity = ("segment", skey, seg)
    row.build.sources.add(row.ref, entity, "classes", row.rownum, p.col)
    for k in range(len(sizes)):
        row.entity(f"{gpath}.classes[{k}]")


def _segment_again(row: Row, gpath: str, skey: str) -> None:
    """A long sheet's row for a school segment an earlier row of the sheet gave (a row
    copied twice): a problem naming both rows (D011); its figures are read as any
    repeated figure is (a different value is a problem, the first kept)."""
    earlier = sorted(k[2] for k in row.build.entity_rows.get(gpath, ()) if k[:2] == row.key[:2])
    if not earlier:
        return
    found = row.first(lambda t: t.role == "segment_key")
    row.problem(
        found.header if found is not None else "",
        row.segment,
        f"the segment {row.segment} of school {clip(skey)} is given again: row {earlier[0]} "
        f"gives it, and row {row.rownum}",
        field="segment",
        code="D011",
        hint="give each school segment one row; delete the copy",
    )


def _class_row(row: Row) -> None:
    """A class-sheet row: one class of a school segment named by 学校代码 and 学段."""
    build, segment = row.build, row.segment
    build.has_classes = True
    found = row.first(lambda t: t.role == "school_id")
    sid = text_of(found.cell.value) if found else None
    if sid is None or id_key(sid) not in build.school_index or segment is None:
        if sid is None:
            what, field = "no 学校代码", "id"
        elif segment is not None:
            what, field = f"学校代码 '{clip(sid)}' is not in the school sheet", "id"
        else:
            what, field = "no 学段", "segment"
        row.reject(sid, f"the class row has {what}; it is left out", field=field)
        return
    index = build.school_index[id_key(sid)]
    sid = build.school_ids[index]
    sd = build.schools[index].setdefault("segments", {}).setdefault(segment, {})
    classes = sd.setdefault("classes", [])
    entry: dict[str, Any] = {}
    classes.append(entry)
    build.classes += 1
    n = len(classes) - 1
    row.entity(f"schools[{index}].segments.{segment}.classes[{n}]")
    for p in row.pairs:
        if p.target.role == "class":
            row.put(entry, ("class", sid, segment, n), p)


def _attestation_row(row: Row) -> None:
    """An attestation-sheet row: the county's answer to one item (项目)."""
    build = row.build
    values = {p.target.field: p for p in row.pairs if p.target.role == "attestation"}
    item_pair = values.pop("item", None)
    if item_pair is None:
        row.reject(None, "the row names no item (项目); it is left out", field="item")
        return
    item = text_of(item_pair.cell.value)
    rs_pair = values.pop("ruleset", None)
    ruleset = text_of(rs_pair.cell.value) if rs_pair is not None else ""
    entity: tuple[str, ...]
    if ruleset and ruleset != build.rules:
        # an answer to another rule set than the county sheet's 规则 (issue 12)
        answers = build.answers.setdefault(ruleset, {})
        apath, entity = f"answers.{ruleset}.{item}", ("attestation", item, ruleset)
    else:
        answers = build.attestations
        apath, entity = f"attestations.{item}", ("attestation", item)
    if item in answers:
        build.rejected.add(row.key)
        row.problem(
            item_pair.header,
            item,
            "the item is answered twice; the first answer is kept",
            field="item",
            code="D011",
        )
        return
    answer: dict[str, Any] = {}
    answers[item] = answer
    row.entity(apath)
    for field, p in values.items():
        row.put(answer, entity, p, Target("attestation", field, kind="text"))


def _declared_row(row: Row) -> None:
    """A declared-counts row: the counts of schools of one 学校类型."""
    found = row.first(lambda t: t.field == "kind")
    if found is None:
        row.reject(None, "the row names no 学校类型; it is left out", field="kind")
        return
    kind = text_of(found.cell.value)
    dc = row.build.declared.setdefault(kind, {})
    row.entity(f"declared_counts.{kind}")
    for p in row.pairs:
        if p.target.role == "declared" and p.target.field != "kind":
            row.put(dc, ("declared", kind), p)


#: Sheet role → the function that reads one of its data rows.
ROLE_READERS: Mapping[str, Callable[[Row], None]] = {
    "county": _county_row,
    "schools": _school_row,
    "classes": _class_row,
    "attestations": _attestation_row,
    "declared": _declared_row,
}


def known_pairs(cols: list[Column], cells: Cells) -> list[Pair]:
    """The row's known columns with a non-blank cell (an ignored column is not one)."""
    out: list[Pair] = []
    for i, cell in cells.items():
        if i >= len(cols):
            break
        header, t, unit = cols[i]
        if t is not None and t.role != "ignore" and text_of(cell.value) != "":
            out.append(Pair(header, t, unit, cell, i + 1))
    return out
