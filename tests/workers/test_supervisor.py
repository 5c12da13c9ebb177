"""WORKERS=N: a worker that dies is started again, the others keep serving; one that keeps dying stops the set.

The supervisor is run with small stand-in workers (spawned like the real ones) that record their
process id in a folder, so the test sees which worker was started when without any Telegram traffic.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.telegram import workers
from bot.telegram.workers import Supervisor


def record_and_wait(index: int, folder: str) -> None:
    """A stand-in worker: says it is up, then serves until SIGTERM (exit status -SIGTERM)."""
    Path(folder, f"worker{index}.{os.getpid()}").touch()
    while True:
        time.sleep(0.05)


def die_at_once(index: int) -> None:
    """A stand-in worker that cannot start (think: a database refusing connections)."""
    os._exit(3)


def started(folder: Path, index: int) -> list[int]:
    return sorted(int(path.suffix[1:]) for path in folder.glob(f"worker{index}.*"))


def wait_for(condition: Callable[[], object], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_killed_worker_is_started_again_while_the_others_keep_running(tmp_path: Path) -> None:
    supervisor = Supervisor(2, record_and_wait, (str(tmp_path),))
    stop = threading.Event()
    outcome: list[int] = []
    thread = threading.Thread(target=lambda: outcome.append(supervisor.run(stop.is_set, poll=0.05)))
    thread.start()
    try:
        wait_for(lambda: started(tmp_path, 0) and started(tmp_path, 1))
        [first] = started(tmp_path, 0)
        [other] = started(tmp_path, 1)
        os.kill(first, signal.SIGKILL)  # the OOM killer, say
        wait_for(lambda: len(started(tmp_path, 0)) == 2)
        assert started(tmp_path, 1) == [other], "the other worker was left alone"
        assert supervisor.restarts == 1
    finally:
        stop.set()
        thread.join(30)
    assert outcome == [0]
    assert all(slot.process is not None and not slot.process.is_alive() for slot in supervisor.slots)


def test_worker_that_keeps_dying_stops_the_set_with_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "FIRST_PAUSE", 0.01)
    supervisor = Supervisor(1, die_at_once)
    assert supervisor.run(lambda: False, poll=0.02) == 1
    assert supervisor.restarts == workers.CRASH_LIMIT - 1
