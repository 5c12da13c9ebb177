"""The local channel: the whole applicant journey in a terminal, on the same engine and database.

Messages are printed, buttons numbered: type a button's number to press it,
``/file PATH`` to upload a document, ``/start``, ``/help``, ``/back``,
``/cancel``… as on Telegram, anything else as a message. Input may be piped: lines
are read until the end of input, then it exits 0. Starting it again resumes the
conversation where it stopped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.i18n import translator
from dialogs.events import ChoiceEvent, CommandEvent, Event, FileEvent, Reply, TextEvent
from dialogs.render import button_label, render

if TYPE_CHECKING:
    from bot.service import Desk

CHANNEL = "local"


class Terminal:
    """Turns typed lines into events and replies into numbered text."""

    def __init__(
        self, desk: Desk, user: str, clock: Callable[[], dt.datetime], out: TextIO = sys.stdout, echo: bool = False
    ) -> None:
        self.desk = desk
        self.user = user
        self.clock = clock
        self.out = out
        self.echo = echo
        self.buttons: list[str] = []
        self.lettered = False
        self.lang = desk.default_lang

    def print(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def show(self, replies: list[Reply]) -> None:
        tr = translator(self.lang)
        content = self.desk.content
        now = self.clock()
        # Where a number is the expected answer, buttons are lettered so "3" stays an answer.
        self.lettered = any(reply.expects == "number" for reply in replies)
        numbered: list[str] = []
        for reply in replies:
            self.print(render(reply, content, now, tr))
            for row in reply.buttons:
                cells = []
                for button in row:
                    numbered.append(button.data)
                    cells.append(f"[{self._mark(len(numbered))}] {button_label(button, content, tr)}")
                self.print("  " + "   ".join(cells))
        if numbered:
            self.buttons = numbered
        self.print()

    def _mark(self, position: int) -> str:
        return chr(ord("a") + position - 1) if self.lettered else str(position)

    def _button_for(self, text: str) -> str | None:
        marks = [self._mark(i + 1) for i in range(len(self.buttons))]
        wanted = text.lower() if self.lettered else text
        return self.buttons[marks.index(wanted)] if wanted in marks else None

    def event_for(self, line: str) -> Event | None:
        text = line.strip()
        if not text:
            return None
        if text.startswith("/file"):
            return self._file_event(text.removeprefix("/file").strip())
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            return CommandEvent(name or "help", args.strip())
        button = self._button_for(text)
        return ChoiceEvent(button) if button is not None else TextEvent(text)

    def _file_event(self, raw: str) -> FileEvent | None:
        tr = translator(self.lang)
        path = Path(raw.strip("'\"")).expanduser()
        if not raw:
            self.print(tr.gettext("Usage: /file PATH (the path of the document to send)"))
            return None
        try:
            content = path.read_bytes()
        except OSError as exc:
            self.print(tr.gettext("Cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc))
            return None
        return FileEvent(name=path.name, size=len(content), content=content, handle=str(path))

    async def send(self, event: Event) -> None:
        handled = await self.desk.handle(CHANNEL, self.user, event, self.clock())
        self.lang = handled.state.lang
        self.show(handled.replies)

    async def run(self, lines: TextIO, started: Callable[[], None] = lambda: None) -> int:
        """Show the first screen (the conversation resumed, or the start), then read ``lines`` to their end.
        ``started``: called once that first screen is shown (the start-up is over)."""
        if await self.desk.has_conversation(CHANNEL, self.user):
            await self.send(CommandEvent("resume"))
        else:
            await self.send(CommandEvent("start"))
        started()
        interactive = lines.isatty()
        while True:
            if interactive:
                self.out.write("> ")
                self.out.flush()
            line = await asyncio.to_thread(lines.readline)
            if not line:
                return 0
            if self.echo:
                self.print(f"> {line.rstrip()}")
            event = self.event_for(line)
            if event is not None:
                await self.send(event)
