"""Quick edits of a program file without sending a file: move a milestone, open or close a track, change a phone.

An admin's ``/move``, ``/open``, ``/close`` and ``/phone`` become one of the edits
below, applied here to the raw YAML text of the program's file with ruamel.yaml's
round trip, so every comment, quote style and flow mapping of the file stays as
the author wrote it; only the edited values change. The result is a new file text
that is then validated and previewed like any publish (:mod:`bot.publishing`).

A moved milestone or a changed phone no longer rests on the notice's words (the
notice said 31 March 2023; the office now says 2024): the edited item is marked
``basis: office`` and loses its ``quote``, so the bot presents it as the office's
guidance, which is what it is.

Pure: text in, text out; no clock, no files. Refusals carry a translatable message
(:class:`EditRefused`) for the bot to word in the admin's language.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from dialogs.i18n import N_
from dialogs.loader import PROGRAMS_DIR
from dialogs.problems import DialogsError

#: The time zone every date an admin types is read in (the notices' own).
BEIJING = "Asia/Shanghai"


class EditRefused(DialogsError):
    """An edit that cannot be made; ``message`` is a translatable template, ``args`` fill it."""

    def __init__(self, message: str, **args: object) -> None:
        super().__init__(message.format(**args))
        self.message = message
        self.values = args


@dataclass(frozen=True)
class Moment:
    """A date, with a time of day or the whole day (Beijing time, as the notices give them)."""

    date: dt.date
    time: dt.time | None = None

    def __str__(self) -> str:
        return self.date.isoformat() + (f" {self.time:%H:%M}" if self.time else "")


@dataclass(frozen=True)
class MoveMilestone:
    """New dates for a milestone: its closing, its opening, or both. A moment without a time keeps the
    time of day the milestone had (none for a whole day)."""

    program: str
    milestone: str
    closes: Moment | None = None
    opens: Moment | None = None


@dataclass(frozen=True)
class SetTrackClosed:
    """Close a track whatever its dates say (``closed: true``), or open it again."""

    program: str
    track: str | None
    closed: bool


@dataclass(frozen=True)
class ChangePhone:
    """Replace a contact's phone: ``old`` when given, else the first one."""

    program: str
    contact: str
    new: str
    old: str | None = None


QuickEdit = MoveMilestone | SetTrackClosed | ChangePhone


def describe(edit: QuickEdit) -> str:
    """A plain line for the version's summary and the audit log (kept in English, as file summaries are)."""
    if isinstance(edit, MoveMilestone):
        parts = [f"opens {edit.opens}"] if edit.opens else []
        parts += [f"closes {edit.closes}"] if edit.closes else []
        return f"move {edit.program} {edit.milestone}: {', '.join(parts)}"
    if isinstance(edit, SetTrackClosed):
        return f"{'close' if edit.closed else 'open'} {edit.program} {edit.track or '-'}"
    return f"phone {edit.program} {edit.contact}: {edit.old or 'first phone'} -> {edit.new}"


# --------------------------------------------------------------------------- the file


def _yaml() -> YAML:
    """The round-trip reader and writer, set up to write the shipped files back exactly as they are."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 10**9  # never fold a long line the author kept on one
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


def program_file(files: Mapping[str, str], program_id: str) -> str:
    """The path of the file that defines ``program_id`` among a content set's files."""
    for path, text in sorted(files.items()):
        parts = PurePosixPath(path).parts
        if len(parts) != 2 or parts[0] != PROGRAMS_DIR:
            continue
        try:
            data = _yaml().load(text)
        except YAMLError:
            continue
        if isinstance(data, Mapping) and data.get("id") == program_id:
            return path
    raise EditRefused(N_("There is no program {program}."), program=program_id)


def apply_edit(files: Mapping[str, str], edit: QuickEdit) -> tuple[str, str]:
    """``(path, new text)`` of the program's file with ``edit`` made; :class:`EditRefused` when it cannot be."""
    path = program_file(files, edit.program)
    yaml = _yaml()
    data = yaml.load(files[path])
    if isinstance(edit, MoveMilestone):
        _move(data, edit)
    elif isinstance(edit, SetTrackClosed):
        _set_closed(data, edit)
    else:
        _change_phone(data, edit)
    out = io.StringIO()
    yaml.dump(data, out)
    return path, out.getvalue()


def ids_of(files: Mapping[str, str], program_id: str, section: str) -> list[str | None]:
    """The ids in one list of a program's file (``deadlines``, ``tracks``, ``contacts``), for usage help."""
    data = _yaml().load(files[program_file(files, program_id)])
    return [item.get("id") for item in data.get(section) or () if isinstance(item, Mapping)]


def _item(data: CommentedMap, section: str, item_id: str | None, missing: str, **args: object) -> CommentedMap:
    items = data.get(section) or CommentedSeq()
    for item in items:
        if isinstance(item, CommentedMap) and item.get("id") == item_id:
            return item
    known = ", ".join(str(i.get("id")) for i in items if isinstance(i, Mapping)) or "-"
    raise EditRefused(missing, program=data.get("id"), known=known, **args)


def _delete(item: CommentedMap, key: str) -> None:
    """Remove ``key``, keeping what followed its line (a blank line, a comment) where it was.

    ruamel.yaml hangs the blank line that ends a block on the block's last key; deleting that key
    would take the blank line with it, so it is handed to the key before.
    """
    keys = list(item)
    comment = item.ca.items.pop(key, None)
    del item[key]
    at = keys.index(key)
    if comment is not None and comment[2] is not None and at > 0 and at == len(keys) - 1:
        item.ca.items[keys[at - 1]] = [None, None, comment[2], None]


def _now_office_guidance(item: CommentedMap) -> None:
    """The item no longer states the notice's words: ``basis: office`` where its ``quote`` was."""
    if "basis" in item:
        item["basis"] = "office"
        if "quote" in item:
            _delete(item, "quote")
        return
    if "quote" not in item:
        item["basis"] = "office"
        return
    at = list(item).index("quote")
    comment = item.ca.items.pop("quote", None)
    del item["quote"]
    item.insert(at, "basis", "office")
    if comment is not None:
        item.ca.items["basis"] = comment


def _moment(value: Moment) -> CommentedMap:
    moment = CommentedMap()
    moment["date"] = value.date
    if value.time is not None:
        moment["time"] = DoubleQuotedScalarString(f"{value.time:%H:%M}")
    moment.fa.set_flow_style()
    return moment


def _set_moment(item: CommentedMap, key: str, value: Moment, before: str | None) -> None:
    """Put ``value`` under ``key``, in the same flow mapping when there is one, else just before ``before``."""
    current = item.get(key)
    if isinstance(current, CommentedMap):
        current["date"] = value.date
        if value.time is not None:
            current["time"] = DoubleQuotedScalarString(f"{value.time:%H:%M}")
        return
    if before is not None and before in item:
        item.insert(list(item).index(before), key, _moment(value))
    else:
        item[key] = _moment(value)


def _move(data: CommentedMap, edit: MoveMilestone) -> None:
    if edit.closes is None and edit.opens is None:
        raise EditRefused(N_("Give the new date."))
    milestone = _item(
        data,
        "deadlines",
        edit.milestone,
        N_("{program} has no milestone {milestone}; its milestones: {known}."),
        milestone=edit.milestone,
    )
    opens = _effective(edit.opens, _read_moment(milestone.get("opens")))
    closes = _effective(edit.closes, _read_moment(milestone.get("closes")))
    if opens is not None and closes is not None and _start(opens) >= _end(closes):
        raise EditRefused(
            N_("The window would open ({opens}) after it closes ({closes})."), opens=str(opens), closes=str(closes)
        )
    if edit.opens is not None:
        _set_moment(milestone, "opens", edit.opens, before="closes")
    if edit.closes is not None:
        _set_moment(milestone, "closes", edit.closes, before=None)
    _now_office_guidance(milestone)


def _effective(new: Moment | None, old: Moment | None) -> Moment | None:
    """The moment after the edit: a new date keeps the old time of day when no time is given (a notice's
    "20:00前" moved to another day is still at 20:00, and texts may name that time by placeholder)."""
    if new is None:
        return old
    if new.time is None and old is not None:
        return Moment(new.date, old.time)
    return new


def _read_moment(value: Any) -> Moment | None:
    if not isinstance(value, Mapping) or not isinstance(value.get("date"), dt.date):
        return None
    time = value.get("time")
    try:
        clock = dt.time.fromisoformat(str(time)) if time else None
    except ValueError:
        clock = None
    return Moment(value["date"], clock)


def _start(moment: Moment) -> dt.datetime:
    return dt.datetime.combine(moment.date, moment.time or dt.time(0, 0))


def _end(moment: Moment) -> dt.datetime:
    """The first minute past: the next midnight for a whole day (as :func:`dialogs.schedule.closes_at`)."""
    if moment.time is not None:
        return dt.datetime.combine(moment.date, moment.time)
    return dt.datetime.combine(moment.date + dt.timedelta(days=1), dt.time(0, 0))


def _set_closed(data: CommentedMap, edit: SetTrackClosed) -> None:
    track = _item(
        data, "tracks", edit.track, N_("{program} has no track {track}; its tracks: {known}."), track=edit.track
    )
    closed = bool(track.get("closed", False))
    if closed == edit.closed:
        message = N_("Track {track} of {program} is closed already.") if closed else None
        raise EditRefused(
            message or N_("Track {track} of {program} is not closed."), track=edit.track or "-", program=edit.program
        )
    if edit.closed:
        track["closed"] = True
    else:
        _delete(track, "closed")


def _change_phone(data: CommentedMap, edit: ChangePhone) -> None:
    contact = _item(
        data,
        "contacts",
        edit.contact,
        N_("{program} has no contact {contact}; its contacts: {known}."),
        contact=edit.contact,
    )
    phones = contact.get("phones")
    if not isinstance(phones, CommentedSeq) or not phones:
        raise EditRefused(N_("Contact {contact} has no phone to replace."), contact=edit.contact)
    if edit.old is None:
        at = 0
    else:
        wanted = _digits(edit.old)
        matches = [i for i, phone in enumerate(phones) if _digits(str(phone)) == wanted]
        if not matches:  # the local part without its area code ("7676026" for "0351-7676026"), when unique
            ends = [i for i, phone in enumerate(phones) if _digits(str(phone)).endswith(wanted)]
            matches = ends if len(ends) == 1 else []
        if not matches:
            raise EditRefused(
                N_("Contact {contact} has no phone {old}; its phones: {known}."),
                contact=edit.contact,
                old=edit.old,
                known=", ".join(str(p) for p in phones),
            )
        at = matches[0]
    if _digits(str(phones[at])) == _digits(edit.new):
        raise EditRefused(N_("The phone is {phone} already."), phone=str(phones[at]))
    phones[at] = DoubleQuotedScalarString(edit.new)
    _now_office_guidance(contact)


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())
