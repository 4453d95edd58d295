"""Today's display strings: the :class:`~eduint.engine.results.Report` built from the facts.

The record engine (:mod:`eduint.engine.record`) keeps values and coded reasons; this
module formats them exactly as the reports have always shown them (issue 12 moves the
formatting into reporting and the words into a message catalogue):

* numbers are exact decimals with at most ``display_precision`` places, trailing zeros
  removed (:func:`fmt`), with their unit (:func:`show`); a value and its threshold get
  as many more places as it takes for the printed figures to agree with the verdict
  (:func:`display_pair`), and a margin that is not 0 never prints as 0;
* every :class:`~eduint.core.values.Reason` renders to one English sentence
  (:func:`render`).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from typing import Any

from eduint.checking.ruleset import Aggregate, RExpr, RuleSet
from eduint.checking.schema import ScopeKind
from eduint.core import values as v
from eduint.core.units import Unit, display_unit
from eduint.core.values import Code, Reason, Unknown, Value
from eduint.data import models
from eduint.engine.population import Population
from eduint.engine.record import EntityFacts, Form, RuleFacts, RunFacts
from eduint.engine.results import (
    Check,
    EntityResult,
    ItemResult,
    Outcome,
    Report,
    ReportValue,
    SectionResult,
)
from eduint.language.diagnostics import did_you_mean

__all__ = ["Builder", "display_pair", "display_unit", "fmt", "render", "report", "show"]

#: Most decimal places the display adds to keep a printed value from contradicting
#: its verdict.
_MAX_DIGITS = 60
_PERCENT = Unit((), Fraction(1, 100), "%")
#: Integers longer than this (about 3,900 digits) are shown in scientific form: Python
#: refuses ``str()`` of an integer of more than 4,300 digits, and no reader counts them.
_MAX_PLAIN_BITS = 13_000


# ---------------------------------------------------------------- numbers


def _rounded(x: v.Exact, prec: int) -> int:
    """``x × 10^prec`` rounded half to even, exactly."""
    if type(x) is int:
        return x * 10**prec  # type: ignore[no-any-return]
    return _round(x.numerator, x.denominator, prec)


def _round(n: int, d: int, prec: int) -> int:
    """``n / d × 10^prec`` rounded half to even, exactly (``d > 0``)."""
    q, r = divmod(n * 10**prec, d)
    twice = 2 * r
    if twice > d or (twice == d and q & 1):
        q += 1
    return q  # type: ignore[no-any-return]


def _int_text(n: int, shift: int = 0) -> str:
    """``n × 10^-shift`` as text: its digits, or for a huge ``n`` ``约1.797693×10^308``
    (seven significant digits, computed from the leading bits in constant time)."""
    if n.bit_length() <= _MAX_PLAIN_BITS:
        return str(n)
    sign = "-" if n < 0 else ""
    a = abs(n)
    drop = a.bit_length() - 64
    log = math.log10(a >> drop) + drop * math.log10(2) - shift
    exp = math.floor(log)
    return f"约{sign}{10 ** (log - exp):.6f}×10^{exp}"


def _digits(scaled: int, prec: int) -> str:
    if scaled.bit_length() > _MAX_PLAIN_BITS:
        return _int_text(scaled, prec)
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(prec + 1, "0")
    whole, frac = (digits[:-prec], digits[-prec:]) if prec else (digits, "")
    frac = frac.rstrip("0")
    text = whole + ("." + frac if frac else "")
    return "0" if text == "0" else sign + text


def fmt(x: v.Exact, prec: int) -> str:
    """A decimal with at most ``prec`` places, trailing zeros removed.

    Exact integer arithmetic (round half to even), so any magnitude prints.
    """
    if type(x) is int:
        return _int_text(x)
    return _digits(_rounded(x, prec), prec)


def unit_text(unit: Unit) -> str:
    """The unit as shown after a number: ``""`` for a bare number (never ``1``)."""
    u = str(unit)
    return "" if u == "1" else u


def _with_unit(text: str, unit: Unit) -> str:
    u = str(unit)
    if not u or u == "1":  # dimensionless (a ratio such as 人/人): no unit shown
        return text
    return f"{text}{u}" if u in ("%", "‰") else f"{text} {u}"


def _in_unit(x: v.Exact, unit: Unit) -> v.Exact:
    scale = unit.scale
    if scale == 1:
        return x
    q = Fraction(x) / scale
    return q.numerator if q.denominator == 1 else q


def _scaled(x: v.Exact, sn: int, sd: int, prec: int) -> str:
    """``fmt(x ÷ (sn/sd), prec)`` in integers."""
    if type(x) is int:
        n, d = x, 1
    else:
        n, d = x.numerator, x.denominator
    if sn != 1 or sd != 1:
        n, d = n * sd, d * sn
    if d == 1:
        return _int_text(n)
    return _digits(_round(n, d, prec), prec)


def _suffix(unit: Unit) -> str:
    u = str(unit)
    if not u or u == "1":  # dimensionless (a ratio such as 人/人): no unit shown
        return ""
    return u if u in ("%", "‰") else " " + u


def show(x: Value, unit: Unit, prec: int) -> str:
    """A number with its unit: ``约212 人``, ``30–39 人``, ``85%``."""
    scale = unit.scale
    return _show(x, scale.numerator, scale.denominator, _suffix(unit), prec)


def _show(x: Value, sn: int, sd: int, suffix: str, prec: int) -> str:
    t = type(x)
    if t is int or t is Fraction:
        return _scaled(x, sn, sd, prec) + suffix  # type: ignore[arg-type]
    lo, hi, approx = v.bounds(x)  # type: ignore[arg-type]
    if lo == hi:
        return ("约" if approx else "") + _scaled(lo, sn, sd, prec) + suffix
    return f"{_scaled(lo, sn, sd, prec)}–{_scaled(hi, sn, sd, prec)}{suffix}"


_HOLDS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _exact(x: Value) -> bool:
    return type(x) is not v.Interval or x.exact


def display_pair(lv: Value, rv: Value, op: str, unit: Unit, prec: int) -> tuple[str, str]:
    """Show value and threshold with enough digits that the printed figures give the
    same verdict as the exact ones (0.501787 against ≤ 0.50 never prints as 0.50)."""
    if not (_exact(lv) and _exact(rv)):
        return show(lv, unit, prec), show(rv, unit, prec)
    a = _in_unit(v.bounds(lv)[0], unit)  # type: ignore[arg-type]
    b = _in_unit(v.bounds(rv)[0], unit)  # type: ignore[arg-type]
    holds = _HOLDS[op]
    truth = holds(a, b)
    p = prec
    while p < _MAX_DIGITS:
        da, db = _rounded(a, p), _rounded(b, p)
        if holds(da, db) == truth and (da != db or a == b):
            break
        p += 1
    return show(lv, unit, p), show(rv, unit, p)


def _plain(x: Value) -> str:
    lo, hi, _ = v.bounds(x)  # type: ignore[arg-type]
    return fmt(lo, 6) if lo == hi else f"{fmt(lo, 6)}–{fmt(hi, 6)}"


def _band(low: int, high: int | None) -> str:
    return f"{low}–{high if high is not None else ''}"


def _date(d: datetime.date | None) -> str:
    return d.isoformat() if d else ""


# ---------------------------------------------------------------- reasons


def _join(reasons: Sequence[Reason]) -> str:
    return "; ".join(render(r) for r in reasons)


_TEXT: dict[Code, Callable[..., str]] = {
    Code.MISSING_FIGURE: lambda e, f, lab: f"{e}: {lab or f} missing",
    Code.FIGURE_AS_BANDS: lambda e, f, lab: f"{e}: {lab or f} (classes given as size bands)",
    Code.RANGE_UNDECIDED: lambda: "a figure given as a range leaves the comparison undecided",
    Code.RANGE_COMPARISON: lambda e, sides, op: (
        f"{e}: {' and '.join(f'{n} = {show(x, u, 6)}' for n, x, u in sides)} "
        f"is a range; '{op}' is undecided"
    ),
    Code.DIVISION_BY_ZERO: lambda: "division by zero (the divisor is 0 or may be 0)",
    Code.NO_SCHOOL_LIST: lambda: "学校名单 (list of schools) not given",
    Code.SEGMENTS_NOT_GIVEN: lambda s: f"{s}: 学段 figures not given",
    Code.CLASSES_NOT_GIVEN: lambda s: f"{s}: 班级 (classes) not given",
    Code.CLASS_COUNT_CLASH: lambda s, count, n, how: (
        f"{s}: 班级数 says {count} classes but the complete class list has {n}"
        if how == "list"
        else f"{s}: 班级数 says {count} classes but the size bands count {n}"
    ),
    Code.BANDS_OVERLAP: lambda s, alo, ahi, blo: (
        f"{s}: class-size bands overlap ({_band(alo, ahi)} and {blo}–)"
    ),
    Code.BAND_COUNT_MISSING: lambda s, lo, hi: (
        f"{s}: class count of band {_band(lo, hi)} not given"
    ),
    Code.BAND_COUNT_RANGE: lambda s, lo, hi, text: (
        f"{s}: class count of band {_band(lo, hi)} is a range ({text})"
    ),
    Code.INCOMPLETE_LIST: lambda label, fn: (
        f"the list of {label} is incomplete, so the 差异系数 is unknown"
        if fn == "cv"
        else f"the list of {label} is incomplete, so {fn}(…) is unknown"
    ),
    Code.INCOMPLETE_SUM: lambda label: f"{label}: the list is incomplete, so the sum is unknown",
    Code.LIST_INCOMPLETE: lambda label: f"the list of {label} is incomplete",
    Code.EMPTY_AGGREGATE: lambda fn, label: (
        f"{fn}(…) over no {label}: division by zero"
        if fn in ("share", "mean")
        else f"{fn}(…) over no {label}"
    ),
    Code.KEY_NOT_GIVEN: lambda kind, who: {
        "segment": "学段 not given",
        "location": f"{who} 城乡分类 not given",
        "region": f"{who} 地区 (region class) not given",
    }[kind],
    Code.NO_KEYED_VALUE: lambda key: f"no value for {key}",
    Code.NO_THRESHOLD: lambda day: f"no threshold in force at {day.isoformat()}",
    Code.REPORT_ONLY: lambda start, end: f"report only in {_date(start)}–{_date(end)}",
    Code.NO_SCHOOLS_OF_SEGMENT: lambda seg: f"the county has no {seg} schools",
    Code.NO_SEGMENT_IN_LIST: lambda seg: f"the county's complete school list has no {seg} segment",
    Code.SINGLE_SCHOOL: lambda n: (
        f"{n} school(s) with students: a single school has no inter-school balance"
    ),
    Code.CV_NEGATIVE_WEIGHT: lambda e: f"{e}: the weight of the 差异系数 is negative",
    Code.CV_NEEDS_EXACT: lambda e: f"{e}: a figure is a range, the 差异系数 needs exact ones",
    Code.CV_ZERO_MEAN: lambda: "差异系数: the mean is 0, so the 差异系数 is undefined",
    Code.WHOLE_SCHOOL_NOT_SPLIT: lambda s, f, lab: (
        f"{s}: {lab or f} is given for the whole school and the rule set "
        "does not split it by segment"
    ),
    Code.SPLIT_NEEDS_STUDENTS: lambda s, seg, f, lab: (
        f"{s} {seg}: 在校生数 missing (needed to split {lab or f})"
    ),
    Code.SPLIT_NO_WEIGHT: lambda s, f, lab, segs: (
        f"{s}: cannot split {lab or f}: no split weight for {', '.join(segs)}"
    ),
    Code.SPLIT_NEGATIVE: lambda s, f, lab: (
        f"{s}: cannot split {lab or f}: a student count is negative"
    ),
    Code.SPLIT_NO_STUDENTS: lambda s, f, lab: (
        f"{s}: cannot split {lab or f}: the school has no students to split by"
    ),
    Code.LEFT_OUT_SPECIAL: lambda s: f"{s}: 特殊教育学校, not counted (setting include_special)",
    Code.LEFT_OUT_PRIVATE: lambda s: f"{s}: 民办, not counted (setting include_private)",
    Code.LEFT_OUT_TEACHING_POINT: lambda s: f"{s}: 教学点, not counted (setting teaching_points)",
    Code.LEFT_OUT_SMALL_TEACHING_POINT: lambda s, n, minimum: (
        f"{s}: 教学点 with {n} students, below {minimum} (setting teaching_point_min_students)"
    ),
    Code.MERGED_TEACHING_POINT: lambda s, central: (
        f"{s}: 教学点, merged into its central school {central}"
    ),
    Code.ZERO_STUDENTS: lambda e: f"{e}: 0 students, left out",
    Code.ZERO_STUDENTS_CV: lambda e: f"{e}: 0 students, left out of the 差异系数",
    Code.CV_LEFT_OUT: lambda e, reasons: f"{e}: left out of the 差异系数 ({_join(reasons)})",
    Code.CV_SHARES: lambda shares: (
        "largest shares of the variance: " + ", ".join(f"{n} {fmt(c * 100, 1)}%" for n, c in shares)
    ),
    Code.SPLIT_SHARE: lambda seg, f, lab, share, weights: (
        f"{seg}: {lab or f} is {fmt(share * 100, 2)}% of the school's (split {weights})"
    ),
    Code.FIGURE_DIFFERS: lambda e, label, given, summed: (
        f"{e} {label}: the county figure ({_plain(given)}) differs from the sum over "
        f"its schools ({_plain(summed)}); the county figure is used"
    ),
    Code.DOES_NOT_APPLY: lambda otherwise, text: otherwise or f"does not apply: {text}",
    Code.APPLICABILITY_UNKNOWN: lambda: "applicability unknown",
    Code.MISSING_FIGURES: lambda: "missing figures",
    Code.NO_THRESHOLD_IN_FORCE: lambda: "no threshold in force",
    Code.REPORT_ONLY_PERIOD: lambda reasons: _join(reasons),
    Code.REPORT_ONLY_NO_VALUE: lambda reasons: (
        f"{_join(reasons)}, and the value to show cannot be computed"
    ),
    Code.NOT_APPLICABLE_BECAUSE: lambda reasons: _join(reasons),
    Code.MISSING_LIST: lambda: "missing list",
    Code.NO_ENTITIES_INCOMPLETE: lambda: "no entities, and the list is not declared complete",
    Code.NO_ENTITIES: lambda: "no entities: the complete list is empty",
    Code.NOT_STATED: lambda: "the county did not state its answer (未说明)",
    Code.NO_ANSWER: lambda: "no self-assessment given and no computed rule",
}


def render(r: Reason) -> str:
    """The English sentence of a coded reason, as the reports show it."""
    return _TEXT[r.code](*r.args)


class _Renderer:
    """Renders reasons once per report (the same reason recurs across rules)."""

    def __init__(self) -> None:
        self.cache: dict[Reason, str] = {}

    def __call__(self, r: Reason) -> str:
        text = self.cache.get(r)
        if text is None:
            text = self.cache[r] = render(r)
        return text

    def all(self, reasons: Sequence[Reason]) -> tuple[str, ...]:
        if not reasons:
            return ()
        return tuple([self(r) for r in reasons])

    def unique(self, reasons: Sequence[Reason]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self(r) for r in reasons))


# ------------------------------------------------------------------ results


class _Shows:
    """Numbers shown with their units, formatted once per report.

    Thresholds recur for every entity and a ``let`` value is shown by its report line
    and again by each check of it, so each (value, unit) is formatted once.  Units are
    told apart by their scale and written form (two unit objects that print alike
    share their entries).
    """

    def __init__(self, prec: int) -> None:
        self.prec = prec
        self.units: dict[int, tuple[int, int, str, int, Unit]] = {}
        self.classes: dict[tuple[Fraction, str], int] = {}
        # Every value shown is held by the facts until the report is built, so its
        # identity stands for it here (hashing a Fraction costs more than formatting);
        # `alive` keeps each identity taken while the cache lives.
        self.cache: dict[tuple[int, int], str] = {}
        self.alive: list[Value] = []

    def unit(self, unit: Unit) -> tuple[int, int, str, int, Unit]:
        """``(scale numerator, scale denominator, suffix, unit class, unit)``."""
        u = self.units.get(id(unit))
        if u is None:
            key = (unit.scale, str(unit))
            cls = self.classes.setdefault(key, len(self.classes))
            scale = unit.scale
            u = (scale.numerator, scale.denominator, _suffix(unit), cls, unit)
            self.units[id(unit)] = u
        return u

    def __call__(self, x: Value, unit: Unit) -> str:
        sn, sd, suffix, cls, _ = self.unit(unit)
        k = (id(x), cls)
        text = self.cache.get(k)
        if text is None:
            text = self.cache[k] = _show(x, sn, sd, suffix, self.prec)
            self.alive.append(x)
        return text


class _Shown:
    """The headline comparison of an entity as displayed."""

    __slots__ = ("margin", "threshold", "unit", "value")

    def __init__(self) -> None:
        self.value: str | None = None
        self.threshold: str | None = None
        self.margin: str | None = None
        self.unit: str | None = None


_NOTHING = _Shown()


def _is_share(expr: RExpr) -> bool:
    return isinstance(expr, Aggregate) and expr.fn in ("share",)


class Builder:
    """Builds the results of one report from its facts (:meth:`rule_item` may be given
    to :func:`eduint.engine.record.run` as its ``on_rule``)."""

    def __init__(self, pop: Population, prec: int) -> None:
        self.pop = pop
        self.prec = prec
        self.text = _Renderer()
        self.shows = _Shows(prec)
        self._report_units: dict[int, list[tuple[str | None, tuple[int, int, str, int, Unit]]]] = {}

    def comparison(self, ef: EntityFacts, rf: RuleFacts) -> _Shown:
        """The value, threshold, margin and unit of an entity's headline comparison."""
        program, prec = rf.program, self.prec
        if ef.main is None or program is None or program.main is None:
            return _NOTHING
        cmp = program.main[0]
        lv, rv = ef.main
        unit = display_unit(cmp.right.type.unit, cmp.left.type.unit)
        out = _Shown()
        out.unit = unit_text(unit) or None
        if v.is_number(lv) and v.is_number(rv):
            out.value, out.threshold = display_pair(lv, rv, cmp.op, unit, prec)
            if _exact(lv) and _exact(rv) and cmp.op in (">=", ">", "<=", "<"):
                a, b = v.bounds(lv)[0], v.bounds(rv)[0]  # type: ignore[arg-type]
                m = _in_unit((a - b) if cmp.op in (">=", ">") else (b - a), unit)
                p = prec
                while m != 0 and fmt(m, p) == "0" and p < 15:
                    p += 1  # a margin that is not 0 never prints as 0
                out.margin = fmt(m, p)
        else:
            if v.is_number(lv):
                out.value = show(lv, unit, prec)
            if v.is_number(rv):
                out.threshold = show(rv, unit, prec)
        return out

    def report_units(
        self, rf: RuleFacts
    ) -> list[tuple[str | None, tuple[int, int, str, int, Unit]]]:
        """Each report line's name and display unit (a share is shown in %)."""
        assert rf.program is not None
        key = id(rf.program)
        units = self._report_units.get(key)
        if units is None:
            units = []
            for name, expr, _ in rf.program.reports:
                unit = expr.type.unit
                if not unit_text(unit) and expr.type.kind == "number" and _is_share(expr):
                    unit = _PERCENT
                units.append((name, self.shows.unit(unit)))
            self._report_units[key] = units
        return units

    def report_values(
        self, rf: RuleFacts, values: Sequence[Value] | None
    ) -> tuple[ReportValue, ...]:
        """The rule's ``report`` lines for one entity's values, as shown."""
        if not values or rf.program is None:
            return ()
        out = []
        shows = self.shows
        cache, alive, prec = shows.cache, shows.alive, self.prec
        for (name, (sn, sd, suffix, cls, _)), x in zip(self.report_units(rf), values, strict=True):
            t = x.__class__
            if t is int or t is Fraction or t is v.Interval:
                k = (id(x), cls)
                text = cache.get(k)
                if text is None:
                    text = cache[k] = _show(x, sn, sd, suffix, prec)
                    alive.append(x)
                out.append(ReportValue(name, text))
            elif t is bool:
                out.append(ReportValue(name, "是" if x else "否"))
            elif t is Unknown:
                out.append(ReportValue(name, None, self.text.all(x.reasons)))  # type: ignore[union-attr]
            else:
                out.append(ReportValue(name, str(x)))
        return tuple(out)

    def checks(self, ef: EntityFacts) -> tuple[Check, ...]:
        """Every top-level comparison of an entity's requirement, as shown."""
        shows = self.shows
        cache, alive, prec, unit_of = shows.cache, shows.alive, self.prec, shows.unit
        out = []
        for info, lv, rv, res, group in ef.checks:
            sn, sd, suffix, cls, _ = unit_of(info.unit)
            shown: list[str | None] = []
            for x in (lv, rv):
                t = x.__class__
                if t is int or t is Fraction or t is v.Interval:
                    k = (id(x), cls)
                    text = cache.get(k)
                    if text is None:
                        text = cache[k] = _show(x, sn, sd, suffix, prec)
                        alive.append(x)
                    shown.append(text)
                else:
                    shown.append(None)
            met = res if res is True or res is False else None
            out.append(Check(info.text, shown[0], shown[1], met, group))
        return tuple(out)

    def entity(self, rf: RuleFacts, ef: EntityFacts) -> tuple[EntityResult, _Shown]:
        """An entity's result, and its headline comparison as shown (for the item)."""
        t = self.pop.tables[rf.rule.scope]
        text = self.text
        name, where = t.names[ef.row], t.paths[ef.row]
        details = text.all(ef.details)
        shown = self.comparison(ef, rf)
        form = ef.form
        reason = text(ef.reason) if ef.reason is not None else None
        if form == Form.FULL:
            result = EntityResult(
                name,
                where,
                ef.outcome,
                value=shown.value,
                threshold=shown.threshold,
                margin=shown.margin,
                reason=reason,
                missing=text.all(ef.missing),
                flags=ef.flags,
                values=self.report_values(rf, ef.reports),
                checks=self.checks(ef),
                details=details,
            )
        elif form == Form.NO_REQUIRE:
            values = self.report_values(rf, ef.reports)
            result = EntityResult(name, where, None, values=values, details=details)
        elif form == Form.REPORT_ONLY:
            result = EntityResult(
                name, where, None, value=shown.value, reason=reason, details=details
            )
        else:
            missing = text.all(ef.missing)
            result = EntityResult(
                name, where, ef.outcome, reason=reason, missing=missing, details=details
            )
        return result, shown

    def rule_item(self, rf: RuleFacts) -> ItemResult:
        """The :class:`ItemResult` of a rule or part from its facts."""
        # values are cached by identity while their facts live: one rule at a time
        self.shows.cache.clear()
        self.shows.alive.clear()
        rule, fr, pop, text = rf.rule, rf.frame, self.pop, self.text
        assert fr is not None
        entities: list[EntityResult] = []
        shown = _NOTHING
        for i, ef in enumerate(rf.entities):
            er, s = self.entity(rf, ef)
            entities.append(er)
            if i == rf.shown:
                shown = s
        reports: tuple[ReportValue, ...] = ()
        if rf.reports is not None:
            reports = self.report_values(rf, rf.reports.reports)
        names = pop.tables[rule.scope].names
        sources = [str(s) for s in rule.sources] + list(fr.sources)
        att = rf.attestation
        return ItemResult(
            id=rule.id,
            kind=rule.kind,
            section=rf.path,
            title=rule.title,
            title_en=rule.title_en,
            self_status=att.status if att is not None else None,
            self_outcome=rf.self_outcome,
            **_attested(att),
            computed=rf.computed,
            headline=rf.headline,
            report_only=rf.report_only,
            provisional=rf.provisional,
            disagreement=rf.disagreement,
            requirement=rule.requirement_text,
            value=shown.value,
            threshold=shown.threshold,
            margin=shown.margin,
            unit=shown.unit,
            period="; ".join(dict.fromkeys(fr.periods)) or None,
            reason=text(rf.reason) if rf.reason is not None else None,
            missing=text.unique(rf.missing),
            failing=tuple(names[r] for r in rf.failing),
            entities=tuple(entities) if rule.scope != ScopeKind.COUNTY else (),
            reports=reports,
            inputs=pop.inputs(fr.inputs),
            sources=tuple(dict.fromkeys(sources)),
            notes=rule.notes,
            flags=tuple(sorted(rf.flags)),
            details=text.all(tuple(fr.details)),
        )


def _attested(att: models.Attestation | None) -> dict[str, Any]:
    return {
        "self_evidence": att.evidence if att else None,
        "self_actor": att.actor.value if att and att.actor else None,
        "self_note": att.note if att else None,
    }


def _parts_item(rf: RuleFacts) -> ItemResult:
    rule, att = rf.rule, rf.attestation
    assert rf.parts is not None
    return ItemResult(
        id=rule.id,
        kind=rule.kind,
        section=rf.path,
        title=rule.title,
        title_en=rule.title_en,
        self_status=att.status if att else None,
        self_outcome=rf.self_outcome,
        **_attested(att),
        computed=rf.computed,
        headline=rf.headline,
        report_only=False,
        provisional=rf.provisional,
        disagreement=rf.disagreement,
        failing=tuple(p.rule.id for p in rf.parts if p.headline == Outcome.NOT_MET),
        sources=tuple(str(s) for s in rule.sources),
        notes=rule.notes,
        flags=tuple(sorted(rf.flags)),
    )


def _unused_attestations(ruleset: RuleSet, data: models.County) -> Iterator[str]:
    """An answer (自评) for a label the rule set does not have would otherwise be lost
    without a word (a typo such as "12.l").  One line for all of them: a data file that
    answers several rule sets has many such answers for each."""
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


def report(
    ruleset: RuleSet,
    facts: RunFacts,
    as_of: datetime.date | None,
    basis: str,
    builder: Builder | None = None,
) -> Report:
    """Today's :class:`Report` from the facts of one evaluation (``builder``: the one
    that already built the rules' results as they were evaluated, if any)."""
    pop = facts.pop
    b = builder or Builder(pop, pop.settings.display_precision)
    items = tuple(
        _parts_item(rf)
        if rf.parts is not None
        else (rf.result if rf.result is not None else b.rule_item(rf))
        for rf in facts.items
    )
    warnings = list(dict.fromkeys(b.text(w) for w in facts.warnings))
    for r in items:
        if "approximate" in r.flags and r.requirement is not None:
            w = f"{r.id}: computed from approximate figures (约…), used as stated"
            if w not in warnings:
                warnings.append(w)
    warnings.extend(_unused_attestations(ruleset, pop.county))
    sections = tuple(
        SectionResult(s.container.kind, s.container.id, s.container.title, s.outcome, s.vetoed)
        for s in facts.sections
    )
    return Report(
        ruleset_id=ruleset.id,
        ruleset_title=ruleset.title,
        ruleset_version=ruleset.version,
        county=pop.county.name,
        county_code=pop.county.code,
        as_of=as_of,
        as_of_basis=basis,
        items=items,
        sections=sections,
        overall=facts.overall,
        warnings=tuple(warnings),
        provisional_values=facts.provisional,
    )
