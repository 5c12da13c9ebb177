"""Telegram's limits, kept by the bot rather than learnt from 429s.

Telegram allows a bot about 30 messages a second overall, about one a second in
one chat and 20 a minute in a group; beyond that it answers 429 with
``retry_after``, and that flood control is per bot: the wait applies to every
chat. :class:`RateLimiter` grants sends so that none of these is exceeded:

- **overall**: at most :attr:`per_second` grants in any window of
  :attr:`window` seconds (a sliding window of grant times, not a bucket, so no
  burst above it either; the window is 1.05 s, a margin for the jitter of the
  HTTP calls, so Telegram never counts more than 30 in its second);
- **per chat**: a private chat waits :attr:`chat_interval` after its last send;
  a group at least as long, and at most :attr:`group_per_minute` in any minute;
- **429**: :meth:`pause` holds every grant until ``retry_after`` has passed.

:class:`RateLimitedGateway` puts a :class:`bot.telegram.types.Gateway` behind a
limiter. Every send (a text, a document, each item of an album) takes a grant
from the overall window and every 429 pauses all sending; the per-chat spacing
is applied to the notifications the outbox sends (``per_chat=True``), whose
pace nobody sets but the bot. A reply to a person's own message or press is
paced by that person (and by :class:`bot.telegram.throttle.Throttle`): holding
the second message of a screen back a second would only slow the conversation,
so replies count in their chat's history (the next notification there waits)
without waiting themselves. Edits count in the overall window; answering a
button's spinner and downloads are not messages and pass straight through.

Grants are first come, first served (one lock, held while waiting for the
overall window): a reply to a person waits at most for the sends queued before
it, which the outbox keeps to its number of lanes (about a second's worth).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from bot.telegram.locks import KeyedLocks
from bot.telegram.types import Gateway, Keyboard, RetryLater

T = TypeVar("T")

#: Telegram's published limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
PER_SECOND = 30
#: The second the overall limit is counted over, a little longer than one: the calls' own travel times
#: vary by milliseconds, and two grants a second apart must not arrive at Telegram less than one apart.
WINDOW = 1.05
CHAT_INTERVAL = 1.0
GROUP_PER_MINUTE = 20
#: How long a chat's history is kept after its last send (it matters for a minute at most).
FORGET_AFTER = 61.0


@dataclass
class _Chat:
    """What a chat was last sent: its grant times in the last minute (for groups) and the last one."""

    last: float = float("-inf")
    minute: deque[float] = field(default_factory=deque)


class RateLimiter:
    """Grants sends within Telegram's limits (see the module's docstring). One per bot: every process's
    sends share Telegram's budget, so a second process would need its own share of ``per_second``."""

    def __init__(
        self,
        *,
        per_second: int = PER_SECOND,
        window: float = WINDOW,
        chat_interval: float = CHAT_INTERVAL,
        group_per_minute: int = GROUP_PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.per_second = per_second
        self.window = window
        self.chat_interval = chat_interval
        self.group_per_minute = group_per_minute
        self._clock = clock
        self._sleep = sleep
        self._granted: deque[float] = deque()
        self._chats: dict[int, _Chat] = {}
        self._turn = asyncio.Lock()
        self._chat_turns = KeyedLocks[int]()
        #: Until when every send waits (a 429's ``retry_after``), on :attr:`_clock`'s scale.
        self.paused_until = float("-inf")
        #: How many 429s paused sending, and for how long in all (a measure).
        self.pauses = 0
        self.paused_seconds = 0.0

    def pause(self, seconds: float) -> None:
        """Telegram answered 429: no send is granted for ``seconds`` from now."""
        until = self._clock() + max(seconds, 0.0)
        if until > self.paused_until:
            self.paused_seconds += until - max(self.paused_until, self._clock())
            self.paused_until = until
        self.pauses += 1

    async def acquire(self, chat_id: int, *, cost: int = 1, per_chat: bool = True) -> None:
        """Wait for a grant to send ``cost`` messages to ``chat_id``. With ``per_chat``, the chat's
        own limits are kept too (sends to one chat are granted in the order asked)."""
        cost = max(1, min(cost, self.per_second))
        if not per_chat:
            at = await self._overall(cost)
            self._note(chat_id, at, cost)
            return
        async with self._chat_turns(chat_id):
            while (wait := self._chat_wait(chat_id, cost)) > 0:
                await self._sleep(wait)
            at = await self._overall(cost)
            self._note(chat_id, at, cost)

    async def _overall(self, cost: int) -> float:
        """Wait for room in the overall window (and the end of a pause); returns the grant's time."""
        async with self._turn:
            while True:
                now = self._clock()
                while self._granted and self._granted[0] <= now - self.window:
                    self._granted.popleft()
                wait = self.paused_until - now
                if len(self._granted) + cost > self.per_second:
                    wait = max(wait, self._granted[len(self._granted) + cost - self.per_second - 1] + self.window - now)
                if wait <= 0:
                    self._granted.extend([now] * cost)
                    return now
                await self._sleep(wait)

    def _chat_wait(self, chat_id: int, cost: int) -> float:
        """Seconds until the chat may be sent to again (0: now)."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return 0.0
        now = self._clock()
        wait = chat.last + self.chat_interval - now
        if chat_id < 0:  # a group, supergroup or channel
            while chat.minute and chat.minute[0] <= now - 60.0:
                chat.minute.popleft()
            if len(chat.minute) + cost > self.group_per_minute:
                index = max(0, len(chat.minute) + cost - self.group_per_minute - 1)
                wait = max(wait, chat.minute[index] + 60.0 - now)
        return wait

    def _note(self, chat_id: int, at: float, cost: int) -> None:
        chat = self._chats.setdefault(chat_id, _Chat())
        chat.last = max(chat.last, at)
        if chat_id < 0:
            chat.minute.extend([at] * cost)
        if len(self._chats) > 1000:  # chats not sent to for a minute have no limit left to keep
            for key in [k for k, c in self._chats.items() if c.last < at - FORGET_AFTER]:
                del self._chats[key]


class RateLimitedGateway:
    """A :class:`bot.telegram.types.Gateway` whose sends wait for the limiter's grant and whose 429s pause
    every send (see the module's docstring); ``per_chat`` for the outbox's notifications."""

    def __init__(self, gateway: Gateway, limiter: RateLimiter, *, per_chat: bool = False) -> None:
        self.inner = gateway
        self.limiter = limiter
        self.per_chat = per_chat

    async def _send(self, chat_id: int, call: Callable[[], Awaitable[T]], *, cost: int = 1, per_chat: bool) -> T:
        await self.limiter.acquire(chat_id, cost=cost, per_chat=per_chat)
        try:
            return await call()
        except RetryLater as flood:
            self.limiter.pause(flood.seconds)
            raise

    async def send_text(
        self,
        chat_id: int,
        text: str,
        keyboard: Keyboard | None = None,
        *,
        reply_to: int | None = None,
        force_reply: bool = False,
    ) -> int:
        return await self._send(
            chat_id,
            lambda: self.inner.send_text(chat_id, text, keyboard, reply_to=reply_to, force_reply=force_reply),
            per_chat=self.per_chat,
        )

    async def edit_keyboard(self, chat_id: int, message_id: int, keyboard: Keyboard | None) -> None:
        await self._send(chat_id, lambda: self.inner.edit_keyboard(chat_id, message_id, keyboard), per_chat=False)

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Keyboard | None = None) -> None:
        await self._send(chat_id, lambda: self.inner.edit_text(chat_id, message_id, text, keyboard), per_chat=False)

    async def answer_callback(self, callback_id: str, text: str | None = None, *, alert: bool = False) -> None:
        await self.inner.answer_callback(callback_id, text, alert=alert)

    async def send_document(self, chat_id: int, name: str, content: bytes, *, reply_to: int | None = None) -> int:
        return await self._send(
            chat_id, lambda: self.inner.send_document(chat_id, name, content, reply_to=reply_to), per_chat=self.per_chat
        )

    async def send_documents(
        self, chat_id: int, files: Sequence[tuple[str, bytes]], *, reply_to: int | None = None
    ) -> list[int]:
        return await self._send(
            chat_id,
            lambda: self.inner.send_documents(chat_id, files, reply_to=reply_to),
            cost=len(files),
            per_chat=self.per_chat,
        )

    async def download(self, file_id: str) -> bytes:
        return await self.inner.download(file_id)

    async def set_commands(
        self, commands: Sequence[tuple[str, str]], language_code: str | None, *, chat_id: int | None = None
    ) -> None:
        await self.inner.set_commands(commands, language_code, chat_id=chat_id)

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.inner.set_webhook(url, secret)

    async def delete_webhook(self) -> None:
        await self.inner.delete_webhook()
