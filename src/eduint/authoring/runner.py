"""Run rule-test cases with the engine and compare what comes out with what they expect.

The rule set is checked once per test file; each case's county is read from its data
mapping and evaluated with :func:`eduint.engine.evaluator.evaluate` at the case's date.
A failure says what was expected against what came out, with the comparisons and the
input figures of the entity (or rule) concerned.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from fractions import Fraction

import attrs

from eduint.api import read_rules
from eduint.authoring.cases import AuthoringError, Case, Expectation, TestFile
from eduint.authoring.messages import msg
from eduint.checking.resolver import default_resolver
from eduint.checking.ruleset import RuleSet
from eduint.core.values import Interval
from eduint.data.loading import read_county
from eduint.data.models import County
from eduint.engine.evaluator import evaluate
from eduint.engine.results import (
    Comparison,
    EntityResult,
    Input,
    ItemResult,
    Outcome,
    Quantity,
    Report,
)
from eduint.reporting.messages import Lang
from eduint.reporting.words import outcome_word

__all__ = [
    "CaseResult",
    "FileResult",
    "check_case",
    "check_expectations",
    "counties_of",
    "data_typos",
    "load_rules",
    "rules_of",
    "run_file",
]


@attrs.frozen
class CaseResult:
    """One case's result.

    Attributes:
        case: the case.
        failures: one text per expectation not met (empty: the case passed).
    """

    case: Case
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Whether every expectation held."""
        return not self.failures


@attrs.frozen
class FileResult:
    """A test file's results: the rule set it tested and one result per case."""

    test: TestFile
    ruleset: RuleSet
    cases: tuple[CaseResult, ...]

    @property
    def passed(self) -> bool:
        """Whether every case passed."""
        return all(c.passed for c in self.cases)


def load_rules(test: TestFile) -> RuleSet:
    """The checked rule set a test file tests (files read beside it; bundled parents).

    Raises:
        EduintError: the rule file cannot be found, read or checked.
    """
    resolver = default_resolver(roots=(test.rules.parent.resolve(),))
    return read_rules(test.rules, resolver=resolver).ruleset


def counties_of(test: TestFile) -> tuple[County, ...]:
    """Each case's county, read once (data problems make figures missing, as in a run)."""
    out = []
    for case in test.cases:
        county, _problems = read_county(case.data, file=case.data_file or str(test.path))
        out.append(county)
    return tuple(out)


def _num(q: Quantity | None) -> str:
    if q is None:
        return "?"
    v = q.value
    if isinstance(v, Interval):
        return str(v)
    x = Fraction(v) / Fraction(q.unit.scale)
    text = str(x.numerator) if x.denominator == 1 else f"{float(x):.6g}"
    unit = str(q.unit)
    return f"{text} {unit}" if unit and unit != "1" else text


def _cmp(c: Comparison, lang: str) -> str:
    verdict = msg({True: "holds", False: "fails", None: "undecided"}[c.met], lang)
    return msg(
        "comparison",
        lang,
        text=c.text,
        left=_num(c.left),
        op=c.op,
        right=_num(c.right),
        verdict=verdict,
    )


def _details(item: ItemResult, ent: EntityResult | None, lang: str) -> list[str]:
    lines = []
    comps = ent.comparisons if ent is not None else (item.evidence,) if item.evidence else ()
    lines += [f"    {_cmp(c, lang)}" for c in comps]

    def concerns(i: Input) -> bool:
        if ent is None:
            return True
        key = ent.entity.key
        if ent.entity.scope == "county_segment":  # every school's figure of the segment
            return i.entity.segment in (None, ent.entity.segment)
        return key.startswith(i.entity.key) or i.entity.key.startswith(key)

    inputs = [i for i in item.inputs if concerns(i)]
    for i in inputs[:12]:
        val = _num(i.value) if isinstance(i.value, Quantity) or i.value is None else str(i.value)
        field = (i.field.label or i.field.name) if lang != "en" else i.field.name
        lines.append("    " + msg("input", lang, entity=i.entity.key, field=field, value=val))
    return lines


def _word(o: Outcome, lang: str) -> str:
    return outcome_word(o, "en" if lang == "en" else "zh")


def _shown(item: ItemResult, ent: EntityResult | None, name: str) -> Fraction | None:
    for s in ent.shown if ent is not None else item.shown:
        if (
            s.name == name
            and isinstance(s.value, Quantity)
            and not isinstance(s.value.value, Interval)
        ):
            return Fraction(s.value.value) / Fraction(s.value.unit.scale)
    return None


_NUMERALS = "一二三四五六七八九十"


def _no_rule(report: Report, exp: Expectation, lang: str) -> str:
    """No item or rule ``exp.rule``: where, and the id meant (``(5)`` → ``(五)``)."""
    ids = [i.id for i in report.items if not i.id.startswith("__")]
    text = exp.rule.strip().replace("（", "(").replace("）", ")")
    digits = text.strip("()")
    if digits.isdigit() and 1 <= int(digits) <= 10:
        text = f"({_NUMERALS[int(digits) - 1]})"
    near = text if text in ids else next(iter(difflib.get_close_matches(text, ids, n=1)), None)
    hint = msg("did_you_mean", lang, id=near) if near else ""
    item = text.startswith("(") and text.endswith(")")
    line = f"{exp.line}" if exp.line else ""
    return msg("no_item" if item else "no_rule", lang, rule=exp.rule, line=line) + hint


def _check(report: Report, exp: Expectation, lang: str) -> list[str]:
    try:
        item = report.item(exp.rule)
    except KeyError:
        return [_no_rule(report, exp, lang)]
    ent: EntityResult | None = None
    if exp.entity is not None:
        ent = next((e for e in item.entities if e.entity.key == exp.entity), None)
        if ent is None:
            keys = ", ".join(e.entity.key for e in item.entities) or msg("none", lang)
            return [msg("no_entity", lang, rule=exp.rule, entity=exp.entity, keys=keys)]
    where = f"{exp.rule}" + (f" [{exp.entity}]" if exp.entity else "")
    out = []
    got: Outcome | None = ent.outcome if ent is not None else item.headline
    if exp.outcome is not None and got != exp.outcome:
        shown = _word(got, lang) if got is not None else msg("no_verdict", lang)
        out.append(msg("expected_got", lang, where=where, want=_word(exp.outcome, lang), got=shown))
    for name, want in exp.values.items():
        val = _shown(item, ent, name)
        if val is None or abs(float(val) - want.value) > want.tolerance:
            have = msg("missing", lang) if val is None else f"{float(val):.6g}"
            out.append(
                msg(
                    "value_expected",
                    lang,
                    where=where,
                    name=name,
                    want=want.value,
                    tol=want.tolerance,
                    got=have,
                )
            )
    if out:
        out += _details(item, ent, lang)
    return out


def check_case(ruleset: RuleSet, case: Case, county: County, lang: str = "en") -> tuple[str, ...]:
    """The failures of one case against a rule set (empty: it passed), in ``lang``.

    An evaluation that raises an eduint error (no date for dated rules) is one failure.
    """
    return tuple(
        x for _exp, lines in check_expectations(ruleset, case, county, lang) for x in lines
    )


def check_expectations(
    ruleset: RuleSet, case: Case, county: County, lang: str = "en"
) -> tuple[tuple[Expectation | None, tuple[str, ...]], ...]:
    """The failures of one case grouped by the expectation not met (its line for the
    pytest plugin's headers); an evaluation error is one group with no expectation."""
    from eduint.errors import EduintError

    try:
        report = evaluate(ruleset, county, as_of=case.as_of)
    except EduintError as exc:
        return ((None, (msg("cannot_evaluate", lang, error=exc),)),)
    groups = ((exp, tuple(_check(report, exp, lang))) for exp in case.expect)
    return tuple((exp, lines) for exp, lines in groups if lines)


def data_typos(case: Case, test: TestFile, lang: str = "en") -> tuple[County, tuple[str, ...]]:
    """A case's county, and its data's typos (unknown fields and keys) worded in ``lang``:
    a misspelt field (``studnets: 81``) must not pass silently, so each fails the case."""
    county, problems = read_county(case.data, file=case.data_file or str(test.path))
    typos = [_problem(p, lang) for p in problems if getattr(p, "code", None) in _TYPO_CODES]
    return county, tuple(typos)


def rules_of(test: TestFile) -> RuleSet:
    """:func:`load_rules`, with a failure worded for the author.

    Raises:
        AuthoringError: the rule file cannot be found, read or checked (``file:line`` of
            the test file's ``rules:`` and the checker's message).
    """
    from eduint.errors import EduintError

    try:
        return load_rules(test)
    except EduintError as exc:
        where = f"{test.path}:{test.rules_line}" if test.rules_line else str(test.path)
        raise AuthoringError(
            f"{where}: error: cannot load {test.rules.name}:\n{exc}",
            f"{where}：错误：无法载入规则文件 {test.rules.name}（rules: 写的是与测试文件同目录的"
            f"规则文件，或内置规则集名）：\n{exc}",
        ) from None


def killed_by(ruleset: RuleSet, test: TestFile, counties: Sequence[County]) -> bool:
    """Whether some case of ``test`` fails against ``ruleset`` (stops at the first)."""
    return any(check_case(ruleset, c, k) for c, k in zip(test.cases, counties, strict=True))


def run_file(test: TestFile, lang: str = "en") -> FileResult:
    """Run every case of a test file (failures worded in ``lang``, ``zh`` or ``en``).

    Raises:
        AuthoringError: the rule file cannot be found, read or checked (with its message).
    """
    ruleset = rules_of(test)
    results = []
    for case in test.cases:
        county, typos = data_typos(case, test, lang)
        results.append(CaseResult(case, (*typos, *check_case(ruleset, case, county, lang))))
    return FileResult(test, ruleset, tuple(results))


#: Data problems that are the author's typos in a case's data (unknown field, unknown
#: key): reported as failures of the case.
_TYPO_CODES = {"D010"}


def _problem(p: object, lang: str) -> str:
    from eduint.reporting.words import problem_text

    where = f"{getattr(p, 'file', '')}:{getattr(p, 'line', '')}"
    hint = getattr(p, "hint", None)
    text = problem_text(getattr(p, "code", None), str(getattr(p, "message", "")), None, _lang(lang))
    if hint:
        text += _hint(hint, lang)
    path = getattr(p, "path", "")
    return f"{where}: {path}: {text}" if lang == "en" else f"{where}：{path}：{text}"


#: The loader's hints for an unknown field (``eduint.data.loading.reader``), which it
#: words in English: matched here to word them in the author's language.
_GUESS = re.compile(r"did you mean '(?P<guess>[^']+)'(?: \((?P<other>[^)]+)\))?\?")
_PER_SEGMENT = re.compile(r"'(?P<key>[^']+)' is a figure of each segment")


def _hint(hint: str, lang: str) -> str:
    """The loader's hint in ``lang`` (``（是否应为 students（在校生数）？）``); a hint of
    another shape as the loader words it."""
    m = _GUESS.fullmatch(hint)
    if m is not None:
        other = msg("field_other", lang, other=m["other"]) if m["other"] else ""
        return msg("field_guess", lang, guess=m["guess"], other=other)
    m = _PER_SEGMENT.match(hint)
    if m is not None:
        return msg("field_per_segment", lang, key=m["key"])
    return f" ({hint})" if lang == "en" else f"（{hint}）"


def _lang(lang: str) -> Lang:
    return "en" if lang == "en" else "zh"
