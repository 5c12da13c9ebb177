"""The conversation state: everything the engine needs to continue a conversation days later.

It is plain data (JSON-able) with a format number, so storage can keep it as a
versioned JSON document and a newer engine can read an older conversation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from dialogs.flows.model import Step

#: Bump when the meaning of a field changes; :func:`State.from_json` upgrades older ones.
#: 2: steps are :class:`dialogs.flows.model.Step` values and ``trail`` holds the screens shown;
#: ``result`` became ``ranking``/``verdict``, ``return_to_review`` went into the trail.
FORMAT = 2


@dataclass
class Draft:
    """An application being prepared: contact details, documents, and its idempotency key."""

    key: str
    program: str
    track: str | None
    name: str | None = None
    phone: str | None = None
    employer: str | None = None
    #: checklist item id → list of document records (see :class:`dialogs.events.StoredDocument`).
    documents: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: The checklist item being collected, when collecting.
    item: str | None = None
    #: Optional items the applicant left for their unit to send.
    skipped_items: list[str] = field(default_factory=list)
    #: The applicant's field of work, where the reviewing office depends on it (a program sector id).
    sector: str | None = None
    #: The reference of a returned submission these documents are for (None: a new application).
    amends: str | None = None
    #: The checklist's items as last shown: after new content, an item added or removed is said.
    checklist: list[str] = field(default_factory=list)

    def clone(self) -> Draft:
        """A copy whose lists and mappings can change without changing this one (see :meth:`State.clone`)."""
        copy = object.__new__(Draft)
        copy.__dict__.update(self.__dict__)
        copy.documents = {item: list(records) for item, records in self.documents.items()}
        copy.skipped_items = list(self.skipped_items)
        copy.checklist = list(self.checklist)
        return copy


@dataclass
class State:
    lang: str = "zh"
    #: Where the conversation is: a :class:`dialogs.flows.model.Step` value (the top of ``trail``).
    step: str = "menu"
    #: A :class:`dialogs.flows.model.Flow` value: ``find`` (which program fits me), ``check``, ``info``, ``apply``, ``amend``.
    flow: str | None = None
    program: str | None = None
    track: str | None = None
    track_chosen: bool = False
    facts: dict[str, Any] = field(default_factory=dict)
    #: Facts the applicant said they do not know: not asked again in this flow.
    skipped: list[str] = field(default_factory=list)
    #: Facts answered in this conversation, in order: "back" undoes the last one.
    asked: list[str] = field(default_factory=list)
    question: str | None = None
    #: The last free question the applicant typed, and the program it was answered for: kept so that
    #: "ask staff" can pass it on and a program picked after an ambiguous question can answer it.
    free_question: str | None = None
    free_question_program: str | None = None
    #: The screens shown going forward, each ``{"step", "flow", "args"}``: Back pops it, a restart redraws its top.
    trail: list[dict[str, Any]] = field(default_factory=list)
    draft: Draft | None = None
    #: How many applications this conversation has started: makes each draft's key unique.
    drafts_started: int = 0
    #: Increases with every message that carries buttons; a press of an older one has expired.
    menu: int = 0
    #: The version (digest) of the content the conversation last ran on: a new one is checked against it.
    content_version: str = ""
    #: What the screen on display offers to press (:func:`dialogs.flows.turn.signature`): after new content,
    #: a press on a screen that would now offer other buttons is not taken, the screen is shown again.
    drawn: str = ""

    def clone(self) -> State:
        """A working copy for one event: the engine changes it, never the state it was given.

        Every list and mapping the engine changes in place is copied (one level: the facts, the lists of
        facts, the trail, the draft and its documents); what they hold is shared. Trail entries and
        document records are never changed in place, only replaced, so sharing them is safe — a deep copy
        of the whole state at every event cost more than the rest of a menu press.
        """
        copy = object.__new__(State)
        copy.__dict__.update(self.__dict__)
        copy.facts = dict(self.facts)
        copy.skipped = list(self.skipped)
        copy.asked = list(self.asked)
        copy.trail = list(self.trail)
        copy.draft = None if self.draft is None else self.draft.clone()
        return copy

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = FORMAT
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> State:
        """Read a stored state; unknown keys are dropped, so a newer field never breaks an older record."""
        if not data:
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if isinstance(values.get("draft"), dict):
            draft_known = {f.name for f in fields(Draft)}
            values["draft"] = Draft(**{k: v for k, v in values["draft"].items() if k in draft_known})
        state = cls(**values)
        if data.get("format", 1) < 2:
            state.trail = _trail_of_format_1(state)
        stored: list[Any] = list(state.trail)
        state.trail = [e for e in stored if isinstance(e, dict) and e.get("step") in STEPS]
        if not state.trail or state.step not in STEPS or state.trail[-1]["step"] != state.step:
            state.step, state.trail = "menu", []
        return state


#: The step names a state may hold.
STEPS = frozenset(str(step) for step in Step)


def _trail_of_format_1(state: State) -> list[dict[str, Any]]:
    """The screen a format-1 conversation was on, as a trail under the menu (it kept no history)."""
    step, args = state.step, {}
    if step == "result":
        step = {"find": "ranking", "check": "verdict"}.get(state.flow or "", "menu")
    elif step == "question":
        args = {"fact": state.question}
    elif step in ("documents", "amend_documents") and state.draft is not None:
        args = {"item": state.draft.item}
    if step not in STEPS or step in ("menu", "done"):
        state.step = "menu"
        return [{"step": "menu", "flow": None, "args": {}}]
    state.step = step
    return [{"step": "menu", "flow": None, "args": {}}, {"step": step, "flow": state.flow, "args": args}]
