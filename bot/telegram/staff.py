"""Staff review in their Telegram chat: accept, return with a comment, ask for one more document.

Buttons under a notification carry ``s:<action>:<reference>``. Accepting is
one press. Returning and asking for a document need words: the bot posts a
prompt that staff answer by replying to it (Telegram's force-reply), and the
prompt is kept in the database so the reply is understood after a restart too.
Every decision is a conditional status change recorded with who and when: when
two staff press at once, one decision is taken and the other is told so. The
applicant is told through the outbox, in their language.

A question an applicant passed on to staff arrives as a prompt too (sent by the
outbox worker). Answering it is a conversation, not a decision: every reply to
it is kept on the question and relayed to the applicant.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from collections.abc import Callable, Collection

from bot.i18n import LANGUAGES, translator
from bot.telegram.applicants import command_of
from bot.telegram.format import escape
from bot.telegram.staff_language import StaffLanguages
from bot.telegram.types import Gateway, IncomingCallback, IncomingMessage, Person, TelegramFailure
from dialogs.bidi import for_reader
from dialogs.events import AWAITING_APPLICANT
from dialogs.i18n import LANGUAGE_NAMES, N_, Translator
from dialogs.loader import Content
from dialogs.render import render_composed
from storage.db import Database
from storage.errors import NotFound, StatusConflict
from storage.models import ANSWER_PROMPT, StaffPrompt, is_submission_reference, question_id
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

#: What each staff button decides; ``accepted`` at once, the others after a comment.
ACTIONS = {"ok": "accepted", "ret": "returned", "more": "more_requested"}
#: Staff notification kinds whose chat decides on the submission (later ones go where the first went).
NOTICE_KINDS = ("new_submission", "resubmitted")
MAX_COMMENT = 1000
#: Longest staff answer to a question taken as one reply (Telegram's own limit is 4,096).
MAX_ANSWER = 3000
#: The outbox kind that relays a staff answer to the applicant who asked.
QUESTION_ANSWER = "question_answer"


#: Refusals of a decision (translated where shown).
NOT_A_REVIEWER = N_("Only the reviewers named in the bot's settings can decide on submissions.")
NOT_HERE = N_("{reference} is reviewed in the staff chat it was sent to; decide there.")


def review_keyboard(reference: str, tr: Translator) -> list[list[tuple[str, str]]]:
    return [
        [(tr.gettext("Accept"), f"s:ok:{reference}"), (tr.gettext("Return with a comment"), f"s:ret:{reference}")],
        [(tr.gettext("Ask for one more document"), f"s:more:{reference}")],
    ]


def staff_name(person: Person) -> str:
    """Who decided, as kept in the history: a name for people, the Telegram id to be sure."""
    return f"{person.name[:40]} (tg:{person.id})"


class _NotHere(Exception):
    """The decision came from a chat the submission was not sent to."""


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
    ) -> None:
        """``admins`` (ADMIN_IDS): when given, only these Telegram users may decide on submissions;
        when empty, any member of the staff chat the submission was sent to."""
        self.database = database
        self.admins = frozenset(admins)
        self.gateway = gateway
        self._content = content
        self.clock = clock
        self.staff_chats = staff_chats
        self.languages = languages or StaffLanguages(database, lang)
        self.on_outbox = on_outbox
        # One staff update per chat at a time: a reply to a prompt must find the prompt recorded,
        # even when Telegram delivers it while the button press that made it is still finishing.
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def _lock(self, chat_id: int | None) -> asyncio.Lock:
        """The lock of one staff chat: held while an update from it is handled, and by the outbox
        worker while it posts a question there and records its prompt (see :meth:`chat_lock`)."""
        lock = self._locks.get(chat_id or 0)
        if lock is None:
            lock = self._locks[chat_id or 0] = asyncio.Lock()
        return lock

    def chat_lock(self, chat_id: int) -> asyncio.Lock:
        """For the outbox worker: a reply to a prompt it is posting waits until the prompt is recorded."""
        return self._lock(chat_id)

    def is_staff_chat(self, chat_id: int | None) -> bool:
        return chat_id is not None and chat_id in self.staff_chats()

    def may_decide(self, person: Person) -> bool:
        """With ADMIN_IDS set, only those people decide; without, anyone in the submission's staff chat."""
        return not self.admins or person.id in self.admins

    @staticmethod
    async def _routed_here(uow: UnitOfWork, reference: str, chat_id: int) -> bool:
        """Whether the submission's notice was sent to this chat: decisions are taken there only."""
        return str(chat_id) in await uow.outbox.routed(reference, NOTICE_KINDS)

    # ------------------------------------------------------------------ buttons

    async def on_callback(self, callback: IncomingCallback) -> None:
        async with self._lock(callback.chat_id):
            await self._on_callback(callback)

    async def _on_callback(self, callback: IncomingCallback) -> None:
        tr = await self.languages.translator(callback.chat_id)
        _ = tr.gettext
        if not self.is_staff_chat(callback.chat_id):
            await self._answer(callback, _("Only staff can use these buttons, in their staff chat."), tr, alert=True)
            return
        parts = (callback.data or "").split(":")
        if len(parts) != 3:
            await self._answer(callback, _("This button is no longer valid."), tr, alert=True)
            return
        _s, action, reference = parts
        if action == "lang":
            await self._set_language(callback.chat_id, callback.sender, reference, callback)
            return
        decision = ACTIONS.get(action)
        if decision is None or not is_submission_reference(reference):
            await self._answer(callback, _("This button is no longer valid."), tr, alert=True)
            return
        assert callback.chat_id is not None
        if not self.may_decide(callback.sender):
            log.info("a decision on %s was refused: the person is not in ADMIN_IDS", reference)
            await self._answer(callback, _(NOT_A_REVIEWER), tr, alert=True)
            return
        if decision == "accepted":
            await self._decide(
                callback.chat_id, callback.message_id, callback.sender, reference, decision, None, None, callback
            )
            return
        async with self.database.uow() as uow:
            submission = await uow.submissions.get(reference)
            here = await self._routed_here(uow, reference, callback.chat_id)
        if submission is not None and not here:
            await self._answer(callback, _(NOT_HERE).format(reference=reference), tr, alert=True)
            return
        if submission is None:
            await self._answer(
                callback,
                _("Submission {reference} no longer exists (withdrawn by the applicant).").format(reference=reference),
                tr,
                alert=True,
            )
            return
        if submission.status in ("accepted", *AWAITING_APPLICANT):
            await self._answer(callback, self._already(reference, submission.status, tr), tr, alert=True)
            return
        prompt = {
            "returned": _(
                "{who}: reply to this message with the reason for returning {reference}. The applicant will read it."
            ),
            "more_requested": _(
                "{who}: reply to this message with the document you need for {reference}, and why. The applicant will read it."
            ),
        }[decision].format(who=callback.sender.name, reference=reference)
        try:
            prompt_id = await self.gateway.send_text(
                callback.chat_id, escape(for_reader(prompt, tr.lang)), reply_to=callback.message_id, force_reply=True
            )
        except TelegramFailure as failure:
            log.warning("staff prompt for %s not sent: %s", reference, failure)
            await self._answer(callback, _("Telegram did not take the message; please press again."), tr, alert=True)
            return
        async with self.database.uow() as uow:
            await uow.staff_prompts.add(
                chat_id=str(callback.chat_id),
                message_id=str(prompt_id),
                reference=reference,
                decision=decision,
                seen_status=submission.status,
                notice_message_id=None if callback.message_id is None else str(callback.message_id),
                staff=staff_name(callback.sender),
                now=self.clock(),
            )
            await uow.commit()
        await self._answer(callback, _("Reply to my message with your comment."), tr)

    # ------------------------------------------------------------------ replies to prompts

    async def on_message(self, message: IncomingMessage) -> None:
        """A message in a staff chat: ``/language``, or a reply to one of the bot's prompts; the rest is
        staff talking among themselves."""
        text = (message.text or "").strip()
        if not text:
            return
        command = command_of(text)
        if command is not None and command.name == "language":
            async with self._lock(message.chat_id):
                await self._language_command(message, command.args.lower())
            return
        if message.reply_to is None:
            return
        async with self._lock(message.chat_id):
            await self._on_reply(message)

    # ------------------------------------------------------------------ the chat's language

    async def _language_command(self, message: IncomingMessage, wanted: str) -> None:
        """``/language ug`` switches at once; bare ``/language`` offers the languages as buttons."""
        if wanted in LANGUAGES:
            await self._set_language(message.chat_id, message.sender, wanted, None)
            return
        tr = await self.languages.translator(message.chat_id)
        keyboard = [[(LANGUAGE_NAMES[lang], f"s:lang:{lang}") for lang in LANGUAGES]]
        text = tr.gettext(
            "Choose the language of this staff chat: notifications, prompts and confirmations here will use it."
        )
        try:
            await self.gateway.send_text(
                message.chat_id, escape(for_reader(text, tr.lang)), keyboard, reply_to=message.message_id
            )
        except TelegramFailure as failure:
            log.info("staff language menu not sent: %s", failure)

    async def _set_language(
        self, chat_id: int | None, person: Person, language: str, callback: IncomingCallback | None
    ) -> None:
        if chat_id is None or language not in LANGUAGES:
            if callback is not None:
                tr = await self.languages.translator(chat_id)
                await self._answer(callback, tr.gettext("This button is no longer valid."), tr, alert=True)
            return
        await self.languages.set(chat_id, language, by=staff_name(person), now=self.clock())
        tr = translator(language)
        done = tr.gettext("This staff chat now reads the bot in {language}.").format(language=LANGUAGE_NAMES[language])
        if callback is not None:
            await self._answer(callback, done, tr)
            if callback.message_id is not None:
                try:
                    await self.gateway.edit_keyboard(chat_id, callback.message_id, None)
                except TelegramFailure as failure:
                    log.info("language buttons not removed: %s", failure)
        await self._say(chat_id, done, tr)

    async def _on_reply(self, message: IncomingMessage) -> None:
        async with self.database.uow() as uow:
            prompt = await uow.staff_prompts.find(str(message.chat_id), str(message.reply_to))
        if prompt is None:
            return
        if prompt.decision == ANSWER_PROMPT:
            await self._answer_question(message, prompt)
            return
        tr = await self.languages.translator(message.chat_id)
        _ = tr.gettext
        if prompt.answered_at is not None:
            await self._say(message.chat_id, _("This prompt was already answered."), tr, reply_to=message.message_id)
            return
        if not self.may_decide(message.sender):
            log.info("a decision on %s was refused: the person is not in ADMIN_IDS", prompt.reference)
            await self._say(message.chat_id, _(NOT_A_REVIEWER), tr, reply_to=message.message_id)
            return
        comment = (message.text or "").strip()[:MAX_COMMENT]
        notice = int(prompt.notice_message_id) if prompt.notice_message_id else None
        await self._decide(
            message.chat_id,
            notice,
            message.sender,
            prompt.reference,
            prompt.decision,
            comment,
            prompt,
            None,
            reply_to=message.message_id,
        )

    # ------------------------------------------------------------------ answering questions

    async def _answer_question(self, message: IncomingMessage, prompt: StaffPrompt) -> None:
        """Keep the reply on the question and queue it for the applicant, in one transaction."""
        tr = await self.languages.translator(message.chat_id)
        _ = tr.gettext
        answer = (message.text or "").strip()[:MAX_ANSWER]
        now = self.clock()
        async with self.database.uow() as uow:
            number = question_id(prompt.reference)
            question = (
                None
                if number is None
                else await uow.questions.add_answer(number, answer, by=staff_name(message.sender), at=now)
            )
            if question is not None:
                await uow.outbox.enqueue(QUESTION_ANSWER, question.reference, {"answer": answer}, now)
                await uow.commit()
        if question is None:
            await self._say(
                message.chat_id,
                _("This question no longer exists: the applicant deleted their data."),
                tr,
                reply_to=message.message_id,
            )
            return
        self.on_outbox()
        await self._say(message.chat_id, _("Sent to the applicant."), tr, reply_to=message.message_id)

    # ------------------------------------------------------------------ deciding

    async def _decide(
        self,
        chat_id: int,
        notice_id: int | None,
        person: Person,
        reference: str,
        decision: str,
        comment: str | None,
        prompt: StaffPrompt | None,
        callback: IncomingCallback | None,
        *,
        reply_to: int | None = None,
    ) -> None:
        tr = await self.languages.translator(chat_id)
        _ = tr.gettext
        now = self.clock()
        who = staff_name(person)
        try:
            async with self.database.uow() as uow:
                if prompt is not None:
                    expected = prompt.seen_status
                    if not await uow.staff_prompts.answer(prompt.id, now=now):
                        raise StatusConflict("prompt already answered")
                else:
                    expected = None
                if await uow.submissions.get(reference) is None:
                    raise NotFound(reference)
                if not await self._routed_here(uow, reference, chat_id):
                    raise _NotHere(reference)
                submission = await uow.submissions.change_status(
                    reference, decision, actor=who, at=now, comment=comment, expected=expected
                )
                applicant = await uow.applicants.get(submission.applicant_id)
                await uow.outbox.enqueue(
                    "applicant_update",
                    reference,
                    {
                        "channel": applicant.channel if applicant else None,
                        "user": applicant.external_id if applicant else None,
                        "status": decision,
                        "comment": comment,
                        "program": submission.program,
                        "track": submission.track,
                    },
                    now,
                )
                await uow.commit()
        except NotFound:
            await self._tell(
                callback,
                chat_id,
                _("Submission {reference} no longer exists (withdrawn by the applicant).").format(reference=reference),
                tr,
                reply_to,
            )
            return
        except _NotHere:
            log.info("a decision on %s from a chat it was not sent to was refused", reference)
            await self._tell(callback, chat_id, _(NOT_HERE).format(reference=reference), tr, reply_to)
            return
        except StatusConflict:
            async with self.database.uow() as uow:
                current = await uow.submissions.get(reference)
            status = current.status if current else "accepted"
            await self._tell(callback, chat_id, self._already(reference, status, tr), tr, reply_to)
            return
        self.on_outbox()
        line = render_composed(
            "@staff_decision",
            {"status": decision, "who": person.name, "at": now, "comment": comment},
            self._content(),
            now,
            tr,
        )
        if callback is not None:
            await self._answer(callback, line, tr)
        await self._say(
            chat_id,
            tr.gettext("{reference}: {decision}").format(reference=reference, decision=line),
            tr,
            reply_to=notice_id if callback is not None else reply_to,
        )
        if notice_id is not None:
            try:
                await self.gateway.edit_keyboard(chat_id, notice_id, None)
            except TelegramFailure as failure:
                log.info("buttons of %s not removed: %s", reference, failure)

    def _already(self, reference: str, status: str, tr: Translator) -> str:
        _ = tr.gettext
        texts = {
            "accepted": _("{reference} was already accepted."),
            "returned": _("{reference} was already returned to the applicant; it comes back when they send documents."),
            "more_requested": _("{reference} already waits for a document from the applicant."),
            "submitted": _("{reference} changed meanwhile; please look at it again."),
        }
        return texts.get(status, texts["submitted"]).format(reference=reference)

    async def _tell(
        self, callback: IncomingCallback | None, chat_id: int, text: str, tr: Translator, reply_to: int | None
    ) -> None:
        if callback is not None:
            await self._answer(callback, text, tr, alert=True)
        else:
            await self._say(chat_id, text, tr, reply_to=reply_to)

    async def _answer(self, callback: IncomingCallback, text: str, tr: Translator, *, alert: bool = False) -> None:
        """A callback's pop-up (plain text, at most 200 characters)."""
        try:
            await self.gateway.answer_callback(callback.id, for_reader(text, tr.lang)[:200], alert=alert)
        except TelegramFailure as failure:
            log.info("callback answer failed: %s", failure)

    async def _say(self, chat_id: int, text: str, tr: Translator, *, reply_to: int | None = None) -> None:
        """A message in the staff chat; ``text`` is plain (escaped here, after the direction marks)."""
        try:
            await self.gateway.send_text(chat_id, escape(for_reader(text, tr.lang)), reply_to=reply_to)
        except TelegramFailure as failure:
            log.info("staff message failed: %s", failure)
