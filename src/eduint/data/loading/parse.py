"""Parsing YAML and JSON text into :mod:`~eduint.data.loading.containers` trees.

YAML is read with PyYAML's ``SafeLoader`` only: the file is *composed* into nodes
(for line numbers and the scalar text as written, so ``code: 0101`` stays ``"0101"``)
and only the YAML core types are constructed (``yaml.safe_load`` semantics; any
other tag makes the file unreadable).  JSON numbers are read as
:class:`~decimal.Decimal`.  This module is imported only when a file is parsed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import yaml

from eduint.data.errors import DataFileError
from eduint.data.loading.containers import MAX_DEPTH, Map, Seq

__all__ = ["parse_json", "parse_yaml"]

#: Expanded values a YAML file may hold (aliases are expanded): a guard against
#: "billion laughs" files.
_MAX_VALUES = 1_000_000


_YAML = "tag:yaml.org,2002:"
_RAW_TAGS = frozenset({_YAML + "int", _YAML + "float", _YAML + "bool", _YAML + "timestamp"})


class _YamlBuilder:
    """Build :class:`Map`/:class:`Seq` trees from composed YAML nodes (safe types only)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.loader = yaml.SafeLoader("")
        self.count = 0
        self.active: set[int] = set()

    def fail(self, message: str, node: yaml.Node) -> DataFileError:
        """An error at ``node``'s position (1-based line and column)."""
        mark = node.start_mark
        return DataFileError(self.file, message, line=mark.line + 1, column=mark.column + 1)

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        """Build the value of ``node``: a scalar of the core schema, a Map or a Seq."""
        self.count += 1
        if self.count > _MAX_VALUES:
            raise self.fail(f"more than {_MAX_VALUES} values (after expanding YAML aliases)", node)
        if depth > MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep", node)
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.loader.construct_object(node)
            except (ValueError, OverflowError):
                return str(node.value)  # e.g. 2018-02-30: YAML says timestamp, the calendar no
        if id(node) in self.active:
            raise self.fail("a YAML alias refers to a value that contains it", node)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, depth)
            if isinstance(node, yaml.SequenceNode):
                return self.sequence(node, depth)
            raise self.fail(
                f"unsupported YAML node {type(node).__name__}", node
            )  # pragma: no cover
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, depth: int) -> Map:
        """A mapping, merge keys (``<<``) applied; repeated own keys are remembered."""
        if node.tag != _YAML + "map":
            raise self.fail(f"unsupported YAML tag {node.tag!r}", node)
        own = sum(1 for k, _ in node.value if k.tag != _YAML + "merge")
        self.loader.flatten_mapping(node)
        merged = len(node.value) - own
        out = Map()
        own_keys: set[str] = set()  # keys merged in with `<<` may be overridden silently
        for i, (knode, vnode) in enumerate(node.value):
            if not isinstance(knode, yaml.ScalarNode):
                raise self.fail("a mapping key must be a plain value, not a list or mapping", knode)
            key = str(knode.value)
            if i >= merged:
                if key in own_keys:
                    out.duplicates.append((key, knode.start_mark.line + 1))
                own_keys.add(key)
            out[key] = self.build(vnode, depth + 1)
            out.lines[key] = (knode.start_mark.line + 1, vnode.start_mark.line + 1)
            if isinstance(vnode, yaml.ScalarNode) and vnode.tag in _RAW_TAGS and not vnode.style:
                out.raw[key] = vnode.value
            else:
                out.raw.pop(key, None)
        return out

    def sequence(self, node: yaml.SequenceNode, depth: int) -> Seq:
        """A list, with each item's line and YAML-typed scalars' text."""
        if node.tag != _YAML + "seq":
            raise self.fail(f"unsupported YAML tag {node.tag!r}", node)
        out = Seq()
        for i, vnode in enumerate(node.value):
            out.append(self.build(vnode, depth + 1))
            out.lines.append(vnode.start_mark.line + 1)
            if isinstance(vnode, yaml.ScalarNode) and vnode.tag in _RAW_TAGS and not vnode.style:
                out.raw[i] = vnode.value
        return out


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML text into Map/Seq trees and scalars (``None`` for an empty document).

    Raises:
        DataFileError: the text is not YAML (with the line and column), uses a tag
            outside the core schema, nests too deeply or expands to too many values.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is None:
            return None
        return _YamlBuilder(file).build(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise DataFileError(
            file,
            f"cannot parse YAML: {what or exc}",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise DataFileError(file, f"cannot parse YAML: {exc}") from None
    except RecursionError:
        raise DataFileError(file, "cannot parse YAML: nested too deeply") from None


def _json_object(pairs: list[tuple[str, Any]]) -> Map:
    out = Map()
    for key, value in pairs:
        if key in out:
            out.duplicates.append((key, None))
        out[key] = value
    return out


def parse_json(text: str, file: str) -> Any:
    """Parse JSON text into Map trees, lists and scalars (numbers as Decimal).

    Raises:
        DataFileError: the text is not JSON (with the line and column), has a number of
            too many digits, or nests too deeply.
    """
    try:
        return json.loads(
            text, parse_float=Decimal, object_pairs_hook=_json_object, parse_constant=str
        )
    except json.JSONDecodeError as exc:
        raise DataFileError(
            file, f"cannot parse JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise DataFileError(file, "cannot parse JSON: a number has too many digits") from None
    except RecursionError:
        raise DataFileError(file, "cannot parse JSON: nested too deeply") from None
