"""Engine replies as Telegram messages: escaped for HTML, split under 4,096 characters, keyboards.

Telegram counts a message's length in UTF-16 code units after entities are
parsed, so text is split before escaping and measured in UTF-16; the buttons
go under the last part. Callback data coming back is checked here before it
reaches the engine: anything that is not the engine's own shape is treated as
an expired menu, never parsed further.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from bot.telegram.types import Keyboard
from dialogs.events import Reply
from dialogs.i18n import Translator
from dialogs.loader import Content
from dialogs.render import button_label, render

#: Telegram's limit for one message's text.
MAX_TEXT = 4096
#: Telegram's limit for a button's callback data, in bytes.
MAX_CALLBACK = 64
#: The shape of a typed payload (:mod:`dialogs.callbacks`): a short class prefix and a few plain fields,
#: e.g. ``p:12:xj-aid-talent-2023b2``, ``x:amend:AD-ABCDE-FGHJK``, ``s:ok:…``. The engines read them for real.
CALLBACK = re.compile(r"^[a-z]{1,4}(?::[A-Za-z0-9_.\-]{0,48}){0,4}$")


@dataclass(frozen=True)
class Outgoing:
    """One message to send: HTML text and the buttons under it."""

    text: str
    keyboard: Keyboard | None = None


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 units, cut at a blank line, a line end, a space, in that order."""
    pieces: list[str] = []
    rest = text.strip("\n")
    while utf16_len(rest) > limit:
        # the longest prefix that fits
        cut, used = 0, 0
        for i, ch in enumerate(rest):
            used += 2 if ord(ch) > 0xFFFF else 1
            if used > limit:
                break
            cut = i + 1
        head = rest[:cut]
        for separator in ("\n\n", "\n", " ", "，", "。", "、"):
            at = head.rfind(separator)
            if at > cut // 2:
                cut = at + len(separator)
                break
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def valid_callback(data: str | None) -> bool:
    if not data:
        return False
    return len(data.encode()) <= MAX_CALLBACK and CALLBACK.match(data) is not None


def keyboard_of(reply: Reply, content: Content, tr: Translator) -> Keyboard | None:
    rows = [[(button_label(button, content, tr), button.data) for button in row] for row in reply.buttons]
    for row in rows:
        for _, data in row:
            if len(data.encode()) > MAX_CALLBACK:  # the content schema keeps ids short enough; a bug otherwise
                raise ValueError(f"callback data over {MAX_CALLBACK} bytes: {data!r}")
    return rows or None


def outgoing(replies: list[Reply], content: Content, now: dt.datetime, tr: Translator) -> list[Outgoing]:
    """The messages for a turn's replies: each reply rendered, escaped and split; buttons on its last part."""
    messages: list[Outgoing] = []
    for reply in replies:
        pieces = [html.escape(piece, quote=False) for piece in split_text(render(reply, content, now, tr))]
        keyboard = keyboard_of(reply, content, tr)
        messages += [Outgoing(piece) for piece in pieces[:-1]]
        messages.append(Outgoing(pieces[-1], keyboard))
    return merge_short(messages)


def merge_short(messages: list[Outgoing]) -> list[Outgoing]:
    """Join consecutive short replies without buttons into the next message: fewer pings on a phone."""
    merged: list[Outgoing] = []
    for message in messages:
        if (
            merged
            and merged[-1].keyboard is None
            and utf16_len(merged[-1].text) + utf16_len(message.text) + 2 <= MAX_TEXT
        ):
            merged[-1] = Outgoing(merged[-1].text + "\n\n" + message.text, message.keyboard)
        else:
            merged.append(message)
    return merged


def escape(text: str) -> str:
    return html.escape(text, quote=False)
