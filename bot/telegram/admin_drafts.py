"""Previews an admin confirms: shown first, kept in the database, done once by whoever gets the press.

Every change an admin makes from the chat (a file or ZIP published, a quick edit,
a rollback, an announcement) is first a preview: what it changes, with "Publish
as version N" / "Cancel" under it. The preview is an :class:`storage.models.AdminDraft`
row named by a random token that the buttons carry, so a press is understood
after a restart and on another worker. Confirming checks, again, that the presser
is an admin and the one who asked, that the draft is still open, and that the
version in force is still the one the preview was made against; then the draft
is closed (one of two taps wins) and the change is made. The preview message is
edited to say what became of it.

A preview stores only what differs from the version it was made against (the
changed files, the names of the removed ones), not the whole content set.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from bot.followers import enqueue_announcement
from bot.i18n import translator
from bot.publishing import Prepared, Publisher, PublishRefused
from bot.telegram.admin_views import problems_text
from bot.telegram.format import escape, split_text
from bot.telegram.types import Gateway, IncomingCallback, TelegramFailure
from dialogs.admin_buttons import DraftAction, DraftButton
from dialogs.i18n import Translator
from dialogs.problems import ContentError
from storage.db import Database
from storage.models import AdminDraft

log = logging.getLogger(__name__)

#: Draft kinds that make a new content version.
PUBLISH, EDIT, ROLLBACK, ANNOUNCE = "publish", "edit", "rollback", "announce"
#: A question the bot asked an admin (the announcement's text): answered by their next message.
ASK = "ask"


def actor_of(user_id: int) -> str:
    """How the audit log and the versions name a Telegram admin."""
    return f"tg:{user_id}"


def new_token() -> str:
    """16 URL-safe characters: unguessable, and short enough for a button's 64 bytes."""
    return secrets.token_urlsafe(12)


def delta(prepared: Prepared) -> dict[str, Any]:
    """What a prepared set changes against its base: the changed files' texts, the removed files' names."""
    changed = prepared.changed_files
    return {
        "changed": {path: prepared.files[path] for path in changed if path in prepared.files},
        "removed": [path for path in changed if path not in prepared.files],
    }


def applied(base: Mapping[str, str], payload: Mapping[str, Any]) -> dict[str, str]:
    """The base version's files with a preview's delta put back on them."""
    files = dict(base)
    for path in payload.get("removed", ()):
        files.pop(str(path), None)
    files.update({str(path): str(text) for path, text in dict(payload.get("changed", {})).items()})
    return files


class Drafts:
    def __init__(
        self,
        database: Database,
        gateway: Gateway,
        publisher: Publisher | None,
        *,
        wall_clock: Callable[[], dt.datetime],
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        """``on_queued``: called after an announcement was queued (the outbox worker starts at once)."""
        self.database = database
        self.gateway = gateway
        self.publisher = publisher
        self.wall_clock = wall_clock
        self.on_queued = on_queued

    # ------------------------------------------------------------------ offering

    async def offer(
        self,
        chat_id: int,
        admin: str,
        tr: Translator,
        *,
        kind: str,
        payload: Mapping[str, Any],
        base_number: int | None,
        text: str,
        confirm: str,
    ) -> None:
        """Store the draft, then show ``text`` (plain) with the confirm and cancel buttons under its end."""
        pieces = [escape(piece) for piece in split_text(text)]
        token = new_token()
        async with self.database.uow() as uow:
            await uow.admin_drafts.add(
                token=token,
                admin=admin,
                kind=kind,
                payload={**payload, "preview": pieces[-1]},
                base_number=base_number,
                now=self.wall_clock(),
            )
            await uow.commit()
        keyboard = [
            [
                (confirm, DraftButton(DraftAction.CONFIRM, token).pack()),
                (tr.gettext("Cancel"), DraftButton(DraftAction.CANCEL, token).pack()),
            ]
        ]
        for piece in pieces[:-1]:
            await self.gateway.send_text(chat_id, piece)
        await self.gateway.send_text(chat_id, pieces[-1], keyboard)

    # ------------------------------------------------------------------ pressing

    async def press(self, callback: IncomingCallback, button: DraftButton, tr: Translator) -> None:
        """Confirm or cancel a preview; the presser is an admin (checked by the caller, on every press)."""
        chat_id = callback.chat_id if callback.chat_id is not None else callback.sender.id
        actor = actor_of(callback.sender.id)
        async with self.database.uow() as uow:
            draft = await uow.admin_drafts.get(button.token)
        if draft is None or draft.kind == ASK:
            await self._tell(chat_id, tr.gettext("This preview is not known (any more). Please start again."))
            return
        if draft.admin != actor:
            await self._audit_refusal(actor, draft, button)
            await self._tell(chat_id, tr.gettext("Only the admin who asked for this preview can confirm or cancel it."))
            return
        if draft.closed_at is not None:
            await self._tell(
                chat_id, tr.gettext("This preview was confirmed or cancelled already; nothing more is done.")
            )
            return
        if button.action is DraftAction.CANCEL:
            if await self._close(draft):
                await self._settle(chat_id, callback, draft, tr.gettext("Cancelled: nothing was changed."))
            return
        if draft.kind == ANNOUNCE:
            await self._announce(chat_id, callback, draft, actor, tr)
        else:
            await self._publish(chat_id, callback, draft, actor, tr)

    async def _publish(
        self, chat_id: int, callback: IncomingCallback, draft: AdminDraft, actor: str, tr: Translator
    ) -> None:
        publisher = self.publisher
        if publisher is None:
            await self._tell(chat_id, tr.gettext("Publishing is not available in this run."))
            return
        payload = dict(draft.payload)
        number, _files = await publisher.active_files()
        if number != draft.base_number:
            await self._moved_on(chat_id, callback, draft, number, tr)
            return
        try:
            if draft.kind == ROLLBACK:
                prepared = await publisher.prepare_rollback(int(payload["target"]))
            else:
                base = await publisher.files_of(number)
                assert base is not None  # the number was just read as the newest
                prepared = await publisher.prepare(applied(base, payload))
        except ContentError as error:  # valid when shown; a newer bot may check more
            await self._close(draft)
            header = tr.gettext("This can no longer be published; version {number} stays in force:").format(
                number=number
            )
            await self.gateway.send_text(chat_id, problems_text(header, error.problems, tr))
            return
        except PublishRefused:
            await self._moved_on(chat_id, callback, draft, number, tr)
            return
        if prepared.base_number != draft.base_number:
            await self._moved_on(chat_id, callback, draft, prepared.base_number, tr)
            return
        if not await self._close(draft):
            await self._tell(
                chat_id, tr.gettext("This preview was confirmed or cancelled already; nothing more is done.")
            )
            return
        now = self.wall_clock()
        try:
            if draft.kind == ROLLBACK:
                published = await publisher.rollback(prepared, int(payload["target"]), actor=actor, now=now)
            else:
                summary = str(payload.get("summary") or "") or None
                published = await publisher.publish(prepared, actor=actor, now=now, kind=draft.kind, summary=summary)
        except PublishRefused:
            latest, _files = await publisher.active_files()
            await self._moved_on(chat_id, callback, draft, latest, tr)
            return
        done = tr.gettext("Published as version {number}.").format(number=published)
        await self._settle(chat_id, callback, draft, done)

    async def _announce(
        self, chat_id: int, callback: IncomingCallback, draft: AdminDraft, actor: str, tr: Translator
    ) -> None:
        payload = dict(draft.payload)
        program = str(payload["program"])
        now = self.wall_clock()
        async with self.database.uow() as uow:
            if not await uow.admin_drafts.close(draft.token, now=now):
                await self._tell(
                    chat_id, tr.gettext("This preview was confirmed or cancelled already; nothing more is done.")
                )
                return
            try:  # queued with its audit line ("announce") in this transaction, with the draft closed
                count = await enqueue_announcement(
                    uow, program, str(payload["text"]), by=actor, now=now, announcement_id=draft.token
                )
            except ValueError as error:
                await self._tell(chat_id, tr.gettext("The announcement was not queued: {reason}").format(reason=error))
                return
            await uow.commit()
        self.on_queued()
        done = tr.ngettext(
            "Queued for {n} follower: each gets it once, in the next minutes.",
            "Queued for {n} followers: each gets it once, in the next minutes.",
            count,
        ).format(n=tr.number(count))
        await self._settle(chat_id, callback, draft, done)

    # ------------------------------------------------------------------ helpers

    async def _close(self, draft: AdminDraft) -> bool:
        async with self.database.uow() as uow:
            closed = await uow.admin_drafts.close(draft.token, now=self.wall_clock())
            await uow.commit()
        return closed

    async def _moved_on(
        self, chat_id: int, callback: IncomingCallback, draft: AdminDraft, number: int, tr: Translator
    ) -> None:
        """The version in force is no longer the preview's base: nothing is done, the admin starts again."""
        await self._close(draft)
        again = {
            PUBLISH: tr.gettext("Version {number} was published meanwhile; send the file again."),
            EDIT: tr.gettext("Version {number} was published meanwhile; send the command again."),
            ROLLBACK: tr.gettext("Version {number} was published meanwhile; send /rollback again."),
        }[draft.kind]
        await self._settle(chat_id, callback, draft, again.format(number=number))

    async def _settle(self, chat_id: int, callback: IncomingCallback, draft: AdminDraft, status: str) -> None:
        """The preview message keeps what it showed, loses its buttons and says what became of it."""
        preview = str(dict(draft.payload).get("preview") or "")
        text = f"{preview}\n\n<b>{escape(status)}</b>" if preview else escape(status)
        if callback.message_id is not None and callback.chat_id is not None:
            try:
                await self.gateway.edit_text(callback.chat_id, callback.message_id, text)
                return
            except TelegramFailure as failure:  # too old to edit, or deleted: say it in a new message
                log.info("preview %s not edited: %s", callback.message_id, failure)
        await self._tell(chat_id, status)

    async def _tell(self, chat_id: int, text: str) -> None:
        await self.gateway.send_text(chat_id, escape(text))

    async def _audit_refusal(self, actor: str, draft: AdminDraft, button: DraftButton) -> None:
        async with self.database.uow() as uow:
            await uow.audit.record(
                actor=actor,
                action="confirm",
                target=f"{draft.kind} {draft.token[:6]}",
                at=self.wall_clock(),
                detail={"asked_by": draft.admin, "button": str(button.action)},
                allowed=False,
            )
            await uow.commit()


def english() -> Translator:
    """The language stored summaries are written in (as the command line writes them)."""
    return translator("en")
