"""The SIGKILL crash test: applicants confirm while the real bot process is killed and restarted.

``python -m tests.crash.sigkill --applicants 50 --kills 10 --runtime both`` starts the fake Bot
API (:mod:`tests.telegram.botapi`) in this process and ``python -m bot`` as a child on it (SQLite
and files in a temporary folder, the clock set inside the aid plan's window with ``--now``).
Each applicant is a phone that goes through the aid plan's journey to a confirmed application
with a PDF of its own, at a person's pace (under the bot's throttle), reading the screens the bot
sends and acting on the latest one; it never sends anything again on its own: an update lost to
a kill comes back only the way Telegram brings it back (the fake server keeps every update until
a getUpdates offset passes it). Meanwhile the bot is killed with SIGKILL at seeded random moments
and started again at once. At the end (the bot stopped cleanly once every outbox row is sent):

- every applicant who pressed "Confirm" has exactly one submission (lost, duplicated);
- every stored document's bytes hash to what the phone uploaded;
- every submission's staff notice (summary and document) arrived, duplicates counted apart;
- every applicant received their receipt with their reference, duplicates counted apart;
- the worker's own count of parts sent again after a kill during their call (``resent``): the
  window left, which explains any duplicate notice or receipt.

The counts are printed; the exit status is 1 when anything was lost or a submission duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import os
import random
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.db import open_database
from storage.files import FileStore
from tests.engine_driver import EXPERT_ANSWERS
from tests.telegram.botapi import Call, FakeBotAPI
from tests.telegram.harness import buttons

ROOT = Path(__file__).resolve().parents[2]
STAFF_CHAT = -1009009
NOW = "2023-06-10T10:00+08:00"  # inside the 2023 aid-talent plan's application window
RECEIVED = "; not yet reviewed."
FIRST_USER = 810_000
#: A journey takes 19 actions; more when a kill makes the bot handle an update again (a /start
#: handled twice brings the menu back, and the person applies from there again).
MAX_ACTIONS = 100
#: What a person does at each screen, by a piece of its text, in the order they are looked for.
TYPED = {"Your full name": "Crash Tester", "phone number": "139 1234 5678", "employer": "浙江大学"}


def pdf_of(user_id: int) -> bytes:
    return f"%PDF-1.4\n% applicant {user_id}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()


class Stuck(Exception):
    """A phone waited for an answer that did not come."""


@dataclass
class Applicant:
    """One person on Telegram, acting on the last screen the bot showed them."""

    api: FakeBotAPI
    user_id: int
    patience: float
    consumed: int = 0
    confirmed: bool = False
    confirmed_again: int = 0
    reference: str | None = None
    actions: int = 0
    throttled: int = 0
    last: Callable[[], Any] | None = None
    # a person's pace under the bot's throttle (10 at once, then one a second)
    tokens: float = 8.0
    refilled: float = field(default_factory=time.monotonic)

    async def _pace(self) -> None:
        now = time.monotonic()
        self.tokens = min(8.0, self.tokens + (now - self.refilled) * 0.8)
        self.refilled = now
        if self.tokens < 1:
            await asyncio.sleep((1 - self.tokens) / 0.8)
            self.tokens, self.refilled = 1.0, time.monotonic()
        self.tokens -= 1

    async def _do(self, action: Callable[[], Any]) -> None:
        if self.actions >= MAX_ACTIONS:
            seen = [(m.get("text") or "")[:60] for m in self.api.sent_to(self.user_id)[-6:]]
            raise Stuck(f"applicant {self.user_id}: still not done after {self.actions} actions; last seen {seen}")
        self.last = action
        self.actions += 1
        await action()

    def _say(self, text: str) -> Callable[[], Any]:
        return lambda: self.api.push_text(self.user_id, text)

    def _press(self, message: dict[str, Any], label: str) -> Callable[[], Any] | None:
        for text, data in buttons(message):
            if text == label:
                return lambda: self.api.press(self.user_id, message, data)
        return None

    async def _screen(self) -> dict[str, Any]:
        """The newest message once one arrives and the person looks (older unread ones are skimmed,
        as a person does: after a kill the bot may answer an update twice, and acting on the first
        answer would keep the person one stale screen behind for good)."""
        try:
            [message] = await self.api.next_messages(self.user_id, 1, timeout=self.patience)
        except AssertionError:
            seen = [(m.get("text") or "")[:80] for m in self.api.sent_to(self.user_id)[-8:]]
            raise Stuck(f"applicant {self.user_id}: no answer within {self.patience} s; last seen {seen}") from None
        self.consumed += 1
        await self._pace()
        unread = len(self.api.sent_to(self.user_id)) - self.consumed
        if unread > 0:
            message = (await self.api.next_messages(self.user_id, unread, timeout=1))[-1]
            self.consumed += unread
        return message

    async def run(self, delay: float = 0.0) -> None:
        self.api.user(self.user_id, f"Applicant {self.user_id}", language_code="en")
        await asyncio.sleep(delay)  # people do not all start at the same instant
        await self._do(self._say("/start"))
        while True:
            message = await self._screen()
            text = message.get("text") or ""
            if RECEIVED in text:
                self.reference = text.split("Reference: ", 1)[1].split()[0]
                return
            if self.confirmed:
                # The receipt comes from the outbox; other screens are the bot catching up, except the
                # review shown again: the press met an expired menu (the bot had answered an older update
                # again after a kill), and a person presses "Confirm" once more.
                if "Please check your application" in text:
                    again = self._press(message, "Confirm and submit")
                    if again is not None:
                        self.confirmed_again += 1
                        await self._do(again)
                continue
            action = self._next(message, text)
            if action is not None:
                await self._do(action)

    def _next(self, message: dict[str, Any], text: str) -> Callable[[], Any] | None:
        if "too fast" in text:
            self.throttled += 1
            return self.last
        if "Please check your application" in text:
            self.confirmed = True
            return self._press(message, "Confirm and submit")
        if "Document 2 of 2" in text:
            return self._press(message, "Skip: my unit sends this one")
        if (done := self._press(message, "Done with this document")) is not None:
            return done
        if "Document 1 of 2" in text:
            return lambda: self.api.push_document(self.user_id, pdf_of(self.user_id), "form.pdf", "application/pdf")
        if "Which field do you work in?" in text:
            return self._press(message, "Health (Regional Health Commission)")
        if "How many months" in text:
            return self._say("3")
        for question, answer in EXPERT_ANSWERS.items():
            if question in text:
                return self._press(message, answer)
        for prompt, typed in TYPED.items():
            if prompt in text:
                return self._say(typed)
        for label in ("Flexible aid experts", "2023 aid-talent plan (batch 2)", "Apply"):
            if (press := self._press(message, label)) is not None:
                return press
        return None  # a message with nothing to do (a note before the next screen)


@dataclass
class Report:
    runtime: str
    applicants: int
    kills: int = 0
    confirmed: int = 0
    submissions: int = 0
    lost_submissions: int = 0
    duplicated_submissions: int = 0
    documents: int = 0
    hash_mismatches: int = 0
    notices: int = 0
    lost_notices: int = 0
    duplicate_notices: int = 0
    lost_notice_documents: int = 0
    duplicate_notice_documents: int = 0
    receipts: int = 0
    lost_receipts: int = 0
    duplicate_receipts: int = 0
    resent: int = 0
    stuck: int = 0
    throttled: int = 0
    confirmed_again: int = 0
    updates: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.lost_submissions
            or self.duplicated_submissions
            or self.hash_mismatches
            or self.lost_notices
            or self.lost_notice_documents
            or self.lost_receipts
            or self.stuck
            or self.confirmed != self.applicants
            # every duplicate is a part the worker knows it may have sent twice
            or self.duplicate_notices + self.duplicate_notice_documents + self.duplicate_receipts > self.resent
        )

    def lines(self) -> list[str]:
        return [
            f"{self.runtime}: {self.applicants} applicants, {self.kills} SIGKILLs, {self.updates} updates, "
            f"{self.seconds:.1f} s",
            f"  submissions: {self.confirmed} confirmed, {self.submissions} found, {self.lost_submissions} lost, "
            f"{self.duplicated_submissions} duplicated",
            f"  documents: {self.documents} stored, {self.hash_mismatches} hash mismatches",
            f"  staff notices: {self.notices} delivered, {self.lost_notices} lost, {self.duplicate_notices} "
            f"duplicated; their documents: {self.lost_notice_documents} lost, {self.duplicate_notice_documents} "
            "duplicated",
            f"  receipts: {self.receipts} delivered, {self.lost_receipts} lost, {self.duplicate_receipts} duplicated",
            f"  parts sent again after a kill during their call (possible duplicates): {self.resent}",
            f"  phones stuck: {self.stuck}; throttled and repeated: {self.throttled}; "
            f"'Confirm' pressed again on an expired review: {self.confirmed_again}",
            *(f"  ! {problem}" for problem in self.problems),
        ]


class Bot:
    """``python -m bot`` as a child process, killed and started again."""

    def __init__(self, api: FakeBotAPI, runtime: str, folder: Path) -> None:
        self.api = api
        self.folder = folder
        self.database_url = f"sqlite+aiosqlite:///{folder / 'bot.db'}"
        self.files_dir = folder / "files"
        self.log = folder / "bot.log"
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "DEFAULT_LOCALE", "STAFF_CHAT"))
        }
        self.env.update(
            BOT_TOKEN=api.token,
            BOT_RUNTIME=runtime,
            TELEGRAM_API_BASE=api.base,
            DATABASE_URL=self.database_url,
            FILES_DIR=str(self.files_dir),
            STAFF_CHAT_ID=str(STAFF_CHAT),
            OUTBOX_LEASE_SECONDS="2",  # a killed bot's notifications come back 2 s after their claim
        )
        self.process: asyncio.subprocess.Process | None = None
        self.polls = 0

    async def start(self) -> None:
        self.polls = self.api.polls
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "--now", NOW, cwd=ROOT, env=self.env, stdout=log, stderr=log
            )

    async def polling(self, timeout: float = 60) -> None:
        """Until the started bot asks for updates."""
        await self.api.wait_polls(self.polls + 1, timeout=timeout)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                await self.kill()


async def _outbox_drained(database_url: str, timeout: float) -> None:
    """Until every queued notification is sent (the bot is a separate process: its database is read)."""
    database = await open_database(database_url)
    try:
        deadline = time.monotonic() + timeout
        while True:
            async with database.uow() as uow:
                if await uow.outbox.pending_count() == 0:
                    return
            if time.monotonic() > deadline:
                raise Stuck(f"notifications still queued after {timeout} s")
            await asyncio.sleep(0.2)
    finally:
        await database.close()


async def run(runtime: str, applicants: int, kills: int, *, seed: int = 1, patience: float = 60) -> Report:
    rng = random.Random(f"{seed}-{runtime}")
    report = Report(runtime, applicants)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"crash-{runtime}-") as folder:
        async with FakeBotAPI() as api:
            bot = Bot(api, runtime, Path(folder))
            await bot.start()
            await bot.polling()
            phones = [Applicant(api, FIRST_USER + n, patience) for n in range(applicants)]
            journeys = [asyncio.create_task(phone.run(n * 0.05)) for n, phone in enumerate(phones)]
            try:
                for _ in range(kills):
                    # a seeded moment while the applicants go on (a late one may land while the outbox sends)
                    await asyncio.sleep(rng.uniform(0.3, 2.5))
                    await bot.kill()
                    report.kills += 1
                    await bot.start()
                    await bot.polling()
                outcomes = await asyncio.gather(*journeys, return_exceptions=True)
                for outcome in outcomes:
                    if isinstance(outcome, Stuck):
                        report.stuck += 1
                        report.problems.append(str(outcome))
                    elif isinstance(outcome, BaseException):
                        raise outcome
                await _outbox_drained(bot.database_url, patience)
            finally:
                for journey in journeys:
                    journey.cancel()
                await bot.stop()
            report.updates = api.pushed
            await _check(api, bot, phones, report)
            if not report.ok:
                report.problems.append(f"the bot's log: {bot.log} (kept)")
                with contextlib.suppress(OSError):
                    kept = Path(tempfile.mkdtemp(prefix=f"crash-{runtime}-log-")) / "bot.log"
                    kept.write_bytes(bot.log.read_bytes())
                    report.problems[-1] = f"the bot's log: {kept}"
    report.seconds = time.monotonic() - began
    return report


def _sent_ok(api: FakeBotAPI, method: str, chat: int) -> list[Call]:
    return [c for c in api.calls if c.method == method and not c.failed and c.params.get("chat_id") == chat]


async def _check(api: FakeBotAPI, bot: Bot, phones: list[Applicant], report: Report) -> None:
    report.confirmed = sum(phone.confirmed for phone in phones)
    report.throttled = sum(phone.throttled for phone in phones)
    report.confirmed_again = sum(phone.confirmed_again for phone in phones)
    files = FileStore(bot.files_dir)
    notices = [c.params.get("text", "") for c in _sent_ok(api, "sendMessage", STAFF_CHAT)]
    staff_files = [f.content for f in api.uploaded(STAFF_CHAT)]
    database = await open_database(bot.database_url)
    try:
        for phone in phones:
            async with database.uow() as uow:
                applicant = await uow.applicants.find("tg", str(phone.user_id))
                submissions = [] if applicant is None else await uow.submissions.list_for(applicant.id)
                documents = [d for s in submissions for d in await uow.documents.list_for(s.id)]
                rows = [r for s in submissions for r in await uow.outbox.for_reference(s.reference)]
            report.submissions += len(submissions)
            if phone.confirmed and not submissions:
                report.lost_submissions += 1
            report.duplicated_submissions += max(len(submissions) - 1, 0)
            report.resent += sum(int((r.progress or {}).get("resent", 0)) for r in rows)
            expected = pdf_of(phone.user_id)
            for document in documents:
                report.documents += 1
                stored = await asyncio.to_thread(files.read, document.stored_name)
                if not (hashlib.sha256(stored).hexdigest() == document.sha256 == hashlib.sha256(expected).hexdigest()):
                    report.hash_mismatches += 1
            for submission in submissions:
                count = sum(submission.reference in text for text in notices)
                report.notices += min(count, 1)
                report.lost_notices += count == 0
                report.duplicate_notices += max(count - 1, 0)
                uploads = staff_files.count(expected)
                report.lost_notice_documents += uploads == 0
                report.duplicate_notice_documents += max(uploads - 1, 0)
            receipts = [
                m
                for m in api.sent_to(phone.user_id)
                if RECEIVED in (m.get("text") or "") and any(s.reference in (m.get("text") or "") for s in submissions)
            ]
            report.receipts += min(len(receipts), 1)
            report.lost_receipts += phone.confirmed and not receipts
            report.duplicate_receipts += max(len(receipts) - 1, 0)
            if phone.reference is not None and all(s.reference != phone.reference for s in submissions):
                report.problems.append(f"applicant {phone.user_id} was given {phone.reference}, which is not stored")
    finally:
        await database.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.crash.sigkill", description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=50)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--runtime", choices=("aiogram", "ptb", "both"), default="both")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    runtimes = ("aiogram", "ptb") if args.runtime == "both" else (args.runtime,)
    ok = True
    for runtime in runtimes:
        report = asyncio.run(run(runtime, args.applicants, args.kills, seed=args.seed))
        print("\n".join(report.lines()), flush=True)
        ok = ok and report.ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
