"""Every word ``eduint test`` prints, in Chinese and English: one catalogue of
:class:`~eduint.reporting.messages.Message` entries, in the style of the reports'
(:mod:`eduint.reporting.messages`, which is at its size limit; these words are the rule
author's tools' own).

Rule text, file paths, entity keys and numbers are the same in both languages;
outcomes are worded by the reports' catalogue (:func:`eduint.reporting.words.outcome_word`).
``tests/test_authoring.py`` checks that each entry has the same placeholders in both.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from eduint.reporting.messages import Lang, Message

__all__ = ["MESSAGES", "msg"]


def _m(zh: str, en: str) -> Message:
    args = tuple(dict.fromkeys(f for _, f, _, _ in string.Formatter().parse(zh) if f))
    return Message(zh, en, args)


MESSAGES: Mapping[str, Message] = {
    "file": _m(
        "{path}：{passed}/{total} 个用例通过",
        "{path}: {passed}/{total} cases passed",
    ),
    "case_failed": _m(
        "  未通过：{name}（{where}）",
        "  FAILED: {name} ({where})",
    ),
    "coverage": _m(
        "  阈值覆盖率：{pct}（{hit}/{total}）",
        "  threshold coverage: {pct} ({hit}/{total})",
    ),
    "uncovered": _m(
        "    未覆盖 {where} {text}：{why}",
        "    uncovered {where} {text}: {why}",
    ),
    "never_holds": _m(
        "从未成立",
        "never holds",
    ),
    "never_fails": _m(
        "从未不成立",
        "never fails",
    ),
    "for_key": _m(
        "（{key}）",
        " for {key}",
    ),
    "in_period": _m(
        "（{period}期间）",
        " in {period}",
    ),
    "mutation": _m(
        "  变异得分：{pct}（杀死 {killed}/{total} 个非等价变异；等价变异 {equivalent} 个）",
        "  mutation score: {pct} ({killed}/{total} non-equivalent mutants killed; {equivalent} equivalent)",
    ),
    "survivor": _m(
        "    存活 {where} [{kind}] {what}",
        "    survived {where} [{kind}] {what}",
    ),
    "equivalent": _m(
        "    等价 {where} [{kind}] {what}：{why}",
        "    equivalent {where} [{kind}] {what}: {why}",
    ),
    "kind_threshold": _m(
        "阈值",
        "threshold",
    ),
    "kind_operator": _m(
        "比较符",
        "operator",
    ),
    "kind_at_least": _m(
        "至少k项",
        "at_least",
    ),
    "kind_band": _m(
        "比例带",
        "band",
    ),
    "kind_conjunct": _m(
        "删去合取项",
        "dropped conjunct",
    ),
    "kind_period": _m(
        "时段边界",
        "period boundary",
    ),
    "kind_setting": _m(
        "设置",
        "setting",
    ),
    "equiv_zero_limit": _m(
        "限值为0，±1%不改变任何结论",
        "the limit is 0: ± 1 % changes nothing",
    ),
    "equiv_whole_count": _m(
        "与整数计数比较，新限值允许的计数与原限值相同",
        "compared with a whole-number count, the new limit admits the same counts",
    ),
    "equiv_unread_key": _m(
        "没有规则读取这个键（适用范围不含该学段），任何测试都无法发现这一变化",
        "no rule reads this key (no rule's scope includes that segment): no test can notice the change",
    ),
    "expected_got": _m(
        "{where}：应为{want}，实为{got}",
        "{where}: expected {want}, got {got}",
    ),
    "value_expected": _m(
        "{where}：{name} 应为 {want} ± {tol}，实为 {got}",
        "{where}: {name} expected {want} ± {tol}, got {got}",
    ),
    "no_verdict": _m(
        "无结论",
        "no verdict",
    ),
    "missing": _m(
        "缺失",
        "missing",
    ),
    "no_rule": _m(
        "第{line}行：规则集中没有规则 {rule}",
        "line {line}: rule '{rule}' is not in the rule set",
    ),
    "no_item": _m(
        "第{line}行：规则集中没有项目 {rule}",
        "line {line}: item '{rule}' is not in the rule set",
    ),
    "did_you_mean": _m(
        "（是否应为 {id}？）",
        " (did you mean {id}?)",
    ),
    "field_guess": _m(
        "（是否应为 {guess}{other}？）",
        " (did you mean '{guess}'{other}?)",
    ),
    "field_other": _m(
        "（{other}）",
        " ({other})",
    ),
    "field_per_segment": _m(
        "（{key} 是各学段的数字：写在 segments 下，如 segments: {{小学: {{{key}: ...}}}}）",
        " ('{key}' is a figure of each segment: write it under segments, under the segment's name)",
    ),
    "no_entity": _m(
        "{rule} 没有对象 {entity}（对象：{keys}）",
        "{rule} has no entity '{entity}' (entities: {keys})",
    ),
    "cannot_evaluate": _m(
        "无法评估：{error}",
        "cannot evaluate: {error}",
    ),
    "holds": _m(
        "成立",
        "holds",
    ),
    "fails": _m(
        "不成立",
        "fails",
    ),
    "undecided": _m(
        "未定",
        "undecided",
    ),
    "comparison": _m(
        "{text}：{left} {op} {right}（{verdict}）",
        "{text}: {left} {op} {right} ({verdict})",
    ),
    "input": _m(
        "输入 {entity} {field} = {value}",
        "input {entity} {field} = {value}",
    ),
    "none": _m(
        "无",
        "none",
    ),
    "summary_ok": _m(
        "全部 {n} 个测试文件通过",
        "all {n} test files passed",
    ),
    "summary_bad": _m(
        "{bad}/{n} 个测试文件未通过",
        "{bad} of {n} test files failed",
    ),
    "below": _m(
        "  未达到要求：{what}低于100%",
        "  requirement not met: {what} below 100 %",
    ),
    "coverage_word": _m(
        "阈值覆盖率",
        "threshold coverage",
    ),
    "mutation_word": _m(
        "变异得分",
        "mutation score",
    ),
    "no_mutation": _m(
        "  未做变异测试：变异测试需要全部用例先通过（先修正上面未通过的用例）",
        "  mutation testing skipped: it needs every case to pass first (fix the failing cases above)",
    ),
    "wrote": _m(
        "已写入 {path}：{n} 个用例",
        "wrote {path}: {n} cases",
    ),
    "skipped": _m(
        "  跳过 {rule}：{why}",
        "  skipped {rule}: {why}",
    ),
    "skip_threshold": _m(
        "阈值的形式不受支持，请手写用例",
        "threshold of an unsupported form: write its cases by hand",
    ),
    "skip_figure": _m(
        "比较的数据项形式不受支持（如差异系数等汇总量），请手写用例",
        "figure of an unsupported form (an aggregate such as a CV): write its cases by hand",
    ),
    "skip_requirement": _m(
        "要求的形式不受支持，请手写用例",
        "requirement of an unsupported form: write its cases by hand",
    ),
    "skip_scope": _m(
        "只生成学校和学校学段规则中不带 applies when 的比较（此规则范围为 {scope}{applies}），请手写用例",
        "only school and school-segment rules without 'applies when' are generated (this one: scope {scope}{applies}): write its cases by hand",
    ),
    "skip_applies": _m(
        "，带 applies when",
        ", with 'applies when'",
    ),
    "generated_by": _m(
        "{rules} 的边界用例（eduint testgen 生成，可编辑）",
        "boundary cases of {rules} (eduint testgen)",
    ),
    "nothing_generated": _m(
        "{rules}：没有可生成的边界用例（上面列出了每条被跳过的规则及原因），未写入文件；请参照 docs/rule-tests.md 手写 {target}",
        "{rules}: no boundary case could be generated (each skipped rule and why is listed above); nothing written: write {target} by hand (see docs/rule-tests.md)",
    ),
}


def msg(name: str, lang: str, /, **kw: object) -> str:
    """The message ``name`` in ``lang`` (``zh`` or ``en``; anything else is ``zh``), filled in."""
    language: Lang = "en" if lang == "en" else "zh"
    return MESSAGES[name].text(language).format(**kw)
