"""Mending English typos in a free question against the words the content itself uses.

English questions arrive typed on phones: "dedline", "trainng", "flexibel",
"elegible". A stemmer cannot mend those, and the cue words and names are matched
as written, so a single slip loses the question. Each English word of five
letters or more that the content never uses is replaced by the content word one
edit away (a letter added, dropped, changed, or two neighbours swapped), the most
common one when several are; a word with no such neighbour stays as typed.

Candidates are found by the symmetric-delete method: each known word is filed
under itself and each form with one letter dropped, so a typed word is compared
only with the few known words that share such a form, not with the whole
vocabulary.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

_WORD = re.compile(r"[a-z]+")
#: Shorter words are left alone: "hr", "sx", "cv" are one edit from too many others.
MIN_LENGTH = 5


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class Speller:
    """The content's English words, and the mending of a question's words against them."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.counts: Counter[str] = Counter(w for text in texts for w in _WORD.findall(text.lower()))
        self._filed: dict[str, set[str]] = defaultdict(set)
        for word in self.counts:
            if len(word) >= MIN_LENGTH - 1:
                self._filed[word].add(word)
                for form in _deletes(word):
                    self._filed[form].add(word)

    def correct(self, word: str) -> str:
        """The known word ``word`` was meant to be, or ``word`` itself."""
        if len(word) < MIN_LENGTH or word in self.counts:
            return word
        found = set(self._filed.get(word, ()))
        for form in _deletes(word):
            found |= self._filed.get(form, set())
        near = sorted((w for w in found if _one_edit(word, w)), key=lambda w: (-self.counts[w], w))
        return near[0] if near else word

    def mend(self, text: str) -> str:
        """``text`` (normalised, lower case) with each unknown English word mended."""
        return _WORD.sub(lambda m: self.correct(m.group()), text)
