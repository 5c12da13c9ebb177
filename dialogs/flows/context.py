"""What the edge tells the engine about the applicant beyond the state, and what the engine returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NoReturn, TypeVar, overload

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


T = TypeVar("T")


class RecordsNeeded(Exception):
    """The event reached a screen that reads the applicant's submissions or questions, which the edge
    left unread (:data:`UNREAD`): the edge reads them and runs the same event again on the same state.

    Most events (menus, answers, information) never look at them, so the edge reads only the
    conversation for an event and pays for the records only on the few screens that show or check
    them, without the engine naming those screens twice (once to show, once to predict)."""


class Unread(Sequence[T]):
    """Records the edge did not read: any look at them raises :class:`RecordsNeeded`."""

    def _need(self) -> NoReturn:
        raise RecordsNeeded()

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        self._need()

    def __len__(self) -> int:
        self._need()

    def __iter__(self) -> Iterator[T]:
        self._need()

    def __contains__(self, value: object) -> bool:
        self._need()

    def __repr__(self) -> str:
        return "Unread()"


#: What the edge passes for records it has not read (see :class:`RecordsNeeded`).
UNREAD: Unread[SubmissionView] = Unread()
UNREAD_QUESTIONS: Unread[QuestionView] = Unread()


@dataclass(frozen=True)
class Context:
    #: A stable id of the applicant on its channel, e.g. ``local:default`` or ``tg:12345``.
    user: str
    #: The applicant's submissions; :data:`UNREAD` when the edge reads them only if the event needs them.
    submissions: Sequence[SubmissionView] = ()
    #: The applicant's questions to staff, newest first (:data:`UNREAD_QUESTIONS` likewise).
    questions: Sequence[QuestionView] = ()
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
