"""Real county and provincial files load as they are (issue 13).

A long sheet shaped like a statistics export (tests/_real_sheets.py: a title row,
Chinese headers with units in brackets, one row per school segment with per-segment
figures, several counties by 县区代码, schools by 学校标识码, equipment in 万元, band
columns by their bounds), read with no mapping file and ``complete=True``, gives the
counties of the same data written as YAML, and so the same CVs and indicators under
youzhi_junheng_2017_resource (with subtract_indoor_sports = false); so does the same
sheet as a GBK CSV, and the command line.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import eduint
from eduint import cli
from eduint.data.loading import read_county
from eduint.data.spreadsheets import read_tables

from . import _real_sheets as sheets

REPO = Path(__file__).resolve().parents[1]
RESOURCE = REPO / "rules" / "youzhi-junheng-2017-resource.rules"
AS_OF = datetime.date(2019, 9, 1)


def _rules_text() -> str:
    text = RESOURCE.read_text(encoding="utf-8")
    old = "setting subtract_indoor_sports = true"
    assert old in text
    return text.replace(old, "setting subtract_indoor_sports = false")


@pytest.fixture(scope="module")
def ruleset() -> eduint.RuleSet:
    return eduint.check_text(_rules_text(), file="resource-no-subtract.rules")


@pytest.fixture(scope="module")
def data() -> list[dict[str, Any]]:
    return sheets.counties()


@pytest.fixture(scope="module")
def yaml_counties(data: list[dict[str, Any]]) -> list[eduint.County]:
    out = []
    for doc in sheets.yaml_documents(data):
        county, problems = read_county(doc)
        assert not problems
        out.append(county)
    return out


def _key(report: eduint.Report) -> list[Any]:
    """Every item's verdict and evidence, and every entity's comparisons and shown values."""
    return [
        (
            r.id,
            r.computed,
            r.evidence,
            r.shown,
            [(e.entity, e.outcome, e.evidence, e.comparisons, e.shown) for e in r.entities],
        )
        for r in report.items
    ]


def _same_results(
    loads: list[eduint.LoadResult], expected: list[eduint.County], ruleset: eduint.RuleSet
) -> None:
    assert [r.county for r in loads] == expected
    for loaded, county in zip(loads, expected, strict=True):
        got = eduint.evaluate(ruleset, loaded.county, as_of=AS_OF)
        want = eduint.evaluate(ruleset, county, as_of=AS_OF)
        assert _key(got) == _key(want)
        cvs = [r for r in got.items if r.id.startswith("差异系数")]
        assert cvs and all(r.computed is not eduint.Outcome.NO_DATA for r in cvs)


@pytest.mark.parametrize("variant", sheets.VARIANTS)
def test_long_sheet_reads_as_the_yaml(
    tmp_path: Path,
    variant: str,
    data: list[dict[str, Any]],
    yaml_counties: list[eduint.County],
    ruleset: eduint.RuleSet,
) -> None:
    path = sheets.write_xlsx(data, tmp_path / "全市.xlsx", variant)
    loads = read_tables(path, complete=True)
    assert [p for r in loads for p in r.problems] == []
    assert len(loads) == 3
    codes = {n.code for r in loads for n in r.notices}
    assert "D041" in codes  # the figures are read per segment, and the notice says why
    assert "D040" not in codes  # declared complete
    _same_results(loads, yaml_counties, ruleset)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_same_sheet_as_csv(
    tmp_path: Path,
    encoding: str,
    data: list[dict[str, Any]],
    yaml_counties: list[eduint.County],
    ruleset: eduint.RuleSet,
) -> None:
    path = sheets.write_csv(data, tmp_path / "全市.csv", "fullwidth", encoding)
    loads = read_tables(path, complete=True)
    assert [p for r in loads for p in r.problems] == []
    _same_results(loads, yaml_counties, ruleset)


def test_command_line_gives_the_same_report(
    tmp_path: Path, data: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rules = tmp_path / "resource.rules"
    rules.write_text(_rules_text(), encoding="utf-8")
    sheets.write_xlsx(data, tmp_path / "全市.xlsx", "plain")
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(cli.main, list(args), prog_name="eduint")

    result = run(
        "check",
        "全市.xlsx",
        "--rules",
        str(rules),
        "--complete",
        "--as-of",
        "2019-09-01",
        "--format",
        "json",
        "-o",
        "sheet.json",
    )
    assert result.exit_code in (0, 1), result.output
    import yaml

    for doc in sheets.yaml_documents(data):
        (tmp_path / f"{doc['code']}.yaml").write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        one = run(
            "check",
            f"{doc['code']}.yaml",
            "--rules",
            str(rules),
            "--as-of",
            "2019-09-01",
            "--format",
            "json",
            "-o",
            f"{doc['code']}.json",
        )
        assert one.exit_code in (0, 1), one.output
        got = json.loads((tmp_path / f"sheet-{doc['code']}.json").read_text(encoding="utf-8"))
        want = json.loads((tmp_path / f"{doc['code']}.json").read_text(encoding="utf-8"))
        assert got["items"] == want["items"]
        assert got["overall"] == want["overall"]
