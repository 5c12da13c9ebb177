"""Announcements from the admin chat: ``/announce PROGRAM``, the text as the admin's next message,
a preview naming how many follow the program, then one message per follower through the outbox.

The bot's question ("write the announcement") is an :class:`storage.models.AdminDraft` of kind
``ask``, so the answer is understood after a restart too; it is taken once (the draft is closed
by the message that answers it) and forgotten after an hour. ``/cancel`` drops it. The confirmed
preview is queued by :func:`bot.followers.enqueue_announcement` (helper "followers"), once per
follower and with its audit line, in the transaction that closes the draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from bot.followers import count_followers
from bot.i18n import BabelTranslator
from bot.service import Desk
from bot.telegram.admin_drafts import ANNOUNCE, ASK, Drafts, actor_of, new_token
from bot.telegram.format import escape
from bot.telegram.types import Gateway, IncomingMessage, Person
from dialogs.events import CommandEvent

#: How long the bot waits for an announcement's text after ``/announce``.
ASK_FOR = dt.timedelta(hours=1)
#: The longest announcement: room is left for the heading the followers' message puts above it.
MAX_ANNOUNCEMENT = 3000


class Announcements:
    def __init__(
        self,
        desk: Desk,
        gateway: Gateway,
        drafts: Drafts,
        *,
        wall_clock: Callable[[], dt.datetime],
        reader: Callable[[Person], Awaitable[BabelTranslator]],
    ) -> None:
        self.desk = desk
        self.gateway = gateway
        self.drafts = drafts
        self.wall_clock = wall_clock
        self.reader = reader

    async def ask(self, person: Person, chat_id: int, program_id: str, tr: BabelTranslator) -> None:
        """``/announce PROGRAM``: ask for the text (a reply to the question, or simply the next message)."""
        program = self.desk.content.find_program(program_id)
        if program is None:
            await self._tell(chat_id, tr.gettext("There is no program {program}.").format(program=program_id))
            return
        admin = actor_of(person.id)
        now = self.wall_clock()
        async with self.desk.database.uow() as uow:
            followers = await count_followers(uow, program.id)
            if followers:
                await uow.admin_drafts.close_all(admin, ASK, now=now)  # a new question replaces an open one
                await uow.admin_drafts.add(
                    token=new_token(), admin=admin, kind=ASK, payload={"program": program.id}, base_number=None, now=now
                )
                await uow.commit()
        title = program.short_title.get(tr.lang)
        if not followers:
            await self._tell(
                chat_id, tr.gettext("No one follows {program} yet: there is no one to tell.").format(program=title)
            )
            return
        question = tr.ngettext(
            "Write the announcement for the {n} follower of {program}, as a reply to this message. "
            "You will see it before it is sent. /cancel stops.",
            "Write the announcement for the {n} followers of {program}, as a reply to this message. "
            "You will see it before it is sent. /cancel stops.",
            followers,
        ).format(n=tr.number(followers), program=title)
        await self.gateway.send_text(chat_id, escape(question), force_reply=True)

    async def answered(self, message: IncomingMessage, command: CommandEvent | None) -> bool:
        """Whether an admin's text (or ``/cancel``) answers the bot's question; if so it is handled here."""
        if command is not None and command.name != "cancel":
            return False
        if command is None and not (message.text or "").strip():
            return False  # a sticker, a location: not an announcement
        admin = actor_of(message.sender.id)
        now = self.wall_clock()
        async with self.desk.database.uow() as uow:
            asked = await uow.admin_drafts.waiting(admin, ASK, since=now - ASK_FOR)
            if asked is None:
                return False
            taken = await uow.admin_drafts.close(asked.token, now=now)
            await uow.commit()
        if not taken:
            return False
        tr = await self.reader(message.sender)
        if command is not None:
            await self._tell(message.chat_id, tr.gettext("The announcement is cancelled."))
        else:
            await self._preview(message, str(dict(asked.payload)["program"]), tr)
        return True

    async def _preview(self, message: IncomingMessage, program_id: str, tr: BabelTranslator) -> None:
        text = (message.text or "").strip()
        chat_id = message.chat_id
        if len(text) > MAX_ANNOUNCEMENT:
            await self._tell(
                chat_id,
                tr.gettext(
                    "The announcement is {size} characters long; at most {limit} fit. Send /announce again."
                ).format(size=tr.number(len(text)), limit=tr.number(MAX_ANNOUNCEMENT)),
            )
            return
        program = self.desk.content.find_program(program_id)
        title = program.short_title.get(tr.lang) if program is not None else program_id
        async with self.desk.database.uow() as uow:
            followers = await count_followers(uow, program_id)
        head = tr.ngettext(
            "This will be sent to {n} follower of {program}:",
            "This will be sent to {n} followers of {program}:",
            followers,
        ).format(n=tr.number(followers), program=title)
        confirm = tr.ngettext("Send to {n} follower", "Send to {n} followers", followers).format(n=tr.number(followers))
        await self.drafts.offer(
            chat_id,
            actor_of(message.sender.id),
            tr,
            kind=ANNOUNCE,
            payload={"program": program_id, "text": text},
            base_number=None,
            text=f"{head}\n\n{text}",
            confirm=confirm,
        )

    async def _tell(self, chat_id: int, text: str) -> None:
        await self.gateway.send_text(chat_id, escape(text))
