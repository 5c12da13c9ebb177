"""A content diff in the admin's language: the lines they read before confirming a publish.

:mod:`dialogs.content_diff` finds the changes; this module words them for a
Telegram message or a terminal: one heading per program, one short line per
change (windows first, then moved deadlines, contacts, items, wording and
missing translations), cut before a message would run past Telegram's limit.
Item names are the content's own texts in the reader's language, cut to about
80 characters; dates are in Beijing time, formatted for the reader's locale.
:func:`diff_summary` is the one-line form for a list of versions
(:func:`dialogs.content_diff.diff_json` is the form without any sentence, for ``--json``).

Direction marks for Uyghur are added at the channel's edge (:func:`dialogs.bidi.for_reader`),
like every other text; the arrow between an old and a new value is itself a message, so a
right-to-left language points it the way it reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dialogs.content_diff import ASK, FACTS, GLOBAL_FAQ, PROGRAM, Change, ContentDiff, Instant, diff_json
from dialogs.explain import amount_text
from dialogs.i18n import N_, Translator
from dialogs.schema import Text
from dialogs.schema_program import Amount
from dialogs.submit_notes import FORM_LABELS

#: ``diff_json`` lives beside the changes it serialises; it is offered here too, with the other two forms.
__all__ = ["diff_json", "diff_lines", "diff_summary"]

#: How many lines a diff shows before "… and N more changes" (headings count).
MAX_LINES = 40
#: How long the lines may be together: a Telegram message holds 4,096 characters, and the caller
#: adds a heading and a question around them.
MAX_CHARS = 3500
#: An item's name (a requirement's whole text, say) is cut to about this many characters.
NAME_CHARS = 80
#: A value longer than this is not quoted in "old → new" (a quote, a rule): the line says it changed.
VALUE_CHARS = 60
BULLET = "• "

#: What each list of a program, and each file, is called when naming an item of it.
SECTIONS = {
    PROGRAM: N_("program"),
    "tracks": N_("track"),
    "deadlines": N_("milestone"),
    "sectors": N_("sector"),
    "requirements": N_("requirement"),
    "assessed": N_("condition the reviewers judge"),
    "documents": N_("document"),
    "benefits": N_("benefit"),
    "quotas": N_("quota"),
    "contacts": N_("contact"),
    "apply": N_("step to apply"),
    "faq": N_("FAQ entry"),
    "staff": N_("staff chat"),
    FACTS: N_("applicant fact"),
    ASK: N_("question words (ask.yaml)"),
}

#: What each field is called (the last part of a dotted path; unknown names are shown as they are).
FIELDS = {
    "label": N_("label"),
    "note": N_("note"),
    "name": N_("name"),
    "text": N_("text"),
    "title": N_("title"),
    "summary": N_("summary"),
    "short_title": N_("short title"),
    "office": N_("office"),
    "address": N_("address"),
    "phones": N_("phone"),
    "emails": N_("e-mail"),
    "names": N_("contact person"),
    "postcode": N_("postcode"),
    "q": N_("questions"),
    "a": N_("answer"),
    "opens": N_("opening date"),
    "closes": N_("closing date"),
    "amount": N_("amount"),
    "count": N_("number"),
    "min": N_("minimum"),
    "max": N_("maximum"),
    "copies": N_("copies"),
    "forms": N_("form"),
    "tracks": N_("tracks"),
    "aliases": N_("other names"),
    "window": N_("window"),
    "draft": N_("draft"),
    "quote": N_("quote from the notice"),
    "basis": N_("basis"),
    "source": N_("clause cited"),
    "rule": N_("rule"),
    "softened": N_("exceptions"),
    "duties": N_("duties"),
    "audience": N_("who must meet it"),
    "provided_by": N_("provided by"),
    "channel": N_("channel"),
    "url": N_("link"),
    "kind": N_("kind"),
    "per": N_("per"),
    "years": N_("years"),
    "approximate": N_("approximate"),
    "issuer": N_("issuer"),
    "region": N_("region"),
    "notice": N_("notice"),
    "file": N_("file"),
    "number": N_("reference number"),
    "issued": N_("issue date"),
    "question": N_("question"),
    "help": N_("help"),
    "chat": N_("chat"),
    "sources": N_("sources"),
    "intent": N_("intent"),
    "intents": N_("intent cues"),
    "asks": N_("question words"),
    "about": N_("topic words"),
    "regions": N_("regions"),
    "stopwords": N_("stopwords"),
}

#: Each language as a sentence names it ("no English text"); the buttons use each one's own name.
LANGUAGES = {"zh": N_("Chinese"), "en": N_("English"), "ug": N_("Uyghur")}

_WHO = {"applicant": N_("the applicant"), "unit": N_("the recommending unit"), "authority": N_("the HR authority")}
#: The words of a field whose values are the schema's own (``basis: office``), by field.
VALUES: dict[str, dict[str, str]] = {
    "basis": {"notice": N_("the notice's words"), "office": N_("the office's own guidance")},
    "audience": _WHO,
    "provided_by": _WHO,
    "kind": {"requirement": N_("requirement"), "exclusion": N_("exclusion")},
    "channel": {
        "online": N_("online"),
        "paper": N_("on paper"),
        "recommendation": N_("through the unit"),
        "procedure": N_("procedure"),
    },
    "forms": FORM_LABELS,
}

#: A window's state as the applicant sees it (the same words as the program list's).
STATES = {
    "open": N_("open"),
    "upcoming": N_("not open yet"),
    "closed": N_("closed"),
    None: N_("no window"),
}

#: The headings of what is not a program's: files read across programs.
FILE_HEADINGS = {
    GLOBAL_FAQ: N_("Questions across programs (faq.yaml):"),
    FACTS: N_("Applicant facts (facts.yaml):"),
    ASK: N_("Question words (ask.yaml):"),
}


@dataclass(frozen=True)
class _Line:
    """One shown line and how many changes it stands for (a window shared by two tracks is one line)."""

    text: str
    changes: int


# --------------------------------------------------------------------------- the lines


def diff_lines(
    diff: ContentDiff,
    tr: Translator,
    lang: str | None = None,
    *,
    max_lines: int = MAX_LINES,
    max_chars: int = MAX_CHARS,
) -> list[str]:
    """The diff as lines for one reader: a heading per program (then per file), a bullet per change.

    ``lang`` picks the language of the content's own texts (the reader's: ``tr.lang`` by default).
    Past ``max_lines`` lines or ``max_chars`` characters the rest is counted, not shown.
    """
    _ = tr.gettext
    if diff.empty:
        return [_("No changes.")]
    lang = lang or tr.lang
    words = _Words(tr, lang)
    out: list[str] = []
    size = 0
    shown = 0
    total = len(diff.changes)
    for heading, lines in _groups(diff, words):
        for i, line in enumerate(lines):
            adding = ([heading] if i == 0 else []) + [BULLET + line.text]
            extra = sum(len(text) + 1 for text in adding)
            if len(out) + len(adding) > max_lines or size + extra > max_chars:
                return [*out, _more(tr, total - shown)]
            out += adding
            size += extra
            shown += line.changes
    return out


def _more(tr: Translator, count: int) -> str:
    return tr.ngettext("… and {n} more change", "… and {n} more changes", count).format(n=tr.number(count))


def _groups(diff: ContentDiff, words: _Words) -> list[tuple[str, list[_Line]]]:
    """The changes in runs that share a heading: each program's, then each file's."""
    groups: list[tuple[str, list[_Line]]] = []
    key: tuple[str | None, str | None] | None = None
    run: list[Change] = []

    def close() -> None:
        if key is not None and run:
            groups.append((words.heading(diff, key), _lines(run, words)))

    for change in diff.changes:
        this = (change.program, None) if change.program is not None else (None, change.section)
        if this != key:
            close()
            key, run = this, []
        run.append(change)
    close()
    return groups


def _lines(changes: Sequence[Change], words: _Words) -> list[_Line]:
    """One line per change, except: tracks whose window changes alike share a line, and an item's
    missing translations in one language share a line."""
    lines: list[_Line] = []
    i = 0
    while i < len(changes):
        change = changes[i]
        same = _alike(change)
        j = i + 1
        while j < len(changes) and same is not None and _alike(changes[j]) == same:
            j += 1
        run = changes[i:j]
        lines.append(_Line(words.line(run), len(run)))
        i = j
    return lines


def _alike(change: Change) -> tuple[Any, ...] | None:
    """What makes changes share a line (None: the change stands alone)."""
    if change.kind in ("window_opens", "window_closes", "window_changed"):
        return (change.kind, change.program, change.old, change.new, change.when)
    if change.kind == "translation_missing":
        return (change.kind, change.program, change.section, change.item, change.langs)
    return None


class _Words:
    """The sentences of one reader: the translator, and the language of the content's texts."""

    def __init__(self, tr: Translator, lang: str):
        self.tr = tr
        self.lang = lang
        self._ = tr.gettext

    # ----------------------------------------------------------------- pieces

    def heading(self, diff: ContentDiff, key: tuple[str | None, str | None]) -> str:
        program, section = key
        if program is not None:
            title = diff.programs.get(program)
            return self._("{program}:").format(program=self.text(title) if title else program)
        label = FILE_HEADINGS.get(section or "")
        return self._(label) if label else f"{section}:"

    def text(self, text: Text | None, limit: int = NAME_CHARS) -> str:
        return _short(text.get(self.lang), limit) if text is not None else ""

    def section(self, section: str | None) -> str:
        label = SECTIONS.get(section or "")
        return self._(label) if label else section or ""

    def field(self, path: str | None) -> str:
        """``notice.title`` → ``notice › title``, each part in the reader's language."""
        if not path:
            return ""
        parts = []
        for part in path.split("."):
            if part in LANGUAGES:
                parts.append(self._(LANGUAGES[part]))
            elif part.isdigit():  # an entry of a list without ids, counted from 1 for people
                parts.append(self.tr.number(int(part) + 1))
            else:
                label = FIELDS.get(part)
                parts.append(self._(label) if label else part)
        return " › ".join(parts)

    def change(self, old: str, new: str) -> str:
        return self._("{old} → {new}").format(old=old, new=new)

    def date(self, when: Instant | None, *, zone: bool = True) -> str:
        if when is None:
            return self._("not set")
        return self.tr.datetime(when.at, with_time=when.timed, zone=zone)

    def dates(self, old: Instant | None, new: Instant | None) -> str:
        """``2023年3月31日 → 2024年3月29日（北京时间）``: the zone said once, after both."""
        change = self.change(self.date(old, zone=False), self.date(new, zone=False))
        return self._("{moment} (Beijing time)").format(moment=change)

    def state(self, state: object) -> str:
        return self._(STATES.get(state if isinstance(state, str) else None, STATES[None]))

    def value(self, value: object) -> str | None:
        """A value as a reader can see it, or None when it does not fit on a line (a rule, a quote)."""
        shown: str | None
        if value is None:
            shown = self._("none")
        elif isinstance(value, bool):
            shown = self._("yes") if value else self._("no")
        elif isinstance(value, (int, float)):
            shown = self.tr.number(value)
        elif isinstance(value, str):
            shown = value
        elif isinstance(value, (dt.date, dt.datetime)):
            shown = value.isoformat()
        elif isinstance(value, Instant):
            shown = self.date(value)
        elif isinstance(value, Amount):
            shown = amount_text(value, self.tr)
        elif isinstance(value, Text):
            return self.text(value)
        elif isinstance(value, tuple) and all(isinstance(v, (str, int, float)) for v in value):
            shown = self.tr.format_list([str(v) for v in value]) if value else self._("none")
        else:
            return None
        return shown if len(shown) <= VALUE_CHARS else None

    def worded(self, field: str, value: object) -> object:
        """A value of the schema's own vocabulary (``office``, ``scan``) in the reader's words."""
        labels = VALUES.get(field)
        if labels is None:
            return value
        if isinstance(value, str):
            return self._(labels[value]) if value in labels else value
        if isinstance(value, tuple):
            return tuple(self._(labels[v]) if isinstance(v, str) and v in labels else v for v in value)
        return value

    def subject(self, change: Change) -> str:
        """Who the line is about: ``{name} ({section})``, or the program itself."""
        if change.section == PROGRAM:
            return self._("Program")
        name = self.text(change.name) if change.name is not None else change.item or ""
        return self._("{name} ({section})").format(name=name, section=self.section(change.section))

    def about(self, change: Change, what: str) -> str:
        if change.section == ASK:
            return what
        return self._("{subject} — {what}").format(subject=self.subject(change), what=what)

    # ----------------------------------------------------------------- lines

    def line(self, run: Sequence[Change]) -> str:
        change = run[0]
        wording: dict[str, Callable[[Sequence[Change]], str]] = {
            "program_added": lambda _run: self._("Program added"),
            "program_removed": lambda _run: self._("Program removed"),
            "window_opens": self._window,
            "window_closes": self._window,
            "window_changed": self._window,
            "milestone_moved": self._moved,
            "item_added": self._added,
            "item_removed": self._added,
            "text_changed": self._text,
            "translation_missing": self._gaps,
        }
        return wording.get(change.kind, self._field)(run)

    def _window(self, run: Sequence[Change]) -> str:
        change = run[0]
        tracks = self.tr.format_list([self.text(c.name) if c.name else c.item or "" for c in run])
        states = self.change(self.state(change.old), self.state(change.new))
        if change.kind == "window_opens":
            if change.when is None:
                what = self._("window opens ({change})").format(change=states)
            else:
                what = self._("window opens ({change}), until {date}").format(
                    change=states, date=self.date(change.when)
                )
        elif change.kind == "window_closes":
            what = self._("window closes ({change})").format(change=states)
        elif change.new == "upcoming" and change.when is not None:
            what = self._("window changes ({change}), opens {date}").format(change=states, date=self.date(change.when))
        else:
            what = self._("window changes ({change})").format(change=states)
        return self._("{subject} — {what}").format(subject=tracks, what=what)

    def _moved(self, run: Sequence[Change]) -> str:
        change = run[0]
        what = self._("{field}: {change}").format(
            field=self.field(change.field), change=self.dates(change.old, change.new)
        )
        return self.about(change, what)

    def _added(self, run: Sequence[Change]) -> str:
        change = run[0]
        figure = change.new if change.kind == "item_added" else change.old
        detail = self.value(figure) if figure is not None else None
        if isinstance(figure, Instant):
            detail = self._("closes {date}").format(date=self.date(figure))
        name = self.text(change.name) if change.name is not None else change.item or ""
        section = self.section(change.section)
        if change.kind == "item_added":
            if change.section == ASK:
                return self._("ask.yaml added")
            if detail:
                return self._("Added {section}: {name} ({detail})").format(section=section, name=name, detail=detail)
            return self._("Added {section}: {name}").format(section=section, name=name)
        if change.section == ASK:
            return self._("ask.yaml removed")
        if detail:
            return self._("Removed {section}: {name} ({detail})").format(section=section, name=name, detail=detail)
        return self._("Removed {section}: {name}").format(section=section, name=name)

    def _text(self, run: Sequence[Change]) -> str:
        change = run[0]
        field = self.field(change.field)
        if change.new is None:
            what = self._("{field} removed").format(field=field)
        elif change.old is None:
            what = self._("{field} added").format(field=field)
        else:
            languages = self.tr.format_list([self._(LANGUAGES[lang]) for lang in change.langs])
            what = self._("{field}: wording changed ({languages})").format(field=field, languages=languages)
        return self.about(change, what)

    def _gaps(self, run: Sequence[Change]) -> str:
        change = run[0]
        fields = self.tr.format_list([self.field(c.field) for c in run])
        language = self._(LANGUAGES[change.langs[0]])
        what = self._("{fields}: no {language} text (Chinese is shown instead)").format(
            fields=fields, language=language
        )
        return self.about(change, what)

    def _field(self, run: Sequence[Change]) -> str:
        """A field's change: old → new when both fit on a line, the words added and removed for a list."""
        change = run[0]
        field = self.field(change.field)
        last = (change.field or "").rsplit(".", 1)[-1]
        old, new = self.worded(last, change.old), self.worded(last, change.new)
        if isinstance(old, tuple) and isinstance(new, tuple) and change.kind != "contact_changed":
            what = self._listed(field, old, new)
        elif isinstance(old, Text) and isinstance(new, Text) and old.get(self.lang) == new.get(self.lang):
            languages = self.tr.format_list([self._(LANGUAGES[lang]) for lang in change.langs])
            what = self._("{field}: wording changed ({languages})").format(field=field, languages=languages)
        else:
            before, after = self.value(old), self.value(new)
            if before is None or after is None:
                what = self._("{field} changed").format(field=field)
            else:
                what = self._("{field}: {change}").format(field=field, change=self.change(before, after))
        return self.about(change, what)

    def _listed(self, field: str, old: tuple[Any, ...], new: tuple[Any, ...]) -> str:
        added = [str(v) for v in new if v not in old]
        removed = [str(v) for v in old if v not in new]
        if not added and not removed:
            return self._("{field}: order changed").format(field=field)
        plus = _short(self.tr.format_list(added), NAME_CHARS)
        minus = _short(self.tr.format_list(removed), NAME_CHARS)
        if added and removed:
            return self._("{field}: added {added}; removed {removed}").format(field=field, added=plus, removed=minus)
        if added:
            return self._("{field}: added {added}").format(field=field, added=plus)
        return self._("{field}: removed {removed}").format(field=field, removed=minus)


def _short(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, cut with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- the summary

#: The summary's parts, in the order they are said: each part, the kinds it counts, and whether it counts
#: items (a milestone moved at both ends, a contact with a new phone and e-mail: once) or changes.
_SUMMARY: tuple[tuple[str, frozenset[str], bool], ...] = (
    ("window_opens", frozenset({"window_opens"}), False),
    ("window_closes", frozenset({"window_closes"}), False),
    ("window_changed", frozenset({"window_changed"}), False),
    ("program_added", frozenset({"program_added"}), False),
    ("program_removed", frozenset({"program_removed"}), False),
    ("milestone_moved", frozenset({"milestone_moved"}), True),
    ("contact_changed", frozenset({"contact_changed"}), True),
    ("amount_changed", frozenset({"amount_changed"}), False),
    ("item_added", frozenset({"item_added"}), False),
    ("item_removed", frozenset({"item_removed"}), False),
    (
        "field_changed",
        frozenset({"field_changed", "staff_chat_added", "staff_chat_removed", "staff_chat_changed"}),
        False,
    ),
    ("text_changed", frozenset({"text_changed"}), False),
    ("translation_missing", frozenset({"translation_missing"}), False),
)


def _counted(part: str, n: int, tr: Translator) -> str:
    """``2 milestones moved``: each part its own plural message, so every language gets its forms."""
    words = {
        "window_opens": lambda: tr.ngettext("{n} window opens", "{n} windows open", n),
        "window_closes": lambda: tr.ngettext("{n} window closes", "{n} windows close", n),
        "window_changed": lambda: tr.ngettext("{n} window changes", "{n} windows change", n),
        "program_added": lambda: tr.ngettext("{n} program added", "{n} programs added", n),
        "program_removed": lambda: tr.ngettext("{n} program removed", "{n} programs removed", n),
        "milestone_moved": lambda: tr.ngettext("{n} milestone moved", "{n} milestones moved", n),
        "contact_changed": lambda: tr.ngettext("{n} contact changed", "{n} contacts changed", n),
        "amount_changed": lambda: tr.ngettext("{n} amount changed", "{n} amounts changed", n),
        "item_added": lambda: tr.ngettext("{n} item added", "{n} items added", n),
        "item_removed": lambda: tr.ngettext("{n} item removed", "{n} items removed", n),
        "field_changed": lambda: tr.ngettext("{n} other change", "{n} other changes", n),
        "text_changed": lambda: tr.ngettext("{n} text changed", "{n} texts changed", n),
        "translation_missing": lambda: tr.ngettext("{n} translation missing", "{n} translations missing", n),
    }
    return words[part]().format(n=tr.number(n))


def diff_summary(diff: ContentDiff, tr: Translator) -> str:
    """One short line for a list of versions: ``2 milestones moved, 1 contact changed, 1 window opens``."""
    if diff.empty:
        return tr.gettext("No changes.")
    parts = []
    for part, kinds, per_item in _SUMMARY:
        found = [c for c in diff.changes if c.kind in kinds]
        count = len({(c.program, c.section, c.item) for c in found}) if per_item else len(found)
        if count:
            parts.append(_counted(part, count, tr))
    summary = parts[0]
    for part in parts[1:]:
        summary = tr.gettext("{summary}, {part}").format(summary=summary, part=part)
    return summary
