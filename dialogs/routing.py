"""Which office reviews a submission: read from the program's contacts and their duties.

The notices name, per track (and for some programs per sector), the office that
receives and checks the materials. A submission is announced in that office's
staff chat (``staff.yaml`` maps offices to Telegram chats); when the content
names no chat for it, the bot's ``STAFF_CHAT_ID`` takes it. A free question
passed on to people goes to the office the notice names for questions about
the program, routed the same way.
"""

from __future__ import annotations

from dialogs.schema_program import Contact, Program, applies_to

#: Duties that make a contact the reviewer of a submission, the most specific first.
REVIEW_TOPICS = ("review", "materials", "general")
#: Duties that make a contact the one to ask about a program, the most fitting first.
QUESTION_TOPICS = ("policy", "general")


def _duties_for(program: Program, track_id: str | None, topic: str) -> list[tuple[Contact, tuple[str, ...]]]:
    return [
        (contact, duty.sectors)
        for contact in program.contacts
        for duty in contact.duties
        if topic in duty.topics and applies_to(duty.tracks, track_id)
    ]


def needs_sector(program: Program, track_id: str | None) -> bool:
    """Whether the reviewing office of this track depends on the applicant's sector."""
    for topic in REVIEW_TOPICS:
        duties = _duties_for(program, track_id, topic)
        if duties:
            return all(sectors for _, sectors in duties)
    return False


def reviewing_office(program: Program, track_id: str | None, sector: str | None = None) -> Contact | None:
    """The contact whose office reviews submissions to this track (and sector), or None."""
    for topic in REVIEW_TOPICS:
        for contact, sectors in _duties_for(program, track_id, topic):
            if not sectors or (sector is not None and sector in sectors):
                return contact
    return None


def question_office(program: Program, track_id: str | None) -> Contact | None:
    """The contact whose office answers questions about this program (and track), or None.

    A policy contact before a general one. Contacts the notice assigns to one
    sector only are passed over: the question was typed without saying the
    sector, so the office for the whole program (the aid plan's "when it is
    unclear which department") fits it better; None sends it to the bot's
    general staff chat.
    """
    for topic in QUESTION_TOPICS:
        for contact, sectors in _duties_for(program, track_id, topic):
            if not sectors:
                return contact
    return None
