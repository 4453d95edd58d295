"""The document behind every report format: language-neutral, built once from a report.

:func:`eduint.reporting.build.build_document` turns a
:class:`~eduint.engine.results.Report` (with the run's provenance and load accounting)
into a :class:`Document`: a title, key-value facts, and sections of tables, lines and
paragraphs whose cells are *typed* — text from the data or the rules, a catalogue
entry with its arguments, a number with its unit and the places to print, a
comparison, an outcome, flags, a coded reason, an entity.  Nothing in a document is in
a language yet: :func:`cell_text` words a cell in Chinese or English, and each format
(text, HTML, CSV, XLSX) draws the same document, so every format shows the same cells.
Spreadsheets read the numbers themselves (:func:`cell_number`) and keep them numbers.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TypeAlias

import attrs

from eduint.core.refs import EntityRef, FieldRef
from eduint.core.units import Unit
from eduint.core.values import Exact, Interval, Reason
from eduint.data.models import SelfStatus
from eduint.engine.results import AsOfBasis, Flag, Outcome, Text
from eduint.reporting.messages import FLAGS, Lang
from eduint.reporting.numbers import APPROX_MARKS, number_text
from eduint.reporting.words import (
    author_text,
    basis_word,
    entity_name,
    field_name,
    flag_word,
    outcome_word,
    period_text,
    problem_text,
    reason_text,
    say,
    self_word,
    setting_label,
    symbol_word,
)

__all__ = [
    "Answer",
    "Authored",
    "Basis",
    "Bound",
    "Cell",
    "Column",
    "Date",
    "Document",
    "Entity",
    "Field",
    "Flags",
    "Lines",
    "Num",
    "Para",
    "Period",
    "Plain",
    "Problem",
    "Relation",
    "Say",
    "Section",
    "Seq",
    "Setting",
    "Symbol",
    "Table",
    "Verdict",
    "Why",
    "cell_number",
    "cell_text",
]

# ------------------------------------------------------------------ cells


@attrs.frozen
class Plain:
    """Text shown as it is in every language: names from the data, ids, rule text,
    citations, file names."""

    text: str


@attrs.frozen
class Say:
    """A catalogue entry (:data:`~eduint.reporting.messages.WORDS`) with its arguments,
    each a cell."""

    key: str
    args: tuple[tuple[str, Cell], ...] = ()


@attrs.frozen
class Authored:
    """Rule-author text (a title, a note), with its English variant when the file has one."""

    text: Text


@attrs.frozen
class Why:
    """A coded reason or warning, worded by the catalogue (``subject=False``: without
    the entity it is about, for a row that names it)."""

    reason: Reason
    subject: bool = True


@attrs.frozen
class Num:
    """A number with its unit.

    Attributes:
        value: exact, or an interval (a range, an approximate figure, a bracket), in the
            canonical unit of ``unit``'s dimensions.
        unit: the unit shown.
        places: the most decimal places printed (chosen so that a value and its
            threshold agree with the verdict).
    """

    value: Exact | Interval
    unit: Unit
    places: int


@attrs.frozen
class Bound:
    """A threshold with its comparator: ``>= 100 人``, ``> 90%``."""

    op: str
    value: Num


@attrs.frozen
class Relation:
    """A comparison as it came out: ``3 人 < 100 人`` (the comparator that holds).

    ``required``: the figure fails exactly at its bound (``90%`` against ``> 90%``); it
    is shown with the requirement's own comparator (``90%，要求 > 90%``), so that a zero
    margin does not read as met.
    """

    left: Num
    op: str
    right: Num
    required: bool = False


@attrs.frozen
class Verdict:
    """An outcome (``None``: no outcome, shown as ``-``)."""

    outcome: Outcome | None


@attrs.frozen
class Answer:
    """The county's own word (自评), or the outcome combined from its parts' answers."""

    status: SelfStatus | None
    combined: Outcome | None = None


@attrs.frozen
class Flags:
    """Flags, shown in the catalogue's order."""

    flags: tuple[Flag, ...]


@attrs.frozen
class Entity:
    """An entity, named in the language asked (``育人小学 小学`` / ``育人小学 primary``)."""

    ref: EntityRef


@attrs.frozen
class Field:
    """A data field, by its label in the language asked (a name is looked up in the
    field registry)."""

    ref: FieldRef | str


@attrs.frozen
class Problem:
    """A data problem's text: worded by its code in Chinese, the loader's message (and
    hint) in English."""

    code: str | None
    message: str
    hint: str | None = None


@attrs.frozen
class Setting:
    """A setting, by its label (never its identifier)."""

    name: str


@attrs.frozen
class Symbol:
    """A symbol of the data (``小学``), worded in the language asked."""

    value: str


@attrs.frozen
class Basis:
    """Where the date came from."""

    basis: AsOfBasis


@attrs.frozen
class Date:
    """A date (``None``: not stated)."""

    value: datetime.date | None


@attrs.frozen
class Period:
    """A period in force (``None``: open at that end)."""

    start: datetime.date | None
    end: datetime.date | None


@attrs.frozen
class Seq:
    """Cells joined by a catalogue separator (``list_sep`` ；, ``flag_sep`` 、 …)."""

    cells: tuple[Cell, ...]
    sep: str = "list_sep"


Cell: TypeAlias = (
    "Plain | Say | Authored | Why | Num | Bound | Relation | Verdict | Answer | Flags"
    " | Entity | Field | Problem | Setting | Symbol | Basis | Date | Period | Seq | None"
)
"""One cell of a document (``None``: empty)."""

# ------------------------------------------------------------------ structure


@attrs.frozen
class Column:
    """A table column: a key for code, a header cell."""

    key: str
    header: Cell


@attrs.frozen
class Table:
    """A table: columns and rows of cells (one cell per column).

    Attributes:
        columns: the columns.
        rows: the rows, one cell per column.
        text_omits: the keys of columns text output leaves out (shown otherwise, as a
            list under the table, or not needed on a terminal).
    """

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    text_omits: tuple[str, ...] = ()

    def column(self, key: str) -> int:
        """The index of the column ``key``.

        Raises:
            KeyError: no such column.
        """
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(key)


@attrs.frozen
class Lines:
    """A list of lines (a bulleted list)."""

    items: tuple[Cell, ...]


@attrs.frozen
class Para:
    """One paragraph (one line in text)."""

    cell: Cell


Block: TypeAlias = "Table | Lines | Para"


@attrs.frozen
class Section:
    """One part of a report.

    Attributes:
        key: what it is (``summary``, ``entities``, ``cv``, ``sections``, ``detail``,
            ``notes``, ``dispositions``, ``overall``, ``problems``, ``warnings``,
            ``provisional``, ``overrides``, ``provenance``).
        title: its heading, or ``None``.
        blocks: its tables, lines and paragraphs, in order.
        sheet: the worksheet it becomes in XLSX, or ``None`` (shown on the summary).
        detail: shown in text only with ``--detail``.
    """

    key: str
    title: Cell
    blocks: tuple[Block, ...]
    sheet: Cell = None
    detail: bool = False


@attrs.frozen
class Document:
    """A report, language-neutral.

    Attributes:
        title: the rule set's title and id.
        subtitle: the county and the date used.
        sections: the parts, in the order every format shows them.
    """

    title: Cell
    subtitle: Cell
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section | None:
        """The first section ``key``, or ``None``."""
        return next((s for s in self.sections if s.key == key), None)

    def tables(self, key: str) -> list[Table]:
        """Every table of the sections ``key``, in order."""
        return [b for s in self.sections if s.key == key for b in s.blocks if isinstance(b, Table)]


# ------------------------------------------------------------------ words


def cell_text(cell: Cell, lang: Lang) -> str:
    """A cell as text in ``lang`` (an empty cell is ``""``)."""
    if cell is None:
        return ""
    match cell:
        case Plain(text):
            return text
        case Say(key, args):
            return say(key, lang, **{k: cell_text(v, lang) for k, v in args})
        case Authored(text):
            return author_text(text, lang)
        case Why(reason, subject):
            return reason_text(reason, lang, subject=subject)
        case Num(value, unit, places):
            return number_text(value, unit, places, approx=APPROX_MARKS[lang])
        case Bound(op, value):
            return f"{op} {cell_text(value, lang)}"
        case Relation(left, op, right, True):
            return say(
                "relation_required",
                lang,
                value=cell_text(left, lang),
                op=op,
                bound=cell_text(right, lang),
            )
        case Relation(left, op, right):
            return f"{cell_text(left, lang)} {op} {cell_text(right, lang)}"
        case Verdict(outcome):
            return outcome_word(outcome, lang)
        case Answer(status, combined):
            if status is None and combined is not None:
                return outcome_word(combined, lang)
            return self_word(status, lang)
        case Flags(flags):
            present = set(flags)
            return say("flag_sep", lang).join(flag_word(f, lang) for f in FLAGS if f in present)
        case Entity(ref):
            return entity_name(ref, lang)
        case Field(ref):
            return field_name(ref, lang)
        case Problem(code, message, hint):
            return problem_text(code, message, hint, lang)
        case Setting(name):
            return setting_label(name, lang)
        case Symbol(value):
            return symbol_word(value, lang)
        case Basis(basis):
            return basis_word(basis, lang)
        case Date(value):
            return value.isoformat() if value is not None else say("no_date", lang)
        case Period(start, end):
            return period_text(start, end, lang)
        case Seq(cells, sep):
            shown = [cell_text(c, lang) for c in cells]
            return say(sep, lang).join(t for t in shown if t)
    raise TypeError(f"not a document cell: {cell!r}")  # pragma: no cover


def cell_number(cell: Cell) -> Num | None:
    """The number a cell holds, for spreadsheets: a :class:`Num`, or a :class:`Bound`'s
    number; ``None`` for any other cell."""
    if isinstance(cell, Num):
        return cell
    if isinstance(cell, Bound):
        return cell.value
    return None


def row_texts(table: Table, lang: Lang) -> list[list[str]]:
    """Every row of a table as text."""
    return [[cell_text(c, lang) for c in row] for row in table.rows]


def headers(table: Table, lang: Lang) -> list[str]:
    """A table's headers as text."""
    return [cell_text(c.header, lang) for c in table.columns]


def say_cell(key: str, /, **args: Cell | str | int) -> Say:
    """A :class:`Say` cell; plain ``str``/``int`` arguments become :class:`Plain` cells."""
    return Say(key, tuple((k, _as_cell(v)) for k, v in args.items()))


def _as_cell(v: Cell | str | int) -> Cell:
    if isinstance(v, bool):  # pragma: no cover - no boolean argument is a cell
        raise TypeError(v)
    if isinstance(v, (str, int)):
        return Plain(str(v))
    return v


def seq(cells: Sequence[Cell], sep: str = "list_sep") -> Seq:
    """A :class:`Seq` of the cells that are not empty."""
    return Seq(tuple(c for c in cells if c is not None), sep)
