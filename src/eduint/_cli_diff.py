"""``eduint diff RULES_A RULES_B DATA``: the verdicts two rule sets (or two dates) give.

Both sides are evaluated with the columnar engine on the same data (a national table
read once; county files read once per side, each with its rule set's extra fields), and
every entity whose verdict differs is listed with the value and threshold of each side's
headline comparison (:func:`eduint.engine.columnar.whatif.diff`, :mod:`eduint.reporting.whatif`).
``RULES_B`` may be ``RULES_A`` itself with ``--as-of-b``: one rule set at two dates.
Exit status 0 when no verdict differs, 1 when some does, 2 for a user error.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from eduint import _cli_check
from eduint._cli_files import fail
from eduint._cli_sweep import evaluation_errors, frame, read_data, write
from eduint.checking.resolver import UnknownRuleSetError
from eduint.errors import RuleDiagnosticsError

__all__ = ["diff_command"]


@click.command(name="diff")
@click.argument("rules_a", metavar="RULES_A")
@click.argument("rules_b", metavar="RULES_B")
@click.argument("data", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE|SCHOOL-YEAR",
    callback=_cli_check.as_of_callback,
    help="Evaluate side A (and side B, unless --as-of-b) at this date or school "
    "year. Default: the date the data declares (a national table needs one).",
)
@click.option(
    "--as-of-b",
    "as_of_b",
    metavar="DATE|SCHOOL-YEAR",
    callback=_cli_check.as_of_callback,
    help="Evaluate side B at this date instead: with RULES_B = RULES_A, one rule set at two dates.",
)
@_cli_check.COMPLETE_OPTION
@_cli_check.MAPPING_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table: counts per rule, then the changes (see --limit); csv: one row "
    "per change; json: a document (eduint_diff_version 1).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    metavar="N",
    help="table: list at most N changes (0: all).",
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
def diff_command(
    ctx: click.Context,
    rules_a: str,
    rules_b: str,
    data: Path,
    as_of: datetime.date | None,
    as_of_b: datetime.date | None,
    complete: bool,
    mapping_file: Path | None,
    fmt: str,
    limit: int,
    output: Path | None,
    lang: str,
    rule_roots: tuple[Path, ...],
) -> None:
    """List the entities whose verdict differs between two rule sets.

    RULES_A and RULES_B are rule files or bundled rule sets (a provincial file against
    the national one it extends, say); give the same one twice with --as-of and
    --as-of-b to compare two dates. For every county, county segment, school (segment)
    and class whose verdict of a rule both sets have differs: the rule, the entity, the
    verdicts A → B and each side's value and threshold. Rules one set only has are
    listed as added or removed. See docs/whatif.md.
    """
    from eduint import api
    from eduint.engine.columnar import evaluate_many
    from eduint.engine.columnar.whatif import diff
    from eduint.reporting import whatif

    resolver = _cli_check.resolver_for(rule_roots, Path(rules_a), Path(rules_b), data)
    date_b = as_of_b if as_of_b is not None else as_of
    try:
        ra = api.read_rules(rules_a, resolver=resolver)
        rb = ra if rules_b == rules_a else api.read_rules(rules_b, resolver=resolver)
        da = read_data(data, ra, mapping=mapping_file, complete=complete, resolver=resolver)
        if da.national is not None or rb is ra:
            db = da
        else:
            db = read_data(data, rb, mapping=mapping_file, complete=complete, resolver=resolver)
        fa = frame(ra.ruleset, da, complete=complete, as_of=as_of)
        fb = frame(rb.ruleset, db, complete=complete, as_of=date_b)
        a = evaluation_errors(lambda: evaluate_many(ra.ruleset, fa, as_of))
        b = evaluation_errors(lambda: evaluate_many(rb.ruleset, fb, date_b))
        result = diff(a, b)
    except UnknownRuleSetError as exc:
        fail(ctx, _cli_check.unknown_rules_message(exc))
    except RuleDiagnosticsError as exc:
        fail(ctx, _cli_check.rules_error_message(exc))
    if fmt == "json":
        text = whatif.dumps(whatif.diff_dict(result, lang))
    elif fmt == "csv":
        text = whatif.diff_csv(result, lang)
    else:
        text = whatif.diff_text(
            result, lang, width=_cli_check.terminal_width(), limit=limit or None
        )
    write(text, output, lang)
    ctx.exit(1 if result.changes else 0)
