"""The sentences about sending an application: the warnings before it, the refusal, what the notice asks after.

Shared by the applicant's screens (review, refusal, receipt) and the staff
notice, so that both sides read the same warning about a softened requirement
in the same words. Content texts come from the content; the connecting words
from the catalogs.
"""

from __future__ import annotations

import datetime as dt

from dialogs.eligibility import Assessment, Reason
from dialogs.explain import contact_line, milestone_line
from dialogs.i18n import N_, Translator
from dialogs.schema_program import Document, Program, Track
from dialogs.schema_rules import Softening
from dialogs.submission_checks import firm_failures, next_steps, softened_failures

#: The notice's softening words, as staff and applicants read them.
SOFTENING_WORDS = {"generally": N_('"generally"'), "in_principle": N_('"in principle"')}
#: How a document is handed in, by the content's ``forms`` value.
FORM_LABELS = {
    "online_form": N_("filled in online"),
    "printed_form": N_("printed form"),
    "scan": N_("scan"),
    "photocopy": N_("photocopy"),
    "original": N_("original"),
    "disc": N_("on a disc"),
    "electronic": N_("electronic version"),
    "paper": N_("on paper"),
}
#: The heading of each kind of step the notice asks of the applicant.
CHANNEL_LABELS = {
    "recommendation": N_("Through your unit"),
    "online": N_("In the online system"),
    "paper": N_("On paper"),
}


def softening_word(softened: Softening, tr: Translator) -> str:
    return tr.gettext(SOFTENING_WORDS[softened.word])


def _softened_line(program: Program, reason: Reason, tr: Translator) -> str:
    requirement = reason.requirement
    assert requirement.softened is not None
    return "⚠ " + tr.gettext("Not met: {rule} — the notice says {word} [{source}]").format(
        rule=requirement.text.get(tr.lang),
        word=softening_word(requirement.softened, tr),
        source=program.cite(requirement.source),
    )


def softened_warning(assessment: Assessment, tr: Translator, *, for_staff: bool) -> list[str]:
    """The softened requirements the applicant fails, each with the notice's word; the applicant is also told
    whom to ask about an exception (once, not under every rule)."""
    failed = softened_failures(assessment)
    if not failed:
        return []
    _ = tr.gettext
    program = assessment.program
    if for_staff:
        head = _("Flag: the applicant does not meet a requirement the notice softens; judge whether to except them:")
    else:
        head = _(
            "Warning: you do not meet a requirement the notice softens. You may still submit; staff will see this:"
        )
    lines = [head, *(_softened_line(program, r, tr) for r in failed)]
    if not for_staff:
        asked = {c for r in failed if r.requirement.softened for c in r.requirement.softened.ask}
        contacts = [c for c in program.contacts if c.id in asked]
        if contacts:
            lines.append(
                _("To ask about an exception: {contacts}").format(
                    contacts=tr.format_list([contact_line(c, tr) for c in contacts])
                )
            )
    return lines


def firm_failure_lines(assessment: Assessment, tr: Translator) -> list[str]:
    """Each requirement the notice states firmly and the applicant fails, with its clause."""
    program = assessment.program
    return [
        "✗ "
        + tr.gettext("{rule} [{source}]").format(
            rule=r.requirement.text.get(tr.lang), source=program.cite(r.requirement.source)
        )
        for r in firm_failures(assessment)
    ]


def _handed_in_line(document: Document, tr: Translator) -> str:
    name = document.name.get(tr.lang)
    if document.copies:
        name = tr.ngettext("{name} ({n} copy)", "{name} ({n} copies)", document.copies).format(
            name=name, n=document.copies
        )
    forms = [tr.gettext(FORM_LABELS[f]) for f in document.forms]
    if forms:
        name = tr.gettext("{label}: {value}").format(label=name, value=tr.format_list(forms))
    return "- " + name


def next_steps_lines(program: Program, track: Track, now: dt.datetime, tr: Translator) -> list[str]:
    """What the notice still asks of the applicant after the bot: its steps through the unit, online and on
    paper, the documents to hand in and how many copies, and the dates (Beijing time) — all from the content."""
    _ = tr.gettext
    ahead = next_steps(program, track)
    lines: list[str] = []
    for step in ahead.steps:
        text = step.text.get(tr.lang)
        if step.url:
            text = _("{text} ({url})").format(text=text, url=step.url)
        lines.append("- " + _("{label}: {value}").format(label=_(CHANNEL_LABELS[step.channel]), value=text))
    if ahead.handed_in:
        lines.append(_("To hand in:"))
        lines += [_handed_in_line(d, tr) for d in ahead.handed_in]
    if ahead.dates:
        lines.append(_("Dates:"))
        lines += ["- " + milestone_line(m, now, tr) for m in ahead.dates]
    if not lines:
        return []
    return [_("What the notice still asks of you:"), *lines]
