"""The shape of a column-mapping file (``--mapping``), checked before it is read.

A mapping file is YAML written by hand, so anything may come out of it: a list where a
mapping belongs (``columns: [a, b]``), a number where a header belongs, a mapping
nested where text belongs.  :func:`check_mapping_shape` compares what YAML produced
with :data:`MAPPING_SCHEMA` and reports the first difference as a
:class:`~eduint.data.errors.DataFileError` naming the place (``columns.在校学生数``) and
what was expected, so that reading the mapping afterwards meets only the shapes it
knows.  The schema::

    columns:       header → header it means, or {header: …, unit: …}
    units:         header or field → unit
    values:        header or field → value as written → the value it means
    extra_fields:  scope → field name → kind
    ignore:        a list of headers as written (columns not read, not reported)
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import attrs

from eduint.data.errors import DataFileError
from eduint.language.diagnostics import shorten

__all__ = ["MAPPING_SCHEMA", "check_mapping_shape"]


@attrs.frozen
class _Text:
    """Text; a YAML number (``2019``) counts as its digits unless ``words``; blank text
    (``""``, ``" "``) is refused when ``filled`` (a header that names no column)."""

    what: str
    words: bool = False
    filled: bool = False


@attrs.frozen
class _Map:
    """A mapping whose keys are text and whose values all have one shape."""

    value: _Shape
    what: str


@attrs.frozen
class _Record:
    """A mapping with known keys (``required`` must be there)."""

    fields: Mapping[str, _Shape]
    required: tuple[str, ...]
    what: str


@attrs.frozen
class _Either:
    """One of two shapes (text, or a record)."""

    first: _Shape
    second: _Shape
    what: str


@attrs.frozen
class _List:
    """A list whose items all have one shape."""

    item: _Shape
    what: str


_Shape = _Text | _Map | _Record | _Either | _List

_UNIT = _Text("a unit (万元, 亩, 人 …)")
#: The shape of a column-mapping file.
MAPPING_SCHEMA: _Record = _Record(
    {
        "columns": _Map(
            _Either(
                _Text("the header it means"),
                _Record(
                    {"header": _Text("the header it means"), "unit": _UNIT},
                    ("header",),
                    "{header: …, unit: …}",
                ),
                "the header it means, or {header: …, unit: …}",
            ),
            "a mapping: header as written → the header it means",
        ),
        "units": _Map(_UNIT, "a mapping: header or field → unit"),
        "values": _Map(
            _Map(_Text("the value it means"), "a mapping: value as written → the value it means"),
            "a mapping: header or field → (value as written → the value it means)",
        ),
        "extra_fields": _Map(
            _Map(
                _Text("a kind (unit:人, number, text, flag)", words=True),
                "a mapping: field name → kind",
            ),
            "a mapping: scope → field name → kind",
        ),
        "ignore": _List(
            _Text("a header as written", filled=True), "a list of headers as written ([填表人, 联系电话])"
        ),
    },
    (),
    "a mapping with the keys columns, units, values, extra_fields and ignore",
)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"the text '{shorten(value)}'"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, (int, float)) and not isinstance(value, bool)
    )


def _problem(value: Any, shape: _Shape, where: str) -> str | None:
    """The first place ``value`` differs from ``shape``, as a message, or ``None``."""
    if isinstance(shape, _Text):
        ok = isinstance(value, str) if shape.words else _is_text(value)
        if ok and shape.filled and isinstance(value, str) and not value.strip():
            return f"{where}: expected {shape.what}, got a blank text"
        return None if ok else f"{where}: expected {shape.what}, got {_kind(value)}"
    if isinstance(shape, _Either):
        if _problem(value, shape.first, where) is None:
            return None
        if _problem(value, shape.second, where) is None:
            return None
        if isinstance(value, Mapping):  # meant as the record: say what is wrong inside it
            return _problem(value, shape.second, where)
        return f"{where}: expected {shape.what}, got {_kind(value)}"
    if isinstance(shape, _List):
        if not isinstance(value, list):
            return f"{where}: expected {shape.what}, got {_kind(value)}"
        for i, item in enumerate(value):
            found = _problem(item, shape.item, f"{where}[{i + 1}]")
            if found is not None:
                return found
        return None
    if not isinstance(value, Mapping):
        return f"{where}: expected {shape.what}, got {_kind(value)}"
    for key, item in value.items():
        at = f"{where}.{shorten(str(key))}" if where else shorten(str(key))
        if not _is_text(key):
            return f"{at}: a key must be text, got {_kind(key)}"
        if isinstance(shape, _Map):
            found = _problem(item, shape.value, at)
        elif str(key) not in shape.fields:
            known = ", ".join(shape.fields)
            return f"{at}: unknown key (expected {known})"
        elif item is None and where == "":  # an empty top-level section is allowed
            continue
        else:
            found = _problem(item, shape.fields[str(key)], at)
        if found is not None:
            return found
    if isinstance(shape, _Record):
        for key in shape.required:
            if key not in value:
                return f"{where}: give '{key}' ({shape.what})"
    return None


def check_mapping_shape(data: Any, name: str) -> None:
    """Check what YAML read from a mapping file against :data:`MAPPING_SCHEMA`.

    Args:
        data: the parsed YAML (``None`` for an empty file is fine).
        name: the file name, for the error.

    Raises:
        DataFileError: the first place the data has another shape, e.g.
            ``columns: expected a mapping: header as written → the header it means,
            got a list``.
    """
    if data is None:
        return
    if not isinstance(data, Mapping):
        raise DataFileError(name, f"a column mapping is {MAPPING_SCHEMA.what}, got {_kind(data)}")
    problem = _problem(data, MAPPING_SCHEMA, "")
    if problem is not None:
        raise DataFileError(name, f"not a column mapping: {problem}")
