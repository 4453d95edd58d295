"""Write the registry tables of docs/language.md: built-ins, combination rules, settings.

The tables sit between marker comments in ``docs/language.md``::

    <!-- BEGIN GENERATED builtins: python scripts/gen_language_tables.py -->
    …
    <!-- END GENERATED builtins -->

and are generated from the registries the checker and the evaluator read:
:data:`eduint.checking.builtins.BUILTINS` (functions and aggregates),
:data:`eduint.checking.builtins.COMBINERS` (``combine``) and
:data:`eduint.checking.settings.SETTINGS`.  Everything outside the markers is left as
it is.  ``tests/test_registries_docs.py`` checks that the file in the tree is up to date.

Usage::

    python scripts/gen_language_tables.py            # rewrite the tables in place
    python scripts/gen_language_tables.py --check    # exit 1 if they are out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from eduint.checking.builtins import BUILTINS, COMBINERS, Builtin, BuiltinKind
from eduint.checking.settings import SETTINGS, Direction, SettingKind, SettingSpec

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "docs" / "language.md"
SCRIPT = "python scripts/gen_language_tables.py"


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _code(names: Iterable[str]) -> str:
    return ", ".join(f"`{n}`" for n in names) or "—"


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def _arity(b: Builtin) -> str:
    lo, hi = b.arity
    return str(lo) if lo == hi else f"{lo}–{hi}"


def _builtins_rows(kind: BuiltinKind) -> list[list[str]]:
    return [
        [f"`{b.name}`", _code(b.aliases), _arity(b), b.summary_en, b.summary]
        for b in BUILTINS
        if b.kind is kind
    ]


def builtins_block() -> list[str]:
    """The tables of plain functions and of aggregates, from BUILTINS."""
    lines = ["**Plain functions**", ""]
    lines += _table(
        ["function", "other names", "arguments", "meaning", "含义"],
        _builtins_rows(BuiltinKind.FUNCTION),
    )
    lines += [
        "",
        "**Aggregates** combine the figures of the entities *below* the rule's entity: "
        "`NAME(ARGUMENTS over E where c)`.",
        "",
    ]
    lines += _table(
        ["aggregate", "other names", "arguments before `over`", "meaning", "含义"],
        _builtins_rows(BuiltinKind.AGGREGATE),
    )
    return lines


def combiners_block() -> list[str]:
    """The table of ``combine`` rules, from COMBINERS (the first is the default)."""
    rows = [
        [
            f"`{c.name}`" + (" (default)" if i == 0 else ""),
            _code(c.aliases),
            c.summary_en,
            c.summary,
        ]
        for i, c in enumerate(COMBINERS)
    ]
    return _table(["combine", "other names", "meaning", "含义"], rows)


_DIRECTIONS = {
    Direction.STRICTER_IF_HIGHER: "a higher value is stricter",
    Direction.LOOSER_IF_HIGHER: "a higher value is looser",
    Direction.STRICTER_IF_TRUE: "`true` is stricter",
    Direction.LOOSER_IF_TRUE: "`true` is looser",
    Direction.METHOD: "method (neither stricter nor looser)",
    Direction.DISPLAY: "display only (no verdict changes)",
}

_KINDS = {
    SettingKind.NUMBER: "number",
    SettingKind.BOOL: "`true` or `false`",
    SettingKind.WEIGHTS: "weights `by segment { … }`",
    SettingKind.FIELDS: "list of school fields `[…]`",
}


def _kind(s: SettingSpec) -> str:
    if s.kind is SettingKind.SYMBOL:
        return "one of " + ", ".join(f"`{c.value}` ({c.text_en})" for c in s.choices)
    return _KINDS[s.kind]


def settings_block() -> list[str]:
    """The table of settings, from SETTINGS."""
    rows = [
        [
            f"`{s.name}`",
            s.label,
            _kind(s),
            f"`{s.default}`",
            f"{s.meaning_en} ({s.meaning})",
            _DIRECTIONS[s.direction],
            s.provisional or "—",
            s.source,
        ]
        for s in SETTINGS.values()
    ]
    header = [
        "setting",
        "Chinese name",
        "value",
        "default",
        "meaning",
        "strictness",
        "default provisional because",
        "source",
    ]
    return _table(header, rows)


#: Block name → the function that renders it.
BLOCKS: dict[str, Callable[[], list[str]]] = {
    "builtins": builtins_block,
    "combiners": combiners_block,
    "settings": settings_block,
}

_MARKERS = re.compile(
    r"(?P<begin><!-- BEGIN GENERATED (?P<name>\w+): [^>]*-->\n)"
    r"(?P<body>.*?)"
    r"(?P<end><!-- END GENERATED (?P=name) -->)",
    re.DOTALL,
)


def render(text: str) -> str:
    """Return ``text`` with every generated block rewritten from the registries.

    Raises:
        ValueError: a block of BLOCKS is missing from the text, or appears twice, or the
            text has a block this script does not know.
    """
    seen: list[str] = []

    def replace(m: re.Match[str]) -> str:
        name = m["name"]
        if name not in BLOCKS:
            raise ValueError(f"unknown generated block {name!r}")
        seen.append(name)
        begin = f"<!-- BEGIN GENERATED {name}: {SCRIPT} -->\n"
        return begin + "\n".join(BLOCKS[name]()) + "\n" + m["end"]

    out = _MARKERS.sub(replace, text)
    if sorted(seen) != sorted(BLOCKS):
        raise ValueError(f"expected each of {sorted(BLOCKS)} once, found {sorted(seen)}")
    return out


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check``, compare) the tables in docs/language.md.

    Returns:
        The exit status: 0, or 1 when ``--check`` finds the tables out of date.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the tables are out of date"
    )
    args = parser.parse_args(argv)
    current = TARGET.read_text(encoding="utf-8")
    text = render(current)
    where = TARGET.relative_to(REPO)
    if args.check:
        if current != text:
            print(f"{where} is out of date; run: {SCRIPT}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_bytes(text.encode("utf-8"))
    print(f"wrote {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
