"""What a follower's notification says when the outbox worker delivers it, or that it is owed no more.

Rows are queued by :mod:`bot.followers` and may wait (an outage, a 429, a long
announcement ahead of them). At delivery each is checked against what is true
then: the person is still the one it was queued for (their data not deleted),
the window is still the one announced (a moved deadline makes another window,
whose own message carries the new dates; this one is dropped), still open, and
a reminder's application still not sent. What is no longer owed is recorded as
done without a message.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from bot.followers import ANNOUNCEMENT, DEADLINE_REMINDER, ROUND_OPENED
from bot.i18n import translator
from bot.telegram.format import split_text
from bot.telegram.types import Keyboard
from dialogs.follow_messages import FollowerMessage, announcement, deadline_reminder, round_opened
from dialogs.follow_schedule import current_window
from dialogs.i18n import Translator
from dialogs.loader import Content
from dialogs.state import State
from storage.db import Database
from storage.uow import UnitOfWork
from storage.views import ApplicantRecord, OutboxItem

#: The channel follower messages are pushed on (the only one that can).
CHANNEL = "tg"


@dataclass(frozen=True)
class Addressed:
    """The chat to send to, and the messages: escaped HTML texts, the last with the buttons."""

    chat: int
    texts: tuple[str, ...]
    keyboard: Keyboard | None


async def follower_message(
    database: Database, row: OutboxItem, content: Content, now: dt.datetime, default_lang: str
) -> Addressed | None:
    """The message ``row`` owes its follower now, in their language; None when nothing is owed any more."""
    payload = row.payload
    if payload.get("channel") != CHANNEL or not payload.get("user"):
        return None
    async with database.uow() as uow:
        applicant = await uow.applicants.record(int(payload.get("applicant") or 0))
        if applicant is None or applicant.channel != CHANNEL or applicant.external_id != str(payload["user"]):
            return None  # the person deleted their data (and the id may be someone else's now)
        owed = row.kind != DEADLINE_REMINDER or await _application_not_sent(uow, applicant, payload)
    if not owed:
        return None
    tr = translator(applicant.language or default_lang)
    message = _compose(row.kind, payload, content, now, tr)
    if message is None:
        return None
    texts = tuple(html.escape(piece, quote=False) for piece in split_text(message.text))
    keyboard = [[button] for button in message.buttons] or None
    return Addressed(int(applicant.external_id), texts, keyboard)


def _compose(
    kind: str, payload: dict[str, Any], content: Content, now: dt.datetime, tr: Translator
) -> FollowerMessage | None:
    if kind == ANNOUNCEMENT:
        return announcement(content, str(payload.get("program")), str(payload.get("text") or ""), tr)
    window = current_window(content, str(payload.get("program")), str(payload.get("milestone")))
    if window is None or window.key != payload.get("window") or now >= window.closes:
        return None  # gone, moved (its successor is announced under its own key) or closed meanwhile
    program = content.program(window.program)
    milestone = program.milestone(window.milestone)
    if kind == ROUND_OPENED:
        tracks = tuple(t for t in payload.get("tracks") or () if t in window.tracks)
        if not tracks:
            return None
        return round_opened(program, milestone, tracks, now, tr, new_tracks=bool(payload.get("added")))
    if kind == DEADLINE_REMINDER:
        track = payload.get("track")
        if track not in window.tracks:
            return None
        return deadline_reminder(program, track, milestone, now, tr)
    return None


async def _application_not_sent(uow: UnitOfWork, applicant: ApplicantRecord, payload: dict[str, Any]) -> bool:
    """The application a reminder is about is still a draft: not submitted, not dropped."""
    program, track = payload.get("program"), payload.get("track")
    if any(s.program == program and s.track == track for s in await uow.submissions.list_for(applicant.id)):
        return False
    stored = await uow.conversations.load(applicant.id, CHANNEL)
    draft = State.from_json(stored[0] if stored else None).draft
    return draft is not None and draft.amends is None and (draft.program, draft.track) == (program, track)
