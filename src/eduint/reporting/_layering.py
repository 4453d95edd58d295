"""The layering of a report (issue 15): what its rule set extends and what it changes.

For a rule set that extends another (a provincial file on the national one) the
document gains

* a ``layering`` section: one line naming the rule sets extended (nearest first, with
  their files), then a table of every change — its kind (override, relaxation, drop,
  replaced placeholder), what it changes, the period, the parent's rule text beside the
  child's, the strictness verdict, the citation, the expiry and whether it has lapsed
  (then the parent's rule applies), and where the change is written (file:line);
* a ``set_by`` column on the summary: for each item, the rule sets whose files set its
  requirement and the thresholds it reads (the national first).

A report of a rule set that extends none has neither: its documents are as before.
Every word is a catalogue entry (``layer.*``, ``h.*``); names, rule text, citations and
files are shown as written.
"""

from __future__ import annotations

from eduint.engine.results import ItemResult, Layer, LayerChange, Report, Text
from eduint.reporting.document import (
    Authored,
    Cell,
    Column,
    Date,
    Para,
    Period,
    Plain,
    Section,
    Setting,
    Table,
    say_cell,
    seq,
)

__all__ = ["SET_BY", "layering_section", "set_by_cell"]

SET_BY = Column("set_by", say_cell("h.set_by"))
"""The summary's column naming the rule sets that set each item (layered reports only)."""

_CHANGES = tuple(
    Column(k, say_cell(f"h.{k}"))
    for k in (
        "change_kind",
        "name",
        "period",
        "parent_rule",
        "child_rule",
        "verdict",
        "source",
        "until",
        "status",
        "location",
    )
)

_KINDS = ("override", "relax", "drop", "placeholder")
_TARGETS = ("rule", "value", "setting", "member")
_VERDICTS = ("stricter", "same", "looser", "undecided", "method", "placeholder")


def set_by_cell(item: ItemResult) -> Cell:
    """The rule sets that set an item's requirement and thresholds (``国家、广东``),
    each once, in the order :attr:`~eduint.engine.results.ItemResult.set_by` gives."""
    seen = list(dict.fromkeys(o.ruleset for o in item.set_by))
    return seq([Plain(r) for r in seen], "name_sep") if seen else None


def _parent_cell(layer: Layer) -> Cell:
    title: Cell = Authored(Text(layer.title, layer.title_en)) if layer.title else Plain(layer.id)
    return say_cell("layer.parent", title=title, id=layer.id, file=layer.file)


def _name_cell(c: LayerChange) -> Cell:
    """What the change changes: ``规则 差异系数_高学历教师``, a setting by its label."""
    name: Cell = Setting(c.name) if c.target == "setting" else Plain(c.name)
    if c.target not in _TARGETS:  # pragma: no cover - every target is worded
        return name
    return say_cell("layer.target", target=say_cell(f"layer.target.{c.target}"), name=name)


def _status_cell(c: LayerChange) -> Cell:
    if c.lapsed:
        return say_cell("layer.lapsed")
    return say_cell("layer.in_force")


def _rule_text(text: str, target: str) -> Cell:
    """Rule text as written; a setting's ``true``/``false`` worded (是/否, yes/no)."""
    if target == "setting" and text in ("true", "false"):
        return say_cell("yes" if text == "true" else "no")
    return Plain(text)


def _verdict_cell(c: LayerChange) -> Cell:
    """The proof's verdict; a ``relax`` that does not loosen (W302) says so, so that
    放宽 beside 更严 does not read as a contradiction."""
    verdict: Cell = (
        say_cell(f"layer.verdict.{c.verdict}") if c.verdict in _VERDICTS else Plain(c.verdict)
    )
    if c.kind == "relax" and c.verdict in ("stricter", "same"):
        return say_cell("layer.relax_unneeded", verdict=verdict)
    return verdict


def _change_row(c: LayerChange) -> tuple[Cell, ...]:
    where: Cell = None
    if c.origin is not None:
        line = f":{c.origin.line}" if c.origin.line is not None else ""
        where = Plain(c.origin.file + line)
    return (
        say_cell(f"layer.kind.{c.kind}") if c.kind in _KINDS else Plain(c.kind),
        _name_cell(c),
        Period(c.period.start, c.period.end) if c.period is not None else None,
        _rule_text(c.old, c.target) if c.old else None,
        _rule_text(c.new, c.target) if c.new else say_cell("layer.none"),
        _verdict_cell(c),
        Plain(str(c.because)) if c.because is not None else None,
        Date(c.until) if c.until is not None else None,
        _status_cell(c),
        where,
    )


def layering_section(report: Report) -> Section | None:
    """The ``layering`` section (see the module docstring), or ``None`` for a report
    whose rule set extends none."""
    if not report.extends:
        return None
    parents = seq([_parent_cell(p) for p in report.extends], "list_sep")
    blocks: list[Para | Table] = [
        Para(say_cell("layer.extends", ruleset=report.ruleset_id, parents=parents))
    ]
    relaxed = sum(1 for c in report.changes if c.kind in ("relax", "drop"))
    blocks.append(
        Para(
            say_cell(
                "layer.counts",
                n=len(report.changes),
                relaxed=relaxed,
                placeholders=sum(1 for c in report.changes if c.kind == "placeholder"),
                lapsed=sum(1 for c in report.changes if c.lapsed),
            )
        )
    )
    if report.changes:
        blocks.append(Table(_CHANGES, tuple(_change_row(c) for c in report.changes)))
    return Section("layering", say_cell("t.layering"), tuple(blocks), say_cell("t.layering_sheet"))
