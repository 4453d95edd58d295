"""Locate the data directories that ship with eduint: grammar, rules and examples.

The repository keeps ``grammar/``, ``rules/`` and ``examples/`` at its top level, so that
rule authors can browse ``rules/`` as a product of its own. They reach the installed package
in one of two ways:

* **Wheel install.** The wheel build copies each directory into the package as
  ``eduint/_data/<kind>`` (``[tool.hatch.build.targets.wheel.force-include]`` in
  ``pyproject.toml``).
* **Editable install or source checkout.** hatchling's force-include does not apply to
  editable installs, and the package is imported straight from ``src/eduint``. The
  directories are then found at the repository top level, two levels above the package
  directory (``src/eduint`` → ``src`` → repository root).

``resource_dir`` tries the packaged copy first and the repository top level second, so the
same code works in both install modes.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal, get_args

__all__ = [
    "ResourceKind",
    "ResourceNotFoundError",
    "bundled_examples",
    "bundled_rule_files",
    "grammar_text",
    "resource_dir",
]

ResourceKind = Literal["grammar", "rules", "examples"]
"""The names of the bundled data directories."""

_KINDS: tuple[str, ...] = get_args(ResourceKind)

_EXAMPLE_SUFFIXES = frozenset({".yaml", ".yml", ".json"})

_PACKAGE_DIR = Path(__file__).resolve().parent
"""The directory of the imported ``eduint`` package (``.../eduint``)."""


class ResourceNotFoundError(FileNotFoundError):
    """A bundled data directory (grammar, rules or examples) could not be found.

    This means the installation is broken: a wheel built without its ``_data`` directory,
    or a source tree whose top-level data directory was removed.
    """


def _locate(kind: str, package_dir: Path) -> Path:
    """Find the data directory ``kind`` for a package installed at ``package_dir``.

    This is the logic behind :func:`resource_dir`, with the package location as an
    argument so that tests can exercise both install layouts on a fake directory tree.

    Args:
        kind: One of ``"grammar"``, ``"rules"`` or ``"examples"``.
        package_dir: The directory holding the package's ``__init__.py``.

    Returns:
        ``package_dir / "_data" / kind`` if that directory exists (wheel install);
        otherwise ``package_dir.parents[1] / kind`` if that directory exists and
        ``package_dir.parents[1]`` holds a ``pyproject.toml`` (editable install or
        source checkout).

    Raises:
        ValueError: If ``kind`` is not a known kind.
        ResourceNotFoundError: If neither directory exists.
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {', '.join(_KINDS)}")
    packaged = package_dir / "_data" / kind
    if packaged.is_dir():
        return packaged
    # package_dir is <repo>/src/eduint, so parents[1] is <repo>. Requiring the
    # pyproject.toml keeps a stray directory of the same name next to some other
    # site-packages from being taken for ours.
    checkout = package_dir.parents[1]
    top_level = checkout / kind
    if top_level.is_dir() and (checkout / "pyproject.toml").is_file():
        return top_level
    raise ResourceNotFoundError(
        f"eduint's bundled {kind!r} directory is missing: looked for {packaged} "
        f"(installed wheel) and {top_level} (editable install or source checkout). "
        "The installation is incomplete; reinstall eduint."
    )


def resource_dir(kind: ResourceKind) -> Path:
    """Return the directory holding one kind of bundled data.

    Args:
        kind: ``"grammar"`` (the lark grammar, ``eduint.lark``), ``"rules"`` (the bundled
            ``*.rules`` files) or ``"examples"`` (example data files).

    Returns:
        An absolute path to an existing directory: ``eduint/_data/<kind>`` inside an
        installed wheel, or ``<repository>/<kind>`` for an editable install or a source
        checkout.

    Raises:
        ValueError: If ``kind`` is not one of the three kinds.
        ResourceNotFoundError: If the directory exists in neither place.
    """
    return _locate(kind, _PACKAGE_DIR)


def bundled_rule_files() -> list[Path]:
    """Return every bundled rule file.

    Returns:
        All ``*.rules`` files under the rules directory, at any depth, sorted by path.
        Empty if the directory holds no rule files.

    Raises:
        ResourceNotFoundError: If the rules directory itself is missing.
    """
    return sorted(p for p in resource_dir("rules").rglob("*.rules") if p.is_file())


def bundled_examples() -> list[Path]:
    """Return every bundled example data file, in every form.

    Returns:
        Under the examples directory, at any depth, sorted by path: the files whose
        names end in ``.yaml``, ``.yml`` or ``.json`` (case-insensitive), the workbooks
        (``.xlsx``), and the folders of CSV files (a folder holding a ``.csv`` file is
        one example, read as a whole).

    Raises:
        ResourceNotFoundError: If the examples directory itself is missing.
    """
    out = []
    for p in resource_dir("examples").rglob("*"):
        if p.is_file() and p.suffix.lower() in _EXAMPLE_SUFFIXES | {".xlsx"}:
            out.append(p)
        elif p.is_dir() and any(c.suffix.lower() == ".csv" for c in p.iterdir() if c.is_file()):
            out.append(p)
    return sorted(out)


@functools.cache
def grammar_text() -> str:
    """Return the text of ``grammar/eduint.lark`` (:mod:`eduint.language.parser` builds
    the parser from it; the rule-set cache keys on it without importing the parser).

    Raises:
        FileNotFoundError: the installation lacks the grammar file.
    """
    return (resource_dir("grammar") / "eduint.lark").read_text(encoding="utf-8")
