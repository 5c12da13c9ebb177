"""The generic driver: one event in, the step's handler or a behaviour every step shares, an outcome out.

Every step gets, from here rather than from its own code: redisplay (a restart,
an expired or forged button, text or a file it does not take), Back, the main
menu, the menu's own buttons wherever they appear, "Ask staff", notification
buttons, and every command. The registry is assembled and validated on import.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from dialogs import input_words
from dialogs.callbacks import parse
from dialogs.events import ChoiceEvent, CommandEvent, Event, FileEvent, FilesEvent
from dialogs.flows import (
    amend,
    apply,
    ask,
    check,
    crossing,
    delete,
    find,
    follow,
    info,
    language,
    menu,
    questions,
    submissions,
    submit,
)
from dialogs.flows.buttons import (
    ALL,
    LEGACY,
    AskStaff,
    Back,
    Follow,
    Home,
    MenuBound,
    MenuItem,
    More,
    Notice,
    NoticeAction,
    Open,
)
from dialogs.flows.context import Context, Outcome
from dialogs.flows.model import REGISTRY, Flow, Step, Unavailable, register, validate
from dialogs.flows.turn import Turn
from dialogs.i18n import N_
from dialogs.loader import Content
from dialogs.state import State

#: Every flow module; each declares its steps in ``specs()``.
FLOWS = (menu, language, submissions, delete, info, questions, find, check, apply, submit, amend, ask)

#: The commands a channel registers (Telegram's setMyCommands), with their descriptions.
MENU_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Main menu")),
    ("help", N_("What I can do")),
    ("programs", N_("Programs: deadlines, contacts, documents")),
    ("check", N_("Check my eligibility")),
    ("apply", N_("Apply with my documents")),
    ("status", N_("My submissions")),
    ("language", N_("Language")),
    ("cancel", N_("Stop what I am doing")),
    ("delete_my_data", N_("Delete my data")),
)


def handle(state: State, event: Event, content: Content, now: dt.datetime, ctx: Context) -> Outcome:
    """(state, event, content, now, context) → (new state, replies, effects); pure."""
    turn = Turn(state, content, now, ctx)
    try:
        if turn.state.content_version != content.version and not crossing.settle(turn, event):
            # the event was for a screen new content changed or removed: said so, and the way on shown
            return Outcome(turn.state, turn.replies, turn.effects)
        if isinstance(event, CommandEvent):
            command(turn, event.name.lower().lstrip("/"), event.args)
        elif isinstance(event, ChoiceEvent):
            choice(turn, event.data)
        elif isinstance(event, FileEvent | FilesEvent):
            files = (event,) if isinstance(event, FileEvent) else event.files
            spec = REGISTRY[Step(turn.state.step)]
            if spec.files is None:
                turn.say("I was not expecting a file now.")
                turn.redraw()
            else:
                spec.files(turn, files)
        else:
            text(turn, event.text)
    except Unavailable:
        # What the step needed is gone (a program removed, a draft sent): the menu, never an error.
        turn.home()
    return Outcome(turn.state, turn.replies, turn.effects)


def expired(turn: Turn) -> None:
    turn.say("This menu has expired. Here is the current one.")
    turn.redraw()


# ---- buttons


def choice(turn: Turn, data: str) -> None:
    press = parse(LEGACY.get(data, data), *ALL)
    if isinstance(press, Notice):
        notice(turn, press)
    elif isinstance(press, Follow):
        follow.on_follow(turn, press)
    elif not isinstance(press, MenuBound) or press.menu != turn.state.menu:
        expired(turn)
    elif isinstance(press, Back):
        turn.back()
    elif isinstance(press, Home):
        turn.home()
    elif isinstance(press, Open):
        OPEN[press.item](turn)
    elif isinstance(press, AskStaff):
        ask.ask_staff(turn, press)
    elif isinstance(press, More):
        turn.more(press.page)
    else:
        handler = REGISTRY[Step(turn.state.step)].buttons.get(type(press))
        if handler is None:
            expired(turn)
        else:
            handler(turn, press)


def notice(turn: Turn, press: Notice) -> None:
    """Buttons on notifications sent outside the conversation (staff decisions, receipts): bound to a
    submission reference rather than to a menu, so they stay valid until the submission moves on."""
    if press.action is NoticeAction.AMEND and press.reference:
        amend.start_amend(turn, press.reference)
    elif press.action is NoticeAction.MINE:
        turn.go(Step.SUBMISSIONS)
    elif press.action is NoticeAction.MENU:
        turn.home()
    else:
        expired(turn)


OPEN: dict[MenuItem, Callable[[Turn], None]] = {
    MenuItem.FIND: find.start_find,
    MenuItem.CHECK: lambda turn: info.pick_program(turn, Flow.CHECK),
    MenuItem.INFO: lambda turn: info.pick_program(turn, Flow.INFO),
    MenuItem.APPLY: lambda turn: info.pick_program(turn, Flow.APPLY),
    MenuItem.MINE: lambda turn: turn.go(Step.SUBMISSIONS),
    MenuItem.LANGUAGE: lambda turn: turn.go(Step.LANGUAGE),
    MenuItem.HELP: lambda turn: turn.go(Step.HELP),
}


# ---- text


def text(turn: Turn, typed: str) -> None:
    spec = REGISTRY[Step(turn.state.step)]
    if spec.text is not None:
        spec.text(turn, typed)
        return
    checked = input_words.check_text(typed, max_len=ask.MAX_QUESTION)
    if checked.error is not None or checked.value is None:
        if checked.error is not None:
            turn.refuse(checked.error)
        return
    number = option_number(checked.value)
    if number is not None:
        no_such_option(turn, number)
        return
    ask.answer_free_question(turn, checked.value, turn.state.program or turn.state.free_question_program)


#: A button's number typed on its own: "9", "９", "#9", "第9个", "option 9" (three digits at most: "2020" is a year).
_BUTTON_NUMBER = re.compile(r"^(?:第|选|选择|option|choice|number|no\.?|#)?\s*(?P<n>\d{1,3})\s*(?:个|项|号)?[.。)）]?$")


def option_number(text: str) -> int | None:
    """The number of a button when ``text`` is nothing but one, else ``None`` (a question, an answer)."""
    m = _BUTTON_NUMBER.match(unicodedata.normalize("NFKC", text).casefold().strip())
    return int(m["n"]) if m else None


def no_such_option(turn: Turn, number: int) -> None:
    """A number typed where the screen offers buttons and no answer is a number: the applicant meant a
    button (the terminal numbers them) that is not there. Said so, with the screen's buttons again,
    rather than read as a free question (a lone "9" matched nothing and got the whole overview)."""
    shown = len(turn.replies)
    turn.redraw()
    count = sum(len(row) for reply in turn.replies[shown:] for row in reply.buttons)
    if count:
        turn.say_n(
            "There is no option {number}: choose the {count} button below.",
            "There is no option {number}: choose one of the {count} buttons below.",
            count,
            number=number,
        )
    else:
        turn.say("There is no option {number} here.", number=number)
    turn.replies.insert(shown, turn.replies.pop())


# ---- commands


def start(turn: Turn) -> None:
    if turn.state.menu == 0:
        # The first start: the language was guessed from the app (or is the default); the menu
        # offers the others at once, under the usual rows.
        turn.show("@welcome")
        turn.go(Step.MENU, languages=True)
    else:
        turn.home()


def resume(turn: Turn) -> None:
    turn.say("Welcome back. We continue where you left off.")
    turn.redraw()


COMMANDS: dict[str, Callable[[Turn], None]] = {
    "start": start,
    "menu": lambda turn: turn.home(),
    "resume": resume,
    "help": OPEN[MenuItem.HELP],
    "cancel": menu.cancel,
    "back": lambda turn: turn.back(),
    "language": OPEN[MenuItem.LANGUAGE],
    "programs": OPEN[MenuItem.INFO],
    "info": OPEN[MenuItem.INFO],
    "find": OPEN[MenuItem.FIND],
    "check": OPEN[MenuItem.CHECK],
    "apply": OPEN[MenuItem.APPLY],
    "status": OPEN[MenuItem.MINE],
    "mine": OPEN[MenuItem.MINE],
    "edit": questions.edit_facts,
    "delete_my_data": lambda turn: turn.go(Step.FORGET),
    "forget": lambda turn: turn.go(Step.FORGET),
}


def command(turn: Turn, name: str, _args: str) -> None:
    run = COMMANDS.get(name)
    if run is None:
        turn.say("Unknown command /{name}. Here is the menu.", name=name)
        turn.home()
    else:
        run(turn)


#: Steps the driver itself opens from any step (commands, the menu's buttons, notifications, free text).
GENERIC_TARGETS = frozenset(
    {
        Step.MENU,
        Step.HELP,
        Step.LANGUAGE,
        Step.SUBMISSIONS,
        Step.PICK_PROGRAM,
        Step.QUESTION,
        Step.RANKING,
        Step.EDIT_FACTS,
        Step.FORGET,
        Step.AMEND,
        Step.ANSWER,
        Step.ASKED,
    }
)


def load() -> None:
    """Declare every flow's steps and check the whole (at import: a broken registry never serves)."""
    if REGISTRY:
        return
    for module in FLOWS:
        for spec in module.specs():
            register(spec)
    validate(REGISTRY, GENERIC_TARGETS)


load()
