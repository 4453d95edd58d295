"""The evaluation trace: a second compilation of a rule set that records, on request,
every value an evaluation computes (issue 20, ``eduint explain``).

The ordinary program (:func:`eduint.engine.compile.compile_ruleset`) records nothing of
the kind, so an evaluation without a trace costs exactly what it did: the trace lives
in a separate :class:`~eduint.engine.compile.Program`, compiled only when
``evaluate(…, trace=True)`` asks for one, and never cached.

The tracing compiler is the ordinary one with three changes:

* every compiled expression is wrapped so that, when evaluated, it appends a
  :class:`Node` (the expression, the entity it was evaluated for, its value and the
  nodes of its operands) to the node being built;
* nothing is folded or shared: a threshold ``85% * 高学历教师标准`` stays a product of a
  percentage and a named value (with its keyed entry), and a figure used by several
  rules is read again by each, so the trace of every rule is complete on its own;
* a field read records the cells behind the figure it read (the column's effects: one
  cell, or the cells of a derived or split figure, with the notes of the split).

The values are those of the ordinary program (the same closures, unfolded), so a
traced evaluation gives the same report; ``tests/test_explain.py`` checks it.
"""

from __future__ import annotations

from typing import Any

import attrs

from eduint.checking.ruleset import CheckedRule, Comparison, FieldRef, RExpr, RuleSet
from eduint.checking.schema import ScopeKind
from eduint.core.values import Reason, Value
from eduint.engine.compile import Fn, Program, RuleProgram, _Compiler
from eduint.engine.frame import Frame

__all__ = ["Node", "Recorder", "Trace", "compile_traced"]


class Node:
    """One value an evaluation computed.

    Attributes:
        expr: the expression, or ``None`` for a 差异系数's weight (an entity's 在校生数).
        scope: the scope of the entity it was evaluated for; row: that entity's row.
        value: what it came to.
        children: the nodes of what it read, in evaluation order.
        cells: for a field read (and a weight), the cell ids of the figures behind it.
        at: for a field read, ``(scope, row)`` of the entity whose figure it is.
        notes: for a field read, what the population pass did to the figure (split,
            merged).
    """

    __slots__ = ("at", "cells", "children", "expr", "notes", "row", "scope", "value")

    def __init__(
        self,
        expr: RExpr | None,
        scope: ScopeKind,
        row: int,
        value: Value,
        children: list[Node],
        cells: tuple[int, ...] = (),
        at: tuple[ScopeKind, int] | None = None,
        notes: tuple[Reason, ...] = (),
    ) -> None:
        self.expr = expr
        self.scope = scope
        self.row = row
        self.value = value
        self.children = children
        self.cells = cells
        self.at = at
        self.notes = notes


class Recorder:
    """Where a traced program records.

    Attributes:
        stack: the children of the nodes being evaluated, innermost last.
        entities: ``(rule id, row)`` → role → root node, the roles being ``let:NAME``,
            ``applies``, ``report:I``, ``main_left``, ``main_right``, ``require`` and
            ``basically``.  An entity evaluated twice (``outcome(RULE)`` reads a rule
            before its own turn) keeps its last evaluation, which is the same.
    """

    def __init__(self) -> None:
        self.stack: list[list[Node]] = [[]]
        self.entities: dict[tuple[str, int], dict[str, Node]] = {}


def _effects_of(col: Any, r: int) -> tuple[tuple[int, ...], tuple[Reason, ...]]:
    """The cells and notes behind row ``r`` of a column."""
    e = col.effects[r]
    if e is None:
        return (), ()
    if e.__class__ is int:
        return (e,), ()
    return tuple(e.inputs), tuple(e.notes)


class _Tracing(_Compiler):
    """The compiler, with every expression recording its node (see the module doc)."""

    def __init__(self, ruleset: RuleSet, rec: Recorder) -> None:
        super().__init__(ruleset)
        self.rec = rec
        self.shared = set()  # nothing computed once for several rules: each is whole

    def expr(self, e: RExpr, scope: ScopeKind) -> Fn:
        """``e`` compiled unfolded, recording a :class:`Node` when evaluated."""
        inner = self.generic(e, scope)
        rec = self.rec
        if isinstance(e, FieldRef):
            return self._field_node(e, scope, inner)
        adopt = isinstance(e, Comparison) and e is self.main
        rule_id = self.rule_id

        def f(fr: Frame, row: int) -> Value:
            stack = rec.stack
            stack.append([])
            try:
                x = inner(fr, row)
            finally:
                kids = stack.pop()
            if adopt and not kids:
                # the headline comparison's sides were evaluated before the requirement
                roots = rec.entities.get((rule_id, row), {})
                kids = [roots[k] for k in ("main_left", "main_right") if k in roots]
            stack[-1].append(Node(e, scope, row, x, kids))
            return x

        return f

    def _field_node(self, e: FieldRef, scope: ScopeKind, inner: Fn) -> Fn:
        info = e.field
        rec = self.rec
        k = self.slots.slot(("column", info), lambda pop: pop.column(info))
        county = info.scope == ScopeKind.COUNTY and scope != info.scope
        a = None
        if scope != info.scope and not county:
            a = self.slots.slot(
                ("ancestor", scope, info.scope), lambda pop: pop.ancestor(scope, info.scope)
            )

        def f(fr: Frame, row: int) -> Value:
            x = inner(fr, row)
            b = fr.bound
            r = 0 if county else (row if a is None else b[a][row])
            cells, notes = _effects_of(b[k], r)
            rec.stack[-1].append(Node(e, scope, row, x, [], cells, (info.scope, r), notes))
            return x

        return f

    def _weight(self, over: ScopeKind) -> Fn:
        """A 差异系数's default weight (each entity's 在校生数), recording its node."""
        inner = super()._weight(over)
        rec = self.rec
        k = self.slots.slot(("weights", over), lambda pop: pop.weights(over))

        def f(fr: Frame, row: int) -> Value:
            x = inner(fr, row)
            cells, notes = _effects_of(fr.bound[k], row)
            rec.stack[-1].append(Node(None, over, row, x, [], cells, (over, row), notes))
            return x

        return f

    def rule(self, rule: CheckedRule, done: dict[int, RuleProgram]) -> RuleProgram:
        """The rule compiled, each of its parts recording a root node per entity."""
        p = super().rule(rule, done)
        rid, rec = rule.id, self.rec

        def root(fn: Fn, role: str) -> Fn:
            def f(fr: Frame, row: int) -> Value:
                rec.stack.append([])
                try:
                    x = fn(fr, row)
                finally:
                    kids = rec.stack.pop()
                if kids:
                    rec.entities.setdefault((rid, row), {})[role] = kids[-1]
                return x

            return f

        lets = tuple(root(f, f"let:{n}") for (n, _), f in zip(rule.lets, p.lets, strict=True))
        main = None
        if p.main is not None:
            c, left, right = p.main
            main = (c, root(left, "main_left"), root(right, "main_right"))
        return attrs.evolve(
            p,
            lets=lets,
            applies=root(p.applies, "applies") if p.applies is not None else None,
            reports=tuple((n, e, root(f, f"report:{i}")) for i, (n, e, f) in enumerate(p.reports)),
            require=root(p.require, "require") if p.require is not None else None,
            main=main,
            basically=root(p.basically, "basically") if p.basically is not None else None,
        )


def compile_traced(ruleset: RuleSet, rec: Recorder) -> Program:
    """``ruleset`` compiled to record every value into ``rec`` (see the module doc)."""
    c = _Tracing(ruleset, rec)
    rules: dict[int, RuleProgram] = {}
    for rule in ruleset.rules():
        if id(rule) not in rules:
            rules[id(rule)] = c.rule(rule, rules)
    return Program(rules, ruleset.fields_read(), tuple(c.slots.resolvers))


@attrs.frozen(eq=False, repr=False)
class Trace:
    """What a traced evaluation recorded, kept on its report (:attr:`Report.trace`).

    Attributes:
        ruleset: the rule set evaluated (in force at the date used).
        pop: the population (entity tables, cells).
        recorder: the recorded nodes, per rule and entity.
        cells: where each figure came from in the data files
            (:class:`~eduint.data.provenance.FigureSources`), or ``None`` (YAML/JSON data,
            or a county given as an object).
        explainer: what :meth:`Report.explain <eduint.engine.results.Report.explain>`
            calls (:func:`eduint.engine.explain.explain`, given by the evaluator: the
            results module does not import the explanations, which import it).
    """

    ruleset: RuleSet
    pop: Any
    recorder: Recorder
    cells: Any = None
    explainer: Any = None
