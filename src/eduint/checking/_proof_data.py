"""Counterexample data: the figures of one entity, built from a grid point of the proof.

The search (:mod:`eduint.checking._proof_search`) gives, for each quantity, a region in
which any value makes the child rule pass and the parent rule fail.  This module picks a
value in each region and the data fields that produce it, in eduint's YAML data shape:

* a field compared directly takes the value (a whole number for a count);
* ``per100(a, b)``, ``ratio(a, b)`` and ``a / b`` share their denominators: one
  denominator is chosen (``在校生数`` of 100, 200, 500, 1000 … students) so that every
  numerator comes out whole where it is a count, and the quotient lands in its region
  exactly (the 7 indicators of the 6-of-7 rule over one 在校生数);
* a 差异系数 ``cv(x over 学段)`` is built from two schools of equal 在校生数 whose figures
  are ``r + p`` and ``r - p``: the student-weighted CV is then exactly ``p / r``;
* a comparison ``a op k * b`` (a ratio) fixes ``b`` first, then ``a``;
* a flag or an enum comparison left free takes the value the grid point needs.

Anything else (a difference of two quantities, ``count(…)``, a CV with a filter, a CV of 1
or more) raises :class:`CannotBuild`: the proof is then undecided, never looser without
data.  Values are picked inside their regions, away from the boundaries where possible,
and with as few digits as possible.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from fractions import Fraction

import attrs

from eduint.checking._proof_formula import Point, Quantity, Registry, canon
from eduint.checking._proof_search import Found, Region
from eduint.checking._proof_show import decimal_text, show_number
from eduint.checking.ruleset import Aggregate, Binary, Const, FieldRef, Function, Negate, RExpr
from eduint.checking.schema import FieldInfo, ScopeKind
from eduint.core.units import DIMENSIONLESS

__all__ = ["CannotBuild", "build_data", "pick_value"]

#: The evaluation date written into counterexamples that need no particular date.
DEFAULT_AS_OF = "2021-09-01"

#: Denominators tried (persons of a school segment, first the plausible ones).
_DENOMINATORS = (100, 200, 500, 1000, 50, 20, 10, 2000, 5000, 10000, 20000, 50000, 100000)

#: Where an entity's key of another kind is written: (entity, field).
_KEY_FIELDS = {"province": ("county", "province"), "school_kind": ("school", "kind")}

#: The school kind of a school whose only segment is the key.
_KIND = {"小学": "小学", "初中": "初中", "高中": "完全中学"}


class CannotBuild(Exception):
    """No data could be built for a grid point; the message says why."""


# ------------------------------------------------------------------ values


def _finite(x: Fraction) -> bool:
    """Whether ``x`` has a finite decimal (a data file can state it exactly)."""
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def pick_value(r: Region, integer: bool = False, nonneg: bool = True) -> Fraction | None:
    """A value in ``r`` with as few digits as possible, inside the region (away from its
    bounds) when it has an inside, near its middle; ``None`` when there is none.

    Args:
        r: the region.
        integer: only whole numbers.
        nonneg: only values ≥ 0.
    """
    if isinstance(r.sample, str):
        return None
    integer = integer or r.integer
    lo, hi = r.lo, r.hi
    if nonneg and (lo is None or lo < 0):
        lo, lo_closed = Fraction(0), True
    else:
        lo_closed = r.lo_closed
    hi_closed = r.hi_closed
    if lo is not None and hi is not None and lo == hi:
        ok = lo_closed and hi_closed and (not integer or lo.denominator == 1) and _finite(lo)
        return lo if ok else None
    if lo is not None and hi is not None and lo > hi:
        return None
    one = Fraction(1)
    if lo is not None:
        lo_eff = lo
    else:
        lo_eff = hi - max(abs(hi), one) if hi is not None else -one
    hi_eff = hi if hi is not None else lo_eff + max(abs(lo_eff), one)
    for inside in (True, False):
        for k in range(6, -9, -1):
            if integer and k < 0:
                break
            step = Fraction(10) ** k
            first = math.ceil(lo_eff / step) * step
            if first == lo_eff and (inside or not lo_closed or lo is None):
                first += step
            last = math.floor(hi_eff / step) * step
            if last == hi_eff and (inside or not hi_closed or hi is None) and hi is not None:
                last -= step
            if first > last:
                continue
            mid = round((lo_eff + hi_eff) / 2 / step) * step
            return min(max(Fraction(mid), Fraction(first)), Fraction(last))
    return None


def _intersect(a: Region | None, b: Region) -> Region | None:
    """The values in both regions (``None``: none)."""
    if a is None:
        return b
    if isinstance(a.sample, str) or isinstance(b.sample, str):
        return None
    lo, lo_c = a.lo, a.lo_closed
    if b.lo is not None and (lo is None or b.lo > lo or (b.lo == lo and not b.lo_closed)):
        lo, lo_c = b.lo, b.lo_closed
    hi, hi_c = a.hi, a.hi_closed
    if b.hi is not None and (hi is None or b.hi < hi or (b.hi == hi and not b.hi_closed)):
        hi, hi_c = b.hi, b.hi_closed
    if lo is not None and hi is not None and (lo > hi or (lo == hi and not (lo_c and hi_c))):
        return None
    sample = lo if lo is not None else (hi if hi is not None else Fraction(0))
    return Region(lo, lo_c, hi, hi_c, sample, a.integer or b.integer)


def _scaled(r: Region, k: Fraction) -> Region:
    """``r`` multiplied by ``k > 0``."""
    lo = None if r.lo is None else r.lo * k
    hi = None if r.hi is None else r.hi * k
    s = r.sample * k if not isinstance(r.sample, str) else r.sample
    return Region(lo, r.lo_closed, hi, r.hi_closed, s, False)


def _point(x: Fraction, integer: bool = False) -> Region:
    return Region(x, True, x, True, x, integer)


_POSITIVE = Region(Fraction(0), False, None, False, Fraction(1))


def yaml_number(x: Fraction) -> object:
    """A figure as a YAML scalar that eduint reads back exactly (an int, or a decimal)."""
    if x.denominator == 1:
        return int(x)
    text = decimal_text(x)
    as_float = float(text)
    return as_float if repr(as_float) == text else text


# ------------------------------------------------------------------- shapes


@attrs.frozen
class _RatioShape:
    """``factor * num / den`` over two fields; ``zeros`` are the other fields of a
    numerator or denominator written as a sum (``毕业生数 - 转入学生数 + 转出学生数``), set
    to 0."""

    num: FieldInfo
    den: FieldInfo
    factor: Fraction
    zeros: tuple[FieldInfo, ...] = ()


def _sum_of_fields(e: RExpr) -> tuple[FieldInfo, list[FieldInfo]] | None:
    """``F₁ ± F₂ ± …`` as its first field (added) and the others, or ``None``."""
    lin = _linear(e)
    if lin is None or lin[1] != 0 or not lin[0]:
        return None
    fields = [t.field for _, t in lin[0] if isinstance(t, FieldRef)]
    if len(fields) != len(lin[0]) or lin[0][0][0] != 1 or any(abs(a) != 1 for a, _ in lin[0]):
        return None
    return fields[0], fields[1:]


def _ratio_shape(e: RExpr | None) -> _RatioShape | None:
    if isinstance(e, Function) and e.fn in ("per100", "ratio"):
        a, b = e.args
        factor = Fraction(100) if e.fn == "per100" else Fraction(1)
    elif isinstance(e, Binary) and e.op == "/":
        a, b, factor = e.left, e.right, Fraction(1)
    else:
        return None
    top, bottom = _sum_of_fields(a), _sum_of_fields(b)
    if top is None or bottom is None:
        return None
    return _RatioShape(top[0], bottom[0], factor, tuple(top[1] + bottom[1]))


def _linear(e: RExpr) -> tuple[list[tuple[Fraction, RExpr]], Fraction] | None:
    """``e`` as ``Σ aᵢ·tᵢ + b`` over sub-expressions ``tᵢ`` (constants folded), or ``None``
    when a product or quotient of two non-constants is in the way."""
    match e:
        case Const(value, type=t):
            return [], Fraction(value) * t.unit.scale
        case Negate(operand):
            inner = _linear(operand)
            if inner is None:
                return None
            return [(-a, x) for a, x in inner[0]], -inner[1]
        case Binary(op, left, right):
            a, b = _linear(left), _linear(right)
            if a is None or b is None:
                return None
            if op in ("+", "-"):
                s = 1 if op == "+" else -1
                return a[0] + [(s * k, x) for k, x in b[0]], a[1] + s * b[1]
            if op == "*" and not b[0]:
                return [(k * b[1], x) for k, x in a[0]], a[1] * b[1]
            if op == "*" and not a[0]:
                return [(k * a[1], x) for k, x in b[0]], b[1] * a[1]
            if op == "/" and not b[0] and b[1] != 0:
                return [(k / b[1], x) for k, x in a[0]], a[1] / b[1]
            return None
    return [(Fraction(1), e)], Fraction(0)


def _shifted(r: Region, by: Fraction) -> Region:
    """``r`` plus ``by``."""
    lo = None if r.lo is None else r.lo + by
    hi = None if r.hi is None else r.hi + by
    s = r.sample + by if not isinstance(r.sample, str) else r.sample
    return Region(lo, r.lo_closed, hi, r.hi_closed, s, False)


_UNIT_CV = Region(Fraction(0), True, Fraction(1), False, Fraction(0))


# --------------------------------------------------------------------- data


class _Data:
    """The county being built, with the entity of the rule's scope."""

    def __init__(self, scope: ScopeKind, point: Point, segment: str, as_of: str):
        self.scope = scope
        self.segment = segment
        self.county: dict[str, object] = {"name": "反例县", "as_of": as_of}
        self.cseg: dict[str, object] = {}
        self.school: dict[str, object] = {"id": "S1", "name": "反例学校1"}
        self.seg: dict[str, object] = {}
        self.klass: dict[str, object] = {"name": "1班"}
        self.others: list[dict[str, object]] = []
        if point.region is not None:
            self.county["region"] = point.region
        if point.location is not None:
            self.school["location"] = point.location
        for kind, key in point.others:
            if kind not in _KEY_FIELDS:
                raise CannotBuild(f"an entity keyed by {kind}")
            where, name = _KEY_FIELDS[kind]
            (self.county if where == "county" else self.school)[name] = key

    def target(self, scope: ScopeKind) -> dict[str, object]:
        """The mapping that holds the fields of ``scope`` for the rule's entity."""
        if scope not in tuple(self.scope.ancestors()):
            raise CannotBuild(f"a {scope.label} figure outside an aggregate")
        return {
            ScopeKind.COUNTY: self.county,
            ScopeKind.COUNTY_SEGMENT: self.cseg,
            ScopeKind.SCHOOL: self.school,
            ScopeKind.SEGMENT: self.seg,
            ScopeKind.CLASS: self.klass,
        }[scope]

    def put(self, f: FieldInfo, value: object, into: dict[str, object] | None = None) -> None:
        """Set field ``f`` (a derived field through the figures it is computed from)."""
        if f.derived:
            if f.name == "teaching_area_net":
                names = [("floor_area_teaching", value), ("indoor_sports_area", 0)]
                scope = ScopeKind.SEGMENT
            elif f.name in ("students", "compulsory_students"):
                names, scope = [("students", value)], ScopeKind.SEGMENT
            else:
                raise CannotBuild(f"the derived figure {f.label or f.name}")
            if into is None:
                into = self.target(scope) if f.scope is not ScopeKind.SCHOOL else self.seg
        else:
            names = [(f.name, value)]
            into = self.target(f.scope) if into is None else into
        for name, v in names:
            if name in into and into[name] != v:
                raise CannotBuild(f"{f.label or f.name} would need two values")
            into[name] = v

    def figure(
        self, f: FieldInfo, canonical: Fraction, into: dict[str, object] | None = None
    ) -> None:
        """Set a figure given in canonical units (a count must come out whole)."""
        scale = f.unit.scale if f.unit is not None else Fraction(1)
        x = canonical / scale
        if x < 0 or (f.count and x.denominator != 1) or not _finite(x):
            raise CannotBuild(f"{f.label or f.name} = {x} is not a valid figure")
        self.put(f, yaml_number(x), into)

    def mapping(self) -> dict[str, object]:
        """The county as a YAML data mapping."""
        seg = dict(self.seg)
        if self.scope is ScopeKind.CLASS:
            seg["classes"] = [self.klass]
            seg["classes_complete"] = True
        out = dict(self.county)
        if self.cseg:
            out["segments"] = {self.segment: self.cseg}
        out["schools_complete"] = True
        schools: list[dict[str, object]] = []
        if self.scope in (ScopeKind.SCHOOL, ScopeKind.SEGMENT, ScopeKind.CLASS):
            school = dict(self.school)
            school.setdefault("kind", _KIND.get(self.segment, "小学"))
            school.setdefault("ownership", "公办")
            school["segments"] = {self.segment: seg}
            schools.append(school)
        schools += self.others
        out["schools"] = schools
        return out


# --------------------------------------------------------------------- plan


@attrs.define
class _Plan:
    """The data shapes the targets need — fields with regions, quotients over shared
    denominators, CVs — and, once solved, the values chosen (canonical units)."""

    fields: dict[FieldInfo, Region] = attrs.field(factory=dict)
    groups: dict[FieldInfo, list[tuple[_RatioShape, Region]]] = attrs.field(factory=dict)
    cvs: list[tuple[Aggregate, Region]] = attrs.field(factory=list)
    bounded: list[tuple[Function, FieldInfo, Fraction, Region, str]] = attrs.field(factory=list)
    values: dict[FieldInfo, Fraction] = attrs.field(factory=dict)
    cv_values: dict[Hashable, Fraction] = attrs.field(factory=dict)

    def field(self, f: FieldInfo, region: Region, name: str) -> None:
        """``f`` must lie in ``region`` (too)."""
        both = _intersect(self.fields.get(f), region)
        if both is None:
            raise CannotBuild(f"{f.label or f.name} is needed in two places ({name})")
        self.fields[f] = both

    def add(self, e: RExpr, region: Region, name: str) -> None:
        """Plan the data that puts ``e`` in ``region``."""
        shape = _ratio_shape(e)
        if isinstance(e, FieldRef):
            self.field(e.field, region, name)
        elif shape is not None:
            self.groups.setdefault(shape.den, []).append((shape, region))
        elif isinstance(e, Aggregate) and e.fn == "cv":
            self.cvs.append((e, region))
        elif isinstance(e, Function) and e.fn in ("max", "min") and isinstance(e.args[0], FieldRef):
            k = _linear(e.args[1])
            if k is None or k[0]:
                raise CannotBuild(f"no data can be built for {name}")
            self.bounded.append((e, e.args[0].field, k[1], region, name))
        else:
            self._linear(e, region, name)

    def _linear(self, e: RExpr, region: Region, name: str) -> None:
        """``Σ aᵢ·tᵢ + b`` with positive ``aᵢ``: one term takes the region shifted and
        scaled; several CVs (a composite) all take one common value."""
        lin = _linear(e)
        if lin is None or not lin[0] or any(a <= 0 for a, _ in lin[0]):
            raise CannotBuild(f"no data can be built for {name}")
        terms, b = lin
        if len(terms) == 1 and terms[0][1] is e:
            raise CannotBuild(f"no data can be built for {name}")
        inner = _scaled(_shifted(region, -b), 1 / sum((a for a, _ in terms), Fraction(0)))
        if len(terms) == 1:
            self.add(terms[0][1], inner, name)
            return
        if not all(isinstance(t, Aggregate) and t.fn == "cv" for _, t in terms):
            raise CannotBuild(f"no data can be built for {name}")
        room = _intersect(inner, _UNIT_CV)
        c = None if room is None else pick_value(room)
        if c is None:
            raise CannotBuild(f"no common CV puts {name} in {region.describe()}")
        for _, t in terms:
            self.add(t, _point(c), name)

    def finish(self) -> None:
        """Turn each ``max(F, k)``/``min(F, k)`` target into a region of ``F``."""
        for e, f, k, region, name in self.bounded:
            own = self.fields.get(f)
            # max(F, k) = v: F = v when v > k; F anywhere up to k when v = k (min: mirrored)
            if e.fn == "max":
                beyond, at = Region(k, False, None, False, k + 1), Region(None, False, k, True, k)
            else:
                beyond, at = Region(None, False, k, False, k - 1), Region(k, True, None, False, k)
            options = [_intersect(region, beyond)]
            if region.contains(k):
                options.insert(0, at)
            for option in options:
                both = None if option is None else _intersect(own, option)
                if both is not None and pick_value(both, f.count, f.kind == "quantity"):
                    self.fields[f] = both
                    break
            else:
                raise CannotBuild(f"no {f.label or f.name} puts {name} in {region.describe()}")

    def value(self, e: RExpr) -> Fraction | None:
        """The value ``e`` comes out at with the values chosen (``None``: not known)."""
        shape = _ratio_shape(e)
        if isinstance(e, FieldRef):
            return self.values.get(e.field)
        if shape is not None:
            n, d = self.values.get(shape.num), self.values.get(shape.den)
            return None if n is None or not d else shape.factor * n / d
        if isinstance(e, Aggregate):
            return self.cv_values.get(canon(e))
        if isinstance(e, Function) and e.fn in ("max", "min"):
            xs = [self.value(x) for x in e.args]
            known = [x for x in xs if x is not None]
            if len(known) != len(xs):
                return None
            return max(known) if e.fn == "max" else min(known)
        lin = _linear(e)
        if lin is None or (len(lin[0]) == 1 and lin[0][0][1] is e):
            return None
        total = lin[1]
        for a, t in lin[0]:
            x = self.value(t)
            if x is None:
                return None
            total += a * x
        return total


# --------------------------------------------------------------- building


def build_data(
    scope: ScopeKind,
    point: Point,
    segment: str,
    as_of: str,
    found: Found,
    reg: Registry,
) -> tuple[dict[str, object], str]:
    """The data of one entity at the grid point ``found``, and a one-line summary.

    Args:
        scope: the rule's scope.
        point: the key and date of the comparison.
        segment: the entity's segment (the key, or the rule's first segment).
        as_of: the evaluation date written into the data (ISO).
        found: the grid point (regions of the quantities, truth of the free conditions).
        reg: the registry of the quantities.

    Raises:
        CannotBuild: some quantity or condition has no data shape eduint can build.
    """
    data = _Data(scope, point, segment, as_of)
    for i, value in found.free.items():
        cond = reg.free[i]
        if cond.field is not None:
            if cond.field.name == "segment":
                raise CannotBuild("a condition on the segment")
            data.put(cond.field, found.fields[cond.field.name])
        else:
            _free(data, cond.expr, value, cond.name)
    plan = _Plan()
    for q, region in _resolve_ratios(found.regions, reg).items():
        quantity = reg.quantities[q]
        if quantity.expr is None:
            raise CannotBuild(f"no data can be built for {quantity.name}")
        plan.add(quantity.expr, region, quantity.name)
    plan.finish()
    for den, members in plan.groups.items():
        _solve_group(data, den, members, plan.fields.pop(den, None), plan.values)
    for f, region in plan.fields.items():
        x = pick_value(region, f.count, f.kind == "quantity")
        if x is None:
            raise CannotBuild(f"no value of {f.label or f.name} in {region.describe()}")
        data.figure(f, x)
        plan.values[f] = x
    if plan.cvs:
        _build_cvs(data, plan.cvs, plan.cv_values)
    shown = []
    for q in sorted(found.regions):
        quantity = reg.quantities[q]
        x = plan.value(quantity.expr) if quantity.expr is not None else None
        if x is not None:
            unit = quantity.expr.type.unit if quantity.expr is not None else DIMENSIONLESS
            shown.append(f"{quantity.name} = {show_number(x, unit)}")
    return data.mapping(), "; ".join(shown)


def _resolve_ratios(regions: Mapping[int, Region], reg: Registry) -> dict[int, Region]:
    """The regions with every ratio ``Q1/Q2`` replaced by regions of ``Q1`` and ``Q2``."""
    out: dict[int, Region] = {q: r for q, r in regions.items() if reg.quantities[q].ratio is None}
    for q, r in regions.items():
        ratio = reg.quantities[q].ratio
        if ratio is None:
            continue
        q1, q2 = ratio
        if r.sample == "Z0":
            pairs = [(q1, _point(Fraction(0))), (q2, _point(Fraction(0)))]
        elif r.sample == "Z+":
            pairs = [(q1, _POSITIVE), (q2, _point(Fraction(0)))]
        else:
            quantities = reg.quantities[q1], reg.quantities[q2]
            v2 = _ratio_denominator(r, out.get(q1), out.get(q2), *quantities)
            pairs = [(q2, _point(v2)), (q1, _scaled(r, v2))]
        for target, region in pairs:
            both = _intersect(out.get(target), region)
            if both is None:
                raise CannotBuild(f"{reg.quantities[target].name} is needed in two places")
            out[target] = both
    return out


def _ratio_denominator(
    r: Region, r1: Region | None, r2: Region | None, q1: Quantity, q2: Quantity
) -> Fraction:
    """A value of ``Q2`` for ``Q1/Q2`` in ``r``: positive, in ``Q2``'s own region, and such
    that ``Q1 = ratio × Q2`` can take a value of its domain (a whole number for a count)."""
    room = _intersect(r2, _POSITIVE)
    e = q2.expr
    if isinstance(e, Function) and e.fn == "max" and room is not None:  # max(F, k) >= k
        k = _linear(e.args[1])
        if k is not None and not k[0]:
            room = _intersect(room, Region(k[1], True, None, False, k[1]))
    if room is None:
        raise CannotBuild(f"{q2.name} must be 0 and divide")
    tries = [Fraction(d) for d in _DENOMINATORS if room.contains(Fraction(d))]
    first = pick_value(room, q2.integer)
    tries += [first] if first is not None else []
    for v2 in tries:
        target = _intersect(r1, _scaled(r, v2))
        if v2 > 0 and target is not None and pick_value(target, q1.integer, q1.nonneg) is not None:
            return v2
    raise CannotBuild(f"no value of {q2.name} gives {q1.name} a value in its region")


def _solve_group(
    data: _Data,
    den: FieldInfo,
    members: list[tuple[_RatioShape, Region]],
    own: Region | None,
    values: dict[FieldInfo, Fraction],
) -> None:
    """One denominator and the quotients over it: the first denominator (of the plausible
    ones, then multiples that make exact points whole) for which every numerator has a
    value in its region."""
    den_scale = den.unit.scale if den.unit is not None else Fraction(1)
    candidates: list[Fraction] = [Fraction(d) for d in _DENOMINATORS]
    for shape, region in members:
        if region.lo is not None and region.lo == region.hi:
            n_scale = shape.num.unit.scale if shape.num.unit is not None else Fraction(1)
            step = (region.lo * den_scale / (shape.factor * n_scale)).denominator
            candidates += [Fraction(step * m) for m in (1, 2, 5, 10, 100)]
    if own is not None:
        inside = _intersect(own, _POSITIVE)
        if inside is None:
            raise CannotBuild(f"{den.label or den.name} must be 0 and divide")
        candidates = [d for d in candidates if inside.contains(d * den_scale)]
        extra = pick_value(inside, den.count)
        if extra is not None:
            candidates.append(extra / den_scale)
    for d in dict.fromkeys(candidates):
        if d <= 0 or (den.count and d.denominator != 1):
            continue
        picked = _numerators(d * den_scale, members)
        if picked is None:
            continue
        data.figure(den, d * den_scale)
        values[den] = d * den_scale
        for (shape, _), n in zip(members, picked, strict=True):
            data.figure(shape.num, n)
            values[shape.num] = n
            for z in shape.zeros:
                data.figure(z, Fraction(0))
        return
    raise CannotBuild(f"no {den.label or den.name} makes every quotient over it land")


def _numerators(d: Fraction, members: list[tuple[_RatioShape, Region]]) -> list[Fraction] | None:
    """Numerators (canonical units) over the denominator ``d`` (canonical units)."""
    out: list[Fraction] = []
    for shape, region in members:
        n_scale = shape.num.unit.scale if shape.num.unit is not None else Fraction(1)
        # n (canonical) = q * d / factor; a count is whole in its own unit
        x = pick_value(_scaled(region, d / shape.factor / n_scale), shape.num.count)
        if x is None:
            return None
        out.append(x * n_scale)
    return out


def _build_cvs(
    data: _Data, cvs: list[tuple[Aggregate, Region]], values: dict[Hashable, Fraction]
) -> None:
    """Two schools of the entity's segment, 100 students each, whose figures give every
    CV exactly: figures ``r + p`` and ``r - p`` have the weighted CV ``p / r``."""
    if data.scope not in (ScopeKind.COUNTY, ScopeKind.COUNTY_SEGMENT):
        raise CannotBuild("a CV outside a county rule")
    kind = _KIND.get(data.segment, "小学")
    schools: list[dict[str, object]] = [
        {"id": f"S{i}", "name": f"反例学校{i}", "kind": kind, "ownership": "公办"} for i in (1, 2)
    ]
    segs: list[dict[str, object]] = [{"students": 100}, {"students": 100}]
    for agg, region in cvs:
        if agg.where is not None or agg.over not in (ScopeKind.SEGMENT, ScopeKind.SCHOOL):
            raise CannotBuild("a CV with a filter, or over classes")
        room = _intersect(region, _UNIT_CV)
        c = None if room is None else pick_value(room)
        if c is None:
            raise CannotBuild(f"a CV in {region.describe()} (two equal schools reach below 1 only)")
        x = agg.args[0]
        weight = agg.args[1] if len(agg.args) == 2 else None
        if weight is not None and not (
            isinstance(weight, FieldRef) and weight.field.name == "students"
        ):
            raise CannotBuild("a CV weighted by another figure than 在校生数")
        p, r = c.numerator, c.denominator
        shape = _ratio_shape(x)
        for school, seg, value in zip(schools, segs, (r + p, r - p), strict=True):

            def where(f: FieldInfo) -> dict[str, object]:
                return school if f.scope is ScopeKind.SCHOOL and not f.derived else seg  # noqa: B023

            if isinstance(x, FieldRef):
                data.put(x.field, value, where(x.field))
            elif shape is not None:
                data.put(shape.num, value, where(shape.num))
                for z in shape.zeros:
                    data.put(z, 0, where(z))
                if shape.den.name != "students":
                    data.put(shape.den, 100, where(shape.den))
            else:
                raise CannotBuild(f"a CV of {x.type.describe()} built from other figures")
        values[canon(agg)] = c
    for school, seg in zip(schools, segs, strict=True):
        school["segments"] = {data.segment: seg}
        data.others.append(school)


def _free(data: _Data, e: RExpr, value: bool, name: str) -> None:
    """Make the free condition ``e`` come out ``value`` (a flag)."""
    if isinstance(e, FieldRef) and e.field.kind == "flag":
        data.put(e.field, value)
        return
    raise CannotBuild(f"no data can be built for the condition {name}")
