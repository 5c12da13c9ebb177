""" "Am I eligible?": the verdict on one track, with the way on (apply, contacts, change an answer)."""

from __future__ import annotations

from typing import Any

from dialogs.eligibility import Verdict, assess
from dialogs.flows import apply, info, questions
from dialogs.flows.buttons import ApplyHere, EditFacts, Home, Intent, Topic
from dialogs.flows.model import Args, Step, StepSpec
from dialogs.flows.turn import B, Rows, Turn


def only_softened_failures(assessment: Any) -> bool:
    """Every unmet requirement may be waived (``softened``): the applicant may still apply."""
    failed = [r for r in assessment.reasons if r.met is False]
    return bool(failed) and all(r.requirement.softened is not None for r in failed)


def may_apply(turn: Turn) -> bool:
    program, track = turn.need_track()
    verdict = assess(program, track, turn.state.facts, turn.content.facts)
    return verdict.verdict is not Verdict.INELIGIBLE or only_softened_failures(verdict)


def verdict_screen(turn: Turn, args: Args) -> None:
    program, track = turn.need_track()
    rows: Rows = [[B("Apply", ApplyHere)]] if may_apply(turn) else []
    rows += [
        [B("Deadlines", Topic, intent=Intent.DEADLINE), B("Contacts", Topic, intent=Intent.CONTACT)],
        [B("Change an answer", EditFacts)],
        [B("Main menu", Home)],
    ]
    turn.show("@verdict", rows, program=program.id, track=track.id, facts=dict(turn.state.facts))


def specs() -> tuple[StepSpec, ...]:
    return (
        StepSpec(
            Step.VERDICT,
            verdict_screen,
            buttons={ApplyHere: info.on_apply_here, Topic: info.on_topic, EditFacts: questions.edit_facts},
            goes_to=frozenset({Step.TOPIC, Step.EDIT_FACTS}) | apply.STARTS,
        ),
    )
