"""The data models: County, CountySegment, School, SchoolSegment, Class.

Frozen attrs classes.  Each numeric field carries its unit and its Chinese
label in the field metadata (see :func:`quantity`), so the checker reads what
rules may refer to from the models themselves (:mod:`eduint.checking.schema`).

Numbers are :class:`Figure` values: exact, approximate (``约212``: used as 212
and flagged) or an interval (``30多`` → 30–39, ``不足10`` → 0–9).  ``None``
means *missing* and is never 0.  An empty tuple is an empty list, not a
missing one; lists of schools and classes say whether they are complete.

Sources for the meaning of the fields: the national education statistics
(全国教育事业统计) and the documents in ``../shared/policy/REFERENCE.md``:
教督〔2017〕6号 (§1), 教督〔2012〕3号 (§2), 国发〔2016〕40号 (§4),
国发〔2015〕67号 (§5).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

__all__ = [
    "LABEL",
    "LABEL_EN",
    "UNIT",
    "Actor",
    "Attestation",
    "Class",
    "County",
    "CountySegment",
    "DateBasis",
    "DeclaredCount",
    "ExtraValue",
    "Figure",
    "Location",
    "Ownership",
    "Region",
    "School",
    "SchoolKind",
    "SchoolSegment",
    "Segment",
    "SelfStatus",
    "SizeBand",
    "quantity",
    "text_field",
]

#: Metadata key: the unit of a numeric field (a string of the unit vocabulary).
UNIT = "eduint.unit"
#: Metadata key: the Chinese label of a field (also accepted as its name in rules).
LABEL = "eduint.label"
#: Metadata key: the English label of a field.
LABEL_EN = "eduint.label_en"


class Segment(str, enum.Enum):
    """学段: a school segment."""

    PRIMARY = "小学"
    JUNIOR = "初中"
    SENIOR = "高中"


class SchoolKind(str, enum.Enum):
    """学校类型 as the statistics report it."""

    PRIMARY = "小学"
    JUNIOR = "初中"
    NINE_YEAR = "九年一贯制"
    TWELVE_YEAR = "十二年一贯制"
    COMPLETE_MIDDLE = "完全中学"
    TEACHING_POINT = "教学点"
    SPECIAL = "特殊教育学校"


class Ownership(str, enum.Enum):
    """办学性质: 公办 (public) or 民办 (private)."""

    PUBLIC = "公办"
    PRIVATE = "民办"


class Location(str, enum.Enum):
    """城乡分类: 城区 (urban), 镇区 (town), 乡村 (rural)."""

    URBAN = "城区"
    TOWN = "镇区"
    RURAL = "乡村"


class Region(str, enum.Enum):
    """Region class used by the funding documents (REFERENCE §8)."""

    EAST = "东部"
    CENTRAL = "中部"
    WEST = "西部"


class SelfStatus(str, enum.Enum):
    """自评: the county's own word for an item or part."""

    MET = "达到"
    BASICALLY_MET = "基本达到"
    IN_TRIAL = "试行"
    NOT_MET = "未达到"
    NOT_APPLICABLE = "不适用"
    NOT_STATED = "未说明"


class Actor(str, enum.Enum):
    """Who answers an attested item: the county/district, the city or the province."""

    COUNTY = "县"
    DISTRICT = "区"
    CITY = "市"
    PROVINCE = "省"


class DateBasis(str, enum.Enum):
    """Whether the date the data describes is stated in it or inferred."""

    STATED = "stated"
    INFERRED = "inferred"


@attrs.frozen
class Figure:
    """A reported number: exact, approximate, or an interval.

    Attributes:
        low: the smallest value the figure allows.
        high: the largest value the figure allows (``== low`` unless an interval).
        approximate: True for ``约212``: the value is used as stated and flagged.
        text: the figure as written in the source (``"约212"``, ``"30多"``), or ``None``.
    """

    low: Decimal
    high: Decimal
    approximate: bool = False
    text: str | None = attrs.field(default=None, eq=False)

    @classmethod
    def exact(cls, value: int | str | Decimal, *, text: str | None = None) -> Figure:
        """An exact figure."""
        v = Decimal(value)
        return cls(v, v, False, text)

    @property
    def is_interval(self) -> bool:
        """True when the figure is a range (``30多``), not a single value."""
        return self.low != self.high

    @property
    def value(self) -> Decimal | None:
        """The single value, or ``None`` for an interval."""
        return self.low if self.low == self.high else None

    def __str__(self) -> str:
        if self.text:
            return self.text
        if self.is_interval:
            return f"{self.low}–{self.high}"
        return ("约" if self.approximate else "") + str(self.low)


ExtraValue = Figure | str | bool | None
"""The value of an extra field declared in a rule file."""


def quantity(
    unit: str,
    label: str,
    label_en: str,
    *,
    default: Any = None,
) -> Any:
    """An attrs field for a :class:`Figure` with its unit and labels in metadata.

    Args:
        unit: the unit, from the vocabulary of :mod:`eduint.core.units` (人, 元, 平方米 ...).
        label: the Chinese label (statistics wording); rules may use it as the name.
        label_en: the English label.
        default: the default value (``None``: missing).
    """
    return attrs.field(
        default=default,
        metadata={UNIT: unit, LABEL: label, LABEL_EN: label_en},
        kw_only=True,
    )


def text_field(label: str, label_en: str, *, default: Any = None) -> Any:
    """An attrs field for text, an enum or a flag, with its labels in metadata."""
    return attrs.field(default=default, metadata={LABEL: label, LABEL_EN: label_en}, kw_only=True)


def _extra() -> Any:
    return attrs.field(factory=dict, kw_only=True, metadata={LABEL: "扩展字段"})


@attrs.frozen
class Class:
    """A class (班级) of a school segment.

    Source: 教督〔2017〕6号 government item (五) (class size), 国发〔2016〕40号
    (大班额 56+, 超大班额 66+; REFERENCE §4.1).
    """

    name: str | None = text_field("班级", "class name")
    grade: int | None = text_field("年级", "grade")
    size: Figure | None = quantity("人", "班额", "class size (students)")
    extra: Mapping[str, ExtraValue] = _extra()


@attrs.frozen
class SizeBand:
    """A count of classes in a class-size band, as the statistics give them
    (…, 46–50, 51–55, 56–65, 66 and over).

    Attributes:
        low: smallest class size in the band (人), inclusive.
        high: largest class size in the band (人), inclusive; ``None`` for "and over".
        count: number of classes (班).
    """

    low: int
    high: int | None
    count: Figure | None = quantity("班", "班级数", "classes in band")


@attrs.frozen
class SchoolSegment:
    """The figures of one segment (小学/初中/高中) of one school, as the
    statistics report them by segment.

    Teacher categories: 教督〔2017〕6号 resource indicators L1–L3 (REFERENCE §1.2);
    "above the required degree" is 专科及以上 for 小学 and 本科及以上 for 初中.
    Physical figures are normally the school's, split by the rule set's
    one-through-school rule; a data file may give them here directly.
    """

    segment: Segment = attrs.field(metadata={LABEL: "学段", LABEL_EN: "segment"})
    students: Figure | None = quantity("人", "在校生数", "students")
    boarders: Figure | None = quantity("人", "寄宿生数", "boarding students")
    classes: tuple[Class, ...] | None = attrs.field(default=None, kw_only=True)
    classes_complete: bool = text_field("班级名单完整", "class list complete", default=False)
    class_count: Figure | None = quantity("班", "班级数", "classes")
    size_bands: tuple[SizeBand, ...] | None = attrs.field(default=None, kw_only=True)
    full_time_teachers: Figure | None = quantity("人", "专任教师数", "full-time teachers")
    teachers_above_degree: Figure | None = quantity(
        "人", "高于规定学历教师数", "teachers above the required degree"
    )
    backbone_teachers: Figure | None = quantity(
        "人", "县级以上骨干教师数", "backbone teachers (county level and above)"
    )
    pe_arts_teachers: Figure | None = quantity(
        "人", "体育艺术专任教师数", "full-time PE, music and art teachers"
    )
    certified_teachers: Figure | None = quantity(
        "人", "持证专任教师数", "full-time teachers with a teacher certificate"
    )
    titled_teachers: Figure | None = quantity(
        "人", "中级及以上职称教师数", "teachers with mid or senior titles"
    )
    floor_area_teaching: Figure | None = quantity(
        "平方米", "教学及辅助用房面积", "teaching and auxiliary floor area"
    )
    indoor_sports_area: Figure | None = quantity(
        "平方米", "室内体育用房面积", "indoor sports rooms area"
    )
    sports_area: Figure | None = quantity(
        "平方米", "体育运动场馆面积", "sports ground and hall area"
    )
    equipment_value: Figure | None = quantity("元", "教学仪器设备值", "teaching equipment value")
    multimedia_rooms: Figure | None = quantity(
        "间", "网络多媒体教室数", "networked multimedia rooms"
    )
    books: Figure | None = quantity("册", "图书册数", "books")
    computers: Figure | None = quantity("台", "计算机台数", "computers")
    public_funds: Figure | None = quantity("元", "公用经费", "public funds (per year)")
    extra: Mapping[str, ExtraValue] = _extra()


@attrs.frozen
class School:
    """A school (学校) as the statistics list it, with its segments.

    Whole-school physical figures are reported once per school; a one-through
    school (九年一贯制, 十二年一贯制, 完全中学) has several segments.  Rotation
    counts are those of the school as a sending school (国发〔2016〕40号: urban and
    good schools send at least 10 % of eligible teachers a year, REFERENCE §4.1).
    """

    id: str = text_field("学校代码", "school id")
    name: str | None = text_field("学校名称", "school name")
    kind: SchoolKind | None = text_field("学校类型", "kind of school")
    ownership: Ownership | None = text_field("办学性质", "ownership")
    location: Location | None = text_field("城乡分类", "location")
    boarding: bool | None = text_field("寄宿制", "boarding school")
    boarders: Figure | None = quantity("人", "寄宿生数", "boarding students")
    central_school: str | None = text_field("所属中心校", "central school of a teaching point")
    floor_area_teaching: Figure | None = quantity(
        "平方米", "教学及辅助用房面积", "teaching and auxiliary floor area"
    )
    indoor_sports_area: Figure | None = quantity(
        "平方米", "室内体育用房面积", "indoor sports rooms area"
    )
    sports_area: Figure | None = quantity(
        "平方米", "体育运动场馆面积", "sports ground and hall area"
    )
    equipment_value: Figure | None = quantity("元", "教学仪器设备值", "teaching equipment value")
    multimedia_rooms: Figure | None = quantity(
        "间", "网络多媒体教室数", "networked multimedia rooms"
    )
    books: Figure | None = quantity("册", "图书册数", "books")
    computers: Figure | None = quantity("台", "计算机台数", "computers")
    public_funds: Figure | None = quantity("元", "公用经费", "public funds (per year)")
    music_rooms: Figure | None = quantity("间", "音乐专用教室数", "music rooms")
    music_room_min_area: Figure | None = quantity(
        "平方米", "最小音乐专用教室面积", "area of the smallest music room"
    )
    art_rooms: Figure | None = quantity("间", "美术专用教室数", "art rooms")
    art_room_min_area: Figure | None = quantity(
        "平方米", "最小美术专用教室面积", "area of the smallest art room"
    )
    basic_standard_met: bool | None = text_field(
        "达到办学基本标准", "meets the province's basic school standard (办学基本标准)"
    )
    rotation_eligible: Figure | None = quantity(
        "人", "符合交流条件教师数", "teachers eligible for rotation (sending school)"
    )
    rotated: Figure | None = quantity(
        "人", "交流轮岗教师数", "teachers this school sent to rural schools this school year"
    )
    rotated_backbone: Figure | None = quantity(
        "人", "交流轮岗骨干教师数", "backbone teachers among those this school sent"
    )
    segments: tuple[SchoolSegment, ...] | None = attrs.field(default=None, kw_only=True)
    extra: Mapping[str, ExtraValue] = _extra()

    def segment(self, which: Segment) -> SchoolSegment | None:
        """The school's segment ``which``, or ``None`` if it has none (or none is listed)."""
        for s in self.segments or ():
            if s.segment == which:
                return s
        return None


@attrs.frozen
class CountySegment:
    """County-level figures for one segment (县域 × 学段).

    Where a figure is given here it is used; otherwise rules may sum over a
    complete school list (the evaluator warns when both exist and differ).
    """

    segment: Segment = attrs.field(metadata={LABEL: "学段", LABEL_EN: "segment"})
    students: Figure | None = quantity("人", "在校生数", "students")
    schools: Figure | None = quantity("所", "学校数", "schools")
    full_time_teachers: Figure | None = quantity("人", "专任教师数", "full-time teachers")
    public_funds_quota: Figure | None = quantity(
        "元/人", "生均公用经费基准定额", "per-student public-funds quota (per year)"
    )
    public_funds_per_student: Figure | None = quantity(
        "元/人", "生均公用经费", "actual public funds per student (per year)"
    )
    approved_posts: Figure | None = quantity("人", "核定编制", "approved staff posts")
    cohort_entry: Figure | None = quantity(
        "人", "三年前入学人数", "first-year enrolment of the cohort (3 years earlier for 初中)"
    )
    cohort_graduates: Figure | None = quantity("人", "毕业生数", "graduates of the cohort")
    cohort_transferred_in: Figure | None = quantity("人", "转入学生数", "students transferred in")
    cohort_transferred_out: Figure | None = quantity("人", "转出学生数", "students transferred out")
    cohort_deaths: Figure | None = quantity("人", "死亡学生数", "students who died")
    nearby_eligible: Figure | None = quantity(
        "人", "应就近入学人数", "entrants to 城区/镇区 public non-boarding schools"
    )
    nearby_enrolled: Figure | None = quantity(
        "人", "划片就近入学人数", "of which enrolled by catchment area (划片就近)"
    )
    extra: Mapping[str, ExtraValue] = _extra()


@attrs.frozen
class Attestation:
    """The county's answer to an item or part (自评).

    Attributes:
        item: the item or part label (``"12"``, ``"12.1"``).
        status: the county's word (:class:`SelfStatus`).
        evidence: the report's sentence, as evidence.
        actor: who answers (county/district, city, province), or ``None``.
        note: a remark, e.g. why the nearest status was chosen.
    """

    item: str
    status: SelfStatus
    evidence: str | None = None
    actor: Actor | None = None
    note: str | None = None


@attrs.frozen
class DeclaredCount:
    """A declared count of schools of one kind, with "of which" counts.

    ``6 小学, of which 1 乡村 and boarding`` is
    ``DeclaredCount(kind=小学, total=6, rural=1, boarding=1)``; unknown cells stay ``None``.
    """

    kind: SchoolKind
    total: Figure | None = quantity("所", "学校数", "schools")
    urban: Figure | None = quantity("所", "其中城区", "of which urban")
    town: Figure | None = quantity("所", "其中镇区", "of which town")
    rural: Figure | None = quantity("所", "其中乡村", "of which rural")
    boarding: Figure | None = quantity("所", "其中寄宿制", "of which boarding")


@attrs.frozen
class County:
    """A county-level unit (县/区/市) with its figures, answers and schools.

    County-level figures follow 国发〔2016〕40号 (REFERENCE §4): staffing,
    teacher pay against civil servants, rotation of teachers, 全面改薄 rates.
    """

    name: str = text_field("县区名称", "county name")
    code: str | None = text_field("行政区划代码", "county code")
    province: str | None = text_field("省", "province")
    city: str | None = text_field("市", "city")
    region: Region | None = text_field("地区", "region class")
    as_of: datetime.date | None = text_field("数据日期", "date the data describes")
    school_year: str | None = text_field("学年", "school year")
    date_basis: DateBasis | None = text_field("日期依据", "date stated or inferred")
    students: Figure | None = quantity("人", "在校生数", "students")
    teachers_on_post: Figure | None = quantity("人", "在岗教师数", "teachers on post")
    full_time_teachers: Figure | None = quantity("人", "专任教师数", "full-time teachers")
    approved_posts: Figure | None = quantity("人", "核定编制", "approved staff posts")
    teacher_pay_avg: Figure | None = quantity(
        "元", "义务教育教师平均工资", "average compulsory-school teacher pay (per year)"
    )
    civil_servant_pay_avg: Figure | None = quantity(
        "元", "公务员平均工资", "average local civil-servant pay (per year)"
    )
    rural_teacher_pay: Figure | None = quantity(
        "元", "乡村教师平均工资", "average rural teacher pay (per year)"
    )
    town_teacher_pay_same_rank: Figure | None = quantity(
        "元", "同职级县镇教师平均工资", "average same-rank county-town teacher pay (per year)"
    )
    rotation_eligible: Figure | None = quantity(
        "人", "符合交流条件教师数", "teachers eligible for rotation"
    )
    rotated: Figure | None = quantity("人", "交流轮岗教师数", "teachers rotated to rural schools")
    rotated_backbone: Figure | None = quantity(
        "人", "交流轮岗骨干教师数", "backbone teachers among those rotated"
    )
    building_completion_rate: Figure | None = quantity(
        "%", "校舍竣工率", "全面改薄 school-building completion rate"
    )
    equipment_purchase_rate: Figure | None = quantity(
        "%", "设备采购完成率", "全面改薄 equipment purchase completion rate"
    )
    dropout_rate: Figure | None = quantity("%", "辍学率", "dropout rate")
    training_completed: Figure | None = quantity(
        "人", "完成五年360学时培训教师数", "teachers who completed 360 training hours in 5 years"
    )
    special_ed_funds_per_student: Figure | None = quantity(
        "元/人", "特殊教育学校生均公用经费", "special-education schools' public funds per student"
    )
    quality_places_total: Figure | None = quantity(
        "人", "优质高中招生计划数", "enrolment plan of quality senior-high schools"
    )
    quality_places_allocated: Figure | None = quantity(
        "人", "分配到初中的优质高中名额", "of which allocated to junior schools"
    )
    migrant_children_eligible: Figure | None = quantity(
        "人", "符合条件的随迁子女数", "eligible children of migrant workers"
    )
    migrant_children_public: Figure | None = quantity(
        "人",
        "在公办学校和政府购买学位就读的随迁子女数",
        "of which in public schools or government-purchased places",
    )
    disabled_children: Figure | None = quantity(
        "人", "适龄残疾儿童少年数", "school-age disabled children"
    )
    disabled_children_enrolled: Figure | None = quantity(
        "人", "残疾儿童少年入学人数", "of which enrolled (incl. 随班就读, 送教上门)"
    )
    naeq_min_level: Figure | None = quantity(
        "", "国家义务教育质量监测最低等级", "lowest NAEQ level over the monitored subjects (1–4)"
    )
    naeq_max_difference: Figure | None = quantity(
        "", "国家义务教育质量监测最大校际差异率", "largest NAEQ inter-school difference rate"
    )
    survey_respondents: Figure | None = quantity("人", "社会认可度调查人数", "survey respondents")
    survey_satisfied: Figure | None = quantity("人", "认可人数", "respondents satisfied")
    government_score: Figure | None = quantity(
        "", "县级人民政府推进义务教育均衡发展工作得分", "county-government work score (points)"
    )
    segments: tuple[CountySegment, ...] = attrs.field(default=(), kw_only=True)
    attestations: tuple[Attestation, ...] = attrs.field(default=(), kw_only=True)
    declared_counts: tuple[DeclaredCount, ...] = attrs.field(default=(), kw_only=True)
    schools: tuple[School, ...] | None = attrs.field(default=None, kw_only=True)
    schools_complete: bool = text_field("学校名单完整", "school list complete", default=False)
    extra: Mapping[str, ExtraValue] = _extra()

    def segment(self, which: Segment) -> CountySegment | None:
        """The county-level figures of segment ``which``, or ``None``."""
        for s in self.segments:
            if s.segment == which:
                return s
        return None
