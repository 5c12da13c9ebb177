"""What several screens are built from: a program's title, an office's name, a document's name.

The composers of :mod:`dialogs.screens_desk`, :mod:`dialogs.screens_apply` and
:mod:`dialogs.screens_staff`, and the button labels of :mod:`dialogs.render`,
name the same things the same way; these helpers, and the signature every
composer has, are shared here so that each of those modules can do its own job
without reaching into another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from dialogs.i18n import Translator
from dialogs.loader import Content
from dialogs.memo import Memo, PerObject
from dialogs.schema_program import Program

#: A composed text: ``(args, content, now, tr) -> text``, named ``@name`` in a reply's key.
Composer = Callable[[dict[str, Any], Content, dt.datetime, Translator], str]


def program_title(
    content: Content, program_id: str, track_id: str | None, tr: Translator, *, with_track: bool = True
) -> str:
    """A program's short title, with the track's when the program has several (unless ``with_track`` is off).

    Remembered per content version and translator: a ranking names every track, every screen its program."""
    titles = _titles(content)
    key = (program_id, track_id, id(tr), with_track)
    hit = titles.get(key)
    # the entry keeps the translator: its identity cannot be another's while it lives
    if hit is None or hit[0] is not tr:
        hit = titles.put(key, (tr, _program_title(content, program_id, track_id, tr, with_track=with_track)))
    return hit[1]


_titles: PerObject[Content, Memo[tuple[str, str | None, int, bool], tuple[Translator, str]]] = PerObject(
    lambda _content: Memo(1_024)
)


def _program_title(content: Content, program_id: str, track_id: str | None, tr: Translator, *, with_track: bool) -> str:
    program = content.program(program_id)
    title = program.short_title.get(tr.lang)
    if with_track and len(program.tracks) > 1:
        title = tr.gettext("{program} — {track}").format(
            program=title, track=program.track(track_id).title.get(tr.lang)
        )
    return title


#: Composed texts by what they depend on, per content version or program (see :func:`remembered`).
_texts: PerObject[object, Memo[Hashable, tuple[Translator, str]]] = PerObject(lambda _owner: Memo(2_048))


def remembered(owner: object, key: Hashable, tr: Translator, make: Callable[[], str]) -> str:
    """The text ``make`` composes, composed once per ``owner`` (a content version or one of its programs,
    which never change), ``key`` and translator.

    A long screen (a verdict, a program's page, an answer) is composed at every event that shows it,
    if only to know how many messages it takes; most of them depend on nothing else. ``key`` must name
    everything else the text depends on, the moment included: the window's state or the program's status
    where the text says it, never ``now`` itself (a text saying "closes in 3 days" is not remembered).
    A key that cannot be hashed (an answer held in a list) is composed every time."""
    table = _texts(owner)
    full = (key, id(tr))
    try:
        hit = table.get(full)
    except TypeError:
        return make()
    # the entry keeps the translator: its identity cannot be another's while it lives
    if hit is None or hit[0] is not tr:
        hit = table.put(full, (tr, make()))
    return hit[1]


def answers_key(facts: Mapping[str, object]) -> tuple[tuple[str, object, type], ...]:
    """The applicant's answers as part of a :func:`remembered` key (with each value's type: 1 is not True)."""
    return tuple(sorted((name, value, type(value)) for name, value in facts.items()))


def stored_title(
    content: Content, program_id: str, track_id: str | None, tr: Translator, *, with_track: bool = True
) -> str:
    """The title of a program named by something stored (a submission, a question): its id when this
    version of the content no longer has the program or the track."""
    try:
        return program_title(content, program_id, track_id, tr, with_track=with_track)
    except KeyError:
        return program_id


def office_name(content: Content, program_id: str | None, contact_id: str | None, tr: Translator) -> str | None:
    """The office of one of a program's contacts in the reader's language; None when the content
    (perhaps a newer version than the one a stored question was routed with) no longer has it."""
    if program_id is None or contact_id is None:
        return None
    program = content.find_program(program_id)
    if program is None:
        return None
    contact = next((c for c in program.contacts if c.id == contact_id), None)
    return contact.office.get(tr.lang) if contact else None


def document_name(program: Program, item: str, tr: Translator) -> str:
    """A checklist item's name; ``other`` is a document staff asked for that the notice does not list."""
    for doc in program.documents:
        if doc.id == item:
            return doc.name.get(tr.lang)
    return tr.gettext("Other document")


def documents_lines(program: Program, documents: dict[str, list[dict[str, Any]]], tr: Translator) -> list[str]:
    """One line per checklist item with the names of its files, in the program's order (others last)."""
    order = [d.id for d in program.documents]
    items = sorted(documents, key=lambda item: order.index(item) if item in order else len(order))
    lines = []
    for item in items:
        files = documents.get(item) or []
        if files:
            names = tr.format_list([f.get("name") or f["original_name"] for f in files])
            lines.append(
                "- " + tr.gettext("{label}: {value}").format(label=document_name(program, item, tr), value=names)
            )
    return lines


def sector_label(program: Program, sector: str | None, tr: Translator) -> str | None:
    """A field of work's label; None for no field, or one this version of the content does not have."""
    found = next((x for x in program.sectors if x.id == sector), None)
    return found.label.get(tr.lang) if found else None
