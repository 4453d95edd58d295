"""Check a rule file once per user and reuse the checked rule set.

``eduint check --example baoshan-2018`` spends most of a cold start parsing and
checking a rule file that ships with eduint and never changes between runs, and a
national run (``eduint check national.parquet --rules my.rules``) spends 0.15–0.2 s
of its second or so doing the same for the user's own file.  The checked
:class:`~eduint.checking.ruleset.RuleSet` of a rule file read from disk, bundled or
not, is therefore kept in eduint's private per-user cache (:mod:`eduint._cache`:
owner-only directory, owner and digest checked before anything is read).

The key is a SHA-256 over everything the result depends on: the rule text, the file
name its spans carry and the name reports show, the grammar text, eduint's version and
a hash of eduint's own source (so a checkout being edited never reads a rule set
checked by older code), and the Python version.  The file's path and modification time
are not in it: the same text under the same name is the same rule set, and an edited
file is another key.  Drafts do not make the cache grow: it keeps the
:data:`~eduint._cache.KEEP_PER_KIND` most recently used rule sets and removes the rest.

A file that ``extends`` another is checked every time (its result depends on its
parents' text too, which is not in the key; bundled parents come from the cache).
Rule files that do not check are never cached; their errors are raised as usual.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from eduint import _cache
from eduint._resources import ResourceNotFoundError, grammar_text, resource_dir
from eduint._version import __version__
from eduint.checking.ruleset import RuleSet

if TYPE_CHECKING:
    from eduint.checking.proof import Verifier
    from eduint.checking.resolver import RuleResolver

#: An ``extends`` line (a file that does not check alone is never cached).
_EXTENDS = re.compile(r"^[ \t　]*extends[ \t　]", re.MULTILINE)

__all__ = ["check_rule_text", "is_bundled"]


def is_bundled(path: str | Path) -> bool:
    """Return whether ``path`` is a file in eduint's bundled rules directory.

    Args:
        path: a rule file path, absolute or relative to the working directory.
    """
    try:
        rules = resource_dir("rules").resolve()
        Path(path).resolve().relative_to(rules)
    except (ValueError, OSError, ResourceNotFoundError):
        return False
    return True


def check_rule_text(
    text: str,
    *,
    file: str,
    path: str | Path | None = None,
    shown: str | None = None,
    resolver: RuleResolver | None = None,
    verify: Verifier | None = None,
) -> RuleSet:
    """Parse and check rule text, reusing the cached result for a rule file.

    The result is what :func:`eduint.checking.checker.check_text` returns for the same
    ``text`` and ``file``, warnings included.  A file that ``extends`` another is
    checked every time (its parents are, from the cache when they extend nothing): its
    result depends on files other than its own.

    Args:
        text: the whole rule file.
        file: the name used in diagnostics and stored in every span.
        path: the file the text was read from; text read from a file (a path given)
            is looked up in and added to the cache, text without a file is checked.
        shown: the file as reports name it (origins), default ``file``.
        resolver: finds the parent of a file that extends another.
        verify: checks the strictness proof's counterexamples with the engine.

    Returns:
        The checked rule set.

    Raises:
        RuleSyntaxError: the text does not parse.
        RuleCheckError: the text parses but does not check.
    """
    layered = _EXTENDS.search(text) is not None
    key = None
    if path is not None and not layered:
        key = _key(text, file, shown or file)
    if key is not None:
        cached = _cache.load_object("ruleset", key)
        if isinstance(cached, RuleSet):
            return cached
    # Imported on a miss only: a run served from the cache never parses (nor loads lark).
    from eduint.checking.checker import check_text

    base = Path(path).parent if path is not None else None
    ruleset = check_text(text, file=file, resolver=resolver, base=base, shown=shown, verify=verify)
    # parents: an extends line the pattern above did not see (its parents' text is not
    # in the key, so such a rule set is never stored)
    if key is not None and not ruleset.parents:
        _cache.store_object("ruleset", key, ruleset)
    return ruleset


def _key(text: str, file: str, shown: str) -> str:
    return _cache.cache_key(
        "checked-ruleset",
        text,
        file,
        shown,
        grammar_text(),
        __version__,
        _cache.source_fingerprint(),
        f"{sys.version_info[0]}.{sys.version_info[1]}",
    )
