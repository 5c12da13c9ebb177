"""The conversation engine: (state, event, content, now, context) → (new state, replies, effects).

Pure: it reads no clock, no database and no channel. The conversation itself is
declared step by step under :mod:`dialogs.flows`; this module is the name the
channels and storage import it by.
"""

from __future__ import annotations

from dialogs.flows.context import (
    UNREAD,
    UNREAD_QUESTIONS,
    Context,
    Outcome,
    QuestionView,
    RecordsNeeded,
    SubmissionView,
)
from dialogs.flows.driver import MENU_COMMANDS, handle
from dialogs.flows.language import LANGUAGES

__all__ = [
    "LANGUAGES",
    "MENU_COMMANDS",
    "UNREAD",
    "UNREAD_QUESTIONS",
    "Context",
    "Outcome",
    "QuestionView",
    "RecordsNeeded",
    "SubmissionView",
    "handle",
]
