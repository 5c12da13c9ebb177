"""Reading a free question: what it asks, language-independent and pure (:func:`read`).

From the evidence :mod:`dialogs.question_clues` finds, it decides

- the **intent** from the cue words of ``ask.yaml`` and from which kind of
  content item (a requirement, a document, a benefit…) the question resembles
  most (:mod:`dialogs.question_index`);
- the **program, track and sector** from the names, aliases and region words
  the content gives them; when two programs fit equally it does not guess but
  returns them as ``choices``; the conversation's program is used when the
  question names none;
- an **FAQ entry** when the question is one the notices answer in a sentence.

When nothing matches well the reading says so (``sure`` is False) and the
conversation offers the contacts and "ask staff". Composing the reply from a
reading, in the reader's language, is :mod:`dialogs.answers`'s job.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from dialogs.loader import Content
from dialogs.memo import also_forget
from dialogs.question_clues import Cues, Match, Names, find_names, intent_cues, match_items, name_words
from dialogs.question_index import Item, QuestionIndex, index_for
from dialogs.question_subjects import plain_numbers
from dialogs.schema_program import Program, applies_to
from dialogs.schema_questions import Intent
from dialogs.segment import Hit, find, normalise, stem_words

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


#: Recent readings: the engine reads a question to choose its buttons and the renderer again to compose
#: the reply in the reader's language; both get the same reading without doing the work twice.
_READINGS: OrderedDict[tuple[str, str, str | None, bool], Reading] = OrderedDict()
_READINGS_KEPT = 256


def read(question: str, content: Content, program_id: str | None = None, *, chosen: bool = False) -> Reading:
    """What ``question`` asks. ``program_id`` is the conversation's program; ``chosen``: the applicant
    just picked it for this very question (after being asked which program they meant). A program this
    version of the content no longer has (a conversation, or a screen redrawn, from before admins removed
    it) is no conversation program at all: the question is read on its own."""
    if content.find_program(program_id) is None:
        program_id, chosen = None, False
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


also_forget(forget_readings)


def warm_up(content: Content) -> None:
    """Build the content's question index and load the converters now, not on an applicant's first question."""
    read("援疆项目什么时候截止 who do I call", content)


def _read(question: str, content: Content, program_id: str | None, chosen: bool) -> Reading:
    index = index_for(content)
    text = stem_words(plain_numbers(index.speller.mend(normalise(question))))
    found_cues = intent_cues(text, index)
    cues, cue_spans = found_cues.scores, found_cues.spans
    names = find_names(text, index)
    name_words(text, names, index)
    # Programs named outright (by their names, tracks' names or English name words) come first; a sector
    # named (卫健委) points at the programs that have it only when no program is named.
    named = (names.named | set(names.worded)) or names.sectored

    # In the content's order, not the order names were found in (which follows set iteration and so
    # PYTHONHASHSEED): the same question must list its programs the same way in every process.
    order = {p.id: i for i, p in enumerate(content.programs)}
    candidates = sorted(
        _top({p: s for p, s in names.program.items() if p in named}), key=lambda p: order.get(p, len(order))
    )
    names_nothing = not candidates
    if program_id is not None and (chosen or not candidates or program_id in candidates and len(candidates) > 1):
        candidates = [program_id]
    rest = _without(text, names.program_spans)
    if len(candidates) != 1:
        candidates = _tie_break(candidates, _without(text, names.all_spans + cue_spans), index) or candidates
    named_track = _named_track(names, candidates)
    matches = match_items(rest, index, set(candidates) if candidates else None, said=rest)

    scope = set(candidates) if len(candidates) == 1 else None
    in_scope = [m for m in matches if scope is None or m.item.program is None or m.item.program in scope]
    faq = next((m for m in in_scope if _answers(m, scope, found_cues, index)), None)

    scores: dict[Intent, float] = defaultdict(float, cues)
    cue = cues.get
    for m in in_scope:  # up to 64 items a question: a comparison rather than a call of max() each
        item = m.item
        if item.kind not in ("faq", "global_faq"):
            score = cue(item.intent, 0.0) + ITEM_WEIGHT * m.coverage
            if score > scores[item.intent]:
                scores[item.intent] = score
    if scope is not None:
        _drop_unanswerable(scores, cues, content.program(next(iter(scope))), in_scope)
    intent: Intent = "other"
    if faq is not None:
        intent = faq.item.intent
    elif scores and max(scores.values()) >= MIN_INTENT:
        intent = max(scores, key=lambda i: scores[i])
    conditions: tuple[Item, ...] = ()
    if faq is None and named_track is not None:
        asked_about = _without(rest, names.track_spans + found_cues.asking_spans)
        conditions = _track_conditions(asked_about, rest, index, candidates[0], named_track, intent)
    if conditions:
        intent = "eligibility"

    # A program named only by a place word ("山西刀削面怎么做", "good hotel in taiyuan") is no sign the
    # question is about it: what the rest of the question says must be.
    placed_only = bool(candidates) and names.named and not (set(candidates) & names.by_title) and program_id is None
    if (
        intent != "programs"
        and (names_nothing or placed_only)
        and not chosen
        and faq is None
        and (
            (intent == "other" and placed_only)
            or (intent != "other" and _mostly_unknown(_without(text, cue_spans + names.place_spans), index))
        )
    ):
        # "食堂几点开门", "乌鲁木齐天气怎么样": about nothing the notices know (even in a conversation about a
        # program); a place name the notices mention (an office's address) does not make it known
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
    if faq is None and _asks_for_others(text, index):
        # "除了援疆还有什么计划": the list of programs, not the one it names as known already
        intent, program, track, sector, choices = "programs", None, None, None, ()
    focus = conditions or _focus(in_scope, intent, named_track)
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
    scores: dict[Intent, float], cues: dict[Intent, float], program: Program, matches: list[Match]
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


def _focus(matches: list[Match], intent: Intent, track: str | None) -> tuple[Item, ...]:
    """The items shown as "what you asked about": the best of the intent's that match well; when the
    question names a track and some of them concern it, only those (a small team's leader title, not the
    medical teams' member titles)."""
    best = [
        m.item
        for m in matches
        if m.item.intent == intent and m.coverage >= FOCUS_MATCH and m.item.kind not in ("faq", "global_faq")
    ]
    own = [item for item in best if track is not None and item.tracks and applies_to(item.tracks, track)]
    return tuple(own or best)[:2]


def _named_track(names: Names, candidates: list[str]) -> str | None:
    """The one track the question names of its one program, if it names one."""
    if len(candidates) != 1:
        return None
    tracks = [t for (p, t), s in names.track.items() if p == candidates[0] and s > 0]
    return tracks[0] if len(tracks) == 1 else None


#: A condition of the named track answers a question worded otherwise when it covers this much of it…
_CONDITION_MATCH = 0.5
#: …and this much more than the best item of the intent the question word points at.
_CONDITION_MARGIN = 0.2
#: A question read as eligibility already is led by the condition on its subject when it covers this much.
_CONDITION_FOCUS = 0.35


def _track_conditions(
    asked_about: str, said: str, index: QuestionIndex, program: str, track: str, intent: Intent
) -> tuple[Item, ...]:
    """The conditions the notice sets for the named track that answer the question better than what its
    question word points at, best first (none when they do not): "小组团最多几个人" is worded like a quota
    question, but the notice answers it with the track's condition "团队不超过8人". ``asked_about`` is the
    question without its names and question words; ``said`` the question with them, as their subject
    words count (几个人 is a headcount). For a question read as eligibility already ("小组团每年要在新疆待几个
    月"), they are what it asks about."""
    if intent in ("contact", "apply", "programs"):
        return ()
    # The condition must speak of what the question asks about in other words (a headcount, a number of
    # months), not merely share a word with it: "柔性专家能给多少钱" asks for money, whatever else it says.
    subjects = index.subjects.tokens(said)
    if not subjects:
        return ()
    on_subject = {m.item for m in match_items("", index, {program}, said=said)}
    matches = [
        m
        for m in match_items(index.subjects.blanked(asked_about), index, {program}, said=said)
        if m.item.program == program and applies_to(m.item.tracks, track)
    ]
    own = [m for m in matches if m.item.kind in ("requirement", "assessed") and m.item.tracks and m.item in on_subject]
    condition = max((m.coverage for m in own), default=0.0)
    asked = max(
        (m.coverage for m in matches if m.item.intent == intent and m.item.kind not in ("faq", "global_faq")),
        default=0.0,
    )
    if intent == "eligibility":
        # already a question about conditions: the track's condition on its subject is what it asks about
        if condition < _CONDITION_FOCUS:
            return ()
    elif condition < _CONDITION_MATCH or condition < asked + _CONDITION_MARGIN:
        return ()
    return tuple(m.item for m in own if m.coverage >= condition - _CONDITION_MARGIN)[:2]


def _asks_for_others(text: str, index: QuestionIndex) -> bool:
    """Whether the question asks which (other) programs there are ("what other schemes are there")."""
    # ``word in text`` first: most words are absent, and the test costs less than the call to find them
    return any(("*" in word or word in text) and find(text, word) for word in index.other_words)


def _compares(text: str, index: QuestionIndex) -> bool:
    """Whether the question asks to compare programs ("特贴和特培有啥区别")."""
    return any(("*" in word or word in text) and find(text, word) for word in index.compare_words)


#: A question naming no program whose other words are mostly unknown to the content is off-topic.
_UNKNOWN_SHARE = 0.7


def _mostly_unknown(rest: str, index: QuestionIndex) -> bool:
    weights = index.term_weights(rest)
    known = sum(index.idf[t] * w for t, w in weights.items() if t in index.idf)
    unknown = sum(index.unseen_idf * w for t, w in weights.items() if t not in index.idf)
    return unknown > 0 and unknown >= _UNKNOWN_SHARE * (known + unknown)


def _answers(match: Match, scope: set[str] | None, cues: Cues, index: QuestionIndex) -> bool:
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
