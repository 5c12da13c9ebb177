"""What a free question contains, before deciding what it asks: cue words, names, matching content items.

Three kinds of evidence are found in a question (normalised and stemmed by
:mod:`dialogs.segment`), each against a table of the content's
:class:`~dialogs.question_index.QuestionIndex`:

- **cue words** of ``ask.yaml`` (:func:`intent_cues`): which intents they point
  at, and which of them a question word asks for;
- **names** of programs, tracks, sectors and regions (:func:`find_names`, and
  :func:`name_words` for English and Uyghur names typed loosely);
- **content items** sharing most terms with it (:func:`match_items`).

Weighing that evidence into one reading is :mod:`dialogs.question_reading`'s job;
this module only finds it, so the scoring rules and the lookups can be read apart.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from dialogs.question_index import Item, QuestionIndex, phrase_weight
from dialogs.schema_questions import Intent
from dialogs.segment import UYGHUR_WORD, Hit, stem

_ENGLISH_WORD = re.compile(r"[a-z]+")

#: A sound-alike (typo) match counts for less than one typed as written.
_TYPO_FACTOR = 0.8
#: Region words only break ties between programs.
_REGION_WEIGHT = 1.0
#: A sector named ("卫健委") hints at the programs that have it, less than their own names.
_SECTOR_FACTOR = 0.5


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
class Cues:
    """The cue words found in a question: what they say about its intent."""

    #: Each intent's score from the cue words found.
    scores: dict[Intent, float] = field(default_factory=lambda: defaultdict(float))
    #: Intents a question word asks for (什么时候 → deadline), as opposed to topic words.
    asked: set[str] = field(default_factory=set)
    spans: list[Hit] = field(default_factory=list)
    #: The spans of question words only (什么时候, 几个人), not of topic words (经费, 材料).
    asking_spans: list[Hit] = field(default_factory=list)


def intent_cues(text: str, index: QuestionIndex) -> Cues:
    """The cue words in ``text`` (longest first) and the intents they score."""
    found = Cues()
    #: Per intent, the spans of its cues with a gap already counted: overlapping ones ("还能*吗" and "能*吗"
    #: in 还能报吗) are one way of asking, counted once (the weightiest), not summed to outweigh a longer
    #: cue of another intent ("现在还能报", a date question).
    counted: dict[Intent, list[tuple[Hit, float]]] = defaultdict(list)
    for phrase, hit in _resolve(index.cues.hits(text)):
        found.spans.append(hit)
        for intent, weight in index.cue_intents[phrase]:
            weight *= 1.0 if hit.exact else _TYPO_FACTOR
            if "*" not in phrase:
                found.scores[intent] += weight
            else:
                _count_gapped(found, counted[intent], intent, hit, weight)
            if (phrase, intent) in index.asks:
                found.asked.add(intent)
                if not found.asking_spans or found.asking_spans[-1] != hit:
                    found.asking_spans.append(hit)
    return found


def _count_gapped(found: Cues, counted: list[tuple[Hit, float]], intent: Intent, hit: Hit, weight: float) -> None:
    """Add a gapped cue's weight to its intent, less what an overlapping gapped cue of that intent already gave."""
    overlapping = [w for h, w in counted if h.start < hit.end and hit.start < h.end]
    already = max(overlapping, default=0.0)
    if weight > already:
        found.scores[intent] += weight - already
        counted.append((hit, weight))


@dataclass
class Names:
    """The names found in a question, and how strongly each names a program, track or sector."""

    program: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    #: Programs named by their own names or their tracks' (not only by a sector or region).
    named: set[str] = field(default_factory=set)
    #: Programs one of whose sectors is named (a region word alone names no program).
    sectored: set[str] = field(default_factory=set)
    #: Programs by the English words of their names found outside whole names.
    worded: dict[str, float] = field(default_factory=dict)
    track: dict[tuple[str, str | None], float] = field(default_factory=lambda: defaultdict(float))
    sector: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    #: Programs named by a word that is not a place name: 山西 names the Shanxi round, but "山西刀削面"
    #: is not about it; a program named only by place words is no evidence the question is on topic.
    by_title: set[str] = field(default_factory=set)
    #: Program names only: blanked before comparing with items (track words like 高级技师 appear in them).
    program_spans: list[Hit] = field(default_factory=list)
    #: Track names only: blanked when the question is matched with that track's own items.
    track_spans: list[Hit] = field(default_factory=list)
    #: Place names found (region words, and names that are also region words: 山西, yangquan).
    place_spans: list[Hit] = field(default_factory=list)
    #: Every name found, sectors and regions too.
    all_spans: list[Hit] = field(default_factory=list)


def find_names(text: str, index: QuestionIndex) -> Names:
    """The names in ``text``: programs, tracks, sectors and regions, each weighed by how many programs share it."""
    found = Names()
    for phrase, hit in _resolve(index.names.hits(text)):
        # A name several programs share (特贴) says less about each than a name only one has (自治区特贴).
        owners = {t.program for t in index.name_targets[phrase] if t.kind != "region"}
        weight = _weight(phrase, hit) / max(len(owners), 1)
        per_program: dict[str, float] = {}
        place = any(t.kind == "region" for t in index.name_targets[phrase])
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
                if not place:
                    found.by_title.add(target.program)
                if target.kind == "track":
                    found.track[(target.program, target.track)] += weight
            per_program[target.program] = max(per_program.get(target.program, 0.0), gain)
        for program, gain in per_program.items():
            found.program[program] += gain
        if any(t.kind == "program" for t in index.name_targets[phrase]):
            found.program_spans.append(hit)
        if place:
            found.place_spans.append(hit)
        if any(t.kind == "track" for t in index.name_targets[phrase]):
            found.track_spans.append(hit)
        found.all_spans.append(hit)
    return found


def name_words(text: str, found: Names, index: QuestionIndex) -> None:
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
            found.by_title.add(program)


class Match(NamedTuple):
    """How well one content item matches a question. (A named tuple: a question's reading makes a
    hundred of them, and a frozen dataclass cost more to build than finding the matches.)"""

    item: Item
    #: How much of the question the item covers (0..1).
    coverage: float
    #: How alike the question and the item are both ways (Dice, 0..1): for FAQ phrasings.
    likeness: float
    #: The summed weight of the terms they share.
    shared: float


#: A subject (a headcount, months) says what a question asks about as much as two content words do.
SUBJECT_WEIGHT = 2.0

#: How many of the best-matching items a question's reading looks at.
_TOP_ITEMS = 64


def match_items(text: str, index: QuestionIndex, programs: set[str] | None, said: str | None = None) -> list[Match]:
    """The items sharing most terms with the question, best first; only those of ``programs`` (and
    global FAQ) when given. Only the postings of the question's own terms are read, so the cost
    grows with how common its words are, not with the number of items. With ``said`` (the question with its
    question words, which say what it asks about too: 几个人 is a headcount), the subjects of ``ask.yaml``
    it holds are matched too."""
    weights = index.term_weights(text)
    for token in index.subjects.tokens(said) if said is not None else ():
        weights[token] = SUBJECT_WEIGHT
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
    items, item_mass = index.items, index.item_mass
    # Best first, the lower item number first among equals: the numbers in order, then stably by overlap,
    # most first (a stable sort keeps equals in their order even reversed). Two sorts of plain numbers cost
    # less than one of (-overlap, number) pairs, whose every comparison compares tuples.
    best = sorted(sorted(shared), key=shared.__getitem__, reverse=True)[:_TOP_ITEMS]
    # tuple.__new__ fills the named tuple without the Python frame of its own __new__ (64 a question)
    return [
        _new(Match, (items[number], overlap / mass, 2 * overlap / (mass + item_mass[number]), overlap))
        for number, overlap in zip(best, map(shared.__getitem__, best), strict=True)
    ]


_new = tuple.__new__
