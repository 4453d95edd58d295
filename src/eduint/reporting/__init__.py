"""Render a :class:`~eduint.engine.results.Report`: text tables, HTML, JSON, CSV and XLSX.

Pure formatting: nothing here evaluates a rule or recomputes a figure.  Every cell
comes from a field of the report (or of a data problem, or of the provenance); the
one thing done here beyond copying is *counting*: entity outcomes for the summary
of an item evaluated over several schools or segments, and the ``at_least``
conditions an entity meets (its :attr:`~eduint.engine.results.EntityResult.checks`) for
the 达到项数 of the school table.

Tables (:func:`summary_table`, :func:`sections_table`, :func:`detail_table`,
:func:`problems_table`) go through tabulate with every cell as text
(``disable_numparse``, so ``2.10`` stays ``2.10``) and leading whitespace kept
(parts are indented under their item: ``  12.1``).  Column widths are measured in
display cells with wcwidth, so Chinese text lines up in a terminal;
:data:`tabulate.WIDE_CHARS_MODE` is switched on at import.  In ``html`` every
value is escaped (``<`` appears as ``&lt;``).

Columns of the summary (:func:`summary_rows`), Chinese/English header:

========  ================  ==========================================================
章节      section           the section (and block) labels the item is in
项目      item              the item id; parts are indented under their item
要求      requirement       the item's title (``title_en`` in English where given)
自评      self-assessment   the county's own word (``试行`` stays ``试行``)
核算      computed          the outcome the county's figures support
结论      verdict           the headline: 核算 where the data decides, else 自评
数值      value             the value compared (or the count of entity outcomes)
标准      threshold         the threshold in force
依据      source            the citations
标记      flags             暂定, 自评与核算不一致, 约数, 临界, 仅报告
========  ================  ==========================================================

Beside the summary, rules of some shapes get tables of their own (pure formatting
too): :func:`entity_tables` for a rule whose entities carry per-entity ``report``
values (the 7 indicators of each school segment: values, the count of
``at_least`` conditions met from :attr:`EntityResult.checks`, outcome, the failed
conditions); :func:`cv_table` for the rules comparing a 差异系数 (one row per rule
and county segment: CV, limit, margin, outcome, flags), with :func:`cv_contributors`
naming the schools that weigh most in a failing or borderline one; and
:func:`details_table`, the evaluator's notes on each item (:attr:`ItemResult.details`).

``-`` in 自评 means the county gave no answer; in 核算, that no rule computes the
item; in 结论, that a report-only rule gives no verdict.

The JSON document (:func:`to_json`) is versioned (``eduint_report_version: 1``);
its JSON Schema is :func:`report_json_schema`, published as
``docs/schema/eduint-report-v1.schema.json``.
"""

from __future__ import annotations

import csv
import datetime
import enum
import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import attrs
import tabulate as _tabulate_module
import wcwidth

from eduint._version import __version__
from eduint.data.models import SelfStatus
from eduint.engine.results import (
    Check,
    EntityResult,
    Input,
    ItemResult,
    Outcome,
    Report,
    ReportValue,
    SectionResult,
)

__all__ = [
    "CONTRIBUTORS_PREFIX",
    "FLAG_LABELS",
    "REPORT_SCHEMA_ID",
    "REPORT_VERSION",
    "TABLE_FORMATS",
    "DataProblemLike",
    "Lang",
    "Provenance",
    "cv_contributors",
    "cv_items",
    "cv_rows",
    "cv_table",
    "detail_rows",
    "detail_table",
    "details_rows",
    "details_table",
    "display_width",
    "dump_json",
    "entity_items",
    "entity_rows",
    "entity_tables",
    "html_report",
    "overall_line",
    "problems_rows",
    "problems_table",
    "report_json_schema",
    "sections_rows",
    "sections_table",
    "summary_rows",
    "summary_table",
    "table",
    "text_report",
    "to_json",
    "write_csv",
    "write_xlsx",
]

# tabulate measures CJK characters as two cells only in this mode (on by default when
# wcwidth is importable, which it always is: wcwidth is a dependency).  Switch it on
# explicitly so that a caller who turned it off cannot misalign eduint's tables.
_tabulate_module.WIDE_CHARS_MODE = True

Lang = Literal["zh", "en"]
"""A report language: ``"zh"`` (Chinese, the default) or ``"en"`` (English)."""

REPORT_SCHEMA_ID = "https://eduint.example/schemas/report-v1.json"
"""The ``schema`` value of every JSON report, and the ``$id`` of its JSON Schema."""

REPORT_VERSION = 1
"""The ``eduint_report_version`` of the JSON document this module writes."""

TABLE_FORMATS = ("simple", "plain", "github", "grid", "html")
"""The tabulate formats the CLI offers (any tabulate format works in the API)."""

NONE_MARK = "-"
"""Shown in 自评/核算/结论 when there is nothing: plain ASCII, one cell wide in every
terminal (an em dash is East-Asian *ambiguous* width and would misalign CJK tables)."""

FLAG_LABELS: Mapping[str, tuple[str, str]] = {
    "provisional": ("暂定", "provisional"),
    "disagreement": ("自评与核算不一致", "self-assessment differs"),
    "approximate": ("约数", "approximate"),
    "borderline": ("临界", "borderline"),
    "report-only": ("仅报告", "report only"),
}
"""Flag → (Chinese label, English label), in the order flags are shown."""

_SELF_STATUS_EN = {
    SelfStatus.MET: "met",
    SelfStatus.BASICALLY_MET: "basically met",
    SelfStatus.IN_TRIAL: "on trial",
    SelfStatus.NOT_MET: "not met",
    SelfStatus.NOT_APPLICABLE: "not applicable",
    SelfStatus.NOT_STATED: "not stated",
}

_BASIS = {
    "argument": ("命令行指定", "given on the command line"),
    "stated": ("数据注明", "stated in the data"),
    "inferred": ("推定", "inferred"),
    "inferred (1 September of the school year)": (
        "按学年推定为9月1日",
        "inferred: 1 September of the school year",
    ),
    "none": ("数据未注明日期", "no date in the data"),
}

_SUMMARY_HEADERS: tuple[tuple[str, str, str], ...] = (
    ("section", "章节", "section"),
    ("item", "项目", "item"),
    ("requirement", "要求", "requirement"),
    ("self", "自评", "self-assessment"),
    ("computed", "核算", "computed"),
    ("verdict", "结论", "verdict"),
    ("value", "数值", "value"),
    ("threshold", "标准", "threshold"),
    ("source", "依据", "source"),
    ("flags", "标记", "flags"),
)

_DETAIL_HEADERS: tuple[tuple[str, str, str], ...] = (
    ("item", "项目", "item"),
    ("entity", "对象", "entity"),
    ("outcome", "结论", "outcome"),
    ("value", "数值", "value"),
    ("threshold", "标准", "threshold"),
    ("margin", "差距", "margin"),
    ("note", "说明", "note"),
)

_CV_HEADERS: tuple[tuple[str, str, str], ...] = (
    ("item", "项目", "item"),
    ("requirement", "要求", "requirement"),
    ("entity", "对象", "entity"),
    ("value", "差异系数", "CV"),
    ("threshold", "上限", "limit"),
    ("margin", "差距", "margin"),
    ("outcome", "结论", "outcome"),
    ("flags", "标记", "flags"),
    ("note", "说明", "note"),
    ("contributors", "方差主要来源", "largest shares of the variance"),
)

_DETAILS_HEADERS: tuple[tuple[str, str, str], ...] = (
    ("item", "项目", "item"),
    ("detail", "说明", "note"),
)

# The function whose conditions 达到项数 counts (EntityResult.checks, Check.group).
_COUNTED_GROUP = "at_least"

_SECTION_HEADERS: tuple[tuple[str, str, str], ...] = (
    ("kind", "类型", "kind"),
    ("id", "编号", "id"),
    ("title", "标题", "title"),
    ("verdict", "结论", "verdict"),
    ("vetoed", "否决项", "vetoed"),
)

_PROBLEM_HEADERS: tuple[tuple[str, str, str], ...] = (
    ("code", "代码", "code"),
    ("file", "文件", "file"),
    ("where", "位置", "location"),
    ("field", "字段", "field"),
    ("value", "值", "value"),
    ("message", "问题", "problem"),
)

_TEXT = {
    "zh": {
        "section": "章节",
        "block": "板块",
        "overall": "总体结论",
        "no_verdict": "无结论",
        "county": "县区",
        "as_of": "截至",
        "entities": "个对象",
        "varies": "因对象而异",
        "sections": "章节结论",
        "detail": "明细：未达到的对象与缺少的数据",
        "problems": "数据问题",
        "no_problems": "数据问题：无",
        "warnings": "注意",
        "provisional_values": "所用暂定值",
        "not_stated": "自评：未说明",
        "no_answer": "没有自评，也没有核算规则",
        "list_sep": "；",
        "flag_sep": "、",
        "count": "共 {n} 条",
        "summary": "汇总",
        "detail_sheet": "明细",
        "problems_sheet": "数据问题",
        "provenance_sheet": "来源",
        "sections_sheet": "章节",
        "key": "项目",
        "val": "内容",
        "row": "第{n}行",
        "line": "第{n}行",
        "hint": "提示：",
        "failed": "未达到：",
        "entity_heading": "学校指标：{id} {title}",
        "entity_sheet": "学校指标",
        "cv": "差异系数",
        "cv_sheet": "差异系数",
        "cv_contributors": "未达到或临界的差异系数：方差的主要来源（按项目，含该项各学段）",
        "details": "计算说明",
        "details_sheet": "计算说明",
    },
    "en": {
        "section": "section",
        "block": "block",
        "overall": "Overall verdict",
        "no_verdict": "no verdict",
        "county": "County",
        "as_of": "as of",
        "entities": " entities",
        "varies": "varies by entity",
        "sections": "Sections",
        "detail": "Detail: entities not met and missing figures",
        "problems": "Data problems",
        "no_problems": "Data problems: none",
        "warnings": "Warnings",
        "provisional_values": "Provisional values used",
        "not_stated": "self-assessment: not stated",
        "no_answer": "no self-assessment given and no computed rule",
        "list_sep": "; ",
        "flag_sep": ", ",
        "count": "{n} in all",
        "summary": "Summary",
        "detail_sheet": "Detail",
        "problems_sheet": "Data problems",
        "provenance_sheet": "Provenance",
        "sections_sheet": "Sections",
        "key": "key",
        "val": "value",
        "row": "row {n}",
        "line": "line {n}",
        "hint": "hint: ",
        "failed": "not met: ",
        "entity_heading": "School indicators: {id} {title}",
        "entity_sheet": "School indicators",
        "cv": "Coefficients of variation (差异系数)",
        "cv_sheet": "CV",
        "cv_contributors": "Failing or borderline CVs: largest shares of the variance "
        "(per rule, all its segments)",
        "details": "Computation notes",
        "details_sheet": "Computation notes",
    },
}


class DataProblemLike(Protocol):
    """What :func:`problems_table` needs of a data problem.

    :class:`eduint.data.errors.DataProblem` has these attributes; any object with them
    will do.  ``code``, ``hint`` and ``line`` are used when present.
    """

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
        """What is wrong."""

    @property
    def row(self) -> int | None:
        """The spreadsheet row the user sees, if any."""

    @property
    def sheet(self) -> str | None:
        """The spreadsheet sheet, if any."""


# ------------------------------------------------------------------ provenance


@attrs.frozen(kw_only=True)
class Provenance:
    """Where a report came from: enough to reproduce it.

    Built by the CLI (or any caller) from the rule file, the data file and the
    report, never by :func:`eduint.engine.evaluator.evaluate`, which does no I/O.

    Attributes:
        ruleset_id: the rule set's id.
        ruleset_version: its ``version``, or ``None``.
        eduint_version: the eduint version that evaluated and rendered the report.
        as_of: the date the evaluation used.
        as_of_basis: how that date was chosen (``argument``, ``stated``, ``inferred``).
        data_file: the data file's name as given, or ``None``.
        data_sha256: hex SHA-256 of the data file's bytes, or ``None``.
        rules_file: the rule file's name, or ``None``.
        rules_sha256: hex SHA-256 of the rule file's bytes, or ``None``.
        provisional_values: the provisional values the evaluation used, as text.
    """

    ruleset_id: str
    ruleset_version: str | None
    eduint_version: str
    as_of: datetime.date | None
    as_of_basis: str
    data_file: str | None = None
    data_sha256: str | None = None
    rules_file: str | None = None
    rules_sha256: str | None = None
    provisional_values: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        report: Report,
        *,
        eduint_version: str | None = None,
        data_file: str | None = None,
        data_sha256: str | None = None,
        rules_file: str | None = None,
        rules_sha256: str | None = None,
    ) -> Provenance:
        """Build the provenance of a report, taking rule set, date and provisional values from it.

        Args:
            report: the evaluated report.
            eduint_version: the eduint version; ``None`` means the running one.
            data_file: the data file's name as given.
            data_sha256: hex SHA-256 of the data file (``LoadResult.sha256``).
            rules_file: the rule file's name.
            rules_sha256: hex SHA-256 of the rule file's bytes.

        Returns:
            The provenance.
        """
        if eduint_version is None:
            eduint_version = __version__
        return cls(
            ruleset_id=report.ruleset_id,
            ruleset_version=report.ruleset_version,
            eduint_version=eduint_version,
            as_of=report.as_of,
            as_of_basis=report.as_of_basis,
            data_file=data_file,
            data_sha256=data_sha256,
            rules_file=rules_file,
            rules_sha256=rules_sha256,
            provisional_values=report.provisional_values,
        )

    def to_dict(self) -> dict[str, Any]:
        """The provenance as JSON-ready data (the date in ISO form, tuples as lists)."""
        out: dict[str, Any] = _jsonable(self)
        return out


# ------------------------------------------------------------------ small helpers


def _check_lang(lang: str) -> Lang:
    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise ValueError(f"unknown report language {lang!r}; expected 'zh' or 'en'")


def _text(lang: Lang, key: str) -> str:
    return _TEXT[lang][key]


def _headers(spec: Sequence[tuple[str, str, str]], lang: Lang) -> list[str]:
    return [zh if lang == "zh" else en for _, zh, en in spec]


def _outcome(o: Outcome | None, lang: Lang) -> str:
    return NONE_MARK if o is None else o.label(lang)


def _self_word(status: SelfStatus | None, lang: Lang) -> str:
    if status is None:
        return NONE_MARK
    return status.value if lang == "zh" else _SELF_STATUS_EN[status]


def _flag_list(flags: Iterable[str], lang: Lang) -> str:
    present = set(flags)
    ordered = [f for f in FLAG_LABELS if f in present]
    ordered += sorted(present - set(FLAG_LABELS))
    index = 0 if lang == "zh" else 1
    labels = [FLAG_LABELS[f][index] if f in FLAG_LABELS else f for f in ordered]
    return _text(lang, "flag_sep").join(labels)


def _item_flags(item: ItemResult) -> list[str]:
    flags = list(item.flags)
    for present, name in (
        (item.provisional, "provisional"),
        (item.disagreement, "disagreement"),
        (item.report_only, "report-only"),
    ):
        if present and name not in flags:
            flags.append(name)
    return flags


def _title(item: ItemResult, lang: Lang) -> str:
    if lang == "en" and item.title_en:
        return item.title_en
    return item.title or item.requirement or ""


def _parents(report: Report) -> set[str]:
    """The ids of items that have parts (a part's last section label is its item)."""
    return {r.section[-1] for r in report.items if r.kind == "part" and r.section}


def _section_label(item: ItemResult) -> str:
    path = item.section[:-1] if item.kind == "part" else item.section
    return "/".join(path)


def _item_label(item: ItemResult) -> str:
    return f"  {item.id}" if item.kind == "part" else item.id


def _report_values(values: Sequence[ReportValue], lang: Lang) -> list[str]:
    out = []
    for rv in values:
        text = rv.text if rv.text is not None else Outcome.NO_DATA.label(lang)
        out.append(f"{rv.name} = {text}" if rv.name else text)
    return out


def _value_cell(item: ItemResult, lang: Lang) -> str:
    sep = _text(lang, "list_sep")
    if len(item.entities) > 1:
        # Several schools/segments: the item's own value is one entity's; count instead.
        counts: dict[Outcome, int] = {}
        for e in item.entities:
            if e.outcome is not None:
                counts[e.outcome] = counts.get(e.outcome, 0) + 1
        parts = [
            f"{o.value}{counts[o]}" if lang == "zh" else f"{counts[o]} {o.english}"
            for o in Outcome
            if o in counts
        ]
        head = f"{len(item.entities)}{_text(lang, 'entities')}"
        return (
            head + ("：" if lang == "zh" else ": ") + ("，" if lang == "zh" else ", ").join(parts)
        )
    named_reports = [rv for rv in item.reports if rv.name]
    named = _report_values(named_reports, lang)
    # The compared value is always shown, except when a named report line shows
    # the same figure ("1；超大班额班级数 = 1" would read as two figures).
    repeated = item.value is not None and any(rv.text == item.value for rv in named_reports)
    shown = [item.value] if item.value and not repeated else []
    return sep.join(shown + named)


def _threshold_cell(item: ItemResult, lang: Lang) -> str:
    if len(item.entities) > 1:
        thresholds = list(dict.fromkeys(e.threshold for e in item.entities if e.threshold))
        if len(thresholds) > 1:
            return _text(lang, "varies")
        return thresholds[0] if thresholds else ""
    return item.threshold or ""


def _clean_cell(text: str, fmt: str) -> str:
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    if fmt in ("github", "pipe"):
        text = text.replace("|", "\\|")
    return text


_NO_WRAP_FORMATS = frozenset({"github", "pipe", "html", "unsafehtml", "tsv", "jira", "textile"})


def _tabulate(
    rows: Sequence[Sequence[str]], headers: Sequence[str], fmt: str, wrap: int | None = None
) -> str:
    if fmt not in _tabulate_module.tabulate_formats:
        raise ValueError(
            f"unknown table format {fmt!r}; expected one of "
            + ", ".join(_tabulate_module.tabulate_formats)
        )
    _tabulate_module.WIDE_CHARS_MODE = True
    html_like = fmt in ("html", "unsafehtml")
    cells = []
    for row in rows:
        cleaned = [_clean_cell(c, fmt) for c in row]
        if html_like:
            # HTML collapses spaces: keep the indentation of parts as no-break spaces.
            cleaned = [re.sub(r"^ +", lambda m: "\u00a0" * len(m.group()), c) for c in cleaned]
        cells.append(cleaned)
    if wrap is not None and wrap < 1:
        raise ValueError(f"wrap must be at least 1 display cell, got {wrap}")
    return _tabulate_module.tabulate(
        cells,
        headers=list(headers),
        tablefmt=fmt,
        disable_numparse=True,
        preserve_whitespace=True,
        missingval="",
        # one-line formats (Markdown, HTML …) are never wrapped
        maxcolwidths=wrap if wrap is not None and fmt not in _NO_WRAP_FORMATS else None,
    )


def table(rows: Sequence[Sequence[str]], headers: Sequence[str], *, fmt: str = "simple") -> str:
    """Any rows of text as a table, the way this module draws its own.

    Every cell is text (no number parsing), leading whitespace is kept and CJK
    characters count two cells.

    Args:
        rows: The rows, each a sequence of strings.
        headers: The column headers.
        fmt: Any tabulate format.

    Returns:
        The table text, without a final newline.

    Raises:
        ValueError: unknown ``fmt``.
    """
    return _tabulate(rows, headers, fmt)


def display_width(text: str) -> int:
    """The width of ``text`` in terminal cells (CJK characters count two).

    For text of several lines, the widest line.  A character wcwidth cannot measure
    (a control character) counts one.
    """
    widest = 0
    for line in text.splitlines() or [""]:
        w = wcwidth.wcswidth(line)
        if w < 0:
            w = sum(max(wcwidth.wcwidth(ch), 1) for ch in line)
        widest = max(widest, w)
    return widest


# ------------------------------------------------------------------ summary


def summary_rows(report: Report, *, lang: str = "zh") -> list[dict[str, str]]:
    """The summary: one row per item, part and rule, in rule-file order.

    Args:
        report: the evaluated report.
        lang: ``"zh"`` (Chinese headers and outcome words) or ``"en"``.

    Returns:
        One dict per row, keyed by the column headers in ``lang`` (章节, 项目, 要求,
        自评, 核算, 结论, 数值, 标准, 依据, 标记; or section, item, requirement,
        self-assessment, computed, verdict, value, threshold, source, flags), every
        value a string.  Parts are indented under their item (``"  12.1"``).

    Raises:
        ValueError: ``lang`` is not ``"zh"`` or ``"en"``.
    """
    lg = _check_lang(lang)
    headers = _headers(_SUMMARY_HEADERS, lg)
    sep = _text(lg, "list_sep")
    rows = []
    for item in report.items:
        self_word = _self_word(item.self_status, lg)
        if item.self_status is None and item.self_outcome is not None:
            self_word = item.self_outcome.label(lg)  # combined from the parts' answers
        cells = [
            _section_label(item),
            _item_label(item),
            _title(item, lg),
            self_word,
            _outcome(item.computed, lg),
            _outcome(item.headline, lg),
            _value_cell(item, lg),
            _threshold_cell(item, lg),
            sep.join(item.sources),
            _flag_list(_item_flags(item), lg),
        ]
        rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def summary_table(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """The summary (:func:`summary_rows`) as a table.

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.
        fmt: any tabulate format (``simple``, ``plain``, ``github``, ``grid``, ``html`` …).
        wrap: wrap cells wider than this many display cells onto several lines
            (``None``: never; one-line formats such as ``github`` and ``html`` are
            never wrapped).

    Returns:
        The table text, without a final newline.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = summary_rows(report, lang=lg)
    return _tabulate([list(r.values()) for r in rows], _headers(_SUMMARY_HEADERS, lg), fmt, wrap)


# ------------------------------------------------------------------ sections


def sections_rows(report: Report, *, lang: str = "zh") -> list[dict[str, str]]:
    """The section and block roll-ups, one row each, in file order.

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.

    Returns:
        Rows keyed by 类型, 编号, 标题, 结论, 否决项 (kind, id, title, verdict, vetoed).

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = _check_lang(lang)
    headers = _headers(_SECTION_HEADERS, lg)
    rows = []
    for s in report.sections:
        kind = _TEXT[lg].get(s.kind, s.kind)
        cells = [kind, s.id, s.title or "", _outcome(s.outcome, lg), ", ".join(s.vetoed)]
        rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def sections_table(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """The section roll-ups (:func:`sections_rows`) as a table (``wrap`` as for
    :func:`summary_table`).

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = sections_rows(report, lang=lg)
    return _tabulate([list(r.values()) for r in rows], _headers(_SECTION_HEADERS, lg), fmt, wrap)


def overall_line(report: Report, *, lang: str = "zh") -> str:
    """One line with the overall verdict and what it is about.

    Example: ``总体结论：未达到（示例县；tiny_report 0.1；截至 2019-09-01，数据注明）``.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = _check_lang(lang)
    verdict = report.overall.label(lg) if report.overall is not None else _text(lg, "no_verdict")
    basis_pair = _BASIS.get(report.as_of_basis)
    basis = (basis_pair[0] if lg == "zh" else basis_pair[1]) if basis_pair else report.as_of_basis
    ruleset = report.ruleset_id + (f" {report.ruleset_version}" if report.ruleset_version else "")
    as_of = _date_text(report.as_of, lg)
    if lg == "zh":
        return f"总体结论：{verdict}（{report.county}；{ruleset}；截至 {as_of}，{basis}）"
    return f"Overall verdict: {verdict} ({report.county}; {ruleset}; as of {as_of}, {basis})"


# ------------------------------------------------------------------ detail


def detail_rows(report: Report, *, lang: str = "zh") -> list[dict[str, str]]:
    """What fails and what is missing, item by item.

    One row for each entity (school, segment, class) that is 未达到, with its value,
    threshold and margin; one for each entity that is 缺少数据, with the figures it
    lacks; one for each other missing figure or list of an item (a county figure, an
    incomplete list, a report value that could not be computed); and one for each
    item with no answer and no computed rule.  Items that have parts are left out:
    their parts have rows of their own.

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.

    Returns:
        Rows keyed by 项目, 对象, 结论, 数值, 标准, 差距, 说明 (item, entity, outcome,
        value, threshold, margin, note).

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = _check_lang(lang)
    headers = _headers(_DETAIL_HEADERS, lg)
    sep = _text(lg, "list_sep")
    not_met = Outcome.NOT_MET.label(lg)
    no_data = Outcome.NO_DATA.label(lg)
    parents = _parents(report)
    rows: list[list[str]] = []
    for item in report.items:
        if item.kind == "item" and item.id in parents:
            continue
        covered: set[str] = set()
        for e in item.entities:
            if e.outcome is Outcome.NOT_MET:
                rows.append(
                    [
                        item.id,
                        e.entity,
                        not_met,
                        e.value or "",
                        e.threshold or "",
                        e.margin or "",
                        _flag_list(e.flags, lg),
                    ]
                )
            elif e.outcome is Outcome.NO_DATA:
                covered.update(e.missing)
                note = sep.join(e.missing) or e.reason or ""
                rows.append(
                    [item.id, e.entity, no_data, e.value or "", e.threshold or "", "", note]
                )
        if not item.entities and item.computed is Outcome.NOT_MET:
            rows.append(
                [
                    item.id,
                    ", ".join(item.failing) or report.county,
                    not_met,
                    item.value or "",
                    item.threshold or "",
                    item.margin or "",
                    _flag_list(item.flags, lg),
                ]
            )
        for m in item.missing:
            if m not in covered:
                rows.append([item.id, "", no_data, "", "", "", m])
        for rv in item.reports:
            if rv.text is None and rv.name:
                note = f"{rv.name}: " + (sep.join(rv.missing) or no_data)
                rows.append([item.id, "", no_data, "", "", "", note])
        if (
            item.headline is Outcome.NO_DATA
            and item.computed is None
            and not item.missing
            and not item.report_only
        ):
            if item.self_status is SelfStatus.NOT_STATED:
                note = _text(lg, "not_stated")
            elif lg == "zh" or not item.reason:
                note = _text(lg, "no_answer")
            else:
                note = item.reason
            rows.append([item.id, "", no_data, "", "", "", note])
    return [dict(zip(headers, r, strict=True)) for r in rows]


def detail_table(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """The detail (:func:`detail_rows`) as a table (``wrap`` as for :func:`summary_table`).

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = detail_rows(report, lang=lg)
    return _tabulate([list(r.values()) for r in rows], _headers(_DETAIL_HEADERS, lg), fmt, wrap)


# ------------------------------------------------------------------ per-entity tables


def entity_items(report: Report) -> tuple[ItemResult, ...]:
    """The rules whose entities carry their own report values (``report`` lines
    evaluated per school, segment or class), in rule-file order: the rules
    :func:`entity_rows` and :func:`entity_tables` show."""
    return tuple(r for r in report.items if any(e.values for e in r.entities))


def _counted_checks(e: EntityResult) -> list[Check]:
    return [c for c in e.checks if c.group == _COUNTED_GROUP]


def _count_cell(e: EntityResult, lang: Lang) -> str:
    counted = _counted_checks(e)
    if not counted:
        return ""
    met = sum(1 for c in counted if c.met is True)
    undecided = sum(1 for c in counted if c.met is None)
    cell = f"{met}/{len(counted)}"
    if undecided:
        cell += f"（{undecided}项未定）" if lang == "zh" else f" ({undecided} undecided)"
    return cell


def _entity_note(e: EntityResult, lang: Lang) -> str:
    sep = _text(lang, "list_sep")
    parts: list[str] = []
    failed = list(dict.fromkeys(c.text for c in e.checks if c.met is False and c.text))
    if failed:
        parts.append(_text(lang, "failed") + sep.join(failed))
    if e.missing:
        parts.append(sep.join(e.missing))
    elif e.reason and e.outcome in (Outcome.NOT_APPLICABLE, Outcome.NO_DATA):
        parts.append(e.reason)
    return sep.join(parts)


def _entity_columns(items: Sequence[ItemResult], lang: Lang) -> list[tuple[str, str]]:
    """(key, header) of the columns of the entity rows of ``items``: the entity, each
    report name (in order of first appearance), then the optional value columns, the
    count of counted conditions met, the outcome, flags and the note."""
    entities = [e for item in items for e in item.entities]
    names = list(dict.fromkeys(rv.name for e in entities for rv in e.values if rv.name))
    fixed = [
        (key, zh if lang == "zh" else en, shown)
        for key, zh, en, shown in (
            ("entity", "对象", "entity", True),
            ("value", "数值", "value", any(e.value is not None for e in entities)),
            ("threshold", "标准", "threshold", any(e.value is not None for e in entities)),
            ("margin", "差距", "margin", any(e.value is not None for e in entities)),
            ("count", "达到项数", "conditions met", any(_counted_checks(e) for e in entities)),
            ("outcome", "结论", "outcome", True),
            ("flags", "标记", "flags", any(e.flags for e in entities)),
            ("note", "说明", "note", True),
        )
    ]
    taken = {header for _, header, _ in fixed} | {"项目", "item"}
    suffix = "（报告值）" if lang == "zh" else " (report)"
    values = [(f"value:{n}", n + suffix if n in taken else n) for n in names]
    cols = [(key, header) for key, header, shown in fixed if shown]
    return cols[:1] + values + cols[1:]


def _entity_cells(e: EntityResult, lang: Lang) -> dict[str, str]:
    cells = {
        "entity": e.entity,
        "value": e.value or "",
        "threshold": e.threshold or "",
        "margin": e.margin or "",
        "count": _count_cell(e, lang),
        "outcome": _outcome(e.outcome, lang),
        "flags": _flag_list(e.flags, lang),
        "note": _entity_note(e, lang),
    }
    for rv in e.values:
        if rv.name:
            text = rv.text if rv.text is not None else Outcome.NO_DATA.label(lang)
            cells.setdefault(f"value:{rv.name}", text)
    return cells


def entity_rows(
    report: Report, *, lang: str = "zh", rule: str | None = None
) -> list[dict[str, str]]:
    """One row per entity of every rule whose entities carry report values
    (:func:`entity_items`), or of the one rule ``rule``.

    The columns: 项目 (item), 对象 (entity), one column per report value, headed by
    its name (``高学历教师``), with the value and its unit as evaluated for that entity
    (缺少数据 / ``no data`` when it could not be computed); 数值, 标准, 差距 when the
    requirement shows a value per entity; 达到项数 (conditions met) when the
    requirement counts conditions (``at_least(k, [...])``): how many of them the
    entity meets, of how many (``6/7``; ``（1项未定）`` when some are undecided);
    结论 (outcome); 标记 (flags) when an entity has any; 说明 (note): the conditions
    the entity fails (as rule text), the missing figures, or why it is 不适用.

    Rows of several rules share one set of columns (the union of their report
    names); a cell a rule does not have is empty.

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"`` headers and words (report names are as written).
        rule: the id of one rule; ``None`` for all of :func:`entity_items`.

    Returns:
        Rows keyed by the headers, every value a string; empty when no rule has
        per-entity report values.

    Raises:
        ValueError: unknown ``lang``.
        KeyError: no rule ``rule`` with per-entity report values.
    """
    lg = _check_lang(lang)
    items = entity_items(report)
    if rule is not None:
        items = tuple(i for i in items if i.id == rule)
        if not items:
            raise KeyError(rule)
    cols = [("item", "项目" if lg == "zh" else "item"), *_entity_columns(items, lg)]
    rows = []
    for item in items:
        for e in item.entities:
            cells = _entity_cells(e, lg)
            cells["item"] = item.id
            rows.append({header: cells.get(key, "") for key, header in cols})
    return rows


def entity_tables(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """:func:`entity_rows` as one table per rule, each under a heading
    (``学校指标：学校达标 每所学校…`` / ``School indicators: …``).

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.
        fmt: any tabulate format.
        wrap: wrap cells wider than this many display cells (as :func:`summary_table`).

    Returns:
        The headings and tables separated by blank lines, without a final newline;
        ``""`` when no rule has per-entity report values.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    out: list[str] = []
    for item in entity_items(report):
        rows = entity_rows(report, lang=lg, rule=item.id)
        headers = list(rows[0])[1:]  # the item is the heading, not a column
        heading = _text(lg, "entity_heading").format(id=item.id, title=_title(item, lg))
        out += [heading, _tabulate([list(r.values())[1:] for r in rows], headers, fmt, wrap), ""]
    return "\n".join(out[:-1])


# ------------------------------------------------------------------ 差异系数


_CV_REQUIREMENT = re.compile(r"^\s*(?:cv|差异系数)\s*\(")

CONTRIBUTORS_PREFIX = "largest shares of the variance"
"""How the evaluator starts the detail that names the schools weighing most in a
差异系数 (``largest shares of the variance: 新星小学 小学 55.1%, …``)."""


def cv_items(report: Report) -> tuple[ItemResult, ...]:
    """The rules whose requirement compares a 差异系数 (its rule text starts with
    ``cv(`` or ``差异系数(``: ``cv(x over 学段) <= 差异系数上限``), in rule-file order."""
    return tuple(r for r in report.items if r.requirement and _CV_REQUIREMENT.match(r.requirement))


def _cv_judged(item: ItemResult) -> list[EntityResult]:
    """The item's per-entity results, or for a county-scope rule (no entities) one
    built from the item's own figures."""
    if item.entities:
        return list(item.entities)
    return [
        EntityResult(
            entity="",
            where="county",
            outcome=item.computed,
            value=item.value,
            threshold=item.threshold,
            margin=item.margin,
            reason=item.reason,
            missing=item.missing,
            flags=tuple(f for f in item.flags if f in ("approximate", "borderline")),
            details=item.details,
        )
    ]


def _needs_contributors(e: EntityResult) -> bool:
    return e.outcome is Outcome.NOT_MET or "borderline" in e.flags


def cv_contributors(report: Report) -> list[tuple[str, str]]:
    """For each 差异系数 rule (:func:`cv_items`) with an entity that fails or is
    borderline: the rule's details that name the largest shares of the variance.

    A rule's details belong to the rule, not to one county segment: a rule over
    小学 and 初中 has one such line per segment whose 差异系数 was computed, each
    naming its schools (``新星学校 初中 75%``).  A line that names no school (a
    差异系数 of 0) is left out.

    Returns:
        ``(rule id, detail)`` pairs in rule-file order.
    """
    out: list[tuple[str, str]] = []
    for item in cv_items(report):
        for e in _cv_judged(item):
            if _needs_contributors(e):
                out += [(item.id, d) for d in _contributor_lines(e)]
    return out


def _contributor_lines(e: EntityResult) -> list[str]:
    """The entity's own detail lines naming the largest shares of the variance."""
    return [
        d
        for d in e.details
        if d.startswith(CONTRIBUTORS_PREFIX) and d[len(CONTRIBUTORS_PREFIX) :].strip(" :")
    ]


def cv_rows(report: Report, *, lang: str = "zh") -> list[dict[str, str]]:
    """One row per 差异系数 rule (:func:`cv_items`) and county segment (or other entity).

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.

    Returns:
        Rows keyed by 项目, 要求, 对象, 差异系数, 上限, 差距, 结论, 标记, 说明,
        方差主要来源 (item, requirement, entity, CV, limit, margin,
        outcome, flags, note, largest shares of the variance): the CV and its limit as displayed, the signed margin
        (negative: over the limit), flags (临界 borderline, 约数 …, and 暂定 when the
        rule's verdict is provisional), the missing figures or why 不适用, and, on a
        row that fails or is borderline, that segment's schools with the largest
        shares of the variance.
        A county-scope rule has one row, its entity the county.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = _check_lang(lang)
    headers = _headers(_CV_HEADERS, lg)
    sep = _text(lg, "list_sep")
    rows = []
    for item in cv_items(report):
        for e in _cv_judged(item):
            flags = list(e.flags)
            if item.provisional:
                flags.append("provisional")
            note = sep.join(e.missing) or (
                e.reason if e.outcome in (Outcome.NOT_APPLICABLE, Outcome.NO_DATA) else None
            )
            cells = [
                item.id,
                _title(item, lg),
                e.entity or report.county,
                e.value or "",
                e.threshold or "",
                e.margin or "",
                _outcome(e.outcome, lg),
                _flag_list(flags, lg),
                note or "",
                sep.join(_contributor_lines(e)) if _needs_contributors(e) else "",
            ]
            rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def cv_table(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """:func:`cv_rows` as a table, without the 要求 and 方差主要来源 columns (the text
    report lists :func:`cv_contributors` under the table).

    Returns:
        The table, without a final newline; ``""`` when the report has no 差异系数 rule.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = cv_rows(report, lang=lg)
    if not rows:
        return ""
    shown = [
        h
        for (key, _, _), h in zip(_CV_HEADERS, _headers(_CV_HEADERS, lg), strict=True)
        if key not in ("requirement", "contributors")
    ]
    return _tabulate([[r[h] for h in shown] for r in rows], shown, fmt, wrap)


# ------------------------------------------------------------------ details


def details_rows(report: Report, *, lang: str = "zh") -> list[dict[str, str]]:
    """The evaluator's notes on how it computed each rule (:attr:`ItemResult.details`):
    schools the settings leave out and why, one-through schools' figures split by
    segment, schools with 0 students left out, the largest shares of a 差异系数's
    variance.  One row per note, keyed by 项目, 说明 (item, note), in rule-file order.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = _check_lang(lang)
    headers = _headers(_DETAILS_HEADERS, lg)
    return [
        dict(zip(headers, (item.id, d), strict=True)) for item in report.items for d in item.details
    ]


def details_table(
    report: Report, *, lang: str = "zh", fmt: str = "simple", wrap: int | None = None
) -> str:
    """:func:`details_rows` as a table (``wrap`` as for :func:`summary_table`).

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = details_rows(report, lang=lg)
    return _tabulate([list(r.values()) for r in rows], _headers(_DETAILS_HEADERS, lg), fmt, wrap)


# ------------------------------------------------------------------ data problems


def _show_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _shorten(value if isinstance(value, str) else str(value))


def _shorten(text: str, limit: int = 60) -> str:
    """A value as the user wrote it, cut to ``limit`` characters in tables."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _problem_location(p: DataProblemLike, lang: Lang) -> str:
    parts: list[str] = []
    sheet = getattr(p, "sheet", None)
    row = getattr(p, "row", None)
    line = getattr(p, "line", None)
    if sheet:
        parts.append(str(sheet))
    if row is not None:
        parts.append(_text(lang, "row").format(n=row))
    elif line is not None:
        parts.append(_text(lang, "line").format(n=line))
    if p.path:
        parts.append(p.path)
    return " ".join(parts)


def problems_rows(problems: Iterable[DataProblemLike], *, lang: str = "zh") -> list[dict[str, str]]:
    """The data problems, one row each, in the order given.

    Args:
        problems: objects with ``file``, ``path``, ``field``, ``value``, ``message``,
            ``row`` and ``sheet`` (:class:`eduint.data.errors.DataProblem`); ``code``,
            ``hint`` and ``line`` are shown when present.
        lang: ``"zh"`` or ``"en"``.

    Returns:
        Rows keyed by 代码, 文件, 位置, 字段, 值, 问题 (code, file, location, field,
        value, problem).

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = _check_lang(lang)
    headers = _headers(_PROBLEM_HEADERS, lg)
    rows = []
    for p in problems:
        hint = getattr(p, "hint", None)
        message = p.message + (f" ({_text(lg, 'hint')}{hint})" if hint else "")
        cells = [
            str(getattr(p, "code", "") or ""),
            p.file,
            _problem_location(p, lg),
            p.field or "",
            _show_value(p.value),
            message,
        ]
        rows.append(dict(zip(headers, cells, strict=True)))
    return rows


def problems_table(
    problems: Iterable[DataProblemLike],
    *,
    lang: str = "zh",
    fmt: str = "simple",
    wrap: int | None = None,
) -> str:
    """The data problems (:func:`problems_rows`) as a table (``wrap`` as for
    :func:`summary_table`).

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    rows = problems_rows(problems, lang=lg)
    return _tabulate([list(r.values()) for r in rows], _headers(_PROBLEM_HEADERS, lg), fmt, wrap)


# ------------------------------------------------------------------ whole reports


def _date_text(day: datetime.date | None, lang: str) -> str:
    if day is None:
        return "未注明" if lang == "zh" else "not stated"
    return day.isoformat()


def _heading(report: Report, lang: Lang) -> list[str]:
    title = report.ruleset_title or report.ruleset_id
    ident = report.ruleset_id + (f" {report.ruleset_version}" if report.ruleset_version else "")
    code = report.county_code
    if lang == "zh":
        county = report.county + (f"（{code}）" if code else "")
    else:
        county = report.county + (f" ({code})" if code else "")
    basis_pair = _BASIS.get(report.as_of_basis)
    basis = (basis_pair[0] if lang == "zh" else basis_pair[1]) if basis_pair else report.as_of_basis
    if lang == "zh":
        return [
            f"{title}（{ident}）",
            f"县区：{county}    截至：{_date_text(report.as_of, 'zh')}（{basis}）",
        ]
    return [
        f"{title} ({ident})",
        f"County: {county}    as of {_date_text(report.as_of, 'en')} ({basis})",
    ]


def text_report(
    report: Report,
    *,
    lang: str = "zh",
    fmt: str = "simple",
    problems: Sequence[DataProblemLike] = (),
    detail: bool = False,
    data_summary: str | None = None,
    wrap: int | None = None,
) -> str:
    """The report as text: heading, summary table, sections, overall verdict, data
    problems, warnings and provisional values used.

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.
        fmt: the tabulate format of the tables (``simple``, ``plain``, ``github``, ``grid``).
        problems: the data problems to list (every one of them).
        detail: also include :func:`detail_table` (entities not met, missing figures).
        data_summary: a line about the data read (rows read/used/rejected), shown
            with the data problems.
        wrap: wrap table cells wider than this many display cells (``None``: never).

    Returns:
        The text, ending in a newline.

    Raises:
        ValueError: unknown ``lang`` or ``fmt``.
    """
    lg = _check_lang(lang)
    out = _heading(report, lg)
    out += ["", summary_table(report, lang=lg, fmt=fmt, wrap=wrap)]
    entities = entity_tables(report, lang=lg, fmt=fmt, wrap=wrap)
    if entities:
        out += ["", entities]
    cv = cv_table(report, lang=lg, fmt=fmt, wrap=wrap)
    if cv:
        out += ["", _text(lg, "cv"), cv]
        contributors = cv_contributors(report)
        if contributors:
            colon = "：" if lg == "zh" else ": "
            out += ["", _text(lg, "cv_contributors")]
            out += [f"- {rule}{colon}{line}" for rule, line in contributors]
    if report.sections:
        out += ["", _text(lg, "sections"), sections_table(report, lang=lg, fmt=fmt, wrap=wrap)]
    if detail:
        rows = detail_rows(report, lang=lg)
        if rows:
            out += ["", _text(lg, "detail"), detail_table(report, lang=lg, fmt=fmt, wrap=wrap)]
        if details_rows(report, lang=lg):
            out += ["", _text(lg, "details"), details_table(report, lang=lg, fmt=fmt, wrap=wrap)]
    out += ["", overall_line(report, lang=lg)]
    if problems or data_summary:
        count = _text(lg, "count").format(n=len(problems))
        out += [
            "",
            f"{_text(lg, 'problems')}（{count}）"
            if lg == "zh"
            else f"{_text(lg, 'problems')} ({count})",
        ]
        if data_summary:
            out.append(data_summary)
        if problems:
            out.append(problems_table(problems, lang=lg, fmt=fmt, wrap=wrap))
    else:
        out += ["", _text(lg, "no_problems")]
    if report.warnings:
        out += ["", _text(lg, "warnings")] + [f"- {w}" for w in report.warnings]
    if report.provisional_values:
        out += ["", _text(lg, "provisional_values")]
        out += [f"- {v}" for v in report.provisional_values]
    return "\n".join(out) + "\n"


def html_report(
    report: Report,
    *,
    lang: str = "zh",
    problems: Sequence[DataProblemLike] = (),
    provenance: Provenance | None = None,
) -> str:
    """The report as a standalone HTML page (every value escaped).

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.
        problems: the data problems to list.
        provenance: where the report came from, shown at the end when given.

    Returns:
        The HTML document, ending in a newline.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = _check_lang(lang)
    esc = html.escape
    heading = _heading(report, lg)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lg == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        f"<title>{esc(heading[0])}</title>",
        "<style>table{border-collapse:collapse}td,th{border:1px solid #999;"
        "padding:2px 6px;vertical-align:top;white-space:pre-wrap}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(heading[0])}</h1>",
        f"<p>{esc(heading[1])}</p>",
        summary_table(report, lang=lg, fmt="html"),
        f"<p><strong>{esc(overall_line(report, lang=lg))}</strong></p>",
    ]
    for item in entity_items(report):
        school_rows = entity_rows(report, lang=lg, rule=item.id)
        caption = _text(lg, "entity_heading").format(id=item.id, title=_title(item, lg))
        parts += [
            f"<h2>{esc(caption)}</h2>",
            _tabulate(
                [list(r.values())[1:] for r in school_rows], list(school_rows[0])[1:], "html"
            ),
        ]
    if cv_items(report):
        parts += [f"<h2>{esc(_text(lg, 'cv'))}</h2>", cv_table(report, lang=lg, fmt="html")]
        contributors = cv_contributors(report)
        if contributors:
            parts.append(f"<p>{esc(_text(lg, 'cv_contributors'))}</p>")
            parts.append(
                "<ul>"
                + "".join(f"<li>{esc(rule)}: {esc(line)}</li>" for rule, line in contributors)
                + "</ul>"
            )
    if report.sections:
        parts += [
            f"<h2>{esc(_text(lg, 'sections'))}</h2>",
            sections_table(report, lang=lg, fmt="html"),
        ]
    if detail_rows(report, lang=lg):
        parts += [f"<h2>{esc(_text(lg, 'detail'))}</h2>", detail_table(report, lang=lg, fmt="html")]
    if details_rows(report, lang=lg):
        parts += [
            f"<h2>{esc(_text(lg, 'details'))}</h2>",
            details_table(report, lang=lg, fmt="html"),
        ]
    if problems:
        parts += [
            f"<h2>{esc(_text(lg, 'problems'))}</h2>",
            problems_table(problems, lang=lg, fmt="html"),
        ]
    else:
        parts.append(f"<p>{esc(_text(lg, 'no_problems'))}</p>")
    for key, lines in (
        ("warnings", report.warnings),
        ("provisional_values", report.provisional_values),
    ):
        if lines:
            parts.append(f"<h2>{esc(_text(lg, key))}</h2>")
            parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>")
    if provenance is not None:
        parts.append(f"<h2>{esc(_text(lg, 'provenance_sheet'))}</h2>")
        rows = [[k, v] for k, v in _provenance_pairs(report, provenance, lg)]
        parts.append(_tabulate(rows, [_text(lg, "key"), _text(lg, "val")], "html"))
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


# ------------------------------------------------------------------ JSON


def _jsonable(x: Any) -> Any:
    """Convert report data to JSON-ready values: enums by value, dates in ISO form,
    attrs instances as dicts (every field), tuples as lists."""
    if x is None or isinstance(x, (str, bool, int)):
        return x
    if isinstance(x, float):
        return x if math.isfinite(x) else str(x)
    if isinstance(x, enum.Enum):
        return _jsonable(x.value)
    if isinstance(x, (datetime.date, datetime.datetime)):
        return x.isoformat()
    if attrs.has(type(x)):
        return {a.name: _jsonable(getattr(x, a.name)) for a in attrs.fields(type(x))}
    if isinstance(x, Mapping):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    return str(x)


def _problem_json(p: DataProblemLike) -> dict[str, Any]:
    return {
        "file": p.file,
        "path": p.path,
        "field": p.field,
        "value": _jsonable(p.value),
        "message": p.message,
        "row": p.row,
        "sheet": p.sheet,
        "line": getattr(p, "line", None),
        "code": getattr(p, "code", None),
        "hint": getattr(p, "hint", None),
    }


def to_json(
    report: Report,
    *,
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] | None = None,
) -> dict[str, Any]:
    """The report as a versioned JSON document (a dict of JSON-ready values).

    Every field of :class:`~eduint.engine.results.Report` is a top-level key (``items``
    with every field of each :class:`~eduint.engine.results.ItemResult`, ``sections``,
    ``overall``, ``warnings``, ``provisional_values`` …).  Outcomes are their Chinese
    values (``"未达到"``); ``self_status`` is the county's own word (``"试行"``).

    Args:
        report: the evaluated report.
        provenance: where the report came from; ``null`` in the document when ``None``.
        problems: the data problems; the ``data_problems`` key is left out when ``None``.

    Returns:
        A dict with ``schema`` (:data:`REPORT_SCHEMA_ID`), ``eduint_report_version``
        (:data:`REPORT_VERSION`), the report's fields, optionally ``data_problems``,
        and ``provenance``.  It validates against :func:`report_json_schema`.
    """
    doc: dict[str, Any] = {"schema": REPORT_SCHEMA_ID, "eduint_report_version": REPORT_VERSION}
    body = _jsonable(report)
    doc.update(body)
    if problems is not None:
        doc["data_problems"] = [_problem_json(p) for p in problems]
    doc["provenance"] = provenance.to_dict() if provenance is not None else None
    return doc


def dump_json(
    report: Report,
    *,
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] | None = None,
) -> str:
    """:func:`to_json` as text: UTF-8 friendly (``ensure_ascii=False``), indented by 2,
    with a final newline."""
    doc = to_json(report, provenance=provenance, problems=problems)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _str_or_null(description: str) -> dict[str, Any]:
    return {"type": ["string", "null"], "description": description}


def _str_list(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document :func:`to_json` writes.

    ``scripts/gen_report_schema.py`` writes it to
    ``docs/schema/eduint-report-v1.schema.json``; a test checks the file is current.
    """
    outcome_or_null = {"anyOf": [{"$ref": "#/$defs/outcome"}, {"type": "null"}]}
    entity = {
        "type": "object",
        "description": "The outcome of a rule for one school, segment, class or county segment.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(EntityResult)],
        "properties": {
            "entity": {"type": "string", "description": "display name (育人小学 小学)"},
            "where": {"type": "string", "description": "data path of the entity"},
            "outcome": {**outcome_or_null, "description": "null for a report-only evaluation"},
            "value": _str_or_null("the main value as displayed, with its unit"),
            "threshold": _str_or_null("the threshold as displayed"),
            "margin": _str_or_null("signed margin, displayed (negative: short of the threshold)"),
            "reason": _str_or_null("why 不适用 or 缺少数据"),
            "missing": _str_list("the missing figures"),
            "flags": _str_list("approximate, borderline, provisional ..."),
            "values": {
                "type": "array",
                "description": "the rule's report values for this entity",
                "items": {"$ref": "#/$defs/report_value"},
            },
            "checks": {
                "type": "array",
                "description": "every comparison of the requirement for this entity, in order "
                "(comparisons inside aggregates are not listed)",
                "items": {"$ref": "#/$defs/check"},
            },
            "details": _str_list(
                "what this entity's evaluation left out, split or found "
                "(for a 差异系数: the schools with the largest shares of the variance)"
            ),
        },
    }
    check = {
        "type": "object",
        "description": "One comparison of a requirement, as it came out for one entity.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(Check)],
        "properties": {
            "text": {"type": "string", "description": "the comparison as rule text"},
            "value": _str_or_null("the left side as displayed"),
            "threshold": _str_or_null("the right side as displayed"),
            "met": {
                "type": ["boolean", "null"],
                "description": "whether it holds; null when undecided (missing figures)",
            },
            "group": _str_or_null(
                "at_least when it is one of the conditions an at_least(k, [...]) counts"
            ),
        },
    }
    report_value = {
        "type": "object",
        "description": "A value a rule shows (a report line).",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(ReportValue)],
        "properties": {
            "name": _str_or_null("its name (大班额比例)"),
            "text": _str_or_null("the value with its unit; null when it could not be computed"),
            "missing": _str_list("what was missing when it could not be computed"),
        },
    }
    input_ = {
        "type": "object",
        "description": "A data figure the evaluation read.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(Input)],
        "properties": {
            "where": {"type": "string", "description": "data path of the entity"},
            "field": {"type": "string", "description": "the field's English name"},
            "label": _str_or_null("the field's Chinese label"),
            "value": _str_or_null("the figure as shown (约212, 30–39); null when missing"),
        },
    }
    item = {
        "type": "object",
        "description": "One item, part or rule: 自评 beside 核算, and the headline.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(ItemResult)],
        "properties": {
            "id": {"type": "string", "description": "item/part label or rule id"},
            "kind": {"enum": ["item", "part", "rule"]},
            "section": _str_list("labels of the enclosing sections/blocks (and item, for a part)"),
            "title": _str_or_null("Chinese title"),
            "title_en": _str_or_null("English title"),
            "self_status": {
                "anyOf": [{"$ref": "#/$defs/self_status"}, {"type": "null"}],
                "description": "自评: the county's own word; null when it gave none",
            },
            "self_outcome": {**outcome_or_null, "description": "自评 mapped (试行 → 基本达到)"},
            "self_evidence": _str_or_null("the county's sentence"),
            "self_actor": _str_or_null("who answered (县, 区, 市, 省)"),
            "self_note": _str_or_null("a note to the answer"),
            "computed": {**outcome_or_null, "description": "核算: what the data supports"},
            "headline": {**outcome_or_null, "description": "the verdict shown"},
            "report_only": {"type": "boolean"},
            "provisional": {"type": "boolean"},
            "disagreement": {"type": "boolean"},
            "requirement": _str_or_null("the requirement as rule text"),
            "value": _str_or_null("the main value as displayed"),
            "threshold": _str_or_null("the threshold as displayed"),
            "margin": _str_or_null("the signed margin as displayed"),
            "unit": _str_or_null("the unit of the comparison"),
            "period": _str_or_null("the period the threshold is in force (2017-01-01–)"),
            "reason": _str_or_null("why 不适用 / 缺少数据 / report-only"),
            "missing": _str_list("missing figures and entities"),
            "failing": _str_list("entities (or parts) that fail"),
            "entities": {"type": "array", "items": {"$ref": "#/$defs/entity"}},
            "reports": {"type": "array", "items": {"$ref": "#/$defs/report_value"}},
            "inputs": {"type": "array", "items": {"$ref": "#/$defs/input"}},
            "sources": _str_list("citations"),
            "notes": _str_list("notes of the rule"),
            "flags": _str_list("approximate, borderline, provisional, disagreement, report-only"),
            "details": _str_list(
                "what was left out and why, how one-through schools were split, "
                "which schools weigh most in a 差异系数"
            ),
        },
    }
    section = {
        "type": "object",
        "description": "The roll-up of a section or block.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(SectionResult)],
        "properties": {
            "kind": {"enum": ["section", "block"]},
            "id": {"type": "string"},
            "title": _str_or_null("title"),
            "outcome": outcome_or_null,
            "vetoed": _str_list("veto items that failed"),
        },
    }
    problem = {
        "type": "object",
        "description": "One problem with one value of a data file (the value was treated as missing).",
        "additionalProperties": False,
        "required": ["file", "path", "field", "value", "message", "row", "sheet"],
        "properties": {
            "file": {"type": "string"},
            "path": {"type": "string", "description": "keys as written, zero-based indexes"},
            "field": _str_or_null("the field the value was meant for"),
            "value": {"description": "the offending value as read (any JSON value)"},
            "message": {"type": "string"},
            "row": {"type": ["integer", "null"], "description": "spreadsheet row (1-based)"},
            "sheet": _str_or_null("spreadsheet sheet"),
            "line": {"type": ["integer", "null"], "description": "YAML line (1-based)"},
            "code": _str_or_null("stable code, D0xx"),
            "hint": _str_or_null("what to do about it"),
        },
    }
    provenance = {
        "type": "object",
        "description": "Where the report came from.",
        "additionalProperties": False,
        "required": [a.name for a in attrs.fields(Provenance)],
        "properties": {
            "ruleset_id": {"type": "string"},
            "ruleset_version": _str_or_null("rule set version"),
            "eduint_version": {"type": "string"},
            "as_of": {"type": ["string", "null"], "format": "date"},
            "as_of_basis": {"type": "string"},
            "data_file": _str_or_null("data file name as given"),
            "data_sha256": {
                "anyOf": [{"type": "string", "pattern": "^[0-9a-f]{64}$"}, {"type": "null"}]
            },
            "rules_file": _str_or_null("rule file name"),
            "rules_sha256": {
                "anyOf": [{"type": "string", "pattern": "^[0-9a-f]{64}$"}, {"type": "null"}]
            },
            "provisional_values": _str_list("provisional values used"),
        },
    }
    top_required = ["schema", "eduint_report_version", "provenance"]
    top_required += [a.name for a in attrs.fields(Report)]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": REPORT_SCHEMA_ID,
        "title": "eduint report, version 1",
        "description": "What `eduint check --format json` writes: for every item, part and "
        "rule the county's self-assessment (自评) beside what its figures support (核算), "
        "the headline verdict and its evidence; section roll-ups; the overall verdict.",
        "type": "object",
        "additionalProperties": False,
        "required": top_required,
        "properties": {
            "schema": {"const": REPORT_SCHEMA_ID},
            "eduint_report_version": {"const": REPORT_VERSION},
            "ruleset_id": {"type": "string"},
            "ruleset_title": _str_or_null("rule set title"),
            "ruleset_version": _str_or_null("rule set version"),
            "county": {"type": "string", "description": "the county's name"},
            "county_code": _str_or_null("the county's code"),
            "as_of": {"type": ["string", "null"], "format": "date"},
            "as_of_basis": {
                "type": "string",
                "description": "argument, stated or inferred (or a note when no date applies)",
            },
            "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
            "sections": {"type": "array", "items": {"$ref": "#/$defs/section"}},
            "overall": outcome_or_null,
            "warnings": _str_list("things the evaluator noticed"),
            "provisional_values": _str_list("provisional values the evaluation used"),
            "data_problems": {"type": "array", "items": {"$ref": "#/$defs/data_problem"}},
            "provenance": {"anyOf": [{"$ref": "#/$defs/provenance"}, {"type": "null"}]},
        },
        "$defs": {
            "outcome": {
                "enum": [o.value for o in Outcome],
                "description": "达到 met, 基本达到 basically met, 未达到 not met, "
                "不适用 not applicable, 缺少数据 no data",
            },
            "self_status": {"enum": [s.value for s in SelfStatus]},
            "item": item,
            "entity": entity,
            "check": check,
            "report_value": report_value,
            "input": input_,
            "section": section,
            "data_problem": problem,
            "provenance": provenance,
        },
    }


# ------------------------------------------------------------------ CSV


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula: a text cell
    starting with = + - @ gets a leading apostrophe (OWASP CSV injection advice).
    Numbers such as -0.5 are left alone."""
    if len(value) > 1 and value[:1] in ("=", "+", "-", "@") and not _looks_numeric(value):
        return "'" + value
    return value


def _looks_numeric(value: str) -> bool:
    try:
        float(value.split(" ")[0].rstrip("%"))
    except ValueError:
        return False
    return True


def write_csv(
    report: Report,
    path: str | Path,
    *,
    lang: str = "zh",
    provenance: Provenance | None = None,
) -> tuple[Path, ...]:
    """Write the summary rows as CSV, UTF-8 with a byte-order mark (Excel opens it as UTF-8).

    When ``provenance`` is given, it is written beside the CSV as JSON, to
    ``path.with_suffix(".provenance.json")`` (``report.csv`` → ``report.provenance.json``).

    Args:
        report: the evaluated report.
        path: the CSV file to write (replaced if it exists).
        lang: ``"zh"`` or ``"en"`` headers and words.
        provenance: where the report came from.

    Returns:
        The files written: the CSV, then the provenance file if any.

    Raises:
        OSError: a file cannot be written.
        ValueError: unknown ``lang``.
    """
    lg = _check_lang(lang)
    target = Path(path)
    rows = summary_rows(report, lang=lg)
    with target.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=_headers(_SUMMARY_HEADERS, lg))
        writer.writeheader()
        writer.writerows({k: _csv_safe(v) for k, v in row.items()} for row in rows)
    written = [target]
    if provenance is not None:
        side = target.with_suffix(".provenance.json")
        side.write_text(
            json.dumps(provenance.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written.append(side)
    return tuple(written)


# ------------------------------------------------------------------ XLSX


def _provenance_pairs(
    report: Report, provenance: Provenance | None, lang: Lang
) -> list[tuple[str, str]]:
    zh = lang == "zh"

    def label(zh_text: str, en_text: str) -> str:
        return zh_text if zh else en_text

    basis_pair = _BASIS.get(report.as_of_basis)
    basis = (basis_pair[0] if zh else basis_pair[1]) if basis_pair else report.as_of_basis
    pairs = [
        (label("规则集", "rule set"), report.ruleset_id),
        (label("规则集名称", "rule set title"), report.ruleset_title or ""),
        (label("规则集版本", "rule set version"), report.ruleset_version or ""),
        (label("县区", "county"), report.county),
        (label("行政区划代码", "county code"), report.county_code or ""),
        (label("截至日期", "as of"), _date_text(report.as_of, lang)),
        (label("日期依据", "date basis"), basis),
        (
            label("总体结论", "overall verdict"),
            report.overall.label(lang) if report.overall is not None else _text(lang, "no_verdict"),
        ),
    ]
    if provenance is not None:
        pairs += [
            (label("eduint 版本", "eduint version"), provenance.eduint_version),
            (label("数据文件", "data file"), provenance.data_file or ""),
            (label("数据文件 SHA-256", "data file SHA-256"), provenance.data_sha256 or ""),
            (label("规则文件", "rule file"), provenance.rules_file or ""),
            (label("规则文件 SHA-256", "rule file SHA-256"), provenance.rules_sha256 or ""),
        ]
    pairs += [(label("暂定值", "provisional value"), v) for v in report.provisional_values]
    pairs += [(label("提示", "warning"), w) for w in report.warnings]
    return pairs


_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XLSX_MAX_WIDTH = 60


def _fill_sheet(ws: Any, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write a header row and data rows, freeze the header, add a filter and size
    the columns to their text in display cells (CJK characters count two)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_XLSX_ILLEGAL.sub("", c) for c in row])
    # A text cell starting with "=" would be stored as a formula: keep it text.
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    for index, header in enumerate(headers, start=1):
        texts = [header] + [r[index - 1] for r in rows]
        width = max(display_width(t) for t in texts) + 2
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = min(max(width, 6), _XLSX_MAX_WIDTH)
        if width > _XLSX_MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_xlsx(
    report: Report,
    path: str | Path,
    *,
    lang: str = "zh",
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] = (),
) -> Path:
    """Write the report as an Excel workbook.

    Sheets (Chinese names; English with ``lang="en"``): 汇总 (the summary rows),
    章节 (section roll-ups), 明细 (entities not met and missing figures), 数据问题
    (the data problems) and 来源 (rule set, county, date, overall verdict, and the
    provenance when given: eduint version, files and their SHA-256, provisional
    values, warnings).  Each sheet has a bold, frozen header row with a filter;
    column widths are measured in display cells so Chinese text fits.

    Args:
        report: the evaluated report.
        path: the ``.xlsx`` file to write (replaced if it exists).
        lang: ``"zh"`` or ``"en"``.
        provenance: where the report came from.
        problems: the data problems.

    Returns:
        The path written.

    Raises:
        OSError: the file cannot be written.
        ValueError: unknown ``lang``.
    """
    from openpyxl import Workbook

    lg = _check_lang(lang)
    target = Path(path)
    wb = Workbook()
    summary = wb.active
    assert summary is not None  # a new workbook always has one sheet
    summary.title = _text(lg, "summary")
    sheets: list[tuple[Any, Sequence[str], list[dict[str, str]]]] = [
        (summary, _headers(_SUMMARY_HEADERS, lg), summary_rows(report, lang=lg)),
        (
            wb.create_sheet(_text(lg, "sections_sheet")),
            _headers(_SECTION_HEADERS, lg),
            sections_rows(report, lang=lg),
        ),
    ]
    school_rows = entity_rows(report, lang=lg)
    if school_rows:
        sheets.append(
            (wb.create_sheet(_text(lg, "entity_sheet")), list(school_rows[0]), school_rows)
        )
    if cv_items(report):
        sheets.append(
            (
                wb.create_sheet(_text(lg, "cv_sheet")),
                _headers(_CV_HEADERS, lg),
                cv_rows(report, lang=lg),
            )
        )
    sheets.append(
        (
            wb.create_sheet(_text(lg, "detail_sheet")),
            _headers(_DETAIL_HEADERS, lg),
            detail_rows(report, lang=lg),
        )
    )
    notes = details_rows(report, lang=lg)
    if notes:
        sheets.append(
            (wb.create_sheet(_text(lg, "details_sheet")), _headers(_DETAILS_HEADERS, lg), notes)
        )
    sheets += [
        (
            wb.create_sheet(_text(lg, "problems_sheet")),
            _headers(_PROBLEM_HEADERS, lg),
            problems_rows(problems, lang=lg),
        ),
    ]
    for ws, headers, rows in sheets:
        _fill_sheet(ws, headers, [list(r.values()) for r in rows])
    source = wb.create_sheet(_text(lg, "provenance_sheet"))
    pairs = _provenance_pairs(report, provenance, lg)
    _fill_sheet(source, [_text(lg, "key"), _text(lg, "val")], [[k, v] for k, v in pairs])
    wb.save(target)
    return target
