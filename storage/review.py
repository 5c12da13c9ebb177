"""Staff review through storage: load what the review engine decides from, commit what it decided.

:func:`load_review` reads plain domain views (:mod:`dialogs.review`), never ORM
rows (:mod:`dialogs.review_model`), so the Telegram layer holds none. :func:`apply_review` runs the engine's
effects inside the caller's unit of work; when the world moved since the view was
read (a colleague decided first, the prompt was answered, the question is gone)
it raises :class:`StatusConflict` or :class:`NotFound`, the transaction is rolled
back, and the caller asks the engine again from what is stored now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from dialogs.lifecycle import status_of
from dialogs.review_model import (
    AnswerQuestion,
    AskedQuestion,
    AuditDecision,
    ChangeStatus,
    CloseDecisionPrompt,
    PromptPurpose,
    PromptView,
    RecordPrompt,
    ReviewedSubmission,
    ReviewEffect,
    ReviewView,
    SetChatLanguage,
    Subject,
    TellApplicant,
)
from storage.effects import SHOWN_KINDS
from storage.errors import NotFound, StatusConflict
from storage.models import question_id
from storage.uow import UnitOfWork

#: The outbox kind that tells an applicant what staff decided.
APPLICANT_UPDATE = "applicant_update"
#: The outbox kind that relays a staff answer to the applicant who asked.
QUESTION_ANSWER = "question_answer"
#: The audit log's action for a staff decision (and for an attempt at one refused to a non-reviewer).
DECIDE = "decide"


async def load_review(uow: UnitOfWork, wanted: Subject) -> ReviewView:
    """The submission, prompt or question the event is about, as stored now."""
    prompt: PromptView | None = None
    reference = wanted.reference
    if wanted.prompt is not None:
        chat_id, message_id = wanted.prompt
        row = await uow.staff_prompts.find(str(chat_id), str(message_id))
        purpose = None if row is None else _purpose(row.decision)
        if row is None or purpose is None:
            return ReviewView()
        prompt = PromptView(
            id=row.id,
            reference=row.reference,
            purpose=purpose,
            seen_status=status_of(row.seen_status),
            notice_message_id=int(row.notice_message_id) if row.notice_message_id else None,
            answered=row.answered_at is not None,
        )
        if purpose is PromptPurpose.ANSWER:
            number = question_id(row.reference)
            question = None if number is None else await uow.questions.get(number)
            asked = None if question is None else AskedQuestion(question.id, question.reference)
            return ReviewView(prompt=prompt, question=asked)
        reference = row.reference
    if reference is None:
        return ReviewView(prompt=prompt)
    return ReviewView(submission=await reviewed(uow, reference), prompt=prompt)


async def reviewed(uow: UnitOfWork, reference: str) -> ReviewedSubmission | None:
    """A submission as staff review it: its status and the chats its notice went to."""
    row = await uow.submissions.get(reference)
    status = None if row is None else status_of(row.status)
    if status is None:
        return None
    chats = await uow.outbox.routed(reference, SHOWN_KINDS)
    routed = frozenset(int(chat) for chat in chats if _is_int(chat))
    return ReviewedSubmission(reference, status, routed, row.content_version if row is not None else None)


def _purpose(decision: str) -> PromptPurpose | None:
    try:
        return PromptPurpose(decision)
    except ValueError:
        return None


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit()


@dataclass
class ReviewApplied:
    """What the effects queued: the outbox worker is woken when it is not empty."""

    outbox: list[int] = field(default_factory=list)


async def apply_review(uow: UnitOfWork, effects: Iterable[ReviewEffect]) -> ReviewApplied:
    applied = ReviewApplied()
    for effect in effects:
        if isinstance(effect, CloseDecisionPrompt):
            if not await uow.staff_prompts.answer(effect.prompt_id, now=effect.at):
                raise StatusConflict("the prompt was answered meanwhile")
        elif isinstance(effect, ChangeStatus):
            await uow.submissions.change_status(
                effect.reference,
                effect.to,
                actor=effect.actor,
                at=effect.at,
                comment=effect.comment,
                expected=effect.expected,
            )
        elif isinstance(effect, TellApplicant):
            submission = await uow.submissions.get(effect.reference)
            if submission is None:
                raise NotFound(effect.reference)
            applicant = await uow.applicants.get(submission.applicant_id)
            payload = {
                "channel": applicant.channel if applicant else None,
                "user": applicant.external_id if applicant else None,
                "status": effect.status.value,
                "comment": effect.comment,
                "program": submission.program,
                "track": submission.track,
            }
            row = await uow.outbox.enqueue(APPLICANT_UPDATE, effect.reference, payload, effect.at)
            applied.outbox.append(row.id)
        elif isinstance(effect, AnswerQuestion):
            question = await uow.questions.add_answer(effect.number, effect.answer, by=effect.by, at=effect.at)
            if question is None:
                raise NotFound(effect.reference)
            row = await uow.outbox.enqueue(QUESTION_ANSWER, question.reference, {"answer": effect.answer}, effect.at)
            applied.outbox.append(row.id)
        elif isinstance(effect, SetChatLanguage):
            await uow.staff_chats.set_language(str(effect.chat_id), effect.lang, by=effect.by, now=effect.at)
        elif isinstance(effect, AuditDecision):
            await uow.audit.record(
                actor=effect.actor,
                action=DECIDE,
                target=effect.target,
                at=effect.at,
                detail={"from": effect.before, "to": effect.to, "chat": effect.chat},
                allowed=effect.allowed,
            )
        else:  # pragma: no cover - a new effect type must be handled here
            raise TypeError(f"storage does not know the review effect {effect!r}")
    return applied


async def record_prompt(uow: UnitOfWork, record: RecordPrompt, message_id: int) -> None:
    """Keep a posted prompt, so its reply (after a restart too) finds the submission and the decision."""
    await uow.staff_prompts.add(
        chat_id=str(record.chat_id),
        message_id=str(message_id),
        reference=record.reference,
        decision=record.purpose.value,
        seen_status="" if record.seen_status is None else record.seen_status.value,
        notice_message_id=None if record.notice_message_id is None else str(record.notice_message_id),
        staff=record.staff,
        now=record.at,
    )
