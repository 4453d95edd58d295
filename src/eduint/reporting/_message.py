"""The catalogue's entry type (:class:`Message`) and language literal (:data:`Lang`),
shared by :mod:`eduint.reporting.messages` and its topic modules."""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["Lang", "Message"]

Lang = Literal["zh", "en"]
"""A report language: ``"zh"`` (Chinese, the default) or ``"en"`` (English)."""


@attrs.frozen
class Message:
    """One entry of the catalogue.

    Attributes:
        zh: the Chinese text, with ``{name}`` placeholders.
        en: the English text, with the same placeholders.
        args: the placeholders' names; for a reason code, in the order of the
            reason's arguments (:attr:`eduint.core.values.Reason.args`).
    """

    zh: str
    en: str
    args: tuple[str, ...] = ()

    def text(self, lang: Lang) -> str:
        """The text in ``lang``, placeholders unfilled."""
        return self.zh if lang == "zh" else self.en


def _m(zh: str, en: str, *args: str) -> Message:
    return Message(zh, en, args)
