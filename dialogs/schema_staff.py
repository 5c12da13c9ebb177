"""The shape of ``staff.yaml``: which Telegram chat each reviewing office reads.

Not from the notices: admins set it per deployment. Whether each office is a
real contact of its program is checked when the content loads
(:mod:`dialogs.loader`).
"""

from __future__ import annotations

from pydantic import field_validator

from dialogs.schema import ContentModel, Id


class StaffChat(ContentModel):
    """The Telegram chat where one office's staff review the submissions it handles."""

    program: Id
    #: A contact of that program: the office named by the notice (see :mod:`dialogs.routing`).
    contact: Id
    #: Telegram chat id (a group's is negative). Not from the notices: set by admins per deployment.
    chat: int

    @field_validator("chat")
    @classmethod
    def _a_real_chat(cls, chat: int) -> int:
        if chat == 0:
            raise ValueError("a Telegram chat id is never 0")
        return chat


class StaffFile(ContentModel):
    offices: tuple[StaffChat, ...] = ()
