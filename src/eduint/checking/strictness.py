"""Which way a change of a setting or named value moves strictness.

Used by :mod:`eduint.checking.overrides` (``--set``) and, with citations, by provincial
layering (issue 15).  The verdicts (:class:`Strictness`) are decided exactly, in
canonical units, where the change keeps its shape:

* a setting follows its declared :class:`~eduint.checking.settings.Direction`;
* a value is judged by the comparisons that use it (:func:`value_direction`): the sign
  of its influence is followed through arithmetic, functions, aggregates and ``let``
  bindings, figures being non-negative; where a use cannot be signed (``==``, ``in``, a
  CV, an aggregate's filter) the verdict is ``undecided``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs

from eduint.checking.ruleset import (
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
    PeriodValue,
    RExpr,
    RuleSet,
    SourceRef,
    Symbol,
    Type,
    ValueRef,
)
from eduint.checking.settings import Direction

__all__ = [
    "Sign",
    "Strictness",
    "setting_verdict",
    "show_value",
    "value_direction",
    "value_verdict",
]


class Strictness(str, enum.Enum):
    """How an override moves strictness (issue 15 proves the same for layering)."""

    STRICTER = "stricter"
    """Every entity that meets the overridden rules met the original ones."""
    LOOSER = "looser"
    """Some entity may meet the overridden rules and fail the original ones."""
    METHOD = "method"
    """A change of method (which schools count, how schools split): neither in general."""
    SAME = "same"
    """No verdict can change: the same value, an unused one, or a display setting."""
    UNDECIDED = "undecided"
    """The uses of the value cannot be signed (``==``, a CV, a filter)."""
    PLACEHOLDER = "placeholder"
    """A placeholder the parent leaves to provinces was filled: neither stricter nor looser."""


# ------------------------------------------------------------------ verdicts

#: A sign: +1 increasing, -1 decreasing, 0 independent, ``None`` unknown.
Sign = int | None


def _number(e: RExpr) -> Fraction | None:
    """A constant's value in canonical units, or ``None`` for anything else."""
    if isinstance(e, Const):
        return Fraction(e.value) * e.type.unit.scale
    return None


def setting_verdict(direction: Direction, old: RExpr, new: RExpr) -> Strictness:
    """A setting's verdict by its declared direction.

    Args:
        direction: the setting's :class:`~eduint.checking.settings.Direction`.
        old, new: the checked values (for a keyed setting, of one key or the whole).
    """
    if show_value(old) == show_value(new):
        return Strictness.SAME
    if direction is Direction.DISPLAY:
        return Strictness.SAME
    if direction is Direction.METHOD:
        return Strictness.METHOD
    if isinstance(old, BoolConst) and isinstance(new, BoolConst):
        raised = new.value and not old.value
        stricter = raised == (direction is Direction.STRICTER_IF_TRUE)
        return Strictness.STRICTER if stricter else Strictness.LOOSER
    a, b = _number(old), _number(new)
    if a is None or b is None or a == b:
        return Strictness.SAME if a == b and a is not None else Strictness.UNDECIDED
    stricter = (b > a) == (direction is Direction.STRICTER_IF_HIGHER)
    return Strictness.STRICTER if stricter else Strictness.LOOSER


def _pairs(old: RExpr, new: RExpr) -> list[tuple[RExpr, RExpr | None]]:
    """Old and new, cell by cell: per key of a keyed value, per period of a dated one."""
    if isinstance(old, KeyedValue):
        out: list[tuple[RExpr, RExpr | None]] = []
        for entry in old.entries:
            for key in entry.keys:
                if isinstance(new, KeyedValue):
                    match = next((x.value for x in new.entries if key in x.keys), None)
                else:
                    match = new
                out += _pairs(entry.value, match) if match is not None else [(entry.value, None)]
        return out
    if isinstance(old, DatedValue):
        return [
            p
            for period in old.periods
            if period.value is not None
            for p in _pairs(period.value, new)
        ]
    return [(old, new)]


def value_verdict(direction: Sign, old: RExpr, new: RExpr) -> Strictness:
    """A value's verdict: old against new, cell by cell (per key, per period), in the
    direction of its uses (:func:`value_direction`).

    Args:
        direction: +1 higher is stricter, -1 higher is looser, 0 unused, ``None``
            undecided.
        old, new: the checked values (of one key, or the whole value).
    """
    pairs = _pairs(old, new)
    if all(b is not None and show_value(a) == show_value(b) for a, b in pairs):
        return Strictness.SAME
    if direction == 0:
        return Strictness.SAME
    if direction is None:
        return Strictness.UNDECIDED
    moves: set[int] = set()
    for a, b in pairs:
        x, y = _number(a), _number(b) if b is not None else None
        if x is None or y is None:
            return Strictness.UNDECIDED
        if y != x:
            moves.add(direction if y > x else -direction)
    if -1 in moves:
        return Strictness.LOOSER
    return Strictness.STRICTER if moves else Strictness.SAME


# ------------------------------------------------------ the direction of uses


def _join(a: Sign, b: Sign) -> Sign:
    """Two influences together: the same sign, or unknown when they disagree."""
    if a == 0:
        return b
    if b == 0:
        return a
    return a if a == b else None


def _neg(a: Sign) -> Sign:
    return None if a is None else -a


def value_direction(ruleset: RuleSet, name: str) -> Sign:
    """How raising value ``name`` moves strictness over the whole rule set: +1 stricter,
    -1 looser, 0 no rule depends on it, ``None`` undecided.

    A requirement (and ``basically``) that becomes more true is looser; an applicability
    condition that becomes more true is stricter (the rule covers more entities).
    """
    total: Sign = 0
    for rule in ruleset.rules():
        uses = _Uses(ruleset, name, dict(rule.lets))
        for cond, sign in ((rule.require, -1), (rule.basically, -1), (rule.applies, 1)):
            if cond is not None:
                t = uses.truth(cond)
                total = _join(total, None if t is None else t * sign)
    return total


@attrs.define
class _Uses:
    """The monotonicity of expressions in one named value (positive figures assumed)."""

    ruleset: RuleSet
    target: str
    lets: Mapping[str, RExpr]
    seen: set[str] = attrs.field(factory=set)

    def mono(self, e: RExpr) -> Sign:  # noqa: C901 - one case per node type
        """How raising the value moves the number ``e``."""
        match e:
            case ValueRef(name):
                if name == self.target:
                    return 1
                if name in self.seen:
                    return 0
                self.seen.add(name)
                try:
                    return self.mono(self.ruleset.values[name].value)
                finally:
                    self.seen.discard(name)
            case LetRef(name):
                return self.mono(self.lets[name]) if name in self.lets else 0
            case Negate(operand):
                return _neg(self.mono(operand))
            case Binary(op, left, right):
                a, b = self.mono(left), self.mono(right)
                if op == "+":
                    return _join(a, b)
                if op in ("-", "/"):
                    return _join(a, _neg(b))
                return self._product(left, right, a, b)
            case Function(fn, args):
                if fn in ("ratio", "per100"):
                    return _join(self.mono(args[0]), _neg(self.mono(args[1])))
                if fn in ("ceil", "floor", "max", "min"):
                    return _fold(self.mono(x) for x in args)
                return None if self.depends(e) else 0
            case Conditional(cond, then, orelse):
                if self.truth(cond) != 0:
                    return None
                return _join(self.mono(then), self.mono(orelse))
            case Aggregate(fn, args, _over, where):
                if where is not None and self.truth(where) != 0:
                    return None
                if fn in ("sum", "mean", "min", "max"):
                    return _fold(self.mono(x) for x in args)
                return None if self.depends(e) else 0
            case KeyedValue() | DatedValue() | ListOf():
                return _fold(self.mono(x) for x in _children(e))
            case _:
                return None if self.depends(e) else 0

    def _product(self, left: RExpr, right: RExpr, a: Sign, b: Sign) -> Sign:
        if a == 0 and b == 0:
            return 0
        if a == 0 or b == 0:
            other, s = (left, b) if a == 0 else (right, a)
            k = _number(other)
            return s if k is None or k >= 0 else _neg(s)  # figures are not negative
        return a if a == b else None

    def truth(self, e: RExpr) -> Sign:
        """How raising the value moves the truth of the condition ``e``."""
        match e:
            case Comparison(op, left, right):
                d = _join(self.mono(left), _neg(self.mono(right)))
                if op in (">=", ">"):
                    return d
                if op in ("<=", "<"):
                    return _neg(d)
                return None if d != 0 else 0
            case Logic(_op, left, right):
                return _join(self.truth(left), self.truth(right))
            case Not(operand):
                return _neg(self.truth(operand))
            case Function("at_least", (k, items)):
                return _join(_neg(self.mono(k)), self.truth(items))
            case ListOf(items):
                return _fold(self.truth(x) for x in items)
            case Aggregate("all" | "any", (arg,), _over, where):
                if where is not None and self.truth(where) != 0:
                    return None
                return self.truth(arg)
            case LetRef(name):
                return self.truth(self.lets[name]) if name in self.lets else 0
            case Membership() | Conditional() | ValueRef():
                return None if self.depends(e) else 0
            case _:
                return None if self.depends(e) else 0

    def depends(self, e: RExpr) -> bool:
        """Whether ``e`` reads the value at all (through values and lets)."""
        stack: list[object] = [e]
        seen: set[str] = set()
        while stack:
            x = stack.pop()
            if isinstance(x, ValueRef):
                if x.name == self.target:
                    return True
                if x.name not in seen and x.name in self.ruleset.values:
                    seen.add(x.name)
                    stack.append(self.ruleset.values[x.name].value)
            elif isinstance(x, LetRef) and x.name in self.lets and x.name not in seen:
                seen.add(x.name)
                stack.append(self.lets[x.name])
            elif attrs.has(type(x)):
                stack.extend(_children(x))
        return False


def _fold(signs: Iterable[Sign]) -> Sign:
    out: Sign = 0
    for s in signs:
        out = _join(out, s)
    return out


def _children(x: object) -> list[RExpr]:
    """The expressions directly inside a node (entries and periods included)."""
    out: list[RExpr] = []
    for a in attrs.fields(type(x)):  # type: ignore[arg-type]
        v = getattr(x, a.name)
        for item in v if isinstance(v, tuple) else (v,):
            if isinstance(item, (KeyedEntryValue, PeriodValue)):
                if item.value is not None:
                    out.append(item.value)
            elif attrs.has(type(item)) and not isinstance(item, (Type, SourceRef)):
                out.append(item)
    return out


# ------------------------------------------------------------------- showing


def show_value(e: RExpr) -> str:  # noqa: C901 - one case per node type
    """A checked value as canonical rule text (``40 人``, ``5%``, ``by segment { 小学:
    0.50, 初中: 0.45 }``, ``true``), for reports and messages."""
    match e:
        case Const(value, type=t):
            unit = t.unit
            text = format(value, "f") if value == value.to_integral_value() else str(value)
            if not unit.describe():
                return text
            u = str(unit)
            return f"{text}{u}" if u in ("%", "‰") else f"{text} {u}"
        case BoolConst(value):
            return "true" if value else "false"
        case Symbol(value):
            return value
        case ValueRef(name) | LetRef(name):
            return name
        case FieldRef(field=f):
            return f.name
        case KeyedValue(kind, entries):
            inner = ", ".join(f"{', '.join(x.keys)}: {show_value(x.value)}" for x in entries)
            return f"by {kind} {{ {inner} }}"
        case DatedValue(periods):
            parts = []
            for p in periods:
                rng = " ".join(
                    x
                    for x in (
                        f"from {p.start}" if p.start else "",
                        f"until {p.end}" if p.end else "",
                    )
                    if x
                )
                parts.append(f"{rng}: {'report_only' if p.value is None else show_value(p.value)}")
            return f"dated {{ {', '.join(parts)} }}"
        case ListOf(items):
            return "[" + ", ".join(show_value(i) for i in items) + "]"
        case Negate(operand):
            return f"-{show_value(operand)}"
        case Binary(op, left, right):
            return f"({show_value(left)} {op} {show_value(right)})"
        case Function(fn, args) | Aggregate(fn, args):
            return f"{fn}({', '.join(show_value(a) for a in args)})"
        case _:
            return "…"
