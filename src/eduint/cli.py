"""The ``eduint`` command-line interface.

Exit codes, shared by every command:

* 0: success.
* 1: the command ran and found something to report (``eduint fmt --check``: a file
  would be reformatted).
* 2: a user error: a rule file with a syntax error, a missing, unreadable or non-UTF-8
  file, or a bad command line. Diagnostics go to stderr; there is never a traceback.
* 3: an internal error, i.e. a bug in eduint. The traceback is printed so it can be
  reported.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import click

import eduint
from eduint import parser, printer
from eduint._resources import bundled_rule_files
from eduint.errors import EduintError

__all__ = ["EXIT_FINDINGS", "EXIT_INTERNAL_ERROR", "EXIT_OK", "EXIT_USER_ERROR", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 3

_EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  findings (fmt --check: some file would be reformatted)
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
    With no FILES, the rule files bundled with eduint are formatted.

    Each file is parsed and printed back canonically; a file whose text changes is
    rewritten ("reformatted PATH"). A file with a syntax error is reported and left alone,
    and the other files are still processed.
    """
    paths, failures = _expand(files)
    for message in failures:
        click.echo(message, err=True)
    errors = len(failures)
    changed = 0
    unchanged = 0
    for path in paths:
        try:
            text = _read_text(path)
        except UnicodeDecodeError as exc:
            click.echo(
                f"error: {path}: not valid UTF-8 text "
                f"(byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                "save the file as UTF-8",
                err=True,
            )
            errors += 1
            continue
        except OSError as exc:
            click.echo(f"error: {path}: cannot read: {exc.strerror or exc}", err=True)
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


if __name__ == "__main__":  # python -m eduint.cli
    main(prog_name="eduint")
