"""The content version in force, read by the one-shot commands (``check``, ``ask``, ``programs``).

CONTRACT §4: every command reads the active version (the last one published or
rolled back to), or the shipped files when nothing was published. A command must
not create or migrate a database only to look: a SQLite file that does not exist,
or a database without versions, means nothing was published.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from dialogs.loader import Content

#: As :data:`storage.db.DEFAULT_URL` (not imported: that would load SQLAlchemy for every quick command).
DEFAULT_URL = "sqlite+aiosqlite:///data/bot.db"

log = logging.getLogger(__name__)


def load_active(url: str | None) -> Content | None:
    """The version in force at ``url`` (default: the bot's), or None when nothing was published there."""
    target = url or DEFAULT_URL
    path = _sqlite_path(target)
    if path is not None and not path.is_file():
        return None  # nothing was ever stored there; and no database library is loaded only to see that
    return asyncio.run(_newest(target))


def _sqlite_path(url: str) -> Path | None:
    """The file of a plain SQLite URL (``sqlite+aiosqlite:///data/bot.db``), read without SQLAlchemy."""
    scheme, sep, rest = url.partition(":///")
    if not sep or not scheme.startswith("sqlite") or not rest or rest.startswith(":memory:") or "?" in rest:
        return None
    return Path(rest)


async def _newest(url: str) -> Content | None:
    from sqlalchemy import inspect

    from dialogs.content_files import load_files
    from storage.db import Database

    database = Database.open(url)
    try:
        async with database.engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        if "content_versions" not in tables:
            return None
        async with database.uow() as uow:
            row = await uow.content_versions.latest()
        if row is None:
            return None
        return load_files({str(k): str(v) for k, v in dict(row.files).items()})
    finally:
        await database.close()
