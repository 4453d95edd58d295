"""The population pass: a county and a rule set's settings → the entity tables rules range over.

:func:`populate` runs once per county.  It prepares every entity a rule may be evaluated
for or aggregate over, so that an engine reads plain columns and never touches the data
models:

* schools are listed in id order (digit runs by value: :func:`~eduint.core.refs.natural_key`),
  a school's segments in school order; 特殊教育学校 and 民办 schools are left out unless the
  settings count them; 教学点 are counted on their own, merged into their central school
  or left out (``teaching_points``), and left out below ``teaching_point_min_students``;
* each school's segments, and each segment's classes, become rows of their own; classes
  given as size bands become one row per band with the band's class count as its
  *multiplicity*; a class-count clash, overlapping bands or a band count that is not
  given make the segment's class list missing, with the reason;
* a one-through school's whole-school physical figures are split by segment with the
  rule set's weights (``split_indicators``, ``split_weights``,
  ``complete_middle_weights``; REFERENCE §3.3);
* derived fields (:mod:`eduint.data.derived`) are computed, and county figures that may
  also be summed over a complete school list are compared with that sum.

The tables are column-oriented per scope (:class:`Table`): parallel lists of entity
references (:class:`~eduint.core.refs.EntityRef`: key, names, data path
``schools[2].segments.小学``), parent rows, segments and multiplicities, and one
:class:`Column` per field read; no key or name comes from a position in the input.  A column holds values of
:mod:`eduint.core.values` (exact numbers in canonical units, intervals, unknowns with
coded reasons) and, beside each value, the *effects* of reading it: the data cells read
(for the report's inputs), whether an approximate figure was used, the provisional
settings that decided it, and the notes it gives (a split share).  Lists of entities
(:class:`Rows`) carry their completeness, the reasons they are incomplete or missing,
and the effects of listing them (the settings that chose the schools, the schools left
out).  Every school left out or merged, every split and every school segment with 0
students is also kept as a structured :class:`~eduint.engine.results.Disposition`.

The pass is pure and deterministic; columns not asked for up front are computed on first
use and cached, so a :class:`Population` is used by one evaluation at a time.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

from eduint.checking.schema import FieldInfo, ScopeKind
from eduint.checking.settings import Settings
from eduint.core import values as v
from eduint.core.refs import EntityRef, FieldRef
from eduint.core.units import DIMENSIONLESS, Unit
from eduint.core.values import Reason, Value
from eduint.data import models
from eduint.engine import _columns, _prepare
from eduint.engine._tables import (
    Action,
    Column,
    Disposition,
    Effect,
    Effects,
    Rows,
    field_ref,
    merge_effects,
    model_field,
)
from eduint.engine.results import Input, ProvisionalUse, Quantity, Text

__all__ = [
    "Action",
    "Column",
    "Disposition",
    "Effects",
    "Population",
    "Rows",
    "Table",
    "field_ref",
    "merge_effects",
    "model_field",
    "populate",
]

COUNTY, COUNTY_SEGMENT, SCHOOL, SEGMENT, CLASS = (
    ScopeKind.COUNTY,
    ScopeKind.COUNTY_SEGMENT,
    ScopeKind.SCHOOL,
    ScopeKind.SEGMENT,
    ScopeKind.CLASS,
)

_ONE = Fraction(1)


class Table:
    """The entities of one scope, column-oriented, in the documented order.

    Rows are in the order of :meth:`EntityRef.sort_key`: schools by id (digit runs by
    value), a school's segments in school order, size bands by their lower bound.  The
    one exception is a segment's classes, listed as the data lists them until their
    canonical order (by grade, name and figures) matters
    (:meth:`Population.canonical`); nothing that a report shows depends on the order of
    the input.

    Attributes:
        scope: the scope.
        refs: each row's :class:`~eduint.core.refs.EntityRef` (its key, names, data path).
        parent: the row of the parent entity in the parent scope's table (-1 for none).
        segment: each row's segment (``None`` for the county and schools).
        segval: the same as text (``小学``), the key of a value keyed by segment.
        mult: multiplicities (a size band of N classes counts N times; else 1).
        objs: the model object behind each row (a merged school for a central school with
            teaching points merged in; a :class:`_prepare.Band` for a size band; ``None``
            for a county segment the data does not give).
    """

    __slots__ = (
        "_pending",
        "_refs",
        "mult",
        "objs",
        "parent",
        "scope",
        "segment",
        "segval",
    )

    def __init__(self, scope: ScopeKind) -> None:
        self.scope = scope
        self._refs: list[EntityRef | None] = []
        # rows whose references are made when first asked for (classes): a class is
        # named only by a class-scope rule or a reason
        self._pending: list[tuple[int, Callable[[], list[EntityRef]]]] = []
        self.parent: list[int] = []
        self.segment: list[models.Segment | None] = []
        self.segval: list[str | None] = []
        self.mult: list[int] = []
        self.objs: list[Any] = []

    @property
    def refs(self) -> list[EntityRef]:
        """Entity references, by row."""
        if self._pending:
            self._materialize()
        return self._refs  # type: ignore[return-value]

    def ref(self, row: int) -> EntityRef:
        """The reference of one row."""
        r = self._refs[row]
        if r is None:
            self._materialize()
            r = self._refs[row]
        assert r is not None
        return r

    def _materialize(self) -> None:
        for start, make in self._pending:
            refs = make()
            self._refs[start : start + len(refs)] = refs
        self._pending.clear()

    def add(
        self,
        ref: EntityRef,
        parent: int,
        segment: models.Segment | None,
        obj: Any,
        mult: int = 1,
    ) -> int:
        """Append a row; returns its number."""
        self._refs.append(ref)
        self.parent.append(parent)
        self.segment.append(segment)
        self.segval.append(segment.value if segment is not None else None)
        self.objs.append(obj)
        self.mult.append(mult)
        return len(self.parent) - 1

    def extend(
        self,
        make: Callable[[], list[EntityRef]],
        parent: int,
        segment: models.Segment | None,
        objs: Sequence[Any],
    ) -> int:
        """Append a row of multiplicity 1 for each of ``objs`` under one parent, their
        references made by ``make`` when first asked for; returns the first row's number."""
        n = len(objs)
        start = len(self.parent)
        self._pending.append((start, make))
        self._refs.extend([None] * n)
        self.parent.extend([parent] * n)
        self.segment.extend([segment] * n)
        self.segval.extend([segment.value if segment is not None else None] * n)
        self.objs.extend(objs)
        self.mult.extend([1] * n)
        return start

    def __len__(self) -> int:
        return len(self.parent)


#: A block of cells: whose (a table, each cell one of its rows; or one entity for every
#: cell), which field, its unit, the values and the texts as written.
_Block = tuple["Table | EntityRef", FieldRef, Unit, Sequence[Value], Sequence[str | None]]


class _Cells:
    """The registry of data cells, so that a read is recorded as one integer."""

    def __init__(self) -> None:
        self.bases: list[int] = []
        self.blocks: list[_Block] = []
        self.size = 0
        # whole-number input figures, one Quantity each, by unit (kept alive with it)
        self.whole: dict[int, tuple[dict[object, Quantity], Unit]] = {}

    def block(self, blk: _Block) -> int:
        base = self.size
        self.bases.append(base)
        self.blocks.append(blk)
        self.size += len(blk[4])
        return base

    def fill(self, cell: int, cache: list[Input | None]) -> None:
        """Make the inputs of the block holding ``cell`` (a read column is read through)."""
        i = bisect.bisect_right(self.bases, cell) - 1
        who, field, unit, values, texts = self.blocks[i]
        base = self.bases[i]
        n = len(texts)
        refs = who.refs if isinstance(who, Table) else [who] * n
        number, frac, interval, q, inp = int, Fraction, v.Interval, Quantity, Input
        if None not in texts and all(x.__class__ is number for x in values):
            # the common case: whole figures (counts: a class's size, teachers), which
            # repeat, so one Quantity per figure and unit
            shared = self.whole.setdefault(id(unit), ({}, unit))[0]
            qs = []
            for x in values:
                qx = shared.get(x)
                if qx is None:
                    qx = shared[x] = q(x, unit)  # type: ignore[arg-type]
                qs.append(qx)
            cache[base : base + n] = [
                inp(r, field, qx, t) for r, qx, t in zip(refs, qs, texts, strict=True)
            ]
            return
        out: list[Input | None] = []
        for j, t in enumerate(texts):
            if t is None:
                out.append(None)
                continue
            x = values[j]
            c = x.__class__
            value: Quantity | bool | str | None
            if c is number or c is frac or c is interval:
                value = q(x, unit)  # type: ignore[arg-type]
            elif c is bool or c is str:
                value = x  # type: ignore[assignment]
            else:
                value = None
            out.append(inp(refs[j], field, value, t))
        cache[base : base + n] = out


class Population:
    """The entity tables of one county under one rule set's settings (see the module doc).

    Attributes:
        county: the county (its data is read only here).
        settings: the typed settings.
        tables: scope → :class:`Table`.
        dispositions: every school left out or merged, every split and every school
            segment with 0 students, as :class:`~eduint.engine.results.Disposition`.
    """

    def __init__(self, county: models.County, settings: Settings) -> None:
        self.county = county
        self.settings = settings
        self.tables: dict[ScopeKind, Table] = {s: Table(s) for s in ScopeKind}
        self.dispositions: list[Disposition] = []
        self._cells = _Cells()
        self._columns: dict[tuple[object, ...], Column] = {}
        self._lists: dict[tuple[object, ...], Rows] = {}
        self._rules: dict[tuple[object, ...], tuple[Rows, tuple[Reason, ...]]] = {}
        self._inputs: list[Input | None] = []
        self._seg_rows: dict[int, Rows] = {}  # school row → its segments
        # school row → how its whole-school figures split (see _prepare._shares)
        self.split_cache: dict[int, tuple[Any, ...]] = {}
        self._class_rows: dict[int, Rows] = {}  # segment row → its classes
        self._anc: dict[tuple[ScopeKind, ScopeKind], list[int] | None] = {}
        # (first row, classes) of every segment's class rows, and each class row's
        # place in the canonical order (made when first needed)
        self.class_blocks: list[tuple[int, Sequence[models.Class]]] = []
        self._class_rank: list[int] | None = None
        self._prov = {
            name: ProvisionalUse(
                "setting", name, Text(why, settings.provisional_en.get(name)) if why else None
            )
            for name, why in settings.provisional.items()
        }
        self.schools: Rows = Rows((), False)
        _prepare.build(self)

    # ------------------------------------------------------------ helpers
    def provisional(self, *names: str) -> tuple[ProvisionalUse, ...]:
        """The provisional settings among ``names`` (consulted in order)."""
        return tuple(self._prov[n] for n in names if n in self._prov)

    def input(self, cell: int) -> Input:
        """The data figure behind a cell id, as the report lists it (cached)."""
        inp = self._inputs[cell]
        if inp is None:
            self._cells.fill(cell, self._inputs)
            inp = self._inputs[cell]
        assert inp is not None
        return inp

    def inputs(self, cells: Iterable[int]) -> tuple[Input, ...]:
        """The data figures behind cell ids, in order."""
        cache = self._inputs
        cells = list(cells)
        out = list(map(cache.__getitem__, cells))
        if not all(out):  # an Input is always true: some are not made yet
            fill = self._cells.fill
            for i, c in enumerate(cells):
                if out[i] is None:
                    if cache[c] is None:
                        fill(c, cache)
                    out[i] = cache[c]
        return tuple(out)  # type: ignore[arg-type]

    def cell_block(
        self,
        who: Table | EntityRef,
        field: FieldRef,
        unit: Unit | None,
        values: Sequence[Value],
        texts: Sequence[str | None],
    ) -> int:
        """Register cells (one per text: the ``i``-th is the figure ``values[i]``, written
        ``texts[i]`` (``None``: not given), of row ``i`` of the table ``who``, or of the
        entity ``who``) and return the id of the first."""
        self._inputs.extend([None] * len(texts))
        return self._cells.block((who, field, unit or DIMENSIONLESS, values, texts))

    def ancestor(self, scope: ScopeKind, target: ScopeKind) -> list[int] | None:
        """For each row of ``scope``, the row of its ancestor in ``target`` (``None``: same)."""
        key = (scope, target)
        if key not in self._anc:
            self._anc[key] = self._ancestor(scope, target)
        return self._anc[key]

    def _ancestor(self, scope: ScopeKind, target: ScopeKind) -> list[int] | None:
        if scope == target:
            return None
        n = len(self.tables[scope])
        if target == COUNTY:
            return [0] * n
        rows = list(range(n))
        s: ScopeKind | None = scope
        while s is not None and s != target:
            parent = self.tables[s].parent
            rows = [parent[r] for r in rows]
            s = s.parent
        if s is None:
            raise AssertionError(f"{target} is not above {scope}")  # the checker forbids it
        return rows

    def canonical(self, rows: Sequence[int]) -> list[int]:
        """Class rows in the documented order (segments in order, each segment's classes
        by grade, name and figures: :func:`~eduint.engine._prepare.class_order`)."""
        rank = self._class_rank
        if rank is None:
            rank = self._class_rank = list(range(len(self.tables[CLASS])))
            for start, given in self.class_blocks:
                for k, i in enumerate(_prepare.class_order(given)):
                    rank[start + i] = start + k
        return sorted(rows, key=rank.__getitem__)

    def segment_rows(self, school: int, only: models.Segment | None = None) -> Rows:
        """A school's segments (all, or the one ``only``); missing when not given."""
        lst = self._seg_rows[school]
        if only is None or lst.missing is not None:
            return lst
        seg = self.tables[SEGMENT].segment
        return Rows(tuple(r for r in lst.rows if seg[r] == only), True)

    def class_rows(self, segment: int) -> Rows:
        """A school segment's classes (or size bands); missing when not given or clashing."""
        return self._class_rows[segment]

    # ------------------------------------------------------------ columns
    def column(self, info: FieldInfo) -> Column:
        """The column a rule's reference to ``info`` reads (in the field's own scope)."""
        key = ("field", info.scope, info.name, info.label, _scale(info))
        col = self._columns.get(key)
        if col is None:
            col = self._columns[key] = _columns.field_column(self, info)
        return col

    def raw(self, scope: ScopeKind, field: FieldRef, unit: Unit | None) -> Column:
        """The figure ``field`` of every row of ``scope`` as given (no split, no sum), in
        the canonical unit of ``unit``'s dimensions."""
        key = ("raw", scope, field, unit.scale if unit is not None else _ONE)
        col = self._columns.get(key)
        if col is None:
            col = self._columns[key] = _columns.raw_column(self, scope, field, unit)
        return col

    def physical(self, field: FieldRef, unit: Unit | None) -> Column:
        """A segment's physical figure: its own, or its school's split (REFERENCE §3.3)."""
        key = ("physical", field, unit.scale if unit is not None else _ONE)
        col = self._columns.get(key)
        if col is None:
            col = self._columns[key] = _columns.physical_column(self, field, unit)
        return col

    def school_students(self, compulsory: bool, unit: Unit | None) -> Column:
        """Each school's 在校生数 (or 义务教育阶段在校生数): its segments' sum."""
        key = ("students", compulsory, unit.scale if unit is not None else _ONE)
        col = self._columns.get(key)
        if col is None:
            col = self._columns[key] = _columns.students_column(self, compulsory, unit)
        return col

    def weights(self, scope: ScopeKind) -> Column:
        """The default weight of a 差异系数 over ``scope``: each entity's 在校生数."""
        if scope == SCHOOL:
            return self.school_students(False, None)
        return self.raw(scope, *model_field(scope, "students"))

    # ------------------------------------------------------------ lists
    def below(self, scope: ScopeKind, row: int, over: ScopeKind) -> Rows:
        """The entities of scope ``over`` under the entity ``row`` of ``scope`` (cached)."""
        key = (scope, row, over)
        lst = self._lists.get(key)
        if lst is None:
            lst = self._lists[key] = _prepare.below(self, scope, row, over)
        return lst

    def rule_rows(
        self, scope: ScopeKind, segments: tuple[str, ...] | None
    ) -> tuple[Rows, tuple[Reason, ...]]:
        """The entities a rule of ``scope`` (limited to ``segments``) is evaluated for,
        and the notes of listing them (0-student segments left out)."""
        key = (scope, segments)
        out = self._rules.get(key)
        if out is None:
            out = self._rules[key] = _prepare.rule_rows(self, scope, segments)
        return out

    def not_applicable(self, row: int) -> tuple[Reason | None, Effect]:
        """Why county segment ``row`` is 不适用 (the county has no such schools), and the
        effects of finding out."""
        return _prepare.not_applicable(self, row)


def _scale(info: FieldInfo) -> Fraction:
    return info.unit.scale if info.unit is not None else _ONE


def populate(
    county: models.County, settings: Settings, fields: Iterable[FieldInfo] = ()
) -> Population:
    """Build the entity tables of ``county`` under ``settings`` (see the module doc).

    Args:
        county: the county's data.
        settings: the rule set's typed settings (:meth:`Settings.of`).
        fields: the fields whose columns to compute now (the others are computed on
            first use).

    Returns:
        The :class:`Population`.
    """
    pop = Population(county, settings)
    for info in fields:
        pop.column(info)
    return pop
