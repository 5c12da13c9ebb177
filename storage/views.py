"""Plain read models: what storage hands to the channels, never ORM rows.

A row is tied to its session (lazy attributes, identity, flushes); the Telegram
layer only reads, after the unit of work has closed, so it gets frozen copies of
the fields it uses. Only :mod:`storage` builds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class OutboxItem:
    """A notification claimed for delivery (or looked up), as it was when read."""

    id: int
    kind: str
    reference: str | None
    payload: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    sent_message_id: str | None
    destination: str | None
    progress: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class SubmissionRecord:
    id: int
    reference: str
    applicant_id: int
    program: str
    track: str | None
    contact: dict[str, Any]
    facts: dict[str, Any]
    #: The eligibility verdict as it was at submission.
    verdict: str
    status: str
    created_at: datetime
    #: The number of the content version it was made under (None: made before versions were kept).
    content_version: int | None = None


@dataclass(frozen=True)
class DocumentRecord:
    id: int
    item: str
    stored_name: str
    original_name: str
    mime: str


@dataclass(frozen=True)
class ApplicantRecord:
    id: int
    channel: str
    external_id: str
    language: str | None


@dataclass(frozen=True)
class QuestionRecord:
    id: int
    reference: str
    applicant_id: int
    asker: str | None
    program: str | None
    office: str | None
    text: str
    lang: str
    asked_at: datetime


@dataclass(frozen=True)
class Opened:
    """What an ordinary event reads, in one statement: who the applicant is and their conversation."""

    applicant_id: int
    language: str | None
    #: The saved state and its version; None for a first conversation on this channel.
    state: dict[str, Any] | None
    version: int | None
