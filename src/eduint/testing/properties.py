"""Property helpers: the questions people ask of policy logic, searched with Hypothesis.

Each helper draws counties (by default :func:`eduint.testing.from_ruleset`: 3–30
schools, complete, every figure the rule set reads given), looks for one that breaks the
property with :func:`hypothesis.find`, lets Hypothesis shrink it, and on failure raises
:class:`PropertyFailed` whose message — also printed — is the minimal county as a
``*.tests.yaml`` case (the format :mod:`eduint.authoring.cases` reads) ready to paste
under ``cases:`` of a rule test.  Hypothesis is imported when a helper is called.

The number of examples comes from the Hypothesis profile in force (``--eduint-profile``,
``HYPOTHESIS_PROFILE``) or the ``max_examples`` argument.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from eduint.data import models
from eduint.engine.results import Outcome, Report
from eduint.testing import _realistic as real

if TYPE_CHECKING:
    from hypothesis import strategies as st

    from eduint.checking.ruleset import RuleSet

__all__ = [
    "PropertyFailed",
    "assert_at_least_as_strict",
    "assert_monotone",
    "assert_no_crash",
    "assert_order_invariant",
    "assert_scale_invariant",
    "assert_unit_invariant",
    "case_yaml",
]

#: How well an outcome does: 不适用 counts as passing; 缺少数据 and report-only are not
#: ranked (never a pass, never a fail).
RANK = {Outcome.NOT_MET: 0, Outcome.BASICALLY_MET: 1, Outcome.MET: 2, Outcome.NOT_APPLICABLE: 2}


class PropertyFailed(AssertionError):
    """A property does not hold; the message is the shrunk county as a rule-test case.

    Attributes:
        county: the minimal county found.
        case: the case as a mapping (``name``, ``as_of``, ``data``, ``expect``).
        yaml: the case as YAML text, a list item to paste under ``cases:``.
    """

    def __init__(self, why: str, county: models.County, case: dict[str, Any]) -> None:
        self.county = county
        self.case = case
        self.yaml = case_yaml(case, why)
        super().__init__(self.yaml)


def case_yaml(case: dict[str, Any], why: str = "") -> str:
    """A rule-test case as a YAML list item (with ``why`` as comment lines above it)."""
    import yaml

    body = yaml.safe_dump([case], allow_unicode=True, sort_keys=False)
    head = "".join(f"# {line}\n" for line in why.splitlines())
    return head + body


def _case(name: str, county: models.County, expect: list[dict[str, str]]) -> dict[str, Any]:
    from eduint.data.loading import dump_county

    data = dump_county(county)
    data.pop("eduint_data_version", None)
    day = county.as_of or datetime.date(2020, 9, 1)
    return {"name": name, "as_of": day.isoformat(), "data": data, "expect": expect}


def _settings(max_examples: int | None) -> Any:
    from hypothesis import HealthCheck, settings

    kw: dict[str, Any] = {}
    if max_examples is not None:
        kw["max_examples"] = max_examples
    return settings(
        settings.default,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        **kw,
    )


def _find(
    strategy: st.SearchStrategy[Any], broken: Callable[[Any], bool], max_examples: int | None
) -> Any | None:
    """The shrunk example that breaks the property, or ``None`` when none was found."""
    from hypothesis import find
    from hypothesis.errors import NoSuchExample

    try:
        return find(strategy, broken, settings=_settings(max_examples))
    except NoSuchExample:
        return None


def _evaluate(ruleset: RuleSet, county: models.County) -> Report:
    from eduint.engine.evaluator import evaluate

    return evaluate(ruleset, county, as_of=county.as_of or datetime.date(2020, 9, 1))


def _default(ruleset: RuleSet, counties: st.SearchStrategy[models.County] | None) -> Any:
    if counties is not None:
        return counties
    from eduint.testing.generators import from_ruleset

    return from_ruleset(ruleset)


def _rule_ids(ruleset: RuleSet, rules: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(rules) if rules is not None else tuple(r.id for r in ruleset.rules())


# ------------------------------------------------------------------- strictness


def _looser(
    stricter: Report, weaker: Report, ids: tuple[str, ...]
) -> list[tuple[str, str | None, Outcome]]:
    """``(rule, entity key or None, weaker outcome)`` wherever the stricter set does
    better: per entity, then the rule's headline, then ``overall``."""
    out: list[tuple[str, str | None, Outcome]] = []
    for rid in ids:
        try:
            si, wi = stricter.item(rid), weaker.item(rid)
        except KeyError:
            continue
        theirs = {e.entity.key: e.outcome for e in wi.entities}
        for e in si.entities:
            w = theirs.get(e.entity.key)
            if _better(e.outcome, w):
                assert w is not None
                out.append((rid, e.entity.key, w))
        if _better(si.headline, wi.headline):
            assert wi.headline is not None
            out.append((rid, None, wi.headline))
    if _better(stricter.overall, weaker.overall):
        assert weaker.overall is not None
        out.append(("overall", None, weaker.overall))
    return out


def _better(a: Outcome | None, b: Outcome | None) -> bool:
    if a is None or b is None or a not in RANK or b not in RANK:
        return False
    return RANK[a] > RANK[b]


def _headline(report: Report, rid: str) -> Outcome | None:
    try:
        return report.item(rid).headline
    except KeyError:
        return None


def assert_at_least_as_strict(
    stricter: RuleSet,
    weaker: RuleSet,
    *,
    counties: st.SearchStrategy[models.County] | None = None,
    rules: Iterable[str] | None = None,
    max_examples: int | None = None,
) -> None:
    """No county that ``stricter`` passes fails ``weaker``, rule by rule and overall.

    "Passes better" counts levels (达到 and 不适用 above 基本达到 above 未达到); 缺少数据
    is neither.  Typically ``stricter`` is a provincial file and ``weaker`` the national
    rule set it extends.

    Args:
        stricter, weaker: the two checked rule sets.
        counties: the strategy to draw from (default: :func:`from_ruleset` of both).
        rules: the rule ids to compare (default: every rule of ``weaker``).
        max_examples: examples to try (default: the Hypothesis profile's).

    Raises:
        PropertyFailed: a county the stricter set passes better than the weaker one;
            the case expects the weaker set's outcome, so pasted into a rule test of the
            stricter file it fails, showing the looser verdict.
    """
    ids = _rule_ids(weaker, rules)

    def broken(c: models.County) -> bool:
        return bool(_looser(_evaluate(stricter, c), _evaluate(weaker, c), ids))

    found = None
    for strategy in (
        [counties] if counties is not None else _strictness_counties(stricter, weaker, ids)
    ):
        found = _find(strategy, broken, max_examples)
        if found is not None:
            break
    if found is None:
        return
    s, w = _evaluate(stricter, found), _evaluate(weaker, found)
    diffs = _looser(s, w, ids)
    why = "\n".join(
        f"{rid}{' ' + key if key else ''}: {_outcome(s, rid, key)} under {stricter.id}, "
        f"{o.value} under {weaker.id}"
        for rid, key, o in diffs
    )
    expect = [
        {"rule": rid, **({"entity": key} if key else {}), "outcome": o.value}
        for rid, key, o in diffs
        if rid != "overall"
    ]
    case = _case(f"looser than {weaker.id}", found, expect)
    raise _report(PropertyFailed(f"{stricter.id} is looser than {weaker.id}:\n{why}", found, case))


def _outcome(report: Report, rid: str, key: str | None) -> str:
    if rid == "overall":
        o = report.overall
    elif key is None:
        o = report.item(rid).headline
    else:
        o = next(e.outcome for e in report.item(rid).entities if e.entity.key == key)
    return o.value if o is not None else "—"


def _strictness_counties(
    stricter: RuleSet, weaker: RuleSet, ids: tuple[str, ...]
) -> list[st.SearchStrategy[models.County]]:
    """What to search, in turn: counties on and beside every threshold of both rule sets
    (a loosened threshold is rarely hit by chance, its band is narrow; and these
    counties are small, so they shrink fast), then realistic counties."""
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument

    from eduint.testing.generators import from_ruleset, near_threshold

    near = []
    for rs in (stricter, weaker):
        for rid in ids:
            if rs.find(rid) is None:
                continue
            try:
                near.append(near_threshold(rs, rid))
            except InvalidArgument:
                continue  # no threshold of a form it can place figures on
    realistic = from_ruleset(stricter, also=weaker)
    return [st.one_of(near), realistic] if near else [realistic]


def _report(exc: PropertyFailed) -> PropertyFailed:
    print(exc.yaml)
    return exc


# ------------------------------------------------------------------ monotonicity


def _direction(field: str) -> tuple[str, str]:
    """The segment attribute named ``field`` (English name or Chinese label, as the
    checker's schema knows it) and its ``better`` direction from the data model's
    metadata (``"None"`` when it has none).

    Raises:
        ValueError: ``field`` is not a figure of a school segment.
    """
    from eduint.checking.schema import ScopeKind, build_schema

    info = build_schema().lookup(ScopeKind.SEGMENT, field)
    names = {f.name for f in attrs.fields(models.SchoolSegment) if real._is_figure(f)}
    if info is None or info.name not in names:
        raise ValueError(f"{field!r} is not a figure of a school segment")
    return info.name, str(info.better)


def assert_monotone(
    ruleset: RuleSet,
    field: str,
    direction: str | None = None,
    *,
    rules: Iterable[str] | None = None,
    counties: st.SearchStrategy[models.County] | None = None,
    max_examples: int | None = None,
) -> None:
    """Raising one school segment's ``field`` never turns 达到 into 未达到 (for a "less is
    better" field: lowering it never does), for each rule.

    Args:
        ruleset: the checked rule set.
        field: a school-segment figure, by attribute name or Chinese label
            (``teachers_above_degree``, ``高于规定学历教师数``).
        direction: ``"more"`` or ``"less"``; default: the field's ``better`` metadata.
        rules: the rule ids to check (default: every rule).
        counties: the strategy to draw from (default: :func:`from_ruleset`).
        max_examples: examples to try (default: the Hypothesis profile's).

    Raises:
        ValueError: ``field`` is no segment figure, or it has no direction and none is
            given.
        PropertyFailed: the county (before the change) and the rule that got worse;
            the case expects the 达到 it had.
    """
    from hypothesis import strategies as st

    name, better = _direction(field)
    way = direction or better
    if way not in ("more", "less"):
        raise ValueError(f"{field!r} has no 'better' direction; pass direction='more' or 'less'")
    ids = _rule_ids(ruleset, rules)
    sign = 1 if way == "more" else -1
    pairs = st.tuples(_default(ruleset, counties), st.integers(0, 10**6), st.integers(1, 1000))

    def changed(c: models.County, pick: int, by: int) -> models.County | None:
        segs = [x for x in real.segments_of(c) if getattr(x[2], name) is not None]
        if not segs:
            return None
        i, j, g = segs[pick % len(segs)]
        new = real.plus(getattr(g, name), sign * by)
        if new is None or new.low < 0:
            return None
        change: dict[str, Any] = {name: new}
        return real.with_segment(c, i, j, attrs.evolve(g, **change))

    def worse(t: tuple[models.County, int, int]) -> list[str]:
        after = changed(*t)
        if after is None:
            return []
        a, b = _evaluate(ruleset, t[0]), _evaluate(ruleset, after)
        return [
            r for r in ids if _headline(a, r) is Outcome.MET and _headline(b, r) is Outcome.NOT_MET
        ]

    found = _find(pairs, lambda t: bool(worse(t)), max_examples)
    if found is None:
        return
    bad = worse(found)
    why = (
        f"{'raising' if sign > 0 else 'lowering'} {name} by {found[2]} in one school segment "
        f"turns 达到 into 未达到 for {', '.join(bad)}; this is the county before"
    )
    case = _case(
        f"{name} before the change", found[0], [{"rule": r, "outcome": "达到"} for r in bad]
    )
    raise _report(PropertyFailed(why, found[0], case))


# ------------------------------------------------------------------- invariance


def _verdicts(report: Report) -> dict[str, Any]:
    return {
        i.id: (i.headline, tuple(sorted((e.entity.key, e.outcome) for e in i.entities)))
        for i in report.items
    } | {"overall": report.overall}


def _invariant(
    ruleset: RuleSet,
    transform: Callable[[models.County, int], models.County],
    label: str,
    counties: st.SearchStrategy[models.County] | None,
    max_examples: int | None,
    compare: Callable[[Report], Any] = _verdicts,
) -> None:
    from hypothesis import strategies as st

    pairs = st.tuples(_default(ruleset, counties), st.integers(0, 10**6))

    def differs(t: tuple[models.County, int]) -> bool:
        before = compare(_evaluate(ruleset, t[0]))
        return bool(before != compare(_evaluate(ruleset, transform(*t))))

    found = _find(pairs, differs, max_examples)
    if found is None:
        return
    a = compare(_evaluate(ruleset, found[0]))
    b = compare(_evaluate(ruleset, transform(*found)))
    if not isinstance(a, dict):
        a, b = {label: a}, {label: b}
    keys = [k for k in a if a.get(k) != b.get(k)]
    expect = [
        {"rule": k, "outcome": a[k][0].value}
        for k in keys
        if k != "overall" and isinstance(a[k], tuple) and isinstance(a[k][0], Outcome)
    ]
    why = f"{label} changes the verdicts of {', '.join(map(str, keys))}"
    raise _report(PropertyFailed(why, found[0], _case(label, found[0], expect)))


def assert_order_invariant(
    ruleset: RuleSet,
    *,
    counties: st.SearchStrategy[models.County] | None = None,
    max_examples: int | None = None,
) -> None:
    """The verdicts (every rule's headline and entities', and the overall) do not depend
    on the order of the schools.

    Raises:
        PropertyFailed: a county whose shuffled schools give other verdicts.
    """
    import random

    def shuffled(c: models.County, seed: int) -> models.County:
        schools = list(c.schools or ())
        random.Random(seed).shuffle(schools)
        return attrs.evolve(c, schools=tuple(schools))

    _invariant(ruleset, shuffled, "shuffling the schools", counties, max_examples)


#: Unit changes a sheet header can make (``教学仪器设备值（万元）``): field → (unit, how
#: many of the field's unit one of it is).  1 亩 = 10000/15 平方米, as the reader takes it.
UNIT_CHANGES: dict[str, tuple[str, Fraction]] = {
    "equipment_value": ("万元", Fraction(10000)),
    "public_funds": ("万元", Fraction(10000)),
    "floor_area_teaching": ("亩", Fraction(10000, 15)),
    "sports_area": ("亩", Fraction(10000, 15)),
    "indoor_sports_area": ("亩", Fraction(10000, 15)),
}


def _through_units(c: models.County) -> models.County:
    """The county's schools as read back from a long school sheet (``学校.csv``, one row
    per school segment) whose areas are in 亩 and sums of money in 万元, written exactly
    (10000/15 and 10000 divide into finite decimals), so through eduint's unit
    conversion of sheet headers."""
    import csv
    import tempfile
    from pathlib import Path

    from eduint.data.spreadsheets.mapping import field_headers
    from eduint.data.spreadsheets.read import read_tables

    labels = {fd.name: fd.label for fd in field_headers(models.SchoolSegment).values()}
    used = [
        f.name
        for f in attrs.fields(models.SchoolSegment)
        if f.name not in real._STRUCTURE
        and real._is_figure(f)
        and labels.get(f.name)
        and any(getattr(g, f.name) is not None for _i, _j, g in real.segments_of(c))
    ]
    head = ["学校代码", "学校名称", "学校类型", "学段", "在校生数（人）"]
    head += [
        f"{labels[n]}（{UNIT_CHANGES[n][0] if n in UNIT_CHANGES else _unit(n)}）" for n in used
    ]
    rows = []
    for i, _j, g in real.segments_of(c):
        school = (c.schools or ())[i]
        kind = school.kind.value if school.kind else ""
        row = [school.id, school.name or "", kind, g.segment.value, _cell(g.students, Fraction(1))]
        for n in used:
            row.append(
                _cell(getattr(g, n), UNIT_CHANGES[n][1] if n in UNIT_CHANGES else Fraction(1))
            )
        rows.append(row)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "学校.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([head, *rows])
        (result,) = read_tables(path, complete=bool(c.schools_complete), figures="per-segment")
    schools = tuple(
        attrs.evolve(s, location=o.location)
        for s, o in zip(result.county.schools or (), c.schools or (), strict=True)
    )
    return attrs.evolve(c, schools=schools)


def _unit(name: str) -> str:
    f = attrs.fields_dict(models.SchoolSegment)[name]
    return str(f.metadata.get(models.UNIT) or "")


def _cell(fig: models.Figure | None, per: Fraction) -> str:
    if fig is None:
        return ""
    return format(_decimal(Fraction(fig.low) / per), "f")


def _decimal(x: Fraction) -> Decimal:
    """``x`` as an exact :class:`~decimal.Decimal` (its denominator has only 2s and 5s)."""
    from decimal import localcontext

    with localcontext() as ctx:
        ctx.prec = 60
        return (Decimal(x.numerator) / Decimal(x.denominator)).normalize()


def assert_unit_invariant(
    ruleset: RuleSet,
    *,
    counties: st.SearchStrategy[models.County] | None = None,
    max_examples: int | None = None,
) -> None:
    """The same figures given in another unit (万元 for 元, 亩 for 平方米, as a sheet
    header or a figure's text gives them) give the same verdicts.

    Figures in 亩 are not always exact decimals (1 亩 = 666.67 平方米), so a verdict
    may only change where the figure is within rounding of a threshold; the generated
    counties use whole 平方米, which 亩 written to 28 places reproduce to well under that.

    Raises:
        PropertyFailed: a county whose verdicts change with the units.
    """
    _invariant(
        ruleset,
        lambda c, _seed: _through_units(c),
        "giving figures in 万元/亩",
        counties,
        max_examples,
    )


def assert_scale_invariant(
    ruleset: RuleSet,
    rule: str,
    *,
    counties: st.SearchStrategy[models.County] | None = None,
    max_examples: int | None = None,
) -> None:
    """A 差异系数 does not change when every school's figures (all the rule reads except
    在校生数) are multiplied by the same whole factor 2–10: neither the CV nor the verdict.

    Raises:
        PropertyFailed: a county whose scaled figures give another CV or verdict.
    """
    target = ruleset.find(rule)
    if target is None:
        raise ValueError(f"{ruleset.id} has no rule {rule!r}")
    fields = {n for s, n in real.rule_fields(target) if s == "segment"} - real._STRUCTURE

    def scaled(c: models.County, seed: int) -> models.County:
        k = 2 + seed % 9
        out = c
        for i, j, g in real.segments_of(c):
            new: dict[str, Any] = {
                n: models.Figure(f.low * k, f.high * k)
                for n in fields
                if (f := getattr(g, n)) is not None
            }
            out = real.with_segment(out, i, j, attrs.evolve(g, **new))
        return out

    def cvs(report: Report) -> Any:
        item = report.item(rule)
        return (
            item.headline,
            tuple((e.entity.key, e.outcome, tuple(str(x) for x in e.shown)) for e in item.entities),
            tuple(str(c) for c in ([item.evidence] if item.evidence else [])),
        )

    _invariant(ruleset, scaled, f"scaling the figures of {rule}", counties, max_examples, cvs)


# --------------------------------------------------------------------- no crash


def assert_no_crash(
    ruleset: RuleSet,
    *,
    counties: st.SearchStrategy[models.County] | None = None,
    max_examples: int | None = None,
) -> None:
    """Any generated county, with any figures missing, gives every rule a decided
    verdict or 缺少数据 (or a report-only/不适用 one), never an exception.

    Default counties: :func:`from_ruleset` with a third of the figures missing.

    Raises:
        PropertyFailed: a county that makes the evaluation raise (the exception is
            chained) or gives a rule no outcome without saying why.
    """
    if counties is None:
        from eduint.testing.generators import from_ruleset

        counties = from_ruleset(ruleset, missing=0.33)

    def crashes(c: models.County) -> bool:
        try:
            report = _evaluate(ruleset, c)
        except Exception:  # the property is "never an exception"
            return True
        return any(i.headline is None and not i.report_only for i in report.items)

    found = _find(counties, crashes, max_examples)
    if found is None:
        return
    exc: Exception | None = None
    try:
        _evaluate(ruleset, found)
    except Exception as e:  # kept, to chain it to the failure
        exc = e
    why = f"evaluating {ruleset.id} raises {exc!r}" if exc else "a rule has no outcome"
    failure = PropertyFailed(why, found, _case("crash", found, []))
    raise _report(failure) from exc
