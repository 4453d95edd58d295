"""The loader's problems mapped back to the cell (or row) they came from.

:func:`eduint.data.loading.read_county` reports a problem at a path of the input
mapping (``schools[3].segments.小学.students``).  The path names an entity and a field,
and the county's :class:`~eduint.data.provenance.FigureSources` knows the cell; a
problem with a whole entry (a school without 学校代码) is located at the first row
that built it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import attrs

from eduint.data.errors import DataProblem
from eduint.data.spreadsheets.rows import Build, RowKey

if TYPE_CHECKING:
    from eduint.data.spreadsheets.read import _Reader

__all__ = ["entity_of", "locate"]

_TOKEN = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def _tokens(path: str) -> list[str | int]:
    return [int(m[1]) if m[1] is not None else m[2] for m in _TOKEN.finditer(path)]


def _keyed(tokens: list[str | int], i: int, keys: Any) -> tuple[str | None, int]:
    """The key of a keyed mapping at ``tokens[i:]`` (a key may hold dots: ``12.1``)."""
    for j in range(len(tokens), i, -1):
        key = ".".join(str(t) for t in tokens[i:j])
        if key in keys:
            return key, j
    return None, i


def entity_of(build: Build, path: str) -> tuple[tuple[Hashable, ...], str] | None:
    """The provenance key and field of a path of ``build``'s input mapping, or ``None``."""
    tokens = _tokens(path)
    if not tokens:
        return None
    head = tokens[0]
    if head == "schools" and len(tokens) > 2 and isinstance(tokens[1], int):
        if tokens[1] >= len(build.schools):
            return None
        school = build.schools[tokens[1]]
        skey = str(school.get("id")) if school.get("id") is not None else f"#{tokens[1]}"
        entity: tuple[Hashable, ...] = ("school", skey)
        rest = tokens[2:]
        if rest[:1] == ["segments"] and len(rest) > 2:
            seg = str(rest[1])
            entity, rest = ("segment", skey, seg), rest[2:]
            sd = (school.get("segments") or {}).get(seg) or {}
            if rest[:1] == ["classes"] and len(rest) > 2 and isinstance(rest[1], int):
                entity, rest = ("class", skey, seg, rest[1]), rest[2:]
            elif rest[:1] == ["size_bands"] and len(rest) > 2 and isinstance(rest[1], int):
                bands = sd.get("size_bands") or []
                if rest[1] >= len(bands):
                    return None
                entity, rest = ("band", skey, seg, bands[rest[1]]["low"]), rest[2:]
    elif head == "segments" and len(tokens) > 2:
        entity, rest = ("county_segment", str(tokens[1])), tokens[2:]
    elif head == "answers" and len(tokens) > 3:
        ruleset = str(tokens[1])
        key, j = _keyed(tokens, 2, build.answers.get(ruleset) or {})
        if key is None or j >= len(tokens):
            return None
        entity, rest = ("attestation", key, ruleset), tokens[j:]
    elif head in ("attestations", "declared_counts"):
        table = build.attestations if head == "attestations" else build.declared
        key, j = _keyed(tokens, 1, table)
        if key is None or j >= len(tokens):
            return None
        entity = ("attestation" if head == "attestations" else "declared", key)
        rest = tokens[j:]
    else:
        entity, rest = ("county",), tokens
    if rest[:1] == ["extra"]:
        rest = rest[1:]
    if len(rest) != 1 or not isinstance(rest[0], str):
        return None
    return entity, rest[0]


def _cell_value(reader: _Reader, file: str, sheet: str | None, row: int, col: int) -> Any:
    """The value of a cell as read (from the sheets kept while reading)."""
    kept = reader.sheets.get((file, sheet))
    if kept is None:
        return None
    rows = kept.rows
    i = bisect.bisect_left(rows, row, key=lambda r: r[0])  # the rows are in order
    if i < len(rows) and rows[i][0] == row:
        cell = rows[i][1].get(col - 1)
        return cell.value if cell is not None else None
    return None


def locate(reader: _Reader, build: Build, p: DataProblem, rejected: set[RowKey]) -> DataProblem:
    """The loader's problem ``p`` located at the cell (or row) it came from; a left-out
    entity's rows are added to ``rejected``."""
    path = p.path
    if p.code == "D030" and path in build.entity_rows:
        rejected |= build.entity_rows[path]
    found = entity_of(build, path)
    if found is not None:
        ref = build.sources.cell(*found)
        if ref is not None:
            src = ref.source
            cols = reader.columns.get((src.file, src.sheet)) or []
            header = cols[ref.column - 1][0] if ref.column <= len(cols) else ""
            return attrs.evolve(
                p,
                file=src.file,
                path=header,
                value=_cell_value(reader, src.file, src.sheet, ref.row, ref.column),
                row=ref.row,
                sheet=src.sheet,
            )
    probe = path
    while probe:
        rows = build.entity_rows.get(probe)
        if rows:
            file, sheet, row = min(rows, key=lambda r: r[2])
            return attrs.evolve(p, file=file, row=row, sheet=sheet)
        shorter = re.sub(r"(\.[^.\[\]]*|\[\d+\])$", "", probe)
        if shorter == probe:
            break
        probe = shorter
    if build.rows:  # the county as a whole (its name, its completeness): its first row
        file, sheet, row = min(build.rows, key=lambda r: (r[0], str(r[1]), r[2]))
        return attrs.evolve(p, file=file, row=row, sheet=sheet)
    return p
