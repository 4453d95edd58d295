"""A :class:`~.result.ColumnarResult` as tables, one per level, from its arrays.

Each level (县区 county, 县区学段 county segment, 学校 school, 学校学段 school segment,
班级 class) is one table with a row per entity of that scope that some rule of the rule
set is evaluated for (the county level: every county), and columns:

* keys: the county's code and name; the segment (county segment, school segment,
  class); the school's id and name (school, school segment, class); the class's size;
* the county level: the overall verdict and every item's, part's and rule's headline;
* per rule of the level's scope: its outcome per entity (outcome codes, 0 for none:
  :data:`~._rules.OUTCOMES`), the reason code, the headline comparison's value and
  threshold (float64, NaN where unknown), and every report line's value.

Outcomes are codes, values float64 with NaN for missing (never 0); the reporting layer
words them (:mod:`eduint.reporting.many`) and :meth:`ColumnarResult.to_arrow` names
them.  No per-entity Python object is made: the columns are the result's own arrays,
indexed by the entities' rows (the names of a school come from the data: the frame's
``school_names`` array when it has one, a population's entity references otherwise).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from eduint.checking.schema import ScopeKind
from eduint.engine._optional import need

if TYPE_CHECKING:
    from eduint.engine.columnar.result import ColumnarResult

__all__ = [
    "distinct",
    "number_cells",
    "LEVELS",
    "Column",
    "LevelTable",
    "level_table",
    "levels",
]

#: The levels, in the order files and sheets list them.
LEVELS: tuple[ScopeKind, ...] = (
    ScopeKind.COUNTY,
    ScopeKind.COUNTY_SEGMENT,
    ScopeKind.SCHOOL,
    ScopeKind.SEGMENT,
    ScopeKind.CLASS,
)


@attrs.frozen
class Column:
    """One column of a level table.

    Attributes:
        what: ``county_code``, ``county``, ``segment``, ``school``, ``school_name``,
            ``size`` (a class's size, 人), ``overall``, ``headline``, ``outcome``,
            ``reason``, ``value``, ``threshold`` or ``report``.
        values: the column (numpy): text columns object arrays of ``str`` (``""``:
            none), outcome columns int8 codes, ``reason`` int16 indices into
            :data:`~.frame.CODES` (-1: none), numbers float64 (NaN: missing).
        rule: the rule, item or part id the column belongs to, or ``None`` (keys).
        line: the report line's name (``report``), else ``None``.
        unit: the unit the numbers are in (``人/百人``), ``""`` for none.
    """

    what: str
    values: Any
    rule: str | None = None
    line: str | None = None
    unit: str = ""

    @property
    def name(self) -> str:
        """A plain column name: ``county_code``, ``学校达标``, ``学校达标.value``,
        ``学校达标.高学历教师`` (for :meth:`ColumnarResult.to_arrow`)."""
        if self.rule is None:
            return self.what
        if self.what in ("headline", "outcome"):
            return self.rule
        if self.what == "report":
            return f"{self.rule}.{self.line or ''}"
        return f"{self.rule}.{self.what}"


@attrs.frozen
class LevelTable:
    """The rows of one level (see the module doc).

    Attributes:
        level: the scope; rows: the rows of the scope's table (int64).
        columns: the columns, keys first.
    """

    level: ScopeKind
    rows: Any
    columns: tuple[Column, ...]

    def __len__(self) -> int:
        return len(self.rows)


def levels(result: ColumnarResult) -> tuple[ScopeKind, ...]:
    """The levels that have a table: the county level, and every level some rule of the
    rule set is evaluated for."""
    used = {rc.scope for rc in result.rules.values()}
    return tuple(s for s in LEVELS if s == ScopeKind.COUNTY or s in used)


def level_table(result: ColumnarResult, level: ScopeKind) -> LevelTable:
    """The table of ``level`` (see the module doc).

    Raises:
        ValueError: ``level`` is not one of :func:`levels`.
    """
    import numpy as np

    if level not in levels(result):
        raise ValueError(f"no {level.value} level: no rule of the rule set is evaluated for it")
    frame = result.frame
    rules = [rc for rc in result.rules.values() if rc.scope == level]
    if level == ScopeKind.COUNTY:
        rows = np.arange(result.counties, dtype=np.int64)
    else:
        mask = np.zeros(frame.tables[level].n, dtype=bool)
        for rc in rules:
            mask |= rc.entity
        rows = np.flatnonzero(mask)
    cols = list(_keys(result, level, rows))
    if level == ScopeKind.COUNTY:
        cols.append(Column("overall", np.asarray(result.overall, dtype=np.int8)))
        cols += [
            Column("headline", np.asarray(h, dtype=np.int8), rid)
            for rid, h in result.headline.items()
        ]
    for rc in rules:
        cols += _rule_columns(result, rc, rows)
    return LevelTable(level, rows, tuple(cols))


def _keys(result: ColumnarResult, level: ScopeKind, rows: Any) -> Iterator[Column]:
    import numpy as np

    from eduint.engine.columnar.frame import SEGMENTS

    frame = result.frame
    county = frame.tables[level].county[rows] if level != ScopeKind.COUNTY else rows
    codes = np.array(["" if c is None else str(c) for c in frame.codes], dtype=object)
    names = np.array([str(n) for n in frame.names], dtype=object)
    yield Column("county_code", codes[county])
    yield Column("county", names[county])
    if level in (ScopeKind.SCHOOL, ScopeKind.SEGMENT, ScopeKind.CLASS):
        school = frame.ancestor(level, ScopeKind.SCHOOL)[rows]
        ids, school_names = school_labels(result)
        yield Column("school", ids[school])
        if school_names is not None:
            yield Column("school_name", school_names[school])
    if level in (ScopeKind.COUNTY_SEGMENT, ScopeKind.SEGMENT, ScopeKind.CLASS):
        words = np.array([str(s.value) for s in SEGMENTS] + [""], dtype=object)
        seg = np.asarray(frame.segment_codes(level), dtype=np.int64)[rows]
        yield Column("segment", words[np.where(seg < 0, len(SEGMENTS), seg)])
    if level == ScopeKind.CLASS:
        yield Column("size", _class_sizes(result)[rows], unit="人")


def school_labels(result: ColumnarResult) -> tuple[Any, Any]:
    """Every school row's id and name (object arrays of ``str``; names ``None`` when the
    data gives none): an array frame's ``school_ids`` (and ``school_names`` when it has
    them), a population frame's entity references."""
    import numpy as np

    frame = result.frame
    ids = getattr(frame, "school_ids", None)
    if ids is not None:
        names = getattr(frame, "school_names", None)
        return (
            np.asarray([str(x) for x in np.asarray(ids).tolist()], dtype=object),
            None if names is None else np.asarray(names, dtype=object),
        )
    pops = getattr(frame, "pops", None)
    if pops is None:
        n = frame.tables[ScopeKind.SCHOOL].n
        return np.array([""] * n, dtype=object), None
    refs = [
        p.tables[ScopeKind.SCHOOL].ref(r)
        for p in pops
        for r in range(len(p.tables[ScopeKind.SCHOOL]))
    ]
    return (
        np.array([r.key for r in refs], dtype=object),
        np.array([r.name or "" for r in refs], dtype=object),
    )


def _class_sizes(result: ColumnarResult) -> Any:
    """Every class's size (人) as float64, NaN where not one exact number."""
    import numpy as np

    from eduint.checking.schema import build_schema
    from eduint.engine.columnar._values import Num, Unsupported

    frame = result.frame
    n = frame.tables[ScopeKind.CLASS].n
    info = build_schema().lookup(ScopeKind.CLASS, "size")
    try:
        col = frame.column(info) if info is not None else None
    except Unsupported:
        return np.full(n, np.nan)
    if not isinstance(col, Num):
        return np.full(n, np.nan)
    from eduint.engine.columnar._floats import floats as _floats

    return _floats(col, np.arange(n, dtype=np.int64)) if n else np.zeros(0)


def _rule_columns(result: ColumnarResult, rc: Any, rows: Any) -> list[Column]:
    """A rule's columns over ``rows`` (of its scope): outcome, reason, the headline
    comparison's value and threshold, the report lines; empty (0 / -1 / NaN) where a
    row is not one of the rule's entities."""
    import numpy as np

    rid = rc.rule.id
    is_ent = rc.entity[rows]
    pos = np.cumsum(rc.entity) - 1  # row → position among the rule's entities
    at = pos[rows]

    def spread(vals: Any) -> Any:
        out = np.full(len(rows), np.nan)
        out[is_ent] = vals[at[is_ent]]
        return out

    out = []
    if rc.rule.require is not None:  # a report-only rule gives no outcome
        if rc.scope != ScopeKind.COUNTY:  # a county's: its headline column says it
            outcome = np.where(is_ent, rc.outcome[rows], 0).astype(np.int8)
            out.append(Column("outcome", outcome, rid))
        out.append(Column("reason", np.where(is_ent, rc.reason[rows], -1).astype(np.int16), rid))
    main = result.main_values(rid)
    if main is not None:
        left, right, unit = main
        out.append(Column("value", spread(left), rid, unit=unit))
        out.append(Column("threshold", spread(right), rid, unit=unit))
    for name, expr in rc.rule.reports:
        unit = getattr(getattr(expr.type, "unit", None), "text", "") or ""
        out.append(Column("report", spread(result.values(rid, name)), rid, name, unit))
    return out


# ------------------------------------------------------------------ cells


def distinct(values: Any) -> tuple[list[str], list[int]]:
    """A text column's distinct values and, per row, the index of its value (so that a
    writer makes each distinct text safe once)."""
    import numpy as np

    uniq, inverse = np.unique(np.asarray(values).astype(str), return_inverse=True)
    return [str(u) for u in uniq.tolist()], [int(i) for i in inverse.tolist()]


def number_cells(values: Any) -> list[int | float | None]:
    """A float column as cells: a whole number as an ``int``, NaN as ``None`` (missing,
    never 0)."""
    import numpy as np

    v = np.asarray(values, dtype=np.float64)
    whole = np.isfinite(v) & (v == np.rint(v)) & (np.abs(v) < 2**53)
    out: list[int | float | None] = v.tolist()
    for i in np.flatnonzero(~np.isfinite(v)).tolist():
        out[i] = None
    ints = np.rint(v[whole]).astype(np.int64).tolist()
    for i, x in zip(np.flatnonzero(whole).tolist(), ints, strict=True):
        out[i] = x
    return out


# ------------------------------------------------------------------ Arrow, pandas


def _words(codes: Any, words: list[str | None]) -> Any:
    """Small codes as a pyarrow dictionary array of ``words`` (null where the word is
    ``None``)."""
    import numpy as np

    pa = need("pyarrow", "to_arrow()")
    idx = np.asarray(codes, dtype=np.int32)
    none = np.array([w is None for w in words])
    return pa.DictionaryArray.from_arrays(
        pa.array(idx, mask=none[idx] if len(idx) else None, type=pa.int32()),
        pa.array([w or "" for w in words], type=pa.string()),
    )


def arrow_columns(table: LevelTable) -> list[tuple[str, Any]]:
    """The table's columns as ``(name, pyarrow array)``: outcomes as words and codes,
    reasons as their code values, numbers with nulls for NaN, text with nulls for "".

    Raises:
        ImportError: pyarrow is not installed.
    """
    import numpy as np

    from eduint.engine.columnar._rules import OUTCOMES
    from eduint.engine.columnar.frame import CODES

    pa = need("pyarrow", "to_arrow()")
    outcome_words = [None if o is None else str(o.value) for o in OUTCOMES]
    reason_words = [str(c.value) for c in CODES] + [None]
    out: list[tuple[str, Any]] = []
    for col in table.columns:
        v = col.values
        if col.what in ("overall", "headline", "outcome"):
            out.append((col.name, _words(v, outcome_words)))
            out.append((f"{col.name}.code", pa.array(np.asarray(v, dtype=np.int8))))
        elif col.what == "reason":
            idx = np.where(v < 0, len(CODES), v)
            out.append((col.name, _words(idx, reason_words)))
        elif v.dtype == object:
            out.append((col.name, pa.array(v.tolist(), type=pa.string(), mask=v == "")))
        else:
            # NaN → null with a mask: from_pandas=True would import pandas (a second)
            nan = np.isnan(v) if v.dtype.kind == "f" else None
            out.append((col.name, pa.array(v, mask=nan if nan is not None and nan.any() else None)))
    return out


def to_arrow(table: LevelTable) -> Any:
    """A level table as a ``pyarrow.Table`` (:func:`arrow_columns`; units in each
    field's metadata).

    Raises:
        ImportError: pyarrow is not installed.
    """
    pa = need("pyarrow", "to_arrow()")
    cols = arrow_columns(table)
    units = {c.name: c.unit for c in table.columns if c.unit}
    fields = [
        pa.field(n, a.type, metadata={"unit": units[n]} if n in units else None) for n, a in cols
    ]
    return pa.Table.from_arrays([a for _, a in cols], schema=pa.schema(fields))


def to_pandas(table: LevelTable) -> Any:
    """A level table as a ``pandas.DataFrame`` (through :func:`to_arrow`).

    Raises:
        ImportError: pandas or pyarrow is not installed.
    """
    need("pandas", "to_pandas()")
    return to_arrow(table).to_pandas()
