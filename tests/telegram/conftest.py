"""Fixtures for every Telegram test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram.client.session.aiohttp import AiohttpSession

from tests.telegram.botapi import FakeBotAPI


@pytest.fixture()
async def api() -> AsyncIterator[FakeBotAPI]:
    """The fake Bot API server on 127.0.0.1, one per test."""
    async with FakeBotAPI() as server:
        yield server


@pytest.fixture(autouse=True)
def _no_tls_grace_on_plain_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """aiogram's session waits 250 ms after closing, for TLS connections to shut down (aiohttp's graceful
    shutdown advice). The fake Bot API is plain HTTP on 127.0.0.1, where aiohttp says one turn of the loop
    is enough: without this, every aiogram bot a test stops waits a quarter of a second for nothing."""
    original = AiohttpSession.close

    async def close(self: AiohttpSession) -> None:
        client = self._session
        if client is not None and not client.closed and self.api.base.startswith("http://"):
            await client.close()
            await asyncio.sleep(0)
        await original(self)  # nothing left to close over plain HTTP; over HTTPS aiogram's own wait

    monkeypatch.setattr(AiohttpSession, "close", close)
