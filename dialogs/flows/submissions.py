""" "My submissions": the applicant's submissions and questions to staff, as the edge read them."""

from __future__ import annotations

from dialogs.flows.buttons import Home
from dialogs.flows.model import Args, Step, StepSpec
from dialogs.flows.turn import B, Turn


def submissions_screen(turn: Turn, args: Args) -> None:
    turn.show(
        "@submissions",
        [[B("Main menu", Home)]],
        submissions=[s.__dict__ for s in turn.ctx.submissions],
        questions=[q.__dict__ for q in turn.ctx.questions],
    )


def specs() -> tuple[StepSpec, ...]:
    return (StepSpec(Step.SUBMISSIONS, submissions_screen),)
