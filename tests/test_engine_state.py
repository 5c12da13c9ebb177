"""The engine works on a copy of what changes, never on the state it was given (issue 17).

``handle`` used to deep-copy the whole state at every event; it now copies one level of what it
changes (:meth:`dialogs.state.State.clone`) and shares the rest — trail entries, document records —
which it must therefore never change in place. Storage, the walks' probes and a retried event all
hand the same state to the engine again, so a change leaking into it would be a wrong conversation,
not a slow one. These tests walk the engine through every kind of screen and check, at every step,
that the state handed in reads exactly as before, down to the trail's nested entries.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import random

from dialogs.engine import handle
from dialogs.events import CommandEvent, Event, FileEvent, TextEvent
from dialogs.loader import Content
from dialogs.state import Draft, State
from tests.engine_driver import Driver
from tests.test_content_crossing import PDF, applicant, to_documents
from tests.walk.walker import START, RandomChooser, World, new_walker


def _frozen(state: State) -> str:
    return json.dumps(state.to_json(), sort_keys=True, ensure_ascii=False, default=str)


def test_no_event_changes_the_state_it_was_given(content: Content) -> None:
    checked: list[int] = [0]

    class Checking(Driver):
        def deliver(self, event: Event) -> None:
            given = self.state
            before, deep = _frozen(given), copy.deepcopy(given)
            outcome = handle(given, event, self.content, self.now, self.context())
            assert _frozen(given) == before, f"{event!r} changed the state it was given"
            assert given == deep
            # and a press of the same state again (a probe, a retry) does the same
            assert _frozen(handle(given, event, self.content, self.now, self.context()).state) == _frozen(outcome.state)
            checked[0] += 1
            super().deliver(event)

    world = World.of(content)
    chooser = RandomChooser(random.Random(17))
    while checked[0] < 1500:
        walker = new_walker(world, chooser, render=False)
        walker.driver = Checking(**{f.name: getattr(walker.driver, f.name) for f in dataclasses.fields(Driver)})
        walker.apply(START)
        for _ in range(150):
            walker.step(chooser)
    assert checked[0] >= 1500


def test_a_clone_shares_nothing_the_engine_changes_in_place() -> None:
    draft = Draft(
        "k", "p", "t", documents={"id-card": [{"stored_name": "a.pdf"}]}, skipped_items=["x"], checklist=["id-card"]
    )
    state = State(
        facts={"age": 40}, skipped=["title"], asked=["age"], trail=[{"step": "menu", "args": {}}], draft=draft
    )
    clone = state.clone()
    assert clone == state
    clone.facts["region"] = "xinjiang"
    clone.skipped.append("region")
    clone.asked.append("region")
    clone.trail.append({"step": "help", "args": {}})
    assert clone.draft is not None
    clone.draft.documents["id-card"].append({"stored_name": "b.pdf"})
    clone.draft.documents["degree"] = []
    clone.draft.skipped_items.append("y")
    clone.draft.checklist.append("degree")
    assert state == State(
        facts={"age": 40},
        skipped=["title"],
        asked=["age"],
        trail=[{"step": "menu", "args": {}}],
        draft=Draft(
            "k", "p", "t", documents={"id-card": [{"stored_name": "a.pdf"}]}, skipped_items=["x"], checklist=["id-card"]
        ),
    )


def test_new_content_without_the_program_leaves_the_state_given_as_it_was(content: Content) -> None:
    """After a publish, the trail's entries naming a removed program are repaired in the working copy
    only: the state handed in still names it (it is what storage holds until the new one is written)."""
    d = applicant(content)
    to_documents(d)
    d.upload("form.pdf", PDF)
    program = d.state.program
    gone = World.of(content).variants[f"without:{program}"]
    assert any(entry.get("program") == program for entry in d.state.trail)
    for event in (CommandEvent("resume"), TextEvent("张三"), FileEvent("cv.pdf", len(PDF), PDF), CommandEvent("back")):
        given = d.state
        before = _frozen(given)
        outcome = handle(given, event, gone, d.now, d.context())
        assert _frozen(given) == before, f"{event!r} changed the state it was given"
        assert not any(entry.get("program") == program for entry in outcome.state.trail)
