"""The language each staff chat reads: set in the chat with ``/language``, else the bot's default.

Reviewing offices are Chinese HR offices, so the default (``DEFAULT_LOCALE``) is
usually right; an office whose reviewers prefer Uyghur or English switches its
own chat, and every notification, prompt and confirmation there follows.
"""

from __future__ import annotations

import datetime as dt

from bot.i18n import LANGUAGES, BabelTranslator, translator
from storage.db import Database


class StaffLanguages:
    def __init__(self, database: Database, default: str) -> None:
        self.database = database
        self.default = default

    async def of(self, chat_id: int | str | None) -> str:
        if chat_id is None:
            return self.default
        async with self.database.uow() as uow:
            chosen = await uow.staff_chats.language(str(chat_id))
        return chosen if chosen in LANGUAGES else self.default

    async def translator(self, chat_id: int | str | None) -> BabelTranslator:
        return translator(await self.of(chat_id))

    async def set(self, chat_id: int, language: str, *, by: str, now: dt.datetime) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        async with self.database.uow() as uow:
            await uow.staff_chats.set_language(str(chat_id), language, by=by, now=now)
            await uow.commit()
