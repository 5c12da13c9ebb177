"""The follower scheduler over a real database (SQLite and PostgreSQL): who is told, reminded and
announced to, and that each message is queued once per person, after a restart and with two schedulers."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.followers import (
    ANNOUNCEMENT,
    DEADLINE_REMINDER,
    ROUND_OPENED,
    FollowerScheduler,
    count_followers,
    enqueue_announcement,
)
from dialogs.loader import Content, load_content
from dialogs.state import Draft, State
from storage.db import Database, open_database
from storage.models import OutboxMessage, Subscription
from tests.follow_content import SHANXI, add_track, move_window, opened
from tests.storage.factories import confirm

BEIJING = ZoneInfo("Asia/Shanghai")
#: The Shanxi round as published in these tests: open until the end of 30 June 2023.
CLOSES = dt.datetime(2023, 7, 1, 0, 0, tzinfo=BEIJING)
DURING = dt.datetime(2023, 6, 10, 10, 0, tzinfo=BEIJING)
WEEK_BEFORE = CLOSES - dt.timedelta(days=7)
DAY_BEFORE = CLOSES - dt.timedelta(days=1)


class Published:
    """The content in force, as a scheduler reads it; a test publishes another by setting it."""

    def __init__(self, content: Content) -> None:
        self.content = content

    def __call__(self) -> Content:
        return self.content


@pytest.fixture(scope="module")
def shanxi_open(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_content(opened(tmp_path_factory.mktemp("open"), "2023-06-30"))


async def _applicant(db: Database, user: str, *, channel: str = "tg", follows: str | None = SHANXI) -> int:
    async with db.uow() as uow:
        applicant = await uow.applicants.get_or_create(channel, user, now=DURING, language="en")
        if follows is not None:
            await uow.subscriptions.add(applicant.id, follows, now=DURING)
        await uow.commit()
    return applicant.id


async def _draft(db: Database, applicant_id: int, program: str, track: str | None, *, channel: str = "tg") -> None:
    state = State(lang="en", draft=Draft(key=f"{applicant_id}:1", program=program, track=track, name="张三"))
    async with db.uow() as uow:
        await uow.conversations.save(applicant_id, channel, state.to_json(), expected_version=None, now=DURING)
        await uow.commit()


async def _rows(db: Database, kind: str) -> list[OutboxMessage]:
    async with db.uow() as uow:
        query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        return list(await uow._require().scalars(query))


def _scheduler(db: Database, content: Callable[[], Content]) -> FollowerScheduler:
    return FollowerScheduler(db, content, lambda: DURING)


# ---------------------------------------------------------------------------- a round opens


async def test_a_follower_is_told_once_per_window_with_two_schedulers_and_after_a_restart(
    url: str, db: Database, content: Content, shanxi_open: Content
) -> None:
    alice, bob = await _applicant(db, "101"), await _applicant(db, "102")
    terminal = await _applicant(db, "terminal", channel="local")  # the terminal pushes nothing: not queued
    await _applicant(db, "103", follows="xj-minority-backbone-2019")  # a program still closed
    published = Published(content)
    assert (await _scheduler(db, published).run_once(DURING)).told == 0  # nothing open yet

    published.content = shanxi_open
    other = await open_database(url)  # a second process on the same database
    try:
        first, second = await asyncio.gather(
            _scheduler(db, published).run_once(DURING), _scheduler(other, published).run_once(DURING)
        )
    finally:
        await other.close()
    assert first.told + second.told == 2
    rows = await _rows(db, ROUND_OPENED)
    assert sorted(row.payload["applicant"] for row in rows) == [alice, bob]
    assert {row.payload["window"] for row in rows} == {f"{SHANXI}:city-materials:-:20230630T1600Z"}
    assert rows[0].payload["tracks"] == ["professional", "skilled"]

    restarted = _scheduler(db, published)  # a new process: nothing in memory
    assert (await restarted.run_once(DURING + dt.timedelta(minutes=1))).told == 0
    assert len(await _rows(db, ROUND_OPENED)) == 2
    async with db.uow() as uow:
        notified = {s.applicant_id: s.notified_at for s in await uow.subscriptions.for_program(SHANXI)}
    assert notified == {alice: DURING, bob: DURING, terminal: None}


async def test_a_moved_deadline_tells_followers_the_new_dates(
    db: Database, tmp_path: Path, shanxi_open: Content
) -> None:
    await _applicant(db, "201")
    published = Published(shanxi_open)
    scheduler = _scheduler(db, published)
    assert (await scheduler.run_once(DURING)).told == 1
    published.content = load_content(opened(tmp_path, "2023-07-15"))
    assert (await scheduler.run_once(DURING)).told == 1
    assert [row.payload["closes"] for row in await _rows(db, ROUND_OPENED)] == ["20230630T1600Z", "20230715T1600Z"]


async def test_a_track_added_to_an_open_window_is_told_to_the_followers_told_before(
    db: Database, tmp_path: Path, shanxi_open: Content
) -> None:
    told = await _applicant(db, "301")
    published = Published(shanxi_open)
    scheduler = _scheduler(db, published)
    await scheduler.run_once(DURING)
    newcomer = await _applicant(db, "302")
    folder = opened(tmp_path, "2023-06-30")
    add_track(folder, SHANXI, "young-experts", "青年专家")
    published.content = load_content(folder)

    for run in (scheduler, _scheduler(db, published)):  # this process, then after a restart: once
        await run.run_once(DURING)
    rows = [
        (row.payload["applicant"], row.payload["tracks"], row.payload.get("added"))
        for row in await _rows(db, ROUND_OPENED)
    ]
    assert rows == [
        (told, ["professional", "skilled"], None),
        (newcomer, ["young-experts", "professional", "skilled"], None),
        (told, ["young-experts"], True),
    ]


# ---------------------------------------------------------------------------- deadlines near


async def test_reminders_fall_seven_days_and_one_day_before_the_deadline_to_unfinished_applications(
    db: Database, shanxi_open: Content
) -> None:
    unfinished = await _applicant(db, "401", follows=None)
    await _draft(db, unfinished, SHANXI, "professional")
    submitted = await _applicant(db, "402", follows=None)  # a draft left over, but the track has their submission
    await _draft(db, submitted, SHANXI, "professional")
    async with db.uow() as uow:
        await uow.submissions.create_once(
            confirm(key="402:1", reference="AD-22222-22222", program=SHANXI, track="professional"),
            applicant_id=submitted,
            now=DURING,
        )
        await uow.commit()
    elsewhere = await _applicant(db, "403", follows=None)  # a draft for a program whose window is closed
    await _draft(db, elsewhere, "xj-minority-backbone-2019", None)
    terminal = await _applicant(db, "local-1", channel="local", follows=None)
    await _draft(db, terminal, SHANXI, "skilled", channel="local")

    scheduler = _scheduler(db, Published(shanxi_open))
    assert (await scheduler.run_once(WEEK_BEFORE - dt.timedelta(minutes=1))).reminders == 0
    assert (await scheduler.run_once(WEEK_BEFORE + dt.timedelta(minutes=1))).reminders == 1
    assert (await scheduler.run_once(WEEK_BEFORE + dt.timedelta(minutes=2))).reminders == 0
    assert (await _scheduler(db, Published(shanxi_open)).run_once(WEEK_BEFORE + dt.timedelta(hours=1))).reminders == 0
    assert (await scheduler.run_once(DAY_BEFORE)).reminders == 1
    rows = await _rows(db, DEADLINE_REMINDER)
    assert [(r.payload["applicant"], r.payload["track"], r.payload["lead"]) for r in rows] == [
        (unfinished, "professional", "7d"),
        (unfinished, "professional", "1d"),
    ]
    assert rows[0].dedupe_key != rows[1].dedupe_key and "20230630T1600Z" in str(rows[0].dedupe_key)


async def test_a_reminder_whose_moment_passed_long_ago_is_not_sent(db: Database, shanxi_open: Content) -> None:
    """The bot was down the whole day after the 7-day moment: no "7 days left" on day 6."""
    late = await _applicant(db, "501", follows=None)
    await _draft(db, late, SHANXI, "skilled")
    scheduler = _scheduler(db, Published(shanxi_open))
    assert (await scheduler.run_once(WEEK_BEFORE + dt.timedelta(hours=13))).reminders == 0
    assert await _rows(db, DEADLINE_REMINDER) == []


async def test_a_moved_deadline_moves_its_reminders(db: Database, tmp_path: Path, shanxi_open: Content) -> None:
    applicant = await _applicant(db, "601", follows=None)
    await _draft(db, applicant, SHANXI, "professional")
    published = Published(shanxi_open)
    scheduler = _scheduler(db, published)
    assert (await scheduler.run_once(WEEK_BEFORE)).reminders == 1
    published.content = load_content(opened(tmp_path, "2023-07-03"))  # three days more
    assert (await scheduler.run_once(DAY_BEFORE)).reminders == 0  # the old 1-day moment is no moment now
    assert (await scheduler.run_once(WEEK_BEFORE + dt.timedelta(days=3))).reminders == 1
    assert (await scheduler.run_once(DAY_BEFORE + dt.timedelta(days=3))).reminders == 1
    closes = [(r.payload["closes"], r.payload["lead"]) for r in await _rows(db, DEADLINE_REMINDER)]
    assert closes == [("20230630T1600Z", "7d"), ("20230703T1600Z", "7d"), ("20230703T1600Z", "1d")]


async def test_an_amendment_in_progress_is_not_an_unfinished_application(db: Database, shanxi_open: Content) -> None:
    applicant = await _applicant(db, "701", follows=None)
    state = State(draft=Draft(key="701:1", program=SHANXI, track="skilled", amends="AD-77777-77777"))
    async with db.uow() as uow:
        await uow.conversations.save(applicant, "tg", state.to_json(), expected_version=None, now=DURING)
        await uow.commit()
    assert (await _scheduler(db, Published(shanxi_open)).run_once(WEEK_BEFORE)).reminders == 0


# ---------------------------------------------------------------------------- announcements


async def test_an_announcement_is_queued_once_to_each_follower_with_an_audit_line(db: Database) -> None:
    followers = [await _applicant(db, str(800 + n)) for n in range(3)]
    await _applicant(db, "terminal", channel="local")
    await _applicant(db, "899", follows="xj-minority-backbone-2019")
    async with db.uow() as uow:
        assert await count_followers(uow, SHANXI) == 3  # what the admin's preview says
        count = await enqueue_announcement(
            uow,
            SHANXI,
            "  The city bureau takes materials on Saturday too.  ",
            by="tg:42",
            now=DURING,
            announcement_id="d1",
        )
        await uow.commit()
    assert count == 3
    async with db.uow() as uow:  # the same confirmed draft again (a second press): nothing more
        assert await enqueue_announcement(uow, SHANXI, "again", by="tg:42", now=DURING, announcement_id="d1") == 0
        await uow.commit()
    rows = await _rows(db, ANNOUNCEMENT)
    assert [r.payload["applicant"] for r in rows] == followers
    assert {r.payload["text"] for r in rows} == {"The city bureau takes materials on Saturday too."}
    async with db.uow() as uow:
        [again, first] = await uow.audit.latest(2)
    assert (first.actor, first.action, first.target, first.detail["followers"]) == ("tg:42", "announce", SHANXI, 3)
    assert again.detail["followers"] == 0


@pytest.mark.parametrize("text", ["", "   ", "x" * 3501])
async def test_an_empty_or_overlong_announcement_is_refused_before_anything_is_queued(db: Database, text: str) -> None:
    await _applicant(db, "901")
    async with db.uow() as uow:
        with pytest.raises(ValueError, match="announcement"):
            await enqueue_announcement(uow, SHANXI, text, by="tg:42", now=DURING)
    assert await _rows(db, ANNOUNCEMENT) == []


async def test_deleting_ones_data_deletes_the_messages_owed_to_one_as_a_follower(
    db: Database, shanxi_open: Content
) -> None:
    leaving, staying = await _applicant(db, "951"), await _applicant(db, "952")
    await _scheduler(db, Published(shanxi_open)).run_once(DURING)
    async with db.uow() as uow:
        await enqueue_announcement(uow, SHANXI, "Saturday too.", by="tg:42", now=DURING)
        await uow.applicants.delete(leaving)
        await uow.commit()
    remaining = await _rows(db, ROUND_OPENED) + await _rows(db, ANNOUNCEMENT)
    assert {row.payload["applicant"] for row in remaining} == {staying}
    async with db.uow() as uow:
        assert [s.applicant_id for s in await uow._require().scalars(select(Subscription))] == [staying]


def test_the_test_content_moves_only_the_window(tmp_path: Path, content: Content) -> None:
    """The helper behind these tests changes the dates of one milestone, nothing else the tests rely on."""
    folder = opened(tmp_path, "2023-06-30")
    moved = load_content(folder)
    assert [t.id for t in moved.program(SHANXI).tracks] == [t.id for t in content.program(SHANXI).tracks]
    move_window(folder, SHANXI, "city-materials", "2023-07-30", opens="2023-07-01")
    assert load_content(folder).program(SHANXI).milestone("city-materials").opens is not None
