"""Columnar bench (issue 18): eduint's columnar engine against perfref's programs, in process.

For each scale (0.1 and 1 by default) perfref's synthetic national data is generated
into a temporary directory (``gen_national.py``, NPZ and Parquet), read into memory the
way each program reads it, and then, in the same process and alternating the programs
round by round, each program goes from its data in memory to its per-county results:

* ``numpy``: ``ref_numpy.compute`` over the NPZ columns (the yardstick);
* ``eduint``: :func:`eduint.engine.columnar.evaluate_many` over a frame built from the
  same arrays (``bench/_perfref_frame.py``, ``bench/perfref.rules``): the per-county
  verdicts and the per-entity outcome columns; ``eduint+summary`` adds
  ``ColumnarResult.summary()`` (counts per rule and outcome, class totals);
* ``pandas``: ``ref_pandas.compute`` over ``pd.read_parquet``'s frame (a fresh copy per
  run, made outside the timing, since it adds columns);
* ``python``: ``ref_python.evaluate`` over its attrs objects (built outside the timing).

Times are medians over ``--rounds`` rounds (after one warm-up round, which also compiles
the rule set), wall time and CPU time (user+system of the process: less disturbed when
other work shares the cores); peak memory is tracemalloc's peak of new allocations during one more run
of each program (numpy and pandas report their buffers to tracemalloc).  eduint's passes,
CV verdicts and class counts are checked equal to ``ref_numpy``'s (a county segment of
one school has CV 0 for perfref and 不适用 for eduint: counted as within the limit).

The whole process from the Parquet file to the written summary, each program a fresh
process (issue 19's targets), is ``bench/whole.py``, also run as
``python bench/run.py --whole [its options]``.

Needs perfref (``--perfref DIR``, ``$EDUINT_PERFREF``, ``../shared/perfref``) and numpy,
pyarrow and pandas (``pip install -e '.[bench]'``)::

    python bench/run.py                 # scales 0.1 and 1, 7 rounds
    python bench/run.py --scales 0.01 --rounds 5
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _perfref_frame as P  # noqa: E402

PROGRAMS = ("numpy", "eduint", "eduint+summary", "pandas", "python")


def generate(perfref: Path, scale: str, out: Path) -> tuple[Path, Path]:
    """perfref's data set at ``scale`` as NPZ and Parquet in ``out``."""
    subprocess.run(
        [sys.executable, str(perfref / "gen_national.py"), "--scale", scale, "--format", "both",
         "--out-dir", str(out)],
        check=True, capture_output=True, cwd=perfref,
    )  # fmt: skip
    return out / f"national_s{scale}.npz", out / f"national_s{scale}.parquet"


def programs(npz: Path, parquet: Path) -> tuple[dict[str, Callable[[], Any]], dict[str, Any]]:
    """Each program as a function from its data in memory to its results, and the data."""
    import ref_numpy
    import ref_pandas
    import ref_python

    from eduint.engine.columnar import evaluate_many

    rs = P.ruleset()
    arrays = ref_numpy.load(str(npz))[0]
    cols = P.load_npz(npz)
    df = ref_pandas.load(str(parquet))[0]
    rows, _ = ref_python.load_rows(str(npz))
    schools = ref_python.build_objects(rows, "attrs")
    del rows
    state: dict[str, Any] = {"df": None}

    def pandas_run() -> Any:
        return ref_pandas.compute(state.pop("df"))

    def eduint_summary() -> Any:
        res = evaluate_many(rs, P.to_frame(cols, rs))
        return res, res.summary()

    run = {
        "numpy": lambda: ref_numpy.compute(arrays),
        "eduint": lambda: evaluate_many(rs, P.to_frame(cols, rs)),
        "eduint+summary": eduint_summary,
        "pandas": pandas_run,
        "python": lambda: ref_python.evaluate(schools, "attrs"),
    }
    return run, {"df": df, "state": state}


def _prepare(name: str, data: dict[str, Any]) -> None:
    if name == "pandas":
        data["state"]["df"] = data["df"].copy(deep=True)
    gc.collect()


def timed(
    run: dict[str, Callable[[], Any]], data: dict[str, Any], rounds: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU (user+system of this process) seconds per run of each program,
    alternating the programs (the order rotated each round)."""
    times: dict[str, list[float]] = {k: [] for k in run}
    cpu: dict[str, list[float]] = {k: [] for k in run}
    order = list(run)
    for r in range(rounds + 1):
        for name in order[r % len(order):] + order[: r % len(order)]:
            _prepare(name, data)
            c = time.process_time()
            t = time.perf_counter()
            run[name]()
            dt = time.perf_counter() - t
            dc = time.process_time() - c
            if r:  # round 0 is the warm-up
                times[name].append(dt)
                cpu[name].append(dc)
    return times, cpu


def peaks(run: dict[str, Callable[[], Any]], data: dict[str, Any]) -> dict[str, int]:
    """tracemalloc's peak of new allocations (bytes) during one run of each program."""
    out = {}
    for name in run:
        _prepare(name, data)
        tracemalloc.start()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        result = run[name]()
        out[name] = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        del result
    return out


def check(run: dict[str, Callable[[], Any]]) -> tuple[bool, dict[str, Any]]:
    """eduint's passes, CV verdicts and class counts against ref_numpy's; the counts."""
    import numpy as np

    ref = run["numpy"]()
    res = run["eduint"]()
    got = P.extract(res)
    same = all(np.array_equal(got[k], ref[k]) for k in ("passed", "cv_ok", "classes"))
    info = {
        "counties": res.counties,
        "rows passed": int(got["passed"].sum()),
        "CV ok": int(got["cv_ok"].all(axis=2).sum()),
        "classes": int(got["classes"][:, :, 0].sum()),
        "exact path": res.stats.near,
        "int64 compares": res.stats.int_compares,
        "float compares": res.stats.float_compares,
        "record engine entities": res.deferred,
        "fallback rules": len(res.fallback),
    }
    return same, info


def machine() -> str:
    """The machine, as docs/performance.md records it."""
    import numpy

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"Python {platform.python_version()}, numpy {numpy.__version__}")


def report(scale: str, times: dict[str, list[float]], cpu: dict[str, list[float]],
           peak: dict[str, int], same: bool, info: dict[str, Any]) -> list[str]:
    """The lines printed for one scale."""
    med = {k: statistics.median(v) for k, v in times.items()}
    cmed = {k: statistics.median(v) for k, v in cpu.items()}
    lines = [f"scale {scale}: " + ", ".join(f"{k} {v}" for k, v in info.items()),
             f"  eduint equals ref_numpy (passes, CV verdicts, class counts): {same}",
             f"  {'program':16} {'median s':>9} {'min s':>8} {'max s':>8} {'cpu s':>8} "
             f"{'peak MiB':>9} {'time / numpy':>13} {'cpu / numpy':>12} {'peak / numpy':>13}"]
    for k in times:
        lines.append(
            f"  {k:16} {med[k]:9.4f} {min(times[k]):8.4f} {max(times[k]):8.4f} {cmed[k]:8.4f} "
            f"{peak[k] / 2**20:9.1f} {med[k] / med['numpy']:13.2f} "
            f"{cmed[k] / cmed['numpy']:12.2f} {peak[k] / peak['numpy']:13.2f}"
        )
    e, n = med["eduint"], med["numpy"]
    lines.append(f"  ratio of the fastest runs eduint/numpy {min(times['eduint']) / min(times['numpy']):.2f}, "
                 f"of the median CPU times {cmed['eduint'] / cmed['numpy']:.2f}")
    lines.append(f"  ratio eduint/numpy time {e / n:.2f} (target <= 1.5), "
                 f"peak {peak['eduint'] / peak['numpy']:.2f} (target <= 2)"
                 + "".join(f"; {k}/eduint {med[k] / e:.1f}x" for k in ("pandas", "python") if k in med))
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the bench; exit 1 when eduint's answers differ from ref_numpy's.

    ``python bench/run.py --whole [whole.py's options]`` runs the whole-process bench
    (``bench/whole.py``: issue 19's targets) instead."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--whole"]:
        import whole

        return int(whole.main(args[1:]) or 0)
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0],
        epilog="python bench/run.py --whole [bench/whole.py's options: --data FILE, "
        "--rounds N, --ref-python PYTHON, --before SRC …] runs the whole-process bench "
        "instead (issue 19's targets; python bench/whole.py --help).",
    )
    ap.add_argument("--scales", nargs="+", default=["0.1", "1"])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--programs", nargs="+", default=list(PROGRAMS), choices=PROGRAMS,
                    help="the programs to time (numpy and eduint always)")
    ap.add_argument("--perfref", type=Path, default=None)
    ap.add_argument("--data-dir", type=Path, default=None,
                    help="where perfref's files are (generated there when missing)")
    a = ap.parse_args(argv)
    perfref = a.perfref or P.perfref_dir()
    if perfref is None:
        print("perfref not found: --perfref DIR or EDUINT_PERFREF", file=sys.stderr)
        return 2
    sys.path.insert(0, str(perfref))
    print(machine())
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        out = a.data_dir or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        for scale in a.scales:
            npz, parquet = out / f"national_s{scale}.npz", out / f"national_s{scale}.parquet"
            if not (npz.exists() and parquet.exists()):
                npz, parquet = generate(perfref, scale, out)
            run, data = programs(npz, parquet)
            same, info = check(run)
            keep = {"numpy", "eduint", *a.programs}
            run = {k: v for k, v in run.items() if k in keep}
            ok = ok and same
            times, cpu = timed(run, data, a.rounds)
            peak = peaks(run, data)
            print("\n".join(report(scale, times, cpu, peak, same, info)), flush=True)
            del run, data
            gc.collect()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
