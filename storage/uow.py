"""The unit of work: one per event, so a state change and its effects commit together or not at all.

cosmicpython style: ``async with uow: …; await uow.commit()``. Leaving the block
without commit rolls back; repositories hang off the unit of work and never
commit on their own. Database errors leave the block as :class:`StorageError`.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.errors import StorageError
from storage.followers import FollowerRepository
from storage.repositories import (
    AdminDraftRepository,
    ApplicantRepository,
    AuditRepository,
    ContentVersionRepository,
    ConversationRepository,
    DocumentRepository,
    OutboxRepository,
    QuestionRepository,
    StaffChatRepository,
    StaffPromptRepository,
    SubmissionRepository,
    SubscriptionRepository,
)


class UnitOfWork:
    applicants: ApplicantRepository
    conversations: ConversationRepository
    submissions: SubmissionRepository
    documents: DocumentRepository
    outbox: OutboxRepository
    subscriptions: SubscriptionRepository
    staff_prompts: StaffPromptRepository
    staff_chats: StaffChatRepository
    questions: QuestionRepository
    content_versions: ContentVersionRepository
    audit: AuditRepository
    admin_drafts: AdminDraftRepository
    followers: FollowerRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise StorageError("this unit of work is already open")
        session = self._session = self._sessions()
        self.applicants = ApplicantRepository(session)
        self.conversations = ConversationRepository(session)
        self.submissions = SubmissionRepository(session)
        self.documents = DocumentRepository(session)
        self.outbox = OutboxRepository(session)
        self.subscriptions = SubscriptionRepository(session)
        self.staff_prompts = StaffPromptRepository(session)
        self.staff_chats = StaffChatRepository(session)
        self.questions = QuestionRepository(session)
        self.content_versions = ContentVersionRepository(session)
        self.audit = AuditRepository(session)
        self.admin_drafts = AdminDraftRepository(session)
        self.followers = FollowerRepository(session)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        # close() rolls back whatever was not committed and detaches the loaded rows
        # without expiring them, so what a repository returned stays readable afterwards.
        await session.close()
        if isinstance(error, SQLAlchemyError):
            raise StorageError(f"database error: {error}") from error

    async def commit(self) -> None:
        try:
            await self._require().commit()
        except SQLAlchemyError as error:
            raise StorageError(f"commit failed: {error}") from error

    async def rollback(self) -> None:
        await self._require().rollback()

    def _require(self) -> AsyncSession:
        if self._session is None:
            raise StorageError("use the unit of work inside `async with`")
        return self._session
