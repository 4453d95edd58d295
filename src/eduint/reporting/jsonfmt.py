"""The report as a versioned JSON document (its schema: :mod:`eduint.reporting.schema`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from eduint.engine.results import Report
from eduint.reporting._common import (
    DataProblemLike,
    Provenance,
    _jsonable,
)

REPORT_SCHEMA_ID = "https://eduint.example/schemas/report-v1.json"
"""The ``schema`` value of every JSON report, and the ``$id`` of its JSON Schema."""

REPORT_VERSION = 1
"""The ``eduint_report_version`` of the JSON document this module writes."""


def _problem_json(p: DataProblemLike) -> dict[str, Any]:
    return {
        "file": p.file,
        "path": p.path,
        "field": p.field,
        "value": _jsonable(p.value),
        "message": p.message,
        "row": p.row,
        "sheet": p.sheet,
        "line": getattr(p, "line", None),
        "code": getattr(p, "code", None),
        "hint": getattr(p, "hint", None),
    }


def to_json(
    report: Report,
    *,
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] | None = None,
) -> dict[str, Any]:
    """The report as a versioned JSON document (a dict of JSON-ready values).

    Every field of :class:`~eduint.engine.results.Report` is a top-level key (``items``
    with every field of each :class:`~eduint.engine.results.ItemResult`, ``sections``,
    ``overall``, ``warnings``, ``provisional_values`` …).  Outcomes are their Chinese
    values (``"未达到"``); ``self_status`` is the county's own word (``"试行"``).

    Args:
        report: the evaluated report.
        provenance: where the report came from; ``null`` in the document when ``None``.
        problems: the data problems; the ``data_problems`` key is left out when ``None``.

    Returns:
        A dict with ``schema`` (:data:`REPORT_SCHEMA_ID`), ``eduint_report_version``
        (:data:`REPORT_VERSION`), the report's fields, optionally ``data_problems``,
        and ``provenance``.  It validates against :func:`report_json_schema`.
    """
    doc: dict[str, Any] = {"schema": REPORT_SCHEMA_ID, "eduint_report_version": REPORT_VERSION}
    body = _jsonable(report)
    if not body.get("overrides"):
        body.pop("overrides", None)  # listed only when the run had some (issue 12)
    doc.update(body)
    if problems is not None:
        doc["data_problems"] = [_problem_json(p) for p in problems]
    doc["provenance"] = provenance.to_dict() if provenance is not None else None
    return doc


def dump_json(
    report: Report,
    *,
    provenance: Provenance | None = None,
    problems: Sequence[DataProblemLike] | None = None,
) -> str:
    """:func:`to_json` as text: UTF-8 friendly (``ensure_ascii=False``), indented by 2,
    with a final newline."""
    doc = to_json(report, provenance=provenance, problems=problems)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
