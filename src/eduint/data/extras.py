"""Extra fields: figures a rule set uses that the data models do not have.

Rule files declare them (``field county.公办幼儿园数: 所``) and the checker hands the
declarations to the readers as ``extra_fields``: scope → field name → kind.  This
module checks those declarations and reads one extra value, for the YAML/JSON
loader and the spreadsheet reader alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from eduint.core.units import UnitError, parse_unit
from eduint.data.errors import DataValueError
from eduint.data.fields import SCOPES, fields_by_name
from eduint.data.figures import parse_figure, show
from eduint.data.models import ExtraValue, Figure
from eduint.data.scalars import read_flag, read_text

__all__ = [
    "EXTRA_KINDS",
    "ExtraDecls",
    "ExtraFieldsFor",
    "ExtraKind",
    "Extras",
    "extras_given",
    "parse_extra_fields",
    "read_extra_value",
    "structure_extra",
]

#: The kinds an extra field may be declared with (``"unit:<unit>"`` takes a unit of
#: :mod:`eduint.core.units`, e.g. ``"unit:所"``).
EXTRA_KINDS: tuple[str, ...] = ("unit:<unit>", "number", "text", "flag")


@attrs.frozen
class ExtraKind:
    """A declared extra field: ``kind`` is ``"unit"``, ``"number"``, ``"text"`` or ``"flag"``."""

    kind: str
    unit: str | None = None


#: Parsed extra-field declarations: scope → field name → kind.
Extras = Mapping[str, Mapping[str, ExtraKind]]

#: Extra-field declarations as rule files give them: scope → field name → kind text.
ExtraDecls = Mapping[str, Mapping[str, str]]

#: Declarations known only once the data names its rule set: called once with the
#: data's ``rules:`` value (``None`` when it names none) before any entity is read, it
#: returns that rule set's declarations (or ``None``).  A big file is then read once,
#: not once to learn its rule set and again with the rule set's fields.
ExtraFieldsFor = Callable[[str | None], "ExtraDecls | None"]


def extras_given(
    decls: ExtraDecls | ExtraFieldsFor | None,
) -> Extras | Callable[[str | None], Extras]:
    """Declarations as a reader takes them: parsed now, or parsed when the hook is
    called (:data:`ExtraFieldsFor`).

    Raises:
        ValueError: the declarations (given now) are malformed.
    """
    if callable(decls):
        hook = decls
        return lambda rules: parse_extra_fields(hook(rules))
    return parse_extra_fields(decls)


def parse_extra_fields(decls: Mapping[str, Mapping[str, str]] | None) -> Extras:
    """Check and parse extra-field declarations (scope → field name → kind).

    Args:
        decls: scope (``"county"``, ``"county_segment"``, ``"school"``, ``"segment"``,
            ``"class"``) → field name → kind (one of :data:`EXTRA_KINDS`), or ``None``.

    Returns:
        scope → field name → :class:`ExtraKind`.

    Raises:
        ValueError: an unknown scope or kind, a unit not in the vocabulary, or a name
            that is already a field (or label) of the model.
    """
    out: dict[str, dict[str, ExtraKind]] = {}
    for scope, fields in (decls or {}).items():
        if scope not in SCOPES:
            raise ValueError(
                f"unknown extra-field scope {scope!r}; expected one of {', '.join(SCOPES)}"
            )
        model = SCOPES[scope]
        known = fields_by_name(model)
        parsed: dict[str, ExtraKind] = {}
        for name, kind in fields.items():
            if not name or name in known:
                raise ValueError(
                    f"extra field {scope}.{name!r}: the name is empty or already a field of "
                    f"{model.__name__}"
                )
            if kind.startswith("unit:"):
                unit = kind[len("unit:") :].strip()
                try:
                    parse_unit(unit)
                except UnitError as exc:
                    raise ValueError(f"extra field {scope}.{name}: {exc}") from None
                if not unit:
                    raise ValueError(f"extra field {scope}.{name}: 'unit:' needs a unit")
                parsed[name] = ExtraKind("unit", unit)
            elif kind in ("number", "text", "flag"):
                parsed[name] = ExtraKind(kind)
            else:
                raise ValueError(
                    f"extra field {scope}.{name}: unknown kind {kind!r}; expected one of "
                    f"{', '.join(EXTRA_KINDS)}"
                )
        out[scope] = parsed
    return out


def read_extra_value(value: Any, kind: ExtraKind | None) -> ExtraValue:
    """An extra field's value; ``kind`` ``None`` (undeclared, under ``extra:``) infers it:
    numbers and figure mappings become figures, strings stay text, flags stay flags."""
    if value is None:
        return None
    if kind is None:
        if isinstance(value, bool) or isinstance(value, str):
            return value
        if isinstance(value, (int, float, Decimal, Mapping)):
            return parse_figure(value)
        raise DataValueError(f"expected a number, text or true/false, got {show(value)}")
    if kind.kind == "unit":
        return parse_figure(value, unit=kind.unit)
    if kind.kind == "number":
        return parse_figure(value)
    if kind.kind == "flag":
        return read_flag(value)
    return read_text(value)


def structure_extra(value: Any, _type: Any) -> dict[str, ExtraValue]:
    """Converter hook for ``extra``: values already read pass through; raw values are inferred."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise DataValueError(f"expected a mapping of extra fields, got {show(value)}")
    return {
        str(k): v if isinstance(v, Figure) else read_extra_value(v, None) for k, v in value.items()
    }
