"""``eduint check DATA --summary``: every county at once, a summary instead of reports.

The data is read (:func:`_read_many`), evaluated with the columnar engine
(:func:`eduint.engine.columnar.evaluate_many`), and what is shown comes from the
result's arrays (:mod:`eduint.reporting.many`): the per-county summary and the totals
(text formats, JSON, or an HTML page with a histogram of each 差异系数 rule's CVs,
:func:`eduint.reporting.html.summary_html`), or the whole result written as files
(:mod:`eduint.reporting.many_files`: CSV, JSON Lines, XLSX, Parquet).  No county's full
report is built unless ``--county CODE`` asks for that one.  A progress bar on stderr
(reading, evaluating, writing) when stderr is a terminal and ``--quiet`` is not given.
The exit code is the worst over the counties, as for one report per county.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from eduint import reporting
from eduint._cli_check import Output, problems_text, terminal_width
from eduint.checking.resolver import RuleResolver
from eduint.errors import EduintError

if TYPE_CHECKING:
    from eduint.api import LoadedRules
    from eduint.checking.ruleset import RuleSet
    from eduint.data.limits import Limits
    from eduint.data.national import NationalData
    from eduint.engine.columnar import ColumnarResult

__all__ = ["SUMMARY_FORMATS", "implies_summary", "run_summary"]

#: The ``--format`` values ``--summary`` takes: text formats, HTML and JSON print the summary,
#: the file formats write the whole result.
SUMMARY_FORMATS = (
    "table",
    "simple",
    "github",
    "grid",
    "plain",
    "html",
    "json",
    "csv",
    "jsonl",
    "xlsx",
    "parquet",
)
_TEXT = ("table", "simple", "github", "grid", "plain")
#: Data suffixes that are national tables: read as many counties, summarised.
NATIONAL_SUFFIXES = (".parquet", ".jsonl")


def implies_summary(data: Path | None, fmt: str) -> bool:
    """Whether ``eduint check`` summarises without being asked: national input
    (``.parquet``, ``.jsonl``) or a format only the summary writes (jsonl, parquet)."""
    national = data is not None and data.suffix.lower() in NATIONAL_SUFFIXES
    return national or fmt in ("jsonl", "parquet")


@attrs.frozen
class Job:
    """What ``eduint check --summary`` was asked (the check command's options)."""

    data: Path
    name: str
    rules: str | None
    as_of: datetime.date | None
    overrides: tuple[str, ...]
    mapping: Path | None
    complete: bool
    figures: str | None
    limits: Limits | None
    resolver: RuleResolver
    strict: bool
    county: str | None
    quiet: bool


# ------------------------------------------------------------------ progress


class _Progress:
    """Progress bars on stderr, one per stage; nothing when stderr is not a terminal or
    ``--quiet`` (click.progressbar, so no extra dependency)."""

    def __init__(self, on: bool, lang: reporting.Lang) -> None:
        self.on = on
        self.lang = lang

    @contextmanager
    def stage(self, key: str, length: int) -> Iterator[Callable[[int], None]]:
        """A bar of ``length`` steps labelled with the catalogue's ``progress.KEY``;
        yields ``advance(n)``."""
        if not self.on or length <= 0:
            yield lambda n: None
            return
        with click.progressbar(
            length=length,
            label=reporting.say(f"progress.{key}", self.lang),
            file=sys.stderr,
            show_eta=False,
        ) as bar:
            yield bar.update


def progress_on(quiet: bool) -> bool:
    """Whether to draw progress bars: stderr is a terminal and ``--quiet`` is not given."""
    return not quiet and sys.stderr.isatty()


# ------------------------------------------------------------------ reading


@attrs.frozen
class ManyData:
    """The data read for a summary.

    Attributes:
        rules: the rule set (given, or named by the data) with its source.
        named, differ: the rule set the data names, and whether the given one differs.
        counties: the counties (read county by county), or empty.
        loads: the load results (rows read, used, rejected; problems), per county, or
            the national table (its problems).
        national: the national table (read into columns), or ``None``.
    """

    rules: LoadedRules
    named: str | None
    differ: bool
    counties: Sequence[Any]
    loads: Sequence[Any]
    national: NationalData | None = None


def national_files(path: Path) -> list[Path] | None:
    """The files of ``path`` when it is read as a national table
    (:func:`eduint.data.national.read_national`, into columns): a Parquet or JSON Lines
    file; a CSV file, or a workbook or folder whose sheets or files are all school tables
    (named as no other sheet role: not 县区, 班级, 自评, 学校数; a 说明 sheet or file is
    ignored, as the reader ignores it: :func:`~eduint.data.national.formats.folder_files`).
    ``None`` for anything else (YAML/JSON county files, a workbook with a county, class or
    attestation sheet), which is read county by county with the spreadsheet or YAML
    reader, whose extra sheets the national reader would not read."""
    from eduint.data.national.formats import SUFFIXES, folder_files
    from eduint.data.spreadsheets.mapping import sheet_role

    def table(name: str) -> bool:
        return sheet_role(name) in (None, "schools", "explain")

    suffix = path.suffix.lower()
    if path.is_dir():
        ours, others = folder_files(path)
        national = bool(ours) and not others and all(table(p.stem) for p in ours)
        return ours if national else None
    if suffix in (".csv", ".parquet", ".jsonl", ".ndjson"):
        return [path] if table(path.stem) else None
    if suffix in SUFFIXES and path.is_file():  # a workbook
        from eduint.data.spreadsheets.xlsx import sheet_names  # the workbook part only

        names = sheet_names(path)
        return [path] if names is not None and all(table(n) for n in names) else None
    return None


def _read_many(
    job: Job,
    given: LoadedRules | None,
    advance: Callable[[int], None],
    national: bool | None = None,
) -> ManyData:
    """Read the data of many counties: a national table into columns
    (:func:`national_files`, :func:`eduint.data.national.read_national`; ``--rules`` is
    needed, a table names no rule set), else county by county (the spreadsheet or YAML
    reader, through :func:`eduint.api._settle`, as ``eduint check`` reads them).
    ``national``: whether the data is a national table, when the caller knows already.

    Raises:
        DataFileError, JobError: as :func:`eduint.run` raises them.
    """
    from eduint import api

    if national is None:
        national = national_files(job.data) is not None
    if national:
        from eduint.data.national import read_national
        from eduint.data.national.figures import check_figures

        if given is None:
            raise api.JobError(
                f"error: {job.name}: a national table names no rule set: pass --rules NAME|PATH"
            )
        table = read_national(
            job.data,
            mapping=api._read_mapping(job.mapping),
            limits=job.limits,
            progress=lambda done, total: advance(done),
        )
        check_figures(table, job.figures, job.name)
        return ManyData(given, None, False, [], [table], table)
    source = api._Data(
        job.data, job.name, api._read_mapping(job.mapping), job.complete, job.figures, job.limits
    )
    rules, loads, named, differ = api._settle(given, source, job.resolver)
    advance(1)
    return ManyData(rules, named, differ, [x.county for x in loads], loads)


def _moved_to(advance: Callable[[int], None]) -> Callable[[int], None]:
    """A progress hook taking the position reached (bytes read so far), for a bar whose
    ``advance`` takes steps."""
    at = [0]

    def to(position: int) -> None:
        if position > at[0]:
            advance(position - at[0])
            at[0] = position

    return to


# ------------------------------------------------------------------ the run


def run_summary(job: Job, out: Output) -> int:
    """Read, evaluate and show many counties (see the module doc); return the exit code.

    Raises:
        EduintError: the rules, the data or an override cannot be used (shown by the
            command as user errors).
    """
    import gc

    # The collector paused for the run (as for a file's loading): a national run makes
    # a few hundred thousand objects that all live to its end, and the collections that
    # walk them find nothing to free (~30 ms at scale 1).  Its objects are then frozen
    # (left out of later collections: freed by their counts as ever): a command ends
    # here, and the first collection after the pause, or the interpreter's last one,
    # would walk them all again for nothing (~20 ms).
    was = gc.isenabled()
    gc.disable()
    try:
        return _run_summary(job, out)
    finally:
        gc.freeze()
        if was:
            gc.enable()


def _run_summary(job: Job, out: Output) -> int:
    from eduint import api

    lang = reporting.check_lang(out.lang)
    bars = _Progress(progress_on(job.quiet), lang)
    given = api.read_rules(job.rules, resolver=job.resolver) if job.rules else None
    files = national_files(job.data)
    # the reading bar: the bytes of a national table (its reader reports bytes read),
    # else one step
    size = sum(f.stat().st_size for f in files) if files is not None else 1
    with bars.stage("reading", size) as advance:
        data = _read_many(job, given, _moved_to(advance), files is not None)
    _notes(data, job, lang)
    ruleset = data.rules.ruleset
    if job.overrides:  # the override machinery (the checker's parts) only for --set
        from eduint.checking.overrides import Assignment, apply_overrides

        ruleset, _ = apply_overrides(ruleset, [Assignment.parse(o) for o in job.overrides])
    if not data.counties and data.national is None:
        raise api.JobError(f"error: {job.name}: no county to evaluate")
    api.choose_engine("columnar", [])  # numpy installed, or a clear error
    with bars.stage("evaluating", sum(1 for _ in ruleset.rules())) as advance:
        result = _evaluate(ruleset, data, job.as_of, job.complete, advance)
    if result.fallback:
        click.echo(
            reporting.say("note.columnar_fallback", lang, rules=", ".join(result.fallback)),
            err=True,
        )
    if job.county is not None:
        return _one_county(result, data, job, out)
    _show(result, out, job, bars)
    return result.exit_code(strict=job.strict)


def _evaluate(
    ruleset: RuleSet,
    data: ManyData,
    as_of: datetime.date | None,
    complete: bool,
    advance: Callable[[int], None],
) -> ColumnarResult:
    from eduint.api import JobError
    from eduint.engine.columnar import evaluate_many

    counties: Any = data.counties
    if data.national is not None:
        from eduint.engine.columnar._values import Unsupported
        from eduint.engine.columnar.national import frame_of

        try:
            counties = frame_of(data.national, ruleset, complete=complete, as_of=as_of)
        except Unsupported as exc:
            raise JobError(
                f"error: {exc}: read the counties one by one (a workbook or folder of "
                "county files, without --summary)"
            ) from None
    try:
        return evaluate_many(ruleset, counties, as_of, progress=lambda d, n: advance(1))
    except Exception as exc:
        # the record engine's error class, imported only when something was raised (a
        # national run needs none of that engine: ~20 ms of imports)
        from eduint.engine.evaluator import EvaluationError

        if not isinstance(exc, EvaluationError):
            raise
        hint = " (a national table has no dates: give --as-of)" if data.national else ""
        raise JobError(f"error: {exc}{hint}") from None


def _notes(data: ManyData, job: Job, lang: reporting.Lang) -> None:
    """The data problems (counted, listed by code), the columns the rules read that a
    national table lacks, and the rule notes, on stderr."""
    from eduint.language.diagnostics import shorten

    problems = [p for ld in data.loads for p in ld.problems]
    if problems:
        click.echo(problems_text(problems, lang, None, reporting.LISTED_PER_CODE), err=True)
    if data.national is not None:
        for label in _absent_columns(data.rules.ruleset, data.national, lang):
            click.echo(reporting.say("note.column_absent", lang, label=label), err=True)
    if data.rules.warnings:
        click.echo(data.rules.warnings, err=True)
    if data.differ:
        click.echo(
            reporting.say(
                "note.rules_given", lang, rules=job.rules, named=shorten(data.named or "")
            ),
            err=True,
        )


def _absent_columns(ruleset: RuleSet, national: NationalData, lang: reporting.Lang) -> list[str]:
    """The labels of the school and school-segment figures the rule set reads that the
    national table has no column for (every such figure is missing: said once, not
    left to 缺少数据 verdicts alone); derived figures are left to their parts."""
    from eduint.checking.ruleset import FieldRef
    from eduint.checking.schema import ScopeKind

    seen: dict[str, str] = {}
    for node in ruleset.expressions():
        if not isinstance(node, FieldRef):
            continue
        f = node.field
        if (
            f.scope in (ScopeKind.SCHOOL, ScopeKind.SEGMENT)
            and f.kind == "quantity"
            and not f.derived
            and not f.extra
            and f.name not in national.fields
        ):
            seen.setdefault(f.name, (f.label_en if lang == "en" else f.label) or f.name)
    return sorted(seen.values())


def _show(result: ColumnarResult, out: Output, job: Job, bars: _Progress) -> None:
    """The summary as text or JSON (stdout or ``--output``), or the whole result as files."""
    from eduint.reporting import many, many_files

    lang = reporting.check_lang(out.lang)
    summary = many.summarize(result)
    if out.fmt in many_files.FILE_FORMATS:
        target: str | Path = out.output or Path(f"{job.data.stem}-result.{out.fmt}")
        if out.folder:
            if out.fmt not in ("csv", "parquet"):
                raise EduintError(
                    f"error: --output {out.output}: a folder takes csv or parquet level "
                    f"files; {out.fmt} is one file"
                )
            target = f"{target}{os.sep}"  # level_files: inside the folder
        total = sum(len(result.table(lv.value)) for lv in _levels(result))
        with bars.stage("writing", total) as advance:
            written = many_files.write_many(result, target, out.fmt, lang=lang, progress=advance)
        for path in written:
            click.echo(reporting.say("wrote", lang, path=path))
        heads, rows = many.totals_rows(summary, lang)
        click.echo(reporting.say("t.many_totals", lang, n=summary.counties))
        click.echo(reporting.table(rows, heads, width=terminal_width()))
        return
    if out.fmt == "json":
        text = json.dumps(many.summary_dict(summary, lang), ensure_ascii=False, indent=1) + "\n"
    elif out.fmt == "html":  # the tables and a histogram per 差异系数 rule (issue 21)
        from eduint.reporting.html import summary_html

        text = summary_html(result, lang=lang)
    else:
        fmt = "simple" if out.fmt == "table" else out.fmt
        text = many.summary_text(summary, lang, width=terminal_width(), fmt=fmt)
    if out.output is None:
        click.echo(text, nl=False)
        return
    out.output.write_bytes(text.encode("utf-8"))
    click.echo(reporting.say("wrote", lang, path=out.output))


def _levels(result: ColumnarResult) -> Sequence[Any]:
    from eduint.engine.columnar.tables import levels

    return levels(result)


def _one_county(result: ColumnarResult, data: ManyData, job: Job, out: Output) -> int:
    """``--county CODE``: that county's full report (the record engine's, built now),
    in the format asked."""
    from eduint import _cli_check
    from eduint.api import CountyResult, JobError

    codes = [str(c) if c is not None else "" for c in result.frame.codes]
    names = [str(n) for n in result.frame.names]
    wanted = job.county or ""
    matches = [i for i, c in enumerate(codes) if c == wanted] or [
        i for i, n in enumerate(names) if n == wanted
    ]
    if not matches:
        raise JobError(
            f"error: --county {wanted}: no county with that code or name in "
            f"{job.name} ({len(codes)} counties)"
        )
    i = matches[0]
    report = result.report(i)
    load = data.loads[i] if data.national is None and i < len(data.loads) else None
    provenance = reporting.Provenance.of(
        report,
        data_file=job.name,
        data_sha256=getattr(load, "sha256", None),
        rules_file=data.rules.source.shown if data.rules.source is not None else None,
        rules_sha256=data.rules.source.sha256 if data.rules.source is not None else None,
    )
    if out.fmt in ("jsonl", "parquet"):
        raise JobError("error: --county: one county's report is text, html, json, csv or xlsx")
    _cli_check._show(CountyResult(report, load, provenance), out, job.data.stem, "")
    return report.exit_code(strict=job.strict)


def check_summary_format(fmt: str) -> None:
    """``--summary`` with a format it does not write is a usage error.

    Raises:
        EduintError: the format is not one of :data:`SUMMARY_FORMATS`.
    """
    if fmt not in SUMMARY_FORMATS:
        raise EduintError(f"error: --summary writes {', '.join(SUMMARY_FORMATS)}, not {fmt}")
