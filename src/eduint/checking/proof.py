"""The strictness proof: is a child rule set's rule, value or setting at least as strict
as its parent's?  (issue 15, "The strictness proof")

For every overridden element the proof decides, exactly (rational arithmetic, per key and
per dated period, canonical units), one :class:`Verdict`:

* ``stricter`` (or ``same``): every entity that meets the child rule meets the parent
  rule (``same``: the other way round too, so no verdict can change);
* ``looser``, with a :class:`Counterexample`: the figures of one school, school segment,
  class or county that meets the child rule and fails the parent rule, built as eduint's
  YAML data and, when a verifier is given, checked by evaluating both rule sets on it;
* ``undecided``, with the reason (a requirement outside the decidable shape, a grid too
  large, a change of method).

Settings follow their declared :class:`~eduint.checking.settings.Direction`.

This module sits in the checking layer and never imports the engine: counterexamples are
verified through an injected :data:`Verifier` (the engine's is
:func:`eduint.engine.verify.verifier`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from eduint.checking.ruleset import CheckedRule, NamedValue, RuleSet, SettingValue
from eduint.checking.schema import ScopeKind
from eduint.checking.settings import SETTINGS
from eduint.checking.strictness import Strictness, setting_verdict, show_value

__all__ = [
    "Counterexample",
    "Element",
    "Part",
    "Proof",
    "Verdict",
    "Verifier",
    "prove_rule",
    "prove_ruleset",
    "prove_setting",
    "prove_value",
]

Verdict = Strictness
"""The verdict of a proof: :class:`~eduint.checking.strictness.Strictness` (``stricter``,
``same``, ``looser``, ``undecided``, ``method``, ``placeholder``), shared with ``--set``."""


@attrs.frozen
class Counterexample:
    """An entity that meets the child rule and fails the parent rule.

    Attributes:
        scope: the kind of entity (a school segment, a county segment, a class, a county).
        rule: the id of the rule the entity is judged by.
        data: the figures, in eduint's YAML data shape (a county with the schools needed;
            English field names, units as the data model's).
        parent_outcome: the parent rule's outcome for the entity, an
            :class:`~eduint.engine.results.Outcome` value (``"未达到"``).
        child_outcome: the child rule's outcome (``"达到"``, ``"基本达到"``, ``"不适用"``).
        key: the key the entity has (``"初中"``; ``"乡村, 初中"``), or ``None``.
        period: the dated period it falls in (``"2016-01-01–2016-12-31"``), or ``None``.
        as_of: the evaluation date of the data (ISO), always given.
        verified: True when both rule sets were evaluated on :attr:`data` and gave these
            outcomes (see :data:`Verifier`).
        summary: one line for tables (``2 所学校，差异系数 0.55``).
    """

    scope: ScopeKind
    rule: str
    data: Mapping[str, object]
    parent_outcome: str
    child_outcome: str
    key: str | None = None
    period: str | None = None
    as_of: str | None = None
    verified: bool = False
    summary: str = ""

    def yaml(self) -> str:
        """The data as a paste-able YAML data file (UTF-8 text, keys in order)."""
        import yaml

        return str(yaml.safe_dump(dict(self.data), allow_unicode=True, sort_keys=False))


@attrs.frozen
class Part:
    """The proof for one key and one dated period of an element.

    Attributes:
        key: the key (``"初中"``; several kinds joined ``"乡村, 初中"``), or ``None``.
        period: the period (``"2016-01-01–2016-12-31"``, ``"2017-01-01–"``), or ``None``.
        old: the parent's value or requirement there, as canonical rule text.
        new: the child's, as canonical rule text.
        verdict: the verdict there.
        reason: why undecided (or how decided), or ``None``.
        counterexample: a counterexample there, when looser.
    """

    key: str | None
    period: str | None
    old: str
    new: str
    verdict: Verdict
    reason: str | None = None
    counterexample: Counterexample | None = None


@attrs.frozen
class Proof:
    """The verdict on one element, with its parts.

    Attributes:
        verdict: the overall verdict: ``looser`` when any part is looser, else
            ``undecided``/``method`` when any part is, else ``stricter`` when any part
            is, else ``same``.
        parts: per key and per dated period: old, new, verdict.
        reason: why undecided or method (the first part's reason), or ``None``.
        counterexample: the first looser part's counterexample, or ``None``.
    """

    verdict: Verdict
    parts: tuple[Part, ...] = ()
    reason: str | None = None
    counterexample: Counterexample | None = None


@attrs.frozen
class Element:
    """What a proof is about, in :func:`prove_ruleset`'s answer.

    Attributes:
        kind: ``"rule"`` (items and parts too), ``"value"`` or ``"setting"``.
        name: the rule id, value name or setting's canonical name.
        title: its Chinese title or label, or ``None``.
    """

    kind: str
    name: str
    title: str | None = None


Verifier = Callable[[Counterexample, RuleSet, RuleSet], bool]
"""Checks a counterexample by evaluating the parent and the child rule set on its data:
True when the rule :attr:`Counterexample.rule` comes out as
:attr:`Counterexample.parent_outcome` under the first and
:attr:`Counterexample.child_outcome` under the second."""


def prove_rule(
    parent: CheckedRule,
    child: CheckedRule,
    parent_rs: RuleSet,
    child_rs: RuleSet,
    *,
    verify: Verifier | None = None,
) -> Proof:
    """Whether ``child`` (read in ``child_rs``) is at least as strict as ``parent`` (read
    in ``parent_rs``): every entity that meets the child rule meets the parent rule, at
    every level (达到, 基本达到), under every key and in every dated period.

    Args:
        parent, child: the two versions of the rule (same scope expected).
        parent_rs, child_rs: the rule sets they belong to (values and settings).
        verify: checks each counterexample with the engine; without it counterexamples
            are built but not verified (:attr:`Counterexample.verified` False).
    """
    del parent, child, parent_rs, child_rs, verify
    return Proof(Verdict.UNDECIDED, reason="not implemented yet")


def prove_value(
    name: str,
    parent: NamedValue,
    child: NamedValue,
    parent_rs: RuleSet,
    child_rs: RuleSet,
    *,
    verify: Verifier | None = None,
) -> Proof:
    """Whether the child's value ``name`` is at least as strict as the parent's, judged
    per key and per dated period by the rules of ``child_rs`` that read it.

    Args:
        name: the value's name.
        parent, child: the two declarations.
        parent_rs, child_rs: their rule sets.
        verify: as for :func:`prove_rule`.
    """
    del name, parent, child, parent_rs, child_rs, verify
    return Proof(Verdict.UNDECIDED, reason="not implemented yet")


def prove_setting(name: str, parent: SettingValue, child: SettingValue) -> Proof:
    """A setting's verdict by its declared direction
    (:class:`~eduint.checking.settings.Direction`): a change in the loosening direction
    is ``looser``, a method change ``method``, a display setting ``same``.

    Args:
        name: the setting's canonical name (a key of :data:`~eduint.checking.settings.SETTINGS`).
        parent, child: the two values.

    Raises:
        KeyError: ``name`` is not a setting.
    """
    verdict = setting_verdict(SETTINGS[name].direction, parent.value, child.value)
    part = Part(None, None, show_value(parent.value), show_value(child.value), verdict)
    return Proof(verdict, (part,))


def prove_ruleset(
    parent_rs: RuleSet, child_rs: RuleSet, *, verify: Verifier | None = None
) -> tuple[tuple[Element, Proof], ...]:
    """Every element of ``child_rs`` that differs from ``parent_rs``, with its proof:
    settings, then values, then rules in file order (a rule of the parent the child lacks
    is looser; a rule the child adds is stricter).

    Args:
        parent_rs, child_rs: the two rule sets (two files with the same rule ids until
            ``extends`` lands).
        verify: as for :func:`prove_rule`.
    """
    del parent_rs, child_rs, verify
    return ()
