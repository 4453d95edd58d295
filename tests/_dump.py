"""A readable, stable dump of an eduint AST for golden files.

:func:`dump` walks the frozen attrs nodes of :mod:`eduint.language.nodes` and prints one
attribute per line, indented two spaces per level.  Source positions
(``span``), the file name (``file``) and the kept comments (``comments``) are
left out: they are layout, not meaning, exactly the attributes that node
equality ignores.  An English variant the file does not give (an ``en "…"`` field that
is ``None``) is left out too, so the dump of a file without one does not change.  The output depends only on the tree, so it is the same on
every machine and every run.

Format::

    RuleFile
      header = RulesetHeader
        id = "基本均衡"
        title = None
        props[0] = TitleEn
          text = "Basic balance"
      decls = []

Text is written with double quotes and JSON escapes (``"\\n"``), tuples of
plain values as ``["a", "b"]`` (the empty tuple as ``[]``), tuples of nodes as
one numbered attribute per element (``props[0] = ...``), dates as
``2016-07-02``.
"""

from __future__ import annotations

import datetime
import json

import attrs

from eduint.language.nodes import ENGLISH

__all__ = ["dump"]

SKIPPED = frozenset({"span", "file", "comments"})
"""Attributes left out of the dump: positions, file name and comments."""

_INDENT = "  "


def _scalar(value: object) -> str:
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"no dump format for {type(value).__name__}: {value!r}")


def _is_node(value: object) -> bool:
    return attrs.has(type(value))


def _node(node: object, level: int, out: list[str]) -> None:
    pad = _INDENT * (level + 1)
    for field in attrs.fields(type(node)):
        if field.name in SKIPPED:
            continue
        if field.metadata.get(ENGLISH) and getattr(node, field.name) is None:
            continue  # an English variant the file does not give (``en "…"``)
        _attr(field.name, getattr(node, field.name), level, pad, out)


def _attr(name: str, value: object, level: int, pad: str, out: list[str]) -> None:
    if _is_node(value):
        out.append(f"{pad}{name} = {type(value).__name__}")
        _node(value, level + 1, out)
    elif isinstance(value, tuple):
        if not value:
            out.append(f"{pad}{name} = []")
        elif any(_is_node(v) for v in value):
            for i, v in enumerate(value):
                _attr(f"{name}[{i}]", v, level, pad, out)
        else:
            out.append(f"{pad}{name} = [{', '.join(_scalar(v) for v in value)}]")
    else:
        out.append(f"{pad}{name} = {_scalar(value)}")


def dump(node: object) -> str:
    """Return the dump of an AST node (usually a ``RuleFile``), ending with a newline.

    Args:
        node: a frozen attrs node from :mod:`eduint.language.nodes`.

    Raises:
        TypeError: the tree holds a value the dump has no format for.
    """
    if not _is_node(node):
        raise TypeError(f"not an AST node: {node!r}")
    out = [type(node).__name__]
    _node(node, 0, out)
    return "\n".join(out) + "\n"
