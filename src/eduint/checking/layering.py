"""Layering: a rule file that ``extends`` another, checked on top of it.

``extends NAME`` in a ``ruleset`` header names the parent: a path relative to the
extending file (``"../national/优质均衡.rules"``; ``NAME`` or ``NAME.rules`` beside it), or
a bundled rule set by file stem or ``ruleset`` id (``youzhi_junheng_2017_resource``).  The
parent is found through a :class:`~eduint.checking.resolver.RuleResolver` (the one
:func:`eduint.load_ruleset` uses; tests pass their own), read, parsed and checked first
(recursively: a provincial file may extend a file that extends the national one), and
the child is checked on top of it (:mod:`eduint.checking._merge`).  Errors, each at the
``extends`` line:

* ``E312``: files that extend each other in a cycle (the message names it);
* ``E313``: no file and no bundled rule set has the name (with a did-you-mean);
* ``E314``: the path leads outside the rule roots: a rule file reads no other file;
* ``E315``: more than :data:`MAX_DEPTH` files extend one another.

The rule roots are the resolver's, or, when it has none, the directory of the file first
checked; bundled rule files are always readable.  Relaxations with an expiry
(``relax … because … until DATE``) lapse after it: :func:`in_force` gives the rule set
as it stands on a day, the parent's rule, value or setting restored.
"""

from __future__ import annotations

import datetime
import threading
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import attrs

from eduint._lazy import LazyModule
from eduint.checking.changes import Change, ChangeKind, Parent, Target
from eduint.checking.resolver import RuleResolver, default_resolver
from eduint.checking.ruleset import (
    CheckedRule,
    Container,
    KeyedEntryValue,
    Origin,
    PeriodValue,
    RuleSet,
    SettingValue,
    SourceRef,
    Type,
    ValueRef,
)
from eduint.errors import RuleCheckError
from eduint.language.diagnostics import Diagnostic, did_you_mean

# The syntax tree and the parser are needed to resolve `extends`, not to evaluate: the
# evaluator imports this module for in_force (docs/performance.md, "Start-up").
if TYPE_CHECKING:
    from eduint.checking.proof import Verifier
    from eduint.language import nodes as n
    from eduint.language import parser
else:
    n = LazyModule("eduint.language.nodes")
    parser = LazyModule("eduint.language.parser")

__all__ = ["Check", "Load", "MAX_DEPTH", "check_layered", "find_parent", "in_force", "set_by"]


class Check(Protocol):
    """The checker (:func:`eduint.checking.checker.check`), passed in so that this
    module does not import it (it imports this one)."""

    def __call__(
        self,
        tree: n.RuleFile,
        *,
        parent: RuleSet | None = None,
        shown: str | None = None,
        verify: Verifier | None = None,
        parent_info: Parent | None = None,
        refuse: bool = True,
    ) -> RuleSet: ...


#: Checks a parent that extends nothing: ``(text, file, path, shown) -> RuleSet``
#: (:func:`eduint.checking.cached.check_rule_text` serves bundled parents from the cache).
Load = Callable[[str, str, Path, str], RuleSet]

#: The longest chain of files extending one another.
MAX_DEPTH = 8


@attrs.frozen
class _Where:
    """How parents are looked for and checked: the resolver, the directories readable,
    the checker and the loader of parents that extend nothing."""

    resolver: RuleResolver
    roots: tuple[Path, ...]
    check: Check
    load: Load | None


def check_layered(
    tree: n.RuleFile,
    text: str,
    *,
    check: Check,
    load: Load | None = None,
    resolver: RuleResolver | None = None,
    base: Path | None = None,
    shown: str | None = None,
    verify: Verifier | None = None,
    refuse: bool = True,
) -> RuleSet:
    """Check a parsed file that extends another: its parents first, then the file.

    Args:
        tree: the parsed file; text: its text (for messages).
        check: the checker (:func:`eduint.checking.checker.check`).
        load: checks a parent that extends nothing (default: ``check``).
        resolver: finds bundled parents and says which directories are readable (its
            ``roots``; none: the directory of this file).
        base: the directory a relative ``extends`` starts from (default: the
            directory of the tree's file).
        shown: the file as reports name it.
        verify: checks the strictness proof's counterexamples with the engine.
        refuse: False to keep this file's overrides that are not at least as strict
            (parents are always checked in full).

    Raises:
        RuleSyntaxError: this file or a parent does not parse.
        RuleCheckError: a parent cannot be found or read where it may be (``E312``–
            ``E315``), or this file or a parent does not check; each diagnostic renders
            with the source of its own file.
        RuleFileError: a parent file cannot be read or is not UTF-8.
    """
    base = base if base is not None else Path(tree.file).parent
    r = resolver or default_resolver()
    roots = r.roots or (base,)
    if r.bundled_dir is not None:
        roots = (*roots, r.bundled_dir)
    return _check(tree, text, _Where(r, roots, check, load), base, shown, verify, (), refuse)


def _check(
    tree: n.RuleFile,
    text: str,
    where: _Where,
    base: Path,
    shown: str | None,
    verify: Verifier | None,
    chain: tuple[Path, ...],
    refuse: bool = True,
) -> RuleSet:
    sources = {tree.file: text}
    assert tree.header is not None
    ext = next(p for p in tree.header.props if isinstance(p, n.Extends))
    here = _identity(tree.file, base)
    found = find_parent(ext.path, base, where.resolver, where.roots)
    if isinstance(found, Diagnostic):
        raise RuleCheckError([attrs.evolve(found, span=ext.span)], sources)
    path = found.resolve()
    trail = (*chain, here)
    if path in trail:
        names = [p.name for p in trail[trail.index(path) :]] + [path.name]
        raise RuleCheckError(
            [
                Diagnostic(
                    "E312",
                    "rule files extend each other in a cycle: " + " → ".join(names),
                    ext.span,
                    "a rule set cannot build on itself; remove one 'extends'",
                )
            ],
            sources,
        )
    if len(trail) >= MAX_DEPTH:
        raise RuleCheckError(
            [
                Diagnostic(
                    "E315",
                    f"more than {MAX_DEPTH} rule files extend one another",
                    ext.span,
                    "extend the national file, or its provincial file, directly",
                )
            ],
            sources,
        )
    source = where.resolver.read(found)
    parent_file = _name_beside(found, base, tree.file)
    parent_tree = parser.parse(source.text, file=parent_file)
    parent_ext = parent_tree.header is not None and any(
        isinstance(p, n.Extends) for p in parent_tree.header.props
    )
    if parent_ext:
        parent = _check(parent_tree, source.text, where, found.parent, source.shown, verify, trail)
    elif where.load is not None:
        parent = where.load(source.text, parent_file, found, source.shown)
    else:
        try:
            parent = where.check(parent_tree, shown=source.shown)
        except RuleCheckError as exc:
            raise RuleCheckError(exc.diagnostics, {parent_file: source.text}) from None
    info = Parent(parent.id, parent.title, source.shown, source.sha256, parent.title_en)
    try:
        return where.check(
            tree, parent=parent, shown=shown, verify=verify, parent_info=info, refuse=refuse
        )
    except RuleCheckError as exc:
        raise RuleCheckError(exc.diagnostics, {**sources, parent_file: source.text}) from None


def _name_beside(found: Path, base: Path, child: str) -> str:
    """How messages name a parent: beside the child's name when it lies under the
    child's directory (``tests/…/parents/base.rules``), else its path."""
    try:
        rel = found.resolve().relative_to(base.resolve())
    except ValueError:
        return str(found)
    return str(Path(child).parent / rel)


def _identity(file: str, base: Path) -> Path:
    """A file as one link of an ``extends`` chain (its resolved path)."""
    p = Path(file)
    return p.resolve() if p.is_absolute() or p.exists() else (base / p.name).resolve()


def _inside(path: Path, roots: Sequence[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(r.resolve()) for r in roots)


def find_parent(
    name: str, base: Path, resolver: RuleResolver, roots: Sequence[Path]
) -> Path | Diagnostic:
    """The rule file ``extends NAME`` names, or why there is none.

    A path relative to ``base`` (``NAME``, then ``NAME.rules``) is tried first, then a
    bundled rule set by stem, path under the rules directory, or id.

    Args:
        name: what follows ``extends``.
        base: the directory of the extending file.
        resolver: knows the bundled rule sets.
        roots: the directories files may be read from.

    Returns:
        The file, or a diagnostic without a span: ``E314`` for a path outside
        ``roots``, ``E313`` when nothing has the name.
    """
    tries = [base / name]
    if not name.endswith(".rules"):
        tries.append(base / f"{name}.rules")
    looks_like_path = "/" in name or "\\" in name or name.endswith(".rules")
    for path in tries:
        if not _inside(path, roots):
            if looks_like_path:
                return Diagnostic(
                    "E314",
                    f"'{name}' is outside the rule roots: a rule file reads no other file",
                    None,
                    "put the parent beside the provincial file (or below its directory), "
                    "name a bundled rule set by id, or give its directory with "
                    "--rule-root DIR",
                )
            continue
        if path.is_file():
            return path
    for b in resolver.bundled():
        if name in (b.stem, b.relative, b.relative.removesuffix(".rules")) or name == b.id:
            return b.path
    names = [x for b in resolver.bundled() for x in (b.stem, b.id) if x]
    sug = did_you_mean(name, names)
    return Diagnostic(
        "E313",
        f"'{name}' is neither a rule file beside this one nor a bundled rule set",
        None,
        f"did you mean '{sug}'?" if sug else f"bundled rule sets: {resolver.bundled_names()}",
    )


# ------------------------------------------------------------ relaxations lapse

_IN_FORCE: dict[tuple[int, tuple[int, ...]], tuple[weakref.ref[RuleSet], RuleSet]] = {}
_LOCK = threading.Lock()


def in_force(ruleset: RuleSet, day: datetime.date | None) -> RuleSet:
    """The rule set as it stands on ``day``: every relaxation or drop whose ``until`` is
    past replaced by the parent's rule, value, setting or member again.

    Returns ``ruleset`` itself when nothing has lapsed (or ``day`` is ``None``); the
    result is kept per rule set and set of lapsed changes, so an evaluation of many
    counties compiles it once.
    """
    lapsed = tuple(
        i
        for i, c in enumerate(ruleset.changes)
        if c.target is not Target.VALUE and not c.in_force(day)
    )
    if not lapsed:
        return ruleset
    key = (id(ruleset), lapsed)
    with _LOCK:
        hit = _IN_FORCE.get(key)
        if hit is not None and hit[0]() is ruleset:
            return hit[1]
    out = ruleset
    for i in lapsed:
        out = _restore(out, ruleset.changes[i])
    with _LOCK:
        if len(_IN_FORCE) > 64:
            _IN_FORCE.clear()
        _IN_FORCE[key] = (weakref.ref(ruleset), out)
    return out


def _restore(rs: RuleSet, c: Change) -> RuleSet:
    """``rs`` with change ``c`` undone (its ``previous`` element put back).  A value's
    relaxation needs no undoing: its expiry is a period of the value already."""
    prev = c.previous
    if c.target is Target.VALUE:
        return rs
    if isinstance(prev, SettingValue):
        return attrs.evolve(rs, settings={**rs.settings, c.name: prev})
    if isinstance(prev, CheckedRule) and c.kind is not ChangeKind.DROP:
        return attrs.evolve(rs, members=_swap(rs.members, c.name, prev))
    if isinstance(prev, (CheckedRule, Container)):
        # a lapsed drop: the member comes back at the end of the rule set
        return attrs.evolve(rs, members=(*rs.members, prev))
    return rs


def _swap(
    members: Sequence[Container | CheckedRule], id_: str, new: CheckedRule
) -> tuple[Container | CheckedRule, ...]:
    out: list[Container | CheckedRule] = []
    for m in members:
        if m.id == id_ and isinstance(m, CheckedRule):
            out.append(new)
        elif isinstance(m, Container):
            out.append(attrs.evolve(m, members=_swap(m.members, id_, new)))
        elif m.parts:
            parts = tuple(p for p in _swap(m.parts, id_, new) if isinstance(p, CheckedRule))
            out.append(attrs.evolve(m, parts=parts))
        else:
            out.append(m)
    return tuple(out)


# ------------------------------------------------------------ who set a threshold


def set_by(ruleset: RuleSet, rule: CheckedRule) -> tuple[Origin, ...]:
    """Where the requirement of ``rule`` and the thresholds it reads were set: the rule's
    own origin, and those of the values it reads (through other values and ``let``
    bindings), of their keyed entries and dated periods; one per rule set and file, the
    national (deepest) first.  Empty for a rule set that extends nothing: one file set
    everything.

    Args:
        ruleset: the checked (merged) rule set.
        rule: one of its items, parts or rules.
    """
    if not ruleset.parents:
        return ()
    cache = _set_by_cache(ruleset)
    known = cache.get(id(rule))
    if known is None:
        known = cache[id(rule)] = _set_by(ruleset, rule)
    return known


#: Per rule set (while it lives): id of a rule → its :func:`set_by`.  The walk costs as
#: much as evaluating a small county, and the engine asks for every item on every run.
_SET_BY: dict[int, tuple[weakref.ref[RuleSet], dict[int, tuple[Origin, ...]]]] = {}
_SET_BY_LOCK = threading.Lock()


def _set_by_cache(ruleset: RuleSet) -> dict[int, tuple[Origin, ...]]:
    """The :func:`set_by` cache of ``ruleset`` (its rules live as long as it does, so
    their ids are stable keys); dropped when the rule set is collected."""
    key = id(ruleset)
    with _SET_BY_LOCK:
        entry = _SET_BY.get(key)
        if entry is None or entry[0]() is not ruleset:
            def forget(_: weakref.ref[RuleSet], k: int = key) -> None:
                _SET_BY.pop(k, None)

            entry = _SET_BY[key] = (weakref.ref(ruleset, forget), {})
        return entry[1]


def _set_by(ruleset: RuleSet, rule: CheckedRule) -> tuple[Origin, ...]:
    """:func:`set_by`, computed."""
    found: dict[tuple[str, str], Origin] = {}

    def add(o: Origin | None) -> None:
        if o is not None:
            found.setdefault((o.ruleset, o.file), o)

    add(rule.origin)
    stack: list[object] = [e for e in (rule.applies, rule.require, rule.basically) if e is not None]
    stack += [e for _, e in rule.lets]
    seen: set[str] = set()
    while stack:
        x = stack.pop()
        if isinstance(x, ValueRef):
            if x.name not in seen and x.name in ruleset.values:
                seen.add(x.name)
                value = ruleset.values[x.name]
                add(value.origin)
                stack.append(value.value)
            continue
        if isinstance(x, (KeyedEntryValue, PeriodValue)):
            add(x.origin)
        if attrs.has(type(x)) and not isinstance(x, (Type, SourceRef, Origin)):
            for a in attrs.fields(type(x)):  # type: ignore[arg-type]
                v = getattr(x, a.name)
                stack.extend(v if isinstance(v, tuple) else (v,))
    depth = {rid: i for i, rid in enumerate(ruleset.lineage)}
    return tuple(sorted(found.values(), key=lambda o: -depth.get(o.ruleset, 0)))
