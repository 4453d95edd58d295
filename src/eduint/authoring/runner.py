"""Run rule-test cases with the engine and compare what comes out with what they expect.

The rule set is checked once per test file; each case's county is read from its data
mapping and evaluated with :func:`eduint.engine.evaluator.evaluate` at the case's date.
A failure says what was expected against what came out, with the comparisons and the
input figures of the entity (or rule) concerned.
"""

from __future__ import annotations

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
from eduint.reporting.words import outcome_word

__all__ = ["CaseResult", "FileResult", "check_case", "counties_of", "load_rules", "run_file"]


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


def _check(report: Report, exp: Expectation, lang: str) -> list[str]:
    try:
        item = report.item(exp.rule)
    except KeyError:
        return [msg("no_rule", lang, rule=exp.rule)]
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
    from eduint.errors import EduintError

    try:
        report = evaluate(ruleset, county, as_of=case.as_of)
    except EduintError as exc:
        return (msg("cannot_evaluate", lang, error=exc),)
    return tuple(x for exp in case.expect for x in _check(report, exp, lang))


def killed_by(ruleset: RuleSet, test: TestFile, counties: Sequence[County]) -> bool:
    """Whether some case of ``test`` fails against ``ruleset`` (stops at the first)."""
    return any(check_case(ruleset, c, k) for c, k in zip(test.cases, counties, strict=True))


def run_file(test: TestFile, lang: str = "en") -> FileResult:
    """Run every case of a test file (failures worded in ``lang``, ``zh`` or ``en``).

    Raises:
        AuthoringError: the rule file cannot be found, read or checked (with its message).
    """
    from eduint.errors import EduintError

    try:
        ruleset = load_rules(test)
    except EduintError as exc:
        raise AuthoringError(f"{test.path}: cannot load {test.rules}:\n{exc}") from None
    counties = counties_of(test)
    results = tuple(
        CaseResult(c, check_case(ruleset, c, k, lang))
        for c, k in zip(test.cases, counties, strict=True)
    )
    return FileResult(test, ruleset, results)
