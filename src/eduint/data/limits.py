"""The limits on data files: how much eduint reads before it refuses, and why.

County bureaus send files of every size, and eduint may run behind a service, so every
quantity that a data file could make large is bounded.  Each limit has a default far
above real data (a county's workbook is a few thousand cells; a province's, a few
million) and a clear error when it is exceeded, naming the limit and how to raise it:
``eduint check DATA --limit rows=2000000`` (repeatable), or
``read_tables(path, limits=Limits(rows=2_000_000))`` and the same keyword on
:func:`~eduint.data.loading.load_county`.

Loading time and memory are linear in the data a file *holds*, not in what it declares:
a sheet's declared dimensions, empty rows and empty cells cost (almost) nothing, so the
limits below count only cells and values that hold data.

The table in ``docs/limits.md`` is generated from :data:`LIMITS` and :class:`Limits`
(:func:`limits_table`); a test keeps the two the same.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
from collections.abc import Iterable, Iterator

import attrs

from eduint.core.text import clip
from eduint.data.errors import DataFileError

__all__ = [
    "DEPTH",
    "LIMITS",
    "Limits",
    "clip",
    "gc_paused",
    "limits_table",
    "parse_limits",
    "read_limited",
]

_KIB = 1 << 10
_MIB = 1 << 20
_GIB = 1 << 30

#: Nesting a YAML/JSON data file may have (the models need far less); not raisable.
DEPTH = 64


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"limit {attribute.name} must be a positive whole number, got {value!r}")


def _limit(default: int, unit: str, meaning: str) -> int:
    """An attrs field for one limit, its unit and meaning kept as metadata."""
    result: int = attrs.field(
        default=default,
        validator=_positive,
        kw_only=True,
        metadata={"unit": unit, "meaning": meaning},
    )
    return result


@attrs.frozen
class Limits:
    """The limits one load of data observes (every field has a default; see the table
    in ``docs/limits.md``).

    Attributes:
        file_size: bytes of one data file (YAML, JSON, CSV or XLSX, as stored).
        expanded_size: bytes the parts of one XLSX workbook expand to, in all; checked
            from the zip's directory before anything is expanded, and again on the bytes
            actually expanded.
        compression_ratio: how many times its compressed size one part of an XLSX
            workbook may expand to (parts of up to 1 MiB are not held to it).
        rows: rows holding data in one sheet or CSV file (empty rows are not counted).
        columns: columns a sheet's header may span: the last column holding data in
            the rows searched for the header.
        cells: cells holding data in all the sheets of one load.
        values: values (scalars, mappings and lists, YAML aliases expanded) in one
            YAML or JSON file.
        schools: schools of one county.
        classes: classes of one county (a class list's entries; a size band is one).
        problems: data problems of one county's data: past it the file is refused
            (a file whose every row is a problem is not the data it should be, and
            reading and reporting each one takes time).
        text: characters of one value read (a name, an id, a cell's text); a longer
            value is a problem (D025) and is not read.
        national_file_size, national_rows, national_classes, national_problems: the
            limits of national input (:func:`eduint.data.national.read_national`), which
            reads instead of ``file_size``, ``rows``, ``cells``, ``schools``,
            ``classes`` and ``problems``.

    Raises:
        ValueError: a limit is not a positive whole number.
    """

    # A county's file within the other limits is a few MB; reading and counting a file
    # takes about 30 ms a MB (a 161 MB JSON file: 5 s and 1.4 GB to count its values).
    file_size: int = _limit(
        32 * _MIB, "bytes", "bytes of one data file (YAML, JSON, CSV or XLSX) as stored"
    )
    expanded_size: int = _limit(
        _GIB,
        "bytes",
        "bytes all the parts of one XLSX workbook expand to (checked before expanding)",
    )
    compression_ratio: int = _limit(
        100,
        "times",
        "times its compressed size one part of an XLSX workbook may expand to "
        "(parts of up to 1 MiB excepted)",
    )
    # rows and cells bound the time of a load: every row and cell holding data is read
    # before the rows are (about 25 µs a spreadsheet row, 8 µs a cell: 600,000 rows of
    # 3 cells took 15 s); a county within the schools and classes limits holds about
    # 200,000 (41 columns a school segment, 5 a class).  A province's workbook
    # may need more: --limit rows=N --limit cells=N.
    rows: int = _limit(
        100_000, "rows", "rows holding data in one sheet or CSV file (empty rows not counted)"
    )
    columns: int = _limit(
        1_000,
        "columns",
        "columns a sheet's header may span (the last column holding data in the rows "
        "searched for the header)",
    )
    cells: int = _limit(500_000, "cells", "cells holding data in all the sheets of one load")
    values: int = _limit(
        500_000,
        "values",
        "values (scalars, mappings, lists; YAML aliases expanded) in one YAML or JSON file",
    )
    # A check takes about 4 ms a school with its classes: a county of 1,000 schools and
    # 17,150 classes, 4.0 s of CPU for `eduint check --format json` (2.8 s for the text
    # table), within issue 14's 5 s.  The average county has 70 schools and 1,500
    # classes (2,850 counties, 200,000 schools, 4.3 million classes).
    schools: int = _limit(1_000, "schools", "schools of one county")
    classes: int = _limit(
        30_000, "classes", "classes of one county (a class list's entries; a size band is one)"
    )
    problems: int = _limit(
        50_000,
        "problems",
        "data problems of one county's data (past it the file is refused: it is not the "
        "data it should be)",
    )
    text: int = _limit(
        10_000, "characters", "characters of one value read (a name, an id, a cell's text)"
    )
    # National input (eduint.data.national.read_national): one row per school segment of
    # many counties.  perfref's scale-1 data set, the national scale, is 216,110 rows and
    # 4.3 million classes (a CSV of about 60 MB with its class lists); the defaults pass
    # it with room, and a national run takes seconds and about 100 bytes a class.
    national_file_size: int = _limit(
        2 * _GIB,
        "bytes",
        "bytes of one national data file (Parquet, CSV, XLSX or JSONL) as stored",
    )
    national_rows: int = _limit(
        1_000_000,
        "rows",
        "rows (school segments) of national data, all its files together",
    )
    national_classes: int = _limit(
        20_000_000,
        "classes",
        "classes of national data (the entries of the 班额 lists and the size bands' counts)",
    )
    national_problems: int = _limit(
        1_000_000,
        "problems",
        "data problems of national data, all its files together (past it the data is refused)",
    )

    def exceeded(self, name: str, what: str, then: str = "") -> str:
        """The message for a limit exceeded: ``what`` was found (``the file holds
        300,000,000 bytes``), the limit, what follows (``then``), how to raise it."""
        value = getattr(self, name)
        then = f" ({then})" if then else ""
        return (
            f"{what}, more than the limit {name}={_shown(value, name)}{then}; if the data "
            f"is genuine, raise the limit: --limit {name}=N (eduint check) or "
            f"Limits({name}=N) (Python)"
        )


def read_limited(path: str | os.PathLike[str], shown: str, limits: Limits) -> bytes:
    """The bytes of a data file, refused when larger than ``limits.file_size``.

    The size is checked before reading, and the read stops one byte past the limit (a
    file that grows, or a device, cannot make eduint read more).

    Raises:
        DataFileError: the file cannot be read (D001) or is too large (D005).
    """
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > limits.file_size:
                data = b""
            elif size:  # read(n) reserves n bytes: ask for what the file holds
                data = f.read(size + 1)
            else:  # a device or a pipe says 0: read in chunks up to the limit
                parts: list[bytes] = []
                got = 0
                while got <= limits.file_size and (part := f.read(1 << 20)):
                    parts.append(part)
                    got += len(part)
                data = b"".join(parts)
    except OSError as exc:
        raise DataFileError(shown, f"cannot read the file: {exc.strerror or exc}") from None
    if size > limits.file_size or len(data) > limits.file_size:
        raise DataFileError(
            shown,
            limits.exceeded("file_size", f"the file holds {max(size, len(data)):,} bytes"),
            code="D005",
        )
    return data


#: Every limit: name → (default, unit, meaning), in the order of :class:`Limits`.
LIMITS: dict[str, tuple[int, str, str]] = {
    f.name: (f.default or 0, f.metadata["unit"], f.metadata["meaning"])
    for f in attrs.fields(Limits)
}

_SIZE_SUFFIX = {"": 1, "k": _KIB, "kib": _KIB, "m": _MIB, "mib": _MIB, "g": _GIB, "gib": _GIB}


def _shown(value: int, name: str) -> str:
    """A limit's value as messages and the docs show it (bytes in KiB/MiB/GiB)."""
    if LIMITS[name][1] == "bytes":
        for size, suffix in ((_GIB, "GiB"), (_MIB, "MiB"), (_KIB, "KiB")):
            if value % size == 0:
                return f"{value // size:,} {suffix}"
    return f"{value:,}"


def parse_limits(options: Iterable[str], base: Limits | None = None) -> Limits:
    """``NAME=N`` options (``rows=2000000``, ``file_size=1GiB``) → :class:`Limits`.

    Numbers may use ``_`` or ``,`` between digits; byte limits take the suffixes
    ``K``/``KiB``, ``M``/``MiB``, ``G``/``GiB`` (powers of 1024).

    Args:
        options: the options as typed.
        base: the limits to start from (the defaults when ``None``).

    Raises:
        ValueError: an unknown name, a malformed option or a value that is not a
            positive whole number (the message lists the names).
    """
    changes: dict[str, int] = {}
    for option in options:
        name, sep, text = option.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in LIMITS:
            raise ValueError(
                f"unknown limit {option!r}; expected NAME=N with NAME one of " + ", ".join(LIMITS)
            )
        m = re.fullmatch(r"\s*(\d[\d_,]*)\s*([A-Za-z]*)\s*", text)
        suffix = m[2].lower() if m else ""
        if m is None or suffix not in _SIZE_SUFFIX or (suffix and LIMITS[name][1] != "bytes"):
            raise ValueError(f"limit {name}: expected a whole number, got {text.strip()!r}")
        changes[name] = int(m[1].replace("_", "").replace(",", "")) * _SIZE_SUFFIX[suffix]
    return attrs.evolve(base or Limits(), **changes)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is loaded.

    Loading makes millions of objects that all live to the end; each collection of the
    oldest generation walks every one of them, which made loading time grow faster than
    the file (a YAML county of 10,000 schools spent most of its time there).  The data
    holds no cycles to collect; the collector runs again afterwards.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def limits_table() -> str:
    """The limits as a Markdown table (name, default, meaning), for ``docs/limits.md``."""
    lines = [
        "| limit | default | what it bounds |",
        "|---|---|---|",
    ]
    for name, (default, unit, meaning) in LIMITS.items():
        shown = _shown(default, name) + ("" if unit == "bytes" else f" {unit}")
        lines.append(f"| `{name}` | {shown} | {meaning} |")
    return "\n".join(lines) + "\n"
