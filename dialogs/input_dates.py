"""Dates typed as answers, in the ways Chinese, English and Uyghur write them, and ages from birth dates.

Pure: ``today`` is an argument, the engine has no clock.
"""

from __future__ import annotations

import datetime as dt
import re

from dialogs.input_numbers import CN_CHARS, chinese_to_int
from dialogs.inputs import (
    DATE_AMBIGUOUS,
    DATE_IN_FUTURE,
    DATE_NEVER,
    DATE_NO_DAY,
    DATE_NO_SUCH_DAY,
    DATE_NO_SUCH_MONTH,
    DATE_NO_YEAR,
    DATE_NOT_LEAP_YEAR,
    DATE_SHORT_YEAR,
    DATE_TOO_EARLY,
    DATE_UNREADABLE,
    FRAME,
    Parsed,
    normalise,
)

_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip

_N = r"[\d" + CN_CHARS + r"]+"
_CJK_YMD = re.compile(rf"^({_N})\s*年\s*({_N})\s*月\s*({_N})\s*[日号]?$")
_CJK_MD = re.compile(rf"^({_N})\s*月\s*({_N})\s*[日号]?$")
_CJK_YM = re.compile(rf"^({_N})\s*年\s*({_N})\s*月?$")
_NUM_YMD = re.compile(r"^(\d{4})\s*[-/.\s]\s*(\d{1,2})\s*[-/.\s]\s*(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUM_YM = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$")
_YEAR_LAST = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$")
_SHORT_YEAR = re.compile(r"^(\d{2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_EN_DMY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s*([a-z]+)\.?,?\s*(\d{4})$")
_EN_MDY = re.compile(r"^([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{4})$")
#: Uyghur month names (CLDR, as Babel writes dates in Uyghur: «3-ماي، 1980»).
_UG_MONTHS: dict[str, int] = {
    name: number
    for number, name in enumerate(
        (
            "يانۋار",
            "فېۋرال",
            "مارت",
            "ئاپرېل",
            "ماي",
            "ئىيۇن",
            "ئىيۇل",
            "ئاۋغۇست",
            "سېنتەبىر",
            "ئۆكتەبىر",
            "نويابىر",
            "دېكابىر",
        ),
        start=1,
    )
}
_UG_YEAR = r"\s*-?\s*(?:يىلى|يىل)"
_UG_MONTH_NAME = "(" + "|".join(_UG_MONTHS) + ")"
#: «1980-يىلى 5-ئاينىڭ 3-كۈنى», as Uyghur writes a date in words.
_UG_YMD = re.compile(rf"^(\d{{4}}){_UG_YEAR}\s*(\d{{1,2}})\s*-?\s*(?:ئاينىڭ|ئاي)\s*(\d{{1,2}})\s*-?\s*(?:كۈنى|كۈن)?$")
#: «3-ماي، 1980» (Babel's long form) and «1980-يىلى 3-ماي».
_UG_DMY = re.compile(rf"^(\d{{1,2}})\s*-?\s*{_UG_MONTH_NAME}\s*[،,]?\s*(\d{{4}})(?:{_UG_YEAR})?$")
_UG_YDM = re.compile(rf"^(\d{{4}})(?:{_UG_YEAR})?\s*[،,]?\s*(\d{{1,2}})\s*-?\s*{_UG_MONTH_NAME}$")
#: «2-ئاينىڭ 30-كۈنى»: a month and a day without the year.
_UG_MD = re.compile(r"^(\d{1,2})\s*-?\s*(?:ئاينىڭ|ئاي)\s*(\d{1,2})\s*-?\s*(?:كۈنى|كۈن)?$")
#: Words around a date that do not change it: "1980年5月3日出生", "born 3 May 1980", «تۇغۇلغان ۋاقتىم».
_DATE_NOISE = re.compile(
    r"^(?:(?:born|on)\s+|出生日期|出生于|生于|生日|تۇغۇلغان\s+(?:ۋاقتىم|ۋاقتى|كۈنۈم|كۈنى)\s*[:：]?)|(?:出生|生|\s+تۇغۇلغان)$"
)


def _date_part(part: str, *, year: bool = False) -> int | None:
    if part.isdigit():
        return int(part)
    return chinese_to_int(part, digitwise=year)


def parse_date(
    text: str, *, today: dt.date, past_only: bool = False, earliest: dt.date = dt.date(1900, 1, 1)
) -> Parsed[dt.date]:
    """A calendar date from "1980-05-03", "1980/5/3", "1980.5.3", "19800503", "1980年5月3日/号",
    "一九八〇年五月三日", "3 May 1980", "May 3, 1980", «1980-يىلى 5-ئاينىڭ 3-كۈنى» or «3-ماي، 1980».

    The year comes first, as Chinese writes it. A year-last date ("03/05/1980")
    is read only when one reading is possible (a day above 12); otherwise both
    readings are given back and the applicant is asked to write the year first.
    An impossible date is refused with the reason (month 2 of 1981 has 28 days),
    not just "invalid", so the applicant can see the typo; "2月30日" without a
    year is refused for that reason too (February never has 30 days), and a
    possible month and day without a year asks for the year. ``past_only`` refuses
    dates after ``today`` (a birth date, a degree date); ``today`` comes in as an
    argument because the engine has no clock.
    """
    raw = text.strip()
    normal = _DATE_NOISE.sub("", normalise(text).casefold()).strip(FRAME)
    ymd: tuple[int, int, int] | None = None
    short_year = False
    if m := _CJK_YMD.match(normal):
        y, mo, d = _date_part(m[1], year=True), _date_part(m[2]), _date_part(m[3])
        if y is not None and mo is not None and d is not None:
            ymd, short_year = (y, mo, d), len(m[1]) <= 2
    elif m := _NUM_YMD.match(normal) or _COMPACT.match(normal):
        ymd = (int(m[1]), int(m[2]), int(m[3]))
    elif m := _EN_DMY.match(normal):
        if m[2] in _MONTHS:
            ymd = (int(m[3]), _MONTHS[m[2]], int(m[1]))
    elif m := _EN_MDY.match(normal):
        if m[1] in _MONTHS:
            ymd = (int(m[3]), _MONTHS[m[1]], int(m[2]))
    elif m := _UG_YMD.match(normal):
        ymd = (int(m[1]), int(m[2]), int(m[3]))
    elif m := _UG_DMY.match(normal):
        ymd = (int(m[3]), _UG_MONTHS[m[2]], int(m[1]))
    elif m := _UG_YDM.match(normal):
        ymd = (int(m[1]), _UG_MONTHS[m[3]], int(m[2]))
    elif m := _YEAR_LAST.match(normal):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        readings = sorted({r for r in ((y, b, a), (y, a, b)) if _exists(*r)})
        if len(readings) == 2:
            first, second = (dt.date(*r).isoformat() for r in readings)
            return Parsed.refuse(DATE_AMBIGUOUS, text=raw, first=first, second=second)
        ymd = readings[0] if readings else (y, b, a)
    elif _SHORT_YEAR.match(normal):
        short_year = True
        ymd = (0, 1, 1)
    elif m := _CJK_MD.match(normal) or _UG_MD.match(normal):
        # "2月30日": no year, but a day no month ever has is still refused with that reason
        month, day = _date_part(m[1]), _date_part(m[2])
        if month is not None and day is not None:
            if not 1 <= month <= 12:
                return Parsed.refuse(DATE_NO_SUCH_MONTH, month=month)
            most = _days_in_month(2000, month)  # a leap year: the longest each month gets
            if not 1 <= day <= most:
                return Parsed.refuse(DATE_NEVER, month=month, day=day, days=most)
            return Parsed.refuse(DATE_NO_YEAR)
    elif ((m := _CJK_YM.match(normal)) or _NUM_YM.match(normal)) and (
        m is None or _date_part(m[1], year=True) is not None
    ):
        return Parsed.refuse(DATE_NO_DAY)
    if short_year:
        return Parsed.refuse(DATE_SHORT_YEAR)
    if ymd is None:
        return Parsed.refuse(DATE_UNREADABLE)
    year, month, day = ymd
    if year < 100:
        return Parsed.refuse(DATE_SHORT_YEAR)
    if not 1 <= month <= 12:
        return Parsed.refuse(DATE_NO_SUCH_MONTH, month=month)
    days = _days_in_month(year, month)
    if not 1 <= day <= days:
        if month == 2 and day == 29:
            return Parsed.refuse(DATE_NOT_LEAP_YEAR, year=year)
        return Parsed.refuse(DATE_NO_SUCH_DAY, year=year, month=month, day=day, days=days)
    date = dt.date(year, month, day)
    if past_only and date > today:
        return Parsed.refuse(DATE_IN_FUTURE, today=today.isoformat())
    if date < earliest:
        return Parsed.refuse(DATE_TOO_EARLY, earliest=earliest.isoformat())
    return Parsed.accept(date)


def _days_in_month(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def _exists(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)


def age_on(birth: dt.date, today: dt.date) -> int:
    """Whole years completed on ``today`` (周岁), the age notices mean by "不超过45周岁".

    Someone born on 29 February turns a year older on 1 March in common years.
    """
    if birth > today:
        raise ValueError(f"born {birth.isoformat()}, after {today.isoformat()}")
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# --------------------------------------------------------------------------- birth dates without the day

#: "1976年8月", "一九七六年八月": a year and a month in characters.
_PART_CJK_YM = re.compile(rf"^({_N})\s*年\s*({_N})\s*月(?:份)?$")
#: "1976年", "一九七六年": the year alone.
_PART_CJK_Y = re.compile(rf"^({_N})\s*年$")
#: "Aug 1976", "August 1976", "8/1976".
_PART_EN_MY = re.compile(r"^([a-z]+)\.?,?\s*(\d{4})$")
_PART_NUM_MY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{4})$")
#: «1976-يىلى 8-ئاي», «1976-يىلى ئاۋغۇست», «1976-يىلى».
_PART_UG_YM = re.compile(rf"^(\d{{4}}){_UG_YEAR}\s*(\d{{1,2}})\s*-?\s*(?:ئاينىڭ|ئايدا|ئاي)$")
_PART_UG_YMN = re.compile(rf"^(\d{{4}}){_UG_YEAR}\s*{_UG_MONTH_NAME}$")
_PART_UG_Y = re.compile(rf"^(\d{{4}}){_UG_YEAR}$")


def parse_birth_month(text: str) -> Parsed[tuple[int, int | None]] | None:
    """A birth year with its month ("1976年8月", "1976.8", "1976-08", "Aug 1976", «1976-يىلى 8-ئاي») or the year
    alone ("1976年", «1976-يىلى») as ``(year, month or None)``; ``None`` when the text is not written so.

    A month that does not exist ("1976年13月") is refused with the reason. Whether the
    missing day or month matters is for the caller: it depends on the date the age is
    worked out on (see :func:`age_bounds`).
    """
    normal = _DATE_NOISE.sub("", normalise(text).casefold()).strip(FRAME)
    year: int | None = None
    month: int | None = None
    if m := _PART_CJK_YM.match(normal):
        year, month = _date_part(m[1], year=True), _date_part(m[2])
        if year is None or month is None:
            return None
    elif m := _PART_CJK_Y.match(normal):
        year = _date_part(m[1], year=True)
        if year is None:
            return None
    elif m := _NUM_YM.match(normal) or _PART_UG_YM.match(normal):  # "1976.8", "1976-08", "1976/8"
        year, month = int(m[1]), int(m[2])
    elif (m := _PART_EN_MY.match(normal)) and m[1] in _MONTHS:
        year, month = int(m[2]), _MONTHS[m[1]]
    elif m := _PART_NUM_MY.match(normal):
        year, month = int(m[2]), int(m[1])
    elif m := _PART_UG_YMN.match(normal):
        year, month = int(m[1]), _UG_MONTHS[m[2]]
    elif m := _PART_UG_Y.match(normal):
        year = int(m[1])
    else:
        return None
    if year < 1000:
        return Parsed.refuse(DATE_SHORT_YEAR)
    if month is not None and not 1 <= month <= 12:
        return Parsed.refuse(DATE_NO_SUCH_MONTH, month=month)
    return Parsed.accept((year, month))


def age_bounds(year: int, month: int | None, on: dt.date) -> tuple[int, int, dt.date] | None:
    """The youngest and oldest the applicant can be on ``on`` when born in ``year`` (and ``month``), and the
    last birth day that gives the older age; ``None`` when even the earliest such day is after ``on``."""
    first = dt.date(year, month or 1, 1)
    last = dt.date(year, month or 12, _days_in_month(year, month or 12))
    if first > on:
        return None
    oldest = age_on(first, on)
    youngest = age_on(min(last, on), on)
    # the latest birth day that is already a year older on ``on``: the same month and day, ``oldest`` years back
    cutoff = last
    if youngest != oldest:
        cutoff = dt.date(year, on.month, min(on.day, _days_in_month(year, on.month)))
    return youngest, oldest, cutoff
