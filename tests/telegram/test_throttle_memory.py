"""The throttle remembers the users of the last moments only, and forgetting one changes no verdict."""

from __future__ import annotations

from bot.telegram.throttle import SWEEP_EVERY, Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_users_whose_bucket_filled_up_again_are_forgotten() -> None:
    clock = Clock()
    throttle = Throttle(rate=1.0, burst=3, clock=clock)
    for user in range(10_000):
        assert throttle.check(user) == "ok"
    assert throttle.users == 10_000
    clock.now += SWEEP_EVERY
    assert throttle.check(42) == "ok"
    assert throttle.users == 1  # only the one who just wrote


def test_a_user_still_over_the_limit_is_kept_and_stays_throttled() -> None:
    clock = Clock()
    throttle = Throttle(rate=0.01, burst=2, clock=clock)  # a token every 100 s
    assert [throttle.check(7) for _ in range(4)] == ["ok", "ok", "warn", "drop"]
    clock.now += SWEEP_EVERY  # 0.6 of a token back: not full, so not forgotten
    assert throttle.check(8) == "ok"
    assert throttle.users == 2
    assert throttle.check(7) == "drop"  # still over the limit, and already warned


def test_a_forgotten_user_gets_a_full_burst_as_a_remembered_one_would() -> None:
    clock = Clock()
    throttle = Throttle(rate=1.0, burst=3, clock=clock)
    assert [throttle.check(7) for _ in range(4)] == ["ok", "ok", "ok", "warn"]
    clock.now += SWEEP_EVERY
    assert throttle.check(8) == "ok"  # sweeps: 7's bucket is full again
    assert [throttle.check(7) for _ in range(4)] == ["ok", "ok", "ok", "warn"]
