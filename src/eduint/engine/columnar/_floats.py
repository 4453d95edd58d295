"""Column values and record-engine values as float64 (NaN where unknown): what the
many-county answers (:mod:`.tables`, :mod:`.summary`) read."""

from __future__ import annotations

from typing import Any

from eduint.engine.columnar._values import Num

__all__ = ["float_of", "floats"]


def floats(x: Num, rows: Any) -> Any:
    """A column value at ``rows`` as float64, NaN where unknown or deferred."""
    import numpy as np

    from eduint.engine.columnar import _values as V

    x = V.broadcast(x, max(int(rows.max(initial=-1)) + 1, 1)) if x.size is None else x
    with np.errstate(divide="ignore", invalid="ignore"):
        f = V.to_float(x).f[rows].astype(np.float64)
    bad = np.zeros(len(rows), dtype=bool)
    for m in (x.unk, x.defer):
        if m is not None:
            bad |= V.full(m, x.size)[rows]
    f[bad] = np.nan
    return f


def float_of(value: Any) -> float:
    """A record-engine value as a float: an exact number, else NaN (a range, unknown)."""
    from fractions import Fraction

    if type(value) in (int, Fraction):
        return float(value)
    return float("nan")
