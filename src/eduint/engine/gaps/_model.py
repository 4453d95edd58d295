"""The values a gap list is made of (frozen attrs, no text).

A :class:`GapList` holds one :class:`Gap` per entity and rule that is 未达到: the entity,
the comparison that failed, the fixes found (each a :class:`Fix` that was applied to a
copy of the data and re-evaluated with the same engine before it was kept), or the coded
reason no fix is listed.  Words, units as shown (名, 万元) and layout are
:mod:`eduint.reporting.gaps`'s.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

import attrs

from eduint.core.refs import EntityRef, FieldRef
from eduint.engine.results import Comparison

__all__ = [
    "REASONS",
    "Change",
    "Check",
    "ClassSplit",
    "Fix",
    "Gap",
    "GapList",
    "Share",
]

#: Why a 未达到 has no fix, by code (the words are :mod:`eduint.reporting.gaps`'s):
#:
#: ``not_actionable``  the requirement reads no figure a bureau can act on (students
#:                     enrolled, boarders, migrant children, survey answers, monitoring
#:                     results: never levers); :attr:`Gap.reads` names what it reads;
#: ``not_exact``       the levers are missing, ranges (``30多``) or approximate figures;
#: ``no_fix_found``    no change of one actionable input within 2³² steps meets it (the
#:                     input sits on the threshold side, or the requirement is not
#:                     monotone in it);
#: ``not_verified``    a fix was computed but did not pass its re-check (never shown);
#: ``classes_not_listed``  a class-size requirement on classes given only as size bands;
#: ``not_supported``   a requirement shape gaps does not handle (``outcome(…)``, a
#:                     ``cv`` over ``let`` values, a CV rule beside other failing terms).
REASONS: tuple[str, ...] = (
    "not_actionable",
    "not_exact",
    "no_fix_found",
    "not_verified",
    "classes_not_listed",
    "not_supported",
)


@attrs.frozen
class Change:
    """One change to one figure of the data.

    Attributes:
        entity: whose figure is changed (where the data writes it: a one-through
            school's whole-school area is the school's, split by segment).
        field: which figure.
        unit: the figure's unit as the data writes it (``人``, ``平方米``, ``元``, ``间``).
        before: the figure as given (exact, in :attr:`unit`).
        delta: the amount added (negative: taken away), in :attr:`unit`; a whole
            multiple of :attr:`step`.
        step: the resolution of the search: 1 for a whole-number count (人, 间, 班),
            1 平方米, 1000 元 (0.1 万元), 0.1 for a percentage, else 1.
        whole: True when the figure is a whole-number count.
        shared: True when the figure is a whole-school one that the rule set splits
            between a one-through school's segments.
        flag: True for a yes/no field (``before`` 0 for no, ``delta`` 1: set to yes).
    """

    entity: EntityRef
    field: FieldRef
    unit: str
    before: Decimal
    delta: Decimal
    step: Decimal
    whole: bool
    shared: bool = False
    flag: bool = False

    @property
    def after(self) -> Decimal:
        """The figure after the change."""
        return self.before + self.delta


@attrs.frozen
class ClassSplit:
    """The classes of one grade of one school segment, re-formed within a class-size
    limit: the grade's students divided into classes as equal as can be.

    Attributes:
        entity: the school segment.
        grade: the grade (年级), or ``None`` for the segment's classes without one.
        before: the grade's class sizes as given (人), in the data's order.
        parts: the sizes after (their sum is the same students), larger first.
    """

    entity: EntityRef
    grade: int | None
    before: tuple[int, ...]
    parts: tuple[int, ...]

    @property
    def added(self) -> int:
        """Classes added (班): possibly 0 when re-forming the same classes suffices."""
        return len(self.parts) - len(self.before)


@attrs.frozen
class Share:
    """One entity's part in a 差异系数 over its limit.

    Attributes:
        entity: the school segment.
        value: its indicator (per student, per 100 students), exact, in ``unit``.
        students: its weight (人).
        share: its share of the student-weighted variance (0–1; the shares sum to 1).
    """

    entity: EntityRef
    value: Fraction
    students: Fraction
    share: Fraction


@attrs.frozen
class Check:
    """What re-evaluating a fix with the same engine gave.

    Attributes:
        met: True when the rule is 达到 for the entity with the fix applied (a fix is
            kept only then).
        one_less_fails: True when one step less leaves the rule not 达到: one step off
            any one change (one teacher, one room, 1 平方米, 0.1 万元), or one class
            fewer in any grade re-formed; ``None`` when not asked (a 差异系数 plan, whose
            amounts are per school: see :mod:`eduint.engine.gaps._cvplan`).
        after: the rule's deciding comparison for the entity after the fix (the
            re-evaluated 差异系数 of a plan), or ``None``.
    """

    met: bool
    one_less_fails: bool | None
    after: Comparison | None = None


@attrs.frozen
class Fix:
    """One way to turn a 未达到 into 达到, verified.

    Attributes:
        kind: ``"lever"`` (one input of one entity, the smallest change that meets the
            requirement), ``"indicators"`` (for an ``at_least(k, […])`` rule: the
            fewest indicators to bring up, each with its change), ``"plan"`` (a
            差异系数: raise the schools below the mean), ``"plans"`` (a composite of
            several 差异系数: each capped at one level by its own plan), ``"classes"`` (re-form a grade's
            classes within a class-size limit, adding the fewest).
        changes: the changes to figures (empty for ``"classes"``).
        targets: the comparisons of the requirement the changes bring up, as canonical
            rule text, one per change (``"indicators"``, ``"lever"``; empty otherwise).
        splits: the grades whose classes are re-formed (``"classes"``).
        total: the total of the changes in their unit (a ``"plan"``'s total), or the
            classes added; ``None`` when the changes are to different figures.
        check: the re-check.
    """

    kind: str
    changes: tuple[Change, ...]
    check: Check
    targets: tuple[str, ...] = ()
    splits: tuple[ClassSplit, ...] = ()
    total: Decimal | None = None


@attrs.frozen
class Gap:
    """A rule that is 未达到 for one entity, with its fixes or why there are none.

    Attributes:
        rule: the rule's id; title, title_en: its titles.
        kind: what the requirement compares: ``"ratio"`` (a ratio, share, per-student or
            per-100 figure), ``"at_least"`` (k of n indicators, with floors),
            ``"cv"`` (a 差异系数), ``"class_size"``, or ``"other"``.
        entity: the entity that fails (the county's segment for a 差异系数).
        evidence: the comparison that decided the 未达到 (the report's evidence).
        fixes: the verified fixes, alternatives to one another (each alone suffices).
        reason: a code of :data:`REASONS` when no fix is listed, else ``None``.
        shares: for a 差异系数, every school's share of the variance, largest first.
        reads: the figures the requirement reads outside aggregates, in reading order
            (what a ``not_actionable`` reason names).
    """

    rule: str
    title: str | None
    title_en: str | None
    kind: str
    entity: EntityRef
    evidence: Comparison | None
    fixes: tuple[Fix, ...] = ()
    reason: str | None = None
    shares: tuple[Share, ...] = ()
    reads: tuple[FieldRef, ...] = ()

    @property
    def explained(self) -> bool:
        """True when the gap has a fix or a stated reason."""
        return bool(self.fixes) or self.reason is not None


@attrs.frozen
class GapList:
    """The 整改清单 of one county under one rule set.

    Attributes:
        ruleset_id, ruleset_title, ruleset_title_en: the rule set.
        county, county_code: the county's name and code.
        as_of: the date evaluated at.
        gaps: one per rule and failing entity, in rule-file order, entities in the
            documented order.
    """

    ruleset_id: str
    ruleset_title: str | None
    ruleset_title_en: str | None
    county: str
    county_code: str | None
    as_of: datetime.date | None
    gaps: tuple[Gap, ...]

    def __iter__(self) -> Iterator[Gap]:
        return iter(self.gaps)

    @property
    def unexplained(self) -> tuple[Gap, ...]:
        """Gaps with neither a fix nor a reason (none, by construction; tests count)."""
        return tuple(g for g in self.gaps if not g.explained)
