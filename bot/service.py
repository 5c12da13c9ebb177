"""One event from one applicant, end to end, in one unit of work.

Read the applicant and their conversation (one statement), let the pure engine
decide (reading the applicant's submissions and questions only when the event
reaches a screen that needs them, see :class:`dialogs.engine.RecordsNeeded`),
write accepted files, then save the new state and apply the effects in one short
transaction: either all of it is committed or none of it. The state is saved only
if nobody saved it since it was read (its version), else the event runs again. Every
channel (terminal, aiogram, python-telegram-bot) calls :meth:`Desk.handle`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass

from bot.i18n import LANGUAGES, translator
from dialogs.engine import (
    UNREAD,
    UNREAD_QUESTIONS,
    Context,
    Outcome,
    QuestionView,
    RecordsNeeded,
    SubmissionView,
    handle,
)
from dialogs.events import Event, Reply, StoreFile
from dialogs.loader import Content
from dialogs.state import State
from storage.db import Database
from storage.effects import APPLICANT_RECEIPT, Applied, apply_effects
from storage.errors import ConcurrentUpdate, DuplicateReference
from storage.files import FileStore
from storage.group_commit import GroupSaves
from storage.hotpath import open_conversation, save_conversation
from storage.models import new_reference
from storage.views import Opened

#: How often to retry an event whose conversation another event changed meanwhile.
RETRIES = 3
#: The engine's reply confirming a submission, with its reference.
RECEIPT = "@receipt"


@dataclass
class Preread:
    """An applicant's conversation, read by the channel in a statement it ran anyway (Telegram's once-only
    check reads it with the update's record: :mod:`bot.telegram.once`), so the desk need not read it again.

    Used once, by the first attempt of an event of this ``channel`` and ``user`` in the same task; a retry
    reads afresh. It may be a little older than a read of the desk's own (it was taken before the user's
    lock): the state is saved only over the version read, so a stale one means one more attempt, never a
    lost update."""

    channel: str
    user: str
    opened: Opened | None
    task: asyncio.Task[object] | None
    used: bool = False


#: What the channel read for the event being handled (see :class:`Preread`); None: the desk reads.
PREREAD: ContextVar[Preread | None] = ContextVar("preread", default=None)


@dataclass
class Handled:
    state: State
    replies: list[Reply]
    applied: Applied


def _warm_up(content: Content) -> None:
    """:func:`dialogs.question_reading.warm_up`, imported in the warm-up thread: reading free questions (its
    modules too) is loaded after the first reply, not before it."""
    from dialogs.question_reading import warm_up

    warm_up(content)


class Desk:
    def __init__(
        self,
        database: Database,
        files: FileStore,
        content: Callable[[], Content],
        *,
        default_lang: str = "zh",
        references: Callable[[], str] = new_reference,
        content_number: Callable[[], int | None] | None = None,
    ):
        """``references`` draws a fresh submission reference for each event (random; see
        :func:`storage.models.new_reference`). ``content_number``: the number of the content version in
        force (:class:`bot.content_live.LiveContent`), kept with each submission; None without versions."""
        self.database = database
        self._content_number = content_number or (lambda: None)
        self.files = files
        self._content = content
        self.default_lang = default_lang
        self._references = references
        #: SQLite: the writes of ordinary events waiting at once go in one transaction (group commit).
        self._group = GroupSaves(database) if database.engine.dialect.name == "sqlite" else None
        #: Called after a commit that queued notifications (the outbox worker wakes up at once).
        self.outbox_listeners: list[Callable[[], None]] = []
        #: The converters and readings a free question needs are loaded after the first reply, not before.
        self._warm_pending = True
        for lang in LANGUAGES:
            translator(lang)  # compile every catalog now: a broken one stops the start, not a conversation

    @property
    def content(self) -> Content:
        """The content in force now (admins may publish a new version while the bot runs)."""
        return self._content()

    async def handle(
        self,
        channel: str,
        user: str,
        event: Event,
        now: dt.datetime,
        *,
        lang_hint: str | None = None,
        display_name: str | None = None,
        queue_receipts: bool = False,
    ) -> Handled:
        """``lang_hint``: the language the channel says the person uses (Telegram's
        ``language_code``), for a first conversation before they pick one. ``display_name``:
        the channel's name for the person, shown to staff with a question they pass on.

        ``queue_receipts``: the channel's replies can be lost (Telegram: sent once, after the
        commit), so the receipt of a new submission is queued in the outbox (kind
        ``applicant_receipt``) in the submission's own transaction and taken out of the replies:
        the outbox worker delivers it, late during an outage but never lost, and only once. The
        terminal shows it at once, as a reply."""
        for attempt in range(RETRIES):
            try:
                handled = await self._handle_once(channel, user, event, now, lang_hint, display_name, queue_receipts)
            except (ConcurrentUpdate, DuplicateReference):
                # another event changed the conversation meanwhile, or the reference drawn was taken:
                # run it again from what is stored now, with a fresh reference
                if attempt == RETRIES - 1:
                    raise
                continue
            if handled.applied.released_files:
                await self._release(handled.applied.released_files)
            if handled.applied.outbox:
                for listener in self.outbox_listeners:
                    listener()
            if self._warm_pending:
                self._warm_up()
            return handled
        raise AssertionError("unreachable")

    def _warm_up(self) -> None:
        """Once the first reply is ready: load what reading a free question needs (``pypinyin``'s readings,
        0.3 s) in a thread, so the first applicant is not kept waiting by it and the first question is not
        either. Daemon: a process that ends sooner does not wait for it."""
        self._warm_pending = False
        threading.Thread(target=_warm_up, args=(self.content,), name="warm-up", daemon=True).start()

    async def _release(self, stored_names: list[str]) -> None:
        """Remove files no document refers to any more (after an applicant deleted their data)."""
        async with self.database.uow() as uow:
            in_use = await uow.documents.in_use(stored_names)
        for name in stored_names:
            if name not in in_use:
                await asyncio.to_thread(self.files.delete, name)

    async def _handle_once(
        self,
        channel: str,
        user: str,
        event: Event,
        now: dt.datetime,
        lang_hint: str | None,
        display_name: str | None,
        queue_receipts: bool,
    ) -> Handled:
        content, content_number = self.content, self._content_number()
        # None: someone new, stored with their first event's state in its one transaction
        opened = await self._open(channel, user)
        lang = (opened.language if opened is not None else None) or lang_hint or self.default_lang
        reference = self._references()

        def decide(submissions: Sequence[SubmissionView], questions: Sequence[QuestionView]) -> tuple[State, Outcome]:
            # the state is made afresh for each run: the engine may change the one it is given
            stored = opened.state if opened is not None else None
            state = State(lang=lang) if stored is None else State.from_json(stored)
            context = Context(f"{channel}:{user}", submissions, questions, reference=reference, translator=translator)
            return state, handle(state, event, content, now, context)

        try:
            state, outcome = decide(UNREAD, UNREAD_QUESTIONS)
        except RecordsNeeded:
            # a screen that shows or checks the submissions (or questions): read them, decide again
            submissions, questions = await self._records(opened.applicant_id) if opened is not None else ((), ())
            state, outcome = decide(submissions, questions)
        for effect in outcome.effects:
            if isinstance(effect, StoreFile):
                # Written before the transaction: a file without a row is harmless, a row without its file
                # is not, and the write lock is not held across the file system.
                await asyncio.to_thread(self.files.write, effect.stored_name, effect.content)
        new_state = outcome.state.to_json()
        if (
            not outcome.effects
            and opened is not None
            and opened.version is not None
            and opened.language == outcome.state.lang
        ):
            # An ordinary event: its new state is all it writes, in one statement on a plain connection
            # (on SQLite with the other events' writes waiting at once, committed together).
            if self._group is not None:
                await self._group.save(
                    opened.applicant_id, channel, new_state, expected_version=opened.version, now=now
                )
            else:
                async with self.database.writes, self.database.engine.begin() as connection:
                    await save_conversation(
                        connection, opened.applicant_id, channel, new_state, expected_version=opened.version, now=now
                    )
            return Handled(outcome.state, outcome.replies, Applied())
        if not outcome.effects and opened is None and self._group is not None:
            # A newcomer's first screen: stored with the other writes waiting (their language is the one
            # the screen is in, as the transaction below would set it).
            await self._group.create(channel, user, outcome.state.lang, new_state, now=now)
            return Handled(outcome.state, outcome.replies, Applied())
        async with self.database.writes, self.database.uow() as uow:
            # Only the database is awaited from here to the commit (one writer at a time on SQLite).
            if opened is None:
                # their language is the one the first screen is in (as it would be set just below)
                newcomer = await uow.applicants.create(channel, user, now=now, language=outcome.state.lang)
                opened = Opened(newcomer.id, newcomer.language, None, None)
            await uow.conversations.save(
                opened.applicant_id, channel, new_state, expected_version=opened.version, now=now
            )
            applied = await apply_effects(
                uow,
                outcome.effects,
                applicant_id=opened.applicant_id,
                now=now,
                asker=display_name,
                content_version=content_number,
            )
            replies = outcome.replies
            if queue_receipts:
                # a replayed confirm (the submission was there) had its receipt queued the first time
                for submission, created in applied.submissions:
                    if created:
                        payload = {"channel": channel, "user": user, "lang": outcome.state.lang}
                        row = await uow.outbox.enqueue(APPLICANT_RECEIPT, submission.reference, payload, now)
                        applied.outbox.append(row)
                replies = [reply for reply in replies if reply.key != RECEIPT]
            if opened.language != outcome.state.lang and not applied.forgotten:
                # What staff send later (a return, an answer) is written in the language the person reads,
                # guessed from their app at first and theirs once they pick one.
                await uow.applicants.set_language(opened.applicant_id, outcome.state.lang, now=now)
            if applied.forgotten:
                # files of an application never submitted go too
                applied.released_files += [
                    d["stored_name"] for docs in (state.draft.documents if state.draft else {}).values() for d in docs
                ]
            await uow.commit()
        return Handled(outcome.state, replies, applied)

    async def _open(self, channel: str, user: str) -> Opened | None:
        """The applicant and their conversation, in one statement (or none: :class:`Preread`); None for
        someone new (stored with their first event's state, in one transaction)."""
        preread = PREREAD.get()
        if (
            preread is not None
            and not preread.used
            and preread.user == user
            and preread.channel == channel
            and preread.task is asyncio.current_task()
        ):
            preread.used = True
            opened = preread.opened
        else:
            async with self.database.reads:
                opened = await open_conversation(self.database.engine, channel, user)
        return opened

    async def _records(self, applicant_id: int) -> tuple[tuple[SubmissionView, ...], tuple[QuestionView, ...]]:
        """The applicant's submissions (with staff's latest comments) and questions, as the engine shows them."""
        async with self.database.reads, self.database.uow() as uow:
            comments = await uow.submissions.latest_comments(applicant_id)
            submissions = tuple(
                SubmissionView(s.reference, s.program, s.track, s.status, s.created_at, comments.get(s.reference))
                for s in await uow.submissions.list_for(applicant_id)
            )
            questions = tuple(
                QuestionView(q.text, q.program, q.office, q.asked_at, q.answer, q.answered_at)
                for q in await uow.questions.list_for(applicant_id)
            )
        return submissions, questions

    async def language(self, channel: str, user: str, lang_hint: str | None = None) -> str:
        """The language a person reads: theirs once known, else the channel's guess, else the default."""
        async with self.database.uow() as uow:
            applicant = await uow.applicants.find(channel, user)
        return (applicant.language if applicant else None) or lang_hint or self.default_lang

    async def has_conversation(self, channel: str, user: str) -> bool:
        """Whether this person has a conversation to resume (the statement an event opens with, on its own)."""
        async with self.database.reads:
            opened = await open_conversation(self.database.engine, channel, user)
        return opened is not None and opened.version is not None
