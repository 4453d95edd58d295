"""Tests for rule authors: rule-test files, coverage, mutants, boundary cases.

A provincial author tests a rule file the way a programmer tests code:

* :mod:`~eduint.authoring.cases` reads ``NAME.tests.yaml`` files (data inline or by
  path, ``as_of``, the outcome expected per rule and entity, values with tolerances);
* :mod:`~eduint.authoring.runner` runs them with the engine and says, for each failure,
  what was expected against what came out, with the input figures;
* :mod:`~eduint.authoring.coverage` measures which sides of each threshold of the
  rule file the cases exercise (per key and dated period), and which applicability
  branches;
* :mod:`~eduint.authoring.mutation` makes mutants of the checked rule set (a threshold
  ±1 %, ``>=`` ↔ ``>``, ``at_least`` k ± 1, a band ± 5 points, a dropped conjunct, a
  period boundary ± 1 day) and scores the cases by the mutants they kill;
* :mod:`~eduint.authoring.boundary` writes boundary cases from the exact thresholds
  (``eduint testgen``).

This package sits on top of the engine (beside :mod:`eduint.api`): it reads rule sets
through the resolver and evaluates them with :func:`eduint.engine.evaluator.evaluate`.
"""

from __future__ import annotations

__all__: list[str] = []
