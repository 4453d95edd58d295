"""A failing comparison is named by the report line that shows its figure, found from
the rule's structure, never by matching values: two indicators of one school that are
both 0 are two names (骨干教师 and 体艺教师), and an 85 % floor is paired with its own
indicator's counted condition."""

from __future__ import annotations

from pathlib import Path

import attrs

import eduint
from eduint.data.loading import load_county
from eduint.data.models import Figure
from eduint.reporting import text_report

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "synthetic-county-2019.yaml"


def test_two_zero_indicators_keep_their_own_names() -> None:
    county = load_county(EXAMPLE).county
    school = county.schools[0]
    seg = attrs.evolve(school.segments[0], backbone_teachers=Figure.exact(0),
                       pe_arts_teachers=Figure.exact(0))
    school = attrs.evolve(school, segments=(seg, *school.segments[1:]))
    county = attrs.evolve(county, schools=(school, *county.schools[1:]))
    rs = eduint.load_ruleset("youzhi-junheng-2017-resource")
    report = eduint.evaluate(rs, county)
    (entity,) = [e for e in report.item("学校达标").entities
                 if e.entity.key == f"{school.id}/{seg.segment.value}"]
    subjects = {c.figure: c.subject for c in entity.comparisons}
    assert subjects["L2"] == "骨干教师" and subjects["L3"] == "体艺教师"
    text = text_report(report, detail=True, width=400)
    line = next(ln for ln in text.splitlines() if "学校达标" in ln and school.name in ln)
    assert "体艺教师：0" in line, line
