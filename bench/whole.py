"""Whole-process bench (issue 19): national data in, per-county answers written out.

Each program runs as a fresh process, from its start to its per-county results
written to a file, on the same perfref Parquet file (scale 1 by default: 216,110
school segments of 2,850 counties, 4.3 M classes), alternating the programs round
by round (the order rotated each round, after one warm-up round):

* ``eduint``: ``eduint check DATA --rules bench/perfref.rules --mapping
  bench/perfref-mapping.yaml --complete --as-of 2024-09-01 -o SUMMARY.txt`` (the
  per-county summary, written to a file; the warm-up round fills eduint's per-user
  cache, a private temporary one, as a user's first run does);
* ``numpy``, ``pandas`` (and ``polars`` when installed): perfref's ``ref_*.py DATA``,
  each writing its ``results_*.npz`` (``$PERFREF_OUT``, a temporary directory).

Wall time is measured around each child; peak memory is the child's own maximum
resident set (``os.wait4``'s rusage, Linux and macOS).  Printed: the medians, and the
ratios eduint/numpy (target <= 1.5), pandas/eduint (target >= 3) and peak memory
eduint/numpy (target <= 2).  Then, outside the timing, eduint writes its whole result
(``--format parquet``) once, and its passes (per school segment), CV verdicts (per
county segment and indicator) and class counts (per county segment) are compared
with ref_numpy's results file, element by element (a county segment of one school
has CV 0 for perfref and 不适用 for eduint: counted as within the limit, as
``bench/run.py`` does).

The children run without ``PYTHONDONTWRITEBYTECODE`` (a user's Python writes
``__pycache__``; ``--as-is`` keeps the environment).  perfref's scripts run with
this Python when it has numpy, pandas and pyarrow, else with ``--ref-python``.

    python bench/whole.py                         # scale 1, generated in a temp dir, 5 rounds
    python bench/whole.py --data national_s1.parquet --rounds 7
    python bench/whole.py --before ../main/src    # and eduint as it was, for before/after
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _perfref_frame as P  # noqa: E402

#: perfref's seven indicators in its order, as bench/perfref.rules names their CV rules.
CV_RULES = ("差异系数_高学历教师", "差异系数_骨干教师", "差异系数_体艺教师", "差异系数_教学用房",
            "差异系数_体育场馆", "差异系数_仪器设备", "差异系数_多媒体教室")
CLASS_COLUMNS = ("班级数.班级", "班级数.超过上限", "班级数.大班额", "班级数.超大班额")
SEGMENTS = {"小学": 0, "初中": 1}
MET, NOT_APPLICABLE = 1, 5  # eduint.engine.columnar._rules.OUTCOMES codes


def eduint_command(data: Path, out: Path, *extra: str, script: bool = True) -> list[str]:
    """The eduint command of the bench: the console script next to this Python, or
    (``script=False``, for ``--before``) this Python running ``eduint.cli.main``."""
    exe = Path(sys.executable).with_name("eduint.exe" if os.name == "nt" else "eduint")
    head = ([str(exe)] if script and exe.is_file()
            else [sys.executable, "-c", "import sys; from eduint.cli import main; sys.exit(main())"])
    return [*head, "check", str(data), "--rules", str(HERE / "perfref.rules"),
            "--mapping", str(HERE / "perfref-mapping.yaml"), "--complete",
            "--as-of", "2024-09-01", "-o", str(out), *extra]


def has_modules(python: str, modules: str) -> bool:
    """Whether ``python`` imports every module of the comma-separated ``modules``."""
    proc = subprocess.run([python, "-c", f"import {modules}"], capture_output=True)
    return proc.returncode == 0


def run_child(cmd: list[str], env: dict[str, str],
              cwd: Path | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (bytes) of one child; it
    must exit 0 or 1 (eduint's exit code when a county does not meet a rule)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            err.seek(0)
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.read().decode()}")
    # ru_maxrss: KiB on Linux, bytes on macOS
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return elapsed, usage.ru_utime + usage.ru_stime, peak


Samples = dict[str, list[float]]


Program = tuple[list[str], Path | None, dict[str, str]]


def timed(cmds: dict[str, Program], rounds: int) -> tuple[Samples, Samples, Samples]:
    """Each program's wall times, CPU times and peaks, alternating, the order rotated
    each round; round 0 is the warm-up (not counted)."""
    times: Samples = {k: [] for k in cmds}
    cpu: Samples = {k: [] for k in cmds}
    peaks: Samples = {k: [] for k in cmds}
    order = list(cmds)
    for r in range(rounds + 1):
        for name in order[r % len(order):] + order[: r % len(order)]:
            cmd, cwd, env = cmds[name]
            dt, dc, peak = run_child(cmd, env, cwd)
            if r:
                times[name].append(dt)
                cpu[name].append(dc)
                peaks[name].append(peak)
    return times, cpu, peaks


def compare(data: Path, eduint_base: Path, ref_npz: Path) -> tuple[bool, dict[str, Any]]:
    """eduint's written levels against ref_numpy's results: passes, CV verdicts and class
    counts, element by element; the totals."""
    import numpy as np
    import pyarrow.parquet as pq

    ref = dict(np.load(ref_npz))
    seg_t = pq.ParquetFile(f"{eduint_base}.segment.parquet").read().to_pydict()
    cs_t = pq.ParquetFile(f"{eduint_base}.county_segment.parquet").read().to_pydict()
    src = pq.ParquetFile(data).read(columns=["county_id", "county_code"]).to_pydict()
    # passes per school segment, both in (school id, segment) order
    sid = np.array([int(s) for s in seg_t["school"]], dtype=np.int64)
    sg = np.array([SEGMENTS[s] for s in seg_t["segment"]], dtype=np.int64)
    got_pass = np.array(seg_t["学校达标.code"]) == MET
    o_got = np.lexsort((sg, sid))
    o_ref = np.lexsort((ref["row_segment"], ref["row_school_id"]))
    same_rows = bool(np.array_equal(sid[o_got], ref["row_school_id"][o_ref].astype(np.int64))
                     and np.array_equal(sg[o_got], ref["row_segment"][o_ref].astype(np.int64)))
    same_pass = same_rows and bool(np.array_equal(got_pass[o_got], ref["passed"][o_ref]))
    # county segments: perfref's dense county ids by their codes
    cid_of = dict(zip((str(c) for c in src["county_code"]), src["county_id"], strict=True))
    n_c = ref["cv_ok"].shape[0]
    cv_ok = np.zeros((n_c, 2, 7), dtype=bool)
    classes = np.zeros((n_c, 2, 4), dtype=np.int64)
    seen = np.zeros((n_c, 2), dtype=bool)
    for i, code in enumerate(cs_t["county_code"]):
        c, s = cid_of[code], SEGMENTS[cs_t["segment"][i]]
        seen[c, s] = True
        for k, rule in enumerate(CV_RULES):
            cv_ok[c, s, k] = cs_t[f"{rule}.code"][i] in (MET, NOT_APPLICABLE)
        for k, col in enumerate(CLASS_COLUMNS):
            classes[c, s, k] = int(cs_t[col][i])
    same_cv = bool(seen.all() and np.array_equal(cv_ok, ref["cv_ok"]))
    same_cls = bool(seen.all() and np.array_equal(classes, ref["classes"]))
    info = {
        "passes equal": same_pass,
        "CV verdicts equal": same_cv,
        "class counts equal": same_cls,
        "segments passing (小学, 初中)": [int(got_pass[sg == 0].sum()),
                                      int(got_pass[sg == 1].sum())],
        "county segments with all 7 CVs ok (小学, 初中)": cv_ok.all(axis=2).sum(axis=0).tolist(),
        "classes [n, over cap, >=56, >=66] 小学": classes[:, 0].sum(axis=0).tolist(),
        "classes [n, over cap, >=56, >=66] 初中": classes[:, 1].sum(axis=0).tolist(),
    }
    return same_pass and same_cv and same_cls, info


def machine() -> str:
    """The machine and its load, as docs/performance.md records them."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"Python {platform.python_version()}; load average {load}")


def report(times: Samples, cpu: Samples, peaks: Samples) -> list[str]:
    """The table of medians and the target ratios (wall time; the CPU times' ratios
    too, less disturbed by other work on a shared machine)."""
    med = {k: statistics.median(v) for k, v in times.items()}
    cmed = {k: statistics.median(v) for k, v in cpu.items()}
    peak = {k: statistics.median(v) for k, v in peaks.items()}
    lines = [f"  {'program':8} {'median s':>9} {'min s':>8} {'max s':>8} {'cpu s':>7} "
             f"{'peak MiB':>9} {'time / numpy':>13} {'cpu / numpy':>12} {'peak / numpy':>13}"]
    for k in times:
        lines.append(f"  {k:8} {med[k]:9.3f} {min(times[k]):8.3f} {max(times[k]):8.3f} "
                     f"{cmed[k]:7.3f} {peak[k] / 2**20:9.1f} {med[k] / med['numpy']:13.2f} "
                     f"{cmed[k] / cmed['numpy']:12.2f} {peak[k] / peak['numpy']:13.2f}")
    e, ce = med["eduint"], cmed["eduint"]
    lines.append(f"  eduint/numpy time {e / med['numpy']:.2f} (target <= 1.5); "
                 f"pandas/eduint {med['pandas'] / e:.2f} (target >= 3); "
                 f"peak eduint/numpy {peak['eduint'] / peak['numpy']:.2f} (target <= 2)")
    lines.append(f"  CPU time: eduint/numpy {ce / cmed['numpy']:.2f}, "
                 f"pandas/eduint {cmed['pandas'] / ce:.2f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the bench; exit 1 when eduint's answers differ from ref_numpy's."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--data", type=Path, default=None,
                    help="perfref's Parquet file (default: generated at --scale in a temp dir)")
    ap.add_argument("--scale", default="1")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--perfref", type=Path, default=None)
    ap.add_argument("--ref-python", default=None,
                    help="the Python for perfref's scripts (default: this one, if it has "
                         "numpy, pandas and pyarrow)")
    ap.add_argument("--as-is", action="store_true",
                    help="keep PYTHONDONTWRITEBYTECODE for the children")
    ap.add_argument("--before", type=Path, default=None, metavar="SRC",
                    help="also time eduint from another checkout's src directory (as "
                         "'before', PYTHONPATH=SRC, its own cache), for before/after figures")
    a = ap.parse_args(argv)
    perfref = a.perfref or P.perfref_dir()
    if perfref is None:
        print("perfref not found: --perfref DIR or EDUINT_PERFREF", file=sys.stderr)
        return 2
    ref_py = a.ref_python or sys.executable
    if not has_modules(ref_py, "numpy, pandas, pyarrow"):
        print(f"{ref_py} lacks numpy, pandas or pyarrow: --ref-python PYTHON", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        data = a.data
        if data is None:
            subprocess.run([ref_py, str(perfref / "gen_national.py"), "--scale", a.scale,
                            "--format", "parquet", "--out-dir", str(t)],
                           check=True, capture_output=True, cwd=perfref)
            data = t / f"national_s{a.scale}.parquet"
        data = data.resolve()
        env = {**os.environ, "PERFREF_OUT": str(t / "ref"), "EDUINT_CACHE_DIR": str(t / "cache")}
        env.pop("EDUINT_NO_CACHE", None)
        if not a.as_is:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
        cmds: dict[str, Program] = {
            "eduint": (eduint_command(data, t / "summary.txt"), None, env),
            "numpy": ([ref_py, "ref_numpy.py", str(data)], perfref, env),
            "pandas": ([ref_py, "ref_pandas.py", str(data)], perfref, env),
        }
        if has_modules(ref_py, "polars"):
            cmds["polars"] = ([ref_py, "ref_polars.py", str(data)], perfref, env)
        if a.before is not None:
            old_env = {**env, "PYTHONPATH": str(a.before.resolve()),
                       "EDUINT_CACHE_DIR": str(t / "cache-before")}
            cmds["before"] = (eduint_command(data, t / "summary-before.txt", script=False),
                              None, old_env)
        print(machine())
        print(f"data: {data} ({data.stat().st_size / 2**20:.1f} MiB); {a.rounds} rounds "
              f"after a warm-up; eduint: {' '.join(cmds['eduint'][0])}")
        times, cpu, peaks = timed(cmds, a.rounds)
        print("\n".join(report(times, cpu, peaks)), flush=True)
        if a.before is not None:
            same_text = (t / "summary.txt").read_bytes() == (t / "summary-before.txt").read_bytes()
            print(f"  before/eduint time {statistics.median(times['before']) / statistics.median(times['eduint']):.2f}; "
                  f"the summaries written are identical: {same_text}")
        print(f"load average after the rounds: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        run_child(eduint_command(data, t / "res", "--format", "parquet"), env)
        same, info = compare(data, t / "res", t / "ref" / f"results_{data.stem}_numpy.npz")
    print(f"eduint equals ref_numpy (passes, CV verdicts, class counts): {same}")
    for k, v in info.items():
        print(f"  {k}: {v}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
