"""The checker's named values and settings.

Values (``value 生均标准 = …``) are checked in dependency order, so a file may declare
them in any order; a cycle is ``E310``.  Settings are checked against the
:mod:`~eduint.checking.settings` registry (kind, allowed values), and every setting
the file does not give takes the registry's default.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from eduint.checking._context import Ctx, notes
from eduint.checking._exprs import ExprChecker
from eduint.checking.ruleset import (
    BoolConst,
    Const,
    FieldRef,
    KeyedValue,
    ListOf,
    NamedValue,
    RExpr,
    SettingValue,
    SourceRef,
    Symbol,
    Type,
)
from eduint.checking.schema import ENUM_SYMBOLS, ScopeKind
from eduint.checking.settings import SETTING_ALIASES, SETTINGS, SettingSpec
from eduint.core.units import DIMENSIONLESS
from eduint.language import nodes as n
from eduint.language.diagnostics import Span, did_you_mean
from eduint.language.parser import parse


class ValueChecker(ExprChecker):
    """Checks named values (``E104``, ``E111``, ``E310``) and settings (``E107``, ``E309``)."""

    def _value_order(self, decls: Sequence[n.ValueDecl]) -> list[n.ValueDecl]:
        """Values in an order where each comes after the values it uses, so they
        may be declared in any order; a cycle is E310."""
        by_name: dict[str, n.ValueDecl] = {}
        for d in decls:
            by_name.setdefault(d.name, d)
        # One walk per value, against one set of names: linear in the file's size.
        declared = set(by_name)
        deps: dict[str, list[str]] = {}
        for name, d in by_name.items():
            used = _names_used(d.value)
            # (used & declared) first: "declared - {name}" would copy every name each time
            deps[name] = sorted((used & declared) - {name})
            if name in used:
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
        """Check one named value and record it (``E104`` when declared twice)."""
        if d.name in self.values:
            self.err("E104", f"value '{d.name}' declared twice", d.span, "keep one")
            return
        self._shadows(d.name, d.span, "value")
        expr = self.expr(d.value, Ctx(None, {}))
        texts, texts_en = notes(d.meta)
        sources = self.sources(d.meta)
        self.values[d.name] = NamedValue(
            d.name,
            d.title,
            expr,
            sources,
            self.provisional(d.meta),
            title_en=d.title_en,
            provisional_en=self.provisional_en(d.meta),
            notes=texts,
            notes_en=texts_en,
            placeholder=self.placeholder(d.meta),
            span=d.span,
            origin=self.origin(d.span, sources),
        )

    def _settings(self, decls: Sequence[n.Setting]) -> dict[str, SettingValue]:
        """Every setting of the registry: the file's (checked) or the default."""
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
            self.no_placeholder(d.meta, "a setting")
            if value is not None:
                sources = self.sources(d.meta)
                out[canon] = SettingValue(
                    canon,
                    value,
                    True,
                    sources,
                    self.provisional(d.meta),
                    self.provisional_en(d.meta),
                    origin=self.origin(d.span, sources),
                )
        for spec in SETTINGS.values():
            if spec.name not in out:
                tree = parse(f"setting {spec.name} = {spec.default}", file="<default>")
                decl = tree.decls[0]
                assert isinstance(decl, n.Setting)
                value = self._setting_value(spec, decl.value, None)
                assert value is not None, spec.name
                # the registry words a provisional default in both languages, as rule
                # text is: Chinese first, English as its variant
                out[spec.name] = SettingValue(
                    spec.name,
                    value,
                    False,
                    (SourceRef(None, None, spec.source),),
                    spec.provisional_zh or spec.provisional,
                    spec.provisional if spec.provisional_zh else None,
                )
        return out

    def _setting_value(self, spec: SettingSpec, e: n.Expr, span: Span | None) -> RExpr | None:
        """A setting's value checked against its registry entry, or ``None`` (``E309``)."""
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
                    sug = self.suggest(i.parts[0], self.schema.names(ScopeKind.SCHOOL))
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
        value = self.expr(e, Ctx(None, {}))
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


def _names_used(e: n.Expr) -> set[str]:
    """Single-part names an expression mentions (iterative walk)."""
    found: set[str] = set()
    stack: list[object] = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, n.Path):
            if len(node.parts) == 1:
                found.add(node.parts[0])
            continue
        for name in _child_fields(type(node)):
            v = getattr(node, name)
            if isinstance(v, tuple):
                stack.extend(v)
            elif v is not None:
                stack.append(v)
    return found


# The fields of each node type that may hold nodes, looked up once per type (a walk of
# a 36,000-value file asks for them a million times); spans and text hold none.
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {Span: ()}


def _child_fields(kind: type) -> tuple[str, ...]:
    names = _CHILD_FIELDS.get(kind)
    if names is None:
        fields = attrs.fields(kind) if attrs.has(kind) else ()
        names = _CHILD_FIELDS[kind] = tuple(a.name for a in fields if a.name != "span")
    return names
