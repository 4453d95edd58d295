"""Property-based testing of policy logic (``eduint[testing]``: Hypothesis).

* Strategies for eduint's data models (:mod:`eduint.testing.strategies`):
  :func:`figures`, :func:`classes`, :func:`school_segments`, :func:`schools`,
  :func:`counties`, :func:`attestations`;
* strategies built from a rule set (:mod:`eduint.testing.generators`):
  :func:`from_ruleset`, :func:`near_threshold`, :func:`rule_texts`;
* property helpers (:mod:`eduint.testing.properties`): :func:`assert_at_least_as_strict`,
  :func:`assert_monotone`, :func:`assert_order_invariant`, :func:`assert_unit_invariant`,
  :func:`assert_scale_invariant`, :func:`assert_no_crash`, each raising
  :class:`PropertyFailed` with the shrunk county as a ``*.tests.yaml`` case.

Neither ``import eduint`` nor ``import eduint.testing`` imports Hypothesis: it is
imported when a strategy or helper is first called.  See ``docs/testing.md``.
"""

from __future__ import annotations

from eduint.testing.generators import from_ruleset, near_threshold, rule_texts
from eduint.testing.properties import (
    PropertyFailed,
    assert_at_least_as_strict,
    assert_monotone,
    assert_no_crash,
    assert_order_invariant,
    assert_scale_invariant,
    assert_unit_invariant,
    case_yaml,
)
from eduint.testing.strategies import (
    attestations,
    classes,
    counties,
    figures,
    school_segments,
    schools,
)

__all__ = [
    "PropertyFailed",
    "assert_at_least_as_strict",
    "assert_monotone",
    "assert_no_crash",
    "assert_order_invariant",
    "assert_scale_invariant",
    "assert_unit_invariant",
    "attestations",
    "case_yaml",
    "classes",
    "counties",
    "figures",
    "from_ruleset",
    "near_threshold",
    "rule_texts",
    "school_segments",
    "schools",
]
