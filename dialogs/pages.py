"""Cutting a long reply into messages of at most :data:`LIMIT` characters, at line ends.

A single-topic answer is read on a phone: the first message carries the answer
(the composers put it in the first line) and stays under 1,000 characters; what
does not fit follows one tap away, behind a "More" button. Cuts fall between
lines so that no item, date or phone number is split; only a single line longer
than the limit is cut inside, after a sentence or at a space.
"""

from __future__ import annotations

import re

#: The most characters a message of a reply holds (direction marks, added when rendering, not counted).
LIMIT = 1000

#: Where a line too long for one message may be cut: after a sentence, a clause, or at a space.
_BREAKS = (
    re.compile(r"[。！？；.!?;؛؟](?=\s|$)|[。！？；]"),
    re.compile(r"[，、,،：:](?=\s|$)|[，、：]"),
    re.compile(r"\s"),
)


def split_pages(text: str, limit: int = LIMIT) -> tuple[str, ...]:
    """``text`` as consecutive messages of at most ``limit`` characters each, holding every line of it
    in order (the blank lines between two messages dropped)."""
    if len(text) <= limit:  # one message, as the loop below would make it (most replies)
        return (text.strip("\n") or "",)
    pages: list[str] = []
    current: list[str] = []
    size = 0
    for line in _short_lines(text.split("\n"), limit):
        added = len(line) + (1 if current else 0)
        if current and size + added > limit:
            # A heading stays with the list it opens: it moves to the next message with it.
            carried = [current.pop()] if len(current) > 1 and _heading(current[-1]) else []
            pages.append(_trim("\n".join(current)))
            current = carried
            size = sum(len(x) + 1 for x in carried)
            added = len(line) + (1 if carried else 0)
        current.append(line)
        size += added
    if current:
        pages.append(_trim("\n".join(current)))
    return tuple(page for page in pages if page) or ("",)


def _heading(line: str) -> bool:
    """A line that opens a list (``Requirements for …:``), as opposed to an item of one (``- …``)."""
    return bool(line.strip()) and not line.startswith("- ") and line.rstrip().endswith((":", "：", "؛"))


def _trim(page: str) -> str:
    """A page without the blank lines that separated it from the next one."""
    return page.strip("\n")


def _short_lines(lines: list[str], limit: int) -> list[str]:
    """The lines, each longer than ``limit`` cut at its last break before the limit."""
    out: list[str] = []
    for line in lines:
        while len(line) > limit:
            cut = _cut_at(line, limit)
            out.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        out.append(line)
    return out


def _cut_at(line: str, limit: int) -> int:
    """The position to cut ``line`` at: the end of the last sentence (else clause, else word) that fits,
    or the limit itself when the line has no break in its second half."""
    head = line[:limit]
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(head)]
        if ends and ends[-1] > limit // 2:
            return ends[-1]
    return limit
