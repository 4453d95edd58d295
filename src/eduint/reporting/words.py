"""Catalogue entries and the things reports name, as text in one language.

:mod:`eduint.reporting.messages` holds the words; this module fills them in:
:func:`say` for a catalogue entry, :func:`reason_text` for a coded
:class:`~eduint.core.values.Reason` (its arguments worded by their names: an entity
reference becomes the entity's name with its segment in the language asked, a field
its label, a setting its label, a date ISO, a share a percentage), and the names of
entities, fields, settings and symbols.  Nothing here decides what a report shows.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

from eduint.checking.schema import ScopeKind
from eduint.checking.settings import SETTINGS
from eduint.core.refs import EntityRef, FieldRef
from eduint.core.units import Unit
from eduint.core.values import Code, Interval, Reason
from eduint.data.fields import all_fields
from eduint.data.models import Actor, SelfStatus
from eduint.engine.outcomes import AsOfBasis, Flag, Outcome, Text
from eduint.reporting.messages import (
    ACTORS,
    BASES,
    DATA_CODES,
    FLAGS,
    FUNCTIONS,
    OUTCOMES,
    REASONS,
    SCOPES,
    SELF_STATUSES,
    SYMBOLS,
    WORDED_CODES,
    WORDS,
    Lang,
)
from eduint.reporting.numbers import decimal_text, number_text

__all__ = [
    "NONE_MARK",
    "actor_word",
    "author_text",
    "basis_word",
    "check_lang",
    "entity_name",
    "field_name",
    "flag_word",
    "outcome_word",
    "period_text",
    "problem_text",
    "reason_text",
    "say",
    "self_word",
    "setting_label",
    "symbol_word",
    "template_words",
]

NONE_MARK = "-"
"""Shown in 自评/核算/结论 when there is nothing: plain ASCII, one cell wide in every
terminal (an em dash is East-Asian *ambiguous* width and would misalign CJK tables)."""


def check_lang(lang: str) -> Lang:
    """``lang`` as a :data:`~eduint.reporting.messages.Lang`.

    Raises:
        ValueError: ``lang`` is neither ``"zh"`` nor ``"en"``.
    """
    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise ValueError(f"unknown report language {lang!r}; expected 'zh' or 'en'")


def say(key: str, lang: Lang, /, **args: object) -> str:
    """The catalogue entry ``key`` (:data:`~eduint.reporting.messages.WORDS`) in ``lang``,
    its placeholders filled from ``args`` (each turned to text with ``str``).

    Raises:
        KeyError: no such entry, or a placeholder without its argument.
    """
    text = WORDS[key].text(lang)
    return text.format(**args) if args or "{" in text else text


def template_words(lang: str) -> Callable[..., str]:
    """The catalogue's words for an input template in ``lang`` (what
    :func:`eduint.data.spreadsheets.write_template` takes): ``words(key, **args)``.

    Raises:
        ValueError: unknown ``lang``.
    """
    lg = check_lang(lang)

    def words(key: str, /, **args: object) -> str:
        return say(key, lg, **args)

    return words


def outcome_word(outcome: Outcome | None, lang: Lang) -> str:
    """达到 / met …, or :data:`NONE_MARK` for no outcome."""
    return NONE_MARK if outcome is None else OUTCOMES[outcome].text(lang)


def self_word(status: SelfStatus | None, lang: Lang) -> str:
    """The county's own word (``试行`` / on trial), or :data:`NONE_MARK`."""
    return NONE_MARK if status is None else SELF_STATUSES[status].text(lang)


def actor_word(actor: Actor | None, lang: Lang) -> str:
    """县 / county …, or ``""``."""
    return "" if actor is None else ACTORS[actor].text(lang)


def flag_word(flag: Flag, lang: Lang) -> str:
    """暂定 / provisional …"""
    return FLAGS[flag].text(lang)


def basis_word(basis: AsOfBasis, lang: Lang) -> str:
    """命令行指定 / given on the command line …"""
    return BASES[basis].text(lang)


def symbol_word(symbol: str, lang: Lang) -> str:
    """A symbol of the data in ``lang`` (``小学`` → primary); other text as it is."""
    m = SYMBOLS.get(symbol)
    return symbol if m is None else m.text(lang)


def author_text(text: Text | str | None, lang: Lang) -> str:
    """Rule-author text: the English variant in English where the rule file gives one,
    else the text as written."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.en if lang == "en" and text.en else text.zh


def entity_name(ref: EntityRef | str | None, lang: Lang) -> str:
    """The display name of an entity: the name from the data, then the segment in
    ``lang`` and the class or size band (``育人小学 小学 一(2)班``, ``育人小学 primary``)."""
    if ref is None:
        return ""
    if isinstance(ref, str):
        return ref
    parts = [ref.name or ref.key]
    if ref.segment:
        parts.append(symbol_word(ref.segment, lang))
    if ref.part:
        parts.append(_band(ref.part, lang) if ref.band else ref.part)
    return " ".join(parts)


def _band(part: str, lang: Lang) -> str:
    low, _, high = part.partition("–")
    if not high:
        return say("band_open", lang, low=low)
    return say("band", lang, low=low, high=high)


@functools.cache
def _field_labels() -> Mapping[str, tuple[str | None, str | None]]:
    """Field name or Chinese label → (label, English label), over every data model."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for fd in all_fields():
        for key in fd.names():
            out.setdefault(key, (fd.label, fd.label_en))
    return out


def field_name(ref: FieldRef | str | None, lang: Lang) -> str:
    """A field as reports name it: its Chinese label (English label in English), else
    its name."""
    if ref is None:
        return ""
    if isinstance(ref, FieldRef):
        name, label, label_en = ref.name, ref.label, ref.label_en
    else:
        name = ref
        label, label_en = _field_labels().get(ref, (None, None))
    if lang == "en":
        return label_en or name
    return label or name


def setting_label(name: str, lang: Lang) -> str:
    """A setting by its label (``一贯制分摊权重`` / one-through school split weights),
    never by its identifier; an unknown name as it is."""
    spec = SETTINGS.get(name)
    if spec is None:
        return name
    return spec.label_en if lang == "en" else spec.label


def number_word(x: object) -> str:
    """A number inside a message: exact, up to 6 places (``30–39`` for a range)."""
    if isinstance(x, Interval):
        return number_text(x, Unit(), 6, suffix=False)
    if isinstance(x, (int, Fraction)) and not isinstance(x, bool):
        return decimal_text(x, 6)
    return str(x)


def _percent(x: object) -> str:
    if isinstance(x, (int, Fraction)) and not isinstance(x, bool):
        return decimal_text(Fraction(x) * 100, 2) + "%"
    return str(x)


def _list(items: Iterable[str], lang: Lang, sep: str = "name_sep") -> str:
    return say(sep, lang).join(items)


def _shares(pairs: Any, lang: Lang) -> str:
    return _list(
        (say("share_of", lang, entity=entity_name(e, lang), share=_percent(s)) for e, s in pairs),
        lang,
    )


def _sides(sides: Any, lang: Lang) -> str:
    shown = [
        say(
            "range_side",
            lang,
            name=field_name(n, lang) if isinstance(n, FieldRef) else n,
            value=number_text(x, u, 6) if isinstance(u, Unit) else number_word(x),
        )
        for n, x, u in sides
    ]
    return say("and", lang).join(shown)


def _rulesets(pairs: Any, lang: Lang) -> str:
    if isinstance(pairs, str):
        return pairs
    return _list((say("answers_of", lang, ruleset=r, n=n) for r, n in pairs), lang)


def period_text(start: datetime.date | None, end: datetime.date | None, lang: Lang) -> str:
    """A period in force: ``2017-01-01至2020-12-31`` / ``2017-01-01起`` / ``2020-12-31以前``."""
    if start and end:
        return say("period.both", lang, start=start.isoformat(), end=end.isoformat())
    if start:
        return say("period.from", lang, start=start.isoformat())
    if end:
        return say("period.until", lang, end=end.isoformat())
    return say("period.always", lang)


def _suggestions(pairs: Any, lang: Lang) -> str:
    if not pairs:
        return ""
    shown = _list((say("suggestion", lang, label=a, id=b) for a, b in pairs), lang)
    return say("suggestions", lang, pairs=shown)


def _scope(x: object, lang: Lang) -> str:
    """A scope as a list ranges over it (``school`` → 学校 / schools); a scope's Chinese
    label (``学校``, as the built-ins word an empty aggregate) is understood too."""
    key = getattr(x, "value", x)
    if key not in SCOPES:
        key = next((k.value for k in ScopeKind if k.label == key), key)
    m = SCOPES.get(str(key))
    return str(key) if m is None else m.text(lang)


def _fn(x: object, lang: Lang) -> str:
    m = FUNCTIONS.get(str(x))
    return str(x) if m is None else m.text(lang)


def _key_kind(x: object, lang: Lang) -> str:
    return say(f"key.{x}", lang) if f"key.{x}" in WORDS else symbol_word(str(x), lang)


_BY_NAME: Mapping[str, Callable[[Any, Lang], str]] = {
    "entity": entity_name,
    "school": entity_name,
    "central": entity_name,
    "field": field_name,
    "segment": lambda x, lg: symbol_word(str(x), lg),
    "value": lambda x, lg: symbol_word(str(x), lg) if isinstance(x, str) else number_word(x),
    "segments": lambda xs, lg: _list((symbol_word(str(x), lg) for x in xs), lg),
    "setting": lambda x, lg: setting_label(str(x), lg),
    "scope": _scope,
    "fn": _fn,
    "how": lambda x, lg: say(f"how.{x}", lg),
    "shares": _shares,
    "sides": _sides,
    "share": lambda x, lg: _percent(x),
    "rulesets": _rulesets,
    "suggestions": _suggestions,
    "item": lambda x, lg: str(x),
    "ruleset": lambda x, lg: str(x),
    "items": lambda xs, lg: _list((str(x) for x in xs), lg) if not isinstance(xs, str) else xs,
}


def _arg(name: str, value: object, lang: Lang) -> str:
    """One argument of a reason as text, by its name, else by its type."""
    if value is None:
        return ""
    special = _BY_NAME.get(name)
    if special is not None:
        return special(value, lang)
    if isinstance(value, Reason):
        return reason_text(value, lang)
    if isinstance(value, tuple) and all(isinstance(r, Reason) for r in value):
        return say("list_sep", lang).join(reason_text(r, lang) for r in value)
    if isinstance(value, EntityRef):
        return entity_name(value, lang)
    if isinstance(value, FieldRef):
        return field_name(value, lang)
    if isinstance(value, Text):
        return author_text(value, lang)
    if isinstance(value, bool):
        return say("yes" if value else "no", lang)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, Fraction, Interval)):
        return number_word(value)
    if isinstance(value, str):
        return symbol_word(value, lang)
    return str(value)


_SUBJECTS = ("entity", "school")

# The setting that decides each of these (their reasons do not carry it: it is fixed).
_SETTING_OF = {
    Code.LEFT_OUT_SPECIAL: "include_special",
    Code.LEFT_OUT_PRIVATE: "include_private",
    Code.LEFT_OUT_TEACHING_POINT: "teaching_points",
    Code.LEFT_OUT_SMALL_TEACHING_POINT: "teaching_point_min_students",
    Code.MERGED_TEACHING_POINT: "teaching_points",
}


def reason_text(reason: Reason, lang: Lang, *, subject: bool = True) -> str:
    """A coded reason as one sentence in ``lang`` (its catalogue entry, arguments worded).

    Arguments beyond those the entry names are ignored; missing ones are empty.  With
    ``subject=False`` the sentence leaves out the entity it is about (for a table whose
    row names it already): ``在校生为0，不计入``.
    """
    if not subject:
        message = REASONS[reason.code]
        if message.args[:1] and message.args[0] in _SUBJECTS:
            text = reason_text(Reason(reason.code, (None, *reason.args[1:])), lang)
            return text.lstrip("：: ")
    code = reason.code
    message = REASONS[code]
    values = dict(zip(message.args, reason.args, strict=False))
    if code is Code.DOES_NOT_APPLY and not values.get("otherwise"):
        return say("does_not_apply", lang, condition=values.get("condition") or "")
    if code is Code.KEY_NOT_GIVEN and values.get("entity") is None:
        return say("key_missing", lang, key=_key_kind(values.get("key"), lang))
    shown = {name: "" for name in message.args}
    if code is Code.UNUSED_ANSWERS:
        shown["n"] = str(len(values.get("items") or ()))  # type: ignore[arg-type]
    if code in _SETTING_OF and values.get("setting") is None:
        values["setting"] = _SETTING_OF[code]
    if code is Code.REPORT_ONLY:
        shown["period"] = period_text(values.get("start"), values.get("end"), lang)  # type: ignore[arg-type]
    if code is Code.SPLIT_SHARE and values.get("field") is None:
        values["field"] = say("split_figures", lang)
    for name, value in values.items():
        shown[name] = (
            _key_kind(value, lang)
            if code is Code.KEY_NOT_GIVEN and name == "key"
            else (_arg(name, value, lang))
        )
    return message.text(lang).format(**shown)


def problem_text(code: str | None, message: str, hint: str | None, lang: Lang) -> str:
    """A data problem's text: in Chinese the catalogue's wording of its code; in English
    the loader's own message and hint (the loaders word their problems in English)."""
    if code is not None and code in DATA_CODES and (lang == "zh" or code in WORDED_CODES):
        return DATA_CODES[code].zh if lang == "zh" else DATA_CODES[code].en
    return message + (say("hint", lang, hint=hint) if hint else "")
