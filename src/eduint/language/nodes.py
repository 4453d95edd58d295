"""The abstract syntax tree of an eduint rule file.

Every node is a frozen attrs class.  Each carries a :class:`~eduint.language.diagnostics.Span`
in its ``span`` attribute, which is left out of equality and ``repr``: two files that
differ only in layout, comments or full-width punctuation parse to equal trees.  Sequences
are tuples; the checker and the evaluator give the nodes meaning.  The tree is *syntax*:
properties are kept in source order, duplicates included, so that the checker can report
them and the printer can reproduce the author's order.  Names are not resolved here.
Author text may carry an English variant (``note "…" en "…"``: fields marked :data:`ENGLISH`).

Node families: expressions (the :data:`Expr` union); annotations on values (:data:`Meta`:
``source``, ``provisional``, ``note``); rule properties (:data:`RuleProp`); structure
(:class:`Section`, :class:`Block`, :class:`Item`, :class:`Part`, :class:`Rule`);
declarations (:class:`Document`, :class:`Setting`, :class:`ValueDecl`, :class:`FieldDecl`
and the layering nodes :class:`Override`, :class:`Relax`, :class:`Drop`,
:class:`ValueOverride`); the file
(:class:`RuleFile`).
"""

from __future__ import annotations

import datetime

import attrs

from eduint.language._expr_nodes import (
    ENGLISH,
    BinOp,
    Bool,
    BoolOp,
    Call,
    Compare,
    Dated,
    Expr,
    IfExpr,
    In,
    Keyed,
    KeyedEntry,
    ListExpr,
    Meta,
    Neg,
    Not,
    Note,
    Number,
    Path,
    Period,
    Placeholder,
    Provisional,
    Source,
    String,
    _en,
    _span,
)
from eduint.language.diagnostics import Span

__all__ = [
    "Applies",
    "Attested",
    "Basically",
    "Because",
    "BinOp",
    "Block",
    "BoolOp",
    "Bool",
    "Call",
    "Combine",
    "Comment",
    "Compare",
    "ContainerMember",
    "Dated",
    "Decl",
    "DerivedFrom",
    "DocDate",
    "DocNumber",
    "DocUrl",
    "Document",
    "DocumentProp",
    "Drop",
    "ENGLISH",
    "Expr",
    "Extends",
    "FieldDecl",
    "FieldProp",
    "FieldType",
    "IfExpr",
    "In",
    "Item",
    "ItemMember",
    "Keyed",
    "KeyedEntry",
    "Label",
    "LabelEn",
    "Let",
    "ListExpr",
    "Margin",
    "Meta",
    "Neg",
    "Not",
    "Note",
    "Number",
    "Override",
    "Part",
    "Path",
    "Period",
    "Placeholder",
    "Provisional",
    "Relax",
    "Report",
    "Require",
    "Rule",
    "RuleFile",
    "RuleId",
    "RuleProp",
    "RulesetHeader",
    "RulesetProp",
    "Scope",
    "Section",
    "Setting",
    "Source",
    "String",
    "TitleEn",
    "ValueDecl",
    "ValueOverride",
    "Veto",
    "Version",
]

# ---------------------------------------------------------- rule properties


@attrs.frozen
class TitleEn:
    """``title_en "..."``: the English title."""

    text: str
    span: Span | None = _span()


@attrs.frozen
class RuleId:
    """``id 名称``: an explicit id for an item or part (else known by its number)."""

    name: str
    span: Span | None = _span()


@attrs.frozen
class Scope:
    """``scope county``, ``scope county segment``, ``scope school``,
    ``scope school segment [小学, 初中]``, ``scope class [小学]``.

    Attributes:
        words: the scope words as written (``("school", "segment")``); the
            checker maps English and Chinese words to a scope.
        segments: the segments the rule applies to, or ``None`` for all.
    """

    words: tuple[str, ...]
    segments: tuple[str, ...] | None = None
    span: Span | None = _span()


@attrs.frozen
class Applies:
    """``applies when COND otherwise "reason" [en "reason"]``: the applicability
    condition; ``otherwise_en`` is the English variant of the reason."""

    cond: Expr
    otherwise: str | None = None
    otherwise_en: str | None = _en()
    span: Span | None = _span()


@attrs.frozen
class Require:
    """``require COND``: the requirement; true means 达到 (met)."""

    cond: Expr
    span: Span | None = _span()


@attrs.frozen
class Basically:
    """``basically COND``: when the requirement fails but this holds, 基本达到."""

    cond: Expr
    span: Span | None = _span()


@attrs.frozen
class Report:
    """``report [name =] EXPR``: a value shown without a verdict."""

    name: str | None
    expr: Expr
    span: Span | None = _span()


@attrs.frozen
class Let:
    """``let name = EXPR``: a local definition inside a rule."""

    name: str
    expr: Expr
    span: Span | None = _span()


@attrs.frozen
class Attested:
    """``attested``: the county answers this item or part with a status and evidence."""

    span: Span | None = _span()


@attrs.frozen
class Veto:
    """``veto``: failing this item fails the whole block (一票否决)."""

    span: Span | None = _span()


@attrs.frozen
class Margin:
    """``margin EXPR``: the borderline margin, in the rule's unit."""

    expr: Expr
    span: Span | None = _span()


@attrs.frozen
class Combine:
    """``combine EXPR``: how parts or members combine into a verdict (default ``worst``)."""

    expr: Expr
    span: Span | None = _span()


RuleProp = (
    RuleId
    | TitleEn
    | Scope
    | Applies
    | Require
    | Basically
    | Report
    | Let
    | Source
    | Note
    | Provisional
    | Attested
    | Veto
    | Margin
    | Combine
    | Placeholder
)
"""Properties a rule, item or part may carry, in any order."""


# --------------------------------------------------------------- structure


@attrs.frozen
class Label:
    """An official number: ``12.1``, ``一``, ``"(十五)"``.

    Attributes:
        text: the label as written, without quotes.
    """

    text: str
    span: Span | None = _span()


@attrs.frozen
class Part:
    """A part of an item (``part 12.1 "..." { ... }``)."""

    label: Label
    title: str | None
    props: tuple[RuleProp, ...]
    span: Span | None = _span()


ItemMember = Part | RuleProp


@attrs.frozen
class Item:
    """A numbered checklist item, with its own rule properties and optional parts."""

    label: Label
    title: str | None
    members: tuple[ItemMember, ...]
    span: Span | None = _span()

    @property
    def parts(self) -> tuple[Part, ...]:
        """The item's parts in source order."""
        return tuple(m for m in self.members if isinstance(m, Part))


@attrs.frozen
class Rule:
    """A named rule outside the numbered checklist (``rule 名称 "标题" { ... }``)."""

    id: str
    title: str | None
    props: tuple[RuleProp, ...]
    span: Span | None = _span()


@attrs.frozen
class Section:
    """A numbered section (``section 一 "工作目标" { ... }``); gaps in numbering are kept."""

    label: Label
    title: str | None
    members: tuple[ContainerMember, ...]
    span: Span | None = _span()


@attrs.frozen
class Block:
    """A named block with a roll-up (``block 资源配置 "资源配置" { ... combine ... }``)."""

    id: str
    title: str | None
    members: tuple[ContainerMember, ...]
    span: Span | None = _span()


ContainerMember = Section | Block | Item | Rule | Combine | Note | Source | TitleEn


# ------------------------------------------------------------ declarations


@attrs.frozen
class Version:
    """``version "..."`` of the rule set."""

    text: str
    span: Span | None = _span()


@attrs.frozen
class DerivedFrom:
    """``derived_from "..." [en "..."]``: the rule set was derived from this text (e.g. a
    county report) rather than an official checklist."""

    text: str
    text_en: str | None = _en()
    span: Span | None = _span()


@attrs.frozen
class Extends:
    """``extends NAME`` or ``extends "path"``: this rule set builds on another (layering).

    Attributes:
        path: a bundled rule set's id or file stem, or a rule file's path relative to
            the extending file (inside the rule roots); the layering pass resolves it,
            never the parser.
    """

    path: str
    span: Span | None = _span()


RulesetProp = TitleEn | Version | DerivedFrom | Note | Extends | Source


@attrs.frozen
class RulesetHeader:
    """``ruleset ID "title" { ... }`` at the head of a file."""

    id: str
    title: str | None
    props: tuple[RulesetProp, ...]
    span: Span | None = _span()


@attrs.frozen
class DocNumber:
    """``number "国发〔2016〕40号"`` of a document."""

    text: str
    span: Span | None = _span()


@attrs.frozen
class DocDate:
    """``date 2016-07-02`` of a document."""

    value: datetime.date
    span: Span | None = _span()


@attrs.frozen
class DocUrl:
    """``url "..."`` of a document."""

    text: str
    span: Span | None = _span()


DocumentProp = DocNumber | DocDate | DocUrl | Note | TitleEn


@attrs.frozen
class Document:
    """An issuing or cited document (``document ID "title" { number ...; date ... }``)."""

    id: str
    title: str
    props: tuple[DocumentProp, ...]
    span: Span | None = _span()


@attrs.frozen
class Setting:
    """``setting NAME = EXPR [source ...] [provisional]``: a rule-set setting."""

    name: str
    value: Expr
    meta: tuple[Meta, ...] = ()
    span: Span | None = _span()


@attrs.frozen
class ValueDecl:
    """``value NAME "title" [en "title"] = EXPR [source ...] [provisional]``: a named
    threshold or quota, possibly keyed and dated; ``title_en`` is the English title."""

    name: str
    title: str | None
    value: Expr
    meta: tuple[Meta, ...] = ()
    title_en: str | None = _en()
    span: Span | None = _span()


@attrs.frozen
class FieldType:
    """The type of a declared field.

    Attributes:
        kind: ``"unit"`` (a quantity in :attr:`unit`), ``"number"`` (a bare
            number), ``"text"`` or ``"flag"`` (yes/no).
        unit: the unit as written when ``kind == "unit"``.
    """

    kind: str
    unit: str | None = None
    span: Span | None = _span()


@attrs.frozen
class LabelEn:
    """``label_en "..."``: the English label of a declared field."""

    text: str
    span: Span | None = _span()


FieldProp = Note | Source | LabelEn


@attrs.frozen
class FieldDecl:
    """``field county.公办幼儿园数: 所 "公办幼儿园数" { ... }``: an extra data field.

    Attributes:
        scope: the entity the field belongs to, as written (``county``, ``school``,
            ``segment``, ``class`` or a Chinese equivalent).
        name: the field name used in rules and data files.
        type: its :class:`FieldType`.
        label: the Chinese label shown in reports, or ``None``.
        props: notes, sources and the English label.
    """

    scope: str
    name: str
    type: FieldType
    label: str | None
    props: tuple[FieldProp, ...] = ()
    span: Span | None = _span()


@attrs.frozen
class Because:
    """The citation of a relaxation or a drop: ``because 粤府2014_1 "第三条"`` or
    ``because "教育部答复"``, with an optional expiry ``until 2025-12-31``.

    Attributes:
        document: id of a declared :class:`Document`, or ``None``.
        text: the article or free text, or ``None``.
        until: the last day the relaxation is in force, or ``None`` for no expiry;
            after it the parent's rule or value applies again.
    """

    document: str | None
    text: str | None
    until: datetime.date | None = None
    span: Span | None = _span()


@attrs.frozen
class Override:
    """``override LABEL { … }``: replace properties (``require``, ``applies``,
    ``basically``, ``let``, ``report``, ``margin``, annotations) of the parent's item,
    part or rule with that label or id.  Its strictness is proved by the checker."""

    label: Label
    props: tuple[RuleProp, ...]
    span: Span | None = _span()


@attrs.frozen
class Relax:
    """``relax LABEL { … } because …``: an override allowed to be looser, with the
    document that allows it."""

    label: Label
    props: tuple[RuleProp, ...]
    because: Because
    span: Span | None = _span()


@attrs.frozen
class Drop:
    """``drop LABEL because …``: leave out the parent's item, part, rule, section or
    block with that label or id, citing the document that allows it."""

    label: Label
    because: Because
    span: Span | None = _span()


@attrs.frozen
class ValueOverride:
    """``override value NAME[.KEY…] [from D] [until D] = EXPR`` (and ``override setting``;
    ``relax value …  because …`` when :attr:`because` is given).

    Attributes:
        target: ``"value"`` or ``"setting"``.
        name: the value's or setting's name.
        keys: the keys of a keyed value replaced alone (``差异系数上限.初中``), outermost
            first; empty for the whole value.
        start, end: the period replaced (both days included; ``None`` open) when a
            period is written before ``=``; both ``None`` for the whole time line.
        value: the new value.
        meta: its annotations (``source``, ``provisional``, ``note``).
        because: the citation of a relaxation, or ``None`` for a plain override.
    """

    target: str
    name: str
    keys: tuple[str, ...]
    start: datetime.date | None
    end: datetime.date | None
    value: Expr
    meta: tuple[Meta, ...] = ()
    because: Because | None = None
    span: Span | None = _span()

    @property
    def dotted(self) -> str:
        """The name and keys joined with ``.`` (``差异系数上限.初中``)."""
        return ".".join((self.name, *self.keys))


Decl = (
    Document
    | Setting
    | ValueDecl
    | FieldDecl
    | Section
    | Block
    | Item
    | Rule
    | Override
    | Relax
    | Drop
    | ValueOverride
)
"""Top-level declarations."""


@attrs.frozen
class Comment:
    """A ``#`` comment of the source, kept so that ``eduint fmt`` does not lose it.

    Attributes:
        line: its one-based line.
        text: the comment including ``#``, without the newline.
        own_line: True when nothing but white space precedes it on its line.
    """

    line: int
    text: str
    own_line: bool


@attrs.frozen
class RuleFile:
    """A whole parsed rule file.

    Attributes:
        header: the ``ruleset`` header, or ``None`` for a file without one.
        decls: the top-level declarations in source order.
        file: the file name used in diagnostics (not compared).
        comments: the source's comments (not compared), for the printer.
    """

    header: RulesetHeader | None
    decls: tuple[Decl, ...]
    file: str = attrs.field(default="<string>", eq=False, kw_only=True)
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False, repr=False, kw_only=True)
    span: Span | None = _span()
