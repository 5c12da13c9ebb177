"""Outside in: applicants over HTTP against a loopback Bot API server, the bot vs a bare echo bot.

Run: ``.venv/bin/python bench/outside_in.py [--runs 3] [--applicants 100] [--steps 10] [--kept-runs N] [--runtimes aiogram,ptb]``

The other Telegram bench (``bench/telegram_paths.py``) feeds updates to the bot inside its own
process with HTTP stubbed out. This one measures what an applicant sees: the real bot, started as
``python -m bot`` in its own process (long polling, SQLite in a temporary folder, the settings of a
deployment), reached only through HTTP by way of the loopback Bot API server of the tests
(``tests/telegram/botapi.py``, on 127.0.0.1). ``--applicants`` simulated applicants write at once,
each going through a realistic conversation of ``--steps`` steps (``/start``, the fit-finder's
buttons, a free question such as 援疆项目什么时候截止, the information menu, ``/help`` ...; a button is
pressed with the ``callback_data`` the bot actually sent), and each waits for the bot's whole reply
before the next step (a closed loop, as a person does). The baseline is a bare echo bot of the same
library (a dozen lines: it answers a text with its text and a button press with the button's data,
each with one button to press next; the library's own polling: aiogram's ``start_polling``, PTB's
``run_polling`` with concurrent updates as the bot's PTB runtime has), also its own process polling
its own loopback server, under the same load. How many messages answer each step (one, for every
step of the script today) is learnt first from one applicant alone, waiting for quiet; a step's
reply is complete when that many have landed.

Printed per runtime, min / median / max over ``--runs`` runs: replies per second (throughput), the
p50 and p99 latency from an applicant's update being put on the server to the last message of the
bot's reply landing there, and the ratio bot / echo of the throughput (within one run). The bot is
measured twice: with Telegram's outgoing limit kept (``TELEGRAM_PER_SECOND`` at its default of 30:
:mod:`bot.telegram.ratelimit` never sends more than about 30 messages a second, as Telegram allows,
so it caps the whole bot near 30 replies a second whatever the code costs) and with it lifted
(``TELEGRAM_PER_SECOND=100000``: what the code itself can do, as with a local Bot API server). The
CPU used by this process (the loopback server and the applicants) is printed too: if it nears a
whole core, the server and not the bot sets the pace, and the figures say so. Nothing is asserted.

A bot process and its echo bot are started once per runtime and kept for all runs (each run has
new applicants, so new conversations), so runs are paired and start-up is not measured
(``bench/startup.py`` does that). A machine-readable ``RESULT {json}`` line ends the output.

The bot's per-user throttle (:mod:`bot.telegram.throttle`: a burst of 10 events, then one a second)
is part of the bot: more than 10 ``--steps`` at a fast pace would meet it and the step would get the
throttle's note or nothing, so ``--steps`` above 10 may time out.
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
from collections.abc import Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.telegram.botapi import FakeBotAPI  # noqa: E402  (after the path is set, like the other benches)

TOKEN = "123456:BENCH-TOKEN"
SELF = str(Path(__file__).resolve())
#: Applicant ids of each round start here and leave room for every applicant of a round.
FIRST_USER = 700_000
#: The same for the short unmeasured rounds before each measured one (see :func:`measure_runtime`).
FIRST_WARM_USER = 400_000
#: Seconds a step may take before the run is given up (a reply that never comes, not a slow one).
STEP_TIMEOUT = 120.0
#: Seconds without a new message after which a calibrating step's reply counts as complete.
QUIET = 0.4


@dataclass(frozen=True)
class Step:
    """What an applicant does: types ``text``, or presses the button labelled ``label`` on the newest
    message with buttons (the first button when there is no such label, or when ``label`` is None)."""

    kind: str  # "text" or "press"
    text: str = ""
    label: str | None = None


#: A realistic conversation in Chinese, the bot's main language: the fit-finder started and two of its
#: questions answered, a free question in the middle of it, back to the menu, deadlines and contacts,
#: a program's details, help. Every step gets a reply. The echo bot's messages carry one button, so
#: the same script presses that one.
SCRIPT = (
    Step("text", "/start"),
    Step("press", label="哪个项目适合我？"),
    Step("press"),
    Step("press"),
    Step("text", "援疆项目什么时候截止"),
    Step("press", label="主菜单"),
    Step("press", label="截止时间、联系人和申报材料"),
    Step("press"),
    Step("text", "/help"),
    Step("press", label="主菜单"),
)


def steps(count: int) -> list[Step]:
    """The first ``count`` steps of :data:`SCRIPT`, starting over from ``/start`` if more are asked."""
    return [SCRIPT[i % len(SCRIPT)] for i in range(count)]


# --------------------------------------------------------------------------- the loopback server


class LoopbackAPI(FakeBotAPI):
    """The tests' fake Bot API, plus one cheap wake-up per chat when a message lands.

    ``FakeBotAPI.next_messages`` waits on one condition for everything: every call wakes every
    waiter, which with a hundred applicants waiting costs the server more than the bots it serves.
    Here each applicant waits on its own future, woken only when its own chat reaches the count.
    """

    def __init__(self) -> None:
        super().__init__(token=TOKEN)
        self._waiting: dict[int, tuple[int, asyncio.Future[float]]] = {}

    def _bot_message(self, chat_id: int, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        message = super()._bot_message(chat_id, params, content)
        self._landed(chat_id)
        return message

    def _store_edit(self, chat_id: int, old: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        message = super()._store_edit(chat_id, old, changes)
        self._landed(chat_id)
        return message

    def _landed(self, chat_id: int) -> None:
        waiting = self._waiting.get(chat_id)
        if waiting is not None and len(self._sent[chat_id]) >= waiting[0] and not waiting[1].done():
            waiting[1].set_result(time.perf_counter())

    def count(self, chat_id: int) -> int:
        return len(self._sent.get(chat_id, ()))

    async def until(self, chat_id: int, count: int, within: float = STEP_TIMEOUT) -> float:
        """Wait until ``chat_id`` holds ``count`` messages; returns when the last of them landed."""
        if self.count(chat_id) >= count:
            return time.perf_counter()
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[chat_id] = (count, future)
        try:
            return await asyncio.wait_for(future, within)
        except TimeoutError:
            raise RuntimeError(
                f"chat {chat_id} got {self.count(chat_id)} of {count} messages in {within:.0f} s; "
                f"last calls: {self._summary()}"
            ) from None
        finally:
            self._waiting.pop(chat_id, None)

    def forget_calls(self) -> None:
        """Calls are recorded for the tests' assertions; a bench does not read them back."""
        self.calls.clear()

    async def act(self, user_id: int, step: Step) -> None:
        """Put the applicant's update for ``step`` on the server."""
        if step.kind == "text":
            await self.push_text(user_id, step.text)
            return
        with_buttons = [m for m in self._sent.get(user_id, ()) if (m.get("reply_markup") or {}).get("inline_keyboard")]
        if not with_buttons:
            raise RuntimeError(f"step {step} of applicant {user_id}: the bot sent no buttons to press")
        message = self._messages[(user_id, with_buttons[-1]["message_id"])]  # its current version
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row if "callback_data" in b]
        chosen = next((b for b in buttons if b.get("text") == step.label), buttons[0])
        await self.press(user_id, message, chosen["callback_data"])


# --------------------------------------------------------------------------- the processes measured


ECHO = {
    "aiogram": """
import asyncio, sys
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

token, base = sys.argv[1], sys.argv[2]
bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(base)))
dispatcher = Dispatcher()
keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="echo", callback_data="echo")]])

@dispatcher.message()
async def echo(message: Message) -> None:
    await bot.send_message(message.chat.id, message.text or "?", reply_markup=keyboard)

@dispatcher.callback_query()
async def pressed(query: CallbackQuery) -> None:
    await query.answer()
    await bot.send_message(query.from_user.id, query.data or "?", reply_markup=keyboard)

asyncio.run(dispatcher.start_polling(bot, polling_timeout=10))
""",
    "ptb": """
import sys
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

token, base = sys.argv[1], sys.argv[2]
application = (
    Application.builder().token(token).base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    .concurrent_updates(True).build()
)
keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("echo", callback_data="echo")]])

async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot.send_message(update.effective_chat.id, update.message.text or "?", reply_markup=keyboard)

async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer()
    await context.bot.send_message(update.effective_user.id, update.callback_query.data or "?", reply_markup=keyboard)

application.add_handler(MessageHandler(filters.TEXT, echo))
application.add_handler(CallbackQueryHandler(pressed))
application.run_polling(timeout=10, allowed_updates=["message", "callback_query"])
""",
}


def _env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a measured process: none of the caller's bot settings leak in."""
    skip = ("WEBHOOK_", "BOT_", "STAFF_", "DEFAULT_", "WORKERS", "REDIS_", "TELEGRAM_", "DATABASE_", "FILES_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{folder / 'bot.db'}",
        FILES_DIR=str(folder / "files"),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Target:
    """One measured process (the bot or an echo bot) and the loopback server it polls."""

    name: str
    api: LoopbackAPI
    process: asyncio.subprocess.Process
    log: Path
    #: Messages each step of :data:`SCRIPT`'s cycle is answered with (from :func:`calibrate`).
    replies: list[int] = field(default_factory=list)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


async def launch(stack: AsyncExitStack, runtime: str, key: str, *, echo: bool, per_second: int | None) -> Target:
    """Start the bot (or the echo bot) against its own loopback server; ``stack`` stops both."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"bench-outside-{runtime}-{key}-")))
    api = await stack.enter_async_context(LoopbackAPI())
    log = folder / "process.log"
    extra = {"BOT_TOKEN": TOKEN, "BOT_RUNTIME": runtime, "TELEGRAM_API_BASE": api.base}
    if per_second is not None:
        extra["TELEGRAM_PER_SECOND"] = str(per_second)
    command = [sys.executable, "-c", ECHO[runtime], TOKEN, api.base] if echo else [sys.executable, "-m", "bot"]
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=folder, env=_env(folder, **extra), stdout=out, stderr=out
        )
    stack.push_async_callback(stop, process)
    return Target(f"{runtime} {key}", api, process, log)


async def stop(process: asyncio.subprocess.Process) -> None:
    """SIGINT, as a person stopping the bot would; killed if it does not end within 30 s."""
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()


async def ready(target: Target) -> None:
    """Wait for the process's first long poll: it is up."""
    try:
        await target.api.wait_polling(timeout=180)
    except AssertionError:
        raise RuntimeError(f"{target.name} did not start polling:\n{target.log_tail()}") from None


async def calibrate(target: Target, count: int) -> None:
    """One applicant alone through the script, each reply taken as complete after :data:`QUIET`
    seconds without a new message: how many messages answer each step (also warms the process up)."""
    api, user = target.api, FIRST_USER - 1
    api.user(user, "Calibration", language_code="zh")
    target.replies = []
    for step in steps(min(count, len(SCRIPT))):
        before = api.count(user)
        await api.act(user, step)
        await api.until(user, before + 1)
        settled = api.count(user)
        while True:
            await asyncio.sleep(QUIET)
            if api.count(user) == settled:
                break
            settled = api.count(user)
        target.replies.append(settled - before)


@dataclass
class Round:
    """One run of one target: ``applicants`` applicants through ``steps`` steps at once."""

    replies: int
    seconds: float
    latencies: list[float]
    driver_cpu: float  # CPU seconds of this process (server + applicants) during the round
    target_cpu: float  # CPU seconds of the measured process during the round

    @property
    def per_second(self) -> float:
        return self.replies / self.seconds

    def quantile(self, q: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1]


def _user_ids(run: int, applicants: int, base: int) -> Iterator[int]:
    first = base + run * (applicants + 1)
    return iter(range(first, first + applicants))


async def measure_round(target: Target, run: int, applicants: int, count: int, *, base: int = FIRST_USER) -> Round:
    api = target.api
    script = steps(count)
    latencies: list[float] = []
    users = list(_user_ids(run, applicants, base))
    for user in users:
        api.user(user, f"Applicant {user}", language_code="zh")

    async def applicant(user: int) -> None:
        for index, step in enumerate(script):
            expected = api.count(user) + target.replies[index % len(target.replies)]
            began = time.perf_counter()
            await api.act(user, step)
            landed = await api.until(user, expected)
            latencies.append(landed - began)

    api.forget_calls()
    cpu_before, target_before = time.process_time(), cpu_seconds(target.process.pid)
    began = time.perf_counter()
    try:
        await asyncio.gather(*(applicant(user) for user in users))
    except RuntimeError as error:
        raise RuntimeError(f"{target.name}: {error}\n{target.log_tail()}") from None
    seconds = time.perf_counter() - began
    return Round(
        replies=len(latencies),
        seconds=seconds,
        latencies=latencies,
        driver_cpu=time.process_time() - cpu_before,
        target_cpu=cpu_seconds(target.process.pid) - target_before,
    )


# --------------------------------------------------------------------------- report


def spread(values: list[float], digits: int = 0) -> str:
    return f"{min(values):,.{digits}f} / {statistics.median(values):,.{digits}f} / {max(values):,.{digits}f}"


def triple(values: list[float]) -> list[float]:
    return [min(values), statistics.median(values), max(values)]


VARIANTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("echo", "echo bot", {"echo": True, "per_second": None}),
    ("bot30", "bot, 30 msg/s kept", {"echo": False, "per_second": None}),
    ("bot", "bot, limit lifted", {"echo": False, "per_second": 100_000}),
)


async def measure_runtime(runtime: str, runs: int, kept_runs: int, applicants: int, count: int) -> dict[str, Any]:
    """Start the echo bot and the bot twice (limit kept, limit lifted) side by side, then ``runs``
    rounds of each in turn (only one of them under load at a time; the others wait in a long poll);
    the bot with the limit kept only in the first ``kept_runs`` (its figure is the limit's, and a round
    of it takes applicants x steps / 30 seconds).

    Each measured round comes right after a short unmeasured one (a tenth of the applicants): a process
    that waited some seconds for its turn has let its HTTP client's pooled connections expire (httpx
    keeps them 5 s), and the first burst after that pays for it: PTB's echo bot answered a burst after
    12 idle seconds at a quarter of its speed, with four times the CPU per reply. The warm-up makes
    every round start from a process in use, as under a steady load."""
    async with AsyncExitStack() as stack:
        targets = {key: await launch(stack, runtime, key, **options) for key, _, options in VARIANTS}
        await asyncio.gather(*(ready(target) for target in targets.values()))
        await asyncio.gather(*(calibrate(target, count) for target in targets.values()))
        rounds: dict[str, list[Round]] = {key: [] for key in targets}
        for run in range(runs):
            for key, target in targets.items():
                if key == "bot30" and run >= kept_runs:
                    continue
                await measure_round(target, run, max(1, applicants // 10), count, base=FIRST_WARM_USER)
                rounds[key].append(await measure_round(target, run, applicants, count))
    print(
        f"  {runtime}: messages per reply {targets['bot'].replies} (bot), {targets['echo'].replies} (echo)", flush=True
    )
    result: dict[str, Any] = {}
    for key, label, _ in VARIANTS:
        done = rounds[key]
        rates = [r.per_second for r in done]
        p50 = [r.quantile(50) * 1000 for r in done]
        p99 = [r.quantile(99) * 1000 for r in done]
        driver = [r.driver_cpu / r.seconds * 100 for r in done]
        bot_cpu = [r.target_cpu / r.replies * 1000 for r in done]
        line = f"    {label:<19} {spread(rates)} replies/s   p50 {spread(p50)} ms   p99 {spread(p99)} ms"
        entry: dict[str, Any] = {"per_second": triple(rates), "p50_ms": triple(p50), "p99_ms": triple(p99)}
        if key != "echo":
            ratios = [r.per_second / e.per_second for r, e in zip(done, rounds["echo"][: len(done)], strict=True)]
            line += f"   bot / echo {spread(ratios, 3)}x"
            entry["ratio"] = triple(ratios)
        line += f"\n      CPU: measured process {spread(bot_cpu, 2)} ms per reply; server + applicants {spread(driver)}% of a core"
        entry["process_cpu_ms_per_reply"] = triple(bot_cpu)
        entry["server_cpu_percent"] = triple(driver)
        if max(driver) > 85:
            line += "  (near a whole core: the loopback server may set the pace here)"
        print(line, flush=True)
        result[key] = entry
    return result


async def measure(runtimes: list[str], runs: int, kept_runs: int, applicants: int, count: int) -> dict[str, Any]:
    print(
        f"Outside in: {applicants} applicants x {count} steps over HTTP, closed loop; "
        f"min / median / max over {runs} runs ({kept_runs} with the limit kept)"
    )
    return {runtime: await measure_runtime(runtime, runs, kept_runs, applicants, count) for runtime in runtimes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--applicants", type=int, default=100)
    parser.add_argument("--steps", type=int, default=len(SCRIPT), help=f"steps per applicant (default {len(SCRIPT)})")
    parser.add_argument("--runtimes", default="aiogram,ptb", help="comma-separated: aiogram, ptb")
    parser.add_argument("--kept-runs", type=int, help="runs of the bot with the 30 msg/s limit kept (default: --runs)")
    args = parser.parse_args()
    kept_runs = args.runs if args.kept_runs is None else min(max(args.kept_runs, 1), args.runs)
    runtimes = [name.strip() for name in args.runtimes.split(",") if name.strip()]
    began = time.perf_counter()
    result = asyncio.run(measure(runtimes, args.runs, kept_runs, args.applicants, args.steps))
    print(f"  ({time.perf_counter() - began:.0f} s in all)")
    print("RESULT " + json.dumps({"bench": "outside_in", "runs": args.runs, "runtimes": result}))


if __name__ == "__main__":
    main()
