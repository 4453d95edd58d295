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
        "规则集中没有规则 {rule}",
        "rule '{rule}' is not in the rule set",
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
        "  未达到要求：{what} 低于100%",
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
    "wrote": _m(
        "已写入 {path}：{n} 个用例",
        "wrote {path}: {n} cases",
    ),
    "skipped": _m(
        "  跳过 {what}",
        "  skipped {what}",
    ),
}


def msg(name: str, lang: str, /, **kw: object) -> str:
    """The message ``name`` in ``lang`` (``zh`` or ``en``; anything else is ``zh``), filled in."""
    language: Lang = "en" if lang == "en" else "zh"
    return MESSAGES[name].text(language).format(**kw)
