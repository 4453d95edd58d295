"""Cells to arrays: figures, texts, enum codes and class lists, one column chunk at a time.

A column chunk is a pyarrow array (Parquet, and CSV when pyarrow is installed) or a
list of raw cell values (the stdlib CSV reader, JSON Lines, XLSX), which the caller
drops after the call: only the arrays are kept.  Plain numbers are converted
vectorised; any other non-blank cell goes through the figure parser the YAML and
spreadsheet readers use (:func:`eduint.data.figures.parse_figure`), so ``"1,655"``
reads as 1655 and ``一百`` is the same D020 problem it is there.  A figure that is not
exact (``约212``, ``30多``) is not read here (D026): the columnar engine needs one
number, and the spreadsheet reader gives such a county's report.  A blank cell is
missing without a problem; a bad cell is missing with one.  Missing is never 0.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from eduint.data.errors import DataValueError
from eduint.data.fields import is_count_unit
from eduint.data.figures import parse_figure
from eduint.data.national.columns import Spec
from eduint.data.scalars import (
    CLASS_LIST_SEPARATORS,
    MAX_CLASS_SIZE,
    read_class_sizes,
    read_enum,
)

__all__ = ["Coded", "class_lists", "coded", "enum_codes", "merge_coded", "numbers", "texts"]

_PLAIN = r"^[-+]?[0-9]+(?:\.[0-9]+)?$"
_PLAIN_RE = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")
_LIST_SEP = CLASS_LIST_SEPARATORS
#: Largest figure accepted (as :mod:`eduint.data.figures`).
_LARGEST = 1e15
_MAX_SIZE = MAX_CLASS_SIZE

#: Makes a problem: (row index in the chunk, raw value, message, code, hint).
Report = Callable[[int, Any, str, str, "str | None"], None]


def is_arrow(col: Any) -> bool:
    """Whether a column chunk is a pyarrow array (not a list)."""
    return not isinstance(col, list)


def _arrow_numpy(arr: Any) -> tuple[Any, Any]:
    """A numeric or boolean pyarrow array → (numpy values, null mask or ``None``),
    through its buffers (``to_numpy`` may import pandas)."""
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    null = None
    if arr.null_count or pa.types.is_boolean(arr.type):
        # imported here only: a table of plain numbers (perfref's, a national run)
        # needs no pyarrow.compute (~30 ms of imports)
        import pyarrow.compute as pc

        if arr.null_count:
            null = _arrow_numpy(arr.is_null())[0]
            # scalars made here: a Python value pyarrow converts itself costs a failed
            # import of dateutil per call (1.7 ms a file of a folder of county files)
            arr = pc.fill_null(
                arr, pa.scalar(False if pa.types.is_boolean(arr.type) else 0, arr.type)
            )
        if pa.types.is_boolean(arr.type):
            arr = pc.cast(arr, pa.int8())
            return _view(arr).astype(bool), null
    return _view(arr), null


def _empty() -> Any:
    """The empty text as a pyarrow scalar (see :func:`_arrow_numpy`)."""
    import pyarrow as pa

    return pa.scalar("", pa.string())


def _view(arr: Any) -> Any:
    import numpy as np

    dt = _numpy_dtype(arr.type)
    return np.frombuffer(arr.buffers()[1], dtype=dt, count=len(arr), offset=arr.offset * dt.itemsize)


def _numpy_dtype(t: Any) -> Any:
    """The numpy dtype of a numeric Arrow type, by its kind and width (not
    ``to_pandas_dtype``, which some pyarrow versions answer by importing pandas)."""
    import numpy as np
    import pyarrow as pa

    if pa.types.is_signed_integer(t):
        return np.dtype(f"int{t.bit_width}")
    if pa.types.is_unsigned_integer(t):
        return np.dtype(f"uint{t.bit_width}")
    if pa.types.is_floating(t):
        return np.dtype(f"float{t.bit_width}")
    raise TypeError(f"not a numeric Arrow type: {t}")


class Coded:
    """A text column as codes into its distinct texts: ``codes`` (int64, -1 where blank)
    and ``uniques`` (a numpy text array).  Ids, codes and names repeat down a national
    table, and comparing small integers is what sorting and grouping need; the texts
    are made once each.

    A column typed as integers keeps its distinct values as ``ints`` and makes their
    texts only when ``uniques`` is first read: 200,000 school ids as text cost more
    than reading the whole table, and a per-county summary never shows one."""

    __slots__ = ("_uniques", "codes", "ints")

    def __init__(self, codes: Any, uniques: Any, ints: Any = None) -> None:
        self.codes = codes
        self._uniques = uniques
        #: the distinct values as int64 when the column was typed as integers (each
        #: text is ``str`` of its integer), else ``None``: ids sort and compare by
        #: value without parsing their texts back
        self.ints = ints

    @property
    def uniques(self) -> Any:
        """The distinct texts (a numpy text array), in code order."""
        if self._uniques is None:
            self._uniques = self.ints.astype(str)
        return self._uniques

    def take(self, mask: Any) -> Coded:
        """The rows of ``mask``."""
        return Coded(self.codes[mask], self._uniques, self.ints)

    def __len__(self) -> int:
        """The number of distinct values."""
        return len(self.ints) if self._uniques is None else len(self._uniques)

    def texts(self) -> Any:
        """Each row's text (``""`` where blank), as a numpy text array."""
        import numpy as np

        if len(self) == 0:
            return np.full(len(self.codes), "")
        out = self.uniques[np.maximum(self.codes, 0)]
        if (self.codes < 0).any():
            out = np.where(self.codes < 0, "", out)
        return out


def merge_coded(parts: list[Coded], *, sort: bool = False) -> Coded:
    """Coded columns as one, with only the texts used (``sort``: in sorted order)."""
    import numpy as np

    if not parts:
        return Coded(np.zeros(0, dtype=np.int64), np.zeros(0, dtype="<U1"))
    ints = None
    if len(parts) == 1:
        if parts[0]._uniques is None:  # integers: their texts stay unmade
            return _used_ints(parts[0], sort)
        uniq, c, ints = parts[0].uniques, parts[0].codes, parts[0].ints
    else:
        seen: dict[str, int] = {}
        codes = []
        for p in parts:
            remap = np.array([seen.setdefault(u, len(seen)) for u in p.uniques.tolist()],
                             dtype=np.int64)
            codes.append(np.where(p.codes < 0, -1, remap[np.maximum(p.codes, 0)])
                         if len(remap) else np.full(len(p.codes), -1, dtype=np.int64))
        c = np.concatenate(codes)
        uniq = np.array(list(seen), dtype=str) if seen else np.zeros(0, "<U1")
    used = np.zeros(len(uniq), dtype=bool)
    used[c[c >= 0]] = True
    order = np.flatnonzero(used)
    if sort:
        order = order[np.argsort(uniq[order], kind="stable")]
    if len(order) == len(uniq) and not sort:
        return Coded(c, uniq, ints)
    new = np.full(len(uniq), -1, dtype=np.int64)
    new[order] = np.arange(len(order))
    return Coded(np.where(c < 0, -1, new[np.maximum(c, 0)]), uniq[order],
                 ints[order] if ints is not None else None)


def _used_ints(part: Coded, sort: bool) -> Coded:
    """:func:`merge_coded` of one integer-typed column: the values used (all of them,
    as :func:`coded` makes them, unless rows were left out), in value order (their
    texts' order differs: ``sort`` sorts texts, so they are made then)."""
    import numpy as np

    used = np.zeros(len(part.ints), dtype=bool)
    used[part.codes[part.codes >= 0]] = True
    if sort:
        return merge_coded([Coded(part.codes, part.uniques, part.ints)], sort=True)
    if used.all():
        return part
    new = np.cumsum(used) - 1
    return Coded(np.where(part.codes < 0, -1, new[np.maximum(part.codes, 0)]), None,
                 part.ints[used])


def _unique(values: Any) -> tuple[Any, Any]:
    """``numpy.unique(values, return_inverse=True)``, without its sort when the values
    are in order already (a national table sorted by school id: a tenth of the time)."""
    import numpy as np

    if not len(values):
        return values, np.zeros(0, dtype=np.int64)
    if bool(np.all(values[1:] >= values[:-1])):
        new = np.empty(len(values), dtype=bool)
        new[0] = True
        np.not_equal(values[1:], values[:-1], out=new[1:])
        return values[new], np.cumsum(new) - 1
    low, high = int(values.min()), int(values.max())
    if high - low < 1 << 16:  # codes (学段 0/1, 城乡 0–2): counted, not sorted
        shifted = values.astype(np.int64) - low
        present = np.bincount(shifted, minlength=high - low + 1) > 0
        rank = np.cumsum(present) - 1
        return np.flatnonzero(present) + low, rank[shifted]
    uniq, inv = np.unique(values, return_inverse=True)
    return uniq, inv.reshape(-1)


def coded(col: Any) -> Coded:
    """A column of text (ids, codes, names, enum words) → :class:`Coded` (stripped;
    a number typed in a spreadsheet reads as it shows: 330102.0 is ``330102``)."""
    import numpy as np

    if is_arrow(col):
        import pyarrow as pa

        if isinstance(col, pa.ChunkedArray):
            col = col.combine_chunks()
        if pa.types.is_integer(col.type) and _fits_int64(col):
            # codes and ids typed as integers: their distinct values, as text once each
            vals, null = _arrow_numpy(col)
            given = vals if null is None else vals[~null]
            uniq, inv = _unique(given)
            codes = np.full(len(vals), -1, dtype=np.int64)
            if null is None:
                codes[:] = inv.reshape(-1)
            else:
                codes[~null] = inv.reshape(-1)
            return Coded(codes, None, uniq.astype(np.int64))
        import pyarrow.compute as pc

        if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
            if pa.types.is_floating(col.type):
                col = _float_texts(col)
            else:
                col = pc.cast(col, pa.string())
        s = pc.utf8_trim_whitespace(col)
        s = pc.if_else(pc.equal(s, _empty()), pa.scalar(None, pa.string()), s)
        d = pc.dictionary_encode(s)
        idx, null = _arrow_numpy(d.indices)
        codes = idx.astype(np.int64)
        if null is not None:
            codes[null] = -1
        words = d.dictionary.to_pylist()
        return Coded(codes, np.array(words, dtype=str) if words else np.zeros(0, "<U1"))
    seen: dict[str, int] = {}
    out = np.empty(len(col), dtype=np.int64)
    for i, x in enumerate(col):
        t = _text(x)
        out[i] = seen.setdefault(t, len(seen)) if t else -1
    return Coded(out, np.array(list(seen), dtype=str) if seen else np.zeros(0, "<U1"))


def _fits_int64(col: Any) -> bool:
    """Whether an integer column's values all fit int64 (a uint64 past 2^63 − 1 does
    not: such ids are read as their texts)."""
    import pyarrow as pa

    if not (pa.types.is_uint64(col.type) and len(col) - col.null_count):
        return True
    import pyarrow.compute as pc

    return bool(pc.max(col).as_py() < 2**63)


def _float_texts(col: Any) -> Any:
    """A float column of ids or codes as text: a whole number as its integer's digits
    (330102.0 is ``330102``), NaN blank, any other value (45.5, inf, 1e+20: past int64)
    as pyarrow writes it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = pc.if_else(pc.is_nan(col), pa.scalar(None, col.type), col)
    as_int = pc.and_(pc.is_finite(col), pc.less(pc.abs(col), pa.scalar(2.0**63, col.type)))
    as_int = pc.fill_null(as_int, False)
    ints = pc.cast(pc.if_else(as_int, col, pa.scalar(0.0, col.type)), pa.int64(), safe=False)
    exact = pc.and_(as_int, pc.equal(pc.cast(ints, col.type), col))
    return pc.if_else(exact, pc.cast(ints, pa.string()), pc.cast(col, pa.string()))


def texts(col: Any) -> Any:
    """A column of text → a numpy text array (``""`` where blank)."""
    return coded(col).texts()


def _text(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x).strip()


def numbers(col: Any, spec: Spec, report: Report) -> tuple[Any, Any]:
    """A column of figures → (float64 values in the field's unit, missing mask).

    Plain numbers are read vectorised; other cells through
    :func:`~eduint.data.figures.parse_figure` (with the column's unit); a figure that is
    negative (D022), not whole in a counted unit (D021), too large (D020), not exact
    (D026) or not a figure (D020) is missing with a problem.  A column in 万元 or 亩 is
    converted (:func:`_scale`).
    """
    import numpy as np

    whole = False
    if is_arrow(col):
        import pyarrow as pa

        whole = pa.types.is_integer(col.type)
        vals, miss, slow = _arrow_numbers(col)
    else:
        vals, miss, slow = _list_numbers(col)
    for i, raw in slow:
        vals[i] = _parse_one(raw, spec, report, i)
        miss[i] = math.isnan(vals[i])
    _check(vals, miss, spec, report, whole)
    if spec.factor != 1:
        vals = _scale(vals, miss, spec.factor)
    vals[miss] = np.nan
    return vals, miss


def _arrow_numbers(col: Any) -> tuple[Any, Any, list[tuple[int, Any]]]:
    import numpy as np
    import pyarrow as pa

    n = len(col)
    if pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
        vals, null = _arrow_numpy(col)
        vals = vals.astype(np.float64)
        miss = null.copy() if null is not None else np.zeros(n, dtype=bool)
        if pa.types.is_floating(col.type):  # an integer is never NaN
            miss |= np.isnan(vals)
        return vals, miss, []
    import pyarrow.compute as pc

    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        if pa.types.is_null(col.type):
            return np.full(n, np.nan), np.ones(n, dtype=bool), []
        return np.full(n, np.nan), np.zeros(n, dtype=bool), list(enumerate(col.to_pylist()))
    s = pc.utf8_trim_whitespace(col)
    blank = _arrow_numpy(pc.or_kleene(pc.is_null(s), pc.equal(s, _empty())))[0]
    blank = np.asarray(blank, dtype=bool)
    plain = _arrow_numpy(pc.fill_null(pc.match_substring_regex(s, _PLAIN), False))[0]
    vals = np.full(n, np.nan)
    if plain.any():
        got = pc.cast(pc.filter(s, pa.array(plain)), pa.float64())
        vals[plain] = _arrow_numpy(got)[0]
    miss = ~plain
    other = np.flatnonzero(~plain & ~blank)
    slow = [(int(i), s[int(i)].as_py()) for i in other]
    return vals, miss, slow


def _list_numbers(col: list[Any]) -> tuple[Any, Any, list[tuple[int, Any]]]:
    import numpy as np

    vals = np.full(len(col), np.nan)
    slow: list[tuple[int, Any]] = []
    match = _PLAIN_RE.fullmatch
    for i, x in enumerate(col):
        t = type(x)
        if t is int or t is float:
            vals[i] = x
        elif t is str:
            s = x.strip()
            if s and match(s):
                vals[i] = float(s)
            elif s:
                slow.append((i, x))
        elif x is not None:
            slow.append((i, x))  # a bool, a list, a date: not a figure (the parser says so)
    return vals, np.isnan(vals), slow


def _parse_one(raw: Any, spec: Spec, report: Report, i: int) -> float:
    """One cell that is not a plain number, through the figure parser: its value, or
    NaN with a problem."""
    if isinstance(raw, str) and not raw.strip():
        return math.nan
    try:
        fig = parse_figure(raw, unit=spec.unit)
    except DataValueError as exc:
        report(i, raw, exc.message, exc.code, exc.hint)
        return math.nan
    if fig.is_interval or fig.approximate:
        report(
            i,
            raw,
            f"{fig} is not an exact figure; the national reader reads exact figures only, "
            "so it is missing here",
            "D026",
            "write the exact figure, or check this county with the spreadsheet reader, "
            "which reads approximate figures and ranges",
        )
        return math.nan
    return float(fig.low)


def _check(vals: Any, miss: Any, spec: Spec, report: Report, whole: bool = False) -> None:
    """Negative, not whole (counted units; ``whole``: the input's type is an integer)
    and too large figures: missing, with a problem."""
    import numpy as np

    counted = spec.unit is not None and is_count_unit(spec.unit) and spec.factor == 1
    # most columns hold no bad figure: their least and greatest (NaN skipped) say so
    # without a mask per check (11 columns of 216,000 rows at national scale)
    lo, hi = (float(np.fmin.reduce(vals)), float(np.fmax.reduce(vals))) if len(vals) \
        else (0.0, 0.0)
    if (lo >= 0 or spec.unit is None) and max(hi, -lo) <= _LARGEST and (whole or not counted):
        return
    ok = ~miss
    checks: list[tuple[Any, str, str]] = [
        (np.abs(vals) > _LARGEST, "is too large for a figure (more than 10^15)", "D020")
    ]
    if spec.unit is not None:
        checks.append((vals < 0, "is negative; expected a non-negative figure", "D022"))
    if counted and not whole:
        checks.append((vals != np.floor(vals), f"is not a whole number of {spec.unit}", "D021"))
    for bad, message, code in checks:
        hit = np.flatnonzero(bad & ok)
        for i in hit.tolist():
            report(i, _shown(vals[i]), f"{_shown(vals[i])} {message}", code, None)
        miss[hit] = True
        ok[hit] = False


def _shown(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _scale(vals: Any, miss: Any, factor: Decimal) -> Any:
    """``vals × factor`` (万元 → 元: 10000; 亩 → 平方米: 10000/15), exactly where the
    result is a decimal of at most 4 places: values with up to 8 decimals are taken
    as the decimals they print as, multiplied as integers, and divided once (one
    rounding, so the float is the decimal's nearest and reads back as it)."""
    import numpy as np

    num, den = factor.as_integer_ratio()
    ok = ~miss
    x = np.where(ok, vals, 0.0)
    for k in range(9):
        scale = 10.0**k
        r = np.rint(x * scale)
        if np.abs(r).max(initial=0.0) < 2**53 and np.array_equal(r / scale, x):
            top = np.abs(r).max(initial=0.0) * num
            if top < 2**62:
                n = r.astype(np.int64) * num
                d = den * 10**k
                return n / float(d) if d < 2**53 else n.astype(np.float64) / d
            break
    return x * float(factor)


def enum_codes(
    col: Any, cls: type[enum.Enum], report: Report, values: tuple[tuple[str, str], ...] = ()
) -> Any:
    """A column of enum cells (学校类型, 办学性质, 城乡分类, 学段) → int8 indexes into
    ``cls`` (-1 where blank or bad; a bad value is a problem).  Each distinct text is
    read once (:func:`eduint.data.scalars.read_enum`), after the mapping file's coded
    ``values`` (``0`` → ``小学``)."""
    import numpy as np

    members = list(cls)
    c = coded(col)
    codes = np.full(len(c.uniques) + 1, -1, dtype=np.int8)  # the last: blank
    bad: dict[int, DataValueError] = {}
    meant = dict(values)
    for k, u in enumerate(c.uniques.tolist()):
        try:
            codes[k] = members.index(read_enum(meant.get(u, u), cls))
        except DataValueError as exc:
            bad[k] = exc
    inv = np.where(c.codes < 0, len(c.uniques), c.codes)
    out = codes[inv]
    if bad:
        for i in np.flatnonzero(np.isin(inv, list(bad))).tolist():
            why = bad[int(inv[i])]
            report(i, str(c.uniques[inv[i]]), why.message, why.code, why.hint)
    return out


def class_lists(col: Any, report: Report) -> tuple[Any, Any, Any, Any]:
    """A column of class-size lists → (sizes int64, per row count int64, per row
    blank mask, per row bad mask).  A cell is a list of integers (Parquet, JSONL) or a text of integers
    separated by ``;``, ``,``, ``、`` or spaces; a blank cell is no list (missing, no
    problem); a list with an entry that is not a whole number of 人 (0 … 10,000) is
    missing, with a problem (:func:`eduint.data.scalars.read_class_sizes`, which the
    spreadsheet reader reads a cell with; the pyarrow paths are its vectorised form)."""
    import numpy as np

    if is_arrow(col):
        import pyarrow as pa

        if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
            return _arrow_lists(col, report)
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            return _arrow_text_lists(col, report)
        col = col.to_pylist()
    n = len(col)
    sizes: list[int] = []
    counts = np.zeros(n, dtype=np.int64)
    miss = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)
    for i, x in enumerate(col):
        try:
            got = read_class_sizes(x)  # the spreadsheet reader's reading of a cell
        except DataValueError as exc:
            bad[i] = True
            report(i, x, exc.message, exc.code, exc.hint)
            continue
        if got is None:
            miss[i] = True
            continue
        sizes.extend(got)
        counts[i] = len(got)
    return np.array(sizes, dtype=np.int64), counts, miss, bad


def _clip(x: Any) -> str:
    s = str(x)
    return repr(s[:60] + "…") if len(s) > 60 else repr(s)


def _arrow_lists(col: Any, report: Report) -> tuple[Any, Any, Any, Any]:
    import numpy as np
    import pyarrow as pa

    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    n = len(col)
    miss = _arrow_numpy(col.is_null())[0].astype(bool) if col.null_count else np.zeros(n, bool)
    off = _view(col.offsets).astype(np.int64)
    got = _list_values(col.values)
    if got is None:  # not numbers (bools, dates, lists …): every list given is bad
        return _all_bad(col, miss, report)
    vals, vnull = got
    o0, o1 = int(off[0]), int(off[-1])
    vals = vals[o0:o1]
    off = off - o0
    bad_v = np.zeros(len(vals), dtype=bool)
    if vnull is not None:
        bad_v |= vnull[o0:o1]
    if vals.dtype.kind == "f":
        bad_v |= ~np.isfinite(vals) | (vals != np.floor(np.nan_to_num(vals)))
    # integers: two reductions decide whether any is out of range (4.3 million
    # sizes at national scale: no masks to build when none is)
    if vals.dtype.kind == "f" or (len(vals) and (int(vals.min()) < 0
                                                 or int(vals.max()) > _MAX_SIZE)):
        bad_v |= (vals < 0) | (vals > _MAX_SIZE)
    counts = np.diff(off)
    bad_rows = np.zeros(n, dtype=bool)
    if bad_v.any():
        rows_of = np.repeat(np.arange(n), counts)
        bad_rows[rows_of[bad_v]] = True
    for i in np.flatnonzero(bad_rows).tolist():
        report(i, col[i].as_py(), f"{_clip(col[i].as_py())} is not a list of class sizes "
               "(whole numbers of 人); the class list is missing", "D020", None)
    drop = miss | bad_rows
    # the input's own integer type (int16 in perfref's files): 4.3 million at national scale
    if vals.dtype.kind == "f":
        with np.errstate(invalid="ignore"):  # inf and the like: in rows dropped below
            sizes = np.rint(np.nan_to_num(vals)).astype(np.int64)
    else:
        sizes = vals
    if drop.any():
        keep_v = np.repeat(~drop, counts)
        sizes = sizes[keep_v]
        counts = np.where(drop, 0, counts)
    return sizes, counts, miss, bad_rows


def _list_values(values: Any) -> tuple[Any, Any] | None:
    """A list column's entries as (numpy numbers, null mask or ``None``): integers and
    floats as they are, texts as the numbers they spell (NaN where one does not, so the
    row is bad); ``None`` for any other type (bools are not sizes)."""
    import numpy as np
    import pyarrow as pa

    t = values.type
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        return _arrow_numpy(values) if len(values) else (np.zeros(0, np.int64), None)
    if not (pa.types.is_string(t) or pa.types.is_large_string(t)):
        return None
    import pyarrow.compute as pc

    s = pc.utf8_trim_whitespace(values)
    plain = _arrow_numpy(pc.fill_null(pc.match_substring_regex(s, _PLAIN), False))[0]
    plain = plain.astype(bool)
    vals = np.full(len(values), np.nan)
    if plain.any():
        vals[plain] = _arrow_numpy(pc.cast(pc.filter(s, pa.array(plain)), pa.float64()))[0]
    return vals, None


def _all_bad(col: Any, miss: Any, report: Report) -> tuple[Any, Any, Any, Any]:
    """A list column whose entries are not numbers: each list given is a D020 problem,
    and missing."""
    import numpy as np

    bad = ~miss
    for i in np.flatnonzero(bad).tolist():
        raw = col[i].as_py()
        report(i, raw, f"{_clip(raw)} is not a list of class sizes (whole numbers of 人); "
               "the class list is missing", "D020", None)
    return np.zeros(0, np.int64), np.zeros(len(col), np.int64), miss, bad


def _arrow_text_lists(col: Any, report: Report) -> tuple[Any, Any, Any, Any]:
    """Text lists (``45;46;50``) split vectorised by pyarrow; a row with a bad entry
    goes through the list path for its problem."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    n = len(col)
    s = pc.utf8_trim(pc.fill_null(col, ""), characters=" \t\r\n;；,，、")
    blank = _arrow_numpy(pc.equal(s, _empty()))[0].astype(bool)
    parts = pc.split_pattern_regex(s, _LIST_SEP)
    off = _view(parts.offsets).astype(np.int64)
    flat = parts.values[int(off[0]):int(off[-1])]
    off = off - off[0]
    counts = np.diff(off)
    counts[blank] = 0  # "" splits into [""]
    good = _arrow_numpy(pc.fill_null(pc.match_substring_regex(flat, r"^[0-9]{1,5}$"), False))[0]
    good = good.astype(bool)
    row_of = np.repeat(np.arange(n), np.diff(off))
    is_blank_entry = np.repeat(blank, np.diff(off))
    bad = ~good & ~is_blank_entry
    sizes = np.zeros(len(flat), dtype=np.int32)
    if good.any():
        sizes[good] = _arrow_numpy(pc.cast(pc.filter(flat, pa.array(good)), pa.int32()))[0]
    bad |= good & (sizes > _MAX_SIZE)
    bad_rows = np.zeros(n, dtype=bool)
    bad_rows[row_of[bad]] = True
    for i in np.flatnonzero(bad_rows).tolist():
        raw = col[i].as_py()
        report(i, raw, f"{_clip(raw)} is not a list of class sizes (whole numbers of 人, "
               "separated by ; , 、 or spaces); the class list is missing", "D020", None)
    drop = blank | bad_rows
    keep_v = ~np.repeat(drop, np.diff(off))
    sizes = sizes[keep_v]
    counts = np.where(drop, 0, counts)
    return sizes, counts, blank, bad_rows
