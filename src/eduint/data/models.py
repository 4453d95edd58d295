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
from typing import Any, Literal

import attrs

__all__ = [
    "ACTIONABLE",
    "ALIASES",
    "BETTER",
    "COUNT",
    "COUNT_UNITS",
    "LABEL",
    "LABEL_EN",
    "READ_AS",
    "UNIT",
    "VALUE_ALIASES",
    "Better",
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
    "key_field",
    "quantity",
    "text_field",
]

#: Metadata key: the unit of a numeric field (a string of the unit vocabulary).
UNIT = "eduint.unit"
#: Metadata key: the Chinese label of a field (also accepted as its name in rules).
LABEL = "eduint.label"
#: Metadata key: the English label of a field.
LABEL_EN = "eduint.label_en"
#: Metadata key: other names a spreadsheet column of the field may have (a tuple of
#: strings, e.g. the statistics' 学校标识码 for 学校代码).
ALIASES = "eduint.aliases"
#: Metadata key: ``"more"`` when a larger value is better for the county (teachers,
#: floor area), ``"less"`` when a smaller one is (class size, dropout rate), ``None``
#: when neither (students enrolled, a threshold, a split of one area into two).  For
#: a flag, ``"more"`` means true is the better value.
BETTER = "eduint.better"
#: Metadata key: True when a county bureau can act on the figure (teachers, rooms,
#: area, equipment, funds, rotation), False when it cannot (students enrolled, survey
#: counts, civil servants' pay, historical cohorts).  ``None`` for identity fields.
ACTIONABLE = "eduint.actionable"
#: Metadata key: True when the figure is a whole-number count (the default follows
#: the unit, see :data:`COUNT_UNITS`).
COUNT = "eduint.count"
#: Metadata key: how a text field is read (``"school_year"``: ``2018-2019``, ``2018学年``).
READ_AS = "eduint.read_as"

#: Units whose figures are whole-number counts of persons, schools, rooms, books,
#: computers, classes or other things: ``12.5 人`` is a data problem.
COUNT_UNITS: frozenset[str] = frozenset({"人", "生", "人次", "所", "间", "册", "台", "班", "个"})

Better = Literal["more", "less"]


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


#: The statistics' own words for enum values (教育事业统计 办学类型 and 国家统计局 城乡分类
#: with its codes), read as the member they mean, in data files and spreadsheets alike.
VALUE_ALIASES: Mapping[type[enum.Enum], Mapping[str, enum.Enum]] = {
    SchoolKind: {
        "小学": SchoolKind.PRIMARY,
        "初级中学": SchoolKind.JUNIOR,
        "九年一贯制学校": SchoolKind.NINE_YEAR,
        "十二年一贯制学校": SchoolKind.TWELVE_YEAR,
        "小学教学点": SchoolKind.TEACHING_POINT,
        "特殊教育": SchoolKind.SPECIAL,
    },
    Location: {
        "主城区": Location.URBAN,
        "城乡结合区": Location.URBAN,
        "镇中心区": Location.TOWN,
        "镇乡结合区": Location.TOWN,
        "特殊区域": Location.TOWN,
        "乡中心区": Location.RURAL,
        "村庄": Location.RURAL,
        "111": Location.URBAN,
        "112": Location.URBAN,
        "121": Location.TOWN,
        "122": Location.TOWN,
        "123": Location.TOWN,
        "210": Location.RURAL,
        "220": Location.RURAL,
    },
}


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
    better: Better | None,
    actionable: bool,
    count: bool | None = None,
    aliases: tuple[str, ...] = (),
    default: Any = None,
) -> Any:
    """An attrs field for a :class:`Figure` with its unit, labels and meaning in metadata.

    ``better`` and ``actionable`` have no default on purpose: whoever adds a figure
    decides whether more of it is better and whether a bureau can act on it.

    Args:
        unit: the unit, from the vocabulary of :mod:`eduint.core.units` (人, 元, 平方米 ...).
        label: the Chinese label (statistics wording); rules and data files may use it as
            the name.
        label_en: the English label.
        better: ``"more"``, ``"less"`` or ``None`` (see :data:`BETTER`).
        actionable: whether a county bureau can act on the figure (see :data:`ACTIONABLE`).
        count: whether the figure is a whole-number count; ``None`` derives it from the
            unit (:data:`COUNT_UNITS`).
        aliases: other spreadsheet headers of the field.
        default: the default value (``None``: missing).
    """
    return attrs.field(
        default=default,
        metadata={
            UNIT: unit,
            LABEL: label,
            LABEL_EN: label_en,
            ALIASES: aliases,
            BETTER: better,
            ACTIONABLE: actionable,
            COUNT: unit in COUNT_UNITS if count is None else count,
        },
        kw_only=True,
    )


def _names(label: str | None, label_en: str, aliases: tuple[str, ...]) -> dict[str, Any]:
    """The naming metadata of a field (no :data:`LABEL` key when it has no Chinese label)."""
    out: dict[str, Any] = {LABEL_EN: label_en, ALIASES: aliases}
    if label is not None:
        out[LABEL] = label
    return out


def text_field(
    label: str | None,
    label_en: str,
    *,
    default: Any = None,
    aliases: tuple[str, ...] = (),
    better: Better | None = None,
    actionable: bool | None = None,
    read_as: str | None = None,
    positional: bool = False,
) -> Any:
    """An attrs field for text, an enum, a flag or a date, with its labels in metadata.

    Args:
        label: the Chinese label; rules and data files may use it as the name.  ``None``
            for a field without one (an attestation's fields use spreadsheet aliases).
        label_en: the English label.
        default: the default value (``None``: missing).
        aliases: other spreadsheet headers of the field.
        better: for a flag, ``"more"`` when true is the better value; else ``None``.
        actionable: whether a bureau can act on it; ``None`` for identity fields.
        read_as: ``"school_year"`` for a school year written as text.
        positional: keep the field positional (``Attestation("12", …)``).
    """
    metadata = _names(label, label_en, aliases) | {BETTER: better, ACTIONABLE: actionable}
    if read_as is not None:
        metadata[READ_AS] = read_as
    return attrs.field(default=default, metadata=metadata, kw_only=not positional)


def key_field(label: str | None, label_en: str, *, aliases: tuple[str, ...] = ()) -> Any:
    """A required, positional attrs field that identifies an entry of a list (学段, 项目 …).

    Args:
        label: the Chinese label, or ``None``.
        label_en: the English label.
        aliases: other spreadsheet headers of the field.
    """
    return attrs.field(metadata=_names(label, label_en, aliases))


def _extra() -> Any:
    return attrs.field(factory=dict, kw_only=True, metadata={LABEL: "扩展字段"})


# Shorthands for the two most common kinds of figure: a resource a bureau provides
# (more is better, it can act) and a fact it records (no direction, cannot act).


def _resource(unit: str, label: str, label_en: str, **kw: Any) -> Any:
    """A resource figure: more is better and a bureau can act on it."""
    return quantity(unit, label, label_en, better="more", actionable=True, **kw)


def _fact(unit: str, label: str, label_en: str, **kw: Any) -> Any:
    """A recorded fact: no better direction and no bureau action (students enrolled)."""
    return quantity(unit, label, label_en, better=None, actionable=False, **kw)


@attrs.frozen
class Class:
    """A class (班级) of a school segment.

    Source: 教督〔2017〕6号 government item (五) (class size), 国发〔2016〕40号
    (大班额 56+, 超大班额 66+; REFERENCE §4.1).
    """

    name: str | None = text_field("班级", "class name")
    grade: int | None = text_field("年级", "grade")
    # Smaller classes are the aim (大班额); the bureau acts by forming more classes.
    size: Figure | None = quantity(
        "人", "班额", "class size (students)", better="less", actionable=True
    )
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
    # More classes in a band is good or bad depending on the band.
    count: Figure | None = quantity("班", "班级数", "classes in band", better=None, actionable=True)


@attrs.frozen
class SchoolSegment:
    """The figures of one segment (小学/初中/高中) of one school, as the
    statistics report them by segment.

    Teacher categories: 教督〔2017〕6号 resource indicators L1–L3 (REFERENCE §1.2);
    "above the required degree" is 专科及以上 for 小学 and 本科及以上 for 初中.
    Physical figures are normally the school's, split by the rule set's
    one-through-school rule; a data file may give them here directly.
    """

    segment: Segment = key_field("学段", "segment", aliases=("学段名称", "教育阶段"))
    students: Figure | None = _fact("人", "在校生数", "students", aliases=("在校学生数",))
    boarders: Figure | None = _fact("人", "寄宿生数", "boarding students")
    classes: tuple[Class, ...] | None = attrs.field(default=None, kw_only=True)
    classes_complete: bool = text_field("班级名单完整", "class list complete", default=False)
    # More classes mean smaller ones but also more specialised rooms needed (12 班 per
    # music room): no direction.  The bureau decides how many classes to form.
    class_count: Figure | None = quantity("班", "班级数", "classes", better=None, actionable=True)
    size_bands: tuple[SizeBand, ...] | None = attrs.field(default=None, kw_only=True)
    full_time_teachers: Figure | None = _resource("人", "专任教师数", "full-time teachers")
    teachers_above_degree: Figure | None = _resource(
        "人", "高于规定学历教师数", "teachers above the required degree"
    )
    backbone_teachers: Figure | None = _resource(
        "人", "县级以上骨干教师数", "backbone teachers (county level and above)"
    )
    pe_arts_teachers: Figure | None = _resource(
        "人", "体育艺术专任教师数", "full-time PE, music and art teachers"
    )
    certified_teachers: Figure | None = _resource(
        "人", "持证专任教师数", "full-time teachers with a teacher certificate"
    )
    titled_teachers: Figure | None = _resource(
        "人", "中级及以上职称教师数", "teachers with mid or senior titles"
    )
    floor_area_teaching: Figure | None = _resource(
        "平方米",
        "教学及辅助用房面积",
        "teaching and auxiliary floor area",
        aliases=("教学及教学辅助用房面积", "教学及辅助用房建筑面积"),
    )
    # Indoor sports rooms are part of the teaching floor area; with the setting
    # subtract_indoor_sports they move from the teaching to the sports indicator,
    # so more of them is not better for every indicator.
    indoor_sports_area: Figure | None = quantity(
        "平方米", "室内体育用房面积", "indoor sports rooms area", better=None, actionable=True
    )
    sports_area: Figure | None = _resource(
        "平方米",
        "体育运动场馆面积",
        "sports ground and hall area",
        aliases=("体育运动场(馆)面积", "体育运动场地面积"),
    )
    equipment_value: Figure | None = _resource(
        "元",
        "教学仪器设备值",
        "teaching equipment value",
        aliases=("教学仪器设备资产值", "教学仪器设备总值"),
    )
    multimedia_rooms: Figure | None = _resource(
        "间", "网络多媒体教室数", "networked multimedia rooms", aliases=("网络多媒体教室",)
    )
    books: Figure | None = _resource("册", "图书册数", "books", aliases=("图书", "图书藏量"))
    computers: Figure | None = _resource(
        "台", "计算机台数", "computers", aliases=("教学用计算机台数", "教学用计算机")
    )
    public_funds: Figure | None = _resource("元", "公用经费", "public funds (per year)")
    extra: Mapping[str, ExtraValue] = _extra()


@attrs.frozen
class School:
    """A school (学校) as the statistics list it, with its segments.

    Whole-school physical figures are reported once per school; a one-through
    school (九年一贯制, 十二年一贯制, 完全中学) has several segments.  Rotation
    counts are those of the school as a sending school (国发〔2016〕40号: urban and
    good schools send at least 10 % of eligible teachers a year, REFERENCE §4.1).
    """

    id: str = text_field(
        "学校代码",
        "school id",
        aliases=("学校标识码", "学校编号", "学校(机构)标识码", "机构标识码", "标识码"),
    )
    name: str | None = text_field(
        "学校名称", "school name", aliases=("学校(机构)名称", "机构名称", "校名")
    )
    kind: SchoolKind | None = text_field(
        "学校类型", "kind of school", aliases=("办学类型", "学校类别")
    )
    ownership: Ownership | None = text_field("办学性质", "ownership")
    location: Location | None = text_field(
        "城乡分类", "location", aliases=("城乡类型", "城乡分类代码", "城乡属性")
    )
    boarding: bool | None = text_field("寄宿制", "boarding school")
    boarders: Figure | None = _fact("人", "寄宿生数", "boarding students")
    # Guangdong lets schools with >= 30 % migrant children keep larger classes
    # (REFERENCE §2.3, C[P38]): a recorded fact, no direction.
    migrant_children: Figure | None = _fact(
        "人", "随迁子女数", "migrant children enrolled", aliases=("进城务工人员随迁子女数",)
    )
    central_school: str | None = text_field("所属中心校", "central school of a teaching point")
    floor_area_teaching: Figure | None = _resource(
        "平方米",
        "教学及辅助用房面积",
        "teaching and auxiliary floor area",
        aliases=("教学及教学辅助用房面积", "教学及辅助用房建筑面积"),
    )
    # See SchoolSegment.indoor_sports_area: an accounting split, no direction.
    indoor_sports_area: Figure | None = quantity(
        "平方米", "室内体育用房面积", "indoor sports rooms area", better=None, actionable=True
    )
    sports_area: Figure | None = _resource(
        "平方米",
        "体育运动场馆面积",
        "sports ground and hall area",
        aliases=("体育运动场(馆)面积", "体育运动场地面积"),
    )
    equipment_value: Figure | None = _resource(
        "元",
        "教学仪器设备值",
        "teaching equipment value",
        aliases=("教学仪器设备资产值", "教学仪器设备总值"),
    )
    multimedia_rooms: Figure | None = _resource(
        "间", "网络多媒体教室数", "networked multimedia rooms", aliases=("网络多媒体教室",)
    )
    books: Figure | None = _resource("册", "图书册数", "books", aliases=("图书", "图书藏量"))
    computers: Figure | None = _resource(
        "台", "计算机台数", "computers", aliases=("教学用计算机台数", "教学用计算机")
    )
    public_funds: Figure | None = _resource("元", "公用经费", "public funds (per year)")
    music_rooms: Figure | None = _resource("间", "音乐专用教室数", "music rooms")
    music_room_min_area: Figure | None = _resource(
        "平方米", "最小音乐专用教室面积", "area of the smallest music room"
    )
    art_rooms: Figure | None = _resource("间", "美术专用教室数", "art rooms")
    art_room_min_area: Figure | None = _resource(
        "平方米", "最小美术专用教室面积", "area of the smallest art room"
    )
    basic_standard_met: bool | None = text_field(
        "达到办学基本标准",
        "meets the province's basic school standard (办学基本标准)",
        better="more",
        actionable=True,
    )
    # The eligible teachers are the denominator of the rotation share: a fact of the
    # teacher pool, not a lever.
    rotation_eligible: Figure | None = _fact(
        "人", "符合交流条件教师数", "teachers eligible for rotation (sending school)"
    )
    rotated: Figure | None = _resource(
        "人", "交流轮岗教师数", "teachers this school sent to rural schools this school year"
    )
    rotated_backbone: Figure | None = _resource(
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
    Cohort figures (入学, 毕业, 转入, 转出, 死亡) describe past years: no bureau
    can change them now.
    """

    segment: Segment = key_field("学段", "segment")
    students: Figure | None = _fact("人", "在校生数", "students")
    schools: Figure | None = _fact("所", "学校数", "schools")
    full_time_teachers: Figure | None = _resource("人", "专任教师数", "full-time teachers")
    # The county's own quota must reach the national base quota (国发〔2015〕67号).
    public_funds_quota: Figure | None = _resource(
        "元/人", "生均公用经费基准定额", "per-student public-funds quota (per year)"
    )
    public_funds_per_student: Figure | None = _resource(
        "元/人", "生均公用经费", "actual public funds per student (per year)"
    )
    # Posts must reach the posts the unified staffing standard gives (REFERENCE §4).
    approved_posts: Figure | None = _resource("人", "核定编制", "approved staff posts")
    cohort_entry: Figure | None = _fact(
        "人", "三年前入学人数", "first-year enrolment of the cohort (3 years earlier for 初中)"
    )
    cohort_graduates: Figure | None = quantity(
        "人", "毕业生数", "graduates of the cohort", better="more", actionable=False
    )
    cohort_transferred_in: Figure | None = _fact("人", "转入学生数", "students transferred in")
    cohort_transferred_out: Figure | None = _fact("人", "转出学生数", "students transferred out")
    cohort_deaths: Figure | None = _fact("人", "死亡学生数", "students who died")
    nearby_eligible: Figure | None = _fact(
        "人", "应就近入学人数", "entrants to 城区/镇区 public non-boarding schools"
    )
    nearby_enrolled: Figure | None = _resource(
        "人", "划片就近入学人数", "of which enrolled by catchment area (划片就近)"
    )
    extra: Mapping[str, ExtraValue] = _extra()


@attrs.frozen
class Attestation:
    """The county's answer to an item or part (自评).

    A spreadsheet's 自评 sheet names its columns 项目, 自评, 依据, 主体, 备注 and 规则集 (the
    first alias of each field).

    Attributes:
        item: the item or part label (``"12"``, ``"12.1"``).
        status: the county's word (:class:`SelfStatus`).
        evidence: the report's sentence, as evidence.
        actor: who answers (county/district, city, province), or ``None``.
        note: a remark, e.g. why the nearest status was chosen.
        ruleset: the rule set the answer answers, by id or file stem
            (``youzhi_junheng_2017``), or ``None`` when the data names none: then it
            serves whatever rule set is run.  The loaders set it to the data file's own
            ``rules:`` for answers under ``attestations:``; answers to another rule set
            name it (``answers:`` in YAML/JSON, the 规则集 column of a 自评 sheet).
    """

    item: str = key_field(
        None, "item or part", aliases=("项目", "指标", "条目", "项目编号", "序号")
    )
    status: SelfStatus = key_field(
        None, "the county's answer", aliases=("自评", "自评结论", "自评结果", "状态")
    )
    evidence: str | None = text_field(
        None, "evidence", aliases=("依据", "佐证", "佐证材料", "说明"), positional=True
    )
    actor: Actor | None = text_field(
        None, "who answers", aliases=("主体", "责任主体"), positional=True
    )
    note: str | None = text_field(None, "note", aliases=("备注",), positional=True)
    ruleset: str | None = text_field(None, "rule set", aliases=("规则集",), positional=True)


@attrs.frozen
class DeclaredCount:
    """A declared count of schools of one kind, with "of which" counts.

    ``6 小学, of which 1 乡村 and boarding`` is
    ``DeclaredCount(kind=小学, total=6, rural=1, boarding=1)``; unknown cells stay ``None``.
    Declared counts describe the county's schools: no direction, no bureau action.
    """

    kind: SchoolKind = key_field(None, "kind of school", aliases=("学校类型",))
    total: Figure | None = _fact("所", "学校数", "schools")
    urban: Figure | None = _fact("所", "其中城区", "of which urban")
    town: Figure | None = _fact("所", "其中镇区", "of which town")
    rural: Figure | None = _fact("所", "其中乡村", "of which rural")
    boarding: Figure | None = _fact("所", "其中寄宿制", "of which boarding")


@attrs.frozen
class County:
    """A county-level unit (县/区/市) with its figures, answers and schools.

    County-level figures follow 国发〔2016〕40号 (REFERENCE §4): staffing,
    teacher pay against civil servants, rotation of teachers, 全面改薄 rates.
    Figures the county bureau cannot act on: students and children counted,
    civil servants' and town teachers' pay (the yardsticks), survey answers,
    quality-monitoring results and the assessors' score.
    """

    name: str = text_field(
        "县区名称", "county name", aliases=("区县名称", "县(区)名称", "县(市、区)名称")
    )
    code: str | None = text_field(
        "行政区划代码",
        "county code",
        aliases=("县区代码", "区县代码", "县(区)代码", "县级行政区划代码", "县(市、区)代码"),
    )
    province: str | None = text_field("省", "province")
    city: str | None = text_field("市", "city")
    region: Region | None = text_field("地区", "region class")
    as_of: datetime.date | None = text_field("数据日期", "date the data describes")
    school_year: str | None = text_field("学年", "school year", read_as="school_year")
    date_basis: DateBasis | None = text_field("日期依据", "date stated or inferred")
    students: Figure | None = _fact("人", "在校生数", "students")
    teachers_on_post: Figure | None = _resource("人", "在岗教师数", "teachers on post")
    full_time_teachers: Figure | None = _resource("人", "专任教师数", "full-time teachers")
    approved_posts: Figure | None = _resource("人", "核定编制", "approved staff posts")
    teacher_pay_avg: Figure | None = _resource(
        "元", "义务教育教师平均工资", "average compulsory-school teacher pay (per year)"
    )
    civil_servant_pay_avg: Figure | None = _fact(
        "元", "公务员平均工资", "average local civil-servant pay (per year)"
    )
    rural_teacher_pay: Figure | None = _resource(
        "元", "乡村教师平均工资", "average rural teacher pay (per year)"
    )
    # The yardstick rural teachers' pay is compared with.
    town_teacher_pay_same_rank: Figure | None = _fact(
        "元", "同职级县镇教师平均工资", "average same-rank county-town teacher pay (per year)"
    )
    rotation_eligible: Figure | None = _fact(
        "人", "符合交流条件教师数", "teachers eligible for rotation"
    )
    rotated: Figure | None = _resource("人", "交流轮岗教师数", "teachers rotated to rural schools")
    rotated_backbone: Figure | None = _resource(
        "人", "交流轮岗骨干教师数", "backbone teachers among those rotated"
    )
    building_completion_rate: Figure | None = _resource(
        "%", "校舍竣工率", "school-building completion rate (weak-school improvement programme)"
    )
    equipment_purchase_rate: Figure | None = _resource(
        "%",
        "设备采购完成率",
        "equipment purchase completion rate (weak-school improvement programme)",
    )
    # 控辍保学: the bureau acts on dropouts.
    dropout_rate: Figure | None = quantity(
        "%", "辍学率", "dropout rate", better="less", actionable=True
    )
    training_completed: Figure | None = _resource(
        "人", "完成五年360学时培训教师数", "teachers who completed 360 training hours in 5 years"
    )
    special_ed_funds_per_student: Figure | None = _resource(
        "元/人", "特殊教育学校生均公用经费", "special-education schools' public funds per student"
    )
    # The plan is the denominator of the allocation share, set with the city.
    quality_places_total: Figure | None = _fact(
        "人", "优质高中招生计划数", "enrolment plan of quality senior-high schools"
    )
    quality_places_allocated: Figure | None = _resource(
        "人", "分配到初中的优质高中名额", "of which allocated to junior schools"
    )
    migrant_children_eligible: Figure | None = _fact(
        "人", "符合条件的随迁子女数", "eligible children of migrant workers"
    )
    migrant_children_public: Figure | None = _resource(
        "人",
        "在公办学校和政府购买学位就读的随迁子女数",
        "of which in public schools or government-purchased places",
    )
    disabled_children: Figure | None = _fact(
        "人", "适龄残疾儿童少年数", "school-age disabled children"
    )
    disabled_children_enrolled: Figure | None = _resource(
        "人", "残疾儿童少年入学人数", "of which enrolled (incl. 随班就读, 送教上门)"
    )
    # Monitoring results: levels Ⅰ–Ⅳ (higher is better) and the inter-school
    # difference (lower is better); outcomes, not something a gap list can order.
    naeq_min_level: Figure | None = quantity(
        "",
        "国家义务教育质量监测最低等级",
        "lowest NAEQ level over the monitored subjects (1–4)",
        better="more",
        actionable=False,
    )
    naeq_max_difference: Figure | None = quantity(
        "",
        "国家义务教育质量监测最大校际差异率",
        "largest NAEQ inter-school difference rate",
        better="less",
        actionable=False,
    )
    survey_respondents: Figure | None = _fact("人", "社会认可度调查人数", "survey respondents")
    survey_satisfied: Figure | None = quantity(
        "人", "认可人数", "respondents satisfied", better="more", actionable=False
    )
    government_score: Figure | None = quantity(
        "",
        "县级人民政府推进义务教育均衡发展工作得分",
        "county-government work score (points)",
        better="more",
        actionable=False,
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
