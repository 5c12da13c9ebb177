"""Rendering engine replies into text in the reader's language.

A reply key is either a gettext message id (English, with ``{placeholders}``)
or, when it starts with ``@``, the name of a composer here that builds a longer
text from the content (a verdict with its reasons, a receipt, the ranking).
Every channel renders through this one module, so a flow reads the same in the
terminal and on Telegram.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from dialogs.answers import answer, compose
from dialogs.bidi import for_reader
from dialogs.eligibility import Verdict, assess
from dialogs.events import Button, Reply
from dialogs.explain import assessment_lines, milestone_line, verdict_label
from dialogs.i18n import LANGUAGE_NAMES, N_, Translator
from dialogs.loader import Content
from dialogs.matcher import rank
from dialogs.schedule import applicant_deadline, is_open, program_status
from dialogs.schema_program import Program, Track

Composer = Callable[[dict[str, Any], Content, dt.datetime, Translator], str]


def _program(content: Content, program_id: str) -> Program:
    return content.program(program_id)


def _track(program: Program, track_id: str | None) -> Track:
    return program.track(track_id)


def _title(content: Content, program_id: str, track_id: str | None, tr: Translator, *, with_track: bool = True) -> str:
    program = _program(content, program_id)
    title = program.short_title.get(tr.lang)
    if with_track and len(program.tracks) > 1:
        title = tr.gettext("{program} — {track}").format(
            program=title, track=_track(program, track_id).title.get(tr.lang)
        )
    return title


def office_name(content: Content, program_id: str | None, contact_id: str | None, tr: Translator) -> str | None:
    """The office of one of a program's contacts in the reader's language; None when the content
    (perhaps a newer version than the one a stored question was routed with) no longer has it."""
    if program_id is None or contact_id is None:
        return None
    program = content.find_program(program_id)
    if program is None:
        return None
    contact = next((c for c in program.contacts if c.id == contact_id), None)
    return contact.office.get(tr.lang) if contact else None


def _arg(value: Any, content: Content, tr: Translator) -> Any:
    if isinstance(value, dict) and value.get("@content") == "program":
        return _program(content, value["id"]).short_title.get(tr.lang)
    if isinstance(value, dict) and value.get("@content") == "office":
        return office_name(content, value["program"], value["id"], tr) or value["id"]
    if isinstance(value, (tuple, list)):
        return tr.format_list([str(v) for v in value])
    return value


def render(reply: Reply, content: Content, now: dt.datetime, tr: Translator) -> str:
    """The reply's text for the reader, with direction marks where the language is written right to left."""
    if reply.key.startswith("@"):
        return for_reader(COMPOSERS[reply.key](dict(reply.args), content, now, tr), tr.lang)
    args = {k: _arg(v, content, tr) for k, v in reply.args.items()}
    if reply.plural is not None:
        template = tr.ngettext(reply.key, reply.plural, int(reply.args["count"]))
    else:
        template = tr.gettext(reply.key)
    return for_reader(template.format(**args), tr.lang)


def render_composed(name: str, args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """A composed text outside a conversation (a staff notification, a message relayed to an applicant)."""
    return for_reader(COMPOSERS[name](args, content, now, tr), tr.lang)


def button_label(button: Button, content: Content, tr: Translator) -> str:
    """A button's label; a literal one (a language's own name) is shown as it is written."""
    if button.literal:
        return button.label
    return for_reader(_button_text(button, content, tr), tr.lang)


def _button_text(button: Button, content: Content, tr: Translator) -> str:
    args = button.args
    if button.label == "@program_title":
        return _program(content, args["program"]).short_title.get(tr.lang)
    if button.label == "@track_title":
        return _track(_program(content, args["program"]), args["track"]).title.get(tr.lang)
    if button.label == "@value_label":
        return _value_label(content, args["fact"], args["value"], tr)
    if button.label == "@replace_document":
        doc = next(d for d in _program(content, args["program"]).documents if d.id == args["item"])
        return tr.gettext("Replace: {document}").format(document=doc.name.get(tr.lang))
    if button.label == "@sector_label":
        sector = next(x for x in _program(content, args["program"]).sectors if x.id == args["sector"])
        return sector.label.get(tr.lang)
    if button.label == "@amend_item":
        name = document_name(_program(content, args["program"]), args["item"], tr)
        if args.get("received"):
            return tr.gettext("{document} ({n} new)").format(document=name, n=args["received"])
        return name
    if button.label == "@fact_answer":
        label = content.facts[args["fact"]].label.get(tr.lang)
        return tr.gettext("{label}: {value}").format(
            label=label, value=_value_label(content, args["fact"], args["value"], tr)
        )
    return tr.gettext(button.label).format(**args)


def _value_label(content: Content, fact_id: str, value: Any, tr: Translator) -> str:
    fact = content.facts[fact_id]
    return fact.kind.label(fact, value, tr)


# --------------------------------------------------------------------------- composers


def _welcome(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """The first start: what the bot does, and the language it guessed (the menu offers the others)."""
    _ = tr.gettext
    return "\n".join(
        [
            _("Welcome! I help you find a talent program, check your eligibility and apply."),
            _("I am writing in {language}. Tap another language below, or use /language at any time.").format(
                language=LANGUAGE_NAMES[tr.lang]
            ),
        ]
    )


def _help(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    lines = [
        _(
            "I answer questions about these talent programs, check your eligibility clause by clause, and take your application with its documents."
        ),
        _("Type a question at any time, for example: when is the deadline, whom do I call, what documents are needed."),
        _(
            "Commands: /start menu, /programs information, /check eligibility, /apply apply, /status my submissions, /edit change an answer, /back go back, /cancel stop, /language language, /help this help."
        ),
    ]
    return "\n".join(lines)


def _question(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    fact = content.facts[args["fact"]]
    lines = [tr.gettext("Question {n}: {question}").format(n=args["asked"], question=fact.question.get(tr.lang))]
    if fact.help is not None:
        lines.append(fact.help.get(tr.lang))
    hint = args.get("hint")
    if hint:
        lines.append(tr.gettext(hint))
    return "\n".join(lines)


def _ranking(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    facts = args["facts"]
    assessments = [assess(p, t, facts, content.facts) for p, t in content.tracks()]
    ranking = rank(assessments, {(p.id, t.id): is_open(p, t, now) for p, t in content.tracks()})
    parts: list[str] = []
    if ranking.eligible_open:
        parts.append(_("You are eligible, and the window is open:"))
        parts += [f"- {_title(content, a.program.id, a.track.id, tr)}" for a in ranking.eligible_open]
    if ranking.eligible_closed:
        parts.append(_("You are eligible, but the window is not open now:"))
        for a in ranking.eligible_closed:
            title = _title(content, a.program.id, a.track.id, tr)
            deadline = applicant_deadline(a.program, now)
            if program_status(a.program, now) == "draft":
                title = _("{program_status} — {deadline}").format(
                    program_status=title, deadline=_("draft, no call for applications yet")
                )
            elif deadline is not None:
                title = _("{program_status} — {deadline}").format(
                    program_status=title, deadline=milestone_line(deadline, now, tr)
                )
            parts.append(f"- {title}")
    if ranking.blocked:
        parts.append(_("Not eligible:"))
        for a in ranking.blocked:
            failed = next(r for r in a.reasons if r.met is False)
            reason = failed.requirement.text.get(tr.lang)
            why = _("not met: {reason} [{source}]").format(
                reason=reason, source=a.program.cite(failed.requirement.source)
            )
            parts.append(
                "- " + _("{label}: {value}").format(label=_title(content, a.program.id, a.track.id, tr), value=why)
            )
    if ranking.undecided:
        parts.append(_("Not decided (some answers were left open):"))
        parts += [f"- {_title(content, a.program.id, a.track.id, tr)}" for a in ranking.undecided]
    if not ranking.eligible_open and not ranking.eligible_closed:
        parts.insert(0, _("No program fits all your answers."))
    return "\n".join(parts)


def _verdict(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = _program(content, args["program"])
    track = _track(program, args["track"])
    assessment = assess(program, track, args["facts"], content.facts)
    head = _("{title}: {verdict}").format(
        title=_title(content, program.id, track.id, tr), verdict=verdict_label(assessment.verdict, tr)
    )
    lines = [head, *assessment_lines(assessment, tr)]
    if assessment.verdict is Verdict.UNDETERMINED:
        labels = [content.facts[f].label.get(tr.lang) for f in assessment.missing if f in content.facts]
        lines.append(_("Still unknown: {facts}. The contacts below can help.").format(facts=tr.format_list(labels)))
    open_now = is_open(program, track, now)
    if assessment.verdict is Verdict.ELIGIBLE:
        lines.append(
            _("Next: you can apply now.") if open_now else _("Next: the window is not open now; see the deadlines.")
        )
    return "\n".join(lines)


def _closed(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = _program(content, args["program"])
    title = _title(content, program.id, args["track"], tr)
    if program.draft:
        return _("{program}: this is a draft policy; no application window has been announced yet.").format(
            program=title
        )
    window = program.window_of(_track(program, args["track"]))
    text = _("Applications for {program} are not open now.").format(program=title)
    if window is not None:
        text += "\n" + _("Last window: {window}").format(window=milestone_line(window, now, tr))
    return text


def _document_request(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = _program(content, args["program"])
    doc = next(d for d in program.documents if d.id == args["item"])
    lines = [
        _("Document {position} of {total}: {document}").format(
            position=args["position"], total=args["total"], document=doc.name.get(tr.lang)
        )
    ]
    if doc.note is not None:
        lines.append(doc.note.get(tr.lang))
    lines.append(
        _("Send it as a PDF, a photo (JPEG or PNG) or a Word/Excel file; several files are fine (one per page).")
    )
    if args["received"]:
        lines.append(
            tr.ngettext(
                "{n} file received for this document.", "{n} files received for this document.", args["received"]
            ).format(n=args["received"])
        )
    return "\n".join(lines)


def document_name(program: Program, item: str, tr: Translator) -> str:
    """A checklist item's name; ``other`` is a document staff asked for that the notice does not list."""
    for doc in program.documents:
        if doc.id == item:
            return doc.name.get(tr.lang)
    return tr.gettext("Other document")


def _documents_lines(program: Program, documents: dict[str, list[dict[str, Any]]], tr: Translator) -> list[str]:
    """One line per checklist item with the names of its files, in the program's order (others last)."""
    order = [d.id for d in program.documents]
    items = sorted(documents, key=lambda item: order.index(item) if item in order else len(order))
    lines = []
    for item in items:
        files = documents.get(item) or []
        if files:
            names = tr.format_list([f.get("name") or f["original_name"] for f in files])
            lines.append(
                "- " + tr.gettext("{label}: {value}").format(label=document_name(program, item, tr), value=names)
            )
    return lines


def _sector_label(program: Program, sector: str | None, tr: Translator) -> str | None:
    found = next((x for x in program.sectors if x.id == sector), None)
    return found.label.get(tr.lang) if found else None


def _review(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = _program(content, args["program"])
    draft = args["draft"]
    verdict = assess(program, _track(program, args["track"]), args["facts"], content.facts).verdict
    lines = [
        _("Please check your application to {program}:").format(program=_title(content, program.id, args["track"], tr)),
        _("Name: {name}").format(name=draft["name"]),
        _("Phone: {phone}").format(phone=draft["phone"]),
        _("Employer: {employer}").format(employer=draft["employer"]),
        *(
            [_("Field: {sector}").format(sector=_sector_label(program, draft.get("sector"), tr))]
            if draft.get("sector")
            else []
        ),
        _("Eligibility: {verdict}").format(verdict=verdict_label(verdict, tr)),
        _("Documents:"),
        *_documents_lines(program, draft["documents"], tr),
    ]
    return "\n".join(lines)


def _receipt(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = _program(content, args["program"])
    lines = [
        _("Your application has been received. Reference: {reference}").format(reference=args["reference"]),
        _("Program: {program}").format(program=_title(content, program.id, args["track"], tr)),
        _("Received:"),
        *_documents_lines(program, args["draft"]["documents"], tr),
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
        try:
            title = _title(content, s["program"], s["track"], tr)
        except KeyError:
            title = s["program"]
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
    program = _program(content, args["program"])
    lines = [
        _("Submission {reference} · {program}").format(
            reference=args["reference"], program=_title(content, program.id, args["track"], tr)
        )
    ]
    if args.get("comment"):
        lines.append(_("Staff: {comment}").format(comment=args["comment"]))
    lines.append(_('Choose the document you are sending, send the files, then press "Send to staff".'))
    documents = args.get("documents") or {}
    if any(documents.values()):
        lines += [_("Ready to send:"), *_documents_lines(program, documents, tr)]
    return "\n".join(lines)


def _amend_request(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = _program(content, args["program"])
    lines = [
        _("Send the files for: {document}").format(document=document_name(program, args["item"], tr)),
        _("Send it as a PDF, a photo (JPEG or PNG) or a Word/Excel file; several files are fine (one per page)."),
    ]
    if args["received"]:
        lines.append(
            tr.ngettext(
                "{n} file received for this document.", "{n} files received for this document.", args["received"]
            ).format(n=args["received"])
        )
    return "\n".join(lines)


def _staff_submission(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """What staff read of a submission: who, which track, the verdict with its reasons, the documents."""
    _ = tr.gettext
    heads = {
        "new_submission": _("New submission {reference}"),
        "resubmitted": _("Submission {reference}: the applicant sent documents again"),
    }
    lines = [heads[args["kind"]].format(reference=args["reference"])]
    contact = args["contact"]
    try:
        program = _program(content, args["program"])
    except KeyError:
        program = None
    title = _title(content, args["program"], args["track"], tr) if program else args["program"]
    lines += [
        _("Program: {program}").format(program=title),
        _("Name: {name}").format(name=contact.get("name") or "—"),
        _("Phone: {phone}").format(phone=contact.get("phone") or "—"),
        _("Employer: {employer}").format(employer=contact.get("employer") or "—"),
    ]
    if program is not None and contact.get("sector"):
        lines.append(_("Field: {sector}").format(sector=_sector_label(program, contact["sector"], tr)))
    lines.append(_("Submitted: {date}").format(date=tr.datetime(args["created_at"])))
    lines += _staff_eligibility(program, args, content, tr)
    documents = args["documents"]
    if args["kind"] == "resubmitted":
        lines.append(_("Documents sent now:"))
    else:
        lines.append(_("Documents:"))
    if program is not None and documents:
        lines += _documents_lines(program, documents, tr)
    elif not documents:
        lines.append("- " + _("none"))
    return "\n".join(lines)


def _staff_eligibility(program: Program | None, args: dict[str, Any], content: Content, tr: Translator) -> list[str]:
    """The verdict as it was at submission (``args["verdict"]``, the stored one: staff decide on what the
    applicant was told), then the reasons as the rules read now, saying so when they now conclude otherwise."""
    _ = tr.gettext
    stored = next((v for v in Verdict if v.value == args.get("verdict")), None)
    track = None
    if program is not None:
        try:
            track = _track(program, args["track"])
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
    try:
        title = _title(content, args["program"], args["track"], tr)
    except KeyError:
        title = args["program"]
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
    if program is None:
        title = _("not named")
    else:
        try:
            title = _title(content, program, None, tr, with_track=False)
        except KeyError:
            title = program
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


def _answer(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    return answer(
        args["question"], content, now, tr, program_id=args.get("program"), chosen=bool(args.get("chosen"))
    ).text


def _info(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    program = _program(content, args["program"])
    track = _track(program, args["track"]) if args.get("track") is not None or len(program.tracks) == 1 else None
    return compose(args["intent"], program, track, None, now, tr)


COMPOSERS: dict[str, Composer] = {
    "@welcome": _welcome,
    "@help": _help,
    "@question": _question,
    "@ranking": _ranking,
    "@verdict": _verdict,
    "@closed": _closed,
    "@document_request": _document_request,
    "@review": _review,
    "@receipt": _receipt,
    "@submissions": _submissions,
    "@answer": _answer,
    "@info": _info,
    "@amend": _amend,
    "@amend_request": _amend_request,
    "@staff_submission": _staff_submission,
    "@staff_decision": _staff_decision,
    "@applicant_update": _applicant_update,
    "@staff_withdrawn": _staff_withdrawn,
    "@staff_question": _staff_question,
    "@question_answer": _question_answer,
}
