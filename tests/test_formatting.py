"""The reader's language: picked from Telegram's tag, and numbers, money, dates and lists written its way."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import get_locale, translator

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("code", "lang"),
    [("zh-hans", "zh"), ("zh-CN", "zh"), ("zh-hant", "zh"), ("zh-TW", "zh"), ("zh_HK", "zh"), ("zh", "zh"),
     ("en-US", "en"), ("en-GB", "en"), ("en", "en"), ("ug", "ug"), ("ug-CN", "ug"), ("ug-Arab-CN", "ug"), ("uig", "ug"),
     ("ru", None), ("uz", None), ("", None), (None, None)],
)  # fmt: skip
def test_telegram_language_codes_map_to_our_languages(code, lang):
    assert get_locale(code) == lang


def test_a_moment_is_shown_in_beijing_time_with_the_zone_named():
    moment = dt.datetime(2023, 6, 15, 12, 0, tzinfo=dt.UTC)  # 20:00 in Beijing
    assert translator("zh").datetime(moment) == "2023年6月15日 20:00（北京时间）"
    assert translator("en").datetime(moment) == "15 June 2023, 20:00 (Beijing time)"
    uyghur = translator("ug").datetime(moment)
    assert "15-ئىيۇن" in uyghur and "2023" in uyghur and "20:00" in uyghur and "بېيجىڭ ۋاقتى" in uyghur


@pytest.mark.parametrize(
    ("lang", "days", "text"),
    [("en", -1330, "3 years ago"), ("zh", -1330, "3年前"), ("ug", -1330, "3 يىل ئىلگىرى"),
     ("en", -330, "11 months ago"), ("en", 5, "in 5 days"), ("zh", 5, "5天后"), ("ug", 5, "5 كۈندىن كېيىن")],
)  # fmt: skip
def test_relative_phrases_count_whole_units(lang, days, text):
    assert translator(lang).relative(NOW + dt.timedelta(days=days, hours=3 if days > 0 else -3), NOW) == text


def test_time_left_uses_the_plural_forms_of_the_language():
    en = translator("en")
    assert en.time_left(dt.timedelta(days=1, hours=2)) == "1 day left"
    assert en.time_left(dt.timedelta(days=5, hours=2)) == "5 days left"
    assert en.time_left(dt.timedelta(hours=2, minutes=10)) == "3 hours left"
    assert en.time_left(dt.timedelta(minutes=10)) == "1 hour left"
    assert translator("zh").time_left(dt.timedelta(days=5)) == "还剩5天"


def test_money_is_counted_in_wan_in_chinese_and_in_figures_elsewhere():
    assert translator("zh").money(30000, "CNY") == "3万元"
    assert translator("zh").money(15000, "CNY") == "1.5万元"
    assert translator("zh").money(500, "CNY") == "500元"
    assert translator("en").money(30000, "CNY") == "CNY 30,000"
    assert "30,000" in translator("ug").money(30000, "CNY") and "يۈەن" in translator("ug").money(30000, "CNY")


def test_uyghur_lists_are_joined_with_uyghur_words():
    ug = translator("ug")
    assert ug.format_list(["A", "B", "C"]) == "A، B ۋە C"
    assert ug.format_list(["0991-1", "0991-2"], style="or") == "0991-1 ياكى 0991-2"
    assert ug.format_list(["A"]) == "A" and ug.format_list([]) == ""
    assert translator("zh").format_list(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert translator("en").format_list(["A", "B"], style="or") == "A or B"
