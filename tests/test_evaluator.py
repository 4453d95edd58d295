"""Facts about the evaluator's example data that its scenarios rely on.

The example-based tests of the evaluator's semantics (every verdict path, with its
value, threshold, margin, missing figures, reason and flags) are data now:
``tests/scenarios/evaluator/*.yaml``, run by ``tests/test_scenarios.py`` through the
public API, so that a second engine can run the same cases.  What stays here are two
facts about that data, computed without the evaluator, which show why two of the
scenarios are traps worth having.
"""

from __future__ import annotations

import statistics
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# REFERENCE §3.2's worked example (scenario ``student_weighted_cv_of_the_worked_example_*``).
BOOKS = (279, 137, 935, 160, 402)
STUDENTS = (45, 37, 89, 76, 55)


def test_the_unweighted_cv_of_the_worked_example_would_pass_0_50() -> None:
    """The unweighted population CV of the five books-per-student ratios is 0.4888: it
    would pass ≤ 0.50, which the student-weighted 0.5153 (the scenario) fails."""
    ratios = [Fraction(b, n) for b, n in zip(BOOKS, STUDENTS, strict=True)]
    floats = [float(x) for x in ratios]
    unweighted = statistics.pstdev(floats) / statistics.mean(floats)
    assert "0.4888" == f"{unweighted:.4f}"
    assert unweighted <= 0.50


def test_rounding_first_would_flip_the_verdict() -> None:
    """0.501787 rounded to the rule set's 2 display places is 0.50, which meets ≤ 0.50:
    the scenario ``values_are_compared_unrounded_and_shown_consistently`` (未达到) would
    flip if the evaluator compared rounded values."""
    value = Fraction(501787, 1000000)
    rounded = Decimal(value.numerator) / Decimal(value.denominator)
    assert Decimal("0.50") == rounded.quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert Fraction(Decimal("0.50")) <= Fraction(1, 2)
    assert value > Fraction(1, 2)
