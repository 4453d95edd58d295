"""The summary rows as CSV, with the provenance beside it as JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from eduint.engine.results import Report
from eduint.reporting._common import (
    _SUMMARY_HEADERS,
    Provenance,
    _check_lang,
    _headers,
)
from eduint.reporting._safe import spreadsheet_safe
from eduint.reporting.rows import summary_rows


def _csv_safe(value: str) -> str:
    """A CSV cell that spreadsheet programs never run as a formula
    (:func:`eduint.reporting._safe.spreadsheet_safe`)."""
    return spreadsheet_safe(value)


def write_csv(
    report: Report,
    path: str | Path,
    *,
    lang: str = "zh",
    provenance: Provenance | None = None,
) -> tuple[Path, ...]:
    """Write the summary rows as CSV, UTF-8 with a byte-order mark (Excel opens it as UTF-8).

    When ``provenance`` is given, it is written beside the CSV as JSON, to
    ``path.with_suffix(".provenance.json")`` (``report.csv`` → ``report.provenance.json``).

    Args:
        report: the evaluated report.
        path: the CSV file to write (replaced if it exists).
        lang: ``"zh"`` or ``"en"`` headers and words.
        provenance: where the report came from.

    Returns:
        The files written: the CSV, then the provenance file if any.

    Raises:
        OSError: a file cannot be written.
        ValueError: unknown ``lang``.
    """
    lg = _check_lang(lang)
    target = Path(path)
    rows = summary_rows(report, lang=lg)
    with target.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=_headers(_SUMMARY_HEADERS, lg))
        writer.writeheader()
        writer.writerows({k: _csv_safe(v) for k, v in row.items()} for row in rows)
    written = [target]
    if provenance is not None:
        side = target.with_suffix(".provenance.json")
        side.write_text(
            json.dumps(provenance.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        written.append(side)
    return tuple(written)
