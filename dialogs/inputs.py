"""Answers typed by applicants, read at the edge of each question: a value, or a refusal that says why.

People answer the way they talk — "四十五岁", "１９８０年５月３日", "+86 139-1234-5678",
"第二个" — and a wrong answer must be explained and asked again, never accepted
silently (issue 3, point 3). Each parser here takes the raw text and returns a
:class:`Parsed`: either the value, or a :class:`Refusal` carrying a message key
and its arguments.

The key is an English sentence with ``{placeholders}`` used as a gettext msgid,
so the engine can put it straight into a :class:`dialogs.events.Reply`; nothing
here builds prose. Arguments are JSON-friendly (``str``, ``int`` or a tuple of
``str`` that the renderer joins with :meth:`Translator.format_list`, see :func:`render`),
because replies are persisted with the conversation.

Every key is listed in :data:`REFUSAL_KEYS`. They are deliberately not wrapped
in a gettext marker yet: the catalog tests require every extracted message to be
translated, and adding them to ``locales/`` is done together with the engine.

Pure: no I/O, no clock — ``today`` is an argument.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from dialogs.i18n import N_

if TYPE_CHECKING:
    from dialogs.i18n import Translator

T = TypeVar("T")

#: What a refusal argument may be: text, a whole number, or a list of texts (joined when rendered).
Arg = str | int | tuple[str, ...]

# --------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class Refusal:
    """Why an answer was not accepted: a message key (English msgid) and its arguments."""

    key: str
    args: Mapping[str, Arg] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """The outcome of reading one answer: ``value`` when ``ok``, otherwise ``error``."""

    value: T | None = None
    error: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def accept(cls, value: T) -> Parsed[T]:
        return cls(value=value)

    @classmethod
    def refuse(cls, key: str, **args: Arg) -> Parsed[T]:
        return cls(error=Refusal(key, dict(args)))


def render(refusal: Refusal, tr: Translator) -> str:
    """The refusal in the reader's language; list arguments are joined the way the language joins lists.

    Numbers are not passed through :meth:`Translator.number` on purpose: a year
    must not come out as "1,980".
    """
    args = {name: tr.format_list(value) if isinstance(value, tuple) else value for name, value in refusal.args.items()}
    return tr.gettext(refusal.key).format(**args)


# --------------------------------------------------------------------------- message keys

# Numbers
NUMBER_MISSING = N_("Please answer with a number, for example 45.")
NUMBER_SEVERAL = N_("Please answer with one number only.")
NUMBER_NOT_WHOLE = N_("Please give a whole number, without fractions or decimals.")
NUMBER_NEGATIVE = N_("The number cannot be negative.")
NUMBER_ESTIMATE = N_("Please give an exact number, not an estimate.")
NUMBER_OUT_OF_RANGE = N_("{value} is out of range: please give a number from {min} to {max}.")
NUMBER_TOO_SMALL = N_("{value} is too small: please give a number of at least {min}.")

# Dates
DATE_UNREADABLE = N_("That is not a date I can read. Please write it like 1980-05-03 or 3 May 1980.")
DATE_NO_DAY = N_("Please give the day as well, for example 1980-05-03.")
DATE_NO_YEAR = N_("Please give the year as well, for example 3 May 1980 or 1980-05-03.")
DATE_NEVER = N_("That date does not exist: month {month} has at most {days} days, so there is no day {day}.")
DATE_SHORT_YEAR = N_("Please write the year in full, for example 1980 rather than 80.")
DATE_AMBIGUOUS = N_("{text} could be {first} or {second}. Please write the year first, for example 1980-05-03.")
DATE_NO_SUCH_MONTH = N_("There is no month {month}: months run from 1 to 12.")
DATE_NO_SUCH_DAY = N_(
    "That date does not exist: month {month} of {year} has only {days} days, so there is no day {day}."
)
DATE_NOT_LEAP_YEAR = N_("That date does not exist: {year} is not a leap year, so February has no day 29.")
DATE_IN_FUTURE = N_("That date is in the future. Please give a date no later than {today}.")
DATE_TOO_EARLY = N_("Please check the year: the date must be on or after {earliest}.")

# Phones
PHONE_INVALID = N_(
    "That is not a phone number I can use. Please give a mainland mobile number (11 digits starting with 1) "
    "or a landline with its area code, such as 0991-3689692."
)
PHONE_MOBILE_LENGTH = N_("A mobile number has 11 digits; this one has {count}. Please check it.")
PHONE_NO_AREA_CODE = N_("Please add the area code to the landline number, for example 0991-{number}.")
PHONE_FOREIGN = N_("Only mainland China numbers can be used: a mobile number, or a landline with its area code.")

# Choices
CHOICE_UNKNOWN = N_("Please choose one of the options: {options}.")
CHOICE_AMBIGUOUS = N_("“{text}” matches more than one option: {matches}. Which one do you mean?")
CHOICE_NO_SUCH_NUMBER = N_("There is no option {number}: please choose a number from 1 to {count}.")

# Free text
TEXT_EMPTY = N_("Please write an answer; it cannot be empty.")
TEXT_TOO_LONG = N_("That is too long: please keep it to {max} characters (this has {length}).")

#: Every key a parser in this module may refuse with (msgids for the catalogs).
REFUSAL_KEYS: tuple[str, ...] = (
    NUMBER_MISSING, NUMBER_SEVERAL, NUMBER_NOT_WHOLE, NUMBER_NEGATIVE, NUMBER_ESTIMATE, NUMBER_OUT_OF_RANGE,
    NUMBER_TOO_SMALL,
    DATE_UNREADABLE, DATE_NO_DAY, DATE_NO_YEAR, DATE_NEVER, DATE_SHORT_YEAR, DATE_AMBIGUOUS, DATE_NO_SUCH_MONTH, DATE_NO_SUCH_DAY,
    DATE_NOT_LEAP_YEAR, DATE_IN_FUTURE, DATE_TOO_EARLY,
    PHONE_INVALID, PHONE_MOBILE_LENGTH, PHONE_NO_AREA_CODE, PHONE_FOREIGN,
    CHOICE_UNKNOWN, CHOICE_AMBIGUOUS, CHOICE_NO_SUCH_NUMBER,
    TEXT_EMPTY, TEXT_TOO_LONG,
)  # fmt: skip

# --------------------------------------------------------------------------- text normalisation

#: Characters people put around an answer that carry no meaning ("45。", "「是」", "(1)").
_FRAME = " \t\r\n\u3000.,;:!?。，、；：！？\"'“”‘’「」『』()（）[]【】《》<>〈〉*#`"


def _normalise(text: str) -> str:
    """NFKC folds full-width digits and letters ("４５", "ＹＥＳ") and circled numbers ("①") to ASCII."""
    return unicodedata.normalize("NFKC", text).strip(_FRAME)


# --------------------------------------------------------------------------- Chinese numerals

_CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "洞": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "两": 2,
    "三": 3, "叁": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_CN_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}
#: "廿五" is 25 and "卅一" is 31 on calendars.
_CN_SHORTHAND: dict[str, str] = {"廿": "二十", "卅": "三十"}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG) + "".join(_CN_SHORTHAND)


def chinese_to_int(numeral: str, *, digitwise: bool = False) -> int | None:
    """The value of a Chinese numeral, or ``None`` when it is not one exact number.

    "四十五" → 45, "十二" → 12, "一百零五" → 105, "一百五" → 150, "两万五" → 25000,
    "两" → 2, "零" → 0. Digits without units are read one by one ("一九八〇" → 1980)
    only when there are three or more of them or ``digitwise`` is set: two bare
    digits ("四五") are how Chinese says "four or five", an estimate.
    """
    for short, long in _CN_SHORTHAND.items():
        numeral = numeral.replace(short, long)
    if not numeral or any(ch not in _CN_DIGITS and ch not in _CN_UNITS and ch not in _CN_BIG for ch in numeral):
        return None
    if all(ch in _CN_DIGITS for ch in numeral):
        if len(numeral) == 1 or len(numeral) >= 3 or digitwise:
            return int("".join(str(_CN_DIGITS[ch]) for ch in numeral))
        return None
    total = 0
    section = 0
    digit: int | None = None
    last_unit: int | None = None  # within the current 万 section
    last_big: int | None = None
    zero_seen = False
    for ch in numeral:
        if ch in _CN_DIGITS:
            value = _CN_DIGITS[ch]
            if value == 0:
                if digit is not None:
                    return None
                zero_seen = True
                continue
            if digit is not None:
                return None  # "四五十": two digits in a row is an estimate
            digit = value
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if last_unit is not None and unit >= last_unit:
                return None
            if digit is None and (section or total) and unit != 10:
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_unit, zero_seen = None, unit, False
        else:
            big = _CN_BIG[ch]
            if last_big is not None and big >= last_big:
                return None
            section += digit or 0
            if section == 0:
                return None
            total += section * big
            section, digit, last_unit, last_big, zero_seen = 0, None, None, big, False
    if digit is not None:
        if not zero_seen and last_unit is not None and last_unit >= 100:
            section += digit * last_unit // 10  # 一百五 = 150, 三千五 = 3500
        elif not zero_seen and last_unit is None and last_big is not None and section == 0:
            total += digit * last_big // 10  # 两万五 = 25000
        else:
            section += digit
    return total + section


# --------------------------------------------------------------------------- whole numbers

_NUMBER = re.compile(
    r"(?P<sign>(?<![\w.])[-−－]\s*|负|minus\s+)?"
    r"(?P<num>\d+(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|[" + _CN_CHARS + r"]+(?:点[" + _CN_CHARS + r"]+)?)"
)
_FRACTION = re.compile(r"\d\s*[/⁄]\s*\d|分之|半")
_ESTIMATE = re.compile(
    r"几|多岁|[\d十百千万]多|来岁|余|左右|上下|大约|大概|约|差不多|\babout\b|\baround\b|\bapprox|~|\d\s*\+"
)


def parse_int(text: str, *, min: int = 0, max: int | None = None) -> Parsed[int]:  # noqa: A002 - names from the brief
    """A whole number in ``[min, max]`` from "45", "45岁", "４５", "四十五", "45 years", "I am 45".

    The answer may carry words around the number (units, "我今年…岁"); what
    matters is that it holds exactly one number. Several numbers ("45-50"),
    estimates ("四十多岁", "about 45", "四五十"), fractions ("45.5", "四十五岁半")
    and negatives are refused with their own reason, because guessing would
    accept a wrong fact silently. English number words ("forty-five") are not read.
    """
    normal = _normalise(text).casefold()
    matches = list(_NUMBER.finditer(normal))
    values: list[int] = []
    for match in matches:
        number = match.group("num")
        if "点" in number or ("." in number and number.split(".", 1)[1].strip("0")):
            return Parsed.refuse(NUMBER_NOT_WHOLE)
        if number[0].isdigit():
            value = int(number.split(".", 1)[0].replace(",", ""))
        else:
            parsed = chinese_to_int(number)
            if parsed is None:
                return Parsed.refuse(NUMBER_ESTIMATE)
            value = parsed
        values.append(-value if match.group("sign") else value)
    if not values:
        return Parsed.refuse(NUMBER_MISSING)
    if _FRACTION.search(normal):
        return Parsed.refuse(NUMBER_NOT_WHOLE)
    if _ESTIMATE.search(normal):
        return Parsed.refuse(NUMBER_ESTIMATE)
    if len(set(values)) > 1:
        return Parsed.refuse(NUMBER_SEVERAL)
    value = values[0]
    if value < 0 and min >= 0:
        return Parsed.refuse(NUMBER_NEGATIVE)
    if max is not None and not min <= value <= max:
        return Parsed.refuse(NUMBER_OUT_OF_RANGE, value=value, min=min, max=max)
    if value < min:
        return Parsed.refuse(NUMBER_TOO_SMALL, value=value, min=min)
    return Parsed.accept(value)


# --------------------------------------------------------------------------- dates

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

_N = r"[\d" + _CN_CHARS + r"]+"
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
    normal = _DATE_NOISE.sub("", _normalise(text).casefold()).strip(_FRAME)
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


# --------------------------------------------------------------------------- phone numbers

#: Area codes of two digits after the 0: Beijing 010 and 020–029; every other area code has three.
_TWO_DIGIT_AREA = re.compile(r"^0(?:10|2\d)")
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$")
_PHONE_CHARS = re.compile(r"^\+?[\d\s\-.()]+$")
#: A label typed before the number: "手机：139…", "Tel: 0991…".
_PHONE_LABEL = re.compile(
    r"^(?:手机号码|手机号|手机|联系电话|电话号码|电话|座机|固话|mobile|phone|tel|cell)\s*[:：]?\s*"
)


def parse_phone(text: str) -> Parsed[str]:
    """A mainland phone number, normalised: mobile "13912345678", landline "0991-3689692",
    with an extension "0991-3689692-123".

    Accepted: a mobile number (1, then 3–9, then nine digits) with an optional
    +86 / 0086 / 86 prefix; a landline with its area code (0 + two or three
    digits; which one is fixed by the numbering plan: 010 and 02x are the
    two-digit codes) and a 7–8 digit local number (8 after a two-digit code)
    not starting with 0 or 1, also written "+86 991 3689692" or "(0991)3689692".
    Spaces, dashes, dots and brackets may separate the groups, and a label
    before the number ("手机：", "Tel:") is dropped. An extension is
    read only when it is marked ("转123", "分机123", "ext 123", "x123", "#123") or
    is a third dash group after a complete landline ("0991-3689692-123"); a
    bare run of digits cannot say where the extension starts, so it is refused.
    Service numbers (400/800, 95xxx) are not a person's number and are refused.
    """
    normal = _PHONE_LABEL.sub("", _normalise(text).casefold())
    extension: str | None = None
    if m := _EXTENSION.search(normal):
        extension, normal = m[1], normal[: m.start()].strip(_FRAME)
    if not normal or not _PHONE_CHARS.match(normal):
        return Parsed.refuse(PHONE_INVALID)
    digits = re.sub(r"[^\d]", "", normal)
    international = False
    if normal.startswith("+") or digits.startswith("00"):
        if not digits.startswith(("86", "0086")):
            return Parsed.refuse(PHONE_FOREIGN)
        digits, international = digits.removeprefix("00")[2:], True
    elif re.match(r"^861[3-9]\d{9}$", digits):
        digits, international = digits[2:], True
    if international:
        digits = digits.removeprefix("0")  # "+86 (0)991 …"
        if not re.match(r"^1[3-9]", digits):
            digits = "0" + digits  # the area code without its trunk 0; +86 10 … is Beijing
    if re.match(r"^1[3-9]", digits):
        if extension is not None:
            return Parsed.refuse(PHONE_INVALID)
        if len(digits) != 11:
            return Parsed.refuse(PHONE_MOBILE_LENGTH, count=len(digits))
        return Parsed.accept(digits)
    if not digits.startswith("0"):
        if 7 <= len(digits) <= 8 and digits[0] in "23456789":
            return Parsed.refuse(PHONE_NO_AREA_CODE, number=digits)
        return Parsed.refuse(PHONE_INVALID)
    area_len = 3 if _TWO_DIGIT_AREA.match(digits) else 4
    area, local = digits[:area_len], digits[area_len:]
    dashed = [re.sub(r"[^\d]", "", g) for g in normal.split("-")]
    if extension is None and not international and len(dashed) >= 3 and not _local_ok(area, local):
        # "0991-3689692-123": the last dash group is an extension when what precedes is a whole number
        head = "".join(dashed[:-1])
        if head[:area_len] == area and _local_ok(area, head[area_len:]) and 1 <= len(dashed[-1]) <= 6:
            local, extension = head[area_len:], dashed[-1]
    if not _local_ok(area, local):
        return Parsed.refuse(PHONE_INVALID)
    return Parsed.accept(f"{area}-{local}" + (f"-{extension}" if extension else ""))


def _local_ok(area: str, local: str) -> bool:
    lengths = (8,) if len(area) == 3 else (7, 8)
    return len(local) in lengths and local.isdigit() and local[0] not in "01"


# --------------------------------------------------------------------------- choices

#: Words meaning yes and no, in Chinese, English and Uyghur; added to the labels of True/False options.
YES_WORDS: tuple[str, ...] = (
    "是", "是的", "对", "对的", "有", "有的", "要", "需要", "好", "好的", "可以", "同意", "确认", "嗯",
    "yes", "y", "yeah", "yep", "sure", "ok", "okay", "true",
    "ھەئە", "شۇنداق", "بار",
)  # fmt: skip
NO_WORDS: tuple[str, ...] = (
    "否", "不", "不是", "不对", "没有", "没", "无", "不要", "不需要", "不用", "不同意",
    "no", "n", "nope", "not", "none", "false",
    "ياق", "ئەمەس", "يوق",
)  # fmt: skip

_ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "last": -1,
}  # fmt: skip
_OPTION_NUMBER = re.compile(
    r"^(?:第|选|选择|option|choice|number|no\.?|#)?\s*(?P<n>\d+|[" + _CN_CHARS + r"]+)\s*(?:个|项|条|种|号)?$"
)


def _key(label: str) -> str:
    """Case-, width- and whitespace-insensitive form of a label or an answer."""
    return re.sub(r"\s+", "", _normalise(label).casefold())


def parse_choice(text: str, options: Sequence[tuple[T, str | Sequence[str]]]) -> Parsed[T]:
    """One of ``options`` — ``(value, label)`` or ``(value, [label, label…])`` pairs — from typed text.

    Tried in order, so a label that looks like a number still wins: the exact
    label in any language (ignoring case, width and spaces), yes/no words when
    the values are booleans, the option's number as buttons show it ("2", "２",
    "第二个", "选2", "option 2", "second", "last"), then a prefix shared by one
    option only ("新疆" for "新疆维吾尔自治区", "assoc" for "Associate professor").
    Refusals list the options by their first label, which the caller gives in
    the reader's language; an ambiguous prefix names only the options it matches.
    """
    labelled: list[tuple[T, tuple[str, ...]]] = []
    for value, labels in options:
        names = (labels,) if isinstance(labels, str) else tuple(labels)
        if isinstance(value, bool):
            names += YES_WORDS if value else NO_WORDS
        labelled.append((value, names))
    shown = tuple(names[0] if names else str(value) for value, names in labelled)
    answer = _key(text)
    if not answer:
        return Parsed.refuse(CHOICE_UNKNOWN, options=shown)

    exact = [i for i, (_, names) in enumerate(labelled) if any(_key(n) == answer for n in names)]
    if found := _single(exact, labelled, text, shown):
        return found

    if m := _OPTION_NUMBER.match(answer):
        number = int(m["n"]) if m["n"].isdigit() else chinese_to_int(m["n"])
        if number is not None:
            return _by_number(number, labelled, shown)
    if answer in _ORDINAL_WORDS:
        number = _ORDINAL_WORDS[answer]
        return _by_number(len(labelled) if number == -1 else number, labelled, shown)

    prefixed = [i for i, (_, names) in enumerate(labelled) if any(_key(n).startswith(answer) for n in names)]
    if found := _single(prefixed, labelled, text, shown):
        return found
    return Parsed.refuse(CHOICE_UNKNOWN, options=shown)


def _single(
    indexes: list[int], labelled: list[tuple[T, tuple[str, ...]]], text: str, shown: tuple[str, ...]
) -> Parsed[T] | None:
    """The one option the indexes point to, a refusal naming them when they disagree, or ``None`` if empty."""
    if not indexes:
        return None
    values: list[T] = []
    for i in indexes:
        if not any(labelled[i][0] == v for v in values):
            values.append(labelled[i][0])
    if len(values) == 1:
        return Parsed.accept(values[0])
    return Parsed.refuse(CHOICE_AMBIGUOUS, text=text.strip(), matches=tuple(shown[i] for i in indexes))


def _by_number(number: int, labelled: list[tuple[T, tuple[str, ...]]], shown: tuple[str, ...]) -> Parsed[T]:
    if 1 <= number <= len(labelled):
        return Parsed.accept(labelled[number - 1][0])
    return Parsed.refuse(CHOICE_NO_SUCH_NUMBER, number=number, count=len(labelled))


def parse_yes_no(text: str) -> Parsed[bool]:
    """Yes or no, in words ("是的", "没有", "yes", "n") or as button numbers (1 = yes, 2 = no)."""
    return parse_choice(text, [(True, "yes"), (False, "no")])


# --------------------------------------------------------------------------- free text


def check_text(text: str, *, max_len: int) -> Parsed[str]:
    """Free text (a name, an employer) stripped of surrounding space, refused when empty or over ``max_len``.

    The length counts characters, not bytes, so a Chinese name is not
    penalised; the limit is given back so the applicant knows how much to cut.
    """
    stripped = text.strip()
    if not stripped:
        return Parsed.refuse(TEXT_EMPTY)
    if len(stripped) > max_len:
        return Parsed.refuse(TEXT_TOO_LONG, max=max_len, length=len(stripped))
    return Parsed.accept(stripped)
