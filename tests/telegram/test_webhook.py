"""Webhook mode: Telegram's secret token decides whether an update is taken."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from bot.telegram.runner import TelegramBot
from bot.telegram.webhook import SECRET_HEADER, RefusalLog, WebhookServer
from dialogs.loader import Content
from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import make_bot

SECRET = "desk-webhook-secret_123"
PUBLIC_URL = "https://desk.example.invalid/telegram/webhook"  # only recorded by the test server, never called


def webhook_bot(api: FakeBotAPI, runtime: str, tmp_path: Path, content: Content) -> TelegramBot:
    """The bot in webhook mode, listening on a free port of 127.0.0.1 with the test's secret."""
    return make_bot(
        api,
        runtime,
        tmp_path,
        content,
        webhook_url=PUBLIC_URL,
        webhook_secret=SECRET,
        webhook_host="127.0.0.1",
        webhook_port=0,
    )


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_an_update_with_the_wrong_secret_is_refused_and_with_the_right_one_answered(
    api: FakeBotAPI, tmp_path: Path, runtime: str, content: Content
) -> None:
    bot = webhook_bot(api, runtime, tmp_path, content)
    await bot.start()
    try:
        assert api.webhook.url == PUBLIC_URL and api.webhook.secret_token == SECRET
        assert bot.webhook is not None and bot.webhook.port
        endpoint = f"http://127.0.0.1:{bot.webhook.port}/telegram/webhook"
        api.user(7201, "孙八", language_code="en")
        update = await api.push_text(7201, "/start")  # built like Telegram's, posted by hand below
        async with httpx.AsyncClient() as client:
            forged = await client.post(endpoint, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
            missing = await client.post(endpoint, json=update)
            assert (forged.status_code, missing.status_code) == (401, 401)
            taken = await client.post(endpoint, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert taken.status_code == 200
        [reply] = await api.next_messages(7201, 1)
        assert "What would you like to do?" in reply["text"]
        assert len(api.sent_to(7201)) == 1  # the refused posts produced nothing
        assert not [c for c in api.calls if c.method.lower() == "getupdates"]  # no polling in webhook mode
    finally:
        await bot.stop()


async def test_a_flood_of_refused_webhook_requests_logs_one_warning_with_a_count_per_interval(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    fed: list[dict[str, object]] = []

    async def feed(update: dict[str, object]) -> None:
        fed.append(update)

    server = WebhookServer(feed, SECRET, refusals=RefusalLog(interval=60, clock=lambda: now[0]))
    await server.start("127.0.0.1", 0)
    endpoint = f"http://127.0.0.1:{server.port}/telegram/webhook"
    try:
        with caplog.at_level(logging.WARNING, logger="bot.telegram.webhook"):
            async with httpx.AsyncClient() as client:
                for _ in range(200):
                    forged = await client.post(endpoint, json={"update_id": 1}, headers={SECRET_HEADER: "guess"})
                    assert forged.status_code == 401
                now[0] = 61.0  # the interval has passed: the next refusal is logged, with the count
                await client.post(endpoint, json={"update_id": 1})
    finally:
        await server.stop()
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.telegram.webhook"]
    assert len(lines) == 2, lines
    assert "199 more refused" in lines[1]
    assert not fed


@pytest.mark.parametrize("runtime", ["aiogram", "ptb"])
async def test_a_webhook_update_is_answered_after_handling_and_a_redelivery_is_handled_once(
    api: FakeBotAPI, tmp_path: Path, runtime: str, content: Content
) -> None:
    bot = webhook_bot(api, runtime, tmp_path, content)
    await bot.start()
    try:
        assert bot.webhook is not None
        endpoint = f"http://127.0.0.1:{bot.webhook.port}/telegram/webhook"
        api.user(7202, "钱九", language_code="en")
        update = await api.push_text(7202, "/start")
        async with httpx.AsyncClient() as client:
            first = await client.post(endpoint, json=update, headers={SECRET_HEADER: SECRET})
            assert first.status_code == 200
            assert len(api.sent_to(7202)) == 1  # handled (and answered) before the 200
            again = await client.post(endpoint, json=update, headers={SECRET_HEADER: SECRET})  # Telegram retries
            assert again.status_code == 200
        assert len(api.sent_to(7202)) == 1
        assert bot.once is not None and bot.once.skipped == 1
    finally:
        await bot.stop()
