"""Two events that each confirm a new application to the same track make one submission, end to end:
storage refuses the second row, and the desk re-runs that event, which then points to the first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import translator
from bot.service import Desk
from dialogs.events import ChoiceEvent, CommandEvent, Event, FileEvent, Reply, TextEvent
from dialogs.loader import Content
from dialogs.render import button_label, render
from storage.db import Database, open_database
from storage.files import FileStore
from storage.repositories import SubmissionRepository
from tests.storage.factories import confirm as stored_confirm
from tests.test_engine_journeys import INSIDE_AID_WINDOW, PDF
from tests.test_honest_submissions import AID, EXPERT_FACTS

USER = "alice"


@pytest.fixture()
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    try:
        yield opened
    finally:
        await opened.close()


class Phone:
    """The applicant's side of the desk: send events, press buttons by their label."""

    def __init__(self, desk: Desk, content: Content) -> None:
        self.desk, self.content, self.replies = desk, content, list[Reply]()

    async def send(self, event: Event) -> str:
        handled = await self.desk.handle("local", USER, event, INSIDE_AID_WINDOW)
        self.replies = handled.replies
        tr = translator("en")
        return "\n".join(render(r, self.content, INSIDE_AID_WINDOW, tr) for r in self.replies)

    def data(self, label: str) -> str:
        tr = translator("en")
        found = [
            b.data for r in self.replies for row in r.buttons for b in row if button_label(b, self.content, tr) == label
        ]
        assert found, label
        return found[0]

    async def press(self, label: str) -> str:
        return await self.send(ChoiceEvent(self.data(label)))


async def to_review(phone: Phone, database: Database) -> None:
    await phone.send(CommandEvent("start"))
    await phone.press("Apply")
    await phone.press(AID)
    async with database.uow() as uow:  # the answers as already given, so the journey is short
        applicant = await uow.applicants.find("local", USER)
        assert applicant is not None
        loaded = await uow.conversations.load(applicant.id, "local")
        assert loaded is not None
        state: dict[str, Any] = loaded[0]
        state["facts"] = {**state.get("facts", {}), **EXPERT_FACTS}
        await uow.conversations.save(applicant.id, "local", state, expected_version=loaded[1], now=INSIDE_AID_WINDOW)
        await uow.commit()
    await phone.press("Flexible aid experts")
    for typed in ("张三", "139 1234 5678", "浙江大学"):
        await phone.send(TextEvent(typed))
    await phone.press("Health (Regional Health Commission)")
    await phone.send(FileEvent("form.pdf", len(PDF), PDF))
    await phone.press("Done with this document")
    screen = await phone.press("Skip: my unit sends this one")
    assert "Please check your application" in screen


async def test_a_second_row_for_the_track_is_refused_and_the_event_rerun_points_to_the_first(
    database: Database, tmp_path: Path, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = Desk(database, FileStore(tmp_path / "files"), lambda: content, default_lang="en")
    phone = Phone(desk, content)
    await to_review(phone, database)
    confirm = phone.data("Confirm and submit")

    # Another device confirmed its own draft for this track meanwhile: the row is there, under another key.
    async with database.uow() as uow:
        applicant = await uow.applicants.find("local", USER)
        assert applicant is not None
        first, _ = await uow.submissions.create_once(
            stored_confirm(key="other-device:1", reference="AD-7KQ4M-XP2ZT", track="flexible-expert"),
            applicant_id=applicant.id,
            now=INSIDE_AID_WINDOW,
        )
        await uow.commit()

    # ... but this event was decided before that row could be read: the engine does not know of it.
    real_list_for = SubmissionRepository.list_for
    calls = {"n": 0}

    async def list_missing_the_first_time(self: SubmissionRepository, applicant_id: int) -> list[Any]:
        calls["n"] += 1
        return [] if calls["n"] == 1 else await real_list_for(self, applicant_id)

    monkeypatch.setattr(SubmissionRepository, "list_for", list_missing_the_first_time)
    screen = await phone.send(ChoiceEvent(confirm))

    assert calls["n"] == 2  # refused by storage once, then run again from what is stored
    assert "You already applied to" in screen and "AD-7KQ4M-XP2ZT" in screen
    async with database.uow() as uow:
        applicant = await uow.applicants.find("local", USER)
        assert applicant is not None
        assert [s.reference for s in await uow.submissions.list_for(applicant.id)] == [first.reference]
        assert await uow.outbox.pending_count() == 0  # no staff notice for a submission not made
