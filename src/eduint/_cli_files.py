"""The rule files a ``fmt`` or ``lint`` command line names, and reading them.

A folder stands for the ``*.rules`` files below it that are really inside it: symbolic
links out of the folder are skipped, so that ``lint`` never prints and ``fmt`` never
rewrites a file the folder only points to (issue 14).  A rule file is read with a bound
on its size (:func:`eduint.language.limits.read_rule_bytes`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NoReturn

import click

from eduint._resources import bundled_rule_files
from eduint.language.limits import read_rule_bytes

__all__ = ["expand", "fail", "read_rule_file"]


def fail(ctx: click.Context, message: str) -> NoReturn:
    """Print a user error on stderr and exit with status 2 (``eduint.cli.EXIT_USER_ERROR``).

    Args:
        ctx: The click context.
        message: The message, starting with ``error:``.
    """
    click.echo(message, err=True)
    ctx.exit(2)


def expand(arguments: Sequence[Path]) -> tuple[list[Path], list[str]]:
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
            found = _rule_files_in(argument)
            if not found:
                errors.append(f"error: {argument}: directory contains no *.rules files")
            files.extend(found)
        elif argument.exists():
            files.append(argument)
        else:
            errors.append(f"error: {argument}: no such file or directory")
    return _unique(files), errors


def _rule_files_in(folder: Path) -> list[Path]:
    """The ``*.rules`` files below ``folder``, at any depth, in sorted order, that are
    really inside it.

    Symbolic links are not followed out of the folder: a linked file or directory whose
    target lies outside ``folder`` is skipped, with a note on stderr, so that ``lint``
    never prints and ``fmt`` never rewrites a file the folder only points to.  Linked
    directories are not descended into (their files inside the folder are found
    where they are).
    """
    root = folder.resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        dirnames.sort()
        for name in list(dirnames):
            link = here / name
            if link.is_symlink() and not _within(link, root):
                click.echo(f"note: {link}: skipped, a link to outside {folder}", err=True)
        for name in sorted(filenames):
            if not name.endswith(".rules"):
                continue
            path = here / name
            if path.is_symlink() and not _within(path, root):
                click.echo(f"note: {path}: skipped, a link to outside {folder}", err=True)
            elif path.is_file():
                found.append(path)
    return sorted(found)


def _within(path: Path, root: Path) -> bool:
    """Whether ``path``, with symbolic links followed, lies inside ``root`` (resolved)."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        return False
    return real == root or root in real.parents


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
        OSError: If the file cannot be read or holds more than
            :data:`eduint.language.limits.MAX_FILE_BYTES` bytes.
        UnicodeDecodeError: If the bytes are not valid UTF-8.
    """
    return read_rule_bytes(path).decode("utf-8")


def read_rule_file(path: Path) -> str | None:
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
