"""Parsing YAML and JSON text into :mod:`~eduint.data.loading.containers` trees.

YAML is read with PyYAML's safe parser (libyaml's when available): the file's *events*
are built into containers as they come (for line numbers and the scalar text as
written, so ``code: 0101`` stays ``"0101"``) and only the YAML core types are
constructed (``yaml.safe_load`` semantics; any other tag makes the file unreadable).
JSON numbers are read as :class:`~decimal.Decimal`.  Both count their values against
the ``values`` limit (:mod:`eduint.data.limits`).  This module is imported only when a
file is parsed.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

import yaml

from eduint.data.errors import DataFileError
from eduint.data.limits import DEPTH, Limits
from eduint.data.loading.containers import Map, Seq

__all__ = ["json_values", "parse_json", "parse_json_lines", "parse_yaml"]

_YAML = "tag:yaml.org,2002:"
_STR = _YAML + "str"
_INT = _YAML + "int"
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")  # as YAML 1.1 reads it: no 0o, 0x, 1_000
_RAW_TAGS = frozenset({_YAML + "int", _YAML + "float", _YAML + "bool", _YAML + "timestamp"})
#: The scalar tags a data file may use (the YAML core schema, as ``yaml.safe_load``).
_SCALAR_TAGS = _RAW_TAGS | {_STR, _YAML + "null", _YAML + "binary"}


def _loader() -> type[yaml.SafeLoader]:
    """libyaml's parser when PyYAML has it (ten times faster), else the pure one."""
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


class _YamlBuilder:
    """Build :class:`Map`/:class:`Seq` trees from YAML *events* (safe types only).

    No node tree is composed first: values are built as the parser reports them, so
    memory holds only the result, and the count of values (aliases expanded, counted
    at their full size) is checked as it grows.  An alias shares the value built for
    its anchor (the reader never changes a value).
    """

    def __init__(self, file: str, limit: Limits) -> None:
        self.file = file
        self.limits = limit
        self.constructor = yaml.SafeLoader("")
        self.resolver = yaml.resolver.Resolver()
        self.count = 0
        # anchor → (value, values it counts, the scalar's text, the scalar's raw text)
        self.anchors: dict[str, tuple[Any, int, str | None, str | None]] = {}
        self.open: set[str] = set()

    def fail(self, message: str, event: yaml.Event, code: str = "D001") -> DataFileError:
        """An error at ``event``'s position (1-based line and column)."""
        mark = event.start_mark
        if mark is None:  # pragma: no cover - parsers give every event its mark
            return DataFileError(self.file, message, code=code)
        return DataFileError(
            self.file, message, line=mark.line + 1, column=mark.column + 1, code=code
        )

    def too_many(self, ev: yaml.Event) -> DataFileError:
        """The error for more values than the limit (D005), where the count passed it."""
        what = f"the file holds {self.count:,} values by this line (YAML aliases expanded)"
        return self.fail(self.limits.exceeded("values", what, "refused"), ev, "D005")

    def document(self, events: Iterator[yaml.Event]) -> Any:
        """The value of the stream's single document (``None`` for an empty stream)."""
        next(events)  # StreamStartEvent
        ev = next(events)
        if isinstance(ev, yaml.StreamEndEvent):
            return None
        value, _raw, _text = self.value(next(events), events, 0)
        next(events)  # DocumentEndEvent
        ev = next(events)
        if not isinstance(ev, yaml.StreamEndEvent):
            raise self.fail(
                "cannot parse YAML: expected a single document in the stream, "
                "but found another document",
                ev,
            )
        return value

    def value(
        self, ev: yaml.Event, events: Iterator[yaml.Event], depth: int
    ) -> tuple[Any, str | None, str | None]:
        """The value starting at ``ev``: (value, its text as YAML typed it when it is a
        plain core-typed scalar, the scalar's text for a key)."""
        self.count += 1
        if self.count > self.limits.values:
            raise self.too_many(ev)
        if depth > DEPTH:
            raise self.fail(f"nested more than {DEPTH} levels deep", ev)
        cls = ev.__class__
        if cls is yaml.ScalarEvent:
            assert isinstance(ev, yaml.ScalarEvent)
            value, raw = self.scalar(ev)
            if ev.anchor:
                self.anchors[ev.anchor] = (value, 1, ev.value, raw)
            return value, raw, ev.value
        if cls is yaml.AliasEvent:
            assert isinstance(ev, yaml.AliasEvent)
            return self.alias(ev)
        if not isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            raise self.fail(f"cannot parse YAML: unexpected {type(ev).__name__}", ev)
        kind = "map" if cls is yaml.MappingStartEvent else "seq"
        if ev.tag not in (None, "!", _YAML + kind):
            raise self.fail(f"unsupported YAML tag {ev.tag!r}", ev)
        before = self.count
        if ev.anchor:
            self.open.add(ev.anchor)
        built = self.mapping(events, depth) if kind == "map" else self.sequence(events, depth)
        if ev.anchor:
            self.open.discard(ev.anchor)
            self.anchors[ev.anchor] = (built, self.count - before + 1, None, None)
        return built, None, None

    def alias(self, ev: yaml.AliasEvent) -> tuple[Any, str | None, str | None]:
        """The value an alias refers to, counted again at its full size."""
        if ev.anchor in self.open:
            raise self.fail("a YAML alias refers to a value that contains it", ev)
        found = self.anchors.get(ev.anchor or "")
        if found is None:
            raise self.fail(f"cannot parse YAML: found undefined alias {ev.anchor!r}", ev)
        value, size, text, raw = found
        self.count += size - 1
        if self.count > self.limits.values:
            raise self.too_many(ev)
        return value, raw, text

    def scalar(self, ev: yaml.ScalarEvent) -> tuple[Any, str | None]:
        """A scalar of the core schema: (value, its text when YAML typed it)."""
        tag = ev.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, ev.value, ev.implicit
            )
        if tag == _STR:
            return ev.value, None
        raw = ev.value if tag in _RAW_TAGS and not ev.style else None
        if tag == _INT and _DECIMAL.fullmatch(ev.value):  # most numbers: skip the rest
            try:
                return int(ev.value), raw
            except ValueError:  # more than 4,300 digits: the reader says what is wrong
                return ev.value, raw
        if tag not in _SCALAR_TAGS:
            raise self.fail(f"unsupported YAML tag {tag!r}", ev)
        start: Any = ev.start_mark  # libyaml's marks are marks too
        node = yaml.ScalarNode(tag, ev.value, start, start, ev.style)
        try:
            value = self.constructor.construct_object(node)
        except (ValueError, OverflowError):
            value = str(ev.value)  # e.g. 2018-02-30: YAML says timestamp, the calendar no
        return value, raw

    def key(self, ev: yaml.Event) -> tuple[str, bool]:
        """A mapping key as written, and whether it is a merge key (``<<``)."""
        if isinstance(ev, yaml.ScalarEvent):
            merge = bool(ev.implicit and ev.implicit[0]) and ev.tag is None and ev.value == "<<"
            return str(ev.value), merge or ev.tag == _YAML + "merge"
        if isinstance(ev, yaml.AliasEvent):
            found = self.anchors.get(ev.anchor or "")
            if found is not None and found[2] is not None:
                return found[2], False
        raise self.fail("a mapping key must be a plain value, not a list or mapping", ev)

    def mapping(self, events: Iterator[yaml.Event], depth: int) -> Map:
        """A mapping, merge keys (``<<``) applied; repeated own keys are remembered."""
        out = Map()
        merged: list[Map] = []
        own: list[tuple[str, Any, int, int, str | None]] = []
        end = yaml.MappingEndEvent
        for kev in events:
            if kev.__class__ is end:
                break
            key, merge = self.key(kev)
            vev = next(events)
            value, raw, _text = self.value(vev, events, depth + 1)
            if merge:
                merged.extend(self.merge_sources(value, vev))
            else:
                own.append((key, value, _line(kev), _line(vev), raw))
        for source in merged:  # merged keys may be overridden silently
            for key, value in source.items():
                out[key] = value
                out.lines[key] = source.lines[key]
                if key in source.raw:
                    out.raw[key] = source.raw[key]
                else:
                    out.raw.pop(key, None)
        own_keys: set[str] = set()
        for key, value, kline, vline, raw in own:
            if key in own_keys:
                out.duplicates.append((key, kline))
            own_keys.add(key)
            out[key] = value
            out.lines[key] = (kline, vline)
            if raw is not None:
                out.raw[key] = raw
            else:
                out.raw.pop(key, None)
        return out

    def merge_sources(self, value: Any, ev: yaml.Event) -> list[Map]:
        """The mappings a merge key brings in, the later first (the earlier of a list of
        mappings wins, as in ``yaml.safe_load``)."""
        if isinstance(value, Map):
            return [value]
        if isinstance(value, Seq) and all(isinstance(v, Map) for v in value):
            return list(reversed(value))
        raise self.fail("cannot parse YAML: expected a mapping or list of mappings for merging", ev)

    def sequence(self, events: Iterator[yaml.Event], depth: int) -> Seq:
        """A list, with each item's line and YAML-typed scalars' text."""
        out = Seq()
        end = yaml.SequenceEndEvent
        for ev in events:
            if ev.__class__ is end:
                break
            value, raw, _text = self.value(ev, events, depth + 1)
            if raw is not None:
                out.raw[len(out)] = raw
            out.append(value)
            out.lines.append(_line(ev))
        return out


def _events(text: str) -> Iterator[yaml.Event]:
    """The parser's events (``yaml.parse`` without its two calls an event)."""
    parser: Any = _loader()(text)
    try:
        get = parser.get_event
        while True:
            ev = get()
            yield ev
            if ev.__class__ is yaml.StreamEndEvent:
                return
    finally:
        parser.dispose()


def _line(ev: yaml.Event) -> int:
    """The 1-based line where ``ev`` starts."""
    return ev.start_mark.line + 1 if ev.start_mark is not None else 0


def parse_yaml(text: str, file: str, limits: Limits | None = None) -> Any:
    """Parse YAML text into Map/Seq trees and scalars (``None`` for an empty document).

    Raises:
        DataFileError: the text is not YAML (with the line and column), uses a tag
            outside the core schema, nests too deeply or holds more values than the
            ``values`` limit (aliases expanded; D005).
    """
    limits = limits or Limits()
    try:
        return _YamlBuilder(file, limits).document(_events(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise DataFileError(
            file,
            f"cannot parse YAML: {what or exc}",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise DataFileError(file, f"cannot parse YAML: {exc}") from None
    except RecursionError:
        raise DataFileError(file, "cannot parse YAML: nested too deeply") from None


def _json_object(pairs: list[tuple[str, Any]]) -> Map:
    out = Map()
    for key, value in pairs:
        if key in out:
            out.duplicates.append((key, None))
        out[key] = value
    return out


def _json_int(text: str) -> int | str:
    """An integer, or its text when Python refuses it (more than 4,300 digits): the
    reader then says what is wrong with the value, where it is."""
    try:
        return int(text)
    except ValueError:
        return text


def json_values(text: str) -> int:
    """How many values (scalars, objects, arrays) a JSON text holds, counted without
    parsing it: one, plus one per comma and per non-empty container outside strings."""
    quick = text.count(",") + text.count("[") + text.count("{") + 1
    if quick < 1000:
        return quick
    bare = _JSON_STRING.sub("", text)
    empty = len(_JSON_EMPTY.findall(bare))
    return 1 + bare.count(",") + bare.count("[") + bare.count("{") - empty


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_JSON_EMPTY = re.compile(r"\[\s*\]|\{\s*\}")


def parse_json(text: str, file: str, limits: Limits | None = None) -> Any:
    """Parse JSON text into Map trees, lists and scalars (numbers as Decimal; an integer
    of more than 4,300 digits stays text).  Maps have no lines here: see
    :func:`parse_json_lines`.

    Raises:
        DataFileError: the text is not JSON (with the line and column), nests too
            deeply, or holds more values than the ``values`` limit (D005).
    """
    limits = limits or Limits()
    count = json_values(text) if len(text) > limits.values else 0
    if count > limits.values:
        raise DataFileError(
            file,
            limits.exceeded("values", f"the file holds {count:,} values"),
            code="D005",
        )
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_int=_json_int,
            object_pairs_hook=_json_object,
            parse_constant=str,
        )
    except json.JSONDecodeError as exc:
        raise DataFileError(
            file, f"cannot parse JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise DataFileError(file, "cannot parse JSON: nested too deeply") from None


_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_CONSTANTS = {"true": True, "false": False, "null": None, "NaN": "NaN"}
_CONSTANTS.update({"Infinity": "Infinity", "-Infinity": "-Infinity"})


def parse_json_lines(text: str) -> Any:
    """Parse JSON text (already known to be valid) into Map/Seq trees that know the
    line of each key and item, as YAML's do.

    Slower than :func:`parse_json` (Python, not C): used only to give a line to the
    problems of a JSON file.
    """
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line(pos: int) -> int:
        return bisect.bisect_right(newlines, pos) + 1

    def value(i: int) -> tuple[Any, int]:
        i = _WS.match(text, i).end()  # type: ignore[union-attr]
        ch = text[i : i + 1]
        if ch == "{":
            return obj(i + 1)
        if ch == "[":
            return arr(i + 1)
        if ch == '"':
            s, end = scanstring(text, i + 1)
            return s, end
        for word, constant in _CONSTANTS.items():
            if text.startswith(word, i):
                return constant, i + len(word)
        m = _NUMBER.match(text, i)
        if m is None:
            raise ValueError(f"not JSON at offset {i}")
        if m[2] or m[3]:
            return Decimal(m[0]), m.end()
        return _json_int(m[0]), m.end()

    def obj(i: int) -> tuple[Map, int]:
        out = Map()
        i = _WS.match(text, i).end()  # type: ignore[union-attr]
        if text.startswith("}", i):
            return out, i + 1
        while True:
            i = _WS.match(text, i).end()  # type: ignore[union-attr]
            key, i = scanstring(text, i + 1)
            kline = line(i)
            i = _WS.match(text, i).end() + 1  # type: ignore[union-attr]  # the ':'
            vstart = _WS.match(text, i).end()  # type: ignore[union-attr]
            v, i = value(vstart)
            if key in out:
                out.duplicates.append((key, kline))
            out[key] = v
            out.lines[key] = (kline, line(vstart))
            i = _WS.match(text, i).end()  # type: ignore[union-attr]
            if text.startswith("}", i):
                return out, i + 1
            i += 1  # the ','

    def arr(i: int) -> tuple[Seq, int]:
        out = Seq()
        i = _WS.match(text, i).end()  # type: ignore[union-attr]
        if text.startswith("]", i):
            return out, i + 1
        while True:
            start = _WS.match(text, i).end()  # type: ignore[union-attr]
            v, i = value(start)
            out.append(v)
            out.lines.append(line(start))
            i = _WS.match(text, i).end()  # type: ignore[union-attr]
            if text.startswith("]", i):
                return out, i + 1
            i += 1  # the ','

    return value(0)[0]
