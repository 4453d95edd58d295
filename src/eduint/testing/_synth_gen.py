"""The generator behind :func:`eduint.testing.synth.synthesize`: vectorised numpy, no loop
over schools or classes (a scale-1 table takes about a second).

Distributions follow ``perfref/gen_national.py`` (the performance work's reference
generator), with teaching points, ownership, books, computers, indoor sports rooms and
missing figures added.  Tables are indexed ``[segment, location]`` (segment 0 小学,
1 初中; location 0 城区, 1 镇区, 2 乡村).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eduint.testing._synth_data import (
    BASE_SCHOOLS,
    COLUMNS,
    OTHER_MISSING,
    PROVINCES,
    RULE_FIGURES,
    SynthTable,
)

if TYPE_CHECKING:
    import numpy.typing as npt

    Arr = npt.NDArray[Any]

# School types (学校类型 as the statistics write them); 教学点 is a primary segment.
KINDS = ("小学", "初级中学", "九年一贯制学校", "教学点")
PRIMARY, JUNIOR, NINE_YEAR, POINT = range(4)
LOCATIONS = ("城区", "镇区", "乡村")
SEGMENTS = ("小学", "初中")
# Share of school types by county kind (0 市辖区, 1 县/县级市): 小学, 初级中学, 九年一贯制, 教学点.
KIND_P = ((0.62, 0.25, 0.10, 0.03), (0.52, 0.20, 0.08, 0.20))
# Location by county kind and school type (小学, 初级中学, 九年一贯制); a 教学点 is 乡村.
LOC_P = (
    ((0.65, 0.22, 0.13), (0.75, 0.20, 0.05), (0.60, 0.25, 0.15)),
    ((0.12, 0.33, 0.55), (0.22, 0.55, 0.23), (0.15, 0.45, 0.40)),
)
STUDENTS_MEDIAN = ((1330.0, 720.0, 200.0), (1280.0, 850.0, 400.0))
STUDENTS_SIGMA = ((0.60, 0.70, 0.90), (0.55, 0.60, 0.70))
CLASS_MEAN = ((41.0, 38.0, 28.0), (45.0, 42.0, 36.0))
CROWDED_P = ((0.05, 0.06, 0.01), (0.06, 0.07, 0.02))  # schools with 大班额
PUPIL_TEACHER = ((18.5, 17.0, 13.0), (13.0, 12.5, 11.0))
# The 2017 resource standards (教督〔2017〕6号) by segment, and what they are per: 高于规定
# 学历教师, 骨干教师, 体育艺术教师 (人/百人), 教学及辅助用房, 体育运动场馆 (平方米/人),
# 教学仪器设备值 (元/人), 网络多媒体教室 (间/百人).
STANDARD = ((4.2, 1.0, 0.9, 4.5, 7.5, 2000.0, 2.3), (5.3, 1.0, 0.9, 5.8, 10.2, 2500.0, 2.4))
PER = (100.0, 100.0, 100.0, 1.0, 1.0, 1.0, 100.0)
# Median ratio of a figure to its standard in an ordinary county, and its factor by
# location (城区, 镇区, 乡村) for each of the seven: rural schools have more room per
# student and less equipment and fewer backbone teachers.
RATIO_MEDIAN = 1.4
RATIO_BY_LOCATION = (
    (1.10, 1.03, 0.95),
    (1.20, 1.00, 0.85),
    (1.00, 1.00, 0.95),
    (0.90, 1.00, 1.25),
    (0.85, 1.05, 1.30),
    (1.20, 1.00, 0.85),
    (1.00, 1.00, 1.10),
)
#: Share of balanced counties (every school at or over the standards, little spread).
BALANCED_COUNTIES = 0.15
BOOKS_PER = (30.0, 40.0)  # 册/人 by segment
COMPUTERS_PER = (0.12, 0.16)  # 台/人 by segment
FUNDING_PER = (1100.0, 1600.0)  # 元/人 public funds by segment
GRADES = (6, 3)
#: Share of counties whose rule figures have holes, and the share of their rows missing each.
INCOMPLETE_COUNTIES = 0.08
INCOMPLETE_ROWS = 0.03
#: The figures of a school's physical plant and money (school fields in the registry): a
#: one-through school has them on both rows or on neither.
SCHOOL_FIGURES = frozenset(
    {"教学及辅助用房面积", "室内体育用房面积", "体育运动场馆面积", "教学仪器设备值",
     "网络多媒体教室数", "图书册数", "计算机台数", "公用经费"}
)  # fmt: skip
#: Share of rows whose class list is not given.
NO_CLASS_LIST = 0.003


def generate(rng: Any, n_counties: int, scale: float, seed: int) -> SynthTable:
    """The synthetic table of ``n_counties`` counties (see :mod:`eduint.testing.synth`).

    Args:
        rng: a ``numpy.random.Generator``, the only source of randomness.
        n_counties: the number of counties (≥ 1).
        scale, seed: recorded in the metadata.
    """
    import numpy as np

    county = _counties(np, rng, n_counties)
    n_schools = max(2 * n_counties, int(round(BASE_SCHOOLS * scale)))
    school = _schools(np, rng, county, n_schools)
    row = _rows(np, rng, school)
    sizes, offsets = _classes(np, rng, row)
    figures = _figures(np, rng, row, county)
    cols = _text_columns(np, county, school, row)
    cols["在校生数"] = row["students"].astype(np.int32)
    cols["班级数"] = row["n_classes"].astype(np.int32)
    cols.update(figures)
    cols = {name: cols[name] for name, _, _ in COLUMNS if name != "班额"}
    missing = _missing(np, rng, row, county, cols)
    class_missing = rng.random(len(row["students"])) < NO_CLASS_LIST
    meta = {
        "synthetic": True,
        "note": "合成数据，不是真实数据 (synthetic data, not real): made by eduint synth",
        "generator": "eduint synth",
        "scale": scale,
        "seed": seed,
        "counties": n_counties,
        "schools": n_schools,
        "rows": len(row["students"]),
        "classes": int(offsets[-1]),
        "row_order": "行政区划代码, 学校代码, 学段 (小学, 初中)",
    }
    return SynthTable(cols, missing, sizes, offsets, class_missing, meta)


def _allocate(np: Any, n_counties: int) -> Arr:
    """Counties per province, proportional to the real counts (largest remainder)."""
    weights = np.array([p[3] for p in PROVINCES], dtype=float)
    quota = weights / weights.sum() * n_counties
    alloc = np.floor(quota).astype(np.int64)
    order = np.argsort(-(quota - alloc), kind="stable")
    alloc[order[: n_counties - int(alloc.sum())]] += 1
    return alloc  # type: ignore[no-any-return]


def _counties(np: Any, rng: Any, n: int) -> dict[str, Any]:
    """County arrays, sorted by county code: province index, code, kind, name, factor.

    A code is ``PPCCDD``: province, a made-up prefecture (20 counties each) and a
    district number (01–20 for a 市辖区, 21–40 for a 县), as GB/T 2260 numbers them.
    """
    alloc = _allocate(np, n)
    prov = np.repeat(np.arange(len(PROVINCES)), alloc)
    seq = np.arange(n) - np.repeat(np.cumsum(alloc) - alloc, alloc)
    kind = (rng.random(n) >= 0.33).astype(np.int8)  # 0 市辖区, 1 县/县级市
    factor = np.array([p[4] for p in PROVINCES])[prov] * rng.lognormal(0.0, 0.12, n)
    prov_code = np.array([p[0] for p in PROVINCES])[prov]
    code = prov_code * 10000 + (seq // 20 + 1) * 100 + seq % 20 + 1 + 20 * kind
    order = np.argsort(code, kind="stable")
    prov, seq, kind, factor, code = (a[order] for a in (prov, seq, kind, factor, code))
    short = np.array([p[2] for p in PROVINCES])[prov]
    name = np.char.add(np.char.add(np.char.add(short, "第"), (seq + 1).astype(str)),
                       np.where(kind == 0, "区", "县"))  # fmt: skip
    incomplete = rng.random(n) < INCOMPLETE_COUNTIES
    balanced = rng.random(n) < BALANCED_COUNTIES
    spread = rng.uniform(0.10, 0.45, n)  # a county's spread of its schools' figures
    return {
        "prov": prov,
        "code": code.astype(str),
        "kind": kind,
        "factor": factor,
        "name": name,
        "province": np.array([p[1] for p in PROVINCES])[prov],
        "incomplete": incomplete,
        "balanced": balanced,
        "spread": spread,
    }


def _schools(np: Any, rng: Any, county: dict[str, Any], n: int) -> dict[str, Any]:
    """School arrays in county order: county index, kind, location, ownership, number."""
    c = len(county["code"])
    weight = rng.lognormal(0.0, 0.6, c)
    per_county = rng.multinomial(n - 2 * c, weight / weight.sum()) + 2
    school_county = np.repeat(np.arange(c), per_county)
    start = np.cumsum(per_county) - per_county
    ckind = county["kind"][school_county]
    u = rng.random(n)
    kind = (u[:, None] > np.cumsum(np.array(KIND_P)[ckind], axis=1)[:, :3]).sum(axis=1)
    # every county gets at least one primary and one junior segment (its 差异系数 exist)
    has_p = np.bincount(school_county[kind != JUNIOR], minlength=c) > 0
    kind[start[~has_p]] = PRIMARY
    has_j = np.bincount(school_county[(kind == JUNIOR) | (kind == NINE_YEAR)], minlength=c) > 0
    kind[start[~has_j] + 1] = JUNIOR
    loc_p = np.cumsum(np.array(LOC_P)[ckind, np.minimum(kind, NINE_YEAR)], axis=1)
    loc = (rng.random(n)[:, None] > loc_p[:, :2]).sum(axis=1)
    loc[kind == POINT] = 2
    private = (rng.random(n) < np.where(loc == 0, 0.10, 0.04)) & (kind != POINT)
    return {
        "county": school_county,
        "kind": kind.astype(np.int8),
        "loc": loc.astype(np.int8),
        "private": private,
        "number": np.arange(n) - start[school_county] + 1,
        "width": max(4, len(str(int(per_county.max())))),
    }


def _rows(np: Any, rng: Any, school: dict[str, Any]) -> dict[str, Any]:
    """School-segment rows (a 九年一贯制学校 has two) with their students."""
    kind = school["kind"]
    nrep = np.where(kind == NINE_YEAR, 2, 1)
    n = int(nrep.sum())
    sch = np.repeat(np.arange(len(kind)), nrep)
    pos = np.arange(n) - np.repeat(np.cumsum(nrep) - nrep, nrep)
    k = kind[sch]
    seg = np.where(k == NINE_YEAR, pos, np.where(k == JUNIOR, 1, 0)).astype(np.int8)
    loc = school["loc"][sch]
    mu = np.log(np.array(STUDENTS_MEDIAN)[seg, loc])
    mu += np.where(k == NINE_YEAR, np.where(seg == 0, np.log(0.6), np.log(0.5)), 0.0)
    x = np.exp(mu + np.array(STUDENTS_SIGMA)[seg, loc] * rng.standard_normal(n))
    x = np.where(k == POINT, np.exp(rng.uniform(np.log(10), np.log(100.49), n)), x)
    low = np.where(k == POINT, 10, np.where(seg == 0, 15, 20))
    students = np.clip(np.rint(x), low, 6500).astype(np.int64)
    return {"school": sch, "county": school["county"][sch], "kind": k, "seg": seg,
            "loc": loc, "students": students}  # fmt: skip


def _classes(np: Any, rng: Any, row: dict[str, Any]) -> tuple[Arr, Arr]:
    """Class sizes (int16, summing to each row's students) and the rows' offsets.

    A few schools are crowded (a mean class of 50–68), which gives classes over 56 and
    over 66; a 教学点 has 1–6 small mixed-grade classes.
    """
    seg, loc, students = row["seg"], row["loc"], row["students"]
    n = len(students)
    crowded = rng.random(n) < np.array(CROWDED_P)[seg, loc]
    mean = np.where(crowded, rng.uniform(50.0, 68.0, n),
                    np.array(CLASS_MEAN)[seg, loc] + 3.0 * rng.standard_normal(n))  # fmt: skip
    n_cls = np.maximum(1, np.rint(students / mean)).astype(np.int64)
    grades = np.array(GRADES)[seg]
    n_cls = np.maximum(n_cls, np.minimum(grades, np.ceil(students / 12.0).astype(np.int64)))
    point = np.clip(np.ceil(students / rng.uniform(8.0, 25.0, n)), 1, 6).astype(np.int64)
    n_cls = np.where(row["kind"] == POINT, point, n_cls)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(n_cls, out=offsets[1:])
    total = int(offsets[-1])
    cls_row = np.repeat(np.arange(n), n_cls)
    raw = np.clip(1.0 + 0.10 * rng.standard_normal(total), 0.5, 1.6)
    share = raw * students[cls_row] / np.bincount(cls_row, weights=raw, minlength=n)[cls_row]
    floor = np.floor(share).astype(np.int64)
    short = students - np.bincount(cls_row, weights=floor, minlength=n).astype(np.int64)
    pos = np.arange(total) - np.repeat(offsets[:-1], n_cls)
    sizes = floor + (pos < short[cls_row])  # the students left over, one each
    row["n_classes"] = n_cls
    return sizes.astype(np.int16), offsets


def _figures(np: Any, rng: Any, row: dict[str, Any], county: dict[str, Any]) -> dict[str, Arr]:
    """Teachers, rooms, equipment, books and money of each row, in the registry's units
    (人, 平方米, 元, 间, 册, 台).

    The seven resource figures are drawn as a ratio to their 2017 standard (教督〔2017〕6号)
    times the students: in an ordinary county the ratio has a median of about 1.3 (more
    with a richer county, by location) and the county's own spread, so most schools meet
    each standard and some fall short; a *balanced* county (:data:`BALANCED_COUNTIES`)
    has every ratio at 1.03 or more and a small spread, as a county that passed the
    assessment would.
    """
    seg, loc, students, n_cls = row["seg"], row["loc"], row["students"], row["n_classes"]
    n = len(students)
    c = row["county"]
    cf = county["factor"][c]
    balanced = county["balanced"][c]

    def spread(sigma: float) -> Arr:
        return rng.lognormal(0.0, sigma, n)  # type: ignore[no-any-return]

    sigma = county["spread"][c]
    median = RATIO_MEDIAN * cf**0.4
    standard = np.array(STANDARD)[seg]  # (n, 7)
    ratio = (
        median[:, None]
        * np.array(RATIO_BY_LOCATION).T[loc]
        * np.exp(sigma[:, None] * rng.standard_normal((n, 7)))
    )
    ratio = np.where(
        balanced[:, None], 1.03 * np.exp(np.abs(0.15 * rng.standard_normal((n, 7)))), ratio
    )
    need = standard * ratio * students[:, None] / np.array(PER)
    counts = np.where(balanced[:, None], np.ceil(need), np.rint(need)).astype(np.int64)
    t_raw = students / np.array(PUPIL_TEACHER)[seg, loc] * spread(0.15) * np.sqrt(cf)
    teachers = np.maximum(np.rint(t_raw).astype(np.int64), np.ceil(n_cls * 1.1).astype(np.int64))
    teachers = np.maximum.reduce([teachers, counts[:, 0], counts[:, 1] + counts[:, 2]])
    indoor = np.round(need[:, 3] * np.where(rng.random(n) < np.where(loc == 2, 0.35, 0.08), 0.0,
                                            rng.uniform(0.03, 0.12, n)), 2)  # fmt: skip
    return {
        "专任教师数": teachers.astype(np.int32),
        "高于规定学历教师数": counts[:, 0].astype(np.int32),
        "县级以上骨干教师数": counts[:, 1].astype(np.int32),
        "体育艺术专任教师数": counts[:, 2].astype(np.int32),
        # indoor sports rooms are part of the floor area: with them subtracted (the
        # rules' default) the area per student is the drawn one
        "教学及辅助用房面积": np.round(need[:, 3] + indoor, 2),
        "室内体育用房面积": indoor,
        "体育运动场馆面积": np.round(need[:, 4], 2),
        "教学仪器设备值": np.round(need[:, 5], 2),
        "网络多媒体教室数": np.maximum(counts[:, 6], 1).astype(np.int32),
        "图书册数": np.rint(students * np.array(BOOKS_PER)[seg] * spread(0.35)).astype(np.int32),
        "计算机台数": np.rint(students * np.array(COMPUTERS_PER)[seg] * spread(0.4)).astype(
            np.int32
        ),
        "公用经费": np.rint(students * np.array(FUNDING_PER)[seg] * cf * spread(0.2)).astype(
            np.int64
        ),
    }


def _text_columns(
    np: Any, county: dict[str, Any], school: dict[str, Any], row: dict[str, Any]
) -> dict[str, Arr]:
    """The identifying text columns of each row (numpy ``str_`` arrays)."""
    add = np.char.add
    c, s, k = row["county"], row["school"], row["kind"]
    number = np.char.zfill(school["number"].astype(str), school["width"])
    code = add(county["code"][school["county"]], number)[s]
    suffix = np.array(["小学", "中学", "学校", "教学点"])[k]
    name = add(add(add(county["name"][c], "第"), school["number"][s].astype(str)), suffix)
    return {
        "行政区划代码": county["code"][c],
        "县区名称": county["name"][c],
        "省": county["province"][c],
        "学校代码": code,
        "学校名称": name,
        "学校类型": np.array(KINDS)[k],
        "办学性质": np.where(school["private"][s], "民办", "公办"),
        "城乡分类": np.array(LOCATIONS)[row["loc"]],
        "学段": np.array(SEGMENTS)[row["seg"]],
    }


def _missing(
    np: Any, rng: Any, row: dict[str, Any], county: dict[str, Any], cols: dict[str, Arr]
) -> dict[str, Arr]:
    """Where each figure is missing: the 2017 resource rules' figures only in the few
    incomplete counties, the other figures anywhere at their :data:`OTHER_MISSING` rate.

    A school's physical figures (:data:`SCHOOL_FIGURES`) are missing on all its rows or
    none: a one-through school giving a figure on one row only is how a sheet of
    whole-school figures looks (docs/spreadsheets.md), and these are per-segment ones.
    The arrays are drawn in :data:`COLUMNS` order.
    """
    n = len(row["students"])
    holes = county["incomplete"][row["county"]]
    missing: dict[str, Arr] = {}
    for name in cols:
        if name not in RULE_FIGURES and name not in OTHER_MISSING:
            continue
        p = np.where(holes, INCOMPLETE_ROWS, 0.0) if name in RULE_FIGURES else OTHER_MISSING[name]
        u = rng.random(n)
        if name in SCHOOL_FIGURES:  # the draw of the school's first row, on each of its rows
            first = np.r_[True, row["school"][1:] != row["school"][:-1]]
            u = u[np.flatnonzero(first)][np.cumsum(first) - 1]
        missing[name] = u < p
    return missing
