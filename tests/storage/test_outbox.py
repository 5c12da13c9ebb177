"""The outbox: due rows are claimed once, sent rows are never sent again, failures retry on time."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete

from storage.db import Database
from storage.errors import NotFound
from storage.models import OutboxMessage
from tests.storage.factories import NOW


async def _enqueue(db: Database, count: int = 1, at: datetime = NOW) -> list[int]:
    async with db.uow() as uow:
        rows = [await uow.outbox.enqueue("new_submission", f"XJ-2026-{n:06d}", {"n": n}, at) for n in range(count)]
        await uow.commit()
    return [row.id for row in rows]


async def test_due_rows_are_claimed_oldest_first_up_to_the_limit(db: Database) -> None:
    ids = await _enqueue(db, 3)
    async with db.uow() as uow:
        claimed = await uow.outbox.claim_due(NOW, limit=2)
        await uow.commit()
    assert [m.id for m in claimed] == ids[:2]
    assert [m.attempts for m in claimed] == [1, 1]
    assert claimed[0].payload == {"n": 0} and claimed[0].kind == "new_submission"


async def test_rows_not_yet_due_are_not_claimed(db: Database) -> None:
    await _enqueue(db, 1, at=NOW + timedelta(minutes=5))
    async with db.uow() as uow:
        assert await uow.outbox.claim_due(NOW) == []


async def test_a_claimed_row_is_hidden_from_other_workers_until_its_lease_ends(db: Database) -> None:
    [message_id] = await _enqueue(db)
    async with db.uow() as uow:
        assert [m.id for m in await uow.outbox.claim_due(NOW, lease=timedelta(seconds=30))] == [message_id]
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.outbox.claim_due(NOW + timedelta(seconds=29)) == []
    # The worker died without marking it: the row comes back after the lease.
    async with db.uow() as uow:
        again = await uow.outbox.claim_due(NOW + timedelta(seconds=30))
        await uow.commit()
    assert [(m.id, m.attempts) for m in again] == [(message_id, 2)]


async def test_two_workers_claiming_at_once_never_share_a_row(db: Database) -> None:
    await _enqueue(db, 4)

    async def worker() -> list[int]:
        async with db.uow() as uow:
            claimed = await uow.outbox.claim_due(NOW, limit=4)
            await asyncio.sleep(0)
            await uow.commit()
            return [m.id for m in claimed]

    first, second = await asyncio.gather(worker(), worker())
    assert not set(first) & set(second)
    assert len(first) + len(second) == 4


async def test_a_sent_row_keeps_its_message_id_and_is_never_claimed_again(db: Database) -> None:
    [message_id] = await _enqueue(db)
    async with db.uow() as uow:
        await uow.outbox.claim_due(NOW)
        await uow.commit()
    async with db.uow() as uow:
        await uow.outbox.mark_sent(message_id, 5501, at=NOW)
        await uow.commit()
    async with db.uow() as uow:
        row = await uow.outbox.get(message_id)
        assert await uow.outbox.claim_due(NOW + timedelta(days=30)) == []
    assert row is not None and (row.status, row.sent_message_id, row.attempts) == ("sent", "5501", 1)


async def test_a_failed_row_is_retried_from_its_retry_time(db: Database) -> None:
    [message_id] = await _enqueue(db)
    retry_at = NOW + timedelta(seconds=17)  # e.g. a 429 with retry_after=17
    async with db.uow() as uow:
        await uow.outbox.claim_due(NOW)
        await uow.outbox.mark_failed(message_id, "429 Too Many Requests", retry_at, at=NOW)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.outbox.claim_due(retry_at - timedelta(seconds=1)) == []
        retried = await uow.outbox.claim_due(retry_at)
        await uow.commit()
    assert [(m.id, m.status, m.attempts, m.last_error) for m in retried] == [
        (message_id, "failed", 2, "429 Too Many Requests")
    ]


async def test_a_row_failed_without_retry_time_is_given_up(db: Database) -> None:
    [message_id] = await _enqueue(db)
    async with db.uow() as uow:
        await uow.outbox.mark_failed(message_id, "chat not found", None, at=NOW)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.outbox.claim_due(NOW + timedelta(days=365)) == []
        row = await uow.outbox.get(message_id)
    assert row is not None and (row.status, row.next_attempt_at, row.last_error) == ("failed", None, "chat not found")


async def test_a_heartbeat_keeps_a_claimed_row_hidden_past_its_first_lease(db: Database) -> None:
    [message_id] = await _enqueue(db)
    lease = timedelta(seconds=30)
    async with db.uow() as uow:
        await uow.outbox.claim_due(NOW, lease=lease)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.outbox.renew_lease(message_id, NOW + lease, NOW + timedelta(seconds=50))
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.outbox.claim_due(NOW + timedelta(seconds=40)) == []


async def test_a_heartbeat_leaves_a_row_whose_outcome_was_recorded_alone(db: Database) -> None:
    [failed, sent] = await _enqueue(db, 2)
    lease = timedelta(seconds=30)
    async with db.uow() as uow:
        await uow.outbox.claim_due(NOW, lease=lease)
        await uow.outbox.mark_failed(failed, "429", NOW + timedelta(seconds=5), at=NOW)
        await uow.outbox.mark_sent(sent, 7, at=NOW)
        await uow.commit()
    async with db.uow() as uow:
        assert not await uow.outbox.renew_lease(failed, NOW + lease, NOW + timedelta(minutes=5))
        assert not await uow.outbox.renew_lease(sent, NOW + lease, NOW + timedelta(minutes=5))
        await uow.commit()
    async with db.uow() as uow:
        assert [m.id for m in await uow.outbox.claim_due(NOW + timedelta(seconds=5))] == [failed]


async def test_a_worker_whose_row_was_deleted_finds_it_gone_even_when_a_new_row_took_its_id(db: Database) -> None:
    """SQLite gives a new row the id of a deleted one (an applicant erased their data while their notice
    was being sent, and the withdrawal was queued in the same transaction): the sender must not write
    its progress over the withdrawal."""
    await _enqueue(db)
    async with db.uow() as uow:
        [sending] = await uow.outbox.claim_due(NOW)
        await uow.commit()
    async with db.uow() as uow:
        await uow._require().execute(delete(OutboxMessage).where(OutboxMessage.id == sending.id))
        withdrawal = await uow.outbox.enqueue("withdrawn", None, {"messages": []}, NOW + timedelta(seconds=1))
        await uow.commit()
    async with db.uow() as uow:
        with pytest.raises(NotFound):
            await uow.outbox.record_progress(sending.id, {"parts": [[1]]}, created_at=sending.created_at)
        await uow.commit()
        untouched = await uow.outbox.get(withdrawal.id)
    assert untouched is not None and untouched.progress is None and untouched.kind == "withdrawn"


async def test_a_row_handed_back_untried_is_due_again_without_an_attempt_counted(db: Database) -> None:
    """A worker that stops after claiming rows hands the ones it never tried back: the claim made no
    attempt, so it neither lengthens their backoff nor brings them nearer to a dead letter."""
    [message_id] = await _enqueue(db)
    async with db.uow() as uow:
        [claimed] = await uow.outbox.claim_due(NOW, lease=timedelta(seconds=30))
        await uow.outbox.release(claimed.id, NOW, created_at=claimed.created_at)
        await uow.commit()
    async with db.uow() as uow:
        [again] = await uow.outbox.claim_due(NOW)
    assert (again.id, again.attempts) == (message_id, 1)
