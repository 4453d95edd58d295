"""Closure factories of the compiler (:mod:`eduint.engine.compile`).

Each function here returns a compiled expression ``f(frame, row) -> Value`` (or an
aggregate's row filter) built from compiled operands; none depends on the compiler's
state.  The fast paths (whole numbers, exact fractions compared in integers, a column
read in one loop) give exactly what the general path of :mod:`eduint.core.values` gives.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from eduint.checking.ruleset import SourceRef
from eduint.checking.schema import ScopeKind
from eduint.core import values as v
from eduint.core.regions import province_key
from eduint.core.values import Code, Reason, Unknown, Value, parts, ratio
from eduint.engine.frame import Frame
from eduint.engine.results import ProvisionalUse

__all__ = [
    "ARITH",
    "OPS",
    "Filter",
    "Filtered",
    "Fn",
    "binary",
    "cite",
    "conditional",
    "const",
    "filter_rows",
    "is_const",
    "keep_all",
    "key_reader",
    "let_reader",
    "list_of",
    "logic",
    "marked",
    "membership",
    "ratio_of",
    "reader",
    "unary",
    "where_filter",
]

#: A compiled expression: the value for the entity ``row`` of the expression's scope.
Fn = Callable[[Frame, int], Value]

ARITH = {"+": v.add, "-": v.sub, "*": v.mul, "/": v.div}
OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
#: The rows an aggregate's ``where`` keeps, why each undecided row is undecided, and
#: the total multiplicity of the undecided rows.
Filtered = tuple[list[int], list[Unknown], int]
#: An aggregate's ``where`` over rows: ``filter(frame, rows, multiplicities)``.
Filter = Callable[[Frame, Sequence[int], Sequence[int]], Filtered]


def cite(sources: Sequence[SourceRef]) -> tuple[SourceRef, ...]:
    """Citations as the report lists them (empty ones left out, no repeats)."""
    return tuple(dict.fromkeys(s for s in sources if str(s)))


def const(x: Value) -> Fn:
    """A constant (it keeps its value in ``.constant`` for folding)."""

    def f(fr: Frame, row: int) -> Value:
        return x

    f.constant = x  # type: ignore[attr-defined]
    return f


def is_const(f: Fn) -> bool:
    """True for a compiled constant."""
    return hasattr(f, "constant")


def reader(k: int, a: int | None, county: bool) -> Fn:
    """A field read: column slot ``k``; ``a`` the slot of the map to the ancestor row
    (``None``: the entity's own row); ``county``: the one county row."""
    if county:

        def read_county(fr: Frame, row: int) -> Value:
            col = fr.bound[k]
            e = col.effects[0]
            if e is not None:
                fr.apply(e)
            return col.values[0]  # type: ignore[no-any-return]

        return read_county
    if a is None:

        def read(fr: Frame, row: int) -> Value:
            col = fr.bound[k]
            e = col.effects[row]
            if e is not None:
                if e.__class__ is int:
                    fr.inputs[e] = None
                else:
                    fr.apply(e)
            return col.values[row]  # type: ignore[no-any-return]

        return read

    def read_up(fr: Frame, row: int) -> Value:
        b = fr.bound
        r = b[a][row]
        col = b[k]
        e = col.effects[r]
        if e is not None:
            fr.apply(e)
        return col.values[r]  # type: ignore[no-any-return]

    return read_up


def let_reader(i: int) -> Fn:
    """The ``let`` value number ``i`` of the rule entity."""

    def f(fr: Frame, row: int) -> Value:
        return fr.lets[i]

    return f


def marked(inner: Fn, prov: ProvisionalUse | None, sources: tuple[SourceRef, ...]) -> Fn:
    """``inner``, recording a provisional marker and citations when it is used."""
    if prov is None and not sources:
        return inner

    def f(fr: Frame, row: int) -> Value:
        if prov is not None:
            fr.prov[prov] = None
        for s in sources:
            fr.sources[s] = None
        return inner(fr, row)

    return f


def unary(op: Callable[[Value], Value], x: Fn) -> Fn:
    """``op(x)`` (folded when ``x`` is constant)."""
    if is_const(x):
        return const(op(x.constant))  # type: ignore[attr-defined]

    def f(fr: Frame, row: int) -> Value:
        return op(x(fr, row))

    return f


def binary(op: Callable[[Value, Value], Value], a: Fn, b: Fn) -> Fn:
    """``op(a, b)`` (folded when both are constant)."""
    if is_const(a) and is_const(b):
        return const(op(a.constant, b.constant))  # type: ignore[attr-defined]
    if op is v.div:
        return ratio_of(a, b, 1, op)

    def f(fr: Frame, row: int) -> Value:
        return op(a(fr, row), b(fr, row))

    return f


def ratio_of(a: Fn, b: Fn, times: int, slow: Callable[[Value, Value], Value]) -> Fn:
    """``a × times ÷ b`` (``per100``, ``ratio``, ``/``): exact numbers divide in integers,
    anything else goes through ``slow`` (the registry's implementation, which it equals)."""

    def f(fr: Frame, row: int) -> Value:
        x, y = a(fr, row), b(fr, row)
        tx, ty = x.__class__, y.__class__
        if (tx is int or tx is Fraction) and (ty is int or ty is Fraction) and y:
            xn, xd = parts(x)  # type: ignore[arg-type]
            yn, yd = parts(y)  # type: ignore[arg-type]
            return ratio(xn * times * yd, xd * yn)
        return slow(x, y)

    return f


def membership(left: Fn, items: list[Fn]) -> Fn:
    """``left in [items]``: Kleene ``or`` of the equalities (every item evaluated)."""

    def f(fr: Frame, row: int) -> Value:
        x = left(fr, row)
        return v.any_of([v.compare("==", x, i(fr, row)) for i in items])

    return f


def logic(op: str, a: Fn, b: Fn) -> Fn:
    """``a and b`` / ``a or b``: a decided left side decides alone, else Kleene."""
    if op == "and":

        def f_and(fr: Frame, row: int) -> Value:
            x = a(fr, row)
            if x is False:
                return False
            return v.and_(x, b(fr, row))

        return f_and

    def f_or(fr: Frame, row: int) -> Value:
        x = a(fr, row)
        if x is True:
            return True
        return v.or_(x, b(fr, row))

    return f_or


def conditional(c: Fn, then: Fn, orelse: Fn) -> Fn:
    """``if c then a else b``; an unknown condition is the value."""

    def f(fr: Frame, row: int) -> Value:
        x = c(fr, row)
        if isinstance(x, Unknown):
            return x
        return then(fr, row) if x else orelse(fr, row)

    return f


def list_of(items: list[Fn]) -> Fn:
    """A list of values (``at_least``'s conditions)."""

    def f(fr: Frame, row: int) -> Value:
        return tuple([i(fr, row) for i in items])

    return f


def where_filter(
    generic: Fn, k: int, right: Fn, sv: int | None, holds: Callable[[Any, Any], bool]
) -> Filter:
    """The filter ``field op value`` over rows: the field's column (slot ``k``) is read in
    one loop and numbers compare at once; anything else takes the comparison's full
    semantics (``generic``; reading again is harmless).  ``sv``: the slot of the rows'
    segments when ``right`` depends on the segment at most (it reads no data, so it is
    evaluated once per run of rows of a segment)."""

    def filt(fr: Frame, rows: Sequence[int], mult: Sequence[int]) -> Filtered:
        col = fr.bound[k]
        vals, effs, inputs = col.values, col.effects, fr.inputs
        kept: list[int] = []
        undecided: list[Unknown] = []
        undecided_mult = 0
        segval: Sequence[str | None] = fr.bound[sv] if sv is not None else ()
        last: object = kept  # no segment seen yet
        rv: Value = None  # type: ignore[assignment]
        for r in rows:
            eff = effs[r]
            if eff is not None:
                if eff.__class__ is int:
                    inputs[eff] = None
                else:
                    fr.apply(eff)
            lv = vals[r]
            if sv is None:
                rv = right(fr, r)
            elif segval[r] is not last:
                last = segval[r]
                rv = right(fr, r)
            tl, tr = lv.__class__, rv.__class__
            if tl is int and tr is int:
                if holds(lv, rv):
                    kept.append(r)
                continue
            if (tl is int or tl is Fraction) and (tr is int or tr is Fraction):
                an, ad = parts(lv)
                bn, bd = parts(rv)  # type: ignore[arg-type]
                if holds(an * bd, bn * ad):
                    kept.append(r)
                continue
            w = generic(fr, r)
            if w is False:
                continue
            if w.__class__ is Unknown:
                undecided.append(w)
                undecided_mult += mult[r]
                continue
            kept.append(r)
        return kept, undecided, undecided_mult

    return filt


def keep_all(fr: Frame, rows: Sequence[int], mult: Sequence[int]) -> Filtered:
    """No ``where``: every row is kept."""
    return list(rows), [], 0


def filter_rows(fr: Frame, rows: Sequence[int], where: Fn | None, mult: Sequence[int]) -> Filtered:
    """Apply an aggregate's ``where``: the rows kept, why each undecided row is undecided
    (missing figures), and the total multiplicity of the undecided rows."""
    if where is None:
        return list(rows), [], 0
    kept: list[int] = []
    undecided: list[Unknown] = []
    undecided_mult = 0
    for r in rows:
        w = where(fr, r)
        if w is False:
            continue
        if w.__class__ is Unknown:
            undecided.append(w)
            undecided_mult += mult[r]
            continue
        kept.append(r)
    return kept, undecided, undecided_mult


def key_reader(kind: str, scope: ScopeKind) -> Callable[[Frame, int], Any]:
    """How a keyed value finds its key (segment, location, region, province or school kind)
    for an entity; a province the data names in full (广东省) is keyed by its short name."""
    if kind == "segment":
        missing = Unknown((Reason(Code.KEY_NOT_GIVEN, ("segment", None)),))

        def segment(fr: Frame, row: int) -> Any:
            s = fr.pop.tables[scope].segval[row]
            return s if s is not None else missing

        return segment
    if kind == "location":

        def location(fr: Frame, row: int) -> Any:
            pop = fr.pop
            if scope in (ScopeKind.COUNTY, ScopeKind.COUNTY_SEGMENT):
                who = pop.tables[scope].ref(row)
                loc = None
            else:
                anc = pop.ancestor(scope, ScopeKind.SCHOOL)
                p = anc[row] if anc is not None else row
                who = pop.tables[ScopeKind.SCHOOL].ref(p)
                loc = pop.tables[ScopeKind.SCHOOL].objs[p].location
            if loc is None:
                return Unknown((Reason(Code.KEY_NOT_GIVEN, ("location", who)),))
            return loc.value

        return location

    if kind == "province":

        def province(fr: Frame, row: int) -> Any:
            county = fr.pop.county
            key = province_key(county.province)
            if key is None:
                # a province the list does not know is named as given (NO_KEYED_VALUE)
                if county.province:
                    return county.province.strip()
                who = fr.pop.tables[ScopeKind.COUNTY].ref(0)
                return Unknown((Reason(Code.KEY_NOT_GIVEN, ("province", who)),))
            return key

        return province
    if kind == "school_kind":

        def school_kind(fr: Frame, row: int) -> Any:
            pop = fr.pop
            if scope in (ScopeKind.COUNTY, ScopeKind.COUNTY_SEGMENT):
                who = pop.tables[scope].ref(row)
                return Unknown((Reason(Code.KEY_NOT_GIVEN, ("school_kind", who)),))
            anc = pop.ancestor(scope, ScopeKind.SCHOOL)
            p = anc[row] if anc is not None else row
            school = pop.tables[ScopeKind.SCHOOL].objs[p]
            if school.kind is None:
                who = pop.tables[ScopeKind.SCHOOL].ref(p)
                return Unknown((Reason(Code.KEY_NOT_GIVEN, ("school_kind", who)),))
            return school.kind.value

        return school_kind

    def region(fr: Frame, row: int) -> Any:
        r = fr.pop.county.region
        if r is None:
            who = fr.pop.tables[ScopeKind.COUNTY].ref(0)
            return Unknown((Reason(Code.KEY_NOT_GIVEN, ("region", who)),))
        return r.value

    return region
