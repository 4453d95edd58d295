"""Private: replacing part of a checked value, for ``override value`` and ``relax value``.

A provincial file replaces a parent's value whole, one key of it (``差异系数上限.初中``,
``公用经费.东部.小学``), or the part of its time line a period covers (``from 2020-01-01
until 2020-12-31``), or one key within a period.  The functions here build the new
checked value; they raise :class:`ReplaceError` for what the parent's value does not
have (a key it lacks, a period where nothing is in force), which the checker reports.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import attrs

from eduint.checking.ruleset import (
    DatedValue,
    KeyedEntryValue,
    KeyedValue,
    Origin,
    PeriodValue,
    RExpr,
    SourceRef,
)

__all__ = ["ReplaceError", "Stamp", "at_keys", "keys_lost", "replace_value"]

_DAY = datetime.timedelta(days=1)


class ReplaceError(Exception):
    """The parent's value has no such key, or no period in force there.

    Attributes:
        code: the diagnostic code (``E106`` an unknown key, ``E316`` a key not kept).
        message: one line; hint: what to do.
    """

    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


@attrs.frozen
class Stamp:
    """What a replaced entry or period records: its citations, provisional marker and
    origin (the child's file and line)."""

    sources: tuple[SourceRef, ...] = ()
    provisional: str | None = None
    provisional_en: str | None = None
    origin: Origin | None = None


def at_keys(e: RExpr, keys: Sequence[str]) -> RExpr | None:
    """The part of a value at ``keys`` (outermost first; through the first period of a
    dated value), or ``None`` when the value lacks one of them."""
    for k in keys:
        while isinstance(e, DatedValue):
            first = next((p.value for p in e.periods if p.value is not None), None)
            if first is None:
                return None
            e = first
        if not isinstance(e, KeyedValue):
            return None
        found = next((x.value for x in e.entries if k in x.keys), None)
        if found is None:
            return None
        e = found
    return e


def replace_value(
    old: RExpr,
    keys: tuple[str, ...],
    period: tuple[datetime.date | None, datetime.date | None] | None,
    new: RExpr,
    stamp: Stamp,
) -> RExpr:
    """``old`` with ``new`` in place of the part at ``keys`` within ``period``.

    Args:
        old: the parent's checked value.
        keys: the keys replaced, outermost first (empty: the whole value).
        period: ``(first day, last day)`` replaced (``None`` ends open), or ``None`` for
            the whole time line.  A value that was not dated becomes dated: the
            parent's value before and after the period, the new one within it.
        new: the child's checked value.
        stamp: what the new entry or period records.

    Raises:
        ReplaceError: a key the value does not have (``E106``), or keys replaced within
            a period in which nothing is in force (``E106``).
    """
    if period is not None:
        dated = old if isinstance(old, DatedValue) else _as_dated(old)
        return _overlay(dated, period, keys, new, stamp)
    if not keys:
        return new
    return _replace_key(old, keys, new, stamp)


def _as_dated(e: RExpr) -> DatedValue:
    """A value that is not dated, as one period open at both ends."""
    origin = getattr(e, "origin", None)
    return DatedValue((PeriodValue(None, None, e, origin=origin),), e.type, span=e.span)


def _replace_key(e: RExpr, keys: tuple[str, ...], new: RExpr, stamp: Stamp) -> RExpr:
    k, rest = keys[0], keys[1:]
    if isinstance(e, DatedValue):
        periods = tuple(
            attrs.evolve(p, value=_replace_key(p.value, keys, new, stamp))
            if p.value is not None
            else p
            for p in e.periods
        )
        return attrs.evolve(e, periods=periods)
    if not isinstance(e, KeyedValue):
        raise ReplaceError("E106", f"the value is not keyed: it has no key '{k}'")
    entries: list[KeyedEntryValue] = []
    hit = False
    for x in e.entries:
        if k not in x.keys:
            entries.append(x)
            continue
        hit = True
        others = tuple(y for y in x.keys if y != k)
        if others:
            entries.append(attrs.evolve(x, keys=others))
        if rest:  # a key deeper down changes: the entry keeps its own marks
            entries.append(
                attrs.evolve(x, keys=(k,), value=_replace_key(x.value, rest, new, stamp))
            )
        else:
            entries.append(
                KeyedEntryValue(
                    (k,),
                    new,
                    stamp.sources,
                    stamp.provisional,
                    stamp.provisional_en,
                    origin=stamp.origin,
                )
            )
    if not hit:
        have = ", ".join(y for x in e.entries for y in x.keys)
        raise ReplaceError("E106", f"it has no key '{k}' (keys: {have})", f"use one of: {have}")
    return attrs.evolve(e, entries=tuple(entries))


def _overlay(
    d: DatedValue,
    period: tuple[datetime.date | None, datetime.date | None],
    keys: tuple[str, ...],
    new: RExpr,
    stamp: Stamp,
) -> DatedValue:
    """The periods of ``d`` cut at the edges of ``period``; within it, the new value (or
    the periods' values with ``keys`` replaced)."""
    a, b = period
    out: list[PeriodValue] = []
    touched = False
    for p in d.periods:
        if a is not None and (p.start is None or p.start < a):  # the part before
            end = a - _DAY if p.end is None or p.end >= a else p.end
            out.append(attrs.evolve(p, end=end))
        if b is not None and (p.end is None or p.end > b):  # the part after
            start = b + _DAY if p.start is None or p.start <= b else p.start
            out.append(attrs.evolve(p, start=start))
        lo = _later(p.start, a)
        hi = _earlier(p.end, b)
        if lo is not None and hi is not None and hi < lo:
            continue  # no overlap
        if keys:
            touched = True
            if p.value is None:
                raise ReplaceError(
                    "E106", f"the period from {lo or '…'} is report_only: it has no keys"
                )
            value = _replace_key(p.value, keys, new, stamp)
            out.append(attrs.evolve(p, start=lo, end=hi, value=value))
    if keys and not touched:
        raise ReplaceError(
            "E106",
            f"no period is in force from {a or 'the start'} until {b or 'further notice'}",
            "replace the whole value, or give a period the parent's value covers",
        )
    if not keys:
        out.append(
            PeriodValue(
                a,
                b,
                new,
                stamp.sources,
                stamp.provisional,
                stamp.provisional_en,
                span=new.span,
                origin=stamp.origin,
            )
        )
    ordered = sorted(out, key=lambda p: p.start or datetime.date.min)
    return attrs.evolve(d, periods=tuple(ordered))


def _later(x: datetime.date | None, y: datetime.date | None) -> datetime.date | None:
    if x is None:
        return y
    return x if y is None else max(x, y)


def _earlier(x: datetime.date | None, y: datetime.date | None) -> datetime.date | None:
    if x is None:
        return y
    return x if y is None else min(x, y)


def keys_lost(old: RExpr, new: RExpr) -> list[str]:
    """The keys of ``old`` a whole-value replacement ``new`` does not keep: where
    ``new`` is keyed by the same kind as ``old`` at the same level, each of ``old``'s keys
    must have an entry (recursively); a ``new`` that is not keyed covers every key.

    Returns:
        The keys lost, as dotted paths (``初中``, ``东部.小学``), in ``old``'s order.
    """
    lost: list[str] = []
    _lost(old, new, (), lost)
    return list(dict.fromkeys(lost))


def _overlap(a: PeriodValue, b: PeriodValue) -> bool:
    """Whether two dated periods share a day (``None``: open-ended)."""
    return (a.start is None or b.end is None or a.start <= b.end) and (
        b.start is None or a.end is None or b.start <= a.end
    )


def _lost(old: RExpr, new: RExpr, at: tuple[str, ...], out: list[str]) -> None:
    if isinstance(new, DatedValue) and isinstance(old, DatedValue):
        # period by period: a period of the new value need keep only the keys of the
        # parent's periods it overlaps (keyed by region in 2016, by segment from 2017)
        for p in new.periods:
            for q in old.periods:
                if p.value is not None and q.value is not None and _overlap(p, q):
                    _lost(q.value, p.value, at, out)
        return
    if isinstance(new, DatedValue):
        for p in new.periods:
            if p.value is not None:
                _lost(old, p.value, at, out)
        return
    if isinstance(old, DatedValue):
        for p in old.periods:
            if p.value is not None:
                _lost(p.value, new, at, out)
        return
    if not isinstance(old, KeyedValue) or not isinstance(new, KeyedValue):
        return
    if new.kind != old.kind:
        out.extend(".".join((*at, k)) for x in old.entries for k in x.keys)
        return
    for x in old.entries:
        for k in x.keys:
            match = next((y.value for y in new.entries if k in y.keys), None)
            if match is None:
                out.append(".".join((*at, k)))
            else:
                _lost(x.value, match, (*at, k), out)
