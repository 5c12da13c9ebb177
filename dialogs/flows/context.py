"""What the edge tells the engine about the applicant beyond the state, and what the engine returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from dialogs.events import Effect, Reply
from dialogs.i18n import Translator
from dialogs.state import State


@dataclass(frozen=True)
class SubmissionView:
    """What "my submissions" shows of one submission (read from storage by the edge)."""

    reference: str
    program: str
    track: str | None
    status: str
    created_at: dt.datetime
    comment: str | None = None


@dataclass(frozen=True)
class QuestionView:
    """A question the applicant passed on to staff, with staff's answer once there is one
    (read from storage by the edge): the terminal has no other place to show the answer."""

    text: str
    program: str | None
    office: str | None
    asked_at: dt.datetime
    answer: str | None = None
    answered_at: dt.datetime | None = None


@dataclass(frozen=True)
class Context:
    #: A stable id of the applicant on its channel, e.g. ``local:default`` or ``tg:12345``.
    user: str
    submissions: tuple[SubmissionView, ...] = ()
    #: The applicant's questions to staff, newest first.
    questions: tuple[QuestionView, ...] = ()
    #: A fresh random reference the edge drew for this event, given to a submission if the event
    #: confirms one (the engine draws no randomness itself). Empty: storage draws one.
    reference: str = ""
    #: The translator of a language, as channels render with it: lets the engine know how many messages a
    #: long answer takes in the reader's language, to offer "More" for the rest. Without one, answers are
    #: shown whole (nothing is cut that could not be reached).
    translator: Callable[[str], Translator] | None = None


@dataclass
class Outcome:
    state: State
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
