"""Checked expressions as rule text, for explanations (:mod:`eduint.engine.explain`):
the names as written, fields by their Chinese labels, numbers with their units.  Not a
printer of the language (that one prints the parsed AST, :mod:`eduint.language.printer`):
a checked expression has lost its spelling, so this one prints what the checker kept."""

from __future__ import annotations

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
    KeyedValue,
    LetRef,
    ListOf,
    Logic,
    Membership,
    Negate,
    Not,
    OutcomeRef,
    RExpr,
    Symbol,
    TextConst,
    ValueRef,
)

__all__ = ["KINDS", "expr_text"]


def _const_text(e: Const) -> str:
    unit = str(e.type.unit)
    num = format(e.value, "f")
    if not unit or e.type.literal:
        return num
    return f"{num}{unit}" if unit in ("%", "‰") else f"{num} {unit}"


def _paren(e: RExpr) -> str:
    t = expr_text(e)
    return f"({t})" if isinstance(e, (Binary, Logic, Conditional)) else t


def expr_text(e: RExpr) -> str:  # noqa: C901 - one case per node type
    """A checked expression as rule text (names as written, Chinese field labels)."""
    match e:
        case Const():
            return _const_text(e)
        case TextConst(value):
            return f'"{value}"'
        case BoolConst(value):
            return "true" if value else "false"
        case Symbol(value):
            return value
        case FieldRef(field=info):
            return info.label or info.name
        case LetRef(name) | ValueRef(name):
            return name
        case Negate(operand):
            return f"-{_paren(operand)}"
        case Not(operand):
            return f"not {_paren(operand)}"
        case Binary(op, left, right):
            return f"{_paren(left)} {op} {_paren(right)}"
        case Comparison():
            return e.text or f"{expr_text(e.left)} {e.op} {expr_text(e.right)}"
        case Logic(op, left, right):
            return f"{expr_text(left)} {op} {expr_text(right)}"
        case Membership(left, items):
            return f"{_paren(left)} in [{', '.join(expr_text(i) for i in items)}]"
        case Conditional(cond, then, orelse):
            return f"if {expr_text(cond)} then {expr_text(then)} else {expr_text(orelse)}"
        case ListOf(items):
            return "[" + ", ".join(expr_text(i) for i in items) + "]"
        case Aggregate(fn, args, over, where):
            inner = ", ".join(expr_text(a) for a in args)
            tail = f" where {expr_text(where)}" if where is not None else ""
            return f"{fn}({inner + ' ' if inner else ''}over {over.label}{tail})"
        case Function(fn, args):
            return f"{fn}({', '.join(expr_text(a) for a in args)})"
        case KeyedValue(kind):
            return f"by {kind} {{…}}"
        case DatedValue():
            return "dated {…}"
        case OutcomeRef(rule):
            return f"outcome({rule})"
    return "?"  # pragma: no cover - every node type is listed


#: The :attr:`~eduint.engine.explain.Step.kind` of each expression node type.
KINDS: dict[type, str] = {
    Const: "const",
    TextConst: "text",
    BoolConst: "const",
    Symbol: "text",
    FieldRef: "figure",
    LetRef: "let",
    ValueRef: "value",
    Negate: "arith",
    Binary: "arith",
    Not: "not",
    Comparison: "compare",
    Logic: "logic",
    Membership: "member",
    Conditional: "if",
    ListOf: "list",
    Aggregate: "aggregate",
    Function: "function",
    KeyedValue: "keyed",
    DatedValue: "dated",
    OutcomeRef: "outcome",
}
