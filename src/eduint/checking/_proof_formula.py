"""Requirements as Boolean formulas over comparisons ``Q op c`` (the strictness proof).

A checked requirement is translated, for one key and one date (:class:`Point`), into a
formula of :class:`Atom`\\ s ``Q op c`` — ``Q`` a *quantity* (an expression over data
fields: ``per100(高于规定学历教师数, 在校生数)``, a CV, a class size), ``c`` an exact
rational in canonical units — combined by ``and``, ``or``, ``not`` and ``at_least``.
Named values, ``let`` bindings, keyed entries and dated periods are substituted first, and
constant arithmetic is folded, so ``L1 >= 85% * 高学历教师标准`` for 小学 becomes
``per100(…) >= 3.57``.  Linear forms are normalised (``2 * Q + 1 >= 9`` is ``Q >= 4``) and
``Q1 op k * Q2`` with both sides non-negative becomes a comparison of the ratio ``Q1/Q2``
with ``k`` (:attr:`Quantity.ratio`).

Quantities are identified by their substituted expression, shared by the parent's and the
child's formulas through one :class:`Registry`; conditions outside this shape (a flag, a
membership, ``all(…)``) become :class:`Free` Boolean atoms, identical expressions sharing
one.  Everything here is exact (:class:`~fractions.Fraction`).
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction

import attrs

from eduint.checking._proof_show import show_expr, show_number
from eduint.checking.ruleset import (
    Aggregate,
    Binary,
    BoolConst,
    CheckedRule,
    Comparison,
    Conditional,
    Const,
    DatedValue,
    FieldRef,
    Function,
    KeyedValue,
    LetRef,
    ListOf,
    Logic,
    Membership,
    NamedValue,
    Negate,
    Not,
    RExpr,
    RuleSet,
    Symbol,
    TextConst,
    ValueRef,
)
from eduint.checking.schema import FieldInfo
from eduint.core.units import DIMENSIONLESS, Unit, display_unit

__all__ = [
    "And",
    "AtLeast",
    "Atom",
    "Formula",
    "Free",
    "FreeCond",
    "Neg",
    "NoValue",
    "Or",
    "Point",
    "Quantity",
    "Registry",
    "RuleFormulas",
    "Truth",
    "Unsupported",
    "pick",
    "show_formula",
    "translate_rule",
]


class Unsupported(Exception):
    """A requirement outside the decidable shape; the message says why."""


# ------------------------------------------------------------------ formulas


@attrs.frozen
class Atom:
    """``Q op c``: quantity :attr:`q` (an index into the :class:`Registry`) compared with
    the constant :attr:`c` (canonical units); :attr:`unit` is how ``c`` is shown."""

    q: int
    op: str
    c: Fraction
    unit: Unit = attrs.field(default=DIMENSIONLESS, eq=False)


@attrs.frozen
class Free:
    """A condition outside the ``Q op c`` shape, as a free Boolean (index into
    :attr:`Registry.free`)."""

    i: int


@attrs.frozen
class Truth:
    """A constant: True, False, or unknown (``None``) because no value is in force
    (:attr:`report_only`: the period is report-only, else no threshold covers the key)."""

    value: bool | None
    report_only: bool = False


@attrs.frozen
class And:
    """Kleene ``and`` of the items."""

    items: tuple[Formula, ...]


@attrs.frozen
class Or:
    """Kleene ``or`` of the items."""

    items: tuple[Formula, ...]


@attrs.frozen
class Neg:
    """Kleene ``not``."""

    item: Formula


@attrs.frozen
class AtLeast:
    """At least :attr:`k` of the items hold (Kleene: unknown when undecided)."""

    k: int
    items: tuple[Formula, ...]


Formula = Atom | Free | Truth | And | Or | Neg | AtLeast
"""A requirement, translated."""

TRUE = Truth(True)
FALSE = Truth(False)


@attrs.frozen
class Quantity:
    """A quantity compared with constants.

    Attributes:
        ident: its identity (the substituted expression, canonical); equal quantities of
            the parent and the child share one index.
        expr: the substituted expression, for building data, or ``None`` (a ratio).
        name: how it is shown (a ``let`` name, or the expression).
        integer: True when it takes whole numbers only (a count, ``count(…)``).
        nonneg: True when it is never negative (figures are not negative).
        ratio: for ``Q1 op k * Q2`` normalised to ``Q1/Q2 op k``: the indices of
            ``Q1`` and ``Q2`` (the ratio is undefined where ``Q2`` is 0, and the
            comparison is then ``Q1 op 0``).
    """

    ident: Hashable
    expr: RExpr | None
    name: str
    integer: bool
    nonneg: bool
    ratio: tuple[int, int] | None = None


@attrs.frozen
class FreeCond:
    """A condition outside the ``Q op c`` shape.

    Attributes:
        expr: the substituted condition.
        name: how it is shown.
        field: for a comparison of an enum field with symbols (``学校类型 == 教学点``), the
            field; conditions on one field are decided together by its value.
        true_for: the field's values for which the condition holds.
    """

    expr: RExpr
    name: str
    field: FieldInfo | None = None
    true_for: frozenset[str] = frozenset()


@attrs.define
class Registry:
    """The quantities and free conditions of one proof, shared by parent and child."""

    quantities: list[Quantity] = attrs.field(factory=list)
    free: list[FreeCond] = attrs.field(factory=list)
    _q: dict[Hashable, int] = attrs.field(factory=dict)
    _f: dict[Hashable, int] = attrs.field(factory=dict)

    def quantity(self, q: Quantity) -> int:
        """The index of ``q`` (an equal quantity registered before keeps its index)."""
        i = self._q.get(q.ident)
        if i is None:
            i = self._q[q.ident] = len(self.quantities)
            self.quantities.append(q)
        return i

    def mark(self) -> int:
        """How many quantities there are (for :meth:`rollback`)."""
        return len(self.quantities)

    def rollback(self, mark: int) -> None:
        """Forget the quantities registered since :meth:`mark` (tried, then not used)."""
        for q in self.quantities[mark:]:
            del self._q[q.ident]
        del self.quantities[mark:]

    def free_atom(self, cond: FreeCond) -> int:
        """The index of the free condition (substituted)."""
        ident = canon(cond.expr)
        i = self._f.get(ident)
        if i is None:
            i = self._f[ident] = len(self.free)
            self.free.append(cond)
        return i


# ------------------------------------------------------------------- points


@attrs.frozen
class Point:
    """One key and one date: the segment, location and region an entity has, its keys of
    other kinds (``(("province", "广东"),)``, ``school_kind``), and the day (each ``None``
    or absent when no value read depends on it)."""

    segment: str | None = None
    location: str | None = None
    region: str | None = None
    day: datetime.date | None = None
    others: tuple[tuple[str, str], ...] = ()

    def key(self, kind: str) -> str | None:
        """The key of a keyed value of ``kind`` (``"segment"``, ``"location"``,
        ``"region"``, or another kind such as ``"province"``)."""
        if kind == "segment":
            return self.segment
        if kind == "location":
            return self.location
        if kind == "region":
            return self.region
        return next((k for c, k in self.others if c == kind), None)


# ------------------------------------------------------------------ identity

_SKIP = frozenset({"type", "span", "text", "sources", "provisional", "provisional_en"})


def canon(x: object) -> Hashable:
    """A hashable identity of a checked expression: constants by canonical value and
    dimension, fields by scope and name, spans, types and citations left out."""
    if isinstance(x, Const):
        return ("K", Fraction(x.value) * x.type.unit.scale, x.type.unit.dims)
    if isinstance(x, FieldRef):
        return ("F", x.field.scope.value, x.field.name)
    if isinstance(x, tuple):
        return tuple(canon(i) for i in x)
    if attrs.has(type(x)):
        fields = attrs.fields(type(x))  # type: ignore[arg-type]
        return (type(x).__name__,) + tuple(
            canon(getattr(x, f.name)) for f in fields if f.eq and f.name not in _SKIP
        )
    assert isinstance(x, Hashable)
    return x


# ---------------------------------------------------------------- translation


@attrs.frozen
class _Lin:
    """``a * Q + b`` (``q is None``: the constant ``b``)."""

    q: int | None
    a: Fraction
    b: Fraction


@attrs.frozen
class NoValue:
    """No value in force (report-only period, or no keyed entry for the key)."""

    report_only: bool


_Num = _Lin | NoValue


def pick(e: RExpr, values: Mapping[str, NamedValue], point: Point) -> RExpr | NoValue:
    """A value expression at one key and date: named values followed, the entry of the
    point's key and the period in force chosen.

    Raises:
        Unsupported: a keyed value whose kind of key the point does not give.
    """
    for _ in range(1000):  # values cannot refer to themselves (the checker refuses it)
        if isinstance(e, ValueRef):
            e = values[e.name].value
        elif isinstance(e, KeyedValue):
            key = point.key(e.kind)
            if key is None:
                raise Unsupported(f"a value keyed by {e.kind} where the key is not known")
            found = next((x.value for x in e.entries if key in x.keys), None)
            if found is None:
                return NoValue(False)
            e = found
        elif isinstance(e, DatedValue):
            day = point.day
            if day is None:  # pragma: no cover - points carry a day for dated values
                raise Unsupported("a dated value without a date")
            period = next(
                (
                    p
                    for p in e.periods
                    if (p.start is None or p.start <= day) and (p.end is None or day <= p.end)
                ),
                None,
            )
            if period is None:
                return NoValue(False)
            if period.value is None:
                return NoValue(True)
            e = period.value
        else:
            return e
    raise Unsupported("values nested too deeply")  # pragma: no cover


_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}


def _holds(x: Fraction, op: str, y: Fraction) -> bool:
    return {
        ">=": x >= y,
        ">": x > y,
        "<=": x <= y,
        "<": x < y,
        "==": x == y,
        "!=": x != y,
    }[op]


#: Fields whose value is an entity's key of a kind (``学段`` is its segment).
_SYMBOL_FIELDS = {
    "segment": "segment",
    "location": "location",
    "region": "region",
    "province": "province",
    "kind": "school_kind",
}


@attrs.frozen
class RuleFormulas:
    """A rule at one point: whether it applies (segment list and ``applies when``), its
    requirement and its 基本达到 condition (``None`` when it has none)."""

    applies: Formula
    require: Formula | None
    basically: Formula | None


class _Translator:
    """Translates one rule's expressions at one point (see the module docstring)."""

    def __init__(self, ruleset: RuleSet, rule: CheckedRule, point: Point, reg: Registry):
        self.ruleset = ruleset
        self.lets = dict(rule.lets)
        self.point = point
        self.reg = reg

    # -- values
    def pick(self, e: RExpr) -> RExpr | NoValue:
        """A value expression with its key and period chosen (values followed)."""
        return pick(e, self.ruleset.values, self.point)

    def subst(self, e: RExpr, inside: bool = False) -> RExpr:
        """``e`` with ``let`` names inlined and values substituted (inside an aggregate,
        where the key may vary by entity, values are inlined whole)."""
        if isinstance(e, LetRef) and e.name in self.lets:
            return self.subst(self.lets[e.name], inside)
        if isinstance(e, ValueRef):
            if inside:
                return self.subst(self.ruleset.values[e.name].value, inside)
            picked = self.pick(e)
            if isinstance(picked, NoValue):
                raise Unsupported(f"no value of {e.name} in force inside an expression")
            return self.subst(picked, inside)
        if not attrs.has(type(e)) or isinstance(e, (Const, FieldRef, Symbol, TextConst)):
            return e
        inside = inside or isinstance(e, Aggregate)
        changes: dict[str, object] = {}
        for f in attrs.fields(type(e)):
            v = getattr(e, f.name)
            if f.name == "over":
                continue
            if isinstance(v, tuple) and v and all(attrs.has(type(x)) for x in v):
                changes[f.name] = tuple(self.subst(x, inside) for x in v)
            elif attrs.has(type(v)) and f.name != "type":
                changes[f.name] = self.subst(v, inside)
        return attrs.evolve(e, **changes)  # type: ignore[arg-type]

    # -- numbers
    def number(self, e: RExpr, hint: str | None = None) -> _Num:  # noqa: C901 - one case per node
        """``e`` as ``a * Q + b`` over one quantity, or no value in force."""
        match e:
            case Const(value, type=t):
                return _Lin(None, Fraction(0), Fraction(value) * t.unit.scale)
            case ValueRef() | KeyedValue() | DatedValue():
                picked = self.pick(e)
                if isinstance(picked, NoValue):
                    return picked
                return self.number(picked, hint)
            case LetRef(name) if name in self.lets:
                return self.number(self.lets[name], hint or name)
            case Negate(operand):
                x = self.number(operand)
                return x if isinstance(x, NoValue) else _Lin(x.q, -x.a, -x.b)
            case Binary(op, left, right):
                mark = self.reg.mark()
                a, b = self.number(left), self.number(right)
                if isinstance(a, NoValue):
                    return a
                if isinstance(b, NoValue):
                    return b
                out = _arith(op, a, b)
                if out is not None:
                    return out
                self.reg.rollback(mark)  # the parts are not compared on their own
            case Function(fn, args) if fn in ("ceil", "floor", "max", "min"):
                mark = self.reg.mark()
                xs = [self.number(x) for x in args]
                for x in xs:
                    if isinstance(x, NoValue):
                        return x
                consts = [x.b for x in xs if isinstance(x, _Lin) and x.q is None]
                if len(consts) == len(xs):
                    return _Lin(None, Fraction(0), _fold(fn, consts))
                self.reg.rollback(mark)
        return _Lin(self.opaque(e, hint), Fraction(1), Fraction(0))

    def opaque(self, e: RExpr, hint: str | None) -> int:
        """Register ``e`` (substituted) as a quantity."""
        s = self.subst(e)
        integer, nonneg = _domain(s)
        return self.reg.quantity(Quantity(canon(s), s, hint or show_expr(s), integer, nonneg))

    # -- conditions
    def boolean(self, e: RExpr) -> Formula:  # noqa: C901 - one case per node type
        """The condition ``e`` as a formula."""
        match e:
            case BoolConst(value):
                return TRUE if value else FALSE
            case Comparison(op, left, right):
                if left.type.kind == "number" and right.type.kind == "number":
                    return self.comparison(op, left, right)
                return self.symbolic(e)
            case Membership():
                return self.symbolic(e)
            case Logic(op, left, right):
                items = (self.boolean(left), self.boolean(right))
                return And(items) if op == "and" else Or(items)
            case Not(operand):
                return Neg(self.boolean(operand))
            case Function("at_least", (k, ListOf(items))):
                kk = self.number(k)
                if not isinstance(kk, _Lin) or kk.q is not None or kk.b.denominator != 1:
                    raise Unsupported("at_least with a count that is not a whole constant")
                return AtLeast(int(kk.b), tuple(self.boolean(x) for x in items))
            case LetRef(name) if name in self.lets:
                return self.boolean(self.lets[name])
            case ValueRef() | KeyedValue() | DatedValue():
                picked = self.pick(e)
                if isinstance(picked, NoValue):
                    return Truth(None, picked.report_only)
                return self.boolean(picked)
            case Conditional(cond, then, orelse):
                c = self.boolean(cond)
                return Or((And((c, self.boolean(then))), And((Neg(c), self.boolean(orelse)))))
        return self.free(e)

    def free(self, e: RExpr, cond: FreeCond | None = None) -> Free:
        """``e`` as a free condition."""
        s = self.subst(e)
        c = cond if cond is not None else FreeCond(s, show_expr(s))
        return Free(self.reg.free_atom(attrs.evolve(c, expr=s, name=show_expr(s))))

    def comparison(self, op: str, left: RExpr, right: RExpr) -> Formula:
        """``left op right`` over numbers."""
        a, b = self.number(left), self.number(right)
        for x in (a, b):
            if isinstance(x, NoValue):
                return Truth(None, x.report_only)
        assert isinstance(a, _Lin) and isinstance(b, _Lin)
        unit = display_unit(right.type.unit, left.type.unit)
        if a.q is not None and b.q is not None and a.q != b.q:
            return self.two_sided(op, a, b, left, right, unit)
        q = a.q if a.q is not None else b.q
        coef = (a.a if a.q is not None else 0) - (b.a if b.q is not None else 0)
        rest = b.b - a.b  # coef * Q op rest
        if q is None or coef == 0:
            return TRUE if _holds(Fraction(0), op, rest) else FALSE
        if coef < 0:
            op = _FLIP[op]
        return Atom(q, op, rest / coef, unit)

    def two_sided(
        self, op: str, a: _Lin, b: _Lin, left: RExpr, right: RExpr, unit: Unit
    ) -> Formula:
        """``a1 * Q1 + b1 op a2 * Q2 + b2`` with two quantities: the ratio ``Q1/Q2`` against
        ``a2/a1`` when both are non-negative and there is no constant term; otherwise one
        opaque quantity of the difference."""
        assert a.q is not None and b.q is not None
        q1, q2 = self.reg.quantities[a.q], self.reg.quantities[b.q]
        if a.b == 0 and b.b == 0 and a.a > 0 and b.a > 0 and q1.nonneg and q2.nonneg:
            ratio: Hashable = ("ratio", q1.ident, q2.ident)
            r = self.reg.quantity(
                Quantity(ratio, None, f"{q1.name} ÷ {q2.name}", False, True, (a.q, b.q))
            )
            return Atom(r, op, b.a / a.a, DIMENSIONLESS)
        ident: Hashable = ("diff", q1.ident, a.a, q2.ident, b.a)
        name = f"{show_expr(self.subst(left))} - {show_expr(self.subst(right))}"
        d = self.reg.quantity(Quantity(ident, None, name, False, False))
        return Atom(d, op, b.b - a.b, unit)

    def symbolic(self, e: RExpr) -> Formula:
        """A comparison or membership of symbols: decided when it reads the point's own
        key (``学段 == 小学`` for a 小学 point), else a free condition."""
        items: tuple[RExpr, ...]
        if isinstance(e, Comparison) and e.op in ("==", "!="):
            left, items = e.left, (e.right,)
        elif isinstance(e, Membership):
            left, items = e.left, e.items
        else:
            return self.free(e)
        known = None
        if isinstance(left, FieldRef) and left.field.name in _SYMBOL_FIELDS:
            known = self.point.key(_SYMBOL_FIELDS[left.field.name])
        symbols = [x.value for x in items if isinstance(x, Symbol)]
        negate = isinstance(e, Comparison) and e.op == "!="
        if len(symbols) != len(items):
            return self.free(e)
        if known is None:
            if not isinstance(left, FieldRef) or left.field.enum is None:
                return self.free(e)
            members = frozenset(m.value for m in left.field.enum)
            true_for = members - set(symbols) if negate else members & set(symbols)
            return self.free(e, FreeCond(e, "", left.field, frozenset(true_for)))
        inside = known in symbols
        return TRUE if inside != negate else FALSE


def _arith(op: str, a: _Lin, b: _Lin) -> _Lin | None:
    """``a op b`` when it stays linear in one quantity, else ``None``."""
    if op in ("+", "-"):
        s = 1 if op == "+" else -1
        if a.q is None or b.q is None or a.q == b.q:
            q = a.q if a.q is not None else b.q
            return _Lin(q, a.a + s * b.a, a.b + s * b.b)
        return None
    if op == "*":
        if b.q is None:
            return _Lin(a.q, a.a * b.b, a.b * b.b)
        if a.q is None:
            return _Lin(b.q, b.a * a.b, b.b * a.b)
        return None
    if op == "/" and b.q is None and b.b != 0:
        return _Lin(a.q, a.a / b.b, a.b / b.b)
    return None


def _fold(fn: str, xs: Sequence[Fraction]) -> Fraction:
    if fn == "ceil":
        return Fraction(-((-xs[0].numerator) // xs[0].denominator))
    if fn == "floor":
        return Fraction(xs[0].numerator // xs[0].denominator)
    return max(xs) if fn == "max" else min(xs)


def _domain(e: RExpr) -> tuple[bool, bool]:  # noqa: C901 - one case per node type
    """``(integer, nonneg)``: whether ``e`` takes whole numbers only, and is never negative
    (figures with a unit are never negative; an extra ``number`` field may be)."""
    match e:
        case Const(value, type=t):
            x = Fraction(value) * t.unit.scale
            return x.denominator == 1, x >= 0
        case FieldRef(field=f):
            # a derived figure may be a difference (教学及辅助用房计算面积 = area - indoor)
            nonneg = f.kind == "quantity" and (not f.derived or f.count)
            return f.count and nonneg, nonneg
        case Binary(op, left, right):
            (i1, n1), (i2, n2) = _domain(left), _domain(right)
            if op in ("+", "*"):
                return i1 and i2, n1 and n2
            if op == "-":
                return i1 and i2, False
            return False, n1 and n2
        case Function(fn, args):
            ds = [_domain(x) for x in args]
            nonneg = all(n for _, n in ds)
            if fn in ("ceil", "floor"):
                return True, nonneg
            if fn in ("max", "min"):
                return all(i for i, _ in ds), nonneg
            return False, nonneg
        case Aggregate(fn, args):
            ds = [_domain(x) for x in args]
            if fn == "count":
                return True, True
            if fn in ("cv", "share"):  # S / |mean|, a share: never negative
                return False, True
            if fn in ("sum", "min", "max"):
                return all(i for i, _ in ds), all(n for _, n in ds)
            return False, all(n for _, n in ds)
        case Negate(operand):
            return _domain(operand)[0], False
    return False, False


# ------------------------------------------------------------------- rules


def translate_rule(
    ruleset: RuleSet, rule: CheckedRule | None, point: Point, reg: Registry
) -> RuleFormulas:
    """A rule at one point.  ``None`` (a rule the rule set lacks) always passes.

    Raises:
        Unsupported: the rule is outside the decidable shape.
    """
    if rule is None or rule.require is None:
        return RuleFormulas(FALSE if rule is None else TRUE, None, None)
    t = _Translator(ruleset, rule, point, reg)
    applies: Formula = TRUE
    if rule.segments is not None and point.segment is not None:
        applies = TRUE if point.segment in rule.segments else FALSE
    if rule.applies is not None and applies != FALSE:
        applies = And((applies, t.boolean(rule.applies)))
    basically = t.boolean(rule.basically) if rule.basically is not None else None
    return RuleFormulas(applies, t.boolean(rule.require), basically)


# ------------------------------------------------------------------- showing


def show_formula(f: Formula, reg: Registry) -> str:
    """A formula as rule-like text, quantities by name (``L1 >= 4.2 人/百人 and …``)."""
    return _show_f(f, reg, 0)


def _show_f(f: Formula, reg: Registry, level: int) -> str:
    match f:
        case Atom(q, op, c, unit):
            return f"{reg.quantities[q].name} {op} {show_number(c, unit)}"
        case Free(i):
            return reg.free[i].name
        case Truth(value, report_only):
            if value is None:
                return "report_only" if report_only else "(no value in force)"
            return "true" if value else "false"
        case Neg(item):
            return f"not {_show_f(item, reg, 3)}"
        case And(items):
            text = " and ".join(_show_f(x, reg, 2) for x in _flat(items, And))
            return f"({text})" if level > 2 else text
        case Or(items):
            text = " or ".join(_show_f(x, reg, 1) for x in _flat(items, Or))
            return f"({text})" if level > 1 else text
        case AtLeast(k, items):
            return f"at_least({k}, [{', '.join(_show_f(x, reg, 0) for x in items)}])"
    raise AssertionError(f)  # pragma: no cover


def _flat(items: tuple[Formula, ...], kind: type[And] | type[Or]) -> list[Formula]:
    out: list[Formula] = []
    for x in items:
        if isinstance(x, (And, Or)) and isinstance(x, kind):
            out.extend(_flat(x.items, kind))
        else:
            out.append(x)
    return out
