"""The rule-test file format, ``NAME.tests.yaml``, read with PyYAML and cattrs.

A test file sits beside the rule file it tests::

    rules: guangdong-jiben-2012.rules      # optional: default NAME.rules beside it
    cases:
      - name: 恰好9项达标
        as_of: 2015-09-01                   # optional: else the date the data gives
        data:                                # a county, as in a data file (or a path)
          name: 示例县
          schools: [...]
        expect:
          - rule: 办学基本标准                 # an item, part or rule id
            entity: S1                       # an entity key; absent: the headline
            outcome: 达到                     # 达到 基本达到 未达到 不适用 缺少数据 (or English)
            values:                          # optional: shown values, with tolerances
              超额: {value: 5, tolerance: 0.5}

Every problem is an :class:`AuthoringError` naming ``file:line``.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
import cattrs

from eduint.data.errors import DataFileError
from eduint.data.loading.containers import Map, Seq, value_line
from eduint.data.loading.parse import parse_yaml
from eduint.engine.results import Outcome
from eduint.errors import EduintError

__all__ = [
    "SUFFIX",
    "AuthoringError",
    "Case",
    "ExpectedValue",
    "Expectation",
    "TestFile",
    "find_test_files",
    "load_test_file",
    "parse_outcome",
]

SUFFIX = ".tests.yaml"
"""The suffix of a rule-test file."""


class AuthoringError(EduintError):
    """A rule-test file cannot be read; ``str()`` is ``file:line: error: …`` in English,
    :meth:`text` gives it in the user's language (``zh``, the default, or ``en``)."""

    def __init__(self, message: str, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh if zh is not None else message

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``en``; anything else is Chinese)."""
        return str(self) if lang == "en" else self.zh


_ALIASES = {"date": "as_of", "asof": "as_of", "expects": "expect", "expected": "expect"}


def _near(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to a misspelt ``word`` (did-you-mean), or ``None``."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return found[0] if found else None


def _unknown_keys(extra: Iterable[str], allowed: Iterable[str]) -> tuple[str, str]:
    """``unknown key 'nam' (did you mean 'name'?)`` in English and Chinese."""
    en, zh = [], []
    for k in sorted(extra):
        near = _ALIASES.get(k) or _near(k, allowed)
        en.append(f"'{k}'" + (f" (did you mean '{near}'?)" if near else ""))
        zh.append(f"“{k}”" + (f"（是否应为“{near}”？）" if near else ""))
    keys = ", ".join(sorted(allowed))
    return (
        f"unknown key {', '.join(en)}; keys: {keys}",
        f"未知的键 {'、'.join(zh)}；可用的键：{keys}",
    )


@attrs.frozen
class ExpectedValue:
    """A shown value expected within a tolerance.

    Attributes:
        value: the number expected, in the unit the report shows it in.
        tolerance: the largest difference accepted (default 0: exact).
    """

    value: float
    tolerance: float = 0.0


@attrs.frozen
class Expectation:
    """What one rule should give.

    Attributes:
        rule: the item, part or rule id.
        outcome: the outcome expected, or ``None`` to check values only.
        entity: an entity key (``S1``, ``S1/小学``, ``S1/小学/2``, ``<code>/小学``), or
            ``None`` for the rule's headline verdict.
        values: shown values (``report`` names) expected, with tolerances.
        line: the 1-based line in the test file.
    """

    rule: str
    outcome: Outcome | None = None
    entity: str | None = None
    values: Mapping[str, ExpectedValue] = attrs.field(factory=dict)
    line: int | None = None


@attrs.frozen
class Case:
    """One test case: a county, a date, and the outcomes expected.

    Attributes:
        name: the case's name.
        data: the county as a data-file mapping.
        expect: the expectations, in file order.
        as_of: the evaluation date, or ``None`` for the date the data declares.
        line: the 1-based line of the case.
        data_file: the data file the case reads, when given by path.
    """

    name: str
    data: Mapping[str, Any]
    expect: tuple[Expectation, ...]
    as_of: datetime.date | None = None
    line: int | None = None
    data_file: str | None = None


@attrs.frozen
class TestFile:
    """A rule-test file.

    Attributes:
        path: the test file.
        rules: the rule file it tests.
        cases: its cases, in file order.
    """

    __test__ = False  # not a pytest class

    path: Path
    rules: Path
    cases: tuple[Case, ...]
    rules_line: int | None = None


_OUTCOMES = {o.value: o for o in Outcome} | {o.english: o for o in Outcome}
_OUTCOMES |= {o.name.lower(): o for o in Outcome}


def parse_outcome(text: object) -> Outcome | None:
    """``达到``, ``met`` or ``MET`` → :class:`Outcome`; ``None`` when unknown."""
    return _OUTCOMES.get(str(text).strip()) or _OUTCOMES.get(str(text).strip().lower())


def _converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)

    def outcome(v: object, _: type) -> Outcome:
        o = parse_outcome(v)
        if o is None:
            raise _BadOutcome(str(v))
        return o

    def value(v: object, _: type) -> ExpectedValue:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return ExpectedValue(float(v))
        return conv.structure_attrs_fromdict(dict(v), ExpectedValue)  # type: ignore[call-overload]

    conv.register_structure_hook(Outcome, outcome)
    conv.register_structure_hook(ExpectedValue, value)
    return conv


_CONV = _converter()


class _BadOutcome(ValueError):
    """An outcome word that is neither Chinese nor English."""


def _err(path: Path, line: int | None, message: str, zh: str | None = None) -> AuthoringError:
    where = f"{path}:{line}" if line is not None else str(path)
    return AuthoringError(
        f"{where}: error: {message}", f"{where}：错误：{zh if zh is not None else message}"
    )


def _outcome_words() -> tuple[str, str]:
    zh = "、".join(o.value for o in Outcome)
    en = ", ".join(o.english for o in Outcome)
    return zh, en


def _why(exc: BaseException) -> str:
    if isinstance(exc, cattrs.ClassValidationError):
        return "; ".join(_why(e) for e in exc.exceptions)
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown key(s) {', '.join(sorted(exc.extra_fields))}"
    return str(exc) or type(exc).__name__


def _expectation(path: Path, raw: Any, line: int | None) -> Expectation:
    if not isinstance(raw, Map):
        raise _err(
            path,
            line,
            "an expectation is a mapping with 'rule' and 'outcome'",
            "期望应是含 rule 和 outcome 的映射",
        )
    fields = {k: v for k, v in raw.items() if k != "line"}
    extra = set(fields) - _EXPECT_KEYS
    if extra:
        en, zh = _unknown_keys(extra, _EXPECT_KEYS)
        raise _err(path, line, f"expectation: {en}", f"期望中{zh}")
    zh_words, en_words = _outcome_words()
    if "outcome" not in fields and "values" not in fields:
        rule = fields.get("rule")
        raise _err(
            path,
            line,
            f"expectation for {rule!r} has no 'outcome' or 'values' "
            f"(outcome: one of {zh_words}, or {en_words})",
            f"{rule} 的期望缺少 outcome（或 values）；outcome 可写：{zh_words}；或英文 {en_words}",
        )
    try:
        exp = _CONV.structure(fields, Expectation)
    except Exception as exc:  # cattrs raises many kinds; the author needs the line only
        bad = _bad_outcome(exc)
        if bad is not None:
            near = _near(bad, [*(o.value for o in Outcome), *(o.english for o in Outcome)])
            hint_en = f" (did you mean '{near}'?)" if near else ""
            hint_zh = f"（是否应为“{near}”？）" if near else ""
            raise _err(
                path,
                line,
                f"unknown outcome '{bad}'{hint_en}; accepted: {zh_words}, or {en_words}",
                f"未知的结果“{bad}”{hint_zh}；可写：{zh_words}；或英文 {en_words}",
            ) from None
        raise _err(path, line, f"bad expectation: {_why(exc)}", f"期望有误：{_why(exc)}") from None
    return attrs.evolve(exp, rule=str(exp.rule), line=line)


_EXPECT_KEYS = {"rule", "outcome", "entity", "values"}
_CASE_KEYS = {"name", "data", "as_of", "expect"}


def _bad_outcome(exc: BaseException) -> str | None:
    if isinstance(exc, _BadOutcome):
        return str(exc)
    for e in getattr(exc, "exceptions", ()):
        found = _bad_outcome(e)
        if found is not None:
            return found
    return None


def _date(path: Path, raw: Any, line: int | None) -> datetime.date | None:
    if raw is None:
        return None
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        raise _err(
            path,
            line,
            f"as_of {raw!r} is not a date (YYYY-MM-DD)",
            f"as_of “{raw}”不是有效日期（应为 YYYY-MM-DD，如 2021-09-01）",
        ) from None


def _case(path: Path, raw: Any, line: int | None, index: int) -> Case:
    if not isinstance(raw, Map):
        raise _err(path, line, "a case is a mapping with 'name', 'data' and 'expect'")
    extra = set(raw) - _CASE_KEYS
    if extra:
        en, zh = _unknown_keys(extra, _CASE_KEYS)
        raise _err(path, line, f"case: {en}", f"用例中{zh}")
    name = str(raw.get("name") or f"case {index + 1}")
    data, data_file = raw.get("data"), None
    if isinstance(data, str):
        data_file = str(path.parent / data)
        try:
            loaded = parse_yaml(Path(data_file).read_text(encoding="utf-8"), data_file)
        except OSError as exc:
            raise _err(
                path,
                value_line(raw, "data"),
                f"cannot read {data}: {exc.strerror}",
                f"无法读取数据文件 {data}：{exc.strerror}",
            ) from None
        except DataFileError as exc:
            raise _err(path, value_line(raw, "data"), str(exc)) from None
        data = loaded
    if not isinstance(data, Map):
        raise _err(
            path,
            value_line(raw, "data") or line,
            f"case {name!r}: 'data' must be a county mapping or a path",
            f"用例“{name}”：data 应是县的数据（映射）或数据文件路径",
        )
    expect = raw.get("expect")
    if not isinstance(expect, Seq) or not expect:
        raise _err(
            path,
            value_line(raw, "expect") or line,
            f"case {name!r}: 'expect' must be a non-empty list",
            f"用例“{name}”：expect 必须是非空列表",
        )
    exps = tuple(_expectation(path, e, value_line(expect, i)) for i, e in enumerate(expect))
    as_of = _date(path, raw.get("as_of"), value_line(raw, "as_of"))
    return Case(name, data, exps, as_of, line, data_file)


def load_test_file(path: str | Path) -> TestFile:
    """Read a rule-test file.

    Raises:
        AuthoringError: the file cannot be read, is not YAML, or does not follow the
            format (the message names ``file:line``).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _err(
            p, None, f"cannot read the test file: {exc}", f"无法读取测试文件：{exc}"
        ) from None
    try:
        raw = parse_yaml(text, str(p))
    except DataFileError as exc:
        raise _err(
            p,
            exc.line,
            exc.message,
            f"YAML 格式有误（请检查这一行或上一行的括号、冒号和缩进）：{exc.message}",
        ) from None
    if not isinstance(raw, Map):
        raise _err(p, None, "a test file is a mapping with 'cases'")
    extra = set(raw) - {"rules", "cases"}
    if extra:
        en, zh = _unknown_keys(extra, {"rules", "cases"})
        raise _err(p, None, en, f"测试文件中{zh}")
    rules = raw.get("rules") or p.name.removesuffix(SUFFIX) + ".rules"
    cases = raw.get("cases")
    if not isinstance(cases, Seq) or not cases:
        raise _err(
            p,
            value_line(raw, "cases"),
            "'cases' must be a non-empty list",
            "cases 必须是非空列表（至少写一个用例）",
        )
    out = tuple(_case(p, c, value_line(cases, i), i) for i, c in enumerate(cases))
    return TestFile(p, p.parent / str(rules), out, value_line(raw, "rules"))


def find_test_files(paths: list[Path]) -> list[Path]:
    """The test files named or found under the given paths (a rule file's sibling
    ``NAME.tests.yaml``; a directory: every test file in it, recursively), sorted.

    Raises:
        AuthoringError: a path does not exist, or a rule file has no test file.
    """
    found: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found.update(x for x in p.rglob("*" + SUFFIX) if x.is_file())
        elif p.name.endswith(SUFFIX) and p.is_file():
            found.add(p)
        elif p.suffix == ".rules" and p.is_file():
            sibling = p.with_name(p.name.removesuffix(".rules") + SUFFIX)
            if not sibling.is_file():
                raise _err(p, None, f"no test file {sibling.name} beside the rule file")
            found.add(sibling)
        else:
            raise _err(p, None, "not a rule file, a test file or a directory")
    return sorted(found)
