"""The tables, as SQLAlchemy 2 typed ORM models.

Kept close to what the rest of the bot needs to remember across restarts: who
the applicant is, where their conversation stands, what they submitted (with the
files and every status change), and the staff notifications still to deliver.
Times are timezone-aware UTC in Python whatever the backend stores (SQLite has
no time zone type, so :class:`UTCDateTime` stores naive UTC there).
"""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from dialogs.lifecycle import Status
from dialogs.lifecycle import is_submission_reference as is_submission_reference


class OutboxStatus(enum.StrEnum):
    """An outbox row's status: ``failed`` with a ``next_attempt_at`` is retried, without one it is given up."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


def _one_of(values: type[enum.StrEnum]) -> str:
    """The CHECK constraint that keeps a status column to the enum's values (as the migrations wrote it)."""
    return "status IN ({})".format(", ".join(f"'{value}'" for value in values))


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out; naive datetimes are refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: storage needs an aware time")
        value = value.astimezone(UTC)
        # SQLite keeps text without an offset: store naive UTC so text order is time order.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class JSONDoc(TypeDecorator[Any]):
    """JSON everywhere, JSONB on PostgreSQL.

    Not ``JSON().with_variant(JSONB(), "postgresql")``: that needs PostgreSQL's dialect package at
    import, ~20 ms of every start of a bot that runs on SQLite. Here it is imported when a PostgreSQL
    engine first asks, and by then the engine has loaded it."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


#: Stable constraint names, so later migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONDoc()}


class Applicant(Base):
    """A person on one channel (a Telegram user, a terminal session), with the contact they gave."""

    __tablename__ = "applicants"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_applicants_channel_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    employer: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Conversation(Base):
    """The engine's state for one applicant on one channel.

    ``version`` guards against two events of one user being handled at once
    (optimistic concurrency); ``schema`` says which state format ``state`` is
    in, so a later engine can upgrade old states instead of losing them.
    """

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("applicant_id", "channel", name="uq_conversations_applicant_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(32))
    state: Mapped[dict[str, Any]]
    schema: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Submission(Base):
    """An application as confirmed. ``idempotency_key`` makes a replayed confirm create nothing."""

    __tablename__ = "submissions"
    __table_args__ = (
        CheckConstraint(_one_of(Status), name="status"),
        Index("ix_submissions_applicant", "applicant_id"),
        # Never reuse an id on SQLite: references may be derived from it.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"))
    program: Mapped[str] = mapped_column(String(64))
    track: Mapped[str | None] = mapped_column(String(64))
    #: Name, phone and employer as given for this submission (the applicant may change them later).
    contact: Mapped[dict[str, Any]]
    facts: Mapped[dict[str, Any]]
    #: The eligibility verdict when it was submitted (staff read this one, whatever the rules say later).
    verdict: Mapped[str] = mapped_column(String(32))
    #: A :class:`dialogs.lifecycle.Status` value; its moves are :data:`dialogs.lifecycle.TRANSITIONS`.
    status: Mapped[str] = mapped_column(String(20))
    #: The content version it was made under (None: before versions were kept): staff read that
    #: version's texts, whatever admins published since.
    content_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Document(Base):
    """A file received for one checklist item; the bytes live in the file store under ``stored_name``."""

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_submission", "submission_id"),
        # which stored files are still in use (after an applicant's data is deleted) is asked by name
        Index("ix_documents_stored_name", "stored_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(64))
    #: The SHA-256 of the bytes and the suffix of their type (``<64 hex digits>.docx``).
    stored_name: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class StatusChange(Base):
    """One line of a submission's history: who moved it from what to what, when and why."""

    __tablename__ = "status_history"
    __table_args__ = (Index("ix_status_history_submission", "submission_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class OutboxMessage(Base):
    """A notification to deliver, written in the same transaction as its cause so none is lost."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(_one_of(OutboxStatus), name="status"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_reference", "reference"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_message_id: Mapped[str | None] = mapped_column(String(64))
    #: The chat it was delivered to (or is being delivered to), once the worker routed it.
    destination: Mapped[str | None] = mapped_column(String(64))
    #: Parts of a multi-message notification already delivered (their message ids), so a retry
    #: after a failure half-way sends only the rest.
    progress: Mapped[dict[str, Any] | None]
    #: Set for a message that must reach its person once whatever schedules it again (a follower told a
    #: window opened, a deadline reminder): a second insert with the same key is dropped by the database.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Subscription(Base):
    """An applicant asking to be told when a program opens its next round."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("applicant_id", "program", name="uq_subscriptions_applicant_program"),
        Index("ix_subscriptions_program", "program"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"))
    program: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    notified_at: Mapped[datetime | None]


class HandledUpdate(Base):
    """A Telegram update handled to the end (its transaction committed), kept a day: the same ``update_id``
    again (a webhook retry, a batch fetched again after a crash) is not handled twice."""

    __tablename__ = "handled_updates"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(index=True)


class StaffChat(Base):
    """A staff chat's own settings: the language its notifications and prompts are written in.

    Set by staff with ``/language`` in the chat, so an office whose reviewers read
    Uyghur or English gets its notifications that way without an admin's change.
    """

    __tablename__ = "staff_chats"

    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class StaffPrompt(Base):
    """A question the bot asked in a staff chat ("reply with your comment"), waiting for the reply.

    Staff answer by replying to the prompt message, so the prompt's chat and
    message id find the submission and the decision again, after a restart too.
    """

    __tablename__ = "staff_prompts"
    __table_args__ = (UniqueConstraint("chat_id", "message_id", name="uq_staff_prompts_message"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(40))
    #: What the reply does (:class:`dialogs.review.PromptPurpose`): decide ``returned`` or ``more_requested``,
    #: or ``answer`` a question passed on to staff (``reference`` is then the question's).
    decision: Mapped[str] = mapped_column(String(20))
    #: The submission's status when staff pressed the button: the decision applies only from it.
    seen_status: Mapped[str] = mapped_column(String(20))
    #: The notification message the prompt is about, to mark it decided.
    notice_message_id: Mapped[str | None] = mapped_column(String(64))
    staff: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]


class Question(Base):
    """A free question an applicant passed on to staff, and staff's answer.

    Staff answer by replying to the question in their chat (a staff prompt points
    here); every reply is relayed to the applicant, and ``answer`` keeps them all,
    in order, so the terminal (which has no pushed messages) can show them under
    "My submissions". ``answered_at`` and ``answered_by`` are those of the latest
    reply. Ids are never reused on SQLite: a staff prompt names its question by id,
    and a reply to an old prompt must not reach another applicant.
    """

    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_applicant", "applicant_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"))
    #: Who asked, as the channel knows them (``tg:12345``, ``local:default``).
    channel_user: Mapped[str] = mapped_column(String(100))
    #: The name the channel shows for them (Telegram's first and last name), for staff to read.
    asker: Mapped[str | None] = mapped_column(String(200))
    program: Mapped[str | None] = mapped_column(String(64))
    #: The contact (of ``program``) whose office was asked; None: the bot's general staff chat.
    office: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    #: The language the applicant asked in, and reads the answer in unless they chose another since.
    lang: Mapped[str] = mapped_column(String(8))
    asked_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(64))

    @property
    def reference(self) -> str:
        """How outbox rows and staff prompts name the question (``Q-12``)."""
        return question_reference(self.id)


#: The characters of a submission's reference: uppercase letters and digits without those read alike
#: (0 and O, 1, I and L) and U, so that it can be read out over the phone and typed without doubt.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """A fresh random reference from the operating system's CSPRNG. Unique in the database (a UNIQUE
    column; a collision makes the event run again with another one) and never made from the person
    or a counter, so deleting one's data and applying again never gives an old reference back."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))
    return f"AD-{code[:5]}-{code[5:]}"


#: Prefix of a question's reference (``Q-`` and the id: no submission reference is only digits after it).
QUESTION_PREFIX = "Q-"


def question_reference(question_id: int) -> str:
    return f"{QUESTION_PREFIX}{question_id}"


#: Prefix of the reference a message to one applicant carries when it is about no submission (a follower's
#: round opened, reminder, announcement): deleting the applicant's data deletes those messages too.
APPLICANT_PREFIX = "A-"


def applicant_reference(applicant_id: int) -> str:
    return f"{APPLICANT_PREFIX}{applicant_id}"


def question_id(reference: str) -> int | None:
    """The id in a question's reference, or None when ``reference`` names no question."""
    number = reference.removeprefix(QUESTION_PREFIX)
    return int(number) if reference.startswith(QUESTION_PREFIX) and number.isdigit() else None


class ContentVersion(Base):
    """One published set of content files, numbered from 1; the highest number is the one in force.

    Every change is a new version: a publish, a quick edit, and a rollback too (a copy of the files of
    the version rolled back to, ``restored_from``), so the history only grows and says who did what.
    """

    __tablename__ = "content_versions"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: ``seed`` (the shipped files, on an empty database), ``publish``, ``edit``, ``rollback``.
    kind: Mapped[str] = mapped_column(String(16))
    #: Every file of the content folder by its path in it (``programs/x.yaml``, ``notices/y.txt``).
    files: Mapped[dict[str, Any]]
    #: The loader's digest of the files (:attr:`dialogs.loader.Content.version`).
    digest: Mapped[str] = mapped_column(String(64))
    #: What changed against the version before, in a line (English, for logs and lists).
    summary: Mapped[str] = mapped_column(Text)
    #: Who: ``tg:12345`` for an admin in the chat, ``cli:user`` on the command line, ``system``.
    actor: Mapped[str] = mapped_column(String(64))
    restored_from: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class AuditEntry(Base):
    """Who did what to the content, the followers or a submission, and when; refused attempts too."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    #: ``publish``, ``rollback``, ``edit``, ``announce``, ``decide``, ``refused`` …
    action: Mapped[str] = mapped_column(String(32))
    #: What it was done to: ``v7``, a program id, a submission reference, a command name.
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]]
    allowed: Mapped[bool]


class AdminDraft(Base):
    """A change an admin was shown and has not confirmed yet (a publish, a rollback, a quick edit, an
    announcement): the confirm button names it by ``token``, so whichever process gets the press (after a
    restart too) does exactly what was previewed, once, and only for the admin who asked."""

    __tablename__ = "admin_drafts"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: Who asked (``tg:12345``): only they may confirm it.
    admin: Mapped[str] = mapped_column(String(64))
    #: ``publish``, ``rollback``, ``edit``, ``announce``.
    kind: Mapped[str] = mapped_column(String(16))
    #: What is to be done: the files to publish, the version to go back to, the announcement's text …
    payload: Mapped[dict[str, Any]]
    #: The version in force when it was previewed: confirming after someone else published is refused.
    base_number: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    #: Set when confirmed or cancelled: a second press does nothing.
    closed_at: Mapped[datetime | None]
