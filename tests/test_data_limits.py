"""Data files of any shape load in time and memory bounded by the data they hold, and
every limit is enforced with an error naming it and how to raise it (issue 14).

The hostile files are built by ``tests/_hostile_data.py``; the figures of the scale cases
are measured in a fresh process (time of the load; peak of Python allocations with
``tracemalloc``, and the process's peak resident memory where Linux reports it).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import eduint
from eduint.cli import main
from eduint.data.errors import DataFileError
from eduint.data.limits import LIMITS, Limits, limits_table, parse_limits
from eduint.data.spreadsheets import read_tables

from . import _hostile_data as hostile

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_YAML = REPO / "examples" / "synthetic-county-2019.yaml"
EXAMPLE_XLSX = REPO / "examples" / "synthetic-county-2019.xlsx"
EXAMPLE_CSV = REPO / "examples" / "synthetic-county-2019-csv"

_CHILD = r"""
import json, sys, time, tracemalloc
from eduint.data.spreadsheets import read_tables
path = sys.argv[1]
t0 = time.perf_counter()
results = read_tables(path)
seconds = time.perf_counter() - t0
tracemalloc.start()
read_tables(path)
traced = tracemalloc.get_traced_memory()[1]
hwm = None
try:
    with open("/proc/self/status") as f:
        hwm = next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
problems = [p.code for r in results for p in r.problems]
print(json.dumps({"seconds": seconds, "traced": traced, "hwm": hwm, "problems": problems,
                  "used": sum(r.rows_used or 0 for r in results)}))
"""

MIB = 1 << 20


def _measure(path: Path) -> dict[str, Any]:
    """Load ``path`` in a fresh process: the best time of three tries (the machine may be
    shared), the peak of Python allocations, the process's peak resident memory."""
    best: dict[str, Any] | None = None
    for _ in range(3):
        run = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        got = json.loads(run.stdout)
        if best is None or got["seconds"] < best["seconds"]:
            best = got
        if best["seconds"] < 2:
            break
    assert best is not None
    print(
        f"{path.name}: {best['seconds']:.2f} s, traced {best['traced'] / MIB:.0f} MiB, "
        f"peak RSS {(best['hwm'] or 0) / MIB:.0f} MiB"
    )
    return best


@pytest.mark.slow
def test_a_million_empty_rows_cost_nothing(tmp_path: Path) -> None:
    """A school sheet holding a million formatted empty rows (its dimension declaring
    A1:XFD1048576) loads in under 200 MiB, reading the same data as the example (it used
    to take over 60 s and 2.3 GB). The time is printed, not asserted (a shared machine's
    load decides it; bench/fuzz.py measures times)."""
    got = _measure(hostile.empty_rows_xlsx(tmp_path / "empty.xlsx"))
    assert got["traced"] < 200 * MIB
    assert got["hwm"] is None or got["hwm"] < 200 * MIB
    plain = read_tables(EXAMPLE_XLSX)
    assert sum(r.rows_used or 0 for r in plain) == got["used"]


@pytest.mark.slow
def test_a_value_in_the_last_cell_costs_one_cell(tmp_path: Path) -> None:
    """One value in cell XFD1048576 loads in under 200 MiB (time printed, not asserted),
    and is reported: it lies under no header (D015), at its row."""
    got = _measure(hostile.far_cell_xlsx(tmp_path / "far.xlsx"))
    assert got["traced"] < 200 * MIB
    assert got["hwm"] is None or got["hwm"] < 200 * MIB
    assert "D015" in got["problems"]


def test_far_cell_is_reported_where_it_is(tmp_path: Path) -> None:
    """The far value is a problem at row 1048576 of the school sheet, naming its cell."""
    results = read_tables(hostile.far_cell_xlsx(tmp_path / "far.xlsx"))
    found = [p for r in results for p in r.problems if p.code == "D015"]
    assert [(1048576, "学校", "XFD")] == [(p.row, p.sheet, p.field) for p in found]
    assert "XFD1048576" in found[0].message


def _refused(call: Any, code: str = "D005") -> DataFileError:
    """The error ``call`` raises, with peak allocations during it below 50 MiB."""
    tracemalloc.start()
    try:
        with pytest.raises(DataFileError) as info:
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * MIB, peak
    assert code == info.value.code, str(info.value)
    return info.value


def test_zip_bomb_is_refused_before_expanding(tmp_path: Path) -> None:
    """A part declaring 2 GiB (1,000 times its compressed size) is refused from the zip's
    directory: nothing is expanded (it used to peak at 521 MB and more)."""
    bomb = hostile.zip_bomb_xlsx(tmp_path / "bomb.xlsx")
    error = _refused(lambda: read_tables(bomb))
    assert "compression_ratio" in str(error) and "--limit compression_ratio=N" in str(error)
    error = _refused(lambda: read_tables(bomb, limits=Limits(compression_ratio=10_000)))
    assert "expanded_size" in str(error) and "before expanding" in str(error)


def test_zip_bomb_that_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    """A part whose directory entry says 64 KiB but expands to 2 GiB is read at most to
    its declared size, then refused (zipfile's check of the part fails)."""
    bomb = hostile.zip_bomb_xlsx(tmp_path / "bomb.xlsx", honest=False)
    error = _refused(lambda: read_tables(bomb), code="D001")
    assert "not an XLSX workbook" in str(error)


def test_scale_case_files_are_what_they_claim(tmp_path: Path) -> None:
    """The hostile workbooks hold what the tests above say (a check of the builders)."""
    import zipfile

    with zipfile.ZipFile(EXAMPLE_XLSX) as z:
        rows = z.read(hostile.SCHOOL_PART).count(b"<row ")
    with zipfile.ZipFile(hostile.empty_rows_xlsx(tmp_path / "e.xlsx", rows=1000)) as z:
        xml = z.read(hostile.SCHOOL_PART)
    assert xml.count(b"<row ") == rows + 1000 and b'ref="A1:XFD1048576"' in xml
    with zipfile.ZipFile(hostile.zip_bomb_xlsx(tmp_path / "b.xlsx", 3 << 20)) as z:
        info = z.getinfo(hostile.SCHOOL_PART)
    assert (3 << 20) == info.file_size and info.compress_size < 20_000


# -- each limit, with its message ----------------------------------------------------


def _says_how(error: DataFileError, name: str) -> None:
    text = str(error)
    assert f"the limit {name}=" in text and f"--limit {name}=N" in text, text


def test_file_size_limit(tmp_path: Path) -> None:
    """A data file larger than file_size is refused before it is read (YAML, XLSX, CSV)."""
    small = Limits(file_size=1000)
    for call in (
        lambda: eduint.load_county(EXAMPLE_YAML, limits=small),
        lambda: read_tables(EXAMPLE_XLSX, limits=small),
        lambda: read_tables(EXAMPLE_CSV, limits=small),
    ):
        with pytest.raises(DataFileError) as info:
            call()
        assert "D005" == info.value.code
        _says_how(info.value, "file_size")


def test_rows_cells_and_columns_limits() -> None:
    """rows (per sheet), cells (per load) and columns (a header's width)."""
    with pytest.raises(DataFileError) as info:
        read_tables(EXAMPLE_XLSX, limits=Limits(rows=50))
    _says_how(info.value, "rows")
    assert "班级" in str(info.value)  # the class sheet has 121 rows holding data
    with pytest.raises(DataFileError) as info:
        read_tables(EXAMPLE_CSV, limits=Limits(cells=500))
    _says_how(info.value, "cells")
    with pytest.raises(DataFileError) as info:
        read_tables(EXAMPLE_XLSX, limits=Limits(columns=20))
    _says_how(info.value, "columns")
    assert "header" in str(info.value)
    assert read_tables(EXAMPLE_XLSX, limits=Limits(columns=60, rows=200))


def test_values_limit_yaml_and_json() -> None:
    """values bounds a YAML or JSON file (aliases expanded), with the line where YAML
    passed it."""
    text = EXAMPLE_YAML.read_text(encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        eduint.load_county_text(text, limits=Limits(values=500))
    _says_how(info.value, "values")
    assert info.value.line is not None
    as_json = json.dumps(_plain(text), default=str, ensure_ascii=False)
    assert eduint.load_county_text(as_json, format="json").county.schools
    with pytest.raises(DataFileError) as info:
        eduint.load_county_text(as_json, format="json", limits=Limits(values=500))
    _says_how(info.value, "values")


def _plain(yaml_text: str) -> Any:
    import yaml

    return yaml.safe_load(yaml_text)


def test_schools_limit_yaml_and_spreadsheet() -> None:
    """schools bounds a county's schools, from YAML and from a sheet (as soon as the
    sheet passes it)."""
    with pytest.raises(DataFileError) as info:
        eduint.load_county(EXAMPLE_YAML, limits=Limits(schools=3))
    _says_how(info.value, "schools")
    with pytest.raises(DataFileError) as info:
        read_tables(EXAMPLE_XLSX, limits=Limits(schools=3))
    _says_how(info.value, "schools")
    assert "row" in str(info.value)


def test_classes_limit_yaml_and_spreadsheet() -> None:
    """classes bounds a county's classes (the example has 120), from YAML and from a
    sheet, with the line or row where the count passed it."""
    with pytest.raises(DataFileError) as info:
        eduint.load_county(EXAMPLE_YAML, limits=Limits(classes=50))
    _says_how(info.value, "classes")
    assert info.value.line is not None
    with pytest.raises(DataFileError) as info:
        read_tables(EXAMPLE_XLSX, limits=Limits(classes=50))
    _says_how(info.value, "classes")
    assert "row" in str(info.value)
    assert eduint.load_county(EXAMPLE_YAML, limits=Limits(classes=120)).county.schools


def test_problems_limit_yaml_and_spreadsheet(tmp_path: Path) -> None:
    """problems refuses a file once its problems pass the limit (a sheet whose rows are
    repeated thousands of times), at the line or row where they did."""
    bad = "".join(f"  - {{id: S{i}, students: x{i}}}\n" for i in range(30))
    path = tmp_path / "bad.yaml"
    path.write_text(f"name: 县\nschools:\n{bad}", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        eduint.load_county(path, limits=Limits(problems=10))
    _says_how(info.value, "problems")
    assert info.value.line is not None
    assert len(eduint.load_county(path, limits=Limits(problems=100)).problems) >= 30

    folder = tmp_path / "csv"
    folder.mkdir()
    rows = "".join(f"S{i},学校{i},x{i}\n" for i in range(30))
    (folder / "学校.csv").write_text("学校代码,学校名称,在校生数\n" + rows, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        read_tables(folder, limits=Limits(problems=10))
    _says_how(info.value, "problems")
    assert "row 1" in str(info.value)


def test_the_default_limits_refuse_a_county_of_thousands_of_schools(tmp_path: Path) -> None:
    """A county past 1,000 schools is refused at once, the limit named (issue 14: a check
    stays within seconds); --limit schools=N lets it through."""
    from click.testing import CliRunner

    from eduint.cli import main

    schools = "".join(f"  - {{id: S{i}, name: 学校{i}, students: 100}}\n" for i in range(1_001))
    path = tmp_path / "big.yaml"
    path.write_text(f"name: 大县\nas_of: 2021-06-30\nschools:\n{schools}", encoding="utf-8")
    refused = CliRunner().invoke(main, ["check", str(path), "--rules", "youzhi-junheng-2017"])
    assert refused.exit_code == 2, refused.output
    assert "schools=1,000" in refused.output and "--limit schools=N" in refused.output
    raised = CliRunner().invoke(
        main, ["check", str(path), "--rules", "youzhi-junheng-2017", "--limit", "schools=2000"]
    )
    assert raised.exit_code in (0, 1), raised.output


def test_text_limit_is_a_problem_at_its_line() -> None:
    """A million-character county name is a problem naming the field and line, quoting
    only the name's start (it used to take 14 s and 2.4 GiB)."""
    loaded = eduint.load_county_text(hostile.long_name_yaml(), file="long.yaml")
    first = loaded.problems[0]
    assert ("D025", 1, "name") == (first.code, first.line, first.field)
    assert "--limit text=N" in first.message and len(first.message) < 300
    assert len(str(first.value)) < 100 and "1,000,000 characters" in str(first.value)
    assert all(len(str(p)) < 500 for p in loaded.problems)
    raised = eduint.load_county_text(
        hostile.long_name_yaml(20_000), limits=Limits(text=30_000)
    ).county
    assert 20_000 == len(raised.name)


def test_long_keys_and_values_are_shortened_in_messages() -> None:
    """An unknown key or a bad value of any length is quoted by its start only."""
    key = "k" * 50_000  # a flow key: YAML's plain keys stop at 1,024 characters
    loaded = eduint.load_county_text(f"name: x\n? {key}\n: 1\nstudents: {'9' * 5000}\n")
    assert all(len(str(p)) < 400 for p in loaded.problems), [len(str(p)) for p in loaded.problems]
    assert {"D010", "D020"} == {p.code for p in loaded.problems}


def test_huge_json_integer_is_a_located_problem() -> None:
    """A JSON integer of 5,000 digits (more than Python converts) is a problem at its
    line, not a refused file."""
    text = '{"name": "x",\n "students": ' + "9" * 5000 + "}"
    loaded = eduint.load_county_text(text, format="json")
    assert [("students", 2, "D020")] == [(p.path, p.line, p.code) for p in loaded.problems]


# -- the limits themselves -------------------------------------------------------------


def test_limits_table_is_in_the_docs() -> None:
    """docs/limits.md holds the table generated from the limits module, as it is."""
    text = (REPO / "docs" / "limits.md").read_text(encoding="utf-8")
    assert limits_table() in text


def test_parse_limits() -> None:
    """NAME=N options: separators, byte suffixes; unknown names and bad values refused."""
    got = parse_limits(["rows=2_000_000", "file_size=1GiB", "cells=20,000,000"])
    assert (2_000_000, 1 << 30, 20_000_000) == (got.rows, got.file_size, got.cells)
    for bad in ("rows", "row=5", "rows=-1", "rows=0", "rows=5MiB", "rows=x"):
        with pytest.raises(ValueError):
            parse_limits([bad])
    assert set(LIMITS) == {
        "file_size",
        "expanded_size",
        "compression_ratio",
        "rows",
        "columns",
        "cells",
        "values",
        "schools",
        "classes",
        "problems",
        "text",
        "national_file_size",
        "national_rows",
        "national_classes",
        "national_problems",
    }
    assert parse_limits(["national_rows=2000000"]).national_rows == 2_000_000


_CHECK = ["check", str(EXAMPLE_XLSX), "--rules", "youzhi-junheng-2017-resource", "--complete"]


def test_cli_limit_option() -> None:
    """eduint check --limit NAME=N lowers a limit, and an exceeded limit ends as
    eduint's own error (exit 2, the message saying how to raise it), never exit 3; a
    bad option is a usage error."""
    runner = CliRunner()
    result = runner.invoke(main, [*_CHECK, "--limit", "rows=50"])
    assert 2 == result.exit_code, result.output
    assert "--limit rows=N" in result.output
    for bad in ("bogus=1", "cells=1e5"):
        result = runner.invoke(main, [*_CHECK, "--limit", bad])
        assert 2 == result.exit_code and "Invalid value for '--limit'" in result.output


def test_cli_limit_option_raised() -> None:
    """A limit raised by --limit lets the data through to a report."""
    result = CliRunner().invoke(main, [*_CHECK, "--limit", "rows=500", "--limit", "cells=100000"])
    assert result.exit_code in (0, 1), result.output


# -- county codes and names of any content -----------------------------------------------


def test_county_codes_and_names_of_any_content_are_read(tmp_path: Path) -> None:
    """A county code with '/' or a NUL byte, a name with path syntax: read as text."""
    text = 'name: "../../甲\\0县"\ncode: "/../../escaped\\0"\nas_of: 2021-06-30\n'
    loaded = eduint.load_county_text(text)
    assert ("../../甲\x00县", "/../../escaped\x00") == (loaded.county.name, loaded.county.code)
    sheet = tmp_path / "学校.csv"
    sheet.write_text(
        "行政区划代码,县区名称,学校代码,学校名称,学校类型,在校生数\n"
        "/../../x,../甲县,S1,一小,小学,100\n",
        encoding="utf-8",
    )
    results = read_tables(sheet)
    assert ["/../../x"] == [r.county.code for r in results]


def test_county_code_of_any_content_is_checked(tmp_path: Path) -> None:
    """eduint check on a county whose code holds '/' and a NUL byte gives a report."""
    sheet = tmp_path / "学校.csv"
    sheet.write_text(
        "行政区划代码,县区名称,学校代码,学校名称,学校类型,在校生数\n"
        "/../../x\x00,../甲县,S1,一小,小学,100\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["check", str(sheet), "--rules", "youzhi-junheng-2017-resource"]
    )
    assert result.exit_code in (0, 1), result.output


def test_nul_bytes_in_files_are_read_or_refused(tmp_path: Path) -> None:
    """A NUL byte in a CSV cell is text like any other; a raw one in YAML makes the file
    eduint's own parse error."""
    csv = tmp_path / "学校.csv"
    csv.write_bytes("学校代码,学校名称,在校生数\nS\x001,一小,5\n".encode())
    assert ["S\x001"] == [s.id for r in read_tables(csv) for s in r.county.schools or ()]
    yml = tmp_path / "c.yaml"
    yml.write_bytes(b"name: a\x00b\n")
    with pytest.raises(DataFileError):
        eduint.load_county(yml)
