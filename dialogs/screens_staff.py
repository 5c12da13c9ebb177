"""The texts of staff review and of questions relayed to staff, on both sides.

What staff read (a submission with its verdict and documents, the decision
line added under it, a withdrawn submission, an applicant's question) and what
the applicant is told of staff's decision or answer. Composed outside a
conversation (:func:`dialogs.render.render_composed`) as well as in one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dialogs.eligibility import Verdict, assess
from dialogs.explain import assessment_lines, verdict_label
from dialogs.i18n import Translator
from dialogs.input_phones import readable_phone
from dialogs.loader import Content
from dialogs.open_ends import reviewer_lines
from dialogs.schema_program import Program
from dialogs.screen_parts import Composer, documents_lines, office_name, sector_label, stored_title
from dialogs.submit_notes import softened_warning


def _staff_submission(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """What staff read of a submission: who, which track, the verdict with its reasons, the documents."""
    _ = tr.gettext
    heads = {
        "new_submission": _("New submission {reference}"),
        "resubmitted": _("Submission {reference}: the applicant sent documents again"),
    }
    lines = [heads[args["kind"]].format(reference=args["reference"])]
    contact = args["contact"]
    program = content.find_program(args["program"])
    lines += _softened_flag(program, args, content, tr)
    title = stored_title(content, args["program"], args["track"], tr)
    lines += [
        _("Program: {program}").format(program=title),
        _("Name: {name}").format(name=contact.get("name") or "—"),
        _("Phone: {phone}").format(phone=readable_phone(contact.get("phone") or "—")),
        _("Employer: {employer}").format(employer=contact.get("employer") or "—"),
    ]
    if program is not None and contact.get("sector"):
        lines.append(_("Field: {sector}").format(sector=sector_label(program, contact["sector"], tr)))
    lines.append(_("Submitted: {date}").format(date=tr.datetime(args["created_at"])))
    lines += _staff_eligibility(program, args, content, tr)
    lines += _staff_reviewer_conditions(program, args["track"], tr)
    documents = args["documents"]
    if args["kind"] == "resubmitted":
        lines.append(_("Documents sent now:"))
    else:
        lines.append(_("Documents:"))
    if program is not None and documents:
        lines += documents_lines(program, documents, tr)
    elif not documents:
        lines.append("- " + _("none"))
    return "\n".join(lines)


def _softened_flag(program: Program | None, args: dict[str, Any], content: Content, tr: Translator) -> list[str]:
    """First under the heading: a requirement the notice softens (一般 / 原则上) that the applicant fails, with the
    notice's word, so that staff decide on the exception knowingly (the applicant was warned before sending)."""
    if program is None or not any(t.id == args["track"] for t in program.tracks):
        return []
    return softened_warning(
        assess(program, program.track(args["track"]), args["facts"], content.facts), tr, for_staff=True
    )


def _staff_eligibility(program: Program | None, args: dict[str, Any], content: Content, tr: Translator) -> list[str]:
    """The verdict as it was at submission (``args["verdict"]``, the stored one: staff decide on what the
    applicant was told), then the reasons as the rules read now, saying so when they now conclude otherwise."""
    _ = tr.gettext
    stored = next((v for v in Verdict if v.value == args.get("verdict")), None)
    track = None
    if program is not None:
        try:
            track = program.track(args["track"])
        except KeyError:
            track = None
    assessment = None if program is None or track is None else assess(program, track, args["facts"], content.facts)
    shown = stored or (assessment.verdict if assessment else None)
    if shown is None:
        return []
    lines = [_("Eligibility: {verdict}").format(verdict=verdict_label(shown, tr))]
    if assessment is not None:
        if assessment.verdict is not shown:
            lines.append(
                _("Under the rules as they read today: {verdict}").format(verdict=verdict_label(assessment.verdict, tr))
            )
        lines += assessment_lines(assessment, tr)
    return lines


def _staff_reviewer_conditions(program: Program | None, track_id: str | None, tr: Translator) -> list[str]:
    """The conditions the notice leaves to the reviewers of this track, for staff to judge: nothing
    when this version of the content no longer has the program or the track."""
    if program is None:
        return []
    try:
        track = program.track(track_id)
    except KeyError:
        return []
    return reviewer_lines(program, track, tr)


def _staff_decision(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """The line added under a staff notification once someone decided."""
    _ = tr.gettext
    texts = {
        "accepted": _("Accepted by {who}, {when}."),
        "returned": _("Returned by {who}, {when}: {comment}"),
        "more_requested": _("{who} asked for one more document, {when}: {comment}"),
    }
    return texts[args["status"]].format(
        who=args["who"], when=tr.datetime(args["at"]), comment=args.get("comment") or ""
    )


def _applicant_update(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """What the applicant is told when staff decide on their submission."""
    _ = tr.gettext
    title = stored_title(content, args["program"], args["track"], tr)
    texts = {
        "accepted": _("Good news: your submission {reference} to {program} has been accepted."),
        "returned": _("Your submission {reference} to {program} was returned to you for changes."),
        "more_requested": _("Staff ask for one more document for your submission {reference} to {program}."),
    }
    lines = [texts[args["status"]].format(reference=args["reference"], program=title)]
    if args.get("comment"):
        lines.append(_("Staff: {comment}").format(comment=args["comment"]))
    if args["status"] != "accepted":
        lines.append(_("Press the button below to send the documents."))
    return "\n".join(lines)


def _staff_withdrawn(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    return tr.gettext("Submission {reference} was withdrawn: the applicant deleted their data in the bot.").format(
        reference=args["reference"]
    )


def _staff_question(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """A free question the bot passed on, as staff read it: who asks about what, and how to answer."""
    _ = tr.gettext
    program = args.get("program")
    title = _("not named") if program is None else stored_title(content, program, None, tr, with_track=False)
    lines = [
        _("Question {reference} from {name}").format(
            reference=args["reference"], name=args.get("asker") or _("an applicant")
        ),
        _("Program: {program}").format(program=title),
    ]
    office = office_name(content, program, args.get("office"), tr)
    if office:
        lines.append(_("Office: {office}").format(office=office))
    lines += [
        _("Asked: {date}").format(date=tr.datetime(args["asked_at"])),
        "",
        args["question"],
        "",
        _("Reply to this message to answer. Each reply is sent to the applicant as you write it."),
    ]
    return "\n".join(lines)


def _question_answer(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """Staff's reply to a question the applicant passed on, as the applicant reads it."""
    _ = tr.gettext
    office = office_name(content, args.get("program"), args.get("office"), tr)
    if office:
        return _('Staff of {office} answered your question "{question}":\n{answer}').format(
            office=office, question=args["question"], answer=args["answer"]
        )
    return _('Staff answered your question "{question}":\n{answer}').format(
        question=args["question"], answer=args["answer"]
    )


#: Staff review's and the question relay's composers by their reply key.
SCREENS: dict[str, Composer] = {
    "@staff_submission": _staff_submission,
    "@staff_decision": _staff_decision,
    "@applicant_update": _applicant_update,
    "@staff_withdrawn": _staff_withdrawn,
    "@staff_question": _staff_question,
    "@question_answer": _question_answer,
}
