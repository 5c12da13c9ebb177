"""Delivered notifications are deleted after a while, except those something may still read."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Database
from storage.effects import SHOWN_KINDS
from tests.storage.factories import NOW


async def _sent(db: Database, kind: str, reference: str, at: object, *, key: str | None = None) -> None:
    async with db.uow() as uow:
        if key is None:
            row = await uow.outbox.enqueue(kind, reference, {}, NOW)
            message_id = row.id
        else:
            assert await uow.outbox.enqueue_once(key, kind, reference, {}, NOW)
            message_id = (await uow.outbox.for_reference(reference))[0].id
        await uow.outbox.mark_sent(message_id, "1", at=at)  # type: ignore[arg-type]
        await uow.commit()


REFERENCES = ("XJ-2026-000001", "Q-1", "XJ-2026-000002", "XJ-2026-000003", "A-7")


async def _kinds(db: Database) -> list[str]:
    """The kinds of the rows left, of every reference these tests queue under."""
    kinds = []
    async with db.uow() as uow:
        for reference in REFERENCES:
            kinds += [m.kind for m in await uow.outbox.for_reference(reference)]
    return sorted(kinds)


async def test_old_delivered_notifications_are_deleted_and_recent_ones_kept(db: Database) -> None:
    await _sent(db, "applicant_update", "XJ-2026-000001", NOW - timedelta(days=40))
    await _sent(db, "question_answer", "Q-1", NOW - timedelta(days=2))
    async with db.uow() as uow:
        pruned = await uow.outbox.prune_sent(NOW - timedelta(days=30), keep_kinds=SHOWN_KINDS)
        await uow.commit()
    assert pruned == 1
    assert await _kinds(db) == ["question_answer"]


async def test_pending_notifications_are_never_pruned_however_old(db: Database) -> None:
    async with db.uow() as uow:
        await uow.outbox.enqueue("applicant_update", "XJ-2026-000002", {}, NOW - timedelta(days=90))
        assert await uow.outbox.prune_sent(NOW, keep_kinds=SHOWN_KINDS) == 0
        await uow.commit()
    assert await _kinds(db) == ["applicant_update"]


async def test_staff_messages_of_a_submission_and_once_keyed_messages_are_kept(db: Database) -> None:
    """A withdrawal edits the submission's message in the staff chat, and a follower's once-key keeps a
    schedule from sending the same reminder again: both outlive the pruning."""
    old = NOW - timedelta(days=400)
    await _sent(db, "new_submission", "XJ-2026-000003", old)
    await _sent(db, "deadline_reminder", "A-7", old, key="reminder:7:program:2026-12-01:7")
    async with db.uow() as uow:
        assert await uow.outbox.prune_sent(NOW, keep_kinds=SHOWN_KINDS) == 0
        await uow.commit()
    assert await _kinds(db) == ["deadline_reminder", "new_submission"]
