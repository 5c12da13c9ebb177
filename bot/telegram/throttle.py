"""Per-user throttling: a token bucket, so a stuck key or a script cannot flood the bot.

A person tapping quickly is fine (a burst of ``burst`` events); beyond that each
user gets ``rate`` events a second. The first event over the limit is answered
with a note; the rest are dropped quietly until tokens return.

A bucket that has filled up again says nothing a new one would not, so buckets idle
that long are forgotten (swept now and then, on the clock of the checks): the
throttle holds the people writing now, not everyone ever seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class Verdicts(Protocol):
    """A throttle: this one in the process, or :class:`bot.telegram.redis_throttle.RedisThrottle`."""

    async def verdict(self, user_id: int) -> str: ...


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class Throttle:
    def __init__(self, *, rate: float = 1.0, burst: int = 10, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        #: Seconds after which an idle bucket is full again, and so no different from a new one.
        self.idle = burst / rate
        self._swept = clock()

    @property
    def tracked(self) -> int:
        """How many people the throttle holds a bucket for (not ``__len__``: an empty throttle must
        stay truthy, callers write ``throttle or Throttle()``)."""
        return len(self._buckets)

    def check(self, user_id: int) -> str:
        """``ok`` to handle the event, ``warn`` to drop it with a note, ``drop`` to drop it quietly."""
        now = self._clock()
        if now - self._swept >= self.idle:
            self._sweep(now)
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return "ok"
        if bucket.warned:
            return "drop"
        bucket.warned = True
        return "warn"

    def _sweep(self, now: float) -> None:
        """Forget the buckets idle long enough to be full: at most once per ``idle`` seconds, so the
        cost per check stays constant however many people wrote."""
        self._swept = now
        stale = [user for user, bucket in self._buckets.items() if now - bucket.at >= self.idle]
        for user in stale:
            del self._buckets[user]

    async def verdict(self, user_id: int) -> str:
        """:meth:`check`, awaitable like the Redis throttle's (the desk calls this one)."""
        return self.check(user_id)
