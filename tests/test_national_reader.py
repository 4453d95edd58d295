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
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
            kind = rnd.choice(["小学", "小学", "初中", "九年一贯制学校", "小学", "初中",
                               "小学", "初中", "特殊教育学校"])
            segs = ["小学", "初中"] if kind == "九年一贯制学校" else \
                ["小学"] if kind == "特殊教育学校" else [kind]
            loc = rnd.choice(["城区", "镇区", "乡村"])
            for seg in segs:
                students = rnd.randint(40, 1500)
                ncls = max(1, students // rnd.randint(30, 60))
                sizes = [rnd.randint(20, 70) for _ in range(ncls)]
                r = {
                    "行政区划代码": code, "县区名称": f"县{c}", "省": "浙江",
                    "学校代码": sid, "学校名称": f"学校{c}-{s}", "学校类型": kind,
                    "办学性质": "民办" if s % 5 == 3 else "公办", "城乡分类": loc, "学段": seg,
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


# ------------------------------------------------------------- differential


def write_record_workbook(path: Path, rows: list[dict[str, Any]], *, bands: bool) -> None:
    """The same data for the spreadsheet reader: a long school sheet (one row per school
    segment, the county code grouping rows) and a class sheet (one row per class), or
    the class sizes as band columns on the school sheet."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学校"
    head = [h for h in HEAD if h != "省"]
    band_heads = [_band_header(lo, hi) for lo, hi in BANDS]
    ws.append([*head, *(band_heads if bands else ["班级名单完整"])])
    for r in rows:
        extra = [c or None for c in _band_counts(r["班额"])] if bands else ["是"]
        ws.append([r.get(h) for h in head] + extra)
    if not bands:
        wc = wb.create_sheet("班级")
        wc.append(["行政区划代码", "学校代码", "学段", "班额"])
        for r in rows:
            for size in r["班额"]:
                wc.append([r["行政区划代码"], r["学校代码"], r["学段"], size])
    wb.save(path)


def _band_counts(sizes: list[int]) -> list[int]:
    return [sum(1 for s in sizes if s >= lo and (hi is None or s <= hi)) for lo, hi in BANDS]


def write_band_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    import csv

    band_heads = [_band_header(lo, hi) for lo, hi in BANDS]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([*HEAD, *band_heads])
        for r in rows:
            counts = _band_counts(r["班额"])
            w.writerow([_cell(r.get(h)) for h in HEAD] + [c or "" for c in counts])


def _by_county(res: Any, seg_keys: list[list[str]]) -> dict[str, Any]:
    """Per county code: overall outcome, headlines, each rule's entity outcomes keyed
    (school id/segment, or the county segment), and the report values."""
    from eduint.engine._prepare import SEGMENT

    out: dict[str, Any] = {}
    frame = res.frame
    for i in range(res.counties):
        rules: dict[str, Any] = {}
        for rid, rc in res.rules.items():
            t = frame.tables[rc.scope]
            a, b = int(t.start[i]), int(t.start[i + 1])
            if rc.scope == SEGMENT:
                keys = seg_keys[i]
            else:
                keys = [str(k) for k in range(b - a)]
            ents = np.flatnonzero(rc.entity[a:b])
            rules[rid] = sorted((keys[r], int(rc.outcome[a + r])) for r in ents.tolist())
        out[frame.codes[i]] = (res.overall_outcome(i), res.headlines(i), rules)
    return out


def _values(res: Any, rule: str, names: list[str]) -> dict[str, Any]:
    C = res.counties
    out = {}
    for name in names:
        v = np.asarray(res.values(rule, name), dtype=float).reshape(C, -1)
        for i in range(C):
            out[(res.frame.codes[i], name)] = v[i].tolist()
    return out


def _record_keys(res: Any) -> list[list[str]]:
    from eduint.engine._prepare import SEGMENT

    return [[p.tables[SEGMENT].ref(r).key for r in range(len(p.tables[SEGMENT]))]
            for p in res.frame.pops]


def _national_keys(d: NationalData, frame: Any) -> list[list[str]]:
    """Each county's school-segment keys, of the rows the frame kept (民办 and 特殊教育学校
    left out as the settings say)."""
    from eduint.engine.columnar._arrays import _kept_rows

    keep = _kept_rows(frame.settings, d.county, d.school, d.segment, d.fields, d.school_kind,
                      d.ownership)
    if keep is None:
        keep = np.ones(d.rows, dtype=bool)
    segs = [s.value for s in eduint.data.models.Segment]
    out: list[list[str]] = [[] for _ in range(d.counties)]
    for c, sid, g in zip(d.county[keep].tolist(), d.school_ids[keep].tolist(),
                         d.segment[keep].tolist(), strict=True):
        out[c].append(f"{sid}/{segs[g]}")
    return out


@pytest.mark.parametrize("rules", ["youzhi-junheng-2017-resource", str(PERFREF_RULES)])
def test_national_reader_agrees_with_the_spreadsheet_reader(
    rows: list[dict[str, Any]], files: dict[str, Path], tmp_path: Path, rules: str
) -> None:
    """The differential test: the national reader + array frame and the spreadsheet
    reader + the record engine's populations give every county the same outcomes."""
    from eduint.data.spreadsheets import read_tables

    rs = eduint.load_ruleset(rules)
    book = tmp_path / "record.xlsx"
    write_record_workbook(book, rows, bands=False)
    results = read_tables(book, complete=True, figures="per-segment")
    assert len(results) == 5
    rec = evaluate_many(rs, [r.county for r in results])
    d = read_national(files["parquet"])
    nat = evaluate_many(rs, frame_of(d, rs, complete=True))
    assert (d.school_kind == 6).any() and (d.ownership == 1).any()  # left out: 特教, 民办
    got, want = _by_county(nat, _national_keys(d, nat.frame)), _by_county(rec, _record_keys(rec))
    assert got == want
    assert any(oc == "不达标" for oc, _h, _r in got.values()) or any(
        v for _o, h, _r in got.values() for v in h.values())
    if rules.endswith("perfref.rules"):
        names = ["班级", "超过上限", "大班额", "超大班额"]
        assert _values(nat, "班级数", names) == _values(rec, "班级数", names)
        assert sum(sum(v) for v in _values(nat, "班级数", ["大班额"]).values()) > 0


def test_size_bands_agree_with_the_spreadsheet_reader(
    rows: list[dict[str, Any]], files: dict[str, Path], tmp_path: Path
) -> None:
    """Class sizes as band counts: the national reader's band entries (one entry of N
    classes a band, its comparisons decided by the record engine) count the classes
    over each limit as the spreadsheet reader's size bands do."""
    from eduint.data.spreadsheets import read_tables

    rs = eduint.load_ruleset(str(PERFREF_RULES))
    book = tmp_path / "bands.xlsx"
    write_record_workbook(book, rows, bands=True)
    rec = evaluate_many(rs, [r.county for r in read_tables(book, complete=True,
                                                           figures="per-segment")])
    csv_path = tmp_path / "bands.csv"
    write_band_csv(csv_path, rows)
    d = read_national(csv_path)
    assert d.class_mult is not None and d.class_bands is not None and d.class_bands.all()
    nat = evaluate_many(rs, frame_of(d, rs, complete=True))
    got, want = _shown(nat, "班级数"), _shown(rec, "班级数")
    assert got == want
    assert sum(1 for v in got.values() for _e, shown in v for _n, x in shown if x != "None") > 20
    # the limits (45, 50, 56, 66) fall on band bounds: the counts are the class lists'
    lists = evaluate_many(rs, frame_of(read_national(files["parquet"]), rs, complete=True))
    assert _shown(lists, "班级数") == got


def _shown(res: Any, rule: str) -> dict[str, Any]:
    """Per county code, the report values of ``rule``'s entities in its full report
    (the record engine's, for entities it decided)."""
    out = {}
    for i in range(res.counties):
        item = next(it for it in res.report(i).items if it.id == rule)
        out[res.frame.codes[i]] = sorted(
            (e.entity.key, [(s.name, str(s.value)) for s in e.shown]) for e in item.entities)
    return out


# ---------------------------------------------------------------- problems

BAD_CSV = """\
行政区划代码,县区名称,学校代码,学校类型,学段,在校生数,专任教师数,网络多媒体教室数,高于规定学历教师数,县级以上骨干教师数,班额
110101,东城区,1,小学,小学,abc,12.5,-3,约8,10以上,45;x;50
110101,东城区,2,大学,小学,"1,655",20,4,30多,3,40 41
110101,东城区,,小学,小学,100,5,1,1,1,30
110101,东城区,2,小学,小学,99,5,1,1,1,30
,,,,,,,,,,
110102,西城区,3,初中,初中,300,20,4,10,3,
"""


@pytest.mark.parametrize("arrow", [True, False], ids=["pyarrow", "stdlib"])
def test_bad_cells_are_problems_and_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arrow: bool
) -> None:
    """Each bad cell is a problem naming the file, the row (the CSV line), the column
    and the text; its value is missing (NaN and masked), never 0.  A row without a
    school id is left out (D030), a school segment given twice keeps its first row
    (D011), a blank row is no data."""
    from eduint.data.national import formats

    if not arrow:
        monkeypatch.setattr(formats, "_has_pyarrow", lambda: False)
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    d = read_national(path)
    got = {(p.row, p.path, p.code): p for p in d.problems}
    want = {
        (2, "在校生数", "D020"), (2, "专任教师数", "D021"), (2, "网络多媒体教室数", "D022"),
        (2, "高于规定学历教师数", "D026"), (2, "县级以上骨干教师数", "D023"), (2, "班额", "D020"),
        (3, "学校类型", "D020"), (3, "高于规定学历教师数", "D026"), (4, "学校代码", "D030"),
        (5, "", "D011"),
    }
    assert set(got) == want
    assert got[(2, "在校生数", "D020")].value == "abc"
    assert got[(2, "在校生数", "D020")].file == str(path)
    assert got[(2, "班额", "D020")].value == "45;x;50"
    assert d.rows_read == 5 and d.rows_used == 3
    # rows: school 1, school 2 (its first row), school 3 (county 110102)
    assert d.school_ids.tolist() == ["1", "2", "3"]
    students = d.fields["students"]
    assert np.isnan(students[0]) and d.missing["students"][0]
    assert students[1] == 1655  # "1,655" read by the figure parser
    for field in ("full_time_teachers", "multimedia_rooms", "teachers_above_degree",
                  "backbone_teachers"):
        assert d.missing[field][0] and np.isnan(d.fields[field][0]), field
    assert d.school_kind.tolist() == [0, -1, 1]
    # the bad class list and the blank one are missing; "40 41" is two classes
    assert d.class_missing is not None and d.class_missing.tolist() == [True, False, True]
    assert d.class_offsets.tolist() == [0, 0, 2, 2]


def test_a_text_past_the_text_limit_is_not_read(tmp_path: Path) -> None:
    """A school id longer than the ``text`` limit is a D025 problem and not read (the
    row, without a school id, is left out: D030)."""
    path = tmp_path / "t.csv"
    path.write_text("县区代码,学校代码,学段,在校生数\n1,ABCDEFGHIJ,小学,5\n1,2,小学,6\n",
                    encoding="utf-8")
    d = read_national(path, limits=Limits(text=5))
    assert sorted((p.row, p.code) for p in d.problems) == [(2, "D025"), (2, "D030")]
    assert d.school_ids.tolist() == ["2"]


def test_header_units_mapping_and_aliases(tmp_path: Path) -> None:
    """Headers as the spreadsheet reader reads them: an alias (学校标识码), a unit in
    brackets (万元 → 元, 亩 → 平方米), a --mapping entry; an unknown column is D010, an
    unused mapping entry D013."""
    from eduint.data.spreadsheets import load_mapping

    path = tmp_path / "u.csv"
    path.write_text(
        "县区代码,学校标识码,学段,在校学生数,教学仪器设备值（万元）,体育运动场馆面积(亩),"
        "老师总数,神秘列\n"
        "1,001,小学,100,1.2345,1.5,7,x\n", encoding="utf-8")
    mp = tmp_path / "m.yaml"
    mp.write_text("columns:\n  老师总数: 专任教师数\n  没有这列: 在校生数\n", encoding="utf-8")
    d = read_national(path, mapping=load_mapping(mp))
    assert d.fields["equipment_value"].tolist() == [12345.0]
    assert d.fields["sports_area"].tolist() == [1000.0]
    assert d.fields["full_time_teachers"].tolist() == [7.0]
    assert d.fields["students"].tolist() == [100.0]
    assert d.school_ids.tolist() == ["001"]
    codes = sorted(p.code for p in d.problems)
    assert codes == ["D010", "D013"]


def test_county_in_two_files_and_no_header(tmp_path: Path, rows: list[dict[str, Any]]) -> None:
    """A county whose rows are in two files of a folder is an error naming both (D006);
    a file whose rows name no two known columns has no header (D003); a table without a
    学段 column is refused (D006)."""
    folder = tmp_path / "f"
    folder.mkdir()
    write_csv(folder / "a.csv", rows[:10])
    write_csv(folder / "b.csv", rows[10:])
    with pytest.raises(DataFileError) as exc:
        read_national(folder)
    assert exc.value.code == "D006" and "a.csv" in str(exc.value) and "b.csv" in str(exc.value)
    p = tmp_path / "x.csv"
    p.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        read_national(p)
    assert exc.value.code == "D003"
    p.write_text("县区代码,学校代码,在校生数\n1,2,3\n", encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        read_national(p)
    assert exc.value.code == "D006" and "学段" in str(exc.value)


def test_national_limits(files: dict[str, Path]) -> None:
    """The national limits refuse data past them, naming the limit (D005); the defaults
    pass national scale (216,000 rows, 4.3 million classes)."""
    assert Limits().national_rows >= 216_000 and Limits().national_classes >= 4_300_000
    for name, value in (("national_rows", 5), ("national_classes", 50),
                        ("national_file_size", 100)):
        with pytest.raises(DataFileError) as exc:
            read_national(files["csv"], limits=Limits(**{name: value}))
        assert exc.value.code == "D005" and name in str(exc.value)


def test_progress_reaches_the_total(files: dict[str, Path]) -> None:
    """The progress callback is called with (done, total) bytes, ending at the total."""
    calls: list[tuple[int, int]] = []
    read_national(files["folder"], progress=lambda d, t: calls.append((d, t)))
    assert len(calls) >= 5
    assert calls[-1][0] == calls[-1][1] > 0
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:], strict=False))


def test_perfref_parquet_through_the_mapping_equals_ref_numpy(tmp_path: Path) -> None:
    """perfref's scale-0.01 Parquet file read through ``bench/perfref-mapping.yaml``
    (perfref's column names and value codes → eduint's; its own id columns ignored,
    so no problem): every row's pass, every county segment's CV verdicts and class
    counts equal perfref's numpy program's."""
    import datetime
    import subprocess
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    import _perfref_frame as P

    perfref = P.perfref_dir()
    if perfref is None:
        pytest.skip("perfref not found (EDUINT_PERFREF, ../shared/perfref)")
    subprocess.run([sys.executable, str(perfref / "gen_national.py"), "--scale", "0.01",
                    "--format", "parquet", "--out-dir", str(tmp_path)],
                   check=True, capture_output=True, cwd=perfref)
    path = tmp_path / "national_s0.01.parquet"
    from eduint.data.spreadsheets import load_mapping

    d = read_national(path, mapping=load_mapping(REPO / "bench" / "perfref-mapping.yaml"))
    assert (d.counties, d.rows_used, d.classes) == (31, 2161, 43092)
    # province_id, county_id … are under the mapping's ignore: not read, not reported
    assert not d.problems, d.problems[:3]
    rs = P.ruleset()
    res = evaluate_many(rs, frame_of(d, rs, complete=True, as_of=datetime.date(2024, 9, 1)))
    got = P.extract(res)
    sys.path.insert(0, str(perfref))
    try:
        import ref_numpy
    finally:
        sys.path.remove(str(perfref))
    cols, _ = ref_numpy.load(str(path))
    ref = ref_numpy.compute(cols)
    assert np.array_equal(got["passed"], ref["passed"])
    assert np.array_equal(got["cv_ok"], ref["cv_ok"])
    assert np.array_equal(got["classes"], ref["classes"])
    assert res.deferred == 0


def test_integer_ids_read_as_their_texts(tmp_path: Path, rows: list[dict[str, Any]],
                                         resource: Any) -> None:
    """School ids typed as integers (a Parquet file's int64 column) are kept as integers
    (their texts are made only when shown), and the data reads, evaluates and labels
    its schools as the same file with the ids typed as text."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from eduint.engine.columnar.tables import school_labels

    digits = [dict(r, 学校代码=str(int(r["学校代码"]))) for r in rows]
    table = pa.Table.from_pylist(digits)
    as_text = tmp_path / "text.parquet"
    pq.write_table(table, as_text)
    as_int = tmp_path / "int.parquet"
    k = table.schema.get_field_index("学校代码")
    pq.write_table(table.set_column(k, "学校代码", pc.cast(table.column(k), pa.int64())),
                   as_int)
    t, i = read_national(as_text), read_national(as_int)
    assert i.school_ids.dtype.kind == "i" and t.school_ids.dtype.kind == "U"
    assert [str(x) for x in i.school_ids.tolist()] == t.school_ids.tolist()
    _same_arrays({k: v for k, v in _arrays(t).items() if k != "ids"},
                 {k: v for k, v in _arrays(i).items() if k != "ids"})
    res_t = evaluate_many(resource, frame_of(t, resource, complete=True))
    res_i = evaluate_many(resource, frame_of(i, resource, complete=True))
    assert _outcomes(res_t) == _outcomes(res_i)
    assert [x.tolist() for x in school_labels(res_i)[:1]] == \
        [x.tolist() for x in school_labels(res_t)[:1]]
    assert all(isinstance(x, str) for x in school_labels(res_i)[0].tolist())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-(2**40), 2**40), max_size=60), st.sampled_from(
    ["int8", "int16", "int32", "int64"]), st.booleans(), st.integers(0, 3))
def test_unique_equals_numpy_unique(values: list[int], dtype: str, ordered: bool,
                                    spread: int) -> None:
    """The reader's ``_unique`` (no sort when the ids are in order; counting for small
    code ranges) gives exactly ``numpy.unique(return_inverse=True)``."""
    from eduint.data.national.convert import _unique

    info = np.iinfo(dtype)
    scale = [1, 3, 1000, 2**40][spread]
    v = np.array([x % scale for x in values], dtype=np.int64)
    v = np.clip(v - scale // 2, info.min, info.max).astype(dtype)
    if ordered:
        v = np.sort(v)
    uniq, inv = _unique(v)
    want_u, want_inv = np.unique(v, return_inverse=True)
    assert uniq.tolist() == want_u.tolist()
    assert inv.tolist() == want_inv.reshape(-1).tolist()


def test_typed_columns_with_bad_figures_are_problems(tmp_path: Path) -> None:
    """Figures typed as numbers in a Parquet file are checked as a CSV's are: a negative
    count (int64) is D022, one past 10^15 is D020, a fractional count (double) is
    D021, each missing with its row; a column without a bad figure has no problem (the
    reader's shortcut for such columns must not hide one)."""
    import pyarrow.parquet as pq

    rows = {"行政区划代码": [110101] * 4, "学校代码": [1, 2, 3, 4], "学段": ["小学"] * 4,
            "在校生数": [100, -3, 10**16, 200],
            "专任教师数": [10.0, 2.5, 7.0, float("nan")],
            "网络多媒体教室数": [1, 2, 3, 4],
            "教学仪器设备值": [1.5, -0.5, 2e15, 3.0]}
    path = tmp_path / "typed.parquet"
    pq.write_table(pa.table(rows), path)
    d = read_national(path)
    got = {(p.row, p.path, p.code) for p in d.problems}
    assert got == {(2, "在校生数", "D022"), (3, "在校生数", "D020"), (2, "专任教师数", "D021"),
                   (2, "教学仪器设备值", "D022"), (3, "教学仪器设备值", "D020")}
    assert d.missing["students"].tolist() == [False, True, True, False]
    assert d.missing["full_time_teachers"].tolist() == [False, True, False, True]
    assert not d.missing["multimedia_rooms"].any()


def test_a_parquet_list_column_decoded_apart(tmp_path: Path) -> None:
    """A Parquet file's list column (班额) is decoded in a thread of its own and waited
    for when the reader reaches it: the same arrays as read at once; a column that
    cannot be decoded is a DataFileError naming the file when looked up, never a
    thread's traceback; an index nothing reads is a KeyError."""
    import pyarrow.parquet as pq

    from eduint.data.national.formats import _Columns, _Decoding

    path = tmp_path / "lists.parquet"
    pq.write_table(pa.table({"行政区划代码": [110101, 110101], "学校代码": [1, 2],
                             "学段": ["小学", "初中"], "在校生数": [90, 100],
                             "班额": [[45, 45], [50, 50]]}), path)
    d = read_national(path)
    assert d.class_sizes.tolist() == [45, 45, 50, 50]
    assert d.class_offsets.tolist() == [0, 2, 4]
    cols = _Columns({0: "ready"}, {4: _Decoding(path, "班额", "lists.parquet"),
                                   5: _Decoding(path, "no such column", "lists.parquet")})
    assert cols[0] == "ready"
    assert cols[4].to_pylist() == [[45, 45], [50, 50]]
    with pytest.raises(DataFileError, match="lists.parquet.*cannot read the Parquet file"):
        cols[5]
    with pytest.raises(KeyError):
        cols[6]


def test_missing_class_lists_are_no_data_as_in_the_record_engine(
    rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    """A school segment without a 班额 list makes its county's list of classes
    incomplete: a class rule is 缺少数据 where no class fails (not 不适用, as it was
    for a county none of whose lists is given), exactly as the spreadsheet reader and
    the record engine decide the same CSV file."""
    from eduint.data.spreadsheets import read_tables

    codes = sorted({r["行政区划代码"] for r in rows})
    blank = [dict(r, 班额=[]) if r["行政区划代码"] == codes[0] else dict(r) for r in rows]
    second = next(i for i, r in enumerate(blank) if r["行政区划代码"] == codes[1])
    blank[second]["班额"] = []  # one segment of the second county
    path = tmp_path / "lists.csv"
    write_csv(path, blank)
    import datetime

    rs = eduint.load_ruleset("youzhi-junheng-2017")
    day = datetime.date(2024, 9, 1)
    rec = evaluate_many(rs, [r.county for r in read_tables(path, complete=True,
                                                            figures="per-segment")], day)
    d = read_national(path)
    nat = evaluate_many(rs, frame_of(d, rs, complete=True, as_of=day), day)
    at = {code: i for i, code in enumerate(rec.frame.codes)}
    five = {code: (nat.outcome("(五)", i), rec.outcome("(五)", at[code]))
            for i, code in enumerate(nat.frame.codes)}
    assert five[codes[0]] == (eduint.Outcome.NO_DATA, eduint.Outcome.NO_DATA)
    assert five[codes[1]][0] in (eduint.Outcome.NO_DATA, eduint.Outcome.NOT_MET)
    assert all(a == b for a, b in five.values()), five
    got, want = _by_county(nat, _national_keys(d, nat.frame)), _by_county(rec, _record_keys(rec))
    assert got == want
