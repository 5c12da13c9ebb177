"""Eligibility questions, one fact at a time, and "change an answer" from wherever the applicant is.

A question shown as a detour (changing an answer from the review, a verdict, the
information menu, the main menu …) carries in its trail entry the screen it
came from (``then``): once answered, or skipped, the applicant is taken back
there, whatever the flow (it used to end in an assertion when there was no
track to decide).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from dialogs import inputs
from dialogs.facts import parse_country
from dialogs.flows import apply
from dialogs.flows.buttons import Back, ChangeFact, Home, Skip, Value
from dialogs.flows.model import Args, Flow, Step, StepSpec, Unavailable
from dialogs.flows.turn import B, Rows, Turn, arg, content_button
from dialogs.i18n import N_, NOTICE_ZONE
from dialogs.matcher import next_question
from dialogs.schema import FactDef, Program, Track


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


def question_screen(turn: Turn, args: Args) -> None:
    fact_id = arg(args, "fact")
    if fact_id not in turn.content.facts:
        raise Unavailable(fact_id)
    state = turn.state
    state.question = fact_id
    fact = turn.content.facts[fact_id]
    rows: Rows = []
    if fact.type == "bool":
        rows.append([B("Yes", Value, value="1"), B("No", Value, value="0")])
    elif fact.type in ("choice", "level"):
        rows += [
            [content_button("@value_label", {"fact": fact_id, "value": value}, Value, value=value)]
            for value in fact.values or ()
        ]
    rows.append([B("I don't know", Skip)])
    rows.append([B("Back", Back), B("Main menu", Home)])
    hint = {"int": N_("Type a number."), "country": N_("Type the country code, e.g. CN.")}.get(fact.type)
    expects = "number" if fact.type == "int" else None
    number = args.get("number") or len(state.asked) + 1
    turn.show("@question", rows, expects=expects, fact=fact_id, hint=hint, asked=number)


def on_value(turn: Turn, press: Value) -> None:
    fact = turn.content.facts.get(turn.state.question or "")
    if fact is None:
        turn.redraw()
    elif fact.type == "bool" and press.value in ("0", "1"):
        answer(turn, press.value == "1")
    elif fact.type in ("choice", "level") and press.value in (fact.values or ()):
        answer(turn, press.value)
    else:
        turn.redraw()


def on_text(turn: Turn, text: str) -> None:
    fact = turn.content.facts.get(turn.state.question or "")
    if fact is None:
        turn.redraw()
        return
    parsed = parse_answer(fact, text, turn.now, turn.state.lang)
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


def undo_answer(turn: Turn, args: Args) -> None:
    """Back to a question: its answer is taken back, to be given again."""
    fact_id = str(args.get("fact"))
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
    turn.go(Step.QUESTION, fact=press.fact, number=len(turn.state.asked) + 1, then=then)


# ---- reading a typed answer


def parse_answer(fact: FactDef, text: str, now: dt.datetime, lang: str) -> inputs.Parsed[Any]:
    """Read a typed answer to a fact's question: numbers, country codes, or a choice typed as text."""
    if fact.type == "int":
        number = inputs.parse_int(text, min=fact.min if fact.min is not None else 0, max=fact.max)
        if number.error is None or not fact.from_birth_date or not _looks_like_date(text):
            return number
        today = now.astimezone(ZoneInfo(NOTICE_ZONE)).date()
        born = inputs.parse_date(text, today=today, past_only=True)
        if born.error is not None or born.value is None:
            return born
        return inputs.parse_int(
            str(inputs.age_on(born.value, today)), min=fact.min if fact.min is not None else 0, max=fact.max
        )
    if fact.type == "country":
        return parse_country(text)
    if fact.type == "bool":
        return inputs.parse_yes_no(text)
    options = [(value, _value_names(fact, value, lang)) for value in fact.values or ()]
    return inputs.parse_choice(text, options)


def _looks_like_date(text: str) -> bool:
    """A birth date rather than an age: 1980年5月3日, 2月30日, 1980-05-03, 1980/5/3."""
    if "年" in text or "月" in text:
        return True
    return sum(ch.isdigit() for ch in text) >= 6 and any(sep in text for sep in "-/.")


def _value_names(fact: FactDef, value: str, lang: str) -> tuple[str, ...]:
    """The names an answer may be typed as; the reader's language first, as refusals show the first."""
    label = (fact.value_labels or {}).get(value)
    names: list[str] = []
    if label is not None:
        names.append(label.get(lang))
        names += [v for v in (label.zh, label.en, label.ug) if v and v not in names]
    return tuple(names + [value])


def specs() -> tuple[StepSpec, ...]:
    results = frozenset({Step.RANKING, Step.VERDICT, Step.QUESTION, Step.MENU}) | apply.AFTER_QUESTIONS
    return (
        StepSpec(
            Step.QUESTION,
            question_screen,
            buttons={Value: on_value, Skip: on_skip},
            text=on_text,
            undo=undo_answer,
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
