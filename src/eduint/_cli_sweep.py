"""``eduint sweep DATA --rules R --vary NAME[.KEY]=LO:HI:STEP``: a threshold over a grid.

The data is read once (a national table into columns, county files county by county,
as ``eduint check --summary`` reads them: :mod:`eduint._cli_many`), its columnar frame
built once, and the rule set evaluated at every grid point with the value overridden
as ``--set`` overrides it (:func:`eduint.engine.columnar.whatif.sweep`).  Prints one row per
point and rule that reads the value: counties by verdict, entities 达到 of those judged
(:mod:`eduint.reporting.whatif`).  Exit status 0, or 2 for a user error.

:func:`read_data` and :func:`frame` are shared with ``eduint diff``.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from eduint import _cli_check
from eduint._cli_files import fail
from eduint.checking.resolver import UnknownRuleSetError
from eduint.errors import RuleDiagnosticsError

if TYPE_CHECKING:
    from eduint._cli_many import ManyData
    from eduint.api import LoadedRules
    from eduint.checking.ruleset import RuleSet
    from eduint.engine.columnar.frame import Frame

__all__ = ["frame", "read_data", "sweep_command", "write"]


def read_data(
    data: Path,
    rules: LoadedRules | None,
    *,
    mapping: Path | None,
    complete: bool,
    resolver: Any,
) -> ManyData:
    """Read ``data`` as ``eduint check --summary`` does (:func:`eduint._cli_many._read_many`).

    Raises:
        JobError, DataFileError: as ``eduint check`` raises them.
    """
    from eduint import _cli_many

    job = _cli_many.Job(
        data, str(data), None, None, (), mapping, complete, None, None, resolver, False, None, True
    )
    return _cli_many._read_many(job, rules, lambda n: None)


def frame(
    ruleset: RuleSet, data: ManyData, *, complete: bool, as_of: datetime.date | None
) -> Frame:
    """The columnar frame of the data read, under ``ruleset``'s settings.

    Raises:
        JobError: no county, or settings the national reader's frame does not take.
    """
    from eduint.api import JobError, choose_engine
    from eduint.engine.columnar.whatif import frame_for

    choose_engine("columnar", [])  # numpy installed, or a clear error
    if data.national is not None:
        from eduint.engine.columnar._values import Unsupported
        from eduint.engine.columnar.national import frame_of

        try:
            return frame_of(data.national, ruleset, complete=complete, as_of=as_of)
        except Unsupported as exc:
            raise JobError(f"error: {exc}: give the counties as county files") from None
    if not data.counties:
        raise JobError("error: no county to evaluate")
    return frame_for(ruleset, data.counties)


def write(text: str, output: Path | None, lang: str = "zh") -> None:
    """``text`` on stdout, or written to ``output`` (UTF-8) with a line saying so on
    stderr."""
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_bytes(text.encode("utf-8"))
    from eduint import reporting

    click.echo(reporting.say("wrote", reporting.check_lang(lang), path=output), err=True)


def evaluation_errors(action: Any) -> Any:
    """Run ``action()``; an evaluation error (no date) becomes a user error."""
    from eduint.api import JobError
    from eduint.engine.evaluator import EvaluationError

    try:
        return action()
    except EvaluationError as exc:
        raise JobError(f"error: {exc} (a national table has no dates: give --as-of)") from None


@click.command(name="sweep")
@click.argument("data", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--rules",
    "rules_name",
    metavar="NAME|PATH",
    help="The rule set: a rule file, or a bundled rule set by file stem or id. "
    "Needed unless the data file names its rules (`rules:`).",
)
@click.option(
    "--vary",
    "varies",
    multiple=True,
    required=True,
    metavar="VALUE[.KEY]=LO:HI:STEP",
    help="A named value (one key of a keyed value: 差异系数上限.小学) and its "
    "grid, exact decimals, HI included when on the grid: 0.40:0.60:0.05. A unit "
    "may follow the numbers (40人:50人:1人); a bare number takes the value's "
    "unit. Repeatable: every combination is evaluated (at most 200 points).",
)
@click.option(
    "--set",
    "set_args",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a setting or value for every point (as `eduint check --set`).",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE|SCHOOL-YEAR",
    callback=_cli_check.as_of_callback,
    help="Evaluate at this date or school year (needed for a national table).",
)
@_cli_check.COMPLETE_OPTION
@_cli_check.MAPPING_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "html"]),
    default="table",
    show_default=True,
    help="table: text; csv: one row per point and rule; json: a document (eduint_sweep_version "
    "1); html: a page with the table and a chart per rule of the counties met at each value.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of stdout.",
)
@_cli_check.lang_option("headers and verdicts")
@_cli_check.RULE_ROOT_OPTION
@click.pass_context
def sweep_command(
    ctx: click.Context,
    data: Path,
    rules_name: str | None,
    varies: tuple[str, ...],
    set_args: tuple[str, ...],
    as_of: datetime.date | None,
    complete: bool,
    mapping_file: Path | None,
    fmt: str,
    output: Path | None,
    lang: str,
    rule_roots: tuple[Path, ...],
) -> None:
    """Count the schools and counties that meet the rules at each value of a threshold.

    The data (a county file, a workbook, or a national table such as `eduint synth`
    writes) is read once and evaluated with the columnar engine at every point of the
    grid, the value overridden as `eduint check --set` overrides it. For the overall
    verdict and every rule that reads the value: the counties by verdict and the rule's
    entities (schools, school segments, county segments, classes) 达到 of those judged.
    See docs/whatif.md.
    """
    from eduint import api
    from eduint.checking.overrides import Assignment, apply_overrides
    from eduint.engine.columnar.whatif import parse_vary, sweep
    from eduint.reporting import whatif

    resolver = _cli_check.resolver_for(rule_roots, Path(rules_name) if rules_name else None, data)
    try:
        grids = [parse_vary(v) for v in varies]
        given = api.read_rules(rules_name, resolver=resolver) if rules_name else None
        many = read_data(data, given, mapping=mapping_file, complete=complete, resolver=resolver)
        ruleset, _ = apply_overrides(many.rules.ruleset, [Assignment.parse(s) for s in set_args])
        fr = frame(ruleset, many, complete=complete, as_of=as_of)
        result = evaluation_errors(lambda: sweep(ruleset, fr, grids, as_of))
    except UnknownRuleSetError as exc:
        fail(ctx, _cli_check.unknown_rules_message(exc))
    except RuleDiagnosticsError as exc:
        fail(ctx, _vary_message(exc, varies))
    if fmt == "json":
        text = whatif.dumps(whatif.sweep_dict(result, lang))
    elif fmt == "csv":
        text = whatif.sweep_csv(result, lang)
    elif fmt == "html":
        from eduint.reporting.html import sweep_html

        text = sweep_html(result, lang)
    else:
        text = whatif.sweep_text(result, lang, width=_cli_check.terminal_width())
    write(text, output, lang)


def _vary_message(exc: RuleDiagnosticsError, varies: tuple[str, ...]) -> str:
    """The diagnostics of a grid value that does not check (they name the ``--set``
    text of one point), then which ``--vary`` it came from."""
    text = _cli_check.rules_error_message(exc)
    if varies:
        text = text.rstrip("\n") + f"\n(from --vary {' --vary '.join(varies)})"
    return text
