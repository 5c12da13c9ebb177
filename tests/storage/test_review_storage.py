"""Storage for the review round trip: documents sent again, data deleted on request, staff prompts, delivery progress."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.events import AmendSubmission, Effect, ForgetApplicant, NotifyStaff, StoredDocument, Subscribe
from storage.db import Database
from storage.effects import Applied, apply_effects
from storage.errors import ConcurrentUpdate
from storage.models import OutboxMessage, StaffPrompt
from tests.storage.factories import NOW, confirm

AGAIN = StoredDocument("other", "2" * 32 + ".pdf", "重新扫描.pdf", "application/pdf", 321, "c" * 64)


async def _apply(db: Database, applicant_id: int, *effects: Effect) -> Applied:
    async with db.uow() as uow:
        applied = await apply_effects(uow, effects, applicant_id=applicant_id, now=NOW)
        await uow.commit()
    return applied


async def _return(db: Database, reference: str = "XJ-2026-000001") -> None:
    async with db.uow() as uow:
        await uow.submissions.change_status(reference, "returned", actor="staff", at=NOW, comment="盖章不清晰")
        await uow.commit()


async def test_documents_sent_after_a_return_join_the_submission_and_put_it_back_to_review(
    db: Database, applicant_id: int
) -> None:
    await _apply(db, applicant_id, confirm())
    await _return(db)
    await _apply(
        db,
        applicant_id,
        AmendSubmission("XJ-2026-000001", (AGAIN,)),
        NotifyStaff("resubmitted", "XJ-2026-000001", {"documents": [AGAIN.stored_name]}),
    )
    async with db.uow() as uow:
        submission = await uow.submissions.get("XJ-2026-000001")
        assert submission is not None and submission.status == "submitted"
        names = [d.original_name for d in await uow.documents.list_for(submission.id)]
        history = [(h.from_status, h.to_status, h.actor) for h in await uow.submissions.history("XJ-2026-000001")]
        kinds = [m.kind for m in await uow.outbox.for_reference("XJ-2026-000001")]
    assert names[-1] == "重新扫描.pdf" and len(names) == 3
    assert history[-1] == ("returned", "submitted", "applicant")
    assert kinds == ["resubmitted"]


async def test_documents_for_a_submission_staff_already_accepted_make_the_event_run_again(
    db: Database, applicant_id: int
) -> None:
    await _apply(db, applicant_id, confirm())
    async with db.uow() as uow:
        await uow.submissions.change_status("XJ-2026-000001", "accepted", actor="staff", at=NOW)
        await uow.commit()
    with pytest.raises(ConcurrentUpdate):
        await _apply(db, applicant_id, AmendSubmission("XJ-2026-000001", (AGAIN,)))


async def test_forgetting_an_applicant_deletes_their_rows_and_releases_their_files(
    db: Database, applicant_id: int
) -> None:
    await _apply(db, applicant_id, confirm(), Subscribe("xj-state-allowance-2020"))
    async with db.uow() as uow:
        await uow.conversations.save(applicant_id, "local", {"step": "menu"}, expected_version=None, now=NOW)
        await uow.commit()
    applied = await _apply(db, applicant_id, NotifyStaff("withdrawn", "XJ-2026-000001"), ForgetApplicant())
    assert applied.forgotten
    assert sorted(applied.released_files) == sorted(["0" * 32 + ".pdf", "1" * 32 + ".jpg"])
    async with db.uow() as uow:
        assert await uow.applicants.get(applicant_id) is None
        assert await uow.submissions.get("XJ-2026-000001") is None
        assert await uow.conversations.load(applicant_id, "local") is None
        assert await uow.subscriptions.for_program("xj-state-allowance-2020") == []
        assert await uow.documents.in_use(applied.released_files) == set()
        # staff were never shown it (no notice delivered): nothing to withdraw, no row names it
        assert await uow.outbox.for_reference("XJ-2026-000001") == []
    assert applied.outbox == []


async def test_forgetting_an_applicant_leaves_no_row_with_their_id_staffs_words_or_their_reference(
    db: Database,
) -> None:
    reference = "XJ-2026-000001"
    async with db.uow() as uow:
        applicant = await uow.applicants.get_or_create("tg", "777001", now=NOW)
        await uow.commit()
    await _apply(db, applicant.id, confirm(), NotifyStaff("new_submission", reference, {"program": "p"}))
    async with db.uow() as uow:
        [notice] = await uow.outbox.for_reference(reference)
        await uow.outbox.route(notice.id, "-100")
        await uow.outbox.record_progress(notice.id, {"parts": [[11], [12], [13, 14]], "notice": 12}, at=NOW)
        await uow.outbox.mark_sent(notice.id, 12, at=NOW)
        await uow.submissions.change_status(reference, "returned", actor="staff", at=NOW, comment="请联系 13912345678")
        update = {"channel": "tg", "user": "777001", "status": "returned", "comment": "请联系 13912345678"}
        await uow.outbox.enqueue("applicant_update", reference, update, NOW)
        await uow.staff_prompts.add(
            chat_id="-100",
            message_id="20",
            reference=reference,
            decision="more_requested",
            seen_status="submitted",
            notice_message_id="12",
            staff="王老师 (tg:9)",
            now=NOW,
        )
        await uow.commit()
    applied = await _apply(db, applicant.id, NotifyStaff("withdrawn", reference), ForgetApplicant())
    async with AsyncSession(db.engine) as session:
        rows = list(await session.scalars(select(OutboxMessage)))
        prompts = list(await session.scalars(select(StaffPrompt)))
    assert prompts == []
    [withdrawn] = rows
    assert (
        withdrawn.kind == "withdrawn"
        and withdrawn.reference is None
        and [m.id for m in applied.outbox] == [withdrawn.id]
    )
    # what to edit: the notice's text parts (not the documents after it), until it is delivered
    assert withdrawn.payload == {
        "reference": reference,
        "messages": [{"chat": "-100", "texts": [11, 12], "notice": 12}],
    }
    for row in rows:
        assert "777001" not in str(row.payload) and "13912345678" not in str(row.payload)


async def test_a_staff_prompt_is_answered_once(db: Database) -> None:
    async with db.uow() as uow:
        prompt = await uow.staff_prompts.add(
            chat_id="-100",
            message_id="7",
            reference="XJ-2026-000001",
            decision="returned",
            seen_status="submitted",
            notice_message_id="5",
            staff="王老师 (tg:9)",
            now=NOW,
        )
        await uow.commit()
    async with db.uow() as uow:
        found = await uow.staff_prompts.find("-100", "7")
        assert found is not None and found.id == prompt.id and found.answered_at is None
        assert await uow.staff_prompts.answer(prompt.id, now=NOW)
        assert not await uow.staff_prompts.answer(prompt.id, now=NOW)
        await uow.commit()
        assert await uow.staff_prompts.find("-100", "8") is None


async def test_delivery_progress_and_destination_are_kept_for_the_retry(db: Database) -> None:
    async with db.uow() as uow:
        row = await uow.outbox.enqueue("new_submission", "XJ-2026-000001", {}, NOW)
        await uow.commit()
    async with db.uow() as uow:
        await uow.outbox.route(row.id, "-1001")
        await uow.outbox.record_progress(row.id, {"parts": [[11]], "notice": 11}, at=NOW)
        await uow.commit()
    async with db.uow() as uow:
        again = await uow.outbox.get(row.id)
        assert again is not None and again.destination == "-1001" and again.progress == {"parts": [[11]], "notice": 11}
        await uow.outbox.mark_sent(row.id, 11, at=NOW)
        await uow.commit()
    async with db.uow() as uow:
        assert [m.id for m in await uow.outbox.delivered("XJ-2026-000001", ("new_submission",))] == [row.id]
        assert await uow.outbox.pending_count() == 0


async def test_a_file_in_another_applicants_draft_is_still_in_use(db: Database, applicant_id: int) -> None:
    """The store is content-addressed: the blank form from the notice, sent by two applicants, is one
    file. One applicant deleting their data must not remove the file the other's draft still needs."""
    shared = "d" * 64 + ".pdf"
    async with db.uow() as uow:
        other = await uow.applicants.get_or_create("tg", "4242", now=NOW)
        draft = {"step": "documents", "draft": {"documents": {"id_card": [{"stored_name": shared}]}}}
        await uow.conversations.save(other.id, "tg", draft, expected_version=None, now=NOW)
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.documents.in_use([shared, "e" * 64 + ".pdf"]) == {shared}
