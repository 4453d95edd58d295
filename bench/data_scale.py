"""Data-file scale bench: time and peak memory of loading hostile data files (issue 14).

Each case is built once in a temporary folder (not timed), then loaded in a fresh
Python process through the public API (``eduint.data.spreadsheets.read_tables`` for
workbooks, ``eduint.load_county`` for YAML), with a time limit.  Printed per case: the
file's size, the wall time of the load, the peak resident memory of the whole process
(``VmHWM``, else ``ru_maxrss``; the interpreter and eduint's imports take about 40 MiB),
with ``--traced`` the peak of Python allocations during the load (``tracemalloc``, which
slows the load), and the outcome (loaded, or the first line of eduint's error).

Cases:

* ``empty-rows``: the example workbook whose school sheet holds 1,000,000 formatted
  empty rows (its dimension declares A1:XFD1048576);
* ``far-cell``: the example workbook with one more value, in cell XFD1048576;
* ``xlsx-100k-rows``: real data at scale, the example workbook's 8 school rows copied
  to 100,000 rows of 45 columns (fresh ids);
* ``zip-bomb``: the example workbook whose school sheet expands to 2 GiB of blanks;
* ``zip-bomb-lying``: the same, the zip's directory declaring the part as 64 KiB;
* ``yaml-100k``: a YAML county of 100,000 plain schools (ten values each: a line of
  the statistics), loaded with ``schools=200000`` (the default limit is 1,000);
* ``yaml-20k-rich``: a YAML county of 20,000 schools, the example's 7 copied without
  their lists of classes (about 70 values each);
* ``long-name``: a YAML county whose name is 1,000,000 characters long.

Usage::

    python bench/data_scale.py                 # every case, 120 s limit each
    python bench/data_scale.py far-cell yaml-100k --timeout 60
    python bench/data_scale.py --src ../main/src      # the code of another checkout
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import _hostile_data as hostile  # noqa: E402

_CHILD = r"""
import json, resource, sys, time, tracemalloc
kind, path, traced = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
import eduint
from eduint.data.spreadsheets import read_tables
try:
    from eduint.data.limits import parse_limits
    kw = {"limits": parse_limits(sys.argv[4:])}
except ImportError:  # an eduint before the limits (--src)
    kw = {}
if traced:
    tracemalloc.start()
t0 = time.perf_counter()
outcome = "loaded"
try:
    if kind == "xlsx":
        results = read_tables(path, **kw)
        outcome += f": {len(results)} county, {sum(len(r.problems) for r in results)} problems"
    else:
        result = eduint.load_county(path, **kw)
        outcome += f": {len(result.county.schools or ())} schools, {len(result.problems)} problems"
except eduint.EduintError as exc:
    outcome = "refused: " + str(exc).splitlines()[0][:160]
elapsed = time.perf_counter() - t0
_cur, peak = tracemalloc.get_traced_memory() if traced else (0, 0)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
try:  # ru_maxrss counts the parent's pages before exec; VmHWM is this process's own
    with open("/proc/self/status") as f:
        rss = next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(json.dumps({"outcome": outcome, "seconds": elapsed, "traced": peak, "rss": rss}))
"""

CASES: dict[str, tuple[str, str, Callable[[Path], Path]]] = {  # kind, file, builder
    "empty-rows": ("xlsx", "empty-rows.xlsx", hostile.empty_rows_xlsx),
    "far-cell": ("xlsx", "far-cell.xlsx", hostile.far_cell_xlsx),
    "xlsx-100k-rows": ("xlsx", "many-rows.xlsx", hostile.many_rows_xlsx),
    "zip-bomb": ("xlsx", "bomb.xlsx", hostile.zip_bomb_xlsx),
    "zip-bomb-lying": (
        "xlsx",
        "bomb-lying.xlsx",
        lambda p: hostile.zip_bomb_xlsx(p, honest=False),
    ),
    "yaml-100k": (
        "yaml",
        "county-100k.yaml",
        lambda p: _write(p, hostile.plain_county_yaml(100_000)),
    ),
    "yaml-20k-rich": (
        "yaml",
        "county-20k-rich.yaml",
        lambda p: _write(p, hostile.county_yaml(20_000)),
    ),
    "long-name": ("yaml", "long-name.yaml", lambda p: _write(p, hostile.long_name_yaml())),
}


#: Limits raised for a case (``NAME=N``, as ``eduint check --limit``): counties of
#: 20,000 and 100,000 schools are far past the default ``schools`` limit (1,000).
LIMITS: dict[str, tuple[str, ...]] = {
    "yaml-100k": ("schools=200000", "values=2000000", "file_size=1GiB"),
    "xlsx-100k-rows": ("schools=200000", "rows=200000", "cells=10000000", "file_size=1GiB"),
    "yaml-20k-rich": ("schools=200000", "classes=1000000", "values=2000000", "file_size=1GiB"),
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _mib(n: float) -> str:
    return f"{n / (1 << 20):,.0f} MiB"


def main() -> int:
    """Build and load each case; print one line per case."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="*", choices=[*CASES, []], help="default: all")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per load")
    ap.add_argument(
        "--src",
        type=Path,
        help="load with the eduint of another checkout's src/ (PYTHONPATH), e.g. to "
        "measure the code before a change",
    )
    ap.add_argument(
        "--traced",
        action="store_true",
        help="also trace Python allocations (tracemalloc; slows the load several times)",
    )
    args = ap.parse_args()
    names = args.cases or list(CASES)
    print(f"python {sys.version.split()[0]}; limit {args.timeout:.0f} s per load")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            kind, file, build = CASES[name]
            path = build(Path(tmp) / file)
            size = path.stat().st_size
            t0 = time.perf_counter()
            env = dict(os.environ)
            if args.src is not None:
                env["PYTHONPATH"] = str(args.src.resolve())
            try:
                run = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        _CHILD,
                        kind,
                        str(path),
                        str(int(args.traced)),
                        *LIMITS.get(name, ()),
                    ],
                    capture_output=True,
                    text=True,
                    timeout=args.timeout,
                    env=env,
                )
            except subprocess.TimeoutExpired:
                print(f"{name:15} file {_mib(size):>10}  did not finish in {args.timeout:.0f} s")
                continue
            if run.returncode != 0:
                last = (run.stderr.strip().splitlines() or ["?"])[-1]
                wall = time.perf_counter() - t0
                print(f"{name:15} file {_mib(size):>10}  crashed after {wall:.1f} s: {last}")
                continue
            r = json.loads(run.stdout.strip().splitlines()[-1])
            traced = f"  traced {_mib(r['traced']):>9}" if args.traced else ""
            raised = f" [--limit {' '.join(LIMITS[name])}]" if name in LIMITS else ""
            print(
                f"{name:15} file {_mib(size):>8}  {r['seconds']:6.2f} s  "
                f"peak RSS {_mib(r['rss']):>9}{traced}  {r['outcome']}{raised}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
