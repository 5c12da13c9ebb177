"""Content versions in use, on both databases (issue 16, points 5 and 7): a submission keeps the number of the
version it was made under, staff read it in that version's words after admins renamed its track and its
documents, and every staff decision (a refused attempt too) is in the audit log, written with it.

The applicant goes through the local channel's desk (:class:`bot.service.Desk`) on a
:class:`bot.content_live.LiveContent`; admins publish through :class:`bot.publishing.Publisher`; the outbox
worker and staff review run as the bot runs them, with Telegram played by a recording gateway.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.content_live import LiveContent
from bot.content_of import of_versions
from bot.i18n import translator
from bot.publishing import Publisher
from bot.service import Desk
from bot.telegram.outbox import OutboxWorker
from bot.telegram.staff import StaffReview
from bot.telegram.types import IncomingCallback, IncomingMessage, Keyboard, Person
from dialogs.content_files import read_folder
from dialogs.events import ChoiceEvent, CommandEvent, Event, FileEvent, NotifyStaff, Reply, TextEvent
from dialogs.lifecycle import Status
from dialogs.loader import Content
from dialogs.render import button_label
from dialogs.review import NOT_A_REVIEWER
from dialogs.review_model import AuditDecision, ChangeStatus, ReviewAction, ReviewButton
from storage.db import Database
from storage.effects import apply_effects
from storage.errors import StatusConflict
from storage.files import FileStore
from storage.review import apply_review
from tests import content_edits as edits
from tests.storage.factories import NOW, confirm
from tests.test_engine_journeys import EXPERT

BEIJING = ZoneInfo("Asia/Shanghai")
INSIDE = dt.datetime(2023, 6, 10, 12, 0, tzinfo=BEIJING)
STAFF_CHAT = -1002002
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: The experts' track and application form as version 1 (the shipped files) names them, in English.
V1_TRACK, V1_FORM = "Flexible aid experts", "Application form for small aid teams and flexible aid experts"


class Gateway:
    """Telegram as the outbox worker and staff review see it: every message kept, with its chat."""

    def __init__(self) -> None:
        self.ids = itertools.count(500)
        self.texts: list[tuple[int, str, int]] = []
        self.files: list[tuple[int, str]] = []
        self.alerts: list[str] = []

    async def send_text(
        self, chat_id: int, text: str, keyboard: Keyboard | None = None, *, reply_to: int | None = None,
        force_reply: bool = False,
    ) -> int:  # fmt: skip
        self.texts.append((chat_id, text, next(self.ids)))
        return self.texts[-1][2]

    async def send_document(self, chat_id: int, name: str, content: bytes, *, reply_to: int | None = None) -> int:
        self.files.append((chat_id, name))
        return next(self.ids)

    async def send_documents(
        self, chat_id: int, files: Sequence[tuple[str, bytes]], *, reply_to: int | None = None
    ) -> list[int]:
        self.files += [(chat_id, name) for name, _ in files]
        return [next(self.ids) for _ in files]

    async def edit_keyboard(self, chat_id: int, message_id: int, keyboard: Keyboard | None) -> None:
        return None

    async def answer_callback(self, callback_id: str, text: str | None = None, *, alert: bool = False) -> None:
        if text:
            self.alerts.append(text)

    def to(self, chat: int) -> str:
        return "\n".join(text for where, text, _ in self.texts if where == chat)


@dataclass
class Applicant:
    """One person at the local channel's desk, pressing buttons by their English labels."""

    desk: Desk
    user: str
    channel: str = "local"
    replies: list[Reply] = field(default_factory=list)

    async def send(self, event: Event) -> None:
        handled = await self.desk.handle(self.channel, self.user, event, INSIDE, queue_receipts=self.channel == "tg")
        self.replies = handled.replies

    async def press(self, label: str) -> None:
        tr = translator("en")
        found = [
            b.data
            for r in self.replies
            for row in r.buttons
            for b in row
            if button_label(b, self.desk.content, tr) == label
        ]
        assert found, f"no button {label!r}: {[r.key for r in self.replies]}"
        await self.send(ChoiceEvent(found[0]))

    async def to_review(self) -> None:
        """Apply as a flexible expert, in English, up to the review."""
        await self.send(CommandEvent("start"))
        await self.press("English")
        await self.press("Apply")
        await self.press("2023 aid-talent plan (batch 2)")
        await self.press(V1_TRACK)
        for _ in range(20):
            question = next((r.args.get("fact") for r in self.replies if r.key == "@question"), None)
            if question is None:
                break
            if question in EXPERT:
                await self.press(EXPERT[question])
            else:
                await self.send(TextEvent("3"))
        for typed in ("张三", "139 1234 5678", "浙江大学"):
            await self.send(TextEvent(typed))
        await self.press("Health (Regional Health Commission)")
        await self.send(FileEvent("form.pdf", len(PDF), PDF))
        await self.press("Done with this document")
        await self.press("Skip: my unit sends this one")
        assert any(r.key == "@review" for r in self.replies), [r.key for r in self.replies]


@dataclass
class Running:
    database: Database
    live: LiveContent
    desk: Desk
    publisher: Publisher
    files: FileStore
    tmp: Path

    async def publish(self, change: edits.Edit) -> int:
        """Admins publish the files in force, edited by ``change``."""
        root = edits.copied(self.tmp / f"v{self.live.number + 1}")
        change(root)
        prepared = await self.publisher.prepare(read_folder(root))
        return await self.publisher.publish(prepared, actor="cli:admin", now=dt.datetime.now(dt.UTC))

    async def submission_version(self, user: str, channel: str = "local") -> int | None:
        async with self.database.uow() as uow:
            applicant = await uow.applicants.find(channel, user)
            assert applicant is not None
            [submission] = await uow.submissions.list_for(applicant.id)
            return submission.content_version


@pytest.fixture()
async def running(db: Database, tmp_path: Path) -> AsyncIterator[Running]:
    """The bot's content on an empty database: the shipped files become version 1, followed live."""
    live = LiveContent(db, disk=edits.copied(tmp_path / "disk"))
    await live.start(watch=False)
    files = FileStore(tmp_path / "files")
    desk = Desk(db, files, live, default_lang="zh", content_number=lambda: live.number)
    yield Running(db, live, desk, Publisher(db, live), files, tmp_path)
    await live.stop()


async def test_a_submission_keeps_the_number_of_the_version_it_was_made_under(running: Running) -> None:
    alice, bob = Applicant(running.desk, "alice"), Applicant(running.desk, "bob")
    await alice.to_review()
    await alice.press("Confirm and submit")
    await bob.to_review()
    assert await running.publish(edits.experts_renamed) == 2 and running.live.number == 2
    await bob.press("Confirm and submit")  # his review screen crossed the publish; it did not change
    assert any(r.key == "@receipt" for r in bob.replies)
    assert await running.submission_version("alice") == 1
    assert await running.submission_version("bob") == 2


async def test_staff_read_a_submission_in_the_words_of_the_version_it_was_made_under(running: Running) -> None:
    alice = Applicant(running.desk, "7001", channel="tg")
    await alice.to_review()
    await alice.press("Confirm and submit")
    await running.publish(edits.experts_renamed)  # before the notice and the receipt went out
    gateway = Gateway()
    worker = OutboxWorker(
        running.database,
        running.files,
        gateway,
        running.live,
        staff_chat_id=STAFF_CHAT,
        staff_lang="en",
        content_of=of_versions(running.live),
    )
    while await worker.run_once():
        pass
    notice, receipt = gateway.to(STAFF_CHAT), gateway.to(7001)
    assert V1_TRACK in notice and edits.RENAMED_TRACK["en"] not in notice
    assert V1_TRACK in receipt and edits.RENAMED_TRACK["en"] not in receipt
    [(chat, name)] = gateway.files
    # named after the item as version 1 calls it (the name is cut to fit a file name)
    assert chat == STAFF_CHAT and V1_FORM.startswith(name.rsplit("-", 1)[0]) and len(name) > 20
    # what is new is read in the version in force
    content_of = of_versions(running.live)
    assert (await content_of(None)).version == running.live().version == (await content_of(99)).version
    assert (await content_of(1)).version != running.live().version


# --------------------------------------------------------------------------- the audit of staff decisions

REVIEWER, GUEST = Person(8521, "陈老师"), Person(9999, "访客")
REF, OTHER_REF = "AD-7KQ4M-XP2ZT", "AD-3HJ9W-QR5MN"


async def _submitted(db: Database, applicant_id: int, reference: str, track: str) -> None:
    """A submission whose notice reached the staff chat (decisions are taken where it was sent)."""
    async with db.uow() as uow:
        await apply_effects(
            uow,
            (confirm(key=track, reference=reference, track=track), NotifyStaff("new_submission", reference, {})),
            applicant_id=applicant_id,
            now=NOW,
        )
        [notice] = await uow.outbox.for_reference(reference)
        await uow.outbox.route(notice.id, str(STAFF_CHAT))
        await uow.commit()


def _staff(db: Database, content: Content, gateway: Gateway) -> StaffReview:
    return StaffReview(
        db,
        gateway,
        lambda: content,
        lambda: NOW,
        staff_chats=lambda: {STAFF_CHAT},
        admins={REVIEWER.id},
    )


def _press(by: Person, action: ReviewAction, reference: str) -> IncomingCallback:
    return IncomingCallback("cb", by, ReviewButton(action, reference).pack(), STAFF_CHAT, 77, private=False)


async def _audit(db: Database) -> list[tuple[str, str, str | None, dict[str, object], bool]]:
    async with db.uow() as uow:
        rows = await uow.audit.latest(50)
    return [(r.actor, r.action, r.target, dict(r.detail), r.allowed) for r in reversed(rows)]


async def test_every_staff_decision_is_audited_with_who_from_what_to_what_and_where(
    db: Database, applicant_id: int, content: Content
) -> None:
    await _submitted(db, applicant_id, REF, "flexible-expert")
    await _submitted(db, applicant_id, OTHER_REF, "small-team")
    gateway = Gateway()
    staff = _staff(db, content, gateway)
    await staff.on_callback(_press(REVIEWER, ReviewAction.ACCEPT, REF))
    await staff.on_callback(_press(REVIEWER, ReviewAction.RETURN, OTHER_REF))  # asks for the words first
    assert len(await _audit(db)) == 1  # a prompt is not a decision
    [prompt_id] = [sent for _, text, sent in gateway.texts if OTHER_REF in text and "回复" in text]
    await staff.on_message(IncomingMessage(STAFF_CHAT, False, 600, REVIEWER, text="盖章不清晰", reply_to=prompt_id))
    assert await _audit(db) == [
        ("tg:8521", "decide", REF, {"from": "submitted", "to": "accepted", "chat": STAFF_CHAT}, True),
        ("tg:8521", "decide", OTHER_REF, {"from": "submitted", "to": "returned", "chat": STAFF_CHAT}, True),
    ]
    async with db.uow() as uow:
        decided = [await uow.submissions.get(r) for r in (REF, OTHER_REF)]
        audit_at = [row.at for row in await uow.audit.latest(2)]
    assert [s.status for s in decided if s is not None] == ["accepted", "returned"]
    assert {at.replace(tzinfo=None) for at in audit_at} == {NOW.replace(tzinfo=None)}


async def test_a_non_reviewer_is_refused_and_the_attempt_is_audited(
    db: Database, applicant_id: int, content: Content
) -> None:
    await _submitted(db, applicant_id, REF, "flexible-expert")
    gateway = Gateway()
    await _staff(db, content, gateway).on_callback(_press(GUEST, ReviewAction.ACCEPT, REF))
    assert gateway.alerts == [translator("zh").gettext(NOT_A_REVIEWER)]  # the staff chat reads Chinese
    assert await _audit(db) == [
        ("tg:9999", "decide", REF, {"from": "submitted", "to": "accepted", "chat": STAFF_CHAT}, False)
    ]
    async with db.uow() as uow:
        submission = await uow.submissions.get(REF)
    assert submission is not None and submission.status == "submitted"


async def test_a_decision_and_its_audit_line_are_committed_together_or_not_at_all(
    db: Database, applicant_id: int
) -> None:
    await _submitted(db, applicant_id, REF, "flexible-expert")
    audit = AuditDecision("tg:8521", REF, NOW, "accepted", "returned", STAFF_CHAT)
    # decided from a status the submission no longer has (a colleague was first): nothing of it stays
    with pytest.raises(StatusConflict):
        async with db.uow() as uow:
            await apply_review(uow, (audit, ChangeStatus(REF, Status.ACCEPTED, Status.RETURNED, "陈老师", NOW)))
            await uow.commit()
    assert await _audit(db) == []
