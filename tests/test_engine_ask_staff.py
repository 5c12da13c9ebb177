"""'Ask staff': the engine passes the last free question on to the office that answers questions, once."""

from __future__ import annotations

import dataclasses

from dialogs.events import ForwardQuestion
from dialogs.flows.buttons import AskStaff
from dialogs.loader import load_content
from dialogs.routing import question_office
from tests.engine_driver import Driver
from tests.test_engine_journeys import driver

AID = "xj-aid-talent-2023b2"
QUESTION = "援疆期间的社保由哪一方缴纳？"


def asked(d: Driver, question: str | None = QUESTION, program: str | None = AID) -> None:
    """The state the free-question answer leaves behind when it offers "Ask staff"."""
    d.state.free_question, d.state.free_question_program = question, program


def press_ask_staff(d: Driver) -> str:
    """Press "Ask staff" on the current screen (its data, as the answer's button carries it)."""
    return d.send_choice(AskStaff(d.state.menu).pack())


def forwarded(d: Driver) -> list[ForwardQuestion]:
    return [e for e in d.effects if isinstance(e, ForwardQuestion)]


def test_ask_staff_passes_the_question_to_the_programs_question_office_and_names_it(content):
    d = driver(content)
    asked(d)
    screen = press_ask_staff(d)
    assert forwarded(d) == [ForwardQuestion(QUESTION, AID, "org-aid-talent-wu", "en")]
    assert (
        "Your question was passed to the staff of Aid Talent Division, Organisation Department of the Regional Party Committee."
        in screen
    )
    assert "Their answer will come in this chat" in screen
    assert "My submissions" in d.labels()
    assert d.state.free_question is None and d.state.free_question_program is None


def test_the_office_is_named_in_the_readers_language(content):
    d = driver(content, lang="zh")
    asked(d)
    assert "自治区党委组织部援疆人才处" in press_ask_staff(d)


def test_a_double_tap_on_ask_staff_forwards_the_question_once(content):
    d = driver(content)
    asked(d)
    data = AskStaff(d.state.menu).pack()
    d.send_choice(data)
    again = d.send_choice(data)  # the same button, pressed again
    assert "This menu has expired" in again
    assert len(forwarded(d)) == 1


def test_ask_staff_without_a_question_says_so_and_shows_the_menu(content):
    d = driver(content)
    screen = press_ask_staff(d)
    assert "There is no question to pass on to staff." in screen
    assert "What would you like to do?" in screen
    assert forwarded(d) == []


def test_ask_staff_again_after_forwarding_has_nothing_left_to_pass_on(content):
    d = driver(content)
    asked(d)
    press_ask_staff(d)
    assert "There is no question to pass on to staff." in press_ask_staff(d)
    assert len(forwarded(d)) == 1


def test_a_question_about_no_program_goes_to_the_general_staff_chat(content):
    d = driver(content)
    asked(d, "Can I apply for two programs at once?", None)
    screen = press_ask_staff(d)
    assert forwarded(d) == [ForwardQuestion("Can I apply for two programs at once?", None, None, "en")]
    assert "Your question was passed to our staff." in screen


def test_a_program_gone_from_the_content_sends_the_question_to_the_general_staff_chat(content):
    d = driver(content)
    asked(d, QUESTION, "a-program-admins-removed")
    press_ask_staff(d)
    assert forwarded(d) == [ForwardQuestion(QUESTION, None, None, "en")]


def test_the_chosen_track_picks_its_own_office(content):
    d = driver(content)
    d.press("Am I eligible for a program?")
    d.press("2023 aid-talent plan (batch 2)")
    d.press("Medical talent group-style aid teams")
    asked(d)
    press_ask_staff(d)
    assert forwarded(d)[0].office == "health-aid-office"


def test_question_offices_are_the_notices_policy_or_general_contacts():
    content = load_content()
    aid = content.program(AID)
    assert question_office(aid, None).id == "org-aid-talent-wu"  # not a sector's office
    assert question_office(aid, "medical-team").id == "health-aid-office"
    allowance = content.program("xj-state-allowance-2020")
    assert question_office(allowance, "skilled").id == "career-skills-division"  # policy before general
    assert question_office(allowance, None).id == "evaluation-centre"
    assert question_office(content.program("sx-state-allowance-2023"), "skilled").id == "province-policy"
    assert question_office(content.program("xj-regional-allowance"), None) is None  # the notice names no contact


def test_my_submissions_lists_questions_and_staff_answers(content):
    d = driver(content)
    asked(d)
    press_ask_staff(d)
    d.command("status")
    assert "You have no submissions yet." in d.screen
    assert "Your questions to staff:" in d.screen and QUESTION in d.screen
    assert "No answer from staff yet." in d.screen
    d.questions[0] = dataclasses.replace(d.questions[0], answer="由派出单位缴纳。\n详见通知第三条。", answered_at=d.now)
    d.command("status")
    assert (
        "Staff of Aid Talent Division, Organisation Department of the Regional Party Committee: 由派出单位缴纳。"
        in d.screen
    )
    assert "详见通知第三条。" in d.screen
    assert "No answer from staff yet." not in d.screen
