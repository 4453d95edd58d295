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

"Meets" counts levels: 达到 above 基本达到 above 未达到, 不适用 and no verdict counting as
not failing; 缺少数据 is never a pass.  Settings follow their declared
:class:`~eduint.checking.settings.Direction`.  A ``same`` verdict is an equivalence (no
entity's outcome can change), which is what mutation testing needs to call a mutant
equivalent (issue 16).

The work is split: :mod:`~eduint.checking._proof_formula` turns a rule at one key and
date into a formula over comparisons ``Q op c``; :mod:`~eduint.checking._proof_points`
finds the keys and dated periods; :mod:`~eduint.checking._proof_search` searches the
breakpoint grid; :mod:`~eduint.checking._proof_data` builds the data of a counterexample;
docs/strictness.md explains the method.

This module sits in the checking layer and never imports the engine: counterexamples are
verified through an injected :data:`Verifier` (the engine's is
:func:`eduint.engine.verify.verifier`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from eduint.checking._proof_data import DEFAULT_AS_OF, CannotBuild, build_data
from eduint.checking._proof_formula import (
    NoValue,
    Point,
    Registry,
    RuleFormulas,
    Truth,
    Unsupported,
    canon,
    pick,
    show_formula,
    translate_rule,
)
from eduint.checking._proof_points import Labelled, points, reads, rule_nodes, value_points
from eduint.checking._proof_search import MAX_POINTS, Found, Searcher, TooLarge
from eduint.checking.ruleset import CheckedRule, NamedValue, RExpr, RuleSet, SettingValue
from eduint.checking.schema import ScopeKind
from eduint.checking.settings import SETTINGS
from eduint.checking.strictness import (
    Strictness,
    setting_verdict,
    show_value,
    value_direction,
    value_verdict,
)

__all__ = [
    "Counterexample",
    "Element",
    "Part",
    "Proof",
    "Verdict",
    "Verifier",
    "combine",
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
            :class:`~eduint.engine.results.Outcome` value (``"未达到"``; the checking
            layer cannot import the engine's enum, whose members equal these strings).
        child_outcome: the child rule's outcome (``"达到"``, ``"基本达到"``, ``"不适用"``,
            or ``""`` for no verdict: a report-only period, a requirement the child
            dropped).
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


# ----------------------------------------------------------------- comparing


@attrs.frozen
class _Side:
    """A rule as read in a rule set (``rule is None``: the rule set lacks it)."""

    rs: RuleSet
    rule: CheckedRule | None


_ORDER = (
    Verdict.LOOSER,
    Verdict.UNDECIDED,
    Verdict.METHOD,
    Verdict.PLACEHOLDER,
    Verdict.STRICTER,
    Verdict.SAME,
)


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    """The verdict of several parts: looser, else undecided, method, placeholder,
    stricter, same (the first that any part has)."""
    found = set(verdicts)
    return next((v for v in _ORDER if v in found), Verdict.SAME)


def _proof(parts: Sequence[Part]) -> Proof:
    verdict = combine(p.verdict for p in parts)
    first = next((p for p in parts if p.verdict is verdict), None)
    cx = next((p.counterexample for p in parts if p.counterexample is not None), None)
    reason = first.reason if first is not None and verdict is not Verdict.SAME else None
    return Proof(verdict, tuple(parts), reason, cx if verdict is Verdict.LOOSER else None)


def _describe(f: RuleFormulas, rule: CheckedRule | None, reg: Registry) -> str:
    """A rule at one point as text: ``when …: …; basically …``."""
    if rule is None:
        return "(no such rule)"
    if f.require is None:
        return "(no requirement)"
    text = show_formula(f.require, reg)
    if f.applies != Truth(True):
        text = f"when {show_formula(f.applies, reg)}: {text}"
    if f.basically is not None:
        text += f"; basically {show_formula(f.basically, reg)}"
    return text


def _compare(parent: _Side, child: _Side, verify: Verifier | None) -> list[tuple[Labelled, Part]]:
    """Parent against child at every key and period."""
    rule = child.rule or parent.rule
    assert rule is not None
    lists = tuple(r.segments for r in (parent.rule, child.rule) if r is not None)
    nodes = rule_nodes(parent.rs, parent.rule) + rule_nodes(child.rs, child.rule)
    out: list[tuple[Labelled, Part]] = []
    for at in points(rule.scope, lists, nodes):
        out.append((at, _compare_at(parent, child, at, verify)))
    return out


def _compare_at(parent: _Side, child: _Side, at: Labelled, verify: Verifier | None) -> Part:
    rule = child.rule or parent.rule
    assert rule is not None
    reg = Registry()
    try:
        fp = translate_rule(parent.rs, parent.rule, at.point, reg)
        fc = translate_rule(child.rs, child.rule, at.point, reg)
    except Unsupported as exc:
        return Part(
            at.key, at.period, "…", "…", Verdict.UNDECIDED, f"outside the decidable shape: {exc}"
        )
    old, new = _describe(fp, parent.rule, reg), _describe(fc, child.rule, reg)
    if fp == fc and (parent.rule is None) == (child.rule is None):
        return Part(at.key, at.period, old, new, Verdict.SAME)
    grid = Searcher(reg, fp, fc)
    loose = grid.search("child")
    if isinstance(loose, TooLarge):
        why = f"the grid has {loose.points:,} points, more than {MAX_POINTS:,}"
        return Part(at.key, at.period, old, new, Verdict.UNDECIDED, why)
    if loose:
        return _counterexample(parent, child, at, rule, loose, reg, verify, old, new)
    tight = grid.search("parent")
    if isinstance(tight, TooLarge) or tight:
        return Part(at.key, at.period, old, new, Verdict.STRICTER)
    return Part(at.key, at.period, old, new, Verdict.SAME)


def _counterexample(
    parent: _Side,
    child: _Side,
    at: Labelled,
    rule: CheckedRule,
    found: list[Found],
    reg: Registry,
    verify: Verifier | None,
    old: str,
    new: str,
) -> Part:
    """The first grid point that becomes data (verified, with a verifier) makes the part
    looser; when none does, it is undecided with the reasons."""
    segment = at.point.segment or (rule.segments[0] if rule.segments else "小学")
    as_of = at.point.day.isoformat() if at.point.day is not None else DEFAULT_AS_OF
    reasons: list[str] = []
    for point in found:
        try:
            data, summary = build_data(rule.scope, at.point, segment, as_of, point, reg)
        except CannotBuild as exc:
            reasons.append(str(exc))
            continue
        cx = Counterexample(
            rule.scope,
            rule.id,
            data,
            point.outcomes[0] or "",
            point.outcomes[1] or "",
            at.key,
            at.period,
            as_of,
            False,
            summary,
        )
        if verify is not None:
            if not verify(cx, parent.rs, child.rs):
                reasons.append(f"the data built ({summary}) did not verify with the engine")
                continue
            cx = attrs.evolve(cx, verified=True)
        return Part(at.key, at.period, old, new, Verdict.LOOSER, None, cx)
    why = "; ".join(dict.fromkeys(reasons))
    return Part(
        at.key,
        at.period,
        old,
        new,
        Verdict.UNDECIDED,
        f"the figures can pass the child and fail the parent, but no data was built: {why}",
    )


# ------------------------------------------------------------------- public


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

    The requirement, the applicability (``applies when`` and the segment list: applying
    to more entities is stricter only with a requirement at least as strict) and the
    基本达到 condition are compared by the grid search of
    :mod:`eduint.checking._proof_search`; the values each rule reads are its own rule
    set's.  Settings are held equal (they are proved on their own, :func:`prove_setting`).

    Args:
        parent, child: the two versions of the rule.
        parent_rs, child_rs: the rule sets they belong to (values and settings).
        verify: checks each counterexample with the engine; without it counterexamples
            are built but not verified (:attr:`Counterexample.verified` False).
    """
    return _prove_rule(_Side(parent_rs, parent), _Side(child_rs, child), verify)


def _prove_rule(parent: _Side, child: _Side, verify: Verifier | None) -> Proof:
    p, c = parent.rule, child.rule
    assert p is not None or c is not None
    if p is not None and c is not None:
        structural = _structural(p, c)
        if structural is not None:
            return structural
    if p is None:  # a rule the parent lacks: a requirement added
        assert c is not None
        return Proof(Verdict.STRICTER, reason="a rule the parent does not have")
    parts = [part for _, part in _compare(parent, child, verify)]
    proof = _proof(parts)
    if c is not None and p.veto != c.veto and proof.verdict in (Verdict.SAME, Verdict.STRICTER):
        v = Verdict.STRICTER if c.veto else Verdict.LOOSER
        why = (
            "veto (一票否决) added"
            if c.veto
            else "veto (一票否决) removed: its failure no longer fails the whole"
        )
        return attrs.evolve(proof, verdict=combine((v, proof.verdict)), reason=why)
    return proof


def _structural(p: CheckedRule, c: CheckedRule) -> Proof | None:
    """The verdict of a change the grid does not decide (scope, kind, parts), or ``None``."""
    if p.scope is not c.scope:
        return Proof(
            Verdict.UNDECIDED,
            reason=f"the scope changed from {p.scope.label} to {c.scope.label} (a change of method)",
        )
    if (p.require is None) != (c.require is None):
        what = (
            "is answered by the county (自评) instead of computed"
            if c.require is None
            else "is computed instead of answered"
        )
        return Proof(Verdict.UNDECIDED, reason=f"the child rule {what}")
    if p.require is None and c.require is None:
        same = p.combine == c.combine and [x.id for x in p.parts] == [x.id for x in c.parts]
        if same and p.attested == c.attested and p.veto == c.veto:
            return Proof(Verdict.SAME)
        return Proof(Verdict.UNDECIDED, reason="how the parts combine (or which parts) changed")
    return None


def _value_of(e: RExpr, point: Point) -> RExpr | None:
    """A value's expression at one key and date (``None``: none in force or report-only)."""
    try:
        picked = pick(e, {}, point)
    except Unsupported:
        return None
    return None if isinstance(picked, NoValue) else picked


def _show_cell(e: RExpr | None, whole: RExpr, point: Point) -> str:
    if e is not None:
        return show_value(e)
    try:
        picked = pick(whole, {}, point)
    except Unsupported:
        return "…"
    return "report_only" if isinstance(picked, NoValue) and picked.report_only else "—"


def prove_value(
    name: str,
    parent: NamedValue,
    child: NamedValue,
    parent_rs: RuleSet,
    child_rs: RuleSet,
    *,
    verify: Verifier | None = None,
) -> Proof:
    """Whether the child's value ``name`` is at least as strict as the parent's, per key
    and per dated period (one :class:`Part` each).

    The value's own effect is proved exactly: every rule of ``child_rs`` that reads it is
    compared with itself reading the parent's value instead (everything else the child's),
    and a cell's verdict combines those rules' verdicts at that key and period.  Where that
    comparison is undecided, the direction of the value's uses decides when it can
    (:func:`~eduint.checking.strictness.value_direction`: raising a floor is stricter).

    Args:
        name: the value's name.
        parent, child: the two declarations.
        parent_rs: the parent rule set (kept for symmetry; the comparison reads the
            child's rules).
        child_rs: the child rule set.
        verify: as for :func:`prove_rule`.
    """
    del parent_rs
    readers = [r for r in child_rs.rules() if r.require is not None and reads(child_rs, r, name)]
    swapped = attrs.evolve(child_rs, values={**child_rs.values, name: parent})
    results: list[tuple[Labelled, Part]] = []
    if canon(parent.value) != canon(child.value):
        for r in readers:
            results += _compare(_Side(swapped, r), _Side(child_rs, r), verify)
    direction = value_direction(child_rs, name)
    parts: list[Part] = []
    for cell in value_points(parent.value, child.value):
        a, b = _value_of(parent.value, cell.point), _value_of(child.value, cell.point)
        old = _show_cell(a, parent.value, cell.point)
        new = _show_cell(b, child.value, cell.point)
        if old == new:
            parts.append(Part(cell.key, cell.period, old, new, Verdict.SAME))
            continue
        if not readers:
            parts.append(Part(cell.key, cell.period, old, new, Verdict.SAME, "no rule reads it"))
            continue
        mine = [part for at, part in results if _within(at, cell)]
        verdict = combine(p.verdict for p in mine)
        cx = next((p.counterexample for p in mine if p.counterexample is not None), None)
        reason = next((p.reason for p in mine if p.verdict is verdict and p.reason), None)
        if verdict is Verdict.UNDECIDED and a is not None and b is not None:
            by_sign = value_verdict(direction, a, b)
            if by_sign in (Verdict.STRICTER, Verdict.SAME, Verdict.LOOSER):
                verdict = by_sign
                reason = f"by the direction of its uses ({reason})"
        parts.append(Part(cell.key, cell.period, old, new, verdict, reason, cx))
    return _proof(parts)


def _within(at: Labelled, cell: Labelled) -> bool:
    """Whether a rule's point lies in a value's cell (same keys, day in the period)."""
    p, c = at.point, cell.point
    for kind in ("segment", "location", "region", *(k for k, _ in c.others)):
        want = c.key(kind)
        if want is not None and p.key(kind) not in (want, None):
            return False
    if cell.period is None or p.day is None:
        return True
    start, _, end = cell.period.partition("–")
    return (not start or datetime.date.fromisoformat(start) <= p.day) and (
        not end or p.day <= datetime.date.fromisoformat(end)
    )


def prove_setting(name: str, parent: SettingValue, child: SettingValue) -> Proof:
    """A setting's verdict by its declared direction
    (:class:`~eduint.checking.settings.Direction`): a change in the loosening direction
    is ``looser``, a method change ``method``, a display setting ``same``.  Keyed
    settings (weights) are method settings.

    Args:
        name: the setting's canonical name (a key of :data:`~eduint.checking.settings.SETTINGS`).
        parent, child: the two values.

    Raises:
        KeyError: ``name`` is not a setting.
    """
    spec = SETTINGS[name]
    verdict = setting_verdict(spec.direction, parent.value, child.value)
    reason = {
        Verdict.METHOD: "a change of method: which schools count or how figures split",
        Verdict.LOOSER: f"{spec.label} changed in its loosening direction",
    }.get(verdict)
    part = Part(None, None, show_value(parent.value), show_value(child.value), verdict, reason)
    return Proof(verdict, (part,), reason)


def prove_ruleset(
    parent_rs: RuleSet, child_rs: RuleSet, *, verify: Verifier | None = None
) -> tuple[tuple[Element, Proof], ...]:
    """Every element of ``child_rs`` that differs from ``parent_rs``, with its proof:
    settings, then values, then rules in file order (a rule of the parent the child lacks
    is looser; a rule the child adds is stricter).  A rule is listed when its own text
    differs (its scope, segments, ``let`` bindings, applicability, requirement, 基本达到
    condition, parts or veto); a rule that differs only through the values it reads is
    covered by those values' rows.

    Args:
        parent_rs, child_rs: the two rule sets (two files with the same rule ids until
            ``extends`` lands).
        verify: as for :func:`prove_rule`.
    """
    out: list[tuple[Element, Proof]] = []
    for name, spec in SETTINGS.items():
        ps, cs = parent_rs.settings.get(name), child_rs.settings.get(name)
        if ps is not None and cs is not None and canon(ps.value) != canon(cs.value):
            out.append((Element("setting", name, spec.label), prove_setting(name, ps, cs)))
    for name, cv in child_rs.values.items():
        pv = parent_rs.values.get(name)
        if pv is not None and canon(pv.value) != canon(cv.value):
            proof = prove_value(name, pv, cv, parent_rs, child_rs, verify=verify)
            out.append((Element("value", name, cv.title), proof))
    for r in parent_rs.rules():
        c = child_rs.find(r.id)
        if c is None or _text(r) != _text(c):
            proof = _prove_rule(_Side(parent_rs, r), _Side(child_rs, c), verify)
            out.append((Element("rule", r.id, r.title), proof))
    for c in child_rs.rules():
        if parent_rs.find(c.id) is None:
            proof = Proof(Verdict.STRICTER, reason="a rule the parent does not have")
            out.append((Element("rule", c.id, c.title), proof))
    return tuple(out)


def _text(r: CheckedRule) -> object:
    """What a rule says, for telling whether a child changed it (titles, notes and
    citations left out)."""
    return canon(
        (
            r.scope,
            r.segments,
            r.lets,
            r.applies,
            r.require,
            r.basically,
            r.combine,
            r.veto,
            r.attested,
            tuple(x.id for x in r.parts),
        )
    )
