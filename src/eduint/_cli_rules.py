"""``eduint rules`` (the bundled rule sets) and ``eduint rules show NAME`` (what a file
that extends a rule set can override); and what ``eduint lint`` needs for files that
extend another.  :mod:`eduint.cli` adds the ``rules`` group to ``eduint``.

Four tables: the sections and blocks, the items, parts and rules (scope, requirement),
the named values with their keys and dated periods, and the settings with the way a
change moves strictness, each with its citation and, for a rule set that extends
another, the file and line that set it.  ``--lang en`` shows English titles and headers
where the rule file gives them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import click

import eduint
from eduint import _cli_check, reporting
from eduint._cli_files import fail as _fail
from eduint._resources import bundled_rule_files, resource_dir
from eduint.checking.proof import Counterexample
from eduint.checking.resolver import RuleResolver, UnknownRuleSetError
from eduint.checking.ruleset import (
    CheckedRule,
    Container,
    DatedValue,
    KeyedValue,
    NamedValue,
    Origin,
    RExpr,
    RuleSet,
    SourceRef,
)
from eduint.checking.settings import SETTINGS, Direction
from eduint.checking.strictness import show_value
from eduint.errors import EduintError, RuleDiagnosticsError

__all__ = [
    "layered_child",
    "rules_command",
    "rules_show",
    "show_ruleset",
    "strictness_of",
    "verify_counterexample",
]

_USER_ERROR = 2  # eduint.cli.EXIT_USER_ERROR

_DIRECTION = {
    Direction.STRICTER_IF_HIGHER: ("higher is stricter", "调高更严"),
    Direction.LOOSER_IF_HIGHER: ("higher is looser", "调高更宽"),
    Direction.STRICTER_IF_TRUE: ("true is stricter", "true 更严"),
    Direction.LOOSER_IF_TRUE: ("true is looser", "true 更宽"),
    Direction.METHOD: ("method (needs relax)", "口径（须 relax）"),
    Direction.DISPLAY: ("display only", "仅显示"),
}

_HEADERS = {
    "members": (
        ("kind", "id", "title", "combine", "source"),
        ("类别", "标识", "标题", "合成", "出处"),
    ),
    "rules": (
        ("id", "kind", "scope", "requirement", "source"),
        ("标识", "类别", "范围", "要求", "出处"),
    ),
    "values": (
        ("value", "title", "keys", "periods", "value now", "source"),
        ("取值", "标题", "键", "时段", "取值内容", "出处"),
    ),
    "settings": (
        ("setting", "label", "value", "strictness", "source"),
        ("设置", "名称", "取值", "严格方向", "出处"),
    ),
}

_TITLES = {
    "members": ("Sections and blocks", "部分与板块"),
    "rules": (
        "Items, parts and rules (override LABEL { … })",
        "条目、分项与规则（override 标识 { … }）",
    ),
    "values": (
        "Values (override value NAME[.KEY] [from D until D] = …)",
        "取值（override value 名称[.键] [from 日期 until 日期] = …）",
    ),
    "settings": ("Settings (override setting NAME = …)", "设置（override setting 名称 = …）"),
}


#: Longest requirement or value shown whole (display characters); longer ones end in …
_WIDE = 60


def _short(text: str) -> str:
    return text if len(text) <= _WIDE else text[: _WIDE - 1] + "…"


def _cite(sources: tuple[SourceRef, ...], origin: Origin | None, layered: bool) -> str:
    text = "; ".join(str(s) for s in sources)
    if layered and origin is not None:
        where = f"{origin.file}:{origin.line}" if origin.line is not None else origin.file
        text = f"{text} ({where})" if text else where
    return text or "—"


def _members(ms: tuple[Container | CheckedRule, ...]) -> Iterator[Container]:
    for m in ms:
        if isinstance(m, Container):
            yield m
            yield from _members(m.members)


def _keys(e: RExpr) -> str:
    """The keys of a keyed value (of its periods when dated), nested ones joined by
    ``.``: ``小学, 初中``; ``东部.小学, …``."""
    found: dict[str, None] = {}

    def walk(x: RExpr, at: tuple[str, ...]) -> None:
        if isinstance(x, DatedValue):
            for p in x.periods:
                if p.value is not None:
                    walk(p.value, at)
        elif isinstance(x, KeyedValue):
            for entry in x.entries:
                for k in entry.keys:
                    walk(entry.value, (*at, k))
        elif at:
            found[".".join(at)] = None

    walk(e, ())
    return ", ".join(found) or "—"


def _periods(e: RExpr) -> str:
    if not isinstance(e, DatedValue):
        return "—"
    return "; ".join(
        f"{p.start.isoformat() if p.start else ''}–{p.end.isoformat() if p.end else ''}"
        for p in e.periods
    )


def _changed_parts(v: NamedValue) -> str:
    """The keys and periods of a value set by another file than the value itself
    (``初中: province.rules:8``)."""
    home = v.origin.file if v.origin is not None else None
    out: list[str] = []
    stack: list[tuple[RExpr, str]] = [(v.value, "")]
    while stack:
        e, at = stack.pop()
        if isinstance(e, KeyedValue):
            for entry in e.entries:
                where = ".".join(x for x in (at, ", ".join(entry.keys)) if x)
                o = entry.origin
                if o is not None and o.file != home:
                    out.append(f"{where}: {o.file}:{o.line}")
                else:
                    stack.append((entry.value, where))
        elif isinstance(e, DatedValue):
            for p in e.periods:
                rng = (
                    f"{p.start.isoformat() if p.start else ''}–{p.end.isoformat() if p.end else ''}"
                )
                where = " ".join(x for x in (at, rng) if x)
                if p.origin is not None and p.origin.file != home:
                    out.append(f"{where}: {p.origin.file}:{p.origin.line}")
                elif p.value is not None:
                    stack.append((p.value, where))
    return "; ".join(sorted(out))


def _value_row(v: NamedValue, en: bool, layered: bool) -> list[str]:
    title = (v.title_en if en and v.title_en else v.title) or ""
    if v.placeholder is not None:
        title += " [placeholder]" if en else "【待各省替换】"
    cite = _cite(v.sources, v.origin, layered)
    changed = _changed_parts(v) if layered else ""
    return [
        v.name,
        title,
        _keys(v.value),
        _periods(v.value),
        _short(show_value(v.value)),
        f"{cite}; {changed}" if changed else cite,
    ]


def _word(key: str, en: bool, fallback: str) -> str:
    """A catalogue word of ``eduint rules show`` (``show.…``), or ``fallback`` as it is
    (a combine expression, a kind the catalogue does not know)."""
    from eduint import reporting
    from eduint.reporting.messages import WORDS

    return reporting.say(key, "en" if en else "zh") if key in WORDS else fallback


def _rule_row(r: CheckedRule, en: bool, layered: bool) -> list[str]:
    scope = r.scope.spelling if en else r.scope.label
    if r.segments is not None:
        scope += f" [{', '.join(r.segments)}]"
    req = r.requirement_text or (
        _word("show.attested", en, "attested")
        if r.attested
        else _word("show.report_only", en, "report only")
    )
    if r.placeholder is not None:
        req += " [placeholder]" if en else "【待各省替换】"
    title = (r.title_en if en and r.title_en else r.title) or ""
    label = f"{r.id} {title}".strip()
    kind = _word(f"show.kind.{r.kind}", en, r.kind)
    return [label, kind, scope, _short(req), _cite(r.sources, r.origin, layered)]


def show_ruleset(ruleset: RuleSet, *, lang: str = "zh") -> str:
    """The four tables of ``eduint rules show``, as text.

    Args:
        ruleset: a checked rule set.
        lang: ``"zh"`` or ``"en"`` (headers and titles).
    """
    from eduint import reporting

    en = lang == "en"
    i = 0 if en else 1
    layered = bool(ruleset.parents)
    title = (ruleset.title_en if en and ruleset.title_en else ruleset.title) or ""
    out = [f"{ruleset.id}  {title}".rstrip()]
    if ruleset.version:
        out.append(f"version {ruleset.version}" if en else f"版本 {ruleset.version}")
    for p in ruleset.parents:
        out.append(f"extends {p.id} ({p.file})")
    blocks = {
        "members": [
            [
                _word(f"show.kind.{c.kind}", en, c.kind),
                c.id,
                (c.title_en if en and c.title_en else c.title) or "",
                _word(f"show.combine.{c.combine}", en, c.combine),
                _cite(c.sources, None, False),
            ]
            for c in _members(ruleset.members)
        ],
        "rules": [_rule_row(r, en, layered) for r in ruleset.rules()],
        "values": [_value_row(v, en, layered) for v in ruleset.values.values()],
        "settings": [
            [
                s.name,
                SETTINGS[s.name].label_en if en else SETTINGS[s.name].label,
                _short(show_value(s.value)),
                _DIRECTION[SETTINGS[s.name].direction][i],
                _cite(s.sources, s.origin, layered)
                if s.explicit
                else ("default" if en else "默认"),
            ]
            for s in ruleset.settings.values()
        ],
    }
    for name, rows in blocks.items():
        out.append("")
        out.append(_TITLES[name][i])
        out.append(reporting.table(rows, _HEADERS[name][i]) if rows else "—")
    return "\n".join(out)


def verify_counterexample(cx: Counterexample, parent: RuleSet, child: RuleSet) -> bool:
    """The engine's check of a layering counterexample (the engine is imported only when
    a file that extends another has one)."""
    from eduint.engine.verify import verifier

    return verifier(cx, parent, child)


def layered_child(path: Path, resolver: RuleResolver | None = None) -> tuple[RuleSet, RuleSet, str]:
    """For ``eduint lint --strictness FILE``: the file checked with every override kept
    (none refused), its parent, and how to name the parent.

    Args:
        path: a rule file that extends a rule set, or a bundled rule set's name.

    Raises:
        UnknownRuleSetError: no such file or bundled rule set.
        EduintError: the file does not parse or check, or extends nothing.
        OSError, UnicodeDecodeError: the file cannot be read.
    """
    from eduint import api
    from eduint.checking.checker import check_text

    if path.is_file():
        text = path.read_bytes().decode("utf-8")
        child = check_text(
            text, file=str(path), verify=verify_counterexample, refuse=False, resolver=resolver
        )
    else:  # a bundled rule set by name
        child = api.load_ruleset(str(path), resolver=resolver)
    if not child.parents:
        raise EduintError(f"error: {path} extends no rule set: give PARENT CHILD")
    first = child.parents[0]
    name = first.file.removeprefix("bundled:")
    return child, api.load_ruleset(name, resolver=resolver), f"{name} ({first.id})"


def strictness_of(files: Sequence[Path], resolver: RuleResolver | None = None) -> tuple[str, bool]:
    """``eduint lint --strictness``: the verdict of every change, as text.

    Args:
        files: one rule file that extends a rule set (its changes against its parent;
            what it relaxes, drops or fills in is marked and needs no proof), or PARENT
            and CHILD (rule files or bundled rule set names).
        resolver: how rule sets and parents are found (``--rule-root``; default: the
            bundled ones, each file reading below its own directory).

    Returns:
        The text, and whether some change is looser, undecided or a change of method
        without a relaxation.

    Raises:
        UnknownRuleSetError: no such file or bundled rule set.
        EduintError: a file does not parse or check, or (one file) extends nothing.
        OSError, UnicodeDecodeError: a file cannot be read.
    """
    from eduint import api
    from eduint.checking.changes import ChangeKind
    from eduint.engine.verify import prove_ruleset
    from eduint.reporting.strictness import strictness_text, uncited

    relaxed: frozenset[str] = frozenset()
    if len(files) == 1:
        child, parent, parent_name = layered_child(files[0], resolver)
        # what the child cites a document for (or fills in) needs no proof of strictness
        relaxed = frozenset(c.name for c in child.changes if c.kind is not ChangeKind.OVERRIDE)
        names = [parent_name, f"{files[0]} ({child.id})"]
    else:
        parent, child = (api.load_ruleset(str(f), resolver=resolver) for f in files)
        names = [f"{f} ({rs.id})" for f, rs in zip(files, (parent, child), strict=True)]
        # a child that extends the parent relaxes as it does when linted alone
        relaxed = frozenset(c.name for c in child.changes if c.kind is not ChangeKind.OVERRIDE)
    filled = frozenset(c.name for c in child.changes if c.kind is ChangeKind.PLACEHOLDER)
    results = prove_ruleset(parent, child)
    text = strictness_text(
        results, parent=names[0], child=names[1], relaxed=relaxed - filled, filled=filled
    )
    return text, bool(uncited(results, relaxed))


# ------------------------------------------------------------------ eduint rules


@click.group(name="rules", invoke_without_command=True)
@click.pass_context
def rules_command(ctx: click.Context) -> None:
    """List the bundled rule sets: id, title, version and file.

    Use the id or the file stem with `eduint check --rules NAME`. A bundled file that
    does not check is listed with its error on stderr (and the exit code is 2).
    `eduint rules show NAME` lists what a file that extends NAME can override.
    """
    if ctx.invoked_subcommand is not None:
        return
    files = bundled_rule_files()
    if not files:
        click.echo("no bundled rule sets")
        return
    root = resource_dir("rules")
    rows: list[list[str]] = []
    errors = 0
    for path in files:
        try:
            ruleset = eduint.load_ruleset(path)
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
        ctx.exit(_USER_ERROR)


@rules_command.command(name="show")
@click.argument("name")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Headers and titles in Chinese or English.",
)
@click.pass_context
def rules_show(ctx: click.Context, name: str, lang: str) -> None:
    """What a rule file that extends NAME can override: sections and blocks, items,
    parts and rules, values with their keys and periods, settings with the way a
    change moves strictness, each with its citation.

    NAME is a bundled rule set (file stem or id) or a rule file.
    """
    try:
        ruleset = eduint.load_ruleset(name)
    except UnknownRuleSetError as exc:
        _fail(ctx, _cli_check.unknown_rules_message(exc))
    except RuleDiagnosticsError as exc:
        _fail(ctx, _cli_check.rules_error_message(exc))
    except EduintError as exc:
        _fail(ctx, str(exc))
    click.echo(show_ruleset(ruleset, lang=lang))
