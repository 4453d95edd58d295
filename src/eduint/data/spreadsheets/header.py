"""A sheet's header found as :func:`~eduint.data.spreadsheets.read_tables` finds it, for
other readers of tables (:mod:`eduint.data.national`): the same title-row and two-row
rules, aliases, units in brackets and ``--mapping`` file, by the same code.
"""

from __future__ import annotations

import attrs

from eduint.data.errors import DataProblem
from eduint.data.extras import Extras
from eduint.data.limits import Limits
from eduint.data.spreadsheets._headers import HeaderReader, Options
from eduint.data.spreadsheets.mapping import Column, Resolver, TableMapping
from eduint.data.spreadsheets.sources import Sheet

__all__ = ["HeaderFound", "find_header", "unused_mapping"]


@attrs.frozen
class HeaderFound:
    """A sheet's header as :func:`find_header` found it.

    Attributes:
        start: the index in ``sheet.rows`` of the first data row.
        row: the header's (last) row number as the user sees it.
        columns: the columns (header as written, target or ``None``, declared unit);
            an unknown column, or one whose unit does not convert, has no target.
        problems: D010 (unknown column) and D020 (a unit that does not convert).
    """

    start: int
    row: int
    columns: list[Column]
    problems: tuple[DataProblem, ...]


def find_header(
    sheet: Sheet,
    role: str,
    mapping: TableMapping,
    *,
    extras: Extras | None = None,
    limits: Limits | None = None,
    used: set[str] | None = None,
    resolver: Resolver | None = None,
) -> HeaderFound | None:
    """Find a sheet's header as :func:`read_tables` does (a title row above it, two
    merged rows, aliases, units in brackets, the ``--mapping`` file), for other readers
    of tables (:mod:`eduint.data.national`).

    Args:
        sheet: the sheet's first rows (at least :data:`~.sources.HEADER_SCAN` of them, or all).
        role: its role (``schools`` …).
        mapping: the user's column mapping.
        extras: declared extra fields.
        limits: the limits (``columns``).
        used: a set the mapping entries that matched are added to (for :func:`unused_mapping`).
        resolver: a resolver of ``role`` for ``mapping`` and ``extras`` (its ``used``
            the set ``used``) to reuse: one per folder of files resolves each distinct
            cell once, not once per file.

    Returns:
        The header, or ``None`` when no row names two known columns.

    Raises:
        DataFileError: the header reaches beyond the columns limit (D005).
    """
    reader = HeaderReader(Options(mapping, extras or {}, limits=limits or Limits()))
    if used is not None:
        reader.used = used
    if resolver is None:
        resolver = Resolver(role, mapping, extras or {}, reader.used)
    else:
        reader.used = resolver.used
    found = reader.header(sheet, resolver)
    if found is None:
        return None
    start, cols = found
    row = sheet.rows[start - 1][0]
    cols = reader._columns(sheet, cols, row, resolver.known)
    return HeaderFound(start, row, cols, tuple(reader.orphans))


def unused_mapping(mapping: TableMapping, used: set[str]) -> list[DataProblem]:
    """A D013 problem for each entry of ``mapping`` that is not in ``used`` (no column
    matched it), as :func:`read_tables` reports them."""
    reader = HeaderReader(Options(mapping, {}))
    reader.used = used
    return reader.unused_mapping()
