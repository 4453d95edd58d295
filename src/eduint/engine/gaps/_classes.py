"""Fixes for class-size limits: the classes to add so that every class is within them.

Students move between the classes of a grade, not between grades, so a fix re-forms one
grade's classes (年级; a segment's classes without a grade form one group): its students
divided into m classes as equal as can be (sizes differ by at most one).

A class-scope rule (``班额 <= 班额上限``, 教督〔2017〕6号 政府保障 (五)) fails class by class;
for the grade of a failing class, m is tried from the grade's present number of classes
upward (re-forming first, then adding one class at a time), each m re-evaluated with the
engine, until the rule holds for every class of the grade.  The least such m is listed;
one class fewer fails (re-checked).  With equal division this is exact: the grade needs
⌈students ÷ limit⌉ classes.

A rule that counts or shares classes (``count(over 班级 where 班额 >= 66 人) <= 0 and
share(班额 >= 56 人 over 班级) <= 5%``) is fixed greedily: the grade with the largest
class is re-formed (first with its own number of classes, then with one more), until the
rule holds, each step re-evaluated.  Not proven to add the fewest classes; the re-check
proves the grades listed suffice and that without the last step the rule still fails.

Classes given only as size bands are not re-formed: the gap says so
(``classes_not_listed``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from eduint.checking.ruleset import CheckedRule
from eduint.core.refs import EntityRef
from eduint.data import models
from eduint.data.models import County, Figure
from eduint.engine.gaps._data import Place, place_of, set_classes
from eduint.engine.gaps._model import Check, ClassSplit, Fix
from eduint.engine.gaps._probe import Ctx
from eduint.engine.results import Outcome

__all__ = ["aggregate_class_fixes", "class_fixes", "grade_met", "parts_of", "regroup"]

#: The most steps the greedy re-forming takes before giving up.
_MAX_STEPS = 500

Group = tuple[Place, int | None]  # (school segment, grade)


def parts_of(size: int, m: int) -> tuple[int, ...]:
    """``size`` students in ``m`` classes as equal as can be, larger first."""
    q, r = divmod(size, m)
    return tuple(q + 1 if i < r else q for i in range(m))


def _segment(county: County, p: Place) -> models.SchoolSegment | None:
    if p.school is None or p.seg is None:
        return None
    schools = county.schools or ()
    return schools[p.school].segment(models.Segment(p.seg)) if p.school < len(schools) else None


def _size(c: models.Class) -> int:
    """A class's 班额 (exact: groups with a missing or approximate one are not re-formed)."""
    assert c.size is not None and c.size.value is not None
    return int(c.size.value)


def _sizes(seg: models.SchoolSegment, grade: int | None) -> tuple[int, ...] | None:
    """The sizes of the grade's classes, or ``None`` when one is not an exact number."""
    out = []
    for c in seg.classes or ():
        if c.grade != grade:
            continue
        if c.size is None or c.size.value is None or c.size.approximate:
            return None
        out.append(int(c.size.value))
    return tuple(out)


def regroup(county: County, groups: Mapping[Group, int]) -> County:
    """``county`` with each (segment, grade)'s classes re-formed into the given number
    of classes as equal as can be (the grade's first classes keep their names and
    places; new ones are appended, named ``新增<k>``; with fewer classes than before the
    grade's last classes are dropped)."""
    by_seg: dict[Place, dict[int | None, int]] = {}
    for (sp, grade), m in groups.items():
        by_seg.setdefault(sp, {})[grade] = m
    for sp, grades in by_seg.items():
        seg = _segment(county, sp)
        assert seg is not None and seg.classes is not None
        classes: list[models.Class | None] = list(seg.classes)
        extra: list[models.Class] = []
        added = 0
        for grade, m in grades.items():
            idx = [i for i, c in enumerate(seg.classes) if c.grade == grade]
            parts = parts_of(sum(_size(seg.classes[i]) for i in idx), m)
            for k, i in enumerate(idx):
                c = seg.classes[i]
                classes[i] = attrs.evolve(c, size=Figure.exact(parts[k])) if k < m else None
            for k, n in enumerate(parts[len(idx) :]):
                extra.append(models.Class(name=f"新增{k + 1}", grade=grade, size=Figure.exact(n)))
            added += m - len(idx)
        kept = [c for c in classes if c is not None]
        county = set_classes(county, Place(sp.school, sp.seg), [*kept, *extra], added)
    return county


def grade_met(ctx: Ctx, rule: CheckedRule, county: County, sp: Place, grade: int | None) -> bool:
    """Whether the rule holds for every class of the grade in ``county``."""
    rep = ctx.report(county, ctx.solo(rule))
    seg = _segment(county, sp)
    assert seg is not None and seg.classes is not None
    path = f"schools[{sp.school}].segments.{sp.seg}.classes"
    wanted = {f"{path}[{i}]" for i, c in enumerate(seg.classes) if c.grade == grade}
    got = [e.outcome for e in rep.item(rule.id).entities if e.entity.where in wanted]
    return len(got) == len(wanted) and all(o is Outcome.MET for o in got)


def class_fixes(
    ctx: Ctx, rule: CheckedRule, entity: EntityRef, cache: dict[object, Fix | str]
) -> tuple[tuple[Fix, ...], str | None]:
    """The fix of the grade of a failing class (see the module doc); ``cache`` keeps
    each grade's fix for the grade's other failing classes."""
    p = place_of(entity)
    seg = _segment(ctx.county, p) if p is not None else None
    if p is None or p.cls is None or seg is None or not seg.classes:
        return (), "classes_not_listed"
    sp = Place(p.school, p.seg)
    grade = seg.classes[p.cls].grade
    key = (rule.id, ctx.ref(sp).key, grade)  # by school id: the county may be one school's
    got = cache.get(key)
    if got is None:
        got = _grade_fix(ctx, rule, sp, grade)
        cache[key] = got
    return ((got,), None) if isinstance(got, Fix) else ((), got)


def _grade_fix(ctx: Ctx, rule: CheckedRule, sp: Place, grade: int | None) -> Fix | str:
    seg = _segment(ctx.county, sp)
    assert seg is not None
    sizes = _sizes(seg, grade)
    if not sizes:
        return "not_exact"
    total = sum(sizes)
    for m in range(len(sizes), max(total, len(sizes)) + 1):
        if not grade_met(ctx, rule, regroup(ctx.county, {(sp, grade): m}), sp, grade):
            continue
        # one class fewer: the grade re-formed into m − 1 classes must fail
        fewer = m - 1
        one_less = fewer < 1 or not grade_met(
            ctx, rule, regroup(ctx.county, {(sp, grade): fewer}), sp, grade
        )
        if not one_less:
            return "not_verified"
        split = ClassSplit(ctx.ref(sp), grade, sizes, parts_of(total, m))
        return Fix("classes", (), Check(True, True), splits=(split,), total=Decimal(split.added))
    return "no_fix_found"


def _groups(county: County, entity: EntityRef) -> dict[Group, tuple[int, ...]]:
    """Every (segment, grade) under ``entity`` with listed classes, and their sizes."""
    p = place_of(entity) or Place()
    out: dict[Group, tuple[int, ...]] = {}
    for i, school in enumerate(county.schools or ()):
        if p.school is not None and i != p.school:
            continue
        for seg in school.segments or ():
            if p.seg is not None and seg.segment.value != p.seg:
                continue
            for grade in dict.fromkeys(c.grade for c in seg.classes or ()):
                sizes = _sizes(seg, grade)
                if sizes:
                    out[(Place(i, seg.segment.value), grade)] = sizes
    return out


def aggregate_class_fixes(
    ctx: Ctx, rule: CheckedRule, entity: EntityRef
) -> tuple[tuple[Fix, ...], str | None]:
    """Re-form the grade with the largest class until a rule that counts or shares
    classes holds (greedy, see the module doc)."""
    groups = _groups(ctx.county, entity)
    if not groups:
        return (), "classes_not_listed"
    state: dict[Group, int] = {}
    prev: dict[Group, int] = {}

    def met(st: Mapping[Group, int]) -> bool:
        return ctx.met(rule, entity, regroup(ctx.county, st))

    for _ in range(_MAX_STEPS):
        if met(state):
            break

        def biggest(g: Group) -> int:
            m = state.get(g)
            return max(groups[g]) if m is None else parts_of(sum(groups[g]), m)[0]

        g = max(groups, key=lambda k: (biggest(k), -(k[0].school or 0)))
        if biggest(g) <= 1:
            return (), "no_fix_found"
        prev = dict(state)
        state[g] = len(groups[g]) if g not in state else state[g] + 1
    else:
        return (), "no_fix_found"
    if not state or met(prev):
        return (), "not_verified"
    splits = tuple(
        ClassSplit(ctx.ref(sp), grade, groups[(sp, grade)], parts_of(sum(groups[(sp, grade)]), m))
        for (sp, grade), m in state.items()
    )
    fix = Fix(
        "classes", (), Check(True, None), splits=splits, total=Decimal(sum(s.added for s in splits))
    )
    return (fix,), None
