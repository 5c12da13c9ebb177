"""'Ask staff' in the terminal: no staff side there, so the question is stored, and it and staff's answer
(given by any means, e.g. from the Telegram staff chat on the same database) show under "My submissions"."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.local import CHANNEL, Terminal
from bot.service import Desk
from dialogs.events import ChoiceEvent, CommandEvent, TextEvent
from dialogs.loader import Content
from storage.db import Database, open_database
from storage.files import FileStore

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
QUESTION = "援疆期间的社保由哪一方缴纳？"


@pytest.fixture()
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture()
def terminal(database: Database, tmp_path: Path, content: Content) -> Terminal:
    desk = Desk(database, FileStore(tmp_path / "files"), lambda: content, default_lang="en")
    return Terminal(desk, "alice", lambda: NOW, out=io.StringIO())


def screen(terminal: Terminal) -> str:
    """What the terminal printed since the last look."""
    out = terminal.out
    assert isinstance(out, io.StringIO)
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


async def ask_staff(terminal: Terminal, database: Database, question: str, program: str | None) -> str:
    """Type the question, then press "Ask staff"; where the answer offers no such button (the bot was
    sure, or the unsure-answer button is not there yet), the question is left in the conversation as
    the unsure answer leaves it and the button's data is sent."""
    await terminal.send(TextEvent(question))
    answer = screen(terminal)
    if "] Ask staff" in answer:
        number = answer.split("] Ask staff")[0].rsplit("[", 1)[1]
        event = terminal.event_for(number)
        assert event is not None  # a number on the screen is a button
        await terminal.send(event)
        return screen(terminal)
    async with database.uow() as uow:
        applicant = await uow.applicants.find(CHANNEL, "alice")
        assert applicant is not None
        loaded = await uow.conversations.load(applicant.id, CHANNEL)
        assert loaded is not None
        state, version = loaded
        state = {**state, "free_question": question, "free_question_program": program}
        await uow.conversations.save(applicant.id, CHANNEL, state, expected_version=version, now=NOW)
        await uow.commit()
    await terminal.send(ChoiceEvent(f"{state['menu']}:ask_staff"))
    return screen(terminal)


async def test_a_question_asked_in_the_terminal_is_stored_and_listed_with_its_answer(
    terminal: Terminal, database: Database
) -> None:
    await terminal.send(CommandEvent("start"))
    screen(terminal)
    told = await ask_staff(terminal, database, QUESTION, "xj-aid-talent-2023b2")
    assert (
        "Your question was passed to the staff of Aid Talent Division, Organisation Department of the Regional Party Committee."
        in told
    )

    async with database.uow() as uow:
        applicant = await uow.applicants.find(CHANNEL, "alice")
        assert applicant is not None
        [question] = await uow.questions.list_for(applicant.id)
        queued = await uow.outbox.for_reference(question.reference)
    assert (question.text, question.program, question.office, question.channel_user) == (
        QUESTION,
        "xj-aid-talent-2023b2",
        "org-aid-talent-wu",
        "local:alice",
    )
    # queued for the office's staff chat, should a Telegram bot serve this database
    assert [(m.kind, m.status) for m in queued] == [("staff_question", "pending")]

    await terminal.send(CommandEvent("status"))
    listed = screen(terminal)
    assert "Your questions to staff:" in listed and QUESTION in listed and "No answer from staff yet." in listed

    async with database.uow() as uow:
        await uow.questions.add_answer(question.id, "由派出单位缴纳。", by="王老师 (tg:8001)", at=NOW)
        await uow.commit()
    await terminal.send(CommandEvent("status"))
    listed = screen(terminal)
    assert (
        "Staff of Aid Talent Division, Organisation Department of the Regional Party Committee: 由派出单位缴纳。"
        in listed
    )
    assert "No answer from staff yet." not in listed
