"""Whole numbers typed as answers, in digits or in Chinese numerals ("45岁", "四十五", "两万五").

Chinese numerals (:func:`chinese_to_int`) are read here for the other parsers
too: a date in characters ("一九八〇年五月三日") and an option by its number
("第二个") use them.
"""

from __future__ import annotations

import re

from dialogs.inputs import (
    NUMBER_ESTIMATE,
    NUMBER_MISSING,
    NUMBER_NEGATIVE,
    NUMBER_NOT_WHOLE,
    NUMBER_OUT_OF_RANGE,
    NUMBER_SEVERAL,
    NUMBER_TOO_SMALL,
    Parsed,
    normalise,
)

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
CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG) + "".join(_CN_SHORTHAND)


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
    r"(?P<num>\d+(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|[" + CN_CHARS + r"]+(?:点[" + CN_CHARS + r"]+)?)"
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
    normal = normalise(text).casefold()
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
