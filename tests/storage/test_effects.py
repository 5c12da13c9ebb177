"""Engine effects commit with the conversation state, once, or not at all."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dialogs.events import Effect, NotifyStaff, SetLanguage
from storage.db import Database
from storage.effects import Applied, apply_effects
from tests.storage.factories import NOW, confirm

EFFECTS = (
    confirm(),
    NotifyStaff("new_submission", "XJ-2026-000001", {"track": "flexible"}),
    SetLanguage("en"),
)


async def _handle_event(
    db: Database, applicant_id: int, effects: Iterable[Effect] = EFFECTS, commit: bool = True
) -> Applied:
    async with db.uow() as uow:
        loaded = await uow.conversations.load(applicant_id, "local")
        version = None if loaded is None else loaded[1]
        await uow.conversations.save(applicant_id, "local", {"step": "receipt"}, expected_version=version, now=NOW)
        applied = await apply_effects(uow, effects, applicant_id=applicant_id, now=NOW)
        if commit:
            await uow.commit()
    return applied


async def test_confirm_commits_submission_documents_history_notification_and_language(
    db: Database, applicant_id: int
) -> None:
    applied = await _handle_event(db, applicant_id)
    assert [(s.reference, created) for s, created in applied.submissions] == [("XJ-2026-000001", True)]
    async with db.uow() as uow:
        submission = await uow.submissions.get("XJ-2026-000001")
        assert submission is not None
        documents = await uow.documents.list_for(submission.id)
        history = await uow.submissions.history("XJ-2026-000001")
        notes = await uow.outbox.for_reference("XJ-2026-000001")
        applicant = await uow.applicants.get(applicant_id)
        state = await uow.conversations.load(applicant_id, "local")
    assert [d.item for d in documents] == ["id_card", "degree"]
    assert [h.to_status for h in history] == ["submitted"]
    assert [(n.kind, n.status, n.payload) for n in notes] == [("new_submission", "pending", {"track": "flexible"})]
    assert applicant is not None
    assert (applicant.language, applicant.name, applicant.phone) == ("en", "阿依古丽", "13912345678")
    assert state == ({"step": "receipt"}, 1)


async def test_effects_without_commit_leave_no_trace(db: Database, applicant_id: int) -> None:
    await _handle_event(db, applicant_id, commit=False)
    async with db.uow() as uow:
        assert await uow.submissions.get("XJ-2026-000001") is None
        assert await uow.outbox.claim_due(NOW) == []
        assert await uow.conversations.load(applicant_id, "local") is None


async def test_replaying_the_confirm_event_adds_no_submission_document_or_notification(
    db: Database, applicant_id: int
) -> None:
    await _handle_event(db, applicant_id)
    replay = await _handle_event(db, applicant_id)
    assert [created for _, created in replay.submissions] == [False]
    assert replay.outbox == []
    async with db.uow() as uow:
        submission = await uow.submissions.get("XJ-2026-000001")
        assert submission is not None
        assert len(await uow.documents.list_for(submission.id)) == 2
        assert len(await uow.outbox.for_reference("XJ-2026-000001")) == 1
        assert len(await uow.submissions.list_for(applicant_id)) == 1


async def test_a_notification_follows_a_reference_storage_made(db: Database, applicant_id: int) -> None:
    effects = (confirm(reference=""), NotifyStaff("new_submission", "", {}))
    applied = await _handle_event(db, applicant_id, effects)
    [(submission, _)] = applied.submissions
    assert re.fullmatch(r"AD-[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}", submission.reference)  # random, not the id
    assert [n.reference for n in applied.outbox] == [submission.reference]
