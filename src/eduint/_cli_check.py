"""How ``eduint check`` shows a run: format dispatch, files, the county summary, messages.

The job itself (rule sets, data, evaluation, overrides, provenance) is
:func:`eduint.run`; this module prints and writes what it returns, exactly as the
command always has: text formats to stdout (or ``--output``), CSV and XLSX to files,
data problems and warnings to stderr, and for several counties a heading before each
report and a county × item summary at the end.
"""

from __future__ import annotations

import datetime
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import click

from eduint import reporting  # light: its formats are imported when first used
from eduint.checking.resolver import RuleResolver, UnknownRuleSetError, default_resolver
from eduint.errors import RuleDiagnosticsError
from eduint.language.diagnostics import shorten

if TYPE_CHECKING:  # annotations only: the job and its results are imported by the run
    from eduint.api import CountyResult, RunResult
    from eduint.checking.ruleset import RuleSet
    from eduint.engine.results import Report

__all__ = [
    "FILE_FORMATS",
    "FORMATS",
    "Output",
    "file_name_part",
    "rules_error_message",
    "show_run",
    "terminal_width",
    "unknown_rules_message",
]

FORMATS = ("table", "simple", "github", "grid", "plain", "html", "json", "csv", "xlsx", "docx")
"""The values of ``--format``."""

FILE_FORMATS = ("csv", "xlsx", "docx")
"""The formats that always write files."""


@attrs.frozen
class Output:
    """How to show the reports (the ``check`` command's output options).

    Attributes:
        fmt: one of :data:`FORMATS`.
        lang: ``"zh"`` or ``"en"``.
        output: the file to write, or ``None`` for stdout (CSV/XLSX: a default name).
        detail: text formats: add the detail and computation notes.
        wrap: text formats: wrap cells wider than this many display cells (instead of
            fitting the tables to the terminal).
        per_code: text and HTML: list at most this many data problems of each code
            (``None``: every one).
        folder: ``output`` names a folder (it exists, or was written ending in ``/``):
            many counties' level files go inside it (``--summary``).
    """

    fmt: str
    lang: str
    output: Path | None = None
    detail: bool = False
    wrap: int | None = None
    per_code: int | None = reporting.LISTED_PER_CODE
    folder: bool = False


RULE_ROOT_HELP = (
    'A directory rule files may read (extends "../national/x.rules"), besides the '
    "directory of each rule file given; repeatable. Default: each rule file reads only "
    "below its own directory (and the bundled rule sets)."
)


# Options several commands share (check's own are spelled out on the command).
#: ``--mapping FILE``: spreadsheet input's column mapping.
MAPPING_OPTION = click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="FILE",
    help="Spreadsheet input: a YAML column mapping (docs/spreadsheets.md).",
)
#: ``--complete``: every county's school list declared complete.
COMPLETE_OPTION = click.option(
    "--complete",
    is_flag=True,
    help="Declare every county's school list complete (as `eduint check --complete`).",
)
#: ``--rule-root DIR`` (repeatable).
RULE_ROOT_OPTION = click.option(
    "--rule-root",
    "rule_roots",
    multiple=True,
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help=RULE_ROOT_HELP,
)


_F = TypeVar("_F", bound=Callable[..., Any])


def as_of_callback(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> datetime.date | None:
    """click callback of every command's ``--as-of``: a date (``2018-12-31``) or a school
    year (``2018-2019``, ``2018学年``: 1 September of its first year), as data files write
    them (:func:`eduint.core.dates.parse_as_of`); ``None`` when not given.

    Raises:
        click.BadParameter: neither a date nor a school year (a usage error, exit 2).
    """
    if value is None:
        return None
    from eduint.core.dates import parse_as_of

    try:
        return parse_as_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def lang_option(what: str) -> Callable[[_F], _F]:
    """``--lang zh|en`` (default zh), helped as "Language of WHAT."."""
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default="zh",
        show_default=True,
        help=f"Language of {what}.",
    )


def resolver_for(rule_roots: Sequence[Path], *files: Path | None) -> RuleResolver:
    """The resolver of a command given ``--rule-root`` directories: they, and the
    directory of every existing file among ``files`` (the rule and data files named on
    the command line), are the rule roots.  Without ``--rule-root``: the default (each
    file reads below its own directory)."""
    if not rule_roots:
        return default_resolver()
    dirs = [f.parent for f in files if f is not None and f.is_file()]
    dirs += [f for f in files if f is not None and f.is_dir()]
    return default_resolver(tuple(dict.fromkeys([*rule_roots, *dirs])))


def terminal_width() -> int:
    """The width text tables are fitted to: ``COLUMNS`` when set, else the terminal's
    when standard output is one, else 100 columns (so that piped and redirected output
    is the same everywhere)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        import shutil  # a terminal's width only (shutil imports the archivers: ~2 ms)

        return shutil.get_terminal_size(fallback=(100, 24)).columns
    return 100


def show_run(result: RunResult, out: Output, *, data_stem: str, strict: bool) -> int:
    """Show every county of a run; return the exit code.

    With several counties, a heading goes before each text report on stdout and a
    county × item summary after the last; the exit code is the worst over the counties.
    """
    if len(result.counties) == 1:
        _show(result.counties[0], out, data_stem, "", result.ruleset)
        return result.exit_code(strict=strict)
    used: set[str] = set()
    for n, one in enumerate(result.counties, start=1):
        code = one.report.county_code or str(n)
        if out.fmt not in FILE_FORMATS and out.output is None:
            click.echo(
                reporting.say(
                    "county_heading",
                    _lang(out),
                    county=shorten(one.report.county),
                    code=shorten(code),
                )
            )
        _show(one, out, data_stem, f"-{file_name_part(code, n, used)}", result.ruleset)
    click.echo(counties_summary(result.reports, out.lang))
    return result.exit_code(strict=strict)


# What a file name built from data may hold: letters and digits of any script (county
# names are Chinese), "-" and "_"; anything else (a dot or a slash too) becomes "_".
_UNSAFE = re.compile(r"[^\w-]")
_MAX_NAME_PART = 60
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{d}{i}" for d in ("COM", "LPT") for i in range(1, 10)}
)


def file_name_part(text: str, n: int, used: set[str]) -> str:
    """A county's code (or name) as part of a report's file name, safe by construction.

    Data comes from outside: a code ``/../../x``, one with a NUL byte or one of a
    million characters must neither leave the output folder nor crash.  Only letters,
    digits (of any script), ``-`` and ``_`` are kept, other characters become ``_``
    (leading and trailing ones dropped), the result is at most 60 characters, and a
    result that is empty, a name Windows reserves, or already used by an earlier county
    of the run gets the county's position appended (``-2``), so no county overwrites
    another's report.

    Args:
        text: the county code (or name) from the data.
        n: the county's position in the data, from 1.
        used: the parts given so far in this run (updated).

    Returns:
        The part, e.g. ``330101``, or ``x`` for ``/../../x``.
    """
    part = _UNSAFE.sub("_", text[: _MAX_NAME_PART * 4])[:_MAX_NAME_PART].strip("_ ")
    reserved = part.upper() in _WINDOWS_RESERVED
    if not part or reserved or part.casefold() in used:
        part = f"{part}-{n}" if part else str(n)
    used.add(part.casefold())
    return part


def _show(
    one: CountyResult, out: Output, data_stem: str, suffix: str, ruleset: RuleSet | None = None
) -> None:
    """Show one county's report in the chosen format (``ruleset``: the run's, for the
    gap list of a Word report)."""
    if out.fmt in FILE_FORMATS:
        target = (
            _suffixed(out.output, suffix)
            if out.output is not None
            else Path(f"{data_stem}{suffix}-report.{out.fmt}")
        )
        if out.fmt == "docx":
            _write_docx(one, out, target, ruleset)
        else:
            _write_files(one, out, target)
        return
    report = one.report
    if out.fmt == "json":  # streamed: a big county's JSON is never whole in memory
        if out.output is None:
            with _Echo() as sink:
                _write_json(one, out, sink)
            return
        path = _suffixed(out.output, suffix)
        with path.open("w", encoding="utf-8", newline="\n") as fp:
            _write_json(one, out, fp)
        click.echo(reporting.say("wrote", _lang(out), path=path))
        click.echo(reporting.overall_line(report, lang=out.lang))
        return
    text = _render_text(one, out)
    if out.output is not None:
        _write_text(_suffixed(out.output, suffix), text)
        click.echo(reporting.say("wrote", _lang(out), path=_suffixed(out.output, suffix)))
        click.echo(reporting.overall_line(report, lang=out.lang))
    else:
        click.echo(text, nl=False)


def _lang(out: Output) -> reporting.Lang:
    return reporting.check_lang(out.lang)


def _write_files(one: CountyResult, out: Output, target: Path) -> None:
    """CSV or XLSX: write the file(s), say so, and put the problems on stderr."""
    report, problems, lang = one.report, one.problems, _lang(out)
    if out.fmt == "csv":
        written = reporting.write_csv(
            report,
            target,
            lang=lang,
            provenance=one.provenance,
            problems=problems,
            load=one.load,
        )
        if problems or _counted(one.load):
            click.echo(problems_text(problems, lang, one.load, out.per_code), err=True)
        for w in report.warnings:
            click.echo(
                reporting.say("warning_line", lang, text=reporting.reason_text(w, lang)), err=True
            )
    else:
        written = (
            reporting.write_xlsx(
                report,
                target,
                lang=lang,
                provenance=one.provenance,
                problems=problems,
                load=one.load,
            ),
        )
        if problems:
            sheet = reporting.say("t.problems", lang)
            click.echo(
                reporting.say("problems_in_sheet", lang, n=len(problems), sheet=sheet), err=True
            )
    for path in written:
        click.echo(reporting.say("wrote", lang, path=path))
    click.echo(reporting.overall_line(report, lang=lang))


def _write_docx(one: CountyResult, out: Output, target: Path, ruleset: RuleSet | None) -> None:
    """The Word 自查报告 draft (:mod:`eduint.reporting.wordfmt`), with the county's gap
    list from the record engine; say so, and put the problems on stderr."""
    from eduint.engine.gaps import gaps
    from eduint.reporting.wordfmt import write_docx

    report, lang = one.report, _lang(out)
    gap_list = None
    if ruleset is not None and one.load is not None:
        gap_list = gaps(ruleset, one.load.county, as_of=report.as_of, report=report)
    written = write_docx(
        report,
        target,
        lang=lang,
        provenance=one.provenance,
        problems=one.problems,
        load=one.load,
        gaps=gap_list,
        problems_per_code=out.per_code,
    )
    if one.problems or _counted(one.load):
        click.echo(problems_text(one.problems, lang, one.load, out.per_code), err=True)
    click.echo(reporting.say("wrote", lang, path=written))
    click.echo(reporting.overall_line(report, lang=lang))


def _counted(loaded: Any) -> bool:
    return any(
        getattr(loaded, k, None) is not None for k in ("rows_read", "rows_used", "rows_rejected")
    )


class _Echo:
    """A text sink for stdout that passes ``click.echo`` about 1 MB at a time."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= 1 << 20:
            self.flush()

    def flush(self) -> None:
        click.echo("".join(self.parts), nl=False)
        self.parts, self.size = [], 0

    def __enter__(self) -> _Echo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()


def _write_json(one: CountyResult, out: Output, fp: Any) -> None:
    """The report as JSON (:func:`eduint.reporting.write_json`) to a text stream."""
    reporting.write_json(
        one.report,
        fp,
        provenance=one.provenance,
        problems=one.problems,
        load=one.load,
        lang=_lang(out),
    )


def _render_text(one: CountyResult, out: Output) -> str:
    """The report as HTML or a text format."""
    report, problems, lang, load = one.report, one.problems, _lang(out), one.load
    if out.fmt == "html":
        return reporting.html_report(
            report,
            lang=lang,
            problems=problems,
            provenance=one.provenance,
            load=load,
            problems_per_code=out.per_code,
        )
    return reporting.text_report(
        report,
        lang=lang,
        fmt="simple" if out.fmt == "table" else out.fmt,
        problems=problems,
        load=load,
        detail=out.detail,
        width=None if out.wrap is not None else terminal_width(),
        wrap=out.wrap,
        problems_per_code=out.per_code,
    )


def _suffixed(path: Path, suffix: str) -> Path:
    """``report.xlsx`` with ``-330101`` → ``report-330101.xlsx`` (one file per county)."""
    return path.with_name(f"{path.stem}{suffix}{path.suffix}") if suffix else path


def _write_text(path: Path, text: str) -> None:
    """Write a report file as UTF-8 (``\\n`` line ends)."""
    path.write_bytes(text.encode("utf-8"))


def counties_summary(reports: Sequence[Report], lang: str) -> str:
    """The county × item table of headlines, for a workbook of several counties."""
    lg = reporting.check_lang(lang)
    items: list[str] = []
    for r in reports:
        items += [i for i in r.headlines() if i not in items]
    rows = []
    for r in reports:
        heads = r.headlines()
        shown = [
            "" if (o := heads.get(i)) is None else reporting.outcome_word(o, lg) for i in items
        ]
        overall = "" if r.overall is None else reporting.outcome_word(r.overall, lg)
        rows.append([r.county, r.county_code or "", overall, *shown])
    head = [reporting.say(k, lg) for k in ("p.county", "h.code", "p.overall")] + items
    return (
        reporting.say("t.counties", lg) + "\n" + reporting.table(rows, head, width=terminal_width())
    )


def problems_text(
    problems: Sequence[Any],
    lang: str,
    loaded: Any = None,
    per_code: int | None = reporting.LISTED_PER_CODE,
) -> str:
    """The data problems (and the rows read, used and rejected) as a heading and a
    table, for stderr: at most ``per_code`` of each code listed (``None``: every one)."""
    from eduint.reporting._tables import problems_section
    from eduint.reporting.text import section_text

    lg = reporting.check_lang(lang)
    load = loaded if loaded is not None and _counted(loaded) else None
    section = problems_section(problems, load, per_code)
    return "\n".join(section_text(section, lg, width=terminal_width()))


def unknown_rules_message(exc: UnknownRuleSetError) -> str:
    """What ``eduint check --rules NAME`` shows for a name nothing has."""
    hint = f" (did you mean '{exc.suggestion}'?)" if exc.suggestion else ""
    return (
        f"error: --rules {exc.name}: no such rule file or bundled rule set{hint}; "
        f"bundled rule sets: {exc.bundled}"
    )


def rules_error_message(exc: RuleDiagnosticsError) -> str:
    """What ``eduint check`` shows for rules or an override that do not check: the
    diagnostics, then one line naming the rule file (or ``--set``)."""
    file = next(iter(exc.sources), None) or next(
        (d.span.file for d in exc.diagnostics if d.span is not None), "rules"
    )
    if file == "--set":
        return f"{exc}\nerror: --set: the override does not check; nothing was evaluated"
    return f"{exc}\nerror: {file}: the rules do not check; nothing was evaluated"
