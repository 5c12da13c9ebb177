"""The conversation state: everything the engine needs to continue a conversation days later.

It is plain data (JSON-able) with a format number, so storage can keep it as a
versioned JSON document and a newer engine can read an older conversation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: Bump when the meaning of a field changes; :func:`State.from_json` upgrades older ones.
FORMAT = 1


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


@dataclass
class State:
    lang: str = "zh"
    #: Where the conversation is: ``menu``, ``question``, ``pick_program``, ``pick_track``, ``result``,
    #: ``info``, ``contact_name``, ``contact_phone``, ``contact_employer``, ``contact_sector``, ``documents``,
    #: ``review``, ``done``, ``amend`` and ``amend_documents`` (sending documents again), ``forget``.
    step: str = "menu"
    #: ``find`` (which program fits me), ``check`` (one track), ``info``, ``apply``, ``amend``.
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
    #: When re-asking one answer from the review screen, go back there afterwards.
    return_to_review: bool = False
    draft: Draft | None = None
    #: How many applications this conversation has started: makes each draft's key unique.
    drafts_started: int = 0
    #: Increases with every message that carries buttons; a press of an older one has expired.
    menu: int = 0
    content_version: str = ""

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
        return cls(**values)
