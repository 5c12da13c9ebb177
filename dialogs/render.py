"""Rendering engine replies into text in the reader's language.

A reply key is either a gettext message id (English, with ``{placeholders}``)
or, when it starts with ``@``, the name of a composer that builds a longer text
from the content (a verdict with its reasons, a receipt, the ranking); the
composers live by topic in :mod:`dialogs.screens_desk`,
:mod:`dialogs.screens_apply` and :mod:`dialogs.screens_staff`, and this module
holds the machinery: a reply's text, a button's label, the composer table.
Every channel renders through this one module, so a flow reads the same in the
terminal and on Telegram.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from dialogs import screens_apply, screens_desk, screens_staff
from dialogs.bidi import for_reader
from dialogs.events import Button, Reply
from dialogs.i18n import Translator
from dialogs.loader import Content
from dialogs.memo import Memo
from dialogs.pages import split_pages
from dialogs.screen_parts import Composer, document_name, office_name


def _composers(*tables: Mapping[str, Composer]) -> dict[str, Composer]:
    """Every composer by its ``@name``; two topics claiming one name is a mistake caught at import."""
    merged: dict[str, Composer] = {}
    for table in tables:
        twice = merged.keys() & table.keys()
        if twice:
            raise ValueError(f"composed replies named twice: {', '.join(sorted(twice))}")
        merged.update(table)
    return merged


COMPOSERS: dict[str, Composer] = _composers(screens_desk.SCREENS, screens_apply.SCREENS, screens_staff.SCREENS)

#: Composed screens on one topic that may be too long for one message: the engine cuts them into
#: messages of at most :data:`dialogs.pages.LIMIT` characters and offers "More" for the next one.
#: A verdict and the fit-finder's result are among them: their first message carries the verdict and
#: the rules not met (listed first). The review before confirming is not: a warning before sending
#: never hides behind a tap.
PAGED = frozenset({"@answer", "@info", "@verdict", "@ranking"})


def composed_pages(
    name: str, args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator
) -> tuple[str, ...]:
    """A composed screen as the messages it is sent in (one, unless it is a :data:`PAGED` one too long)."""
    text = COMPOSERS[name](args, content, now, tr)
    if name not in PAGED:
        return (text,)
    pages = _PAGES.get(text)
    if pages is None:
        pages = _PAGES.put(text, split_pages(text))
    return pages


#: Texts cut into messages, by the text: most composed screens are remembered texts (see
#: :func:`dialogs.screen_parts.remembered`), shown again and again.
_PAGES: Memo[str, tuple[str, ...]] = Memo(1_024)


def _arg(value: Any, content: Content, tr: Translator) -> Any:
    if isinstance(value, dict) and value.get("@content") == "program":
        return content.program(value["id"]).short_title.get(tr.lang)
    if isinstance(value, dict) and value.get("@content") == "office":
        return office_name(content, value["program"], value["id"], tr) or value["id"]
    if isinstance(value, (tuple, list)):
        return tr.format_list([str(v) for v in value])
    return value


def render(reply: Reply, content: Content, now: dt.datetime, tr: Translator) -> str:
    """The reply's text for the reader, with direction marks where the language is written right to left."""
    if reply.key.startswith("@"):
        args = dict(reply.args)
        page = args.pop("page", None)
        if isinstance(page, int):
            pages = composed_pages(reply.key, args, content, now, tr)
            return for_reader(pages[max(0, min(page, len(pages) - 1))], tr.lang)
        return for_reader(COMPOSERS[reply.key](args, content, now, tr), tr.lang)
    args = {k: _arg(v, content, tr) for k, v in reply.args.items()}
    if reply.plural is not None:
        template = tr.ngettext(reply.key, reply.plural, int(reply.args["count"]))
    else:
        template = tr.gettext(reply.key)
    return for_reader(template.format(**args), tr.lang)


def render_composed(name: str, args: dict[str, Any], content: Content, now: dt.datetime, tr: Translator) -> str:
    """A composed text outside a conversation (a staff notification, a message relayed to an applicant)."""
    return for_reader(COMPOSERS[name](args, content, now, tr), tr.lang)


def button_label(button: Button, content: Content, tr: Translator) -> str:
    """A button's label; a literal one (a language's own name) is shown as it is written."""
    if button.literal:
        return button.label
    return for_reader(_button_text(button, content, tr), tr.lang)


def _button_text(button: Button, content: Content, tr: Translator) -> str:
    args = button.args
    if button.label == "@program_title":
        return content.program(args["program"]).short_title.get(tr.lang)
    if button.label == "@track_title":
        return content.program(args["program"]).track(args["track"]).title.get(tr.lang)
    if button.label == "@value_label":
        return _value_label(content, args["fact"], args["value"], tr)
    if button.label == "@replace_document":
        doc = next(d for d in content.program(args["program"]).documents if d.id == args["item"])
        return tr.gettext("Replace: {document}").format(document=doc.name.get(tr.lang))
    if button.label == "@sector_label":
        sector = next(x for x in content.program(args["program"]).sectors if x.id == args["sector"])
        return sector.label.get(tr.lang)
    if button.label == "@amend_item":
        name = document_name(content.program(args["program"]), args["item"], tr)
        if args.get("received"):
            return tr.gettext("{document} ({n} new)").format(document=name, n=args["received"])
        return name
    if button.label == "@fact_answer":
        label = content.facts[args["fact"]].label.get(tr.lang)
        return tr.gettext("{label}: {value}").format(
            label=label, value=_value_label(content, args["fact"], args["value"], tr)
        )
    return tr.gettext(button.label).format(**args)


def _value_label(content: Content, fact_id: str, value: Any, tr: Translator) -> str:
    fact = content.facts[fact_id]
    return fact.kind.label(fact, value, tr)
