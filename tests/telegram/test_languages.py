"""Languages on Telegram: guessed from the app, kept for later messages, and each staff chat's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import translator
from dialogs.bidi import strip_marks
from storage.db import open_database
from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import HEALTH_OFFICE_CHAT, Phone, buttons, make_bot, office_content, submit

RUNTIMES = ["aiogram", "ptb"]
WELCOME = "Welcome! I help you find a talent program, check your eligibility and apply."


def said(lang: str, msgid: str) -> str:
    return translator(lang).gettext(msgid)


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_the_first_start_speaks_the_language_of_the_app_and_offers_the_others(
    api: FakeBotAPI, tmp_path: Path, runtime: str
) -> None:
    bot = make_bot(api, runtime, tmp_path, office_content(), default_locale="zh")
    await bot.start()
    try:
        seen = {}
        for user, code in ((7301, "zh-hans"), (7302, "en-US"), (7303, "ug"), (7304, "ru")):
            phone = Phone(api, user, "申请人", language_code=code)
            seen[code] = strip_marks(await phone.say("/start"))
            labels = [strip_marks(text) for text, _data in buttons(phone.seen[-1])]
            assert {"中文", "English", "ئۇيغۇرچە"} <= set(labels)
    finally:
        await bot.stop()
    assert said("zh", WELCOME) in seen["zh-hans"]
    assert WELCOME in seen["en-US"]
    assert said("ug", WELCOME) in seen["ug"]
    assert said("zh", WELCOME) in seen["ru"]  # no language of ours: the DEFAULT_LOCALE


async def test_the_applicants_language_is_remembered_for_later_messages(api: FakeBotAPI, tmp_path: Path) -> None:
    bot = make_bot(api, "aiogram", tmp_path, office_content())
    await bot.start()
    try:
        await Phone(api, 7305, "申请人", language_code="ug").say("/start")
    finally:
        await bot.stop()
    database = await open_database(bot.settings.database_url)
    try:
        async with database.uow() as uow:
            applicant = await uow.applicants.find("tg", "7305")
    finally:
        await database.close()
    assert applicant is not None and applicant.language == "ug"


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_a_staff_chat_switched_to_uyghur_gets_notices_and_confirmations_in_uyghur(
    api: FakeBotAPI, tmp_path: Path, runtime: str
) -> None:
    bot = make_bot(api, runtime, tmp_path, office_content())
    await bot.start()
    try:
        staff = Phone(api, 8301, "王老师", chat_id=HEALTH_OFFICE_CHAT)
        menu = await staff.say("/language")
        assert (
            said(
                "zh",
                "Choose the language of this staff chat: notifications, prompts and confirmations here will use it.",
            )
            in menu
        )
        await staff.press("ئۇيغۇرچە", "ئۇيغۇرچە")
        assert strip_marks(staff.last_text) == said("ug", "This staff chat now reads the bot in {language}.").format(
            language="ئۇيغۇرچە"
        )

        applicant = Phone(api, 7306, "赵六", language_code="en")
        reference = await submit(api, applicant)
        notice = strip_marks(await staff.read(reference))
        assert said("ug", "New submission {reference}").format(reference=reference) in notice
        labels = [text for text, _data in buttons(staff.seen[-1])]
        assert strip_marks(labels[0]) == said("ug", "Accept")

        decided = strip_marks(await staff.press(labels[0], reference))
        assert said("ug", "Accepted by {who}, {when}.").split("{who}")[0].strip() in decided
        # the applicant still reads English: the staff chat's language is the staff chat's only
        assert "has been accepted" in await applicant.read("has been accepted")

        await staff.say("/language en", "English")
    finally:
        await bot.stop()
    database = await open_database(bot.settings.database_url)
    try:
        async with database.uow() as uow:
            assert await uow.staff_chats.language(str(HEALTH_OFFICE_CHAT)) == "en"
    finally:
        await database.close()
