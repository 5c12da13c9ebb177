"""Keeping the promise to followers: told when a round opens, reminded before a deadline, announced to.

:class:`FollowerScheduler` reads the schedule the published content implies
(:mod:`dialogs.follow_schedule`) and queues outbox rows; the outbox worker
delivers them (:mod:`bot.telegram.outbox`), within Telegram's limits. It runs at
start, after every switch to a new content version, and once a minute.

"Exactly once per person" rests on the outbox's unique ``dedupe_key``
(:meth:`storage.repositories.OutboxRepository.enqueue_once`): a key is derived
from the person and what they are told (the window, the reminder, the
announcement), so a restart, a second process or a republished version
deriving the same message again queues nothing. Only followers on a channel
that can push (Telegram) are queued: the terminal shows nothing unasked.

- **Round opened**: one ``round_opened`` row per follower per window
  (program, milestone, opening and closing instants). A moved deadline is a new
  window: followers hear the new dates. A track added to a window already
  announced gets one more row naming the new track(s), to those told before.
- **Reminders**: ``deadline_reminder`` rows 7 days and 1 day before the
  applicant-facing deadline, to each applicant whose conversation holds a draft
  for a track facing an open window and who has not submitted to that track. A
  reminder goes out from its moment for at most
  :data:`dialogs.follow_schedule.LATE_LIMIT` (12 hours) and is dropped after:
  with the scheduler down for a day, "7 days left" is not sent on day 5.
  Delivery checks again (the applicant may have submitted meanwhile).
- **Announcements**: :func:`enqueue_announcement`, which the admin chat calls
  once an admin confirmed the text.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from dialogs.follow_schedule import OpenWindow, bounded, facing, instant_key, open_windows
from dialogs.loader import Content
from dialogs.state import State
from storage.db import Database
from storage.models import applicant_reference
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

#: The outbox kinds this module queues (all to one applicant; given up when they blocked the bot).
ROUND_OPENED = "round_opened"
DEADLINE_REMINDER = "deadline_reminder"
ANNOUNCEMENT = "announcement"
FOLLOWER_KINDS = (ROUND_OPENED, DEADLINE_REMINDER, ANNOUNCEMENT)
#: The channels a message can be pushed on (the terminal answers only when asked).
PUSH_CHANNELS = ("tg",)
#: Seconds between two runs of the scheduler besides the runs after a content switch.
EVERY = 60.0
#: The longest announcement an admin may send (Telegram's message holds 4,096 characters with the heading).
MAX_ANNOUNCEMENT = 3500


def round_key(applicant_id: int, window: OpenWindow) -> str:
    return bounded(f"{ROUND_OPENED}:{applicant_id}:{window.key}")


def track_key(applicant_id: int, window: OpenWindow, track: str | None) -> str:
    """The key of the message about a track added to a window the follower was already told of."""
    return bounded(f"{ROUND_OPENED}:{applicant_id}:{window.key}:+{track or '-'}")


def reminder_key(applicant_id: int, window: OpenWindow, track: str | None, lead: str) -> str:
    return bounded(f"{DEADLINE_REMINDER}:{applicant_id}:{window.key}:{track or '-'}:{lead}")


def announcement_key(announcement: str, applicant_id: int) -> str:
    return bounded(f"{ANNOUNCEMENT}:{announcement}:{applicant_id}")


class _Reachable(Protocol):
    @property
    def applicant_id(self) -> int: ...
    @property
    def channel(self) -> str: ...
    @property
    def user(self) -> str: ...


def _person(person: _Reachable) -> dict[str, Any]:
    """Who a message is for, as its payload names them (the worker checks it is still that person)."""
    return {"applicant": person.applicant_id, "channel": person.channel, "user": person.user}


@dataclass
class Scheduled:
    """What one run queued (rows this process inserted; another process's are not counted)."""

    told: int = 0
    new_tracks: int = 0
    reminders: int = 0
    windows: list[str] = field(default_factory=list)

    @property
    def queued(self) -> int:
        return self.told + self.new_tracks + self.reminders


class FollowerScheduler:
    """Derives, from the content in force and ``now``, who must be told what, and queues it once."""

    def __init__(
        self,
        database: Database,
        content: Callable[[], Content],
        clock: Callable[[], dt.datetime],
        *,
        every: float = EVERY,
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        """``clock``: the time the content's windows are judged by (the applicants' clock).
        ``on_queued``: called after a run queued rows (the outbox worker wakes up at once)."""
        self.database = database
        self._content = content
        self.clock = clock
        self.every = every
        self.on_queued = on_queued
        #: Per open window, the tracks each follower (by applicant id) is known to have been told of:
        #: saves reading the outbox again every minute for followers already told.
        self._told: dict[str, dict[int, frozenset[str | None]]] = {}
        #: Per open window, reminder keys known to be queued (here or by another process).
        self._reminded: dict[str, set[str]] = {}
        self._task: asyncio.Task[None] | None = None
        self._running = asyncio.Lock()

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop(), name="follower-scheduler")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def on_switch(self, old: Content, new: Content, number: int) -> None:
        """A listener of :class:`bot.content_live.LiveContent`: a new version may open a window now."""
        await self.run_once()

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a database outage must not end the schedule for good
                log.exception("follower scheduler run failed")
            await asyncio.sleep(self.every)

    async def run_once(self, now: dt.datetime | None = None) -> Scheduled:
        """Queue what is due at ``now`` (default: the clock): windows to tell followers of, reminders."""
        async with self._running:  # a switch and the minute's run at once: one after the other
            when = now if now is not None else self.clock()
            windows = open_windows(self._content(), when)
            scheduled = Scheduled(windows=[w.key for w in windows])
            for memory in (self._told, self._reminded):  # windows closed or moved: forgotten
                for key in set(memory) - set(scheduled.windows):
                    del memory[key]
            for window in windows:
                told, added = await self._tell(window, when)
                scheduled.told += told
                scheduled.new_tracks += added
            scheduled.reminders = await self._remind(windows, when)
        if scheduled.queued:
            log.info(
                "followers: %d told of an open window, %d of a new track, %d reminded",
                scheduled.told,
                scheduled.new_tracks,
                scheduled.reminders,
            )
            if self.on_queued is not None:
                self.on_queued()
        return scheduled

    # ------------------------------------------------------------------ a window opened

    async def _tell(self, window: OpenWindow, now: dt.datetime) -> tuple[int, int]:
        """One message per follower of the program for this window, and one more to those told before a
        track was added to it. Reads first (who follows, what was queued), then writes only inserts
        that the unique key makes once."""
        tracks = frozenset(window.tracks)
        known = self._told.setdefault(window.key, {})
        async with self.database.uow() as uow:
            followers = await uow.followers.followers([window.program], PUSH_CHANNELS)
            unknown = [f.applicant_id for f in followers if f.applicant_id not in known]
            queued = await uow.followers.payloads([round_key(a, window) for a in unknown])
            for applicant in unknown:
                payload = queued.get(round_key(applicant, window))
                if payload is not None:
                    known[applicant] = frozenset(payload.get("tracks") or ())
            behind = {a: tracks - told for a, told in known.items() if not tracks <= told}
            if behind:
                # messages about added tracks sent earlier count as told too
                keys = [track_key(a, window, t) for a, missing in behind.items() for t in missing]
                for payload in (await uow.followers.payloads(keys)).values():
                    applicant = int(payload.get("applicant", 0))
                    if applicant in behind:
                        behind[applicant] -= set(payload.get("tracks") or ())
        first = [f for f in followers if f.applicant_id not in known]
        later = [f for f in followers if behind.get(f.applicant_id)]
        told = added = 0
        if first or later:
            ordered = list(window.tracks)  # content order, for the message
            async with self.database.uow() as uow:
                for follower in first:
                    payload = {**_person(follower), **self._window_payload(window), "tracks": ordered}
                    reference = applicant_reference(follower.applicant_id)
                    key = round_key(follower.applicant_id, window)
                    told += await uow.outbox.enqueue_once(key, ROUND_OPENED, reference, payload, now)
                for follower in later:
                    missing = [t for t in ordered if t in behind[follower.applicant_id]]
                    payload = {**_person(follower), **self._window_payload(window), "tracks": missing, "added": True}
                    reference = applicant_reference(follower.applicant_id)
                    key = track_key(follower.applicant_id, window, missing[0])
                    added += await uow.outbox.enqueue_once(key, ROUND_OPENED, reference, payload, now)
                await uow.followers.mark_notified(window.program, [f.applicant_id for f in first + later], now)
                await uow.commit()
        for follower in followers:  # queued now, by another process, or before: told of every track now
            known[follower.applicant_id] = tracks
        return told, added

    @staticmethod
    def _window_payload(window: OpenWindow) -> dict[str, Any]:
        return {
            "program": window.program,
            "milestone": window.milestone,
            "window": window.key,
            "closes": instant_key(window.closes),
        }

    # ------------------------------------------------------------------ deadlines near

    async def _remind(self, windows: list[OpenWindow], now: dt.datetime) -> int:
        """Reminders due now to applicants with an application not sent for a track facing the window."""
        due = {w.key: w.due_reminders(now) for w in windows}
        near = [w for w in windows if due[w.key]]
        if not near:
            return 0
        programs = sorted({w.program for w in near})
        async with self.database.uow() as uow:
            holders = await uow.followers.drafts(programs, PUSH_CHANNELS)
            submitted = await uow.followers.submitted([h.applicant_id for h in holders], programs)
        rows: list[tuple[str, dict[str, Any]]] = []
        for holder in holders:
            draft = State.from_json(holder.state).draft
            if draft is None or draft.amends is not None:
                continue
            window = facing(near, draft.program, draft.track)
            if window is None or (holder.applicant_id, draft.program, draft.track) in submitted:
                continue
            for lead in due[window.key]:
                payload = {**_person(holder), **self._window_payload(window), "track": draft.track, "lead": lead}
                rows.append((reminder_key(holder.applicant_id, window, draft.track, lead), payload))
        rows = [(key, payload) for key, payload in rows if key not in self._reminded.get(str(payload["window"]), ())]
        if not rows:
            return 0
        queued = 0
        async with self.database.uow() as uow:
            for key, payload in rows:
                reference = applicant_reference(int(payload["applicant"]))
                queued += await uow.outbox.enqueue_once(key, DEADLINE_REMINDER, reference, payload, now)
            await uow.commit()
        for key, payload in rows:
            self._reminded.setdefault(str(payload["window"]), set()).add(key)
        return queued


# ---------------------------------------------------------------------- announcements


async def count_followers(uow: UnitOfWork, program_id: str) -> int:
    """How many followers an announcement to the program would reach (for the admin's preview)."""
    return len(await uow.followers.followers([program_id], PUSH_CHANNELS))


async def enqueue_announcement(
    uow: UnitOfWork,
    program_id: str,
    text: str,
    *,
    by: str,
    now: dt.datetime,
    announcement_id: str | None = None,
) -> int:
    """Queue ``text`` to every follower of the program (reachable by push), once each, with an audit
    line in the same transaction; returns how many were queued. The caller commits.

    ``by``: the admin (``tg:12345``). ``announcement_id``: what makes it once (the admin's confirmed
    draft token, so a second press queues nothing); a fresh one by default. The text is sent as
    written (escaped), under a heading naming the program. Raises ValueError for an empty text or one
    longer than :data:`MAX_ANNOUNCEMENT`: the admin is asked to shorten it before anything is queued.
    """
    words = text.strip()
    if not words:
        raise ValueError("the announcement is empty")
    if len(words) > MAX_ANNOUNCEMENT:
        raise ValueError(f"the announcement has {len(words)} characters; at most {MAX_ANNOUNCEMENT} fit a message")
    announcement = announcement_id or secrets.token_hex(6)
    queued = 0
    for follower in await uow.followers.followers([program_id], PUSH_CHANNELS):
        payload = {**_person(follower), "program": program_id, "text": words, "announcement": announcement}
        key = announcement_key(announcement, follower.applicant_id)
        if await uow.outbox.enqueue_once(key, ANNOUNCEMENT, applicant_reference(follower.applicant_id), payload, now):
            queued += 1
    await uow.audit.record(
        actor=by,
        action="announce",
        target=program_id,
        at=now,
        detail={"announcement": announcement, "followers": queued, "text": words},
    )
    return queued
