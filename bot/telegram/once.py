"""Each Telegram update handled once, whatever delivers it again.

Telegram delivers an update again when it was not confirmed: a webhook answer
that came late or not at all, a ``getUpdates`` batch whose offset a crash kept
from moving (see :mod:`bot.telegram.polling`, which confirms only after
handling). :class:`HandledOnce` skips an ``update_id`` that is being handled now
or was handled to the end (table ``handled_updates``, a day kept). An update is
recorded after its handling returned, so a crash in between means it is
handled again, never that it is lost: the window left is the few milliseconds
between the handling's commit and this record's. (Recording it in the
handling's own transaction would close that window the other way: a crash
after the commit and before the replies are sent would leave the person
without an answer, and the update delivered again would be skipped.)

The check costs an applicant's update nothing of its own: the statement that
asks for the record also reads the sender's conversation, which the desk then
uses instead of reading it again (:class:`bot.service.Preread`).

With several workers, ``chat_lock`` (shared through Redis) is held from the
check to the record: the same update reaching two workers at once is handled by
the first and skipped by the second, and two updates of one chat never run side
by side.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

from bot.service import PREREAD, Preread
from bot.telegram.applicants import CHANNEL
from bot.telegram.outbox import utc_now
from bot.telegram.polling import Handle
from bot.telegram.updates import chat_of
from storage.db import Database
from storage.hotpath import commit_in_trip, opened, prune_statement, record_statement, seen_and_open_query, seen_query

log = logging.getLogger(__name__)

#: How long handled update ids are kept (Telegram keeps an unconfirmed update 24 hours).
KEEP = dt.timedelta(days=1)
#: Prune old ids once every this many records.
PRUNE_EVERY = 500


def bot_id_of(token: str) -> int:
    """The bot's id: the digits before the colon of its token (not secret: Telegram shows it to everyone)."""
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 0


class HandledOnce:
    def __init__(
        self,
        database: Database,
        bot_id: int,
        handle: Handle,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        chat_lock: Callable[[int], AbstractAsyncContextManager[Any]] | None = None,
    ) -> None:
        self.database = database
        self.bot_id = bot_id
        self.handle = handle
        self.clock = clock
        self.chat_lock = chat_lock
        self.skipped = 0
        self._in_hand: set[int] = set()
        self._records = 0

    async def __call__(self, update: dict[str, Any]) -> None:
        update_id = update.get("update_id")
        if not isinstance(update_id, int):
            await self.handle(update)
            return
        if update_id in self._in_hand:
            self.skipped += 1
            log.info("update %s delivered again while being handled: skipped", update_id)
            return
        self._in_hand.add(update_id)
        chat = chat_of(update) if self.chat_lock is not None else None
        try:
            async with self.chat_lock(chat) if self.chat_lock is not None and chat is not None else nullcontext():
                await self._once(update, update_id)
        finally:
            self._in_hand.discard(update_id)

    async def _once(self, update: dict[str, Any], update_id: int) -> None:
        sender = sender_of(update)
        preread: Preread | None = None
        async with self.database.reads, self.database.engine.connect() as connection:
            if sender is None:
                seen = bool((await connection.execute(*seen_query(self.bot_id, update_id))).scalar())
            else:
                query = seen_and_open_query(self.bot_id, update_id, CHANNEL, str(sender))
                row = (await connection.execute(*query)).one()
                seen = bool(row.seen)
                found = opened(row) if row.id is not None else None
                preread = Preread(CHANNEL, str(sender), found, asyncio.current_task())
        if seen:
            self.skipped += 1
            log.info("update %s was handled before: skipped", update_id)
            return
        token = PREREAD.set(preread)
        try:
            await self.handle(update)
        finally:
            PREREAD.reset(token)
        await self._record(update_id)

    async def _record(self, update_id: int) -> None:
        """One INSERT on a plain connection (no ORM session: nothing is read back), committed with it."""
        now = self.clock()
        database = self.database
        self._records += 1
        prune = self._records % PRUNE_EVERY == 1
        async with database.writes, database.engine.begin() as connection:
            dialect = connection.dialect.name
            with nullcontext() if prune else commit_in_trip():  # one trip to SQLite's thread for the record
                await connection.execute(*record_statement(dialect, self.bot_id, update_id, now))
            if prune:
                await connection.execute(prune_statement(now - KEEP))


def sender_of(update: dict[str, Any]) -> int | None:
    """The person who sent a message or pressed a button: the applicant whose conversation the desk reads."""
    for kind in ("message", "callback_query"):
        item = update.get(kind)
        if isinstance(item, dict):
            sender = item.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int) and not sender.get("is_bot"):
                return int(sender["id"])
    return None
