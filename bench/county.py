"""County bench: every county of perfref's synthetic national data, against exact Fractions.

Evaluates every county of perfref's synthetic national data at scale 0.01 (31 counties,
about 70 school segments each; ``../shared/perfref/gen_national.py --scale 0.01``) with
eduint's record engine in this process, through ``bench/perfref.rules`` (perfref's
indicator set: the 7 resource indicators, the 6-of-7 + 85 % rule, the 14 county ×
segment 差异系数 and the class counts), and in the same run
``../shared/perfref/ref_fraction.py`` (the same indicators with exact Fractions and a
root-free CV test, no evidence), alternating the two over ``--rounds`` rounds.  Prints
the median of each round's mean time per county for both, their ratio (issue 11 asks
for at most 3x), and checks that eduint's passes, CV verdicts and class counts equal
ref_fraction's SUMMARY line (exit 1 if they differ).

Each of perfref's school-segment rows becomes an eduint school of that one segment
(小学 or 初中), carrying the row's figures; a nine-year school's two rows are therefore
two schools, which gives the same indicators, passes and CVs, since perfref's rows hold
per-segment figures already.  Building the objects is not timed (ref_fraction does not
time it either).  Float columns become the exact decimal of their shortest text, as in
ref_fraction.

Needs numpy to read perfref's files: ``pip install -e '.[bench]'`` (or
``pip install numpy`` in the environment eduint is installed in).  Needs perfref
itself (``../shared/perfref`` next to the repository, or ``--perfref DIR``).

Usage::

    python bench/county.py                 # generate scale 0.01 into a temp dir, 5 rounds
    python bench/county.py --rounds 7
    python bench/county.py --data /tmp/perfref_data/national_s0.01.npz
"""

from __future__ import annotations

import argparse
import ast
import datetime
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RULES = REPO / "bench" / "perfref.rules"
DEFAULT_PERFREF = REPO.parent / "shared" / "perfref"

SEGMENTS = ("小学", "初中")  # perfref's segment 0 and 1
CV_RULES = tuple(
    f"差异系数_{n}"
    for n in (
        "高学历教师",
        "骨干教师",
        "体艺教师",
        "教学用房",
        "体育场馆",
        "仪器设备",
        "多媒体教室",
    )
)
CLASS_REPORTS = ("班级", "超过上限", "大班额", "超大班额")


def _need_numpy() -> Any:
    try:
        import numpy
    except ImportError:
        print(
            "bench/county.py needs numpy to read perfref's files: pip install -e '.[bench]' "
            "(or pip install numpy)",
            file=sys.stderr,
        )
        sys.exit(2)
    return numpy


def generate(perfref: Path, out_dir: Path) -> Path:
    """Write perfref's scale-0.01 data set as NPZ into ``out_dir``; return the file."""
    subprocess.run(
        [
            sys.executable,
            str(perfref / "gen_national.py"),
            "--scale",
            "0.01",
            "--format",
            "npz",
            "--out-dir",
            str(out_dir),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out_dir / "national_s0.01.npz"


def read_rows(path: Path) -> list[dict[str, Any]]:
    """perfref's NPZ file as row dicts (class sizes as a list per row)."""
    np = _need_numpy()
    with np.load(path) as z:
        n_rows = len(z["segment"])
        names = [
            k
            for k in z.files
            if k not in ("class_sizes", "class_offsets") and z[k].shape == (n_rows,)
        ]
        cols = {k: z[k].tolist() for k in names}
        sizes, offsets = z["class_sizes"].tolist(), z["class_offsets"].tolist()
    cols["class_sizes"] = [sizes[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
    return [dict(zip(cols, values, strict=True)) for values in zip(*cols.values(), strict=True)]


def build_counties(rows: Sequence[dict[str, Any]]) -> list[Any]:
    """One eduint County per perfref county, one single-segment school per row."""
    from eduint.data.models import (
        Class,
        County,
        Figure,
        Location,
        School,
        SchoolKind,
        SchoolSegment,
        Segment,
    )

    def exact(v: int | float) -> Figure:
        return Figure.exact(v if isinstance(v, int) else Decimal(repr(v)))

    locations = (Location.URBAN, Location.TOWN, Location.RURAL)
    by_county: dict[int, list[Any]] = {}
    codes: dict[int, str] = {}
    for r in rows:
        seg = Segment.PRIMARY if r["segment"] == 0 else Segment.JUNIOR
        segment = SchoolSegment(
            seg,
            students=exact(r["students"]),
            classes=tuple(Class(size=Figure.exact(s)) for s in r["class_sizes"]),
            classes_complete=True,
            class_count=exact(r["n_classes"]),
            full_time_teachers=exact(r["teachers"]),
            teachers_above_degree=exact(r["teachers_above_degree"]),
            backbone_teachers=exact(r["backbone_teachers"]),
            pe_arts_teachers=exact(r["pe_arts_teachers"]),
            floor_area_teaching=exact(r["floor_area_m2"]),
            sports_area=exact(r["sports_area_m2"]),
            equipment_value=exact(r["equipment_value_yuan"]),
            multimedia_rooms=exact(r["multimedia_rooms"]),
            public_funds=exact(r["public_funding_yuan"]),
        )
        school = School(
            id=f"{r['school_id']}-{r['segment']}",
            kind=SchoolKind.PRIMARY if seg is Segment.PRIMARY else SchoolKind.JUNIOR,
            location=locations[r["location"]],
            segments=(segment,),
        )
        by_county.setdefault(r["county_id"], []).append(school)
        codes[r["county_id"]] = str(r["county_code"])
    return [
        County(
            name=codes[k],
            code=codes[k],
            schools=tuple(by_county[k]),
            schools_complete=True,
            as_of=datetime.date(2024, 9, 1),
        )
        for k in sorted(by_county)
    ]


def summarize(reports: Sequence[Any]) -> dict[str, Any]:
    """eduint's results in ref_fraction's SUMMARY shape.

    Returns:
        ``passed`` (school segments passing, per segment), ``cv_all_ok`` (county segments
        with all 7 CVs met, per segment) and ``classes`` (per segment: classes, over the
        cap, ≥ 56, ≥ 66), each a list indexed 小学, 初中.
    """
    from eduint.engine.results import Outcome, Quantity

    def seg_of(segment: str | None) -> int:
        return SEGMENTS.index(segment or "")

    passed = [0, 0]
    cv_ok = [0, 0]
    classes = [[0, 0, 0, 0], [0, 0, 0, 0]]
    for report in reports:
        items = {item.id: item for item in report.items}
        for e in items["学校达标"].entities:
            passed[seg_of(e.entity.segment)] += e.outcome is Outcome.MET
        for i, seg in enumerate(SEGMENTS):
            ok = [
                e.outcome is Outcome.MET
                for rule in CV_RULES
                for e in items[rule].entities
                if e.entity.segment == seg
            ]
            cv_ok[i] += len(ok) == len(CV_RULES) and all(ok)
        for e in items["班级数"].entities:
            if e.outcome is not None:  # 不适用: the county has no such segment
                continue
            values = {s.name: int(s.value.value) for s in e.shown if isinstance(s.value, Quantity)}
            counts = classes[seg_of(e.entity.segment)]
            for j, name in enumerate(CLASS_REPORTS):
                counts[j] += values[name]
    return {"passed": passed, "cv_all_ok": cv_ok, "classes": classes}


def run_fraction(perfref: Path, data: Path) -> tuple[float, dict[str, Any]]:
    """Run ref_fraction.py; return its mean seconds per county and its SUMMARY."""
    proc = subprocess.run(
        [sys.executable, str(perfref / "ref_fraction.py"), str(data)],
        cwd=perfref,
        capture_output=True,
        text=True,
        check=True,
    )
    timing = re.search(r"per_county=([0-9.]+)", proc.stderr)
    summary = re.search(
        r"SUMMARY passed=(\[.*?\]) cv_all_ok=(\[.*?\]) classes=(\[\[.*?\]\])", proc.stderr
    )
    if timing is None or summary is None:
        sys.exit(f"cannot read ref_fraction.py's output:\n{proc.stderr}")
    parsed = {
        "passed": ast.literal_eval(summary[1]),
        "cv_all_ok": ast.literal_eval(summary[2]),
        "classes": ast.literal_eval(summary[3]),
    }
    return float(timing[1]), parsed


def main() -> int:
    """Run the bench; exit 1 if eduint's results differ from ref_fraction's, 2 on setup errors."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--perfref", type=Path, default=DEFAULT_PERFREF, help="perfref's folder")
    ap.add_argument("--data", type=Path, help="a perfref NPZ file (default: generate scale 0.01)")
    ap.add_argument("--rounds", type=int, default=5, help="rounds (at least 5; default 5)")
    args = ap.parse_args()
    if args.rounds < 5:
        ap.error("--rounds must be at least 5")
    perfref: Path = args.perfref
    if not (perfref / "ref_fraction.py").is_file() or not (perfref / "gen_national.py").is_file():
        print(
            f"perfref not found at {perfref} (ref_fraction.py, gen_national.py); "
            "pass --perfref DIR",
            file=sys.stderr,
        )
        return 2
    _need_numpy()

    import eduint

    with tempfile.TemporaryDirectory(prefix="eduint-county-bench-") as tmp:
        data = args.data if args.data is not None else generate(perfref, Path(tmp))
        counties = build_counties(read_rows(data))
        ruleset = eduint.check(eduint.parse_file(RULES))
        n_rows = sum(len(c.schools) for c in counties)

        ours: list[float] = []
        theirs: list[float] = []
        reports: list[Any] = []
        ref_summary: dict[str, Any] = {}
        for r in range(args.rounds):
            for who in ("eduint", "fraction") if r % 2 == 0 else ("fraction", "eduint"):
                if who == "fraction":
                    per_county, ref_summary = run_fraction(perfref, data)
                    theirs.append(per_county)
                    continue
                reports = []
                total = 0.0
                for county in counties:
                    start = time.perf_counter()
                    reports.append(eduint.evaluate(ruleset, county))
                    total += time.perf_counter() - start
                ours.append(total / len(counties))

    summary = summarize(reports)
    mine, ref = statistics.median(ours), statistics.median(theirs)
    print(f"python      {sys.version.split()[0]}; eduint {eduint.__version__}")
    print(
        f"data        perfref scale 0.01: {len(counties)} counties, {n_rows} school segments "
        f"(one school each), {RULES.relative_to(REPO)}"
    )
    print(f"rounds      {args.rounds} (alternating; medians of each round's mean per county)")
    print(f"eduint        {mine * 1000:8.2f} ms per county (record engine, in process)")
    print(f"ref_fraction  {ref * 1000:8.2f} ms per county (exact Fractions, in process)")
    ok_ratio = mine / ref <= 3.0
    print(f"ratio       {mine / ref:.1f}x (target <= 3: {'met' if ok_ratio else 'NOT met'})")
    same = summary == ref_summary
    for key in ("passed", "cv_all_ok", "classes"):
        mark = "equal" if summary[key] == ref_summary.get(key) else "DIFFER"
        print(f"{key:11s} eduint {summary[key]}  ref_fraction {ref_summary.get(key)}  {mark}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
