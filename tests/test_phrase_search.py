"""Finding the content's phrases in a question finds what it found before it was made faster (issue 17).

:class:`dialogs.segment.PhraseSet` now looks exact phrases up by their first two characters and
sound-alike ones by the readings of their first two; the loop it replaced — every phrase beginning
with the character, every phrase holding it — is kept here as the reference, and both must give the
same hits, in the same order, on every labelled question and on random text made of their characters.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from dialogs.loader import Content
from dialogs.question_index import index_for
from dialogs.question_subjects import plain_numbers
from dialogs.segment import Hit, PhraseSet, _bounded, _find_gapped, _spaced, normalise, reading, stem_words

DATA = Path(__file__).resolve().parent / "data"


class Reference:
    """The search as it was: per character, every phrase beginning with it, then every phrase holding it."""

    def __init__(self, phrases: PhraseSet):
        self.phrases = phrases.phrases
        self.by_first: dict[str, list[str]] = {}
        for phrase in self.phrases:
            if "*" not in phrase:
                self.by_first.setdefault(phrase[0], []).append(phrase)
        self.by_char: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
        for phrase in self.phrases:
            if "*" in phrase or len(phrase) < 2 or not all(reading(c) for c in phrase):
                continue
            for offset, char in enumerate(phrase):
                self.by_char.setdefault(char, []).append((offset, phrase, tuple(reading(c) for c in phrase)))

    def hits(self, text: str) -> dict[str, Hit]:
        found: dict[str, Hit] = {}
        for start, char in enumerate(text):
            for phrase in self.by_first.get(char, ()):
                if phrase not in found and text.startswith(phrase, start):
                    end = start + len(phrase)
                    if not _spaced(phrase) or _bounded(text, start, end):
                        found[phrase] = Hit(start, end, True)
        for phrase in [p for p in self.phrases if "*" in p]:
            hit = _find_gapped(text, phrase)
            if hit is not None:
                found[phrase] = hit
        sound = [reading(c) for c in text]
        for i, char in enumerate(text):
            for offset, phrase, phrase_sound in self.by_char.get(char, ()):
                start = i - offset
                end = start + len(phrase)
                if start < 0 or end > len(text) or phrase in found:
                    continue
                if all(text[start + k] == c or sound[start + k] == phrase_sound[k] for k, c in enumerate(phrase)):
                    found[phrase] = Hit(start, end, False)
        return found


def test_the_phrases_found_are_those_the_reference_finds_in_the_same_order(content: Content) -> None:
    index = index_for(content)
    questions = [
        str(item["q"])
        for path in sorted(DATA.glob("questions*.yaml"))
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    ]
    texts = [stem_words(plain_numbers(index.speller.mend(normalise(q)))) for q in questions]
    rng = random.Random(17)
    # random text of the questions' characters and of the phrases' homophones: sound-alikes at every turn
    alphabet = sorted(set("".join(texts)) | {c for p in index.names.phrases + index.cues.phrases for c in p})
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(2000)]
    sound_alike = 0
    for phrases in (index.cues, index.names):
        reference = Reference(phrases)
        for text in texts:
            got = phrases.hits(text)
            assert list(got.items()) == list(reference.hits(text).items()), text
            sound_alike += sum(not hit.exact for hit in got.values())
    assert sound_alike >= 50  # the comparison covers sound-alike matches, not only exact ones
