"""The JSON Schema (draft 2020-12) of the report document, derived from the result classes.

Each attrs class of the report (:class:`~eduint.engine.results.Report`,
:class:`~eduint.engine.results.ItemResult`, … :class:`~eduint.core.refs.EntityRef`)
becomes one definition: its fields are the properties (all required, no others), each
field's type becomes its schema (``X | None`` → also ``null``, ``tuple[X, ...]`` → an
array, an enum → its values, a date → an ISO date), and each field's description is
taken from the class docstring's ``Attributes:`` section.  The few values JSON writes in
a form of their own (numbers with units, reasons; see :mod:`eduint.reporting.jsonfmt`)
have hand-written definitions.  ``scripts/gen_report_schema.py`` writes the result to
``docs/schema/eduint-report-v2.schema.json``; a test keeps the file current.
"""

from __future__ import annotations

import datetime
import enum
import re
import types
import typing
from fractions import Fraction
from typing import Any

import attrs

from eduint.checking.ruleset import SourceRef
from eduint.core.refs import EntityRef, FieldRef
from eduint.core.units import Unit
from eduint.core.values import Code, Interval, Reason
from eduint.engine import results
from eduint.engine.results import COMPUTED, Quantity, Report
from eduint.reporting.jsonfmt import OPTIONAL_FIELDS, REPORT_SCHEMA_ID, REPORT_VERSION
from eduint.reporting.provenance import Provenance

__all__ = ["class_schema", "report_json_schema"]

_NUMBER_PROPS: dict[str, Any] = {
    "value": {"type": "number", "description": "the number (in ``unit`` when given)"},
    "exact": {
        "type": "string",
        "pattern": r"^-?[0-9]+(/[0-9]+)?$",
        "description": "exact rational",
    },
    "low": {"type": "number", "description": "a range's or bracket's lower end"},
    "high": {"type": "number", "description": "a range's or bracket's upper end"},
    "exact_low": {"type": "string", "pattern": r"^-?[0-9]+(/[0-9]+)?$"},
    "exact_high": {"type": "string", "pattern": r"^-?[0-9]+(/[0-9]+)?$"},
    "approximate": {"const": True, "description": "an approximate figure (约…), used as stated"},
    "bracket": {"const": True, "description": "one irrational number between low and high"},
    "exact_square": {"type": "string", "description": "the exact square of a bracketed root"},
    "unit": {"type": "string", "description": 'the unit as written ("" for a bare number)'},
}


def _number_def() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "An exact number: a JSON number for machines with its exact form "
        '("2/3"), a range (low/high), or a bracketed irrational; with its unit when it has one.',
        "additionalProperties": False,
        "properties": _NUMBER_PROPS,
        "oneOf": [
            {"required": ["value", "exact"], "not": {"required": ["low"]}},
            {
                "required": ["low", "high", "exact_low", "exact_high"],
                "not": {"required": ["exact"]},
            },
        ],
    }


def _reason_def() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "A coded reason, warning or note (core.values.Code) with its arguments.",
        "additionalProperties": False,
        "required": ["code", "args", "message"],
        "properties": {
            "code": {"enum": [c.value for c in Code]},
            "args": {"type": "array", "description": "the code's documented arguments"},
            "message": {
                "type": "string",
                "description": "the sentence, in the document's language",
            },
        },
    }


_SPECIAL: dict[Any, dict[str, Any]] = {
    Quantity: {"$ref": "#/$defs/number"},
    Fraction: {"$ref": "#/$defs/number"},
    Interval: {"$ref": "#/$defs/number"},
    Reason: {"$ref": "#/$defs/reason"},
    Unit: {"type": "string"},
    datetime.date: {"type": "string", "format": "date"},
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    object: {},
}


def _descriptions(cls: type) -> dict[str, str]:
    """Field name → description, from the ``Attributes:`` section of the docstring
    (``a, b: text`` describes both)."""
    doc = cls.__doc__ or ""
    out: dict[str, str] = {}
    if "Attributes:" not in doc:
        return out
    body = doc.split("Attributes:", 1)[1]
    current: list[str] = []
    for line in body.splitlines():
        m = re.match(r"^\s{8}([a-z_][a-z0-9_, ]*):\s*(.*)$", line)
        if m:
            current = [n.strip() for n in m[1].split(",")]
            for n in current:
                out[n] = m[2].strip()
        elif line.startswith(" " * 12) and current:
            for n in current:
                out[n] += " " + line.strip()
        elif line.strip() and not line.startswith(" " * 12):
            current = []
    return {k: re.sub(r"``|:class:|:attr:|:func:|`", "", v).strip() for k, v in out.items()}


class _Builder:
    """Collects one definition per attrs class reached from the report."""

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {"number": _number_def(), "reason": _reason_def()}

    def type_schema(self, tp: Any) -> dict[str, Any]:
        if tp in _SPECIAL:
            return dict(_SPECIAL[tp])
        origin = typing.get_origin(tp)
        if origin is typing.Union or origin is types.UnionType:
            args = typing.get_args(tp)
            if Interval in args or Fraction in args:
                nums = [a for a in args if a not in (int, Fraction, Interval)]
                alts = [self.type_schema(a) for a in nums] + [{"$ref": "#/$defs/number"}]
            else:
                alts = [self.type_schema(a) for a in args if a is not type(None)]
            if type(None) in args:
                alts.append({"type": "null"})
            return alts[0] if len(alts) == 1 else {"anyOf": alts}
        if origin is tuple:
            item = typing.get_args(tp)[0]
            return {"type": "array", "items": self.type_schema(item)}
        if tp is type(None):
            return {"type": "null"}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"enum": [m.value for m in tp]}
        if isinstance(tp, type) and attrs.has(tp):
            self.add(tp)
            return {"$ref": f"#/$defs/{tp.__name__}"}
        return {}  # pragma: no cover - a type the report does not use

    def add(self, cls: type) -> None:
        if cls.__name__ in self.defs:
            return
        self.defs[cls.__name__] = {}  # reserve: classes refer to each other
        self.defs[cls.__name__] = class_schema(cls, self)


def class_schema(cls: type, builder: _Builder | None = None) -> dict[str, Any]:
    """The schema of one attrs class: its fields, typed and described, all required but
    those JSON leaves out when empty (:data:`~eduint.reporting.jsonfmt.OPTIONAL_FIELDS`)."""
    b = builder or _Builder()
    hints = typing.get_type_hints(cls)
    described = _descriptions(cls)
    props: dict[str, Any] = {}
    names = [
        a.name
        for a in attrs.fields(cls)
        if not (cls is EntityRef and a.name == "where") and a.metadata.get("written", True)
    ]
    for name in names:
        schema = b.type_schema(hints[name])
        if name in described:
            schema["description"] = described[name]
        props[name] = schema
    for name in COMPUTED.get(cls, ()):  # read-only properties JSON writes as fields
        prop = getattr(cls, name)
        schema = b.type_schema(typing.get_type_hints(prop.fget)["return"])
        schema["description"] = re.sub(r"``|:attr:|`", "", (prop.__doc__ or "").split("\n\n")[0])
        schema["description"] = " ".join(schema["description"].split())
        props[name] = schema
        names.append(name)
    first = (cls.__doc__ or "").strip().splitlines()
    return {
        "type": "object",
        "description": first[0] if first else cls.__name__,
        "additionalProperties": False,
        "required": [n for n in names if n not in OPTIONAL_FIELDS.get(cls, ())],
        "properties": props,
    }


def _problem_def() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "One problem with one value of a data file (the value was treated as missing).",
        "additionalProperties": False,
        "required": ["file", "path", "field", "value", "message", "row", "sheet"],
        "properties": {
            "file": {"type": "string"},
            "path": {"type": "string", "description": "keys as written, zero-based indexes"},
            "field": {"type": ["string", "null"]},
            "value": {"description": "the offending value as read"},
            "message": {"type": "string", "description": "what is wrong (English)"},
            "row": {"type": ["integer", "null"], "description": "spreadsheet row (1-based)"},
            "sheet": {"type": ["string", "null"]},
            "line": {"type": ["integer", "null"], "description": "YAML line (1-based)"},
            "code": {"type": ["string", "null"], "description": "stable code, D0xx"},
            "hint": {"type": ["string", "null"]},
        },
    }


def _provenance_def(b: _Builder) -> dict[str, Any]:
    schema = class_schema(Provenance, b)
    schema["properties"]["data_sha256"] = {
        "anyOf": [{"type": "string", "pattern": "^[0-9a-f]{64}$"}, {"type": "null"}]
    }
    schema["properties"]["rules_sha256"] = schema["properties"]["data_sha256"]
    schema["properties"]["locations"] = {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "entity key → where its figures are in the data (schools[2].segments.小学)",
    }
    schema["required"] = [*schema["required"], "locations"]
    return schema


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document :func:`~eduint.reporting.to_json`
    writes (version :data:`~eduint.reporting.jsonfmt.REPORT_VERSION`)."""
    b = _Builder()
    for cls in (SourceRef, EntityRef, FieldRef, results.Text):
        b.add(cls)
    report = class_schema(Report, b)
    b.defs["data_problem"] = _problem_def()
    b.defs["Provenance"] = _provenance_def(b)
    props = {
        "schema": {"const": REPORT_SCHEMA_ID},
        "eduint_report_version": {"const": REPORT_VERSION},
        "lang": {"enum": ["zh", "en"], "description": "the language of the messages"},
        **report["properties"],
        "data_problems": {"type": "array", "items": {"$ref": "#/$defs/data_problem"}},
        "data_notices": {
            "type": "array",
            "description": "notes of the load that are not problems (D012, D040–D043)",
            "items": {"$ref": "#/$defs/data_problem"},
        },
        "load": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                k: {"type": ["integer", "null"]}
                for k in ("rows_read", "rows_used", "rows_rejected")
            },
        },
        "provenance": {"anyOf": [{"$ref": "#/$defs/Provenance"}, {"type": "null"}]},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": REPORT_SCHEMA_ID,
        "title": f"eduint report, version {REPORT_VERSION}",
        "description": "What `eduint check --format json` writes: for every item, part and "
        "rule the county's self-assessment (自评) beside what its figures support (核算), "
        "the verdict and the comparisons that decided it, with exact numbers and units; "
        "coded reasons; section roll-ups; the overall verdict. Generated from the result "
        "classes by scripts/gen_report_schema.py; do not edit.",
        "type": "object",
        "additionalProperties": False,
        "required": ["schema", "eduint_report_version", "lang", *report["required"], "provenance"],
        "properties": props,
        "$defs": dict(sorted(b.defs.items())),
    }
