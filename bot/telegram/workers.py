"""``WORKERS=N``: N webhook processes on one port, started by ``python -m bot``.

Each worker is a whole bot (its own event loop, database pool and Telegram
session) listening on WEBHOOK_PORT with SO_REUSEPORT: the kernel hands each new
connection to one of them, so no dispatcher process sits in between (nothing
extra to run, to crash, or to copy every update through), and nginx in front
proxies to the one port as it would to one process. What they must agree on
is shared through PostgreSQL (the data, the outbox's leases, content versions
by LISTEN) and Redis (per-chat locks, albums, the throttle, Telegram's limits).
Processes are started with ``spawn``: nothing of the parent's state (a loop, a
connection) is inherited half-alive.

A worker that dies (a crash, the kernel's OOM killer) is started again after a
short, growing pause, so one bad moment does not take the others down and the
port keeps being served: an update the dead worker held was not answered, so
Telegram posts it again, and the once-only record and the per-chat lock keep it
from being handled twice. A worker that keeps dying (a wrong setting, a database
that refuses connections) is not restarted forever: after
:data:`CRASH_LIMIT` deaths within :data:`CRASH_WINDOW` seconds the whole set
stops with an error, as a supervisor (systemd) should then see.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Deaths of one worker within :data:`CRASH_WINDOW` seconds after which the set gives up.
CRASH_LIMIT = 5
CRASH_WINDOW = 60.0
#: The pause before a dead worker is started again: doubles with each death in the window.
FIRST_PAUSE = 0.5
LONGEST_PAUSE = 15.0


def run_worker(index: int, content: Path | None, start: dt.datetime | None) -> None:
    """One worker process: the bot, as ``python -m bot`` runs it alone, numbered ``index``."""
    import asyncio

    from bot.cli import _clock
    from bot.logredact import redact_token_in_logs
    from bot.settings import Settings
    from bot.telegram.runner import TelegramBot
    from dialogs.loader import SHIPPED

    logging.basicConfig(
        level=logging.INFO, format=f"%(asctime)s %(levelname)s worker{index} %(name)s: %(message)s", force=True
    )
    settings = Settings()
    assert settings.bot_token is not None
    redact_token_in_logs(settings.bot_token.get_secret_value())
    asyncio.run(TelegramBot(settings, content or SHIPPED, _clock(start), worker=index).run_until_stopped())


class _Slot:
    """One worker's place in the set: its current process and when it last died."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.process: BaseProcess | None = None
        self.deaths: deque[float] = deque()
        self.restart_at: float | None = None


class Supervisor:
    """Keeps ``count`` processes running ``target(index, *args)`` until told to stop.

    ``target`` must be importable (processes are spawned). Kept apart from the signal handling of
    :func:`serve_workers` so that it can be run and stopped from a test.
    """

    def __init__(self, count: int, target: Callable[..., None], args: tuple[Any, ...] = ()) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.target = target
        self.args = args
        self.slots = [_Slot(index) for index in range(count)]
        self.restarts = 0

    def _start(self, slot: _Slot) -> None:
        process = self.context.Process(
            target=self.target, args=(slot.index, *self.args), name=f"worker{slot.index}", daemon=False
        )
        process.start()
        slot.process, slot.restart_at = process, None

    def _stop_all(self) -> None:
        for slot in self.slots:
            if slot.process is not None and slot.process.is_alive():
                slot.process.terminate()  # SIGTERM: each worker stops cleanly
        for slot in self.slots:
            if slot.process is not None:
                slot.process.join()

    def run(self, stopping: Callable[[], bool], poll: float = 0.2) -> int:
        """Run until ``stopping()`` is true (exit status 0) or a worker keeps dying (1).

        A worker that ends with status 0 by itself was asked to stop (its own signal handling):
        the set stops with it. Any other end is a death: logged, and the worker started again.
        """
        for slot in self.slots:
            self._start(slot)
        try:
            while not stopping():
                now = time.monotonic()
                for slot in self.slots:
                    if slot.restart_at is not None:
                        if now >= slot.restart_at:
                            self.restarts += 1
                            self._start(slot)
                        continue
                    assert slot.process is not None
                    code = slot.process.exitcode
                    if code is None:
                        continue
                    if code == 0:
                        log.info("worker%d ended by itself; stopping the others", slot.index)
                        return 0
                    slot.deaths.append(now)
                    while slot.deaths and now - slot.deaths[0] > CRASH_WINDOW:
                        slot.deaths.popleft()
                    if len(slot.deaths) >= CRASH_LIMIT:
                        log.error(
                            "worker%d died %d times within %.0f s (last exit code %s); stopping all workers",
                            slot.index,
                            len(slot.deaths),
                            CRASH_WINDOW,
                            code,
                        )
                        return 1
                    pause = min(LONGEST_PAUSE, FIRST_PAUSE * 2 ** (len(slot.deaths) - 1))
                    log.error("worker%d died (exit code %s); starting it again in %.1f s", slot.index, code, pause)
                    slot.restart_at = now + pause
                time.sleep(poll)
            return 0
        finally:
            self._stop_all()


def serve_workers(count: int, content: Path | None, start: dt.datetime | None) -> int:
    """Start ``count`` workers and keep them running until SIGINT/SIGTERM; 1 if one keeps dying."""
    stop_requested = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return Supervisor(count, run_worker, (content, start)).run(lambda: stop_requested)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
