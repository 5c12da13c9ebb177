"""Telegram's overall limit shared by every worker: one sliding window of grants in Redis.

Telegram counts a bot's messages per bot, whichever process sends them: with
three workers each keeping its own 30-a-second window, the bot would send 90.
:class:`RedisRateLimiter` keeps :class:`bot.telegram.ratelimit.RateLimiter`'s
rules but takes the overall window (and a 429's pause) from Redis, in one Lua
script on Redis's clock. The per-chat spacing stays in the process: a chat's
notifications are sent by the one worker that claimed them from the outbox, and
replies are paced by the person.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from redis.asyncio import Redis

from bot.telegram.ratelimit import PER_SECOND, WINDOW, RateLimiter

log = logging.getLogger(__name__)

#: KEYS[1] grant times (a sorted set), KEYS[2] paused-until. ARGV per_second, window, cost, member id.
#: Returns 0 when granted, else the seconds to wait before asking again.
_GRANT = """
local t = redis.call('time')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local per_second, window, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local paused = tonumber(redis.call('get', KEYS[2]) or '0')
if paused > now then return tostring(paused - now) end
redis.call('zremrangebyscore', KEYS[1], '-inf', now - window)
local count = redis.call('zcard', KEYS[1])
if count + cost > per_second then
  local oldest = redis.call('zrange', KEYS[1], count + cost - per_second - 1, count + cost - per_second - 1, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + window - now)
end
for i = 1, cost do redis.call('zadd', KEYS[1], now, ARGV[4] .. ':' .. i) end
redis.call('pexpire', KEYS[1], math.ceil(window * 1000) + 1000)
return '0'
"""
#: KEYS[1] paused-until; ARGV seconds. Moves the pause's end later, never earlier.
_PAUSE = """
local t = redis.call('time')
local until_ = tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[1])
local current = tonumber(redis.call('get', KEYS[1]) or '0')
if until_ > current then
  redis.call('set', KEYS[1], tostring(until_), 'PX', math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
end
return 0
"""


class RedisRateLimiter(RateLimiter):
    def __init__(
        self, redis: Redis, prefix: str, *, per_second: int = PER_SECOND, window: float = WINDOW, **kwargs: Any
    ) -> None:
        super().__init__(per_second=per_second, window=window, **kwargs)
        self.redis = redis
        self.prefix = prefix
        self._grant: Any = redis.register_script(_GRANT)
        self._pause: Any = redis.register_script(_PAUSE)
        self._pauses: set[asyncio.Task[Any]] = set()

    def pause(self, seconds: float) -> None:
        """A 429 pauses this worker at once and every other through Redis."""
        super().pause(seconds)
        task = asyncio.get_running_loop().create_task(self._pause(keys=[f"{self.prefix}paused"], args=[seconds]))
        self._pauses.add(task)
        task.add_done_callback(self._pauses.discard)

    async def _overall(self, cost: int) -> float:
        keys = [f"{self.prefix}granted", f"{self.prefix}paused"]
        while True:
            if (local := self.paused_until - self._clock()) > 0:  # this worker's own 429, before Redis has it
                await self._sleep(local)
                continue
            member = secrets.token_hex(6)
            wait = float(await self._grant(keys=keys, args=[self.per_second, self.window, cost, member]))
            if wait <= 0:
                return self._clock()
            await self._sleep(max(wait, 0.001))
