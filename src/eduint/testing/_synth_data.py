"""The shapes shared by :mod:`eduint.testing.synth`, its generator and its writers: the
provinces, the columns, :class:`SynthTable` and :class:`SynthError` (no numpy here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from eduint.errors import EduintError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


class SynthError(EduintError):
    """A synthetic data set that cannot be made or written as asked (a missing optional
    dependency, a bad scale, too many rows for a worksheet)."""


# (GB/T 2260 code, name, short name, county-level divisions (about 2020), resource factor)
PROVINCES: tuple[tuple[int, str, str, int, float], ...] = (
    (11, "北京市", "北京", 16, 1.60), (12, "天津市", "天津", 16, 1.30),
    (13, "河北省", "河北", 167, 0.90), (14, "山西省", "山西", 117, 0.90),
    (15, "内蒙古自治区", "内蒙古", 103, 1.00), (21, "辽宁省", "辽宁", 100, 0.95),
    (22, "吉林省", "吉林", 60, 0.95), (23, "黑龙江省", "黑龙江", 121, 0.90),
    (31, "上海市", "上海", 16, 1.60), (32, "江苏省", "江苏", 95, 1.30),
    (33, "浙江省", "浙江", 90, 1.35), (34, "安徽省", "安徽", 104, 0.95),
    (35, "福建省", "福建", 84, 1.15), (36, "江西省", "江西", 100, 0.90),
    (37, "山东省", "山东", 136, 1.10), (41, "河南省", "河南", 157, 0.85),
    (42, "湖北省", "湖北", 103, 1.00), (43, "湖南省", "湖南", 122, 0.95),
    (44, "广东省", "广东", 122, 1.20), (45, "广西壮族自治区", "广西", 111, 0.85),
    (46, "海南省", "海南", 25, 0.95), (50, "重庆市", "重庆", 38, 1.00),
    (51, "四川省", "四川", 183, 0.90), (52, "贵州省", "贵州", 88, 0.85),
    (53, "云南省", "云南", 129, 0.85), (54, "西藏自治区", "西藏", 74, 1.00),
    (61, "陕西省", "陕西", 107, 0.95), (62, "甘肃省", "甘肃", 86, 0.80),
    (63, "青海省", "青海", 44, 0.90), (64, "宁夏回族自治区", "宁夏", 22, 0.90),
    (65, "新疆维吾尔自治区", "新疆", 107, 0.95),
)  # fmt: skip

#: The columns, in order: (header, unit or ``""``, what it holds).  The headers are the
#: field registry's labels, so every reader of eduint's tables knows them.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("行政区划代码", "", "county code, 6 digits (province prefix as GB/T 2260; the rest made up)"),
    ("县区名称", "", "county name (made up: province short name, number, 区 or 县)"),
    ("省", "", "province"),
    ("学校代码", "", "school code: the county code and a number (10 digits or more)"),
    ("学校名称", "", "school name (made up)"),
    ("学校类型", "", "小学, 初级中学, 九年一贯制学校 (a row per segment) or 教学点"),
    ("办学性质", "", "公办 or 民办"),
    ("城乡分类", "", "城区, 镇区 or 乡村"),
    ("学段", "", "小学 or 初中"),
    ("在校生数", "人", "students of the segment"),
    ("班级数", "班", "classes of the segment (the length of 班额)"),
    ("专任教师数", "人", "full-time teachers"),
    ("高于规定学历教师数", "人", "teachers above the required qualification"),
    ("县级以上骨干教师数", "人", "county-level or higher backbone teachers"),
    ("体育艺术专任教师数", "人", "PE and arts (music, art) teachers"),
    ("教学及辅助用房面积", "平方米", "teaching and auxiliary floor area"),
    ("室内体育用房面积", "平方米", "indoor sports rooms (part of the floor area)"),
    ("体育运动场馆面积", "平方米", "sports grounds and halls"),
    ("教学仪器设备值", "元", "teaching equipment value"),
    ("网络多媒体教室数", "间", "networked multimedia classrooms"),
    ("图书册数", "册", "books"),
    ("计算机台数", "台", "computers"),
    ("公用经费", "元", "public funds of the year"),
    ("班额", "人", "class sizes, one per class (Parquet/JSONL: a list; CSV/XLSX: joined by ;)"),
)

#: The output formats :func:`write_synth` knows, and the suffix that chooses each.
FORMATS: dict[str, str] = {
    ".parquet": "parquet",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".xlsx": "xlsx",
}

#: The most rows an XLSX file is written with (a worksheet holds 1,048,576; a workbook of
#: 200,000 rows already takes a minute and hundreds of MB to open).
XLSX_MAX_ROWS = 200_000

BASE_COUNTIES = 2850
#: The largest scale: a county code has two digits for its made-up prefecture (20
#: counties each), which 四川's 183 counties × 10 still fit.
MAX_SCALE = 10.0
BASE_SCHOOLS = 200_000

#: The figures the 2017 resource rules read: missing only in a few "incomplete" counties,
#: so that most counties' 差异系数 are decided.
RULE_FIGURES = (
    "高于规定学历教师数",
    "县级以上骨干教师数",
    "体育艺术专任教师数",
    "教学及辅助用房面积",
    "室内体育用房面积",
    "体育运动场馆面积",
    "教学仪器设备值",
    "网络多媒体教室数",
)
#: Figures missing at random anywhere (share of rows).
OTHER_MISSING = {"图书册数": 0.02, "计算机台数": 0.015, "公用经费": 0.03, "专任教师数": 0.002}


@attrs.frozen(eq=False)
class SynthTable:
    """A synthetic national table: one row per school segment, sorted by county code,
    school code and segment (小学 before 初中).

    Attributes:
        columns: header → numpy array of length ``rows``, in :data:`COLUMNS` order
            (without 班额).  Text columns are numpy ``str_`` arrays; figures are integer
            (人, 班, 间, 册, 台) or float (平方米, 元, rounded to 0.01) arrays.
        missing: header → boolean array, True where the figure is missing (its value in
            ``columns`` is then meaningless: written as null or an empty cell).
        class_sizes: every class's size (人, int16), row after row.
        class_offsets: ``rows + 1`` offsets into ``class_sizes`` (int64): row ``i``'s
            classes are ``class_sizes[class_offsets[i]:class_offsets[i + 1]]``.
        class_missing: True for a row whose class list is not given (班额 null, 班级数
            still given).
        meta: scale, seed, counts and the note that the data are synthetic.
    """

    columns: dict[str, npt.NDArray[Any]]
    missing: dict[str, npt.NDArray[np.bool_]]
    class_sizes: npt.NDArray[np.int16]
    class_offsets: npt.NDArray[np.int64]
    class_missing: npt.NDArray[np.bool_]
    meta: dict[str, Any]

    @property
    def rows(self) -> int:
        """The number of rows (school segments)."""
        return len(self.class_offsets) - 1
