"""The throttle holds the people writing now: a bucket idle long enough to be full again is forgotten."""

from __future__ import annotations

from bot.telegram.throttle import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_people_who_stopped_writing_are_forgotten() -> None:
    clock = Clock()
    throttle = Throttle(rate=1.0, burst=10, clock=clock)
    for user in range(1000):
        assert throttle.check(user) == "ok"
    assert throttle.tracked == 1000
    clock.now += 11  # longer than a bucket takes to fill up again
    assert throttle.check(5000) == "ok"
    assert throttle.tracked == 1


def test_someone_still_over_the_limit_keeps_their_bucket() -> None:
    clock = Clock()
    throttle = Throttle(rate=1.0, burst=2, clock=clock)
    assert [throttle.check(1) for _ in range(4)] == ["ok", "ok", "warn", "drop"]
    clock.now += 1.5  # a sweep is due, but user 1's bucket is not full yet
    assert throttle.check(2) == "ok"
    assert throttle.check(1) == "ok"  # the 1.5 tokens that came back, not a fresh burst of 2
    assert throttle.check(1) == "warn"


def test_a_forgotten_person_starts_with_a_full_burst() -> None:
    clock = Clock()
    throttle = Throttle(rate=1.0, burst=3, clock=clock)
    assert [throttle.check(7) for _ in range(4)] == ["ok", "ok", "ok", "warn"]
    clock.now += 10
    assert [throttle.check(7) for _ in range(4)] == ["ok", "ok", "ok", "warn"]
