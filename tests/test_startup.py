"""Start-up: the private per-user cache, cached parser tables and rule sets, lazy imports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from eduint import _cache
from eduint._resources import bundled_rule_files, resource_dir
from eduint.checking import cached
from eduint.checking.checker import check_text
from eduint.language import parser

POSIX = os.name == "posix"
posix_only = pytest.mark.skipif(not POSIX, reason="owner and mode checks are POSIX")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache directory (not yet created) for one test."""
    directory = tmp_path / "cache" / "eduint"
    monkeypatch.setenv(_cache.CACHE_DIR_ENV, str(directory))
    monkeypatch.delenv(_cache.NO_CACHE_ENV, raising=False)
    return directory


def _entry(directory: Path, kind: str, key: str) -> Path:
    return directory / f"{kind}-{key}.cache"


# ------------------------------------------------------------------ the cache


def test_round_trip_creates_a_private_directory(cache: Path) -> None:
    """A stored payload reads back; the directory is created with mode 0700."""
    key = _cache.cache_key("a", "b")
    assert _cache.load("parser", key) is None
    _cache.store("parser", key, b"payload")
    assert b"payload" == _cache.load("parser", key)
    if POSIX:
        assert 0o700 == cache.stat().st_mode & 0o777
        assert 0o600 == _entry(cache, "parser", key).stat().st_mode & 0o777


def test_objects_round_trip(cache: Path) -> None:
    """Pickled objects read back equal; an entry that does not unpickle is a miss."""
    _cache.store_object("ruleset", "k1", {"x": (1, 2)})
    assert {"x": (1, 2)} == _cache.load_object("ruleset", "k1")
    _cache.store("ruleset", "k2", b"not a pickle")
    assert _cache.load_object("ruleset", "k2") is None


def test_keys_are_length_prefixed() -> None:
    """Parts are length-prefixed: ("ab", "c") and ("a", "bc") are different keys."""
    assert _cache.cache_key("ab", "c") != _cache.cache_key("a", "bc")
    assert _cache.cache_key("ab", "c") == _cache.cache_key("ab", b"c")
    assert 40 == len(_cache.cache_key("x"))


def test_damaged_entry_is_a_miss(cache: Path) -> None:
    """A payload that no longer matches its digest, or a truncated file, is a miss."""
    _cache.store("parser", "k", b"payload")
    path = _entry(cache, "parser", "k")
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 1
    path.write_bytes(bytes(blob))
    assert _cache.load("parser", "k") is None
    path.write_bytes(b"eduint")
    assert _cache.load("parser", "k") is None


@posix_only
def test_directory_open_to_others_is_refused(cache: Path) -> None:
    """A cache directory with group or other permissions is neither read nor written."""
    _cache.store("parser", "k", b"payload")
    cache.chmod(0o770)
    assert _cache.load("parser", "k") is None
    _cache.store("parser", "k2", b"other")
    assert not _entry(cache, "parser", "k2").exists()
    cache.chmod(0o700)
    assert b"payload" == _cache.load("parser", "k")


@posix_only
def test_directory_of_another_user_is_refused(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache directory owned by someone else is neither read nor written."""
    _cache.store("parser", "k", b"payload")
    real = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real + 1)
    assert _cache.load("parser", "k") is None
    _cache.store("parser", "k2", b"other")
    assert not _entry(cache, "parser", "k2").exists()


@posix_only
def test_symbolic_links_are_refused(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither a linked cache directory nor a linked entry is followed."""
    _cache.store("parser", "k", b"payload")
    # An entry that is a link to a file elsewhere.
    elsewhere = tmp_path / "planted"
    shutil.copy(_entry(cache, "parser", "k"), elsewhere)
    _entry(cache, "parser", "k").unlink()
    _entry(cache, "parser", "k").symlink_to(elsewhere)
    assert _cache.load("parser", "k") is None
    # A cache directory that is a link to a private directory elsewhere.
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    shutil.copy(elsewhere, real / "parser-k.cache")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    monkeypatch.setenv(_cache.CACHE_DIR_ENV, str(link))
    assert _cache.load("parser", "k") is None
    monkeypatch.setenv(_cache.CACHE_DIR_ENV, str(real))
    assert b"payload" == _cache.load("parser", "k")


@posix_only
def test_entry_writable_by_others_is_refused(cache: Path) -> None:
    """An entry that group or others could have written is not read."""
    _cache.store("parser", "k", b"payload")
    _entry(cache, "parser", "k").chmod(0o622)
    assert _cache.load("parser", "k") is None


def test_cache_can_be_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """EDUINT_NO_CACHE=1 turns the cache off; nothing is created."""
    monkeypatch.setenv(_cache.NO_CACHE_ENV, "1")
    assert _cache.cache_dir() is None
    _cache.store("parser", "k", b"payload")
    assert not cache.exists()
    monkeypatch.setenv(_cache.NO_CACHE_ENV, "0")
    assert cache == _cache.cache_dir()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG applies elsewhere")
def test_default_location_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without EDUINT_CACHE_DIR: $XDG_CACHE_HOME/eduint, a relative value being ignored."""
    monkeypatch.delenv(_cache.CACHE_DIR_ENV, raising=False)
    monkeypatch.delenv(_cache.NO_CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert tmp_path / "eduint" == _cache.cache_dir()
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert tmp_path / "home" / ".cache" / "eduint" == _cache.cache_dir()


def test_old_entries_are_pruned(cache: Path) -> None:
    """At most KEEP_PER_KIND entries of a kind are kept; other kinds are untouched."""
    _cache.store("ruleset", "keep", b"x")
    for i in range(_cache.KEEP_PER_KIND + 3):
        _cache.store("parser", f"k{i}", b"x")
        os.utime(_entry(cache, "parser", f"k{i}"), ns=(i * 10**9, i * 10**9))
    _cache.store("parser", "last", b"x")
    assert _cache.KEEP_PER_KIND == len(list(cache.glob("parser-*.cache")))
    assert _cache.load("parser", "last") is not None
    assert _cache.load("parser", "k0") is None
    assert _cache.load("ruleset", "keep") is not None


def test_unusable_location_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache path that cannot be a directory (a file is in the way) only costs time."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(_cache.CACHE_DIR_ENV, str(blocker / "eduint"))
    _cache.store("parser", "k", b"payload")
    assert _cache.load("parser", "k") is None


# ------------------------------------------------------------ parser tables


@pytest.fixture
def fresh_parser(cache: Path) -> Iterator[None]:
    """The parser cache of this process emptied before and after the test."""
    parser._lark.cache_clear()
    yield
    parser._lark.cache_clear()


@pytest.mark.slow
def test_parser_tables_are_cached_and_parse_alike(
    fresh_parser: None, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables are built once, stored, and a parser loaded from them parses alike."""
    texts = [p.read_text(encoding="utf-8") for p in bundled_rule_files()]
    built = [parser.parse(t, file="r.rules") for t in texts]
    assert 1 == len(list(cache.glob("parser-*.cache")))

    import lark

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tables should come from the cache, not be built")

    parser._lark.cache_clear()
    monkeypatch.setattr(lark.Lark, "__init__", no_build)
    assert built == [parser.parse(t, file="r.rules") for t in texts]
    # Errors come from the loaded tables too, with the same diagnostics.
    with pytest.raises(Exception) as loaded_err:
        parser.parse("rule x { require 1 >= }", file="bad.rules")
    monkeypatch.undo()
    parser._lark.cache_clear()
    monkeypatch.setenv(_cache.NO_CACHE_ENV, "1")
    with pytest.raises(Exception) as built_err:
        parser.parse("rule x { require 1 >= }", file="bad.rules")
    assert str(built_err.value) == str(loaded_err.value)


@pytest.mark.slow
def test_damaged_parser_entry_is_rebuilt(fresh_parser: None, cache: Path) -> None:
    """An entry lark cannot load is a miss: the tables are built again and replaced."""
    parser._lark()
    (entry,) = cache.glob("parser-*.cache")
    key = entry.name.removeprefix("parser-").removesuffix(".cache")
    _cache.store("parser", key, b"not lark tables")
    parser._lark.cache_clear()
    assert parser.parse("rule a { require 1 >= 0 }").decls
    assert _cache.load("parser", key) != b"not lark tables"


# --------------------------------------------------------- checked rule sets


def test_bundled_rule_set_is_cached(cache: Path) -> None:
    """A bundled rule file is checked once; the cached rule set equals a fresh check."""
    path = resource_dir("rules") / "youzhi-junheng-2017.rules"
    text = path.read_text(encoding="utf-8")
    first = cached.check_rule_text(text, file=str(path), path=path)
    assert 1 == len(list(cache.glob("ruleset-*.cache")))
    again = cached.check_rule_text(text, file=str(path), path=path)
    assert first == again == check_text(text, file=str(path))
    assert first.warnings == again.warnings
    # Another file name (spans carry it) or other text is another entry.
    cached.check_rule_text(text, file="other.rules", path=path)
    cached.check_rule_text(text + "\n", file=str(path), path=path)
    assert 3 == len(list(cache.glob("ruleset-*.cache")))


def test_other_rule_files_are_cached_by_content(cache: Path, tmp_path: Path) -> None:
    """A rule file outside the bundled rules directory is cached too, keyed by its text
    and name: the cached rule set equals a fresh check; an edit is another entry."""
    src = resource_dir("rules") / "jiben-junheng-2012.rules"
    copy = tmp_path / "mine.rules"
    shutil.copy(src, copy)
    assert cached.is_bundled(src) and not cached.is_bundled(copy)
    text = copy.read_text(encoding="utf-8")
    fresh = check_text(text, file=str(copy))
    first = cached.check_rule_text(text, file=str(copy), path=copy)
    assert 1 == len(list(cache.glob("ruleset-*.cache")))
    again = cached.check_rule_text(text, file=str(copy), path=copy)
    assert fresh == first == again and fresh.warnings == again.warnings
    assert 1 == len(list(cache.glob("ruleset-*.cache")))
    edited = text.replace("ruleset ", "# edited\nruleset ", 1)
    assert edited != text
    cached.check_rule_text(edited, file=str(copy), path=copy)
    assert 2 == len(list(cache.glob("ruleset-*.cache")))
    # text without a file is checked, not cached
    cached.check_rule_text(text + "\n", file="<string>")
    assert 2 == len(list(cache.glob("ruleset-*.cache")))


def test_rule_files_that_extend_are_not_cached(cache: Path, tmp_path: Path) -> None:
    """A file that extends another is checked every time (its parent's text is not in
    the key): an edited parent is seen at once."""
    parent = tmp_path / "parent.rules"
    parent.write_text(
        'ruleset p "P" {\n  version "1"\n}\n\nrule a {\n  require 在校生数 >= 1 人\n}\n',
        encoding="utf-8",
    )
    child = tmp_path / "child.rules"
    child_text = 'ruleset c "C" {\n  extends "parent.rules"\n  version "1"\n}\n'
    child.write_text(child_text, encoding="utf-8")
    first = cached.check_rule_text(child_text, file=str(child), path=child)
    assert first.parents and [r.id for r in first.rules()] == ["a"]
    assert [] == list(cache.glob("ruleset-*.cache"))
    parent.write_text(parent.read_text(encoding="utf-8").replace("rule a", "rule b"),
                      encoding="utf-8")
    again = cached.check_rule_text(child_text, file=str(child), path=child)
    assert [r.id for r in again.rules()] == ["b"]


def test_entries_read_are_kept_longest(cache: Path) -> None:
    """Pruning removes the least recently used entries: one read on every run stays
    while newer ones come and go."""
    _cache.store("ruleset", "used", b"x")
    os.utime(_entry(cache, "ruleset", "used"), ns=(10**9, 10**9))
    for i in range(_cache.KEEP_PER_KIND - 1):
        _cache.store("ruleset", f"d{i}", b"x")
        os.utime(_entry(cache, "ruleset", f"d{i}"), ns=((i + 2) * 10**9, (i + 2) * 10**9))
    assert _cache.load("ruleset", "used") == b"x"  # used now: the newest
    _cache.store("ruleset", "another", b"x")
    assert _cache.load("ruleset", "used") == b"x"
    assert _cache.load("ruleset", "d0") is None


def test_rule_set_key_depends_on_eduint_source(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edited eduint source (another fingerprint) does not read an older entry."""
    path = resource_dir("rules") / "jiben-junheng-2012.rules"
    text = path.read_text(encoding="utf-8")
    cached.check_rule_text(text, file=str(path), path=path)
    monkeypatch.setattr(_cache, "source_fingerprint", lambda: "0" * 64)
    cached.check_rule_text(text, file=str(path), path=path)
    assert 2 == len(list(cache.glob("ruleset-*.cache")))


# ------------------------------------------------------ the whole process

_PROBE = """
import json, sys
from eduint.cli import main
try:
    main(["check", "--example", "baoshan-2018"])
except SystemExit:
    pass
heavy = ("lark", "hypothesis", "openpyxl", "numpy", "pyarrow", "pandas", "interegular")
sys.stderr.write("MODULES " + json.dumps(sorted(
    m for m in sys.modules if m.split(".")[0] in heavy and "." not in m)) + "\\n")
"""


def _probe(env: dict[str, str]) -> tuple[str, list[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES "))
    return proc.stdout, json.loads(line.removeprefix("MODULES "))


@pytest.mark.slow
def test_check_example_imports_little(tmp_path: Path) -> None:
    """`eduint check --example baoshan-2018`: same report cold, warm and without cache;
    never numpy, pyarrow, pandas, openpyxl or hypothesis; warm, not even lark."""
    env = {**os.environ, _cache.CACHE_DIR_ENV: str(tmp_path / "c")}
    env.pop(_cache.NO_CACHE_ENV, None)
    cold_out, cold_mods = _probe(env)
    warm_out, warm_mods = _probe(env)
    none_out, _ = _probe({**env, _cache.NO_CACHE_ENV: "1"})
    assert "宝山区" in cold_out
    assert cold_out == warm_out == none_out
    assert set(cold_mods) <= {"lark", "interegular"}
    assert [] == warm_mods


def test_printer_needs_no_parser_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """unparse (which quotes labels that are keywords) works without lark's tables."""
    from eduint.language.printer import unparse

    tree = parser.parse('section "rule" "a keyword as a label" { rule a { require 1 >= 0 } }')

    def no_tables() -> None:
        raise AssertionError("the printer asked for the parser tables")

    monkeypatch.setattr(parser, "_lark", no_tables)
    parser._keywords.cache_clear()
    printed = unparse(tree)
    assert 'section "rule"' in printed


def test_importing_testing_does_not_import_hypothesis() -> None:
    """`import eduint.testing` leaves Hypothesis alone until a strategy is built."""
    code = (
        "import sys, eduint.testing as t\n"
        "assert 'hypothesis' not in sys.modules, 'imported on import'\n"
        "t.counties()\n"
        "assert 'hypothesis' in sys.modules, 'not imported when used'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------- lazy imports

# Imported by the code that needs them, never by a single-county text run.
_NEVER_FOR_A_COUNTY = ("numpy", "pyarrow", "pandas", "openpyxl", "polars", "hypothesis")
# eduint's own modules a text report of one county does not need: the strictness prover,
# the other commands, the other report formats (HTML needs Jinja2).
_NOT_FOR_A_TEXT_RUN = (
    "jinja2",
    "eduint._cli_rules",
    "eduint._cli_test",
    "eduint.authoring",
    "eduint.checking.proof",
    "eduint.checking.overrides",
    "eduint.engine.columnar",
    "eduint.reporting.html",
    "eduint.reporting.jsonfmt",
    "eduint.reporting.xlsx",
    "eduint.reporting.csvfmt",
    "eduint.reporting.schema",
)

_MODULES_AFTER = """
import json, sys
{body}
sys.stderr.write("MODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def _modules_after(body: str, env: dict[str, str] | None = None) -> tuple[str, set[str]]:
    """Run ``body`` in a fresh interpreter; its stdout and the modules it imported."""
    proc = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER.format(body=body)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in proc.stderr.splitlines() if x.startswith("MODULES "))
    return proc.stdout, set(json.loads(line.removeprefix("MODULES ")))


def _under(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The modules of ``modules`` that are one of ``names`` or inside one."""
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.fixture
def warm(cache: Path) -> dict[str, str]:
    """The environment of a run whose bundled rule sets are in the (fresh) cache."""
    import eduint

    for name in ("chengxiang-yitihua-2018", "youzhi-junheng-2017-resource"):
        eduint.load_ruleset(name)  # checked here, read from the cache by the run
    assert 2 == len(list(cache.glob("ruleset-*.cache")))
    return {**os.environ}


def test_check_example_imports_only_what_a_text_report_needs(warm: dict[str, str]) -> None:
    """`eduint check --example baoshan-2018` with its rule set in the cache: the report,
    and neither numpy, pyarrow, pandas nor openpyxl (issue 19), nor lark, the prover, the
    other commands or the other report formats."""
    body = (
        "from eduint.cli import main\n"
        "try:\n"
        "    main(['check', '--example', 'baoshan-2018'])\n"
        "except SystemExit:\n"
        "    pass"
    )
    out, modules = _modules_after(body, warm)
    assert "宝山区" in out and "总体结论" in out
    assert [] == _under(modules, _NEVER_FOR_A_COUNTY)
    assert [] == _under(modules, _NOT_FOR_A_TEXT_RUN)
    assert [] == _under(modules, ("lark",))


def test_import_eduint_imports_nothing_else() -> None:
    """`import eduint` imports no other eduint module than its version (the public names
    are imported when first used) and no third-party package."""
    _, modules = _modules_after("import eduint")
    assert ["eduint", "eduint._version"] == _under(modules, ("eduint",))
    assert [] == _under(modules, ("attrs", "attr", "click", "yaml", "lark", "wcwidth"))


def test_cli_and_a_cached_rule_set_import_no_engine(warm: dict[str, str]) -> None:
    """`import eduint.cli` and a bundled rule set read from the cache: no parser (lark,
    the syntax tree), no engine, no reports; the rule set read is the one checked here."""
    import eduint

    body = (
        "import eduint.cli, eduint\n"
        "rs = eduint.load_ruleset('youzhi-junheng-2017-resource')\n"
        "print(rs.id, len(list(rs.rules())))"
    )
    out, modules = _modules_after(body, warm)
    fresh = eduint.load_ruleset("youzhi-junheng-2017-resource")
    assert out.split() == [fresh.id, str(len(list(fresh.rules())))]
    heavy = ("lark", "eduint.language.nodes", "eduint.engine", "eduint.data.loading")
    assert [] == _under(modules, heavy + _NEVER_FOR_A_COUNTY + _NOT_FOR_A_TEXT_RUN)
    assert [] == _under(modules, ("eduint.reporting.build", "eduint.checking.checker"))


def test_every_public_name_resolves() -> None:
    """Each name of the ``__all__`` of ``eduint``, ``eduint.reporting`` and
    ``eduint.data.spreadsheets`` resolves (imported on first use) to the object its
    defining module has; ``dir()`` lists them before."""
    code = (
        "import eduint, eduint.reporting as r, eduint.data.spreadsheets as s, importlib\n"
        "for mod in (eduint, r, s):\n"
        "    assert set(mod.__all__) <= set(dir(mod)), mod\n"
        "    for name in mod.__all__:\n"
        "        value = getattr(mod, name)\n"
        "        home = mod._LAZY.get(name)\n"
        "        if home is not None:\n"
        "            assert value is getattr(importlib.import_module(home), name), name\n"
        "    assert set(mod._LAZY) <= set(dir(mod))\n"
        "print(len(eduint.__all__) + len(r.__all__) + len(s.__all__))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    import eduint
    from eduint import reporting
    from eduint.data import spreadsheets

    names = len(eduint.__all__) + len(reporting.__all__) + len(spreadsheets.__all__)
    assert int(proc.stdout) == names
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        eduint.nope  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        reporting.nope  # noqa: B018


def test_lazy_commands_are_listed_and_run() -> None:
    """`rules`, `test` and `testgen` (imported when asked for) are listed by `eduint
    --help` in order with the others, and `eduint rules show --help` keeps its epilog."""
    from click.testing import CliRunner

    from eduint.cli import main

    runner = CliRunner()
    listing = runner.invoke(main, ["--help"]).output.split("Commands:")[1]
    listed = [line.split()[0] for line in listing.splitlines() if line.startswith("  ")]
    commands = ["check", "examples", "fmt", "lint", "rules", "template", "test", "testgen"]
    assert commands == [w for w in listed if w in commands]
    shown = runner.invoke(main, ["rules", "show", "--help"])
    assert shown.exit_code == 0 and "Exit codes:" in shown.output
    assert "youzhi_junheng_2017" in runner.invoke(main, ["rules"]).output


def test_lazy_module_forwards_attributes() -> None:
    """A LazyModule imports its module on first use and forwards attributes."""
    from eduint._lazy import LazyModule

    lazy = LazyModule("eduint.core.dates")
    assert "not imported yet" in repr(lazy)
    from eduint.core import dates

    assert lazy.parse_as_of is dates.parse_as_of
    assert "(imported)" in repr(lazy)
    with pytest.raises(AttributeError):
        lazy.no_such_name  # noqa: B018


def test_a_repeated_override_needs_no_parser(warm: dict[str, str]) -> None:
    """An override seen before (``--set subtract_indoor_sports=false`` run after run) is
    read from the cache: no lark; the rule set and the record are those of a parse."""
    import eduint
    from eduint.checking.overrides import apply_overrides

    rs = eduint.load_ruleset("youzhi-junheng-2017-resource")
    fresh, (record,) = apply_overrides(rs, ["subtract_indoor_sports=false"])  # fills it
    body = (
        "import eduint\n"
        "from eduint.checking.overrides import apply_overrides\n"
        "rs = eduint.load_ruleset('youzhi-junheng-2017-resource')\n"
        "new, (record,) = apply_overrides(rs, ['subtract_indoor_sports=false'])\n"
        "print(record.verdict.name, new.settings['subtract_indoor_sports'].value)"
    )
    out, modules = _modules_after(body, warm)
    assert out.strip() == f"LOOSER {fresh.settings['subtract_indoor_sports'].value}"
    assert record.verdict.name == "LOOSER"
    assert [] == _under(modules, ("lark",))
    with pytest.raises(eduint.RuleSyntaxError):  # not cached, reported as ever
        apply_overrides(rs, ["subtract_indoor_sports=(("])
