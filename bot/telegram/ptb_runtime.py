"""The python-telegram-bot (v22) runtime: the same desk as aiogram, through PTB's Application.

As thin as the aiogram one: PTB updates become :mod:`bot.telegram.types`
records and :class:`PTBGateway` makes the Bot API calls with PTB's Bot.
Everything else is :class:`bot.telegram.app.TelegramDesk`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Awaitable, Sequence
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaDocument,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    JobQueue,
    MessageHandler,
    TypeHandler,
    filters,
)

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

#: What ``Application.builder()…build()`` makes: PTB's own bot, the default context and dicts for user,
#: chat and bot data.
DefaultApplication = Application[
    ExtBot[None],
    ContextTypes.DEFAULT_TYPE,
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[ContextTypes.DEFAULT_TYPE],
]


def make_application(token: str, api_base: str) -> DefaultApplication:
    base = api_base.rstrip("/")
    return (
        Application.builder()
        .token(token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .concurrent_updates(True)  # the desk keeps each user's events in order itself
        .build()
    )


def _markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in keyboard]
    )


def _reply(message_id: int | None) -> ReplyParameters | None:
    return ReplyParameters(message_id=message_id, allow_sending_without_reply=True) if message_id else None


def _seconds(error: RetryAfter) -> float:
    """``retry_after`` in seconds, whether this PTB gives an int or (v22.2+ opt-in) a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the int form is deprecated; both are read here
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class PTBGateway:
    def __init__(self, application: DefaultApplication) -> None:
        self.bot = application.bot

    async def _call(self, call: Awaitable[Any]) -> Any:
        try:
            return await call
        except RetryAfter as error:
            raise RetryLater(_seconds(error), str(error)) from error
        except (BadRequest, Forbidden) as error:  # BadRequest is a NetworkError in PTB: test it first
            raise Refused(str(error)) from error
        except (TimedOut, NetworkError) as error:
            raise Unreachable(str(error)) from error
        except TelegramError as error:
            raise Refused(str(error)) from error

    async def send_text(
        self,
        chat_id: int,
        text: str,
        keyboard: Keyboard | None = None,
        *,
        reply_to: int | None = None,
        force_reply: bool = False,
    ) -> int:
        markup: Any = ForceReply(selective=True) if force_reply else _markup(keyboard)
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
                chat_id, InputFile(content, filename=name), filename=name, reply_parameters=_reply(reply_to)
            )
        )
        return sent.message_id

    async def send_documents(
        self, chat_id: int, files: Sequence[tuple[str, bytes]], *, reply_to: int | None = None
    ) -> list[int]:
        # bytes, not InputFile: PTB then uploads each as an "attach://" part, as media groups need
        media = [InputMediaDocument(content, filename=name) for name, content in files]
        sent = await self._call(self.bot.send_media_group(chat_id, media, reply_parameters=_reply(reply_to)))
        return [message.message_id for message in sent]

    async def download(self, file_id: str) -> bytes:
        file = await self._call(self.bot.get_file(file_id))
        return bytes(await self._call(file.download_as_bytearray()))

    async def set_commands(
        self, commands: Sequence[tuple[str, str]], language_code: str | None, *, chat_id: int | None = None
    ) -> None:
        await self._call(
            self.bot.set_my_commands(
                [BotCommand(name, text) for name, text in commands],
                scope=BotCommandScopeDefault() if chat_id is None else BotCommandScopeChat(chat_id=chat_id),
                language_code=language_code,
            )
        )

    async def set_webhook(self, url: str, secret: str) -> None:
        await self._call(self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES))

    async def delete_webhook(self) -> None:
        await self._call(self.bot.delete_webhook(drop_pending_updates=False))


class PTBRuntime:
    name = "ptb"

    def __init__(self, application: DefaultApplication, desk: TelegramDesk) -> None:
        self.application = application
        self.desk = desk

        async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            record = incoming_message(update.message) if update.message else None
            if record is not None:
                await desk.on_message(record)

        async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            if update.callback_query is not None:
                await desk.on_callback(incoming_callback(update.callback_query))

        async def throttle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            record: IncomingMessage | IncomingCallback | None = None
            if update.message is not None:
                record = incoming_message(update.message)
            elif update.callback_query is not None:
                record = incoming_callback(update.callback_query)
            if record is None or not await desk.admit(record):
                raise ApplicationHandlerStop  # the update goes no further

        # group -1 runs before the handlers, like aiogram's outer middlewares
        application.add_handler(TypeHandler(Update, throttle), group=-1)
        application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, on_message))
        application.add_handler(CallbackQueryHandler(on_callback))
        self.poller = Poller(self._fetch, self.feed, timeout=10)

    async def open(self) -> None:
        await self.application.initialize()
        await self.application.start()

    async def _fetch(self, offset: int | None, wait: int) -> list[dict[str, Any]]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "use Bot.get_updates": that one parses the batch at once
            result = await self.application.bot.do_api_request(
                "getUpdates",
                api_kwargs={"offset": offset, "timeout": wait, "allowed_updates": ALLOWED_UPDATES},
                read_timeout=wait + 10,
            )
        return list(result or [])

    async def start_polling(self) -> None:
        """Start fetching updates; returns at once. bot.telegram.polling, not PTB's Updater: that one parses
        a batch at once (one bad update stops it, and its raw data is logged) and confirms before handling."""
        self.poller.start()

    async def stop_polling(self) -> None:
        await self.poller.stop()

    async def feed(self, update: dict[str, Any]) -> None:
        """Handle one update to the end (the handlers have run when this returns)."""
        try:
            parsed = Update.de_json(update, self.application.bot)
        except Exception as error:
            raise Unreadable(fields_of(error)) from None
        message = parsed.message or (parsed.callback_query.message if parsed.callback_query else None)
        if message is not None and getattr(message, "chat", None) is None:
            raise Unreadable("message.chat")  # PTB reads a message without chat; aiogram refuses it, and so do we
        await self.application.process_update(parsed)

    async def close(self) -> None:
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
