"""The ``eduint check`` job, without the command line: rule sets, data, evaluation.

The steps the CLI's ``check`` command takes, each a function a library caller can
take too: find and check a rule set (:func:`find_rules`, :func:`read_rules`), read the
data (:class:`Data`), settle which rule set applies when the data names its own
(:func:`prepare`, which reads the data again once the rule set's extra fields are
known), and evaluate each county with its provenance (:func:`evaluate_county`).
Nothing here prints or exits: a user mistake is a :class:`JobError` whose text is
the message to show, and notes for the user go to a ``notify`` callback.  How the
reports are shown is :mod:`eduint._cli_check`'s concern.

The loaders and the evaluator are imported when first used, so that ``eduint fmt``
and ``eduint lint`` never load them.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from eduint import reporting
from eduint._resources import bundled_rule_files, resource_dir
from eduint.checking import cached
from eduint.errors import EduintError
from eduint.language.diagnostics import Diagnostic, render_all

if TYPE_CHECKING:
    from eduint.checking.ruleset import RuleSet
    from eduint.data.limits import Limits
    from eduint.data.loading import LoadResult
    from eduint.data.spreadsheets import TableMapping
    from eduint.engine.results import Report

__all__ = [
    "CountyReport",
    "Data",
    "Job",
    "JobError",
    "Rules",
    "bundled_names",
    "evaluate_all",
    "evaluate_county",
    "find_rules",
    "prepare",
    "read_mapping",
    "read_rules",
    "resolve_rules",
    "shown_rules_path",
]

#: Data files read as spreadsheets (:mod:`eduint.data.spreadsheets`); a folder is too.
_TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv")
_RULESET_ID = re.compile(r"^[ \t]*ruleset[ \t]+([^\s{\"]+)", re.MULTILINE)


class JobError(EduintError):
    """A user mistake that stops the job; ``str()`` is the whole message to show
    (starting with ``error:``, or the rule file's diagnostics)."""


# ------------------------------------------------------------------ rule sets


def _ruleset_id_of(path: Path) -> str | None:
    """The id in a rule file's ``ruleset`` header, read without parsing the file.

    Args:
        path: A rule file.

    Returns:
        The id, or ``None`` when the file has no header or cannot be read.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = _RULESET_ID.search(text)
    return m[1] if m else None


def bundled_names() -> str:
    """The bundled rule sets as ``stem (id)``, for error messages."""
    files = bundled_rule_files()
    if not files:
        return "none are bundled"
    return ", ".join(f"{p.stem} (id {_ruleset_id_of(p) or '?'})" for p in files)


def resolve_rules(name: str, *, base: Path | None = None) -> Path | None:
    """Find the rule file that ``--rules`` (or a data file's ``rules:``) names.

    Tried in order: an existing file (relative to ``base`` first, when given, then
    to the working directory); a bundled rule file whose stem
    (``chengxiang-yitihua-2018``), path under the rules directory with or without
    ``.rules`` (``national/基本均衡``), or ruleset id (``chengxiang_yitihua_2018``)
    is ``name``.

    Args:
        name: The name or path.
        base: The directory of the data file that named the rules, or ``None``.

    Returns:
        The rule file, or ``None`` when nothing matches.
    """
    candidate = Path(name)
    tries = [base / candidate] if base is not None and not candidate.is_absolute() else []
    tries.append(candidate)
    for path in tries:
        if path.is_file():
            return path
    files = bundled_rule_files()
    root = resource_dir("rules") if files else None
    for path in files:
        rel = path.relative_to(root) if root is not None else Path(path.name)
        if name in (path.stem, rel.as_posix(), rel.with_suffix("").as_posix()):
            return path
    for path in files:
        if _ruleset_id_of(path) == name:
            return path
    return None


@attrs.frozen
class Rules:
    """A checked rule set and the file it came from.

    Attributes:
        ruleset: the checked rule set.
        path: the rule file.
        sha256: hex SHA-256 of the file's bytes.
        warnings: the checker's warnings rendered with source lines, or ``None``.
    """

    ruleset: RuleSet
    path: Path
    sha256: str
    warnings: str | None = None


def read_rules(path: Path) -> Rules:
    """Read and check a rule file.

    Raises:
        JobError: the file cannot be read, is not UTF-8, or does not check (the
            message holds every diagnostic).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise JobError(f"error: {path}: cannot read the rule file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JobError(
            f"error: {path}: not valid UTF-8 text (byte {exc.object[exc.start]:#04x} at "
            f"offset {exc.start}); save the file as UTF-8"
        ) from None
    try:
        ruleset = cached.check_rule_text(text, file=str(path), path=path)
    except EduintError as exc:
        raise JobError(
            f"{exc}\nerror: {path}: the rules do not check; nothing was evaluated"
        ) from None
    shown = None
    warnings = [w for w in ruleset.warnings if isinstance(w, Diagnostic)]
    if warnings:
        shown = render_all(warnings, {str(path): text})
    return Rules(ruleset, path, hashlib.sha256(raw).hexdigest(), shown)


def find_rules(name: str) -> Rules:
    """The rule set ``--rules NAME`` names (:func:`resolve_rules`), read and checked.

    Raises:
        JobError: nothing has that name, or the file does not check.
    """
    path = resolve_rules(name)
    if path is None:
        raise JobError(
            f"error: --rules {name}: no such rule file or bundled rule set; "
            f"bundled rule sets: {bundled_names()}"
        )
    return read_rules(path)


# ------------------------------------------------------------------ data


def read_mapping(path: Path | None) -> TableMapping | None:
    """The column mapping of ``--mapping FILE``, or ``None`` without one.

    Raises:
        JobError: the mapping is bad.
    """
    if path is None:
        return None
    from eduint.data import spreadsheets

    try:
        return spreadsheets.load_mapping(path)
    except EduintError as exc:
        raise JobError(f"error: {exc}") from None


def _load_data(
    path: Path,
    extra_fields: Mapping[str, Mapping[str, str]] | None,
    limits: Limits | None = None,
) -> LoadResult:
    """Load a county data file (the seam the CLI tests replace).

    Args:
        path: The data file (``.yaml``, ``.yml`` or ``.json``).
        extra_fields: The rule set's extra fields (:meth:`RuleSet.extra_field_kinds`).
        limits: The limits of the load (``--limit``), ``None`` for the defaults.

    Returns:
        What :func:`eduint.data.loading.load_county` returns.

    Raises:
        eduint.data.errors.DataFileError: The file cannot be read or parsed.
    """
    from eduint.data import loading  # imported here so fmt and lint never depend on it

    return loading.load_county(path, extra_fields=extra_fields or None, limits=limits)


def _declared_complete(loaded: LoadResult) -> LoadResult:
    """A YAML/JSON county with its school list declared complete (``--complete``)."""
    county = attrs.evolve(loaded.county, schools_complete=True)
    notices = tuple(n for n in loaded.notices if n.code != "D040")
    return attrs.evolve(loaded, county=county, notices=notices)


def _load_tables(
    path: Path,
    extra_fields: Mapping[str, Mapping[str, str]] | None,
    mapping: TableMapping | None,
    *,
    complete: bool = False,
    figures: str | None = None,
    limits: Limits | None = None,
) -> list[LoadResult]:
    """Read a workbook, CSV file or folder: one load result per county.

    Raises:
        eduint.data.errors.DataFileError: A file cannot be read or decoded, holds no
            data row used, or its figures need ``figures``.
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


@attrs.frozen
class Data:
    """The data to check: a file or folder, how it is named, how to read it.

    Attributes:
        path: a YAML/JSON county file, a workbook, a CSV file or a folder of them.
        name: the name shown in messages and the provenance (the path as given, or
            a bundled example's file name).
        mapping: the spreadsheet column mapping, or ``None``.
        complete: declare every county's school list complete (``--complete``).
        figures: how a long school sheet's physical figures are read
            (``--figures per-segment|whole-school``), or ``None`` to decide from it.
        limits: the limits of the load (``--limit NAME=N``), ``None`` for the defaults.
    """

    path: Path
    name: str
    mapping: TableMapping | None = None
    complete: bool = attrs.field(default=False, kw_only=True)
    figures: str | None = attrs.field(default=None, kw_only=True)
    limits: Limits | None = attrs.field(default=None, kw_only=True)

    @property
    def tables(self) -> bool:
        """Whether the data is read as spreadsheets (a folder, ``.xlsx``, ``.csv``)."""
        return self.path.is_dir() or self.path.suffix.lower() in _TABLE_SUFFIXES

    def load(self, extra_fields: Mapping[str, Mapping[str, str]] | None) -> list[LoadResult]:
        """Read the data: one load result per county (a YAML/JSON file has one).

        Raises:
            eduint.data.errors.DataFileError: a file cannot be read or parsed.
        """
        if self.tables:
            return _load_tables(
                self.path,
                extra_fields,
                self.mapping,
                complete=self.complete,
                figures=self.figures,
                limits=self.limits,
            )
        loaded = _load_data(self.path, extra_fields, self.limits)
        return [_declared_complete(loaded) if self.complete else loaded]


# ------------------------------------------------------------------ the job


@attrs.frozen
class Job:
    """Rules and data, settled: what :func:`evaluate_county` runs.

    Attributes:
        rules: the rule set that applies.
        data: the data.
        loads: one load result per county, in the data's order.
    """

    rules: Rules
    data: Data
    loads: tuple[LoadResult, ...]


def prepare(
    data: Data,
    rules: Rules | None,
    *,
    rules_name: str | None = None,
    notify: Callable[[str], None],
) -> Job:
    """Read the data and settle the rule set.

    ``rules`` (from ``--rules``) wins over the rule set the data names (``rules:``),
    with a note when the two differ.  Without ``rules``, the data's own is read
    (relative to the data file first); when it declares extra fields, the data is
    read again so that they are kept.

    Args:
        data: the data to read.
        rules: the rule set given, or ``None``.
        rules_name: how the rule set was given (``--rules NAME``), for the note.
        notify: receives notes and rule-file warnings for the user.

    Raises:
        JobError: no rule set (the data names none, or one that cannot be found).
        eduint.data.errors.DataFileError: the data cannot be read.
    """
    extra = rules.ruleset.extra_field_kinds() if rules is not None else None
    loads = data.load(extra)
    named_by_data = loads[0].rules
    if named_by_data is not None:
        named = resolve_rules(named_by_data, base=data.path.parent)
        if rules is None:
            if named is None:
                raise JobError(
                    f"error: {data.name}: names the rule set '{named_by_data}', which is "
                    f"neither a rule file nor a bundled rule set; bundled rule sets: "
                    f"{bundled_names()}"
                )
            rules = read_rules(named)
            if rules.warnings:
                notify(rules.warnings)
            if rules.ruleset.extra_field_kinds():  # read again, now knowing the extra fields
                loads = data.load(rules.ruleset.extra_field_kinds())
        elif named is None or named.resolve() != rules.path.resolve():
            notify(f"note: --rules {rules_name} is used; the data file names '{named_by_data}'")
    if rules is None:
        raise JobError(
            f"error: {data.name}: no rule set: the data file names none (no `rules:`); "
            f"pass --rules NAME|PATH. Bundled rule sets: {bundled_names()}"
        )
    if any(p.code == "D010" for loaded in loads for p in loaded.problems):
        loads = _note_foreign_fields(loads, rules)
    return Job(rules, data, tuple(loads))


def _note_foreign_fields(loads: Sequence[LoadResult], rules: Rules) -> list[LoadResult]:
    """Unknown fields that another bundled rule set declares become notes, not problems
    (:func:`eduint.data.loading.foreign_fields`)."""
    from eduint.data import loading

    declared: dict[str, str] = {}
    for path in bundled_rule_files():
        if path.resolve() == rules.path.resolve():
            continue
        try:
            other = cached.check_rule_text(
                path.read_text(encoding="utf-8"), file=str(path), path=path
            )
        except (EduintError, OSError, UnicodeDecodeError):
            continue  # a bundled file that does not check says nothing about data
        for fields in other.extra_field_kinds().values():
            for name in fields:
                declared.setdefault(name, other.id)
    own = {n for fields in rules.ruleset.extra_field_kinds().values() for n in fields}
    for name in own:
        declared.pop(name, None)
    return [loading.foreign_fields(ld, declared, rules.ruleset.id) for ld in loads]


@attrs.frozen
class CountyReport:
    """One county's evaluation: the report, what was loaded, where it came from.

    Attributes:
        loaded: the county's load result (county, data problems, row counts).
        report: the evaluated report.
        provenance: the rule and data files with their SHA-256, the date used.
    """

    loaded: LoadResult
    report: Report
    provenance: reporting.Provenance


def shown_rules_path(path: Path) -> str:
    """How a rule file is named in the provenance: a bundled file by its path under the
    rules directory (``bundled:chengxiang-yitihua-2018.rules``), any other as given."""
    try:
        rel = path.resolve().relative_to(resource_dir("rules").resolve())
    except (ValueError, OSError):
        return str(path)
    return f"bundled:{rel.as_posix()}"


def evaluate_county(job: Job, loaded: LoadResult, *, as_of: datetime.date | None) -> CountyReport:
    """Evaluate one county of the job and record the provenance.

    Args:
        job: the settled job.
        loaded: one of ``job.loads``.
        as_of: the date to evaluate at; ``None``: the date the data declares.

    Raises:
        JobError: the evaluation needs what the data lacks (e.g. a date).
    """
    from eduint.engine.evaluator import EvaluationError, evaluate

    try:
        report = evaluate(job.rules.ruleset, loaded.county, as_of=as_of)
    except EvaluationError as exc:
        raise JobError(f"error: {job.data.name}: {exc}") from None
    provenance = reporting.Provenance.of(
        report,
        data_file=job.data.name,
        data_sha256=loaded.sha256,
        rules_file=shown_rules_path(job.rules.path),
        rules_sha256=job.rules.sha256,
    )
    return CountyReport(loaded, report, provenance)


def evaluate_all(job: Job, *, as_of: datetime.date | None) -> Sequence[CountyReport]:
    """Every county of the job, in the data's order (:func:`evaluate_county` each).

    Raises:
        JobError: as :func:`evaluate_county`.
    """
    return [evaluate_county(job, loaded, as_of=as_of) for loaded in job.loads]
