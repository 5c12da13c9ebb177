"""What one event costs the database: an ordinary one reads once and writes once; the applicant's
submissions and questions are read only by the screens that show or check them; a burst of applicants
on SQLite is served without a busy database."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.service import Desk
from bot.telegram.applicants import CHANNEL
from bot.telegram.once import HandledOnce
from dialogs.engine import UNREAD, UNREAD_QUESTIONS, Context, RecordsNeeded, handle
from dialogs.events import ChoiceEvent, CommandEvent, Event, Reply
from dialogs.loader import Content
from dialogs.state import State
from storage.db import Database, open_database
from storage.errors import ConcurrentUpdate
from storage.files import FileStore
from storage.group_commit import GroupSaves

NOW = dt.datetime(2026, 11, 21, 4, 0, tzinfo=dt.UTC)


@pytest.fixture()
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture()
def desk(database: Database, tmp_path: Path, content: Content) -> Desk:
    return Desk(database, FileStore(tmp_path / "files"), lambda: content, default_lang="en")


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """The SQL statements run meanwhile (BEGIN and COMMIT are not statements to the driver)."""
    seen: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", record)


def button(replies: list[Reply], ending: str) -> Event:
    return ChoiceEvent(next(b.data for r in replies for row in r.buttons for b in row if b.data.endswith(ending)))


async def test_an_ordinary_event_reads_once_and_writes_once(desk: Desk, database: Database) -> None:
    first = await desk.handle("local", "ana", CommandEvent("start"), NOW)
    with statements(database) as seen:
        await desk.handle("local", "ana", button(first.replies, ":info"), NOW)
    assert seen == ["SELECT", "UPDATE"]


async def test_my_submissions_reads_the_records_it_shows(desk: Desk, database: Database) -> None:
    first = await desk.handle("local", "ana", CommandEvent("start"), NOW)
    with statements(database) as seen:
        mine = await desk.handle("local", "ana", button(first.replies, ":mine"), NOW)
    assert len(seen) > 2  # the submissions and questions were read for the screen
    assert any(reply.key == "@submissions" for reply in mine.replies)


def test_the_engine_asks_for_the_records_only_on_screens_that_read_them(content: Content) -> None:
    unread = Context("local:ana", UNREAD, UNREAD_QUESTIONS)
    started = handle(State(lang="en"), CommandEvent("start"), content, NOW, unread)
    assert started.replies  # the menu needs no records
    with pytest.raises(RecordsNeeded):
        handle(started.state, button(started.replies, ":mine"), content, NOW, unread)


async def test_a_burst_of_applicants_on_sqlite_is_served_without_errors(desk: Desk) -> None:
    """Writes wait their turn in the process instead of for SQLite's lock (where they would time out)."""

    async def applicant(n: int) -> int:
        replies = (await desk.handle("local", f"a{n}", CommandEvent("start"), NOW)).replies
        for ending in (":info", ":help"):
            replies = (await desk.handle("local", f"a{n}", button(replies, ending), NOW)).replies
            replies = (await desk.handle("local", f"a{n}", CommandEvent("start"), NOW)).replies
        return len(replies)

    answered = await asyncio.gather(*(applicant(n) for n in range(100)))
    assert all(answered)
    assert all([await desk.has_conversation("local", f"a{n}") for n in range(100)])


def telegram_update(update_id: int, user_id: int) -> dict[str, Any]:
    sender = {"id": user_id, "is_bot": False, "first_name": "Ana"}
    chat = {"id": user_id, "type": "private"}
    return {"update_id": update_id, "message": {"message_id": 1, "date": 0, "chat": chat, "from": sender, "text": "x"}}


async def test_an_ordinary_telegram_update_reads_once_and_writes_the_conversation_and_its_record(
    desk: Desk, database: Database
) -> None:
    """The once-only check reads the sender's conversation in its own statement and the desk uses it:
    one SELECT, the conversation's UPDATE, the record's INSERT. (The record is committed after the
    replies are sent, not with the conversation: a crash between commit and send must bring the update
    back, or the person would wait for an answer that never comes.)"""
    handled: list[Reply] = []

    async def handle(update: dict[str, Any]) -> None:
        event = button(handled, ":info") if handled else CommandEvent("start")
        handled[:] = (await desk.handle(CHANNEL, "7", event, NOW)).replies

    once = HandledOnce(database, 1, handle, clock=lambda: NOW)
    await once(telegram_update(99, 7))  # the first: the person is stored, and old records are pruned
    with statements(database) as seen:
        await once(telegram_update(100, 7))
    assert handled
    assert seen == ["SELECT", "UPDATE", "INSERT"]
    with statements(database) as seen:
        await once(telegram_update(100, 7))  # delivered again: skipped after its one read
    assert seen == ["SELECT"] and once.skipped == 1


async def test_a_conversation_read_by_the_once_check_is_not_used_by_another_task_or_user(
    desk: Desk, database: Database
) -> None:
    """What the check read belongs to its own update: an event of someone else, or one run later in
    another task (an album completed after the update returned), reads the database itself."""
    await desk.handle(CHANNEL, "7", CommandEvent("start"), NOW)
    later: list[asyncio.Task[object]] = []

    async def handle(update: dict[str, Any]) -> None:
        await desk.handle(CHANNEL, "8", CommandEvent("start"), NOW)  # someone else
        later.append(asyncio.create_task(desk.handle(CHANNEL, "7", CommandEvent("start"), NOW)))

    once = HandledOnce(database, 1, handle, clock=lambda: NOW)
    with statements(database) as seen:
        await once(telegram_update(200, 7))
        await asyncio.gather(*later)
    # the check; "8" read, stored (new) and saved; "7" read by its own task and saved; the record
    assert seen.count("SELECT") >= 3
    assert await desk.has_conversation(CHANNEL, "8")


async def test_writes_waiting_at_once_commit_together_and_only_a_stale_one_fails(database: Database) -> None:
    """SQLite's group commit: the events waiting while one writes go in the next transaction together;
    one whose conversation moved on meanwhile hears it (and runs again), the others are stored."""
    group = GroupSaves(database)
    async with database.uow() as uow:
        ids = [(await uow.applicants.get_or_create("local", f"g{n}", now=NOW)).id for n in range(6)]
        for applicant_id in ids:
            await uow.conversations.save(applicant_id, "local", {"n": 0}, expected_version=None, now=NOW)
        await uow.commit()

    async def save(applicant_id: int, version: int) -> str:
        try:
            await group.save(applicant_id, "local", {"n": version}, expected_version=version, now=NOW)
        except ConcurrentUpdate:
            return "stale"
        return "saved"

    # six at once, the last a second write over the same version as the fifth's
    outcomes = await asyncio.gather(*(save(i, 1) for i in ids[:5]), save(ids[4], 1))
    assert outcomes == ["saved"] * 5 + ["stale"]
    assert group.batches == 2  # the first alone (nobody was waiting), then the five waiting together
    async with database.uow() as uow:
        versions = [(await uow.conversations.load(i, "local")) for i in ids]
    assert [v[1] if v else None for v in versions] == [2, 2, 2, 2, 2, 1]


async def test_a_newcomer_is_stored_with_their_first_screen_in_one_transaction(desk: Desk, database: Database) -> None:
    commits: list[str] = []
    event.listen(database.engine.sync_engine, "commit", lambda _connection: commits.append("COMMIT"))
    with statements(database) as seen:
        first = await desk.handle("local", "new", CommandEvent("start"), NOW, lang_hint="en")
    assert first.replies
    assert seen[0] == "SELECT" and seen.count("INSERT") == 2  # the read; the applicant and the conversation
    assert len(commits) == 1
    assert await desk.language("local", "new") == "en"


async def test_newcomers_arriving_at_once_are_stored_together_and_a_second_first_event_runs_again(
    database: Database,
) -> None:
    group = GroupSaves(database)

    async def create(user: str) -> str:
        try:
            await group.create("local", user, "ug", {"first": user}, now=NOW)
        except ConcurrentUpdate:
            return "stale"
        return "stored"

    outcomes = await asyncio.gather(*(create(f"n{n}") for n in range(5)), create("n4"))
    assert outcomes == ["stored"] * 5 + ["stale"]
    assert group.batches == 2
    async with database.uow() as uow:
        for n in range(5):
            applicant = await uow.applicants.find("local", f"n{n}")
            assert applicant is not None and applicant.language == "ug"
            assert await uow.conversations.load(applicant.id, "local") == ({"first": f"n{n}"}, 1)
