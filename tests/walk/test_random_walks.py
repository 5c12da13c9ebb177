"""Random walks through the pure applicant engine (issue 14): whatever a person does, in any order, in
any of the three languages, with the clock in or out of the windows, through restarts, content
reloads and staff returning a submission, the engine never raises, its state reads back from JSON,
every screen has a way back or to the menu, Back returns to the screen shown before, and a restart
shows the same screen.

The walker (tests/walk/walker.py) is the one ``python -m bench.walk`` runs for a million steps; here
hypothesis draws each choice (so a failing walk is shrunk to a short one), derandomized and without a
database so the suite sees the same walks on every run. One test per language, so pytest-xdist spreads
them over its workers; each counts its steps and asserts them, together at least 20,000.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dialogs.engine import LANGUAGES
from dialogs.loader import Content
from tests.walk.walker import START, Failure, RandomChooser, Walker, World, new_walker, reproduces, shorten

#: Walks per language and steps per walk: 3 languages x 70 x 100 = 21,000 steps.
WALKS = 70
STEPS_PER_WALK = 100
MIN_STEPS = 20_000 // len(LANGUAGES) + 1


class DataChooser:
    """Each choice drawn by hypothesis, as an integer below the weights' sum (shrinks to the first option)."""

    def __init__(self, data: st.DataObject):
        self.data = data

    def index(self, weights: Sequence[int]) -> int:
        if len(weights) == 1:
            return 0
        cumulative, total = [], 0
        for w in weights:
            total += w
            cumulative.append(total)
        return bisect.bisect_right(cumulative, self.data.draw(st.integers(0, total - 1)))


def explain(failure: Failure) -> str:
    steps = "\n  ".join(failure.reproducer())
    return f"[{failure.kind}] {failure.signature}\n{failure.detail[:500]}\nsteps:\n  {steps}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_random_walks_keep_the_engine_whole(content: Content, lang: str) -> None:
    world = World.of(content)
    steps = 0

    @settings(
        max_examples=WALKS,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def walk(data: st.DataObject) -> None:
        nonlocal steps
        chooser = DataChooser(data)
        clocks = world.inside if chooser.index([3, 1]) == 0 else world.clocks
        walker = Walker(world, lang, clocks[chooser.index([1] * len(clocks))])
        failures = walker.apply(START)
        while True:
            assert not failures, explain(failures[0])
            if walker.steps >= STEPS_PER_WALK:
                break
            failures = walker.step(chooser)
        steps += walker.steps

    walk()
    assert steps >= MIN_STEPS


def test_a_walk_replays_to_the_same_screens_and_failures(content: Content) -> None:
    """Reproducers are lists of actions: replayed on a fresh walker they must do exactly what the walk did."""
    world = World.of(content)
    chooser = RandomChooser(random.Random(7))
    walker = new_walker(world, chooser)
    screens, found = [], [f.signature for f in walker.apply(START)]
    for _ in range(300):
        found += [f.signature for f in walker.step(chooser)]
        screens.append(walker.screen)
    again = Walker(world, walker.lang, walker.now)
    replayed_screens, replayed = [], []
    for action in walker.actions:
        replayed += [f.signature for f in again.apply(action)]
        replayed_screens.append(again.screen)
    assert replayed_screens[1:] == screens
    assert replayed == found
    assert again.driver.state == walker.driver.state


def test_a_shortened_reproducer_ends_in_the_same_failure(content: Content, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine has no known failure left to shorten, so one is planted: /help raises once a
    question has been answered. The walk reaches it after many unrelated steps; the shortened
    reproducer must still end in it, with fewer steps."""
    from dialogs.events import CommandEvent
    from tests import engine_driver
    from tests.walk import walker as walker_module

    real = walker_module.handle

    def planted(state, event, *args):  # type: ignore[no-untyped-def]
        if isinstance(event, CommandEvent) and event.name == "help" and state.facts:
            raise RuntimeError("planted defect")
        return real(state, event, *args)

    monkeypatch.setattr(walker_module, "handle", planted)
    monkeypatch.setattr(engine_driver, "handle", planted)
    world = World.of(content)
    chooser = RandomChooser(random.Random(3))
    walker = new_walker(world, chooser)
    failures = walker.apply(START)
    while not failures and walker.steps < 5000:
        failures = walker.step(chooser)
    assert failures, "the planted defect was not reached in 5,000 steps"
    assert "planted defect" in failures[0].detail
    short = shorten(world, failures[0], budget_seconds=5)
    assert len(short) < len(failures[0].actions)
    assert reproduces(world, failures[0], short)
