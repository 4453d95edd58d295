"""Helpers for the columnar engine's tests: both engines' results in one comparable shape.

:func:`from_report` reads a record-engine :class:`~eduint.engine.results.Report`,
:func:`from_columns` a :class:`~eduint.engine.columnar.ColumnarResult`'s columns for one
county (never its ``report()``), into the same structure: the overall verdict, every
item's computed outcome and headline, and for every rule its entities' keys, outcomes
and first reason codes.
"""

from __future__ import annotations

from typing import Any

from eduint.engine.columnar import ColumnarResult
from eduint.engine.columnar._rules import OUTCOMES
from eduint.engine.columnar.frame import CODES, PopulationFrame
from eduint.engine.results import Report


def from_report(report: Report) -> dict[str, Any]:
    """The record engine's structured results for one county."""
    rules = {}
    for it in report.items:
        ents = sorted(
            (e.entity.scope, e.entity.key, e.outcome, e.reasons[0].code.value if e.reasons else None)
            for e in it.entities
        )
        rules[it.id] = (it.computed, it.headline, ents)
    return {"overall": report.overall, "rules": rules}


def from_columns(res: ColumnarResult, county: int, *, reasons: bool = True) -> dict[str, Any]:
    """The columnar engine's structured results for county ``county``, from its columns."""
    import numpy as np

    frame = res.frame
    assert isinstance(frame, PopulationFrame)
    pop = frame.pops[county]
    rules = {}
    for rid, head in res.headline.items():
        computed = OUTCOMES[int(res.computed[rid][county])]
        ents = []
        rc = res.rules.get(rid)
        if rc is not None:
            table = frame.tables[rc.scope]
            start = int(table.start[county])
            stop = int(table.start[county + 1])
            # a county-scope rule's report lists no entities: the county is the item
            rows = [] if rc.scope.value == "county" else np.flatnonzero(rc.entity[start:stop])
            for r in list(rows):
                ref = pop.tables[rc.scope].ref(r)
                code = int(rc.reason[start + r])
                ents.append((ref.scope, ref.key, OUTCOMES[int(rc.outcome[start + r])],
                             CODES[code].value if code >= 0 else None))
        rules[rid] = (computed, OUTCOMES[int(head[county])], sorted(ents, key=_key))
    return {"overall": res.overall_outcome(county), "rules": rules}


def _key(e: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple("" if x is None else str(x) for x in e)


def compare(res: ColumnarResult, reports: list[Report]) -> list[str]:
    """Every difference between the columns and the record engine's reports."""
    out = []
    for i, rep in enumerate(reports):
        a, b = from_report(rep), from_columns(res, i)
        if a["overall"] != b["overall"]:
            out.append(f"county {i}: overall {a['overall']} != {b['overall']}")
        for rid, (comp, head, ents) in a["rules"].items():
            got = b["rules"].get(rid)
            if got is None:
                out.append(f"county {i} {rid}: missing from the columns")
                continue
            if (comp, head) != got[:2]:
                out.append(f"county {i} {rid}: computed/headline {(comp, head)} != {got[:2]}")
            if sorted(ents, key=_key) != got[2] and res.rules.get(rid) is not None:
                out.append(f"county {i} {rid}: entities {sorted(ents, key=_key)[:4]} != {got[2][:4]}")
    return out
