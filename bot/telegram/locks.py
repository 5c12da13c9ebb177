"""One asyncio lock per key (a chat, a user): the updates of one key are handled one at a time.

Staff review holds a staff chat's lock while it handles an update from that chat, and the outbox
worker holds it while it posts a question there and records its prompt, so a reply never arrives
before its prompt is stored; the applicant channel holds a user's lock while it runs their event.
A lock lives while someone holds or waits for it: no map growing with every key ever seen.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class KeyedLocks(Generic[K]):
    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[K, asyncio.Lock] = weakref.WeakValueDictionary()

    def __call__(self, key: K) -> asyncio.Lock:
        """The lock of ``key`` (the same object for every caller while it is in use)."""
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock

    def __len__(self) -> int:
        """Locks alive now (held or waited for, or still referenced by a caller)."""
        return len(self._locks)
