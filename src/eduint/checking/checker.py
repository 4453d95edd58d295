"""The checker: a parsed rule file plus the data model → a checked :class:`RuleSet`.

It resolves every name (fields by English name or Chinese label, values,
settings, ``let`` bindings, enum symbols), infers and checks units, checks
scopes and structure, and reports **every** problem of a file at once, sorted
by position, as :class:`~eduint.errors.RuleCheckError`.  Codes: ``E1xx``
names, ``E2xx`` units and types, ``E3xx`` structure; warnings ``W3xx`` do not
stop the check and are kept on :attr:`RuleSet.warnings`.  See ``docs/errors.md``.

The checker evaluates nothing and reads no file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

import attrs

from eduint._compat import assert_never
from eduint.checking import builtins
from eduint.checking.ruleset import (
    BOOL,
    Aggregate,
    Binary,
    BoolConst,
    CheckedRule,
    Comparison,
    Conditional,
    Const,
    Container,
    DatedValue,
    DocumentInfo,
    FieldRef,
    Function,
    KeyedEntryValue,
    KeyedValue,
    LetRef,
    ListOf,
    Logic,
    Membership,
    NamedValue,
    Negate,
    Not,
    PeriodValue,
    RExpr,
    RuleSet,
    SettingValue,
    SourceRef,
    Symbol,
    TextConst,
    Type,
    ValueRef,
)
from eduint.checking.schema import (
    ENUM_SYMBOLS,
    FieldInfo,
    Schema,
    ScopeKind,
    build_schema,
    over_scope,
    over_words,
    scope_from_words,
    scope_words,
)
from eduint.checking.settings import SETTING_ALIASES, SETTINGS, SettingSpec
from eduint.core.units import DIMENSIONLESS, Unit, UnitError, parse_unit
from eduint.errors import RuleCheckError
from eduint.language import nodes as n
from eduint.language.diagnostics import Diagnostic, Span, did_you_mean
from eduint.language.parser import parse
from eduint.language.printer import unparse_expr

__all__ = ["AGGREGATES", "COMBINERS", "FUNCTIONS", "SETTINGS", "check", "check_text"]

#: Aggregates over a lower scope (name or Chinese alias → canonical name).
AGGREGATES: dict[str, str] = {k: b.name for k, b in builtins.AGGREGATES.items()}

#: Plain functions (name or Chinese alias → canonical name).
FUNCTIONS: dict[str, str] = {k: b.name for k, b in builtins.FUNCTIONS.items()}

#: How parts or members combine into a verdict (name or alias → canonical).
COMBINERS: dict[str, str] = {
    name: c.name for c in builtins.COMBINERS for name in (c.name, *c.aliases)
}

# Keyed-value kinds and the keys each accepts.
_KEY_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "segment": ("segment", ("小学", "初中", "高中")),
    "学段": ("segment", ("小学", "初中", "高中")),
    "location": ("location", ("城区", "镇区", "乡村")),
    "城乡": ("location", ("城区", "镇区", "乡村")),
    "region": ("region", ("东部", "中部", "西部")),
    "地区": ("region", ("东部", "中部", "西部")),
}

_SEGMENTS = ("小学", "初中", "高中")

@attrs.frozen
class _Ctx:
    """Where an expression is resolved."""

    scope: ScopeKind | None  # None: a value or setting (no entity)
    lets: dict[str, Type]


class _Checker:
    def __init__(self, tree: n.RuleFile) -> None:
        self.tree = tree
        self.file = tree.file
        self.diags: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        self.documents: dict[str, DocumentInfo] = {}
        self.values: dict[str, NamedValue] = {}
        self.schema: Schema = build_schema()
        self.seen_ids: dict[str, Span | None] = {}
        # Values in a reference cycle (E310): uses of them are not reported again.
        self.cyclic: set[str] = set()
        self.extra_seen: set[tuple[ScopeKind, str]] = set()

    # ------------------------------------------------------------ helpers
    def err(self, code: str, msg: str, span: Span | None, hint: str | None = None) -> None:
        self.diags.append(Diagnostic(code, msg, span, hint))

    def warn(self, code: str, msg: str, span: Span | None, hint: str | None = None) -> None:
        self.warnings.append(Diagnostic(code, msg, span, hint, severity="warning"))

    def sources(self, metas: Iterable[object]) -> tuple[SourceRef, ...]:
        out = []
        for m in metas:
            if isinstance(m, n.Source):
                number = None
                if m.document is not None:
                    doc = self.documents.get(m.document)
                    if doc is None:
                        sug = did_you_mean(m.document, self.documents)
                        self.err(
                            "E103",
                            f"unknown document '{m.document}'",
                            m.span,
                            f"did you mean '{sug}'?"
                            if sug
                            else 'declare it with: document ID "title" { number "..." }',
                        )
                    else:
                        number = doc.number
                out.append(SourceRef(m.document, number, m.text))
        return tuple(out)

    @staticmethod
    def provisional(metas: Iterable[object]) -> str | None:
        for m in metas:
            if isinstance(m, n.Provisional):
                return m.reason or ""
        return None

    # ------------------------------------------------------------ top level
    def run(self) -> RuleSet:
        tree = self.tree
        header = tree.header
        rs_id = header.id if header else Path(self.file).stem or "rules"
        title = header.title if header else None
        props: tuple[n.RulesetProp, ...] = header.props if header else ()
        self._dup_props(props)
        for p in props:
            if isinstance(p, n.Extends):
                self.err(
                    "E306",
                    "layering ('extends') is not supported yet",
                    p.span,
                    "copy the rules you need into this file for now",
                )
        for d in tree.decls:
            if isinstance(d, n.Document):
                self._document(d)
        extra = [f for d in tree.decls if isinstance(d, n.FieldDecl) for f in self._field(d)]
        self.schema = build_schema(extra)
        for d in self._value_order([d for d in tree.decls if isinstance(d, n.ValueDecl)]):
            self._value(d)
        settings = self._settings([d for d in tree.decls if isinstance(d, n.Setting)])
        members: list[Container | CheckedRule] = []
        for d in tree.decls:
            if isinstance(d, (n.Section, n.Block, n.Item, n.Rule)):
                members.append(self._member(d))
            elif isinstance(d, (n.Override, n.Relax)):
                word = "override" if isinstance(d, n.Override) else "relax"
                self.err(
                    "E306",
                    f"layering ('{word}') is not supported yet",
                    d.span,
                    "edit the rule itself for now",
                )
        header_sources = self.sources(props)
        if self.diags:
            raise RuleCheckError(self.diags + self.warnings)
        return RuleSet(
            id=rs_id,
            title=title,
            title_en=_first(props, n.TitleEn, "text"),
            version=_first(props, n.Version, "text"),
            derived_from=_first(props, n.DerivedFrom, "text"),
            notes=tuple(p.text for p in props if isinstance(p, n.Note)),
            sources=header_sources,
            documents=dict(self.documents),
            settings=settings,
            values=dict(self.values),
            extra_fields=tuple(extra),
            members=tuple(members),
            file=self.file,
            warnings=tuple(self.warnings),
        )

    def _dup_props(self, props: Sequence[object], repeatable: tuple[type, ...] = ()) -> None:
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

    def _document(self, d: n.Document) -> None:
        if d.id in self.documents:
            self.err("E104", f"document '{d.id}' declared twice", d.span, "keep one")
            return
        self._dup_props(d.props)
        self.documents[d.id] = DocumentInfo(
            id=d.id,
            title=d.title,
            number=_first(d.props, n.DocNumber, "text"),
            date=next((p.value for p in d.props if isinstance(p, n.DocDate)), None),
            url=_first(d.props, n.DocUrl, "text"),
            notes=tuple(p.text for p in d.props if isinstance(p, n.Note)),
        )

    def _field(self, d: n.FieldDecl) -> list[FieldInfo]:
        scope = scope_from_words([d.scope]) or over_scope(d.scope)
        if scope is None:
            sug = did_you_mean(
                d.scope, ["county", "school", "segment", "class", "县", "学校", "学段", "班级"]
            )
            self.err(
                "E105",
                f"unknown scope '{d.scope}' for a field",
                d.span,
                f"did you mean '{sug}'?" if sug else "use county, school, segment or class",
            )
            return []
        if (scope, d.name) in self.extra_seen:
            self.err(
                "E104", f"field '{d.name}' declared twice on {scope.label}", d.span, "keep one"
            )
            return []
        self.extra_seen.add((scope, d.name))
        clash = self.schema.lookup(scope, d.name)
        if clash is not None:
            self.err(
                "E110",
                f"field '{d.name}' already exists on {scope.label}: {clash.describe()}",
                d.span,
                "use the existing field, or choose another name",
            )
            return []
        clash = self.schema.lookup(scope, d.label) if d.label else None
        if clash is not None:
            self.err(
                "E110",
                f"label '{d.label}' of field '{d.name}' is already used on {scope.label}: "
                f"{clash.describe()}",
                d.span,
                "use the existing field, or choose another label",
            )
            # kept under its own name, so that rules using it are not reported again
        unit: Unit | None = None
        if d.type.kind == "unit":
            try:
                unit = _written_unit(d.type.unit)
            except UnitError as exc:
                self.err("E204", str(exc), d.type.span or d.span, _unit_hint())
                return []
        kind = {"unit": "quantity", "number": "number", "text": "text", "flag": "flag"}[d.type.kind]
        if kind == "number":
            unit = DIMENSIONLESS
        label_en = next((p.text for p in d.props if isinstance(p, n.LabelEn)), None)
        self.sources(d.props)
        return [FieldInfo(d.name, scope, kind, unit, d.label, label_en, extra=True)]

    def _value_order(self, decls: Sequence[n.ValueDecl]) -> list[n.ValueDecl]:
        """Values in an order where each comes after the values it uses, so they
        may be declared in any order; a cycle is E310."""
        by_name: dict[str, n.ValueDecl] = {}
        for d in decls:
            by_name.setdefault(d.name, d)
        deps = {
            name: sorted(_names_used(d.value) & set(by_name) - {name})
            for name, d in by_name.items()
        }
        for name, d in by_name.items():
            if name in _names_used(d.value):
                self.err("E310", f"value '{name}' is defined in terms of itself", d.span)
        order: list[n.ValueDecl] = []
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for root in by_name:
            stack: list[tuple[str, int]] = [(root, 0)]
            path: list[str] = []
            while stack:
                name, i = stack.pop()
                if i == 0:
                    if state.get(name) == 2:
                        continue
                    if state.get(name) == 1:
                        self.cyclic.update(path[path.index(name) :])
                        cycle = " → ".join([*path[path.index(name) :], name])
                        self.err(
                            "E310",
                            f"values refer to each other in a cycle: {cycle}",
                            by_name[name].span,
                            "define one of them without the others",
                        )
                        continue
                    state[name] = 1
                    path.append(name)
                if i < len(deps[name]):
                    stack.append((name, i + 1))
                    stack.append((deps[name][i], 0))
                else:
                    state[name] = 2
                    path.pop()
                    order.append(by_name[name])
        # duplicates keep their place after the first, so E104 is still reported
        order.extend(d for d in decls if by_name[d.name] is not d)
        return order

    def _shadows(self, name: str, span: Span | None, what: str) -> None:
        """A value or let named like a data field or a symbol would silently hide it."""
        for scope in ScopeKind:
            info = self.schema.lookup(scope, name)
            if info is not None:
                self.err(
                    "E111",
                    f"{what} '{name}' has the name of a data field ({info.describe()})",
                    span,
                    "choose another name; the rule would read it instead of the data",
                )
                return
        if name in ENUM_SYMBOLS:
            self.err(
                "E111",
                f"{what} '{name}' has the name of a symbol (a value such as 小学 or 乡村)",
                span,
                "choose another name",
            )

    def _value(self, d: n.ValueDecl) -> None:
        if d.name in self.values:
            self.err("E104", f"value '{d.name}' declared twice", d.span, "keep one")
            return
        self._shadows(d.name, d.span, "value")
        expr = self.expr(d.value, _Ctx(None, {}))
        self.values[d.name] = NamedValue(
            d.name, d.title, expr, self.sources(d.meta), self.provisional(d.meta), span=d.span
        )

    # ------------------------------------------------------------ settings
    def _settings(self, decls: Sequence[n.Setting]) -> dict[str, SettingValue]:
        out: dict[str, SettingValue] = {}
        for d in decls:
            canon = SETTING_ALIASES.get(d.name)
            if canon is None:
                sug = did_you_mean(d.name, SETTING_ALIASES)
                self.err(
                    "E107",
                    f"unknown setting '{d.name}'",
                    d.span,
                    f"did you mean '{sug}'?" if sug else "see docs/language.md, Settings",
                )
                continue
            if canon in out:
                self.err("E104", f"setting '{d.name}' given twice", d.span, "keep one")
                continue
            value = self._setting_value(SETTINGS[canon], d.value, d.span)
            if value is not None:
                out[canon] = SettingValue(
                    canon, value, True, self.sources(d.meta), self.provisional(d.meta)
                )
        for spec in SETTINGS.values():
            if spec.name not in out:
                tree = parse(f"setting {spec.name} = {spec.default}", file="<default>")
                decl = tree.decls[0]
                assert isinstance(decl, n.Setting)
                value = self._setting_value(spec, decl.value, None)
                assert value is not None, spec.name
                out[spec.name] = SettingValue(
                    spec.name, value, False, (SourceRef(None, None, spec.source),), spec.provisional
                )
        return out

    def _setting_value(self, spec: SettingSpec, e: n.Expr, span: Span | None) -> RExpr | None:
        where = e.span or span
        if spec.kind == "fields":
            if not isinstance(e, n.ListExpr) or not all(
                isinstance(i, n.Path) and len(i.parts) == 1 for i in e.items
            ):
                self.err("E309", f"setting '{spec.name}' takes a list of field names", where)
                return None
            items: list[RExpr] = []
            for i in e.items:
                assert isinstance(i, n.Path)
                info = self.schema.lookup(ScopeKind.SCHOOL, i.parts[0])
                if info is None or info.kind != "quantity":
                    sug = did_you_mean(i.parts[0], self.schema.names(ScopeKind.SCHOOL))
                    self.err(
                        "E101",
                        f"unknown school field '{i.parts[0]}'",
                        i.span,
                        f"did you mean '{sug}'?" if sug else None,
                    )
                    continue
                items.append(
                    FieldRef(info, Type("number", info.unit or DIMENSIONLESS), span=i.span)
                )
            return ListOf(tuple(items), span=e.span)
        if spec.kind == "symbol":
            choices = tuple(c.value for c in spec.choices)
            if isinstance(e, n.Path) and e.dotted in choices:
                return Symbol(e.dotted, Type("symbol", enum=spec.name), span=e.span)
            self.err(
                "E309",
                f"setting '{spec.name}' takes one of {', '.join(choices)}",
                where,
            )
            return None
        value = self.expr(e, _Ctx(None, {}))
        ok = {
            "number": value.type.kind == "number" and isinstance(value, Const),
            "bool": isinstance(value, BoolConst),
            "weights": isinstance(value, KeyedValue)
            and value.kind == "segment"
            and value.type.kind == "number",
        }[spec.kind]
        if not ok:
            want = {
                "number": "a number",
                "bool": "true or false",
                "weights": "by segment { 小学: 1, 初中: 1.1, ... }",
            }[spec.kind]
            self.err("E309", f"setting '{spec.name}' takes {want}", where)
            return None
        if spec.name == "display_precision":
            assert isinstance(value, Const)
            v = value.value
            if v != v.to_integral_value() or not 0 <= v <= 12 or not value.type.unit.dimensionless:
                self.err(
                    "E309",
                    f"setting 'display_precision' takes a whole number of decimal places "
                    f"from 0 to 12, got {v}",
                    where,
                )
                return None
        return value

    # ------------------------------------------------------------ structure
    def _claim(self, id_: str, span: Span | None, what: str) -> None:
        if id_ in self.seen_ids:
            prev = self.seen_ids[id_]
            where = f" (first at line {prev.line})" if prev is not None else ""
            self.err(
                "E104", f"{what} '{id_}' defined twice{where}", span, "give each its own number"
            )
        else:
            self.seen_ids[id_] = span

    def _member(self, m: n.ContainerMember | n.Decl) -> Container | CheckedRule:
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
            return Container(
                kind=kind,
                id=cid,
                title=m.title,
                title_en=_first(props, n.TitleEn, "text"),
                members=tuple(members),
                combine=combine,
                notes=tuple(p.text for p in props if isinstance(p, n.Note)),
                sources=self.sources(props),
                span=m.span,
            )
        if isinstance(m, n.Item):
            item_props = tuple(x for x in m.members if not isinstance(x, n.Part))
            rule_id = _first(item_props, n.RuleId, "name") or m.label.text
            self._claim(rule_id, m.span, "item")
            parts = tuple(
                self._rule(
                    "part",
                    p.label.text,
                    p.label.text,
                    p.title,
                    p.props,
                    p.span,
                    explicit_id=_first(p.props, n.RuleId, "name"),
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
        e = c.expr
        if isinstance(e, n.Path) and e.dotted in COMBINERS:
            return COMBINERS[e.dotted]
        word = e.dotted if isinstance(e, n.Path) else "this expression"
        sug = did_you_mean(word, COMBINERS) if isinstance(e, n.Path) else None
        self.err(
            "E108",
            f"unknown combination '{word}'",
            c.span,
            f"did you mean '{sug}'?"
            if sug
            else f"use one of: {', '.join(sorted(set(COMBINERS.values())))}",
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
        if kind == "part":
            self._claim(explicit_id or id_, span, "part")
            id_ = explicit_id or id_
        self._dup_props(props)
        scope = ScopeKind.COUNTY
        segments: tuple[str, ...] | None = None
        sc = next((p for p in props if isinstance(p, n.Scope)), None)
        if sc is not None:
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
        ctx = _Ctx(scope, {})
        lets: list[tuple[str, RExpr]] = []
        for p in props:
            if isinstance(p, n.Let):
                if p.name in ctx.lets:
                    self.err("E104", f"'let {p.name}' defined twice", p.span, "keep one")
                self._shadows(p.name, p.span, "let")
                r = self.expr(p.expr, ctx)
                lets.append((p.name, r))
                ctx.lets[p.name] = r.type
        applies_p = next((p for p in props if isinstance(p, n.Applies)), None)
        require_p = next((p for p in props if isinstance(p, n.Require)), None)
        basically_p = next((p for p in props if isinstance(p, n.Basically)), None)
        margin_p = next((p for p in props if isinstance(p, n.Margin)), None)
        combine_p = next((p for p in props if isinstance(p, n.Combine)), None)
        applies = self.cond(applies_p.cond, ctx, "applies when") if applies_p else None
        require = self.cond(require_p.cond, ctx, "require") if require_p else None
        basically = self.cond(basically_p.cond, ctx, "basically") if basically_p else None
        margin = self.expr(margin_p.expr, ctx) if margin_p else None
        if margin is not None and margin.type.kind not in ("number", "error"):
            self.err(
                "E205",
                "'margin' takes a number in the rule's unit",
                margin_p.span if margin_p else span,
            )
        reports = tuple((p.name, self.expr(p.expr, ctx)) for p in props if isinstance(p, n.Report))
        attested = any(isinstance(p, n.Attested) for p in props)
        if basically_p is not None and require_p is None:
            self.err(
                "E308",
                "'basically' without 'require'",
                basically_p.span,
                "state the full requirement with 'require'; 'basically' is the weaker level",
            )
        if parts and require_p is not None:
            self.err(
                "E304",
                "an item with parts cannot have its own 'require'",
                require_p.span,
                "move the requirement into a part; parts combine into the item",
            )
        if not parts and require_p is None and not reports and not attested:
            self.err(
                "E307",
                f"{kind} '{id_}' has nothing to evaluate",
                span,
                "add 'require …', 'report …' or 'attested'",
            )
        combine = self._combine(combine_p) if combine_p else "worst"
        return CheckedRule(
            kind=kind,
            id=id_,
            label=label,
            title=title,
            title_en=_first(props, n.TitleEn, "text"),
            scope=scope,
            segments=segments,
            applies=applies,
            otherwise=applies_p.otherwise if applies_p else None,
            require=require,
            basically=basically,
            reports=reports,
            lets=tuple(lets),
            sources=self.sources(props),
            notes=tuple(p.text for p in props if isinstance(p, n.Note)),
            provisional=self.provisional(props),
            attested=attested,
            veto=any(isinstance(p, n.Veto) for p in props),
            margin=margin,
            combine=combine,
            parts=parts,
            requirement_text=unparse_expr(require_p.cond) if require_p else None,
            applies_text=unparse_expr(applies_p.cond) if applies_p else None,
            span=span,
        )

    # ------------------------------------------------------------ expressions
    def cond(self, e: n.Expr, ctx: _Ctx, where: str) -> RExpr:
        r = self.expr(e, ctx)
        if r.type.kind != "bool" and r.type.kind != "error":
            self.err(
                "E205",
                f"'{where}' needs a condition, got {r.type.describe()}",
                e.span,
                "compare it with a threshold, e.g. x >= 10 人",
            )
        return r

    def expr(self, e: n.Expr, ctx: _Ctx) -> RExpr:
        match e:
            case n.Number(text, unit_text):
                try:
                    unit = _written_unit(unit_text)
                except UnitError as exc:
                    self.err("E204", str(exc), e.span, _unit_hint())
                    return _error_expr(e.span)
                return Const(
                    Decimal(text), Type("number", unit, literal=unit_text is None), span=e.span
                )
            case n.String(value):
                return TextConst(value, span=e.span)
            case n.Bool(value):
                return BoolConst(value, span=e.span)
            case n.Path():
                return self.path(e, ctx)
            case n.Neg(operand):
                r = self.number(operand, ctx, "'-'")
                return Negate(r, r.type, span=e.span)
            case n.Not(operand):
                return Not(self.cond(operand, ctx, "not"), span=e.span)
            case n.BinOp(op, left, right):
                return self.arith(e, op, left, right, ctx)
            case n.Compare(op, left, right):
                return self.compare(e, op, left, right, ctx)
            case n.In(left, items):
                lr = self.expr(left, ctx)
                rs = tuple(self.expr(i, ctx) for i in items.items)
                for i, r in zip(items.items, rs, strict=True):
                    self._comparable(lr, r, e.span, i.span)
                return Membership(lr, rs, span=e.span)
            case n.BoolOp(op, left, right):
                return Logic(op, self.cond(left, ctx, op), self.cond(right, ctx, op), span=e.span)
            case n.IfExpr(cond, then, orelse):
                c = self.cond(cond, ctx, "if")
                t = self.expr(then, ctx)
                o = self.expr(orelse, ctx)
                if t.type.kind == "number" and o.type.kind == "number":
                    t, o = self._same_units(t, o, e.span, "if … then … else")
                elif t.type.kind != o.type.kind and "error" not in (t.type.kind, o.type.kind):
                    self.err("E205", "'then' and 'else' give different kinds of value", e.span)
                return Conditional(c, t, o, t.type, span=e.span)
            case n.ListExpr(items):
                return ListOf(tuple(self.expr(i, ctx) for i in items), span=e.span)
            case n.Call():
                return self.call(e, ctx)
            case n.Keyed():
                return self.keyed(e, ctx)
            case n.Dated():
                return self.dated(e, ctx)
            case _:
                assert_never(e)

    def number(self, e: n.Expr, ctx: _Ctx, where: str) -> RExpr:
        r = self.expr(e, ctx)
        if r.type.kind not in ("number", "error"):
            self.err("E205", f"{where} needs a number, got {r.type.describe()}", e.span)
        return r

    def path(self, e: n.Path, ctx: _Ctx) -> RExpr:
        parts = e.parts
        if len(parts) == 1:
            name = parts[0]
            if name in ctx.lets:
                return LetRef(name, ctx.lets[name], span=e.span)
            if name in self.values:
                return ValueRef(name, self.values[name].value.type, span=e.span)
            if name in self.cyclic:
                return _error_expr(e.span)
            if ctx.scope is not None:
                # The scope's own field first; then a field of the entities below
                # it, which needs an aggregate (a school's 专任教师数 are its
                # segments', not the county's); only then the scopes above.
                info = self.schema.lookup(ctx.scope, name)
                if info is not None:
                    return self._fieldref(info, e.span)
                lower = self._find_below(ctx.scope, name)
                if lower is not None:
                    self._lower_error(lower, ctx.scope, e.span)
                    return _error_expr(e.span)
                for s in ctx.scope.ancestors():
                    info = self.schema.lookup(s, name)
                    if info is not None:
                        return self._fieldref(info, e.span)
            if name in ENUM_SYMBOLS:
                enums = ",".join(sorted(x.__name__ for x in ENUM_SYMBOLS[name]))
                return Symbol(name, Type("symbol", enum=enums), span=e.span)
            self._unknown(name, ctx, e.span)
            return _error_expr(e.span)
        target = over_scope(parts[0])
        if target is None or len(parts) != 2:
            self._unknown(e.dotted, ctx, e.span)
            return _error_expr(e.span)
        if ctx.scope is None or target not in set(ctx.scope.ancestors()):
            # `school.x` in a county rule: reading a lower scope needs an aggregate
            info = self.schema.lookup(target, parts[1])
            if info is not None and ctx.scope is not None:
                self._lower_error(info, ctx.scope, e.span)
            elif ctx.scope is None:
                self.err(
                    "E301",
                    f"'{e.dotted}' reads data, but values and settings cannot",
                    e.span,
                    "move the expression into a rule",
                )
            else:
                self._unknown(e.dotted, ctx, e.span)
            return _error_expr(e.span)
        info = self.schema.lookup(target, parts[1])
        if info is None:
            self._unknown(parts[1], _Ctx(target, ctx.lets), e.span, prefix=parts[0])
            return _error_expr(e.span)
        return self._fieldref(info, e.span)

    @staticmethod
    def _fieldref(info: FieldInfo, span: Span | None) -> FieldRef:
        if info.kind in ("quantity", "number"):
            t = Type("number", info.unit or DIMENSIONLESS)
        elif info.kind == "flag":
            t = BOOL
        elif info.kind == "enum":
            t = Type("symbol", enum=info.enum.__name__ if info.enum else None)
        else:
            t = Type(info.kind)
        return FieldRef(info, t, span=span)

    def _find_below(self, scope: ScopeKind, name: str) -> FieldInfo | None:
        for s in scope.below():
            info = self.schema.lookup(s, name)
            if info is not None:
                return info
        return None

    def _lower_error(self, info: FieldInfo, scope: ScopeKind, span: Span | None) -> None:
        over = {ScopeKind.SCHOOL: "学校", ScopeKind.SEGMENT: "学段", ScopeKind.CLASS: "班级"}.get(
            info.scope, info.scope.value
        )
        self.err(
            "E301",
            f"'{info.label or info.name}' is a figure of each {info.scope.label}, "
            f"but this rule's scope is {scope.label}",
            span,
            f"aggregate it, e.g. sum({info.label or info.name} over {over}), "
            f"or set 'scope {info.scope.value.replace('_', ' ')}'",
        )

    def _unknown(self, name: str, ctx: _Ctx, span: Span | None, prefix: str | None = None) -> None:
        cands: list[str] = list(ctx.lets) + list(self.values)
        if ctx.scope is not None:
            for s in ctx.scope.ancestors():
                cands.extend(self.schema.names(s))
        cands.extend(ENUM_SYMBOLS)
        sug = did_you_mean(name, cands)
        hint = None
        if sug is not None:
            info = None
            if ctx.scope is not None:
                for s in ctx.scope.ancestors():
                    info = info or self.schema.lookup(s, sug)
            if info is not None:
                other = info.label if sug == info.name else info.name
                hint = f"did you mean '{sug}' ({other})?" if other else f"did you mean '{sug}'?"
            else:
                hint = f"did you mean '{sug}'?"
        where = f" on {ctx.scope.label}" if ctx.scope is not None else ""
        shown = f"{prefix}.{name}" if prefix else name
        self.err("E101", f"unknown name '{shown}'{where}", span, hint)

    def _same_units(self, a: RExpr, b: RExpr, span: Span | None, what: str) -> tuple[RExpr, RExpr]:
        ua, ub = a.type.unit, b.type.unit
        if a.type.kind != "number" or b.type.kind != "number":
            return a, b
        if ua.same_dimension(ub):
            return a, b
        # A bare literal takes the other side's unit (students + 1 means 1 人).
        if a.type.literal and isinstance(a, Const):
            return attrs.evolve(a, type=Type("number", ub)), b
        if b.type.literal and isinstance(b, Const):
            return a, attrs.evolve(b, type=Type("number", ua))
        self.err(
            "E202",
            f"cannot {what} {ua.describe() or 'a bare number'} and {ub.describe() or 'a bare number'}",
            span,
            _unit_mismatch_hint(ua, ub),
        )
        return a, b

    def arith(self, e: n.BinOp, op: str, left: n.Expr, right: n.Expr, ctx: _Ctx) -> RExpr:
        lr = self.number(left, ctx, f"'{op}'")
        rr = self.number(right, ctx, f"'{op}'")
        if "error" in (lr.type.kind, rr.type.kind):
            return _error_expr(e.span)
        if op in "+-":
            lr, rr = self._same_units(lr, rr, e.span, "add" if op == "+" else "subtract")
            unit = lr.type.unit if not lr.type.literal else rr.type.unit
            literal = lr.type.literal and rr.type.literal
        elif op == "*":
            unit = lr.type.unit * rr.type.unit
            literal = lr.type.literal and rr.type.literal
        else:
            unit = lr.type.unit / rr.type.unit
            literal = lr.type.literal and rr.type.literal
        return Binary(op, lr, rr, Type("number", unit, literal=literal), span=e.span)

    def compare(self, e: n.Compare, op: str, left: n.Expr, right: n.Expr, ctx: _Ctx) -> RExpr:
        lr = self.expr(left, ctx)
        rr = self.expr(right, ctx)
        self._comparable(lr, rr, e.span, right.span, op=op)
        return Comparison(op, lr, rr, span=e.span, text=unparse_expr(e))

    def _comparable(
        self, a: RExpr, b: RExpr, span: Span | None, bspan: Span | None, *, op: str = "=="
    ) -> None:
        ka, kb = a.type.kind, b.type.kind
        if "error" in (ka, kb):
            return
        if ka == kb == "number":
            ua, ub = a.type.unit, b.type.unit
            for lit, other, where in ((a, b, span), (b, a, bspan or span)):
                if (
                    lit.type.literal
                    and isinstance(lit, Const)
                    and lit.value != 0
                    and other.type.unit.describe()
                    and not other.type.literal
                ):
                    self.err(
                        "E203",
                        f"threshold {lit.value} has no unit; the other side is in "
                        f"{other.type.unit.describe()}",
                        lit.span or where,
                        f"write the unit: {lit.value} {other.type.unit}"
                        if str(other.type.unit) != "%"
                        else _percent_hint(lit.value),
                    )
                    return
            if not ua.same_dimension(ub) and not (a.type.literal or b.type.literal):
                self.err(
                    "E201",
                    f"cannot compare {ua.describe() or 'a bare number'} with "
                    f"{ub.describe() or 'a bare number'}: left is {_what(a)}, right is {_what(b)}",
                    span,
                    _unit_mismatch_hint(ua, ub),
                )
            return
        if ka == "symbol" and kb == "symbol":
            self._symbols_match(a, b, span)
            return
        if ka == kb and ka in ("text", "bool", "date"):
            if ka == "bool" and op not in ("==", "!="):
                self.err("E205", f"conditions cannot be compared with '{op}'", span)
            return
        self.err(
            "E205",
            f"cannot compare {a.type.describe()} with {b.type.describe()}",
            span,
            "compare like with like: a figure with a threshold, a field such as 城乡分类 with 乡村",
        )

    def _symbols_match(self, a: RExpr, b: RExpr, span: Span | None) -> None:
        sa = set((a.type.enum or "").split(","))
        sb = set((b.type.enum or "").split(","))
        if not sa & sb:
            sym = a if isinstance(a, Symbol) else b
            fld = b if sym is a else a
            self.err(
                "E205",
                f"'{getattr(sym, 'value', '?')}' is not a value of {_what(fld)}",
                span,
                _enum_hint(fld),
            )

    def call(self, e: n.Call, ctx: _Ctx) -> RExpr:
        name = e.name
        if e.over is not None or (
            name in AGGREGATES and name not in ("max", "min", "最大", "最小")
        ):
            fn = AGGREGATES.get(name)
            if fn is None:
                self._unknown_fn(name, e.span)
                return _error_expr(e.span)
            return self.aggregate(e, fn, ctx)
        fn = FUNCTIONS.get(name)
        if fn is None:
            self._unknown_fn(name, e.span)
            return _error_expr(e.span)
        if e.where is not None:
            self.err("E206", f"'{name}' takes no 'where' filter without 'over'", e.span)
        args = tuple(self.expr(a, ctx) for a in e.args)
        arity = builtins.FUNCTIONS[fn].arity[0]
        if len(args) != arity:
            self.err("E206", f"'{name}' takes {arity} argument(s), got {len(args)}", e.span)
            return _error_expr(e.span)
        if any(a.type.kind == "error" for a in args):
            return _error_expr(e.span)
        if fn in ("ceil", "floor"):
            self._need_number(args[0], e.args[0].span, name)
            return Function(fn, args, args[0].type, span=e.span)
        if fn in ("max", "min"):
            a, b = self._same_units(args[0], args[1], e.span, f"take {fn} of")
            t = a.type if not a.type.literal else b.type
            return Function(fn, (a, b), t, span=e.span)
        if fn == "ratio":
            a, b = args
            self._need_number(a, e.args[0].span, name)
            self._need_number(b, e.args[1].span, name)
            return Function(fn, args, Type("number", a.type.unit / b.type.unit), span=e.span)
        if fn == "per100":
            a, b = args
            self._need_number(a, e.args[0].span, name)
            self._need_number(b, e.args[1].span, name)
            if b.type.kind == "number" and b.type.unit.dims != (("人", 1),):
                self.err(
                    "E201",
                    f"per100 counts per 100 persons; the second argument is in "
                    f"{b.type.unit.describe() or 'a bare number'}",
                    e.args[1].span or e.span,
                    "pass the number of students (人) as the second argument",
                )
            unit = a.type.unit / parse_unit("百人")
            return Function(fn, args, Type("number", unit), span=e.span)
        # at_least(k, [conditions])
        k, lst = args
        if not (isinstance(k, Const) and k.type.unit.dimensionless):
            self.err("E205", "at_least needs a whole number first: at_least(6, [...])", e.span)
        if not isinstance(lst, ListOf) or any(
            i.type.kind not in ("bool", "error") for i in lst.items
        ):
            self.err(
                "E205",
                "at_least needs a list of conditions second: at_least(6, [a >= 1, ...])",
                e.span,
            )
        return Function(fn, args, BOOL, span=e.span)

    def _need_number(self, r: RExpr, span: Span | None, name: str) -> None:
        if r.type.kind not in ("number", "error"):
            self.err("E205", f"'{name}' needs a number, got {r.type.describe()}", span)

    def _unknown_fn(self, name: str, span: Span | None) -> None:
        sug = did_you_mean(name, list(AGGREGATES) + list(FUNCTIONS))
        self.err(
            "E102",
            f"unknown function '{name}'",
            span,
            f"did you mean '{sug}'?" if sug else "see docs/language.md, Functions",
        )

    def aggregate(self, e: n.Call, fn: str, ctx: _Ctx) -> RExpr:
        if e.over is None:
            self.err(
                "E206",
                f"'{e.name}' needs 'over' and the entities to range over",
                e.span,
                f"e.g. {e.name}(… over 学校)",
            )
            return _error_expr(e.span)
        over = over_scope(e.over)
        if over is None:
            sug = did_you_mean(e.over, over_words())
            self.err(
                "E109",
                f"unknown entities '{e.over}' after 'over'",
                e.span,
                f"did you mean '{sug}'?"
                if sug
                else "use 学校, 学段 or 班级; to keep one segment, filter: "
                "over 学段 where 学段 == 小学",
            )
            return _error_expr(e.span)
        if ctx.scope is None or over not in ctx.scope.below():
            here = ctx.scope.label if ctx.scope is not None else "a value"
            self.err(
                "E302",
                f"cannot aggregate over {over.label} from {here}",
                e.span,
                "aggregates range over a scope below the rule's: county → 学校/学段/班级, "
                "school → 学段/班级, segment → 班级",
            )
            return _error_expr(e.span)
        inner = _Ctx(over, ctx.lets)
        args = tuple(self.expr(a, inner) for a in e.args)
        where = self.cond(e.where, inner, "where") if e.where is not None else None
        if fn == "cv":
            if len(args) not in (1, 2):
                self.err("E206", f"'{e.name}' takes the indicator and optionally a weight", e.span)
                return _error_expr(e.span)
            if any(a.type.kind == "error" for a in args):
                return _error_expr(e.span)
            for a, src in zip(args, e.args, strict=True):
                self._need_number(a, src.span, e.name)
            if (
                len(args) == 2
                and args[1].type.kind == "number"
                and args[1].type.unit.dims != (("人", 1),)
            ):
                self.err(
                    "E201",
                    f"the weight of a 差异系数 is a number of students (人), got "
                    f"{args[1].type.unit.describe() or 'a bare number'}",
                    e.args[1].span,
                    "weight by 在校生数",
                )
            return Aggregate(fn, args, over, where, Type("number", DIMENSIONLESS), span=e.span)
        want = builtins.AGGREGATES[fn].arity[0]
        if len(args) != want:
            self.err(
                "E206",
                f"'{e.name}' takes {want} argument(s) before 'over', got {len(args)}",
                e.span,
            )
            return _error_expr(e.span)
        if any(a.type.kind == "error" for a in args):
            return _error_expr(e.span)
        if fn in ("share", "all", "any"):
            if args[0].type.kind not in ("bool", "error"):
                self.err(
                    "E205",
                    f"'{e.name}' needs a condition, got {args[0].type.describe()}",
                    e.args[0].span,
                )
            t = BOOL if fn in ("all", "any") else Type("number", DIMENSIONLESS)
            return Aggregate(fn, args, over, where, t, span=e.span)
        if fn == "count":
            return Aggregate(fn, args, over, where, Type("number", DIMENSIONLESS), span=e.span)
        self._need_number(args[0], e.args[0].span, e.name)
        return Aggregate(fn, args, over, where, Type("number", args[0].type.unit), span=e.span)

    def keyed(self, e: n.Keyed, ctx: _Ctx) -> RExpr:
        spec = _KEY_KINDS.get(e.kind)
        if spec is None:
            sug = did_you_mean(e.kind, _KEY_KINDS)
            self.err(
                "E106",
                f"unknown key kind '{e.kind}'",
                e.span,
                f"did you mean '{sug}'?" if sug else "use segment, location or region",
            )
            return _error_expr(e.span)
        kind, allowed = spec
        entries: list[KeyedEntryValue] = []
        seen: set[str] = set()
        first: RExpr | None = None
        for entry in e.entries:
            for k in entry.keys:
                if k not in allowed:
                    sug = did_you_mean(k, allowed)
                    self.err(
                        "E106",
                        f"'{k}' is not a {kind} key",
                        entry.span,
                        f"did you mean '{sug}'?"
                        if sug
                        else f"use {', '.join(allowed)}"
                        + (
                            " (东北: 辽宁 is 东部, 吉林 and 黑龙江 are 中部; REFERENCE §8)"
                            if kind == "region"
                            else ""
                        ),
                    )
                elif k in seen:
                    self.err("E104", f"key '{k}' given twice", entry.span, "keep one")
                seen.add(k)
            v = self.expr(entry.value, ctx)
            if first is None:
                first = v
            elif v.type.kind == "number" and first.type.kind == "number":
                if not first.type.unit.same_dimension(v.type.unit) and not (
                    v.type.literal or first.type.literal
                ):
                    self.err(
                        "E201",
                        f"entries of one value must share a unit: {first.type.unit.describe()} "
                        f"and {v.type.unit.describe()}",
                        entry.span,
                    )
            entries.append(
                KeyedEntryValue(
                    entry.keys, v, self.sources(entry.meta), self.provisional(entry.meta)
                )
            )
        t = first.type if first is not None else Type("number")
        return KeyedValue(kind, tuple(entries), t, span=e.span)

    def dated(self, e: n.Dated, ctx: _Ctx) -> RExpr:
        periods: list[PeriodValue] = []
        first: RExpr | None = None
        for p in e.periods:
            if p.start and p.end and p.end < p.start:
                self.err("E305", f"period ends ({p.end}) before it starts ({p.start})", p.span)
            v = self.expr(p.value, ctx) if p.value is not None else None
            if v is not None:
                if first is None:
                    first = v
                elif (
                    v.type.kind == first.type.kind == "number"
                    and not first.type.unit.same_dimension(v.type.unit)
                    and not (v.type.literal or first.type.literal)
                ):
                    self.err(
                        "E201",
                        f"periods of one value must share a unit: {first.type.unit.describe()} "
                        f"and {v.type.unit.describe()}",
                        p.span,
                    )
            periods.append(
                PeriodValue(
                    p.start, p.end, v, self.sources(p.meta), self.provisional(p.meta), span=p.span
                )
            )
        ordered = sorted(periods, key=lambda x: x.start or datetime.date.min)
        for a, b in zip(ordered, ordered[1:], strict=False):
            a_end = a.end or datetime.date.max
            b_start = b.start or datetime.date.min
            if b_start <= a_end:
                self.err(
                    "E305",
                    f"periods overlap: {_period(a)} and {_period(b)}",
                    b.span,
                    "end the earlier period the day before the later one starts",
                )
            elif b_start - a_end > datetime.timedelta(days=1):
                self.warn(
                    "W301",
                    f"gap between periods: nothing in force from {a_end + datetime.timedelta(days=1)} "
                    f"to {b_start - datetime.timedelta(days=1)}",
                    b.span,
                    "at a date in the gap the rule is 缺少数据 (no threshold in force)",
                )
        t = first.type if first is not None else Type("number")
        return DatedValue(tuple(ordered), t, span=e.span)


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
    n.Version: "version",
    n.DerivedFrom: "derived_from",
    n.Extends: "extends",
    n.DocNumber: "number",
    n.DocDate: "date",
    n.DocUrl: "url",
}


def _names_used(e: n.Expr) -> set[str]:
    """Single-part names an expression mentions (iterative walk)."""
    found: set[str] = set()
    stack: list[object] = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, n.Path):
            if len(node.parts) == 1:
                found.add(node.parts[0])
        elif attrs.has(type(node)):
            for a in attrs.fields(type(node)):  # type: ignore[arg-type]
                v = getattr(node, a.name)
                if isinstance(v, tuple):
                    stack.extend(v)
                elif attrs.has(type(v)):
                    stack.append(v)
    return found


def _first(props: Iterable[object], cls: type, attr: str) -> str | None:
    for p in props:
        if isinstance(p, cls):
            value = getattr(p, attr)
            return value  # type: ignore[no-any-return]
    return None


def _error_expr(span: Span | None) -> RExpr:
    # Stands in for an expression that already produced a diagnostic, so that
    # one mistake is reported once and not again by every enclosing check.
    return Symbol("<error>", Type("error"), span=span)


def _what(r: RExpr) -> str:
    if isinstance(r, FieldRef):
        return r.field.describe()
    if isinstance(r, Const):
        return f"{r.value}{(' ' + str(r.type.unit)) if r.type.unit.describe() else ''}"
    if isinstance(r, ValueRef):
        return f"value {r.name}"
    if isinstance(r, Aggregate | Function):
        return f"{r.fn}(…) ({r.type.describe()})"
    return r.type.describe()


def _enum_hint(r: RExpr) -> str | None:
    if isinstance(r, FieldRef) and r.field.enum is not None:
        return "use one of: " + ", ".join(str(m.value) for m in r.field.enum)
    return None


def _written_unit(text: str | None) -> Unit:
    # A unit as written in a rule file.  百人 counts a per-100 rate and may only
    # follow '/' (人/百人): "5 百人" is not 500 人 (see eduint.core.units).
    unit = parse_unit(text)
    if text and text.split("/")[0].strip() in ("百人", "百生"):
        raise UnitError(
            f"'{text}': 百人 (百生) may only follow '/', as in 人/百人 (a per-100 rate)"
        )
    return unit


def _unit_hint() -> str:
    from eduint.core.units import unit_names

    return "units: " + ", ".join(unit_names()) + " and A/B forms such as 元/人"


def _unit_mismatch_hint(a: Unit, b: Unit) -> str | None:
    dims = {d for d, _ in a.dims} | {d for d, _ in b.dims}
    if "百人" in dims:
        return (
            "one side is a per-100 rate (人/百人), the other is not: use per100(x, 在校生数) "
            "on both sides, or a threshold in 人/百人"
        )
    if a.dimensionless or b.dimensionless:
        return "give the threshold the same unit as the figure"
    return "compare figures of the same kind (人 with 人, 元/人 with 元/人)"


def _percent_hint(value: Decimal) -> str:
    if 0 < value <= 1:
        pct = (value * 100).normalize()
        return (
            f"write it in per cent: {pct:f}% (a share of {value} is {pct:f} per cent), not {value}%"
        )
    return f"write {value}%"


def _period(p: PeriodValue) -> str:
    return f"{p.start or '…'}–{p.end or '…'}"


def check(tree: n.RuleFile) -> RuleSet:
    """Check a parsed rule file against the data model.

    Args:
        tree: the parsed file (:func:`eduint.language.parser.parse`).

    Returns:
        The checked :class:`~eduint.checking.ruleset.RuleSet`; warnings (``W3xx``) are
        on :attr:`RuleSet.warnings`.

    Raises:
        RuleCheckError: every error of the file at once, sorted by position.
    """
    return _Checker(tree).run()


def check_text(text: str, *, file: str = "<string>") -> RuleSet:
    """Parse and check rule text in one step.

    Raises:
        RuleSyntaxError: the text does not parse.
        RuleCheckError: the text parses but does not check; the error carries
            the source text so that it renders with carets.
    """
    tree = parse(text, file=file)
    try:
        return check(tree)
    except RuleCheckError as exc:
        raise RuleCheckError(exc.diagnostics, {file: text}) from None
