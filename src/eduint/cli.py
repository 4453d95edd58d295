"""The ``eduint`` command-line interface.

Exit codes, shared by every command:

* 0: success.
* 1: the command ran and found something to report (``eduint fmt --check``: a file
  would be reformatted; ``eduint check``: some item's verdict is 未达到, or with
  ``--strict`` also 基本达到 or 缺少数据).
* 2: a user error: a rule file with a syntax error, a missing, unreadable or non-UTF-8
  file, or a bad command line. Diagnostics go to stderr; there is never a traceback.
* 3: an internal error, i.e. a bug in eduint. The traceback is printed so it can be
  reported.
"""

from __future__ import annotations

import datetime
import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

import eduint  # light: its public names are imported when first used
from eduint import _cli_check, reporting  # light: what decorators read, formats lazily
from eduint._cli_files import expand, read_rule_file
from eduint._cli_files import fail as _fail
from eduint._lazy import LazyModule
from eduint._resources import bundled_examples, resource_dir
from eduint.checking.resolver import RuleResolver, UnknownRuleSetError
from eduint.core import dates
from eduint.errors import EduintError, RuleDiagnosticsError
from eduint.language.diagnostics import Diagnostic, render_all, shorten

# Imported when a command first uses them: `eduint check` never loads the rule parser
# (lark), `eduint fmt` never the checker (docs/performance.md, "Start-up").
if TYPE_CHECKING:
    from eduint import _cli_many, api
    from eduint._cli_rules import verify_counterexample
    from eduint.checking import checker
    from eduint.data.limits import Limits
    from eduint.language import parser, printer
else:
    _cli_many = LazyModule("eduint._cli_many")
    api = LazyModule("eduint.api")
    checker = LazyModule("eduint.checking.checker")
    parser = LazyModule("eduint.language.parser")
    printer = LazyModule("eduint.language.printer")

    def verify_counterexample(*args: object) -> bool:
        """eduint._cli_rules.verify_counterexample, imported when first called."""
        from eduint._cli_rules import verify_counterexample as verify

        return verify(*args)


__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERNAL_ERROR",
    "EXIT_OK",
    "EXIT_USER_ERROR",
    "main",
    "parse_as_of",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 3

_EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  findings (fmt --check: some file would be reformatted;
     check: some verdict is 未达到, with --strict also 基本达到 or 缺少数据)
  2  user error: rule syntax error, missing/unreadable/non-UTF-8 file, bad usage
  3  internal error in eduint (a bug; a traceback is printed)
"""

# Errors caused by the user's input or environment: reported in one line, no traceback.
_USER_ERRORS = (EduintError, OSError, UnicodeDecodeError)


def _user_error_message(exc: BaseException) -> str:
    """Render a user error as the one message shown for it.

    Args:
        exc: An instance of one of the ``_USER_ERRORS`` classes.

    Returns:
        The text to print on stderr: eduint's own rendering for an ``EduintError`` (the
        diagnostics, with file, line and caret), otherwise ``error: <description>``.
    """
    if isinstance(exc, EduintError):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"error: text is not valid UTF-8: {exc}"
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        return f"error: {exc.filename}: {exc.strerror}"
    return f"error: {exc}"


# Commands defined in other modules, imported when named on the command line or listed
# (`eduint --help`): `eduint check` never imports the strictness prover (`rules`) or the
# authoring tools (`test`, `testgen`).  name -> (module, attribute).
_LAZY_COMMANDS = {
    "rules": ("eduint._cli_rules", "rules_command"),
    "test": ("eduint._cli_test", "test_command"),
    "testgen": ("eduint._cli_test", "testgen_command"),
    "synth": ("eduint._cli_synth", "synth_command"),
    "explain": ("eduint._cli_explain", "explain_command"),
    "gaps": ("eduint._cli_gaps", "gaps_command"),
    "template": ("eduint._cli_template", "template_command"),
    "sweep": ("eduint._cli_sweep", "sweep_command"),
    "diff": ("eduint._cli_diff", "diff_command"),
}


class _Group(click.Group):
    """A click group that turns every exception into a message and an exit code.

    ``EduintError``, ``OSError`` and ``UnicodeDecodeError`` are user errors: the message is
    printed on stderr and the exit code is 2. Any other exception is a bug in eduint: it is
    reported as an internal error with its traceback, and the exit code is 3. click's own
    exceptions (usage errors, ``--help``, explicit exits) pass through unchanged.

    The commands of :data:`_LAZY_COMMANDS` are imported the first time they are asked for.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, sorted (the lazy ones without importing them)."""
        return sorted({*self.commands, *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, importing its module if it is a lazy one."""
        if cmd_name not in self.commands and cmd_name in _LAZY_COMMANDS:
            module, attribute = _LAZY_COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module), attribute)
            command.epilog = _EXIT_CODES_HELP
            if cmd_name == "rules":  # eduint rules [show NAME]: defined in _cli_rules
                command.commands["show"].epilog = _EXIT_CODES_HELP
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the selected command, mapping exceptions to exit codes.

        Args:
            ctx: The click context for this invocation.

        Returns:
            Whatever the command returns.

        Raises:
            click.exceptions.Exit: With code 2 for a user error or 3 for an internal error.
        """
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except _USER_ERRORS as exc:
            click.echo(_user_error_message(exc), err=True)
            ctx.exit(EXIT_USER_ERROR)
        except Exception as exc:
            import traceback  # only for a bug

            click.echo(
                f"internal error in eduint (a bug): {type(exc).__name__}: {exc}\n"
                "Please report it with the traceback below.\n"
                + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
                err=True,
                nl=False,
            )
            ctx.exit(EXIT_INTERNAL_ERROR)


@click.group(
    cls=_Group,
    help="eduint: check China's compulsory-education supervision standards as code.\n\n"
    + _EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(eduint.__version__, "-V", "--version", prog_name="eduint")
def main() -> None:
    """The ``eduint`` command group (the console-script entry point)."""


@main.command(epilog=_EXIT_CODES_HELP)
@click.option(
    "--check",
    is_flag=True,
    help="Do not write anything; report the files that would be reformatted and exit 1 "
    "if there are any.",
)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def fmt(ctx: click.Context, check: bool, files: tuple[Path, ...]) -> None:
    """Rewrite rule files in eduint's canonical layout.

    FILES are rule files or directories (a directory means every *.rules file below it).
    With no FILES, --check checks the rule files bundled with eduint; rewriting needs
    FILES named explicitly, so that eduint never rewrites its own bundled files unasked.

    Each file is parsed and printed back canonically; a file whose text changes is
    rewritten ("reformatted PATH"). A file with a syntax error is reported and left alone,
    and the other files are still processed.
    """
    if not files and not check:
        click.echo(
            "error: name the rule files to rewrite (eduint fmt FILES...), "
            "or use --check to check the bundled ones",
            err=True,
        )
        ctx.exit(EXIT_USER_ERROR)
    paths, failures = expand(files)
    for message in failures:
        click.echo(message, err=True)
    errors = len(failures)
    changed = 0
    unchanged = 0
    for path in paths:
        text = read_rule_file(path)
        if text is None:
            errors += 1
            continue
        try:
            formatted = printer.unparse(parser.parse(text, file=str(path)))
        except EduintError as exc:
            click.echo(str(exc), err=True)
            errors += 1
            continue
        if formatted == text:
            unchanged += 1
            continue
        changed += 1
        if check:
            click.echo(f"would reformat {path}")
            continue
        try:
            path.write_bytes(formatted.encode("utf-8"))
        except OSError as exc:
            click.echo(f"error: {path}: cannot write: {exc.strerror or exc}", err=True)
            errors += 1
            continue
        click.echo(f"reformatted {path}")

    if check and changed:
        click.echo(f"{changed} file(s) would be reformatted, {unchanged} file(s) already formatted")
    elif changed:
        click.echo(f"{changed} file(s) reformatted, {unchanged} file(s) already formatted")
    else:
        click.echo(f"{unchanged} file(s) already formatted")
    if errors:
        click.echo(f"{errors} error(s)", err=True)
        ctx.exit(EXIT_USER_ERROR)
    if check and changed:
        ctx.exit(EXIT_FINDINGS)


@main.command(epilog=_EXIT_CODES_HELP)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--strictness",
    is_flag=True,
    help="Prove a child rule set at least as strict as its parent: give a FILE that "
    "extends a rule set, or PARENT CHILD (rule files, or bundled rule sets by name); "
    "prints the verdict of every change.",
)
@click.option(
    "--rule-root",
    "rule_roots",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help=_cli_check.RULE_ROOT_HELP,
)
@click.pass_context
def lint(
    ctx: click.Context, files: tuple[Path, ...], strictness: bool, rule_roots: tuple[Path, ...]
) -> None:
    """Parse and check rule files: names, units, scopes and structure.

    FILES are rule files or directories (a directory means every *.rules file below it).
    With no FILES, the rule files bundled with eduint are checked.

    Every problem of every file is printed as FILE:LINE:COL: error[CODE]: message, with
    the source line, a caret and a hint. Warnings (W...) are printed but do not fail.
    Exits 0 when every file checks, 2 otherwise.

    With --strictness FILE (a file that extends a rule set) or PARENT CHILD, every
    setting, value and rule the child changes is proved
    stricter, same, looser (with a counterexample verified by evaluating both rule sets
    on it, printed as a data file) or undecided (with the reason), per key and dated
    period (docs/strictness.md). Exits 1 when a change is looser, undecided or
    a change of method without a relaxation (relax … because), 0 when every change is at
    least as strict or relaxed.
    """
    resolver = _cli_check.resolver_for(rule_roots, *files)
    if strictness:
        _lint_strictness(ctx, files, resolver)
        return
    paths, failures = expand(files)
    for message in failures:
        click.echo(message, err=True)
    errors = len(failures)
    for path in paths:
        text = read_rule_file(path)
        if text is None:
            errors += 1
            continue
        try:
            ruleset = checker.check_text(
                text, file=str(path), verify=verify_counterexample, resolver=resolver
            )
        except EduintError as exc:
            click.echo(str(exc), err=True)
            errors += 1
            continue
        if ruleset.warnings:
            click.echo(
                render_all(
                    [w for w in ruleset.warnings if isinstance(w, Diagnostic)], {str(path): text}
                ),
                err=True,
            )
        rules = list(ruleset.rules())
        n_items = sum(1 for r in rules if r.kind == "item")
        n_parts = sum(1 for r in rules if r.kind == "part")
        n_rules = sum(1 for r in rules if r.kind == "rule")
        counts = ", ".join(
            f"{n} {word if n == 1 else word + 's'}"
            for n, word in ((n_items, "item"), (n_parts, "part"), (n_rules, "rule"))
            if n
        )
        click.echo(f"{path}: ok ({ruleset.id}: {counts or 'nothing to evaluate'})")
    if errors:
        click.echo(f"{errors} file(s) with errors", err=True)
        ctx.exit(EXIT_USER_ERROR)


def _lint_strictness(ctx: click.Context, files: tuple[Path, ...], resolver: RuleResolver) -> None:
    """``eduint lint --strictness FILE`` (a file that extends a rule set: its changes,
    relaxations marked) or ``PARENT CHILD`` (two rule sets with the same ids)."""
    from eduint._cli_rules import strictness_of

    if len(files) not in (1, 2):
        _fail(
            ctx,
            "error: lint --strictness takes a FILE that extends a rule set, or PARENT CHILD: "
            f"two rule files or bundled rule set names (got {len(files)})",
        )
    try:
        text, uncited = strictness_of(files, resolver)
    except UnknownRuleSetError as exc:
        _fail(ctx, _cli_check.unknown_rules_message(exc))
    except (EduintError, OSError, UnicodeDecodeError) as exc:
        if len(files) == 2:
            raise  # two whole rule sets: reported as every command reports them
        _fail(ctx, str(exc))
    click.echo(text, nl=False)
    if uncited:
        ctx.exit(EXIT_FINDINGS)


# ------------------------------------------------------------------ eduint check

_CHECK_EXIT_CODES_HELP = """\b
Exit codes:
  0  no item's verdict is 未达到 (not met)
  1  some item's verdict is 未达到; with --strict, also 基本达到 (basically
     met) or 缺少数据 (no data)
  2  the rules fail to check, a file cannot be read, or a usage error
  3  internal error in eduint (a bug; a traceback is printed)
"""


def parse_as_of(text: str) -> datetime.date:
    """Read the ``--as-of`` argument: a date or a school year.

    ``2018-12-31`` is that day. A school year, ``2018-2019``, ``2018/2019``,
    ``2018-2019学年`` or ``2018学年``, means 1 September of its first year
    (2018-09-01): the start of the school year, the date the national statistics
    count students and teachers at, and the date :func:`eduint.engine.evaluator.evaluate`
    takes for a data file that gives only its school year.  The syntax is the one data
    files use (:mod:`eduint.core.dates`).

    Args:
        text: The argument as typed (full-width digits are accepted).

    Returns:
        The date.

    Raises:
        ValueError: The text is neither a valid date nor a school year, or the two
            years of a school year are not consecutive.
    """
    return dates.parse_as_of(text)


def _example_name(path: Path) -> str:
    """How ``eduint examples`` names an example: a YAML/JSON file by its stem, a workbook
    or a folder of CSV files by its file name."""
    return path.stem if path.suffix.lower() in (".yaml", ".yml", ".json") else path.name


def _find_example(ctx: click.Context, name: str) -> Path:
    """The bundled example named ``name`` (its listed name, file name or stem; a stem
    shared by several forms means the YAML/JSON one); exit 2 if none."""
    examples = bundled_examples()
    for match in (
        lambda p: name in (_example_name(p), p.name),
        lambda p: name == p.stem,
    ):
        found = [p for p in examples if match(p)]
        if found:
            return found[0]
    known = ", ".join(_example_name(p) for p in examples) or "none are bundled"
    _fail(ctx, f"error: unknown example '{name}'; bundled examples: {known}")


@main.command(epilog=_CHECK_EXIT_CODES_HELP)
@click.argument("data", required=False, type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--rules",
    "rules_name",
    metavar="NAME|PATH",
    help="The rule set: a rule file, or a bundled rule set by file stem or ruleset id "
    "(see `eduint rules`). Needed unless the data file names its rules (`rules:`).",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE|SCHOOL-YEAR",
    callback=_cli_check.as_of_callback,
    help="Evaluate at this date (2018-12-31) or school year (2018-2019, 2018学年: "
    "1 September of its first year). Default: the date the data declares.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_cli_check.FORMATS + ("jsonl", "parquet")),
    default="table",
    show_default=True,
    help="table (= simple), simple, github, grid, plain: text tables; html: a page; "
    "json: the versioned report document; csv, xlsx: files (see --output); docx: a Word "
    "自查报告 draft (needs python-docx, eduint[docx]). With "
    "--summary: text formats, html and json print the summary; csv, jsonl, xlsx, parquet write "
    "the whole result (jsonl and parquet imply --summary).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of headers and verdicts.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(),
    help="Write the report to this file instead of stdout. csv, xlsx and docx always write "
    "a file: without --output, DATA-STEM-report.csv/.xlsx/.docx in the current directory. "
    "--summary's csv and parquet: a folder (an existing one, or ending in /) gets one "
    "file a level inside it.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 also when a verdict is 基本达到 (basically met) or 缺少数据 (no data).",
)
@click.option(
    "--example",
    "example",
    metavar="NAME",
    help="Check a bundled example data file instead of DATA (see `eduint examples`).",
)
@click.option(
    "--detail",
    is_flag=True,
    help="Text formats: also list the entities not met, the missing figures and the "
    "computation notes (schools left out and why, one-through schools split by segment, "
    "the largest shares of each 差异系数's variance).",
)
@click.option(
    "--wrap",
    type=click.IntRange(min=8),
    metavar="N",
    help="Text formats (not github): wrap table cells wider than N display cells "
    "(a CJK character is 2). Default: tables are fitted to the terminal's width "
    "(100 columns when the output is not a terminal).",
)
@click.option(
    "--problems-per-code",
    type=click.IntRange(min=0),
    default=reporting.LISTED_PER_CODE,
    show_default=True,
    metavar="N",
    help="Text and HTML reports (and the problem list on stderr): list at most N data "
    "problems of each code, then one row that counts the rest and gives their rows; "
    "0 lists every one. JSON, CSV and XLSX reports always list every one.",
)
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="FILE",
    help="Spreadsheet input: a YAML column mapping (header aliases, column units such "
    "as 万元 or 亩, extra fields); see docs/spreadsheets.md.",
)
@click.option(
    "--complete",
    is_flag=True,
    help="Declare every county's school list complete (the data lists every school), "
    "as a 学校名单完整 column or schools_complete: true would; without it, 差异系数 "
    "and sums over the schools are 缺少数据 unless the data declares it.",
)
@click.option(
    "--limit",
    "limit_options",
    multiple=True,
    metavar="NAME=N",
    help="Raise (or lower) a limit on the data read: file_size, expanded_size, "
    "compression_ratio, rows, columns, cells, values, schools, classes, text (docs/limits.md), "
    "e.g. --limit rows=2000000 or --limit file_size=1GiB. Repeatable.",
)
@click.option(
    "--figures",
    type=click.Choice(["per-segment", "whole-school"]),
    help="Spreadsheets with one row per school segment: read the physical figures "
    "(areas, equipment, rooms, books, computers) as each segment's own, or as the "
    "whole school's (split by the rule set). Default: decided from the sheet.",
)
@click.option(
    "--set",
    "set_args",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a setting or a named value for this run (repeatable): "
    "--set 室内体育用房扣除=false, --set 班额上限=40, --set 差异系数上限.初中=0.40 (one key). "
    "The report lists every override; one that loosens or changes method is flagged as "
    "an uncited relaxation.",
)
@click.option(
    "--rule-root",
    "rule_roots",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help=_cli_check.RULE_ROOT_HELP,
)
@click.option(
    "--engine",
    type=click.Choice(["record", "columnar", "auto"]),
    default="record",
    show_default=True,
    help="record: county by county; columnar: every county at once as arrays (needs "
    "numpy, eduint[columnar]); auto: columnar for more than one county or a few hundred "
    "schools. The reports are the same from both.",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Many counties: evaluate every county at once (the columnar engine, needs "
    "numpy) and print a per-county summary and totals instead of one report per county; "
    "with --format csv|jsonl|xlsx|parquet --output NAME, write the whole result. Implied "
    "for .parquet and .jsonl data.",
)
@click.option(
    "--county",
    "county_code",
    metavar="CODE",
    help="With --summary: show this county's full report (by 行政区划代码 or name) "
    "instead of the summary.",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bar on stderr (it is drawn only when stderr is a terminal).",
)
@click.pass_context
def check(
    ctx: click.Context,
    data: Path | None,
    rules_name: str | None,
    as_of: datetime.date | None,
    fmt: str,
    lang: str,
    output: str | None,
    strict: bool,
    example: str | None,
    detail: bool,
    wrap: int | None,
    problems_per_code: int,
    mapping_file: Path | None,
    complete: bool,
    figures: str | None,
    limit_options: tuple[str, ...],
    set_args: tuple[str, ...],
    rule_roots: tuple[Path, ...],
    engine: str,
    summary: bool,
    county_code: str | None,
    quiet: bool,
) -> None:
    """Evaluate a county's data file against a rule set and report every item.

    DATA is a county data file (.yaml, .yml or .json), or spreadsheets: an .xlsx
    workbook, a .csv file or a folder of them (docs/spreadsheets.md). A workbook of
    several counties (a 行政区划代码 column) gets one report per county, then a
    county × item summary; the exit code is the worst over the counties. For every item the report shows
    the county's own word (自评) beside what its figures support (核算), the verdict,
    the value and threshold, the source and flags (暂定 provisional, 自评与核算不一致,
    约数 approximate, 临界 borderline, 仅报告 report only). A rule that reports values
    for each school (segment) gets a table of them (学校指标); rules comparing a
    差异系数 get one row per county segment: the CV, its limit, the margin (差异系数).
    Then the section verdicts, the overall verdict, every data problem (a bad value is
    treated as missing and the run goes on) and the warnings.

    With --summary (implied for .parquet and .jsonl data): every county at once, a
    per-county summary and totals, or the whole result as files (docs/reports.md,
    "Many counties").
    """
    if data is not None and example is not None:
        raise click.UsageError("give either DATA or --example NAME, not both", ctx=ctx)
    if data is None and example is None:
        raise click.UsageError("give a data file (DATA) or --example NAME", ctx=ctx)
    data_path = data if data is not None else _find_example(ctx, example or "")
    data_name = str(data) if data is not None else data_path.name
    limits = _limits(ctx, limit_options)
    folder = output is not None and (output.endswith(("/", os.sep)) or Path(output).is_dir())
    out = _cli_check.Output(
        fmt, lang, Path(output) if output else None, detail, wrap, problems_per_code or None,
        folder,
    )
    if summary or _cli_many.implies_summary(data, fmt):
        _check_many(ctx, data_path, data_name, rules_name, as_of, set_args, mapping_file,
                    complete, figures, limits, rule_roots, strict, county_code, quiet, out)
    if county_code is not None:
        raise click.UsageError("--county needs --summary", ctx=ctx)
    if folder:
        raise click.BadParameter(
            f"{output} is a folder: one county's report is written to a file",
            ctx=ctx, param_hint="'--output'",
        )
    try:
        result = eduint.run(
            rules_name,
            data_path,
            as_of=as_of,
            overrides=set_args,
            mapping=mapping_file,
            name=data_name,
            complete=complete,
            figures=figures,
            resolver=_cli_check.resolver_for(
                rule_roots, Path(rules_name) if rules_name else None, data_path
            ),
            limits=limits,
            engine=engine,
        )
    except UnknownRuleSetError as exc:
        _fail(ctx, _cli_check.unknown_rules_message(exc))
    except RuleDiagnosticsError as exc:
        _fail(ctx, _cli_check.rules_error_message(exc))
    except EduintError as exc:
        if getattr(exc, "code", None) != "D005" or _cli_many.national_files(data_path) is None:
            raise
        # a national table read county by county hits the per-county limits: --summary
        # reads it in columns, under the national ones (docs/national.md)
        _fail(ctx, f"{_user_error_message(exc)}\nhint: a table of many counties is read "
                   "at once with --summary (docs/national.md)")
    if result.rule_warnings:
        click.echo(result.rule_warnings, err=True)
    if result.rules_differ:
        click.echo(
            reporting.say(
                "note.rules_given",
                reporting.check_lang(lang),
                rules=rules_name,
                named=shorten(result.rules_named_by_data or ""),
            ),
            err=True,
        )
    if result.columnar is not None and result.columnar.fallback:
        click.echo(
            reporting.say(
                "note.columnar_fallback",
                reporting.check_lang(lang),
                rules=", ".join(result.columnar.fallback),
            ),
            err=True,
        )
    ctx.exit(_cli_check.show_run(result, out, data_stem=data_path.stem, strict=strict))


def _check_many(ctx: click.Context, data: Path, name: str, rules_name: str | None,
                as_of: datetime.date | None, set_args: tuple[str, ...], mapping: Path | None,
                complete: bool, figures: str | None, limits: Limits | None,
                rule_roots: tuple[Path, ...], strict: bool, county: str | None, quiet: bool,
                out: _cli_check.Output) -> NoReturn:
    """``eduint check --summary`` (:mod:`eduint._cli_many`); exits with its code."""
    if out.fmt not in _cli_many.SUMMARY_FORMATS and county is None:
        raise click.UsageError(f"--summary does not write --format {out.fmt}", ctx=ctx)
    job = _cli_many.Job(
        data, name, rules_name, as_of, set_args, mapping, complete, figures, limits,
        _cli_check.resolver_for(rule_roots, Path(rules_name) if rules_name else None, data),
        strict, county, quiet,
    )
    try:
        code = _cli_many.run_summary(job, out)
    except UnknownRuleSetError as exc:
        _fail(ctx, _cli_check.unknown_rules_message(exc))
    except RuleDiagnosticsError as exc:
        _fail(ctx, _cli_check.rules_error_message(exc))
    ctx.exit(code)


def _limits(ctx: click.Context, options: tuple[str, ...]) -> Limits | None:
    """The limits of ``--limit NAME=N`` options, ``None`` without any.

    Raises:
        click.BadParameter: an option names no limit or gives no positive number.
    """
    if not options:
        return None
    from eduint.data.limits import parse_limits  # only when asked: fmt and lint never need it

    try:
        return parse_limits(options)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param_hint="'--limit'") from None


@main.command(name="examples", epilog=_EXIT_CODES_HELP)
def examples_command() -> None:
    """List the bundled example data, in every form (YAML, XLSX, a folder of CSV files).

    Run one with `eduint check --example NAME` (NAME as listed: a YAML file's stem,
    a workbook's or folder's name, e.g. synthetic-county-2019.xlsx).
    """
    examples = bundled_examples()
    if not examples:
        click.echo("no bundled examples")
        return
    root = resource_dir("examples")
    rows = [[_example_name(p), _example_form(p), p.relative_to(root).as_posix()] for p in examples]
    click.echo(reporting.table(rows, ["name", "form", "file"]))


def _example_form(path: Path) -> str:
    """YAML, JSON, XLSX or CSV folder."""
    return "CSV folder" if path.is_dir() else path.suffix.lstrip(".").upper().replace("YML", "YAML")


if __name__ == "__main__":  # python -m eduint.cli
    main(prog_name="eduint")
