"""The columnar frame of national input: :func:`frame_of`.

:func:`eduint.data.national.read_national` reads a national table into arrays
(:class:`~eduint.data.national.NationalData`); :func:`frame_of` hands them to
:func:`~eduint.engine.columnar._arrays.frame_from_arrays`, which makes the population
pass's decisions vectorised.  Class sizes given as size bands are class entries that
count as many classes as the band holds; a comparison of their size with a limit (a
band holds sizes between its bounds, as the record engine reads it) is decided by the
record engine, exactly as a single-county run decides it, so both engines agree.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eduint.checking.settings import Settings
from eduint.engine.columnar._arrays import ArrayFrame, frame_from_arrays

if TYPE_CHECKING:
    from eduint.checking.ruleset import RuleSet
    from eduint.data.national import NationalData

__all__ = ["frame_of"]


def frame_of(
    data: NationalData,
    settings: Settings | RuleSet,
    *,
    complete: bool = False,
    as_of: datetime.date | None = None,
    dates: Sequence[datetime.date | None] | None = None,
) -> ArrayFrame:
    """The columnar frame of national data.

    Args:
        data: the data (:func:`~eduint.data.national.read_national`).
        settings: the rule set's typed settings (:meth:`Settings.of`), or the rule set.
        complete: whether every county's school list is complete (``--complete``); a
            national table lists what it lists, so without it every 差异系数 and sum over
            the schools is 缺少数据, as for a county file that does not declare it.
        as_of: the date every county is evaluated at when ``dates`` is not given.
        dates: per county, its date (``None``: none).

    Returns:
        The frame (:class:`~eduint.engine.columnar._arrays.ArrayFrame`), for
        :func:`eduint.engine.columnar.evaluate_many`.

    Raises:
        Unsupported: settings that merge 教学点 into their central schools (read the
            counties with the spreadsheet reader then).
    """
    if not isinstance(settings, Settings):
        settings = Settings.of(settings)
    if dates is None:
        dates = [as_of] * data.counties
    fields: dict[str, Any] = dict(data.fields)
    missing = {k: m for k, m in data.missing.items() if m.any()}
    return frame_from_arrays(
        settings,
        county=data.county,
        school=data.school,
        segment=data.segment,
        fields=fields,
        class_sizes=data.class_sizes,
        class_offsets=data.class_offsets,
        county_names=list(data.county_names),
        county_codes=list(data.county_codes),
        dates=list(dates),
        missing=missing,
        school_kind=data.school_kind,
        ownership=data.ownership,
        location=data.location,
        complete=complete,
        class_mult=data.class_mult,
        class_high=data.class_high,
        class_bands=data.class_bands,
        class_missing=data.class_missing,
        school_ids=data.school_ids,
        school_names=data.school_names,
    )
