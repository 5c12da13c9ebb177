"""What counts as "the same screen" for the random walks' invariants, defined once here.

A screen is the last reply of a turn that carries buttons: its message key and the arguments that say
which thing it is about (program, track, fact, document item, intent, reference), never the menu number
or counters, so "Back returns to the screen shown before" and "a restart shows the same screen" compare
what a person would recognise. Adjust :data:`IDENTIFYING_ARGS` or :func:`screen_of` when screens change.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dialogs.events import Button, Reply
from dialogs.state import State

#: The main menu's message key: reaching it starts a new history of screens.
MENU_KEY = "What would you like to do?"
#: Arguments that tell one screen of a kind from another (the rest are counters or shown data).
#: "page": the messages of a screen too long for one are pages of their own: Back from the second shows the first.
IDENTIFYING_ARGS = ("program", "track", "fact", "item", "intent", "reference", "question", "page")
#: Button labels that mean "Back" (the review's cancel confirmation says where it goes back to).
BACK_LABELS = frozenset({"Back", "No, back to the review"})
#: Button labels that lead back or out of what the person is doing.
WAY_OUT_LABELS = BACK_LABELS | {"Main menu", "Cancel", "No, keep it", "Cancel the application"}


@dataclass(frozen=True)
class Screen:
    key: str
    args: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        inside = ", ".join(f"{k}={v}" for k, v in self.args)
        return f"{self.key!r}({inside})" if inside else repr(self.key)


def _frozen(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def screen_of(replies: Sequence[Reply], state: State | None = None) -> Screen | None:
    """The screen a turn leaves the person on: its last reply with buttons (None: no buttons at all), with
    the flow it was shown in (the program list for "Am I eligible" and for "Apply" look alike, but a
    press on them leads to different places, so Back must tell them apart)."""
    for reply in reversed(replies):
        if reply.buttons:
            args = tuple((k, _frozen(reply.args[k])) for k in IDENTIFYING_ARGS if k in reply.args)
            flow = getattr(state, "flow", None) if state is not None else None
            return Screen(reply.key, args + ((("flow", str(flow)),) if flow is not None else ()))
    return None


def buttons_of(replies: Sequence[Reply]) -> list[Button]:
    """The buttons a person can press after the turn: those of its last reply with buttons."""
    for reply in reversed(replies):
        if reply.buttons:
            return [b for row in reply.buttons for b in row]
    return []


def is_menu(screen: Screen | None) -> bool:
    return screen is not None and screen.key == MENU_KEY


def offers_way_out(screen: Screen, buttons: Sequence[Button]) -> bool:
    """The main menu itself, or a screen with a Back / Main menu / Cancel / "No, keep it" button."""
    return is_menu(screen) or any(b.label in WAY_OUT_LABELS for b in buttons)


def is_back(button: Button) -> bool:
    return button.label in BACK_LABELS
