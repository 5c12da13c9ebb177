"""Direction marks for right-to-left text with left-to-right pieces in it (Uyghur with phones, URLs, ids).

Uyghur is written in Arabic script, right to left. Telegram's apps lay a message
out with the Unicode Bidirectional Algorithm, which gets mixed text wrong in two
ways we meet daily:

- a line whose first strong letter is Latin or Chinese (a reference, a Chinese
  office name, a contact's name) is laid out left to right as a whole;
- inside right-to-left text, spaces between numbers take the direction of the
  text around them, so ``+86 991 3689692`` shows as ``3689692 991 86+``.

The cure is the invisible marks of Unicode's own recommendation: a RIGHT-TO-LEFT
MARK opens every line, and each left-to-right run (Latin, digits, Chinese, with
the punctuation inside it) is preceded by a LEFT-TO-RIGHT MARK, which makes the
digits of the run count as left-to-right, and followed by a RIGHT-TO-LEFT MARK,
so the punctuation after it belongs to the sentence again. The marks (not the
newer isolates U+2066–2069) because every Telegram client renders them; the
isolates show as boxes on older ones.
"""

from __future__ import annotations

import re

LRM = "\u200e"
RLM = "\u200f"
#: Languages written right to left.
RTL_LANGUAGES = frozenset({"ug"})

_STRONG_LTR = "A-Za-z0-9\u00c0-\u024f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Punctuation that stays inside a left-to-right run when letters or digits follow it.
_INSIDE = r" .,:;\-_/\\@#%+&?=~'§()\[\]（）"
_RUN = re.compile(rf"\+?[{_STRONG_LTR}](?:[{_STRONG_LTR}{_INSIDE}]*[{_STRONG_LTR})\]）])?")
_MARKS = re.compile(f"[{LRM}{RLM}]")


def is_rtl(lang: str) -> bool:
    return lang in RTL_LANGUAGES


def _line(line: str) -> str:
    if not line.strip():
        return line
    return RLM + _RUN.sub(lambda run: f"{LRM}{run.group(0)}{RLM}", line)


def for_reader(text: str, lang: str) -> str:
    """``text`` ready to show a reader of ``lang``: marked up for a right-to-left language, as is otherwise.

    Applying it twice changes nothing (existing marks are taken out first), so a
    composed text may pass through it again at a channel's edge.
    """
    if not is_rtl(lang) or not text:
        return text
    return "\n".join(_line(line) for line in strip_marks(text).split("\n"))


def strip_marks(text: str) -> str:
    """The text without direction marks: for comparing, searching and logging."""
    return _MARKS.sub("", text)
