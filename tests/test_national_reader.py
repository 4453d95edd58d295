"""National input (issue 19): :func:`eduint.data.national.read_national` and
:func:`eduint.engine.columnar.national.frame_of`.

* The same small multi-county table written as Parquet, CSV (UTF-8; GBK with a title
  row), XLSX, JSON Lines and a folder of county files reads into the same arrays and
  gives the same columnar results.
* A differential test: the same data read by the spreadsheet reader
  (:func:`~eduint.data.spreadsheets.read_tables`, a school sheet and a class sheet)
  and evaluated by the columnar engine over the record engine's populations gives the
  same outcomes, county by county, for the bundled rule set
  youzhi-junheng-2017-resource (complete school lists) and for perfref's rule set
  (class sizes: as lists and as size bands).
* Bad cells are problems naming file, row, column and text; the value is missing.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")

import eduint  # noqa: E402
from eduint.data.errors import DataFileError  # noqa: E402
from eduint.data.limits import Limits  # noqa: E402
from eduint.data.national import NationalData, read_national  # noqa: E402
from eduint.engine.columnar import evaluate_many  # noqa: E402
from eduint.engine.columnar.national import frame_of  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PERFREF_RULES = REPO / "bench" / "perfref.rules"

FIGURES = ["在校生数", "班级数", "专任教师数", "高于规定学历教师数", "县级以上骨干教师数",
           "体育艺术专任教师数", "教学及辅助用房面积", "室内体育用房面积", "体育运动场馆面积",
           "教学仪器设备值", "网络多媒体教室数"]
HEAD = ["行政区划代码", "县区名称", "省", "学校代码", "学校名称", "学校类型", "办学性质",
        "城乡分类", "学段", *FIGURES]
BANDS = [(0, 25), (26, 30), (31, 35), (36, 40), (41, 45), (46, 50), (51, 55), (56, 65),
         (66, None)]


def _band_header(lo: int, hi: int | None) -> str:
    if lo == 0:
        return f"{hi}人及以下"
    return f"{lo}人及以上" if hi is None else f"{lo}-{hi}人"


def _table(seed: int = 7, counties: int = 5) -> list[dict[str, Any]]:
    """A small national table: rows of school segments with class lists (班额)."""
    rnd = random.Random(seed)
    rows = []
    for c in range(counties):
        code = f"3301{c:02d}"
        n_schools = rnd.randint(3, 9)
        for s in range(n_schools):
            sid = f"{code}{s * 7 % 10:01d}{s:03d}"
            kind = rnd.choice(["小学", "小学", "初中", "九年一贯制学校"])
            segs = ["小学", "初中"] if kind == "九年一贯制学校" else [kind]
            loc = rnd.choice(["城区", "镇区", "乡村"])
            for seg in segs:
                students = rnd.randint(40, 1500)
                ncls = max(1, students // rnd.randint(30, 60))
                sizes = [rnd.randint(20, 70) for _ in range(ncls)]
                r = {
                    "行政区划代码": code, "县区名称": f"县{c}", "省": "浙江",
                    "学校代码": sid, "学校名称": f"学校{c}-{s}", "学校类型": kind,
                    "办学性质": "公办", "城乡分类": loc, "学段": seg,
                    "在校生数": students, "班级数": ncls,
                    "专任教师数": students // 15 + 1,
                    "高于规定学历教师数": students // rnd.randint(15, 30),
                    "县级以上骨干教师数": students // rnd.randint(50, 150),
                    "体育艺术专任教师数": students // rnd.randint(60, 130),
                    "教学及辅助用房面积": round(students * rnd.uniform(3, 7), 2),
                    "室内体育用房面积": round(rnd.uniform(0, 300), 1),
                    "体育运动场馆面积": round(students * rnd.uniform(5, 12), 2),
                    "教学仪器设备值": round(students * rnd.uniform(1500, 3000), 2),
                    "网络多媒体教室数": max(1, students // rnd.randint(30, 50)),
                    "班额": sizes,
                }
                if rnd.random() < 0.08:  # some missing figures
                    r[rnd.choice(FIGURES[3:])] = None
                rows.append(r)
    rnd.shuffle(rows)  # the reader sorts
    return rows


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, list):
        return ";".join(str(x) for x in v)
    return v


def write_csv(path: Path, rows: list[dict[str, Any]], *, encoding: str = "utf-8",
              title: str | None = None) -> None:
    import csv

    head = [*HEAD, "班额"]
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        if title:
            w.writerow([title])
        w.writerow(head)
        for r in rows:
            w.writerow([_cell(r.get(h)) for h in head])


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    import pyarrow.parquet as pq

    cols: dict[str, Any] = {}
    for h in HEAD:
        vals = [r.get(h) for r in rows]
        if h in FIGURES:
            t = pa.float64() if any(isinstance(v, float) for v in vals) else pa.int64()
            cols[h] = pa.array(vals, type=t)
        else:
            cols[h] = pa.array(vals, type=pa.string())
    cols["班额"] = pa.array([r["班额"] for r in rows], type=pa.list_(pa.int16()))
    pq.write_table(pa.table(cols), path)


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({k: v for k, v in r.items() if v is not None},
                               ensure_ascii=False) + "\n")


def write_xlsx(path: Path, rows: list[dict[str, Any]]) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学校"
    head = [*HEAD, "班额"]
    ws.append(head)
    for r in rows:
        ws.append([None if r.get(h) is None else _cell(r.get(h)) for h in head])
    wb.save(path)


def write_folder(path: Path, rows: list[dict[str, Any]]) -> None:
    path.mkdir()
    by: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by.setdefault(r["行政区划代码"], []).append(r)
    for code, rs in by.items():
        write_csv(path / f"{code}-{rs[0]['县区名称']}.csv", rs)


def _arrays(d: NationalData) -> dict[str, Any]:
    out = {k: getattr(d, k) for k in ("county", "school", "segment", "class_sizes",
                                       "class_offsets", "school_kind", "location",
                                       "ownership")}
    out["ids"] = d.school_ids.tolist()
    out["codes"] = d.county_codes
    out["names"] = d.county_names
    out["provinces"] = d.provinces
    for k, v in d.fields.items():
        out["f:" + k] = v
        out["m:" + k] = d.missing[k]
    return out


def _same_arrays(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert set(a) == set(b)
    for k in a:
        x, y = a[k], b[k]
        if isinstance(x, np.ndarray):
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), k
        else:
            assert x == y, k


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return _table()


@pytest.fixture(scope="module")
def files(rows: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("national")
    out = {
        "parquet": d / "n.parquet", "csv": d / "n.csv", "gbk": d / "gbk.csv",
        "xlsx": d / "n.xlsx", "jsonl": d / "n.jsonl", "folder": d / "counties",
    }
    write_parquet(out["parquet"], rows)
    write_csv(out["csv"], rows)
    write_csv(out["gbk"], rows, encoding="gbk", title="2024年全国义务教育学校统计表（合成）")
    write_xlsx(out["xlsx"], rows)
    write_jsonl(out["jsonl"], rows)
    write_folder(out["folder"], rows)
    return out


@pytest.fixture(scope="module")
def resource() -> Any:
    return eduint.load_ruleset("youzhi-junheng-2017-resource")


def _outcomes(res: Any) -> list[Any]:
    """Every county's overall outcome, headlines and rule values, in county order."""
    out = []
    for i in range(res.counties):
        out.append((res.frame.codes[i], res.overall_outcome(i), res.headlines(i)))
    for rid in res.rules:
        _rows, oc = res.entity_outcomes(rid)
        out.append((rid, oc.tolist()))
    return out


def test_every_format_reads_the_same_arrays_and_results(
    files: dict[str, Path], resource: Any
) -> None:
    """Parquet, CSV, GBK CSV with a title row, XLSX, JSONL and a folder: the same arrays
    (rows sorted by county, school, segment) and the same columnar results."""
    base = read_national(files["parquet"])
    assert base.counties == 5 and base.rows_used == base.rows_read
    assert not base.problems
    ref = _arrays(base)
    ref_res = _outcomes(evaluate_many(resource, frame_of(base, resource, complete=True)))
    for name in ("csv", "gbk", "xlsx", "jsonl", "folder"):
        d = read_national(files[name])
        assert not d.problems, (name, d.problems[:3])
        _same_arrays(ref, _arrays(d))
        res = evaluate_many(resource, frame_of(d, resource, complete=True))
        assert _outcomes(res) == ref_res, name


def test_csv_without_pyarrow_reads_the_same(files: dict[str, Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The stdlib CSV reader (pyarrow not installed) gives the same arrays."""
    from eduint.data.national import formats

    ref = _arrays(read_national(files["gbk"]))
    monkeypatch.setattr(formats, "_has_pyarrow", lambda: False)
    monkeypatch.setattr(formats, "CHUNK", 7)  # many chunks
    _same_arrays(ref, _arrays(read_national(files["gbk"])))
