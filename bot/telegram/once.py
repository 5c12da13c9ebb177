"""Each Telegram update handled once, whatever delivers it again.

Telegram delivers an update again when it was not confirmed: a webhook answer
that came late or not at all, a ``getUpdates`` batch whose offset a crash kept
from moving (see :mod:`bot.telegram.polling`, which confirms only after
handling). :class:`HandledOnce` skips an ``update_id`` that is being handled now
or was handled to the end (table ``handled_updates``, a day kept). An update is
recorded after its handling returned, so a crash in between means it is
handled again, never that it is lost: the window left is the few milliseconds
between the handling's commit and this record's.

With several workers, ``chat_lock`` (shared through Redis) is held from the
check to the record: the same update reaching two workers at once is handled by
the first and skipped by the second, and two updates of one chat never run side
by side.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

from bot.telegram.outbox import utc_now
from bot.telegram.polling import Handle
from bot.telegram.updates import chat_of
from storage.db import Database

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
        async with self.database.uow() as uow:
            seen = await uow.handled_updates.seen(self.bot_id, update_id)
        if seen:
            self.skipped += 1
            log.info("update %s was handled before: skipped", update_id)
            return
        await self.handle(update)
        await self._record(update_id)

    async def _record(self, update_id: int) -> None:
        now = self.clock()
        async with self.database.uow() as uow:
            await uow.handled_updates.record(self.bot_id, update_id, now=now)
            self._records += 1
            if self._records % PRUNE_EVERY == 1:
                await uow.handled_updates.prune(now - KEEP)
            await uow.commit()
