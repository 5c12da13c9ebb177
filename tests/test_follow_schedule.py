"""The followers' schedule, their messages and their buttons, from the content alone (no database, no clock)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import translator
from dialogs.bidi import strip_marks
from dialogs.callbacks import MAX_BYTES, parse
from dialogs.flows.buttons import ALL, Follow, FollowAction
from dialogs.follow_messages import announcement, deadline_reminder, round_opened
from dialogs.follow_schedule import (
    LATE_LIMIT,
    OpenWindow,
    applicant_windows,
    current_window,
    days_left,
    open_windows,
)
from dialogs.loader import Content, load_content
from dialogs.state import Draft, State
from tests.engine_driver import Driver
from tests.follow_content import SHANXI, SHANXI_WINDOW, move_window

BEIJING = ZoneInfo("Asia/Shanghai")
AID = "xj-aid-talent-2023b2"
INSIDE_AID_WINDOW = dt.datetime(2023, 6, 10, 10, 0, tzinfo=BEIJING)
AID_CLOSES = dt.datetime(2023, 6, 15, 20, 0, tzinfo=BEIJING)


def aid_window(content: Content) -> OpenWindow:
    [window] = [w for w in applicant_windows(content) if w.program == AID]
    return window


def test_a_window_is_open_from_its_opening_to_its_deadline_and_faced_by_its_tracks(content: Content) -> None:
    [window] = open_windows(content, INSIDE_AID_WINDOW)
    assert (window.program, window.milestone) == (AID, "application")
    assert window.tracks == ("medical-team", "small-team", "flexible-expert", "backbone-training")
    assert window.closes == AID_CLOSES  # "before 20:00": 20:00 is the first instant past it
    assert open_windows(content, AID_CLOSES - dt.timedelta(minutes=1)) == [window]
    assert open_windows(content, AID_CLOSES) == []


def test_a_draft_program_has_no_window_to_announce(content: Content) -> None:
    assert "xj-regional-allowance" not in {w.program for w in applicant_windows(content)}


def test_reminders_fall_seven_days_and_one_day_before_the_deadline(content: Content) -> None:
    window = aid_window(content)
    assert window.reminder_moments() == [
        ("7d", dt.datetime(2023, 6, 8, 20, 0, tzinfo=BEIJING)),
        ("1d", dt.datetime(2023, 6, 14, 20, 0, tzinfo=BEIJING)),
    ]
    week, day = (at for _name, at in window.reminder_moments())
    assert window.due_reminders(week - dt.timedelta(minutes=1)) == []
    assert window.due_reminders(week) == ["7d"]
    assert window.due_reminders(week + LATE_LIMIT - dt.timedelta(minutes=1)) == ["7d"]
    assert window.due_reminders(day) == ["1d"]


def test_a_reminder_whose_moment_passed_long_ago_is_not_sent_late(content: Content) -> None:
    """The scheduler was down for more than half a day: "7 days left" is not sent on day 6."""
    window = aid_window(content)
    week, day = (at for _name, at in window.reminder_moments())
    assert window.due_reminders(week + LATE_LIMIT) == []
    assert window.due_reminders(day + dt.timedelta(hours=13)) == []
    assert window.due_reminders(AID_CLOSES) == []


def test_a_moved_deadline_is_another_window_and_moves_its_reminders(content: Content, content_copy: Path) -> None:
    before = aid_window(content)
    move_window(content_copy, AID, "application", "2023-06-25", time="20:00")
    after = aid_window(load_content(content_copy))
    assert after.key != before.key  # followers hear of the new dates; reminders are keyed anew
    assert (after.program, after.milestone, after.tracks) == (before.program, before.milestone, before.tracks)
    moved = dt.timedelta(days=10)
    assert [(n, at - moved) for n, at in after.reminder_moments()] == before.reminder_moments()
    week = dict(before.reminder_moments())["7d"]
    assert before.due_reminders(week) == ["7d"] and after.due_reminders(week) == []


def test_a_window_opened_by_a_publish_has_its_dates_in_its_key(content: Content, content_copy: Path) -> None:
    now = dt.datetime(2023, 6, 10, 10, 0, tzinfo=BEIJING)
    assert SHANXI not in {w.program for w in open_windows(content, now)}
    move_window(content_copy, SHANXI, SHANXI_WINDOW, "2023-06-30", opens="2023-06-05")
    opened = load_content(content_copy)
    [window] = [w for w in open_windows(opened, now) if w.program == SHANXI]
    assert window.key == f"{SHANXI}:{SHANXI_WINDOW}:20230604T1600Z:20230630T1600Z"
    assert current_window(opened, SHANXI, SHANXI_WINDOW) == window
    assert current_window(opened, SHANXI, "gone") is None and current_window(opened, "gone", SHANXI_WINDOW) is None


@pytest.mark.parametrize(
    ("left", "days"),
    [
        (dt.timedelta(days=7) - dt.timedelta(minutes=1), 7),
        (dt.timedelta(days=6, hours=11), 6),
        (dt.timedelta(hours=23, minutes=59), 1),
        (dt.timedelta(hours=11), None),
    ],
)
def test_days_left_are_counted_to_the_nearest_day_and_in_hours_under_half_a_day(
    left: dt.timedelta, days: int | None
) -> None:
    assert days_left(left) == days


# ---------------------------------------------------------------------------- messages


@pytest.mark.parametrize("lang", ["zh", "en", "ug"])
def test_every_follower_message_is_in_the_readers_language_with_buttons_that_fit(content: Content, lang: str) -> None:
    tr = translator(lang)
    english = translator("en")
    for program in content.programs:
        for milestone in program.deadlines:
            tracks = tuple(t.id for t in program.tracks)
            opened = round_opened(program, milestone, tracks, INSIDE_AID_WINDOW, tr)
            reminder = deadline_reminder(program, tracks[0], milestone, INSIDE_AID_WINDOW, tr)
            assert program.short_title.get(lang) in strip_marks(opened.text)
            for label, data in opened.buttons + reminder.buttons:
                assert len(data.encode()) <= MAX_BYTES
                assert isinstance(parse(data, *ALL), Follow)
                if lang != "en":
                    assert label not in {english.gettext(m) for m in ("Apply now", "Continue my application")}
    said = announcement(content, AID, "Extra session on 1 July <b>bring ID</b>", tr)
    assert said.text.endswith("Extra session on 1 July <b>bring ID</b>")  # as written; the channel escapes it
    assert content.program(AID).short_title.get(lang) in strip_marks(said.text.splitlines()[0])


def test_a_round_opened_message_names_the_window_and_starts_the_application(content: Content) -> None:
    program = content.program(AID)
    tracks = tuple(t.id for t in program.tracks)
    message = round_opened(program, program.milestone("application"), tracks, INSIDE_AID_WINDOW, translator("en"))
    assert message.text.splitlines()[0] == "Applications for 2023 aid-talent plan (batch 2) are open."
    assert "15 June 2023" in message.text and "5 days left" in message.text
    assert [label for label, _ in message.buttons] == ["Apply now", "Check my eligibility"]
    assert parse(message.buttons[0][1], *ALL) == Follow(FollowAction.APPLY, AID, None)


def test_a_reminder_says_the_days_left_and_the_deadline(content: Content) -> None:
    program = content.program(AID)
    week = AID_CLOSES - dt.timedelta(days=7) + dt.timedelta(minutes=1)
    message = deadline_reminder(program, "flexible-expert", program.milestone("application"), week, translator("en"))
    first, deadline, _ = message.text.splitlines()
    assert first.startswith("7 days left: your application for 2023 aid-talent plan (batch 2)")
    assert deadline == "Deadline: 15 June 2023, 20:00 (Beijing time)"
    assert parse(message.buttons[0][1], *ALL) == Follow(FollowAction.CONTINUE, AID, "flexible-expert")


# ---------------------------------------------------------------------------- their buttons, pressed later


def _driver(content: Content, now: dt.datetime = INSIDE_AID_WINDOW) -> Driver:
    driver = Driver(content, now)
    driver.command("start")
    driver.command("language")
    driver.press("English")
    return driver


def test_apply_now_on_an_open_round_starts_the_application(content: Content) -> None:
    driver = _driver(content)
    screen = driver.send_choice(Follow(FollowAction.APPLY, AID).pack())
    assert "Which track of 2023 aid-talent plan (batch 2)?" in screen
    screen = driver.send_choice(Follow(FollowAction.APPLY, AID, "flexible-expert").pack())
    assert driver.state.flow == "apply" and driver.state.draft is not None
    assert driver.state.draft.track == "flexible-expert"


def test_check_on_an_open_round_asks_the_eligibility_questions(content: Content) -> None:
    driver = _driver(content)
    driver.send_choice(Follow(FollowAction.CHECK, AID, "flexible-expert").pack())
    assert driver.state.flow == "check" and driver.state.step == "question"


def test_an_old_button_after_the_round_closed_gets_the_closed_screen(content: Content) -> None:
    driver = _driver(content, AID_CLOSES + dt.timedelta(days=1))
    screen = driver.send_choice(Follow(FollowAction.APPLY, AID, "flexible-expert").pack())
    assert "not open now" in screen
    assert "Tell me when the next round opens" in driver.labels()


def test_an_old_button_for_a_program_no_longer_offered_says_so(content: Content) -> None:
    driver = _driver(content)
    screen = driver.send_choice(Follow(FollowAction.APPLY, "a-program-removed-since").pack())
    assert "This program is no longer offered." in screen
    assert driver.state.step == "menu"


def test_a_forged_follow_button_is_an_expired_menu(content: Content) -> None:
    driver = _driver(content)
    screen = driver.send_choice("fw:steal:" + AID + ":")
    assert "This menu has expired." in screen


def test_continue_returns_to_the_application_where_it_was_left(content: Content) -> None:
    driver = _driver(content)
    draft = Draft(key="test:1:1", program=AID, track="flexible-expert", name="张三", phone="13912345678")
    driver.state = State(**{**driver.state.__dict__, "draft": draft, "drafts_started": 1})
    driver.command("start")  # they went back to the menu meanwhile
    screen = driver.send_choice(Follow(FollowAction.CONTINUE, AID, "flexible-expert").pack())
    assert driver.state.draft is not None and driver.state.draft.name == "张三"  # the same draft
    assert driver.state.draft.key == "test:1:1"
    assert "employer" in screen or "questions" in screen
