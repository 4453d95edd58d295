"""The report as a Word 自查报告 draft (``eduint check --format docx``), with python-docx.

One more renderer of the report's :class:`~eduint.reporting.document.Document` (as text,
HTML and XLSX are): the same cells worded by :func:`~eduint.reporting.document.cell_text`
in the language asked, nothing recomputed.  The draft, in the rule set's section order:

1. the title (县区 + the rule set's title + 自查报告（草稿）), the county line and a note
   that this is a draft to check and edit;
2. 总体结论: the overall verdict and each section's (and block's) verdict;
3. 逐项评估情况: one table per top-level section, one row per item and part (自评, 核算,
   结论, 数值, 标准, 标记);
4. 未达到的项目及依据: per item not met, its evidence (value, threshold, source document
   and article, 自评 against 核算, flags) and its entities not met with the comparison that
   failed;
5. 整改清单: the record engine's gap list (:func:`eduint.engine.gaps.gaps`), worded by
   :mod:`eduint.reporting.gaps`, school by school and then the county's own;
6. 数据问题 (and the load's notes), 7. 其他说明 (warnings, provisional values used,
   overrides), then an annex with the provenance.

Layout after GB/T 9704-2012 (党政机关公文格式): A4 (210 × 297 mm), margins top 37 mm,
bottom 35 mm, left 28 mm, right 26 mm; body 3号 (16 pt) 仿宋_GB2312 at a fixed 28.95 pt
line (22 lines a page), first lines indented two characters; 一级标题 黑体 3号, 二级标题
楷体_GB2312 3号; the title 2号 (22 pt) 方正小标宋简体, centred; tables 小4号 (12 pt) 仿宋,
header row in 黑体 and repeated on each page; the page number 4号 宋体 ``— 1 —`` centred
in the footer.  python-docx sets only the Latin font of a run (``w:ascii``/``w:hAnsi``),
so every run — body, headings, table cells, footer — gets its East Asian font
(``w:eastAsia``) here too, and so do the document defaults and the styles used, so that
text typed into the draft is 仿宋 as well.  Latin letters and digits are Times New Roman.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eduint.engine._optional import need
from eduint.engine.results import ItemResult, Outcome, Report
from eduint.reporting._defaults import LISTED_PER_CODE
from eduint.reporting.build import DataProblemLike, LoadLike, build_document
from eduint.reporting.document import (
    Cell,
    Document,
    Lines,
    Para,
    Plain,
    Section,
    Table,
    Verdict,
    cell_text,
)
from eduint.reporting.layout import display_width
from eduint.reporting.messages import Lang
from eduint.reporting.provenance import Provenance
from eduint.reporting.words import check_lang, say

if TYPE_CHECKING:
    from eduint.engine.gaps import GapList

__all__ = [
    "BODY_FONT",
    "ITEM_COLUMNS",
    "LATIN_FONT",
    "MARGINS_MM",
    "PAGE_MM",
    "TITLE_FONT",
    "write_docx",
]

PAGE_MM = (210, 297)
"""A4, width × height in millimetres (GB/T 9704-2012, 5.2)."""
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
"""Page margins in millimetres (GB/T 9704-2012, 5.2.2: 版心 156 × 225 mm)."""
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TITLE_PT = 22.0  # 2号
BODY_PT = 16.0  # 3号
TABLE_PT = 12.0  # 小4号
PAGE_NUMBER_PT = 14.0  # 4号
LINE_PT = 28.95  # 225 mm of 版心 / 22 lines
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]

ITEM_COLUMNS = ("item", "requirement", "self", "computed", "verdict", "value", "threshold", "flags")
"""The summary columns each section's table of 逐项评估情况 shows, in order."""
_EVIDENCE = ("self", "computed", "verdict", "value", "threshold", "source", "flags")
_ZH_NUMBERS = "一二三四五六七八九十"


def write_docx(
    report: Report,
    path: str | os.PathLike[str],
    *,
    lang: str = "zh",
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] = (),
    load: LoadLike | None = None,
    gaps: GapList | None = None,
    problems_per_code: int | None = LISTED_PER_CODE,
) -> Path:
    """Write the report as a Word 自查报告 draft (see the module docstring).

    Args:
        report: the evaluated report.
        path: the ``.docx`` file to write.
        lang: ``"zh"`` or ``"en"``.
        provenance: the run's provenance (the annex), or ``None``.
        problems: the data problems of the run.
        load: the load accounting (rows read, used, rejected) and its notes, or ``None``.
        gaps: the county's 整改清单 (:func:`eduint.engine.gaps.gaps` of the same rule set
            and county), or ``None`` (the section then says none was made).
        problems_per_code: list at most this many data problems of each code and count
            the rest (``None``: every one).

    Returns:
        The path written.

    Raises:
        MissingDependencyError: python-docx is not installed (``pip install
            'eduint[docx]'``).
        ValueError: unknown ``lang``.
        OSError: the file cannot be written.
    """
    lg = check_lang(lang)
    docx = need("docx", "--format docx", "python-docx")
    model = build_document(
        report, provenance=provenance, problems=problems, load=load, per_code=problems_per_code
    )
    w = _Writer(docx.Document(), lg)
    w.setup()
    w.front(report, model)
    w.overall(model)
    w.items(report, model)
    w.not_met(report, model)
    w.gap_list(gaps)
    w.sections_of("docx.problems", model, ("problems", "notices"))
    w.sections_of("docx.other", model, ("warnings", "provisional", "overrides"))
    w.annex(model)
    target = Path(path)
    w.doc.save(str(target))
    return target


def _zh_number(n: int) -> str:
    """一 … 十, 十一 … 九十九 (a report has far fewer headings)."""
    if n <= 10:
        return _ZH_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _ZH_NUMBERS[tens - 1]
    return head + "十" + (_ZH_NUMBERS[ones - 1] if ones else "")


class _Writer:
    """Draws document blocks into a python-docx document, fonts set on every run."""

    def __init__(self, doc: Any, lang: Lang) -> None:
        from docx.enum.text import WD_LINE_SPACING
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        self.doc = doc
        self.lang = lang
        self.qn, self.Mm, self.Pt, self.exact = qn, Mm, Pt, WD_LINE_SPACING.EXACTLY
        self.h1_count = 0
        self.h2_count = 0

    # ------------------------------------------------------------ fonts and page

    def font(self, rpr_owner: Any, east_asia: str, size: float | None, bold: bool = False) -> None:
        """Latin and East Asian font (and size) of a run or a style."""
        f = rpr_owner.font
        f.name = LATIN_FONT
        if size is not None:
            f.size = self.Pt(size)
        f.bold = bold
        rfonts = rpr_owner._element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(self.qn(theme), None)  # a theme font would win over ours
        rfonts.set(self.qn("w:eastAsia"), east_asia)

    def run(self, par: Any, text: str, east_asia: str, size: float, bold: bool = False) -> Any:
        """Add a run of ``text`` with its fonts."""
        r = par.add_run(text)
        self.font(r, east_asia, size, bold)
        return r

    def setup(self) -> None:
        """Page size and margins, the default and heading styles, the page number."""
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = self.Mm(PAGE_MM[0]), self.Mm(PAGE_MM[1])
        sec.top_margin = self.Mm(MARGINS_MM["top"])
        sec.bottom_margin = self.Mm(MARGINS_MM["bottom"])
        sec.left_margin = self.Mm(MARGINS_MM["left"])
        sec.right_margin = self.Mm(MARGINS_MM["right"])
        sec.footer_distance = self.Mm(21)  # the number sits about 7 mm below the 版心
        defaults = self.doc.styles.element.find(self.qn("w:docDefaults"))
        rfonts = defaults.find(
            f"{self.qn('w:rPrDefault')}/{self.qn('w:rPr')}/{self.qn('w:rFonts')}"
        )
        if rfonts is not None:
            rfonts.attrib.clear()
            rfonts.set(self.qn("w:ascii"), LATIN_FONT)
            rfonts.set(self.qn("w:hAnsi"), LATIN_FONT)
            rfonts.set(self.qn("w:eastAsia"), BODY_FONT)
        normal = self.doc.styles["Normal"]
        self.font(normal, BODY_FONT, BODY_PT)
        self.spacing(normal.paragraph_format)
        for name, face in (("Heading 1", HEADING_FONT), ("Heading 2", HEADING2_FONT)):
            style = self.doc.styles[name]
            self.font(style, face, BODY_PT)
            style.font.color.rgb = None
            style.font.bold = False
            self.spacing(style.paragraph_format)
        self.page_number(sec.footer)

    def spacing(self, pf: Any, line: float = LINE_PT) -> None:
        """A fixed line and no space before or after."""
        pf.line_spacing_rule = self.exact
        pf.line_spacing = self.Pt(line)
        pf.space_before = self.Pt(0)
        pf.space_after = self.Pt(0)

    def page_number(self, footer: Any) -> None:
        """``— 1 —``, 4号 宋体, centred: a PAGE field between two dashes."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement

        par = footer.paragraphs[0]
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.run(par, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
        for kind in ("begin", "instr", "end"):
            r = self.run(par, "", PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(self.qn("xml:space"), "preserve")
                el.text = " PAGE "
            else:
                el = OxmlElement("w:fldChar")
                el.set(self.qn("w:fldCharType"), kind)
            r._element.append(el)
        self.run(par, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_PT)

    # ------------------------------------------------------------ blocks

    def text(self, cell: Cell) -> str:
        return cell_text(cell, self.lang)

    def para(self, text: str, *, indent: bool = True, bold: bool = False) -> Any:
        """A body paragraph (仿宋 3号), its first line indented two characters."""
        par = self.doc.add_paragraph()
        if indent:
            par.paragraph_format.first_line_indent = self.Pt(2 * BODY_PT)
        self.run(par, text, BODY_FONT, BODY_PT, bold)
        return par

    def h1(self, key: str) -> None:
        """一级标题: ``一、总体结论`` (黑体)."""
        self.h1_count += 1
        self.h2_count = 0
        n = _zh_number(self.h1_count) if self.lang == "zh" else str(self.h1_count)
        title = say("docx.h1", self.lang, n=n, title=say(key, self.lang))
        par = self.doc.add_paragraph(style="Heading 1")
        par.paragraph_format.first_line_indent = self.Pt(2 * BODY_PT)
        self.run(par, title, HEADING_FONT, BODY_PT)

    def h2(self, title: str) -> None:
        """二级标题: ``（一）一 学校建设`` (楷体)."""
        self.h2_count += 1
        n = _zh_number(self.h2_count) if self.lang == "zh" else str(self.h2_count)
        par = self.doc.add_paragraph(style="Heading 2")
        par.paragraph_format.first_line_indent = self.Pt(2 * BODY_PT)
        self.run(par, say("docx.h2", self.lang, n=n, title=title), HEADING2_FONT, BODY_PT)

    def table(self, heads: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A table (小4号 仿宋, header row 黑体 repeated on every page), its columns
        as wide as their text allows within the 156 mm of the 版心."""
        from docx.oxml import OxmlElement

        t = self.doc.add_table(rows=1 + len(rows), cols=len(heads))
        t.style = self.doc.styles["Table Grid"]
        t.autofit = False
        widths = _widths([heads, *rows])
        for r_i, texts in enumerate([heads, *rows]):
            row = t.rows[r_i]
            for c_i, text in enumerate(texts):
                cell = row.cells[c_i]
                cell.width = self.Mm(widths[c_i])
                par = cell.paragraphs[0]
                self.spacing(par.paragraph_format, TABLE_PT * 1.25)
                if text:
                    face = HEADING_FONT if r_i == 0 else BODY_FONT
                    self.run(par, text, face, TABLE_PT)
        header = OxmlElement("w:tblHeader")
        t.rows[0]._tr.get_or_add_trPr().append(header)
        for col, width in zip(t.columns, widths, strict=True):
            col.width = self.Mm(width)

    def doc_table(self, table: Table, keys: Sequence[str] | None = None) -> None:
        """A document table, its columns ``keys`` (default: all), cells as text."""
        idx = [table.column(k) for k in keys] if keys is not None else range(len(table.columns))
        heads = [self.text(table.columns[i].header) for i in idx]
        rows = [[self.text(row[i]) for i in idx] for row in table.rows]
        self.table(heads, rows)

    def blocks(self, section: Section) -> None:
        """A section's tables, lists and paragraphs (its title as a paragraph)."""
        if section.title is not None:
            self.para(self.text(section.title))
        for block in section.blocks:
            if isinstance(block, Table):
                if block.rows:
                    self.doc_table(block)
            elif isinstance(block, Lines):
                for c in block.items:
                    self.para(self.text(c))
            elif isinstance(block, Para):
                self.para(self.text(block.cell))

    # ------------------------------------------------------------ parts

    def front(self, report: Report, model: Document) -> None:
        """The title, the county line and the draft note."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        shown = report.ruleset_title or report.ruleset_id
        if self.lang == "en" and report.ruleset_title_en:
            shown = report.ruleset_title_en
        title = say("docx.title", self.lang, county=report.county, title=shown)
        par = self.doc.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.spacing(par.paragraph_format, 35.0)  # a 2号 title line
        self.run(par, title, TITLE_FONT, TITLE_PT)
        self.para("", indent=False)
        sub = self.para(self.text(model.subtitle), indent=False)
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.para(say("docx.draft", self.lang))

    def overall(self, model: Document) -> None:
        """一、总体结论: the overall line, then each section's verdict."""
        self.h1("docx.overall")
        overall = model.section("overall")
        if overall is not None:
            self.blocks(overall)
        for table in model.tables("sections"):
            self.doc_table(table)

    def items(self, report: Report, model: Document) -> None:
        """二、逐项评估情况: each top-level section's items, in the rule set's order."""
        self.h1("docx.items")
        (summary,) = model.tables("summary")
        groups: dict[str, list[tuple[Cell, ...]]] = {}
        for item, row in zip(report.items, summary.rows, strict=True):
            groups.setdefault(item.section[0] if item.section else "", []).append(row)
        titles = {s.id: s for s in report.sections}
        for key, rows in groups.items():
            if len(groups) > 1 or key:
                s = titles.get(key)
                label = key or say("docx.other_items", self.lang)
                if s is not None and s.title and s.title != s.id:
                    label = f"{s.id} {s.title_en if self.lang == 'en' and s.title_en else s.title}"
                if s is not None:
                    label = say(
                        "labelled", self.lang, label=label, text=self.text(Verdict(s.outcome))
                    )
                self.h2(label)
            self.doc_table(Table(summary.columns, tuple(rows)), ITEM_COLUMNS)

    def not_met(self, report: Report, model: Document) -> None:
        """三、未达到的项目及依据: each item not met, its evidence and entities."""
        self.h1("docx.not_met")
        (summary,) = model.tables("summary")
        detail = model.tables("detail")
        shown = 0
        for item, row in zip(report.items, summary.rows, strict=True):
            if item.headline is not Outcome.NOT_MET:
                continue
            shown += 1
            self.h2(_item_title(item, self.lang))
            facts = [
                (
                    self.text(summary.columns[summary.column(k)].header),
                    self.text(row[summary.column(k)]),
                )
                for k in _EVIDENCE
            ]
            self.table(
                [say("h.key", self.lang), say("h.val", self.lang)], [f for f in facts if f[1]]
            )
            for table in detail:
                mine = tuple(r for r in table.rows if r[0] == Plain(item.id))
                if mine:
                    keys = [c.key for c in table.columns[1:]]
                    self.doc_table(Table(table.columns, mine), keys)
        if not shown:
            self.para(say("docx.none_not_met", self.lang))

    def gap_list(self, gaps: GapList | None) -> None:
        """四、整改清单: the record engine's gap list, in reporting/gaps.py's words."""
        from eduint.reporting import gaps as words

        self.h1("docx.gaps")
        if gaps is None:
            self.para(say("docx.no_gaps", self.lang))
            return
        if not gaps.gaps:
            self.para(words._w("none", self.lang))
        for key, group in words._grouped(gaps):
            e = group[0].entity
            head = f"{e.name or key}（{key}）" if key is not None else words._w("county", self.lang)
            if self.lang == "en" and key is not None:
                head = f"{e.name or key} ({key})"
            self.h2(head)
            for line in words._section(group, self.lang):
                # the list's own indents: a rule and entity at two spaces, its failing
                # comparison, fixes and re-checks below it
                depth = (len(line) - len(line.lstrip(" "))) // 2
                par = self.para(line.strip(), bold=depth <= 1)
                if depth > 2:
                    par.paragraph_format.left_indent = self.Pt(BODY_PT * (depth - 2))

    def sections_of(self, key: str, model: Document, keys: Sequence[str]) -> None:
        """One 一级标题 over the document's sections ``keys`` (those it has)."""
        shown = [s for s in model.sections if s.key in keys]
        if not shown:
            return
        self.h1(key)
        for s in shown:
            self.blocks(s)

    def annex(self, model: Document) -> None:
        """The annex: the provenance table (rule set, county, files, SHA-256)."""
        prov = model.section("provenance")
        if prov is None:
            return
        par = self.doc.add_paragraph(style="Heading 1")
        self.run(par, say("docx.annex", self.lang), HEADING_FONT, BODY_PT)
        for table in (b for b in prov.blocks if isinstance(b, Table)):
            self.doc_table(table)


def _item_title(item: ItemResult, lang: Lang) -> str:
    title = item.title_en if lang == "en" and item.title_en else item.title
    return f"{item.id} {title}" if title and title != item.id else item.id


def _widths(rows: Sequence[Sequence[str]]) -> list[float]:
    """Column widths in millimetres summing to the 版心's 156 mm: each column gets a
    share by its widest text (capped, so one long column cannot starve the rest), at
    least 12 mm."""
    n = len(rows[0])
    want = [min(max((display_width(r[i]) for r in rows), default=1), 40) + 2 for i in range(n)]
    total = sum(want)
    widths = [max(TEXT_WIDTH_MM * w / total, 12.0) for w in want]
    scale = TEXT_WIDTH_MM / sum(widths)
    return [w * scale for w in widths]
