"""Cold start to the first reply, per channel, and the bot's memory with many conversations in flight.

Run: ``.venv/bin/python bench/startup.py [--runs 3] [--conversations 10000] [--skip-rss] [--root CHECKOUT]``

Cold start is the time from launching ``python -m bot`` in a fresh process to the first reply it
sends: on the terminal channel (the first line printed after the automatic ``/start``), and on
Telegram with aiogram and with python-telegram-bot, a ``/start`` already waiting on a loopback Bot
API server (``tests/telegram/botapi.py``) when the process starts. "restart" runs on a data folder a
previous run left (the usual case: a bot restarted), "first" on an empty one (tables created,
content seeded). RSS is the bot process's resident memory (``VmRSS`` of ``/proc/self/status``):
idle once started, and after ``--conversations`` applicants each sent ``/start`` through the real
Telegram path (dedupe, runtime, desk, SQLite; replies posted to the loopback server). Each figure is
min / median / max over ``--runs`` runs; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: The bot measured: this checkout, or another one (``--root``, e.g. the main branch for a "before").
ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

TOKEN = "123456:BENCH-TOKEN"
SELF = str(Path(__file__).resolve())


def rss_mb() -> float:
    """This process's resident set size in MB, as the kernel counts it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def spread(values: list[float], unit: str, digits: int = 2) -> str:
    return f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f} / {max(values):.{digits}f} {unit}"


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "BOT_", "STAFF_", "DEFAULT_"))}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{data / 'bot.db'}",
        FILES_DIR=str(data / "files"),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


# --------------------------------------------------------------------------- cold start


async def terminal_start(data: Path) -> float:
    """Seconds from launching the terminal channel to its first printed line."""
    began = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=data,
        env=_env(data),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stdin is not None
    line = await asyncio.wait_for(process.stdout.readline(), 120)
    elapsed = time.perf_counter() - began
    process.stdin.close()
    _, err = await asyncio.wait_for(process.communicate(), 120)
    if not line.strip() or process.returncode != 0:
        raise RuntimeError(f"terminal channel failed: {err.decode()[-2000:]}")
    return elapsed


async def telegram_start(runtime: str, data: Path) -> float:
    """Seconds from launching ``python -m bot`` with a token to its reply to a waiting ``/start``."""
    import itertools

    from tests.telegram.botapi import FakeBotAPI

    async with FakeBotAPI(token=TOKEN) as api:
        # a restarted bot has handled the update ids of the run before: this run's are new ones
        api._update_ids = itertools.count(time.time_ns() // 1000 % 2**31)
        api.user(7001, "Bench", language_code="zh")
        await api.push_text(7001, "/start")
        env = _env(data, BOT_TOKEN=TOKEN, BOT_RUNTIME=runtime, TELEGRAM_API_BASE=api.base)
        began = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await api.next_messages(7001, 1, timeout=120)
            elapsed = time.perf_counter() - began
        finally:
            process.send_signal(signal.SIGINT)
            _, err = await asyncio.wait_for(process.communicate(), 60)
        if process.returncode != 0:
            raise RuntimeError(f"{runtime} bot failed: {err.decode()[-2000:]}")
        return elapsed


def triple(values: list[float]) -> list[float]:
    return [min(values), statistics.median(values), max(values)]


async def cold_starts(runs: int) -> dict[str, Any]:
    print(f"cold start to the first reply (min / median / max over {runs} runs)")
    channels: list[tuple[str, Any]] = [
        ("terminal", terminal_start),
        ("aiogram", lambda data: telegram_start("aiogram", data)),
        ("ptb", lambda data: telegram_start("ptb", data)),
    ]
    result: dict[str, Any] = {}
    for name, start in channels:
        first: list[float] = []
        again: list[float] = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix=f"bench-start-{name}-") as folder:
                first.append(await start(Path(folder)))
                again.append(await start(Path(folder)))
        print(f"  {name:<9} restart {spread(again, 's')}   first {spread(first, 's')}")
        result[name] = {"restart_s": triple(again), "first_s": triple(first)}
    return result


# --------------------------------------------------------------------------- memory


def _update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}", "language_code": "zh"}
    message: dict[str, Any] = {
        "message_id": 1,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": user["first_name"]},
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


async def rss_child(runtime: str, base: str, data: Path, conversations: int) -> None:
    """Inside the measured process: start the bot, measure, start ``conversations`` conversations, measure."""
    import gc

    from bot.settings import Settings
    from bot.telegram.runner import TelegramBot
    from bot.telegram.throttle import Throttle
    from dialogs.loader import SHIPPED

    settings = Settings(
        _env_file=None,
        bot_token=TOKEN,
        bot_runtime=runtime,
        telegram_api_base=base,
        database_url=f"sqlite+aiosqlite:///{data / 'bot.db'}",
        files_dir=str(data / "files"),
    )
    from bot.telegram.outbox import utc_now

    bot = TelegramBot(settings, SHIPPED, utc_now, throttle=Throttle(rate=1000, burst=1000))
    await bot.start()
    try:
        await asyncio.sleep(0.5)
        gc.collect()
        idle = rss_mb()
        assert bot.once is not None and bot.desk is not None
        bot.desk.limiter.per_second = 1_000_000  # memory is measured here, not Telegram's 30 messages a second
        began = time.perf_counter()
        batch = 50
        for first in range(0, conversations, batch):
            ids = range(first, min(first + batch, conversations))
            await asyncio.gather(*(bot.once(_update(i + 1, 100_000 + i, "/start")) for i in ids))
        seconds = time.perf_counter() - began
        gc.collect()
        loaded = rss_mb()
    finally:
        await bot.stop()
    print(json.dumps({"idle": idle, "loaded": loaded, "seconds": seconds}))


async def rss_run(runtime: str, conversations: int) -> dict[str, float]:
    from tests.telegram.botapi import FakeBotAPI

    async with FakeBotAPI(token=TOKEN) as api:
        with tempfile.TemporaryDirectory(prefix=f"bench-rss-{runtime}-") as folder:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                SELF,
                "--rss-child",
                runtime,
                api.base,
                folder,
                str(conversations),
                cwd=ROOT,
                env=_env(Path(folder)),
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            out, err = await process.communicate()
            if process.returncode != 0:
                raise RuntimeError(f"{runtime} memory run failed: {err.decode()[-3000:]}")
            result: dict[str, float] = json.loads(out.decode().strip().splitlines()[-1])
            return result


async def memory(runs: int, conversations: int) -> dict[str, Any]:
    print(f"RSS of the bot process, idle and with {conversations:,} conversations (min / median / max over {runs})")
    result: dict[str, Any] = {}
    for runtime in ("aiogram", "ptb"):
        results = [await rss_run(runtime, conversations) for _ in range(runs)]
        idle = [r["idle"] for r in results]
        loaded = [r["loaded"] for r in results]
        rate = [conversations / r["seconds"] for r in results]
        print(
            f"  {runtime:<8} idle {spread(idle, 'MB', 0)}   with conversations {spread(loaded, 'MB', 0)}"
            f"   ({spread(rate, '/start per s', 0)})"
        )
        result[runtime] = {"idle_mb": triple(idle), "loaded_mb": triple(loaded)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--skip-rss", action="store_true")
    parser.add_argument("--skip-start", action="store_true")
    parser.add_argument("--root", type=Path, help="measure the bot of another checkout (default: this one)")
    parser.add_argument("--rss-child", nargs=4, metavar=("RUNTIME", "BASE", "DIR", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.root is not None:  # the processes measured run the other checkout's bot
        global ROOT
        ROOT = args.root.resolve()
        os.environ["BENCH_ROOT"] = str(ROOT)
    if args.rss_child:
        runtime, base, folder, count = args.rss_child
        asyncio.run(rss_child(runtime, base, Path(folder), int(count)))
        return
    result: dict[str, Any] = {"bench": "startup", "conversations": args.conversations}
    if not args.skip_start:
        result["cold_start"] = asyncio.run(cold_starts(args.runs))
    if not args.skip_rss:
        result["rss"] = asyncio.run(memory(args.runs, args.conversations))
    print("RESULT " + json.dumps(result))  # for python -m bench


if __name__ == "__main__":
    main()
