"""The columnar engine on perfref's synthetic national data at scale 0.01 (issue 18).

perfref (``../shared/perfref`` next to the repository, ``$EDUINT_PERFREF``, or
``/work/shared/perfref``) generates 31 counties, 2,161 school segments, 43,092 classes.
eduint's columnar engine evaluates them from arrays (``bench/_perfref_frame.py``: no
per-row Python object) through ``bench/perfref.rules``, and

* its passes, CV verdicts and class counts equal ``ref_numpy.py``'s (fast);
* its structured results equal the record engine's, county by county, for the frame
  built from arrays and for the one built from the record engine's populations.

Skipped, saying why, when perfref is not there.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import _perfref_frame as P  # noqa: E402

PERFREF = P.perfref_dir()
pytestmark = pytest.mark.skipif(
    PERFREF is None,
    reason="perfref not found: set EDUINT_PERFREF or put it at ../shared/perfref "
    "(or /work/shared/perfref)",
)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """perfref's scale-0.01 data set, generated into a temporary directory."""
    assert PERFREF is not None
    out = tmp_path_factory.mktemp("perfref")
    subprocess.run(
        [sys.executable, str(PERFREF / "gen_national.py"), "--scale", "0.01", "--format", "npz",
         "--out-dir", str(out)],
        check=True, capture_output=True, cwd=PERFREF,
    )  # fmt: skip
    return out / "national_s0.01.npz"


@pytest.fixture(scope="module")
def evaluated(data: Path) -> tuple[Any, Any, dict[str, Any]]:
    """The rule set, the columnar result over the array frame, and the columns."""
    from eduint.engine.columnar import evaluate_many

    rs = P.ruleset()
    cols = P.load_npz(data)
    return rs, evaluate_many(rs, P.to_frame(cols, rs)), cols


def _ref_numpy(data: Path) -> dict[str, Any]:
    assert PERFREF is not None
    sys.path.insert(0, str(PERFREF))
    try:
        import ref_numpy
    finally:
        sys.path.remove(str(PERFREF))
    cols, _ = ref_numpy.load(str(data))
    return ref_numpy.compute(cols)  # type: ignore[no-any-return]


def test_passes_cv_verdicts_and_class_counts_equal_ref_numpy(
    data: Path, evaluated: tuple[Any, Any, dict[str, Any]]
) -> None:
    """From arrays: every row's pass, every county segment's 7 CV verdicts and 4 class
    counts equal perfref's numpy program's; nothing fell back to the record engine."""
    _rs, res, _cols = evaluated
    ref = _ref_numpy(data)
    got = P.extract(res)
    assert res.counties == 31
    assert np.array_equal(got["passed"], ref["passed"])
    assert np.array_equal(got["cv_ok"], ref["cv_ok"])
    assert np.array_equal(got["classes"], ref["classes"])
    assert int(got["classes"][:, :, 0].sum()) == 43_092
    assert res.summary().fallback == ()


def test_both_engines_give_identical_structured_results(
    evaluated: tuple[Any, Any, dict[str, Any]],
) -> None:
    """County by county, the record engine's report of the county built from the arrays
    equals what the columns say (from the populations), and the array frame's verdicts
    equal the population frame's."""
    from eduint.engine.columnar import evaluate_many
    from eduint.engine.evaluator import evaluate

    from ._columnar import compare

    rs, res, _cols = evaluated
    counties = [res.frame.county_model(i) for i in range(res.counties)]
    reports = [evaluate(rs, c) for c in counties]
    from_pops = evaluate_many(rs, counties)
    assert compare(from_pops, reports) == []
    for name in res.headline:
        assert np.array_equal(res.headline[name], from_pops.headline[name]), name
    assert np.array_equal(res.overall, from_pops.overall)
    for rid in res.rules:
        assert np.array_equal(res.entity_outcomes(rid)[1], from_pops.entity_outcomes(rid)[1]), rid
    assert res.report(3) == reports[3]


@pytest.mark.parametrize(
    "stem", ["perfref", pytest.param("youzhi-junheng-2017", marks=pytest.mark.slow)]
)
def test_missing_figures_from_arrays_read_as_the_record_engine_reads_them(
    evaluated: tuple[Any, Any, dict[str, Any]], stem: str
) -> None:
    """A frame from arrays with 5 % of every figure missing (masks), under perfref's
    rules and the whole 2017 rule set: the same verdicts and reason codes as the frame
    built from the county models, whose columns equal the record engine's reports."""
    import datetime

    import eduint
    from eduint.checking.settings import Settings
    from eduint.engine.columnar import evaluate_many
    from eduint.engine.columnar._arrays import frame_from_arrays
    from eduint.engine.evaluator import evaluate

    from ._columnar import compare

    _rs, _res, cols = evaluated
    rs = P.ruleset() if stem == "perfref" else eduint.load_ruleset(stem)
    rng = np.random.default_rng(18)
    seg = cols["segment"]
    C = int(cols["county_id"][-1]) + 1
    fields = {P.FIELDS[k]: cols[k] for k in P.FIELDS}
    frame = frame_from_arrays(
        Settings.of(rs), county=cols["county_id"], school=cols["school_id"].astype(np.int64) * 2 + seg,
        segment=seg, fields=fields, missing={k: rng.random(len(seg)) < 0.05 for k in fields},
        class_sizes=cols["class_sizes"], class_offsets=cols["class_offsets"],
        county_names=[str(i) for i in range(C)], dates=[datetime.date(2024, 9, 1)] * C,
        school_kind=seg, location=cols["location"],
    )  # fmt: skip
    res = evaluate_many(rs, frame)
    counties = [frame.county_model(i) for i in range(C)]
    pops = evaluate_many(rs, counties)
    assert compare(pops, [evaluate(rs, c) for c in counties]) == []
    for rid in res.rules:
        assert np.array_equal(res.entity_outcomes(rid)[1], pops.entity_outcomes(rid)[1]), rid
        assert np.array_equal(res.rules[rid].reason, pops.rules[rid].reason), rid
    assert all(np.array_equal(res.headline[k], pops.headline[k]) for k in res.headline)
    assert np.count_nonzero(res.entity_outcomes("学校达标")[1] == 3) > 0  # 缺少数据 occurs
