"""The hostile-update fuzzer, short form: a few hundred schema-valid hostile updates per runtime
through the real bot over HTTP, and not one unhandled exception or word in a chat that should get
none. The full form (10,000 per runtime) is ``python -m tests.fuzz.hostile_updates`` (README)."""

from __future__ import annotations

import pytest

from tests.fuzz.hostile_updates import run

UPDATES = 300


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_hostile_updates_raise_nothing_and_reach_no_chat_that_should_get_none(runtime: str) -> None:
    counts = await run(runtime, UPDATES, seed=13, timeout=60)
    assert counts.sent == UPDATES and counts.handled == UPDATES - counts.not_delivered
    assert counts.unhandled == 0, counts.errors
    assert counts.wrong_chat == 0, counts.wrong
