"""The screens of applying and following up: documents, the review, the receipt, /status, amending.

What an applicant reads while handing in an application and after: which
document to send next, the review before submitting, the receipt with its
reference, their submissions and questions to staff, and sending documents
again when staff return a submission. :mod:`dialogs.render` finds them by their
``@name``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dialogs.eligibility import assess
from dialogs.explain import verdict_label
from dialogs.grounding import stated
from dialogs.i18n import N_, Translator
from dialogs.input_phones import readable_phone
from dialogs.loader import Content
from dialogs.screen_parts import (
    Composer,
    document_name,
    documents_lines,
    office_name,
    program_title,
    sector_label,
    stored_title,
)


def _document_request(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = content.program(args["program"])
    doc = next(d for d in program.documents if d.id == args["item"])
    lines = [
        _("Document {position} of {total}: {document}").format(
            position=args["position"], total=args["total"], document=doc.name.get(tr.lang)
        )
    ]
    if doc.note is not None:
        lines.append(stated(doc, doc.note, tr))
    return "\n".join(lines + _how_to_send(args["received"], tr))


def _review(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = content.program(args["program"])
    draft = args["draft"]
    verdict = assess(program, program.track(args["track"]), args["facts"], content.facts).verdict
    lines = [
        _("Please check your application to {program}:").format(
            program=program_title(content, program.id, args["track"], tr)
        ),
        _("Name: {name}").format(name=draft["name"]),
        _("Phone: {phone}").format(phone=readable_phone(draft["phone"])),
        _("Employer: {employer}").format(employer=draft["employer"]),
        *(
            [_("Field: {sector}").format(sector=sector_label(program, draft.get("sector"), tr))]
            if draft.get("sector")
            else []
        ),
        _("Eligibility: {verdict}").format(verdict=verdict_label(verdict, tr)),
        _("Documents:"),
        *documents_lines(program, draft["documents"], tr),
    ]
    return "\n".join(lines)


def _receipt(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = content.program(args["program"])
    lines = [
        _("Your application has been received. Reference: {reference}").format(reference=args["reference"]),
        _("Program: {program}").format(program=program_title(content, program.id, args["track"], tr)),
        _("Received:"),
        *documents_lines(program, args["draft"]["documents"], tr),
        _("Staff will review it; you will be told here. Keep the reference number."),
    ]
    return "\n".join(lines)


def _submissions(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    submissions = args["submissions"]
    questions = _questions_lines(args.get("questions") or (), content, tr)
    if not submissions:
        return "\n".join([_("You have no submissions yet."), *questions])
    labels = {status: _(label) for status, label in STATUS_LABELS.items()}
    lines = [_("Your submissions:")]
    for s in submissions:
        title = stored_title(content, s["program"], s["track"], tr)
        line = "- " + _("{reference} · {program} · {status} · {date}").format(
            reference=s["reference"],
            program=title,
            status=labels.get(s["status"], s["status"]),
            date=tr.datetime(s["created_at"]),
        )
        if s.get("comment"):
            line += "\n  " + _("Staff: {comment}").format(comment=s["comment"])
        lines.append(line)
    return "\n".join(lines + questions)


def _questions_lines(questions: Any, content: Content, tr: Translator) -> list[str]:
    """The applicant's questions to staff with the answers so far: on the terminal the only place
    an answer shows, on Telegram a record of what was already relayed."""
    _ = tr.gettext
    if not questions:
        return []
    lines = [_("Your questions to staff:")]
    for q in questions:
        lines.append("- " + _('{date} · "{question}"').format(date=tr.datetime(q["asked_at"]), question=q["text"]))
        if q.get("answer"):
            office = office_name(content, q.get("program"), q.get("office"), tr)
            answer = "\n    ".join(q["answer"].splitlines())
            if office:
                lines.append("  " + _("Staff of {office}: {answer}").format(office=office, answer=answer))
            else:
                lines.append("  " + _("Staff: {comment}").format(comment=answer))
        else:
            lines.append("  " + _("No answer from staff yet."))
    return lines


STATUS_LABELS = {
    "submitted": N_("submitted, waiting for review"),
    "returned": N_("returned to you for changes"),
    "more_requested": N_("one more document requested"),
    "accepted": N_("accepted"),
}


def _amend(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = content.program(args["program"])
    lines = [
        _("Submission {reference} · {program}").format(
            reference=args["reference"], program=program_title(content, program.id, args["track"], tr)
        )
    ]
    if args.get("comment"):
        lines.append(_("Staff: {comment}").format(comment=args["comment"]))
    lines.append(_('Choose the document you are sending, send the files, then press "Send to staff".'))
    documents = args.get("documents") or {}
    if any(documents.values()):
        lines += [_("Ready to send:"), *documents_lines(program, documents, tr)]
    return "\n".join(lines)


def _amend_request(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = content.program(args["program"])
    lines = [_("Send the files for: {document}").format(document=document_name(program, args["item"], tr))]
    return "\n".join(lines + _how_to_send(args["received"], tr))


def _how_to_send(received: int, tr: Translator) -> list[str]:
    """What a document request says under its title, first time or again: the file types taken, and
    how many files have come for it so far."""
    lines = [
        tr.gettext(
            "Send it as a PDF, a photo (JPEG or PNG) or a Word/Excel file; several files are fine (one per page)."
        )
    ]
    if received:
        lines.append(
            tr.ngettext(
                "{n} file received for this document.", "{n} files received for this document.", received
            ).format(n=received)
        )
    return lines


#: The composers of applying and following up by their reply key.
SCREENS: dict[str, Composer] = {
    "@document_request": _document_request,
    "@review": _review,
    "@receipt": _receipt,
    "@submissions": _submissions,
    "@amend": _amend,
    "@amend_request": _amend_request,
}
