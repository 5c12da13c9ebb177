"""Phone numbers typed as answers, stored in E.164: mainland numbers as people write them, others with their
country code.

Mainland numbers keep their careful reading (a mobile, or a landline with its
area code, "+86" optional, an extension when it is marked). A number with
another country code ("+852 9123 4567", "+49 30 1234567", "001 415 555 0100")
is read and validated by ``phonenumbers``, Google's libphonenumber metadata for
every country: the Shanxi notice admits foreign nationals, and every number
outside the mainland was refused before (issue 15). Everything is stored in
E.164 ("+8613912345678"), with an extension as RFC 3966 writes it
("+869913689692;ext=123"), so staff can dial it from anywhere.
"""

from __future__ import annotations

import functools
import re

from dialogs.inputs import (
    FRAME,
    PHONE_INVALID,
    PHONE_MOBILE_LENGTH,
    PHONE_NO_AREA_CODE,
    PHONE_NOT_VALID_ABROAD,
    Parsed,
    Refusal,
    normalise,
)

#: Area codes of two digits after the 0: Beijing 010 and 020–029; every other area code has three.
_TWO_DIGIT_AREA = re.compile(r"^0(?:10|2\d)")
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$")
_PHONE_CHARS = re.compile(r"^\+?[\d\s\-.()]+$")
#: A label typed before the number: "手机：139…", "Tel: 0991…".
_PHONE_LABEL = re.compile(
    r"^(?:手机号码|手机号|手机|联系电话|电话号码|电话|座机|固话|mobile|phone|tel|cell)\s*[:：]?\s*"
)


# ``phonenumbers`` (~10 ms to import, and its metadata) is imported by the functions that read a number with
# it, not with this module: most conversations never type a phone number abroad.


@functools.cache
def _country_codes() -> frozenset[int]:
    """Every country calling code libphonenumber knows (1, 44, 852 …)."""
    import phonenumbers

    return frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


def parse_phone(text: str) -> Parsed[str]:
    """A phone number in E.164: "+8613912345678", "+869913689692", "+869913689692;ext=123", "+85291234567".

    A number with a country code other than 86 (after "+" or "00") is checked
    with ``phonenumbers`` against that country's numbering plan; an impossible
    one is refused saying so. Mainland numbers are read by :func:`parse_mainland`.
    """
    normal = _PHONE_LABEL.sub("", normalise(text).casefold())
    digits = re.sub(r"[^\d]", "", normal)
    if (normal.startswith("+") or digits.startswith("00")) and not digits.startswith(("86", "0086")):
        return _abroad(normal, digits)
    mainland = parse_mainland(text)
    if mainland.value is None:
        return _by_the_plan(normal, digits) if mainland.error == Refusal(PHONE_INVALID) else mainland
    if mainland.value.startswith("1"):
        return Parsed.accept("+86" + mainland.value)
    area, local, *extension = mainland.value.split("-")
    return Parsed.accept("+86" + area.removeprefix("0") + local + "".join(f";ext={e}" for e in extension))


@functools.cache
def _personal() -> frozenset[int]:
    """The kinds of number a person can be reached on; service numbers (400, 95xxx) are not among them."""
    from phonenumbers import PhoneNumberType

    return frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


def _by_the_plan(normal: str, digits: str) -> Parsed[str]:
    """A mainland number the careful reading refused, taken when China's numbering plan in ``phonenumbers``
    holds it to be a landline or a mobile ("0351-1234567"); else the refusal saying what is accepted."""
    import phonenumbers

    area = 3 if _TWO_DIGIT_AREA.match(digits) else 4
    if not _PHONE_CHARS.match(normal) or not digits.startswith("0") or digits[area : area + 1] in ("", "0"):
        return Parsed.refuse(PHONE_INVALID)  # no local number starts with the trunk 0
    try:
        number = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        return Parsed.refuse(PHONE_INVALID)
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in _personal():
        return Parsed.refuse(PHONE_INVALID)
    return Parsed.accept(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _abroad(normal: str, digits: str) -> Parsed[str]:
    """A number outside the mainland, validated against its own country's numbering plan."""
    import phonenumbers

    if not _PHONE_CHARS.match(normal):
        return Parsed.refuse(PHONE_INVALID)
    international = digits.removeprefix("00")
    try:
        number = phonenumbers.parse("+" + international, None)
    except phonenumbers.NumberParseException:
        # too short or too long to parse: still name the country code when it is one
        code = next((international[:n] for n in (1, 2, 3) if int(international[:n] or 0) in _country_codes()), None)
        return Parsed.refuse(PHONE_NOT_VALID_ABROAD, code=f"+{code}") if code else Parsed.refuse(PHONE_INVALID)
    if not phonenumbers.is_valid_number(number):
        return Parsed.refuse(PHONE_NOT_VALID_ABROAD, code=f"+{number.country_code}")
    return Parsed.accept(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def parse_mainland(text: str) -> Parsed[str]:
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
    normal = _PHONE_LABEL.sub("", normalise(text).casefold())
    extension: str | None = None
    if m := _EXTENSION.search(normal):
        extension, normal = m[1], normal[: m.start()].strip(FRAME)
    if not normal or not _PHONE_CHARS.match(normal):
        return Parsed.refuse(PHONE_INVALID)
    digits = re.sub(r"[^\d]", "", normal)
    international = False
    if normal.startswith("+") or digits.startswith("00"):
        if not digits.startswith(("86", "0086")):
            return Parsed.refuse(PHONE_INVALID)  # parse_phone reads numbers of other countries
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


def readable_phone(stored: str) -> str:
    """A stored number as people read and dial it: "+8613912345678" → "+86 139 1234 5678", an extension as
    "ext. 123". A number kept before numbers were stored in E.164 ("13912345678") is shown as it was."""
    number, _, extension = stored.partition(";ext=")
    if not number.startswith("+"):
        return stored
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return stored
    shown = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return f"{shown} ext. {extension}" if extension else shown
