"""Migrations at start: a fresh database gets the schema, a restart changes nothing, SQLite runs in WAL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from storage.db import Database, _sqlite_on_connect, make_engine, open_database
from storage.migrate import migrate
from storage.models import Base
from tests.storage.factories import NOW

TABLES = {"applicants", "conversations", "submissions", "documents", "status_history", "outbox"}


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def test_migrate_creates_every_table_on_a_fresh_database(url: str) -> None:
    assert not await _tables(url) & TABLES
    await migrate(url)
    assert await _tables(url) >= TABLES


async def test_migrating_again_on_restart_keeps_data_and_version(url: str) -> None:
    await migrate(url)
    database = Database.open(url)
    async with database.uow() as uow:
        await uow.applicants.get_or_create("local", "alice", now=NOW)
        await uow.commit()
    await database.close()

    await migrate(url)
    await migrate(url)

    database = Database.open(url)
    try:
        async with database.engine.connect() as connection:
            versions = (await connection.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert versions == [(_head(),)]
        async with database.uow() as uow:
            assert await uow.applicants.find("local", "alice") is not None
    finally:
        await database.close()


async def test_migrations_match_the_models(db: Database) -> None:
    """A model changed without a migration would show up here as a difference."""

    def differences(sync_connection: Connection) -> list[object]:
        context = MigrationContext.configure(sync_connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with db.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_sqlite_runs_in_wal_mode_with_foreign_keys_enforced(tmp_path: Path) -> None:
    db = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    try:
        async with db.engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await db.close()


async def test_sqlite_overwrites_deleted_rows_so_erased_data_is_not_left_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    db = await open_database(f"sqlite+aiosqlite:///{path}")
    secret = "阿依古丽 13912345678 erased"
    try:
        async with db.engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA secure_delete"))).scalar() == 1
        async with db.uow() as uow:
            applicant = await uow.applicants.get_or_create("tg", "9001", now=NOW)
            await uow.applicants.set_contact(applicant.id, now=NOW, name=secret)
            await uow.commit()
        async with db.uow() as uow:
            await uow.applicants.delete(applicant.id)
            await uow.commit()
        async with db.engine.connect() as connection:
            await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        await db.close()
    assert secret.encode() not in path.read_bytes()
    # the bot's connections say so themselves, whatever the SQLite build's default is
    raw = sqlite3.connect(tmp_path / "other.db")
    try:
        raw.execute("PRAGMA secure_delete=OFF")
        _sqlite_on_connect(raw, None)
        assert raw.execute("PRAGMA secure_delete").fetchone() == (1,)
    finally:
        raw.close()


async def test_missing_folders_of_a_sqlite_file_are_created(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "bot.db"
    database = await open_database(f"sqlite+aiosqlite:///{path}")
    await database.close()
    assert path.is_file()


def _head() -> str:
    """The newest migration: a restart leaves the database there."""
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
