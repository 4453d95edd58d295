"""A frame straight from arrays: one row per school segment, classes as a flat array.

:func:`frame_from_arrays` takes what a national data set holds (perfref's columns, a
Parquet or CSV file read into arrays): per school-segment row its county (dense index,
rows ordered by county), school id, segment and figures (named as the data model's
:class:`~eduint.data.models.SchoolSegment` fields), optionally the school's kind,
ownership and location, and the class sizes as one flat array with CSR offsets.  No
per-row Python object is made.

The population pass's decisions are made vectorised, as :mod:`eduint.engine._prepare`
and :mod:`eduint.engine._columns` make them for models: schools the settings leave out
(特殊教育学校, 民办, 教学点, small 教学点) are dropped; a school segment with 0 students is
not an entity of a segment rule; a 班级数 that contradicts the class list makes that list
missing; a school's 在校生数 is its segments' sum; 教学及辅助用房计算面积 subtracts the
indoor sports area when the settings say so; a county's (or county segment's) 在校生数 and
专任教师数 are summed over its complete school list.  Figures given as floats are the
exact decimals of their shortest text (``1234.56`` is 123456/100, as a user typing it
would give it): columns whose figures have at most 4 decimals become int64 numerators
over a power of ten, which is exact.  What arrays cannot express (merging 教学点 into
central schools) raises :class:`~._values.Unsupported`: build the frame from models then.

When a county needs the record engine (a deferred entity, a fallback rule, its full
report), its models are built from the same arrays, with the same figures
(:meth:`ArrayFrame.county_model`), so both engines read the same data.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from eduint.checking.schema import FieldInfo, ScopeKind
from eduint.checking.settings import Settings
from eduint.core.values import Code
from eduint.data import models
from eduint.engine._prepare import CLASS, COUNTY, COUNTY_SEGMENT, SCHOOL, SEGMENT
from eduint.engine.columnar._values import Bool, Num, Sym, Unsupported
from eduint.engine.columnar.frame import (
    CODES,
    COMPLETE,
    INCOMPLETE,
    MISSING,
    SCHOOL_KEYS,
    SEGMENTS,
    Frame,
    Members,
    ScopeTable,
    enum_cats,
)

if TYPE_CHECKING:
    from eduint.engine.population import Population

__all__ = ["ArrayFrame", "frame_from_arrays"]

_NSEG = len(SEGMENTS)
_PHYSICAL_SUMMED = {COUNTY: ("students", "full_time_teachers"),
                    COUNTY_SEGMENT: ("students", "full_time_teachers", "approved_posts")}
_NA_CODE = CODES.index(Code.NO_SEGMENT_IN_LIST)


def _num_array(values: Any, missing: Any = None) -> Num:
    """A figure column from an int or float array (NaN or ``missing``: not given)."""
    import numpy as np

    a = np.asarray(values)
    n = len(a)
    if a.dtype.kind in "iub":
        arr = a.astype(np.int64, copy=False)
        unk = missing if missing is not None and missing.any() else None
        if unk is not None:
            arr = np.where(unk, 0, arr)
        lo, hi = (int(arr.min()), int(arr.max())) if n else (0, 0)
        return Num(n, arr, 1, max(hi, -lo), 1, lo >= 0, unk=unk)
    f = a.astype(np.float64, copy=False)
    nan = np.isnan(f)
    if missing is not None:
        nan = nan | missing
    unk = nan if nan.any() else None
    f0 = np.where(nan, 0.0, f) if unk is not None else f
    head = f0[:512]
    for k in range(5):
        scale = 10.0**k
        # most columns fail at a small k on their first rows already: test those first
        if len(f0) > 4096 and not np.array_equal(np.rint(head * scale) / scale, head):
            continue
        # k = 0 (whole numbers, the usual case): f·1 and r/1 are f and r themselves
        r = np.rint(f0 * scale) if k else np.rint(f0)
        rlo, rhi = (float(r.min()), float(r.max())) if n else (0.0, 0.0)
        # r / 10^k rounds to f exactly, and r has at most 15 digits: the shortest
        # decimal text of f is r / 10^k itself (DBL_DIG = 15)
        if -1e15 < rlo and rhi < 1e15 and np.array_equal(r / scale if k else r, f0):
            # |r| < 10^15: rlo and rhi are whole and exact, the int64 ones
            return Num(n, r.astype(np.int64), 10**k, int(max(rhi, -rlo)), 10**k,
                       rlo >= 0, unk=unk)
    # the exact value is the decimal of the shortest text: within u·|f| of f
    return Num(n, f=f0, err=np.abs(f0) * 2.0**-53, unk=unk)


def _missing_num(n: int) -> Num:
    import numpy as np

    return Num(n, np.zeros(n, dtype=np.int64), 1, 0, 1, True, unk=np.ones(n, dtype=bool))


class ArrayFrame(Frame):
    """A frame built from arrays (see the module doc and :func:`frame_from_arrays`)."""

    def __init__(self) -> None:
        super().__init__()
        self._cols: dict[tuple[object, ...], Any] = {}
        self._models: dict[int, models.County] = {}
        self._pops: dict[int, Population] = {}
        self.fields: dict[str, Any] = {}
        self.missing: dict[str, Any] = {}
        self.complete = True
        self.school_ids: Any = None
        self.school_names: Any = None  # per school, its 学校名称 ("" blank), or None
        self.school_kind: Any = None
        self.location: Any = None
        self.ownership: Any = None
        self.region: Any = None
        self.raw: dict[str, Any] = {}
        self.class_sizes: Any = None
        self.class_high: Any = None  # size bands: each entry's upper bound (-1: and over)

    # -------------------------------------------------------------- columns
    def column(self, info: FieldInfo) -> Num | Bool | Sym:
        key = ("field", info)
        col = self._cols.get(key)
        if col is None:
            col = self._cols[key] = self._column(info)
        return col

    def _column(self, info: FieldInfo) -> Num | Bool | Sym:  # noqa: C901 - one case per route
        import numpy as np

        scope, name = info.scope, info.name
        t = self.tables[scope]
        if info.kind == "date":
            raise Unsupported("a date field")
        if info.unit is not None and info.unit.scale != 1:
            raise Unsupported(f"{name} in a scaled unit")
        if scope == SEGMENT:
            if name == "segment":
                return Sym(t.n, t.seg.astype(np.int64), tuple(s.value for s in SEGMENTS))
            if name == "teaching_area_net":
                area = self._figure("floor_area_teaching")
                if not self.settings.subtract_indoor_sports:
                    return area
                from eduint.engine.columnar._values import add

                return add(area, self._figure("indoor_sports_area"), -1)
            return self._figure(name)
        if scope == CLASS:
            if name == "size":
                return self._sizes()
            return _missing_num(t.n) if info.kind in ("quantity", "number") else _missing(info, t.n)
        if scope == SCHOOL:
            if name in ("students", "compulsory_students") and info.derived:
                return self._school_students(name == "compulsory_students")
            for attr, codes in (("kind", self.school_kind), ("location", self.location),
                                ("ownership", self.ownership)):
                if name == attr and codes is not None:
                    miss = codes < 0
                    return Sym(t.n, codes.astype(np.int64), enum_cats(info),
                               unk=miss if miss.any() else None)
            if name == "id":
                raise Unsupported("school ids as a column")
            return _missing(info, t.n)
        if name in _PHYSICAL_SUMMED.get(scope, ()) and self.complete:
            return self._summed(scope, name)
        return _missing(info, t.n)

    def _figure(self, name: str) -> Num:
        """A school-segment figure as given (missing when the arrays lack it)."""
        key = ("figure", name)
        col = self._cols.get(key)
        if col is None:
            raw = self.fields.get(name)
            n = self.tables[SEGMENT].n
            col = _missing_num(n) if raw is None else _num_array(raw, self.missing.get(name))
            self._cols[key] = col
        return col

    def _sizes(self) -> Num:
        import numpy as np

        sizes = self.class_sizes
        if sizes.dtype.kind == "f":
            return _num_array(sizes)
        top = int(np.abs(sizes).max(initial=0)) if len(sizes) else 0
        nonneg = bool(sizes.min(initial=0) >= 0) if len(sizes) else True
        defer = None
        if self.class_high is not None:
            # a size band's classes have a size between its bounds, as the record engine
            # reads them (an interval): whoever reads them is decided there
            band = self.class_high != sizes
            defer = band if band.any() else None
        return Num(len(sizes), sizes.astype(np.int64), 1, top, 1, nonneg, defer=defer)

    def small_ints(self, info: FieldInfo) -> tuple[Any, Num]:

        if (info.scope == CLASS and info.name == "size" and self.class_sizes.dtype.kind in "iu"
                and self.class_high is None):
            sizes = self.class_sizes
            # the largest magnitude from the extremes (no |sizes| array of 4.3 million)
            lo, hi = (int(sizes.min()), int(sizes.max())) if len(sizes) else (0, 0)
            top = max(-lo, hi, 0)
            nonneg = lo >= 0
            # the input's own integer array: the packed counts only index with it
            return sizes, Num(len(sizes), None, 1, top, 1, nonneg, f=None)
        return super().small_ints(info)

    def _school_students(self, compulsory: bool) -> Num:
        import numpy as np

        students = self._figure("students")
        seg = self.tables[SEGMENT]
        n = self.tables[SCHOOL].n
        take = np.ones(seg.n, dtype=bool) if not compulsory else seg.seg < 2
        vals = np.where(take, students.n, 0).astype(np.float64)
        total = np.rint(np.bincount(seg.parent, weights=vals, minlength=n)).astype(np.int64)
        unk = None
        if students.unk is not None:
            hit = students.unk & take
            if hit.any():
                unk = np.bincount(seg.parent[hit], minlength=n) > 0
        top = int(np.abs(total).max(initial=0))
        return Num(n, total, 1, top, 1, bool((total >= 0).all()), unk=unk)

    def _summed(self, scope: ScopeKind, name: str) -> Num:
        import numpy as np

        fig = self._figure(name)
        if not (fig.exact and isinstance(fig.d, int)):
            return _missing_num(self.tables[scope].n)
        seg = self.tables[SEGMENT]
        n = self.tables[scope].n
        ids = seg.county if scope == COUNTY else seg.county * _NSEG + seg.seg
        vals = np.broadcast_to(fig.n, (seg.n,)).astype(np.float64)
        total = np.rint(np.bincount(ids, weights=vals, minlength=n)).astype(np.int64)
        unk = None
        if fig.unk is not None:
            unk = np.bincount(ids[fig.unk], minlength=n) > 0
        top = int(np.abs(total).max(initial=0))
        return Num(n, total, fig.d, top, fig.d, bool((total >= 0).all()), unk=unk)

    def weights(self, scope: ScopeKind) -> Num:
        if scope == SCHOOL:
            return self._school_students(False)
        if scope == SEGMENT:
            return self._figure("students")
        raise Unsupported(f"a 差异系数 over {scope.value}")

    # ---------------------------------------------------------------- lists
    def members(self, scope: ScopeKind, over: ScopeKind) -> Members:
        import numpy as np

        key = ("members", scope, over)
        hit = self._cols.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        seg = self.tables[SEGMENT]
        status = None
        if scope in (COUNTY, COUNTY_SEGMENT) and not self.complete:
            status = np.full(self.tables[scope].n, INCOMPLETE, dtype=np.int8)
        if scope == COUNTY_SEGMENT and over == SCHOOL:
            out = Members(seg.parent, seg.county * _NSEG + seg.seg, status)
        elif scope == SCHOOL and over == SEGMENT:
            out = Members(None, seg.parent, None)
        else:
            out = Members(None, self.ancestor(over, scope), status)
        self._cols[key] = out
        return out

    def rule_rows(self, scope: ScopeKind, segments: tuple[str, ...] | None) -> tuple[Any, Any]:
        import numpy as np

        key = ("rule", scope, segments)
        hit = self._cols.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        t = self.tables[scope]
        codes = [i for i, s in enumerate(SEGMENTS) if segments is None or s.value in segments]
        status = np.full(self.counties, COMPLETE if self.complete else INCOMPLETE, dtype=np.int8)
        if scope == COUNTY:
            mask = np.ones(t.n, dtype=bool)
            status[:] = COMPLETE
        elif scope == COUNTY_SEGMENT:
            mask = np.isin(t.seg, codes)
            status[:] = COMPLETE
        elif scope == SCHOOL:
            seg = self.tables[SEGMENT]
            mask = np.zeros(t.n, dtype=bool)
            mask[seg.parent[np.isin(seg.seg, codes)]] = True
        elif scope == SEGMENT:
            students = self._figure("students")
            zero = (students.n == 0) if students.exact else np.zeros(t.n, dtype=bool)
            if students.unk is not None:
                zero &= ~students.unk
            mask = np.isin(t.seg, codes) & ~zero
        else:
            mask = np.isin(self.segment_codes(CLASS), codes) if segments is not None else \
                np.ones(t.n, dtype=bool)
            if self.class_status is not None:
                # a county one of whose school segments has no class list (or one its
                # 班级数 contradicts) has an incomplete list of classes, as the record
                # engine's (_prepare.below): 缺少数据, not 不适用, when none is known
                seg = self.tables[SEGMENT]
                gone = np.bincount(seg.county[self.class_status > COMPLETE],
                                   minlength=self.counties) > 0
                status = np.where(gone & (status == COMPLETE), INCOMPLETE, status)
                status = status.astype(np.int8)
        self._cols[key] = (mask, status)
        return mask, status

    def not_applicable(self) -> Any:
        import numpy as np

        hit = self._cols.get(("na",))
        if hit is None:
            seg = self.tables[SEGMENT]
            has = np.bincount(seg.county * _NSEG + seg.seg, minlength=self.counties * _NSEG) > 0
            hit = np.where(has | (not self.complete), -1, _NA_CODE).astype(np.int16)
            self._cols[("na",)] = hit
        return hit

    def key_codes(self, kind: str, scope: ScopeKind) -> Sym:
        import numpy as np

        t = self.tables[scope]
        if kind in SCHOOL_KEYS:
            cats = tuple(str(x.value) for x in SCHOOL_KEYS[kind][1])
            per_school = self.location if kind == "location" else self.school_kind
            if scope in (COUNTY, COUNTY_SEGMENT) or per_school is None:
                codes = np.full(t.n, -1, dtype=np.int64)
            else:
                codes = per_school.astype(np.int64)[self.ancestor(scope, SCHOOL)]
        elif kind == "region":
            cats = tuple(x.value for x in models.Region)
            per = self.region if self.region is not None else np.full(self.counties, -1)
            codes = np.asarray(per, dtype=np.int64)[t.county]
        else:
            raise Unsupported(f"values keyed by {kind}")  # province: arrays name none
        miss = codes < 0
        return Sym(t.n, codes, cats, unk=miss if miss.any() else None)

    # ---------------------------------------------------------------- models
    def county_model(self, i: int) -> models.County:
        hit = self._models.get(i)
        if hit is None:
            hit = self._models[i] = _build_county(self, i)
        return hit

    def dating(self, i: int) -> models.County:
        # the arrays give no county-level date, school year or basis: only the frame's
        # own date (never building the county's 1,000s of models to find nothing)
        return models.County(name=self.names[i], code=self.codes[i], as_of=self.dates[i])

    def population(self, i: int) -> Population:
        from eduint.engine.population import populate

        hit = self._pops.get(i)
        if hit is None:
            hit = self._pops[i] = populate(self.county_model(i), self.settings)
        return hit


def _missing(info: FieldInfo, n: int) -> Num | Bool | Sym:
    import numpy as np

    unk = np.ones(n, dtype=bool)
    if info.kind == "flag":
        return Bool(n, np.zeros(n, dtype=bool), unk)
    if info.kind in ("enum", "text"):
        return Sym(n, np.full(n, -1, dtype=np.int64), enum_cats(info), unk)
    return _missing_num(n)


# ---------------------------------------------------------------- building


def frame_from_arrays(
    settings: Settings,
    *,
    county: Any,
    school: Any,
    segment: Any,
    fields: Mapping[str, Any],
    class_sizes: Any,
    class_offsets: Any,
    county_names: Sequence[str],
    county_codes: Sequence[str | None] | None = None,
    dates: Sequence[datetime.date | None] | None = None,
    missing: Mapping[str, Any] | None = None,
    school_kind: Any = None,
    ownership: Any = None,
    location: Any = None,
    region: Any = None,
    complete: bool = True,
    class_mult: Any = None,
    class_high: Any = None,
    class_bands: Any = None,
    class_missing: Any = None,
    school_ids: Any = None,
    school_names: Any = None,
) -> ArrayFrame:
    """A frame from arrays, one row per school segment (see the module doc).

    Args:
        settings: the rule set's typed settings (:meth:`Settings.of`).
        county: each row's county index (0 … C-1), rows ordered by county.
        school: each row's school id (integers: ordered by value within a county; a
            school's rows are consecutive).
        segment: each row's segment code (0 小学, 1 初中, 2 高中), ordered within a school.
        fields: school-segment figures by field name (``students``,
            ``teachers_above_degree``, ``floor_area_teaching`` …): int arrays, or float
            arrays whose values are exact decimals; NaN is not given.
        class_sizes, class_offsets: every class's size (人), and per row the CSR offsets
            of its classes (n+1; the row's class list is complete).
        county_names, county_codes: per county.
        dates: per county, the date it is evaluated at when none is given (``None``).
        missing: per field, a mask of rows whose figure is not given.
        school_kind, ownership, location: per row, the index into
            :class:`~eduint.data.models.SchoolKind`, ``Ownership``, ``Location`` (-1: not
            given), or ``None``.
        region: per county, the index into :class:`~eduint.data.models.Region` (-1), or ``None``.
        complete: whether every county's school list is complete.
        class_mult, class_high: size bands among the class entries: per entry, how
            many classes it stands for and its upper bound (the size for a class, -1
            for a band "and over"; a band's ``class_sizes`` entry is its lower bound),
            or ``None`` (every entry one class of its size).
        class_bands: per row, whether its entries are size bands (for its models), or ``None``.
        class_missing: per row, whether its class list is not given (missing), or ``None``.
        school_ids: per row, the school's id as written (for its models and
            references), or ``None`` (``school`` as text).
        school_names: per row, the school's name as written (``""``: not given), or
            ``None``; a school's name is its first row's (the result tables' 学校名称).

    Raises:
        ValueError: rows out of order or arrays of different lengths.
        Unsupported: settings that merge 教学点 into their central schools.
    """
    import numpy as np

    f = ArrayFrame()
    f.settings = settings
    county = np.asarray(county, dtype=np.int64)
    n = len(county)
    C = len(county_names)
    school = np.asarray(school)
    segment = np.asarray(segment, dtype=np.int8)
    off = np.asarray(class_offsets, dtype=np.int64)
    if len(school) != n or len(segment) != n or len(off) != n + 1:
        raise ValueError("county, school, segment and class_offsets differ in length")
    if n and (np.any(np.diff(county) < 0) or county[-1] >= C or county[0] < 0):
        raise ValueError("rows must be ordered by county (0 … C-1)")
    f.raw = {"county": county, "school": school, "segment": segment, "offsets": off,
             "sizes": np.asarray(class_sizes), "fields": dict(fields),
             "missing": dict(missing or {}), "kind": school_kind, "ownership": ownership,
             "location": location, "mult": class_mult, "high": class_high,
             "bands": class_bands, "no_list": class_missing, "ids": school_ids,
             "names": school_names}
    keep = _kept_rows(settings, county, school, segment, fields, school_kind, ownership)
    if keep is not None:
        county, school, segment, fields, missing, class_sizes, off, school_kind, ownership, \
            location = _keep_rows(keep, f.raw, county, school, segment, off, school_kind,
                                  ownership, location)
        class_mult, class_high, class_missing = _keep_classes(keep, f.raw)
        n = len(county)
    new_school = np.ones(n, dtype=bool)
    if n > 1:
        new_school[1:] = (school[1:] != school[:-1]) | (county[1:] != county[:-1])
        same = ~new_school[1:]
        if np.any(same & (segment[1:] <= segment[:-1])):
            raise ValueError("a school's rows must be ordered by segment")
        if school.dtype.kind in "iu":
            nxt = new_school[1:] & (county[1:] == county[:-1])
            if np.any(school[1:][nxt] <= school[:-1][nxt]):
                raise ValueError("schools must be ordered by id within a county")
    parent = np.cumsum(new_school) - 1
    school_rows = np.flatnonzero(new_school)
    if school.dtype.kind not in "iu":
        _check_order(county[school_rows], school[school_rows])
    f.counties = C
    f.names = list(county_names)
    f.codes = list(county_codes) if county_codes is not None else [None] * C
    f.dates = list(dates) if dates is not None else [None] * C
    f.complete = complete
    f.fields = dict(fields)
    f.missing = dict(missing or {})
    f.class_sizes = np.asarray(class_sizes)
    f.class_high = np.asarray(class_high) if class_high is not None else None
    f.school_ids = school[school_rows]
    if f.raw["ids"] is not None:  # as written: ranks stand for ids that are not digits
        f.school_ids = np.asarray(f.raw["ids"])[keep][school_rows] if keep is not None \
            else np.asarray(f.raw["ids"])[school_rows]
    if school_names is not None:
        f.school_names = np.asarray(school_names)[keep][school_rows] if keep is not None \
            else np.asarray(school_names)[school_rows]
    f.school_kind = school_kind[school_rows] if school_kind is not None else None
    f.location = location[school_rows] if location is not None else None
    f.ownership = ownership[school_rows] if ownership is not None else None
    f.region = region
    s_county = county[school_rows]
    ar = np.arange(C + 1)
    f.tables = {
        COUNTY: ScopeTable(COUNTY, np.arange(C, dtype=np.int64), ar.astype(np.int64)),
        COUNTY_SEGMENT: ScopeTable(
            COUNTY_SEGMENT, np.repeat(np.arange(C, dtype=np.int64), _NSEG), ar * _NSEG,
            np.repeat(np.arange(C, dtype=np.int64), _NSEG),
            np.tile(np.arange(_NSEG, dtype=np.int8), C)),
        SCHOOL: ScopeTable(SCHOOL, s_county, np.searchsorted(s_county, ar), s_county),
        SEGMENT: ScopeTable(SEGMENT, county, np.searchsorted(county, ar), parent, segment),
    }
    ncls = int(off[-1]) if n else 0
    cls_county = None  # made on first use (4.3 million rows at national scale)
    f.class_offsets = off
    f.tables[CLASS] = _class_table(f, county, off, ncls, cls_county)
    if class_mult is not None and np.any(np.asarray(class_mult) != 1):
        f.tables[CLASS].mult = np.asarray(class_mult, dtype=np.int64)
    f.class_status = _class_status(f, off, class_missing)
    return f


def _keep_rows(keep: Any, raw: dict[str, Any], county: Any, school: Any, segment: Any,
               off: Any, school_kind: Any, ownership: Any, location: Any) -> tuple[Any, ...]:
    """The arrays of :func:`frame_from_arrays` restricted to the rows ``keep`` (the
    schools the settings leave out dropped), class sizes and offsets included."""
    import numpy as np

    fields = {k: np.asarray(v)[keep] for k, v in raw["fields"].items()}
    missing = {k: np.asarray(v)[keep] for k, v in raw["missing"].items()}
    counts = np.diff(off)[keep]
    class_sizes = raw["sizes"][_class_index(keep, off)]
    new_off = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=new_off[1:])
    return (county[keep], school[keep], segment[keep], fields, missing, class_sizes, new_off,
            school_kind[keep] if school_kind is not None else None,
            ownership[keep] if ownership is not None else None,
            location[keep] if location is not None else None)


def _class_index(keep: Any, off: Any) -> Any:
    """The class entries of the rows ``keep``, as indexes into the class arrays."""
    import numpy as np

    counts = np.diff(off)[keep]
    starts = off[:-1][keep]
    new_off = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=new_off[1:])
    return np.repeat(starts - new_off[:-1], counts) + np.arange(int(new_off[-1]))


def _keep_classes(keep: Any, raw: dict[str, Any]) -> tuple[Any, Any, Any]:
    """The bands' multiplicities and upper bounds, and the rows without a class list, of
    the rows ``keep`` (``None`` where the frame has none)."""
    import numpy as np

    mult, high, no_list = raw["mult"], raw["high"], raw["no_list"]
    if mult is not None or high is not None:
        idx = _class_index(keep, raw["offsets"])
        mult = np.asarray(mult)[idx] if mult is not None else None
        high = np.asarray(high)[idx] if high is not None else None
    return mult, high, np.asarray(no_list)[keep] if no_list is not None else None


def _check_order(county: Any, ids: Any) -> None:
    """Text school ids must be in the record population's order (digit runs by value)."""
    from eduint.core.refs import natural_key

    keys = [natural_key(str(x)) for x in ids.tolist()]
    cs = county.tolist()
    for k in range(1, len(keys)):
        if cs[k] == cs[k - 1] and not keys[k - 1] < keys[k]:
            raise ValueError("schools must be ordered by id within a county (digit runs by value)")


def _class_table(f: ArrayFrame, county: Any, off: Any, ncls: int, cls_county: Any) -> ScopeTable:
    """The class table: its county column is made from the CSR offsets only when read."""
    import numpy as np

    start = off[np.searchsorted(county, np.arange(f.counties + 1))] if len(county) else \
        np.zeros(f.counties + 1, dtype=np.int64)

    class _Lazy(ScopeTable):
        @property
        def county(self) -> Any:
            return county[f.class_segment_rows()]

        @county.setter
        def county(self, value: Any) -> None:
            pass

    t = _Lazy(CLASS, np.zeros(0), start)
    t.n = ncls
    return t


def _class_status(f: ArrayFrame, off: Any, no_list: Any = None) -> Any:
    """A row without a class list, or whose 班级数 contradicts its class list (or its
    size bands' total), has its list missing."""
    import numpy as np

    gone = np.asarray(no_list, dtype=bool) if no_list is not None else None
    stated = f.fields.get("class_count")
    col = _num_array(stated, f.missing.get("class_count")) if stated is not None else None
    if col is not None and col.exact:
        mult = f.tables[CLASS].mult
        if mult is None:
            counted = np.diff(off)
        else:
            csum = np.zeros(len(mult) + 1, dtype=np.int64)
            np.cumsum(mult, out=csum[1:])
            counted = csum[off[1:]] - csum[off[:-1]]
        clash = col.n != counted * col.d
        if col.unk is not None:
            clash &= ~col.unk
        if gone is not None:
            clash &= ~gone  # no list: nothing to contradict
        gone = clash if gone is None else gone | clash
    if gone is None or not gone.any():
        return None
    return np.where(gone, MISSING, COMPLETE).astype(np.int8)


def _kept_rows(
    settings: Settings, county: Any, school: Any, segment: Any, fields: Mapping[str, Any],
    kind: Any, ownership: Any,
) -> Any:
    """The rows of schools the settings count (``None``: all), as _prepare._left_out."""
    import numpy as np

    if kind is None and ownership is None:
        return None
    n = len(county)
    drop = np.zeros(n, dtype=bool)
    kinds = list(models.SchoolKind)
    if kind is not None:
        if not settings.include_special:
            drop |= kind == kinds.index(models.SchoolKind.SPECIAL)
        tp = kind == kinds.index(models.SchoolKind.TEACHING_POINT)
        if tp.any():
            if settings.teaching_points == "不计入":
                drop |= tp
            elif settings.teaching_points == "并入中心校":
                raise Unsupported("教学点 merged into central schools")
            elif settings.teaching_point_min_students > 0:
                raise Unsupported("a minimum size of 教学点")
    if ownership is not None and not settings.include_private:
        drop |= ownership == list(models.Ownership).index(models.Ownership.PRIVATE)
    return ~drop if drop.any() else None


# ------------------------------------------------------------------ models


def _figure(value: Any) -> models.Figure:
    if isinstance(value, float):
        return models.Figure.exact(Decimal(repr(value)))
    return models.Figure.exact(int(value))


def _build_county(f: ArrayFrame, i: int) -> models.County:
    """County ``i`` as models, from the original arrays (schools left out included, for
    the population pass to leave out)."""
    import numpy as np

    raw = f.raw
    county = raw["county"]
    a, b = int(np.searchsorted(county, i)), int(np.searchsorted(county, i, side="right"))
    fields = {k: np.asarray(v)[a:b].tolist() for k, v in raw["fields"].items()}
    miss = {k: np.asarray(v)[a:b].tolist() for k, v in raw["missing"].items()}
    kinds, owners, locs = list(models.SchoolKind), list(models.Ownership), list(models.Location)
    schools: list[models.School] = []
    seg_rows: list[models.SchoolSegment] = []
    ids = raw["school"][a:b].tolist()
    names = raw["ids"][a:b].tolist() if raw["ids"] is not None else ids
    segs = raw["segment"][a:b].tolist()
    for k in range(b - a):
        r = a + k
        figs: dict[str, Any] = {}
        for name, vals in fields.items():
            x = vals[k]
            if (name in miss and miss[name][k]) or (isinstance(x, float) and x != x):
                continue
            figs[name] = _figure(x)
        seg_rows.append(models.SchoolSegment(SEGMENTS[segs[k]], **_class_fields(raw, r),
                                             **figs))
        if k + 1 == b - a or ids[k + 1] != ids[k]:
            def enum(arr: Any, members: list[Any], r: int = r) -> Any:
                if arr is None or arr[r] < 0:
                    return None
                return members[int(arr[r])]

            schools.append(models.School(
                id=str(names[k]), kind=enum(raw["kind"], kinds),
                ownership=enum(raw["ownership"], owners), location=enum(raw["location"], locs),
                segments=tuple(seg_rows)))
            seg_rows = []
    region = None
    if f.region is not None and f.region[i] >= 0:
        region = list(models.Region)[int(f.region[i])]
    return models.County(
        name=f.names[i], code=f.codes[i], region=region, schools=tuple(schools),
        schools_complete=f.complete, as_of=f.dates[i],
    )


def _class_fields(raw: dict[str, Any], r: int) -> dict[str, Any]:
    """Row ``r``'s classes as model fields: its class list, its size bands, or neither
    (not given)."""
    if raw["no_list"] is not None and raw["no_list"][r]:
        return {"classes": None, "classes_complete": False}
    a, b = int(raw["offsets"][r]), int(raw["offsets"][r + 1])
    sizes = raw["sizes"][a:b].tolist()
    if raw["bands"] is not None and raw["bands"][r]:
        highs = raw["high"][a:b].tolist()
        mults = raw["mult"][a:b].tolist()
        bands = tuple(
            models.SizeBand(int(lo), int(hi) if hi >= 0 else None,
                         count=models.Figure.exact(int(m)))
            for lo, hi, m in zip(sizes, highs, mults, strict=True)
        )
        return {"classes": None, "size_bands": bands}
    classes = tuple(models.Class(size=models.Figure.exact(int(x))) for x in sizes)
    return {"classes": classes, "classes_complete": True}
