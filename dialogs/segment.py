"""Cutting a question into terms to match, and finding content phrases in it despite typos.

Chinese is indexed as character unigrams and bigrams, the classic way to search
CJK text without a dictionary: "学费谁出" shares the bigram 学费 with the clause
"学费、住宿费及生活补助由…全额支付" whatever the words around it. We measured
jieba as the alternative: its dictionary costs 1.2 s to load in every process
and it still splits domain words (特贴 → 特/贴, 文旅厅 → 文/旅/厅) unless each is
added, which the content's own phrases (aliases, cue words) already do here.
English words are lower-cased and stemmed (Snowball), so "documents" meets
"document" and "applying" meets "apply".

Uyghur is written in Arabic script and is agglutinative: «مۇددەت» (deadline)
is typed «مۇددىتى» (its deadline) or «مۇددەتنى» (the deadline, object). Each
Arabic-script word is reduced to a *key* (:func:`uyghur_key`) by a few
documented rules: strip the common noun endings (case, possessive, plural),
then leave out the vowels those endings change (a/e raised to i, i or u
dropped: ۋاقىت → ۋاقتى) and forgive common slips (ې typed as ى, a doubled
letter typed once, the hamza ئ left out). A key is for matching only, never
shown. No maintained PyPI package stems Uyghur (Snowball, used
for English here, has Turkish but not Uyghur; the Uyghur packages are
transliterators and tokenisers), so the rules are written here, kept small.

Applicants type on phone keyboards with pinyin input, so the common typo is a
homophone: 联细人 for 联系人, 卫建委 for 卫健委. :class:`PhraseSet` accepts a
phrase whose characters each sound like the phrase's (usual reading, tones
ignored), as long as at least one character is exactly right.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
#: Arabic-script letters (Uyghur uses a subset). Punctuation (، ؛ ؟), digits, the tatweel and the
#: vowel marks are outside, so they separate words.
_ARABIC = "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
#: An Arabic-script word: in keyed text (:func:`uyghur_keys`), a Uyghur key.
UYGHUR_WORD = re.compile(f"[{_ARABIC}]+")
_SPACES = re.compile(r"\s+")
#: A wildcard in a cue phrase: up to this many characters between its parts (Chinese)…
GAP = 8
#: …or, in an English or Uyghur phrase, up to this many: "how does * work" spans a program's name.
GAP_LATIN = 48


@functools.cache
def _to_simplified() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


#: What Uyghur typed on other keyboards becomes (NFKC has already turned the presentation forms of
#: old Uyghur fonts into letters): Arabic heh ه for ە, Persian kaf ک and yeh ی, Arabic-Indic digits;
#: the tatweel, vowel marks and invisible joiners and direction marks are dropped.
_ARABIC_FORMS = str.maketrans(
    {"\u0647": "\u06d5", "\u06a9": "\u0643", "\u06cc": "\u0649"}
    | {chr(0x0660 + d): str(d) for d in range(10)}
    | {chr(0x06F0 + d): str(d) for d in range(10)}
    | dict.fromkeys([0x0640, *range(0x064B, 0x0660), 0x0670, 0x061C, 0x200C, 0x200D, 0x200E, 0x200F])
)
_HAS_ARABIC = re.compile("[\u0600-\u06ff\u200c-\u200f]")


def normalise(text: str) -> str:
    """One form for matching: Simplified characters (applicants in Xinjiang and abroad type
    Traditional too), full-width letters and digits made half-width, Uyghur letters in their
    standard code points, single spaces, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = _to_simplified().convert(text)
    if _HAS_ARABIC.search(text):
        text = text.translate(_ARABIC_FORMS)
    return _SPACES.sub(" ", text).strip().lower()


@functools.cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def stem_words(text: str) -> str:
    """``text`` with each English word replaced by its stem and each Uyghur word by its key: "deadlines"
    and the typo "deadlin" both read "deadlin", «مۇددىتى» and «مۇددەتنى» both read as «مۇددەت» does, so
    phrases are matched whatever the word's ending."""
    return uyghur_keys(_WORD.sub(lambda m: stem(m.group()) if m.group().isalpha() else m.group(), text))


def terms(text: str) -> Iterator[str]:
    """The retrieval terms of normalised ``text``: Chinese unigrams and bigrams, English stems, numbers,
    and Uyghur words as they stand: pass text through :func:`uyghur_keys` (or :func:`stem_words`) first,
    as a key is not a word to be keyed again."""
    for run in _CJK_RUN.findall(text):
        yield from run
        for i in range(len(run) - 1):
            yield run[i : i + 2]
    for word in _WORD.findall(text):
        yield stem(word) if word.isalpha() else word
    yield from UYGHUR_WORD.findall(text)


def is_cjk(text: str) -> bool:
    return _CJK_RUN.search(text) is not None


def is_uyghur_word(text: str) -> bool:
    """Whether ``text`` holds an Arabic-script word."""
    return UYGHUR_WORD.search(text) is not None


# --------------------------------------------------------------------------- Uyghur keys

#: Letters that are vowels in Uyghur's Arabic script (ې is read as ى before this is used).
_UG_VOWELS = frozenset("اەىوۇۆۈ")
#: The vowels an ending changes in the syllables before it: a/e are raised to i (پروگرامما →
#: پروگراممىسى, مۇددەت → مۇددىتى), i and u are dropped (ۋاقىت → ۋاقتى, ئورۇن → ئورنى).
_UG_UNSTABLE = frozenset("اەىۇۈ")
#: Noun endings, outermost first, each slot stripped at most once (longest ending first):
_UG_ENDINGS: tuple[tuple[str, ...], ...] = (
    # the question particle and "it is" (بارمۇ، قانچىدۇر)
    ("مۇ", "چۇ", "دۇر", "تۇر"),
    # case: genitive, accusative, dative, locative, ablative, "the one in", "until"
    (
        "نىڭ",
        "نى",
        "غا",
        "قا",
        "گە",
        "كە",
        "دا",
        "دە",
        "تا",
        "تە",
        "دىن",
        "تىن",
        "دىكى",
        "تىكى",
        "غىچە",
        "قىچە",
        "گىچە",
        "كىچە",
    ),
    # possessive (my, your, its, our, their), with the plural folded in (ماتېرىياللىرى)
    (
        "ىمىز",
        "ىڭىز",
        "ىڭلار",
        "ىڭلەر",
        "ىم",
        "ىڭ",
        "ى",
        "سى",
        "لىرى",
        "لىرىم",
        "لىرىڭ",
        "لىرىمىز",
        "لىرىڭىز",
        "لىرىڭلار",
    ),
    # plural
    ("لار", "لەر"),
)
#: A stem keeps at least this many letters: «ئۇنى» is not «ئۇ» + نى to be cut further.
_UG_MIN_STEM = 2
_UG_DOUBLED = re.compile(r"(.)\1+")


def _strip_endings(word: str) -> str:
    for slot in _UG_ENDINGS:
        for ending in sorted(slot, key=len, reverse=True):
            if word.endswith(ending) and len(word) - len(ending) >= _UG_MIN_STEM:
                word = word[: -len(ending)]
                break
    return word


@functools.lru_cache(maxsize=65536)
def uyghur_key(word: str) -> str:
    """The matching key of one normalised Uyghur word, so that a word meets its inflected forms:
    «مۇددەت», «مۇددىتى», «مۇددەتنى» all give «مۇدت». Four rules, in order:

    1. Slips: the hamza ئ (a seat for a vowel, often left out) is dropped and ې is read as ى (the
       two are often confused).
    2. The noun endings of :data:`_UG_ENDINGS` are stripped, outermost first. A final ن or س left
       is dropped too, as it cannot be told from the start of an ending: «تېلېفونى» is تېلېفون + ى
       (its phone) but «بالىنى» is بالا + نى, «ئىلتىماسى» is ئىلتىماس + ى but «پروگراممىسى» is
       پروگرامما + سى. A final گ/غ is read as ك/ق (تىلەك، تىلىگى).
    3. Of the vowels a, e, i, u, ü only the word's first vowel is kept: those are the vowels an ending
       raises or drops (پروگرامما، پروگراممىسى; ۋاقىت، ۋاقتى) and the ones applicants leave out or
       add (تېلېفون، تېلفون). o and ö stay.
    4. Doubled letters are written once (مۇددەت، مۇدەت).

    Verbs keep their endings but for the question particle مۇ: the cue words of ``ask.yaml`` list the
    verb forms applicants use (بولامدۇ، قىلالامدىمەن). A root whose first vowel changes («ياش»,
    «يېشى») is listed in both forms."""
    stem = _strip_endings(word.replace("ئ", "").replace("ې", "ى"))
    if not stem:
        return word
    if stem[-1] in "نس" and len(stem) > _UG_MIN_STEM:
        stem = stem[:-1]
    if stem[-1] in "گغ":
        stem = stem[:-1] + ("ك" if stem[-1] == "گ" else "ق")
    first = next((i for i, c in enumerate(stem) if c in _UG_VOWELS), -1)
    key = "".join(c for i, c in enumerate(stem) if i == first or c not in _UG_UNSTABLE)
    return _UG_DOUBLED.sub(r"\1", key) or word


def uyghur_keys(text: str) -> str:
    """``text`` with each Uyghur word replaced by its key (:func:`uyghur_key`)."""
    return UYGHUR_WORD.sub(lambda m: uyghur_key(m.group()), text)


# --------------------------------------------------------------------------- sound-alike matching


@functools.cache
def _readings_table() -> dict[int, str]:
    """pypinyin's table of readings by code point, read from its JSON file: importing ``pypinyin`` (as
    ``pypinyin.pinyin_dict`` would) also loads its phrase dictionary, ~45 MB and half a second this
    table does not need."""
    spec = importlib.util.find_spec("pypinyin")  # finds the package without running it
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("pypinyin is not installed")
    raw = json.loads((Path(spec.origin).parent / "pinyin_dict.json").read_text(encoding="utf-8"))
    return {int(code): readings for code, readings in raw.items()}


@functools.lru_cache(maxsize=65536)
def reading(char: str) -> str:
    """The usual pinyin reading of a character, without tones ("" for a non-Chinese character).

    Only the first, most common reading counts: an input method offers a character by how it is
    usually read, and rare readings (呆 once read as 保) would make unrelated phrases sound alike."""
    raw = _readings_table().get(ord(char))
    if raw is None:
        return ""
    plain = unicodedata.normalize("NFD", raw.split(",")[0])
    return "".join(c for c in plain if not unicodedata.combining(c))


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    #: True when every character was typed as written in the content.
    exact: bool


def _is_letter(char: str) -> bool:
    """A letter or digit of a word written with spaces: Latin or Arabic script."""
    return (char.isascii() and char.isalnum()) or ("\u0621" <= char <= "\u06ff" and UYGHUR_WORD.match(char) is not None)


def _spaced(phrase: str) -> bool:
    """Whether a phrase is of a language that spaces its words (English, Uyghur), not Chinese."""
    first = phrase[0]
    return first.isascii() or ("\u0621" <= first <= "\u06ff" and UYGHUR_WORD.match(first) is not None)


def _bounded(text: str, start: int, end: int) -> bool:
    """An English or Uyghur phrase must stand as whole words: "who" is not in "whole", «كىم» not in «كىملىك»."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not _is_letter(before) and not _is_letter(after)


def find(text: str, phrase: str) -> Hit | None:
    """Where ``phrase`` (normalised, ``*`` for a short gap) occurs as written in normalised ``text``."""
    if "*" in phrase:
        return _find_gapped(text, phrase)
    start = text.find(phrase)
    while start != -1:
        end = start + len(phrase)
        if not _spaced(phrase) or _bounded(text, start, end):
            return Hit(start, end, True)
        start = text.find(phrase, start + 1)
    return None


@functools.lru_cache(maxsize=4096)
def _gapped_pattern(phrase: str) -> re.Pattern[str]:
    parts = [re.escape(part) for part in phrase.split("*")]
    gap = GAP if is_cjk(phrase) else GAP_LATIN
    pattern = f".{{0,{gap}}}?".join(parts)
    if UYGHUR_WORD.match(phrase):  # a Uyghur phrase stands as whole words, as in find()
        pattern = f"(?<![{_ARABIC}]){pattern}(?![{_ARABIC}])"
    return re.compile(pattern)


def _find_gapped(text: str, phrase: str) -> Hit | None:
    found = _gapped_pattern(phrase).search(text)
    return Hit(found.start(), found.end(), True) if found else None


class PhraseSet:
    """Many phrases found in one pass: exact ones by substring search, sound-alike ones through an
    index of each phrase's characters. A sound-alike match needs one exact character, so each
    character of the question only brings the phrases that hold it: a typo costs no scan over all."""

    def __init__(self, phrases: Iterator[str] | list[str] | set[str]) -> None:
        self.phrases = sorted(set(phrases), key=lambda p: (-len(p), p))
        #: Plain phrases of two characters or more by their first two (a question is read once, left to
        #: right, and a common first character begins hundreds of phrases), in the order of ``phrases``…
        self._by_first_two: dict[str, list[tuple[str, bool]]] = {}
        #: …the one-character ones by that character (after the longer ones, as ``phrases`` orders them)…
        self._single: dict[str, list[tuple[str, bool]]] = {}
        #: …and phrases with a gap, searched with their own patterns.
        self._gapped = [p for p in self.phrases if "*" in p]
        #: …each with the parts around its gaps: a text without one of them cannot hold the phrase (a
        #: substring test costs less than the pattern's search, and most questions hold few gapped cues).
        self._gapped_parts = [(p, tuple(part for part in p.split("*") if part)) for p in self._gapped]
        for phrase in self.phrases:
            if "*" not in phrase:
                table = self._by_first_two if len(phrase) >= 2 else self._single
                table.setdefault(phrase[:2], []).append((phrase, _spaced(phrase)))
        # Sound-alike phrases by the readings of their first two characters. A phrase matches where every
        # character is as written or sounds alike — as each character has one reading, where the
        # readings are alike — and one character at least is as written. Where a phrase matches at two
        # places, the one kept is the one a left-to-right reading meets first: at its first character
        # as written, then in the order of ``by_char`` below (the phrases' order, then the offset).
        by_char: dict[str, list[tuple[int, str]]] = {}
        sounding: list[tuple[str, list[str]]] = []
        for phrase in self.phrases:
            if "*" in phrase or len(phrase) < 2 or not all(reading(c) for c in phrase):
                continue
            sounding.append((phrase, [reading(c) for c in phrase]))
            for offset, char in enumerate(phrase):
                by_char.setdefault(char, []).append((offset, phrase))
        rank = {(char, entry): i for char, entries in by_char.items() for i, entry in enumerate(entries)}
        #: (first reading, second reading) → (phrase, its readings, per offset: where ``by_char`` lists it).
        self._by_sound: dict[tuple[str, str], list[tuple[str, list[str], tuple[int, ...]]]] = {}
        for phrase, sound in sounding:
            ranks = tuple(rank[(char, (offset, phrase))] for offset, char in enumerate(phrase))
            self._by_sound.setdefault((sound[0], sound[1]), []).append((phrase, sound, ranks))

    @staticmethod
    def _exact(text: str, start: int, bucket: list[tuple[str, bool]], found: dict[str, Hit]) -> None:
        """The phrases of ``bucket`` that occur as written at ``start`` and are not found yet."""
        for phrase, spaced in bucket:
            if phrase not in found and text.startswith(phrase, start):
                end = start + len(phrase)
                if not spaced or _bounded(text, start, end):
                    found[phrase] = Hit(start, end, True)

    def hits(self, text: str) -> dict[str, Hit]:
        """Every phrase present in ``text``, with where; exact occurrences are preferred to sound-alike ones."""
        found: dict[str, Hit] = {}
        size = len(text)
        by_first_two, single, exact = self._by_first_two.get, self._single.get, self._exact
        for start, char in enumerate(text):
            # most positions begin no phrase: two lookups and nothing else (this runs for every character)
            bucket = by_first_two(text[start : start + 2])
            if bucket is not None:
                exact(text, start, bucket, found)
            bucket = single(char)
            if bucket is not None:
                exact(text, start, bucket, found)
        contains = text.__contains__
        for phrase, parts in self._gapped_parts:
            if all(map(contains, parts)):
                hit = _find_gapped(text, phrase)
                if hit is not None:
                    found[phrase] = hit
        sound = [reading(c) for c in text]
        met: list[tuple[int, int, int, str]] = []
        by_sound = self._by_sound.get
        # each position with the next one's reading: a pair of readings no phrase begins with (any pair
        # with a non-Chinese character, so every one of an English question's) costs one lookup
        for start, pair in enumerate(zip(sound, sound[1:], strict=False)):
            sounding = by_sound(pair)
            if sounding is None:
                continue
            for phrase, phrase_sound, ranks in sounding:
                end = start + len(phrase)
                if end > size or phrase in found or sound[start:end] != phrase_sound:
                    continue
                met += [(start + k, ranks[k], start, phrase) for k, c in enumerate(phrase) if text[start + k] == c]
        for _, _, start, phrase in sorted(met):
            if phrase not in found:
                found[phrase] = Hit(start, start + len(phrase), False)
        return found
