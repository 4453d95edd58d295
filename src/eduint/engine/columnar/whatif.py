"""What-if: a named threshold swept over a grid, and two rule sets' verdicts compared.

* :func:`sweep` evaluates a rule set over many counties (one columnar
  :class:`~eduint.engine.columnar.frame.Frame`, read and built once) at every point of
  a grid of values of its named thresholds (``--vary 差异系数上限.小学=0.40:0.60:0.05``),
  each point the rule set with the values overridden exactly as ``eduint check --set``
  overrides them (:func:`eduint.checking.overrides.apply_overrides`: the same key,
  unit and kind checks), and counts per point the counties by overall verdict and, per
  rule that reads a varied value, the counties by headline and the rule's entities
  (schools, school segments, county segments, classes) by outcome.
* :func:`diff` compares two columnar results of the same data (two rule sets, or one
  rule set at two dates): every entity whose outcome differs for a rule both sets have,
  every county whose headline or overall verdict differs, with the value and threshold
  of each side's headline comparison; rules in one set only are listed apart.

Grid values are exact decimals (:class:`~decimal.Decimal`): ``0.40:0.60:0.05`` is 0.40,
0.45, 0.50, 0.55, 0.60, never 0.6000000000000001.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import attrs

from eduint.checking.ruleset import CheckedRule, Container, RuleSet
from eduint.checking.schema import ScopeKind
from eduint.engine.outcomes import Outcome
from eduint.errors import EduintError

if TYPE_CHECKING:
    from eduint.engine.columnar.frame import Frame
    from eduint.engine.columnar.result import ColumnarResult

__all__ = [
    "MAX_POINTS",
    "Change",
    "Diff",
    "Sweep",
    "SweepPoint",
    "SweepRule",
    "Vary",
    "diff",
    "frame_for",
    "parse_vary",
    "sweep",
]

#: The most grid points one sweep evaluates (all ``--vary`` grids multiplied).
MAX_POINTS = 200

_NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(.*?)\s*$")
_HEAD = re.compile(r"^\s*([^\s=＝.]+)(?:\.([^\s=＝.]+))?\s*[=＝](.*)$")


@attrs.frozen
class Vary:
    """One threshold varied over a grid (``NAME[.KEY]=LO:HI:STEP``).

    Attributes:
        name: the named value (``差异系数上限``); key: its key (``小学``) or ``None``.
        values: the grid, exact, ascending (``LO``, ``LO+STEP`` … up to ``HI``).
        unit: the unit written after the numbers (``人``, ``%``), ``""`` for none (a bare
            number takes the value's own unit, as ``--set`` reads it).
        argument: the argument as given.
    """

    name: str
    key: str | None
    values: tuple[Decimal, ...]
    unit: str
    argument: str

    @property
    def target(self) -> str:
        """``NAME`` or ``NAME.KEY``."""
        return self.name if self.key is None else f"{self.name}.{self.key}"

    def assignment(self, value: Decimal) -> str:
        """The ``--set`` text of one grid value (``差异系数上限.小学=0.45``)."""
        return f"{self.target}={value}{' ' + self.unit if self.unit else ''}"


def parse_vary(argument: str, limit: int = MAX_POINTS) -> Vary:
    """Read ``NAME[.KEY]=LO:HI:STEP`` (numbers exact; a unit, if any, after each of LO
    and HI and optionally STEP: ``40人:50人:1人``, ``80%:90%:5%``).

    Raises:
        EduintError: no ``=``, not three numbers, LO above HI, a step that is not
            positive, different units, or more than ``limit`` values.
    """
    usage = (
        f"error: --vary {argument}: expected NAME=LO:HI:STEP or NAME.KEY=LO:HI:STEP, "
        "e.g. --vary 差异系数上限.小学=0.40:0.60:0.05"
    )
    head = _HEAD.match(argument)
    if head is None or "\n" in argument:
        raise EduintError(usage)
    parts = head[3].split(":")
    if len(parts) != 3:
        raise EduintError(usage)
    numbers: list[Decimal] = []
    units: list[str] = []
    for part in parts:
        m = _NUMBER.match(part)
        if m is None:
            raise EduintError(f"{usage} ('{part.strip()}' is not a number)")
        try:
            numbers.append(Decimal(m[1]))
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            raise EduintError(usage) from None
        units.append(m[2])
    lo, hi, step = numbers
    unit = units[0]
    if units[1] != unit or units[2] not in ("", unit):
        raise EduintError(
            f"error: --vary {argument}: LO, HI and STEP are in different units "
            f"({', '.join(repr(u) for u in units)}); give them in one unit"
        )
    if step <= 0:
        raise EduintError(f"error: --vary {argument}: the step must be above 0 (got {step})")
    if lo > hi:
        raise EduintError(f"error: --vary {argument}: LO ({lo}) is above HI ({hi})")
    count = int((hi - lo) // step) + 1
    if count > limit:
        raise EduintError(
            f"error: --vary {argument}: {count} values; a sweep takes at most {limit} "
            "points (all --vary grids multiplied): use a larger step"
        )
    values = tuple(lo + i * step for i in range(count))
    return Vary(head[1], head[2], values, unit, argument.strip())


@attrs.frozen
class SweepRule:
    """One rule at one grid point.

    Attributes:
        id: the item's, part's or rule's id; title: its title.
        scope: the scope of its entities (``school``, ``segment``, ``county_segment`` …).
        counties: counties by the rule's headline verdict.
        entities: the rule's entities (all counties) by outcome; empty for an item with
            parts (its parts are listed).
    """

    id: str
    title: str
    scope: str
    counties: dict[Outcome | None, int]
    entities: dict[Outcome | None, int]


@attrs.frozen
class SweepPoint:
    """The counts at one grid point.

    Attributes:
        values: ``(target, value)`` per varied threshold (``("差异系数上限.小学", 0.45)``).
        overall: counties by overall verdict.
        rules: the rules that read a varied value, in rule-file order.
        fallback: ids of rules the record engine evaluated for every county.
    """

    values: tuple[tuple[str, Decimal], ...]
    overall: dict[Outcome | None, int]
    rules: tuple[SweepRule, ...]
    fallback: tuple[str, ...] = ()


@attrs.frozen
class Sweep:
    """What :func:`sweep` returns.

    Attributes:
        ruleset: the rule set's id; counties: how many counties.
        varies: the grids; points: one per grid point (the last ``--vary`` varies
            fastest).
        base: ``(target, the value in the rule set, as rule text)`` per varied threshold.
    """

    ruleset: str
    counties: int
    varies: tuple[Vary, ...]
    points: tuple[SweepPoint, ...]
    base: tuple[tuple[str, str], ...]


def sweep(
    ruleset: RuleSet,
    frame: Frame,
    varies: Sequence[Vary],
    as_of: datetime.date | None = None,
    *,
    limit: int = MAX_POINTS,
) -> Sweep:
    """Evaluate ``ruleset`` on ``frame`` at every point of the grids (see the module doc).

    Args:
        ruleset: the checked rule set (any ``--set`` overrides already applied).
        frame: the counties, built once under the rule set's settings (value overrides
            do not change settings, so one frame serves every point).
        varies: the grids (:func:`parse_vary`); two on the same target are refused.
        as_of: the date to evaluate at (``None``: each county's own).
        limit: the most points.

    Raises:
        EduintError: no grid, the same target twice, or too many points.
        RuleCheckError: an unknown value (with a near name), a key not in the value, a
            value in the wrong unit or kind (the ``--set`` checks), or a setting.
        EvaluationError: a county has no date and the rule set has dated values.
    """
    from eduint.checking.overrides import OverrideKind, affected_rules, apply_overrides
    from eduint.engine.columnar import evaluate_many

    if not varies:
        raise EduintError("error: sweep: give at least one --vary NAME[.KEY]=LO:HI:STEP")
    targets = [v.target for v in varies]
    if len(set(targets)) != len(targets):
        raise EduintError(f"error: sweep: a threshold is varied twice ({', '.join(targets)})")
    total = 1
    for v in varies:
        total *= len(v.values)
    if total > limit:
        raise EduintError(
            f"error: sweep: {total} points (the --vary grids multiplied); at most {limit}"
        )
    # the first point checks every name, key and unit before anything is evaluated
    from eduint.checking.overrides import Assignment

    first = [Assignment.parse(v.assignment(v.values[0]), OverrideKind.VALUE) for v in varies]
    _, records = apply_overrides(ruleset, first)
    base = tuple((v.target, r.old) for v, r in zip(varies, records, strict=True))
    touched: set[str] = set()
    for r in records:
        touched |= affected_rules(ruleset, r)
    shown = _shown_rules(ruleset, touched)
    points = []
    for combo in itertools.product(*(v.values for v in varies)):
        wanted = [
            Assignment.parse(v.assignment(x), OverrideKind.VALUE)
            for v, x in zip(varies, combo, strict=True)
        ]
        changed, _ = apply_overrides(ruleset, wanted)
        result = evaluate_many(changed, frame, as_of)
        points.append(_point(result, varies, combo, shown))
    return Sweep(ruleset.id, frame.counties, tuple(varies), tuple(points), base)


def _shown_rules(ruleset: RuleSet, touched: set[str]) -> tuple[CheckedRule, ...]:
    """The items and rules that read a varied value, each followed by its parts that do
    (file order); an item is listed when one of its parts reads it."""
    out: list[CheckedRule] = []
    for rule in _headline_rules(ruleset.members):
        parts = [p for p in rule.parts if p.id in touched]
        if rule.id in touched or parts:
            out.append(rule)
            out.extend(parts)
    return tuple(out)


def _headline_rules(members: Any) -> Any:
    for m in members:
        if isinstance(m, Container):
            yield from _headline_rules(m.members)
        elif isinstance(m, CheckedRule):
            yield m


def _tally(codes: Any) -> dict[Outcome | None, int]:
    import numpy as np

    from eduint.engine.columnar._rules import OUTCOMES

    counts = np.bincount(np.asarray(codes, dtype=np.int64), minlength=len(OUTCOMES))
    return {OUTCOMES[i]: int(c) for i, c in enumerate(counts.tolist()) if c}


def _point(
    result: ColumnarResult,
    varies: Sequence[Vary],
    combo: Sequence[Decimal],
    shown: Sequence[CheckedRule],
) -> SweepPoint:
    rules = []
    for rule in shown:
        rc = result.rules.get(rule.id)
        entities = _tally(result.entity_outcomes(rule.id)[1]) if rc is not None else {}
        scope = rc.scope.value if rc is not None else ScopeKind.COUNTY.value
        rules.append(
            SweepRule(
                rule.id, rule.title or rule.id, scope, _tally(result.headline[rule.id]), entities
            )
        )
    return SweepPoint(
        tuple((v.target, x) for v, x in zip(varies, combo, strict=True)),
        _tally(result.overall),
        tuple(rules),
        tuple(result.fallback),
    )


def frame_for(ruleset: RuleSet, counties: Sequence[Any]) -> Frame:
    """The columnar frame of county models (:class:`~eduint.data.models.County`),
    populated under ``ruleset``'s settings as :func:`~eduint.engine.columnar.evaluate_many`
    populates them, so that several evaluations share it (a national table's frame is
    :func:`eduint.engine.columnar.national.frame_of`'s).

    Raises:
        ValueError: no counties.
    """
    from eduint.engine.columnar.frame import PopulationFrame
    from eduint.engine.columnar.result import _population

    pops = [_population(ruleset, c) for c in counties]
    if not pops:
        raise ValueError("no counties")
    return PopulationFrame(pops, [None] * len(pops))


# ------------------------------------------------------------------ diff


@attrs.frozen
class Change:
    """One entity whose verdict differs between the two sides.

    Attributes:
        rule: the item's, part's or rule's id (``""`` for the county's overall verdict).
        title: the rule's title (the overall verdict's: ``""``).
        level: ``county`` (a headline or the overall verdict), ``county_segment``,
            ``school``, ``segment`` or ``class``.
        county_code, county: the county; school: the school's id (``""`` above the
            school level); school_name: its name (``""``: none); segment: the segment
            (``""``: none); index: a class's position among its school segment's
            classes (``-1``: not a class).
        a, b: the outcome on each side (``None``: none, report-only).
        ref: the entity's stable key in a county's report (``S001/小学/3``, as
            :class:`~eduint.core.refs.EntityRef` ``key``) when the data was read county
            by county, ``""`` for a national table (its rows carry no references).
        value_a, threshold_a, value_b, threshold_b: each side's headline comparison
            (float; NaN where unknown or the rule has none).
        unit: the unit of value and threshold (``""``: none).
    """

    rule: str
    title: str
    level: str
    county_code: str
    county: str
    school: str
    school_name: str
    segment: str
    index: int
    a: Outcome | None
    b: Outcome | None
    ref: str = ""
    value_a: float = float("nan")
    threshold_a: float = float("nan")
    value_b: float = float("nan")
    threshold_b: float = float("nan")
    unit: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str, int]:
        """What identifies the entity and the rule (for comparing two diffs)."""
        return (
            self.rule,
            self.level,
            self.county_code or self.county,
            self.school,
            self.segment,
            self.index,
        )


@attrs.frozen
class Diff:
    """What :func:`diff` returns.

    Attributes:
        a, b: the two rule sets' ids; as_of_a, as_of_b: their dates (``None``: each
            county's own).
        counties: how many counties.
        changes: every change, rule-file order of side A, then counties, then entities.
        added, removed: ``(id, title)`` of the rules only B has / only A has.
        unmatched: entities of one side with no counterpart on the other (counted;
            their rules' verdicts are compared only where both sides have the entity).
    """

    a: str
    b: str
    as_of_a: datetime.date | None
    as_of_b: datetime.date | None
    counties: int
    changes: tuple[Change, ...]
    added: tuple[tuple[str, str], ...]
    removed: tuple[tuple[str, str], ...]
    unmatched: int = 0


def diff(a: ColumnarResult, b: ColumnarResult) -> Diff:
    """The verdicts that differ between ``a`` and ``b``, two columnar results of the same
    counties (see the module doc).  Entities are matched by their keys (county code or
    name, school id, segment, a class's position in its school segment), so two frames
    built under different settings compare.

    Raises:
        EduintError: the two results are not of the same counties.
    """
    from eduint.engine.columnar._rules import OUTCOMES

    ka, kb = _county_keys(a), _county_keys(b)
    if ka != kb:
        raise EduintError("error: diff: the two sides evaluated different counties")
    rules_a = {r.id: r for r in a.ruleset.rules()}
    rules_b = {r.id: r for r in b.ruleset.rules()}
    changes: list[Change] = []
    for i in _differ(a.overall, b.overall):
        changes.append(_county_change(a, "", "", i, OUTCOMES[a.overall[i]], OUTCOMES[b.overall[i]]))
    for rid, rule in rules_a.items():
        if rid not in rules_b or rid not in a.headline or rid not in b.headline:
            continue
        changes += _rule_changes(a, b, rule)
    added = tuple((r.id, r.title or r.id) for r in b.ruleset.rules() if r.id not in rules_a)
    removed = tuple((r.id, r.title or r.id) for r in a.ruleset.rules() if r.id not in rules_b)
    return Diff(
        a.ruleset.id,
        b.ruleset.id,
        a.as_of,
        b.as_of,
        a.counties,
        tuple(changes),
        added,
        removed,
        _unmatched(a, b, rules_a, rules_b),
    )


def _county_keys(r: ColumnarResult) -> list[str]:
    return [
        str(c) if c is not None else str(n)
        for c, n in zip(r.frame.codes, r.frame.names, strict=True)
    ]


def _differ(x: Any, y: Any) -> list[int]:
    import numpy as np

    return [int(i) for i in np.flatnonzero(np.asarray(x) != np.asarray(y)).tolist()]


def _county_change(
    r: ColumnarResult, rid: str, title: str, i: int, oa: Outcome | None, ob: Outcome | None
) -> Change:
    code = r.frame.codes[i]
    return Change(
        rid,
        title,
        ScopeKind.COUNTY.value,
        "" if code is None else str(code),
        str(r.frame.names[i]),
        "",
        "",
        "",
        -1,
        oa,
        ob,
    )


def _rule_changes(a: ColumnarResult, b: ColumnarResult, rule: CheckedRule) -> list[Change]:
    """A rule's changes: per entity of its scope (matched by key), and its headline per
    county when that differs (an item with parts, a county-level rule: the headline is
    the entity's outcome, listed once)."""
    from eduint.engine.columnar._rules import OUTCOMES

    rid, title = rule.id, rule.title or rule.id
    out: list[Change] = []
    ra, rb = a.rules.get(rid), b.rules.get(rid)
    entity_level = (
        ra is not None and rb is not None and ra.scope == rb.scope and ra.scope != ScopeKind.COUNTY
    )
    if entity_level:
        assert ra is not None and rb is not None
        keys_a, keys_b = _entity_keys(a, ra.scope), _entity_keys(b, rb.scope)
        rows_a, oc_a = a.entity_outcomes(rid)
        rows_b, oc_b = b.entity_outcomes(rid)
        at_b = {keys_b[int(r)]: k for k, r in enumerate(rows_b.tolist())}
        main_a, main_b = a.main_values(rid), b.main_values(rid)
        for k, row in enumerate(rows_a.tolist()):
            key = keys_a[row]
            j = at_b.get(key)
            if j is None or int(oc_a[k]) == int(oc_b[j]):
                continue
            out.append(
                _entity_change(
                    a,
                    rule,
                    ra.scope,
                    row,
                    OUTCOMES[int(oc_a[k])],
                    OUTCOMES[int(oc_b[j])],
                    main_a,
                    k,
                    main_b,
                    j,
                )
            )
    heads = _differ(a.headline[rid], b.headline[rid])
    if heads and not entity_level:
        main_a, main_b = a.main_values(rid) if ra else None, b.main_values(rid) if rb else None
        for i in heads:
            ch = _county_change(
                a,
                rid,
                title,
                i,
                OUTCOMES[int(a.headline[rid][i])],
                OUTCOMES[int(b.headline[rid][i])],
            )
            sides = {**_county_sides(a, ra, main_a, i, "a"), **_county_sides(b, rb, main_b, i, "b")}
            out.append(attrs.evolve(ch, **sides))
    elif heads:  # entity-level rule: the county's headline changes too
        for i in heads:
            out.append(
                _county_change(
                    a,
                    rid,
                    title,
                    i,
                    OUTCOMES[int(a.headline[rid][i])],
                    OUTCOMES[int(b.headline[rid][i])],
                )
            )
    return out


def _county_sides(r: ColumnarResult, rc: Any, main: Any, i: int, side: str) -> dict[str, Any]:
    """The value and threshold of a county-level rule for county ``i`` (one entity per
    county), as ``value_<side>`` / ``threshold_<side>`` / ``unit``."""
    import numpy as np

    if rc is None or main is None or rc.scope != ScopeKind.COUNTY:
        return {}
    rows = np.flatnonzero(rc.entity)
    pos = np.flatnonzero(rows == i)
    if not len(pos):
        return {}
    k = int(pos[0])
    return {
        f"value_{side}": float(main[0][k]),
        f"threshold_{side}": float(main[1][k]),
        "unit": main[2],
    }


def _entity_change(
    r: ColumnarResult,
    rule: CheckedRule,
    level: ScopeKind,
    row: int,
    oa: Outcome | None,
    ob: Outcome | None,
    main_a: Any,
    k: int,
    main_b: Any,
    j: int,
) -> Change:
    """The change of side A's entity ``row`` (position ``k`` among the rule's entities on
    side A, ``j`` on side B)."""
    _, codes, names, school_names, refs, shown = _entity_info(r, level)
    _, school, segment, index = shown[row]
    va = ta = vb = tb = float("nan")
    unit = ""
    if main_a is not None:
        va, ta, unit = float(main_a[0][k]), float(main_a[1][k]), main_a[2]
    if main_b is not None:
        vb, tb, unit = float(main_b[0][j]), float(main_b[1][j]), main_b[2] or unit
    return Change(
        rule.id,
        rule.title or rule.id,
        level.value,
        codes[row],
        names[row],
        school,
        school_names[row],
        segment,
        index,
        oa,
        ob,
        refs[row],
        va,
        ta,
        vb,
        tb,
        unit,
    )


def _entity_keys(r: ColumnarResult, level: ScopeKind) -> list[tuple[str, str, str, int]]:
    """Per row of ``level``'s table, the key that matches it across two frames:
    ``(county code or name, school id, segment, a class's position among its school
    segment's classes)`` (``""`` / ``-1`` where the level has none), or for county files
    ``(county, the entity's report key, "", -1)``; computed once per result and level."""
    return _entity_info(r, level)[0]


def _entity_info(
    r: ColumnarResult, level: ScopeKind
) -> tuple[
    list[tuple[str, str, str, int]],
    list[str],
    list[str],
    list[str],
    list[str],
    list[tuple[str, str, str, int]],
]:
    """``(keys, county codes, county names, school names, entity references, shown
    keys)`` per row of ``level`` (references ``""`` without populations; the shown key is
    ``(county, school id, segment, class position)`` whatever the matching key is)."""
    cache: dict[ScopeKind, Any] = r.__dict__.setdefault("_whatif_keys", {})
    if level in cache:
        return cache[level]  # type: ignore[no-any-return]
    import numpy as np

    from eduint.engine.columnar.frame import SEGMENTS
    from eduint.engine.columnar.tables import school_labels

    frame = r.frame
    n = frame.tables[level].n
    rows = np.arange(n, dtype=np.int64)
    county = np.asarray(frame.tables[level].county[rows], dtype=np.int64).tolist()
    codes = ["" if c is None else str(c) for c in frame.codes]
    names = [str(x) for x in frame.names]
    schools: list[str] = [""] * n
    school_names: list[str] = [""] * n
    if level in (ScopeKind.SCHOOL, ScopeKind.SEGMENT, ScopeKind.CLASS):
        s = frame.ancestor(level, ScopeKind.SCHOOL)[rows].tolist()
        ids, sn = school_labels(r)
        schools = [str(ids[x]) for x in s]
        if sn is not None:
            school_names = [str(sn[x]) for x in s]
    segments: list[str] = [""] * n
    if level in (ScopeKind.COUNTY_SEGMENT, ScopeKind.SEGMENT, ScopeKind.CLASS):
        words = [str(x.value) for x in SEGMENTS]
        seg = np.asarray(frame.segment_codes(level), dtype=np.int64)[rows].tolist()
        segments = [words[x] if x >= 0 else "" for x in seg]
    index = [-1] * n
    if level == ScopeKind.CLASS:
        seen: dict[tuple[int, str, str], int] = {}
        for x in range(n):
            group = (county[x], schools[x], segments[x])
            index[x] = seen.get(group, 0)
            seen[group] = index[x] + 1
    keys = [(codes[c] or names[c], schools[x], segments[x], index[x]) for x, c in enumerate(county)]
    pops = getattr(frame, "pops", None)
    refs = (
        [p.tables[level].ref(i).key for p in pops for i in range(len(p.tables[level]))]
        if pops is not None
        else [""] * n
    )
    shown = keys
    if pops is not None:  # county files: match by the report's own stable key
        keys = [(codes[c] or names[c], refs[x], "", -1) for x, c in enumerate(county)]
    info = (keys, [codes[c] for c in county], [names[c] for c in county], school_names, refs, shown)
    cache[level] = info
    return info


def _unmatched(
    a: ColumnarResult,
    b: ColumnarResult,
    rules_a: dict[str, CheckedRule],
    rules_b: dict[str, CheckedRule],
) -> int:
    """Entities of a shared rule present on one side only (compared by key)."""
    n = 0
    for rid in rules_a.keys() & rules_b.keys():
        ra, rb = a.rules.get(rid), b.rules.get(rid)
        if ra is None or rb is None or ra.scope != rb.scope or ra.scope == ScopeKind.COUNTY:
            continue
        ka, kb = _entity_keys(a, ra.scope), _entity_keys(b, rb.scope)
        sa = {ka[int(x)] for x in a.entity_outcomes(rid)[0].tolist()}
        sb = {kb[int(x)] for x in b.entity_outcomes(rid)[0].tolist()}
        n += len(sa ^ sb)
    return n
