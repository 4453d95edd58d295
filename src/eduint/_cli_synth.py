"""``eduint synth``: write the synthetic national data set (:mod:`eduint.testing.synth`,
issue 19).  numpy and pyarrow are imported only when the command runs."""

from __future__ import annotations

import time

import click

__all__ = ["synth_command"]


@click.command(name="synth")
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="1 ≈ 2,850 counties, 200,000 schools, 4.3 M classes; 0.01 ≈ 28 counties.")  # fmt: skip
@click.option("--seed", type=int, default=1, show_default=True, help="The random seed.")
@click.option("--output", "-o", required=True, metavar="FILE",
              help="The file to write (.parquet, .csv, .jsonl, .xlsx) or a folder (ending in /).")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl", "xlsx", "folder"]),
              default=None, help="The format (default: from the suffix of --output).")  # fmt: skip
def synth_command(scale: float, seed: int, output: str, fmt: str | None) -> None:
    """Write a synthetic national data set (not real data): one row per school segment,
    in eduint's column names, class sizes as the list column 班额. The same scale and seed
    give the same file. Needs numpy (eduint[columnar]); Parquet needs pyarrow
    (eduint[parquet]). See docs/synthetic.md.
    """
    from eduint.testing.synth import write_synth

    start = time.perf_counter()
    table = write_synth(output, scale, seed, fmt)
    m = table.meta
    click.echo(
        f"wrote {output}: {m['counties']:,} counties, {m['schools']:,} schools, "
        f"{m['rows']:,} rows, {m['classes']:,} classes (synthetic) in "
        f"{time.perf_counter() - start:.1f} s",
        err=True,
    )
