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
import json
import typing
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from eduint.core.refs import EntityRef, FieldRef
from eduint.core.units import Unit
from eduint.core.values import Interval, Reason
from eduint.engine.results import Comparison, ItemResult, Quantity, Report
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


def _comparison(c: Comparison, lang: Lang) -> dict[str, Any]:
    """A comparison with its computed margin (in the threshold's unit) and shortfall
    (:data:`eduint.engine.results.COMPUTED`: read-only properties, written as fields)."""
    out = _fields(c, lang)
    margin, shortfall = c.margin, c.shortfall
    out["margin"] = out["shortfall"] = None
    if margin is not None:
        unit = c.right.unit if c.right is not None else Unit()
        out["margin"] = {"value": _float(margin), "exact": exact_text(margin)}
        out["margin"]["unit"] = unit_text(unit)
    if shortfall is not None:
        out["shortfall"] = {"value": _float(shortfall), "exact": exact_text(shortfall)}
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


def _fields(x: Any, lang: Lang) -> dict[str, Any]:
    cls: type = type(x)
    exact = _exact_fields(cls)
    optional = OPTIONAL_FIELDS.get(cls, frozenset())
    out = {}
    for a in attrs.fields(type(x)):
        v = getattr(x, a.name)
        if a.name in optional and not v:
            continue
        if a.name in exact and isinstance(v, (int, Fraction, Interval)) and not isinstance(v, bool):
            out[a.name] = number_json(v)
        else:
            out[a.name] = _json(v, lang)
    return out


def _json(x: Any, lang: Lang) -> Any:
    """Report data as JSON-ready values (see the module docstring)."""
    if x is None or isinstance(x, (str, bool)):
        return x
    if isinstance(x, enum.Enum):
        return x.value
    if isinstance(x, int):
        return x
    if isinstance(x, (Fraction, Interval)):
        return number_json(x)
    if isinstance(x, Quantity):
        return number_json(x.value, x.unit)
    if isinstance(x, Comparison):
        return _comparison(x, lang)
    if isinstance(x, Reason):
        args = [_json(a, lang) for a in x.args]
        return {"code": x.code.value, "args": args, "message": reason_text(x, lang)}
    if isinstance(x, EntityRef):
        return {
            a.name: _json(getattr(x, a.name), lang)
            for a in attrs.fields(EntityRef)
            if a.name != "where"
        }
    if isinstance(x, Unit):
        return unit_text(x)
    if isinstance(x, (datetime.date, datetime.datetime)):
        return x.isoformat()
    if attrs.has(type(x)):
        return _fields(x, lang)
    if isinstance(x, Mapping):
        return {str(k): _json(v, lang) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_json(v, lang) for v in x]
    return str(x)


def _locations(report: Report) -> dict[str, str]:
    """Entity key → data path, for every entity the report names, sorted by key."""
    found: dict[str, str] = {}

    def walk(x: Any) -> None:
        if isinstance(x, EntityRef):
            if x.where:
                found.setdefault(x.key, x.where)
        elif isinstance(x, Reason):
            walk(x.args)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)
        elif attrs.has(type(x)) and not isinstance(x, (FieldRef, Quantity)):
            for a in attrs.fields(type(x)):
                walk(getattr(x, a.name))

    walk(report)
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
    lg = check_lang(lang)
    doc: dict[str, Any] = {
        "schema": REPORT_SCHEMA_ID,
        "eduint_report_version": REPORT_VERSION,
        "lang": lg,
    }
    doc |= _fields(report, lg)
    if problems is not None:
        doc["data_problems"] = [_problem_json(p, lg) for p in problems]
    if load is not None:
        doc["load"] = {k: getattr(load, k) for k in ("rows_read", "rows_used", "rows_rejected")}
        doc["data_notices"] = [_problem_json(p, lg) for p in notices_of(load)]
    doc["provenance"] = None
    if provenance is not None:
        doc["provenance"] = provenance.to_dict() | {"locations": _locations(report)}
    return doc


def dump_json(
    report: Report,
    *,
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] | None = None,
    load: LoadLike | None = None,
    lang: str = "zh",
) -> str:
    """:func:`to_json` as text: UTF-8 friendly (``ensure_ascii=False``), indented by 2,
    with a final newline."""
    doc = to_json(report, provenance=provenance, problems=problems, load=load, lang=lang)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
