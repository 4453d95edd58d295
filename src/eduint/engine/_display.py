"""How a notebook shows engine results as HTML, without the engine importing reports.

The engine sits below the reports (docs/design.md, tests/test_layers.py: no import of
``eduint.reporting`` from the engine, not even inside a function), yet Jupyter asks the
result object itself for ``_repr_html_``.  So the reports register the renderer here
(:func:`set_html_renderer`), and :meth:`Report._repr_html_
<eduint.engine.results.Report._repr_html_>` and ``ColumnarResult._repr_html_`` ask
:func:`html_of`.  The public package registers it the first time a public name that
yields results is used (``eduint.run``, ``eduint.evaluate``, ``eduint.Report`` …,
``eduint/__init__.py``); importing :mod:`eduint.reporting.notebook` registers it too.
Without a renderer :func:`html_of` returns ``None``, which Jupyter takes as "no HTML"
and shows the plain ``repr``.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["html_of", "set_html_renderer"]

_RENDERER: list[Callable[[object], str | None]] = []


def set_html_renderer(renderer: Callable[[object], str | None]) -> None:
    """Register the function that draws a result as an HTML fragment (the last one
    registered wins)."""
    _RENDERER[:] = [renderer]


def html_of(obj: object) -> str | None:
    """``obj`` as an HTML fragment, or ``None`` when no renderer is registered or it
    draws no such object."""
    return _RENDERER[0](obj) if _RENDERER else None
