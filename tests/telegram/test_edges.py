"""Bad input on Telegram gets a clear answer: huge files, old and forged buttons, strangers at the staff
buttons; and the rest of the review: asking for a document, deleting one's data."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot.telegram.runner import TelegramBot
from dialogs.events import Event, FilesEvent
from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import (
    HEALTH_OFFICE_CHAT,
    JPEG_2,
    PDF,
    PDF_3,
    Phone,
    Watch,
    apply_until_documents,
    make_bot,
    office_content,
    submit,
)


@pytest.fixture(params=["aiogram", "ptb"])
async def bot(request: pytest.FixtureRequest, api: FakeBotAPI, tmp_path: Path) -> AsyncIterator[TelegramBot]:
    running = make_bot(api, request.param, tmp_path, office_content())
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


async def english(api: FakeBotAPI, user_id: int) -> Phone:
    phone = Phone(api, user_id, "测试", language_code="en")
    await phone.say("/start", "What would you like to do?")
    return phone


async def test_a_file_over_20_mb_is_refused_from_its_announced_size_without_downloading(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    phone = await english(api, 7301)
    await apply_until_documents(phone)
    await api.push_document(phone.user_id, PDF, "huge-scan.pdf", "application/pdf", declared_size=25 * 1024 * 1024)
    refusal = await phone.read("the limit is 20 MB")
    assert "The file is 25.0 MB" in refusal
    assert not [c for c in api.calls if c.method.lower() == "getfile"]  # never fetched
    assert "Document 1 of 2" in refusal  # and asked again


async def test_a_button_from_an_old_message_says_the_menu_expired_and_shows_the_current_one(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    phone = await english(api, 7302)
    old_menu = phone.seen[-1]
    await phone.press("Apply", "Which program?")
    _, data = next(
        (label, data)
        for label, data in [
            (b["text"], b["callback_data"]) for row in old_menu["reply_markup"]["inline_keyboard"] for b in row
        ]
        if label == "Am I eligible for a program?"
    )
    await api.press(phone.user_id, old_menu, data)
    text = await phone.read("This menu has expired")
    assert "Which program?" in text or "Which program?" in await phone.read()


@pytest.mark.parametrize("forged", ["junk", "1:p:<script>", "9" * 70, "s"])
async def test_forged_callback_data_is_treated_as_an_expired_menu(
    api: FakeBotAPI, bot: TelegramBot, forged: str
) -> None:
    phone = await english(api, 7303)
    await api.press(phone.user_id, phone.seen[-1], forged, force=True)
    await phone.read("This menu has expired")


async def test_a_stranger_pressing_a_staff_button_in_a_private_chat_decides_nothing(
    api: FakeBotAPI, bot: TelegramBot
) -> None:
    applicant = Phone(api, 7304, "周九", language_code="en")
    reference = await submit(api, applicant)
    stranger = await english(api, 7305)
    update = await api.press(stranger.user_id, stranger.seen[-1], f"s:ok:{reference}", force=True)
    [answer] = await api.wait_for(
        lambda c: (
            c.method.lower() == "answercallbackquery"
            and c.params["callback_query_id"] == update["callback_query"]["id"]
        )
    )
    assert answer.params["show_alert"] is True
    await applicant.say("/status", reference)
    assert "submitted: sent to the office, not yet reviewed" in applicant.seen[-1]["text"]


async def test_staff_ask_for_one_more_document_and_the_applicant_sends_it(api: FakeBotAPI, bot: TelegramBot) -> None:
    applicant = Phone(api, 7306, "吴十", language_code="en")
    reference = await submit(api, applicant)
    staff = Phone(api, 8301, "陈老师", chat_id=HEALTH_OFFICE_CHAT)
    await staff.read(reference)
    await staff.press("要求补充一份材料", "需要补充哪份材料")
    await api.push_text(
        staff.user_id,
        "请补充医师资格证书",
        chat_id=HEALTH_OFFICE_CHAT,
        reply_to_message_id=staff.seen[-1]["message_id"],
    )
    await staff.read("要求补充材料")
    told = await applicant.read("Staff ask for one more document")
    assert "请补充医师资格证书" in told
    await applicant.press("Send documents", "Choose the document you are sending")
    await applicant.press("Other document")
    await api.push_document(applicant.user_id, PDF_3, "医师资格证书.pdf", "application/pdf")
    await applicant.read("Received 医师资格证书.pdf")
    await applicant.press("Done with this document")
    await applicant.press("Send to staff", "is back with staff")
    assert reference in await staff.read("重新发送了材料")


async def test_deleting_ones_data_withdraws_the_submission_in_the_staff_chat(api: FakeBotAPI, bot: TelegramBot) -> None:
    applicant = Phone(api, 7307, "郑十一", language_code="en")
    reference = await submit(api, applicant)
    staff = Phone(api, 8302, "刘老师", chat_id=HEALTH_OFFICE_CHAT)
    await staff.read(reference)
    await api.wait_for(lambda c: c.method.lower() == "senddocument" and c.params.get("chat_id") == HEALTH_OFFICE_CHAT)
    await applicant.say("/delete_my_data", "This cannot be undone")
    await applicant.press("Yes, delete my data", "Your data has been deleted")
    withdrawn = await staff.read("已撤回")
    assert reference in withdrawn
    files = list((Path(bot.settings.files_dir)).glob("*"))
    assert files == []  # the uploaded form is gone from the file store
    await applicant.say("/status", "You have no submissions yet.")


async def test_messages_in_other_groups_are_ignored(api: FakeBotAPI, bot: TelegramBot) -> None:
    watch = Watch(api, bot)
    api.user(7308, "群友", language_code="en")
    await api.push_text(7308, "/start", chat_id=-555)
    phone = await english(api, 7309)  # the bot is alive and answers others
    await watch.updates_handled()  # the group's message too
    assert api.sent_to(-555) == [] and phone.seen


async def test_a_flood_of_messages_is_answered_once_with_a_note_then_dropped(api: FakeBotAPI, tmp_path: Path) -> None:
    from bot.telegram.throttle import Throttle

    for runtime in ("aiogram", "ptb"):
        place = tmp_path / runtime
        place.mkdir()
        bot = make_bot(api, runtime, place, office_content())
        bot.throttle = Throttle(rate=0.01, burst=2)
        await bot.start()
        watch = Watch(api, bot)
        try:
            user = 7400 + len(runtime)
            api.user(user, "刷屏", language_code="en")
            for _ in range(6):
                await api.push_text(user, "/help")
            await api.next_messages(user, 3)
            await watch.updates_handled()  # all six: answered, or dropped by the throttle
            texts = [m["text"] for m in api.sent_to(user)]
        finally:
            await bot.stop()
        assert len(texts) == 3  # two answered, one note, three dropped
        assert sum("sending messages too fast" in t for t in texts) == 1


async def test_an_album_that_fails_to_be_stored_gets_the_error_reply_and_one_logged_exception(
    api: FakeBotAPI, bot: TelegramBot, caplog: pytest.LogCaptureFixture
) -> None:
    phone = await english(api, 7307)
    await apply_until_documents(phone)
    assert bot.desk is not None
    desk = bot.desk.desk
    handle = desk.handle

    async def locked(channel: str, user: str, event: Event, *args: Any, **kwargs: Any) -> Any:
        if isinstance(event, FilesEvent):
            raise OperationalError("INSERT …", {}, Exception("database is locked"))
        return await handle(channel, user, event, *args, **kwargs)

    desk.handle = locked  # type: ignore[method-assign]  # the database refuses the album's write
    with caplog.at_level(logging.ERROR):
        await api.push_album(
            phone.user_id, [("photo", JPEG_2, "", "image/jpeg"), ("document", PDF_3, "p2.pdf", "application/pdf")]
        )
        await phone.read("Something went wrong on my side")
        await bot.desk.applicants.albums.drain()
        gc.collect()  # an unretrieved task exception is reported when the task is collected
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in failures] == [f"update from {phone.user_id} failed"]
    assert "Task exception was never retrieved" not in caplog.text


async def test_an_update_the_library_cannot_parse_is_skipped_once_and_polling_goes_on(
    api: FakeBotAPI, bot: TelegramBot, caplog: pytest.LogCaptureFixture
) -> None:
    sender = {"id": 7308, "is_bot": False, "first_name": "秘密姓名", "language_code": "en"}
    chat = {"id": 7308, "type": "private", "first_name": "秘密姓名"}
    before = len([c for c in api.calls if c.method == "getUpdates"])
    with caplog.at_level(logging.INFO):
        # a photo without width, then a message without chat: neither library can read them
        photo = [{"file_id": "AgAD", "file_unique_id": "u1", "height": 90}]
        await api.push_raw({"message": {"message_id": 1, "date": 0, "chat": chat, "from": sender, "photo": photo}})
        await api.push_raw({"message": {"message_id": 2, "date": 0, "from": sender, "text": "私人内容"}})
        phone = await english(api, 7309)  # the next update is answered
    polls = len([c for c in api.calls if c.method == "getUpdates"]) - before
    assert polls <= 6, f"{polls} getUpdates calls"
    skipped = [r.getMessage() for r in caplog.records if "cannot be read" in r.getMessage()]
    assert len(skipped) == 2, skipped
    assert "秘密姓名" not in caplog.text and "私人内容" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "What would you like to do?" in phone.last_text
