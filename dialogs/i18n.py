"""What the domain needs from translations, without knowing where they come from.

The edges (``bot/i18n.py``) build a :class:`Translator` from the gettext
catalogs in ``locales/`` and Babel's locale data; the domain only calls it. Source
message ids are English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal, Protocol

#: Each language's name in itself, for the buttons that pick one (the same in every language).
LANGUAGE_NAMES = {"zh": "中文", "en": "English", "ug": "ئۇيغۇرچە"}

#: The time zone of every notice: dates are shown in Beijing time.
NOTICE_ZONE = "Asia/Shanghai"

#: The Babel locale each language's numbers and dates are formatted in (the bot's screens and the
#: content's placeholders alike, so a date reads the same in both).
BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB", "ug": "ug"}


#: How a list is joined: ``standard`` joins with "and", ``or`` offers alternatives.
ListStyle = Literal["standard", "or"]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a message id for extraction where it is defined; it is translated where it is shown."""
    return message


class Translator(Protocol):
    #: ``zh``, ``en`` or ``ug``: also picks the language of content texts.
    lang: str

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def datetime(self, moment: dt.datetime, *, with_time: bool = True, zone: bool = True) -> str:
        """A moment in Beijing time, with the zone named unless ``zone`` is false."""
        ...

    def relative(self, moment: dt.datetime, now: dt.datetime) -> str:
        """How far ``moment`` is from ``now``, with its direction: ``3 years ago``, ``in 5 days``."""
        ...

    def time_left(self, remaining: dt.timedelta) -> str:
        """``5 days left`` (plural forms of the language)."""
        ...

    def money(self, amount: float, currency: str) -> str: ...

    def number(self, value: float) -> str: ...

    def format_list(self, items: Sequence[str], style: ListStyle = "standard") -> str:
        """Items joined the way the language joins a list (``style="or"`` for alternatives)."""
        ...
