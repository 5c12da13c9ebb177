"""Applying, second part: the documents of the checklist, the review, and the submission.

From the review, replacing a document or changing a contact detail or an answer
is a detour that returns to the review (``then`` in the detour's trail entry).
"""

from __future__ import annotations

import copy
from typing import Any

from dialogs.eligibility import assess
from dialogs.events import CreateSubmission, NotifyStaff
from dialogs.flows import apply, menu, questions, uploads
from dialogs.flows.buttons import (
    Back,
    Cancel,
    Confirm,
    ContactField,
    EditContact,
    EditFacts,
    Home,
    MenuItem,
    NextDocument,
    Open,
    ReplaceDocument,
    SkipDocument,
)
from dialogs.flows.model import Args, Step, StepSpec, Unavailable
from dialogs.flows.turn import B, Rows, Turn, arg, content_button
from dialogs.routing import reviewing_office
from dialogs.schedule import is_open
from dialogs.schema_program import Document, Program, Track, applies_to
from dialogs.state import Draft

#: The contact step that asks each field, for "Change name/phone/employer" on the review.
CONTACT_STEPS = {
    ContactField.NAME: Step.CONTACT_NAME,
    ContactField.PHONE: Step.CONTACT_PHONE,
    ContactField.EMPLOYER: Step.CONTACT_EMPLOYER,
}


def checklist(program: Program, track: Track) -> list[Document]:
    """The documents a submission gathers: the applicant's own (required) and their unit's (optional:
    the applicant may forward them, or leave them for the unit to send)."""
    return [d for d in program.documents if applies_to(d.tracks, track.id) and d.provided_by in ("applicant", "unit")]


def collect_documents(turn: Turn, item: str | None = None, then: dict[str, Any] | None = None) -> None:
    """The given checklist item, or the first one neither received nor left to the unit; else the review."""
    program, track = turn.need_track()
    draft = apply.draft(turn)
    items = checklist(program, track)
    if item is None:
        item = next((d.id for d in items if not draft.documents.get(d.id) and d.id not in draft.skipped_items), None)
    if item is None:
        turn.go(Step.REVIEW)
    else:
        turn.go(Step.DOCUMENTS, item=item, then=then)


def documents_screen(turn: Turn, args: Args) -> None:
    program, track = turn.need_track()
    draft = apply.draft(turn)
    items = checklist(program, track)
    item = arg(args, "item")
    doc = next((d for d in items if d.id == item), None)
    if doc is None:
        raise Unavailable(item)
    draft.item = item
    received = len(draft.documents.get(item, []))
    rows: Rows = [[B("Done with this document", NextDocument)]] if received else []
    if not received and doc.provided_by != "applicant":
        rows.append([B("Skip: my unit sends this one", SkipDocument)])
    rows.append([B("Back", Back), B("Main menu", Home)])
    turn.show(
        "@document_request",
        rows,
        program=program.id,
        item=item,
        received=received,
        position=[d.id for d in items].index(item) + 1,
        total=len(items),
    )


def _detour_return(turn: Turn) -> dict[str, Any] | None:
    then: dict[str, Any] | None = (turn.top or {}).get("args", {}).get("then")
    return then


def on_next(turn: Turn, _press: NextDocument) -> None:
    program, track = turn.need_track()
    draft = apply.draft(turn)
    if not draft.documents.get(draft.item or ""):
        turn.say("Please send at least one file for this document first.")
        turn.redraw()
        return
    then = _detour_return(turn)
    if then:
        turn.again(then)
        return
    items = [d.id for d in checklist(program, track)]
    later = items[items.index(draft.item) + 1 :] if draft.item in items else []
    upcoming = next((i for i in later if not draft.documents.get(i)), None)
    if upcoming is None:
        turn.go(Step.REVIEW)
    else:
        collect_documents(turn, upcoming)


def on_skip_document(turn: Turn, _press: SkipDocument) -> None:
    program, track = turn.need_track()
    draft = apply.draft(turn)
    doc = next((d for d in checklist(program, track) if d.id == draft.item), None)
    if doc is None or draft.item is None or doc.provided_by == "applicant":
        turn.say("This document is yours to provide; please send it.")
        turn.redraw()
        return
    if draft.item not in draft.skipped_items:
        draft.skipped_items.append(draft.item)
    then = _detour_return(turn)
    if then:
        turn.again(then)
    else:
        collect_documents(turn)


# ---- the review


def draft_args(draft: Draft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "phone": draft.phone,
        "employer": draft.employer,
        "documents": copy.deepcopy(draft.documents),
    }


def review_screen(turn: Turn, args: Args) -> None:
    program, track = turn.need_track()
    draft = apply.draft(turn)
    draft.item = None
    rows: Rows = [
        [B("Confirm and submit", Confirm)],
        [
            B("Change name", EditContact, field=ContactField.NAME),
            B("Change phone", EditContact, field=ContactField.PHONE),
            B("Change employer", EditContact, field=ContactField.EMPLOYER),
        ],
        [B("Change an answer", EditFacts)],
    ]
    rows += [
        [content_button("@replace_document", {"program": program.id, "item": d.id}, ReplaceDocument, item=d.id)]
        for d in checklist(program, track)
    ]
    rows.append([B("Cancel the application", Cancel)])
    rows.append([B("Back", Back), B("Main menu", Home)])
    facts = dict(turn.state.facts)
    turn.show("@review", rows, program=program.id, track=track.id, draft=draft_args(draft), facts=facts)


def cancel_screen(turn: Turn, args: Args) -> None:
    """One tap on "Cancel the application" used to drop the draft with its documents at once."""
    apply.draft(turn)
    choice: Rows = [[B("Yes, cancel it", Cancel)], [B("No, back to the review", Back)]]
    turn.say(
        "Cancel this application? The contact details and documents you gave for it are dropped; your answers to the questions are kept.",
        choice,
    )


def on_edit_contact(turn: Turn, press: EditContact) -> None:
    turn.go(CONTACT_STEPS[press.field], then=turn.top)


def on_replace(turn: Turn, press: ReplaceDocument) -> None:
    program, track = turn.need_track()
    draft = apply.draft(turn)
    if press.item not in {d.id for d in checklist(program, track)}:
        turn.redraw()
        return
    draft.documents[press.item] = []
    if press.item in draft.skipped_items:
        draft.skipped_items.remove(press.item)
    collect_documents(turn, press.item, then=turn.top)


def on_confirm(turn: Turn, _press: Confirm) -> None:
    state = turn.state
    program, track = turn.need_track()
    draft = apply.draft(turn)
    if not is_open(program, track, turn.now):
        turn.go(Step.CLOSED)
        return
    verdict = assess(program, track, state.facts, turn.content.facts)
    # Random, from the edge: a reference made from the person and a counter could be computed by
    # anyone and came back after a deletion. A replayed confirm is still one submission (``key``).
    reference = turn.ctx.reference
    applicant = {
        "name": draft.name or "",
        "phone": draft.phone or "",
        "employer": draft.employer or "",
        "lang": state.lang,
        **({"sector": draft.sector} if draft.sector else {}),
    }
    turn.effects.append(
        CreateSubmission(
            key=draft.key,
            reference=reference,
            program=program.id,
            track=track.id,
            applicant=applicant,
            facts=dict(state.facts),
            verdict=verdict.verdict.value,
            documents=uploads.stored(draft),
        )
    )
    office = reviewing_office(program, track.id, draft.sector)
    where = {"program": program.id, "track": track.id, "office": office.id if office else None}
    turn.effects.append(NotifyStaff("new_submission", reference, where))
    state.draft = None
    turn.go(Step.DONE, fresh=True, reference=reference, program=program.id, track=track.id, draft=draft_args(draft))


def done_screen(turn: Turn, args: Args) -> None:
    rows: Rows = [[B("My submissions", Open, item=MenuItem.MINE)], [B("Main menu", Home)]]
    turn.show(
        "@receipt",
        rows,
        reference=arg(args, "reference"),
        program=arg(args, "program"),
        track=args.get("track"),
        draft=arg(args, "draft"),
    )


def specs() -> tuple[StepSpec, ...]:
    return (
        StepSpec(
            Step.DOCUMENTS,
            documents_screen,
            buttons={NextDocument: on_next, SkipDocument: on_skip_document},
            text=uploads.remind,
            files=uploads.receive,
            goes_to=frozenset({Step.DOCUMENTS, Step.REVIEW}),
        ),
        StepSpec(
            Step.REVIEW,
            review_screen,
            buttons={
                Confirm: on_confirm,
                EditContact: on_edit_contact,
                EditFacts: questions.edit_facts,
                ReplaceDocument: on_replace,
                Cancel: lambda turn, _press: turn.go(Step.CANCEL_APPLICATION),
            },
            goes_to=frozenset(
                {
                    *CONTACT_STEPS.values(),
                    Step.EDIT_FACTS,
                    Step.DOCUMENTS,
                    Step.DONE,
                    Step.CLOSED,
                    Step.CANCEL_APPLICATION,
                }
            ),
        ),
        StepSpec(
            Step.CANCEL_APPLICATION,
            cancel_screen,
            buttons={Cancel: menu.cancel},
            back=Step.REVIEW,
            goes_to=frozenset({Step.MENU}),
        ),
        StepSpec(Step.DONE, done_screen),
    )
