"""Read county data from spreadsheets (XLSX, CSV) and write spreadsheets to fill in.

Reading (:func:`read_tables`) turns a workbook, a CSV file or a folder of them into one
:class:`~eduint.data.loading.LoadResult` per county.  It only *assembles* the mapping of the
YAML/JSON input format (``docs/data-model.md``) from the cells and hands it to
:func:`eduint.data.loading.read_county`, so every value is read exactly as in a YAML file
(figures such as ``约212``, ``30多``, ``"1,655"``, ``96.5%``; enums by Chinese value;
是/否 flags).  The problems the loader finds are mapped back to the cell they came from:
file, sheet, the row number the user sees, the column header and the value as written.

Sheets (or CSV files, named by their stem) have roles, found by name:

* ``县区`` (county-level figures; rows with a ``学段`` are the county's segments),
* ``学校`` (schools: *long* layout, one row per school segment with a ``学段`` column,
  or *wide* layout, one row per school with ``小学在校生数``, ``初中在校生数`` …),
* ``班级`` (classes: 学校代码, 学段, 班级, 年级, 班额),
* ``自评`` (attestations: 项目, 自评, 依据, 主体, 备注),
* ``学校数`` (declared counts of schools by 学校类型).

See ``docs/spreadsheets.md`` for the column mapping, the awkward features handled (title
rows, two-row merged headers, 合计/小计 rows, blank rows, numbers stored as text,
percent-formatted cells, 万元 and 亩 columns), the encodings and the accounting of rows.

Writing: :func:`write_tables` writes counties as a workbook or a folder of CSV files
(optionally as an awkward "export", for tests and examples); :func:`write_template`
writes the input template of a rule set (``eduint template``).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs
import yaml

from eduint.data.errors import DataFileError, DataProblem, DataValueError
from eduint.data.loading import (
    LoadResult,
    _parse_extra_fields,
    _plain_decimal,
    _spec,
    dump_county,
    parse_figure,
    read_county,
)
from eduint.data.models import (
    Actor,
    Class,
    County,
    CountySegment,
    DeclaredCount,
    Location,
    School,
    SchoolKind,
    SchoolSegment,
    Segment,
    SelfStatus,
)
from eduint.language.diagnostics import did_you_mean

if TYPE_CHECKING:
    from eduint.checking.ruleset import RuleSet

__all__ = [
    "COLUMN_UNITS",
    "SHEET_NAMES",
    "TableMapping",
    "default_headers",
    "load_mapping",
    "read_tables",
    "write_tables",
    "write_template",
]

Layout = Literal["long", "wide"]

#: Sheet roles → the sheet (or CSV file stem) names that have that role, first the
#: name :func:`write_tables` uses.  A sheet is matched when its name equals or ends
#: with one of the names (``示例县-学校`` is a school sheet); ``学校数`` is tried first.
SHEET_NAMES: Mapping[str, tuple[str, ...]] = {
    "declared": ("学校数", "declared_counts", "学校数统计"),
    "county": ("县区", "county", "县域", "县区情况", "县级"),
    "schools": ("学校", "schools", "学校情况", "学校基本情况"),
    "classes": ("班级", "classes", "班额"),
    "attestations": ("自评", "attestations", "自评情况"),
    "explain": ("说明", "readme"),
}

#: Units a column may be declared in (in its header, ``在校生数（人）``, or in the
#: mapping file) → (the field unit it converts to, the factor).  1 亩 = 10000/15 m².
COLUMN_UNITS: Mapping[str, tuple[str, Decimal]] = {
    "万元": ("元", Decimal(10000)),
    "千元": ("元", Decimal(1000)),
    "元": ("元", Decimal(1)),
    "亩": ("平方米", Decimal(10000) / Decimal(15)),
    "公顷": ("平方米", Decimal(10000)),
    "平方米": ("平方米", Decimal(1)),
    "m2": ("平方米", Decimal(1)),
    "m²": ("平方米", Decimal(1)),
    "元/生": ("元/人", Decimal(1)),
}

_SEGMENT_WORDS = tuple(s.value for s in Segment)
_TOTAL_RE = re.compile(r"^(?:.*(?:合计|小计)|总计|全县|总数)$")
_BRACKET_RE = re.compile(r"^(?P<base>.*?)[(（\[【](?P<unit>[^()（）\[\]【】]*)[)）\]】]$")
_BAND_RE = re.compile(
    r"^(?P<seg>小学|初中|高中|学段)?(?:(?P<lo>\d+)[-~—–至](?P<hi>\d+)|(?P<over>\d+)人?(?:及)?以上"
    r"|(?P<under>\d+)人?(?:及)?以下)人?(?:班数|班级数)$"
)
_HEADER_SCAN = 20
#: A column of an extra field the rule set may not declare: ``扩展:一般班额``.
_EXTRA_PREFIX = "扩展:"
_EXTRA_RE = re.compile(
    r"^\s*(?P<seg>小学|初中|高中|学段)?\s*(?:扩展|extra)\s*[:：.]\s*(?P<name>.+?)\s*$"
)

# Column headers of the entities without labels in the models.
_ATTESTATION_HEADERS: Mapping[str, tuple[str, ...]] = {
    "item": ("项目", "指标", "条目", "item", "项目编号", "序号"),
    "status": ("自评", "自评结论", "自评结果", "状态", "status"),
    "evidence": ("依据", "佐证", "佐证材料", "说明", "evidence"),
    "actor": ("主体", "责任主体", "actor"),
    "note": ("备注", "note"),
}
_ATTESTATION_SHOWN = {
    "item": "项目",
    "status": "自评",
    "evidence": "依据",
    "actor": "主体",
    "note": "备注",
}
_SPECIAL_HEADERS: Mapping[str, tuple[str, ...]] = {
    "segment_key": ("学段", "segment"),
    "rules": ("规则", "规则集", "rules"),
    "school_id": ("学校代码", "学校标识码", "学校编号", "id"),
    "kind": ("学校类型", "kind"),
}


# --------------------------------------------------------------------------------------
# Headers and the column mapping


def _norm(text: str) -> str:
    """A header as compared: NFKC, no whitespace or ``*``, lower case."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s*＊:：]+", "", folded).lower()


def _split_unit(text: str) -> tuple[str, str | None]:
    """``在校生数（人）`` → (``在校生数``, ``人``); without brackets, the unit is ``None``."""
    m = _BRACKET_RE.match(text)
    if m is None:
        return text, None
    unit = m["unit"].strip()
    unit = re.sub(r"^单位[:：]?", "", unit)
    return m["base"], (unit or None)


@attrs.frozen
class _Target:
    """What a column is read into.

    ``role``: ``county``, ``county_segment``, ``school``, ``segment``, ``class``,
    ``attestation``, ``declared``, ``band``, ``segment_key``, ``group`` (the county
    code that groups rows by county), ``school_id`` (classes sheet), ``rules``,
    ``ignore``.  ``alt`` is the county-segment field an unprefixed county-sheet
    column means on a row with a 学段.
    """

    role: str
    field: str = ""
    segment: str | None = None
    unit: str | None = None
    kind: str = "figure"
    extra: bool = False
    alt: str | None = None
    band: tuple[int, int | None] | None = None


@attrs.frozen
class TableMapping:
    """A user's additions to the column mapping (``--mapping FILE``).

    Attributes:
        aliases: header as written (normalised when compared) → the header it stands
            for (a field's Chinese label or English name, optionally with a segment
            prefix: ``小学在校生数``).
        units: header or field name → the unit its cells are in (``万元``, ``亩``).
        extra_fields: extra-field declarations, as for :func:`eduint.load_county`.
    """

    aliases: Mapping[str, str] = attrs.field(factory=dict)
    units: Mapping[str, str] = attrs.field(factory=dict)
    extra_fields: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)


def load_mapping(path: str | os.PathLike[str]) -> TableMapping:
    """Read a column-mapping YAML file.

    The file holds up to three keys::

        columns:                    # header as written → the header it means
          在校学生数: 在校生数
          学校标识码: 学校代码
          仪器设备总值: {header: 教学仪器设备值, unit: 万元}
        units:                      # header or field → unit of its cells
          sports_area: 亩
        extra_fields:               # as a rule file declares them
          school: {心理健康教师数: "unit:人"}

    Args:
        path: the YAML file (UTF-8).

    Returns:
        The mapping.

    Raises:
        DataFileError: the file cannot be read, is not YAML, or is not shaped as above.
    """
    name = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataFileError(name, f"cannot read the column mapping: {exc}") from None
    if data is None:
        return TableMapping()
    if not isinstance(data, Mapping) or not set(data) <= {"columns", "units", "extra_fields"}:
        raise DataFileError(
            name, "a column mapping is a mapping with keys columns, units and extra_fields"
        )
    aliases: dict[str, str] = {}
    units: dict[str, str] = {}
    for header, target in (data.get("columns") or {}).items():
        if isinstance(target, Mapping):
            if "header" not in target:
                raise DataFileError(name, f"columns.{header}: give the header it means")
            aliases[str(header)] = str(target["header"])
            if target.get("unit"):
                units[str(header)] = str(target["unit"])
        else:
            aliases[str(header)] = str(target)
    for key, unit in (data.get("units") or {}).items():
        units[str(key)] = str(unit)
    extra = data.get("extra_fields") or {}
    if not isinstance(extra, Mapping):
        raise DataFileError(name, "extra_fields must be a mapping scope → field → kind")
    try:
        _parse_extra_fields(extra)
    except ValueError as exc:
        raise DataFileError(name, f"extra_fields: {exc}") from None
    return TableMapping(aliases, units, {str(k): dict(v) for k, v in extra.items()})


def _field_keys(cls: type) -> dict[str, tuple[str, str, str | None]]:
    """Normalised label and name → (field name, kind, unit) of a model's plain fields."""
    out: dict[str, tuple[str, str, str | None]] = {}
    for fs in _spec(cls).fields:
        if fs.kind in ("entities", "extra"):
            continue
        for key in (fs.name, fs.label):
            if key:
                out.setdefault(_norm(key), (fs.name, fs.kind, fs.unit))
    return out


def default_headers() -> dict[str, list[tuple[str, str, str | None]]]:
    """The built-in column headers, for the documentation.

    Returns:
        Sheet role → (header, field name, unit) rows: each field's Chinese label, as
        written by :func:`write_tables` (the English field name is accepted too).
    """
    out: dict[str, list[tuple[str, str, str | None]]] = {}
    for role, classes in (
        ("county", (County, CountySegment)),
        ("schools", (School, SchoolSegment)),
        ("classes", (Class,)),
        ("declared", (DeclaredCount,)),
    ):
        rows = []
        for cls in classes:
            for fs in _spec(cls).fields:
                if fs.kind in ("entities", "extra") or fs.label is None:
                    continue
                rows.append((fs.label, fs.name, fs.unit))
        out[role] = rows
    out["attestations"] = [(v[0], k, None) for k, v in _ATTESTATION_HEADERS.items()]
    return out


# Sheet role → the role of an undeclared extra column (and of one with a segment prefix).
_EXTRA_ROLE = {
    "county": ("county", "county_segment"),
    "schools": ("school", "segment"),
    "classes": ("class", "class"),
}
_EXTRA_SCOPE_ROLE = {
    "county": "county",
    "county_segment": "county_segment",
    "school": "school",
    "segment": "segment",
    "class": "class",
}


class _Resolver:
    """Resolves the headers of one sheet role to targets."""

    def __init__(self, role: str, mapping: TableMapping, extras: Mapping[str, Any]) -> None:
        self.role = role
        self.aliases = {_norm(k): v for k, v in mapping.aliases.items()}
        self.units = {_norm(k): v for k, v in mapping.units.items()}
        self.extras = extras
        self.county = _field_keys(County)
        self.cseg = _field_keys(CountySegment)
        self.school = _field_keys(School)
        self.seg = _field_keys(SchoolSegment)
        self.cls = _field_keys(Class)
        self.declared = _field_keys(DeclaredCount)
        self.known: list[str] = []
        for table in self._tables():
            self.known.extend(table)

    def _tables(self) -> list[dict[str, tuple[str, str, str | None]]]:
        return {
            "county": [self.county, self.cseg],
            "schools": [self.school, self.seg],
            "classes": [self.cls],
            "declared": [self.declared],
        }.get(self.role, [])

    def _extra(self, scope: str, name: str) -> _Target | None:
        for field, kind in (self.extras.get(scope) or {}).items():
            if _norm(field) == name:
                unit = kind.unit if kind.kind == "unit" else None
                role = {
                    "county": "county",
                    "county_segment": "county_segment",
                    "school": "school",
                    "segment": "segment",
                    "class": "class",
                }[scope]
                return _Target(
                    role,
                    field,
                    unit=unit,
                    kind="figure" if kind.kind in ("unit", "number") else kind.kind,
                    extra=True,
                )
        return None

    def _special(self, name: str) -> str | None:
        for key, words in _SPECIAL_HEADERS.items():
            if name in (_norm(w) for w in words):
                return key
        return None

    def resolve(self, header: str) -> tuple[_Target | None, str | None]:
        """A header as written → (target, declared unit of its cells), or (None, unit)."""
        m = _EXTRA_RE.match(header)
        if m is not None and self.role in _EXTRA_ROLE:
            name, seg = m["name"], m["seg"]
            if seg is None:
                seg, rest = self._prefix(name)
                if seg is not None and rest != name:
                    name = rest
            scope = 0 if seg is None else 1
            for kinds in (
                self.extras.get(
                    ("county", "county_segment", "school", "segment", "class", "class")[
                        {"county": 0, "schools": 2, "classes": 4}[self.role] + scope
                    ]
                )
                or {},
            ):
                if name in kinds:
                    declared = self._extra(_EXTRA_ROLE[self.role][scope], _norm(name))
                    if declared is not None:
                        return attrs.evolve(declared, segment=None if seg == "学段" else seg), None
            return _Target(
                _EXTRA_ROLE[self.role][scope],
                name,
                None if seg in (None, "学段") else seg,
                kind="raw",
                extra=True,
            ), None
        base, unit = _split_unit(header)
        name = _norm(base)
        if name in self.aliases:
            alias_base, alias_unit = _split_unit(self.aliases[name])
            name, unit = _norm(alias_base), alias_unit or unit
        unit = self.units.get(_norm(header), self.units.get(name, unit))
        target = self._resolve(name)
        if target is not None and unit is None and target.field:
            unit = self.units.get(_norm(target.field))
        return target, unit

    def _resolve(self, name: str) -> _Target | None:  # noqa: C901 - one table per role
        if not name:
            return None
        role = self.role
        special = self._special(name)
        if role == "attestations":
            for key, words in _ATTESTATION_HEADERS.items():
                if name in (_norm(w) for w in words):
                    return _Target("attestation", key, kind="text")
            if name == _norm("行政区划代码"):
                return _Target("group", "code", kind="text")
            return None
        if name == _norm("行政区划代码") or (name == "code" and role != "county"):
            return _Target("county" if role == "county" else "group", "code", kind="text")
        if special == "segment_key" and role in ("county", "schools", "classes"):
            return _Target("segment_key", "segment", kind="text")
        if role == "county":
            if special == "rules":
                return _Target("rules", "rules", kind="text")
            seg, rest = self._prefix(name)
            if seg is not None:
                hit = self.cseg.get(rest) or None
                if hit is not None:
                    return _Target("county_segment", hit[0], seg, hit[2], hit[1])
                ext = self._extra("county_segment", rest)
                return attrs.evolve(ext, segment=seg) if ext else None
            c = self.county.get(name)
            s = self.cseg.get(name)
            if c is not None:
                return _Target("county", c[0], None, c[2], c[1], alt=s[0] if s else None)
            if s is not None:
                return _Target("county_segment", s[0], None, s[2], s[1])
            return self._extra("county", name) or self._extra("county_segment", name)
        if role == "schools":
            if name in (_norm("县区名称"), _norm("县区")):
                return _Target("ignore")
            band = _BAND_RE.match(name)
            if band:
                seg = band["seg"] if band["seg"] in _SEGMENT_WORDS else None
                if band["lo"]:
                    rng: tuple[int, int | None] = (int(band["lo"]), int(band["hi"]))
                elif band["over"]:
                    rng = (int(band["over"]), None)
                else:
                    rng = (0, int(band["under"]))
                return _Target("band", "count", seg, "班", band=rng)
            seg, rest = self._prefix(name)
            if seg is not None:
                hit = self.seg.get(rest)
                if hit is not None:
                    return _Target(
                        "segment", hit[0], None if seg == "学段" else seg, hit[2], hit[1]
                    )
                ext = self._extra("segment", rest)
                if ext is not None:
                    return attrs.evolve(ext, segment=None if seg == "学段" else seg)
            c = self.school.get(name)
            if c is not None:
                return _Target("school", c[0], None, c[2], c[1])
            s = self.seg.get(name)
            if s is not None:
                return _Target("segment", s[0], None, s[2], s[1])
            return self._extra("school", name) or self._extra("segment", name)
        if role == "classes":
            if special == "school_id":
                return _Target("school_id", "id", kind="text")
            c = self.cls.get(name)
            if c is not None:
                return _Target("class", c[0], None, c[2], c[1])
            return self._extra("class", name)
        if role == "declared":
            if special == "kind":
                return _Target("declared", "kind", kind="enum")
            d = self.declared.get(name)
            if d is not None:
                return _Target("declared", d[0], None, d[2], d[1])
        return None

    @staticmethod
    def _prefix(name: str) -> tuple[str | None, str]:
        for word in (*_SEGMENT_WORDS, "学段"):
            if name.startswith(word) and len(name) > len(word):
                return word, name[len(word) :]
        return None, name


# --------------------------------------------------------------------------------------
# Raw sheets


@attrs.frozen
class _Cell:
    value: Any
    percent: bool = False  # an Excel cell formatted as a percentage


@attrs.define
class _Sheet:
    file: str
    name: str | None  # None for a CSV file
    rows: list[tuple[int, list[_Cell]]]  # (row number as the user sees it, cells)


def _decode(raw: bytes, file: str) -> str:
    """CSV bytes → text: strict UTF-8 (with or without BOM), else strict GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataFileError(
        file, "cannot decode the file as UTF-8 or GB18030/GBK; save it as UTF-8 or GBK"
    )


def _read_csv(path: Path, shown: str) -> tuple[_Sheet, bytes]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(shown, f"cannot read the file: {exc.strerror or exc}") from None
    text = _decode(raw, shown)
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataFileError(shown, f"not a CSV file: {exc}") from None
    rows = [(i, [_Cell(v) for v in rec]) for i, rec in enumerate(records, start=1)]
    return _Sheet(shown, path.stem, rows), raw


def _read_xlsx(path: Path, shown: str) -> tuple[list[_Sheet], bytes]:
    import openpyxl  # imported here: the YAML path never needs it

    try:
        raw = path.read_bytes()
        wb = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except OSError as exc:
        raise DataFileError(shown, f"cannot read the file: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise DataFileError(shown, f"not an XLSX workbook: {exc}") from None
    sheets = []
    for ws in wb.worksheets:
        fill: dict[tuple[int, int], Any] = {}
        for rng in ws.merged_cells.ranges:
            if rng.min_row > _HEADER_SCAN + 2:
                continue
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    fill[(r, c)] = top
        rows = []
        for r, row in enumerate(ws.iter_rows(), start=1):
            cells = []
            for c, cell in enumerate(row, start=1):
                value = fill.get((r, c), cell.value)
                fmt = str(getattr(cell, "number_format", "") or "")
                cells.append(_Cell(value, "%" in fmt))
            rows.append((r, cells))
        sheets.append(_Sheet(shown, ws.title, rows))
    return sheets, raw


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet_role(name: str) -> str | None:
    n = _norm(name)
    for role, names in SHEET_NAMES.items():
        for candidate in names:
            c = _norm(candidate)
            if n == c or n.endswith(c) or n.endswith("-" + c):
                return role
    return None


# --------------------------------------------------------------------------------------
# Assembling the mapping of one county


@attrs.frozen
class _Where:
    sheet: str | None
    row: int
    header: str
    value: Any
    file: str


@attrs.define
class _Build:
    """The mapping of one county being assembled, and where each value came from."""

    data: dict[str, Any] = attrs.field(factory=dict)
    segments: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    schools: list[dict[str, Any]] = attrs.field(factory=list)
    school_index: dict[str, int] = attrs.field(factory=dict)
    attestations: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    declared: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    where: dict[str, _Where] = attrs.field(factory=dict)
    entity_rows: dict[str, set[tuple[str, str | None, int]]] = attrs.field(factory=dict)
    rows: set[tuple[str, str | None, int]] = attrs.field(factory=set)
    rejected: set[tuple[str, str | None, int]] = attrs.field(factory=set)
    problems: list[DataProblem] = attrs.field(factory=list)
    rules: str | None = None
    has_classes: bool = False

    def mapping(self) -> dict[str, Any]:
        out = dict(self.data)
        if self.segments:
            out["segments"] = self.segments
        if self.schools:
            out["schools"] = self.schools
        if self.attestations:
            out["attestations"] = self.attestations
        if self.declared:
            out["declared_counts"] = self.declared
        return out


class _Reader:
    def __init__(self, mapping: TableMapping, extras: Mapping[str, Any]) -> None:
        self.mapping = mapping
        self.extras = extras
        self.builds: dict[str | None, _Build] = {}
        self.orphans: list[DataProblem] = []
        self.orphan_rows: set[tuple[str, str | None, int]] = set()

    # -- problems and values

    def cell_problem(
        self,
        sheet: _Sheet,
        row: int,
        header: str,
        value: Any,
        message: str,
        *,
        field: str | None = None,
        code: str = "D020",
        hint: str | None = None,
    ) -> DataProblem:
        return DataProblem(
            sheet.file, header, field, value, message, row, sheet.name, code=code, hint=hint
        )

    def convert(self, t: _Target, cell: _Cell, unit: str | None) -> Any:
        """A cell's value as the input format takes it; raises DataValueError."""
        value = cell.value
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                return None
        if isinstance(value, datetime.datetime):
            if value.time() == datetime.time(0):
                value = value.date()
        if t.kind in ("text", "enum", "int") and isinstance(value, float) and value.is_integer():
            return int(value)
        if t.kind == "raw" and isinstance(value, str):
            number = _plain_decimal(value)  # an undeclared extra: numbers stay numbers
            return value if number is None else number
        if t.kind != "figure" or value is None:
            return value
        if (
            cell.percent
            and t.unit == "%"
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
        ):
            return (Decimal(str(value)) * 100).normalize()
        if unit is not None and unit != t.unit:
            conv = COLUMN_UNITS.get(unit)
            if conv is None or conv[0] != t.unit:
                raise DataValueError(
                    f"the column is in {unit}, but the field is in {t.unit or 'no unit'}",
                    hint=f"the units that convert are {', '.join(COLUMN_UNITS)}",
                )
            fig = parse_figure(value, unit=t.unit)
            factor = conv[1]
            low, high = fig.low * factor, fig.high * factor
            if low == high:
                return {"value": _tidy(low), "approximate": fig.approximate}
            return {"low": _tidy(low), "high": _tidy(high), "approximate": fig.approximate}
        return value

    # -- counties

    def county_for(self, code: str | None) -> _Build | None:
        if code is None:
            if len(self.builds) == 1:
                return next(iter(self.builds.values()))
            if not self.builds:
                self.builds[None] = _Build()
                return self.builds[None]
            return None
        if code in self.builds:
            return self.builds[code]
        if list(self.builds) == [None]:
            self.builds[code] = self.builds.pop(None)
            return self.builds[code]
        self.builds[code] = _Build()
        return self.builds[code]

    # -- sheets

    def header(
        self, sheet: _Sheet, resolver: _Resolver
    ) -> tuple[int, list[tuple[str, _Target | None, str | None]]] | None:
        """Find the header (one row, or two rows merged); returns the index of the first
        data row and the columns (header as written, target, unit)."""
        best: tuple[int, int, list[tuple[str, _Target | None, str | None]]] | None = None
        rows = sheet.rows
        for i in range(min(len(rows), _HEADER_SCAN)):
            candidates = [(1, [_text_of(c.value) for c in rows[i][1]])]
            if i + 1 < len(rows):
                candidates.append((2, _combine(rows[i][1], rows[i + 1][1])))
            for height, headers in candidates:
                cols = [(h, *resolver.resolve(h)) for h in headers]
                distinct = {t for _h, t, _u in cols if t is not None and t.role != "ignore"}
                score = len(distinct)
                if score >= 2 and (best is None or score > best[1]):
                    best = (i + height, score, cols)
        if best is None:
            return None
        return best[0], best[2]

    def read_sheet(self, sheet: _Sheet, role: str) -> None:
        resolver = _Resolver(role, self.mapping, self.extras)
        found = self.header(sheet, resolver)
        if found is None:
            self.orphans.append(
                DataProblem(
                    sheet.file,
                    "",
                    None,
                    None,
                    "no header row found (no two known column headers); the sheet is not read",
                    None,
                    sheet.name,
                    code="D010",
                )
            )
            return
        start, cols = found
        header_row = sheet.rows[start - 1][0]
        for h, t, _u in cols:
            if h and t is None:
                hint = did_you_mean(_norm(_split_unit(h)[0]), resolver.known)
                self.orphans.append(
                    DataProblem(
                        sheet.file,
                        h,
                        None,
                        h,
                        "unknown column; its cells are not read",
                        header_row,
                        sheet.name,
                        code="D010",
                        hint=f"did you mean '{hint}'?" if hint else "add it to a --mapping file",
                    )
                )
        for rownum, cells in sheet.rows[start:]:
            if all(_text_of(c.value) == "" for c in cells):
                continue  # a blank separator row
            self.read_row(sheet, role, rownum, cells, cols)

    def read_row(  # noqa: C901 - one branch per sheet role
        self,
        sheet: _Sheet,
        role: str,
        rownum: int,
        cells: list[_Cell],
        cols: list[tuple[str, _Target | None, str | None]],
    ) -> None:
        key = (sheet.file, sheet.name, rownum)
        pairs = [
            (cols[i], cells[i])
            for i in range(min(len(cols), len(cells)))
            if cols[i][1] is not None and _text_of(cells[i].value) != ""
        ]
        code = next(
            (
                _text_of(c.value)
                for (_h, t, _u), c in pairs
                if t is not None and t.field == "code" and t.role in ("group", "county")
            ),
            None,
        )
        segment = next(
            (
                _text_of(c.value)
                for (_h, t, _u), c in pairs
                if t is not None and t.role == "segment_key"
            ),
            None,
        )
        build = self.county_for(code)
        texts = [_text_of(c.value) for c in cells]
        if build is None:
            self.orphan_rows.add(key)
            self.orphans.append(
                DataProblem(
                    sheet.file,
                    "",
                    None,
                    None,
                    "the row names no county (行政区划代码) and the workbook has several; "
                    "the row is rejected",
                    rownum,
                    sheet.name,
                    code="D030",
                )
            )
            return
        build.rows.add(key)
        if any(_TOTAL_RE.match(_norm(t)) for t in texts if t and not _is_number(t)):
            build.rejected.add(key)
            label = next(t for t in texts if t and _TOTAL_RE.match(_norm(t)))
            build.problems.append(
                DataProblem(
                    sheet.file,
                    "",
                    None,
                    label,
                    f"a total row ({label}); not read as data",
                    rownum,
                    sheet.name,
                    code="D030",
                )
            )
            return

        def put(
            container: dict[str, Any],
            path: str,
            t: _Target,
            header: str,
            cell: _Cell,
            unit: str | None,
        ) -> None:
            try:
                value = self.convert(t, cell, unit)
            except DataValueError as exc:
                build.problems.append(
                    self.cell_problem(
                        sheet,
                        rownum,
                        header,
                        cell.value,
                        exc.message,
                        field=t.field,
                        code=exc.code,
                        hint=exc.hint,
                    )
                )
                return
            if value is None:
                return
            target = container.setdefault("extra", {}) if t.extra else container
            full = (
                f"{path}.extra.{t.field}" if t.extra else (f"{path}.{t.field}" if path else t.field)
            )
            if t.extra and not path:
                full = f"extra.{t.field}"
            if t.field in target and target[t.field] != value:
                build.problems.append(
                    self.cell_problem(
                        sheet,
                        rownum,
                        header,
                        cell.value,
                        f"given again with a different value ({_text_of(target[t.field])} "
                        "earlier); the first is kept",
                        field=t.field,
                        code="D011",
                    )
                )
                return
            target[t.field] = value
            build.where.setdefault(full, _Where(sheet.name, rownum, header, cell.value, sheet.file))

        def need_segment(header: str, t: _Target) -> bool:
            build.problems.append(
                self.cell_problem(
                    sheet,
                    rownum,
                    header,
                    None,
                    "the row has no 学段, so this segment figure has nowhere to go",
                    field=t.field,
                    code="D030",
                    hint="add a 学段 column, or prefix the header (小学在校生数)",
                )
            )
            return False

        def entity(path: str) -> None:
            build.entity_rows.setdefault(path, set()).add(key)

        if role == "county":
            for (header, t, unit), cell in pairs:
                assert t is not None
                if t.role == "rules":
                    build.rules = _text_of(cell.value)
                elif t.role == "county" and (segment is None or t.alt is None):
                    if segment is not None and t.field in ("name", "code"):
                        continue  # repeated on segment rows
                    put(build.data, "", t, header, cell, unit)
                elif t.role in ("county", "county_segment"):
                    seg = t.segment or segment
                    if seg is None:
                        need_segment(header, t)
                        continue
                    field_t = (
                        attrs.evolve(t, field=t.alt)
                        if t.role == "county" and t.alt and not t.segment
                        else t
                    )
                    entity(f"segments.{seg}")
                    put(
                        build.segments.setdefault(seg, {}),
                        f"segments.{seg}",
                        field_t,
                        header,
                        cell,
                        unit,
                    )
            return
        if role == "schools":
            sid = next(
                (
                    _text_of(c.value)
                    for (_h, t, _u), c in pairs
                    if t is not None and t.role == "school" and t.field == "id"
                ),
                None,
            )
            if sid is not None and sid in build.school_index:
                index = build.school_index[sid]
            else:
                index = len(build.schools)
                build.schools.append({})
                if sid is not None:
                    build.school_index[sid] = index
            school = build.schools[index]
            spath = f"schools[{index}]"
            entity(spath)
            for (header, t, unit), cell in pairs:
                assert t is not None
                if t.role == "school":
                    put(school, spath, t, header, cell, unit)
                elif t.role in ("segment", "band"):
                    seg = t.segment or segment
                    if seg is None:
                        need_segment(header, t)
                        continue
                    segs = school.setdefault("segments", {})
                    sd = segs.setdefault(seg, {})
                    gpath = f"{spath}.segments.{seg}"
                    entity(gpath)
                    if t.role == "band":
                        assert t.band is not None
                        bands = sd.setdefault("size_bands", [])
                        band = {"low": t.band[0], "high": t.band[1]}
                        bands.append(band)
                        put(band, f"{gpath}.size_bands[{len(bands) - 1}]", t, header, cell, unit)
                    else:
                        put(sd, gpath, t, header, cell, unit)
            if segment is not None:
                school.setdefault("segments", {}).setdefault(segment, {})
                entity(f"{spath}.segments.{segment}")
            return
        if role == "classes":
            build.has_classes = True
            sid = next(
                (
                    _text_of(c.value)
                    for (_h, t, _u), c in pairs
                    if t is not None and t.role == "school_id"
                ),
                None,
            )
            if sid is None or sid not in build.school_index or segment is None:
                build.rejected.add(key)
                what = (
                    "no 学校代码"
                    if sid is None
                    else f"学校代码 '{sid}' is not in the school sheet"
                    if segment is not None
                    else "no 学段"
                )
                build.problems.append(
                    DataProblem(
                        sheet.file,
                        "",
                        None,
                        sid,
                        f"the class row has {what}; it is left out",
                        rownum,
                        sheet.name,
                        code="D030",
                    )
                )
                return
            index = build.school_index[sid]
            sd = build.schools[index].setdefault("segments", {}).setdefault(segment, {})
            classes = sd.setdefault("classes", [])
            entry: dict[str, Any] = {}
            classes.append(entry)
            cpath = f"schools[{index}].segments.{segment}.classes[{len(classes) - 1}]"
            entity(cpath)
            for (header, t, unit), cell in pairs:
                assert t is not None
                if t.role == "class":
                    put(entry, cpath, t, header, cell, unit)
            return
        if role == "attestations":
            values = {
                t.field: cell
                for (_h, t, _u), cell in pairs
                if t is not None and t.role == "attestation"
            }
            headers = {t.field: h for (h, t, _u), _c in pairs if t is not None}
            item_cell = values.pop("item", None)
            if item_cell is None:
                build.rejected.add(key)
                build.problems.append(
                    DataProblem(
                        sheet.file,
                        "",
                        "item",
                        None,
                        "the row names no item (项目); it is left out",
                        rownum,
                        sheet.name,
                        code="D030",
                    )
                )
                return
            item = _text_of(item_cell.value)
            if item in build.attestations:
                build.rejected.add(key)
                build.problems.append(
                    self.cell_problem(
                        sheet,
                        rownum,
                        headers["item"],
                        item,
                        "the item is answered twice; the first answer is kept",
                        field="item",
                        code="D011",
                    )
                )
                return
            answer: dict[str, Any] = {}
            build.attestations[item] = answer
            apath = f"attestations.{item}"
            entity(apath)
            for field, cell in values.items():
                put(
                    answer,
                    apath,
                    _Target("attestation", field, kind="text"),
                    headers[field],
                    cell,
                    None,
                )
            return
        if role == "declared":
            kind_cell = next(
                (c for (_h, t, _u), c in pairs if t is not None and t.field == "kind"), None
            )
            if kind_cell is None:
                build.rejected.add(key)
                build.problems.append(
                    DataProblem(
                        sheet.file,
                        "",
                        "kind",
                        None,
                        "the row names no 学校类型; it is left out",
                        rownum,
                        sheet.name,
                        code="D030",
                    )
                )
                return
            kind = _text_of(kind_cell.value)
            dc = build.declared.setdefault(kind, {})
            dpath = f"declared_counts.{kind}"
            entity(dpath)
            for (header, t, unit), cell in pairs:
                assert t is not None
                if t.role == "declared" and t.field != "kind":
                    put(dc, dpath, t, header, cell, unit)

    # -- results

    def results(self, shown: str, sha: str, extra_fields: Mapping[str, Any]) -> list[LoadResult]:
        out = []
        builds = list(self.builds.values()) or [_Build()]
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
    def locate(
        build: _Build, p: DataProblem, rejected: set[tuple[str, str | None, int]]
    ) -> DataProblem:
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


def _combine(top: Sequence[_Cell], bottom: Sequence[_Cell]) -> list[str]:
    """The headers of a two-row header: ``小学`` over ``在校生数`` → ``小学在校生数``."""
    width = max(len(top), len(bottom))
    t = [_text_of(top[i].value) if i < len(top) else "" for i in range(width)]
    b = [_text_of(bottom[i].value) if i < len(bottom) else "" for i in range(width)]
    out = []
    group = ""
    for i in range(width):
        if t[i] and b[i] and t[i] != b[i]:
            out.append(t[i] + b[i])
            group = t[i] if _norm(t[i]) in (*_SEGMENT_WORDS, "学段") else ""
        elif t[i] and not b[i]:
            out.append(t[i])
            group = t[i] if _norm(t[i]) in _SEGMENT_WORDS else ""
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


def _tidy(d: Decimal) -> Decimal:
    """A converted figure without trailing zeros (``3600000``, not ``3600000.0000``)."""
    return d.to_integral_value() if d == d.to_integral_value() else d.normalize()


def _sources(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix.lower() in (".xlsx", ".xlsm", ".csv") and not p.name.startswith(("~$", "."))
        )
        if not files:
            raise DataFileError(str(path), "the folder holds no .xlsx or .csv file")
        return files
    return [path]


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
        extras = _parse_extra_fields(decls or None)
    except ValueError as exc:
        raise DataFileError(shown_root, f"extra fields: {exc}") from None
    if not root.exists():
        raise DataFileError(shown_root, "no such file or folder")
    sheets: list[_Sheet] = []
    digest = hashlib.sha256()
    for file in _sources(root):
        shown = str(file) if root.is_dir() else shown_root
        if file.suffix.lower() == ".csv":
            sheet, raw = _read_csv(file, shown)
            sheets.append(sheet)
        elif file.suffix.lower() in (".xlsx", ".xlsm"):
            got, raw = _read_xlsx(file, shown)
            sheets.extend(got)
        else:
            raise DataFileError(shown, "expected an .xlsx or .csv file (or a folder of them)")
        digest.update(raw)
    reader = _Reader(mapping, extras)
    order = ("county", "schools", "classes", "attestations", "declared")
    roles: list[tuple[str, _Sheet]] = []
    for sheet in sheets:
        role = _sheet_role(sheet.name or "")
        if role is None and len(sheets) == 1:
            role = "schools"
        if role is None:
            reader.orphans.append(
                DataProblem(
                    sheet.file,
                    "",
                    None,
                    sheet.name,
                    "the sheet's name says nothing it holds (县区, 学校, 班级, 自评, 学校数); "
                    "it is not read",
                    None,
                    sheet.name,
                    code="D010",
                )
            )
            continue
        if role != "explain":
            roles.append((role, sheet))
    if not roles:
        raise DataFileError(shown_root, "no sheet named 县区, 学校, 班级, 自评 or 学校数")
    for role, sheet in sorted(roles, key=lambda rs: order.index(rs[0])):
        reader.read_sheet(sheet, role)
    return reader.results(shown_root, digest.hexdigest(), decls)


# --------------------------------------------------------------------------------------
# Writing


def _label(cls: type, field: str) -> str:
    fs = _spec(cls).field(field)
    return fs.label or field


def _unit(cls: type, field: str) -> str | None:
    return _spec(cls).field(field).unit or None


def _cell_out(value: Any) -> Any:
    """A dumped value as a cell: numbers stay numbers, figure mappings become text."""
    if isinstance(value, Mapping):
        if "value" in value:
            return f"约{value['value']}" if value.get("approximate") else value["value"]
        return _interval_text(Decimal(str(value["low"])), Decimal(str(value["high"])))
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


@attrs.define
class _Table:
    name: str
    headers: list[str]
    rows: list[list[Any]]
    units: list[str | None]
    groups: list[str] = attrs.field(factory=list)  # wide header groups (segment or "")
    notes: list[str] = attrs.field(factory=list)


def _ordered(cls: type, keys: Iterable[str]) -> list[str]:
    order = [fs.name for fs in _spec(cls).fields]
    present = set(keys)
    return [
        k
        for k in order
        if k in present and k not in ("segments", "extra", "classes", "size_bands", "segment")
    ]


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


def _band_header(band: Mapping[str, Any]) -> str:
    if band.get("high") is None:
        return f"{band['low']}人以上班数"
    return f"{band['low']}-{band['high']}人班数"


def _tables(counties: Sequence[County], layout: Layout, rules: str | None) -> list[_Table]:  # noqa: C901
    dumps = [dump_county(c) for c in counties]
    several = len(counties) > 1
    tables: list[_Table] = []

    # county sheet
    ckeys: list[str] = []
    skeys: list[str] = []
    cextra: list[str] = []
    for d in dumps:
        ckeys += [k for k in d if k not in ckeys]
        for sd in (d.get("segments") or {}).values():
            skeys += [k for k in sd if k not in skeys]
        cextra += [k for k in (d.get("extra") or {}) if k not in cextra]
    cfields = [
        f
        for f in _ordered(County, ckeys)
        if f not in ("attestations", "declared_counts", "schools")
    ]
    if several and "code" not in cfields:
        cfields.insert(0, "code")
    sfields = _ordered(CountySegment, skeys)
    headers: list[str] = []
    units: list[str | None] = []
    groups: list[str] = []
    cols: list[tuple[str, str, str | None]] = []  # (kind, field, segment)
    for f in cfields:
        headers.append(_label(County, f))
        units.append(_unit(County, f))
        groups.append("")
        cols.append(("county", f, None))
    for f in cextra:
        headers.append(_EXTRA_PREFIX + f)
        units.append(None)
        groups.append("")
        cols.append(("cextra", f, None))
    if rules:
        headers.append("规则")
        units.append(None)
        groups.append("")
        cols.append(("rules", "", None))
    if layout == "long":
        headers.insert(1, "学段")
        units.insert(1, None)
        groups.insert(1, "")
        cols.insert(1, ("segkey", "", None))
        shared = {c[1]: i for i, c in enumerate(cols) if c[0] == "county"}
        for f in sfields:
            if f in shared and _label(County, f) == _label(CountySegment, f):
                continue
            headers.append(_label(CountySegment, f))
            units.append(_unit(CountySegment, f))
            groups.append("")
            cols.append(("cseg", f, None))
    else:
        segs = [s for s in _SEGMENT_WORDS if any(s in (d.get("segments") or {}) for d in dumps)]
        for s in segs:
            for f in sfields:
                headers.append(_label(CountySegment, f))
                units.append(_unit(CountySegment, f))
                groups.append(s)
                cols.append(("cseg", f, s))
    rows: list[list[Any]] = []
    for d in dumps:
        base: list[Any] = []
        for kind, f, _s in cols:
            if kind == "county":
                base.append(_cell_out(d.get(f)))
            elif kind == "cextra":
                base.append(_cell_out((d.get("extra") or {}).get(f)))
            elif kind == "rules":
                base.append(rules)
            elif kind == "cseg" and _s is not None:
                base.append(_cell_out(((d.get("segments") or {}).get(_s) or {}).get(f)))
            else:
                base.append(None)
        rows.append(base)
        if layout == "long":
            for seg, sd in (d.get("segments") or {}).items():
                row: list[Any] = []
                for kind, f, _s in cols:
                    if kind == "segkey":
                        row.append(seg)
                    elif kind == "county" and f in ("code", "name"):
                        row.append(d.get(f))
                    elif kind in ("county", "cseg") and f in sd:
                        row.append(_cell_out(sd.get(f)))
                    else:
                        row.append(None)
                rows.append(row)
    tables.append(_Table("县区", headers, rows, units, groups))

    # school sheet
    school_keys: list[str] = []
    seg_keys: list[str] = []
    bands: list[str] = []
    sextra: list[str] = []
    gextra: list[str] = []
    any_classes = False
    for d in dumps:
        for sc in d.get("schools") or []:
            school_keys += [k for k in sc if k not in school_keys]
            sextra += [k for k in (sc.get("extra") or {}) if k not in sextra]
            for sd in (sc.get("segments") or {}).values():
                seg_keys += [k for k in sd if k not in seg_keys]
                gextra += [k for k in (sd.get("extra") or {}) if k not in gextra]
                for b in sd.get("size_bands") or []:
                    if _band_header(b) not in bands:
                        bands.append(_band_header(b))
                any_classes = any_classes or bool(sd.get("classes"))
    if any(d.get("schools") for d in dumps):
        sch_fields = _ordered(School, school_keys)
        seg_fields = _ordered(SchoolSegment, seg_keys)
        scols: list[tuple[str, str, str | None]] = []
        if several:
            scols.append(("code", "", None))
        scols += [("school", f, None) for f in sch_fields]
        scols += [("sextra", f, None) for f in sextra]
        seg_list = (
            [None]
            if layout == "long"
            else [
                s
                for s in _SEGMENT_WORDS
                if any(
                    s in (sc.get("segments") or {}) for d in dumps for sc in d.get("schools") or []
                )
            ]
        )
        if layout == "long":
            scols.append(("segkey", "", None))
        for sg in seg_list:
            scols += [("seg", f, sg) for f in seg_fields]
            scols += [("gextra", f, sg) for f in gextra]
            scols += [("band", b, sg) for b in bands]
        sheaders: list[str] = []
        sunits: list[str | None] = []
        sgroups: list[str] = []
        for kind, f, sg in scols:
            if kind == "code":
                sheaders.append("行政区划代码")
                sunits.append(None)
            elif kind == "school":
                sheaders.append(_label(School, f))
                sunits.append(_unit(School, f))
            elif kind == "segkey":
                sheaders.append("学段")
                sunits.append(None)
            elif kind == "seg":
                label = _label(SchoolSegment, f)
                # the school has a field of the same label: name the segment's explicitly
                clash = any(fs.label == label for fs in _spec(School).fields)
                sheaders.append(("学段" + label) if clash and layout == "long" else label)
                sunits.append(_unit(SchoolSegment, f))
            elif kind == "band":
                sheaders.append(f)
                sunits.append("班")
            elif kind == "gextra":
                sheaders.append(("学段" if layout == "long" else "") + _EXTRA_PREFIX + f)
                sunits.append(None)
            else:
                sheaders.append(_EXTRA_PREFIX + f)
                sunits.append(None)
            sgroups.append(sg or "")
        srows: list[list[Any]] = []
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
                    for kind, f, sg in scols:
                        src_seg = sd if layout == "long" else sc_segs.get(sg or "")
                        if kind == "code":
                            row.append(d.get("code"))
                        elif kind == "school":
                            row.append(_cell_out(sc.get(f)) if n == 0 or f == "id" else None)
                        elif kind == "sextra":
                            row.append(
                                _cell_out((sc.get("extra") or {}).get(f)) if n == 0 else None
                            )
                        elif kind == "segkey":
                            row.append(seg)
                        elif kind == "seg":
                            row.append(_cell_out((src_seg or {}).get(f)))
                        elif kind == "gextra":
                            row.append(_cell_out(((src_seg or {}).get("extra") or {}).get(f)))
                        elif kind == "band":
                            row.append(
                                next(
                                    (
                                        b.get("count")
                                        for b in (src_seg or {}).get("size_bands") or []
                                        if _band_header(b) == f
                                    ),
                                    None,
                                )
                            )
                        else:
                            row.append(None)
                    srows.append([_cell_out(v) for v in row])
        tables.append(_Table("学校", sheaders, srows, sunits, sgroups))

    if any_classes:
        cl_keys: list[str] = []
        cl_extra: list[str] = []
        for d in dumps:
            for sc in d.get("schools") or []:
                for sd in (sc.get("segments") or {}).values():
                    for c in sd.get("classes") or []:
                        cl_keys += [k for k in c if k not in cl_keys]
                        cl_extra += [k for k in (c.get("extra") or {}) if k not in cl_extra]
        cl_fields = _ordered(Class, cl_keys)
        headers = (
            (["行政区划代码"] if several else [])
            + ["学校代码", "学段"]
            + [_label(Class, f) for f in cl_fields]
            + [_EXTRA_PREFIX + f for f in cl_extra]
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
                    for c in sd.get("classes") or []:
                        rows.append(
                            ([d.get("code")] if several else [])
                            + [sc.get("id"), seg]
                            + [_cell_out(c.get(f)) for f in cl_fields]
                            + [_cell_out((c.get("extra") or {}).get(f)) for f in cl_extra]
                        )
        tables.append(_Table("班级", headers, rows, units))

    if any(d.get("attestations") for d in dumps):
        fields = list(_ATTESTATION_SHOWN)
        headers = (["行政区划代码"] if several else []) + [_ATTESTATION_SHOWN[f] for f in fields]
        rows = []
        for d in dumps:
            for item, answer in (d.get("attestations") or {}).items():
                ans = answer if isinstance(answer, Mapping) else {"status": answer}
                rows.append(
                    ([d.get("code")] if several else [])
                    + [str(item)]
                    + [ans.get(f) for f in fields[1:]]
                )
        tables.append(_Table("自评", headers, rows, [None] * len(headers)))

    if any(d.get("declared_counts") for d in dumps):
        dfields = [fs.name for fs in _spec(DeclaredCount).fields if fs.name != "kind"]
        headers = (
            (["行政区划代码"] if several else [])
            + ["学校类型"]
            + [_label(DeclaredCount, f) for f in dfields]
        )
        units = [None] * (len(headers) - len(dfields))
        units += [_unit(DeclaredCount, f) for f in dfields]
        rows = []
        for d in dumps:
            for kind, dc in (d.get("declared_counts") or {}).items():
                rows.append(
                    ([d.get("code")] if several else [])
                    + [kind]
                    + [_cell_out(dc.get(f)) for f in dfields]
                )
        tables.append(_Table("学校数", headers, rows, units))
    return tables


def _export(
    table: _Table, title: str
) -> tuple[list[list[Any]], list[tuple[int, int, int, int]], list[list[str]]]:
    """Make a table awkward like a real export: title rows, a two-row header where there
    are groups, 万元 amounts, numbers as text, a blank row and a 合计 row.

    Returns:
        The rows (from row 1), merged ranges (row1, col1, row2, col2; 1-based) and the
        cell number formats (``"0%"`` for percentages, else ``""``).
    """
    rows: list[list[Any]] = [[title], [f"单位：见列标题；{table.name}"]]
    merges: list[tuple[int, int, int, int]] = []
    width = len(table.headers)
    merges.append((1, 1, 1, max(width, 1)))
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
                    v = _tidy(d / scale[i])  # type: ignore[operator]
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


def write_tables(
    counties: County | Sequence[County],
    path: str | os.PathLike[str],
    *,
    layout: Layout = "long",
    rules: str | None = None,
    export: bool = False,
    encoding: str = "utf-8-sig",
) -> list[Path]:
    """Write counties as spreadsheets that :func:`read_tables` reads back to the same
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
    tables = _tables(items, layout, rules)
    target = Path(path)
    title = "、".join(c.name for c in items)
    if target.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl
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
        return [target]
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


def _plain_headers(table: _Table) -> list[Any]:
    """One header row: units in brackets, wide segment columns prefixed (小学在校生数)."""
    groups = table.groups or [""] * len(table.headers)
    return [
        g + _header_text(h, u) for g, h, u in zip(groups, table.headers, table.units, strict=True)
    ]


def _header_text(header: str, unit: str | None) -> str:
    return f"{header}（{unit}）" if unit and unit not in ("%", "1") else header


# --------------------------------------------------------------------------------------
# The template


def write_template(
    ruleset: RuleSet,
    path: str | os.PathLike[str],
    *,
    layout: Layout = "long",
) -> Path:
    """Write the XLSX input template of a rule set (``eduint template``).

    Sheets: 县区 (county and county-segment fields the rule set reads), 学校 (school
    and segment fields; ``layout`` long or wide), 班级 (when a rule reads classes),
    自评 (items and answers), and 说明 (every column: sheet, header, field, unit, what it
    is).  Units are in the header text and in a note on each header cell; 学校类型,
    城乡分类, 学段 and 自评 have drop-down lists.  Columns that identify rows (行政区划代码,
    县区名称, 学校代码, 学校名称, 学校类型, 城乡分类, 学段) are always present.

    Args:
        ruleset: the checked rule set (its :meth:`~eduint.checking.ruleset.RuleSet.fields_read`
            and extra fields decide the columns).
        path: the ``.xlsx`` file to write.
        layout: ``"long"`` or ``"wide"``.

    Returns:
        The file written.

    Raises:
        OSError: the file cannot be written.
    """
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    fields = [f for f in ruleset.fields_read() if not f.derived]
    for f in ruleset.extra_fields:
        fields.append(f)
    by_scope: dict[str, list[Any]] = {}
    for f in sorted(fields, key=lambda f: (f.scope.value, f.name)):
        if f not in by_scope.setdefault(f.scope.value, []):
            by_scope[f.scope.value].append(f)

    def col(
        header: str, unit: str | None, note: str, field: str
    ) -> tuple[str, str | None, str, str]:
        return header, unit, note, field

    county_cols = [
        col("行政区划代码", None, "county code", "code"),
        col("县区名称", None, "county name", "name"),
        col("数据日期", None, "date the data describes (2018-09-01)", "as_of"),
    ]
    seg_cols = []
    for f in by_scope.get("county", []):
        header = f.name if f.extra else (f.label or f.name)
        county_cols.append(
            col(
                header,
                str(f.unit) if f.unit else None,
                f.label_en or "declared by the rule set",
                f.name,
            )
        )
    for f in by_scope.get("county_segment", []):
        seg_cols.append(
            col(f.label or f.name, str(f.unit) if f.unit else None, f.label_en or "", f.name)
        )
    school_cols = [
        col("学校代码", None, "school id", "id"),
        col("学校名称", None, "school name", "name"),
        col("学校类型", None, "kind of school", "kind"),
        col("城乡分类", None, "城区/镇区/乡村", "location"),
    ]
    sseg_cols = []
    for f in by_scope.get("school", []):
        if f.name not in ("id", "name", "kind", "location"):
            school_cols.append(
                col(
                    f.name if f.extra else (f.label or f.name),
                    str(f.unit) if f.unit else None,
                    f.label_en or "",
                    f.name,
                )
            )
    school_labels = {fs.label for fs in _spec(School).fields}
    for f in by_scope.get("segment", []):
        label = f.name if f.extra else (f.label or f.name)
        sseg_cols.append(col(label, str(f.unit) if f.unit else None, f.label_en or "", f.name))
    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    explain: list[list[str]] = []

    def sheet(name: str, columns: list[tuple[str, str | None, str, str]]) -> Any:
        ws = wb.create_sheet(name)
        for c, (header, unit, note, field) in enumerate(columns, start=1):
            cell = ws.cell(1, c, _header_text(header, unit))
            text = f"单位：{unit}\n{note}" if unit else note
            cell.comment = Comment(text or header, "eduint")
            ws.column_dimensions[get_column_letter(c)].width = max(12, len(header) * 2 + 4)
            explain.append([name, _header_text(header, unit), field, unit or "", note])
        return ws

    def validate(
        ws: Any, columns: list[tuple[str, str | None, str, str]], header: str, values: Iterable[str]
    ) -> None:
        for c, (h, _u, _n, _f) in enumerate(columns, start=1):
            if h == header:
                dv = DataValidation(
                    type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
                )
                letter = get_column_letter(c)
                dv.add(f"{letter}2:{letter}1000")
                ws.add_data_validation(dv)

    segs = [s.value for s in (Segment.PRIMARY, Segment.JUNIOR)]
    if layout == "long":
        ccols = (
            county_cols[:2]
            + [col("学段", None, "segment (blank: the whole county)", "segment")]
            + county_cols[2:]
            + [c for c in seg_cols if c[0] not in {h for h, *_ in county_cols}]
        )
        ws = sheet("县区", ccols)
        validate(ws, ccols, "学段", segs)
        scols = (
            school_cols
            + [col("学段", None, "segment", "segment")]
            + [(("学段" + h) if h in school_labels else h, u, n, f) for h, u, n, f in sseg_cols]
        )
        ws = sheet("学校", scols)
        validate(ws, scols, "学段", segs)
    else:
        ccols = county_cols + [(s + h, u, n, f) for s in segs for h, u, n, f in seg_cols]
        ws = sheet("县区", ccols)
        scols = school_cols + [(s + h, u, n, f) for s in segs for h, u, n, f in sseg_cols]
        ws = sheet("学校", scols)
    validate(ws, scols, "学校类型", [k.value for k in SchoolKind])
    validate(ws, scols, "城乡分类", [loc.value for loc in Location])
    if "class" in by_scope:
        clcols = [
            col("学校代码", None, "school id", "id"),
            col("学段", None, "segment", "segment"),
            col("班级", None, "class name", "name"),
            col("年级", None, "grade", "grade"),
        ]
        clcols += [
            col(
                f.name if f.extra else (f.label or f.name),
                str(f.unit) if f.unit else None,
                f.label_en or "",
                f.name,
            )
            for f in by_scope["class"]
        ]
        ws = sheet("班级", clcols)
        validate(ws, clcols, "学段", segs)
        explain.append(
            [
                "学校",
                "46-50人班数 … 66人以上班数",
                "size_bands",
                "班",
                "instead of a class list: classes by size band (add columns)",
            ]
        )
    acols = [
        col("项目", None, "item or part (12, 12.1)", "item"),
        col("自评", None, "the county's answer", "status"),
        col("依据", None, "evidence", "evidence"),
        col("主体", None, "who answers (县/区/市/省)", "actor"),
    ]
    ws = sheet("自评", acols)
    validate(ws, acols, "自评", [s.value for s in SelfStatus])
    validate(ws, acols, "主体", [a.value for a in Actor])
    ws = wb.create_sheet("说明", 0)
    ws.append([f"{ruleset.title or ruleset.id} 数据填报模板（eduint template）"])
    ws.append(
        [
            "每个工作表第一行是列标题；单位写在标题括号里和标题批注中。金额可写万元列（标题写“（万元）”），"
            "面积可写亩。缺少的数字留空，不要写0。"
        ]
    )
    ws.append(["工作表", "列标题", "字段", "单位", "说明"])
    for row in explain:
        ws.append(row)
    for letter, width in zip("ABCDE", (10, 30, 26, 10, 60), strict=True):
        ws.column_dimensions[letter].width = width
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target
