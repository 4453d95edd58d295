"""National input from hostile Parquet files (issue 19's attack 19): each file is read
with problems or refused with a DataFileError naming the file, never misread, never a
traceback, never a thread left running.

* two columns of one name (D006), a string column that is not UTF-8 (D001), a list
  column whose metadata says it decodes past ``national_classes`` (D005, before it is
  decoded);
* 班额 typed as a list of bools, texts, lists, dates, decimals or nulls;
* school ids typed uint64 past int64, and floats with NaN, inf or values past int64.
"""

from __future__ import annotations

import threading
import time
import warnings
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from eduint.data.errors import DataFileError  # noqa: E402
from eduint.data.limits import Limits  # noqa: E402
from eduint.data.national import read_national  # noqa: E402


def _columns(n: int = 4) -> dict[str, Any]:
    """A small valid national table (``n`` schools of one county, one segment each)."""
    return {
        "行政区划代码": pa.array(["110101"] * n),
        "学校代码": pa.array([f"ID{k:06d}" for k in range(n)]),
        "学段": pa.array(["小学"] * n),
        "在校生数": pa.array([100 + k for k in range(n)], pa.int64()),
        "专任教师数": pa.array([10 + k for k in range(n)], pa.int64()),
        "班额": pa.array([[45, 46]] * n, pa.list_(pa.int16())),
    }


def _write(path: Path, cols: dict[str, Any], **kw: Any) -> Path:
    pq.write_table(pa.table(cols), path, **kw)
    return path


@pytest.mark.parametrize("name", ["在校生数", "学校代码", "班额", "行政区划代码"])
def test_two_columns_of_one_name_are_a_file_error(tmp_path: Path, name: str) -> None:
    """A wanted column whose name two columns carry is refused (D006), naming the file
    and the column: read by name, every later column would be another one's."""
    cols = _columns()
    names, arrays = list(cols), list(cols.values())
    k = names.index(name)
    names.insert(k + 1, name)
    arrays.insert(k + 1, arrays[k])
    path = tmp_path / "dup.parquet"
    pq.write_table(pa.Table.from_arrays(arrays, names=names), path)
    with pytest.raises(DataFileError, match=f"two columns named {name}") as err:
        read_national(path)
    assert err.value.code == "D006" and "dup.parquet" in str(err.value)


def _lists(tmp_path: Path, arr: Any) -> Any:
    cols = _columns(len(arr))
    cols["班额"] = arr
    return read_national(_write(tmp_path / "l.parquet", cols))


def test_a_list_of_bools_is_no_class_list(tmp_path: Path) -> None:
    """班额 as list<bool> is not sizes 0/1: each non-blank row is D020, its list
    missing (as the spreadsheet reader and a CSV read TRUE)."""
    d = _lists(tmp_path, pa.array([[True, False], None, [False], []], pa.list_(pa.bool_())))
    assert len(d.class_sizes) == 0
    got = sorted((p.row, p.code) for p in d.problems)
    assert got == [(1, "D020"), (3, "D020"), (4, "D020")]
    assert d.class_missing.tolist() == [True, True, True, True]


def test_a_list_of_numeric_texts_reads_as_numbers(tmp_path: Path) -> None:
    """班额 as list<string>: numbers where every entry spells one, else that row D020."""
    d = _lists(tmp_path, pa.array([["45", " 46 "], ["45", "x"], None, ["50.0", "30"]],
                                  pa.list_(pa.string())))
    assert d.class_sizes.tolist() == [45, 46, 50, 30]
    assert [(p.row, p.code) for p in d.problems] == [(2, "D020")]
    assert d.class_missing.tolist() == [False, True, True, False]


@pytest.mark.parametrize("arr", [
    pa.array([[[45, 46]], [[45]], None], pa.list_(pa.list_(pa.int64()))),
    pa.array([[__import__("datetime").date(2020, 1, 1)], [], None], pa.list_(pa.date32())),
    pa.array([[__import__("decimal").Decimal("45.0")], [], None], pa.list_(pa.decimal128(5, 1))),
    pa.array([[None], [], None], pa.list_(pa.null())),
], ids=["list_list", "list_date", "list_decimal", "list_null"])
def test_a_list_of_other_things_is_d020(tmp_path: Path, arr: Any) -> None:
    """Entries of any other type: every non-null row D020, never a traceback."""
    d = _lists(tmp_path, arr)
    assert len(d.class_sizes) == 0
    assert sorted((p.row, p.code) for p in d.problems) == [(1, "D020"), (2, "D020")]


def test_inf_in_a_list_of_doubles_warns_nothing(tmp_path: Path) -> None:
    """A list of doubles with inf and NaN: the rows are D020, and numpy's cast of the
    dropped values warns nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = _lists(tmp_path, pa.array([[float("inf"), 45.0], [float("nan")], [45.0], [46.0]],
                                      pa.list_(pa.float64())))
    assert d.class_sizes.tolist() == [45, 46]
    assert [(p.row, p.code) for p in d.problems] == [(1, "D020"), (2, "D020")]


def _ids(tmp_path: Path, arr: Any) -> Any:
    cols = _columns(len(arr))
    cols["学校代码"] = arr
    return read_national(_write(tmp_path / "i.parquet", cols))


def test_uint64_ids_past_int64_read_as_their_digits(tmp_path: Path) -> None:
    """School ids typed uint64 at or past 2^63 are their decimal texts (not wrapped
    negative, not an overflow)."""
    ids = [2**64 - 1, 2**63, 2**63 + 7, 12]
    d = _ids(tmp_path, pa.array(ids, pa.uint64()))
    assert not d.problems
    assert sorted(str(x) for x in d.school_ids.tolist()) == sorted(str(x) for x in ids)
    small = _ids(tmp_path, pa.array([1, 2, 3, 10**17], pa.uint64()))
    assert small.school_ids.dtype.kind == "i"  # still the integer path


def test_float_ids_with_nan_inf_and_past_int64(tmp_path: Path) -> None:
    """School ids typed double: NaN is a blank id (D030), inf and 1e20 read as their
    texts, a whole number as its digits; never a traceback."""
    d = _ids(tmp_path, pa.array([float("nan"), float("inf"), 1e20, 330102.0], pa.float64()))
    assert [(p.row, p.code) for p in d.problems] == [(1, "D030")]
    got = sorted(d.school_ids.tolist())
    assert "330102" in got and "inf" in got and len(got) == 3
    assert any("e+20" in x for x in got)


def test_text_not_utf8_is_a_file_error(tmp_path: Path) -> None:
    """A string column whose bytes are not UTF-8 is a DataFileError (D001) naming the
    file and the column, not pyarrow's error nor a Python UnicodeDecodeError."""
    cols = _columns()
    cols["学校名称"] = pa.array(["SCHOOLNAMEXYZ"] * 4)
    path = _write(tmp_path / "u.parquet", cols, compression="NONE", use_dictionary=False,
                  write_statistics=False)
    raw = path.read_bytes()
    assert raw.count(b"SCHOOLNAMEXYZ") == 4
    path.write_bytes(raw.replace(b"SCHOOLNAMEXYZ", b"\xff\xfeHOOLNAMEXYZ"))
    with pytest.raises(DataFileError, match="学校名称.*UTF-8") as err:
        read_national(path)
    assert err.value.code == "D001" and "u.parquet" in str(err.value)


def test_a_list_column_past_the_limit_is_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small file whose 班额 decodes to more entries than ``national_classes`` is
    refused (D005) from its metadata: the column is never decoded."""
    from eduint.data.national import formats

    cols = _columns()
    cols["班额"] = pa.array([[45] * 3000, [45], [], None], pa.list_(pa.int16()))
    path = _write(tmp_path / "bomb.parquet", cols)
    started: list[str] = []
    real = formats._Decoding

    def recording(path: Path, name: str, shown: str) -> Any:
        started.append(name)
        return real(path, name, shown)

    monkeypatch.setattr(formats, "_Decoding", recording)
    with pytest.raises(DataFileError, match="national_classes") as err:
        read_national(path, limits=Limits(national_classes=2000))
    assert err.value.code == "D005" and "班额" in str(err.value)
    assert started == []
    d = read_national(path, limits=Limits(national_classes=3001))  # within: read
    assert len(d.class_sizes) == 3001 and started == ["班额"]


def test_no_decoding_thread_outlives_a_failed_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the read fails while 班额 is still being decoded (a figure column's pages
    damaged), the decoding thread has ended by the time read_national raises."""
    from eduint.data.national import formats

    cols = _columns(200)
    path = _write(tmp_path / "bad.parquet", cols, compression="NONE")
    md = pq.ParquetFile(path).metadata.row_group(0)
    col = next(md.column(j) for j in range(md.num_columns)
               if md.column(j).path_in_schema == "专任教师数")
    lo = col.dictionary_page_offset or col.data_page_offset
    raw = bytearray(path.read_bytes())
    raw[lo:lo + col.total_compressed_size] = b"\xff" * col.total_compressed_size
    path.write_bytes(bytes(raw))
    real = formats._Decoding._run

    def slow(self: Any, p: Path) -> None:
        time.sleep(0.5)
        real(self, p)

    monkeypatch.setattr(formats._Decoding, "_run", slow)
    with pytest.raises(DataFileError, match="bad.parquet"):
        read_national(path)
    alive = [t.name for t in threading.enumerate() if t.name.startswith("eduint-parquet")]
    assert alive == []
