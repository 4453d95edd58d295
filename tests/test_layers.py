"""The package layout: import layers, no import cycles, lark only in language/, module size.

Every module under ``src/eduint`` is parsed with :mod:`ast`; every ``import`` and
``from … import`` in it counts, at module level, inside functions and under
``if TYPE_CHECKING:`` alike (a lower layer must not even name a higher layer's types).
The layers, lowest first (docs/design.md):

====  ===========================================================================
0     foundation: ``core/``, ``_compat``, ``_resources``, ``_cache``, ``_version``, ``_lazy``
1     ``language/`` and ``errors``
2     ``data/``
3     ``checking/``
4     ``engine/``
5     ``reporting/``
6     the public API (``eduint/__init__``, ``api``), ``cli``, ``testing``
====  ===========================================================================

A module may import modules of its own layer or of lower layers only.  A module imported
when first used (``LazyModule("eduint.x")``, a PEP 562 table of names) is named by a
string: a string that is exactly a module's dotted name counts as an import of it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "eduint"

#: Module name prefix → layer.  The longest matching prefix wins; a module that matches
#: none fails :func:`test_every_module_has_a_layer`, so a new top-level module gets a
#: layer on purpose.
LAYERS: dict[str, int] = {
    "eduint._compat": 0,
    "eduint._resources": 0,
    "eduint._cache": 0,
    "eduint._version": 0,
    "eduint._lazy": 0,
    "eduint.core": 0,
    "eduint.language": 1,
    "eduint.errors": 1,
    "eduint.data": 2,
    "eduint.checking": 3,
    "eduint.engine": 4,
    "eduint.engine.columnar": 4,  # the columnar engine (issue 18): numpy, imported lazily
    "eduint.reporting": 5,
    "eduint": 6,  # the package itself: the public API (exact match only, see layer_of)
    "eduint.api": 6,
    "eduint.cli": 6,
    "eduint._cli_check": 6,
    "eduint._cli_many": 6,
    "eduint._cli_synth": 6,
    "eduint._cli_rules": 6,
    "eduint._cli_files": 6,
    "eduint._cli_gaps": 6,  # eduint gaps (issue 20)
    "eduint._cli_sweep": 6,  # eduint sweep (issue 21)
    "eduint._cli_diff": 6,  # eduint diff (issue 21)
    "eduint._gaps_job": 6,  # eduint.gaps (issue 20)
    "eduint.testing": 6,
    "eduint.authoring": 6,  # rule tests, coverage, mutants: over the engine and the job
    "eduint._cli_test": 6,
    "eduint._cli_explain": 6,
    "eduint._cli_template": 6,
    "eduint.pytest_plugin": 6,
}

MAX_LINES = 800

#: Modules still over MAX_LINES while they are being split (issue 11).  Each entry is
#: allowed up to the given number of lines, so none may grow; the lead removes entries
#: as the splits land, and test_size_allowance_is_not_stale says when one can go.
OVERSIZE_ALLOWANCE: dict[str, int] = {}


#: Imports against the layer order that exist today, each with the fix it waits for.
#: The lead removes entries as the fixes land; test_layer_allowance_is_not_stale says
#: when one can go.
LAYER_ALLOWANCE: dict[tuple[str, str], str] = {
}


def module_name(path: Path) -> str:
    """``src/eduint/a/b.py`` → ``eduint.a.b``; ``src/eduint/a/__init__.py`` → ``eduint.a``."""
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {
        module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py")) if "__pycache__" not in p.parts
    }


MODULES = all_modules()


def layer_of(module: str) -> int | None:
    """The layer of an eduint module, or ``None`` if no prefix of LAYERS matches."""
    if module == "eduint":
        return LAYERS["eduint"]
    best: tuple[int, int] | None = None
    for prefix, layer in LAYERS.items():
        if prefix != "eduint" and (module == prefix or module.startswith(prefix + ".")):
            if best is None or len(prefix) > best[0]:
                best = (len(prefix), layer)
    return None if best is None else best[1]


def _resolve(name: str) -> str:
    """The module an imported dotted name refers to: itself, or its longest module prefix."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports_of(module: str) -> Iterator[tuple[str, int]]:
    """Every import in a module: (imported name, line), eduint names resolved to modules.

    ``from eduint.checking import checker`` yields ``eduint.checking.checker`` (a
    module); ``from eduint.language.nodes import Span`` yields ``eduint.language.nodes``.
    Names outside eduint are yielded as written (``lark``, ``lark.exceptions``).  A string
    that is exactly an eduint module's name (not a docstring) is an import too: modules
    imported when first used are named so (``LazyModule("eduint.api")``).
    """
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "." in node.value and node.value in MODULES and id(node) not in docstrings:
                yield node.value, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield base + "." + alias.name if base else alias.name, node.lineno


def _typing_only_lines(module: str) -> set[int]:
    """The lines of the imports inside ``if TYPE_CHECKING:`` blocks of a module."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                for inner in ast.walk(sub):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        lines.add(inner.lineno)
    return lines


def eduint_edges(*, runtime_only: bool = False) -> dict[str, dict[str, int]]:
    """module → {imported eduint module → first line}, self-imports left out.

    With ``runtime_only``, imports made for type checking only (``if TYPE_CHECKING:``)
    are left out: they are no edge at import time, so they make no import cycle (the
    layer order still counts them).
    """
    graph: dict[str, dict[str, int]] = {m: {} for m in MODULES}
    for module in MODULES:
        skip = _typing_only_lines(module) if runtime_only else set()
        for name, line in imports_of(module):
            if line in skip:
                continue
            if name == "eduint" or name.startswith("eduint."):
                target = _resolve(name)
                if target and target != module:
                    graph[module].setdefault(target, line)
    return graph


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


# --------------------------------------------------------------------- tests


def test_every_module_has_a_layer() -> None:
    """Every module under src/eduint maps to a declared layer."""
    unmapped = [m for m in MODULES if layer_of(m) is None]
    assert [] == unmapped, "declare a layer for these modules in tests/test_layers.py LAYERS"


def test_imports_follow_the_layer_order() -> None:
    """No module imports a module of a higher layer."""
    graph = eduint_edges()
    offenders = []
    for module, targets in sorted(graph.items()):
        own = layer_of(module)
        for target, line in sorted(targets.items()):
            theirs = layer_of(target)
            allowed = (module, target) in LAYER_ALLOWANCE
            if own is not None and theirs is not None and theirs > own and not allowed:
                rel = MODULES[module].relative_to(PACKAGE_DIR.parent)
                offenders.append(
                    f"{rel}:{line}: {module} (layer {own}) imports {target} (layer {theirs})"
                )
    print("\n".join(offenders))
    assert [] == offenders


def test_layer_allowance_is_not_stale() -> None:
    """Every entry of LAYER_ALLOWANCE is still an import somewhere: remove fixed ones."""
    graph = eduint_edges()
    stale = [pair for pair in LAYER_ALLOWANCE if pair[1] not in graph.get(pair[0], {})]
    assert [] == stale, "remove these entries from LAYER_ALLOWANCE in tests/test_layers.py"


def test_no_import_cycles() -> None:
    """The module import graph (function-level imports included; imports for type
    checking only left out) has no cycle."""
    cycles = _cycles(eduint_edges(runtime_only=True))
    print("\n".join(" <-> ".join(c) for c in cycles))
    assert [] == cycles


def test_lark_only_in_language() -> None:
    """lark is imported by modules under eduint/language/ only."""
    offenders = [
        f"{module}:{line}: imports {name}"
        for module in MODULES
        if not module.startswith("eduint.language")
        for name, line in imports_of(module)
        if name == "lark" or name.startswith("lark.")
    ]
    assert [] == offenders


@pytest.mark.parametrize("heavy", ["hypothesis", "openpyxl", "numpy", "pyarrow", "pandas"])
def test_heavy_modules_are_imported_inside_functions(heavy: str) -> None:
    """Optional or slow libraries are never imported at module level (start-up cost)."""
    offenders = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only; an `if TYPE_CHECKING:` body is fine
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if any(n == heavy or n.startswith(heavy + ".") for n in names):
                offenders.append(f"{module}:{node.lineno}")
    assert [] == offenders


def _line_counts() -> dict[str, int]:
    return {
        p.relative_to(PACKAGE_DIR.parent).as_posix(): len(
            p.read_text(encoding="utf-8").splitlines()
        )
        for p in MODULES.values()
    }


def test_modules_are_at_most_800_lines() -> None:
    """No module is over 800 lines, except those in the allowance, which may not grow."""
    offenders = [
        f"{path}: {lines} lines (at most {OVERSIZE_ALLOWANCE.get(path, MAX_LINES)})"
        for path, lines in sorted(_line_counts().items())
        if lines > OVERSIZE_ALLOWANCE.get(path, MAX_LINES)
    ]
    print("\n".join(offenders))
    assert [] == offenders


def test_size_allowance_is_not_stale() -> None:
    """Every allowance entry is still needed: remove entries for modules now split."""
    counts = _line_counts()
    stale = [path for path in OVERSIZE_ALLOWANCE if counts.get(path, 0) <= MAX_LINES]
    assert [] == stale, "remove these entries from OVERSIZE_ALLOWANCE in tests/test_layers.py"


def test_the_checks_can_fail() -> None:
    """The helpers find what they look for: a layer inversion, a cycle, an unmapped name."""
    assert 0 == layer_of("eduint.core.units")
    assert 1 == layer_of("eduint.errors")
    assert 2 == layer_of("eduint.data.errors")
    assert 6 == layer_of("eduint")
    assert layer_of("eduint.newthing") is None
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert [["a", "b", "c"]] == _cycles(graph)
    assert [] == _cycles({"a": {"b": 1}, "b": {}})
    assert "eduint.checking.checker" in eduint_edges()["eduint.checking.cached"]
