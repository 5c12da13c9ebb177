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
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import signal
from pathlib import Path

log = logging.getLogger(__name__)


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


def serve_workers(count: int, content: Path | None, start: dt.datetime | None) -> int:
    """Start ``count`` workers and wait; SIGINT/SIGTERM (or one worker ending) stops them all."""
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=run_worker, args=(index, content, start), name=f"worker{index}", daemon=False)
        for index in range(count)
    ]
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for process in processes:
            process.start()
        while any(p.is_alive() for p in processes):
            if stopping or any(p.exitcode is not None for p in processes):
                for process in processes:
                    if process.is_alive() and process.pid is not None:
                        process.terminate()  # SIGTERM: each worker stops cleanly
                for process in processes:
                    process.join()
                break
            processes[0].join(timeout=0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    failed = [p.name for p in processes if p.exitcode not in (0, -signal.SIGTERM)]
    if failed and not stopping:
        log.error("workers ended: %s", ", ".join(failed))
    return 0 if stopping or not failed else 1
