"""The note's conversation: an admin publishes the 2024 round of the Shanxi allowance from the chat.

Run by ``tests/telegram/test_admin_desk.py`` (which checks it), or on its own to print it:
``python -m tests.telegram.admin_transcript [en|zh]``. Both sides of every message, as rendered
text with the buttons under it: the admin moves the Yangquan deadline to the 2024 dates with an
opening date (after a typo the bot refuses), changes a phone, lists the versions; an applicant
then asks for the deadline and the contact and reads the new ones.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from bot.telegram.runner import TelegramBot
from tests.telegram.admin_chat import ADMIN, SX, Transcript, start_bot
from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import Phone

#: What the admin and the applicant type, per language of the chat.
WORDS = {
    "en": {
        "program": "2023 special allowance (Shanxi)",
        "publish": "Publish as version {n}",
        "deadline": "When is the deadline of the Shanxi allowance?",
        "contact": "Whom do I call for the Shanxi allowance?",
    },
    "zh": {
        "program": "2023年政府特贴（山西）",
        "publish": "发布为第{n}版",
        "deadline": "山西特贴什么时候截止？",
        "contact": "山西特贴找谁咨询？",
    },
}


async def publish_2024_round(api: FakeBotAPI, bot: TelegramBot, lang: str = "en") -> str:
    words = WORDS[lang]
    chat = Transcript(api)
    admin = Phone(api, ADMIN, "Admin", language_code=lang)
    applicant = Phone(api, 7101, "Applicant", language_code=lang)

    await chat.say("ADMIN", admin, "/move")
    await chat.press("ADMIN", admin, words["program"], "city-materials")
    await chat.say("ADMIN", admin, f"/move {SX} city-materials opens 2024-03-01 closes 2024-02-30 17:30", "2024-02-30")
    await chat.say("ADMIN", admin, f"/move {SX} city-materials opens 2024-03-01 closes 2024-04-15 17:30")
    await chat.press("ADMIN", admin, words["publish"].format(n=2), "2")
    await chat.say("ADMIN", admin, f"/phone {SX} yq-professional 0353-2293393")
    await chat.press("ADMIN", admin, words["publish"].format(n=3), "3")
    await chat.say("ADMIN", admin, "/versions", "1")

    await applicant.say("/start")
    chat.skip(applicant)
    await chat.say("APPLICANT", applicant, words["deadline"], "2024")
    await chat.say("APPLICANT", applicant, words["contact"], "0353")
    return chat.text()


async def _main(lang: str) -> None:
    async with FakeBotAPI() as api:
        with tempfile.TemporaryDirectory() as tmp:
            bot = start_bot(api, "aiogram", Path(tmp))
            await bot.start()
            try:
                print(await publish_2024_round(api, bot, lang))
            finally:
                await bot.stop()


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1] if len(sys.argv) > 1 else "en"))
