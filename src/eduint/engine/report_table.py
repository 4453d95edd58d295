"""A single county's :class:`~eduint.engine.results.Report` as a table: one row per
item, part and rule (its headline) and one per entity outcome.

:meth:`Report.to_arrow` and :meth:`Report.to_pandas` call :func:`report_arrow`;
pyarrow (and pandas) are imported only then.  Columns: ``county_code``, ``county``,
``item`` (the item, part or rule id), ``row`` (``item`` for the item's own row,
``entity`` for an entity's), ``scope``, ``entity`` (the entity's key), ``name``,
``segment``, ``part`` (a class or size band), ``outcome`` (the word: 达到 …) and
``outcome.code`` (1 达到, 2 基本达到, 3 缺少数据, 4 未达到, 5 不适用, null for none),
``computed`` and ``self`` (an item's row: the computed outcome and the county's own
word), ``value`` and ``threshold`` (the headline comparison's sides as float64 in
``unit``, null where unknown or a range), ``op``, ``reason`` (the first reason code).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eduint.engine.results import Comparison, Quantity, Report

__all__ = ["report_arrow", "report_rows"]

_CODES = {"达到": 1, "基本达到": 2, "缺少数据": 3, "未达到": 4, "不适用": 5}


def _number(q: Quantity | None) -> float | None:
    """A comparison side as a float in its unit (``None``: unknown, or a range of
    figures; an approximate figure or a bracketed 差异系数 as its middle)."""
    from fractions import Fraction

    from eduint.core.values import Interval

    if q is None:
        return None
    x = q.value
    if isinstance(x, Interval):
        if not (x.bracket or x.lo == x.hi):
            return None
        x = (Fraction(x.lo) + Fraction(x.hi)) / 2
    return float(Fraction(x) / q.unit.scale)


def _sides(c: Comparison | None) -> tuple[float | None, float | None, str | None, str | None]:
    if c is None:
        return None, None, None, None
    unit = c.right.unit if c.right is not None else c.left.unit if c.left is not None else None
    return _number(c.left), _number(c.right), c.op, (unit.text or None) if unit else None


def report_rows(report: Report) -> list[dict[str, Any]]:
    """The rows (see the module doc), items in report order, each followed by its
    entities."""
    rows: list[dict[str, Any]] = []
    base = {"county_code": report.county_code, "county": report.county}
    for it in report.items:
        value, threshold, op, unit = _sides(it.evidence)
        rows.append(
            {
                **base,
                "item": it.id,
                "row": "item",
                "scope": None,
                "entity": None,
                "name": None,
                "segment": None,
                "part": None,
                "outcome": it.headline.value if it.headline is not None else None,
                "computed": it.computed.value if it.computed is not None else None,
                "self": it.self_status.value if it.self_status is not None else None,
                "value": value,
                "threshold": threshold,
                "op": op,
                "unit": unit,
                "reason": it.reasons[0].code.value if it.reasons else None,
            }
        )
        for e in it.entities:
            value, threshold, op, unit = _sides(e.evidence)
            ref = e.entity
            rows.append(
                {
                    **base,
                    "item": it.id,
                    "row": "entity",
                    "scope": ref.scope,
                    "entity": ref.key,
                    "name": ref.name,
                    "segment": ref.segment,
                    "part": ref.part,
                    "outcome": e.outcome.value if e.outcome is not None else None,
                    "computed": None,
                    "self": None,
                    "value": value,
                    "threshold": threshold,
                    "op": op,
                    "unit": unit,
                    "reason": e.reasons[0].code.value if e.reasons else None,
                }
            )
    for r in rows:
        r["outcome.code"] = _CODES.get(r["outcome"] or "")
    return rows


_COLUMNS = (
    "county_code",
    "county",
    "item",
    "row",
    "scope",
    "entity",
    "name",
    "segment",
    "part",
    "outcome",
    "outcome.code",
    "computed",
    "self",
    "value",
    "threshold",
    "op",
    "unit",
    "reason",
)


def report_arrow(report: Report) -> Any:
    """The report as a ``pyarrow.Table`` (see the module doc).

    Raises:
        ImportError: pyarrow is not installed (the message says how to install it).
    """
    from eduint.engine._optional import need

    pa = need("pyarrow", "to_arrow()")
    rows = report_rows(report)
    types = {"outcome.code": pa.int8(), "value": pa.float64(), "threshold": pa.float64()}
    return pa.table(
        {k: pa.array([r[k] for r in rows], type=types.get(k, pa.string())) for k in _COLUMNS}
    )
