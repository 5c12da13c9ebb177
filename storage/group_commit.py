"""Group commit on SQLite: the conversation writes of ordinary events waiting at once, in one transaction.

SQLite has one writer, so with many applicants at once their events queue for the write lock one by one,
each paying its own statement and commit: the reply latency of N applicants grows as N times that.
:class:`GroupSaves` lets one writer task take every write waiting, run them as one statement (SQLite
counts the rows it changed: all of them means every version matched) and commit once. Each event's
``save`` returns only once its batch is committed, so a reply is still sent only for a state that is
stored. When a version did not match (another event of the same conversation came first), the batch is
rolled back and written again statement by statement, and only the stale events raise
:class:`storage.errors.ConcurrentUpdate` (the desk runs them again, as it does without batching).

PostgreSQL takes writes side by side on several connections, and its driver does not count the rows of
a batch: it keeps one transaction per event (:func:`storage.hotpath.save_conversation`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CursorResult

from storage.errors import ConcurrentUpdate, StorageError
from storage.hotpath import commit_in_trip, save_parameters, save_prepared, saving, stale

if TYPE_CHECKING:
    from storage.db import Database

#: At most this many writes in one transaction (a bound on how long the write lock is held).
MOST = 256


class _Mismatch(Exception):
    """Some version in the batch did not match: roll back and write one by one."""


class GroupSaves:
    def __init__(self, database: Database, *, most: int = MOST) -> None:
        self.database = database
        self.most = most
        self._waiting: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
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
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        self._waiting.append((parameters, future))
        if not self._busy:
            self._busy = True
            try:
                await self._write_batch()
            finally:
                self._hand_over(loop)
        await future

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
            stale_ones = await self._write(batch)
        except Exception as error:  # every waiter of the batch hears it
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        except BaseException:
            # the writing event was cancelled (the bot stopping) while the batch was written: the others
            # hear of a failure, as they would of a commit cut short, rather than of a cancellation of theirs
            for _, future in batch:
                if not future.done():
                    future.set_exception(StorageError("the write of this event was interrupted"))
            raise
        self.batches += 1
        self.saved += len(batch) - len(stale_ones)
        for index, (parameters, future) in enumerate(batch):
            if future.done():
                continue
            if index in stale_ones:
                future.set_exception(
                    stale(parameters["s_applicant"], parameters["s_channel"], parameters["s_expected"])
                )
            else:
                future.set_result(None)

    async def _write(self, batch: list[tuple[dict[str, Any], asyncio.Future[None]]]) -> set[int]:
        """The indexes of the writes whose version did not match (the rest are committed)."""
        database = self.database
        rows = [parameters for parameters, _ in batch]
        if len(rows) > 1:
            try:
                async with database.writes, database.engine.begin() as connection:
                    result = await connection.execute(saving(), rows)
                    assert isinstance(result, CursorResult)
                    if result.rowcount != len(rows):
                        raise _Mismatch
                return set()
            except _Mismatch:
                pass
        stale_ones: set[int] = set()
        if len(rows) == 1:  # alone: the statement commits in its own trip to SQLite's thread
            async with database.writes, database.engine.begin() as connection:
                try:
                    with commit_in_trip():
                        await save_prepared(connection, rows[0])
                except ConcurrentUpdate:
                    return {0}
            return set()
        async with database.writes, database.engine.begin() as connection:
            for index, parameters in enumerate(rows):
                try:
                    await save_prepared(connection, parameters)
                except ConcurrentUpdate:
                    stale_ones.add(index)
        return stale_ones
