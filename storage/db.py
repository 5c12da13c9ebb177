"""Engines and the :class:`Database` handle the edges hold on to.

Created inside ``main()`` (never at import time). SQLite gets WAL (readers do not
block the writer, and a crash loses no committed event) and enforced foreign keys
on every new connection; the folder of a file database is created if missing so
the default ``sqlite+aiosqlite:///data/bot.db`` works on a fresh checkout.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.uow import UnitOfWork

DEFAULT_URL = "sqlite+aiosqlite:///data/bot.db"
#: Seconds a SQLite writer waits for another writer's transaction before failing.
SQLITE_BUSY_TIMEOUT = 15.0


def _json_default(value: object) -> Any:
    """Facts may hold dates or enums; store them as their plain JSON form instead of failing the commit."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dumps(value: object) -> str:
    # compact: a state is written with every event, and the spaces after separators were a tenth of it
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite URL, or None for other backends and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or parsed.query.get("uri"):
        return None
    return Path(database)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    from storage.sqlite_trips import one_trip  # only SQLite needs it (PostgreSQL never imports the adapter)

    one_trip(dbapi_connection)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # deleted rows (an applicant's data erased on request) are overwritten, not left in free pages
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(
            "PRAGMA synchronous=NORMAL"
        )  # safe with WAL: a power cut may lose the last commit, never corrupt
    finally:
        cursor.close()


def _skip_idle_rollbacks(engine: AsyncEngine) -> None:
    """Roll back or commit a SQLite connection only when it is inside a transaction.

    The pool rolls a connection back whenever it is returned, and closing a read's connection rolls its
    (autobegun) transaction back: on aiosqlite each is a trip to the connection's thread and back, one in
    five of an ordinary event's, for nothing, since ``sqlite3`` starts no transaction for a SELECT and
    itself skips a ROLLBACK or COMMIT outside one. Asking ``in_transaction`` (SQLite's autocommit flag)
    here keeps every real rollback and commit and saves the trip (and lets a write commit in its own
    statement's trip: :func:`storage.sqlite_trips.commit_in_trip`)."""
    dialect = engine.sync_engine.dialect
    rollback, commit = dialect.do_rollback, dialect.do_commit

    def idle(dbapi_connection: Any) -> bool:
        raw = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
        inner = getattr(raw, "_connection", None)  # the aiosqlite connection behind SQLAlchemy's adapter
        return inner is not None and getattr(inner, "_connection", None) is not None and not inner.in_transaction

    def do_rollback(dbapi_connection: Any) -> None:
        if not idle(dbapi_connection):
            rollback(dbapi_connection)

    def do_commit(dbapi_connection: Any) -> None:
        if not idle(dbapi_connection):
            commit(dbapi_connection)

    dialect.do_rollback = do_rollback  # type: ignore[method-assign]
    dialect.do_commit = do_commit  # type: ignore[method-assign]


def make_engine(url: str | URL = DEFAULT_URL, *, echo: bool = False) -> AsyncEngine:
    """An async engine for ``url`` with the connection settings the bot relies on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            parsed, echo=echo, json_serializer=_dumps, connect_args={"timeout": SQLITE_BUSY_TIMEOUT}
        )
        event.listen(engine.sync_engine, "connect", _sqlite_on_connect)
        _skip_idle_rollbacks(engine)
        return engine
    return create_async_engine(parsed, echo=echo, json_serializer=_dumps, pool_pre_ping=True)


def _pool_size(engine: AsyncEngine) -> int:
    """Connections the engine keeps open (1 for pools without a size: SQLite in memory)."""
    size = getattr(engine.sync_engine.pool, "size", None)
    return max(1, size()) if callable(size) else 1


class Database:
    """An engine and its session factory; hands out one :class:`UnitOfWork` per event.

    ``reads`` and ``writes`` bound how many units of work the service has open at once: waiting
    on an asyncio semaphore costs nothing, while events contending for pool connections or for
    SQLite's one write lock (busy waits of up to :data:`SQLITE_BUSY_TIMEOUT`) turned a burst into
    seconds of tail latency. SQLite has a single writer, so writes go one at a time in the process
    and a write transaction never waits for another of ours; PostgreSQL takes as many as the pool."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False, autoflush=True)
        pool = _pool_size(engine)
        self.reads = asyncio.Semaphore(pool)
        self.writes = asyncio.Semaphore(1 if engine.dialect.name == "sqlite" else pool)

    @classmethod
    def open(cls, url: str | URL = DEFAULT_URL, *, echo: bool = False) -> Database:
        return cls(make_engine(url, echo=echo))

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._sessions)

    async def close(self) -> None:
        await self.engine.dispose()


async def open_database(url: str | URL = DEFAULT_URL, *, run_migrations: bool = True) -> Database:
    """Migrate ``url`` to the newest schema (by default) and open it: what the bot does at start."""
    database = Database.open(url)
    if run_migrations:
        from storage.schema_head import at_head

        if not await at_head(database.engine):
            from storage.migrate import migrate_engine

            await migrate_engine(database.engine)
    return database
