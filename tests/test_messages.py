"""The message catalogue: every code and flag has both texts, every placeholder is filled.

:mod:`eduint.reporting.messages` words every reason code
(:class:`~eduint.core.values.Code`), every flag, outcome and basis, and every header and
line of the reports, in Chinese and English.  These tests render every entry in both
languages with arguments of the kinds the codes document, and find no entry missing, no
placeholder left unfilled, and no language's text in the other language.
"""

from __future__ import annotations

import datetime
import re
import string
from fractions import Fraction
from typing import Any

import pytest

from eduint.checking.settings import SETTINGS
from eduint.core.refs import EntityRef, FieldRef
from eduint.core.units import parse_unit
from eduint.core.values import Code, Interval, Reason
from eduint.data import errors
from eduint.data.models import Actor, SelfStatus
from eduint.engine.results import AsOfBasis, Flag, Outcome
from eduint.reporting import messages, words

_IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")
_ENGLISH = re.compile(r"[A-Za-z]{2,}")

SCHOOL = EntityRef("school", "S1", "育人小学")
SEGMENT = EntityRef("segment", "S1/小学", "育人小学", "小学")
FIELD = FieldRef("students", "在校生数", "students enrolled")

# one argument of each kind the codes document, by the catalogue's argument names
SAMPLES: dict[str, Any] = {
    "entity": SEGMENT,
    "school": SCHOOL,
    "central": SCHOOL,
    "field": FIELD,
    "sides": ((FIELD, Interval(30, 39), parse_unit("人")),),
    "op": ">=",
    "stated": 3,
    "counted": 4,
    "how": "list",
    "low": 56,
    "high": 65,
    "low2": 60,
    "text": "30多",
    "scope": "class",
    "fn": "count",
    "key": "segment",
    "date": datetime.date(2019, 9, 1),
    "start": datetime.date(2017, 1, 1),
    "end": None,
    "segment": "小学",
    "segments": ("小学", "初中"),
    "n": 1,
    "students": 12,
    "minimum": 50,
    "reasons": (Reason(Code.MISSING_FIGURE, (SEGMENT, FIELD)),),
    "shares": ((SEGMENT, Fraction(1, 2)),),
    "share": Fraction(20, 31),
    "setting": "split_weights",
    "given": 100,
    "sum": Fraction(201, 2),
    "otherwise": None,
    "condition": "students > 0",
    "value": "乡村",
    "item": "12.1",
    "ruleset": "youzhi_junheng_2017",
    "items": ("1", "2"),
    "suggestions": (("12.l", "12.1"),),
    "rulesets": (("chengxiang_yitihua_2018", 32),),
}


def _strip(text: str, parts: tuple[str, ...]) -> str:
    for p in parts:
        text = text.replace(p, "")
    return text


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", list(Code), ids=lambda c: c.value)
def test_every_code_has_both_texts_and_fills_every_placeholder(code: Code) -> None:
    """Each code has a Chinese and an English text with the same placeholders, each
    named among its arguments; rendered with arguments of the documented kinds, neither
    text leaves a placeholder, and each is in its own language."""
    message = messages.REASONS[code]
    assert message.zh and message.en
    assert _placeholders(message.zh) == _placeholders(message.en)
    assert _placeholders(message.zh) <= set(message.args)
    reason = Reason(code, tuple(SAMPLES[a] for a in message.args if a in SAMPLES))
    zh = words.reason_text(reason, "zh")
    en = words.reason_text(reason, "en")
    for text in (zh, en):
        assert "{" not in text and "}" not in text and text.strip(), (code, text)
    # rule-set ids and rule text are the same in both languages
    neutral = ("youzhi_junheng_2017", "chengxiang_yitihua_2018", SAMPLES["condition"])
    assert not _ENGLISH.search(_strip(_IDEOGRAPH.sub("", zh), neutral)), zh
    assert not _IDEOGRAPH.search(_strip(en, ("育人小学", "30多", " 人"))), en


def test_every_argument_name_has_a_sample() -> None:
    """The samples above cover every argument name the catalogue uses (so the test above
    fills every placeholder)."""
    used = {a for m in messages.REASONS.values() for a in m.args}
    assert used <= set(SAMPLES) | {"period"}


@pytest.mark.parametrize(
    ("table", "members"),
    [
        (messages.FLAGS, list(Flag)),
        (messages.OUTCOMES, list(Outcome)),
        (messages.SELF_STATUSES, list(SelfStatus)),
        (messages.ACTORS, list(Actor)),
        (messages.BASES, list(AsOfBasis)),
    ],
    ids=["flags", "outcomes", "self_statuses", "actors", "bases"],
)
def test_every_enum_member_is_worded(table: Any, members: list[Any]) -> None:
    """Every flag, outcome, 自评 word, actor and date basis has both texts, each in its
    own language."""
    assert set(table) == set(members)
    for m in members:
        entry = table[m]
        assert _IDEOGRAPH.search(entry.zh) and not _IDEOGRAPH.search(entry.en), m


def test_words_fill_their_placeholders() -> None:
    """Every header, title and line has the same placeholders in both languages, exactly
    its arguments; filled, no brace is left."""
    for key, entry in messages.WORDS.items():
        assert _placeholders(entry.zh) == _placeholders(entry.en) == set(entry.args), key
        filled = {a: "x" for a in entry.args}
        for lang in ("zh", "en"):
            assert "{" not in words.say(key, lang, **filled), key


def test_data_codes_and_settings_have_both_languages() -> None:
    """Every data-problem and notice code the data layer documents has a Chinese text; every setting a label in both
    languages, and a Chinese provisional reason where it has an English one."""
    documented = re.findall(r"^(D0\d\d)\s", errors.__doc__ or "", flags=re.MULTILINE)
    assert len(documented) > 15 and set(messages.DATA_CODES) == set(documented)
    assert messages.WORDED_CODES <= set(messages.DATA_CODES)
    for spec in SETTINGS.values():
        assert _IDEOGRAPH.search(spec.label) and not _IDEOGRAPH.search(spec.label_en)
        assert (spec.provisional is None) == (spec.provisional_zh is None), spec.name


def test_names_in_the_language_asked() -> None:
    """Entities, fields, settings and symbols are named in the language asked: a segment
    word is translated, a name from the data is not; a setting by its label, never its
    identifier."""
    assert words.entity_name(SEGMENT, "zh") == "育人小学 小学"
    assert words.entity_name(SEGMENT, "en") == "育人小学 primary"
    band = EntityRef("class", "S1/小学/66-", "育人小学", "小学", "66–", band=True)
    assert words.entity_name(band, "zh") == "育人小学 小学 班额66人及以上的班"
    assert words.field_name(FIELD, "zh") == "在校生数"
    assert words.field_name("students", "en") == "students"
    assert words.field_name("full_time_teachers", "zh") == "专任教师数"
    assert words.setting_label("split_weights", "zh") == "一贯制分摊权重"
    assert words.setting_label("split_weights", "en") == "one-through school split weights"
    assert words.symbol_word("乡村", "en") == "rural"


def test_reasons_worded_without_their_subject() -> None:
    """A table row that names the entity shows the reason without it."""
    r = Reason(Code.ZERO_STUDENTS, (SEGMENT,))
    assert words.reason_text(r, "zh") == "育人小学 小学：在校生为0，不计入"
    assert words.reason_text(r, "zh", subject=False) == "在校生为0，不计入"
    assert words.reason_text(r, "en", subject=False) == "0 students, left out"


def test_report_only_periods_read_naturally() -> None:
    """An open period reads 2017-01-01起 / from 2017-01-01, not 2017-01-01–."""
    r = Reason(Code.REPORT_ONLY, (datetime.date(2017, 1, 1), None))
    assert words.reason_text(r, "zh") == "2017-01-01起仅报告数值"
    assert words.reason_text(r, "en") == "report only from 2017-01-01"
