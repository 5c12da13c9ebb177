"""Birth dates given as a year and month, or a year alone, at the age question (issue 15, point 2).

"1976年8月" was refused. The age is worked out when the missing day or month cannot
change it; when it can, both ages are given with the birth day that separates them,
never a silent guess.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.input_dates import age_bounds, age_on
from dialogs.inputs import BIRTH_DAY_MATTERS, BIRTH_YEAR_ONLY, DATE_NO_SUCH_MONTH, NUMBER_OUT_OF_RANGE

TODAY = dt.date(2026, 11, 21)


def age(content, text: str):
    fact = content.facts["age"]
    return fact.kind.parse(fact, text, lang="zh", today=TODAY)


@pytest.mark.parametrize(
    "text", ["1976年8月", "一九七六年八月", "1976.8", "1976-08", "1976/8", "Aug 1976", "August 1976", "8/1976",
             "1976-يىلى 8-ئاي", "1976-يىلى ئاۋغۇست"],
)  # fmt: skip
def test_a_year_and_month_of_birth_gives_the_age_when_the_day_cannot_change_it(content, text):
    assert age(content, text).value == 50


def test_a_birth_month_that_is_the_current_month_gives_both_ages_and_the_day_between(content):
    refused = age(content, "1976年11月").error
    assert refused is not None and refused.key == BIRTH_DAY_MATTERS
    assert dict(refused.args) == {
        "year": 1976, "month": "11", "older": 50, "younger": 49, "on": "2026-11-21", "cutoff": "1976-11-21",
        "example": "1976-11-15",
    }  # fmt: skip


@pytest.mark.parametrize("text", ["1976年", "1976-يىلى"])
def test_a_year_alone_gives_both_ages_and_asks_for_the_month(content, text):
    refused = age(content, text).error
    assert refused is not None and refused.key == BIRTH_YEAR_ONLY
    assert (refused.args["older"], refused.args["younger"], refused.args["cutoff"]) == (50, 49, "1976-11-21")


def test_a_year_alone_on_new_years_eve_is_certain(content):
    fact = content.facts["age"]
    assert fact.kind.parse(fact, "1976年", lang="zh", today=dt.date(2026, 12, 31)).value == 50


def test_an_impossible_month_is_refused_with_the_reason(content):
    refused = age(content, "1976年13月").error
    assert refused is not None and refused.key == DATE_NO_SUCH_MONTH and refused.args == {"month": 13}


def test_a_birth_year_that_makes_the_age_out_of_range_is_refused_as_such(content):
    refused = age(content, "2020年5月").error
    assert refused is not None and refused.key == NUMBER_OUT_OF_RANGE


@given(
    st.integers(min_value=1930, max_value=2010),
    st.integers(min_value=1, max_value=12),
    st.dates(min_value=dt.date(2011, 1, 1), max_value=dt.date(2040, 12, 31)),
)
def test_the_bounds_hold_every_day_of_the_birth_month(year, month, on):
    bounds = age_bounds(year, month, on)
    assert bounds is not None
    youngest, oldest, cutoff = bounds
    days = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.date(year, month, 1)).days
    ages = {age_on(dt.date(year, month, d), on) for d in range(1, days + 1)}
    assert ages == {youngest, oldest}
    assert age_on(cutoff, on) == oldest
