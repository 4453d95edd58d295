"""The ``check`` job as a library call: :func:`run`, :func:`load_ruleset`, :func:`rulesets`.

``eduint check`` is a thin shell over :func:`run`: it parses its options, calls it,
renders the result and exits.  A Python caller gets the same job::

    import eduint

    result = eduint.run("youzhi_junheng_2017", "county.yaml", values={"差异系数上限.初中": "0.40"})
    for county in result.counties:
        print(county.report.county, county.report.overall)

Rule sets are found by one resolver (:mod:`eduint.checking.resolver`: a bundled stem, a
bundled id, or a rule file), which provincial layering (issue 15) reuses for ``extends``.
Bundled rule sets are checked once per user and cached (:mod:`eduint.checking.cached`).
Data is a YAML/JSON file, a workbook, a CSV file or a folder of them, a
:class:`~eduint.data.models.County` or a sequence of counties.  Overrides (``--set``)
are applied by :func:`eduint.checking.overrides.apply_overrides`.

Nothing here prints or exits.  A user mistake is an :class:`~eduint.errors.EduintError`:
:class:`~eduint.checking.resolver.UnknownRuleSetError` (with a did-you-mean),
:class:`~eduint.errors.RuleSyntaxError` / :class:`~eduint.errors.RuleCheckError` (rules or
an override that do not check), :class:`~eduint.data.errors.DataFileError` (data that
cannot be read), or :class:`JobError` (whose text is the whole message ``eduint check``
shows).  The loaders and the evaluator are imported when first used, so that
``eduint fmt`` and ``eduint lint`` never load them.
"""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from eduint._version import __version__
from eduint.checking import cached
from eduint.checking.resolver import (
    RuleReferenceError,
    RuleResolver,
    RuleSource,
    default_resolver,
)
from eduint.checking.ruleset import RuleSet
from eduint.data.models import County
from eduint.errors import EduintError
from eduint.language.diagnostics import Diagnostic, render_all

if TYPE_CHECKING:
    # Imported where used: loading a rule set needs neither (docs/performance.md)
    from eduint.checking.overrides import Assignment, Override
    from eduint.checking.proof import Counterexample
    from eduint.data.errors import DataProblem
    from eduint.data.extras import ExtraDecls, ExtraFieldsFor
    from eduint.data.limits import Limits
    from eduint.data.loading import LoadResult
    from eduint.data.spreadsheets import TableMapping
    from eduint.engine.columnar import ColumnarResult
    from eduint.engine.results import Outcome, Report
    from eduint.reporting import Provenance

__all__ = [
    "CountyResult",
    "JobError",
    "LoadedRules",
    "RulesetInfo",
    "RunProvenance",
    "RunResult",
    "RunSummary",
    "load_ruleset",
    "read_rules",
    "rulesets",
    "run",
]

#: Data read as spreadsheets (:mod:`eduint.data.spreadsheets`); a folder is too.
_TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv")


class JobError(EduintError):
    """A user mistake that stops the job; ``str()`` is the whole message
    ``eduint check`` shows (starting with ``error:``)."""


# ------------------------------------------------------------------ rule sets


@attrs.frozen
class RulesetInfo:
    """A bundled rule set (:func:`rulesets`).

    Attributes:
        id: its ``ruleset`` id (``youzhi_junheng_2017``).
        stem: its file stem (``youzhi-junheng-2017``); :func:`load_ruleset` takes either.
        title: its Chinese title; title_en: its English title (``None`` when absent).
        version: its ``version``, or ``None``.
        file: its path under the rules directory (``youzhi-junheng-2017.rules``).
    """

    id: str
    stem: str
    title: str | None
    title_en: str | None
    version: str | None
    file: str


@attrs.frozen
class LoadedRules:
    """A checked rule set and the file it came from (:func:`read_rules`).

    Attributes:
        ruleset: the checked rule set.
        source: the rule file read (path, SHA-256, how it is named), or ``None`` for a
            rule set given as an object.
        warnings: the checker's warnings (``W3xx``) rendered with their source lines,
            or ``None``.
    """

    ruleset: RuleSet
    source: RuleSource | None
    warnings: str | None = None


def read_rules(
    name: str | os.PathLike[str], *, resolver: RuleResolver | None = None, base: Path | None = None
) -> LoadedRules:
    """Find, read and check a rule set, keeping its file and warnings.

    Args:
        name: a bundled stem or id, or a rule file's path.
        resolver: the resolver to use (default: the bundled rule sets, any file).
        base: a directory a relative path is tried in first (a data file's).

    Raises:
        UnknownRuleSetError: nothing has the name (the message lists the bundled ones
            and a did-you-mean).
        RuleFileError: the file cannot be read or is not UTF-8.
        RuleSyntaxError, RuleCheckError: the rules do not check (rendered with carets).
    """
    r = resolver or default_resolver()
    source = r.resolve(os.fspath(name), base=base)
    ruleset = cached.check_rule_text(
        source.text,
        file=str(source.path),
        path=source.path,
        shown=source.shown,
        resolver=r,
        verify=_verify,
    )
    shown = [w for w in ruleset.warnings if isinstance(w, Diagnostic)]
    warnings = render_all(shown, {str(source.path): source.text}) if shown else None
    return LoadedRules(ruleset, source, warnings)


def _verify(cx: Counterexample, parent: RuleSet, child: RuleSet) -> bool:
    """The engine's check of a layering counterexample (imported when one is built)."""
    from eduint.engine.verify import verifier

    return verifier(cx, parent, child)


def load_ruleset(
    name_or_path: str | os.PathLike[str], *, resolver: RuleResolver | None = None
) -> RuleSet:
    """A checked rule set: a bundled one by file stem or id, or a rule file by path.

    Args:
        name_or_path: ``"youzhi-junheng-2017"``, ``"youzhi_junheng_2017"`` or
            ``"provinces/广东.rules"``.
        resolver: the resolver to use (default: the bundled rule sets, any file).

    Returns:
        The checked :class:`~eduint.checking.ruleset.RuleSet` (warnings on ``.warnings``).

    Raises:
        UnknownRuleSetError: no rule file and no bundled rule set has that name.
        RuleFileError: the file cannot be read or is not UTF-8.
        RuleSyntaxError, RuleCheckError: the rules do not check.
    """
    return read_rules(name_or_path, resolver=resolver).ruleset


def rulesets(*, resolver: RuleResolver | None = None) -> tuple[RulesetInfo, ...]:
    """The bundled rule sets, sorted by file.

    Raises:
        RuleSyntaxError, RuleCheckError: a bundled file does not check (a broken install).
    """
    r = resolver or default_resolver()
    out = []
    for b in r.bundled():
        rs = read_rules(b.path, resolver=r).ruleset
        out.append(RulesetInfo(rs.id, b.stem, rs.title, rs.title_en, rs.version, b.relative))
    return tuple(out)


# ------------------------------------------------------------------ the result


@attrs.frozen
class CountyResult:
    """One county's evaluation.

    Attributes:
        report: the report (its ``overrides`` are the run's).
        load: what was loaded for the county (data problems, rows read, used and
            rejected), or ``None`` for a county given as an object.
        provenance: the rule and data files with their SHA-256, the date used and where
            it came from, the eduint version.
    """

    report: Report
    load: LoadResult | None
    provenance: Provenance

    @property
    def problems(self) -> tuple[DataProblem, ...]:
        """The county's data problems (empty for a county given as an object)."""
        return tuple(self.load.problems) if self.load is not None else ()


@attrs.frozen
class RunSummary:
    """Across the counties of a run.

    Attributes:
        counties: how many counties were evaluated.
        overall: each county's overall verdict, in the run's county order.
        met: how many counties are 达到 overall; not_met: 未达到 overall.
        outcomes: rule id → headline → number of counties (rule-file order of first
            appearance; headlines without a verdict are counted under ``None``).
        rows_read, rows_used, rows_rejected: totals over spreadsheet loads, or ``None``
            when no load counted rows (YAML/JSON, counties given as objects).
        problems: the number of data problems over all counties.
    """

    counties: int
    overall: tuple[Outcome | None, ...]
    met: int
    not_met: int
    outcomes: Mapping[str, Mapping[Outcome | None, int]]
    rows_read: int | None
    rows_used: int | None
    rows_rejected: int | None
    problems: int


@attrs.frozen
class RunProvenance:
    """Where a run's reports came from: enough to reproduce them.

    Attributes:
        rules_file: the rule file as reports name it (``bundled:youzhi-junheng-2017.rules``
            or a path), or the rule set's file name for a rule set given as an object.
        rules_sha256: hex SHA-256 of the rule file's bytes, or ``None``.
        data: ``(name, sha256)`` of every data load, in order (empty for counties given
            as objects).
        eduint_version: the eduint version that ran.
        as_of: the date asked for, or ``None`` (each county's date and its basis are in
            its :attr:`CountyResult.provenance`).
        parents: ``(file, sha256)`` of every rule file the rule set extends, nearest
            first (issue 15; empty for one that extends none).
    """

    rules_file: str
    rules_sha256: str | None
    data: tuple[tuple[str, str], ...]
    eduint_version: str
    as_of: datetime.date | None
    parents: tuple[tuple[str, str | None], ...] = ()


@attrs.frozen
class RunResult:
    """What :func:`run` returns.

    Attributes:
        ruleset: the rule set evaluated, with the overrides applied.
        counties: one result per county, in the order the data gives them (a workbook's
            counties in sheet order; a sequence of counties as given).
        summary: the summary across counties.
        overrides: the overrides applied, each with its strictness verdict.
        provenance: the run's provenance.
        rule_warnings: the rule file's warnings (``W3xx``) rendered, or ``None``.
        rules_named_by_data: the rule set the data names (``rules:``), or ``None``.
        rules_differ: True when a rule set was given and the data names another.
        engine: the engine that evaluated the counties (``"record"`` or ``"columnar"``).
        columnar: the columnar engine's result (outcomes, values and what took the exact
            path, as arrays), or ``None`` with the record engine.
    """

    ruleset: RuleSet
    counties: tuple[CountyResult, ...]
    summary: RunSummary
    overrides: tuple[Override, ...] = ()
    provenance: RunProvenance | None = None
    rule_warnings: str | None = None
    rules_named_by_data: str | None = None
    rules_differ: bool = False
    engine: str = "record"
    columnar: ColumnarResult | None = None

    @property
    def reports(self) -> tuple[Report, ...]:
        """The reports, in the order of :attr:`counties`."""
        return tuple(c.report for c in self.counties)

    def exit_code(self, *, strict: bool = False) -> int:
        """The worst :meth:`Report.exit_code` over the counties (0 with none)."""
        return max((c.report.exit_code(strict=strict) for c in self.counties), default=0)


# ------------------------------------------------------------------ data


def _load_data(
    path: Path,
    extra_fields: ExtraDecls | ExtraFieldsFor | None,
    limits: Limits | None = None,
) -> LoadResult:
    """Load a county data file (the seam the CLI tests replace), within ``limits``
    (``None``: the defaults).

    Raises:
        eduint.data.errors.DataFileError: the file cannot be read or parsed, or exceeds
            a limit.
    """
    from eduint.data import loading  # imported here so fmt and lint never depend on it

    return loading.load_county(path, extra_fields=extra_fields or None, limits=limits)


def _declared_complete(loaded: LoadResult) -> LoadResult:
    """A YAML/JSON county with its school list declared complete (``complete=True``)."""
    county = attrs.evolve(loaded.county, schools_complete=True)
    notices = tuple(n for n in loaded.notices if n.code != "D040")
    return attrs.evolve(loaded, county=county, notices=notices)


def _load_tables(
    path: Path,
    extra_fields: ExtraDecls | ExtraFieldsFor | None,
    mapping: TableMapping | None,
    *,
    complete: bool = False,
    figures: str | None = None,
    limits: Limits | None = None,
) -> list[LoadResult]:
    """Read a workbook, CSV file or folder: one load result per county.

    Raises:
        eduint.data.errors.DataFileError: a file cannot be read or decoded, holds no
            data row used, its figures need ``figures``, or it exceeds a limit.
    """
    from eduint.data import spreadsheets

    return spreadsheets.read_tables(
        path,
        mapping=mapping,
        extra_fields=extra_fields or None,
        complete=complete,
        figures="per-segment" if figures == "per-segment" else "whole-school" if figures else None,
        limits=limits,
    )


def _read_mapping(mapping: TableMapping | str | os.PathLike[str] | None) -> TableMapping | None:
    """A spreadsheet column mapping given as a file (``--mapping``) or an object.

    Raises:
        JobError: the mapping file is bad.
    """
    if mapping is None or not isinstance(mapping, (str, os.PathLike)):
        return mapping
    from eduint.data import spreadsheets

    try:
        return spreadsheets.load_mapping(Path(mapping))
    except EduintError as exc:
        raise JobError(f"error: {exc}") from None


@attrs.frozen
class _Data:
    """Data given as a path: how to read it (``complete``: every county's school list
    declared complete; ``figures``: how a long school sheet's physical figures are
    read; ``limits``: the limits of the load), and how it is named."""

    path: Path
    name: str
    mapping: TableMapping | None
    complete: bool = False
    figures: str | None = None
    limits: Limits | None = None

    def load(self, extra: ExtraDecls | ExtraFieldsFor | None) -> list[LoadResult]:
        tables = self.path.is_dir() or self.path.suffix.lower() in _TABLE_SUFFIXES
        if tables:
            return _load_tables(
                self.path,
                extra,
                self.mapping,
                complete=self.complete,
                figures=self.figures,
                limits=self.limits,
            )
        loaded = _load_data(self.path, extra, self.limits)
        return [_declared_complete(loaded) if self.complete else loaded]


def _settle(
    rules: LoadedRules | None, data: _Data, resolver: RuleResolver
) -> tuple[LoadedRules, list[LoadResult], str | None, bool]:
    """Read the data and settle the rule set: the one given wins over the one the data
    names (``rules:``, tried relative to the data first); when the data's own has extra
    fields, the data is read again so that they are kept.

    Returns:
        ``(rules, loads, named by the data, whether the two differ)``.

    Raises:
        JobError: no rule set at all, or the data names one that cannot be found.
    """
    asked: dict[str | None, LoadedRules | None] = {}
    extra: ExtraDecls | ExtraFieldsFor | None
    if rules is not None:
        extra = rules.ruleset.extra_field_kinds()
    else:
        # the data's own rule set, settled while the data is read, so that its extra
        # fields are known before the first entity is: the file is read once
        def extra(name: str | None) -> ExtraDecls | None:
            asked[name] = _named_rules(name, data, resolver)
            found = asked[name]
            return found.ruleset.extra_field_kinds() if found is not None else None

    loads = data.load(extra)
    named = loads[0].rules if loads else None
    differ = False
    if named is not None:
        # Untrusted text: only a bundled rule set or a .rules file beside the data, and
        # nothing is opened on the way to refusing anything else.
        path: Path | None = None
        refused: RuleReferenceError | None = None
        try:
            path = resolver.find_reference(named, roots=(data.path.parent,))
        except RuleReferenceError as exc:
            refused = exc
        if rules is None:
            if path is None:
                raise JobError(
                    f"error: {data.name}: {refused}; bundled rule sets: "
                    f"{resolver.bundled_names()}"
                )
            rules = asked.get(named) or read_rules(path, resolver=resolver)
            if named not in asked and rules.ruleset.extra_field_kinds():
                # a reader that could not ask first: read again, knowing the extra fields
                loads = data.load(rules.ruleset.extra_field_kinds())
        else:
            given = rules.source.path.resolve() if rules.source is not None else None
            differ = path is None or path.resolve() != given
    if rules is None:
        raise JobError(
            f"error: {data.name}: no rule set: the data file names none (no `rules:`); "
            f"pass --rules NAME|PATH (rules= in eduint.run). Bundled rule sets: "
            f"{resolver.bundled_names()}"
        )
    if any(p.code == "D010" for loaded in loads for p in loaded.problems):
        loads = _note_foreign_fields(loads, rules, resolver)
    return rules, loads, named, differ


def _named_rules(name: str | None, data: _Data, resolver: RuleResolver) -> LoadedRules | None:
    """The rule set a data file names, read while the data is (``None`` when it names
    none, or one that cannot be found or read: the caller reports that afterwards)."""
    if name is None:
        return None
    try:
        return read_rules(resolver.find_reference(name, roots=(data.path.parent,)), resolver=resolver)
    except (RuleReferenceError, EduintError):
        return None


def _note_foreign_fields(
    loads: Sequence[LoadResult], rules: LoadedRules, resolver: RuleResolver
) -> list[LoadResult]:
    """Unknown fields that another bundled rule set declares become notes, not problems
    (:func:`eduint.data.loading.foreign_fields`)."""
    from eduint.data import loading

    declared: dict[str, str] = {}
    own_path = rules.source.path.resolve() if rules.source is not None else None
    for b in resolver.bundled():
        if b.path.resolve() == own_path:
            continue
        try:
            other = read_rules(b.path, resolver=resolver).ruleset
        except EduintError:
            continue  # a bundled file that does not check says nothing about data
        for fields in other.extra_field_kinds().values():
            for name in fields:
                declared.setdefault(name, other.id)
    own = {n for fields in rules.ruleset.extra_field_kinds().values() for n in fields}
    for name in own:
        declared.pop(name, None)
    return [loading.foreign_fields(ld, declared, rules.ruleset.id) for ld in loads]


# ------------------------------------------------------------------ the job


def run(
    rules: RuleSet | str | os.PathLike[str] | None,
    data: str | os.PathLike[str] | County | Sequence[County],
    *,
    as_of: datetime.date | None = None,
    settings: Mapping[str, object] | Sequence[str] | None = None,
    values: Mapping[str, object] | Sequence[str] | None = None,
    overrides: Sequence[str] = (),
    mapping: TableMapping | str | os.PathLike[str] | None = None,
    name: str | None = None,
    complete: bool = False,
    figures: str | None = None,
    resolver: RuleResolver | None = None,
    limits: Limits | None = None,
    engine: str = "record",
) -> RunResult:
    """Check data against a rule set: every county evaluated, summarised, with provenance.

    Args:
        rules: a checked :class:`~eduint.checking.ruleset.RuleSet`, a bundled rule set's
            stem or id, or a rule file's path; ``None``: the rule set the data file names
            (``rules:``, found relative to the data file first).  A rule set given wins
            over the data's own (:attr:`RunResult.rules_differ` says when they differ).
        data: a YAML/JSON county file, a workbook (``.xlsx``), a CSV file or a folder of
            them (one county per 行政区划代码), a :class:`~eduint.data.models.County`, or
            a sequence of counties.
        as_of: the date to evaluate at; ``None``: the date each county's data declares.
        settings: setting overrides for this run: ``{"subtract_indoor_sports": False}``
            or ``{"室内体育用房扣除": "false"}``, or ``["NAME=VALUE", …]``.
        values: value overrides: ``{"班额上限": "40 人", "差异系数上限.初中": "0.40"}``.
            Values are rule text (a bool, int, :class:`~decimal.Decimal` or float is
            written for you); a bare number takes the unit of the value it replaces.
        overrides: ``NAME[.KEY]=VALUE`` texts naming a setting or a value, as
            ``eduint check --set`` takes them (applied after ``settings`` and ``values``).
        mapping: a spreadsheet column mapping (a file, or a loaded mapping).
        name: how the data is named in messages and provenance (default: the path as
            given; ``None`` for counties given as objects).
        complete: declare every county's school list complete (``--complete``).
        figures: ``"per-segment"`` or ``"whole-school"``: how a long school sheet's
            physical figures are read (``--figures``); ``None`` decides from the sheet.
        resolver: how rule sets are found (default: the bundled ones, any file).
        limits: the limits on the data read (:class:`~eduint.data.limits.Limits`:
            file size, rows, cells, schools …; ``--limit``); ``None``: the defaults.
        engine: ``"record"`` (the default), ``"columnar"`` (every county at once, as
            arrays: needs numpy, ``eduint[columnar]``) or ``"auto"`` (columnar for more
            than one county or more than :data:`AUTO_SCHOOLS` schools, when numpy is
            installed).  With the columnar engine the summary comes from its columns
            (:attr:`RunResult.columnar`) and each county's report is the record
            engine's, identical to what ``engine="record"`` gives.

    Returns:
        The :class:`RunResult`: one :class:`CountyResult` per county in data order, the
        summary, the overrides with their strictness verdicts (also on each report), the
        provenance, the rule file's warnings.

    Raises:
        UnknownRuleSetError: ``rules`` names nothing known.
        RuleFileError: the rule file cannot be read or is not UTF-8.
        RuleSyntaxError, RuleCheckError: the rules, or an override, do not check.
        DataFileError: the data cannot be read or parsed, or exceeds a limit (D005: the
            message names the limit and how to raise it).
        JobError: no rule set at all, a data file naming an unknown one, a bad mapping
            file, a county that cannot be evaluated (no date for dated rules), or
            ``engine="columnar"`` without numpy.
        EduintError: an override that is not ``NAME=VALUE``, or an unknown ``engine``.
    """
    if engine not in ENGINES:
        raise EduintError(f"error: unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    resolver = resolver or default_resolver()
    given: LoadedRules | None
    if isinstance(rules, RuleSet):
        given = LoadedRules(rules, None)
    else:
        given = read_rules(rules, resolver=resolver) if rules is not None else None
    named: str | None = None
    differ = False
    loads: list[LoadResult] | None = None
    counties: list[County]
    if isinstance(data, County):
        counties = [data]
    elif isinstance(data, (str, os.PathLike)):
        path = Path(data)
        source = _Data(
            path,
            name if name is not None else os.fspath(data),
            _read_mapping(mapping),
            complete,
            figures,
            limits,
        )
        given, loads, named, differ = _settle(given, source, resolver)
        counties = [x.county for x in loads]
    else:
        counties = list(data)
    if given is None:
        raise JobError(
            "error: no rule set: pass one (rules=), or data that names its own (`rules:`); "
            f"bundled rule sets: {resolver.bundled_names()}"
        )
    ruleset, done = _overridden(given.ruleset, settings, values, overrides)
    results = _evaluate_all(ruleset, given, counties, loads, name, as_of, done)
    chosen = choose_engine(engine, counties)
    columnar = _columnar(ruleset, counties, as_of) if chosen == "columnar" and counties else None
    return RunResult(
        ruleset,
        results,
        _summary(results) if columnar is None else _columnar_summary(columnar, results),
        done,
        RunProvenance(
            given.source.shown if given.source is not None else ruleset.file,
            given.source.sha256 if given.source is not None else None,
            tuple((x.source if name is None else name, x.sha256) for x in loads or ()),
            __version__,
            as_of,
            tuple((p.file, p.sha256) for p in ruleset.parents),
        ),
        given.warnings,
        named,
        differ,
        chosen,
        columnar,
    )


def _overridden(
    ruleset: RuleSet,
    settings: Mapping[str, object] | Sequence[str] | None,
    values: Mapping[str, object] | Sequence[str] | None,
    overrides: Sequence[str],
) -> tuple[RuleSet, tuple[Override, ...]]:
    """The rule set with ``settings=``, ``values=`` (each of its kind), then ``overrides=``
    applied by :func:`~eduint.checking.overrides.apply_overrides`, and the record of
    each; without any, the rule set itself (the overrides' checker is not imported)."""
    if not (settings or values or overrides):
        return ruleset, ()
    from eduint.checking.overrides import Assignment, OverrideKind, apply_overrides

    requests: list[Assignment] = []
    for given, kind in ((settings, OverrideKind.SETTING), (values, OverrideKind.VALUE)):
        if isinstance(given, Mapping):
            requests += [Assignment.of(str(k), v, kind) for k, v in given.items()]
        elif given is not None:
            requests += [Assignment.parse(str(x), kind) for x in given]
    return apply_overrides(ruleset, requests + [Assignment.parse(o) for o in overrides])


def _evaluate_all(
    ruleset: RuleSet,
    rules: LoadedRules,
    counties: Sequence[County],
    loads: Sequence[LoadResult] | None,
    name: str | None,
    as_of: datetime.date | None,
    overrides: tuple[Override, ...],
) -> tuple[CountyResult, ...]:
    """Evaluate every county, in order, with its provenance.

    Raises:
        JobError: a county cannot be evaluated (no date for dated rules).
    """
    from eduint.engine import evaluator  # looked up at call time: tests replace evaluate
    from eduint.reporting import Provenance  # not on `import eduint` (tabulate)

    out = []
    for i, county in enumerate(counties):
        load = loads[i] if loads is not None else None
        shown = name if name is not None else (load.source if load is not None else None)
        try:
            report = evaluator.evaluate(ruleset, county, as_of=as_of)
        except evaluator.EvaluationError as exc:
            raise JobError(f"error: {shown or county.name}: {exc}") from None
        if overrides:
            report = attrs.evolve(report, overrides=overrides)
        provenance = Provenance.of(
            report,
            data_file=shown,
            data_sha256=load.sha256 if load is not None else None,
            rules_file=rules.source.shown if rules.source is not None else ruleset.file,
            rules_sha256=rules.source.sha256 if rules.source is not None else None,
        )
        out.append(CountyResult(report, load, provenance))
    return tuple(out)


def _summary(results: Sequence[CountyResult]) -> RunSummary:
    """The summary across counties."""
    from eduint.engine.results import Outcome

    outcomes: dict[str, dict[Outcome | None, int]] = {}
    for c in results:
        for rule_id, head in c.report.headlines().items():
            per = outcomes.setdefault(rule_id, {})
            per[head] = per.get(head, 0) + 1
    overall = tuple(c.report.overall for c in results)

    def total(attr: str) -> int | None:
        counts = [getattr(c.load, attr, None) for c in results if c.load is not None]
        known = [x for x in counts if x is not None]
        return sum(known) if known else None

    return RunSummary(
        len(results),
        overall,
        sum(1 for o in overall if o is Outcome.MET),
        sum(1 for o in overall if o is Outcome.NOT_MET),
        outcomes,
        total("rows_read"),
        total("rows_used"),
        total("rows_rejected"),
        sum(len(c.problems) for c in results),
    )


# ------------------------------------------------------------------ engines

#: The engines :func:`run` and ``eduint check --engine`` take.
ENGINES = ("record", "columnar", "auto")
#: ``engine="auto"`` takes the columnar engine above this many schools (or for more than
#: one county).
AUTO_SCHOOLS = 300


def _has_numpy() -> bool:
    if "numpy" in sys.modules:  # a national table's reader has imported it already
        return True
    import importlib.util

    return importlib.util.find_spec("numpy") is not None


def choose_engine(engine: str, counties: Sequence[County]) -> str:
    """The engine that evaluates ``counties``: ``engine`` itself, or for ``"auto"`` the
    columnar engine when there is more than one county or more than
    :data:`AUTO_SCHOOLS` schools and numpy is installed, else the record engine.

    Raises:
        JobError: ``"columnar"`` without numpy installed.
    """
    if engine == "columnar" and not _has_numpy():
        raise JobError(
            "error: the columnar engine needs numpy: pip install 'eduint[columnar]'"
        )
    if engine != "auto":
        return engine
    many = len(counties) > 1 or sum(len(c.schools or ()) for c in counties) > AUTO_SCHOOLS
    return "columnar" if many and _has_numpy() else "record"


def _columnar(
    ruleset: RuleSet, counties: Sequence[County], as_of: datetime.date | None
) -> ColumnarResult:
    """Every county at once with the columnar engine.

    Raises:
        JobError: a county cannot be evaluated (no date for dated rules).
    """
    from eduint.engine import evaluator
    from eduint.engine.columnar import evaluate_many

    try:
        return evaluate_many(ruleset, counties, as_of)
    except evaluator.EvaluationError as exc:
        raise JobError(f"error: {exc}") from None


def _columnar_summary(col: ColumnarResult, results: Sequence[CountyResult]) -> RunSummary:
    """The summary across counties, from the columnar engine's columns (the row counts
    and problems from the loads, as :func:`_summary` takes them); rules in the reports'
    order."""
    summary = col.summary()
    order = list(results[0].report.headlines()) if results else list(col.headline)
    outcomes = {rid: dict(summary.headlines[rid]) for rid in order if rid in summary.headlines}
    overall = tuple(col.overall_outcome(i) for i in range(col.counties))
    base = _summary(results) if results else None
    return RunSummary(
        col.counties,
        overall,
        summary.met,
        summary.not_met,
        outcomes,
        base.rows_read if base else None,
        base.rows_used if base else None,
        base.rows_rejected if base else None,
        base.problems if base else 0,
    )
