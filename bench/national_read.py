"""National input bench: time and peak memory of :func:`eduint.data.national.read_national`.

A synthetic national table of national size (216,000 school segments of 2,850
counties, about 20 classes each: 4.3 million classes, as perfref's scale 1) is generated
with numpy (seeded; not timed) and written as CSV (class sizes as ``45;46;…`` text) and
as Parquet (class sizes as ``list<int16>``).  Each file is then read in a fresh Python
process, and printed: the file's size, the wall time of ``read_national`` (and of
building the columnar frame, :func:`eduint.engine.columnar.national.frame_of`), the peak
resident memory of the whole process after the read (``VmHWM``, else ``ru_maxrss``;
the interpreter, eduint and numpy/pyarrow take about 100 MiB of it), and the peak of
Python allocations during a second, traced read (``tracemalloc``: numpy's arrays are
traced, pyarrow's buffers are not).  ``--stdlib`` reads the CSV without pyarrow (the
stdlib csv module in chunks).

Usage::

    python bench/national_read.py                    # 216,000 rows, CSV and Parquet
    python bench/national_read.py --rows 21600 --stdlib
    python bench/national_read.py --read FILE [--stdlib]   # one read (the child process)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

FIGURES = {
    "在校生数": None, "班级数": None, "专任教师数": 15, "高于规定学历教师数": 20,
    "县级以上骨干教师数": 90, "体育艺术专任教师数": 100, "网络多媒体教室数": 40,
}
AREAS = {"教学及辅助用房面积": 5.0, "体育运动场馆面积": 9.0, "教学仪器设备值": 2200.0}


def generate(rows: int, seed: int = 1) -> dict[str, Any]:
    """Columns of a synthetic national table (numpy arrays; class sizes flat + offsets)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    counties = max(1, rows * 2850 // 216_000)
    county = np.sort(rng.integers(0, counties, rows))
    school = np.arange(rows, dtype=np.int64) // 1  # one segment a school, ids increasing
    seg = rng.integers(0, 2, rows)
    students = np.clip(rng.lognormal(6.2, 1.0, rows), 10, 6000).astype(np.int64)
    ncls = np.maximum(1, rng.poisson(20, rows))
    sizes = np.clip(rng.normal(40, 9, int(ncls.sum())), 10, 96).astype(np.int16)
    off = np.zeros(rows + 1, dtype=np.int64)
    np.cumsum(ncls, out=off[1:])
    cols: dict[str, Any] = {
        "行政区划代码": (110000 + county).astype(str),
        "县区名称": np.char.add("县", county.astype(str)),
        "学校代码": (2_000_000_000 + school).astype(str),
        "学段": np.where(seg == 0, "小学", "初中"),
        "城乡分类": np.array(["城区", "镇区", "乡村"])[rng.integers(0, 3, rows)],
        "在校生数": students,
        "班级数": ncls,
    }
    for name, per in FIGURES.items():
        if per is not None:
            cols[name] = rng.binomial(students, 1.0 / per)
    for name, mean in AREAS.items():
        cols[name] = np.round(students * rng.uniform(0.5, 1.5, rows) * mean, 2)
    return {"cols": cols, "sizes": sizes, "offsets": off}


def write_csv(path: Path, data: dict[str, Any]) -> None:
    import numpy as np

    cols, sizes, off = data["cols"], data["sizes"], data["offsets"]
    text = sizes.astype(str)
    lists = [";".join(text[a:b]) for a, b in zip(off[:-1].tolist(), off[1:].tolist(),
                                                  strict=True)]
    names = [*cols, "班额"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(names) + "\n")
        columns = [np.asarray(c).astype(str) for c in cols.values()] + [np.array(lists)]
        for row in zip(*columns, strict=True):
            f.write(",".join(row) + "\n")


def write_parquet(path: Path, data: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = {k: pa.array(v) for k, v in data["cols"].items()}
    cols["班额"] = pa.ListArray.from_arrays(pa.array(data["offsets"].astype("int32")),
                                          pa.array(data["sizes"]))
    pq.write_table(pa.table(cols), path, compression="zstd")


def _peak_rss() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def read_once(path: str, stdlib: bool) -> dict[str, Any]:
    """One read in this process: seconds, traced peak, peak RSS, rows and classes."""
    import tracemalloc

    import eduint
    from eduint.data.national import formats, read_national
    from eduint.engine.columnar.national import frame_of

    if stdlib:
        formats._has_pyarrow = lambda: False  # type: ignore[attr-defined]
    rs = eduint.load_ruleset("youzhi-junheng-2017-resource")
    t = time.perf_counter()
    data = read_national(path)  # the first read imports numpy (and pyarrow): counted
    t_read = time.perf_counter() - t
    rss = _peak_rss()
    t = time.perf_counter()
    frame = frame_of(data, rs, complete=True)
    t_frame = time.perf_counter() - t
    del data, frame
    tracemalloc.start()  # a second read, traced (tracemalloc slows allocations down)
    data = read_national(path)
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    frame = frame_of(data, rs, complete=True)
    return {"read_s": round(t_read, 2), "frame_s": round(t_frame, 2),
            "traced_peak_mib": round(traced / 2**20, 1),
            "rss_peak_mib": round(rss / 2**20, 1), "rows": data.rows_used,
            "counties": data.counties, "classes": data.classes,
            "problems": len(data.problems), "frame_rows": frame.tables[list(frame.tables)[3]].n}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=216_000)
    ap.add_argument("--stdlib", action="store_true", help="also read the CSV without pyarrow")
    ap.add_argument("--read", help="read this file once and print JSON (the child process)")
    ap.add_argument("--keep", help="write the files into this folder (kept)")
    args = ap.parse_args(argv)
    if args.read:
        print(json.dumps(read_once(args.read, args.stdlib)))
        return 0
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="national-"))
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    data = generate(args.rows)
    csv_path, pq_path = folder / "national.csv", folder / "national.parquet"
    write_csv(csv_path, data)
    write_parquet(pq_path, data)
    print(f"generated {args.rows:,} rows, {int(data['offsets'][-1]):,} classes in "
          f"{time.perf_counter() - t:.1f} s ({folder})")
    cases = [(pq_path, False), (csv_path, False)] + ([(csv_path, True)] if args.stdlib else [])
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    for path, stdlib in cases:
        cmd = [sys.executable, __file__, "--read", str(path)] + (["--stdlib"] if stdlib else [])
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        wall = time.perf_counter() - t
        if out.returncode:
            print(f"{path.name}: failed\n{out.stderr}")
            continue
        got = json.loads(out.stdout)
        kind = path.suffix[1:] + (" (stdlib csv)" if stdlib else "")
        print(f"{kind:18} {path.stat().st_size / 2**20:7.1f} MiB  read {got['read_s']:6.2f} s  "
              f"frame {got['frame_s']:5.2f} s  traced peak {got['traced_peak_mib']:7.1f} MiB  "
              f"RSS peak {got['rss_peak_mib']:7.1f} MiB  process {wall:5.1f} s  "
              f"{got['rows']:,} rows {got['classes']:,} classes {got['counties']:,} counties "
              f"{got['problems']} problems")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
