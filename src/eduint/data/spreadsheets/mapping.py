"""The column mapping: which sheet has which role, which header means which field.

Headers are matched against the field registry (:mod:`eduint.data.fields`): each
field's English name, Chinese label and aliases (the statistics' own names:
学校标识码, 县区代码, 办学类型 …), after normalising (:func:`norm`: NFKC folding, so
full-width forms are half-width; every kind of bracket, ``()``/``（）``/``[]``/``【】``,
as ``()``; white space and ``*``/``:`` removed; case ignored).  A unit in brackets at
the end (``在校生数（人）``, ``教学仪器设备值【万元】``) declares the unit of the column's
cells and is converted (:func:`unit_factor`).  Sheet roles add their own conventions:
segment prefixes (``小学在校生数``), class-size band columns recognised by their bounds
(``25人及以下``, ``26-30人``, ``66人及以上班数``), ``扩展:名称`` extra columns, the county
code column that groups rows by county.  The user's additions come from a mapping
file (:func:`load_mapping`), whose keys are matched the same normalised way.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Literal

import attrs

from eduint.data.errors import DataFileError
from eduint.data.extras import Extras, parse_extra_fields
from eduint.data.fields import FieldDef, field_def, model_fields
from eduint.data.models import (
    COUNT_UNITS,
    Attestation,
    Class,
    County,
    CountySegment,
    DeclaredCount,
    School,
    SchoolSegment,
    Segment,
)
from eduint.data.spreadsheets._mapping_schema import check_mapping_shape

__all__ = [
    "COLUMN_UNITS",
    "EXTRA_PREFIX",
    "SEGMENT_WORDS",
    "SHEET_NAMES",
    "Column",
    "Layout",
    "Resolver",
    "TableMapping",
    "Target",
    "default_headers",
    "ignored_meaning",
    "load_mapping",
    "norm",
    "sheet_role",
    "split_unit",
    "unit_factor",
]

#: The two layouts of a school or county sheet: one row per segment (``long``) or one
#: row per school with segment-prefixed columns (``wide``).
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


#: Unit words that mean the same as a field's unit (名 for 人, 平米 for 平方米); 个 is
#: any count's unit.
UNIT_SYNONYMS: Mapping[str, str] = {
    "名": "人",
    "平米": "平方米",
    "平方": "平方米",
    "m2": "平方米",
    "m^2": "平方米",
    "元/生": "元/人",
}

#: The segment words a header may start with (``小学在校生数``).
SEGMENT_WORDS = tuple(s.value for s in Segment)
_BRACKET_RE = re.compile(r"^(?P<base>.*?)\((?P<unit>[^()]*)\)$")
_BAND_RE = re.compile(
    r"^(?P<seg>小学|初中|高中|学段)?(?:班额)?"
    r"(?:(?P<lo>\d+)人?[-~—–至到](?P<hi>\d+)人?"
    r"|(?P<over>\d+)人?及?以上|(?P<under>\d+)人?及?以下)(?:的?班数|的?班级数|班)?$"
)
#: A cell of numbers (``48``, ``251.72``, ``45;46;50``): no built-in header looks so, and
#: the header search meets thousands of them in the data rows below a header.
_NUMBER_TEXT = re.compile(r"[\d\s.,;；，,、+%]*")
_BRACKETS = str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")"})
#: Headers a resolver remembers (a sheet's distinct cells in its first rows, mostly).
_MEMO_SIZE = 100_000
#: The prefix of a column of an extra field the rule set may not declare: ``扩展:一般班额``.
EXTRA_PREFIX = "扩展:"
_EXTRA_RE = re.compile(
    r"^\s*(?P<seg>小学|初中|高中|学段)?\s*(?:扩展|extra)\s*[:：.]\s*(?P<name>.+?)\s*$"
)

# Column headers of the county sheet that are not model fields.
_RULES_HEADERS = ("规则", "规则集", "rules")


def norm(text: str) -> str:
    """A header as compared: NFKC (full-width forms half-width), every bracket as ``()``,
    no white space or ``*``/``:``, lower case."""
    folded = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    return re.sub(r"[\s*＊:：]+", "", folded).lower()


def split_unit(text: str) -> tuple[str, str | None]:
    """``在校生数（人）`` → (``在校生数``, ``人``), ``设备值【单位：万元】`` → (``设备值``,
    ``万元``); without a bracket at the end, the unit is ``None``.  The text is
    normalised first (:func:`norm`)."""
    m = _BRACKET_RE.match(norm(text))
    if m is None:
        return norm(text), None
    unit = re.sub(r"^单位", "", m["unit"])
    return m["base"], (unit or None)


def unit_factor(unit: str, field_unit: str | None) -> Decimal | None:
    """The factor that converts a column's figures in ``unit`` to ``field_unit``
    (万元 → 元: 10000; 亩 → 平方米: 10000/15; the field's own unit: 1), or ``None``
    when they do not convert.  个 is accepted for any count unit (间, 台, 册 …)."""
    u = UNIT_SYNONYMS.get(unit, unit)
    if field_unit is None:
        return None
    if u == field_unit:
        return Decimal(1)
    if u == "个" and field_unit in COUNT_UNITS:
        return Decimal(1)
    conv = COLUMN_UNITS.get(u)
    if conv is not None and conv[0] == field_unit:
        return conv[1]
    return None


def sheet_role(name: str) -> str | None:
    """The role of a sheet (or CSV file stem) by its name (:data:`SHEET_NAMES`), or ``None``."""
    n = norm(name)
    for role, names in SHEET_NAMES.items():
        for candidate in names:
            c = norm(candidate)
            if n == c or n.endswith(c) or n.endswith("-" + c):
                return role
    return None


@attrs.frozen
class Target:
    """What a column is read into.

    Attributes:
        role: ``county``, ``county_segment``, ``school``, ``segment``, ``class``,
            ``attestation``, ``declared``, ``band``, ``segment_key``, ``group`` (the
            county code that groups rows by county), ``county_name`` (the county's name
            on a school row), ``school_id`` (classes sheet), ``class_list`` (a school
            segment's class sizes in one cell: ``45;46;50``), ``rules``, ``ignore`` (a
            column the mapping file's ``ignore`` names: never read).
        field: the field name (an extra field's declared name).
        segment: the segment a prefixed header names (``小学``), else ``None``.
        unit: the field's unit.
        kind: the field's kind in the registry's vocabulary (``quantity``, ``text`` …),
            or ``raw`` for an undeclared extra.
        school_year: the field is a school year written as text.
        extra: an extra field.
        alt: the county-segment field an unprefixed county-sheet column means on a
            row with a 学段.
        band: the (low, high) bounds of a class-size band column.
    """

    role: str
    field: str = ""
    segment: str | None = None
    unit: str | None = None
    kind: str = "quantity"
    school_year: bool = False
    extra: bool = False
    alt: str | None = None
    band: tuple[int, int | None] | None = None


#: One column of a sheet: (header as written, target or ``None``, declared unit).
Column = tuple[str, Target | None, str | None]


def _target(role: str, fd: FieldDef, segment: str | None = None, alt: str | None = None) -> Target:
    return Target(role, fd.name, segment, fd.unit, fd.kind, fd.school_year, alt=alt)


@attrs.frozen
class TableMapping:
    """A user's additions to the column mapping (``--mapping FILE``).

    Attributes:
        aliases: header as written (normalised when compared) → the header it stands
            for (a field's Chinese label or English name, optionally with a segment
            prefix: ``小学在校生数``).
        units: header or field name → the unit its cells are in (``万元``, ``亩``).
        extra_fields: extra-field declarations, as for :func:`eduint.load_county`.
        source: the mapping file's name (problems with its entries name it).
        values: header or field → (a value as written → the value it means), for
            columns that code their values (a 学段 column of ``0``/``1``); read by the
            national reader (:mod:`eduint.data.national`).
        ignore: headers as written of columns that are not eduint's (填表人, 联系电话):
            not read and not reported as unknown.  An entry matches a header as a whole,
            both normalised (:func:`norm`; a bracketed part is never dropped, unlike
            ``aliases`` keys).  An entry wins over every other meaning of the header, a
            known field's included (the user does not want that column read; the
            reader says so in a notice, D043).
    """

    aliases: Mapping[str, str] = attrs.field(factory=dict)
    units: Mapping[str, str] = attrs.field(factory=dict)
    extra_fields: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    source: str = "<mapping>"
    values: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    ignore: tuple[str, ...] = ()


def load_mapping(path: str | os.PathLike[str]) -> TableMapping:
    """Read a column-mapping YAML file.

    The file holds up to five keys::

        columns:                    # header as written → the header it means
          在校学生数: 在校生数
          学校标识码: 学校代码
          仪器设备总值: {header: 教学仪器设备值, unit: 万元}
        units:                      # header or field → unit of its cells
          sports_area: 亩
        values:                     # coded values (national reader): header or field →
          学段: {0: 小学, 1: 初中}    #   value as written → the value it means
        extra_fields:               # as a rule file declares them
          school: {心理健康教师数: "unit:人"}
        ignore: [填表人, 联系电话]  # headers of columns that are not eduint's

    A column whose header matches an ``ignore`` entry as a whole (both normalised by
    :func:`norm`; ``在校生数（备注）`` does not match ``在校生数``) is neither read nor
    reported as an unknown column (D010), whatever else the header could mean: ignoring
    a known field's column (``ignore: [学校名称]``, or 备注 on the 自评 sheet) is
    allowed and leaves that column unread, with a notice (D043).  An entry that
    matches no column is a D013 problem, as any unused entry.

    Args:
        path: the YAML file (UTF-8).

    Returns:
        The mapping.

    Raises:
        DataFileError: the file cannot be read, is not YAML, or is not shaped as above
            (:data:`~eduint.data.spreadsheets._mapping_schema.MAPPING_SCHEMA`; an
            ``ignore`` entry blank); an ``ignore`` entry is also a ``columns`` key.
    """
    name = str(path)
    import yaml  # a mapping file only: a run without one needs no YAML (~9 ms)

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataFileError(name, f"cannot read the column mapping: {exc}") from None
    check_mapping_shape(data, name)  # every shape read below is the schema's
    if data is None:
        return TableMapping()
    aliases: dict[str, str] = {}
    units: dict[str, str] = {}
    for header, target in (data.get("columns") or {}).items():
        if isinstance(target, Mapping):
            if "header" not in target:
                raise DataFileError(name, f"columns.{header}: give the header it means")
            aliases[str(header)] = str(target["header"])
            if target.get("unit"):
                units[str(header)] = str(target["unit"])
        elif isinstance(target, (str, int)):
            aliases[str(header)] = str(target)
        else:
            raise DataFileError(name, f"columns.{header}: expected a header or {{header, unit}}")
    for key, unit in (data.get("units") or {}).items():
        units[str(key)] = str(unit)
    values = {
        str(k): {str(a): str(b) for a, b in (v or {}).items()}
        for k, v in (data.get("values") or {}).items()
    }
    extra = data.get("extra_fields") or {}
    if not all(isinstance(v, Mapping) for v in extra.values()):
        raise DataFileError(name, "extra_fields must be a mapping scope → field → kind")
    try:
        parse_extra_fields(extra)
    except (ValueError, TypeError, AttributeError) as exc:
        raise DataFileError(name, f"extra_fields: {exc}") from None
    ignore = tuple(dict.fromkeys(str(h) for h in data.get("ignore") or ()))
    _check_ignore_aliases(name, ignore, aliases)
    return TableMapping(
        aliases, units, {str(k): dict(v) for k, v in extra.items()}, name, values, ignore
    )


def _check_ignore_aliases(name: str, ignore: tuple[str, ...], aliases: Mapping[str, str]) -> None:
    """An ``ignore`` entry may not be a ``columns`` key too: the column would be both
    mapped and left unread (the ignore would win, the alias silently unused).

    Raises:
        DataFileError: an entry matches a key (normalised, or the key without its unit).
    """
    keys: dict[str, str] = {}
    for key in aliases:
        keys.setdefault(norm(key), key)
        keys.setdefault(split_unit(key)[0], key)
    for entry in ignore:
        mapped = keys.get(norm(entry))
        if mapped is not None:
            raise DataFileError(
                name,
                f"ignore: '{entry}' is also mapped under columns: ('{mapped}'): ignore: would "
                "win and the mapping go unused; keep one of them",
            )


def ignored_meaning(mapping: TableMapping, role: str, headers: list[str]) -> list[str]:
    """The entries of ``mapping``'s ``ignore`` that name a column meaning what one of
    ``headers`` means (``学校标识码`` for ``学校代码``): for an error that a required
    column is missing to say that the mapping file left it out.  Headers ``role``
    does not know match no entry."""
    if not mapping.ignore:
        return []
    resolver = Resolver(role, mapping, {})
    meant = {resolver.shadowed(h)[0] for h in headers} - {None}
    return [e for e in mapping.ignore if resolver.shadowed(e)[0] in meant]


def field_headers(model: type) -> dict[str, FieldDef]:
    """Normalised header → field, for the plain fields of ``model``: every name, label
    and alias the registry knows (:meth:`~eduint.data.fields.FieldDef.headers`)."""
    return dict(_field_headers(model))


@functools.cache
def _field_headers(model: type) -> dict[str, FieldDef]:
    """:func:`field_headers`, made once per model (a folder of county files makes a
    resolver per file): shared, never changed."""
    out: dict[str, FieldDef] = {}
    for fd in model_fields(model):
        if fd.kind in ("list", "extra"):
            continue
        for key in fd.headers():
            out.setdefault(norm(key), fd)
    return out


def default_headers() -> dict[str, list[tuple[str, str, str | None]]]:
    """The built-in column headers, for the documentation.

    Returns:
        Sheet role → (header, field name, unit) rows: each field's Chinese label, as
        written by :func:`~eduint.data.spreadsheets.write_tables` (the English field
        name and the aliases are accepted too).
    """
    out: dict[str, list[tuple[str, str, str | None]]] = {}
    for role, classes in _ROLE_MODELS.items():
        rows = []
        for cls in classes:
            for fd in model_fields(cls):
                if fd.kind in ("list", "extra") or fd.label is None:
                    continue
                rows.append((fd.label, fd.name, fd.unit))
        out[role] = rows
    out["attestations"] = [(fd.header, fd.name, None) for fd in model_fields(Attestation)]
    return out


# Sheet role → the models whose fields its columns hold.
_ROLE_MODELS: Mapping[str, tuple[type, ...]] = {
    "county": (County, CountySegment),
    "schools": (School, SchoolSegment),
    "classes": (Class,),
    "declared": (DeclaredCount,),
}

# Sheet role → the scope of an undeclared extra column (and of one with a segment prefix).
_EXTRA_ROLE = {
    "county": ("county", "county_segment"),
    "schools": ("school", "segment"),
    "classes": ("class", "class"),
}


class Resolver:
    """Resolves the headers of one sheet role to targets.

    Attributes:
        role: the sheet role (``county``, ``schools``, ``classes``, ``attestations``,
            ``declared``).
        known: every normalised header the role knows (for did-you-mean hints).
    """

    def __init__(
        self, role: str, mapping: TableMapping, extras: Extras, used: set[str] | None = None
    ) -> None:
        self.role = role
        # Mapping keys are matched as headers are: normalised, and without a unit in
        # brackets at the end (a key written as the header appears still matches).
        self.aliases: dict[str, tuple[str, str]] = {}
        self.units: dict[str, tuple[str, str]] = {}
        for table, entries in ((self.aliases, mapping.aliases), (self.units, mapping.units)):
            for key, value in entries.items():
                table.setdefault(norm(key), (key, value))
                table.setdefault(split_unit(key)[0], (key, value))
        self.key_units = {norm(k): split_unit(k)[1] for k in mapping.aliases}
        #: normalised header → the ``ignore`` entries as written.  An entry matches a
        #: header as a whole: a bracketed part is never dropped (``在校生数（备注）``
        #: must not ignore ``在校生数``).
        #: Entries alike once normalised (``学校 名称``, ``学校名称``) all match.
        self.ignore: dict[str, tuple[str, ...]] = {}
        for key in mapping.ignore:
            self.ignore[norm(key)] = (*self.ignore.get(norm(key), ()), key)
        #: the mapping entries (as written) that matched a header or field
        self.used: set[str] = used if used is not None else set()
        self.extras = extras
        self.county = _field_headers(County)
        self.cseg = _field_headers(CountySegment)
        self.school = _field_headers(School)
        self.seg = _field_headers(SchoolSegment)
        self.cls = _field_headers(Class)
        self.declared = _field_headers(DeclaredCount)
        self.attestation = _field_headers(Attestation)
        self.code = {norm(h) for h in field_def(County, "code").headers() if h != "code"}
        self.segment_key = {norm(h) for h in field_def(SchoolSegment, "segment").headers()}
        self.school_id = {norm(h) for h in field_def(School, "id").headers()}
        self.rules = {norm(h) for h in _RULES_HEADERS}
        # The county's name on school rows names a county given by its code only.
        county_name = field_def(County, "name")
        self.county_name = {norm(h) for h in (county_name.header, *county_name.aliases, "县区")}
        # A school segment's classes as one list cell (``45;46;50``), as national data
        # gives them (eduint.data.scalars.read_class_sizes).
        self.class_list = {norm(h) for h in (*field_def(Class, "size").headers(), "班额列表")}
        self.known: list[str] = []
        for headers in self._tables():
            self.known.extend(headers)
        # resolve() without record is a function of the header: remembered, as a sheet
        # repeats its words down the rows the header search reads
        self._memo: dict[str, tuple[Target | None, str | None, tuple[str, ...]]] = {}
        keys = [*self.aliases, *self.units, *self.code, *self.segment_key, *self.school_id,
                *self.rules, *self.county_name, *self.class_list, *self.known, *self.ignore,
                *(norm(f) for fields in extras.values() for f in (fields or {}))]
        self._numbers_unknown = not any(_NUMBER_TEXT.fullmatch(k) for k in keys)

    def _tables(self) -> list[dict[str, FieldDef]]:
        return {
            "county": [self.county, self.cseg],
            "schools": [self.school, self.seg],
            "classes": [self.cls],
            "declared": [self.declared],
        }.get(self.role, [])

    def _extra(self, scope: str, name: str) -> Target | None:
        """The declared extra field of ``scope`` whose normalised name is ``name``."""
        for field, kind in (self.extras.get(scope) or {}).items():
            if norm(field) == name:
                unit = kind.unit if kind.kind == "unit" else None
                return Target(
                    scope,
                    field,
                    unit=unit,
                    kind="quantity" if kind.kind in ("unit", "number") else kind.kind,
                    extra=True,
                )
        return None

    def resolve(self, header: str, *, record: bool = False) -> tuple[Target | None, str | None]:
        """A header as written → (target, declared unit of its cells), or (None, unit).

        The whole header is tried first (an alias may hold brackets), then the header
        without its unit in brackets, then without a leading 其中 (``其中：室内体育用房面积``).
        With ``record``, the mapping entries used are added to :attr:`used`.
        """
        hit = self._memo.get(header)
        if hit is None:
            if self._numbers_unknown and _NUMBER_TEXT.fullmatch(header):
                hit = (None, None, ())
            else:
                hit = self._resolve_header(header)
            if len(self._memo) < _MEMO_SIZE:
                self._memo[header] = hit
        target, unit, used = hit
        if record and target is not None:
            self.used.update(used)
        return target, unit

    def could_name(self, header: str) -> bool:
        """Whether ``header`` may resolve to a column: ``False`` for a text of figures
        (``48``, ``251.72``, ``45;46;50``) when no header, alias or extra looks so.  Two
        such texts joined are such a text, so a merged header of them names nothing
        either."""
        return not (self._numbers_unknown and _NUMBER_TEXT.fullmatch(header))

    def _resolve_header(self, header: str) -> tuple[Target | None, str | None, tuple[str, ...]]:
        """:meth:`resolve`: (target, unit, the mapping entries it uses).  An ``ignore``
        entry is tried first: it wins over any other meaning of the header."""
        if self.ignore:  # (most mappings have none: no normalising for it then)
            key = norm(header)
            if key in self.ignore:
                return Target("ignore", kind="text"), None, self.ignore[key]
        return self._resolve_plain(header)

    def shadowed(self, header: str) -> tuple[Target | None, str | None]:
        """What ``header`` would be read into were it not under the mapping file's
        ``ignore``, as :meth:`resolve` gives it (``None``: an unknown header; and the
        unit its brackets declare); for telling the user that an ignore entry left a
        known column unread.  Records no mapping entry as used."""
        target, unit, _used = self._resolve_plain(header)
        return target, unit

    def _resolve_plain(
        self, header: str
    ) -> tuple[Target | None, str | None, tuple[str, ...]]:
        """:meth:`_resolve_header` without the ``ignore`` entries."""
        m = _EXTRA_RE.match(header)
        if m is not None and self.role in _EXTRA_ROLE:
            return self._extra_column(m["name"], m["seg"]), None, ()
        full = norm(header)
        base, unit = split_unit(header)
        used: list[str] = []
        name = base
        for key in (full, base):
            if key in self.aliases:
                written, meant = self.aliases[key]
                used.append(written)
                name, meant_unit = split_unit(meant)
                unit = meant_unit or self.key_units.get(norm(written)) or unit
                break
        for key in (full, base, name):
            if key in self.units:
                written, unit = self.units[key]
                used.append(written)
                break
        target = None
        for candidate in (full, name, name[2:] if name.startswith("其中") else ""):
            target = self._resolve(candidate) if candidate else None
            if target is not None:
                break
        if target is not None and target.field and unit is None:
            hit = self.units.get(norm(target.field))
            if hit is not None:
                used.append(hit[0])
                unit = hit[1]
        return target, unit, tuple(used)

    def _extra_column(self, name: str, seg: str | None) -> Target:
        """An ``扩展:名称`` column: the declared extra of that name, or a raw extra."""
        if seg is None:
            seg, rest = self._prefix(name)
            if seg is not None and rest != name:
                name = rest
        scope = _EXTRA_ROLE[self.role][0 if seg is None else 1]
        if name in (self.extras.get(scope) or {}):
            declared = self._extra(scope, norm(name))
            if declared is not None:
                return attrs.evolve(declared, segment=None if seg == "学段" else seg)
        segment = None if seg in (None, "学段") else seg
        return Target(scope, name, segment, kind="raw", extra=True)

    def _resolve(self, name: str) -> Target | None:
        if not name:
            return None
        if self.role == "attestations":
            fd = self.attestation.get(name)
            if fd is not None:
                return Target("attestation", fd.name, kind="text")
            if name in self.code:
                return Target("group", "code", kind="text")
            return None
        if name in self.code or (name == "code" and self.role != "county"):
            return Target("county" if self.role == "county" else "group", "code", kind="text")
        if name in self.segment_key and self.role in ("county", "schools", "classes"):
            return Target("segment_key", "segment", kind="text")
        if self.role == "county":
            return self._county(name)
        if self.role == "schools":
            return self._school(name)
        if self.role == "classes":
            if name in self.school_id:
                return Target("school_id", "id", kind="text")
            fd = self.cls.get(name)
            return _target("class", fd) if fd is not None else self._extra("class", name)
        if self.role == "declared":
            fd = self.declared.get(name)
            return _target("declared", fd) if fd is not None else None
        return None

    def _county(self, name: str) -> Target | None:
        """A header of the county sheet: county or county-segment field, or an extra."""
        if name in self.rules:
            return Target("rules", "rules", kind="text")
        seg, rest = self._prefix(name)
        if seg is not None:
            hit = self.cseg.get(rest)
            if hit is not None:
                return _target("county_segment", hit, seg)
            ext = self._extra("county_segment", rest)
            return attrs.evolve(ext, segment=seg) if ext else None
        c = self.county.get(name)
        s = self.cseg.get(name)
        if c is not None:
            return _target("county", c, alt=s.name if s else None)
        if s is not None:
            return _target("county_segment", s)
        return self._extra("county", name) or self._extra("county_segment", name)

    def _school(self, name: str) -> Target | None:
        """A header of the school sheet: school or segment field, size band, or an extra."""
        if name in self.county_name:
            return Target("county_name", "name", kind="text")
        if name in self.class_list:
            return Target("class_list", "classes", kind="text")
        band = _BAND_RE.match(name)
        if band:
            seg = band["seg"] if band["seg"] in SEGMENT_WORDS else None
            if band["lo"]:
                rng: tuple[int, int | None] = (int(band["lo"]), int(band["hi"]))
            elif band["over"]:
                rng = (int(band["over"]), None)
            else:
                rng = (0, int(band["under"]))
            return Target("band", "count", seg, "班", band=rng)
        seg, rest = self._prefix(name)
        if seg is not None:
            if rest in self.class_list:
                return Target("class_list", "classes", None if seg == "学段" else seg,
                              kind="text")
            hit = self.seg.get(rest)
            if hit is not None:
                return _target("segment", hit, None if seg == "学段" else seg)
            ext = self._extra("segment", rest)
            if ext is not None:
                return attrs.evolve(ext, segment=None if seg == "学段" else seg)
        c = self.school.get(name)
        if c is not None:
            return _target("school", c)
        s = self.seg.get(name)
        if s is not None:
            return _target("segment", s)
        return self._extra("school", name) or self._extra("segment", name)

    @staticmethod
    def _prefix(name: str) -> tuple[str | None, str]:
        for word in (*SEGMENT_WORDS, "学段"):
            if name.startswith(word) and len(name) > len(word):
                return word, name[len(word) :]
        return None, name
