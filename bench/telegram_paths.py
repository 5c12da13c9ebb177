"""The whole Telegram path in one process, against a bare echo bot of the same library, HTTP stubbed.

Run: ``.venv/bin/python bench/telegram_paths.py [--runs 3] [--updates 300]``

For aiogram (``Dispatcher.feed_update``) and python-telegram-bot (``Application.process_update``):
the bot as ``python -m bot`` runs it (:class:`bot.telegram.runner.TelegramBot`: the once-only
record, the runtime's handlers and middlewares, the desk, the engine, SQLite in a temporary
folder, the outbox worker) is fed ``--updates`` updates, one after another, from many applicants
(``/start``, ``/help``, a free question, in turn); a bare echo bot of the same library answers
every text with its text, fed ten times as many. Neither touches the network: the library's own
HTTP layer is replaced by one that answers every Bot API method at once (aiogram: a ``BaseSession``;
PTB: a ``BaseRequest``), so what is measured is the library plus our code. Printed: updates per
second of each and the ratio bot / echo, min / median / max over ``--runs`` runs, and the bot's SQL
statements per update; nothing asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOKEN = "123456:BENCH-TOKEN"
TEXTS = ("/start", "/help", "援疆项目什么时候截止")
USERS = 100


def fake_result(method: str, params: dict[str, Any]) -> Any:
    """What the Bot API would answer ``method``: just enough for either library to parse."""
    name = method.lower()
    chat_id = params.get("chat_id", 1)
    with_id = int(chat_id) if str(chat_id).lstrip("-").isdigit() else 1
    if name == "getme":
        return {"id": 123456, "is_bot": True, "first_name": "Desk", "username": "desk_bench_bot"}
    if name in ("getupdates", "getmycommands"):
        return []
    if name.startswith(("send", "edit", "copy", "forward")):
        return {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": with_id, "type": "private"},
            "from": {"id": 123456, "is_bot": True, "first_name": "Desk"},
            "text": str(params.get("text", "")),
        }
    return True


# --------------------------------------------------------------------------- stubbed HTTP layers


def aiogram_bot() -> Any:
    from aiogram import Bot
    from aiogram.client.session.base import BaseSession

    class StubSession(BaseSession):
        async def make_request(self, bot: Any, method: Any, timeout: int | None = None) -> Any:  # noqa: ASYNC109
            name = type(method).__api_method__
            if name == "getUpdates":
                await asyncio.sleep(0.5)  # an empty long poll
            params = {"chat_id": getattr(method, "chat_id", 1), "text": str(getattr(method, "text", ""))}
            content = json.dumps({"ok": True, "result": fake_result(name, params)})
            return self.check_response(bot=bot, method=method, status_code=200, content=content).result

        async def stream_content(self, *args: Any, **kwargs: Any) -> Any:
            raise NotImplementedError("no files in this benchmark")

        async def close(self) -> None:
            return None

    return Bot(TOKEN, session=StubSession())


def ptb_builder() -> Any:
    from telegram.ext import Application
    from telegram.request import BaseRequest

    class StubRequest(BaseRequest):
        async def initialize(self) -> None:
            return None

        async def shutdown(self) -> None:
            return None

        @property
        def read_timeout(self) -> float | None:
            return 10.0

        async def do_request(self, url: str, method: str, request_data: Any = None, *args: Any, **kw: Any) -> Any:
            name = url.rsplit("/", 1)[-1]
            if name.lower() == "getupdates":
                await asyncio.sleep(0.5)
            params = request_data.parameters if request_data is not None else {}
            return 200, json.dumps({"ok": True, "result": fake_result(name, params)}).encode()

    return Application.builder().token(TOKEN).request(StubRequest()).get_updates_request(StubRequest())


def update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}", "language_code": "zh"}
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": user["first_name"]},
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


def updates(count: int, first_id: int = 1) -> list[dict[str, Any]]:
    """``count`` updates: each applicant in turn sends the next of :data:`TEXTS`."""
    return [update(first_id + i, 500_000 + i % USERS, TEXTS[(i // USERS) % len(TEXTS)]) for i in range(count)]


async def rate(feed: Callable[[dict[str, Any]], Awaitable[None]], batch: list[dict[str, Any]]) -> float:
    began = time.perf_counter()
    for item in batch:
        await feed(item)
    return len(batch) / (time.perf_counter() - began)


# --------------------------------------------------------------------------- echo bots


async def aiogram_echo(count: int) -> float:
    from aiogram import Dispatcher
    from aiogram.types import Message, Update

    bot = aiogram_bot()
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    async def feed(raw: dict[str, Any]) -> None:
        await dispatcher.feed_update(bot, Update.model_validate(raw, context={"bot": bot}))

    return await rate(feed, updates(count))


async def ptb_echo(count: int) -> float:
    from telegram import Update
    from telegram.ext import ContextTypes, MessageHandler, filters

    application = ptb_builder().build()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "")

    application.add_handler(MessageHandler(filters.ALL, echo))
    await application.initialize()
    try:
        return await rate(lambda raw: application.process_update(Update.de_json(raw, application.bot)), updates(count))
    finally:
        await application.shutdown()


# --------------------------------------------------------------------------- the bot


#: SQL statements per update of the last bot measured (BEGIN and COMMIT are not statements to the driver).
STATEMENTS: list[float] = []


async def desk_bot(runtime: str, count: int, *, lifted: bool) -> float:
    """Updates/s of the bot. ``lifted``: Telegram's outgoing limit (30 messages a second for the whole bot,
    :mod:`bot.telegram.ratelimit`) raised out of reach, so what is left is the cost of the code."""
    from sqlalchemy import event

    import bot.telegram.aiogram_runtime as aiogram_runtime
    import bot.telegram.ptb_runtime as ptb_runtime
    from bot.settings import Settings
    from bot.telegram.runner import TelegramBot
    from bot.telegram.throttle import Throttle
    from dialogs.loader import SHIPPED

    aiogram_runtime.make_bot = lambda token, base: aiogram_bot()  # type: ignore[assignment]
    ptb_runtime.make_application = lambda token, base: ptb_builder().concurrent_updates(True).build()  # type: ignore[assignment]
    with tempfile.TemporaryDirectory(prefix=f"bench-paths-{runtime}-") as folder:
        settings = Settings(
            _env_file=None,
            bot_token=TOKEN,
            bot_runtime=runtime,
            telegram_api_base="http://127.0.0.1:9",
            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'bot.db'}",
            files_dir=str(Path(folder) / "files"),
        )
        now = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
        bot = TelegramBot(settings, SHIPPED, lambda: now, throttle=Throttle(rate=1000, burst=1000))
        await bot.start()
        try:
            assert bot.once is not None and bot.desk is not None
            if lifted:
                bot.desk.limiter.per_second = 1_000_000
            await rate(bot.once, updates(USERS, first_id=1_000_000))  # warm: every applicant has a conversation
            assert bot.database is not None
            counted = [0]

            def count_statement(*_args: Any) -> None:
                counted[0] += 1

            event.listen(bot.database.engine.sync_engine, "before_cursor_execute", count_statement)
            measured = await rate(bot.once, updates(count))
            event.remove(bot.database.engine.sync_engine, "before_cursor_execute", count_statement)
            STATEMENTS.append(counted[0] / count)
            return measured
        finally:
            await bot.stop()


def spread(values: list[float], digits: int = 3) -> str:
    return f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f} / {max(values):.{digits}f}"


def triple(values: list[float]) -> list[float]:
    return [min(values), statistics.median(values), max(values)]


async def measure(runs: int, count: int) -> dict[str, Any]:
    print(f"Telegram paths in-process, HTTP stubbed: updates/s and bot / echo (min / median / max over {runs} runs)")
    echoes: dict[str, Callable[[int], Awaitable[float]]] = {"aiogram": aiogram_echo, "ptb": ptb_echo}
    result: dict[str, Any] = {}
    for runtime, echo in echoes.items():
        shipped: list[float] = []
        lifted: list[float] = []
        bare: list[float] = []
        for _ in range(runs):
            bare.append(await echo(count * 10))
            shipped.append(await desk_bot(runtime, count, lifted=False))
            lifted.append(await desk_bot(runtime, count, lifted=True))
        print(f"  {runtime:<8} echo bot {spread(bare, 0)}/s", flush=True)
        result[runtime] = {"echo": {"per_second": triple(bare)}}
        for name, key, ours in (("30 msg/s kept", "bot30", shipped), ("limit lifted", "bot", lifted)):
            ratios = [o / b for o, b in zip(ours, bare, strict=True)]
            print(f"    bot, {name:<13} {spread(ours, 0)}/s   ratio {spread(ratios)}x", flush=True)
            result[runtime][key] = {"per_second": triple(ours), "ratio": triple(ratios)}
        print(f"    SQL statements per update {spread(STATEMENTS, 2)}", flush=True)
        result[runtime]["statements"] = triple(STATEMENTS) if STATEMENTS else None
        STATEMENTS.clear()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--updates", type=int, default=300)
    args = parser.parse_args()
    result = asyncio.run(measure(args.runs, args.updates))
    print("RESULT " + json.dumps({"bench": "telegram_paths", "runtimes": result}))  # for python -m bench


if __name__ == "__main__":
    main()
