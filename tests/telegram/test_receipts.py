"""The receipt of a confirmed application reaches the applicant, once, even when Telegram is down."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.telegram.outbox import MAX_BACKOFF
from storage.db import open_database
from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import Phone, WallClock, Watch, make_bot, office_content, until_review

RUNTIMES = ["aiogram", "ptb"]
RECEIVED = "; not yet reviewed."


async def _references(url: str) -> list[str]:
    database = await open_database(url)
    try:
        async with database.uow() as uow:
            applicant = await uow.applicants.find("tg", "7301")
            assert applicant is not None
            return [s.reference for s in await uow.submissions.list_for(applicant.id)]
    finally:
        await database.close()


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_a_receipt_lost_to_a_bot_api_outage_arrives_once_when_telegram_is_back(
    api: FakeBotAPI, tmp_path: Path, runtime: str
) -> None:
    clock = WallClock()
    bot = make_bot(api, runtime, tmp_path, office_content(), wall_clock=clock)
    await bot.start()
    watch = Watch(api, bot)
    phone = Phone(api, 7301, "赵六", language_code="en")
    try:
        await until_review(api, phone)
        # Telegram goes down as the applicant confirms: every message to them fails with 502 (the
        # submission is stored all the same), twice, then it is back.
        api.fail_next("sendMessage", chat_id=phone.chat_id, times=2, error_code=502)
        api.fail_next("answerCallbackQuery", times=2, error_code=502)
        message, data = phone.last_with("Confirm and submit")
        await api.press(phone.user_id, message, data)
        await api.wait_for(
            lambda call: call.failed and call.method == "sendMessage" and call.params.get("chat_id") == phone.chat_id,
            count=2,
        )
        await watch.settled()
        for _ in range(3):  # past every retry the outbox may have scheduled
            clock.advance(MAX_BACKOFF.total_seconds())
            await watch.outbox_idle()
        [reference] = await _references(bot.settings.database_url)
        receipt = await phone.read(RECEIVED)
        assert re.search(r"Reference: (\S+)", receipt).group(1) == reference  # type: ignore[union-attr]  # the test fails if None
        await watch.settled()
        clock.advance(MAX_BACKOFF.total_seconds())
        await watch.outbox_idle()
        # the buttons under a receipt sent later still work: they do not belong to a menu
        await phone.press("Main menu", "What would you like to do?")
        await watch.settled()
    finally:
        await bot.stop()
    delivered = [m for m in api.sent_to(phone.chat_id) if RECEIVED in (m.get("text") or "")]
    assert len(delivered) == 1


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_a_confirmation_shows_its_receipt_once(api: FakeBotAPI, tmp_path: Path, runtime: str) -> None:
    bot = make_bot(api, runtime, tmp_path, office_content())
    await bot.start()
    watch = Watch(api, bot)
    phone = Phone(api, 7301, "赵六", language_code="en")
    try:
        await until_review(api, phone)
        receipt = await phone.press("Confirm and submit", RECEIVED)
        await watch.settled()
        await phone.press("My submissions", "Your submissions")
    finally:
        await bot.stop()
    [reference] = await _references(bot.settings.database_url)
    assert f"Reference: {reference}" in receipt
    assert len([m for m in api.sent_to(phone.chat_id) if RECEIVED in (m.get("text") or "")]) == 1
