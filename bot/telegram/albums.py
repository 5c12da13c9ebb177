"""Albums: Telegram delivers each photo or file of a media group as its own update.

An applicant photographing a three-page certificate sends one album; it must
reach the engine as one answer with three files. Parts are gathered by
``media_group_id`` until no new part has arrived for ``quiet`` seconds, then
handed on together, in the order Telegram numbered them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field

from bot.telegram.types import IncomingMessage

log = logging.getLogger(__name__)

#: An async function: its coroutine is run as a task.
Flush = Callable[[list[IncomingMessage]], Coroutine[object, object, None]]


@dataclass
class _Pending:
    parts: list[IncomingMessage] = field(default_factory=list)
    timer: asyncio.TimerHandle | None = None


class AlbumCollector:
    def __init__(self, flush: Flush, *, quiet: float = 1.0) -> None:
        self._flush = flush
        self._quiet = quiet
        self._pending: dict[tuple[int, str], _Pending] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def add(self, message: IncomingMessage) -> None:
        assert message.media_group_id is not None
        key = (message.chat_id, message.media_group_id)
        pending = self._pending.setdefault(key, _Pending())
        pending.parts.append(message)
        if pending.timer is not None:
            pending.timer.cancel()
        pending.timer = asyncio.get_running_loop().call_later(self._quiet, self._release, key)

    async def put(self, message: IncomingMessage) -> None:
        """:meth:`add`, awaitable like the Redis collector's (the channel calls this one)."""
        self.add(message)

    def _release(self, key: tuple[int, str]) -> None:
        pending = self._pending.pop(key, None)
        if pending is None:
            return
        parts = sorted(pending.parts, key=lambda m: m.message_id)
        task = asyncio.get_running_loop().create_task(self._flush(parts))
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            # the flush has its own guard; should it fail even so, say so here, once, not at garbage collection
            log.error("album not handled", exc_info=error)

    async def drain(self) -> None:
        """Hand on what is still gathering (at shutdown), and wait for the hand-overs to finish."""
        for key in list(self._pending):
            pending = self._pending[key]
            if pending.timer is not None:
                pending.timer.cancel()
            self._release(key)
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
