"""What a hostile test found (issue 13): one applicant's deletion must not take another's document,
a script is not a PDF, staff never receive the sender's file name, a notification that cannot be
delivered ends as a visible dead letter, and deleting one's data leaves nothing of it behind."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.telegram.outbox import MAX_FAULTS, OutboxWorker
from bot.telegram.runner import TelegramBot
from bot.telegram.types import Keyboard
from storage.db import Database, open_database
from storage.effects import STAFF_QUESTION
from storage.files import FileStore
from storage.models import OutboxMessage, StaffPrompt
from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import (
    FALLBACK_CHAT,
    HEALTH_OFFICE_CHAT,
    PDF,
    Phone,
    WallClock,
    Watch,
    apply_until_documents,
    database_in,
    make_bot,
    office_content,
    submit,
)

#: The first checklist item of the flexible-expert track, as the health office's chat (Chinese) names it.
FORM = "“小组团”援疆团队与柔性援疆专家人才项目申报表"


@pytest.fixture(params=["aiogram", "ptb"])
async def bot(request: pytest.FixtureRequest, api: FakeBotAPI, tmp_path: Path) -> AsyncIterator[TelegramBot]:
    running = make_bot(api, request.param, tmp_path, office_content(), wall_clock=WallClock())
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


async def english_until_documents(phone: Phone) -> None:
    await phone.say("/start")
    await phone.say("/language")
    await phone.press("English", "What would you like to do?")
    await apply_until_documents(phone)


async def confirm(phone: Phone) -> str:
    await phone.press("Done with this document", "Document 2 of 2")
    await phone.press("Skip: my unit sends this one", "Please check your application")
    receipt = await phone.press("Confirm and submit", "; not yet reviewed.")
    match = re.search(r"Reference: (\S+)", receipt)
    assert match is not None
    return match.group(1)


async def rows(bot: TelegramBot) -> tuple[list[OutboxMessage], list[StaffPrompt]]:
    database = await open_database(bot.settings.database_url)
    try:
        async with AsyncSession(database.engine) as session:
            outbox = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
            prompts = list(await session.scalars(select(StaffPrompt)))
        return outbox, prompts
    finally:
        await database.close()


async def test_one_applicants_deletion_leaves_the_file_another_applicants_draft_shares(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    first = Phone(api, 7601, "甲", language_code="en")
    await submit(api, first)  # the blank form from the notice, as sent by everyone
    second = Phone(api, 7602, "乙", language_code="en")
    await english_until_documents(second)
    await api.push_document(second.user_id, PDF, "form.pdf", "application/pdf")
    await second.read("Received form.pdf")  # the same bytes: the same stored file, in a draft

    await first.say("/delete_my_data", "This cannot be undone")
    await first.press("Yes, delete my data", "Your data has been deleted")
    reference = await confirm(second)

    def forms_at_the_office() -> int:
        return sum(f.content == PDF for f in api.uploaded(HEALTH_OFFICE_CHAT))

    await api.wait_for(lambda call: forms_at_the_office() == 2)  # the first applicant's, then the second's
    await Watch(api, bot).settled()
    outbox, _ = await rows(bot)
    delivered = sorted((r.kind, r.status) for r in outbox if r.reference == reference)
    assert delivered == [("applicant_receipt", "sent"), ("new_submission", "sent")]


async def test_a_script_is_refused_and_staff_receive_files_named_after_the_item_never_the_sender(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    applicant = Phone(api, 7603, "丙", language_code="en")
    await english_until_documents(applicant)
    script = b"@echo off\r\nREM %PDF-1.4\r\nstart calc.exe\r\n"
    await api.push_document(applicant.user_id, script, "申请表.bat", "application/pdf")
    refused = await applicant.read("could not tell what kind of file")
    assert "Received" not in refused
    # a right-to-left override makes "‮fdp.exe" show as "exe.pdf"; a line break would make the
    # HTTP layer refuse the upload (aiogram raises ValueError)
    await api.push_document(applicant.user_id, PDF, "申请\r\n表\u202efdp.exe", "application/pdf")
    await applicant.read("Received")
    reference = await confirm(applicant)

    await api.wait_for(lambda call: bool(api.uploaded(HEALTH_OFFICE_CHAT)))
    assert [(f.file_name, f.content) for f in api.uploaded(HEALTH_OFFICE_CHAT)] == [(f"{FORM}-1.pdf", PDF)]
    [notice] = [m for m in api.sent_to(HEALTH_OFFICE_CHAT) if reference in (m.get("text") or "")]
    assert f"{FORM}-1.pdf" in notice["text"] and "fdp" not in notice["text"]
    assert all(script != f.content for f in api.uploaded(HEALTH_OFFICE_CHAT))


async def test_a_notice_whose_file_is_missing_is_a_dead_letter_staff_hear_of_once(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    applicant = Phone(api, 7604, "丁", language_code="en")
    await english_until_documents(applicant)
    await api.push_document(applicant.user_id, PDF, "form.pdf", "application/pdf")
    await applicant.read("Received form.pdf")
    for stored in Path(bot.settings.files_dir).iterdir():  # the disk lost it
        stored.unlink()
    reference = await confirm(applicant)

    staff = Phone(api, 8601, "钱老师", chat_id=HEALTH_OFFICE_CHAT)
    await staff.read(reference)  # the summary went out before the documents
    alert = await staff.read("无法送达")
    assert reference in alert and "存储文件已丢失" in alert
    watch = Watch(api, bot)
    await watch.settled()
    clock = bot.desk.outbox.now  # type: ignore[union-attr]  # started: the desk is there
    assert isinstance(clock, WallClock)
    clock.advance(24 * 3600)  # a day later nothing is tried again
    await watch.settled()
    outbox, _ = await rows(bot)
    [row] = [r for r in outbox if r.kind == "new_submission"]
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 1, None)
    assert (row.last_error or "").startswith("dead letter: ")
    assert [r.kind for r in outbox if r.kind == "dead_letter"] == ["dead_letter"]
    assert sum("无法送达" in (m.get("text") or "") for m in api.sent_to(HEALTH_OFFICE_CHAT)) == 1
    assert not [c for c in api.calls if c.method.lower() == "senddocument"]


async def test_deleting_ones_data_leaves_no_id_comment_or_reference_and_edits_the_staff_notice(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    applicant = Phone(api, 7605, "戊", language_code="en")
    reference = await submit(api, applicant)
    staff = Phone(api, 8602, "孙老师", chat_id=HEALTH_OFFICE_CHAT)
    await staff.read(reference)
    notice = staff.seen[-1]
    await staff.press("退回并说明原因", "回复本条消息")
    comment = "请联系张三 13912345678 补盖章"
    await api.push_text(
        staff.user_id, comment, chat_id=HEALTH_OFFICE_CHAT, reply_to_message_id=staff.seen[-1]["message_id"]
    )
    await applicant.read("returned to you")

    await applicant.say("/delete_my_data", "This cannot be undone")
    await applicant.press("Yes, delete my data", "Your data has been deleted")
    await staff.read("已撤回")
    await Watch(api, bot).settled()

    outbox, prompts = await rows(bot)
    assert prompts == []
    for row in outbox:
        held = f"{row.reference} {row.payload} {row.progress} {row.last_error}"
        assert reference not in held and str(applicant.user_id) not in held and "13912345678" not in held, row.kind
    edited = [m for m in api.sent_to(HEALTH_OFFICE_CHAT) if m["message_id"] == notice["message_id"]][-1]
    assert "已撤回" in edited["text"] and "13912345678" not in edited["text"] and "张三" not in edited["text"]
    assert not edited.get("reply_markup")  # the buttons are gone


class _Failing:
    """A gateway whose HTTP layer refuses one text with a ValueError (as aiogram does with a NUL in
    a name), and sends the rest."""

    def __init__(self, poison: str) -> None:
        self.poison = poison
        self.sent: list[tuple[int, str]] = []

    async def send_text(self, chat_id: int, text: str, keyboard: Keyboard | None = None, **_: Any) -> int:
        if self.poison in text:
            raise ValueError(f"bad text {text!r}")
        self.sent.append((chat_id, text))
        return len(self.sent)

    async def send_document(self, *_: Any, **__: Any) -> int:
        raise AssertionError("not expected")

    async def send_documents(self, *_: Any, **__: Any) -> Sequence[int]:
        raise AssertionError("not expected")


async def test_a_notification_the_bot_itself_fails_on_is_tried_a_few_times_then_a_dead_letter(
    tmp_path: Path,
) -> None:
    database: Database = await open_database(database_in(tmp_path))
    clock = WallClock()
    gateway = _Failing("问题原文")
    worker = OutboxWorker(
        database,
        FileStore(tmp_path / "files"),
        gateway,  # type: ignore[arg-type]  # the calls this notification makes
        office_content,
        staff_chat_id=FALLBACK_CHAT,
        wall_clock=clock,
    )
    try:
        async with database.uow() as uow:
            applicant = await uow.applicants.get_or_create("tg", "7606", now=clock())
            question = await uow.questions.add(
                applicant_id=applicant.id,
                channel_user="tg:7606",
                asker=None,
                program=None,
                office=None,
                text="问题原文",
                lang="zh",
                now=clock(),
            )
            await uow.outbox.enqueue(STAFF_QUESTION, question.reference, {}, clock())
            await uow.commit()
        for _ in range(MAX_FAULTS):
            assert await worker.run_once() == 1
            clock.advance(3600)
        assert await worker.run_once() == 1  # the alert
        assert await worker.run_once() == 0  # and nothing more, ever
        clock.advance(7 * 24 * 3600)
        assert await worker.run_once() == 0
        async with database.uow() as uow:
            [row, alerted] = await uow.outbox.for_reference(question.reference)
        assert (row.status, row.attempts, row.next_attempt_at) == ("failed", MAX_FAULTS, None)
        assert (row.last_error or "").startswith("dead letter: ValueError")
        assert "问题原文" not in (row.last_error or "")
        assert (alerted.kind, alerted.status) == ("dead_letter", "sent")
        [(chat, alert)] = gateway.sent
        assert chat == FALLBACK_CHAT and question.reference in alert and "多次处理失败" in alert
    finally:
        await database.close()
