"""The conversation's vocabulary: steps and flows as enums, and the registry where each step is declared once.

A step's :class:`StepSpec` holds everything about it: the screen that draws it
from the state (and the few arguments kept in the navigation trail), the
handlers of its buttons (by typed payload class), of typed text and of files,
what to undo when Back returns to it, where Back goes when no earlier screen is
known, and which steps its handlers may move to. The driver
(:mod:`dialogs.flows.driver`) gives every step the same redisplay, Back, expired
buttons, restart and commands, so no ladder of ``if step == …`` has to list them
all. :func:`validate` refuses a registry with a step that has no spec, a target
that is not a step, or a step that cannot be reached from the menu, at import
time, the way aiogram_dialog refuses two windows with one state.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dialogs.callbacks import CallbackData

if TYPE_CHECKING:
    from dialogs.events import FileEvent
    from dialogs.flows.turn import Turn


class Step(enum.StrEnum):
    """Where the conversation is. Plain strings in the state's JSON; an unknown one reads as the menu."""

    MENU = "menu"
    HELP = "help"
    LANGUAGE = "language"
    SUBMISSIONS = "submissions"
    PICK_PROGRAM = "pick_program"
    PICK_TRACK = "pick_track"
    INFO = "info"
    TOPIC = "topic"
    QUESTION = "question"
    EDIT_FACTS = "edit_facts"
    RANKING = "ranking"
    VERDICT = "verdict"
    INELIGIBLE = "ineligible"
    CLOSED = "closed"
    SUBSCRIBED = "subscribed"
    CONTACT_NAME = "contact_name"
    CONTACT_PHONE = "contact_phone"
    CONTACT_EMPLOYER = "contact_employer"
    CONTACT_SECTOR = "contact_sector"
    DOCUMENTS = "documents"
    REVIEW = "review"
    CANCEL_APPLICATION = "cancel_application"
    SUBMIT_REFUSED = "submit_refused"
    ALREADY_SUBMITTED = "already_submitted"
    DONE = "done"
    AMEND = "amend"
    AMEND_DOCUMENTS = "amend_documents"
    AMENDED = "amended"
    FORGET = "forget"
    ANSWER = "answer"
    ASKED = "asked"


class Flow(enum.StrEnum):
    """What the applicant set out to do; decides where the questions lead."""

    FIND = "find"
    CHECK = "check"
    INFO = "info"
    APPLY = "apply"
    AMEND = "amend"


class Unavailable(Exception):  # noqa: N818 - a condition, not a failure of the code
    """A screen cannot be drawn from this state (its program, draft or fact is gone): the driver shows the menu."""


Args = Mapping[str, Any]
Screen = Callable[["Turn", Args], None]
Handler = Callable[["Turn", Any], None]
TextHandler = Callable[["Turn", str], None]
FileHandler = Callable[["Turn", "tuple[FileEvent, ...]"], None]
Undo = Callable[["Turn", Args], None]


@dataclass(frozen=True)
class StepSpec:
    """One step, declared once."""

    step: Step
    #: Draws the step from the state and the arguments it was shown with (kept in the trail).
    screen: Screen
    #: Button handlers by payload class (the generic ones — Back, Main menu, Open, Ask staff — are the driver's).
    buttons: Mapping[type[CallbackData], Handler] = field(default_factory=dict)
    #: Typed text; None: a free question to the desk (or, where a file is wanted, a reminder).
    text: TextHandler | None = None
    #: Files; None: "I was not expecting a file now".
    files: FileHandler | None = None
    #: Run when Back returns to this step: undo what it collected, so it can be collected again.
    undo: Undo | None = None
    #: Where Back goes when the trail knows no earlier screen (e.g. a conversation stored before trails).
    back: Step = Step.MENU
    #: Steps this step's handlers may show next (checked for reachability from the menu).
    goes_to: frozenset[Step] = frozenset()
    #: After admins published new content, what to show when this step's screen can no longer be drawn
    #: (its question or its document is gone), drawn with the arguments it was shown with: the questions go
    #: on, the documents move to the next one. It raises :class:`Unavailable` when it cannot do better
    #: either (the track went too). None: the nearest screen under it on the trail.
    instead: Undo | None = None


class RegistryError(Exception):
    """The declared steps do not make a whole conversation."""


REGISTRY: dict[Step, StepSpec] = {}


def register(spec: StepSpec, registry: dict[Step, StepSpec] | None = None) -> StepSpec:
    """Declare a step; a second declaration of the same step is refused."""
    target = REGISTRY if registry is None else registry
    if spec.step in target:
        raise RegistryError(f"step {spec.step} is declared twice")
    target[spec.step] = spec
    return spec


def validate(registry: Mapping[Step, StepSpec], roots: frozenset[Step] = frozenset({Step.MENU})) -> None:
    """Refuse a registry that leaves a step undeclared, points at a non-step, or strands a step.

    ``roots`` are the steps reachable from anywhere: the menu, and what the driver's commands,
    menu buttons and notification buttons open."""
    missing = [s for s in Step if s not in registry]
    if missing:
        raise RegistryError(f"steps without a spec: {', '.join(missing)}")
    for step, spec in registry.items():
        if spec.step is not step:
            raise RegistryError(f"spec for {spec.step} is registered as {step}")
        if not callable(spec.screen):
            raise RegistryError(f"step {step} has no screen")
        for target in (spec.back, *spec.goes_to):
            if type(target) is not Step or target not in registry:
                raise RegistryError(f"step {step} points at {target!r}, which is not a declared step")
        for cls in spec.buttons:
            if CallbackData not in getattr(cls, "__mro__", ()):
                raise RegistryError(f"step {step} handles {cls!r}, which is not a payload class")
    seen = set(roots)
    todo = list(roots)
    while todo:
        for target in registry[todo.pop()].goes_to:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    stranded = [s for s in registry if s not in seen]
    if stranded:
        raise RegistryError(f"steps not reachable from the menu: {', '.join(stranded)}")
