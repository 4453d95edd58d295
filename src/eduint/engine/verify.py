"""Counterexamples of the strictness proof, checked with the engine.

:mod:`eduint.checking.proof` sits below the engine and builds counterexamples from exact
reasoning alone; :func:`verifier` is the :data:`~eduint.checking.proof.Verifier` that
reads a counterexample's data back through the YAML loader (exactly as an author who
pastes it would) and evaluates both rule sets on it, so that no counterexample is shown
that the engine does not confirm.  :func:`prove_ruleset` is
:func:`eduint.checking.proof.prove_ruleset` with this verifier.
"""

from __future__ import annotations

from eduint.checking.proof import Counterexample, Element, Proof
from eduint.checking.proof import prove_ruleset as _prove_ruleset
from eduint.checking.ruleset import RuleSet
from eduint.data.loading import load_county_text
from eduint.engine.evaluator import EvaluationError, evaluate
from eduint.engine.results import Outcome

__all__ = ["outcome_of", "prove_ruleset", "verifier"]

# 不适用 and "no verdict" (a rule the rule set lacks, a report-only period) both mean the
# entity is not failed; the proof predicts either as 不适用 or "".
_NOT_JUDGED = frozenset({None, "", Outcome.NOT_APPLICABLE.value})


def outcome_of(
    cx: Counterexample, ruleset: RuleSet, *, also: RuleSet | None = None
) -> Outcome | None:
    """The outcome (核算) of the counterexample's rule under ``ruleset`` on its data.

    Args:
        cx: the counterexample.
        ruleset: the rule set to evaluate.
        also: another rule set whose declared extra fields the data may carry (the other
            side of the proof).

    Returns:
        The computed outcome, or ``None`` when the rule set has no such rule or gives no
        verdict (report-only).

    Raises:
        ValueError: the data does not load cleanly (a problem in the built data).
        EvaluationError: the evaluation cannot start.
    """
    extras: dict[str, dict[str, str]] = {}
    for rs in (also, ruleset):
        for scope, fields in (rs.extra_field_kinds() if rs is not None else {}).items():
            extras.setdefault(scope, {}).update(fields)
    loaded = load_county_text(cx.yaml(), file="counterexample.yaml", extra_fields=extras)
    if loaded.problems:
        raise ValueError("; ".join(str(p) for p in loaded.problems))
    report = evaluate(ruleset, loaded.county)
    try:
        return report.item(cx.rule).computed
    except KeyError:
        return None


def _matches(got: Outcome | None, expected: str) -> bool:
    value = got.value if got is not None else None
    if value in _NOT_JUDGED and expected in _NOT_JUDGED:
        return True
    return value == expected


def verifier(cx: Counterexample, parent: RuleSet, child: RuleSet) -> bool:
    """True when the parent rule set gives the counterexample's rule
    :attr:`~Counterexample.parent_outcome` and the child gives
    :attr:`~Counterexample.child_outcome` on its data (不适用 and no verdict alike).

    A counterexample whose data does not load cleanly or cannot be evaluated is not
    verified.
    """
    try:
        p, c = outcome_of(cx, parent, also=child), outcome_of(cx, child, also=parent)
    except (ValueError, EvaluationError):
        return False
    return _matches(p, cx.parent_outcome) and _matches(c, cx.child_outcome)


def prove_ruleset(parent: RuleSet, child: RuleSet) -> tuple[tuple[Element, Proof], ...]:
    """:func:`eduint.checking.proof.prove_ruleset` with every counterexample verified by
    the engine (:func:`verifier`)."""
    return _prove_ruleset(parent, child, verify=verifier)
