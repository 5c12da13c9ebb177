"""What the admin desk says, in the admin's language: help, usage, versions, the audit log, problems.

Plain text (the caller escapes it for Telegram's HTML) except where a line is a
command to copy: :func:`code` marks those, escaped, so Telegram shows them as
tap-to-copy. Every sentence goes through the translator; ids, file names and
the problems' ``file:line: field: message`` stay as they are (they name things
in the files the admin edits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from bot.publishing import VersionInfo
from bot.telegram.format import MAX_TEXT, escape, utf16_len
from dialogs.i18n import N_, Translator
from dialogs.loader import Content
from dialogs.problems import Problem
from dialogs.quick_edits import EditRefused
from dialogs.schedule import track_window_state
from dialogs.schema_program import Moment, Program
from storage.models import AuditEntry

#: Room kept under Telegram's limit for the header and the "and N more" line.
_ROOM = MAX_TEXT - 300

#: The admin commands with what each does, for ``/admin`` and the command menu of admins' chats.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("admin", N_("The admin commands")),
    ("versions", N_("The last 10 content versions")),
    ("rollback", N_("Go back to an earlier content version")),
    ("audit", N_("The last 20 entries of the audit log")),
    ("move", N_("Move a deadline or an opening date")),
    ("open", N_("Open a track again")),
    ("close", N_("Close a track")),
    ("phone", N_("Change a contact's phone")),
    ("announce", N_("Send a message to a program's followers")),
)

#: How each kind of version and audit action reads.
KINDS = {
    "seed": N_("first version"),
    "publish": N_("publish"),
    "edit": N_("quick edit"),
    "rollback": N_("rollback"),
    "announce": N_("announcement"),
    "refused": N_("refused"),
    "confirm": N_("confirm"),
}


def code(text: str) -> str:
    """A command to copy, as Telegram HTML."""
    return f"<code>{escape(text)}</code>"


def refused(error: EditRefused, tr: Translator) -> str:
    return tr.gettext(error.message).format(**error.values)


def kind_word(kind: str, tr: Translator) -> str:
    return tr.gettext(KINDS[kind]) if kind in KINDS else kind


def help_text(tr: Translator) -> str:
    """``/admin``: every admin command and how content is published (HTML)."""
    _ = tr.gettext
    lines = [escape(_("Admin commands:"))]
    usages = {
        "rollback": "/rollback [N]",
        "move": "/move PROGRAM MILESTONE [opens DATE [HH:MM]] [closes] DATE [HH:MM]",
        "open": "/open PROGRAM TRACK",
        "close": "/close PROGRAM TRACK",
        "phone": "/phone PROGRAM CONTACT [OLD] NEW",
        "announce": "/announce PROGRAM",
    }
    for name, what in COMMANDS:
        lines.append(f"{code(usages.get(name, '/' + name))} — {escape(_(what))}")
    lines.append("")
    lines.append(
        escape(
            _(
                "To publish content, send a program file (.yaml), a notice (.txt) or a ZIP of the whole content "
                "folder. Every change is shown to you first and made only when you confirm it. Dates are Beijing time."
            )
        )
    )
    lines.append(escape(_("Send a command without its ids to see the ids to use.")))
    return "\n".join(lines)


#: What each command takes, as typed (ids in capitals), for the usage help and after wrong arguments.
EXAMPLES: Mapping[str, tuple[str, ...]] = {
    "move": (
        "/move PROGRAM MILESTONE 2024-03-31",
        "/move PROGRAM MILESTONE 2024-03-31 17:30",
        "/move PROGRAM MILESTONE opens 2024-03-01 closes 2024-03-31",
    ),
    "open": ("/open PROGRAM TRACK",),
    "close": ("/close PROGRAM TRACK",),
    "phone": ("/phone PROGRAM CONTACT NEW", "/phone PROGRAM CONTACT OLD NEW"),
    "announce": ("/announce PROGRAM",),
    "rollback": ("/rollback", "/rollback N"),
}


def with_usage(message: str, command: str, tr: Translator) -> str:
    """A refusal of a command's arguments, then what the command takes (HTML)."""
    lines = [escape(message)]
    if command in EXAMPLES:
        lines.append(escape(tr.gettext("Use it like this:")))
        lines += [code(line) for line in EXAMPLES[command]]
        if command != "rollback":
            lines.append(escape(tr.gettext("Send /{command} alone to see the ids.").format(command=command)))
    return "\n".join(lines)


def usage(command: str, tr: Translator) -> str:
    """What to type for ``command`` (HTML); the program buttons follow it."""
    _ = tr.gettext
    what = {
        "move": _(
            "Move a deadline (Beijing time): the closing date, the opening date, or both. "
            "Without a time, the time of day stays as it was."
        ),
        "open": _("Open a track that was closed with /close."),
        "close": _("Close a track: applicants are told it is closed, whatever its dates say."),
        "phone": _("Replace a contact's first phone, or the one you name (write a phone without spaces)."),
        "announce": _("Send a message to everyone who follows a program; you write it after this command."),
    }[command]
    lines = EXAMPLES[command]
    return "\n".join([escape(what), *(code(line) for line in lines), escape(_("Pick the program:"))])


def _moment(moment: Moment | None) -> str:
    if moment is None:
        return "-"
    return moment.date.isoformat() + (f" {moment.time}" if moment.time else "")


def ids_text(command: str, program: Program, content: Content, now: dt.datetime, tr: Translator) -> str:
    """The ids ``command`` takes in ``program``, each with a command line to copy (HTML)."""
    _ = tr.gettext
    title = escape(program.short_title.get(tr.lang))
    lines = [f"<b>{title}</b> ({code(program.id)})"]
    if command == "move":
        lines.append(escape(_("Milestones (opens → closes):")))
        for milestone in program.deadlines:
            label = escape(milestone.label.get(tr.lang))
            lines.append(f"• {code(milestone.id)} {label}: {_moment(milestone.opens)} → {_moment(milestone.closes)}")
        if program.deadlines:
            lines.append(code(f"/move {program.id} {program.deadlines[0].id} YYYY-MM-DD"))
    elif command in ("open", "close"):
        lines.append(escape(_("Tracks:")))
        for track in program.tracks:
            state = track_window_state(program, track, now)
            shown = _("closed by an admin") if track.closed else _(_STATES[state])
            name = track.id or "-"
            lines.append(f"• {code(name)} {escape(track.title.get(tr.lang))} ({escape(shown)})")
        lines.append(code(f"/{command} {program.id} {program.tracks[0].id or '-'}"))
    elif command == "phone":
        lines.append(escape(_("Contacts:")))
        for contact in program.contacts:
            phones = ", ".join(contact.phones) or _("no phone")
            lines.append(f"• {code(contact.id)} {escape(contact.office.get(tr.lang))}: {escape(phones)}")
        with_phone = [c for c in program.contacts if c.phones]
        if with_phone:
            lines.append(code(f"/phone {program.id} {with_phone[0].id} NEW"))
    return "\n".join(lines)


_STATES: Mapping[str | None, str] = {
    "open": N_("open"),
    "upcoming": N_("not open yet"),
    "closed": N_("closed"),
    None: N_("no window"),
}


def problems_text(header: str, problems: Sequence[Problem], tr: Translator) -> str:
    """``header`` then one ``file:line: field: message`` per problem, as many as fit one message (HTML)."""
    lines = [escape(header)]
    size = utf16_len(header)
    shown = 0
    for problem in problems:
        line = escape(str(problem))
        if size + utf16_len(line) + 1 > _ROOM:
            break
        lines.append(line)
        size += utf16_len(line) + 1
        shown += 1
    if shown < len(problems):
        left = len(problems) - shown
        lines.append(
            escape(tr.ngettext("… and {n} more problem", "… and {n} more problems", left).format(n=tr.number(left)))
        )
    return "\n".join(lines)


def versions_text(versions: Sequence[VersionInfo], tr: Translator, in_force: int) -> str:
    """``/versions``: newest first, the one in force (``in_force``) marked (HTML)."""
    _ = tr.gettext
    if not versions:
        return escape(_("No content version is stored yet."))
    lines = [escape(_("Content versions, newest first (Beijing time):"))]
    for version in versions:
        kind = kind_word(version.kind, tr)
        if version.restored_from is not None:
            kind = _("rollback to version {number}").format(number=version.restored_from)
        head = _("Version {number}").format(number=version.number)
        if version.number == in_force:
            head = _("{version} (in force)").format(version=head)
        when = tr.datetime(version.created_at, zone=False)
        about = _("{kind}, {actor}, {when}").format(kind=kind, actor=version.actor, when=when)
        lines.append(f"<b>{escape(head)}</b> — {escape(about)}")
        lines.append(escape("  " + version.summary))
    return "\n".join(lines)


def audit_text(entries: Sequence[AuditEntry], tr: Translator) -> str:
    """``/audit``: the newest entries, one line each, refused attempts marked (HTML)."""
    _ = tr.gettext
    if not entries:
        return escape(_("The audit log is empty."))
    lines = [escape(_("Audit log, newest first (Beijing time):"))]
    for entry in entries:
        when = tr.datetime(entry.at, zone=False)
        what = kind_word(entry.action, tr)
        if entry.target:
            what = f"{what} {entry.target}"
        line = f"{when} · {entry.actor} · {what}"
        extra = _detail(entry.action, dict(entry.detail or {}), tr)
        if extra:
            line += f" — {extra}"
        if not entry.allowed:
            line += " — " + _("not allowed")
        lines.append(escape(line))
    return "\n".join(lines)


def _detail(action: str, detail: Mapping[str, Any], tr: Translator) -> str:
    if action == "announce" and "followers" in detail:
        count = int(detail["followers"])
        return tr.ngettext("to {n} follower", "to {n} followers", count).format(n=tr.number(count))
    summary = detail.get("summary")
    return str(summary) if summary else ""
