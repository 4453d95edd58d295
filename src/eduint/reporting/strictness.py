"""The strictness proof as text: the table ``eduint lint --strictness`` prints.

One row per key and dated period of every element a child rule set changes (settings,
values, rules; :func:`eduint.checking.proof.prove_ruleset`): the element, the key and
period, the parent's and the child's value or requirement there, the verdict and a short
summary of the counterexample.  Below the table, every part that is not ``same`` is
given in full — both texts, the reason, and the counterexample as a YAML data file the
author can paste into a test — and one line counts the verdicts.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from eduint.checking.proof import Element, Part, Proof, Verdict
from eduint.reporting.layout import display_width, draw_table

__all__ = [
    "FAILING",
    "strictness_rows",
    "strictness_text",
    "uncited",
]

#: Verdicts that need ``relax … because`` (a cited relaxation) in a child rule set.
FAILING = frozenset({Verdict.LOOSER, Verdict.UNDECIDED, Verdict.METHOD})

_HEADERS = ("element", "key / period", "parent", "child", "verdict", "counterexample")

#: Display cells a parent or child text may take in the table (longer text is cut, and
#: given in full below the table).
CELL_WIDTH = 44


def _cut(text: str, width: int = CELL_WIDTH) -> str:
    if display_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _pair(old: str, new: str) -> tuple[str, str]:
    """Two texts for the table: when either is too long, both from the first difference
    (after a common beginning, shown as ``…``), cut to :data:`CELL_WIDTH`."""
    if max(display_width(old), display_width(new)) <= CELL_WIDTH:
        return old, new
    common = 0
    for a, b in zip(old, new, strict=False):
        if a != b:
            break
        common += 1
    # back to the start of the comparison that differs (a word boundary)
    while common > 0 and old[common - 1] not in " [(,":
        common -= 1
    for op in ("<= ", ">= ", "== ", "!= ", "< ", "> "):  # keep the comparison's operator
        if old[:common].endswith(op):
            common -= len(op)
            break
    if common > 8:
        old, new = "…" + old[common:], "…" + new[common:]
    return _cut(old), _cut(new)


def _where(part: Part) -> str:
    return " ".join(x for x in (part.key, part.period) if x) or "—"


def _label(element: Element) -> str:
    return f"{element.kind} {element.name}"


def _cx_cell(part: Part) -> str:
    cx = part.counterexample
    if cx is None:
        return ""
    mark = "" if cx.verified else " (not verified)"
    return _cut(cx.summary, 60) + mark


def strictness_rows(
    results: Sequence[tuple[Element, Proof]],
    relaxed: Collection[str] = (),
    filled: Collection[str] = (),
) -> list[list[str]]:
    """The table rows: element, key/period, parent, child, verdict, counterexample.

    Args:
        results: what :func:`~eduint.checking.proof.prove_ruleset` returns.
        relaxed: names of elements a ``relax … because`` covers (their verdict is marked
            ``(relaxed)``).
        filled: names of the parent's placeholders the child fills in (marked
            ``(placeholder filled)``: a placeholder's replacement needs no proof).
    """
    rows: list[list[str]] = []
    for element, proof in results:
        parts = proof.parts or (Part(None, None, "", "", proof.verdict, proof.reason),)
        for part in parts:
            rows.append(
                [
                    _label(element),
                    _where(part),
                    *_pair(part.old, part.new),
                    part.verdict.value + _mark(element, proof, part, relaxed, filled),
                    _cx_cell(part),
                ]
            )
    return rows


def _mark(
    element: Element,
    proof: Proof,
    part: Part,
    relaxed: Collection[str],
    filled: Collection[str] = (),
) -> str:
    """``(relaxed)`` on the keys a relaxation covers that are looser, undecided or a
    change of method (not on keys the child leaves as they were); ``(placeholder
    filled)`` instead for a placeholder the child fills in; ``(does not loosen, W302)`` on
    the changed keys of a relaxed element that is in fact stricter."""
    if element.name in filled and part.verdict in FAILING:
        return " (placeholder filled)"
    if element.name not in relaxed:
        return ""
    if part.verdict in FAILING:
        return " (relaxed)"
    if proof.verdict is Verdict.STRICTER and part.verdict is Verdict.STRICTER:
        return " (does not loosen, W302)"
    return ""


def _details(results: Sequence[tuple[Element, Proof]]) -> list[str]:
    """Every part that is not ``same``, in full, with its counterexample as YAML."""
    lines: list[str] = []
    for element, proof in results:
        if proof.verdict is Verdict.SAME:
            continue
        parts = proof.parts or (Part(None, None, "", "", proof.verdict, proof.reason),)
        for part in parts:
            if part.verdict is Verdict.SAME:
                continue
            where = _where(part)
            lines.append("")
            lines.append(
                f"{_label(element)}"
                + (f" [{where}]" if where != "—" else "")
                + f": {part.verdict.value}"
            )
            if part.old or part.new:
                lines.append(f"  parent: {part.old}")
                lines.append(f"  child:  {part.new}")
            reason = part.reason or (proof.reason if len(parts) == 1 else None)
            if reason:
                lines.append(f"  reason: {reason}")
            cx = part.counterexample
            if cx is not None:
                state = "verified with the engine" if cx.verified else "NOT verified"
                lines.append(
                    f"  counterexample ({cx.scope.label}, {state}): the parent gives "
                    f"{cx.parent_outcome or '(no verdict)'}, the child "
                    f"{cx.child_outcome or '(no verdict)'} for {cx.rule}"
                    + (f"; {cx.summary}" if cx.summary else "")
                )
                lines.extend("    " + line for line in cx.yaml().rstrip("\n").split("\n"))
    return lines


def uncited(results: Sequence[tuple[Element, Proof]], relaxed: Collection[str] = ()) -> int:
    """How many elements are looser, undecided or a change of method without a ``relax``
    (``relaxed``: names of the elements a relaxation covers)."""
    return sum(1 for e, p in results if p.verdict in FAILING and e.name not in relaxed)


def strictness_text(
    results: Sequence[tuple[Element, Proof]],
    *,
    parent: str,
    child: str,
    relaxed: Collection[str] = (),
    filled: Collection[str] = (),
) -> str:
    """The whole ``lint --strictness`` output.

    Args:
        results: what :func:`~eduint.checking.proof.prove_ruleset` returns.
        parent, child: how to name the two rule sets in the heading.
        relaxed, filled: as for :func:`strictness_rows` (a filled placeholder counts as
            needing no relaxation).
    """
    lines = [f"strictness of {child} against {parent}"]
    if not results:
        lines.append("no setting, value or rule differs: same")
        return "\n".join(lines) + "\n"
    lines.append("")
    lines.append(draw_table(_HEADERS, strictness_rows(results, relaxed, filled), fmt="simple"))
    lines += _details(results)
    counts: dict[str, int] = {}
    for _, proof in results:
        counts[proof.verdict.value] = counts.get(proof.verdict.value, 0) + 1
    order = [v.value for v in Verdict if v.value in counts]
    summary = ", ".join(f"{counts[v]} {v}" for v in order)
    n = uncited(results, {*relaxed, *filled})
    cited = sum(
        1 for e, p in results if p.verdict in FAILING and e.name in relaxed and e.name not in filled
    )
    placeholders = sum(1 for e, p in results if p.verdict in FAILING and e.name in filled)
    excused = [f"{cited} relaxed with a citation"] if cited else []
    if placeholders:
        excused.append(f"{placeholders} placeholder(s) filled (no proof needed)")
    rest = "; ".join(excused) or "all at least as strict"
    lines.append("")
    lines.append(
        f"{len(results)} change(s): {summary}; "
        + (f"{n} not at least as strict without a relaxation" if n else rest)
    )
    return "\n".join(lines) + "\n"
