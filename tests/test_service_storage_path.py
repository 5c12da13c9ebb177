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
from dialogs.engine import UNREAD, UNREAD_QUESTIONS, Context, RecordsNeeded, handle
from dialogs.events import ChoiceEvent, CommandEvent, Event, Reply
from dialogs.loader import Content
from dialogs.state import State
from storage.db import Database, open_database
from storage.files import FileStore

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
