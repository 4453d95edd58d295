"""The comparison a report shows for a requirement (:func:`main_comparison`).

Its own module so that the columnar engine (:mod:`eduint.engine.columnar`) reads it
without importing the record engine's compiler (:mod:`eduint.engine.compile`, which
re-exports it) and the built-ins registry: a national run needs neither.
"""

from __future__ import annotations

from eduint.checking.ruleset import Comparison, Logic, RExpr

__all__ = ["main_comparison"]


def main_comparison(e: RExpr) -> Comparison | None:
    """The comparison whose value and threshold the report shows: the requirement
    itself, or the first condition of an and/or chain when that is a comparison
    (``count(…) <= 0 and share(…) <= 5%`` shows the count).  A requirement that
    starts with anything else (``at_least(6, […]) and …``) shows none: one of its many
    figures would misrepresent it."""
    x: RExpr = e
    while isinstance(x, Logic):
        x = x.left
    return x if isinstance(x, Comparison) else None
