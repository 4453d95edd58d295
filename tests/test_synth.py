"""``eduint synth`` (issue 19): the synthetic national data set.

Determinism (the same scale and seed give the same bytes, CSV and Parquet), the columns
(the field registry's labels), the shapes the issue asks for (teaching points of 10–100
students, schools of 3,000 and more, classes over 56 and 66, one-through schools with
two rows, missing figures that are null or empty and never 0, about 28 counties at
scale 0.01), the formats, the CSV and the folder read back by the existing spreadsheet
reader, and a mix of verdicts under the 2017 resource rules.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eduint import cli
from eduint.data.spreadsheets import default_headers, read_tables
from eduint.testing import _synth_data, _synth_write, synth

np = pytest.importorskip("numpy")

HEADERS = [name for name, _, _ in synth.COLUMNS]


@pytest.fixture(scope="module")
def small() -> synth.SynthTable:
    return synth.synthesize(0.01, 7)


@pytest.fixture(scope="module")
def tenth() -> synth.SynthTable:
    return synth.synthesize(0.1, 1)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- determinism ----------------------------------------------------------------------


def test_csv_is_byte_identical_for_the_same_scale_and_seed(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    synth.write_synth(a, 0.01, 5)
    synth.write_synth(b, 0.01, 5)
    synth.write_synth(c, 0.01, 6)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_parquet_is_byte_identical_for_the_same_scale_and_seed(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    a, b, c = tmp_path / "a.parquet", tmp_path / "b.parquet", tmp_path / "c.parquet"
    synth.write_synth(a, 0.02, 5)
    synth.write_synth(b, 0.02, 5)
    synth.write_synth(c, 0.02, 6)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


# --- columns and order ------------------------------------------------------------------


def test_columns_are_the_registry_labels(small: synth.SynthTable) -> None:
    labels = {label for table in default_headers().values() for label, _, _ in table}
    assert set(HEADERS) <= labels
    assert list(small.columns) == HEADERS[:-1]  # 班额 is held as the class arrays
    assert HEADERS[-1] == "班额"


def test_rows_are_ordered_by_county_school_and_segment(tenth: synth.SynthTable) -> None:
    c = tenth.columns
    keys = list(zip(c["行政区划代码"], c["学校代码"], c["学段"] == "初中", strict=True))
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    codes = c["行政区划代码"]
    assert all(len(x) == 6 and x.isdigit() for x in np.unique(codes))
    assert all(x.startswith(y) for x, y in zip(c["学校代码"], codes, strict=True))


def test_county_counts_scale_and_seed(small: synth.SynthTable) -> None:
    assert synth.counties_for(1) == 2850
    assert small.meta["counties"] == 28
    assert len(np.unique(small.columns["行政区划代码"])) == 28
    for bad in (0, -1, float("nan"), 11):
        with pytest.raises(synth.SynthError, match="positive"):
            synth.counties_for(bad)
    assert isinstance(small.meta["scale"], float)  # 1 and 1.0 write the same metadata
    with pytest.raises(synth.SynthError, match="seed"):
        synth.synthesize(0.01, -1)


def test_province_prefixes_follow_the_real_counts(tenth: synth.SynthTable) -> None:
    codes = np.unique(tenth.columns["行政区划代码"])
    per = {p: int(sum(1 for x in codes if x[:2] == str(p))) for p, *_ in synth.PROVINCES}
    # 四川 (183 real) gets the most, 宁夏 (22) few, every province some at scale 0.1
    assert max(per, key=lambda p: per[p]) == 51
    assert 1 <= per[64] <= 4
    assert min(per.values()) >= 1


# --- shapes -------------------------------------------------------------------------


def test_teaching_points_and_big_schools(tenth: synth.SynthTable) -> None:
    c = tenth.columns
    points = c["学校类型"] == "教学点"
    assert points.sum() > 100
    assert c["在校生数"][points].min() >= 10
    assert c["在校生数"][points].max() <= 100
    assert set(c["学段"][points]) == {"小学"}
    assert set(c["城乡分类"][points]) == {"乡村"}
    assert (c["在校生数"] >= 3000).sum() > 10
    assert set(c["学校类型"]) == {"小学", "初级中学", "九年一贯制学校", "教学点"}


def test_class_sizes_have_a_tail_and_add_up(tenth: synth.SynthTable) -> None:
    sizes = tenth.class_sizes
    assert (sizes > 56).sum() > 100
    assert (sizes > 66).sum() > 10
    assert sizes.min() >= 1
    off = tenth.class_offsets
    per_row = np.add.reduceat(sizes.astype(np.int64), off[:-1])
    assert np.array_equal(per_row, tenth.columns["在校生数"])
    assert np.array_equal(np.diff(off), tenth.columns["班级数"])


def test_one_through_schools_have_two_rows(tenth: synth.SynthTable) -> None:
    c = tenth.columns
    nine = c["学校类型"] == "九年一贯制学校"
    codes, counts = np.unique(c["学校代码"][nine], return_counts=True)
    assert len(codes) > 100 and set(counts) == {2}
    assert list(c["学段"][nine][:2]) == ["小学", "初中"]
    others, other_counts = np.unique(c["学校代码"][~nine], return_counts=True)
    assert set(other_counts) == {1}
    assert not set(codes) & set(others)


def test_some_figures_are_missing(tenth: synth.SynthTable) -> None:
    for name in (*_synth_data.RULE_FIGURES, *_synth_data.OTHER_MISSING):
        assert tenth.missing[name].any(), name
    assert "在校生数" not in tenth.missing
    assert tenth.class_missing.any()
    # the rule figures have holes in a few counties only, so most counties are decided
    holes = np.zeros(tenth.rows, dtype=bool)
    for name in _synth_data.RULE_FIGURES:
        holes |= tenth.missing[name]
    codes = tenth.columns["行政区划代码"]
    assert 0 < len(np.unique(codes[holes])) < 0.15 * len(np.unique(codes))


@pytest.mark.slow
def test_the_scale_one_sizes() -> None:
    table = synth.synthesize(1, 1)
    assert table.meta["counties"] == 2850
    assert table.meta["schools"] == 200_000
    assert 210_000 < table.rows < 225_000
    assert 4.1e6 < len(table.class_sizes) < 4.5e6


# --- formats ---------------------------------------------------------------------------


def test_csv_cells(tmp_path: Path, small: synth.SynthTable) -> None:
    path = tmp_path / "n.csv"
    synth.write_synth(path, 0.01, 7)
    rows = _csv_rows(path)
    assert list(rows[0]) == HEADERS
    assert len(rows) == small.rows
    for name, mask in small.missing.items():
        cells = [r[name] for r in rows]
        assert all(cells[i] == "" for i in np.flatnonzero(mask)), name
        assert all(cells[i] != "" for i in np.flatnonzero(~mask)), name
    i = int(np.flatnonzero(~small.class_missing)[0])
    sizes = small.class_sizes[small.class_offsets[i] : small.class_offsets[i + 1]].tolist()
    assert [int(x) for x in rows[i]["班额"].split(";")] == sizes
    gone = np.flatnonzero(small.class_missing)
    assert all(rows[i]["班额"] == "" for i in gone)
    readme = (tmp_path / "n.csv.说明.txt").read_text(encoding="utf-8")
    assert "合成数据" in readme and "--seed 7" in readme and "教学仪器设备值\t元" in readme


def test_parquet_types_nulls_and_metadata(tmp_path: Path, small: synth.SynthTable) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "n.parquet"
    synth.write_synth(path, 0.01, 7)
    t = pq.read_table(path)
    assert t.column_names == HEADERS
    assert t.schema.field("班额").type == pa.list_(pa.int16())
    assert t.schema.field("在校生数").type == pa.int32()
    for name, mask in small.missing.items():
        col = t.column(name)
        assert col.null_count == int(mask.sum()), name
        assert np.array_equal(col.is_null().to_numpy(zero_copy_only=False), mask)
    assert t.column("班额").null_count == int(small.class_missing.sum())
    meta = json.loads(t.schema.metadata[b"eduint.synthetic"])
    assert meta["synthetic"] is True and meta["seed"] == 7 and meta["counties"] == 28
    assert "合成数据" in t.schema.metadata[b"eduint.readme"].decode()


def test_jsonl_lines(tmp_path: Path, small: synth.SynthTable) -> None:
    path = tmp_path / "n.jsonl"
    synth.write_synth(path, 0.01, 7)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == small.rows
    objs = [json.loads(x) for x in lines]
    assert list(objs[0]) == HEADERS
    i = int(np.flatnonzero(~small.class_missing)[0])
    sizes = small.class_sizes[small.class_offsets[i] : small.class_offsets[i + 1]].tolist()
    assert objs[i]["班额"] == sizes
    assert isinstance(objs[0]["在校生数"], int)
    for name, mask in small.missing.items():
        assert all(objs[i][name] is None for i in np.flatnonzero(mask)), name
    assert all(objs[i]["班额"] is None for i in np.flatnonzero(small.class_missing))
    assert (tmp_path / "n.jsonl.说明.txt").exists()


@pytest.mark.slow
def test_xlsx_sheets_and_row_limit(
    tmp_path: Path, small: synth.SynthTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "n.xlsx"
    synth.write_synth(path, 0.01, 7)
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["学校", "说明"]
    rows = list(book["学校"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == small.rows + 1
    assert isinstance(rows[1][HEADERS.index("在校生数")], int)
    notes = [r[0] for r in book["说明"].iter_rows(values_only=True)]
    assert any("合成数据" in (n or "") for n in notes)
    book.close()
    monkeypatch.setattr(synth, "XLSX_MAX_ROWS", 100)
    with pytest.raises(synth.SynthError, match="too many for an XLSX"):
        synth.write_synth(tmp_path / "big.xlsx", 0.01, 7)


def test_folder_holds_one_file_per_county(tmp_path: Path, small: synth.SynthTable) -> None:
    out = tmp_path / "national"
    synth.write_synth(str(out) + "/", 0.01, 7)
    files = sorted(p.name for p in out.iterdir())
    assert files[-1] == _synth_write.FOLDER_README
    counties = files[:-1]
    assert len(counties) == 28
    assert all(name.endswith("-学校.csv") and name[:6].isdigit() for name in counties)
    total = sum(len(_csv_rows(out / name)) for name in counties)
    assert total == small.rows
    one = _csv_rows(out / counties[0])
    assert {r["行政区划代码"] for r in one} == {counties[0][:6]}


# --- the existing reader and rules ----------------------------------------------------------


def test_csv_reads_back_with_the_spreadsheet_reader(tmp_path: Path) -> None:
    small = synth.synthesize(0.005, 7)
    path = tmp_path / "n.csv"
    synth.write_synth(path, 0.005, 7)
    results = read_tables(path, complete=True)
    assert len(results) == 14
    assert sum(r.rows_used or 0 for r in results) == small.rows
    # 省 and 班额 are columns the record reader's school sheet does not read (the national
    # reader does); nothing else is a problem.
    problems = {(p.code, p.path) for r in results for p in r.problems}
    assert problems <= {("D010", "省"), ("D010", "班额")}
    assert {p.code for r in results for p in r.notices} <= {"D041", "D042"}
    first = results[0].county
    rows = small.columns["行政区划代码"] == first.code
    students = sum(int(g.students.low) for s in first.schools for g in s.segments)
    assert students == int(small.columns["在校生数"][rows].sum())
    assert first.name == small.columns["县区名称"][rows][0]


@pytest.mark.slow
def test_folder_reads_back_as_the_csv_does(tmp_path: Path) -> None:
    synth.write_synth(tmp_path / "n.csv", 0.005, 7)
    synth.write_synth(tmp_path / "dir", 0.005, 7, "folder")
    # per-segment figures, said outright: a county file with no one-through school has
    # nothing for the reader to decide that reading from
    one = read_tables(tmp_path / "n.csv", complete=True, figures="per-segment")
    many = read_tables(tmp_path / "dir", complete=True, figures="per-segment")
    assert [r.county.code for r in one] == [r.county.code for r in many]
    assert [r.county for r in one] == [r.county for r in many]
    assert not any(p.code == "D014" for r in many for p in r.problems)


@pytest.mark.slow
def test_the_resource_rules_give_a_mix_of_verdicts(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    synth.write_synth(path, 0.01, 1)
    args = ["check", str(path), "--rules", "youzhi-junheng-2017-resource", "--complete",
            "--set", "subtract_indoor_sports=false", "--engine", "columnar"]  # fmt: skip
    result: Any = CliRunner().invoke(cli.main, args, prog_name="eduint")
    assert result.exit_code == 1, result.output
    summary = result.output.split("各县区汇总")[1]
    verdicts = [line.split()[2] for line in summary.splitlines() if line[:1] != "-"
                and len(line.split()) > 2 and line.split()[1].isdigit()]  # fmt: skip
    assert len(verdicts) == 28
    assert verdicts.count("达到") >= 2 and verdicts.count("未达到") >= 10


# --- the command and its errors ------------------------------------------------------------


def test_the_command_writes_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "n.csv"
    args = ["synth", "--scale", "0.01", "--seed", "2", "--output", str(out)]
    result: Any = CliRunner().invoke(cli.main, args, prog_name="eduint")
    assert result.exit_code == 0, result.output
    assert "28 counties" in result.output and "(synthetic)" in result.output
    assert out.read_text(encoding="utf-8").startswith(",".join(HEADERS) + "\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output", "n.txt"], "cannot tell the format"),
        (["--output", "n.csv", "--scale", "-1"], "positive"),
        (["--output", "n.csv", "--seed", "-1"], "seed"),
        (["--output", "n.csv", "--format", "tsv"], "Invalid value for '--format'"),
    ],
)
def test_the_command_refuses_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result: Any = CliRunner().invoke(cli.main, ["synth", *args], prog_name="eduint")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_without_numpy_or_pyarrow_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    result: Any = CliRunner().invoke(
        cli.main, ["synth", "--scale", "0.01", "-o", str(tmp_path / "n.parquet")]
    )
    assert result.exit_code == 2
    assert "pip install 'eduint[parquet]'" in result.output
    monkeypatch.setitem(sys.modules, "numpy", None)
    result = CliRunner().invoke(cli.main, ["synth", "--scale", "0.01", "-o", str(tmp_path / "n.csv")])
    assert result.exit_code == 2
    assert "pip install 'eduint[columnar]'" in result.output
    assert not (tmp_path / "n.csv").exists()
    with pytest.raises(ImportError, match="eduint\\[columnar\\]"):  # for Python callers
        synth.synthesize(0.01, 1)


def test_the_readme_lists_every_column(small: synth.SynthTable) -> None:
    text = "\n".join(_synth_write.readme_lines(small, "csv"))
    assert all(f"  {name}\t" in text for name in HEADERS)
    assert "an empty cell, never 0" in text
    assert io.StringIO(text).readline().startswith("合成数据")
