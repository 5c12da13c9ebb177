"""Translations for the edges: gettext catalogs from ``locales/`` and Babel's locale data.

The ``.po`` files in ``locales/<lang>/LC_MESSAGES/messages.po`` are the source of
truth; they are compiled to gettext's binary form in memory the first time a
language is used, so there is no generated ``.mo`` file to forget to rebuild.
"""

from __future__ import annotations

import datetime as dt
import gettext
import hashlib
import io
import logging
import os
import tempfile
from collections.abc import Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dialogs.i18n import BABEL_LOCALES, N_, NOTICE_ZONE, ListStyle

if TYPE_CHECKING:
    from babel import Locale

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("zh", "en", "ug")
#: Where a language has no catalog yet, fall back to: Chinese is the reference language.
FALLBACK = {"ug": "zh"}


#: Babel's lengths of a year, month, week, day, hour and minute, longest first.
_UNIT_SECONDS = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60)

#: Languages whose lists are joined with the catalog's words rather than CLDR's (which has none for them).
CATALOG_LISTS = frozenset({"ug"})
LIST_MIDDLE = N_("{items}, {item}")
LIST_AND = N_("{items} and {item}")
LIST_OR = N_("{items} or {item}")

#: Lists joined (and moments written out) that a translator keeps: the content's names, phones, offices
#: and deadlines, a few hundred.
LISTS_KEPT = 4096

#: Language subtags some clients send for a language we have under another code.
_ALIASES = {"uig": "ug", "uy": "ug", "zho": "zh", "chi": "zh", "cmn": "zh", "eng": "en"}


def get_locale(language_code: str | None) -> str | None:
    """The language we speak for a client's IETF tag (Telegram's ``language_code``), or None.

    Telegram sends ``zh-hans``, ``zh-CN``, ``zh-hant``, ``zh-TW``, ``en-US``, ``ug``…
    Only the primary subtag matters here: every Chinese variant gets our Chinese (the
    notices are in Simplified; a Traditional reader reads it), every English variant our
    English. aiogram's ``SimpleI18nMiddleware`` looks the whole tag up among the catalog
    names instead, so ``zh-CN`` finds no ``zh_CN`` catalog and falls to the default: hence
    this function. None (unknown or missing) lets the caller use the default language.
    """
    if not language_code:
        return None
    primary = language_code.strip().replace("_", "-").split("-", 1)[0].lower()
    primary = _ALIASES.get(primary, primary)
    return primary if primary in LANGUAGES else None


#: Where compiled catalogs are kept between runs (:func:`keep_compiled_in`); None: compiled at every start.
_compiled_dir: Path | None = None


def keep_compiled_in(folder: Path) -> None:
    """Keep the compiled catalogs in ``folder`` (the bot's cache) and read them back at the next start.

    Babel reading the three ``.po`` files is ~30 ms of every start; the compiled form read back takes
    well under 1 ms. An entry is named by a digest of its ``.po`` file and of Babel's version, so an
    edited catalog or an upgraded Babel simply misses, and the ``.po`` files stay the only source."""
    global _compiled_dir
    _compiled_dir = Path(folder)


def _compile(lang: str) -> gettext.NullTranslations | None:
    po = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return None
    source = po.read_bytes()
    folder = _compiled_dir
    if folder is None:
        return gettext.GNUTranslations(io.BytesIO(_mo_of(source, lang)))
    from babel import __version__ as babel_version

    digest = hashlib.sha256(b"%s\0%s\0%s" % (babel_version.encode(), lang.encode(), source)).hexdigest()[:32]
    entry = folder / f"catalog-{lang}-{digest}.mo"
    try:
        compiled = entry.read_bytes()
        return gettext.GNUTranslations(io.BytesIO(compiled))
    except FileNotFoundError:
        pass
    except Exception as error:  # unreadable, truncated or foreign: compiled again below
        log.warning("compiled catalog %s unreadable (%s); compiling it again", entry.name, error)
    compiled = _mo_of(source, lang)
    translations = gettext.GNUTranslations(io.BytesIO(compiled))  # a broken catalog raises before it is kept
    _keep(folder, entry, compiled)
    return translations


def _mo_of(source: bytes, lang: str) -> bytes:
    """The ``.po`` text ``source`` compiled to gettext's binary form."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale=BABEL_LOCALES[lang])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _keep(folder: Path, entry: Path, compiled: bytes) -> None:
    """Write ``entry`` atomically (another process may read it meanwhile) and remove its stale namesakes."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, prefix=".tmp-", delete=False) as stream:
            stream.write(compiled)
        os.replace(stream.name, entry)
        lang = entry.name.split("-")[1]
        for old in folder.glob(f"catalog-{lang}-*.mo"):
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError as error:  # a read-only disk only makes the next start slower
        log.warning("compiled catalog not written to %s: %s", folder, error)


@cache
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
        self._locale_name = BABEL_LOCALES[lang]
        self._lists: dict[tuple[tuple[str, ...], str], str] = {}
        self._moments: dict[tuple[dt.datetime, bool, bool], str] = {}

    @cached_property
    def _locale(self) -> Locale:
        """Babel's locale, parsed once (given by name, Babel parsed it again at every date, list and number)."""
        from babel import Locale

        return Locale.parse(self._locale_name)

    def gettext(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    def datetime(self, moment: dt.datetime, *, with_time: bool = True, zone: bool = True) -> str:
        """Remembered per moment: the content's deadlines are shown on screen after screen."""
        key = (moment, with_time, zone)
        shown = self._moments.get(key)
        if shown is None:
            if len(self._moments) >= LISTS_KEPT:
                self._moments.clear()
            shown = self._moments[key] = self._datetime(moment, with_time=with_time, zone=zone)
        return shown

    def _datetime(self, moment: dt.datetime, *, with_time: bool, zone: bool) -> str:
        from babel.dates import format_date, format_time

        local = moment.astimezone(ZoneInfo(NOTICE_ZONE))
        text = format_date(local.date(), format="long", locale=self._locale)
        if with_time:
            clock = format_time(local.time(), format="HH:mm", locale=self._locale)
            text = self.gettext("{date}, {time}").format(date=text, time=clock)
        return self.gettext("{moment} (Beijing time)").format(moment=text) if zone else text

    def relative(self, moment: dt.datetime, now: dt.datetime) -> str:
        """``3 years ago`` / ``in 5 days`` (``3年前`` / ``5天后``; ``3 يىل ئىلگىرى``): the largest unit
        that fits, counted in whole units. Babel alone rounds (3 years 8 months would be "4 years
        ago"), which is wrong for a deadline; so the span is cut down to whole units first."""
        from babel.dates import format_timedelta

        seconds = (moment - now).total_seconds()
        sign = -1 if seconds < 0 else 1
        whole = dt.timedelta(seconds=sign * 60)
        for size in _UNIT_SECONDS:
            count = int(abs(seconds) // size)
            if count >= 1:
                whole = dt.timedelta(seconds=sign * count * size)
                break
        return format_timedelta(whole, threshold=1, add_direction=True, locale=self._locale)

    def time_left(self, remaining: dt.timedelta) -> str:
        """``5 days left``; under a day, hours (``3 hours left``), never "0 days"."""
        seconds = max(0, int(remaining.total_seconds()))
        days = seconds // 86400
        if days >= 1:
            return self.ngettext("{n} day left", "{n} days left", days).format(n=self.number(days))
        hours = max(1, -(-seconds // 3600))
        return self.ngettext("{n} hour left", "{n} hours left", hours).format(n=self.number(hours))

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

    def format_list(self, items: Sequence[str], style: ListStyle = "standard") -> str:
        """Remembered per items and style: the same names, phones and offices are joined on every screen,
        and Babel resolves the list patterns anew each time."""
        key = (tuple(items), style)
        joined = self._lists.get(key)
        if joined is None:
            if len(self._lists) >= LISTS_KEPT:
                self._lists.clear()
            joined = self._lists[key] = self._format_list(items, style)
        return joined

    def _format_list(self, items: Sequence[str], style: ListStyle) -> str:
        if not items:
            return ""
        if self.lang in CATALOG_LISTS:
            return self._catalog_list(items, style)
        from babel.lists import format_list

        return format_list(items, style=style, locale=self._locale)

    def _catalog_list(self, items: Sequence[str], style: ListStyle) -> str:
        """Joined with the catalog's words, for a language whose CLDR data has no list patterns
        (Babel would fall back to English "and"/"or" in the middle of Uyghur)."""
        if len(items) == 1:
            return items[0]
        head = items[0]
        for item in items[1:-1]:
            head = self.gettext(LIST_MIDDLE).format(items=head, item=item)
        last = LIST_OR if style == "or" else LIST_AND
        return self.gettext(last).format(items=head, item=items[-1])


@cache
def translator(lang: str) -> BabelTranslator:
    return BabelTranslator(lang)
