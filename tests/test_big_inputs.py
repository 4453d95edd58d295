"""Big inputs read once and reported in proportion (issue 14: time bounded by size).

A county sheet whose rows are repeated thousands of times gives as many data problems;
text and HTML reports list the first ``--problems-per-code`` of each code and count
the rest with their rows, while JSON, CSV and XLSX keep every one.  A data file that
names its own rule set is read once: the rule set's extra fields are asked for while
the file is read, not by reading it twice.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import eduint
from eduint import api
from eduint._resources import resource_dir
from eduint.cli import main
from eduint.data import loading
from eduint.data.spreadsheets import read_tables

EXAMPLES = resource_dir("examples")
DECLS = {"school": {"教师培训经费": "unit:元"}, "county": {"一般班额": "number"}}


def _repeated(tmp_path: Path, times: int) -> Path:
    """The CSV example with the rows of its 自评 file repeated ``times`` times."""
    folder = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "synthetic-county-2019-csv", folder)
    path = folder / "自评.csv"
    raw = path.read_bytes()
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "gb18030"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        encoding = "utf-8"
        text = raw.decode(encoding)
    rows = list(csv.reader(io.StringIO(text)))
    header_at = next(i for i, r in enumerate(rows) if "自评" in r)
    body = rows[header_at + 1 :]
    out = io.StringIO()
    csv.writer(out).writerows(rows + [list(r) for _ in range(times) for r in body])
    path.write_bytes(out.getvalue().encode(encoding))
    return folder


def _codes(result: Any) -> list[str]:
    return [str(p.code) for c in result.counties for p in c.problems]


def test_text_lists_each_code_up_to_the_limit_and_counts_the_rest(tmp_path: Path) -> None:
    folder = _repeated(tmp_path, 40)
    every = _codes(eduint.run(None, folder))
    d011 = every.count("D011")
    assert d011 > 200  # the repeated answers are all problems …
    out = CliRunner().invoke(main, ["check", str(folder), "--wrap", "400", "--lang", "en"])
    lines = out.output.splitlines()
    assert f"Data problems ({len(every)})" in out.output  # … all counted
    listed = [ln for ln in lines if ln.startswith("D011") and "more of this kind" not in ln]
    assert len(listed) == 50  # … the first 50 listed
    more = [ln for ln in lines if ln.startswith("D011") and "more of this kind" in ln]
    assert len(more) == 1 and f"{d011 - 50} more of this kind" in more[0]
    assert "rows " in more[0]  # where they are

    every_line = CliRunner().invoke(
        main, ["check", str(folder), "--wrap", "400", "--problems-per-code", "0"]
    )
    assert sum(ln.startswith("D011") for ln in every_line.output.splitlines()) == d011
    assert "未列出" not in every_line.output


def test_json_keeps_every_problem(tmp_path: Path) -> None:
    folder = _repeated(tmp_path, 40)
    out = CliRunner().invoke(main, ["check", str(folder), "--format", "json"])
    doc = json.loads(out.output)
    assert len(doc["data_problems"]) == len(_codes(eduint.run(None, folder)))


def test_html_counts_the_rest_too(tmp_path: Path) -> None:
    folder = _repeated(tmp_path, 40)
    out = CliRunner().invoke(main, ["check", str(folder), "--format", "html"])
    assert "同类未列出" in out.output


def test_a_file_naming_its_rule_set_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    load = api._Data.load

    def counted(self: api._Data, extra: Any) -> Any:
        calls.append(extra)
        return load(self, extra)

    monkeypatch.setattr(api._Data, "load", counted)
    for data in (EXAMPLES / "synthetic-county-2019-csv", EXAMPLES / "synthetic-county-2019.yaml"):
        calls.clear()
        once = eduint.run(None, data)
        assert len(calls) == 1, data  # the rule set declares extra fields, read once
        named = once.counties[0].load
        assert named is not None and named.rules
        given = eduint.run(named.rules, data)
        assert [c.report for c in once.counties] == [c.report for c in given.counties]
        assert _codes(once) == _codes(given)
        assert once.counties[0].load == given.counties[0].load


def test_the_hook_is_asked_once_with_the_rule_set_named() -> None:
    asked: list[str | None] = []

    def hook(name: str | None) -> dict[str, dict[str, str]]:
        asked.append(name)
        return DECLS

    yaml_file = EXAMPLES / "synthetic-county-2019.yaml"
    by_hook = loading.load_county(yaml_file, extra_fields=hook)
    assert asked == [by_hook.rules] and by_hook.rules
    assert by_hook == loading.load_county(yaml_file, extra_fields=DECLS)

    asked.clear()
    folder = EXAMPLES / "synthetic-county-2019-csv"
    tables = read_tables(folder, extra_fields=hook)
    assert asked == [tables[0].rules] and tables[0].rules
    assert tables == read_tables(folder, extra_fields=DECLS)


def test_a_hook_with_bad_declarations_is_a_data_file_error() -> None:
    with pytest.raises(eduint.DataFileError, match="extra fields"):
        read_tables(
            EXAMPLES / "synthetic-county-2019-csv",
            extra_fields=lambda _name: {"nowhere": {"x": "number"}},
        )


def _walked_locations(report: Any) -> dict[str, str]:
    """The locations as a plain walk over the report's objects finds them (the method
    before issue 14's streamed JSON, kept here as the reference)."""
    import attrs as _attrs

    from eduint.core.refs import EntityRef, FieldRef
    from eduint.core.values import Reason
    from eduint.engine.results import Quantity

    found: dict[str, str] = {}

    def walk(x: Any) -> None:
        if isinstance(x, EntityRef):
            if x.where:
                found.setdefault(x.key, x.where)
        elif isinstance(x, Reason):
            walk(x.args)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)
        elif _attrs.has(type(x)) and not isinstance(x, (FieldRef, Quantity)):
            for a in _attrs.fields(type(x)):
                walk(getattr(x, a.name))

    walk(report)
    return dict(sorted(found.items()))


@pytest.mark.parametrize(
    ("rules", "data"),
    [
        ("youzhi-junheng-2017", "synthetic-county-2019.yaml"),
        ("jiben-junheng-2012", "synthetic-county-2019.yaml"),
        ("chengxiang-yitihua-2018", "baoshan-2018.yaml"),
        ("youzhi-junheng-2017-resource", "synthetic-county-2019-csv"),
    ],
)
def test_streamed_json_equals_the_document(rules: str, data: str) -> None:
    from eduint import reporting

    one = eduint.run(rules, EXAMPLES / data).counties[0]
    kw: dict[str, Any] = {"provenance": one.provenance, "problems": one.problems, "load": one.load}
    doc = reporting.to_json(one.report, **kw)
    out = io.StringIO()
    reporting.write_json(one.report, out, **kw)
    text = out.getvalue()
    assert json.loads(text) == json.loads(json.dumps(doc))
    assert text == reporting.dump_json(one.report, **kw)
    locations = doc["provenance"]["locations"]
    assert dict(sorted(locations.items())) == _walked_locations(one.report)
    assert locations  # the examples name entities with their places
    # entities one per line below the item's lists; the top levels indented by 2
    assert '\n  "items": [\n    {\n      "id": ' in text


@pytest.mark.parametrize(
    ("rules", "data"),
    [
        ("youzhi-junheng-2017", "synthetic-county-2019.yaml"),
        ("chengxiang-yitihua-2018", "baoshan-2018.yaml"),
    ],
)
def test_the_fast_writers_write_what_the_generic_one_does(
    rules: str, data: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entity results and inputs written by methods of their own, comparisons keyed by
    content: the same bytes as the generic writer gives."""
    from eduint import reporting
    from eduint.reporting import jsonfmt

    one = eduint.run(rules, EXAMPLES / data).counties[0]
    kw: dict[str, Any] = {"provenance": one.provenance, "problems": one.problems, "load": one.load}
    fast = reporting.dump_json(one.report, **kw)
    monkeypatch.setattr(jsonfmt, "_OWN_WRITERS", {})
    monkeypatch.setattr(jsonfmt, "_COMPARISON_KEYED", False)
    monkeypatch.setattr(jsonfmt, "_KINDS", {})
    assert reporting.dump_json(one.report, **kw) == fast
