"""The checker's structure: sections, blocks, items, parts and rules.

Ids are claimed as they are met (``E104`` on the second), properties may be given
once (``E303``), and every item, part or rule must have something to evaluate
(``E307``).  The expressions inside are checked by the layers below
(:mod:`eduint.checking._exprs`, :mod:`eduint.checking._values`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Context, Decimal
from fractions import Fraction

import attrs

from eduint.checking import builtins
from eduint.checking._context import Ctx, first_prop, notes
from eduint.checking._values import ValueChecker
from eduint.checking.ruleset import (
    CheckedRule,
    Const,
    Container,
    DatedValue,
    KeyedValue,
    RExpr,
    Type,
    ValueRef,
    headline_comparison,
)
from eduint.checking.schema import ScopeKind, scope_from_words, scope_words
from eduint.core.units import display_unit
from eduint.language import nodes as n
from eduint.language.diagnostics import Span, did_you_mean
from eduint.language.printer import unparse_expr

#: How parts or members combine into a verdict (name or alias → canonical name),
#: from the registry (:data:`eduint.checking.builtins.COMBINERS`).
COMBINER_NAMES: dict[str, str] = {
    name: c.name for c in builtins.COMBINERS for name in (c.name, *c.aliases)
}

_SEGMENTS = ("小学", "初中", "高中")

_PROP_WORDS: dict[type, str] = {
    n.RuleId: "id",
    n.TitleEn: "title_en",
    n.Scope: "scope",
    n.Applies: "applies",
    n.Require: "require",
    n.Basically: "basically",
    n.Provisional: "provisional",
    n.Attested: "attested",
    n.Veto: "veto",
    n.Margin: "margin",
    n.Combine: "combine",
    n.Placeholder: "placeholder",
    n.Version: "version",
    n.DerivedFrom: "derived_from",
    n.Extends: "extends",
    n.DocNumber: "number",
    n.DocDate: "date",
    n.DocUrl: "url",
}


class StructureChecker(ValueChecker):
    """Checks the containers and rules of a file (``E104``, ``E105``, ``E106``,
    ``E108``, ``E303``, ``E304``, ``E307``, ``E308``)."""

    def _dup_props(self, props: Sequence[object], repeatable: tuple[type, ...] = ()) -> None:
        """``E303`` for a property given twice (notes, sources, lets, reports may repeat)."""
        seen: dict[type, object] = {}
        for p in props:
            t = type(p)
            if t in (n.Note, n.Source, n.Let, n.Report, *repeatable):
                continue
            if t in seen:
                word = _PROP_WORDS.get(t, t.__name__.lower())
                self.err(
                    "E303",
                    f"'{word}' given twice",
                    getattr(p, "span", None),
                    "keep one; combine conditions with 'and'" if word == "require" else "keep one",
                )
            seen[t] = p

    def _claim(self, id_: str, span: Span | None, what: str) -> None:
        """Record an id; ``E104`` when it is taken."""
        if id_ in self.seen_ids:
            prev = self.seen_ids[id_]
            where = f" (first at line {prev.line})" if prev is not None else ""
            self.err(
                "E104", f"{what} '{id_}' defined twice{where}", span, "give each its own number"
            )
        else:
            self.seen_ids[id_] = span

    def _member(self, m: n.ContainerMember | n.Decl) -> Container | CheckedRule:
        """A section or block with its members, an item with its parts, or a rule."""
        if isinstance(m, (n.Section, n.Block)):
            kind = "section" if isinstance(m, n.Section) else "block"
            cid = m.label.text if isinstance(m, n.Section) else m.id
            self._claim(f"{kind}:{cid}", m.span, kind)
            members: list[Container | CheckedRule] = []
            combine = "worst"
            props = [
                x for x in m.members if isinstance(x, (n.Combine, n.Note, n.Source, n.TitleEn))
            ]
            self._dup_props(props)
            for x in m.members:
                if isinstance(x, (n.Section, n.Block, n.Item, n.Rule)):
                    members.append(self._member(x))
                elif isinstance(x, n.Combine):
                    combine = self._combine(x)
            texts, texts_en = notes(props)
            return Container(
                kind=kind,
                id=cid,
                title=m.title,
                title_en=first_prop(props, n.TitleEn, "text"),
                members=tuple(members),
                combine=combine,
                notes=texts,
                sources=self.sources(props),
                notes_en=texts_en,
                span=m.span,
            )
        if isinstance(m, n.Item):
            item_props = tuple(x for x in m.members if not isinstance(x, n.Part))
            rule_id = first_prop(item_props, n.RuleId, "name") or m.label.text
            self._claim(rule_id, m.span, "item")
            parts = tuple(
                self._rule(
                    "part",
                    p.label.text,
                    p.label.text,
                    p.title,
                    p.props,
                    p.span,
                    explicit_id=first_prop(p.props, n.RuleId, "name"),
                )
                for p in m.parts
            )
            return self._rule(
                "item", rule_id, m.label.text, m.title, item_props, m.span, parts=parts
            )
        if isinstance(m, n.Rule):
            self._claim(m.id, m.span, "rule")
            return self._rule("rule", m.id, None, m.title, m.props, m.span)
        raise AssertionError(f"not a member: {m!r}")

    def _combine(self, c: n.Combine) -> str:
        """The canonical name of a ``combine`` (``E108`` and ``worst`` when unknown)."""
        e = c.expr
        if isinstance(e, n.Path) and e.dotted in COMBINER_NAMES:
            return COMBINER_NAMES[e.dotted]
        word = e.dotted if isinstance(e, n.Path) else "this expression"
        sug = did_you_mean(word, COMBINER_NAMES) if isinstance(e, n.Path) else None
        self.err(
            "E108",
            f"unknown combination '{word}'",
            c.span,
            f"did you mean '{sug}'?"
            if sug
            else f"use one of: {', '.join(sorted(set(COMBINER_NAMES.values())))}",
        )
        return "worst"

    def _rule(
        self,
        kind: str,
        id_: str,
        label: str | None,
        title: str | None,
        props: Sequence[n.RuleProp],
        span: Span | None,
        *,
        parts: tuple[CheckedRule, ...] = (),
        explicit_id: str | None = None,
    ) -> CheckedRule:
        """An item, part or rule: its scope, lets, conditions, margin, reports and
        whether it has something to evaluate."""
        if kind == "part":
            self._claim(explicit_id or id_, span, "part")
            id_ = explicit_id or id_
        self._dup_props(props)
        scope, segments = self._scope(props)
        ctx = Ctx(scope, {})
        lets = self._lets(props, ctx)
        applies_p = next((p for p in props if isinstance(p, n.Applies)), None)
        require_p = next((p for p in props if isinstance(p, n.Require)), None)
        basically_p = next((p for p in props if isinstance(p, n.Basically)), None)
        margin_p = next((p for p in props if isinstance(p, n.Margin)), None)
        combine_p = next((p for p in props if isinstance(p, n.Combine)), None)
        applies = self.cond(applies_p.cond, ctx, "applies when") if applies_p else None
        require = self.cond(require_p.cond, ctx, "require") if require_p else None
        basically = self.cond(basically_p.cond, ctx, "basically") if basically_p else None
        margin = self._margin(margin_p, ctx, require) if margin_p else None
        reports = tuple((p.name, self.expr(p.expr, ctx)) for p in props if isinstance(p, n.Report))
        attested = any(isinstance(p, n.Attested) for p in props)
        self._something_to_evaluate(
            kind,
            id_,
            span,
            parts=parts,
            require=require_p,
            basically=basically_p,
            reports=bool(reports),
            attested=attested,
        )
        combine = self._combine(combine_p) if combine_p else "worst"
        texts, texts_en = notes(props)
        sources = self.sources(props)
        return CheckedRule(
            kind=kind,
            id=id_,
            label=label,
            title=title,
            title_en=first_prop(props, n.TitleEn, "text"),
            scope=scope,
            segments=segments,
            applies=applies,
            otherwise=applies_p.otherwise if applies_p else None,
            require=require,
            basically=basically,
            reports=reports,
            lets=lets,
            sources=sources,
            notes=texts,
            provisional=self.provisional(props),
            attested=attested,
            veto=any(isinstance(p, n.Veto) for p in props),
            margin=margin,
            combine=combine,
            parts=parts,
            requirement_text=unparse_expr(require_p.cond) if require_p else None,
            applies_text=unparse_expr(applies_p.cond) if applies_p else None,
            notes_en=texts_en,
            provisional_en=self.provisional_en(props),
            otherwise_en=applies_p.otherwise_en if applies_p else None,
            placeholder=self.placeholder(props),
            span=span,
            origin=self.origin(span, sources),
        )

    def _margin(self, p: n.Margin, ctx: Ctx, require: RExpr | None) -> Const | None:
        """The borderline margin as one number in the unit the headline comparison is
        shown in (:func:`~eduint.core.units.display_unit`), or ``None`` after an error.

        A bare number is in that unit already; a number with a unit must have the
        comparison's dimension (``E207``) and is converted (``0.005 万元`` on a rule in 元
        is 50 元); a named value counts as the number it holds, and must hold one number
        (``E208``: not keyed, not dated, not computed).
        """
        m = self.expr(p.expr, ctx)
        if m.type.kind == "error":
            return None
        if m.type.kind != "number":
            self.err("E205", "'margin' takes a number in the rule's unit", p.span)
            return None
        const = self._margin_number(m, p)
        if const is None:
            return None
        main = headline_comparison(require) if require is not None else None
        if main is None or main.left.type.kind != "number" or main.right.type.kind != "number":
            return const  # nothing to qualify: the margin is never used
        shown = display_unit(main.right.type.unit, main.left.type.unit)
        if const.type.literal:
            return attrs.evolve(const, type=Type("number", shown))
        if not const.type.unit.same_dimension(shown):
            unit = shown.describe() or "a bare number"
            self.err(
                "E207",
                f"'margin' is in {const.type.unit.describe() or 'a bare number'}, but the "
                f"comparison it qualifies is in {unit}",
                p.span,
                f"give the margin in {unit}, or as a bare number in the comparison's unit",
            )
            return None
        value = Fraction(const.value) * const.type.unit.scale / shown.scale
        return Const(_decimal(value), Type("number", shown), span=const.span)

    def _margin_number(self, m: RExpr, p: n.Margin) -> Const | None:
        """The number a margin is: a literal, or the one number a named value holds
        (through values defined as other values); ``E208`` for anything else."""
        seen: set[str] = set()
        while isinstance(m, ValueRef) and m.name not in seen and m.name in self.values:
            seen.add(m.name)
            m = self.values[m.name].value
        if isinstance(m, Const):
            return m
        what = {KeyedValue: "keyed", DatedValue: "dated"}.get(type(m), "computed")
        named = f"value '{p.expr.dotted}'" if isinstance(p.expr, n.Path) else "the expression"
        self.err(
            "E208",
            f"'margin' takes one number, but {named} is {what}",
            p.span,
            "write the margin as a number (margin 0.005), or name a value that holds one",
        )
        return None

    def _scope(self, props: Sequence[n.RuleProp]) -> tuple[ScopeKind, tuple[str, ...] | None]:
        """The rule's scope (county when none is given; ``E105`` when unknown) and the
        segments it keeps (``E106`` for an unknown one)."""
        scope = ScopeKind.COUNTY
        segments: tuple[str, ...] | None = None
        sc = next((p for p in props if isinstance(p, n.Scope)), None)
        if sc is None:
            return scope, segments
        found = scope_from_words(sc.words)
        if found is None:
            phrase = " ".join(sc.words)
            sug = did_you_mean(phrase, scope_words())
            self.err(
                "E105",
                f"unknown scope '{phrase}'",
                sc.span,
                f"did you mean '{sug}'?"
                if sug
                else "use county, county segment, school, segment or class",
            )
        else:
            scope = found
        if sc.segments is not None:
            for s in sc.segments:
                if s not in _SEGMENTS:
                    sug = did_you_mean(s, _SEGMENTS)
                    self.err(
                        "E106",
                        f"unknown segment '{s}'",
                        sc.span,
                        f"did you mean '{sug}'?" if sug else "use 小学, 初中 or 高中",
                    )
            segments = sc.segments
        return scope, segments

    def _lets(self, props: Sequence[n.RuleProp], ctx: Ctx) -> tuple[tuple[str, RExpr], ...]:
        """The rule's ``let`` bindings, in order; each is in force for those after it
        (recorded in ``ctx.lets``)."""
        lets: list[tuple[str, RExpr]] = []
        for p in props:
            if isinstance(p, n.Let):
                if p.name in ctx.lets:
                    self.err("E104", f"'let {p.name}' defined twice", p.span, "keep one")
                self._shadows(p.name, p.span, "let")
                r = self.expr(p.expr, ctx)
                lets.append((p.name, r))
                ctx.lets[p.name] = r.type
        return tuple(lets)

    def _something_to_evaluate(
        self,
        kind: str,
        id_: str,
        span: Span | None,
        *,
        parts: tuple[CheckedRule, ...],
        require: n.Require | None,
        basically: n.Basically | None,
        reports: bool,
        attested: bool,
    ) -> None:
        """``E308`` basically without require, ``E304`` an item with parts and its own
        require, ``E307`` nothing to evaluate."""
        if basically is not None and require is None:
            self.err(
                "E308",
                "'basically' without 'require'",
                basically.span,
                "state the full requirement with 'require'; 'basically' is the weaker level",
            )
        if parts and require is not None:
            self.err(
                "E304",
                "an item with parts cannot have its own 'require'",
                require.span,
                "move the requirement into a part; parts combine into the item",
            )
        if not parts and require is None and not reports and not attested:
            self.err(
                "E307",
                f"{kind} '{id_}' has nothing to evaluate",
                span,
                "add 'require …', 'report …' or 'attested'",
            )


def _decimal(x: Fraction) -> Decimal:
    """An exact decimal for ``x`` when it has one (万元 → 元, % → 1), else 40 significant
    digits (亩 → 平方米 divides by 3): ample for a borderline flag."""
    num = Decimal(x.numerator)
    exact = num / Decimal(x.denominator)
    if Fraction(exact) == x:
        return exact
    return Context(prec=40).divide(num, Decimal(x.denominator))
