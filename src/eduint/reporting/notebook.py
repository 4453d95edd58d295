"""Results in a notebook: the HTML fragment Jupyter shows for a report or many counties.

Importing this module registers :func:`html_fragment` with the engine
(:mod:`eduint.engine._display`), so that ``Report._repr_html_`` and
``ColumnarResult._repr_html_`` return the result's tables as HTML (no ``<html>``
wrapper, no script, no chart; every value escaped).  The HTML writer and Jinja2 are
imported when a fragment is first drawn, not when this module is imported.
"""

from __future__ import annotations

from eduint.engine._display import set_html_renderer

__all__ = ["html_fragment"]


def html_fragment(obj: object) -> str | None:
    """A :class:`~eduint.engine.results.Report` as its report tables, a
    :class:`~eduint.engine.columnar.ColumnarResult` as the per-county table and the
    totals; ``None`` for anything else."""
    from eduint.engine.results import Report

    if isinstance(obj, Report):
        from eduint.reporting.html import report_fragment

        return report_fragment(obj)
    if type(obj).__name__ == "ColumnarResult" and hasattr(obj, "frame"):
        # no isinstance: that would import the columnar engine (numpy) for every report
        from eduint.engine.columnar import ColumnarResult
        from eduint.reporting.html import many_fragment

        if isinstance(obj, ColumnarResult):
            return many_fragment(obj)
    return None


set_html_renderer(html_fragment)
