"""How ``eduint check`` shows a run: format dispatch, files, the county summary, messages.

The job itself (rule sets, data, evaluation, overrides, provenance) is
:func:`eduint.run`; this module prints and writes what it returns, exactly as the
command always has: text formats to stdout (or ``--output``), CSV and XLSX to files,
data problems and warnings to stderr, and for several counties a heading before each
report and a county × item summary at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import click

from eduint import reporting
from eduint.api import CountyResult, RunResult
from eduint.checking.resolver import UnknownRuleSetError
from eduint.engine.results import Report
from eduint.errors import RuleDiagnosticsError

__all__ = [
    "FILE_FORMATS",
    "FORMATS",
    "Output",
    "rules_error_message",
    "show_run",
    "unknown_rules_message",
]

FORMATS = ("table", "simple", "github", "grid", "plain", "html", "json", "csv", "xlsx")
"""The values of ``--format``."""

FILE_FORMATS = ("csv", "xlsx")
"""The formats that always write files."""


@attrs.frozen
class Output:
    """How to show the reports (the ``check`` command's output options).

    Attributes:
        fmt: one of :data:`FORMATS`.
        lang: ``"zh"`` or ``"en"``.
        output: the file to write, or ``None`` for stdout (CSV/XLSX: a default name).
        detail: text formats: add the detail and computation notes.
        wrap: text formats: wrap cells wider than this many display cells.
    """

    fmt: str
    lang: str
    output: Path | None = None
    detail: bool = False
    wrap: int | None = None


def show_run(result: RunResult, out: Output, *, data_stem: str, strict: bool) -> int:
    """Show every county of a run; return the exit code.

    With several counties, a heading goes before each text report on stdout and a
    county × item summary after the last; the exit code is the worst over the counties.
    """
    if len(result.counties) == 1:
        _show(result.counties[0], out, data_stem, "")
        return result.exit_code(strict=strict)
    for n, one in enumerate(result.counties, start=1):
        code = one.report.county_code or str(n)
        if out.fmt not in FILE_FORMATS and out.output is None:
            click.echo(f"==== {one.report.county}（{code}）====")
        _show(one, out, data_stem, f"-{code}")
    click.echo(counties_summary(result.reports, out.lang))
    return result.exit_code(strict=strict)


def _show(one: CountyResult, out: Output, data_stem: str, suffix: str) -> None:
    """Show one county's report in the chosen format."""
    if out.fmt in FILE_FORMATS:
        target = (
            _suffixed(out.output, suffix)
            if out.output is not None
            else Path(f"{data_stem}{suffix}-report.{out.fmt}")
        )
        _write_files(one, out, target)
        return
    report = one.report
    text = _render_text(one, out)
    if out.output is not None:
        _write_text(_suffixed(out.output, suffix), text)
        click.echo(f"wrote {_suffixed(out.output, suffix)}")
        click.echo(reporting.overall_line(report, lang=out.lang))
    else:
        click.echo(text, nl=False)


def _write_files(one: CountyResult, out: Output, target: Path) -> None:
    """CSV or XLSX: write the file(s), say so, and put the problems on stderr."""
    report, problems = one.report, one.problems
    if out.fmt == "csv":
        written = reporting.write_csv(report, target, lang=out.lang, provenance=one.provenance)
        summary = data_summary(one.load, out.lang)
        if problems or summary:
            click.echo(problems_text(problems, out.lang, summary), err=True)
        for w in report.warnings:
            click.echo(f"warning: {w}", err=True)
    else:
        written = (
            reporting.write_xlsx(
                report, target, lang=out.lang, provenance=one.provenance, problems=problems
            ),
        )
        if problems:
            click.echo(
                f"{len(problems)} data problem(s): see the sheet "
                f"{'数据问题' if out.lang == 'zh' else 'Data problems'}",
                err=True,
            )
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(reporting.overall_line(report, lang=out.lang))


def _render_text(one: CountyResult, out: Output) -> str:
    """The report as JSON, HTML or a text format."""
    report, problems = one.report, one.problems
    if out.fmt == "json":
        return reporting.dump_json(report, provenance=one.provenance, problems=problems)
    if out.fmt == "html":
        return reporting.html_report(
            report, lang=out.lang, problems=problems, provenance=one.provenance
        )
    return reporting.text_report(
        report,
        lang=out.lang,
        fmt="simple" if out.fmt == "table" else out.fmt,
        problems=problems,
        detail=out.detail,
        data_summary=data_summary(one.load, out.lang),
        wrap=out.wrap,
    )


def _suffixed(path: Path, suffix: str) -> Path:
    """``report.xlsx`` with ``-330101`` → ``report-330101.xlsx`` (one file per county)."""
    return path.with_name(f"{path.stem}{suffix}{path.suffix}") if suffix else path


def _write_text(path: Path, text: str) -> None:
    """Write a report file as UTF-8 (``\\n`` line ends)."""
    path.write_bytes(text.encode("utf-8"))


def counties_summary(reports: Sequence[Report], lang: str) -> str:
    """The county × item table of headlines, for a workbook of several counties."""
    items: list[str] = []
    for r in reports:
        items += [i for i in r.headlines() if i not in items]
    rows = []
    for r in reports:
        heads = r.headlines()
        shown = [
            "" if (o := heads.get(i)) is None else (o.value if lang == "zh" else o.english)
            for i in items
        ]
        overall = (
            "" if r.overall is None else (r.overall.value if lang == "zh" else r.overall.english)
        )
        rows.append([r.county, r.county_code or "", overall, *shown])
    head = (
        ["县区", "代码", "总体", *items] if lang == "zh" else ["county", "code", "overall", *items]
    )
    title = "各县区汇总" if lang == "zh" else "Summary by county"
    return f"{title}\n" + reporting.table(rows, head)


def data_summary(result: Any, lang: str) -> str | None:
    """A line with the rows read, used and rejected, when the load result counts them."""
    counts = {k: getattr(result, k, None) for k in ("rows_read", "rows_used", "rows_rejected")}
    if all(v is None for v in counts.values()):
        return None
    labels = (
        {"rows_read": "读取", "rows_used": "采用", "rows_rejected": "拒绝"}
        if lang == "zh"
        else {"rows_read": "read", "rows_used": "used", "rows_rejected": "rejected"}
    )
    if lang == "zh":
        shown = [f"{labels[k]} {v} 行" for k, v in counts.items() if v is not None]
        return "，".join(shown)
    return ", ".join(f"rows {labels[k]}: {v}" for k, v in counts.items() if v is not None)


def problems_text(problems: Sequence[Any], lang: str, summary: str | None) -> str:
    """The data problems as a heading line and a table, for stderr."""
    head = (
        f"数据问题（共 {len(problems)} 条）" if lang == "zh" else f"Data problems ({len(problems)})"
    )
    lines = [head]
    if summary:
        lines.append(summary)
    if problems:
        lines.append(reporting.problems_table(problems, lang=lang))
    return "\n".join(lines)


def unknown_rules_message(exc: UnknownRuleSetError) -> str:
    """What ``eduint check --rules NAME`` shows for a name nothing has."""
    hint = f" (did you mean '{exc.suggestion}'?)" if exc.suggestion else ""
    return (
        f"error: --rules {exc.name}: no such rule file or bundled rule set{hint}; "
        f"bundled rule sets: {exc.bundled}"
    )


def rules_error_message(exc: RuleDiagnosticsError) -> str:
    """What ``eduint check`` shows for rules or an override that do not check: the
    diagnostics, then one line naming the rule file (or ``--set``)."""
    file = next(iter(exc.sources), None) or next(
        (d.span.file for d in exc.diagnostics if d.span is not None), "rules"
    )
    if file == "--set":
        return f"{exc}\nerror: --set: the override does not check; nothing was evaluated"
    return f"{exc}\nerror: {file}: the rules do not check; nothing was evaluated"
