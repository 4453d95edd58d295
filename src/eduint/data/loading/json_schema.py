"""The JSON Schema (draft 2020-12) of the data input format, built from the field registry.

``scripts/gen_schema.py`` writes it to ``docs/schema/eduint-data-v1.schema.json``;
editors use it for completion and checking.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from eduint.data.extras import ExtraKind, Extras, parse_extra_fields
from eduint.data.fields import (
    KEYED_COLLECTIONS,
    MODELS,
    FieldDef,
    field_def,
    is_count_unit,
    model_fields,
    scope_of,
)
from eduint.data.loading.reader import nouns
from eduint.data.models import County

__all__ = ["DATA_VERSION", "SCHEMA_ID", "input_json_schema"]

#: The version of the input format the loader reads (top-level ``eduint_data_version``).
DATA_VERSION = 1

#: The ``$id`` of the JSON Schema of the input format (version 1).
SCHEMA_ID = "urn:eduint:schema:eduint-data-v1"

_S_NUM = r"(?:[0-9]+(?:\.[0-9]+)?|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?)"
_S_WHOLE = r"(?:[0-9]+(?:\.0+)?|[0-9]{1,3}(?:,[0-9]{3})+(?:\.0+)?)"
_S_ROUND = r"(?:[1-9][0-9]*0|[1-9][0-9]{0,2}(?:,[0-9]{3})*,[0-9]{2}0)"
_S_APPROX_PRE = "(?:大约|约)?"
_S_APPROX_POST = "(?:左右)?"
_S_BELOW = "(?:不足|不到|少于)"


def _figure_string_pattern(num: str, *, percent: bool, signed: bool = False) -> str:
    pct = "%?" if percent else ""
    sign = "[-+]?" if signed else ""
    return (
        f"^(?:{_S_APPROX_PRE}{sign}{num}{pct}{_S_APPROX_POST}"
        f"|{_S_ROUND}[多余]{pct}"
        f"|{_S_BELOW}{_S_NUM}{pct})$"
    )


def _figure_def(number: dict[str, Any], string: str, plain: str, title: str) -> dict[str, Any]:
    inner = {"anyOf": [number, {"type": "string", "pattern": plain}]}
    return {
        "title": title,
        "anyOf": [
            number,
            {"type": "string", "pattern": string},
            {
                "type": "object",
                "properties": {"value": inner, "approximate": {"type": "boolean"}},
                "required": ["value"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"low": inner, "high": inner, "approximate": {"type": "boolean"}},
                "required": ["low", "high"],
                "additionalProperties": False,
            },
        ],
    }


def _enum_values(cls: type[enum.Enum]) -> list[str]:
    out: list[str] = []
    for m in cls:
        for v in (str(m.value), m.name.lower(), m.name):
            if v not in out:
                out.append(v)
    return out


def _figure_ref(unit: str | None, count: bool) -> dict[str, Any]:
    name = "figure_percent" if unit == "%" else "figure_whole" if count else "figure"
    return {"$ref": f"#/$defs/{name}"}


def _value_schema(fd: FieldDef) -> dict[str, Any]:
    if fd.kind == "quantity":
        return _figure_ref(fd.unit, fd.count)
    if fd.kind == "enum":
        assert fd.enum is not None
        return {"$ref": f"#/$defs/{fd.enum.__name__}"}
    if fd.kind == "text" and fd.school_year:
        return {"$ref": "#/$defs/school_year"}
    if fd.kind in ("text", "flag", "date"):
        return {"$ref": f"#/$defs/{fd.kind}"}
    if fd.kind == "number":
        return {"type": "integer", "minimum": 0}
    raise AssertionError(fd.kind)  # pragma: no cover


def _extra_schema(kind: ExtraKind) -> dict[str, Any]:
    if kind.kind == "unit":
        return _figure_ref(kind.unit, is_count_unit(kind.unit))
    if kind.kind == "number":
        return {"$ref": "#/$defs/number"}
    return {"$ref": f"#/$defs/{'flag' if kind.kind == 'flag' else 'text'}"}


def _description(fd: FieldDef) -> str:
    parts = [p for p in (fd.label, fd.label_en) if p]
    text = " — ".join(parts) if parts else fd.name
    if fd.unit:
        text += f" ({fd.unit})"
    return text


def _list_schema(fd: FieldDef) -> dict[str, Any]:
    """A list field: an array of entries, or (keyed) a mapping key → entry."""
    assert fd.item is not None
    item = fd.item.__name__
    schema: dict[str, Any] = {"type": "array", "items": {"$ref": f"#/$defs/{item}"}}
    if fd.key is not None:
        entry: dict[str, Any] = {"$ref": f"#/$defs/{item}Entry"}
        if fd.key == "item":
            entry = {"anyOf": [entry, {"$ref": "#/$defs/SelfStatus"}]}
            mapping: dict[str, Any] = {
                "type": "object",
                "propertyNames": {"minLength": 1},
                "additionalProperties": entry,
            }
        else:
            key_enum = field_def(fd.item, fd.key).enum
            assert key_enum is not None
            entry = {"anyOf": [entry, {"type": "null"}]}
            mapping = {
                "type": "object",
                "properties": {k: entry for k in _enum_values(key_enum)},
                "additionalProperties": False,
            }
        schema = {"anyOf": [schema, mapping]}
    if fd.optional:
        schema = {"anyOf": [schema, {"type": "null"}]}
    schema["description"] = f"{fd.name}: {nouns(fd.item)[1]}" + (
        f" (a list, or a mapping keyed by {fd.key})" if fd.key else ""
    )
    return schema


def _extra_block(decls: Mapping[str, ExtraKind]) -> dict[str, Any]:
    """An entity's ``extra:`` mapping: declared extras by name, anything else allowed."""
    extra_props = {n: _extra_schema(k) for n, k in decls.items()}
    block: dict[str, Any] = {
        "type": ["object", "null"],
        "description": "extra fields (declared by rule files): any keys; numbers and "
        "figure mappings are figures, strings text, true/false flags",
        "additionalProperties": {
            "anyOf": [
                {"type": ["string", "boolean", "null"]},
                {"$ref": "#/$defs/number"},
            ]
        },
    }
    if extra_props:
        block["properties"] = extra_props
    return block


def _entity_schema(cls: type, extras: Extras, *, key_optional: str | None) -> dict[str, Any]:
    scope = scope_of(cls)
    decls = extras.get(scope, {}) if scope else {}
    props: dict[str, Any] = {}
    required: list[dict[str, Any]] = []
    for fd in model_fields(cls):
        if fd.kind == "list":
            props[fd.name] = _list_schema(fd)
            continue
        if fd.kind == "extra":
            block = _extra_block(decls)
            for key in fd.names():
                props[key] = block
            continue
        value = _value_schema(fd)
        if fd.optional or not fd.required:
            value = {"anyOf": [value, {"type": "null"}]}
        value["description"] = _description(fd)
        for key in fd.names():
            props[key] = value
        if fd.required and fd.name != key_optional:
            names = list(fd.names())
            required.append(
                {"required": names}
                if len(names) == 1
                else {"anyOf": [{"required": [n]} for n in names]}
            )
    for name, kind in decls.items():
        props[name] = {"anyOf": [_extra_schema(kind), {"type": "null"}]}
    out: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": props,
        "additionalProperties": False,
    }
    if required:
        out["allOf"] = required
    return out


def _value_defs() -> dict[str, Any]:
    """The shared definitions of values: figures, numbers, text, flags, dates."""
    return {
        "figure": _figure_def(
            {"type": "number", "minimum": 0},
            _figure_string_pattern(_S_NUM, percent=False),
            f"^{_S_NUM}$",
            "a figure (non-negative): 212, '1,655', '约212', '30多', '不足10', "
            "{value, approximate} or {low, high}",
        ),
        "figure_whole": _figure_def(
            {"type": "integer", "minimum": 0},
            _figure_string_pattern(_S_WHOLE, percent=False),
            f"^{_S_WHOLE}$",
            "a figure in a whole-number unit (人, 所, 间, 册, 台, 班, 个)",
        ),
        "figure_percent": _figure_def(
            {"type": "number", "minimum": 0},
            _figure_string_pattern(_S_NUM, percent=True),
            f"^{_S_NUM}%?$",
            "a per cent figure: 95 or '95%' both mean 95 %",
        ),
        "number": _figure_def(
            {"type": "number"},
            _figure_string_pattern(_S_NUM, percent=False, signed=True),
            f"^[-+]?{_S_NUM}$",
            "a plain number (may be negative)",
        ),
        "text": {"type": ["string", "integer"], "title": "text (a number is read as its digits)"},
        "flag": {"anyOf": [{"type": "boolean"}, {"enum": ["是", "否", "true", "false"]}]},
        "date": {
            "type": "string",
            "title": "a date (2018-09-01), or a school year (2018-2019, 2018学年)",
            "pattern": r"^(?:[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日"
            r"|[0-9]{4}(?:[-–—~/至](?:[0-9]{4}|[0-9]{2}))?(?:学年度|学年)?)$",
        },
        "school_year": {
            "type": "string",
            "title": "a school year: 2018-2019 or 2018学年",
            "pattern": r"^[0-9]{4}(?:[-–—~/至](?:[0-9]{4}|[0-9]{2}))?(?:学年度|学年)?$",
        },
    }


def input_json_schema(
    *, extra_fields: Mapping[str, Mapping[str, str]] | None = None
) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the input format, version 1, built from the models.

    Each entity is an object whose keys are field names or Chinese labels; unknown
    keys are refused everywhere except under ``extra`` (and the item labels of the
    ``attestations`` mapping).  Figures are a number, a string in one of the written
    forms (see :func:`parse_figure`), ``{value, approximate}`` or ``{low, high}``;
    whole-number units take whole numbers; only ``%`` fields take ``"95%"``.  Enums
    take the Chinese value or the English name (lower or upper case).  Segments,
    attestations and declared counts are a list or a keyed mapping.

    The schema describes the canonical written forms; the loader is a little more
    lenient (full-width digits, spaces, any letter case in enum names).

    Args:
        extra_fields: extra-field declarations (as for :func:`load_county`) to include
            as known properties; ``None`` for the schema file shipped in
            ``docs/schema/``.

    Returns:
        The schema as a JSON-compatible dict (``$id`` is :data:`SCHEMA_ID`).

    Raises:
        ValueError: ``extra_fields`` is malformed.
    """
    extras = parse_extra_fields(extra_fields)
    defs = _value_defs()
    enums: list[type[enum.Enum]] = []
    for cls in MODELS:
        for fd in model_fields(cls):
            if fd.enum is not None and fd.enum not in enums:
                enums.append(fd.enum)
    for e in enums:
        defs[e.__name__] = {
            "enum": _enum_values(e),
            "description": (e.__doc__ or "").strip().splitlines()[0],
        }
    for cls in MODELS:
        if cls is County:
            continue
        defs[cls.__name__] = _entity_schema(cls, extras, key_optional=None)
        key = next(
            (k for (c, f), k in KEYED_COLLECTIONS.items() if field_def(c, f).item is cls), None
        )
        if key is not None:
            defs[cls.__name__ + "Entry"] = _entity_schema(cls, extras, key_optional=key)
    root = _entity_schema(County, extras, key_optional=None)
    root["properties"] = {
        "$schema": {"type": "string", "description": "the schema this file follows (ignored)"},
        "eduint_data_version": {
            "const": DATA_VERSION,
            "description": "the version of the input format (only 1)",
        },
        "rules": {"type": ["string", "null"], "description": "the rule set the data is for"},
        **root["properties"],
        "answers": {
            "type": ["object", "null"],
            "description": "answers (自评) to other rule sets than `rules`: rule-set id or "
            "stem → answers in the form of `attestations`",
            "additionalProperties": root["properties"]["attestations"],
        },
    }
    root["description"] = (
        "County and school figures for eduint (see docs/data-model.md). Generated from "
        "eduint.data.models by scripts/gen_schema.py; do not edit."
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"eduint data file, eduint_data_version {DATA_VERSION}",
        **root,
        "$defs": defs,
    }
