"""The unit of work: nothing is kept without commit; what was committed survives a restart."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from storage import StorageError
from storage.db import Database
from tests.storage.factories import NOW, confirm


async def test_leaving_the_unit_of_work_without_commit_keeps_nothing(db: Database) -> None:
    async with db.uow() as uow:
        applicant = await uow.applicants.get_or_create("local", "bob", now=NOW)
        await uow.conversations.save(applicant.id, "local", {"step": "menu"}, expected_version=None, now=NOW)
        await uow.submissions.create_once(confirm(), applicant_id=applicant.id, now=NOW)
        await uow.outbox.enqueue("new_submission", "XJ-2026-000001", {}, NOW)
    async with db.uow() as uow:
        assert await uow.applicants.find("local", "bob") is None
        assert await uow.submissions.get("XJ-2026-000001") is None
        assert await uow.outbox.claim_due(NOW) == []


async def test_an_error_inside_the_block_rolls_back_the_whole_event(db: Database, applicant_id: int) -> None:
    with pytest.raises(RuntimeError):
        async with db.uow() as uow:
            await uow.submissions.create_once(confirm(), applicant_id=applicant_id, now=NOW)
            raise RuntimeError("the channel failed before commit")
    async with db.uow() as uow:
        assert await uow.submissions.list_for(applicant_id) == []


async def test_database_errors_leave_the_block_as_storage_errors(db: Database) -> None:
    with pytest.raises(StorageError):
        async with db.uow() as uow:
            # No applicant 999: the foreign key refuses the conversation.
            await uow.conversations.save(999, "local", {}, expected_version=None, now=NOW)
            await uow.commit()


async def test_committed_data_survives_closing_and_reopening_the_database(url: str, db: Database) -> None:
    async with db.uow() as uow:
        applicant = await uow.applicants.get_or_create("telegram", "42", now=NOW)
        await uow.conversations.save(applicant.id, "telegram", {"step": "review"}, expected_version=None, now=NOW)
        await uow.submissions.create_once(confirm(), applicant_id=applicant.id, now=NOW)
        await uow.commit()
    await db.close()

    reopened = Database.open(url)
    try:
        async with reopened.uow() as uow:
            again = await uow.applicants.find("telegram", "42")
            assert again is not None and again.id == applicant.id
            assert await uow.conversations.load(applicant.id, "telegram") == ({"step": "review"}, 1)
            submission = await uow.submissions.get("XJ-2026-000001")
            assert submission is not None and submission.facts["age"] == 40
    finally:
        await reopened.close()


async def test_times_come_back_as_the_same_instant_in_utc(db: Database) -> None:
    beijing = datetime(2026, 3, 1, 17, 30, tzinfo=timezone(timedelta(hours=8)))
    async with db.uow() as uow:
        await uow.applicants.get_or_create("local", "tz", now=beijing)
        await uow.commit()
    async with db.uow() as uow:
        applicant = await uow.applicants.find("local", "tz")
    assert applicant is not None
    assert applicant.created_at == beijing
    assert applicant.created_at.utcoffset() == timedelta(0)


async def test_a_naive_time_is_refused_rather_than_guessed(db: Database) -> None:
    with pytest.raises(StorageError):
        async with db.uow() as uow:
            await uow.applicants.get_or_create("local", "naive", now=datetime(2026, 3, 1, 9, 30))
            await uow.commit()


async def test_rows_returned_stay_readable_after_the_block(db: Database, applicant_id: int) -> None:
    async with db.uow() as uow:
        submission, _ = await uow.submissions.create_once(confirm(), applicant_id=applicant_id, now=NOW)
        await uow.commit()
    assert submission.reference == "XJ-2026-000001"
    assert submission.status == "submitted"
