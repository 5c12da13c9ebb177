"""Short, direct replies (issue 15, point 4): the answer first, one contact paragraph, the rest behind "More".

A reply is read on a phone: the fact asked for is in its first line, a single
message stays under 1,000 characters and what does not fit is one tap away; a
stray number is not taken for a question.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import translator
from dialogs.answers import answer
from dialogs.bidi import strip_marks
from dialogs.eligibility import assess
from dialogs.events import ChoiceEvent
from dialogs.flows.buttons import More
from dialogs.flows.context import Context
from dialogs.pages import LIMIT, split_pages
from dialogs.render import render_composed
from dialogs.state import State
from tests.ask_eval import SETS, load_questions
from tests.engine_driver import Driver

BEIJING = ZoneInfo("Asia/Shanghai")
TODAY = dt.datetime(2026, 11, 21, 12, 0, tzinfo=BEIJING)
INSIDE_AID_WINDOW = dt.datetime(2023, 6, 10, 12, 0, tzinfo=BEIJING)
#: A phone number as the notices print them: a landline with or without its area code, or a mobile.
PHONE = re.compile(r"(?<![\d-])(?:0\d{2,3}-)?\d{7,8}(?!\d)|(?<!\d)1\d{10}(?!\d)")
LONG_QUESTION = {
    "zh": "山西特贴的申报条件",
    "en": "What are the requirements of the Shanxi allowance?",
    "ug": "شەنشى ئالاھىدە تولۇقلىمىسىنىڭ شەرتلىرى نېمە",
}


def driver(content, lang: str = "en", now: dt.datetime = TODAY) -> Driver:
    d = Driver(content, now, state=State(lang=lang))
    d.command("start")
    return d


def first_line(content, question: str, lang: str) -> str:
    return answer(question, content, TODAY, translator(lang)).text.split("\n", 1)[0]


# ---------------------------------------------------------------- a number outside the buttons


def test_nine_typed_at_a_menu_of_seven_buttons_is_no_such_option_with_the_menu_again(content):
    d = driver(content)
    d.command("menu")
    menu = d.labels()
    assert len(menu) == 7
    d.text("9")
    assert d.screen.startswith("There is no option 9: choose one of the 7 buttons below.")
    assert d.labels() == menu and d.state.step == "menu"
    assert d.state.free_question is None  # not read as a question
    assert len(d.screen) < 400


def test_a_full_width_number_beyond_the_buttons_is_no_such_option_in_chinese(content):
    d = driver(content, "zh")
    d.text("１２")
    assert d.screen.startswith("没有选项12：")


def test_a_number_stays_the_answer_where_the_question_asks_for_one(content):
    d = driver(content)
    d.press("Am I eligible for a program?")
    d.press("2019 minority backbone training")
    fitting = (
        "Yes",
        "Xinjiang (outside the four southern prefectures)",
        "An enterprise",
        "A professional/technical post",
        "Bachelor's degree",
        "Intermediate title",
    )
    for _ in range(12):
        if d.state.question == "age":
            break
        d.press(next((label for label in fitting if label in d.labels()), d.labels()[0]))
    assert d.state.question == "age"
    d.text("9")
    assert "There is no option" not in d.screen
    assert d.state.question == "age" and "age" not in d.state.facts  # refused as an age, not as a button
    d.text("40")
    assert d.state.facts["age"] == 40


def test_a_year_typed_alone_is_still_a_question(content):
    d = driver(content, "zh")
    d.text("2020")
    assert "没有选项" not in d.screen


# ---------------------------------------------------------------- one contact paragraph


def test_a_softened_rules_contacts_are_named_once_after_the_requirements(content):
    program = content.program("xj-aid-talent-2023b2")
    track = program.track("medical-team")
    softened = [r for r in program.requirements if r.softened is not None and "medical-team" in r.tracks]
    assert len(softened) >= 3  # the case of the issue: several softened rules naming one office
    tr = translator("zh")
    text = render_composed(
        "@verdict", {"program": program.id, "track": track.id, "facts": {}}, content, INSIDE_AID_WINDOW, tr
    )
    office = next(c for c in program.contacts if c.id == "health-aid-office")
    assert text.count(office.phones[0]) == 1
    assert text.count("可以咨询") == 1
    assert text.rstrip().split("\n")[-1].startswith("可以咨询")


@pytest.mark.parametrize("lang", ["zh", "en", "ug"])
def test_no_reply_promises_contacts_that_do_not_follow(content, lang):
    tr = translator(lang)
    dangling = re.compile(r"下列联系人|contacts below|the following contact|تۆۋەندىكى ئالاقىلاشقۇچى")
    for program, track in content.tracks():
        assessment = assess(program, track, {}, content.facts)
        args = {"program": program.id, "track": track.id, "facts": {}}
        text = strip_marks(render_composed("@verdict", args, content, INSIDE_AID_WINDOW, tr))
        assert not dangling.search(text), text
        if assessment.missing and program.contacts:
            # "still unknown" is followed by someone to ask, with a way to reach them
            tail = text[text.index(tr.gettext("Still unknown: {facts}.").split("{")[0]) :]
            assert PHONE.search(tail) or "@" in tail, text


# ---------------------------------------------------------------- under 1,000 characters, More for the rest


def test_every_labelled_question_is_answered_first_in_under_a_thousand_characters(content):
    long_ones = []
    for item in [q for path in SETS.values() for q in load_questions(path)]:
        got = answer(item.q, content, TODAY, translator(item.lang))
        first = got.pages[0]
        if len(first) >= LIMIT:
            long_ones.append(f"{len(first)} {item.q}")
    assert not long_ones, long_ones


def test_pages_keep_every_line_in_order_and_cut_only_an_over_long_line():
    text = "\n".join(f"- item {n}: " + "x" * 90 for n in range(30))
    pages = split_pages(text)
    assert all(len(p) <= LIMIT for p in pages) and len(pages) == 4
    assert "\n".join(pages) == text
    long_line = "。".join(["这是一个很长的条款"] * 200) + "。"
    cut = split_pages(long_line)
    assert all(len(p) <= LIMIT for p in cut) and "".join(cut) == long_line
    assert all(p.endswith("。") for p in cut)


def test_a_heading_is_not_left_alone_at_the_end_of_a_message():
    text = "\n".join(["Requirements for A:", *["- " + "y" * 300] * 3, "Requirements for B:", "- " + "z" * 300])
    first, second = split_pages(text)
    assert not first.endswith(":") and second.startswith("Requirements for B:")


@pytest.mark.parametrize("lang", ["zh", "en", "ug"])
def test_more_shows_the_rest_of_a_long_answer_until_all_of_it_was_seen(content, lang):
    d = driver(content, lang)
    d.text(LONG_QUESTION[lang])
    whole = answer(LONG_QUESTION[lang], content, TODAY, translator(lang))
    assert len(whole.pages) > 1
    seen = [strip_marks(d.screen)]
    for _ in range(len(whole.pages) - 1):
        [more] = [data for _label, data in d.buttons() if data.startswith(More.prefix + ":")]
        d.send_choice(more)
        seen.append(strip_marks(d.screen))
    assert seen == list(whole.pages)
    assert all(len(page) < LIMIT for page in seen)
    assert not any(data.startswith(More.prefix + ":") for _label, data in d.buttons())  # the last one
    d.command("back")
    assert strip_marks(d.screen) == whole.pages[-2]


def test_the_more_button_is_labelled_with_where_it_leads(content):
    d = driver(content, "zh")
    d.text(LONG_QUESTION["zh"])
    assert any(label.startswith("更多（第2/") for label in d.labels())


def test_a_more_button_from_an_older_message_has_expired(content):
    d = driver(content)
    d.text(LONG_QUESTION["en"])
    [old] = [data for _label, data in d.buttons() if data.startswith(More.prefix + ":")]
    d.command("start")
    d.send(ChoiceEvent(old))
    assert d.screen.startswith("This menu has expired. Here is the current one.")
    assert d.state.step == "menu"


def test_without_a_translator_the_engine_shows_the_whole_answer(content):
    from dialogs.engine import handle
    from dialogs.events import TextEvent

    outcome = handle(State(lang="en"), TextEvent(LONG_QUESTION["en"]), content, TODAY, Context("t:1"))
    [reply] = outcome.replies
    assert "page" not in reply.args
    rendered = render_composed("@answer", dict(reply.args), content, TODAY, translator("en"))
    assert rendered == answer(LONG_QUESTION["en"], content, TODAY, translator("en")).text


# ---------------------------------------------------------------- the answer in the first line


@pytest.mark.parametrize(
    ("question", "lang", "fact"),
    [
        ("援疆项目什么时候截止", "zh", "2023年6月15日"),
        ("When is the deadline for the aid talent plan?", "en", "15 June 2023"),
        ("2020年国务院特贴什么时候截止", "zh", "2020年5月6日"),
    ],
)
def test_the_first_line_of_a_deadline_answer_has_the_date(content, question, lang, fact):
    assert fact in first_line(content, question, lang)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("山西特贴材料报给谁", "zh"),
        ("援疆卫健委的联系人电话", "zh"),
        ("whom do I call about the 2020 state allowance", "en"),
    ],
)
def test_the_first_line_of_a_contact_answer_has_a_phone_number(content, question, lang):
    assert PHONE.search(first_line(content, question, lang))


def test_the_contact_a_question_names_comes_first(content):
    line = first_line(content, "援疆项目组织部张泽金的电话", "zh")
    assert "张泽金" in line and "18290890313" in line


@pytest.mark.parametrize(
    ("question", "lang", "fact"),
    [
        ("Can someone from Hong Kong working in Shanxi apply for the allowance", "en", "Hong Kong"),
        ("Can a small team have 10 people?", "en", "at least 5 people"),
    ],
)
def test_the_first_line_of_an_eligibility_answer_has_the_rule_asked_about(content, question, lang, fact):
    assert fact in first_line(content, question, lang)


def test_the_first_line_of_a_benefit_answer_has_the_amount(content):
    assert "5万元至15万元" in first_line(content, "柔性专家能拿多少钱", "zh")


def test_requirements_every_track_shares_are_listed_once(content):
    text = answer("援疆项目的申报条件", content, TODAY, translator("zh")).text
    assert text.count("公务员和参照公务员管理的工作人员不允许申报") == 1
