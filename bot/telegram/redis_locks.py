"""One holder at a time per key across every worker process, through Redis.

Several webhook workers may receive updates of one chat (Telegram opens up to
``max_connections`` connections, and a retry may reach another worker than the
first try). Each key's lock is a Redis key set with ``NX`` and a lease: the
holder renews it while it works, a crashed holder's lease runs out, and only
the holder (its random token) can release it. Why Redis and not PostgreSQL
advisory locks: an advisory lock lives in a database session, so every update
being handled would pin one pooled connection for its whole handling (Telegram
calls included) beside the connections the handling itself uses; and SQLite has
none. Waiters in one process queue on a local lock first, so only one of them
polls Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Hashable
from typing import Any

from redis.asyncio import Redis

from bot.telegram.locks import KeyedLocks

#: Compare-and-delete: only the holder's token releases the lock.
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
#: Compare-and-extend: the holder's heartbeat.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""


class RedisKeyedLocks:
    """``async with locks.hold(key):`` – the key's lock, shared by every process on the same Redis."""

    def __init__(
        self, redis: Redis, prefix: str, *, lease: float = 30.0, poll: float = 0.005, max_poll: float = 0.05
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.lease_ms = int(lease * 1000)
        self.poll = poll
        self.max_poll = max_poll
        self._local: KeyedLocks[Hashable] = KeyedLocks()
        self._release: Any = redis.register_script(_RELEASE)
        self._renew: Any = redis.register_script(_RENEW)
        #: How many times a taker found the key held by another process (a measure of cross-worker races).
        self.contended = 0

    @contextlib.asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        """Hold ``key``'s lock; from the call on, :meth:`held` says so (a waiter counts as a holder)."""
        wanting = f"{self.prefix}{key}:wanting"
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.incr(wanting)
            pipe.pexpire(wanting, self.lease_ms)
            await pipe.execute()
        try:
            async with self._take(key):
                yield
        finally:
            await self.redis.decr(wanting)

    @contextlib.asynccontextmanager
    async def _take(self, key: Hashable) -> AsyncIterator[None]:
        async with self._local(key):
            name = f"{self.prefix}{key}"
            token = secrets.token_hex(8)
            wait = self.poll
            while not await self.redis.set(name, token, nx=True, px=self.lease_ms):
                self.contended += 1
                await asyncio.sleep(wait)
                wait = min(wait * 2, self.max_poll)
            heartbeat = asyncio.get_running_loop().create_task(self._heartbeat(name, token))
            try:
                yield
            finally:
                heartbeat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await heartbeat
                await self._release(keys=[name], args=[token])

    async def held(self, key: Hashable) -> bool:
        """Whether some process holds ``key``'s lock now or waits for it (an album's owner asks: an
        update of the chat in hand or queued may be the album's next part)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.exists(f"{self.prefix}{key}")
            pipe.get(f"{self.prefix}{key}:wanting")
            held, wanting = await pipe.execute()
        return bool(held) or int(wanting or 0) > 0

    async def _heartbeat(self, name: str, token: str) -> None:
        while True:
            await asyncio.sleep(self.lease_ms / 3000)
            await self._renew(keys=[name], args=[token, self.lease_ms])


class LocalKeyedLocks:
    """The same interface within one process (the single-process default: no Redis needed)."""

    def __init__(self) -> None:
        self._locks: KeyedLocks[Hashable] = KeyedLocks()

    @contextlib.asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        async with self._locks(key):
            yield
