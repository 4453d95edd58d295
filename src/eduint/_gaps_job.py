"""``eduint.gaps``: the 整改清单 as a library call (the job over :func:`eduint.run`).

The lists themselves are computed by :func:`eduint.engine.gaps.gaps` (pure, one county);
this module reads rule sets and data exactly as :func:`eduint.run` does (bundled rule
sets, rule files, YAML/JSON, workbooks and CSV folders of several counties, overrides)
and hands each county and its report to it.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from typing import Any

from eduint.api import RunResult, run
from eduint.checking.ruleset import RuleSet
from eduint.data.models import County
from eduint.engine.gaps import GapList
from eduint.engine.gaps import gaps as county_gaps

__all__ = ["gaps", "gaps_and_run"]


def gaps(
    rules: RuleSet | str | os.PathLike[str] | None,
    data: str | os.PathLike[str] | County | Sequence[County],
    *,
    as_of: datetime.date | None = None,
    **run_options: Any,
) -> tuple[GapList, ...]:
    """The 整改清单 of every county of ``data`` under ``rules``: for each rule that is
    未达到 for a school, segment, class or the county, the smallest verified fixes (or
    the reason there are none).  See ``docs/gaps.md``.

    Args:
        rules: as :func:`eduint.run` (a checked rule set, a bundled rule set's stem or id,
            a rule file's path, or ``None`` for the rule set the data names).
        data: as :func:`eduint.run` (a data file, workbook, CSV folder, a county or a
            sequence of counties).
        as_of: the date to evaluate at (``None``: each county's own).
        run_options: any other keyword of :func:`eduint.run` (``overrides``,
            ``mapping``, ``complete``, ``figures``, ``resolver``, ``limits`` …); the
            evaluation always uses the record engine, the one that re-checks every fix.

    Returns:
        One :class:`~eduint.engine.gaps.GapList` per county, in the data's order.

    Raises:
        As :func:`eduint.run` (:class:`~eduint.errors.EduintError` subclasses for unknown
        rule sets, rule errors, unreadable data; ``OSError``).
    """
    return gaps_and_run(rules, data, as_of=as_of, **run_options)[0]


def gaps_and_run(
    rules: RuleSet | str | os.PathLike[str] | None,
    data: str | os.PathLike[str] | County | Sequence[County],
    *,
    as_of: datetime.date | None = None,
    **run_options: Any,
) -> tuple[tuple[GapList, ...], RunResult]:
    """:func:`gaps` and the run it searched from (its reports, loads and provenance:
    what ``eduint gaps --format html`` draws beside the list).

    Raises:
        As :func:`gaps`.
    """
    run_options.pop("engine", None)
    result = run(rules, data, as_of=as_of, engine="record", **run_options)
    given: Sequence[County] = (
        (data,)
        if isinstance(data, County)
        else data
        if isinstance(data, Sequence) and not isinstance(data, str)
        else ()
    )
    out: list[GapList] = []
    for i, cr in enumerate(result.counties):
        county = cr.load.county if cr.load is not None else given[i]
        out.append(county_gaps(result.ruleset, county, as_of=as_of, report=cr.report))
    return tuple(out), result
