"""A private, per-user cache for work eduint can reuse between runs.

Three things are worth keeping between runs: the LALR tables lark builds from
``grammar/eduint.lark`` (most of a cold start), the checked rule sets of rule files,
and the parsed values of ``--set`` overrides (so that a repeated override
needs no lark).  Both are stored here as pickles, so where they live matters: a pickle is
code, and a file another user could write would let that user run code as whoever runs
eduint next.  Hence:

* The directory is the user's own cache directory, never a shared temporary one:
  ``$EDUINT_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/eduint`` (``~/.cache/eduint``) on
  Linux and other POSIX systems, ``~/Library/Caches/eduint`` on macOS and
  ``%LOCALAPPDATA%\\eduint\\Cache`` on Windows.  ``EDUINT_NO_CACHE=1`` turns the cache off.
* It is created with mode 0700.  Before anything is read or written (POSIX), the
  directory must be a real directory (not a symbolic link) owned by the current user with
  no permission for group or others, and each entry must be a regular file, opened without
  following links, owned by the current user and writable by nobody else.  Anything else
  is ignored, never repaired.
* Every entry carries a SHA-256 digest of its payload, checked before the payload is
  used, so a truncated or damaged file is a miss rather than a crash.
* Entries are written to a private temporary file in the same directory and renamed into
  place, so concurrent runs never see half an entry.
* Keys are content hashes chosen by the caller (grammar text and lark version for the
  parser tables; rule file text and eduint's own source for a checked rule set), so a
  stale entry is never looked up: it is simply never asked for again, and the least
  recently used entries of a kind are removed when there are more than
  :data:`KEEP_PER_KIND` (reading an entry marks it used: its modification time).

The cache is only ever an optimisation: every failure (no home directory, read-only
disk, foreign owner, damaged entry, an entry that no longer unpickles) is a miss, and the
caller recomputes.  This module is foundation: it imports no other eduint module.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any

__all__ = [
    "CACHE_DIR_ENV",
    "KEEP_PER_KIND",
    "NO_CACHE_ENV",
    "cache_dir",
    "cache_key",
    "load",
    "load_object",
    "source_fingerprint",
    "store",
    "store_object",
]

#: Environment variable naming the cache directory (overrides the platform default).
CACHE_DIR_ENV = "EDUINT_CACHE_DIR"
#: Environment variable that turns the cache off when set to anything but ``""``/``0``.
NO_CACHE_ENV = "EDUINT_NO_CACHE"
#: Entries kept per kind (``parser``, ``ruleset``, ``settree``); older ones are removed on write.
KEEP_PER_KIND = 16

# File layout: magic (8 bytes), SHA-256 of the payload (32 bytes), payload.
_MAGIC = b"eduint\x00\x01"
_DIGEST_LEN = 32
_SUFFIX = ".cache"
_POSIX = os.name == "posix"


def cache_dir() -> Path | None:
    """Return the cache directory to use, or ``None`` when caching is off.

    The directory is not created or checked here (see the module docstring for where
    it is and what is checked before use).

    Returns:
        An absolute path, or ``None`` when ``EDUINT_NO_CACHE`` is set or no per-user
        location can be determined (no home directory).
    """
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit).absolute()
    try:
        if sys.platform == "win32":
            local = os.environ.get("LOCALAPPDATA")
            return Path(local, "eduint", "Cache") if local else None
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "eduint"
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        # The XDG spec says a relative value is invalid and must be ignored.
        base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    except (RuntimeError, KeyError, OSError):  # Path.home() without a home directory
        return None
    return base / "eduint"


def cache_key(*parts: str | bytes) -> str:
    """Return a hex key naming a cache entry: a SHA-256 of the parts, in order.

    Each part is length-prefixed, so ``("ab", "c")`` and ``("a", "bc")`` differ.

    Args:
        parts: everything the cached value depends on (text as UTF-8).

    Returns:
        40 lowercase hex digits.
    """
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:40]


@functools.cache
def source_fingerprint() -> str:
    """Return a hex SHA-256 of eduint's own Python source, read once per process.

    A checked rule set depends on the checker, the data model and the AST as well as
    on the rule text.  The version number alone would not do: it stays the same while
    a source checkout is edited, so a rule set checked by older code could be read back.

    Returns:
        64 lowercase hex digits over every ``*.py`` file of the installed package
        (relative path and bytes, in sorted order).
    """
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"<unreadable>"
        h.update(path.relative_to(package).as_posix().encode("utf-8") + b"\x00")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def load(kind: str, key: str) -> bytes | None:
    """Return the payload stored under ``kind`` and ``key``, or ``None`` on a miss.

    Args:
        kind: a short word naming what is cached (``"parser"``, ``"ruleset"``, ``"settree"``).
        key: from :func:`cache_key`.

    Returns:
        The payload, or ``None`` when the cache is off, the directory or the entry fails
        a check (see the module docstring), or the entry is absent or damaged.
    """
    directory = _checked_dir(create=False)
    if directory is None:
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(directory / _entry_name(kind, key), flags)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            if not _private_file(os.fstat(f.fileno())):
                return None
            blob = f.read()
            head = len(_MAGIC) + _DIGEST_LEN
            if len(blob) < head or not blob.startswith(_MAGIC):
                return None
            payload = blob[head:]
            if hashlib.sha256(payload).digest() != blob[len(_MAGIC) : head]:
                return None
            _touch(f.fileno())
    except OSError:
        return None
    return payload


def store(kind: str, key: str, payload: bytes) -> None:
    """Store ``payload`` under ``kind`` and ``key``; failures are silent.

    Creates the cache directory (mode 0700) when needed, writes the entry atomically
    and removes the oldest entries of ``kind`` beyond :data:`KEEP_PER_KIND`.

    Args:
        kind: as for :func:`load`.
        key: as for :func:`load`.
        payload: the bytes to keep.
    """
    directory = _checked_dir(create=True)
    if directory is None:
        return
    import tempfile  # only a run that writes needs it (a few milliseconds of imports)

    blob = _MAGIC + hashlib.sha256(payload).digest() + payload
    tmp: str | None = None
    try:
        # mkstemp creates the file with mode 0600 and O_EXCL, in the checked directory.
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, directory / _entry_name(kind, key))
        tmp = None
        _prune(directory, kind)
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def load_object(kind: str, key: str) -> Any:
    """Return the object pickled under ``kind`` and ``key``, or ``None`` on a miss.

    Only entries that pass the checks of :func:`load` are unpickled.  An entry that no
    longer unpickles (a class it names was moved) is a miss.
    """
    payload = load(kind, key)
    if payload is None:
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # an entry written by other code is a miss, whatever it raises
        return None


def store_object(kind: str, key: str, value: object) -> None:
    """Pickle ``value`` and store it under ``kind`` and ``key``; failures are silent."""
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an unpicklable value is simply not cached
        return
    store(kind, key, payload)


# ----------------------------------------------------------------- internals


def _entry_name(kind: str, key: str) -> str:
    if not (kind.isalnum() and key.isalnum()):
        raise ValueError(f"cache kind and key must be letters and digits: {kind!r}, {key!r}")
    return f"{kind}-{key}{_SUFFIX}"


def _checked_dir(*, create: bool) -> Path | None:
    """The cache directory if it exists (or was created) and passes the checks."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        if create:
            directory.parent.mkdir(parents=True, exist_ok=True)
            try:
                directory.mkdir(mode=0o700)
            except FileExistsError:
                pass
        st = os.lstat(directory)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):  # lstat: a symbolic link is refused too
        return None
    if _POSIX and (st.st_uid != os.geteuid() or st.st_mode & 0o077):
        return None
    return directory


def _private_file(st: os.stat_result) -> bool:
    if not stat.S_ISREG(st.st_mode):
        return False
    return not _POSIX or (st.st_uid == os.geteuid() and not st.st_mode & 0o022)


def _touch(fd: int) -> None:
    """Mark an entry used now (its modification time), so that :func:`_prune` removes
    the least recently used entries, not the least recently written: a rule set read
    on every run stays while drafts come and go.  Through the open descriptor, where
    the platform allows it (never a path that could have been replaced meanwhile)."""
    if os.utime in os.supports_fd:
        try:
            os.utime(fd)
        except OSError:
            pass  # a read-only cache still serves its entries


def _prune(directory: Path, kind: str) -> None:
    """Remove the least recently used entries of ``kind`` beyond KEEP_PER_KIND (an
    entry's modification time is when it was last written or read: :func:`_touch`)."""
    entries = []
    for path in directory.glob(f"{kind}-*{_SUFFIX}"):
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, path in entries[KEEP_PER_KIND:]:
        try:
            path.unlink()
        except OSError:
            pass
