"""perfref's synthetic national data as an eduint columnar frame, and its results back.

perfref (``../shared/perfref``, ``gen_national.py``) writes one row per school segment
with its own column names; :func:`load_npz` reads the columns ``ref_numpy.py`` reads,
:func:`to_frame` maps them onto eduint's fields (``teachers_above_degree`` …,
``floor_area_m2`` → 教学及辅助用房计算面积 ``floor_area_teaching``, …) and builds a
frame with :func:`eduint.engine.columnar._arrays.frame_from_arrays` (no per-row Python
object), and :func:`extract` gives eduint's passes, CV verdicts and class counts in
``ref_numpy.compute``'s shapes.  As in ``bench/county.py``, each perfref row is a school
of that one segment (a 九年一贯制 school's two rows carry per-segment figures already, so
its segments are decided separately, as perfref decides them).

The rule file is ``bench/perfref.rules`` (perfref's indicator set).  Used by
``bench/run.py`` and ``tests/test_columnar_perfref.py``.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "bench" / "perfref.rules"

#: perfref column → eduint school-segment field.
FIELDS = {
    "students": "students",
    "teachers": "full_time_teachers",
    "teachers_above_degree": "teachers_above_degree",
    "backbone_teachers": "backbone_teachers",
    "pe_arts_teachers": "pe_arts_teachers",
    "floor_area_m2": "floor_area_teaching",
    "sports_area_m2": "sports_area",
    "equipment_value_yuan": "equipment_value",
    "multimedia_rooms": "multimedia_rooms",
    "public_funding_yuan": "public_funds",
    "n_classes": "class_count",
}
COLS = ["school_id", "county_id", "county_code", "segment", "location", *FIELDS]
CV_RULES = ("差异系数_高学历教师", "差异系数_骨干教师", "差异系数_体艺教师", "差异系数_教学用房",
            "差异系数_体育场馆", "差异系数_仪器设备", "差异系数_多媒体教室")


def perfref_dir() -> Path | None:
    """Where perfref is: ``$EDUINT_PERFREF``, ``../shared/perfref`` next to the
    repository, or ``/work/shared/perfref``; ``None`` when none of them has it."""
    for cand in (os.environ.get("EDUINT_PERFREF"), REPO.parent / "shared" / "perfref",
                 "/work/shared/perfref"):
        if cand and (Path(cand) / "gen_national.py").is_file():
            return Path(cand)
    return None


def load_npz(path: str | os.PathLike[str]) -> dict[str, Any]:
    """perfref's NPZ file as numpy arrays (the columns above, class sizes and offsets)."""
    import numpy as np

    with np.load(path) as z:
        cols = {k: z[k] for k in COLS}
        cols["class_sizes"] = z["class_sizes"]
        cols["class_offsets"] = z["class_offsets"]
    return cols


def ruleset() -> Any:
    """``bench/perfref.rules``, checked."""
    import eduint

    return eduint.load_ruleset(str(RULES))


def to_frame(cols: dict[str, Any], rules: Any) -> Any:
    """A columnar frame over perfref's columns (one school per row, see the module doc)."""
    import numpy as np

    from eduint.checking.settings import Settings
    from eduint.engine.columnar._arrays import frame_from_arrays

    county = cols["county_id"]
    seg = cols["segment"]
    C = int(county[-1]) + 1 if len(county) else 0
    first = np.flatnonzero(np.r_[True, county[1:] != county[:-1]])
    codes = [str(c) for c in cols["county_code"][first].tolist()]
    # a school of one segment per row: its id orders rows within the county
    school = cols["school_id"].astype(np.int64) * 2 + seg
    return frame_from_arrays(
        Settings.of(rules),
        county=county,
        school=school,
        segment=seg,
        fields={FIELDS[k]: cols[k] for k in FIELDS},
        class_sizes=cols["class_sizes"],
        class_offsets=cols["class_offsets"],
        county_names=codes,
        county_codes=codes,
        dates=[datetime.date(2024, 9, 1)] * C,
        school_kind=seg,  # SchoolKind: 0 小学, 1 初中
        location=cols["location"],
    )


def extract(result: Any) -> dict[str, Any]:
    """eduint's answers in ``ref_numpy.compute``'s shapes: ``passed`` per row, ``cv_ok``
    (C, 2, 7) and ``classes`` (C, 2, 4: total, over the cap, ≥ 56, ≥ 66)."""
    import numpy as np

    from eduint.engine.columnar._rules import MET, NA

    C = result.counties
    rows, outcome = result.entity_outcomes("学校达标")
    passed = outcome == MET
    cv_ok = np.zeros((C, 2, 7), dtype=bool)
    for k, rid in enumerate(CV_RULES):
        cs, oc = result.entity_outcomes(rid)
        # a county segment of one school: perfref CV 0 (ok); eduint 不适用 (single_school)
        cv_ok[:, :, k] = ((oc == MET) | (oc == NA)).reshape(C, 2)
    classes = np.zeros((C, 2, 4), dtype=np.int64)
    for k, name in enumerate(("班级", "超过上限", "大班额", "超大班额")):
        classes[:, :, k] = np.rint(result.values("班级数", name)).astype(np.int64).reshape(C, 2)
    return {"passed": passed, "cv_ok": cv_ok, "classes": classes}
