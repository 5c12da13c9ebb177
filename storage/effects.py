"""Apply the engine's effects inside the caller's unit of work, so they commit with the new state.

The caller saves the conversation, calls :func:`apply_effects`, then commits once.
Replaying the same event (a double tap, or the event re-run after a crash) is
harmless: the submission is found by its idempotency key and the staff
notification for it is not queued a second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from dialogs.events import CreateSubmission, Effect, NotifyStaff, SetLanguage, StoreFile, Subscribe
from storage.models import OutboxMessage, Submission
from storage.uow import UnitOfWork

_CONTACT_FIELDS = ("name", "phone", "employer")


@dataclass
class Applied:
    """What the effects did: each submission with whether it was new, and the queued notifications."""

    submissions: list[tuple[Submission, bool]] = field(default_factory=list)
    outbox: list[OutboxMessage] = field(default_factory=list)


async def apply_effects(
    uow: UnitOfWork, effects: Iterable[Effect], *, applicant_id: int, now: datetime
) -> Applied:
    applied = Applied()
    replayed: set[str] = set()
    generated: dict[str, str] = {}  # "" → the reference made from the id, when the engine left it empty
    for effect in effects:
        if isinstance(effect, CreateSubmission):
            submission, created = await uow.submissions.create_once(effect, applicant_id=applicant_id, now=now)
            applied.submissions.append((submission, created))
            if effect.reference != submission.reference:
                generated[effect.reference] = submission.reference
            if not created:
                replayed.update({effect.reference, submission.reference})
                continue
            for document in effect.documents:
                await uow.documents.add(submission.id, document, now=now)
            contact = {k: v for k, v in effect.applicant.items() if k in _CONTACT_FIELDS and v}
            if contact:
                await uow.applicants.set_contact(applicant_id, now=now, **contact)
        elif isinstance(effect, NotifyStaff):
            reference = generated.get(effect.reference, effect.reference)
            if reference in replayed:
                continue
            applied.outbox.append(await uow.outbox.enqueue(effect.kind, reference, effect.payload, now))
        elif isinstance(effect, SetLanguage):
            await uow.applicants.set_language(applicant_id, effect.lang, now=now)
        elif isinstance(effect, Subscribe):
            await uow.subscriptions.add(applicant_id, effect.program, now=now)
        elif isinstance(effect, StoreFile):
            continue  # written to the file store by the caller before the commit (see bot.service)
        else:  # pragma: no cover - a new effect type must be handled here
            raise TypeError(f"storage does not know the effect {effect!r}")
    return applied
