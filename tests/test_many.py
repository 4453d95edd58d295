"""Many counties' answers (issue 19): the summary, the writers, to_arrow/to_pandas, --summary.

* the summary's counts (counties by headline, entities by outcome, class counts, the
  worst 差异系数) equal what counting the per-county record reports
  (``ColumnarResult.report(i)``) gives, for a file of several counties;
* each writer round-trips: CSV, JSON Lines, XLSX and Parquet read back give the result's
  numbers, missing as empty (never 0); the XLSX has no class sheet and says so;
* ``to_arrow``/``to_pandas`` shapes (skipped cleanly without pyarrow or pandas);
* ``eduint check --summary`` end to end, its exit code the worst over the counties, no
  progress bar when stderr is not a terminal.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import eduint
from eduint import _cli_many, cli
from eduint.data import models
from eduint.data.spreadsheets import write_tables
from eduint.engine._optional import need
from eduint.engine.columnar import ColumnarResult, evaluate_many
from eduint.engine.columnar._rules import OUTCOMES
from eduint.engine.columnar.tables import level_table, levels
from eduint.engine.results import Outcome
from eduint.reporting import many, many_files

pytest.importorskip("numpy")

REPO = Path(__file__).resolve().parent.parent
BAOSHAN = REPO / "examples" / "baoshan-2018.yaml"
SYNTHETIC = REPO / "examples" / "synthetic-county-2019.yaml"

# class counts per county segment, as bench/perfref.rules counts them
_CLASS_RULES = """\
ruleset 班额计数 "班额计数" { version "1" }
value 班额上限 = by segment { 小学: 45 人, 初中: 50 人 }
rule 班额 {
  scope class [小学, 初中]
  require 班额 <= 班额上限
}
rule 班级数 {
  scope county segment [小学, 初中]
  report 班级 = count(over 班级)
  report 超过上限 = count(over 班级 where 班额 > 班额上限)
  report 大班额 = count(over 班级 where 班额 >= 56 人)
}
"""


def _shifted(county: models.County, name: str, code: str, more: int) -> models.County:
    """The county renamed, every school's 专任教师数 raised by ``more`` (so that the
    counties' answers differ)."""
    schools = []
    for s in county.schools or ():
        segs = []
        for seg in s.segments:
            t = seg.full_time_teachers
            if t is not None and t.value is not None and not isinstance(t.value, tuple):
                t = models.Figure.exact(int(t.value) + more)
            segs.append(attrs.evolve(seg, full_time_teachers=t))
        schools.append(attrs.evolve(s, segments=tuple(segs)))
    return attrs.evolve(county, name=name, code=code, schools=tuple(schools))


@pytest.fixture(scope="module")
def counties() -> list[models.County]:
    """Four counties: 宝山区 (figures missing), the synthetic county and two variants."""
    a = attrs.evolve(eduint.load_county(BAOSHAN).county, code="310113")
    b = eduint.load_county(SYNTHETIC).county
    return [
        a,
        attrs.evolve(b, name="另一县", code="999999", schools_complete=True),
        _shifted(attrs.evolve(b, schools_complete=True), "第三县", "888888", 3),
        attrs.evolve(b, name="第四县", code="777777"),
    ]


@pytest.fixture(scope="module", params=["youzhi-junheng-2017", "youzhi-junheng-2017-resource"])
def result(request: pytest.FixtureRequest, counties: list[models.County]) -> ColumnarResult:
    return evaluate_many(eduint.load_ruleset(request.param), counties)


@pytest.fixture(scope="module")
def class_result(counties: list[models.County]) -> ColumnarResult:
    return evaluate_many(eduint.check_text(_CLASS_RULES), counties)


# ------------------------------------------------------------------ the summary


def test_summary_counts_equal_the_record_reports(result: ColumnarResult) -> None:
    """Counties by headline, overall verdicts, and each county's entities by outcome
    equal counting the per-county reports the record engine builds."""
    s = many.summarize(result)
    reports = [result.report(i) for i in range(result.counties)]
    assert s.overall_by_outcome() == dict(Counter(r.overall for r in reports))
    assert len(s.rules) >= 8
    for r in s.rules:
        assert r.counties_by_outcome() == dict(Counter(rep.headlines()[r.id] for rep in reports))
        if r.counts is None:
            continue
        for i, rep in enumerate(reports):
            item = next(it for it in rep.items if it.id == r.id)
            got = {OUTCOMES[c]: int(n) for c, n in enumerate(r.counts[i].tolist()) if n}
            assert got == dict(Counter(e.outcome for e in item.entities)), (r.id, i)


def test_worst_cv_is_the_reports_worst(result: ColumnarResult) -> None:
    """For a 差异系数 rule, a county's worst value is the largest CV its report shows
    for a segment (the comparison is <=), with that segment's limit."""
    s = many.summarize(result)
    r = s.rule("差异系数_骨干教师")
    assert r.op == "<="
    seen = 0
    for i in range(result.counties):
        item = next(it for it in result.report(i).items if it.id == r.id)
        pairs = [
            (
                float(
                    e.evidence.left.value.lo
                    if hasattr(e.evidence.left.value, "lo")
                    else e.evidence.left.value
                ),
                float(e.evidence.right.value),
            )
            for e in item.entities
            if e.evidence is not None and e.evidence.left is not None
        ]
        if not pairs:
            assert math.isnan(r.value[i])
            continue
        worst = min(pairs, key=lambda p: p[1] - p[0])
        assert r.value[i] == pytest.approx(worst[0], rel=1e-9)
        assert r.threshold[i] == pytest.approx(worst[1])
        seen += 1
    assert seen >= 3


def test_class_counts_and_limits(class_result: ColumnarResult) -> None:
    """Classes over the limit per county equal the report's 未达到 classes, report-line
    sums equal the report's shown values, and the text has the totals."""
    s = many.summarize(class_result)
    classes = s.rule("班额")
    lines = {name: sums for name, _, sums in s.rule("班级数").lines}
    assert set(lines) == {"班级", "超过上限", "大班额"}
    for i in range(class_result.counties):
        rep = class_result.report(i)
        item = next(it for it in rep.items if it.id == "班额")
        over = sum(1 for e in item.entities if e.outcome is Outcome.NOT_MET)
        assert int(classes.counts[i, 4]) == over
        counted = next(it for it in rep.items if it.id == "班级数")
        for name, sums in lines.items():
            shown = [sh.value for e in counted.entities for sh in e.shown if sh.name == name]
            known = [int(q.value) for q in shown if q is not None]
            if len(known) == len(shown) and known:
                assert sums[i] == sum(known)
            else:
                assert math.isnan(sums[i])  # missing, never 0
        assert math.isnan(lines["超过上限"][i]) or int(lines["超过上限"][i]) == over
    text = many.summary_text(s, "zh")
    assert "班级数：超过上限" in text and "各项合计（4个县区）" in text
    assert "班级达到" in text  # the class rule's entity total
    english = many.summary_text(s, "en")
    assert "Totals (4 counties)" in english and "达到" not in english


def test_closest_counties_both_sides(result: ColumnarResult) -> None:
    """The counties closest to a limit: those met have a margin ≥ 0, smallest first;
    those not met a margin < 0, nearest first; 缺少数据 counties are not listed."""
    s = many.summarize(result)
    r = s.rule("差异系数_骨干教师")
    ok, bad = r.closest(5)
    assert len(ok) + len(bad) >= 2
    assert all(r.margin[i] >= 0 and r.headline[i] in (1, 2) for i in ok.tolist())
    assert all(r.margin[i] < 0 and r.headline[i] == 4 for i in bad.tolist())
    assert list(r.margin[ok]) == sorted(r.margin[ok])
    assert list(-r.margin[bad]) == sorted(-r.margin[bad])
    heads, rows = many.closest_rows(s)
    assert heads[:4] == ["项目", "结论", "行政区划代码", "县区"]
    assert all(row[2] != "310113" for row in rows)  # 宝山区: no data


def test_undecided_county_shows_its_word_alone(result: ColumnarResult) -> None:
    """A county whose CV is 缺少数据 shows the word, no value (missing is never 0)."""
    heads, rows = many.county_rows(many.summarize(result))
    col = heads.index("差异系数_骨干教师")
    baoshan = next(r for r in rows if r[0] == "310113")
    assert baoshan[col] == "缺少数据"
    other = next(r for r in rows if r[0] == "999999")
    assert other[col].startswith(("达到（", "未达到（")) and "0." in other[col]


# ------------------------------------------------------------------ writers


def _expected(result: ColumnarResult, level: str) -> tuple[Any, dict[str, Any]]:
    table = result.table(level)
    return table, {c.name: c.values for c in table.columns}


def test_csv_round_trip(
    tmp_path: Path, result: ColumnarResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every level's CSV holds the result's numbers, words and codes; missing cells are
    empty; with and without pyarrow the cells are the same."""
    import importlib.util

    files = many_files.write_many(result, tmp_path / "out.csv", "csv")
    assert [f.name for f in files] == [f"out.{lv.value}.csv" for lv in levels(result)]
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a)
    )
    plain = many_files.write_many(result, f"{tmp_path / 'plain'}/", "csv")
    assert [f.name for f in plain] == [f"{lv.value}.csv" for lv in levels(result)]
    for f, g in zip(files, plain, strict=True):
        assert _csv(f) == _csv(g)
    seg = _csv(tmp_path / "out.county_segment.csv")
    table = result.table("county_segment")
    value = next(c for c in table.columns if c.name == "差异系数_骨干教师.value")
    head = "差异系数_骨干教师：数值"
    assert len(seg) == len(table)
    for row, x in zip(seg, value.values.tolist(), strict=True):
        assert (row[head] == "") if math.isnan(x) else float(row[head]) == pytest.approx(x)
    assert any(row[head] == "" for row in seg)  # 宝山区: empty, not 0
    county = _csv(tmp_path / "out.county.csv")
    assert [r["行政区划代码"] for r in county] == ["310113", "999999", "888888", "777777"]
    assert {r["总体结论（代码）"] for r in county} <= {"1", "2", "3", "4", "5"}
    words = {"1": "达到", "2": "基本达到", "3": "缺少数据", "4": "未达到", "5": "不适用"}
    assert all(words[r["总体结论（代码）"]] == r["总体结论"] for r in county)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_jsonl_round_trip(tmp_path: Path, result: ColumnarResult) -> None:
    """One JSON object per entity, levels in order, numbers as numbers, missing null."""
    (path,) = many_files.write_many(result, tmp_path / "out.jsonl", "jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    by_level = Counter(r["level"] for r in rows)
    assert by_level == {lv.value: len(result.table(lv.value)) for lv in levels(result)}
    _, cols = _expected(result, "county_segment")
    got = [r for r in rows if r["level"] == "county_segment"]
    for r, x in zip(got, cols["差异系数_体艺教师.value"].tolist(), strict=True):
        assert (
            r["差异系数_体艺教师.value"] is None
            if math.isnan(x)
            else r["差异系数_体艺教师.value"] == pytest.approx(x)
        )
    county = [r for r in rows if r["level"] == "county"]
    assert [r["overall.code"] for r in county] == result.overall.tolist()
    assert all(r["overall"] == OUTCOMES[r["overall.code"]].value for r in county)


def test_xlsx_sheets_numbers_and_no_class_sheet(
    tmp_path: Path, counties: list[models.County]
) -> None:
    """A sheet per level but classes, numbers as numbers (missing blank), a 说明 sheet
    saying where the class rows are."""
    openpyxl = pytest.importorskip("openpyxl")
    res = evaluate_many(eduint.load_ruleset("youzhi-junheng-2017"), counties)
    assert any(lv.value == "class" for lv in levels(res))
    (path,) = many_files.write_many(res, tmp_path / "out.xlsx", "xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["县区", "县区学段", "学校", "学校学段", "说明"]
    notes = " ".join(str(r[0]) for r in wb["说明"].iter_rows(values_only=True))
    assert "CSV" in notes and "Parquet" in notes and "NAME.class.csv" in notes
    rows = list(wb["县区学段"].iter_rows(values_only=True))
    head, body = rows[0], rows[1:]
    col = head.index("差异系数_骨干教师：数值")
    table = res.table("county_segment")
    vals = next(c for c in table.columns if c.name == "差异系数_骨干教师.value").values
    assert len(body) == len(table)
    for row, x in zip(body, vals.tolist(), strict=True):
        assert row[col] is None if math.isnan(x) else row[col] == pytest.approx(x)
    assert any(isinstance(r[col], float) for r in body)
    code = head.index("差异系数_骨干教师（代码）")
    assert all(isinstance(r[code], int) for r in body if r[code] is not None)


def test_xlsx_text_from_data_is_never_a_formula(
    tmp_path: Path, counties: list[models.County]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    evil = attrs.evolve(counties[1], name='=HYPERLINK("x")')
    res = evaluate_many(eduint.load_ruleset("youzhi-junheng-2017-resource"), [evil])
    (path,) = many_files.write_many(res, tmp_path / "e.xlsx", "xlsx")
    cell = openpyxl.load_workbook(path)["县区"]["B2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'
    files = many_files.write_many(res, tmp_path / "e.csv", "csv")
    assert _csv(files[0])[0]["县区"] == '\'=HYPERLINK("x")'


def test_parquet_round_trip(tmp_path: Path, result: ColumnarResult) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    files = many_files.write_many(result, tmp_path / "out.parquet", "parquet")
    for lv, f in zip(levels(result), files, strict=True):
        assert f.name == f"out.{lv.value}.parquet"
        back = pq.read_table(f)
        assert back.equals(result.to_arrow(lv.value))
    seg = pq.read_table(tmp_path / "out.county_segment.parquet").to_pydict()
    vals = result.table("county_segment")
    col = next(c for c in vals.columns if c.name == "差异系数_骨干教师.value").values.tolist()
    assert [None if math.isnan(x) else x for x in col] == seg["差异系数_骨干教师.value"]


def test_a_missing_optional_package_is_a_clear_error() -> None:
    with pytest.raises(ImportError, match="pip install nosuchpackage") as info:
        need("nosuchpackage.parquet", "--format parquet")
    assert isinstance(info.value, eduint.EduintError)


# ------------------------------------------------------------------ to_arrow / to_pandas


def test_to_arrow_and_to_pandas_shapes(result: ColumnarResult) -> None:
    pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    t = result.to_arrow()
    assert t.num_rows == result.counties
    assert t.column_names[:4] == ["county_code", "county", "overall", "overall.code"]
    df = result.to_pandas("county_segment")
    assert len(df) == len(result.table("county_segment"))
    assert {
        "segment",
        "差异系数_骨干教师",
        "差异系数_骨干教师.code",
        "差异系数_骨干教师.value",
        "差异系数_骨干教师.threshold",
    } <= set(df.columns)
    assert df["差异系数_骨干教师.value"].isna().any()  # 宝山区: missing, NaN not 0
    assert set(df["segment"]) == {"小学", "初中"}
    with pytest.raises(ValueError, match="no .* level"):
        evaluate_many(
            eduint.load_ruleset("youzhi-junheng-2017-resource"),
            [attrs.evolve(eduint.load_county(SYNTHETIC).county)],
        ).table("class")
    report = result.report(1)
    rdf = report.to_pandas()
    assert isinstance(rdf, pd.DataFrame)
    n_entities = sum(len(it.entities) for it in report.items)
    assert len(rdf) == len(report.items) + n_entities
    assert (rdf["row"] == "item").sum() == len(report.items)
    assert list(rdf.loc[rdf.row == "item", "outcome"]) == [
        None if it.headline is None else it.headline.value for it in report.items
    ]


# ------------------------------------------------------------------ the command


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory, counties: list[models.County]) -> Path:
    path = tmp_path_factory.mktemp("many") / "four.xlsx"
    write_tables(counties, path, rules="youzhi_junheng_2017")
    return path


def test_check_summary_end_to_end(book: Path) -> None:
    """`eduint check BOOK --summary` prints the summary and totals (no report per county),
    exits as the reports' worst, and draws no progress bar when stderr is not a tty."""
    runner = (
        CliRunner(mix_stderr=False)
        if "mix_stderr" in CliRunner.__init__.__code__.co_varnames
        else CliRunner()
    )
    r = runner.invoke(cli.main, ["check", str(book), "--summary", "--complete"])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    expected = eduint.run(None, book, complete=True).exit_code()
    assert r.exit_code == expected == 1
    assert "各县区汇总" in r.stdout and "各项合计（4个县区）" in r.stdout
    assert "第三县" in r.stdout and "==== " not in r.stdout  # no per-county report
    assert "计算" not in r.stderr and "\r" not in r.stderr  # no progress bar
    en = runner.invoke(cli.main, ["check", str(book), "--summary", "--lang", "en"])
    assert "Summary by county" in en.stdout


@pytest.mark.slow
def test_check_summary_writes_files_and_one_county(tmp_path: Path, book: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r.csv"
    r = runner.invoke(
        cli.main,
        ["check", str(book), "--summary", "--format", "csv", "--output", str(out), "--quiet"],
    )
    assert r.exit_code == 1, r.output
    assert (tmp_path / "r.county.csv").is_file() and (tmp_path / "r.class.csv").is_file()
    assert "r.county_segment.csv" in r.output
    j = runner.invoke(
        cli.main, ["check", str(book), "--format", "jsonl", "--output", str(tmp_path / "r.jsonl")]
    )  # jsonl implies --summary
    assert j.exit_code == 1 and (tmp_path / "r.jsonl").stat().st_size > 0
    js = runner.invoke(cli.main, ["check", str(book), "--summary", "--format", "json"])
    doc = json.loads(js.stdout if hasattr(js, "stdout") else js.output)
    assert [c["code"] for c in doc["counties"]] == ["310113", "999999", "888888", "777777"]
    one = runner.invoke(cli.main, ["check", str(book), "--summary", "--county", "888888"])
    full = runner.invoke(cli.main, ["check", str(book)])
    assert "县区：第三县（888888）" in one.output
    assert one.output.strip() in full.output  # the record engine's report, the same text
    none = runner.invoke(cli.main, ["check", str(book), "--summary", "--county", "000"])
    assert none.exit_code == 2 and "no county" in none.output
    html = runner.invoke(cli.main, ["check", str(book), "--summary", "--format", "html"])
    assert html.exit_code == 1 and html.output.startswith("<!DOCTYPE html>")  # issue 21
    assert "各县区汇总" in html.output and "310113" in html.output


def test_reports_are_built_only_when_asked(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--summary builds no county's full report (the record engine's evaluate is not run)."""
    from eduint.engine import evaluator

    def boom(*a: Any, **k: Any) -> Any:
        raise AssertionError("a full report was built")

    monkeypatch.setattr(evaluator, "evaluate", boom)
    r = CliRunner().invoke(cli.main, ["check", str(book), "--summary"])
    assert r.exit_code == 1, r.output


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    assert _cli_many.progress_on(quiet=False) is False  # pytest's stderr is no terminal
    monkeypatch.setattr(_cli_many.sys, "stderr", Tty())
    assert _cli_many.progress_on(quiet=False) is True
    assert _cli_many.progress_on(quiet=True) is False


def test_level_table_rows_are_the_rules_entities(result: ColumnarResult) -> None:
    for lv in levels(result):
        t = level_table(result, lv)
        assert all(len(c.values) == len(t) for c in t.columns)
