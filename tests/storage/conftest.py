"""One contract, many backends: every storage test runs on SQLite (a file in tmp_path),
and on PostgreSQL too when ``TEST_POSTGRES_URL`` is set (e.g.
``postgresql+asyncpg://bot:bot@127.0.0.1/bot_test`` — the database is wiped)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database, make_engine, open_database
from tests.storage.factories import NOW


async def _wipe_postgres(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL with nothing in it yet."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'db' / 'bot.db'}"
    postgres = os.environ.get("TEST_POSTGRES_URL")
    if not postgres:
        pytest.skip("TEST_POSTGRES_URL is not set")
    await _wipe_postgres(postgres)
    return postgres


@pytest.fixture()
async def db(url: str) -> AsyncIterator[Database]:
    """A migrated database, as the bot opens it at start."""
    database = await open_database(url)
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
