"""Time the many-county summary as text (:func:`eduint.reporting.many.summary_text`).

Runs ``eduint check DATA --complete --quiet -o FILE`` in-process (rules and options as
given), takes the :class:`~eduint.engine.columnar.ColumnarResult` the CLI would show, and
times ``summary_text(summarize(result), "zh", width=100, fmt="simple")`` (width 100: what
a redirected run fits to, ``_cli_check.terminal_width``), printing the median of 7, each with a cold display-width cache (a real run draws
the summary once)::

    python bench/summary_text.py /tmp/sum19/national.parquet \\
        --rules youzhi-junheng-2017-resource --set subtract_indoor_sports=false
    python bench/summary_text.py /tmp/col18/data/national_s1.parquet \\
        --rules bench/perfref.rules --mapping bench/perfref-mapping.yaml

``--dump DIR`` also writes the text in every format, language and width (100 and
none) into ``DIR``, and ``--compare DIR`` checks the texts byte for byte against such
a dump (a change to the layout must keep them identical).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _result(data: str, rules: str, extra: list[str]) -> Any:
    """The ColumnarResult of ``eduint check`` on ``data``, intercepted before it is shown."""
    from eduint import _cli_many, cli

    caught: list[Any] = []

    def grab(result: Any, *_args: Any) -> None:
        caught.append(result)

    real = _cli_many._show
    _cli_many._show = grab  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            args = ["check", data, "--rules", rules, "--complete", "--quiet"]
            args += [*extra, "-o", str(Path(tmp) / "x.txt")]
            try:
                cli.main(args, standalone_mode=False)
            except SystemExit:
                pass
    finally:
        _cli_many._show = real  # type: ignore[assignment]
    if not caught:
        sys.exit("the check did not reach the summary (see its messages above)")
    return caught[0]


def _texts(summary: Any) -> dict[str, str]:
    from eduint.reporting import many

    out = {}
    for fmt in ("simple", "plain", "github", "grid"):
        for lang in ("zh", "en"):
            for width in (100, None):
                out[f"{fmt}-{lang}-{width}.txt"] = many.summary_text(
                    summary, lang, width=width, fmt=fmt
                )
    return out


def main() -> None:
    """Print the median seconds of ``summary_text`` (and dump or compare its texts)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data")
    ap.add_argument("--rules", default="youzhi-junheng-2017-resource")
    ap.add_argument("--mapping")
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--as-of", default="2024-09-01")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--dump", help="write every format's text into this folder")
    ap.add_argument("--compare", help="compare every format's text with this folder's")
    a = ap.parse_args()
    extra = ["--as-of", a.as_of]
    for s in a.set:
        extra += ["--set", s]
    if a.mapping:
        extra += ["--mapping", a.mapping]
    from eduint.reporting import many

    summary = many.summarize(_result(a.data, a.rules, extra))
    from eduint.reporting.layout import display_width

    times = []
    for _ in range(a.repeat):
        # cold: a real run draws the summary once, its widths not yet measured
        display_width.cache_clear()
        t0 = time.perf_counter()
        many.summary_text(summary, "zh", width=100, fmt="simple")
        times.append(time.perf_counter() - t0)
    print(f"summary_text: median {statistics.median(times) * 1000:.1f} ms of {a.repeat}")
    if a.dump:
        Path(a.dump).mkdir(parents=True, exist_ok=True)
        for name, text in _texts(summary).items():
            Path(a.dump, name).write_text(text, encoding="utf-8")
        print(f"dumped to {a.dump}")
    if a.compare:
        bad = [
            name
            for name, text in _texts(summary).items()
            if Path(a.compare, name).read_text(encoding="utf-8") != text
        ]
        print("identical" if not bad else f"DIFFERENT: {', '.join(bad)}")
        if bad:
            sys.exit(1)


if __name__ == "__main__":
    main()
