"""Private: the verdicts of a file's layering statements (see :mod:`eduint.checking._merge`).

Each override, relaxation, drop or replaced placeholder is a :class:`Pending` change
until the merged rule set exists; then the strictness proof (:mod:`eduint.checking.proof`)
decides each verdict.  An override the proof does not find at least as strict is
``E317``, with both values and the counterexample's figures; a ``relax`` that does not
loosen is ``W302``.
"""

from __future__ import annotations

import datetime
import os

import attrs

from eduint.checking._replace import at_keys
from eduint.checking._structure import StructureChecker
from eduint.checking.changes import Change, ChangeKind, Target
from eduint.checking.proof import Proof, Verdict, Verifier, prove_rule, prove_setting, prove_value
from eduint.checking.ruleset import (
    CheckedRule,
    Container,
    NamedValue,
    Origin,
    RuleSet,
    SettingValue,
    SourceRef,
)
from eduint.checking.strictness import show_value
from eduint.language.diagnostics import Diagnostic, Span

__all__ = ["Pending", "VerdictChecker", "rule_text"]

_NOT_STRICT = (Verdict.LOOSER, Verdict.UNDECIDED, Verdict.METHOD)


@attrs.define
class Pending:
    """A layering statement applied, waiting for its proof."""

    kind: ChangeKind
    target: Target
    name: str
    keys: tuple[str, ...]
    period: tuple[datetime.date | None, datetime.date | None] | None
    old: object
    new: object
    because: SourceRef | None
    until: datetime.date | None
    span: Span | None
    origin: Origin


def rule_text(r: CheckedRule) -> str:
    """A rule's requirement (and applicability) as rule text, for messages."""
    parts = [r.requirement_text] if r.requirement_text else []
    if r.applies_text:
        parts.append(f"applies when {r.applies_text}")
    if r.segments is not None:
        parts.append(f"[{', '.join(r.segments)}]")
    return "; ".join(parts) or "—"


class VerdictChecker(StructureChecker):
    """Decides the verdicts of the pending layering statements (``E317``, ``W302``)."""

    parent: RuleSet | None = None
    pending: list[Pending]

    def prove(
        self, merged: RuleSet, verify: Verifier | None, *, refuse: bool = True
    ) -> tuple[Change, ...]:
        """The changes with their verdicts; ``E317`` for an override the proof does not
        find at least as strict (unless ``refuse`` is False: ``lint --strictness`` shows
        every verdict), ``W302`` for a ``relax`` that does not loosen."""
        assert self.parent is not None
        out: list[Change] = []
        for p in self.pending:
            proof = self._proof(p, merged, verify)
            verdict = (
                proof.verdict
                if proof is not None
                else (Verdict.LOOSER if p.kind is ChangeKind.DROP else Verdict.PLACEHOLDER)
            )
            change = self._change(p, proof, verdict)
            if p.kind is ChangeKind.OVERRIDE and verdict in _NOT_STRICT and refuse:
                self._refuse(p, change, proof)
            elif p.kind is ChangeKind.RELAX and verdict in (Verdict.STRICTER, Verdict.SAME):
                self.warn(
                    "W302",
                    f"'{change.where}' is relaxed, but the change does not loosen it "
                    f"({verdict.value})",
                    p.span,
                    "write it as an override: no citation is needed to tighten",
                )
            out.append(change)
        return tuple(out)

    def _proof(self, p: Pending, merged: RuleSet, verify: Verifier | None) -> Proof | None:
        assert self.parent is not None
        if p.kind in (ChangeKind.DROP, ChangeKind.PLACEHOLDER):
            return None
        if isinstance(p.old, CheckedRule) and isinstance(p.new, CheckedRule):
            return prove_rule(p.old, p.new, self.parent, merged, verify=verify)
        if isinstance(p.old, NamedValue) and isinstance(p.new, NamedValue):
            alone = attrs.evolve(self.parent, values={**self.parent.values, p.name: p.new})
            return prove_value(p.name, p.old, p.new, self.parent, alone, verify=verify)
        assert isinstance(p.old, SettingValue) and isinstance(p.new, SettingValue)
        return prove_setting(p.name, p.old, p.new)

    def _change(self, p: Pending, proof: Proof | None, verdict: Verdict) -> Change:
        old, new = _texts(p)
        parts: tuple[tuple[str, str, str, str], ...] = ()
        if proof is not None:
            parts = tuple(
                (" ".join(x for x in (q.key, q.period) if x), q.old, q.new, q.verdict.value)
                for q in proof.parts
            )
        cx = proof.counterexample if proof is not None else None
        return Change(
            p.kind,
            p.target,
            p.name,
            p.keys,
            p.period,
            old,
            new,
            verdict.value,
            reason=proof.reason if proof is not None else None,
            counterexample=cx.yaml() if cx is not None else None,
            parts=parts,
            because=p.because,
            until=p.until,
            origin=p.origin,
            parent_origin=getattr(p.old, "origin", None),
            previous=p.old,
        )

    def _refuse(self, p: Pending, change: Change, proof: Proof | None) -> None:
        """``E317``: the override is not proved at least as strict; both values and the
        counterexample."""
        assert self.parent is not None
        verdict = change.verdict
        shown = [q for q in change.parts if q[3] in {v.value for v in _NOT_STRICT}] or [
            ("", change.old, change.new, verdict)
        ]
        both = _both(shown)
        what = (
            "is looser than"
            if verdict == "looser"
            else f"is {verdict}, not proved at least as strict as"
        )
        word = {Target.RULE: "rule", Target.VALUE: "value", Target.SETTING: "setting"}[p.target]
        detail = None
        cx = proof.counterexample if proof is not None else None
        if cx is not None:
            head = f"figures that meet this file and fail {self.parent.id} ({cx.summary or cx.scope.label}):"
            detail = head + "\n" + cx.yaml().rstrip("\n")
        elif change.reason:
            detail = change.reason
        relax = (
            f"relax {change.where} {{ … }}"
            if p.target is Target.RULE
            else f"relax {word} {change.where} = …"
        )
        self.diags.append(
            Diagnostic(
                "E317",
                f"{word} '{change.where}' {what} {self.parent.id}: {both}",
                p.span,
                f'make it at least as strict, or cite the document that allows it: {relax} because DOCUMENT "article"',
                detail=detail,
            )
        )


def _both(shown: list[tuple[str, str, str, str]]) -> str:
    """Old → new for each key and period, the text they share written once:
    ``cv(…) <= 小学: 0.5 → 0.6; 初中: 0.45 → 0.6``."""
    texts = [t for _, a, b, _ in shown for t in (a, b)]
    common = os.path.commonprefix(texts)
    common = common[: common.rfind(" ") + 1] if " " in common else ""
    if len(common) < 10:
        common = ""
    cut = len(common)
    body = "; ".join(f"{w + ': ' if w else ''}{a[cut:]} → {b[cut:]}" for w, a, b, _ in shown)
    return common + body


def _texts(p: Pending) -> tuple[str, str]:
    """The old and new element as rule text."""
    if isinstance(p.old, CheckedRule):
        new = rule_text(p.new) if isinstance(p.new, CheckedRule) else ""
        return rule_text(p.old), new
    if isinstance(p.old, Container):
        return f"{p.old.kind} {p.old.id}", ""
    if isinstance(p.old, (NamedValue, SettingValue)):
        assert isinstance(p.new, (NamedValue, SettingValue))
        a, b = p.old.value, p.new.value
        if p.keys:
            a, b = at_keys(a, p.keys) or a, at_keys(b, p.keys) or b
        return show_value(a), show_value(b)
    return "", ""
