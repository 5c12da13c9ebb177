"""What a free question can be matched against, built once per content version.

Three tables, all read from the content so that a new round or a new FAQ entry
needs no code change:

- **names**: every alias and title of a program, track and sector, and the
  region words of ``ask.yaml``, each pointing at what it names;
- **cues**: the words that signal an intent (``ask.yaml``);
- **items**: every requirement, document, benefit, quota, application step,
  contact, milestone and FAQ entry as a bag of weighted terms
  (:func:`dialogs.segment.terms`) in an inverted index, so that a question is
  compared only with the items that share a term with it. This is what keeps
  the answer fast with a thousand FAQ entries.
"""

from __future__ import annotations

import functools
import math
import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from dialogs.loader import Content
from dialogs.memo import PerObject
from dialogs.question_spelling import Speller
from dialogs.question_subjects import Subjects, plain_numbers
from dialogs.schema import Text
from dialogs.schema_program import Program
from dialogs.schema_questions import GlobalFaq, Intent
from dialogs.segment import (
    UYGHUR_WORD,
    PhraseSet,
    is_cjk,
    is_uyghur_word,
    normalise,
    stem,
    stem_words,
    terms,
    uyghur_keys,
)

#: An English or Uyghur word says about as much as two Chinese characters.
_EN_WORD_WEIGHT = 2.0
#: A Chinese single character says less than a pair of them.
_UNIGRAM_WEIGHT = 0.4
#: A question word (什么时候, 找谁) outweighs any topic word: it says what answer is wanted.
ASK_BONUS = 4.0
#: "What is…" style topic words only win when nothing more specific is asked.
_PROGRAMS_CUE_FACTOR = 0.5


def as_typed(phrase: str) -> str:
    """A content phrase in the form questions are read in: normalised, numbers in digits, stemmed."""
    return stem_words(plain_numbers(normalise(phrase)))


@functools.lru_cache(maxsize=8192)
def phrase_weight(phrase: str) -> float:
    """How much a matched phrase says: its Chinese characters, plus two per English or Uyghur word."""
    bare = phrase.replace("*", "")
    cjk = sum(1 for c in bare if is_cjk(c))
    words = len([w for w in bare.split() if (w.isascii() and any(ch.isalnum() for ch in w)) or is_uyghur_word(w)])
    return float(cjk) + _EN_WORD_WEIGHT * words


@dataclass(frozen=True)
class Target:
    """What a name points at: a program, maybe one of its tracks or sectors; or a region."""

    kind: str  # "program", "track", "sector", "region"
    program: str
    track: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class Item:
    """One piece of content a question can be about."""

    intent: Intent
    #: None for a global FAQ entry.
    program: str | None
    kind: str  # requirement, assessed, document, benefit, quota, apply, contact, milestone, faq, global_faq
    ref: str
    tracks: tuple[str | None, ...] = ()
    sectors: tuple[str, ...] = ()


@dataclass
class QuestionIndex:
    cues: PhraseSet
    cue_intents: dict[str, list[tuple[Intent, float]]]
    names: PhraseSet
    name_targets: dict[str, list[Target]]
    items: list[Item] = field(default_factory=list)
    #: term → the numbers of the items holding it. A term weighs the same wherever it is (a bigram 1,
    #: a Chinese single character less), so a posting needs no weight of its own.
    postings: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: The same, split by program (None: the global FAQ), for questions about a known program.
    program_postings: dict[str | None, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    #: Per item: the summed idf-weights of its own terms (for FAQ phrasings: the phrasing's).
    item_mass: list[float] = field(default_factory=list)
    stopwords: frozenset[str] = frozenset()
    #: The Chinese stopwords of two characters or more, as one pattern.
    stop_pattern: re.Pattern[str] | None = None
    #: (cue phrase, intent) pairs that are question words rather than topic words.
    asks: frozenset[tuple[str, str]] = frozenset()
    #: The weight of a term no item has.
    unseen_idf: float = 1.0
    #: English word (stemmed) or Uyghur word (keyed) of a program's names → the programs whose names hold it.
    name_words: dict[str, frozenset[str]] = field(default_factory=dict)
    programs: int = 1
    #: Words asking to compare programs: then every program named is shown side by side.
    compare_words: tuple[str, ...] = ()
    #: Words asking which other programs there are: then the list of every program answers.
    other_words: tuple[str, ...] = ()
    #: The content's English words, to mend a question's typos against ("dedline" → "deadline").
    speller: Speller = field(default_factory=lambda: Speller(()))
    #: The subject groups of ``ask.yaml``: a clause and a question saying one thing differently meet.
    subjects: Subjects = field(default_factory=lambda: Subjects({}))

    def name_word_weight(self, owners: int) -> float:
        """A word of one program's names only says more than a word three programs share."""
        return math.log(1 + self.programs / owners)

    def term_weights(self, text: str) -> dict[str, float]:
        """The weighted retrieval terms of normalised ``text`` (stopwords left out). Chinese stopwords of
        two or more characters (多少, 什么) are blanked first, so they leave no bigram with a neighbour."""
        if self.stop_pattern is not None:
            text = self.stop_pattern.sub(" ", text)
        weights: dict[str, float] = {}
        bases = _term_bases(self)
        for term in terms(text):
            base = bases.get(term, _UNSEEN)
            if base == _UNSEEN:
                base = self._term_base(term)
                if len(bases) >= _TERMS_KEPT:
                    bases.clear()
                bases[term] = base
            if base is not None:
                weights[term] = max(weights.get(term, 0.0), base)
        return weights

    def _term_base(self, term: str) -> float | None:
        """A term's weight wherever it occurs, or ``None`` for a stopword (or a pair of them)."""
        if term in self.stopwords or (
            len(term) == 2 and is_cjk(term) and (term[0] in self.stopwords and term[1] in self.stopwords)
        ):
            return None
        return _UNIGRAM_WEIGHT if len(term) == 1 and is_cjk(term) else 1.0


#: Content (unhashable: it holds mappings) by identity → its index; an entry goes with its content.
_CACHE: dict[int, QuestionIndex] = {}


#: Each index's terms and their weights (:meth:`QuestionIndex._term_base`), as questions bring them: a
#: question's terms are mostly the content's and other questions' (emptied whole past this many).
_TERMS_KEPT = 65_536
_UNSEEN = -1.0  # no weight is negative
_term_bases: PerObject[QuestionIndex, dict[str, float | None]] = PerObject(lambda _index: {})


def index_for(content: Content) -> QuestionIndex:
    """The index of ``content``, built on first use and kept as long as the content is."""
    index = _CACHE.get(id(content))
    if index is None:
        index = build_index(content)
        adopt(content, index)
    return index


def adopt(content: Content, index: QuestionIndex) -> None:
    """Use ``index`` as the index of ``content`` (one built earlier for the same content, e.g. kept on disk
    between runs: building it is most of a start)."""
    if id(content) not in _CACHE:
        weakref.finalize(content, _CACHE.pop, id(content), None)
    _CACHE[id(content)] = index


def _texts(*texts: Text | None) -> list[str]:
    return [normalise(v) for t in texts if t is not None for v in (t.zh, t.en, t.ug) if v]


def _names(content: Content) -> dict[str, list[Target]]:
    names: dict[str, list[Target]] = defaultdict(list)

    def add(phrases: Iterable[str], target: Target) -> None:
        for phrase in {as_typed(p) for p in phrases if p and p.strip()}:
            if target not in names[phrase]:
                names[phrase].append(target)

    for program in content.programs:
        own = Target("program", program.id)
        add(list(program.aliases) + [program.id] + _texts(program.title, program.short_title), own)
        for track in program.tracks:
            add(list(track.aliases) + _texts(track.title), Target("track", program.id, track=track.id))
        for sector in program.sectors:
            add(list(sector.aliases) + _texts(sector.label), Target("sector", program.id, sector=sector.id))
    if content.lexicon is not None:
        for region, words in content.lexicon.regions.items():
            for program in content.programs:
                if program.region == region:
                    add(words, Target("region", program.id))
    return names


def _name_words(content: Content, stopwords: frozenset[str]) -> dict[str, frozenset[str]]:
    """Words of program and track names → the programs they name. English words come from the aliases
    and English titles; Uyghur words from the aliases only, as the Uyghur titles are long sentences of
    common words (بېرىش, نۇسخىسى…) that name nothing."""
    owners: dict[str, set[str]] = defaultdict(set)
    for program in content.programs:
        aliases = list(program.aliases) + [a for track in program.tracks for a in track.aliases]
        phrases = (
            aliases
            + [program.title.en or "", program.short_title.en or ""]
            + [t.title.en or "" for t in program.tracks]
        )
        for phrase in phrases:
            for word in re.findall(r"[a-z]+", normalise(phrase)):
                if word not in stopwords and len(word) > 2:
                    owners[stem(word)].add(program.id)
        for phrase in aliases:
            for key in UYGHUR_WORD.findall(uyghur_keys(normalise(phrase))):
                if key not in stopwords and len(key) > 2:
                    owners[key].add(program.id)
    return {word: frozenset(ps) for word, ps in owners.items() if len(ps) < len(content.programs)}


def _cues(content: Content, asks: set[tuple[str, str]]) -> dict[str, list[tuple[Intent, float]]]:
    """Cue phrase → the intents it signals, with weights; ``asks`` collects (phrase, intent) of question words."""
    cues: dict[str, list[tuple[Intent, float]]] = defaultdict(list)
    if content.lexicon is None:
        return cues
    for intent, kinds in content.lexicon.intents.items():
        for word in {as_typed(w) for w in kinds.asks.all()}:
            cues[word].append((intent, phrase_weight(word) + ASK_BONUS))
            asks.add((word, intent))
        for word in {as_typed(w) for w in kinds.about.all()}:
            weight = phrase_weight(word) * (_PROGRAMS_CUE_FACTOR if intent == "programs" else 1.0)
            if all(w < weight for i, w in cues[word] if i == intent) or not any(i == intent for i, _ in cues[word]):
                cues[word].append((intent, weight))
    return cues


def _program_items(program: Program) -> Iterable[tuple[Item, list[str]]]:
    """Each item of a program with the texts it is matched by."""
    pid = program.id
    for r in program.requirements:
        yield Item("eligibility", pid, "requirement", r.id, r.tracks), _texts(r.text)
    for a in program.assessed:
        yield Item("eligibility", pid, "assessed", a.id, a.tracks), _texts(a.text)
    for d in program.documents:
        yield Item("documents", pid, "document", d.id, d.tracks), _texts(d.name, d.note)
    for b in program.benefits:
        yield Item("benefit", pid, "benefit", b.id, b.tracks), _texts(b.text)
    for q in program.quotas:
        yield Item("quota", pid, "quota", q.id, q.tracks), _texts(q.text, q.per)
    for s in program.apply:
        yield Item("apply", pid, "apply", s.id, s.tracks), _texts(s.text)
    for c in program.contacts:
        texts = _texts(c.office, c.address, c.note) + [normalise(n) for n in (*c.names, *c.phones, *c.emails)]
        for duty in c.duties:
            texts += _texts(duty.text)
        tracks = tuple(t for duty in c.duties for t in duty.tracks) if all(d.tracks for d in c.duties) else ()
        sectors = tuple(s for duty in c.duties for s in duty.sectors)
        yield Item("contact", pid, "contact", c.id, tracks, sectors), texts
    for m in program.deadlines:
        yield Item("deadline", pid, "milestone", m.id), _texts(m.label, m.note)
    for f in program.faq:
        for phrasing in f.q.all():
            yield Item(f.intent, pid, "faq", f.id, f.tracks), [normalise(phrasing)]


def _global_items(entries: Iterable[GlobalFaq]) -> Iterable[tuple[Item, list[str]]]:
    for f in entries:
        for phrasing in f.q.all():
            yield Item(f.intent, None, "global_faq", f.id), [normalise(phrasing)]


def build_index(content: Content) -> QuestionIndex:
    lexicon = content.lexicon
    # Uyghur stopwords as keys, the form Uyghur words take in a question's terms (English ones stay as listed).
    stopwords = frozenset(uyghur_keys(normalise(w)) for w in (lexicon.stopwords if lexicon else ()))
    names = _names(content)
    asks: set[tuple[str, str]] = set()
    subjects = Subjects(lexicon.subjects if lexicon else {})
    cues = _cues(content, asks)
    index = QuestionIndex(
        cues=PhraseSet(set(cues)),
        cue_intents=dict(cues),
        names=PhraseSet(set(names)),
        name_targets=dict(names),
        stopwords=stopwords,
        asks=frozenset(asks),
        subjects=subjects,
    )
    long_stops = sorted((w for w in stopwords if len(w) > 1 and is_cjk(w)), key=len, reverse=True)
    index.stop_pattern = re.compile("|".join(map(re.escape, long_stops))) if long_stops else None
    index.programs = max(len(content.programs), 1)
    index.compare_words = tuple(as_typed(w) for w in (lexicon.compare if lexicon else ()))
    index.other_words = tuple(as_typed(w) for w in (lexicon.others if lexicon else ()))
    index.name_words = _name_words(content, stopwords)
    bags: list[dict[str, float]] = []
    words: list[str] = [normalise(p) for p in names] + [normalise(w) for w in _lexicon_words(content)]
    for program in content.programs:
        words += _texts(program.title, program.short_title, program.summary)
        for item, texts in _program_items(program):
            if item.kind == "faq":
                texts = [_without_program_names(index, t) for t in texts]
            index.items.append(item)
            bags.append(_bag(index, texts))
            words += texts
    for item, texts in _global_items(content.faq):
        index.items.append(item)
        bags.append(_bag(index, texts))
        words += texts
    index.speller = Speller(words)

    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    total = max(len(bags), 1)
    index.idf = {term: math.log(1 + total / n) for term, n in df.items()}
    index.unseen_idf = math.log(1 + total / 0.5)
    postings: dict[str, list[int]] = defaultdict(list)
    for number, bag in enumerate(bags):
        for term in bag:
            postings[term].append(number)
        index.item_mass.append(sum(index.idf[t] * w for t, w in bag.items()))
    index.postings = {term: tuple(numbers) for term, numbers in postings.items()}
    scoped: dict[str | None, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for term, numbers in postings.items():
        for number in numbers:
            scoped[index.items[number].program][term].append(number)
    index.program_postings = {program: {t: tuple(n) for t, n in terms.items()} for program, terms in scoped.items()}
    return index


def _without_program_names(index: QuestionIndex, phrasing: str) -> str:
    """A FAQ phrasing with the programs' names blanked, as a question's are before the two are compared:
    "特培要去多久" and "特培要去内地多久" are alike in what they ask, 特培 is only which program."""
    chars = list(phrasing)
    for phrase, hit in index.names.hits(phrasing).items():
        if hit.exact and any(t.kind == "program" for t in index.name_targets[phrase]):
            chars[hit.start : hit.end] = " " * (hit.end - hit.start)
    return "".join(chars)


def _lexicon_words(content: Content) -> list[str]:
    """Every cue, region, comparison and stop word of ``ask.yaml``, as written."""
    lexicon = content.lexicon
    if lexicon is None:
        return []
    words = [w for kinds in lexicon.intents.values() for w in (*kinds.asks.all(), *kinds.about.all())]
    words += [w for region in lexicon.regions.values() for w in region]
    return words + list(lexicon.compare) + list(lexicon.others) + list(lexicon.stopwords)


def _bag(index: QuestionIndex, texts: list[str]) -> dict[str, float]:
    bag: dict[str, float] = {}
    for text in texts:
        plain = plain_numbers(text)
        tagged = uyghur_keys(plain) + " " + " ".join(index.subjects.tokens(stem_words(plain)))
        for term, weight in index.term_weights(tagged).items():
            bag[term] = max(bag.get(term, 0.0), weight)
    return bag
