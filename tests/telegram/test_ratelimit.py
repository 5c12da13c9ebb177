"""Telegram's limits as the limiter grants them, on a clock of the test's own (no waiting in real time)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from bot.telegram.ratelimit import RateLimitedGateway, RateLimiter
from bot.telegram.types import Keyboard, RetryLater


class VirtualTime:
    """A clock that a sleep moves forward: sends granted one after the other, as the outbox's lane does."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def most_in_any_window(times: Sequence[float], window: float) -> int:
    """The largest number of ``times`` inside any half-open interval ``window`` long."""
    ordered, most, start = sorted(times), 0, 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most


@pytest.fixture()
def time_() -> VirtualTime:
    return VirtualTime()


def limiter(time_: VirtualTime, **options: int) -> RateLimiter:
    return RateLimiter(clock=time_, sleep=time_.sleep, **options)  # type: ignore[arg-type]


async def test_no_more_than_thirty_sends_are_granted_in_any_second(time_: VirtualTime) -> None:
    limits = limiter(time_)
    granted = []
    for chat in range(300):
        await limits.acquire(chat)
        granted.append(time_())
    assert most_in_any_window(granted, 1.0) == 30
    assert most_in_any_window(granted, 1.05 - 1e-9) == 30  # with a margin for the calls' jitter
    assert granted[-1] - granted[0] >= (300 - 30) / 30  # never faster than the limit either


async def test_one_chat_is_sent_at_most_once_a_second(time_: VirtualTime) -> None:
    limits = limiter(time_)
    granted = []
    for _ in range(5):
        await limits.acquire(42)
        granted.append(time_())
    assert [round(b - a, 6) for a, b in zip(granted, granted[1:], strict=False)] == [1.0] * 4


async def test_a_group_gets_at_most_twenty_messages_a_minute(time_: VirtualTime) -> None:
    limits = limiter(time_)
    granted = []
    for _ in range(45):
        await limits.acquire(-1001)
        granted.append(time_())
    assert most_in_any_window(granted, 60.0) == 20
    assert most_in_any_window(granted, 1.0) == 1


async def test_an_album_counts_as_its_messages(time_: VirtualTime) -> None:
    limits = limiter(time_)
    await limits.acquire(7, cost=25)
    start = time_()
    await limits.acquire(8, cost=10)  # 35 in a second would be too many
    assert time_() - start == pytest.approx(1.05)


async def test_a_429_pauses_every_chat_until_its_retry_after_has_passed(time_: VirtualTime) -> None:
    limits = limiter(time_)
    await limits.acquire(1)
    limits.pause(7)
    paused_at = time_()
    await limits.acquire(2)  # another chat: Telegram's flood control is per bot
    assert time_() - paused_at == pytest.approx(7.0)
    assert (limits.pauses, limits.paused_seconds) == (1, pytest.approx(7.0))


async def test_a_reply_counts_in_its_chat_but_does_not_wait(time_: VirtualTime) -> None:
    """Replies to a person's own press go at once (their pace is the person's); the next notification
    to that chat waits its second after them."""
    limits = limiter(time_)
    start = time_()
    await limits.acquire(5, per_chat=False)
    await limits.acquire(5, per_chat=False)
    assert time_() == start
    await limits.acquire(5)
    assert time_() - start == pytest.approx(1.0)


class Flooded:
    """A gateway Telegram answers 429 once, then takes every text."""

    def __init__(self) -> None:
        self.sent: list[int] = []
        self.flood = True

    async def send_text(
        self,
        chat_id: int,
        text: str,
        keyboard: Keyboard | None = None,
        *,
        reply_to: int | None = None,
        force_reply: bool = False,
    ) -> int:
        if self.flood:
            self.flood = False
            raise RetryLater(3)
        self.sent.append(chat_id)
        return len(self.sent)


async def test_the_gateway_obeys_a_429_for_every_later_send(time_: VirtualTime) -> None:
    limits = limiter(time_)
    inner = Flooded()
    gateway = RateLimitedGateway(inner, limits, per_chat=True)  # type: ignore[arg-type]  # texts only
    with pytest.raises(RetryLater):
        await gateway.send_text(1, "hello")
    refused_at = time_()
    await gateway.send_text(2, "hello")
    assert time_() - refused_at == pytest.approx(3.0) and inner.sent == [2]
