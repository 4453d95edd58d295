"""Private: the expression and annotation nodes of the AST (re-exported by
:mod:`eduint.language.nodes`, which documents the tree as a whole).

Split out of ``nodes.py`` so that each module stays short; import them from
:mod:`eduint.language.nodes`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import attrs

from eduint.language.diagnostics import Span


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


@attrs.frozen
class Placeholder:
    """The ``placeholder`` marker on a rule or value of a national file: provinces are
    meant to replace it (the 2012 precondition's flag 达到办学基本标准, which each
    province defines through its own 学校办学基本标准).  Replacing it in a file that
    extends this one is neither stricter nor looser.

    Attributes:
        reason: optional text saying what a province puts in its place.
        reason_en: its English variant (``en "…"``), or ``None``.
    """

    reason: str | None = None
    reason_en: str | None = _en()
    span: Span | None = _span()


Meta = Source | Provisional | Note | Placeholder
"""Annotations a value, setting or period may carry (``placeholder``: a value only)."""
