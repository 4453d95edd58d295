"""What every report format shares: words, headers, flags, provenance, small helpers.

The Chinese and English words of the reports (:data:`_TEXT`, the column headers),
the flags' labels, :class:`Provenance`, what a data problem looks like
(:class:`DataProblemLike`), and the helpers that turn one field of a result into
the text of one cell.  Nothing here draws a table or writes a file.
"""

from __future__ import annotations

import datetime
import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Protocol

import attrs
import wcwidth

from eduint._version import __version__
from eduint.data.models import SelfStatus
from eduint.engine.results import (
    ItemResult,
    Outcome,
    Report,
    ReportValue,
)

Lang = Literal["zh", "en"]
"""A report language: ``"zh"`` (Chinese, the default) or ``"en"`` (English)."""

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
