"""Issue 14's Done-means items through ``eduint check``, one test each where the other
test files do not already hold one.

Where each item is tested (this file adds the end-to-end ones marked *):

* ``rules: /etc/passwd`` refused without opening it:
  ``test_hostile_rules.py::test_data_cannot_name_a_file_outside_its_folder``;
* a linked rule file outside the folder neither printed by lint nor rewritten by fmt:
  ``test_hostile_rules.py::test_lint_dir_does_not_follow_links_out``,
  ``::test_fmt_dir_does_not_rewrite_linked_files``;
* a county code ``/../../x`` writes inside the output folder:
  ``test_hostile_rules.py::test_county_codes_never_leave_the_output_folder`` and, with
  ``--output`` in every file format, * ``test_hostile_codes_with_output_stay_inside``;
* a title ``-1 =cmd|' /C calc'!A0`` escaped in CSV and XLSX:
  ``test_hostile_rules.py::test_title_is_escaped_in_csv_and_xlsx``, opened in
  LibreOffice by ``::test_libreoffice_evaluates_no_formula_of_an_escaped_csv``;
* each exit-3 reproducer gives eduint's own error: * ``test_exit_3_reproducers``;
* the 4,301-digit literal: ``test_hostile_rules.py::test_huge_literal_is_e008_in_lint_and_check``;
* a 1,000,000-character rule file checked in time proportional to the bundled one:
  ``test_hostile_rules.py::test_big_rule_file_checks_in_time_proportional_to_the_bundled_one``;
* the million-empty-rows and far-cell XLSX under 2 s and 200 MiB:
  ``test_data_limits.py::test_a_million_empty_rows_cost_nothing``,
  ``::test_a_value_in_the_last_cell_costs_one_cell``;
* byte-identical XLSX of two runs, and every other format, across hash seeds:
  * ``test_two_runs_give_byte_identical_files``;
* a data problem names its place: * ``test_a_huge_figure_is_a_problem_at_its_line``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import eduint
from eduint._resources import resource_dir
from eduint.cli import main

DATA = "name: 测试县\ncode: '000001'\nas_of: 2021-06-30\nstudents: 5\n"
RULE = "rule r { scope county require students >= 1 人 }\n"
COUNTIES = "行政区划代码,县区名称,数据日期,在校生数\n"


def _run(*args: str) -> Result:
    """``eduint ARGS``; never exit 3, never a traceback."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code != 3, result.output
    assert "Traceback" not in result.output
    return result


def _counties(folder: Path, codes: list[str]) -> Path:
    path = folder / "县区.csv"
    rows = "".join(f'"{c}",县{i},2021-06-30,5\n' for i, c in enumerate(codes, 1))
    path.write_text(COUNTIES + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "html"])
def test_hostile_codes_with_output_stay_inside(tmp_path: Path, fmt: str) -> None:
    """A multi-county run with ``--output`` and codes holding ``/``, ``..`` and a NUL
    byte (``Invalid name`` and ``embedded null byte``, exit 3, before) writes one
    report per county, all inside the output folder."""
    data = _counties(tmp_path, ["/../../x", "a/b", "c\x00d", ".."])
    rules = tmp_path / "r.rules"
    rules.write_text(RULE, encoding="utf-8")
    out = tmp_path / "out" / "deep"
    out.mkdir(parents=True)
    result = _run("check", str(data), "--rules", str(rules), "--format", fmt, "--output", str(out / f"r.{fmt}"))
    assert result.exit_code == 0, result.output
    reports = sorted(p.name for p in out.glob(f"*.{fmt}") if ".provenance." not in p.name)
    reports = [n for n in reports if not n.endswith(".data.csv")]
    assert len(reports) == 4, reports
    written = {p.parent for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {tmp_path, out}


@pytest.mark.parametrize(
    ("name", "files", "args", "says"),
    [
        (
            "a mapping file of the wrong shape",
            {"map.yaml": "columns: [a, b]\n"},
            ["--mapping", "{t}/map.yaml"],
            "columns: expected a mapping",
        ),
        (
            "a rule-file number of 4,298 digits (lint passed it, check crashed)",
            {"big.rules": RULE.replace(">= 1", ">= 1" + "0" * 4297)},
            ["--rules", "{t}/big.rules"],
            "error[E008]: number too large: 4,298 digits",
        ),
        (
            "a rule-file number of 4,301 digits (ValueError)",
            {"big.rules": RULE.replace(">= 1", ">= 1" + "0" * 4300)},
            ["--rules", "{t}/big.rules"],
            "error[E008]: number too large: 4,301 digits",
        ),
        (
            "rules: /etc/passwd in the data",
            {"d.yaml": DATA + "rules: /etc/passwd\n"},
            [],
            "is refused",
        ),
    ],
)
def test_exit_3_reproducers(
    tmp_path: Path, name: str, files: dict[str, str], args: list[str], says: str
) -> None:
    """Each input the fuzzing campaign ended in exit 3 (or a foreign exception) with is
    eduint's own error now, exit 2, naming the problem."""
    (tmp_path / "d.yaml").write_text(DATA, encoding="utf-8")
    for file, text in files.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
    rest = [a.format(t=tmp_path) for a in args]
    result = _run("check", str(tmp_path / "d.yaml"), *rest)
    assert result.exit_code == 2, (name, result.output)
    assert says in result.output, name
    assert "root:" not in result.output and len(result.output) < 3_000


def test_a_huge_figure_is_a_problem_at_its_line() -> None:
    """``students: 1E+309`` (named no line before) is a problem at its line and field."""
    loaded = eduint.load_county_text(DATA.replace("students: 5", "students: 1E+309"), file="d.yaml")
    (problem,) = [p for p in loaded.problems if p.field == "students"]
    assert (problem.file, problem.line) == ("d.yaml", 4)
    assert loaded.county.students is None  # missing, never 0


_FORMATS = ["table", "github", "html", "json", "csv", "xlsx"]


def _check_in_process(out: Path, fmt: str, seed: str) -> dict[str, bytes]:
    """``eduint check --example baoshan-2018 -f FMT -o OUT/r.FMT`` in a fresh process
    with ``PYTHONHASHSEED=seed``: every file it wrote (or its stdout), by name."""
    out.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    args = [sys.executable, "-c", "from eduint.cli import main; main()", "check"]
    args += ["--example", "baoshan-2018", "--format", fmt]
    if fmt in ("json", "csv", "xlsx", "html"):
        args += ["--output", str(out / f"r.{fmt}")]
    run = subprocess.run(args, capture_output=True, env=env, cwd=out, timeout=300)
    assert run.returncode in (0, 1), run.stderr.decode()
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    return files or {"stdout": run.stdout}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", _FORMATS)
def test_two_runs_give_byte_identical_files(tmp_path: Path, fmt: str) -> None:
    """Two runs of the same check, under different hash seeds, give the same bytes in
    every format (the XLSX differed in docProps/core.xml before)."""
    assert resource_dir("examples").is_dir()
    first = _check_in_process(tmp_path / "a", fmt, "1")
    second = _check_in_process(tmp_path / "b", fmt, "2")
    assert list(first) == list(second)
    for name, data in first.items():
        assert data, name
        assert data == second[name], f"{fmt}: {name} differs between runs"


def test_class_names_of_thousands_of_digits_are_ordered() -> None:
    """A class or school named by a run of 5,001 digits (the long fuzz run's foreign
    ``ValueError``) is ordered, after every shorter run, without converting it."""
    from eduint.core.refs import natural_key

    huge = "9" * 5001
    names = [f"S{huge}", "S10", f"S1{huge}", "S2", "S" + "٣" * 5001]
    ordered = sorted(names, key=natural_key)
    assert ordered[:2] == ["S2", "S10"]
    assert ordered.index(f"S{huge}") < ordered.index(f"S1{huge}")
    assert natural_key("S0" + "0" * 5000 + "7") < natural_key("S8")


def test_a_class_named_by_thousands_of_digits_is_checked(tmp_path: Path) -> None:
    """``eduint check`` on a county whose class is named by 5,001 digits gives a report."""
    example = resource_dir("examples") / "synthetic-county-2019.yaml"
    text = example.read_text(encoding="utf-8")
    assert "{name: 一(1)班," in text
    data = tmp_path / "d.yaml"
    data.write_text(text.replace("{name: 一(1)班,", "{name: '" + "9" * 5001 + "',", 1), "utf-8")
    result = _run("check", str(data), "--rules", "youzhi_junheng_2017", "--format", "json")
    assert result.exit_code in (0, 1), result.output[-2000:]
