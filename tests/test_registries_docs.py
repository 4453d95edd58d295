"""docs/language.md lists the built-ins, combination rules and settings from the registries.

The tables between the ``<!-- BEGIN GENERATED … -->`` markers are written by
``scripts/gen_language_tables.py`` from :mod:`eduint.checking.builtins` and
:mod:`eduint.checking.settings`; these tests fail when the file in the tree is stale.
"""

from __future__ import annotations

import importlib.util
import re
import types
from pathlib import Path

import pytest

from eduint.checking.builtins import BUILTINS, COMBINERS
from eduint.checking.settings import SETTINGS

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "language.md"


def _script() -> types.ModuleType:
    """Import ``scripts/gen_language_tables.py`` as a module."""
    spec = importlib.util.spec_from_file_location(
        "_eduint_script_gen_language_tables", REPO / "scripts" / "gen_language_tables.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _block(text: str, name: str) -> str:
    m = re.search(
        rf"<!-- BEGIN GENERATED {name}: [^>]*-->\n(.*?)<!-- END GENERATED {name} -->",
        text,
        re.DOTALL,
    )
    assert m is not None, f"no generated block {name!r} in docs/language.md"
    return m[1]


def test_language_tables_are_up_to_date() -> None:
    """The registry tables in docs/language.md are what the script writes now."""
    text = DOC.read_text(encoding="utf-8")
    assert _script().render(text) == text, "run: python scripts/gen_language_tables.py"


def test_every_registry_entry_is_listed() -> None:
    """Every built-in (with its aliases), combination rule and setting has a row."""
    text = DOC.read_text(encoding="utf-8")
    builtins, combiners, settings = (_block(text, n) for n in ("builtins", "combiners", "settings"))
    rows = [ln for ln in builtins.splitlines() if ln.startswith("| `")]
    assert len(BUILTINS) == len(rows)
    for b, row in zip(BUILTINS, rows, strict=True):
        assert row.startswith(f"| `{b.name}` |")
        assert all(f"`{alias}`" in row for alias in b.aliases)
        assert b.summary_en in row
    for c in COMBINERS:
        assert f"| `{c.name}`" in combiners
    for s in SETTINGS.values():
        assert f"| `{s.name}` | {s.label} |" in settings
        assert f"`{s.default}`" in settings


def test_stale_tables_are_detected() -> None:
    """A table edited by hand, or a missing block, is caught."""
    gen = _script()
    text = DOC.read_text(encoding="utf-8")
    stale = text.replace("| `ceil` |", "| `ceiling` |", 1)
    assert stale != text
    assert gen.render(stale) == text
    without = re.sub(
        r"<!-- BEGIN GENERATED settings.*?END GENERATED settings -->", "", text, flags=re.DOTALL
    )
    with pytest.raises(ValueError, match="settings"):
        gen.render(without)


def test_check_option_reports_staleness(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--check`` exits 0 on the file in the tree and 1 on a stale copy."""
    gen = _script()
    assert 0 == gen.main(["--check"])
    stale = tmp_path / "language.md"
    stale.write_text(
        DOC.read_text(encoding="utf-8").replace("| `ceil` |", "| `x` |"), encoding="utf-8"
    )
    monkeypatch.setattr(gen, "TARGET", stale)
    monkeypatch.setattr(gen, "REPO", tmp_path)
    assert 1 == gen.main(["--check"])
