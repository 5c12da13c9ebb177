"""Applicants are one row per channel user; conversation state is versioned so no save is lost."""

from __future__ import annotations

import asyncio

import pytest

from storage import ConcurrentUpdate
from storage.db import Database
from tests.storage.factories import NOW


async def test_one_applicant_per_channel_user_even_when_first_messages_race(db: Database) -> None:
    async def first_message() -> int:
        async with db.uow() as uow:
            applicant = await uow.applicants.get_or_create("telegram", "7", now=NOW)
            await asyncio.sleep(0)
            await uow.commit()
            return applicant.id

    first, second = await asyncio.gather(first_message(), first_message())
    assert first == second
    async with db.uow() as uow:
        other = await uow.applicants.get_or_create("local", "7", now=NOW)
    assert other.id != first


async def test_language_and_contact_are_stored_on_the_applicant(db: Database, applicant_id: int) -> None:
    async with db.uow() as uow:
        await uow.applicants.set_language(applicant_id, "ug", now=NOW)
        await uow.applicants.set_contact(applicant_id, name="Ali", phone="0991-1234567", now=NOW)
        await uow.applicants.set_contact(applicant_id, employer="新疆大学", now=NOW)
        await uow.commit()
    async with db.uow() as uow:
        applicant = await uow.applicants.get(applicant_id)
    assert applicant is not None
    assert (applicant.language, applicant.name, applicant.phone, applicant.employer) == (
        "ug",
        "Ali",
        "0991-1234567",
        "新疆大学",
    )


async def test_a_new_conversation_loads_as_none(db: Database, applicant_id: int) -> None:
    async with db.uow() as uow:
        assert await uow.conversations.load(applicant_id, "local") is None


async def test_each_save_bumps_the_version_and_keeps_the_state(db: Database, applicant_id: int) -> None:
    state = {"step": "ask", "answers": {"age": 45, "name": "阿依古丽"}, "stack": ["menu", "fit"]}
    async with db.uow() as uow:
        assert await uow.conversations.save(applicant_id, "local", state, expected_version=None, now=NOW) == 1
        await uow.commit()
    async with db.uow() as uow:
        loaded = await uow.conversations.load(applicant_id, "local")
        assert loaded == (state, 1)
        new_version = await uow.conversations.save(
            applicant_id, "local", {**state, "step": "review"}, expected_version=1, now=NOW, schema=2
        )
        await uow.commit()
    assert new_version == 2
    async with db.uow() as uow:
        record = await uow.conversations.load_record(applicant_id, "local")
    assert record is not None and (record.state["step"], record.version, record.schema) == ("review", 2, 2)


async def test_saving_from_a_stale_version_raises_concurrent_update(db: Database, applicant_id: int) -> None:
    async with db.uow() as uow:
        await uow.conversations.save(applicant_id, "local", {"step": "a"}, expected_version=None, now=NOW)
        await uow.commit()
    async with db.uow() as uow:
        await uow.conversations.save(applicant_id, "local", {"step": "b"}, expected_version=1, now=NOW)
        await uow.commit()
    with pytest.raises(ConcurrentUpdate):
        async with db.uow() as uow:
            await uow.conversations.save(applicant_id, "local", {"step": "stale"}, expected_version=1, now=NOW)
    async with db.uow() as uow:
        assert await uow.conversations.load(applicant_id, "local") == ({"step": "b"}, 2)


async def test_two_first_saves_of_one_conversation_keep_the_first(db: Database, applicant_id: int) -> None:
    async with db.uow() as uow:
        await uow.conversations.save(applicant_id, "local", {"step": "first"}, expected_version=None, now=NOW)
        await uow.commit()
    with pytest.raises(ConcurrentUpdate):
        async with db.uow() as uow:
            await uow.conversations.save(applicant_id, "local", {"step": "second"}, expected_version=None, now=NOW)
    async with db.uow() as uow:
        assert await uow.conversations.load(applicant_id, "local") == ({"step": "first"}, 1)


async def test_two_events_of_one_user_at_once_let_exactly_one_save(db: Database, applicant_id: int) -> None:
    async with db.uow() as uow:
        await uow.conversations.save(applicant_id, "local", {"n": 0}, expected_version=None, now=NOW)
        await uow.commit()

    both_loaded = asyncio.Barrier(2)

    async def handle(n: int) -> str:
        try:
            async with db.uow() as uow:
                loaded = await uow.conversations.load(applicant_id, "local")
                assert loaded is not None
                await both_loaded.wait()
                await uow.conversations.save(applicant_id, "local", {"n": n}, expected_version=loaded[1], now=NOW)
                await uow.commit()
                return "saved"
        except ConcurrentUpdate:
            return "conflict"

    assert sorted(await asyncio.gather(handle(1), handle(2))) == ["conflict", "saved"]
