"""Composing the reply to a free question from its reading, in the reader's language.

:mod:`dialogs.question_reading` decides what a question asks; this module
turns that :class:`~dialogs.question_reading.Reading` into text: the FAQ
entry's answer, "which program do you mean?", or the section of the program's
notice the intent asks for (deadlines, contacts, documents, benefits, quotas,
how to apply, requirements), led by the items that matched the question best.

Composing never makes up a fact: every date, phone and amount is read from the
content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from dialogs.explain import amount_text, ask_line, contact_line, milestone_line, policy_contacts, status_label
from dialogs.grounding import stated
from dialogs.i18n import Translator
from dialogs.loader import Content
from dialogs.open_ends import condition_lines, reviewer_lines
from dialogs.pages import split_pages
from dialogs.question_index import Item
from dialogs.question_reading import Reading, read
from dialogs.routing import question_office
from dialogs.schedule import applicant_deadline, applicant_windows, program_status
from dialogs.schema import Text
from dialogs.schema_program import Contact, Program, Track, applies_to
from dialogs.schema_questions import Intent
from dialogs.screen_parts import remembered


@dataclass(frozen=True)
class Answer:
    """A question's reading with its reply composed: what the CLI, the tests and the benchmark look at."""

    intent: Intent
    program: str | None
    track: str | None
    text: str
    #: Programs the question could mean, when it was ambiguous.
    choices: tuple[str, ...] = field(default=())
    sure: bool = True

    @property
    def pages(self) -> tuple[str, ...]:
        """The reply as sent: the first message (the answer first) and what the "More" button shows next."""
        return split_pages(self.text)


def answer(
    question: str,
    content: Content,
    now: dt.datetime,
    tr: Translator,
    program_id: str | None = None,
    *,
    chosen: bool = False,
) -> Answer:
    """Answer ``question``; ``program_id`` is the program the conversation has already chosen, if any."""
    reading = read(question, content, program_id, chosen=chosen)
    return Answer(
        reading.intent,
        reading.program,
        reading.track,
        compose_reading(reading, content, now, tr),
        reading.choices,
        reading.sure,
    )


def compose_reading(reading: Reading, content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    if reading.faq is not None:
        return remembered(content, ("faq", reading.faq), tr, lambda: _faq_text(reading, content, tr))
    if reading.choices and reading.intent == "programs":
        parts = [_overview_text(content.program(p), None, None, now, tr, closing=False) for p in reading.choices]
        return "\n\n".join(parts) + "\n\n" + _("Which program do you mean?")
    if reading.choices:
        return (
            _("Which program do you mean?")
            + "\n"
            + _bullets([content.program(p).short_title.get(tr.lang) for p in reading.choices])
        )
    if reading.program is None:
        body = programs_overview(content, now, tr)
        if reading.intent == "other":
            body = (
                _(
                    "I could not tell what you are asking. I can answer about deadlines, contacts, documents, benefits, quotas, eligibility and how to apply for these programs:"
                )
                + "\n"
                + body
            )
        return body
    program = content.program(reading.program)
    track = program.track(reading.track) if reading.track is not None or len(program.tracks) == 1 else None
    if reading.intent == "other":
        return remembered(
            program,
            ("other", _track_key(track), reading.sector),
            tr,
            lambda: _unsure_text(program, track, reading.sector, now, tr),
        )
    if reading.intent == "contact":
        # The contact the question names (a person, an office) leads; the others follow.
        named = tuple(item.ref for item in reading.focus if item.kind == "contact")
        body = remembered(
            program,
            ("contact led by", _track_key(track), reading.sector, named),
            tr,
            lambda: _contact_text(program, track, reading.sector, now, tr, lead=named),
        )
    else:
        body = compose(reading.intent, program, track, reading.sector, now, tr)
    focus = remembered(
        program, ("focus", reading.focus, _track_key(track)), tr, lambda: _focus_lines(reading, program, track, tr)
    )
    return (focus + "\n\n" + body) if focus else body


def _faq_text(reading: Reading, content: Content, tr: Translator) -> str:
    assert reading.faq is not None
    program_id, entry_id = reading.faq
    if program_id is None:
        entry = next(f for f in content.faq if f.id == entry_id)
        cites = [content.program(s.program).cite(s.clause) for s in entry.sources]
        head, answer = "", stated(entry, entry.a, tr)
    else:
        program = content.program(program_id)
        faq = next(f for f in program.faq if f.id == entry_id)
        cites = [program.cite(faq.source)]
        head, answer = program.short_title.get(tr.lang) + "\n", stated(faq, faq.a, tr)
    body = head + answer
    if cites:
        body += "\n" + tr.gettext("Source: {sources}").format(sources=tr.format_list(cites))
    return body


def _focus_lines(reading: Reading, program: Program, track: Track | None, tr: Translator) -> str:
    """The items that match the question best, with their clause, before the full list.

    The best one is the first line, under the program's name: the answer where the
    applicant looks first; the full list of the topic follows (behind "More" if long)."""
    lines = []
    for item in reading.focus:
        if track is not None and item.tracks and not _in_scope(item.tracks, track):
            continue  # an item of another track: the small team's question is not answered by the medical team's rule
        text_source = _item_text(program, item)
        if text_source is not None:
            entry, source = text_source
            text = entry.text
            line = stated(entry, text, tr)
            amount = next((b.amount for b in program.benefits if item.kind == "benefit" and b.id == item.ref), None)
            if amount is not None:
                line = tr.gettext("{text} — {amount}").format(text=line, amount=amount_text(amount, tr))
            lines.append(tr.gettext("{text} ({source})").format(text=line, source=program.cite(source)))
    if not lines:
        return ""
    first = tr.gettext("{label}: {value}").format(label=_heading(program, track, tr), value=lines[0])
    return "\n".join([first, *(f"- {line}" for line in lines[1:])])


class _Quoted(Protocol):
    """A program item quoted with its clause: a requirement, a benefit, a quota, an apply step…"""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> Text: ...
    @property
    def source(self) -> str: ...


def _item_text(program: Program, item: Item) -> tuple[_Quoted, str] | None:
    pools: dict[str, Sequence[_Quoted]] = {
        "requirement": program.requirements,
        "assessed": program.assessed,
        "benefit": program.benefits,
        "quota": program.quotas,
        "apply": program.apply,
    }
    for entry in pools.get(item.kind, ()):
        if entry.id == item.ref:
            return entry, entry.source
    return None


def _unsure_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    """The program is clear but not what is asked: say so, and give whom to ask (the policy contacts,
    not every office the notice names)."""
    _ = tr.gettext
    body = _(
        "I am not sure what you are asking about {program}. You can ask about its deadlines, contacts, documents, benefits, quotas, requirements and how to apply, or ask staff."
    ).format(program=_heading(program, track, tr))
    ask = ask_line(_whom_to_ask(program, track), tr)
    if ask is None:
        return body + "\n\n" + _contact_text(program, track, sector, now, tr)
    return body + "\n" + ask


def compose(
    intent: str, program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator
) -> str:
    """The reply for one intent about one program (and track or sector, when known).

    Composed once per program, track, sector, language and what it says of the moment (see
    :data:`_SAYS_STATUS`), except the deadlines, which say how long is left."""
    composer = _COMPOSERS.get(intent, _overview_text)
    if composer is _deadline_text:
        return composer(program, track, sector, now, tr)
    status = program_status(program, now) if composer in _SAYS_STATUS else None
    return remembered(
        program,
        (intent if composer is not _overview_text else None, _track_key(track), sector, status),
        tr,
        lambda: composer(program, track, sector, now, tr),
    )


def _track_key(track: Track | None) -> tuple[str | None] | None:
    """A track in a :func:`remembered` key: none asked about is not the one track (whose id is ``None``)."""
    return None if track is None else (track.id,)


def _heading(program: Program, track: Track | None, tr: Translator) -> str:
    title = program.short_title.get(tr.lang)
    if track is not None and len(program.tracks) > 1:
        title = tr.gettext("{program} — {track}").format(program=title, track=track.title.get(tr.lang))
    return title


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _section(title: str, lines: list[str], empty: str, tr: Translator) -> str:
    """A titled list (one item: on the title's line, so the answer is the first line), or the sentence
    saying the notice has nothing on it."""
    if len(lines) == 1:
        return tr.gettext("{heading} {item}").format(heading=title, item=lines[0])
    return title + "\n" + _bullets(lines) if lines else empty


def _not_stated(message: str, program: Program, track: Track | None, tr: Translator) -> str:
    """The notice is silent on what was asked: say so under its full title, and say whom to ask."""
    text = message.format(program=tr.gettext("“{title}”").format(title=program.title.get(tr.lang)))
    ask = ask_line(_whom_to_ask(program, track), tr)
    return text if ask is None else text + "\n" + ask


def _whom_to_ask(program: Program, track: Track | None) -> list[Contact]:
    """The office that answers questions on this program (and track), as staff questions are routed;
    failing one, the policy contacts (the aid plan's nine sector offices only when nothing narrower fits)."""
    office = question_office(program, track.id if track is not None else None)
    return [office] if office is not None else policy_contacts(program)


def _in_scope(tracks: tuple[str | None, ...], track: Track | None) -> bool:
    return track is None or applies_to(tracks, track.id)


def programs_overview(content: Content, now: dt.datetime, tr: Translator) -> str:
    lines = []
    for program in content.programs:
        status = program_status(program, now)
        line = tr.gettext("{program}: {status}").format(
            program=program.short_title.get(tr.lang), status=status_label(status, tr)
        )
        deadline = applicant_deadline(program, now)
        if deadline is not None:
            line = tr.gettext("{program_status} — {deadline}").format(
                program_status=line, deadline=milestone_line(deadline, now, tr)
            )
        lines.append(line)
    return _bullets(lines)


def _deadline_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    """The applicant's deadline in the first line, with where it stands now; the other dates after."""
    _ = tr.gettext
    head = _heading(program, track, tr)
    if program.draft:
        status = status_label(program_status(program, now), tr)
        return _(
            "{program} (status: {status}): this is a draft policy; no application window has been announced yet."
        ).format(program=head, status=status)
    facing = applicant_windows(program) if track is None else [m for m in [program.window_of(track)] if m]
    others = [m for m in program.deadlines if m not in facing]
    lines = [milestone_line(m, now, tr) for m in facing + others]
    notes = [stated(m, m.note, tr) for m in facing if m.note]
    shut = [t.title.get(tr.lang) for t in ([track] if track is not None else program.tracks) if t.closed]
    # closed by an admin whatever the dates say: said right under the deadline it overrides
    closed = _("The office has closed applications for: {tracks}.").format(tracks=tr.format_list(shut)) if shut else ""
    if facing:
        body = _("{program_status} — {deadline}").format(program_status=head, deadline=lines[0]) + "\n"
        body += closed + ("\n" if closed else "")
        body += _bullets(lines[1:]) + ("\n" if lines[1:] else "")
    else:
        status = status_label(program_status(program, now), tr)
        body = _("{program} (status: {status})").format(program=head, status=status) + "\n" + _bullets(lines) + "\n"
    if notes:
        body += "\n".join(notes) + "\n"
    citations = sorted({program.cite(m.source) for m in facing + others})
    return body + _("Source: {sources}").format(sources=tr.format_list(citations))


def _contact_text(
    program: Program,
    track: Track | None,
    sector: str | None,
    now: dt.datetime,
    tr: Translator,
    *,
    lead: tuple[str, ...] = (),
) -> str:
    """The contact for this track or field (or the one named in ``lead``) first, on the first line with
    the phone; the others after."""
    _ = tr.gettext
    head = _heading(program, track, tr)
    if not program.contacts:
        if program.issuer is None:
            return _("{program}: the notice names no contact person.").format(program=head)
        return _("{program}: the notice names no contact person. It was issued by {issuer}.").format(
            program=head, issuer=program.issuer.get(tr.lang)
        )
    chosen = []
    for contact in program.contacts:
        duties = [d for d in contact.duties if _in_scope(d.tracks, track)]
        if sector is not None:
            duties = [d for d in duties if sector in d.sectors or not d.sectors]
        if duties:
            chosen.append((contact, duties))
    if not chosen:
        chosen = [(c, list(c.duties)) for c in program.contacts]
    chosen.sort(key=lambda pair: pair[0].id not in lead)
    lines = []
    for contact, duties in chosen:
        what = tr.format_list([d.text.get(tr.lang) for d in duties])
        lines.append(_("{contact} — {duty}").format(contact=contact_line(contact, tr), duty=what))
        if contact.note is not None:
            lines[-1] = _("{text} {note}").format(text=lines[-1], note=stated(contact, contact.note, tr))
    first = _("Contact for {program}: {contact}").format(program=head, contact=lines[0])
    return "\n".join([first, *(f"- {line}" for line in lines[1:])])


def _documents_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    who = {"applicant": _("you"), "unit": _("your unit"), "authority": _("the HR authority")}
    lines = []
    for doc in program.documents:
        if not _in_scope(doc.tracks, track):
            continue
        name = doc.name.get(tr.lang)
        if doc.copies:
            name = tr.ngettext("{name} ({n} copy)", "{name} ({n} copies)", doc.copies).format(name=name, n=doc.copies)
        line = _("{document} — provided by {who}").format(document=name, who=who[doc.provided_by])
        if doc.note is not None:
            line = _("{text} {note}").format(text=line + _("."), note=stated(doc, doc.note, tr))
        lines.append(line)
    return _section(
        _("Documents for {program}:").format(program=head),
        lines,
        _not_stated(_("{program}: the notice lists no documents."), program, track, tr),
        tr,
    )


def _benefit_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    lines = []
    for benefit in program.benefits:
        if not _in_scope(benefit.tracks, track):
            continue
        line = stated(benefit, benefit.text, tr)
        if benefit.amount is not None:
            line = _("{text} — {amount}").format(text=line, amount=amount_text(benefit.amount, tr))
        lines.append(line)
    return _section(
        _("What {program} gives:").format(program=head),
        lines,
        _not_stated(_("{program}: the notice does not state an amount or other benefit."), program, track, tr),
        tr,
    )


def _quota_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    lines = [stated(q, q.text, tr) for q in program.quotas if _in_scope(q.tracks, track)]
    return _section(
        _("Quotas for {program}:").format(program=head),
        lines,
        _not_stated(_("{program}: the notice sets no numeric quota."), program, track, tr),
        tr,
    )


def _apply_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    lines = [stated(s, s.text, tr) for s in program.apply if _in_scope(s.tracks, track)]
    status = status_label(program_status(program, now), tr)
    body = _("How to apply for {program} (status: {status}):").format(program=head, status=status)
    return body + "\n" + _bullets(lines)


def _eligibility_text(
    program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator
) -> str:
    """The requirements; for a program of several tracks asked as a whole, those every track shares
    once, then what each track adds (the same rule is not repeated under every track)."""
    _ = tr.gettext
    tracks = [track] if track is not None else list(program.tracks)
    every = [r for r in program.requirements if all(applies_to(r.tracks, t.id) for t in tracks)]
    if len(tracks) == 1:
        heading = _("Requirements for {program}:").format(program=_heading(program, tracks[0], tr))
        lines = [heading, _bullets([stated(r, r.text, tr) for r in every])]
        return "\n".join(lines + reviewer_lines(program, tracks[0], tr))
    parts = []
    if every:
        parts.append(_("Requirements for {program}, every track:").format(program=_heading(program, None, tr)))
        parts.append(_bullets([stated(r, r.text, tr) for r in every]))
    # What reviewers judge, like the rules: the conditions of every track once, then each track's own.
    parts += condition_lines(program, [a for a in program.assessed if not a.tracks], tr)
    shared = {id(r) for r in every}  # by identity: comparing content models field by field was slow
    for t in tracks:
        own = [
            stated(r, r.text, tr) for r in program.requirements if applies_to(r.tracks, t.id) and id(r) not in shared
        ]
        judged = [a for a in program.assessed if a.tracks and applies_to(a.tracks, t.id)]
        if own or judged:
            parts.append(_("Requirements for {program}:").format(program=_heading(program, t, tr)))
        if own:
            parts.append(_bullets(own))
        parts += condition_lines(program, judged, tr)
    return "\n".join(parts)


def _overview_text(
    program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator, *, closing: bool = True
) -> str:
    _ = tr.gettext
    status = status_label(program_status(program, now), tr)
    body = _("{program} (status: {status})").format(program=_heading(program, track, tr), status=status)
    body += "\n" + (track.summary if track is not None and len(program.tracks) > 1 else program.summary).get(tr.lang)
    if not closing:
        return body
    return (
        body
        + "\n"
        + _("You can ask about its deadlines, contacts, documents, benefits, quotas, requirements and how to apply.")
    )


#: Each intent's composer (any other intent: the program's overview).
_COMPOSERS = {
    "deadline": _deadline_text,
    "contact": _contact_text,
    "documents": _documents_text,
    "benefit": _benefit_text,
    "quota": _quota_text,
    "apply": _apply_text,
    "eligibility": _eligibility_text,
}
#: The composers whose text says the program's status at ``now`` (and nothing else of the moment); the
#: others say nothing of it, but for the deadlines (:func:`compose` composes those every time).
_SAYS_STATUS = frozenset({_apply_text, _overview_text})
