"""Private: the lark Transformer that turns a parse tree into :mod:`eduint.language.nodes`.

It only *constructs* nodes: no name lookups, no unit logic.  One method per
grammar rule or alias.  The parser module is the only caller.
"""

from __future__ import annotations

import datetime
from typing import Any

import attrs
from lark import Token, Transformer_NonRecursive, v_args
from lark.tree import Meta as LarkMeta

from eduint.language import nodes as n
from eduint.language.diagnostics import Diagnostic, Span
from eduint.language.limits import number_problem

# Full-width and typographic operators read as their ASCII twins.
_OPS = {
    "≥": ">=",
    "≤": "<=",
    "≠": "!=",
    "＞＝": ">=",
    "＜＝": "<=",
    "＞": ">",
    "＜": "<",
    "×": "*",
    "÷": "/",
    "＋": "+",
    "－": "-",
}


class BadDate(Exception):
    """A DATE token that is not a calendar date (``2016-02-30``)."""

    def __init__(self, token: Token) -> None:
        super().__init__(str(token))
        self.token = token


@attrs.frozen
class _Over:
    name: str


@attrs.frozen
class _Where:
    expr: n.Expr


@attrs.frozen
class _From:
    day: datetime.date


@attrs.frozen
class _Until:
    day: datetime.date


@attrs.frozen
class _Segments:
    names: tuple[str, ...]


@attrs.frozen
class _En:
    """``en "…"``: the English variant of the author text before it."""

    text: str


def _english(ch: list[Any]) -> tuple[list[Any], str | None]:
    """The children without their ``en "…"`` marker, and its text (``None`` without)."""
    found = [c for c in ch if isinstance(c, _En)]
    return [c for c in ch if not isinstance(c, _En)], (found[0].text if found else None)


def _text(token: Token) -> str:
    """Strip the quotes of a STRING token ("…", “…” or 「…」)."""
    return str(token)[1:-1]


def _date(token: Token) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(token))
    except ValueError:
        raise BadDate(token) from None


def _is_token(x: object, kind: str | None = None) -> bool:
    return isinstance(x, Token) and (kind is None or x.type == kind)


@v_args(meta=True)
class ToAst(Transformer_NonRecursive):  # type: ignore[type-arg]
    """Build frozen AST nodes; ``file`` goes into every :class:`Span`.

    Number literals beyond the supported magnitude (:mod:`eduint.language.limits`) are
    collected in :attr:`problems` (``E008``) rather than raised, so that the parser
    reports all of them at once.
    """

    def __init__(self, file: str) -> None:
        super().__init__()
        self._file = file
        self.problems: list[Diagnostic] = []

    def _span(self, meta: LarkMeta) -> Span | None:
        if getattr(meta, "empty", True):
            return None
        return Span(self._file, meta.line, meta.column, meta.end_line, meta.end_column)

    # ------------------------------------------------------------ file
    def start(self, meta: LarkMeta, ch: list[Any]) -> n.RuleFile:
        header = ch[0] if ch and isinstance(ch[0], n.RulesetHeader) else None
        decls = tuple(ch[1:] if header is not None else ch)
        return n.RuleFile(header, decls, file=self._file, span=self._span(meta))

    def ruleset_header(self, meta: LarkMeta, ch: list[Any]) -> n.RulesetHeader:
        name, rest = str(ch[0]), ch[1:]
        title = None
        if rest and _is_token(rest[0], "STRING"):
            title, rest = _text(rest[0]), rest[1:]
        return n.RulesetHeader(name, title, tuple(rest), span=self._span(meta))

    def title_en(self, meta: LarkMeta, ch: list[Any]) -> n.TitleEn:
        return n.TitleEn(_text(ch[0]), span=self._span(meta))

    def version(self, meta: LarkMeta, ch: list[Any]) -> n.Version:
        return n.Version(_text(ch[0]), span=self._span(meta))

    def derived_from(self, meta: LarkMeta, ch: list[Any]) -> n.DerivedFrom:
        ch, en = _english(ch)
        return n.DerivedFrom(_text(ch[0]), text_en=en, span=self._span(meta))

    def note(self, meta: LarkMeta, ch: list[Any]) -> n.Note:
        ch, en = _english(ch)
        return n.Note(_text(ch[0]), text_en=en, span=self._span(meta))

    def en(self, meta: LarkMeta, ch: list[Any]) -> _En:
        return _En(_text(ch[0]))

    def extends(self, meta: LarkMeta, ch: list[Any]) -> n.Extends:
        tok = ch[0]
        path = _text(tok) if tok.type == "STRING" else str(tok)
        return n.Extends(path, span=self._span(meta))

    # ------------------------------------------------------- documents
    def document(self, meta: LarkMeta, ch: list[Any]) -> n.Document:
        return n.Document(str(ch[0]), _text(ch[1]), tuple(ch[2:]), span=self._span(meta))

    def doc_number(self, meta: LarkMeta, ch: list[Any]) -> n.DocNumber:
        return n.DocNumber(_text(ch[0]), span=self._span(meta))

    def doc_date(self, meta: LarkMeta, ch: list[Any]) -> n.DocDate:
        return n.DocDate(_date(ch[0]), span=self._span(meta))

    def doc_url(self, meta: LarkMeta, ch: list[Any]) -> n.DocUrl:
        return n.DocUrl(_text(ch[0]), span=self._span(meta))

    # -------------------------------------------------------- settings
    def setting(self, meta: LarkMeta, ch: list[Any]) -> n.Setting:
        return n.Setting(str(ch[0]), ch[1], tuple(ch[2:]), span=self._span(meta))

    def value_decl(self, meta: LarkMeta, ch: list[Any]) -> n.ValueDecl:
        ch, en = _english(ch)
        name, rest = str(ch[0]), ch[1:]
        title = None
        if _is_token(rest[0], "STRING"):
            title, rest = _text(rest[0]), rest[1:]
        return n.ValueDecl(
            name, title, rest[0], tuple(rest[1:]), title_en=en, span=self._span(meta)
        )

    def source_doc(self, meta: LarkMeta, ch: list[Any]) -> n.Source:
        text = _text(ch[1]) if len(ch) > 1 else None
        return n.Source(str(ch[0]), text, span=self._span(meta))

    def source_text(self, meta: LarkMeta, ch: list[Any]) -> n.Source:
        return n.Source(None, _text(ch[0]), span=self._span(meta))

    def provisional(self, meta: LarkMeta, ch: list[Any]) -> n.Provisional:
        ch, en = _english(ch)
        return n.Provisional(_text(ch[0]) if ch else None, reason_en=en, span=self._span(meta))

    def placeholder(self, meta: LarkMeta, ch: list[Any]) -> n.Placeholder:
        ch, en = _english(ch)
        return n.Placeholder(_text(ch[0]) if ch else None, reason_en=en, span=self._span(meta))

    # ---------------------------------------------------------- fields
    def field_decl(self, meta: LarkMeta, ch: list[Any]) -> n.FieldDecl:
        scope, name, ftype, rest = str(ch[0]), str(ch[1]), ch[2], ch[3:]
        label = None
        if rest and _is_token(rest[0], "STRING"):
            label, rest = _text(rest[0]), rest[1:]
        return n.FieldDecl(scope, name, ftype, label, tuple(rest), span=self._span(meta))

    def unit_type(self, meta: LarkMeta, ch: list[Any]) -> n.FieldType:
        return n.FieldType("unit", str(ch[0]), span=self._span(meta))

    def number_type(self, meta: LarkMeta, ch: list[Any]) -> n.FieldType:
        return n.FieldType("number", span=self._span(meta))

    def text_type(self, meta: LarkMeta, ch: list[Any]) -> n.FieldType:
        return n.FieldType("text", span=self._span(meta))

    def flag_type(self, meta: LarkMeta, ch: list[Any]) -> n.FieldType:
        return n.FieldType("flag", span=self._span(meta))

    def label_en(self, meta: LarkMeta, ch: list[Any]) -> n.LabelEn:
        return n.LabelEn(_text(ch[0]), span=self._span(meta))

    # ------------------------------------------------------- structure
    def label(self, meta: LarkMeta, ch: list[Any]) -> n.Label:
        tok = ch[0]
        text = _text(tok) if tok.type == "STRING" else str(tok)
        return n.Label(text, span=self._span(meta))

    @staticmethod
    def _titled(ch: list[Any]) -> tuple[str | None, list[Any]]:
        if ch and _is_token(ch[0], "STRING"):
            return _text(ch[0]), ch[1:]
        return None, ch

    def section(self, meta: LarkMeta, ch: list[Any]) -> n.Section:
        title, rest = self._titled(ch[1:])
        return n.Section(ch[0], title, tuple(rest), span=self._span(meta))

    def block(self, meta: LarkMeta, ch: list[Any]) -> n.Block:
        title, rest = self._titled(ch[1:])
        return n.Block(str(ch[0]), title, tuple(rest), span=self._span(meta))

    def item(self, meta: LarkMeta, ch: list[Any]) -> n.Item:
        title, rest = self._titled(ch[1:])
        return n.Item(ch[0], title, tuple(rest), span=self._span(meta))

    def part(self, meta: LarkMeta, ch: list[Any]) -> n.Part:
        title, rest = self._titled(ch[1:])
        return n.Part(ch[0], title, tuple(rest), span=self._span(meta))

    def rule(self, meta: LarkMeta, ch: list[Any]) -> n.Rule:
        title, rest = self._titled(ch[1:])
        return n.Rule(str(ch[0]), title, tuple(rest), span=self._span(meta))

    # ------------------------------------------------- rule properties
    def rule_id(self, meta: LarkMeta, ch: list[Any]) -> n.RuleId:
        return n.RuleId(str(ch[0]), span=self._span(meta))

    def segments(self, meta: LarkMeta, ch: list[Any]) -> _Segments:
        return _Segments(tuple(str(t) for t in ch))

    def scope(self, meta: LarkMeta, ch: list[Any]) -> n.Scope:
        segs = ch[-1].names if ch and isinstance(ch[-1], _Segments) else None
        words = tuple(str(t) for t in ch if _is_token(t))
        return n.Scope(words, segs, span=self._span(meta))

    def applies(self, meta: LarkMeta, ch: list[Any]) -> n.Applies:
        ch, en = _english(ch)
        otherwise = _text(ch[1]) if len(ch) > 1 else None
        return n.Applies(ch[0], otherwise, otherwise_en=en, span=self._span(meta))

    def require(self, meta: LarkMeta, ch: list[Any]) -> n.Require:
        return n.Require(ch[0], span=self._span(meta))

    def basically(self, meta: LarkMeta, ch: list[Any]) -> n.Basically:
        return n.Basically(ch[0], span=self._span(meta))

    def report(self, meta: LarkMeta, ch: list[Any]) -> n.Report:
        if len(ch) == 2:
            return n.Report(str(ch[0]), ch[1], span=self._span(meta))
        return n.Report(None, ch[0], span=self._span(meta))

    def let(self, meta: LarkMeta, ch: list[Any]) -> n.Let:
        return n.Let(str(ch[0]), ch[1], span=self._span(meta))

    def attested(self, meta: LarkMeta, ch: list[Any]) -> n.Attested:
        return n.Attested(span=self._span(meta))

    def veto(self, meta: LarkMeta, ch: list[Any]) -> n.Veto:
        return n.Veto(span=self._span(meta))

    def margin(self, meta: LarkMeta, ch: list[Any]) -> n.Margin:
        return n.Margin(ch[0], span=self._span(meta))

    def combine(self, meta: LarkMeta, ch: list[Any]) -> n.Combine:
        return n.Combine(ch[0], span=self._span(meta))

    def override(self, meta: LarkMeta, ch: list[Any]) -> n.Override:
        return n.Override(ch[0], tuple(ch[1:]), span=self._span(meta))

    def relax(self, meta: LarkMeta, ch: list[Any]) -> n.Relax:
        return n.Relax(ch[0], tuple(ch[1:-1]), ch[-1], span=self._span(meta))

    def drop(self, meta: LarkMeta, ch: list[Any]) -> n.Drop:
        return n.Drop(ch[0], ch[1], span=self._span(meta))

    def because(self, meta: LarkMeta, ch: list[Any]) -> n.Because:
        until = next((c.day for c in ch if isinstance(c, _Until)), None)
        toks = [c for c in ch if _is_token(c)]
        document = str(toks[0]) if toks[0].type == "NAME" else None
        text = next((_text(t) for t in toks if t.type == "STRING"), None)
        return n.Because(document, text, until, span=self._span(meta))

    def value_target(self, meta: LarkMeta, ch: list[Any]) -> str:
        return "value"

    def setting_target(self, meta: LarkMeta, ch: list[Any]) -> str:
        return "setting"

    def _value_override(
        self, meta: LarkMeta, ch: list[Any], because: n.Because | None
    ) -> n.ValueOverride:
        target, path = ch[0], ch[1]
        start = next((c.day for c in ch if isinstance(c, _From)), None)
        end = next((c.day for c in ch if isinstance(c, _Until)), None)
        rest = [c for c in ch[2:] if not isinstance(c, _From | _Until | n.Because)]
        return n.ValueOverride(
            target,
            path.parts[0],
            path.parts[1:],
            start,
            end,
            rest[0],
            tuple(rest[1:]),
            because,
            span=self._span(meta),
        )

    def value_override(self, meta: LarkMeta, ch: list[Any]) -> n.ValueOverride:
        return self._value_override(meta, ch, None)

    def value_relax(self, meta: LarkMeta, ch: list[Any]) -> n.ValueOverride:
        return self._value_override(meta, ch[:-1], ch[-1])

    # ----------------------------------------------------- expressions
    def if_expr(self, meta: LarkMeta, ch: list[Any]) -> n.IfExpr:
        return n.IfExpr(ch[0], ch[1], ch[2], span=self._span(meta))

    def or_op(self, meta: LarkMeta, ch: list[Any]) -> n.BoolOp:
        return n.BoolOp("or", ch[0], ch[1], span=self._span(meta))

    def and_op(self, meta: LarkMeta, ch: list[Any]) -> n.BoolOp:
        return n.BoolOp("and", ch[0], ch[1], span=self._span(meta))

    def not_op(self, meta: LarkMeta, ch: list[Any]) -> n.Not:
        return n.Not(ch[0], span=self._span(meta))

    def compare(self, meta: LarkMeta, ch: list[Any]) -> n.Compare:
        op = str(ch[1])
        return n.Compare(_OPS.get(op, op), ch[0], ch[2], span=self._span(meta))

    def in_op(self, meta: LarkMeta, ch: list[Any]) -> n.In:
        return n.In(ch[0], ch[1], span=self._span(meta))

    def binop(self, meta: LarkMeta, ch: list[Any]) -> n.BinOp:
        op = str(ch[1])
        return n.BinOp(_OPS.get(op, op), ch[0], ch[2], span=self._span(meta))

    def neg(self, meta: LarkMeta, ch: list[Any]) -> n.Neg:
        return n.Neg(ch[1], span=self._span(meta))

    def number(self, meta: LarkMeta, ch: list[Any]) -> n.Number:
        unit = str(ch[1]) if len(ch) > 1 else None
        tok = ch[0]
        problem = number_problem(str(tok))
        if problem is not None:
            line, col = tok.line or 1, tok.column or 1
            span = Span(self._file, line, col, tok.end_line or line, tok.end_column or col + 1)
            self.problems.append(Diagnostic("E008", problem[0], span, problem[1]))
        return n.Number(str(tok), unit, span=self._span(meta))

    def string(self, meta: LarkMeta, ch: list[Any]) -> n.String:
        return n.String(_text(ch[0]), span=self._span(meta))

    def true(self, meta: LarkMeta, ch: list[Any]) -> n.Bool:
        return n.Bool(True, span=self._span(meta))

    def false(self, meta: LarkMeta, ch: list[Any]) -> n.Bool:
        return n.Bool(False, span=self._span(meta))

    def path(self, meta: LarkMeta, ch: list[Any]) -> n.Path:
        return n.Path(tuple(str(t) for t in ch), span=self._span(meta))

    def over(self, meta: LarkMeta, ch: list[Any]) -> _Over:
        return _Over(str(ch[0]))

    def where(self, meta: LarkMeta, ch: list[Any]) -> _Where:
        return _Where(ch[0])

    def call(self, meta: LarkMeta, ch: list[Any]) -> n.Call:
        name = str(ch[0])
        args: list[n.Expr] = []
        over: str | None = None
        where: n.Expr | None = None
        for c in ch[1:]:
            if c is None:
                continue
            if isinstance(c, _Over):
                over = c.name
            elif isinstance(c, _Where):
                where = c.expr
            else:
                args.append(c)
        return n.Call(name, tuple(args), over, where, span=self._span(meta))

    def list_expr(self, meta: LarkMeta, ch: list[Any]) -> n.ListExpr:
        return n.ListExpr(tuple(c for c in ch if c is not None), span=self._span(meta))

    def keyed(self, meta: LarkMeta, ch: list[Any]) -> n.Keyed:
        return n.Keyed(str(ch[0]), tuple(ch[1:]), span=self._span(meta))

    def keyed_entry(self, meta: LarkMeta, ch: list[Any]) -> n.KeyedEntry:
        keys = tuple(str(t) for t in ch if _is_token(t))
        rest = [c for c in ch if not _is_token(c)]
        return n.KeyedEntry(keys, rest[0], tuple(rest[1:]), span=self._span(meta))

    def dated(self, meta: LarkMeta, ch: list[Any]) -> n.Dated:
        return n.Dated(tuple(ch), span=self._span(meta))

    def from_date(self, meta: LarkMeta, ch: list[Any]) -> _From:
        return _From(_date(ch[0]))

    def until_date(self, meta: LarkMeta, ch: list[Any]) -> _Until:
        return _Until(_date(ch[0]))

    def _period(self, meta: LarkMeta, ch: list[Any], *, has_value: bool) -> n.Period:
        start = next((c.day for c in ch if isinstance(c, _From)), None)
        end = next((c.day for c in ch if isinstance(c, _Until)), None)
        rest = [c for c in ch if not isinstance(c, _From | _Until)]
        value = rest.pop(0) if has_value else None
        return n.Period(start, end, value, tuple(rest), span=self._span(meta))

    def period_value(self, meta: LarkMeta, ch: list[Any]) -> n.Period:
        return self._period(meta, ch, has_value=True)

    def period_report_only(self, meta: LarkMeta, ch: list[Any]) -> n.Period:
        return self._period(meta, ch, has_value=False)
