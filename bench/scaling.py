"""Scaling bench: evaluation time per school as a county grows (issue 11).

Builds counties of 448, 1,792 and 7,168 schools by copying the 7 schools of the
synthetic county (``examples/synthetic-county-2019.yaml``) 64, 256 and 1,024 times with
fresh ids (a teaching point's ``central_school`` follows its school's copy), evaluates
each against ``rules/youzhi-junheng-2017.rules`` through the public API
(``eduint.check``, ``eduint.load_county``, ``eduint.evaluate``), alternating the sizes
over ``--rounds`` rounds, and prints the median time per school at each size and the
ratio of the largest size to the smallest.  Linear evaluation gives 1.0; issue 11 asks
for at most 1.3.  Building the counties is not timed.

Usage::

    python bench/scaling.py                      # 448, 1792, 7168 schools; 5 rounds
    python bench/scaling.py --rounds 7
    python bench/scaling.py --copies 8 32        # 56 and 224 schools: a quick look
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import attrs

import eduint
from eduint.data.models import County, School

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "examples" / "synthetic-county-2019.yaml"
RULES = REPO / "rules" / "youzhi-junheng-2017.rules"


def copied_county(base: County, copies: int) -> County:
    """``base`` with its schools copied ``copies`` times under fresh ids.

    Copy k of school ``SX005`` is ``SX005-k``; a teaching point's central school is
    renamed the same way, so each copy is a county's worth of schools of its own.
    """
    schools = base.schools or ()

    def copy(s: School, k: int) -> School:
        central = f"{s.central_school}-{k}" if s.central_school is not None else None
        return attrs.evolve(s, id=f"{s.id}-{k}", central_school=central)

    return attrs.evolve(base, schools=tuple(copy(s, k) for k in range(copies) for s in schools))


def main() -> int:
    """Run the bench and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="rounds (at least 5; default 5)")
    ap.add_argument(
        "--copies",
        type=int,
        nargs="+",
        default=[64, 256, 1024],
        help="copies of the 7 schools per county (default 64 256 1024)",
    )
    args = ap.parse_args()
    if args.rounds < 5:
        ap.error("--rounds must be at least 5")
    if len(args.copies) < 2:
        ap.error("give at least two --copies")

    ruleset = eduint.check(eduint.parse_file(RULES))
    loaded = eduint.load_county(DATA, extra_fields=ruleset.extra_field_kinds() or None)
    base = loaded.county
    counties = {n: copied_county(base, n) for n in sorted(args.copies)}
    sizes = {n: len(c.schools or ()) for n, c in counties.items()}

    per_school: dict[int, list[float]] = {n: [] for n in counties}
    verdicts: dict[int, Counter[str]] = {}
    order = list(counties)
    for r in range(args.rounds):
        for n in order[r % len(order) :] + order[: r % len(order)]:  # rotate the order
            gc.collect()
            start = time.perf_counter()
            report = eduint.evaluate(ruleset, counties[n])
            elapsed = time.perf_counter() - start
            per_school[n].append(elapsed / sizes[n])
            verdicts[n] = Counter(getattr(item.computed, "value", "—") for item in report.items)

    print(f"python   {sys.version.split()[0]}; eduint {eduint.__version__}")
    print(
        f"rules    {RULES.relative_to(REPO)}; data {DATA.relative_to(REPO)} "
        f"({len(base.schools or ())} schools, copied)"
    )
    print(f"rounds   {args.rounds} (sizes alternating; medians)")
    print(f"{'schools':>8} {'ms/school':>10} {'s/county':>9}   computed outcomes of the items")
    for n in counties:
        med = statistics.median(per_school[n])
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(verdicts[n].items()))
        print(f"{sizes[n]:8d} {med * 1000:10.3f} {med * sizes[n]:9.2f}   {outcomes}")
    small, large = min(counties), max(counties)
    ratio = statistics.median(per_school[large]) / statistics.median(per_school[small])
    target = "met" if ratio <= 1.3 else "NOT met"
    print(
        f"ratio    {sizes[large]} : {sizes[small]} per school = {ratio:.2f}x "
        f"(linear 1.0; target <= 1.3: {target})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
