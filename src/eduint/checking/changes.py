"""What a rule set that extends another changes: its parents and its changes.

A provincial rule file ``extends`` a national one and then overrides, relaxes or drops
what it inherits, or fills a ``placeholder`` (:mod:`eduint.checking.layering` merges the
two).  The checked :class:`~eduint.checking.ruleset.RuleSet` keeps one :class:`Change`
per such statement, with the verdict of the strictness proof, so that reports can list
every relaxation with its citation and expiry and every replaced placeholder, and
``eduint lint --strictness`` can print them all.
"""

from __future__ import annotations

import datetime
import enum

import attrs

from eduint.checking.ruleset import Origin, SourceRef

__all__ = ["Change", "ChangeKind", "Parent", "Target"]


class ChangeKind(str, enum.Enum):
    """What a layering statement did."""

    OVERRIDE = "override"
    """Replaced a parent's rule, value or setting, proved at least as strict."""
    RELAX = "relax"
    """Replaced one with a cited relaxation (``relax … because``)."""
    DROP = "drop"
    """Left a parent's item, part, rule, section or block out (``drop … because``)."""
    PLACEHOLDER = "placeholder"
    """Replaced a parent's ``placeholder``: neither stricter nor looser."""


class Target(str, enum.Enum):
    """The kind of element a change replaces."""

    RULE = "rule"
    VALUE = "value"
    SETTING = "setting"
    MEMBER = "member"
    """A section or block (drops only)."""


@attrs.frozen
class Parent:
    """A rule set another extends.

    Attributes:
        id: its ``ruleset`` id.
        title: its Chinese title, or ``None``.
        file: its file as reports name it (``bundled:…`` or its path).
        sha256: hex SHA-256 of the file's bytes, or ``None`` when not read from a file.
        title_en: its English title (``title_en``), or ``None``.
    """

    id: str
    title: str | None
    file: str
    sha256: str | None = None
    title_en: str | None = None


@attrs.frozen
class Change:
    """One override, relaxation, drop or replaced placeholder of a rule set.

    Attributes:
        kind: what it did.
        target: what it replaced (a rule, value, setting, or a section or block).
        name: the rule's id, the value's name or the setting's canonical name.
        keys: the keys of a keyed value replaced alone (``("初中",)``), else empty.
        period: the period replaced (first and last day, ``None`` open), or ``None``.
        old: the parent's requirement or value as canonical rule text.
        new: the child's, as canonical rule text (empty for a drop).
        verdict: the proof's verdict: ``stricter``, ``same``, ``looser``, ``undecided``,
            ``method`` or ``placeholder`` (a drop is ``looser``).
        reason: why the proof is undecided, or a method change, or ``None``.
        counterexample: figures (YAML) that meet the child and fail the parent, or
            ``None``.
        parts: the proof per key and period as ``(where, old, new, verdict)``.
        because: the citation of a relaxation or drop, or ``None``.
        until: the last day a relaxation is in force, or ``None`` (no expiry).
        origin: where the change is written (the child's file and line).
        parent_origin: where the element it replaces was set.
        previous: the parent's element (a ``CheckedRule``, ``NamedValue``,
            ``SettingValue`` or ``Container``), restored once :attr:`until` is past;
            not compared.
    """

    kind: ChangeKind
    target: Target
    name: str
    keys: tuple[str, ...]
    period: tuple[datetime.date | None, datetime.date | None] | None
    old: str
    new: str
    verdict: str
    reason: str | None = None
    counterexample: str | None = None
    parts: tuple[tuple[str, str, str, str], ...] = ()
    because: SourceRef | None = None
    until: datetime.date | None = None
    origin: Origin | None = None
    parent_origin: Origin | None = None
    previous: object = attrs.field(default=None, eq=False, repr=False)

    @property
    def where(self) -> str:
        """The element as written in a rule file: ``差异系数上限.初中``, ``12.1``."""
        return ".".join((self.name, *self.keys))

    def in_force(self, day: datetime.date | None) -> bool:
        """Whether the change applies on ``day`` (a relaxation lapses after :attr:`until`).

        Args:
            day: the evaluation date, or ``None`` when there is none (always in force).
        """
        return self.until is None or day is None or day <= self.until
