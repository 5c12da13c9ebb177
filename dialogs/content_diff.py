"""What changes between two versions of the content: the facts an admin confirms before publishing.

Before a new version goes live (a publish, a rollback, a quick edit) the admin is
shown what it changes for applicants, staff and the answerer: deadlines moved,
windows that open or close at the moment of publishing, contacts, rules,
documents, benefits, texts and translations. This module finds those changes
(:func:`diff_content`) as plain data; :mod:`dialogs.content_diff_text` words
them in the admin's language, and the same data serves the CLI's ``--json``
and, later, whom to tell (a window that opens is what followers wait for).

Items are matched by id (programs by id, items by id within their program's
list), never by position, so reordering a file is no change and an inserted
item is one change, not a cascade. The lists of a program are found from the
schema itself (every field holding items with an ``id``), so a section added
to the schema later is compared without touching this module; a field added
to an item is compared too (a track's "closed" flag, say), as a field change.

Pure: no clock (``now`` comes in), no files, no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import BaseModel

from dialogs.loader import Content
from dialogs.schedule import WindowState, last_moment, opens_at, track_window_state
from dialogs.schema import LANGS, Text
from dialogs.schema_program import Amount, Milestone, Moment, Program
from dialogs.schema_questions import Phrasings
from dialogs.schema_rules import Rule

ChangeKind = Literal[
    "program_added",
    "program_removed",
    "window_opens",
    "window_closes",
    "window_changed",
    "milestone_moved",
    "contact_changed",
    "amount_changed",
    "item_added",
    "item_removed",
    "field_changed",
    "text_changed",
    "translation_missing",
    "staff_chat_added",
    "staff_chat_removed",
    "staff_chat_changed",
]

#: The section of a program's own fields (title, summary, window, draft…), beside its lists.
PROGRAM = "program"
#: ``staff.yaml``: the chat of each reviewing office (changes are shown under the office's program).
STAFF = "staff"
#: ``faq.yaml``: questions across programs (not under a program).
GLOBAL_FAQ = "faq"
#: ``facts.yaml``: the applicant facts rules test and the dialog asks.
FACTS = "facts"
#: ``ask.yaml``: the words free questions are read with.
ASK = "ask"

#: Within a program, the order changes are shown in: what applicants feel first, wording last.
_RANK: dict[str, int] = {
    "program_added": 0,
    "program_removed": 0,
    "window_opens": 1,
    "window_closes": 1,
    "window_changed": 1,
    "milestone_moved": 2,
    "contact_changed": 3,
    "staff_chat_added": 3,
    "staff_chat_removed": 3,
    "staff_chat_changed": 3,
    "amount_changed": 4,
    "item_added": 5,
    "item_removed": 5,
    "field_changed": 6,
    "text_changed": 7,
    "translation_missing": 8,
}

#: Contact fields whose change is a change of how to reach the office (shown old → new).
_REACH = ("names", "phones", "emails", "postcode")
#: Contact texts whose Chinese changing means the office or place changed, not only its wording.
_REACH_TEXTS = ("office", "address")
#: Models compared as a whole: their inside is one fact (a rule, a sum, a date), not fields to list.
_ATOMIC: tuple[type[BaseModel], ...] = (Rule, Amount, Moment)
#: The fields that name an item, the first one present wins (a FAQ entry is named by its question).
_NAME_FIELDS = ("short_title", "label", "name", "title", "office", "text", "a")
#: A milestone's fields that say when it is: compared as instants, so a new time zone is a move too.
_WHEN_FIELDS = frozenset({"opens", "closes", "timezone"})


@dataclass(frozen=True)
class Instant:
    """A moment as the notice states it: the instant, and whether it gave a time of day."""

    at: dt.datetime
    #: False for a whole day ("by 31 March"): the reader is shown the date only.
    timed: bool


@dataclass(frozen=True)
class Change:
    """One thing that differs between the active content and the new one.

    ``old``/``new`` hold the values on each side: an :class:`Instant` for a milestone
    moved, phones (a tuple) for a contact, an :class:`~dialogs.schema_program.Amount`
    for a benefit, a :class:`~dialogs.schema.Text`, a window state, a chat id or the
    plain value of a field. For an item added or removed they hold its key figure
    (a milestone's closing moment, a contact's phones, a benefit's amount) or None.
    """

    kind: ChangeKind
    #: The program it belongs to; None for facts.yaml, faq.yaml and ask.yaml.
    program: str | None
    #: The item's id within its section (a track's id for a window; None for the program itself).
    item: str | None
    #: The changed field, as a dotted path inside the item (``note``, ``notice.title``, ``q.en``).
    field: str | None = None
    old: Any = None
    new: Any = None
    #: Which list of the program (``deadlines``, ``contacts``…), or :data:`PROGRAM`, :data:`STAFF`…
    section: str | None = None
    #: For a text: the languages whose wording changed; for a missing translation: the language.
    langs: tuple[str, ...] = ()
    #: How to name the item to a reader (a milestone's label, a document's name, a track's title).
    name: Text | None = None
    #: For a window: when the new state ends or begins (the close of an open window, the opening of
    #: one not open yet, the close of a closed one).
    when: Instant | None = None


@dataclass(frozen=True)
class ContentDiff:
    """Every change from one version to the next, in the order they are best read."""

    changes: tuple[Change, ...] = ()
    #: Program id → its short title (the new version's, or the old one's for a removed program).
    programs: Mapping[str, Text] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.changes

    def of_kind(self, *kinds: ChangeKind) -> list[Change]:
        """The changes of these kinds, in order: what a caller acting on one kind reads (windows opened)."""
        return [c for c in self.changes if c.kind in kinds]


def diff_content(old: Content, new: Content, now: dt.datetime) -> ContentDiff:
    """What publishing ``new`` over the active ``old`` changes, with windows judged at ``now`` (aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime: windows are judged in their own time zones")
    old_programs = {p.id: p for p in _written(old, "programs")}
    new_programs = {p.id: p for p in _written(new, "programs")}
    order = list(new_programs) + [p for p in old_programs if p not in new_programs]
    changes: list[Change] = []
    old_gaps, new_gaps = _gaps(old), _gaps(new)
    for program_id in order:
        before, after = old_programs.get(program_id), new_programs.get(program_id)
        found = list(_program_changes(before, after, now))
        found += _staff_changes(program_id, before, after, old.staff_chats, new.staff_chats)
        found += [g for key, g in new_gaps.items() if key[0] == program_id and key not in old_gaps]
        changes += sorted(found, key=lambda c: _RANK[c.kind])
    for section, old_items, new_items in (
        (GLOBAL_FAQ, _written(old, "faq"), _written(new, "faq")),
        (FACTS, tuple(old.facts.values()), tuple(new.facts.values())),
    ):
        found = list(_listed(section, None, old_items, new_items))
        found += [g for key, g in new_gaps.items() if key[:2] == (None, section) and key not in old_gaps]
        changes += sorted(found, key=lambda c: _RANK[c.kind])
    changes += _lexicon_changes(old, new)
    names = {p.id: p.short_title for p in (*old.programs, *new.programs)}  # the new title wins
    shown = _shown_names(old, new)
    return ContentDiff(
        changes=tuple(replace(c, name=shown.get((c.program, c.section, c.item), c.name)) for c in changes),
        programs=names,
    )


def _written(content: Content, part: Literal["programs", "faq"]) -> tuple[Any, ...]:
    """The programs (or ``faq.yaml``) as the files write them, where the content keeps that form.

    Texts may name a date, phone or amount by placeholder (``{closes:city-materials}``), filled in
    at load. The diff compares what the admin wrote: a moved deadline is one change, not one more
    for every sentence that states it. Content without the written form is compared as loaded.
    """
    written = getattr(content, f"raw_{part}", ())
    return tuple(written) if written else tuple(getattr(content, part))


def _shown_names(old: Content, new: Content) -> dict[tuple[str | None, str | None, str | None], Text]:
    """Each item's name as readers see it (placeholders filled in), the new version's first."""
    names: dict[tuple[str | None, str | None, str | None], Text] = {}
    for content in (old, new):
        for program in content.programs:
            for section in _sections(Program):
                for entry in getattr(program, section):
                    name = _name(entry)
                    if name is not None:
                        names[(program.id, section, entry.id)] = name
        for entry in content.faq:
            name = _name(entry)
            if name is not None:
                names[(None, GLOBAL_FAQ, entry.id)] = name
    return names


# --------------------------------------------------------------------------- programs


def _program_changes(before: Program | None, after: Program | None, now: dt.datetime) -> Iterator[Change]:
    if before is None and after is not None:
        yield Change("program_added", after.id, None, section=PROGRAM, name=after.short_title)
    elif after is None and before is not None:
        yield Change("program_removed", before.id, None, section=PROGRAM, name=before.short_title)
    yield from _window_changes(before, after, now)
    if before is None or after is None:
        return
    sections = _sections(Program)
    for name in sections:
        yield from _listed(name, after.id, getattr(before, name), getattr(after, name))
    yield from _item_changes(PROGRAM, after.id, before, after, skip=frozenset(sections))


def _sections(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model that are lists of items with ids (tracks, deadlines, documents…), in order.

    Read from the schema, not the values, so an empty list is a list too, and a list the schema
    gains later is compared item by item without a change here.
    """
    return tuple(name for name, info in model.model_fields.items() if _holds_items(info.annotation))


def _holds_items(annotation: object) -> bool:
    """Whether a field's type is a tuple of models with ids."""
    if getattr(annotation, "__origin__", None) is not tuple:
        return False
    args = getattr(annotation, "__args__", ())
    return any(isinstance(a, type) and issubclass(a, BaseModel) and "id" in a.model_fields for a in args)


def _window_changes(before: Program | None, after: Program | None, now: dt.datetime) -> Iterator[Change]:
    """Each track whose applicant-facing window is in another state at ``now`` under the new version.

    A track that appears or disappears counts as having no window on the side it is missing
    from; appearing closed, or disappearing closed, is no news to an applicant and is left out.
    """
    program = after or before
    if program is None:
        return
    track_ids = [t.id for t in (after.tracks if after else ())]
    track_ids += [t.id for t in (before.tracks if before else ()) if t.id not in track_ids]
    for track_id in track_ids:
        old_state = _state(before, track_id, now)
        new_state = _state(after, track_id, now)
        if old_state == new_state or {old_state, new_state} == {None, "closed"}:
            continue
        if new_state == "open":
            kind: ChangeKind = "window_opens"
        elif old_state == "open":
            kind = "window_closes"
        else:
            kind = "window_changed"
        side = after if after is not None and _has_track(after, track_id) else before
        assert side is not None  # the track is in one of the two versions
        track = side.track(track_id)
        yield Change(
            kind,
            program.id,
            track_id,
            old=old_state,
            new=new_state,
            section="tracks",
            name=track.title,
            when=_window_moment(after, track_id, new_state),
        )


def _has_track(program: Program, track_id: str | None) -> bool:
    return any(t.id == track_id for t in program.tracks)


def _state(program: Program | None, track_id: str | None, now: dt.datetime) -> WindowState | None:
    if program is None or not _has_track(program, track_id):
        return None
    return track_window_state(program, program.track(track_id), now)


def _window_moment(program: Program | None, track_id: str | None, state: WindowState | None) -> Instant | None:
    if program is None or state is None or not _has_track(program, track_id):
        return None
    window = program.window_of(program.track(track_id))
    if window is None:
        return None
    if state == "upcoming":
        return _opening(window)
    return _closing(window)


def _closing(milestone: Milestone) -> Instant:
    return Instant(last_moment(milestone), milestone.closes.time is not None)


def _opening(milestone: Milestone) -> Instant | None:
    start = opens_at(milestone)
    if start is None or milestone.opens is None:
        return None
    return Instant(start, milestone.opens.time is not None)


# --------------------------------------------------------------------------- items


def _listed(
    section: str, program_id: str | None, old_items: Sequence[BaseModel], new_items: Sequence[BaseModel]
) -> Iterator[Change]:
    """The items of one list by id: added (in the new order), changed, then removed (in the old order)."""
    old_by_id = {getattr(i, "id", None): i for i in old_items}
    new_by_id = {getattr(i, "id", None): i for i in new_items}
    for item_id, item in new_by_id.items():
        before = old_by_id.get(item_id)
        if before is None:
            yield Change("item_added", program_id, item_id, new=_key_figure(item), section=section, name=_name(item))
        else:
            yield from _item_changes(section, program_id, before, item)
    for item_id, item in old_by_id.items():
        if item_id not in new_by_id:
            yield Change("item_removed", program_id, item_id, old=_key_figure(item), section=section, name=_name(item))


def _item_changes(
    section: str, program_id: str | None, before: BaseModel, after: BaseModel, skip: frozenset[str] = frozenset()
) -> Iterator[Change]:
    """The fields of one item (or of the program itself) that differ, each as one change."""
    item_id = None if section == PROGRAM else getattr(after, "id", None)
    name = _name(after)
    #: What every change of this item shares; each change below says its kind, field and values.
    common = Change("field_changed", program_id, item_id, section=section, name=name)
    if isinstance(before, Milestone) and isinstance(after, Milestone):
        skip = skip | _WHEN_FIELDS
        for label, old_when, new_when in (
            ("opens", _opening(before), _opening(after)),
            ("closes", _closing(before), _closing(after)),
        ):
            if old_when != new_when:
                yield replace(common, kind="milestone_moved", field=label, old=old_when, new=new_when)
    contact = section == "contacts"
    for path, old_value, new_value in _leaves(before, after, (), skip | {"id"}):
        dotted = ".".join(path)
        if isinstance(old_value, Text) or isinstance(new_value, Text):
            yield from _text_change(dotted, old_value, new_value, contact, common)
        elif contact and dotted in _REACH:
            yield replace(common, kind="contact_changed", field=dotted, old=old_value, new=new_value)
        elif isinstance(old_value, Amount) or isinstance(new_value, Amount):
            yield replace(common, kind="amount_changed", field=dotted, old=old_value, new=new_value)
        else:
            yield replace(common, kind="field_changed", field=dotted, old=old_value, new=new_value)


def _text_change(dotted: str, old: Text | None, new: Text | None, contact: bool, common: Change) -> Iterator[Change]:
    """A text that changed: the languages whose wording changed (a dropped translation is a gap, not here).

    A contact's office or address whose Chinese changed is a different office or place: shown
    old → new, like a phone. Otherwise only which languages changed is said, not every character.
    """
    if new is None:
        yield replace(common, kind="text_changed", field=dotted, old=old, new=None)
        return
    langs = tuple(
        lang for lang in LANGS if getattr(new, lang) is not None and getattr(new, lang) != _lang_of(old, lang)
    )
    if not langs:
        return
    if contact and dotted in _REACH_TEXTS and "zh" in langs:
        yield replace(common, kind="contact_changed", field=dotted, old=old, new=new, langs=langs)
    else:
        yield replace(common, kind="text_changed", field=dotted, old=old, new=new, langs=langs)


def _lang_of(text: Text | None, lang: str) -> str | None:
    return None if text is None else getattr(text, lang)


def _leaves(
    old: Any, new: Any, path: tuple[str, ...], skip: frozenset[str] = frozenset()
) -> Iterator[tuple[tuple[str, ...], Any, Any]]:
    """The smallest differing parts of two values: ``(path, old, new)``.

    Models are walked field by field, mappings key by key, and lists of entries without ids
    position by position while their number holds; a text, a rule, a sum, a date and any other
    list are leaves (a list of words is shown as what was added and removed).
    """
    if old == new:
        return
    if _walkable(old) and _walkable(new) and type(old) is type(new):
        for name in type(old).model_fields:
            if name not in skip:
                yield from _leaves(getattr(old, name), getattr(new, name), (*path, name))
        return
    if _entries(old) and _entries(new) and len(old) == len(new):
        for i, (before, after) in enumerate(zip(old, new, strict=True)):
            yield from _leaves(before, after, (*path, str(i)))
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        keys = list(old) + [k for k in new if k not in old]
        for key in keys:
            yield from _leaves(old.get(key), new.get(key), (*path, str(key)))
        return
    yield path, old, new


def _entries(value: object) -> bool:
    """A list of entries without ids (a contact's duties): walked by position while their number holds."""
    return (
        isinstance(value, tuple)
        and bool(value)
        and all(_walkable(v) and "id" not in type(v).model_fields for v in value)
    )


def _walkable(value: object) -> bool:
    return isinstance(value, BaseModel) and not isinstance(value, (Text, *_ATOMIC))


def _name(item: BaseModel) -> Text | None:
    """How a reader knows the item: its label, name, title or text (a FAQ entry: its first question)."""
    q = getattr(item, "q", None)
    if isinstance(q, Phrasings):
        return Text(zh=q.zh[0], en=q.en[0] if q.en else None, ug=q.ug[0] if q.ug else None)
    for name in _NAME_FIELDS:
        value = getattr(item, name, None)
        if isinstance(value, Text):
            return value
    return None


def _key_figure(item: BaseModel) -> Any:
    """What an added or removed item is worth showing beside its name: a date, phones, an amount."""
    if isinstance(item, Milestone):
        return _closing(item)
    phones = getattr(item, "phones", None)
    if isinstance(phones, tuple):
        return phones
    amount = getattr(item, "amount", None)
    return amount if isinstance(amount, Amount) else None


# --------------------------------------------------------------------------- translations


def _gaps(content: Content) -> dict[tuple[str | None, str, str | None, str, str], Change]:
    """Every text without an English or Uyghur version, keyed by where it is (ids, not positions).

    The loader warns of the same gaps (``Content.warnings``), but by position in the file: an item
    inserted above would make every later gap look new. Keyed by ids, only new gaps are new.
    """
    found: dict[tuple[str | None, str, str | None, str, str], Change] = {}

    def collect(program_id: str | None, section: str, item: BaseModel, skip: frozenset[str] = frozenset()) -> None:
        item_id = None if section == PROGRAM else getattr(item, "id", None)
        for path, text in _texts(item, (), skip):
            for lang in LANGS[1:]:
                if getattr(text, lang) is None:
                    dotted = ".".join(path)
                    found[(program_id, section, item_id, dotted, lang)] = Change(
                        "translation_missing",
                        program_id,
                        item_id,
                        field=dotted,
                        section=section,
                        langs=(lang,),
                        name=_name(item),
                    )

    sections = _sections(Program)
    for program in _written(content, "programs"):
        collect(program.id, PROGRAM, program, frozenset(sections))
        for section in sections:
            for item in getattr(program, section):
                collect(program.id, section, item)
    for entry in _written(content, "faq"):
        collect(None, GLOBAL_FAQ, entry)
    for fact in content.facts.values():
        collect(None, FACTS, fact)
    return found


def _texts(
    value: Any, path: tuple[str, ...], skip: frozenset[str] = frozenset()
) -> Iterator[tuple[tuple[str, ...], Text]]:
    """Every text inside a value with its path (list entries without ids by their position)."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in skip:
                yield from _texts(getattr(value, name), (*path, name))
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _texts(inner, (*path, str(key)))
    elif isinstance(value, tuple):
        for i, inner in enumerate(value):
            yield from _texts(inner, (*path, str(i)))


# --------------------------------------------------------------------------- staff.yaml, ask.yaml


def _staff_changes(
    program_id: str,
    before: Program | None,
    after: Program | None,
    old: Mapping[tuple[str, str], int],
    new: Mapping[tuple[str, str], int],
) -> Iterator[Change]:
    """The offices of one program whose review chat was set, moved or taken away."""
    keys = [k for k in new if k[0] == program_id] + [k for k in old if k[0] == program_id and k not in new]
    for key in keys:
        contact_id = key[1]
        name = _office(after, contact_id) or _office(before, contact_id)
        old_chat, new_chat = old.get(key), new.get(key)
        if old_chat == new_chat:
            continue
        kind: ChangeKind = (
            "staff_chat_added"
            if old_chat is None
            else "staff_chat_removed"
            if new_chat is None
            else "staff_chat_changed"
        )
        yield Change(kind, program_id, contact_id, field="chat", old=old_chat, new=new_chat, section=STAFF, name=name)


def _office(program: Program | None, contact_id: str) -> Text | None:
    if program is None:
        return None
    return next((c.office for c in program.contacts if c.id == contact_id), None)


def _lexicon_changes(old: Content, new: Content) -> Iterator[Change]:
    """``ask.yaml``: each list of words that changed (shown as the words added and removed)."""
    if old.lexicon == new.lexicon:
        return
    if old.lexicon is None or new.lexicon is None:
        kind: ChangeKind = "item_added" if old.lexicon is None else "item_removed"
        yield Change(kind, None, None, section=ASK)
        return
    for path, old_value, new_value in _leaves(old.lexicon, new.lexicon, ()):
        yield Change("field_changed", None, None, field=".".join(path), old=old_value, new=new_value, section=ASK)


# --------------------------------------------------------------------------- the machine form


def diff_json(diff: ContentDiff) -> list[dict[str, Any]]:
    """The changes as plain data (``json.dumps`` takes it): ids and values, not a word of prose.

    Moments are ISO 8601 with their offset and whether a time of day was given; texts are
    ``{zh, en, ug}``; amounts and other content values are their fields as in the YAML.
    """
    return [
        {
            "kind": c.kind,
            "program": c.program,
            "section": c.section,
            "item": c.item,
            "field": c.field,
            "langs": list(c.langs),
            "old": _plain(c.old),
            "new": _plain(c.new),
            "name": _plain(c.name),
            "when": _plain(c.when),
        }
        for c in diff.changes
    ]


def _plain(value: object) -> Any:
    if isinstance(value, Instant):
        return {"at": value.at.isoformat(), "timed": value.timed}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
