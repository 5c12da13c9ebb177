"""Eligibility questions, one fact at a time, and "change an answer" from wherever the applicant is.

A question shown as a detour (changing an answer from the review, a verdict, the
information menu, the main menu …) carries in its trail entry the screen it
came from (``then``): once answered, or skipped, the applicant is taken back
there, whatever the flow (it used to end in an assertion when there was no
track to decide).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from dialogs.age_reference import age_day, same_either_way
from dialogs.flows import apply
from dialogs.flows.buttons import Back, ChangeFact, Home, Skip, Value
from dialogs.flows.model import Args, Flow, Step, StepSpec, Unavailable
from dialogs.flows.turn import B, Key, Rows, Turn, arg, content_button
from dialogs.i18n import N_, NOTICE_ZONE
from dialogs.inputs import BIRTH_DAY_MATTERS, BIRTH_YEAR_ONLY
from dialogs.matcher import next_question
from dialogs.memo import PerObject
from dialogs.schema_facts import FactDef
from dialogs.schema_program import Program, Track

#: Said when a birth year leaves two possible ages and neither changes anything for the tracks in question.
AGE_EITHER_WAY = N_(
    "Born in {year}, you are {younger} or {older} on {on}; either way it makes no difference to the requirements here."
)


def pairs(turn: Turn) -> list[tuple[Program, Track]]:
    """The tracks the current flow decides: all of them when finding a program, else the chosen one."""
    if turn.state.flow == Flow.FIND:
        return turn.content.tracks()
    program, track = turn.program(), turn.track()
    return [(program, track)] if program and track else []


def ask_next(turn: Turn) -> None:
    state = turn.state
    fact_id = next_question(pairs(turn), state.facts, turn.content, state.skipped)
    if fact_id is None:
        finish(turn)
    else:
        turn.go(Step.QUESTION, fact=fact_id, number=len(state.asked) + 1)


def finish(turn: Turn) -> None:
    """No question left: the result of the flow (a ranking, a verdict, or on to the application)."""
    turn.state.question = None
    if turn.state.flow == Flow.FIND:
        turn.go(Step.RANKING)
    elif turn.track() is None:
        turn.home()  # nothing was being decided (the flow ended meanwhile)
    elif turn.state.flow == Flow.APPLY:
        apply.after_questions(turn)
    else:
        turn.go(Step.VERDICT)


#: Flows whose questions decide the chosen track: without one (removed meanwhile) they decide nothing.
TRACK_FLOWS = frozenset({Flow.CHECK, Flow.APPLY})


def question_screen(turn: Turn, args: Args) -> None:
    fact_id = arg(args, "fact")
    if fact_id not in turn.content.facts:
        raise Unavailable(fact_id)
    if turn.state.flow in TRACK_FLOWS and turn.track() is None:
        raise Unavailable("no track to decide")
    state = turn.state
    state.question = fact_id
    fact = turn.content.facts[fact_id]
    kind = fact.kind
    rows: Rows = [list(row) for row in _answer_rows(fact)]
    rows.append([B("I don't know", Skip)])
    rows.append([B("Back", Back), B("Main menu", Home)])
    number = args.get("number") or len(state.asked) + 1
    turn.show("@question", rows, expects=kind.expects, fact=fact_id, hint=kind.hint(fact), asked=number)


def _answers_of(fact: FactDef) -> tuple[tuple[Key, ...], ...]:
    kind = fact.kind
    answers = [
        content_button("@value_label", {"fact": fact.id, "value": value}, Value, value=token)
        for token, value in kind.buttons(fact)
    ]
    return tuple(tuple(answers[i : i + kind.row_width]) for i in range(0, len(answers), kind.row_width))


#: A question's answer buttons, in rows, made once per loaded fact (they depend on nothing else, and the
#: fit-finder shows a question at nearly every step).
_answer_rows: PerObject[FactDef, tuple[tuple[Key, ...], ...]] = PerObject(_answers_of)


def on_value(turn: Turn, press: Value) -> None:
    fact = turn.content.facts.get(turn.state.question or "")
    value = None if fact is None else fact.kind.from_button(fact, press.value)
    if value is None:
        turn.redraw()
    else:
        answer(turn, value)


def on_text(turn: Turn, text: str) -> None:
    fact = turn.content.facts.get(turn.state.question or "")
    if fact is None:
        turn.redraw()
        return
    deciding = pairs(turn)
    # an age typed as a birth date is the age on the program's deadline (see dialogs.age_reference)
    day = age_day(deciding, turn.now) if fact.from_birth_date else turn.now.astimezone(ZoneInfo(NOTICE_ZONE)).date()
    parsed = fact.kind.parse(fact, text, lang=turn.state.lang, today=day)
    if parsed.error is not None and parsed.error.key in (BIRTH_YEAR_ONLY, BIRTH_DAY_MATTERS):
        # two possible ages: taken when they decide nothing differently here, and said so
        said = parsed.error.args
        older, younger = int(str(said["older"])), int(str(said["younger"]))
        if fact.kind.value_problem(fact, older) is None and same_either_way(
            deciding, turn.state.facts, turn.content.facts, fact.id, (older, younger)
        ):
            turn.say(AGE_EITHER_WAY, year=said["year"], younger=younger, older=older, on=said["on"])
            answer(turn, older)
            return
    if parsed.error is not None:
        turn.refuse(parsed.error)
        turn.redraw()
        return
    answer(turn, parsed.value)


def answer(turn: Turn, value: Any) -> None:
    state = turn.state
    fact_id = state.question or ""
    state.facts[fact_id] = value
    if fact_id in state.asked:
        state.asked.remove(fact_id)
    state.asked.append(fact_id)
    if fact_id in state.skipped:
        state.skipped.remove(fact_id)
    onward(turn)


def on_skip(turn: Turn, _press: Skip) -> None:
    state = turn.state
    if state.question is not None and state.question not in state.skipped:
        state.skipped.append(state.question)
    onward(turn)


def onward(turn: Turn) -> None:
    """After an answer: back to where a detour began, else the next question."""
    then = (turn.top or {}).get("args", {}).get("then")
    turn.state.question = None
    if then:
        turn.again(then)
    else:
        ask_next(turn)


def question_gone(turn: Turn, args: Args) -> None:
    """The question on screen is no longer asked (content published meanwhile): on to where its answer
    would have led, the next question or the screen a detour began on. The answers given stay."""
    if turn.state.flow in TRACK_FLOWS and turn.track() is None:
        raise Unavailable("no track to decide")
    turn.state.question = None
    then = args.get("then")
    if then:
        turn.again(then)
    else:
        ask_next(turn)


def undo_answer(turn: Turn, args: Args) -> None:
    """Back to a question: its answer is taken back, to be given again. A question opened to change an
    answer gets back the answer it had (taking it away would empty "Which answer do you want to
    change?", the screen Back goes on to)."""
    fact_id = str(args.get("fact"))
    if "before" in args and fact_id in turn.content.facts:
        turn.state.facts[fact_id] = args["before"]
        return
    turn.state.facts.pop(fact_id, None)
    if fact_id in turn.state.asked:
        turn.state.asked.remove(fact_id)


# ---- changing an answer


def edit_facts(turn: Turn, _press: object = None) -> None:
    """The answers given so far, to change one; afterwards the applicant returns to where they were."""
    state = turn.state
    if not [f for f in state.facts if f in turn.content.facts]:
        turn.say("You have not answered any question yet.")
        turn.redraw()
        return
    top = turn.top or {"step": str(Step.MENU), "flow": None, "args": {}}
    if top["step"] == Step.EDIT_FACTS:
        turn.redraw()
        return
    # From a question, the questions simply go on; from a detour's question, its return stands.
    then = top.get("args", {}).get("then") if top["step"] == Step.QUESTION else top
    turn.go(Step.EDIT_FACTS, then=then)


def edit_facts_screen(turn: Turn, args: Args) -> None:
    state = turn.state
    answered = [f for f in state.facts if f in turn.content.facts]
    if not answered:
        raise Unavailable("no answers")
    rows: Rows = [
        [content_button("@fact_answer", {"fact": f, "value": state.facts[f]}, ChangeFact, fact=f)] for f in answered
    ]
    rows.append([B("Back", Back), B("Main menu", Home)])
    turn.say("Which answer do you want to change?", rows)


def on_change_fact(turn: Turn, press: ChangeFact) -> None:
    if press.fact not in turn.content.facts:
        turn.redraw()
        return
    then = (turn.top or {}).get("args", {}).get("then")
    kept = {"before": turn.state.facts[press.fact]} if press.fact in turn.state.facts else {}
    turn.go(Step.QUESTION, fact=press.fact, number=len(turn.state.asked) + 1, then=then, **kept)


def specs() -> tuple[StepSpec, ...]:
    results = frozenset({Step.RANKING, Step.VERDICT, Step.QUESTION, Step.MENU}) | apply.AFTER_QUESTIONS
    return (
        StepSpec(
            Step.QUESTION,
            question_screen,
            buttons={Value: on_value, Skip: on_skip},
            text=on_text,
            undo=undo_answer,
            instead=question_gone,
            # a detour returns to the screen it began on: any step that offers "change an answer"
            goes_to=results | {Step.REVIEW, Step.INFO},
        ),
        StepSpec(
            Step.EDIT_FACTS,
            edit_facts_screen,
            buttons={ChangeFact: on_change_fact},
            goes_to=frozenset({Step.QUESTION}),
        ),
    )
