"""The message catalogue: every word the reports and ``eduint check`` print, in Chinese and English.

One Python module, not gettext catalogues (``docs/design.md`` says why): each entry is a
:class:`Message` with its Chinese and English text side by side, ``str.format``
placeholders named in :attr:`Message.args`, and keyed by what it words:

=====================  ===========================================================
:data:`WORDS`          headers, section titles, sheet names, summary lines, units of
                       talk (``个对象``), keyed by a short English name
:data:`OUTCOMES`       the five outcomes (:class:`~eduint.engine.results.Outcome`)
:data:`SELF_STATUSES`  the county's own words (自评, :class:`~eduint.data.models.SelfStatus`)
:data:`ACTORS`         who answered (县, 区, 市, 省)
:data:`FLAGS`          the flags (:class:`~eduint.engine.results.Flag`), in the order shown
:data:`BASES`          where the date came from (:class:`~eduint.engine.results.AsOfBasis`)
:data:`SYMBOLS`        the data's symbols: 学段 (小学 → primary), 城乡分类, 地区 …
:data:`SCOPES`         scopes (学校 → schools), as aggregates range over them
:data:`FUNCTIONS`      aggregate functions named in reasons (``count`` → 计数)
:data:`REASONS`        every reason and warning code (:class:`~eduint.core.values.Code`)
:data:`DATA_CODES`     every data-problem and notice code (D001 … D042)
=====================  ===========================================================

Setting labels are not repeated here: they live in the settings registry
(:data:`eduint.checking.settings.SETTINGS`, ``label``/``label_en``), field labels in the
field registry (:mod:`eduint.data.fields`), and rule-author text in the rule files
(``title_en`` and the English variants of notes).  Rule-file diagnostics (E0xx–E3xx)
stay English for now.  :mod:`eduint.reporting.words` turns entries and their arguments
into text; ``tests/test_messages.py`` checks that every code and flag has both texts and
that every placeholder is filled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from eduint.core.values import Code
from eduint.data.models import Actor, Location, Ownership, Region, SchoolKind, Segment, SelfStatus
from eduint.engine.results import AsOfBasis, Flag, Outcome

__all__ = [
    "ACTORS",
    "BASES",
    "DATA_CODES",
    "WORDED_CODES",
    "FLAGS",
    "FUNCTIONS",
    "OUTCOMES",
    "REASONS",
    "SCOPES",
    "SELF_STATUSES",
    "SYMBOLS",
    "WORDS",
    "Lang",
    "Message",
]

Lang = Literal["zh", "en"]
"""A report language: ``"zh"`` (Chinese, the default) or ``"en"`` (English)."""


@attrs.frozen
class Message:
    """One entry of the catalogue.

    Attributes:
        zh: the Chinese text, with ``{name}`` placeholders.
        en: the English text, with the same placeholders.
        args: the placeholders' names; for a reason code, in the order of the
            reason's arguments (:attr:`eduint.core.values.Reason.args`).
    """

    zh: str
    en: str
    args: tuple[str, ...] = ()

    def text(self, lang: Lang) -> str:
        """The text in ``lang``, placeholders unfilled."""
        return self.zh if lang == "zh" else self.en


def _m(zh: str, en: str, *args: str) -> Message:
    return Message(zh, en, args)


WORDS: Mapping[str, Message] = {
    # ---- column headers
    "h.section": _m("章节", "section"),
    "h.item": _m("项目", "item"),
    "h.requirement": _m("要求", "requirement"),
    "h.self": _m("自评", "self-assessment"),
    "h.computed": _m("核算", "computed"),
    "h.verdict": _m("结论", "verdict"),
    "h.value": _m("数值", "value"),
    "h.threshold": _m("标准", "threshold"),
    "h.margin": _m("差距", "margin"),
    "h.source": _m("依据", "source"),
    "h.flags": _m("标记", "flags"),
    "h.entity": _m("对象", "entity"),
    "h.outcome": _m("结论", "outcome"),
    "h.note": _m("说明", "note"),
    "h.kind": _m("类型", "kind"),
    "h.id": _m("编号", "id"),
    "h.title": _m("标题", "title"),
    "h.vetoed": _m("否决项", "vetoed"),
    "h.code": _m("代码", "code"),
    "h.file": _m("文件", "file"),
    "h.location": _m("位置", "location"),
    "h.field": _m("字段", "field"),
    "h.problem": _m("问题", "problem"),
    "h.cv": _m("差异系数", "CV"),
    "h.limit": _m("上限", "limit"),
    "h.contributors": _m("方差主要来源", "largest shares of the variance"),
    "h.count_met": _m("达到项数", "conditions met"),
    "h.action": _m("处理", "action"),
    "h.reason": _m("原因", "reason"),
    "h.setting": _m("设置", "setting"),
    "h.into": _m("并入", "merged into"),
    "h.share": _m("比例", "share"),
    "h.key": _m("项目", "key"),
    "h.val": _m("内容", "value"),
    "h.name": _m("名称", "name"),
    "h.old": _m("原值", "was"),
    "h.new": _m("本次值", "now"),
    "h.change": _m("变化", "change"),
    "h.low": _m("{header}（下限）", "{header} (low)", "header"),
    "h.high": _m("{header}（上限）", "{header} (high)", "header"),
    "h.unit": _m("{header}单位", "{header} unit", "header"),
    "h.with_unit": _m("{header}\n（{unit}）", "{header}\n({unit})", "header", "unit"),
    "h.op": _m("{header}比较符", "{header} comparator", "header"),
    "h.report_value": _m("{name}（报告值）", "{name} (report)", "name"),
    "h.evidence": _m("比较", "comparison"),
    "h.set_by": _m("设定于", "set by"),
    "h.change_kind": _m("改动", "change"),
    "h.period": _m("时段", "period"),
    "h.parent_rule": _m("上级规定", "parent's rule"),
    "h.child_rule": _m("本文件规定", "this file's rule"),
    "h.until": _m("有效至", "until"),
    "h.status": _m("状态", "status"),
    # ---- titles of the parts of a report (and sheet names)
    "t.summary": _m("汇总", "Summary"),
    "t.sections": _m("章节结论", "Sections"),
    "t.sections_sheet": _m("章节", "Sections"),
    "t.entities": _m("学校指标：{id} {title}", "School indicators: {id} {title}", "id", "title"),
    "t.entities_sheet": _m("学校指标", "School indicators"),
    "t.cv": _m("差异系数", "Coefficients of variation (CV)"),
    "t.cv_sheet": _m("差异系数", "CV"),
    "t.cv_contributors": _m(
        "未达到或临界的差异系数：方差的主要来源（按项目，含该项各学段）",
        "Failing or borderline CVs: largest shares of the variance (per rule, all its segments)",
    ),
    "t.detail": _m(
        "明细：未达到的对象与缺少的数据", "Detail: entities not met and missing figures"
    ),
    "t.detail_sheet": _m("明细", "Detail"),
    "t.notes": _m("计算说明", "Computation notes"),
    "t.notes_sheet": _m("计算说明", "Computation notes"),
    "t.dispositions": _m(
        "未计入、并入或拆分的学校（学段）", "Schools (segments) left out, merged or split"
    ),
    "t.dispositions_sheet": _m("未计入与拆分", "Left out and split"),
    "t.problems": _m("数据问题", "Data problems"),
    "t.problems_count": _m("数据问题（共 {n} 条）", "Data problems ({n})", "n"),
    "t.no_problems": _m("数据问题：无", "Data problems: none"),
    "t.notices": _m("数据说明（共 {n} 条）", "Data notes ({n})", "n"),
    "t.notices_sheet": _m("数据说明", "Data notes"),
    "data.problem": _m("问题", "problem"),
    "data.rows_read": _m("读取行数", "rows read"),
    "data.rows_used": _m("采用行数", "rows used"),
    "data.rows_rejected": _m("拒绝行数", "rows rejected"),
    "data.notice": _m("说明", "note"),
    "cv.undeclared": _m(
        "说明（D040）：学校名单未声明完整，因此各差异系数为缺少数据。"
        "如名单完整，请声明：县区表的“学校名单完整”列填“是”（数据文件中写"
        "“学校名单完整: 是”），或运行时加 --complete。",
        "Note (D040): the school list is not declared complete, so every CV is no data. "
        "If the list is complete, declare it (schools_complete: true in the data file, or "
        "the same column on the county sheet), or run with --complete.",
    ),
    "t.warnings": _m("注意", "Warnings"),
    "t.provisional": _m("所用暂定值", "Provisional values used"),
    "t.overrides": _m("本次运行改动的设置与取值", "Settings and values overridden for this run"),
    "t.overrides_sheet": _m("本次改动", "Overrides"),
    "t.layering": _m(
        "分层：所扩展的规则集与本文件的改动",
        "Layering: the rule sets extended and what this file changes",
    ),
    "t.layering_sheet": _m("分层改动", "Layering"),
    "t.provenance": _m("来源", "Provenance"),
    "t.counties": _m("各县区汇总", "Summary by county"),
    # ---- the input template (eduint template): notes and the 说明 sheet
    "template.title": _m(
        "{title} 数据填报模板（eduint template）",
        "{title}: data template (eduint template)",
        "title",
    ),
    "template.guide": _m(
        "每个工作表第一行是列标题；单位写在标题括号里和标题批注中。金额可写万元列（标题写“（万元）”），"
        "面积可写亩。缺少的数字留空，不要写0。",
        "Each sheet's first row holds the column headers; units are in brackets in the "
        "header and in its note. Amounts may be given in 万元 (a header ending in （万元）), "
        "areas in 亩. Leave a missing figure blank: do not write 0.",
    ),
    "template.h.sheet": _m("工作表", "sheet"),
    "template.h.header": _m("列标题", "header"),
    "template.h.field": _m("字段", "field"),
    "template.h.unit": _m("单位", "unit"),
    "template.h.note": _m("说明", "what to write"),
    "template.unit": _m("单位：{unit}", "unit: {unit}", "unit"),
    "template.field": _m("{label}（{label_en}）", "{label_en} ({label})", "label", "label_en"),
    "template.example": _m("{note}，例如 {example}", "{note} (e.g. {example})", "note", "example"),
    "template.schools_complete": _m(
        "{field}：学校表列出全部学校时填“是”",
        "{field}: 是 (yes) when the 学校 sheet lists every school",
        "field",
    ),
    "template.classes_complete": _m(
        "{field}：班级表列出该学段全部班级时填“是”",
        "{field}: 是 (yes) when the 班级 sheet lists every class of the segment",
        "field",
    ),
    "template.county_segment": _m(
        "{note}（留空：全县）", "{note} (blank: the whole county)", "note"
    ),
    "template.ruleset": _m(
        "所答的规则集（{id}）；留空：本规则集",
        "the rule set answered ({id}); blank: this rule set",
        "id",
    ),
    "template.declared": _m("规则集声明的字段", "a field the rule set declares"),
    "template.bands": _m(
        "没有班级名单时：按班额段填写班数（可增加列）",
        "instead of a class list: classes by size band (add columns)",
    ),
    # ---- lines and phrases
    "heading.title": _m("{title}（{ruleset}）", "{title} ({ruleset})", "title", "ruleset"),
    "heading.county": _m(
        "县区：{county}    截至：{as_of}（{basis}）",
        "County: {county}    as of {as_of} ({basis})",
        "county",
        "as_of",
        "basis",
    ),
    "county.code": _m("{county}（{code}）", "{county} ({code})", "county", "code"),
    "overall": _m(
        "总体结论：{verdict}（{county}；{ruleset}；截至 {as_of}，{basis}）",
        "Overall verdict: {verdict} ({county}; {ruleset}; as of {as_of}, {basis})",
        "verdict",
        "county",
        "ruleset",
        "as_of",
        "basis",
    ),
    "no_verdict": _m("无结论", "no verdict"),
    "no_date": _m("未注明", "not stated"),
    "entity_counts": _m("{n}个对象：{counts}", "{n} entities: {counts}", "n", "counts"),
    "outcome_count": _m("{outcome}{n}", "{n} {outcome}", "outcome", "n"),
    "varies": _m("因对象而异", "varies by entity"),
    "undecided": _m(
        "{met}/{total}（{n}项未定）", "{met}/{total} ({n} undecided)", "met", "total", "n"
    ),
    "failed": _m("未达到：{list}", "not met: {list}", "list"),
    "named_value": _m("{name} = {value}", "{name} = {value}", "name", "value"),
    "labelled": _m("{label}：{text}", "{label}: {text}", "label", "text"),
    "answer_combined": _m("（由各部分合并）", " (combined from the parts)"),
    "not_stated": _m("自评：未说明", "self-assessment: not stated"),
    "no_answer": _m("没有自评，也没有核算规则", "no self-assessment given and no computed rule"),
    "no_data_value": _m("缺少数据", "no data"),
    "yes": _m("是", "yes"),
    "no": _m("否", "no"),
    "row": _m("第{n}行", "row {n}", "n"),
    "line": _m("第{n}行", "line {n}", "n"),
    "hint": _m("（提示：{hint}）", " (hint: {hint})", "hint"),
    "rows_read": _m("读取 {n} 行", "rows read: {n}", "n"),
    "rows_used": _m("采用 {n} 行", "rows used: {n}", "n"),
    "rows_rejected": _m("拒绝 {n} 行", "rows rejected: {n}", "n"),
    "problems_in_sheet": _m(
        "数据问题 {n} 条：见“{sheet}”工作表",
        "{n} data problem(s): see the sheet {sheet}",
        "n",
        "sheet",
    ),
    "note.rules_given": _m(
        "说明：采用命令行指定的规则集 {rules}；数据文件指定的是 {named}",
        "note: --rules {rules} is used; the data file names '{named}'",
        "rules",
        "named",
    ),
    "wrote": _m("已写入 {path}", "wrote {path}", "path"),
    "warning_line": _m("注意：{text}", "warning: {text}", "text"),
    "county_heading": _m(
        "==== {county}（{code}）====", "==== {county} ({code}) ====", "county", "code"
    ),
    "list_sep": _m("；", "; "),
    "flag_sep": _m("、", ", "),
    "name_sep": _m("、", ", "),
    "count_sep": _m("，", ", "),
    "space": _m(" ", " "),
    "dot": _m(".", "."),
    "and": _m("和", " and "),
    "open_end": _m("及以上", " and over"),
    "band": _m("班额{low}–{high}人的班", "classes of {low}–{high}", "low", "high"),
    "band_open": _m("班额{low}人及以上的班", "classes of {low} or more", "low"),
    "section": _m("章节", "section"),
    "block": _m("板块", "block"),
    "kind.item": _m("项目", "item"),
    "kind.part": _m("部分", "part"),
    "kind.rule": _m("规则", "rule"),
    # ---- words inside reasons
    "how.list": _m("完整班级名单", "complete class list"),
    "how.bands": _m("班额段", "size bands"),
    "key.segment": _m("学段", "segment"),
    "key.location": _m("城乡分类", "urban-rural class"),
    "key.region": _m("地区类别", "region class"),
    "key_missing": _m("未提供{key}", "{key} not given", "key"),
    "does_not_apply": _m("不适用：{condition}", "does not apply: {condition}", "condition"),
    "share_of": _m("{entity} {share}", "{entity} {share}", "entity", "share"),
    "range_side": _m("{name} = {value}", "{name} = {value}", "name", "value"),
    "answers_of": _m("{ruleset}（{n}条）", "{ruleset} ({n})", "ruleset", "n"),
    "suggestions": _m("；是否应为：{pairs}", "; did you mean {pairs}", "pairs"),
    "suggestion": _m("“{label}”→“{id}”", "'{label}' → '{id}'?", "label", "id"),
    "split_figures": _m("各分摊指标", "every split figure"),
    # ---- what happened to an entity (Disposition.action)
    "action.left_out": _m("未计入", "left out"),
    "action.merged": _m("并入", "merged"),
    "action.split": _m("拆分", "split"),
    # ---- provisional uses (ProvisionalUse.kind)
    "provisional.value": _m("{name}：{reason}", "{name}: {reason}", "name", "reason"),
    "provisional.key": _m("{name}：{reason}", "{name}: {reason}", "name", "reason"),
    "provisional.period": _m(
        "{name}（{period}）：{reason}", "{name} ({period}): {reason}", "name", "period", "reason"
    ),
    "provisional.setting": _m(
        "设置“{name}”：{reason}", "setting “{name}”: {reason}", "name", "reason"
    ),
    "provisional.rule": _m("{name}：{reason}", "{name}: {reason}", "name", "reason"),
    "provisional.no_reason": _m("暂定", "provisional"),
    "period.both": _m("{start}至{end}", "{start} to {end}", "start", "end"),
    "period.from": _m("{start}起", "from {start}", "start"),
    "period.until": _m("{end}以前", "until {end}", "end"),
    "period.always": _m("所有时段", "at all times"),
    # ---- overrides (--set)
    "override.setting": _m("设置", "setting"),
    "override.value": _m("取值", "value"),
    "override.stricter": _m("更严", "stricter"),
    "override.looser": _m("更宽（未引依据）", "looser (uncited)"),
    "override.method": _m("改变方法（未引依据）", "changes the method (uncited)"),
    "override.same": _m("不变", "unchanged"),
    "override.undecided": _m("宽严未定", "undecided"),
    "override.display": _m("只影响显示", "display only"),
    # ---- layering (a rule set that extends another, issue 15)
    "layer.extends": _m(
        "规则集 {ruleset} 扩展：{parents}",
        "Rule set {ruleset} extends: {parents}",
        "ruleset",
        "parents",
    ),
    "layer.parent": _m("{title}（{id}，{file}）", "{title} ({id}, {file})", "title", "id", "file"),
    "layer.counts": _m(
        "改动 {n} 项；放宽或删除（均引依据）{relaxed} 项；填充占位 {placeholders} 项；"
        "已过期（按上级规定核算）{lapsed} 项。",
        "Changes: {n}; relaxed or dropped (each cited): {relaxed}; placeholders filled: "
        "{placeholders}; lapsed (the parent's rule applies): {lapsed}.",
        "n",
        "relaxed",
        "placeholders",
        "lapsed",
    ),
    "layer.kind.override": _m("覆盖", "override"),
    "layer.kind.relax": _m("放宽", "relaxation"),
    "layer.kind.drop": _m("删除", "dropped"),
    "layer.kind.placeholder": _m("填充占位", "placeholder filled"),
    "layer.target": _m("{target} {name}", "{target} {name}", "target", "name"),
    "layer.target.rule": _m("规则", "rule"),
    "layer.target.value": _m("取值", "value"),
    "layer.target.setting": _m("设置", "setting"),
    "layer.target.member": _m("章节", "section"),
    "layer.verdict.stricter": _m("更严", "stricter"),
    "layer.verdict.same": _m("相同", "same"),
    "layer.verdict.looser": _m("更宽", "looser"),
    "layer.verdict.undecided": _m("宽严未定", "undecided"),
    "layer.verdict.method": _m("改变方法", "changes the method"),
    "layer.verdict.placeholder": _m("占位（不比宽严）", "placeholder (not compared)"),
    "layer.none": _m("（删除）", "(dropped)"),
    "layer.in_force": _m("有效", "in force"),
    "layer.lapsed": _m("已过期，按上级规定", "lapsed: the parent's rule applies"),
    # ---- provenance keys
    "p.ruleset": _m("规则集", "rule set"),
    "p.ruleset_title": _m("规则集名称", "rule set title"),
    "p.ruleset_version": _m("规则集版本", "rule set version"),
    "p.county": _m("县区", "county"),
    "p.county_code": _m("行政区划代码", "county code"),
    "p.as_of": _m("截至日期", "as of"),
    "p.basis": _m("日期依据", "date basis"),
    "p.overall": _m("总体结论", "overall verdict"),
    "p.eduint_version": _m("eduint 版本", "eduint version"),
    "p.data_file": _m("数据文件", "data file"),
    "p.data_sha256": _m("数据文件 SHA-256", "data file SHA-256"),
    "p.rules_file": _m("规则文件", "rule file"),
    "p.rules_sha256": _m("规则文件 SHA-256", "rule file SHA-256"),
    "p.location": _m("数据位置：{entity}", "data location: {entity}", "entity"),
    "range_note": _m("区间：{low}–{high}", "range: {low}–{high}", "low", "high"),
}
"""Headers, titles, lines and phrases, by key (``h.`` headers, ``t.`` titles, ``p.``
provenance keys)."""

OUTCOMES: Mapping[Outcome, Message] = {
    Outcome.MET: _m("达到", "met"),
    Outcome.BASICALLY_MET: _m("基本达到", "basically met"),
    Outcome.NOT_MET: _m("未达到", "not met"),
    Outcome.NOT_APPLICABLE: _m("不适用", "not applicable"),
    Outcome.NO_DATA: _m("缺少数据", "no data"),
}
"""The five outcomes."""

SELF_STATUSES: Mapping[SelfStatus, Message] = {
    SelfStatus.MET: _m("达到", "met"),
    SelfStatus.BASICALLY_MET: _m("基本达到", "basically met"),
    SelfStatus.IN_TRIAL: _m("试行", "on trial"),
    SelfStatus.NOT_MET: _m("未达到", "not met"),
    SelfStatus.NOT_APPLICABLE: _m("不适用", "not applicable"),
    SelfStatus.NOT_STATED: _m("未说明", "not stated"),
}
"""The county's own words (自评); ``试行`` stays ``试行``."""

ACTORS: Mapping[Actor, Message] = {
    Actor.COUNTY: _m("县", "county"),
    Actor.DISTRICT: _m("区", "district"),
    Actor.CITY: _m("市", "city"),
    Actor.PROVINCE: _m("省", "province"),
}
"""Who answered an attested item."""

FLAGS: Mapping[Flag, Message] = {
    Flag.PROVISIONAL: _m("暂定", "provisional"),
    Flag.DISAGREEMENT: _m("自评与核算不一致", "self-assessment differs"),
    Flag.APPROXIMATE: _m("约数", "approximate"),
    Flag.BORDERLINE: _m("临界", "borderline"),
    Flag.REPORT_ONLY: _m("仅报告", "report only"),
    Flag.RELAXED: _m("本次放宽（未引依据）", "relaxed for this run (uncited)"),
}
"""The flags, in the order they are shown."""

BASES: Mapping[AsOfBasis, Message] = {
    AsOfBasis.ARGUMENT: _m("命令行指定", "given on the command line"),
    AsOfBasis.STATED: _m("数据注明", "stated in the data"),
    AsOfBasis.INFERRED: _m("推定", "inferred"),
    AsOfBasis.SCHOOL_YEAR: _m("按学年推定为9月1日", "inferred: 1 September of the school year"),
    AsOfBasis.NONE: _m("数据未注明日期", "no date in the data"),
}
"""Where the date the evaluation used came from."""

SYMBOLS: Mapping[str, Message] = {
    Segment.PRIMARY.value: _m("小学", "primary"),
    Segment.JUNIOR.value: _m("初中", "junior secondary"),
    Segment.SENIOR.value: _m("高中", "senior secondary"),
    Location.URBAN.value: _m("城区", "urban"),
    Location.TOWN.value: _m("镇区", "town"),
    Location.RURAL.value: _m("乡村", "rural"),
    Region.EAST.value: _m("东部", "eastern region"),
    Region.CENTRAL.value: _m("中部", "central region"),
    Region.WEST.value: _m("西部", "western region"),
    SchoolKind.NINE_YEAR.value: _m("九年一贯制", "nine-year school"),
    SchoolKind.TWELVE_YEAR.value: _m("十二年一贯制", "twelve-year school"),
    SchoolKind.COMPLETE_MIDDLE.value: _m("完全中学", "complete middle school"),
    SchoolKind.TEACHING_POINT.value: _m("教学点", "teaching point"),
    SchoolKind.SPECIAL.value: _m("特殊教育学校", "special-education school"),
    Ownership.PUBLIC.value: _m("公办", "public"),
    Ownership.PRIVATE.value: _m("民办", "private"),
}
"""The data's symbols, by the value data and rules write: 学段 (``小学`` → primary),
城乡分类, 地区, 学校类型, 办学性质."""

SCOPES: Mapping[str, Message] = {
    "county": _m("县域", "county"),
    "county_segment": _m("县域学段", "county segments"),
    "school": _m("学校", "schools"),
    "segment": _m("学校学段", "school segments"),
    "class": _m("班级", "classes"),
}
"""Scopes, by :class:`~eduint.checking.schema.ScopeKind` value, as a list ranges over them."""

FUNCTIONS: Mapping[str, Message] = {
    "count": _m("计数", "count"),
    "share": _m("占比", "share"),
    "sum": _m("求和", "sum"),
    "mean": _m("平均值", "mean"),
    "min": _m("最小值", "minimum"),
    "max": _m("最大值", "maximum"),
    "cv": _m("差异系数", "CV"),
    "at_least": _m("达标项数", "conditions met"),
}
"""The aggregate functions reasons name."""

REASONS: Mapping[Code, Message] = {
    # ---- figures
    Code.MISSING_FIGURE: _m(
        "{entity}：缺少{field}", "{entity}: {field} missing", "entity", "field"
    ),
    Code.FIGURE_AS_BANDS: _m(
        "{entity}：班级只按班额段给出，无法读取{field}",
        "{entity}: {field} cannot be read (classes given only as size bands)",
        "entity",
        "field",
    ),
    Code.RANGE_UNDECIDED: _m(
        "数据为区间，比较结果无法确定", "a figure given as a range leaves the comparison undecided"
    ),
    Code.RANGE_COMPARISON: _m(
        "{entity}：{sides}为区间，“{op}”的结果无法确定",
        "{entity}: {sides} is a range; '{op}' is undecided",
        "entity",
        "sides",
        "op",
    ),
    Code.DIVISION_BY_ZERO: _m(
        "除数为0（或可能为0）", "division by zero (the divisor is 0 or may be 0)"
    ),
    # ---- lists
    Code.NO_SCHOOL_LIST: _m("未提供学校名单", "the list of schools is not given"),
    Code.SEGMENTS_NOT_GIVEN: _m(
        "{school}：未提供分学段数据", "{school}: segment figures not given", "school"
    ),
    Code.CLASSES_NOT_GIVEN: _m("{entity}：未提供班级", "{entity}: classes not given", "entity"),
    Code.CLASS_COUNT_CLASH: _m(
        "{entity}：班级数填为{stated}，但{how}计得{counted}个班",
        "{entity}: the class count says {stated} but the {how} count {counted}",
        "entity",
        "stated",
        "counted",
        "how",
    ),
    Code.BANDS_OVERLAP: _m(
        "{entity}：班额段重叠（{low}–{high}与{low2}–）",
        "{entity}: class-size bands overlap ({low}–{high} and {low2}–)",
        "entity",
        "low",
        "high",
        "low2",
    ),
    Code.BAND_COUNT_MISSING: _m(
        "{entity}：未提供班额段{low}–{high}的班级数",
        "{entity}: class count of band {low}–{high} not given",
        "entity",
        "low",
        "high",
    ),
    Code.BAND_COUNT_RANGE: _m(
        "{entity}：班额段{low}–{high}的班级数为区间（{text}）",
        "{entity}: class count of band {low}–{high} is a range ({text})",
        "entity",
        "low",
        "high",
        "text",
    ),
    Code.INCOMPLETE_LIST: _m(
        "{scope}名单不完整，{fn}无法计算",
        "the list of {scope} is incomplete, so the {fn} is unknown",
        "scope",
        "fn",
    ),
    Code.INCOMPLETE_SUM: _m(
        "名单不完整，{field}的合计无法计算",
        "{field}: the list is incomplete, so the sum is unknown",
        "field",
    ),
    Code.LIST_INCOMPLETE: _m("{scope}名单不完整", "the list of {scope} is incomplete", "scope"),
    Code.EMPTY_AGGREGATE: _m(
        "没有{scope}可求{fn}", "the {fn} over no {scope} is undefined", "fn", "scope"
    ),
    # ---- thresholds
    Code.KEY_NOT_GIVEN: _m("{entity}：未提供{key}", "{entity}: {key} not given", "key", "entity"),
    Code.NO_KEYED_VALUE: _m("没有适用于{value}的取值", "no value for {value}", "value"),
    Code.NO_THRESHOLD: _m("{date}没有生效的标准", "no threshold in force on {date}", "date"),
    Code.REPORT_ONLY: _m("{period}仅报告数值", "report only {period}", "start", "end", "period"),
    # ---- applicability
    Code.NO_SCHOOLS_OF_SEGMENT: _m(
        "本县没有{segment}学校", "the county has no {segment} schools", "segment"
    ),
    Code.NO_SEGMENT_IN_LIST: _m(
        "完整学校名单中没有{segment}学段",
        "the county's complete school list has no {segment} segment",
        "segment",
    ),
    # ---- 差异系数
    Code.SINGLE_SCHOOL: _m(
        "有学生的学校只有{n}所，单一学校不存在校际均衡问题",
        "{n} school(s) with students: a single school has no inter-school balance",
        "n",
    ),
    Code.CV_NEGATIVE_WEIGHT: _m(
        "{entity}：差异系数的权重为负", "{entity}: the weight of the CV is negative", "entity"
    ),
    Code.CV_NEEDS_EXACT: _m(
        "{entity}：数据为区间，差异系数需要确切数值",
        "{entity}: a figure is a range; the CV needs exact figures",
        "entity",
    ),
    Code.CV_ZERO_MEAN: _m("平均值为0，差异系数无定义", "the mean is 0, so the CV is undefined"),
    # ---- one-through schools
    Code.WHOLE_SCHOOL_NOT_SPLIT: _m(
        "{school}：{field}只有全校数，本规则集不按学段分摊",
        "{school}: {field} is given for the whole school and the rule set does not split it "
        "by segment",
        "school",
        "field",
    ),
    Code.SPLIT_NEEDS_STUDENTS: _m(
        "{school} {segment}：缺少在校生数（分摊{field}需要）",
        "{school} {segment}: students missing (needed to split {field})",
        "school",
        "segment",
        "field",
    ),
    Code.SPLIT_NO_WEIGHT: _m(
        "{school}：{segments}没有分摊权重，无法分摊{field}",
        "{school}: cannot split {field}: no split weight for {segments}",
        "school",
        "field",
        "segments",
    ),
    Code.SPLIT_NEGATIVE: _m(
        "{school}：学生数为负，无法分摊{field}",
        "{school}: cannot split {field}: a student count is negative",
        "school",
        "field",
    ),
    Code.SPLIT_NO_STUDENTS: _m(
        "{school}：学校没有学生，无法分摊{field}",
        "{school}: cannot split {field}: the school has no students to split by",
        "school",
        "field",
    ),
    # ---- left out, merged, split
    Code.LEFT_OUT_SPECIAL: _m(
        "{school}：特殊教育学校，不计入（设置“{setting}”）",
        "{school}: special-education school, not counted (setting “{setting}”)",
        "school",
        "setting",
    ),
    Code.LEFT_OUT_PRIVATE: _m(
        "{school}：民办学校，不计入（设置“{setting}”）",
        "{school}: private school, not counted (setting “{setting}”)",
        "school",
        "setting",
    ),
    Code.LEFT_OUT_TEACHING_POINT: _m(
        "{school}：教学点，不计入（设置“{setting}”）",
        "{school}: teaching point, not counted (setting “{setting}”)",
        "school",
        "setting",
    ),
    Code.LEFT_OUT_SMALL_TEACHING_POINT: _m(
        "{school}：教学点学生{students}人，少于{minimum}人，不计入（设置“{setting}”）",
        "{school}: teaching point of {students} students, below {minimum}, not counted "
        "(setting “{setting}”)",
        "school",
        "students",
        "minimum",
        "setting",
    ),
    Code.MERGED_TEACHING_POINT: _m(
        "{school}：教学点，并入中心校{central}（设置“{setting}”）",
        "{school}: teaching point, merged into its central school {central} (setting “{setting}”)",
        "school",
        "central",
        "setting",
    ),
    Code.ZERO_STUDENTS: _m(
        "{entity}：在校生为0，不计入", "{entity}: 0 students, left out", "entity"
    ),
    Code.ZERO_STUDENTS_CV: _m(
        "{entity}：在校生为0，不计入差异系数",
        "{entity}: 0 students, left out of the CV",
        "entity",
    ),
    Code.CV_LEFT_OUT: _m(
        "{entity}：不计入差异系数（{reasons}）",
        "{entity}: left out of the CV ({reasons})",
        "entity",
        "reasons",
    ),
    Code.CV_SHARES: _m(
        "方差主要来源：{shares}", "largest shares of the variance: {shares}", "shares"
    ),
    Code.SPLIT_SHARE: _m(
        "{entity}：{field}按全校数的{share}计（按“{setting}”分摊）",
        "{entity}: {field} is {share} of the school's (split by “{setting}”)",
        "entity",
        "field",
        "share",
        "setting",
    ),
    Code.FIGURE_DIFFERS: _m(
        "{entity}：县级{field}（{given}）与各校合计（{sum}）不一致，采用县级数",
        "{entity}: the county's {field} ({given}) differs from the sum over its schools "
        "({sum}); the county figure is used",
        "entity",
        "field",
        "given",
        "sum",
    ),
    # ---- warnings of a report
    Code.APPROXIMATE_USED: _m(
        "{item}：由约数计算，按所填数值使用",
        "{item}: computed from approximate figures, used as stated",
        "item",
    ),
    Code.UNUSED_ANSWERS: _m(
        "{n}条自评与规则集{ruleset}的项目都对不上，未采用：{items}{suggestions}",
        "{n} self-assessment answer(s) match no item or part of rule set {ruleset} and are "
        "not used: {items}{suggestions}",
        "ruleset",
        "items",
        "suggestions",
        "n",
    ),
    Code.FOREIGN_ANSWERS: _m(
        "数据中属于其他规则集的自评未采用：{rulesets}",
        "self-assessment answers that belong to other rule sets are not used: {rulesets}",
        "rulesets",
    ),
    # ---- why an entity or item has its outcome
    Code.DOES_NOT_APPLY: _m("{otherwise}", "{otherwise}", "otherwise", "condition"),
    Code.APPLICABILITY_UNKNOWN: _m("是否适用无法确定", "applicability unknown"),
    Code.MISSING_FIGURES: _m("缺少数据", "missing figures"),
    Code.NO_THRESHOLD_IN_FORCE: _m("没有生效的标准", "no threshold in force"),
    Code.REPORT_ONLY_PERIOD: _m("{reasons}", "{reasons}", "reasons"),
    Code.REPORT_ONLY_NO_VALUE: _m(
        "{reasons}，且要报告的数值无法计算",
        "{reasons}, and the value to show cannot be computed",
        "reasons",
    ),
    Code.NOT_APPLICABLE_BECAUSE: _m("{reasons}", "{reasons}", "reasons"),
    Code.MISSING_LIST: _m("缺少名单", "the list is not given"),
    Code.NO_ENTITIES_INCOMPLETE: _m(
        "没有对象，且名单未声明完整", "no entities, and the list is not declared complete"
    ),
    Code.NO_ENTITIES: _m("没有对象：完整名单为空", "no entities: the complete list is empty"),
    Code.NOT_STATED: _m("县区未说明自评结论", "the county did not state its answer"),
    Code.NO_ANSWER: _m("没有自评，也没有核算规则", "no self-assessment given and no computed rule"),
}
"""Every reason and warning code, with its arguments in the order of
:attr:`eduint.core.values.Reason.args`."""

DATA_CODES: Mapping[str, Message] = {
    "D001": _m("文件无法读取或解析", "the file cannot be read or parsed"),
    "D002": _m("文件声明了不支持的数据格式版本", "the file declares an unsupported data version"),
    "D003": _m("没有数据行，或没有一行被采用", "no data row, or no row used"),
    "D004": _m(
        "校舍等实物数据两种读法（分学段、全校）都说得通，请用 --figures 指定",
        "the physical figures fit both readings (per segment, whole school): use --figures",
    ),
    "D005": _m(
        "超出数据文件的限度（见 --limit），已停止读取",
        "a limit on data files is exceeded (see --limit): reading stopped",
    ),
    "D010": _m("未知字段，已忽略", "unknown field, ignored"),
    "D011": _m("同一字段给出两次", "the same field is given twice"),
    "D012": _m(
        "说明：另一规则集声明的字段，本规则集不读取，不算问题",
        "note: a field another rule set declares: not read, not a problem",
    ),
    "D013": _m("映射文件中的此项未匹配任何列", "this mapping entry matched no column"),
    "D014": _m("文件夹中此文件无法识别，未读取", "a file of the folder no reader claims: not read"),
    "D015": _m("表头以外的列中有数值，未读取", "values under no header: not read"),
    "D020": _m("取值类型不对，按缺少处理", "a value of the wrong kind, treated as missing"),
    "D021": _m("应为整数，按缺少处理", "not a whole number, treated as missing"),
    "D022": _m("数值为负，按缺少处理", "a negative figure, treated as missing"),
    "D023": _m("数值含义不明确，按缺少处理", "an ambiguous figure, treated as missing"),
    "D024": _m(
        "公式单元格没有保存计算结果，按缺少处理", "a formula cell without a stored result, missing"
    ),
    "D025": _m("文本过长，未读取（见 --limit）", "a text too long: not read (see --limit)"),
    "D030": _m("整条记录未采用", "a whole entry was left out"),
    "D031": _m("数据前后矛盾", "statements that contradict each other"),
    "D040": _m(
        "说明：学校名单未声明完整，因此各差异系数及对学校的合计均为缺少数据；"
        "如名单完整，请声明（县区表的“学校名单完整”列填“是”，数据文件中写"
        "“学校名单完整: 是”），或运行时加 --complete",
        "note: the school list is not declared complete, so every CV and every sum over "
        "the schools is no data; if the list is complete, declare it (schools_complete: "
        "true in the data file, or the same column on the county sheet), or run with "
        "--complete",
    ),
    "D041": _m(
        "说明：学校表中校舍等实物数据的读法（分学段或全校），可用 --figures 指定",
        "note: how the school sheet's physical figures were read",
    ),
    "D042": _m(
        "说明：没有表格写明县区名称，县区按学校表的县区名称、文件名或代码命名",
        "note: no sheet names the county; it is named after its school sheet, file or code",
    ),
}
"""The data-problem and notice codes (:mod:`eduint.data.errors`): the Chinese wording of
a problem.  English reports print the loader's own message, which says more (the loaders
word their problems in English only), except for the codes in :data:`WORDED_CODES`."""

WORDED_CODES = frozenset({"D040"})
"""Codes whose text comes from the catalogue in both languages (the loader's message
names Chinese terms; the catalogue says how to declare the list complete)."""
