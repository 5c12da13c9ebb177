"""The admin chat's button payloads: confirming or cancelling a preview, and picking a program.

Their prefixes (``adm``, ``adp``) are neither the applicant's (:mod:`dialogs.flows.buttons`) nor
staff review's (:mod:`dialogs.review_model`), so the Telegram desk routes them to the admin desk
before anything else reads them; there every press is checked against ADMIN_IDS again, an old
button or a forged one alike.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from dialogs.callbacks import SEPARATOR, CallbackData


class DraftAction(enum.StrEnum):
    CONFIRM = "ok"
    CANCEL = "no"


@dataclass(frozen=True)
class DraftButton(CallbackData):
    """Under a preview: do what it shows (once), or drop it. ``token`` names the stored draft."""

    prefix = "adm"
    action: DraftAction
    token: str


class PickFor(enum.StrEnum):
    """The command a program was picked for, from its usage help."""

    MOVE = "move"
    OPEN = "open"
    CLOSE = "close"
    PHONE = "phone"
    ANNOUNCE = "announce"


@dataclass(frozen=True)
class ProgramPick(CallbackData):
    """A program's button in a command's usage help: shows that program's ids for the command."""

    prefix = "adp"
    command: PickFor
    program: str


ADMIN_PREFIXES = frozenset({DraftButton.prefix, ProgramPick.prefix})


def is_admin_payload(data: str | None) -> bool:
    """Whether a button's data is meant for the admin desk (forged or not: the desk answers it)."""
    prefix, separator, _rest = (data or "").partition(SEPARATOR)
    return bool(separator) and prefix in ADMIN_PREFIXES
