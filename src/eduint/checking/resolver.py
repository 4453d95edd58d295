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
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import attrs

from eduint._resources import ResourceNotFoundError, resource_dir
from eduint.errors import EduintError
from eduint.language.diagnostics import did_you_mean

__all__ = [
    "BundledRuleSet",
    "RuleFileError",
    "RuleResolver",
    "RuleSource",
    "UnknownRuleSetError",
    "default_resolver",
]

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
            raw = path.read_bytes()
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
