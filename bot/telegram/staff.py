"""Staff review in their Telegram chat: the review engine decides, this module orchestrates.

For each staff update: ask the engine what to load (:func:`dialogs.review_model.subject`),
load it through storage, let the pure engine (:func:`dialogs.review.review`) decide,
commit its effects through storage in one unit of work, then send its replies via
the Gateway. When the commit finds that the world moved since the load (two staff
pressed at once, the prompt was answered, the applicant deleted their data), the
event is decided again from what is stored now, so the second of two presses hears
"already accepted" from the engine, worded there.

Accepting is one press. Returning and asking for a document need words: the bot
posts a prompt staff answer by replying to it (Telegram's force-reply), and the
prompt is kept in the database so the reply is understood after a restart too. A
question an applicant passed on to staff arrives as a prompt too (posted by the
outbox worker); every reply to it is relayed to the applicant.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Collection
from typing import Any

from bot.content_of import ContentOf, in_force
from bot.i18n import LANGUAGES, BabelTranslator, translator
from bot.telegram.applicants import command_of
from bot.telegram.format import escape, keyboard_of
from bot.telegram.locks import KeyedLocks
from bot.telegram.staff_language import StaffLanguages
from bot.telegram.types import Gateway, IncomingCallback, IncomingMessage, Person, TelegramFailure
from dialogs.events import Reply
from dialogs.loader import Content
from dialogs.render import render
from dialogs.review import review
from dialogs.review_model import (
    AuditDecision,
    LanguageAsked,
    Press,
    PromptReply,
    ReviewContext,
    Reviewer,
    ReviewOutcome,
    StaffEvent,
    StaffReply,
    Via,
    subject,
)
from storage.db import Database
from storage.errors import ConcurrentUpdate, NotFound, StatusConflict
from storage.review import apply_review, load_review, record_prompt

log = logging.getLogger(__name__)

#: How often an event is decided again when the commit found the world moved meanwhile.
RETRIES = 3


def reviewer(person: Person) -> Reviewer:
    return Reviewer(person.id, person.name)


class StaffReview:
    def __init__(
        self,
        database: Database,
        gateway: Gateway,
        content: Callable[[], Content],
        clock: Callable[[], dt.datetime],
        *,
        staff_chats: Callable[[], Collection[int]],
        lang: str = "zh",
        on_outbox: Callable[[], None] = lambda: None,
        languages: StaffLanguages | None = None,
        admins: Collection[int] = (),
        locks: KeyedLocks[int] | None = None,
        content_of: ContentOf | None = None,
    ) -> None:
        """``admins`` (ADMIN_IDS): when given, only these Telegram users may decide on submissions;
        when empty, any member of the staff chat the submission was sent to. ``locks``: one per staff
        chat, shared with the outbox worker (it posts questions there and records their prompts).
        ``content_of``: the content of a version number (:mod:`bot.content_of`): what is said about a
        submission is worded in the version it was made under; by default, the one in force."""
        self.database = database
        self.admins = frozenset(admins)
        self.gateway = gateway
        self._content = content
        self.content_of = content_of or in_force(content)
        self.clock = clock
        self.staff_chats = staff_chats
        self.languages = languages or StaffLanguages(database, lang)
        self.on_outbox = on_outbox
        # One staff update per chat at a time: a reply to a prompt must find the prompt recorded,
        # even when Telegram delivers it while the button press that made it is still finishing.
        self.locks: KeyedLocks[int] = locks or KeyedLocks()

    def chat_lock(self, chat_id: int) -> asyncio.Lock:
        """For the outbox worker: a reply to a prompt it is posting waits until the prompt is recorded."""
        return self.locks(chat_id)

    def is_staff_chat(self, chat_id: int | None) -> bool:
        return chat_id is not None and chat_id in self.staff_chats()

    def context(self) -> ReviewContext:
        return ReviewContext(frozenset(self.staff_chats()), self.admins, LANGUAGES)

    # ------------------------------------------------------------------ updates

    async def on_callback(self, callback: IncomingCallback) -> None:
        event = Press(callback.data or "", reviewer(callback.sender), callback.chat_id, callback.message_id)
        async with self.locks(callback.chat_id or 0):
            await self._handle(event, callback)

    async def on_message(self, message: IncomingMessage) -> None:
        """A message in a staff chat: ``/language``, or a reply to one of the bot's messages; the rest
        is staff talking among themselves."""
        text = (message.text or "").strip()
        if not text:
            return
        event: StaffEvent
        command = command_of(text)
        by = reviewer(message.sender)
        if command is not None and command.name == "language":
            event = LanguageAsked(command.args.lower(), by, message.chat_id, message.message_id)
        elif message.reply_to is not None:
            event = PromptReply(text, by, message.chat_id, message.message_id, message.reply_to)
        else:
            return
        async with self.locks(message.chat_id):
            await self._handle(event, None)

    # ------------------------------------------------------------------ load, decide, commit, send

    async def _handle(self, event: StaffEvent, callback: IncomingCallback | None) -> None:
        outcome, version = await self._decide(event)
        content = await self.content_of(version)
        chat_id = event.chat_id
        decided = any(not isinstance(effect, AuditDecision) for effect in outcome.effects)
        if isinstance(event, Press) and not decided and outcome.prompt is None:
            # a refusal (not a reviewer, not here, already decided, a forged button): its message id, no names
            log.info("a staff button in chat %s decided nothing: %s", chat_id, [r.message.key for r in outcome.replies])
        if outcome.prompt is not None and chat_id is not None:
            await self._post_prompt(outcome, chat_id, callback, content)
            return
        for reply in outcome.replies:
            await self._send(reply, chat_id, callback, content)
        for message_id in outcome.clear_buttons:
            if chat_id is None:
                break
            try:
                await self.gateway.edit_keyboard(chat_id, message_id, None)
            except TelegramFailure as failure:
                log.info("buttons of message %s not removed: %s", message_id, failure)

    async def _decide(self, event: StaffEvent) -> tuple[ReviewOutcome, int | None]:
        """The engine's outcome, its effects committed; decided again when the world moved meanwhile.
        With it, the content version of the submission it is about (None: none, or unknown)."""
        wanted = subject(event)
        for attempt in range(RETRIES):
            async with self.database.uow() as uow:
                view = await load_review(uow, wanted)
                version = view.submission.content_version if view.submission is not None else None
                outcome = review(view, event, self.context(), self.clock())
                if not outcome.effects:
                    return outcome, version
                try:
                    applied = await apply_review(uow, outcome.effects)
                except (StatusConflict, NotFound, ConcurrentUpdate):
                    if attempt == RETRIES - 1:
                        raise
                    log.info("a staff event met a change made meanwhile: decided again")
                    continue
                await uow.commit()
            if applied.outbox:
                self.on_outbox()
            return outcome, version
        raise AssertionError("unreachable")

    async def _post_prompt(
        self, outcome: ReviewOutcome, chat_id: int, callback: IncomingCallback | None, content: Content
    ) -> None:
        """Post the prompt, then keep it with its message id; a prompt Telegram refused is pressed again."""
        prompt = outcome.prompt
        assert prompt is not None
        tr = await self.languages.translator(chat_id)
        try:
            sent = await self.gateway.send_text(
                chat_id, escape(self._text(prompt.message, tr, content)), reply_to=prompt.reply_to, force_reply=True
            )
        except TelegramFailure as failure:
            log.warning("staff prompt for %s not sent: %s", prompt.record.reference, failure)
            await self._send(prompt.failed, chat_id, callback, content)
            return
        async with self.database.uow() as uow:
            await record_prompt(uow, prompt.record, sent)
            await uow.commit()
        await self._send(prompt.done, chat_id, callback, content)

    def _text(self, message: Reply, tr: BabelTranslator, content: Content) -> str:
        """A reply's plain text in the reader's language; arguments that are replies are rendered first."""
        args: dict[str, Any] = {
            name: self._text(value, tr, content) if isinstance(value, Reply) else value
            for name, value in message.args.items()
        }
        return render(Reply(message.key, args, message.buttons), content, self.clock(), tr)

    async def _send(
        self, reply: StaffReply, chat_id: int | None, callback: IncomingCallback | None, content: Content
    ) -> None:
        tr = translator(reply.lang) if reply.lang else await self.languages.translator(chat_id)
        text = self._text(reply.message, tr, content)
        if reply.via is not Via.CHAT:
            if callback is None:
                return
            try:  # a callback's pop-up: plain text, at most 200 characters
                await self.gateway.answer_callback(callback.id, text[:200], alert=reply.via is Via.ALERT)
            except TelegramFailure as failure:
                log.info("callback answer failed: %s", failure)
            return
        if chat_id is None:
            return
        keyboard = keyboard_of(reply.message, content, tr)
        try:
            await self.gateway.send_text(chat_id, escape(text), keyboard, reply_to=reply.reply_to)
        except TelegramFailure as failure:
            log.info("staff message failed: %s", failure)
