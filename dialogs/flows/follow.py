"""The buttons on messages to a program's followers: a round opened, a deadline is near.

They are pressed days after they were sent, after admins may have published
other versions: each press is answered from the content in force. A program
that is gone is said so, with the menu; a track that is gone leaves the track
picker; a window that closed meanwhile shows the closed screen (with "tell me
when the next round opens"), as any start of an application would.
"""

from __future__ import annotations

from dialogs.flows import info
from dialogs.flows.buttons import Follow, FollowAction
from dialogs.flows.model import Flow
from dialogs.flows.turn import Turn
from dialogs.schema_program import Program


def on_follow(turn: Turn, press: Follow) -> None:
    """Start the application (or the eligibility check) for the program, or continue the draft of it."""
    program = turn.content.find_program(press.program)
    if program is None:
        turn.say("This program is no longer offered. Here is the menu.")
        turn.home()
        return
    state = turn.state
    given, track = press.track is not None, press.track
    if press.action is FollowAction.CONTINUE:
        draft = state.draft
        if draft is not None and draft.amends is None and draft.program == program.id:
            given, track = True, draft.track  # the track the draft is for (None for a program's only track)
    state.flow = Flow.CHECK if press.action is FollowAction.CHECK else Flow.APPLY
    if state.program != program.id:
        state.skipped = []
    state.program, state.track, state.track_chosen = program.id, None, False
    if given and _has_track(program, track):
        state.track, state.track_chosen = track, True
        info.after_track(turn)
    else:
        info.choose_track(turn)


def _has_track(program: Program, track_id: str | None) -> bool:
    return any(t.id == track_id for t in program.tracks)
