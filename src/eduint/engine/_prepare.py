"""The work of the population pass (:mod:`eduint.engine.population`): tables and lists
(the columns are :mod:`eduint.engine._columns`).

Private: :class:`~eduint.engine.population.Population` calls these functions; each one
reproduces, once per county, what the evaluator used to work out while evaluating (the
order of listing, the reasons and the notes are part of the reports).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from eduint.checking.schema import ScopeKind
from eduint.core import values as v
from eduint.core.refs import EntityRef, FieldRef, natural_key
from eduint.core.units import parse_unit
from eduint.core.values import Code, Reason
from eduint.data import fields as data_fields
from eduint.data import models
from eduint.engine import _tables as P

if TYPE_CHECKING:
    from eduint.engine._tables import Effect, Rows
    from eduint.engine.population import Population

COUNTY, COUNTY_SEGMENT, SCHOOL, SEGMENT, CLASS = (
    ScopeKind.COUNTY,
    ScopeKind.COUNTY_SEGMENT,
    ScopeKind.SCHOOL,
    ScopeKind.SEGMENT,
    ScopeKind.CLASS,
)
_COMPULSORY = (models.Segment.PRIMARY, models.Segment.JUNIOR)
_ENUMS = (
    models.Segment,
    models.SchoolKind,
    models.Ownership,
    models.Location,
    models.Region,
    models.DateBasis,
)
#: The upper end of an open size band (66 and over) as an interval.
_OPEN_BAND = 10**6
_BAND_DEF = data_fields.fields_by_name(models.SizeBand)["count"]
#: The class count of a size band, as an input.
_BAND_COUNT = FieldRef(_BAND_DEF.name, _BAND_DEF.label, _BAND_DEF.label_en)
_BAND_UNIT = parse_unit("班")
_ONE = Fraction(1)


@attrs.frozen
class Band:
    """Classes in a size band, standing in for that many classes of unknown exact size.

    Attributes:
        low: the smallest class size of the band (人); high: the largest (``None``: and over).
        count: the number of classes (班).
    """

    low: int
    high: int | None
    count: int


def _r(code: Code, *args: object) -> Reason:
    return Reason(code, args)


def _u(code: Code, *args: object) -> v.Unknown:
    return v.Unknown((Reason(code, args),))


# ------------------------------------------------------------------ tables


def segment_ref(school: EntityRef, segment: str, where: str = "") -> EntityRef:
    """The reference of a school's segment (key ``<school id>/<segment>``)."""
    return EntityRef("segment", f"{school.key}/{segment}", school.name, segment, where=where)


def _canon(x: Fraction | int) -> v.Exact:
    """An exact number in canonical form (an ``int`` when whole)."""
    return x.numerator if type(x) is Fraction and x.denominator == 1 else x


def build(pop: Population) -> None:
    """Fill the tables and the base lists of ``pop`` from its county (rows in the
    documented order, see :class:`~eduint.engine.population.Table`)."""
    c = pop.county
    ckey = c.code or c.name
    pop.tables[COUNTY].add(EntityRef("county", ckey, c.name, where="county"), -1, None, c)
    for s in models.Segment:
        ref = EntityRef(
            "county_segment", f"{ckey}/{s.value}", c.name, s.value, where=f"segments.{s.value}"
        )
        pop.tables[COUNTY_SEGMENT].add(ref, 0, s, c.segment(s))
    _schools(pop)
    schools, segs = pop.tables[SCHOOL], pop.tables[SEGMENT]
    for p in range(len(schools)):
        school: models.School = schools.objs[p]
        sref = schools.ref(p)
        if school.segments is None:
            pop._seg_rows[p] = P.Rows((), False, _r(Code.SEGMENTS_NOT_GIVEN, sref))
            continue
        rows = []
        for sg in sorted(school.segments, key=_segment_rank):
            seg = sg.segment.value
            ref = segment_ref(sref, seg, f"{sref.where}.segments.{seg}")
            rows.append(segs.add(ref, p, sg.segment, sg))
            if sg.students is not None and sg.students.high == 0:
                # left out of every rule judging school segments (rule_rows)
                pop.dispositions.append(
                    P.Disposition(ref, P.Action.LEFT_OUT.value, _r(Code.ZERO_STUDENTS, ref))
                )
        pop._seg_rows[p] = P.Rows(tuple(rows), True)
    for r in range(len(segs)):
        pop._class_rows[r] = _classes(pop, r)


_SEGMENT_RANK = {s: i for i, s in enumerate(models.Segment)}


def _segment_rank(sg: models.SchoolSegment) -> int:
    return _SEGMENT_RANK[sg.segment]


def _schools(pop: Population) -> None:
    """The county's schools as the settings count them (see the module doc of population)."""
    c = pop.county
    if c.schools is None:
        pop.schools = P.Rows((), False, _r(Code.NO_SCHOOL_LIST))
        return
    by_id = {s.id: s for s in c.schools}
    refs = {
        s.id: EntityRef("school", s.id, s.name or s.id, where=f"schools[{i}]")
        for i, s in enumerate(c.schools)
    }
    merged: dict[str, models.School] = {}
    kept: list[models.School] = []
    consulted: list[str] = []
    notes: list[Reason] = []
    for s in sorted(c.schools, key=lambda s: natural_key(s.id)):
        why, setting = _left_out(pop, s, refs[s.id], by_id, consulted)
        if why is None:
            kept.append(s)
            continue
        if why == "merge":
            assert s.central_school is not None
            into = merged.get(s.central_school, by_id[s.central_school])
            merged[s.central_school] = _merge_school(into, s)
            central = refs[s.central_school]
            reason = _r(Code.MERGED_TEACHING_POINT, refs[s.id], central)
            pop.dispositions.append(
                P.Disposition(refs[s.id], P.Action.MERGED.value, reason, setting, central)
            )
        else:
            assert isinstance(why, Reason)
            reason = why
            pop.dispositions.append(
                P.Disposition(refs[s.id], P.Action.LEFT_OUT.value, reason, setting)
            )
        notes.append(reason)
    table = pop.tables[SCHOOL]
    rows = tuple(table.add(refs[s.id], 0, None, merged.get(s.id, s)) for s in kept)
    prov = pop.provisional(*dict.fromkeys(consulted))
    effects = P.Effects(provisional=prov, notes=tuple(dict.fromkeys(notes)))
    pop.schools = P.Rows(rows, c.schools_complete, None, (), effects if prov or notes else None)
    _record_splits(pop)


def _record_splits(pop: Population) -> None:
    """Record the share of each segment of a one-through school whose whole-school
    figures the settings split (the split itself happens per figure, when read)."""
    if not pop.settings.split_indicators:
        return
    from eduint.core.statistics import split_shares  # only here: a columnar run needs none

    t = pop.tables[SCHOOL]
    for p in range(len(t)):
        school: models.School = t.objs[p]
        segments = school.segments or ()
        if len(segments) < 2 or any(
            s.students is None or s.students.value is None for s in segments
        ):
            continue
        if all(getattr(school, f, None) is None for f in data_fields.PHYSICAL_FIELDS):
            continue  # no whole-school figure to split: each segment gives its own
        students = {s.segment.value: Fraction(s.students.value) for s in segments}  # type: ignore[union-attr,arg-type]
        weights_name = (
            "complete_middle_weights"
            if school.kind == models.SchoolKind.COMPLETE_MIDDLE
            else "split_weights"
        )
        weights = getattr(pop.settings, weights_name)
        if _split_problem(students, weights) is not None:
            continue
        shares = split_shares(students, weights)
        sref = t.ref(p)
        for s in sorted(segments, key=_segment_rank):
            seg = s.segment.value
            ref = segment_ref(sref, seg, f"{sref.where}.segments.{seg}")
            share = shares[seg]
            note = _r(Code.SPLIT_SHARE, ref, None, share, weights_name)
            pop.dispositions.append(
                P.Disposition(ref, P.Action.SPLIT.value, note, weights_name, share=share)
            )


def _left_out(
    pop: Population,
    s: models.School,
    ref: EntityRef,
    by_id: dict[str, models.School],
    consulted: list[str],
) -> tuple[Reason | str | None, str | None]:
    """Why the settings leave a school out (``"merge"`` for a merged 教学点), and the
    setting that decided it; every setting consulted is appended to ``consulted``."""
    st = pop.settings
    if s.kind == models.SchoolKind.SPECIAL:
        consulted.append("include_special")
        if st.include_special is False:
            return _r(Code.LEFT_OUT_SPECIAL, ref), "include_special"
    if s.ownership == models.Ownership.PRIVATE:
        consulted.append("include_private")
        if st.include_private is False:
            return _r(Code.LEFT_OUT_PRIVATE, ref), "include_private"
    if s.kind != models.SchoolKind.TEACHING_POINT:
        return None, None
    consulted.append("teaching_points")
    if st.teaching_points == "不计入":
        return _r(Code.LEFT_OUT_TEACHING_POINT, ref), "teaching_points"
    if st.teaching_points == "并入中心校" and s.central_school in by_id:
        return "merge", "teaching_points"
    minimum = st.teaching_point_min_students
    if minimum > 0:
        # a minimum of 0 (the default) leaves nothing out: it decides nothing
        consulted.append("teaching_point_min_students")
        n = _students_of(s)
        if n is not None and n < minimum:
            return (
                _r(Code.LEFT_OUT_SMALL_TEACHING_POINT, ref, _canon(n), _canon(minimum)),
                "teaching_point_min_students",
            )
    return None, None


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


def _class_count_clash(ref: EntityRef, seg: models.SchoolSegment) -> Reason | None:
    """Why the segment's class figures contradict each other, or None.

    A class count that disagrees with a complete class list, or with the total of the
    size bands, means one of them is wrong: counting either would give a verdict the
    data does not support.
    """
    count = seg.class_count.value if seg.class_count is not None else None
    if count is None:
        return None
    stated = P.exact(count, _ONE)
    if seg.classes is not None and seg.classes_complete and len(seg.classes) != count:
        return _r(Code.CLASS_COUNT_CLASH, ref, stated, len(seg.classes), "list")
    if seg.classes is None and seg.size_bands is not None:
        counts = [b.count.value if b.count is not None else None for b in seg.size_bands]
        if all(c is not None for c in counts):
            total = sum(c for c in counts if c is not None)
            if total != count:
                return _r(Code.CLASS_COUNT_CLASH, ref, stated, int(total), "bands")
    return None


def _class_key(c: models.Class) -> tuple[Any, ...]:
    """The canonical order of a segment's classes: grade, name, then figures as written (so
    a class's number does not depend on where the input lists it; classes that tie are
    alike in everything a report shows)."""
    size = c.size
    figures: tuple[Any, ...] = (
        (0, size.low, size.high, size.approximate, size.text or "") if size is not None else (1,)
    )
    extra = tuple(sorted((k, repr(x)) for k, x in c.extra.items())) if c.extra else ()
    return (
        c.grade is None,
        c.grade or 0,
        c.name is None,
        natural_key(c.name) if c.name is not None else (),
        figures,
        extra,
    )


def class_order(given: Sequence[models.Class]) -> list[int]:
    """The positions of a segment's classes in canonical order (:func:`_class_key`)."""
    return sorted(range(len(given)), key=lambda i: _class_key(given[i]))


def _classes(pop: Population, r: int) -> Rows:
    """A segment's classes, or its size bands (by their lower bound) as rows with
    multiplicities.

    A segment's classes are rows in the order the data lists them; their canonical
    order (:func:`class_order`: by grade, name and figures) is worked out only where
    order shows: the classes' numbers in their references, the entities of a
    class-scope rule, and an aggregate over classes whose value is unknown (the order
    of its reasons) or that is a 差异系数 (:meth:`Population.canonical`).  Counting and
    summing the classes of a county, the common case, needs no sorting."""
    segs, table = pop.tables[SEGMENT], pop.tables[CLASS]
    seg: models.SchoolSegment = segs.objs[r]
    ref, which = segs.ref(r), segs.segment[r]
    path = ref.where
    clash = _class_count_clash(ref, seg)
    if clash is not None:
        return P.Rows((), False, clash)
    if seg.classes is not None:
        given = seg.classes

        def make() -> list[EntityRef]:
            refs: list[EntityRef] = [None] * len(given)  # type: ignore[list-item]
            for k, i in enumerate(class_order(given), 1):
                name = given[i].name
                refs[i] = EntityRef(
                    "class",
                    f"{ref.key}/{k}",
                    ref.name,
                    ref.segment,
                    name if name is not None else str(k),
                    where=f"{path}.classes[{i}]",
                )
            return refs

        start = table.extend(make, r, which, given)
        pop.class_blocks.append((start, given))
        return P.Rows(tuple(range(start, start + len(given))), seg.classes_complete)
    if seg.size_bands is None:
        return P.Rows((), False, _r(Code.CLASSES_NOT_GIVEN, ref))
    ordered = sorted(enumerate(seg.size_bands), key=lambda t: (t[1].low, t[0]))
    for (_, a), (_, b) in zip(ordered, ordered[1:], strict=False):
        if a.high is None or a.high >= b.low:
            return P.Rows((), False, _r(Code.BANDS_OVERLAP, ref, a.low, a.high, b.low))
    effects: list[Effect] = []
    bands: list[tuple[int, models.SizeBand, int]] = []
    for i, b in ordered:
        if b.count is None:
            return P.Rows(
                (), False, _r(Code.BAND_COUNT_MISSING, ref, b.low, b.high), (), _fx(effects)
            )
        if b.count.value is None:
            missing = _r(Code.BAND_COUNT_RANGE, ref, b.low, b.high, str(b.count))
            return P.Rows((), False, missing, (), _fx(effects))
        if b.count.approximate:
            cell = pop.cell_block(
                ref,
                _BAND_COUNT,
                _BAND_UNIT,
                [P.exact(b.count.low, _ONE)],
                [str(b.count)],
            )
            effects.append(P.Effects((cell,), True))
        n = int(b.count.value)
        if n:
            bands.append((i, b, n))
    rows = tuple(
        table.add(
            _band_ref(ref, b, f"{path}.size_bands[{i}]"),
            r,
            which,
            Band(b.low, b.high, n),
            n,
        )
        for i, b, n in bands
    )
    return P.Rows(rows, True, None, (), _fx(effects))


def _band_ref(seg: EntityRef, b: models.SizeBand, where: str) -> EntityRef:
    high = str(b.high) if b.high is not None else ""
    return EntityRef(
        "class",
        f"{seg.key}/{b.low}-{high}",
        seg.name,
        seg.segment,
        f"{b.low}–{high}",
        True,
        where=where,
    )


def _fx(effects: Sequence[Effect]) -> Effect:
    return P.merge_effects(*effects) if effects else None


# ------------------------------------------------------------------- lists


def below(pop: Population, scope: ScopeKind, row: int, over: ScopeKind) -> Rows:
    """The entities of scope ``over`` under entity ``row`` of ``scope``."""
    if scope in (COUNTY, COUNTY_SEGMENT):
        schools = pop.schools
        seg: models.Segment | None = None
        if scope == COUNTY_SEGMENT:
            seg = pop.tables[COUNTY_SEGMENT].segment[row]
            if schools.missing is None:
                schools = _with_segment(pop, schools, seg)
        if over == SCHOOL or schools.missing is not None:
            return schools
        return _descend(pop, schools, SCHOOL, over, seg)
    if scope == SCHOOL:
        segs = pop.segment_rows(row)
        if over == SEGMENT or segs.missing is not None:
            return segs
        return _descend(pop, segs, SEGMENT, over, None)
    if scope == SEGMENT and over == CLASS:
        return pop.class_rows(row)
    raise AssertionError(f"cannot range over {over} from {scope}")  # the checker forbids it


def _with_segment(pop: Population, schools: Rows, seg: models.Segment | None) -> Rows:
    """The schools that have segment ``seg``: a school whose segments are not given may or
    may not have it, so it is left out and the list is incomplete."""
    t = pop.tables[SCHOOL]
    objs = t.objs
    unknown = tuple(
        _r(Code.SEGMENTS_NOT_GIVEN, t.ref(r)) for r in schools.rows if objs[r].segments is None
    )
    rows = tuple(
        r for r in schools.rows if objs[r].segments is not None and objs[r].segment(seg) is not None
    )
    return P.Rows(
        rows, schools.complete and not unknown, None, schools.gaps + unknown, schools.effects
    )


def _descend(
    pop: Population,
    parents: Rows,
    parent_scope: ScopeKind,
    over: ScopeKind,
    seg: models.Segment | None,
) -> Rows:
    items: list[int] = []
    complete = parents.complete
    gaps: list[Reason] = list(parents.gaps)
    effects: list[Effect] = [parents.effects] if parents.effects is not None else []
    for p in parents.rows:
        sub = pop.segment_rows(p, seg) if parent_scope == SCHOOL else pop.class_rows(p)
        if sub.effects is not None:
            effects.append(sub.effects)
        if sub.missing is not None:
            # this entity's list is not given: the others still count
            complete = False
            gaps.append(sub.missing)
            continue
        complete = complete and sub.complete
        if over == SEGMENT or parent_scope == SEGMENT:
            items.extend(sub.rows)
        else:
            deeper = _descend(pop, sub._replace(effects=None), SEGMENT, over, seg)
            complete = complete and deeper.complete
            gaps.extend(deeper.gaps)
            items.extend(deeper.rows)
            if deeper.effects is not None:
                effects.append(deeper.effects)
    return P.Rows(tuple(items), complete, None, tuple(gaps), _fx(effects))


def rule_rows(
    pop: Population, scope: ScopeKind, segments: tuple[str, ...] | None
) -> tuple[Rows, tuple[Reason, ...]]:
    """The entities a rule is evaluated for, and the notes of listing them."""
    if scope == COUNTY:
        return P.Rows((0,), True), ()
    if scope == COUNTY_SEGMENT:
        order = [s.value for s in models.Segment]
        rows = sorted({order.index(s) for s in (segments or order)})  # entity order
        return P.Rows(tuple(rows), True), ()
    lst = below(pop, COUNTY, 0, scope)
    if scope == CLASS and lst.missing is None:
        lst = lst._replace(rows=tuple(pop.canonical(lst.rows)))
    notes: tuple[Reason, ...] = ()
    if scope == SEGMENT and lst.missing is None:
        # A school segment with no students has nothing to judge: it is left out of
        # the rule (and listed), and blocks nothing (REFERENCE §3.4).
        t = pop.tables[SEGMENT]
        empty = {
            r for r in lst.rows if t.objs[r].students is not None and t.objs[r].students.high == 0
        }
        notes = tuple(_r(Code.ZERO_STUDENTS, t.ref(r)) for r in lst.rows if r in empty)
        lst = lst._replace(rows=tuple(r for r in lst.rows if r not in empty))
    if segments is not None and lst.missing is None:
        if scope == SCHOOL:
            # `scope school [初中]`: the schools that have one of these segments; a
            # school whose segments are unknown may or may not be one.
            t = pop.tables[SCHOOL]
            unknown = tuple(
                _r(Code.SEGMENTS_NOT_GIVEN, t.ref(r))
                for r in lst.rows
                if t.objs[r].segments is None
            )
            kept = tuple(
                r
                for r in lst.rows
                if t.objs[r].segments is not None
                and any(s.segment.value in segments for s in t.objs[r].segments)
            )
            return lst._replace(
                rows=kept, complete=lst.complete and not unknown, gaps=lst.gaps + unknown
            ), notes
        seg_of = pop.tables[scope].segval
        lst = lst._replace(
            rows=tuple(r for r in lst.rows if seg_of[r] is None or seg_of[r] in segments)
        )
    return lst, notes


def not_applicable(pop: Population, row: int) -> tuple[Reason | None, Effect]:
    """Why a county segment is 不适用, from positive evidence only, and the effects."""
    seg = pop.tables[COUNTY_SEGMENT].segment[row]
    assert seg is not None
    cs = pop.tables[COUNTY_SEGMENT].objs[row]
    if cs is not None and cs.schools is not None and cs.schools.high == 0:
        return _r(Code.NO_SCHOOLS_OF_SEGMENT, seg.value), None
    schools = pop.schools
    if schools.missing is None and schools.complete and cs is None:
        objs = pop.tables[SCHOOL].objs
        # every school's segments are known, none is `seg`
        if all(objs[r].segments is not None and objs[r].segment(seg) is None for r in schools.rows):
            return _r(Code.NO_SEGMENT_IN_LIST, seg.value), schools.effects
    return None, schools.effects


def _split_problem(
    students: dict[str, Fraction], weights: dict[str, Fraction] | Any
) -> tuple[Any, ...] | None:
    """Why :func:`split_shares` cannot split (its checks, in its order), as a code and args."""
    missing = sorted(set(students) - set(weights))
    if missing:
        return (Code.SPLIT_NO_WEIGHT, tuple(missing))
    if any(n < 0 for n in students.values()):
        return (Code.SPLIT_NEGATIVE,)
    if sum((Fraction(weights[k]) * n for k, n in students.items()), Fraction(0)) == 0:
        return (Code.SPLIT_NO_STUDENTS,)
    return None
