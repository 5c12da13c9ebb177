"""What a clause and a question are about, in words they need not share: numbers and subject words.

A question asks "小组团最多几个人" where the notice says "团队不超过8人"; "柔性 呆俩月够吗" where
it says "不少于2个月". They share almost no characters, yet both are about the most people a
team may have, or how many months one stays. Two steps make them meet, applied alike to
the content's items and to the question:

- **numbers in words** before a unit become digits (俩月, 两个月 → 2个月; "two months" → 2
  months; Uyghur ئىككى ئاي → 2 ئاي), so a typed quantity meets the notice's;
- **subject words** of ``ask.yaml`` (``subjects:``): each group lists the ways of saying one
  thing (最多, 不超过, at most, ئاشمايدۇ; 几个人, #人, team size…), ``#`` standing for a number
  of one or two digits. A text holding any of a group's phrases gets the group's token, a term
  like any other, so the clause and the question share it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from dialogs.segment import normalise, stem_words

_ZH_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_ZH_NUMBER = re.compile(r"(?<![一二两俩三四五六七八九十])([一二两俩三四五六七八九十])(个)?(?=月|年|人|名|岁|周岁)")
_EN_DIGITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
}
_EN_NUMBER = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|a)\s+(?=(?:month|year|people|person|member)s?\b)"
)
_UG_DIGITS = {
    "بىر": 1,
    "ئىككى": 2,
    "ئۈچ": 3,
    "تۆت": 4,
    "بەش": 5,
    "ئالتە": 6,
    "يەتتە": 7,
    "سەككىز": 8,
    "توققۇز": 9,
    "ئون": 10,
}
_UG_NUMBER = re.compile(r"(?<![\u0600-\u06ff])(" + "|".join(_UG_DIGITS) + r")\s+(?=(?:ئاي|يىل|ئادەم|نەپەر|كىشى))")


def plain_numbers(text: str) -> str:
    """``text`` (normalised) with numbers written in words before a unit as digits: 俩月 → 2个月."""

    def zh(match: re.Match[str]) -> str:
        unit_follows = text[match.end() : match.end() + 1]
        return f"{_ZH_DIGITS[match.group(1)]}" + ("个" if match.group(2) or unit_follows == "月" else "")

    text = _ZH_NUMBER.sub(zh, text)
    text = _EN_NUMBER.sub(lambda m: f"{_EN_DIGITS[m.group(1)]} ", text)
    return _UG_NUMBER.sub(lambda m: f"{_UG_DIGITS[m.group(1)]} ", text)


#: A subject token: a word no text holds, kept whole by the term cutter.
TOKEN = "subject-{}"
_NUMBER = r"(?<!\d)\d{1,2}(?!\d)"


#: Texts whose tokens :meth:`Subjects.tokens` keeps (emptied whole when full): enough for the few texts
#: of the question being read, not a memory of earlier questions.
_SEEN_KEPT = 16


class Subjects:
    """The subject groups of ``ask.yaml``, compiled: the tokens a normalised, stemmed text earns."""

    def __init__(self, groups: Mapping[str, Sequence[str]]) -> None:
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        self._seen: dict[str, tuple[str, ...]] = {}
        for name, phrases in groups.items():
            forms = sorted(
                {stem_words(plain_numbers(normalise(p))) for p in phrases if p.strip()}, key=len, reverse=True
            )
            parts = [re.escape(form).replace(r"\#", _NUMBER).replace("\\ ", r"\s*") for form in forms]
            if parts:
                self._patterns.append((TOKEN.format(name), re.compile("|".join(parts))))

    def tokens(self, text: str) -> list[str]:
        """The tokens of the groups one of whose phrases ``text`` holds.

        The latest few texts' tokens are kept: reading a question looks for them in the same text several
        times (what it asks about, then the conditions of a track it names)."""
        found = self._seen.get(text)
        if found is None:
            if len(self._seen) >= _SEEN_KEPT:
                self._seen.clear()
            found = self._seen[text] = tuple(token for token, pattern in self._patterns if pattern.search(text))
        return list(found)

    def blanked(self, text: str) -> str:
        """``text`` with the subject phrases it holds blanked: once read as a subject, 最多 is "at most",
        not two characters an item must share too."""
        for _, pattern in self._patterns:
            text = pattern.sub(lambda m: " " * len(m.group()), text)
        return text

    def tagged(self, text: str) -> str:
        """``text`` with its tokens appended, to be cut into terms."""
        found = self.tokens(text)
        return text + " " + " ".join(found) if found else text
