"""The aiogram 3 runtime: Telegram updates in, the shared desk decides, aiogram's Bot sends.

Only translation lives here: aiogram updates become :mod:`bot.telegram.types`
records (an outer middleware, which also applies the per-user throttle), and
:class:`AiogramGateway` implements the Bot API calls the shared code makes,
mapping aiogram's exceptions onto :class:`RetryLater` / :class:`Unreachable` /
:class:`Refused`.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import TelegramMethod
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    BufferedInputFile,
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    MediaUnion,
    Message,
    ReplyParameters,
    TelegramObject,
    Update,
)
from pydantic import ValidationError

from bot.telegram.app import TelegramDesk
from bot.telegram.polling import Poller, Unreadable, fields_of
from bot.telegram.types import (
    IncomingCallback,
    IncomingMessage,
    Keyboard,
    Refused,
    RetryLater,
    Unreachable,
)
from bot.telegram.updates import incoming_callback, incoming_message

ALLOWED_UPDATES = ["message", "callback_query"]


class RawUpdates(TelegramMethod[list[dict[str, Any]]]):
    """getUpdates answered as plain dicts: each update is parsed by itself (see bot.telegram.polling)."""

    __returning__ = list[dict[str, Any]]
    __api_method__ = "getUpdates"

    offset: int | None = None
    timeout: int | None = None
    allowed_updates: list[str] | None = None


def make_bot(token: str, api_base: str) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base.rstrip("/")))
    return Bot(token, session=session)


def _markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label, callback_data=data) for label, data in row] for row in keyboard
        ]
    )


def _reply(message_id: int | None) -> ReplyParameters | None:
    return ReplyParameters(message_id=message_id, allow_sending_without_reply=True) if message_id else None


class AiogramGateway:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def _call(self, call: Awaitable[Any]) -> Any:
        try:
            return await call
        except TelegramRetryAfter as error:
            raise RetryLater(error.retry_after, str(error)) from error
        except (TelegramNetworkError, TelegramServerError) as error:
            raise Unreachable(str(error)) from error
        except TelegramAPIError as error:
            raise Refused(str(error)) from error
        except OSError as error:
            raise Unreachable(str(error)) from error

    async def send_text(
        self,
        chat_id: int,
        text: str,
        keyboard: Keyboard | None = None,
        *,
        reply_to: int | None = None,
        force_reply: bool = False,
    ) -> int:
        markup: Any = ForceReply(force_reply=True, selective=True) if force_reply else _markup(keyboard)
        sent = await self._call(
            self.bot.send_message(
                chat_id, text, parse_mode="HTML", reply_markup=markup, reply_parameters=_reply(reply_to)
            )
        )
        return sent.message_id

    async def edit_keyboard(self, chat_id: int, message_id: int, keyboard: Keyboard | None) -> None:
        await self._call(
            self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=_markup(keyboard))
        )

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Keyboard | None = None) -> None:
        await self._call(
            self.bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, parse_mode="HTML", reply_markup=_markup(keyboard)
            )
        )

    async def answer_callback(self, callback_id: str, text: str | None = None, *, alert: bool = False) -> None:
        await self._call(self.bot.answer_callback_query(callback_id, text=text, show_alert=alert))

    async def send_document(self, chat_id: int, name: str, content: bytes, *, reply_to: int | None = None) -> int:
        sent = await self._call(
            self.bot.send_document(
                chat_id, BufferedInputFile(content, filename=name), reply_parameters=_reply(reply_to)
            )
        )
        return sent.message_id

    async def send_documents(
        self, chat_id: int, files: Sequence[tuple[str, bytes]], *, reply_to: int | None = None
    ) -> list[int]:
        media: list[MediaUnion] = [
            InputMediaDocument(media=BufferedInputFile(content, filename=name)) for name, content in files
        ]
        sent = await self._call(self.bot.send_media_group(chat_id, media=media, reply_parameters=_reply(reply_to)))
        return [message.message_id for message in sent]

    async def download(self, file_id: str) -> bytes:
        buffer = await self._call(self.bot.download(file_id, destination=io.BytesIO()))
        return buffer.getvalue()

    async def set_commands(
        self, commands: Sequence[tuple[str, str]], language_code: str | None, *, chat_id: int | None = None
    ) -> None:
        await self._call(
            self.bot.set_my_commands(
                [BotCommand(command=name, description=text) for name, text in commands],
                scope=BotCommandScopeDefault() if chat_id is None else BotCommandScopeChat(chat_id=chat_id),
                language_code=language_code,
            )
        )

    async def set_webhook(self, url: str, secret: str) -> None:
        await self._call(
            self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        )

    async def delete_webhook(self) -> None:
        await self._call(self.bot.delete_webhook(drop_pending_updates=False))


class IncomingMiddleware(BaseMiddleware):
    """User and locale: turns the update into the shared record (who sent it, in which language)
    and hands it to the handler as ``incoming``; updates from bots and other kinds are dropped."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Message):
            record: Any = incoming_message(event)
        elif isinstance(event, CallbackQuery):
            record = incoming_callback(event)
        else:
            record = None
        if record is None:
            return None
        data["incoming"] = record
        return await handler(event, data)


class ThrottlingMiddleware(BaseMiddleware):
    """The desk's per-user throttle, before any handler runs (registered after IncomingMiddleware)."""

    def __init__(self, desk: TelegramDesk) -> None:
        self.desk = desk

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not await self.desk.admit(data["incoming"]):
            return None
        return await handler(event, data)


def build_dispatcher(desk: TelegramDesk) -> Dispatcher:
    # no FSM: the desk keeps every conversation in its database; aiogram's in-memory FSM would keep a record
    # for every chat ever seen and add a middleware to every update
    dispatcher = Dispatcher(disable_fsm=True)
    router = Router(name="desk")
    for observer in (router.message, router.callback_query):
        observer.outer_middleware(IncomingMiddleware())
        observer.outer_middleware(ThrottlingMiddleware(desk))

    @router.message()
    async def on_message(message: Message, incoming: IncomingMessage) -> None:
        await desk.on_message(incoming)

    @router.callback_query()
    async def on_callback(query: CallbackQuery, incoming: IncomingCallback) -> None:
        await desk.on_callback(incoming)

    dispatcher.include_router(router)
    return dispatcher


class AiogramRuntime:
    """Long polling by default; :meth:`feed` takes webhook updates."""

    name = "aiogram"

    def __init__(self, bot: Bot, desk: TelegramDesk) -> None:
        self.bot = bot
        self.desk = desk
        self.dispatcher = build_dispatcher(desk)
        self.poller = Poller(self._fetch, self.feed, timeout=10)

    async def open(self) -> None:
        """Nothing to set up before polling: aiogram's Bot opens its session on the first call."""

    async def _fetch(self, offset: int | None, wait: int) -> list[dict[str, Any]]:
        method = RawUpdates(offset=offset, timeout=wait, allowed_updates=ALLOWED_UPDATES)
        return await self.bot(method, request_timeout=int(self.bot.session.timeout + wait))

    async def start_polling(self) -> None:
        """Fetch updates in the background until :meth:`stop_polling` (bot.telegram.polling, not aiogram's
        loop: that one parses a batch at once and confirms updates before they are handled)."""
        self.poller.start()

    async def stop_polling(self) -> None:
        await self.poller.stop()

    async def feed(self, update: dict[str, Any]) -> None:
        try:
            parsed = Update.model_validate(update, context={"bot": self.bot})
        except ValidationError as error:
            raise Unreadable(fields_of(error)) from None
        await self.dispatcher.feed_update(self.bot, parsed)

    async def close(self) -> None:
        await self.bot.session.close()
