"""Outcomes and the report the evaluator returns (report contract v2, issue 12).

Five outcomes, never two (达到 met, 基本达到 basically met, 未达到 not met, 不适用 not
applicable, 缺少数据 no data), each with its evidence.  All classes are frozen and hold
*values*, never display text: numbers are exact (``int``/``Fraction``, or an
:class:`~eduint.core.values.Interval`) in canonical units together with the
:class:`~eduint.core.units.Unit` they are shown in; reasons, warnings and flags are codes
with arguments.  Formatting (precision, units, 约, verdict-preserving digits, 差距) and
words (Chinese or English, through the message catalogue) happen in :mod:`eduint.reporting`
only.  Entities are listed in the documented order (:meth:`EntityRef.sort_key`), never in
input order.  Where an entity's figures came from (file, sheet, row) is provenance, kept
outside the report.

This file is the contract between the engine (which builds these) and reporting (which
renders them).  Field names below are the contract; helpers may add fields with defaults,
never remove or rename one without the lead.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from eduint.checking.ruleset import Origin, SourceRef  # where set; document, number, article
from eduint.core.refs import EntityRef, FieldRef
from eduint.core.units import Unit
from eduint.core.values import Interval, Reason, parts, ratio
from eduint.data.models import Actor, SelfStatus
from eduint.engine.outcomes import (
    AsOfBasis,
    Disposition,
    Flag,
    Outcome,
    Period,
    ProvisionalUse,
    Text,
    combine_worst,
    from_self_status,
)
from eduint.errors import EduintError

if TYPE_CHECKING:
    from eduint.engine.explain import Explanation

__all__ = [
    "COMPUTED",
    "AsOfBasis",
    "Comparison",
    "Disposition",
    "EntityRef",
    "EntityResult",
    "ExplainError",
    "FieldRef",
    "Flag",
    "Input",
    "ItemResult",
    "Layer",
    "LayerChange",
    "Outcome",
    "Period",
    "ProvisionalUse",
    "Quantity",
    "Report",
    "SectionResult",
    "Shown",
    "Text",
    "combine_worst",
    "from_self_status",
]


@attrs.frozen
class Quantity:
    """A number with the unit it is shown in.

    Attributes:
        value: exact number or :class:`Interval`, in the canonical unit of ``unit``'s
            dimensions (so ``value / unit.scale`` is the number in ``unit``).  An
            :class:`Interval` is a range of possible figures (``30多``), an approximate
            figure (``approx``, ``lo == hi``), or a *bracket* (``bracket``): one
            irrational number such as a 差异系数, known between ``lo`` and ``hi`` to a
            relative 1e-40, with its exact ``square`` when it is a square root.
        unit: the unit shown (the threshold's unit as written, else the figure's).
    """

    value: int | Fraction | Interval
    unit: Unit


@attrs.frozen
class Comparison:
    """One comparison of a requirement, as it came out for one entity.

    Attributes:
        text: the comparison as canonical rule text (``L1 >= 85% * 高学历教师标准``).
        op: the comparator: ``>= > <= < == !=``.
        left: the figure side, or ``None`` when unknown.
        right: the threshold side, or ``None`` when unknown.
        met: True, False, or ``None`` when undecided.
        group: ``"at_least"`` when it is one of the conditions an ``at_least(k, [...])``
            counts, else ``None``.
        measure: what the figure side measures, when it is more than a figure:
            ``"cv"`` for a 差异系数 (a ``cv(…)`` aggregate, directly, through a ``let`` or
            combined with others, such as the mean of eight CVs), else ``None``.
            Structural, from the rule: reports need not infer a CV from its values.
        figure: the figure side as canonical rule text (``L2``), or ``None``.
        subject: the name of the report line (``report 骨干教师 = L2``) whose expression
            is the figure side, or ``None``.  Structural, from the rule: a report names a
            comparison by it, never by matching values (two indicators both 0 are two
            names).  Neither is written in the JSON report (its ``text`` says both).

    :attr:`margin` and :attr:`shortfall` are computed from these when read (read-only
    properties, not attrs fields: see :data:`COMPUTED`).
    """

    text: str
    op: str
    left: Quantity | None
    right: Quantity | None
    met: bool | None
    group: str | None = None
    measure: str | None = None
    figure: str | None = attrs.field(default=None, metadata={"written": False})
    subject: str | None = attrs.field(default=None, metadata={"written": False})

    @property
    def margin(self) -> int | Fraction | None:
        """Signed distance to the threshold in ``right``'s unit (the canonical difference
        divided by ``right.unit.scale``: ``0.5`` for 0.5 万元), positive when met with
        room (``left - right`` for ``>= >``, ``right - left`` for ``<= <``; an
        approximate figure counts as stated), or ``None`` (unknown side, a range, or
        ``== !=``).  For a bracket (an irrational 差异系数) it is computed from the
        bracket's end nearer the threshold whose margin has the sign ``met`` says."""
        return _margin(self)[0]

    @property
    def shortfall(self) -> int | Fraction | None:
        """``-margin / |right|`` (both in ``right``'s unit, so a pure number) for a failing
        ordered comparison with a non-zero threshold (the relative shortfall that ranks
        the worst entity), else ``None``."""
        return _margin(self, shortfall=True)[1]


#: Attributes of result classes computed from their fields when read, not stored: a
#: writer that lists a class's attrs fields (JSON, a schema) adds these.  Computing the
#: margin of every comparison of a county up front cost a fifth of an evaluation.
COMPUTED: dict[type, tuple[str, ...]] = {Comparison: ("margin", "shortfall")}

_ORDERED = frozenset((">=", ">", "<=", "<"))


def _ends(x: int | Fraction | Interval) -> tuple[int | Fraction, ...] | None:
    """The values a one-number side may take for a margin: itself; an approximate
    figure's stated value; a bracket's two ends.  ``None`` for a range."""
    if not isinstance(x, Interval):
        return (x,)
    if x.lo == x.hi:
        return (x.lo,)
    if x.bracket:
        return (x.lo, x.hi)
    return None


def _margin(
    c: Comparison, *, shortfall: bool = False
) -> tuple[int | Fraction | None, int | Fraction | None]:
    """``(margin, shortfall)`` of a comparison (see :class:`Comparison`), in integers."""
    op = c.op
    if op not in _ORDERED or c.left is None or c.right is None:
        return None, None
    ea, eb = _ends(c.left.value), _ends(c.right.value)
    if ea is None or eb is None:
        return None, None
    sign = 1 if op in (">=", ">") else -1
    if len(ea) == 1 and len(eb) == 1:
        a, b = ea[0], eb[0]
    else:
        a, b = _pick_ends(sign, ea, eb, c.met)
    an, ad = parts(a)
    bn, bd = parts(b)
    num = sign * (an * bd - bn * ad)  # the margin is num / (ad · bd) canonical units
    den = ad * bd
    sf = None
    if shortfall and c.met is False and bn != 0:
        # −(num / den) ÷ (|bn| / bd)
        sf = ratio(-num * bd, den * abs(bn))
    if not shortfall:
        scale = c.right.unit.scale
        return ratio(num * scale.denominator, den * scale.numerator), None
    return None, sf


def _pick_ends(
    sign: int, ea: tuple[int | Fraction, ...], eb: tuple[int | Fraction, ...], met: bool | None
) -> tuple[int | Fraction, int | Fraction]:
    """The ends of bracketed sides that give a margin of the verdict's sign, nearest the
    threshold."""
    pairs = sorted(((sign * (a - b), a, b) for a in ea for b in eb), key=lambda t: t[0])
    if met is False:
        fitting = [p for p in pairs if p[0] <= 0]
        _, a, b = fitting[-1] if fitting else pairs[0]
    else:
        fitting = [p for p in pairs if p[0] >= 0]
        _, a, b = fitting[0] if fitting else pairs[-1]
    return a, b


@attrs.frozen
class Shown:
    """A value a rule shows without a verdict of its own (a ``report`` line).

    Attributes:
        name: its name (``大班额比例``), or ``None``.
        value: a :class:`Quantity`, a condition, a text or symbol, or ``None`` when unknown.
        reasons: why it is unknown (empty when known).
    """

    name: str | None
    value: Quantity | bool | str | None
    reasons: tuple[Reason, ...] = ()


@attrs.frozen
class Input:
    """A data figure the evaluation read.

    Attributes:
        entity: whose figure.
        field: which field.
        value: the figure (a :class:`Quantity` in the field's unit, a flag, a text or
            symbol), or ``None`` when missing.
        text: the figure as written in the data (``约212``, ``30多``), or ``None``.
    """

    entity: EntityRef
    field: FieldRef
    value: Quantity | bool | str | None
    text: str | None = None


@attrs.frozen
class EntityResult:
    """The outcome of a rule for one entity (a school, segment, class or county segment).

    Attributes:
        entity: which entity.
        outcome: the outcome, or ``None`` for a report-only evaluation.
        evidence: the comparison that decided the outcome: for a failed requirement
            (未达到, 基本达到) the failing comparison with the largest relative shortfall
            (ties: the first in the requirement); for 达到 the requirement's headline
            comparison when it holds, else the first that holds; for 缺少数据 and 不适用
            the first undecided comparison; for a report-only period the headline
            comparison (its threshold ``None``); ``None`` when there is none.
        comparisons: every top-level comparison of the requirement, in requirement order
            (comparisons inside aggregates are not listed; the right side of an ``and`` /
            ``or`` whose left side decides alone is not evaluated, so its comparisons
            are not listed either).  For a report-only period: the headline comparison,
            its threshold ``None``.
        reasons: why 不适用, 缺少数据 or report-only: first the outcome's own code
            (``MISSING_FIGURES``, ``DOES_NOT_APPLY`` …), then the missing figures and other
            reasons, without repeats.
        flags: the entity's flags.
        shown: the rule's ``report`` values for this entity.
        notes: what this entity's evaluation left out, split or found (coded).
    """

    entity: EntityRef
    outcome: Outcome | None
    evidence: Comparison | None = None
    comparisons: tuple[Comparison, ...] = ()
    reasons: tuple[Reason, ...] = ()
    flags: tuple[Flag, ...] = ()
    shown: tuple[Shown, ...] = ()
    notes: tuple[Reason, ...] = ()


@attrs.frozen
class ItemResult:
    """The result of one item, part or rule: 自评 beside 核算, and the headline.

    Attributes:
        id, kind, section, title, title_en: as today (``section``: enclosing labels).
        self_status, self_outcome, self_evidence, self_actor, self_note: the county's
            answer (自评) for this rule set, as today (``self_actor`` the enum).
        computed, headline, report_only, provisional, disagreement: as today.
        requirement: the requirement as canonical rule text, or ``None``.
        evidence: the headline evidence: the comparison that decided the verdict — for
            未达到 a failing comparison at the worst entity (the largest relative
            shortfall; ties by entity order) — else the headline entity's evidence.
        evidence_entity: the entity of :attr:`evidence` (``None`` for a county rule).
        periods: the periods in force of the dated values used.
        reasons: why 不适用, 缺少数据 or report-only (codes), without repeats.
        failing: the entities that fail, in entity order (empty for an item with parts).
        failing_parts: for an item with parts, the ids of the parts whose headline is
            未达到, in file order.
        entities: per-entity results for school/segment/class/county-segment scopes, in
            entity order (empty for a county rule).
        shown: the values the rule shows (a county rule's, or a single entity's).
        inputs: the data figures read, in the order first read.
        sources: citations (the rule's, then those of the values used).
        notes: the rule's notes.
        flags: the item's flags (sorted by value).
        notes_found: what the evaluation left out, split or found, for this rule (coded:
            ``ZERO_STUDENTS``, ``SPLIT_SHARE``, ``CV_SHARES`` …).
        provisional_reason: the rule's own provisional marker, or ``None``.
        set_by: for a rule set that extends another, where the requirement and the
            thresholds it reads were set (the national file, the provincial one, or
            both; the national first); empty otherwise.
    """

    id: str
    kind: str
    section: tuple[str, ...]
    title: str | None
    title_en: str | None
    self_status: SelfStatus | None
    self_outcome: Outcome | None
    self_evidence: str | None
    self_actor: Actor | None
    self_note: str | None
    computed: Outcome | None
    headline: Outcome | None
    report_only: bool
    provisional: bool
    disagreement: bool
    requirement: str | None = None
    evidence: Comparison | None = None
    evidence_entity: EntityRef | None = None
    periods: tuple[Period, ...] = ()
    reasons: tuple[Reason, ...] = ()
    failing: tuple[EntityRef, ...] = ()
    entities: tuple[EntityResult, ...] = ()
    shown: tuple[Shown, ...] = ()
    inputs: tuple[Input, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    notes: tuple[Text, ...] = ()
    flags: tuple[Flag, ...] = ()
    notes_found: tuple[Reason, ...] = ()
    provisional_reason: Text | None = None
    failing_parts: tuple[str, ...] = ()
    set_by: tuple[Origin, ...] = ()


@attrs.frozen
class Layer:
    """A rule set the report's rule set extends (issue 15).

    Attributes:
        id: its ``ruleset`` id; title: its Chinese title, or ``None``.
        file: its rule file as reports name it (``bundled:…`` or a path).
        title_en: its English title, or ``None``.
    """

    id: str
    title: str | None
    file: str
    title_en: str | None = None


@attrs.frozen
class LayerChange:
    """A change the rule set makes to what it extends: an override proved at least as
    strict, a relaxation or a drop with its citation and expiry, or a replaced
    placeholder.

    Attributes:
        kind: ``override``, ``relax``, ``drop`` or ``placeholder``.
        target: ``rule``, ``value``, ``setting`` or ``member`` (a section or block).
        name: the element as a rule file writes it (``差异系数上限.初中``, ``12.1``).
        period: the period a value's change covers, or ``None``.
        old: the parent's requirement or value as rule text; new: the child's (empty
            for a drop).
        verdict: the strictness proof's verdict (``stricter``, ``same``, ``looser``,
            ``undecided``, ``method``; ``placeholder``; a drop is ``looser``).
        because: the citation of a relaxation or drop, or ``None``.
        until: the last day a relaxation is in force, or ``None``.
        lapsed: True when :attr:`until` is before the evaluation date: the parent's
            rule, value or setting applied.
        origin: where the change is written (file, line).
    """

    kind: str
    target: str
    name: str
    period: Period | None
    old: str
    new: str
    verdict: str
    because: SourceRef | None = None
    until: datetime.date | None = None
    lapsed: bool = False
    origin: Origin | None = None


@attrs.frozen
class SectionResult:
    """The roll-up of a section or block (as today, plus ``title_en``)."""

    kind: str
    id: str
    title: str | None
    title_en: str | None
    outcome: Outcome | None
    vetoed: tuple[str, ...] = ()


class ExplainError(EduintError):
    """:meth:`Report.explain` cannot explain: no trace, an unknown rule or entity (the
    message is one line with a hint listing near names)."""


@attrs.frozen
class Report:
    """What :func:`eduint.evaluate` returns for one county.

    Attributes:
        ruleset_id, ruleset_title, ruleset_title_en, ruleset_version: the rule set.
        county: the county's name; county_code: its code.
        as_of: the date used; as_of_basis: where it came from.
        items: item, part and rule results in rule-file order.
        sections: section and block roll-ups in file order.
        overall: the overall verdict.
        warnings: things the evaluation noticed (coded: ``FIGURE_DIFFERS``,
            ``APPROXIMATE_USED``, ``FOREIGN_ANSWERS``, ``UNUSED_ANSWERS`` …), in order,
            without repeats.
        provisional_uses: the provisional values, settings and periods decided verdicts
            rest on.
        dispositions: every entity the population pass left out, merged or split.
        overrides: the overrides of this run (``--set``), each with its strictness
            verdict (:class:`eduint.checking.overrides.Override`); set by
            :func:`eduint.run`, empty from :func:`eduint.evaluate`.
        display_precision: the rule set's ``display_precision`` setting (decimal places
            reporting rounds to before adding the digits a verdict needs).
        extends: the rule sets the rule set extends, nearest first (issue 15); empty for
            one that extends none.
        changes: what it changes of them: every relaxation and drop with its citation
            and expiry, every replaced placeholder, every override, in file order.
        trace: the evaluation trace (:class:`eduint.engine._trace.Trace`) when the
            report was evaluated with ``trace=True``, else ``None`` (the default: an
            ordinary evaluation records none).  Not part of equality; no format writes
            it (its field's metadata ``written`` is False); :meth:`explain` reads it.
    """

    ruleset_id: str
    ruleset_title: str | None
    ruleset_title_en: str | None
    ruleset_version: str | None
    county: str
    county_code: str | None
    as_of: datetime.date | None
    as_of_basis: AsOfBasis
    items: tuple[ItemResult, ...]
    sections: tuple[SectionResult, ...]
    overall: Outcome | None
    warnings: tuple[Reason, ...] = ()
    provisional_uses: tuple[ProvisionalUse, ...] = ()
    dispositions: tuple[Disposition, ...] = ()
    overrides: tuple[object, ...] = ()
    display_precision: int = 3
    extends: tuple[Layer, ...] = ()
    changes: tuple[LayerChange, ...] = ()
    # not report content: no format writes it (``metadata``), equality ignores it
    trace: object | None = attrs.field(
        default=None, eq=False, repr=False, metadata={"written": False}
    )

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

    def explain(self, rule: str, entity: str | None = None) -> Explanation:
        """How the figures of the data led to ``rule``'s outcome (issue 20): each input
        figure with the cell it came from, every intermediate value, the comparison,
        the threshold with its citation, period and the file that set it.

        Args:
            rule: the rule's (item's, part's) id or its Chinese title.
            entity: a school's id or name, a school segment (``SX004/初中``, or the
                school and its segment), a county segment (``小学``); ``None``: the
                county, or for a rule per entity the first failing entity (else the
                first one).

        Returns:
            The :class:`~eduint.engine.explain.Explanation` (structured: values, not text;
            :func:`eduint.reporting.explain_text` words it).

        Raises:
            ExplainError: the report holds no trace (evaluate with ``trace=True``), or
                no rule or entity of that name (the message lists near names).
        """
        explainer = getattr(self.trace, "explainer", None)
        if explainer is None:
            raise ExplainError(
                "error: this report holds no evaluation trace: evaluate with trace=True "
                "(eduint.evaluate(rules, county, trace=True)) to explain it"
            )
        result: Explanation = explainer(self, rule, entity)
        return result

    def _repr_html_(self) -> str | None:
        """The report's tables as HTML for a notebook (Jupyter), drawn by the reports
        (:mod:`eduint.reporting.notebook`, registered in :mod:`eduint.engine._display`);
        ``None`` (the plain ``repr``) when they are not loaded."""
        from eduint.engine._display import html_of

        return html_of(self)

    def headlines(self) -> dict[str, Outcome | None]:
        """id → headline, for every item, part and rule."""
        return {r.id: r.headline for r in self.items}

    def to_arrow(self) -> Any:
        """The report as a ``pyarrow.Table``: one row per item, part and rule and one per
        entity outcome (:mod:`eduint.engine.report_table`; pyarrow imported only here).

        Raises:
            ImportError: pyarrow is not installed (the message says how to install it).
        """
        from eduint.engine.report_table import report_arrow

        return report_arrow(self)

    def to_pandas(self) -> Any:
        """:meth:`to_arrow` as a ``pandas.DataFrame`` (pandas imported only here).

        Raises:
            ImportError: pandas or pyarrow is not installed.
        """
        from eduint.engine._optional import need

        need("pandas", "to_pandas()")
        return self.to_arrow().to_pandas()

    def exit_code(self, *, strict: bool = False) -> int:
        """0 when no headline is 未达到, else 1; with ``strict``, 基本达到 and
        缺少数据 headlines also give 1."""
        bad = {Outcome.NOT_MET}
        if strict:
            bad |= {Outcome.BASICALLY_MET, Outcome.NO_DATA}
        return 1 if any(r.headline in bad for r in self.items) else 0
