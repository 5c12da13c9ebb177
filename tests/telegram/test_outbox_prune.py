"""The outbox worker deletes old delivered notifications itself, at its first round and then hourly."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.telegram.outbox import KEEP_SENT, PRUNE_EVERY, OutboxWorker
from storage.db import Database, open_database
from storage.files import FileStore
from tests.telegram.harness import FALLBACK_CHAT, database_in, office_content

T0 = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.at = T0

    def __call__(self) -> dt.datetime:
        return self.at


class NoTelegram:
    """Pruning talks to the database only: any call to Telegram fails the test."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the outbox worker called Telegram ({name}) to prune")


@pytest.fixture()
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = await open_database(database_in(tmp_path))
    try:
        yield db
    finally:
        await db.close()


async def _delivered(database: Database, reference: str, at: dt.datetime) -> None:
    async with database.uow() as uow:
        row = await uow.outbox.enqueue("applicant_update", reference, {}, at)
        await uow.outbox.mark_sent(row.id, "1", at=at)
        await uow.commit()


async def _references(database: Database) -> list[str | None]:
    async with database.uow() as uow:
        return sorted(
            [m.reference for m in await uow.outbox.for_reference("XJ-2026-000001")]
            + [m.reference for m in await uow.outbox.for_reference("XJ-2026-000002")]
        )


async def test_the_worker_prunes_at_its_first_round_then_once_an_hour(database: Database, tmp_path: Path) -> None:
    clock = Clock()
    worker = OutboxWorker(
        database,
        FileStore(tmp_path / "files"),
        NoTelegram(),
        office_content,
        staff_chat_id=FALLBACK_CHAT,
        wall_clock=clock,
    )
    await _delivered(database, "XJ-2026-000001", T0 - KEEP_SENT - dt.timedelta(days=1))
    assert await worker.prune_if_due() == 1
    assert await _references(database) == []

    # delivered just before the first round: old enough an hour later, but the next pruning waits its turn
    await _delivered(database, "XJ-2026-000002", T0 - KEEP_SENT + dt.timedelta(minutes=1))
    clock.at = T0 + dt.timedelta(minutes=30)
    assert await worker.prune_if_due() == 0
    assert await _references(database) == ["XJ-2026-000002"]
    clock.at = T0 + PRUNE_EVERY
    assert await worker.prune_if_due() == 1
    assert await _references(database) == []
