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
into text.  The module is split by topic: the entry type lives in
:mod:`eduint.reporting._message`, the reason and data codes in
:mod:`eduint.reporting._codes_messages`; all are re-exported here.  ``tests/test_messages.py`` checks that every code and flag has both texts and
that every placeholder is filled.
"""

from __future__ import annotations

from collections.abc import Mapping

from eduint.data.models import Actor, Location, Ownership, Region, SchoolKind, Segment, SelfStatus
from eduint.engine.outcomes import AsOfBasis, Flag, Outcome
from eduint.reporting._codes_messages import DATA_CODES, REASONS, WORDED_CODES
from eduint.reporting._message import Lang, Message, _m

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
    "h.reason_code": _m("原因代码", "reason code"),
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
    "h.text": _m("内容", "text"),
    "relation_required": _m(
        "{value}，要求 {op} {bound}", "{value}, required {op} {bound}", "value", "op", "bound"
    ),
    "h.part_of": _m("所属条目", "part of"),
    "data.warnings": _m("警告", "warning"),
    "data.provisional": _m("暂定值", "provisional value"),
    # ---- eduint rules show: what a rule set holds
    "show.kind.section": _m("章节", "section"),
    "show.kind.block": _m("板块", "block"),
    "show.kind.item": _m("条目", "item"),
    "show.kind.part": _m("分项", "part"),
    "show.kind.rule": _m("规则", "rule"),
    "show.combine.worst": _m("取最差", "worst"),
    "show.attested": _m("自评（不核算）", "attested"),
    "show.report_only": _m("仅报告", "report only"),
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
    "t.more_problems": _m(
        "另有 {n} 条同类未列出（JSON、CSV、XLSX 报告列出全部；--problems-per-code 0 在此列出全部）",
        "{n} more of this kind not listed (the JSON, CSV and XLSX reports list every one; "
        "--problems-per-code 0 lists them here)",
        "n",
    ),
    "rows_span": _m("第{first}–{last}行", "rows {first}–{last}", "first", "last"),
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
    # ---- the Word 自查报告 (reporting/wordfmt.py)
    "docx.title": _m(
        "{county}{title}自查报告（草稿）",
        "{county}: {title}, self-assessment report (draft)",
        "county",
        "title",
    ),
    "docx.draft": _m(
        "本报告是依据所报数据自动生成的草稿，结论、数值与整改量请逐项核对，修改补充后定稿。",
        "This report is a draft generated from the data reported: check every verdict, "
        "figure and fix, then edit and complete it.",
    ),
    "docx.h1": _m("{n}、{title}", "{n}. {title}", "n", "title"),
    "docx.h2": _m("（{n}）{title}", "({n}) {title}", "n", "title"),
    "docx.overall": _m("总体结论", "Overall verdict"),
    "docx.items": _m("逐项评估情况", "Item by item"),
    "docx.other_items": _m("其他项目", "Other items"),
    "docx.not_met": _m("未达到的项目及依据", "Items not met and their evidence"),
    "docx.none_not_met": _m("没有未达到的项目。", "No item is not met."),
    "docx.gaps": _m("整改清单", "Gap list"),
    "docx.no_gaps": _m("未生成整改清单。", "No gap list was made."),
    "docx.problems": _m("数据问题", "Data problems"),
    "docx.other": _m("其他说明", "Other notes"),
    "docx.annex": _m("附：评估依据与数据来源", "Annex: rules and data used"),
    "t.counties": _m("各县区汇总", "Summary by county"),
    # ---- many counties (eduint check --summary, reporting.many)
    "t.many_totals": _m("各项合计（{n}个县区）", "Totals ({n} counties)", "n"),
    "t.many_closest": _m(
        "最接近标准的县区（每项每侧至多{k}个）",
        "Counties closest to each limit (at most {k} per rule and side)",
        "k",
    ),
    "t.many_notes": _m("说明", "Notes"),
    "many.passing": _m("{outcome}（{met}/{total}）", "{outcome} ({met}/{total})",
                       "outcome", "met", "total"),
    "many.passing_missing": _m(
        "{outcome}（{met}/{total}，缺少数据{missing}）",
        "{outcome} ({met}/{total}, no data {missing})",
        "outcome", "met", "total", "missing",
    ),
    "many.entities_missing": _m(
        "{scope}达到 {met}/{total}（缺少数据 {missing}）",
        "{scope}: {met} of {total} met ({missing} no data)",
        "scope", "met", "total", "missing",
    ),
    "many.detail": _m("{outcome}（{detail}）", "{outcome} ({detail})", "outcome", "detail"),
    "many.entities": _m("{scope}达到 {met}/{total}", "{scope}: {met} of {total} met",
                        "scope", "met", "total"),
    "many.relation": _m("{value} {op} {bound}", "{value} {op} {bound}", "value", "op", "bound"),
    "many.classes_note": _m(
        "班级一级的结果（可能超过工作表的 1,048,576 行上限）只写入 CSV 或 Parquet："
        "eduint check DATA --summary --format csv（或 parquet）--output NAME，文件为 NAME.class.csv。",
        "Class-level rows (which can exceed a worksheet's 1,048,576 rows) are written to "
        "CSV or Parquet only: eduint check DATA --summary --format csv (or parquet) "
        "--output NAME writes NAME.class.csv.",
    ),
    "many.classes_none": _m(
        "本规则集没有按班级判断的规则，因此没有班级一级的结果。",
        "The rule set has no rule evaluated per class, so there are no class-level rows.",
    ),
    "many.sheets_note": _m(
        "每个工作表一个层级：{sheets}。结论列写结论用语，“（代码）”列为其代码"
        "（1 达到，2 基本达到，3 缺少数据，4 未达到，5 不适用）；缺少的数值留空。",
        "One sheet per level: {sheets}. Outcome columns hold the word, the \"(code)\" "
        "columns its code (1 met, 2 basically met, 3 no data, 4 not met, 5 not "
        "applicable); a missing number is left blank.",
        "sheets",
    ),
    "level.county": _m("县区", "counties"),
    "level.county_segment": _m("县区学段", "county segments"),
    "level.school": _m("学校", "schools"),
    "level.segment": _m("学校学段", "school segments"),
    "level.class": _m("班级", "classes"),
    "h.level": _m("层级", "level"),
    "h.school_id": _m("学校代码", "school id"),
    "h.school_name": _m("学校名称", "school name"),
    "h.class_size": _m("班额", "class size"),
    "h.of": _m("{name}：{what}", "{name}: {what}", "name", "what"),
    "h.in_unit": _m("{header}（{unit}）", "{header} ({unit})", "header", "unit"),
    "progress.reading": _m("读取", "reading"),
    "progress.evaluating": _m("计算", "evaluating"),
    "progress.writing": _m("写入", "writing"),
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
    "floor": _m("{text}（{pct}% 下限）", "{text} ({pct} % floor)", "text", "pct"),
    "above_floor": _m(
        "{text}，在 {pct}% 下限之上", "{text}, above the {pct} % floor", "text", "pct"
    ),
    "passed_despite": _m("{count} 达到；{list}", "{count} met; {list}", "count", "list"),
    "answer_combined": _m("（由各部分合并）", " (combined from the parts)"),
    "not_stated": _m("自评：未说明", "self-assessment: not stated"),
    "no_answer": _m("没有自评，也没有核算规则", "no self-assessment given and no computed rule"),
    "no_data_value": _m("缺少数据", "no data"),
    "no_data_above": _m("缺少数据（原因见上）", "no data (for the reasons above)"),
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
    "note.column_absent": _m(
        "说明：数据中没有“{label}”一列，规则集要用到它：每所学校的这一数值都缺少",
        "note: the data has no “{label}” column, which the rule set reads: that figure is "
        "missing for every school",
        "label",
    ),
    "note.columnar_fallback": _m(
        "说明：列式引擎不能编译的规则由逐条引擎计算：{rules}",
        "note: rules the columnar engine does not compile were evaluated by the record "
        "engine: {rules}",
        "rules",
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
    "layer.relax_unneeded": _m(
        "{verdict}（并未放宽，W302）", "{verdict} (does not loosen, W302)", "verdict"
    ),
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
