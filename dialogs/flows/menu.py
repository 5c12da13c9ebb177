"""The main menu and help: where every conversation starts and where "Main menu" leads."""

from __future__ import annotations

import functools

from dialogs.flows import language
from dialogs.flows.buttons import ChooseLanguage, Home, MenuItem, Open
from dialogs.flows.model import Args, Step, StepSpec
from dialogs.flows.turn import B, Key, Rows, Turn


def menu_screen(turn: Turn, args: Args) -> None:
    """The main menu; ``languages`` adds a row to switch language in one tap (the first start)."""
    state = turn.state
    state.flow, state.question = None, None
    rows: Rows = [list(row) for row in _menu_rows()]
    if args.get("languages"):
        rows.append(language.language_row())
    turn.say("What would you like to do?", rows)


@functools.cache
def _menu_rows() -> tuple[tuple[Key, ...], ...]:
    """The menu's buttons: the same at every drawing, made once (the menu is the screen drawn most)."""
    return (
        (B("Which program fits me?", Open, item=MenuItem.FIND),),
        (B("Am I eligible for a program?", Open, item=MenuItem.CHECK),),
        (B("Deadlines, contacts and documents", Open, item=MenuItem.INFO),),
        (B("Apply", Open, item=MenuItem.APPLY), B("My submissions", Open, item=MenuItem.MINE)),
        (B("Language", Open, item=MenuItem.LANGUAGE), B("Help", Open, item=MenuItem.HELP)),
    )


def help_screen(turn: Turn, args: Args) -> None:
    turn.show("@help", [[B("Main menu", Home)]])


def cancel(turn: Turn, _press: object = None) -> None:
    """Stop what the applicant is doing: the draft application is dropped."""
    turn.state.draft = None
    turn.say("Cancelled.")
    turn.home()


def specs() -> tuple[StepSpec, ...]:
    return (
        StepSpec(
            Step.MENU,
            menu_screen,
            buttons={ChooseLanguage: language.choose},
            goes_to=frozenset({Step.PICK_PROGRAM, Step.QUESTION, Step.SUBMISSIONS, Step.LANGUAGE, Step.HELP}),
        ),
        StepSpec(Step.HELP, help_screen),
    )
