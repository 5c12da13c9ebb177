"""Running the bot on Telegram: storage, content, the desk, a runtime, polling or a webhook.

:class:`TelegramBot` is what ``python -m bot`` starts when ``BOT_TOKEN`` is
set, and what the tests start against their Bot API server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bot.content_cache import cache_for
from bot.content_live import LiveContent
from bot.content_of import of_versions
from bot.i18n import keep_compiled_in
from bot.publishing import Publisher
from bot.service import Desk
from bot.settings import Settings
from bot.telegram.app import TelegramDesk
from bot.telegram.once import HandledOnce, bot_id_of
from bot.telegram.outbox import utc_now
from bot.telegram.polling import Poller
from bot.telegram.ratelimit import RateLimiter
from bot.telegram.throttle import Throttle, Verdicts
from bot.telegram.types import Gateway
from bot.telegram.webhook import WebhookServer
from dialogs.loader import Content
from storage.db import Database, open_database
from storage.files import FileStore

if TYPE_CHECKING:  # Redis is imported only when REDIS_URL is set
    from bot.telegram.coordination import Coordination

log = logging.getLogger(__name__)


class Runtime(Protocol):
    name: str
    poller: Poller

    async def open(self) -> None: ...
    async def start_polling(self) -> None: ...
    async def stop_polling(self) -> None: ...
    async def feed(self, update: dict[str, Any]) -> None: ...
    async def close(self) -> None: ...


def build_runtime(kind: str, token: str, api_base: str, make_desk: Callable[[Gateway], TelegramDesk]) -> Runtime:
    """The chosen runtime with its gateway, around the one shared desk."""
    if kind == "ptb":
        from bot.telegram.ptb_runtime import PTBGateway, PTBRuntime, make_application

        application = make_application(token, api_base)
        return PTBRuntime(application, make_desk(PTBGateway(application)))
    from bot.telegram.aiogram_runtime import AiogramGateway, AiogramRuntime, make_bot

    bot = make_bot(token, api_base)
    return AiogramRuntime(bot, make_desk(AiogramGateway(bot)))


class TelegramBot:
    def __init__(
        self,
        settings: Settings,
        content: Callable[[], Content] | Path,
        clock: Callable[[], dt.datetime],
        *,
        album_quiet: float | None = None,
        outbox_poll: float = 1.0,
        throttle: Throttle | None = None,
        wall_clock: Callable[[], dt.datetime] = utc_now,
        worker: int = 0,
    ) -> None:
        """``worker``: this process's number among WORKERS (0 alone); only worker 0 tells Telegram the
        webhook, and with several they share the webhook port."""
        if settings.bot_token is None:
            raise ValueError("BOT_TOKEN is not set")
        self.settings = settings
        self.content = content
        self.clock = clock
        self.album_quiet = settings.album_quiet_seconds if album_quiet is None else album_quiet
        self.outbox_poll = outbox_poll
        self.throttle = throttle
        self.wall_clock = wall_clock
        self.worker = worker
        self.database: Database | None = None
        #: What workers share through Redis (REDIS_URL set), else None: everything in this process.
        self.coordination: Coordination | None = None
        self.runtime: Runtime | None = None
        self.desk: TelegramDesk | None = None
        self.webhook: WebhookServer | None = None
        self.once: HandledOnce | None = None
        #: The content versions followed live, when started from a content folder (as ``python -m bot`` does).
        self.live: LiveContent | None = None

    async def start(self) -> None:
        settings = self.settings
        assert settings.bot_token is not None
        self.database = await open_database(settings.database_url)
        content: Callable[[], Content]
        if isinstance(self.content, Path):
            # a folder: its files seed version 1 on an empty database; the newest version runs, and follows
            cache = cache_for(settings)
            keep_compiled_in(cache.folder)
            self.live = LiveContent(self.database, disk=self.content, clock=self.wall_clock, load=cache.load)
            await self.live.start()
            content = self.live
        else:
            content = self.content
        live = self.live
        token = settings.bot_token.get_secret_value()
        throttle: Verdicts | None = self.throttle
        limiter: RateLimiter
        if settings.redis_url:
            from bot.telegram.coordination import Coordination

            self.coordination = Coordination.from_url(settings.redis_url, f"desk:{bot_id_of(token)}:")
            throttle = throttle or self.coordination.throttle()
            limiter = self.coordination.limiter(settings.telegram_per_second)
        else:
            limiter = RateLimiter(per_second=settings.telegram_per_second)
        coordination = self.coordination
        publisher = Publisher(self.database, live) if live is not None else None
        desk = Desk(
            self.database,
            FileStore(settings.files_dir),
            content,
            default_lang=settings.default_locale,
            content_number=(lambda: live.number) if live is not None else None,
        )

        def make_desk(gateway: Gateway) -> TelegramDesk:
            self.desk = TelegramDesk(
                desk,
                gateway,
                self.clock,
                staff_chat_id=settings.staff_chat_id,
                admin_ids=settings.admin_ids,
                album_quiet=self.album_quiet,
                outbox_poll=self.outbox_poll,
                throttle=throttle,
                wall_clock=self.wall_clock,
                outbox_lease=dt.timedelta(seconds=settings.outbox_lease_seconds),
                publisher=publisher,
                content_of=of_versions(live) if live is not None else None,
                limiter=limiter,
                coordination=coordination,
            )
            return self.desk

        self.runtime = build_runtime(
            settings.bot_runtime, settings.bot_token.get_secret_value(), settings.telegram_api_base, make_desk
        )
        await self.runtime.open()
        assert self.desk is not None
        if live is not None:  # a published version may open a window: its followers are told at once
            live.listeners.append(self.desk.followers.on_switch)
        await self.desk.start()
        # polled or posted, an update delivered again is handled once
        self.once = HandledOnce(
            self.database,
            bot_id_of(token),
            self.runtime.feed,
            clock=self.wall_clock,
            chat_lock=coordination.chat_lock() if coordination is not None else None,
        )
        self.runtime.poller.handle = self.once
        if settings.webhook_url:
            assert settings.webhook_secret is not None
            secret = settings.webhook_secret.get_secret_value()
            self.webhook = WebhookServer(self.once, secret, path=settings.webhook_path)
            await self.webhook.start(settings.webhook_host, settings.webhook_port, reuse_port=settings.workers > 1)
            if self.worker == 0:
                await self.desk.gateway.set_webhook(settings.webhook_url, secret)
            log.info(
                "webhook mode: worker %s listening on %s:%s%s",
                self.worker,
                settings.webhook_host,
                self.webhook.port,
                settings.webhook_path,
            )
        else:
            await self.desk.gateway.delete_webhook()
            await self.runtime.start_polling()
            log.info("long polling on %s with %s", settings.telegram_api_base, self.runtime.name)

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop_polling()
        if self.webhook is not None:
            await self.webhook.stop()
        if self.desk is not None:
            await self.desk.stop()
        if self.live is not None:
            await self.live.stop()
        if self.runtime is not None:
            await self.runtime.close()
        if self.database is not None:
            await self.database.close()
        if self.coordination is not None:
            await self.coordination.close()

    async def run_until_stopped(self, started: Callable[[], None] = lambda: None) -> None:
        """Serve until SIGINT/SIGTERM, then stop cleanly (queued notifications stay queued).
        ``started``: called once the bot is serving (its start-up is over)."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        await self.start()
        started()
        try:
            await stop.wait()
        finally:
            await self.stop()
