"""What the published content promises its followers, and when: which windows are open, when to remind.

Pure: the content and ``now`` in, plain values out; the scheduler
(:mod:`bot.followers`) turns them into outbox rows. Everything is derived from
the version in force, so publishing a new version changes the schedule: a window
is identified by its program, its milestone id and its opening and closing
instants (:attr:`OpenWindow.key`), so a moved deadline is a new window, and the
reminders, keyed by the closing instant too, move with it.

Reminders fall 7 days and 1 day before the applicant-facing deadline (the
track's window's :func:`dialogs.schedule.closes_at`). A reminder is sent from its
moment for at most :data:`LATE_LIMIT`; one whose moment passed longer ago (the
bot was down for a day) is dropped rather than sent late: "7 days left" arriving
on day 5 misleads, and the next reminder, or the deadline screen itself, says
what is true then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from dialogs.loader import Content
from dialogs.schedule import closes_at, opens_at, window_state
from dialogs.schema_program import Milestone, Program

#: How long before the deadline each reminder falls, by the name its key carries.
REMINDERS: tuple[tuple[str, dt.timedelta], ...] = (("7d", dt.timedelta(days=7)), ("1d", dt.timedelta(days=1)))
#: How late a reminder may still go out after its moment (see the module's docstring).
LATE_LIMIT = dt.timedelta(hours=12)
#: The outbox's ``dedupe_key`` column holds this many characters; a longer key is shortened to a digest.
KEY_LIMIT = 200


def instant_key(moment: dt.datetime | None) -> str:
    """A moment as it appears in a key: UTC to the minute (``20230630T1600Z``), ``-`` for none."""
    if moment is None:
        return "-"
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%MZ")


def bounded(key: str) -> str:
    """``key`` as stored: as is when it fits the column, else its prefix and a digest of the whole."""
    if len(key) <= KEY_LIMIT:
        return key
    return key[:100] + "#" + hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class OpenWindow:
    """An applicant-facing window of a program, and the tracks whose applicants face it."""

    program: str
    milestone: str
    opens: dt.datetime | None
    closes: dt.datetime
    tracks: tuple[str | None, ...]

    @property
    def key(self) -> str:
        """What identifies the window: a moved opening or deadline makes another window."""
        return f"{self.program}:{self.milestone}:{instant_key(self.opens)}:{instant_key(self.closes)}"

    def reminder_moments(self) -> list[tuple[str, dt.datetime]]:
        """Each reminder's name (``7d``, ``1d``) and the moment it falls."""
        return [(name, self.closes - lead) for name, lead in REMINDERS]

    def due_reminders(self, now: dt.datetime) -> list[str]:
        """The reminders to send at ``now``: their moment has come, not longer than :data:`LATE_LIMIT`
        ago, and the deadline has not passed."""
        if now >= self.closes:
            return []
        return [name for name, at in self.reminder_moments() if at <= now < at + LATE_LIMIT]


def window_of(program: Program, milestone: Milestone) -> OpenWindow:
    """The window of ``milestone`` with the tracks that face it (whether it is open or not)."""
    tracks = tuple(t.id for t in program.tracks if program.window_of(t) == milestone)
    return OpenWindow(program.id, milestone.id, opens_at(milestone), closes_at(milestone), tracks)


def applicant_windows(content: Content) -> list[OpenWindow]:
    """Every applicant-facing window of every program that is not a draft, in content order."""
    found: list[OpenWindow] = []
    for program in content.programs:
        if program.draft:
            continue
        seen: list[Milestone] = []
        for track in program.tracks:
            milestone = program.window_of(track)
            if milestone is not None and milestone not in seen:
                seen.append(milestone)
                found.append(window_of(program, milestone))
    return found


def open_windows(content: Content, now: dt.datetime) -> list[OpenWindow]:
    """The applicant-facing windows open at ``now``."""
    return [
        w
        for w in applicant_windows(content)
        if window_state(content.program(w.program).milestone(w.milestone), now) == "open"
    ]


def current_window(content: Content, program_id: str, milestone_id: str) -> OpenWindow | None:
    """The window of that program's milestone in ``content``, open or not; None when either is gone."""
    program = content.find_program(program_id)
    if program is None or program.draft:
        return None
    milestone = next((m for m in program.deadlines if m.id == milestone_id), None)
    if milestone is None:
        return None
    window = window_of(program, milestone)
    return window if window.tracks else None


def facing(windows: list[OpenWindow], program_id: str, track_id: str | None) -> OpenWindow | None:
    """The window among ``windows`` that the applicant of that program's track faces."""
    return next((w for w in windows if w.program == program_id and track_id in w.tracks), None)


def days_left(remaining: dt.timedelta) -> int | None:
    """Whole days left as a reminder says them (to the nearest day: a reminder sent a minute after its
    moment still says "7 days"), or None under half a day, where hours say it better."""
    if remaining < dt.timedelta(hours=12):
        return None
    return max(1, round(remaining / dt.timedelta(days=1)))
