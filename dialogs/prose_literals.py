"""Dates, times, phone numbers and amounts typed into a text as words, read back as values.

The stale-prose check (:mod:`dialogs.prose_check`) compares what a text states
against the program's structured fields, so it needs each statement as a value,
whatever language it is written in: ``2023年3月31日``, ``31 March 2023``,
``March 31, 2023``, ``2023-يىلى 3-ئاينىڭ 31-كۈنى`` and ``2023-03-31`` are one
date; ``0351-7676026`` and ``0351 - 7676026`` one phone; ``3万元``, ``30,000 yuan``,
``CNY 30,000`` and ``30 مىڭ يۈەن`` one amount. Every pattern is tried on every
language's text (a Chinese text may write ``CNY``), so a text reads the same
whichever language it is in.

What is read, and what is not (on purpose):

- dates need a month and a day (``2023年`` or ``March 2023`` alone is not a date);
  month names come from Babel's locale data (English and Uyghur); a Uyghur date
  with a month name needs its year too (``31-مارت، 2023``, as Babel writes it),
  since «1-ماي ئەمگەك مېدالى» is the May Day medal, not a day;
- a time is ``HH:MM``; it is only a deadline's time next to a date (see
  :func:`near_date`), otherwise a time of day (office hours) the check leaves alone;
- phones are a landline with its area code (``0991-3193615``), a mobile
  (``13xxxxxxxxx``), or a local number of 7–8 digits starting 2–8 (``2293393``),
  never digits that are part of an amount;
- amounts need a currency word (元, yuan, CNY, RMB, ¥, يۈەن); a range
  (``100—200万元``, ``1–2 million yuan``, ``X يۈەندىن Y يۈەنگىچە``) is one
  amount, its first figure taking the scale of the second when it has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

from dialogs.quotes import normalise

# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class DateValue:
    """A day of the year, with its year when the text gives one."""

    month: int
    day: int
    year: int | None = None

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}" if self.year else f"--{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class TimeValue:
    """A time of day, ``HH:MM``."""

    hour: int
    minute: int

    def text(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class PhoneValue:
    """A phone number as digits; ``local`` is what follows the area code (all digits when none is written)."""

    digits: str
    local: str

    @property
    def has_area(self) -> bool:
        return self.digits != self.local


@dataclass(frozen=True)
class AmountValue:
    """A sum in yuan, or a range of sums."""

    low: float
    high: float | None = None

    def figures(self) -> tuple[float, ...]:
        return (self.low,) if self.high is None else (self.low, self.high)


Value = DateValue | TimeValue | PhoneValue | AmountValue
Kind = Literal["date", "time", "phone", "amount"]


@dataclass(frozen=True)
class Stated:
    """A date, time, phone or amount a text states in words: where, as typed, and its value."""

    kind: Kind
    words: str
    start: int
    end: int
    value: Value


def phone_value(phone: str) -> PhoneValue:
    """A phone field (``0351-7676026``, ``2293393``, ``16699295018``) as a value to compare."""
    area, sep, rest = phone.partition("-")
    digits = re.sub(r"\D", "", phone)
    if sep and area.strip().startswith("0"):
        return PhoneValue(digits, re.sub(r"\D", "", rest))
    return PhoneValue(digits, digits)


# --------------------------------------------------------------------------- patterns


_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_SCALES = {
    "万": 1e4,
    "亿": 1e8,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "مىڭ": 1e3,
    "مىليون": 1e6,
    "مىليارد": 1e9,
}
_SCALE = "|".join(sorted(_SCALES, key=len, reverse=True))
_DASH = r"[—–\-~～至到]+|to"

_AMOUNTS = [
    # 100—200万元, 5-15万元, 10万—20万元
    re.compile(rf"(?P<a>{_NUMBER})\s*(?P<as>万|亿)?(?:元)?\s*(?:{_DASH})\s*(?P<b>{_NUMBER})\s*(?P<bs>万|亿)?\s*元"),
    # X مىڭ يۈەندىن Y مىليون يۈەنگىچە
    re.compile(
        rf"(?P<a>{_NUMBER})\s*(?P<as>{_SCALE})?\s*يۈەندىن\s+(?P<b>{_NUMBER})\s*(?P<bs>{_SCALE})?\s*يۈەن(?:گىچە|غىچە)"
    ),
    # CNY 30,000; RMB 1–2 million; ¥30000
    re.compile(
        rf"(?:CNY|RMB|¥|￥)\s*(?P<a>{_NUMBER})(?:\s*(?P<as>{_SCALE}))?"
        rf"(?:\s*(?:{_DASH})\s*(?:CNY|RMB|¥|￥)?\s*(?P<b>{_NUMBER})(?:\s*(?P<bs>{_SCALE}))?)?"
    ),
    # 1–2 million yuan, 50,000–150,000 yuan, 30,000 yuan, 30000 CNY
    re.compile(
        rf"(?P<a>{_NUMBER})(?:\s*(?P<as>{_SCALE}))?(?:\s*(?:{_DASH})\s*(?P<b>{_NUMBER})(?:\s*(?P<bs>{_SCALE}))?)?"
        r"\s*(?:(?:yuan|CNY|RMB)\b|يۈەن\w*)"
    ),
    # 3万元, 30000元
    re.compile(rf"(?P<a>{_NUMBER})\s*(?P<as>万|亿)?\s*元"),
]

_ZH_DATE = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]")
_ISO_DATE = re.compile(r"(?<![\d.-])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d.-])")
_UG_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*-\s*يىل\w*\s+)?(?P<m>\d{1,2})\s*-\s*ئاي\w*\s+(?P<d>\d{1,2})\s*-\s*كۈن\w*",
)
_TIME = re.compile(r"(?<![\d:：])(?P<h>[01]?\d|2[0-3])\s*[:：]\s*(?P<mi>[0-5]\d)(?![\d:：])")
_PHONES = [
    re.compile(r"(?<![\d.,])(?P<area>0\d{2,3})\s*[-—–]?\s*(?P<local>[2-9]\d{6,7})(?![\d.,])"),
    re.compile(r"(?<![\d.,])(?P<local>1[3-9]\d{9})(?![\d.,])"),
    re.compile(r"(?<![\d.,])(?P<local>[2-8]\d{6,7})(?![\d.,])"),
]


@cache
def _month_dates() -> tuple[tuple[re.Pattern[str], dict[str, int]], ...]:
    """Dates with a month name, in English (``31 March``, ``March 31, 2023``) and Uyghur (``31-مارت``).

    The names are Babel's (wide and abbreviated), so they are the words the bot itself writes.
    """
    from babel.dates import get_month_names

    patterns = []
    for locale in ("en_GB", "ug"):
        names: dict[str, int] = {}
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names.setdefault(str(name).rstrip("."), int(number))
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        if locale == "ug":
            # With its year, as Babel writes it (31-مارت، 2023): without, «1-ماي» is the May Day medal's name.
            day_first = rf"(?P<d>\d{{1,2}})\s*-\s*(?P<mon>{alternatives})\w*،?\s*(?P<y>\d{{4}})"
            patterns.append((re.compile(day_first), names))
            continue
        day_first = rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{alternatives})\b(?:,?\s+(?P<y>\d{{4}})\b)?"
        month_first = rf"\b(?P<mon>{alternatives})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,\s*(?P<y>\d{{4}})\b)?"
        patterns.append((re.compile(day_first), names))
        patterns.append((re.compile(month_first), names))
    return tuple(patterns)


def _figure(number: str, scale: str | None) -> float:
    return float(number.replace(",", "")) * (_SCALES[scale] if scale else 1)


def _amounts(text: str) -> Iterator[Stated]:
    for pattern in _AMOUNTS:
        for m in pattern.finditer(text):
            high_scale = m.groupdict().get("bs")
            low = _figure(m["a"], m["as"] or high_scale)
            high = _figure(m["b"], high_scale) if m.groupdict().get("b") else None
            yield Stated("amount", m.group().strip(), m.start(), m.end(), AmountValue(low, high))


def _date(m: re.Match[str], month: int) -> DateValue | None:
    day = int(m["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return DateValue(month, day, int(m["y"]) if m["y"] else None)


def _dates(text: str) -> Iterator[Stated]:
    for pattern in (_ZH_DATE, _ISO_DATE, _UG_DATE):
        for m in pattern.finditer(text):
            value = _date(m, int(m["m"]))
            if value is not None:
                yield Stated("date", m.group(), m.start(), m.end(), value)
    for pattern, names in _month_dates():
        for m in pattern.finditer(text):
            value = _date(m, names[m["mon"]])
            if value is not None:
                yield Stated("date", m.group(), m.start(), m.end(), value)


def _times(text: str) -> Iterator[Stated]:
    for m in _TIME.finditer(text):
        yield Stated("time", m.group(), m.start(), m.end(), TimeValue(int(m["h"]), int(m["mi"])))


def _phones(text: str) -> Iterator[Stated]:
    for pattern in _PHONES:
        for m in pattern.finditer(text):
            local = m["local"]
            area = m.groupdict().get("area") or ""
            yield Stated("phone", m.group(), m.start(), m.end(), PhoneValue(area + local, local))


def _overlaps(a: Stated, b: Stated) -> bool:
    return a.start < b.end and b.start < a.end


def statements(text: str) -> list[Stated]:
    """Every date, time, phone and amount ``text`` states, in the order they appear.

    Where two readings overlap the first found wins, in this order: amounts (so
    ``2000000元`` is no phone), dates (so ``2023-03-31`` is no phone), times,
    phones; and within a kind the longer reading (``2023年3月31日`` over ``3月31日``).
    """
    found: list[Stated] = []
    for reader in (_amounts, _dates, _times, _phones):
        candidates = sorted(reader(text), key=lambda s: (s.start, -(s.end - s.start)))
        for stated in candidates:
            if not any(_overlaps(stated, other) for other in found):
                found.append(stated)
    return sorted(found, key=lambda s: s.start)


# --------------------------------------------------------------------------- places in a text


def near_date(time: Stated, dates: Iterable[tuple[int, int]], reach: int = 12) -> bool:
    """Whether a time stands next to a date (a date's ``(start, end)``), within ``reach`` characters.

    ``6月15日20:00``, ``15-كۈنى سائەت 20:00``, ``20:00 on 15 June``: such a time is a
    deadline's; a time far from any date is a time of day.
    """
    return any(time.start - end <= reach and start - time.end <= reach for start, end in dates)


_QUOTED = [
    re.compile(r"“([^“”]+)”"),
    re.compile(r"‘([^‘’]+)’"),
    re.compile(r"「([^「」]+)」"),
    re.compile(r"『([^『』]+)』"),
    re.compile(r"«([^«»]+)»"),
    re.compile(r'"([^"]+)"'),
    re.compile(r"(?<!\w)'([^']+)'(?!\w)"),
]


def cited_spans(text: str, quotes: Iterable[str]) -> list[tuple[int, int]]:
    """The passages of ``text`` inside quotation marks whose words occur in one of ``quotes``.

    ``通知此行写作“0351-7676028 7676026”``: the notice's own words, cited; they stay
    as the notice printed them whatever a field says later.
    """
    passages = [normalise(q) for q in quotes]
    spans = []
    for pattern in _QUOTED:
        for m in pattern.finditer(text):
            words = normalise(m.group(1))
            if words and any(words in passage for passage in passages):
                spans.append((m.start(), m.end()))
    return spans


def stated_in(quotes: Iterable[str]) -> list[Value]:
    """The values the notice's words (an item's quotes) state."""
    return [s.value for quote in quotes for s in statements(quote)]
