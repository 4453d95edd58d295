"""A national table's one-through schools: are their physical figures per segment?

The national reader reads a 九年一贯制 school's physical figures (areas, equipment,
rooms, books, computers, funds: :data:`~eduint.data.fields.PHYSICAL_FIELDS`) as each
segment row's own, as ``--figures per-segment`` reads a county's sheet.  The sheet's own
evidence is weighed as the spreadsheet reader weighs it
(:func:`eduint.data.spreadsheets.segments`), vectorised over every school of the table:

* some one-through school gives different values on its segment rows: per segment, as
  read;
* else some one-through school gives them on one of its rows only: they are the whole
  school's, which the national reader does not split (the spreadsheet reader splits them
  by the rule set's weights): refused, saying so (D004);
* else every one-through school repeats the same values on each of its rows, which both
  readings explain: refused unless ``--figures per-segment`` says which (D004), as the
  spreadsheet reader refuses it.
"""

from __future__ import annotations

from typing import Any

from eduint.data.errors import DataFileError
from eduint.data.fields import PHYSICAL_FIELDS
from eduint.data.national.model import NationalData

__all__ = ["check_figures"]

_COUNTY_BY_COUNTY = (
    "read the counties one by one (eduint check without --summary: the spreadsheet reader "
    "splits a whole school's figures by the rule set's weights), or give each segment's own "
    "figures"
)


def check_figures(data: NationalData, figures: str | None, shown: str) -> str | None:
    """Check that the table's physical figures are per segment (see the module doc).

    Args:
        data: the table read.
        figures: ``--figures`` (``per-segment``, ``whole-school``) or ``None``.
        shown: the data's name in messages.

    Returns:
        Why the figures are read per segment (for a notice), or ``None`` when there was
        nothing to decide (no one-through school with physical figures).

    Raises:
        DataFileError: (D004) ``--figures whole-school``, figures on one row only, or
            figures repeated on every row without ``--figures per-segment``.
    """
    if figures == "whole-school":
        raise DataFileError(
            shown,
            "--figures whole-school: the national reader reads physical figures per segment; "
            + _COUNTY_BY_COUNTY,
            code="D004",
        )
    differs, one_row, repeated = _evidence(data)
    if figures == "per-segment":
        return "--figures per-segment was given"
    if differs is not None:
        return f"school {differs} gives different values on its segment rows"
    if one_row is not None:
        raise DataFileError(
            shown,
            f"school {one_row} gives its physical figures on one of its segment rows only: "
            "they read as the whole school's, which the national reader does not split; "
            + _COUNTY_BY_COUNTY,
            code="D004",
        )
    if repeated is not None:
        raise DataFileError(
            shown,
            "every one-through school gives the same physical figures on each of its segment "
            f"rows (school {repeated}): they may be the whole school's figures repeated, or "
            "each segment's own; if each segment's own, say so with --figures per-segment, "
            "else " + _COUNTY_BY_COUNTY,
            code="D004",
        )
    return None


def _evidence(data: NationalData) -> tuple[str | None, str | None, str | None]:
    """The first school (its id) whose rows differ, give figures on one row only, or
    repeat them, over the physical fields the table gives."""
    import numpy as np

    names = [f for f in PHYSICAL_FIELDS if f in data.fields]
    if not names or len(data.school) < 2:
        return None, None, None
    school, county = np.asarray(data.school), np.asarray(data.county)
    a = np.flatnonzero((school[1:] == school[:-1]) & (county[1:] == county[:-1]))
    if not a.size:
        return None, None, None
    b = a + 1
    differs = np.zeros(a.size, dtype=bool)
    one_row = np.zeros(a.size, dtype=bool)
    repeated = np.zeros(a.size, dtype=bool)
    for name in names:
        values: Any = np.asarray(data.fields[name], dtype=np.float64)
        miss = np.isnan(values)
        if name in data.missing:
            miss = miss | np.asarray(data.missing[name], dtype=bool)
        both = ~miss[a] & ~miss[b]
        differs |= both & (values[a] != values[b])
        one_row |= miss[a] ^ miss[b]
        repeated |= both & (values[a] == values[b])

    def first(mask: Any) -> str | None:
        hit = np.flatnonzero(mask)
        return str(data.school_ids[a[hit[0]]]) if hit.size else None

    return first(differs), first(one_row), first(repeated)
