"""Whether a database is already at the newest schema, told without importing Alembic.

Alembic's import alone costs ~0.6 s of every start, and on a restart there is
nothing to migrate. The heads are read from the ``revision`` / ``down_revision``
lines of the migration files (the form ``script.py.mako`` writes); the database's
revision from ``alembic_version``. Only when they differ, or anything is unusual,
is Alembic imported and run (:func:`storage.migrate.migrate_engine`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


@functools.cache
def heads() -> frozenset[str] | None:
    """The head revisions of the migration files, or None when a file is not in the expected form."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for source in VERSIONS.glob("*.py"):
        found = dict(_LINE.findall(source.read_text(encoding="utf-8")))
        revision = re.fullmatch(r"""["']([^"']+)["']""", found.get("revision", "").strip())
        if revision is None or "down_revision" not in found:
            return None
        revisions.add(revision.group(1))
        parents.update(re.findall(r"""["']([^"']+)["']""", found["down_revision"]))
    return frozenset(revisions - parents) or None


async def at_head(engine: AsyncEngine) -> bool:
    """True when the database behind ``engine`` is at the newest revision (False when unsure)."""
    wanted = heads()
    if wanted is None:
        return False
    try:
        async with engine.connect() as connection:
            stored = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    except DBAPIError:  # no such table: a new database
        return False
    return frozenset(stored) == wanted
