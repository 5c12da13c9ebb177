"""Hostile but schema-valid Telegram updates, through the real bot over HTTP, counted.

Each runtime (aiogram, python-telegram-bot) is started against the fake Bot API server of the tests
(127.0.0.1) with the test content (a health office chat and the fallback staff chat) and one real
submission to aim forged decisions at. Then a seeded generator pushes updates a hostile or careless
world sends: messages and button presses from private chats, groups, supergroups and channels; forged
callback data (staff decisions from other chats and by anyone, wrong part counts, stale menus, very
long, unicode); huge texts, control characters, direction overrides, HTML-looking text; documents and
photos with odd names, sizes and types; replies to random message ids; edited messages, channel posts
and update kinds no runtime knows; the same update_id twice.

Counted:

- **unhandled exceptions**: ERROR log records from the bot and from aiogram/PTB (a handler that
  raised is logged there by each runtime), and exceptions escaping the runtime's update processing;
- **messages to chats that should get none**: any send*/edit* call to a chat that is neither the
  private chat of someone who wrote to the bot privately nor a configured staff chat, and any
  callback answer with text for a button pressed in such a chat.

Short form in the suite (``tests/fuzz/test_hostile_updates.py``); the full form::

    .venv/bin/python -m tests.fuzz.hostile_updates --updates 10000 --runtime both
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.telegram.runner import TelegramBot
from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import (
    FALLBACK_CHAT,
    HEALTH_OFFICE_CHAT,
    JPEG,
    PDF,
    Phone,
    make_bot,
    office_content,
    submit,
)

STAFF_CHATS = (HEALTH_OFFICE_CHAT, FALLBACK_CHAT)
#: The people of the run: a few staff (in the staff chats) and many others.
STAFF = tuple(range(8800, 8806))
PEOPLE = tuple(range(9100, 9140))
GROUPS = (-4101, -4102, -4103)
SUPERGROUPS = (-1002000001, -1002000002)
CHANNELS = (-1003000001, -1003000002)

WEIRD_TEXTS = (
    "",
    " ",
    "\u202e\u202dgnirts desrever",  # RTL/LTR overrides
    "\u200f\u200e\u2066isolate\u2069",
    "<b>bold</b> <a href='http://127.0.0.1/'>x</a> &amp; &lt;",
    "</code><script>alert(1)</script>",
    "\x00\x01\x02\x07\x1b[31mred\x7f",
    "a\u0301\u0302\u0303" * 30,  # combining marks
    "😀👩‍👩‍👧‍👦🏳️‍🌈" * 20,
    "ئىلتىماس قانداق قىلىمەن؟",
    "援疆项目什么时候截止？",
    "%s %d {reference} {0} {{}}",
    "/start@desk_test_bot extra args",
    "/language ug",
    "/language xx",
    "/apply",
    "/status",
    "/delete_my_data",
    "/cancel",
    "/help",
    "/unknown_command",
    "//",
    "/",
    "139 1234 5678",
    "3",
    "-1",
    "99999999999999999999",
    "\n\n\n",
)


@dataclass
class Counts:
    runtime: str
    sent: int = 0
    handled: int = 0
    #: Repeated update ids pushed after the bot confirmed the first: never delivered, as on Telegram.
    not_delivered: int = 0
    unhandled: int = 0
    wrong_chat: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.runtime}: {self.sent} updates sent, {self.handled} handled "
            f"({self.not_delivered} repeats of an update already confirmed never delivered), "
            f"{self.unhandled} unhandled exceptions, {self.wrong_chat} messages to chats that should get none, "
            f"{self.seconds:.1f} s"
        )


class ErrorLog(logging.Handler):
    """ERROR records of the bot and the two runtimes (an exception a handler let out is logged so)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def describe(self) -> list[str]:
        seen: dict[str, int] = {}
        for record in self.records:
            kind = f"{record.name}: {record.getMessage()[:120]}"
            if record.exc_info and record.exc_info[1] is not None:
                kind += f" [{type(record.exc_info[1]).__name__}: {str(record.exc_info[1])[:160]}]"
            seen[kind] = seen.get(kind, 0) + 1
        return [f"{n} x {kind}" for kind, n in seen.items()]


class World:
    """The generator: updates built from a seeded random source, and who may be spoken to."""

    def __init__(self, api: FakeBotAPI, rng: random.Random, reference: str, applicant: int) -> None:
        self.api = api
        self.rng = rng
        self.reference = reference
        self.applicant = applicant
        #: Private chats the bot may write to: people who wrote to it there.
        self.private_writers: set[int] = {applicant}
        #: Callback ids pressed in chats that should get nothing (a silent answer only).
        self.mute_callbacks: set[str] = set()
        self.sent_ids: list[int] = []
        self._message_ids = 10_000

    def _user(self, uid: int) -> dict[str, Any]:
        r = self.rng
        user: dict[str, Any] = {
            "id": uid,
            "is_bot": False,
            "first_name": r.choice(["张三", "Ali", "\u202eevil", "<b>x</b>", "ئەلى", "x" * 64]),
        }
        if r.random() < 0.5:
            user["last_name"] = r.choice(["李", "\x00", "O'Brien", "😀"])
        if r.random() < 0.5:
            user["username"] = f"user{uid}"
        code = r.choice(["zh", "en", "ug", "zh-hans", "xx", None, "en-US"])
        if code is not None:
            user["language_code"] = code
        return user

    def _chat(self, sender: int) -> tuple[dict[str, Any], str]:
        r = self.rng
        kind = r.choices(["private", "group", "supergroup", "channel", "staff"], [5, 2, 2, 1, 2])[0]
        if kind == "private":
            return {"id": sender, "type": "private", "first_name": "x"}, kind
        if kind == "group":
            return {"id": r.choice(GROUPS), "type": "group", "title": "<i>group</i>"}, kind
        if kind == "supergroup":
            return {"id": r.choice(SUPERGROUPS), "type": "supergroup", "title": "\u202esuper"}, kind
        if kind == "channel":
            return {"id": r.choice(CHANNELS), "type": "channel", "title": "channel"}, kind
        return {"id": r.choice(STAFF_CHATS), "type": "supergroup", "title": "staff"}, kind

    def _text(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.5:
            return r.choice(WEIRD_TEXTS)
        if roll < 0.6:
            return r.choice("啊ab<>&\u202e\u200d😀 \n") * r.randint(1000, 4096)
        return "".join(
            chr(
                r.choice(
                    [
                        r.randint(0x20, 0x7E),
                        r.randint(0x4E00, 0x9FFF),
                        r.randint(0x600, 0x6FF),
                        r.randint(0x1F300, 0x1FAFF),
                        r.randint(1, 31),
                    ]
                )
            )
            for _ in range(r.randint(1, 60))
        )

    def _data(self) -> str:
        r = self.rng
        reference = self.reference
        choices = [
            f"s:ok:{reference}",
            f"s:ret:{reference}",
            f"s:more:{reference}",
            "s:ok",
            "s:x:y:z",
            f"s:ok:{reference}:extra",
            "s:lang:ug",
            "s:lang:xx",
            "s:ok:AD-ZZZZZ-ZZZZZ",
            "x:mine",
            f"x:amend:{reference}",
            "x:amend:AD-ABCDE-FGHJK",
            f"{r.randint(0, 50)}:menu",
            f"{r.randint(0, 50)}:apply",
            f"{r.randint(0, 3)}:lang:en",
            "0:expired",
            "9" * 64,
            "é" * 32,
            "s:" + "ok:" * 20,
            "",
            "x:" + "\u202e" * 10,
        ]
        return r.choice(choices)

    def _message(self, chat: dict[str, Any], sender: dict[str, Any] | None) -> dict[str, Any]:
        r = self.rng
        self._message_ids += 1
        message: dict[str, Any] = {"message_id": self._message_ids, "date": int(time.time()), "chat": chat}
        if sender is not None:
            message["from"] = sender
        if chat["type"] == "channel" and r.random() < 0.7:
            message.pop("from", None)
            message["sender_chat"] = chat
        kind = r.choices(["text", "document", "photo", "sticker"], [8, 2, 1, 1])[0]
        if kind == "text":
            message["text"] = self._text() or "."
        elif kind == "document":
            name = r.choice(
                [
                    "form.pdf",
                    "../../etc/passwd",
                    "a" * 300 + ".pdf",
                    "\u202eexe.pdf",
                    "没有扩展名",
                    None,
                    "x.exe",
                    "scan.JPG",
                ]
            )
            mime = r.choice(["application/pdf", "image/jpeg", "application/x-msdownload", "text/html", None])
            size = r.choice([None, 0, 1, 20 * 1024 * 1024 + 1, 2**31])
            message["document"] = self.api.document_object(
                r.choice([PDF, JPEG, b"MZ\x90\x00", b""]) or b"\x00", name, mime, size
            )
            if r.random() < 0.3:
                message["caption"] = self._text()[:1024]
            if r.random() < 0.2:
                message["media_group_id"] = str(r.randint(1, 3))
        elif kind == "photo":
            message["photo"] = self.api.photo_sizes(JPEG, r.choice([None, 10, 30 * 1024 * 1024]))
        else:
            message["sticker"] = {
                "file_id": "sticker-1",
                "file_unique_id": "s1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        if r.random() < 0.25:
            target = r.choice(self.sent_ids) if self.sent_ids and r.random() < 0.6 else r.randint(1, 100_000)
            message["reply_to_message"] = {
                "message_id": target,
                "date": int(time.time()),
                "chat": chat,
                "from": self.api.bot_user,
                "text": "prompt",
            }
        return message

    def update(self) -> dict[str, Any]:
        """One hostile update (without its update_id)."""
        r = self.rng
        staffer = r.random() < 0.25
        uid = r.choice(STAFF) if staffer else r.choice(PEOPLE)
        sender = self._user(uid)
        chat, kind = self._chat(uid)
        roll = r.random()
        if roll < 0.45:
            if kind == "private":
                self.private_writers.add(uid)
            return {"message": self._message(chat, sender)}
        if roll < 0.85:
            query: dict[str, Any] = {
                "id": str(r.randint(1, 10**12)),
                "from": sender,
                "chat_instance": str(r.randint(1, 10**9)),
            }
            if r.random() < 0.1:
                query["inline_message_id"] = "inline-1"
                self.private_writers.add(uid)  # answered in the sender's own chat, if at all
            else:
                target = r.choice(self.sent_ids) if self.sent_ids and r.random() < 0.5 else r.randint(1, 10**6)
                message = {
                    "message_id": target,
                    "date": int(time.time()),
                    "chat": chat,
                    "from": self.api.bot_user,
                    "text": "menu",
                }
                query["message"] = message
                if kind == "private":
                    self.private_writers.add(uid)
                elif kind != "staff":
                    self.mute_callbacks.add(query["id"])
            if r.random() < 0.95:
                query["data"] = self._data()
            return {"callback_query": query}
        if roll < 0.92:
            return {r.choice(["edited_message", "channel_post", "edited_channel_post"]): self._message(chat, sender)}
        if roll < 0.96:
            return {
                "my_chat_member": {
                    "chat": chat,
                    "from": sender,
                    "date": int(time.time()),
                    "old_chat_member": {"status": "left", "user": self.api.bot_user},
                    "new_chat_member": {"status": "member", "user": self.api.bot_user},
                }
            }
        return {"future_update_kind": {"id": r.randint(1, 10), "anything": [1, "two", {"three": None}]}}


def _allowed(call_chat: Any, world: World) -> bool:
    return call_chat in STAFF_CHATS or (isinstance(call_chat, int) and call_chat in world.private_writers)


def _count_wrong(api: FakeBotAPI, world: World, counts: Counts) -> None:
    for call in api.calls:
        method = call.method.lower()
        if method.startswith(("send", "edit", "copy", "forward")) and method != "sendchataction":
            chat = call.params.get("chat_id")
            if not _allowed(chat, world):
                counts.wrong_chat += 1
                counts.wrong.append(f"{call.method} to {chat}: {str(call.params.get('text', ''))[:80]!r}")
        elif (
            method == "answercallbackquery"
            and call.params.get("callback_query_id") in world.mute_callbacks
            and call.params.get("text")
        ):
            counts.wrong_chat += 1
            counts.wrong.append(f"answerCallbackQuery with text in a non-staff group: {call.params['text'][:80]!r}")


class Processing:
    """Counts updates the runtime finished processing, whatever they were (aiogram's ``feed_update``;
    PTB's update queue), and the exceptions that escaped it."""

    def __init__(self, bot: TelegramBot, counts: Counts) -> None:
        self.bot = bot
        self.counts = counts
        self.finished = 0
        self.in_flight: dict[int, tuple[Any, asyncio.Task[Any] | None]] = {}
        runtime = bot.runtime
        assert runtime is not None
        self._ptb_queue: asyncio.Queue[object] | None = None
        if runtime.name == "aiogram":
            dispatcher = runtime.dispatcher  # type: ignore[attr-defined]  # AiogramRuntime has it
            feed: Callable[..., Awaitable[Any]] = dispatcher.feed_update

            async def counted(*args: Any, **kwargs: Any) -> Any:
                update = kwargs.get("update", args[1] if len(args) > 1 else None)
                task = asyncio.current_task()
                self.in_flight[id(task)] = (update, task)
                try:
                    return await feed(*args, **kwargs)
                except Exception as error:
                    counts.unhandled += 1
                    counts.errors.append(f"escaped aiogram: {type(error).__name__}: {error}")
                    raise
                finally:
                    self.finished += 1
                    self.in_flight.pop(id(task), None)

            dispatcher.feed_update = counted
        else:
            self._ptb_queue = runtime.application.update_queue  # type: ignore[attr-defined]  # PTBRuntime has it

    async def done(self, sent: int, api: FakeBotAPI, timeout: float) -> None:
        # The bot's poller confirms a batch (moves the offset) only once every update of it was handled,
        # or skipped as unreadable (logged, never fed to the library): all pushed updates are then done.
        await api.wait_fetched(timeout)
        pushed = sent - api.never_delivered  # a repeated update_id the bot had already confirmed never comes
        if self._ptb_queue is not None:
            await asyncio.wait_for(self._ptb_queue.join(), timeout)
            self.finished = pushed
        else:
            deadline = time.monotonic() + timeout
            while self.in_flight:  # nothing aiogram started is still running
                if time.monotonic() > deadline:
                    stuck = [
                        f"{update!r:.600}\n" + "".join(f"  {frame}\n" for frame in (task.get_stack() if task else []))
                        for update, task in self.in_flight.values()
                    ]
                    raise AssertionError(
                        f"aiogram finished {self.finished} of {pushed} updates; stuck:\n" + "\n".join(stuck)
                    )
                await asyncio.sleep(0)
            self.finished = pushed


async def run(runtime: str, updates: int, seed: int, *, timeout: float = 600) -> Counts:
    counts = Counts(runtime)
    errors = ErrorLog()
    loggers = [logging.getLogger(name) for name in ("", "bot", "aiogram", "telegram", "storage")]
    for logger in loggers:
        logger.addHandler(errors)
    try:
        with warnings.catch_warnings(), tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
            # aiogram warns on each update kind it does not know (and drops it): expected here
            warnings.filterwarnings("ignore", "Detected unknown update type", RuntimeWarning)
            async with FakeBotAPI() as api:
                bot = make_bot(api, runtime, Path(tmp), office_content())
                await bot.start()
                try:
                    applicant = Phone(api, 9001, "申请人", language_code="en")
                    reference = await submit(api, applicant)
                    await Phone(api, STAFF[0], "陈老师", chat_id=HEALTH_OFFICE_CHAT).read(reference)
                    base_calls = len(api.calls)
                    world = World(api, random.Random(seed), reference, applicant.user_id)
                    world.sent_ids = [m["message_id"] for chat in STAFF_CHATS for m in api.sent_to(chat)]
                    processing = Processing(bot, counts)
                    began = time.monotonic()
                    last: dict[str, Any] | None = None
                    for _ in range(updates):
                        if last is not None and world.rng.random() < 0.02:
                            await api.push_update(
                                {k: v for k, v in last.items() if k != "update_id"}, update_id=last["update_id"]
                            )
                        else:
                            last = await api.push_update(world.update())
                        counts.sent += 1
                        if counts.sent % 200 == 0:  # let the bot keep up, as Telegram's batches of 100 would
                            await processing.done(counts.sent, api, timeout)
                    await processing.done(counts.sent, api, timeout)
                    assert bot.desk is not None
                    await bot.desk.applicants.albums.drain()
                    while await bot.desk.outbox.run_once():
                        pass
                    counts.seconds = time.monotonic() - began
                    counts.handled = processing.finished
                    counts.not_delivered = api.never_delivered
                    api.calls[:] = api.calls[base_calls:]
                    _count_wrong(api, world, counts)
                finally:
                    await bot.stop()
    finally:
        for logger in loggers:
            logger.removeHandler(errors)
    counts.unhandled += len(errors.records)
    counts.errors += errors.describe()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=10_000, help="hostile updates per runtime")
    parser.add_argument("--runtime", choices=["aiogram", "ptb", "both"], default="both")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--timeout", type=float, default=60, help="seconds the bot may take to finish a batch")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)  # counted, not printed
    runtimes = ["aiogram", "ptb"] if args.runtime == "both" else [args.runtime]
    bad = 0
    for runtime in runtimes:
        counts = asyncio.run(run(runtime, args.updates, args.seed, timeout=args.timeout))
        print(counts.line())
        for line in counts.errors[:20] + counts.wrong[:20]:
            print("   ", line)
        bad += counts.unhandled + counts.wrong_chat
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
