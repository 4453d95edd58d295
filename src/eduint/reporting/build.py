"""Build the :class:`~eduint.reporting.document.Document` of a report, once, for every format.

The document's sections, in the order every format shows them:

=================  ============================================================  ==========
key                what                                                          text shows
=================  ============================================================  ==========
``summary``        one row per item, part and rule: 自评 beside 核算, the         always
                   verdict, the value and the threshold with its comparator,
                   citations, flags
``entities``       per rule whose entities show values (the 7 indicators of      always
                   each school segment): one row per entity
``cv``             per 差异系数 rule: one row per county segment (CV, limit,      always
                   margin), then the schools weighing most in a failing or
                   borderline one
``sections``       section and block roll-ups                                   always
``layering``       a rule set that extends another: what it extends, every       always
                   change (kind, verdict, citation, expiry, lapsed); the
                   summary then names who set each item (``set_by``)
``detail``         the entities not met (with the comparison that failed,        ``--detail``
                   ``3 人 < 100 人``) and every missing figure
``notes``          what each rule's evaluation left out, split or found          ``--detail``
``dispositions``   every school (segment) the population pass left out, merged   always
                   or split, with its reason and setting
``overall``        the overall verdict                                           always
``problems``       the data problems and the rows read, used and rejected        always
``notices``        the load's notes that are not problems (D012, D040–D043)     always
``warnings``       what the evaluation noticed                                   always
``provisional``    the provisional values, settings and periods used             always
``overrides``      the overrides of this run (``--set``)                         always
``provenance``     rule set, county, files and their SHA-256                     no
=================  ============================================================  ==========

Nothing here is worded (cells are typed, see :mod:`eduint.reporting.document`) and
nothing is recomputed: the one thing done beyond copying is counting (entity outcomes,
conditions met) and choosing the places a number prints with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from eduint.engine.results import (
    EntityResult,
    ItemResult,
    Outcome,
    Report,
    Text,
)
from eduint.reporting import _layering, _tables
from eduint.reporting._cells import (
    count_outcomes,
    figures,
    item_flags,
    named_values,
    shown_value,
    title,
)
from eduint.reporting._defaults import LISTED_PER_CODE as LISTED_PER_CODE
from eduint.reporting.document import (
    Answer,
    Authored,
    Basis,
    Cell,
    Column,
    Date,
    Document,
    Flags,
    Lines,
    Para,
    Plain,
    Section,
    Seq,
    Table,
    Verdict,
    Why,
    say_cell,
    seq,
)
from eduint.reporting.provenance import Provenance

__all__ = ["LISTED_PER_CODE", "DataProblemLike", "LoadLike", "build_document", "columns"]



class DataProblemLike(Protocol):
    """What a report needs of a data problem (:class:`eduint.data.errors.DataProblem`
    has these; ``code``, ``hint`` and ``line`` are used when present)."""

    @property
    def file(self) -> str:
        """The data file's name."""

    @property
    def path(self) -> str:
        """Where the value is in the file (``schools[3].students``)."""

    @property
    def field(self) -> str | None:
        """The field the value was meant for."""

    @property
    def value(self) -> Any:
        """The offending value as read."""

    @property
    def message(self) -> str:
        """What is wrong (English)."""

    @property
    def row(self) -> int | None:
        """The spreadsheet row the user sees, if any."""

    @property
    def sheet(self) -> str | None:
        """The spreadsheet sheet, if any."""


class LoadLike(Protocol):
    """The load accounting of a run (:class:`eduint.data.loading.LoadResult` has it):
    rows read, used and rejected, each ``None`` when not counted; its ``notices`` (data
    problems that are notes: D012, D040–D043) are shown when it has them."""

    @property
    def rows_read(self) -> int | None:
        """Rows read."""

    @property
    def rows_used(self) -> int | None:
        """Rows used."""

    @property
    def rows_rejected(self) -> int | None:
        """Rows rejected."""


def columns(*spec: str) -> tuple[Column, ...]:
    """Columns by key, headed by the catalogue's ``h.<key>`` entries."""
    return tuple(Column(k, say_cell(f"h.{k}")) for k in spec)


def build_document(
    report: Report,
    *,
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] = (),
    load: LoadLike | None = None,
    per_code: int | None = None,
    detail: bool = True,
) -> Document:
    """The document of a report: every section every format shows (see the module
    docstring), in order.

    Args:
        report: the evaluated report.
        provenance: where it came from (the ``provenance`` section), or ``None``.
        problems: the data problems of the run.
        load: the load accounting (rows read, used, rejected) and its notices, or
            ``None``.
        per_code: list at most this many data problems (and notes) of each code, and
            count the rest (``None``: list every one; text and HTML reports use
            :data:`LISTED_PER_CODE`).
        detail: build the detail sections (entities not met, missing figures,
            computation notes); text leaves them out unless ``--detail``, and a county
            of thousands of schools has a detail row for each.

    Returns:
        The document, language-neutral.
    """
    sections = [_summary(report)]
    sections += _tables.entity_sections(report)
    sections += _tables.cv_sections(report, _tables.notices_of(load))
    if report.sections:
        sections.append(_sections(report))
    layering = _layering.layering_section(report)
    if layering is not None:
        sections.append(layering)
    if detail:
        sections += _tables.detail_sections(report)
    sections += _tables.disposition_sections(report)
    sections.append(Section("overall", None, (Para(overall_cell(report)),)))
    sections.append(_tables.problems_section(problems, load, per_code))
    notices = _tables.notices_section(load, per_code)
    if notices is not None:
        sections.append(notices)
    sections += _lists(report)
    sections.append(_provenance(report, provenance))
    return Document(_title(report), _subtitle(report), tuple(sections))


def ruleset_cell(report: Report) -> Plain:
    """The rule set's id and version (``youzhi_junheng_2017 2017.1``)."""
    version = f" {report.ruleset_version}" if report.ruleset_version else ""
    return Plain(report.ruleset_id + version)


def county_cell(report: Report) -> Cell:
    """The county's name, with its code when known."""
    if report.county_code:
        return say_cell("county.code", county=report.county, code=report.county_code)
    return Plain(report.county)


def _title(report: Report) -> Cell:
    shown: Cell = Plain(report.ruleset_id)
    if report.ruleset_title:
        shown = Authored(Text(report.ruleset_title, report.ruleset_title_en))
    return say_cell("heading.title", title=shown, ruleset=ruleset_cell(report))


def _subtitle(report: Report) -> Cell:
    return say_cell(
        "heading.county",
        county=county_cell(report),
        as_of=Date(report.as_of),
        basis=Basis(report.as_of_basis),
    )


def overall_cell(report: Report) -> Cell:
    """The overall line: ``总体结论：未达到（示例县；tiny_report 0.1；截至 2019-09-01，数据注明）``."""
    verdict: Cell = Verdict(report.overall)
    if report.overall is None:
        verdict = say_cell("no_verdict")
    return say_cell(
        "overall",
        verdict=verdict,
        county=report.county,
        ruleset=ruleset_cell(report),
        as_of=Date(report.as_of),
        basis=Basis(report.as_of_basis),
    )


# ------------------------------------------------------------------ summary

_SUMMARY = columns(
    "section",
    "item",
    "requirement",
    "self",
    "computed",
    "verdict",
    "value",
    "threshold",
    "source",
    "flags",
)


def _summary(report: Report) -> Section:
    """The summary table; a rule set that extends another adds the ``set_by`` column
    (the rule sets that set each item)."""
    prec = report.display_precision
    layered = bool(report.extends)
    rows = []
    for item in report.items:
        path = item.section[:-1] if item.kind == "part" else item.section
        set_by = (_layering.set_by_cell(item),) if layered else ()
        rows.append(
            (
                Plain("/".join(path)),
                Plain(f"  {item.id}" if item.kind == "part" else item.id),
                title(item),
                Answer(item.self_status, item.self_outcome if item.self_status is None else None),
                Verdict(item.computed),
                Verdict(item.headline),
                _value_cell(item, prec),
                _threshold_cell(item, prec),
                seq([Plain(str(s)) for s in item.sources]),
                Flags(item_flags(item)),
                *set_by,
            )
        )
    head = (*_SUMMARY, _layering.SET_BY) if layered else _SUMMARY
    return Section("summary", None, (Table(head, tuple(rows)),), say_cell("t.summary"))


def _value_cell(item: ItemResult, prec: int) -> Cell:
    """The summary's 数值: the count of entity outcomes when the rule has several
    entities, else the value compared and the values the rule shows (a named one as
    ``name = value``); a lone number stays a number (spreadsheets keep it numeric)."""
    if len(item.entities) > 1:
        return entity_counts(item.entities)
    f = figures(item.evidence, prec)
    subject = item.evidence.subject if item.evidence is not None else None
    # the compared value is shown once, not again as the report line that shows it
    repeated = subject is not None and any(s.name == subject for s in item.shown)
    cells: list[Cell] = [f.value] if f.value is not None and not repeated else []
    for s in item.shown:
        if s.name:
            cells += named_values((s,), prec)
        else:
            cells.append(shown_value(s.value, prec))
    if len(cells) == 1:
        return cells[0]
    return seq(cells)


def entity_counts(entities: Sequence[EntityResult]) -> Cell:
    """``8个对象：达到5，未达到2`` / ``8 entities: 5 met, 2 not met``."""
    counts = count_outcomes(entities)
    parts = [
        say_cell("outcome_count", outcome=Verdict(o), n=counts[o]) for o in Outcome if o in counts
    ]
    return say_cell("entity_counts", n=len(entities), counts=Seq(tuple(parts), "count_sep"))


def _threshold_cell(item: ItemResult, prec: int) -> Cell:
    """The summary's 标准: the threshold with its comparator; 因对象而异 when it differs
    between entities."""
    if len(item.entities) > 1:
        bounds = {
            (e.evidence.op, e.evidence.right)
            for e in item.entities
            if e.evidence is not None and e.evidence.right is not None
        }
        if len(bounds) > 1:
            return say_cell("varies")
    return figures(item.evidence, prec).bound


# ------------------------------------------------------------------ sections

_SECTIONS = columns("kind", "id", "title", "verdict", "vetoed")


def _sections(report: Report) -> Section:
    rows = tuple(
        (
            say_cell(s.kind) if s.kind in ("section", "block") else Plain(s.kind),
            Plain(s.id),
            Authored(Text(s.title, s.title_en)) if s.title else None,
            Verdict(s.outcome),
            seq([Plain(v) for v in s.vetoed], "name_sep"),
        )
        for s in report.sections
    )
    return Section(
        "sections", say_cell("t.sections"), (Table(_SECTIONS, rows),), say_cell("t.sections_sheet")
    )


# ------------------------------------------------------------------ lists


def _lists(report: Report) -> list[Section]:
    """Warnings, provisional values used, and the overrides of the run."""
    out = []
    if report.warnings:
        out.append(
            Section(
                "warnings",
                say_cell("t.warnings"),
                (Lines(tuple(Why(w) for w in report.warnings)),),
            )
        )
    if report.provisional_uses:
        out.append(
            Section(
                "provisional",
                say_cell("t.provisional"),
                (Lines(tuple(_tables.provisional_cell(u) for u in report.provisional_uses)),),
            )
        )
    overrides = _tables.overrides_table(report.overrides)
    if overrides is not None:
        out.append(
            Section(
                "overrides", say_cell("t.overrides"), (overrides,), say_cell("t.overrides_sheet")
            )
        )
    return out


# ------------------------------------------------------------------ provenance

_FACTS = columns("key", "val")


def _provenance(report: Report, provenance: Provenance | None) -> Section:
    def fact(key: str, value: Cell | str | None) -> tuple[Cell, Cell]:
        return say_cell(f"p.{key}"), Plain(value) if isinstance(value, str) else value

    verdict: Cell = Verdict(report.overall) if report.overall else say_cell("no_verdict")
    rows = [
        fact("ruleset", report.ruleset_id),
        fact(
            "ruleset_title",
            Authored(Text(report.ruleset_title, report.ruleset_title_en))
            if report.ruleset_title
            else None,
        ),
        fact("ruleset_version", report.ruleset_version),
        fact("county", report.county),
        fact("county_code", report.county_code),
        fact("as_of", Date(report.as_of)),
        fact("basis", Basis(report.as_of_basis)),
        fact("overall", verdict),
    ]
    if provenance is not None:
        rows += [
            fact("eduint_version", provenance.eduint_version),
            fact("data_file", provenance.data_file),
            fact("data_sha256", provenance.data_sha256),
            fact("rules_file", provenance.rules_file),
            fact("rules_sha256", provenance.rules_sha256),
        ]
    return Section(
        "provenance",
        say_cell("t.provenance"),
        (Table(_FACTS, tuple(rows)),),
        say_cell("t.provenance"),
    )
