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
and the reserved layering nodes :class:`Override`, :class:`Relax`); the file
(:class:`RuleFile`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs

from eduint.language.diagnostics import Span

__all__ = [
    "Applies",
    "Attested",
    "Basically",
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
    "Veto",
    "Version",
]


def _span() -> Span | None:
    """Return the ``span`` field shared by all nodes: keyword-only, not compared."""
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)  # type: ignore[no-any-return]


#: Metadata key of an English variant (``en "…"`` after author text); dumps skip it unset.
ENGLISH = "eduint.english"


def _en() -> str | None:
    """Return an ``en "…"`` field: the English variant of the author text before it
    (keyword-only, ``None`` when the file gives none)."""
    return attrs.field(default=None, kw_only=True, metadata={ENGLISH: True})  # type: ignore[no-any-return]


# ---------------------------------------------------------------- expressions


@attrs.frozen
class Number:
    """A number literal with an optional unit, e.g. ``4.2``, ``600 元/人``, ``85 %``.

    Attributes:
        text: the digits as written (``"1.10"`` stays ``"1.10"``), so the
            printer reproduces them and no binary float ever enters the tree.
        unit: the unit as written (``"平方米"``, ``"㎡"``, ``"元/人"``), or ``None``
            for a bare number.  The unit vocabulary is checked by the checker.
    """

    text: str
    unit: str | None = None
    span: Span | None = _span()

    @property
    def value(self) -> Decimal:
        """The exact decimal value of :attr:`text`."""
        return Decimal(self.text)


@attrs.frozen
class String:
    """A text literal (the quotes are not part of :attr:`value`)."""

    value: str
    span: Span | None = _span()


@attrs.frozen
class Bool:
    """``true`` or ``false``."""

    value: bool
    span: Span | None = _span()


@attrs.frozen
class Path:
    """A dotted name: a data field (``学生数``, ``school.students``), a value, a
    ``let`` binding, a setting or a symbol such as ``小学`` or ``乡村`` (the checker decides).
    """

    parts: tuple[str, ...]
    span: Span | None = _span()

    @property
    def dotted(self) -> str:
        """The parts joined with ``.``."""
        return ".".join(self.parts)


@attrs.frozen
class Neg:
    """Arithmetic negation ``-x``."""

    operand: Expr
    span: Span | None = _span()


@attrs.frozen
class Not:
    """Logical negation ``not x`` (Kleene: ``not missing`` is missing)."""

    operand: Expr
    span: Span | None = _span()


@attrs.frozen
class BinOp:
    """Arithmetic ``left op right``; ``op`` is one of ``+ - * /`` (``×`` and ``÷``
    are read as ``*`` and ``/``)."""

    op: str
    left: Expr
    right: Expr
    span: Span | None = _span()


@attrs.frozen
class Compare:
    """Comparison ``left op right``; ``op`` is one of ``>= <= == != > <``
    (``≥ ≤ ≠`` and full-width forms are read as their ASCII twins)."""

    op: str
    left: Expr
    right: Expr
    span: Span | None = _span()


@attrs.frozen
class In:
    """Membership ``left in [a, b, ...]``."""

    left: Expr
    items: ListExpr
    span: Span | None = _span()


@attrs.frozen
class BoolOp:
    """``left and right`` or ``left or right`` (``op`` is ``"and"`` or ``"or"``)."""

    op: str
    left: Expr
    right: Expr
    span: Span | None = _span()


@attrs.frozen
class IfExpr:
    """``if cond then a else b``."""

    cond: Expr
    then: Expr
    orelse: Expr
    span: Span | None = _span()


@attrs.frozen
class ListExpr:
    """A list ``[a, b, ...]`` (used by ``in`` and by k-of-n aggregates)."""

    items: tuple[Expr, ...]
    span: Span | None = _span()


@attrs.frozen
class Call:
    """A function or aggregate call: ``sum(学生数 over 学校 where 位置 == 乡村)`` has
    ``name="sum"``, ``args=(Path(学生数),)``, ``over="学校"`` and a ``where`` filter;
    plain functions (``ceil``, ``max``, ``min``) have no ``over``.

    Attributes:
        name: the function name as written.
        args: positional arguments.
        over: the lower scope aggregated over (``学校``, ``schools``, ``班级`` ...),
            or ``None``.
        where: the filter applied to each entity of ``over``, or ``None``.
    """

    name: str
    args: tuple[Expr, ...]
    over: str | None = None
    where: Expr | None = None
    span: Span | None = _span()


@attrs.frozen
class KeyedEntry:
    """One entry of a :class:`Keyed` value: ``中部, 西部: 600 元/人 source ...``."""

    keys: tuple[str, ...]
    value: Expr
    meta: tuple[Meta, ...] = ()
    span: Span | None = _span()


@attrs.frozen
class Keyed:
    """A value keyed by segment, location or region: ``by segment { 小学: 4.2, 初中: 5.3 }``.

    Attributes:
        kind: the key kind as written (``segment``/``学段``, ``location``/``城乡``,
            ``region``/``地区``); the checker validates it.
        entries: the entries in source order.
    """

    kind: str
    entries: tuple[KeyedEntry, ...]
    span: Span | None = _span()


@attrs.frozen
class Period:
    """One period of a :class:`Dated` value.

    Attributes:
        start: first day in force (inclusive), or ``None`` for "since always".
        end: last day in force (inclusive), or ``None`` for "until further notice".
        value: the value in force, or ``None`` when the period is ``report_only``
            (the rule shows its value and gives no verdict).
        meta: ``source``/``provisional``/``note`` annotations of this period.
    """

    start: datetime.date | None
    end: datetime.date | None
    value: Expr | None
    meta: tuple[Meta, ...] = ()
    span: Span | None = _span()

    @property
    def report_only(self) -> bool:
        """True when the period is marked ``report_only``."""
        return self.value is None


@attrs.frozen
class Dated:
    """A value dated by the periods it is in force:
    ``dated { from 2016-01-01 until 2016-12-31: 600 元/人, from 2017-01-01: 650 元/人 }``."""

    periods: tuple[Period, ...]
    span: Span | None = _span()


Expr = (
    Number
    | String
    | Bool
    | Path
    | Neg
    | Not
    | BinOp
    | Compare
    | In
    | BoolOp
    | IfExpr
    | ListExpr
    | Call
    | Keyed
    | Dated
)
"""Every expression node."""


# ------------------------------------------------------------- annotations


@attrs.frozen
class Source:
    """A citation: ``source 国发2016_40 "第十条"`` or ``source "REFERENCE §5"``.

    Attributes:
        document: id of a declared :class:`Document`, or ``None``.
        text: free text (an article, a page), or ``None``.
    """

    document: str | None
    text: str | None
    span: Span | None = _span()


@attrs.frozen
class Provisional:
    """The ``provisional`` marker: a figure not confirmed from the official text.

    Attributes:
        reason: optional text saying why (``"REFERENCE §5 tag M"``).
        reason_en: its English variant (``en "…"``), or ``None``.
    """

    reason: str | None = None
    reason_en: str | None = _en()
    span: Span | None = _span()


@attrs.frozen
class Note:
    """A ``note "..." [en "..."]`` shown with the thing it annotates; ``text_en`` is the
    English variant."""

    text: str
    text_en: str | None = _en()
    span: Span | None = _span()


Meta = Source | Provisional | Note
"""Annotations a value, setting or period may carry."""


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
    """``extends "file.rules"``: layering (reserved; checked by a later pass)."""

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
class Override:
    """``override LABEL { ... }`` (reserved for layering)."""

    label: Label
    props: tuple[RuleProp, ...]
    span: Span | None = _span()


@attrs.frozen
class Relax:
    """``relax LABEL { ... } because "citation"`` (reserved for layering)."""

    label: Label
    props: tuple[RuleProp, ...]
    because: str
    span: Span | None = _span()


Decl = Document | Setting | ValueDecl | FieldDecl | Section | Block | Item | Rule | Override | Relax
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
