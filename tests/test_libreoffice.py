"""The XLSX and CSV reports as a spreadsheet program reads them: LibreOffice headless
(Debian's ``libreoffice-calc-nogui``) stands in for Excel.

Two reports, each written by ``eduint check`` as XLSX and as CSV:

* the bundled 宝山区 example against the rule set it names (城乡一体化 2018);
* the bundled synthetic county against the 2017 资源配置 rule set, which adds the sheets
  学校指标, 差异系数 and 计算说明.

XLSX: LibreOffice exports every sheet to CSV (filter option 12 = ``-1``: one file per
sheet, LibreOffice 7.2 and later), and every sheet must come back cell for cell (header
row, row count, Chinese text) as the report's document has it: a number as the number
(LibreOffice writes it with its own digits, so numbers are compared as numbers), any
other cell as its text.  LibreOffice also saves the workbook
again as XLSX: the column widths it read must still fit the Chinese text.

CSV: LibreOffice imports the UTF-8 file with a byte-order mark (filter option 3 = ``76``,
UTF-8) into XLSX and exports that back to CSV.  Typed as text, every cell comes back as
written and the BOM does not leak into the first header cell; with the default column
types (what a person double-clicking the file gets) the Chinese text columns survive too.

Not checked through LibreOffice: the frozen header row.  A headless conversion has no
view, and LibreOffice writes no view settings (pane, split) when it saves, so the freeze
is checked on the written file with openpyxl instead.  Also: LibreOffice's headless
import does not look at the BOM: without the charset option it reads the file in the
system's 8-bit charset (mojibake), unlike Excel, which goes by the BOM.  So the charset is
always given.

Every run of ``soffice`` gets a fresh profile (``-env:UserInstallation``) in the test's
tmp_path and a timeout.  The tests skip when ``soffice`` is not on PATH (``.ci/run``
installs it).
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import signal
import subprocess
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from click.testing import CliRunner

import eduint
from eduint import reporting
from eduint._resources import resource_dir
from eduint.checking.resolver import default_resolver
from eduint.cli import main
from eduint.core.values import Interval
from eduint.engine.results import Report
from eduint.reporting.csvfmt import csv_rows
from eduint.reporting.numbers import in_unit, shown_unit

pytestmark = pytest.mark.slow

SOFFICE_TIMEOUT = 180  # seconds for one soffice run (about 2 s here, first start included)

# Export: field separator ",", text delimiter '"', UTF-8 (76), from line 1, no column
# types, language 0, quote all text cells: no, detect special numbers: yes (import only),
# save cell contents as shown: no, export formulas: no, remove spaces: no, sheet: -1 (every
# sheet to its own file NAME-SHEET.csv).
CSV_EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
CSV_FILTER = "Text - txt - csv (StarCalc)"

XLSX_MAX_WIDTH = 60  # eduint caps a column at 60 and wraps the text beyond


@attrs.frozen
class Case:
    """One report: how ``eduint check`` is called, and what its sheets must hold."""

    name: str
    data: str  # the data file under the bundled examples
    rules: str | None  # --rules, or None: the rule set the data file names
    sheets: tuple[str, ...]
    words: dict[str, tuple[str, ...]]  # sheet -> text that must come back as written


BAOSHAN = Case(
    name="baoshan-2018",
    data="baoshan-2018.yaml",
    rules=None,
    sheets=("汇总", "章节", "明细", "数据问题", "来源"),
    words={
        "汇总": ("自评", "核算", "结论", "未达到", "基本达到", "试行", "自评与核算不一致"),
        "来源": ("宝山区", "城乡", "未达到"),
    },
)
SYNTHETIC = Case(
    name="synthetic-county-2019",
    data="synthetic-county-2019.yaml",
    rules="youzhi_junheng_2017_resource",
    sheets=(
        "汇总",
        "学校指标",
        "差异系数",
        "章节",
        "明细",
        "计算说明",
        "未计入与拆分",
        "数据问题",
        "数据说明",
        "来源",
    ),
    words={
        "汇总": ("自评", "未达到"),
        "学校指标": ("城关第一小学", "达到项数"),
        "差异系数": ("差异系数", "方差主要来源", "示例县（合成数据） 小学"),
        "来源": ("示例县（合成数据）", "未达到"),
    },
)
CASES = [pytest.param(BAOSHAN, id=BAOSHAN.name), pytest.param(SYNTHETIC, id=SYNTHETIC.name)]


# ------------------------------------------------------------------ helpers


@pytest.fixture
def soffice() -> str:
    """The path of ``soffice``; skips the test when LibreOffice is not installed."""
    found = shutil.which("soffice")
    if found is None:
        pytest.skip(
            "soffice (LibreOffice) is not on PATH: install Debian's libreoffice-calc-nogui "
            "(apt-get install --no-install-recommends libreoffice-calc-nogui; .ci/run does)"
        )
    return found


def run_soffice(soffice: str, tmp_path: Path, outdir: Path, *args: str) -> None:
    """Run ``soffice --headless ARGS --outdir OUTDIR`` with a fresh profile and a timeout.

    soffice starts a process tree (oosplash, soffice.bin): it gets a session of its own,
    and the whole group is killed when the timeout passes.
    """
    profile = tmp_path / f"lo-profile-{len(list(tmp_path.glob('lo-profile-*')))}"
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        *args,
        "--outdir",
        str(outdir),
    ]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
    )
    try:
        out, _ = proc.communicate(timeout=SOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"soffice took more than {SOFFICE_TIMEOUT}s: {cmd}")
    assert proc.returncode == 0, f"soffice exit {proc.returncode}: {cmd}\n{out}"
    assert "Error" not in out, f"{cmd}\n{out}"


def eduint_check(case: Case, fmt: str, target: Path) -> None:
    """``eduint check DATA [--rules R] --format FMT -o TARGET`` (both reports fail: exit 1)."""
    args = ["check", str(resource_dir("examples") / case.data)]
    if case.rules is not None:
        args += ["--rules", case.rules]
    result = CliRunner().invoke(main, [*args, "--format", fmt, "-o", str(target)])
    assert result.exit_code == 1, result.output
    assert target.is_file()


def evaluated(case: Case) -> tuple[Report, tuple[reporting.DataProblemLike, ...]]:
    """The report (and data problems) that ``eduint check`` writes for ``case``, by the API."""
    rules_name = case.rules
    data = resource_dir("examples") / case.data
    if rules_name is None:
        rules_name = eduint.load_county(data).rules
        assert rules_name is not None
    rules_path = default_resolver().find(rules_name)
    assert rules_path is not None
    # read as the check job reads it (fields another rule set declares are notes)
    result = eduint.run(rules_path, data, name=case.data)
    (one,) = result.counties
    assert one.load is not None
    return eduint.evaluate(result.ruleset, one.load.county), tuple(one.load.problems)


def read_csv(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    """The rows of a CSV file; strict decoding, so bytes that are not UTF-8 fail."""
    with path.open(encoding=encoding, errors="strict", newline="") as fh:
        return list(csv.reader(fh))


def sheet_rows(ws: Any) -> list[list[str]]:
    """The cells of an openpyxl sheet as text ('' for an empty cell)."""
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def display_width(text: str) -> int:
    """Terminal cells of the widest line (East Asian Wide and Fullwidth count two): an
    oracle independent of eduint's wcwidth-based measure."""
    return max(
        sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        for line in text.split("\n")
    )


def column_widths(ws: Any) -> dict[int, float]:
    """Column index -> width as stored (a <col> element may cover several columns)."""
    widths: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min is not None and dim.max is not None:
            for index in range(dim.min, dim.max + 1):
                widths[index] = dim.width
    return widths


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_fits(ws: Any, rows: Sequence[Sequence[str]], *, who: str) -> None:
    """Every column is at least as wide as its widest text (header included), up to the
    cap of 60.  A number cell is shown through its number format (unit, places), not as
    the float it stores, so only text cells are measured here."""
    widths = column_widths(ws)
    for index, column in enumerate(zip(*rows, strict=True), start=1):
        texts = [t for t in column if not _is_number(t)]
        need = min(max(display_width(t) for t in texts), XLSX_MAX_WIDTH)
        got = widths.get(index, 0.0)
        assert got >= need - 0.5, f"{who}: {ws.title} column {index} is {got} wide, needs {need}"


def _expected(cell: Any) -> float | str:
    """What a document cell becomes in a workbook: a number (a per cent figure as its
    fraction), or its Chinese text."""
    num = reporting.document.cell_number(cell)
    if num is not None:
        value = num.value
        if not isinstance(value, Interval) or value.bracket or value.lo == value.hi:
            lo = (value.lo + value.hi) / 2 if isinstance(value, Interval) else value
            unit = shown_unit(num.unit)
            return float(lo if str(unit) == "%" else in_unit(lo, unit))
    return reporting.document.cell_text(cell, "zh")


def expected_sheets(case: Case) -> dict[str, tuple[list[str], list[list[float | str]]]]:
    """The header and rows of each sheet drawn from one table of the report's document
    (every sheet but 来源, which adds the warnings and provisional values)."""
    report, problems = evaluated(case)
    doc = reporting.build_document(report, problems=problems)
    sheets = {}
    for section in doc.sections:
        if section.sheet is None or section.key == "provenance":
            continue
        for table in (b for b in section.blocks if isinstance(b, reporting.document.Table)):
            name = reporting.document.cell_text(section.sheet, "zh")
            headers = [reporting.document.cell_text(c.header, "zh") for c in table.columns]
            sheets[name] = (headers, [[_expected(c) for c in row] for row in table.rows])
    return sheets


def same_text(got: str, want: str) -> bool:
    """Two cells as text; numbers (written with another program's digits) as numbers."""
    try:
        return math.isclose(float(got), float(want), rel_tol=1e-12)
    except ValueError:
        return got == want


def same_cell(got: str, want: float | str) -> bool:
    """A cell LibreOffice wrote back against the document's: numbers to 12 digits."""
    if isinstance(want, float):
        number = float(got[:-1]) / 100 if got.endswith("%") else float(got)  # LibreOffice: "90%"
        return math.isclose(number, want, rel_tol=1e-12, abs_tol=1e-12)
    return got == want


def assert_chinese_survives(rows: list[list[str]], words: Sequence[str], *, who: str) -> None:
    """The words are there as written, and nothing looks like UTF-8 read as an 8-bit charset."""
    text = "\n".join(",".join(r) for r in rows)
    for word in words:
        assert word in text, f"{who}: {word!r} is missing"
    for sign in ("\ufffd", "\ufeff", "Ã", "â€", "ï»¿", "å", "æ", "ç", "è", "é"):
        assert sign not in text, f"{who}: {sign!r} in the text (mojibake)"


# ------------------------------------------------------------------ XLSX


@pytest.mark.parametrize("case", CASES)
def test_xlsx_every_sheet_reads_back_in_libreoffice(
    case: Case, soffice: str, tmp_path: Path
) -> None:
    """LibreOffice opens the workbook and exports each sheet: the sheets are there in order,
    every cell of every sheet comes back as written (header row, row count, Chinese text),
    and the rows are the report's."""
    xlsx = tmp_path / f"{case.name}.xlsx"
    eduint_check(case, "xlsx", xlsx)
    written = openpyxl.load_workbook(xlsx)
    assert tuple(written.sheetnames) == case.sheets

    out = tmp_path / "csv"
    run_soffice(soffice, tmp_path, out, "--convert-to", CSV_EXPORT, str(xlsx))
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{case.name}-{sheet}.csv" for sheet in case.sheets
    )

    expected = expected_sheets(case)
    for sheet in case.sheets:
        who = f"{case.name} {sheet}"
        back = read_csv(out / f"{case.name}-{sheet}.csv")
        as_written = sheet_rows(written[sheet])
        assert len(back) == len(as_written), who
        header, *data = back
        assert header and all(header), f"{who}: empty header cell in {header}"
        if sheet in expected:
            headers, rows = expected[sheet]
            assert header == headers, who
            assert len(data) == len(rows), who
            for got, want in zip(data, rows, strict=True):
                assert all(same_cell(g, w) for g, w in zip(got, want, strict=True)), (
                    who,
                    got,
                    want,
                )
        assert_chinese_survives(back, case.words.get(sheet, ()), who=who)
    assert read_csv(out / f"{case.name}-汇总.csv")[0] == [
        "章节", "项目", "要求", "自评", "核算", "结论", "数值", "标准", "依据", "标记",
    ]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_xlsx_frozen_headers_and_widths_that_fit_chinese(
    case: Case, soffice: str, tmp_path: Path
) -> None:
    """Each sheet has a frozen, bold header row (checked with openpyxl: LibreOffice's headless
    save keeps no view settings) and columns as wide as their widest text in display cells
    (CJK counts two, capped at 60 with wrapping beyond), also as LibreOffice reads them:
    the workbook it saves again keeps the widths."""
    xlsx = tmp_path / f"{case.name}.xlsx"
    eduint_check(case, "xlsx", xlsx)
    written = openpyxl.load_workbook(xlsx)
    for ws in written.worksheets:
        rows = sheet_rows(ws)
        assert ws.freeze_panes == "A2", ws.title
        assert all(c.font.bold for c in ws[1]), ws.title
        assert_fits(ws, rows, who="eduint")
        for index, column in enumerate(zip(*rows, strict=True), start=1):
            if max(display_width(t) for t in column) > XLSX_MAX_WIDTH:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    assert cell.alignment.wrap_text, f"{ws.title} {cell.coordinate}"
    assert any(
        display_width(t) != len(t) for ws in written.worksheets for r in sheet_rows(ws) for t in r
    )  # wide text is present, so the widths are measured on it

    out = tmp_path / "lo"
    run_soffice(soffice, tmp_path, out, "--convert-to", "xlsx", str(xlsx))
    resaved = openpyxl.load_workbook(out / xlsx.name)
    assert resaved.sheetnames == written.sheetnames
    for ws in resaved.worksheets:
        rows = sheet_rows(written[ws.title])
        again = sheet_rows(ws)
        assert len(again) == len(rows), ws.title
        for got, want in zip(again, rows, strict=True):
            assert all(same_text(g, w) for g, w in zip(got, want, strict=True)), (got, want)
        assert_fits(ws, rows, who="LibreOffice")


# ------------------------------------------------------------------ CSV


@pytest.mark.parametrize("case", CASES)
def test_csv_round_trips_through_libreoffice(case: Case, soffice: str, tmp_path: Path) -> None:
    """The UTF-8 CSV with a BOM, imported as UTF-8 into a workbook and exported back: the
    header row is intact (no BOM in its first cell), every row comes back, the Chinese text
    unchanged; with the default column types the Chinese columns survive as well."""
    path = tmp_path / f"{case.name}.csv"
    eduint_check(case, "csv", path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    original = read_csv(path, encoding="utf-8-sig")
    header, *data = original
    report = evaluated(case)[0]
    summary = reporting.build_document(report).tables("summary")[0]
    headers, rows = csv_rows(summary, "zh")
    assert header == headers and data == rows
    assert_chinese_survives(original, case.words["汇总"], who="eduint's CSV")

    # Every column typed as text (format 2): the cells stay exactly as written.
    as_text = "/".join(f"{i}/2" for i in range(1, len(header) + 1))
    typed = tmp_path / "typed"
    run_soffice(
        soffice, tmp_path, typed,
        f"--infilter={CSV_FILTER}:44,34,76,1,{as_text}", "--convert-to", "xlsx", str(path),
    )  # fmt: skip
    wb = openpyxl.load_workbook(typed / f"{case.name}.xlsx")
    assert len(wb.worksheets) == 1
    assert sheet_rows(wb.worksheets[0]) == original
    back_dir = tmp_path / "back"
    run_soffice(
        soffice, tmp_path, back_dir, "--convert-to", CSV_EXPORT, str(typed / f"{case.name}.xlsx")
    )
    (back,) = back_dir.iterdir()
    assert read_csv(back) == original
    assert_chinese_survives(read_csv(back), case.words["汇总"], who="CSV → XLSX → CSV")

    # Default column types, as a person opening the file gets: numbers are numbers
    # (项目 "  12.1" becomes 12.1), the text columns are untouched.
    plain = tmp_path / "plain"
    run_soffice(
        soffice, tmp_path, plain,
        f"--infilter={CSV_FILTER}:44,34,76,1", "--convert-to", "xlsx", str(path),
    )  # fmt: skip
    opened = sheet_rows(openpyxl.load_workbook(plain / f"{case.name}.xlsx").worksheets[0])
    assert opened[0] == header
    assert len(opened) == len(original)
    text_columns = [
        header.index(h) for h in ("章节", "要求", "自评", "核算", "结论", "依据", "标记")
    ]
    for got, want in zip(opened, original, strict=True):
        assert [got[i] for i in text_columns] == [want[i] for i in text_columns]
    assert_chinese_survives(opened, case.words["汇总"], who="CSV opened with default types")
