"""Checking that a content item's ``quote`` is the notice's own words, inside the clause it cites.

Every statement the bot makes rests on a clause of a notice (``source: §五(三)``)
and carries the exact words it rests on (``quote:``). This module reads a notice
into its numbered clauses and checks each quote against the clause its item cites.

**Clauses.** A line that starts with a section mark opens a clause; the marks are,
from the outermost: ``一、`` (a Chinese numeral and 、), ``（一）`` (a Chinese numeral
in brackets), ``1．`` / ``1.`` / ``1、`` (a figure and a stop), ``（1）`` (a figure in
brackets). A clause runs until the next mark of its own or an outer level, so it
includes its sub-clauses. A notice that mixes levels (``（1）（2）（三）（四）`` as one
list) still reads as one list, because a mark only closes clauses at its own level
or deeper. ``附件1``/``附件2`` lines start a new part whose numbering starts again;
a citation is looked up in the first part that has it unless it names the part
(``§附件2 二``).

**Citations** (``source`` without the ``§``), as written across the content:

- a path of marks: ``二``, ``五(三)``, ``二(1)``, ``一(三)1``, ``四1``;
- sibling marks together: ``五(一)(二)`` is ``五(一)`` and ``五(二)``;
  ``三(一)(三)2`` is ``三(一)`` and ``三(三)2``;
- a range of items: ``一(一)1-9`` is each of items 1 to 9 of ``一(一)``;
- several citations joined by ``,`` or ``、``: ``§三(三), §三(三)1`` (write ``,``: an English
  or Uyghur screen that cites them should show no Chinese punctuation);
- a path followed by words of the notice that mark a place inside it:
  ``四 联系人及联系方式`` is the part of ``四`` from those words on, and
  ``一 以下人员(一)`` is the first ``(一)`` after those words (used where a
  clause holds two lists numbered alike); words joined by ``及`` that the notice
  does not have together are looked up one by one;
- words alone, without a path (``市通知``, ``市通知 联系人``): the covering text before the
  first numbered section (a forwarding letter, a preamble), from the marking words on
  when they are in it.

**Matching.** Quote and clause are compared after (1) removing all white space
(the notices break lines and space figures unevenly: ``近 5 年``), (2) Unicode NFKC,
which makes full-width letters, figures and punctuation half-width (``（`` → ``(``,
``，`` → ``,``, ``：`` → ``:``, ``１`` → ``1``) so either form may be typed, and (3)
dropping the ``**`` bold marks one notice carries. Nothing else is forgiven: a
quote is the notice's own words in its own order. A quote given as a list is
several passages, each of which must be in one of the cited clauses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path as FsPath

from dialogs.problems import Path

_CN = "一二三四五六七八九十"
_CN_VALUE = {c: i + 1 for i, c in enumerate(_CN)}

#: A section mark at the start of a line (already normalised, so brackets are half-width).
_MARK = re.compile(rf"^(?:(?P<l1>[{_CN}]+)、|\((?P<l2>[{_CN}]+)\)|(?P<l3>\d{{1,2}})[.、](?!\d)|\((?P<l4>\d{{1,2}})\))")
_PART = re.compile(r"^附件(\d+)[:：]?$")
#: A word processor's bookmark left in front of a heading (001: ``[bookmark: _GoBack]六、…``): not part of the mark.
_EDITOR_MARK = re.compile(r"^\[bookmark:[^\]]*\]")


def normalise(text: str) -> str:
    """The form quotes and notices are compared in: no white space, NFKC, no ``**``."""
    text = unicodedata.normalize("NFKC", text).replace("**", "")
    return re.sub(r"\s+", "", text)


@dataclass
class Clause:
    """One numbered clause of a notice: its mark, its span in the normalised text, its sub-clauses."""

    label: str
    level: int
    start: int
    end: int = -1
    children: list[Clause] = field(default_factory=list)

    def walk(self) -> Iterator[Clause]:
        """This clause's sub-clauses at every depth, in the order of the text."""
        for child in self.children:
            yield child
            yield from child.walk()


@dataclass
class NoticeText:
    """A notice read into clauses: the normalised text, and per part its top-level clauses."""

    text: str
    #: ``(part name, root)``; the root spans the whole part and its children are the ``一、`` sections.
    parts: list[tuple[str, Clause]]
    #: The covering text before the first numbered section of the first part.
    preamble: Clause


def _label(match: re.Match[str]) -> tuple[str, int]:
    for level, group in enumerate(("l1", "l2", "l3", "l4"), start=1):
        value = match.group(group)
        if value is not None:
            return (f"({value})" if level in (2, 4) else value), level
    raise AssertionError("a mark matched with no group")


def parse_notice(raw: str) -> NoticeText:
    """Read a notice into its clauses (see the module's docstring for the marks)."""
    text_parts: list[str] = []
    position = 0
    parts: list[tuple[str, Clause]] = []
    stack: list[Clause] = []

    def close(to: int, keep_level: int) -> None:
        while stack and stack[-1].level >= keep_level:
            stack.pop().end = to

    def new_part(name: str, at: int) -> None:
        close(at, 0)
        root = Clause(name, 0, at)
        parts.append((name, root))
        stack.append(root)

    new_part("", 0)
    for line in raw.splitlines():
        norm = normalise(line)
        if not norm:
            continue
        part = _PART.match(norm)
        if part:
            if parts[-1][1].children or parts[-1][0]:
                new_part(f"附件{part.group(1)}", position)
            else:
                parts[-1] = (f"附件{part.group(1)}", parts[-1][1])
                parts[-1][1].label = parts[-1][0]
        else:
            mark = _MARK.match(_EDITOR_MARK.sub("", norm))
            if mark:
                label, level = _label(mark)
                close(position, level)
                clause = Clause(label, level, position)
                stack[-1].children.append(clause)
                stack.append(clause)
        text_parts.append(norm)
        position += len(norm)
    close(position, 0)
    first_root = parts[0][1]
    preamble_end = first_root.children[0].start if first_root.children else first_root.end
    return NoticeText("".join(text_parts), parts, Clause("", 0, 0, preamble_end))


def read_notice(path: FsPath) -> NoticeText:
    """A notice file read into clauses (cached: the notices do not change while the bot runs)."""
    return _read_notice(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _read_notice(path: str, _mtime: int) -> NoticeText:
    return parse_notice(FsPath(path).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- citations


class CitationError(ValueError):
    """A citation that names no clause of the notice."""


#: One step of a path: a Chinese numeral with 、 implied, a bracketed numeral, a figure or a range of figures.
_STEP = re.compile(rf"\(([{_CN}]+|\d{{1,2}})\)|([{_CN}]+)|(\d{{1,2}})(?:-(\d{{1,2}}))?")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _steps(path: str) -> list[list[str]]:
    """``五(一)(二)`` → ``[["五"], ["(一)", "(二)"]]``: each step lists the labels it may be (siblings)."""
    steps: list[list[str]] = []
    pos = 0
    previous_kind = ""
    while pos < len(path):
        match = _STEP.match(path, pos)
        if not match or match.end() == pos:
            raise CitationError(f"cannot read '{path[pos:]}' as a clause mark")
        bracketed, numeral, figure, upto = match.groups()
        if bracketed is not None:
            label, kind = f"({bracketed})", "bracket"
            labels = [label]
        elif numeral is not None:
            label, kind = numeral, "numeral"
            labels = [label]
        else:
            kind = "figure"
            first, last = int(figure), int(upto) if upto else int(figure)
            if last < first:
                raise CitationError(f"the range {figure}-{upto} runs backwards")
            labels = [str(n) for n in range(first, last + 1)]
        if kind == previous_kind == "bracket":
            steps[-1].extend(labels)
        else:
            steps.append(labels)
        previous_kind = kind
        pos = match.end()
    return steps


def _resolve_path(roots: Iterable[Clause], steps: list[list[str]], after: int = -1) -> list[Clause]:
    """The clauses a path names under ``roots``; with ``after``, the first step is the first match past it.

    A step of several labels is siblings (``(一)(二)``) or a range (``1-9``): every
    one is named, and the steps after it go on from the last one only
    (``三(一)(三)2`` is ``三(一)`` and ``三(三)2``).
    """
    current = list(roots)
    named: list[Clause] = []
    for index, labels in enumerate(steps):
        found: list[Clause] = []
        for parent in current:
            for label in labels:
                if index == 0 and after >= 0:
                    match = next((c for c in parent.walk() if c.label == label and c.start >= after), None)
                else:
                    match = next((c for c in parent.children if c.label == label), None)
                if match is None:
                    raise CitationError(f"no clause {label} there")
                found.append(match)
        if index < len(steps) - 1:
            named += found[:-1]
            found = found[-1:]
        current = found
    return named + current


def _locate(notice: NoticeText, scope: Clause, words: str) -> list[int]:
    """Where the marking ``words`` start inside ``scope``; ``及`` joins words the notice may have apart."""
    body = notice.text[scope.start : scope.end]
    at = body.find(words)
    if at >= 0:
        return [scope.start + at]
    places = []
    for piece in words.split("及"):
        at = body.find(piece) if piece else -1
        if at < 0:
            raise CitationError(f"the words '{piece or words}' are not in that clause")
        places.append(scope.start + at)
    return places


def _resolve_one(notice: NoticeText, citation: str) -> list[Span]:
    """One citation: a path of marks, then (after a space) words that mark a place inside it."""
    head, _, rest = citation.strip().removeprefix("§").strip().partition(" ")
    head, words = normalise(head), normalise(rest)
    part_name, path = _part_of(head)
    if path and not _is_path(path):
        # No path: the first word names the covering text (``市通知``), the rest marks a place in it.
        path = ""
    if not path:
        scope = _part(notice, part_name) if part_name else notice.preamble
        return _within_words(notice, scope, words)
    steps = _steps(path)
    candidates = [_part(notice, part_name)] if part_name else [root for _, root in notice.parts]
    last_error: CitationError | None = None
    for root in candidates:
        try:
            clauses = _resolve_path([root], steps)
        except CitationError as exc:
            last_error = exc
            continue
        spans: list[Span] = []
        for clause in clauses:
            spans += _within_words(notice, clause, words)
        return spans
    raise last_error or CitationError("no such clause")


def _is_path(text: str) -> bool:
    try:
        _steps(text)
    except CitationError:
        return False
    return True


def _part_of(path: str) -> tuple[str, str]:
    match = re.match(r"附件\d+", path)
    return (match.group(0), path[match.end() :]) if match else ("", path)


def _part(notice: NoticeText, name: str) -> Clause:
    for part_name, root in notice.parts:
        if part_name == name:
            return root
    raise CitationError(f"the notice has no {name}")


def _within_words(notice: NoticeText, scope: Clause, words: str) -> list[Span]:
    """``words`` may end in a path (``以下人员(一)``): the place after the words, or that clause after them."""
    if not words:
        return [Span(scope.start, scope.end)]
    tail = re.search(rf"((?:\((?:[{_CN}]+|\d{{1,2}})\))+(?:\d{{1,2}}(?:-\d{{1,2}})?)?)$", words)
    lead, path = (words[: tail.start()], tail.group(1)) if tail and tail.start() > 0 else (words, "")
    spans = []
    for at in _locate(notice, scope, lead):
        if path:
            spans += [Span(c.start, c.end) for c in _resolve_path([scope], _steps(path), after=at)]
        else:
            spans.append(Span(at, scope.end))
    return spans


def resolve(notice: NoticeText, citation: str) -> list[Span]:
    """The spans of the notice a ``source`` names; raise :class:`CitationError` when it names none."""
    spans: list[Span] = []
    for piece in re.split(r"[、,，]", citation):
        piece = piece.strip().removeprefix("§").strip()
        if not piece:
            raise CitationError(f"'{citation}' has an empty citation")
        try:
            spans += _resolve_one(notice, piece)
        except CitationError as exc:
            raise CitationError(f"'§{piece}' is not a clause of the notice: {exc}") from None
    return spans


# --------------------------------------------------------------------------- quotes


def quotes_of(quote: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A quote as its passages (a single string is one passage)."""
    if quote is None:
        return ()
    return (quote,) if isinstance(quote, str) else tuple(quote)


def quote_problems(notice: NoticeText, citation: str, quote: str | tuple[str, ...] | None) -> list[str]:
    """What is wrong with ``quote`` as the words of ``citation`` (empty when it is verified)."""
    try:
        spans = resolve(notice, citation)
    except CitationError as exc:
        return [str(exc)]
    problems = []
    for passage in quotes_of(quote):
        words = normalise(passage)
        if not words:
            problems.append("an empty quote")
            continue
        if any(words in notice.text[s.start : s.end] for s in spans):
            continue
        if words in notice.text:
            problems.append(f"'{_short(passage)}' is in the notice, but not in §{citation.removeprefix('§')}")
        else:
            problems.append(f"'{_short(passage)}' is not in the notice (word for word)")
    return problems


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


# --------------------------------------------------------------------------- content


#: The findings of :func:`check_quotes` that only say a quote is missing.
MISSING = "no quote: give the notice's exact words (quote:), or mark the item basis: office"


def check_quotes(model: object, notice: NoticeText | None, here: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every item of ``model`` (a program) that cites a clause: its quote is in that clause.

    An item is one with a ``source`` field. ``basis: office`` items (the office's own
    guidance) need no quote; a quote they do give is still checked.
    """
    fields = getattr(type(model), "model_fields", None)
    if isinstance(model, tuple):
        for i, item in enumerate(model):
            yield from check_quotes(item, notice, here + (i,))
        return
    if fields is None:
        return
    citation = getattr(model, "source", None) if "source" in fields else None
    if isinstance(citation, str):
        yield from item_findings(model, notice, citation, here)
    for name, info in fields.items():
        if name in ("source", "quote"):
            continue
        value = getattr(model, name)
        if isinstance(value, tuple) or hasattr(type(value), "model_fields"):
            yield from check_quotes(value, notice, here + (info.alias or name,))


def item_findings(item: object, notice: NoticeText | None, citation: str, here: Path) -> Iterator[tuple[Path, str]]:
    """One sourced item: its quote is present unless the office speaks, and is in the cited clause."""
    quote = getattr(item, "quote", None)
    basis = getattr(item, "basis", "notice")
    if notice is None:
        if quote is None and basis != "office":
            yield here + ("quote",), MISSING
        return
    if quote is None:
        try:
            resolve(notice, citation)
        except CitationError as exc:
            if basis == "office":
                yield here + ("source",), str(exc)
            else:
                yield here + ("quote",), f"{MISSING}; and {exc}"
            return
        if basis != "office":
            yield here + ("quote",), MISSING
        return
    for problem in quote_problems(notice, citation, quote):
        yield here + ("quote",), problem
