"""What several workers share through Redis, built in one place from REDIS_URL.

Every key is under one prefix of the bot's own (its id), so two bots, or two
test runs, on one Redis never see each other's keys. Without REDIS_URL none of
this is built and the in-process versions run (the single-process default).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from redis.asyncio import Redis

from bot.telegram.albums import Flush
from bot.telegram.redis_albums import RedisAlbumCollector
from bot.telegram.redis_locks import RedisKeyedLocks
from bot.telegram.redis_ratelimit import RedisRateLimiter
from bot.telegram.redis_throttle import RedisThrottle


class Coordination:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix
        #: Held while an update of a chat is checked, handled and recorded (order and once per chat).
        self.chat_locks = RedisKeyedLocks(redis, f"{prefix}chat:")
        #: Held while one applicant's event runs (an album and the text after it do not overtake).
        self.user_locks = RedisKeyedLocks(redis, f"{prefix}user:")

    @classmethod
    def from_url(cls, url: str, prefix: str) -> Coordination:
        return cls(Redis.from_url(url), prefix)

    def chat_lock(self) -> Callable[[int], AbstractAsyncContextManager[None]]:
        return self.chat_locks.hold

    def user_lock(self) -> Callable[[int], AbstractAsyncContextManager[None]]:
        return self.user_locks.hold

    def albums(self, flush: Flush, quiet: float) -> RedisAlbumCollector:
        return RedisAlbumCollector(self.redis, f"{self.prefix}album:", flush, quiet=quiet, busy=self.chat_locks.held)

    def throttle(self) -> RedisThrottle:
        return RedisThrottle(self.redis, f"{self.prefix}throttle:")

    def limiter(self, per_second: int) -> RedisRateLimiter:
        return RedisRateLimiter(self.redis, f"{self.prefix}limit:", per_second=per_second)

    async def close(self) -> None:
        await self.redis.aclose()
