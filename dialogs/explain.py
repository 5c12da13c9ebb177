"""Turning verdicts, deadlines and contacts into sentences in the reader's language.

Content texts come from the content files; the connecting words come from the
gettext catalogs through the :class:`~dialogs.i18n.Translator`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dialogs.eligibility import Assessment, Reason, Verdict
from dialogs.grounding import stated
from dialogs.i18n import Translator
from dialogs.schedule import closes_at, last_moment, opens_at, window_state
from dialogs.schema_program import Amount, Contact, Milestone, Program
from dialogs.screen_parts import remembered


def contact_line(contact: Contact, tr: Translator) -> str:
    """``张立志（自治区人社厅专技处）0991-3689692`` — who, where, how to reach them."""
    _ = tr.gettext
    who = tr.format_list(contact.names) if contact.names else ""
    office = contact.office.get(tr.lang)
    head = _("{who} ({office})").format(who=who, office=office) if who else office
    ways = list(contact.phones) + list(contact.emails)
    if contact.address is None:
        return _("{head}: {ways}").format(head=head, ways=tr.format_list(ways, style="or"))
    address = contact.address.get(tr.lang)
    if contact.postcode:
        address = _("{address}, postcode {postcode}").format(address=address, postcode=contact.postcode)
    if not ways:
        return _("{head}: {ways}").format(head=head, ways=address)
    return _("{head}: {ways}; address: {address}").format(
        head=head, ways=tr.format_list(ways, style="or"), address=address
    )


def reason_text(program: Program, reason: Reason, tr: Translator) -> str:
    """The requirement in the reader's language; a softened one says that exceptions exist.

    Whom to ask about the exceptions is said once per reply, after the requirements
    (:func:`exception_contacts`, :func:`ask_line`): several softened rules of one track
    name the same offices, and repeating them under every rule buried the verdict."""
    _ = tr.gettext
    requirement = reason.requirement
    text = stated(requirement, requirement.text, tr)
    softened = requirement.softened
    if softened is None:
        return text
    if softened.word == "generally":
        note = _('The notice says "generally": exceptions are possible.')
    elif softened.word == "elsewhere":
        note = _("The notice relaxes this for cases it does not list itself: exceptions are possible.")
    else:
        note = _('The notice says "in principle": exceptions are possible.')
    return _("{text} ({note})").format(text=text, note=note)


def exception_contacts(program: Program, reasons: Sequence[Reason]) -> list[Contact]:
    """The contacts the softened requirements among ``reasons`` name, each once, in the program's order."""
    named = {c for r in reasons if r.requirement.softened is not None for c in r.requirement.softened.ask}
    return [c for c in program.contacts if c.id in named]


def policy_contacts(program: Program) -> list[Contact]:
    """The contacts who answer questions on the policy or in general: whom to ask what the notice leaves open."""
    return [c for c in program.contacts if any(t in ("policy", "general") for d in c.duties for t in d.topics)]


def ask_line(contacts: Sequence[Contact], tr: Translator) -> str | None:
    """The one contact paragraph of a reply: ``None`` when there is nobody to name (never an empty "ask:")."""
    if not contacts:
        return None
    return tr.gettext("To ask: {contacts}").format(contacts=tr.format_list([contact_line(c, tr) for c in contacts]))


def verdict_label(verdict: Verdict, tr: Translator) -> str:
    _ = tr.gettext
    return {
        Verdict.ELIGIBLE: _("eligible"),
        Verdict.INELIGIBLE: _("not eligible"),
        Verdict.UNDETERMINED: _("not yet decided: more answers needed"),
    }[verdict]


def met_mark(met: bool | None) -> str:
    return {True: "✓", False: "✗", None: "?"}[met]


def status_label(status: str, tr: Translator) -> str:
    _ = tr.gettext
    return {
        "draft": _("draft, no call for applications yet"),
        "upcoming": _("not open yet"),
        "open": _("open"),
        "closed": _("closed"),
    }[status]


def _milestone_dates(milestone: Milestone, tr: Translator) -> str:
    """When the window is (``2020年5月6日至5月20日``): the part of a milestone's line that does not change
    with the moment, composed once per language."""
    _ = tr.gettext
    end = tr.datetime(last_moment(milestone), with_time=milestone.closes.time is not None)
    start = opens_at(milestone)
    if start is None:
        return _("by {end}").format(end=end)
    opened_at_time = milestone.opens is not None and milestone.opens.time is not None
    return _("{start} to {end}").format(start=tr.datetime(start, with_time=opened_at_time, zone=False), end=end)


def milestone_line(milestone: Milestone, now: dt.datetime, tr: Translator) -> str:
    """``推荐材料报送截止：2020年5月6日（北京时间）— 已截止`` with the window's state at ``now``."""
    _ = tr.gettext
    label = milestone.label.get(tr.lang)
    when = remembered(milestone, "dates", tr, lambda: _milestone_dates(milestone, tr))
    start = opens_at(milestone)
    closes = closes_at(milestone)
    position = window_state(milestone, now)
    if milestone.audience == "applicant":
        if position == "closed":
            state = _("closed {when}").format(when=tr.relative(closes, now))
        elif position == "open":
            state = _("open now, {left}").format(left=tr.time_left(closes - now))
        elif start is not None:
            state = _("opens {when}").format(when=tr.relative(start, now))
        else:
            state = _("not open yet")
    else:  # a date for units or authorities: it is not a window the applicant can be "in"
        template = _("passed {when}") if position == "closed" else _("due {when}")
        state = template.format(when=tr.relative(closes, now))
    return _("{label}: {when} ({state})").format(label=label, when=when, state=state)


def amount_text(amount: Amount, tr: Translator) -> str:
    _ = tr.gettext
    low = tr.money(amount.min, amount.currency)
    value = (
        low if amount.max is None else _("{low} to {high}").format(low=low, high=tr.money(amount.max, amount.currency))
    )
    per = {
        "person_once": _("per person, once"),
        "person": _("per person"),
        "team": _("per team"),
        "hospital_year": _("per hospital per year"),
        "project": _("per project"),
    }[amount.per]
    return _("{value} ({per})").format(value=value, per=per)


def assessment_lines(assessment: Assessment, tr: Translator, *, unmet_first: bool = False) -> list[str]:
    """One line per requirement, marked ✓ met, ✗ not met, ? not known yet, with its clause.

    ``unmet_first`` puts the rules not met first, then the unknown ones, then those met (each group in
    the notice's order): a long verdict is cut into messages, and what decides it must be in the first.
    Whom to ask about exceptions is not repeated here: see :func:`exception_contacts`."""
    program = assessment.program
    reasons = list(assessment.reasons)
    if unmet_first:
        reasons.sort(key=lambda r: {False: 0, None: 1, True: 2}[r.met])
    return [f"{met_mark(r.met)} {reason_text(program, r, tr)} [{program.cite(r.requirement.source)}]" for r in reasons]
