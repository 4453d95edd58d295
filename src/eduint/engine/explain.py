"""Explanations: from the cells of the data to a rule's outcome (issue 20, ``eduint explain``).

:meth:`Report.explain <eduint.engine.results.Report.explain>` reads the evaluation trace
(:mod:`eduint.engine._trace`: recorded only when ``evaluate(…, trace=True)`` asks) and
returns an :class:`Explanation`: structured data, never text (the words are
:mod:`eduint.reporting.explain`'s).  It lists, children before parents, every value the
requirement of one rule computed for one entity (:class:`Step`): each data figure with
the cells it came from (file, sheet, row, column and the cell's text, re-read from the
file), every sum, ratio, per-student and per-100 figure, every 差异系数 with its schools,
weights, mean, variance and shares, each threshold with its citation, period, keyed
entry and the rule file that set it (national or provincial), and the comparisons.

Everything shown is what the evaluation computed, read from its trace; only a
差异系数's mean, variance and shares are recomputed from the traced figures and weights
(:func:`eduint.core.statistics.cv_parts`, the evaluator's own arithmetic), and the
CV² they give is the evaluated CV's (``tests/test_explain.py``).
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import attrs

from eduint.checking.ruleset import (
    Aggregate,
    Binary,
    CheckedRule,
    Comparison,
    DatedValue,
    FieldRef,
    Function,
    KeyedValue,
    LetRef,
    Logic,
    Origin,
    RExpr,
    SourceRef,
    ValueRef,
)
from eduint.core import values as v
from eduint.core.refs import EntityRef
from eduint.core.refs import FieldRef as FieldName
from eduint.core.statistics import cv_parts, exact_root
from eduint.core.units import DIMENSIONLESS, Unit
from eduint.core.values import Reason, Unknown, Value
from eduint.engine._exprtext import KINDS, expr_text
from eduint.engine._trace import Node, Trace
from eduint.engine.results import Comparison as ShownComparison
from eduint.engine.results import ExplainError, Outcome, Period, Quantity, Report, Text

__all__ = [
    "CellSource",
    "CvDetail",
    "CvMember",
    "ExplainError",
    "Explanation",
    "Figure",
    "Step",
    "Threshold",
    "explain",
    "expr_text",
]


@attrs.frozen
class CellSource:
    """The cell a figure came from.

    Attributes:
        file: the data file as given; sheet: the sheet (a CSV file's stem), or ``None``.
        row: the row as the user sees it (the Excel row; the CSV line); column: 1-based.
        cell: the cell's name (``D7``).
        raw: the cell's text as the file holds it (re-read), or ``None`` when the file
            can no longer be read.
    """

    file: str
    sheet: str | None
    row: int
    column: int
    cell: str
    raw: str | None


@attrs.frozen
class Figure:
    """A data figure the step read.

    Attributes:
        entity: whose figure; field: which.
        value: the figure in the field's unit (or a flag, text), ``None`` when missing.
        text: the figure as the loader read it (``1,463``, ``约212``), or ``None``.
        source: the cell it came from, or ``None`` (YAML/JSON data).
    """

    entity: EntityRef
    field: FieldName
    value: Quantity | bool | str | None
    text: str | None
    source: CellSource | None


@attrs.frozen
class Threshold:
    """A named value a requirement reads (a threshold, a limit), and where it was set.

    Attributes:
        name: the value's name (``高学历教师标准``), or ``None`` for a number written in
            the requirement itself.
        title: its title (Chinese, with the English variant), or ``None``.
        key: the keys of the keyed entry used (``("小学",)``), empty when not keyed.
        period: the period in force used (a dated value), or ``None``.
        sources: its citations (the value's, then the entry's or period's).
        set_by: the rule file that set it (a provincial file's override, or the
            national file), or ``None`` when unknown.
        provisional: True when the value, entry or period is marked provisional.
        layer: ``own`` when :attr:`set_by` is the file of the rule set evaluated and it
            extends another (a provincial override), ``extended`` when it is a file that
            rule set extends (the national file), ``single`` when the rule set extends
            none.
    """

    name: str | None
    title: Text | None
    key: tuple[str, ...]
    period: Period | None
    sources: tuple[SourceRef, ...]
    set_by: Origin | None
    provisional: bool = False
    layer: str = "single"


@attrs.frozen
class CvMember:
    """One entity of a 差异系数: its figure (Xᵢ), weight (Pᵢ, 在校生数) and share of the
    variance (Pᵢ(Xᵢ − mean)² ÷ Σ, exact)."""

    entity: EntityRef
    value: Quantity
    weight: Quantity
    share: Fraction


@attrs.frozen
class CvDetail:
    """A student-weighted 差异系数 (REFERENCE §3.1), as computed.

    Attributes:
        members: the entities it is computed over, in evaluation order.
        left_out: the entities of its list it left out (0 students, or a figure
            missing with ``cv_over_available``).
        mean: ΣPᵢXᵢ ÷ ΣPᵢ, in the figure's unit.
        deviation: the standard deviation √(ΣPᵢ(Xᵢ − mean)² ÷ ΣPᵢ), in the figure's unit.
        variance: the variance, exact, in the canonical unit squared.
        square: CV² = variance ÷ mean², exact.
        cv: the 差异系数 (a bracket when irrational), or ``None`` when undefined.
    """

    members: tuple[CvMember, ...]
    left_out: tuple[EntityRef, ...]
    mean: Quantity | None
    deviation: Quantity | None
    variance: Fraction | None
    square: Fraction | None
    cv: Quantity | None


@attrs.frozen
class Step:
    """One value the evaluation computed.

    Attributes:
        index: its place in :attr:`Explanation.steps` (steps it uses come first).
        kind: ``figure`` (a data field), ``weight`` (a 差异系数's 在校生数), ``const``,
            ``value`` (a named value), ``keyed``, ``dated``, ``let``, ``arith``,
            ``function``, ``aggregate``, ``cv``, ``compare``, ``logic``, ``not``,
            ``list``, ``if``, ``member``, ``outcome``, ``text``.
        text: the expression as rule text.
        entity: the entity it was computed for.
        value: what it came to (a :class:`Quantity` in the expression's unit, a truth
            value, a text), ``None`` when unknown or a list.
        reasons: why unknown (coded), else empty.
        uses: the indices of the steps it used, in order.
        op: the operator, function or aggregate name, or ``None``.
        name: a field's, let's or value's name, or ``None``.
        figures: for a figure or weight, the data figures behind it with their cells.
        notes: what the population pass did to the figure (split, merged), coded.
        threshold: for a named value, and for a comparison its threshold side.
        cv: for a 差异系数, its computation.
    """

    index: int
    kind: str
    text: str
    entity: EntityRef | None
    value: Quantity | bool | str | None
    reasons: tuple[Reason, ...] = ()
    uses: tuple[int, ...] = ()
    op: str | None = None
    name: str | None = None
    figures: tuple[Figure, ...] = ()
    notes: tuple[Reason, ...] = ()
    threshold: Threshold | None = None
    cv: CvDetail | None = None


@attrs.frozen
class Explanation:
    """How a rule came out for one entity, from the data's cells to the verdict.

    Attributes:
        rule: the rule's id; title: its title (Chinese, with the English variant).
        requirement: the requirement as rule text, or ``None``.
        scope: the scope of the rule's entities (``segment``, ``county_segment`` …).
        entity: the entity explained.
        choice: how it was chosen: ``given`` (named), ``county`` (a county rule),
            ``first_failing`` (none named, or several matched: the first 未达到),
            ``first`` (none named and none failing: the first).
        entities: the rule's entities (or those the name matched) with their outcomes,
            in report order; empty for a county rule.
        outcome: the entity's outcome, as the report gives it.
        headline: the rule's headline outcome.
        steps: every value computed, steps used before the steps that use them.
        lets: ``(name, step index)`` of the rule's ``let`` values.
        result: the index of the requirement's step, or ``None`` (not evaluated).
        comparisons: the indices of the requirement's top-level comparisons.
        evidence: the comparison the report shows for the entity, or ``None``.
        sources: the rule's own citations; set_by: the files that set the rule and the
            thresholds it reads (a layered rule set), national first.
        periods: the periods in force of the dated values used.
        as_of: the date the evaluation used.
        approximate: True when an approximate figure (约) was used.
        asked: the entity name given (``--entity``), or ``None``.
        applies: the index of the applicability condition's step, or ``None`` (the rule
            has none, or it was not evaluated); when it is false the requirement is
            not evaluated (不适用).
    """

    rule: str
    title: Text | None
    requirement: str | None
    scope: str
    entity: EntityRef | None
    choice: str
    entities: tuple[tuple[EntityRef, Outcome | None], ...]
    outcome: Outcome | None
    headline: Outcome | None
    steps: tuple[Step, ...]
    lets: tuple[tuple[str, int], ...]
    result: int | None
    comparisons: tuple[int, ...]
    evidence: ShownComparison | None
    sources: tuple[SourceRef, ...]
    set_by: tuple[Origin, ...]
    periods: tuple[Period, ...]
    as_of: datetime.date | None
    approximate: bool = False
    asked: str | None = None
    applies: int | None = None

    def figures(self) -> tuple[Figure, ...]:
        """Every data figure the explanation reads, once each, in order."""
        seen: dict[Figure, None] = {}
        for s in self.steps:
            for f in s.figures:
                seen.setdefault(f, None)
        return tuple(seen)


def _shown(x: Value, unit: Unit) -> tuple[Quantity | bool | str | None, tuple[Reason, ...]]:
    """A traced value as a step shows it: a quantity in ``unit``, a truth value, a text."""
    t = x.__class__
    if t is Unknown:
        return None, x.reasons  # type: ignore[union-attr]
    if t is bool or t is str:
        return x, ()  # type: ignore[return-value]
    if t is int or t is Fraction or t is v.Interval:
        return Quantity(x, unit), ()  # type: ignore[arg-type]
    return None, ()


# ---------------------------------------------------------------- the builder


class _Builder:
    """Turns the trace of one rule and entity into steps (see :func:`explain`)."""

    def __init__(self, trace: Trace, rule: CheckedRule) -> None:
        self.trace = trace
        self.pop = trace.pop
        self.ruleset = trace.ruleset
        self.rule = rule
        self.steps: list[Step] = []
        self.done: dict[int, int] = {}  # id(node) → step index
        self.lets: dict[str, int] = {}
        self.periods: dict[Period, None] = {}
        self.approx = False
        self._raw: dict[Any, str | None] = {}

    def ref(self, scope: Any, row: int) -> EntityRef:
        return self.pop.tables[scope].ref(row)  # type: ignore[no-any-return]

    def add(self, step: Step) -> int:
        i = len(self.steps)
        self.steps.append(attrs.evolve(step, index=i))
        return i

    def node(self, n: Node) -> int:
        """The step of node ``n`` (its children's first), made once."""
        hit = self.done.get(id(n))
        if hit is not None:
            return hit
        if n.expr is None:
            i = self._weight(n)
        elif isinstance(n.expr, LetRef) and n.expr.name in self.lets:
            value, reasons = _shown(n.value, n.expr.type.unit)
            i = self.add(
                Step(
                    0,
                    "let",
                    n.expr.name,
                    self.ref(n.scope, n.row),
                    value,
                    reasons,
                    (self.lets[n.expr.name],),
                    name=n.expr.name,
                )
            )
        else:
            i = self._expr(n, n.expr)
        self.done[id(n)] = i
        return i

    def _expr(self, n: Node, e: RExpr) -> int:
        uses = tuple(self.node(c) for c in n.children)
        unit = e.type.unit if e.type.kind == "number" else DIMENSIONLESS
        value, reasons = _shown(n.value, unit)
        kind = KINDS.get(type(e), "text")
        op: str | None = None
        name: str | None = None
        figures: tuple[Figure, ...] = ()
        threshold = cv = None
        if isinstance(e, (Binary, Comparison, Logic)):
            op = e.op
        elif isinstance(e, (Function, Aggregate)):
            op = e.fn
        if isinstance(e, FieldRef):
            name = e.field.name
            figures = self._figures(n.cells)
        elif isinstance(e, ValueRef):
            name = e.name
            threshold = self._threshold(e.name, n)
        elif isinstance(e, Comparison):
            threshold = self._compare_threshold(e, n)
        elif isinstance(e, Aggregate) and e.fn == "cv":
            kind = "cv"
            cv = self._cv(n, e)
        elif isinstance(e, DatedValue):
            self._period(e, n)
        return self.add(
            Step(
                0,
                kind,
                expr_text(e),
                self.ref(n.scope, n.row),
                value,
                reasons,
                uses,
                op,
                name,
                figures,
                n.notes,
                threshold,
                cv,
            )
        )

    def _weight(self, n: Node) -> int:
        figures = self._figures(n.cells)
        unit = DIMENSIONLESS
        if figures and isinstance(figures[0].value, Quantity):
            unit = figures[0].value.unit
        value, reasons = _shown(n.value, unit)
        return self.add(
            Step(
                0,
                "weight",
                "在校生数",
                self.ref(n.scope, n.row),
                value,
                reasons,
                name="students",
                figures=figures,
                notes=n.notes,
            )
        )

    # -------------------------------------------------------- figures
    def _figures(self, cells: Sequence[int]) -> tuple[Figure, ...]:
        out = []
        for c in cells:
            inp = self.pop.input(c)
            if isinstance(inp.value, Quantity) and isinstance(inp.value.value, v.Interval):
                self.approx = self.approx or inp.value.value.approx
            out.append(Figure(inp.entity, inp.field, inp.value, inp.text, self._cell(inp)))
        return tuple(out)

    def _cell(self, inp: Any) -> CellSource | None:
        sources = self.trace.cells
        if sources is None:
            return None
        key = _provenance_key(inp.entity)
        if key is None:
            return None
        ref = sources.cell(key, inp.field.name)
        if ref is None:
            return None
        raw = self._raw.get(ref, _UNREAD)
        if raw is _UNREAD:
            from eduint.data.errors import DataFileError
            from eduint.data.provenance import read_cell

            try:
                raw = read_cell(ref)
            except DataFileError:
                raw = None
            self._raw[ref] = raw
        src = ref.source
        return CellSource(src.file, src.sheet, ref.row, ref.column, ref.name, raw)

    # -------------------------------------------------------- thresholds
    def _threshold(self, name: str, n: Node) -> Threshold | None:
        nv = self.ruleset.values.get(name)
        if nv is None:
            return None
        sources = list(nv.sources)
        origin = nv.origin
        key: tuple[str, ...] = ()
        period: Period | None = None
        provisional = nv.provisional is not None
        x = n.children[0] if n.children else None
        while x is not None and isinstance(x.expr, (KeyedValue, DatedValue)):
            used = x.children[-1] if x.children else None
            if isinstance(x.expr, KeyedValue):
                entry = next(
                    (en for en in x.expr.entries if used is not None and en.value is used.expr),
                    None,
                )
                if entry is None:
                    break
                key, origin = entry.keys, entry.origin or origin
                sources += entry.sources
                provisional = provisional or entry.provisional is not None
            else:
                p = next(
                    (p for p in x.expr.periods if used is not None and p.value is used.expr), None
                )
                if p is None:
                    break
                period, origin = Period(p.start, p.end), p.origin or origin
                sources += p.sources
                provisional = provisional or p.provisional is not None
            x = used
        title = Text(nv.title, nv.title_en) if nv.title else None
        return Threshold(
            name,
            title,
            tuple(key),
            period,
            tuple(dict.fromkeys(sources)),
            origin,
            provisional,
            self._layer(origin),
        )

    def _layer(self, origin: Origin | None) -> str:
        """:attr:`Threshold.layer` of a threshold set by ``origin``."""
        if not self.ruleset.parents or origin is None:
            return "single"
        return "own" if origin.ruleset == self.ruleset.id else "extended"

    def _compare_threshold(self, e: Comparison, n: Node) -> Threshold:
        """The threshold side of a comparison: the first named value it reads, else the
        numbers written in the requirement (set by the rule's own file)."""
        stack = list(reversed(n.children[1:2]))
        while stack:
            x = stack.pop()
            if isinstance(x.expr, ValueRef):
                found = self._threshold(x.expr.name, x)
                if found is not None:
                    return found
            stack.extend(reversed(x.children))
        rule = self.rule
        return Threshold(
            None, None, (), None, rule.sources, rule.origin, False, self._layer(rule.origin)
        )

    def _period(self, e: DatedValue, n: Node) -> None:
        used = n.children[-1] if n.children else None
        for p in e.periods:
            if used is not None and p.value is used.expr:
                self.periods[Period(p.start, p.end)] = None

    # -------------------------------------------------------- 差异系数
    def _cv(self, n: Node, e: Aggregate) -> CvDetail:
        arg = e.args[0]
        unit = arg.type.unit
        weights: dict[int, Node] = {}
        figures: dict[int, Node] = {}
        order: list[int] = []
        for c in n.children:
            if c.scope != e.over:
                continue
            if c.expr is None:
                weights[c.row] = c
                order.append(c.row)
            elif c.expr is arg:
                figures[c.row] = c
        members: list[tuple[int, Fraction | int, Fraction | int]] = []
        left_out: list[EntityRef] = []
        for r in order:
            w, x = weights[r].value, figures.get(r)
            xv = x.value if x is not None else None
            if _exact(w) and w and _exact(xv):
                members.append((r, _point(xv), _point(w)))
            else:
                left_out.append(self.ref(e.over, r))
        cv_value, _ = _shown(n.value, DIMENSIONLESS)
        if len(members) < 2:
            return CvDetail((), tuple(left_out), None, None, None, None, cv_value)  # type: ignore[arg-type]
        try:
            parts = cv_parts([x for _, x, _ in members], [w for _, _, w in members])
        except ValueError:
            return CvDetail((), tuple(left_out), None, None, None, None, cv_value)  # type: ignore[arg-type]
        total = sum(parts.spread) or 1
        wunit = self.steps[self.node(weights[members[0][0]])].value
        wu = wunit.unit if isinstance(wunit, Quantity) else DIMENSIONLESS
        out = tuple(
            CvMember(
                self.ref(e.over, r),
                Quantity(x, unit),
                Quantity(w, wu),
                Fraction(parts.spread[i], total),
            )
            for i, (r, x, w) in enumerate(members)
        )
        return CvDetail(
            out,
            tuple(left_out),
            Quantity(parts.mean, unit),
            Quantity(exact_root(parts.variance), unit),
            parts.variance,
            parts.square,
            cv_value,  # type: ignore[arg-type]
        )


_UNREAD: Any = object()


def _exact(x: object) -> bool:
    t = type(x)
    return t is int or t is Fraction or (t is v.Interval and x.exact)  # type: ignore[attr-defined]


def _point(x: Any) -> Fraction | int:
    return x if type(x) in (int, Fraction) else v.bounds(x)[0]


def _provenance_key(ref: EntityRef) -> tuple[Any, ...] | None:
    """The key :class:`~eduint.data.provenance.FigureSources` files ``ref``'s figures
    under (``("segment", 学校代码, 学段)`` …), or ``None``."""
    parts = ref.key.split("/")
    if ref.scope == "county":
        return ("county",)
    if ref.scope == "county_segment":
        return ("county_segment", ref.segment or parts[-1])
    if ref.scope == "school":
        return ("school", ref.key)
    if ref.scope == "segment":
        return ("segment", parts[0], ref.segment or parts[1])
    if ref.scope == "class" and not ref.band:
        # the class's place in its segment's rows as the data gives them
        tail = ref.where.rsplit("classes[", 1)
        if len(tail) == 2 and tail[1].rstrip("]").isdigit():
            return ("class", parts[0], ref.segment or parts[1], int(tail[1].rstrip("]")))
    return None


# ---------------------------------------------------------------- choosing


def _near(given: str, names: Sequence[str]) -> str:
    close = difflib.get_close_matches(given, names, n=5, cutoff=0.3)
    shown = close or list(names)[:8]
    return ", ".join(shown)


def find_rule(trace: Trace, name: str) -> CheckedRule:
    """The rule (item, part) named ``name``: its id, or its Chinese or English title.

    Raises:
        ExplainError: no such rule (the message lists near names).
    """
    rules = list(trace.ruleset.rules())
    for r in rules:
        if r.id == name:
            return r
    for r in rules:
        if name in (r.title, r.title_en) or (r.label is not None and r.label == name):
            return r
    names = [r.id for r in rules] + [r.title for r in rules if r.title]
    raise ExplainError(
        f"error: no rule {name!r} in rule set {trace.ruleset.id}; near names: {_near(name, names)}"
    )


def _matches(ref: EntityRef, name: str) -> bool:
    school = ref.key.split("/")[0]
    seg = ref.segment or ""
    names = [ref.key, ref.name, school, f"{ref.name} {seg}", f"{ref.name}/{seg}", f"{school} {seg}"]
    if ref.scope == "county_segment":
        names.append(seg)
    if ref.part:  # a class: 城关第一小学 小学 一(2)班, SX001 小学 一(2)班
        names += [f"{ref.name} {seg} {ref.part}", f"{school} {seg} {ref.part}"]
    return name in names


def _choose(
    report: Report, rule: CheckedRule, entity: str | None
) -> tuple[EntityRef | None, str, tuple[tuple[EntityRef, Outcome | None], ...]]:
    item = report.item(rule.id)
    listed = tuple((e.entity, e.outcome) for e in item.entities)
    if rule.scope.value == "county":
        if entity is not None:
            raise ExplainError(
                f"error: rule {rule.id} is evaluated for the county as a whole; leave out --entity"
            )
        return None, "county", ()
    if entity is not None:
        found = tuple(x for x in listed if _matches(x[0], entity))
        if not found:
            names = [e.key for e, _ in listed] + [e.name for e, _ in listed if e.name]
            raise ExplainError(
                f"error: no entity {entity!r} for rule {rule.id}; "
                f"near names: {_near(entity, list(dict.fromkeys(names)))}"
            )
        if len(found) == 1:
            return found[0][0], "given", listed
        listed = found
    if not listed:
        raise ExplainError(f"error: rule {rule.id} has no entities in this data to explain")
    failing = next((e for e, o in listed if o is Outcome.NOT_MET), None)
    if failing is not None:
        return failing, "first_failing", listed
    return listed[0][0], "first", listed


def explain(report: Report, rule: str, entity: str | None = None) -> Explanation:
    """:meth:`Report.explain <eduint.engine.results.Report.explain>`.

    Raises:
        ExplainError: the report has no trace, or no rule or entity of that name.
    """
    trace = report.trace
    if not isinstance(trace, Trace):
        raise ExplainError(
            "error: this report holds no evaluation trace: evaluate with trace=True "
            "(eduint.evaluate(rules, county, trace=True)) to explain it"
        )
    checked = find_rule(trace, rule)
    if checked.parts:
        parts = ", ".join(p.id for p in checked.parts)
        raise ExplainError(
            f"error: {checked.id} is an item with parts; explain one of its parts: {parts}"
        )
    if checked.require is None:
        raise ExplainError(
            f"error: rule {checked.id} computes no verdict from the data (the county answers "
            "it, 自评, or it only reports values): nothing to explain"
        )
    ref, choice, listed = _choose(report, checked, entity)
    table = trace.pop.tables[checked.scope]
    row = 0 if ref is None else table.refs.index(ref)
    roots = trace.recorder.entities.get((checked.id, row), {})
    b = _Builder(trace, checked)
    lets = []
    for name, _ in checked.lets:
        node = roots.get(f"let:{name}")
        if node is not None:
            b.lets[name] = b.node(node)
            lets.append((name, b.lets[name]))
    for role in ("applies", "require", "basically"):
        if role in roots:
            b.node(roots[role])
    require = roots.get("require")
    result = b.done.get(id(require)) if require is not None else None
    applies = roots.get("applies")
    item = report.item(checked.id)
    er = next((e for e in item.entities if e.entity == ref), None)
    return Explanation(
        rule=checked.id,
        title=Text(checked.title, checked.title_en) if checked.title else None,
        requirement=checked.requirement_text,
        scope=checked.scope.value,
        entity=ref,
        choice=choice,
        entities=listed,
        outcome=er.outcome if er is not None else item.computed,
        headline=item.headline,
        steps=tuple(b.steps),
        lets=tuple(lets),
        result=result,
        comparisons=_top_comparisons(b, require),
        evidence=er.evidence if er is not None else item.evidence,
        sources=checked.sources,
        set_by=item.set_by,
        periods=tuple(b.periods),
        as_of=report.as_of,
        approximate=b.approx,
        asked=entity,
        applies=b.done.get(id(applies)) if applies is not None else None,
    )


def _top_comparisons(b: _Builder, require: Node | None) -> tuple[int, ...]:
    """The steps of the requirement's comparisons outside aggregates, in order."""
    out: list[int] = []
    stack = [require] if require is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n.expr, Comparison):
            out.append(b.done[id(n)])
            continue
        if isinstance(n.expr, (Aggregate, LetRef, ValueRef)):
            continue
        stack.extend(reversed(n.children))
    return tuple(out)
