"""Deleting one's data: asked once more, then everything goes and staff are told of withdrawals."""

from __future__ import annotations

from dialogs.events import ForgetApplicant, NotifyStaff
from dialogs.flows.buttons import Forget, Home
from dialogs.flows.model import Args, Step, StepSpec
from dialogs.flows.turn import B, Turn
from dialogs.state import State


def forget_screen(turn: Turn, args: Args) -> None:
    # Buttons are built first: a marker call nested in another's arguments is missed by some extractors.
    choice = [[B("Yes, delete my data", Forget)], [B("No, keep it", Home)]]
    turn.say(
        "This deletes your answers, your contact details, your questions to staff and your submissions with their documents. Staff are told that your submissions were withdrawn. This cannot be undone. Delete everything?",
        choice,
    )


def forget(turn: Turn, _press: Forget) -> None:
    lang = turn.state.lang
    for view in turn.ctx.submissions:
        turn.effects.append(NotifyStaff("withdrawn", view.reference, {"program": view.program, "track": view.track}))
    turn.effects.append(ForgetApplicant())
    turn.state = State(lang=lang, content_version=turn.content.version)
    turn.say("Your data has been deleted. Send /start if you want to begin again.")


def specs() -> tuple[StepSpec, ...]:
    return (StepSpec(Step.FORGET, forget_screen, buttons={Forget: forget}, goes_to=frozenset({Step.MENU})),)
