"""The catalogue's reason and data-problem codes (split from :mod:`eduint.reporting.messages`,
which re-exports them): :data:`REASONS`, :data:`DATA_CODES`, :data:`WORDED_CODES`."""

from __future__ import annotations

from collections.abc import Mapping

from eduint.core.values import Code
from eduint.reporting._message import Message, _m

__all__ = ["DATA_CODES", "REASONS", "WORDED_CODES", "Message"]

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
    "D010": _m(
        "未知字段，未读取（表格中的列：可在 --mapping 文件 columns: 下映射，或列入 ignore:）",
        "unknown field, not read (a table's column: map it under columns: in a --mapping "
        "file, or list it under ignore:)",
    ),
    "D011": _m("同一字段给出两次", "the same field is given twice"),
    "D012": _m(
        "说明：另一规则集声明的字段，本规则集不读取，不算问题",
        "note: a field another rule set declares: not read, not a problem",
    ),
    "D013": _m(
        "映射文件中的此项未匹配任何列（请按表头原样书写，单位括号可保留）",
        "this mapping entry matched no column (write the header as it appears; a unit in "
        "brackets may stay)",
    ),
    "D006": _m(
        "全国数据无法作为一张表读取（缺少学校代码或学段列，或同一县的行分在两个文件中），已停止读取",
        "national data cannot be read as one table (no 学校代码 or 学段 column, or a county "
        "in two files): reading stopped",
    ),
    "D014": _m("文件夹中此文件无法识别，未读取", "a file of the folder no reader claims: not read"),
    "D015": _m("表头以外的列中有数值，未读取", "values under no header: not read"),
    "D016": _m(
        "说明：全国数据读取器不读取此列（可用表格读取器逐县检查）",
        "note: the national reader does not read this column (check the county with the "
        "spreadsheet reader)",
    ),
    "D020": _m("取值类型不对，按缺少处理", "a value of the wrong kind, treated as missing"),
    "D021": _m("应为整数，按缺少处理", "not a whole number, treated as missing"),
    "D022": _m("数值为负，按缺少处理", "a negative figure, treated as missing"),
    "D023": _m("数值含义不明确，按缺少处理", "an ambiguous figure, treated as missing"),
    "D024": _m(
        "公式单元格没有保存计算结果，按缺少处理", "a formula cell without a stored result, missing"
    ),
    "D025": _m("文本过长，未读取（见 --limit）", "a text too long: not read (see --limit)"),
    "D026": _m(
        "不是确切数值（约数或区间），全国数据读取器按缺少处理",
        "not an exact figure (approximate or a range): missing for the national reader",
    ),
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
    "D043": _m(
        "说明：此列是该表的已知列，因映射文件的 ignore: 列出它而未读取（需要读取：从 ignore: 中删去）",
        "note: a known column of the sheet, not read because the mapping file's ignore: "
        "lists it (to read it, take it out of ignore:)",
    ),
}
"""The data-problem and notice codes (:mod:`eduint.data.errors`): the Chinese wording of
a problem.  English reports print the loader's own message, which says more (the loaders
word their problems in English only), except for the codes in :data:`WORDED_CODES`."""

WORDED_CODES = frozenset({"D040"})
"""Codes whose text comes from the catalogue in both languages (the loader's message
names Chinese terms; the catalogue says how to declare the list complete)."""
