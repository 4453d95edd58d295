"""One row per school segment: are a sheet's physical figures per segment or whole-school?

A long school sheet (a 学段 column, one row per school segment) may give a one-through
school's physical figures (areas, equipment, rooms, books, computers, funds:
:data:`~eduint.data.fields.PHYSICAL_FIELDS`) in two ways: each segment row with its
own segment's figures, or the whole school's figures once.  The reading is decided
**once per sheet**, never per cell, from the one-through schools (a school with rows
for two or more segments):

* some one-through school gives *different* values on its segment rows: the figures
  are per segment; they go to the segments' own fields (no split);
* otherwise, some one-through school gives its figures on *one row only*: they are
  whole-school figures, split by segment with the rule set's weights;
* otherwise every one-through school repeats the *same* values on each of its rows,
  which both readings explain: the reader stops and asks for ``--figures
  per-segment`` or ``--figures whole-school`` (the reader option ``figures``).

The option always forces a reading.  A sheet without one-through schools (or without
physical columns, or without a 学段 column) has nothing to decide: its figures are the
school's, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

import attrs

from eduint.data.errors import DataFileError
from eduint.data.fields import PHYSICAL_FIELDS, field_def
from eduint.data.figures import plain_decimal
from eduint.data.models import SchoolSegment
from eduint.data.spreadsheets.mapping import Column, Target
from eduint.data.spreadsheets.rows import id_key
from eduint.data.spreadsheets.sources import Cell, Cells, Sheet, text_of

__all__ = ["FIGURES", "Figures", "Reading", "decide_figures"]

#: How a long sheet's physical figures are read (``--figures``).
Figures = Literal["per-segment", "whole-school"]
#: The values of ``--figures``.
FIGURES: tuple[Figures, ...] = ("per-segment", "whole-school")


@attrs.frozen
class Reading:
    """How a sheet's physical figures were read, and why (for a notice).

    Attributes:
        figures: the reading.
        why: the evidence or the option that decided it, one sentence.
        columns: the physical columns' headers.
    """

    figures: Figures
    why: str
    columns: tuple[str, ...]


def _value(cell: Cell) -> Decimal | str:
    """A cell compared as a figure: ``"1,000"`` and 1000 are the same value."""
    text = text_of(cell.value)
    number = plain_decimal(text.replace(",", ""))
    return number if number is not None else text


def _find(cols: Sequence[Column], role: str, field: str | None = None) -> int | None:
    return next(
        (
            i
            for i, (_h, t, _u) in enumerate(cols)
            if t is not None and t.role == role and (field is None or t.field == field)
        ),
        None,
    )


def _evidence(
    sheet: Sheet, start: int, cols: Sequence[Column], physical: list[int]
) -> tuple[
    tuple[str, list[int]] | None, tuple[str, list[int]] | None, tuple[str, list[int]] | None
]:
    """The first one-through school giving different values, one giving its figures on
    one row only, and one repeating the same values: each as (school id, rows)."""
    seg_col = _find(cols, "segment_key")
    id_col = _find(cols, "school", "id")
    code_col = _find(cols, "group")
    assert seg_col is not None and id_col is not None
    schools: dict[tuple[str, str], list[tuple[int, str, list[Decimal | str | None]]]] = {}
    for rownum, cells in sheet.rows[start:]:

        def at(i: int | None, cells: Cells = cells) -> str:
            cell = cells.get(i) if i is not None else None
            return text_of(cell.value) if cell is not None else ""

        sid = at(id_col)
        if not sid:
            continue
        values = [
            _value(cell) if (cell := cells.get(i)) is not None and text_of(cell.value) else None
            for i in physical
        ]
        schools.setdefault((at(code_col), id_key(sid)), []).append((rownum, at(seg_col), values))
    differs = one_row = repeated = None
    for (_code, sid), rows in schools.items():
        if len({seg for _r, seg, _v in rows}) < 2:
            continue  # not a one-through school
        kinds = set()
        for k in range(len(physical)):
            given = [(r, vals[k]) for r, _s, vals in rows if vals[k] is not None]
            if len({v for _r, v in given}) > 1:
                kinds.add("differs")
            elif len(given) > 1:
                kinds.add("repeated")
            elif len(given) == 1:
                kinds.add("one_row")
        rownums = [r for r, _s, _v in rows]
        if "differs" in kinds:
            differs = differs or (sid, rownums)
        elif "repeated" in kinds:
            repeated = repeated or (sid, rownums)
        elif "one_row" in kinds:
            one_row = one_row or (sid, rownums)
    return differs, one_row, repeated


def _rows(rows: list[int]) -> str:
    return "rows " + ", ".join(str(r) for r in rows[:4]) + (" …" if len(rows) > 4 else "")


def decide_figures(
    sheet: Sheet, start: int, cols: list[Column], figures: Figures | None
) -> tuple[list[Column], Reading | None]:
    """Decide how a school sheet's physical figures are read, and re-target its columns.

    Args:
        sheet: the school sheet.
        start: the index in ``sheet.rows`` of its first data row.
        cols: its columns (header, target, unit).
        figures: the reading the user forces (``--figures``), or ``None``.

    Returns:
        The columns (physical columns re-targeted to the segments' fields when the
        figures are per segment) and the reading, or ``None`` when there was nothing
        to decide (no 学段 column, no physical column, no one-through school).

    Raises:
        DataFileError: (D004) the sheet is consistent with both readings and no
            reading is forced.
    """
    physical = [
        i
        for i, (_h, t, _u) in enumerate(cols)
        if t is not None and t.role == "school" and t.field in PHYSICAL_FIELDS
    ]
    if not physical or _find(cols, "segment_key") is None or _find(cols, "school", "id") is None:
        return cols, None
    headers = tuple(cols[i][0] for i in physical)
    differs, one_row, repeated = _evidence(sheet, start, cols, physical)
    where = f"{sheet.file}" + (f" [{sheet.name}]" if sheet.name else "")
    if figures is not None:
        reading = Reading(figures, f"--figures {figures} was given", headers)
    elif differs is not None:
        reading = Reading(
            "per-segment",
            f"school {differs[0]} gives different values on its segment rows ({_rows(differs[1])})",
            headers,
        )
    elif one_row is not None:
        reading = Reading(
            "whole-school",
            f"school {one_row[0]} gives them on one of its segment rows only ({_rows(one_row[1])})",
            headers,
        )
    elif repeated is not None:
        raise DataFileError(
            where,
            f"every one-through school gives the same {', '.join(headers)} on each of its "
            f"segment rows (school {repeated[0]}, {_rows(repeated[1])}): they may be the "
            "whole school's figures repeated, or each segment's own; say which with "
            "--figures whole-school or --figures per-segment",
            code="D004",
        )
    else:
        return cols, None
    if reading.figures == "whole-school":
        return cols, reading
    out = list(cols)
    for i in physical:
        header, t, unit = cols[i]
        assert t is not None
        fd = field_def(SchoolSegment, t.field)
        out[i] = (header, Target("segment", fd.name, None, fd.unit, fd.kind), unit)
    return out, reading
