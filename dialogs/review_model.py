"""What the review engine reads and writes: staff buttons, loaded views, staff events, replies, effects.

Plain frozen dataclasses, shared by the pure engine (:mod:`dialogs.review`), storage
(:mod:`storage.review` builds the views and commits the effects) and the Telegram
layer (:mod:`bot.telegram.staff` turns updates into events and sends the replies).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from dialogs.callbacks import SEPARATOR, CallbackData, parse
from dialogs.events import Button, Reply
from dialogs.i18n import N_
from dialogs.lifecycle import Status, is_submission_reference

# --------------------------------------------------------------------------- buttons


class ReviewAction(enum.StrEnum):
    """The buttons under a staff notice (their data reads ``s:ok:AD-…``, as before typed payloads)."""

    ACCEPT = "ok"
    RETURN = "ret"
    MORE = "more"


DECISION_OF = {
    ReviewAction.ACCEPT: Status.ACCEPTED,
    ReviewAction.RETURN: Status.RETURNED,
    ReviewAction.MORE: Status.MORE_REQUESTED,
}


@dataclass(frozen=True)
class ReviewButton(CallbackData):
    prefix = "s"
    action: ReviewAction
    reference: str


@dataclass(frozen=True)
class StaffLanguageButton(CallbackData):
    prefix = "sl"
    lang: str


#: Prefixes of staff buttons: the Telegram desk routes these to staff review.
STAFF_PREFIXES = frozenset({ReviewButton.prefix, StaffLanguageButton.prefix})


def is_staff_payload(data: str | None) -> bool:
    """Whether a button's data is meant for staff review (forged or not: the engine answers it)."""
    prefix, separator, _rest = (data or "").partition(SEPARATOR)
    return bool(separator) and prefix in STAFF_PREFIXES


def review_buttons(reference: str) -> tuple[tuple[Button, ...], ...]:
    """The buttons under a staff notice."""
    return (
        (
            Button(N_("Accept"), ReviewButton(ReviewAction.ACCEPT, reference).pack()),
            Button(N_("Return with a comment"), ReviewButton(ReviewAction.RETURN, reference).pack()),
        ),
        (Button(N_("Ask for one more document"), ReviewButton(ReviewAction.MORE, reference).pack()),),
    )


# --------------------------------------------------------------------------- what is loaded


@dataclass(frozen=True)
class Reviewer:
    """A person in a staff chat."""

    id: int
    name: str

    @property
    def label(self) -> str:
        """Who decided, as kept in the history: a name for people, the Telegram id to be sure."""
        return f"{self.name[:40]} (tg:{self.id})"


@dataclass(frozen=True)
class ReviewedSubmission:
    reference: str
    status: Status
    #: The staff chats its notice was routed to: decisions are taken there only.
    routed_to: frozenset[int] = frozenset()
    #: The content version it was made under: what staff read of it is worded in that version.
    content_version: int | None = None


class PromptPurpose(enum.StrEnum):
    """What a reply to a prompt does (the values are the ``staff_prompts.decision`` column's)."""

    RETURN = Status.RETURNED.value
    MORE = Status.MORE_REQUESTED.value
    ANSWER = "answer"


@dataclass(frozen=True)
class PromptView:
    id: int
    #: A submission's reference, or a question's (``Q-12``) for an answer prompt.
    reference: str
    purpose: PromptPurpose
    #: The submission's status when the button was pressed: the decision applies only from it.
    seen_status: Status | None
    notice_message_id: int | None
    answered: bool


@dataclass(frozen=True)
class AskedQuestion:
    """A question an applicant passed on to staff, still there (its applicant did not delete their data)."""

    number: int
    reference: str


@dataclass(frozen=True)
class ReviewView:
    """What storage found for the event's :func:`subject` (None: not there, or nothing asked)."""

    submission: ReviewedSubmission | None = None
    prompt: PromptView | None = None
    question: AskedQuestion | None = None


@dataclass(frozen=True)
class ReviewContext:
    """Where staff may act and who may decide."""

    staff_chats: frozenset[int]
    #: ADMIN_IDS: when given, only these people decide; when empty, anyone in the submission's staff chat.
    admins: frozenset[int] = frozenset()
    languages: tuple[str, ...] = ("zh", "en", "ug")

    def may_decide(self, person: Reviewer) -> bool:
        return not self.admins or person.id in self.admins


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Press:
    """A staff button pressed (its data as Telegram carried it, perhaps forged)."""

    data: str
    by: Reviewer
    chat_id: int | None
    message_id: int | None


@dataclass(frozen=True)
class PromptReply:
    """A message in a staff chat replying to one of the bot's messages (perhaps a prompt)."""

    text: str
    by: Reviewer
    chat_id: int
    message_id: int | None
    reply_to: int


@dataclass(frozen=True)
class LanguageAsked:
    """``/language`` in a staff chat (``wanted`` as typed after it, lower case)."""

    wanted: str
    by: Reviewer
    chat_id: int
    message_id: int | None


StaffEvent = Press | PromptReply | LanguageAsked


@dataclass(frozen=True)
class Subject:
    """What to load for an event: a submission by reference, or the prompt a reply answers."""

    reference: str | None = None
    prompt: tuple[int, int] | None = None  # (chat id, message id)


def subject(event: StaffEvent) -> Subject:
    if isinstance(event, Press):
        button = parse(event.data, ReviewButton)
        if isinstance(button, ReviewButton) and is_submission_reference(button.reference):
            return Subject(reference=button.reference)
    elif isinstance(event, PromptReply):
        return Subject(prompt=(event.chat_id, event.reply_to))
    return Subject()


# --------------------------------------------------------------------------- what comes out


class Via(enum.Enum):
    POPUP = "popup"  # the answer to the button press (a short notice)
    ALERT = "alert"  # the answer to the button press, as a dialog staff must close
    CHAT = "chat"  # a message in the staff chat


@dataclass(frozen=True)
class StaffReply:
    """One message to staff. ``Reply`` arguments may be ``Reply`` themselves (rendered first)."""

    message: Reply
    via: Via = Via.CHAT
    reply_to: int | None = None
    #: Render in this language rather than the chat's (the chat's language was just changed).
    lang: str | None = None


@dataclass(frozen=True)
class ChangeStatus:
    reference: str
    to: Status
    expected: Status
    actor: str
    at: dt.datetime
    comment: str | None = None


@dataclass(frozen=True)
class TellApplicant:
    """Queue the decision for the applicant (the outbox's ``applicant_update``), in their language."""

    reference: str
    status: Status
    comment: str | None
    at: dt.datetime


@dataclass(frozen=True)
class RecordPrompt:
    """Keep a prompt once posted (its message id is known only then), so its reply is understood later."""

    chat_id: int
    reference: str
    purpose: PromptPurpose
    #: The submission's status when the button was pressed (None for a question's prompt).
    seen_status: Status | None
    notice_message_id: int | None
    staff: str
    at: dt.datetime


@dataclass(frozen=True)
class CloseDecisionPrompt:
    """Mark the prompt answered: one reply decides; storage refuses a second (then the engine is asked again)."""

    prompt_id: int
    at: dt.datetime


@dataclass(frozen=True)
class AnswerQuestion:
    """Keep a staff reply on the question and queue it for the applicant who asked."""

    number: int
    reference: str
    answer: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class SetChatLanguage:
    chat_id: int
    lang: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class AuditDecision:
    """Keep a staff decision in the audit log, in the decision's own transaction (``allowed`` False: an attempt
    refused because the person is not a reviewer). ``to`` is the status decided, or ``answered`` for a reply to
    an applicant's question; ``before`` the status it was decided from."""

    actor: str
    target: str
    at: dt.datetime
    to: str
    before: str | None
    chat: int | None
    allowed: bool = True

    @staticmethod
    def actor_of(person: Reviewer) -> str:
        """Who, as the audit log names people: the channel and its id (names change, ids do not)."""
        return f"tg:{person.id}"


ReviewEffect = ChangeStatus | TellApplicant | CloseDecisionPrompt | AnswerQuestion | SetChatLanguage | AuditDecision


@dataclass(frozen=True)
class PromptRequest:
    """Post ``message`` as a force-reply in the chat, then commit ``record`` with its message id;
    answer the press with ``done``, or with ``failed`` when Telegram does not take the message."""

    message: Reply
    reply_to: int | None
    record: RecordPrompt
    done: StaffReply
    failed: StaffReply


@dataclass(frozen=True)
class ReviewOutcome:
    replies: tuple[StaffReply, ...] = ()
    effects: tuple[ReviewEffect, ...] = ()
    prompt: PromptRequest | None = None
    #: Messages in the event's chat whose buttons go (the notice once decided, a used language menu).
    clear_buttons: tuple[int, ...] = ()
