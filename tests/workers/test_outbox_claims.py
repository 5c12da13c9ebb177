"""Three workers draining one outbox on PostgreSQL: every row is claimed by exactly one of them.

``claim_due`` picks candidates ``FOR UPDATE SKIP LOCKED`` (rows another worker is
claiming are passed over, not waited for), then claims each with ``UPDATE … WHERE
id = ? AND still due``: should two workers reach one row even so, the second's
UPDATE waits for the first one's commit and then finds the row no longer due (its
lease moved it into the future), so it matches nothing. Each worker here has its own engine and
pool, as a process of its own would.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from storage.db import Database, open_database
from tests.services import postgres_database

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
ROWS = 600


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    yield from postgres_database()


async def drain(database: Database, claimed: list[int]) -> None:
    """Claim due rows in small batches until none is left, as the outbox worker's loop does (an empty
    batch while others hold the last rows is not the end: a few in a row are)."""
    empty = 0
    while empty < 3:
        async with database.uow() as uow:
            batch = await uow.outbox.claim_due(NOW, limit=7, lease=timedelta(minutes=5))
            await uow.commit()
        empty = 0 if batch else empty + 1
        claimed.extend(item.id for item in batch)
        await asyncio.sleep(0)


async def test_three_workers_claim_every_outbox_row_exactly_once(database_url: str) -> None:
    workers = [await open_database(database_url) for _ in range(3)]
    try:
        async with workers[0].uow() as uow:
            ids = [(await uow.outbox.enqueue("receipt", f"XJ-{n:06d}", {"n": n}, NOW)).id for n in range(ROWS)]
            await uow.commit()
        claimed: list[list[int]] = [[], [], []]
        await asyncio.gather(*(drain(database, mine) for database, mine in zip(workers, claimed, strict=True)))
    finally:
        for database in workers:
            await database.close()
    everything = [row for mine in claimed for row in mine]
    assert sorted(everything) == sorted(ids)  # none lost
    assert not [row for row, times in Counter(everything).items() if times > 1]  # none claimed twice
    assert sum(1 for mine in claimed if mine) >= 2  # they did race for the rows
