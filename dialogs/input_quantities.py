"""Quantities typed with their unit, in Chinese, English or Uyghur, read in the unit the question asks for.

"一年" typed at "how many months a year do you work in Xinjiang" is twelve
months, not one (issue 15, point 2): the number alone was read before, and the
unit thrown away. Here each amount is read together with its unit — "一年半",
"1.5年", "半年", "两个月", "俩月", "45天", "two months", "a year and a half",
«بىر يىل», «يېرىم يىل», «3 ئاي» — and converted to the fact's own unit (a year
is 12 months; 30 days make a month only when the days are a whole number of
months, as people count them). A bare number is read in the fact's unit.
Several amounts in different units add up ("1年3个月" is 15 months), except a
single year beside months at a months-a-year question ("每年…", "3 months a
year", «1 يىلدا 3 ئاي»), which only names the period.

Chinese numerals are read by :func:`dialogs.input_numbers.chinese_to_int`, the
reader this project already has and tests; a package such as ``cn2an`` would
add a dependency for what that function already does. English and Uyghur number
words up to a hundred are listed here.

The result must be a whole number of the fact's unit within its range; an
estimate ("一年多", "几个月", "about 3 months"), several amounts of one unit
("3个月 4个月", "2-3个月"), a part of a unit ("半个月" at a months question) or a
value out of range is refused with its own reason, and the example a refusal
gives is one of the question's unit (never "45" at a months question).

Pure: text in, a :class:`dialogs.inputs.Parsed` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from dialogs.input_numbers import CN_CHARS, chinese_to_int
from dialogs.inputs import (
    MONTHS_IN_A_YEAR,
    NUMBER_ESTIMATE,
    NUMBER_MISSING,
    NUMBER_NEGATIVE,
    NUMBER_NOT_WHOLE,
    NUMBER_OUT_OF_RANGE,
    NUMBER_SEVERAL,
    NUMBER_TOO_SMALL,
    QUANTITY_MISSING,
    QUANTITY_NOT_WHOLE,
    Parsed,
    normalise,
)

#: The units a fact may count in, and the unit of measure each one reads ("months_per_year" reads months).
MEASURE: dict[str, str] = {
    "months": "month",
    "months_per_year": "month",
    "years": "year",
    "years_of_age": "year",
    "days": "day",
    "people": "person",
}

#: How many of the fact's measure one typed unit is, where the conversion is exact.
_FACTORS: dict[str, dict[str, Fraction]] = {
    "month": {"year": Fraction(12), "month": Fraction(1)},
    "year": {"year": Fraction(1), "month": Fraction(1, 12)},
    "day": {"day": Fraction(1), "week": Fraction(7)},
    "person": {"person": Fraction(1)},
}
#: Days count as months only in whole months of 30 days ("60天" is two months, "45天" is not whole).
_DAYS_PER_MONTH = 30

# --------------------------------------------------------------------------- number words

_EN_NUMBERS: dict[str, int] = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a couple of": 2,
}  # fmt: skip
#: Uyghur number words (Arabic script) up to a hundred; tens and units combine: «ئون ئىككى» is 12.
_UG_NUMBERS: dict[str, int] = {
    "نۆل": 0, "بىر": 1, "ئىككى": 2, "ئۈچ": 3, "تۆت": 4, "بەش": 5, "ئالتە": 6, "يەتتە": 7, "سەككىز": 8,
    "توققۇز": 9, "ئون": 10, "يىگىرمە": 20, "ئوتتۇز": 30, "قىرىق": 40, "ئەللىك": 50, "ئاتمىش": 60,
    "يەتمىش": 70, "سەكسەن": 80, "توقسان": 90, "يۈز": 100,
}  # fmt: skip
#: Chinese colloquial numerals chinese_to_int does not know: 俩 is two, 仨 is three.
_CN_COLLOQUIAL: dict[str, str] = {"俩": "两", "仨": "三"}

_EN_WORD = "|".join(sorted((re.escape(w) for w in _EN_NUMBERS), key=len, reverse=True))
#: Standing alone, "a" and "an" are articles, not numbers ("I have a team").
_EN_BARE_WORD = "|".join(sorted((re.escape(w) for w in _EN_NUMBERS if not w.startswith("a")), key=len, reverse=True))
_EN_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_EN_ONES = "one|two|three|four|five|six|seven|eight|nine"
_UG_WORD = "|".join(sorted(_UG_NUMBERS, key=len, reverse=True))
_CN = CN_CHARS + "".join(_CN_COLLOQUIAL)
_DIGITS = r"\d+(?:,\d{3})*(?:\.\d+)?"

# --------------------------------------------------------------------------- amounts with their unit

_CN_UNITS: dict[str, str] = {
    "周岁": "year", "岁": "year", "年": "year", "个月": "month", "月": "month", "天": "day", "日": "day",
    "周": "week", "星期": "week", "个人": "person", "人": "person", "名": "person", "位": "person",
}  # fmt: skip
_CN_UNIT = "|".join(sorted(_CN_UNITS, key=len, reverse=True))
_CN_TERM = re.compile(
    rf"(?P<num>{_DIGITS}|[{_CN}]+(?:点[{_CN}]+)?)?\s*(?P<half1>半)?\s*(?:个)?\s*(?P<half2>半)?\s*"
    rf"(?P<unit>{_CN_UNIT})(?P<half3>半)?"
)
#: A whole year named without a number: "全年", "一整年", "the whole year", «پۈتۈن يىل» are one year.
_WHOLE_YEAR: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"一?整年|全年"), "1年"),
    (
        re.compile(r"\b(?:the\s+)?(?:whole|full|entire)\s+year\b|\ball\s+year(?:\s+round)?\b|\byear[\s-]round\b"),
        "1 year",
    ),
    (re.compile(r"پۈتۈن\s+(?:بىر\s+)?يىل\w*|يىل\s+بويى"), "1 يىل"),
)

_EN_UNITS: dict[str, str] = {
    "year": "year", "years": "year", "yr": "year", "yrs": "year",
    "month": "month", "months": "month", "mo": "month", "mos": "month", "mth": "month", "mths": "month",
    "day": "day", "days": "day", "week": "week", "weeks": "week", "wk": "week", "wks": "week",
    "people": "person", "person": "person", "persons": "person", "member": "person", "members": "person",
}  # fmt: skip
_EN_UNIT = "|".join(sorted(_EN_UNITS, key=len, reverse=True))
_EN_TERM = re.compile(
    rf"(?<![\w.])(?:(?P<half>half\s+(?:an?\s+)?)|(?P<num>{_DIGITS}|(?:{_EN_TENS})[\s-]+(?:{_EN_ONES})|{_EN_WORD})"
    rf"(?P<and_half1>\s+and\s+a\s+half)?\s*-?\s*)"
    rf"(?P<unit>{_EN_UNIT})\b(?P<and_half2>\s+and\s+a\s+half)?"
)

_UG_UNITS: dict[str, str] = {
    "يىل": "year", "ياش": "year", "ئاي": "month", "كۈن": "day", "ھەپتە": "week",
    "كىشى": "person", "ئادەم": "person", "نەپەر": "person",
}  # fmt: skip
_UG_UNIT = "|".join(sorted(_UG_UNITS, key=len, reverse=True))
_UG_TERM = re.compile(
    rf"(?<!\w)(?:(?P<num>{_DIGITS}|(?:{_UG_WORD})(?:\s+(?:{_UG_WORD}))*)\s*-?\s*)?(?P<half>يېرىم\s*)?"
    rf"(?P<unit>{_UG_UNIT})\w*"
)

#: A number standing alone, read in the fact's unit: digits, a Chinese numeral, an English or Uyghur word.
_BARE = re.compile(
    rf"(?P<num>{_DIGITS}|[{_CN}]+(?:点[{_CN}]+)?|(?<![\w])(?:(?:{_EN_TENS})[\s-]+(?:{_EN_ONES})|{_EN_BARE_WORD}|"
    rf"(?:{_UG_WORD})(?:\s+(?:{_UG_WORD}))*)(?!\w))|(?P<half>半|(?<!\w)half(?!\w)|يېرىم)"
)
_NEGATIVE = re.compile(r"(?<![\w.])[-−－]\s*\d|负|\bminus\b")
_FRACTION = re.compile(r"\d\s*[/⁄]\s*\d|分之")
_ESTIMATE = re.compile(
    r"几|多岁|[\d十百千万年月天岁人]多|个把|来[个年月天岁]|余|左右|上下|大约|大概|约|差不多|以上|以下|不到|超过|至少|最多|"
    r"\babout\b|\baround\b|\bapprox|\bover\b|\bmore than\b|\bless than\b|\bat least\b|\bat most\b|\bsome\b|\bfew\b|"
    r"\bseveral\b|-?ish\b|~|\d\s*\+|تەخمىنەن|كۆپرەك|ئارتۇق|ئەتراپىدا"
)


@dataclass(frozen=True)
class _Term:
    start: int
    end: int
    amount: Fraction
    measure: str  # year, month, week, day or person


def parse_quantity(text: str, *, unit: str, min: int = 0, max: int | None = None) -> Parsed[int]:  # noqa: A002
    """A whole number of ``unit`` (a key of :data:`MEASURE`) in ``[min, max]``, from text as people type it.

    "一年" → 12 at a months question, "一年半" → 18, "半年" → 6, "两个月" → 2,
    "two months" → 2, "a year" → 12, «بىر يىل» → 12, "60天" → 2, "12" → 12;
    "13个月" at a months-a-year question is refused because a year has twelve.
    """
    measure = MEASURE[unit]
    normal = normalise(text).casefold()
    for whole_year, one_year in _WHOLE_YEAR:
        normal = whole_year.sub(one_year, normal)
    if _NEGATIVE.search(normal):
        return Parsed.refuse(NUMBER_NEGATIVE)
    if _ESTIMATE.search(normal):
        return Parsed.refuse(NUMBER_ESTIMATE)
    if _FRACTION.search(normal):
        return Parsed.refuse(NUMBER_NOT_WHOLE)
    terms = _terms(normal)
    if terms is None:
        return Parsed.refuse(NUMBER_ESTIMATE)  # "四五个月": two digits in a row is "four or five"
    rest = _blank(normal, terms)
    bare = [m for m in _BARE.finditer(rest) if m.group().strip()]
    if terms and bare:
        return Parsed.refuse(NUMBER_SEVERAL)
    if not terms:
        if not bare:
            return Parsed.refuse(QUANTITY_MISSING.get(unit, NUMBER_MISSING))
        amounts = {_amount(m["num"]) if m["num"] else Fraction(1, 2) for m in bare}
        if None in amounts:
            return Parsed.refuse(NUMBER_ESTIMATE)
        if len(amounts) > 1:
            return Parsed.refuse(NUMBER_SEVERAL)
        (total,) = amounts
        assert total is not None
    else:
        if unit == "months_per_year" and any(t.measure != "year" for t in terms):
            # "每年3个月", "3 months a year": the year is the period asked about, not an amount
            terms = [t for t in terms if not (t.measure == "year" and t.amount == 1)]
        measures = [t.measure for t in terms]
        if len(set(measures)) != len(measures):
            return Parsed.refuse(NUMBER_SEVERAL)
        converted = [_convert(t, measure) for t in terms]
        if any(c is None for c in converted):
            return Parsed.refuse(QUANTITY_MISSING.get(unit, NUMBER_MISSING))
        total = sum((c for c in converted if c is not None), Fraction(0))
    if total.denominator != 1:
        return Parsed.refuse(QUANTITY_NOT_WHOLE.get(unit, NUMBER_NOT_WHOLE))
    value = int(total)
    if max is not None and value > max:
        if unit == "months_per_year" and value > 12:
            return Parsed.refuse(MONTHS_IN_A_YEAR, value=value, min=min, max=max)
        return Parsed.refuse(NUMBER_OUT_OF_RANGE, value=value, min=min, max=max)
    if value < min:
        if max is not None:
            return Parsed.refuse(NUMBER_OUT_OF_RANGE, value=value, min=min, max=max)
        return Parsed.refuse(NUMBER_TOO_SMALL, value=value, min=min)
    return Parsed.accept(value)


def _terms(normal: str) -> list[_Term] | None:
    """Every amount written with its unit, left to right, none overlapping; None for an unreadable numeral."""
    found: list[_Term] = []
    for m in _CN_TERM.finditer(normal):
        halves = sum(1 for name in ("half1", "half2", "half3") if m[name])
        if m["num"] is None and not halves:
            continue
        base = Fraction(0) if m["num"] is None else _amount(m["num"])
        if base is None:
            return None
        found.append(_Term(m.start(), m.end(), base + Fraction(halves, 2), _CN_UNITS[m["unit"]]))
    for m in _EN_TERM.finditer(normal):
        if m["half"]:
            amount: Fraction | None = Fraction(1, 2)
        else:
            amount = _amount(m["num"])
            if amount is not None and (m["and_half1"] or m["and_half2"]):
                amount += Fraction(1, 2)
        if amount is None:
            return None
        found.append(_Term(m.start(), m.end(), amount, _EN_UNITS[m["unit"]]))
    for m in _UG_TERM.finditer(normal):
        if m["num"] is None and not m["half"]:
            continue
        amount = Fraction(0) if m["num"] is None else _amount(m["num"])
        if amount is None:
            return None
        if m["half"]:
            amount += Fraction(1, 2)
        found.append(_Term(m.start(), m.end(), amount, _UG_UNITS[m["unit"]]))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[_Term] = []
    for term in found:
        if not kept or term.start >= kept[-1].end:
            kept.append(term)
    return kept


def _blank(normal: str, terms: list[_Term]) -> str:
    """The text with the amounts already read replaced by spaces, so the numbers left over stand out."""
    chars = list(normal)
    for term in terms:
        chars[term.start : term.end] = " " * (term.end - term.start)
    return "".join(chars)


def _amount(numeral: str) -> Fraction | None:
    """The value of a number in digits ("1.5", "1,000"), Chinese ("一点五", "俩"), English or Uyghur words."""
    numeral = numeral.strip()
    if numeral[0].isdigit():
        return Fraction(numeral.replace(",", ""))
    if numeral in _EN_NUMBERS:
        return Fraction(_EN_NUMBERS[numeral])
    if parts := re.fullmatch(rf"({_EN_TENS})[\s-]+({_EN_ONES})", numeral):
        return Fraction(_EN_NUMBERS[parts[1]] + _EN_NUMBERS[parts[2]])
    words = numeral.split()
    if words and all(w in _UG_NUMBERS for w in words):
        return _ug_value([_UG_NUMBERS[w] for w in words])
    for colloquial, standard in _CN_COLLOQUIAL.items():
        numeral = numeral.replace(colloquial, standard)
    whole, _, decimals = numeral.partition("点")
    value = chinese_to_int(whole)
    if value is None:
        return None
    if not decimals:
        return Fraction(value)
    digits = chinese_to_int(decimals, digitwise=True)
    if digits is None:
        return None
    return Fraction(value) + Fraction(digits, 10 ** len(decimals))


def _ug_value(numbers: list[int]) -> Fraction | None:
    """Uyghur words in the order they are said: «ئون ئىككى» 10 + 2, «ئىككى يۈز» 2 × 100; None if not one number."""
    total, current = 0, 0
    for n in numbers:
        if n == 100:
            current = (current or 1) * 100
            total, current = total + current, 0
        elif current and (current < 10 or n >= 10 or current % 10):
            return None  # «بىر ئىككى»: two units in a row is not a number
        else:
            current += n
    return Fraction(total + current)


def _convert(term: _Term, measure: str) -> Fraction | None:
    """The term in the fact's measure, or None when it cannot be (people at a months question, 45 days)."""
    factor = _FACTORS[measure].get(term.measure)
    if factor is not None:
        return term.amount * factor
    if measure == "month" and term.measure == "day":
        return term.amount / _DAYS_PER_MONTH
    return None
