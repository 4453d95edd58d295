"""The columnar population: the entity tables of many counties at once, as arrays.

A :class:`Frame` holds, per scope (county, county segment, school, school segment,
class), the rows of every county together, in county order and, within a county, in
the record population's row order (:class:`eduint.engine.population.Table`), so that
row ``r`` of county ``i`` is row ``r - start[i]`` of that county's population:

* ``county``: each row's county index; ``start``: where each county's rows begin;
* ``parent``: the row of the parent entity (a school segment's school …);
* ``seg``: the segment code (index into :class:`~eduint.data.models.Segment`, -1 for none);
* ``mult``: multiplicities (a size band of N classes counts N times), or ``None`` (all 1).

Classes are not given a parent array (4.3 million rows at national scale): a segment's
classes are contiguous, so ``class_offsets`` (CSR over the segment rows) locates them.

Per field, :meth:`Frame.column` gives a column value (:mod:`._values`): int64 numerators
over one denominator where every exact figure fits (a figure in 元 with 2 decimals is
an int64 of fen over 100), else float64 with its error bound, and the masks of missing
figures (unknown) and of figures that are ranges or approximate (deferred: the entities
that read them are decided by the record engine).

Two kinds of frame:

* :class:`PopulationFrame` (here): built from record-engine populations, one per county
  (small runs, the differential tests): every decision of the population pass (schools
  left out or merged, one-through splits, 0-student segments, class-count clashes, lists
  missing or incomplete) is the population's own;
* :class:`~eduint.engine.columnar._arrays.ArrayFrame`: built from arrays, one row per
  school segment with class sizes as a flat array and offsets (perfref's columns,
  national input), with the same decisions made vectorised; a county's models are built
  only when a county needs the record engine.
"""

from __future__ import annotations

import datetime
import enum
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from eduint.checking.schema import FieldInfo, ScopeKind
from eduint.checking.settings import Settings
from eduint.core import values as v
from eduint.core.values import Code
from eduint.data import models
from eduint.engine._prepare import CLASS, COUNTY, COUNTY_SEGMENT, SCHOOL, SEGMENT
from eduint.engine.columnar._values import KIND_RANK, Bool, Num, Sym, Unsupported

if TYPE_CHECKING:
    from eduint.engine.population import Population

__all__ = [
    "CODES",
    "SEGMENTS",
    "Frame",
    "Members",
    "PopulationFrame",
    "ScopeTable",
    "values_to_column",
]

#: Keys of a keyed value that are a school's own category: key → (School attribute, enum).
SCHOOL_KEYS: dict[str, tuple[str, type[enum.Enum]]] = {
    "location": ("location", models.Location),
    "school_kind": ("kind", models.SchoolKind),
}

#: Segment codes: index into this tuple.
SEGMENTS: tuple[models.Segment, ...] = tuple(models.Segment)
#: Reason codes as small integers (index into this tuple).
CODES: tuple[Code, ...] = tuple(Code)
_CODE_INDEX = {c: i for i, c in enumerate(CODES)}
#: List status: complete, incomplete (gaps or not declared complete), missing.
COMPLETE, INCOMPLETE, MISSING = 0, 1, 2


class ScopeTable:
    """The rows of one scope across all counties (see the module doc).

    Attributes:
        scope: the scope; n: the number of rows.
        county: each row's county index (int64); start: offsets per county (C+1).
        parent: each row's parent row (int64), or ``None`` (the county, classes).
        seg: each row's segment code (int8, -1 for none), or ``None`` (no segments).
        mult: multiplicities (int64), or ``None`` when all are 1.
    """

    def __init__(
        self,
        scope: ScopeKind,
        county: Any,
        start: Any,
        parent: Any = None,
        seg: Any = None,
        mult: Any = None,
    ) -> None:
        self.scope = scope
        self.n = len(county)
        self.county = county
        self.start = start
        self.parent = parent
        self.seg = seg
        self.mult = mult


class Members:
    """Who an aggregate of one scope ranges over, for every entity of the scope.

    Attributes:
        rows: the member rows (of the scope ranged over), or ``None``: every row of it,
            in order (``groups`` then maps each of them).
        groups: the entity (row of the aggregate's scope) of each member.
        status: per entity, whether its list is complete, incomplete or missing
            (:data:`COMPLETE`, :data:`INCOMPLETE`, :data:`MISSING`), or ``None`` (all complete).
    """

    def __init__(self, rows: Any, groups: Any, status: Any) -> None:
        self.rows = rows
        self.groups = groups
        self.status = status


class Frame:
    """The columnar population of many counties (see the module doc).

    Subclasses fill :attr:`tables`, :attr:`class_offsets`, :attr:`class_status`,
    :attr:`dates` and implement the column and list methods.

    Attributes:
        settings: the rule set's typed settings the data was prepared under.
        counties: the number of counties.
        names: each county's name (for messages and summaries); codes: its code or ``None``.
        tables: scope → :class:`ScopeTable`.
        class_offsets: CSR offsets of each school segment's classes (int64, n+1).
        class_status: per school segment, whether its class list is complete
            (:data:`COMPLETE`, :data:`INCOMPLETE`, :data:`MISSING`; a class-count clash
            is missing), or ``None`` (all complete).
        dates: each county's own date (``as_of``, school year …), ``None`` if it has none.
    """

    settings: Settings
    counties: int
    names: list[str]
    codes: list[str | None]
    tables: dict[ScopeKind, ScopeTable]
    class_offsets: Any
    class_status: Any
    dates: list[datetime.date | None]

    def __init__(self) -> None:
        self._anc: dict[tuple[ScopeKind, ScopeKind], Any] = {}

    # ------------------------------------------------------------ structure
    def ancestor(self, scope: ScopeKind, target: ScopeKind) -> Any:
        """For each row of ``scope``, its ancestor's row in ``target`` (int64)."""
        import numpy as np

        key = (scope, target)
        hit = self._anc.get(key)
        if hit is not None:
            return hit
        t = self.tables[scope]
        if target == scope:
            out = np.arange(t.n, dtype=np.int64)
        elif target == COUNTY:
            out = t.county
        elif target == COUNTY_SEGMENT:
            seg = self.segment_codes(scope)
            out = t.county * len(SEGMENTS) + np.maximum(seg, 0)
        elif scope == CLASS:
            segrow = self.class_segment_rows()
            out = segrow if target == SEGMENT else self.ancestor(SEGMENT, target)[segrow]
        else:
            assert t.parent is not None and scope.parent is not None
            out = t.parent if scope.parent == target else self.ancestor(scope.parent, target)[t.parent]
        self._anc[key] = out
        return out

    def segment_codes(self, scope: ScopeKind) -> Any:
        """Each row's segment code (-1 for none) in ``scope``."""
        import numpy as np

        t = self.tables[scope]
        if scope == CLASS:
            return self.segment_codes(SEGMENT)[self.class_segment_rows()]
        if t.seg is None:
            return np.full(t.n, -1, dtype=np.int8)
        return t.seg

    def class_segment_rows(self) -> Any:
        """Each class row's school segment row (int64; made on first use)."""
        import numpy as np

        hit = self._anc.get((CLASS, CLASS))
        if hit is None:
            counts = np.diff(self.class_offsets)
            hit = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
            self._anc[(CLASS, CLASS)] = hit
        return hit

    def small_ints(self, info: FieldInfo) -> tuple[Any, Num]:
        """A whole-number column as an integer array to index with, and its column
        (whose bounds, masks and denominator say whether the array may be used)."""
        col = self.column(info)
        if not isinstance(col, Num) or not col.exact:
            return None, Num(0, f=None)
        return col.n, col

    # ----------------------------------------------------- to be implemented
    def column(self, info: FieldInfo) -> Num | Bool | Sym:
        """The column a rule's reference to ``info`` reads (rows of ``info.scope``).

        Raises:
            Unsupported: the frame cannot give this field as a column.
        """
        raise NotImplementedError

    def weights(self, scope: ScopeKind) -> Num:
        """The default weight of a 差异系数 over ``scope``: each entity's 在校生数."""
        raise NotImplementedError

    def members(self, scope: ScopeKind, over: ScopeKind) -> Members:
        """Who an aggregate in ``scope`` over ``over`` ranges over (``over`` ≠ class)."""
        raise NotImplementedError

    def rule_rows(self, scope: ScopeKind, segments: tuple[str, ...] | None) -> tuple[Any, Any]:
        """The entities a rule of ``scope`` (limited to ``segments``) is evaluated for: a
        mask over the scope's rows, and per county the status of the list (complete,
        incomplete, missing)."""
        raise NotImplementedError

    def not_applicable(self) -> Any:
        """Per county segment row, the reason code index (:data:`CODES`) why it is 不适用
        (the county has no schools of the segment), or -1."""
        raise NotImplementedError

    def key_codes(self, kind: str, scope: ScopeKind) -> Sym:
        """The key of a keyed value (``location``, ``region``) for each row of ``scope``.

        Raises:
            Unsupported: a key kind the frame cannot give.
        """
        raise NotImplementedError

    def county_model(self, i: int) -> models.County:
        """County ``i``'s data as models (built on demand for an array frame)."""
        raise NotImplementedError

    def dating(self, i: int) -> models.County:
        """County ``i`` as far as its evaluation date goes (its ``as_of``, ``date_basis``,
        ``school_year``): :meth:`county_model` here; an array frame, which holds no
        county figures, gives a county without schools rather than build them all."""
        return self.county_model(i)

    def population(self, i: int) -> Population:
        """County ``i``'s record-engine population (cached)."""
        raise NotImplementedError


# ------------------------------------------------------------ conversion


def _lcm_fit(values: Sequence[int | Fraction]) -> int | None:
    """The common denominator of exact numbers if every numerator over it fits int64
    with room (below 2⁶²), else ``None``."""
    den = 1
    for x in values:
        if type(x) is Fraction:
            den = math.lcm(den, x.denominator)
            if den > 2**53:
                return None
    top = 0
    for x in values:
        top = max(top, abs(int(x)) + 1)
    if top * den >= 2**62:
        return None
    return den


def values_to_column(values: Sequence[v.Value], kind: str, cats: tuple[str, ...] = ()) -> Num | Bool | Sym:
    """A list of values (:mod:`eduint.core.values`) as a column value.

    ``kind`` is the field's kind (``quantity``, ``number``, ``flag``, ``enum``, ``text``):
    numbers become :class:`Num` (ranges and approximate figures deferred), flags
    :class:`Bool`, enums and text :class:`Sym` (``cats``: the known symbols first).
    Unknowns are unknown rows with their kind.

    Raises:
        Unsupported: a kind of field the engine does not read as a column (dates).
    """
    import numpy as np

    n = len(values)
    unk = np.zeros(n, dtype=bool)
    defer = np.zeros(n, dtype=bool)
    kinds = np.zeros(n, dtype=np.int8)
    if kind in ("quantity", "number"):
        exact: list[int | Fraction] = []
        for i, x in enumerate(values):
            t = type(x)
            if t is int or t is Fraction:
                exact.append(x)  # type: ignore[arg-type]
                continue
            exact.append(0)
            if t is v.Unknown:
                unk[i] = True
                kinds[i] = KIND_RANK[x.kind]  # type: ignore[union-attr]
            else:
                defer[i] = True  # a range, an approximate figure, a bracket
        return _num_column(exact, unk, kinds, defer)
    if kind == "flag":
        out = np.zeros(n, dtype=bool)
        for i, x in enumerate(values):
            if x is True or x is False:
                out[i] = x
            elif type(x) is v.Unknown:
                unk[i] = True
                kinds[i] = KIND_RANK[x.kind]
            else:
                defer[i] = True
        return Bool(n, out, *_masks(unk, kinds, defer))
    if kind in ("enum", "text"):
        names: dict[str, int] = {c: i for i, c in enumerate(cats)}
        codes = np.full(n, -1, dtype=np.int64)
        for i, x in enumerate(values):
            if type(x) is str:
                codes[i] = names.setdefault(x, len(names))
            elif type(x) is v.Unknown:
                unk[i] = True
                kinds[i] = KIND_RANK[x.kind]
            else:
                defer[i] = True
        return Sym(n, codes, tuple(names), *_masks(unk, kinds, defer))
    raise Unsupported(f"a field of kind {kind}")


def _masks(unk: Any, kinds: Any, defer: Any) -> tuple[Any, Any, Any]:
    return (
        unk if unk.any() else None,
        kinds if kinds.any() else None,
        defer if defer.any() else None,
    )


def _num_column(exact: list[int | Fraction], unk: Any, kinds: Any, defer: Any) -> Num:
    import numpy as np

    n = len(exact)
    masks = _masks(unk, kinds, defer)
    den = _lcm_fit(exact)
    if den is not None:
        if den == 1:
            arr = np.array(exact, dtype=np.int64) if n else np.zeros(0, np.int64)
        else:
            arr = np.array([int(x * den) for x in exact], dtype=np.int64)
        top = int(np.abs(arr).max()) if n else 0
        nonneg = bool((arr >= 0).all()) if n else True
        return Num(n, arr, den, top, den, nonneg, unk=masks[0], kind=masks[1], defer=masks[2])
    f = np.array([float(x) for x in exact], dtype=np.float64)
    # float(Fraction) rounds correctly: one rounding
    return Num(n, f=f, err=np.abs(f) * 2.0**-53, unk=masks[0], kind=masks[1], defer=masks[2])


def enum_cats(info: FieldInfo) -> tuple[str, ...]:
    """The symbols of an enum field, in declaration order (``()`` for text)."""
    if info.enum is None:
        return ()
    return tuple(str(e.value) for e in info.enum)


# --------------------------------------------------------- from populations


class PopulationFrame(Frame):
    """A frame over record-engine populations, one per county (see the module doc).

    Every column, list and disposition is the population's own, so the two engines
    read the same data the same way by construction.

    Args:
        pops: one population per county, all under the same settings.
        dates: each county's date to evaluate at (``None``: none).
    """

    def __init__(self, pops: Sequence[Population], dates: Sequence[datetime.date | None]) -> None:
        import numpy as np

        super().__init__()
        if not pops:
            raise ValueError("no counties")
        self.pops = list(pops)
        self.settings = pops[0].settings
        self.counties = len(pops)
        self.names = [p.county.name for p in pops]
        self.codes = [p.county.code for p in pops]
        self.dates = list(dates)
        self._cols: dict[tuple[object, ...], Any] = {}
        self.tables = {}
        starts: dict[ScopeKind, Any] = {}
        for scope in ScopeKind:
            sizes = [len(p.tables[scope]) for p in pops]
            start = np.zeros(len(pops) + 1, dtype=np.int64)
            np.cumsum(sizes, out=start[1:])
            starts[scope] = start
            county = np.repeat(np.arange(len(pops), dtype=np.int64), sizes)
            seg = parent = mult = None
            if scope != COUNTY:
                seg = np.array(
                    [_SEG_CODE.get(s, -1) for p in pops for s in p.tables[scope].segment],
                    dtype=np.int8,
                )
                mults = [m for p in pops for m in p.tables[scope].mult]
                if any(m != 1 for m in mults):
                    mult = np.array(mults, dtype=np.int64)
            if scope not in (COUNTY, CLASS):
                assert scope.parent is not None
                base = starts[scope.parent]
                parent = np.array(
                    [r + int(base[i]) for i, p in enumerate(pops) for r in p.tables[scope].parent],
                    dtype=np.int64,
                )
            self.tables[scope] = ScopeTable(scope, county, start, parent, seg, mult)
        self._classes()

    def _classes(self) -> None:
        import numpy as np

        segs = self.tables[SEGMENT]
        off = np.zeros(segs.n + 1, dtype=np.int64)
        status = np.zeros(segs.n, dtype=np.int8)
        cstart = self.tables[CLASS].start
        k = 0
        for i, p in enumerate(self.pops):
            for r in range(len(p.tables[SEGMENT])):
                lst = p.class_rows(r)
                if lst.rows:
                    assert lst.rows[0] + int(cstart[i]) == off[k]  # contiguous, in order
                off[k + 1] = off[k] + len(lst.rows)
                status[k] = _status(lst)
                k += 1
        self.class_offsets = off
        self.class_status = status if status.any() else None

    # -------------------------------------------------------------- columns
    def column(self, info: FieldInfo) -> Num | Bool | Sym:
        key = ("field", info)
        col = self._cols.get(key)
        if col is None:
            values = [x for p in self.pops for x in p.column(info).values]
            col = self._cols[key] = values_to_column(values, info.kind, enum_cats(info))
        return col

    def weights(self, scope: ScopeKind) -> Num:
        key = ("weights", scope)
        col = self._cols.get(key)
        if col is None:
            values = [x for p in self.pops for x in p.weights(scope).values]
            col = self._cols[key] = values_to_column(values, "number")
        return col  # type: ignore[return-value]

    def members(self, scope: ScopeKind, over: ScopeKind) -> Members:
        import numpy as np

        key = ("members", scope, over)
        hit = self._cols.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        rows: list[int] = []
        groups: list[int] = []
        status = np.zeros(self.tables[scope].n, dtype=np.int8)
        base, own = self.tables[over].start, self.tables[scope].start
        for i, p in enumerate(self.pops):
            b, o = int(base[i]), int(own[i])
            for r in range(len(p.tables[scope])):
                lst = p.below(scope, r, over)
                status[o + r] = _status(lst)
                rows.extend(x + b for x in lst.rows)
                groups.extend([o + r] * len(lst.rows))
        out = Members(
            np.array(rows, dtype=np.int64),
            np.array(groups, dtype=np.int64),
            status if status.any() else None,
        )
        self._cols[key] = out
        return out

    def rule_rows(self, scope: ScopeKind, segments: tuple[str, ...] | None) -> tuple[Any, Any]:
        import numpy as np

        key = ("rule", scope, segments)
        hit = self._cols.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        t = self.tables[scope]
        mask = np.zeros(t.n, dtype=bool)
        status = np.zeros(self.counties, dtype=np.int8)
        for i, p in enumerate(self.pops):
            lst, _ = p.rule_rows(scope, segments)
            status[i] = _status(lst)
            if lst.rows:
                mask[np.array(lst.rows, dtype=np.int64) + int(t.start[i])] = True
        self._cols[key] = (mask, status)
        return mask, status

    def not_applicable(self) -> Any:
        import numpy as np

        hit = self._cols.get(("na",))
        if hit is None:
            out = []
            for p in self.pops:
                for r in range(len(p.tables[COUNTY_SEGMENT])):
                    why, _ = p.not_applicable(r)
                    out.append(_CODE_INDEX[why.code] if why is not None else -1)
            hit = self._cols[("na",)] = np.array(out, dtype=np.int16)
        return hit

    def key_codes(self, kind: str, scope: ScopeKind) -> Sym:
        import numpy as np

        key = ("key", kind, scope)
        hit = self._cols.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        t = self.tables[scope]
        if kind == "region":
            cats = tuple(str(r.value) for r in models.Region)
            per = [cats.index(p.county.region.value) if p.county.region is not None else -1
                   for p in self.pops]
            codes = np.array(per, dtype=np.int64)[t.county]
        elif kind in SCHOOL_KEYS:
            attr, enum_cls = SCHOOL_KEYS[kind]
            cats = tuple(str(x.value) for x in enum_cls)
            if scope in (COUNTY, COUNTY_SEGMENT):
                codes = np.full(t.n, -1, dtype=np.int64)
            else:
                per_school = [
                    cats.index(x.value) if (x := getattr(s, attr)) is not None else -1
                    for p in self.pops
                    for s in p.tables[SCHOOL].objs
                ]
                codes = np.array(per_school, dtype=np.int64)[self.ancestor(scope, SCHOOL)]
        elif kind == "province":
            cats, per = _province_codes([p.county.province for p in self.pops])
            codes = np.array(per, dtype=np.int64)[t.county]
        else:
            raise Unsupported(f"values keyed by {kind}")
        missing = codes < 0
        out = Sym(t.n, codes, cats, unk=missing if missing.any() else None)
        self._cols[key] = out
        return out

    def county_model(self, i: int) -> models.County:
        return self.pops[i].county

    def population(self, i: int) -> Population:
        return self.pops[i]


_SEG_CODE: dict[models.Segment | None, int] = {s: i for i, s in enumerate(SEGMENTS)}


def _province_codes(names: Sequence[str | None]) -> tuple[tuple[str, ...], list[int]]:
    """Each county's province key as the record engine reads it (the short name; a
    province the list does not know, as given; -1 when none is given), and the keys."""
    from eduint.core.regions import province_key

    cats: dict[str, int] = {}
    per = []
    for name in names:
        key = province_key(name)
        if key is None and name:
            key = name.strip()  # as the record engine: named as given, even blank
        per.append(-1 if key is None else cats.setdefault(key, len(cats)))
    return tuple(cats), per


def _status(lst: Any) -> int:
    """A list's status: :data:`MISSING`, :data:`INCOMPLETE` or :data:`COMPLETE`."""
    if lst.missing is not None:
        return MISSING
    return COMPLETE if lst.complete else INCOMPLETE
