"""What ``eduint test`` prints, in Chinese or English, from one message catalogue.

Every word of the output comes from :data:`MESSAGES` (``zh`` and ``en``); rule text,
file paths and numbers are the same in both languages.
"""

from __future__ import annotations

from eduint.authoring.coverage import Coverage
from eduint.authoring.mutation import MutationResult
from eduint.authoring.runner import FileResult

__all__ = ["MESSAGES", "coverage_text", "msg", "mutation_text", "result_text"]

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


def _pct(x: float | None, lang: str) -> str:
    return msg("none", lang) if x is None else f"{x * 100:.1f}%"


def result_text(r: FileResult, lang: str) -> list[str]:
    """The file's line, then each failed case with its failures."""
    passed = sum(c.passed for c in r.cases)
    lines = [msg("file", lang, path=r.test.path, passed=passed, total=len(r.cases))]
    for c in r.cases:
        if not c.passed:
            where = f"{r.test.path}:{c.case.line}" if c.case.line else str(r.test.path)
            lines.append(msg("case_failed", lang, name=c.case.name, where=where))
            lines += [f"    {f}" for f in c.failures]
    return lines


def coverage_text(cov: Coverage, lang: str) -> list[str]:
    """The coverage line and every uncovered cell with ``file:line`` and why."""
    lines = [msg("coverage", lang, pct=_pct(cov.ratio, lang), hit=cov.hit, total=cov.total)]
    for s in cov.sites:
        for key, period, side in s.cells:
            if (key, period, side) in s.covered:
                continue
            why = msg("never_holds" if side else "never_fails", lang)
            why += msg("for_key", lang, key=key) if key else ""
            why += msg("in_period", lang, period=period) if period else ""
            lines.append(msg("uncovered", lang, where=s.where, text=s.text, why=why))
    return lines


def mutation_text(m: MutationResult, lang: str) -> list[str]:
    """The score line, the survivors, then the equivalent mutants apart."""
    total = len(m.killed) + len(m.survived)
    lines = [
        msg("mutation", lang, pct=_pct(m.score, lang), killed=len(m.killed), total=total, equivalent=len(m.equivalent))
    ]
    lines += [
        msg("survivor", lang, where=x.where, kind=msg(f"kind_{x.kind}", lang), what=x.what)
        for x in m.survived
    ]
    lines += [
        msg(
            "equivalent",
            lang,
            where=x.where,
            kind=msg(f"kind_{x.kind}", lang),
            what=x.what,
            why=msg(f"equiv_{x.equivalent}", lang),
        )
        for x in m.equivalent
    ]
    return lines
