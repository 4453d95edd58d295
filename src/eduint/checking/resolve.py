"""Which rule file a name in a data file stands for, without leaving the rule roots.

A data file may say which rule set it answers: ``rules: chengxiang_yitihua_2018`` in
YAML or JSON, the 规则集 column of a workbook.  Data files come from thousands of county
bureaus and may be run behind a service, so such a reference is untrusted text:
``rules: /etc/passwd`` must not make eduint open ``/etc/passwd`` and echo its first
lines as diagnostics.  :func:`resolve_rule_reference` accepts exactly

* a **bundled rule set**, by file stem (``chengxiang-yitihua-2018``), path under the
  bundled rules directory with or without ``.rules``, or ruleset id
  (``chengxiang_yitihua_2018``) — :func:`bundled_rule_set`;
* a **relative path to a ``.rules`` file inside one of the rule roots** (for a data
  file: the folder it is in).  The path is refused, without any file being opened,
  when it is absolute, has a drive, goes up (``..``), holds a NUL byte, does not end in
  ``.rules``, or — once symbolic links are followed — leads outside its root.

Anything else is a :class:`RuleReferenceError` naming the rule and what was given
(shortened), never the content of another file.  The ``extends`` of a rule file (once
layering exists) is to take the same road, with the rule file's roots.

A name the user gives on the command line (``--rules PATH``) is not such a reference:
the user may name any file of their own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath

from eduint._resources import bundled_rule_files, resource_dir
from eduint.errors import EduintError
from eduint.language.diagnostics import shorten

__all__ = [
    "RULE_SUFFIX",
    "RuleReferenceError",
    "bundled_rule_set",
    "resolve_rule_reference",
    "ruleset_id_of",
]

#: The suffix a rule file named by path must have.
RULE_SUFFIX = ".rules"
# Longest reference looked at: no rule-set name or relative path is longer.
_MAX_REFERENCE = 1024
_RULESET_ID = re.compile(r"^[ \t]*ruleset[ \t]+([^\s{\"]+)", re.MULTILINE)


class RuleReferenceError(EduintError):
    """A data file names a rule set that is not bundled and not a rule file inside the
    rule roots; ``str()`` says which rule was broken, and nothing was opened."""


def ruleset_id_of(path: Path) -> str | None:
    """The id in a rule file's ``ruleset`` header, read without parsing the file.

    Args:
        path: a rule file (bundled, or one already accepted as a rule file).

    Returns:
        The id, or ``None`` when the file has no header or cannot be read.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = _RULESET_ID.search(text)
    return m[1] if m else None


@functools.cache
def _bundled_ids() -> dict[str, Path]:
    # The bundled files do not change while eduint runs; read their headers once.
    ids: dict[str, Path] = {}
    for path in bundled_rule_files():
        found = ruleset_id_of(path)
        if found is not None:
            ids.setdefault(found, path)
    return ids


def bundled_rule_set(name: str) -> Path | None:
    """The bundled rule file ``name`` names, or ``None``.

    Args:
        name: a file stem (``chengxiang-yitihua-2018``), a path under the bundled rules
            directory with or without ``.rules`` (``national/基本均衡``), or a ruleset id
            (``chengxiang_yitihua_2018``).
    """
    files = bundled_rule_files()
    if not files:
        return None
    root = resource_dir("rules")
    for path in files:
        rel = path.relative_to(root)
        if name in (path.stem, rel.as_posix(), rel.with_suffix("").as_posix()):
            return path
    return _bundled_ids().get(name)


def _refuse(text: str, why: str) -> RuleReferenceError:
    return RuleReferenceError(
        f"the rule set '{shorten(text)}' is refused ({why}): a data file may name a bundled "
        f"rule set (its id or file name) or a {RULE_SUFFIX} file in its own folder or below"
    )


def _unknown(text: str) -> RuleReferenceError:
    return RuleReferenceError(
        f"names the rule set '{shorten(text)}', which is neither a bundled rule set nor a "
        f"{RULE_SUFFIX} file in the data file's folder"
    )


def _path_problem(text: str) -> str | None:
    """Why ``text`` cannot be a relative path inside a root, judged on the text alone."""
    if len(text) > _MAX_REFERENCE:
        return f"it is longer than {_MAX_REFERENCE} characters"
    if "\x00" in text:
        return "it holds a NUL byte"
    posix, windows = PurePosixPath(text), PureWindowsPath(text)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or text.startswith("~"):
        return "an absolute path is not allowed"
    if ".." in posix.parts or ".." in windows.parts:
        return "a path may not go up ('..')"
    if not text.endswith(RULE_SUFFIX):
        return f"a path must name a {RULE_SUFFIX} file"
    return None


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symbolic link followed, is inside ``root``."""
    try:
        real = path.resolve()
        real_root = root.resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    return real == real_root or real_root in real.parents


def resolve_rule_reference(text: str, *, roots: Sequence[Path]) -> Path:
    """The rule file a data file's ``rules:`` value (or 规则集 cell) names.

    Tried in order: a ``.rules`` file at the relative path ``text`` inside one of
    ``roots`` (symbolic links followed, and the file must still be inside its root),
    then a bundled rule set (:func:`bundled_rule_set`).  A path that is absolute, goes
    up, or does not end in ``.rules`` is refused before anything is opened.

    Args:
        text: the reference as the data gives it.
        roots: the folders rule files may be taken from (for a data file: its folder).

    Returns:
        The rule file: inside a root (as ``root / text``), or bundled.

    Raises:
        RuleReferenceError: nothing bundled has that name and it is not a rule file
            inside a root; the message says why, quoting ``text`` shortened.
    """
    text = text.strip()
    if not text:
        raise _unknown(text)
    problem = _path_problem(text)
    if problem is None:
        for root in roots:
            candidate = root / text
            if _inside(candidate, root) and candidate.is_file():
                return candidate
    bundled = bundled_rule_set(text) if len(text) <= _MAX_REFERENCE else None
    if bundled is not None:
        return bundled
    if problem is not None and _looks_like_path(text):
        raise _refuse(text, problem)
    raise _unknown(text)


def _looks_like_path(text: str) -> bool:
    return "/" in text or "\\" in text or text.endswith(RULE_SUFFIX) or text.startswith("~")
