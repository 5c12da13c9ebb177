"""Per-user throttling: a token bucket, so a stuck key or a script cannot flood the bot.

A person tapping quickly is fine (a burst of ``burst`` events); beyond that each
user gets ``rate`` events a second. The first event over the limit is answered
with a note; the rest are dropped quietly until tokens return.

A bucket that has filled up again says nothing a new one would not, so buckets
idle that long are swept out (at most once every :data:`SWEEP_EVERY` seconds):
the map holds the users active in the last moments, not every user ever seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

#: Seconds between sweeps of the buckets that have filled up again.
SWEEP_EVERY = 60.0


@dataclass(slots=True)
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
        self._next_sweep = clock() + SWEEP_EVERY

    @property
    def users(self) -> int:
        """Users with a bucket now (those whose bucket has not filled up again since their last event).
        A property, not ``__len__``: an empty throttle must stay truthy (``throttle or Throttle()``)."""
        return len(self._buckets)

    def check(self, user_id: int) -> str:
        """``ok`` to handle the event, ``warn`` to drop it with a note, ``drop`` to drop it quietly."""
        now = self._clock()
        if now >= self._next_sweep:
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
        """Forget the buckets that are full again: a new bucket is full, and its warning unsent, too."""
        self._next_sweep = now + SWEEP_EVERY
        full = [user for user, b in self._buckets.items() if b.tokens + (now - b.at) * self.rate >= self.burst]
        for user in full:
            del self._buckets[user]
