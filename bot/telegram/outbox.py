"""The outbox worker: delivers queued notifications to Telegram, once, whatever happens.

Rows are written in the same transaction as their cause (a submission, a staff
decision), so nothing is queued that did not happen and nothing that happened
is unqueued. The worker claims due rows (a lease of seconds, renewed by a
heartbeat while the worker holds them: rows of a worker that died mid-send are
tried again within :data:`LEASE`), sends them, and records the sent message ids.
A notification of several messages (the summary, then the documents) records
each part as it goes, so a retry sends only what is missing. Telegram's 429 is
obeyed to the second (``retry_after``); other failures back off exponentially.

What is left of "exactly once": a part is marked ``sending`` before its call
and its message id recorded after. Telegram's sendMessage has no idempotency
key and no way to ask whether a message arrived, so a part whose attempt ended
in between (the process killed during the call, or the answer lost to a
timeout) is sent again; the retry logs it and counts it in the row's
``progress["resent"]``, so those possible duplicates can be measured.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import traceback
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content_of import ContentOf, in_force
from bot.followers import FOLLOWER_KINDS
from bot.i18n import translator
from bot.telegram.follower_delivery import follower_message
from bot.telegram.format import escape, split_text
from bot.telegram.locks import KeyedLocks
from bot.telegram.staff_language import StaffLanguages
from bot.telegram.types import Gateway, Keyboard, Refused, RetryLater, TelegramFailure, Unreachable
from dialogs.bidi import for_reader
from dialogs.documents import staff_file_name, suffix_for_mime
from dialogs.flows.buttons import Notice, NoticeAction
from dialogs.i18n import Translator
from dialogs.loader import Content
from dialogs.render import render_composed
from dialogs.review_model import PromptPurpose, RecordPrompt, review_buttons
from dialogs.screen_parts import document_name
from storage.db import Database
from storage.effects import APPLICANT_RECEIPT, SHOWN_KINDS, STAFF_QUESTION, WITHDRAWN
from storage.errors import MissingFile, NotFound
from storage.files import FileStore
from storage.review import APPLICANT_UPDATE, QUESTION_ANSWER, record_prompt
from storage.views import DocumentRecord, OutboxItem

log = logging.getLogger(__name__)

#: Notifications to an applicant: given up when Telegram refuses them (the bot was blocked).
APPLICANT_KINDS = (APPLICANT_UPDATE, QUESTION_ANSWER, APPLICANT_RECEIPT, *FOLLOWER_KINDS)
#: Notifications whose payload names the applicant's chat (``user``): each such chat is a lane of its
#: own, sent alongside the others (see :meth:`OutboxWorker.run_once`).
CHAT_KINDS = (APPLICANT_UPDATE, APPLICANT_RECEIPT, *FOLLOWER_KINDS)
#: Longest wait between two attempts.
MAX_BACKOFF = dt.timedelta(hours=1)
#: Documents per album (Telegram's limit).
ALBUM_SIZE = 10
#: How long claimed rows stay hidden from other workers without a heartbeat.
LEASE = dt.timedelta(seconds=30)
#: How long a delivered notification is kept (for whoever looks into a complaint) before it is deleted.
KEEP_SENT = dt.timedelta(days=30)
#: How often the worker deletes what is older than that: the table stays the size of a month's traffic.
PRUNE_EVERY = dt.timedelta(hours=1)


#: Attempts a notification gets when the bot itself fails on it (not Telegram) before it is a dead letter.
MAX_FAULTS = 3
#: The outbox kind of the alert that a notification was given up.
DEAD_LETTER = "dead_letter"
#: Why a notification was given up (in a dead letter's payload).
MISSING_FILE, BOT_FAULT = "missing_file", "bot_fault"


def _where(failure: BaseException) -> str:
    """An exception's type and the line it came from, without its message (which may quote personal data)."""
    frames = traceback.extract_tb(failure.__traceback__)
    if not frames:
        return type(failure).__name__
    last = frames[-1]
    return f"{type(failure).__name__} at {Path(last.filename).name}:{last.lineno} ({last.name})"


def utc_now() -> dt.datetime:
    """The wall clock the worker schedules by (retries, leases, when a notice was sent)."""
    return dt.datetime.now(dt.UTC)


def backoff(attempts: int) -> dt.timedelta:
    """5 s, 10 s, 20 s … up to an hour."""
    return min(dt.timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass(frozen=True)
class Part:
    """One message of a notification: a text (with buttons) or one or more documents."""

    text: str | None = None
    keyboard: Keyboard | None = None
    files: tuple[tuple[str, str], ...] = ()  # (stored name, file name)


class Later(Exception):
    """Not deliverable yet (no chat configured): try again after ``delay``."""

    def __init__(self, reason: str, delay: dt.timedelta) -> None:
        super().__init__(reason)
        self.delay = delay


class OutboxWorker:
    def __init__(
        self,
        database: Database,
        files: FileStore,
        gateway: Gateway,
        content: Callable[[], Content],
        *,
        staff_chat_id: int | None,
        staff_lang: str = "zh",
        wall_clock: Callable[[], dt.datetime] = utc_now,
        poll_interval: float = 1.0,
        lease: dt.timedelta = LEASE,
        heartbeat: float | None = None,
        staff_chat_lock: Callable[[int], AbstractAsyncContextManager[Any]] | None = None,
        staff_languages: StaffLanguages | None = None,
        content_of: ContentOf | None = None,
        concurrency: int = 1,
        content_clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        """``staff_chat_lock``: the lock staff updates of a chat are handled under (see
        :meth:`bot.telegram.staff.StaffReview.chat_lock`); without one, a lock of the worker's own.
        ``heartbeat``: seconds between two renewals of the lease on the rows being sent (a third of
        the lease by default), so a slow upload keeps its rows while a dead worker's come back soon.
        ``concurrency``: lanes sent at once (see :meth:`run_once`); the gateway keeps them within
        Telegram's limits (:class:`bot.telegram.ratelimit.RateLimitedGateway`). ``content_clock``: the
        time a follower's message is worded at ("5 days left"), the applicants' clock; the wall clock
        by default.
        ``content_of``: the content of a version number (:mod:`bot.content_of`): a submission's notice,
        receipt and updates are worded in the version it was made under; by default, the one in force."""
        self.database = database
        self.files = files
        self.gateway = gateway
        self._content = content
        self.content_of = content_of or in_force(content)
        self.staff_chat_id = staff_chat_id
        self.staff_lang = staff_lang
        self.staff_languages = staff_languages or StaffLanguages(database, staff_lang)
        self.now = wall_clock
        self.poll_interval = poll_interval
        self.lease = lease
        self.heartbeat = heartbeat if heartbeat is not None else lease.total_seconds() / 3
        #: The rows this worker holds now, with the end of their lease as written in the database.
        self._held: dict[int, dt.datetime] = {}
        #: Parts sent again after an attempt that ended during their call (possible duplicates).
        self.resent = 0
        self.staff_chat_lock: Callable[[int], AbstractAsyncContextManager[Any]] = staff_chat_lock or KeyedLocks[int]()
        self.concurrency = max(1, concurrency)
        #: Rows claimed per round: a few more than the lanes, so that every lane has work.
        self.batch = max(10, 2 * self.concurrency)
        self.content_clock = content_clock or wall_clock
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self.keep_sent = KEEP_SENT
        self._pruned_at: dt.datetime | None = None

    # ------------------------------------------------------------------ running

    def wake(self) -> None:
        """Something was queued: look now rather than at the next poll."""
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox-worker")

    async def stop(self, grace: float = 10.0) -> None:
        """Finish the notification being sent (so its outcome is recorded), then stop.

        Only if that takes longer than ``grace`` is the worker cancelled; its claimed
        rows are then released for the next start to retry at once.
        """
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while not self._stopping:
            # Cleared before the round, not after: a row queued while the round runs sets it again,
            # and the wait below then returns at once instead of leaving that row for the next poll.
            self._wake.clear()
            try:
                await self.prune_if_due()
                busy = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug or a database outage must not end delivery for good
                log.exception("outbox worker round failed")
                busy = 0
            if busy:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)

    async def prune_if_due(self) -> int:
        """Delete notifications delivered more than :attr:`keep_sent` ago, once per :data:`PRUNE_EVERY`
        (and at the first round); returns how many went. A submission's messages in a staff chat stay:
        a withdrawal edits them and a resubmission points back to them."""
        now = self.now()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return 0
        self._pruned_at = now
        async with self.database.writes, self.database.uow() as uow:
            pruned = await uow.outbox.prune_sent(now - self.keep_sent, keep_kinds=SHOWN_KINDS)
            await uow.commit()
        if pruned:
            log.info("outbox: %d delivered notifications older than %s deleted", pruned, self.keep_sent)
        return pruned

    async def run_once(self, limit: int | None = None) -> int:
        """Deliver what is due now (at most ``limit`` rows, :attr:`batch` by default); returns how many
        rows were tried.

        The rows go in lanes: each applicant's chat is one (its notifications in the order queued),
        every other notification (staff chats, with their locks) shares one more. Up to
        :attr:`concurrency` lanes are sent at once, so that a thousand followers are reached at the
        rate Telegram allows rather than one HTTP round trip at a time."""
        now = self.now()
        async with self.database.uow() as uow:
            rows = await uow.outbox.claim_due(now, limit or self.batch, lease=self.lease)
            await uow.commit()
        if not rows:
            return 0
        self._held.update({row.id: now + self.lease for row in rows})
        heartbeat = asyncio.get_running_loop().create_task(self._heartbeat(), name="outbox-heartbeat")
        lanes: dict[str, list[OutboxItem]] = {}
        for row in rows:
            lanes.setdefault(self._lane(row), []).append(row)
        slots = asyncio.Semaphore(self.concurrency)
        try:
            await asyncio.gather(*(self._run_lane(lane, slots) for lane in lanes.values()))
        finally:
            for row in rows:
                self._held.pop(row.id, None)
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
        return len(rows)

    @staticmethod
    def _lane(row: OutboxItem) -> str:
        """The lane of a row: its applicant's chat, or the one shared lane of every other notification."""
        user = row.payload.get("user")
        return f"chat:{user}" if row.kind in CHAT_KINDS and user else "shared"

    async def _run_lane(self, rows: list[OutboxItem], slots: asyncio.Semaphore) -> None:
        async with slots:
            for index, row in enumerate(rows):
                if self._stopping:
                    await self._release(rows[index:])
                    return
                try:
                    await self._attempt(row)
                except asyncio.CancelledError:
                    await asyncio.shield(self._release(rows[index + 1 :], interrupted=row))
                    raise
                finally:
                    self._held.pop(row.id, None)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            try:
                await self.beat()
            except Exception:  # a database hiccup: the next beat tries again, the lease has time left
                log.warning("outbox lease not renewed", exc_info=True)

    async def beat(self) -> None:
        """Renew the lease of the rows being sent. A row whose outcome was recorded meanwhile (or
        that another worker claimed after the lease ran out) no longer has the lease end written
        here, and is left alone."""
        held = dict(self._held)
        if not held:
            return
        until = self.now() + self.lease
        async with self.database.uow() as uow:
            renewed = [row_id for row_id, ends in held.items() if await uow.outbox.renew_lease(row_id, ends, until)]
            await uow.commit()
        for row_id in renewed:
            if row_id in self._held:
                self._held[row_id] = until

    async def _release(self, rows: list[OutboxItem], *, interrupted: OutboxItem | None = None) -> None:
        """Hand claimed rows back (due now), instead of leaving them hidden until their lease ends: the
        ``interrupted`` one as a failed attempt, the others untried (their claim is not an attempt)."""
        async with self.database.uow() as uow:
            if interrupted is not None:
                await uow.outbox.mark_failed(
                    interrupted.id,
                    "interrupted: the bot stopped",
                    self.now(),
                    at=self.now(),
                    created_at=interrupted.created_at,
                )
            for row in rows:
                await uow.outbox.release(row.id, self.now(), created_at=row.created_at)
            await uow.commit()

    async def _attempt(self, row: OutboxItem) -> None:
        try:
            await self._try(row)
        except NotFound:
            # deleted while being sent: its applicant deleted their data, and the notifications
            # that carry their questions went with it. Nothing is left to record.
            log.info("notification %s (%s %s) was deleted while being sent", row.id, row.kind, row.reference)

    async def _try(self, row: OutboxItem) -> None:
        try:
            sent = await self.deliver(row)
        except NotFound:
            raise
        except MissingFile:
            # the document's bytes are gone: trying again cannot bring them back
            await self._dead(row, "a stored file of the notification is missing", MISSING_FILE)
        except RetryLater as failure:
            await self._failed(row, str(failure), self.now() + dt.timedelta(seconds=max(failure.seconds, 1)))
        except Later as failure:
            await self._failed(row, str(failure), self.now() + failure.delay)
        except Refused as failure:
            if row.kind in APPLICANT_KINDS:  # blocked the bot, deleted their account: give up
                await self._failed(row, str(failure), None)
            else:  # a staff chat misconfigured: keep it until admins fix the setting
                await self._failed(row, str(failure), self.now() + backoff(row.attempts + 3))
        except (Unreachable, TelegramFailure) as failure:
            await self._failed(row, str(failure), self.now() + backoff(row.attempts))
        except Exception as failure:  # a bug, or a value the HTTP layer refuses (a NUL in a file name)
            # Counted like any attempt and given up after a few; the exception's words may quote
            # what the notification carries (names, files), so only its type and place are kept.
            where = _where(failure)
            if row.attempts >= MAX_FAULTS:
                await self._dead(row, f"{where} after {row.attempts} attempts", BOT_FAULT)
            else:
                await self._failed(row, where, self.now() + backoff(row.attempts))
        else:
            async with self.database.uow() as uow:
                await uow.outbox.mark_sent(
                    row.id, sent, at=self.now(), forget_payload=row.kind == WITHDRAWN, created_at=row.created_at
                )
                await uow.commit()

    async def _dead(self, row: OutboxItem, error: str, reason: str) -> None:
        """Give the row up for good (status ``failed``, no next attempt, ``last_error`` "dead letter: …"),
        say so once in the log, and queue a one-line alert to the chat it was for (else STAFF_CHAT_ID),
        so staff learn that something did not arrive. An alert that cannot be delivered itself raises none."""
        log.error(
            "notification %s (%s %s) is a dead letter (attempt %s): %s",
            row.id,
            row.kind,
            row.reference,
            row.attempts,
            error,
        )
        async with self.database.uow() as uow:
            current = await uow.outbox.get(row.id)  # routed since it was claimed, perhaps
            destination = current.destination if current else row.destination
            chat = destination or (None if self.staff_chat_id is None else str(self.staff_chat_id))
            await uow.outbox.mark_failed(
                row.id, f"dead letter: {error}", None, at=self.now(), created_at=row.created_at
            )
            if row.kind != DEAD_LETTER and chat is not None:
                payload = {"number": row.id, "reason": reason}
                alert = await uow.outbox.enqueue(DEAD_LETTER, row.reference, payload, self.now())
                await uow.outbox.route(alert.id, chat)
            await uow.commit()
        self.wake()

    async def _failed(self, row: OutboxItem, error: str, retry_at: dt.datetime | None) -> None:
        log.warning(
            "notification %s (%s %s) attempt %s failed: %s", row.id, row.kind, row.reference, row.attempts, error
        )
        async with self.database.uow() as uow:
            await uow.outbox.mark_failed(row.id, error, retry_at, at=self.now(), created_at=row.created_at)
            await uow.commit()

    # ------------------------------------------------------------------ what each kind sends

    async def deliver(self, row: OutboxItem) -> int | None:
        """Send the row's messages not sent yet; returns the id of its main message."""
        if row.kind == APPLICANT_UPDATE:
            return await self._applicant_update(row)
        if row.kind in SHOWN_KINDS:
            return await self._notice(row)
        if row.kind == WITHDRAWN:
            return await self._withdrawn(row)
        if row.kind == STAFF_QUESTION:
            return await self._staff_question(row)
        if row.kind == QUESTION_ANSWER:
            return await self._question_answer(row)
        if row.kind == DEAD_LETTER:
            return await self._dead_letter(row)
        if row.kind == APPLICANT_RECEIPT:
            return await self._receipt(row)
        if row.kind in FOLLOWER_KINDS:
            return await self._follower(row)
        log.error("unknown notification kind %r (row %s): given up", row.kind, row.id)
        raise Refused(f"unknown notification kind {row.kind!r}")

    async def _notice(self, row: OutboxItem) -> int | None:
        async with self.database.uow() as uow:
            submission = await uow.submissions.record(row.reference or "")
            if submission is None:
                return None  # withdrawn before it was delivered: nothing to announce
            documents = await uow.documents.records_for(submission.id)
            earlier = await uow.outbox.delivered(submission.reference, SHOWN_KINDS)
        # Staff read it in the words the applicant saw (a track or document renamed since keeps its name);
        # it goes to the office's chat as configured now.
        content = await self.content_of(submission.content_version)
        every = documents
        if row.kind == "resubmitted":
            wanted = set(row.payload.get("documents") or ())
            documents = [d for d in documents if d.stored_name in wanted]
        chat = row.destination or self._route(row, self._content(), earlier)
        if row.destination is None:
            async with self.database.uow() as uow:
                await uow.outbox.route(row.id, chat, created_at=row.created_at)
                await uow.commit()
        tr = await self.staff_languages.translator(chat)
        named = self._staff_names(content, submission.program, every, tr)  # numbered over all, sent now or before
        by_item: dict[str, list[dict[str, Any]]] = {}
        for document in documents:
            by_item.setdefault(document.item, []).append({"name": named[document.id]})
        args = {
            "kind": row.kind,
            "reference": submission.reference,
            "program": submission.program,
            "track": submission.track,
            "contact": submission.contact,
            "facts": submission.facts,
            "verdict": submission.verdict,
            "created_at": submission.created_at,
            "documents": by_item,
        }
        text = render_composed("@staff_submission", args, content, self.now(), tr)
        pieces = [escape(piece) for piece in split_text(text)]
        parts = [Part(text=piece) for piece in pieces[:-1]]
        buttons = review_buttons(submission.reference)
        keyboard = [[(tr.gettext(button.label), button.data) for button in line] for line in buttons]
        parts.append(Part(text=pieces[-1], keyboard=keyboard))
        files = [(d.stored_name, named[d.id]) for d in documents]
        parts += [Part(files=tuple(files[i : i + ALBUM_SIZE])) for i in range(0, len(files), ALBUM_SIZE)]
        return await self._send_parts(row, int(chat), parts)

    @staticmethod
    def _staff_names(
        content: Content, program_id: str, documents: list[DocumentRecord], tr: Translator
    ) -> dict[int, str]:
        """The file name each document reaches staff under (``身份证-1.pdf``): the checklist item's title
        in the chat's language, its number within the item, the suffix of the detected type. The
        sender's own name never reaches the staff chat (it may say ``.bat``, or hide a ``.exe``
        behind a right-to-left override)."""
        program = content.find_program(program_id)
        counts: dict[str, int] = {}
        names: dict[int, str] = {}
        for document in documents:
            counts[document.item] = counts.get(document.item, 0) + 1
            title = document_name(program, document.item, tr) if program else document.item
            names[document.id] = staff_file_name(title, counts[document.item], suffix_for_mime(document.mime))
        return names

    def _route(self, row: OutboxItem, content: Content, earlier: list[OutboxItem]) -> str:
        """The office's chat from the content; where the first notice went for a resubmission; else STAFF_CHAT_ID."""
        for previous in earlier:
            if previous.destination:
                return previous.destination
        payload = row.payload
        chat = content.staff_chat(payload.get("program", ""), payload.get("office"))
        if chat is None:
            chat = self.staff_chat_id
        if chat is None:
            raise Later("no staff chat: set STAFF_CHAT_ID, or the office's chat in staff.yaml", dt.timedelta(minutes=5))
        return str(chat)

    async def _send_parts(self, row: OutboxItem, chat: int, parts: list[Part]) -> int | None:
        progress: dict[str, Any] = dict(row.progress or {})
        done: list[list[int]] = list(progress.get("parts", []))
        notice = progress.get("notice")
        resent = int(progress.get("resent", 0))
        if progress.get("sending") == len(done) < len(parts):
            # the last attempt ended during this part's call: Telegram may have it already
            resent += 1
            self.resent += 1
            log.warning(
                "notification %s (%s %s): part %s is sent again, its last attempt ended during the call "
                "(a possible duplicate)",
                row.id,
                row.kind,
                row.reference,
                len(done) + 1,
            )
        for index in range(len(done), len(parts)):
            part = parts[index]
            await self._progress(row, {"parts": done, "notice": notice, "sending": index, "resent": resent})
            try:
                if part.text is not None:
                    ids = [await self.gateway.send_text(chat, part.text, part.keyboard)]
                    if part.keyboard is not None:
                        notice = ids[0]
                else:
                    loaded = [(name, await asyncio.to_thread(self.files.read, stored)) for stored, name in part.files]
                    if len(loaded) == 1:
                        ids = [await self.gateway.send_document(chat, loaded[0][0], loaded[0][1], reply_to=notice)]
                    else:
                        ids = await self.gateway.send_documents(chat, loaded, reply_to=notice)
            except (RetryLater, Refused):
                # Telegram answered that it did not take it: nothing can be there twice
                await self._progress(row, {"parts": done, "notice": notice, "resent": resent})
                raise
            done.append(ids)
            await self._progress(row, {"parts": done, "notice": notice, "resent": resent})
        return notice

    async def _progress(self, row: OutboxItem, progress: dict[str, Any]) -> None:
        async with self.database.uow() as uow:
            await uow.outbox.record_progress(row.id, progress, at=self.now(), created_at=row.created_at)
            await uow.commit()

    async def _withdrawn(self, row: OutboxItem) -> int | None:
        """The applicant deleted their data: every staff message that showed the submission (its
        name, phone, employer) is edited to say it was withdrawn, buttons gone, and a short reply
        tells the chat. The row names no submission (``reference`` is empty) and its payload, which
        says what to edit, is emptied once delivered."""
        reference = str(row.payload.get("reference") or "")
        sent: int | None = None
        told: set[int] = set()
        for shown in row.payload.get("messages") or ():
            chat = int(shown["chat"])
            tr = await self.staff_languages.translator(chat)
            text = escape(
                render_composed("@staff_withdrawn", {"reference": reference}, self._content(), self.now(), tr)
            )
            for message in shown.get("texts") or ():
                # gone, too old to edit, or already edited by an earlier attempt: nothing more to do there
                with contextlib.suppress(Refused):
                    await self.gateway.edit_text(chat, int(message), text)
            if chat not in told:  # edits make no sound: one message in the chat says it
                told.add(chat)
                notice = shown.get("notice")
                sent = await self.gateway.send_text(chat, text, reply_to=int(notice) if notice else None)
        return sent

    async def _dead_letter(self, row: OutboxItem) -> int | None:
        """One line to staff: notification N (about a reference) was given up. No names, no phones."""
        if not row.destination:
            return None
        chat = int(row.destination)
        tr = await self.staff_languages.translator(chat)
        args = {"number": row.payload.get("number"), "reference": row.reference or "—"}
        if row.payload.get("reason") == MISSING_FILE:
            line = tr.gettext(
                "Notification {number} ({reference}) could not be delivered: a document's stored file is missing. It will not be tried again; the bot's log has the details."
            )
        else:
            line = tr.gettext(
                "Notification {number} ({reference}) could not be delivered: the bot failed on it several times. It will not be tried again; the bot's log has the details."
            )
        return await self.gateway.send_text(chat, escape(for_reader(line.format(**args), tr.lang)))

    async def _applicant_update(self, row: OutboxItem) -> int | None:
        payload = row.payload
        if payload.get("channel") != "tg" or not payload.get("user"):
            return None  # the local channel shows it under "My submissions"
        async with self.database.uow() as uow:
            applicant = await uow.applicants.record_of("tg", str(payload["user"]))
        if applicant is None:
            return None  # the applicant deleted their data
        tr = translator(applicant.language or self.staff_lang)
        args = {**payload, "reference": row.reference}
        content = await self.content_of(await self._version_of(row.reference))
        text = escape(render_composed("@applicant_update", args, content, self.now(), tr))
        if payload["status"] == "accepted":
            keyboard = [[(tr.gettext("My submissions"), Notice(NoticeAction.MINE).pack())]]
        else:
            keyboard = [
                [(tr.gettext("Send documents"), Notice(NoticeAction.AMEND, row.reference).pack())],
                [(tr.gettext("My submissions"), Notice(NoticeAction.MINE).pack())],
            ]
        return await self._send_parts(row, int(payload["user"]), [Part(text=text, keyboard=keyboard)])

    async def _version_of(self, reference: str | None) -> int | None:
        """The content version a submission was made under (None: unknown, or the submission is gone)."""
        async with self.database.uow() as uow:
            submission = await uow.submissions.record(reference or "")
        return None if submission is None else submission.content_version

    async def _follower(self, row: OutboxItem) -> int | None:
        """A round opened, a deadline near, an announcement: to one follower, in their language."""
        message = await follower_message(self.database, row, self._content(), self.content_clock(), self.staff_lang)
        if message is None:
            return None  # no longer owed (see :mod:`bot.telegram.follower_delivery`)
        parts = [Part(text=text) for text in message.texts[:-1]]
        parts.append(Part(text=message.texts[-1], keyboard=message.keyboard))
        return await self._send_parts(row, message.chat, parts)

    async def _receipt(self, row: OutboxItem) -> int | None:
        """The receipt of a new submission, as the engine words it, from the stored submission."""
        payload = row.payload
        if payload.get("channel") != "tg" or not payload.get("user"):
            return None
        async with self.database.uow() as uow:
            submission = await uow.submissions.record(row.reference or "")
            documents = [] if submission is None else await uow.documents.records_for(submission.id)
        if submission is None:
            return None  # the applicant deleted their data before it went out
        by_item: dict[str, list[dict[str, Any]]] = {}
        for document in documents:
            by_item.setdefault(document.item, []).append({"original_name": document.original_name})
        tr = translator(payload.get("lang") or self.staff_lang)
        args = {
            "reference": submission.reference,
            "program": submission.program,
            "track": submission.track,
            "sector": submission.contact.get("sector"),
            "draft": {"documents": by_item},
        }
        content = await self.content_of(submission.content_version)
        pieces = [escape(piece) for piece in split_text(render_composed("@receipt", args, content, self.now(), tr))]
        parts = [Part(text=piece) for piece in pieces[:-1]]
        keyboard = [
            [(tr.gettext("My submissions"), Notice(NoticeAction.MINE).pack())],
            [(tr.gettext("Main menu"), Notice(NoticeAction.MENU).pack())],
        ]
        parts.append(Part(text=pieces[-1], keyboard=keyboard))
        return await self._send_parts(row, int(payload["user"]), parts)

    # ------------------------------------------------------------------ questions passed on to staff

    async def _staff_question(self, row: OutboxItem) -> int | None:
        """The question in its office's staff chat, as a message staff answer by replying to it.

        The message and its staff prompt are recorded in one transaction, so a retry after a
        failure further on neither sends it again nor loses the prompt: a reply after a restart
        still finds its question. The chat's staff lock is held from sending to recording, so a
        reply that arrives at once waits for the prompt rather than finding none. (Should the bot
        die between the two, the question is posted again on the next start and the first copy
        goes unanswered: staff see it twice rather than never.)
        """
        content = self._content()
        async with self.database.uow() as uow:
            question = await uow.questions.record(row.reference or "")
        if question is None:
            return None  # the applicant deleted their data before it went out
        done = (row.progress or {}).get("notice")
        if done is not None:
            return int(done)
        chat = row.destination or self._route(row, content, [])
        args = {
            "reference": question.reference,
            "asker": question.asker,
            "program": question.program,
            "office": question.office,
            "asked_at": question.asked_at,
            "question": question.text,
        }
        tr = await self.staff_languages.translator(chat)
        text = escape(render_composed("@staff_question", args, content, self.now(), tr))
        async with self.staff_chat_lock(int(chat)):
            sent = await self.gateway.send_text(int(chat), text, force_reply=True)
            async with self.database.uow() as uow:
                if row.destination is None:
                    await uow.outbox.route(row.id, chat, created_at=row.created_at)
                progress = {"parts": [[sent]], "notice": sent}
                await uow.outbox.record_progress(row.id, progress, at=self.now(), created_at=row.created_at)
                prompt = RecordPrompt(int(chat), question.reference, PromptPurpose.ANSWER, None, None, "", self.now())
                await record_prompt(uow, prompt, sent)
                await uow.commit()
        return sent

    async def _question_answer(self, row: OutboxItem) -> int | None:
        """A staff reply to the applicant's question, in the applicant's language (Telegram only:
        the terminal shows answers under "My submissions")."""
        async with self.database.uow() as uow:
            question = await uow.questions.record(row.reference or "")
            applicant = None if question is None else await uow.applicants.record(question.applicant_id)
        if question is None or applicant is None or applicant.channel != "tg":
            return None
        tr = translator(applicant.language or question.lang)
        args = {
            "program": question.program,
            "office": question.office,
            "question": question.text,
            "answer": row.payload.get("answer", ""),
        }
        pieces = [
            escape(piece)
            for piece in split_text(render_composed("@question_answer", args, self._content(), self.now(), tr))
        ]
        parts = [Part(text=piece) for piece in pieces[:-1]]
        parts.append(
            Part(text=pieces[-1], keyboard=[[(tr.gettext("My submissions"), Notice(NoticeAction.MINE).pack())]])
        )
        return await self._send_parts(row, int(applicant.external_id), parts)
