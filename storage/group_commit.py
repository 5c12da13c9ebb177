"""Group commit on SQLite: the conversation writes of ordinary events waiting at once, in one transaction.

SQLite has one writer, so with many applicants at once their events queue for the write lock one by one,
each paying its own statement and commit: the reply latency of N applicants grows as N times that.
:class:`GroupSaves` lets one writer task take every write waiting, run them as one statement (SQLite
counts the rows it changed: all of them means every version matched) and commit once. Each event's
``save`` returns only once its batch is committed, so a reply is still sent only for a state that is
stored. When a version did not match (another event of the same conversation came first), the batch is
rolled back and written again statement by statement, and only the stale events raise
:class:`storage.errors.ConcurrentUpdate` (the desk runs them again, as it does without batching).

A newcomer's first event without effects goes in the batch too (:meth:`GroupSaves.create`): the
applicants of the batch are inserted in one statement, their ids read in one, their conversations
inserted in one. A burst of new applicants (a notice just went out) was otherwise a queue of
transactions of their own, one at a time, and the slowest of all events.

PostgreSQL takes writes side by side on several connections, and its driver does not count the rows of
a batch: it keeps one transaction per event (:func:`storage.hotpath.save_conversation`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CursorResult, bindparam, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.errors import ConcurrentUpdate, StorageError
from storage.hotpath import APPLICANTS, CONVERSATIONS, commit_in_trip, save_parameters, save_prepared, saving, stale

if TYPE_CHECKING:
    from storage.db import Database

#: At most this many writes in one transaction (a bound on how long the write lock is held).
MOST = 256

_NEW_APPLICANT = (
    sqlite.insert(APPLICANTS)
    .values(
        {
            "channel": bindparam("c_channel"),
            "external_id": bindparam("c_user"),
            "language": bindparam("c_lang"),
            "created_at": bindparam("c_created", type_=APPLICANTS.c.created_at.type),
            "updated_at": bindparam("c_updated", type_=APPLICANTS.c.updated_at.type),
        }
    )
    .on_conflict_do_nothing(index_elements=["channel", "external_id"])
)
_IDS = select(APPLICANTS.c.id, APPLICANTS.c.external_id).where(
    APPLICANTS.c.channel == bindparam("i_channel"), APPLICANTS.c.external_id.in_(bindparam("i_users", expanding=True))
)
_NEW_CONVERSATION = (
    sqlite.insert(CONVERSATIONS)
    .values(
        {
            "applicant_id": bindparam("n_applicant"),
            "channel": bindparam("c_channel"),
            "state": bindparam("c_state", type_=CONVERSATIONS.c.state.type),
            "schema": 1,
            "version": 1,
            "created_at": bindparam("c_created", type_=CONVERSATIONS.c.created_at.type),
            "updated_at": bindparam("c_updated", type_=CONVERSATIONS.c.updated_at.type),
        }
    )
    .on_conflict_do_nothing(index_elements=["applicant_id", "channel"])
)


class _Mismatch(Exception):
    """Some write of the batch found the row other than expected: roll back and write one by one."""


@dataclass
class _Write:
    """A conversation's UPDATE (``create`` False) or a newcomer with their first conversation."""

    parameters: dict[str, Any]
    future: asyncio.Future[None]
    create: bool = False
    stale: bool = field(default=False)


class GroupSaves:
    def __init__(self, database: Database, *, most: int = MOST) -> None:
        self.database = database
        self.most = most
        self._waiting: list[_Write] = []
        self._busy = False
        self._writer: asyncio.Task[None] | None = None
        #: Transactions committed and writes in them (a measure of how much was grouped).
        self.batches = 0
        self.saved = 0

    async def save(
        self,
        applicant_id: int,
        channel: str,
        state: Mapping[str, Any],
        *,
        expected_version: int,
        now: datetime,
    ) -> None:
        """Store the state once its batch commits, or raise :class:`ConcurrentUpdate` if it moved on.

        Nobody writing: this event writes at once, itself (no task, no hand-off: one applicant alone
        pays nothing for the grouping), taking along whatever waits by then. Someone writing: it waits
        and goes in the next batch, which the writer of this one starts as it finishes."""
        parameters = save_parameters(applicant_id, channel, state, expected_version=expected_version, now=now)
        await self._join(parameters, create=False)

    async def create(
        self, channel: str, external_id: str, language: str, state: Mapping[str, Any], *, now: datetime
    ) -> None:
        """Store a newcomer (reading ``language``) with their first conversation, once the batch commits;
        :class:`ConcurrentUpdate` if they were stored meanwhile (the event runs again, and finds them)."""
        parameters = {
            "c_channel": channel,
            "c_user": external_id,
            "c_lang": language,
            "c_state": state,
            "c_created": now,
            "c_updated": now,
        }
        await self._join(parameters, create=True)

    async def _join(self, parameters: dict[str, Any], *, create: bool) -> None:
        loop = asyncio.get_running_loop()
        write = _Write(parameters, loop.create_future(), create)
        self._waiting.append(write)
        if not self._busy:
            self._busy = True
            try:
                await self._write_batch()
            finally:
                self._hand_over(loop)
        await write.future

    def _hand_over(self, loop: asyncio.AbstractEventLoop) -> None:
        """The events that came while a batch was written are the next batch, written by a task of its own."""
        if self._waiting:
            self._writer = loop.create_task(self._write_rest())
        else:
            self._busy = False

    async def _write_rest(self) -> None:
        try:
            await self._write_batch()
        finally:
            self._hand_over(asyncio.get_running_loop())

    async def _write_batch(self) -> None:
        batch, self._waiting = self._waiting[: self.most], self._waiting[self.most :]
        try:
            await self._write(batch)
        except Exception as error:  # every waiter of the batch hears it
            for write in batch:
                if not write.future.done():
                    write.future.set_exception(error)
            return
        except BaseException:
            # the writing event was cancelled (the bot stopping) while the batch was written: the others
            # hear of a failure, as they would of a commit cut short, rather than of a cancellation of theirs
            for write in batch:
                if not write.future.done():
                    write.future.set_exception(StorageError("the write of this event was interrupted"))
            raise
        self.batches += 1
        self.saved += sum(not write.stale for write in batch)
        for write in batch:
            if write.future.done():
                continue
            if write.stale:
                write.future.set_exception(_stale(write))
            else:
                write.future.set_result(None)

    async def _write(self, batch: list[_Write]) -> None:
        """Write the batch; the writes found stale are marked so (the rest are committed)."""
        database = self.database
        saves = [write.parameters for write in batch if not write.create]
        creations = [write for write in batch if write.create]
        if len(batch) == 1 and saves:  # alone: the statement commits in its own trip to SQLite's thread
            async with database.writes, database.engine.begin() as connection:
                try:
                    with commit_in_trip():
                        await save_prepared(connection, saves[0])
                except ConcurrentUpdate:
                    batch[0].stale = True
            return
        try:
            async with database.writes, database.engine.begin() as connection:
                if saves:
                    result = await connection.execute(saving(), saves)
                    assert isinstance(result, CursorResult)
                    if result.rowcount != len(saves):
                        raise _Mismatch
                if creations:
                    await _create_all(connection, creations)
            return
        except _Mismatch:
            pass
        async with database.writes, database.engine.begin() as connection:
            for write in batch:
                try:
                    if write.create:
                        await _create_all(connection, [write])
                    else:
                        await save_prepared(connection, write.parameters)
                except (ConcurrentUpdate, _Mismatch):
                    write.stale = True


async def _create_all(connection: AsyncConnection, creations: list[_Write]) -> None:
    """Insert the newcomers and their conversations (:class:`_Mismatch` if any was stored already)."""
    rows = [write.parameters for write in creations]
    result = await connection.execute(_NEW_APPLICANT, rows)
    assert isinstance(result, CursorResult)
    if result.rowcount != len(rows):
        raise _Mismatch
    for channel in {row["c_channel"] for row in rows}:
        users = [row["c_user"] for row in rows if row["c_channel"] == channel]
        found = await connection.execute(_IDS, {"i_channel": channel, "i_users": users})
        ids = {external_id: applicant_id for applicant_id, external_id in found}
        for row in rows:
            if row["c_channel"] == channel:
                row["n_applicant"] = ids[row["c_user"]]
    result = await connection.execute(_NEW_CONVERSATION, rows)
    assert isinstance(result, CursorResult)
    if result.rowcount != len(rows):
        raise _Mismatch


def _stale(write: _Write) -> ConcurrentUpdate:
    parameters = write.parameters
    if write.create:
        return ConcurrentUpdate(f"applicant {parameters['c_user']} on {parameters['c_channel']} was stored meanwhile")
    return stale(parameters["s_applicant"], parameters["s_channel"], parameters["s_expected"])
