"""China's provincial-level divisions, as rule files key values by them.

A value keyed ``by province`` (``by 省``) names provinces by their short names (``广东``,
``内蒙古``, ``新疆``); data may give the full name (``广东省``, ``内蒙古自治区``,
``新疆维吾尔自治区``).  :func:`province_key` reads either as the short name.
"""

from __future__ import annotations

__all__ = ["PROVINCES", "province_key"]

#: The 31 provincial-level divisions of the mainland and 新疆生产建设兵团, by short name.
PROVINCES: tuple[str, ...] = (
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "新疆生产建设兵团",
)

# Longest first, so that 新疆维吾尔自治区 loses its whole suffix, not 自治区 alone.
_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "省",
    "市",
)


def province_key(name: str | None) -> str | None:
    """The short name of a province as data gives it (``广东省`` → ``广东``), or
    ``None`` when ``name`` is empty or names no province.

    Args:
        name: a province's name, short or full (surrounding spaces ignored).
    """
    if not name:
        return None
    text = name.strip()
    if text in PROVINCES:
        return text
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and text[: -len(suffix)] in PROVINCES:
            return text[: -len(suffix)]
    return None
