"""Webhook mode: Telegram POSTs updates to our HTTPS endpoint instead of being polled.

Telegram sends the ``secret_token`` given at ``setWebhook`` in the
``X-Telegram-Bot-Api-Secret-Token`` header of every request; anything without
the right one is refused (401) before it is read, so nobody else can inject
updates. The update is acknowledged (200) only once it has been handled, so an
update whose handling a crash cut short is delivered again rather than lost;
a retry of one handled already is skipped (:mod:`bot.telegram.once`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's limit on an update is far below this; anything bigger is not from Telegram.
MAX_BODY = 1024 * 1024

Feed = Callable[[dict[str, Any]], Awaitable[None]]
#: Refused requests are logged at most once per this many seconds (a probe must not flood the log).
REFUSAL_LOG_INTERVAL = 60.0


class RefusalLog:
    """One WARNING per interval for refused requests, with how many were refused unlogged since the last."""

    def __init__(self, interval: float = REFUSAL_LOG_INTERVAL, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self.suppressed = 0
        self._last: float | None = None

    def refused(self, remote: str | None, reason: str) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.interval:
            self.suppressed += 1
            return
        more = f" ({self.suppressed} more refused since the last such line)" if self.suppressed else ""
        log.warning("webhook request from %s refused: %s%s", remote, reason, more)
        self._last, self.suppressed = now, 0


class WebhookServer:
    def __init__(
        self, feed: Feed, secret: str, *, path: str = "/telegram/webhook", refusals: RefusalLog | None = None
    ) -> None:
        if not secret:
            raise ValueError("a webhook needs a secret token")
        self.feed = feed
        self.secret = secret
        self.path = path
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port: int | None = None
        self.refusals = refusals or RefusalLog()

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self.path, self._receive)
        return app

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.refusals.refused(request.remote, "wrong secret token")
            return web.Response(status=401, text="wrong secret token")
        try:
            update = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return web.Response(status=400, text="not JSON")
        if not isinstance(update, dict) or "update_id" not in update:
            return web.Response(status=400, text="not an update")
        task = asyncio.get_running_loop().create_task(self._handle(update))
        self._tasks.add(task)  # a task of its own: a client hanging up does not cut the handling short
        task.add_done_callback(self._tasks.discard)
        await asyncio.shield(task)
        return web.Response(text="ok")

    async def _handle(self, update: dict[str, Any]) -> None:
        try:
            await self.feed(update)
        except Exception:
            log.exception("webhook update %s failed", update.get("update_id"))

    async def start(self, host: str, port: int, *, reuse_port: bool = False) -> None:
        """Listen; with ``reuse_port`` several worker processes listen on the same port (SO_REUSEPORT)
        and the kernel spreads incoming connections among them."""
        self._runner = web.AppRunner(self.app())
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, host, port, reuse_port=reuse_port or None)
        await self._site.start()
        server = self._site._server  # noqa: SLF001 - aiohttp exposes the bound port only here
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else port

    async def stop(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
