"""Whole applicant journeys through the pure engine: find, check, read, apply, review, confirm, status."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dialogs.engine import Context, handle
from dialogs.events import ChoiceEvent, CreateSubmission, NotifyStaff, SetLanguage, StoreFile, Subscribe
from dialogs.state import State
from tests.engine_driver import Driver

BEIJING = ZoneInfo("Asia/Shanghai")
INSIDE_AID_WINDOW = dt.datetime(2023, 6, 10, 12, 0, tzinfo=BEIJING)
TODAY = dt.datetime(2026, 11, 21, 12, 0, tzinfo=BEIJING)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
OTHER_PDF = b"%PDF-1.7\n% another file\n%%EOF\n"


def driver(content, now=TODAY, lang="en") -> Driver:
    d = Driver(content, now, state=State(lang=lang))
    d.command("start")
    return d


EXPERT = {
    "region": "Another province, autonomous region or municipality",
    "civil_servant": "No",
    "in_key_program": "No",
    "applying_elsewhere": "No",
    "agreement_signed": "Yes",
    "title": "Full senior title",
    "education": "Doctorate",
}


def answer_until_done(d: Driver, answers: dict[str, str], typed: dict[str, str] | None = None) -> list[str]:
    """Answer each question from ``answers`` (by button) or ``typed`` (as text); return the facts asked."""
    typed = typed or {}
    asked = []
    while d.state.step == "question":
        fact = d.state.question
        asked.append(fact)
        if fact in typed:
            d.text(typed[fact])
        elif fact in answers:
            d.press(answers[fact])
        else:
            d.press("I don't know")
        assert len(asked) < 40
    return asked


def apply_as_expert(d: Driver) -> None:
    d.press("Apply")
    d.press("2023 aid-talent plan (batch 2)")
    d.press("Flexible aid experts")
    answer_until_done(d, EXPERT, {"months_in_xj_per_year": "3个月"})
    d.text("张三")
    d.text("139 1234 5678")
    d.text("浙江大学")
    assert "It decides which office reviews your application" in d.screen
    d.press("Health (Regional Health Commission)")


def test_applicant_applies_with_documents_fixes_an_answer_and_sees_the_status(content):
    d = driver(content, INSIDE_AID_WINDOW)
    apply_as_expert(d)
    assert "Document 1 of 2" in d.screen
    d.upload("form-page1.pdf", PDF)
    d.upload("form-page2.png", PNG)
    assert "2 files received for this document." in d.screen
    d.press("Done with this document")
    assert "Document 2 of 2" in d.screen
    d.press("Skip: my unit sends this one")
    review = d.screen
    assert "Please check your application" in review and "Phone: +86 139 1234 5678" in review
    assert "form-page1.pdf" in review and "form-page2.png" in review

    d.press("Change phone")
    d.text("0991-3689692")
    assert "Phone: +86 991 368 9692" in d.screen

    d.press("Change an answer")
    d.press("Months in Xinjiang per year: 3")
    d.text("4")
    assert "Please check your application" in d.screen  # back on the review screen
    assert d.state.facts["months_in_xj_per_year"] == 4

    d.press("Confirm and submit")
    [submission] = d.submissions.values()
    assert f"Reference: {submission.reference}" in d.screen
    assert submission.applicant["phone"] == "+869913689692"
    assert submission.verdict == "eligible" and submission.track == "flexible-expert"
    assert [doc.original_name for doc in submission.documents] == ["form-page1.pdf", "form-page2.png"]
    assert all(doc.stored_name in d.files for doc in submission.documents)
    assert all("form-page" not in doc.stored_name for doc in submission.documents)  # never the sender's name
    assert any(isinstance(e, NotifyStaff) and e.reference == submission.reference for e in d.effects)

    d.press("My submissions")
    assert submission.reference in d.screen and "submitted: sent to the office, not yet reviewed" in d.screen


def test_replayed_confirm_creates_the_same_submission_key(content):
    d = driver(content, INSIDE_AID_WINDOW)
    apply_as_expert(d)
    d.upload("form.pdf", PDF)
    d.press("Done with this document")
    d.press("Skip: my unit sends this one")
    before = d.state
    [confirm] = [data for label, data in d.buttons() if label == "Confirm and submit"]
    first = handle(before, ChoiceEvent(confirm), content, INSIDE_AID_WINDOW, Context("test:1"))
    again = handle(before, ChoiceEvent(confirm), content, INSIDE_AID_WINDOW, Context("test:1"))
    keys = {e.key for o in (first, again) for e in o.effects if isinstance(e, CreateSubmission)}
    assert len(keys) == 1
    # after the confirm, a second tap on the old button is an expired menu, not a second submission
    after = handle(first.state, ChoiceEvent(confirm), content, INSIDE_AID_WINDOW, Context("test:1"))
    assert not any(isinstance(e, CreateSubmission) for e in after.effects)


def test_finding_a_program_asks_only_questions_that_still_matter(content):
    d = driver(content)
    d.press("Which program fits me?")
    first = d.state.question
    answers = {
        "region": "Shanxi Province",
        "post": "A professional/technical post",
        "title": "Associate senior title",
        "skill_level": "No vocational qualification",
        "professional_achievement": "Yes",
        "employer": "A public institution",
        "leader_not_practicing": "No",
        "vice_provincial_or_above": "No",
        "has_state_allowance": "No",
        "civil_servant": "No",
        "in_key_program": "No",
        "applying_elsewhere": "No",
        "agreement_signed": "Yes",
        "education": "Master's degree",
        "national_expert_team": "No",
        "academician": "No",
        "nationality": "CN",
    }
    asked = answer_until_done(
        d,
        answers,
        {
            "age": "45",
            "months_in_xj_per_year": "3",
            "team_size": "6",
            "support_months": "12",
            "frontline_years": "3",
            "nationality": "CN",
        },
    )
    assert first == asked[0]
    assert len(asked) == len(set(asked))  # never the same question twice
    for minority_only in ("ethnic_minority", "chinese_proficiency", "computer_skills"):
        assert minority_only not in asked  # the Shanxi answer already rules the minority program out
    screen = d.screen
    assert "You are eligible, but the window is not open now:" in screen
    assert "2023 special allowance (Shanxi) — Professionals" in screen
    assert "Not eligible:" in screen


def test_checking_one_track_ends_with_each_reason_and_its_clause(content):
    d = driver(content)
    d.press("Am I eligible for a program?")
    d.press("2019 minority backbone training")
    answers = {
        "region": "The four southern prefectures of Xinjiang",
        "employer": "An enterprise",
        "post": "A professional/technical post",
        "ethnic_minority": "No",
        "chinese_proficiency": "Yes",
        "computer_skills": "Yes",
        "education": "Associate degree (大专)",
        "title": "Junior title",
    }
    answer_until_done(d, answers, {"age": "1970年5月3日"})
    assert d.state.facts["age"] == 48  # on the deadline, 15 March 2019 (on today it would be 56)
    screen = d.screen
    assert "not eligible" in screen
    # The rule not met leads (a long verdict is cut into messages, and what decides it comes first).
    assert screen.split("\n")[1] == "✗ Aged 45 or under (45 included) [004_5e1263618b041c53.txt §二(三)]"
    assert len(d.screen) <= 1000
    while more := [label for label in d.labels() if label.startswith("More (")]:
        d.press(more[0])
        assert len(d.screen) <= 1000  # each message of a long verdict, the rest one tap away
        screen += "\n" + d.screen
    assert "✓" in screen


def test_a_date_that_does_not_exist_is_refused_and_asked_again(content):
    d = driver(content)
    d.press("Am I eligible for a program?")
    d.press("2023 aid-talent plan (batch 2)")
    d.press("Training of Xinjiang's backbone professionals")
    trainee = {
        "region": "Xinjiang (outside the four southern prefectures)",
        "post": "A professional/technical post",
        "unit_level": "A region-level or Corps-level unit",
        "education": "Master's degree",
        "agreement_signed": "Yes",
        "civil_servant": "No",
        "in_key_program": "No",
        "applying_elsewhere": "No",
    }
    for _ in range(len(trainee) + 1):
        if d.state.question == "age":
            break
        d.press(trainee[d.state.question])
    assert d.state.question == "age"
    d.text("1980年2月30日")
    assert "That date does not exist" in d.screen
    assert d.state.question == "age" and "age" not in d.state.facts
    d.text("四十五岁")
    assert d.state.facts["age"] == 45


@pytest.mark.parametrize(
    ("answer", "message"),
    [("forty-ish", "not an estimate"), ("4.5", "whole years"), ("200", "out of range"), ("old", "for example 45")],
)
def test_a_wrong_number_is_explained_and_asked_again(content, answer, message):
    d = driver(content)
    d.press("Am I eligible for a program?")
    d.press("2019 minority backbone training")
    # An applicant who stays in the running until the age question (no degree would end it first).
    keep_going = ("Yes", "Bachelor's degree", "Intermediate title")
    for _ in range(12):
        if d.state.question == "age":
            break
        d.press(next((label for label in keep_going if label in d.labels()), d.labels()[0]))
    assert d.state.question == "age"
    d.text(answer)
    assert message in d.screen and d.state.question == "age" and "age" not in d.state.facts


def test_a_choice_typed_as_text_is_accepted(content):
    d = driver(content)
    d.press("Which program fits me?")
    assert d.state.question == "region"
    d.text("shanxi province")
    assert d.state.facts["region"] == "shanxi"


def test_deadlines_and_contacts_are_read_from_the_content(content):
    d = driver(content)
    d.press("Deadlines, contacts and documents")
    d.press("2023 special allowance (Shanxi)")
    d.press("Deadlines")
    assert "31 March 2023 (Beijing time) (closed 3 years ago)" in d.screen
    d.press("Back")
    d.press("Contacts")
    seen = d.screen
    while more := [label for label in d.labels() if label.startswith("More (")]:  # a long list: the rest behind More
        seen += "\n" + d.press(more[0])
    assert "2293393" in seen and "0351-7676046" in seen


def test_free_question_is_answered_in_the_chosen_program(content):
    d = driver(content)
    d.press("Deadlines, contacts and documents")
    d.press("2019 minority backbone training")
    d.text("When is the deadline?")
    assert "15 March 2019" in d.screen


def test_closed_window_says_so_and_offers_to_tell_the_next_round(content):
    d = driver(content, TODAY)
    d.press("Apply")
    d.press("2023 aid-talent plan (batch 2)")
    d.press("Small aid teams")
    assert "Applications for 2023 aid-talent plan (batch 2) — Small aid teams are not open now." in d.screen
    assert "Last window: Application deadline: by 15 June 2023, 20:00 (Beijing time) (closed 3 years ago)" in d.screen
    d.press("Tell me when the next round opens")
    assert Subscribe("xj-aid-talent-2023b2") in d.effects


def test_a_button_from_an_old_message_has_expired(content):
    d = driver(content)
    [find] = [data for label, data in d.buttons() if label == "Which program fits me?"]
    d.press("Deadlines, contacts and documents")
    d.send(ChoiceEvent(find))
    assert "This menu has expired. Here is the current one." in d.screen
    assert "Which program?" in d.screen  # the current screen again


@pytest.mark.parametrize(
    ("name", "content_bytes", "message"),
    [
        ("empty.pdf", b"", "The file is empty"),
        ("notes.txt", b"just some text, not a document", "could not tell what kind of file"),
        ("huge.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "the limit is 20 MB"),
    ],
)
def test_bad_files_are_refused_with_a_reason(content, name, content_bytes, message):
    d = driver(content, INSIDE_AID_WINDOW)
    apply_as_expert(d)
    d.upload(name, content_bytes)
    assert message in d.screen
    assert not d.state.draft.documents.get(d.state.draft.item)
    assert not any(isinstance(e, StoreFile) for e in d.effects)


def test_the_same_file_twice_is_refused(content):
    d = driver(content, INSIDE_AID_WINDOW)
    apply_as_expert(d)
    d.upload("a.pdf", PDF)
    d.upload("b.pdf", PDF)
    assert "You have already sent this file" in d.screen
    assert len(d.state.draft.documents[d.state.draft.item]) == 1


def test_a_file_outside_the_document_step_is_not_taken(content):
    d = driver(content)
    d.upload("a.pdf", PDF)
    assert "I was not expecting a file now." in d.screen
    assert not d.files


def test_over_long_text_is_refused(content):
    d = driver(content, INSIDE_AID_WINDOW)
    apply_as_expert(d)
    d.press("Back")  # back to the field of work, the screen before the documents
    assert "It decides which office reviews your application" in d.screen
    d.press("Back")  # and to the employer question
    d.text("单" * 500)
    assert "That is too long" in d.screen


def test_back_undoes_the_last_answer_and_asks_it_again(content):
    d = driver(content)
    d.press("Which program fits me?")
    first = d.state.question
    d.press(d.labels()[0])
    d.press("Back")
    assert d.state.question == first and first not in d.state.facts


def test_cancel_drops_the_draft_and_shows_the_menu(content):
    d = driver(content, INSIDE_AID_WINDOW)
    apply_as_expert(d)
    d.command("cancel")
    assert d.state.draft is None and "What would you like to do?" in d.screen


def test_language_choice_is_stored_and_used(content):
    d = driver(content, lang="en")
    d.press("Language")
    d.press("中文")
    assert SetLanguage("zh") in d.effects
    assert d.state.lang == "zh"
    assert "What would you like to do?" not in d.screen
