"""The storage path: events through ``bot/service.py`` against a plain read-write-commit, and tail latency.

Run: ``.venv/bin/python bench/service.py [--database URL] [--runs 3] [--levels 1,10,50,200,1000]``

Issue 17 asks that one ordinary event cost little more than the database work it cannot avoid (read
the conversation, write it back, commit), and that replies stay quick with many applicants at once.
Each run, on a fresh database (a SQLite file in a temporary folder, or ``--database`` a PostgreSQL URL
whose tables are made in a schema of the run's own and dropped after):

- **events/s** of ``Desk.handle`` for one applicant walking the menus (start, information, a program,
  help, "my submissions"), against a **plain loop** on the same database (SQLAlchemy Core: select one
  row by key, update it, commit) with a state of the same size: the ratio is the figure to watch;
- **statements per event**, counted with a ``before_cursor_execute`` listener (BEGIN and COMMIT are
  not statements here);
- **CPU ms for /start** of a new applicant (``time.process_time``);
- **p50/p99 reply latency** with N applicants at once (asyncio tasks, each sending its events one
  after another, all started together), and errors (events that raised, e.g. SQLite's busy timeout).

Every figure is printed as min/median/max over the runs; ratios are taken within one run. Nothing is
asserted: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, event, select, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.service import Desk  # noqa: E402
from dialogs.events import ChoiceEvent, CommandEvent, Event, Reply  # noqa: E402
from dialogs.loader import Content, load_content  # noqa: E402
from storage.db import Database, make_engine  # noqa: E402
from storage.files import FileStore  # noqa: E402
from storage.migrate import migrate_engine  # noqa: E402

NOW = dt.datetime(2026, 11, 21, 4, 0, tzinfo=dt.UTC)
LEVELS = (1, 10, 50, 200, 1000)
#: What one applicant does, over and over: menus, a program's page, help, their submissions.
#: A name presses the button whose data ends with it, ``*`` the screen's first button, ``/start`` restarts.
SCRIPT = ("/start", "info", "*", "/start", "help", "/start", "mine", "/start", "lang")
#: Events per applicant at each concurrency level: enough for a p99, few enough for 1,000 applicants.
PER_USER = {1: 300, 10: 30, 50: 8, 200: 4, 1000: 2}
SINGLE_EVENTS = 300
#: The single-applicant figure alternates this many blocks of the service and of the plain loop.
BLOCKS = 10


def next_event(step: int, replies: list[Reply]) -> Event:
    """The script's event after these replies; a button that is not on the screen restarts."""
    want = SCRIPT[step % len(SCRIPT)]
    if want == "/start":
        return CommandEvent("start")
    buttons = [b.data for r in replies for row in (r.buttons or ()) for b in row]
    if want == "*":
        return ChoiceEvent(buttons[0]) if buttons else CommandEvent("start")
    chosen = next((data for data in buttons if data.endswith(":" + want)), None)
    return ChoiceEvent(chosen) if chosen else CommandEvent("start")


@dataclass
class Counter:
    statements: int = 0


@contextmanager
def counting(database: Database) -> Iterator[Counter]:
    counter = Counter()

    def count(*_args: Any) -> None:
        counter.statements += 1

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)


@dataclass
class Walker:
    """One applicant following :data:`SCRIPT`, resumable (the single-applicant figure alternates blocks
    of it with blocks of the plain loop, so that both see the same load on a shared machine)."""

    desk: Desk
    user: str
    step: int = 0
    replies: list[Reply] = field(default_factory=list)

    async def walk(self, events: int, latencies: list[float], errors: list[str]) -> None:
        for _ in range(events):
            began = time.perf_counter()
            event = next_event(self.step, self.replies)
            self.step += 1
            try:
                handled = await self.desk.handle("bench", self.user, event, NOW)
            except Exception as error:  # noqa: BLE001 - counted and shown: the bench must finish
                errors.append(type(error).__name__)
                self.replies = []
                continue
            latencies.append(time.perf_counter() - began)
            self.replies = handled.replies


async def user_walk(desk: Desk, user: str, events: int, latencies: list[float], errors: list[str]) -> None:
    await Walker(desk, user).walk(events, latencies, errors)


async def plain_table(database: Database, state: dict[str, Any]) -> Table:
    """The plain loop's table, with one row holding a state like the applicant's."""
    metadata = MetaData()
    table = Table(
        "bench_plain",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("key", String(64), unique=True),
        Column("state", Text),
        Column("version", Integer),
    )
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.execute(table.insert().values(key="bench:one", state=json.dumps(state), version=1))
    return table


async def plain_loop(database: Database, table: Table, events: int) -> float:
    """Seconds for ``events`` rounds of the least the service must do: read one row by key, write it back,
    commit."""
    began = time.perf_counter()
    for _ in range(events):
        async with database.engine.begin() as connection:
            row = (await connection.execute(select(table).where(table.c.key == "bench:one"))).one()
            loaded = json.loads(row.state)
            await connection.execute(
                update(table)
                .where(table.c.id == row.id, table.c.version == row.version)
                .values(state=json.dumps(loaded), version=row.version + 1)
            )
    return time.perf_counter() - began


@dataclass
class Run:
    service: float = 0.0
    plain: float = 0.0
    statements: float = 0.0
    start_cpu_ms: float = 0.0
    p50: dict[int, float] = field(default_factory=dict)
    p99: dict[int, float] = field(default_factory=dict)
    errors: dict[int, int] = field(default_factory=dict)


@contextmanager
def fresh_url(base: str | None) -> Iterator[str]:
    """A database of this run's own, and how to drop it."""
    if base is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite+aiosqlite:///{folder}/bench.db"
        return
    schema = f"bench_{secrets.token_hex(4)}"
    url = make_url(base)

    async def make() -> None:
        engine = make_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text(f"CREATE SCHEMA {schema}"))
        await engine.dispose()

    async def drop() -> None:
        engine = make_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        await engine.dispose()

    asyncio.run(make())
    try:
        yield url.render_as_string(hide_password=False) + f"#{schema}"
    finally:
        asyncio.run(drop())


def open_bench_database(url: str) -> Database:
    """The database of ``url``; a PostgreSQL URL carries its schema after ``#`` (put on the search path)."""
    if "#" in url:
        base, schema = url.split("#", 1)
        engine = make_engine(base)

        @event.listens_for(engine.sync_engine, "connect")
        def _search_path(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"SET search_path TO {schema}")
            cursor.close()
            dbapi_connection.commit()  # the driver opened a transaction for it: a rollback would undo it

        return Database(engine)
    return Database.open(url)


async def one_run(url: str, content: Content, levels: tuple[int, ...], tmp: Path, *, group: bool = True) -> Run:
    database = open_bench_database(url)
    await migrate_engine(database.engine)
    run = Run()
    try:
        desk = Desk(database, FileStore(tmp / "files"), lambda: content, default_lang="en")
        if not group:
            desk._group = None  # noqa: SLF001 - the figure without SQLite's group commit, for comparison
        # CPU of /start for a new applicant (the first is a warm-up: imports, caches)
        await desk.handle("bench", "warm", CommandEvent("start"), NOW)
        cpu = time.process_time()
        await desk.handle("bench", "cpu", CommandEvent("start"), NOW)
        run.start_cpu_ms = (time.process_time() - cpu) * 1000
        # one applicant, events one after another
        latencies: list[float] = []
        errors: list[str] = []
        single = Walker(desk, "single")
        await single.walk(len(SCRIPT), latencies, errors)  # warm-up, and the conversation the plain row copies
        async with database.uow() as uow:
            applicant = await uow.applicants.find("bench", "single")
            loaded = await uow.conversations.load(applicant.id, "bench") if applicant else None
        table = await plain_table(database, loaded[0] if loaded else {})
        service_seconds = plain_seconds = 0.0
        with counting(database) as counter:
            for _ in range(BLOCKS):
                began = time.perf_counter()
                await single.walk(SINGLE_EVENTS // BLOCKS, latencies, errors)
                service_seconds += time.perf_counter() - began
                counted = counter.statements
                plain_seconds += await plain_loop(database, table, SINGLE_EVENTS // BLOCKS)
                counter.statements = counted  # the plain loop's statements are not the service's
        run.service = SINGLE_EVENTS / service_seconds
        run.plain = SINGLE_EVENTS / plain_seconds
        run.statements = counter.statements / SINGLE_EVENTS
        # N applicants at once
        for level in levels:
            latencies, errors = [], []
            per_user = PER_USER.get(level, 2)
            await asyncio.gather(*(user_walk(desk, f"u{level}-{n}", per_user, latencies, errors) for n in range(level)))
            ordered = sorted(latencies) or [float("nan")]
            run.p50[level] = ordered[len(ordered) // 2]
            run.p99[level] = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
            run.errors[level] = len(errors)
    finally:
        await database.close()
    return run


def spread(values: list[float], unit: str = "", scale: float = 1.0, digits: int = 2) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return " / ".join(f"{v * scale:.{digits}f}" for v in (low, mid, high)) + unit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", help="a postgresql+asyncpg:// URL (default: a SQLite file per run)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-group", action="store_true", help="SQLite without group commit (for comparison)")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="concurrent applicants, e.g. 1,10,200")
    args = parser.parse_args(argv)
    levels = tuple(int(n) for n in args.levels.split(",") if n)
    content = load_content()
    runs: list[Run] = []
    for number in range(args.runs):
        with fresh_url(args.database) as url, tempfile.TemporaryDirectory() as tmp:
            runs.append(asyncio.run(one_run(url, content, levels, Path(tmp), group=not args.no_group)))
        print(f"run {number + 1}/{args.runs} done", file=sys.stderr)
    backend = "PostgreSQL" if args.database else "SQLite file"
    print(f"service path on {backend}, min / median / max over {len(runs)} runs")
    print(f"  service events/s (1 applicant)   {spread([r.service for r in runs], digits=0)}")
    print(f"  plain read-write-commit /s       {spread([r.plain for r in runs], digits=0)}")
    print(f"  service / plain                  {spread([r.service / r.plain for r in runs], 'x')}")
    print(f"  SQL statements per event         {spread([r.statements for r in runs])}")
    print(f"  CPU ms for /start                {spread([r.start_cpu_ms for r in runs], digits=1)}")
    for level in levels:
        p50 = spread([r.p50[level] for r in runs], " ms", 1000, 1)
        p99 = spread([r.p99[level] for r in runs], " ms", 1000, 1)
        errors = spread([float(r.errors[level]) for r in runs], digits=0)
        print(f"  {level:>5} at once: p50 {p50}   p99 {p99}   errors {errors}")

    def triple(values: list[float]) -> list[float]:
        return [min(values), statistics.median(values), max(values)]

    result = {
        "bench": "service",
        "database": backend,
        "per_second": triple([r.service for r in runs]),
        "plain_per_second": triple([r.plain for r in runs]),
        "ratio": triple([r.service / r.plain for r in runs]),
        "statements": triple([r.statements for r in runs]),
        "start_cpu_ms": triple([r.start_cpu_ms for r in runs]),
        "p50_ms": {str(n): triple([r.p50[n] * 1000 for r in runs]) for n in levels},
        "p99_ms": {str(n): triple([r.p99[n] * 1000 for r in runs]) for n in levels},
        "errors": {str(n): max(r.errors[n] for r in runs) for n in levels},
    }
    print("RESULT " + json.dumps(result))  # for python -m bench
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
