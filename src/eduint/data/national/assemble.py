"""The files' arrays put together: counties numbered, rows sorted, schools numbered.

Rows are sorted by county (by its code, or its name where no code is given), school
and segment, with one stable :func:`numpy.lexsort`; schools are ordered as the record
engine orders them (digit runs by value: :func:`eduint.core.refs.natural_key`), and an
id of digits is one school with or without its leading zeros (as the spreadsheet
reader's :func:`~eduint.data.spreadsheets.rows.id_key`).  A school segment given twice
is a problem (D011): the first row is kept.  The class lists move with their rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eduint.data.errors import DataFileError, DataProblem
from eduint.data.national.convert import merge_coded
from eduint.data.national.model import NationalData

if TYPE_CHECKING:
    from eduint.data.national.read import FileArrays

__all__ = ["assemble"]


def assemble(
    parts: Sequence[FileArrays], problems: list[DataProblem], notices: list[DataProblem]
) -> NationalData:
    """The files' arrays as one :class:`NationalData`.

    Raises:
        DataFileError: a county's rows are in two files (D006); no row is used (D003).
    """
    import numpy as np

    files = tuple(p.file for p in parts)
    _one_file_a_county(parts)
    rows_read = sum(p.rows_read for p in parts)
    key = merge_coded([p.county_key for p in parts], sort=True)
    if len(key.codes) == 0:
        first = next(iter(problems), None)
        why = f"; the first problem: {first}" if first is not None else ""
        what = "holds no data rows" if rows_read == 0 else f"uses none of its {rows_read} rows"
        raise DataFileError(files[0] if len(files) == 1 else ", ".join(files),
                            f"the data {what}{why}", code="D003")
    codes_u, county = key.uniques, key.codes
    sids = merge_coded([p.school_id for p in parts])
    school_rank = _school_ranks(sids)
    # ids typed as integers are their own texts (str of each) and their own ranks:
    # kept as int64, not made into 200,000 texts a summary never shows
    sid = school_rank if _typed_ids(sids) else sids.texts()
    seg = _cat([p.segment for p in parts], np.int8)
    order = np.lexsort((seg, school_rank, county))
    identity = not np.any(np.diff(order) != 1)
    # the same school segment twice: the first in file order is kept
    c, s, g = county[order], school_rank[order], seg[order]
    dup = np.zeros(len(order), dtype=bool)
    dup[1:] = (c[1:] == c[:-1]) & (s[1:] == s[:-1]) & (g[1:] == g[:-1])
    files_of = _cat([np.full(len(p.segment), k, dtype=np.int32) for k, p in
                     enumerate(parts)], np.int32)
    if dup.any():
        rownum = _cat([p.rownum for p in parts], np.int64)
        for j in np.flatnonzero(dup).tolist():
            r = int(order[j])
            problems.append(DataProblem(
                files[int(files_of[r])], "", "segment", str(sid[r]),
                f"the segment {_seg_name(int(seg[r]))} of school {sid[r]} is given again; "
                "the first row is kept and this one is left out", int(rownum[r]), code="D011"))
        order = order[~dup]
        identity = False

    def take(a: Any) -> Any:
        return a if identity else a[order]

    county_s = take(county)
    rank_s = take(school_rank)
    fields, missing = _fields(parts, take, len(county))
    enums = _enums(parts, take, len(county))
    sizes, offsets, high, mult = _classes(parts, order if not identity else None)
    bands = take(_cat([p.bands for p in parts], bool))
    no_list = take(_cat([p.no_list for p in parts], bool))
    names, provinces = _county_texts(parts, county, len(codes_u), notices, codes_u, files)
    school_names = None
    if any(len(p.school_name.uniques) for p in parts):
        school_names = take(merge_coded([p.school_name for p in parts]).texts())
    return NationalData(
        county=county_s,
        school=rank_s,
        segment=take(seg),
        school_ids=take(sid),
        fields=fields,
        missing=missing,
        school_kind=enums.get("kind"),
        ownership=enums.get("ownership"),
        location=enums.get("location"),
        class_sizes=sizes,
        class_offsets=offsets,
        class_mult=mult,
        class_high=high,
        class_bands=bands if high is not None else None,
        class_missing=no_list if no_list.any() else None,
        county_codes=tuple(str(x) for x in codes_u.tolist()) if parts[0].has_code
        else tuple(None for _ in codes_u.tolist()),
        county_names=names,
        provinces=provinces,
        files=files,
        rows_read=rows_read,
        rows_used=len(county_s),
        problems=tuple(problems),
        notices=tuple(notices),
        school_names=school_names,
    )


def _seg_name(code: int) -> str:
    from eduint.data.models import Segment

    return list(Segment)[code].value


def _cat(parts: Sequence[Any], dtype: Any) -> Any:
    import numpy as np

    parts = [p for p in parts if p is not None]
    if not parts:
        return np.zeros(0, dtype=dtype)
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


def _one_file_a_county(parts: Sequence[FileArrays]) -> None:
    """Each county's rows are in one file.

    Raises:
        DataFileError: a county is in two files (D006), naming both.
    """

    if len(parts) < 2:
        return
    seen: dict[str, str] = {}
    for p in parts:
        for k in p.county_key.uniques.tolist():
            if k in seen:
                raise DataFileError(
                    p.file,
                    f"county {k} has rows in two files: {seen[k]} and {p.file}; give each "
                    "county's rows in one file",
                    code="D006",
                )
            seen[k] = p.file


def _typed_ids(sid: Any) -> bool:
    """Whether the school ids were typed as integers, none negative or of more than
    18 digits: each id's text is its digits, and its rank is its value."""
    ints = sid.ints
    return ints is not None and len(ints) > 0 and int(ints.min()) >= 0 \
        and int(ints.max()) < 10**18


def _school_ranks(sid: Any) -> Any:
    """Each row's school as an int64 ordered as the record engine orders school ids
    (digit runs by value); ids of digits equal with or without leading zeros."""
    import numpy as np

    inv = sid.codes
    if len(inv) == 0:
        return np.zeros(0, dtype=np.int64)
    if _typed_ids(sid):
        # ids typed as integers (a Parquet file's): their texts are their digits, as
        # below, without stripping and parsing 200,000 texts
        return sid.ints[inv]
    uniq = sid.uniques
    digits = (np.char.str_len(np.char.strip(uniq, "0123456789")) == 0) & \
        (np.char.str_len(uniq) <= 18)
    if digits.all():
        return uniq.astype(np.int64)[inv]
    from eduint.core.refs import natural_key

    u = uniq.tolist()

    def ident(x: str) -> str:
        return (x.lstrip("0") or "0") if x.isascii() and x.isdigit() else x

    idents = sorted({ident(x) for x in u}, key=natural_key)
    rank = {x: k for k, x in enumerate(idents)}
    per = np.array([rank[ident(x)] for x in u], dtype=np.int64)
    return per[inv]


def _fields(parts: Sequence[FileArrays], take: Any, n: int) -> tuple[dict[str, Any],
                                                                   dict[str, Any]]:
    """The figures of every file by field (a field a file lacks is missing there)."""
    import numpy as np

    names = list(dict.fromkeys(f for p in parts for f in p.fields))
    fields: dict[str, Any] = {}
    missing: dict[str, Any] = {}
    for name in names:
        vals = [p.fields.get(name, np.full(len(p.segment), np.nan)) for p in parts]
        miss = [p.missing.get(name, np.ones(len(p.segment), dtype=bool)) for p in parts]
        fields[name] = take(_cat(vals, np.float64))
        m = take(_cat(miss, bool))
        missing[name] = m
    return fields, missing


def _enums(parts: Sequence[FileArrays], take: Any, n: int) -> dict[str, Any]:
    import numpy as np

    names = list(dict.fromkeys(f for p in parts for f in p.enums))
    return {
        name: take(_cat([p.enums.get(name, np.full(len(p.segment), -1, np.int8))
                         for p in parts], np.int8))
        for name in names
    }


def _classes(parts: Sequence[FileArrays], order: Any) -> tuple[Any, Any, Any, Any]:
    """The class entries in the sorted rows' order, their CSR offsets, and the bands'
    upper bounds and multiplicities (``None`` without bands)."""
    import numpy as np

    sizes = _cat([p.sizes for p in parts], np.int64)
    counts = _cat([p.counts for p in parts], np.int64)
    has_bands = any(p.high is not None for p in parts)
    high = mult = None
    if has_bands:
        high = _cat([p.high if p.high is not None else p.sizes for p in parts], np.int64)
        mult = _cat([p.mult if p.mult is not None else np.ones(len(p.sizes), np.int64)
                     for p in parts], np.int64)
    off = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=off[1:])
    if order is not None:
        new_counts = counts[order]
        starts = off[:-1][order]
        new_off = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(new_counts, out=new_off[1:])
        idx = np.repeat(starts - new_off[:-1], new_counts) + np.arange(int(new_off[-1]))
        sizes = sizes[idx]
        if high is not None and mult is not None:
            high, mult = high[idx], mult[idx]
        off = new_off
    top = int(sizes.max(initial=0))
    sizes = sizes.astype(np.int16 if top < 2**15 else np.int32, copy=False)
    return sizes, off, high, mult


def _county_texts(
    parts: Sequence[FileArrays], county: Any, count: int, notices: list[DataProblem],
    codes: Any, files: tuple[str, ...],
) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    """Each county's name (its first row's 县区名称, else its code) and province."""
    import numpy as np

    out = []
    for what in ("county_name", "province"):
        texts = merge_coded([getattr(p, what) for p in parts])
        first = np.full(count, -1, dtype=np.int64)
        rows = np.flatnonzero(texts.codes >= 0)
        # the first row of each county that gives it (rows in file order)
        c = county[rows]
        _u, at = np.unique(c, return_index=True)
        first[c[at]] = rows[at]
        out.append([str(texts.uniques[texts.codes[r]]) if r >= 0 else None
                    for r in first.tolist()])
    names: list[str] = []
    unnamed = 0
    for k, name in enumerate(out[0]):
        if name is None:
            unnamed += 1
            names.append(str(codes[k]))
        else:
            names.append(name)
    if unnamed:
        notices.append(DataProblem(
            files[0], "", "name", None,
            f"{unnamed:,} counties have no 县区名称; each is named after its code", code="D042"))
    return tuple(names), tuple(out[1])
