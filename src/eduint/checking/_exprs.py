"""The checker's expressions: names, units, arithmetic, comparisons, calls, keyed and
dated values.

Every expression is resolved against a :class:`~eduint.checking._context.Ctx` (the
scope it reads and the ``let`` bindings in force) into a resolved
:data:`~eduint.checking.ruleset.RExpr` carrying its :class:`~eduint.checking.ruleset.Type`.
Calls are checked by their :mod:`~eduint.checking.builtins` registry entry: the
name, the arity and the entry's unit rule (:attr:`Builtin.unit_rule`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs

from eduint._compat import assert_never
from eduint.checking import builtins
from eduint.checking._context import (
    CheckerState,
    Ctx,
    enum_hint,
    error_expr,
    percent_hint,
    unit_hint,
    unit_mismatch_hint,
    what,
    written_unit,
)
from eduint.checking._magnitude import UNIT_HINT, unit_too_large
from eduint.checking.ruleset import (
    BOOL,
    Aggregate,
    Binary,
    BoolConst,
    Comparison,
    Conditional,
    Const,
    DatedValue,
    FieldRef,
    Function,
    KeyedEntryValue,
    KeyedValue,
    LetRef,
    ListOf,
    Logic,
    Membership,
    Negate,
    Not,
    OutcomeRef,
    PeriodValue,
    RExpr,
    Symbol,
    TextConst,
    Type,
    ValueRef,
)
from eduint.checking.schema import (
    ENUM_SYMBOLS,
    FieldInfo,
    ScopeKind,
    over_scope,
    over_words,
)
from eduint.core.regions import PROVINCES
from eduint.core.units import DIMENSIONLESS, UnitError
from eduint.data.models import SchoolKind
from eduint.language import nodes as n
from eduint.language.diagnostics import Span, did_you_mean
from eduint.language.printer import unparse_expr

_SCHOOL_KINDS = tuple(str(k.value) for k in SchoolKind)

# Keyed-value kinds and the keys each accepts.
KEY_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "segment": ("segment", ("小学", "初中", "高中")),
    "学段": ("segment", ("小学", "初中", "高中")),
    "location": ("location", ("城区", "镇区", "乡村")),
    "城乡": ("location", ("城区", "镇区", "乡村")),
    "region": ("region", ("东部", "中部", "西部")),
    "地区": ("region", ("东部", "中部", "西部")),
    "province": ("province", PROVINCES),
    "省": ("province", PROVINCES),
    "省份": ("province", PROVINCES),
    "school_kind": ("school_kind", _SCHOOL_KINDS),
    "学校类型": ("school_kind", _SCHOOL_KINDS),
}
_KEY_KINDS = KEY_KINDS

#: ``outcome(RULE)`` and its Chinese name: another rule's outcome as a symbol.
OUTCOME_NAMES = builtins.FUNCTIONS["outcome"].names


class ExprChecker(CheckerState):
    """Resolves and checks expressions (``E101``–``E102``, ``E106``, ``E109``, ``E2xx``,
    ``E301``–``E302``, ``E305``, ``W301``)."""

    def cond(self, e: n.Expr, ctx: Ctx, where: str) -> RExpr:
        """``e`` as a condition; ``E205`` when it is not one (``where`` names the place)."""
        r = self.expr(e, ctx)
        if r.type.kind != "bool" and r.type.kind != "error":
            self.err(
                "E205",
                f"'{where}' needs a condition, got {r.type.describe()}",
                e.span,
                "compare it with a threshold, e.g. x >= 10 人",
            )
        return r

    def expr(self, e: n.Expr, ctx: Ctx) -> RExpr:
        """Resolve and check any expression (dispatch over the node types)."""
        match e:
            case n.Number(text, unit_text):
                try:
                    unit = written_unit(unit_text)
                except UnitError as exc:
                    self.err("E204", str(exc), e.span, unit_hint())
                    return error_expr(e.span)
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

    def number(self, e: n.Expr, ctx: Ctx, where: str) -> RExpr:
        """``e`` as a number; ``E205`` when it is not one."""
        r = self.expr(e, ctx)
        if r.type.kind not in ("number", "error"):
            self.err("E205", f"{where} needs a number, got {r.type.describe()}", e.span)
        return r

    def path(self, e: n.Path, ctx: Ctx) -> RExpr:
        """A name: a ``let``, a value, a field of the scope (or of one above), a symbol."""
        parts = e.parts
        if len(parts) == 1:
            name = parts[0]
            if name in ctx.lets:
                return LetRef(name, ctx.lets[name], span=e.span)
            if name in self.values:
                return ValueRef(name, self.values[name].value.type, span=e.span)
            if name in self.cyclic:
                return error_expr(e.span)
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
                    return error_expr(e.span)
                for s in ctx.scope.ancestors():
                    info = self.schema.lookup(s, name)
                    if info is not None:
                        return self._fieldref(info, e.span)
            if name in ENUM_SYMBOLS:
                enums = ",".join(sorted(x.__name__ for x in ENUM_SYMBOLS[name]))
                return Symbol(name, Type("symbol", enum=enums), span=e.span)
            self._unknown(name, ctx, e.span)
            return error_expr(e.span)
        target = over_scope(parts[0])
        if target is None or len(parts) != 2:
            self._unknown(e.dotted, ctx, e.span)
            return error_expr(e.span)
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
            return error_expr(e.span)
        info = self.schema.lookup(target, parts[1])
        if info is None:
            self._unknown(parts[1], Ctx(target, ctx.lets), e.span, prefix=parts[0])
            return error_expr(e.span)
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
            f"or set 'scope {info.scope.spelling}'",
        )

    def _unknown(self, name: str, ctx: Ctx, span: Span | None, prefix: str | None = None) -> None:
        scope_names = (
            [self.schema.names(s) for s in ctx.scope.ancestors()] if ctx.scope is not None else []
        )
        sug = self.suggest(name, ctx.lets, self.values, *scope_names, ENUM_SYMBOLS)
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
            unit_mismatch_hint(ua, ub),
        )
        return a, b

    def arith(self, e: n.BinOp, op: str, left: n.Expr, right: n.Expr, ctx: Ctx) -> RExpr:
        """``+ - * /`` with the unit of the result (``E202`` for ``人 + 元``)."""
        lr = self.number(left, ctx, f"'{op}'")
        rr = self.number(right, ctx, f"'{op}'")
        if "error" in (lr.type.kind, rr.type.kind):
            return error_expr(e.span)
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
        too_large = unit_too_large(unit) if op in "*/" else None
        if too_large is not None:
            self.err(
                "E320",
                f"this {'product' if op == '*' else 'quotient'}: {too_large}",
                e.span,
                UNIT_HINT,
            )
            return error_expr(e.span)
        return Binary(op, lr, rr, Type("number", unit, literal=literal), span=e.span)

    def compare(self, e: n.Compare, op: str, left: n.Expr, right: n.Expr, ctx: Ctx) -> RExpr:
        """A comparison of like with like (``E201``, ``E203``, ``E205``)."""
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
                        else percent_hint(lit.value),
                    )
                    return
            if not ua.same_dimension(ub) and not (a.type.literal or b.type.literal):
                self.err(
                    "E201",
                    f"cannot compare {ua.describe() or 'a bare number'} with "
                    f"{ub.describe() or 'a bare number'}: left is {what(a)}, right is {what(b)}",
                    span,
                    unit_mismatch_hint(ua, ub),
                )
            return
        if ka == "symbol" and kb == "symbol":
            if op not in ("==", "!="):
                # a category (学校类型, 城乡分类) has no order: 教学点 < 小学 means nothing
                fld = b if isinstance(a, Symbol) else a
                self.err(
                    "E205",
                    f"{what(fld)} is a category and has no order: '{op}' cannot compare it",
                    span,
                    "compare a category with == or !=, e.g. 学校类型 == 教学点",
                )
                return
            self._symbols_match(a, b, span)
            return
        if ka == kb and ka in ("text", "bool", "date"):
            if ka == "bool" and op not in ("==", "!="):
                self.err("E205", f"conditions cannot be compared with '{op}'", span)
            elif ka == "text" and op not in ("==", "!="):
                self.err(
                    "E205",
                    f"texts cannot be compared with '{op}'",
                    span,
                    "compare a text with == or !=",
                )
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
                f"'{getattr(sym, 'value', '?')}' is not a value of {what(fld)}",
                span,
                enum_hint(fld),
            )

    def call(self, e: n.Call, ctx: Ctx) -> RExpr:
        """A call of a built-in function or aggregate, checked by its registry entry.

        A name that is both (``max``, ``min``) is the aggregate only with ``over``.
        """
        name = e.name
        if name in OUTCOME_NAMES and e.over is None:
            return self.outcome_ref(e)
        agg = builtins.AGGREGATES.get(name)
        if e.over is not None or (agg is not None and agg.name not in builtins.FUNCTIONS):
            if agg is None:
                self._unknown_fn(name, e.span)
                return error_expr(e.span)
            return self.aggregate(e, agg, ctx)
        fn = builtins.FUNCTIONS.get(name)
        if fn is None:
            self._unknown_fn(name, e.span)
            return error_expr(e.span)
        if e.where is not None:
            self.err("E206", f"'{name}' takes no 'where' filter without 'over'", e.span)
        args = tuple(self.expr(a, ctx) for a in e.args)
        if not self._arity_ok(fn, e, args, before_over=False):
            return error_expr(e.span)
        if any(a.type.kind == "error" for a in args):
            return error_expr(e.span)
        args, t = fn.unit_rule(_Call(self, e, args))
        return Function(fn.name, args, t, span=e.span)

    def outcome_ref(self, e: n.Call) -> RExpr:
        """``outcome(RULE)``: the rule is named by its id or label; whether it exists and
        fits is checked once every rule is known (:mod:`eduint.checking._crosscheck`)."""
        arg = e.args[0] if len(e.args) == 1 else None
        rule: str | None = None
        if isinstance(arg, n.Path) and len(arg.parts) == 1:
            rule = arg.parts[0]
        elif isinstance(arg, n.Number) and arg.unit is None:
            rule = arg.text
        elif isinstance(arg, n.String):
            rule = arg.value
        if rule is None or e.where is not None:
            self.err(
                "E206",
                f"'{e.name}' takes one rule: its id or label",
                e.span,
                'e.g. outcome(学校达标) == 达到, or outcome(12.1), outcome("(三)")',
            )
            return error_expr(e.span)
        return OutcomeRef(rule, span=e.span)

    def _arity_ok(
        self, fn: builtins.Builtin, e: n.Call, args: tuple[RExpr, ...], *, before_over: bool
    ) -> bool:
        lo, hi = fn.arity
        if lo <= len(args) <= hi:
            return True
        if fn.arity_text is not None:
            self.err("E206", f"'{e.name}' takes {fn.arity_text}", e.span)
        else:
            where = " before 'over'" if before_over else ""
            self.err("E206", f"'{e.name}' takes {lo} argument(s){where}, got {len(args)}", e.span)
        return False

    def _need_number(self, r: RExpr, span: Span | None, name: str) -> None:
        if r.type.kind not in ("number", "error"):
            self.err("E205", f"'{name}' needs a number, got {r.type.describe()}", span)

    def _unknown_fn(self, name: str, span: Span | None) -> None:
        sug = did_you_mean(name, list(builtins.AGGREGATES) + list(builtins.FUNCTIONS))
        self.err(
            "E102",
            f"unknown function '{name}'",
            span,
            f"did you mean '{sug}'?" if sug else "see docs/language.md, Functions",
        )

    def aggregate(self, e: n.Call, fn: builtins.Builtin, ctx: Ctx) -> RExpr:
        """An aggregate over the entities of a scope below ``ctx``'s (``sum(… over 学校)``)."""
        over = self._over(e, ctx)
        if over is None:
            return error_expr(e.span)
        inner = Ctx(over, ctx.lets)
        args = tuple(self.expr(a, inner) for a in e.args)
        where = self.cond(e.where, inner, "where") if e.where is not None else None
        if not self._arity_ok(fn, e, args, before_over=True):
            return error_expr(e.span)
        if any(a.type.kind == "error" for a in args):
            return error_expr(e.span)
        args, t = fn.unit_rule(_Call(self, e, args))
        if fn.name in _PER_ENTITY:
            for node, arg in zip(e.args, args, strict=True):
                self._coarser_figure(e, arg, over, ctx, node.span)
        return Aggregate(fn.name, args, over, where, t, span=e.span)

    def _coarser_figure(
        self, e: n.Call, arg: RExpr, over: ScopeKind, ctx: Ctx, span: Span | None
    ) -> None:
        """``E311``: an aggregate whose figure belongs to a scope above the entities it
        ranges over reads that figure once per entity (``sum(在校生数 over 班级)`` adds a
        segment's students once per class).  Conditions (``where``, comparisons) may read
        such figures; the aggregated number may not."""
        field = _coarser_field(arg, over)
        if field is None:
            return
        name = field.label or field.name
        if ctx.scope is not None and field.scope in set(ctx.scope.ancestors()):
            hint = f"use {name} outside the aggregate: it is one figure for the rule's {ctx.scope.label}"
        else:
            word = {ScopeKind.SCHOOL: "学校", ScopeKind.SEGMENT: "学段"}.get(
                field.scope, field.scope.label
            )
            hint = f"aggregate over {word}, whose figure it is: {e.name}({name} over {word})"
        self.err(
            "E311",
            f"'{name}' is a figure of each {field.scope.label}, but {e.name}(… over "
            f"{over.label}) reads it once for every {over.label}",
            span or e.span,
            hint,
        )

    def _over(self, e: n.Call, ctx: Ctx) -> ScopeKind | None:
        """The scope after ``over``, or ``None`` after reporting why there is none."""
        if e.over is None:
            self.err(
                "E206",
                f"'{e.name}' needs 'over' and the entities to range over",
                e.span,
                f"e.g. {e.name}(… over 学校)",
            )
            return None
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
            return None
        if ctx.scope is None or over not in ctx.scope.below():
            here = ctx.scope.label if ctx.scope is not None else "a value"
            self.err(
                "E302",
                f"cannot aggregate over {over.label} from {here}",
                e.span,
                "aggregates range over a scope below the rule's: county → 学校/学段/班级, "
                "school → 学段/班级, segment → 班级",
            )
            return None
        return over

    def keyed(self, e: n.Keyed, ctx: Ctx) -> RExpr:
        """``by segment { 小学: …, 初中: … }`` and the like (``E106``, ``E104``, ``E201``)."""
        spec = _KEY_KINDS.get(e.kind)
        if spec is None:
            sug = did_you_mean(e.kind, _KEY_KINDS)
            self.err(
                "E106",
                f"unknown key kind '{e.kind}'",
                e.span,
                f"did you mean '{sug}'?"
                if sug
                else "use segment, location, region, province or school_kind",
            )
            return error_expr(e.span)
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
            self.no_placeholder(entry.meta, "one key")
            sources = self.sources(entry.meta)
            entries.append(
                KeyedEntryValue(
                    entry.keys,
                    v,
                    sources,
                    self.provisional(entry.meta),
                    self.provisional_en(entry.meta),
                    origin=self.origin(entry.span, sources),
                )
            )
        t = first.type if first is not None else Type("number")
        return KeyedValue(kind, tuple(entries), t, span=e.span)

    def dated(self, e: n.Dated, ctx: Ctx) -> RExpr:
        """Periods with their values: no overlap (``E305``), a gap warns (``W301``)."""
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
            self.no_placeholder(p.meta, "one period")
            sources = self.sources(p.meta)
            periods.append(
                PeriodValue(
                    p.start,
                    p.end,
                    v,
                    sources,
                    self.provisional(p.meta),
                    self.provisional_en(p.meta),
                    span=p.span,
                    origin=self.origin(p.span, sources),
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


#: Aggregates of a number per entity (sum, mean, min, max, cv): their figure must be the
#: entity's own (``E311``).  ``count``, ``share``, ``all`` and ``any`` take conditions.
_PER_ENTITY = frozenset({"sum", "mean", "min", "max", "cv"})


def _coarser_field(arg: RExpr, over: ScopeKind) -> FieldInfo | None:
    """The first field of a scope above ``over`` that ``arg`` reads as a number (not
    inside a condition or a nested aggregate), or ``None``."""
    above = set(over.ancestors()) - {over}
    stack: list[RExpr] = [arg]
    while stack:
        x = stack.pop()
        if isinstance(x, FieldRef):
            if x.field.scope in above:
                return x.field
        elif isinstance(x, Binary):
            stack.extend((x.right, x.left))
        elif isinstance(x, Negate):
            stack.append(x.operand)
        elif isinstance(x, Conditional):
            stack.extend((x.orelse, x.then))  # the condition may read anything
        elif isinstance(x, Function) and x.type.kind == "number":
            stack.extend(reversed(x.args))
    return None


@attrs.frozen
class _Call:
    """One call as its unit rule sees it (implements :class:`builtins.UnitCheck`)."""

    checker: ExprChecker
    node: n.Call
    args: tuple[RExpr, ...]

    @property
    def name(self) -> str:
        """The name as written."""
        return self.node.name

    @property
    def spans(self) -> tuple[Span | None, ...]:
        """Where each argument is written."""
        return tuple(a.span for a in self.node.args)

    @property
    def span(self) -> Span | None:
        """Where the call is written."""
        return self.node.span

    def error(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        """Report a diagnostic."""
        self.checker.err(code, message, span, hint)

    def need_number(self, i: int) -> None:
        """``E205`` unless argument ``i`` is a number."""
        self.checker._need_number(self.args[i], self.node.args[i].span, self.name)

    def same_units(self, what: str) -> tuple[RExpr, RExpr]:
        """The first two arguments in one unit (``E202`` when they cannot be)."""
        return self.checker._same_units(self.args[0], self.args[1], self.node.span, what)


def _period(p: PeriodValue) -> str:
    return f"{p.start or '…'}–{p.end or '…'}"
