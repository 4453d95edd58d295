"""Private: the checker of a file that extends another (layering).

The child is checked with the parent's documents, values, fields and rule ids already
known; its own sections, items, rules and values are added; its ``override``,
``relax`` and ``drop`` statements replace what the parent has, each recorded as a
pending :class:`~eduint.checking.changes.Change` whose verdict the strictness proof
(:mod:`eduint.checking.proof`) decides once the merged rule set is built
(:meth:`LayerChecker.prove`).  A change the proof does not find at least as strict is
``E317`` unless it is a cited ``relax``; replacing a ``placeholder`` is its own kind,
neither stricter nor looser.  See :mod:`eduint.checking.layering` for how parents are
found.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

import attrs

from eduint.checking._context import Ctx
from eduint.checking._replace import ReplaceError, Stamp, at_keys, keys_lost, replace_value
from eduint.checking._verdicts import Pending, VerdictChecker
from eduint.checking.changes import ChangeKind, Target
from eduint.checking.ruleset import (
    CheckedRule,
    Const,
    Container,
    DatedValue,
    KeyedEntryValue,
    KeyedValue,
    Origin,
    RExpr,
    RuleSet,
    SettingValue,
    SourceRef,
    Type,
    headline_comparison,
)
from eduint.checking.schema import build_schema
from eduint.checking.settings import SETTING_ALIASES, SETTINGS
from eduint.core.units import Unit
from eduint.language import nodes as n
from eduint.language.diagnostics import Span, did_you_mean
from eduint.language.printer import unparse_expr

__all__ = ["LayerChecker"]

Member = Container | CheckedRule

#: What an override of a rule may not change, with the word the file writes.
_FIXED: dict[type, str] = {
    n.RuleId: "id",
    n.Attested: "attested",
    n.Veto: "veto",
    n.Combine: "combine",
    n.Placeholder: "placeholder",
}


def _map(
    members: Sequence[Member], target: Member, fn: Callable[[Member], Member | None]
) -> tuple[Member, ...]:
    """The member tree with ``target`` (a rule, part, section or block, matched by kind
    and id: an earlier change may have rebuilt it) replaced by ``fn(member)`` (``None``
    leaves it out)."""
    out: list[Member] = []
    for m in members:
        if type(m) is type(target) and m.id == target.id:
            new = fn(m)
            if new is not None:
                out.append(new)
        elif isinstance(m, Container):
            out.append(attrs.evolve(m, members=_map(m.members, target, fn)))
        elif m.parts:
            parts = tuple(p for p in _map(m.parts, target, fn) if isinstance(p, CheckedRule))
            out.append(attrs.evolve(m, parts=parts) if parts != m.parts else m)
        else:
            out.append(m)
    return tuple(out)


def _all_rules(members: Sequence[Member]) -> list[CheckedRule]:
    """Every item, part and rule of a member tree."""
    out: list[CheckedRule] = []
    stack = list(members)
    while stack:
        m = stack.pop()
        if isinstance(m, CheckedRule):
            out.append(m)
            stack.extend(m.parts)
        else:
            stack.extend(m.members)
    return out


def _entries(e: RExpr) -> tuple[KeyedEntryValue, ...]:
    """The entries of a keyed value (of its first period when dated), else none."""
    if isinstance(e, DatedValue):
        first = next((p.value for p in e.periods if p.value is not None), None)
        return _entries(first) if first is not None else ()
    return e.entries if isinstance(e, KeyedValue) else ()


def _containers(members: Sequence[Member]) -> dict[str, Container]:
    out: dict[str, Container] = {}
    stack = list(members)
    while stack:
        m = stack.pop()
        if isinstance(m, Container):
            out.setdefault(m.id, m)
            stack.extend(m.members)
    return out


def _with_unit(e: RExpr, unit: Unit) -> RExpr:
    """``e`` with every bare number literal in it given ``unit`` (``0.40`` replacing a
    value in 元/人 is 0.40 元/人), through keyed entries and periods."""
    if isinstance(e, Const) and e.type.literal:
        return attrs.evolve(e, type=Type("number", unit))
    if isinstance(e, KeyedValue):
        entries = tuple(attrs.evolve(x, value=_with_unit(x.value, unit)) for x in e.entries)
        return attrs.evolve(e, entries=entries, type=Type("number", unit))
    if isinstance(e, DatedValue):
        periods = tuple(
            attrs.evolve(p, value=_with_unit(p.value, unit)) if p.value is not None else p
            for p in e.periods
        )
        return attrs.evolve(e, periods=periods, type=Type("number", unit))
    return e


class LayerChecker(VerdictChecker):
    """Checks the layering statements of a file that extends ``parent`` (``E104``,
    ``E106``, ``E112``, ``E201``, ``E205``, ``E304``, ``E316``, ``E317``, ``E319``)."""

    parent: RuleSet | None = None

    def seed(self, parent: RuleSet) -> None:
        """Start from what the parent declares: documents, values, rule and container ids."""
        self.parent = parent
        self.pending: list[Pending] = []
        self.dropped: dict[str, Span | None] = {}
        self.documents.update(parent.documents)
        self.values.update(parent.values)
        for r in parent.rules():
            self.seen_ids[r.id] = r.span
        for c in _containers(parent.members).values():
            self.seen_ids[f"{c.kind}:{c.id}"] = c.span
        self.schema = build_schema(list(parent.extra_fields))
        self.extra_seen.update((f.scope, f.name) for f in parent.extra_fields)

    def because(self, b: n.Because | None) -> SourceRef | None:
        """The citation of a relaxation or drop (``E103`` for an unknown document)."""
        if b is None:
            return None
        return self.sources([n.Source(b.document, b.text, span=b.span)])[0]

    # ---------------------------------------------------------------- statements

    def layer(
        self,
        decls: Sequence[n.Decl],
        members: tuple[Member, ...],
        settings: dict[str, SettingValue],
    ) -> tuple[Member, ...]:
        """Apply the layering statements in file order to ``members``, ``self.values``
        and ``settings`` (changed in place); the merged member tree."""
        assert self.parent is not None
        done: set[tuple[object, ...]] = set()
        for d in decls:
            key: tuple[object, ...]
            if isinstance(d, n.ValueOverride):
                key = (d.target, d.name, d.keys, d.start, d.end)
            elif isinstance(d, (n.Override, n.Relax, n.Drop)):
                key = ("rule", d.label.text)
            else:
                continue
            if key in done:
                self.err(
                    "E104",
                    f"'{d.label.text if not isinstance(d, n.ValueOverride) else d.dotted}' is changed twice",
                    d.span,
                    "keep one",
                )
                continue
            done.add(key)
            if isinstance(d, n.ValueOverride):
                if d.target == "setting":
                    self._setting_override(d, settings)
                else:
                    self._value_override(d)
            elif isinstance(d, n.Drop):
                members = self._drop(d, members)
            else:
                members = self._rule_override(d, members)
        return members

    def _origin_of(
        self, span: Span | None, sources: tuple[SourceRef, ...], b: SourceRef | None
    ) -> Origin:
        return self.origin(span, ((b,) if b is not None else ()) + sources)

    def _kind(self, relax: bool, placeholder: bool) -> ChangeKind:
        if placeholder:
            return ChangeKind.PLACEHOLDER
        return ChangeKind.RELAX if relax else ChangeKind.OVERRIDE

    def _value_override(self, d: n.ValueOverride) -> None:
        assert self.parent is not None
        original = self.parent.values.get(d.name)
        if original is None:
            self._not_in_parent(d, "value", d.name, list(self.parent.values), d.name in self.values)
            return
        current = self.values[d.name]
        period = self._period(d)
        if d.because is not None and d.because.until is not None:
            # a value's relaxation lapses as a period of the value: the parent's after it
            end = (
                d.because.until
                if period is None or period[1] is None
                else min(period[1], d.because.until)
            )
            period = (period[0] if period else None, end)
        new = self.expr(d.value, Ctx(None, {}))
        part = at_keys(original.value, d.keys) if d.keys else original.value
        if part is None:
            have = ", ".join(k for x in _entries(original.value) for k in x.keys)
            self.err(
                "E106",
                f"value '{d.name}' has no key '{'.'.join(d.keys)}'"
                + (f" (keys: {have})" if have else " (it is not keyed)"),
                d.span,
                f"use one of: {have}"
                if have
                else f"override the whole value: override value {d.name} = …",
            )
            return
        new = self._same_kind(part, new, d)
        b = self.because(d.because)
        sources = self.sources(d.meta)
        origin = self._origin_of(d.span, sources, b)
        stamp = Stamp(sources, self.provisional(d.meta), self.provisional_en(d.meta), origin)
        try:
            merged = replace_value(current.value, d.keys, period, new, stamp)
            alone = replace_value(original.value, d.keys, period, new, stamp)
        except ReplaceError as exc:
            self.err(exc.code, f"value '{d.name}': {exc.message}", d.span, exc.hint)
            return
        if not d.keys and period is None:
            lost = keys_lost(original.value, new)
            if lost:
                self.err(
                    "E316",
                    f"the override of value '{d.name}' drops its "
                    f"{'keys' if len(lost) > 1 else 'key'} {', '.join(lost)}",
                    d.span,
                    f"give every key the parent's value has ({', '.join(lost)}), or override one key: override value {d.name}.KEY = …",
                )
                return
        whole = not d.keys and period is None
        extra: dict[str, object] = {"placeholder": self.placeholder(d.meta)}
        if whole:
            extra.update(
                sources=sources,
                provisional=stamp.provisional,
                provisional_en=stamp.provisional_en,
                origin=origin,
            )
        self.values[d.name] = attrs.evolve(current, value=merged, **extra)  # type: ignore[arg-type]
        child = attrs.evolve(original, value=alone, **extra)  # type: ignore[arg-type]
        self.pending.append(
            Pending(
                self._kind(d.because is not None, original.placeholder is not None),
                Target.VALUE,
                d.name,
                d.keys,
                period,
                original,
                child,
                b,
                d.because.until if d.because else None,
                d.span,
                origin,
            )
        )

    def _period(
        self, d: n.ValueOverride
    ) -> tuple[datetime.date | None, datetime.date | None] | None:
        if d.start is None and d.end is None:
            return None
        if d.start is not None and d.end is not None and d.end < d.start:
            self.err("E305", f"period ends ({d.end}) before it starts ({d.start})", d.span)
        return (d.start, d.end)

    def _same_kind(self, old: RExpr, new: RExpr, d: n.ValueOverride) -> RExpr:
        """``new`` in ``old``'s unit: a bare number takes it; another dimension is
        ``E201``, another kind ``E205``."""
        ot, nt = old.type, new.type
        if "error" in (ot.kind, nt.kind):
            return new
        if ot.kind == nt.kind == "number":
            if nt.literal and not ot.literal:
                return _with_unit(new, ot.unit)
            if not ot.unit.same_dimension(nt.unit) and not nt.literal and not ot.literal:
                self.err(
                    "E201",
                    f"'{d.dotted}' is in {ot.unit.describe() or 'a bare number'}; the new value is in {nt.unit.describe() or 'a bare number'}",
                    d.value.span or d.span,
                    f"give it in {ot.unit.describe()}"
                    if ot.unit.describe()
                    else "give a bare number",
                )
            return new
        if ot.kind != nt.kind:
            self.err(
                "E205",
                f"'{d.dotted}' is {ot.describe()}; the new value is {nt.describe()}",
                d.value.span or d.span,
                "give a value of the same kind",
            )
        return new

    def _setting_override(self, d: n.ValueOverride, settings: dict[str, SettingValue]) -> None:
        canon = SETTING_ALIASES.get(d.name)
        if canon is None:
            self._not_in_parent(d, "setting", d.name, list(SETTING_ALIASES), False)
            return
        if d.start is not None or d.end is not None:
            self.err(
                "E319",
                f"setting '{d.name}' is not dated: it cannot change for a period",
                d.span,
                "override the whole setting",
            )
            return
        self.no_placeholder(d.meta, "a setting")
        old = settings[canon]
        b = self.because(d.because)
        if d.keys:
            part = at_keys(old.value, d.keys)
            if part is None:
                self.err(
                    "E106",
                    f"setting '{d.name}' has no key '{'.'.join(d.keys)}'",
                    d.span,
                    f"override the whole setting: override setting {d.name} = …",
                )
                return
            new = self._same_kind(part, self.expr(d.value, Ctx(None, {})), d)
            value: RExpr | None = replace_value(old.value, d.keys, None, new, Stamp())
        else:
            value = self._setting_value(SETTINGS[canon], d.value, d.span)
        if value is None:
            return
        sources = self.sources(d.meta)
        origin = self._origin_of(d.span, sources, b)
        new_sv = SettingValue(
            canon,
            value,
            True,
            sources,
            self.provisional(d.meta),
            self.provisional_en(d.meta),
            origin=origin,
        )
        settings[canon] = new_sv
        self.pending.append(
            Pending(
                self._kind(d.because is not None, False),
                Target.SETTING,
                canon,
                d.keys,
                None,
                old,
                new_sv,
                b,
                d.because.until if d.because else None,
                d.span,
                origin,
            )
        )

    def _not_in_parent(self, d: n.Decl, what: str, name: str, have: list[str], own: bool) -> None:
        """``E112``: the parent has no such rule, value or setting."""
        assert self.parent is not None
        word = (
            type(d).__name__.lower()
            if not isinstance(d, n.ValueOverride)
            else ("relax" if d.because else "override")
        )
        if own:
            self.err(
                "E112",
                f"'{name}' is this file's own {what}, not {self.parent.id}'s: there is nothing to {word}",
                getattr(d, "span", None),
                f"change the {what} where it is declared",
            )
            return
        sug = did_you_mean(name, have)
        self.err(
            "E112",
            f"{self.parent.id} has no {what} '{name}' to {word}",
            getattr(d, "span", None),
            f"did you mean '{sug}'?" if sug else f"see `eduint rules show {self.parent.id}`",
        )

    # ------------------------------------------------------------------- rules

    def _find_rule(self, members: Sequence[Member], label: str) -> CheckedRule | None:
        # An id wins over a label: 2017's 政府保障程度 item "(五)" has the id "(五)",
        # while the 教育质量 item labelled "(五)" has the id 质量五.
        rules: list[CheckedRule] = []
        stack: list[Member] = list(reversed(members))
        while stack:
            m = stack.pop()
            if isinstance(m, CheckedRule):
                rules.append(m)
                stack.extend(reversed(m.parts))
            else:
                stack.extend(reversed(m.members))
        by_id = next((r for r in rules if r.id == label), None)
        return by_id or next((r for r in rules if r.label == label), None)

    def _parent_rule(
        self, d: n.Override | n.Relax | n.Drop, members: Sequence[Member]
    ) -> CheckedRule | Container | None:
        """The parent's member ``d`` names, or ``None`` after ``E112``/``E319``."""
        assert self.parent is not None
        label = d.label.text
        parent_rule = self.parent.find(label) or next(
            (r for r in self.parent.rules() if r.label == label), None
        )
        if parent_rule is not None:
            found = self._find_rule(members, label)
            if found is None:
                self.err(
                    "E319",
                    f"'{label}' was dropped by this file (or the item it belongs to was)",
                    d.span,
                    "a dropped rule cannot be changed too; keep one statement",
                )
            return found
        container = _containers(self.parent.members).get(label)
        if container is not None and isinstance(d, n.Drop):
            return container
        if container is not None:
            self.err(
                "E319",
                f"'{label}' is a {container.kind}: an override changes an item, part or rule",
                d.span,
                f"override its items one by one, or drop it: drop {label} because …",
            )
            return None
        own = self._find_rule(members, label) is not None
        ids = [r.id for r in self.parent.rules()] + [c for c in _containers(self.parent.members)]
        self._not_in_parent(d, "item, part or rule", label, ids, own)
        return None

    def _drop(self, d: n.Drop, members: tuple[Member, ...]) -> tuple[Member, ...]:
        target = self._parent_rule(d, members)
        if target is None:
            return members
        b = self.because(d.because)
        origin = self._origin_of(d.span, (), b)
        self.dropped[target.id] = d.span
        items = [r for r in _all_rules(members) if target in r.parts]
        if items and len(items[0].parts) == 1:
            self.err(
                "E319",
                f"'{target.id}' is the only part of item '{items[0].id}'",
                d.span,
                f"drop the item: drop {items[0].id} because …",
            )
            return members
        kind = Target.MEMBER if isinstance(target, Container) else Target.RULE
        self.pending.append(
            Pending(
                ChangeKind.DROP,
                kind,
                target.id,
                (),
                None,
                target,
                None,
                b,
                d.because.until,
                d.span,
                origin,
            )
        )
        return _map(members, target, lambda m: None)

    def _rule_override(
        self, d: n.Override | n.Relax, members: tuple[Member, ...]
    ) -> tuple[Member, ...]:
        old = self._parent_rule(d, members)
        if not isinstance(old, CheckedRule):
            return members
        b = self.because(d.because) if isinstance(d, n.Relax) else None
        new = self._override_rule(old, d.props, d.span, b)
        until = d.because.until if isinstance(d, n.Relax) else None
        assert new.origin is not None
        self.pending.append(
            Pending(
                self._kind(isinstance(d, n.Relax), old.placeholder is not None),
                Target.RULE,
                old.id,
                (),
                None,
                old,
                new,
                b,
                until,
                d.span,
                new.origin,
            )
        )
        return _map(members, old, lambda m: new)

    def _override_rule(
        self, old: CheckedRule, props: Sequence[n.RuleProp], span: Span | None, b: SourceRef | None
    ) -> CheckedRule:
        """The parent's rule with the properties an override gives replaced: ``require``,
        ``basically``, ``applies``, ``margin``, annotations and the segment list replace
        the parent's; a ``let`` or a named ``report`` replaces the parent's of that name in
        place (keeping its unit), else is added."""
        segments = self._override_fixed(old, props)
        ctx = Ctx(old.scope, {})
        lets = self._override_lets(old, props, ctx)
        get = {type(p): p for p in reversed(props)}
        applies_p, require_p = get.get(n.Applies), get.get(n.Require)
        basically_p, margin_p = get.get(n.Basically), get.get(n.Margin)
        assert applies_p is None or isinstance(applies_p, n.Applies)
        assert require_p is None or isinstance(require_p, n.Require)
        assert basically_p is None or isinstance(basically_p, n.Basically)
        assert margin_p is None or isinstance(margin_p, n.Margin)
        applies = self.cond(applies_p.cond, ctx, "applies when") if applies_p else old.applies
        require = self.cond(require_p.cond, ctx, "require") if require_p else old.require
        basically = self.cond(basically_p.cond, ctx, "basically") if basically_p else old.basically
        if old.parts and require_p is not None:
            self.err(
                "E304",
                "an item with parts cannot have its own 'require'",
                require_p.span,
                "override one of its parts",
            )
        margin = old.margin
        if margin_p is not None:
            margin = self._margin(margin_p, ctx, require)
        elif require_p is not None and not _margin_fits(old.margin, require):
            margin = None  # the parent's margin was in another unit
        reports = self._override_reports(old, props, ctx)
        sources = self.sources(props)
        texts = tuple(p.text for p in props if isinstance(p, n.Note))
        notes_en = tuple(p.text_en for p in props if isinstance(p, n.Note))
        has_prov = any(isinstance(p, n.Provisional) for p in props)
        title_en = next((p.text for p in props if isinstance(p, n.TitleEn)), old.title_en)
        return attrs.evolve(
            old,
            title_en=title_en,
            segments=segments,
            applies=applies,
            otherwise=applies_p.otherwise if applies_p else old.otherwise,
            otherwise_en=applies_p.otherwise_en if applies_p else old.otherwise_en,
            require=require,
            basically=basically,
            reports=reports,
            lets=lets,
            sources=sources or old.sources,
            notes=texts or old.notes,
            notes_en=notes_en if texts else old.notes_en,
            provisional=self.provisional(props) if has_prov else old.provisional,
            provisional_en=self.provisional_en(props) if has_prov else old.provisional_en,
            margin=margin,
            requirement_text=unparse_expr(require_p.cond) if require_p else old.requirement_text,
            applies_text=unparse_expr(applies_p.cond) if applies_p else old.applies_text,
            placeholder=None,
            span=span,
            origin=self._origin_of(span, sources, b),
        )

    def _override_fixed(
        self, old: CheckedRule, props: Sequence[n.RuleProp]
    ) -> tuple[str, ...] | None:
        """``E303`` for a property given twice, ``E319`` for what an override cannot
        change (its scope kind, id, veto, attested, combine); the segment list."""
        self._dup_props(props)
        for p in props:
            word = _FIXED.get(type(p))
            if word is not None:
                self.err(
                    "E319",
                    f"an override cannot change '{word}'",
                    p.span,
                    "override a rule's requirement, applicability, lets, reports, margin "
                    "and annotations",
                )
        sc = next((p for p in props if isinstance(p, n.Scope)), None)
        if sc is None:
            return old.segments
        scope, segments = self._scope([sc])
        if scope == old.scope:
            return segments
        self.err(
            "E319",
            f"an override keeps the rule's scope ({old.scope.label})",
            sc.span,
            f"keep scope {old.scope.spelling}; a segment list may change",
        )
        return old.segments

    def _override_lets(
        self, old: CheckedRule, props: Sequence[n.RuleProp], ctx: Ctx
    ) -> tuple[tuple[str, RExpr], ...]:
        """The parent's lets, those the override names replaced in place (each sees the
        lets before it), then the override's new ones."""
        given = {p.name: p for p in props if isinstance(p, n.Let)}
        lets: list[tuple[str, RExpr]] = []
        for name, expr in old.lets:
            p = given.pop(name, None)
            if p is not None:
                r = self.expr(p.expr, ctx)
                if "error" not in (r.type.kind, expr.type.kind) and not _same_type(
                    r.type, expr.type
                ):
                    self.err(
                        "E201",
                        f"'let {name}' is {expr.type.describe()} in the parent; here it is {r.type.describe()}",
                        p.span,
                        "a replaced let keeps its unit: the parent's other properties read it",
                    )
                expr = r
            lets.append((name, expr))
            ctx.lets[name] = expr.type
        for name, p in given.items():
            self._shadows(name, p.span, "let")
            r = self.expr(p.expr, ctx)
            lets.append((name, r))
            ctx.lets[name] = r.type
        return tuple(lets)

    def _override_reports(
        self, old: CheckedRule, props: Sequence[n.RuleProp], ctx: Ctx
    ) -> tuple[tuple[str | None, RExpr], ...]:
        reports = list(old.reports)
        for p in props:
            if not isinstance(p, n.Report):
                continue
            r = self.expr(p.expr, ctx)
            at = next(
                (i for i, (nm, _) in enumerate(reports) if nm is not None and nm == p.name), None
            )
            if at is None:
                reports.append((p.name, r))
            else:
                reports[at] = (p.name, r)
        return tuple(reports)

    # ------------------------------------------------------------------- proofs


def _same_type(a: Type, b: Type) -> bool:
    if a.kind != b.kind:
        return False
    return a.kind != "number" or a.unit.same_dimension(b.unit) or a.literal or b.literal


def _margin_fits(margin: Const | None, require: RExpr | None) -> bool:
    if margin is None or require is None:
        return True
    main = headline_comparison(require)
    if main is None:
        return False
    return bool(
        margin.type.unit.same_dimension(main.right.type.unit)
        or margin.type.unit.dimensionless
        and main.right.type.unit.dimensionless
    )
