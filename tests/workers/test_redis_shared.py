"""What workers share through Redis, seen from two "workers" (two instances on one Redis prefix)."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.telegram.redis_albums import RedisAlbumCollector
from bot.telegram.redis_locks import RedisKeyedLocks
from bot.telegram.redis_ratelimit import RedisRateLimiter
from bot.telegram.redis_throttle import RedisThrottle
from bot.telegram.types import IncomingFile, IncomingMessage, Person

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture()
async def redis() -> AsyncIterator[tuple[Redis, str]]:
    """A connection and a key prefix of this test's own; its keys are removed at the end."""
    client = Redis.from_url(REDIS_URL)
    prefix = f"desk-test:{secrets.token_hex(6)}:"
    try:
        yield client, prefix
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def test_two_workers_holding_one_chats_lock_never_overlap(redis: tuple[Redis, str]) -> None:
    client, prefix = redis
    workers = [RedisKeyedLocks(client, f"{prefix}chat:", poll=0.001), RedisKeyedLocks(client, f"{prefix}chat:")]
    counter = f"{prefix}counter"
    await client.set(counter, 0)

    async def bump(locks: RedisKeyedLocks) -> None:
        async with locks.hold(42):
            value = int(await client.get(counter) or 0)  # read, yield, write: lost without the lock
            await asyncio.sleep(0)
            await client.set(counter, value + 1)

    await asyncio.gather(*(bump(workers[n % 2]) for n in range(60)))
    assert int(await client.get(counter) or 0) == 60
    assert not await workers[0].held(42)  # released at the end
    assert workers[0].contended + workers[1].contended > 0  # they did meet


async def test_the_throttle_counts_a_users_events_on_every_worker_together(redis: tuple[Redis, str]) -> None:
    client, prefix = redis
    first, second = (RedisThrottle(client, f"{prefix}throttle:", rate=0.001, burst=3) for _ in range(2))
    verdicts = [await (first if n % 2 else second).verdict(7) for n in range(5)]
    assert verdicts == ["ok", "ok", "ok", "warn", "drop"]
    assert await first.verdict(8) == "ok"  # another user has a bucket of their own


def photo(message_id: int, group: str) -> IncomingMessage:
    file = IncomingFile(f"file-{message_id}", f"photo-{message_id}.jpg", 1000, "image/jpeg", "photo")
    return IncomingMessage(7, True, message_id, Person(7, "张三", "zh"), None, file, group)


async def test_an_albums_parts_stored_by_two_workers_are_answered_once_by_one(redis: tuple[Redis, str]) -> None:
    client, prefix = redis
    answered: list[list[int]] = []

    async def flush(parts: list[IncomingMessage]) -> None:
        answered.append([part.message_id for part in parts])

    first, second = (RedisAlbumCollector(client, f"{prefix}album:", flush, quiet=0.2) for _ in range(2))
    await second.put(photo(12, "g1"))
    await first.put(photo(11, "g1"))
    await second.put(photo(13, "g1"))
    await asyncio.gather(first.drain(), second.drain())
    assert answered == [[11, 12, 13]]  # one answer, in Telegram's order, whichever worker stored a part


async def test_two_workers_together_keep_telegrams_overall_limit(redis: tuple[Redis, str]) -> None:
    """Each worker alone would grant ``per_second`` a window; sharing Redis, both together do."""
    client, prefix = redis
    first, second = (RedisRateLimiter(client, f"{prefix}limit:", per_second=10, window=0.5) for _ in range(2))
    granted: list[tuple[float, str]] = []

    async def send(limiter: RedisRateLimiter, name: str, chat_id: int) -> None:
        await limiter.acquire(chat_id, per_chat=False)
        granted.append((time.monotonic(), name))

    await asyncio.gather(
        *(send(first, "first", chat) for chat in range(20)), *(send(second, "second", chat) for chat in range(20))
    )
    times = sorted(at for at, _ in granted)
    assert len(times) == 40 and {name for _, name in granted} == {"first", "second"}
    # Ten grants a window across both workers (less a margin: a grant is recorded here a moment after
    # Redis made it); two windows of their own would have let twenty through in the first half second.
    for index, start in enumerate(times):
        assert sum(1 for at in times[index:] if at < start + 0.45) <= 10


async def test_a_429_seen_by_one_worker_holds_the_other_worker_too(redis: tuple[Redis, str]) -> None:
    client, prefix = redis
    first, second = (RedisRateLimiter(client, f"{prefix}limit:", per_second=30) for _ in range(2))
    first.pause(0.4)  # Telegram answered the first worker 429 retry_after 0.4 s
    await asyncio.sleep(0.05)  # the pause reaches Redis
    began = time.monotonic()
    await second.acquire(7, per_chat=False)
    assert time.monotonic() - began >= 0.3
