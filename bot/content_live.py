"""The content in force in one process, switched without a restart when a version is published.

At start the process runs on the newest version in the database; on an empty
database the content folder on disk (the shipped files by default) becomes
version 1. A broken file on disk never stops the start: its problems are logged
and the last good version runs. Afterwards every process follows the database:
on PostgreSQL it LISTENs on :data:`CHANNEL` (a publish NOTIFYs in its own
transaction, so the news arrives at commit) with a slow poll behind it in case
the listening connection drops; on SQLite, which has no notifications, it reads
the newest version number once a second (one indexed ``max()``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from dialogs.content_files import load_files, read_folder
from dialogs.loader import SHIPPED, Content
from dialogs.problems import ContentError, Problem
from dialogs.question_index import index_for
from storage.db import Database
from storage.errors import ConcurrentUpdate
from storage.models import ContentVersion
from storage.repositories import CONTENT_CHANNEL

log = logging.getLogger(__name__)

#: The PostgreSQL notification channel a publish announces its version number on.
CHANNEL = CONTENT_CHANNEL
#: Seconds between looks at the newest version where nothing notifies (SQLite), and behind LISTEN.
POLL_SQLITE = 1.0
POLL_BEHIND_LISTEN = 30.0
#: Older versions kept loaded (staff read a submission in the texts of the version it was made under).
KEEP_LOADED = 8

#: Told after a switch: ``(old content, new content, new number)``.
SwitchListener = Callable[[Content, Content, int], Awaitable[None]]


def utc_now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC)


class NoUsableContent(Exception):
    """Neither the database nor the disk holds content that loads: the bot cannot answer anything."""


class LiveContent:
    """Callable: ``live()`` is the content in force now; ``live.number`` its version number."""

    def __init__(
        self,
        database: Database,
        *,
        disk: Path = SHIPPED,
        poll: float | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        load: Callable[[Mapping[str, str]], Content] | None = None,
    ) -> None:
        """``load``: how a set of files becomes content (default: :func:`load_files`, then its question
        index built; :class:`bot.content_cache.ContentCache` keeps both between runs)."""
        self.database = database
        self._load_files = load or _load_and_index
        self.disk = Path(disk)
        self._poll = poll
        self._clock = clock
        self._current: Content | None = None
        self.number: int = 0
        #: What is wrong with the files on disk, when they did not load at start (shown by the CLI too).
        self.disk_problems: tuple[Problem, ...] = ()
        self.listeners: list[SwitchListener] = []
        self._loaded: OrderedDict[int, Content] = OrderedDict()
        self._watcher: asyncio.Task[None] | None = None
        self._switching = asyncio.Lock()
        #: Seconds from a version's commit to this process running it, for the last switch (a measure).
        self.last_switch_delay: float | None = None

    def __call__(self) -> Content:
        if self._current is None:
            raise RuntimeError("LiveContent.start() has not run")
        return self._current

    @property
    def started(self) -> bool:
        return self._current is not None

    # ------------------------------------------------------------------ start

    async def start(self, *, watch: bool = True) -> None:
        """Run on the newest good version (seeding version 1 from disk on an empty database), then follow."""
        async with self.database.uow() as uow:
            newest = await uow.content_versions.latest()
        if newest is None:
            disk_files, disk_content = await self._read_disk()
            if disk_content is None:
                disk_files, disk_content = await self._shipped_instead()
            await self._seed(disk_files, disk_content)
        else:
            in_force = await self._load_newest_good(newest.number, newest)
            # a restart on unchanged files (the usual case) need not load them a second time to compare
            if await self._disk_holds(in_force):
                disk_content = None
            else:
                disk_files, disk_content = await self._read_disk()
            if disk_content is not None and disk_content.version != self().version:
                log.info(
                    "the content on disk (%s) differs from version %d in force; to use it: "
                    "python -m bot content publish %s",
                    disk_content.version,
                    self.number,
                    self.disk,
                )
        if watch:
            self._watcher = asyncio.create_task(self._watch(), name="content-watcher")

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None

    async def _disk_holds(self, in_force: Mapping[str, str]) -> bool:
        """Whether the folder on disk holds exactly the files ``in_force`` (those of the version in force)."""
        try:
            files = await asyncio.to_thread(read_folder, self.disk)
        except OSError:
            return False
        return files == in_force

    async def _read_disk(self) -> tuple[dict[str, str], Content | None]:
        try:
            files = await asyncio.to_thread(read_folder, self.disk)
            return files, await asyncio.to_thread(self._load_files, files)
        except ContentError as error:
            self.disk_problems = error.problems
            log.error(
                "the content in %s has %d problem(s) and is not used:\n%s",
                self.disk,
                len(error.problems),
                "\n".join(str(problem) for problem in error.problems),
            )
            return {}, None
        except OSError as error:
            self.disk_problems = (Problem(str(self.disk), 1, "(folder)", f"cannot be read: {error}"),)
            log.error("the content in %s cannot be read: %s", self.disk, error)
            return {}, None

    async def _shipped_instead(self) -> tuple[dict[str, str], Content]:
        if self.disk != SHIPPED:
            try:
                files = await asyncio.to_thread(read_folder, SHIPPED)
                content = await asyncio.to_thread(self._load_files, files)
                log.warning("running on the content shipped with the bot instead")
                return files, content
            except ContentError:
                pass
        raise NoUsableContent(f"no content to run on: {self.disk} has problems and nothing was published yet")

    async def _seed(self, files: dict[str, str], content: Content) -> None:
        async with self.database.uow() as uow:
            try:
                number = await uow.content_versions.add(
                    kind="seed",
                    files=files,
                    digest=content.version,
                    summary=f"the content in {self.disk.name}/ as first version",
                    actor="system",
                    now=self._clock(),
                    expected_latest=None,
                )
                await uow.audit.record(actor="system", action="seed", target=f"v{number}", at=self._clock(), detail={})
                await uow.commit()
            except ConcurrentUpdate:
                number = 0  # another process seeded at the same moment: run on what it stored
        if number:
            self._switch(number, content)
            return
        async with self.database.uow() as uow:
            latest = await uow.content_versions.latest_number()
        assert latest is not None
        await self._load_newest_good(latest)

    async def _load_newest_good(self, latest: int, newest: ContentVersion | None = None) -> dict[str, str]:
        """Run on the newest version that loads, and return its files. One that no longer loads (a later bot
        checks more) is skipped, loudly: the bot answers with the last good content rather than not at all.
        ``newest``: version ``latest``'s row when the caller has read it already (one statement less)."""
        for number in range(latest, 0, -1):
            if newest is not None and newest.number == number:
                row: ContentVersion | None = newest
            else:
                async with self.database.uow() as uow:
                    row = await uow.content_versions.get(number)
            if row is None:
                continue
            files = _text_files(row)
            try:
                content = await self._keep(number, files)
            except ContentError as error:
                log.error("content version %d does not load with this bot (%s); trying the one before", number, error)
                continue
            self._switch(number, content)
            return files
        raise NoUsableContent("no stored content version loads")

    # ------------------------------------------------------------------ versions

    async def version(self, number: int) -> Content | None:
        """Version ``number`` loaded (kept for the next call), or None when there is none by that number."""
        if number in self._loaded:
            self._loaded.move_to_end(number)
            return self._loaded[number]
        async with self.database.uow() as uow:
            row = await uow.content_versions.get(number)
        if row is None:
            return None
        return await self._keep(number, _text_files(row))

    async def _keep(self, number: int, files: Mapping[str, str]) -> Content:
        """Version ``number`` loaded from its ``files`` (off the event loop) and kept among the loaded ones."""
        content = await asyncio.to_thread(self._load_files, files)
        self._loaded[number] = content
        while len(self._loaded) > KEEP_LOADED:
            self._loaded.popitem(last=False)
        return content

    def _switch(self, number: int, content: Content) -> None:
        self._current = content
        self.number = number
        self._loaded[number] = content

    async def refresh(self) -> bool:
        """Switch to the newest version if it is newer than the one in force; True when it switched."""
        async with self._switching:
            async with self.database.uow() as uow:
                latest = await uow.content_versions.latest_number()
                row = await uow.content_versions.get(latest) if latest and latest > self.number else None
            if row is None:
                return False
            old = self()
            try:
                content = await asyncio.to_thread(self._load_files, _text_files(row))
            except ContentError as error:  # validated when published; only a newer check could refuse it
                log.error("content version %d does not load; staying on %d: %s", row.number, self.number, error)
                return False
            # its question index was built with it, off the event loop, not on the first applicant's question
            self._loaded[row.number] = content
            self._switch(row.number, content)
            self.last_switch_delay = max(0.0, (self._clock() - row.created_at).total_seconds())
            log.info("content version %d in force (%s, by %s)", row.number, row.kind, row.actor)
        for listener in list(self.listeners):
            try:
                await listener(old, content, row.number)
            except Exception:
                log.exception("a listener of the switch to content version %d failed", row.number)
        return True

    # ------------------------------------------------------------------ watching

    async def _watch(self) -> None:
        backend = self.database.engine.dialect.name
        if backend == "postgresql":
            await self._listen()
        else:
            await self._poll_forever(self._poll or POLL_SQLITE)

    async def _poll_forever(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.refresh()
            except Exception:
                log.exception("looking for a new content version failed; trying again")

    async def _listen(self) -> None:
        """LISTEN on a connection of its own (reopened when it drops), with a slow poll behind it."""
        import asyncpg  # type: ignore[import-untyped]  # no stubs; one connect() and add_listener()

        url = self.database.engine.url
        woken = asyncio.Event()

        def notified(*_: Any) -> None:
            woken.set()

        while True:
            connection = None
            try:
                connection = await asyncpg.connect(
                    host=url.host or "127.0.0.1",
                    port=url.port or 5432,
                    user=url.username,
                    password=url.password,
                    database=url.database,
                )
                await connection.add_listener(CHANNEL, notified)
                await self.refresh()  # anything published while no one listened
                while not connection.is_closed():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(woken.wait(), timeout=self._poll or POLL_BEHIND_LISTEN)
                    woken.clear()
                    await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("listening for content versions failed; reconnecting in 5 s")
                await asyncio.sleep(5)
            finally:
                if connection is not None and not connection.is_closed():
                    with contextlib.suppress(Exception):
                        await connection.close()


def _load_and_index(files: Mapping[str, str]) -> Content:
    """The content of ``files`` with its question index built (never on an applicant's first question)."""
    content = load_files(dict(files))
    index_for(content)
    return content


def _text_files(row: ContentVersion) -> dict[str, str]:
    return {str(path): str(text) for path, text in dict(row.files).items()}
