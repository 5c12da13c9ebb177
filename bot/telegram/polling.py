"""Long polling that loses nothing and cannot be stopped by one bad update (both runtimes).

The libraries' own loops parse a whole ``getUpdates`` batch at once: one update
they cannot parse (a photo without ``width``, a message without ``chat``) fails
the batch, the offset never moves, and the same batch is fetched forever
(python-telegram-bot also logs the raw batch, names and texts, at CRITICAL).
They also confirm an update before it is handled, so a crash in between loses it.

:class:`Poller` fetches the batch as raw JSON, hands each update on by itself
(an update that cannot be read is skipped and logged once, by id and field, no
content), and moves the offset past a batch only once every update of it has
been handled: a crash before that means the batch comes again, never that an
update is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

#: getUpdates(offset, timeout) → the raw updates (dicts, as Telegram sent them).
Fetch = Callable[[int | None, int], Awaitable[list[dict[str, Any]]]]
#: One raw update: parse and handle it; :class:`Unreadable` if it cannot be parsed.
Handle = Callable[[dict[str, Any]], Awaitable[None]]


class Unreadable(Exception):
    """An update the library cannot parse. The message names fields, never their values."""


def fields_of(error: Exception) -> str:
    """Where a parse error is, without the values (pydantic's and PTB's messages quote the input)."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        with contextlib.suppress(Exception):
            return ", ".join(".".join(str(part) for part in item["loc"]) for item in errors(include_input=False))
    return type(error).__name__


class Poller:
    def __init__(self, fetch: Fetch, handle: Handle, *, timeout: int = 10, backoff: float = 1.0) -> None:
        self.fetch = fetch
        self.handle = handle
        self.timeout = timeout
        self.backoff = backoff
        self.offset: int | None = None
        self.fetches = 0
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._fetching = False

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Finish the batch in hand (a fetch under way is cancelled), then confirm what was handled."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        if self._fetching:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if self.offset is not None:
            # confirm the handled updates to the server, as the libraries do on stop
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.fetch(self.offset, 0), 5)

    async def _run(self) -> None:
        delay = self.backoff
        while not self._stopping:
            self._fetching = True
            try:
                self.fetches += 1
                updates = await self.fetch(self.offset, self.timeout)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("getUpdates failed (%s); again in %.0f s", type(error).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            finally:
                self._fetching = False
            delay = self.backoff
            if not updates:
                continue
            await asyncio.gather(*(self._one(update) for update in updates))
            ids = [u["update_id"] for u in updates if isinstance(u.get("update_id"), int)]
            if ids:
                self.offset = max(ids) + 1

    async def _one(self, update: dict[str, Any]) -> None:
        update_id = update.get("update_id")
        try:
            await self.handle(update)
        except Unreadable as error:
            kinds = ", ".join(k for k in update if k != "update_id")
            log.warning("update %s skipped: it cannot be read (%s; fields: %s)", update_id, kinds, error)
        except Exception:
            log.exception("update %s failed", update_id)
