"""Taking files for the checklist item on screen: one file, or an album taken as one answer."""

from __future__ import annotations

from typing import Any

from dialogs.documents import check_document, too_large
from dialogs.events import FileEvent, StoredDocument, StoreFile
from dialogs.flows.model import Unavailable
from dialogs.flows.turn import Turn
from dialogs.state import Draft

#: File kinds a checklist item takes.
ACCEPTED_KINDS = frozenset({"pdf", "jpeg", "png", "docx", "xlsx", "doc", "xls"})


def receive(turn: Turn, events: tuple[FileEvent, ...]) -> None:
    """Every file is checked, the good ones kept for the draft's current item, one reply; then the screen again."""
    draft = turn.state.draft
    if draft is None or draft.item is None:
        raise Unavailable("no item")
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
        document: dict[str, Any] = {
            "stored_name": stored_name,
            "original_name": event.name[:200],
            "mime": result.mime,
            "size": result.size,
            "sha256": result.sha256,
        }
        draft.documents.setdefault(draft.item, []).append(document)
        received.append(event.name[:200])
    if len(received) == 1:
        turn.say("Received {name}.", name=received[0])
    elif received:
        turn.say_n("Received {count} file: {names}.", "Received {count} files: {names}.", len(received), names=received)
    turn.redraw()


def remind(turn: Turn, _text: str) -> None:
    """Text where a file is wanted."""
    turn.say("Please send the document as a file or photo, or use the buttons.")
    turn.redraw()


def stored(draft: Draft) -> tuple[StoredDocument, ...]:
    fields = ("stored_name", "original_name", "mime", "size", "sha256")
    return tuple(
        StoredDocument(item=item, **{k: d[k] for k in fields}) for item, docs in draft.documents.items() for d in docs
    )
