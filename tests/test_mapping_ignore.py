"""The column mapping's ``ignore:`` list (``--mapping FILE``): columns that are not
eduint's (备注, 填表人, 联系电话; perfref's province_id …) are neither read nor reported
as unknown columns (D010), by the spreadsheet reader and the national reader; an entry
that matches no column is D013; a badly shaped ``ignore`` is a DataFileError naming the
place; an entry wins over a known field (the user does not want that column read).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import eduint
from eduint.data.errors import DataFileError
from eduint.data.spreadsheets import load_mapping, read_tables, write_tables

REPO = Path(__file__).resolve().parents[1]
YAML = REPO / "examples" / "synthetic-county-2019.yaml"
RULES = REPO / "rules" / "chengxiang-yitihua-2018.rules"
#: Columns a county adds to its sheets: the form's filler, a phone, a remark whose
#: text (小计) would make the row a total row if its cells were read.
ADDED = ("填表人", "联系电话", "备注说明")


def _extra() -> dict[str, dict[str, str]]:
    rs = eduint.check_text(RULES.read_text(encoding="utf-8"), file=str(RULES))
    return rs.extra_field_kinds()


@pytest.fixture(scope="module")
def county() -> eduint.County:
    loaded = eduint.load_county(YAML, extra_fields=_extra())
    assert not loaded.problems
    return loaded.county


def _mapping(tmp_path: Path, text: str) -> Any:
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path)


def _added(row: int) -> list[str]:
    """The added columns' cells of data row ``row`` (1 = the first)."""
    return ["张三", "0871-1234567", "小计" if row == 1 else "无"]


def _write(county: eduint.County, path: Path, fmt: str) -> Path:
    """The county written by write_tables, then the 县区 and 学校 sheets given the
    :data:`ADDED` columns (header in row 1, as write_tables writes it)."""
    if fmt == "xlsx":
        write_tables(county, path / "c.xlsx")
        wb = openpyxl.load_workbook(path / "c.xlsx")
        for name in ("县区", "学校"):
            ws = wb[name]
            width = ws.max_column
            for j, header in enumerate(ADDED, start=1):
                ws.cell(1, width + j, header)
            for r in range(2, ws.max_row + 1):
                for j, text in enumerate(_added(r - 1), start=1):
                    ws.cell(r, width + j, text)
        wb.save(path / "c.xlsx")
        return path / "c.xlsx"
    folder = path / "c"
    write_tables(county, folder)
    for name in ("县区", "学校"):
        file = folder / f"{name}.csv"
        with open(file, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        rows[0] += ADDED
        for i in range(1, len(rows)):
            rows[i] += _added(i)
        with open(file, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(rows)
    return folder


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_ignored_columns_are_not_read_nor_reported(
    tmp_path: Path, county: eduint.County, fmt: str
) -> None:
    """Without the mapping each added column is D010 (and the 小计 remark makes a school
    row a total row); with them under ``ignore:`` the file reads as without them: the
    same county, no problem."""
    plain = tmp_path / ("plain.xlsx" if fmt == "xlsx" else "plain")
    write_tables(county, plain)
    (base,) = read_tables(plain, extra_fields=_extra())
    assert base.county == county and not base.problems
    path = _write(county, tmp_path, fmt)
    (bare,) = read_tables(path, extra_fields=_extra())
    unknown = sorted(p.path for p in bare.problems if p.code == "D010")
    assert unknown == sorted(ADDED * 2)
    assert all("ignore:" in (p.hint or "") for p in bare.problems if p.code == "D010")
    assert bare.county != county  # the 小计 row was not read as a school
    mapping = _mapping(tmp_path, "ignore: [填表人, 联系电话, 备注说明]\n")
    (r,) = read_tables(path, extra_fields=_extra(), mapping=mapping)
    assert not r.problems, r.problems
    assert r.county == county


def test_ignore_entries_match_normalised_and_unused_is_d013(tmp_path: Path) -> None:
    """An entry matches as a ``columns`` key does (full-width brackets, a unit in
    brackets, spaces); an entry that matches no column is D013, on its line."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学校"
    ws.append(["学校代码", "学校名称", "学段", "在校生数", "联系 电话（手机）", "填表人"])
    ws.append(["A1", "甲", "小学", 100, "139", "李四"])
    wb.save(tmp_path / "s.xlsx")
    mapping = _mapping(tmp_path, "ignore:\n  - 联系电话(手机)\n  - 填表人\n  - 不存在的列\n")
    (r,) = read_tables(tmp_path / "s.xlsx", mapping=mapping)
    assert [(p.code, p.path, p.line) for p in r.problems] == [
        ("D013", "ignore.不存在的列", 4)
    ]
    (school,) = r.county.schools or ()
    assert school.name == "甲"


def test_ignoring_a_known_field_leaves_it_unread(tmp_path: Path) -> None:
    """An entry that is a known field's header wins: the column is not read (the school
    has no name) and no problem is reported; the other columns still find the header."""
    path = tmp_path / "学校.csv"
    path.write_text("学校代码,学校名称,学段,在校生数\nA1,甲,小学,100\n", encoding="utf-8")
    (plain,) = read_tables(path)
    assert (plain.county.schools or ())[0].name == "甲"
    (r,) = read_tables(path, mapping=_mapping(tmp_path, "ignore: [学校名称]\n"))
    assert not r.problems
    (school,) = r.county.schools or ()
    assert school.name is None and school.id == "A1"


def test_ignored_headers_do_not_find_the_header_row(tmp_path: Path) -> None:
    """An ignored header counts as no known column when the header row is looked for:
    a row naming one known column and ignored ones is no header (the file has no data
    rows, D003), while one more known column makes it one."""
    mapping = _mapping(tmp_path, "ignore: [填表人, 学校名称]\n")
    path = tmp_path / "学校.csv"
    path.write_text("学校代码,填表人,学校名称\nA1,张三,甲\n", encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        read_tables(path, mapping=mapping)
    assert exc.value.code == "D003"
    path.write_text("学校代码,填表人,学校名称,学段\nA1,张三,甲,小学\n", encoding="utf-8")
    (r,) = read_tables(path, mapping=mapping)
    assert not r.problems and [s.id for s in r.county.schools or ()] == ["A1"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("ignore: 备注\n", "ignore: expected a list of headers"),
        ("ignore: [1, {a: b}]\n", "ignore[2]: expected a header as written, got a mapping"),
        ("ignore: [备注, [a]]\n", "ignore[2]: expected a header as written, got a list"),
        ("ignore: {备注: 1}\n", "ignore: expected a list of headers"),
    ],
)
def test_a_badly_shaped_ignore_names_the_place(tmp_path: Path, text: str, where: str) -> None:
    """``ignore`` must be a list of texts (a YAML number counts as its digits)."""
    with pytest.raises(DataFileError) as exc:
        _mapping(tmp_path, text)
    assert where in str(exc.value) and "map.yaml" in str(exc.value)


def test_load_mapping_reads_ignore(tmp_path: Path) -> None:
    """Entries as written, numbers as their digits, duplicates once; an empty key is
    no entry."""
    assert _mapping(tmp_path, "ignore: [备注, 2019, 备注]\n").ignore == ("备注", "2019")
    assert _mapping(tmp_path, "ignore:\n").ignore == ()


def test_national_reader_ignores_columns(tmp_path: Path) -> None:
    """The national reader: ignored columns (one an unknown header, one the known 县区名称
    and one the class-list header 班额) are neither read nor D010/D016; the known ones
    are a D043 notice each; an unused entry is D013."""
    pytest.importorskip("numpy")
    from eduint.data.national import read_national

    path = tmp_path / "n.csv"
    head = "行政区划代码,县区名称,学校代码,学段,在校生数,班额,province_id,县区名称2\n"
    path.write_text(head + "530101,甲县,001,小学,100,45;46,7,x\n", encoding="utf-8")
    bare = read_national(path)
    assert sorted(p.path for p in bare.problems if p.code == "D010") == [
        "province_id", "县区名称2"
    ]
    assert list(bare.county_names) == ["甲县"] and bare.class_sizes.tolist() == [45, 46]
    mapping = _mapping(tmp_path, "ignore: [province_id, 县区名称2, 县区名称, 班额, 无此列]\n")
    d = read_national(path, mapping=mapping)
    assert [(p.code, p.path) for p in d.problems] == [("D013", "ignore.无此列")]
    # the ignored known columns are said (D043, as the spreadsheet reader says them),
    # not D016; the county, its 县区名称 unread, is named after its code (D042)
    assert [(p.code, p.path) for p in d.notices] == [
        ("D043", "县区名称"), ("D043", "班额"), ("D042", "")
    ]
    assert list(d.county_names) == ["530101"] and d.class_sizes.tolist() == []
    assert d.fields["students"].tolist() == [100.0]


def test_an_entry_with_a_bracketed_part_matches_that_header_only(tmp_path: Path) -> None:
    """An entry matches a header as a whole: ``在校生数（备注）`` ignores that column and
    not 在校生数 (no bracketed part dropped from the entry), and ``在校生数`` does not
    ignore ``在校生数（人）`` (nor from the header): that entry matches nothing, D013."""
    path = tmp_path / "学校.csv"
    path.write_text(
        "学校代码,学校名称,学段,在校生数,在校生数（备注）\nA1,甲,小学,100,含借读\n",
        encoding="utf-8",
    )
    (r,) = read_tables(path, mapping=_mapping(tmp_path, 'ignore: ["在校生数（备注）"]\n'))
    assert not r.problems and not [n for n in r.notices if n.code == "D043"], r.problems
    (school,) = r.county.schools or ()
    assert [s.students.low for s in school.segments or () if s.students] == [100]
    path.write_text("学校代码,学校名称,学段,在校生数（人）\nA1,甲,小学,100\n", encoding="utf-8")
    (r,) = read_tables(path, mapping=_mapping(tmp_path, "ignore: [在校生数]\n"))
    assert [(p.code, p.path) for p in r.problems] == [("D013", "ignore.在校生数")]
    (school,) = r.county.schools or ()
    assert [s.students.low for s in school.segments or () if s.students] == [100]


def test_unused_entries_parse_the_mapping_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many entries that match nothing (D013 each, on its own line) read the mapping
    file for lines once, not once per entry (10,000 entries took 150 s)."""
    from eduint.data.loading import parse

    calls: list[str] = []
    real = parse.parse_yaml

    def counted(text: str, source: str) -> Any:
        calls.append(source)
        return real(text, source)

    monkeypatch.setattr(parse, "parse_yaml", counted)
    n = 300
    mapping = _mapping(tmp_path, "ignore:\n" + "".join(f"  - 无关列{i}\n" for i in range(n)))
    path = tmp_path / "学校.csv"
    path.write_text("学校代码,学校名称,学段\nA1,甲,小学\n", encoding="utf-8")
    (r,) = read_tables(path, mapping=mapping)
    got = [(p.code, p.path, p.line) for p in r.problems]
    assert got == [("D013", f"ignore.无关列{i}", i + 2) for i in range(n)]
    assert len(calls) == 1, len(calls)


def test_ignoring_a_known_column_says_so(tmp_path: Path, county: eduint.County) -> None:
    """``ignore: [备注]`` drops the 自评 sheet's 备注 (its notes): still not read, but a
    notice (D043, not a problem) names the sheet and the column; an ignored column no
    sheet knows (填表人) has none."""
    write_tables(county, tmp_path / "c.xlsx")
    (plain,) = read_tables(tmp_path / "c.xlsx", extra_fields=_extra())
    assert any(a.note for a in plain.county.attestations or ())
    mapping = _mapping(tmp_path, "ignore: [备注, 填表人]\n")
    (r,) = read_tables(tmp_path / "c.xlsx", extra_fields=_extra(), mapping=mapping)
    assert not any(a.note for a in r.county.attestations or ())
    d043 = [n for n in r.notices if n.code == "D043"]
    assert [(n.path, n.sheet) for n in d043] == [("备注", "自评")], r.notices
    assert "known column" in d043[0].message and "ignore:" in d043[0].message
    assert [(p.code, p.path) for p in r.problems] == [("D013", "ignore.填表人")]


def test_catalogue_says_how_to_map_or_ignore() -> None:
    """The Chinese texts of D010 and D013 point to the mapping file's columns: and
    ignore: and to writing the header as it appears; D043 is in the catalogue."""
    from eduint.reporting.messages import DATA_CODES

    assert "columns:" in DATA_CODES["D010"].zh and "ignore:" in DATA_CODES["D010"].zh
    assert "--mapping" in DATA_CODES["D010"].zh
    assert "表头原样" in DATA_CODES["D013"].zh
    assert "ignore:" in DATA_CODES["D043"].zh and "ignore:" in DATA_CODES["D043"].en


def test_ignoring_a_required_column_says_so(tmp_path: Path) -> None:
    """``ignore: [学校代码, 学段]``: the spreadsheet reader's D003 and the national
    reader's D006 say that the mapping's ignore: left the column out."""
    mapping = _mapping(tmp_path, "ignore: [学校代码, 学段]\n")
    path = tmp_path / "学校.csv"
    path.write_text("学校代码,学校名称,学段,在校生数\nA1,甲,小学,100\n", encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        read_tables(path, mapping=mapping)
    assert exc.value.code == "D003"
    assert "ignore: left out the known column(s) 学校代码, 学段" in str(exc.value)
    pytest.importorskip("numpy")
    from eduint.data.national import read_national

    path = tmp_path / "n.csv"
    path.write_text("行政区划代码,学校代码,学段,在校生数\n530101,001,小学,100\n", encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        read_national(path, mapping=mapping)
    assert exc.value.code == "D006"
    assert "ignore: left it out (学校代码, 学段)" in str(exc.value)


def test_entries_alike_once_normalised_all_match(tmp_path: Path) -> None:
    """``学校 名称`` next to ``学校名称``: both match the 学校名称 column (no D013 for the
    second); ``学校名称（个）`` is another header and matches nothing (D013)."""
    path = tmp_path / "学校.csv"
    path.write_text("学校代码,学校名称,学段,在校生数\nA1,甲,小学,100\n", encoding="utf-8")
    mapping = _mapping(tmp_path, 'ignore: [学校名称, "学校 名称", 学校名称（个）]\n')
    (r,) = read_tables(path, mapping=mapping)
    assert [(p.code, p.path) for p in r.problems] == [("D013", "ignore.学校名称（个）")]


@pytest.mark.parametrize("entry", ['""', '" "', '"\\u3000"'])
def test_a_blank_ignore_entry_is_a_shape_error(tmp_path: Path, entry: str) -> None:
    """A blank entry names no column: a mapping error naming its place."""
    with pytest.raises(DataFileError) as exc:
        _mapping(tmp_path, f"ignore: [备注说明, {entry}]\n")
    assert "ignore[2]: expected a header as written, got a blank text" in str(exc.value)


@pytest.mark.parametrize(
    "text",
    [
        "columns: {在校生数: 学生数}\nignore: [在校生数]\n",
        "columns: {在校生数（人）: 学生数}\nignore: [\"在校 生数\"]\n",
    ],
)
def test_an_entry_that_is_also_a_columns_key_is_an_error(tmp_path: Path, text: str) -> None:
    """An entry that is a ``columns`` key too (the ignore would win, the alias go
    unused) is a mapping error naming both."""
    with pytest.raises(DataFileError) as exc:
        _mapping(tmp_path, text)
    assert "is also mapped under columns:" in str(exc.value)
