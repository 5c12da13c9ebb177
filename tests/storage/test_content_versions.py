"""Content versions in the database: seeded, published, refused, rolled back, followed by every process.

Each runs on SQLite and on PostgreSQL (the ``url`` fixture: an empty database of either).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.content_live import LiveContent
from bot.publishing import Publisher, PublishRefused
from dialogs.content_files import read_folder
from dialogs.loader import SHIPPED, load_content
from dialogs.problems import ContentError
from storage.db import Database, open_database
from tests.conftest import ROOT

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
SX = "programs/sx-state-allowance-2023.yaml"
CITY_CLOSES = "closes: {date: 2023-03-31}"


def moved(files: dict[str, str], new_date: str = "2024-03-29") -> dict[str, str]:
    """The files with Yangquan's deadline moved: a change every reader of the programs sees."""
    changed = dict(files)
    assert CITY_CLOSES in changed[SX]
    changed[SX] = changed[SX].replace(CITY_CLOSES, f"closes: {{date: {new_date}}}")
    return changed


def deadline(live: LiveContent) -> dt.date:
    return live().program("sx-state-allowance-2023").milestone("city-materials").closes.date


async def started(url: str, disk: Path = SHIPPED) -> tuple[Database, LiveContent]:
    database = await open_database(url)
    live = LiveContent(database, disk=disk)
    await live.start(watch=False)
    return database, live


async def test_an_empty_database_starts_on_the_shipped_files_as_version_one(url: str) -> None:
    database, live = await started(url)
    try:
        assert live.number == 1
        assert live().version == load_content().version
        async with database.uow() as uow:
            [row] = await uow.content_versions.listing()
            [entry] = await uow.audit.latest()
        assert (row.kind, row.actor) == ("seed", "system")
        assert set(row.files) == set(read_folder(SHIPPED))
        assert (entry.action, entry.target) == ("seed", "v1")
    finally:
        await database.close()


async def test_a_restart_runs_the_newest_version_not_the_files_on_disk(url: str) -> None:
    database, live = await started(url)
    publisher = Publisher(database, live)
    _, files = await publisher.active_files()
    number = await publisher.publish(await publisher.prepare(moved(files)), actor="tg:1", now=NOW)
    await database.close()

    database, again = await started(url)
    try:
        assert again.number == number == 2
        assert deadline(again) == dt.date(2024, 3, 29)
    finally:
        await database.close()


async def test_a_broken_file_on_disk_does_not_stop_the_start(url: str, content_copy: Path) -> None:
    database, _ = await started(url)
    await database.close()
    (content_copy / SX).write_text("id: [", encoding="utf-8")

    database, live = await started(url, content_copy)
    try:
        assert live.number == 1 and live().version == load_content().version
        assert live.disk_problems and live.disk_problems[0].file == f"content/{SX}"
    finally:
        await database.close()


async def test_a_broken_folder_on_an_empty_database_runs_the_shipped_files(url: str, content_copy: Path) -> None:
    (content_copy / "facts.yaml").write_text("facts: [", encoding="utf-8")
    database, live = await started(url, content_copy)
    try:
        assert live.number == 1 and live().version == load_content().version
        assert any(problem.file == "content/facts.yaml" for problem in live.disk_problems)
    finally:
        await database.close()


async def test_a_broken_version_is_refused_and_the_running_one_untouched(url: str) -> None:
    database, live = await started(url)
    publisher = Publisher(database, live)
    try:
        _, files = await publisher.active_files()
        broken = dict(files)
        broken[SX] = files[SX].replace(CITY_CLOSES, "closes: {date: 2024-02-30}")
        with pytest.raises(ContentError) as refused:
            await publisher.prepare(broken)
        [problem] = refused.value.problems
        assert problem.file == f"content/{SX}" and "deadlines[0].closes.date" in problem.field
        assert problem.line == files[SX].splitlines().index("    " + CITY_CLOSES) + 1
        async with database.uow() as uow:
            assert await uow.content_versions.latest_number() == 1
        assert live.number == 1 and deadline(live) == dt.date(2023, 3, 31)
    finally:
        await database.close()


async def test_publishing_the_same_files_again_is_refused(url: str) -> None:
    database, live = await started(url)
    publisher = Publisher(database, live)
    try:
        _, files = await publisher.active_files()
        with pytest.raises(PublishRefused, match="nothing to publish"):
            await publisher.publish(await publisher.prepare(files), actor="tg:1", now=NOW)
    finally:
        await database.close()


async def test_rollback_puts_the_earlier_files_back_as_a_new_version(url: str) -> None:
    database, live = await started(url)
    publisher = Publisher(database, live)
    try:
        _, files = await publisher.active_files()
        await publisher.publish(await publisher.prepare(moved(files)), actor="tg:7", now=NOW)
        assert deadline(live) == dt.date(2024, 3, 29)

        prepared = await publisher.prepare_rollback(None)
        number = await publisher.rollback(prepared, 1, actor="cli:admin", now=NOW)

        assert number == 3 and live.number == 3
        assert deadline(live) == dt.date(2023, 3, 31)
        [newest, *_] = await publisher.versions()
        assert (newest.kind, newest.restored_from, newest.actor) == ("rollback", 1, "cli:admin")
        async with database.uow() as uow:
            actions = [(e.actor, e.action, e.target) for e in await uow.audit.latest()]
        assert actions[:2] == [("cli:admin", "rollback", "v3"), ("tg:7", "publish", "v2")]
        with pytest.raises(PublishRefused, match="no version 9"):
            await publisher.prepare_rollback(9)
    finally:
        await database.close()


async def test_of_two_admins_publishing_at_once_the_second_is_told_to_look_again(url: str) -> None:
    database, live = await started(url)
    publisher = Publisher(database, live)
    try:
        _, files = await publisher.active_files()
        first = await publisher.prepare(moved(files, "2024-03-29"))
        second = await publisher.prepare(moved(files, "2024-04-01"))
        await publisher.publish(first, actor="tg:1", now=NOW)
        with pytest.raises(PublishRefused, match="meanwhile"):
            await publisher.publish(second, actor="tg:2", now=NOW)
        assert deadline(live) == dt.date(2024, 3, 29)
    finally:
        await database.close()


async def test_an_old_version_stays_readable_for_what_was_made_under_it(url: str) -> None:
    database, live = await started(url)
    publisher = Publisher(database, live)
    try:
        _, files = await publisher.active_files()
        await publisher.publish(await publisher.prepare(moved(files)), actor="tg:1", now=NOW)
        first = await live.version(1)
        assert first is not None
        assert first.program("sx-state-allowance-2023").milestone("city-materials").closes.date == dt.date(2023, 3, 31)
        assert await live.version(99) is None
    finally:
        await database.close()


#: A second bot process: follows the versions (on PostgreSQL by LISTEN only: its fallback poll is set to
#: ten minutes, so only a notification can switch it within the test), prints when it switched.
FOLLOWER = textwrap.dedent(
    """
    import asyncio, sys, time
    import bot.content_live as live_module
    from bot.content_live import LiveContent
    from storage.db import open_database

    live_module.POLL_BEHIND_LISTEN = 600.0

    async def main():
        database = await open_database(sys.argv[1])
        live = LiveContent(database)
        await live.start()
        print("running", live.number, flush=True)
        while live.number == 1:
            await asyncio.sleep(0.01)
        print("switched", live.number, round(live.last_switch_delay or 0.0, 3), flush=True)
        await live.stop()
        await database.close()

    asyncio.run(main())
    """
)


async def test_a_second_process_switches_to_a_published_version(url: str, backend: str) -> None:
    database, live = await started(url)
    publisher = Publisher(database, live)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    follower = await asyncio.create_subprocess_exec(
        sys.executable, "-c", FOLLOWER, url, stdout=asyncio.subprocess.PIPE, cwd=ROOT, env=env
    )
    try:
        assert follower.stdout is not None
        first = await asyncio.wait_for(follower.stdout.readline(), 60)
        assert first.decode().split() == ["running", "1"]
        await asyncio.sleep(0.5)  # listening (PostgreSQL) before the publish
        _, files = await publisher.active_files()
        began = time.monotonic()
        number = await publisher.publish(await publisher.prepare(moved(files)), actor="tg:1", now=NOW)
        line = await asyncio.wait_for(follower.stdout.readline(), 60)
        seen = time.monotonic() - began
        word, switched, _delay = line.decode().split()
        assert (word, int(switched)) == ("switched", number)
        print(f"\n{backend}: the second process ran version {number} {seen:.3f} s after the publish began")
        assert await asyncio.wait_for(follower.wait(), 30) == 0
    finally:
        if follower.returncode is None:
            follower.kill()
            await follower.wait()
        await database.close()


def test_the_content_files_of_a_version_hold_every_shipped_file() -> None:
    """What is stored is the whole folder, notices included, so a version is checked against what it cites."""
    files = read_folder(SHIPPED)
    assert "facts.yaml" in files and any(path.startswith("notices/") for path in files)
    assert all(path.startswith(("programs/", "notices/")) or "/" not in path for path in files)
