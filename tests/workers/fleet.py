"""Webhook workers as real processes, and applicants posting to them as Telegram would.

``python -m bot`` is started with WORKERS=N against the fake Bot API (in the
test's process), PostgreSQL and Redis; every update is posted to the one
webhook port, where the kernel gives each connection to one worker. Each chat's
updates are posted one after another (Telegram sends a chat's next update once
the last was answered), chats side by side; some updates are delivered twice at
once (a retry racing the first try, on another connection and so maybe another
worker).
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bot.telegram.webhook import SECRET_HEADER
from tests.conftest import ROOT
from tests.telegram.botapi import FakeBotAPI

SECRET = "workers-test-secret"
PUBLIC_URL = "https://desk.example.invalid/telegram/webhook"  # recorded by the fake server, never called
PATH = "/telegram/webhook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Fleet:
    """The running ``python -m bot`` (its workers are its children) and where it listens."""

    process: asyncio.subprocess.Process
    port: int
    log: Path

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    async def stop(self) -> str:
        if self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 60)
        return self.log.read_text(encoding="utf-8", errors="replace")


async def start_fleet(api: FakeBotAPI, workers: int, database_url: str, redis_url: str, tmp: Path) -> Fleet:
    """``python -m bot`` with WORKERS=``workers``; returns once every worker listens."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "DEFAULT_LOCALE", "STAFF_CHAT"))}
    env.update(
        BOT_TOKEN=api.token,
        TELEGRAM_API_BASE=api.base,
        DATABASE_URL=database_url,
        FILES_DIR=str(tmp / "files"),
        STAFF_CHAT_ID="-1001",
        WEBHOOK_URL=PUBLIC_URL,
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_HOST="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WORKERS=str(workers),
        REDIS_URL=redis_url,
        TELEGRAM_PER_SECOND="100000",
        # a loaded machine (2 cores, CI beside other work: p99 of several seconds) may hold an album's
        # second part back longer than a second: the test is about workers, not about the quiet time
        ALBUM_QUIET_SECONDS="10",  # the fake server is not Telegram: measure the bot, not the limit
    )
    log = tmp / f"workers-{workers}.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=env, stdout=out, stderr=out
        )
    fleet = Fleet(process, port, log)
    deadline = time.monotonic() + 80
    while log.read_text(errors="replace").count(" listening on ") < workers:
        if process.returncode is not None or time.monotonic() > deadline:
            raise AssertionError(f"workers did not start:\n{await fleet.stop()}")
        await asyncio.sleep(0.1)
    return fleet


@dataclass
class Step:
    """One update of an applicant and what its posting saw."""

    kind: str  # "text" or "album"
    text: str = ""
    #: How many messages the chat held before and after the update was answered (200).
    before: int = 0
    after: int = 0


@dataclass
class Figures:
    workers: int
    applicants: int
    updates: int
    seconds: float
    latencies: list[float] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.applicants / self.seconds

    @property
    def updates_per_second(self) -> float:
        return self.updates / self.seconds

    @property
    def p99(self) -> float:
        return statistics.quantiles(self.latencies, n=100)[98]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)

    def line(self) -> str:
        return (
            f"{self.workers} worker(s): {self.applicants} applicants, {self.updates} updates in {self.seconds:.1f} s"
            f" = {self.per_second:.1f} applicants/s, {self.updates_per_second:.1f} updates/s;"
            f" p50 {self.p50 * 1000:.0f} ms, p99 {self.p99 * 1000:.0f} ms"
        )


PHOTO = b"\xff\xd8\xff\xe0" + b"scan" * 256


async def post(client: httpx.AsyncClient, endpoint: str, update: dict[str, Any]) -> None:
    answer = await client.post(endpoint, json=update, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 200, answer.text


async def applicant(
    api: FakeBotAPI,
    endpoint: str,
    client: httpx.AsyncClient,
    user_id: int,
    *,
    album: bool,
    twice: Callable[[], bool],
    latencies: list[float],
) -> list[Step]:
    """One applicant's updates, one after another; an album last (its answer comes after a quiet time)."""
    api.user(user_id, f"Applicant {user_id}", language_code="en")
    steps = [Step("text", "/start"), Step("text", "/help")]
    if album:
        steps.append(Step("album"))
    for step in steps:
        if step.kind == "text":
            updates = [await api.push_text(user_id, step.text)]
        else:
            updates = await api.push_album(user_id, [("photo", PHOTO, "", ""), ("photo", PHOTO[::-1], "", "")])
        step.before = len(api.sent_to(user_id))
        began = time.monotonic()
        # an album's parts come at once, as Telegram sends them; a retry races its first try
        sends: list[Awaitable[None]] = [
            post(client, endpoint, update) for update in updates for _ in range(2 if twice() else 1)
        ]
        await asyncio.gather(*sends)
        latencies.append(time.monotonic() - began)
        step.after = len(api.sent_to(user_id))
    return steps
