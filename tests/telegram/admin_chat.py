"""What the admin-desk tests share: a bot running on content versions, admins, and a transcript of a chat.

The bot is started from a copy of the shipped content folder, so its database holds
version 1 and admins can publish from the chat (as ``python -m bot`` runs). The
applicants' clock starts on 20 February 2024, before Shanxi's 2024 round would open.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

from bot.telegram.runner import TelegramBot
from dialogs.loader import SHIPPED
from tests.telegram.botapi import FakeBotAPI
from tests.telegram.harness import BEIJING, Phone, buttons, make_bot, running_clock

ADMIN = 9001
OTHER_ADMIN = 9002
STRANGER = 7301
SX = "sx-state-allowance-2023"
SX_FILE = f"programs/{SX}.yaml"
#: Before the 2024 round of the Shanxi allowance opens (the admin publishes it in these tests).
BEFORE_2024_ROUND = dt.datetime(2024, 2, 20, 10, 0, tzinfo=BEIJING)
#: The old deadline line of the Shanxi file, and the 2024 round's dates in its place.
OLD_WINDOW = "    closes: {date: 2023-03-31}\n"
NEW_WINDOW = "    opens: {date: 2024-03-01}\n    closes: {date: 2024-03-31}\n"


def content_folder(tmp: Path) -> Path:
    """A copy of the shipped content, the folder the bot seeds version 1 from."""
    target = tmp / "content"
    if not target.exists():
        shutil.copytree(SHIPPED, target)
    return target


def start_bot(api: FakeBotAPI, runtime: str, tmp: Path, **settings: Any) -> TelegramBot:
    return make_bot(
        api,
        runtime,
        tmp,
        content_folder(tmp),
        clock=running_clock(BEFORE_2024_ROUND),
        admin_ids=(ADMIN, OTHER_ADMIN),
        **settings,
    )


def shanxi_2024() -> bytes:
    """The Shanxi program file with the 2024 round's window, as an admin would edit and send it."""
    text = (SHIPPED / SX_FILE).read_text(encoding="utf-8")
    assert OLD_WINDOW in text
    return text.replace(OLD_WINDOW, NEW_WINDOW).encode()


def zipped(folder: Path, changes: dict[str, bytes]) -> bytes:
    """The content folder as a ZIP (in a ``content/`` folder, as zipping it on a desktop does)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                relative = file.relative_to(folder).as_posix()
                archive.writestr(f"content/{relative}", changes.get(relative, file.read_bytes()))
    return buffer.getvalue()


async def version_in_force(bot: TelegramBot) -> int:
    assert bot.live is not None
    return bot.live.number


class Transcript:
    """A chat as both sides see it: what a person sends and presses, and each message the bot sends or
    edits, as rendered text with its buttons under it."""

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api
        self.lines: list[str] = []
        self._shown: dict[int, int] = {}

    def _record(self, who: str, phone: Phone) -> None:
        start = self._shown.get(id(phone), 0)
        for message in phone.seen[start:]:
            text = message.get("text") or message.get("caption") or ""
            edited = " (edits its message above)" if message.get("edit_date") else ""
            self.lines.append(f"BOT → {who}{edited}:")
            self.lines += ["    " + line for line in text.splitlines()]
            labels = [label for label, _ in buttons(message)]
            if labels:
                self.lines.append("    " + "  ".join(f"[{label}]" for label in labels))
        self._shown[id(phone)] = len(phone.seen)

    def skip(self, phone: Phone) -> None:
        """Leave what was read so far out (the start of a conversation that is not the point)."""
        self._shown[id(phone)] = len(phone.seen)

    async def say(self, who: str, phone: Phone, text: str, until: str = "") -> str:
        self._record(who, phone)
        self.lines.append(f"{who}: {text}")
        read = await phone.say(text, until)
        self._record(who, phone)
        return read

    async def press(self, who: str, phone: Phone, label: str, until: str = "") -> str:
        self._record(who, phone)
        self.lines.append(f"{who} presses [{label}]")
        read = await phone.press(label, until)
        self._record(who, phone)
        return read

    async def send_file(self, who: str, phone: Phone, data: bytes, name: str, until: str = "") -> str:
        self._record(who, phone)
        self.lines.append(f"{who} sends the file {name} ({len(data):,} bytes)")
        await self.api.push_document(phone.user_id, data, name, "application/octet-stream")
        read = await phone.read(until)
        self._record(who, phone)
        return read

    def text(self) -> str:
        return "\n".join(self.lines)
