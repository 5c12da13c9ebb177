"""Deadlines in time: when a window opens and closes, and what a program's status is at ``now``.

``now`` always comes in as an argument (aware datetime): the engine never reads
the clock. A milestone's date and time are wall-clock times in its own time zone.
A closing date without a time means the whole of that day still counts
("4月21日前报送" is read as: on 21 April at the latest); a closing time means
"before" that minute ("6月15日20:00前" closes at 20:00).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo

from dialogs.memo import PerObject
from dialogs.schema_program import Milestone, Program, Track

WindowState = Literal["upcoming", "open", "closed"]
Status = Literal["draft", "upcoming", "open", "closed"]


def _instant(date: dt.date, clock: dt.time | None, zone: str, *, end_of_day: bool) -> dt.datetime:
    tz = ZoneInfo(zone)
    if clock is not None:
        return dt.datetime.combine(date, clock, tzinfo=tz)
    day = date + dt.timedelta(days=1) if end_of_day else date
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)


def closes_at(milestone: Milestone) -> dt.datetime:
    """The first instant at which the milestone is past (exclusive end)."""
    return _instants(milestone)[1]


def opens_at(milestone: Milestone) -> dt.datetime | None:
    """The instant the window opens, or ``None`` when the notice does not say."""
    return _instants(milestone)[0]


def _both_instants(milestone: Milestone) -> tuple[dt.datetime | None, dt.datetime]:
    closes = _instant(milestone.closes.date, milestone.closes.clock(), milestone.timezone, end_of_day=True)
    if milestone.opens is None:
        return None, closes
    return _instant(milestone.opens.date, milestone.opens.clock(), milestone.timezone, end_of_day=False), closes


#: A milestone's opening and closing instants, worked out once per loaded milestone (content never
#: changes once loaded): every screen that says whether a window is open asks for them, the fit-finder's
#: result for every track.
_instants: PerObject[Milestone, tuple[dt.datetime | None, dt.datetime]] = PerObject(_both_instants)


def last_moment(milestone: Milestone) -> dt.datetime:
    """The deadline as people say it: 20:00 for "20:00前", 23:59:59 for a whole day."""
    end = closes_at(milestone)
    return end if milestone.closes.time else end - dt.timedelta(seconds=1)


def window_state(milestone: Milestone, now: dt.datetime) -> WindowState:
    start = opens_at(milestone)
    if start is not None and now < start:
        return "upcoming"
    return "open" if now < closes_at(milestone) else "closed"


def track_window_state(program: Program, track: Track, now: dt.datetime) -> WindowState | None:
    """The state of the window the track's applicant faces; ``None`` for a draft or no window.

    A track an admin closed (``closed: true``) is closed whatever its dates say."""
    if program.draft:
        return None
    window = program.window_of(track)
    if window is None:
        return None
    return "closed" if track.closed else window_state(window, now)


def is_open(program: Program, track: Track, now: dt.datetime) -> bool:
    return track_window_state(program, track, now) == "open"


def program_status(program: Program, now: dt.datetime) -> Status:
    """``draft``; else ``open`` if any track's window is open, ``upcoming`` if one is still ahead, else ``closed``."""
    states = {track_window_state(program, t, now) for t in program.tracks}
    if program.draft or states == {None}:
        return "draft"
    for state in ("open", "upcoming"):
        if state in states:
            return state
    return "closed"


def applicant_windows(program: Program) -> list[Milestone]:
    """The distinct applicant-facing milestones of the program's tracks, in track order."""
    found: list[Milestone] = []
    for track in program.tracks:
        window = program.window_of(track)
        if window is not None and window not in found:
            found.append(window)
    return found


def applicant_deadline(program: Program, now: dt.datetime) -> Milestone | None:
    """The applicant-facing deadline: the next one to close, or else the last one that closed."""
    if program.draft:
        return None
    windows = applicant_windows(program)
    ahead = [m for m in windows if closes_at(m) > now]
    if ahead:
        return min(ahead, key=closes_at)
    return max(windows, key=closes_at, default=None)
