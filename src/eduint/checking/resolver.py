"""Find a rule set by name: a bundled stem or id, or a rule file.

One resolver serves every place a rule set is named: :func:`eduint.load_ruleset`,
``eduint check --rules NAME``, a data file's ``rules:``, and (issue 15) a rule file's
``extends NAME``, which will pass its own :class:`RuleResolver` with the rule roots it
may read.  Tests pass their own resolver too.

A name is tried in this order: an existing file (relative to ``base`` first, when
given, then as given); a bundled rule file whose stem (``chengxiang-yitihua-2018``) or
path under the rules directory, with or without ``.rules`` (``national/基本均衡``), is
the name; a bundled rule file whose ``ruleset`` id (``chengxiang_yitihua_2018``) is the
name.  The id is read from the file's header without parsing it.

A name written in a data file (``rules:``, the 规则集 column) is untrusted text: data
files come from thousands of county bureaus and eduint may run behind a service, so
``rules: /etc/passwd`` must not make eduint open ``/etc/passwd`` and echo its first
lines as diagnostics.  :meth:`RuleResolver.find_reference` (and the function
:func:`resolve_rule_reference`) accept exactly a bundled rule set, or a relative path to
a ``.rules`` file inside one of the given roots (for a data file: its folder), symbolic
links followed and still inside; an absolute path, a drive, ``..``, a NUL byte, another
suffix or a link out is refused (:class:`RuleReferenceError`) before anything is opened,
and the message quotes the name shortened, never another file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath

import attrs

from eduint._resources import ResourceNotFoundError, resource_dir
from eduint.errors import EduintError
from eduint.language.diagnostics import did_you_mean, shorten
from eduint.language.limits import read_rule_bytes

__all__ = [
    "RULE_SUFFIX",
    "BundledRuleSet",
    "RuleFileError",
    "RuleReferenceError",
    "RuleResolver",
    "RuleSource",
    "UnknownRuleSetError",
    "default_resolver",
    "resolve_rule_reference",
]

#: The suffix a rule file named by path in a data file must have.
RULE_SUFFIX = ".rules"
# Longest data reference looked at: no rule-set name or relative path is longer.
_MAX_REFERENCE = 1024

_RULESET_ID = re.compile(r"^[ \t]*ruleset[ \t]+([^\s{\"“「]+)", re.MULTILINE)


class UnknownRuleSetError(EduintError):
    """No rule file and no bundled rule set has the name.

    Attributes:
        name: the name as given.
        suggestion: the closest bundled stem or id, or ``None``.
        bundled: the bundled rule sets as ``stem (id …)`` texts, for the message.
    """

    def __init__(self, name: str, suggestion: str | None, bundled: str) -> None:
        self.name = name
        self.suggestion = suggestion
        self.bundled = bundled
        hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
        super().__init__(
            f"error: '{name}' is neither a rule file nor a bundled rule set{hint}; "
            f"bundled rule sets: {bundled}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.name, self.suggestion, self.bundled))


class RuleReferenceError(EduintError):
    """A data file names a rule set that is not bundled and not a rule file inside the
    rule roots; ``str()`` says which rule was broken, and nothing was opened."""


class RuleFileError(EduintError):
    """A rule file exists but cannot be read, or is not UTF-8; ``str()`` is the message."""


@attrs.frozen
class BundledRuleSet:
    """A rule file that ships with eduint.

    Attributes:
        id: its ``ruleset`` id (``chengxiang_yitihua_2018``), or ``None`` without a header.
        stem: its file stem (``chengxiang-yitihua-2018``).
        path: the file.
        relative: its path under the rules directory (``chengxiang-yitihua-2018.rules``).
    """

    id: str | None
    stem: str
    path: Path
    relative: str


@attrs.frozen
class RuleSource:
    """The text of a rule set, and where it came from.

    Attributes:
        path: the rule file.
        text: its text (UTF-8 decoded).
        sha256: hex SHA-256 of the file's bytes.
        shown: how reports and provenance name it: ``bundled:<path under the rules
            directory>`` for a bundled file, else the path as found.
        bundled: whether it is a bundled rule file.
    """

    path: Path
    text: str
    sha256: str
    shown: str
    bundled: bool


def _ruleset_id_of(path: Path) -> str | None:
    """The id in a rule file's ``ruleset`` header, read without parsing the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = _RULESET_ID.search(text)
    return m[1] if m else None


@attrs.define
class RuleResolver:
    """Finds rule sets by name (see the module doc).

    Attributes:
        bundled_dir: the directory of bundled rule files, or ``None`` for none.
        roots: when not empty, the only directories files may be read from (``extends``
            reads inside the rule roots only); empty: any file.
    """

    bundled_dir: Path | None = None
    roots: tuple[Path, ...] = ()
    _index: list[BundledRuleSet] | None = attrs.field(default=None, init=False, repr=False)

    def bundled(self) -> list[BundledRuleSet]:
        """The bundled rule sets, sorted by path (read once)."""
        if self._index is None:
            self._index = []
            if self.bundled_dir is not None and self.bundled_dir.is_dir():
                root = self.bundled_dir
                for path in sorted(p for p in root.rglob("*.rules") if p.is_file()):
                    rel = path.relative_to(root).as_posix()
                    self._index.append(BundledRuleSet(_ruleset_id_of(path), path.stem, path, rel))
        return self._index

    def bundled_names(self) -> str:
        """The bundled rule sets as ``stem (id …)``, for messages."""
        found = self.bundled()
        if not found:
            return "none are bundled"
        return ", ".join(f"{b.stem} (id {b.id or '?'})" for b in found)

    def find(self, name: str, *, base: Path | None = None) -> Path | None:
        """The rule file ``name`` names, or ``None``.

        Args:
            name: a path, a bundled stem, a path under the rules directory, or an id.
            base: the directory of the file that names it (a data file), tried first
                for a relative path.
        """
        candidate = Path(name)
        tries = [base / candidate] if base is not None and not candidate.is_absolute() else []
        tries.append(candidate)
        for path in tries:
            if path.is_file() and self._allowed(path):
                return path
        for b in self.bundled():
            if name in (b.stem, b.relative, b.relative.removesuffix(".rules")):
                return b.path
        for b in self.bundled():
            if b.id == name:
                return b.path
        return None

    def find_reference(self, text: str, *, roots: Sequence[Path]) -> Path:
        """The rule file a data file's ``rules:`` value (or 规则集 cell) names.

        Tried in order: a ``.rules`` file at the relative path ``text`` inside one of
        ``roots`` (symbolic links followed, and the file must still be inside its root),
        then a bundled rule set by stem, path under the rules directory or id.  A path
        that is absolute, goes up, or does not end in ``.rules`` is refused before
        anything is opened.

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
        problem = _path_problem(text) if text else "it is empty"
        if problem is None:
            for root in roots:
                candidate = root / text
                if _inside(candidate, root) and candidate.is_file():
                    return candidate
        if text and len(text) <= _MAX_REFERENCE:
            for b in self.bundled():
                if text in (b.stem, b.relative, b.relative.removesuffix(RULE_SUFFIX), b.id):
                    return b.path
        if problem is not None and _looks_like_path(text):
            raise RuleReferenceError(
                f"the rule set '{shorten(text)}' is refused ({problem}): a data file may name "
                f"a bundled rule set (its id or file name) or a {RULE_SUFFIX} file in its own "
                "folder or below"
            )
        raise RuleReferenceError(
            f"names the rule set '{shorten(text)}', which is neither a bundled rule set nor "
            f"a {RULE_SUFFIX} file in the data file's folder"
        )

    def resolve(self, name: str, *, base: Path | None = None) -> RuleSource:
        """The rule set ``name`` names, read (:meth:`find`, then :meth:`read`).

        Raises:
            UnknownRuleSetError: nothing has the name (with a did-you-mean).
            RuleFileError: the file cannot be read or is not UTF-8.
        """
        path = self.find(name, base=base)
        if path is None:
            names = [x for b in self.bundled() for x in (b.stem, b.id) if x]
            raise UnknownRuleSetError(name, did_you_mean(name, names), self.bundled_names())
        return self.read(path)

    def read(self, path: Path) -> RuleSource:
        """Read a rule file.

        Raises:
            RuleFileError: the file cannot be read, or is not UTF-8 (with the byte and
                offset, as ``eduint check`` has always said).
        """
        try:
            raw = read_rule_bytes(path)  # bounded: a rule file named /dev/zero ends
        except OSError as exc:
            raise RuleFileError(
                f"error: {path}: cannot read the rule file: {exc.strerror or exc}"
            ) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RuleFileError(
                f"error: {path}: not valid UTF-8 text (byte {exc.object[exc.start]:#04x} at "
                f"offset {exc.start}); save the file as UTF-8"
            ) from None
        bundled = self._bundled_relative(path)
        shown = f"bundled:{bundled}" if bundled is not None else str(path)
        return RuleSource(path, text, hashlib.sha256(raw).hexdigest(), shown, bundled is not None)

    def _bundled_relative(self, path: Path) -> str | None:
        if self.bundled_dir is None:
            return None
        try:
            return path.resolve().relative_to(self.bundled_dir.resolve()).as_posix()
        except (ValueError, OSError):
            return None

    def _allowed(self, path: Path) -> bool:
        if not self.roots:
            return True
        resolved = path.resolve()
        return any(resolved.is_relative_to(r.resolve()) for r in self.roots)


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


def _looks_like_path(text: str) -> bool:
    return "/" in text or "\\" in text or text.endswith(RULE_SUFFIX) or text.startswith("~")


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symbolic link followed, is inside ``root``."""
    try:
        real = path.resolve()
        real_root = root.resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    return real == real_root or real_root in real.parents


def resolve_rule_reference(
    text: str, *, roots: Sequence[Path], resolver: RuleResolver | None = None
) -> Path:
    """The rule file a data file names (:meth:`RuleResolver.find_reference`).

    Args:
        text: the ``rules:`` value or 规则集 cell.
        roots: the folders rule files may be taken from (the data file's folder).
        resolver: the resolver whose bundled rule sets count (default: eduint's).

    Raises:
        RuleReferenceError: see :meth:`RuleResolver.find_reference`.
    """
    return (resolver or default_resolver()).find_reference(text, roots=roots)


def default_resolver(roots: Sequence[Path] = ()) -> RuleResolver:
    """The resolver of the bundled rule sets (none when the rules directory is missing).

    Args:
        roots: the directories files may be read from; empty: any file.
    """
    try:
        bundled: Path | None = resource_dir("rules")
    except ResourceNotFoundError:
        bundled = None
    return RuleResolver(bundled, tuple(roots))
