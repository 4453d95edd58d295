"""Reading national input: :func:`read_national`.

Each file is opened (:mod:`.formats`), its header found and planned
(:mod:`.columns`), and its rows converted a chunk at a time (:mod:`.convert`) into
per-file arrays; the files' arrays are then put together (:mod:`.assemble`): rows
sorted by county, school and segment, schools numbered, the class lists moved with
their rows.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from eduint.data.errors import DataFileError, DataProblem
from eduint.data.limits import Limits, gc_paused
from eduint.data.models import Location, Ownership, SchoolKind, Segment
from eduint.data.national import convert as C
from eduint.data.national.columns import Plan, Spec, plan_columns
from eduint.data.national.formats import Chunk, Source, folder_files, open_source, shown_path
from eduint.data.national.model import NationalData
from eduint.data.spreadsheets.header import unused_mapping
from eduint.data.spreadsheets.mapping import Resolver, TableMapping, ignored_meaning

__all__ = ["FileArrays", "read_national"]

#: Progress callback: (bytes done, bytes in all).
Progress = Callable[[int, int], None]

_ENUMS: dict[str, type[Any]] = {"kind": SchoolKind, "ownership": Ownership, "location": Location}
_TEXT = ("code", "county_name", "province", "segment", "school_id", "school_name", "enum",
         "classes")


@attrs.define
class FileArrays:
    """One file's rows as arrays (file order; see :class:`NationalData` for the fields).

    ``county_key`` is each row's county as text (its code, else its name, else the
    file's stem); ``county_name``, ``province`` per row (blank: not given), and
    ``school_id`` and ``school_name``, as :class:`~.convert.Coded` texts;
    ``rownum`` each row's number as the user sees it.
    """

    file: str
    county_key: Any
    county_name: Any
    province: Any
    school_id: Any
    segment: Any
    fields: dict[str, Any]
    missing: dict[str, Any]
    enums: dict[str, Any]
    sizes: Any
    high: Any
    mult: Any
    counts: Any
    bands: Any
    no_list: Any
    rownum: Any
    rows_read: int
    has_code: bool
    school_name: Any = None


class _Budget:
    """The national limits, counted over all the files of one read."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.rows = 0
        self.classes = 0
        self.problems = 0

    def add(self, file: str, rows: int, classes: int, problems: int, row: int) -> None:
        """Count a chunk.

        Raises:
            DataFileError: a national limit is exceeded (D005).
        """
        self.rows += rows
        self.classes += classes
        self.problems += problems
        for name, count, what in (
            ("national_rows", self.rows, "rows"),
            ("national_classes", self.classes, "classes"),
            ("national_problems", self.problems, "data problems"),
        ):
            if count > getattr(self.limits, name):
                raise DataFileError(
                    file,
                    self.limits.exceeded(name, f"the data holds {count:,} {what} by row {row:,}"),
                    code="D005",
                )


def read_national(
    path: str | os.PathLike[str],
    *,
    mapping: TableMapping | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
    encoding: str | None = None,
) -> NationalData:
    """Read national data: one row per school segment of many counties.

    Args:
        path: a ``.parquet`` (needs pyarrow: ``pip install 'eduint[parquet]'``),
            ``.csv``, ``.xlsx`` or ``.jsonl`` file, or a folder of them (each county's
            rows in one file; the files' rows put together).
        mapping: the user's column mapping (``--mapping``,
            :func:`eduint.data.spreadsheets.load_mapping`); an entry that matches no
            column is a D013 problem.
        limits: the limits (``national_file_size``, ``national_rows``,
            ``national_classes``, ``national_problems``, ``columns``; ``docs/limits.md``).
        progress: called as ``progress(done, total)`` (bytes) after each chunk read.
        encoding: the encoding of CSV files (``None``: UTF-8, else GB18030).

    Returns:
        The data as arrays (:class:`NationalData`), with every bad cell a problem
        naming its file, row, column and text (the value missing, never 0).

    Raises:
        DataFileError: a file cannot be read or has no header (D001, D003); a table lacks
            学校代码 or 学段, or a county's rows are in two files (D006); no row is
            used (D003); a limit is exceeded (D005).
    """
    from eduint.data.national.assemble import assemble

    root = Path(path)
    shown_root = str(path)
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise DataFileError(
            shown_root, "reading national data needs numpy: pip install 'eduint[columnar]'"
        ) from None
    if not root.exists():
        raise DataFileError(shown_root, "no such file or folder")
    mapping = mapping or TableMapping()
    limits = limits or Limits()
    problems: list[DataProblem] = []
    notices: list[DataProblem] = []
    if root.is_dir():
        files, others = folder_files(root)
        if not files:
            raise DataFileError(shown_root, "the folder holds no .parquet, .csv, .xlsx or "
                                ".jsonl file")
        for p in others:
            problems.append(DataProblem(
                shown_path(path, p), "", None, p.name,
                "not a national data file (.parquet, .csv, .xlsx, .jsonl); not read",
                code="D014"))
    else:
        files = [root]
    total = sum(p.stat().st_size for p in files)
    done = 0
    used: set[str] = set()
    resolver = Resolver("schools", mapping, {}, used)  # the files' headers, resolved once
    budget = _Budget(limits)
    parts: list[FileArrays] = []
    with gc_paused():
        for p in files:
            source = open_source(p, shown_path(path, p), limits, encoding)
            base = done

            def tick(d: int, base: int = base) -> None:
                if progress is not None:
                    progress(min(base + d, total), total)

            part = _read_source(source, p.stem, mapping, used, budget, problems, notices, tick,
                                resolver)
            parts.append(part)
            done += source.size
            tick(source.size)
        problems.extend(unused_mapping(mapping, used))
        problems.extend(
            DataProblem(mapping.source, f"values.{key}", key, key,
                        "this mapping entry matched no column of any sheet", code="D013")
            for key in mapping.values if key not in used
        )
        return assemble(parts, problems, notices)


def _read_source(
    source: Source, stem: str, mapping: TableMapping, used: set[str], budget: _Budget,
    problems: list[DataProblem], notices: list[DataProblem], tick: Callable[[int], None],
    resolver: Resolver | None = None,
) -> FileArrays:
    """One file's rows as arrays.

    Raises:
        DataFileError: no header, or no 学校代码 or 学段 column.
    """
    plan = plan_columns(source.file, source.head, mapping, used=used, limits=budget.limits,
                        resolver=resolver)
    if plan is None:
        raise DataFileError(
            source.file, "no header row found (no row names two known columns)", code="D003"
        )
    problems.extend(plan.problems)
    notices.extend(plan.notices)
    problems.extend(source.problems)
    need = [("school_id", "学校代码"), ("segment", "学段")]
    lacking = [label for what, label in need if plan.first(what) is None]
    if lacking:
        raise DataFileError(
            source.file,
            f"the table has no {' or '.join(lacking)} column (header row {plan.header_row}): "
            "national input is one row per school segment"
            + (f"; the mapping file's ignore: left it out ({', '.join(left)}): take it out "
               "of ignore:" if (left := ignored_meaning(mapping, "schools", lacking)) else ""),
            code="D006",
        )
    wanted = [s.index for s in plan.specs]
    text = {s.index for s in plan.specs if s.what in _TEXT}
    acc: dict[str, list[Any]] = {}
    rows_read = 0
    # closed when a chunk fails: the reader's threads are joined before this returns
    with contextlib.closing(source.chunks(plan.header_row, wanted, text)) as chunks:
        for chunk in chunks:
            got, n_read = _convert_chunk(source.file, stem, plan, chunk, problems, budget)
            rows_read += n_read
            for k, v in got.items():
                acc.setdefault(k, []).append(v)
            tick(chunk.done)
    return _concat(source.file, acc, plan, rows_read)


def _convert_chunk(
    file: str, stem: str, plan: Plan, chunk: Chunk, problems: list[DataProblem],
    budget: _Budget,
) -> tuple[dict[str, Any], int]:
    """One chunk's columns → arrays of its kept rows (blank rows dropped, rows without
    a school id, a segment or a county code rejected with a problem)."""
    import numpy as np

    nums = chunk.rownums
    n = len(nums)
    filled = np.zeros(n, dtype=bool)
    bad: dict[int, list[int]] = {}
    before = len(problems)

    def reporter(spec: Spec) -> C.Report:
        def report(i: int, raw: Any, message: str, code: str, hint: str | None) -> None:
            problems.append(DataProblem(file, spec.header, spec.field or spec.what, raw, message,
                                        int(nums[i]), code=code, hint=hint))
            filled[i] = True
            bad.setdefault(spec.index, []).append(i)
        return report

    out: dict[str, Any] = {}
    texts: dict[str, C.Coded] = {}
    for what in ("code", "county_name", "province", "school_id", "school_name"):
        spec = plan.first(what)
        if spec is not None:
            texts[what] = c = C.coded(chunk.columns[spec.index])
            filled |= c.codes >= 0
            _too_long(c, spec, budget.limits.text, reporter(spec))
    seg_spec = plan.first("segment")
    assert seg_spec is not None
    seg = C.enum_codes(chunk.columns[seg_spec.index], Segment, reporter(seg_spec),
                       seg_spec.values)
    filled |= seg >= 0
    for spec in plan.of("enum"):
        codes = C.enum_codes(chunk.columns[spec.index], _ENUMS[spec.field], reporter(spec),
                             spec.values)
        filled |= codes >= 0
        out["enum:" + spec.field] = codes
    for spec in plan.of("figure"):
        vals, miss = C.numbers(chunk.columns[spec.index], spec, reporter(spec))
        filled |= ~miss
        out["fig:" + spec.field] = vals
        out["miss:" + spec.field] = miss
    classes = _classes(plan, chunk, seg, reporter, bad, filled)
    # blank rows are not data; rows without a school id, a segment or a code are rejected
    keep = filled.copy()
    rows_read = int(filled.sum())
    for what, label in (("school_id", "学校代码"), ("code", "县区代码")):
        if what in texts:
            blank = texts[what].codes < 0
            _reject(file, plan.first(what), nums, keep & blank, label, problems)
            keep &= ~blank
    _reject(file, seg_spec, nums, keep & (seg < 0) & ~_bad_mask(bad, seg_spec.index, n),
            "学段", problems)
    keep &= seg >= 0
    county = texts.get("code", texts.get("county_name"))
    kept = int(keep.sum())
    every = kept == n  # most chunks keep every row: no copy of each array then

    def rows(a: Any) -> Any:
        return a if every else a[keep]

    out["county_key"] = (county if every else county.take(keep)) if county is not None \
        else C.Coded(np.zeros(kept, dtype=np.int64), np.array([stem]))
    for what in ("county_name", "province", "school_id", "school_name"):
        got = texts.get(what)
        out[what] = (got if every else got.take(keep)) if got is not None else \
            C.Coded(np.full(kept, -1, dtype=np.int64), np.zeros(0, "<U1"))
    out["segment"] = rows(seg)
    out["rownum"] = rows(nums)
    for k in list(out):
        if k.startswith(("enum:", "fig:", "miss:")):
            out[k] = rows(out[k])
    sizes, high, mult, counts, bands, no_list = classes
    if every:
        out["sizes"], out["high"], out["mult"] = sizes, high, mult
    else:
        keep_v = np.repeat(keep, counts)
        out["sizes"] = sizes[keep_v]
        out["high"] = high[keep_v] if high is not None else None
        out["mult"] = mult[keep_v] if mult is not None else None
    out["counts"] = rows(counts)
    out["bands"] = rows(bands)
    out["no_list"] = rows(no_list)
    ncls = int(out["mult"].sum()) if out["mult"] is not None else len(out["sizes"])
    budget.add(file, kept, ncls, len(problems) - before, int(nums[-1]) if n else 0)
    return out, rows_read


def _too_long(c: C.Coded, spec: Spec, limit: int, report: C.Report) -> None:
    """Texts longer than the ``text`` limit: not read (blank), a D025 problem each."""
    import numpy as np

    if not len(c) or (c.ints is not None and limit >= 20):
        return  # an integer's text has at most 20 characters
    long = np.flatnonzero(np.char.str_len(c.uniques) > limit)
    if not len(long):
        return
    rows = np.flatnonzero(np.isin(c.codes, long))
    for i in rows.tolist():
        text = str(c.uniques[c.codes[i]])
        report(i, text, f"the text has {len(text):,} characters, more than the limit "
               f"text={limit:,}; it is not read", "D025",
               "if the value is genuine, raise the limit: --limit text=N")
    c.codes[rows] = -1


def _bad_mask(bad: dict[int, list[int]], index: int, n: int) -> Any:
    import numpy as np

    m = np.zeros(n, dtype=bool)
    m[bad.get(index, [])] = True
    return m


def _reject(file: str, spec: Spec | None, nums: Any, mask: Any, label: str,
            problems: list[DataProblem]) -> None:
    """A D030 problem for each row of ``mask`` (a row without ``label``): left out."""
    import numpy as np

    for i in np.flatnonzero(mask).tolist():
        problems.append(DataProblem(
            file, spec.header if spec is not None else "", None, None,
            f"the row gives no {label}; it is left out", int(nums[i]), code="D030"))


def _classes(
    plan: Plan, chunk: Chunk, seg: Any, reporter: Callable[[Spec], C.Report],
    bad: dict[int, list[int]], filled: Any,
) -> tuple[Any, Any, Any, Any, Any, Any]:
    """Each row's classes: its 班额 list if given, else its size bands if given, else
    none (the list is missing).  A bad list or band count makes the list missing.

    Returns:
        (sizes, high, mult, counts per row, band rows, rows without a list); ``high``
        and ``mult`` are ``None`` when the table has no band column.
    """
    import numpy as np

    n = len(chunk.rownums)
    spec = plan.first("classes")
    if spec is not None:
        sizes, counts, blank, lbad = C.class_lists(chunk.columns[spec.index], reporter(spec))
        filled |= ~blank
    else:
        sizes, counts = np.zeros(0, np.int64), np.zeros(n, np.int64)
        blank, lbad = np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
    band_specs = sorted(plan.of("band"), key=lambda s: (s.band or (0, None))[0])
    if not band_specs:
        no_list = blank | lbad
        return sizes, None, None, counts, np.zeros(n, dtype=bool), no_list
    seg_names = [s.value for s in Segment]
    mat = np.zeros((n, len(band_specs)), dtype=np.int64)
    given = np.zeros(n, dtype=bool)
    band_bad = np.zeros(n, dtype=bool)
    for j, bs in enumerate(band_specs):
        vals, miss = C.numbers(chunk.columns[bs.index], bs, reporter(bs))
        applies = np.ones(n, dtype=bool) if bs.segment is None else \
            seg == seg_names.index(bs.segment)
        wrong = _bad_mask(bad, bs.index, n)
        filled |= ~miss
        given |= (~miss | wrong) & applies
        band_bad |= wrong & applies
        mat[:, j] = np.where(~miss & applies, np.nan_to_num(vals), 0).astype(np.int64)
    use_list = ~blank & ~lbad
    use_band = ~use_list & ~lbad & given & ~band_bad
    no_list = ~use_list & ~use_band
    ent = (mat > 0) & use_band[:, None]
    rows_b, cols_b = np.nonzero(ent)
    lows = np.array([(bs.band or (0, None))[0] for bs in band_specs], dtype=np.int64)
    highs = np.array([h if (h := (bs.band or (0, None))[1]) is not None else -1
                      for bs in band_specs], dtype=np.int64)
    counts = np.where(use_list, counts, ent.sum(axis=1))
    list_rows = np.repeat(np.arange(n), np.where(use_list, counts, 0))
    order = np.argsort(np.concatenate([list_rows, rows_b]), kind="stable")
    all_sizes = np.concatenate([sizes, lows[cols_b]])[order]
    all_high = np.concatenate([sizes, highs[cols_b]])[order]
    all_mult = np.concatenate([np.ones(len(sizes), np.int64), mat[rows_b, cols_b]])[order]
    return all_sizes, all_high, all_mult, counts, use_band, no_list


def _concat(file: str, acc: dict[str, list[Any]], plan: Plan, rows_read: int) -> FileArrays:
    import numpy as np

    def cat(key: str, dtype: Any = None) -> Any:
        parts = acc.get(key) or []
        if not parts:
            return np.zeros(0, dtype=dtype or np.int64)
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    fields = {s.field: cat("fig:" + s.field, np.float64) for s in plan.of("figure")}
    missing = {s.field: cat("miss:" + s.field, bool) for s in plan.of("figure")}
    enums = {s.field: cat("enum:" + s.field, np.int8) for s in plan.of("enum")}
    sizes = cat("sizes")
    highs = acc.get("high") or []
    has_bands = any(h is not None for h in highs)
    high = mult = None
    if has_bands:
        high = np.concatenate([h if h is not None else s for h, s in zip(highs, acc["sizes"],
                                                                            strict=True)])
        mult = np.concatenate([m if m is not None else np.ones(len(s), np.int64)
                               for m, s in zip(acc["mult"], acc["sizes"], strict=True)])
    return FileArrays(
        file, C.merge_coded(acc.get("county_key", [])),
        C.merge_coded(acc.get("county_name", [])), C.merge_coded(acc.get("province", [])),
        C.merge_coded(acc.get("school_id", [])), cat("segment", np.int8), fields, missing, enums, sizes, high,
        mult, cat("counts"), cat("bands", bool), cat("no_list", bool), cat("rownum"), rows_read,
        plan.first("code") is not None, C.merge_coded(acc.get("school_name", [])),
    )
