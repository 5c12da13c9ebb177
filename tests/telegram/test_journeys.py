"""The whole journey on Telegram, on both runtimes, against the Bot API server on 127.0.0.1.

An applicant starts, picks a language, finds a program, checks eligibility,
applies inside the window with a PDF, a photo and an album, reviews, confirms
and reads the status; the health office's staff get the submission with its
documents in their chat, return it with a comment, receive the documents sent
again, and accept it; the applicant is told each time.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.telegram.runner import TelegramBot
from storage.db import open_database
from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import (
    EXPERT_ANSWERS,
    FALLBACK_CHAT,
    HEALTH_OFFICE_CHAT,
    JPEG,
    JPEG_2,
    PDF,
    PDF_2,
    PDF_3,
    Phone,
    apply_until_documents,
    buttons,
    make_bot,
    office_content,
)

RUNTIMES = ["aiogram", "ptb"]


@pytest.fixture(params=RUNTIMES)
async def bot(request: pytest.FixtureRequest, api: FakeBotAPI, tmp_path: Path) -> AsyncIterator[TelegramBot]:
    running = make_bot(api, request.param, tmp_path, office_content())
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


async def test_applicant_journey_and_staff_round_trip(api: FakeBotAPI, bot: TelegramBot, tmp_path: Path) -> None:
    applicant = Phone(api, 7001, "张三", language_code="zh")
    staff = Phone(api, 8001, "王老师", chat_id=HEALTH_OFFICE_CHAT)

    # the command menu is registered in every language
    assert {c["command"] for c in api.commands()} >= {
        "start",
        "help",
        "programs",
        "check",
        "apply",
        "status",
        "language",
        "cancel",
        "delete_my_data",
    }
    assert api.commands(language_code="en")[0]["description"] == "Main menu"

    # start in Chinese (the user's Telegram language), switch to English
    welcome = await applicant.say("/start")
    assert "您想做什么" in welcome or "欢迎" in welcome
    await applicant.say("/language", "")
    await applicant.press("English", "What would you like to do?")

    # find a program: a few answers, then the ranking
    await applicant.press("Which program fits me?")
    ranking = await applicant.answer_questions(EXPERT_ANSWERS, {"How many months": "3", "How old": "45"}, "eligible")
    assert "2023 aid-talent plan (batch 2)" in ranking

    # check one track: the verdict with its clauses
    await applicant.say("/check", "Which program?")
    await applicant.press("2023 aid-talent plan (batch 2)")
    await applicant.press("Flexible aid experts")
    verdict = await applicant.answer_questions(EXPERT_ANSWERS, {"How many months": "3"}, "eligible")
    assert "§" in verdict

    # apply: a PDF and a photo for the first document, an album for the second
    await applicant.press("Main menu")
    await apply_until_documents(applicant)
    await api.push_document(applicant.user_id, PDF, "申请表.pdf", "application/pdf")
    await applicant.read("Received 申请表.pdf")
    await api.push_photo(applicant.user_id, JPEG)
    await applicant.read("2 files received for this document.")
    await applicant.press("Done with this document", "Document 2 of 2")
    await api.push_album(
        applicant.user_id,
        [("photo", JPEG_2, "", "image/jpeg"), ("document", PDF_2, "推荐表第2页.pdf", "application/pdf")],
    )
    album = await applicant.read("2 files received for this document.")
    assert "Received 2 files" in album
    review = await applicant.press("Done with this document", "Please check your application")
    assert "张三" in review and "+86 139 1234 5678" in review and "申请表.pdf" in review and "推荐表第2页.pdf" in review
    receipt = await applicant.press("Confirm and submit", "; not yet reviewed.")
    reference = re.search(r"Reference: (\S+)", receipt).group(1)
    status = await applicant.say("/status", reference)
    assert "submitted: sent to the office, not yet reviewed" in status

    # the health office's chat gets the summary with buttons, then the four documents
    notice = await staff.read(reference)
    assert "张三" in notice and "+86 139 1234 5678" in notice and "浙江大学" in notice
    assert "项目申报表-1.pdf" in notice and "申请表.pdf" not in notice  # named by the item, not by the sender
    notice_message = staff.seen[-1]
    assert [label for label, _ in buttons(notice_message)] == ["接受", "退回并说明原因", "要求补充一份材料"]

    def office_files() -> list[bytes]:
        return [f.content for f in api.uploaded(HEALTH_OFFICE_CHAT)]

    await api.wait_for(lambda call: len(office_files()) >= 4, timeout=10)
    assert sorted(office_files()) == sorted([PDF, JPEG, JPEG_2, PDF_2])
    assert api.sent_to(FALLBACK_CHAT) == []  # the office's own chat, not the fallback

    # staff return it with a comment (a reply to the bot's prompt)
    await staff.press("退回并说明原因", "回复本条消息")
    prompt = staff.seen[-1]
    [asked] = await api.wait_for(
        lambda call: call.method.lower() == "sendmessage" and "回复本条消息" in call.params.get("text", "")
    )
    assert asked.params["reply_markup"]["force_reply"] is True  # staff's app opens a reply to it
    await api.push_text(
        staff.user_id,
        "推荐表缺少单位盖章，请补充",
        chat_id=HEALTH_OFFICE_CHAT,
        reply_to_message_id=prompt["message_id"],
    )
    await staff.read("推荐表缺少单位盖章")
    told = await applicant.read("was returned to you for changes")
    assert "推荐表缺少单位盖章，请补充" in told

    # the applicant sends a stamped page again
    await applicant.press("Send documents", "Choose the document you are sending")
    await applicant.press("Other document", "Send the files for: Other document")
    await api.push_document(applicant.user_id, PDF_3, "盖章页.pdf", "application/pdf")
    await applicant.read("Received 盖章页.pdf")
    await applicant.press("Done with this document", "Ready to send")
    await applicant.press("Send to staff", "is back with staff")

    again = await staff.read("重新发送了材料")
    assert reference in again and "其他材料-1.pdf" in again
    await api.wait_for(lambda call: PDF_3 in office_files(), timeout=10)

    # accept: the applicant is told, in English
    await staff.press("接受", "接受")
    accepted = await applicant.read("has been accepted")
    assert reference in accepted
    status = await applicant.say("/status", reference)
    assert "accepted" in status

    # the history says who decided what, and when
    database = await open_database(bot.settings.database_url)
    try:
        async with database.uow() as uow:
            history = [(h.to_status, h.actor, h.comment) for h in await uow.submissions.history(reference)]
    finally:
        await database.close()
    assert history == [
        ("submitted", "applicant", None),
        ("returned", "王老师 (tg:8001)", "推荐表缺少单位盖章，请补充"),
        ("submitted", "applicant", None),
        ("accepted", "王老师 (tg:8001)", None),
    ]
