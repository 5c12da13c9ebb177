"""Three webhook workers on PostgreSQL and Redis serve 500 applicants: in order, once, nothing lost.

Real processes (``python -m bot`` with WORKERS=3) against the fake Bot API;
the same run with one worker gives the baseline its throughput and p99 are
printed against (figures, never asserted: the machine is shared).
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from tests.services import postgres_database
from tests.telegram.botapi import Call, FakeBotAPI
from tests.workers.fleet import Figures, Step, applicant, start_fleet

REDIS_URL = "redis://127.0.0.1:6379/0"

#: What each update is answered with, in the applicant's language (en): one message each.
EXPECTED = {
    "/start": "Welcome! I help you find a talent program",
    "/help": "I answer questions about these talent programs",
    "album": "I was not expecting a file now.",  # the album on the main menu: one answer for both photos
}


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    yield from postgres_database()


@pytest.fixture()
async def api() -> AsyncIterator[FakeBotAPI]:
    """A bot id of this run's own: every Redis key of the bot is under it, and removed at the end."""
    bot_id = 7_000_000 + secrets.randbelow(1_000_000)
    async with FakeBotAPI(token=f"{bot_id}:WORKERS-TEST", bot_id=bot_id) as server:
        yield server
    redis = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in redis.scan_iter(match=f"desk:{bot_id}:*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


async def album_answered(api: FakeBotAPI, user_id: int) -> None:
    def answer(call: Call) -> bool:
        return call.params.get("chat_id") == user_id and str(call.params.get("text", "")).startswith(EXPECTED["album"])

    await api.wait_for(answer, timeout=60)


async def serve(
    api: FakeBotAPI, workers: int, applicants: range, database_url: str, tmp: Path
) -> tuple[Figures, dict[int, list[Step]], str]:
    fleet = await start_fleet(api, workers, database_url, REDIS_URL, tmp)
    counter = itertools.count()
    latencies: list[float] = []
    results: dict[int, list[Step]] = {}
    gate = asyncio.Semaphore(48)
    try:
        limits = httpx.Limits(max_connections=96, max_keepalive_connections=96)
        async with httpx.AsyncClient(limits=limits, timeout=60) as client:

            async def one(user_id: int) -> None:
                async with gate:
                    results[user_id] = await applicant(
                        api,
                        fleet.endpoint,
                        client,
                        user_id,
                        album=user_id % 5 == 0,
                        twice=lambda: next(counter) % 7 == 0,
                        latencies=latencies,
                    )

            began = time.monotonic()
            await asyncio.gather(*(one(user_id) for user_id in applicants))
            seconds = time.monotonic() - began  # every update answered 200 (albums gathered, not yet answered)
            # the albums' answers come after their quiet time
            await asyncio.gather(*(album_answered(api, u) for u in applicants if u % 5 == 0))
    finally:
        log = await fleet.stop()
    updates = sum(len(steps) for steps in results.values()) + len([u for u in applicants if u % 5 == 0])
    return Figures(workers, len(applicants), updates, seconds, latencies), results, log


def check(api: FakeBotAPI, results: dict[int, list[Step]], log: str) -> None:
    """Every update answered once (a racing retry added nothing), each answer after the one before it."""
    assert "Traceback" not in log, log
    for user_id, steps in results.items():
        sent = [message.get("text", "") for message in api.sent_to(user_id)]
        seen = [text for step in steps if step.kind == "text" for text in sent[step.before : step.after]]
        if steps[-1].kind == "album":  # last: its answer comes after its quiet time, maybe before its 200
            seen += sent[steps[-1].before :]
        wanted = [EXPECTED[step.text if step.kind == "text" else "album"] for step in steps]
        assert len(seen) == len(wanted), (user_id, [text[:32] for text in sent], steps)
        for text, start in zip(seen, wanted, strict=True):
            assert text.startswith(start), (user_id, seen)
        assert [step.after - step.before for step in steps if step.kind == "text"] == [1, 1], (user_id, sent)


async def test_three_workers_answer_every_update_of_500_applicants_in_order_and_once(
    api: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    one, one_results, one_log = await serve(api, 1, range(10_001, 10_061), database_url, tmp_path)
    print(f"\n{one.line()}")
    check(api, one_results, one_log)
    three, three_results, three_log = await serve(api, 3, range(20_001, 20_501), database_url, tmp_path)
    check(api, three_results, three_log)
    assert len(three_results) == 500
    print(f"\n{one.line()}\n{three.line()}")
    print(
        f"3 workers vs 1: {three.per_second / one.per_second:.2f}x applicants/s,"
        f" p99 {three.p99 / one.p99:.2f}x; duplicate deliveries raced to the workers and were answered once"
    )
