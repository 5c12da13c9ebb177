"""Admins' previews in the database: found by their token after a restart, closed once whoever presses
twice or on two workers, and a question to an admin answered only while it is fresh."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage.db import Database
from tests.storage.factories import NOW

FILES = {"changed": {"programs/x.yaml": "id: x\n"}, "removed": []}


async def _draft(db: Database, token: str, *, admin: str = "tg:1", kind: str = "publish", at=NOW) -> None:
    async with db.uow() as uow:
        await uow.admin_drafts.add(token=token, admin=admin, kind=kind, payload=FILES, base_number=3, now=at)
        await uow.commit()


async def test_a_draft_is_found_by_its_token_with_what_it_previewed(db: Database) -> None:
    await _draft(db, "tok-1")
    async with db.uow() as uow:
        draft = await uow.admin_drafts.get("tok-1")
        missing = await uow.admin_drafts.get("tok-2")
    assert draft is not None and missing is None
    assert (draft.admin, draft.kind, draft.payload, draft.base_number, draft.closed_at) == (
        "tg:1",
        "publish",
        FILES,
        3,
        None,
    )


async def test_a_draft_is_closed_once_even_by_two_presses_at_the_same_moment(db: Database) -> None:
    await _draft(db, "tok-1")

    async def press() -> bool:
        async with db.uow() as uow:
            closed = await uow.admin_drafts.close("tok-1", now=NOW)
            await uow.commit()
        return closed

    assert sorted(await asyncio.gather(press(), press())) == [False, True]
    async with db.uow() as uow:
        draft = await uow.admin_drafts.get("tok-1")
    assert draft is not None and draft.closed_at == NOW


async def test_the_question_waiting_for_an_admin_is_their_newest_open_one_of_that_kind(db: Database) -> None:
    await _draft(db, "old", kind="ask", at=NOW - timedelta(hours=2))
    await _draft(db, "new", kind="ask", at=NOW - timedelta(minutes=5))
    await _draft(db, "other-admin", admin="tg:2", kind="ask", at=NOW)
    await _draft(db, "a-preview", kind="publish", at=NOW)
    async with db.uow() as uow:
        waiting = await uow.admin_drafts.waiting("tg:1", "ask", since=NOW - timedelta(hours=1))
        stale = await uow.admin_drafts.waiting("tg:1", "ask", since=NOW - timedelta(minutes=1))
        closed = await uow.admin_drafts.close_all("tg:1", "ask", now=NOW)
        await uow.commit()
    assert waiting is not None and waiting.token == "new"
    assert stale is None
    assert closed == 2
    async with db.uow() as uow:
        assert await uow.admin_drafts.waiting("tg:1", "ask", since=NOW - timedelta(days=1)) is None
        assert await uow.admin_drafts.waiting("tg:2", "ask", since=NOW - timedelta(days=1)) is not None
