"""The lenient reader: walks parsed data along the field registry, collecting problems.

It checks keys, shapes, extras and every value, and hands on a *clean* mapping of
canonical field names and values already read (figures, enums, dates) that the
converter structures into the models.  Bad values never stop it: each becomes
missing with a :class:`~eduint.data.errors.DataProblem` whose path is in the user's
view of the file (keys as written, zero-based indexes); an entry that cannot be
built is left out, with a problem saying so.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from eduint.core.dates import looks_like_school_year
from eduint.core.text import clip
from eduint.data.errors import DataFileError, DataProblem, DataValueError
from eduint.data.extras import ExtraKind, Extras, read_extra_value
from eduint.data.fields import FieldDef, fields_by_name, model_fields, scope_of
from eduint.data.figures import SIMPLE_NUMBER, noun, parse_figure, show
from eduint.data.limits import Limits
from eduint.data.loading.containers import (
    Map,
    Path,
    fmt_path,
    is_blank,
    key_line,
    line_at,
    raw_scalar,
    value_line,
)
from eduint.data.models import (
    Attestation,
    Class,
    County,
    CountySegment,
    DeclaredCount,
    ExtraValue,
    School,
    SchoolSegment,
    SelfStatus,
    SizeBand,
)
from eduint.data.scalars import (
    read_date,
    read_enum,
    read_flag,
    read_int,
    read_school_year,
    read_text,
)
from eduint.language.diagnostics import did_you_mean

__all__ = ["MISSING", "Reader", "expected", "leaf", "nouns"]

# Plain (list-only) collections whose entries must be unique by a field.
_IDENTITY: Mapping[type, str] = {School: "id"}

# Where a key that is unknown on an entity belongs instead (for the hint).
_SEGMENT_OF: Mapping[type, type] = {School: SchoolSegment, County: CountySegment}

_NOUNS: Mapping[type, tuple[str, str]] = {
    County: ("county", "counties"),
    CountySegment: ("county segment", "county segments"),
    School: ("school", "schools"),
    SchoolSegment: ("segment", "segments"),
    Class: ("class", "classes"),
    SizeBand: ("size band", "size bands"),
    DeclaredCount: ("declared count", "declared counts"),
    Attestation: ("attestation", "attestations"),
}

# Complete-list flags and the lists they describe.
_COMPLETE_FLAGS = (("schools_complete", "schools"), ("classes_complete", "classes"))


class _Missing(enum.Enum):
    """The type of :data:`MISSING` (an enum, so that ``is`` checks narrow types)."""

    MISSING = enum.auto()


#: What :meth:`Reader.field` returns for an absent or bad value.
MISSING = _Missing.MISSING


def nouns(model: type) -> tuple[str, str]:
    """What an entry of ``model`` is called in messages: (singular, plural)."""
    return _NOUNS[model]


def expected(fd: FieldDef) -> str:
    """What a value of ``fd`` should be, for messages (``a whole number of 人``)."""
    if fd.kind == "text":
        return "a school year such as 2018-2019" if fd.school_year else "text"
    if fd.kind == "flag":
        return "true or false"
    if fd.kind == "number":
        return "a whole number"
    if fd.kind == "enum" and fd.enum is not None:
        return "one of " + ", ".join(str(m.value) for m in fd.enum)
    if fd.kind == "date":
        return "a date such as 2018-09-01"
    return f"a {noun(fd.unit, fd.count)}"


def leaf(fd: FieldDef, value: Any) -> Any:
    """Read one non-collection value for field ``fd`` (the converter uses the same readers).

    Raises:
        DataValueError: the value is not one ``fd`` takes.
    """
    if fd.kind == "quantity":
        return parse_figure(value, unit=fd.unit, whole=fd.count)
    if fd.kind == "text":
        return read_school_year(value) if fd.school_year else read_text(value)
    if fd.kind == "flag":
        return read_flag(value)
    if fd.kind == "number":
        return read_int(value)
    if fd.kind == "enum":
        assert fd.enum is not None
        return read_enum(value, fd.enum)
    if fd.kind == "date":
        return read_date(value)
    raise AssertionError(f"not a leaf field: {fd.name}")  # pragma: no cover


def _inferred_input(value: Any, raw: Any) -> Any:
    """The value to infer an undeclared extra from: exact decimals from YAML's text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if isinstance(raw, str) and SIMPLE_NUMBER.fullmatch(raw):
            return Decimal(raw)
        return value
    if isinstance(value, datetime.date):
        return raw if isinstance(raw, str) else value.isoformat()
    return value


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


class Reader:
    """Walks raw data along the field registry, collecting problems.

    Attributes:
        file: the file name problems are reported against.
        extras: the declared extra fields.
        limits: the limits (schools per county, characters of a text).
        problems: every problem found so far, in file order.
        dropped: paths of lists from which an entry was left out: such a list can no
            longer be complete, whatever the file declares.
    """

    def __init__(self, file: str, extras: Extras, limits: Limits | None = None) -> None:
        self.file = file
        self.extras = extras
        self.limits = limits or Limits()
        self.classes = 0  # classes read so far, for the classes limit
        self.problems: list[DataProblem] = []
        self.paths: list[Path] = []  # each problem's path, as a tuple
        self.dropped: set[Path] = set()

    # -- problems ------------------------------------------------------------------

    def problem(
        self,
        path: Path,
        message: str,
        *,
        field: str | None,
        value: Any,
        line: int | None,
        code: str = "D020",
        hint: str | None = None,
    ) -> None:
        """Record one problem at ``path``.

        Raises:
            DataFileError: the county's problems pass the ``problems`` limit (D005).
        """
        if len(self.problems) >= self.limits.problems:
            raise DataFileError(
                self.file,
                self.limits.exceeded(
                    "problems",
                    f"the file holds {len(self.problems) + 1:,} data problems by this line",
                ),
                line=line,
                code="D005",
            )
        self.paths.append(path)
        self.problems.append(
            DataProblem(
                self.file,
                fmt_path(path),
                field,
                value,
                message,
                line=line,
                code=code,
                hint=hint,
            )
        )

    def located(self, tree: Any) -> tuple[DataProblem, ...]:
        """The problems, each without a line given the line of its path in ``tree`` (a
        parsed file whose containers know their lines)."""
        out = []
        for p, path in zip(self.problems, self.paths, strict=True):
            if p.line is None and p.row is None:
                line = line_at(tree, path)
                if line is not None:
                    p = attrs.evolve(p, line=line)
            out.append(p)
        return tuple(out)

    def value_problem(
        self, exc: DataValueError, path: Path, field: str | None, value: Any, line: int | None
    ) -> None:
        """Record the problem a value reader raised."""
        self.problem(
            path, exc.message, field=field, value=value, line=line, code=exc.code, hint=exc.hint
        )

    def duplicates(self, raw: object, path: Path) -> None:
        """Record every key a mapping repeats (the parser kept the last one)."""
        if not isinstance(raw, Map):
            return
        for key, line in raw.duplicates:
            self.problem(
                path + (key,),
                f"the key '{clip(key)}' appears more than once; the last one is used",
                field=key,
                value=raw.get(key),
                line=line,
                code="D011",
            )

    # -- entities ------------------------------------------------------------------

    def entity(
        self,
        raw: Any,
        model: type,
        path: Path,
        line: int | None,
        *,
        forced: tuple[str, str] | None = None,
        skip: Sequence[str] = (),
        field: str | None = None,
    ) -> dict[str, Any] | None:
        """Read one entity; ``None`` (with a problem) if it must be left out.

        ``forced`` is (key field, key as written) for an entry of a keyed mapping;
        ``skip`` lists keys that are not fields but are not unknown either; ``field``
        is the list the entity is an entry of (``classes``), for problems.
        """
        noun_ = nouns(model)[0]
        if not isinstance(raw, Mapping):
            self.problem(
                path,
                f"expected a mapping of {noun_} fields, got {show(raw)}; this {noun_} is left out",
                field=field,
                value=raw,
                line=line,
                code="D030",
            )
            return None
        self.duplicates(raw, path)
        clean, extra = self._keys(raw, model, path, line, skip)
        if forced is not None and not self.forced_key(forced, model, clean, path, line):
            return None
        if not self._required(raw, model, clean, path, line):
            return None
        self.incomplete_after_drops(clean, path, line)
        if not self.consistent(model, clean, path, line):
            return None
        if extra:
            clean["extra"] = extra
        return clean

    def _keys(
        self, raw: Mapping[Any, Any], model: type, path: Path, line: int | None, skip: Sequence[str]
    ) -> tuple[dict[str, Any], dict[str, ExtraValue]]:
        """Read every key of an entity: fields, extras, unknown keys."""
        by_name = fields_by_name(model)
        scope = scope_of(model)
        decls: Mapping[str, ExtraKind] = self.extras.get(scope, {}) if scope else {}
        clean: dict[str, Any] = {}
        seen: dict[str, str] = {}
        extra: dict[str, ExtraValue] = {}
        extra_seen: dict[str, str] = {}
        school_year: tuple[str, Path, int | None, Any] | None = None
        for key_obj, value in raw.items():
            key = str(key_obj)
            kpath = path + (key,)
            vline = value_line(raw, key)
            fd = by_name.get(key)
            if fd is None:
                if key in decls:
                    self.extra(key, value, decls[key], kpath, vline, raw, extra, extra_seen)
                elif key not in skip:
                    self.unknown(key, value, model, decls, kpath, key_line(raw, key) or line)
                continue
            if fd.name in seen:
                self.problem(
                    kpath,
                    f"{fd.describe()} is given twice (also as '{seen[fd.name]}'); "
                    "the first is used",
                    field=fd.name,
                    value=value,
                    line=key_line(raw, key),
                    code="D011",
                )
                continue
            seen[fd.name] = key
            if fd.kind == "extra":
                self.extra_block(value, decls, kpath, vline, extra, extra_seen)
            elif fd.kind == "date" and isinstance(value, str) and looks_like_school_year(value):
                try:
                    school_year = (read_school_year(value), kpath, vline, value)
                except DataValueError as exc:
                    self.value_problem(exc, kpath, fd.name, value, vline)
            else:
                if fd.kind not in ("flag", "date"):
                    value = raw_scalar(raw, key, value)  # YAML's text: code 0101 stays "0101"
                result = self.field(fd, value, kpath, vline)
                if result is not MISSING:
                    clean[fd.name] = result
        if school_year is not None:
            self._school_year_from_as_of(clean, *school_year)
        return clean, extra

    def _school_year_from_as_of(
        self, clean: dict[str, Any], year: str, path: Path, line: int | None, value: Any
    ) -> None:
        """A school year written as ``as_of`` goes into ``school_year`` (unless that says
        another year)."""
        if "school_year" not in clean:
            clean["school_year"] = year
        elif clean["school_year"] != year:
            self.problem(
                path,
                f"{show(value)} is the school year {year}, but school_year says "
                f"{clean['school_year']}; this value is ignored",
                field="as_of",
                value=value,
                line=line,
                code="D031",
            )

    def _required(
        self,
        raw: Mapping[Any, Any],
        model: type,
        clean: dict[str, Any],
        path: Path,
        line: int | None,
    ) -> bool:
        """Check the required fields; False (with a problem) to leave the entity out.

        A county is never left out: without a name it gets a problem and ``""``.
        """
        for fd in model_fields(model):
            if not fd.required or fd.name in clean:
                continue
            if model is County:
                self.problem(
                    path + (fd.name,),
                    f"missing {fd.describe()}: the county has no name",
                    field=fd.name,
                    value=None,
                    line=line,
                    code="D020",
                )
                clean[fd.name] = ""
                continue
            self.problem(
                path,
                f"no usable {fd.describe()}; this {nouns(model)[0]} is left out",
                field=fd.name,
                value=raw.get(fd.name, raw.get(fd.label) if fd.label else None),
                line=line,
                code="D030",
            )
            return False
        return True

    def forced_key(
        self,
        forced: tuple[str, str],
        model: type,
        clean: dict[str, Any],
        path: Path,
        line: int | None,
    ) -> bool:
        """Apply the key of a keyed-mapping entry; False (with a problem) to leave it out."""
        name, written = forced
        noun_ = nouns(model)[0]
        fd = fields_by_name(model)[name]
        try:
            value = leaf(fd, written)
        except DataValueError as exc:
            self.problem(
                path,
                f"{exc.message}; this {noun_} is left out",
                field=name,
                value=written,
                line=line,
                code="D030",
                hint=exc.hint,
            )
            return False
        if name in clean and clean[name] != value:
            self.problem(
                path,
                f"the entry '{written}' says {name} {show(_plain(clean[name]))}; "
                f"this {noun_} is left out",
                field=name,
                value=_plain(clean[name]),
                line=line,
                code="D031",
            )
            return False
        clean[name] = value
        return True

    def incomplete_after_drops(self, clean: dict[str, Any], path: Path, line: int | None) -> None:
        """A list declared complete loses that claim when an entry was left out;
        size bands with a band left out are not used at all (they would undercount)."""
        for flag, items in _COMPLETE_FLAGS:
            if clean.get(flag) is True and path + (items,) in self.dropped:
                self.problem(
                    path + (flag,),
                    f"an entry of {items} was left out, so the list is not complete: "
                    f"{flag} is taken as false",
                    field=flag,
                    value=True,
                    line=line,
                    code="D031",
                )
                clean[flag] = False
        if "size_bands" in clean and path + ("size_bands",) in self.dropped:
            self.problem(
                path + ("size_bands",),
                "a size band was left out, so the bands do not count every class; "
                "the size bands are not used",
                field="size_bands",
                value=None,
                line=line,
                code="D031",
            )
            del clean["size_bands"]

    def consistent(self, model: type, clean: dict[str, Any], path: Path, line: int | None) -> bool:
        """Entity-level checks; False (with a problem) to leave the entity out."""
        if model is SizeBand:
            low, high = clean["low"], clean["high"]
            if high is not None and high < low:
                self.problem(
                    path,
                    f"the band's high {high} is below its low {low}; this size band is left out",
                    field="high",
                    value=high,
                    line=line,
                    code="D030",
                )
                return False
        for flag, items in _COMPLETE_FLAGS:
            if clean.get(flag) is True and items not in clean:
                self.problem(
                    path + (flag,),
                    f"{flag} is true but no {items} are listed; it is ignored "
                    f"(an empty list is written {items}: [])",
                    field=flag,
                    value=True,
                    line=line,
                    code="D031",
                )
                clean[flag] = False
        return True

    def unknown(
        self,
        key: str,
        value: Any,
        model: type,
        decls: Mapping[str, ExtraKind],
        path: Path,
        line: int | None,
    ) -> None:
        """Record an unknown key, with a did-you-mean or a where-it-belongs hint."""
        by_name = fields_by_name(model)
        # No field name is long; a long key (a hostile one) is compared with none.
        guess = did_you_mean(key, list(by_name) + list(decls)) if len(key) <= 64 else None
        hint = None
        if guess is not None:
            fd = by_name.get(guess)
            other = None
            if fd is not None:
                other = fd.label if guess == fd.name else fd.name
            hint = f"did you mean '{guess}'" + (f" ({other})" if other else "") + "?"
        nested = _SEGMENT_OF.get(model)
        if nested is not None and key in fields_by_name(nested):
            hint = (
                f"'{key}' is a figure of each segment: write it under segments, "
                f"e.g. segments: {{小学: {{{key}: ...}}}}"
            )
        self.problem(
            path,
            f"unknown field '{clip(key)}' for a {nouns(model)[0]}",
            field=key,
            value=value,
            line=line,
            code="D010",
            hint=hint,
        )

    # -- extras --------------------------------------------------------------------

    def extra(
        self,
        key: str,
        value: Any,
        kind: ExtraKind | None,
        path: Path,
        line: int | None,
        container: object,
        extra: dict[str, ExtraValue],
        seen: dict[str, str],
    ) -> None:
        """Read one extra field's value into ``extra``."""
        where = fmt_path(path)
        if key in seen:
            self.problem(
                path,
                f"the extra field '{clip(key)}' is given twice (also at {clip(seen[key])}); "
                "the first is used",
                field=key,
                value=value,
                line=line,
                code="D011",
            )
            return
        seen[key] = where
        if isinstance(value, str) and not value.strip():
            value = None
        if self.too_long(value, path, key, line):
            return
        raw = raw_scalar(container, key, value)
        if kind is None:
            value_in = _inferred_input(value, raw)
        elif kind.kind == "flag":
            value_in = value
        else:
            value_in = raw
        try:
            extra[key] = read_extra_value(value_in, kind)
        except DataValueError as exc:
            self.value_problem(exc, path, key, value_in, line)

    def extra_block(
        self,
        value: Any,
        decls: Mapping[str, ExtraKind],
        path: Path,
        line: int | None,
        extra: dict[str, ExtraValue],
        seen: dict[str, str],
    ) -> None:
        """Read an entity's ``extra:`` mapping (declared and undeclared extras)."""
        if value is None:
            return
        if not isinstance(value, Mapping):
            self.problem(
                path,
                f"expected a mapping of extra fields, got {show(value)}",
                field="extra",
                value=value,
                line=line,
            )
            return
        self.duplicates(value, path)
        for key_obj, item in value.items():
            key = str(key_obj)
            self.extra(
                key,
                item,
                decls.get(key),
                path + (key,),
                value_line(value, key),
                value,
                extra,
                seen,
            )

    # -- fields --------------------------------------------------------------------

    def field(self, fd: FieldDef, value: Any, path: Path, line: int | None) -> Any:
        """Read one field value; :data:`MISSING` when absent or bad (with a problem)."""
        if is_blank(value):
            if fd.required and fd.optional:
                return None  # explicit null where null is meaningful (SizeBand.high)
            return MISSING
        if self.too_long(value, path, fd.name, line):
            return MISSING
        if fd.kind == "list":
            return self.entities(fd, value, path, line)
        if isinstance(value, (Mapping, list)) and fd.kind != "quantity":
            self.problem(
                path,
                f"expected {expected(fd)}, got {show(value)}",
                field=fd.name,
                value=value,
                line=line,
            )
            return MISSING
        try:
            return leaf(fd, value)
        except DataValueError as exc:
            self.value_problem(exc, path, fd.name, value, line)
            return MISSING

    def too_long(self, value: Any, path: Path, field: str, line: int | None) -> bool:
        """Whether ``value`` is a text longer than the ``text`` limit (with a problem
        naming the field and showing only the text's start: D025)."""
        if not isinstance(value, str) or len(value) <= self.limits.text:
            return False
        self.problem(
            path,
            self.limits.exceeded(
                "text", f"the value of {field} is {len(value):,} characters long", "not read"
            ),
            field=field,
            value=clip(value),
            line=line,
            code="D025",
        )
        return True

    def _entries(
        self, fd: FieldDef, value: Any, path: Path, line: int | None
    ) -> list[tuple[Path, Any, int | None, str | None]] | None:
        """The entries of a list or keyed mapping: (path, raw, line, key as written);
        ``None`` (with a problem) when the value is neither."""
        assert fd.item is not None
        entries: list[tuple[Path, Any, int | None, str | None]] = []
        if isinstance(value, Mapping) and fd.key is not None:
            self.duplicates(value, path)
            for k, v in value.items():
                written = str(k)
                entries.append((path + (written,), v, value_line(value, written), written))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                entries.append((path + (i,), v, value_line(value, i), None))
        else:
            shape = f"a list of {nouns(fd.item)[1]}"
            if fd.key is not None:
                shape += f" or a mapping keyed by {fd.key}"
            self.problem(
                path,
                f"expected {shape}, got {show(value)}",
                field=fd.name,
                value=value,
                line=line,
                code="D020",
            )
            return None
        return entries

    def _keyed_raw(self, fd: FieldDef, raw: Any, path: Path, line: int | None) -> Any:
        """The body of a keyed-mapping entry: ``{}`` for null; ``"12": 达到`` is short for
        ``"12": {status: 达到}``.  ``None`` (with a problem) when that status is bad."""
        if raw is None:
            return {}
        if fd.key == "item" and isinstance(raw, str):
            # A bad status is reported at `attestations.12`, where the user wrote it.
            try:
                read_enum(raw, SelfStatus)
            except DataValueError as exc:
                self.problem(
                    path,
                    f"{exc.message}; this {nouns(Attestation)[0]} is left out",
                    field="status",
                    value=raw,
                    line=line,
                    code="D030",
                    hint=exc.hint,
                )
                return None
            return {"status": raw}
        return raw

    def entities(
        self, fd: FieldDef, value: Any, path: Path, line: int | None
    ) -> list[dict[str, Any]] | _Missing:
        """Read a list field (a list, or a mapping keyed by the entries' key field)."""
        entries = self._entries(fd, value, path, line)
        if entries is None:
            return MISSING
        assert fd.item is not None
        if fd.item is School and len(entries) > self.limits.schools:
            raise DataFileError(
                self.file,
                self.limits.exceeded("schools", f"the county lists {len(entries):,} schools"),
                line=line,
                code="D005",
            )
        if fd.item is Class:
            self.classes += len(entries)
            if self.classes > self.limits.classes:
                raise DataFileError(
                    self.file,
                    self.limits.exceeded(
                        "classes", f"the county lists {self.classes:,} classes by this line"
                    ),
                    line=line,
                    code="D005",
                )
        identity = fd.key or _IDENTITY.get(fd.item)
        seen: dict[Any, str] = {}
        out: list[dict[str, Any]] = []
        for epath, raw, eline, key in entries:
            forced = None
            if key is not None:
                assert fd.key is not None
                forced = (fd.key, key)
                raw = self._keyed_raw(fd, raw, epath, eline)
                if raw is None:
                    continue
            item = self.entity(raw, fd.item, epath, eline, forced=forced, field=fd.name)
            if item is None:
                continue
            if identity is not None:
                ident = item[identity]
                if fd.item is Attestation:  # one answer per item *of each rule set*
                    ident = (ident, item.get("ruleset"))
                if ident in seen:
                    self.problem(
                        epath,
                        f"{identity} {show(_plain(item[identity]))} appears twice (also at "
                        f"{seen[ident]}); "
                        f"this {nouns(fd.item)[0]} is left out",
                        field=identity,
                        value=_plain(item[identity]),
                        line=eline,
                        code="D030",
                    )
                    continue
                seen[ident] = fmt_path(epath)
            out.append(item)
        if len(out) < len(entries):
            self.dropped.add(path)
        return out
