"""Sending documents again, after staff returned a submission or asked for more (a notification's button)."""

from __future__ import annotations

import copy

from dialogs.events import AWAITING_APPLICANT, AmendSubmission, NotifyStaff
from dialogs.flows import menu, uploads
from dialogs.flows.buttons import AmendDone, AmendItem, AmendSend, Back, Cancel, Home, MenuItem, Open
from dialogs.flows.context import SubmissionView
from dialogs.flows.model import Args, Flow, Step, StepSpec, Unavailable
from dialogs.flows.submit import checklist
from dialogs.flows.turn import B, Rows, Turn, arg, content_button
from dialogs.schema_program import Program, Track
from dialogs.state import Draft

#: The checklist item for a document staff asked for that is not on the program's list.
OTHER_ITEM = "other"


def awaiting(turn: Turn, reference: str) -> SubmissionView | None:
    return next((s for s in turn.ctx.submissions if s.reference == reference and s.status in AWAITING_APPLICANT), None)


def amend_items(program: Program, track: Track) -> list[str]:
    return [d.id for d in checklist(program, track)] + [OTHER_ITEM]


def start_amend(turn: Turn, reference: str) -> None:
    """Staff returned the submission or asked for a document: collect what the applicant sends now."""
    state = turn.state
    view = awaiting(turn, reference)
    if view is None:
        turn.say("Submission {reference} is not waiting for documents from you.", reference=reference)
        turn.go(Step.SUBMISSIONS)
        return
    program = turn.content.find_program(view.program)
    if program is None or view.track not in {t.id for t in program.tracks}:
        turn.say(
            "The program of submission {reference} is no longer offered here; please call its contacts.",
            reference=reference,
        )
        turn.home()
        return
    state.program, state.track, state.track_chosen, state.flow = view.program, view.track, True, Flow.AMEND
    if state.draft is None or state.draft.amends != reference:
        state.drafts_started += 1
        state.draft = Draft(
            key=f"{turn.ctx.user}:{state.drafts_started}", program=view.program, track=view.track, amends=reference
        )
    turn.go(Step.AMEND)


def amend_draft(turn: Turn) -> Draft:
    draft = turn.state.draft
    if draft is None or draft.amends is None:
        raise Unavailable("no amendment")
    return draft


def amend_screen(turn: Turn, args: Args) -> None:
    draft = amend_draft(turn)
    program, track = turn.need_track()
    view = awaiting(turn, draft.amends or "")
    draft.item = None
    draft.checklist = amend_items(program, track)
    rows: Rows = [
        [
            content_button(
                "@amend_item",
                {"program": program.id, "item": item, "received": len(draft.documents.get(item, []))},
                AmendItem,
                index=i,
            )
        ]
        for i, item in enumerate(amend_items(program, track))
    ]
    if any(draft.documents.values()):
        rows.append([B("Send to staff", AmendSend)])
    rows.append([B("Cancel", Cancel), B("Main menu", Home)])
    turn.show(
        "@amend",
        rows,
        reference=draft.amends,
        program=program.id,
        track=track.id,
        status=view.status if view else None,
        comment=view.comment if view else None,
        documents=copy.deepcopy(draft.documents),
    )


def on_item(turn: Turn, press: AmendItem) -> None:
    amend_draft(turn)
    items = amend_items(*turn.need_track())
    if not 0 <= press.index < len(items):
        turn.redraw()
        return
    turn.go(Step.AMEND_DOCUMENTS, item=items[press.index])


def amend_documents_screen(turn: Turn, args: Args) -> None:
    draft = amend_draft(turn)
    program, track = turn.need_track()
    item = arg(args, "item")
    items = amend_items(program, track)
    if item not in items:
        raise Unavailable(item)
    draft.item = item
    draft.checklist = items
    received = len(draft.documents.get(item, []))
    rows: Rows = [[B("Done with this document", AmendDone)]] if received else []
    rows.append([B("Back", Back)])
    turn.show("@amend_request", rows, program=program.id, item=item, received=received)


def on_done(turn: Turn, _press: AmendDone) -> None:
    """Back to the list of items, with this one's files kept (the list's own entry on the trail, not a new one)."""
    turn.state.trail.pop()
    turn.go(Step.AMEND)


def on_send(turn: Turn, _press: AmendSend) -> None:
    state = turn.state
    draft = amend_draft(turn)
    if not any(draft.documents.values()):
        turn.redraw()
        return
    reference = draft.amends or ""
    if awaiting(turn, reference) is None:
        turn.say("Submission {reference} is not waiting for documents from you.", reference=reference)
        state.draft = None
        turn.go(Step.SUBMISSIONS)
        return
    documents = uploads.stored(draft)
    turn.effects.append(AmendSubmission(reference, documents))
    turn.effects.append(NotifyStaff("resubmitted", reference, {"documents": [d.stored_name for d in documents]}))
    state.draft, state.flow = None, None
    turn.go(Step.AMENDED, fresh=True, reference=reference)


def amended_screen(turn: Turn, args: Args) -> None:
    onward: Rows = [[B("My submissions", Open, item=MenuItem.MINE)], [B("Main menu", Home)]]
    turn.say(
        "Sent. Submission {reference} is back with staff for review; you will be told here.",
        onward,
        reference=arg(args, "reference"),
    )


def specs() -> tuple[StepSpec, ...]:
    return (
        StepSpec(
            Step.AMEND,
            amend_screen,
            buttons={AmendItem: on_item, AmendSend: on_send, Cancel: menu.cancel},
            goes_to=frozenset({Step.AMEND_DOCUMENTS, Step.AMENDED, Step.SUBMISSIONS}),
        ),
        StepSpec(
            Step.AMEND_DOCUMENTS,
            amend_documents_screen,
            buttons={AmendDone: on_done},
            text=uploads.remind,
            files=uploads.receive,
            back=Step.AMEND,
            goes_to=frozenset({Step.AMEND}),
        ),
        StepSpec(Step.AMENDED, amended_screen),
    )
