"""Applying, first part: is the round open, a few questions if needed, then the contact details.

The documents, the review and the submission itself are in :mod:`dialogs.flows.submit`.
A contact step shown as a detour from the review (``then`` in its trail entry)
returns there once answered.
"""

from __future__ import annotations

from functools import partial

from dialogs import input_phones, input_words
from dialogs.eligibility import Verdict, assess
from dialogs.events import Subscribe
from dialogs.flows import check, info, questions, submit
from dialogs.flows.buttons import Back, Home, Intent, MenuItem, Notify, Open, Sector, Topic
from dialogs.flows.model import Args, Step, StepSpec, Unavailable
from dialogs.flows.turn import B, Rows, Turn, content_button
from dialogs.i18n import N_
from dialogs.matcher import next_question
from dialogs.routing import needs_sector
from dialogs.schedule import is_open
from dialogs.state import Draft
from dialogs.submission_checks import earlier_submission, firm_unknown

MAX_NAME = 50
MAX_EMPLOYER = 100

#: The contact steps, what each asks, and the draft field it fills.
CONTACTS: dict[Step, tuple[str, str]] = {
    Step.CONTACT_NAME: (N_("Your full name, as on your ID card?"), "name"),
    Step.CONTACT_PHONE: (
        N_(
            "Your phone number? A mobile number, a landline with its area code, or a number abroad with its country code."
        ),
        "phone",
    ),
    Step.CONTACT_EMPLOYER: (N_("The name of your employer (your unit)?"), "employer"),
}
#: What collecting contact details may show next.
CONTACT_ONWARD = frozenset({*CONTACTS, Step.CONTACT_SECTOR, Step.DOCUMENTS, Step.REVIEW})
#: Where the applicant may be once the questions are done.
AFTER_QUESTIONS = frozenset({Step.INELIGIBLE}) | CONTACT_ONWARD
#: Where starting an application may lead.
STARTS = frozenset({Step.CLOSED, Step.QUESTION, Step.ALREADY_SUBMITTED}) | AFTER_QUESTIONS


def start_application(turn: Turn) -> None:
    state = turn.state
    program, track = turn.need_track()
    if not is_open(program, track, turn.now):
        turn.go(Step.CLOSED)
        return
    if earlier_submission(turn.ctx.submissions, program.id, track.id) is not None:
        turn.go(Step.ALREADY_SUBMITTED)  # one track takes one submission: point to it before any question
        return
    draft = state.draft
    if draft is None or draft.amends is not None or (draft.program, draft.track) != (program.id, track.id):
        state.drafts_started += 1
        state.draft = Draft(key=f"{turn.ctx.user}:{state.drafts_started}", program=program.id, track=track.id)
    verdict = assess(program, track, state.facts, turn.content.facts).verdict
    if verdict is Verdict.UNDETERMINED and next_question([(program, track)], state.facts, turn.content, state.skipped):
        turn.say("First, a few questions about your eligibility for {program}.", program=info.program_ref(program))
        questions.ask_next(turn)
        return
    after_questions(turn)


def after_questions(turn: Turn) -> None:
    program, track = turn.need_track()
    verdict = assess(program, track, turn.state.facts, turn.content.facts)
    if verdict.verdict is Verdict.INELIGIBLE and not check.only_softened_failures(verdict):
        turn.go(Step.INELIGIBLE)
        return
    unknown = firm_unknown(verdict, turn.state.skipped) if verdict.verdict is Verdict.INELIGIBLE else None
    if unknown is not None:
        turn.go(Step.QUESTION, fact=unknown, number=len(turn.state.asked) + 1)
    else:
        ask_contact(turn)


def ineligible_screen(turn: Turn, args: Args) -> None:
    program, track = turn.need_track()
    rows: Rows = [
        [B("Which program fits me?", Open, item=MenuItem.FIND), B("Contacts", Topic, intent=Intent.CONTACT)],
        [B("Main menu", Home)],
    ]
    turn.show("@verdict", rows, program=program.id, track=track.id, facts=dict(turn.state.facts))
    turn.say("You cannot apply for this track: a requirement is not met (see above).")
    turn.show("@fitting_tracks", program=program.id, track=track.id, facts=dict(turn.state.facts))


def closed_screen(turn: Turn, args: Args) -> None:
    program, track = turn.need_track()
    rows: Rows = [[B("Tell me when the next round opens", Notify)], [B("Main menu", Home)]]
    turn.show("@closed", rows, program=program.id, track=track.id)


def on_notify(turn: Turn, _press: Notify) -> None:
    turn.effects.append(Subscribe(turn.need_program().id))
    turn.go(Step.SUBSCRIBED)


def subscribed_screen(turn: Turn, args: Args) -> None:
    program = turn.need_program()
    onward = [[B("Main menu", Home)]]
    turn.say("I will tell you when {program} opens its next round.", onward, program=info.program_ref(program))


# ---- contact details


def draft(turn: Turn) -> Draft:
    if turn.state.draft is None:
        raise Unavailable("no draft")
    return turn.state.draft


def ask_contact(turn: Turn) -> None:
    """The first contact detail still missing, the field of work where it decides the office, then documents."""
    current = draft(turn)
    for step, (_key, name) in CONTACTS.items():
        if not getattr(current, name):
            turn.go(step)
            return
    program, track = turn.need_track()
    if needs_sector(program, track.id) and not current.sector:
        turn.go(Step.CONTACT_SECTOR)
        return
    submit.collect_documents(turn)


def contact_screen(step: Step, turn: Turn, args: Args) -> None:
    draft(turn)
    key, _name = CONTACTS[step]
    nav = [[B("Back", Back), B("Main menu", Home)]]
    turn.say(key, nav)


def on_contact_text(step: Step, turn: Turn, text: str) -> None:
    _key, name = CONTACTS[step]
    if step is Step.CONTACT_PHONE:
        parsed = input_phones.parse_phone(text)
    else:
        parsed = input_words.check_text(text, max_len=MAX_NAME if step is Step.CONTACT_NAME else MAX_EMPLOYER)
    if parsed.error is not None:
        turn.refuse(parsed.error)
        turn.redraw()
        return
    setattr(draft(turn), name, parsed.value)
    onward(turn)


def onward(turn: Turn) -> None:
    """Back to where a detour began (the review), else the next missing detail."""
    then = (turn.top or {}).get("args", {}).get("then")
    if then:
        turn.again(then)
    else:
        ask_contact(turn)


def undo_contact(step: Step, turn: Turn, args: Args) -> None:
    """Back to a contact question: the answer is taken back, to be typed again."""
    if turn.state.draft is not None:
        setattr(turn.state.draft, CONTACTS[step][1], None)


def sector_screen(turn: Turn, args: Args) -> None:
    draft(turn)
    program = turn.need_program()
    rows: Rows = [
        [content_button("@sector_label", {"program": program.id, "sector": s.id}, Sector, sector=s.id)]
        for s in program.sectors
    ]
    rows.append([B("Back", Back), B("Main menu", Home)])
    turn.say("Which field do you work in? It decides which office reviews your application.", rows)


def on_sector(turn: Turn, press: Sector) -> None:
    if press.sector not in {s.id for s in turn.need_program().sectors}:
        turn.redraw()
        return
    draft(turn).sector = press.sector
    onward(turn)


def undo_sector(turn: Turn, args: Args) -> None:
    if turn.state.draft is not None:
        turn.state.draft.sector = None


def specs() -> tuple[StepSpec, ...]:
    contacts = tuple(
        StepSpec(
            step,
            partial(contact_screen, step),
            text=partial(on_contact_text, step),
            undo=partial(undo_contact, step),
            goes_to=CONTACT_ONWARD,
        )
        for step in CONTACTS
    )
    return (
        *contacts,
        StepSpec(
            Step.CONTACT_SECTOR,
            sector_screen,
            buttons={Sector: on_sector},
            undo=undo_sector,
            goes_to=CONTACT_ONWARD,
        ),
        StepSpec(Step.INELIGIBLE, ineligible_screen, buttons={Topic: info.on_topic}, goes_to=frozenset({Step.TOPIC})),
        StepSpec(Step.CLOSED, closed_screen, buttons={Notify: on_notify}, goes_to=frozenset({Step.SUBSCRIBED})),
        StepSpec(Step.SUBSCRIBED, subscribed_screen),
    )
