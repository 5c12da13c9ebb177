"""Submissions are created once per confirm and decided once by staff, with the history kept."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from storage import DuplicateReference, NotFound, StatusConflict
from storage.db import Database
from storage.errors import ConcurrentUpdate, DuplicateSubmission
from storage.models import is_submission_reference
from tests.storage.factories import NOW, confirm


async def _submit(db: Database, applicant_id: int, **changes: object) -> str:
    async with db.uow() as uow:
        submission, _ = await uow.submissions.create_once(confirm(**changes), applicant_id=applicant_id, now=NOW)
        await uow.commit()
    return submission.reference


async def test_create_once_stores_the_submission_and_its_first_history_line(db: Database, applicant_id: int) -> None:
    async with db.uow() as uow:
        submission, created = await uow.submissions.create_once(confirm(), applicant_id=applicant_id, now=NOW)
        await uow.commit()
    assert created
    async with db.uow() as uow:
        stored = await uow.submissions.get("XJ-2026-000001")
        history = await uow.submissions.history("XJ-2026-000001")
    assert stored is not None and stored.id == submission.id
    assert (stored.program, stored.track, stored.verdict, stored.status) == (
        "xj-aid-talent-2023b2",
        "flexible",
        "eligible",
        "submitted",
    )
    assert stored.contact["name"] == "阿依古丽" and stored.facts == confirm().facts
    assert stored.created_at == NOW
    assert [(h.from_status, h.to_status, h.actor) for h in history] == [(None, "submitted", "applicant")]


async def test_a_replayed_confirm_returns_the_first_submission(db: Database, applicant_id: int) -> None:
    await _submit(db, applicant_id)
    async with db.uow() as uow:
        again, created = await uow.submissions.create_once(confirm(), applicant_id=applicant_id, now=NOW)
        await uow.commit()
    assert not created and again.reference == "XJ-2026-000001"
    async with db.uow() as uow:
        assert len(await uow.submissions.list_for(applicant_id)) == 1
        assert len(await uow.submissions.history("XJ-2026-000001")) == 1


async def test_two_confirms_at_once_create_one_submission(db: Database, applicant_id: int) -> None:
    async def press_confirm() -> tuple[str, bool]:
        async with db.uow() as uow:
            submission, created = await uow.submissions.create_once(confirm(), applicant_id=applicant_id, now=NOW)
            await asyncio.sleep(0)
            await uow.commit()
            return submission.reference, created

    results = await asyncio.gather(press_confirm(), press_confirm())
    assert sorted(created for _, created in results) == [False, True]
    assert {reference for reference, _ in results} == {"XJ-2026-000001"}
    async with db.uow() as uow:
        assert len(await uow.submissions.list_for(applicant_id)) == 1


async def test_a_second_submission_to_the_same_track_is_refused_and_no_row_is_made(
    db: Database, applicant_id: int
) -> None:
    await _submit(db, applicant_id)
    with pytest.raises(DuplicateSubmission) as refused:
        await _submit(db, applicant_id, key="conv-1:confirm:2", reference="XJ-2026-000002")
    assert isinstance(refused.value, ConcurrentUpdate)  # the desk re-runs the event, which then points to the first
    async with db.uow() as uow:
        assert [s.reference for s in await uow.submissions.list_for(applicant_id)] == ["XJ-2026-000001"]


async def test_two_new_drafts_for_one_track_confirmed_at_once_make_one_submission(
    db: Database, applicant_id: int
) -> None:
    async def press_confirm(key: str, reference: str) -> str:
        async with db.uow() as uow:
            submission, _ = await uow.submissions.create_once(
                confirm(key=key, reference=reference), applicant_id=applicant_id, now=NOW
            )
            await asyncio.sleep(0)
            await uow.commit()
            return submission.reference

    results = await asyncio.gather(
        press_confirm("device-1", "XJ-2026-000001"), press_confirm("device-2", "XJ-2026-000002"), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ["DuplicateSubmission", "str"]
    async with db.uow() as uow:
        assert len(await uow.submissions.list_for(applicant_id)) == 1


async def test_the_same_applicant_may_apply_to_another_track(db: Database, applicant_id: int) -> None:
    await _submit(db, applicant_id)
    await _submit(db, applicant_id, key="conv-1:confirm:2", reference="XJ-2026-000002", track="small-team")
    async with db.uow() as uow:
        assert len(await uow.submissions.list_for(applicant_id)) == 2


async def test_an_empty_reference_gets_a_random_one_not_the_program_year_and_id(
    db: Database, applicant_id: int
) -> None:
    first = await _submit(db, applicant_id, key="k1", reference="")
    second = await _submit(db, applicant_id, key="k2", reference="", program="sx-state-allowance-2023")
    assert is_submission_reference(first) and is_submission_reference(second) and first != second
    assert first.startswith("AD-") and "2026" not in first and not first.endswith("000001")


async def test_a_reference_held_by_another_submission_is_refused(db: Database, applicant_id: int) -> None:
    await _submit(db, applicant_id)
    with pytest.raises(DuplicateReference):
        await _submit(db, applicant_id, key="another-key", track="small-team")


async def test_a_key_already_used_by_another_applicant_is_refused(db: Database, applicant_id: int) -> None:
    await _submit(db, applicant_id)
    async with db.uow() as uow:
        other = await uow.applicants.get_or_create("telegram", "someone-else", now=NOW)
        await uow.commit()
    with pytest.raises(DuplicateReference):
        await _submit(db, other.id)


async def test_an_applicants_submissions_are_listed_newest_first(db: Database, applicant_id: int) -> None:
    await _submit(db, applicant_id, key="k1", reference="XJ-2026-000001")
    async with db.uow() as uow:
        await uow.submissions.create_once(
            confirm(key="k2", reference="XJ-2026-000002", track="small-team"),
            applicant_id=applicant_id,
            now=NOW + timedelta(days=1),
        )
        await uow.commit()
    async with db.uow() as uow:
        listed = await uow.submissions.list_for(applicant_id)
    assert [s.reference for s in listed] == ["XJ-2026-000002", "XJ-2026-000001"]


async def test_a_staff_decision_is_recorded_with_who_when_and_why(db: Database, applicant_id: int) -> None:
    reference = await _submit(db, applicant_id)
    later = NOW + timedelta(hours=3)
    async with db.uow() as uow:
        changed = await uow.submissions.change_status(
            reference, "returned", actor="staff:1001", comment="身份证照片不清楚", at=later
        )
        await uow.commit()
    assert changed.status == "returned"
    async with db.uow() as uow:
        history = await uow.submissions.history(reference)
    assert [(h.from_status, h.to_status, h.actor, h.comment, h.at) for h in history][1:] == [
        ("submitted", "returned", "staff:1001", "身份证照片不清楚", later)
    ]


async def test_after_more_is_requested_a_new_upload_resubmits_and_staff_can_accept(
    db: Database, applicant_id: int
) -> None:
    reference = await _submit(db, applicant_id)
    async with db.uow() as uow:
        await uow.submissions.change_status(reference, "more_requested", actor="staff:1", at=NOW)
        await uow.submissions.change_status(reference, "submitted", actor="applicant", at=NOW)
        await uow.submissions.change_status(reference, "accepted", actor="staff:2", at=NOW)
        await uow.commit()
    async with db.uow() as uow:
        statuses = [h.to_status for h in await uow.submissions.history(reference)]
    assert statuses == ["submitted", "more_requested", "submitted", "accepted"]


async def test_an_accepted_submission_refuses_a_second_decision(db: Database, applicant_id: int) -> None:
    reference = await _submit(db, applicant_id)
    async with db.uow() as uow:
        await uow.submissions.change_status(reference, "accepted", actor="staff:1", at=NOW)
        await uow.commit()
    with pytest.raises(StatusConflict):
        async with db.uow() as uow:
            await uow.submissions.change_status(reference, "returned", actor="staff:2", at=NOW)


async def test_a_decision_from_a_stale_button_is_refused(db: Database, applicant_id: int) -> None:
    reference = await _submit(db, applicant_id)
    async with db.uow() as uow:
        await uow.submissions.change_status(reference, "more_requested", actor="staff:1", at=NOW)
        await uow.commit()
    with pytest.raises(StatusConflict):
        async with db.uow() as uow:
            await uow.submissions.change_status(reference, "accepted", actor="staff:2", at=NOW, expected="submitted")


async def test_two_staff_deciding_at_once_give_one_decision(db: Database, applicant_id: int) -> None:
    reference = await _submit(db, applicant_id)

    async def press(to: str, actor: str) -> str:
        try:
            async with db.uow() as uow:
                await uow.submissions.change_status(reference, to, actor=actor, at=NOW)
                await asyncio.sleep(0)
                await uow.commit()
                return to
        except StatusConflict:
            return "refused"

    outcomes = await asyncio.gather(press("accepted", "staff:1"), press("returned", "staff:2"))
    assert outcomes.count("refused") == 1
    decided = next(o for o in outcomes if o != "refused")
    async with db.uow() as uow:
        submission = await uow.submissions.get(reference)
        history = await uow.submissions.history(reference)
    assert submission is not None and submission.status == decided
    assert [h.to_status for h in history] == ["submitted", decided]


async def test_changing_an_unknown_submission_says_not_found(db: Database) -> None:
    with pytest.raises(NotFound):
        async with db.uow() as uow:
            await uow.submissions.change_status("XJ-0000-000000", "accepted", actor="staff:1", at=NOW)


async def test_documents_are_listed_in_the_order_received(db: Database, applicant_id: int) -> None:
    effect = confirm()
    async with db.uow() as uow:
        submission, _ = await uow.submissions.create_once(effect, applicant_id=applicant_id, now=NOW)
        for document in effect.documents:
            await uow.documents.add(submission.id, document, now=NOW)
        await uow.commit()
    async with db.uow() as uow:
        documents = await uow.documents.list_for(submission.id)
    assert [(d.item, d.original_name, d.mime, d.size, d.sha256) for d in documents] == [
        ("id_card", "身份证.pdf", "application/pdf", 1234, "a" * 64),
        ("degree", "degree.jpg", "image/jpeg", 99, "b" * 64),
    ]


async def test_what_staff_said_last_is_read_for_all_submissions_at_once(db: Database, applicant_id: int) -> None:
    first = await _submit(db, applicant_id)
    second = await _submit(db, applicant_id, key="conv-1:confirm:2", reference="XJ-2026-000002", track="small-team")
    async with db.uow() as uow:
        await uow.submissions.change_status(
            first, "returned", actor="staff:1", comment="身份证照片不清楚", at=NOW + timedelta(hours=1)
        )
        await uow.submissions.change_status(first, "submitted", actor="applicant", at=NOW + timedelta(hours=2))
        await uow.submissions.change_status(
            first, "more_requested", actor="staff:1", comment="请补充学历证书", at=NOW + timedelta(hours=3)
        )
        await uow.commit()
    async with db.uow() as uow:
        comments = await uow.submissions.latest_comments(applicant_id)
    assert comments == {first: "请补充学历证书"}
    assert second not in comments
