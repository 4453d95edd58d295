"""The columns of the population pass (:mod:`eduint.engine.population`): one value and
its read effects per row, for every field a rule reads.

Private: :class:`~eduint.engine.population.Population` calls these functions once per
county and field (its cache keeps the columns): a figure as the data gives it, a
segment's physical figure split from its one-through school's (REFERENCE §3.3), a
school's 在校生数 summed over its segments, 教学及辅助用房计算面积, and county figures
compared with their sum over a complete school list.
"""

from __future__ import annotations

import operator
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from eduint.checking.schema import FieldInfo, ScopeKind
from eduint.core import values as v
from eduint.core.refs import EntityRef, FieldRef
from eduint.core.statistics import split_shares
from eduint.core.units import Unit
from eduint.core.values import Code, Reason, Value
from eduint.data import derived, models
from eduint.engine import _tables as P
from eduint.engine._prepare import (
    _COMPULSORY,
    _ENUMS,
    _OPEN_BAND,
    COUNTY,
    COUNTY_SEGMENT,
    SCHOOL,
    SEGMENT,
    Band,
    _descend,
    _r,
    _split_problem,
    _u,
    below,
)
from eduint.engine._tables import field_ref, model_field

if TYPE_CHECKING:
    from eduint.engine._tables import Column, Effect, Rows
    from eduint.engine.population import Population, Table

_ONE = Fraction(1)


def _figure_value(fig: Any, scale: Fraction) -> tuple[Value, str, bool]:
    """A model value as (value, text as shown, approximate)."""
    if isinstance(fig, models.Figure):
        lo = P.exact(fig.low, scale)
        if fig.high == fig.low:
            value: Value = v.Interval(lo, lo, True) if fig.approximate else lo
        else:
            value = v.Interval(lo, P.exact(fig.high, scale), fig.approximate)
        return value, str(fig), fig.approximate
    if isinstance(fig, bool):
        return fig, "是" if fig else "否", False
    if isinstance(fig, int):
        return fig, str(fig), False
    if isinstance(fig, _ENUMS):
        return str(fig.value), str(fig.value), False
    return str(fig), str(fig), False


def raw_column(pop: Population, scope: ScopeKind, field: FieldRef, unit: Unit | None) -> Column:
    """The figure ``field`` of each row as the data gives it, in the canonical unit of
    ``unit``'s dimensions."""
    t = pop.tables[scope]
    n = len(t)
    name = field.name
    scale = unit.scale if unit is not None else _ONE
    if n and scale == 1:
        fast = _plain_column(pop, t, field, unit)
        if fast is not None:
            return fast
    vals: list[Value] = [None] * n  # type: ignore[list-item]
    texts: list[str | None] = [None] * n
    approx: list[bool] = [False] * n
    whole = scale == 1
    kind: type | None = None
    direct = True
    for r, obj in enumerate(t.objs):
        if type(obj) is not kind and obj is not None and type(obj) is not Band:
            kind = type(obj)
            direct = name in _fields(kind)
        if direct and kind is not None and type(obj) is kind:
            # the common case: a figure of the model, exact, in a unit of scale 1
            fig = getattr(obj, name)
            if type(fig) is models.Figure and whole and not fig.approximate:
                lo = fig.low
                if lo == fig.high:
                    num, den = lo.as_integer_ratio()
                    vals[r] = num if den == 1 else v.ratio(num, den)
                    texts[r] = fig.text or str(lo)
                    continue
        if obj is None:
            vals[r] = P.unknown_figure(Code.MISSING_FIGURE, t.ref(r), field)
            continue
        if type(obj) is Band:
            if name == "size":
                hi = obj.high if obj.high is not None else _OPEN_BAND
                vals[r] = obj.low if hi == obj.low else v.Interval(obj.low, hi)
                texts[r] = f"{obj.low}–{obj.high if obj.high is not None else ''}"
            else:
                vals[r] = P.unknown_figure(Code.FIGURE_AS_BANDS, t.ref(r), field)
            continue
        fig = obj.extra.get(name) if name not in _fields(type(obj)) else getattr(obj, name)
        if fig is None:
            vals[r] = P.unknown_figure(Code.MISSING_FIGURE, t.ref(r), field)
            continue
        vals[r], texts[r], approx[r] = _figure_value(fig, scale)
    base = pop.cell_block(t, field, unit, vals, texts)
    effects: list[Effect] = [
        None if texts[r] is None else (P.Effects((base + r,), True) if approx[r] else base + r)
        for r in range(n)
    ]
    return P.Column(vals, effects)


def _plain_column(pop: Population, t: Table, field: FieldRef, unit: Unit | None) -> Column | None:
    """The column when every row is a model object of one class whose figure ``field`` is
    given exactly (the common case, in one tight loop), else ``None``."""
    kinds = set(map(type, t.objs))
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    name = field.name
    if kind is Band or not attrs.has(kind) or name not in _fields(kind):
        return None
    figs = list(map(operator.attrgetter(name), t.objs))
    vals: list[Value] = []
    texts: list[str | None] = []
    figure = models.Figure
    for fig in figs:
        if fig.__class__ is not figure or fig.approximate:
            return None
        lo = fig.low
        if lo != fig.high:
            return None
        num, den = lo.as_integer_ratio()
        vals.append(num if den == 1 else v.ratio(num, den))
        texts.append(fig.text or str(lo))
    base = pop.cell_block(t, field, unit, vals, texts)
    return P.Column(vals, list(range(base, base + len(texts))))


_FIELDS: dict[type, frozenset[str]] = {}


def _fields(cls: type) -> frozenset[str]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = frozenset(attrs.fields_dict(cls))
    return names


def students_column(pop: Population, compulsory: bool, unit: Unit | None) -> Column:
    """Each school's 在校生数: its (compulsory) segments' sum (data.derived.sum_students)."""
    t = pop.tables[SCHOOL]
    field, model_unit = model_field(SEGMENT, "students")
    seg_students = pop.raw(SEGMENT, field, unit if unit is not None else model_unit)
    segment_of = pop.tables[SEGMENT].segment
    vals: list[Value] = []
    effects: list[Effect] = []
    for p in range(len(t)):
        segs = pop.segment_rows(p)
        if segs.missing is not None:
            vals.append(v.Unknown((segs.missing,)))
            effects.append(None)
            continue
        rows = [r for r in segs.rows if not compulsory or segment_of[r] in _COMPULSORY]
        vals.append(derived.sum_students([seg_students.values[r] for r in rows]))
        effects.append(P.merge_effects(*(seg_students.effects[r] for r in rows)))
    return P.Column(vals, effects)


def physical_column(pop: Population, field: FieldRef, unit: Unit | None) -> Column:
    """A segment's physical figure: its own, or its school's split by the rule set's
    one-through-school weights (REFERENCE §3.3)."""
    segs = pop.tables[SEGMENT]
    name = field.name
    own = pop.raw(SEGMENT, field, unit)
    if all(getattr(obj, name) is not None for obj in segs.objs):
        return own  # every segment gives its own figure: nothing to split
    whole = pop.raw(SCHOOL, field, unit)
    vals: list[Value] = []
    effects: list[Effect] = []
    for r in range(len(segs)):
        if getattr(segs.objs[r], name) is not None:
            vals.append(own.values[r])
            effects.append(own.effects[r])
            continue
        value, effect = _split(pop, r, field, whole.values[segs.parent[r]])
        vals.append(value)
        effects.append(P.merge_effects(whole.effects[segs.parent[r]], effect))
    return P.Column(vals, effects)


def _split(pop: Population, r: int, field: FieldRef, whole: Value) -> tuple[Value, Effect]:
    """Segment ``r``'s share of its school's figure ``whole``, and the effects."""
    if not v.is_number(whole):
        return whole, None
    segs, schools = pop.tables[SEGMENT], pop.tables[SCHOOL]
    p = segs.parent[r]
    school: models.School = schools.objs[p]
    sref = schools.ref(p)
    segments = school.segments or ()
    if len(segments) == 1:
        return whole, None
    consulted = ["split_indicators"]
    if field.name not in pop.settings.split_indicators:
        why = _u(Code.WHOLE_SCHOOL_NOT_SPLIT, sref, field)
        return why, P.Effects(provisional=pop.provisional(*consulted))
    how = pop.split_cache.get(p)
    if how is None:
        how = pop.split_cache[p] = _shares(pop, school)
    if how[0] == "needs":
        why = _u(Code.SPLIT_NEEDS_STUDENTS, sref, how[1], field)
        return why, P.Effects(provisional=pop.provisional(*consulted))
    weights_name = how[1]
    prov = pop.provisional(*consulted, weights_name)
    if how[0] == "problem":
        return _u(how[2], sref, field, *how[3:]), P.Effects(provisional=prov)
    share = how[2][segs.segval[r]]
    note = _r(Code.SPLIT_SHARE, segs.ref(r), field, share, weights_name)
    return v.mul(whole, share), P.Effects(provisional=prov, notes=(note,))


def _shares(pop: Population, school: models.School) -> tuple[Any, ...]:
    """How a one-through school's figures split, the same for every figure:
    ``("needs", segment)`` (a segment's 在校生数 is not a single number),
    ``("problem", weights setting, code, *args)``, or ``("ok", weights setting, shares)``."""
    students: dict[str, Fraction] = {}
    for s in school.segments or ():
        n = s.students.value if s.students is not None else None
        if n is None:
            return ("needs", s.segment.value)
        students[s.segment.value] = Fraction(n)
    weights_name = (
        "complete_middle_weights"
        if school.kind == models.SchoolKind.COMPLETE_MIDDLE
        else "split_weights"
    )
    weights = getattr(pop.settings, weights_name)
    problem = _split_problem(students, weights)
    if problem is not None:
        return ("problem", weights_name, *problem)
    return ("ok", weights_name, split_shares(students, weights))


def net_area_column(pop: Population, unit: Unit | None) -> Column:
    """教学及辅助用房计算面积 of each segment (data.derived.teaching_area_net)."""
    area = pop.physical(model_field(SEGMENT, "floor_area_teaching")[0], unit)
    consulted = P.Effects(provisional=pop.provisional("subtract_indoor_sports"))
    if not pop.settings.subtract_indoor_sports:
        return P.Column(
            [derived.teaching_area_net(x, None) for x in area.values],
            [P.merge_effects(e, consulted) for e in area.effects],
        )
    sports = pop.physical(model_field(SEGMENT, "indoor_sports_area")[0], unit)
    return P.Column(
        [derived.teaching_area_net(a, b) for a, b in zip(area.values, sports.values, strict=True)],
        [
            P.merge_effects(a, consulted, b)
            for a, b in zip(area.effects, sports.effects, strict=True)
        ],
    )


def _sum_over(
    pop: Population, lst: Rows, field: FieldRef, unit: Unit | None
) -> tuple[Value, Effect]:
    """A figure summed over a list of school segments (unknown when the list is incomplete)."""
    if lst.missing is not None:
        return v.Unknown((lst.missing,)), None
    if not lst.complete:
        return v.Unknown((Reason(Code.INCOMPLETE_SUM, (field,)), *lst.gaps)), None
    col = pop.raw(SEGMENT, field, unit)
    value = derived.sum_students([col.values[r] for r in lst.rows])
    return value, P.merge_effects(*(col.effects[r] for r in lst.rows))


def _prefer_given(
    given: Value, summed: Value, entity: EntityRef, field: FieldRef
) -> tuple[Value, Effect]:
    if v.is_number(given):
        if v.is_number(summed) and v.bounds(summed)[:2] != v.bounds(given)[:2]:  # type: ignore[arg-type]
            warning = _r(Code.FIGURE_DIFFERS, entity, field, given, summed)
            return given, P.Effects(warnings=(warning,))
        return given, None
    return (summed if v.is_number(summed) else given), None


def summed_column(pop: Population, scope: ScopeKind, info: FieldInfo) -> Column:
    """A county (or county segment) figure that may also be summed over its complete
    school list: the given figure is used, and a warning says when the sum differs."""
    t = pop.tables[scope]
    field = field_ref(info)
    given = pop.raw(scope, field, info.unit)
    seg_field = model_field(SEGMENT, info.name)[0]
    vals: list[Value] = []
    effects: list[Effect] = []
    for r in range(len(t)):
        lst = pop.schools if scope == COUNTY else below(pop, scope, r, SEGMENT)
        if lst.missing is not None or not lst.complete:
            vals.append(given.values[r])
            effects.append(P.merge_effects(given.effects[r], lst.effects))
            continue
        listed = lst.effects
        if scope == COUNTY:
            lst = _descend(pop, lst._replace(effects=None), SCHOOL, SEGMENT, None)
        summed, e_sum = _sum_over(pop, lst, seg_field, info.unit)
        value, e_warn = _prefer_given(given.values[r], summed, t.ref(r), field)
        vals.append(value)
        effects.append(P.merge_effects(given.effects[r], listed, lst.effects, e_sum, e_warn))
    return P.Column(vals, effects)


def field_column(pop: Population, info: FieldInfo) -> Column:
    """The column a rule's reference to ``info`` reads (the evaluator's field routes)."""
    unit = info.unit
    if info.derived and info.scope == SCHOOL and info.name == "students":
        return pop.school_students(False, unit)
    if info.derived and info.scope == SCHOOL and info.name == "compulsory_students":
        return pop.school_students(True, unit)
    if info.scope == SEGMENT:
        if info.name == "teaching_area_net":
            return net_area_column(pop, unit)
        if info.name in P.PHYSICAL:
            return pop.physical(field_ref(info), unit)
    if info.scope == COUNTY_SEGMENT and info.name in P.SUMMABLE_SEGMENT:
        return summed_column(pop, COUNTY_SEGMENT, info)
    if info.scope == COUNTY and info.name in P.SUMMABLE_COUNTY:
        return summed_column(pop, COUNTY, info)
    return pop.raw(info.scope, field_ref(info), unit)
