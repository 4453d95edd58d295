"""National data through ``eduint check`` (issue 19, Done means): the same synthetic data
set as Parquet, as one CSV file, as JSON Lines and as a folder of county files gives the
same per-county summary and totals, and the whole result written from each is the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from eduint.cli import main

pytest.importorskip("numpy")
pytest.importorskip("pyarrow")

ARGS = ["--rules", "youzhi-junheng-2017-resource", "--complete", "--set",
        "subtract_indoor_sports=false"]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from eduint.testing.synth import write_synth

    root = tmp_path_factory.mktemp("national")
    out = {}
    for form, name in (("parquet", "n.parquet"), ("csv", "n.csv"), ("jsonl", "n.jsonl"),
                       ("folder", "counties")):
        path = root / name
        write_synth(path, 0.01, 1, "folder" if form == "folder" else None)
        out[form] = path
    return out


def _check(path: Path, *extra: str) -> tuple[int, str]:
    got = CliRunner().invoke(main, ["check", str(path), *ARGS, "--summary", *extra])
    assert got.exception is None or isinstance(got.exception, SystemExit), got.output
    return got.exit_code, got.stdout


@pytest.mark.slow
def test_every_form_gives_the_same_summary(written: dict[str, Path]) -> None:
    code, parquet = _check(written["parquet"])
    assert code == 1  # the synthetic set fails somewhere
    assert "各县区汇总" in parquet and "各项合计（28个县区）" in parquet
    for form in ("csv", "jsonl", "folder"):
        assert _check(written[form]) == (code, parquet), form


def test_every_form_writes_the_same_result(written: dict[str, Path], tmp_path: Path) -> None:
    """``--format parquet --output R.parquet`` writes a file per level (R.county.parquet …);
    each is the same table from every form of the data."""
    import pyarrow.parquet as pq

    levels = ("county", "county_segment", "segment")
    tables = {}
    for form in ("parquet", "csv", "folder"):
        target = tmp_path / f"{form}-result.parquet"
        code, _ = _check(written[form], "--format", "parquet", "--output", str(target))
        assert code == 1
        tables[form] = [pq.read_table(tmp_path / f"{form}-result.{lv}.parquet") for lv in levels]
    assert [t.num_rows for t in tables["parquet"]] == [28, 28 * 2, 2150]  # 小学, 初中
    for form in ("csv", "folder"):
        for lv, got, want in zip(levels, tables[form], tables["parquet"], strict=True):
            assert got.equals(want), (form, lv)


_HEAD = "行政区划代码,县区名称,学校代码,学校类型,学段,在校生数,专任教师数,教学及辅助用房面积\n"


def _one_through(tmp_path: Path, second: str, first: str = "1000") -> Path:
    """A two-county table whose one-through school gives 教学及辅助用房面积 ``first`` on
    its 小学 row and ``second`` on its 初中 row."""
    path = tmp_path / "table.csv"
    path.write_text(
        _HEAD
        + f"110101,甲县,1,九年一贯制学校,小学,400,30,{first}\n"
        + f"110101,甲县,1,九年一贯制学校,初中,300,25,{second}\n"
        + "110102,乙县,2,小学,小学,500,40,2500\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("second", "forced", "code", "says"),
    [
        ("1200", None, 0, None),  # differs: per segment, as read (缺少数据: exit 0)
        ("1000", None, 2, "--figures per-segment"),  # repeated: both readings fit
        ("1000", "per-segment", 0, None),  # … unless the user says which
        ("", None, 2, "one of its segment rows only"),  # whole school's: not split here
        ("1200", "whole-school", 2, "reads physical figures per segment"),
    ],
)
def test_one_through_figures_are_read_per_segment_or_refused(
    tmp_path: Path, second: str, forced: str | None, code: int, says: str | None
) -> None:
    """A national table's one-through school's physical figures are each segment's own:
    the table's evidence is weighed as the spreadsheet reader weighs it, and a table that
    reads as whole-school figures, or fits both readings, is refused (D004), never split
    or doubled silently."""
    args = ["check", str(_one_through(tmp_path, second)), "--rules",
            "youzhi-junheng-2017-resource", "--complete", "--summary", "-q"]
    if forced:
        args += ["--figures", forced]
    got = CliRunner().invoke(main, args)
    assert got.exit_code == code, got.output
    if says is not None:
        assert "D004" in got.stderr and says in got.stderr


def test_a_column_the_rules_read_that_the_table_lacks_is_said_once(tmp_path: Path) -> None:
    """A national table without a column the rule set reads gets one note naming it
    (every such figure is missing), not only 缺少数据 verdicts; a full table gets none."""
    path = tmp_path / "t.csv"
    path.write_text(_HEAD + "110101,甲县,1,小学,小学,400,30,1000\n", encoding="utf-8")
    args = ["check", str(path), "--rules", "youzhi-junheng-2017-resource", "--complete",
            "--summary", "-q"]
    got = CliRunner().invoke(main, args)
    assert "规则集要用到它" in got.stderr
    assert "“县级以上骨干教师数”" in got.stderr
    assert "“专任教师数”" not in got.stderr and "“在校生数”" not in got.stderr


def test_school_names_are_written_with_the_school_tables(
    written: dict[str, Path], tmp_path: Path
) -> None:
    """The segment table carries each school's 学校名称 as the input gives it (it gave
    the 学校代码 only)."""
    import csv

    target = tmp_path / "result.csv"
    code, _ = _check(written["csv"], "--format", "csv", "--output", str(target))
    assert code == 1
    with open(written["csv"], encoding="utf-8-sig", newline="") as fh:
        want = {(r["学校代码"], r["学段"]): r["学校名称"] for r in csv.DictReader(fh)}
    with open(tmp_path / "result.segment.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(want) == 2150
    got = {(r["学校代码"], r["学段"]): r["学校名称"] for r in rows}
    assert got == want
    assert all(want.values())


@pytest.mark.parametrize("command", ["explain", "gaps"])
def test_explain_and_gaps_say_what_to_do_with_national_data(
    written: dict[str, Path], command: str
) -> None:
    """``eduint explain``/``gaps`` read one county: given a national Parquet file they
    say how to see one county of it, not only that ``.parquet`` is an unknown type."""
    args = [command, str(written["parquet"])]
    if command == "explain":
        args.append("(五)")
    got = CliRunner().invoke(main, [*args, "--rules", "youzhi-junheng-2017"])
    assert got.exit_code != 0
    assert "unknown data file type" not in got.output
    assert "national data" in got.output
    assert "--summary --county CODE" in got.output


def test_a_folder_resolves_its_headers_once_not_per_file(
    written: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder of county files was 20–25× slower than the same data as one CSV: every
    file's header search resolved every cell of its first 20 rows afresh (4.6 million
    header resolutions at national scale).  Now a folder resolves about as many
    headers as one file: each distinct cell once, and rows of figures not at all."""
    from eduint.data.national import read_national
    from eduint.data.spreadsheets import mapping

    calls = {"n": 0}
    real = mapping.norm

    def counted(text: str) -> str:
        calls["n"] += 1
        return real(text)

    monkeypatch.setattr(mapping, "norm", counted)
    one = read_national(written["csv"])
    in_one = calls["n"]
    calls["n"] = 0
    folder = read_national(written["folder"])
    assert folder.counties == one.counties == 28
    assert calls["n"] < 3 * in_one + 2000, (calls["n"], in_one)


def test_a_national_csv_past_a_county_limit_hints_summary(written: dict[str, Path]) -> None:
    """A national CSV read county by county (no ``--summary``) that passes a per-county
    limit says, beside the limit, that ``--summary`` reads many counties at once."""
    got = CliRunner().invoke(main, ["check", str(written["csv"]), *ARGS, "--limit", "cells=100"])
    assert got.exit_code == 2, got.output
    assert "error[D005]" in got.output and "--limit cells=N" in got.output
    assert "hint: a table of many counties is read at once with --summary" in got.output
