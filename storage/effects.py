"""Apply the engine's effects inside the caller's unit of work, so they commit with the new state.

The caller saves the conversation, calls :func:`apply_effects`, then commits once.
Replaying the same event (a double tap, or the event re-run after a crash) is
harmless: the submission is found by its idempotency key and the staff
notification for it is not queued a second time (the policy is the domain's:
:mod:`dialogs.lifecycle`, ``replay_of_confirm`` and ``replay_of_amend``). A question passed on to staff
is stored with its notification (``staff_question``) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dialogs.events import (
    AmendSubmission,
    CreateSubmission,
    Effect,
    ForgetApplicant,
    ForwardQuestion,
    NotifyStaff,
    SetLanguage,
    StoreFile,
    Subscribe,
)
from dialogs.lifecycle import Replay, Status, replay_of_amend, replay_of_confirm
from storage.errors import ConcurrentUpdate, StatusConflict
from storage.models import Question, Submission
from storage.repositories import StaffMessages
from storage.uow import UnitOfWork
from storage.views import OutboxItem

_CONTACT_FIELDS = ("name", "phone", "employer")
#: The outbox kind that carries a question to the staff chat of its office.
STAFF_QUESTION = "staff_question"
#: The outbox kind that tells staff a submission was withdrawn (its applicant deleted their data).
WITHDRAWN = "withdrawn"
#: The outbox kinds that show a submission, with the applicant's contact, in a staff chat.
SHOWN_KINDS = ("new_submission", "resubmitted")
#: The outbox kind that carries a new submission's receipt to its applicant (queued by the channels
#: whose replies can be lost, see :meth:`bot.service.Desk.handle`).
APPLICANT_RECEIPT = "applicant_receipt"


@dataclass
class Applied:
    """What the effects did: each submission with whether it was new, and the queued notifications."""

    submissions: list[tuple[Submission, bool]] = field(default_factory=list)
    outbox: list[OutboxItem] = field(default_factory=list)
    #: Stored files whose documents were deleted: remove them from the file store after the commit
    #: if no other document uses them.
    released_files: list[str] = field(default_factory=list)
    #: The applicant's row was deleted (their data erased on request).
    forgotten: bool = False
    #: Questions passed on to staff.
    questions: list[Question] = field(default_factory=list)


async def apply_effects(
    uow: UnitOfWork,
    effects: Iterable[Effect],
    *,
    applicant_id: int,
    now: datetime,
    asker: str | None = None,
    content_version: int | None = None,
) -> Applied:
    """``asker``: the name the channel shows for the applicant, for staff reading a question.
    ``content_version``: the content version the event was decided under, kept with a new submission."""
    applied = Applied()
    withdrawn: list[str] = []  # submissions withdrawn: staff are told once the rows about them are deleted
    shown: dict[str, list[StaffMessages]] = {}
    replayed: set[str] = set()
    generated: dict[str, str] = {}  # "" → the reference made from the id, when the engine left it empty
    for effect in effects:
        if isinstance(effect, CreateSubmission):
            submission, created = await uow.submissions.create_once(
                effect, applicant_id=applicant_id, now=now, content_version=content_version
            )
            applied.submissions.append((submission, created))
            if effect.reference != submission.reference:
                generated[effect.reference] = submission.reference
            if replay_of_confirm(created) is Replay.ALREADY_DONE:
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
            if effect.kind == WITHDRAWN:
                withdrawn.append(reference)  # queued once the rows about it are gone (below)
                continue
            applied.outbox.append(await uow.outbox.enqueue(effect.kind, reference, effect.payload, now))
        elif isinstance(effect, AmendSubmission):
            await _amend(uow, effect, applicant_id=applicant_id, now=now)
        elif isinstance(effect, ForgetApplicant):
            shown = await _shown(uow, applicant_id, withdrawn)
            applied.released_files += await uow.applicants.delete(applicant_id)
            applied.forgotten = True
        elif isinstance(effect, SetLanguage):
            if applied.forgotten:
                continue
            await uow.applicants.set_language(applicant_id, effect.lang, now=now)
        elif isinstance(effect, ForwardQuestion):
            question = await _store_question(uow, effect, applicant_id=applicant_id, asker=asker, now=now)
            applied.questions.append(question)
            payload = {"program": effect.program, "office": effect.office}
            applied.outbox.append(await uow.outbox.enqueue(STAFF_QUESTION, question.reference, payload, now))
        elif isinstance(effect, Subscribe):
            await uow.subscriptions.add(applicant_id, effect.program, now=now)
        elif isinstance(effect, StoreFile):
            continue  # written to the file store by the caller before the commit (see bot.service)
        else:  # pragma: no cover - a new effect type must be handled here
            raise TypeError(f"storage does not know the effect {effect!r}")
    if withdrawn and not applied.forgotten:
        shown = await uow.outbox.staff_messages(withdrawn, SHOWN_KINDS)
    for reference in withdrawn:
        if shown.get(reference):
            # No reference column: the row must not tie the deleted applicant's submission to anything;
            # its payload (what to edit) is emptied once delivered.
            withdrawal: dict[str, Any] = {"reference": reference, "messages": shown[reference]}
            applied.outbox.append(await uow.outbox.enqueue(WITHDRAWN, None, withdrawal, now))
    return applied


async def _shown(uow: UnitOfWork, applicant_id: int, withdrawn: list[str]) -> dict[str, list[StaffMessages]]:
    """Where staff were shown the applicant's submissions, read before their rows are deleted."""
    if not withdrawn:
        return {}
    return await uow.outbox.staff_messages(withdrawn, SHOWN_KINDS)


async def _store_question(
    uow: UnitOfWork, effect: ForwardQuestion, *, applicant_id: int, asker: str | None, now: datetime
) -> Question:
    """Keep the question for the staff reply to find, with who asked: the channel's name for them,
    else the name they gave in an application."""
    applicant = await uow.applicants.get(applicant_id)
    channel_user = f"{applicant.channel}:{applicant.external_id}" if applicant else str(applicant_id)
    return await uow.questions.add(
        applicant_id=applicant_id,
        channel_user=channel_user,
        asker=asker or (applicant.name if applicant else None),
        program=effect.program,
        office=effect.office,
        text=effect.question,
        lang=effect.lang,
        now=now,
    )


async def _amend(uow: UnitOfWork, effect: AmendSubmission, *, applicant_id: int, now: datetime) -> None:
    """Attach the new documents and put the submission back to review.

    The engine decided from the status it was shown; if staff moved the
    submission meanwhile, the event is re-run (:class:`ConcurrentUpdate`) so the
    engine decides again from the current status.
    """
    submission = await uow.submissions.get(effect.reference)
    owned = submission is not None and submission.applicant_id == applicant_id
    if submission is None or replay_of_amend(submission.status, owned) is not Replay.APPLY:
        raise ConcurrentUpdate(f"{effect.reference} no longer waits for documents from its applicant")
    for document in effect.documents:
        await uow.documents.add(submission.id, document, now=now)
    try:
        await uow.submissions.change_status(
            effect.reference, Status.SUBMITTED, actor="applicant", at=now, expected=submission.status
        )
    except StatusConflict as error:
        raise ConcurrentUpdate(str(error)) from error
