"""The words of the messages to a program's followers, in the reader's language: pure.

A round opened (with the window's dates and buttons to start), a deadline is
near (days left, the deadline, a button to continue), an admin's announcement
(under a heading naming the program). The channel escapes and sends them; the
buttons carry :class:`dialogs.flows.buttons.Follow` payloads, which the
conversation understands however old the message is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dialogs.bidi import for_reader
from dialogs.explain import milestone_line
from dialogs.flows.buttons import Follow, FollowAction
from dialogs.follow_schedule import days_left
from dialogs.i18n import Translator
from dialogs.loader import Content
from dialogs.schedule import last_moment
from dialogs.schema_program import Milestone, Program


@dataclass(frozen=True)
class FollowerMessage:
    """A text (plain, not yet escaped) and its buttons as (label, callback data), in one language."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()


def round_opened(
    program: Program,
    milestone: Milestone,
    tracks: tuple[str | None, ...],
    now: dt.datetime,
    tr: Translator,
    *,
    new_tracks: bool = False,
) -> FollowerMessage:
    """A follower told that the program's window is open (or that ``tracks`` were added to an open one)."""
    _ = tr.gettext
    title = program.short_title.get(tr.lang)
    names = [program.track(t).title.get(tr.lang) for t in tracks]
    if new_tracks:
        lines = [_("A new track of {program} is open: {tracks}.").format(program=title, tracks=tr.format_list(names))]
    else:
        lines = [_("Applications for {program} are open.").format(program=title)]
        if len(program.tracks) > 1:
            lines.append(_("Tracks: {tracks}").format(tracks=tr.format_list(names)))
    lines.append(milestone_line(milestone, now, tr))
    lines.append(_("You asked me to tell you. Check your eligibility or start your application below."))
    track = tracks[0] if len(tracks) == 1 else None
    buttons = (
        (_("Apply now"), Follow(FollowAction.APPLY, program.id, track).pack()),
        (_("Check my eligibility"), Follow(FollowAction.CHECK, program.id, track).pack()),
    )
    return FollowerMessage(for_reader("\n".join(lines), tr.lang), buttons)


def deadline_reminder(
    program: Program, track: str | None, milestone: Milestone, now: dt.datetime, tr: Translator
) -> FollowerMessage:
    """An applicant with an application not yet sent, reminded of the deadline."""
    _ = tr.gettext
    title = program.short_title.get(tr.lang)
    if len(program.tracks) > 1:
        title = _("{program} — {track}").format(program=title, track=program.track(track).title.get(tr.lang))
    end = last_moment(milestone)
    days = days_left(end - now)
    if days is None:
        left = tr.time_left(end - now)
    else:
        left = tr.ngettext("{n} day left", "{n} days left", days).format(n=tr.number(days))
    lines = [
        _("{left}: your application for {program} is not sent yet.").format(left=left, program=title),
        _("Deadline: {deadline}").format(deadline=tr.datetime(end, with_time=milestone.closes.time is not None)),
        _("Continue where you left off with the button below."),
    ]
    button = (_("Continue my application"), Follow(FollowAction.CONTINUE, program.id, track).pack())
    return FollowerMessage(for_reader("\n".join(lines), tr.lang), (button,))


def announcement(content: Content, program_id: str, text: str, tr: Translator) -> FollowerMessage:
    """An admin's words to the program's followers, as written, under a heading naming the program
    (by its id when this version of the content no longer has it)."""
    program = content.find_program(program_id)
    title = program.short_title.get(tr.lang) if program is not None else program_id
    heading = for_reader(tr.gettext("Announcement about {program}").format(program=title), tr.lang)
    return FollowerMessage(heading + "\n\n" + text.strip())
