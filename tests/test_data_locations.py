"""Every data problem names where it is (issue 14): its file and line (YAML, JSON) or its
sheet and row (CSV, XLSX), and its field, over mutated copies of the bundled examples
(``tests/_mutations.py``: one bad value, key, cell or column at a time)."""

from __future__ import annotations

from pathlib import Path

import pytest

import eduint
from eduint.data.errors import DataProblem
from eduint.data.spreadsheets import TableMapping, read_tables
from eduint.errors import EduintError

from . import _mutations as m

# Problems with a whole sheet or file: the sheet (or file) is their place, no field.
_WHOLE = {"D014"}


def _unlocated(problem: DataProblem, sheets: bool) -> str | None:
    """What ``problem`` lacks to say where it is, or ``None``."""
    if problem.code in _WHOLE:
        return None if problem.file else "file"
    if sheets:
        if problem.row is None:
            return "row"
        if problem.sheet is None:
            return "sheet"
    elif problem.line is None:
        return "line"
    sheet_level = problem.code == "D010" and problem.path == "" and sheets
    if not problem.field and not sheet_level:
        return "field"
    return None


def _check(loads: list[tuple[str, list[DataProblem], bool]]) -> int:
    """The number of problems; fails naming every problem without a place."""
    missing = [
        f"{name}: {problem} (no {what})"
        for name, problems, sheets in loads
        for problem in problems
        if (what := _unlocated(problem, sheets)) is not None
    ]
    assert [] == missing
    return sum(len(p) for _n, p, _s in loads)


def _yaml_json(per_file: int) -> list[tuple[str, list[DataProblem], bool]]:
    out = []
    for name, text, fmt in m.data_mutants(per_file):
        try:
            loaded = eduint.load_county_text(text, file=name, format=fmt)  # type: ignore[arg-type]
        except EduintError:
            continue  # the file as a whole is refused: its error says where
        out.append((name, list(loaded.problems), False))
    return out


def _tables(paths: list[tuple[str, Path]]) -> list[tuple[str, list[DataProblem], bool]]:
    out = []
    for name, path in paths:
        try:
            results = read_tables(path)
        except EduintError:
            continue
        out.append((name, [p for r in results for p in r.problems], True))
    return out


def test_problems_of_mutated_files_are_located(tmp_path: Path) -> None:
    """A quick sample: YAML and JSON examples with a bad value, CSV folders with a bad
    cell or a column left out; every problem is placed."""
    loads = _yaml_json(8)
    loads += _tables(list(m.csv_mutants(tmp_path, 8)))
    assert _check(loads) > 40  # the mutations do make problems


@pytest.mark.slow
def test_problems_of_many_mutated_files_are_located(tmp_path: Path) -> None:
    """The long run: 1,200 YAML and JSON mutants, 150 CSV folders, 40 workbooks."""
    loads = _yaml_json(300)
    loads += _tables(list(m.csv_mutants(tmp_path, 150)))
    loads += _tables(list(m.xlsx_mutants(tmp_path, 40)))
    assert _check(loads) > 2000


def test_json_problems_have_lines() -> None:
    """JSON parsed by C knows no lines; a problem's line comes from a second parse."""
    text = '{\n  "name": "x",\n  "schools": [\n    {"id": "a", "students": "1E+309"}\n  ]\n}'
    loaded = eduint.load_county_text(text, file="c.json", format="json")
    assert [("schools[0].students", 4, "students")] == [
        (p.path, p.line, p.field) for p in loaded.problems
    ]


def test_county_level_problem_has_a_line() -> None:
    """A county without a name: the problem is placed at the county's first key."""
    loaded = eduint.load_county_text("# c\n\nstudents: 12\n", file="c.yaml")
    assert [("D020", 3, "name")] == [(p.code, p.line, p.field) for p in loaded.problems]


def test_unused_mapping_entry_has_its_line(tmp_path: Path) -> None:
    """A mapping entry that matched no column (D013) names its line in the mapping file."""
    from eduint.data.spreadsheets import load_mapping

    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  学校标识码: 学校代码\n  没有这列: 在校生数\n", encoding="utf-8")
    results = read_tables(m.XLSX_EXAMPLE, mapping=load_mapping(mapping))
    found = [p for r in results for p in r.problems if p.code == "D013"]
    assert {("columns.学校标识码", 2), ("columns.没有这列", 3)} == {(p.path, p.line) for p in found}
    assert isinstance(load_mapping(mapping), TableMapping)
