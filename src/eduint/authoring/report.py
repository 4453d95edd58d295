"""What ``eduint test`` prints, in Chinese or English: every word comes from the one
catalogue, :data:`eduint.authoring.messages.MESSAGES`."""

from __future__ import annotations

from eduint.authoring.coverage import Coverage
from eduint.authoring.messages import MESSAGES, msg
from eduint.authoring.mutation import Mutant, MutationResult
from eduint.authoring.runner import FileResult
from eduint.checking.settings import SETTINGS

__all__ = ["MESSAGES", "coverage_text", "msg", "mutation_text", "result_text"]


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


def _what(x: Mutant, lang: str) -> str:
    """The change in words; a setting by its label in ``lang`` (``教学点最少学生数 50 → 50.5``),
    as the registry (:data:`eduint.checking.settings.SETTINGS`) words it."""
    if x.kind != "setting":
        return x.what
    name, _, rest = x.what.partition(" ")
    spec = SETTINGS.get(name)
    if spec is None:
        return x.what
    return f"{spec.label_en if lang == 'en' else spec.label} {rest}"


def mutation_text(m: MutationResult, lang: str) -> list[str]:
    """The score line, the survivors, then the equivalent mutants apart."""
    total = len(m.killed) + len(m.survived)
    lines = [
        msg(
            "mutation",
            lang,
            pct=_pct(m.score, lang),
            killed=len(m.killed),
            total=total,
            equivalent=len(m.equivalent),
        )
    ]
    lines += [
        msg("survivor", lang, where=x.where, kind=msg(f"kind_{x.kind}", lang), what=_what(x, lang))
        for x in m.survived
    ]
    lines += [
        msg(
            "equivalent",
            lang,
            where=x.where,
            kind=msg(f"kind_{x.kind}", lang),
            what=_what(x, lang),
            why=msg(f"equiv_{x.equivalent}", lang),
        )
        for x in m.equivalent
    ]
    return lines
