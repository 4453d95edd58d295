"""Issue 12, "Done means": shuffling classes or schools changes no byte of any report
outside its provenance.

The synthetic county is evaluated against every bundled rule set as it is and with its
schools, and each segment's classes, in other orders; every format (text with the
detail in both languages, HTML, JSON without its provenance, CSV, XLSX) must come out
byte for byte the same.  Where each entity's figures are in the input is provenance
(``provenance.locations`` of the JSON report), which is why that part alone may differ.
"""

from __future__ import annotations

import random
from pathlib import Path

import attrs
import pytest

from eduint import load_ruleset, reporting
from eduint._resources import bundled_rule_files, resource_dir
from eduint.data.loading import load_county
from eduint.data.models import County
from eduint.engine.evaluator import evaluate

RULE_STEMS = sorted(p.stem for p in bundled_rule_files())


def _shuffled(county: County, seed: int) -> County:
    """The county with its schools, and every segment's classes, in another order."""
    rng = random.Random(seed)
    schools = []
    for school in county.schools:
        segments = []
        for seg in school.segments:
            classes = list(seg.classes)
            rng.shuffle(classes)
            segments.append(attrs.evolve(seg, classes=tuple(classes)))
        schools.append(attrs.evolve(school, segments=tuple(segments)))
    rng.shuffle(schools)
    return attrs.evolve(county, schools=tuple(schools))


def _renderings(county: County, rules: str, tmp: Path) -> dict[str, bytes]:
    ruleset = load_ruleset(rules)
    report = evaluate(ruleset, county)
    out = {
        f"text-{lang}": reporting.text_report(report, lang=lang, detail=True, width=100).encode()
        for lang in ("zh", "en")
    }
    out["html"] = reporting.html_report(report).encode()
    out["json"] = reporting.dump_json(report).encode()
    csv_path = tmp / "r.csv"
    reporting.write_csv(report, csv_path)
    out["csv"] = csv_path.read_bytes()
    xlsx_path = tmp / "r.xlsx"
    reporting.write_xlsx(report, xlsx_path)
    out["xlsx"] = xlsx_path.read_bytes()
    return out


@pytest.mark.parametrize("rules", RULE_STEMS)
def test_order_of_schools_and_classes_changes_no_byte(rules: str, tmp_path: Path) -> None:
    """Three shuffles of the synthetic county render exactly as the county does."""
    ruleset = load_ruleset(rules)
    path = resource_dir("examples") / "synthetic-county-2019.yaml"
    county = load_county(path, extra_fields=ruleset.extra_field_kinds() or None).county
    assert any(len(seg.classes) > 1 for s in county.schools for seg in s.segments)
    expected = _renderings(county, rules, tmp_path)
    for seed in (1, 2, 3):
        shuffled = _shuffled(county, seed)
        assert [s.id for s in shuffled.schools] != [s.id for s in county.schools]
        got = _renderings(shuffled, rules, tmp_path)
        for fmt, data in expected.items():
            assert got[fmt] == data, f"{rules} {fmt}: seed {seed} changes the report"


def test_provenance_records_where_each_entity_is(tmp_path: Path) -> None:
    """The JSON provenance maps entity keys to their place in the input, which follows
    the order of the input (and only it differs)."""
    rules = "youzhi-junheng-2017"
    ruleset = load_ruleset(rules)
    path = resource_dir("examples") / "synthetic-county-2019.yaml"
    county = load_county(path, extra_fields=ruleset.extra_field_kinds() or None).county
    prov = reporting.Provenance.of(evaluate(ruleset, county), eduint_version="0")
    a = reporting.to_json(evaluate(ruleset, county), provenance=prov)
    b = reporting.to_json(evaluate(ruleset, _shuffled(county, 1)), provenance=prov)
    assert a["provenance"]["locations"] != b["provenance"]["locations"]
    assert set(a["provenance"]["locations"]) == set(b["provenance"]["locations"])
    a.pop("provenance")
    b.pop("provenance")
    assert a == b
