"""What the Telegram runtimes hand to the shared code, and what they must do for it.

aiogram and python-telegram-bot each turn their own update objects into these
plain records and implement :class:`Gateway` over their own Bot client; every
decision (what an update means, what to answer, how to retry) is made once, in
the shared modules, whichever runtime runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

#: Rows of (label, callback data) buttons under a message.
Keyboard = Sequence[Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    #: Telegram's IETF tag of the user's app language (``zh-hans``, ``en``…), may be missing.
    language_code: str | None = None


@dataclass(frozen=True)
class IncomingFile:
    file_id: str
    #: The sender's file name, or one made up for a photo.
    name: str
    #: As announced by Telegram, before any download; None when it did not say.
    size: int | None
    mime: str | None
    kind: Literal["document", "photo"]


@dataclass(frozen=True)
class IncomingMessage:
    chat_id: int
    private: bool
    message_id: int
    sender: Person
    text: str | None = None
    file: IncomingFile | None = None
    #: Set when the message is one item of an album.
    media_group_id: str | None = None
    #: The id of the message this one replies to (staff answer prompts this way).
    reply_to: int | None = None


@dataclass(frozen=True)
class IncomingCallback:
    id: str
    sender: Person
    data: str | None
    chat_id: int | None = None
    message_id: int | None = None
    #: Pressed under a message in a private chat (or under one Telegram no longer shows: the answer
    #: then goes to the sender's private chat); False in groups, supergroups and channels.
    private: bool = True


Incoming = IncomingMessage | IncomingCallback


class TelegramFailure(Exception):
    """A Bot API call that did not go through."""


class RetryLater(TelegramFailure):
    """HTTP 429: Telegram asks to wait ``seconds`` before the next call."""

    def __init__(self, seconds: float, message: str = "") -> None:
        super().__init__(message or f"retry after {seconds} s")
        self.seconds = seconds


class Unreachable(TelegramFailure):
    """Network errors and Telegram's 5xx: worth trying again soon."""


class Refused(TelegramFailure):
    """4xx other than 429 (chat not found, bot blocked, bad request): trying again as is will not help."""


class Gateway(Protocol):
    """The Bot API calls the shared code needs; each runtime implements them with its own client.

    Texts are HTML (already escaped). Methods raise :class:`TelegramFailure` subclasses only.
    """

    async def send_text(
        self,
        chat_id: int,
        text: str,
        keyboard: Keyboard | None = None,
        *,
        reply_to: int | None = None,
        force_reply: bool = False,
    ) -> int: ...

    async def edit_keyboard(self, chat_id: int, message_id: int, keyboard: Keyboard | None) -> None: ...

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Keyboard | None = None) -> None:
        """Replace a message's text (HTML) and its buttons (none when ``keyboard`` is None)."""
        ...

    async def answer_callback(self, callback_id: str, text: str | None = None, *, alert: bool = False) -> None: ...

    async def send_document(self, chat_id: int, name: str, content: bytes, *, reply_to: int | None = None) -> int: ...

    async def send_documents(
        self, chat_id: int, files: Sequence[tuple[str, bytes]], *, reply_to: int | None = None
    ) -> list[int]:
        """Two to ten documents as one album."""
        ...

    async def download(self, file_id: str) -> bytes: ...

    async def set_commands(
        self, commands: Sequence[tuple[str, str]], language_code: str | None, *, chat_id: int | None = None
    ) -> None:
        """The command menu for every chat, or for one chat (``chat_id``: an admin's own menu)."""
        ...

    async def set_webhook(self, url: str, secret: str) -> None: ...

    async def delete_webhook(self) -> None: ...
