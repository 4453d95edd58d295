"""The registry of rule-set settings, written once.

Each :class:`SettingSpec` says what a setting is (its kind, default, allowed values),
what it means, which way it moves strictness, whether its default is provisional,
and where it comes from.  The checker validates ``setting`` declarations against
this registry, the evaluator reads the checked values through :class:`Settings`,
and the docs and templates list the settings from it (``tests/test_registries.py``
compares them).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from fractions import Fraction

import attrs

from eduint.checking.ruleset import (
    BoolConst,
    Const,
    FieldRef,
    KeyedValue,
    ListOf,
    RuleSet,
    SettingValue,
    Symbol,
)

__all__ = [
    "SETTINGS",
    "SETTING_ALIASES",
    "Direction",
    "SettingKind",
    "SettingSpec",
    "Settings",
]


class SettingKind(str, enum.Enum):
    """The kind of value a setting takes."""

    NUMBER = "number"
    """A number, possibly with a unit (``0 人``)."""
    BOOL = "bool"
    """``true`` or ``false``."""
    WEIGHTS = "weights"
    """Weights keyed by segment: ``by segment { 小学: 1, 初中: 1.1 }``."""
    SYMBOL = "symbol"
    """One of the setting's :attr:`SettingSpec.choices`."""
    FIELDS = "fields"
    """A list of school field names: ``[floor_area_teaching, books]``."""


class Direction(str, enum.Enum):
    """Which way changing a setting moves strictness (for provincial layering).

    A *method* change (which schools count, how one-through schools split) is
    neither stricter nor looser in general: a child rule set that makes one needs
    ``relax … because``.
    """

    STRICTER_IF_HIGHER = "stricter_if_higher"
    LOOSER_IF_HIGHER = "looser_if_higher"
    STRICTER_IF_TRUE = "stricter_if_true"
    LOOSER_IF_TRUE = "looser_if_true"
    METHOD = "method"
    DISPLAY = "display"
    """Changes what is shown, never a verdict."""


@attrs.frozen
class Choice:
    """One allowed value of a :attr:`SettingKind.SYMBOL` setting.

    Attributes:
        value: the value as written in rule files (Chinese).
        text_en: its English text.
    """

    value: str
    text_en: str


@attrs.frozen
class SettingSpec:
    """One rule-set setting.

    Attributes:
        name: the canonical (English) name, used in rule files and by ``--set``.
        label: the Chinese label (also accepted in rule files); shown in reports.
        label_en: the English label.
        kind: the :class:`SettingKind`.
        default: the default, written in rule syntax and checked like a rule file's own.
        meaning: what it does, in Chinese; meaning_en: in English.
        direction: the :class:`Direction` a change moves strictness.
        provisional: why the default is not confirmed nationally, or ``None`` (English).
        source: where the default comes from (a REFERENCE section).
        choices: the allowed values of a symbol setting.
        provisional_zh: :attr:`provisional` in Chinese (what Chinese reports show).
    """

    name: str
    label: str
    label_en: str
    kind: SettingKind
    default: str
    meaning: str
    meaning_en: str
    direction: Direction
    provisional: str | None
    source: str
    choices: tuple[Choice, ...] = ()
    provisional_zh: str | None = None


#: Every rule-set setting, by canonical name, in documentation order.
SETTINGS: Mapping[str, SettingSpec] = {
    s.name: s
    for s in (
        SettingSpec(
            "display_precision",
            "显示精度",
            "display precision",
            SettingKind.NUMBER,
            "3",
            "报告中数值显示的小数位数（0–12）；计算与比较始终不取整",
            "decimal places shown in reports (0–12); values are computed and compared unrounded",
            Direction.DISPLAY,
            None,
            "REFERENCE §3.4: compute unrounded, report 3 dp",
        ),
        SettingSpec(
            "split_weights",
            "一贯制分摊权重",
            "one-through school split weights",
            SettingKind.WEIGHTS,
            "by segment { 小学: 1, 初中: 1.1, 高中: 1.32 }",
            "九年一贯制、十二年一贯制学校的全校物理指标按学段学生数乘以此权重分摊",
            "per-student weights by which a nine- or twelve-year school's whole-school "
            "figures are split between its segments",
            Direction.METHOD,
            "weights C[P12]; official origin M (REFERENCE §3.3)",
            "REFERENCE §3.3",
            provisional_zh="权重见C[P12]；官方出处 M（REFERENCE §3.3）",
        ),
        SettingSpec(
            "complete_middle_weights",
            "完全中学分摊权重",
            "complete middle school split weights",
            SettingKind.WEIGHTS,
            "by segment { 初中: 1, 高中: 1.2 }",
            "完全中学的全校物理指标按学段学生数乘以此权重分摊",
            "per-student weights by which a complete middle school's whole-school figures "
            "are split between its segments",
            Direction.METHOD,
            "weights C[P12]; official origin M (REFERENCE §3.3)",
            "REFERENCE §3.3",
            provisional_zh="权重见C[P12]；官方出处 M（REFERENCE §3.3）",
        ),
        SettingSpec(
            "split_indicators",
            "分摊指标",
            "figures split by segment",
            SettingKind.FIELDS,
            "[floor_area_teaching, indoor_sports_area, sports_area, equipment_value, computers, books]",
            "一贯制学校只给出全校数时按学段分摊的物理指标",
            "the whole-school figures of a one-through school that are split between its "
            "segments when only the school's total is given",
            Direction.METHOD,
            None,
            "REFERENCE §3.3 (教督〔2012〕3号 practice, five physical indicators; the indoor "
            "sports rooms, part of the floor area, split with it)",
        ),
        SettingSpec(
            "teaching_points",
            "教学点",
            "teaching points",
            SettingKind.SYMBOL,
            "单列",
            "教学点在校际比较中单列、并入其中心校或不计入",
            "whether teaching points count as schools of their own, are merged into their "
            "central school, or are left out",
            Direction.METHOD,
            "no national rule located (REFERENCE §3.4)",
            "REFERENCE §3.4",
            (
                Choice("单列", "counted on their own"),
                Choice("并入中心校", "merged into their central school"),
                Choice("不计入", "left out"),
            ),
            provisional_zh="未找到国家层面的规定（REFERENCE §3.4）",
        ),
        SettingSpec(
            "teaching_point_min_students",
            "教学点最少学生数",
            "teaching point minimum students",
            SettingKind.NUMBER,
            "0 人",
            "学生数少于此数的教学点不计入",
            "teaching points with fewer students than this are left out",
            Direction.METHOD,
            "no national rule located (REFERENCE §3.4; Hebei uses 50)",
            "REFERENCE §1.1, §3.4",
            provisional_zh="未找到国家层面的规定（REFERENCE §3.4；河北省取50人）",
        ),
        SettingSpec(
            "include_special",
            "特殊教育学校计入",
            "count special-education schools",
            SettingKind.BOOL,
            "false",
            "特殊教育学校是否计入校际比较",
            "whether special-education schools are counted",
            Direction.METHOD,
            "national exclusion from memory (REFERENCE §1.1, M)",
            "REFERENCE §1.1",
            provisional_zh="国家层面不计入特殊教育学校的做法未经原文核实（REFERENCE §1.1，M）",
        ),
        SettingSpec(
            "include_private",
            "民办学校计入",
            "count private schools",
            SettingKind.BOOL,
            "true",
            "民办学校是否计入校际比较",
            "whether private (民办) schools are counted",
            Direction.METHOD,
            "no national rule located (REFERENCE §6, open questions)",
            "REFERENCE §6",
            provisional_zh="未找到国家层面的规定（REFERENCE §6，待解决问题）",
        ),
        SettingSpec(
            "subtract_indoor_sports",
            "室内体育用房扣除",
            "subtract indoor sports rooms",
            SettingKind.BOOL,
            "true",
            "计算生均教学及辅助用房面积时扣除室内体育用房面积，避免与体育运动场馆面积重复计算",
            "leave the indoor sports rooms out of the teaching floor area, so they are not "
            "counted twice",
            Direction.STRICTER_IF_TRUE,
            "subtraction M+code[G1] (REFERENCE §1.2 L4)",
            "REFERENCE §1.2, §6 #9",
            provisional_zh="扣除做法 M+code[G1]（REFERENCE §1.2 L4）",
        ),
        SettingSpec(
            "cv_over_available",
            "差异系数按有数据学校计算",
            "CV over the schools with figures",
            SettingKind.BOOL,
            "false",
            "差异系数只用有数据的学校计算（缺数据的学校列出）；否则缺一个数据即为缺少数据",
            "compute a CV over the schools that have its figures (the others listed); "
            "otherwise one missing figure makes it unknown",
            Direction.METHOD,
            None,
            "eduint default: a missing figure makes the CV 缺少数据",
        ),
    )
}

#: Every name a rule file may use for a setting (canonical name or Chinese label) → canonical name.
SETTING_ALIASES: Mapping[str, str] = {s.label: s.name for s in SETTINGS.values()} | {
    s: s for s in SETTINGS
}


def _number(v: SettingValue) -> Fraction:
    assert isinstance(v.value, Const), v.name  # the checker guarantees the kind
    return Fraction(v.value.value) * v.value.type.unit.scale


def _bool(v: SettingValue) -> bool:
    assert isinstance(v.value, BoolConst), v.name
    return v.value.value


def _weights(v: SettingValue) -> Mapping[str, Fraction]:
    assert isinstance(v.value, KeyedValue), v.name
    out: dict[str, Fraction] = {}
    for entry in v.value.entries:
        if isinstance(entry.value, Const):
            for k in entry.keys:
                out[k] = Fraction(entry.value.value)
    return out


def _fields(v: SettingValue) -> frozenset[str]:
    assert isinstance(v.value, ListOf), v.name
    return frozenset(f.field.name for f in v.value.items if isinstance(f, FieldRef))


def _symbol(v: SettingValue) -> str:
    assert isinstance(v.value, Symbol), v.name
    return v.value.value


@attrs.frozen
class Settings:
    """The checked settings of a rule set, typed, as the evaluator reads them.

    Build with :meth:`of`.  Every attribute is named after its :data:`SETTINGS` entry.

    Attributes:
        display_precision: decimal places shown (0–12).
        split_weights: per-student split weights of one-through schools, by segment value.
        complete_middle_weights: the same for 完全中学.
        split_indicators: the school fields (English names) split by segment.
        teaching_points: ``单列``, ``并入中心校`` or ``不计入``.
        teaching_point_min_students: teaching points below this many students (人) are left out.
        include_special: count 特殊教育学校.
        include_private: count 民办 schools.
        subtract_indoor_sports: leave 室内体育用房面积 out of the teaching floor area.
        cv_over_available: compute a CV over the schools that have its figures.
        provisional: canonical name → reason, for the settings whose value in this
            rule set is provisional (``""`` when no reason is given); in Chinese, as the
            rule file or the registry (:attr:`SettingSpec.provisional_zh`) words it.
        provisional_en: canonical name → the reason's English variant, for those that
            have one.
    """

    display_precision: int
    split_weights: Mapping[str, Fraction]
    complete_middle_weights: Mapping[str, Fraction]
    split_indicators: frozenset[str]
    teaching_points: str
    teaching_point_min_students: Fraction
    include_special: bool
    include_private: bool
    subtract_indoor_sports: bool
    cv_over_available: bool
    provisional: Mapping[str, str]
    provisional_en: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def of(cls, ruleset: RuleSet) -> Settings:
        """The typed settings of a checked rule set (defaults included by the checker)."""
        s = ruleset.settings
        return cls(
            display_precision=int(_number(s["display_precision"])),
            split_weights=_weights(s["split_weights"]),
            complete_middle_weights=_weights(s["complete_middle_weights"]),
            split_indicators=_fields(s["split_indicators"]),
            teaching_points=_symbol(s["teaching_points"]),
            teaching_point_min_students=_number(s["teaching_point_min_students"]),
            include_special=_bool(s["include_special"]),
            include_private=_bool(s["include_private"]),
            subtract_indoor_sports=_bool(s["subtract_indoor_sports"]),
            cv_over_available=_bool(s["cv_over_available"]),
            provisional={name: v.provisional for name, v in s.items() if v.provisional is not None},
            provisional_en={
                name: v.provisional_en
                for name, v in s.items()
                if v.provisional is not None and v.provisional_en
            },
        )
