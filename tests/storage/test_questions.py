"""Questions passed on to staff: stored with their notification, answered in order, deleted with their applicant."""

from __future__ import annotations

from datetime import timedelta

from dialogs.events import ForgetApplicant, ForwardQuestion
from storage.db import Database
from storage.effects import apply_effects
from tests.storage.factories import NOW

ASK = ForwardQuestion("援疆期间的社保由哪一方缴纳？", "xj-aid-talent-2023b2", "org-aid-talent-wu", "zh")


async def _ask(
    db: Database,
    applicant_id: int,
    effect: ForwardQuestion = ASK,
    *,
    commit: bool = True,
    asker: str | None = "阿依古丽",
) -> str:
    """One event that passes a question on; returns the question's reference."""
    async with db.uow() as uow:
        await uow.conversations.save(applicant_id, "local", {"step": "menu"}, expected_version=None, now=NOW)
        applied = await apply_effects(uow, [effect], applicant_id=applicant_id, now=NOW, asker=asker)
        if commit:
            await uow.commit()
    [question] = applied.questions
    return question.reference


async def test_a_forwarded_question_is_stored_with_its_staff_notification_in_one_transaction(
    db: Database, applicant_id: int
) -> None:
    reference = await _ask(db, applicant_id)
    async with db.uow() as uow:
        [question] = await uow.questions.list_for(applicant_id)
        notes = await uow.outbox.for_reference(reference)
    assert question.reference == reference
    assert (question.text, question.program, question.office, question.lang) == (
        ASK.question,
        ASK.program,
        ASK.office,
        "zh",
    )
    assert (question.channel_user, question.asker, question.asked_at) == ("local:alice", "阿依古丽", NOW)
    assert (question.answer, question.answered_at, question.answered_by) == (None, None, None)
    assert [(n.kind, n.status, n.payload) for n in notes] == [
        ("staff_question", "pending", {"program": "xj-aid-talent-2023b2", "office": "org-aid-talent-wu"})
    ]


async def test_a_question_not_committed_leaves_neither_row_nor_notification(db: Database, applicant_id: int) -> None:
    reference = await _ask(db, applicant_id, commit=False)
    async with db.uow() as uow:
        assert await uow.questions.list_for(applicant_id) == []
        assert await uow.outbox.for_reference(reference) == []


async def test_without_a_name_from_the_channel_staff_see_the_name_given_in_an_application(
    db: Database, applicant_id: int
) -> None:
    async with db.uow() as uow:
        await uow.applicants.set_contact(applicant_id, now=NOW, name="李四")
        await uow.commit()
    await _ask(db, applicant_id, asker=None)
    async with db.uow() as uow:
        [question] = await uow.questions.list_for(applicant_id)
    assert question.asker == "李四"


async def test_staff_replies_are_kept_in_order_with_the_latest_responder(db: Database, applicant_id: int) -> None:
    reference = await _ask(db, applicant_id)
    later = NOW + timedelta(hours=2)
    async with db.uow() as uow:
        question = await uow.questions.by_reference(reference)
        assert question is not None
        await uow.questions.add_answer(question.id, "由派出单位缴纳。", by="王老师 (tg:8001)", at=NOW)
        answered = await uow.questions.add_answer(question.id, "详见通知第三条。", by="李老师 (tg:8002)", at=later)
        await uow.commit()
    assert answered is not None
    assert answered.answer == "由派出单位缴纳。\n详见通知第三条。"
    assert (answered.answered_by, answered.answered_at) == ("李老师 (tg:8002)", later)


async def test_forgetting_the_applicant_deletes_their_questions_and_the_notifications_about_them(
    db: Database, applicant_id: int
) -> None:
    async with db.uow() as uow:
        other = await uow.applicants.get_or_create("local", "bob", now=NOW)
        await uow.commit()
    mine = await _ask(db, applicant_id)
    theirs = await _ask(db, other.id)
    async with db.uow() as uow:
        question = await uow.questions.by_reference(mine)
        assert question is not None
        await uow.questions.add_answer(question.id, "由派出单位缴纳。", by="王老师 (tg:8001)", at=NOW)
        await uow.outbox.enqueue("question_answer", mine, {"answer": "由派出单位缴纳。"}, NOW)
        await apply_effects(uow, [ForgetApplicant()], applicant_id=applicant_id, now=NOW)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.questions.by_reference(mine) is None
        assert await uow.outbox.for_reference(mine) == []
        assert await uow.questions.by_reference(theirs) is not None  # someone else's stays
        assert len(await uow.outbox.for_reference(theirs)) == 1
        # a staff reply arriving afterwards finds nothing to answer
        assert await uow.questions.add_answer(question.id, "还有一点", by="王老师 (tg:8001)", at=NOW) is None


async def test_a_deleted_questions_id_is_never_given_to_a_new_one(db: Database, applicant_id: int) -> None:
    """A staff prompt names its question by id: a late reply must not reach a different applicant."""
    first = await _ask(db, applicant_id)
    async with db.uow() as uow:
        await uow.applicants.delete(applicant_id)
        newcomer = await uow.applicants.get_or_create("local", "carol", now=NOW)
        await uow.commit()
    second = await _ask(db, newcomer.id)
    assert first != second
