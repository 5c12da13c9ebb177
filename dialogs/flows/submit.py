"""Applying, second part: the documents of the checklist, the review, and the submission.

From the review, replacing a document or changing a contact detail or an answer
is a detour that returns to the review (``then`` in the detour's trail entry).
"""

from __future__ import annotations

import copy
from typing import Any

from dialogs.eligibility import assess
from dialogs.events import AWAITING_APPLICANT, CreateSubmission, NotifyStaff
from dialogs.flows import apply, info, menu, questions, uploads
from dialogs.flows.buttons import (
    Back,
    Cancel,
    Confirm,
    ContactField,
    EditContact,
    EditFacts,
    Home,
    Intent,
    MenuItem,
    NextDocument,
    Notice,
    NoticeAction,
    Open,
    ReplaceDocument,
    SkipDocument,
    Topic,
)
from dialogs.flows.model import Args, Step, StepSpec, Unavailable
from dialogs.flows.turn import B, Rows, Turn, arg, content_button
from dialogs.routing import reviewing_office
from dialogs.schedule import is_open
from dialogs.schema_program import Document, Program, Track, applies_to
from dialogs.state import Draft
from dialogs.submission_checks import earlier_submission, firm_failures, missing_items, softened_failures

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
    draft.checklist = [d.id for d in items]
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


def document_gone(turn: Turn, args: Args) -> None:
    """The document on screen is no longer on the checklist (content published meanwhile): the files sent
    for it were let go; on to the next item still wanted, or back to the review a replacement began on."""
    turn.need_track()
    apply.draft(turn)
    then = args.get("then")
    if then:
        turn.again(then)
    else:
        collect_documents(turn)


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
        # an item added before this one by content published meanwhile is asked before the review
        collect_documents(turn)
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
    draft.checklist = [d.id for d in checklist(program, track)]
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
    """Send the application, unless the notice would not take it: a second one for this track, a requirement
    stated firmly and failed, or an item of the applicant's own with no file. A softened requirement failed
    goes through, flagged for staff (the applicant saw the warning on the review)."""
    state = turn.state
    program, track = turn.need_track()
    draft = apply.draft(turn)
    if not is_open(program, track, turn.now):
        turn.go(Step.CLOSED)
        return
    if earlier_submission(turn.ctx.submissions, program.id, track.id) is not None:
        turn.go(Step.ALREADY_SUBMITTED)
        return
    verdict = assess(program, track, state.facts, turn.content.facts)
    if firm_failures(verdict):
        turn.go(Step.SUBMIT_REFUSED)
        return
    missing = missing_items(program, track, draft.documents)
    if missing:
        turn.show("@missing_documents", program=program.id, items=list(missing))
        collect_documents(turn, missing[0], then=turn.top)
        return
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
    where: dict[str, Any] = {"program": program.id, "track": track.id, "office": office.id if office else None}
    softened = [r.requirement.id for r in softened_failures(verdict)]
    if softened:
        where["softened"] = softened
    turn.effects.append(NotifyStaff("new_submission", reference, where))
    state.draft = None
    turn.go(
        Step.DONE,
        fresh=True,
        reference=reference,
        program=program.id,
        track=track.id,
        sector=draft.sector,
        draft=draft_args(draft),
    )


def refused_screen(turn: Turn, args: Args) -> None:
    """Why the application cannot be sent (each firm requirement failed, with its clause) and what fits instead."""
    program, track = turn.need_track()
    apply.draft(turn)
    if not firm_failures(assess(program, track, turn.state.facts, turn.content.facts)):
        raise Unavailable("nothing stops the submission now")
    rows: Rows = [
        [B("Change an answer", EditFacts)],
        [B("Which program fits me?", Open, item=MenuItem.FIND), B("Contacts", Topic, intent=Intent.CONTACT)],
        [B("Back", Back), B("Main menu", Home)],
    ]
    turn.show("@submit_refused", rows, program=program.id, track=track.id, facts=dict(turn.state.facts))


def on_edit_after_refusal(turn: Turn, press: EditFacts) -> None:
    """The answer changed from the refusal leads back to the review, where confirm checks the new answers
    again (Back from the list of answers still shows the refusal, the screen before it)."""
    trail = turn.state.trail
    review = trail[-2] if len(trail) >= 2 and trail[-2]["step"] == Step.REVIEW else None
    if review is None:
        questions.edit_facts(turn, press)
        return
    turn.go(Step.EDIT_FACTS, then=review)


def already_submitted_screen(turn: Turn, args: Args) -> None:
    """The submission already made to this track, instead of a second one: its reference and status, and
    the way to add to it (sending documents is open while staff wait for the applicant)."""
    program, track = turn.need_track()
    earlier = earlier_submission(turn.ctx.submissions, program.id, track.id)
    if earlier is None:
        raise Unavailable("no earlier submission")
    rows: Rows = []
    if earlier.status in AWAITING_APPLICANT:
        rows.append([B("Send documents", Notice, action=NoticeAction.AMEND, reference=earlier.reference)])
    rows += [
        [B("My submissions", Open, item=MenuItem.MINE), B("Contacts", Topic, intent=Intent.CONTACT)],
        [B("Back", Back), B("Main menu", Home)],
    ]
    turn.show(
        "@already_submitted",
        rows,
        program=program.id,
        track=track.id,
        reference=earlier.reference,
        status=earlier.status,
    )


def done_screen(turn: Turn, args: Args) -> None:
    rows: Rows = [[B("My submissions", Open, item=MenuItem.MINE)], [B("Main menu", Home)]]
    turn.show(
        "@receipt",
        rows,
        reference=arg(args, "reference"),
        program=arg(args, "program"),
        track=args.get("track"),
        sector=args.get("sector"),
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
            instead=document_gone,
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
                    Step.SUBMIT_REFUSED,
                    Step.ALREADY_SUBMITTED,
                }
            ),
        ),
        StepSpec(
            Step.SUBMIT_REFUSED,
            refused_screen,
            buttons={EditFacts: on_edit_after_refusal, Topic: info.on_topic},
            back=Step.REVIEW,
            goes_to=frozenset({Step.EDIT_FACTS, Step.TOPIC}),
        ),
        StepSpec(
            Step.ALREADY_SUBMITTED,
            already_submitted_screen,
            buttons={Topic: info.on_topic},
            goes_to=frozenset({Step.TOPIC}),
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
