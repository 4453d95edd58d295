"""Finding a sheet's header: :class:`HeaderReader`.

The header-finding part of the spreadsheet reader
(:func:`~eduint.data.spreadsheets.read_tables`): the row, or two merged rows, among a
sheet's first rows whose cells name the most known fields (a title row is never part of
it), its unknown columns (D010) and columns whose unit does not convert (D020), and the
mapping entries that matched no column (D013).  The county reader
(:class:`eduint.data.spreadsheets.read._Reader`) subclasses it; the national reader
uses it through :mod:`eduint.data.spreadsheets.header`.

It lives apart from :mod:`~eduint.data.spreadsheets.read` so that a reader that only
finds headers does not import what reads the rows: this module imports neither the
loader (:mod:`eduint.data.loading`) nor :mod:`~eduint.data.spreadsheets.rows` or
:mod:`~eduint.data.spreadsheets.segments` (the loader only for a D013 problem's line).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from eduint.data.errors import DataFileError, DataProblem
from eduint.data.extras import Extras
from eduint.data.limits import Limits
from eduint.data.provenance import column_name
from eduint.data.spreadsheets.mapping import (
    SEGMENT_WORDS,
    Column,
    Resolver,
    TableMapping,
    norm,
    split_unit,
    unit_factor,
)
from eduint.data.spreadsheets.sources import HEADER_SCAN, Cells, Sheet, text_of
from eduint.language.diagnostics import did_you_mean

if TYPE_CHECKING:
    from eduint.data.spreadsheets.segments import Figures

__all__ = ["HeaderReader", "Options"]


def _combine(
    top: Cells, bottom: Cells, limit: int, known: Callable[[str], bool] = lambda _h: False
) -> list[str]:
    """The headers of a two-row header: ``小学`` over ``在校生数`` → ``小学在校生数``
    (at most ``limit`` columns).  A group that is no segment (``专任教师``, ``办学条件``
    over the field names) is dropped when the field name alone is a known header
    (``known``) and the two together are not: a CSV export keeps a merged group's text
    in its first column only, so the group cannot be told from a prefix by merging."""
    width = min(max(top.width, bottom.width), limit)
    t = top.texts(width)
    b = bottom.texts(width)
    out = []
    group = ""
    for i in range(width):
        if t[i] and b[i] and t[i] != b[i]:
            segment = norm(t[i]) in (*SEGMENT_WORDS, "学段")
            both = t[i] + b[i]
            out.append(b[i] if not segment and not known(both) and known(b[i]) else both)
            group = t[i] if segment else ""
        elif t[i] and not b[i]:
            out.append(t[i])
            group = t[i] if norm(t[i]) in SEGMENT_WORDS else ""
        elif b[i] and not t[i]:
            out.append(group + b[i])
        else:
            out.append(t[i])
            group = ""
    return out


def _could_name_two(resolver: Resolver, top: list[str], bottom: list[str]) -> int:
    """At most how many known columns the two rows ``top`` over ``bottom`` (texts) can
    name merged (:func:`_combine`): a column whose merged header is a figure names none
    (:meth:`Resolver.could_name`); the header search skips data rows so, by bound."""
    out = 0
    words = False  # a top text before: a segment word may prefix the columns after it
    for i in range(max(len(top), len(bottom))):
        t = top[i] if i < len(top) else ""
        b = bottom[i] if i < len(bottom) else ""
        if (t and resolver.could_name(t)) or (b and resolver.could_name(b)) or (
            b and not t and words
        ):
            out += 1
        words = words or (bool(t) and resolver.could_name(t))
    return out


@functools.lru_cache(maxsize=1024)
def _did_you_mean(header: str, known: tuple[str, ...]) -> str | None:
    """:func:`did_you_mean`, once per header: each file of a folder of county files
    has the same unknown columns."""
    return did_you_mean(header, known)


def _is_title(cells: Cells) -> bool:
    """A title row: one text (a title merged over the columns, or a lone cell)."""
    return len({text_of(c.value) for c in cells.values()} - {""}) < 2


#: The hint of an unknown column (D010) no known header is close to.
_UNKNOWN_HINT = "map it under columns:, or list it under ignore:, in a --mapping file"


@attrs.frozen
class Options:
    """What :func:`~eduint.data.spreadsheets.read_tables` was asked (the mapping, extras,
    and the choices); :func:`~eduint.data.spreadsheets.header.find_header` gives the
    mapping, extras and limits only."""

    mapping: TableMapping
    extras: Extras
    complete: bool = False
    figures: Figures | None = None
    limits: Limits = attrs.field(factory=Limits)


class HeaderReader:
    """Finds sheets' headers and reports their columns' and the mapping's problems.

    Attributes:
        options: what the read was asked (:class:`Options`).
        used: the mapping entries that matched a column (for :meth:`unused_mapping`).
        orphans: the problems found that belong to no county (D010, D020, D013 …).
    """

    def __init__(self, options: Options) -> None:
        self.options = options
        self.orphans: list[DataProblem] = []
        self.used: set[str] = set()  # mapping entries that matched

    def header(self, sheet: Sheet, resolver: Resolver) -> tuple[int, list[Column]] | None:
        """Find the header: the row, or two rows merged, among the first rows whose
        cells name the most distinct known columns (then the fewest unknown ones, then
        one row rather than two).  A title row is never the top of a two-row header.
        Returns the index in ``sheet.rows`` of the first data row and the columns."""
        best: tuple[tuple[int, int, int], int, list[Column]] | None = None
        rows = sheet.rows
        limit = self.options.limits.columns  # cells beyond it are never headers

        def known(header: str) -> bool:
            return resolver.resolve(header)[0] is not None

        scan = min(len(rows), HEADER_SCAN)
        texts = [rows[i][1].texts(min(rows[i][1].width, limit)) for i in range(scan)]
        for i in range(scan):
            candidates = [(1, texts[i])]
            two = i + 1 < len(rows) and not _is_title(rows[i][1])
            if two and (i + 1 == scan or best is None
                        or (_could_name_two(resolver, texts[i], texts[i + 1]), 0, -2) > best[0]):
                candidates.append((2, _combine(rows[i][1], rows[i + 1][1], limit, known)))
            for height, headers in candidates:
                if best is not None and height == 1 and \
                        (sum(1 for h in headers if resolver.could_name(h)), 0, -1) <= best[0]:
                    continue  # a row of figures: it cannot name more columns than the best
                cols: list[Column] = [(h, *resolver.resolve(h)) for h in headers]
                distinct = {t for _h, t, _u in cols if t is not None and t.role != "ignore"}
                unknown = sum(1 for h, t, _u in cols if h and t is None)
                score = (len(distinct), -unknown, -height)
                if len(distinct) >= 2 and (best is None or score > best[0]):
                    best = (score, i + height, cols)
        if best is None:
            return None
        height = -best[0][2]
        _check_width(sheet, rows[best[1] - height : best[1]], self.options.limits)
        for h, _t, _u in best[2]:
            resolver.resolve(h, record=True)
        return best[1], best[2]

    def sheet_problem(
        self,
        sheet: Sheet,
        header: str,
        value: Any,
        message: str,
        row: int | None,
        field: str | None = None,
        **kw: Any,
    ) -> None:
        """A problem with a whole sheet, column or county-less row (reported once); a
        problem with the whole sheet is placed at its first row."""
        if row is None:
            row = sheet.rows[0][0] if sheet.rows else 1
        self.orphans.append(
            DataProblem(sheet.file, header, field, value, message, row, sheet.name, **kw)
        )

    def _columns(
        self, sheet: Sheet, cols: list[Column], header_row: int, known: list[str]
    ) -> list[Column]:
        """Report the unknown columns and the columns whose unit does not convert; those
        are not read."""
        out: list[Column] = []
        for h, t, u in cols:
            if h and t is None:
                base = split_unit(h)[0]
                hint = _did_you_mean(base, tuple(known))
                self.orphans.append(
                    DataProblem(
                        sheet.file,
                        h,
                        base,
                        h,
                        "unknown column; its cells are not read",
                        header_row,
                        sheet.name,
                        code="D010",
                        hint=f"did you mean '{hint}'?" if hint else _UNKNOWN_HINT,
                    )
                )
            elif t is not None and t.kind == "quantity" and u is not None and t.role != "band":
                if unit_factor(u, t.unit) is None:
                    self.sheet_problem(
                        sheet,
                        h,
                        u,
                        f"the column is in {u}, which does not convert to the field's "
                        f"{t.unit or 'plain number'}; its cells are not read",
                        header_row,
                        t.field,
                        code="D020",
                        hint="write the unit the field has, or one that converts (万元, 亩 …)",
                    )
                    out.append((h, None, u))
                    continue
            out.append((h, t, u))
        return out

    def unused_mapping(self) -> list[DataProblem]:
        """A problem for each entry of the mapping file that matched no column."""
        m = self.options.mapping
        out = []
        sections: tuple[tuple[str, Iterable[str]], ...] = (
            ("columns", m.aliases), ("units", m.units), ("ignore", m.ignore)
        )
        lines: _MappingLines | None = None  # the file read again once, if an entry is unused
        for section, entries in sections:
            for key in entries:
                if key not in self.used:
                    if lines is None:
                        lines = _MappingLines(m.source)
                    out.append(
                        DataProblem(
                            m.source,
                            f"{section}.{key}",
                            key,
                            key,
                            "this mapping entry matched no column of any sheet",
                            line=lines.line(section, key),
                            code="D013",
                            hint="write the header as it appears (units in brackets may stay)",
                        )
                    )
        return out


class _MappingLines:
    """The lines of a mapping file's entries: the file parsed once (with lines), each
    ``ignore`` list indexed once, so that 10,000 unused entries cost one parse, not one
    each."""

    def __init__(self, source: str) -> None:
        # Imported here, not above: only a D013 problem needs the loader's YAML with
        # lines, and a national run that finds headers only never imports the loader.
        from eduint.data.loading.parse import parse_yaml

        self.tree: Any = None
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
            self.tree = parse_yaml(text, source)
        except (OSError, UnicodeDecodeError, DataFileError):
            pass
        self._index: dict[str, dict[str, int]] = {}  # section → entry text → first index

    def line(self, section: str, key: str) -> int | None:
        """The line of the entry ``key`` of ``section``, or ``None`` (the file unread)."""
        from eduint.data.loading.containers import line_at

        tree = self.tree
        if tree is None:
            return None
        entries = tree.get(section) if isinstance(tree, Mapping) else None
        if isinstance(entries, list):  # ignore: a list, its entry found by its text
            index = self._index.get(section)
            if index is None:
                index = {}
                for n, v in enumerate(entries):
                    index.setdefault(str(v), n)
                self._index[section] = index
            at = index.get(key)
            return line_at(tree, (section, at) if at is not None else (section,))
        return line_at(tree, (section, key))


def _check_width(sheet: Sheet, header: list[tuple[int, Cells]], limits: Limits) -> None:
    """A header may not reach beyond the columns limit.

    Raises:
        DataFileError: the header row (or one of two) does (D005).
    """
    for rownum, cells in header:
        if cells.width > limits.columns:
            where = f"the sheet {sheet.name}" if sheet.name is not None else "the file"
            raise DataFileError(
                sheet.file,
                limits.exceeded(
                    "columns",
                    f"the header of {where} (row {rownum:,}) reaches column "
                    f"{column_name(cells.width)}, the {cells.width:,}th",
                ),
                code="D005",
            )


def ignored_known(
    resolver: Resolver, file: str, sheet: str | None, header: str, header_row: int
) -> DataProblem | None:
    """The notice (D043) for a column the mapping file's ``ignore`` leaves unread although
    its header is a known column (the 自评 sheet's 备注, a 学校名称), or ``None`` for an
    unknown header or one in a unit that would not be read anyway (在校生数（备注）).  Both
    readers give it: the ignore wins, but the user hears that the column's data is
    missing."""
    meant, unit = resolver.shadowed(header)
    if meant is None or (
        meant.kind == "quantity" and unit is not None and meant.role != "band"
        and unit_factor(unit, meant.unit) is None
    ):
        return None
    what = f"{meant.role}.{meant.field}" if meant.field else meant.role
    where = f"the sheet {sheet}" if sheet is not None else "the file"
    return DataProblem(
        file,
        header,
        meant.field or None,
        header,
        f"this column is a known column of {where} ({what}); not read because "
        "the mapping file's ignore: lists it",
        header_row,
        sheet,
        code="D043",
        hint="take it out of ignore: to read it",
    )
