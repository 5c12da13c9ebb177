"""The ``python -m bot`` command line (CONTRACT §4): check, ask, programs, content check.

It stays quick: it imports neither Telegram library nor the database layer.
Bad input exits 2 with one line on stderr; a content problem exits 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from zoneinfo import ZoneInfo

from dialogs.i18n import NOTICE_ZONE

if TYPE_CHECKING:  # imported where used, to keep the command line quick to start
    from bot.settings import Settings
    from dialogs.loader import Content
    from dialogs.schema_program import Program, Track

PROG = "python -m bot"


class UsageError(Exception):
    """Bad input from the command line: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def parse_now(value: str | None) -> dt.datetime:
    """``--now``: ISO 8601; without a UTC offset it is read as Beijing time."""
    if value is None:
        return dt.datetime.now(tz=ZoneInfo(NOTICE_ZONE))
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"--now: '{value}' is not an ISO 8601 date or time (e.g. 2023-06-15T19:59+08:00)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(NOTICE_ZONE))
    return moment


def build_parser(default_lang: str) -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="machine-readable output")
    common.add_argument("--now", metavar="ISO-8601", help="the clock to use (default: now); no offset = Beijing time")
    common.add_argument("--lang", choices=("zh", "en", "ug"), default=default_lang, help="language of texts")
    common.add_argument("--content", metavar="DIR", type=Path, help="content folder to read (default: the shipped one)")

    parser = _Parser(
        prog=PROG,
        description="Applicant desk bot. Without a command: chat in this terminal (the local channel).",
        parents=[common],
    )
    parser.add_argument(
        "--user", default="default", help="local channel: whose conversation to continue (default: default)"
    )
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = commands.add_parser("check", parents=[common], help="eligibility verdicts for a profile of facts")
    check.add_argument("--profile", required=True, metavar="FILE.json", help="facts as a JSON object; - reads stdin")
    check.add_argument("--program", metavar="ID", help="only this program")
    check.add_argument("--track", metavar="ID", help="only this track (with --program)")

    ask = commands.add_parser("ask", parents=[common], help="answer a free question")
    ask.add_argument("text", nargs="+", help="the question")
    ask.add_argument("--program", metavar="ID", help="the program the conversation is about")

    commands.add_parser("programs", parents=[common], help="programs, tracks and their status")

    content = commands.add_parser("content", help="manage the content files")
    content_commands = content.add_subparsers(dest="content_command", parser_class=_Parser, required=True)
    content_check = content_commands.add_parser("check", parents=[common], help="validate content")
    content_check.add_argument("path", nargs="?", type=Path, help="a content folder or one file (default: shipped)")
    content_check.add_argument("--warnings", action="store_true", help="list every warning, not just their count")
    _add_content_commands(content_commands, commands, common)
    return parser


def _add_content_commands(content_commands: Any, commands: Any, common: argparse.ArgumentParser) -> None:
    """The content subcommands and ``audit`` (run by :mod:`bot.cli_content`, imported only for them)."""
    publish = content_commands.add_parser(
        "publish", parents=[common], help="validate a content folder, file or ZIP, show the changes, publish it"
    )
    publish.add_argument("path", type=Path, help="a content folder, one content file, or a ZIP of the folder")
    publish.add_argument("--yes", action="store_true", help="publish without asking")
    versions = content_commands.add_parser("versions", parents=[common], help="list the published versions")
    versions.add_argument("--limit", type=int, default=20, help="how many, newest first (default 20)")
    diff = content_commands.add_parser("diff", parents=[common], help="what changed from version A to version B")
    diff.add_argument("a", type=int, help="the older version")
    diff.add_argument("b", type=int, nargs="?", help="the newer version (default: the one in force)")
    rollback = content_commands.add_parser("rollback", parents=[common], help="put an earlier version back in force")
    rollback.add_argument("number", type=int, nargs="?", help="the version (default: the one before)")
    rollback.add_argument("--yes", action="store_true", help="roll back without asking")
    audit = commands.add_parser("audit", parents=[common], help="who published, edited, announced and decided what")
    audit.add_argument("--limit", type=int, default=30, help="how many entries, newest first (default 30)")


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _read_profile(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"--profile: no such file: {source}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--profile: cannot read {source}: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--profile: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None


def _load(args: argparse.Namespace) -> Content:
    """``--content DIR``; else the version in force in the database, or the shipped files when none is."""
    from dialogs.loader import SHIPPED, load_content

    if args.content is not None:
        return load_content(args.content)
    from bot.active_content import load_active

    return load_active(os.environ.get("DATABASE_URL")) or load_content(SHIPPED)


def _pick(content: Content, program_id: str | None, track_id: str | None) -> list[tuple[Program, Track]]:
    pairs = content.tracks()
    if program_id is None:
        if track_id is not None:
            raise UsageError("--track needs --program")
        return pairs
    try:
        program = content.program(program_id)
    except KeyError:
        known = ", ".join(p.id for p in content.programs)
        raise UsageError(f"unknown program '{program_id}' (known: {known})") from None
    if track_id is None:
        return [(program, t) for t in program.tracks]
    wanted = None if track_id == "null" else track_id
    for track in program.tracks:
        if track.id == wanted:
            return [(program, track)]
    known = ", ".join(str(t.id) for t in program.tracks)
    raise UsageError(f"unknown track '{track_id}' of {program_id} (known: {known})")


def cmd_check(args: argparse.Namespace) -> int:
    from bot.i18n import translator
    from dialogs.eligibility import assess
    from dialogs.explain import (
        ask_line,
        assessment_lines,
        contact_line,
        exception_contacts,
        reason_text,
        verdict_label,
    )
    from dialogs.facts import parse_profile
    from dialogs.schedule import is_open

    now = parse_now(args.now)
    raw = _read_profile(args.profile)
    content = _load(args)
    facts = parse_profile(raw, content.facts)
    tr = translator(args.lang)
    results = []
    lines: list[str] = []
    for program, track in _pick(content, args.program, args.track):
        assessment = assess(program, track, facts, content.facts)
        reasons = []
        for reason in assessment.reasons:
            requirement = reason.requirement
            entry: dict[str, Any] = {"rule": requirement.id}
            named = sorted(requirement.rule.facts())
            if len(named) == 1:
                entry["fact"] = named[0]
            entry.update(
                kind=requirement.kind,
                met=reason.met,
                text=reason_text(program, reason, tr),
                source=program.cite(requirement.source),
                softened=requirement.softened.word if requirement.softened else None,
                ask=[contact_line(c, tr) for c in exception_contacts(program, [reason])],
            )
            reasons.append(entry)
        open_now = is_open(program, track, now)
        results.append(
            {
                "program": program.id,
                "track": track.id,
                "verdict": assessment.verdict.value,
                "open": open_now,
                "missing": list(assessment.missing),
                "reasons": reasons,
            }
        )
        title = program.short_title.get(args.lang)
        if len(program.tracks) > 1:
            title = tr.gettext("{program} — {track}").format(program=title, track=track.title.get(args.lang))
        window = tr.gettext("open now") if open_now else tr.gettext("not open now")
        lines.append(
            tr.gettext("{title}: {verdict} ({window})").format(
                title=title, verdict=verdict_label(assessment.verdict, tr), window=window
            )
        )
        lines += [f"  {line}" for line in assessment_lines(assessment, tr)]
        ask = ask_line(exception_contacts(program, [r for r in assessment.reasons if r.met is not True]), tr)
        if ask is not None:
            lines.append(f"  {ask}")
    if args.json:
        _emit({"results": results})
    else:
        print("\n".join(lines))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.i18n import translator
    from dialogs.answers import answer

    now = parse_now(args.now)
    content = _load(args)
    if args.program is not None:
        _pick(content, args.program, None)
    question = " ".join(args.text).strip()
    if not question:
        raise UsageError("ask: the question is empty")
    reply = answer(question, content, now, translator(args.lang), program_id=args.program)
    if args.json:
        _emit({"intent": reply.intent, "program": reply.program, "track": reply.track, "text": reply.text})
    else:
        print(reply.text)
    return 0


def cmd_programs(args: argparse.Namespace) -> int:
    from bot.i18n import translator
    from dialogs.answers import programs_overview
    from dialogs.schedule import applicant_deadline, is_open, last_moment, program_status

    now = parse_now(args.now)
    content = _load(args)
    out = []
    for program in content.programs:
        deadline = applicant_deadline(program, now)
        out.append(
            {
                "id": program.id,
                "title": program.title.get(args.lang),
                "status": program_status(program, now),
                "deadline": last_moment(deadline).isoformat() if deadline else None,
                "tracks": [
                    {"id": t.id, "title": t.title.get(args.lang), "open": is_open(program, t, now)}
                    for t in program.tracks
                ],
            }
        )
    if args.json:
        _emit({"programs": out})
    else:
        print(programs_overview(content, now, translator(args.lang)))
    return 0


def cmd_content_check(args: argparse.Namespace) -> int:
    from dialogs.loader import SHIPPED, check_path

    errors, warnings = check_path(args.path or args.content or SHIPPED)
    if args.json:
        _emit({"valid": not errors, "errors": [str(p) for p in errors], "warnings": [str(p) for p in warnings]})
        return 1 if errors else 0
    for problem in errors:
        print(problem)
    if args.warnings:
        for problem in warnings:
            print(problem)
    elif warnings:
        print(
            f"{len(warnings)} warning(s): texts without an en or ug version fall back to Chinese"
            " (--warnings lists them)"
        )
    if not errors:
        print("content is valid")
    return 1 if errors else 0


def cmd_chat(args: argparse.Namespace) -> int:
    """The bot itself: with no token, the local channel in this terminal."""
    import asyncio

    resume_collector = _pause_collector()
    try:
        from bot.settings import Settings

        settings = Settings()
        start = parse_now(args.now) if args.now else None
        if settings.bot_token is not None and settings.workers > 1:
            resume_collector()
            from bot.telegram.workers import serve_workers

            _stderr(f"serving Telegram with {settings.workers} {settings.bot_runtime} workers; Ctrl-C stops")
            return serve_workers(settings.workers, args.content, start)
        if settings.bot_token is not None:
            return asyncio.run(_telegram(args, settings, start, started=resume_collector))
        return asyncio.run(_chat(args, settings, start, started=resume_collector))
    finally:
        resume_collector()


def _pause_collector() -> Callable[[], None]:
    """Switch the cyclic garbage collector off until the bot serves (the terminal: its first reply is shown);
    the returned function switches it back.

    Starting allocates hundreds of thousands of objects that live as long as the process (modules,
    classes, the content read back from its cache) and almost no cyclic garbage, yet every few
    thousand allocations the collector walked them all again: ~0.06 s of a 0.6 s terminal restart, most
    of it while the content cache is unpickled, and ~0.25 s of aiogram's import. Reference counting
    still frees everything else meanwhile."""
    import gc

    if not gc.isenabled():  # someone else (a test harness, an embedding program) decides
        return lambda: None
    gc.disable()
    return gc.enable


def _clock(start: dt.datetime | None) -> Callable[[], dt.datetime]:
    """Now in Beijing time; with ``--now``, time runs on from that moment (for trying a past window)."""
    import time

    began = time.monotonic()

    def clock() -> dt.datetime:
        if start is None:
            return dt.datetime.now(tz=ZoneInfo(NOTICE_ZONE))
        return start + dt.timedelta(seconds=time.monotonic() - began)

    return clock


async def _telegram(
    args: argparse.Namespace, settings: Settings, start: dt.datetime | None, started: Callable[[], None] = lambda: None
) -> int:
    """With BOT_TOKEN: serve Telegram (aiogram or python-telegram-bot) until Ctrl-C; ``started`` is called once
    it serves."""
    import logging

    from bot.logredact import redact_token_in_logs
    from bot.telegram.runner import TelegramBot
    from dialogs.loader import SHIPPED

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    assert settings.bot_token is not None
    redact_token_in_logs(settings.bot_token.get_secret_value())  # HTTP libraries log URLs, which hold it
    _stderr(f"serving Telegram with {settings.bot_runtime} via {settings.telegram_api_base}; Ctrl-C stops")
    await TelegramBot(settings, args.content or SHIPPED, _clock(start)).run_until_stopped(started)
    return 0


async def _chat(
    args: argparse.Namespace, settings: Settings, start: dt.datetime | None, started: Callable[[], None] = lambda: None
) -> int:
    """The local channel; ``started`` is called once the first reply is on the screen."""
    from bot.content_cache import cache_for
    from bot.content_live import LiveContent
    from bot.i18n import keep_compiled_in
    from bot.local import Terminal
    from bot.service import Desk
    from dialogs.loader import SHIPPED
    from storage.db import open_database
    from storage.files import FileStore

    cache = cache_for(settings)
    keep_compiled_in(cache.folder)
    database = await open_database(settings.database_url)
    live = LiveContent(database, disk=args.content or SHIPPED, load=cache.load)
    try:
        await live.start()
    except Exception:
        await database.close()
        raise
    for problem in live.disk_problems:
        _stderr(f"content not used: {problem}")
    desk = Desk(
        database,
        FileStore(settings.files_dir),
        live,
        default_lang=args.lang,
        content_number=lambda: live.number,
    )
    try:
        # the streams of this run, named here: Terminal's default is the sys.stdout of when bot.local was imported
        terminal = Terminal(desk, args.user, _clock(start), out=sys.stdout, echo=not sys.stdin.isatty())
        return await terminal.run(sys.stdin, started=started)
    finally:
        await live.stop()
        await database.close()


def _stderr(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _content_command(args: argparse.Namespace) -> int:
    """``content publish|versions|diff|rollback`` and ``audit``."""
    from bot.cli_content import CommandFailed, run

    try:
        return run(args, parse_now(args.now))
    except CommandFailed as exc:
        _stderr(f"error: {exc}")
        for line in exc.lines:
            print(line, file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    from dialogs.facts import ProfileError
    from dialogs.problems import ContentError

    default_lang = os.environ.get("DEFAULT_LOCALE", "zh")
    parser = build_parser(default_lang if default_lang in ("zh", "en", "ug") else "zh")
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            return cmd_chat(args)
        handler = {"check": cmd_check, "ask": cmd_ask, "programs": cmd_programs}.get(args.command)
        if handler is not None:
            return handler(args)
        if args.command == "content" and args.content_command == "check":
            return cmd_content_check(args)
        return _content_command(args)
    except UsageError as exc:
        _stderr(f"error: {exc}")
        return 2
    except ProfileError as exc:
        _stderr(f"error: --profile: {exc}")
        return 2
    except ContentError as exc:
        _stderr(f"error: the content is invalid ({len(exc.problems)} problem(s)); run: {PROG} content check")
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: one clear line, never a traceback
        if os.environ.get("BOT_DEBUG"):
            raise
        _stderr(f"internal error: {type(exc).__name__}: {exc} (set BOT_DEBUG=1 for the traceback)")
        return 1
