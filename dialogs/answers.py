"""Answering a free question from the content: find the intent and the program, then compose.

This first answerer matches keywords and the aliases written in the content; it
never makes up a fact: every date, phone and amount in a reply is read from the
content. When two programs fit a question equally it asks which one is meant
instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from dialogs.explain import amount_text, contact_line, milestone_line, status_label
from dialogs.i18n import Translator
from dialogs.loader import Content
from dialogs.schedule import applicant_deadline, applicant_windows, program_status
from dialogs.schema import Program, Track, applies_to

Intent = Literal["deadline", "contact", "eligibility", "documents", "benefit", "quota", "apply", "programs", "other"]

#: Words that signal each intent. Longer, more specific words weigh more.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "deadline": ("截止", "截至", "什么时候", "何时", "几号", "期限", "最晚", "日期", "时间", "deadline", "when", "due", "closing date", "date"),
    "contact": ("联系", "电话", "找谁", "咨询", "报给谁", "交给谁", "送到哪", "邮箱", "地址", "联系人", "contact", "phone", "call", "who", "email", "e-mail", "address"),
    "documents": ("材料", "证书", "表格", "登记表", "复印件", "证明", "documents", "document", "papers", "paperwork", "forms", "form", "certificate"),
    "benefit": ("多少钱", "津贴多少", "补助", "经费", "资助", "奖励", "待遇", "能拿", "给多少", "money", "how much", "funding", "amount", "benefit", "benefits", "paid", "pay"),
    "quota": ("名额", "指标", "多少人", "几个人", "几名", "人数", "选多少", "quota", "how many people", "how many places", "places", "slots"),
    "apply": ("怎么申报", "如何申报", "怎么报", "申报流程", "申请流程", "网上申报", "申报方式", "报名", "怎么申请", "如何申请", "how to apply", "how do i apply", "apply", "application process", "procedure"),
    "eligibility": ("条件", "资格", "能不能", "可以申报", "可以申请", "符合", "要求", "够不够", "eligible", "eligibility", "requirement", "requirements", "qualify", "can i"),
    "programs": ("哪些项目", "什么项目", "有哪些", "项目列表", "所有项目", "which programs", "what programs", "list of programs", "programs"),
}
#: Ties go to the earlier intent: a question naming "材料" and "报给谁" asks whom to send them to.
_PRIORITY: tuple[Intent, ...] = ("contact", "deadline", "benefit", "quota", "documents", "apply", "eligibility", "programs")


@dataclass(frozen=True)
class Answer:
    intent: Intent
    program: str | None
    track: str | None
    text: str
    #: Programs the question could mean, when it was ambiguous.
    choices: tuple[str, ...] = field(default=())


@functools.cache
def _to_simplified() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _normalise(text: str) -> str:
    """One form for matching: Simplified characters (applicants in Xinjiang and abroad type
    Traditional too), full-width letters and digits made half-width, single spaces, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = _to_simplified().convert(text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _contains(text: str, word: str) -> bool:
    word = word.lower()
    if word.isascii() and word[:1].isalnum():
        return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text) is not None
    return word in text


def detect_intent(text: str) -> Intent:
    scores: dict[str, int] = {}
    for intent, words in _KEYWORDS.items():
        scores[intent] = sum(len(w) for w in words if _contains(text, w))
    best = max(scores.values())
    if best == 0:
        return "other"
    return next(i for i in _PRIORITY if scores[i] == best)


def _score(text: str, names: list[str]) -> int:
    return sum(len(name) for name in set(names) if name and _contains(text, name))


def _program_names(program: Program) -> list[str]:
    names = list(program.aliases) + [program.id]
    for text in (program.title, program.short_title):
        names += [v for v in (text.zh, text.en) if v]
    return names


def _track_names(track: Track) -> list[str]:
    return list(track.aliases) + [v for v in (track.title.zh, track.title.en) if v]


def match_programs(text: str, content: Content) -> list[Program]:
    """The programs the question names (by their own names or a track's), best first; several when they tie."""
    scored = [
        (p, _score(text, _program_names(p)) + max((_score(text, _track_names(t)) for t in p.tracks), default=0))
        for p in content.programs
    ]
    best = max((s for _, s in scored), default=0)
    return [p for p, s in scored if s == best] if best else []


def match_track(text: str, program: Program) -> Track | None:
    if len(program.tracks) == 1:
        return program.tracks[0]
    scored = [(t, _score(text, _track_names(t))) for t in program.tracks]
    best = max(s for _, s in scored)
    winners = [t for t, s in scored if s == best]
    return winners[0] if best and len(winners) == 1 else None


def match_sector(text: str, program: Program) -> str | None:
    scored = [(s.id, _score(text, list(s.aliases) + [v for v in (s.label.zh, s.label.en) if v])) for s in program.sectors]
    best = max((s for _, s in scored), default=0)
    winners = [sid for sid, s in scored if s == best]
    return winners[0] if best and len(winners) == 1 else None


def answer(question: str, content: Content, now: dt.datetime, tr: Translator, program_id: str | None = None) -> Answer:
    """Answer ``question``; ``program_id`` is the program the conversation has already chosen, if any."""
    text = _normalise(question)
    intent = detect_intent(text)
    candidates = match_programs(text, content)
    if program_id is not None and (not candidates or len(candidates) > 1):
        # The conversation's program wins unless the question clearly names another one.
        chosen = content.program(program_id)
        if not candidates or chosen in candidates:
            candidates = [chosen]
    _ = tr.gettext

    if intent == "programs" or (not candidates and intent == "other"):
        body = programs_overview(content, now, tr)
        if intent == "other":
            body = _("I could not tell what you are asking. I can answer about deadlines, contacts, documents, benefits, quotas, eligibility and how to apply for these programs:") + "\n" + body
        return Answer(intent, None, None, body)
    if len(candidates) != 1:
        pool = candidates or list(content.programs)
        lines = [f"- {p.short_title.get(tr.lang)}" for p in pool]
        return Answer(intent, None, None, _("Which program do you mean?") + "\n" + "\n".join(lines), tuple(p.id for p in pool))

    program = candidates[0]
    track = match_track(text, program)
    sector = match_sector(text, program)
    body = compose(intent, program, track, sector, now, tr)
    return Answer(intent, program.id, track.id if track else None, body)


def compose(intent: str, program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    """The reply for one intent about one program (and track or sector, when known)."""
    composer = {
        "deadline": _deadline_text,
        "contact": _contact_text,
        "documents": _documents_text,
        "benefit": _benefit_text,
        "quota": _quota_text,
        "apply": _apply_text,
        "eligibility": _eligibility_text,
    }.get(intent, _overview_text)
    return composer(program, track, sector, now, tr)


def _heading(program: Program, track: Track | None, tr: Translator) -> str:
    title = program.short_title.get(tr.lang)
    if track is not None and len(program.tracks) > 1:
        title = tr.gettext("{program} — {track}").format(program=title, track=track.title.get(tr.lang))
    return title


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _section(title: str, lines: list[str], empty: str) -> str:
    """A titled list, or the sentence saying the notice has nothing on it."""
    return title + "\n" + _bullets(lines) if lines else empty


def _in_scope(tracks: tuple[str | None, ...], track: Track | None) -> bool:
    return track is None or applies_to(tracks, track.id)


def programs_overview(content: Content, now: dt.datetime, tr: Translator) -> str:
    lines = []
    for program in content.programs:
        status = program_status(program, now)
        line = tr.gettext("{program}: {status}").format(program=program.short_title.get(tr.lang), status=status_label(status, tr))
        deadline = applicant_deadline(program, now)
        if deadline is not None:
            line = tr.gettext("{program_status} — {deadline}").format(program_status=line, deadline=milestone_line(deadline, now, tr))
        lines.append(line)
    return _bullets(lines)


def _deadline_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    if program.draft:
        return _("{program}: this is a draft policy; no application window has been announced yet.").format(program=head)
    facing = applicant_windows(program) if track is None else [m for m in [program.window_of(track)] if m]
    others = [m for m in program.deadlines if m not in facing]
    lines = [milestone_line(m, now, tr) for m in facing]
    lines += [milestone_line(m, now, tr) for m in others]
    notes = [m.note.get(tr.lang) for m in facing if m.note]
    status = status_label(program_status(program, now), tr)
    body = _("{program} (status: {status})").format(program=head, status=status) + "\n" + _bullets(lines)
    if notes:
        body += "\n" + "\n".join(notes)
    citations = sorted({program.cite(m.source) for m in facing + others})
    return body + "\n" + _("Source: {sources}").format(sources=tr.list(citations))


def _contact_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    if not program.contacts:
        return _("{program}: the notice names no contact person.").format(program=head)
    chosen = []
    for contact in program.contacts:
        duties = [d for d in contact.duties if _in_scope(d.tracks, track)]
        if sector is not None:
            duties = [d for d in duties if sector in d.sectors or not d.sectors]
        if duties:
            chosen.append((contact, duties))
    if not chosen:
        chosen = [(c, list(c.duties)) for c in program.contacts]
    lines = []
    for contact, duties in chosen:
        what = tr.list([d.text.get(tr.lang) for d in duties])
        lines.append(_("{contact} — {duty}").format(contact=contact_line(contact, tr), duty=what))
        if contact.note is not None:
            lines[-1] = _("{text} {note}").format(text=lines[-1], note=contact.note.get(tr.lang))
    return _("Contacts for {program}:").format(program=head) + "\n" + _bullets(lines)


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
            line = _("{text} {note}").format(text=line + _("."), note=doc.note.get(tr.lang))
        lines.append(line)
    return _section(
        _("Documents for {program}:").format(program=head), lines, _("{program}: the notice lists no documents.").format(program=head)
    )


def _benefit_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    lines = []
    for benefit in program.benefits:
        if not _in_scope(benefit.tracks, track):
            continue
        line = benefit.text.get(tr.lang)
        if benefit.amount is not None:
            line = _("{text} — {amount}").format(text=line, amount=amount_text(benefit.amount, tr))
        lines.append(line)
    return _section(
        _("What {program} gives:").format(program=head),
        lines,
        _("{program}: the notice does not state an amount or other benefit.").format(program=head),
    )


def _quota_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    lines = [q.text.get(tr.lang) for q in program.quotas if _in_scope(q.tracks, track)]
    return _section(
        _("Quotas for {program}:").format(program=head), lines, _("{program}: the notice sets no numeric quota.").format(program=head)
    )


def _apply_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    lines = [s.text.get(tr.lang) for s in program.apply if _in_scope(s.tracks, track)]
    status = status_label(program_status(program, now), tr)
    body = _("How to apply for {program} (status: {status}):").format(program=head, status=status)
    return body + "\n" + _bullets(lines)


def _eligibility_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    tracks = [track] if track is not None else list(program.tracks)
    parts = []
    for t in tracks:
        lines = [r.text.get(tr.lang) for r in program.requirements if applies_to(r.tracks, t.id)]
        parts.append(_("Requirements for {program}:").format(program=_heading(program, t, tr)) + "\n" + _bullets(lines))
    return "\n".join(parts)


def _overview_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    status = status_label(program_status(program, now), tr)
    body = _("{program} (status: {status})").format(program=_heading(program, track, tr), status=status)
    body += "\n" + (track.summary if track is not None and len(program.tracks) > 1 else program.summary).get(tr.lang)
    return body + "\n" + _("You can ask about its deadlines, contacts, documents, benefits, quotas, requirements and how to apply.")
