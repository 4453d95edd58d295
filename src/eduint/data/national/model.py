"""The arrays national input is read into: :class:`NationalData`."""

from __future__ import annotations

from typing import Any

import attrs

from eduint.data.errors import DataProblem

__all__ = ["NationalData"]


@attrs.frozen(eq=False)
class NationalData:
    """National data as arrays: one row per school segment, rows sorted by county (by
    code), school (digit runs by value, as the record engine orders them) and segment.

    Attributes:
        county: each row's county (int64, 0 … C-1, non-decreasing).
        school: each row's school (int64, increasing within a county; a school's rows
            are consecutive).
        segment: each row's segment code (int8: 0 小学, 1 初中, 2 高中).
        school_ids: each row's school id as written (numpy text array), or as int64
            when the file typed the ids as integers (each id's text is ``str`` of it).
        school_names: each row's 学校名称 as written (numpy text array, ``""`` where
            blank), or ``None`` when no file gives the column.
        fields: school-segment figures by field name (float64, in the field's unit:
            元, 平方米, 人 …; NaN where not given); ``missing``: per field, the rows
            whose figure is not given (blank or a bad cell), never 0.
        school_kind, ownership, location: per row, the index into
            :class:`~eduint.data.models.SchoolKind`, ``Ownership``, ``Location``
            (int8, -1: not given), or ``None`` when no column gives it.
        class_sizes: every class's size (人; int16 or int32) in row order; for a size
            band, its lower bound.
        class_offsets: CSR offsets of each row's classes (int64, n+1).
        class_mult: per class entry, how many classes it stands for (a band's count),
            or ``None`` when every entry is one class (no bands).
        class_high: per class entry, its upper bound (the size for a class; -1 for a
            band "and over"), or ``None`` (no bands).
        class_bands: per row, whether its classes are size bands, or ``None``.
        class_missing: per row, whether its class list is not given (no 班额 cell and
            no band, or a bad one), or ``None`` when every row gives one.
        counties: the number of counties C; ``county_codes``, ``county_names``,
            ``provinces``: per county (a county without a name is named by its code).
        files: the files read, in order.
        rows_read: data rows read (blank rows not counted); ``rows_used``: rows kept.
        problems: bad cells and rows left out, with file, row, column and raw text
            (:class:`~eduint.data.errors.DataProblem`; the value is missing).
        notices: notes that are not problems (columns the national reader does not
            read, a county named by its code).
    """

    county: Any
    school: Any
    segment: Any
    school_ids: Any
    fields: dict[str, Any]
    missing: dict[str, Any]
    school_kind: Any
    ownership: Any
    location: Any
    class_sizes: Any
    class_offsets: Any
    class_mult: Any
    class_high: Any
    class_bands: Any
    class_missing: Any
    county_codes: tuple[str | None, ...]
    county_names: tuple[str, ...]
    provinces: tuple[str | None, ...]
    files: tuple[str, ...]
    rows_read: int
    rows_used: int
    problems: tuple[DataProblem, ...]
    notices: tuple[DataProblem, ...] = ()
    school_names: Any = None

    @property
    def counties(self) -> int:
        """The number of counties."""
        return len(self.county_names)

    @property
    def rows(self) -> int:
        """The number of school-segment rows kept."""
        return len(self.county)

    @property
    def classes(self) -> int:
        """The number of classes (a band counts its classes)."""
        if self.class_mult is not None:
            return int(self.class_mult.sum())
        return int(self.class_offsets[-1]) if len(self.class_offsets) else 0
