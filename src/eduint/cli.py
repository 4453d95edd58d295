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
import hashlib
import re
import traceback
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

import eduint
from eduint import reporting
from eduint._resources import bundled_examples, bundled_rule_files, resource_dir
from eduint.checking import cached, checker
from eduint.core import dates
from eduint.errors import EduintError
from eduint.language import parser, printer
from eduint.language.diagnostics import Diagnostic, render_all

if TYPE_CHECKING:
    from eduint.checking.ruleset import RuleSet
    from eduint.data.loading import LoadResult
    from eduint.data.spreadsheets import TableMapping
    from eduint.engine.results import Report

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INTERNAL_ERROR",
    "EXIT_OK",
    "EXIT_USER_ERROR",
    "main",
    "parse_as_of",
    "resolve_rules",
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


class _Group(click.Group):
    """A click group that turns every exception into a message and an exit code.

    ``EduintError``, ``OSError`` and ``UnicodeDecodeError`` are user errors: the message is
    printed on stderr and the exit code is 2. Any other exception is a bug in eduint: it is
    reported as an internal error with its traceback, and the exit code is 3. click's own
    exceptions (usage errors, ``--help``, explicit exits) pass through unchanged.
    """

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


def _expand(arguments: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """Turn command-line path arguments into the rule files they name.

    Args:
        arguments: Paths given on the command line. A directory stands for every
            ``*.rules`` file below it, at any depth, in sorted order; anything else is
            taken as a file. With no arguments, the bundled rule files are used.

    Returns:
        A pair ``(files, errors)``: the files to process, in order and without duplicates,
        and one message for each argument that names nothing usable.

    Raises:
        eduint._resources.ResourceNotFoundError: With no arguments, if the bundled rules
            directory is missing.
    """
    if not arguments:
        return bundled_rule_files(), []
    files: list[Path] = []
    errors: list[str] = []
    for argument in arguments:
        if argument.is_dir():
            found = sorted(p for p in argument.rglob("*.rules") if p.is_file())
            if not found:
                errors.append(f"error: {argument}: directory contains no *.rules files")
            files.extend(found)
        elif argument.exists():
            files.append(argument)
        else:
            errors.append(f"error: {argument}: no such file or directory")
    return _unique(files), errors


def _unique(paths: Iterable[Path]) -> list[Path]:
    """Drop repeated paths, keeping the first occurrence of each.

    Args:
        paths: Paths, possibly naming the same file more than once.

    Returns:
        The paths in their original order, each file once (compared after resolving).
    """
    seen: set[Path] = set()
    unique: list[Path] = []
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _read_text(path: Path) -> str:
    """Read a rule file as UTF-8, exactly as stored (line endings kept).

    Args:
        path: The file to read.

    Returns:
        The decoded text.

    Raises:
        OSError: If the file cannot be read.
        UnicodeDecodeError: If the bytes are not valid UTF-8.
    """
    return path.read_bytes().decode("utf-8")


def _read_rule_file(path: Path) -> str | None:
    """Read a rule file, or print why it cannot be read and return ``None``."""
    try:
        return _read_text(path)
    except UnicodeDecodeError as exc:
        click.echo(
            f"error: {path}: not valid UTF-8 text "
            f"(byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
            "save the file as UTF-8",
            err=True,
        )
    except OSError as exc:
        click.echo(f"error: {path}: cannot read: {exc.strerror or exc}", err=True)
    return None


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
    paths, failures = _expand(files)
    for message in failures:
        click.echo(message, err=True)
    errors = len(failures)
    changed = 0
    unchanged = 0
    for path in paths:
        text = _read_rule_file(path)
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
@click.pass_context
def lint(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Parse and check rule files: names, units, scopes and structure.

    FILES are rule files or directories (a directory means every *.rules file below it).
    With no FILES, the rule files bundled with eduint are checked.

    Every problem of every file is printed as FILE:LINE:COL: error[CODE]: message, with
    the source line, a caret and a hint. Warnings (W...) are printed but do not fail.
    Exits 0 when every file checks, 2 otherwise.
    """
    paths, failures = _expand(files)
    for message in failures:
        click.echo(message, err=True)
    errors = len(failures)
    for path in paths:
        text = _read_rule_file(path)
        if text is None:
            errors += 1
            continue
        try:
            ruleset = checker.check_text(text, file=str(path))
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


# ------------------------------------------------------------------ eduint check

_CHECK_EXIT_CODES_HELP = """\b
Exit codes:
  0  no item's verdict is 未达到 (not met)
  1  some item's verdict is 未达到; with --strict, also 基本达到 (basically
     met) or 缺少数据 (no data)
  2  the rules fail to check, a file cannot be read, or a usage error
  3  internal error in eduint (a bug; a traceback is printed)
"""

_FORMATS = ("table", "simple", "github", "grid", "plain", "html", "json", "csv", "xlsx")
_FILE_FORMATS = ("csv", "xlsx")
#: Data files read as spreadsheets (:mod:`eduint.data.spreadsheets`); a folder is too.
_TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv")
_RULESET_ID = re.compile(r"^[ \t]*ruleset[ \t]+([^\s{\"]+)", re.MULTILINE)


def _fail(ctx: click.Context, message: str) -> NoReturn:
    """Print a user error on stderr and exit with status 2.

    Args:
        ctx: The click context.
        message: The message, starting with ``error:``.
    """
    click.echo(message, err=True)
    ctx.exit(EXIT_USER_ERROR)


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


def _as_of_option(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> datetime.date | None:
    """click callback for ``--as-of``: parse the value or raise a usage error."""
    if value is None:
        return None
    try:
        return parse_as_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


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


def _bundled_names() -> str:
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


def _load_ruleset(ctx: click.Context, path: Path) -> tuple[RuleSet, str]:
    """Read and check a rule file, exiting with status 2 if it does not check.

    Args:
        ctx: The click context.
        path: The rule file.

    Returns:
        The checked rule set and the hex SHA-256 of the file's bytes.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        _fail(ctx, f"error: {path}: cannot read the rule file: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail(
            ctx,
            f"error: {path}: not valid UTF-8 text (byte {exc.object[exc.start]:#04x} at "
            f"offset {exc.start}); save the file as UTF-8",
        )
    try:
        ruleset = cached.check_rule_text(text, file=str(path), path=path)
    except EduintError as exc:
        _fail(ctx, f"{exc}\nerror: {path}: the rules do not check; nothing was evaluated")
    if ruleset.warnings:
        warnings = [w for w in ruleset.warnings if isinstance(w, Diagnostic)]
        if warnings:
            click.echo(render_all(warnings, {str(path): text}), err=True)
    return ruleset, hashlib.sha256(raw).hexdigest()


def _load_data(path: Path, extra_fields: Mapping[str, Mapping[str, str]] | None) -> LoadResult:
    """Load a county data file (the seam the CLI tests replace).

    Args:
        path: The data file (``.yaml``, ``.yml`` or ``.json``).
        extra_fields: The rule set's extra fields (:meth:`RuleSet.extra_field_kinds`).

    Returns:
        What :func:`eduint.data.loading.load_county` returns.

    Raises:
        eduint.data.errors.DataFileError: The file cannot be read or parsed.
    """
    from eduint.data import loading  # imported here so fmt and lint never depend on it

    return loading.load_county(path, extra_fields=extra_fields or None)


def _load_tables(
    path: Path,
    extra_fields: Mapping[str, Mapping[str, str]] | None,
    mapping: TableMapping | None,
) -> list[LoadResult]:
    """Read a workbook, CSV file or folder: one load result per county.

    Raises:
        eduint.data.errors.DataFileError: A file cannot be read or decoded.
    """
    from eduint.data import spreadsheets

    return spreadsheets.read_tables(path, mapping=mapping, extra_fields=extra_fields or None)


def _read_mapping(ctx: click.Context, path: Path | None) -> TableMapping | None:
    """The column mapping of ``--mapping FILE``, or ``None``; exit 2 if it is bad."""
    if path is None:
        return None
    from eduint.data import spreadsheets

    try:
        return spreadsheets.load_mapping(path)
    except EduintError as exc:
        _fail(ctx, f"error: {exc}")


def _suffixed(path: Path, suffix: str) -> Path:
    """``report.xlsx`` with ``-330101`` → ``report-330101.xlsx`` (one file per county)."""
    return path.with_name(f"{path.stem}{suffix}{path.suffix}") if suffix else path


def _counties_summary(reports: Sequence[Report], lang: str) -> str:
    """The county × item table of headlines, for a workbook of several counties."""
    items: list[str] = []
    for r in reports:
        items += [i for i in r.headlines() if i not in items]
    rows = []
    for r in reports:
        heads = r.headlines()
        shown = [
            "" if (o := heads.get(i)) is None else (o.value if lang == "zh" else o.english)
            for i in items
        ]
        overall = (
            "" if r.overall is None else (r.overall.value if lang == "zh" else r.overall.english)
        )
        rows.append([r.county, r.county_code or "", overall, *shown])
    head = (
        ["县区", "代码", "总体", *items] if lang == "zh" else ["county", "code", "overall", *items]
    )
    title = "各县区汇总" if lang == "zh" else "Summary by county"
    return f"{title}\n" + reporting.table(rows, head)


def _data_summary(result: Any, lang: str) -> str | None:
    """A line with the rows read, used and rejected, when the load result counts them."""
    counts = {k: getattr(result, k, None) for k in ("rows_read", "rows_used", "rows_rejected")}
    if all(v is None for v in counts.values()):
        return None
    labels = (
        {"rows_read": "读取", "rows_used": "采用", "rows_rejected": "拒绝"}
        if lang == "zh"
        else {"rows_read": "read", "rows_used": "used", "rows_rejected": "rejected"}
    )
    if lang == "zh":
        shown = [f"{labels[k]} {v} 行" for k, v in counts.items() if v is not None]
        return "，".join(shown)
    return ", ".join(f"rows {labels[k]}: {v}" for k, v in counts.items() if v is not None)


def _find_example(ctx: click.Context, name: str) -> Path:
    """The bundled example whose file stem (or file name) is ``name``; exit 2 if none."""
    examples = bundled_examples()
    for path in examples:
        if name in (path.stem, path.name):
            return path
    known = ", ".join(p.stem for p in examples) or "none are bundled"
    _fail(ctx, f"error: unknown example '{name}'; bundled examples: {known}")


def _shown_rules_path(path: Path) -> str:
    """How a rule file is named in the provenance: a bundled file by its path under the
    rules directory (``bundled:chengxiang-yitihua-2018.rules``), any other as given."""
    try:
        rel = path.resolve().relative_to(resource_dir("rules").resolve())
    except (ValueError, OSError):
        return str(path)
    return f"bundled:{rel.as_posix()}"


def _write_text(path: Path, text: str) -> None:
    """Write a report file as UTF-8 (``\\n`` line ends)."""
    path.write_bytes(text.encode("utf-8"))


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
    callback=_as_of_option,
    help="Evaluate at this date (2018-12-31) or school year (2018-2019, 2018学年: "
    "1 September of its first year). Default: the date the data declares.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="table",
    show_default=True,
    help="table (= simple), simple, github, grid, plain: text tables; html: a page; "
    "json: the versioned report document; csv, xlsx: files (see --output).",
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
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of stdout. csv and xlsx always write a "
    "file: without --output, DATA-STEM-report.csv/.xlsx in the current directory.",
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
    "(a CJK character is 2). Default: no wrapping.",
)
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="FILE",
    help="Spreadsheet input: a YAML column mapping (header aliases, column units such "
    "as 万元 or 亩, extra fields); see docs/spreadsheets.md.",
)
@click.pass_context
def check(
    ctx: click.Context,
    data: Path | None,
    rules_name: str | None,
    as_of: datetime.date | None,
    fmt: str,
    lang: str,
    output: Path | None,
    strict: bool,
    example: str | None,
    detail: bool,
    wrap: int | None,
    mapping_file: Path | None,
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
    """
    from eduint.engine.evaluator import EvaluationError, evaluate

    if data is not None and example is not None:
        raise click.UsageError("give either DATA or --example NAME, not both", ctx=ctx)
    if data is None and example is None:
        raise click.UsageError("give a data file (DATA) or --example NAME", ctx=ctx)
    data_path = data if data is not None else _find_example(ctx, example or "")
    data_name = str(data) if data is not None else data_path.name

    ruleset: RuleSet | None = None
    rules_path: Path | None = None
    rules_sha: str | None = None
    if rules_name is not None:
        rules_path = resolve_rules(rules_name)
        if rules_path is None:
            _fail(
                ctx,
                f"error: --rules {rules_name}: no such rule file or bundled rule set; "
                f"bundled rule sets: {_bundled_names()}",
            )
        ruleset, rules_sha = _load_ruleset(ctx, rules_path)

    tables = data_path.is_dir() or data_path.suffix.lower() in _TABLE_SUFFIXES
    table_mapping = _read_mapping(ctx, mapping_file)

    def load(extra_fields: Mapping[str, Mapping[str, str]] | None) -> list[LoadResult]:
        if tables:
            return _load_tables(data_path, extra_fields, table_mapping)
        return [_load_data(data_path, extra_fields)]

    extra = ruleset.extra_field_kinds() if ruleset is not None else None
    loads = load(extra)
    loaded = loads[0]
    if loaded.rules is not None:
        named = resolve_rules(loaded.rules, base=data_path.parent)
        if ruleset is None:
            if named is None:
                _fail(
                    ctx,
                    f"error: {data_name}: names the rule set '{loaded.rules}', which is neither "
                    f"a rule file nor a bundled rule set; bundled rule sets: {_bundled_names()}",
                )
            rules_path = named
            ruleset, rules_sha = _load_ruleset(ctx, rules_path)
            if ruleset.extra_field_kinds():  # read the file again, now knowing its extra fields
                loads = load(ruleset.extra_field_kinds())
                loaded = loads[0]
        elif rules_path is not None and (named is None or named.resolve() != rules_path.resolve()):
            click.echo(
                f"note: --rules {rules_name} is used; the data file names '{loaded.rules}'",
                err=True,
            )
    if ruleset is None or rules_path is None:
        _fail(
            ctx,
            f"error: {data_name}: no rule set: the data file names none (no `rules:`); "
            f"pass --rules NAME|PATH. Bundled rule sets: {_bundled_names()}",
        )

    def run_one(loaded: LoadResult, suffix: str) -> Report:
        """Evaluate one county and write or print its report."""
        assert ruleset is not None and rules_path is not None
        try:
            report = evaluate(ruleset, loaded.county, as_of=as_of)
        except EvaluationError as exc:
            _fail(ctx, f"error: {data_name}: {exc}")
        problems = loaded.problems
        provenance = reporting.Provenance.of(
            report,
            data_file=data_name,
            data_sha256=loaded.sha256,
            rules_file=_shown_rules_path(rules_path),
            rules_sha256=rules_sha,
        )
        summary = _data_summary(loaded, lang)

        if fmt in _FILE_FORMATS:
            target = (
                _suffixed(output, suffix)
                if output is not None
                else Path(f"{data_path.stem}{suffix}-report.{fmt}")
            )
            if fmt == "csv":
                written = reporting.write_csv(report, target, lang=lang, provenance=provenance)
                if problems or summary:
                    click.echo(_problems_text(problems, lang, summary), err=True)
                for w in report.warnings:
                    click.echo(f"warning: {w}", err=True)
            else:
                written = (
                    reporting.write_xlsx(
                        report, target, lang=lang, provenance=provenance, problems=problems
                    ),
                )
                if problems:
                    click.echo(
                        f"{len(problems)} data problem(s): see the sheet "
                        f"{'数据问题' if lang == 'zh' else 'Data problems'}",
                        err=True,
                    )
            for path in written:
                click.echo(f"wrote {path}")
            click.echo(reporting.overall_line(report, lang=lang))
        else:
            if fmt == "json":
                text = reporting.dump_json(report, provenance=provenance, problems=problems)
            elif fmt == "html":
                text = reporting.html_report(
                    report, lang=lang, problems=problems, provenance=provenance
                )
            else:
                text = reporting.text_report(
                    report,
                    lang=lang,
                    fmt="simple" if fmt == "table" else fmt,
                    problems=problems,
                    detail=detail,
                    data_summary=summary,
                    wrap=wrap,
                )
            if output is not None:
                _write_text(_suffixed(output, suffix), text)
                click.echo(f"wrote {_suffixed(output, suffix)}")
                click.echo(reporting.overall_line(report, lang=lang))
            else:
                click.echo(text, nl=False)
        return report

    if len(loads) == 1:
        report = run_one(loads[0], "")
        ctx.exit(report.exit_code(strict=strict))
    reports = []
    for n, one in enumerate(loads, start=1):
        code = one.county.code or str(n)
        if fmt not in _FILE_FORMATS and output is None:
            click.echo(f"==== {one.county.name}（{code}）====")
        reports.append(run_one(one, f"-{code}"))
    click.echo(_counties_summary(reports, lang))
    ctx.exit(max(r.exit_code(strict=strict) for r in reports))


def _problems_text(problems: Sequence[Any], lang: str, summary: str | None) -> str:
    """The data problems as a heading line and a table, for stderr."""
    head = (
        f"数据问题（共 {len(problems)} 条）" if lang == "zh" else f"Data problems ({len(problems)})"
    )
    lines = [head]
    if summary:
        lines.append(summary)
    if problems:
        lines.append(reporting.problems_table(problems, lang=lang))
    return "\n".join(lines)


@main.command(name="template", epilog=_EXIT_CODES_HELP)
@click.option(
    "--rules",
    "rules_name",
    required=True,
    metavar="NAME|PATH",
    help="The rule set whose fields the template asks for.",
)
@click.option(
    "--layout",
    type=click.Choice(["long", "wide"]),
    default="long",
    show_default=True,
    help="long: one school row per segment (学段 column); wide: one row per "
    "school, 小学…/初中… columns.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The .xlsx file to write.",
)
@click.pass_context
def template_command(ctx: click.Context, rules_name: str, layout: str, output: Path) -> None:
    """Write an XLSX input template for a rule set.

    Sheets 县区, 学校, 班级 (when the rules read classes) and 自评 with the headers the
    rule set reads (units in the headers and in a note on each), drop-down lists for
    学校类型, 城乡分类, 学段 and 自评, and a sheet 说明 explaining every column. Fill it
    in and run `eduint check FILE --rules NAME`.
    """
    from eduint.data import spreadsheets

    rules_path = resolve_rules(rules_name)
    if rules_path is None:
        _fail(
            ctx,
            f"error: --rules {rules_name}: no such rule file or bundled rule set; "
            f"bundled rule sets: {_bundled_names()}",
        )
    ruleset, _sha = _load_ruleset(ctx, rules_path)
    try:
        spreadsheets.write_template(ruleset, output, layout="wide" if layout == "wide" else "long")
    except OSError as exc:
        _fail(ctx, f"error: {output}: cannot write the template: {exc.strerror or exc}")
    click.echo(f"wrote {output}")


@main.command(name="rules", epilog=_EXIT_CODES_HELP)
def rules_command() -> None:
    """List the bundled rule sets: id, title, version and file.

    Use the id or the file stem with `eduint check --rules NAME`. A bundled file that
    does not check is listed with its error on stderr (and the exit code is 2).
    """
    ctx = click.get_current_context()
    files = bundled_rule_files()
    if not files:
        click.echo("no bundled rule sets")
        return
    root = resource_dir("rules")
    rows: list[list[str]] = []
    errors = 0
    for path in files:
        try:
            ruleset = checker.check_text(_read_text(path), file=str(path))
        except (EduintError, OSError, UnicodeDecodeError) as exc:
            click.echo(f"error: {path}: {exc}", err=True)
            errors += 1
            continue
        rows.append(
            [
                ruleset.id,
                ruleset.title or "",
                ruleset.version or "",
                path.stem,
                path.relative_to(root).as_posix(),
            ]
        )
    if rows:
        click.echo(reporting.table(rows, ["id", "title", "version", "name", "file"]))
    if errors:
        ctx.exit(EXIT_USER_ERROR)


@main.command(name="examples", epilog=_EXIT_CODES_HELP)
def examples_command() -> None:
    """List the bundled example data files.

    Run one with `eduint check --example NAME` (NAME is the file stem).
    """
    examples = bundled_examples()
    if not examples:
        click.echo("no bundled examples")
        return
    root = resource_dir("examples")
    rows = [[p.stem, p.relative_to(root).as_posix()] for p in examples]
    click.echo(reporting.table(rows, ["name", "file"]))


if __name__ == "__main__":  # python -m eduint.cli
    main(prog_name="eduint")
