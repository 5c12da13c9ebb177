"""Translations for the edges: gettext catalogs from ``locales/`` and Babel's locale data.

The ``.po`` files in ``locales/<lang>/LC_MESSAGES/messages.po`` are the source of
truth; they are compiled to gettext's binary form in memory the first time a
language is used, so there is no generated ``.mo`` file to forget to rebuild.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from dialogs.i18n import NOTICE_ZONE

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("zh", "en", "ug")
#: Babel locale used to format numbers and dates for each language.
BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB", "ug": "ug"}
#: Where a language has no catalog yet, fall back to: Chinese is the reference language.
FALLBACK = {"ug": "zh"}


def _compile(lang: str) -> gettext.NullTranslations | None:
    po = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return None
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=BABEL_LOCALES[lang])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@lru_cache(maxsize=None)
def catalog(lang: str) -> gettext.NullTranslations:
    translations = _compile(lang)
    fallback_lang = FALLBACK.get(lang)
    fallback = catalog(fallback_lang) if fallback_lang else None
    if translations is None:
        return fallback or gettext.NullTranslations()
    if fallback is not None:
        translations.add_fallback(fallback)
    return translations


class BabelTranslator:
    """A :class:`dialogs.i18n.Translator` for one language."""

    def __init__(self, lang: str):
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
        self.lang = lang
        self._catalog = catalog(lang)
        self._locale = BABEL_LOCALES[lang]

    def gettext(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    def datetime(self, moment: dt.datetime, *, with_time: bool = True, zone: bool = True) -> str:
        from babel.dates import format_date, format_time

        local = moment.astimezone(ZoneInfo(NOTICE_ZONE))
        text = format_date(local.date(), format="long", locale=self._locale)
        if with_time:
            clock = format_time(local.time(), format="HH:mm", locale=self._locale)
            text = self.gettext("{date}, {time}").format(date=text, time=clock)
        return self.gettext("{moment} (Beijing time)").format(moment=text) if zone else text

    def number(self, value: float) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self._locale)

    def money(self, amount: float, currency: str) -> str:
        """``3万元`` in Chinese (amounts are counted in 万), ``CNY 30,000`` in English."""
        from babel.numbers import format_compact_decimal

        if self.lang == "zh" and amount >= 10000:
            figure = format_compact_decimal(amount, locale=self._locale, fraction_digits=2)
        else:
            figure = self.number(amount)
        return self.gettext("{currency} {amount}").format(currency=currency, amount=figure)

    def list(self, items: list[str], style: str = "standard") -> str:
        from babel.lists import format_list

        return format_list(items, style=style, locale=self._locale) if items else ""


@lru_cache(maxsize=None)
def translator(lang: str) -> BabelTranslator:
    return BabelTranslator(lang)
