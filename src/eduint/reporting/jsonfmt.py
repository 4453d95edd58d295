"""The report as a versioned JSON document, version 2 (its schema: :mod:`eduint.reporting.schema`).

Every field of :class:`~eduint.engine.results.Report` is a top-level key, each result
class an object with its fields.  Values are for machines and exact at once:

* a number with a unit (:class:`~eduint.engine.results.Quantity`) is
  ``{"value": 0.6667, "exact": "2/3", "unit": "人/百人"}``: ``value`` a JSON number in the
  unit shown, ``exact`` the exact rational in that unit, ``unit`` the unit as written
  (never a product such as ``%×人/百人``); an approximate figure adds
  ``"approximate": true``; a range (``30多``) is ``{"low": 30, "high": 39, "exact_low":
  "30", "exact_high": "39", "unit": "人"}``; a bracketed irrational (a 差异系数) has its
  ``value`` and ``low``/``high`` bounds, ``"bracket": true`` and, for a square root,
  ``exact_square``;
* a pure number (a margin, a share) is ``{"value": …, "exact": …}`` (a margin adds its
  ``unit``);
* a reason, warning or note is ``{"code": "missing_figure", "args": [...], "message":
  "…"}``: the stable code, its arguments (entities as ``{scope, key, name, segment,
  part, band}``, fields as ``{name, label, label_en}``), and the sentence in the
  document's language;
* outcomes are their Chinese values (``"未达到"``), flags and bases their codes.

Where each entity's figures are in the data file is provenance:
``provenance.locations`` maps entity keys to data paths, so the order of the input
changes nothing outside ``provenance``.
"""

from __future__ import annotations

import datetime
import enum
import functools
import io
import json
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, Protocol

import attrs

from eduint.core.refs import EntityRef, FieldRef
from eduint.core.units import Unit
from eduint.core.values import Interval, Reason
from eduint.engine.results import (
    Comparison,
    EntityResult,
    Input,
    ItemResult,
    Quantity,
    Report,
)
from eduint.reporting._tables import notices_of
from eduint.reporting.build import DataProblemLike, LoadLike
from eduint.reporting.messages import Lang
from eduint.reporting.numbers import exact_text, in_unit, shown_unit
from eduint.reporting.provenance import Provenance
from eduint.reporting.words import check_lang, reason_text

__all__ = [
    "OPTIONAL_FIELDS",
    "REPORT_SCHEMA_ID",
    "REPORT_VERSION",
    "dump_json",
    "number_json",
    "to_json",
]

REPORT_SCHEMA_ID = "https://eduint.example/schemas/report-v2.json"
"""The ``schema`` value of every JSON report, and the ``$id`` of its JSON Schema."""

REPORT_VERSION = 2
"""The ``eduint_report_version`` of the JSON document this module writes."""


def _float(x: int | Fraction) -> float | int:
    if isinstance(x, int):
        return x
    return x.numerator / x.denominator


def unit_text(unit: Unit) -> str:
    """A unit as JSON writes it: as written, or the canonical form of a product."""
    text = str(shown_unit(unit))
    return "" if text == "1" else text


def number_json(value: int | Fraction | Interval, unit: Unit | None = None) -> dict[str, Any]:
    """A number (in the canonical unit of ``unit``) as JSON: see the module docstring."""
    u = unit if unit is not None else Unit()
    out: dict[str, Any]
    if isinstance(value, Interval):
        lo, hi = in_unit(value.lo, u), in_unit(value.hi, u)
        if value.bracket:
            mid = (Fraction(lo) + Fraction(hi)) / 2
            out = {"value": _float(mid), "low": _float(lo), "high": _float(hi)}
            out |= {"exact_low": exact_text(lo), "exact_high": exact_text(hi), "bracket": True}
            if value.square is not None:
                out["exact_square"] = exact_text(value.square / u.scale**2)
        elif value.lo == value.hi:
            out = {"value": _float(lo), "exact": exact_text(lo)}
        else:
            out = {"low": _float(lo), "high": _float(hi)}
            out |= {"exact_low": exact_text(lo), "exact_high": exact_text(hi)}
        if value.approx:
            out["approximate"] = True
    else:
        x = in_unit(value, u)
        out = {"value": _float(x), "exact": exact_text(x)}
    if unit is not None:
        out["unit"] = unit_text(unit)
    return out


@functools.cache
def _exact_fields(cls: type) -> frozenset[str]:
    """The fields of ``cls`` typed to hold an exact number (``Fraction``/``Interval``):
    JSON writes them as number objects even when the value is a whole ``int``."""
    hints = typing.get_type_hints(cls)
    return frozenset(
        name
        for name, tp in hints.items()
        if tp in (Fraction, Interval) or {Fraction, Interval} & set(typing.get_args(tp))
    )


OPTIONAL_FIELDS: dict[type, frozenset[str]] = {
    Report: frozenset({"extends", "changes"}),
    ItemResult: frozenset({"set_by"}),
}
"""Fields of the layering (issue 15) that JSON writes only when they are not empty: a
report of a rule set that extends none reads as it did before layering."""


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, bool, bool], ...]:
    """Each field of an attrs class as (name, written as an exact number, left out when
    empty), worked out once per class."""
    exact = _exact_fields(cls)
    optional = OPTIONAL_FIELDS.get(cls, frozenset())
    return tuple(
        (a.name, a.name in exact, a.name in optional)
        for a in attrs.fields(cls)
        if a.metadata.get("written", True)  # Report.trace: not report content
    )


# Values written as they are (not a str or int subclass such as an enum member).
_PLAIN = frozenset({str, int, bool, float})

_ENTITY_FIELDS = tuple(a.name for a in attrs.fields(EntityRef) if a.name != "where")

# Report objects are frozen and shared (an entity's ref, its comparison as evidence and
# among the comparisons): their JSON is built once per document and shared in turn.
_SHARED = (EntityRef, Comparison, Reason, FieldRef)


# The key below names every field of a comparison; should the class gain one, no
# comparison is keyed (so none is ever written with another's JSON).
_COMPARISON_KEYED = tuple(a.name for a in attrs.fields(Comparison)) == (
    "text",
    "op",
    "left",
    "right",
    "met",
    "group",
    "measure",
)


def _quantity_key(q: Quantity | None) -> tuple[Any, ...] | None:
    """What a quantity's JSON depends on, or ``None`` (an interval: not keyed)."""
    if q is None:
        return ()
    v = q.value
    if isinstance(v, Interval):
        return None
    return (type(v), v.numerator, v.denominator, id(q.unit))


def _comparison_key(c: Comparison) -> tuple[Any, ...] | None:
    """What a comparison's JSON depends on (its fields; a unit by identity, as equal
    units may be written differently), or ``None`` when it is not keyed."""
    left, right = _quantity_key(c.left), _quantity_key(c.right)
    if left is None or right is None or not _COMPARISON_KEYED:
        return None
    return (c.text, c.op, left, right, c.met, c.group, c.measure)


_LEAF, _SEQUENCE, _ATTRS, _SHARED_KIND, _ENUM, _NUMBER, _QUANTITY = range(7)
_UNIT, _DATE, _MAPPING, _TEXT, _ENTITY_RESULT, _INPUT = range(7, 13)
# The classes written by a method of their own, with the fields it writes: should a
# class gain a field, the generic writer takes it back (no field is ever left out).
_OWN_WRITERS = {
    EntityResult: (
        ("entity", "outcome", "evidence", "comparisons", "reasons", "flags", "shown", "notes"),
        _ENTITY_RESULT,
    ),
    Input: (("entity", "field", "value", "text"), _INPUT),
}
_KINDS: dict[type, int] = {}


def _kind(t: type) -> int:
    """How :meth:`_Writer.json` writes a value of type ``t`` (worked out once per type:
    a report holds hundreds of thousands of values of a few dozen types)."""
    if t is type(None) or issubclass(t, (str, bool, int)) and not issubclass(t, enum.Enum):
        return _LEAF
    checks: tuple[tuple[type | tuple[type, ...], int], ...] = (
        (_SHARED, _SHARED_KIND),
        (enum.Enum, _ENUM),
        ((Fraction, Interval), _NUMBER),
        (Quantity, _QUANTITY),
        (Unit, _UNIT),
        ((datetime.date, datetime.datetime), _DATE),
    )
    for types, kind in checks:
        if issubclass(t, types):
            return kind
    if (
        t in _OWN_WRITERS
        and tuple(a.name for a in attrs.fields(typing.cast(Any, t))) == _OWN_WRITERS[t][0]
    ):
        return _OWN_WRITERS[t][1]
    if attrs.has(t):
        return _ATTRS
    if issubclass(t, Mapping):
        return _MAPPING
    if issubclass(t, (list, tuple)):
        return _SEQUENCE
    return _TEXT


class _Writer:
    """Report data as JSON-ready values (see the module docstring), in ``lang``."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.memo: dict[int, Any] = {}
        self.numbers: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.locations: dict[str, str] = {}
        self.entities: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.comparisons: dict[tuple[Any, ...], dict[str, Any]] = {}

    def number(self, value: int | Fraction | Interval, unit: Unit | None) -> dict[str, Any]:
        """:func:`number_json`, once per distinct number of the document (class sizes,
        thresholds and limits repeat thousands of times; the dict is shared).  The key
        holds the value's type (``1`` and ``Fraction(1)`` are written differently) and
        the unit object (``人`` and ``生`` are equal units written differently)."""
        if isinstance(value, Interval):
            return number_json(value, unit)
        # by the unit's identity, not its (slow, Fraction-hashing) value: the report's
        # units are a few objects shared by all its numbers, alive while it is written
        key = (type(value), value.numerator, value.denominator, id(unit))
        found = self.numbers.get(key)
        if found is None:
            found = self.numbers[key] = number_json(value, unit)
        return found

    def fields(self, x: Any, lazy: tuple[str, ...] = ()) -> dict[str, Any]:
        out: dict[str, Any] = {}
        cls: type = type(x)
        for name, exact, optional in _plan(cls):
            v = getattr(x, name)
            if optional and not v:
                continue
            if v is None or type(v) in _PLAIN:
                out[name] = v
            elif name in lazy:
                out[name] = _Lazy(v, self.fresh)
            elif exact and isinstance(v, (int, Fraction, Interval)) and not isinstance(v, bool):
                out[name] = self.number(v, None)
            else:
                out[name] = self.json(v)
        return out

    def fresh(self, x: Any) -> Any:
        """:meth:`json` of a value that shares nothing with those written before it (an
        item of a streamed report: what the memo holds for the last one is let go)."""
        self.memo.clear()
        return self.json(x)

    def entity_result(self, x: EntityResult) -> dict[str, Any]:
        """An entity's result (the bulk of a big report), written field by field as
        :meth:`fields` would (``tests/test_big_inputs.py`` compares the two)."""
        j = self.json
        return {
            "entity": j(x.entity),
            "outcome": None if x.outcome is None else x.outcome.value,
            "evidence": None if x.evidence is None else j(x.evidence),
            "comparisons": [j(c) for c in x.comparisons],
            "reasons": [j(r) for r in x.reasons],
            "flags": [f.value for f in x.flags],
            "shown": [j(v) for v in x.shown],
            "notes": [j(n) for n in x.notes],
        }

    def input(self, x: Input) -> dict[str, Any]:
        """An input figure of an entity, as :meth:`fields` would write it."""
        return {
            "entity": self.json(x.entity),
            "field": self.json(x.field),
            "value": self.json(x.value),
            "text": x.text,
        }

    def json(self, x: Any) -> Any:
        kind = _KINDS.get(type(x))
        if kind is None:
            kind = _KINDS[type(x)] = _kind(type(x))
        if kind == _LEAF:
            return x
        if kind == _SEQUENCE:
            return [self.json(v) for v in x]
        if kind == _ATTRS:
            return self.fields(x)
        if kind == _ENTITY_RESULT:
            return self.entity_result(x)
        if kind == _INPUT:
            return self.input(x)
        if kind == _SHARED_KIND:
            key = id(x)
            if key not in self.memo:
                self.memo[key] = self._shared(x)
            return self.memo[key]
        if kind == _ENUM:
            return x.value
        if kind == _NUMBER:
            return self.number(x, None)
        if kind == _QUANTITY:
            return self.number(x.value, x.unit)
        if kind == _UNIT:
            return unit_text(x)
        if kind == _DATE:
            return x.isoformat()
        if kind == _MAPPING:
            return {str(k): self.json(v) for k, v in x.items()}
        return str(x)

    def _shared(self, x: EntityRef | Comparison | Reason | FieldRef) -> Any:
        if isinstance(x, Comparison):
            key = _comparison_key(x)
            if key is None:
                return self.comparison(x)
            found = self.comparisons.get(key)  # 班额 44 <= 45 in a thousand classes
            if found is None:
                found = self.comparisons[key] = self.comparison(x)
            return found
        if isinstance(x, FieldRef):
            return self.fields(x)
        if isinstance(x, Reason):
            args = [self.json(a) for a in x.args]
            return {"code": x.code.value, "args": args, "message": reason_text(x, self.lang)}
        if x.where:  # the provenance's locations: every entity the report names
            self.locations.setdefault(x.key, x.where)
        values = tuple(getattr(x, name) for name in _ENTITY_FIELDS)
        found = self.entities.get(values)  # the same entity, named again by another item
        if found is None:
            found = self.entities[values] = {
                name: self.json(v) for name, v in zip(_ENTITY_FIELDS, values, strict=True)
            }
        return found

    def comparison(self, c: Comparison) -> dict[str, Any]:
        """A comparison with its computed margin (in the threshold's unit) and shortfall
        (:data:`eduint.engine.results.COMPUTED`: read-only properties, written as
        fields)."""
        out = self.fields(c)
        margin, shortfall = c.margin, c.shortfall
        out["margin"] = out["shortfall"] = None
        if margin is not None:
            unit = c.right.unit if c.right is not None else Unit()
            out["margin"] = {"value": _float(margin), "exact": exact_text(margin)}
            out["margin"]["unit"] = unit_text(unit)
        if shortfall is not None:
            out["shortfall"] = {"value": _float(shortfall), "exact": exact_text(shortfall)}
        return out


def _sorted_locations(found: Mapping[str, str]) -> dict[str, str]:
    """Entity key → data path, sorted by key as entities are."""
    return {k: found[k] for k in sorted(found, key=lambda k: EntityRef("", k, None).sort_key())}


def _problem_json(p: DataProblemLike, lang: Lang) -> dict[str, Any]:
    value = p.value
    if not (value is None or isinstance(value, (str, bool, int, float))):
        value = str(value)
    return {
        "file": p.file,
        "path": p.path,
        "field": p.field,
        "value": value,
        "message": p.message,
        "row": p.row,
        "sheet": p.sheet,
        "line": getattr(p, "line", None),
        "code": getattr(p, "code", None),
        "hint": getattr(p, "hint", None),
    }


def to_json(
    report: Report,
    *,
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] | None = None,
    load: LoadLike | None = None,
    lang: str = "zh",
) -> dict[str, Any]:
    """The report as a versioned JSON document (a dict of JSON-ready values).

    Args:
        report: the evaluated report.
        provenance: where the report came from; ``null`` in the document when ``None``
            (then without ``locations``).
        problems: the data problems; the ``data_problems`` key is left out when ``None``.
        load: the load accounting (``load``: rows read, used, rejected) and its notices
            (``data_notices``); both keys are left out when ``None``.
        lang: the language of the reasons' ``message`` texts.

    Returns:
        A dict with ``schema`` (:data:`REPORT_SCHEMA_ID`), ``eduint_report_version``
        (:data:`REPORT_VERSION`), ``lang``, every field of the report, optionally
        ``data_problems``, ``load`` and ``data_notices``, and ``provenance``.  It validates against
        :func:`~eduint.reporting.schema.report_json_schema`.

    Raises:
        ValueError: unknown ``lang``.
    """
    return _document(report, provenance, problems, load, check_lang(lang), lazy=False)


def _document(
    report: Report,
    provenance: Provenance | None,
    problems: Sequence[DataProblemLike] | None,
    load: LoadLike | None,
    lang: Lang,
    *,
    lazy: bool,
) -> dict[str, Any]:
    """:func:`to_json`'s document; ``lazy``: its items as a :class:`_Lazy` list, each
    made as it is written (a county of thousands of schools has items of tens of MB)."""
    writer = _Writer(lang)
    doc: dict[str, Any] = {
        "schema": REPORT_SCHEMA_ID,
        "eduint_report_version": REPORT_VERSION,
        "lang": lang,
    }
    doc |= writer.fields(report, lazy=("items",) if lazy else ())
    if problems is not None:
        doc["data_problems"] = _Rows(_problem_json(p, lang) for p in problems)
    if load is not None:
        doc["load"] = {k: getattr(load, k) for k in ("rows_read", "rows_used", "rows_rejected")}
        doc["data_notices"] = _Rows(_problem_json(p, lang) for p in notices_of(load))
    doc["provenance"] = None
    if provenance is not None:
        # the entities' locations are gathered as the items are written: after them
        locations = _Deferred(lambda: _sorted_locations(writer.locations))
        doc["provenance"] = provenance.to_dict() | {
            "locations": locations if lazy else locations.make()
        }
    return doc


class _Rows(list[Any]):
    """A list whose elements are written one per line (data problems: a file whose rows
    are repeated thousands of times has as many)."""


class _Deferred:
    """A value made when it is written (after the values written before it)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


class _Lazy:
    """A list whose elements are made as they are written, one at a time."""

    def __init__(self, source: Sequence[Any], make: Callable[[Any], Any]) -> None:
        self.source, self.make = source, make

    def __len__(self) -> int:
        return len(self.source)

    def __iter__(self) -> Iterator[Any]:
        return (self.make(x) for x in self.source)


def dump_json(
    report: Report,
    *,
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] | None = None,
    load: LoadLike | None = None,
    lang: str = "zh",
) -> str:
    """:func:`to_json`'s document as text (what :func:`write_json` writes).

    Raises:
        ValueError: unknown ``lang``.
    """
    out = io.StringIO()
    write_json(report, out, provenance=provenance, problems=problems, load=load, lang=lang)
    return out.getvalue()


def write_json(
    report: Report,
    fp: _Writable,
    *,
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] | None = None,
    load: LoadLike | None = None,
    lang: str = "zh",
) -> None:
    """Write :func:`to_json`'s document to a text stream, item by item (a report's items
    are never all in memory as JSON at once): UTF-8 friendly (``ensure_ascii=False``),
    indented by 2 down to :data:`INDENTED_LEVELS` levels (the report, its items, each
    item's fields and their lists) with each deeper value on one line (an entity, a
    comparison, a data problem's fields), and a final newline.

    Args:
        report: the evaluated report.
        fp: the stream (``write(str)``), e.g. a file opened with ``encoding="utf-8"``.
        provenance: as for :func:`to_json`.
        problems: as for :func:`to_json`.
        load: as for :func:`to_json`.
        lang: as for :func:`to_json`.

    Raises:
        ValueError: unknown ``lang``.
    """
    doc = _document(report, provenance, problems, load, check_lang(lang), lazy=True)
    _indented(doc, 0, fp.write)
    fp.write("\n")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


#: Levels of a JSON report written indented; deeper values are written one per line by
#: json's C encoder (indenting every level runs json's pure-Python encoder: 6.7 s for the
#: 136 MB report of a county of 1,400 schools, against 1 s).
INDENTED_LEVELS = 4


# One encoder for the whole document: ``json.dumps(x, ensure_ascii=False)`` makes a new
# one on every call, and a report writes hundreds of thousands of values.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def _indented(x: Any, level: int, write: Callable[[str], Any]) -> None:
    """Write ``x`` as JSON: indented by 2 down to :data:`INDENTED_LEVELS`, then compact
    (``", "`` and ``": "`` separators, as ``json.dumps`` writes without ``indent``)."""
    if isinstance(x, _Deferred):
        x = x.make()
    if isinstance(x, _Lazy) and level >= INDENTED_LEVELS:
        x = list(x)
    if isinstance(x, _Rows) and x:
        pad = "\n" + "  " * (level + 1)
        write("[")
        for i, v in enumerate(x):
            write(("," if i else "") + pad + _encode(v))
        write("\n" + "  " * level + "]")
        return
    if level >= INDENTED_LEVELS or not isinstance(x, (dict, list, _Lazy)) or not len(x):
        write(_encode(x if not isinstance(x, _Lazy) else []))
        return
    pad = "\n" + "  " * (level + 1)
    if isinstance(x, dict):
        write("{")
        for i, (k, v) in enumerate(x.items()):
            write(("," if i else "") + pad + _encode(k) + ": ")
            _indented(v, level + 1, write)
        write("\n" + "  " * level + "}")
    else:
        write("[")
        for i, v in enumerate(x):
            write(("," if i else "") + pad)
            _indented(v, level + 1, write)
        write("\n" + "  " * level + "]")
