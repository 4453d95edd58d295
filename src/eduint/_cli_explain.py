"""``eduint explain DATA --rules R RULE [--entity ID]``: how one rule came out, from the
data's cells to the verdict (issue 20).

The county is evaluated once as ``eduint check`` does, then once more with the
evaluation trace on (:func:`eduint.engine.evaluator.evaluate` with ``trace=True``); the
:class:`~eduint.engine.explain.Explanation` of the rule for the entity is printed in
words (:mod:`eduint.reporting.explain`) or as JSON.  Exit 0 when explained; 2 for a user
error (an unknown rule or entity, with near names; a file that cannot be read).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from eduint import _cli_check

__all__ = ["explain_command"]


@click.command(name="explain")
@click.argument("data", type=click.Path(path_type=Path))
@click.argument("rule")
@click.option(
    "--rules",
    "rules_name",
    metavar="NAME|PATH",
    help="The rule set: a bundled one's name or a rule file. Default: the one the data names.",
)
@click.option(
    "--entity",
    metavar="ID",
    help="The entity: a school's 学校代码 or name, a school segment (SX004/初中, or the "
    "school and its segment), a county segment (小学). Default: the county, or for a rule "
    "per entity the first one not met.",
)
@_cli_check.lang_option("the explanation")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: in words; json: the structured explanation.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE|SCHOOL-YEAR",
    callback=_cli_check.as_of_callback,
    help="Evaluate at this date (2018-12-31) or school year. Default: the data's date.",
)
@_cli_check.MAPPING_OPTION
@_cli_check.COMPLETE_OPTION
@click.pass_context
def explain_command(
    ctx: click.Context,
    data: Path,
    rule: str,
    rules_name: str | None,
    entity: str | None,
    lang: str,
    fmt: str,
    as_of: datetime.date | None,
    mapping_file: Path | None,
    complete: bool,
) -> None:
    """Explain how RULE came out for one entity of the county in DATA.

    RULE is a rule's id or its Chinese title. The explanation names every input figure
    with the file, sheet, row, column and cell text it came from, every value computed
    from them (sums, ratios, per-student and per-100 figures, each 差异系数 with its
    schools, weights, mean and variance), the comparison and the verdict, and each
    threshold with its citation, period and the rule file that set it (national or
    provincial).
    """
    import eduint
    from eduint import _cli_check
    from eduint.checking.resolver import UnknownRuleSetError
    from eduint.engine import evaluator
    from eduint.errors import EduintError, RuleDiagnosticsError
    from eduint.reporting.explain import dump, explain_text

    try:
        result = eduint.run(
            rules_name,
            data,
            as_of=as_of,
            mapping=mapping_file,
            name=str(data),
            complete=complete,
            resolver=_cli_check.resolver_for((), Path(rules_name) if rules_name else None, data),
        )
    except UnknownRuleSetError as exc:
        click.echo(_cli_check.unknown_rules_message(exc), err=True)
        ctx.exit(2)
    except RuleDiagnosticsError as exc:
        click.echo(_cli_check.rules_error_message(exc), err=True)
        ctx.exit(2)
    if len(result.counties) != 1:
        raise EduintError(
            f"error: {data}: explain works on one county; the data has {len(result.counties)} "
            "(give a file of one county)"
        )
    county = result.counties[0]
    if county.load is None:  # pragma: no cover - a county read from a file has its load
        raise AssertionError("a county read from a file has its load")
    report = evaluator.evaluate(
        result.ruleset,
        county.load.county,
        as_of=as_of,
        trace=True,
        cells=county.load.provenance,
    )
    x = report.explain(rule, entity)
    if fmt == "json":
        dump(x, lang, lambda text: click.echo(text, nl=False))
    else:
        click.echo(explain_text(x, lang), nl=False)
