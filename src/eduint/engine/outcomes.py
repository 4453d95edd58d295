"""The outcomes of rules and the small values every result carries, apart from the
report itself (:mod:`eduint.engine.results`, which re-exports them): the five outcomes
and how they combine, the flags, where the date came from, author text, periods, the
provisional values a verdict rests on, and what the population pass did to an entity.

Kept apart so that code that only needs an outcome's code (the columnar engine, a
many-county summary, the message catalogue) does not build the report's classes: a
national run imports this module, not the report's (~5 ms of attrs classes).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from fractions import Fraction

import attrs

from eduint.core.refs import EntityRef
from eduint.core.values import Reason
from eduint.data.models import SelfStatus

__all__ = [
    "AsOfBasis",
    "Disposition",
    "Flag",
    "Outcome",
    "Period",
    "ProvisionalUse",
    "Text",
    "combine_worst",
    "from_self_status",
]


class Outcome(str, enum.Enum):
    """The verdict of a rule, part, item, block or rule set."""

    MET = "达到"
    BASICALLY_MET = "基本达到"
    NOT_MET = "未达到"
    NOT_APPLICABLE = "不适用"
    NO_DATA = "缺少数据"

    @property
    def english(self) -> str:
        """The English label: met, basically met, not met, not applicable, no data."""
        return _ENGLISH[self]

    @property
    def decided(self) -> bool:
        """True unless the outcome is 缺少数据."""
        return self is not Outcome.NO_DATA

    def label(self, lang: str = "zh") -> str:
        """The label in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.english if lang == "en" else self.value


_ENGLISH = {
    Outcome.MET: "met",
    Outcome.BASICALLY_MET: "basically met",
    Outcome.NOT_MET: "not met",
    Outcome.NOT_APPLICABLE: "not applicable",
    Outcome.NO_DATA: "no data",
}

# Worst first: 未达到 > 缺少数据 > 基本达到 > 达到 (issue: evaluator, part combination).
_SEVERITY = {
    Outcome.NOT_MET: 3,
    Outcome.NO_DATA: 2,
    Outcome.BASICALLY_MET: 1,
    Outcome.MET: 0,
}


def combine_worst(outcomes: Iterable[Outcome | None]) -> Outcome | None:
    """Combine outcomes by the default rule.

    Leave out ``None`` (no outcome in this column) and 不适用; if every outcome
    left is 不适用 the result is 不适用; otherwise the worst of
    未达到 > 缺少数据 > 基本达到 > 达到.

    Returns:
        The combined outcome, or ``None`` when there was nothing to combine.
    """
    present = [o for o in outcomes if o is not None]
    if not present:
        return None
    decided = [o for o in present if o is not Outcome.NOT_APPLICABLE]
    if not decided:
        return Outcome.NOT_APPLICABLE
    return max(decided, key=_SEVERITY.__getitem__)


def from_self_status(status: SelfStatus) -> Outcome:
    """Map the county's own word (自评) to an outcome: 试行 → 基本达到, 未说明 → 缺少数据."""
    return {
        SelfStatus.MET: Outcome.MET,
        SelfStatus.BASICALLY_MET: Outcome.BASICALLY_MET,
        SelfStatus.IN_TRIAL: Outcome.BASICALLY_MET,
        SelfStatus.NOT_MET: Outcome.NOT_MET,
        SelfStatus.NOT_APPLICABLE: Outcome.NOT_APPLICABLE,
        SelfStatus.NOT_STATED: Outcome.NO_DATA,
    }[status]


class Flag(str, enum.Enum):
    """A mark on a result; reporting words it through the catalogue."""

    APPROXIMATE = "approximate"  # computed from approximate figures (约…), used as stated
    BORDERLINE = "borderline"  # within the rule's margin of its threshold
    PROVISIONAL = "provisional"  # rests on a provisional threshold, setting or rule
    DISAGREEMENT = "disagreement"  # 自评 and 核算 both decided and differ
    REPORT_ONLY = "report-only"  # shows values, gives no verdict
    RELAXED = "relaxed"  # a threshold or setting the run overrode looser (--set), uncited


class AsOfBasis(str, enum.Enum):
    """Where the date the evaluation used came from."""

    ARGUMENT = "argument"  # the caller (--as-of)
    STATED = "stated"  # the data states it
    INFERRED = "inferred"  # the data's date, marked inferred by the data
    SCHOOL_YEAR = "school_year"  # 1 September of the data's school year
    NONE = "none"  # no date, and the rule set has no dated values


@attrs.frozen(cache_hash=True)
class Text:
    """Author text from a rule file, with its English variant when the file gives one."""

    zh: str
    en: str | None = None


@attrs.frozen(cache_hash=True)
class Period:
    """The period a dated value is in force: first and last day, ``None`` for open."""

    start: datetime.date | None
    end: datetime.date | None


@attrs.frozen(cache_hash=True)
class ProvisionalUse:
    """A provisional value, setting, period or rule a decided verdict rests on.

    Attributes:
        kind: ``"value"``, ``"key"`` (one entry of a keyed value), ``"period"``,
            ``"setting"`` or ``"rule"``.
        name: the value's or setting's name, the key, the rule id; for a period, the
            value's name.
        period: the period, for ``kind == "period"``.
        reason: why it is provisional, as the rule file (or the settings registry) says,
            with its English variant when the file (or the registry) gives one.
        title: the title of the value (for ``"value"``, ``"key"`` and ``"period"``: the
            value the key or period belongs to) or rule, in Chinese with its English
            variant, or ``None`` (settings: the registry labels them; untitled values).
    """

    kind: str
    name: str
    reason: Text | None
    period: Period | None = None
    title: Text | None = None


@attrs.frozen
class Disposition:
    """An entity the population pass left out, merged or split, and why (every report
    format lists these).

    Attributes:
        entity: the entity.
        action: ``"left_out"``, ``"merged"`` or ``"split"``.
        reason: the coded reason (``LEFT_OUT_SPECIAL``, ``MERGED_TEACHING_POINT``,
            ``ZERO_STUDENTS``, ``SPLIT_SHARE`` …).
        setting: the setting that decided it, or ``None``.
        into: for a merge, the school merged into.
        share: for a split, the segment's share (exact).
    """

    entity: EntityRef
    action: str
    reason: Reason
    setting: str | None = None
    into: EntityRef | None = None
    share: Fraction | None = None
