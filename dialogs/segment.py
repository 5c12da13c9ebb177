"""Cutting a question into terms to match, and finding content phrases in it despite typos.

Chinese is indexed as character unigrams and bigrams, the classic way to search
CJK text without a dictionary: "学费谁出" shares the bigram 学费 with the clause
"学费、住宿费及生活补助由…全额支付" whatever the words around it. We measured
jieba as the alternative: its dictionary costs 1.2 s to load in every process
and it still splits domain words (特贴 → 特/贴, 文旅厅 → 文/旅/厅) unless each is
added, which the content's own phrases (aliases, cue words) already do here.
English words are lower-cased and stemmed (Snowball), so "documents" meets
"document" and "applying" meets "apply".

Applicants type on phone keyboards with pinyin input, so the common typo is a
homophone: 联细人 for 联系人, 卫建委 for 卫健委. :class:`PhraseSet` accepts a
phrase whose characters each sound like the phrase's (usual reading, tones
ignored), as long as at least one character is exactly right.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_SPACES = re.compile(r"\s+")
#: A wildcard in a cue phrase: up to this many characters between its parts (Chinese)…
GAP = 8
#: …or, in an English phrase, up to this many: "how does * work" spans a program's name.
GAP_LATIN = 48


@functools.cache
def _to_simplified() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """One form for matching: Simplified characters (applicants in Xinjiang and abroad type
    Traditional too), full-width letters and digits made half-width, single spaces, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = _to_simplified().convert(text)
    return _SPACES.sub(" ", text).strip().lower()


@functools.cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def stem_words(text: str) -> str:
    """``text`` with each English word replaced by its stem: "deadlines" and the typo "deadlin" both
    read "deadlin", so phrases are matched whatever the word's ending."""
    return _WORD.sub(lambda m: stem(m.group()) if m.group().isalpha() else m.group(), text)


def terms(text: str) -> Iterator[str]:
    """The retrieval terms of normalised ``text``: Chinese unigrams and bigrams, English stems, numbers."""
    for run in _CJK_RUN.findall(text):
        yield from run
        for i in range(len(run) - 1):
            yield run[i : i + 2]
    for word in _WORD.findall(text):
        yield stem(word) if word.isalpha() else word


def is_cjk(text: str) -> bool:
    return _CJK_RUN.search(text) is not None


# --------------------------------------------------------------------------- sound-alike matching


@functools.cache
def _readings_table() -> dict[int, str]:
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict  # type: ignore[no-any-return]


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


def _bounded(text: str, start: int, end: int) -> bool:
    """An English phrase must stand as whole words: "who" is not in "whole"."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def find(text: str, phrase: str) -> Hit | None:
    """Where ``phrase`` (normalised, ``*`` for a short gap) occurs as written in normalised ``text``."""
    if "*" in phrase:
        return _find_gapped(text, phrase)
    start = text.find(phrase)
    while start != -1:
        end = start + len(phrase)
        if not phrase[0].isascii() or _bounded(text, start, end):
            return Hit(start, end, True)
        start = text.find(phrase, start + 1)
    return None


@functools.lru_cache(maxsize=4096)
def _gapped_pattern(phrase: str) -> re.Pattern[str]:
    parts = [re.escape(part) for part in phrase.split("*")]
    gap = GAP if is_cjk(phrase) else GAP_LATIN
    return re.compile(f".{{0,{gap}}}?".join(parts))


def _find_gapped(text: str, phrase: str) -> Hit | None:
    found = _gapped_pattern(phrase).search(text)
    return Hit(found.start(), found.end(), True) if found else None


class PhraseSet:
    """Many phrases found in one pass: exact ones by substring search, sound-alike ones through an
    index of each phrase's characters. A sound-alike match needs one exact character, so each
    character of the question only brings the phrases that hold it: a typo costs no scan over all."""

    def __init__(self, phrases: Iterator[str] | list[str] | set[str]) -> None:
        self.phrases = sorted(set(phrases), key=lambda p: (-len(p), p))
        #: Plain phrases by their first character (a question is read once, left to right)…
        self._by_first: dict[str, list[str]] = {}
        #: …and phrases with a gap, searched with their own patterns.
        self._gapped = [p for p in self.phrases if "*" in p]
        for phrase in self.phrases:
            if "*" not in phrase:
                self._by_first.setdefault(phrase[0], []).append(phrase)
        self._by_char: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
        for phrase in self.phrases:
            if "*" in phrase or len(phrase) < 2 or not all(reading(c) for c in phrase):
                continue
            sound = tuple(reading(c) for c in phrase)
            for offset, char in enumerate(phrase):
                self._by_char.setdefault(char, []).append((offset, phrase, sound))

    def hits(self, text: str) -> dict[str, Hit]:
        """Every phrase present in ``text``, with where; exact occurrences are preferred to sound-alike ones."""
        found: dict[str, Hit] = {}
        for start, char in enumerate(text):
            for phrase in self._by_first.get(char, ()):
                if phrase not in found and text.startswith(phrase, start):
                    end = start + len(phrase)
                    if not phrase[0].isascii() or _bounded(text, start, end):
                        found[phrase] = Hit(start, end, True)
        for phrase in self._gapped:
            hit = _find_gapped(text, phrase)
            if hit is not None:
                found[phrase] = hit
        sound = [reading(c) for c in text]
        for i, char in enumerate(text):
            for offset, phrase, phrase_sound in self._by_char.get(char, ()):
                start = i - offset
                end = start + len(phrase)
                if start < 0 or end > len(text) or phrase in found:
                    continue
                if all(text[start + k] == c or sound[start + k] == phrase_sound[k] for k, c in enumerate(phrase)):
                    found[phrase] = Hit(start, end, False)
        return found
