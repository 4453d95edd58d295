"""Modules imported when first used, so that a command pays only for what it runs.

``eduint --version`` and ``eduint check --example baoshan-2018`` should not import the
rule parser, the strictness prover, the HTML templates or the XLSX writer; the columnar
engine, numpy and pyarrow are imported by the code that needs them.  A module that
names another only inside function bodies can hold a :class:`LazyModule` in its place::

    from typing import TYPE_CHECKING

    from eduint._lazy import LazyModule

    if TYPE_CHECKING:  # type checkers and IDEs see the real module
        from eduint import reporting
    else:
        reporting = LazyModule("eduint.reporting")

    def show(report):
        return reporting.text_report(report)  # eduint.reporting is imported here

Only attribute access is forwarded: a :class:`LazyModule` is not a module (no
``isinstance(x, ModuleType)``, no ``from ... import`` of it).  Names used when a module
is defined (decorator arguments, class bodies, ``except`` clauses) must be imported
normally.  The figures are in docs/performance.md, "Start-up".  Foundation: imports no
other eduint module.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["LazyModule"]


class LazyModule:
    """A stand-in for the module ``name``, imported on the first attribute access.

    Args:
        name: the module's absolute name (``"eduint.reporting"``).
    """

    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        """The module's attribute ``attr`` (the module is imported the first time).

        Raises:
            ImportError: the module cannot be imported.
            AttributeError: the module has no attribute ``attr``.
        """
        module = self._module
        if module is None:
            module = importlib.import_module(self._name)
            self._module = module
        return getattr(module, attr)

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "not imported yet"
        return f"<lazy module {self._name!r} ({state})>"
