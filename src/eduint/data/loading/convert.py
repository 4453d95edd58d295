"""The cattrs converter between the input format and the frozen models.

Structuring goes from canonical input (field names, list forms, values already read
by the lenient reader) to the attrs models; its hooks (figures with their field's
unit, enums by Chinese value or English name, dates, flags, text, tuples) are the
same readers the lenient reader uses, so both agree on every value.  Unstructuring
writes a county back in the input format (:func:`eduint.data.loading.dump_county`).

The converter is private (no cattrs types in the public API) and this module is
imported only when a county is structured or dumped, so that ``import eduint`` does
not import cattrs.
"""

from __future__ import annotations

import datetime
import enum
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, override

from eduint.data.extras import structure_extra
from eduint.data.fields import MODELS, FieldDef, model_fields
from eduint.data.figures import dump_figure, parse_figure
from eduint.data.models import ExtraValue, Figure
from eduint.data.scalars import (
    read_date,
    read_enum,
    read_flag,
    read_int,
    read_school_year,
    read_text,
)

__all__ = ["converter", "dump_entity"]


def _optional_hook(reader: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    def hook(value: Any, _type: Any) -> Any:
        return None if value is None else reader(value)

    return hook


def _is_enum_type(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


def _overrides(model: type) -> dict[str, Any]:
    """Per-field structure hooks that need the registry: units, school years, extras."""
    overrides: dict[str, Any] = {}
    for fd in model_fields(model):
        if fd.kind == "quantity":
            read = functools.partial(parse_figure, unit=fd.unit, whole=fd.count)
            overrides[fd.name] = override(struct_hook=_optional_hook(read))
        elif fd.kind == "text" and fd.school_year:
            overrides[fd.name] = override(struct_hook=_optional_hook(read_school_year))
        elif fd.kind == "extra":
            overrides[fd.name] = override(struct_hook=structure_extra)
    return overrides


@functools.cache
def converter() -> cattrs.Converter:
    """The converter from canonical input (field names, list forms) to the models.

    Its hooks accept both raw values and values already read (so the lenient reader
    can hand it checked values); unknown keys are refused.
    """
    conv = cattrs.Converter()
    # Exact-type predicates: a singledispatch hook for ``str`` would also catch the
    # ``str``-based enums (Segment is a ``str``), and one for ``int`` would catch ``bool``.
    conv.register_structure_hook_func(lambda t: t is str, lambda v, _t: read_text(v))
    conv.register_structure_hook_func(lambda t: t is bool, lambda v, _t: read_flag(v))
    conv.register_structure_hook_func(lambda t: t is int, lambda v, _t: read_int(v))
    conv.register_structure_hook(datetime.date, lambda v, _t: read_date(v))
    conv.register_structure_hook(Figure, lambda v, _t: parse_figure(v))
    conv.register_structure_hook_func(_is_enum_type, read_enum)
    for model in MODELS:
        structure: Callable[[Mapping[str, Any], Any], Any] = make_dict_structure_fn(
            model, conv, _cattrs_forbid_extra_keys=True, **_overrides(model)
        )
        conv.register_structure_hook(model, structure)
        conv.register_unstructure_hook(model, functools.partial(dump_entity, model=model))
    return conv


# --------------------------------------------------------------------------------------
# Dumping


def _dump_value(fd: FieldDef, value: Any) -> Any:
    if fd.kind == "quantity":
        return dump_figure(value, fd.unit)
    if fd.kind == "enum":
        return value.value
    if fd.kind == "date":
        return value.isoformat()
    return value


def _dump_extra(value: ExtraValue) -> Any:
    if isinstance(value, Figure):
        return dump_figure(value, None, use_text=False)
    return value


def dump_entity(obj: Any, model: type) -> dict[str, Any]:
    """One entity in the input format: missing figures and defaults left out.

    Args:
        obj: an instance of ``model``.
        model: one of :data:`~eduint.data.fields.MODELS`.

    Returns:
        The entity as plain JSON/YAML values.
    """
    out: dict[str, Any] = {}
    for fd in model_fields(model):
        value = getattr(obj, fd.name)
        if fd.kind == "extra":
            if value:
                out["extra"] = {k: _dump_extra(v) for k, v in value.items()}
            continue
        if value is None:
            if fd.required:
                out[fd.name] = None
            continue
        if fd.kind == "flag" and value is False and not fd.optional:
            continue
        if fd.kind == "list":
            if not value and not fd.optional:
                continue
            assert fd.item is not None
            out[fd.name] = _dump_entities(value, fd.item, fd.key)
            continue
        out[fd.name] = _dump_value(fd, value)
    return out


def _dump_entities(items: Sequence[Any], model: type, key: str | None) -> Any:
    dumped = [dump_entity(item, model) for item in items]
    if key is None:
        return dumped
    keys = [str(d[key]) for d in dumped]
    if len(set(keys)) != len(keys):
        return dumped
    out: dict[str, Any] = {}
    for k, d in zip(keys, dumped, strict=True):
        body = {f: v for f, v in d.items() if f != key}
        if key == "item" and list(body) == ["status"]:
            out[k] = body["status"]
        else:
            out[k] = body
    return out
