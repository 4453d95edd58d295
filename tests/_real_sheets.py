"""A builder of statistics-shaped sheets (issue 13): the long sheet county and provincial
offices export, and the same data in the YAML input format.

One row per school segment, several counties told apart by 县区代码, schools by
学校标识码, Chinese headers with units in brackets (or full-width brackets, or
【】), a title row above the header (optionally a merged two-row header), equipment in
万元, class-size band columns by their bounds (``25人及以下``, ``26-30人`` … ``66人及以上``),
the statistics' own words for 办学类型 and 城乡分类, and per-segment physical figures
(a one-through school's segments each with their own floor area, equipment, rooms).

:func:`counties` makes the data; :func:`yaml_documents` writes it in the input format;
:func:`write_xlsx` and :func:`write_csv` write the sheet in one of :data:`VARIANTS`.
"""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

#: The header variants the builder writes.
VARIANTS = ("plain", "fullwidth", "merged")

_BANDS = [(0, 25), (26, 30), (31, 35), (36, 40), (41, 45), (46, 50), (51, 55), (56, 65), (66, None)]
_KIND_WORDS = {"小学": "小学", "初中": "初级中学", "九年一贯制": "九年一贯制学校"}
_LOCATION_WORDS = {"城区": "主城区", "镇区": "镇中心区", "乡村": "村庄"}

# (field, plain header, full-width header, group of the merged header)
_COLUMNS: list[tuple[str, str, str, str]] = [
    ("code", "县区代码", "行政区划代码", "单位"),
    ("county", "县区名称", "县（区）名称", "单位"),
    ("id", "学校标识码", "学校（机构）标识码", "单位"),
    ("name", "学校名称", "学校（机构）名称", "单位"),
    ("kind", "办学类型", "学校类型", "单位"),
    ("location", "城乡分类", "城乡类型", "单位"),
    ("segment", "学段", "学 段", "单位"),
    ("students", "在校生数(人)", "在校学生数（人）", "学生"),
    ("class_count", "班级数(个)", "班级数（个）", "学生"),
    ("full_time_teachers", "专任教师数(人)", "专任教师数（人）", "教师"),
    ("teachers_above_degree", "高于规定学历教师数(人)", "高于规定学历教师数【人】", "教师"),
    ("backbone_teachers", "县级以上骨干教师数(人)", "县级以上骨干教师数（人）", "教师"),
    ("pe_arts_teachers", "体育艺术专任教师数(人)", "体育艺术专任教师数（名）", "教师"),
    ("floor_area_teaching", "教学及辅助用房面积(平方米)", "教学及辅助用房面积（㎡）", "办学条件"),
    (
        "indoor_sports_area",
        "其中:室内体育用房面积(平方米)",
        "其中：室内体育用房面积（平方米）",
        "办学条件",
    ),
    ("sports_area", "体育运动场馆面积(平方米)", "体育运动场(馆)面积【平方米】", "办学条件"),
    ("equipment_value", "教学仪器设备值(万元)", "教学仪器设备资产值（万元）", "办学条件"),
    ("multimedia_rooms", "网络多媒体教室数(间)", "网络多媒体教室（间）", "办学条件"),
    ("books", "图书(册)", "图书册数（册）", "办学条件"),
    ("computers", "教学用计算机台数(台)", "计算机台数（台）", "办学条件"),
]


def _band_header(low: int, high: int | None, fullwidth: bool) -> str:
    if high is None:
        return f"{low}人及以上" + ("班数" if fullwidth else "")
    if low == 0:
        return f"{high}人及以下" + ("班数" if fullwidth else "")
    return f"{low}-{high}人" if not fullwidth else f"{low}～{high}人班数"


def counties(seed: int = 7, n_counties: int = 3) -> list[dict[str, Any]]:
    """Counties as plain data: code, name and schools, each school with its segments'
    figures (equipment in 元, a multiple of 100 so that 万元 is exact)."""
    rng = random.Random(seed)
    out = []
    for c in range(n_counties):
        code = f"3301{c + 2:02d}"
        schools = []
        for s in range(7):
            kind = ("小学", "小学", "初中", "九年一贯制", "小学", "初中", "九年一贯制")[s]
            segs = ["小学", "初中"] if kind == "九年一贯制" else [kind]
            segments = {}
            for seg in segs:
                students = rng.randint(300, 1500)
                bands = [rng.randint(0, 6) for _ in _BANDS]
                segments[seg] = {
                    "students": students,
                    "class_count": sum(bands),
                    "full_time_teachers": students // 14 + rng.randint(0, 9),
                    "teachers_above_degree": students // 22 + rng.randint(0, 9),
                    "backbone_teachers": students // 90 + rng.randint(0, 3),
                    "pe_arts_teachers": students // 100 + rng.randint(0, 4),
                    "floor_area_teaching": students * rng.randint(4, 7) + rng.randint(0, 99),
                    "indoor_sports_area": rng.randint(200, 900),
                    "sports_area": students * rng.randint(6, 12),
                    "equipment_value": students * rng.randint(18, 30) * 100,
                    "multimedia_rooms": students // 40 + rng.randint(0, 6),
                    "books": students * rng.randint(25, 45),
                    "computers": students // 8 + rng.randint(0, 20),
                    "bands": bands,
                }
            schools.append(
                {
                    "id": f"{code}{s + 1:04d}",
                    "name": f"{'甲乙丙'[c]}县第{s + 1}{'小学' if kind == '小学' else '中学'}",
                    "kind": kind,
                    "location": ("城区", "镇区", "乡村")[s % 3],
                    "segments": segments,
                }
            )
        out.append({"code": code, "name": f"{'甲乙丙'[c]}县", "schools": schools})
    return out


def yaml_documents(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each county in the YAML input format (segment figures given per segment)."""
    docs = []
    for county in data:
        schools = []
        for sc in county["schools"]:
            segments = {}
            for seg, f in sc["segments"].items():
                fields = {k: v for k, v in f.items() if k != "bands"}
                fields["size_bands"] = [
                    {"low": low, "high": high, "count": n}
                    for (low, high), n in zip(_BANDS, f["bands"], strict=True)
                ]
                segments[seg] = fields
            schools.append(
                {
                    "id": sc["id"],
                    "name": sc["name"],
                    "kind": sc["kind"],
                    "location": sc["location"],
                    "segments": segments,
                }
            )
        docs.append(
            {
                "name": county["name"],
                "code": county["code"],
                "schools_complete": True,
                "schools": schools,
            }
        )
    return docs


def _cell(
    field: str, county: dict[str, Any], sc: dict[str, Any], seg: str, f: dict[str, Any]
) -> Any:
    if field == "code":
        return county["code"]
    if field == "county":
        return county["name"]
    if field == "kind":
        return _KIND_WORDS[sc["kind"]]
    if field == "location":
        return _LOCATION_WORDS[sc["location"]]
    if field in ("id", "name"):
        return sc[field]
    if field == "segment":
        return seg
    if field == "equipment_value":
        return float(Decimal(f[field]) / 10000)  # 万元, as a workbook stores it
    return f[field]


def rows(data: list[dict[str, Any]], variant: str) -> tuple[list[list[Any]], list[list[Any]]]:
    """The header rows (one, or two for ``merged``) and the data rows of the sheet."""
    full = variant != "plain"
    headers = [(h2 if full else h1) for _f, h1, h2, _g in _COLUMNS]
    headers += [_band_header(lo, hi, full) for lo, hi in _BANDS]
    if variant == "merged":
        top = [g for _f, _h1, _h2, g in _COLUMNS] + ["班额"] * len(_BANDS)
        header_rows = [top, headers]
    else:
        header_rows = [headers]
    body = []
    for county in data:
        for sc in county["schools"]:
            for seg, f in sc["segments"].items():
                row = [_cell(field, county, sc, seg, f) for field, *_rest in _COLUMNS]
                body.append(row + list(f["bands"]))
    return header_rows, body


TITLE = "2019年某市义务教育学校基本情况统计表"


def write_xlsx(data: list[dict[str, Any]], path: Path, variant: str) -> Path:
    """The long sheet as a workbook: a merged title row, then the header, then the rows."""
    import openpyxl

    header_rows, body = rows(data, variant)
    width = len(header_rows[-1])
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "学校基本情况"
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for r in header_rows:
        ws.append(r)
    if variant == "merged":  # groups merged over their columns in row 2
        top = header_rows[0]
        c = 0
        while c < width:
            end = c
            while end + 1 < width and top[end + 1] == top[c]:
                end += 1
            if end > c:
                ws.merge_cells(start_row=2, start_column=c + 1, end_row=2, end_column=end + 1)
            c = end + 1
    for r in body:
        ws.append(r)
    wb.save(path)
    return path


def write_csv(data: list[dict[str, Any]], path: Path, variant: str, encoding: str) -> Path:
    """The long sheet as a CSV file: the title line, the header line(s), the rows."""
    header_rows, body = rows(data, variant)
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow([TITLE])
        for r in header_rows:
            w.writerow(r)
        for r in body:
            w.writerow(r)
    return path
