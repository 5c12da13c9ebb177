"""A restart does not redo what the last run did: content and its index come from the cache, the schema at
head is not migrated, and the same files are not loaded twice. Each runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.content_cache import ContentCache
from bot.content_live import LiveContent
from dialogs.content_files import load_files, read_folder
from dialogs.loader import SHIPPED, Content
from storage.db import Database, open_database
from storage.migrate import alembic_config, migrate
from storage.schema_head import at_head, heads


def test_the_heads_read_from_the_migration_files_are_alembics() -> None:
    assert heads() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


async def test_a_migrated_database_is_at_head_and_a_new_one_is_not(url: str) -> None:
    fresh = Database.open(url)
    try:
        assert not await at_head(fresh.engine)
    finally:
        await fresh.close()
    migrated = await open_database(url)
    try:
        assert await at_head(migrated.engine)
        async with migrated.engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        assert not await at_head(migrated.engine)  # an older schema is migrated at the next start
    finally:
        await migrated.close()


async def test_a_database_behind_the_code_is_migrated_at_start(url: str) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    [head] = script.get_heads()
    previous = script.get_revision(head).down_revision
    assert isinstance(previous, str)
    await migrate(url, previous)  # the database of the bot before the newest migration
    database = await open_database(url)
    try:
        assert await at_head(database.engine)
    finally:
        await database.close()


class CountingLoads:
    """The loader LiveContent is given, counting how many file sets it really loads."""

    def __init__(self) -> None:
        self.loads = 0

    def __call__(self, files: Mapping[str, str]) -> Content:
        self.loads += 1
        return load_files(dict(files))


async def test_a_restart_on_unchanged_files_loads_them_once(url: str, tmp_path: Path) -> None:
    database = await open_database(url)
    try:
        first = CountingLoads()
        await LiveContent(database, disk=SHIPPED, load=first).start(watch=False)
        assert first.loads == 1  # the disk's files, seeded as version 1
        again = CountingLoads()
        live = LiveContent(database, disk=SHIPPED, load=again)
        await live.start(watch=False)
        assert again.loads == 1  # version 1 from the database; the same files on disk are not loaded again
        assert live.number == 1
    finally:
        await database.close()


async def test_a_restart_runs_on_the_cached_content_with_its_index(url: str, tmp_path: Path) -> None:
    from dialogs.question_index import _CACHE
    from dialogs.question_reading import forget_readings, read

    cache = ContentCache(tmp_path / "cache")
    database = await open_database(url)
    try:
        await LiveContent(database, disk=SHIPPED, load=cache.load).start(watch=False)
        assert len(list((tmp_path / "cache").glob("content-*.pickle"))) == 1
        live = LiveContent(database, disk=SHIPPED, load=cache.load)
        await live.start(watch=False)
        assert id(live()) in _CACHE  # its index came with it: no applicant's question waits for one
        fresh = load_files(read_folder(SHIPPED))
        assert live().version == fresh.version
        question = "援疆项目什么时候截止 who do I call"
        cached_reading = read(question, live())
        forget_readings()
        assert cached_reading == read(question, fresh)
    finally:
        await database.close()
