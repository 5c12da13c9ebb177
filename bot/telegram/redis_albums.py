"""Albums whose parts reach different workers: gathered in Redis, answered once.

Telegram posts each item of an album as its own update, and with several
webhook workers the items land on different processes. Every part is appended
to the album's list in Redis; the worker that added the first part becomes the
album's owner (one atomic script decides it) and waits for ``quiet`` seconds
without a new part, then takes the whole list (atomically, only if nothing came
meanwhile, and not while an update of the chat is being handled: under load a
part may wait longer than the quiet time for its turn) and hands it on as one
answer. A part arriving after the take starts
a new album, as it would in one process after the quiet time.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any

from redis.asyncio import Redis

from bot.telegram.albums import Flush
from bot.telegram.types import IncomingFile, IncomingMessage, Person

log = logging.getLogger(__name__)

#: Append a part, count the change; 1 when the caller became the owner (the album had none).
_ADD = """
redis.call('rpush', KEYS[1], ARGV[1])
redis.call('incr', KEYS[2])
redis.call('pexpire', KEYS[1], ARGV[2])
redis.call('pexpire', KEYS[2], ARGV[2])
if redis.call('set', KEYS[3], '1', 'NX', 'PX', ARGV[2]) then return 1 end
return 0
"""
#: Take every part if the count is still what the owner saw (no part arrived during the quiet time).
_TAKE = """
if redis.call('get', KEYS[2]) ~= ARGV[1] then return false end
local parts = redis.call('lrange', KEYS[1], 0, -1)
redis.call('del', KEYS[1], KEYS[2], KEYS[3])
return parts
"""
#: How long an album's keys outlive their last part (an owner that died leaves nothing behind for good).
KEEP_MS = 120_000


def dump(message: IncomingMessage) -> str:
    return json.dumps(asdict(message), ensure_ascii=False)


def load(text: str | bytes) -> IncomingMessage:
    data: dict[str, Any] = json.loads(text)
    data["sender"] = Person(**data["sender"])
    data["file"] = IncomingFile(**data["file"]) if data.get("file") else None
    return IncomingMessage(**data)


class RedisAlbumCollector:
    """:class:`bot.telegram.albums.AlbumCollector`'s interface, shared by every worker on one Redis."""

    def __init__(
        self,
        redis: Redis,
        prefix: str,
        flush: Flush,
        *,
        quiet: float = 1.0,
        busy: Callable[[int], Awaitable[bool]] | None = None,
    ) -> None:
        """``busy(chat)``: whether an update of the chat is being handled now (its part may be one)."""
        self.redis = redis
        self._busy = busy
        self.prefix = prefix
        self._flush = flush
        self._quiet = quiet
        self._add: Any = redis.register_script(_ADD)
        self._take: Any = redis.register_script(_TAKE)
        self._tasks: set[asyncio.Task[None]] = set()

    def _keys(self, message: IncomingMessage) -> list[str]:
        base = f"{self.prefix}{message.chat_id}:{message.media_group_id}"
        return [f"{base}:parts", f"{base}:count", f"{base}:owner"]

    async def put(self, message: IncomingMessage) -> None:
        """Store the part in Redis (before the update is acknowledged); the owner starts the wait."""
        assert message.media_group_id is not None
        keys = self._keys(message)
        if await self._add(keys=keys, args=[dump(message), KEEP_MS]) == 1:
            task = asyncio.get_running_loop().create_task(self._own(message.chat_id, keys))
            self._tasks.add(task)
            task.add_done_callback(self._done)

    def add(self, message: IncomingMessage) -> None:
        """The in-process collector's call; the part is stored by a task (prefer :meth:`put`)."""
        task = asyncio.get_running_loop().create_task(self.put(message))
        self._tasks.add(task)
        task.add_done_callback(self._done)

    async def _own(self, chat: int, keys: list[str]) -> None:
        while True:
            seen = await self.redis.get(keys[1])
            await asyncio.sleep(self._quiet)
            if seen is None:
                return
            if self._busy is not None and await self._busy(chat):
                continue
            parts = await self._take(keys=keys, args=[seen])
            if parts is not None:
                break
        album = sorted((load(part) for part in parts), key=lambda m: m.message_id)
        if album:
            await self._flush(album)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("album not handled", exc_info=error)

    async def drain(self) -> None:
        """Wait for the albums this worker owns to be handed on (at shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
