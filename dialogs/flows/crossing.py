"""A conversation that crosses a publish: the first event after admins put new content in force.

The conversation may hold what the new content no longer has: a program, a track,
a question, a document item, an answer outside a question's new choices. It is let
go (:func:`repair`), and the answers to questions that still exist are kept. Then
the screen the applicant is looking at is drawn again on a scratch copy and
compared with what it offered (:func:`dialogs.flows.turn.signature`):

- the same buttons: the event means what it meant and is handled as usual;
- other buttons (an answer, a track, a document added or removed): a press on the
  old screen is not taken; the screen is shown again as it stands, after a short
  "This part was updated while you were away: …" (a typed answer or a file is still
  read against the screen as it is now);
- the screen cannot be drawn any more (its question, document, track or program is
  gone): the applicant is taken to the nearest screen that still makes sense, the
  step's own ``instead`` (the next question, the next document) or else the screen
  under it on the trail, with the same kind of explanation.

Never an error: what cannot be continued is explained and the way on is shown.
Commands and a notification's buttons lead elsewhere anyway and are handled as
usual. Pure, like the rest of the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.callbacks import parse
from dialogs.events import ChoiceEvent, CommandEvent, Event, FileEvent, FilesEvent, TextEvent
from dialogs.flows.amend import amend_items
from dialogs.flows.buttons import ALL, Notice
from dialogs.flows.model import REGISTRY, Step, Unavailable
from dialogs.flows.submit import checklist
from dialogs.flows.turn import Turn
from dialogs.i18n import N_
from dialogs.schedule import is_open
from dialogs.schema_program import Program, Track

UPDATED = N_("This part was updated while you were away. Here it is as it stands now.")
PROGRAM_GONE = N_(
    "This part was updated while you were away: the program you were looking at is no longer offered here."
)
TRACK_GONE = N_("This part was updated while you were away: the track you chose is no longer offered.")
QUESTION_GONE = N_("This part was updated while you were away: that question is no longer asked.")
CHOICES_CHANGED = N_(
    "This part was updated while you were away: the answers to choose from changed. Please answer again."
)
ANSWERS_DROPPED = N_(
    "This part was updated while you were away: the choices of a question you answered changed, so it will be asked again."
)
DOCUMENT_GONE = N_(
    "This part was updated while you were away: that document is no longer asked for; any files you sent for it were set aside."
)
DOCUMENTS_CHANGED = N_("This part was updated while you were away: the list of documents changed.")
REVIEW_CHANGED = N_("This part was updated while you were away: please check your application again.")
WINDOW_CLOSED = N_("This part was updated while you were away: applications for this track are closed now.")

#: What a changed screen of these steps is about.
CHANGED_BY_STEP = {
    Step.QUESTION: CHOICES_CHANGED,
    Step.DOCUMENTS: DOCUMENTS_CHANGED,
    Step.AMEND: DOCUMENTS_CHANGED,
    Step.AMEND_DOCUMENTS: DOCUMENTS_CHANGED,
    Step.REVIEW: REVIEW_CHANGED,
    Step.CANCEL_APPLICATION: REVIEW_CHANGED,
    Step.SUBMIT_REFUSED: REVIEW_CHANGED,
}
#: What a screen of these steps that can no longer be drawn was about.
GONE_BY_STEP = {
    Step.QUESTION: QUESTION_GONE,
    Step.DOCUMENTS: DOCUMENT_GONE,
    Step.AMEND_DOCUMENTS: DOCUMENT_GONE,
}
#: Steps whose trail entries name a fact (``fact``) or a checklist item (``item``) in their arguments.
NAMES_A_FACT = frozenset({Step.QUESTION})
NAMES_AN_ITEM = frozenset({Step.DOCUMENTS, Step.AMEND_DOCUMENTS})


@dataclass
class Lost:
    """What the conversation held that the new content no longer has."""

    program: bool = False
    track: bool = False
    #: An answer outside its question's new choices (or range) was let go.
    answers: bool = False
    #: The checklist of the application under way changed (an item added or removed).
    checklist: bool = False


def _has_track(program: Program, track: str | None) -> bool:
    return any(t.id == track for t in program.tracks)


def _track(program: Program, track: str | None) -> Track | None:
    return next((t for t in program.tracks if t.id == track), None)


def repair(turn: Turn) -> Lost:
    """Let go of what the new content no longer has; keep everything else (answers above all)."""
    state, content = turn.state, turn.content
    lost = Lost()
    state.content_version = content.version
    program = content.find_program(state.program)
    if state.program is not None and program is None:
        lost.program = True
        state.program, state.track, state.track_chosen = None, None, False
    elif program is not None and state.track_chosen and not _has_track(program, state.track):
        lost.track = True
        state.track, state.track_chosen = None, False
    _repair_draft(turn, lost)
    kept = {}
    for fact_id, value in state.facts.items():
        fact = content.facts.get(fact_id)
        if fact is None:
            continue  # no rule can ask for it any more
        if fact.kind.value_problem(fact, value) is not None:
            lost.answers = True  # its choices changed: asked again when it matters
            continue
        kept[fact_id] = value
    state.facts = kept
    state.asked = [f for f in state.asked if f in kept]
    state.skipped = [f for f in state.skipped if f in content.facts]
    if state.question not in content.facts:
        state.question = None
    if content.find_program(state.free_question_program) is None:
        # The next typed question would be read for a program the content no longer has.
        state.free_question_program = None
    _repair_trail(turn)
    return lost


def _repair_draft(turn: Turn, lost: Lost) -> None:
    state = turn.state
    draft = state.draft
    if draft is None:
        return
    program = turn.content.find_program(draft.program)
    track = None if program is None else _track(program, draft.track)
    if program is None or track is None:
        state.draft = None  # nothing gathered for a track that is gone can be sent
        return
    items = amend_items(program, track) if draft.amends else [d.id for d in checklist(program, track)]
    if draft.checklist and draft.checklist != items:
        lost.checklist = True
    draft.documents = {item: files for item, files in draft.documents.items() if item in items}
    draft.skipped_items = [item for item in draft.skipped_items if item in items]
    if draft.item not in items:
        draft.item = None
    if draft.sector is not None and draft.sector not in {s.id for s in program.sectors}:
        draft.sector = None


def _repair_trail(turn: Turn) -> None:
    """Earlier screens keep no id the content lost: Back must not bring a removed program or track back, and
    goes past a question or a document that is gone (the screen on top is :func:`settle`'s to decide)."""
    content = turn.content
    trail = turn.state.trail
    for i, entry in enumerate(trail):
        # replaced, not changed in place: an entry is shared with the state the event came with
        program = content.find_program(entry.get("program"))
        if entry.get("program") and program is None:
            trail[i] = {**entry, "program": None, "track": None, "chosen": False}
        elif program is not None and entry.get("chosen") and not _has_track(program, entry.get("track")):
            trail[i] = {**entry, "track": None, "chosen": False}
    below = [entry for entry in trail[:-1] if not _names_what_is_gone(turn, entry)]
    trail[:-1] = below


def _names_what_is_gone(turn: Turn, entry: dict[str, object]) -> bool:
    step, args = entry.get("step"), entry.get("args")
    if not isinstance(args, dict):
        return False
    if step in NAMES_A_FACT:
        return args.get("fact") not in turn.content.facts
    if step in NAMES_AN_ITEM and entry.get("chosen"):
        program = turn.content.find_program(str(entry.get("program")))
        track = None if program is None else _track(program, str(entry.get("track")))
        if program is None or track is None:
            return False
        return args.get("item") not in amend_items(program, track)
    return False


def settle(turn: Turn, event: Event) -> bool:
    """The first event after new content: repair, then tell whether ``event`` is still to be handled
    (False: the applicant was told what changed and shown where to go on)."""
    lost = repair(turn)
    notes = _notes(turn, lost)
    top = turn.top
    if top is None or _leads_elsewhere(event):
        _say(turn, notes)  # a command goes where it goes, whatever is on display
        return True
    shown = turn.probe(top)
    if shown is not None and (shown == turn.state.drawn or not turn.state.drawn):
        _say(turn, notes)  # the screen on display is unchanged: the event means what it meant
        return True
    step = Step(top["step"])
    if shown is not None:
        _say(turn, [_changed(step, lost), *notes])
        if isinstance(event, TextEvent | FileEvent | FilesEvent):
            return True  # an answer or a file is read against the screen as it is now
        turn.redraw()
        return False
    _say(turn, [_gone(step, lost), *notes])
    _instead(turn)
    # a free question (typed where no answer was asked for) is answered after the screen to go on from
    free = REGISTRY[step].text is None and REGISTRY[Step(turn.state.step)].text is None
    return isinstance(event, TextEvent) and free


def _leads_elsewhere(event: Event) -> bool:
    """Commands (except the resume after a restart) and a notification's buttons do not depend on the screen."""
    if isinstance(event, CommandEvent):
        return event.name.lower().lstrip("/") != "resume"
    return isinstance(event, ChoiceEvent) and isinstance(parse(event.data, *ALL), Notice)


def _notes(turn: Turn, lost: Lost) -> list[str]:
    notes = []
    if lost.checklist:
        notes.append(DOCUMENTS_CHANGED)
    if lost.answers:
        notes.append(ANSWERS_DROPPED)
    draft = turn.state.draft
    if draft is not None and draft.amends is None:
        program = turn.content.find_program(draft.program)
        track = None if program is None else _track(program, draft.track)
        if program is not None and track is not None and not is_open(program, track, turn.now):
            notes.append(WINDOW_CLOSED)
    return notes


def _changed(step: Step, lost: Lost) -> str:
    if lost.program:
        return PROGRAM_GONE
    if lost.track:
        return TRACK_GONE
    return CHANGED_BY_STEP.get(step, UPDATED)


def _gone(step: Step, lost: Lost) -> str:
    if lost.program:
        return PROGRAM_GONE
    if lost.track:
        return TRACK_GONE
    return GONE_BY_STEP.get(step, UPDATED)


def _say(turn: Turn, messages: list[str]) -> None:
    for message in dict.fromkeys(messages):
        turn.say(message)


def _instead(turn: Turn) -> None:
    """The nearest screen that still makes sense, in place of the one on top that cannot be drawn."""
    trail = turn.state.trail
    gone = trail.pop()
    while trail and turn.probe(trail[-1]) is None:
        trail.pop()
    instead = REGISTRY[Step(gone["step"])].instead
    if instead is not None:
        turn.restore(gone)
        try:
            instead(turn, gone.get("args", {}))
            return
        except Unavailable:
            pass  # it cannot do better either: the screen under it (redraw restores its context)
    turn.redraw()
