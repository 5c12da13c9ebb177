"""The conversation engine: (state, event, content, now) → (new state, replies, effects).

Pure: it reads no clock, no database and no channel. Replies are message keys
with arguments (rendered by :mod:`dialogs.render` in the reader's language);
effects are what storage commits together with the new state.

Buttons carry ``"<menu>:<action>[:<arg>]"``. ``menu`` is the number of the
message that showed them; a press on an older message gets "this menu has
expired" and the current screen again, never an error.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from dialogs import inputs
from dialogs.answers import read
from dialogs.documents import check_document, too_large
from dialogs.eligibility import Verdict, assess
from dialogs.events import (
    AWAITING_APPLICANT,
    AmendSubmission,
    Button,
    ChoiceEvent,
    CommandEvent,
    CreateSubmission,
    Effect,
    Event,
    FileEvent,
    FilesEvent,
    ForgetApplicant,
    ForwardQuestion,
    NotifyStaff,
    Reply,
    SetLanguage,
    StoredDocument,
    StoreFile,
    Subscribe,
)
from dialogs.i18n import LANGUAGE_NAMES, N_, NOTICE_ZONE
from dialogs.loader import Content
from dialogs.matcher import next_question
from dialogs.routing import needs_sector, question_office, reviewing_office
from dialogs.schedule import is_open
from dialogs.schema import Document, FactDef, Program, Track, applies_to
from dialogs.state import Draft, State

LANGUAGES = ("zh", "en", "ug")
MAX_NAME = 50
MAX_EMPLOYER = 100
MAX_QUESTION = 500
INFO_INTENTS = ("deadline", "contact", "documents", "benefit", "quota", "apply", "eligibility")
#: File kinds a checklist item takes.
ACCEPTED_KINDS = frozenset({"pdf", "jpeg", "png", "docx", "xlsx"})
#: The checklist item for a document staff asked for that is not on the program's list.
OTHER_ITEM = "other"

#: The commands a channel registers (Telegram's setMyCommands), with their descriptions.
MENU_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Main menu")),
    ("help", N_("What I can do")),
    ("programs", N_("Programs: deadlines, contacts, documents")),
    ("check", N_("Check my eligibility")),
    ("apply", N_("Apply with my documents")),
    ("status", N_("My submissions")),
    ("language", N_("Language")),
    ("cancel", N_("Stop what I am doing")),
    ("delete_my_data", N_("Delete my data")),
)


@dataclass(frozen=True)
class SubmissionView:
    """What "my submissions" shows of one submission (read from storage by the edge)."""

    reference: str
    program: str
    track: str | None
    status: str
    created_at: dt.datetime
    comment: str | None = None


@dataclass(frozen=True)
class QuestionView:
    """A question the applicant passed on to staff, with staff's answer once there is one
    (read from storage by the edge): the terminal has no other place to show the answer."""

    text: str
    program: str | None
    office: str | None
    asked_at: dt.datetime
    answer: str | None = None
    answered_at: dt.datetime | None = None


@dataclass(frozen=True)
class Context:
    #: A stable id of the applicant on its channel, e.g. ``local:default`` or ``tg:12345``.
    user: str
    submissions: tuple[SubmissionView, ...] = ()
    #: The applicant's questions to staff, newest first.
    questions: tuple[QuestionView, ...] = ()
    #: A fresh random reference the edge drew for this event, given to a submission if the event
    #: confirms one (the engine draws no randomness itself). Empty: storage draws one.
    reference: str = ""


@dataclass
class Outcome:
    state: State
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)


class _Turn:
    """One event being handled: the working copy of the state and what it produces."""

    def __init__(self, state: State, content: Content, now: dt.datetime, ctx: Context):
        self.state = copy.deepcopy(state)
        self.content = content
        self.now = now
        self.ctx = ctx
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []
        self._bumped = False

    # ---- output helpers

    def say(
        self, key: str, buttons: list[list[Button]] | None = None, *, expects: str | None = None, **args: Any
    ) -> None:
        if buttons:
            if not self._bumped:
                self.state.menu += 1
                self._bumped = True
            buttons = [[_stamp(b, self.state.menu) for b in row] for row in buttons]
        self.replies.append(Reply(key, args, tuple(tuple(row) for row in (buttons or [])), expects))

    def refuse(self, refusal: inputs.Refusal) -> None:
        """Why an answer was not taken: the refusal's message, with its arguments."""
        self.replies.append(Reply(refusal.key, dict(refusal.args)))

    def say_n(self, singular: str, plural: str, count: int, **args: Any) -> None:
        """A message with a number in it, in the plural form the reader's language uses for ``count``."""
        self.replies.append(Reply(singular, {**args, "count": count}, (), None, plural))

    def show(
        self, composer: str, buttons: list[list[Button]] | None = None, *, expects: str | None = None, **args: Any
    ) -> None:
        """A composed reply (``@name``, built by :mod:`dialogs.render` from the content), not a catalog message."""
        self.say(composer, buttons, expects=expects, **args)

    def program(self) -> Program | None:
        if self.state.program is None:
            return None
        try:
            return self.content.program(self.state.program)
        except KeyError:
            return None

    def track(self) -> Track | None:
        program = self.program()
        if program is None or not self.state.track_chosen:
            return None
        for track in program.tracks:
            if track.id == self.state.track:
                return track
        return None


def _stamp(button: Button, menu: int) -> Button:
    return Button(button.label, f"{menu}:{button.data}", button.args, button.literal)


def B(label: str, data: str, **args: Any) -> Button:  # noqa: N802 - reads like a constructor
    return Button(label, data, args)


def literal(text: str, data: str) -> Button:
    return Button(text, data, {}, literal=True)


NAV = [B("Back", "back"), B("Main menu", "menu")]


# --------------------------------------------------------------------------- entry point


def handle(state: State, event: Event, content: Content, now: dt.datetime, ctx: Context) -> Outcome:
    turn = _Turn(state, content, now, ctx)
    if turn.state.content_version != content.version:
        _content_changed(turn)
    if isinstance(event, CommandEvent):
        _command(turn, event.name.lower().lstrip("/"), event.args)
    elif isinstance(event, ChoiceEvent):
        _choice(turn, event.data)
    elif isinstance(event, FileEvent):
        _files(turn, (event,))
    elif isinstance(event, FilesEvent):
        _files(turn, event.files)
    else:
        _text(turn, event.text)
    return Outcome(turn.state, turn.replies, turn.effects)


def _content_changed(turn: _Turn) -> None:
    """After admins publish new content, ids from the old version may be gone: keep what still exists."""
    state = turn.state
    state.content_version = turn.content.version
    if state.program is not None and turn.program() is None:
        state.program, state.track, state.track_chosen = None, None, False
        state.step, state.flow, state.draft = "menu", None, None
    state.facts = {k: v for k, v in state.facts.items() if k in turn.content.facts}


# --------------------------------------------------------------------------- screens


def show_menu(turn: _Turn, *, languages: bool = False) -> None:
    """The main menu; ``languages`` adds a row to switch language in one tap (the first start)."""
    state = turn.state
    state.step, state.flow, state.question, state.return_to_review = "menu", None, None, False
    rows = [
        [B("Which program fits me?", "find")],
        [B("Am I eligible for a program?", "check")],
        [B("Deadlines, contacts and documents", "info")],
        [B("Apply", "apply"), B("My submissions", "mine")],
        [B("Language", "lang"), B("Help", "help")],
    ]
    if languages:
        rows.append(_language_row())
    turn.say("What would you like to do?", rows)


def show_help(turn: _Turn) -> None:
    turn.show("@help", [[B("Main menu", "menu")]])


def _language_row() -> list[Button]:
    return [literal(LANGUAGE_NAMES[lang], f"l:{lang}") for lang in LANGUAGES]


def show_languages(turn: _Turn) -> None:
    turn.say("Choose your language.", [_language_row()])


def pick_program(turn: _Turn, flow: str) -> None:
    state = turn.state
    state.flow, state.step = flow, "pick_program"
    rows = [[Button("@program_title", f"p:{p.id}", {"program": p.id})] for p in turn.content.programs]
    turn.say("Which program?", rows + [NAV])


def pick_track(turn: _Turn) -> None:
    program = turn.program()
    assert program is not None
    state = turn.state
    if len(program.tracks) == 1:
        state.track, state.track_chosen = program.tracks[0].id, True
        _after_track(turn)
        return
    state.step = "pick_track"
    rows = [[Button("@track_title", f"t:{t.id}", {"program": program.id, "track": t.id})] for t in program.tracks]
    turn.say("Which track of {program}?", rows + [NAV], program=_program_ref(program))


def _program_ref(program: Program) -> dict[str, str]:
    return {"@content": "program", "id": program.id}


def _after_track(turn: _Turn) -> None:
    flow = turn.state.flow
    if flow == "apply":
        start_application(turn)
    elif flow == "info":
        show_info(turn)
    else:
        ask_next(turn)


def show_info(turn: _Turn) -> None:
    program = turn.program()
    assert program is not None
    turn.state.step = "info"
    rows = [
        [B("Deadlines", "i:deadline"), B("Contacts", "i:contact")],
        [B("Documents", "i:documents"), B("Benefits", "i:benefit")],
        [B("How to apply", "i:apply"), B("Quotas", "i:quota")],
        [B("Requirements", "i:eligibility")],
        [B("Check my eligibility", "check_here"), B("Apply", "apply_here")],
        NAV,
    ]
    turn.say("What would you like to know about {program}?", rows, program=_program_ref(program))


def _pairs(turn: _Turn) -> list[tuple[Program, Track]]:
    """The tracks the current flow decides: all of them when finding a program, else the chosen one."""
    if turn.state.flow == "find":
        return turn.content.tracks()
    program, track = turn.program(), turn.track()
    return [(program, track)] if program and track else []


def ask_next(turn: _Turn) -> None:
    state = turn.state
    fact_id = next_question(_pairs(turn), state.facts, turn.content, state.skipped)
    if fact_id is None:
        finish_questions(turn)
        return
    ask_fact(turn, fact_id)


def ask_fact(turn: _Turn, fact_id: str) -> None:
    state = turn.state
    state.step, state.question = "question", fact_id
    fact = turn.content.facts[fact_id]
    kind = fact.kind
    answers = [Button("@value_label", f"v:{token}", {"fact": fact_id, "value": v}) for token, v in kind.buttons(fact)]
    rows = [answers[i : i + kind.row_width] for i in range(0, len(answers), kind.row_width)]
    rows.append([B("I don't know", "skip")])
    rows.append(NAV)
    hint = kind.hint(fact)
    turn.show("@question", rows, expects=kind.expects, fact=fact_id, hint=hint, asked=len(state.asked) + 1)


def finish_questions(turn: _Turn) -> None:
    state = turn.state
    state.question = None
    if state.flow == "find":
        state.step = "result"
        turn.show(
            "@ranking", [[B("Check one program in detail", "check")], [B("Main menu", "menu")]], facts=dict(state.facts)
        )
        return
    program, track = turn.program(), turn.track()
    assert program is not None and track is not None
    verdict = assess(program, track, state.facts, turn.content.facts)
    if state.flow == "apply":
        if verdict.verdict is Verdict.INELIGIBLE and not _only_softened_failures(verdict):
            state.step = "result"
            turn.show(
                "@verdict",
                [[B("Contacts", "i:contact")], [B("Main menu", "menu")]],
                program=program.id,
                track=track.id,
                facts=dict(state.facts),
            )
            turn.say("You cannot apply for this track: a requirement is not met (see above).")
            return
        ask_contact(turn)
        return
    state.step = "result"
    rows = []
    if verdict.verdict is not Verdict.INELIGIBLE or _only_softened_failures(verdict):
        rows.append([B("Apply", "apply_here")])
    rows += [
        [B("Deadlines", "i:deadline"), B("Contacts", "i:contact")],
        [B("Change an answer", "edit_facts")],
        [B("Main menu", "menu")],
    ]
    turn.show("@verdict", rows, program=program.id, track=track.id, facts=dict(state.facts))


def _only_softened_failures(assessment: Any) -> bool:
    failed = [r for r in assessment.reasons if r.met is False]
    return bool(failed) and all(r.requirement.softened is not None for r in failed)


# --------------------------------------------------------------------------- applying


def checklist(program: Program, track: Track) -> list[Document]:
    """The documents a submission gathers: the applicant's own (required) and their unit's (optional:
    the applicant may forward them, or leave them for the unit to send)."""
    return [d for d in program.documents if applies_to(d.tracks, track.id) and d.provided_by in ("applicant", "unit")]


def start_application(turn: _Turn) -> None:
    state = turn.state
    program, track = turn.program(), turn.track()
    assert program is not None and track is not None
    if not is_open(program, track, turn.now):
        state.step = "result"
        turn.show(
            "@closed",
            [[B("Tell me when the next round opens", "notify")], [B("Main menu", "menu")]],
            program=program.id,
            track=track.id,
        )
        return
    draft = state.draft
    if draft is None or draft.amends is not None or (draft.program, draft.track) != (program.id, track.id):
        state.drafts_started += 1
        state.draft = Draft(key=f"{turn.ctx.user}:{state.drafts_started}", program=program.id, track=track.id)
    verdict = assess(program, track, state.facts, turn.content.facts).verdict
    if verdict is Verdict.UNDETERMINED and next_question([(program, track)], state.facts, turn.content, state.skipped):
        turn.say("First, a few questions about your eligibility for {program}.", program=_program_ref(program))
        ask_next(turn)
        return
    finish_questions(turn)


def ask_contact(turn: _Turn) -> None:
    draft = turn.state.draft
    assert draft is not None
    for step, value in (
        ("contact_name", draft.name),
        ("contact_phone", draft.phone),
        ("contact_employer", draft.employer),
    ):
        if not value:
            turn.state.step = step
            key = {
                "contact_name": N_("Your full name, as on your ID card?"),
                "contact_phone": N_("Your phone number? A mobile number, or a landline with its area code."),
                "contact_employer": N_("The name of your employer (your unit)?"),
            }[step]
            turn.say(key, [NAV])
            return
    program, track = turn.program(), turn.track()
    if program is not None and track is not None and needs_sector(program, track.id) and not draft.sector:
        turn.state.step = "contact_sector"
        rows = [
            [Button("@sector_label", f"sec:{s.id}", {"program": program.id, "sector": s.id})] for s in program.sectors
        ]
        turn.say("Which field do you work in? It decides which office reviews your application.", rows + [NAV])
        return
    collect_documents(turn)


def collect_documents(turn: _Turn, item: str | None = None) -> None:
    state = turn.state
    draft = state.draft
    program, track = turn.program(), turn.track()
    assert draft is not None and program is not None and track is not None
    items = checklist(program, track)
    if item is None:
        item = next((d.id for d in items if not draft.documents.get(d.id) and d.id not in draft.skipped_items), None)
    if item is None:
        show_review(turn)
        return
    draft.item, state.step = item, "documents"
    received = len(draft.documents.get(item, []))
    rows = [[B("Done with this document", "next")]] if received else []
    if not received and next(d for d in items if d.id == item).provided_by != "applicant":
        rows.append([B("Skip: my unit sends this one", "skip_doc")])
    rows.append(NAV)
    turn.show(
        "@document_request",
        rows,
        program=program.id,
        item=item,
        received=received,
        position=[d.id for d in items].index(item) + 1,
        total=len(items),
    )


def show_review(turn: _Turn) -> None:
    state = turn.state
    draft = state.draft
    program, track = turn.program(), turn.track()
    assert draft is not None and program is not None and track is not None
    state.step, state.return_to_review = "review", False
    draft.item = None
    rows = [
        [B("Confirm and submit", "confirm")],
        [B("Change name", "edit:name"), B("Change phone", "edit:phone"), B("Change employer", "edit:employer")],
        [B("Change an answer", "edit_facts")],
    ]
    rows += [
        [Button("@replace_document", f"doc:{d.id}", {"program": program.id, "item": d.id})]
        for d in checklist(program, track)
    ]
    rows.append([B("Cancel the application", "cancel")])
    turn.show("@review", rows, program=program.id, track=track.id, draft=_draft_args(draft), facts=dict(state.facts))


def _draft_args(draft: Draft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "phone": draft.phone,
        "employer": draft.employer,
        "documents": copy.deepcopy(draft.documents),
    }


def confirm(turn: _Turn) -> None:
    state = turn.state
    draft = state.draft
    program, track = turn.program(), turn.track()
    assert draft is not None and program is not None and track is not None
    if not is_open(program, track, turn.now):
        turn.show("@closed", [[B("Main menu", "menu")]], program=program.id, track=track.id)
        return
    verdict = assess(program, track, state.facts, turn.content.facts)
    # Random, from the edge: a reference made from the person and a counter could be computed by
    # anyone and came back after a deletion. A replayed confirm is still one submission (``key``).
    reference = turn.ctx.reference
    documents = _stored(draft)
    turn.effects.append(
        CreateSubmission(
            key=draft.key,
            reference=reference,
            program=program.id,
            track=track.id,
            applicant={
                "name": draft.name or "",
                "phone": draft.phone or "",
                "employer": draft.employer or "",
                "lang": state.lang,
                **({"sector": draft.sector} if draft.sector else {}),
            },
            facts=dict(state.facts),
            verdict=verdict.verdict.value,
            documents=documents,
        )
    )
    office = reviewing_office(program, track.id, draft.sector)
    turn.effects.append(
        NotifyStaff(
            "new_submission",
            reference,
            {"program": program.id, "track": track.id, "office": office.id if office else None},
        )
    )
    state.draft = None
    state.step = "done"
    turn.show(
        "@receipt",
        [[B("My submissions", "mine")], [B("Main menu", "menu")]],
        reference=reference,
        program=program.id,
        track=track.id,
        draft=_draft_args(draft),
    )


# --------------------------------------------------------------------------- events


def _command(turn: _Turn, name: str, args: str) -> None:
    state = turn.state
    if name in ("start", "menu"):
        if name == "start" and state.menu == 0:
            # The first start: the language was guessed from the app (or is the default); the menu
            # offers the others at once, under the usual rows.
            turn.show("@welcome")
            show_menu(turn, languages=True)
            return
        show_menu(turn)
    elif name == "resume":
        turn.say("Welcome back. We continue where you left off.")
        redisplay(turn)
    elif name == "help":
        show_help(turn)
    elif name == "cancel":
        state.draft = None
        turn.say("Cancelled.")
        show_menu(turn)
    elif name == "back":
        go_back(turn)
    elif name == "language":
        show_languages(turn)
    elif name in ("programs", "info"):
        pick_program(turn, "info")
    elif name == "find":
        _start_find(turn)
    elif name == "check":
        pick_program(turn, "check")
    elif name == "apply":
        pick_program(turn, "apply")
    elif name in ("status", "mine"):
        show_submissions(turn)
    elif name == "edit":
        edit_facts(turn)
    elif name in ("delete_my_data", "forget"):
        ask_forget(turn)
    else:
        turn.say("Unknown command /{name}. Here is the menu.", name=name)
        show_menu(turn)


def _start_find(turn: _Turn) -> None:
    state = turn.state
    state.flow, state.skipped = "find", []
    state.program, state.track, state.track_chosen = None, None, False
    ask_next(turn)


def _choice(turn: _Turn, data: str) -> None:
    state = turn.state
    menu, _, rest = data.partition(":")
    if menu == "x":
        _global_action(turn, rest)
        return
    if not menu.isdigit() or int(menu) != state.menu:
        turn.say("This menu has expired. Here is the current one.")
        redisplay(turn)
        return
    action, _, arg = rest.partition(":")
    handler = _ACTIONS.get(action)
    if handler is None:
        turn.say("This menu has expired. Here is the current one.")
        redisplay(turn)
        return
    handler(turn, arg)


def redisplay(turn: _Turn) -> None:
    """Show the current step again (after an expired button, or a message that did not fit it)."""
    state = turn.state
    step = state.step
    if step == "question" and state.question:
        ask_fact(turn, state.question)
    elif step == "pick_program":
        pick_program(turn, state.flow or "info")
    elif step == "pick_track" and turn.program():
        pick_track(turn)
    elif step == "info" and turn.program():
        show_info(turn)
    elif step.startswith("contact_") and state.draft:
        ask_contact(turn)
    elif step == "documents" and state.draft:
        collect_documents(turn, state.draft.item)
    elif step == "review" and state.draft:
        show_review(turn)
    elif step == "amend" and state.draft and state.draft.amends:
        show_amend(turn)
    elif step == "amend_documents" and state.draft and state.draft.item:
        collect_amend(turn)
    elif step == "forget":
        ask_forget(turn)
    else:
        show_menu(turn)


def go_back(turn: _Turn) -> None:
    state = turn.state
    if state.step == "question" and state.asked:
        last = state.asked.pop()
        state.facts.pop(last, None)
        ask_fact(turn, last)
    elif state.step == "question" and state.flow in ("check", "apply") and (program := turn.program()):
        pick_track(turn) if len(program.tracks) > 1 else pick_program(turn, state.flow)
    elif state.step == "pick_track":
        pick_program(turn, state.flow or "info")
    elif state.step == "info" and turn.program():
        pick_program(turn, "info")
    elif state.step == "contact_phone" and state.draft:
        state.draft.name = None
        ask_contact(turn)
    elif state.step == "contact_employer" and state.draft:
        state.draft.phone = None
        ask_contact(turn)
    elif state.step == "contact_sector" and state.draft:
        state.draft.employer = None
        ask_contact(turn)
    elif state.step == "amend_documents" and state.draft and state.draft.amends:
        show_amend(turn)
    elif state.step == "documents" and state.draft:
        program, track = turn.program(), turn.track()
        items = [d.id for d in checklist(program, track)] if program and track else []
        position = items.index(state.draft.item) if state.draft.item in items else 0
        if position > 0:
            collect_documents(turn, items[position - 1])
        else:
            if program and track and needs_sector(program, track.id):
                state.draft.sector = None
            else:
                state.draft.employer = None
            ask_contact(turn)
    else:
        show_menu(turn)


def edit_facts(turn: _Turn) -> None:
    state = turn.state
    answered = [f for f in state.facts if f in turn.content.facts]
    if not answered:
        turn.say("You have not answered any question yet.")
        redisplay(turn)
        return
    state.return_to_review = state.step == "review"
    rows = [[Button("@fact_answer", f"f:{f}", {"fact": f, "value": state.facts[f]})] for f in answered]
    state.step = "edit_facts"
    turn.say("Which answer do you want to change?", rows + [NAV])


def show_submissions(turn: _Turn) -> None:
    turn.state.step = "menu"
    turn.show(
        "@submissions",
        [[B("Main menu", "menu")]],
        submissions=[s.__dict__ for s in turn.ctx.submissions],
        questions=[q.__dict__ for q in turn.ctx.questions],
    )


def _answer_question(turn: _Turn, value: Any) -> None:
    state = turn.state
    fact_id = state.question
    assert fact_id is not None
    state.facts[fact_id] = value
    if fact_id in state.asked:
        state.asked.remove(fact_id)
    state.asked.append(fact_id)
    if fact_id in state.skipped:
        state.skipped.remove(fact_id)
    if state.return_to_review and state.draft is not None:
        show_review(turn)
        return
    ask_next(turn)


def _text(turn: _Turn, text: str) -> None:
    state = turn.state
    step = state.step
    if step == "question" and state.question:
        fact = turn.content.facts[state.question]
        parsed = parse_answer(fact, text, turn)
        if parsed.error is not None:
            turn.refuse(parsed.error)
            ask_fact(turn, state.question)
            return
        _answer_question(turn, parsed.value)
        return
    if step.startswith("contact_") and state.draft is not None:
        _contact_text(turn, step, text)
        return
    if step in ("documents", "amend_documents"):
        turn.say("Please send the document as a file or photo, or use the buttons.")
        redisplay(turn)
        return
    checked = inputs.check_text(text, max_len=MAX_QUESTION)
    if checked.error is not None:
        turn.refuse(checked.error)
        return
    assert checked.value is not None  # a Parsed without an error holds its value
    answer_free_question(turn, checked.value, state.program or state.free_question_program)


def answer_free_question(turn: _Turn, question: str, program_id: str | None, *, chosen: bool = False) -> None:
    """Answer a typed question; when it fits several programs, a button per program asks which one;
    when nothing matched well, "Ask staff" passes it on to people."""
    state = turn.state
    reading = read(question, turn.content, program_id, chosen=chosen)
    state.free_question = question
    state.free_question_program = reading.program or program_id
    rows: list[list[Button]] = [[Button("@program_title", f"aq:{p}", {"program": p})] for p in reading.choices]
    if reading.program is not None and reading.intent in INFO_INTENTS:
        rows.append([B("More about this program", f"aq_more:{reading.program}")])
    if not reading.sure:
        rows.append([B("Ask staff", "ask_staff")])
    rows.append([B("Main menu", "menu")])
    turn.show("@answer", rows, question=question, program=program_id, chosen=chosen)


def _contact_text(turn: _Turn, step: str, text: str) -> None:
    draft = turn.state.draft
    assert draft is not None
    if step == "contact_phone":
        parsed = inputs.parse_phone(text)
    else:
        parsed = inputs.check_text(text, max_len=MAX_NAME if step == "contact_name" else MAX_EMPLOYER)
    if parsed.error is not None:
        turn.refuse(parsed.error)
        ask_contact(turn)
        return
    setattr(draft, step.removeprefix("contact_"), parsed.value)
    if turn.state.return_to_review:
        show_review(turn)
    else:
        ask_contact(turn)


def parse_answer(fact: FactDef, text: str, turn: _Turn) -> inputs.Parsed[Any]:
    """Read a typed answer to a fact's question the way its kind reads one, on today's date in Beijing."""
    today = turn.now.astimezone(ZoneInfo(NOTICE_ZONE)).date()
    return fact.kind.parse(fact, text, lang=turn.state.lang, today=today)


def _files(turn: _Turn, events: tuple[FileEvent, ...]) -> None:
    """One file, or an album taken as one answer: every file is checked, the good ones kept, one reply."""
    state = turn.state
    draft = state.draft
    program, track = turn.program(), turn.track()
    if (
        state.step not in ("documents", "amend_documents")
        or draft is None
        or draft.item is None
        or program is None
        or track is None
    ):
        turn.say("I was not expecting a file now.")
        redisplay(turn)
        return
    already = {d["sha256"] for docs in draft.documents.values() for d in docs}
    received: list[str] = []
    for event in events:
        refusal = too_large(event.size)
        if refusal is None:
            result = check_document(event.content, declared_name=event.name, accepted=ACCEPTED_KINDS, already=already)
            refusal = result.error
        if refusal is not None:
            if len(events) > 1:
                turn.say("{name}:", name=event.name[:200])
            turn.refuse(refusal)
            continue
        already.add(result.sha256)
        stored_name = f"{result.sha256}{result.suffix}"
        turn.effects.append(StoreFile(stored_name, event.content))
        draft.documents.setdefault(draft.item, []).append(
            {
                "stored_name": stored_name,
                "original_name": event.name[:200],
                "mime": result.mime,
                "size": result.size,
                "sha256": result.sha256,
            }
        )
        received.append(event.name[:200])
    if len(received) == 1:
        turn.say("Received {name}.", name=received[0])
    elif received:
        turn.say_n("Received {count} file: {names}.", "Received {count} files: {names}.", len(received), names=received)
    if state.step == "amend_documents":
        collect_amend(turn)
    else:
        collect_documents(turn, draft.item)


# --------------------------------------------------------------------------- sending documents again


def _awaiting(turn: _Turn, reference: str) -> SubmissionView | None:
    return next((s for s in turn.ctx.submissions if s.reference == reference and s.status in AWAITING_APPLICANT), None)


def _amend_items(program: Program, track: Track) -> list[str]:
    return [d.id for d in checklist(program, track)] + [OTHER_ITEM]


def start_amend(turn: _Turn, reference: str) -> None:
    """Staff returned the submission or asked for a document: collect what the applicant sends now."""
    state = turn.state
    view = _awaiting(turn, reference)
    if view is None:
        turn.say("Submission {reference} is not waiting for documents from you.", reference=reference)
        show_submissions(turn)
        return
    try:
        program = turn.content.program(view.program)
        program.track(view.track)
    except KeyError:
        turn.say(
            "The program of submission {reference} is no longer offered here; please call its contacts.",
            reference=reference,
        )
        show_menu(turn)
        return
    state.program, state.track, state.track_chosen, state.flow = view.program, view.track, True, "amend"
    if state.draft is None or state.draft.amends != reference:
        state.drafts_started += 1
        state.draft = Draft(
            key=f"{turn.ctx.user}:{state.drafts_started}", program=view.program, track=view.track, amends=reference
        )
    show_amend(turn)


def show_amend(turn: _Turn) -> None:
    state = turn.state
    draft = state.draft
    program, track = turn.program(), turn.track()
    assert draft is not None and draft.amends is not None and program is not None and track is not None
    view = _awaiting(turn, draft.amends)
    state.step, draft.item = "amend", None
    items = _amend_items(program, track)
    rows = [
        [
            Button(
                "@amend_item",
                f"am:{i}",
                {"program": program.id, "item": item, "received": len(draft.documents.get(item, []))},
            )
        ]
        for i, item in enumerate(items)
    ]
    if any(draft.documents.values()):
        rows.append([B("Send to staff", "am_send")])
    rows.append([B("Cancel", "cancel"), B("Main menu", "menu")])
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


def collect_amend(turn: _Turn) -> None:
    state = turn.state
    draft = state.draft
    program = turn.program()
    assert draft is not None and draft.item is not None and program is not None
    state.step = "amend_documents"
    received = len(draft.documents.get(draft.item, []))
    rows = [[B("Done with this document", "am_done")]] if received else []
    rows.append([B("Back", "back")])
    turn.show("@amend_request", rows, program=program.id, item=draft.item, received=received)


def send_amendment(turn: _Turn) -> None:
    state = turn.state
    draft = state.draft
    assert draft is not None and draft.amends is not None
    reference = draft.amends
    if _awaiting(turn, reference) is None:
        turn.say("Submission {reference} is not waiting for documents from you.", reference=reference)
        state.draft = None
        show_submissions(turn)
        return
    documents = _stored(draft)
    turn.effects.append(AmendSubmission(reference, documents))
    turn.effects.append(NotifyStaff("resubmitted", reference, {"documents": [d.stored_name for d in documents]}))
    state.draft, state.step, state.flow = None, "done", None
    onward = [[B("My submissions", "mine")], [B("Main menu", "menu")]]
    turn.say(
        "Sent. Submission {reference} is back with staff for review; you will be told here.",
        onward,
        reference=reference,
    )


def _stored(draft: Draft) -> tuple[StoredDocument, ...]:
    fields = ("stored_name", "original_name", "mime", "size", "sha256")
    return tuple(
        StoredDocument(item=item, **{k: d[k] for k in fields}) for item, docs in draft.documents.items() for d in docs
    )


# --------------------------------------------------------------------------- deleting one's data


def ask_forget(turn: _Turn) -> None:
    turn.state.step = "forget"
    # Buttons are built first: a marker call nested in another's arguments is missed by some extractors.
    choice = [[B("Yes, delete my data", "forget")], [B("No, keep it", "menu")]]
    turn.say(
        "This deletes your answers, your contact details, your questions to staff and your submissions with their documents. Staff are told that your submissions were withdrawn. This cannot be undone. Delete everything?",
        choice,
    )


def forget(turn: _Turn) -> None:
    lang = turn.state.lang
    for view in turn.ctx.submissions:
        turn.effects.append(NotifyStaff("withdrawn", view.reference, {"program": view.program, "track": view.track}))
    turn.effects.append(ForgetApplicant())
    turn.state = State(lang=lang, content_version=turn.content.version)
    turn.say("Your data has been deleted. Send /start if you want to begin again.")


def _global_action(turn: _Turn, rest: str) -> None:
    """Buttons on notifications sent outside the conversation (staff decisions): bound to a
    submission reference rather than to a menu, so they stay valid until the submission moves on."""
    action, _, arg = rest.partition(":")
    if action == "amend" and arg:
        start_amend(turn, arg)
    elif action == "mine":
        show_submissions(turn)
    elif action == "menu":
        show_menu(turn)
    else:
        turn.say("This menu has expired. Here is the current one.")
        redisplay(turn)


# --------------------------------------------------------------------------- button actions


def _a_menu(turn: _Turn, _: str) -> None:
    show_menu(turn)


def _a_program(turn: _Turn, program_id: str) -> None:
    state = turn.state
    try:
        turn.content.program(program_id)
    except KeyError:
        turn.say("This menu has expired. Here is the current one.")
        pick_program(turn, state.flow or "info")
        return
    if state.program != program_id:
        state.skipped = []
    state.program, state.track, state.track_chosen = program_id, None, False
    if state.flow == "info":
        show_info(turn)
    else:
        pick_track(turn)


def _a_track(turn: _Turn, track_id: str) -> None:
    program = turn.program()
    wanted = None if track_id in ("", "None") else track_id
    if program is None or wanted not in {t.id for t in program.tracks}:
        turn.say("This menu has expired. Here is the current one.")
        redisplay(turn)
        return
    turn.state.track, turn.state.track_chosen = wanted, True
    _after_track(turn)


def _a_value(turn: _Turn, raw: str) -> None:
    state = turn.state
    if state.step != "question" or state.question is None:
        redisplay(turn)
        return
    fact = turn.content.facts[state.question]
    value = fact.kind.from_button(fact, raw)
    if value is None:
        redisplay(turn)
        return
    _answer_question(turn, value)


def _a_skip(turn: _Turn, _: str) -> None:
    state = turn.state
    if state.step == "question" and state.question:
        if state.question not in state.skipped:
            state.skipped.append(state.question)
        if state.return_to_review and state.draft is not None:
            show_review(turn)
        else:
            ask_next(turn)
    else:
        redisplay(turn)


def _a_info(turn: _Turn, intent: str) -> None:
    program = turn.program()
    if program is None or intent not in INFO_INTENTS:
        redisplay(turn)
        return
    track = turn.track()
    turn.show(
        "@info",
        [[B("Back", "info_back"), B("Main menu", "menu")]],
        intent=intent,
        program=program.id,
        track=track.id if track else None,
    )


def _a_info_back(turn: _Turn, _: str) -> None:
    if turn.program() is not None:
        turn.state.flow = "info"
        show_info(turn)
    else:
        show_menu(turn)


def _a_check_here(turn: _Turn, _: str) -> None:
    turn.state.flow = "check"
    turn.state.skipped = []
    pick_track(turn) if turn.program() else pick_program(turn, "check")


def _a_apply_here(turn: _Turn, _: str) -> None:
    turn.state.flow = "apply"
    if turn.program() is None:
        pick_program(turn, "apply")
    elif turn.track() is None:
        pick_track(turn)
    else:
        start_application(turn)


def _a_next(turn: _Turn, _: str) -> None:
    draft = turn.state.draft
    program, track = turn.program(), turn.track()
    if turn.state.step != "documents" or draft is None or not program or not track:
        redisplay(turn)
        return
    if not draft.documents.get(draft.item or ""):
        turn.say("Please send at least one file for this document first.")
        collect_documents(turn, draft.item)
        return
    if turn.state.return_to_review:
        show_review(turn)
        return
    items = [d.id for d in checklist(program, track)]
    later = items[items.index(draft.item) + 1 :] if draft.item in items else []
    upcoming = next((i for i in later if not draft.documents.get(i)), None)
    if upcoming is None:
        show_review(turn)
    else:
        collect_documents(turn, upcoming)


def _a_skip_doc(turn: _Turn, _: str) -> None:
    draft = turn.state.draft
    program, track = turn.program(), turn.track()
    if turn.state.step != "documents" or draft is None or draft.item is None or not program or not track:
        redisplay(turn)
        return
    doc = next((d for d in checklist(program, track) if d.id == draft.item), None)
    if doc is None or doc.provided_by == "applicant":
        turn.say("This document is yours to provide; please send it.")
        collect_documents(turn, draft.item)
        return
    if draft.item not in draft.skipped_items:
        draft.skipped_items.append(draft.item)
    if turn.state.return_to_review:
        show_review(turn)
    else:
        collect_documents(turn)


def _a_edit(turn: _Turn, what: str) -> None:
    draft = turn.state.draft
    if draft is None or what not in ("name", "phone", "employer"):
        redisplay(turn)
        return
    setattr(draft, what, None)
    turn.state.return_to_review = True
    ask_contact(turn)


def _a_doc(turn: _Turn, item: str) -> None:
    draft = turn.state.draft
    program, track = turn.program(), turn.track()
    if draft is None or not program or not track or item not in {d.id for d in checklist(program, track)}:
        redisplay(turn)
        return
    draft.documents[item] = []
    if item in draft.skipped_items:
        draft.skipped_items.remove(item)
    turn.state.return_to_review = True
    collect_documents(turn, item)


def _a_fact(turn: _Turn, fact_id: str) -> None:
    if fact_id not in turn.content.facts:
        redisplay(turn)
        return
    ask_fact(turn, fact_id)


def _a_edit_facts(turn: _Turn, _: str) -> None:
    edit_facts(turn)


def _a_confirm(turn: _Turn, _: str) -> None:
    if turn.state.step != "review" or turn.state.draft is None:
        redisplay(turn)
        return
    confirm(turn)


def _a_cancel(turn: _Turn, _: str) -> None:
    _command(turn, "cancel", "")


def _a_lang(turn: _Turn, lang: str) -> None:
    if lang not in LANGUAGES:
        show_languages(turn)
        return
    turn.state.lang = lang
    turn.effects.append(SetLanguage(lang))
    turn.say("Language changed.")
    show_menu(turn)


def _a_sector(turn: _Turn, sector: str) -> None:
    draft, program = turn.state.draft, turn.program()
    if (
        turn.state.step != "contact_sector"
        or draft is None
        or program is None
        or sector not in {s.id for s in program.sectors}
    ):
        redisplay(turn)
        return
    draft.sector = sector
    if turn.state.return_to_review:
        show_review(turn)
    else:
        ask_contact(turn)


def _a_amend_item(turn: _Turn, index: str) -> None:
    draft, program, track = turn.state.draft, turn.program(), turn.track()
    if turn.state.step != "amend" or draft is None or draft.amends is None or program is None or track is None:
        redisplay(turn)
        return
    items = _amend_items(program, track)
    if not index.isdigit() or int(index) >= len(items):
        redisplay(turn)
        return
    draft.item = items[int(index)]
    collect_amend(turn)


def _a_amend_done(turn: _Turn, _: str) -> None:
    draft = turn.state.draft
    if turn.state.step != "amend_documents" or draft is None or draft.amends is None:
        redisplay(turn)
        return
    show_amend(turn)


def _a_amend_send(turn: _Turn, _: str) -> None:
    draft = turn.state.draft
    if turn.state.step != "amend" or draft is None or draft.amends is None or not any(draft.documents.values()):
        redisplay(turn)
        return
    send_amendment(turn)


def _a_forget(turn: _Turn, _: str) -> None:
    if turn.state.step != "forget":
        redisplay(turn)
        return
    forget(turn)


def _a_notify(turn: _Turn, _: str) -> None:
    program = turn.program()
    if program is None:
        redisplay(turn)
        return
    turn.effects.append(Subscribe(program.id))
    onward = [[B("Main menu", "menu")]]
    turn.say("I will tell you when {program} opens its next round.", onward, program=_program_ref(program))


def _a_answer_for(turn: _Turn, program_id: str) -> None:
    """A program picked after an ambiguous question: answer that question for it."""
    if turn.state.free_question is None or not _known_program(turn, program_id):
        show_menu(turn)
        return
    answer_free_question(turn, turn.state.free_question, program_id, chosen=True)


def _a_more(turn: _Turn, program_id: str) -> None:
    """From a free answer to the program's info screen: deadlines, contacts, documents… as buttons."""
    turn.state.flow = "info"
    _a_program(turn, program_id)


def _known_program(turn: _Turn, program_id: str) -> bool:
    return any(p.id == program_id for p in turn.content.programs)


def _a_ask_staff(turn: _Turn, _: str) -> None:
    """Pass the last free question on to the staff of the office that answers questions about its program.

    The question is cleared once forwarded and the reply carries new buttons (so the
    pressed one expires): a double tap tells "this menu has expired" instead of asking
    staff twice. Staff's answer comes back through the outbox, not from here.
    """
    state = turn.state
    question = state.free_question
    if not question:
        turn.say(
            "There is no question to pass on to staff. Type your question; if I cannot answer it well, I offer to ask staff."
        )
        show_menu(turn)
        return
    program = _free_question_program(turn)
    track = state.track if program is not None and state.program == program.id and state.track_chosen else None
    office = question_office(program, track) if program is not None else None
    turn.effects.append(
        ForwardQuestion(question, program.id if program else None, office.id if office else None, state.lang)
    )
    state.free_question, state.free_question_program = None, None
    rows = [[B("My submissions", "mine")], [B("Main menu", "menu")]]
    if program is None or office is None:
        turn.say(
            'Your question was passed to our staff. Their answer will come in this chat; you can also read it under "My submissions".',
            rows,
        )
        return
    turn.say(
        'Your question was passed to the staff of {office}. Their answer will come in this chat; you can also read it under "My submissions".',
        rows,
        office=office_ref(program.id, office.id),
    )


def _free_question_program(turn: _Turn) -> Program | None:
    """The program the free question was answered for, if the content still has it."""
    program_id = turn.state.free_question_program
    if program_id is None:
        return None
    try:
        return turn.content.program(program_id)
    except KeyError:
        return None


def office_ref(program_id: str, contact_id: str) -> dict[str, str]:
    """An office named in a reply: rendered as the contact's office in the reader's language."""
    return {"@content": "office", "program": program_id, "id": contact_id}


_ACTIONS: dict[str, Callable[[_Turn, str], None]] = {
    "menu": _a_menu,
    "find": lambda t, _: _start_find(t),
    "check": lambda t, _: pick_program(t, "check"),
    "info": lambda t, _: pick_program(t, "info"),
    "apply": lambda t, _: pick_program(t, "apply"),
    "mine": lambda t, _: show_submissions(t),
    "lang": lambda t, _: show_languages(t),
    "help": lambda t, _: show_help(t),
    "back": lambda t, _: go_back(t),
    "p": _a_program,
    "t": _a_track,
    "v": _a_value,
    "skip": _a_skip,
    "i": _a_info,
    "info_back": _a_info_back,
    "check_here": _a_check_here,
    "apply_here": _a_apply_here,
    "next": _a_next,
    "skip_doc": _a_skip_doc,
    "edit": _a_edit,
    "doc": _a_doc,
    "f": _a_fact,
    "edit_facts": _a_edit_facts,
    "confirm": _a_confirm,
    "cancel": _a_cancel,
    "l": _a_lang,
    "notify": _a_notify,
    "sec": _a_sector,
    "am": _a_amend_item,
    "am_done": _a_amend_done,
    "am_send": _a_amend_send,
    "forget": _a_forget,
    "aq": _a_answer_for,
    "aq_more": _a_more,
    "ask_staff": _a_ask_staff,
}
