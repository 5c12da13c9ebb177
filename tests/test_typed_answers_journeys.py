"""The answers issue 15 found read wrongly, typed in whole conversations (its first bullet).

"一年" at the months-a-year question, a phone number from Hong Kong or Germany at
the contact step: each typed as an applicant types it, through the engine.
"""

from __future__ import annotations

import pytest

from tests.test_documents import make_ole2
from tests.test_engine_journeys import EXPERT, INSIDE_AID_WINDOW, PDF, answer_until_done, driver


def expert_until_contact(d, months: str) -> None:
    d.press("Apply")
    d.press("2023 aid-talent plan (batch 2)")
    d.press("Flexible aid experts")
    answer_until_done(d, EXPERT, {"months_in_xj_per_year": months})


@pytest.mark.parametrize("months", ["一年", "1年", "a year"])
def test_a_flexible_expert_who_types_a_year_is_stored_as_twelve_months_and_may_apply(content, months):
    d = driver(content, INSIDE_AID_WINDOW)
    expert_until_contact(d, months)
    assert d.state.facts["months_in_xj_per_year"] == 12
    assert d.state.step == "contact_name"


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("+852 9123 4567", "+85291234567", "+852 9123 4567"),
        ("+49 30 1234567", "+49301234567", "+49 30 1234567"),
        ("138 1234 5678", "+8613812345678", "+86 138 1234 5678"),
        ("0351-1234567", "+863511234567", "+86 351 123 4567"),
    ],
)
def test_a_phone_number_of_any_country_is_taken_and_submitted_in_e164(content, typed, stored, shown):
    d = driver(content, INSIDE_AID_WINDOW)
    expert_until_contact(d, "3个月")
    d.text("Zhang San")
    d.text(typed)
    d.text("Zhejiang University")
    d.press("Health (Regional Health Commission)")
    d.upload("form.pdf", PDF)
    d.press("Done with this document")
    d.press("Skip: my unit sends this one")
    assert f"Phone: {shown}" in d.screen
    d.press("Confirm and submit")
    [submission] = d.submissions.values()
    assert submission.applicant["phone"] == stored


def test_a_number_impossible_in_its_country_is_refused_and_asked_again(content):
    d = driver(content, INSIDE_AID_WINDOW)
    expert_until_contact(d, "3个月")
    d.text("Zhang San")
    d.text("+852 1234")
    assert "not a valid phone number for country code +852" in d.screen
    assert d.state.step == "contact_phone"


@pytest.mark.parametrize(("name", "streams"), [("申报表.doc", ("WordDocument",)), ("业绩表.xls", ("Workbook",))])
def test_an_old_office_file_is_received_for_a_document_item(content, name, streams):
    d = driver(content, INSIDE_AID_WINDOW)
    expert_until_contact(d, "3个月")
    d.text("Zhang San")
    d.text("13812345678")
    d.text("Zhejiang University")
    d.press("Health (Regional Health Commission)")
    d.upload(name, make_ole2(*streams))
    assert f"Received {name}." in d.screen


BACKBONE = {
    "region": "The four southern prefectures of Xinjiang",
    "employer": "An enterprise",
    "post": "A professional/technical post",
    "ethnic_minority": "Yes",
    "specialty_in_plan": "Yes",
    "chinese_proficiency": "Yes",
    "computer_skills": "Yes",
    "education": "Associate degree (大专)",
    "title": "Junior title",
    "scarce_specialty": "No",
}


def at_the_age_question(content):
    """The 2019 backbone training (原则上年龄不超过45周岁, applications close on 15 March 2019), up to the age."""
    d = driver(content)
    d.press("Am I eligible for a program?")
    d.press("2019 minority backbone training")
    while d.state.question != "age":
        d.press(BACKBONE.get(d.state.question or "", "I don't know"))
    return d


def test_a_year_and_month_of_birth_is_taken_as_the_age_on_the_deadline(content):
    d = at_the_age_question(content)
    d.text("1976年8月")
    assert d.state.facts["age"] == 42


@pytest.mark.parametrize(("birth", "age"), [("1990年", 29), ("1960年", 59)])
def test_a_year_alone_is_taken_when_both_possible_ages_give_the_same_verdict(content, birth, age):
    d = at_the_age_question(content)
    d.text(birth)
    assert d.state.facts["age"] == age
    assert "either way it makes no difference to the requirements here" in d.screen


def test_a_year_alone_on_both_sides_of_the_age_limit_says_it_depends_on_the_birth_day(content):
    d = at_the_age_question(content)
    d.text("1973年")
    assert "age" not in d.state.facts and d.state.question == "age"
    assert (
        "Born in 1973, you are 46 on 2019-03-15 if born on or before 1973-03-15, and 45 if born later. "
        "Please add the month of birth, for example 1973-08."
    ) in d.screen
