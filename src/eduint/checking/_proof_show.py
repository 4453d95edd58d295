"""Showing the strictness proof's numbers and expressions as rule text.

``show_number`` writes an exact rational in a unit (``3.57 人/百人``, ``85%``, ``1/3``);
``show_expr`` a substituted expression with fields by their Chinese labels
(``cv(per100(高于规定学历教师数, 在校生数) over 学段)``).
"""

from __future__ import annotations

from fractions import Fraction

from eduint.checking.ruleset import (
    Aggregate,
    Binary,
    Comparison,
    FieldRef,
    Function,
    Logic,
    Membership,
    Negate,
    Not,
    RExpr,
)
from eduint.checking.schema import ScopeKind
from eduint.checking.strictness import show_value
from eduint.core.units import Unit

__all__ = ["decimal_text", "show_expr", "show_number"]


def show_number(c: Fraction, unit: Unit) -> str:
    """``c`` (canonical units) in ``unit``: ``3.57 人/百人``, ``85%``, ``1/3``."""
    x = c / unit.scale
    text = decimal_text(x)
    u = str(unit)
    if not unit.describe() or u == "1":
        return text
    return f"{text}{u}" if u in ("%", "‰") else f"{text} {u}"


def decimal_text(x: Fraction) -> str:
    """A fraction as a finite decimal when it has one, else ``p/q``."""
    d = x.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"{x.numerator}/{x.denominator}"
    places = max(twos, fives)
    scaled = x * 10**places
    assert scaled.denominator == 1
    n = abs(scaled.numerator)
    digits = str(n).rjust(places + 1, "0")
    text = digits if places == 0 else f"{digits[:-places]}.{digits[-places:]}"
    return ("-" if x < 0 else "") + text


#: How rule files name the entities an aggregate ranges over.
_OVER = {ScopeKind.SEGMENT: "学段", ScopeKind.SCHOOL: "学校", ScopeKind.CLASS: "班级"}


def show_expr(e: RExpr) -> str:  # noqa: C901 - one case per node type
    """A substituted expression as short rule text, fields by their Chinese label."""
    match e:
        case FieldRef(field=f):
            return f.label or f.name
        case Function(fn, args):
            return f"{fn}({', '.join(show_expr(a) for a in args)})"
        case Aggregate(fn, args, over, where):
            inner = ", ".join(show_expr(a) for a in args)
            word = _OVER.get(over, over.label)
            text = f"{inner} over {word}" if inner else f"over {word}"
            if where is not None:
                text += f" where {show_expr(where)}"
            return f"{fn}({text})"
        case Binary(op, left, right):
            return f"{_show_operand(left)} {op} {_show_operand(right)}"
        case Comparison(op, left, right):
            return f"{show_expr(left)} {op} {show_expr(right)}"
        case Membership(left, items):
            return f"{show_expr(left)} in [{', '.join(show_expr(x) for x in items)}]"
        case Logic(op, left, right):
            return f"({show_expr(left)} {op} {show_expr(right)})"
        case Not(operand):
            return f"not {show_expr(operand)}"
        case Negate(operand):
            return f"-{_show_operand(operand)}"
    return show_value(e)


def _show_operand(e: RExpr) -> str:
    text = show_expr(e)
    return f"({text})" if isinstance(e, Binary) else text
