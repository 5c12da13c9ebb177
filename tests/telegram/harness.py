"""Running the real bot (aiogram or python-telegram-bot) against the fake Bot API on 127.0.0.1.

:class:`Phone` plays one Telegram user: it sends updates through the fake
server and reads what the bot sent back, pressing buttons by their label like
a person would. Nothing in the bot is replaced: both runtimes talk HTTP.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.settings import Settings
from bot.telegram.runner import TelegramBot
from bot.telegram.throttle import Throttle
from dialogs.loader import SHIPPED, Content, load_content
from tests.telegram.botapi import FakeBotAPI

BEIJING = ZoneInfo("Asia/Shanghai")
#: Inside the 2023 aid-talent plan's application window.
INSIDE_AID_WINDOW = dt.datetime(2023, 6, 10, 10, 0, tzinfo=BEIJING)
#: The health office's review chat (from staff.yaml in the test content) and the fallback chat.
HEALTH_OFFICE_CHAT = -1001001
FALLBACK_CHAT = -1009009

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF_2 = b"%PDF-1.7\n% page two\n%%EOF\n"
PDF_3 = b"%PDF-1.5\n% stamped again\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x11" * 64 + b"\xff\xd9"
JPEG_2 = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x22" * 64 + b"\xff\xd9"
JPEG_3 = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x33" * 64 + b"\xff\xd9"

#: Answers for the aid plan's flexible-expert questions, by a piece of the English question.
EXPERT_ANSWERS = {
    "Where do you work now?": "Another province or region",
    "civil servant": "No",
    "2+5": "No",
    "another host unit": "No",
    "letter of intent": "Yes",
    "professional title": "Full senior title",
    "highest degree": "Doctorate",
}


def content_with_office_chat(root: Path) -> Path:
    """The shipped content with the health office's chat filled in, as an admin would."""
    target = root / "content"
    shutil.copytree(SHIPPED, target)
    (target / "staff.yaml").write_text(
        "offices:\n"
        "  - program: xj-aid-talent-2023b2\n"
        "    contact: health-aid-office\n"
        f"    chat: {HEALTH_OFFICE_CHAT}\n",
        encoding="utf-8",
    )
    return target


def running_clock(start: dt.datetime) -> Callable[[], dt.datetime]:
    began = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - began)


def make_bot(api: FakeBotAPI, runtime: str, tmp: Path, content: Content, **settings: Any) -> TelegramBot:
    values: dict[str, Any] = {
        "bot_token": api.token,
        "bot_runtime": runtime,
        "telegram_api_base": api.base,
        "database_url": f"sqlite+aiosqlite:///{tmp / 'bot.db'}",
        "files_dir": str(tmp / "files"),
        "staff_chat_id": FALLBACK_CHAT,
        "default_locale": "zh",
    }
    values.update(settings)
    return TelegramBot(
        Settings(_env_file=None, **values),
        lambda: content,
        running_clock(INSIDE_AID_WINDOW),
        album_quiet=0.3,
        outbox_poll=0.2,
        throttle=Throttle(rate=100, burst=100),  # a test taps faster than any person
    )


def load(path: Path) -> Content:
    return load_content(path)


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


class Phone:
    """One Telegram user talking to the bot in a private chat (or in a staff group)."""

    def __init__(
        self,
        api: FakeBotAPI,
        user_id: int,
        name: str = "申请人",
        *,
        language_code: str = "zh",
        chat_id: int | None = None,
    ):
        self.api = api
        self.user_id = user_id
        self.chat_id = chat_id if chat_id is not None else user_id
        api.user(user_id, name, language_code=language_code)
        self.seen: list[dict[str, Any]] = []

    async def read(self, until: str = "", timeout: float = 10) -> str:
        """Read the bot's messages to this chat until one contains ``until`` (or, with no ``until``,
        until one carries buttons: the end of a screen); return the text read."""
        texts = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no message with {until!r}; read so far:\n" + "\n---\n".join(texts))
            [message] = await self.api.next_messages(self.chat_id, 1, timeout=left)
            self.seen.append(message)
            text = message.get("text") or message.get("caption") or ""
            texts.append(text)
            if (until and until in text) or (not until and buttons(message)):
                return "\n".join(texts)

    async def say(self, text: str, until: str = "", **kwargs: Any) -> str:
        await self.api.push_text(
            self.user_id, text, chat_id=self.chat_id if self.chat_id != self.user_id else None, **kwargs
        )
        return await self.read(until)

    def last_with(self, label: str) -> tuple[dict[str, Any], str]:
        for message in reversed(self.seen):
            for text, data in buttons(message):
                if text == label:
                    return message, data
        raise AssertionError(f"no button {label!r} in the messages read; last: {[buttons(m) for m in self.seen[-3:]]}")

    async def press(self, label: str, until: str = "") -> str:
        message, data = self.last_with(label)
        await self.api.press(self.user_id, message, data, chat_id=self.chat_id)
        return await self.read(until)

    @property
    def last_text(self) -> str:
        return (self.seen[-1].get("text") or "") if self.seen else ""

    async def answer_questions(self, answers: dict[str, str], typed: dict[str, str], done: str) -> str:
        """Answer each "Question n" by button (or typed), "I don't know" otherwise, until ``done`` shows."""
        text = self.last_text
        for _ in range(40):
            if done in text:
                return text
            question = text
            typed_answer = next((a for q, a in typed.items() if q in question), None)
            if typed_answer is not None:
                text = await self.say(typed_answer)
            else:
                label = next((a for q, a in answers.items() if q in question), "I don't know")
                text = await self.press(label)
        raise AssertionError(f"still asking after 40 answers: {text}")


async def apply_until_documents(phone: Phone) -> None:
    await phone.press("Apply", "Which program?")
    await phone.press("2023 aid-talent plan (batch 2)")
    await phone.press("Flexible aid experts")
    await phone.answer_questions(EXPERT_ANSWERS, {"How many months": "3"}, "Your full name")
    await phone.say("张三", "phone number")
    await phone.say("139 1234 5678", "employer")
    await phone.say("浙江大学", "Which field do you work in?")
    await phone.press("Health (Regional Health Commission)", "Document 1 of 2")


async def submit(api: FakeBotAPI, phone: Phone, document: bytes = PDF) -> str:
    """A whole application (English, one PDF), confirmed; returns its reference."""
    await phone.say("/start")
    await phone.say("/language")
    await phone.press("English", "What would you like to do?")
    await apply_until_documents(phone)
    await api.push_document(phone.user_id, document, "form.pdf", "application/pdf")
    await phone.read("Received form.pdf")
    await phone.press("Done with this document", "Document 2 of 2")
    await phone.press("Skip: my unit sends this one", "Please check your application")
    receipt = await phone.press("Confirm and submit", "Your application has been received")
    match = re.search(r"Reference: (\S+)", receipt)
    assert match is not None
    return match.group(1)
