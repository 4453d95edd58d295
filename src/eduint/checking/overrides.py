"""Overrides of a rule set's settings and named values for one run (``--set``).

``eduint check --set NAME=VALUE`` (repeatable) and ``eduint.run(…, settings=…,
values=…)`` replace a setting (``subtract_indoor_sports=false``, or by its Chinese
label ``室内体育用房扣除=false``), a whole named value (``班额上限=40``) or one key of a
keyed value (``差异系数上限.初中=0.40``).  The new value is read by the rules
language's own parser and checked by its checker, exactly as if the rule file said
it: units, keys and kinds; a bare number takes the unit of the value it replaces.
Mistakes are :class:`~eduint.errors.RuleSyntaxError` / :class:`~eduint.errors.RuleCheckError`
diagnostics whose source line is the ``--set`` argument.

Every override is recorded as an :class:`Override` with its strictness verdict:

* a setting follows its declared :class:`~eduint.checking.settings.Direction`
  (a method setting changed is ``method``; a display setting is ``same``);
* a value is compared old against new in the direction of the comparisons that use
  it: raising a floor (``figure >= value``) is stricter, raising a ceiling
  (``figure <= value``) looser, and a use in ``applies when`` counts the other way
  round (applying to more entities is stricter).  Arithmetic is followed (``85% *
  value``, ``students / value``); uses the analysis cannot sign (``==``, a CV, a
  count's filter) make it ``undecided``.  A keyed value is judged key by key: one key
  loosened makes the override looser.

An override that loosens, changes method or is undecided is an *uncited relaxation*
(:attr:`Override.uncited`): ``--set`` gives no citation.  Provincial layering
(issue 15) reuses :func:`apply_overrides` and the verdicts, adding citations.
"""

from __future__ import annotations

import enum
import re
import sys
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import attrs

from eduint import _cache
from eduint._resources import grammar_text
from eduint._version import __version__
from eduint.checking._context import Ctx
from eduint.checking._values import ValueChecker
from eduint.checking.ruleset import (
    Const,
    DatedValue,
    KeyedEntryValue,
    KeyedValue,
    NamedValue,
    RExpr,
    RuleSet,
    SettingValue,
    SourceRef,
    Type,
    ValueRef,
)
from eduint.checking.schema import build_schema
from eduint.checking.settings import SETTING_ALIASES, SETTINGS, Direction
from eduint.checking.strictness import (
    Strictness,
    setting_verdict,
    show_value,
    value_direction,
    value_verdict,
)
from eduint.errors import EduintError, RuleCheckError, RuleSyntaxError
from eduint.language import nodes as n
from eduint.language.diagnostics import Diagnostic, Span, did_you_mean
from eduint.language.parser import parse

__all__ = [
    "Assignment",
    "Override",
    "OverrideKind",
    "Strictness",
    "affected_rules",
    "apply_overrides",
    "show_value",
]

#: The file name of ``--set`` diagnostics (their source line is the argument).
SET_FILE = "--set"


class OverrideKind(str, enum.Enum):
    """What an override replaces."""

    SETTING = "setting"
    VALUE = "value"


@attrs.frozen
class Override:
    """One override of a run, with its strictness verdict.

    Attributes:
        kind: a setting or a named value.
        name: the setting's canonical (English) name, or the value's name.
        key: the key of a keyed value replaced alone (``初中``), or ``None``.
        old: the value it replaces, as canonical rule text (``0.45``, ``true``).
        new: the new value, as canonical rule text.
        verdict: how it moves strictness.
        uncited: True when it loosens, changes method or is undecided: a relaxation
            no document is cited for (``--set`` cites none).
        argument: the override as given (``差异系数上限.初中=0.40``).
        title: the setting's Chinese label, or the value's title (``None`` if untitled).
        title_en: the setting's or value's English label, or ``None``.
    """

    kind: OverrideKind
    name: str
    key: str | None
    old: str
    new: str
    verdict: Strictness
    uncited: bool
    argument: str
    title: str | None = None
    title_en: str | None = None


_NAME_KEY = re.compile(r"^\s*([^\s=＝.]+)(?:\.([^\s=＝.]+))?\s*[=＝]")


@attrs.frozen
class Assignment:
    """One override request: ``NAME[.KEY]=VALUE``.

    Attributes:
        name: the setting or value name as written.
        key: the key after ``.``, or ``None``.
        value: the value text (rule syntax: ``0.40``, ``40 人``, ``false``).
        argument: the whole request as written (the source line of its diagnostics).
        offset: where :attr:`value` starts in :attr:`argument` (0-based).
        kind: the kind the name must have (``settings=`` or ``values=`` of
            :func:`eduint.run`), or ``None`` for either (``--set``).
    """

    name: str
    key: str | None
    value: str
    argument: str
    offset: int
    kind: OverrideKind | None = None

    @classmethod
    def parse(cls, argument: str, kind: OverrideKind | None = None) -> Assignment:
        """Read ``NAME=VALUE`` or ``NAME.KEY=VALUE`` (``＝`` also accepted).

        Raises:
            EduintError: no ``=``, no name, or no value (the message names the argument).
        """
        m = _NAME_KEY.match(argument)
        value = argument[m.end() :] if m else ""
        if m is None or not value.strip() or "\n" in argument:
            raise EduintError(
                f"error: --set {argument}: expected NAME=VALUE or NAME.KEY=VALUE on one "
                "line, e.g. --set 室内体育用房扣除=false or --set 差异系数上限.初中=0.40"
            )
        return cls(m[1], m[2], value, argument, m.end(), kind)

    @classmethod
    def of(cls, name: str, value: object, kind: OverrideKind) -> Assignment:
        """An override given in Python (``settings={"subtract_indoor_sports": False}``).

        Args:
            name: ``NAME`` or ``NAME.KEY``.
            value: rule text (``"40 人"``), a bool, an int, a :class:`~decimal.Decimal`,
                a :class:`~fractions.Fraction` with a finite decimal, or a float.

        Raises:
            EduintError: a value of another type, or a fraction with no finite decimal.
        """
        return cls.parse(f"{name}={_rule_text(name, value)}", kind)


def _rule_text(name: str, value: object) -> str:
    """A Python value as rule text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Fraction):
        d = Decimal(value.numerator) / Decimal(value.denominator)
        if Fraction(d) == value:
            return str(d)
    raise EduintError(
        f"error: {name}: cannot write {value!r} as a value; give rule text such as "
        f"'40 人', '0.40' or 'false'"
    )


# ------------------------------------------------------------------- applying


def apply_overrides(
    ruleset: RuleSet, overrides: Iterable[str | Assignment]
) -> tuple[RuleSet, tuple[Override, ...]]:
    """The rule set with the overrides applied, and one :class:`Override` for each.

    Args:
        ruleset: a checked rule set (not changed).
        overrides: ``NAME[.KEY]=VALUE`` texts (as ``--set`` takes them) or
            :class:`Assignment`\\ s, applied in order (a later one sees the earlier).

    Returns:
        ``(ruleset, overrides)``: a new rule set when there is any override (its
        settings and values replaced, each citing ``--set …``), else ``ruleset`` itself.

    Raises:
        EduintError: a request that is not ``NAME=VALUE``.
        RuleSyntaxError: a value that does not parse (diagnostics on the argument).
        RuleCheckError: an unknown setting or value (``E107``), an unknown key or a key
            of something not keyed (``E106``), a value of the wrong kind (``E309``,
            ``E205``) or unit (``E201``).
    """
    done: list[Override] = []
    for request in overrides:
        a = request if isinstance(request, Assignment) else Assignment.parse(request)
        ruleset, record = _apply_one(ruleset, a)
        done.append(record)
    return ruleset, tuple(done)


def _apply_one(ruleset: RuleSet, a: Assignment) -> tuple[RuleSet, Override]:
    canon = SETTING_ALIASES.get(a.name) if a.kind is not OverrideKind.VALUE else None
    if canon is not None:
        return _apply_setting(ruleset, a, canon)
    if a.name in ruleset.values and a.kind is not OverrideKind.SETTING:
        return _apply_value(ruleset, a)
    names: list[str] = []
    if a.kind is not OverrideKind.VALUE:
        names += list(SETTING_ALIASES)
    if a.kind is not OverrideKind.SETTING:
        names += list(ruleset.values)
    what = {None: "setting or value", OverrideKind.SETTING: "setting"}.get(a.kind, "value")
    sug = did_you_mean(a.name, names)
    raise _error(
        a,
        "E107",
        f"unknown {what} '{a.name}' in rule set {ruleset.id}",
        0,
        len(a.name),
        f"did you mean '{sug}'?"
        if sug
        else "settings: docs/language.md#settings; values: the rule file's `value` lines",
    )


def _apply_setting(ruleset: RuleSet, a: Assignment, canon: str) -> tuple[RuleSet, Override]:
    spec = SETTINGS[canon]
    old = ruleset.settings[canon]
    checker = _checker(ruleset, f"setting {canon} = ", a)
    if a.key is not None:
        new_entry = _keyed_part(checker, ruleset, a, old.value)
        new = _replace_key(old.value, a.key, new_entry)
    else:
        decl = checker.tree.decls[0]
        assert isinstance(decl, n.Setting)
        checked = checker._setting_value(spec, decl.value, decl.span)
        _raise(checker, a)
        assert checked is not None
        new = _same_unit(checker, a, old.value, checked)
    cite = (SourceRef(None, None, f"--set {a.argument.strip()}"),)
    value = SettingValue(canon, new, True, cite)
    settings = {**ruleset.settings, canon: value}
    verdict = setting_verdict(spec.direction, _at_key(old.value, a.key), _at_key(new, a.key))
    record = Override(
        OverrideKind.SETTING,
        canon,
        a.key,
        show_value(_at_key(old.value, a.key)),
        show_value(_at_key(new, a.key)),
        verdict,
        _uncited(verdict),
        a.argument.strip(),
        spec.label,
        spec.label_en,
    )
    return attrs.evolve(ruleset, settings=settings), record


def _apply_value(ruleset: RuleSet, a: Assignment) -> tuple[RuleSet, Override]:
    old = ruleset.values[a.name]
    checker = _checker(ruleset, "value _ = ", a)
    if a.key is not None:
        new_entry = _keyed_part(checker, ruleset, a, old.value)
        new = _replace_key(old.value, a.key, new_entry)
    else:
        decl = checker.tree.decls[0]
        assert isinstance(decl, n.ValueDecl)
        checked = checker.expr(decl.value, Ctx(None, {}))
        _raise(checker, a)
        new = _same_unit(checker, a, old.value, checked)
    cite = (SourceRef(None, None, f"--set {a.argument.strip()}"),)
    value = attrs.evolve(old, value=new, sources=cite, provisional=None, provisional_en=None)
    values: dict[str, NamedValue] = {**ruleset.values, a.name: value}
    changed = attrs.evolve(ruleset, values=values)
    direction = value_direction(ruleset, a.name)
    verdict = value_verdict(direction, _at_key(old.value, a.key), _at_key(new, a.key))
    record = Override(
        OverrideKind.VALUE,
        a.name,
        a.key,
        show_value(_at_key(old.value, a.key)),
        show_value(_at_key(new, a.key)),
        verdict,
        _uncited(verdict),
        a.argument.strip(),
        old.title,
        old.title_en,
    )
    return changed, record


def _uncited(verdict: Strictness) -> bool:
    return verdict in (Strictness.LOOSER, Strictness.METHOD, Strictness.UNDECIDED)


# ------------------------------------------------------- parsing and checking


class _SetChecker(ValueChecker):
    """The checker of one override's value: it knows the rule set's values and fields,
    and its diagnostics point into the argument (see :func:`_raise`).

    Attributes:
        shift: columns from the parsed text (``value _ = …``) to the argument.
    """

    def __init__(self, tree: n.RuleFile, ruleset: RuleSet, shift: int) -> None:
        super().__init__(tree)
        self.values = dict(ruleset.values)
        self.schema = build_schema(list(ruleset.extra_fields))
        self.shift = shift


def _checker(ruleset: RuleSet, prefix: str, a: Assignment) -> _SetChecker:
    """Parse ``prefix + value`` (a one-line declaration) and get its checker."""
    shift = a.offset - len(prefix)
    try:
        tree = _parsed(prefix + a.value)
    except RuleSyntaxError as exc:
        raise RuleSyntaxError(
            [_shift(d, shift) for d in exc.diagnostics], {SET_FILE: a.argument}
        ) from None
    return _SetChecker(tree, ruleset, shift)


def _parsed(text: str) -> n.RuleFile:
    """``parse(text, file=SET_FILE)``, the tree kept in the per-user cache
    (:mod:`eduint._cache`, keyed like a checked rule set): a run repeating an override
    (``--set subtract_indoor_sports=false``) loads neither lark nor its tables, some
    40 ms.  A text that does not parse is never cached (RuleSyntaxError as usual)."""
    key = _cache.cache_key(
        "set-tree",
        text,
        grammar_text(),
        __version__,
        _cache.source_fingerprint(),
        f"{sys.version_info[0]}.{sys.version_info[1]}",
    )
    tree = _cache.load_object("settree", key)
    if isinstance(tree, n.RuleFile):
        return tree
    tree = parse(text, file=SET_FILE)
    _cache.store_object("settree", key, tree)
    return tree


def _shift(d: Diagnostic, by: int) -> Diagnostic:
    """A diagnostic on the parsed text moved onto the argument it came from."""
    if d.span is None:
        return d
    span = attrs.evolve(
        d.span, column=max(1, d.span.column + by), end_column=max(1, d.span.end_column + by)
    )
    return attrs.evolve(d, span=span)


def _raise(checker: _SetChecker, a: Assignment) -> None:
    """Raise the checker's errors, if any, as diagnostics on the argument."""
    if checker.diags:
        shifted = [_shift(d, checker.shift) for d in checker.diags]
        raise RuleCheckError(shifted, {SET_FILE: a.argument})


def _error(
    a: Assignment, code: str, message: str, start: int, end: int, hint: str
) -> RuleCheckError:
    """A diagnostic on characters ``start``–``end`` (0-based) of the argument."""
    span = Span(SET_FILE, 1, start + 1, 1, max(end, start + 1) + 1)
    return RuleCheckError([Diagnostic(code, message, span, hint)], {SET_FILE: a.argument})


def _keyed_part(checker: _SetChecker, ruleset: RuleSet, a: Assignment, old: RExpr) -> RExpr:
    """The new value of one key, checked (``E106`` when the value is not keyed by it)."""
    assert a.key is not None
    start = len(a.name) + 1
    if not isinstance(old, KeyedValue):
        shape = "dated" if isinstance(old, DatedValue) else "not keyed"
        raise _error(
            a,
            "E106",
            f"'{a.name}' is {shape}: it has no key '{a.key}'",
            start,
            start + len(a.key),
            f"set the whole value: --set {a.name}=…",
        )
    keys = [k for e in old.entries for k in e.keys]
    if a.key not in keys:
        sug = did_you_mean(a.key, keys)
        raise _error(
            a,
            "E106",
            f"'{a.key}' is not a key of '{a.name}' (keys: {', '.join(keys)})",
            start,
            start + len(a.key),
            f"did you mean '{sug}'?" if sug else f"use one of: {', '.join(keys)}",
        )
    decl = checker.tree.decls[0]
    expr = decl.value if isinstance(decl, (n.ValueDecl, n.Setting)) else None
    assert expr is not None
    checked = checker.expr(expr, Ctx(None, {}))
    _raise(checker, a)
    return _same_unit(checker, a, _at_key(old, a.key), checked)


def _same_unit(checker: _SetChecker, a: Assignment, old: RExpr, new: RExpr) -> RExpr:
    """``new`` in ``old``'s kind and unit: a bare number takes ``old``'s unit (``40`` for
    a value in 人 is 40 人); another dimension is ``E201``, another kind ``E205``."""
    ot, nt = old.type, new.type
    if ot.kind == "number" and nt.kind == "number":
        if isinstance(new, Const) and nt.literal and not ot.literal:
            return attrs.evolve(new, type=Type("number", ot.unit))
        # a bare threshold (0.45 for a CV) takes bare numbers, % and ‰ only
        if not ot.unit.same_dimension(nt.unit) and not nt.literal:
            raise _error(
                a,
                "E201",
                f"'{a.name}' is {_in(ot)}; the new value is {_in(nt)}",
                a.offset,
                len(a.argument.rstrip()),
                f"give it in {ot.unit.describe()}" if ot.unit.describe() else "give a bare number",
            )
        return new
    if ot.kind != nt.kind and "error" not in (ot.kind, nt.kind):
        raise _error(
            a,
            "E205",
            f"'{a.name}' is {ot.describe()}; the new value is {nt.describe()}",
            a.offset,
            len(a.argument.rstrip()),
            "give a value of the same kind",
        )
    return new


def _in(t: Type) -> str:
    """``in 人`` or ``a bare number``, for messages."""
    return f"in {t.unit.describe()}" if t.unit.describe() else "a bare number"


def _at_key(e: RExpr, key: str | None) -> RExpr:
    """The entry of ``key`` in a keyed value (``e`` itself without a key)."""
    if key is None or not isinstance(e, KeyedValue):
        return e
    return next(x.value for x in e.entries if key in x.keys)


def _replace_key(e: RExpr, key: str, new: RExpr) -> RExpr:
    """A keyed value with the entry of ``key`` replaced (split out of a shared entry)."""
    assert isinstance(e, KeyedValue)
    entries: list[KeyedEntryValue] = []
    for x in e.entries:
        if key not in x.keys:
            entries.append(x)
            continue
        rest = tuple(k for k in x.keys if k != key)
        if rest:
            entries.append(attrs.evolve(x, keys=rest))
        entries.append(KeyedEntryValue((key,), new, (SourceRef(None, None, "--set"),)))
    return attrs.evolve(e, entries=tuple(entries))


def affected_rules(ruleset: RuleSet, override: Override) -> frozenset[str]:
    """The ids of the items, parts and rules whose verdicts an override may change: for a
    value, those that read it (through other values and ``let`` bindings too); for a
    setting, every rule that computes (settings decide which schools count and how
    figures split), none for a display setting.  Reports mark these when the override is
    an uncited relaxation (``Flag.RELAXED``).

    Args:
        ruleset: the rule set the override was applied to.
        override: one of the overrides :func:`apply_overrides` returned.
    """
    if override.kind is OverrideKind.SETTING:
        if SETTINGS[override.name].direction is Direction.DISPLAY:
            return frozenset()
        return frozenset(r.id for r in ruleset.rules() if r.computed)
    readers = {override.name}
    changed = True
    while changed:  # values defined through the overridden one
        changed = False
        for name, v in ruleset.values.items():
            if name not in readers and _names_in(v.value) & readers:
                readers.add(name)
                changed = True
    out = set()
    for r in ruleset.rules():
        exprs = [e for e in (r.applies, r.require, r.basically) if e is not None]
        exprs += [e for _, e in r.lets]
        if any(_names_in(e) & readers for e in exprs):
            out.add(r.id)
    return frozenset(out)


def _names_in(e: RExpr) -> set[str]:
    """The named values an expression refers to (iterative walk)."""
    found: set[str] = set()
    stack: list[object] = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, ValueRef):
            found.add(x.name)
        elif isinstance(x, tuple):
            stack.extend(x)
        elif attrs.has(type(x)) and not isinstance(x, (Type, SourceRef)):
            stack.extend(getattr(x, a.name) for a in attrs.fields(type(x)))  # type: ignore[arg-type]
    return found
