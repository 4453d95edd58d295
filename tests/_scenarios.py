"""Evaluator scenarios as data: read ``tests/scenarios/**/*.yaml``, run them, compare.

The file format is described in ``tests/scenarios/README.md``.  This module is the one
reader of it: :func:`load_scenarios` reads and validates every file (unknown keys are
errors, so a misspelt expectation can never be silently ignored), :func:`run_case`
checks the rules, loads the county through the public data format and evaluates it
with an *engine* (any callable with the signature of :func:`record_engine`), and
:func:`compare` lists every difference between a case's ``expect`` and the report.

:func:`expectation_leaves` and :func:`mutate` let the runner show that each
expectation is live: changing any one of them must make :func:`compare` report a
difference.

Nothing here knows the evaluator's internals; a second engine runs the same files by
passing its own ``engine``.
"""

from __future__ import annotations

import copy
import datetime
import enum
import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import yaml

import eduint
from eduint.checking.ruleset import SourceRef
from eduint.core.values import Interval, Reason
from eduint.engine import results

__all__ = [
    "Case",
    "Engine",
    "ScenarioError",
    "Run",
    "compare",
    "differences",
    "expectation_leaves",
    "load_file",
    "load_scenarios",
    "mutate",
    "number_ok",
    "plain_reason",
    "quantity_ok",
    "record_engine",
    "run_case",
]

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = Path(__file__).resolve().parent / "scenarios"
FORMAT_VERSION = 2

Engine = Callable[[eduint.RuleSet, eduint.County, "datetime.date | None"], eduint.Report]
"""An evaluation engine: ``(ruleset, county, as_of) -> Report``."""


def record_engine(
    ruleset: eduint.RuleSet, county: eduint.County, as_of: datetime.date | None
) -> eduint.Report:
    """The record engine: :func:`eduint.evaluate`."""
    return eduint.evaluate(ruleset, county, as_of=as_of)


class ScenarioError(Exception):
    """A scenario file is malformed (an unknown key, a bad patch path, a missing part)."""


# ------------------------------------------------------------------ reading YAML


class YamlNumber(str):
    """A YAML number kept as its text, so that ``1.50`` reaches the data loader as
    ``1.50`` (the loader reads figures from their text) and ``0101`` stays ``0101``."""

    tag: str = "tag:yaml.org,2002:float"


class _IntText(YamlNumber):
    tag = "tag:yaml.org,2002:int"


class _Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that keeps non-trivial numbers as their text and refuses a key
    written twice in one mapping (PyYAML would keep the last silently, and with it drop
    an expectation)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [
            self.construct_object(k, deep=True)
            for k, _ in node.value
            if k.tag != "tag:yaml.org,2002:merge"
        ]
        repeated = sorted({str(k) for k in keys if keys.count(k) > 1})
        if repeated:
            raise yaml.constructor.ConstructorError(
                None, None, f"key(s) {repeated} given twice", node.start_mark
            )
        return super().construct_mapping(node, deep)


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    text = loader.construct_scalar(node)  # type: ignore[arg-type]
    if re.fullmatch(r"-?(0|[1-9][0-9]*)", text):
        return int(text)
    return _IntText(text)


def _construct_float(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    return YamlNumber(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


class _Dumper(yaml.SafeDumper):
    """``yaml.SafeDumper`` that writes a :class:`YamlNumber` back as the plain number it was."""


def _represent_number(dumper: yaml.SafeDumper, value: YamlNumber) -> yaml.Node:
    return dumper.represent_scalar(value.tag, str(value))


_Dumper.add_representer(YamlNumber, _represent_number)
_Dumper.add_representer(_IntText, _represent_number)


def dump_data(data: Mapping[str, Any]) -> str:
    """A county mapping as the text of a YAML data file."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


# ------------------------------------------------------------------ the file format

_FILE_KEYS = {"eduint_scenarios", "title", "doc", "rules", "counties", "cases"}
_CASE_KEYS = {"name", "doc", "rules", "data", "as_of", "expect"}
_RULE_REF_KEYS = {"use", "file", "replace", "append"}
_DATA_REF_KEYS = {"use", "file", "set", "unset"}
_REPORT_EXTRA_KEYS = {"error", "headlines", "exit_code", "exit_code_strict", "data_problems"}
_MATCHER_KEYS = {"prefix", "contains", "suffix"}
_LIST_OPS = {"has", "lacks", "count"}

# What an object written as a bare value (not a mapping) is compared with, per class.
_PRIMARY = {
    "ItemResult": "headline",
    "SectionResult": "outcome",
    "EntityResult": "outcome",
    "Shown": "value",
    "Comparison": "met",
    "Input": "value",
    "Disposition": "action",
    "ProvisionalUse": "name",
}
# The attribute that names an element of a tuple, for the mapping form of a list.
_KEY = {
    "ItemResult": "id",
    "SectionResult": "id",
    "EntityResult": "entity",
    "Shown": "name",
    "Comparison": "text",
    "Input": "field",
    "Disposition": "entity",
    "ProvisionalUse": "name",
}


@attrs.frozen
class Case:
    """One scenario: rules, data, an optional ``as_of`` and the expected report.

    Attributes:
        file: the scenario file, relative to the repository (``tests/scenarios/…``).
        name: the case's name, unique in its file.
        rules_text: the rule text to check; rules_file: the name it is checked under.
        data_text: the county, as the text of a YAML data file.
        as_of: the ``as_of`` argument of the evaluation, or ``None``.
        expect: the expectations (see ``tests/scenarios/README.md``).
    """

    file: str
    name: str
    rules_text: str
    rules_file: str
    data_text: str
    as_of: datetime.date | None
    expect: Mapping[str, Any]

    @property
    def id(self) -> str:
        """``<file under tests/scenarios, without .yaml>::<name>``, the pytest id."""
        path = Path(self.file)
        if path.is_relative_to(SCENARIOS.relative_to(REPO)):
            path = path.relative_to(SCENARIOS.relative_to(REPO))
        return f"{path.with_suffix('')}::{self.name}"


def _keys(where: str, mapping: Any, allowed: set[str], required: set[str] = frozenset()) -> None:
    if not isinstance(mapping, Mapping):
        raise ScenarioError(f"{where}: expected a mapping, got {mapping!r}")
    unknown = set(map(str, mapping)) - allowed
    if unknown:
        raise ScenarioError(
            f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}"
        )
    missing = required - set(mapping)
    if missing:
        raise ScenarioError(f"{where}: missing key(s) {sorted(missing)}")


def _rules(
    where: str, spec: Any, named: Mapping[str, Any], seen: tuple[str, ...] = ()
) -> tuple[str, str]:
    """``(text, file name)`` of a ``rules:`` entry: inline text, or ``{use}`` or ``{file}``
    with optional ``replace: [[old, new], …]`` and ``append: text`` edits."""
    if isinstance(spec, str):
        return spec, where
    _keys(where, spec, _RULE_REF_KEYS)
    if ("use" in spec) == ("file" in spec):
        raise ScenarioError(f"{where}: give exactly one of 'use' and 'file'")
    if "use" in spec:
        name = spec["use"]
        if name not in named or name in seen:
            raise ScenarioError(f"{where}: no rules named {name!r} (or a cycle)")
        text, file = _rules(f"{where} -> {name}", named[name], named, (*seen, name))
    else:
        path = REPO / spec["file"]
        text, file = path.read_text(encoding="utf-8"), str(path)
    for pair in spec.get("replace") or ():
        if not (isinstance(pair, list) and len(pair) == 2 and pair[0] in text):
            raise ScenarioError(f"{where}: replace needs [old, new] with old in the text: {pair!r}")
        text = text.replace(pair[0], pair[1])
    return text + spec.get("append", ""), file


def _split_path(where: str, path: str) -> list[str]:
    parts = path.split("/")
    if not all(parts):
        raise ScenarioError(f"{where}: bad path {path!r}")
    return parts


def _walk(where: str, root: Any, parts: list[str]) -> Any:
    node = root
    for p in parts:
        if isinstance(node, list):
            if not p.isdigit() or int(p) >= len(node):
                raise ScenarioError(f"{where}: no list element {p!r}")
            node = node[int(p)]
        elif isinstance(node, dict):
            if p not in node:
                raise ScenarioError(f"{where}: no key {p!r}")
            node = node[p]
        else:
            raise ScenarioError(f"{where}: cannot step into {node!r} with {p!r}")
    return node


def _set(where: str, root: dict[str, Any], path: str, value: Any) -> None:
    *parent_parts, last = _split_path(where, path)
    parent = _walk(where, root, parent_parts)
    if isinstance(parent, list):
        if last == "-":
            parent.append(copy.deepcopy(value))
            return
        if not last.isdigit() or int(last) >= len(parent):
            raise ScenarioError(f"{where}: no list element {last!r} to set")
        parent[int(last)] = copy.deepcopy(value)
    elif isinstance(parent, dict):
        parent[last] = copy.deepcopy(value)
    else:
        raise ScenarioError(f"{where}: cannot set {path!r} in {parent!r}")


def _unset(where: str, root: dict[str, Any], path: str) -> None:
    *parent_parts, last = _split_path(where, path)
    parent = _walk(where, root, parent_parts)
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        del parent[int(last)]
    elif isinstance(parent, dict) and last in parent:
        del parent[last]
    else:
        raise ScenarioError(f"{where}: nothing at {path!r} to unset")


def _data(
    where: str, spec: Any, named: Mapping[str, Any], seen: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The county mapping of a ``data:`` entry: inline, or ``{use|file, set, unset}``."""
    if not isinstance(spec, Mapping):
        raise ScenarioError(f"{where}: data must be a mapping")
    if "use" not in spec and "file" not in spec:
        return copy.deepcopy(dict(spec))
    _keys(where, spec, _DATA_REF_KEYS)
    if ("use" in spec) == ("file" in spec):
        raise ScenarioError(f"{where}: give exactly one of 'use' and 'file'")
    if "use" in spec:
        name = spec["use"]
        if name not in named or name in seen:
            raise ScenarioError(f"{where}: no county named {name!r} (or a cycle)")
        data = _data(f"{where} -> {name}", named[name], named, (*seen, name))
    else:
        loaded = yaml.load((REPO / spec["file"]).read_text(encoding="utf-8"), Loader=_Loader)
        data = dict(loaded)
    for path, value in (spec.get("set") or {}).items():
        _set(where, data, str(path), value)
    for path in spec.get("unset") or ():
        _unset(where, data, str(path))
    return data


def load_file(path: Path) -> list[Case]:
    """The cases of one scenario file.

    Raises:
        ScenarioError: the file is malformed.
    """
    return _read_file(path)


def _read_file(path: Path) -> list[Case]:
    rel = str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{rel}: {exc}") from None
    _keys(rel, doc, _FILE_KEYS, {"eduint_scenarios", "cases"})
    if doc["eduint_scenarios"] != FORMAT_VERSION:
        raise ScenarioError(f"{rel}: eduint_scenarios must be {FORMAT_VERSION}")
    named_rules = doc.get("rules") or {}
    named_data = doc.get("counties") or {}
    cases: list[Case] = []
    for i, raw in enumerate(doc["cases"]):
        where = f"{rel}: cases[{i}]"
        _keys(where, raw, _CASE_KEYS, {"name", "rules", "data", "expect"})
        where = f"{rel}: {raw['name']}"
        text, file = _rules(where, raw["rules"], named_rules)
        if file == where:
            file = f"{rel}::{raw['name']}"
        data = _data(where, raw["data"], named_data)
        as_of = raw.get("as_of")
        if as_of is not None and not isinstance(as_of, datetime.date):
            raise ScenarioError(f"{where}: as_of must be a date")
        _check_expect(where, raw["expect"])
        cases.append(Case(rel, str(raw["name"]), text, file, dump_data(data), as_of, raw["expect"]))
    names = [c.name for c in cases]
    if len(set(names)) != len(names):
        raise ScenarioError(f"{rel}: case names repeat")
    return cases


def load_scenarios(root: Path = SCENARIOS) -> list[Case]:
    """Every case of every ``*.yaml`` file under ``root``, in file and case order.

    Files under a ``data`` folder are county data files that cases name
    (``data: {file: …}``), not scenario files.

    Raises:
        ScenarioError: a file is malformed.
    """
    paths = [
        p for p in sorted(root.rglob("*.yaml")) if "data" not in p.relative_to(root).parts[:-1]
    ]
    return [c for path in paths for c in _read_file(path)]


def _check_expect(where: str, expect: Any) -> None:
    """Validate the shape of ``expect`` against the report classes' attributes."""
    _keys(where, expect, _REPORT_EXTRA_KEYS | _op_keys(eduint.Report))
    if "error" in expect:
        if set(expect) != {"error"}:
            raise ScenarioError(f"{where}: 'error' excludes every other expectation")
        _keys(f"{where}: error", expect["error"], {"type", "match"}, {"type"})
        return
    for key, value in expect.items():
        if key not in _REPORT_EXTRA_KEYS:
            _check_field(f"{where}: {key}", eduint.Report, key, value)


def _op_keys(cls: type) -> set[str]:
    names = {f.name for f in attrs.fields(cls)} | set(results.COMPUTED.get(cls, ()))
    return names | {f"{n}.{op}" for n in names for op in _LIST_OPS}


def _element_class(cls: type, field: str) -> type | None:
    """The attrs class of the elements of ``cls.field`` when it is a tuple of result
    objects, or of ``cls.field`` itself when it is one result object."""
    return _ELEMENTS.get((cls.__name__, field)) or _OBJECTS.get((cls.__name__, field))


_ELEMENTS: dict[tuple[str, str], type] = {
    ("Report", "items"): results.ItemResult,
    ("Report", "sections"): results.SectionResult,
    ("Report", "dispositions"): results.Disposition,
    ("Report", "provisional_uses"): results.ProvisionalUse,
    ("ItemResult", "entities"): results.EntityResult,
    ("ItemResult", "shown"): results.Shown,
    ("ItemResult", "inputs"): results.Input,
    ("EntityResult", "shown"): results.Shown,
    ("EntityResult", "comparisons"): results.Comparison,
}
# Attributes that hold one result object (compared attribute by attribute).
_OBJECTS: dict[tuple[str, str], type] = {
    ("ItemResult", "evidence"): results.Comparison,
    ("EntityResult", "evidence"): results.Comparison,
}


def _check_field(where: str, cls: type, key: str, value: Any) -> None:
    field, _, op = key.partition(".")
    element = _element_class(cls, field)
    if op == "count":
        if not isinstance(value, int):
            raise ScenarioError(f"{where}: a count must be a whole number")
        return
    if element is None:
        return  # scalar and text-list values are checked when compared
    if op and (cls.__name__, field) in _OBJECTS:
        raise ScenarioError(f"{where}: '.{op}' applies to lists, not to one result")
    if op:
        if not isinstance(value, list):
            raise ScenarioError(f"{where}: expected a list")
        for e in value:
            if isinstance(e, Mapping) and not set(e) <= _MATCHER_KEYS:
                _keys(where, e, _op_keys(element))
        return
    if (cls.__name__, field) in _OBJECTS:
        if isinstance(value, Mapping) and not set(value) <= _MATCHER_KEYS:
            _keys(where, value, _op_keys(element))
        return
    elements = (
        value
        if isinstance(value, list)
        else (value.values() if isinstance(value, Mapping) else None)
    )
    if elements is None:
        raise ScenarioError(f"{where}: expected a list or a mapping")
    for e in elements:
        if isinstance(e, Mapping) and not set(e) <= _MATCHER_KEYS:
            _keys(where, e, _op_keys(element))
            for k, v in e.items():
                _check_field(f"{where}.{k}", element, k, v)


# ------------------------------------------------------------------ running


@functools.cache
def _checked(text: str, file: str) -> eduint.RuleSet:
    return eduint.check_text(text, file=file)


@attrs.frozen
class Run:
    """What running a case gave: the report (``None`` when the engine raised the
    expected error), the data problems as text, and the error's type and message if any."""

    report: eduint.Report | None
    problems: tuple[str, ...]
    error_type: str | None = None
    error: str | None = None


def run_case(case: Case, engine: Engine = record_engine) -> Run:
    """Check the rules, load the data and evaluate them with ``engine``.

    Raises:
        Exception: whatever the engine raised, unless the case expects that error.
    """
    ruleset = _checked(case.rules_text, case.rules_file)
    loaded = eduint.load_county_text(
        case.data_text, file=f"{case.file}::{case.name}", extra_fields=ruleset.extra_field_kinds()
    )
    problems = tuple(str(p) for p in loaded.problems)
    error = case.expect.get("error")
    try:
        report = engine(ruleset, loaded.county, case.as_of)
    except Exception as exc:
        if error is None:
            raise
        return Run(None, problems, type(exc).__name__, str(exc))
    return Run(report, problems)


def differences(expect: Mapping[str, Any], run: Run) -> list[str]:
    """Every difference between ``expect`` and what a run gave (empty: every expectation holds)."""
    diffs: list[str] = []
    want_problems = expect.get("data_problems", [])
    got = list(run.problems)
    if len(got) != len(want_problems) or not all(
        _text_ok(w, p) for w, p in zip(want_problems, got, strict=False)
    ):
        diffs.append(f"data_problems: expected {want_problems!r}, got {got!r}")
    error = expect.get("error")
    if error is not None:
        if run.error is None:
            diffs.append(f"error: expected {error['type']}, but the evaluation gave a report")
        elif run.error_type != error["type"]:
            diffs.append(f"error: expected {error['type']}, got {run.error_type}: {run.error}")
        elif "match" in error and not re.search(error["match"], run.error):
            diffs.append(f"error: {run.error!r} does not match {error['match']!r}")
        return diffs
    assert run.report is not None
    return diffs + compare(expect, run.report)


# ------------------------------------------------------------------ comparing


def plain_arg(value: Any) -> str:
    """A reason argument as a scenario writes it: an entity by its names (``育人小学 小学``,
    ``S1 小学 3``), a field by its Chinese label (else its name), numbers exactly
    (``2/3``, a range ``30–39``, an approximate figure ``约212``), dates ISO, a list in
    brackets, a reason as :func:`plain_reason`, author text by its Chinese."""
    if isinstance(value, results.Text):
        return value.zh
    if isinstance(value, results.EntityRef):
        return " ".join(x for x in (value.name, value.segment, value.part) if x)
    if isinstance(value, results.FieldRef):
        return value.label or value.name
    if isinstance(value, Reason):
        return plain_reason(value)
    if isinstance(value, Interval):
        if value.lo == value.hi:
            return f"约{value.lo}" if value.approx else str(value.lo)
        return f"{value.lo}–{value.hi}"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(plain_arg(v) for v in value) + "]"
    return str(value)


def plain_reason(r: Reason) -> str:
    """A coded reason as a scenario writes it: ``code(arg; arg; …)`` (:func:`plain_arg`),
    e.g. ``missing_figure(测试县; 在校生数)``, ``division_by_zero()``."""
    return f"{r.code.value}({'; '.join(plain_arg(a) for a in r.args)})"


def _plain(value: Any) -> Any:
    """A report value in the terms a scenario file writes it in."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Reason):
        return plain_reason(value)
    if isinstance(value, (results.EntityRef, results.FieldRef)):
        return plain_arg(value)
    if isinstance(value, results.Period):
        return f"{plain_arg(value.start or '')}–{plain_arg(value.end or '')}"
    if isinstance(value, results.Text):
        return value.zh
    if isinstance(value, SourceRef):
        return str(value)
    return value


def _is_matcher(expected: Any) -> bool:
    return isinstance(expected, Mapping) and bool(expected) and set(expected) <= _MATCHER_KEYS


_NUMBER = re.compile(r"(约|~)?(-?\d+(?:\.\d+)?(?:/\d+)?)(?:–(-?\d+(?:\.\d+)?(?:/\d+)?))?(.*)")


def _rounds_to(x: Fraction, text: str) -> bool:
    """Whether ``x`` rounded half to even to the places ``text`` shows is ``text``."""
    places = len(text.split(".")[1]) if "." in text else 0
    return round(x, places) == Fraction(text)


def number_ok(expected: Any, actual: Any) -> bool:
    """Whether an exact number (``int``, ``Fraction``, a bracket) is the number written:
    exactly (``-16``, ``2/3``, ``0.5``), or, after ``~``, rounded to the places written
    (``~0.515339``; a bracket's two ends must both round to it)."""
    if isinstance(expected, bool) or expected is None or actual is None:
        return expected is actual
    text = str(expected).strip()
    m = _NUMBER.fullmatch(text)
    if m is None or m[3] is not None or m[4] or m[1] == "约":
        return False
    if isinstance(actual, Interval):
        if not actual.bracket:
            return False
        ends = (actual.lo, actual.hi)
    else:
        ends = (actual,)
    if m[1] == "~":
        return all(_rounds_to(Fraction(e), m[2]) for e in ends)
    return len(ends) == 1 and Fraction(m[2]) == ends[0]


def quantity_ok(expected: Any, q: results.Quantity) -> bool:
    """Whether a :class:`Quantity` is the one written, in the unit shown: ``85%``,
    ``4.5 平方米/人``, ``2/3 人``, ``30–39 人`` (a range), ``约212 人`` (an approximate
    figure), ``~0.5153`` (rounded to the places written; a bracket's two ends both)."""
    if not isinstance(expected, str):
        expected = str(expected)
    m = _NUMBER.fullmatch(expected.strip())
    if m is None:
        return False
    unit = str(q.unit)
    if m[4].strip() != ("" if unit in ("", "1") else unit):
        return False
    scale = q.unit.scale
    x = q.value
    if isinstance(x, Interval) and not x.bracket:
        lo, hi = Fraction(x.lo) / scale, Fraction(x.hi) / scale
        if m[1] == "约":
            return x.approx and lo == hi and Fraction(m[2]) == lo and m[3] is None
        if m[3] is None or m[1] is not None or x.approx:
            return False
        return (lo, hi) == (Fraction(m[2]), Fraction(m[3]))
    if m[1] == "约" or m[3] is not None:
        return False
    if isinstance(x, Interval):
        shown: Any = Interval(Fraction(x.lo) / scale, Fraction(x.hi) / scale, False, True)
    else:
        shown = Fraction(x) / scale
    return number_ok(f"{m[1] or ''}{m[2]}", shown)


def _text_ok(expected: Any, actual: Any) -> bool:
    """Whether ``actual`` (plain) satisfies ``expected``: equal, or a text matcher that holds."""
    if isinstance(actual, results.Quantity):
        return not _is_matcher(expected) and quantity_ok(expected, actual)
    if isinstance(actual, (int, Fraction, Interval)) and not isinstance(actual, bool):
        return not _is_matcher(expected) and number_ok(expected, actual)
    if _is_matcher(expected):
        if not isinstance(actual, str):
            return False
        contains = expected.get("contains", [])
        contains = [contains] if isinstance(contains, str) else contains
        return (
            actual.startswith(expected.get("prefix", ""))
            and actual.endswith(expected.get("suffix", ""))
            and all(c in actual for c in contains)
        )
    if isinstance(expected, datetime.date):
        expected = expected.isoformat()
    if isinstance(expected, YamlNumber):
        return str(actual) == str(expected)
    if type(expected) is not type(actual) and not (expected is None or actual is None):
        return False
    return bool(expected == actual)


def compare(expect: Mapping[str, Any], report: eduint.Report) -> list[str]:
    """Every difference between ``expect`` and ``report``, as messages (empty: all hold)."""
    diffs: list[str] = []
    for key, want in expect.items():
        if key == "headlines":
            got = {k: _plain(v) for k, v in report.headlines().items()}
            if got != {str(k): v for k, v in want.items()}:
                diffs.append(f"headlines: expected {dict(want)!r}, got {got!r}")
        elif key == "exit_code":
            _eq(diffs, key, want, report.exit_code())
        elif key == "exit_code_strict":
            _eq(diffs, key, want, report.exit_code(strict=True))
        elif key != "data_problems":
            _compare_field(diffs, "", report, key, want)
    return diffs


def _eq(diffs: list[str], where: str, want: Any, got: Any) -> None:
    if not _text_ok(want, got):
        diffs.append(f"{where}: expected {want!r}, got {got!r}")


def _compare_object(diffs: list[str], where: str, obj: Any, want: Any) -> None:
    """Compare one result object with a mapping of expectations or a bare primary value."""
    name = type(obj).__name__
    if not isinstance(want, Mapping) or _is_matcher(want):
        _eq(diffs, f"{where}.{_PRIMARY[name]}", want, _plain(getattr(obj, _PRIMARY[name])))
        return
    for key, value in want.items():
        _compare_field(diffs, where, obj, key, value)


def _object_diffs(obj: Any, want: Any) -> list[str]:
    diffs: list[str] = []
    _compare_object(diffs, "", obj, want)
    return diffs


def _compare_field(diffs: list[str], where: str, obj: Any, key: str, want: Any) -> None:
    field, _, op = key.partition(".")
    here = f"{where}.{key}" if where else key
    actual = getattr(obj, field)
    element = _element_class(type(obj), field)
    if op == "count":
        _eq(diffs, here, want, len(actual))
    elif op in ("has", "lacks") and element is not None:
        for w in want:
            found = any(not _object_diffs(a, w) for a in actual)
            if found != (op == "has"):
                diffs.append(f"{here}: {w!r} {'not found' if op == 'has' else 'found'}")
    elif op in ("has", "lacks"):
        plain = _plain(actual)
        for w in want:
            found = any(_text_ok(w, a) for a in plain)
            if found != (op == "has"):
                diffs.append(
                    f"{here}: {w!r} {'not found' if op == 'has' else 'found'} in {plain!r}"
                )
    elif (type(obj).__name__, field) in _OBJECTS:
        if want is None or actual is None:
            if want is not actual:
                diffs.append(f"{here}: expected {want!r}, got {actual!r}")
        else:
            _compare_object(diffs, here, actual, want)
    elif element is not None and isinstance(want, Mapping):
        keyed: dict[Any, list[Any]] = {}
        for e in actual:
            keyed.setdefault(_plain(getattr(e, _KEY[element.__name__])), []).append(e)
        for k, w in want.items():
            found = keyed.get(None if k is None else str(k), [])
            if len(found) != 1:
                diffs.append(
                    f"{here}[{k!r}]: expected one, found {len(found)} in {sorted(map(str, keyed))}"
                )
            else:
                _compare_object(diffs, f"{here}[{k!r}]", found[0], w)
    elif element is not None:
        if len(actual) != len(want):
            diffs.append(f"{here}: expected {len(want)} elements, got {len(actual)}")
        for i, (a, w) in enumerate(zip(actual, want, strict=False)):
            _compare_object(diffs, f"{here}[{i}]", a, w)
    elif isinstance(want, list):
        plain = _plain(actual)
        if (
            not isinstance(plain, list)
            or len(plain) != len(want)
            or not all(_text_ok(w, a) for w, a in zip(want, plain, strict=False))
        ):
            diffs.append(f"{here}: expected {want!r}, got {plain!r}")
    else:
        _eq(diffs, here, want, _plain(actual))


# ------------------------------------------------------------------ liveness


def expectation_leaves(expect: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every leaf expectation (a scalar, or a list length), for :func:`mutate`.

    Leaves under ``*.lacks`` are left out: a missing element cannot be made present by
    editing the expectation.
    """
    if isinstance(expect, Mapping):
        for k, v in expect.items():
            if str(k).endswith(".lacks"):
                continue
            yield from expectation_leaves(v, (*path, k))
    elif isinstance(expect, list):
        if not (path and str(path[-1]).endswith(".has")):
            yield (*path, "<length>")
        for i, v in enumerate(expect):
            yield from expectation_leaves(v, (*path, i))
    else:
        yield path


_SENTINEL = "\u2060(changed)"


def mutate(expect: Mapping[str, Any], path: Sequence[Any]) -> dict[str, Any]:
    """A deep copy of ``expect`` with the leaf at ``path`` changed so that it cannot hold."""
    out = copy.deepcopy(dict(expect))
    *parents, last = path
    node: Any = out
    for p in parents:
        node = node[p]
    if last == "<length>":
        node.append(_SENTINEL)
        return out
    old = node[last]
    if isinstance(old, bool):
        new: Any = not old
    elif isinstance(old, int):
        new = old + 1
    elif isinstance(old, str):
        new = old + _SENTINEL
    elif isinstance(old, datetime.date):
        new = old + datetime.timedelta(days=1)
    else:  # None
        new = _SENTINEL
    node[last] = new
    return out
