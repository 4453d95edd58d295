"""Outcomes and the report the evaluator returns.

Five outcomes, never two (达到 met, 基本达到 basically met, 未达到 not met,
不适用 not applicable, 缺少数据 no data), each with its evidence.  All classes
are frozen; the report is plain data that :mod:`eduint.reporting` renders
without recomputing anything.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Iterator

import attrs

from eduint.data.models import SelfStatus

__all__ = [
    "Check",
    "EntityResult",
    "Input",
    "ItemResult",
    "Outcome",
    "Report",
    "ReportValue",
    "SectionResult",
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


@attrs.frozen
class Input:
    """A data figure the evaluation read.

    Attributes:
        where: the data path of the entity (``schools[2].segments.小学``).
        field: the field's English name.
        label: the field's Chinese label.
        value: the figure as shown (``约212``, ``30–39``), or ``None`` when missing.
    """

    where: str
    field: str
    label: str | None
    value: str | None


@attrs.frozen
class ReportValue:
    """A value a rule shows: a ``report`` line, or the value and threshold of a comparison.

    Attributes:
        name: its name (``大班额比例``) or ``None``.
        text: the value as displayed with its unit, or ``None`` when it could not be computed.
        missing: what was missing when it could not be computed.
    """

    name: str | None
    text: str | None
    missing: tuple[str, ...] = ()


@attrs.frozen
class Check:
    """One comparison of a requirement, as it came out for one entity.

    Attributes:
        text: the comparison as rule text (``L1 >= 高学历教师标准``).
        value: the left side as displayed; threshold: the right side as displayed.
        met: True, False, or ``None`` when undecided (missing figures).
        group: ``"at_least"`` when the comparison is one of the conditions an
            ``at_least(k, [...])`` counts (the 7 indicators of the 2017 resource
            block), else ``None``.
    """

    text: str
    value: str | None
    threshold: str | None
    met: bool | None
    group: str | None = None


@attrs.frozen
class EntityResult:
    """The outcome of a rule for one entity (a school, segment, class or county segment).

    Attributes:
        entity: the entity's display name (``育人小学 小学``).
        where: its data path.
        outcome: the outcome, or ``None`` for a report-only evaluation.
        value: the main value as displayed.
        threshold: the threshold as displayed.
        margin: the signed margin (value − threshold for ≥, threshold − value for ≤), displayed.
        reason: why 不适用 or 缺少数据.
        missing: the missing figures.
        flags: ``"approximate"``, ``"borderline"``, ``"provisional"`` ...
        values: the rule's ``report`` values for this entity (a school's indicators).
        checks: every comparison of the requirement for this entity, in order
            (comparisons inside aggregates are not listed).
        details: what this entity's evaluation left out, split or found (for a
            差异系数: the schools with the largest shares of the variance).
    """

    entity: str
    where: str
    outcome: Outcome | None
    value: str | None = None
    threshold: str | None = None
    margin: str | None = None
    reason: str | None = None
    missing: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    values: tuple[ReportValue, ...] = ()
    checks: tuple[Check, ...] = ()
    details: tuple[str, ...] = ()


@attrs.frozen
class ItemResult:
    """The result of one item, part or rule: 自评 beside 核算, and the headline.

    Attributes:
        id: the item/part label or rule id.
        kind: ``"item"``, ``"part"`` or ``"rule"``.
        section: the labels of the enclosing sections/blocks (``("一",)``).
        title: Chinese title; title_en: English title or ``None``.
        self_status: the county's own word (自评), or ``None`` when it gave none.
        self_outcome: 自评 mapped to an outcome (试行 → 基本达到; 未说明 → 缺少数据).
        self_evidence: the county's sentence; self_actor: who answered; self_note: a note.
        computed: 核算, the outcome the data supports, or ``None`` when there is no
            computed rule (or it is report-only).
        headline: the verdict shown: 核算 where the data decides it, else 自评 mapped;
            ``None`` only for a report-only rule the county did not answer.
        report_only: True when the rule shows values and gives no verdict.
        provisional: True when the headline rests on a provisional threshold.
        disagreement: True when 自评 and 核算 are both decided and differ.
        requirement: the requirement as rule text.
        value, threshold, margin, unit: the main comparison's figures as displayed.
        period: the period the threshold is in force (``2017-01-01–``).
        reason: why 不适用 / 缺少数据 / report-only.
        missing: the missing figures and entities.
        failing: the entities that fail.
        entities: per-entity results for school/segment/class/county-segment scopes.
        reports: the values the rule shows.
        inputs: the data figures read.
        sources: citations, as text.
        notes: notes of the rule.
        flags: ``approximate``, ``borderline``, ``provisional``, ``disagreement`` ...
        details: what the evaluation left out and why (settings, 0 students), how a
            one-through school's figures were split, and which schools contribute
            most to a 差异系数's variance.
    """

    id: str
    kind: str
    section: tuple[str, ...]
    title: str | None
    title_en: str | None
    self_status: SelfStatus | None
    self_outcome: Outcome | None
    self_evidence: str | None
    self_actor: str | None
    self_note: str | None
    computed: Outcome | None
    headline: Outcome | None
    report_only: bool
    provisional: bool
    disagreement: bool
    requirement: str | None = None
    value: str | None = None
    threshold: str | None = None
    margin: str | None = None
    unit: str | None = None
    period: str | None = None
    reason: str | None = None
    missing: tuple[str, ...] = ()
    failing: tuple[str, ...] = ()
    entities: tuple[EntityResult, ...] = ()
    reports: tuple[ReportValue, ...] = ()
    inputs: tuple[Input, ...] = ()
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    details: tuple[str, ...] = ()


@attrs.frozen
class SectionResult:
    """The roll-up of a section or block.

    Attributes:
        kind: ``"section"`` or ``"block"``; id: its label or id; title: its title.
        outcome: the combined headline (``None`` when nothing in it has an outcome).
        vetoed: the veto items that failed, if any.
    """

    kind: str
    id: str
    title: str | None
    outcome: Outcome | None
    vetoed: tuple[str, ...] = ()


@attrs.frozen
class Report:
    """What :func:`eduint.evaluate` returns.

    Attributes:
        ruleset_id, ruleset_title, ruleset_version: the rule set evaluated.
        county: the county's name; county_code: its code.
        as_of: the date the evaluation used, or ``None`` when neither the caller
            nor the data gave one and the rule set has no dated values.
        as_of_basis: ``"argument"``, ``"stated"``, ``"inferred"`` (or
            ``"inferred (1 September of the school year)"``), or ``"none"``.
        items: item, part and rule results in rule-file order.
        sections: section and block roll-ups in file order.
        overall: the rule set's overall verdict.
        warnings: things the evaluator noticed (county figure differs from the
            sum over schools, approximate figures used, ...).
        provisional_values: the provisional values the evaluation used, as text.
        overrides: the overrides of this run (``--set``), each with its strictness
            verdict (:class:`eduint.checking.overrides.Override`); set by
            :func:`eduint.run`, empty from :func:`eduint.evaluate`.
    """

    ruleset_id: str
    ruleset_title: str | None
    ruleset_version: str | None
    county: str
    county_code: str | None
    as_of: datetime.date | None
    as_of_basis: str
    items: tuple[ItemResult, ...]
    sections: tuple[SectionResult, ...]
    overall: Outcome | None
    warnings: tuple[str, ...] = ()
    provisional_values: tuple[str, ...] = ()
    overrides: tuple[object, ...] = ()

    def __iter__(self) -> Iterator[ItemResult]:
        return iter(self.items)

    def item(self, id_: str) -> ItemResult:
        """The result with this id.

        Raises:
            KeyError: no such item, part or rule.
        """
        for r in self.items:
            if r.id == id_:
                return r
        raise KeyError(id_)

    def headlines(self) -> dict[str, Outcome | None]:
        """id → headline, for every item, part and rule."""
        return {r.id: r.headline for r in self.items}

    def exit_code(self, *, strict: bool = False) -> int:
        """0 when no headline is 未达到, else 1; with ``strict``, 基本达到 and
        缺少数据 headlines also give 1."""
        bad = {Outcome.NOT_MET}
        if strict:
            bad |= {Outcome.BASICALLY_MET, Outcome.NO_DATA}
        return 1 if any(r.headline in bad for r in self.items) else 0
