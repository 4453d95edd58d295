"""Templates ask for everything the rules read (issue 13): each bundled rule set's
template, filled with plausible values, evaluates without 缺少数据 for want of a column.

The filler reads the template's own headers (the units in their brackets) and writes a
county with a 小学, an 初中 and a 九年一贯制 school; the only figures a rule may still lack
are those no template column can give (none today), so every computed verdict is
decided.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

import eduint
from eduint import reporting
from eduint.data.fields import model_fields
from eduint.data.spreadsheets import read_tables, write_template
from eduint.data.spreadsheets.mapping import split_unit

REPO = Path(__file__).resolve().parents[1]
RULES = sorted((REPO / "rules").glob("*.rules"))

# (学校代码, 学校名称, 学校类型, segments)
_SCHOOLS = [
    ("T1", "模板第一小学", "小学", ["小学"]),
    ("T2", "模板第二小学", "小学", ["小学"]),
    ("T3", "模板第一中学", "初中", ["初中"]),
    ("T4", "模板第二中学", "初中", ["初中"]),
    ("T5", "模板九年一贯制学校", "九年一贯制", ["小学", "初中"]),
]


def _value(header: str, n: int) -> Any:
    """A plausible figure for a column, by its name and the unit in its header (``n``
    varies it between schools so that a 差异系数 has something to measure)."""
    base, unit = split_unit(header)
    if base.endswith("学段") or base == "学段":
        return None
    if "死亡" in base:
        return 1
    if "完整" in base or base.startswith("达到"):
        return "是"
    if "年份" in base:
        return 2019
    if "等级" in base:
        return 3
    if "差异率" in base:
        return 0.1
    if "得分" in base:
        return 90
    if unit == "%":
        return 95
    if "在校生数" in base:
        return 600 + 40 * n
    if "班额" in base:
        return 40
    if "班级数" in base:
        return 2  # the class sheet lists 2 classes per segment
    if unit == "人":
        return 60 + 3 * n
    if "室内体育" in base:
        return 800 + 10 * n
    if unit == "平方米":
        return 6000 + 300 * n
    if unit in ("元", "元/人"):
        return 1_500_000 + 50_000 * n if unit == "元" else 900
    if unit in ("间", "台", "册", "所", "个"):
        return {"间": 20, "台": 150, "册": 30000, "所": 3, "个": 2}[unit] + n
    return 1 + n


def _labels(model: type) -> set[str]:
    return {fd.label for fd in model_fields(model) if fd.label}


def _fill(path: Path, extras: dict[str, dict[str, str]]) -> None:
    wb = openpyxl.load_workbook(path)
    county = wb["县区"]
    heads = [str(c.value) for c in county[1]]
    fixed = {"行政区划代码": "990001", "县区名称": "模板县", "数据日期": "2021-06-30"}
    own = _labels(eduint.County) | set(extras.get("county", {}))
    segs = _labels(eduint.CountySegment) | set(extras.get("county_segment", {}))
    county.append(
        [
            fixed.get(split_unit(h)[0], _value(h, 0) if split_unit(h)[0] in own else None)
            for h in heads
        ]
    )
    for seg in ("小学", "初中"):  # the county segments' rows
        county.append(
            [
                seg
                if split_unit(h)[0] == "学段"
                else fixed.get(split_unit(h)[0])
                if split_unit(h)[0] in ("行政区划代码", "县区名称")
                else _value(h, 1)
                if split_unit(h)[0] in segs
                else None
                for h in heads
            ]
        )
    school = wb["学校"]
    heads = [str(c.value) for c in school[1]]
    whole = _labels(eduint.School) | set(extras.get("school", {}))
    for n, (sid, name, kind, segs) in enumerate(_SCHOOLS):
        for k, seg in enumerate(segs):
            ids = {
                "学校代码": sid,
                "学校名称": name,
                "学校类型": kind,
                "城乡分类": "乡村",
                "学段": seg,
            }
            # whole-school figures on the school's first row only, as a person fills it
            school.append(
                [
                    ids[split_unit(h)[0]]
                    if split_unit(h)[0] in ids
                    else None
                    if k and split_unit(h)[0] in whole
                    else _value(h, n + k)
                    for h in heads
                ]
            )
    if "班级" in wb.sheetnames:
        classes = wb["班级"]
        for sid, _name, _kind, segs in _SCHOOLS:
            for seg in segs:
                for grade in (1, 2):
                    classes.append([sid, seg, f"{grade}班", grade, 40])
    wb.save(path)


@pytest.mark.parametrize("rules", RULES, ids=[p.stem for p in RULES])
def test_filled_template_lacks_no_column(tmp_path: Path, rules: Path) -> None:
    rs = eduint.check_text(rules.read_text(encoding="utf-8"), file=str(rules))
    path = tmp_path / "t.xlsx"
    write_template(rs, path, words=reporting.template_words("zh"))
    _fill(path, rs.extra_field_kinds())
    (loaded,) = read_tables(path, extra_fields=rs.extra_field_kinds())
    assert not loaded.problems, [str(p) for p in loaded.problems]
    assert loaded.county.schools_complete
    report = eduint.evaluate(rs, loaded.county, as_of=None)
    undecided = [
        (r.id, r.missing, r.reason) for r in report.items if r.computed is eduint.Outcome.NO_DATA
    ]
    assert undecided == [], undecided


def test_the_2017_long_template_has_one_segment_column(tmp_path: Path) -> None:
    rules = REPO / "rules" / "youzhi-junheng-2017.rules"
    rs = eduint.check_text(rules.read_text(encoding="utf-8"), file=str(rules))
    write_template(rs, tmp_path / "t.xlsx", words=reporting.template_words("zh"))
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    heads = [c.value for c in wb["学校"][1]]
    assert heads.count("学段") == 1
    assert "学校名单完整" in [c.value for c in wb["县区"][1]]
    assert any(str(h).startswith("学段教学及辅助用房面积") for h in heads)
    assert any(str(h).startswith("学段室内体育用房面积") for h in heads)
