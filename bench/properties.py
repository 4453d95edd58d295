"""Property-search bench: examples per second for ``assert_monotone`` (issue 17).

Runs :func:`eduint.testing.assert_monotone` over complete counties of 5–20 schools
(:func:`eduint.testing.from_ruleset`) against the bundled 2017 resource rules
(``youzhi-junheng-2017-resource``), once for each of the 7 "more is better" figures of
the 6-of-7 rule (the property holds, so every example is generated and checked, none
shrunk), and prints, over all of them, the examples per second and the share of the wall
time spent in ``eduint.evaluate`` (the rest is Hypothesis generating the counties and
the helper building the changed county).  Each example evaluates the county twice
(before and after the change).

Usage::

    python bench/properties.py                  # 100 examples a figure, 3 rounds
    python bench/properties.py --examples 200 --rounds 5
"""

from __future__ import annotations

import argparse
import statistics
import time

from eduint.api import read_rules
from eduint.testing import assert_monotone, from_ruleset
from eduint.testing import properties as props

FIELDS = (
    "teachers_above_degree",
    "backbone_teachers",
    "pe_arts_teachers",
    "floor_area_teaching",
    "sports_area",
    "equipment_value",
    "multimedia_rooms",
)


def main() -> None:
    """Run the bench and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=100, help="examples per figure")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    rules = read_rules("youzhi-junheng-2017-resource").ruleset
    counties = from_ruleset(rules, min_schools=5, max_schools=20)
    spent = [0.0]
    calls = [0]
    evaluate = props._evaluate

    def timed(ruleset, county):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return evaluate(ruleset, county)
        finally:
            spent[0] += time.perf_counter() - t
            calls[0] += 1

    props._evaluate = timed  # type: ignore[assignment]
    rates, shares = [], []
    for r in range(args.rounds):
        spent[0], calls[0] = 0.0, 0
        t = time.perf_counter()
        for field in FIELDS:
            assert_monotone(
                rules, field, rules=["学校达标"], counties=counties, max_examples=args.examples
            )
        wall = time.perf_counter() - t
        examples = calls[0] / 2
        rates.append(examples / wall)
        shares.append(spent[0] / wall)
        print(
            f"round {r + 1}: {examples:.0f} examples in {wall:.2f} s: "
            f"{examples / wall:.1f} examples/s, evaluating {spent[0] / wall:.0%} of the time"
        )
    print(
        f"median: {statistics.median(rates):.1f} examples/s, "
        f"{statistics.median(shares):.0%} of the time evaluating"
    )


if __name__ == "__main__":
    main()
