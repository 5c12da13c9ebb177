"""The Telegram desk: everything both runtimes share, behind two entry points.

A runtime (aiogram or python-telegram-bot) receives updates its own way, turns
each into an :class:`IncomingMessage` or :class:`IncomingCallback`, and calls
:meth:`TelegramDesk.on_message` / :meth:`TelegramDesk.on_callback`. Routing
(applicant, staff or admin), throttling, error replies, command registration and the
outbox worker live here, once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Collection
from typing import TYPE_CHECKING

from bot.content_of import ContentOf
from bot.followers import FollowerScheduler
from bot.i18n import BabelTranslator, translator
from bot.publishing import Publisher
from bot.service import Desk
from bot.telegram.admin import AdminDesk, Route
from bot.telegram.applicants import CHANNEL, ApplicantChannel, language_of
from bot.telegram.outbox import LEASE, OutboxWorker, utc_now
from bot.telegram.ratelimit import RateLimitedGateway, RateLimiter
from bot.telegram.staff import StaffReview
from bot.telegram.staff_language import StaffLanguages
from bot.telegram.throttle import Throttle, Verdicts
from bot.telegram.types import Gateway, Incoming, IncomingCallback, IncomingMessage, Person, TelegramFailure
from dialogs.admin_buttons import is_admin_payload
from dialogs.engine import LANGUAGES, MENU_COMMANDS
from dialogs.review_model import is_staff_payload

if TYPE_CHECKING:  # Redis is imported only when several workers share it
    from bot.telegram.coordination import Coordination

log = logging.getLogger(__name__)


class TelegramDesk:
    def __init__(
        self,
        desk: Desk,
        gateway: Gateway,
        clock: Callable[[], dt.datetime],
        *,
        staff_chat_id: int | None = None,
        admin_ids: Collection[int] = (),
        album_quiet: float = 1.0,
        outbox_poll: float = 1.0,
        throttle: Verdicts | None = None,
        wall_clock: Callable[[], dt.datetime] = utc_now,
        outbox_lease: dt.timedelta = LEASE,
        publisher: Publisher | None = None,
        content_of: ContentOf | None = None,
        limiter: RateLimiter | None = None,
        outbox_concurrency: int = 32,
        coordination: Coordination | None = None,
    ) -> None:
        """``clock`` is the applicants' and staff's (it may run from a set moment, as ``--now`` makes it);
        ``wall_clock`` is the real time the outbox schedules retries by (a test moves its own forward).
        ``publisher``: content versions published from the admin chat (None when the bot runs on a fixed
        content, as some tests do: admins are then told publishing is not available).
        ``content_of``: each submission is shown to staff in the content version it was made under.
        Everything sent goes through ``limiter`` (Telegram's limits, :mod:`bot.telegram.ratelimit`); the
        outbox sends ``outbox_concurrency`` chats at once within it. ``coordination``: several workers
        share a user's lock and albums through Redis (pass its throttle and limiter too)."""
        self.desk = desk
        self.limiter = limiter or RateLimiter()
        raw, gateway = gateway, RateLimitedGateway(gateway, self.limiter)
        self.gateway = gateway
        self.clock = clock
        self.staff_chat_id = staff_chat_id
        self.throttle: Verdicts = throttle or Throttle()
        self.applicants = ApplicantChannel(
            desk,
            gateway,
            clock,
            album_quiet=album_quiet,
            guard=self._guard,
            lock=coordination.user_lock() if coordination is not None else None,
            albums=coordination.albums if coordination is not None else None,
        )
        self.staff_languages = StaffLanguages(desk.database, desk.default_lang)
        self.outbox = OutboxWorker(
            desk.database,
            desk.files,
            RateLimitedGateway(raw, self.limiter, per_chat=True),
            lambda: desk.content,
            staff_chat_id=staff_chat_id,
            staff_lang=desk.default_lang,
            wall_clock=wall_clock,
            poll_interval=outbox_poll,
            lease=outbox_lease,
            # with several workers, the chat's lock they share: a staff reply reaching another worker
            # waits until the prompt it answers is recorded
            staff_chat_lock=coordination.chat_lock() if coordination is not None else self._staff_chat_lock,
            staff_languages=self.staff_languages,
            content_of=content_of,
            concurrency=outbox_concurrency,
            content_clock=clock,
        )
        #: Followers told when a round opens, reminded before a deadline (run by :meth:`start`, and by the
        #: runner after every switch to a new content version).
        self.followers = FollowerScheduler(desk.database, lambda: desk.content, clock, on_queued=self.outbox.wake)
        self.staff = StaffReview(
            desk.database,
            gateway,
            lambda: desk.content,
            clock,
            staff_chats=self.staff_chats,
            lang=desk.default_lang,
            on_outbox=self.outbox.wake,
            languages=self.staff_languages,
            admins=admin_ids,
            content_of=content_of,
        )
        self.admin = AdminDesk(desk, gateway, clock, admins=admin_ids, publisher=publisher, wall_clock=wall_clock)
        desk.outbox_listeners.append(self.outbox.wake)

    def _staff_chat_lock(self, chat: int) -> asyncio.Lock:
        return self.staff.chat_lock(chat)

    def staff_chats(self) -> set[int]:
        """The chats whose members review: STAFF_CHAT_ID and every office chat in the content."""
        chats = set(self.desk.content.staff_chats.values())
        if self.staff_chat_id is not None:
            chats.add(self.staff_chat_id)
        return chats

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        await self.register_commands()
        self.outbox.start()
        self.followers.start()

    async def stop(self) -> None:
        await self.applicants.albums.drain()
        await self.followers.stop()
        await self.outbox.stop()

    async def register_commands(self) -> None:
        """The command menu in every language; Telegram shows the one matching the user's app."""
        for lang in (None, *LANGUAGES):
            tr = translator(lang or self.desk.default_lang)
            commands = [(name, tr.gettext(description)) for name, description in MENU_COMMANDS]
            try:
                await self.gateway.set_commands(commands, lang)
            except TelegramFailure as failure:
                log.warning("commands for %s not registered: %s", lang or "default", failure)
        await self.admin.register_commands()

    # ------------------------------------------------------------------ updates

    async def on_message(self, message: IncomingMessage) -> None:
        if self.staff.is_staff_chat(message.chat_id):
            await self._guard(message.sender, message.chat_id, self.staff.on_message(message))
            return
        if not message.private:
            return  # other groups the bot was added to: not a place for applications
        await self._guard(message.sender, message.chat_id, self._private(message))

    async def _private(self, message: IncomingMessage) -> None:
        """Admin commands and admins' content files to the admin desk; the rest to the applicant flow."""
        route = await self.admin.route(message)
        if route is Route.ADMIN:
            return
        await self.applicants.on_message(message)
        if route is Route.APPLICANT_THEN_HELP:
            await self.admin.send_help(message)

    async def on_callback(self, callback: IncomingCallback) -> None:
        if is_staff_payload(callback.data):
            await self._guard(callback.sender, callback.chat_id, self.staff.on_callback(callback))
            return
        if not callback.private or self.staff.is_staff_chat(callback.chat_id):
            # An applicant's button (``x:mine``, a menu) pressed in a staff chat or another group: the
            # applicant flow runs in private chats only. Stop the spinner; say nothing there.
            await self._silently_answer(callback)
            return
        if is_admin_payload(callback.data):
            await self._guard(callback.sender, callback.chat_id or callback.sender.id, self.admin.on_callback(callback))
            return
        await self._guard(
            callback.sender, callback.chat_id or callback.sender.id, self.applicants.on_callback(callback)
        )

    async def admit(self, incoming: Incoming) -> bool:
        """The throttle, run by each runtime's middleware before its handlers: False drops the update.

        Staff chats are not throttled (a reviewer going through a list presses fast). Updates from
        other groups, supergroups and channels are dropped before the throttle, so that nothing is
        ever said there (not even the flood warning): a callback from one is only answered silently.
        """
        chat_id = incoming.chat_id if incoming.chat_id is not None else incoming.sender.id
        if self.staff.is_staff_chat(chat_id):
            return True
        if not incoming.private:
            if isinstance(incoming, IncomingCallback):
                await self._silently_answer(incoming)
            return False
        verdict = await self.throttle.verdict(incoming.sender.id)
        if verdict == "ok":
            return True
        if isinstance(incoming, IncomingCallback):
            await self._silently_answer(incoming)  # stop the spinner even so
        if verdict == "warn":
            tr = await self._reader(incoming.sender)
            await self.applicants.tell(
                chat_id, tr.gettext("You are sending messages too fast. Please wait a few seconds, then go on.")
            )
        return False

    async def _silently_answer(self, callback: IncomingCallback) -> None:
        """Stop a button's spinner without a word."""
        with contextlib.suppress(TelegramFailure):
            await self.gateway.answer_callback(callback.id)

    async def _reader(self, person: Person) -> BabelTranslator:
        """The person's own language for a message outside the engine; their app's when the database fails."""
        try:
            return translator(await self.desk.language(CHANNEL, str(person.id), language_of(person)))
        except Exception:
            log.exception("language of %s not read", person.id)
            return translator(language_of(person) or self.desk.default_lang)

    async def _guard(self, person: Person, chat_id: int | None, work: Awaitable[object]) -> None:
        """Run the handling; whatever breaks, the person gets a plain answer and the bot goes on."""
        try:
            await work
        except Exception:
            log.exception("update from %s failed", person.id)
            if chat_id is None:
                return
            tr = await self._reader(person)
            with contextlib.suppress(TelegramFailure):
                await self.gateway.send_text(
                    chat_id,
                    tr.gettext("Something went wrong on my side. Please try again; what you sent before is kept."),
                )
