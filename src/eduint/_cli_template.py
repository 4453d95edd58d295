"""``eduint template``: an XLSX input template for a rule set (imported when the
command runs, see ``eduint.cli._LAZY_COMMANDS``)."""

from __future__ import annotations

from pathlib import Path

import click

from eduint import _cli_check, api, reporting
from eduint._cli_files import fail
from eduint.checking.resolver import UnknownRuleSetError
from eduint.errors import RuleDiagnosticsError

__all__ = ["template_command"]


@click.command(name="template")
@click.option(
    "--rules",
    "rules_name",
    required=True,
    metavar="NAME|PATH",
    help="The rule set whose fields the template asks for.",
)
@click.option(
    "--layout",
    type=click.Choice(["long", "wide"]),
    default="long",
    show_default=True,
    help="long: one school row per segment (学段 column); wide: one row per "
    "school, 小学…/初中… columns.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the notes and the 说明 sheet (zh: Chinese with the English labels).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The .xlsx file to write.",
)
@click.pass_context
def template_command(
    ctx: click.Context, rules_name: str, layout: str, lang: str, output: Path
) -> None:
    """Write an XLSX input template for a rule set.

    Sheets 县区, 学校, 班级 (when the rules read classes) and 自评 with the headers the
    rule set reads (units in the headers and in a note on each), drop-down lists for
    学校类型, 城乡分类, 学段 and 自评, and a sheet 说明 explaining every column. Fill it
    in and run `eduint check FILE --rules NAME`.
    """
    from eduint.data import spreadsheets

    try:
        rules = api.read_rules(rules_name)
    except UnknownRuleSetError as exc:
        fail(ctx, _cli_check.unknown_rules_message(exc))
    except RuleDiagnosticsError as exc:
        fail(ctx, _cli_check.rules_error_message(exc))
    if rules.warnings:
        click.echo(rules.warnings, err=True)
    try:
        spreadsheets.write_template(
            rules.ruleset,
            output,
            words=reporting.template_words(lang),
            layout="wide" if layout == "wide" else "long",
        )
    except OSError as exc:
        fail(ctx, f"error: {output}: cannot write the template: {exc.strerror or exc}")
    click.echo(reporting.say("wrote", reporting.check_lang(lang), path=output))
