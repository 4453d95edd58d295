"""Synthetic national data: one row per school segment, every county of a made-up China.

``eduint synth --scale S --seed N --output FILE`` (:func:`write_synth`) writes a
reproducible data set in eduint's own column names (the field registry's Chinese labels,
:func:`eduint.data.spreadsheets.default_headers`), for benchmarks, demonstrations and
tests of the national input path.  **Nothing in it is real**: the number of counties per
province is roughly the real one (GB/T 2260 province codes, county-level divisions
around 2020), every figure below the county is drawn from the distributions in this
module (after ``perfref/gen_national.py``, the reference generator of the performance
work).  The file says so itself (Parquet key-value metadata ``eduint.synthetic``, an XLSX
说明 sheet, a ``说明`` file beside a CSV or JSONL file and inside a folder).

Scale 1 is about 2,850 counties, 200,000 schools, 216,000 school-segment rows and
4.3 million classes; scale 0.01 about 28 counties.  The same scale and seed give the same
bytes.

The data:

* schools: 小学, 初级中学, 九年一贯制学校 (two rows, 学段 小学 and 初中, same 学校代码,
  each with its own segment's figures) and 教学点 (rural, 10–100 students); from small
  rural schools to urban schools of 3,000 students and more;
* class sizes (the list column ``班额``, 人): a few crowded schools give classes over 56
  (大班额) and over 66 (超大班额);
* figures in the registry's units (人, 平方米, 元, 间, 册, 台), spread around the 2017
  standards (教督〔2017〕6号) so that the resource rules give both 达到 and 未达到;
* missing figures (null, an empty cell; never 0): scattered over the figures the
  2017 resource rules do not read, and concentrated in a few counties for those they do.

numpy is imported when a data set is made (``eduint[columnar]``); pyarrow only to write
Parquet (``eduint[parquet]``).  The formats, columns and distributions are described in
``docs/synthetic.md``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from eduint.errors import MissingDependencyError
from eduint.testing._synth_data import (
    BASE_COUNTIES,
    COLUMNS,
    FORMATS,
    MAX_SCALE,
    PROVINCES,
    XLSX_MAX_ROWS,
    SynthError,
    SynthTable,
)

__all__ = [
    "COLUMNS",
    "FORMATS",
    "MAX_SCALE",
    "PROVINCES",
    "SynthError",
    "SynthTable",
    "synthesize",
    "write_synth",
]


def numpy_or_error() -> Any:
    """numpy, or a :class:`~eduint.errors.MissingDependencyError` (an ``ImportError``, a
    user error on the command line) that says how to install it."""
    try:
        import numpy
    except ImportError:
        raise MissingDependencyError(
            "error: eduint synth needs numpy: pip install 'eduint[columnar]'"
        ) from None
    return numpy


def counties_for(scale: float) -> int:
    """The number of counties at ``scale`` (at least one; provinces get counties in
    proportion to their real counts, so a small scale leaves the smallest without).

    Raises:
        SynthError: ``scale`` is not a positive number up to :data:`MAX_SCALE`.
    """
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and 0 < scale <= MAX_SCALE):
        raise SynthError(
            f"error: the scale must be a positive number up to {MAX_SCALE:g}, got {scale!r}"
        )
    return max(1, int(round(BASE_COUNTIES * scale)))


def synthesize(scale: float = 1.0, seed: int = 1) -> SynthTable:
    """Make the synthetic national table at ``scale`` (1 ≈ 2,850 counties, 200,000
    schools, 4.3 M classes) from ``seed``; the same arguments give the same table.

    Raises:
        MissingDependencyError: numpy is not installed.
        SynthError: ``scale`` is not a positive number up to
            :data:`MAX_SCALE`, or ``seed`` is not a whole number of 0 or more.
    """
    from eduint.testing._synth_gen import generate

    np = numpy_or_error()
    n_counties = counties_for(scale)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SynthError(f"error: the seed must be a whole number of 0 or more, got {seed!r}")
    # a float either way, so that scale 1 and 1.0 give the same metadata and bytes
    return generate(np.random.default_rng(seed), n_counties, float(scale), seed)


def format_of(path: str | Path, fmt: str | None) -> str:
    """The format to write ``path`` in: ``fmt`` when given, else by suffix (a path ending
    in ``/`` or naming an existing folder is a folder).

    Raises:
        SynthError: the format cannot be told or is unknown.
    """
    if fmt is not None:
        if fmt not in {*FORMATS.values(), "folder"}:
            raise SynthError(f"error: unknown format {fmt!r}")
        return fmt
    if str(path).endswith(("/", "\\")) or Path(path).is_dir():
        return "folder"
    found = FORMATS.get(Path(path).suffix.lower())
    if found is None:
        raise SynthError(
            f"error: {path}: cannot tell the format from the suffix: use .parquet, .csv, "
            ".jsonl, .xlsx, a path ending in / (a folder of county files) or --format"
        )
    return found


def write_synth(
    path: str | Path, scale: float = 1.0, seed: int = 1, fmt: str | None = None
) -> SynthTable:
    """Make the synthetic table (:func:`synthesize`) and write it to ``path``.

    Args:
        path: the file (or folder) to write; its suffix chooses the format unless ``fmt``
            is given.
        scale: 1 ≈ 2,850 counties; 0.01 ≈ 28.
        seed: the random seed.
        fmt: ``"parquet"`` (class sizes as ``list<int16>``, key-value metadata
            ``eduint.synthetic``), ``"csv"`` (UTF-8, class sizes joined by ``;``, with
            ``FILE.说明.txt`` beside it), ``"jsonl"`` (one object per row, class sizes a
            list, ``FILE.说明.txt`` beside it), ``"xlsx"`` (sheets 学校 and 说明; at most
            :data:`XLSX_MAX_ROWS` rows) or ``"folder"`` (``<code>-<name>-学校.csv`` per
            county and ``说明.csv``).

    Returns:
        The table written.

    Raises:
        MissingDependencyError: numpy (or for Parquet pyarrow) is not installed.
        SynthError: the format cannot be told; too many rows for XLSX.
        OSError: the file cannot be written.
    """
    from eduint.testing import _synth_write

    target = Path(path)
    kind = format_of(path, fmt)
    if kind == "parquet":
        _synth_write.pyarrow_or_error()
    table = synthesize(scale, seed)
    if kind == "xlsx" and table.rows > XLSX_MAX_ROWS:
        raise SynthError(
            f"error: {table.rows:,} rows are too many for an XLSX file (at most "
            f"{XLSX_MAX_ROWS:,}): use .parquet, .csv, .jsonl or a folder, or a smaller --scale"
        )
    _synth_write.WRITERS[kind](table, target)
    return table
