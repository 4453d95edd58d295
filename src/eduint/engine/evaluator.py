"""The evaluator: ``evaluate(ruleset, county, *, as_of=None) -> Report``.

A pure function: no clock, no I/O, no global state; the same inputs give the
same report, whatever the order of schools and classes.  It takes only a
checked :class:`~eduint.checking.ruleset.RuleSet`, so every name and unit is already
known to be valid.

Numeric policy
    Every figure and threshold is an exact rational (:class:`fractions.Fraction`)
    in the canonical unit of its dimension (万元 becomes 元 × 10000, % becomes
    1/100).  Ratios, per-100 rates and thresholds are therefore exact: 9
    teachers for 1,000 students is exactly 0.9 per 100, and 85 % of 4.5 is
    exactly 3.825.  Values are compared unrounded.  The one irrational
    operation, the square root inside the 差异系数, is computed to 40
    significant digits (relative error below 1e-39).

Three-valued logic
    A missing figure is never 0: it makes a value *unknown*, which carries the
    names of the missing figures.  ``and``/``or``/``not`` follow Kleene
    (false ∧ unknown = false; true ∨ unknown = true).  A division by zero is
    unknown with its reason, never a verdict.

Intervals
    ``30多`` is the interval 30–39.  Arithmetic carries intervals; a
    comparison that comes out the same over the whole interval is decided,
    otherwise it is unknown naming the figure.  Approximate figures (``约212``)
    are used as stated and flagged.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

import attrs

from eduint._compat import assert_never
from eduint.checking.ruleset import (
    Aggregate,
    Binary,
    BoolConst,
    CheckedRule,
    Comparison,
    Conditional,
    Const,
    Container,
    DatedValue,
    FieldRef,
    Function,
    KeyedValue,
    LetRef,
    ListOf,
    Logic,
    Membership,
    Negate,
    Not,
    PeriodValue,
    RExpr,
    RuleSet,
    SourceRef,
    Symbol,
    TextConst,
    ValueRef,
)
from eduint.checking.schema import ScopeKind
from eduint.core.statistics import split_shares, weighted_cv
from eduint.core.units import DIMENSIONLESS, Unit
from eduint.data import models
from eduint.engine.results import (
    Check,
    EntityResult,
    Input,
    ItemResult,
    Outcome,
    Report,
    ReportValue,
    SectionResult,
    combine_worst,
    from_self_status,
)
from eduint.errors import EduintError
from eduint.language.diagnostics import did_you_mean

__all__ = ["EvaluationError", "evaluate"]


class EvaluationError(EduintError):
    """The evaluation cannot start (e.g. no date to evaluate at)."""


# ------------------------------------------------------------------ values


@attrs.frozen
class Num:
    """A number as an interval [lo, hi] in the canonical unit; ``lo == hi`` when exact."""

    lo: Fraction
    hi: Fraction
    approx: bool = False

    @property
    def exact(self) -> bool:
        return self.lo == self.hi


@attrs.frozen
class Unknown:
    """A value that cannot be known.

    Attributes:
        reasons: what is missing or why (``育人小学.在校生数 missing``).
        kind: ``"missing"``, ``"report_only"`` (a period marked report-only) or
            ``"no_threshold"`` (no dated value in force).
    """

    reasons: tuple[str, ...]
    kind: str = "missing"


Val = Num | bool | str | Unknown | tuple[Any, ...]


def _unknown(*vals: Val) -> Unknown:
    reasons: list[str] = []
    kind = "missing"
    for v in vals:
        if isinstance(v, Unknown):
            reasons.extend(r for r in v.reasons if r not in reasons)
            if v.kind != "missing":
                kind = v.kind
    return Unknown(tuple(reasons), kind)


def _num(x: Fraction | int) -> Num:
    f = Fraction(x)
    return Num(f, f)


def _merge_unknown(a: Unknown, b: Unknown) -> Unknown:
    return _unknown(a, b)


# ------------------------------------------------------------------ entities


@attrs.frozen
class _Band:
    """Classes in a size band, standing in for that many classes of unknown exact size."""

    low: int
    high: int | None
    count: int


@attrs.frozen
class Ent:
    """An entity being evaluated: the county, a county segment, a school, a segment or a class."""

    kind: ScopeKind
    obj: Any
    where: str
    name: str
    parent: Ent | None
    segment: models.Segment | None = None
    mult: int = 1

    def up(self, kind: ScopeKind) -> Ent | None:
        e: Ent | None = self
        while e is not None and e.kind != kind:
            e = e.parent
        return e


@attrs.frozen
class _List:
    """Entities of a lower scope, with whether the list is complete."""

    items: tuple[Ent, ...]
    complete: bool
    missing: str | None = None  # why there is no list at all
    gaps: tuple[str, ...] = ()  # why the list is incomplete: whose sub-list is not given


class _Trace:
    """What one rule's evaluation touched: inputs, thresholds, flags, warnings."""

    def __init__(self) -> None:
        self.inputs: dict[tuple[str, str], Input] = {}
        self.flags: set[str] = set()
        self.provisional: list[str] = []
        self.periods: list[str] = []
        self.sources: list[str] = []
        self.warnings: list[str] = []
        # entities left out (settings, 0 students) and explanations (CV contributions)
        self.details: list[str] = []
        # the same, for the entity being evaluated (None between entities)
        self.entity_details: list[str] | None = None

    def detail(self, text: str) -> None:
        if text not in self.details:
            self.details.append(text)
        if self.entity_details is not None and text not in self.entity_details:
            self.entity_details.append(text)


@attrs.frozen
class _Ctx:
    ruleset: RuleSet
    county: models.County
    as_of: datetime.date


# County-level figures that may also be summed over a complete school list.
_SUMMABLE_COUNTY = {"students": "students", "full_time_teachers": "full_time_teachers"}
_SUMMABLE_SEGMENT = {"students", "full_time_teachers", "approved_posts"} & {
    a.name for a in attrs.fields(models.SchoolSegment)
}


class _Evaluator:
    def __init__(self, ctx: _Ctx) -> None:
        self.ctx = ctx
        self.trace = _Trace()
        # comparisons of the requirement being evaluated for one entity (see Check)
        self.checks: list[Check] | None = None
        self.agg_depth = 0
        self.group: str | None = None
        self.county_ent = Ent(ScopeKind.COUNTY, ctx.county, "county", ctx.county.name, None)

    # -------------------------------------------------------- entity lists
    def schools(self) -> _List:
        """The county's schools as the rule set's settings count them.

        特殊教育学校 and 民办 schools are left out unless the settings count them;
        教学点 are counted on their own, merged into their central school, or left
        out (``teaching_points``), and left out below ``teaching_point_min_students``.
        Every school left out is named in the result's details.
        """
        c = self.ctx.county
        if c.schools is None:
            return _List((), False, "学校名单 (list of schools) not given")
        by_id = {s.id: s for s in c.schools}
        merged: dict[str, models.School] = {}
        kept: list[tuple[int, models.School]] = []
        for i, s in sorted(enumerate(c.schools), key=lambda t: t[1].id):
            why = self._left_out(s, by_id)
            if why is None:
                kept.append((i, s))
            elif why == "merge":
                assert s.central_school is not None
                into = merged.get(s.central_school, by_id[s.central_school])
                merged[s.central_school] = _merge_school(into, s)
                self.trace.detail(
                    f"{s.name or s.id}: 教学点, merged into its central school "
                    f"{by_id[s.central_school].name or s.central_school}"
                )
            else:
                self.trace.detail(f"{s.name or s.id}: {why}")
        items = tuple(
            Ent(
                ScopeKind.SCHOOL,
                merged.get(s.id, s),
                f"schools[{i}]",
                s.name or s.id,
                self.county_ent,
            )
            for i, s in kept
        )
        return _List(items, c.schools_complete)

    def _setting_used(self, name: str) -> object:
        """A setting that decided something for this rule: a provisional one makes
        the verdict provisional, as a provisional threshold does."""
        s = self.ctx.ruleset.settings.get(name)
        if s is not None and s.provisional is not None:
            self._provisional(f"setting {name}: {s.provisional}" if s.provisional else name)
        return self._setting(name)

    def _setting(self, name: str) -> object:
        s = self.ctx.ruleset.settings.get(name)
        v = s.value if s is not None else None
        if isinstance(v, Const):
            return Fraction(v.value)
        if isinstance(v, BoolConst | Symbol):
            return v.value
        return v

    def _left_out(self, s: models.School, by_id: dict[str, models.School]) -> str | None:
        """Why the settings leave a school out ("merge" for a merged 教学点), or None."""
        if s.kind == models.SchoolKind.SPECIAL and self._setting_used("include_special") is False:
            return "特殊教育学校, not counted (setting include_special)"
        if (
            s.ownership == models.Ownership.PRIVATE
            and self._setting_used("include_private") is False
        ):
            return "民办, not counted (setting include_private)"
        if s.kind != models.SchoolKind.TEACHING_POINT:
            return None
        mode = self._setting_used("teaching_points")
        if mode == "不计入":
            return "教学点, not counted (setting teaching_points)"
        if mode == "并入中心校" and s.central_school in by_id:
            return "merge"
        minimum = self._setting("teaching_point_min_students")
        if isinstance(minimum, Fraction) and minimum > 0:
            # a minimum of 0 (the default) leaves nothing out: it decides nothing
            self._setting_used("teaching_point_min_students")
            n = _students_of(s)
            if n is not None and n < minimum:
                return (
                    f"教学点 with {n} students, below {minimum} "
                    "(setting teaching_point_min_students)"
                )
        return None

    def segments_of(self, school: Ent, only: models.Segment | None = None) -> _List:
        s: models.School = school.obj
        if s.segments is None:
            return _List((), False, f"{school.name}: 学段 figures not given")
        items = tuple(
            Ent(
                ScopeKind.SEGMENT,
                seg,
                f"{school.where}.segments.{seg.segment.value}",
                f"{school.name} {seg.segment.value}",
                school,
                seg.segment,
            )
            for seg in s.segments
            if only is None or seg.segment == only
        )
        return _List(items, True)

    def classes_of(self, seg_ent: Ent) -> _List:
        seg: models.SchoolSegment = seg_ent.obj
        clash = _class_count_clash(seg)
        if clash is not None:
            return _List((), False, f"{seg_ent.name}: {clash}")
        if seg.classes is not None:
            items = tuple(
                Ent(
                    ScopeKind.CLASS,
                    c,
                    f"{seg_ent.where}.classes[{i}]",
                    f"{seg_ent.name} {c.name or i + 1}",
                    seg_ent,
                    seg_ent.segment,
                )
                for i, c in enumerate(seg.classes)
            )
            return _List(items, seg.classes_complete)
        if seg.size_bands is not None:
            bands: list[Ent] = []
            ordered = sorted(seg.size_bands, key=lambda b: b.low)
            for a, b in zip(ordered, ordered[1:], strict=False):
                if a.high is None or a.high >= b.low:
                    return _List(
                        (),
                        False,
                        f"{seg_ent.name}: class-size bands overlap "
                        f"({a.low}–{a.high if a.high is not None else ''} and {b.low}–)",
                    )
            for i, b in enumerate(seg.size_bands):
                band = f"{b.low}–{b.high if b.high is not None else ''}"
                if b.count is None:
                    return _List((), False, f"{seg_ent.name}: class count of band {band} not given")
                if b.count.value is None:
                    return _List(
                        (),
                        False,
                        f"{seg_ent.name}: class count of band {band} is a range ({b.count})",
                    )
                if b.count.approximate:
                    self.trace.flags.add("approximate")
                    self._input(f"{seg_ent.where}.size_bands[{i}]", "count", "班级数", str(b.count))
                n = int(b.count.value)
                if n:
                    bands.append(
                        Ent(
                            ScopeKind.CLASS,
                            _Band(b.low, b.high, n),
                            f"{seg_ent.where}.size_bands[{i}]",
                            f"{seg_ent.name} {band}人",
                            seg_ent,
                            seg_ent.segment,
                            n,
                        )
                    )
            return _List(tuple(bands), True)
        return _List((), False, f"{seg_ent.name}: 班级 (classes) not given")

    def below(self, ent: Ent, over: ScopeKind) -> _List:
        """Entities of scope ``over`` under ``ent``."""
        if ent.kind in (ScopeKind.COUNTY, ScopeKind.COUNTY_SEGMENT):
            schools = self.schools()
            if ent.kind == ScopeKind.COUNTY_SEGMENT:
                assert ent.segment is not None
                seg = ent.segment
                if schools.missing is None:
                    # A school whose segments are not given may or may not have
                    # this segment: it is left out and the list is incomplete.
                    unknown = tuple(
                        f"{s.name}: 学段 figures not given"
                        for s in schools.items
                        if s.obj.segments is None
                    )
                    schools = _List(
                        tuple(
                            s
                            for s in schools.items
                            if s.obj.segments is not None and s.obj.segment(seg) is not None
                        ),
                        schools.complete and not unknown,
                        gaps=schools.gaps + unknown,
                    )
            else:
                seg = None
            if over == ScopeKind.SCHOOL or schools.missing is not None:
                return schools
            return self._descend(schools, over, seg)
        if ent.kind == ScopeKind.SCHOOL:
            segs = self.segments_of(ent)
            if over == ScopeKind.SEGMENT or segs.missing is not None:
                return segs
            return self._descend(segs, over, None)
        if ent.kind == ScopeKind.SEGMENT and over == ScopeKind.CLASS:
            return self.classes_of(ent)
        raise AssertionError(f"cannot range over {over} from {ent.kind}")  # the checker forbids it

    def _descend(self, parents: _List, over: ScopeKind, seg: models.Segment | None) -> _List:
        items: list[Ent] = []
        complete = parents.complete
        gaps: list[str] = list(parents.gaps)
        for p in parents.items:
            if p.kind == ScopeKind.SCHOOL:
                sub = self.segments_of(p, seg)
            else:
                sub = self.classes_of(p)
            if sub.missing is not None:
                # this entity's list is not given: the others still count
                complete = False
                gaps.append(sub.missing)
                continue
            complete = complete and sub.complete
            if over == ScopeKind.SEGMENT or p.kind == ScopeKind.SEGMENT:
                items.extend(sub.items)
            else:
                deeper = self._descend(sub, over, seg)
                complete = complete and deeper.complete
                gaps.extend(deeper.gaps)
                items.extend(deeper.items)
        return _List(tuple(items), complete, None, tuple(gaps))

    # ------------------------------------------------------------- fields
    def figure(self, ent: Ent, name: str, label: str | None, unit: Unit) -> Val:
        obj = ent.obj
        where = ent.where
        if isinstance(obj, _Band):
            if name == "size":
                hi = Fraction(obj.high) if obj.high is not None else Fraction(10**6)
                self._input(
                    where, name, label, f"{obj.low}–{obj.high if obj.high is not None else ''}"
                )
                return Num(Fraction(obj.low), hi)
            return Unknown((f"{ent.name}: {label or name} (classes given as size bands)",))
        if obj is None:
            return Unknown((f"{ent.name}: {label or name} missing",))
        fig = (
            obj.extra.get(name) if name not in attrs.fields_dict(type(obj)) else getattr(obj, name)
        )
        if fig is None:
            return Unknown((f"{ent.name}: {label or name} missing",))
        if isinstance(fig, models.Figure):
            self._input(where, name, label, str(fig))
            if fig.approximate:
                self.trace.flags.add("approximate")
            return Num(
                Fraction(fig.low) * unit.scale, Fraction(fig.high) * unit.scale, fig.approximate
            )
        if isinstance(fig, bool):
            self._input(where, name, label, "是" if fig else "否")
            return fig
        if isinstance(fig, int):
            self._input(where, name, label, str(fig))
            return _num(fig)
        if isinstance(fig, enum_types):
            self._input(where, name, label, str(fig.value))
            return str(fig.value)
        self._input(where, name, label, str(fig))
        return str(fig)

    def _input(self, where: str, name: str, label: str | None, value: str | None) -> None:
        self.trace.inputs.setdefault((where, name), Input(where, name, label, value))

    def field(self, ref: FieldRef, ent: Ent) -> Val:
        info = ref.field
        unit = info.unit or DIMENSIONLESS
        target = ent.up(info.scope)
        if target is None:
            raise AssertionError(f"{info.name} not reachable from {ent.kind}")  # checker forbids
        if info.derived and info.scope == ScopeKind.SCHOOL and info.name == "students":
            return self._sum_field(self.segments_of(target), "students", "在校生数", unit)
        if info.derived and info.scope == ScopeKind.SCHOOL and info.name == "compulsory_students":
            segs = self.segments_of(target)
            compulsory = _List(
                tuple(
                    e
                    for e in segs.items
                    if e.segment in (models.Segment.PRIMARY, models.Segment.JUNIOR)
                ),
                segs.complete,
                segs.missing,
                segs.gaps,
            )
            return self._sum_field(compulsory, "students", "在校生数", unit)
        if target.kind == ScopeKind.SEGMENT:
            if info.name == "teaching_area_net":
                return self._teaching_area_net(target, unit)
            if info.name in _PHYSICAL:
                return self._segment_physical(target, info.name, info.label, unit)
        if target.kind == ScopeKind.COUNTY_SEGMENT:
            return self._county_segment_figure(target, info.name, info.label, unit)
        if target.kind == ScopeKind.COUNTY and info.name in _SUMMABLE_COUNTY:
            return self._county_figure(target, info.name, info.label, unit)
        return self.figure(target, info.name, info.label, unit)

    def _sum_field(self, lst: _List, name: str, label: str, unit: Unit) -> Val:
        if lst.missing is not None:
            return Unknown((lst.missing,))
        if not lst.complete:
            return Unknown((f"{label}: the list is incomplete, so the sum is unknown", *lst.gaps))
        lo = hi = Fraction(0)
        approx = False
        unknowns: list[Val] = []
        for e in lst.items:
            v = self.figure(e, name, label, unit)
            if isinstance(v, Num):
                lo += v.lo * e.mult
                hi += v.hi * e.mult
                approx = approx or v.approx
            else:
                unknowns.append(v if isinstance(v, Unknown) else Unknown((f"{e.name}: {label}",)))
        if unknowns:
            return _unknown(*unknowns)
        return Num(lo, hi, approx)

    def _county_figure(self, ent: Ent, name: str, label: str | None, unit: Unit) -> Val:
        given = self.figure(ent, name, label, unit)
        schools = self.schools()
        if schools.missing is not None or not schools.complete:
            return given
        segs = self._descend(schools, ScopeKind.SEGMENT, None)
        summed = self._sum_field(segs, name, label or name, unit)
        return self._prefer_given(given, summed, f"{ent.name} {label or name}")

    def _county_segment_figure(self, ent: Ent, name: str, label: str | None, unit: Unit) -> Val:
        given = self.figure(ent, name, label, unit)
        if name not in _SUMMABLE_SEGMENT:
            return given
        schools = self.below(ent, ScopeKind.SEGMENT)
        if schools.missing is not None or not schools.complete:
            return given
        summed = self._sum_field(schools, name, label or name, unit)
        return self._prefer_given(given, summed, f"{ent.name} {label or name}")

    def _prefer_given(self, given: Val, summed: Val, what: str) -> Val:
        if isinstance(given, Num):
            if isinstance(summed, Num) and (summed.lo != given.lo or summed.hi != given.hi):
                self.trace.warnings.append(
                    f"{what}: the county figure ({_plain(given)}) differs from the sum over "
                    f"its schools ({_plain(summed)}); the county figure is used"
                )
            return given
        return summed if isinstance(summed, Num) else given

    # -------------------------------------------------------- expressions
    def eval(self, e: RExpr, ent: Ent, lets: dict[str, Val]) -> Val:
        match e:
            case Const(value, type_):
                return _num(Fraction(value) * type_.unit.scale)
            case TextConst(value):
                return value
            case BoolConst(value):
                return value
            case Symbol(value):
                return value
            case FieldRef():
                return self.field(e, ent)
            case LetRef(name):
                return lets[name]
            case ValueRef(name):
                nv = self.ctx.ruleset.values[name]
                if nv.provisional is not None:
                    self._provisional(f"{name}: {nv.provisional}" if nv.provisional else name)
                self._cite(nv.sources)
                return self.eval(nv.value, ent, lets)
            case Negate(operand):
                v = self.eval(operand, ent, lets)
                return Num(-v.hi, -v.lo, v.approx) if isinstance(v, Num) else v
            case Not(operand):
                v = self.eval(operand, ent, lets)
                return (not v) if isinstance(v, bool) else v
            case Binary(op, left, right):
                return _arith(op, self.eval(left, ent, lets), self.eval(right, ent, lets))
            case Comparison(op, left, right):
                lv, rv = self.eval(left, ent, lets), self.eval(right, ent, lets)
                res = _compare(op, lv, rv)
                if self.checks is not None and self.agg_depth == 0:
                    self._record_check(e, lv, rv, res)
                if isinstance(res, Unknown) and isinstance(lv, Num) and isinstance(rv, Num):
                    ranges = [
                        f"{_expr_name(x)} = {_show(v, x.type.unit, 6)}"
                        for x, v in ((left, lv), (right, rv))
                        if not v.exact
                    ]
                    return Unknown(
                        (f"{ent.name}: {' and '.join(ranges)} is a range; '{op}' is undecided",)
                    )
                return res
            case Membership(left, items):
                lv = self.eval(left, ent, lets)
                results = [_compare("==", lv, self.eval(i, ent, lets)) for i in items]
                return _any(results)
            case Logic(op, left, right):
                a = self.eval(left, ent, lets)
                if op == "and" and a is False:
                    return False
                if op == "or" and a is True:
                    return True
                b = self.eval(right, ent, lets)
                return _and(a, b) if op == "and" else _or(a, b)
            case Conditional(cond, then, orelse):
                c = self.eval(cond, ent, lets)
                if isinstance(c, Unknown):
                    return c
                return self.eval(then if c else orelse, ent, lets)
            case ListOf(items):
                return tuple(self.eval(i, ent, lets) for i in items)
            case Aggregate():
                return self.aggregate(e, ent, lets)
            case Function():
                return self.function(e, ent, lets)
            case KeyedValue():
                return self.keyed(e, ent, lets)
            case DatedValue():
                return self.dated(e, ent, lets)
            case _:
                assert_never(e)

    def _provisional(self, what: str) -> None:
        if what not in self.trace.provisional:
            self.trace.provisional.append(what)
        self.trace.flags.add("provisional")

    def _cite(self, sources: Sequence[SourceRef]) -> None:
        for s in sources:
            text = str(s)
            if text and text not in self.trace.sources:
                self.trace.sources.append(text)

    def keyed(self, e: KeyedValue, ent: Ent, lets: dict[str, Val]) -> Val:
        key: str | None
        if e.kind == "segment":
            key = ent.segment.value if ent.segment is not None else None
            what = "学段"
        elif e.kind == "location":
            school = ent.up(ScopeKind.SCHOOL)
            loc = school.obj.location if school is not None else None
            key = loc.value if loc is not None else None
            what = f"{school.name if school else ent.name} 城乡分类"
        else:
            region = self.ctx.county.region
            key = region.value if region is not None else None
            what = f"{self.ctx.county.name} 地区 (region class)"
        if key is None:
            return Unknown((f"{what} not given",))
        for entry in e.entries:
            if key in entry.keys:
                if entry.provisional is not None:
                    self._provisional(f"{key}: {entry.provisional}" if entry.provisional else key)
                self._cite(entry.sources)
                return self.eval(entry.value, ent, lets)
        return Unknown((f"no value for {key}",), "no_threshold")

    def dated(self, e: DatedValue, ent: Ent, lets: dict[str, Val]) -> Val:
        day = self.ctx.as_of
        for p in e.periods:
            if (p.start is None or p.start <= day) and (p.end is None or day <= p.end):
                self.trace.periods.append(_period_text(p))
                if p.provisional is not None:
                    self._provisional(
                        f"{_period_text(p)}: {p.provisional}" if p.provisional else _period_text(p)
                    )
                self._cite(p.sources)
                if p.value is None:
                    return Unknown((f"report only in {_period_text(p)}",), "report_only")
                return self.eval(p.value, ent, lets)
        return Unknown((f"no threshold in force at {day.isoformat()}",), "no_threshold")

    def function(self, e: Function, ent: Ent, lets: dict[str, Val]) -> Val:
        group, self.group = self.group, e.fn if e.fn == "at_least" else self.group
        try:
            args = [self.eval(a, ent, lets) for a in e.args]
        finally:
            self.group = group
        fn = e.fn
        if fn == "at_least":
            k, items = args
            if not isinstance(k, Num) or not isinstance(items, tuple):
                return _unknown(k)
            need = k.lo
            true = sum(1 for i in items if i is True)
            unknown = sum(1 for i in items if isinstance(i, Unknown))
            if true >= need:
                return True
            if true + unknown < need:
                return False
            return _unknown(*[i for i in items if isinstance(i, Unknown)])
        if any(isinstance(a, Unknown) for a in args):
            return _unknown(*args)
        nums = [a for a in args if isinstance(a, Num)]
        if len(nums) != len(args):
            raise AssertionError(f"{fn} on non-numbers")  # the checker forbids it
        if fn == "ceil":
            x = nums[0]
            return Num(Fraction(math.ceil(x.lo)), Fraction(math.ceil(x.hi)), x.approx)
        if fn == "floor":
            x = nums[0]
            return Num(Fraction(math.floor(x.lo)), Fraction(math.floor(x.hi)), x.approx)
        if fn in ("max", "min"):
            a, b = nums
            pick = max if fn == "max" else min
            return Num(pick(a.lo, b.lo), pick(a.hi, b.hi), a.approx or b.approx)
        if fn == "ratio":
            return _arith("/", nums[0], nums[1])
        if fn == "per100":
            # x per 100 persons: 9 teachers for 1,000 students is 0.9 人/百人
            return _arith("*", _arith("/", nums[0], nums[1]), _num(100))
        raise AssertionError(fn)

    def aggregate(self, e: Aggregate, ent: Ent, lets: dict[str, Val]) -> Val:
        self.agg_depth += 1
        try:
            return self._aggregate(e, ent, lets)
        finally:
            self.agg_depth -= 1

    def _filter(
        self, e: Aggregate, lst: _List, lets: dict[str, Val]
    ) -> tuple[list[Ent], list[Ent], list[Unknown]]:
        """Apply an aggregate's ``where``: the entities kept, those whose filter is
        undecided (missing figures), and why each is undecided."""
        kept: list[Ent] = []
        undecided_ents: list[Ent] = []
        undecided: list[Unknown] = []
        for sub in lst.items:
            if e.where is not None:
                w = self.eval(e.where, sub, lets)
                if w is False:
                    continue
                if isinstance(w, Unknown):
                    undecided_ents.append(sub)
                    undecided.append(w)
                    continue
            kept.append(sub)
        return kept, undecided_ents, undecided

    def _record_check(self, e: Comparison, lv: Val, rv: Val, res: Val) -> None:
        assert self.checks is not None
        unit = e.right.type.unit if str(e.right.type.unit) else e.left.type.unit
        prec = _precision(self.ctx.ruleset)
        value = _show(lv, unit, prec) if isinstance(lv, Num) else None
        threshold = _show(rv, unit, prec) if isinstance(rv, Num) else None
        met = res if isinstance(res, bool) else None
        self.checks.append(Check(e.text, value, threshold, met, self.group))

    def _aggregate(self, e: Aggregate, ent: Ent, lets: dict[str, Val]) -> Val:
        lst = self.below(ent, e.over)
        if lst.missing is not None:
            return Unknown((lst.missing,))
        fn = e.fn
        if fn == "cv":
            return self._cv(e, lst, lets)
        kept, undecided_ents, undecided_filter = self._filter(e, lst, lets)
        picked: list[tuple[Ent, Val]] = [
            (sub, self.eval(e.args[0], sub, lets) if e.args else True) for sub in kept
        ]
        incomplete = (
            None
            if lst.complete
            else Unknown(
                (f"the list of {e.over.label} is incomplete, so {fn}(…) is unknown", *lst.gaps)
            )
        )
        if fn in ("all", "any"):
            vals = [v for _, v in picked] + list(undecided_filter)
            result = _all(vals) if fn == "all" else _any(vals)
            if incomplete is not None and (result is True if fn == "all" else result is False):
                return incomplete
            return result
        if fn == "count":
            if incomplete is not None:
                return incomplete
            n = sum(s.mult for s, _ in picked)
            extra = sum(s.mult for s in undecided_ents)
            return Num(Fraction(n), Fraction(n + extra))
        if fn == "share":
            if incomplete is not None:
                return incomplete
            if undecided_filter:
                return _unknown(*undecided_filter)
            total = sum(s.mult for s, _ in picked)
            if total == 0:
                return Unknown((f"share(…) over no {e.over.label}: division by zero",))
            yes_lo = sum(s.mult for s, v in picked if v is True)
            maybe = sum(s.mult for s, v in picked if isinstance(v, Unknown))
            return Num(Fraction(yes_lo, total), Fraction(yes_lo + maybe, total))
        if incomplete is not None:
            return incomplete
        if undecided_filter:
            return _unknown(*undecided_filter)
        unknown = [v for _, v in picked if isinstance(v, Unknown)]
        if unknown:
            return _unknown(*unknown)
        nums = [(s, v) for s, v in picked if isinstance(v, Num)]
        if fn == "sum":
            return Num(
                sum((v.lo * s.mult for s, v in nums), Fraction(0)),
                sum((v.hi * s.mult for s, v in nums), Fraction(0)),
                any(v.approx for _, v in nums),
            )
        if fn in ("min", "max"):
            if not nums:
                return Unknown((f"{fn}(…) over no {e.over.label}",))
            pick = min if fn == "min" else max
            return Num(pick(v.lo for _, v in nums), pick(v.hi for _, v in nums))
        if fn == "mean":
            total = sum(s.mult for s, _ in nums)
            if total == 0:
                return Unknown((f"mean(…) over no {e.over.label}: division by zero",))
            return Num(
                sum((v.lo * s.mult for s, v in nums), Fraction(0)) / total,
                sum((v.hi * s.mult for s, v in nums), Fraction(0)) / total,
            )
        raise AssertionError(fn)

    def _weight(self, e: Aggregate, sub: Ent, lets: dict[str, Val]) -> Val:
        if len(e.args) == 2:
            return self.eval(e.args[1], sub, lets)
        if sub.kind == ScopeKind.SCHOOL:  # a school's 在校生数 is its segments' sum
            return self._sum_field(self.segments_of(sub), "students", "在校生数", DIMENSIONLESS)
        return self.figure(sub, "students", "在校生数", DIMENSIONLESS)

    def _cv(self, e: Aggregate, lst: _List, lets: dict[str, Val]) -> Val:
        """Student-weighted 差异系数, population form (REFERENCE §3.1).

        Entities with 0 students are left out (and listed); a missing figure makes
        the CV unknown naming the schools, unless the rule set's
        ``cv_over_available`` setting computes it over the schools that have it
        (the others listed); a single school has no inter-school balance (不适用).
        """
        if not lst.complete:
            return Unknown(
                (f"the list of {e.over.label} is incomplete, so the 差异系数 is unknown", *lst.gaps)
            )
        over_available = self._setting("cv_over_available") is True
        xs: list[Fraction] = []
        ws: list[Fraction] = []
        names: list[str] = []
        missing: list[Unknown] = []
        left_out: list[Unknown] = []  # cv_over_available: schools without the figures
        kept, _, undecided = self._filter(e, lst, lets)
        missing.extend(undecided)
        for sub in kept:
            w = self._weight(e, sub, lets)
            if isinstance(w, Num) and w.exact and w.lo == 0:
                self.trace.detail(f"{sub.name}: 0 students, left out of the 差异系数")
                continue
            if isinstance(w, Num) and w.lo < 0:
                return Unknown((f"{sub.name}: the weight of the 差异系数 is negative",))
            x = self.eval(e.args[0], sub, lets)
            problem: Unknown | None = None
            if isinstance(w, Unknown) or isinstance(x, Unknown):
                problem = _unknown(w, x)
            elif not (isinstance(w, Num) and isinstance(x, Num) and w.exact and x.exact):
                problem = Unknown(
                    (f"{sub.name}: a figure is a range, the 差异系数 needs exact ones",)
                )
            if problem is not None:
                if over_available:
                    self.trace.detail(
                        f"{sub.name}: left out of the 差异系数 ({'; '.join(problem.reasons)})"
                    )
                    left_out.append(problem)
                    continue
                missing.append(problem)
                continue
            assert isinstance(x, Num) and isinstance(w, Num)
            xs.append(x.lo)
            ws.append(w.lo)
            names.append(sub.name)
        if missing:
            return _unknown(*missing)
        if len(xs) < 2 and left_out:
            # schools were left out for missing figures: the balance is unknown, not
            # inapplicable
            return _unknown(*left_out)
        if len(xs) < 2:
            return Unknown(
                (
                    f"{len(xs)} school(s) with students: a single school has no inter-school balance",
                ),
                "not_applicable",
            )
        try:
            result = weighted_cv(xs, ws)
        except ValueError as exc:
            return Unknown((f"差异系数: {exc}",))
        top = sorted(zip(result.contributions, names, strict=True), reverse=True)[:3]
        self.trace.detail(
            "largest shares of the variance: "
            + ", ".join(f"{n} {_fmt(c * 100, 1)}%" for c, n in top if c > 0)
        )
        return Num(result.cv, result.cv)

    def _segment_physical(self, seg: Ent, name: str, label: str | None, unit: Unit) -> Val:
        """A segment's physical figure: given for the segment, or the school's split by
        the rule set's one-through-school weights (REFERENCE §3.3)."""
        own = getattr(seg.obj, name)
        if own is not None:
            return self.figure(seg, name, label, unit)
        school = seg.parent
        assert school is not None and seg.segment is not None
        whole = self.figure(school, name, label, unit)
        if not isinstance(whole, Num):
            return whole
        segments = school.obj.segments or ()
        if len(segments) == 1:
            return whole
        split = self._setting_used("split_indicators")
        fields = (
            {f.field.name for f in split.items if isinstance(f, FieldRef)}
            if isinstance(split, ListOf)
            else set()
        )
        if name not in fields:
            return Unknown(
                (
                    f"{school.name}: {label or name} is given for the whole school and the rule set "
                    "does not split it by segment",
                )
            )
        students: dict[str, Fraction] = {}
        for s in segments:
            n = s.students.value if s.students is not None else None
            if n is None:
                return Unknown(
                    (
                        f"{school.name} {s.segment.value}: 在校生数 missing (needed to split {label or name})",
                    )
                )
            students[s.segment.value] = Fraction(n)
        weights_name = (
            "complete_middle_weights"
            if school.obj.kind == models.SchoolKind.COMPLETE_MIDDLE
            else "split_weights"
        )
        keyed = self._setting_used(weights_name)
        weights: dict[str, Fraction] = {}
        if isinstance(keyed, KeyedValue):
            for entry in keyed.entries:
                if isinstance(entry.value, Const):
                    for k in entry.keys:
                        weights[k] = Fraction(entry.value.value)
        try:
            shares = split_shares(students, weights)
        except ValueError as exc:
            return Unknown((f"{school.name}: cannot split {label or name}: {exc}",))
        share = shares[seg.segment.value]
        self.trace.detail(
            f"{seg.name}: {label or name} is {_fmt(share * 100, 2)}% of the school's "
            f"(split {weights_name})"
        )
        return Num(whole.lo * share, whole.hi * share, whole.approx)

    def _teaching_area_net(self, seg: Ent, unit: Unit) -> Val:
        """教学及辅助用房面积, less 室内体育用房面积 when the rule set subtracts it, so the
        indoor sports rooms are not counted twice (REFERENCE §1.2 L4, §6 #9)."""
        area = self._segment_physical(seg, "floor_area_teaching", "教学及辅助用房面积", unit)
        if self._setting_used("subtract_indoor_sports") is not True:
            return area
        sports = self._segment_physical(seg, "indoor_sports_area", "室内体育用房面积", unit)
        return _arith("-", area, sports)

    # ------------------------------------------------------------- rules
    def rule_entities(self, rule: CheckedRule) -> _List:
        if rule.scope == ScopeKind.COUNTY:
            return _List((self.county_ent,), True)
        if rule.scope == ScopeKind.COUNTY_SEGMENT:
            segs = rule.segments or tuple(s.value for s in models.Segment)
            items = tuple(
                Ent(
                    ScopeKind.COUNTY_SEGMENT,
                    self.ctx.county.segment(models.Segment(s)),
                    f"segments.{s}",
                    f"{self.ctx.county.name} {s}",
                    self.county_ent,
                    models.Segment(s),
                )
                for s in segs
            )
            return _List(items, True)
        lst = self.below(self.county_ent, rule.scope)
        if rule.scope == ScopeKind.SEGMENT and lst.missing is None:
            # A school segment with no students has nothing to judge: it is left out
            # of the rule (and listed), and blocks nothing (REFERENCE §3.4).
            empty = [
                e for e in lst.items if e.obj.students is not None and e.obj.students.high == 0
            ]
            for e in empty:
                self.trace.detail(f"{e.name}: 0 students, left out")
            lst = _List(tuple(e for e in lst.items if e not in empty), lst.complete, None, lst.gaps)
        if rule.segments is not None and lst.missing is None:
            if rule.scope == ScopeKind.SCHOOL:
                # `scope school [初中]`: the schools that have one of these segments;
                # a school whose segments are unknown may or may not be one.
                unknown = tuple(
                    f"{e.name}: 学段 figures not given" for e in lst.items if e.obj.segments is None
                )
                kept = tuple(
                    e
                    for e in lst.items
                    if e.obj.segments is not None
                    and any(s.segment.value in rule.segments for s in e.obj.segments)
                )
                return _List(kept, lst.complete and not unknown, None, lst.gaps + unknown)
            lst = _List(
                tuple(
                    e for e in lst.items if e.segment is None or e.segment.value in rule.segments
                ),
                lst.complete,
                None,
                lst.gaps,
            )
        return lst

    def applicable_segment(self, ent: Ent) -> str | None:
        """Why a county segment is 不适用 (the county has no such schools), or None."""
        if ent.kind != ScopeKind.COUNTY_SEGMENT or ent.segment is None:
            return None
        seg = ent.segment
        cs = self.ctx.county.segment(seg)
        if cs is not None and cs.schools is not None and cs.schools.high == 0:
            return f"the county has no {seg.value} schools"
        schools = self.schools()
        if schools.missing is None and schools.complete and cs is None:
            # positive evidence only: every school's segments are known, none is `seg`
            if all(
                s.obj.segments is not None and s.obj.segment(seg) is None for s in schools.items
            ):
                return f"the county's complete school list has no {seg.value} segment"
        return None

    def eval_entity(
        self, rule: CheckedRule, ent: Ent
    ) -> tuple[Outcome | None, EntityResult, _Detail]:
        self.trace.entity_details = []
        try:
            outcome, result, detail = self._eval_entity(rule, ent)
        finally:
            details, self.trace.entity_details = tuple(self.trace.entity_details), None
        return outcome, attrs.evolve(result, details=details), detail

    def _eval_entity(
        self, rule: CheckedRule, ent: Ent
    ) -> tuple[Outcome | None, EntityResult, _Detail]:
        detail = _Detail()
        self.trace.flags.discard("approximate")  # flag only what this entity reads
        na = self.applicable_segment(ent)
        if na is not None:
            return (
                Outcome.NOT_APPLICABLE,
                EntityResult(ent.name, ent.where, Outcome.NOT_APPLICABLE, reason=na),
                detail,
            )
        lets: dict[str, Val] = {}
        for name, expr in rule.lets:
            lets[name] = self.eval(expr, ent, lets)
        if rule.applies is not None:
            a = self.eval(rule.applies, ent, lets)
            if a is False:
                why = rule.otherwise or f"does not apply: {rule.applies_text}"
                return (
                    Outcome.NOT_APPLICABLE,
                    EntityResult(ent.name, ent.where, Outcome.NOT_APPLICABLE, reason=why),
                    detail,
                )
            if isinstance(a, Unknown):
                return (
                    Outcome.NO_DATA,
                    EntityResult(
                        ent.name,
                        ent.where,
                        Outcome.NO_DATA,
                        reason="applicability unknown",
                        missing=a.reasons,
                    ),
                    detail,
                )
        detail.reports = tuple(
            _report_value(name, self.eval(expr, ent, lets), expr, _precision(self.ctx.ruleset))
            for name, expr in rule.reports
        )
        if rule.require is None:
            return None, EntityResult(ent.name, ent.where, None, values=detail.reports), detail
        main = _main_comparison(rule.require)
        if main is not None:
            lv = self.eval(main.left, ent, lets)
            rv = self.eval(main.right, ent, lets)
            detail.set_comparison(main, lv, rv, self.ctx.ruleset, rule)
            if isinstance(rv, Unknown) and rv.kind == "report_only":
                periods = "; ".join(x for x in rv.reasons if x.startswith("report only"))
                if isinstance(lv, Unknown):
                    # A report-only period still has to show its value; when
                    # the figures for that value are missing, say so.
                    return (
                        Outcome.NO_DATA,
                        EntityResult(
                            ent.name,
                            ent.where,
                            Outcome.NO_DATA,
                            reason=f"{periods}, and the value to show cannot be computed",
                            missing=lv.reasons,
                        ),
                        detail,
                    )
                return (
                    None,
                    EntityResult(ent.name, ent.where, None, value=detail.value, reason=periods),
                    detail,
                )
        self.checks = []
        try:
            r = self.eval(rule.require, ent, lets)
            checks = tuple(self.checks)
        finally:
            self.checks = None
        outcome: Outcome | None
        reason: str | None = None
        missing: tuple[str, ...] = ()
        if r is True:
            outcome = Outcome.MET
        elif r is False:
            outcome = Outcome.NOT_MET
            if rule.basically is not None:
                b = self.eval(rule.basically, ent, lets)
                if b is True:
                    outcome = Outcome.BASICALLY_MET
                elif isinstance(b, Unknown):
                    outcome, missing = Outcome.NO_DATA, b.reasons
        elif isinstance(r, Unknown):
            if r.kind == "report_only":
                outcome = None
                reason = "; ".join(x for x in r.reasons if x.startswith("report only"))
            elif r.kind == "not_applicable":
                outcome = Outcome.NOT_APPLICABLE
                reason = "; ".join(r.reasons)
            else:
                outcome = Outcome.NO_DATA
                missing = r.reasons
                reason = "no threshold in force" if r.kind == "no_threshold" else "missing figures"
        else:
            raise AssertionError(f"requirement gave {r!r}")
        flags = tuple(sorted(self.trace.flags & {"approximate"} | detail.flags))
        return (
            outcome,
            EntityResult(
                ent.name,
                ent.where,
                outcome,
                value=detail.value,
                threshold=detail.threshold,
                margin=detail.margin,
                reason=reason,
                missing=missing,
                flags=flags,
                values=detail.reports,
                checks=checks,
            ),
            detail,
        )


@attrs.define
class _Detail:
    value: str | None = None
    threshold: str | None = None
    margin: str | None = None
    unit: str | None = None
    flags: set[str] = attrs.field(factory=set)
    reports: tuple[ReportValue, ...] = ()

    def set_comparison(
        self, cmp: Comparison, lv: Val, rv: Val, ruleset: RuleSet, rule: CheckedRule
    ) -> None:
        unit = _display_unit(cmp.right.type.unit, cmp.left.type.unit)
        prec = _precision(ruleset)
        if isinstance(lv, Num) and isinstance(rv, Num):
            self.value, self.threshold = _display_pair(lv, rv, cmp.op, unit, prec)
            self.unit = _unit_text(unit) or None
            if lv.exact and rv.exact:
                m = (lv.lo - rv.lo) if cmp.op in (">=", ">") else (rv.lo - lv.lo)
                if cmp.op in (">=", ">", "<=", "<"):
                    p = prec
                    while m != 0 and _fmt(m / unit.scale, p) == "0" and p < 15:
                        p += 1  # a margin that is not 0 never prints as 0
                    self.margin = _fmt(m / unit.scale, p)
                    if rule.margin is not None and isinstance(rule.margin, Const):
                        if abs(m / unit.scale) <= Fraction(rule.margin.value):
                            self.flags.add("borderline")
        else:
            if isinstance(lv, Num):
                self.value = _show(lv, unit, prec)
            if isinstance(rv, Num):
                self.threshold = _show(rv, unit, prec)
            self.unit = _unit_text(unit) or None


# ------------------------------------------------------------ arithmetic


# Whole-school physical figures that a segment may take from its school (REFERENCE §3.3).
_PHYSICAL = frozenset(
    {
        "floor_area_teaching",
        "indoor_sports_area",
        "sports_area",
        "equipment_value",
        "multimedia_rooms",
        "books",
        "computers",
        "public_funds",
    }
)


def _students_of(s: models.School) -> Fraction | None:
    total = Fraction(0)
    for seg in s.segments or ():
        if seg.students is None or seg.students.value is None:
            return None
        total += Fraction(seg.students.value)
    return total if s.segments is not None else None


def _add_figures(a: models.Figure | None, b: models.Figure | None) -> models.Figure | None:
    if a is None or b is None:
        return None
    return models.Figure(a.low + b.low, a.high + b.high, a.approximate or b.approximate)


def _merge_segment(a: models.SchoolSegment, b: models.SchoolSegment) -> models.SchoolSegment:
    changes: dict[str, object] = {}
    for f in attrs.fields(models.SchoolSegment):
        va, vb = getattr(a, f.name), getattr(b, f.name)
        if isinstance(va, models.Figure) or isinstance(vb, models.Figure):
            changes[f.name] = _add_figures(va, vb)
    if a.classes is not None and b.classes is not None:
        changes["classes"] = a.classes + b.classes
        changes["classes_complete"] = a.classes_complete and b.classes_complete
    else:
        changes["classes"] = None
        changes["classes_complete"] = False
    changes["size_bands"] = None
    return attrs.evolve(a, **changes)  # type: ignore[arg-type]


def _merge_school(central: models.School, point: models.School) -> models.School:
    """A central school with one of its 教学点 merged in: figures added, segments joined."""
    changes: dict[str, object] = {}
    for f in attrs.fields(models.School):
        va, vb = getattr(central, f.name), getattr(point, f.name)
        if isinstance(va, models.Figure) or isinstance(vb, models.Figure):
            changes[f.name] = _add_figures(va, vb)
    if central.segments is None or point.segments is None:
        changes["segments"] = None
    else:
        segs = {s.segment: s for s in central.segments}
        for s in point.segments:
            segs[s.segment] = _merge_segment(segs[s.segment], s) if s.segment in segs else s
        changes["segments"] = tuple(segs.values())
    return attrs.evolve(central, **changes)  # type: ignore[arg-type]


def _class_count_clash(seg: models.SchoolSegment) -> str | None:
    """Why the segment's class figures contradict each other, or None.

    A class count that disagrees with a complete class list, or with the total of
    the size bands, means one of them is wrong: counting either would give a
    verdict the data does not support.
    """
    count = seg.class_count.value if seg.class_count is not None else None
    if count is None:
        return None
    if seg.classes is not None and seg.classes_complete and len(seg.classes) != count:
        return f"班级数 says {count} classes but the complete class list has {len(seg.classes)}"
    if seg.classes is None and seg.size_bands is not None:
        counts = [b.count.value if b.count is not None else None for b in seg.size_bands]
        if all(c is not None for c in counts):
            total = sum(c for c in counts if c is not None)
            if total != count:
                return f"班级数 says {count} classes but the size bands count {total}"
    return None


def _arith(op: str, a: Val, b: Val) -> Val:
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return _unknown(a, b)
    assert isinstance(a, Num) and isinstance(b, Num)
    approx = a.approx or b.approx
    if op == "+":
        return Num(a.lo + b.lo, a.hi + b.hi, approx)
    if op == "-":
        return Num(a.lo - b.hi, a.hi - b.lo, approx)
    if op == "*":
        c = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
        return Num(min(c), max(c), approx)
    if op == "/":
        if b.lo <= 0 <= b.hi:
            return Unknown(("division by zero (the divisor is 0 or may be 0)",))
        c = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi]
        return Num(min(c), max(c), approx)
    raise AssertionError(op)


def _compare(op: str, a: Val, b: Val) -> Val:
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return _unknown(a, b)
    if isinstance(a, Num) and isinstance(b, Num):
        if op in (">=", ">"):
            strict = op == ">"
            if (a.lo > b.hi) or (not strict and a.lo >= b.hi):
                return True
            if (a.hi <= b.lo and strict) or (a.hi < b.lo):
                return False
        elif op in ("<=", "<"):
            strict = op == "<"
            if (a.hi < b.lo) or (not strict and a.hi <= b.lo):
                return True
            if (a.lo >= b.hi and strict) or (a.lo > b.hi):
                return False
        elif op in ("==", "!="):
            if a.exact and b.exact:
                return (a.lo == b.lo) == (op == "==")
            if a.hi < b.lo or b.hi < a.lo:
                return op == "!="
        return Unknown(("a figure given as a range leaves the comparison undecided",))
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    raise AssertionError(f"cannot compare {a!r} {op} {b!r}")


def _and(a: Val, b: Val) -> Val:
    if a is False or b is False:
        return False
    if a is True and b is True:
        return True
    return _unknown(a, b)


def _or(a: Val, b: Val) -> Val:
    if a is True or b is True:
        return True
    if a is False and b is False:
        return False
    return _unknown(a, b)


def _all(vals: Sequence[Val]) -> Val:
    if any(v is False for v in vals):
        return False
    unknown = [v for v in vals if isinstance(v, Unknown)]
    return _unknown(*unknown) if unknown else True


def _any(vals: Sequence[Val]) -> Val:
    if any(v is True for v in vals):
        return True
    unknown = [v for v in vals if isinstance(v, Unknown)]
    return _unknown(*unknown) if unknown else False


enum_types = (
    models.Segment,
    models.SchoolKind,
    models.Ownership,
    models.Location,
    models.Region,
    models.DateBasis,
)


# ---------------------------------------------------------------- display


def _precision(ruleset: RuleSet) -> int:
    s = ruleset.settings.get("display_precision")
    if s is not None and isinstance(s.value, Const):
        return int(s.value.value)
    return 3


def _fmt(x: Fraction, prec: int) -> str:
    """A decimal with at most ``prec`` places, trailing zeros removed.

    Exact integer arithmetic (round half to even), so any magnitude prints.
    """
    scaled = round(x * 10**prec)
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(prec + 1, "0")
    whole, frac = (digits[:-prec], digits[-prec:]) if prec else (digits, "")
    frac = frac.rstrip("0")
    text = whole + ("." + frac if frac else "")
    return "0" if text == "0" else sign + text


def _display_unit(preferred: Unit, other: Unit) -> Unit:
    """The unit a comparison is shown in: the threshold's as written, unless it is a
    product of the arithmetic (85% * 4.5 元 is "%×元"; 班 / (班/间) is "班/班/间"),
    then the figure's, else the canonical form of the dimensions."""
    for u in (preferred, other):
        text = str(u)
        shown = bool(u.dims) or text in ("%", "‰")  # 人/人 is a bare ratio
        if shown and "×" not in text and text.count("/") <= 1:
            return u
    if preferred.dims:
        return attrs.evolve(preferred, scale=Fraction(1), text=preferred.canonical())
    return preferred


def _unit_text(unit: Unit) -> str:
    """The unit as shown after a number: ``""`` for a bare number (never ``1``)."""
    u = str(unit)
    return "" if u == "1" else u


def _with_unit(text: str, unit: Unit) -> str:
    u = str(unit)
    if not u or u == "1":  # dimensionless (a ratio such as 人/人): no unit shown
        return text
    return f"{text}{u}" if u in ("%", "‰") else f"{text} {u}"


#: Most decimal places the display adds to keep a printed value from contradicting
#: its verdict.
_MAX_DIGITS = 60


def _show(v: Num, unit: Unit, prec: int) -> str:
    lo, hi = v.lo / unit.scale, v.hi / unit.scale
    if lo == hi:
        text = ("约" if v.approx else "") + _fmt(lo, prec)
    else:
        text = f"{_fmt(lo, prec)}–{_fmt(hi, prec)}"
    return _with_unit(text, unit)


def _holds(op: str, a: Fraction, b: Fraction) -> bool:
    return {
        ">=": a >= b,
        ">": a > b,
        "<=": a <= b,
        "<": a < b,
        "==": a == b,
        "!=": a != b,
    }[op]


def _display_pair(lv: Num, rv: Num, op: str, unit: Unit, prec: int) -> tuple[str, str]:
    """Show value and threshold with enough digits that the printed figures
    give the same verdict as the exact ones (0.501787 against ≤ 0.50 never
    prints as 0.50)."""
    if not (lv.exact and rv.exact):
        return _show(lv, unit, prec), _show(rv, unit, prec)
    a, b = lv.lo / unit.scale, rv.lo / unit.scale
    truth = _holds(op, a, b)
    p = prec
    while p < _MAX_DIGITS:
        da, db = Fraction(_fmt(a, p)), Fraction(_fmt(b, p))
        if _holds(op, da, db) == truth and (da != db or a == b):
            break
        p += 1
    return _show(lv, unit, p), _show(rv, unit, p)


def _expr_name(x: RExpr) -> str:
    """A short name for an expression in messages: the field label, value name or function."""
    if isinstance(x, FieldRef):
        return x.field.label or x.field.name
    if isinstance(x, (ValueRef, LetRef)):
        return x.name
    if isinstance(x, (Aggregate, Function)):
        return f"{x.fn}(…)"
    return "a value"


def _plain(v: Num) -> str:
    return _fmt(v.lo, 6) if v.exact else f"{_fmt(v.lo, 6)}–{_fmt(v.hi, 6)}"


def _report_value(name: str | None, v: Val, expr: RExpr, prec: int) -> ReportValue:
    unit = expr.type.unit
    if isinstance(v, Num):
        if not _unit_text(unit) and expr.type.kind == "number" and _is_share(expr):
            unit = Unit((), Fraction(1, 100), "%")
        return ReportValue(name, _show(v, unit, prec))
    if isinstance(v, bool):
        return ReportValue(name, "是" if v else "否")
    if isinstance(v, Unknown):
        return ReportValue(name, None, v.reasons)
    return ReportValue(name, str(v))


def _is_share(expr: RExpr) -> bool:
    return isinstance(expr, Aggregate) and expr.fn in ("share",)


def _main_comparison(e: RExpr) -> Comparison | None:
    """The comparison whose value and threshold the report shows: the requirement
    itself, or the first condition of an and/or chain when that is a comparison
    (``count(…) <= 0 and share(…) <= 5%`` shows the count).  A requirement that
    starts with anything else (``at_least(6, […]) and …``) shows none: one of its
    many figures would misrepresent it."""
    x: RExpr = e
    while isinstance(x, Logic):
        x = x.left
    return x if isinstance(x, Comparison) else None


def _period_text(p: PeriodValue) -> str:
    start = p.start.isoformat() if p.start else ""
    end = p.end.isoformat() if p.end else ""
    return f"{start}–{end}"


# ------------------------------------------------------------- structure


def _walk(
    members: Sequence[Container | CheckedRule], path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Container | CheckedRule]]:
    for m in members:
        yield path, m
        if isinstance(m, Container):
            yield from _walk(m.members, (*path, m.id))


def _resolve_as_of(
    ruleset: RuleSet, county: models.County, as_of: datetime.date | None
) -> tuple[datetime.date | None, str]:
    if as_of is not None:
        return as_of, "argument"
    if county.as_of is not None:
        basis = county.date_basis.value if county.date_basis is not None else "stated"
        return county.as_of, basis
    if county.school_year:
        digits = "".join(ch for ch in county.school_year[:4] if ch.isdigit())
        if len(digits) == 4:
            return datetime.date(int(digits), 9, 1), "inferred (1 September of the school year)"
    if _has_dated(ruleset):
        raise EvaluationError(
            "the data declares no date and the rule set has dated values: "
            "give the date to evaluate at (as_of=…, or --as-of 2018-12-31)"
        )
    return None, "none"


def _has_dated(ruleset: RuleSet) -> bool:
    return any(isinstance(node, DatedValue) for node in ruleset.expressions())


def evaluate(
    ruleset: RuleSet, data: models.County, *, as_of: datetime.date | None = None
) -> Report:
    """Evaluate a checked rule set against a county's data.

    Args:
        ruleset: the checked rule set (:func:`eduint.check`).
        data: the county with its figures, answers (自评) and schools.
        as_of: the date to evaluate at; ``None`` means the date the data
            declares (``as_of``, or 1 September of its school year).

    Returns:
        The :class:`~eduint.engine.results.Report`: for every item, part and rule the
        county's self-assessment (自评) beside the computed result (核算), the
        headline verdict, evidence and flags; section roll-ups; the overall verdict.

    Raises:
        EvaluationError: no date is known and the rule set has dated values.
    """
    day, basis = _resolve_as_of(ruleset, data, as_of)
    # With no date at all the rule set has no dated values, so the date in the
    # context is never read.
    ctx = _Ctx(ruleset, data, day or datetime.date.min)
    attest = {a.item: a for a in data.attestations}
    items: list[ItemResult] = []
    sections: list[SectionResult] = []
    warnings: list[str] = []
    provisional_used: list[str] = []

    def run_rule(
        rule: CheckedRule, path: tuple[str, ...], parent: CheckedRule | None
    ) -> ItemResult:
        ev = _Evaluator(ctx)
        att = attest.get(rule.id) or (attest.get(parent.id) if parent is not None else None)
        computed: Outcome | None = None
        entities: list[EntityResult] = []
        reports: tuple[ReportValue, ...] = ()
        value = threshold = margin = unit = None
        reason: str | None = None
        missing: list[str] = []
        failing: list[str] = []
        flags: set[str] = set()
        report_only = False
        if rule.require is not None or rule.reports:
            lst = ev.rule_entities(rule)
            if lst.missing is not None:
                computed = Outcome.NO_DATA if rule.require is not None else None
                reason, missing = "missing list", [lst.missing]
            else:
                outs: list[Outcome | None] = []
                shown_rank = -1
                for ent in lst.items:
                    o, er, det = ev.eval_entity(rule, ent)
                    outs.append(o)
                    entities.append(er)
                    flags |= set(er.flags)
                    # Show the figures of the worst entity: the one that
                    # decides the verdict (未达到 > 缺少数据 > 基本达到 > 达到).
                    rank = _SHOW_RANK.get(o, 0)
                    if rank > shown_rank:
                        shown_rank = rank
                        value, threshold, margin, unit = (
                            det.value,
                            det.threshold,
                            det.margin,
                            det.unit,
                        )
                    if len(lst.items) == 1:
                        reports = det.reports
                    if o == Outcome.NOT_MET:
                        failing.append(ent.name)
                    missing.extend(m for m in er.missing if m not in missing)
                if rule.require is not None:
                    if all(o is None for o in outs) and outs:
                        report_only = True
                        reason = entities[0].reason
                    elif not outs and not lst.complete:
                        computed = Outcome.NO_DATA
                        reason = "no entities, and the list is not declared complete"
                        missing.append(f"the list of {rule.scope.label} is incomplete")
                        missing.extend(g for g in lst.gaps if g not in missing)
                    elif not outs:
                        computed = Outcome.NOT_APPLICABLE
                        reason = "no entities: the complete list is empty"
                    else:
                        computed = combine_worst(outs)
                        if not lst.complete and computed != Outcome.NOT_MET:
                            computed = Outcome.NO_DATA
                            missing.append(f"the list of {rule.scope.label} is incomplete")
                            missing.extend(g for g in lst.gaps if g not in missing)
                        if computed in (Outcome.NOT_APPLICABLE, Outcome.NO_DATA) and reason is None:
                            reason = next((er.reason for er in entities if er.reason), None)
                else:
                    report_only = True
        if rule.provisional is not None and computed is not None:
            ev._provisional(f"{rule.id}: {rule.provisional}" if rule.provisional else rule.id)
        for w in ev.trace.warnings:
            if w not in warnings:
                warnings.append(w)
        if computed is not None and computed.decided:
            for p in ev.trace.provisional:
                if p not in provisional_used:
                    provisional_used.append(p)
        self_status = att.status if att is not None else None
        self_outcome = from_self_status(self_status) if self_status is not None else None
        if computed is not None and computed.decided:
            headline: Outcome | None = computed
        elif self_outcome is not None:
            headline = self_outcome
            if self_status == models.SelfStatus.NOT_STATED and reason is None:
                reason = "the county did not state its answer (未说明)"
        elif computed is not None:
            headline = computed
        elif report_only:
            headline = None
        else:
            headline = Outcome.NO_DATA
            reason = reason or "no self-assessment given and no computed rule"
        provisional = (
            computed is not None
            and computed.decided
            and headline == computed
            and ("provisional" in ev.trace.flags or rule.provisional is not None)
        ) or (
            # an item the rule file itself marks provisional (e.g. a veto known
            # only from memory) stays marked even when only the county answers it
            computed is None and rule.provisional is not None
        )
        disagreement = (
            self_outcome is not None
            and self_outcome.decided
            and computed is not None
            and computed.decided
            and self_outcome != computed
        )
        if provisional:
            flags.add("provisional")
        if disagreement:
            flags.add("disagreement")
        if report_only:
            flags.add("report-only")
        sources = [str(s) for s in rule.sources] + [s for s in ev.trace.sources]
        return ItemResult(
            id=rule.id,
            kind=rule.kind,
            section=path,
            title=rule.title,
            title_en=rule.title_en,
            self_status=self_status,
            self_outcome=self_outcome,
            self_evidence=att.evidence if att else None,
            self_actor=att.actor.value if att and att.actor else None,
            self_note=att.note if att else None,
            computed=computed,
            headline=headline,
            report_only=report_only,
            provisional=provisional,
            disagreement=disagreement,
            requirement=rule.requirement_text,
            value=value,
            threshold=threshold,
            margin=margin,
            unit=unit,
            period="; ".join(dict.fromkeys(ev.trace.periods)) or None,
            reason=reason,
            missing=tuple(missing),
            failing=tuple(failing),
            entities=tuple(entities) if rule.scope != ScopeKind.COUNTY else (),
            reports=reports,
            inputs=tuple(ev.trace.inputs.values()),
            sources=tuple(dict.fromkeys(sources)),
            notes=rule.notes,
            flags=tuple(sorted(flags)),
            details=tuple(ev.trace.details),
        )

    def run_item(rule: CheckedRule, path: tuple[str, ...]) -> ItemResult:
        if not rule.parts:
            res = run_rule(rule, path, None)
            items.append(res)
            return res
        own_index = len(items)
        items.append(None)  # type: ignore[arg-type]  # placeholder keeps file order
        parts = [run_rule(p, (*path, rule.id), rule) for p in rule.parts]
        items.extend(parts)
        att = attest.get(rule.id)
        combine = _COMBINE[rule.combine]
        computed = combine([p.computed for p in parts])
        self_outcome = combine([p.self_outcome for p in parts])
        headline = combine([p.headline for p in parts])
        flags = set()
        for p in parts:
            flags |= {f for f in p.flags if f in ("provisional", "approximate", "disagreement")}
        # An item disagrees when one of its parts does: comparing the item's
        # combined columns would set a 自评 of one part against the 核算 of another.
        disagreement = any(p.disagreement for p in parts)
        if disagreement:
            flags.add("disagreement")
        provisional = any(p.provisional and p.headline == headline for p in parts)
        res = ItemResult(
            id=rule.id,
            kind=rule.kind,
            section=path,
            title=rule.title,
            title_en=rule.title_en,
            self_status=att.status if att else None,
            self_outcome=self_outcome,
            self_evidence=att.evidence if att else None,
            self_actor=att.actor.value if att and att.actor else None,
            self_note=att.note if att else None,
            computed=computed,
            headline=headline if headline is not None else Outcome.NO_DATA,
            report_only=False,
            provisional=provisional,
            disagreement=disagreement,
            failing=tuple(p.id for p in parts if p.headline == Outcome.NOT_MET),
            sources=tuple(str(s) for s in rule.sources),
            notes=rule.notes,
            flags=tuple(sorted(flags)),
        )
        items[own_index] = res
        return res

    def run_members(
        members: Sequence[Container | CheckedRule], path: tuple[str, ...]
    ) -> list[tuple[Outcome | None, bool, str]]:
        out: list[tuple[Outcome | None, bool, str]] = []
        for m in members:
            if isinstance(m, CheckedRule):
                r = run_item(m, path)
                out.append((r.headline, m.veto, m.id))
            else:
                idx = len(sections)
                sections.append(None)  # type: ignore[arg-type]
                sub = run_members(m.members, (*path, m.id))
                outcome = _COMBINE[m.combine]([o for o, _, _ in sub])
                vetoed = tuple(i for o, veto, i in sub if veto and o == Outcome.NOT_MET)
                if vetoed:
                    outcome = Outcome.NOT_MET
                sections[idx] = SectionResult(m.kind, m.id, m.title, outcome, vetoed)
                out.append((outcome, False, m.id))
        return out

    top = run_members(ruleset.members, ())
    overall = combine_worst([o for o, _, _ in top])
    if any(veto and o == Outcome.NOT_MET for o, veto, _ in top):
        overall = Outcome.NOT_MET
    for w in _figure_warnings(items):
        if w not in warnings:
            warnings.append(w)
    warnings.extend(_unused_attestations(ruleset, data))
    return Report(
        ruleset_id=ruleset.id,
        ruleset_title=ruleset.title,
        ruleset_version=ruleset.version,
        county=data.name,
        county_code=data.code,
        as_of=day,
        as_of_basis=basis,
        items=tuple(items),
        sections=tuple(sections),
        overall=overall,
        warnings=tuple(warnings),
        provisional_values=tuple(provisional_used),
    )


def _unused_attestations(ruleset: RuleSet, data: models.County) -> Iterator[str]:
    """An answer (自评) for a label the rule set does not have would otherwise be
    lost without a word (a typo such as "12.l").  One line for all of them: a data
    file that answers several rule sets has many such answers for each."""
    known = [r.id for r in ruleset.rules()]
    unused = [a.item for a in data.attestations if a.item not in known]
    if not unused:
        return
    shown = "、".join(unused)
    hints = []
    for item in unused:
        close = did_you_mean(item, known)
        # a suggestion is only worth showing for a near-miss, not '(十四)2' → '2'
        if close is not None and len(close) >= len(item) - 1:
            hints.append(f"'{item}' → '{close}'?")
    hint = f"; did you mean {', '.join(hints[:5])}" if hints else ""
    yield (
        f"{len(unused)} 自评 answer(s) match no item or part of rule set {ruleset.id} "
        f"and are not used: {shown}{hint}"
    )


def _figure_warnings(items: Sequence[ItemResult]) -> Iterator[str]:
    for r in items:
        if "approximate" in r.flags and r.requirement is not None:
            yield f"{r.id}: computed from approximate figures (约…), used as stated"


_SHOW_RANK = {
    Outcome.NOT_MET: 5,
    Outcome.NO_DATA: 4,
    Outcome.BASICALLY_MET: 3,
    Outcome.MET: 2,
    Outcome.NOT_APPLICABLE: 1,
    None: 0,
}


def _combine_all_met(outcomes: Sequence[Outcome | None]) -> Outcome | None:
    present = [o for o in outcomes if o is not None and o != Outcome.NOT_APPLICABLE]
    if not present:
        return combine_worst(outcomes)
    if all(o == Outcome.MET for o in present):
        return Outcome.MET
    if any(o == Outcome.NO_DATA for o in present) and not any(
        o in (Outcome.NOT_MET, Outcome.BASICALLY_MET) for o in present
    ):
        return Outcome.NO_DATA
    return Outcome.NOT_MET


def _combine_any_met(outcomes: Sequence[Outcome | None]) -> Outcome | None:
    present = [o for o in outcomes if o is not None and o != Outcome.NOT_APPLICABLE]
    if not present:
        return combine_worst(outcomes)
    if any(o == Outcome.MET for o in present):
        return Outcome.MET
    if any(o == Outcome.NO_DATA for o in present):
        return Outcome.NO_DATA
    return combine_worst(present)


_COMBINE = {
    "worst": combine_worst,
    "all_met": _combine_all_met,
    "any_met": _combine_any_met,
}
