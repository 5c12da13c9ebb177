"""Running the real bot (aiogram or python-telegram-bot) against the fake Bot API on 127.0.0.1.

:class:`Phone` plays one Telegram user: it sends updates through the fake
server and reads what the bot sent back, pressing buttons by their label like
a person would. Nothing in the bot is replaced: both runtimes talk HTTP.

Nothing waits for time to pass: a test that must see that nothing more happens
waits for :meth:`Watch.settled` (every update handled, an outbox round found
nothing due), and retries are made due by moving the outbox's :class:`WallClock`.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import datetime as dt
import functools
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.settings import Settings
from bot.telegram.outbox import utc_now
from bot.telegram.runner import TelegramBot
from bot.telegram.throttle import Throttle
from bot.telegram.types import Incoming
from dialogs.loader import SHIPPED, Content, load_content
from storage.migrate import migrate
from tests.conftest import ROOT
from tests.engine_driver import EXPERT_ANSWERS
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


@functools.cache
def office_content() -> Content:
    """:func:`content_with_office_chat`, loaded once: tests only read it, and a bot's start builds the
    question index of its content, once per content object."""
    with tempfile.TemporaryDirectory() as root:
        return load_content(content_with_office_chat(Path(root)))


def running_clock(start: dt.datetime) -> Callable[[], dt.datetime]:
    began = time.monotonic()
    return lambda: start + dt.timedelta(seconds=time.monotonic() - began)


class WallClock:
    """The real UTC time plus what the test moved it by: the outbox's clock, so that a retry scheduled
    for in two seconds is made due at once instead of waited for."""

    def __init__(self) -> None:
        self.ahead = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.ahead

    def advance(self, seconds: float) -> None:
        self.ahead += dt.timedelta(seconds=seconds)


@functools.cache
def _migrated_template() -> Path:
    """An empty database at the newest schema, made once a session (in a thread: tests call
    :func:`make_bot` inside their event loop)."""
    folder = Path(tempfile.mkdtemp(prefix="desk-template-"))
    atexit.register(shutil.rmtree, folder, True)
    template = folder / "bot.db"
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, migrate(f"sqlite+aiosqlite:///{template}")).result()
    assert template.is_file() and not template.with_name("bot.db-wal").exists()  # all in the one file
    return template


def database_in(tmp: Path) -> str:
    """The URL of ``tmp/bot.db``; a new one starts as a copy of a migrated template (the bot's start
    then finds it at the newest schema, as after a restart), an existing one is kept."""
    path = tmp / "bot.db"
    if not path.exists():
        tmp.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_migrated_template(), path)
    return f"sqlite+aiosqlite:///{path}"


def make_bot(
    api: FakeBotAPI,
    runtime: str,
    tmp: Path,
    content: Content | Path,
    *,
    wall_clock: Callable[[], dt.datetime] = utc_now,
    clock: Callable[[], dt.datetime] | None = None,
    **settings: Any,
) -> TelegramBot:
    """A bot on the fake Bot API with its database in ``tmp``. ``content``: fixed content, or a content
    folder (its files seed version 1 and the bot follows published versions: ``bot.live``).
    ``clock``: the applicants' clock (default: running from inside the aid plan's window)."""
    values: dict[str, Any] = {
        "bot_token": api.token,
        "bot_runtime": runtime,
        "telegram_api_base": api.base,
        "database_url": database_in(tmp),
        "files_dir": str(tmp / "files"),
        "staff_chat_id": FALLBACK_CHAT,
        "default_locale": "zh",
    }
    values.update(settings)
    return TelegramBot(
        Settings(_env_file=None, **values),
        content if isinstance(content, Path) else lambda: content,
        clock or running_clock(INSIDE_AID_WINDOW),
        album_quiet=0.3,
        outbox_poll=0.2,
        throttle=Throttle(rate=100, burst=100),  # a test taps faster than any person
        wall_clock=wall_clock,
    )


class Watch:
    """What a running bot has finished with, for tests that must show that nothing more happens.

    It wraps the desk's entry points, which both runtimes call by attribute for every update
    (``admit``, then ``on_message`` or ``on_callback`` if admitted), and the outbox worker's
    ``run_once``; what the bot does is unchanged. Install it after ``start()``, before pushing
    the updates it should count. (An album's files are handled after ``on_message`` returns,
    once the album is complete: not counted here; nor are updates a runtime drops before the
    desk sees them, such as messages from other bots.)
    """

    def __init__(self, api: FakeBotAPI, bot: TelegramBot) -> None:
        desk = bot.desk
        assert desk is not None, "start the bot first"
        self.api = api
        self.worker = desk.outbox
        self._pushed_before = api.pushed
        self.handled = 0  # updates dropped by the throttle or handled to the end
        self.rounds = 0  # outbox rounds begun
        self.last_idle_round = 0  # the last round that found nothing due
        self._changed = asyncio.Condition()

        admit, on_message, on_callback = desk.admit, desk.on_message, desk.on_callback

        async def admitted(incoming: Incoming) -> bool:
            taken = await admit(incoming)
            if not taken:
                await self._note_handled()
            return taken

        async def handle(handler: Callable[[Any], Any], incoming: Any) -> None:
            try:
                await handler(incoming)
            finally:
                await self._note_handled()

        run_once = self.worker.run_once

        async def round_(limit: int | None = None) -> int:
            async with self._changed:
                self.rounds += 1
                number = self.rounds
            tried = await run_once(limit)
            if tried == 0:
                async with self._changed:
                    self.last_idle_round = number
                    self._changed.notify_all()
            return tried

        desk.admit = admitted  # type: ignore[method-assign]
        desk.on_message = functools.partial(handle, on_message)  # type: ignore[method-assign]
        desk.on_callback = functools.partial(handle, on_callback)  # type: ignore[method-assign]
        self.worker.run_once = round_  # type: ignore[method-assign]

    async def _note_handled(self) -> None:
        async with self._changed:
            self.handled += 1
            self._changed.notify_all()

    async def _until(self, predicate: Callable[[], bool], timeout: float, what: Callable[[], str]) -> None:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
            except TimeoutError:
                raise AssertionError(f"{what()} within {timeout}s") from None

    async def updates_handled(self, timeout: float = 10) -> None:
        """Until every update pushed since the watch began has been handled (or dropped)."""

        def pushed() -> int:
            return self.api.pushed - self._pushed_before

        await self._until(
            lambda: self.handled >= pushed(),
            timeout,
            lambda: f"{self.handled} of {pushed()} pushed updates handled",
        )

    async def outbox_idle(self, timeout: float = 10) -> None:
        """Until an outbox round begun after this call finds nothing due (the worker is woken for it)."""
        after = self.rounds
        self.worker.wake()
        await self._until(
            lambda: self.last_idle_round > after,
            timeout,
            lambda: f"no outbox round after round {after} found nothing due",
        )

    async def settled(self, timeout: float = 10) -> None:
        """The bot has nothing left to do: every update handled, then no notification due."""
        await self.updates_handled(timeout)
        await self.outbox_idle(timeout)


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


async def until_review(api: FakeBotAPI, phone: Phone, document: bytes = PDF) -> None:
    """A whole application (English, one PDF) up to its review screen, not yet confirmed."""
    await phone.say("/start")
    await phone.say("/language")
    await phone.press("English", "What would you like to do?")
    await apply_until_documents(phone)
    await api.push_document(phone.user_id, document, "form.pdf", "application/pdf")
    await phone.read("Received form.pdf")
    await phone.press("Done with this document", "Document 2 of 2")
    await phone.press("Skip: my unit sends this one", "Please check your application")


async def submit(api: FakeBotAPI, phone: Phone, document: bytes = PDF) -> str:
    """A whole application (English, one PDF), confirmed; returns its reference."""
    await until_review(api, phone, document)
    receipt = await phone.press("Confirm and submit", "; not yet reviewed.")
    match = re.search(r"Reference: (\S+)", receipt)
    assert match is not None
    return match.group(1)


def bot_process_env(api: FakeBotAPI, tmp_path: Path, **settings: str) -> dict[str, str]:
    """The environment of a real ``python -m bot`` on the fake Bot API: this one's, less what a developer's
    shell may hold for their own bot (language, chats, webhook), plus a database and files under tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "DEFAULT_LOCALE", "STAFF_CHAT"))}
    env.update(
        BOT_TOKEN=api.token,
        TELEGRAM_API_BASE=api.base,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        FILES_DIR=str(tmp_path / "files"),
        STAFF_CHAT_ID="-1001",
    )
    env.update(settings)
    return env


async def start_bot_process(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    """``python -m bot`` as a user starts it, from the project folder, its output kept for the test."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
