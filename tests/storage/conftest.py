"""One contract, two backends: every storage test runs on SQLite (a file in tmp_path) and on
PostgreSQL (a database of the session's own on ``TEST_POSTGRES_URL``, by default the server every
machine here runs on 127.0.0.1:5432; see ``tests/services.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database, make_engine, open_database
from storage.models import Base
from tests.services import postgres_database, run_apart
from tests.storage.factories import NOW


@pytest.fixture(scope="session")
def postgres_session_url() -> Iterator[str]:
    yield from postgres_database()


#: Whether the session's PostgreSQL database holds the migrated schema (then a test only empties its tables).
_migrated: dict[str, bool] = {}


async def _on_postgres(url: str, *statements: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _wipe_postgres(url: str) -> None:
    await _on_postgres(url, "DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    _migrated[url] = False


async def _empty_postgres_tables(url: str) -> None:
    """Every table emptied and every id counter reset: the state a fresh migration leaves, in a fraction
    of its time (the migration itself is tested on an empty database by tests/storage/test_schema.py)."""
    tables = [t.name for t in Base.metadata.sorted_tables]
    await _on_postgres(url, f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture()
def url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL with nothing in it yet (synchronous, so that ``db`` can ask for it)."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'db' / 'bot.db'}"
    postgres = str(request.getfixturevalue("postgres_session_url"))
    run_apart(_wipe_postgres(postgres))
    return postgres


@pytest.fixture()
async def db(backend: str, request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    """A migrated database with nothing in it, as the bot opens it at start."""
    if backend == "sqlite" or "url" in request.fixturenames:
        target = str(request.getfixturevalue("url"))
    else:
        target = str(request.getfixturevalue("postgres_session_url"))
        if _migrated.get(target):
            await _empty_postgres_tables(target)
        else:
            await _wipe_postgres(target)
    database = await open_database(target)
    _migrated[target] = True
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture()
async def applicant_id(db: Database) -> int:
    async with db.uow() as uow:
        applicant = await uow.applicants.get_or_create("local", "alice", now=NOW)
        await uow.commit()
    return applicant.id
