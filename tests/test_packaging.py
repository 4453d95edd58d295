"""Packaging: the public API imports, the console script runs, and bundled data is found.

The data directories (grammar/, rules/, examples/) live at the repository top level. They
must be found both from an editable install (this test run) and from a built wheel, where
they are copied to ``eduint/_data/<kind>``.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import eduint
from eduint import _resources
from eduint._resources import (
    ResourceNotFoundError,
    bundled_examples,
    bundled_rule_files,
    resource_dir,
)

REPO = Path(__file__).resolve().parents[1]
KINDS = ("grammar", "rules", "examples")


def _clean_env(**extra: str) -> dict[str, str]:
    """The current environment without PYTHONPATH, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(extra)
    return env


def _imported_from_source_tree() -> bool:
    """Whether ``eduint`` is imported from this repository's ``src/`` (editable install)."""
    return Path(eduint.__file__).resolve().is_relative_to(REPO / "src")


# --- the public API ------------------------------------------------------------------


def test_all_names_import() -> None:
    """Every name in ``eduint.__all__`` exists, once, and imports with ``from eduint import``."""
    assert len(set(eduint.__all__)) == len(eduint.__all__)
    module = importlib.import_module("eduint")
    for name in eduint.__all__:
        assert hasattr(module, name), f"eduint.__all__ lists {name!r}, which is missing"
        namespace: dict[str, object] = {}
        exec(f"from eduint import {name}", namespace)
        assert namespace[name] is getattr(module, name)


def test_version_matches_metadata() -> None:
    """``eduint.__version__`` is the installed distribution's version, not a copy of it."""
    assert importlib.metadata.version("eduint") == eduint.__version__
    assert eduint.__version__ != "0+unknown"


def test_grammar_found_in_this_install() -> None:
    """The lark grammar is found; in an editable install, at the repository top level."""
    grammar = resource_dir("grammar") / "eduint.lark"
    assert grammar.is_file()
    if _imported_from_source_tree():
        assert REPO / "grammar" == resource_dir("grammar")


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_resolves_to_top_level_in_editable_install(kind: str) -> None:
    """In a source checkout each data directory resolves to ``<repo>/<kind>``."""
    if not _imported_from_source_tree():
        pytest.skip("eduint is not imported from this repository's src/")
    assert REPO / kind == resource_dir(kind)


# --- the console script --------------------------------------------------------------


def _console_script() -> Path:
    """The ``eduint`` script that pip installed next to the running interpreter."""
    script = Path(sys.executable).parent / "eduint"
    assert script.is_file(), f"no eduint console script next to {sys.executable}"
    return script


def test_console_script_help() -> None:
    """``eduint --help`` runs through the installed entry point and lists ``fmt``."""
    result = subprocess.run(
        [str(_console_script()), "--help"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=60,
    )
    assert 0 == result.returncode, result.stderr
    assert "fmt" in result.stdout
    assert "Exit codes" in result.stdout
    assert "" == result.stderr


def test_console_script_version() -> None:
    """``eduint --version`` prints the distribution's version."""
    result = subprocess.run(
        [str(_console_script()), "--version"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=60,
    )
    assert 0 == result.returncode, result.stderr
    assert f"eduint, version {eduint.__version__}" == result.stdout.strip()


# --- the resolver, on fake layouts ---------------------------------------------------


def _fake_checkout(root: Path) -> Path:
    """Lay out ``root`` like a source checkout and return its package directory."""
    package_dir = root / "src" / "eduint"
    package_dir.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'eduint'\n", encoding="utf-8")
    return package_dir


@pytest.mark.parametrize("kind", KINDS)
def test_locate_editable_layout_uses_top_level(tmp_path: Path, kind: str) -> None:
    """With no ``_data`` next to the package, the repository top-level directory is used."""
    package_dir = _fake_checkout(tmp_path)
    (tmp_path / kind).mkdir()
    assert tmp_path / kind == _resources._locate(kind, package_dir)


@pytest.mark.parametrize("kind", KINDS)
def test_locate_wheel_layout_prefers_packaged_copy(tmp_path: Path, kind: str) -> None:
    """When ``_data/<kind>`` exists it wins, even if a top-level directory exists too."""
    package_dir = _fake_checkout(tmp_path)
    (tmp_path / kind).mkdir()
    (package_dir / "_data" / kind).mkdir(parents=True)
    assert package_dir / "_data" / kind == _resources._locate(kind, package_dir)


def test_locate_missing_raises_file_not_found(tmp_path: Path) -> None:
    """With neither directory present, a ``FileNotFoundError`` subclass names both places."""
    package_dir = _fake_checkout(tmp_path)
    with pytest.raises(ResourceNotFoundError) as info:
        _resources._locate("rules", package_dir)
    assert isinstance(info.value, FileNotFoundError)
    message = str(info.value)
    assert str(package_dir / "_data" / "rules") in message
    assert str(tmp_path / "rules") in message


def test_locate_top_level_needs_pyproject(tmp_path: Path) -> None:
    """A same-named directory two levels up is ignored unless it is a project checkout."""
    package_dir = tmp_path / "lib" / "eduint"
    package_dir.mkdir(parents=True)
    (tmp_path / "grammar").mkdir()
    with pytest.raises(ResourceNotFoundError):
        _resources._locate("grammar", package_dir)


def test_locate_rejects_unknown_kind(tmp_path: Path) -> None:
    """An unknown kind is a programming error (ValueError), not a missing directory."""
    package_dir = _fake_checkout(tmp_path)
    (tmp_path / "docs").mkdir()
    with pytest.raises(ValueError, match="unknown resource kind 'docs'"):
        _resources._locate("docs", package_dir)


def test_bundled_files_are_filtered_recursive_and_sorted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rule and example listings recurse, keep only their suffixes and sort by path."""
    package_dir = _fake_checkout(tmp_path)
    rules = tmp_path / "rules"
    (rules / "provinces" / "浙江").mkdir(parents=True)
    for name in ("z.rules", "a.rules", "notes.md", "provinces/浙江/b.rules"):
        (rules / name).write_text("", encoding="utf-8")
    (rules / "dir.rules").mkdir()  # a directory with a rule-like name is not a file
    examples = tmp_path / "examples"
    (examples / "sub").mkdir(parents=True)
    for name in ("b.json", "a.YAML", "c.yml", "README.md", "sub/d.yaml", "e.csv"):
        (examples / name).write_text("", encoding="utf-8")
    monkeypatch.setattr(_resources, "_PACKAGE_DIR", package_dir)

    assert [
        rules / "a.rules",
        rules / "provinces" / "浙江" / "b.rules",
        rules / "z.rules",
    ] == bundled_rule_files()
    assert [
        examples / "a.YAML",
        examples / "b.json",
        examples / "c.yml",
        examples / "sub" / "d.yaml",
    ] == bundled_examples()


# --- a real wheel ----------------------------------------------------------------------

_PROBE = """
import json, sys
import eduint
from eduint._resources import bundled_rule_files, resource_dir
print(json.dumps({
    "file": eduint.__file__,
    "version": eduint.__version__,
    "dirs": {k: str(resource_dir(k)) for k in ("grammar", "rules", "examples")},
    "rules": [str(p) for p in bundled_rule_files()],
}))
"""


@pytest.mark.slow
def test_built_wheel_carries_and_finds_data(tmp_path: Path) -> None:
    """A wheel built via the sdist carries grammar, rules and examples, and finds them.

    ``python -m build`` makes the sdist and then builds the wheel from it, so this also
    checks that the sdist includes the top-level data directories. The wheel is installed
    into a private directory and imported from there, not from the editable install.
    """
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=900,
    )
    assert 0 == build.returncode, build.stdout + build.stderr
    (wheel,) = dist.glob("eduint-*.whl")
    (sdist,) = dist.glob("eduint-*.tar.gz")

    with tarfile.open(sdist) as archive:
        sdist_names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert "grammar/eduint.lark" in sdist_names
    assert any(n.startswith("rules/") and n.endswith(".rules") for n in sdist_names)
    assert "examples/README.md" in sdist_names
    with zipfile.ZipFile(wheel) as archive:
        wheel_names = set(archive.namelist())
    assert "eduint/_data/grammar/eduint.lark" in wheel_names
    assert "eduint/py.typed" in wheel_names

    site = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable, "-m", "pip", "install", "--no-deps", "--no-input",
            "--disable-pip-version-check", "--target", str(site), str(wheel),
        ],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=300,
    )  # fmt: skip
    assert 0 == install.returncode, install.stdout + install.stderr

    probe = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_clean_env(PYTHONPATH=str(site)),
        timeout=120,
    )
    assert 0 == probe.returncode, probe.stderr
    found = json.loads(probe.stdout)
    data = (site / "eduint" / "_data").resolve()
    assert Path(found["file"]).resolve().is_relative_to(site.resolve())
    for kind in KINDS:
        directory = Path(found["dirs"][kind]).resolve()
        assert data / kind == directory
        assert directory.is_dir()
    assert (data / "grammar" / "eduint.lark").is_file()
    assert found["rules"], "the wheel carries no *.rules files"
    for rule_file in found["rules"]:
        assert Path(rule_file).resolve().is_relative_to(data / "rules")
        assert rule_file.endswith(".rules")

    # The wheel's console-script entry point works too.
    script = subprocess.run(
        [str(site / "bin" / "eduint"), "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_clean_env(PYTHONPATH=str(site)),
        timeout=60,
    )
    assert 0 == script.returncode, script.stderr
    assert found["version"] in script.stdout

    # The main job runs from the installed wheel on its bundled example.
    example = subprocess.run(
        [str(site / "bin" / "eduint"), "check", "--example", "baoshan-2018"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_clean_env(PYTHONPATH=str(site)),
        timeout=120,
    )
    assert 1 == example.returncode, example.stdout + example.stderr
    assert "宝山区" in example.stdout and "未达到" in example.stdout
