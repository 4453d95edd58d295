"""The canonical printer: :func:`unparse` turns an AST back into rule text.

The output is stable (printing a parsed printout gives the same text) and
faithful: ``parse(unparse(tree)) == tree`` for every tree the parser produces.
Layout is canonical -- two-space indentation, one property per line, ASCII
operators (``>=`` for ``≥``, ``*`` for ``×``), ``"..."`` quotes -- so that
``eduint fmt`` gives every rule file the same shape.  Comments that stand on
their own line are kept before the declaration, member or property they
precede; a comment at the end of a line stays at the end of that statement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from eduint._compat import assert_never
from eduint.language import nodes as n
from eduint.language.diagnostics import Span

__all__ = ["unparse", "unparse_expr"]

INDENT = "  "

_NUMBER_RE = re.compile(r"\d+(\.\d+)?")
_NAME_RE = re.compile(r"[^\W\d]\w*")

# Operator precedence, loosest first: if < or < and < not < compare < sum < product < neg.
_PREC_IF, _PREC_OR, _PREC_AND, _PREC_NOT, _PREC_CMP, _PREC_SUM, _PREC_PROD, _PREC_NEG = range(8)
_PREC_ATOM = 9


def _quote(text: str) -> str:
    for open_, close in (('"', '"'), ("“", "”"), ("「", "」")):
        if open_ not in text and close not in text:
            return f"{open_}{text}{close}"
    raise ValueError(f"text cannot be quoted in a rule file: {text!r}")


def _label(label: n.Label) -> str:
    text = label.text
    if _NUMBER_RE.fullmatch(text) or (_NAME_RE.fullmatch(text) and text not in _keywords()):
        return text
    return _quote(text)


def _keywords() -> frozenset[str]:
    from eduint.language.parser import (
        keywords,  # late import: the printer does not need lark to load
    )

    return keywords()


# ---------------------------------------------------------------- expressions


def unparse_expr(expr: n.Expr, indent: int = 0) -> str:
    """Print one expression in canonical form.

    Args:
        expr: the expression node.
        indent: the indentation level used for multi-line ``by``/``dated`` values.
    """
    return _expr(expr, indent, 0)


def _wrap(text: str, prec: int, need: int) -> str:
    return f"({text})" if prec < need else text


def _expr(e: n.Expr, ind: int, need: int) -> str:
    match e:
        case n.Number(text, unit):
            if unit is None:
                return text
            return f"{text}{unit}" if unit in ("%", "‰") else f"{text} {unit}"
        case n.String(value):
            return _quote(value)
        case n.Bool(value):
            return "true" if value else "false"
        case n.Path(parts):
            return ".".join(parts)
        case n.Neg(operand):
            return _wrap("-" + _expr(operand, ind, _PREC_NEG), _PREC_NEG, need)
        case n.Not(operand):
            return _wrap("not " + _expr(operand, ind, _PREC_NOT), _PREC_NOT, need)
        case n.BinOp(op, left, right):
            prec = _PREC_SUM if op in "+-" else _PREC_PROD
            text = f"{_expr(left, ind, prec)} {op} {_expr(right, ind, prec + 1)}"
            return _wrap(text, prec, need)
        case n.BoolOp(op, left, right):
            prec = _PREC_OR if op == "or" else _PREC_AND
            text = f"{_expr(left, ind, prec)} {op} {_expr(right, ind, prec + 1)}"
            return _wrap(text, prec, need)
        case n.Compare(op, left, right):
            text = f"{_expr(left, ind, _PREC_SUM)} {op} {_expr(right, ind, _PREC_SUM)}"
            return _wrap(text, _PREC_CMP, need)
        case n.In(left, items):
            text = f"{_expr(left, ind, _PREC_SUM)} in {_expr(items, ind, _PREC_ATOM)}"
            return _wrap(text, _PREC_CMP, need)
        case n.IfExpr(cond, then, orelse):
            text = (
                f"if {_expr(cond, ind, 0)} then {_expr(then, ind, 0)} else {_expr(orelse, ind, 0)}"
            )
            return _wrap(text, _PREC_IF, need)
        case n.ListExpr(items):
            return "[" + ", ".join(_expr(i, ind, 0) for i in items) + "]"
        case n.Call(name, args, over, where):
            inner = ", ".join(_expr(a, ind, 0) for a in args)
            if over is not None:
                inner += (" " if inner else "") + f"over {over}"
            if where is not None:
                inner += (" " if inner else "") + f"where {_expr(where, ind, 0)}"
            return f"{name}({inner})"
        case n.Keyed(kind, entries):
            pad = INDENT * (ind + 1)
            lines = [f"by {kind} {{"]
            for i, entry in enumerate(entries):
                keys = ", ".join(entry.keys)
                # The comma between entries is optional in the grammar but not
                # here: without it a key such as 班额 after a number would lex as
                # the unit 班 ("45 班" + "额"), and a key such as `from` as a keyword.
                sep = "," if i < len(entries) - 1 else ""
                value = _expr(entry.value, ind + 1, 0)
                lines.append(f"{pad}{keys}: {value}{_meta(entry.meta)}{sep}")
            lines.append(INDENT * ind + "}")
            return "\n".join(lines)
        case n.Dated(periods):
            pad = INDENT * (ind + 1)
            lines = ["dated {"]
            for p in periods:
                rng = " ".join(
                    s
                    for s in (
                        f"from {p.start.isoformat()}" if p.start else "",
                        f"until {p.end.isoformat()}" if p.end else "",
                    )
                    if s
                )
                val = "report_only" if p.value is None else _expr(p.value, ind + 1, 0)
                lines.append(f"{pad}{rng}: {val}{_meta(p.meta)}")
            lines.append(INDENT * ind + "}")
            return "\n".join(lines)
        case _:
            assert_never(e)


def _meta(meta: Sequence[n.Meta]) -> str:
    return "".join(" " + _annotation(m) for m in meta)


def _annotation(m: n.Meta) -> str:
    match m:
        case n.Source(document, text):
            parts = ["source"]
            if document is not None:
                parts.append(document)
            if text is not None:
                parts.append(_quote(text))
            return " ".join(parts)
        case n.Provisional(reason):
            if reason is None:
                return "provisional"
            return f"provisional {_quote(reason)}{_en(m.reason_en)}"
        case n.Note(text):
            return f"note {_quote(text)}{_en(m.text_en)}"
        case n.Placeholder(reason):
            if reason is None:
                return "placeholder"
            return f"placeholder {_quote(reason)}{_en(m.reason_en)}"
        case _:
            assert_never(m)


def _because(b: n.Because) -> str:
    """`` because DOC "article" until DATE``."""
    parts = ["because"]
    if b.document is not None:
        parts.append(b.document)
    if b.text is not None:
        parts.append(_quote(b.text))
    if b.until is not None:
        parts.append(f"until {b.until.isoformat()}")
    return " " + " ".join(parts)


def _name(text: str) -> str:
    """A name or path as written bare when the grammar reads it back as one, else quoted."""
    if _NAME_RE.fullmatch(text) and text not in _keywords():
        return text
    return _quote(text)


def _value_override(o: n.ValueOverride, ind: int) -> str:
    """``override value NAME.KEY from D until D = EXPR …`` (``relax`` with ``because``)."""
    word = "relax" if o.because is not None else "override"
    rng = "".join(
        f" {w} {d.isoformat()}" for w, d in (("from", o.start), ("until", o.end)) if d is not None
    )
    text = f"{word} {o.target} {o.dotted}{rng} = {_expr(o.value, ind, 0)}{_meta(o.meta)}"
    return text + (_because(o.because) if o.because is not None else "")


def _en(text: str | None) -> str:
    """`` en "…"``: the English variant after author text, or nothing."""
    return f" en {_quote(text)}" if text is not None else ""


# ----------------------------------------------------------------- statements


class _Out:
    """Collects output lines and re-inserts comments by source line."""

    def __init__(self, comments: list[n.Comment]) -> None:
        self.lines: list[str] = []
        self.pending = sorted(comments, key=lambda c: c.line)

    def _leading(self, before_line: int, ind: int) -> None:
        while self.pending and self.pending[0].line < before_line:
            c = self.pending.pop(0)
            self.lines.append(INDENT * ind + c.text)

    def stmt(self, text: str, ind: int, span: Span | None) -> None:
        if span is not None:
            self._leading(span.line, ind)
        body = text.split("\n")
        self.lines.append(INDENT * ind + body[0])
        self.lines.extend(body[1:])
        if span is not None:
            trailing = []
            while self.pending and self.pending[0].line <= span.end_line:
                trailing.append(self.pending.pop(0).text)
            if trailing:
                self.lines[-1] += "  " + "  ".join(trailing)

    def close(self, ind: int, span: Span | None, suffix: str = "") -> None:
        if span is not None:
            self._leading(span.end_line, ind + 1)
        self.lines.append(INDENT * ind + "}" + suffix)
        if span is not None:
            trailing = []
            while self.pending and self.pending[0].line <= span.end_line:
                trailing.append(self.pending.pop(0).text)
            if trailing:
                self.lines[-1] += "  " + "  ".join(trailing)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def finish(self) -> str:
        for c in self.pending:
            self.lines.append(c.text)
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def _titled(keyword: str, name: str, title: str | None) -> str:
    return f"{keyword} {name}" + (f" {_quote(title)}" if title is not None else "")


def _prop(p: n.RuleProp | n.RulesetProp | n.DocumentProp | n.FieldProp, ind: int) -> str:
    match p:
        case n.RuleId(name):
            return f"id {name}"
        case n.TitleEn(text):
            return f"title_en {_quote(text)}"
        case n.Scope(words, segments):
            text = "scope " + " ".join(words)
            if segments is not None:
                text += " [" + ", ".join(segments) + "]"
            return text
        case n.Applies(cond, otherwise):
            text = f"applies when {_expr(cond, ind, 0)}"
            if otherwise is None:
                return text
            return f"{text} otherwise {_quote(otherwise)}{_en(p.otherwise_en)}"
        case n.Require(cond):
            return f"require {_expr(cond, ind, 0)}"
        case n.Basically(cond):
            return f"basically {_expr(cond, ind, 0)}"
        case n.Report(name, expr):
            return "report " + (f"{name} = " if name is not None else "") + _expr(expr, ind, 0)
        case n.Let(name, expr):
            return f"let {name} = {_expr(expr, ind, 0)}"
        case n.Source() | n.Provisional() | n.Note() | n.Placeholder():
            return _annotation(p)
        case n.Attested():
            return "attested"
        case n.Veto():
            return "veto"
        case n.Margin(expr):
            return f"margin {_expr(expr, ind, 0)}"
        case n.Combine(expr):
            return f"combine {_expr(expr, ind, 0)}"
        case n.Version(text):
            return f"version {_quote(text)}"
        case n.DerivedFrom(text):
            return f"derived_from {_quote(text)}{_en(p.text_en)}"
        case n.Extends(path):
            return f"extends {_name(path)}"
        case n.DocNumber(text):
            return f"number {_quote(text)}"
        case n.DocDate(value):
            return f"date {value.isoformat()}"
        case n.DocUrl(text):
            return f"url {_quote(text)}"
        case n.LabelEn(text):
            return f"label_en {_quote(text)}"
        case _:
            assert_never(p)


def _props(out: _Out, props: Sequence[n.RuleProp], ind: int) -> None:
    for p in props:
        out.stmt(_prop(p, ind), ind, p.span)


def _member(out: _Out, m: n.ContainerMember | n.Decl, ind: int) -> None:
    match m:
        case n.Section(label, title, members):
            out.stmt(_titled("section", _label(label), title) + " {", ind, _head(m.span))
            _members(out, members, ind + 1)
            out.close(ind, m.span)
        case n.Block(id_, title, members):
            out.stmt(_titled("block", id_, title) + " {", ind, _head(m.span))
            _members(out, members, ind + 1)
            out.close(ind, m.span)
        case n.Item(label, title, members):
            out.stmt(_titled("item", _label(label), title) + " {", ind, _head(m.span))
            for mem in members:
                if isinstance(mem, n.Part):
                    _member_part(out, mem, ind + 1)
                else:
                    out.stmt(_prop(mem, ind + 1), ind + 1, mem.span)
            out.close(ind, m.span)
        case n.Rule(id_, title, props):
            out.stmt(_titled("rule", id_, title) + " {", ind, _head(m.span))
            _props(out, props, ind + 1)
            out.close(ind, m.span)
        case n.Combine() | n.Note() | n.Source() | n.TitleEn():
            out.stmt(_prop(m, ind), ind, m.span)
        case n.Document(id_, title, props):
            out.stmt(_titled("document", id_, title) + " {", ind, _head(m.span))
            for p in props:
                out.stmt(_prop(p, ind + 1), ind + 1, p.span)
            out.close(ind, m.span)
        case n.Setting(name, value, meta):
            out.stmt(f"setting {name} = {_expr(value, ind, 0)}{_meta(meta)}", ind, m.span)
        case n.ValueDecl(name, title, value, meta):
            head = _titled("value", name, title) + (_en(m.title_en) if title is not None else "")
            out.stmt(f"{head} = {_expr(value, ind, 0)}{_meta(meta)}", ind, m.span)
        case n.FieldDecl(scope, name, ftype, label, props):
            unit = ftype.unit if ftype.kind == "unit" and ftype.unit else ftype.kind
            text = f"field {scope}.{name}: {unit}"
            if label is not None:
                text += f" {_quote(label)}"
            if props:
                out.stmt(text + " {", ind, _head(m.span))
                for fp in props:
                    out.stmt(_prop(fp, ind + 1), ind + 1, fp.span)
                out.close(ind, m.span)
            else:
                out.stmt(text, ind, m.span)
        case n.Override(label, props):
            out.stmt(f"override {_label(label)} {{", ind, _head(m.span))
            _props(out, props, ind + 1)
            out.close(ind, m.span)
        case n.Relax(label, props, because):
            out.stmt(f"relax {_label(label)} {{", ind, _head(m.span))
            _props(out, props, ind + 1)
            # `because` goes before any trailing comment, not into it.
            out.close(ind, m.span, suffix=_because(because))
        case n.Drop(label, because):
            out.stmt(f"drop {_label(label)}{_because(because)}", ind, m.span)
        case n.ValueOverride():
            out.stmt(_value_override(m, ind), ind, m.span)
        case _:
            assert_never(m)


def _member_part(out: _Out, part: n.Part, ind: int) -> None:
    out.stmt(_titled("part", _label(part.label), part.title) + " {", ind, _head(part.span))
    _props(out, part.props, ind + 1)
    out.close(ind, part.span)


def _members(out: _Out, members: Sequence[n.ContainerMember], ind: int) -> None:
    prev_big = False
    for m in members:
        big = isinstance(m, (n.Section, n.Block, n.Item, n.Rule))
        if big or prev_big:
            if out.lines and not out.lines[-1].endswith("{"):
                out.blank()
        _member(out, m, ind)
        prev_big = big


def _head(span: Span | None) -> Span | None:
    """The span of a block's first line (trailing comments there stay there)."""
    if span is None:
        return None
    return Span(span.file, span.line, span.column, span.line, span.column + 1)


def unparse(tree: n.RuleFile, *, comments: Sequence[n.Comment] | None = None) -> str:
    """Print a rule file in canonical form.

    Args:
        tree: the parsed (or hand-built) file.
        comments: comments to re-insert, by the source lines the tree's spans
            refer to; ``None`` uses the comments the parser kept on ``tree``.

    Returns:
        The rule text, ending with one newline.

    Raises:
        ValueError: a text value contains every kind of quote and cannot be printed.
    """
    found = list(comments) if comments is not None else list(tree.comments)
    out = _Out(found)
    if tree.header is not None:
        h = tree.header
        out.stmt(_titled("ruleset", h.id, h.title) + " {", 0, _head(h.span))
        for p in h.props:
            out.stmt(_prop(p, 1), 1, p.span)
        out.close(0, h.span)
    for decl in tree.decls:
        big = not isinstance(decl, (n.Setting, n.ValueDecl, n.FieldDecl, n.ValueOverride, n.Drop))
        prev = out.lines[-1] if out.lines else ""
        small: tuple[str, ...] = ("setting ", "value ", "field ", "drop ")
        small += ("override value ", "override setting ", "relax value ", "relax setting ")
        if out.lines and (big or not prev.startswith(small)):
            out.blank()
        _member(out, decl, 0)
    return out.finish()
