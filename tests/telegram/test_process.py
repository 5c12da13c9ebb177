"""``python -m bot`` with a token: the same one command serves Telegram, and Ctrl-C stops it cleanly."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import bot_process_env, start_bot_process


async def test_the_run_command_serves_telegram_when_a_token_is_set_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    async with FakeBotAPI() as api:
        process = await start_bot_process(bot_process_env(api, tmp_path))
        try:
            await api.wait_polling(timeout=60)
            api.user(7501, "吴一", language_code="zh")
            await api.push_text(7501, "/start")
            [reply] = await api.next_messages(7501, 1, timeout=20)
            assert "欢迎" in reply["text"]  # Chinese, the user's Telegram language
            assert {c["command"] for c in api.commands(language_code="zh")} >= {"start", "delete_my_data"}
        finally:
            process.send_signal(signal.SIGINT)
            _, err = await asyncio.wait_for(process.communicate(), 30)
        assert process.returncode == 0, err.decode()
        assert "serving Telegram with aiogram" in err.decode()
        assert api.token not in err.decode()  # the token never reaches the log
