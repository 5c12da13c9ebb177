"""Answers typed the way people type them are read; wrong ones are refused with a reason, never accepted silently."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs import inputs
from dialogs.input_dates import age_on, parse_date
from dialogs.input_numbers import chinese_to_int, parse_int
from dialogs.input_phones import parse_phone, readable_phone
from dialogs.input_words import check_text, parse_choice, parse_yes_no
from dialogs.inputs import (
    CHOICE_AMBIGUOUS,
    CHOICE_NO_SUCH_NUMBER,
    CHOICE_UNKNOWN,
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
    NUMBER_ESTIMATE,
    NUMBER_MISSING,
    NUMBER_NEGATIVE,
    NUMBER_NOT_WHOLE,
    NUMBER_OUT_OF_RANGE,
    NUMBER_SEVERAL,
    NUMBER_TOO_SMALL,
    PHONE_INVALID,
    PHONE_MOBILE_LENGTH,
    PHONE_NO_AREA_CODE,
    PHONE_NOT_VALID_ABROAD,
    REFUSAL_KEYS,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
    Parsed,
    Refusal,
    render,
)

TODAY = dt.date(2024, 6, 1)


def refused(result: Parsed, key: str) -> dict:
    assert not result.ok, f"accepted {result.value!r}"
    assert result.value is None
    assert result.error.key == key
    return dict(result.error.args)


# --------------------------------------------------------------------------- whole numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("45", 45), ("45岁", 45), ("45 岁", 45), ("45周岁", 45), ("４５", 45), ("４５岁", 45),
        ("四十五", 45), ("四十五岁", 45), ("二十", 20), ("十二", 12), ("十", 10), ("一百", 100),
        ("两", 2), ("零", 0), ("0", 0), ("一百零五", 105), ("一百五", 150), ("三十一", 31),
        ("廿五", 25), ("肆拾伍", 45), (" 45 ", 45), ("45。", 45), ("“45”", 45), ("（45）", 45),
        ("45 years", 45), ("45 years old", 45), ("I am 45", 45), ("我今年45岁", 45), ("我今年四十五岁了", 45),
        ("45.0", 45), ("45岁（四十五）", 45), ("一九八〇", 1980), ("1,000", 1000), ("两千零二十三", 2023),
        ("两万五", 25000), ("一万", 10000),
    ],
)  # fmt: skip
def test_whole_numbers_are_read_in_digits_full_width_and_chinese(text, value):
    assert parse_int(text, min=0, max=100_000) == Parsed(value=value)


@pytest.mark.parametrize("text", ["4.5", "45.5", "四十五点五", "45岁半", "四十五岁半", "1/2", "三分之一", "½"])
def test_fractions_are_refused(text):
    refused(parse_int(text, min=0, max=150), NUMBER_NOT_WHOLE)


@pytest.mark.parametrize("text", ["-45", "-1", "负四十五", "－５"])
def test_negative_numbers_are_refused(text):
    refused(parse_int(text, min=0, max=150), NUMBER_NEGATIVE)


def test_a_negative_number_is_taken_when_the_range_allows_it():
    assert parse_int("-5", min=-10, max=10).value == -5


@pytest.mark.parametrize(
    "text", ["四十多岁", "三十几", "40多", "45左右", "约45", "大概四十五", "about 45", "45+", "四五十", "四五", "~45"]
)
def test_estimates_are_refused_rather_than_rounded(text):
    refused(parse_int(text, min=0, max=150), NUMBER_ESTIMATE)


@pytest.mark.parametrize("text", ["45-50", "45到50岁", "40 or 45", "1980-05-03"])
def test_several_numbers_are_refused(text):
    refused(parse_int(text, min=0, max=150), NUMBER_SEVERAL)


@pytest.mark.parametrize("text", ["", "   ", "abc", "不知道", "forty-five", "保密", "?"])
def test_text_without_a_number_is_refused(text):
    refused(parse_int(text, min=0, max=150), NUMBER_MISSING)


@pytest.mark.parametrize(("text", "value"), [("151", 151), ("1980", 1980), ("一千", 1000)])
def test_numbers_out_of_range_are_refused_with_the_bounds(text, value):
    assert refused(parse_int(text, min=16, max=150), NUMBER_OUT_OF_RANGE) == {"value": value, "min": 16, "max": 150}


def test_a_number_below_the_minimum_is_refused_with_the_bounds():
    assert refused(parse_int("15", min=16, max=150), NUMBER_OUT_OF_RANGE) == {"value": 15, "min": 16, "max": 150}
    assert refused(parse_int("15", min=16), NUMBER_TOO_SMALL) == {"value": 15, "min": 16}


def test_the_bounds_themselves_are_accepted():
    assert parse_int("16", min=16, max=60).value == 16
    assert parse_int("六十", min=16, max=60).value == 60


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("四十五", 45), ("十二", 12), ("二十", 20), ("一百", 100), ("两", 2), ("零", 0), ("一百零五", 105),
     ("一千零一", 1001), ("三千五", 3500), ("一万零五百", 10500), ("一九八〇", 1980), ("二〇二三", 2023)],
)  # fmt: skip
def test_chinese_numerals_have_their_value(numeral, value):
    assert chinese_to_int(numeral) == value


@pytest.mark.parametrize("numeral", ["四五", "四五十", "十百", "百千", "万万", "", "abc"])
def test_chinese_numerals_that_are_not_one_number_have_no_value(numeral):
    assert chinese_to_int(numeral) is None


def test_two_bare_chinese_digits_are_read_one_by_one_only_when_asked():
    assert chinese_to_int("八〇") is None
    assert chinese_to_int("八〇", digitwise=True) == 80


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    [
        "1980-05-03", "1980-5-3", "1980/5/3", "1980/05/03", "1980.5.3", "1980 5 3", "19800503",
        "1980年5月3日", "1980年5月3号", "1980年05月03日", "1980 年 5 月 3 日", "1980年5月3",
        "１９８０年５月３日", "１９８０－０５－０３", "一九八〇年五月三日", "一九八零年五月三日", "一九八○年五月三号",
        "1980年五月三日", "1980年5月3日出生", "出生日期：1980-05-03", "生于1980年5月3日", "1980-05-03。",
        "3 May 1980", "3rd May 1980", "May 3, 1980", "may 3 1980", "May 3rd, 1980", "3 may, 1980", "born 3 May 1980",
        "1980-يىلى 5-ئاينىڭ 3-كۈنى", "1980-يىل 5-ئاي 3-كۈن", "1980-يىلى 5-ئاينىڭ 3-كۈنى تۇغۇلغان", "3-ماي، 1980",
        "3-ماي، 1980-يىلى", "1980-يىلى 3-ماي", "تۇغۇلغان كۈنۈم: 1980-05-03",
    ],
)  # fmt: skip
def test_a_date_is_read_in_the_ways_people_write_it(text):
    assert parse_date(text, today=TODAY) == Parsed(value=dt.date(1980, 5, 3))


@pytest.mark.parametrize(
    ("text", "value"),
    [("一九八〇年十二月三十一日", dt.date(1980, 12, 31)), ("二〇〇〇年二月二十九日", dt.date(2000, 2, 29)),
     ("1980年十月一日", dt.date(1980, 10, 1)), ("2001年1月卅一日", dt.date(2001, 1, 31)),
     ("31/12/1980", dt.date(1980, 12, 31)), ("12/31/1980", dt.date(1980, 12, 31)), ("1/1/1980", dt.date(1980, 1, 1))],
)  # fmt: skip
def test_chinese_numeral_months_and_days_and_unambiguous_year_last_dates(text, value):
    assert parse_date(text, today=TODAY) == Parsed(value=value)


@pytest.mark.parametrize(
    "text", ["1981年2月30日", "1981-02-30", "1980年2月30日", "2023-02-31", "1981-يىلى 2-ئاينىڭ 30-كۈنى"]
)
def test_february_30_is_refused_with_a_reason(text):
    args = refused(parse_date(text, today=TODAY), DATE_NO_SUCH_DAY)
    assert args["month"] == 2 and args["day"] in (30, 31)
    assert args["days"] == (29 if args["year"] == 1980 else 28)


@pytest.mark.parametrize("text", ["2月30日", "二月三十日", "2月31号", "2-ئاينىڭ 30-كۈنى"])
def test_february_30_without_a_year_is_refused_because_february_never_has_it(text):
    args = refused(parse_date(text, today=TODAY), DATE_NEVER)
    assert args["month"] == 2 and args["days"] == 29


@pytest.mark.parametrize("text", ["5月3日", "2月29日", "十二月一号", "5-ئاينىڭ 3-كۈنى"])
def test_a_possible_day_without_a_year_asks_for_the_year(text):
    refused(parse_date(text, today=TODAY), DATE_NO_YEAR)


@pytest.mark.parametrize(("text", "year"), [("1981-02-29", 1981), ("1900年2月29日", 1900), ("2023/2/29", 2023)])
def test_february_29_outside_a_leap_year_is_refused_saying_so(text, year):
    assert refused(parse_date(text, today=TODAY), DATE_NOT_LEAP_YEAR) == {"year": year}


@pytest.mark.parametrize(
    ("text", "month", "day", "days"),
    [("1980-04-31", 4, 31, 30), ("1980年6月31日", 6, 31, 30), ("1980-05-00", 5, 0, 31), ("1980-01-32", 1, 32, 31)],
)
def test_days_a_month_does_not_have_are_refused_with_the_number_of_days(text, month, day, days):
    assert refused(parse_date(text, today=TODAY), DATE_NO_SUCH_DAY) == {
        "year": 1980,
        "month": month,
        "day": day,
        "days": days,
    }


@pytest.mark.parametrize(("text", "month"), [("1980-13-01", 13), ("1980年0月5日", 0), ("13月1日", 13)])
def test_a_month_that_does_not_exist_is_refused(text, month):
    assert refused(parse_date(text, today=TODAY), DATE_NO_SUCH_MONTH) == {"month": month}


@pytest.mark.parametrize("text", ["2024-06-02", "2030年1月1日", "二〇二五年一月一日"])
def test_a_future_date_is_refused_when_only_past_dates_make_sense(text):
    assert refused(parse_date(text, today=TODAY, past_only=True), DATE_IN_FUTURE) == {"today": "2024-06-01"}
    assert parse_date(text, today=TODAY).ok  # a deadline, say, may be in the future


def test_today_itself_is_not_in_the_future():
    assert parse_date("2024-06-01", today=TODAY, past_only=True).value == TODAY


def test_a_date_before_the_earliest_is_refused():
    assert refused(parse_date("1899-12-31", today=TODAY), DATE_TOO_EARLY) == {"earliest": "1900-01-01"}
    assert refused(parse_date("1990-01-01", today=TODAY, earliest=dt.date(2000, 1, 1)), DATE_TOO_EARLY) == {
        "earliest": "2000-01-01"
    }


@pytest.mark.parametrize("text", ["80年5月3日", "80-5-3", "八〇年五月三日", "80.05.03"])
def test_a_two_digit_year_is_refused_asking_for_the_full_year(text):
    refused(parse_date(text, today=TODAY), DATE_SHORT_YEAR)


@pytest.mark.parametrize("text", ["1980年5月", "1980-05", "1980/5", "一九八〇年五月"])
def test_a_month_without_a_day_asks_for_the_day(text):
    refused(parse_date(text, today=TODAY), DATE_NO_DAY)


def test_a_year_last_date_with_two_readings_is_refused_giving_both():
    args = refused(parse_date("05/03/1980", today=TODAY), DATE_AMBIGUOUS)
    assert args == {"text": "05/03/1980", "first": "1980-03-05", "second": "1980-05-03"}


@pytest.mark.parametrize(
    "text", ["", "yesterday", "昨天", "1980", "五月三日一九八〇", "1980-05-03-01", "Foo 3, 1980", "abc年def月"]
)
def test_text_that_is_not_a_date_is_refused(text):
    refused(parse_date(text, today=TODAY), DATE_UNREADABLE)


@pytest.mark.parametrize(
    ("birth", "today", "age"),
    [
        (dt.date(1980, 5, 3), dt.date(2024, 5, 2), 43),
        (dt.date(1980, 5, 3), dt.date(2024, 5, 3), 44),
        (dt.date(1980, 5, 3), dt.date(2024, 12, 31), 44),
        (dt.date(2000, 2, 29), dt.date(2023, 2, 28), 22),
        (dt.date(2000, 2, 29), dt.date(2023, 3, 1), 23),
        (dt.date(2000, 2, 29), dt.date(2024, 2, 29), 24),
        (dt.date(2024, 6, 1), dt.date(2024, 6, 1), 0),
    ],
)
def test_age_is_whole_years_completed(birth, today, age):
    assert age_on(birth, today) == age


def test_age_of_someone_not_yet_born_is_an_error():
    with pytest.raises(ValueError):
        age_on(dt.date(2030, 1, 1), TODAY)


# --------------------------------------------------------------------------- phone numbers


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("13912345678", "+8613912345678"), ("139 1234 5678", "+8613912345678"), ("139-1234-5678", "+8613912345678"),
        ("１３９１２３４５６７８", "+8613912345678"), ("+86 139 1234 5678", "+8613912345678"), ("+8613912345678", "+8613912345678"),
        ("+86-139-1234-5678", "+8613912345678"), ("008613912345678", "+8613912345678"), ("0086 139 1234 5678", "+8613912345678"),
        ("8613912345678", "+8613912345678"), ("86 13912345678", "+8613912345678"), ("(+86) 13912345678", "+8613912345678"),
        ("19912345678", "+8619912345678"), ("15000000000", "+8615000000000"), ("手机：13912345678", "+8613912345678"),
        ("电话13912345678", "+8613912345678"), ("Tel: 0991-3689692", "+869913689692"), ("座机 0991 3689692", "+869913689692"),
        ("0991-3689692", "+869913689692"), ("09913689692", "+869913689692"), ("0991 3689692", "+869913689692"),
        ("(0991)3689692", "+869913689692"), ("（0991）3689692", "+869913689692"), ("0991-368-9692", "+869913689692"),
        ("010-65123456", "+861065123456"), ("01065123456", "+861065123456"), ("021 6123 4567", "+862161234567"),
        ("029-88888888", "+862988888888"), ("0998-2345678", "+869982345678"), ("0351-4040404", "+863514040404"),
        ("+86 991 3689692", "+869913689692"), ("+86 10 6512 3456", "+861065123456"), ("0086-991-3689692", "+869913689692"),
        ("+86 (0)991 3689692", "+869913689692"),
        ("0991-3689692转123", "+869913689692;ext=123"), ("0991-3689692 转 8001", "+869913689692;ext=8001"),
        ("0991-3689692分机12", "+869913689692;ext=12"), ("0991-3689692 ext. 12", "+869913689692;ext=12"),
        ("0991-3689692 x12", "+869913689692;ext=12"), ("0991-3689692#12", "+869913689692;ext=12"),
        ("0991-3689692-123", "+869913689692;ext=123"), ("010-65123456-8001", "+861065123456;ext=8001"),
        ("0351-1234567", "+863511234567"), ("010-12345678", "+861012345678"),  # held valid by China's plan
    ],
)  # fmt: skip
def test_mainland_numbers_are_accepted_and_stored_in_e164(text, number):
    assert parse_phone(text) == Parsed(value=number)


@pytest.mark.parametrize(
    ("text", "count"), [("1391234567", 10), ("139123456789", 12), ("139 1234 567", 10), ("+86 1391234567", 10)]
)
def test_a_mobile_number_of_the_wrong_length_is_refused_with_the_count(text, count):
    assert refused(parse_phone(text), PHONE_MOBILE_LENGTH) == {"count": count}


@pytest.mark.parametrize(
    ("text", "number"), [("3689692", "3689692"), ("6512 3456", "65123456"), ("368-9692", "3689692")]
)
def test_a_landline_without_area_code_asks_for_it(text, number):
    assert refused(parse_phone(text), PHONE_NO_AREA_CODE) == {"number": number}


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("+852 9123 4567", "+85291234567"), ("+49 30 1234567", "+49301234567"), ("+1 415 555 0100", "+14155550100"),
        ("+852 2123 4567", "+85221234567"), ("001 415 555 0100", "+14155550100"), ("+44 20 7946 0958", "+442079460958"),
        ("Tel: +49 (30) 123-4567", "+49301234567"), ("＋８５２ ９１２３ ４５６７", "+85291234567"),
    ],
)  # fmt: skip
def test_numbers_outside_the_mainland_are_accepted_with_their_country_code_in_e164(text, number):
    assert parse_phone(text) == Parsed(value=number)


@pytest.mark.parametrize(("text", "code"), [("+852 1234", "+852"), ("+49 1", "+49"), ("+1 415 555", "+1")])
def test_a_number_impossible_in_its_country_is_refused_naming_the_country_code(text, code):
    assert refused(parse_phone(text), PHONE_NOT_VALID_ABROAD) == {"code": code}


@pytest.mark.parametrize(
    "text",
    [
        "", "abc", "12345678901", "11012345678", "400-123-4567", "800-810-8888", "95588", "110", "12345",
        "0991-12345", "0991-123456789", "0991-0689692", "010-1234567", "13912345678转1",
        "09913689692123", "0991-3689692-1234567", "139.1234.5678abc", "我的手机13912345678", "13912345678 or 13812345678",
    ],
)  # fmt: skip
def test_other_text_is_refused_saying_what_is_accepted(text):
    refused(parse_phone(text), PHONE_INVALID)


def test_the_phone_refusal_names_both_accepted_forms():
    assert "mobile" in PHONE_INVALID and "area code" in PHONE_INVALID and "0991-3689692" in PHONE_INVALID


# --------------------------------------------------------------------------- choices

DEGREES = [("bachelor", ["本科", "Bachelor"]), ("master", ["硕士", "Master"]), ("doctor", ["博士", "Doctor", "PhD"])]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", "bachelor"), ("１", "bachelor"), ("2.", "master"), ("(3)", "doctor"), ("③", "doctor"),
        ("第一个", "bachelor"), ("第二项", "master"), ("第3个", "doctor"), ("选2", "master"), ("二", "master"),
        ("option 2", "master"), ("#3", "doctor"), ("no. 1", "bachelor"), ("second", "master"), ("last", "doctor"),
        ("硕士", "master"), ("Master", "master"), ("MASTER", "master"), ("master ", "master"), ("ｍａｓｔｅｒ", "master"),
        ("Ph D", "doctor"), ("phd", "doctor"), ("「博士」", "doctor"), ("本科。", "bachelor"),
        ("博", "doctor"), ("硕", "master"), ("bach", "bachelor"), ("doc", "doctor"), ("ma", "master"),
    ],
)  # fmt: skip
def test_a_choice_is_read_by_number_label_in_any_language_or_unique_prefix(text, value):
    assert parse_choice(text, DEGREES) == Parsed(value=value)


def test_a_label_that_looks_like_a_number_wins_over_the_position():
    options = [("three", "3"), ("one", "1"), ("two", "2")]
    assert parse_choice("1", options).value == "one"
    assert parse_choice("4", [("a", "A"), ("b", "B")]).error.key == CHOICE_NO_SUCH_NUMBER


@pytest.mark.parametrize(("text", "number"), [("4", 4), ("0", 0), ("第五个", 5), ("99", 99)])
def test_an_option_number_that_does_not_exist_is_refused_with_the_count(text, number):
    assert refused(parse_choice(text, DEGREES), CHOICE_NO_SUCH_NUMBER) == {"number": number, "count": 3}


@pytest.mark.parametrize("text", ["", "  ", "associate", "高中", "x", "不知道"])
def test_an_unknown_answer_is_refused_listing_the_options(text):
    assert refused(parse_choice(text, DEGREES), CHOICE_UNKNOWN) == {"options": ("本科", "硕士", "博士")}


def test_an_ambiguous_prefix_is_refused_naming_only_the_options_it_matches():
    regions = [
        ("xj", ["新疆维吾尔自治区", "Xinjiang"]),
        ("xjs", ["新疆南疆四地州", "Southern Xinjiang"]),
        ("sx", ["山西", "Shanxi"]),
    ]
    args = refused(parse_choice("新疆", regions), CHOICE_AMBIGUOUS)
    assert args == {"text": "新疆", "matches": ("新疆维吾尔自治区", "新疆南疆四地州")}
    assert parse_choice("新疆维", regions).value == "xj"
    assert parse_choice("s", regions).error.key == CHOICE_AMBIGUOUS  # Southern Xinjiang, Shanxi
    assert parse_choice("sh", regions).value == "sx"


def test_a_label_shared_by_two_options_is_ambiguous():
    args = refused(parse_choice("其他", [("a", "其他"), ("b", ["另外", "其他"])]), CHOICE_AMBIGUOUS)
    assert args["matches"] == ("其他", "另外")


@pytest.mark.parametrize(
    "text",
    [
        "是",
        "是的",
        "对",
        "对的",
        "有",
        "要",
        "好的",
        "可以",
        "yes",
        "Yes",
        "YES",
        "y",
        "Y",
        "yeah",
        "true",
        "ok",
        "ｙｅｓ",
        "是。",
        "1",
        "ھەئە",
    ],
)
def test_yes_words_mean_true(text):
    assert parse_yes_no(text) == Parsed(value=True)
    assert parse_choice(text, [(True, "是"), (False, "否")]) == Parsed(value=True)


@pytest.mark.parametrize(
    "text",
    [
        "否",
        "不",
        "不是",
        "不对",
        "没有",
        "没",
        "无",
        "不要",
        "no",
        "No",
        "n",
        "N",
        "nope",
        "false",
        "False",
        "2",
        "ياق",
    ],
)
def test_no_words_mean_false(text):
    assert parse_yes_no(text) == Parsed(value=False)
    assert parse_choice(text, [(True, "有"), (False, "没有")]) == Parsed(value=False)


@pytest.mark.parametrize("text", ["maybe", "也许", "不知道", "是不是", "3"])
def test_neither_yes_nor_no_is_refused(text):
    result = parse_yes_no(text)
    assert not result.ok
    assert result.error.key in (CHOICE_UNKNOWN, CHOICE_NO_SUCH_NUMBER)


# --------------------------------------------------------------------------- free text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("  张三  ", "张三"),
        ("新疆大学\n", "新疆大学"),
        ("Ayşe Yılmaz", "Ayşe Yılmaz"),
        ("\u3000阿依古丽\u3000", "阿依古丽"),
    ],
)
def test_text_is_stripped_and_accepted(text, value):
    assert check_text(text, max_len=20) == Parsed(value=value)


@pytest.mark.parametrize("text", ["", " ", "\n\t", "\u3000"])
def test_empty_text_is_refused(text):
    refused(check_text(text, max_len=20), TEXT_EMPTY)


def test_over_long_text_is_refused_with_the_limit():
    assert refused(check_text("新" * 101, max_len=100), TEXT_TOO_LONG) == {"max": 100, "length": 101}
    assert check_text("新" * 100, max_len=100).value == "新" * 100  # characters, not bytes


# --------------------------------------------------------------------------- refusals as messages


def test_every_key_is_listed_and_every_listed_key_is_distinct():
    assert len(set(REFUSAL_KEYS)) == len(REFUSAL_KEYS)
    constants = {
        v
        for name, v in vars(inputs).items()
        if name.isupper()
        and isinstance(v, str)
        and name.split("_")[0] in {"NUMBER", "DATE", "PHONE", "CHOICE", "TEXT", "MONTHS", "BIRTH"}
    }
    by_unit = {v for name, v in vars(inputs).items() if name.startswith("QUANTITY_") for v in v.values()}
    assert constants | by_unit == set(REFUSAL_KEYS)


@dataclass
class Echo:
    """A translator that returns the English msgid and joins lists with commas."""

    lang: str = "en"

    def gettext(self, message: str) -> str:
        return message

    def format_list(self, items: Sequence[str], style: str = "standard") -> str:
        return ", ".join(items)


REFUSALS = [
    parse_int("200", min=0, max=150),
    parse_int("10", min=16),
    parse_date("1981-02-30", today=TODAY),
    parse_date("2月30日", today=TODAY),
    parse_date("05/03/1980", today=TODAY),
    parse_date("2030-01-01", today=TODAY, past_only=True),
    parse_phone("1391234567"),
    parse_phone("3689692"),
    parse_choice("x", DEGREES),
    parse_choice("新疆", [("a", "新疆北"), ("b", "新疆南")]),
    parse_choice("9", DEGREES),
    check_text("x" * 5, max_len=3),
]


@pytest.mark.parametrize("result", REFUSALS, ids=lambda r: r.error.key[:40])
def test_every_refusal_renders_with_all_its_placeholders_filled(result):
    placeholders = set(re.findall(r"\{(\w+)\}", result.error.key))
    assert placeholders == set(result.error.args)
    text = render(result.error, Echo())
    assert "{" not in text and "}" not in text


@pytest.mark.parametrize("result", REFUSALS, ids=lambda r: r.error.key[:40])
def test_refusal_arguments_survive_json_for_the_stored_conversation(result):
    args = json.loads(json.dumps(dict(result.error.args)))
    assert {k: tuple(v) if isinstance(v, list) else v for k, v in args.items()} == dict(result.error.args)


def test_render_joins_list_arguments_the_way_the_language_does():
    assert (
        render(Refusal(CHOICE_UNKNOWN, {"options": ("本科", "硕士")}), Echo())
        == "Please choose one of the options: 本科, 硕士."
    )


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+8613912345678", "+86 139 1234 5678"), ("+869913689692;ext=123", "+86 991 368 9692 ext. 123"),
        ("+85291234567", "+852 9123 4567"), ("13912345678", "13912345678"), ("0991-3689692", "0991-3689692"),
    ],
)  # fmt: skip
def test_a_stored_number_is_shown_grouped_and_an_older_one_as_it_was(stored, shown):
    assert readable_phone(stored) == shown


@given(st.text(max_size=30))
def test_no_typed_text_makes_the_phone_reader_raise(text):
    result = parse_phone(text)
    assert result.ok or result.error is not None
    if result.value is not None:
        assert result.value.startswith("+") and readable_phone(result.value)
