"""Time the many-county answers (issue 19) at perfref's scales: summary and writers.

After :func:`eduint.engine.columnar.evaluate_many` over perfref's arrays
(``bench/_perfref_frame.py``), each step is timed once (wall clock; pyarrow's import on its own line):
:func:`eduint.reporting.many.summarize` (numpy over the result's arrays), its text
(:func:`~eduint.reporting.many.summary_text`), and the whole result written as Parquet,
CSV, JSON Lines and (``--xlsx``) XLSX into a temporary folder, with the sizes written::

    python bench/many.py /tmp/col18/data/national_s1.npz [--xlsx]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _perfref_frame as P  # noqa: E402


def main() -> None:
    """Print one line per step: its name, seconds, and what it made."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("npz", help="perfref's NPZ file (gen_national.py --format npz)")
    ap.add_argument("--xlsx", action="store_true", help="also time the XLSX writer (slow)")
    a = ap.parse_args()
    from eduint.engine.columnar import evaluate_many
    from eduint.reporting import many, many_files

    rs = P.ruleset()
    t0 = time.perf_counter()
    frame = P.to_frame(P.load_npz(a.npz), rs)
    result = evaluate_many(rs, frame)
    t1 = time.perf_counter()
    print(f"frame + evaluate_many   {t1 - t0:7.3f} s  {result.counties} counties")
    summary = many.summarize(result)
    t2 = time.perf_counter()
    print(f"summarize               {t2 - t1:7.3f} s  {len(summary.rules)} rules")
    text = many.summary_text(summary, "zh", width=100)
    t3 = time.perf_counter()
    print(f"summary_text            {t3 - t2:7.3f} s  {len(text.splitlines())} lines")
    import importlib.util

    if importlib.util.find_spec("pyarrow") is not None:
        t = time.perf_counter()
        import pyarrow.csv  # noqa: F401  (the writers import it on first use)
        import pyarrow.parquet  # noqa: F401

        print(f"import pyarrow          {time.perf_counter() - t:7.3f} s")
    formats = ["parquet", "csv", "jsonl"] + (["xlsx"] if a.xlsx else [])
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in formats:
            t = time.perf_counter()
            files = many_files.write_many(result, Path(tmp) / f"national.{fmt}", fmt)
            dt = time.perf_counter() - t
            size = sum(f.stat().st_size for f in files) / 2**20
            print(f"write {fmt:<17} {dt:7.3f} s  {len(files)} file(s), {size:.1f} MiB")
    totals = text[text.index("各项合计") :].split("\n\n")[0]
    print(totals)


if __name__ == "__main__":
    main()
