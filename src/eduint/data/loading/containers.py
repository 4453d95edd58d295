"""Containers the YAML and JSON parsers build: dicts and lists that remember lines.

The lenient reader reports each problem at the 1-based line of the value and quotes
YAML scalars as written (``0101``, ``1.50``); these containers carry that
information beside the values without a YAML dependency.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eduint.data.errors import DataFileError
from eduint.data.limits import DEPTH

__all__ = [
    "MAX_DEPTH",
    "Map",
    "Path",
    "Seq",
    "check_depth",
    "fmt_path",
    "is_blank",
    "key_line",
    "line_at",
    "raw_scalar",
    "value_line",
]

#: Nesting a data file may have; the models need far less.
MAX_DEPTH = DEPTH

#: A path into the data, in the user's view: keys as written, zero-based indexes.
Path = tuple[str | int, ...]


class Map(dict[str, Any]):
    """A mapping read from a file, with 1-based lines (key, value) and raw scalar text."""

    __slots__ = ("duplicates", "lines", "raw")

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, tuple[int, int]] = {}
        self.raw: dict[str, str] = {}
        self.duplicates: list[tuple[str, int | None]] = []


class Seq(list[Any]):
    """A list read from a file, with the 1-based line of each item and raw scalar text."""

    __slots__ = ("lines", "raw")

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int | None] = []
        self.raw: dict[int, str] = {}


def fmt_path(path: Path) -> str:
    """``("schools", 3, "segments", "小学")`` → ``schools[3].segments.小学``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def value_line(container: object, key: str | int) -> int | None:
    """The 1-based line of the value at ``key`` of ``container``, or ``None`` if unknown."""
    if isinstance(container, Map) and isinstance(key, str) and key in container.lines:
        return container.lines[key][1]
    if isinstance(container, Seq) and isinstance(key, int) and key < len(container.lines):
        return container.lines[key]
    return None


def key_line(container: object, key: str) -> int | None:
    """The 1-based line of the key ``key`` of a mapping, or ``None`` if unknown."""
    if isinstance(container, Map) and key in container.lines:
        return container.lines[key][0]
    return None


def raw_scalar(container: object, key: str | int, value: Any) -> Any:
    """The scalar as written in YAML (``0101``, ``1.50``, ``yes``) when YAML typed it, else ``value``."""
    if isinstance(container, Map) and isinstance(key, str):
        return container.raw.get(key, value)
    if isinstance(container, Seq) and isinstance(key, int):
        return container.raw.get(key, value)
    return value


def line_at(tree: Any, path: Path) -> int | None:
    """The 1-based line of the value at ``path`` of a parsed file, else of the nearest
    entry on the way to it (a missing field: its entity's line; the county: its first
    key's line); ``None`` when the tree knows no lines (JSON parsed by C)."""
    best: int | None = None
    if isinstance(tree, Map) and tree.lines:
        best = min(k for k, _v in tree.lines.values())
    node = tree
    for step in path:
        if isinstance(node, Map) and isinstance(step, str) and step in node.lines:
            best = node.lines[step][0]
            node = node[step]
        elif isinstance(node, Seq) and isinstance(step, int) and 0 <= step < len(node.lines):
            best = node.lines[step]
            node = node[step]
        else:
            break
    return best


def is_blank(value: Any) -> bool:
    """True for ``None`` and for text that is empty or white space: a missing value."""
    return value is None or (isinstance(value, str) and not value.strip())


def check_depth(value: Any, file: str) -> None:
    """Refuse data nested deeper than the models could ever need (iteratively).

    Raises:
        DataFileError: ``value`` nests more than :data:`MAX_DEPTH` levels.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DataFileError(file, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, Mapping):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
