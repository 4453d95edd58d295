"""The Word 自查报告 draft (``eduint check --format docx``), read back with python-docx and
converted by LibreOffice Writer.

Two reports, written by ``eduint check`` exactly as a user would:

* the bundled synthetic county against the 2017 资源配置 rule set (one block, items not
  met with entities and a 差异系数, a gap list with fixes);
* the bundled 宝山区 example against the rule set it names (seven sections, parts, 自评
  that differs from 核算).

What is checked, on the file:

* its tables hold the report's cells: the tables of 逐项评估情况, read in order, are the
  summary rows of the report's document (built independently here with
  :func:`eduint.reporting.build_document` from the same evaluation) in the columns
  :data:`~eduint.reporting.wordfmt.ITEM_COLUMNS`, worded by ``cell_text``; each item not
  met has an evidence table whose 结论, 数值, 标准 and 依据 are the summary's; the
  section verdicts are the document's;
* every ``w:r`` of the body (tables included), the headers and the footers has an East
  Asian font (``w:rPr/w:rFonts/@w:eastAsia``), one of the fonts the module documents, and
  the title is 方正小标宋简体 2号, the body 仿宋_GB2312 3号;
* the page is A4 with the GB/T 9704-2012 margins;
* every fix of the record engine's gap list (:func:`eduint.gaps`) is in the text;
* without python-docx the command fails with one line saying what to install.

LibreOffice (slow): Writer converts the file to text and to PDF; the text has the title
and table values, the PDF is A4.  Skips when ``soffice`` is not on PATH or has no Writer
(``.ci/run`` installs ``libreoffice-writer-nogui``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import eduint
from eduint import reporting
from eduint._resources import resource_dir
from eduint.checking.resolver import default_resolver
from eduint.cli import main
from eduint.engine.gaps._model import GapList
from eduint.engine.results import Outcome, Report
from eduint.reporting import wordfmt
from eduint.reporting.document import Document, cell_text
from eduint.reporting.gaps import amount_text

docx = pytest.importorskip("docx")
from docx.enum.text import WD_LINE_SPACING  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

CASES = {
    "synthetic": ("synthetic-county-2019.yaml", "youzhi_junheng_2017_resource"),
    "baoshan": ("baoshan-2018.yaml", None),
}
FONTS = {
    wordfmt.TITLE_FONT,
    wordfmt.BODY_FONT,
    wordfmt.HEADING_FONT,
    wordfmt.HEADING2_FONT,
    wordfmt.PAGE_NUMBER_FONT,
}
SOFFICE_TIMEOUT = 180


class Written:
    """One report as written by the command, and what it must hold."""

    def __init__(self, name: str, tmp: Path) -> None:
        data_name, rules = CASES[name]
        data = resource_dir("examples") / data_name
        self.path = tmp / f"{name}.docx"
        args = ["check", str(data), "--format", "docx", "-o", str(self.path)]
        if rules is not None:
            args += ["--rules", rules]
        self.result = CliRunner().invoke(main, args)
        rules_name = rules or eduint.load_county(data).rules
        assert rules_name is not None
        rules_path = default_resolver().find(rules_name)
        run = eduint.run(rules_path, data, name=data_name)
        (one,) = run.counties
        self.report: Report = one.report
        self.model: Document = reporting.build_document(
            one.report, provenance=one.provenance, problems=one.problems, load=one.load
        )
        self.gaps: tuple[GapList, ...] = eduint.gaps(rules_path, data)
        self.doc: Any = docx.Document(str(self.path))


@pytest.fixture(scope="module", params=sorted(CASES))
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Written:
    return Written(request.param, tmp_path_factory.mktemp("docx"))


def table_texts(table: Any) -> list[list[str]]:
    """A python-docx table's cells as text, row by row."""
    return [[c.text for c in row.cells] for row in table.rows]


def all_text(doc: Any) -> str:
    """Every paragraph of the body and every table cell, one per line."""
    lines = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        lines += ["\t".join(r) for r in table_texts(t)]
    return "\n".join(lines)


# ------------------------------------------------------------------ tables


def test_command_writes_the_file(written: Written) -> None:
    """Both reports have items not met: exit 1, the file named, the overall line."""
    assert written.result.exit_code == 1, written.result.output
    assert f"已写入 {written.path}" in written.result.output
    assert reporting.overall_line(written.report) in written.result.output


def test_item_tables_are_the_summary_rows(written: Written) -> None:
    """The tables of 逐项评估情况, in order, are the summary's rows in ITEM_COLUMNS."""
    (summary,) = written.model.tables("summary")
    idx = [summary.column(k) for k in wordfmt.ITEM_COLUMNS]
    heads = [cell_text(summary.columns[i].header, "zh") for i in idx]
    expected = [[cell_text(row[i], "zh") for i in idx] for row in summary.rows]
    got: list[list[str]] = []
    for t in written.doc.tables:
        rows = table_texts(t)
        if rows[0] == heads:
            got += rows[1:]
    assert got == expected
    assert len(expected) == len(written.report.items)


def test_not_met_items_have_their_evidence(written: Written) -> None:
    """One evidence table per item not met, with the summary's verdict, value,
    threshold, source and 自评 beside 核算."""
    (summary,) = written.model.tables("summary")
    key_value = [
        dict(table_texts(t)[1:])
        for t in written.doc.tables
        if table_texts(t)[0] == ["项目", "内容"]
    ]
    evidence = [facts for facts in key_value if "结论" in facts]  # not the provenance
    not_met = [
        (item, row)
        for item, row in zip(written.report.items, summary.rows, strict=True)
        if item.headline is Outcome.NOT_MET
    ]
    assert not_met and len(evidence) == len(not_met)
    for (item, row), facts in zip(not_met, evidence, strict=True):
        for key in ("self", "computed", "verdict", "value", "threshold", "source"):
            text = cell_text(row[summary.column(key)], "zh")
            head = cell_text(summary.columns[summary.column(key)].header, "zh")
            assert facts.get(head, "") == text, (item.id, key)
        assert facts["结论"] == "未达到"


def test_section_verdicts_and_overall(written: Written) -> None:
    """The section table is the document's, and the overall line is a paragraph."""
    text = all_text(written.doc)
    assert cell_text(written.model.section("overall").blocks[0].cell, "zh") in text  # type: ignore[union-attr]
    for table in written.model.tables("sections"):
        rows = [[cell_text(c, "zh") for c in r] for r in table.rows]
        assert any(table_texts(t)[1:] == rows for t in written.doc.tables)


def test_gap_list_fixes_are_listed(written: Written) -> None:
    """Every change of every fix of the record engine's gap list is in the text."""
    (gl,) = written.gaps
    text = all_text(written.doc)
    assert "整改清单" in text
    changes = [ch for g in gl.gaps for f in g.fixes for ch in f.changes]
    if written.path.stem == "synthetic":
        assert changes  # the synthetic county has fixes to list
    for ch in changes:
        assert amount_text(ch, "zh") in text


# ------------------------------------------------------------------ fonts and page


def _parts(doc: Any) -> list[tuple[str, Any]]:
    """The body and every header and footer, as XML elements."""
    out = [("body", doc.element.body)]
    for n, sec in enumerate(doc.sections):
        for name in ("header", "footer", "first_page_header", "first_page_footer"):
            part = getattr(sec, name)
            if not part.is_linked_to_previous:
                out.append((f"{name}{n}", part._element))
    return out


def test_every_run_has_an_east_asian_font(written: Written) -> None:
    """Every w:r (body, table cells, headings, footer) names its East Asian font."""
    runs = 0
    for where, element in _parts(written.doc):
        for r in element.iter(qn("w:r")):
            runs += 1
            rfonts = r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            assert rfonts is not None, (where, r.xml)
            assert rfonts.get(qn("w:eastAsia")) in FONTS, (where, r.xml)
    in_tables = sum(1 for t in written.doc.tables for _ in t._tbl.iter(qn("w:r")))
    assert runs > in_tables > 100
    footer = written.doc.sections[0].footer._element
    assert list(footer.iter(qn("w:r")))  # the page number is checked too


def test_title_body_and_heading_fonts(written: Written) -> None:
    """Title 方正小标宋简体 22 pt; body 仿宋_GB2312 16 pt at a fixed 28.95 pt line;
    一级标题 黑体; table cells 12 pt."""
    doc = written.doc
    title = doc.paragraphs[0]
    assert written.report.county in title.text and "自查报告（草稿）" in title.text
    ea = qn("w:eastAsia")
    for r in title.runs:
        assert r._element.rPr.rFonts.get(ea) == "方正小标宋简体" and r.font.size == Pt(22)
    body = [p for p in doc.paragraphs if p.style.name == "Normal" and p.text][2:]
    assert body
    for p in body:
        own, style = p.paragraph_format, p.style.paragraph_format  # its own, else Normal's
        assert (own.line_spacing or style.line_spacing) == Pt(28.95)
        assert (own.line_spacing_rule or style.line_spacing_rule) == WD_LINE_SPACING.EXACTLY
        for r in p.runs:
            assert r._element.rPr.rFonts.get(ea) == "仿宋_GB2312" and r.font.size == Pt(16)
    h1 = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [p.text[:2] for p in h1[:4]] == ["一、", "二、", "三、", "四、"]
    for p in h1:
        assert all(r._element.rPr.rFonts.get(ea) == "黑体" for r in p.runs)
    for t in doc.tables:
        for r in t._tbl.iter(qn("w:r")):
            assert r.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) == "24"


def test_page_is_gb_t_9704(written: Written) -> None:
    """A4 portrait, margins 37/35/28/26 mm (within the 0.1 mm a twip rounds to)."""
    for sec in written.doc.sections:
        got = {
            "width": sec.page_width,
            "height": sec.page_height,
            "top": sec.top_margin,
            "bottom": sec.bottom_margin,
            "left": sec.left_margin,
            "right": sec.right_margin,
        }
        want = {"width": 210, "height": 297, **wordfmt.MARGINS_MM}
        for key, mm in want.items():
            assert abs(got[key] - Mm(mm)) < Mm(0.1), (key, got[key].mm)


def test_english_report(tmp_path: Path) -> None:
    """--lang en words the headings and verdicts in English, fonts still set."""
    target = tmp_path / "en.docx"
    data = resource_dir("examples") / "synthetic-county-2019.yaml"
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(data),
            "--rules",
            "youzhi_junheng_2017_resource",
            "--format",
            "docx",
            "--lang",
            "en",
            "-o",
            str(target),
        ],
    )
    assert result.exit_code == 1, result.output
    text = all_text(docx.Document(str(target)))
    assert "Gap list" in text and "not met" in text and "未达到" not in text.split("\n")[0]


def test_default_name_and_missing_python_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without -o: DATA-STEM-report.docx here.  Without python-docx: one line, exit 2,
    no traceback, nothing written."""
    data = resource_dir("examples") / "baoshan-2018.yaml"
    monkeypatch.chdir(tmp_path)
    ok = CliRunner().invoke(main, ["check", str(data), "--format", "docx"])
    assert ok.exit_code == 1 and (tmp_path / "baoshan-2018-report.docx").is_file()
    (tmp_path / "baoshan-2018-report.docx").unlink()
    monkeypatch.setitem(sys.modules, "docx", None)
    failed = CliRunner().invoke(main, ["check", str(data), "--format", "docx"])
    assert failed.exit_code == 2
    lines = failed.output.strip().splitlines()
    assert lines[-1] == (
        "error: --format docx needs python-docx, which is not installed: pip install python-docx"
    )
    assert "Traceback" not in failed.output
    assert not (tmp_path / "baoshan-2018-report.docx").exists()


# ------------------------------------------------------------------ LibreOffice


def run_soffice(tmp_path: Path, *args: str) -> str:
    """``soffice --headless ARGS --outdir TMP`` with a private profile and a timeout;
    skips when soffice is missing or cannot load a Word file (no Writer)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(
            "soffice (LibreOffice) is not on PATH: apt-get install libreoffice-writer-nogui"
        )
    profile = tmp_path / f"lo-profile-{len(list(tmp_path.glob('lo-profile-*')))}"
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        *args,
        "--outdir",
        str(tmp_path),
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
    if "source file could not be loaded" in out or "no export filter" in out:
        pytest.skip(f"LibreOffice has no Writer (libreoffice-writer-nogui): {out.strip()}")
    assert proc.returncode == 0, f"soffice exit {proc.returncode}: {cmd}\n{out}"
    return out


@pytest.mark.slow
def test_libreoffice_writer_converts_it(written: Written, tmp_path: Path) -> None:
    """Writer reads the file: as text it has the title and table values; as PDF, A4."""
    shutil.copy(written.path, tmp_path / "report.docx")
    run_soffice(tmp_path, "--convert-to", "txt:Text (encoded):UTF8", str(tmp_path / "report.docx"))
    text = (tmp_path / "report.txt").read_text(encoding="utf-8-sig")
    assert written.doc.paragraphs[0].text in text
    (summary,) = written.model.tables("summary")
    for row in summary.rows:
        assert cell_text(row[summary.column("item")], "zh").strip() in text
        assert cell_text(row[summary.column("value")], "zh").split("\n")[0] in text
    assert "整改清单" in text
    run_soffice(tmp_path, "--convert-to", "pdf", str(tmp_path / "report.docx"))
    pdf = (tmp_path / "report.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    for w, h in boxes:  # A4 is 595.3 × 841.9 pt
        assert abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1
