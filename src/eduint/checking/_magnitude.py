"""A bound on the size of the numbers a checked rule set can compute (``E320``).

eduint computes exactly: every number is an integer or a fraction, never rounded.
Exact numbers grow as they are multiplied: a product has as many digits as its
factors together, and a sum of fractions as many as their denominators together.
Number literals are bounded (:mod:`eduint.language.limits`) and so is the nesting of
one expression, but names are not: ``value v1 = v0 * v0``, ``value v2 = v1 * v1`` …
doubles the digits at every step, and forty such lines ask for a number of more digits
than there are atoms in the earth; evaluating it would never finish.

So the checker bounds, before anything is evaluated, how many decimal digits every
named value, ``let`` and rule expression can reach (:func:`oversized`).  Each number is
bounded by its magnitude and its denominator (as powers of ten): a literal by its own
digits, a data figure by 10^15 with 15 decimal places, a reference by what it names,
and each operation by what its operands allow (a sum of decimals keeps the larger
denominator, a sum of other fractions may need the product of theirs; an aggregate is
taken over at most a million entities).  The bound is an over-estimate; real rules stay
far below :data:`MAX_DIGITS` (the bundled rule sets reach 2,609, for the mean of eight
差异系数 of the 2012 rules; 36,000 values adding 1 to each other, about 20), and numbers
of that size still compute in milliseconds, while a chain of products that would not
finish exceeds it within a dozen steps.  Units are bounded at each product too (:func:`unit_too_large`): ``人 × 人``
repeated doubles the power of 人 at every step.

Named values cost evaluation time as well as digits (:func:`costly`): the engine folds
a value of constants into one constant before reading any data, but a value that
depends on the date or the entity (``dated``, ``by location``) is evaluated wherever it
is used, through every value it uses.  A chain of 3,000 such values nests 3,000 calls
deep (Python's stack holds about 1,000), and values that each use the one before twice
take 2^n steps; both are ``E320`` before anything is evaluated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from eduint.checking import ruleset as r
from eduint.core.units import Unit
from eduint.language.diagnostics import Diagnostic, Span, shorten
from eduint.language.parser import MAX_DEPTH

__all__ = [
    "CHAIN_HINT",
    "MAX_DIGITS",
    "MAX_NESTING",
    "MAX_NODES",
    "MAX_UNIT_POWER",
    "NESTING_HINT",
    "UNIT_HINT",
    "costly",
    "oversized",
    "unit_too_large",
]

#: Most decimal digits (numerator and denominator together) a computation may reach.
MAX_DIGITS = 100_000
#: Highest power of a dimension a unit may have (人^8); real rules use 2 at most (a
#: 差异系数's variance).
MAX_UNIT_POWER = 8
# Most bits of a unit's scale (万元^8 is about 107 bits).
_MAX_SCALE_BITS = 128
#: Deepest evaluation of one expression with its named values written out (the parser's
#: limit on the nesting of one expression, :data:`eduint.language.parser.MAX_DEPTH`).
MAX_NESTING = MAX_DEPTH
#: Most steps (expression nodes) one evaluation of an expression may take, its named
#: values written out: about what the largest expression of a 1,000,000-character file has.
MAX_NODES = 100_000
#: The hint of an E320 about nesting through named values.
NESTING_HINT = (
    "a value that depends on the date or the entity (dated, by location …) is computed "
    "again wherever it is used; define long chains of such values with fewer steps"
)
#: The hint of an E320 about the size of numbers.
CHAIN_HINT = (
    "a product has the digits of its factors together, so a chain such as b = a * a, "
    "c = b * b … doubles them at every step; compute with fewer multiplications"
)
#: The hint of an E320 about a unit (:func:`unit_too_large`).
UNIT_HINT = (
    "a chain such as b = a * a, c = b * b … doubles the power of the unit at every step; "
    "compute with fewer multiplications"
)


def unit_too_large(unit: Unit) -> str | None:
    """Why a product or quotient's unit is beyond what a rule can mean, or ``None``.

    Checked at every ``*`` and ``/``, so that ``a1 = a0 * a0``, ``a2 = a1 * a1`` …
    stops at the first step past the limit, before its unit (人^(2^40), 万元^(2^40))
    costs anything to compute.
    """
    power = max((abs(e) for _, e in unit.dims), default=0)
    if power > MAX_UNIT_POWER:
        shown = shorten(unit.canonical())
        return f"its unit would be {shown} (powers up to {MAX_UNIT_POWER} are allowed)"
    scale = unit.scale
    if max(scale.numerator.bit_length(), scale.denominator.bit_length()) > _MAX_SCALE_BITS:
        return "its unit would be scaled by more than 10^38 (a chain of 万元 × 万元 …)"
    return None


@attrs.frozen
class _Size:
    """Bounds on an exact number: ``|x| ≤ 10^mag`` and ``denominator ≤ 10^den``;
    ``decimal``: the denominator is a power of ten (sums of such numbers keep the
    larger denominator instead of the product)."""

    mag: float
    den: float
    decimal: bool = True

    @property
    def digits(self) -> int:
        """Digits of the numerator and the denominator together, at most."""
        return math.ceil(max(0.0, self.mag + self.den) + self.den)


_CAP = 1e15  # keeps the estimates finite; far beyond MAX_DIGITS
_BOOL = _Size(0.0, 0.0)
#: A data figure: below 10^15 (D020), with up to 15 decimal places.
_DATA = _Size(15.0, 15.0)


def _log10(n: int) -> float:
    return math.log10(n) if n.bit_length() < 1000 else n.bit_length() * math.log10(2)


def _sized(mag: float, den: float, decimal: bool) -> _Size:
    return _Size(min(max(mag, 0.0), _CAP), min(max(den, 0.0), _CAP), decimal)


def _scaled(size: _Size, unit: Unit) -> _Size:
    """``size`` in the canonical unit (万元 × 10000, % ÷ 100, 亩 × 2000/3)."""
    num, den = unit.scale.numerator, unit.scale.denominator
    decimal = size.decimal and den == 10 ** (len(str(den)) - 1)
    return _sized(size.mag + _log10(num), size.den + _log10(den), decimal)


def _plus(a: _Size, b: _Size) -> _Size:
    hi, lo = max(a.mag, b.mag), min(a.mag, b.mag)
    mag = hi + math.log10(1 + 10 ** (lo - hi))
    decimal = a.decimal and b.decimal
    return _sized(mag, max(a.den, b.den) if decimal else a.den + b.den, decimal)


def _times(a: _Size, b: _Size) -> _Size:
    return _sized(a.mag + b.mag, a.den + b.den, a.decimal and b.decimal)


def _over(a: _Size, b: _Size) -> _Size:
    # |a / b| ≤ |a| × den(b), since |b| ≥ 1 / den(b); den(a / b) ≤ den(a) × num(b)
    return _sized(a.mag + b.den, a.den + max(0.0, b.mag + b.den), False)


def _widest(sizes: list[_Size]) -> _Size:
    if not sizes:
        return _BOOL
    return _sized(
        max(x.mag for x in sizes), max(x.den for x in sizes), all(x.decimal for x in sizes)
    )


class _Bounds:
    """Size bounds of named values and ``let`` bindings, computed once each."""

    def __init__(self, values: Mapping[str, r.NamedValue]) -> None:
        self.values = values
        self.sizes: dict[str, _Size] = {}
        # names already reported (E320), and whether the last bound() read one of them:
        # what builds on a reported name is not reported again
        self.reported: set[str] = set()
        self.read_reported = False

    def value(self, name: str) -> _Size:
        """The bound of a named value (``value_digits`` of the ones already seen)."""
        known = self.sizes.get(name)
        if known is not None:
            return known
        named = self.values.get(name)
        # Values are bounded in dependency order (the checker's), so a value's
        # references are known before it; a cycle (E310) counts as a data figure.
        self.sizes[name] = _DATA
        size = self.bound(named.value, {})[0] if named is not None else _DATA
        self.sizes[name] = size
        return size

    def bound(self, e: r.RExpr, lets: Mapping[str, _Size]) -> tuple[_Size, int]:
        """The bound of ``e``, and the most digits any step of computing it reaches."""
        # Post-order without recursion: nesting is bounded by the parser, but a long
        # chain of one operator is deep all the same.
        out: dict[int, _Size] = {}
        most = 0
        self.read_reported = False
        stack: list[tuple[r.RExpr, bool]] = [(e, False)]
        while stack:
            node, ready = stack.pop()
            children = _children(node)
            if not ready and children:
                stack.append((node, True))
                stack.extend((c, False) for c in children)
                continue
            size = self._combine(node, [out[id(c)] for c in children], lets)
            out[id(node)] = size
            most = max(most, size.digits)
        return out[id(e)], most

    def _combine(self, node: r.RExpr, got: list[_Size], lets: Mapping[str, _Size]) -> _Size:
        match node:
            case r.Const(value=value, type=t):
                _, digits, exponent = value.as_tuple()
                exp = exponent if isinstance(exponent, int) else 0
                return _scaled(_sized(len(digits) + exp, -exp, True), t.unit)
            case r.FieldRef(type=t):
                return _scaled(_DATA, t.unit)
            case r.ValueRef(name=name) | r.LetRef(name=name):
                self.read_reported = self.read_reported or name in self.reported
                if isinstance(node, r.LetRef):
                    return lets.get(name, _DATA)
                return self.value(name)
            case r.Negate():
                return got[0]
            case r.Binary(op=op):
                a, b = got
                return _plus(a, b) if op in "+-" else _times(a, b) if op == "*" else _over(a, b)
            case r.Function(fn=fn):
                if fn in ("ratio", "per100"):
                    q = _over(got[0], got[1])
                    return _sized(q.mag + 2, q.den, False) if fn == "per100" else q
                if fn in ("ceil", "floor"):
                    return _sized(got[0].mag, 0.0, True)
                return _BOOL if fn == "at_least" else _widest(got)
            case r.Aggregate(fn=fn):
                return _aggregate(fn, got[0] if got else _BOOL)
            case r.Conditional():
                return _widest(got[1:])
            case r.Comparison() | r.Logic() | r.Not() | r.Membership():
                return _BOOL
            case _:
                return _widest(got)


@attrs.frozen
class _Cost:
    """What evaluating an expression costs once named values are written out: whether
    the engine folds it into a constant before any data is read (``folds``: literals,
    and values, segment-keyed values, arithmetic and functions of them; see
    :meth:`eduint.engine.compile._Compiler.keyconst`), how deep its evaluation nests and
    how many nodes it evaluates.  A folded expression costs one node."""

    folds: bool
    depth: int
    nodes: int
    reported: bool = False  # it uses a value already reported (E320 once per chain)


_FOLDED = _Cost(True, 1, 1)
_REPORTED = _Cost(True, 1, 1, reported=True)


class _Costs:
    """Evaluation costs of named values, computed once each, in dependency order."""

    def __init__(self, values: Mapping[str, r.NamedValue]) -> None:
        self.values = values
        self.of_value: dict[str, _Cost] = {}

    def cost(self, e: r.RExpr) -> _Cost:
        """The cost of ``e`` (iterative post-order, like :meth:`_Bounds.bound`)."""
        out: dict[int, _Cost] = {}
        stack: list[tuple[r.RExpr, bool]] = [(e, False)]
        while stack:
            node, ready = stack.pop()
            children = _children(node)
            if not ready and children:
                stack.append((node, True))
                stack.extend((c, False) for c in children)
                continue
            out[id(node)] = self._combine(node, [out[id(c)] for c in children])
        return out[id(e)]

    def _combine(self, node: r.RExpr, got: list[_Cost]) -> _Cost:
        if isinstance(node, r.ValueRef):
            inner = self.of_value.get(node.name, _FOLDED)  # a cycle (E310) was reported
            if inner.folds:
                return inner
            return _Cost(False, inner.depth + 1, inner.nodes + 1, inner.reported)
        reported = any(c.reported for c in got)
        folds = all(c.folds for c in got) and (
            isinstance(node, (r.Const, r.TextConst, r.BoolConst, r.Symbol, r.Binary, r.Negate))
            or (isinstance(node, r.Function) and node.fn != "at_least")
            or (isinstance(node, r.KeyedValue) and node.kind == "segment")
        )
        if folds:
            return _REPORTED if reported else _FOLDED
        depth = 1 + max((c.depth for c in got), default=0)
        return _Cost(False, depth, 1 + sum(c.nodes for c in got), reported)


def _aggregate(fn: str, arg: _Size) -> _Size:
    """An aggregate over at most a million entities of ``arg``."""
    if fn in ("sum", "mean"):
        den = arg.den + 6 if arg.decimal else 2 * arg.den + 6
        return _sized(arg.mag + 6, den, arg.decimal and fn == "sum")
    if fn in ("min", "max"):
        return arg
    if fn == "count":
        return _sized(6.0, 0.0, True)
    if fn == "share":
        return _sized(0.0, 6.0, False)
    if fn == "cv":
        return _sized(6.0, 2 * (arg.mag + arg.den) + 12, False)
    return _BOOL


def _children(node: r.RExpr) -> tuple[r.RExpr, ...]:
    """The operands whose digits ``node``'s digits depend on (or that are computed)."""
    of = _OPERANDS.get(type(node))
    return () if of is None else of(node)


# One entry per node type with operands (a dictionary: this runs for every node of a
# 36,000-value file); the others are leaves.
_OPERANDS: dict[type, Callable[[Any], tuple[r.RExpr, ...]]] = {
    r.Negate: lambda x: (x.operand,),
    r.Not: lambda x: (x.operand,),
    r.Binary: lambda x: (x.left, x.right),
    r.Comparison: lambda x: (x.left, x.right),
    r.Logic: lambda x: (x.left, x.right),
    r.Membership: lambda x: (x.left, *x.items),
    r.Conditional: lambda x: (x.cond, x.then, x.orelse),
    r.ListOf: lambda x: x.items,
    r.Aggregate: lambda x: x.args if x.where is None else (*x.args, x.where),
    r.Function: lambda x: x.args,
    r.KeyedValue: lambda x: tuple(entry.value for entry in x.entries),
    r.DatedValue: lambda x: tuple(p.value for p in x.periods if p.value is not None),
}


def _too_large(where: str, digits: int, span: Span | None) -> Diagnostic:
    return Diagnostic(
        "E320",
        f"{where} may need numbers of up to {digits:,} digits (the limit is {MAX_DIGITS:,})",
        span,
        CHAIN_HINT,
    )


def _too_costly(where: str, cost: _Cost, span: Span | None) -> Diagnostic | None:
    """E320 when evaluating something nests or grows beyond the limits, else None."""
    if cost.depth > MAX_NESTING:
        what = f"nest {cost.depth:,} deep (the limit is {MAX_NESTING})"
    elif cost.nodes > MAX_NODES:
        what = f"take {cost.nodes:,} steps to evaluate (the limit is {MAX_NODES:,})"
    else:
        return None
    return Diagnostic(
        "E320",
        f"{where}: with the named values it uses written out, its expressions {what}",
        span,
        NESTING_HINT,
    )


def costly(values: Mapping[str, r.NamedValue], rules: Iterable[r.CheckedRule]) -> list[Diagnostic]:
    """``E320`` for every named value and rule whose evaluation, with the named values
    it uses written out, would nest more than :data:`MAX_NESTING` deep or take more than
    :data:`MAX_NODES` steps.  Values the engine folds into constants cost nothing
    (36,000 values each adding 1 to the one before are fine); values that depend on the
    date or the entity (``dated``, ``by location``) are evaluated for each entity, as
    deep as their chain.

    Args:
        values: the checked named values, in dependency order.
        rules: every checked item, part and rule.

    Returns:
        The diagnostics, values first; what builds on a reported value is not reported.
    """
    costs = _Costs(values)
    out: list[Diagnostic] = []
    for name, named in values.items():
        cost = costs.cost(named.value)
        costs.of_value[name] = cost
        problem = _too_costly(f"value '{name}'", cost, named.span)
        if problem is not None and not cost.reported:
            out.append(problem)
        if problem is not None or cost.reported:
            costs.of_value[name] = _REPORTED  # what builds on it is not reported again
    for rule in rules:
        exprs = [rule.applies, rule.require, rule.basically, rule.margin]
        exprs += [e for _, e in rule.reports] + [e for _, e in rule.lets]
        worst = _Cost(False, 0, 0)
        for x in exprs:
            if x is not None:
                c = costs.cost(x)
                worst = _Cost(
                    False,
                    max(worst.depth, c.depth),
                    max(worst.nodes, c.nodes),
                    worst.reported or c.reported,
                )
        problem = _too_costly(f"{rule.kind} '{rule.id}'", worst, rule.span)
        if problem is not None and not worst.reported:
            out.append(problem)
    return out


def oversized(
    values: Mapping[str, r.NamedValue], rules: Iterable[r.CheckedRule]
) -> list[Diagnostic]:
    """``E320`` for every named value, ``let`` and rule expression whose numbers can
    exceed :data:`MAX_DIGITS` digits (the first offending ``let`` of a rule only).

    Args:
        values: the checked named values.
        rules: every checked item, part and rule (parts after their item).

    Returns:
        The diagnostics, in the order of the values and then the rules.
    """
    # Once reported, a value or let counts as an ordinary figure, and what builds on it
    # is not reported again: a chain is reported once, where it first goes too far.
    bounds = _Bounds(values)
    out: list[Diagnostic] = []
    for name, named in values.items():  # dependency order: the checker's
        size, most = bounds.bound(named.value, {})
        bounds.sizes[name] = size
        if most > MAX_DIGITS or bounds.read_reported:
            if not bounds.read_reported:
                out.append(_too_large(f"value '{name}'", most, named.span))
            bounds.sizes[name] = _DATA
            bounds.reported.add(name)
    item_lets: dict[int, dict[str, _Size]] = {}
    for rule in rules:
        lets = dict(item_lets.get(id(rule), {}))
        worst = 0
        for name, e in rule.lets:
            lets[name], most = bounds.bound(e, lets)
            if most > MAX_DIGITS and not bounds.read_reported:
                worst = max(worst, most)
            if most > MAX_DIGITS or bounds.read_reported:
                lets[name] = _DATA
        for part in rule.parts:
            item_lets[id(part)] = lets
        exprs = [rule.applies, rule.require, rule.basically, rule.margin]
        exprs += [e for _, e in rule.reports]
        for x in exprs:
            if x is not None:
                most = bounds.bound(x, lets)[1]
                if not bounds.read_reported:
                    worst = max(worst, most)
        if worst > MAX_DIGITS:
            out.append(_too_large(f"{rule.kind} '{rule.id}'", worst, rule.span))
    return out
