"""The bot token never reaches the log, whichever library writes the line (python -m bot, both runtimes,
long polling and webhook mode), and the redaction keeps the rest of each line."""

from __future__ import annotations

import asyncio
import io
import logging
import signal
import socket
from pathlib import Path

import httpx
import pytest

from bot.logredact import MASK, TokenRedactor
from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import bot_process_env, start_bot_process

SECRET = "redaction-test-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# aiogram long polling is tests/telegram/test_process.py (same assertion); aiogram's import alone takes ~4 s
@pytest.mark.parametrize(("runtime", "mode"), [("ptb", "polling"), ("ptb", "webhook"), ("aiogram", "webhook")])
async def test_the_bot_token_never_appears_in_the_log_of_python_m_bot(tmp_path: Path, runtime: str, mode: str) -> None:
    async with FakeBotAPI() as api:
        env = bot_process_env(api, tmp_path, BOT_RUNTIME=runtime)
        port = _free_port()
        if mode == "webhook":
            env.update(
                WEBHOOK_URL="https://desk.example.invalid/hook",
                WEBHOOK_SECRET=SECRET,
                WEBHOOK_PORT=str(port),
                WEBHOOK_PATH="/hook",
            )
        process = await start_bot_process(env)
        try:
            api.user(7601, "郑一", language_code="en")
            if mode == "webhook":
                await api.wait_for("setWebhook", timeout=60)
                update = await api.push_text(7601, "/start")
                async with httpx.AsyncClient() as client:
                    answer = await client.post(
                        f"http://127.0.0.1:{port}/hook",
                        json=update,
                        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                    )
                assert answer.status_code == 200
            else:
                await api.wait_polling(timeout=60)
                await api.push_text(7601, "/start")
            await api.next_messages(7601, 1, timeout=20)
        finally:
            process.send_signal(signal.SIGINT)
            out, err = await asyncio.wait_for(process.communicate(), 30)
        log = out.decode() + err.decode()
        assert process.returncode == 0, log
        assert api.token not in log
        assert api.token.replace(":", "%3A") not in log
        if runtime == "ptb":  # httpx logs every request at INFO: the lines are there, the token is not
            requests = [line for line in log.splitlines() if "HTTP Request:" in line]
            assert requests and all(f"/bot{MASK}/" in line for line in requests)


def test_the_token_is_masked_in_arguments_url_encoded_forms_and_tracebacks() -> None:
    token = "123456:SECRET-abc"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TokenRedactor(token))
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("GET %s", f"https://api.telegram.org/bot{token}/getMe")
        logger.warning("encoded: /bot123456%3ASECRET-abc/x")
        try:
            raise OSError(f"cannot reach https://api.telegram.org/bot{token}/sendMessage")
        except OSError:
            logger.exception("call failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "SECRET-abc" not in text
    assert text.count(MASK) == 3 and "OSError: cannot reach" in text
