"""``eduint test`` and ``eduint testgen``: the rule author's test commands.

``eduint test PATH…`` runs rule-test files (``NAME.tests.yaml``; a rule file names its
sibling; a directory: every test file under it), optionally measuring threshold
coverage (``--coverage``) and the mutation score (``--mutate``).  It exits 0 when every
case passes and, with the options, coverage and score are 100 %; 1 otherwise; 2 for a
user error (a test file or rule file that cannot be read).
"""

from __future__ import annotations

from pathlib import Path

import click
import yaml

__all__ = ["test_command", "testgen_command"]


@click.command(name="test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--coverage",
    "with_coverage",
    is_flag=True,
    help="Measure threshold coverage (both sides of each threshold, per key and period).",
)
@click.option(
    "--mutate",
    is_flag=True,
    help="Make mutants of each rule file and report the share the tests kill.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the output.",
)
def test_command(paths: tuple[Path, ...], with_coverage: bool, mutate: bool, lang: str) -> None:
    """Run the rule tests in PATHS (test files, rule files or directories)."""
    from eduint.authoring.cases import AuthoringError, find_test_files, load_test_file
    from eduint.authoring.coverage import coverage
    from eduint.authoring.mutation import mutation_score
    from eduint.authoring.report import coverage_text, msg, mutation_text, result_text
    from eduint.authoring.runner import run_file

    files = find_test_files(list(paths))
    bad = 0
    errors = 0
    for path in files:
        try:
            test = load_test_file(path)
            result = run_file(test, lang)
        except AuthoringError as exc:
            # a broken test file is reported in the user's language; the others still run
            click.echo(exc.text(lang), err=True)
            bad += 1
            errors += 1
            continue
        ok = result.passed
        lines = result_text(result, lang)
        if with_coverage:
            cov = coverage(result.ruleset, test)
            lines += coverage_text(cov, lang)
            if cov.ratio is not None and cov.ratio < 1:
                ok = False
                lines.append(msg("below", lang, what=msg("coverage_word", lang)))
        if mutate and not result.passed:
            lines.append(msg("no_mutation", lang))
        if mutate and result.passed:
            mut = mutation_score(result.ruleset, test)
            lines += mutation_text(mut, lang)
            if mut.survived:
                ok = False
                lines.append(msg("below", lang, what=msg("mutation_word", lang)))
        bad += not ok
        click.echo("\n".join(lines))
    click.echo(
        msg("summary_bad", lang, bad=bad, n=len(files))
        if bad
        else msg("summary_ok", lang, n=len(files))
    )
    if errors == len(files):
        click.get_current_context().exit(2)
    if bad:
        click.get_current_context().exit(1)


@click.command(name="testgen")
@click.argument("rules", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write (default: NAME.tests.yaml beside the rule file; '-' for standard output).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def testgen_command(rules: Path, output: Path | None, lang: str) -> None:
    """Write boundary cases for RULES from its exact thresholds, as a test file to edit."""
    from eduint.authoring.boundary import generate
    from eduint.authoring.cases import SUFFIX, TestFile
    from eduint.authoring.report import msg
    from eduint.authoring.runner import load_rules

    ruleset = load_rules(TestFile(rules, rules, ()))
    data, skipped = generate(ruleset, lang)
    for s in skipped:
        click.echo(_skip_line(s, lang), err=True)
    target = output or rules.with_name(rules.name.removesuffix(".rules") + SUFFIX)
    if not data["cases"]:
        # an empty ``cases:`` is a file ``eduint test`` rejects: write nothing
        click.echo(msg("nothing_generated", lang, rules=rules, target=target.name), err=True)
        click.get_current_context().exit(1)
    text = "# " + msg("generated_by", lang, rules=rules.name) + "\n"
    text += yaml.safe_dump(
        {"rules": rules.name, **data}, allow_unicode=True, sort_keys=False, width=200
    )
    if output is not None and str(output) == "-":
        click.echo(text, nl=False)
    else:
        target.write_text(text, encoding="utf-8")
        click.echo(msg("wrote", lang, path=target, n=len(data["cases"])))


def _skip_line(text: str, lang: str) -> str:
    """A skipped rule (``RULE: reason`` from :func:`~eduint.authoring.boundary.generate`)
    in the user's language."""
    from eduint.authoring.report import msg

    rule, _, why = text.rpartition(": ")
    if why.startswith("scope "):
        scope = why.split()[1]
        applies = msg("skip_applies", lang) if "applies when" in why else ""
        why = msg("skip_scope", lang, scope=scope, applies=applies)
    elif why.endswith(" of an unsupported form"):
        why = msg("skip_" + why.split()[0], lang)
    return msg("skipped", lang, rule=rule, why=why)
