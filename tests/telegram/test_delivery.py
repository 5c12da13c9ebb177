"""Staff notifications cannot be lost: 429s, restarts, half-sent notices, two staff at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.i18n import translator
from bot.telegram.outbox import MAX_BACKOFF
from dialogs.loader import Content, load_content
from storage.db import open_database
from tests.telegram.botapi import Call, FakeBotAPI
from tests.telegram.harness import (
    FALLBACK_CHAT,
    HEALTH_OFFICE_CHAT,
    PDF,
    Phone,
    WallClock,
    Watch,
    content_with_office_chat,
    make_bot,
    office_content,
    submit,
)

RUNTIMES = ["aiogram", "ptb"]


def _notice(reference: str, chat: int) -> Callable[[Call], bool]:
    def matches(call: Call) -> bool:
        return (
            call.method.lower() == "sendmessage"
            and not call.failed
            and call.params.get("chat_id") == chat
            and reference in call.params.get("text", "")
        )

    return matches


def _uploads(chat: int) -> Callable[[Call], bool]:
    def matches(call: Call) -> bool:
        return call.method.lower() == "senddocument" and not call.failed and call.params.get("chat_id") == chat

    return matches


async def _outbox(url: str, reference: str) -> list[tuple[str, str, int]]:
    database = await open_database(url)
    try:
        async with database.uow() as uow:
            return [(m.kind, m.status, m.attempts) for m in await uow.outbox.for_reference(reference)]
    finally:
        await database.close()


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_a_notice_refused_with_429_is_delivered_once_after_a_restart(
    api: FakeBotAPI, tmp_path: Path, runtime: str
) -> None:
    content = office_content()
    clock = WallClock()
    first = make_bot(api, runtime, tmp_path, content, wall_clock=clock)
    await first.start()
    api.fail_next("sendMessage", chat_id=HEALTH_OFFICE_CHAT, error_code=429, retry_after=2)
    try:
        reference = await submit(api, Phone(api, 7101, "李四", language_code="en"))
        await api.wait_for(lambda call: call.failed and call.params.get("chat_id") == HEALTH_OFFICE_CHAT)
    finally:
        await first.stop()  # the bot goes down with the notice still owed (stop records the 429 first)
    clock.advance(2)  # the retry_after has passed

    second = make_bot(api, runtime, tmp_path, content, wall_clock=clock)
    await second.start()
    watch = Watch(api, second)
    try:
        await api.wait_for(_notice(reference, HEALTH_OFFICE_CHAT), timeout=15)
        await api.wait_for(_uploads(HEALTH_OFFICE_CHAT), timeout=10)
        # more worker rounds, now and past any retry the worker could have scheduled: nothing may be sent again
        await watch.outbox_idle()
        clock.advance(MAX_BACKOFF.total_seconds())
        await watch.outbox_idle()
    finally:
        await second.stop()
    notices = [c for c in api.calls if _notice(reference, HEALTH_OFFICE_CHAT)(c)]
    uploads = [c for c in api.calls if _uploads(HEALTH_OFFICE_CHAT)(c)]
    assert len(notices) == 1 and len(uploads) == 1
    assert [f.content for f in api.uploaded(HEALTH_OFFICE_CHAT)] == [PDF]
    assert await _outbox(second.settings.database_url, reference) == [
        ("new_submission", "sent", 2),
        ("applicant_receipt", "sent", 1),
    ]


async def test_a_notice_cut_off_half_way_sends_only_the_missing_part(api: FakeBotAPI, tmp_path: Path) -> None:
    clock = WallClock()
    bot = make_bot(api, "aiogram", tmp_path, office_content(), wall_clock=clock)
    await bot.start()
    watch = Watch(api, bot)
    api.fail_next("sendDocument", chat_id=HEALTH_OFFICE_CHAT, error_code=429, retry_after=1)
    try:
        reference = await submit(api, Phone(api, 7102, "王五", language_code="en"))
        await api.wait_for(lambda call: call.failed and call.params.get("chat_id") == HEALTH_OFFICE_CHAT)
        await watch.outbox_idle()  # the 429 is recorded: the retry waits for its second
        clock.advance(1)
        await api.wait_for(_uploads(HEALTH_OFFICE_CHAT), timeout=15)
        await watch.settled()
    finally:
        await bot.stop()
    notices = [c for c in api.calls if _notice(reference, HEALTH_OFFICE_CHAT)(c)]
    assert len(notices) == 1  # the summary went out before the 429 and is not repeated
    [upload] = [c for c in api.calls if _uploads(HEALTH_OFFICE_CHAT)(c)]
    assert upload.params["reply_parameters"]["message_id"] == notices[0].response["message_id"]  # threaded under it


async def test_without_an_office_chat_the_notice_goes_to_the_staff_chat_setting(
    api: FakeBotAPI, tmp_path: Path, content: Content
) -> None:
    bot = make_bot(api, "aiogram", tmp_path, content)  # shipped content: no office chats yet
    await bot.start()
    try:
        reference = await submit(api, Phone(api, 7103, "赵六", language_code="en"))
        await api.wait_for(_notice(reference, FALLBACK_CHAT), timeout=10)
    finally:
        await bot.stop()
    assert api.sent_to(HEALTH_OFFICE_CHAT) == []


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_two_staff_accepting_at_once_make_one_decision(api: FakeBotAPI, tmp_path: Path, runtime: str) -> None:
    bot = make_bot(api, runtime, tmp_path, office_content())
    await bot.start()
    watch = Watch(api, bot)
    try:
        applicant = Phone(api, 7104, "钱七", language_code="en")
        reference = await submit(api, applicant)
        first = Phone(api, 8101, "王老师", chat_id=HEALTH_OFFICE_CHAT)
        second = Phone(api, 8102, "李老师", chat_id=HEALTH_OFFICE_CHAT)
        await first.read(reference)
        notice = first.seen[-1]
        presses = await asyncio.gather(
            api.press(first.user_id, notice, f"s:ok:{reference}", chat_id=HEALTH_OFFICE_CHAT),
            api.press(second.user_id, notice, f"s:ok:{reference}", chat_id=HEALTH_OFFICE_CHAT),
        )
        ids = {update["callback_query"]["id"] for update in presses}
        answers = await api.wait_for(
            lambda call: call.method.lower() == "answercallbackquery" and call.params["callback_query_id"] in ids,
            count=2,
        )
        await applicant.read("has been accepted")
        await watch.settled()  # both presses handled to the end, no notification left to send
    finally:
        await bot.stop()
    texts = sorted(a.params.get("text", "") for a in answers)
    assert any("已被接受" in t for t in texts) and any("接受。" in t for t in texts)
    assert [a.params.get("show_alert") for a in answers].count(True) == 1  # the late one is told, loudly
    accepted = [m for m in api.sent_to(applicant.chat_id) if "has been accepted" in (m.get("text") or "")]
    assert len(accepted) == 1
    database = await open_database(bot.settings.database_url)
    try:
        async with database.uow() as uow:
            decisions = [h for h in await uow.submissions.history(reference) if h.to_status == "accepted"]
    finally:
        await database.close()
    assert len(decisions) == 1


async def test_the_staff_notice_shows_the_verdict_given_at_submission_after_the_rules_changed(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    """The notice is delivered after the content changed (the first attempt met a 429, the bot restarted
    with new rules): it shows the verdict the applicant was given, and says what today's rules conclude."""
    clock = WallClock()
    first = make_bot(api, "aiogram", tmp_path, office_content(), wall_clock=clock)
    await first.start()
    api.fail_next("sendMessage", chat_id=HEALTH_OFFICE_CHAT, error_code=429, retry_after=2)
    try:
        reference = await submit(api, Phone(api, 7109, "钱七", language_code="en"))
        await api.wait_for(lambda call: call.failed and call.params.get("chat_id") == HEALTH_OFFICE_CHAT)
    finally:
        await first.stop()
    database = await open_database(first.settings.database_url)
    try:
        async with database.uow() as uow:
            stored = await uow.submissions.record(reference)
    finally:
        await database.close()
    assert stored is not None and stored.verdict == "eligible"

    changed = content_with_office_chat(tmp_path / "changed")
    program = changed / "programs" / "xj-aid-talent-2023b2.yaml"
    text = program.read_text(encoding="utf-8")
    rule = "rule: {fact: region, in: [shanxi, other]}"
    assert rule in text
    program.write_text(text.replace(rule, "rule: {fact: region, in: [xinjiang]}"), encoding="utf-8")
    clock.advance(2)
    second = make_bot(api, "aiogram", tmp_path, load_content(changed), wall_clock=clock)
    await second.start()
    try:
        [notice] = await api.wait_for(_notice(reference, HEALTH_OFFICE_CHAT), timeout=15)
    finally:
        await second.stop()
    text = notice.params["text"]  # the office's chat reads Chinese
    zh = translator("zh")
    assert zh.gettext("Eligibility: {verdict}").format(verdict=zh.gettext("eligible")) in text
    assert (
        zh.gettext("Under the rules as they read today: {verdict}").format(verdict=zh.gettext("not eligible")) in text
    )
