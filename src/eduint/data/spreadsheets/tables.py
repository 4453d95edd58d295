"""Counties as tables: the sheets :func:`~eduint.data.spreadsheets.write_tables` writes.

Each county is dumped in the input format (:func:`eduint.data.loading.dump_county`)
and laid out as the sheets 县区, 学校, 班级, 自评 and 学校数, with the headers the field
registry gives (each field's Chinese label, or its first alias) so that
:func:`~eduint.data.spreadsheets.read_tables` reads them back to the same counties.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from eduint.data.fields import field_def, model_fields
from eduint.data.loading import dump_county, ruleset_key
from eduint.data.models import (
    Attestation,
    Class,
    County,
    CountySegment,
    DeclaredCount,
    School,
    SchoolSegment,
)
from eduint.data.spreadsheets.mapping import EXTRA_PREFIX, SEGMENT_WORDS, Layout

__all__ = ["Table", "build_tables"]

# Fields reached as sheets or row keys, never as columns of their entity's sheet.
_NOT_COLUMNS = ("segments", "extra", "classes", "size_bands", "segment")


def _label(cls: type, field: str) -> str:
    """The header of a field: its Chinese label, else its first alias, else its name."""
    return field_def(cls, field).header


def _unit(cls: type, field: str) -> str | None:
    return field_def(cls, field).unit or None


_CODE = _label(County, "code")  # 行政区划代码
_SEGMENT = _label(SchoolSegment, "segment")  # 学段
_SCHOOL_ID = _label(School, "id")  # 学校代码
_RULES = "规则"


def _interval_text(low: Decimal, high: Decimal) -> str:
    """An interval as a figure text the loader reads back (``30多``, ``不足10``), or
    ``low-high`` (which it refuses) when there is none."""
    if low == 0 and high == high.to_integral_value():
        return f"不足{int(high) + 1}"
    if low == low.to_integral_value() and low > 0:
        n = int(low)
        zeros = len(str(n)) - len(str(n).rstrip("0"))
        if zeros and high == low + 10**zeros - 1:
            return f"{n}多"
    return f"{low}-{high}"


def cell_out(value: Any) -> Any:
    """A dumped value as a cell: numbers stay numbers, figure mappings become text."""
    if isinstance(value, Mapping):
        if "value" in value:
            return f"约{value['value']}" if value.get("approximate") else value["value"]
        return _interval_text(Decimal(str(value["low"])), Decimal(str(value["high"])))
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


@attrs.define
class Table:
    """One sheet to write.

    Attributes:
        name: the sheet name (``学校``).
        headers: the column headers, without units.
        rows: the data rows (cell values).
        units: each column's unit, or ``None``.
        groups: each column's wide-layout header group (a segment, or ``""``).
    """

    name: str
    headers: list[str]
    rows: list[list[Any]]
    units: list[str | None]
    groups: list[str] = attrs.field(factory=list)


#: A column being laid out: (kind, field, segment).
_Col = tuple[str, str, str | None]


@attrs.define
class _Columns:
    """Columns being laid out: headers, units, wide groups and what each holds."""

    headers: list[str] = attrs.field(factory=list)
    units: list[str | None] = attrs.field(factory=list)
    groups: list[str] = attrs.field(factory=list)
    cols: list[_Col] = attrs.field(factory=list)

    def add(self, header: str, unit: str | None, col: _Col, group: str = "") -> None:
        """Append a column."""
        self.insert(len(self.cols), header, unit, col, group)

    def insert(self, i: int, header: str, unit: str | None, col: _Col, group: str = "") -> None:
        """Insert a column at index ``i``."""
        self.headers.insert(i, header)
        self.units.insert(i, unit)
        self.groups.insert(i, group)
        self.cols.insert(i, col)


def _ordered(cls: type, keys: Iterable[str]) -> list[str]:
    """The fields among ``keys`` that are columns, in the model's field order."""
    present = set(keys)
    return [
        fd.name for fd in model_fields(cls) if fd.name in present and fd.name not in _NOT_COLUMNS
    ]


def _union(keys: list[str], more: Iterable[str]) -> None:
    """Append to ``keys`` the keys of ``more`` not yet in it (first-seen order)."""
    keys += [k for k in more if k not in keys]


def _band_header(band: Mapping[str, Any]) -> str:
    if band.get("high") is None:
        return f"{band['low']}人以上班数"
    return f"{band['low']}-{band['high']}人班数"


# -- 县区 -------------------------------------------------------------------------------


def _county_columns(
    dumps: list[dict[str, Any]], layout: Layout, rules: str | None, several: bool
) -> _Columns:
    ckeys: list[str] = []
    skeys: list[str] = []
    cextra: list[str] = []
    for d in dumps:
        _union(ckeys, d)
        for sd in (d.get("segments") or {}).values():
            _union(skeys, sd)
        _union(cextra, d.get("extra") or {})
    lists = ("attestations", "declared_counts", "schools")
    cfields = [f for f in _ordered(County, ckeys) if f not in lists]
    if several and "code" not in cfields:
        cfields.insert(0, "code")
    sfields = _ordered(CountySegment, skeys)
    c = _Columns()
    for f in cfields:
        c.add(_label(County, f), _unit(County, f), ("county", f, None))
    for f in cextra:
        c.add(EXTRA_PREFIX + f, None, ("cextra", f, None))
    if rules:
        c.add(_RULES, None, ("rules", "", None))
    if layout == "long":
        c.insert(1, _SEGMENT, None, ("segkey", "", None))
        shared = {col[1] for col in c.cols if col[0] == "county"}
        for f in sfields:
            if f in shared and _label(County, f) == _label(CountySegment, f):
                continue
            c.add(_label(CountySegment, f), _unit(CountySegment, f), ("cseg", f, None))
    else:
        segs = [s for s in SEGMENT_WORDS if any(s in (d.get("segments") or {}) for d in dumps)]
        for s in segs:
            for f in sfields:
                c.add(_label(CountySegment, f), _unit(CountySegment, f), ("cseg", f, s), s)
    return c


def _county_table(
    dumps: list[dict[str, Any]], layout: Layout, rules: str | None, several: bool
) -> Table:
    c = _county_columns(dumps, layout, rules, several)
    rows: list[list[Any]] = []
    for d in dumps:
        base: list[Any] = []
        for kind, f, s in c.cols:
            if kind == "county":
                base.append(cell_out(d.get(f)))
            elif kind == "cextra":
                base.append(cell_out((d.get("extra") or {}).get(f)))
            elif kind == "rules":
                base.append(rules)
            elif kind == "cseg" and s is not None:
                base.append(cell_out(((d.get("segments") or {}).get(s) or {}).get(f)))
            else:
                base.append(None)
        rows.append(base)
        if layout != "long":
            continue
        for seg, sd in (d.get("segments") or {}).items():
            row: list[Any] = []
            for kind, f, _s in c.cols:
                if kind == "segkey":
                    row.append(seg)
                elif kind == "county" and f in ("code", "name"):
                    row.append(d.get(f))
                elif kind in ("county", "cseg") and f in sd:
                    row.append(cell_out(sd.get(f)))
                else:
                    row.append(None)
            rows.append(row)
    return Table("县区", c.headers, rows, c.units, c.groups)


# -- 学校 -------------------------------------------------------------------------------


@attrs.define
class _SchoolKeys:
    """The keys the schools of all counties use, in first-seen order."""

    school: list[str] = attrs.field(factory=list)
    segment: list[str] = attrs.field(factory=list)
    bands: list[str] = attrs.field(factory=list)
    school_extra: list[str] = attrs.field(factory=list)
    segment_extra: list[str] = attrs.field(factory=list)
    segments: list[str] = attrs.field(factory=list)
    classes: bool = False

    @classmethod
    def of(cls, dumps: list[dict[str, Any]]) -> _SchoolKeys:
        """The keys of the schools of every dumped county."""
        out = cls()
        for d in dumps:
            for sc in d.get("schools") or []:
                _union(out.school, sc)
                _union(out.school_extra, sc.get("extra") or {})
                for seg, sd in (sc.get("segments") or {}).items():
                    _union(out.segments, [seg])
                    _union(out.segment, sd)
                    _union(out.segment_extra, sd.get("extra") or {})
                    _union(out.bands, [_band_header(b) for b in sd.get("size_bands") or []])
                    out.classes = out.classes or bool(sd.get("classes"))
        return out


def _school_header(kind: str, f: str, layout: Layout) -> tuple[str, str | None]:
    """The header and unit of a school-sheet column."""
    if kind == "code":
        return _CODE, None
    if kind == "school":
        return _label(School, f), _unit(School, f)
    if kind == "segkey":
        return _SEGMENT, None
    if kind == "seg":
        label = _label(SchoolSegment, f)
        # the school has a field of the same label: name the segment's explicitly
        clash = any(fd.label == label for fd in model_fields(School))
        return (_SEGMENT + label) if clash and layout == "long" else label, _unit(SchoolSegment, f)
    if kind == "band":
        return f, "班"
    if kind == "gextra":
        return (_SEGMENT if layout == "long" else "") + EXTRA_PREFIX + f, None
    return EXTRA_PREFIX + f, None


def _school_columns(keys: _SchoolKeys, layout: Layout, several: bool) -> _Columns:
    cols: list[_Col] = [("code", "", None)] if several else []
    cols += [("school", f, None) for f in _ordered(School, keys.school)]
    cols += [("sextra", f, None) for f in keys.school_extra]
    seg_fields = _ordered(SchoolSegment, keys.segment)
    if layout == "long":
        cols.append(("segkey", "", None))
        seg_list: list[str | None] = [None]
    else:
        seg_list = [s for s in SEGMENT_WORDS if s in keys.segments]
    for sg in seg_list:
        cols += [("seg", f, sg) for f in seg_fields]
        cols += [("gextra", f, sg) for f in keys.segment_extra]
        cols += [("band", b, sg) for b in keys.bands]
    c = _Columns()
    for col in cols:
        header, unit = _school_header(col[0], col[1], layout)
        c.add(header, unit, col, col[2] or "")
    return c


def _school_cell(
    kind: str, f: str, d: Mapping[str, Any], sc: Mapping[str, Any], seg: Any, first: bool
) -> Any:
    """One cell of a school row: ``seg`` is the segment the row (or column) shows."""
    if kind == "code":
        return d.get("code")
    if kind == "school":
        return cell_out(sc.get(f)) if first or f == "id" else None
    if kind == "sextra":
        return cell_out((sc.get("extra") or {}).get(f)) if first else None
    if kind == "seg":
        return cell_out((seg or {}).get(f))
    if kind == "gextra":
        return cell_out(((seg or {}).get("extra") or {}).get(f))
    if kind == "band":
        bands = (seg or {}).get("size_bands") or []
        return next((b.get("count") for b in bands if _band_header(b) == f), None)
    return None


def _school_table(
    dumps: list[dict[str, Any]], layout: Layout, keys: _SchoolKeys, several: bool
) -> Table:
    c = _school_columns(keys, layout, several)
    rows: list[list[Any]] = []
    for d in dumps:
        for sc in d.get("schools") or []:
            sc_segs = sc.get("segments") or {}
            per_row: list[tuple[str | None, Mapping[str, Any] | None]] = (
                [(seg, sd) for seg, sd in sc_segs.items()] or [(None, None)]
                if layout == "long"
                else [(None, None)]
            )
            for n, (seg, sd) in enumerate(per_row):
                row = []
                for kind, f, sg in c.cols:
                    if kind == "segkey":
                        row.append(seg)
                        continue
                    src_seg = sd if layout == "long" else sc_segs.get(sg or "")
                    row.append(_school_cell(kind, f, d, sc, src_seg, n == 0))
                rows.append([cell_out(v) for v in row])
    return Table("学校", c.headers, rows, c.units, c.groups)


# -- 班级, 自评, 学校数 ---------------------------------------------------------------------


def _class_table(dumps: list[dict[str, Any]], several: bool) -> Table:
    cl_keys: list[str] = []
    cl_extra: list[str] = []
    for d in dumps:
        for sc in d.get("schools") or []:
            for sd in (sc.get("segments") or {}).values():
                for cl in sd.get("classes") or []:
                    _union(cl_keys, cl)
                    _union(cl_extra, cl.get("extra") or {})
    cl_fields = _ordered(Class, cl_keys)
    headers = (
        ([_CODE] if several else [])
        + [_SCHOOL_ID, _SEGMENT]
        + [_label(Class, f) for f in cl_fields]
        + [EXTRA_PREFIX + f for f in cl_extra]
    )
    units = (
        [None] * (len(headers) - len(cl_fields) - len(cl_extra))
        + [_unit(Class, f) for f in cl_fields]
        + [None] * len(cl_extra)
    )
    rows = []
    for d in dumps:
        for sc in d.get("schools") or []:
            for seg, sd in (sc.get("segments") or {}).items():
                for cl in sd.get("classes") or []:
                    rows.append(
                        ([d.get("code")] if several else [])
                        + [sc.get("id"), seg]
                        + [cell_out(cl.get(f)) for f in cl_fields]
                        + [cell_out((cl.get("extra") or {}).get(f)) for f in cl_extra]
                    )
    return Table("班级", headers, rows, units)


def _attestation_table(dumps: list[dict[str, Any]], several: bool, rules: str | None) -> Table:
    fields = [fd.name for fd in model_fields(Attestation)]
    headers = ([_CODE] if several else []) + [_label(Attestation, f) for f in fields]
    own = ruleset_key(rules) if rules else None
    rows = []
    for d in dumps:
        answers = d.get("attestations") or {}
        entries = (
            answers.items()
            if isinstance(answers, Mapping)
            else ((a.get("item"), a) for a in answers)
        )
        for item, answer in entries:
            ans = answer if isinstance(answer, Mapping) else {"status": answer}
            # the rule set of the county sheet's 规则 column is left blank
            ruleset = ans.get("ruleset")
            rows.append(
                ([d.get("code")] if several else [])
                + [str(item)]
                + [ans.get(f) for f in fields[1:-1]]
                + [None if ruleset == own else ruleset]
            )
    return Table("自评", headers, rows, [None] * len(headers))


def _declared_table(dumps: list[dict[str, Any]], several: bool) -> Table:
    dfields = [fd.name for fd in model_fields(DeclaredCount) if fd.name != "kind"]
    headers = (
        ([_CODE] if several else [])
        + [_label(DeclaredCount, "kind")]
        + [_label(DeclaredCount, f) for f in dfields]
    )
    units: list[str | None] = [None] * (len(headers) - len(dfields))
    units += [_unit(DeclaredCount, f) for f in dfields]
    rows = []
    for d in dumps:
        for kind, dc in (d.get("declared_counts") or {}).items():
            rows.append(
                ([d.get("code")] if several else [])
                + [kind]
                + [cell_out(dc.get(f)) for f in dfields]
            )
    return Table("学校数", headers, rows, units)


def build_tables(counties: Sequence[County], layout: Layout, rules: str | None) -> list[Table]:
    """The sheets of ``counties``: 县区, then 学校, 班级, 自评 and 学校数 where there is data.

    Args:
        counties: the counties (several get a 行政区划代码 column in every sheet).
        layout: ``"long"`` (a row per segment, with 学段) or ``"wide"`` (a row per school
            or county, segment columns grouped under 小学/初中).
        rules: a rule-set name for the county sheet's 规则 column, or ``None``.

    Returns:
        The tables, in sheet order.
    """
    dumps = [dump_county(c) for c in counties]
    several = len(counties) > 1
    tables = [_county_table(dumps, layout, rules, several)]
    keys = _SchoolKeys.of(dumps)
    if any(d.get("schools") for d in dumps):
        tables.append(_school_table(dumps, layout, keys, several))
    if keys.classes:
        tables.append(_class_table(dumps, several))
    if any(d.get("attestations") for d in dumps):
        tables.append(_attestation_table(dumps, several, rules))
    if any(d.get("declared_counts") for d in dumps):
        tables.append(_declared_table(dumps, several))
    return tables
