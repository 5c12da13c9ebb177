"""Answering a free question from the content: read what it asks, then compose the reply.

Reading (:func:`read`) is language-independent and pure: it finds

- the **intent** from the cue words of ``ask.yaml`` and from which kind of
  content item (a requirement, a document, a benefit…) the question resembles
  most (:mod:`dialogs.question_index`);
- the **program, track and sector** from the names, aliases and region words
  the content gives them; when two programs fit equally it does not guess but
  returns them as ``choices``; the conversation's program is used when the
  question names none;
- an **FAQ entry** when the question is one the notices answer in a sentence.

Composing never makes up a fact: every date, phone and amount is read from the
content. When nothing matches well the reading says so (``sure`` is False) and
the conversation offers the contacts and "ask staff".
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from dialogs.explain import amount_text, contact_line, milestone_line, status_label
from dialogs.i18n import Translator
from dialogs.loader import Content
from dialogs.question_index import Item, QuestionIndex, index_for, phrase_weight
from dialogs.schedule import applicant_deadline, applicant_windows, program_status
from dialogs.schema import Text
from dialogs.schema_program import Program, Track, applies_to
from dialogs.schema_questions import Intent
from dialogs.segment import UYGHUR_WORD, Hit, find, normalise, stem, stem_words

_ENGLISH_WORD = re.compile(r"[a-z]+")

#: How much the best-matching content item adds to an intent's cue score (its coverage is 0..1).
ITEM_WEIGHT = 3.0
#: Below this an intent is not recognised: the question is "other".
MIN_INTENT = 1.0
#: A FAQ entry answers when the question and one of its phrasings are this alike (Dice over weighted terms).
FAQ_MATCH = 0.55
#: …and when the words they share weigh at least this much (idf units: about two uncommon words).
FAQ_MIN_SHARED = 5.0
#: A FAQ entry whose intent differs from the question word's answers only when this alike.
FAQ_SAME_SENTENCE = 0.9
#: An item is shown as "what you asked about" when it covers this much of the question.
FOCUS_MATCH = 0.3
#: A sound-alike (typo) match counts for less than one typed as written.
_TYPO_FACTOR = 0.8
#: Region words only break ties between programs.
_REGION_WEIGHT = 1.0
#: A sector named ("卫健委") hints at the programs that have it, less than their own names.
_SECTOR_FACTOR = 0.5


@dataclass(frozen=True)
class Reading:
    """What a question asks, before any text is composed."""

    intent: Intent
    program: str | None
    track: str | None = None
    sector: str | None = None
    #: Programs the question could mean, when it fits several equally: ask back, with a button each.
    choices: tuple[str, ...] = ()
    #: The FAQ entry that answers it: (program id or None for a global entry, entry id).
    faq: tuple[str | None, str] | None = None
    #: Items (requirements, documents…) that match the question best, for "what you asked about".
    focus: tuple[Item, ...] = ()
    #: False when nothing matched well: offer the contacts and "ask staff".
    sure: bool = True


@dataclass(frozen=True)
class Answer:
    intent: Intent
    program: str | None
    track: str | None
    text: str
    #: Programs the question could mean, when it was ambiguous.
    choices: tuple[str, ...] = field(default=())
    sure: bool = True


def _resolve(hits: dict[str, Hit]) -> list[tuple[str, Hit]]:
    """Longest phrases first; a phrase inside a longer one already found says nothing more.
    A phrase with a gap ("能*吗") hides nothing: the words in its gap still speak for themselves."""
    kept: list[tuple[str, Hit]] = []
    hiding: list[Hit] = []
    for phrase, hit in sorted(hits.items(), key=lambda kv: (-len(kv[0].replace("*", "")), kv[1].start)):
        if any(k.start <= hit.start and hit.end <= k.end for k in hiding):
            continue
        kept.append((phrase, hit))
        if "*" not in phrase:
            hiding.append(hit)
    return kept


def _weight(phrase: str, hit: Hit) -> float:
    return phrase_weight(phrase) * (1.0 if hit.exact else _TYPO_FACTOR)


@dataclass
class _Cues:
    #: Each intent's score from the cue words found.
    scores: dict[Intent, float] = field(default_factory=lambda: defaultdict(float))
    #: Intents a question word asks for (什么时候 → deadline), as opposed to topic words.
    asked: set[str] = field(default_factory=set)
    spans: list[Hit] = field(default_factory=list)


def intent_cues(text: str, index: QuestionIndex) -> _Cues:
    found = _Cues()
    for phrase, hit in _resolve(index.cues.hits(text)):
        found.spans.append(hit)
        for intent, weight in index.cue_intents[phrase]:
            found.scores[intent] += weight * (1.0 if hit.exact else _TYPO_FACTOR)
            if (phrase, intent) in index.asks:
                found.asked.add(intent)
    return found


@dataclass
class _Names:
    program: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    #: Programs named by their own names or their tracks' (not only by a sector or region).
    named: set[str] = field(default_factory=set)
    #: Programs one of whose sectors is named (a region word alone names no program).
    sectored: set[str] = field(default_factory=set)
    #: Programs by the English words of their names found outside whole names.
    worded: dict[str, float] = field(default_factory=dict)
    track: dict[tuple[str, str | None], float] = field(default_factory=lambda: defaultdict(float))
    sector: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    #: Program names only: blanked before comparing with items (track words like 高级技师 appear in them).
    program_spans: list[Hit] = field(default_factory=list)
    #: Every name found, sectors and regions too.
    all_spans: list[Hit] = field(default_factory=list)


def find_names(text: str, index: QuestionIndex) -> _Names:
    found = _Names()
    for phrase, hit in _resolve(index.names.hits(text)):
        # A name several programs share (特贴) says less about each than a name only one has (自治区特贴).
        owners = {t.program for t in index.name_targets[phrase] if t.kind != "region"}
        weight = _weight(phrase, hit) / max(len(owners), 1)
        per_program: dict[str, float] = {}
        for target in index.name_targets[phrase]:
            if target.kind == "region":
                gain = _REGION_WEIGHT
                if sum(1 for t in index.name_targets[phrase] if t.kind == "region") == 1:
                    found.named.add(target.program)  # a region with one program names it (山西 → the Shanxi round)
            elif target.kind == "sector":
                gain = weight * _SECTOR_FACTOR
                found.sector[(target.program, target.sector or "")] += weight
                found.sectored.add(target.program)
            else:
                gain = weight
                found.named.add(target.program)
                if target.kind == "track":
                    found.track[(target.program, target.track)] += weight
            per_program[target.program] = max(per_program.get(target.program, 0.0), gain)
        for program, gain in per_program.items():
            found.program[program] += gain
        if any(t.kind == "program" for t in index.name_targets[phrase]):
            found.program_spans.append(hit)
        found.all_spans.append(hit)
    return found


def name_words(text: str, found: _Names, index: QuestionIndex) -> None:
    """English and Uyghur names are typed loosely ("minority training" for "minority backbone training"):
    each word of a program's names left outside the names already found counts, the more the fewer
    programs share it. (Uyghur words are already keys in ``text``.)"""
    covered = [(h.start, h.end) for h in found.all_spans]
    words = [(m, stem(m.group())) for m in _ENGLISH_WORD.finditer(text)]
    words += [(m, m.group()) for m in UYGHUR_WORD.finditer(text)]
    for match, word in words:
        if any(a <= match.start() < b for a, b in covered):
            continue
        owners = index.name_words.get(word)
        if not owners:
            continue
        gain = index.name_word_weight(len(owners))
        found.all_spans.append(Hit(match.start(), match.end(), True))
        for program in owners:
            found.program[program] += gain
            found.worded[program] = found.worded.get(program, 0.0) + gain


def _top(scores: dict[str, float]) -> list[str]:
    best = max(scores.values(), default=0.0)
    return [k for k, v in scores.items() if v == best] if best > 0 else []


def _without(text: str, spans: Iterable[Hit]) -> str:
    """The question with the program and track names blanked: what is left says what is asked."""
    chars = list(text)
    for span in spans:
        for i in range(span.start, span.end):
            chars[i] = " "
    return "".join(chars)


@dataclass(frozen=True)
class _Match:
    item: Item
    #: How much of the question the item covers (0..1).
    coverage: float
    #: How alike the question and the item are both ways (Dice, 0..1): for FAQ phrasings.
    likeness: float
    #: The summed weight of the terms they share.
    shared: float


#: How many of the best-matching items a question's reading looks at.
_TOP_ITEMS = 64


def match_items(text: str, index: QuestionIndex, programs: set[str] | None) -> list[_Match]:
    """The items sharing most terms with the question, best first; only those of ``programs`` (and
    global FAQ) when given. Only the postings of the question's own terms are read, so the cost
    grows with how common its words are, not with the number of items."""
    weights = index.term_weights(text)
    # A term no item has is the rarest of all: it counts fully against every item's coverage.
    mass = sum(index.idf.get(t, index.unseen_idf) * w for t, w in weights.items())
    if mass == 0:
        return []
    shared: dict[int, float] = {}
    get = shared.get
    tables = [index.postings] if programs is None else [index.program_postings.get(p, {}) for p in (*programs, None)]
    for term, weight in weights.items():
        idf = index.idf.get(term)
        if idf is None:
            continue
        gain = idf * weight
        for table in tables:
            for number in table.get(term, ()):
                shared[number] = get(number, 0.0) + gain
    items = index.items
    best = heapq.nlargest(_TOP_ITEMS, shared.items(), key=lambda kv: (kv[1], -kv[0]))
    return [
        _Match(items[number], overlap / mass, 2 * overlap / (mass + index.item_mass[number]), overlap)
        for number, overlap in best
    ]


#: Recent readings: the engine reads a question to choose its buttons and the renderer again to compose
#: the reply in the reader's language; both get the same reading without doing the work twice.
_READINGS: OrderedDict[tuple[str, str, str | None, bool], Reading] = OrderedDict()
_READINGS_KEPT = 256


def read(question: str, content: Content, program_id: str | None = None, *, chosen: bool = False) -> Reading:
    """What ``question`` asks. ``program_id`` is the conversation's program; ``chosen``: the applicant
    just picked it for this very question (after being asked which program they meant)."""
    key = (content.version, question, program_id, chosen)
    reading = _READINGS.get(key)
    if reading is None:
        reading = _read(question, content, program_id, chosen)
        _READINGS[key] = reading
        if len(_READINGS) > _READINGS_KEPT:
            _READINGS.popitem(last=False)
    return reading


def forget_readings() -> None:
    """Drop the recent readings (benchmarks measure reading, not the cache)."""
    _READINGS.clear()


def warm_up(content: Content) -> None:
    """Build the content's question index and load the converters now, not on an applicant's first question."""
    read("援疆项目什么时候截止 who do I call", content)


def _read(question: str, content: Content, program_id: str | None, chosen: bool) -> Reading:
    index = index_for(content)
    text = stem_words(normalise(question))
    found_cues = intent_cues(text, index)
    cues, cue_spans = found_cues.scores, found_cues.spans
    names = find_names(text, index)
    name_words(text, names, index)
    # Programs named outright (by their names, tracks' names or English name words) come first; a sector
    # named (卫健委) points at the programs that have it only when no program is named.
    named = (names.named | set(names.worded)) or names.sectored

    candidates = _top({p: s for p, s in names.program.items() if p in named})
    names_nothing = not candidates
    if program_id is not None and (chosen or not candidates or program_id in candidates and len(candidates) > 1):
        candidates = [program_id]
    rest = _without(text, names.program_spans)
    if len(candidates) != 1:
        candidates = _tie_break(candidates, _without(text, names.all_spans + cue_spans), index) or candidates
    matches = match_items(rest, index, set(candidates) if candidates else None)

    scope = set(candidates) if len(candidates) == 1 else None
    in_scope = [m for m in matches if scope is None or m.item.program is None or m.item.program in scope]
    faq = next((m for m in in_scope if _answers(m, scope, found_cues, index)), None)

    scores: dict[Intent, float] = defaultdict(float, cues)
    for m in in_scope:
        if m.item.kind not in ("faq", "global_faq"):
            scores[m.item.intent] = max(scores[m.item.intent], cues.get(m.item.intent, 0.0) + ITEM_WEIGHT * m.coverage)
    if scope is not None:
        _drop_unanswerable(scores, cues, content.program(next(iter(scope))), in_scope)
    intent: Intent = "other"
    if faq is not None:
        intent = faq.item.intent
    elif scores and max(scores.values()) >= MIN_INTENT:
        intent = max(scores, key=lambda i: scores[i])

    if (
        intent not in ("other", "programs")
        and names_nothing
        and not chosen
        and faq is None
        and _mostly_unknown(_without(text, cue_spans), index)
    ):
        # "食堂几点开门": a question word, but about nothing the notices know (even in a conversation about a program)
        intent, candidates = "other", []
    program = candidates[0] if len(candidates) == 1 else None
    if faq is not None and faq.item.program is not None:
        program = faq.item.program
    # "any program for doctors?" or "talent programs?" asks for the list, not for the program that a sector
    # word or a word several programs' names share hints at: only a name of its own keeps it.
    direct = names.named | {p for p, w in names.worded.items() if w >= index.name_word_weight(1)}
    if (
        intent in ("programs", "other")
        and program is not None
        and program not in direct
        and program != program_id
        and faq is None
    ):
        program = None  # "any program for doctors?" asks for the list, not for the program a sector word hints at
    track = sector = None
    if program is not None:
        track = _unique_top({t: s for (p, t), s in names.track.items() if p == program})
        sector = _unique_top({sec: s for (p, sec), s in names.sector.items() if p == program})
        if track is None and len(content.program(program).tracks) == 1:
            track = content.program(program).tracks[0].id
    choices: tuple[str, ...] = ()
    if program is None and intent not in ("programs", "other") and faq is None:
        choices = tuple(candidates) if len(candidates) > 1 else tuple(p.id for p in content.programs)
    if program is None and intent in ("other", "programs") and len(candidates) > 1 and names.named:
        choices = tuple(candidates)
    if intent == "programs" and faq is None and len(names.named) > 1 and _compares(text, index):
        # "特贴和特培有啥区别": every program named, side by side, strongest first
        choices = tuple(sorted(names.named, key=lambda p: (-names.program[p], p)))
        program = track = sector = None
    focus = tuple(
        m.item
        for m in in_scope
        if m.item.intent == intent and m.coverage >= FOCUS_MATCH and m.item.kind not in ("faq", "global_faq")
    )[:2]
    return Reading(
        intent=intent,
        program=program,
        track=track,
        sector=sector,
        choices=choices,
        faq=(faq.item.program, faq.item.ref) if faq is not None else None,
        focus=focus,
        sure=intent != "other",
    )


#: How well an item must match for its intent to replace one the program cannot answer.
_HELD_MATCH = 0.15

#: Intents whose answer is a list the program may lack. (A draft without dates or a notice without
#: contacts still answers a deadline or contact question: that there is none is the answer.)
_SECTIONS: dict[Intent, str] = {
    "eligibility": "requirements",
    "documents": "documents",
    "benefit": "benefits",
    "quota": "quotas",
    "apply": "apply",
}


def _drop_unanswerable(
    scores: dict[Intent, float], cues: dict[Intent, float], program: Program, matches: list[_Match]
) -> None:
    """A question worded as a quota question ("团队最少几个人") about a program that has no quotas
    is about something the program does hold: when another intent's item matches it well (or
    matches and is named by a cue word too), that intent answers instead."""
    held = {
        m.item.intent
        for m in matches
        if m.item.kind not in ("faq", "global_faq")
        and (m.coverage >= FOCUS_MATCH or (m.coverage >= _HELD_MATCH and cues.get(m.item.intent, 0.0) > 0))
    }
    for intent, section in _SECTIONS.items():
        others = held - {intent}
        if intent in scores and not getattr(program, section) and others:
            del scores[intent]
            for other in others:
                scores[other] = max(scores.get(other, 0.0), MIN_INTENT)


def _compares(text: str, index: QuestionIndex) -> bool:
    """Whether the question asks to compare programs ("特贴和特培有啥区别")."""
    return any(find(text, word) for word in index.compare_words)


#: A question naming no program whose other words are mostly unknown to the content is off-topic.
_UNKNOWN_SHARE = 0.7


def _mostly_unknown(rest: str, index: QuestionIndex) -> bool:
    weights = index.term_weights(rest)
    known = sum(index.idf[t] * w for t, w in weights.items() if t in index.idf)
    unknown = sum(index.unseen_idf * w for t, w in weights.items() if t not in index.idf)
    return unknown > 0 and unknown >= _UNKNOWN_SHARE * (known + unknown)


def _answers(match: _Match, scope: set[str] | None, cues: _Cues, index: QuestionIndex) -> bool:
    """Whether a FAQ entry answers the question: it is global or of the one program in question, its
    phrasing and the question are alike and share enough rare words, and the question's own question
    word does not ask for something else (unless the two are nearly the same sentence)."""
    item = match.item
    if item.kind not in ("faq", "global_faq") or match.likeness < FAQ_MATCH:
        return False
    if item.program is not None and (scope is None or item.program not in scope):
        return False
    if match.shared < FAQ_MIN_SHARED:
        return False
    return not (cues.asked - {item.intent}) or match.likeness >= FAQ_SAME_SENTENCE


def _unique_top(scores: dict[str | None, float]) -> str | None:
    best = max(scores.values(), default=0.0)
    winners = [k for k, v in scores.items() if v == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


#: Content evidence picks one of several named programs (or, with no name, one of all) only when clear:
#: its best item must cover this much of what the question says besides names and question words…
_TIE_COVERAGE = 0.5
#: …and this much more than any other program's best item.
_TIE_MARGIN = 0.3


def _tie_break(candidates: list[str], rest: str, index: QuestionIndex) -> list[str] | None:
    """When names leave several programs (or none), let the content the question matches decide,
    but only when one program's best item covers clearly more of the question than any other's.
    ``rest`` is the question without names and question words: "特贴什么时候截止" leaves nothing
    to decide by and stays a question back."""
    best: dict[str, float] = {}
    for m in match_items(rest, index, set(candidates) if candidates else None):
        if m.item.program is not None:
            best[m.item.program] = max(best.get(m.item.program, 0.0), m.coverage)
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < _TIE_COVERAGE:
        return None
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    return [ranked[0][0]] if ranked[0][1] - runner_up >= _TIE_MARGIN else None


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
        return _faq_text(reading, content, tr)
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
        return _unsure_text(program, track, reading.sector, now, tr)
    body = compose(reading.intent, program, track, reading.sector, now, tr)
    focus = _focus_lines(reading, program, tr)
    return (focus + "\n\n" + body) if focus else body


def _faq_text(reading: Reading, content: Content, tr: Translator) -> str:
    assert reading.faq is not None
    program_id, entry_id = reading.faq
    if program_id is None:
        entry = next(f for f in content.faq if f.id == entry_id)
        cites = [content.program(s.program).cite(s.clause) for s in entry.sources]
        head, answer = "", entry.a
    else:
        program = content.program(program_id)
        faq = next(f for f in program.faq if f.id == entry_id)
        cites = [program.cite(faq.source)]
        head, answer = program.short_title.get(tr.lang) + "\n", faq.a
    body = head + answer.get(tr.lang)
    if cites:
        body += "\n" + tr.gettext("Source: {sources}").format(sources=tr.format_list(cites))
    return body


def _focus_lines(reading: Reading, program: Program, tr: Translator) -> str:
    """The items that match the question best, quoted with their clause, before the full list."""
    lines = []
    for item in reading.focus:
        text_source = _item_text(program, item)
        if text_source is not None:
            text, source = text_source
            lines.append(tr.gettext("{text} ({source})").format(text=text.get(tr.lang), source=program.cite(source)))
    if not lines:
        return ""
    return tr.gettext("On what you asked:") + "\n" + _bullets(lines)


class _Quoted(Protocol):
    """A program item quoted with its clause: a requirement, a benefit, a quota, an apply step…"""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> Text: ...
    @property
    def source(self) -> str: ...


def _item_text(program: Program, item: Item) -> tuple[Text, str] | None:
    pools: dict[str, Sequence[_Quoted]] = {
        "requirement": program.requirements,
        "assessed": program.assessed,
        "benefit": program.benefits,
        "quota": program.quotas,
        "apply": program.apply,
    }
    for entry in pools.get(item.kind, ()):
        if entry.id == item.ref:
            return entry.text, entry.source
    return None


def _unsure_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    """The program is clear but not what is asked: say so, and give whom to ask."""
    _ = tr.gettext
    body = _(
        "I am not sure what you are asking about {program}. You can ask about its deadlines, contacts, documents, benefits, quotas, requirements and how to apply, or ask staff."
    ).format(program=_heading(program, track, tr))
    return body + "\n\n" + _contact_text(program, track, sector, now, tr)


def compose(
    intent: str, program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator
) -> str:
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


def _not_stated(message: str, program: Program, tr: Translator) -> str:
    """The notice is silent on what was asked: say so under its full title, and say whom to ask."""
    text = message.format(program=tr.gettext("“{title}”").format(title=program.title.get(tr.lang)))
    askable = [c for c in program.contacts if any(t in ("policy", "general") for d in c.duties for t in d.topics)]
    if askable:
        text += "\n" + tr.gettext("To ask: {contacts}").format(
            contacts=tr.format_list([contact_line(c, tr) for c in askable])
        )
    return text


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
    _ = tr.gettext
    head = _heading(program, track, tr)
    if program.draft:
        status = status_label(program_status(program, now), tr)
        return _(
            "{program} (status: {status}): this is a draft policy; no application window has been announced yet."
        ).format(program=head, status=status)
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
    return body + "\n" + _("Source: {sources}").format(sources=tr.format_list(citations))


def _contact_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    if not program.contacts:
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
    lines = []
    for contact, duties in chosen:
        what = tr.format_list([d.text.get(tr.lang) for d in duties])
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
        _("Documents for {program}:").format(program=head),
        lines,
        _not_stated(_("{program}: the notice lists no documents."), program, tr),
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
        _not_stated(_("{program}: the notice does not state an amount or other benefit."), program, tr),
    )


def _quota_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    lines = [q.text.get(tr.lang) for q in program.quotas if _in_scope(q.tracks, track)]
    return _section(
        _("Quotas for {program}:").format(program=head),
        lines,
        _not_stated(_("{program}: the notice sets no numeric quota."), program, tr),
    )


def _apply_text(program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator) -> str:
    _ = tr.gettext
    head = _heading(program, track, tr)
    lines = [s.text.get(tr.lang) for s in program.apply if _in_scope(s.tracks, track)]
    status = status_label(program_status(program, now), tr)
    body = _("How to apply for {program} (status: {status}):").format(program=head, status=status)
    return body + "\n" + _bullets(lines)


def _eligibility_text(
    program: Program, track: Track | None, sector: str | None, now: dt.datetime, tr: Translator
) -> str:
    _ = tr.gettext
    tracks = [track] if track is not None else list(program.tracks)
    parts = []
    for t in tracks:
        lines = [r.text.get(tr.lang) for r in program.requirements if applies_to(r.tracks, t.id)]
        parts.append(_("Requirements for {program}:").format(program=_heading(program, t, tr)) + "\n" + _bullets(lines))
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
