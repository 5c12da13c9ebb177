"""Picking a program and a track, and a program's information menu (deadlines, contacts, documents …)."""

from __future__ import annotations

from dialogs.flows import apply, questions
from dialogs.flows.buttons import ApplyHere, Back, CheckHere, Home, Intent, PickProgram, PickTrack, Topic
from dialogs.flows.model import Args, Flow, Step, StepSpec, Unavailable
from dialogs.flows.turn import B, Key, Rows, Turn, arg, content_button
from dialogs.schema_program import Program


def nav() -> list[Key]:
    return [B("Back", Back), B("Main menu", Home)]


def program_ref(program: Program) -> dict[str, str]:
    return {"@content": "program", "id": program.id}


def pick_program(turn: Turn, flow: Flow) -> None:
    turn.state.flow = flow
    turn.go(Step.PICK_PROGRAM)


def pick_program_screen(turn: Turn, args: Args) -> None:
    rows: Rows = [
        [content_button("@program_title", {"program": p.id}, PickProgram, program=p.id)] for p in turn.content.programs
    ]
    turn.say("Which program?", rows + [nav()])


def on_program(turn: Turn, press: PickProgram) -> None:
    select_program(turn, press.program)


def select_program(turn: Turn, program_id: str) -> None:
    """The program picked for the current flow: its information menu, or its tracks."""
    state = turn.state
    if turn.content.find_program(program_id) is None:
        turn.say("This menu has expired. Here is the current one.")
        turn.redraw()
        return
    if state.program != program_id:
        state.skipped = []
    state.program, state.track, state.track_chosen = program_id, None, False
    if state.flow == Flow.INFO:
        turn.go(Step.INFO)
    else:
        choose_track(turn)


def choose_track(turn: Turn) -> None:
    """The track picker, or straight on when the program has one track."""
    program = turn.need_program()
    if len(program.tracks) == 1:
        turn.state.track, turn.state.track_chosen = program.tracks[0].id, True
        after_track(turn)
    else:
        turn.go(Step.PICK_TRACK)


def pick_track_screen(turn: Turn, args: Args) -> None:
    program = turn.need_program()
    rows: Rows = [
        [content_button("@track_title", {"program": program.id, "track": t.id}, PickTrack, track=t.id)]
        for t in program.tracks
    ]
    turn.say("Which track of {program}?", rows + [nav()], program=program_ref(program))


def on_track(turn: Turn, press: PickTrack) -> None:
    program = turn.need_program()
    if press.track not in {t.id for t in program.tracks}:
        turn.say("This menu has expired. Here is the current one.")
        turn.redraw()
        return
    turn.state.track, turn.state.track_chosen = press.track, True
    after_track(turn)


def after_track(turn: Turn) -> None:
    if turn.state.flow == Flow.APPLY:
        apply.start_application(turn)
    elif turn.state.flow == Flow.INFO:
        turn.go(Step.INFO)
    else:
        questions.ask_next(turn)


def info_screen(turn: Turn, args: Args) -> None:
    program = turn.need_program()
    rows: Rows = [
        [B("Deadlines", Topic, intent=Intent.DEADLINE), B("Contacts", Topic, intent=Intent.CONTACT)],
        [B("Documents", Topic, intent=Intent.DOCUMENTS), B("Benefits", Topic, intent=Intent.BENEFIT)],
        [B("How to apply", Topic, intent=Intent.APPLY), B("Quotas", Topic, intent=Intent.QUOTA)],
        [B("Requirements", Topic, intent=Intent.ELIGIBILITY)],
        [B("Check my eligibility", CheckHere), B("Apply", ApplyHere)],
        nav(),
    ]
    turn.say("What would you like to know about {program}?", rows, program=program_ref(program))


def on_topic(turn: Turn, press: Topic) -> None:
    turn.go(Step.TOPIC, intent=str(press.intent))


def topic_screen(turn: Turn, args: Args) -> None:
    program = turn.need_program()
    track = turn.track()
    intent = arg(args, "intent")
    if intent not in set(Intent):
        raise Unavailable(intent)
    turn.show(
        "@info",
        [nav()],
        intent=intent,
        program=program.id,
        track=track.id if track else None,
    )


def on_check_here(turn: Turn, _press: CheckHere) -> None:
    turn.state.flow = Flow.CHECK
    turn.state.skipped = []
    choose_track(turn)


def on_apply_here(turn: Turn, _press: ApplyHere) -> None:
    turn.state.flow = Flow.APPLY
    if turn.track() is None:
        choose_track(turn)
    else:
        apply.start_application(turn)


def specs() -> tuple[StepSpec, ...]:
    #: Where the questions, an application or an information menu may lead once a track is known.
    onward = frozenset({Step.INFO, Step.QUESTION, Step.RANKING, Step.VERDICT}) | apply.STARTS
    return (
        StepSpec(
            Step.PICK_PROGRAM,
            pick_program_screen,
            buttons={PickProgram: on_program},
            goes_to=frozenset({Step.PICK_TRACK}) | onward,
        ),
        StepSpec(
            Step.PICK_TRACK,
            pick_track_screen,
            buttons={PickTrack: on_track},
            back=Step.PICK_PROGRAM,
            goes_to=onward,
        ),
        StepSpec(
            Step.INFO,
            info_screen,
            buttons={Topic: on_topic, CheckHere: on_check_here, ApplyHere: on_apply_here},
            back=Step.PICK_PROGRAM,
            goes_to=frozenset({Step.TOPIC, Step.PICK_TRACK}) | onward,
        ),
        StepSpec(Step.TOPIC, topic_screen, back=Step.INFO),
    )
