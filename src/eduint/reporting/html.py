"""The report as one self-contained HTML page (a Jinja2 template; every value escaped).

The page draws the same document as every other format
(:func:`~eduint.reporting.build.build_document`): every section, the detail and the
provenance included.  It loads nothing from anywhere (no URL, no font import): the CJK
font stack (:data:`FONT_STACK`) names fonts an operating system already has.
Jinja2 is imported when a page is written.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eduint.engine.results import Outcome, Report
from eduint.reporting.build import LISTED_PER_CODE, DataProblemLike, LoadLike, build_document
from eduint.reporting.document import (
    Bound,
    Cell,
    Document,
    Lines,
    Num,
    Table,
    Verdict,
    cell_text,
)
from eduint.reporting.messages import Lang
from eduint.reporting.provenance import Provenance
from eduint.reporting.words import check_lang

if TYPE_CHECKING:
    import jinja2

__all__ = ["FONT_STACK", "document_html", "html_report"]

FONT_STACK = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)
"""The page's fonts: Chinese fonts of macOS, Windows and Linux, then any sans-serif."""

_TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


_OUTCOME_CSS = {Outcome.NOT_MET: "o-not-met", Outcome.NO_DATA: "o-no-data"}


def _css(cell: Cell) -> str:
    if isinstance(cell, (Num, Bound)):
        return "num"
    if isinstance(cell, Verdict) and cell.outcome is not None:
        return _OUTCOME_CSS.get(cell.outcome, "")
    return ""


def _block(block: Any, lang: Lang) -> dict[str, Any]:
    if isinstance(block, Table):
        return {
            "kind": "table",
            "headers": [cell_text(c.header, lang) for c in block.columns],
            "rows": [
                [{"text": cell_text(c, lang), "css": _css(c)} for c in row] for row in block.rows
            ],
        }
    if isinstance(block, Lines):
        return {"kind": "lines", "lines": [cell_text(c, lang) for c in block.items]}
    return {"kind": "para", "text": cell_text(block.cell, lang)}


def document_html(doc: Document, *, lang: str = "zh") -> str:
    """A document as an HTML page: every section, tables with their headers.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = check_lang(lang)
    sections = [
        {
            "key": s.key,
            # the data problems keep their heading when there are none (数据问题：无)
            "title": cell_text(s.title, lg)
            if s.title is not None
            else (cell_text(s.sheet, lg) if s.key == "problems" and s.sheet else ""),
            "blocks": [
                _block(b, lg) for b in s.blocks if not (isinstance(b, Table) and not b.rows)
            ],
        }
        for s in doc.sections
    ]
    page = (
        _environment()
        .get_template("report.html")
        .render(
            html_lang="zh-CN" if lg == "zh" else "en",
            title=cell_text(doc.title, lg),
            subtitle=cell_text(doc.subtitle, lg),
            sections=sections,
            font_stack=FONT_STACK,
        )
    )
    return page if page.endswith("\n") else page + "\n"


def html_report(
    report: Report,
    *,
    lang: str = "zh",
    problems: Sequence[DataProblemLike] = (),
    provenance: Provenance | None = None,
    load: LoadLike | None = None,
    problems_per_code: int | None = LISTED_PER_CODE,
) -> str:
    """The report as a standalone HTML page.

    Args:
        report: the evaluated report.
        lang: ``"zh"`` or ``"en"``.
        problems: the data problems to list.
        provenance: where the report came from, shown at the end when given.
        load: the load accounting (rows read, used, rejected).
        problems_per_code: list at most this many data problems of each code and count
            the rest (``None``: every one).

    Returns:
        The HTML document, ending in a newline.

    Raises:
        ValueError: unknown ``lang``.
    """
    doc = build_document(
        report, provenance=provenance, problems=problems, load=load, per_code=problems_per_code
    )
    return document_html(doc, lang=lang)
