"""The admin commands' arguments, read into edits or refused with a message that says what to type.

``/move sx-state-allowance-2023 city-materials opens 2024-03-01 closes 2024-03-31 17:30``
becomes a :class:`dialogs.quick_edits.MoveMilestone`; a date that does not exist
(2024-02-30, 2月30日) is refused with the number of days its month has, never
read as another day. Whether the program, milestone, track or contact exists is
for :mod:`dialogs.quick_edits` to say, against the file itself.

Pure: the commands' words are read here, the bot words the answers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dialogs.i18n import N_
from dialogs.quick_edits import ChangePhone, EditRefused, Moment, MoveMilestone

#: The admin commands, as typed after the slash; a non-admin who sends one is refused and audited.
ADMIN_COMMANDS = ("admin", "versions", "rollback", "audit", "move", "open", "close", "phone", "announce")
#: Quick edits: each makes a new content version after a preview.
EDIT_COMMANDS = ("move", "open", "close", "phone")

_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{4})年(\d{1,2})月(\d{1,2})日?$")
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})$")
_PHONE = re.compile(r"^\+?\d[\d-]*\d$")
#: The words that say which end of a window a date is for (English, Chinese, Uyghur).
_OPENS = frozenset({"opens", "open", "from", "开始", "起", "ئېچىلىدۇ"})
_CLOSES = frozenset({"closes", "close", "until", "by", "截止", "至", "ئاخىرلىشىدۇ"})


@dataclass(frozen=True)
class TrackArgs:
    """``/open PROGRAM [TRACK]``: the track may be left out when the program has only one."""

    program: str
    track: str | None
    #: Whether a track was named (``-`` or ``null`` name the single track whose id is null).
    named: bool


def words(args: str) -> list[str]:
    return args.split()


def parse_date(text: str) -> dt.date:
    """``2024-03-31``, ``2024/3/31``, ``2024年3月31日``; a day its month does not have is refused as such."""
    match = _DATE.match(text.strip())
    if match is None:
        raise EditRefused(N_("{text} is not a date: write it as YYYY-MM-DD, e.g. 2024-03-31."), text=text)
    year, month, day = (int(g) for g in (match.groups()[:3] if match.group(1) else match.groups()[3:]))
    if not 1 <= month <= 12:
        raise EditRefused(N_("{text} is not a date: there is no month {month}."), text=text, month=month)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise EditRefused(
            N_("{text} is not a date: {year}-{month:02d} has {days} days."),
            text=text,
            year=year,
            month=month,
            days=days,
        )
    return dt.date(year, month, day)


def parse_time(text: str) -> dt.time:
    """``17:30`` or ``8:00`` (24-hour clock, Beijing time)."""
    match = _TIME.match(text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise EditRefused(N_("{text} is not a time of day: write it as HH:MM, e.g. 17:30."), text=text)
    return dt.time(int(match.group(1)), int(match.group(2)))


def _is_time(text: str) -> bool:
    return _TIME.match(text) is not None


def parse_move(args: str) -> MoveMilestone:
    """``PROGRAM MILESTONE [opens DATE [TIME]] [[closes] DATE [TIME]]``."""
    parts = words(args)
    if len(parts) < 3:
        raise EditRefused(N_("Give the program, the milestone and the new date."))
    program, milestone, rest = parts[0], parts[1], parts[2:]
    found: dict[str, Moment] = {}
    end = "closes"
    i = 0
    while i < len(rest):
        word = rest[i].lower()
        if word in _OPENS or word in _CLOSES:
            end = "opens" if word in _OPENS else "closes"
            i += 1
            if i == len(rest):
                raise EditRefused(N_("Give the date after {word}."), word=rest[i - 1])
        date = parse_date(rest[i])
        i += 1
        time = None
        if i < len(rest) and _is_time(rest[i]):
            time = parse_time(rest[i])
            i += 1
        elif i < len(rest) and ":" in rest[i]:
            parse_time(rest[i])  # refuses "25:00" with its own message
        if end in found:
            raise EditRefused(N_("Give one date for the opening and one for the closing."))
        found[end] = Moment(date, time)
        end = "closes"
    return MoveMilestone(program, milestone, closes=found.get("closes"), opens=found.get("opens"))


def parse_track(args: str) -> TrackArgs:
    """``PROGRAM [TRACK]``."""
    parts = words(args)
    if not 1 <= len(parts) <= 2:
        raise EditRefused(N_("Give the program and the track."))
    if len(parts) == 1:
        return TrackArgs(parts[0], None, named=False)
    track = None if parts[1].lower() in {"-", "null", "none"} else parts[1]
    return TrackArgs(parts[0], track, named=True)


def parse_phone(args: str) -> ChangePhone:
    """``PROGRAM CONTACT NEW`` or ``PROGRAM CONTACT OLD NEW``."""
    parts = words(args)
    if len(parts) not in (3, 4):
        raise EditRefused(N_("Give the program, the contact and the new phone (written without spaces)."))
    for phone in parts[2:]:
        digits = sum(ch.isdigit() for ch in phone)
        if _PHONE.match(phone) is None or not 5 <= digits <= 15:
            raise EditRefused(
                N_("{phone} is not a phone number: digits, a + in front and hyphens only, e.g. 0351-7676026."),
                phone=phone,
            )
    if len(parts) == 3:
        return ChangePhone(parts[0], parts[1], new=parts[2])
    return ChangePhone(parts[0], parts[1], new=parts[3], old=parts[2])


def parse_version(args: str) -> int | None:
    """``/rollback [N]``: the version to go back to, None for the one before the version in force."""
    parts = words(args)
    if not parts:
        return None
    text = parts[0].lstrip("vV#")
    if len(parts) > 1 or not text.isascii() or not text.isdigit() or int(text) < 1:
        raise EditRefused(N_("{text} is not a version number."), text=args.strip())
    return int(text)
