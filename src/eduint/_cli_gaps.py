"""``eduint gaps DATA --rules R``: the 整改清单, per school and per county.

Prints the list as text (``table``) or JSON, or writes a workbook (``xlsx``: one sheet
per school with a fix, then the county's own), from :func:`eduint.gaps`; ``html``: the
county's whole HTML report (tables, charts) with the list as its 整改清单 section
(``eduint check --format html`` does not search for fixes: the search re-evaluates the
county for every candidate fix).  Exit status:
0 when nothing is 未达到, 1 when something is (as ``eduint check``), 2 for a user error.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from eduint import _cli_check
from eduint._gaps_job import gaps_and_run
from eduint.reporting.gaps import gaps_json, gaps_text, write_gaps_xlsx
from eduint.reporting.words import check_lang

if TYPE_CHECKING:
    from eduint.api import RunResult
    from eduint.engine.gaps import GapList

__all__ = ["gaps_command"]


@click.command(name="gaps")
@click.argument("data", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--rules",
    "rules_name",
    metavar="NAME|PATH",
    help="The rule set: a rule file, or a bundled rule set by file stem or ruleset id. "
    "Needed unless the data file names its rules (`rules:`).",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE|SCHOOL-YEAR",
    callback=_cli_check.as_of_callback,
    help="Evaluate at this date or school year. Default: the date the data declares.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "xlsx", "html"]),
    default="table",
    show_default=True,
    help="table: the list as text; json: a document (eduint_gaps_version 1); xlsx: a "
    "workbook, one sheet per school with a fix and one for the county (see --output); "
    "html: the county's HTML report with its charts and the list (several counties: "
    "one file each, the county code added to --output's name).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of stdout. xlsx always writes a file: without "
    "--output, DATA-STEM-gaps.xlsx in the current directory.",
)
@_cli_check.lang_option("the list")
@_cli_check.COMPLETE_OPTION
@click.option(
    "--set",
    "set_args",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a setting or a named value for this run (as `eduint check --set`).",
)
@_cli_check.MAPPING_OPTION
@click.pass_context
def gaps_command(
    ctx: click.Context,
    data: Path,
    rules_name: str | None,
    as_of: datetime.date | None,
    fmt: str,
    output: Path | None,
    lang: str,
    complete: bool,
    set_args: tuple[str, ...],
    mapping_file: Path | None,
) -> None:
    """List what it would take to turn each 未达到 into 达到 (整改清单).

    For every rule that is 未达到 for a school segment, school, class or the county:
    the smallest change of one of the rule's own inputs a bureau can act on (teachers,
    rooms, area, equipment; never enrolment), in whole units; for the 6-of-7 + 85 %
    school rule the fewest indicators to bring up; for a 差异系数 over its limit each
    school's share of the variance and a plan raising the schools below the mean; for
    class-size limits the classes to add. Every fix listed was applied to a copy of the
    data and re-evaluated: the rule turns 达到, and one unit less does not. See
    docs/gaps.md.
    """
    lg = check_lang(lang)
    lists, result = gaps_and_run(
        rules_name,
        data,
        as_of=as_of,
        overrides=set_args,
        mapping=mapping_file,
        name=str(data),
        complete=complete,
    )
    if fmt == "html":
        _write_html(lists, result, output, lg)
    elif fmt == "xlsx":
        path = output or Path(f"{data.stem}-gaps.xlsx")
        write_gaps_xlsx(lists, path, lg)
        click.echo(str(path), err=True)
    else:
        text = gaps_json(lists, lg) if fmt == "json" else gaps_text(lists, lg)
        if output is not None:
            output.write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
    ctx.exit(1 if any(gl.gaps for gl in lists) else 0)


def _write_html(
    lists: Sequence[GapList], result: RunResult, output: Path | None, lang: str
) -> None:
    """Each county's HTML report with its gap list: to ``output`` (one county), to
    ``output`` with ``-CODE`` added (several), or to stdout without ``output``."""
    from eduint.reporting.html import html_report

    several = len(lists) > 1
    for gl, cr in zip(lists, result.counties, strict=True):
        page = html_report(
            cr.report,
            lang=lang,
            problems=cr.problems,
            provenance=cr.provenance,
            load=cr.load,
            gaps=(gl,),
        )
        if output is None:
            click.echo(page, nl=False)
            continue
        code = cr.report.county_code or cr.report.county
        path = output.with_name(f"{output.stem}-{code}{output.suffix}") if several else output
        path.write_bytes(page.encode("utf-8"))
        click.echo(str(path), err=True)
