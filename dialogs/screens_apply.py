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

from dialogs.eligibility import Assessment, Verdict, assess
from dialogs.explain import status_label, verdict_label
from dialogs.grounding import stated
from dialogs.i18n import N_, Translator
from dialogs.input_phones import readable_phone
from dialogs.loader import Content
from dialogs.routing import reviewing_office
from dialogs.schedule import is_open, program_status
from dialogs.screen_parts import (
    Composer,
    document_name,
    documents_lines,
    office_name,
    program_title,
    sector_label,
    stored_title,
)
from dialogs.submission_checks import firm_failures, fitting_tracks, missing_items
from dialogs.submit_notes import firm_failure_lines, next_steps_lines, softened_warning


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
    """The application as it will be sent, with what stops it or what staff will be warned of, before confirming."""
    _ = tr.gettext
    program = content.program(args["program"])
    track = program.track(args["track"])
    draft = args["draft"]
    assessment = assess(program, track, args["facts"], content.facts)
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
        _("Eligibility: {verdict}").format(verdict=_review_verdict(assessment, tr)),
    ]
    if firm_failures(assessment):
        lines.append(_("It cannot be sent: the notice states these requirements without exception:"))
        lines += firm_failure_lines(assessment, tr)
    lines += softened_warning(assessment, tr, for_staff=False)
    lines += [_("Documents:"), *documents_lines(program, draft["documents"], tr)]
    missing = missing_items(program, track, draft["documents"])
    if missing:
        lines.append(
            _("Still without a file (yours to provide): {documents}").format(
                documents=tr.format_list([document_name(program, item, tr) for item in missing])
            )
        )
    return "\n".join(lines)


def _review_verdict(assessment: Assessment, tr: Translator) -> str:
    """ "Not eligible" only when a firm requirement fails; a softened one failed reads as what it is."""
    if assessment.verdict is Verdict.INELIGIBLE and not firm_failures(assessment):
        return tr.gettext("a requirement the notice softens is not met; exceptions are possible")
    return verdict_label(assessment.verdict, tr)


def _submit_refused(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """Confirm refused for a requirement stated firmly and failed: the rule and its clause, then what fits instead."""
    _ = tr.gettext
    program = content.program(args["program"])
    assessment = assess(program, program.track(args["track"]), args["facts"], content.facts)
    lines = [
        _("Not sent: {program} requires what your answers do not meet, and the notice allows no exception:").format(
            program=program_title(content, program.id, args["track"], tr)
        ),
        *firm_failure_lines(assessment, tr),
    ]
    lines += _fitting_lines(content, args["facts"], (program.id, args["track"]), now, tr)
    lines.append(_("If an answer was wrong, change it and send again."))
    return "\n".join(lines)


def _fitting_lines(
    content: Content, facts: dict[str, Any], besides: tuple[str, str | None], now: dt.datetime, tr: Translator
) -> list[str]:
    """The other tracks the answers so far fit (with their window's state when it is not open), or that none do."""
    _ = tr.gettext
    fitting = fitting_tracks(content, facts, besides)
    if not fitting:
        return [
            _(
                "No other track fits all your answers so far. The fit-finder asks what it still needs to know; "
                "the contacts can tell you more."
            )
        ]
    lines = [_("Your answers so far fit:")]
    for a in fitting:
        title = program_title(content, a.program.id, a.track.id, tr)
        if not is_open(a.program, a.track, now):  # fits, but cannot be applied for now: say so
            title = _("{label}: {value}").format(label=title, value=status_label(program_status(a.program, now), tr))
        lines.append(f"- {title}")
    return lines


def _fitting(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """Under "you cannot apply for this track": what the same answers do fit."""
    return "\n".join(_fitting_lines(content, args["facts"], (args["program"], args["track"]), now, tr))


def _already_submitted(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """A second application to the same track: the first one, instead of another."""
    _ = tr.gettext
    lines = [
        _("You already applied to {program}: submission {reference}, {status}.").format(
            program=program_title(content, args["program"], args["track"], tr),
            reference=args["reference"],
            status=status_word(args["status"], tr),
        ),
        _(
            "One track takes one application. To add to it, send documents when staff return it or ask for more; "
            "to change something else, ask the contacts."
        ),
    ]
    return "\n".join(lines)


def _missing_documents(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """Confirm refused while the applicant's own items have no file: which ones."""
    program = content.program(args["program"])
    names = [document_name(program, item, tr) for item in args["items"]]
    return tr.ngettext(
        "Not sent yet: this document of yours has no file: {documents}.",
        "Not sent yet: these documents of yours have no file: {documents}.",
        len(names),
    ).format(documents=tr.format_list(names))


def _receipt(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """Sent to the office, not yet reviewed (never "accepted"): the reference, and the notice's road ahead."""
    _ = tr.gettext
    program = content.program(args["program"])
    track = program.track(args["track"])
    office = reviewing_office(program, track.id, args.get("sector"))
    if office is not None:
        head = _("Sent to {office}; not yet reviewed.").format(office=office.office.get(tr.lang))
    else:
        head = _("Sent to the office of the program; not yet reviewed.")
    lines = [
        head,
        _("Reference: {reference} (keep it).").format(reference=args["reference"]),
        _("Program: {program}").format(program=program_title(content, program.id, args["track"], tr)),
        _("Files sent:"),
        *documents_lines(program, args["draft"]["documents"], tr),
        _("Staff will review it and tell you here; that is not yet a decision on the program."),
        *next_steps_lines(program, track, now, tr),
    ]
    return "\n".join(lines)


def _submissions(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    submissions = args["submissions"]
    questions = _questions_lines(args.get("questions") or (), content, tr)
    if not submissions:
        return "\n".join([_("You have no submissions yet."), *questions])
    lines = [_("Your submissions:")]
    for s in submissions:
        title = stored_title(content, s["program"], s["track"], tr)
        line = "- " + _("{reference} · {program} · {status} · {date}").format(
            reference=s["reference"],
            program=title,
            status=status_word(s["status"], tr),
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


#: A submission's status as the applicant reads it, following the review: sent and not yet reviewed, returned,
#: more requested, accepted after review (never "accepted" before staff decide).
STATUS_LABELS = {
    "submitted": N_("submitted: sent to the office, not yet reviewed"),
    "returned": N_("returned to you for changes"),
    "more_requested": N_("more requested: staff ask for a document"),
    "accepted": N_("accepted by the office after review"),
}


def status_word(status: str, tr: Translator) -> str:
    """The status in the reader's words; an unknown stored value as it is."""
    label = STATUS_LABELS.get(status)
    return tr.gettext(label) if label else status


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
    "@submit_refused": _submit_refused,
    "@already_submitted": _already_submitted,
    "@missing_documents": _missing_documents,
    "@fitting_tracks": _fitting,
    "@submissions": _submissions,
    "@amend": _amend,
    "@amend_request": _amend_request,
}
