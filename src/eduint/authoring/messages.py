"""Every word ``eduint test`` prints, in Chinese and English (one catalogue).

Rule text, file paths, entity keys and numbers are the same in both languages.
"""

from __future__ import annotations

__all__ = ["MESSAGES", "msg"]

MESSAGES: dict[str, dict[str, str]] = {
    "file": {"zh": "{path}：{passed}/{total} 个用例通过", "en": "{path}: {passed}/{total} cases passed"},
    "case_failed": {"zh": "  未通过：{name}（{where}）", "en": "  FAILED: {name} ({where})"},
    "coverage": {
        "zh": "  阈值覆盖率：{pct}（{hit}/{total}）",
        "en": "  threshold coverage: {pct} ({hit}/{total})",
    },
    "uncovered": {"zh": "    未覆盖 {where} {text}：{why}", "en": "    uncovered {where} {text}: {why}"},
    "never_holds": {"zh": "从未成立", "en": "never holds"},
    "never_fails": {"zh": "从未不成立", "en": "never fails"},
    "for_key": {"zh": "（{key}）", "en": " for {key}"},
    "in_period": {"zh": "（{period}期间）", "en": " in {period}"},
    "mutation": {
        "zh": "  变异得分：{pct}（杀死 {killed}/{total} 个非等价变异；等价变异 {equivalent} 个）",
        "en": "  mutation score: {pct} ({killed}/{total} non-equivalent mutants killed; {equivalent} equivalent)",
    },
    "survivor": {"zh": "    存活 {where} [{kind}] {what}", "en": "    survived {where} [{kind}] {what}"},
    "equivalent": {"zh": "    等价 {where} [{kind}] {what}：{why}", "en": "    equivalent {where} [{kind}] {what}: {why}"},
    "kind_threshold": {"zh": "阈值", "en": "threshold"},
    "kind_operator": {"zh": "比较符", "en": "operator"},
    "kind_at_least": {"zh": "至少k项", "en": "at_least"},
    "kind_band": {"zh": "比例带", "en": "band"},
    "kind_conjunct": {"zh": "删去合取项", "en": "dropped conjunct"},
    "kind_period": {"zh": "时段边界", "en": "period boundary"},
    "kind_setting": {"zh": "设置", "en": "setting"},
    "equiv_zero_limit": {"zh": "限值为0，±1%不改变任何结论", "en": "the limit is 0: ± 1 % changes nothing"},
    "equiv_whole_count": {
        "zh": "与整数计数比较，新限值允许的计数与原限值相同",
        "en": "compared with a whole-number count, the new limit admits the same counts",
    },
    "expected_got": {"zh": "{where}：应为{want}，实为{got}", "en": "{where}: expected {want}, got {got}"},
    "value_expected": {
        "zh": "{where}：{name} 应为 {want} ± {tol}，实为 {got}",
        "en": "{where}: {name} expected {want} ± {tol}, got {got}",
    },
    "no_verdict": {"zh": "无结论", "en": "no verdict"},
    "missing": {"zh": "缺失", "en": "missing"},
    "no_rule": {"zh": "规则集中没有规则 {rule}", "en": "rule {rule!r} is not in the rule set"},
    "no_entity": {
        "zh": "{rule} 没有对象 {entity}（对象：{keys}）",
        "en": "{rule} has no entity {entity!r} (entities: {keys})",
    },
    "cannot_evaluate": {"zh": "无法评估：{error}", "en": "cannot evaluate: {error}"},
    "holds": {"zh": "成立", "en": "holds"},
    "fails": {"zh": "不成立", "en": "fails"},
    "undecided": {"zh": "未定", "en": "undecided"},
    "comparison": {"zh": "{text}：{left} {op} {right}（{verdict}）", "en": "{text}: {left} {op} {right} ({verdict})"},
    "input": {"zh": "输入 {entity} {field} = {value}", "en": "input {entity} {field} = {value}"},
    "none": {"zh": "无", "en": "none"},
    "summary_ok": {"zh": "全部 {n} 个测试文件通过", "en": "all {n} test files passed"},
    "summary_bad": {"zh": "{bad}/{n} 个测试文件未通过", "en": "{bad} of {n} test files failed"},
    "below": {
        "zh": "  未达到要求：{what} 低于100%",
        "en": "  requirement not met: {what} below 100 %",
    },
    "coverage_word": {"zh": "阈值覆盖率", "en": "threshold coverage"},
    "mutation_word": {"zh": "变异得分", "en": "mutation score"},
    "wrote": {"zh": "已写入 {path}：{n} 个用例", "en": "wrote {path}: {n} cases"},
    "skipped": {"zh": "  跳过 {what}", "en": "  skipped {what}"},
}


def msg(name: str, lang: str, /, **kw: object) -> str:
    """The message ``name`` in ``lang`` (``zh`` or ``en``), formatted."""
    return MESSAGES[name]["en" if lang == "en" else "zh"].format(**kw)
