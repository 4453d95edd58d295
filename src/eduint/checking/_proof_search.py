"""The grid search of the strictness proof: an entity that passes one rule and fails the
other, over the breakpoints of each quantity.

The truth of both rules depends only on where each quantity lies among its breakpoints
(the constants either rule compares it with), so the line of each quantity is cut into
*elementary regions* — the breakpoints themselves and the open intervals between them,
within the quantity's domain (non-negative; whole numbers for a count) — and a
counterexample exists iff one exists on the grid of one representative per region.

Two reductions keep the grid small, both exact:

* regions in which every atom on the quantity has the same truth are one candidate;
* when a quantity appears only *increasingly* in both rules (every comparison ``>=``/``>``
  under an even number of ``not``, or ``<=``/``<`` under an odd number), both rules are
  monotone in it, and a counterexample can always be moved to the lowest point of its
  region *of the passing rule's own breakpoints* (the passing rule's atoms keep their
  truth; the failing rule can only fail more); decreasingly, to the highest.  So only
  the passing rule's breakpoints (plus the worst value) are tried: 3 per indicator for the
  6-of-7 rule, 3⁷ = 2,187 points.

Above :data:`MAX_POINTS` points the search gives up (the proof is then undecided).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction

import attrs

from eduint.checking._proof_formula import (
    And,
    AtLeast,
    Atom,
    Formula,
    Free,
    Neg,
    Or,
    Quantity,
    Registry,
    RuleFormulas,
    Truth,
)

__all__ = [
    "MAX_POINTS",
    "Found",
    "Region",
    "Searcher",
    "TooLarge",
    "atoms_of",
    "compile_formula",
    "unknowns_of",
]

#: The largest grid searched (points); above it the proof is undecided.
MAX_POINTS = 250_000

#: How many distinct grid counterexamples are kept to try building data from.
MAX_FOUND = 12

_Z0 = "Z0"  # a ratio Q1/Q2 with Q2 = 0 and Q1 = 0
_ZP = "Z+"  # a ratio Q1/Q2 with Q2 = 0 and Q1 > 0


@attrs.frozen
class Region:
    """A set of values of one quantity on which every atom has the same truth.

    Attributes:
        lo, hi: the bounds (``None``: unbounded).
        lo_closed, hi_closed: whether the bounds belong to the region.
        sample: one member (for a ratio whose denominator is 0, ``"Z0"``/``"Z+"``).
        integer: True when only whole numbers count.
    """

    lo: Fraction | None
    lo_closed: bool
    hi: Fraction | None
    hi_closed: bool
    sample: Fraction | str
    integer: bool = False

    def contains(self, x: Fraction) -> bool:
        """Whether ``x`` is in the region (and whole, for an integer region)."""
        if self.integer and x.denominator != 1:
            return False
        if self.lo is not None and (x < self.lo or (x == self.lo and not self.lo_closed)):
            return False
        return not (self.hi is not None and (x > self.hi or (x == self.hi and not self.hi_closed)))

    def describe(self) -> str:
        """``[0.5, 0.6)``, ``{4.2}``, ``[0, ∞)``."""
        if isinstance(self.sample, str):
            return "denominator 0" + (", numerator 0" if self.sample == _Z0 else "")
        if self.lo is not None and self.lo == self.hi:
            return f"{{{self.lo}}}"
        lo = "(-∞" if self.lo is None else ("[" if self.lo_closed else "(") + str(self.lo)
        hi = "∞)" if self.hi is None else str(self.hi) + ("]" if self.hi_closed else ")")
        return f"{lo}, {hi}"


def _holds(x: Fraction | str, op: str, c: Fraction) -> bool:
    if isinstance(x, str):  # Q1 op c * 0, with Q1 = 0 or Q1 > 0
        lhs, c = (Fraction(0) if x == _Z0 else Fraction(1)), Fraction(0)
    else:
        lhs = x
    return {
        ">=": lhs >= c,
        ">": lhs > c,
        "<=": lhs <= c,
        "<": lhs < c,
        "==": lhs == c,
        "!=": lhs != c,
    }[op]


def _elementary(q: Quantity, cuts: Sequence[Fraction]) -> list[Region]:
    """The breakpoints and the open intervals between them, in the quantity's domain."""
    lo_bound = Fraction(0) if q.nonneg else None
    points = sorted({c for c in cuts if lo_bound is None or c >= lo_bound})
    if lo_bound is not None and (not points or points[0] != lo_bound):
        points.insert(0, lo_bound)
    out: list[Region | None] = []
    prev: Fraction | None = None
    for p in [*points, None]:
        if prev is None and p is not None and lo_bound is None:
            out.append(_interval(None, p, q.integer))
        elif prev is not None:
            out.append(_interval(prev, p, q.integer))
        if p is not None and (not q.integer or p.denominator == 1):
            out.append(Region(p, True, p, True, p, q.integer))
        prev = p if p is not None else prev
    if not points:
        out.append(_interval(None, None, q.integer))
    regions = [r for r in out if r is not None]
    if q.ratio is not None:
        regions += [Region(None, False, None, False, _Z0), Region(None, False, None, False, _ZP)]
    return regions


def _interval(lo: Fraction | None, hi: Fraction | None, integer: bool) -> Region | None:
    """The open interval ``(lo, hi)`` with a sample inside, or ``None`` when it holds no
    member of the domain."""
    if lo is None and hi is None:
        sample = Fraction(0)
    elif lo is None:
        assert hi is not None
        sample = Fraction(math.ceil(hi) - 1) if integer else hi - 1
    elif hi is None:
        sample = Fraction(math.floor(lo) + 1) if integer else lo + 1
    elif integer:
        first = math.floor(lo) + 1
        if first >= hi:
            return None
        sample = Fraction(first)
    else:
        sample = (lo + hi) / 2
    return Region(lo, False, hi, False, sample, integer)


@attrs.frozen
class Found:
    """A grid point where the passing rule passes and the failing one fails.

    Attributes:
        regions: quantity index → the widest region around the point on which no atom
            changes truth (the data may take any value in it).
        free: free-condition index → its truth.
        fields: for free conditions on an enum field, field name → the value chosen.
        outcomes: (failing rule's outcome, passing rule's outcome) at the point, as
            :class:`~eduint.engine.results.Outcome` values (``None``: no verdict).
    """

    regions: dict[int, Region]
    free: dict[int, bool]
    outcomes: tuple[str | None, str | None]
    fields: dict[str, str] = attrs.field(factory=dict)


@attrs.frozen
class _Var:
    """The free conditions decided together: one plain condition, or every condition on
    one enum field (its options are the field's values, one per distinct truth vector)."""

    conds: tuple[int, ...]
    options: tuple[tuple[bool, ...], ...]
    labels: tuple[str | None, ...]
    field: str | None = None


def _variables(reg: Registry) -> list[_Var]:
    out: list[_Var] = []
    by_field: dict[str, list[int]] = {}
    for i, cond in enumerate(reg.free):
        if cond.field is None:
            out.append(_Var((i,), ((False,), (True,)), (None, None)))
        else:
            by_field.setdefault(cond.field.name, []).append(i)
    for name, conds in by_field.items():
        field = reg.free[conds[0]].field
        assert field is not None and field.enum is not None
        seen: dict[tuple[bool, ...], str] = {}
        for m in field.enum:
            vec = tuple(m.value in reg.free[i].true_for for i in conds)
            seen.setdefault(vec, m.value)
        out.append(_Var(tuple(conds), tuple(seen), tuple(seen.values()), name))
    return out


@attrs.frozen
class TooLarge:
    """The grid has more than :data:`MAX_POINTS` points."""

    points: int


# ------------------------------------------------------------------ compiled


def compile_formula(
    f: Formula, atom_index: Callable[[Atom], int]
) -> Callable[[Sequence[bool], Sequence[bool]], bool | None]:
    """``f`` as a function of the atoms' truth values (``atoms[atom_index(a)]``) and the
    free conditions' (``free[i]``), in Kleene logic."""
    match f:
        case Atom():
            i = atom_index(f)
            return lambda atoms, free: atoms[i]
        case Free(i):
            return lambda atoms, free: free[i]
        case Truth(value):
            return lambda atoms, free: value
        case Neg(item):
            g = compile_formula(item, atom_index)

            def neg(atoms: Sequence[bool], free: Sequence[bool]) -> bool | None:
                x = g(atoms, free)
                return None if x is None else not x

            return neg
        case And(items) | Or(items):
            gs = [compile_formula(x, atom_index) for x in items]
            stop = isinstance(f, Or)

            def andor(atoms: Sequence[bool], free: Sequence[bool]) -> bool | None:
                unknown = False
                for g in gs:
                    x = g(atoms, free)
                    if x is stop:
                        return stop
                    if x is None:
                        unknown = True
                return None if unknown else not stop

            return andor
        case AtLeast(k, items):
            gs = [compile_formula(x, atom_index) for x in items]

            def at_least(atoms: Sequence[bool], free: Sequence[bool]) -> bool | None:
                yes = unknown = 0
                for g in gs:
                    x = g(atoms, free)
                    if x is True:
                        yes += 1
                    elif x is None:
                        unknown += 1
                if yes >= k:
                    return True
                return False if yes + unknown < k else None

            return at_least
    raise AssertionError(f)  # pragma: no cover


def atoms_of(f: Formula, sign: int = 1) -> list[tuple[Atom, int]]:
    """Every atom of ``f`` with its polarity (+1 under an even number of ``not``)."""
    out: list[tuple[Atom, int]] = []
    stack: list[tuple[Formula, int]] = [(f, sign)]
    while stack:
        x, s = stack.pop()
        match x:
            case Atom():
                out.append((x, s))
            case Neg(item):
                stack.append((item, -s))
            case And(items) | Or(items) | AtLeast(_, items):
                stack.extend((i, s) for i in items)
    return out


def unknowns_of(f: Formula) -> list[Truth]:
    """The unknown constants of ``f`` (no value in force)."""
    out: list[Truth] = []
    stack: list[Formula] = [f]
    while stack:
        x = stack.pop()
        match x:
            case Truth(None):
                out.append(x)
            case Neg(item):
                stack.append(item)
            case And(items) | Or(items) | AtLeast(_, items):
                stack.extend(items)
    return out


class _Side:
    """One rule's formulas compiled over the shared atom table."""

    def __init__(self, f: RuleFormulas, index: Callable[[Atom], int]):
        self.applies = compile_formula(f.applies, index)
        self.require = compile_formula(f.require, index) if f.require is not None else None
        self.basically = compile_formula(f.basically, index) if f.basically is not None else None
        parts = [x for x in (f.require, f.basically) if x is not None]
        unknowns = [u for x in parts for u in unknowns_of(x)]
        # unknown because of a report-only period: no verdict; else 缺少数据
        self.no_verdict = bool(unknowns) and all(u.report_only for u in unknowns)

    def outcome(self, atoms: Sequence[bool], free: Sequence[bool]) -> tuple[int, str | None] | None:
        """(rank, outcome): 达到/不适用/no verdict 2, 基本达到 1, 未达到 0; ``None`` for
        缺少数据."""
        a = self.applies(atoms, free)
        if a is False:
            return 2, "不适用"
        if a is None:
            return None
        if self.require is None:
            return 2, None
        r = self.require(atoms, free)
        if r is True:
            return 2, "达到"
        if r is None:
            return (2, None) if self.no_verdict else None
        if self.basically is not None:
            b = self.basically(atoms, free)
            if b is True:
                return 1, "基本达到"
            if b is None:
                return None
        return 0, "未达到"


class Searcher:
    """The grid of one comparison (one key, one period) of two rules."""

    def __init__(self, reg: Registry, parent: RuleFormulas, child: RuleFormulas):
        self.reg = reg
        self.table: dict[Atom, int] = {}
        occurrences: dict[int, list[tuple[Atom, int, str]]] = {}
        for who, f in (("parent", parent), ("child", child)):
            signed = [(f.applies, -1), (f.require, 1), (f.basically, 1)]
            for formula, sign in signed:
                if formula is None:
                    continue
                for atom, s in atoms_of(formula, sign):
                    self.table.setdefault(atom, len(self.table))
                    occurrences.setdefault(atom.q, []).append((atom, s, who))
        self.occ = occurrences
        index = self.table.__getitem__
        self.sides = {"parent": _Side(parent, index), "child": _Side(child, index)}
        self.known = not any(
            unknowns_of(x)
            for f in (parent, child)
            for x in (f.applies, f.require, f.basically)
            if x is not None
        )
        self.regions = {
            q: _elementary(reg.quantities[q], [a.c for a, _, _ in occ])
            for q, occ in occurrences.items()
        }

    def _atoms(self, q: int) -> list[Atom]:
        return list(dict.fromkeys(a for a, _, _ in self.occ[q]))

    def _vector(self, q: int, region: Region, who: str | None) -> tuple[bool, ...]:
        return tuple(
            _holds(region.sample, a.op, a.c)
            for a in self._atoms(q)
            if who is None or any(w == who for x, _, w in self.occ[q] if x == a)
        )

    def _direction(self, q: int) -> int:
        """+1 when both rules rise with the quantity, -1 when they fall, 0 otherwise."""
        if self.reg.quantities[q].ratio is not None or not self.known:
            return 0
        dirs = set()
        for atom, sign, _ in self.occ[q]:
            d = {">=": 1, ">": 1, "<=": -1, "<": -1}.get(atom.op, 0)
            dirs.add(d * sign)
        return dirs.pop() if len(dirs) == 1 and 0 not in dirs else 0

    def candidates(self, q: int, passing: str) -> list[int]:
        """The regions of quantity ``q`` to try (indices into ``self.regions[q]``)."""
        regions = self.regions[q]
        d = self._direction(q)
        if d == 0:
            seen: dict[tuple[bool, ...], int] = {}
            for i, r in enumerate(regions):
                seen.setdefault(self._vector(q, r, None), i)
            return sorted(seen.values())
        runs: list[list[int]] = []
        last: tuple[bool, ...] | None = None
        for i, r in enumerate(regions):
            v = self._vector(q, r, passing)
            if runs and v == last:
                runs[-1].append(i)
            else:
                runs.append([i])
            last = v
        return [run[0] if d > 0 else run[-1] for run in runs]

    def widen(self, q: int, i: int) -> Region:
        """The widest run of consecutive regions around region ``i`` with the same truth of
        every atom, as one region (a ratio's zero-denominator regions stay as they are)."""
        regions = self.regions[q]
        r = regions[i]
        if isinstance(r.sample, str):
            return r
        v = self._vector(q, r, None)

        def same(j: int) -> bool:
            x = regions[j]
            return not isinstance(x.sample, str) and self._vector(q, x, None) == v

        lo = hi = i
        while lo > 0 and same(lo - 1):
            lo -= 1
        while hi + 1 < len(regions) and same(hi + 1):
            hi += 1
        a, b = regions[lo], regions[hi]
        return Region(a.lo, a.lo_closed, b.hi, b.hi_closed, r.sample, r.integer)

    def search(self, passing: str) -> list[Found] | TooLarge:
        """Grid points where rule ``passing`` (``"child"`` or ``"parent"``) has a better
        outcome than the other (up to :data:`MAX_FOUND`)."""
        failing = "parent" if passing == "child" else "child"
        qs = sorted(self.occ)
        cands = [self.candidates(q, passing) for q in qs]
        variables = _variables(self.reg)
        size = math.prod(len(c) for c in cands) * math.prod(len(v.options) for v in variables)
        if size > MAX_POINTS:
            return TooLarge(size)
        vectors = [
            [self._full(q, self.regions[q][i]) for i in c] for q, c in zip(qs, cands, strict=True)
        ]
        found: list[Found] = []
        good, bad = self.sides[passing], self.sides[failing]
        atoms: list[bool] = [False] * len(self.table)
        free: list[bool] = [False] * len(self.reg.free)
        for opts in _product([len(v.options) for v in variables]):
            for v, o in zip(variables, opts, strict=True):
                for i, truth in zip(v.conds, v.options[o], strict=True):
                    free[i] = truth
            for choice in _product([len(c) for c in cands]):
                for k, j in enumerate(choice):
                    for idx, truth in vectors[k][j]:
                        atoms[idx] = truth
                g, b = good.outcome(atoms, free), bad.outcome(atoms, free)
                if g is None or b is None or g[0] <= b[0]:
                    continue
                regions = {
                    q: self.widen(q, cands[k][j])
                    for k, (q, j) in enumerate(zip(qs, choice, strict=True))
                }
                fields = {
                    v.field: label
                    for v, o in zip(variables, opts, strict=True)
                    if v.field is not None and (label := v.labels[o]) is not None
                }
                found.append(Found(regions, dict(enumerate(free)), (b[1], g[1]), fields))
                if len(found) >= MAX_FOUND:
                    return found
        return found

    def _full(self, q: int, region: Region) -> list[tuple[int, bool]]:
        return [(self.table[a], _holds(region.sample, a.op, a.c)) for a in self._atoms(q)]


def _product(sizes: Sequence[int]) -> Iterator[tuple[int, ...]]:
    return itertools.product(*(range(n) for n in sizes))


def constant_formula(f: Formula | None) -> bool:
    """True when ``f`` has no atom (its truth does not depend on the data)."""
    return f is None or isinstance(f, Truth) or not atoms_of(f)
