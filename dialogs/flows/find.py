""" "Which program fits me?": the questions over every track, then a ranking."""

from __future__ import annotations

from dialogs.flows import questions
from dialogs.flows.buttons import Home, MenuItem, Open
from dialogs.flows.model import Args, Flow, Step, StepSpec
from dialogs.flows.turn import B, Turn


def start_find(turn: Turn) -> None:
    state = turn.state
    state.flow, state.skipped = Flow.FIND, []
    state.program, state.track, state.track_chosen = None, None, False
    questions.ask_next(turn)


def ranking_screen(turn: Turn, args: Args) -> None:
    rows = [[B("Check one program in detail", Open, item=MenuItem.CHECK)], [B("Main menu", Home)]]
    turn.show("@ranking", rows, facts=dict(turn.state.facts))


def specs() -> tuple[StepSpec, ...]:
    return (StepSpec(Step.RANKING, ranking_screen),)
