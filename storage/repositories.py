"""Small typed repositories. None of them commits: the unit of work decides.

Races are settled by the database, not by reading first and hoping: inserts that
may collide use ``INSERT … ON CONFLICT DO NOTHING`` on the natural key, and
changes that must happen once are ``UPDATE … WHERE <what we saw>`` checked by
row count. That works the same on SQLite (one writer at a time) and PostgreSQL
(row locks, READ COMMITTED).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from sqlalchemy import CursorResult, Text, Update, cast, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.lifecycle import Status, can_move, status_of
from storage.errors import (
    ConcurrentUpdate,
    DuplicateReference,
    DuplicateSubmission,
    NotFound,
    StatusConflict,
    StorageError,
)
from storage.hotpath import open_query, opened, save_statement, stale
from storage.models import (
    AdminDraft,
    Applicant,
    AuditEntry,
    ContentVersion,
    Conversation,
    Document,
    OutboxMessage,
    OutboxStatus,
    Question,
    StaffChat,
    StaffPrompt,
    StatusChange,
    Submission,
    Subscription,
    applicant_reference,
    new_reference,
    question_id,
    question_reference,
)
from storage.views import ApplicantRecord, DocumentRecord, Opened, OutboxItem, QuestionRecord, SubmissionRecord

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

#: The PostgreSQL channel a new content version is announced on (``bot.content_live`` listens).
CONTENT_CHANNEL = "content_versions"
#: How long a claimed outbox row is hidden from other workers before it is tried again.
DEFAULT_LEASE = timedelta(minutes=1)


class SubmissionData(Protocol):
    """What :meth:`SubmissionRepository.create_once` needs; ``dialogs.events.CreateSubmission`` fits."""

    @property
    def key(self) -> str: ...
    @property
    def reference(self) -> str: ...
    @property
    def program(self) -> str: ...
    @property
    def track(self) -> str | None: ...
    @property
    def applicant(self) -> Mapping[str, str]: ...
    @property
    def facts(self) -> Mapping[str, Any]: ...
    @property
    def verdict(self) -> str: ...


class DocumentData(Protocol):
    """A file already in the file store; ``dialogs.events.StoredDocument`` fits."""

    @property
    def item(self) -> str: ...
    @property
    def stored_name(self) -> str: ...
    @property
    def original_name(self) -> str: ...
    @property
    def mime(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def sha256(self) -> str: ...


class StaffMessages(TypedDict):
    """Messages of one notice in a staff chat: its text parts, and the one with the buttons."""

    chat: str
    texts: list[int]
    notice: int | None


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _item(row: OutboxMessage) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        kind=row.kind,
        reference=row.reference,
        payload=dict(row.payload or {}),
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        sent_message_id=row.sent_message_id,
        destination=row.destination,
        progress=None if row.progress is None else dict(row.progress),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _applicant(row: Applicant | None) -> ApplicantRecord | None:
    return None if row is None else ApplicantRecord(row.id, row.channel, row.external_id, row.language)


class _Repository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _insert(self, model: type[Any]) -> sqlite.Insert | postgresql.Insert:
        """A dialect insert, for ``on_conflict_do_nothing`` on SQLite and PostgreSQL alike (each dialect's
        package imported here, where its engine has loaded it already, not at every start)."""
        dialect = self._session.get_bind().dialect.name
        if dialect == "sqlite":
            from sqlalchemy.dialects import sqlite

            return sqlite.insert(model)
        if dialect == "postgresql":
            from sqlalchemy.dialects import postgresql

            return postgresql.insert(model)
        raise StorageError(f"unsupported database backend {dialect!r}")

    async def _matched(self, statement: Update) -> int:
        """How many rows an UPDATE matched. ``Session.execute`` is typed to return a plain ``Result``
        (a session cannot promise a cursor for every statement), but an UPDATE gets a ``CursorResult``."""
        result = await self._session.execute(statement)
        assert isinstance(result, CursorResult)
        return result.rowcount


class ApplicantRepository(_Repository):
    async def get(self, applicant_id: int) -> Applicant | None:
        return await self._session.get(Applicant, applicant_id)

    async def find(self, channel: str, external_id: str) -> Applicant | None:
        query = select(Applicant).where(Applicant.channel == channel, Applicant.external_id == external_id)
        return await self._session.scalar(query)

    async def record(self, applicant_id: int) -> ApplicantRecord | None:
        return _applicant(await self.get(applicant_id))

    async def record_of(self, channel: str, external_id: str) -> ApplicantRecord | None:
        return _applicant(await self.find(channel, external_id))

    async def get_or_create(
        self, channel: str, external_id: str, *, now: datetime, language: str | None = None
    ) -> Applicant:
        """The applicant for this channel user; two first messages at once still make one row."""
        found = await self.find(channel, external_id)
        if found is not None:
            return found
        return await self.create(channel, external_id, now=now, language=language)

    async def create(self, channel: str, external_id: str, *, now: datetime, language: str | None = None) -> Applicant:
        """The applicant for this channel user, stored now (the caller read that there was none): one
        INSERT, and the row. If another event stored them meanwhile, theirs is returned as it is."""
        insert = self._insert(Applicant).values(
            channel=channel, external_id=external_id, language=language, created_at=now, updated_at=now
        )
        await self._session.execute(insert.on_conflict_do_nothing(index_elements=["channel", "external_id"]))
        found = await self.find(channel, external_id)
        assert found is not None
        return found

    async def set_language(self, applicant_id: int, language: str, *, now: datetime) -> None:
        await self._update(applicant_id, now, language=language)

    async def set_contact(
        self,
        applicant_id: int,
        *,
        now: datetime,
        name: str | None = None,
        phone: str | None = None,
        employer: str | None = None,
    ) -> None:
        """Set the given contact fields; a field left as None keeps its value."""
        given = {"name": name, "phone": phone, "employer": employer}
        await self._update(applicant_id, now, **{k: v for k, v in given.items() if v is not None})

    async def delete(self, applicant_id: int) -> list[str]:
        """Delete the applicant with everything that hangs off them (conversation, submissions,
        documents, history, subscriptions, questions to staff with the notifications that carry
        their words, every notification and staff prompt about their submissions); returns the stored file names their documents used, for the caller to
        remove from the file store after the commit."""
        stored = await self._session.scalars(
            select(Document.stored_name)
            .join(Submission, Submission.id == Document.submission_id)
            .where(Submission.applicant_id == applicant_id)
        )
        names = sorted(set(stored))
        asked = await self._session.scalars(select(Question.id).where(Question.applicant_id == applicant_id))
        references = [question_reference(number) for number in asked]
        # Every notification about their submissions goes too (the decisions sent to them hold their
        # Telegram id and what staff wrote), and the staff prompts waiting on those submissions.
        submitted = list(
            await self._session.scalars(select(Submission.reference).where(Submission.applicant_id == applicant_id))
        )
        if submitted:
            await self._session.execute(delete(StaffPrompt).where(StaffPrompt.reference.in_(submitted)))
        references += [*submitted, applicant_reference(applicant_id)]  # and the messages it had as a follower
        if references:
            await self._session.execute(delete(OutboxMessage).where(OutboxMessage.reference.in_(references)))
        for model in (Conversation, Subscription, Question):
            await self._session.execute(delete(model).where(model.applicant_id == applicant_id))
        submission_ids = select(Submission.id).where(Submission.applicant_id == applicant_id).scalar_subquery()
        for child in (Document, StatusChange):
            await self._session.execute(delete(child).where(child.submission_id.in_(submission_ids)))
        await self._session.execute(delete(Submission).where(Submission.applicant_id == applicant_id))
        await self._session.execute(delete(Applicant).where(Applicant.id == applicant_id))
        return names

    async def _update(self, applicant_id: int, now: datetime, **values: Any) -> None:
        matched = await self._matched(
            update(Applicant).where(Applicant.id == applicant_id).values(updated_at=now, **values)
        )
        if matched != 1:
            raise NotFound(f"no applicant {applicant_id}")


class ConversationRepository(_Repository):
    async def open(self, channel: str, external_id: str) -> Opened | None:
        """The applicant of this channel user with their conversation on it, in one statement (an
        ordinary event reads nothing else); None for someone never seen."""
        return opened((await self._session.execute(open_query(channel, external_id))).first())

    async def load(self, applicant_id: int, channel: str) -> tuple[dict[str, Any], int] | None:
        """The saved state and its version, or None for a first conversation."""
        record = await self.load_record(applicant_id, channel)
        return None if record is None else (record.state, record.version)

    async def load_record(self, applicant_id: int, channel: str) -> Conversation | None:
        """The whole row, for callers that need ``schema`` (the state format) or ``updated_at``."""
        query = (
            select(Conversation)
            .where(Conversation.applicant_id == applicant_id, Conversation.channel == channel)
            .execution_options(populate_existing=True)
        )
        return await self._session.scalar(query)

    async def save(
        self,
        applicant_id: int,
        channel: str,
        state: Mapping[str, Any],
        *,
        expected_version: int | None,
        now: datetime,
        schema: int = 1,
    ) -> int:
        """Store ``state`` if nobody saved since we loaded ``expected_version`` (None: a new
        conversation); returns the new version, raises :class:`ConcurrentUpdate` otherwise."""
        if expected_version is None:
            insert = self._insert(Conversation).values(
                applicant_id=applicant_id,
                channel=channel,
                state=dict(state),
                schema=schema,
                version=1,
                created_at=now,
                updated_at=now,
            )
            insert = insert.on_conflict_do_nothing(index_elements=["applicant_id", "channel"])
            inserted = (await self._session.execute(insert.returning(Conversation.id))).first()
            if inserted is None:
                raise ConcurrentUpdate(f"conversation of applicant {applicant_id} on {channel} already exists")
            return 1
        statement = save_statement(
            applicant_id, channel, state, expected_version=expected_version, now=now, schema=schema
        )
        if await self._matched(statement) != 1:
            raise stale(applicant_id, channel, expected_version)
        return expected_version + 1


class SubmissionRepository(_Repository):
    async def create_once(
        self,
        data: SubmissionData,
        *,
        applicant_id: int,
        now: datetime,
        actor: str = "applicant",
        content_version: int | None = None,
    ) -> tuple[Submission, bool]:
        """Create the submission, or return the one already made with ``data.key`` (created False).

        An empty ``data.reference`` gets a random one (:func:`storage.models.new_reference`).
        A reference another submission holds raises :class:`DuplicateReference` (the caller runs the
        event again with another). A second submission by the same applicant to the same track raises
        :class:`DuplicateSubmission` (the engine refuses it too; this is the guard for two events the engine
        decided at once). The first status-history line (None → submitted) is written with it.
        """
        same_key = await self._session.scalar(select(Submission).where(Submission.idempotency_key == data.key))
        if same_key is not None:
            if same_key.applicant_id != applicant_id:  # never hand one person's submission to another
                raise DuplicateReference(f"idempotency key {data.key!r} belongs to another applicant")
            return same_key, False
        # A write to the applicant's row first: it locks that row on PostgreSQL and takes SQLite's one write
        # lock (whose transaction only begins at a write), so two events checking for a submission to this
        # track at once take turns, and the second finds the first.
        await self._session.execute(
            update(Applicant).where(Applicant.id == applicant_id).values(updated_at=Applicant.updated_at)
        )
        track = Submission.track.is_(None) if data.track is None else Submission.track == data.track
        earlier = await self._session.scalar(
            select(Submission.reference).where(
                Submission.applicant_id == applicant_id,
                Submission.program == data.program,
                track,
                Submission.idempotency_key != data.key,
            )
        )
        if earlier is not None:
            raise DuplicateSubmission(f"the applicant already has submission {earlier} to this track")
        insert = self._insert(Submission).values(
            reference=data.reference or new_reference(),
            idempotency_key=data.key,
            applicant_id=applicant_id,
            program=data.program,
            track=data.track,
            contact=dict(data.applicant),
            facts=dict(data.facts),
            verdict=data.verdict,
            status=Status.SUBMITTED.value,
            content_version=content_version,
            created_at=now,
            updated_at=now,
        )
        statement = insert.on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(Submission.id)
        try:
            inserted = (await self._session.execute(statement)).first()
        except IntegrityError as error:
            raise DuplicateReference(f"reference {data.reference!r} belongs to another submission") from error
        if inserted is None:
            existing = await self._session.scalar(select(Submission).where(Submission.idempotency_key == data.key))
            if existing is None:  # only if it was deleted between the two statements
                raise ConcurrentUpdate(f"submission {data.key!r} vanished while being created")
            if existing.applicant_id != applicant_id:  # never hand one person's submission to another
                raise DuplicateReference(f"idempotency key {data.key!r} belongs to another applicant")
            return existing, False
        submission_id: int = inserted[0]
        self._session.add(
            StatusChange(
                submission_id=submission_id, from_status=None, to_status=Status.SUBMITTED.value, actor=actor, at=now
            )
        )
        created = await self._session.get(Submission, submission_id, populate_existing=True)
        assert created is not None
        return created, True

    async def get(self, reference: str) -> Submission | None:
        query = select(Submission).where(Submission.reference == reference).execution_options(populate_existing=True)
        return await self._session.scalar(query)

    async def record(self, reference: str) -> SubmissionRecord | None:
        """The submission as a plain read model (for the channels, which hold no rows)."""
        row = await self.get(reference)
        if row is None:
            return None
        return SubmissionRecord(
            id=row.id,
            reference=row.reference,
            applicant_id=row.applicant_id,
            program=row.program,
            track=row.track,
            contact=dict(row.contact),
            facts=dict(row.facts),
            verdict=row.verdict,
            status=row.status,
            created_at=row.created_at,
            content_version=row.content_version,
        )

    async def list_for(self, applicant_id: int) -> list[Submission]:
        """The applicant's submissions, newest first."""
        query = (
            select(Submission)
            .where(Submission.applicant_id == applicant_id)
            .order_by(Submission.created_at.desc(), Submission.id.desc())
            .execution_options(populate_existing=True)
        )
        return list(await self._session.scalars(query))

    async def latest_comments(self, applicant_id: int) -> dict[str, str]:
        """What staff last said on each of the applicant's submissions, in one query (reference → comment)."""
        query = (
            select(Submission.reference, StatusChange.comment)
            .join(StatusChange, StatusChange.submission_id == Submission.id)
            .where(Submission.applicant_id == applicant_id, StatusChange.comment.is_not(None))
            .order_by(StatusChange.at, StatusChange.id)
        )
        rows = (await self._session.execute(query)).all()
        return {reference: comment for reference, comment in rows if comment is not None}

    async def history(self, reference: str) -> list[StatusChange]:
        """Every status change, oldest first (what staff said is in ``comment``)."""
        query = (
            select(StatusChange)
            .join(Submission, Submission.id == StatusChange.submission_id)
            .where(Submission.reference == reference)
            .order_by(StatusChange.at, StatusChange.id)
        )
        return list(await self._session.scalars(query))

    async def change_status(
        self,
        reference: str,
        to: str,
        *,
        actor: str,
        at: datetime,
        comment: str | None = None,
        expected: str | None = None,
    ) -> Submission:
        """Move the submission to ``to`` and record who, when and why.

        Refused with :class:`StatusConflict` when the move is not allowed from the
        current status (a final decision stands), when ``expected`` (the status the
        staff member saw) is no longer current, or when another decision landed
        first — the UPDATE only matches the status we checked.
        """
        wanted = status_of(to)
        if wanted is None:
            raise StorageError(f"unknown status {to!r}")
        to = wanted.value
        row = (
            await self._session.execute(
                select(Submission.id, Submission.status).where(Submission.reference == reference)
            )
        ).first()
        if row is None:
            raise NotFound(f"no submission {reference!r}")
        submission_id, current = row
        seen = expected if expected is not None else current
        if not can_move(seen, to) or seen != current:
            raise StatusConflict(f"{reference} is {current}: cannot move to {to}")
        matched = await self._matched(
            update(Submission)
            .where(Submission.id == submission_id, Submission.status == seen)
            .values(status=to, updated_at=at)
            .execution_options(synchronize_session=False)
        )
        if matched != 1:
            raise StatusConflict(f"{reference} was decided by someone else")
        self._session.add(
            StatusChange(
                submission_id=submission_id, from_status=seen, to_status=to, actor=actor, comment=comment, at=at
            )
        )
        changed = await self._session.get(Submission, submission_id, populate_existing=True)
        assert changed is not None
        return changed


class DocumentRepository(_Repository):
    async def add(self, submission_id: int, document: DocumentData, *, now: datetime) -> Document:
        row = Document(
            submission_id=submission_id,
            item=document.item,
            stored_name=document.stored_name,
            original_name=document.original_name[:255],
            mime=document.mime,
            size=document.size,
            sha256=document.sha256,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def list_for(self, submission_id: int) -> list[Document]:
        query = select(Document).where(Document.submission_id == submission_id).order_by(Document.id)
        return list(await self._session.scalars(query))

    async def records_for(self, submission_id: int) -> list[DocumentRecord]:
        """The submission's documents as plain read models, in the order received."""
        return [
            DocumentRecord(d.id, d.item, d.stored_name, d.original_name, d.mime)
            for d in await self.list_for(submission_id)
        ]

    async def in_use(self, stored_names: list[str]) -> set[str]:
        """Which of these stored files a document or a draft still refers to.

        The store is content-addressed: two applicants sending the same bytes (the blank form
        from the notice) share one file, whether it is in a submitted document or only in the
        draft of an application not yet confirmed (kept in the conversation's state). A draft is
        found by the name in its state's JSON text: names are SHA-256 hex, so a match is theirs.
        """
        if not stored_names:
            return set()
        query = select(Document.stored_name).where(Document.stored_name.in_(stored_names)).distinct()
        used = set(await self._session.scalars(query))
        state = cast(Conversation.state, Text)
        for name in set(stored_names) - used:
            draft = select(Conversation.id).where(state.contains(name, autoescape=True)).limit(1)
            if await self._session.scalar(draft) is not None:
                used.add(name)
        return used


class OutboxRepository(_Repository):
    """Notifications waiting for delivery.

    A worker claims due rows and commits the claim before sending, so another
    worker skips them; a claim is a lease (``next_attempt_at`` moves forward), so
    a worker that dies mid-send does not lose the row: it is tried again later.
    """

    async def enqueue(self, kind: str, reference: str | None, payload: Mapping[str, Any], at: datetime) -> OutboxItem:
        row = OutboxMessage(
            kind=kind,
            reference=reference,
            payload=dict(payload),
            status=OutboxStatus.PENDING.value,
            attempts=0,
            next_attempt_at=at,
            created_at=at,
            updated_at=at,
        )
        self._session.add(row)
        await self._session.flush()
        return _item(row)

    async def enqueue_once(
        self, key: str, kind: str, reference: str | None, payload: Mapping[str, Any], at: datetime
    ) -> bool:
        """Queue a message unless one with ``key`` was ever queued: True when this call queued it.

        For messages a schedule may derive again (after a restart, a second worker, a republished
        version): the unique key, not a read before the write, makes it once per person.
        """
        insert = self._insert(OutboxMessage).values(
            kind=kind,
            reference=reference,
            payload=dict(payload),
            status=OutboxStatus.PENDING.value,
            attempts=0,
            next_attempt_at=at,
            dedupe_key=key,
            created_at=at,
            updated_at=at,
        )
        statement = insert.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(OutboxMessage.id)
        return (await self._session.execute(statement)).first() is not None

    async def get(self, message_id: int) -> OutboxItem | None:
        row = await self._session.get(OutboxMessage, message_id, populate_existing=True)
        return None if row is None else _item(row)

    async def for_reference(self, reference: str) -> list[OutboxItem]:
        query = select(OutboxMessage).where(OutboxMessage.reference == reference).order_by(OutboxMessage.id)
        return [_item(row) for row in await self._session.scalars(query.execution_options(populate_existing=True))]

    async def claim_due(self, now: datetime, limit: int = 10, *, lease: timedelta = DEFAULT_LEASE) -> list[OutboxItem]:
        """Rows due at ``now`` (pending, or failed with a retry time), oldest first; each claimed
        row gets one more attempt counted and is hidden until ``now + lease``."""
        due = (
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)),
            OutboxMessage.next_attempt_at <= now,
        )
        # SKIP LOCKED (PostgreSQL; SQLite has one writer and ignores it): several workers claiming at once
        # each take rows the others have not locked, instead of queueing on the same oldest ones.
        candidates = await self._session.scalars(
            select(OutboxMessage.id)
            .where(*due)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed: list[int] = []
        for message_id in list(candidates):
            matched = await self._matched(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, *due)
                .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + lease, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if matched == 1:
                claimed.append(message_id)
        if not claimed:
            return []
        query = select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
        return [_item(row) for row in await self._session.scalars(query.execution_options(populate_existing=True))]

    async def renew_lease(self, message_id: int, ends: datetime, until: datetime) -> bool:
        """Move a claimed row's lease end from ``ends`` to ``until`` (a worker's heartbeat). False when
        the row's end is no longer ``ends``: its outcome was recorded, or another worker claimed it."""
        matched = await self._matched(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)),
                OutboxMessage.next_attempt_at == ends,
            )
            .values(next_attempt_at=until)
            .execution_options(synchronize_session=False)
        )
        return matched == 1

    async def mark_sent(
        self,
        message_id: int,
        sent_message_id: str | int | None,
        *,
        at: datetime | None = None,
        forget_payload: bool = False,
        created_at: datetime | None = None,
    ) -> None:
        """Delivered: never claimed again. Keeps the channel's message id (to edit or reply to it).
        ``forget_payload``: empty the payload (it named a deleted applicant's submission).
        ``created_at``: see :meth:`_set`."""
        extra: dict[str, Any] = {"payload": {}, "progress": None} if forget_payload else {}
        await self._set(
            message_id,
            created_at=created_at,
            status=OutboxStatus.SENT.value,
            sent_message_id=None if sent_message_id is None else str(sent_message_id),
            next_attempt_at=None,
            last_error=None,
            updated_at=at or _utcnow(),
            **extra,
        )

    async def mark_failed(
        self,
        message_id: int,
        error: str,
        retry_at: datetime | None,
        *,
        at: datetime | None = None,
        created_at: datetime | None = None,
    ) -> None:
        """A failed attempt: retried from ``retry_at``, or given up for good when it is None."""
        await self._set(
            message_id,
            created_at=created_at,
            status=OutboxStatus.FAILED.value,
            last_error=error[:2000],
            next_attempt_at=retry_at,
            updated_at=at or _utcnow(),
        )

    async def release(self, message_id: int, at: datetime, *, created_at: datetime | None = None) -> None:
        """A claimed row handed back untried (its worker stopped first): due at ``at``, and the claim not
        counted as an attempt, since none was made (attempts drive the backoff and the dead letter)."""
        await self._set(
            message_id, created_at=created_at, attempts=OutboxMessage.attempts - 1, next_attempt_at=at, updated_at=at
        )

    async def route(self, message_id: int, destination: str, *, created_at: datetime | None = None) -> None:
        """Remember where the notification goes, so every retry and later part goes there too."""
        await self._set(message_id, created_at=created_at, destination=destination)

    async def record_progress(
        self,
        message_id: int,
        progress: Mapping[str, Any],
        *,
        at: datetime | None = None,
        created_at: datetime | None = None,
    ) -> None:
        """Parts delivered so far; committed after each part so a retry does not send them again."""
        await self._set(message_id, created_at=created_at, progress=dict(progress), updated_at=at or _utcnow())

    async def delivered(self, reference: str, kinds: tuple[str, ...]) -> list[OutboxItem]:
        """The notifications of these kinds about ``reference`` that reached their chat, oldest first."""
        query = (
            select(OutboxMessage)
            .where(
                OutboxMessage.reference == reference,
                OutboxMessage.kind.in_(kinds),
                OutboxMessage.status == OutboxStatus.SENT,
            )
            .order_by(OutboxMessage.id)
        )
        return [_item(row) for row in await self._session.scalars(query.execution_options(populate_existing=True))]

    async def staff_messages(self, references: list[str], kinds: tuple[str, ...]) -> dict[str, list[StaffMessages]]:
        """The staff-chat messages that show these submissions (the text parts of their notices, which
        hold the applicant's name and phone), per reference: what to edit when they are withdrawn.
        Half-sent notices count too (their parts sent so far)."""
        if not references:
            return {}
        query = (
            select(OutboxMessage)
            .where(
                OutboxMessage.reference.in_(references),
                OutboxMessage.kind.in_(kinds),
                OutboxMessage.destination.is_not(None),
            )
            .order_by(OutboxMessage.id)
        )
        found: dict[str, list[StaffMessages]] = {}
        for row in await self._session.scalars(query.execution_options(populate_existing=True)):
            progress = row.progress or {}
            notice = progress.get("notice") or (int(row.sent_message_id) if row.sent_message_id else None)
            texts: list[int] = []
            for part in progress.get("parts") or ([[notice]] if notice is not None else []):
                texts += [int(message) for message in part]
                if notice in part:
                    break  # the documents come after the part with the buttons
            if texts and row.reference and row.destination:
                found.setdefault(row.reference, []).append({"chat": row.destination, "texts": texts, "notice": notice})
        return found

    async def routed(self, reference: str, kinds: tuple[str, ...]) -> set[str]:
        """The chats notifications of these kinds about ``reference`` were routed to (sent, or being sent)."""
        query = select(OutboxMessage.destination).where(
            OutboxMessage.reference == reference,
            OutboxMessage.kind.in_(kinds),
            OutboxMessage.destination.is_not(None),
        )
        return {chat for chat in await self._session.scalars(query) if chat}

    async def prune_sent(self, before: datetime, *, keep_kinds: tuple[str, ...] = ()) -> int:
        """Delete notifications delivered before ``before``; returns how many.

        Kept whatever their age: the kinds in ``keep_kinds`` (a submission's messages in a staff chat,
        which a withdrawal edits and a resubmission points back to) and rows with a once-key (without
        the row, a schedule deriving the same follower message again would send it a second time)."""
        result = await self._session.execute(
            delete(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.SENT.value,
                OutboxMessage.updated_at < before,
                OutboxMessage.dedupe_key.is_(None),
                OutboxMessage.kind.not_in(keep_kinds),
            )
            .execution_options(synchronize_session=False)
        )
        assert isinstance(result, CursorResult)
        return result.rowcount

    async def pending_count(self) -> int:
        """Notifications still to deliver (given-up ones not counted)."""
        query = (
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status != OutboxStatus.SENT, OutboxMessage.next_attempt_at.is_not(None))
        )
        return int(await self._session.scalar(query) or 0)

    async def _set(self, message_id: int, *, created_at: datetime | None = None, **values: Any) -> None:
        """Change one row. ``created_at``: the row's, as the worker claimed it: SQLite gives a new row the
        id of a deleted one (an applicant's data erased while their notice was being sent, and the
        withdrawal queued in the same transaction), and the worker must then find its row gone
        (:class:`NotFound`) rather than write over the new one."""
        where = [OutboxMessage.id == message_id]
        if created_at is not None:
            where.append(OutboxMessage.created_at == created_at)
        matched = await self._matched(
            update(OutboxMessage).where(*where).values(**values).execution_options(synchronize_session=False)
        )
        if matched != 1:
            raise NotFound(f"no outbox message {message_id}")


class SubscriptionRepository(_Repository):
    """Who waits for which program's next round; asking twice is the same as asking once."""

    async def add(self, applicant_id: int, program: str, *, now: datetime) -> None:
        insert = self._insert(Subscription).values(applicant_id=applicant_id, program=program, created_at=now)
        await self._session.execute(insert.on_conflict_do_nothing(index_elements=["applicant_id", "program"]))

    async def for_program(self, program: str) -> list[Subscription]:
        query = select(Subscription).where(Subscription.program == program).order_by(Subscription.id)
        return list(await self._session.scalars(query))


class StaffPromptRepository(_Repository):
    """Prompts in staff chats waiting for a reply (the comment of a return, the document asked for)."""

    async def add(
        self,
        *,
        chat_id: str,
        message_id: str,
        reference: str,
        decision: str,
        seen_status: str,
        notice_message_id: str | None,
        staff: str,
        now: datetime,
    ) -> StaffPrompt:
        row = StaffPrompt(
            chat_id=chat_id,
            message_id=message_id,
            reference=reference,
            decision=decision,
            seen_status=seen_status,
            notice_message_id=notice_message_id,
            staff=staff,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def find(self, chat_id: str, message_id: str) -> StaffPrompt | None:
        query = select(StaffPrompt).where(StaffPrompt.chat_id == chat_id, StaffPrompt.message_id == message_id)
        return await self._session.scalar(query.execution_options(populate_existing=True))

    async def answer(self, prompt_id: int, *, now: datetime) -> bool:
        """Mark the prompt answered; False when another reply answered it first."""
        matched = await self._matched(
            update(StaffPrompt)
            .where(StaffPrompt.id == prompt_id, StaffPrompt.answered_at.is_(None))
            .values(answered_at=now)
            .execution_options(synchronize_session=False)
        )
        return matched == 1


class StaffChatRepository(_Repository):
    """Per staff chat settings (its language)."""

    async def language(self, chat_id: str) -> str | None:
        return await self._session.scalar(select(StaffChat.language).where(StaffChat.chat_id == chat_id))

    async def set_language(self, chat_id: str, language: str, *, by: str, now: datetime) -> None:
        insert = self._insert(StaffChat).values(chat_id=chat_id, language=language, updated_by=by, updated_at=now)
        await self._session.execute(
            insert.on_conflict_do_update(
                index_elements=["chat_id"], set_={"language": language, "updated_by": by, "updated_at": now}
            )
        )


class QuestionRepository(_Repository):
    """Questions passed on to staff, and what staff replied."""

    async def add(
        self,
        *,
        applicant_id: int,
        channel_user: str,
        asker: str | None,
        program: str | None,
        office: str | None,
        text: str,
        lang: str,
        now: datetime,
    ) -> Question:
        row = Question(
            applicant_id=applicant_id,
            channel_user=channel_user[:100],
            asker=asker[:200] if asker else None,
            program=program,
            office=office,
            text=text,
            lang=lang,
            asked_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row

    async def get(self, number: int) -> Question | None:
        return await self._session.get(Question, number, populate_existing=True)

    async def by_reference(self, reference: str) -> Question | None:
        """The question a staff prompt or an outbox row names (``Q-12``), if it still exists."""
        number = question_id(reference)
        return None if number is None else await self.get(number)

    async def record(self, reference: str) -> QuestionRecord | None:
        """The question a prompt or an outbox row names, as a plain read model."""
        row = await self.by_reference(reference)
        if row is None:
            return None
        return QuestionRecord(
            id=row.id,
            reference=row.reference,
            applicant_id=row.applicant_id,
            asker=row.asker,
            program=row.program,
            office=row.office,
            text=row.text,
            lang=row.lang,
            asked_at=row.asked_at,
        )

    async def list_for(self, applicant_id: int, limit: int = 10) -> list[Question]:
        """The applicant's latest questions, newest first."""
        query = (
            select(Question)
            .where(Question.applicant_id == applicant_id)
            .order_by(Question.asked_at.desc(), Question.id.desc())
            .limit(limit)
            .execution_options(populate_existing=True)
        )
        return list(await self._session.scalars(query))

    async def add_answer(self, number: int, answer: str, *, by: str, at: datetime) -> Question | None:
        """Add a staff reply after the earlier ones (one UPDATE, so two replies at once both stay);
        None when the question is gone (its applicant deleted their data)."""
        joined = func.coalesce(Question.answer.concat("\n"), "").concat(answer)
        matched = await self._matched(
            update(Question)
            .where(Question.id == number)
            .values(answer=joined, answered_by=by[:64], answered_at=at)
            .execution_options(synchronize_session=False)
        )
        if matched != 1:
            return None
        return await self.get(number)


class ContentVersionRepository(_Repository):
    """The published content versions; the highest number is the one in force."""

    async def latest_number(self) -> int | None:
        return await self._session.scalar(select(func.max(ContentVersion.number)))

    async def get(self, number: int) -> ContentVersion | None:
        return await self._session.get(ContentVersion, number)

    async def latest(self) -> ContentVersion | None:
        """The version in force (the highest number), in one statement."""
        return await self._session.scalar(select(ContentVersion).order_by(ContentVersion.number.desc()).limit(1))

    async def listing(self, limit: int = 20) -> list[ContentVersion]:
        """The newest ``limit`` versions, newest first, without their files (a list is shown, not loaded)."""
        query = select(ContentVersion).order_by(ContentVersion.number.desc()).limit(limit)
        return list(await self._session.scalars(query))

    async def add(
        self,
        *,
        kind: str,
        files: Mapping[str, str],
        digest: str,
        summary: str,
        actor: str,
        now: datetime,
        restored_from: int | None = None,
        expected_latest: int | None,
    ) -> int:
        """Add the next version after ``expected_latest`` (None: the first) and return its number.

        Two admins publishing at once both read the same latest number; the primary key lets only one
        of them have the next number, the other gets :class:`ConcurrentUpdate` and sees the new state.
        """
        number = (expected_latest or 0) + 1
        insert = self._insert(ContentVersion).values(
            number=number,
            kind=kind,
            files=dict(files),
            digest=digest,
            summary=summary,
            actor=actor,
            restored_from=restored_from,
            created_at=now,
        )
        inserted = (
            await self._session.execute(
                insert.on_conflict_do_nothing(index_elements=["number"]).returning(ContentVersion.number)
            )
        ).first()
        if inserted is None:
            raise ConcurrentUpdate(f"content version {number} was published by someone else meanwhile")
        if self._session.get_bind().dialect.name == "postgresql":
            # delivered to every listening process when (and only if) this transaction commits
            await self._session.execute(select(func.pg_notify(CONTENT_CHANNEL, str(number))))
        return number


class AuditRepository(_Repository):
    """The audit log: written in the transaction of what it records, read newest first."""

    async def record(
        self,
        *,
        actor: str,
        action: str,
        target: str | None,
        at: datetime,
        detail: Mapping[str, Any] | None = None,
        allowed: bool = True,
    ) -> None:
        self._session.add(
            AuditEntry(at=at, actor=actor, action=action, target=target, detail=dict(detail or {}), allowed=allowed)
        )
        await self._session.flush()

    async def latest(self, limit: int = 20, *, before_id: int | None = None) -> list[AuditEntry]:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if before_id is not None:
            query = query.where(AuditEntry.id < before_id)
        return list(await self._session.scalars(query))


class AdminDraftRepository(_Repository):
    """Previews an admin was shown and has not confirmed: found by the token their buttons carry."""

    async def add(
        self,
        *,
        token: str,
        admin: str,
        kind: str,
        payload: Mapping[str, Any],
        base_number: int | None,
        now: datetime,
    ) -> None:
        self._session.add(
            AdminDraft(
                token=token, admin=admin, kind=kind, payload=dict(payload), base_number=base_number, created_at=now
            )
        )
        await self._session.flush()

    async def get(self, token: str) -> AdminDraft | None:
        query = select(AdminDraft).where(AdminDraft.token == token)
        return await self._session.scalar(query.execution_options(populate_existing=True))

    async def close(self, token: str, *, now: datetime) -> bool:
        """Close the draft; False when it was closed already (a second tap, another worker): do nothing then."""
        matched = await self._matched(
            update(AdminDraft)
            .where(AdminDraft.token == token, AdminDraft.closed_at.is_(None))
            .values(closed_at=now)
            .execution_options(synchronize_session=False)
        )
        return matched == 1

    async def waiting(self, admin: str, kind: str, *, since: datetime) -> AdminDraft | None:
        """The admin's newest open draft of ``kind`` made after ``since`` (a question the bot asked them)."""
        query = (
            select(AdminDraft)
            .where(
                AdminDraft.admin == admin,
                AdminDraft.kind == kind,
                AdminDraft.closed_at.is_(None),
                AdminDraft.created_at > since,
            )
            .order_by(AdminDraft.created_at.desc())
            .limit(1)
        )
        return await self._session.scalar(query)

    async def close_all(self, admin: str, kind: str, *, now: datetime) -> int:
        """Close every open draft of ``kind`` of the admin (a new question replaces an unanswered one)."""
        return await self._matched(
            update(AdminDraft)
            .where(AdminDraft.admin == admin, AdminDraft.kind == kind, AdminDraft.closed_at.is_(None))
            .values(closed_at=now)
            .execution_options(synchronize_session=False)
        )
