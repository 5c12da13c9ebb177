"""Alembic, driven from code: ``await migrate(url)`` brings a database to the newest schema at start.

There is no ``alembic.ini``: the configuration is built here, and the running
connection is handed to ``migrations/env.py`` (Alembic's "connection sharing"
recipe), so the same async engine settings (WAL, foreign keys) apply.

For developers, after changing :mod:`storage.models`::

    DATABASE_URL=sqlite+aiosqlite:///data/dev.db .venv/bin/python -m storage.migrate revision "what changed"
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import DEFAULT_URL, make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def migrate_engine(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine``; a database already at ``revision`` is left alone."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


async def migrate(url: str = DEFAULT_URL, revision: str = "head") -> None:
    """Upgrade the database at ``url`` (created if it is a missing SQLite file)."""
    engine = make_engine(url)
    try:
        await migrate_engine(engine, revision)
    finally:
        await engine.dispose()


def main(argv: list[str]) -> int:
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if argv[:1] == ["upgrade"]:
        asyncio.run(migrate(url))
        return 0
    if len(argv) == 2 and argv[0] == "revision":
        asyncio.run(migrate(url))  # autogenerate compares against an up-to-date database
        command.revision(alembic_config(url), message=argv[1], autogenerate=True)
        return 0
    print("usage: python -m storage.migrate upgrade | revision MESSAGE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
