"""The applicant desk's screens: the welcome, help, a question of the dialog, the results and answers.

The texts a conversation composes from the content rather than from one
catalog message: "which program fits me" (the ranking), one track's verdict
with its reasons, a window that is not open, a free question's answer and a
program's information. :mod:`dialogs.render` finds them by their ``@name``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from dialogs.eligibility import Assessment, Verdict, assess
from dialogs.explain import (
    ask_line,
    assessment_lines,
    exception_contacts,
    milestone_line,
    policy_contacts,
    verdict_label,
)
from dialogs.i18n import LANGUAGE_NAMES, Translator
from dialogs.loader import Content
from dialogs.matcher import Ranking, assess_every, rank
from dialogs.open_ends import SHORT_LIMIT, needed, needed_lines, open_verdict_label, reviewer_lines, shorten
from dialogs.routing import question_office
from dialogs.schedule import applicant_deadline, is_open, program_status
from dialogs.schema_program import Program, Track
from dialogs.screen_parts import Composer, answers_key, program_title, remembered


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
    """Composed once per answers, language and windows open; when a track the applicant is eligible for
    is closed, every time (its line says when the window was or will be)."""
    facts = args["facts"]
    assessments = assess_every(content, facts)
    opened = {(a.program.id, a.track.id): is_open(a.program, a.track, now) for a in assessments}
    ranking = rank(assessments, opened)
    if ranking.eligible_closed:
        return _ranking_text(ranking, facts, content, now, tr)
    key = ("ranking", answers_key(facts), tuple(opened.values()))
    return remembered(content, key, tr, lambda: _ranking_text(ranking, facts, content, now, tr))


def _ranking_text(
    ranking: Ranking, facts: Mapping[str, Any], content: Content, now: dt.datetime, tr: Translator
) -> str:
    _ = tr.gettext
    parts: list[str] = []
    if ranking.eligible_open:
        parts.append(_("You are eligible, and the window is open:"))
        parts += [f"- {program_title(content, a.program.id, a.track.id, tr)}" for a in ranking.eligible_open]
    if ranking.eligible_closed:
        parts.append(_("You are eligible, but the window is not open now:"))
        for a in ranking.eligible_closed:
            title = program_title(content, a.program.id, a.track.id, tr)
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
            # One short line a track: the rule cut after its first clause (the verdict of that track has it whole).
            reason = shorten(failed.requirement.text.get(tr.lang), SHORT_LIMIT.get(tr.lang, SHORT_LIMIT["en"]))
            why = _("not met: {reason} [{source}]").format(
                reason=reason, source=a.program.cite(failed.requirement.source)
            )
            parts.append(
                "- "
                + _("{label}: {value}").format(label=program_title(content, a.program.id, a.track.id, tr), value=why)
            )
    if ranking.undecided:
        parts.append(_("Not decided (some answers were left open):"))
        parts += [f"- {_undecided_line(a, facts, content, tr)}" for a in ranking.undecided]
    if not ranking.eligible_open and not ranking.eligible_closed:
        parts.insert(0, _("No program fits all your answers."))
    return "\n".join(parts)


def _undecided_line(assessment: Assessment, facts: Mapping[str, Any], content: Content, tr: Translator) -> str:
    """An undecided track with exactly what it waits for: the answers that can still decide it, or the
    list the notice does not contain."""
    _ = tr.gettext
    title = program_title(content, assessment.program.id, assessment.track.id, tr)
    needs = needed(assessment, facts, content.facts)
    if needs.facts:
        labels = [content.facts[f].label.get(tr.lang) for f in needs.facts]
        return _("{program}: still needed: {facts}").format(program=title, facts=tr.format_list(labels))
    names = [t.get(tr.lang) for f in needs.lists if (t := content.facts[f].needs_list) is not None]
    if names:
        return _("{program}: depends on {lists}, which the notice does not include").format(
            program=title, lists=tr.format_list(list(dict.fromkeys(names)))
        )
    return title


def _verdict(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """Composed once per track, answers, language and whether the window is open (all it says of the moment)."""
    program = content.program(args["program"])
    track = program.track(args["track"])
    open_now = is_open(program, track, now)
    key = ("verdict", program.id, track.id, answers_key(args["facts"]), open_now)
    return remembered(content, key, tr, lambda: _verdict_text(program, track, args["facts"], open_now, content, tr))


def _verdict_text(
    program: Program, track: Track, facts: Mapping[str, Any], open_now: bool, content: Content, tr: Translator
) -> str:
    _ = tr.gettext
    assessment = assess(program, track, facts, content.facts)
    needs = needed(assessment, facts, content.facts)
    label = open_verdict_label(needs, tr) or verdict_label(assessment.verdict, tr)
    head = _("{title}: {verdict}").format(title=program_title(content, program.id, track.id, tr), verdict=label)
    lines = [head, *assessment_lines(assessment, tr, unmet_first=True), *needed_lines(needs, content.facts, tr)]
    if assessment.verdict is not Verdict.INELIGIBLE:
        lines += reviewer_lines(program, track, tr)
    # Whom to ask, said once after the requirements: about the exceptions a softened rule the
    # applicant does not (yet) meet allows, about what is still unknown, and about a list the notice
    # refers to but does not contain.
    unsettled = [r for r in assessment.reasons if r.met is not True]
    contacts = exception_contacts(program, unsettled)
    office = question_office(program, track.id) if needs.facts else None
    extra = ([office] if office is not None else []) + (policy_contacts(program) if needs.lists else [])
    contacts += [c for c in extra if c not in contacts]
    if assessment.verdict is Verdict.ELIGIBLE:
        lines.append(
            _("Next: you can apply now.") if open_now else _("Next: the window is not open now; see the deadlines.")
        )
    ask = ask_line(contacts, tr)
    if ask is not None:
        lines.append(ask)
    return "\n".join(lines)


def _closed(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    program = content.program(args["program"])
    title = program_title(content, program.id, args["track"], tr)
    if program.draft:
        return _("{program}: this is a draft policy; no application window has been announced yet.").format(
            program=title
        )
    track = program.track(args["track"])
    if track.closed:
        return _("Applications for {program} are closed: the office has closed them.").format(program=title)
    window = program.window_of(track)
    text = _("Applications for {program} are not open now.").format(program=title)
    if window is not None:
        text += "\n" + _("Last window: {window}").format(window=milestone_line(window, now, tr))
    return text


def _answer(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    from dialogs.answers import answer  # reading free questions is loaded after the first reply, not before

    return answer(
        args["question"], content, now, tr, program_id=args.get("program"), chosen=bool(args.get("chosen"))
    ).text


def _info(args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    from dialogs.answers import compose

    program = content.program(args["program"])
    track = program.track(args["track"]) if args.get("track") is not None or len(program.tracks) == 1 else None
    return compose(args["intent"], program, track, None, now, tr)


#: The desk's composers by their reply key.
SCREENS: dict[str, Composer] = {
    "@welcome": _welcome,
    "@help": _help,
    "@question": _question,
    "@ranking": _ranking,
    "@verdict": _verdict,
    "@closed": _closed,
    "@answer": _answer,
    "@info": _info,
}
