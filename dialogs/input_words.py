"""Answers given in words rather than figures: one of the options, yes or no, or free text.

An option may be typed by its label in any language, by its number as the
buttons show it, or by a prefix only it has; yes and no by the usual words of
the three languages.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TypeVar

from dialogs.input_numbers import CN_CHARS, chinese_to_int
from dialogs.inputs import (
    CHOICE_AMBIGUOUS,
    CHOICE_NO_SUCH_NUMBER,
    CHOICE_UNKNOWN,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
    Parsed,
    normalise,
)

T = TypeVar("T")

# --------------------------------------------------------------------------- choices

#: Words meaning yes and no, in Chinese, English and Uyghur; added to the labels of True/False options.
YES_WORDS: tuple[str, ...] = (
    "是", "是的", "对", "对的", "有", "有的", "要", "需要", "好", "好的", "可以", "同意", "确认", "嗯",
    "yes", "y", "yeah", "yep", "sure", "ok", "okay", "true",
    "ھەئە", "شۇنداق", "بار",
)  # fmt: skip
NO_WORDS: tuple[str, ...] = (
    "否", "不", "不是", "不对", "没有", "没", "无", "不要", "不需要", "不用", "不同意",
    "no", "n", "nope", "not", "none", "false",
    "ياق", "ئەمەس", "يوق",
)  # fmt: skip

_ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "last": -1,
}  # fmt: skip
_OPTION_NUMBER = re.compile(
    r"^(?:第|选|选择|option|choice|number|no\.?|#)?\s*(?P<n>\d+|[" + CN_CHARS + r"]+)\s*(?:个|项|条|种|号)?$"
)


@functools.lru_cache(maxsize=4096)
def _key(label: str) -> str:
    """Case-, width- and whitespace-insensitive form of a label or an answer (kept: every typed answer is
    compared with each option's labels and yes/no words, the same few hundred strings)."""
    return re.sub(r"\s+", "", normalise(label).casefold())


def parse_choice(text: str, options: Sequence[tuple[T, str | Sequence[str]]]) -> Parsed[T]:
    """One of ``options`` — ``(value, label)`` or ``(value, [label, label…])`` pairs — from typed text.

    Tried in order, so a label that looks like a number still wins: the exact
    label in any language (ignoring case, width and spaces), yes/no words when
    the values are booleans, the option's number as buttons show it ("2", "２",
    "第二个", "选2", "option 2", "second", "last"), then a prefix shared by one
    option only ("新疆" for "新疆维吾尔自治区", "assoc" for "Associate professor").
    Refusals list the options by their first label, which the caller gives in
    the reader's language; an ambiguous prefix names only the options it matches.
    """
    labelled: list[tuple[T, tuple[str, ...]]] = []
    for value, labels in options:
        names = (labels,) if isinstance(labels, str) else tuple(labels)
        if isinstance(value, bool):
            names += YES_WORDS if value else NO_WORDS
        labelled.append((value, names))
    shown = tuple(names[0] if names else str(value) for value, names in labelled)
    answer = _key(text)
    if not answer:
        return Parsed.refuse(CHOICE_UNKNOWN, options=shown)

    exact = [i for i, (_, names) in enumerate(labelled) if any(_key(n) == answer for n in names)]
    if found := _single(exact, labelled, text, shown):
        return found

    if m := _OPTION_NUMBER.match(answer):
        number = int(m["n"]) if m["n"].isdigit() else chinese_to_int(m["n"])
        if number is not None:
            return _by_number(number, labelled, shown)
    if answer in _ORDINAL_WORDS:
        number = _ORDINAL_WORDS[answer]
        return _by_number(len(labelled) if number == -1 else number, labelled, shown)

    prefixed = [i for i, (_, names) in enumerate(labelled) if any(_key(n).startswith(answer) for n in names)]
    if found := _single(prefixed, labelled, text, shown):
        return found
    return Parsed.refuse(CHOICE_UNKNOWN, options=shown)


def _single(
    indexes: list[int], labelled: list[tuple[T, tuple[str, ...]]], text: str, shown: tuple[str, ...]
) -> Parsed[T] | None:
    """The one option the indexes point to, a refusal naming them when they disagree, or ``None`` if empty."""
    if not indexes:
        return None
    values: list[T] = []
    for i in indexes:
        if not any(labelled[i][0] == v for v in values):
            values.append(labelled[i][0])
    if len(values) == 1:
        return Parsed.accept(values[0])
    return Parsed.refuse(CHOICE_AMBIGUOUS, text=text.strip(), matches=tuple(shown[i] for i in indexes))


def _by_number(number: int, labelled: list[tuple[T, tuple[str, ...]]], shown: tuple[str, ...]) -> Parsed[T]:
    if 1 <= number <= len(labelled):
        return Parsed.accept(labelled[number - 1][0])
    return Parsed.refuse(CHOICE_NO_SUCH_NUMBER, number=number, count=len(labelled))


def parse_yes_no(text: str) -> Parsed[bool]:
    """Yes or no, in words ("是的", "没有", "yes", "n") or as button numbers (1 = yes, 2 = no)."""
    return parse_choice(text, [(True, "yes"), (False, "no")])


# --------------------------------------------------------------------------- free text


def check_text(text: str, *, max_len: int) -> Parsed[str]:
    """Free text (a name, an employer) stripped of surrounding space, refused when empty or over ``max_len``.

    The length counts characters, not bytes, so a Chinese name is not
    penalised; the limit is given back so the applicant knows how much to cut.
    """
    stripped = text.strip()
    if not stripped:
        return Parsed.refuse(TEXT_EMPTY)
    if len(stripped) > max_len:
        return Parsed.refuse(TEXT_TOO_LONG, max=max_len, length=len(stripped))
    return Parsed.accept(stripped)
