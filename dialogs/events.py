"""What goes into the conversation engine and what comes out of it — no channel types.

Channels (Telegram runtimes, the terminal) turn their updates into an
:data:`Event`; the engine answers with :class:`Reply` objects (a message key,
its arguments and buttons, rendered later in the reader's language) and
:data:`Effect` objects that storage must commit in the same unit of work as the
new conversation state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# The submission lifecycle is :mod:`dialogs.lifecycle`'s; kept importable from here for the engine's flows.
from dialogs.lifecycle import AWAITING_APPLICANT as AWAITING_APPLICANT

# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class TextEvent:
    text: str


@dataclass(frozen=True)
class ChoiceEvent:
    """A button press; ``data`` is the button's compact payload."""

    data: str


@dataclass(frozen=True)
class FileEvent:
    """A file the applicant sent. Channels fetch the bytes before calling the engine."""

    name: str
    size: int
    content: bytes
    #: The channel's own id for the file (e.g. Telegram's file_id), kept for the record.
    handle: str | None = None


@dataclass(frozen=True)
class FilesEvent:
    """Several files sent together (a Telegram album): one answer for one checklist item.

    Applicants photograph multi-page certificates; the pages arrive as one album
    and are taken together, with one reply, rather than as unrelated uploads.
    """

    files: tuple[FileEvent, ...]


@dataclass(frozen=True)
class CommandEvent:
    name: str
    args: str = ""


Event = TextEvent | ChoiceEvent | FileEvent | FilesEvent | CommandEvent

# --------------------------------------------------------------------------- replies


@dataclass(frozen=True)
class Button:
    #: Message key (or literal content text when ``literal``) of the label.
    label: str
    data: str
    args: dict[str, Any] = field(default_factory=dict)
    literal: bool = False


@dataclass(frozen=True)
class Reply:
    """One message to the applicant: rendered by the channel through the catalogs."""

    key: str
    args: dict[str, Any] = field(default_factory=dict)
    buttons: tuple[tuple[Button, ...], ...] = ()
    #: What a typed answer should be here (``number``), so a channel does not mistake it for a button.
    expects: str | None = None
    #: For a message showing a number: the plural msgid; ``args["count"]`` picks the form.
    plural: str | None = None


# --------------------------------------------------------------------------- effects


@dataclass(frozen=True)
class StoredDocument:
    """A document already written to the file store (by the channel edge), referenced by the submission."""

    item: str
    stored_name: str
    original_name: str
    mime: str
    size: int
    sha256: str


@dataclass(frozen=True)
class CreateSubmission:
    """Create the submission once: ``key`` makes a replayed confirm a no-op."""

    key: str
    reference: str
    program: str
    track: str | None
    applicant: dict[str, str]
    facts: dict[str, Any]
    verdict: str
    documents: tuple[StoredDocument, ...]


@dataclass(frozen=True)
class AmendSubmission:
    """Documents the applicant sent after staff returned a submission or asked for more:
    they join the submission, which goes back to review (``submitted``)."""

    reference: str
    documents: tuple[StoredDocument, ...]


@dataclass(frozen=True)
class ForgetApplicant:
    """The applicant asked to delete their data: conversation, contact, submissions and files."""


@dataclass(frozen=True)
class NotifyStaff:
    """Queue a staff notification in the outbox, in the same transaction as its cause: a new
    submission, one sent again after a return or a request, or one withdrawn because its applicant
    deleted their data."""

    kind: Literal["new_submission", "resubmitted", "withdrawn"]
    reference: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ForwardQuestion:
    """Pass a free question the bot could not answer well to people: the staff of ``office``.

    Storage keeps the question (the applicant sees it, and staff's answer, under
    "My submissions") and queues it for the office's staff chat in the same
    transaction; ``office`` is a contact id of ``program`` (None: the bot's
    general staff chat). ``lang`` is the language the answer is relayed in.
    """

    question: str
    program: str | None
    office: str | None
    lang: str


@dataclass(frozen=True)
class SetLanguage:
    lang: str


@dataclass(frozen=True)
class StoreFile:
    """Write an accepted upload to the file store under a name the engine derived from its content."""

    stored_name: str
    content: bytes


@dataclass(frozen=True)
class Subscribe:
    """Tell this applicant when the program opens its next round."""

    program: str


Effect = (
    CreateSubmission
    | AmendSubmission
    | ForgetApplicant
    | ForwardQuestion
    | NotifyStaff
    | SetLanguage
    | StoreFile
    | Subscribe
)
