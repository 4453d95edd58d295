"""The ``cv`` aggregate: the student-weighted 差异系数, population form (REFERENCE §3.1).

Entities with 0 students are left out (and noted); a missing figure makes the CV unknown
naming the entities, unless the rule set's ``cv_over_available`` setting computes it
over the entities that have it (the others noted); fewer than two entities have no
inter-school balance (不适用).  The arithmetic is :func:`eduint.core.statistics.cv_parts`;
the note names the three entities with the largest shares of the variance (ties in entity
order).

The value is exact (:func:`eduint.core.statistics.exact_root`): a rational CV is a
rational (two 小学 of 3 students with 5 and 15 books: exactly 1/2), an irrational one a
bracket carrying its exact square, so ``cv(…) <= L`` is decided as CV² ≤ L², that is
S² ≤ L²·mean², without a square root.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import attrs

from eduint.checking.ruleset import Aggregate, DatedValue, KeyedValue, LetRef, RExpr, ValueRef
from eduint.checking.schema import ScopeKind
from eduint.core import values as v
from eduint.core.refs import EntityRef
from eduint.core.statistics import cv_parts, exact_root
from eduint.core.values import Code, Kind, Reason, Unknown, Value
from eduint.engine.frame import Frame

__all__ = ["compile_cv", "has_cv"]

Fn = Callable[[Frame, int], Value]


def has_cv(e: RExpr, lets: Mapping[str, RExpr]) -> bool:
    """Whether ``e`` computes a 差异系数: a ``cv(…)`` in it, directly or through the
    rule's ``lets`` (the mean of eight CVs is one).  What
    :attr:`eduint.engine.results.Comparison.measure` is made from."""
    stack: list[Any] = [e]
    seen: set[str] = set()
    while stack:
        x = stack.pop()
        if isinstance(x, Aggregate):
            if x.fn == "cv":
                return True
            continue  # an aggregate of CVs is not a CV (and none is written)
        if isinstance(x, LetRef):
            if x.name not in seen and x.name in lets:
                seen.add(x.name)
                stack.append(lets[x.name])
        elif isinstance(x, (ValueRef, KeyedValue, DatedValue)):
            continue  # values are constants: no CV in them
        elif isinstance(x, (tuple, list)):
            stack.extend(x)
        elif attrs.has(x.__class__):
            stack.extend(getattr(x, a.name) for a in attrs.fields(x.__class__))
    return False


def compile_cv(e: Aggregate, scope: ScopeKind, x: Fn, weight: Fn, where: Any) -> Fn:
    """The compiled ``cv(x over …)`` (or ``cv(x, weight over …)``) of scope ``scope``;
    ``where`` is the compiled filter of the aggregate's ``where``."""
    over = e.over
    label = over.value

    def cv(fr: Frame, row: int) -> Value:
        lst = fr.pop.below(scope, row, over)
        if lst.effects is not None:
            fr.apply(lst.effects)
        if lst.missing is not None:
            return Unknown((lst.missing,))
        fr.depth += 1
        try:
            if not lst.complete:
                return Unknown((Reason(Code.INCOMPLETE_LIST, (label, "cv")), *lst.gaps))
            mult = fr.pop.tables[over].mult
            rows = lst.rows if over != ScopeKind.CLASS else fr.pop.canonical(lst.rows)
            kept, undecided, _ = where(fr, rows, mult)
            return _cv(fr, over, kept, list(undecided), x, weight)
        finally:
            fr.depth -= 1

    return cv


def _cv(
    fr: Frame,
    over: ScopeKind,
    kept: list[int],
    missing: list[Value],
    x: Fn,
    weight: Fn,
) -> Value:
    over_available = fr.pop.settings.cv_over_available
    ref = fr.pop.tables[over].ref
    xs: list[v.Exact] = []
    ws: list[v.Exact] = []
    kept_rows: list[int] = []
    left_out: list[Value] = []  # cv_over_available: entities without the figures
    for r in kept:
        w = weight(fr, r)
        if w.__class__ is int and w > 0:
            # the common case: students given exactly, the figure a single number
            xv = x(fr, r)
            tx = xv.__class__
            if tx is int or tx is Fraction:
                xs.append(xv)  # type: ignore[arg-type]
                ws.append(w)
                kept_rows.append(r)
                continue
            problem = _problem(w, xv, ref(r))
            if problem is None:
                xs.append(v.bounds(xv)[0])  # type: ignore[arg-type]
                ws.append(w)
                kept_rows.append(r)
            elif over_available:
                fr.note(Reason(Code.CV_LEFT_OUT, (ref(r), problem.reasons)))
                left_out.append(problem)
            else:
                missing.append(problem)
            continue
        if v.is_number(w):
            lo, hi, _ = v.bounds(w)  # type: ignore[arg-type]
            if lo == hi == 0:
                fr.note(Reason(Code.ZERO_STUDENTS_CV, (ref(r),)))
                continue
            if lo < 0:
                return Unknown((Reason(Code.CV_NEGATIVE_WEIGHT, (ref(r),)),))
        xv = x(fr, r)
        problem = _problem(w, xv, ref(r))
        if problem is not None:
            if over_available:
                fr.note(Reason(Code.CV_LEFT_OUT, (ref(r), problem.reasons)))
                left_out.append(problem)
            else:
                missing.append(problem)
            continue
        xs.append(v.bounds(xv)[0])  # type: ignore[arg-type]
        ws.append(v.bounds(w)[0])  # type: ignore[arg-type]
        kept_rows.append(r)
    if missing:
        return v.unknown(*missing)
    if len(xs) < 2 and left_out:
        # entities were left out for missing figures: the balance is unknown, not
        # inapplicable
        return v.unknown(*left_out)
    if len(xs) < 2:
        return Unknown((Reason(Code.SINGLE_SCHOOL, (len(xs),)),), Kind.NOT_APPLICABLE)
    try:
        parts = cv_parts(xs, ws)
    except ValueError:
        # the weights are positive, so the one way left is a mean of 0
        return Unknown((Reason(Code.CV_ZERO_MEAN, ()),))
    total = sum(parts.spread)
    # the largest shares, ties in entity order (rows are in entity order)
    top = heapq.nlargest(3, range(len(kept_rows)), key=lambda i: (parts.spread[i], -i))
    shares: tuple[tuple[EntityRef, Fraction], ...] = tuple(
        (ref(kept_rows[i]), Fraction(parts.spread[i], total)) for i in top if parts.spread[i] > 0
    )
    fr.note(Reason(Code.CV_SHARES, (shares,)))
    return exact_root(parts.square)


def _problem(w: Value, x: Value, name: EntityRef) -> Unknown | None:
    """Why an entity's weight ``w`` and figure ``x`` cannot enter a 差异系数, or ``None``."""
    if w.__class__ is Unknown or x.__class__ is Unknown:
        return v.unknown(w, x)
    if not (_exact(w) and _exact(x)):
        return Unknown((Reason(Code.CV_NEEDS_EXACT, (name,)),))
    return None


def _exact(x: Value) -> bool:
    """A single number (an approximate one counts: it is used as stated)."""
    t = type(x)
    if t is int or t is Fraction:
        return True
    return t is v.Interval and x.exact  # type: ignore[union-attr]
