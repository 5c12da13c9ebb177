"""A killed worker's notifications come back within seconds; a slow one keeps its own; a part whose
attempt ended during its call is sent again and counted as a possible duplicate."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import itertools
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from bot.telegram.outbox import OutboxWorker
from bot.telegram.types import Keyboard, RetryLater, Unreachable
from dialogs.events import NotifyStaff, StoredDocument
from storage.db import Database, open_database
from storage.effects import apply_effects
from storage.files import FileStore
from tests.storage.factories import confirm
from tests.telegram.harness import FALLBACK_CHAT, PDF, PDF_2, database_in, office_content

T0 = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
REFERENCE = "XJ-2026-000001"


class Clock:
    def __init__(self) -> None:
        self.at = T0

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)


class Gateway:
    """Telegram as far as the worker sees it: texts and albums, an album call that hangs (the
    process dies during it) or fails the way it is told to."""

    def __init__(self) -> None:
        self.ids = itertools.count(100)
        self.texts: list[int] = []
        self.albums: list[int] = []
        self.hang = False
        self.entered = asyncio.Event()
        self.go_on = asyncio.Event()
        self.failures: list[Exception] = []

    async def send_text(
        self,
        chat_id: int,
        text: str,
        keyboard: Keyboard | None = None,
        *,
        reply_to: int | None = None,
        force_reply: bool = False,
    ) -> int:
        self.texts.append(chat_id)
        return next(self.ids)

    async def send_documents(
        self, chat_id: int, files: Sequence[tuple[str, bytes]], *, reply_to: int | None = None
    ) -> list[int]:
        self.entered.set()
        if self.hang:
            await self.go_on.wait()
        if self.failures:
            raise self.failures.pop(0)
        self.albums.append(chat_id)
        return [next(self.ids) for _ in files]


@pytest.fixture()
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    """A new submission with two documents, its notice queued (a summary, then an album)."""
    files = FileStore(tmp_path / "files")
    documents = []
    for item, content in (("id_card", PDF), ("degree", PDF_2)):
        stored = files.write(hashlib.sha256(content).hexdigest() + ".pdf", content)
        documents.append(
            StoredDocument(item, stored.stored_name, f"{item}.pdf", "application/pdf", len(content), stored.sha256)
        )
    db = await open_database(database_in(tmp_path))
    async with db.uow() as uow:
        applicant = await uow.applicants.get_or_create("tg", "7601", now=T0)
        effects = [
            replace(confirm(reference=REFERENCE, track="flexible-expert"), documents=tuple(documents)),
            NotifyStaff("new_submission", REFERENCE, {"program": "xj-aid-talent-2023b2", "office": None}),
        ]
        await apply_effects(uow, effects, applicant_id=applicant.id, now=T0)
        await uow.commit()
    try:
        yield db
    finally:
        await db.close()


def worker(database: Database, tmp_path: Path, gateway: Gateway, clock: Clock, **options: float) -> OutboxWorker:
    return OutboxWorker(
        database,
        FileStore(tmp_path / "files"),
        gateway,
        office_content,
        staff_chat_id=FALLBACK_CHAT,
        wall_clock=clock,
        **options,  # type: ignore[arg-type]  # heartbeat only
    )


async def _progress(database: Database) -> dict[str, object]:
    async with database.uow() as uow:
        [row] = [r for r in await uow.outbox.for_reference(REFERENCE) if r.kind == "new_submission"]
        return {"status": row.status, **(row.progress or {})}


async def test_the_notice_of_a_worker_killed_while_sending_is_finished_within_seconds(
    database: Database, tmp_path: Path
) -> None:
    gateway = Gateway()
    gateway.hang = True
    dead = asyncio.create_task(worker(database, tmp_path, gateway, Clock(), heartbeat=3600).run_once())
    await gateway.entered.wait()  # the summary went out; the process dies during the album's call
    assert (await _progress(database))["sending"] == 1

    later = Clock()
    later.advance(31)
    gateway.hang = False
    restarted = worker(database, tmp_path, gateway, later)
    try:
        assert await restarted.run_once() == 1
        progress = await _progress(database)
    finally:
        dead.cancel()
        await asyncio.gather(dead, return_exceptions=True)
    assert progress["status"] == "sent" and "sending" not in progress
    assert gateway.texts == [FALLBACK_CHAT]  # the summary is not sent again
    assert gateway.albums == [FALLBACK_CHAT]  # the album is (Telegram may or may not have it)
    assert progress["resent"] == 1 and restarted.resent == 1  # and counted as a possible duplicate


async def test_a_worker_still_sending_keeps_its_notice_past_the_lease(database: Database, tmp_path: Path) -> None:
    gateway = Gateway()
    gateway.hang = True
    clock = Clock()
    slow = worker(database, tmp_path, gateway, clock, heartbeat=0.01)
    beats = 0
    beaten = asyncio.Condition()
    beat = slow.beat

    async def counted() -> None:
        nonlocal beats
        await beat()
        async with beaten:
            beats += 1
            beaten.notify_all()

    slow.beat = counted  # type: ignore[method-assign]
    sending = asyncio.create_task(slow.run_once())
    await gateway.entered.wait()
    for _ in range(3):  # a long upload: 25 s, 25 s, 25 s, the heartbeat going
        clock.advance(25)
        async with beaten:
            seen = beats
            await asyncio.wait_for(beaten.wait_for(lambda: beats >= seen + 2), 5)  # noqa: B023  # seen of this round
    other = Clock()
    other.at = clock.at + dt.timedelta(seconds=25)  # 100 s after the claim, 30 s lease
    assert await worker(database, tmp_path, Gateway(), other).run_once() == 0
    gateway.go_on.set()
    assert await sending == 1
    assert gateway.albums == [FALLBACK_CHAT] and (await _progress(database))["status"] == "sent"


@pytest.mark.parametrize(
    ("failure", "counted"),
    [(RetryLater(1), 0), (Unreachable("read timeout: the answer may come after"), 1)],
    ids=["429-not-taken", "timeout-maybe-taken"],
)
async def test_only_a_part_telegram_may_have_taken_counts_as_a_possible_duplicate(
    database: Database, tmp_path: Path, failure: Exception, counted: int
) -> None:
    gateway = Gateway()
    gateway.failures = [failure]
    clock = Clock()
    sender = worker(database, tmp_path, gateway, clock)
    assert await sender.run_once() == 1
    assert (await _progress(database))["status"] == "failed"
    clock.advance(3600)
    assert await sender.run_once() == 1
    progress = await _progress(database)
    assert progress["status"] == "sent" and progress["resent"] == counted and sender.resent == counted
    assert gateway.texts == [FALLBACK_CHAT] and gateway.albums == [FALLBACK_CHAT]
