"""Applicants on Telegram: updates in private chats become engine events, replies become messages.

The engine and :class:`bot.service.Desk` do the deciding and the storing; this
module only translates. Events of one user are handled one at a time and in
order (an album and the text after it must not overtake each other); files
over the download limit are refused from Telegram's announced size, before a
byte is fetched.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from bot.i18n import get_locale, translator
from bot.service import Desk
from bot.telegram.albums import AlbumCollector, Flush
from bot.telegram.format import outgoing, valid_callback
from bot.telegram.locks import KeyedLocks
from bot.telegram.types import Gateway, IncomingCallback, IncomingFile, IncomingMessage, Person, TelegramFailure
from dialogs.documents import MAX_SIZE
from dialogs.events import ChoiceEvent, CommandEvent, Event, FileEvent, FilesEvent, Reply, TextEvent

log = logging.getLogger(__name__)

#: Runs one piece of handling for a person in a chat; whatever breaks, the person gets an answer.
Guard = Callable[[Person, int | None, Awaitable[object]], Coroutine[object, object, None]]


async def _unguarded(person: Person, chat_id: int | None, work: Awaitable[object]) -> None:
    await work


class Albums(Protocol):
    """Gathers an album's parts: :class:`AlbumCollector` in one process, or the Redis one across workers."""

    async def put(self, message: IncomingMessage) -> None: ...
    async def drain(self) -> None: ...


CHANNEL = "tg"
#: Callback data the engine reads as "a menu that no longer exists".
EXPIRED = "0:expired"


def language_of(person: Person) -> str | None:
    """Telegram's ``language_code`` as one of ours (see :func:`bot.i18n.get_locale`)."""
    return get_locale(person.language_code)


def command_of(text: str) -> CommandEvent | None:
    """``/start``, ``/apply@desk_bot args`` → a command event; other text → None."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return CommandEvent(name, args.strip()) if name else None


class ApplicantChannel:
    def __init__(
        self,
        desk: Desk,
        gateway: Gateway,
        clock: Callable[[], dt.datetime],
        *,
        max_download: int = MAX_SIZE,
        album_quiet: float = 1.0,
        guard: Guard = _unguarded,
        lock: Callable[[int], AbstractAsyncContextManager[Any]] | None = None,
        albums: Callable[[Flush, float], Albums] | None = None,
    ) -> None:
        """``guard`` wraps the handling of an album, which runs after the update's own handling has
        returned (once the album is complete): the desk's error guard, as for every other update.
        ``lock`` (a user's lock) and ``albums`` default to this process's; several workers pass the
        ones they share (:class:`bot.telegram.coordination.Coordination`)."""
        self.desk = desk
        self.guard = guard
        self.gateway = gateway
        self.clock = clock
        self.max_download = max_download
        self.albums: Albums = (
            albums(self._guarded_album, album_quiet)
            if albums is not None
            else AlbumCollector(self._guarded_album, quiet=album_quiet)
        )
        #: One event of a user at a time, in order (an album and the text after it must not overtake each other).
        self._lock: Callable[[int], AbstractAsyncContextManager[Any]] = lock or KeyedLocks[int]()

    async def on_message(self, message: IncomingMessage) -> None:
        if message.file is not None and message.media_group_id is not None:
            await self.albums.put(message)
            return
        async with self._lock(message.sender.id):
            event = await self._event_of(message)
            if event is not None:
                await self._handle(message.sender, message.chat_id, event)

    async def on_callback(self, callback: IncomingCallback) -> None:
        # stop the button's spinner first: the answer may take a moment
        await self._quietly(self.gateway.answer_callback(callback.id))
        data = callback.data if valid_callback(callback.data) else EXPIRED
        chat_id = callback.chat_id if callback.chat_id is not None else callback.sender.id
        async with self._lock(callback.sender.id):
            await self._handle(callback.sender, chat_id, ChoiceEvent(data or EXPIRED))

    async def _event_of(self, message: IncomingMessage) -> Event | None:
        if message.file is not None:
            return await self._file_event(message.file)
        text = (message.text or "").strip()
        if not text:
            return None  # stickers, locations, service messages: nothing the desk reads
        return command_of(text) or TextEvent(text)

    async def _file_event(self, file: IncomingFile) -> FileEvent:
        if file.size is not None and file.size > self.max_download:
            # refused by the engine from the announced size: never downloaded
            return FileEvent(name=file.name, size=file.size, content=b"", handle=file.file_id)
        content = await self.gateway.download(file.file_id)
        return FileEvent(name=file.name, size=len(content), content=content, handle=file.file_id)

    async def _guarded_album(self, parts: list[IncomingMessage]) -> None:
        await self.guard(parts[0].sender, parts[0].chat_id, self._album(parts))

    async def _album(self, parts: list[IncomingMessage]) -> None:
        first = parts[0]
        async with self._lock(first.sender.id):
            try:
                files = [await self._file_event(part.file) for part in parts if part.file is not None]
            except TelegramFailure as failure:
                log.warning("album of %s not downloaded: %s", first.sender.id, failure)
                tr = translator(await self.desk.language(CHANNEL, str(first.sender.id), language_of(first.sender)))
                await self._quietly(
                    self.gateway.send_text(
                        first.chat_id, tr.gettext("I could not fetch your files from Telegram. Please send them again.")
                    )
                )
                return
            await self._handle(first.sender, first.chat_id, FilesEvent(tuple(files)))

    async def _handle(self, person: Person, chat_id: int, event: Event) -> None:
        handled = await self.desk.handle(
            CHANNEL,
            str(person.id),
            event,
            self.clock(),
            lang_hint=language_of(person),
            display_name=person.name,
            queue_receipts=True,  # the receipt comes through the outbox: a reply sent once can be lost
        )
        await self.send(chat_id, handled.replies, handled.state.lang)

    async def send(self, chat_id: int, replies: list[Reply], lang: str) -> None:
        content = self.desk.content
        for message in outgoing(replies, content, self.clock(), translator(lang)):
            await self.gateway.send_text(chat_id, message.text, message.keyboard)

    async def tell(self, chat_id: int, text: str) -> None:
        await self._quietly(self.gateway.send_text(chat_id, text))

    @staticmethod
    async def _quietly(call: Awaitable[object]) -> None:
        try:
            await call
        except TelegramFailure as failure:
            log.info("telegram call failed: %s", failure)
