"""``python -m bot content publish|versions|diff|rollback`` and ``python -m bot audit`` (CONTRACT §4).

Each opens the database named by ``DATABASE_URL`` (migrated, as the bot does at
start; on an empty database the shipped files become version 1), works through
:class:`bot.publishing.Publisher`, the same as the admin chat, and closes it.
A publish or rollback is shown first as a readable diff in ``--lang``; it changes
something only with ``--yes`` or a "y" typed on a terminal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from bot.i18n import BabelTranslator
    from bot.publishing import Prepared, Publisher


class CommandFailed(Exception):
    """A content command that cannot go on: exit 1 with the message (``lines`` after it)."""

    def __init__(self, message: str, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.lines = lines or []


def actor() -> str:
    """Who runs the command, for the versions and the audit log."""
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except Exception:  # no user name in this environment (a container without one)
        return "cli"


def run(args: argparse.Namespace, now: dt.datetime) -> int:
    import asyncio

    return asyncio.run(_run(args, now))


async def _run(args: argparse.Namespace, now: dt.datetime) -> int:
    from bot.content_cache import cache_for
    from bot.content_live import LiveContent
    from bot.i18n import translator
    from bot.publishing import Publisher
    from bot.settings import Settings
    from dialogs.loader import SHIPPED
    from storage.db import open_database

    settings = Settings()
    database = await open_database(settings.database_url)
    try:
        live = LiveContent(database, disk=args.content or SHIPPED, load=cache_for(settings).load)
        await live.start(watch=False)
        publisher = Publisher(database, live)
        tr = translator(args.lang)
        command = args.command if args.command == "audit" else args.content_command
        handler: Callable[..., Any] = {
            "publish": _publish,
            "versions": _versions,
            "diff": _diff,
            "rollback": _rollback,
            "audit": _audit,
        }[command]
        return int(await handler(args, publisher, tr, now))
    finally:
        await database.close()


def _confirm(question: str, yes: bool, *, stdin: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    """``--yes``, or "y" typed on a terminal; anything else (no terminal) changes nothing."""
    if yes:
        return True
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    if not source.isatty():
        print("Nothing changed: add --yes to do it without a terminal.", file=out)
        return False
    print(f"{question} [y/N] ", end="", file=out, flush=True)
    answer = source.readline().strip().lower()
    return answer in {"y", "yes", "是", "ھەئە"}


def read_upload(path: Path, active: dict[str, str]) -> dict[str, str]:
    """The files to publish: a folder as a whole, a ZIP as a whole, or one file in the active set."""
    from dialogs.content_files import UploadError, from_zip, read_folder, with_file

    try:
        if path.is_dir():
            return read_folder(path)
        if not path.is_file():
            raise CommandFailed(f"{path}: no such file or folder")
        data = path.read_bytes()
        if path.suffix.lower() == ".zip":
            return from_zip(data)
        files, _ = with_file(active, path.name, data)
        return files
    except UploadError as error:
        raise CommandFailed(str(error)) from None


def _diff_text(prepared: Prepared, tr: BabelTranslator, lang: str, now: dt.datetime) -> tuple[list[str], Any]:
    from dialogs.content_diff import diff_content
    from dialogs.content_diff_text import diff_lines

    diff = diff_content(prepared.base, prepared.content, now)
    return diff_lines(diff, tr, lang), diff


def _summary(diff: Any) -> str:
    from bot.i18n import translator
    from dialogs.content_diff_text import diff_summary

    return str(diff_summary(diff, translator("en")))


async def _publish(args: argparse.Namespace, publisher: Publisher, tr: BabelTranslator, now: dt.datetime) -> int:
    from bot.publishing import PublishRefused
    from dialogs.content_diff import diff_json
    from dialogs.problems import ContentError

    number, active = await publisher.active_files()
    files = read_upload(args.path, active)
    try:
        prepared = await publisher.prepare(files)
    except ContentError as error:
        raise CommandFailed(
            f"{args.path}: {len(error.problems)} problem(s); nothing was published", [str(p) for p in error.problems]
        ) from None
    lines, diff = _diff_text(prepared, tr, args.lang, now)
    if args.json:
        out: dict[str, Any] = {"active": number, "changes": diff_json(diff), "files": prepared.changed_files}
    else:
        print(tr.gettext("Changes against version {number}:").format(number=number))
        print("\n".join(lines))
    if prepared.unchanged:
        if args.json:
            print(json.dumps({**out, "published": None}, ensure_ascii=False, indent=2))
        else:
            print(tr.gettext("Nothing to publish: the files are those of version {number}.").format(number=number))
        return 0
    question = tr.gettext("Publish this as version {number}?").format(number=number + 1)
    if not _confirm(question, args.yes):
        if args.json:
            print(json.dumps({**out, "published": None}, ensure_ascii=False, indent=2))
        return 0
    try:
        published = await publisher.publish(prepared, actor=actor(), now=now, summary=_summary(diff))
    except PublishRefused as refused:
        raise CommandFailed(str(refused)) from None
    if args.json:
        print(json.dumps({**out, "published": published}, ensure_ascii=False, indent=2))
    else:
        print(tr.gettext("Version {number} is published and in force.").format(number=published))
    return 0


async def _versions(args: argparse.Namespace, publisher: Publisher, tr: BabelTranslator, now: dt.datetime) -> int:
    versions = await publisher.versions(max(1, args.limit))
    if args.json:
        rows = [
            {
                "number": v.number,
                "kind": v.kind,
                "summary": v.summary,
                "actor": v.actor,
                "at": v.created_at.isoformat(),
                "restored_from": v.restored_from,
                "active": i == 0,
            }
            for i, v in enumerate(versions)
        ]
        print(json.dumps({"versions": rows}, ensure_ascii=False, indent=2))
        return 0
    for i, version in enumerate(versions):
        mark = "*" if i == 0 else " "
        when = tr.datetime(version.created_at)
        print(f"{mark} v{version.number}  {when}  {version.actor}  {version.kind}: {version.summary}")
    return 0


async def _diff(args: argparse.Namespace, publisher: Publisher, tr: BabelTranslator, now: dt.datetime) -> int:
    from dialogs.content_diff import diff_content, diff_json
    from dialogs.content_diff_text import diff_lines

    newest, _ = await publisher.active_files()
    b = args.b if args.b is not None else newest
    older = await publisher.live.version(args.a)
    newer = await publisher.live.version(b)
    missing = [n for n, c in ((args.a, older), (b, newer)) if c is None]
    if missing:
        raise CommandFailed(f"there is no version {missing[0]} (the newest is {newest})")
    assert older is not None and newer is not None
    diff = diff_content(older, newer, now)
    if args.json:
        print(json.dumps({"from": args.a, "to": b, "changes": diff_json(diff)}, ensure_ascii=False, indent=2))
    else:
        print(tr.gettext("From version {a} to version {b}:").format(a=args.a, b=b))
        print("\n".join(diff_lines(diff, tr, args.lang)))
    return 0


async def _rollback(args: argparse.Namespace, publisher: Publisher, tr: BabelTranslator, now: dt.datetime) -> int:
    from bot.publishing import PublishRefused
    from dialogs.content_diff import diff_json
    from dialogs.problems import ContentError

    number, _ = await publisher.active_files()
    target = args.number if args.number is not None else number - 1
    try:
        prepared = await publisher.prepare_rollback(args.number)
    except PublishRefused as refused:
        raise CommandFailed(str(refused)) from None
    except ContentError as error:
        raise CommandFailed(
            f"version {target} does not load with this bot; nothing changed", [str(p) for p in error.problems]
        ) from None
    lines, diff = _diff_text(prepared, tr, args.lang, now)
    if not args.json:
        print(tr.gettext("Going back to version {target} changes:").format(target=target))
        print("\n".join(lines))
    question = tr.gettext("Put version {target} back in force (as version {number})?").format(
        target=target, number=number + 1
    )
    if not _confirm(question, args.yes):
        if args.json:
            print(json.dumps({"active": number, "changes": diff_json(diff), "published": None}, ensure_ascii=False))
        return 0
    try:
        published = await publisher.rollback(prepared, target, actor=actor(), now=now)
    except PublishRefused as refused:
        raise CommandFailed(str(refused)) from None
    if args.json:
        print(json.dumps({"active": number, "changes": diff_json(diff), "published": published}, ensure_ascii=False))
    else:
        print(
            tr.gettext("Version {target} is back in force, as version {number}.").format(
                target=target, number=published
            )
        )
    return 0


async def _audit(args: argparse.Namespace, publisher: Publisher, tr: BabelTranslator, now: dt.datetime) -> int:
    async with publisher.database.uow() as uow:
        entries = await uow.audit.latest(max(1, args.limit))
    if args.json:
        rows = [
            {
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "target": e.target,
                "allowed": e.allowed,
                "detail": e.detail,
            }
            for e in entries
        ]
        print(json.dumps({"audit": rows}, ensure_ascii=False, indent=2))
        return 0
    refused_mark = tr.gettext("refused")
    for entry in entries:
        refused = "" if entry.allowed else f" [{refused_mark}]"
        summary = entry.detail.get("summary")
        tail = f": {summary}" if summary else ""
        print(f"{tr.datetime(entry.at)}  {entry.actor}  {entry.action} {entry.target or ''}{refused}{tail}")
    return 0
