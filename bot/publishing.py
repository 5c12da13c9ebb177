"""Publishing content: validate, show what changes, then make it the version in force.

Used alike by the command line (``python -m bot content publish|versions|diff|rollback``)
and the admin chat. A set of files is validated exactly as at start (the whole
set, through :func:`dialogs.content_files.load_files`); only a valid set becomes
a version. Each publish, quick edit and rollback is a new numbered version
written with its audit line in one transaction; every running process then
switches to it (:mod:`bot.content_live`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bot.content_live import LiveContent
from dialogs.content_files import load_files
from dialogs.loader import Content
from storage.db import Database
from storage.errors import ConcurrentUpdate
from storage.models import ContentVersion


class PublishRefused(Exception):
    """A publish or rollback that cannot be done; the message says why, for the admin."""


@dataclass(frozen=True)
class Prepared:
    """A valid set of files and what it would replace: shown to the admin before they confirm."""

    files: dict[str, str]
    content: Content
    #: The version in force when it was prepared; publishing checks it is still the one in force.
    base_number: int
    base: Content
    base_files: dict[str, str]

    @property
    def changed_files(self) -> list[str]:
        return changed_files(self.base_files, self.files)

    @property
    def unchanged(self) -> bool:
        return not self.changed_files


@dataclass(frozen=True)
class VersionInfo:
    number: int
    kind: str
    summary: str
    actor: str
    created_at: dt.datetime
    restored_from: int | None
    digest: str


def changed_files(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """Paths added, removed or changed, sorted."""
    return sorted(path for path in set(old) | set(new) if old.get(path) != new.get(path))


def files_summary(old: Mapping[str, str], new: Mapping[str, str]) -> str:
    """A plain line naming the files a version changed (kept with the version, for the log and lists)."""
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(p for p in set(old) & set(new) if old[p] != new[p])
    parts = []
    if changed:
        parts.append("changed " + ", ".join(changed))
    if added:
        parts.append("added " + ", ".join(added))
    if removed:
        parts.append("removed " + ", ".join(removed))
    return "; ".join(parts) or "no file changed"


def _info(row: ContentVersion) -> VersionInfo:
    return VersionInfo(row.number, row.kind, row.summary, row.actor, row.created_at, row.restored_from, row.digest)


class Publisher:
    def __init__(self, database: Database, live: LiveContent) -> None:
        self.database = database
        self.live = live

    async def active_files(self) -> tuple[int, dict[str, str]]:
        """The version in force in the database (not only in this process) and its files."""
        async with self.database.uow() as uow:
            row = await uow.content_versions.latest()
        if row is None:
            raise PublishRefused("no content version is stored yet: start the bot once")
        return row.number, {str(k): str(v) for k, v in dict(row.files).items()}

    async def prepare(self, files: Mapping[str, str]) -> Prepared:
        """Validate ``files`` as a whole; raises :class:`dialogs.problems.ContentError` with every problem."""
        content = await asyncio.to_thread(load_files, files)
        number, base_files = await self.active_files()
        base = await self.live.version(number)
        assert base is not None
        return Prepared(dict(files), content, number, base, base_files)

    async def publish(
        self, prepared: Prepared, *, actor: str, now: dt.datetime, kind: str = "publish", summary: str | None = None
    ) -> int:
        """Make ``prepared`` the version in force: a new number, with its audit line, then switch here."""
        if prepared.unchanged:
            raise PublishRefused(f"nothing to publish: the files equal version {prepared.base_number}")
        return await self._add(
            prepared.files,
            prepared.content,
            kind=kind,
            actor=actor,
            now=now,
            summary=summary or files_summary(prepared.base_files, prepared.files),
            expected=prepared.base_number,
            detail={"files": prepared.changed_files, "from": prepared.base_number},
        )

    async def prepare_rollback(self, target: int | None) -> Prepared:
        """The files of version ``target`` (default: the one before the version in force), validated."""
        async with self.database.uow() as uow:  # the number only: prepare() reads the files once
            number = await uow.content_versions.latest_number() or 0
        wanted = target if target is not None else number - 1
        if wanted < 1:
            raise PublishRefused("there is no earlier version to go back to")
        if wanted == number:
            raise PublishRefused(f"version {number} is already in force")
        async with self.database.uow() as uow:
            row = await uow.content_versions.get(wanted)
        if row is None:
            raise PublishRefused(f"there is no version {wanted} (the newest is {number})")
        return await self.prepare({str(k): str(v) for k, v in dict(row.files).items()})

    async def rollback(self, prepared: Prepared, target: int, *, actor: str, now: dt.datetime) -> int:
        """Put version ``target``'s files back in force, as a new version that says so."""
        return await self._add(
            prepared.files,
            prepared.content,
            kind="rollback",
            actor=actor,
            now=now,
            summary=f"rollback to version {target} ({files_summary(prepared.base_files, prepared.files)})",
            expected=prepared.base_number,
            restored_from=target,
            detail={"to": target, "from": prepared.base_number},
        )

    async def versions(self, limit: int = 20) -> list[VersionInfo]:
        async with self.database.uow() as uow:
            return [_info(row) for row in await uow.content_versions.listing(limit)]

    async def files_of(self, number: int) -> dict[str, str] | None:
        async with self.database.uow() as uow:
            row = await uow.content_versions.get(number)
        return None if row is None else {str(k): str(v) for k, v in dict(row.files).items()}

    async def _add(
        self,
        files: Mapping[str, str],
        content: Content,
        *,
        kind: str,
        actor: str,
        now: dt.datetime,
        summary: str,
        expected: int,
        detail: Mapping[str, object],
        restored_from: int | None = None,
    ) -> int:
        async with self.database.uow() as uow:
            try:
                number = await uow.content_versions.add(
                    kind=kind,
                    files=files,
                    digest=content.version,
                    summary=summary,
                    actor=actor,
                    now=now,
                    restored_from=restored_from,
                    expected_latest=expected,
                )
            except ConcurrentUpdate:
                raise PublishRefused(
                    f"someone published version {expected + 1} meanwhile: look at it, then send yours again"
                ) from None
            await uow.audit.record(
                actor=actor, action=kind, target=f"v{number}", at=now, detail={**detail, "summary": summary}
            )
            await uow.commit()
        if self.live.started:
            await self.live.refresh()
        return number
