"""Strategies built from a rule set: counties carrying exactly the fields it reads,
entities on and beside its thresholds, and random valid rule-file text.

Hypothesis is imported when a function is called.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from eduint.data import models
from eduint.testing import _realistic as real
from eduint.testing._validate import _check_count, _check_order, _invalid

if TYPE_CHECKING:
    from hypothesis import strategies as st

    from eduint.checking.ruleset import CheckedRule, RuleSet

__all__ = ["from_ruleset", "knobs", "near_threshold", "rule_texts"]


def _check_share(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise _invalid(f"Expected {name} to be a share between 0 and 1, but got {name}={value!r}")
    return float(value)


def _check_enums(name: str, value: object, enum: type) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, enum)) or not isinstance(value, Iterable):
        value = (value,)
    out = []
    for v in value:
        try:
            out.append(enum(v))
        except ValueError:
            raise _invalid(
                f"Expected {name} to hold {enum.__name__} values, but got {name}={value!r}"
            ) from None
    if not out:
        raise _invalid(f"{name}={value!r} must not be empty")
    return tuple(out)


def knobs(
    *,
    min_schools: int = 3,
    max_schools: int = 30,
    kinds: Iterable[models.SchoolKind | str] | None = None,
    locations: Iterable[models.Location | str] | None = None,
    one_through: float = 0.1,
    missing: float = 0.0,
    as_of: datetime.date = datetime.date(2020, 9, 1),
) -> real.Knobs:
    """Validate the knobs of a realistic county (see :func:`from_ruleset`).

    Raises:
        InvalidArgument: a knob is out of range or of the wrong type, naming it as
            ``name=value``.
    """
    lo = _check_count("min_schools", min_schools)
    hi = _check_count("max_schools", max_schools)
    _check_order("min_schools", lo, "max_schools", hi)
    k = _check_enums("kinds", kinds, models.SchoolKind) or real.Knobs().kinds
    loc = _check_enums("locations", locations, models.Location) or real.Knobs().locations
    if not isinstance(as_of, datetime.date):
        raise _invalid(f"Expected as_of to be a date, but got as_of={as_of!r}")
    return real.Knobs(
        lo,
        hi,
        k,
        loc,
        _check_share("one_through", one_through),
        _check_share("missing", missing),
        as_of,
    )


def from_ruleset(
    ruleset: RuleSet,
    *,
    also: RuleSet | None = None,
    min_schools: int = 3,
    max_schools: int = 30,
    kinds: Iterable[models.SchoolKind | str] | None = None,
    locations: Iterable[models.Location | str] | None = None,
    one_through: float = 0.1,
    missing: float = 0.0,
    as_of: datetime.date = datetime.date(2020, 9, 1),
) -> st.SearchStrategy[models.County]:
    """Counties that carry exactly the figures ``ruleset`` (and ``also``) reads.

    Each school is of one of ``kinds`` (default 小学 and 初中), or a 九年一贯制 school at
    the share ``one_through``, in one of ``locations``; every segment has 200–2000
    students (a 教学点 20–200) and each figure read is a per-student rate times the
    students, 1–2.4 times the 2017 standards for the county, each school off by up to the county's
    spread (0–90 %), so that both 达到 and 未达到 occur, for the indicators and the CVs.  The
    school list is complete and the county dated ``as_of``.  With ``missing=0`` (the
    default) no figure is missing, so verdicts are decided, never 缺少数据.

    Args:
        ruleset: the checked rule set.
        also: a second rule set whose fields are given too (comparing two sets).
        min_schools, max_schools: the number of schools (default 3–30).
        kinds: school kinds (:class:`~eduint.data.models.SchoolKind` or its value).
        locations: locations (:class:`~eduint.data.models.Location` or its value).
        one_through: share (0–1) of 九年一贯制 schools with both segments.
        missing: share (0–1) of figures left missing.
        as_of: the date the data declares.

    Raises:
        InvalidArgument: a knob is out of range or of the wrong type (``name=value``).
    """
    k = knobs(
        min_schools=min_schools, max_schools=max_schools, kinds=kinds, locations=locations,
        one_through=one_through, missing=missing, as_of=as_of,
    )  # fmt: skip
    fields = real.read_fields(ruleset) | (real.read_fields(also) if also is not None else set())
    return real.realistic(frozenset(fields), k)


def realistic_counties(**kw: Any) -> st.SearchStrategy[models.County]:
    """Realistic counties carrying every figure (``counties(...)`` with a knob)."""
    return real.realistic(real.every_field(), knobs(**kw))


# ------------------------------------------------------------------ thresholds


def near_threshold(
    ruleset: RuleSet, rule: str, *, distance: float = 0.01, max_pairs: int = 5
) -> st.SearchStrategy[models.County]:
    """Counties whose entities sit exactly on, one input unit below and one above each
    threshold of ``rule`` (the boundary cases ``eduint testgen`` writes), and, for a
    差异系数 rule (``cv(…) <= limit``), whole counties whose CV lies within ``distance``
    of the limit (2–2·``max_pairs`` schools of one segment with equal students and rates
    ``m·(1 ± c)``, so the CV is exactly ``c``).

    Raises:
        InvalidArgument: ``rule`` is not a rule of ``ruleset``, a knob is out of range,
            or the rule has no threshold of a supported form.
    """
    from hypothesis import strategies as st

    target = ruleset.find(rule)
    if target is None:
        raise _invalid(f"rule={rule!r} is not a rule of {ruleset.id}")
    if isinstance(distance, bool) or not isinstance(distance, (int, float)) or distance < 0:
        raise _invalid(
            f"Expected distance to be a number at least 0, but got distance={distance!r}"
        )
    _check_count("max_pairs", max_pairs)
    options: list[st.SearchStrategy[models.County]] = []
    boundary = _boundary_counties(ruleset, rule)
    if boundary:
        options.append(st.sampled_from(boundary))
    cv = _cv_strategy(ruleset, target, Fraction(str(distance)), max(max_pairs, 1))
    if cv is not None:
        options.append(cv)
    if not options:
        raise _invalid(f"rule={rule!r} has no threshold near_threshold can place figures on")
    return st.one_of(options)


def _boundary_counties(ruleset: RuleSet, rule: str) -> list[models.County]:
    from eduint.data.loading import read_county

    out = []
    for case in _boundary_cases(ruleset):
        if any(e["rule"] == rule for e in case["expect"]):
            data = dict(case["data"], as_of=case["as_of"])
            out.append(read_county(data)[0])
    return out


_BOUNDARY: dict[int, tuple[RuleSet, tuple[dict[str, Any], ...]]] = {}


def _boundary_cases(ruleset: RuleSet) -> tuple[dict[str, Any], ...]:
    """The boundary cases of ``ruleset``, generated once (rule sets are not hashable:
    kept by identity, with the rule set so that its id is not reused)."""
    from eduint.authoring.boundary import generate

    hit = _BOUNDARY.get(id(ruleset))
    if hit is None or hit[0] is not ruleset:
        if len(_BOUNDARY) > 32:
            _BOUNDARY.clear()
        hit = _BOUNDARY[id(ruleset)] = (ruleset, tuple(generate(ruleset)[0]["cases"]))
    return hit[1]


def _cv_strategy(
    ruleset: RuleSet, rule: CheckedRule, distance: Fraction, max_pairs: int
) -> st.SearchStrategy[models.County] | None:
    from hypothesis import strategies as st

    from eduint.authoring.boundary import _figure, _thresholds
    from eduint.checking.ruleset import Aggregate, Comparison

    req = rule.require
    if not (
        isinstance(req, Comparison)
        and isinstance(req.left, Aggregate)
        and req.left.fn == "cv"
        and req.op in ("<=", "<")
    ):
        return None
    try:
        num, _den, _factor = _figure(req.left.args[0], dict(rule.lets))
        limits = _thresholds(ruleset, req.right)
    except (ValueError, KeyError):
        return None
    name = num.field.name
    if num.field.derived:
        from eduint.data.derived import DERIVED

        name = next(d.inputs[0][1] for d in DERIVED if d.name == name)
    steps = int(distance * 10000)
    segs = [(k or "小学", t) for k, _d, t in limits if k in (None, "小学", "初中")]
    if not segs:
        return None

    def county(seg_limit: tuple[str, Fraction], pairs: int, off: int) -> models.County:
        seg, limit = seg_limit
        c = min(max(limit + Fraction(off, 10000), Fraction(0)), Fraction(9999, 10000))
        return _cv_county(seg, name, c, pairs)

    return st.builds(
        county, st.sampled_from(segs), st.integers(1, max_pairs), st.integers(-steps, steps)
    )


def _cv_county(seg: str, field: str, c: Fraction, pairs: int) -> models.County:
    """``2·pairs`` schools of segment ``seg`` with 1000 students and ``field`` at
    ``10000·(1 ± c)``: the student-weighted CV is exactly ``c``."""
    base = 10000
    schools = []
    for i in range(2 * pairs):
        figure = base * (1 + c if i % 2 == 0 else 1 - c)
        extra: dict[str, Any] = {field: models.Figure.exact(str(_dec(figure)))}
        if field == "floor_area_teaching":
            extra["indoor_sports_area"] = models.Figure.exact(0)
        seg_ = models.SchoolSegment(
            models.Segment(seg),
            students=models.Figure.exact(1000),
            **extra,
        )
        schools.append(
            models.School(id=f"S{i + 1:02d}", name=f"S{i + 1:02d}", kind=models.SchoolKind(seg),
                          segments=(seg_,))
        )  # fmt: skip
    return models.County(
        name="差异系数县", code="100000", schools=tuple(schools), schools_complete=True,
        as_of=datetime.date(2020, 9, 1),
    )  # fmt: skip


def _dec(x: Fraction) -> str:
    """An exact decimal text of ``x`` (its denominator divides a power of 10)."""
    from decimal import Decimal

    return format(Decimal(x.numerator) / Decimal(x.denominator), "f")


# ------------------------------------------------------------------- rule text


#: Segment figures rule texts draw from: label, unit per student of the rate, scale.
@functools.cache
def _vocabulary() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(per-100 fields, per-student fields): Chinese label and unit, from the checker's
    schema (segment figures with a unit, more is better)."""
    from eduint.checking.schema import ScopeKind, build_schema

    per100, per_student = [], []
    for info in build_schema().fields[ScopeKind.SEGMENT].values():
        if info.kind != "quantity" or info.unit is None or info.label is None:
            continue
        if info.better != "more" or info.derived or info.extra:
            continue
        unit = str(info.unit)
        if info.count and unit in ("人", "间", "台", "册"):
            per100.append((info.label, unit))
        elif unit in ("平方米", "元"):
            per_student.append((info.label, unit))
    return tuple(per100), tuple(per_student)


def rule_texts() -> st.SearchStrategy[str]:
    """Random valid rule-file text: 1–4 rules over real segment figures, units and
    segment keys — per-100 and per-student comparisons combined with ``and``, ``or``,
    ``not`` and ``at_least``, ``cv`` limits of county-segment rules, ``let`` bindings,
    ``report`` lines, margins and keyed values — for fuzzing the parser, printer and
    checker.  Every text checks without error.
    """
    return _rule_texts()


@functools.cache
def _rule_texts() -> st.SearchStrategy[str]:
    from hypothesis import strategies as st

    per100, per_student = _vocabulary()
    numbers = st.integers(1, 999).map(lambda n: f"{n / 10:g}")

    @st.composite
    def comparison(draw: st.DrawFn) -> str:
        if draw(st.booleans()):
            label, unit = draw(st.sampled_from(per100))
            op = draw(st.sampled_from([">=", ">"]))
            return f"per100({label}, 在校生数) {op} {draw(numbers)} {unit}/百人"
        label, unit = draw(st.sampled_from(per_student))
        return f"{label} / 在校生数 >= {draw(numbers)} {unit}/人"

    @st.composite
    def condition(draw: st.DrawFn) -> str:
        parts = draw(st.lists(comparison(), min_size=1, max_size=4))
        how = draw(st.sampled_from(["and", "or", "at_least", "not"]))
        if len(parts) == 1:
            return f"not ({parts[0]})" if how == "not" else parts[0]
        if how == "at_least":
            k = draw(st.integers(1, len(parts)))
            return f"at_least({k}, [{', '.join(parts)}])"
        joiner = " or " if how == "or" else " and "
        return joiner.join(parts)

    segments = st.sampled_from(["[小学]", "[初中]", "[小学, 初中]"])

    @st.composite
    def rule(draw: st.DrawFn, i: int) -> str:
        head: list[str] = []
        lines = [f'rule R{i} "规则{i}" {{']
        if draw(st.booleans()):
            label, unit = draw(st.sampled_from(per100))
            limit = draw(st.integers(1, 99))
            lines += [f"  scope county segment {draw(segments)}"]
            lines += [f"  require cv(per100({label}, 在校生数) over 学段) <= 0.{limit:02d}"]
        else:
            lines += [f"  scope segment {draw(segments)}"]
            if draw(st.booleans()):
                label, unit = draw(st.sampled_from(per100))
                head = [
                    f"value V{i} = by segment {{ 小学: {draw(numbers)} {unit}/百人, "
                    f"初中: {draw(numbers)} {unit}/百人 }}"
                ]
                lines += [f"  let L = per100({label}, 在校生数)", "  report 比值 = L"]
                lines += [f"  require L >= V{i}"]
            else:
                lines += [f"  require {draw(condition())}"]
        if draw(st.booleans()):
            lines.append(f"  margin 0.0{draw(st.integers(1, 9))}")
        lines.append("}")
        return "\n".join(head + lines)

    @st.composite
    def text(draw: st.DrawFn) -> str:
        n = draw(st.integers(1, 4))
        return "\n\n".join(draw(rule(i + 1)) for i in range(n)) + "\n"

    return text()
