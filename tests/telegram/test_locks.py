"""One lock per key, shared by staff review, the outbox worker and the applicant channel."""

from __future__ import annotations

import asyncio
import gc

from bot.telegram.locks import KeyedLocks


async def test_updates_of_one_key_wait_for_each_other_and_other_keys_do_not() -> None:
    locks: KeyedLocks[int] = KeyedLocks()
    order: list[str] = []

    async def work(key: int, name: str, pause: float) -> None:
        async with locks(key):
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    await asyncio.gather(work(1, "a", 0.05), work(1, "b", 0), work(2, "c", 0))
    assert order.index("a out") < order.index("b in")  # same chat: one after the other
    assert order.index("c in") < order.index("a out")  # another chat: not held up


async def test_a_lock_nobody_holds_or_waits_for_is_forgotten() -> None:
    locks: KeyedLocks[int] = KeyedLocks()
    async with locks(7):
        assert locks(7) is locks(7) and len(locks) == 1
    gc.collect()
    assert len(locks) == 0
