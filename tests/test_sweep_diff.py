"""``eduint sweep`` and ``eduint diff`` (issue 21, what-if).

* the counts a sweep gives at a grid point equal those of a separate
  ``eduint check --set … --summary --format json`` run at that point, on
  ``eduint synth --scale 0.01`` output and on the bundled synthetic county;
* the entities ``eduint diff`` lists are exactly those whose verdicts differ between
  two separate runs (columnar level tables for the national table, the record
  engine's reports for the county file), a provincial file against the national one
  and one rule set at two dates;
* grids are exact decimals; mistakes are user errors (exit 2) naming what is wrong.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import eduint
from eduint.cli import main
from eduint.engine.columnar.whatif import parse_vary
from eduint.errors import EduintError

pytest.importorskip("numpy")

ROOT = Path(__file__).resolve().parents[1]
COUNTY = ROOT / "examples" / "synthetic-county-2019.yaml"
NATIONAL = "youzhi_junheng_2017"
PROVINCE = "guangdong_youzhi_2017"
DATE = "2019-09-01"


def _cli(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pyarrow")
    path = tmp_path_factory.mktemp("synth") / "s.parquet"
    code, _, err = _cli("synth", "--scale", "0.01", "--seed", "1", "--output", str(path))
    assert code == 0, err
    return path


# ------------------------------------------------------------------ grids


def test_grid_is_exact_and_inclusive() -> None:
    v = parse_vary("差异系数上限.小学=0.40:0.60:0.05")
    assert (v.name, v.key) == ("差异系数上限", "小学")
    assert v.values == tuple(Decimal(x) for x in ("0.40", "0.45", "0.50", "0.55", "0.60"))
    # 0.1 + 0.1 + 0.1 is not 0.3 in floats: HI must still be on the grid
    assert parse_vary("x=0.1:0.3:0.1").values == (Decimal("0.1"), Decimal("0.2"), Decimal("0.3"))
    # HI off the grid: the last value below it
    assert parse_vary("x=0:1:0.3").values[-1] == Decimal("0.9")
    assert parse_vary("班额上限=40人:42人:1人").unit == "人"
    assert parse_vary("班额上限=40人:42人:1人").assignment(Decimal(41)) == "班额上限=41 人"


@pytest.mark.parametrize(
    ("arg", "says"),
    [
        ("x=0.4:0.6:0", "above 0"),
        ("x=0.4:0.6:-0.1", "above 0"),
        ("x=0.6:0.4:0.1", "above HI"),
        ("x=0:1000:1", "at most 200"),
        ("x=0.4:0.6", "LO:HI:STEP"),
        ("x", "LO:HI:STEP"),
        ("x=a:b:c", "not a number"),
        ("x=40人:50元:1人", "different units"),
    ],
)
def test_bad_grids(arg: str, says: str) -> None:
    with pytest.raises(EduintError, match=says):
        parse_vary(arg)


@pytest.mark.parametrize(
    ("vary", "says"),
    [
        ("差异系数上线.初中=0.3:0.5:0.1", "did you mean '差异系数上限'"),
        ("差异系数上限.高中=0.3:0.5:0.1", "not a key of '差异系数上限'"),
        ("班额上限.小学=40元:50元:1元", "E201"),
        ("班额上限.小学=40:50:0", "above 0"),
        ("班额上限.小学=1:5000:1", "at most 200"),
    ],
)
def test_sweep_user_errors(vary: str, says: str) -> None:
    code, out, err = _cli("sweep", str(COUNTY), "--rules", NATIONAL, "--vary", vary)
    assert code == 2
    assert says in err
    assert "Traceback" not in err and out == ""


def test_too_many_points_over_two_grids() -> None:
    code, _, err = _cli(
        "sweep",
        str(COUNTY),
        "--rules",
        NATIONAL,
        "--vary",
        "班额上限.小学=1:100:1",
        "--vary",
        "班额上限.初中=1:3:1",
    )
    assert code == 2 and "300 points" in err


# ------------------------------------------------------------------ sweep = check --set


def _summary(data: Path, sets: list[str], extra: list[str]) -> dict[str, Any]:
    args = ["check", str(data), "--rules", NATIONAL, "--summary", "--format", "json", "-q"]
    for s in sets:
        args += ["--set", s]
    code, out, err = _cli(*args, *extra)
    assert code in (0, 1), err
    return dict(json.loads(out))


def _same_counts(point: dict[str, Any], summary: dict[str, Any]) -> int:
    """Assert the point's counts are the summary's; return how many rules compared."""
    assert point["overall"] == summary["overall"]
    compared = 0
    for rid, r in point["rules"].items():
        if rid not in summary["totals"]:
            continue  # a part: the summary lists items
        total = summary["totals"][rid]
        assert r["counties"] == total["counties"], rid
        if r["scope"] in ("school", "segment", "class"):
            assert r["entities"] == total["entities"], rid
        compared += 1
    return compared


def _sweep_and_check(data: Path, varies: list[str], picks: list[int], extra: list[str]) -> None:
    args = ["sweep", str(data), "--rules", NATIONAL, "--format", "json"]
    for v in varies:
        args += ["--vary", v]
    code, out, err = _cli(*args, *extra)
    assert code == 0, err
    doc = json.loads(out)
    targets = [v["target"] for v in doc["varies"]]
    moved = set()
    for i in picks:
        point = doc["points"][i]
        sets = [f"{t}={point['values'][t]}" for t in targets]
        assert _same_counts(point, _summary(data, sets, extra)) > 0
        moved.add(json.dumps(point["rules"], sort_keys=True))
    assert len(moved) == len(picks), "the picked points should differ, or the test shows nothing"


@pytest.mark.slow
def test_sweep_equals_check_set_on_synth(synth: Path) -> None:
    # two grids: a CV limit (county segments) and a school-segment standard
    _sweep_and_check(
        synth,
        ["差异系数上限.初中=0.30:0.50:0.10", "高学历教师标准.小学=4.0:5.0:0.5"],
        [0, 8],
        ["--as-of", DATE, "--complete"],
    )


def test_sweep_equals_check_set_on_the_synthetic_county() -> None:
    # the county's primary classes are 44–53: the class-size limit moves their verdicts
    _sweep_and_check(COUNTY, ["班额上限.小学=44:52:4"], [0, 2], [])


def test_sweep_table_and_csv(tmp_path: Path) -> None:
    code, out, _ = _cli(
        "sweep", str(COUNTY), "--rules", NATIONAL, "--vary", "班额上限.小学=44:46:1", "--lang", "en"
    )
    assert code == 0
    assert "班额上限.小学 = 45 人" in out and "(五)" in out
    assert [line.split()[0] for line in out.splitlines()[4:] if line.strip()][:1] == ["44"]
    target = tmp_path / "s.csv"
    code, _, err = _cli(
        "sweep",
        str(COUNTY),
        "--rules",
        NATIONAL,
        "--vary",
        "班额上限.小学=44:46:1",
        "--format",
        "csv",
        "-o",
        str(target),
    )
    assert code == 0 and str(target) in err
    rows = target.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("班额上限.小学,rule,scope,counties:达到")
    assert {r.split(",")[0] for r in rows[1:]} == {"44", "45", "46"}


def test_sweep_html_has_a_chart_per_rule_and_no_url(tmp_path: Path) -> None:
    """``--format html``: one self-contained page, the table and a chart of the counties
    达到 at each value for the overall verdict and each rule the value reaches."""
    target = tmp_path / "s.html"
    code, _, _ = _cli("sweep", str(COUNTY), "--rules", NATIONAL, "--vary",
                      "班额上限.小学=44:46:1", "--format", "html", "-o", str(target))
    assert code == 0
    page = target.read_text(encoding="utf-8")
    js = json.loads(_cli("sweep", str(COUNTY), "--rules", NATIONAL, "--vary",
                         "班额上限.小学=44:46:1", "--format", "json")[1])
    rules = js["points"][0]["rules"]
    assert page.count("<svg") == 1 + len(rules) and len(rules) > 0
    for bad in ("http", "//", "@font-face", "url(", "<script"):
        assert bad not in page, bad
    assert "达到的县区数" in page


# ------------------------------------------------------------------ diff = two runs


def _diff(*args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = _cli("diff", *args, "--format", "json")
    assert code in (0, 1), err
    return code, dict(json.loads(out))


def _record_verdicts(rules: str, as_of: datetime.date | None) -> dict[tuple[str, str], Any]:
    """One record-engine run of the county: (rule id, "H") → headline, (rule id, entity
    key) → the entity's outcome below the county, ("", "H") → overall."""
    report = eduint.run(rules, COUNTY, as_of=as_of).counties[0].report
    out: dict[tuple[str, str], Any] = {("", "H"): report.overall}
    for item in report.items:
        out[(item.id, "H")] = item.headline
        for e in item.entities:
            if e.entity.scope != "county":
                out[(item.id, e.entity.key)] = e.outcome
    return out


def _differing(a: dict[Any, Any], b: dict[Any, Any]) -> set[Any]:
    return {k for k in a.keys() & b.keys() if a[k] != b[k]}


def _listed(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["rule"] or "", "H" if c["level"] == "county" else c["ref"]) for c in doc["changes"]}


def test_diff_province_against_national_on_the_county() -> None:
    code, doc = _diff(NATIONAL, PROVINCE, str(COUNTY))
    want = _differing(_record_verdicts(NATIONAL, None), _record_verdicts(PROVINCE, None))
    assert want, "the provincial file should change some verdict of the county"
    assert code == 1
    assert _listed(doc) == want
    assert [r["id"] for r in doc["added"]] == ["生均公用经费"] and doc["removed"] == []
    # every class change shows the value and both thresholds that decided it
    classes = [c for c in doc["changes"] if c["level"] == "class"]
    assert classes and all(
        c["value_a"] is not None and c["threshold_a"] is not None for c in classes
    )


def test_diff_one_rule_set_at_two_dates() -> None:
    rules = "chengxiang_yitihua_2018"
    d1, d2 = datetime.date(2019, 9, 1), datetime.date(2021, 6, 30)
    code, doc = _diff(
        rules, rules, str(COUNTY), "--as-of", d1.isoformat(), "--as-of-b", d2.isoformat()
    )
    want = _differing(_record_verdicts(rules, d1), _record_verdicts(rules, d2))
    assert want, "the dated class-size targets should change a verdict"
    assert _listed(doc) == want and code == 1
    assert doc["a"]["as_of"] == d1.isoformat() and doc["b"]["as_of"] == d2.isoformat()
    code, doc = _diff(rules, rules, str(COUNTY), "--as-of", d1.isoformat())
    assert code == 0 and doc["changes"] == []


def _level_verdicts(data: Path, rules: str) -> dict[tuple[str, str, Any], Any]:
    """One columnar run of the national table, read afresh: from its level tables,
    (rule, level, key) → outcome code; a class keyed by its place in its school segment."""
    from eduint.data.national import read_national
    from eduint.engine.columnar import evaluate_many
    from eduint.engine.columnar.national import frame_of

    rs = eduint.api.read_rules(rules).ruleset
    date = datetime.date.fromisoformat(DATE)
    result = evaluate_many(rs, frame_of(read_national(data), rs, complete=True, as_of=date), date)
    out: dict[tuple[str, str, Any], Any] = {}
    for level in ("county", "county_segment", "school", "segment", "class"):
        try:
            cols = result.to_arrow(level).to_pydict()
        except ValueError:
            continue
        n = len(cols["county_code"])
        keys: list[Any] = []
        seen: dict[Any, int] = {}
        for i in range(n):
            group = (
                cols["county_code"][i],
                (cols.get("school") or [""] * n)[i] or "",
                (cols.get("segment") or [""] * n)[i] or "",
            )
            at = seen.get(group, 0) if level == "class" else -1
            seen[group] = at + 1
            keys.append(cols["county_code"][i] if level == "county" else (*group, at))
        for name, values in cols.items():
            if not name.endswith(".code"):
                continue
            rid = name[: -len(".code")]
            rid = "" if rid == "overall" and level == "county" else rid
            for i in range(n):
                if level == "county" or values[i]:
                    out[(rid, level, keys[i])] = values[i]
    return out


@pytest.mark.slow
def test_diff_province_against_national_on_synth(synth: Path) -> None:
    code, doc = _diff(NATIONAL, PROVINCE, str(synth), "--as-of", DATE, "--complete")
    want = _differing(_level_verdicts(synth, NATIONAL), _level_verdicts(synth, PROVINCE))
    got = {
        (
            c["rule"] or "",
            c["level"],
            c["county_code"]
            if c["level"] == "county"
            else (
                c["county_code"],
                c["school"] or "",
                c["segment"] or "",
                c["class"] if c["class"] is not None else -1,
            ),
        )
        for c in doc["changes"]
    }
    assert want and code == 1
    assert got == want


def test_diff_table_lists_counts_and_limits() -> None:
    code, out, _ = _cli("diff", NATIONAL, PROVINCE, str(COUNTY), "--limit", "3")
    assert code == 1
    assert "仅B有的规则（新增）" in out and "生均公用经费" in out
    assert "未列出" in out  # more changes than --limit


def test_diff_unknown_rules_is_a_user_error() -> None:
    code, _, err = _cli("diff", NATIONAL, "youzhi_junheng_2071", str(COUNTY))
    assert code == 2 and "no such rule file" in err and "Traceback" not in err


def test_columnar_summary_uses_inherited_answers() -> None:
    """A provincial rule set inherits the county's answers (自评) to its parent's items
    left unchanged: the columnar summary's headlines are the record engine's (they were
    缺少数据 for every self-assessed item before, so a diff listed them all)."""
    code, out, err = _cli(
        "check", str(COUNTY), "--rules", PROVINCE, "--summary", "--format", "json", "-q"
    )
    assert code in (0, 1), err
    columnar = json.loads(out)["counties"][0]["rules"]
    report = eduint.run(PROVINCE, COUNTY).counties[0].report
    record = {i.id: i.headline for i in report.items}
    assert columnar["(一)"]["outcome"] == "达到"
    for rid, one in columnar.items():
        want = record[rid]
        assert one["outcome"] == (want.value if want is not None else None), rid


def test_sweep_json_keeps_exact_decimals() -> None:
    code, out, _ = _cli("sweep", str(COUNTY), "--rules", NATIONAL, "--format", "json",
                        "--vary", "差异系数上限.小学=0.40:0.60:0.05")
    assert code == 0
    doc = json.loads(out)
    assert doc["varies"][0]["values"] == ["0.40", "0.45", "0.50", "0.55", "0.60"]
    assert doc["varies"][0]["base"] == "0.50"
    assert [p["values"]["差异系数上限.小学"] for p in doc["points"]] == doc["varies"][0]["values"]


def test_diff_csv_has_one_row_per_change(tmp_path: Path) -> None:
    _, doc = _diff(NATIONAL, PROVINCE, str(COUNTY))
    target = tmp_path / "d.csv"
    code, _, _ = _cli("diff", NATIONAL, PROVINCE, str(COUNTY), "--format", "csv",
                      "-o", str(target))
    assert code == 1
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("rule,level,county_code,county,school")
    assert len(lines) - 1 == len(doc["changes"])
