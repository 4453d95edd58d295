"""Mutated copies of the bundled example data: one bad value, key or cell at a time.

Used by ``tests/test_data_locations.py`` to show that every data problem names where
it is: the file and line (YAML, JSON) or the sheet and row (CSV, XLSX), and the field.
The mutations are deterministic (a seeded sample of the values of each example) and
replace one value with something a county bureau's file may hold by mistake or on
purpose: text where a number belongs, numbers Python cannot hold, negative counts,
vague figures, over-long text, lists and mappings where a scalar belongs, keys that
name no field, a school without its id.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
YAML_EXAMPLES = ("baoshan-2018.yaml", "synthetic-county-2019.yaml")
CSV_FOLDER = EXAMPLES / "synthetic-county-2019-csv"
XLSX_EXAMPLE = EXAMPLES / "synthetic-county-2019.xlsx"

#: Values put in place of one value of a file.
BAD_VALUES: tuple[Any, ...] = (
    "1E+309",
    "abc",
    -5,
    "12.5",
    "10以上",
    "30多",
    "不足0",
    "9" * 5000,
    "县" * 20_000,
    "٣",
    "１２％",
    [],
    {"low": 5, "high": 1},
    {"x": 1},
    None,
    True,
    "2018-02-30",
)

#: Cell texts put in place of one cell of a sheet.
BAD_CELLS: tuple[str, ...] = (
    "1E+309",
    "abc",
    "-5",
    "12.5",
    "10以上",
    "9" * 5000,
    "县" * 20_000,
    "٣",
    "#DIV/0!",
    "合计",
    "",
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a scalar, a list or a mapping below ``node``."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path + (k,)
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield path + (i,)
            yield from _paths(v, path + (i,))


def _set(root: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(root)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


def _rename(root: Any, path: tuple[Any, ...], new: str) -> Any:
    out = copy.deepcopy(root)
    node = out
    for step in path[:-1]:
        node = node[step]
    if isinstance(node, dict):
        node[new] = node.pop(path[-1])
    return out


def _delete(root: Any, path: tuple[Any, ...]) -> Any:
    out = copy.deepcopy(root)
    node = out
    for step in path[:-1]:
        node = node[step]
    del node[path[-1]]
    return out


def data_mutants(per_file: int = 60, seed: int = 14) -> Iterator[tuple[str, str, str]]:
    """(name, text, format) of mutated YAML and JSON examples: ``per_file`` random
    value replacements of each example, in each format, plus renamed and deleted keys."""
    rng = random.Random(seed)
    for example in YAML_EXAMPLES:
        data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
        paths = list(_paths(data))
        for n in range(per_file):
            path = rng.choice(paths)
            bad = BAD_VALUES[n % len(BAD_VALUES)]
            kind = rng.random()
            if kind < 0.7:
                mutant = _set(data, path, bad)
            elif kind < 0.85 and isinstance(path[-1], str):
                mutant = _rename(data, path, f"{path[-1]}x")
            else:
                mutant = _delete(data, path)
            name = f"{example}:{'.'.join(map(str, path))}:{n}"
            yield name + ".yaml", _dump_yaml(mutant), "yaml"
            yield name + ".json", json.dumps(mutant, ensure_ascii=False, default=str), "json"


def _dump_yaml(data: Any) -> str:
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200))


def csv_mutants(folder: Path, count: int = 40, seed: int = 14) -> Iterator[tuple[str, Path]]:
    """(name, folder) of copies of the CSV example (written under ``folder``) with one
    cell changed, or a column deleted, or a file left out."""
    rng = random.Random(seed)
    files = sorted(CSV_FOLDER.glob("*.csv"))
    tables = {
        f.name: list(csv.reader(io.StringIO(f.read_bytes().decode("gb18030"), newline="")))
        for f in files
    }
    for n in range(count):
        name = rng.choice(sorted(tables))
        rows = copy.deepcopy(tables[name])
        r = rng.randrange(len(rows))
        if not rows[r]:
            continue
        c = rng.randrange(len(rows[r]) + 1)
        bad = BAD_CELLS[n % len(BAD_CELLS)]
        kind = rng.random()
        if kind < 0.7:
            if c < len(rows[r]):
                rows[r][c] = bad
            else:
                rows[r].append(bad)
        elif kind < 0.9:
            bad = f"column {c + 1} deleted"
            rows = [row[:c] + row[c + 1 :] for row in rows]
        else:
            bad = "file left out"
        out = folder / f"csv{n}"
        out.mkdir()
        for f in files:
            if f.name == name and bad == "file left out":
                continue
            if f.name == name:
                buf = io.StringIO()
                csv.writer(buf, lineterminator="\r\n").writerows(rows)
                (out / f.name).write_text(buf.getvalue(), encoding="utf-8")
            else:
                (out / f.name).write_bytes(f.read_bytes())
        yield f"{name}[{r + 1},{c + 1}]={bad[:10]!r}", out


def xlsx_mutants(folder: Path, count: int = 20, seed: int = 14) -> Iterator[tuple[str, Path]]:
    """(name, file) of copies of the XLSX example with one cell changed."""
    import openpyxl

    rng = random.Random(seed)
    for n in range(count):
        wb = openpyxl.load_workbook(XLSX_EXAMPLE)
        ws = rng.choice(wb.worksheets)
        r = rng.randint(1, ws.max_row)
        c = rng.randint(1, ws.max_column + 1)
        bad = BAD_CELLS[n % len(BAD_CELLS)]
        if type(ws.cell(r, c)).__name__ == "MergedCell":
            continue  # inside a merged range: not a cell of its own
        ws.cell(r, c).value = bad or None
        out = folder / f"x{n}.xlsx"
        wb.save(out)
        yield f"{ws.title}!{ws.cell(r, c).coordinate}={bad[:10]!r}", out
