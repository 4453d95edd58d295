"""The columnar engine's shortcuts equal its general computations (issue 19).

Whole thresholds skip the divisions of the packed class counts' cuts; the packed
counters are summed over cache-sized chunks of classes; a float column of whole numbers
is read without dividing by 10⁰ and with one min/max.  Each is compared with the general
form on generated arrays: negative, fractional, missing and empty cases included.
"""

from __future__ import annotations

import numpy as np
import pytest

from eduint.engine.columnar import _packed
from eduint.engine.columnar._arrays import _num_array

OPS = (">=", ">", "<=", "<", "==", "!=")


@pytest.mark.parametrize("op", OPS)
def test_whole_cut_equals_the_divided_one(op: str) -> None:
    n = np.random.default_rng(1).integers(-80, 80, 500)
    fast_t, fast_how = _packed._cut_of(op, n, 1)
    t, how = _packed._cut_of(op, n, np.ones(500, dtype=np.int64))  # the general branch
    assert fast_how == how
    assert np.array_equal(np.broadcast_to(fast_t, (500,)), np.broadcast_to(t, (500,)))


def test_lookup_counts_equal_a_direct_count() -> None:
    rng = np.random.default_rng(2)
    per = rng.integers(0, 40, 6000)  # some segments without classes
    per[17] = 70_000  # one segment longer than a chunk
    off = np.concatenate(([0], np.cumsum(per))).astype(np.int64)
    sizes = rng.integers(0, 97, int(off[-1])).astype(np.int16)
    cuts = [1, 46, 51, 56, 66, 96]
    got = _packed._lookup_counts(sizes, off, cuts)
    for t in cuts:
        want = [int((sizes[a:b] >= t).sum()) for a, b in zip(off[:-1], off[1:], strict=True)]
        assert got[t].tolist() == want


@pytest.mark.parametrize(
    ("values", "d", "nmax", "nonneg"),
    [
        ([3.0, -0.0, 12.0, 7.0], 1, 12, True),
        ([3.0, -5.0, np.nan, 2.0], 1, 5, False),
        ([1.5, 2.25, -0.75], 100, 225, False),
        ([], 1, 0, True),
    ],
)
def test_float_columns_read_exactly(values: list[float], d: int, nmax: int, nonneg: bool) -> None:
    a = np.asarray(values, dtype=np.float64)
    x = _num_array(a)
    assert (x.d, x.nmax, x.dmax, x.nonneg) == (d, nmax, d, nonneg)
    known = ~np.isnan(a)
    assert np.array_equal(x.n[known] / d, a[known])
    assert (x.unk is None) == bool(known.all())
