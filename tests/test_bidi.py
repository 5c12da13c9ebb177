"""Uyghur lines with phone numbers, URLs, references and Chinese names come out in the right order.

Each check lays the text out with the Unicode Bidirectional Algorithm (python-bidi,
the algorithm Telegram's apps implement) and reads the visual line, left to right.
"""

from __future__ import annotations

import datetime as dt

import pytest
from bidi import get_display

from bot.i18n import translator
from dialogs.bidi import LRM, RLM, for_reader, strip_marks
from dialogs.explain import contact_line

PHONE_WITH_SPACES = "+86 991 3689692"


def visual(text: str) -> str:
    """What the reader sees, left to right, without the invisible marks."""
    return strip_marks(get_display(text))


def test_without_marks_a_spaced_phone_number_is_scrambled_in_uyghur():
    """Why the marks exist: the algorithm alone reverses the groups of the number."""
    line = f"تېلېفون: {PHONE_WITH_SPACES}"
    assert PHONE_WITH_SPACES not in visual(line)


def test_a_spaced_phone_number_keeps_its_order_in_uyghur():
    line = for_reader(f"تېلېفون: {PHONE_WITH_SPACES}", "ug")
    shown = visual(line)
    assert PHONE_WITH_SPACES in shown
    assert shown.index(PHONE_WITH_SPACES) < shown.index(":")  # the label reads first, from the right


def test_a_line_that_starts_with_a_reference_still_reads_right_to_left():
    line = for_reader("AD-725MGLQB: قوبۇل قىلىندى", "ug")
    shown = visual(line)
    assert shown.endswith("AD-725MGLQB"), shown  # the first thing said is on the right


def test_a_line_that_starts_with_a_chinese_name_reads_right_to_left():
    line = for_reader("叶世安 (ساقلىق ساقلاش كومىتېتى): 0991-8569973", "ug")
    shown = visual(line)
    assert shown.endswith("叶世安") and "0991-8569973" in shown


def test_two_numbers_are_read_in_their_order_from_the_right():
    line = for_reader("تېلېفون: 0991-8569973 ياكى 16699295018", "ug")
    shown = visual(line)
    assert shown.index("16699295018") < shown.index("0991-8569973")


def test_urls_emails_and_file_names_keep_their_order():
    for piece in ("www.xjzcsq.com", "https://www.xjzcsq.com/a/b?c=1", "372325549@qq.com", "form-page1.pdf"):
        assert piece in visual(for_reader(f"بۇ يەرگە قاراڭ: {piece} ، رەھمەت", "ug"))


def test_a_citation_of_the_notice_stays_whole():
    cite = "003_b53d22bf1246d926.txt §二(二)2"
    assert cite in visual(for_reader(f"✓ شەرت [{cite}]", "ug"))


def test_marks_are_added_once_and_only_for_uyghur():
    once = for_reader("تېلېفون: 0991-3689692\nAD-1: تامام", "ug")
    assert for_reader(once, "ug") == once
    assert all(line.startswith(RLM) for line in once.split("\n"))
    assert LRM in once
    for lang in ("zh", "en"):
        assert for_reader("电话 0991-3689692", lang) == "电话 0991-3689692"


@pytest.mark.parametrize(
    "program_id",
    ["xj-aid-talent-2023b2", "sx-state-allowance-2023", "xj-state-allowance-2020", "xj-minority-backbone-2019"],
)
def test_every_contact_of_a_program_shows_its_numbers_in_order_in_uyghur(content, program_id):
    tr = translator("ug")
    for contact in content.program(program_id).contacts:
        shown = visual(for_reader(contact_line(contact, tr), "ug"))
        positions = [shown.index(phone) for phone in contact.phones]  # each number whole, digits in order
        assert positions == sorted(positions, reverse=True), shown  # the first listed is the rightmost
        for email in contact.emails:
            assert email in shown


def test_a_deadline_in_uyghur_shows_date_and_time_intact(content):
    from dialogs.explain import milestone_line

    program = content.program("xj-aid-talent-2023b2")
    now = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    line = for_reader(milestone_line(program.deadlines[0], now, translator("ug")), "ug")
    shown = visual(line)
    assert "20:00" in shown and "2023" in shown
