"""Quantities typed with their unit, read in the unit the question asks for (issue 15, point 2).

"一年" at "how many months a year do you work in Xinjiang" was stored as 1 month, so
eligible small-team and flexible-expert applicants were told they were not eligible;
"半年", "两个月" and "two months" were refused with the example "例如45".
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import translator
from dialogs.eligibility import Verdict, assess
from dialogs.facts import parse_profile
from dialogs.input_numbers import chinese_to_int
from dialogs.input_quantities import parse_quantity
from dialogs.inputs import (
    MONTHS_IN_A_YEAR,
    NUMBER_ESTIMATE,
    NUMBER_NEGATIVE,
    NUMBER_SEVERAL,
    QUANTITY_MISSING,
    QUANTITY_NOT_WHOLE,
    Parsed,
    render,
)
from dialogs.loader import Content
from tests.test_eligibility_personas import PERSONAS

TODAY = dt.date(2026, 11, 21)


def months_a_year(text: str) -> Parsed[int]:
    return parse_quantity(text, unit="months_per_year", min=0, max=12)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("一年", 12), ("1年", 12), ("一整年", 12), ("全年", 12), ("半年", 6), ("两个月", 2), ("俩月", 2),
        ("三个月", 3), ("十二个月", 12), ("12", 12), ("十二", 12), ("每年3个月", 3), ("60天", 2),
        ("a year", 12), ("two months", 2), ("half a year", 6), ("6 months", 6), ("twelve", 12),
        ("3 months a year", 3), ("بىر يىل", 12), ("ئىككى ئاي", 2), ("يېرىم يىل", 6), ("3 ئاي", 3),
        ("6 ئاي", 6), ("ئون ئىككى ئاي", 12), ("1 يىلدا 3 ئاي", 3), ("the whole year", 12), ("all year round", 12),
        ("پۈتۈن يىل", 12), ("يىل بويى", 12),
    ],
)  # fmt: skip
def test_months_a_year_are_read_with_their_unit_in_every_language(text, months):
    assert months_a_year(text) == Parsed(value=months)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("一年半", 18), ("1.5年", 18), ("一点五年", 18), ("1年3个月", 15), ("两年", 24), ("1.5 years", 18),
        ("a year and a half", 18), ("one and a half years", 18), ("بىر يېرىم يىل", 18), ("36个月", 36),
    ],
)  # fmt: skip
def test_a_support_period_in_years_is_counted_in_months(text, months):
    assert parse_quantity(text, unit="months", min=0, max=120) == Parsed(value=months)


def test_thirteen_months_a_year_is_refused_because_a_year_has_twelve():
    refused = months_a_year("13个月")
    assert refused.error is not None and refused.error.key == MONTHS_IN_A_YEAR
    assert render(refused.error, translator("en")).startswith("A year has only 12 months, so 13 months a year")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("一年多", NUMBER_ESTIMATE), ("几个月", NUMBER_ESTIMATE), ("四五个月", NUMBER_ESTIMATE),
        ("about 3 months", NUMBER_ESTIMATE), ("2-3个月", NUMBER_SEVERAL), ("3个月 4个月", NUMBER_SEVERAL),
        ("-3", NUMBER_NEGATIVE), ("半个月", QUANTITY_NOT_WHOLE["months_per_year"]),
        ("45天", QUANTITY_NOT_WHOLE["months_per_year"]), ("5人", QUANTITY_MISSING["months_per_year"]),
        ("不知道", QUANTITY_MISSING["months_per_year"]),
    ],
)  # fmt: skip
def test_an_estimate_a_range_or_a_part_of_a_month_is_refused_with_its_reason(text, key):
    refused = months_a_year(text)
    assert refused.error is not None and refused.error.key == key


@pytest.mark.parametrize("lang", ["zh", "en", "ug"])
def test_the_example_in_a_refusal_fits_a_months_question_and_is_never_forty_five(lang):
    shown = render(months_a_year("不知道").error, translator(lang))  # type: ignore[arg-type]
    assert "45" not in shown and "3" in shown and "12" in shown


def test_other_units_read_their_own_amounts():
    assert parse_quantity("45天", unit="days") == Parsed(value=45)
    assert parse_quantity("八个人", unit="people", min=1, max=200) == Parsed(value=8)
    assert parse_quantity("twenty-one people", unit="people", min=1, max=200) == Parsed(value=21)
    assert parse_quantity("24个月", unit="years", max=70) == Parsed(value=2)
    assert parse_quantity("45岁", unit="years_of_age", min=14, max=100) == Parsed(value=45)


@pytest.mark.parametrize(
    ("persona", "track"), [("small-team-member", "small-team"), ("flexible-expert", "flexible-expert")]
)
@pytest.mark.parametrize("typed", ["一年", "1年", "a year", "بىر يىل"])
def test_a_year_in_xinjiang_typed_at_the_question_keeps_an_eligible_applicant_eligible(
    content: Content, persona, track, typed
):
    person = PERSONAS[persona]
    program = content.program(person.program)
    fact = content.facts["months_in_xj_per_year"]
    parsed = fact.kind.parse(fact, typed, lang="zh", today=TODAY)
    assert parsed.value == 12
    facts = parse_profile({**person.facts, "months_in_xj_per_year": parsed.value}, content.facts)
    assert assess(program, program.track(track), facts, content.facts).verdict is Verdict.ELIGIBLE


@given(st.integers(min_value=0, max_value=12), st.sampled_from(["{}", "{}个月", "{} months", "{} ئاي", "{}月"]))
def test_any_valid_months_value_round_trips_in_digits(months, form):
    assert months_a_year(form.format(months)) == Parsed(value=months)


_CN_NUMERALS = ["零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


@given(st.integers(min_value=0, max_value=12))
def test_any_valid_months_value_round_trips_as_a_chinese_numeral(months):
    assert chinese_to_int(_CN_NUMERALS[months]) == months
    assert months_a_year(f"{_CN_NUMERALS[months]}个月") == Parsed(value=months)


@given(st.text(max_size=40))
def test_no_typed_text_makes_the_reader_raise(text):
    for unit in ("months", "months_per_year", "years", "years_of_age", "days", "people"):
        result = parse_quantity(text, unit=unit, min=0, max=120)
        assert result.ok != (result.error is not None)


@given(st.text(max_size=40))
def test_no_typed_text_makes_any_question_raise(content, text):
    for fact in content.facts.values():
        result = fact.kind.parse(fact, text, lang="zh", today=TODAY)
        assert result.ok != (result.error is not None)
        if result.ok:
            assert fact.kind.value_problem(fact, result.value) is None
