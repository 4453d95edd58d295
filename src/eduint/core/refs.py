"""References that results and reasons carry: which entity, which field.

Language-neutral: an :class:`EntityRef` holds the names *from the data* and the segment
as the data gives it (``小学``); reporting composes the display name in the output
language (``育人小学 小学`` / ``育人小学 primary``) through the message catalogue.
Lives in :mod:`eduint.core` because :class:`~eduint.core.values.Reason` arguments hold
these and every phase reads them.

The documented order of entities
    Reports list entities sorted by :meth:`EntityRef.sort_key`, the :func:`natural_key`
    of the entity's :attr:`~EntityRef.key`: school id (digit runs by value, so ``S2``
    comes before ``S10``), then segment in school order (小学, 初中, 高中), then class
    number or size band.  Keys are built from the data's ids and names only, never from
    positions in the input, so shuffling the schools or classes of a county changes no
    key and no order.
"""

from __future__ import annotations

import re

import attrs

__all__ = ["SEGMENT_ORDER", "EntityRef", "FieldRef", "natural_key"]

#: Segment words in school order: a key component that is one of these sorts by this
#: rank (小学 before 初中 before 高中), not by its characters' code points.
SEGMENT_ORDER: dict[str, int] = {"小学": 0, "初中": 1, "高中": 2}

_RUNS = re.compile(r"(\d+)|(\D+)")
_SEP = (0, 0, "/")
#: Digit runs longer than this (an id no one writes, but data is untrusted) are not
#: converted: Python refuses ``int()`` of more than 4,300 digits (issue 14).
_MAX_RUN = 4000
_LONG_RUN: int = 10**_MAX_RUN


def _run_value(digits: str) -> int:
    """A digit run's value; a run of more than 4,000 significant digits is ordered after
    every shorter one, by its length (ties: by its text, the key's third part)."""
    significant = digits.lstrip("0")
    if len(significant) <= _MAX_RUN:
        try:
            return int(significant or "0")
        except ValueError:  # thousands of leading zeros of another script
            pass
    return _LONG_RUN + len(significant)


def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key that orders digit runs by value (``S2`` before ``S10``), then text.

    The text is read as ``/``-separated components.  Each component becomes one triple
    per run: ``(1, value, digits)`` for a run of digits, ``(2, rank, word)`` for a whole
    component that is a segment word (:data:`SEGMENT_ORDER`), ``(3, 0, text)`` for other
    text; components are separated by ``(0, 0, "/")``, so ``S1`` sorts before
    ``S1/小学`` and ``S1/…`` before ``S1x``.  The triples keep the text, so two different
    strings never get the same key (``S01`` and ``S1`` differ by their digits' text).

    Args:
        text: the key (``"S001/小学/3"``).

    Returns:
        The key, comparable with any other key of this function.
    """
    out: list[tuple[int, int, str]] = []
    for i, part in enumerate(text.split("/")):
        if i:
            out.append(_SEP)
        rank = SEGMENT_ORDER.get(part)
        if rank is not None:
            out.append((2, rank, part))
            continue
        for digits, text_run in _RUNS.findall(part):
            out.append((1, _run_value(digits), digits) if digits else (3, 0, text_run))
    return tuple(out)


@attrs.frozen(slots=True, order=False)
class EntityRef:
    """Which entity a result or a reason is about.

    Attributes:
        scope: ``"county"``, ``"county_segment"``, ``"school"``, ``"segment"`` or ``"class"``
            (the values of :class:`eduint.checking.schema.ScopeKind`).
        key: a stable id that sorts entities in the documented order (school id, then
            segment, then class number or band): ``"S001"``, ``"S001/小学"``,
            ``"S001/小学/3"``, ``"S001/小学/56-65"``; the county's code (or name) for the
            county and ``"<code>/小学"`` for a county segment.  Reports list entities
            sorted by :func:`natural_key` of this key, never in input order.  A class's
            number is its place in the segment's classes sorted by grade, name and
            figures (not its place in the input), so it does not change when the
            classes are listed in another order.
        name: the county's or school's name as the data gives it (its id when unnamed).
        segment: the segment as the data gives it (``"小学"``), or ``None``.
        part: a class's name or number, or a size band's bounds (``"56–65"``, ``"66–"``),
            or ``None``.
        band: True when ``part`` is a size band (a row standing for several classes).
        where: the data path (``schools[2].segments.小学``), for locating it in the input.
            Provenance: it depends on the input's order and takes no part in equality.
    """

    scope: str
    key: str
    name: str | None
    segment: str | None = None
    part: str | None = None
    band: bool = False
    where: str = attrs.field(default="", eq=False)

    def sort_key(self) -> tuple[tuple[int, int, str], ...]:
        """The documented order: :func:`natural_key` of :attr:`key`."""
        return natural_key(self.key)


@attrs.frozen(slots=True)
class FieldRef:
    """A data field named in a reason or an input.

    Attributes:
        name: the field's English name (``students``, or a declared extra field's name).
        label: its Chinese label, or ``None``.
        label_en: its English label, or ``None``.
    """

    name: str
    label: str | None = None
    label_en: str | None = None
