"""Which answers (自评) serve which rule set.

An :class:`~eduint.data.models.Attestation` names the rule set it answers
(:attr:`~eduint.data.models.Attestation.ruleset`: an id or a file stem), or none, when
the data declares no rule set: then it serves whatever rule set is run.  The evaluator
uses an answer only for its own rule set, so that item "1" of one checklist is never
taken for item "1" of another (issue 12), and reports the others once.

A rule set that extends another (issue 15) also uses the answers to its ancestors, for
the items it inherits from them unchanged (:func:`ancestor_answers`); the engine decides
per item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from eduint.data.models import Attestation

__all__ = ["ancestor_answers", "serves", "split_answers"]


def serves(answer: Attestation, names: Iterable[str | None]) -> bool:
    """Whether ``answer`` answers the rule set known by ``names``.

    Args:
        answer: the county's answer.
        names: the rule set's id and its file stem (``None`` entries are ignored).

    Returns:
        True when the answer names no rule set or one of ``names``.
    """
    return answer.ruleset is None or answer.ruleset in {n for n in names if n}


def split_answers(
    answers: Sequence[Attestation],
    *,
    ruleset_id: str,
    file_stem: str | None = None,
    ancestors: Sequence[Iterable[str | None]] = (),
) -> tuple[tuple[Attestation, ...], tuple[tuple[str, int], ...]]:
    """The answers that serve a rule set, and how many belong to each other rule set.

    Args:
        answers: the county's answers (:attr:`~eduint.data.models.County.attestations`).
        ruleset_id: the id of the rule set being evaluated.
        file_stem: the stem of its rule file (``youzhi-junheng-2017``), or ``None``.
        ancestors: the names (id, file stem) of each rule set it extends, nearest first:
            their answers are not counted as another rule set's
            (:func:`ancestor_answers` gives them).

    Returns:
        ``(used, foreign)``: the answers it uses, in data order, and for every other rule
        set answered, ``(its name as the data gives it, number of answers)``, in order of
        first appearance.
    """
    used: list[Attestation] = []
    foreign: dict[str, int] = {}
    names = (ruleset_id, file_stem)
    inherited = {n for level in ancestors for n in level if n}
    for a in answers:
        if serves(a, names):
            used.append(a)
        elif a.ruleset not in inherited:
            foreign[str(a.ruleset)] = foreign.get(str(a.ruleset), 0) + 1
    return tuple(used), tuple(foreign.items())


def ancestor_answers(
    answers: Sequence[Attestation], ancestors: Sequence[Iterable[str | None]]
) -> tuple[tuple[int, Attestation], ...]:
    """The answers to the rule sets a rule set extends, each with how far up it is.

    Args:
        answers: the county's answers.
        ancestors: the names (id, file stem) of each rule set extended, nearest first.

    Returns:
        ``(level, answer)`` in data order: level 1 answers the parent, 2 its parent, …;
        an answer naming no rule set is not among them (it serves the rule set itself).
    """
    levels = [{n for n in names if n} for names in ancestors]
    out: list[tuple[int, Attestation]] = []
    for a in answers:
        for i, names in enumerate(levels, start=1):
            if a.ruleset is not None and a.ruleset in names:
                out.append((i, a))
                break
    return tuple(out)
