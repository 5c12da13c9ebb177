"""Free questions typed at the desk, and passing one on to staff when the answer was not sure."""

from __future__ import annotations

from dialogs.events import ForwardQuestion
from dialogs.flows import info
from dialogs.flows.buttons import AnswerFor, AskStaff, Home, MenuItem, MoreAbout, Open
from dialogs.flows.model import Args, Flow, Step, StepSpec, Unavailable
from dialogs.flows.turn import B, Rows, Turn, content_button
from dialogs.routing import question_office

MAX_QUESTION = 500
INFO_INTENTS = ("deadline", "contact", "documents", "benefit", "quota", "apply", "eligibility")


def answer_free_question(turn: Turn, question: str, program_id: str | None, *, chosen: bool = False) -> None:
    """Answer a typed question; kept so that "Ask staff" can pass it on and a program picked after
    an ambiguous question can answer it."""
    from dialogs.question_reading import read  # loaded after the first reply (bot.service warms it up), not before

    reading = read(question, turn.content, program_id, chosen=chosen)
    turn.state.free_question = question
    turn.state.free_question_program = reading.program or program_id
    turn.go(Step.ANSWER, question=question, program=program_id, chosen=chosen)


def answer_screen(turn: Turn, args: Args) -> None:
    """The answer ("More" for the rest of a long one is added by :meth:`Turn.show`). When the question fits
    several programs, a button per program asks which one; when nothing matched well, "Ask staff" passes it on."""
    question, program_id, chosen = args.get("question"), args.get("program"), bool(args.get("chosen"))
    if not isinstance(question, str):
        raise Unavailable("no question")
    from dialogs.question_reading import read

    reading = read(question, turn.content, program_id, chosen=chosen)
    rows: Rows = [[content_button("@program_title", {"program": p}, AnswerFor, program=p)] for p in reading.choices]
    if reading.program is not None and reading.intent in INFO_INTENTS:
        rows.append([B("More about this program", MoreAbout, program=reading.program)])
    if not reading.sure:
        rows.append([B("Ask staff", AskStaff)])
    rows.append([B("Main menu", Home)])
    turn.show("@answer", rows, question=question, program=program_id, chosen=chosen)


def on_answer_for(turn: Turn, press: AnswerFor) -> None:
    """A program picked after an ambiguous question: answer that question for it."""
    if turn.state.free_question is None or turn.content.find_program(press.program) is None:
        turn.home()
        return
    answer_free_question(turn, turn.state.free_question, press.program, chosen=True)


def on_more(turn: Turn, press: MoreAbout) -> None:
    """From a free answer to the program's info screen: deadlines, contacts, documents… as buttons."""
    turn.state.flow = Flow.INFO
    info.select_program(turn, press.program)


def ask_staff(turn: Turn, _press: AskStaff) -> None:
    """Pass the last free question on to the staff of the office that answers questions about its program.

    The question is cleared once forwarded and the reply carries new buttons (so the
    pressed one expires): a double tap tells "this menu has expired" instead of asking
    staff twice. Staff's answer comes back through the outbox, not from here.
    """
    state = turn.state
    question = state.free_question
    if not question:
        turn.say(
            "There is no question to pass on to staff. Type your question; if I cannot answer it well, I offer to ask staff."
        )
        turn.home()
        return
    program = turn.content.find_program(state.free_question_program)
    track = state.track if program is not None and state.program == program.id and state.track_chosen else None
    office = question_office(program, track) if program is not None else None
    turn.effects.append(
        ForwardQuestion(question, program.id if program else None, office.id if office else None, state.lang)
    )
    state.free_question, state.free_question_program = None, None
    where = {"program": program.id, "office": office.id} if program is not None and office is not None else {}
    turn.go(Step.ASKED, fresh=True, **where)


def asked_screen(turn: Turn, args: Args) -> None:
    rows: Rows = [[B("My submissions", Open, item=MenuItem.MINE)], [B("Main menu", Home)]]
    if args.get("office") is None:
        turn.say(
            'Your question was passed to our staff. Their answer will come in this chat; you can also read it under "My submissions".',
            rows,
        )
        return
    turn.say(
        'Your question was passed to the staff of {office}. Their answer will come in this chat; you can also read it under "My submissions".',
        rows,
        office=office_ref(args["program"], args["office"]),
    )


def office_ref(program_id: str, contact_id: str) -> dict[str, str]:
    """An office named in a reply: rendered as the contact's office in the reader's language."""
    return {"@content": "office", "program": program_id, "id": contact_id}


def specs() -> tuple[StepSpec, ...]:
    return (
        StepSpec(
            Step.ANSWER,
            answer_screen,
            buttons={AnswerFor: on_answer_for, MoreAbout: on_more},
            goes_to=frozenset({Step.ANSWER, Step.INFO}),
        ),
        StepSpec(Step.ASKED, asked_screen),
    )
