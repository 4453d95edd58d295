"""The rows of every table, format-neutral: each a dict of header → text.

Text tables (:mod:`eduint.reporting.text`), HTML, CSV and XLSX are drawn from these
rows, so every format shows the same cells.  The one thing done here beyond copying
fields of the report is *counting*: entity outcomes for an item evaluated over
several schools or segments, and the ``at_least`` conditions an entity meets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from eduint.data.models import SelfStatus
from eduint.engine.results import (
    Check,
    EntityResult,
    ItemResult,
    Outcome,
    Report,
)
from eduint.reporting._common import (
    _BASIS,
    _COUNTED_GROUP,
    _CV_HEADERS,
    _DETAIL_HEADERS,
    _DETAILS_HEADERS,
    _PROBLEM_HEADERS,
    _SECTION_HEADERS,
    _SUMMARY_HEADERS,
    _TEXT,
    DataProblemLike,
    Lang,
    _check_lang,
    _date_text,
    _flag_list,
    _headers,
    _item_flags,
    _item_label,
    _outcome,
    _parents,
    _section_label,
    _self_word,
    _text,
    _threshold_cell,
    _title,
    _value_cell,
)

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
    parents = _parents(report)
    rows: list[list[str]] = []
    for item in report.items:
        if item.kind == "item" and item.id in parents:
            continue
        rows += _item_detail_rows(item, report.county, lg)
    return [dict(zip(headers, r, strict=True)) for r in rows]


def _item_detail_rows(item: ItemResult, county: str, lg: Lang) -> list[list[str]]:
    """The :func:`detail_rows` cells of one item, in order: its entities not met or
    missing data, the item itself when it fails with no entities, its other missing
    figures, its report values that could not be computed, and a row when it has
    neither an answer nor a computed rule."""
    sep = _text(lg, "list_sep")
    not_met = Outcome.NOT_MET.label(lg)
    no_data = Outcome.NO_DATA.label(lg)
    rows: list[list[str]] = []
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
            rows.append([item.id, e.entity, no_data, e.value or "", e.threshold or "", "", note])
    if not item.entities and item.computed is Outcome.NOT_MET:
        rows.append(
            [
                item.id,
                ", ".join(item.failing) or county,
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
    return rows


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
