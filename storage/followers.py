"""What the follower scheduler reads and marks: who follows which program, who has an application
not yet sent, and which follower messages were ever queued.

Reads only, besides :meth:`FollowerRepository.mark_notified`: the messages themselves are queued with
:meth:`storage.repositories.OutboxRepository.enqueue_once`, whose unique key (not a read before the
write) makes each one once per person, however many schedulers run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select, update

from storage.models import Applicant, Conversation, OutboxMessage, Submission, Subscription
from storage.repositories import _Repository

#: Values per ``IN (…)`` list: far below every backend's limit on bound parameters.
CHUNK = 500
T = TypeVar("T")


def _chunks(values: Sequence[T]) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


@dataclass(frozen=True)
class Follower:
    """An applicant following a program, with where to reach them."""

    applicant_id: int
    program: str
    channel: str
    #: Their id on the channel (the Telegram user id).
    user: str


@dataclass(frozen=True)
class DraftHolder:
    """An applicant whose conversation holds an application not yet sent, with the stored state."""

    applicant_id: int
    channel: str
    user: str
    state: dict[str, Any]


class FollowerRepository(_Repository):
    async def followers(self, programs: Sequence[str], channels: Sequence[str]) -> list[Follower]:
        """The followers of these programs reachable on these channels, in the order they asked."""
        if not programs:
            return []
        query = (
            select(Subscription.applicant_id, Subscription.program, Applicant.channel, Applicant.external_id)
            .join(Applicant, Applicant.id == Subscription.applicant_id)
            .where(Subscription.program.in_(list(programs)), Applicant.channel.in_(list(channels)))
            .order_by(Subscription.id)
        )
        return [Follower(*row) for row in (await self._session.execute(query)).all()]

    async def mark_notified(self, program: str, applicant_ids: Sequence[int], now: datetime) -> None:
        """Note when these followers were last told the program opened a round."""
        for chunk in _chunks(list(applicant_ids)):
            await self._session.execute(
                update(Subscription)
                .where(Subscription.program == program, Subscription.applicant_id.in_(chunk))
                .values(notified_at=now)
                .execution_options(synchronize_session=False)
            )

    async def payloads(self, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The payload of each message ever queued under one of ``keys`` (sent or not), by key."""
        found: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(list(keys)):
            query = select(OutboxMessage.dedupe_key, OutboxMessage.payload).where(OutboxMessage.dedupe_key.in_(chunk))
            for key, payload in (await self._session.execute(query)).all():
                if key is not None:
                    found[key] = dict(payload or {})
        return found

    async def drafts(self, programs: Sequence[str], channels: Sequence[str]) -> list[DraftHolder]:
        """Conversations on these channels whose state holds a draft application for one of ``programs``
        (a JSON path in the query: only those states are read)."""
        if not programs:
            return []
        program = Conversation.state["draft"]["program"].as_string()
        query = (
            select(Conversation.applicant_id, Conversation.channel, Applicant.external_id, Conversation.state)
            .join(Applicant, Applicant.id == Conversation.applicant_id)
            .where(program.in_(list(programs)), Conversation.channel.in_(list(channels)))
            .order_by(Conversation.id)
        )
        rows = (await self._session.execute(query)).all()
        return [DraftHolder(applicant, channel, user, dict(state)) for applicant, channel, user, state in rows]

    async def submitted(
        self, applicant_ids: Sequence[int], programs: Sequence[str]
    ) -> set[tuple[int, str, str | None]]:
        """(applicant, program, track) of every submission these applicants made to these programs."""
        found: set[tuple[int, str, str | None]] = set()
        for chunk in _chunks(list(applicant_ids)):
            query = select(Submission.applicant_id, Submission.program, Submission.track).where(
                Submission.applicant_id.in_(chunk), Submission.program.in_(list(programs))
            )
            found.update((a, p, t) for a, p, t in (await self._session.execute(query)).all())
        return found
