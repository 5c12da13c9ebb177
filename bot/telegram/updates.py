"""Telegram updates as the shared records, for both runtimes.

aiogram's and python-telegram-bot's Message, User and CallbackQuery objects
carry the Bot API's field names, so one reading serves both: each runtime
passes its own objects in, typed here by what is read of them.
"""

from __future__ import annotations

from typing import Any

from bot.telegram.types import IncomingCallback, IncomingFile, IncomingMessage, Person


def person(user: Any) -> Person:
    name = " ".join(part for part in (user.first_name, user.last_name) if part) or (user.username or str(user.id))
    return Person(user.id, name, user.language_code)


def incoming_file(message: Any) -> IncomingFile | None:
    """A document as sent; a photo as its largest size (Telegram sends several)."""
    if message.document is not None:
        document = message.document
        return IncomingFile(
            document.file_id, document.file_name or "document", document.file_size, document.mime_type, "document"
        )
    if message.photo:
        largest = max(message.photo, key=lambda size: (size.width * size.height, size.file_size or 0))
        return IncomingFile(
            largest.file_id, f"photo-{largest.file_unique_id}.jpg", largest.file_size, "image/jpeg", "photo"
        )
    return None


def incoming_message(message: Any) -> IncomingMessage | None:
    """The record of a message from a person; None for messages from bots or without a sender."""
    if message.from_user is None or message.from_user.is_bot:
        return None
    return IncomingMessage(
        chat_id=message.chat.id,
        private=message.chat.type == "private",
        message_id=message.message_id,
        sender=person(message.from_user),
        text=message.text or message.caption,
        file=incoming_file(message),
        media_group_id=message.media_group_id,
        reply_to=message.reply_to_message.message_id if message.reply_to_message else None,
    )


def incoming_callback(query: Any) -> IncomingCallback:
    message = query.message
    return IncomingCallback(
        id=query.id,
        sender=person(query.from_user),
        data=query.data,
        chat_id=message.chat.id if message is not None else None,
        message_id=message.message_id if message is not None else None,
        private=message is None or message.chat.type == "private",
    )


def chat_of(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to (the sender's private chat for a button under a vanished message);
    None for an update without one (the lock is then not needed: nothing of a chat is touched)."""
    for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
        message = update.get(kind)
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            chat = message["chat"].get("id")
            return chat if isinstance(chat, int) else None
    query = update.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            chat = message["chat"].get("id")
            if isinstance(chat, int):
                return chat
        sender = query.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return None
