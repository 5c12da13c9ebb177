"""The per-user throttle shared by every worker: one token bucket per user in Redis.

The same rule as :class:`bot.telegram.throttle.Throttle` (a burst of ``burst``
events, then ``rate`` a second, one note at the first event over the limit),
kept in one Lua script so that two workers taking a token at once cannot both
take the last one. Time is Redis's own clock, the one every worker shares. A
bucket left alone expires once it would be full again: no entry per user ever
seen.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

#: KEYS[1] the user's bucket; ARGV rate, burst. Returns "ok", "warn" or "drop".
_CHECK = """
local t = redis.call('time')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = redis.call('hmget', KEYS[1], 'tokens', 'at', 'warned')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
local warned = state[3] == '1'
tokens = math.min(burst, tokens + (now - at) * rate)
local verdict
if tokens >= 1 then
  tokens = tokens - 1
  warned = false
  verdict = 'ok'
elseif warned then
  verdict = 'drop'
else
  warned = true
  verdict = 'warn'
end
redis.call('hset', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now), 'warned', warned and '1' or '0')
redis.call('pexpire', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return verdict
"""


class RedisThrottle:
    """:class:`bot.telegram.throttle.Throttle`'s ``verdict``, over Redis."""

    def __init__(self, redis: Redis, prefix: str, *, rate: float = 1.0, burst: int = 10) -> None:
        self.redis = redis
        self.prefix = prefix
        self.rate = rate
        self.burst = burst
        self._check: Any = redis.register_script(_CHECK)

    async def verdict(self, user_id: int) -> str:
        """``ok`` to handle the event, ``warn`` to drop it with a note, ``drop`` to drop it quietly."""
        answer = await self._check(keys=[f"{self.prefix}{user_id}"], args=[self.rate, self.burst])
        return answer.decode() if isinstance(answer, bytes) else str(answer)
