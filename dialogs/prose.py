"""Prose that cannot go stale: texts name a date, phone or amount by reference, filled in at load.

A text (any ``zh``/``en``/``ug`` of a program file, or of a ``faq.yaml`` answer)
writes a value that has a structured field as a *placeholder* bound to that
field, never as typed words, so moving a deadline moves every sentence that
states it, in all three languages::

    {closes:city-materials}          2023年3月31日 · 31 March 2023 · 2023-يىلى 3-ئاينىڭ 31-كۈنى
    {closes:city-materials:no-year}  3月31日 · 31 March · 3-ئاينىڭ 31-كۈنى
    {closes:application:time}        20:00 (the milestone's time of day)
    {opens:online}                   the date its window opens (same forms)
    {phone:online-help}              the contact's first phone; {phone:online-help:2} the second
    {amount:expert-funding}          5—15万元 · 50,000–150,000 yuan · 50 مىڭ يۈەندىن 150 مىڭ يۈەنگىچە

``{field:item}`` or ``{field:item:form}``: the field is ``opens``, ``closes``
(a milestone in ``deadlines``), ``phone`` (a contact) or ``amount`` (a benefit);
the item is its id in the same file. A ``faq.yaml`` answer names items of the
programs its ``sources`` cite (an id two of them hold is refused as ambiguous).
Braces are kept for placeholders: a lone ``{`` or ``}`` in a text is an error, and
so is a placeholder anywhere but a text (a ``quote:`` is the notice's words as
printed; aliases and FAQ phrasings are matched as typed; a notice's title is its own).

The loader checks every placeholder names something that exists
(:func:`placeholder_findings`), then renders each text per language
(:func:`render_program`, :func:`render_faq`) so the rest of the bot reads plain
texts with :meth:`Text.get`. The files are never rewritten: the raw program (with
its placeholders) is what diffs and quick edits work on.

Dates are formatted as the bot formats them for the reader (Babel, Beijing time):
Chinese ``2023年3月31日`` and English ``31 March 2023`` are Babel's long dates
(``zh_Hans_CN``, ``en_GB``); Uyghur prose writes ``2023-يىلى 3-ئاينىڭ 31-كۈنى``,
the form its sentences hang case endings on (``…كۈنىدىن ئىلگىرى``), where
Babel's long date (``31-مارت، 2023``) would end in a bare year. A time of day is
``HH:mm``. A milestone with a time is shown in Beijing time (its instant moved to
Asia/Shanghai); a whole day is the day the notice names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, PrivateAttr

from dialogs.i18n import BABEL_LOCALES, NOTICE_ZONE
from dialogs.problems import Path
from dialogs.schema import LANGS, Text
from dialogs.schema_program import Amount, Benefit, Contact, Milestone, Moment, Program
from dialogs.schema_questions import GlobalFaq

Finding = tuple[Path, str]
M = TypeVar("M")

#: A placeholder: ``{field:item}`` or ``{field:item:form}``.
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SHAPE = re.compile(r"^(?P<field>[a-z_]+):(?P<item>[a-z0-9][a-z0-9_-]*)(?::(?P<form>[a-z0-9-]+))?$")
#: Something meant as a placeholder in a string that is not a text (a quote, an alias).
_LOOKS_LIKE = re.compile(r"\{\s*(?:opens|closes|phone|amount)\s*:")

DATE_FIELDS = ("opens", "closes")
#: Forms of a date placeholder: the date without its year, or the milestone's time of day.
DATE_FORMS = ("no-year", "time")
FIELDS = (*DATE_FIELDS, "phone", "amount")
#: Fields of a program whose texts are the notice's own words: no placeholder, no check of literals.
VERBATIM = frozenset({"notice"})


@dataclass(frozen=True)
class Placeholder:
    """One ``{field:item[:form]}`` in a text, with where it stands."""

    field: str
    item: str
    form: str | None
    start: int
    end: int

    @property
    def is_date(self) -> bool:
        """A date (not a time of day, a phone or an amount)."""
        return self.field in DATE_FIELDS and self.form != "time"


def spell(field_: str, item: str, form: str | None = None) -> str:
    """How a placeholder is written: ``{closes:city-materials:no-year}``."""
    return "{" + f"{field_}:{item}" + (f":{form}" if form else "") + "}"


# --------------------------------------------------------------------------- what placeholders name


@dataclass(frozen=True)
class Items:
    """The milestones, contacts and benefits a text's placeholders can name (its program's, or the
    programs a ``faq.yaml`` answer cites); ``shared`` holds ``(field kind, id)`` several of them use."""

    milestones: Mapping[str, Milestone] = field(default_factory=dict)
    contacts: Mapping[str, Contact] = field(default_factory=dict)
    benefits: Mapping[str, Benefit] = field(default_factory=dict)
    shared: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def of(cls, programs: Iterable[Program]) -> Items:
        milestones: dict[str, Milestone] = {}
        contacts: dict[str, Contact] = {}
        benefits: dict[str, Benefit] = {}
        shared: set[tuple[str, str]] = set()
        for program in programs:
            for kind, ids in (
                ("milestone", {m.id for m in program.deadlines} & milestones.keys()),
                ("contact", {c.id for c in program.contacts} & contacts.keys()),
                ("benefit", {b.id for b in program.benefits} & benefits.keys()),
            ):
                shared.update((kind, item_id) for item_id in ids)
            for milestone in program.deadlines:
                milestones.setdefault(milestone.id, milestone)
            for contact in program.contacts:
                contacts.setdefault(contact.id, contact)
            for benefit in program.benefits:
                benefits.setdefault(benefit.id, benefit)
        return cls(milestones, contacts, benefits, frozenset(shared))


def parse(text: str) -> tuple[list[Placeholder], list[str]]:
    """The placeholders of ``text`` and what is malformed in it (a lone brace, a shape not ``{field:item}``)."""
    found: list[Placeholder] = []
    problems: list[str] = []
    rest = text
    for m in PLACEHOLDER.finditer(text):
        rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end() :]
        shape = _SHAPE.match(m.group(1).strip())
        if shape is None:
            problems.append(
                f"'{m.group()}' is not a placeholder: write {{field:item}} or {{field:item:form}}, "
                f"e.g. {{closes:ID}}, {{phone:ID:2}}"
            )
            continue
        found.append(Placeholder(shape["field"], shape["item"], shape["form"], m.start(), m.end()))
    if "{" in rest or "}" in rest:
        problems.append("a lone '{' or '}': braces only mark placeholders such as {closes:ID}")
    return found, problems


def problem(placeholder: Placeholder, items: Items) -> str | None:
    """Why ``placeholder`` cannot be filled from ``items``, or None when it can."""
    written = spell(placeholder.field, placeholder.item, placeholder.form)
    kind, own = _collection(placeholder.field, items)
    if kind is None:
        return f"unknown placeholder {written}: the field is one of {', '.join(FIELDS)}"
    if (kind, placeholder.item) in items.shared:
        return f"{written} is ambiguous: several of the cited programs have a {kind} '{placeholder.item}'"
    item = own.get(placeholder.item)
    if item is None:
        known = ", ".join(own) or "none"
        return f"unknown placeholder {written}: no {kind} '{placeholder.item}' here ({kind}s: {known})"
    form = placeholder.form
    if isinstance(item, Milestone):
        if form is not None and form not in DATE_FORMS:
            return (
                f"unknown form in {written}: a date is {spell(placeholder.field, item.id)} or takes :no-year or :time"
            )
        moment = item.opens if placeholder.field == "opens" else item.closes
        if moment is None:
            return f"{written}: milestone '{item.id}' has no opening date"
        if form == "time" and moment.time is None:
            return f"{written}: milestone '{item.id}' {placeholder.field} with no time of day"
    elif isinstance(item, Contact):
        if form is not None and not form.isdigit():
            return (
                f"unknown form in {written}: a phone takes its number in the list, e.g. {spell('phone', item.id, '2')}"
            )
        index = int(form or "1")
        if not 1 <= index <= len(item.phones):
            return f"{written}: contact '{item.id}' has {len(item.phones)} phone(s)"
    elif isinstance(item, Benefit):
        if form is not None:
            return f"unknown form in {written}: an amount takes none"
        if item.amount is None:
            return f"{written}: benefit '{item.id}' has no amount"
    return None


def _collection(name: str, items: Items) -> tuple[str | None, Mapping[str, Any]]:
    if name in DATE_FIELDS:
        return "milestone", items.milestones
    if name == "phone":
        return "contact", items.contacts
    if name == "amount":
        return "benefit", items.benefits
    return None, {}


# --------------------------------------------------------------------------- filling in


def in_beijing(milestone: Milestone, name: str) -> tuple[dt.date, dt.time | None] | None:
    """The day (and time) a milestone ``opens``/``closes`` as the reader is shown it: a time moved to
    Beijing time, a whole day as the notice names it; None when it has no such moment."""
    moment: Moment | None = milestone.opens if name == "opens" else milestone.closes
    if moment is None:
        return None
    clock = moment.clock()
    if clock is None:
        return moment.date, None
    zone = ZoneInfo(milestone.timezone)
    local = dt.datetime.combine(moment.date, clock, tzinfo=zone).astimezone(ZoneInfo(NOTICE_ZONE))
    return local.date(), local.time()


#: Per language, the Babel pattern of a date without its year, and of a date with it (None: Babel's long date).
_DATE_PATTERNS: dict[str, tuple[str, str | None]] = {
    "zh": ("M月d日", None),
    "en": ("d MMMM", None),
    "ug": ("M-'ئاينىڭ' d-'كۈنى'", "y-'يىلى' M-'ئاينىڭ' d-'كۈنى'"),
}


def format_date(day: dt.date, lang: str, *, year: bool = True) -> str:
    """A date as the prose of ``lang`` writes it (see the module's docstring)."""
    from babel.dates import format_date as babel_date

    short, long = _DATE_PATTERNS[lang]
    pattern = (long or "long") if year else short
    return babel_date(day, format=pattern, locale=BABEL_LOCALES[lang])


def format_clock(clock: dt.time, lang: str) -> str:
    from babel.dates import format_time

    return format_time(clock, format="HH:mm", locale=BABEL_LOCALES[lang])


def _number(value: float, lang: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=BABEL_LOCALES[lang])


def format_amount(amount: Amount, lang: str) -> str:
    """A sum or range in yuan as the programs' prose writes it.

    Chinese counts in 万 (``100—200万元``, ``7万元``); English in digits
    (``50,000–150,000 yuan``), in millions when every figure is a whole million
    (``1–2 million yuan``); Uyghur writes each figure in مىڭ or مىليون and a range
    with its case endings (``100 مىڭ يۈەندىن 1 مىليون يۈەنگىچە``).
    """
    figures = [amount.min] if amount.max is None else [amount.min, amount.max]
    if lang == "zh":
        if all(f >= 10_000 for f in figures):
            return "—".join(_number(f / 10_000, lang) for f in figures) + "万元"
        return "—".join(_number(f, lang) for f in figures) + "元"
    if lang == "en":
        if all(f >= 1_000_000 and f % 1_000_000 == 0 for f in figures):
            return "–".join(_number(f / 1_000_000, lang) for f in figures) + " million yuan"
        return "–".join(_number(f, lang) for f in figures) + " yuan"
    words = [_ug_figure(f) for f in figures]
    return f"{words[0]} يۈەن" if len(words) == 1 else f"{words[0]} يۈەندىن {words[1]} يۈەنگىچە"


def _ug_figure(value: float) -> str:
    for size, word in ((1_000_000, "مىليون"), (1_000, "مىڭ")):
        if value >= size and value % size == 0:
            return f"{_number(value / size, 'ug')} {word}"
    return _number(value, "ug")


def value_of(placeholder: Placeholder, items: Items, lang: str) -> str:
    """What ``placeholder`` (already checked by :func:`problem`) reads as in ``lang``."""
    if placeholder.field in DATE_FIELDS:
        moment = in_beijing(items.milestones[placeholder.item], placeholder.field)
        assert moment is not None  # checked by problem()
        day, clock = moment
        if placeholder.form == "time":
            assert clock is not None  # checked by problem()
            return format_clock(clock, lang)
        return format_date(day, lang, year=placeholder.form != "no-year")
    if placeholder.field == "phone":
        return items.contacts[placeholder.item].phones[int(placeholder.form or "1") - 1]
    amount = items.benefits[placeholder.item].amount
    assert amount is not None  # checked by problem()
    return format_amount(amount, lang)


def fill(text: str, lang: str, items: Items) -> str:
    """``text`` with each placeholder replaced by its value in ``lang``."""
    found, _ = parse(text)
    for placeholder in reversed(found):
        text = text[: placeholder.start] + value_of(placeholder, items, lang) + text[placeholder.end :]
    return text


class RenderedText(Text):
    """A text whose Chinese holds placeholders and which lacks a language: that language falls back to
    the Chinese with the placeholders filled in for *its* reader (an English date in an English screen)."""

    _fallback: dict[str, str] = PrivateAttr(default_factory=dict)

    def get(self, lang: str) -> str:
        value = getattr(self, lang, None) if lang in LANGS else None
        return value or self._fallback.get(lang) or self.zh


def render_text(text: Text, items: Items) -> Text:
    """``text`` with its placeholders filled per language; the same object when it has none."""
    if not any(PLACEHOLDER.search(getattr(text, lang) or "") for lang in LANGS):
        return text
    values: dict[str, str] = {lang: fill(getattr(text, lang), lang, items) for lang in LANGS if getattr(text, lang)}
    missing = [lang for lang in LANGS if lang not in values]
    if not missing or not PLACEHOLDER.search(text.zh):
        return text.model_copy(update=values)
    rendered = RenderedText(**values)
    rendered._fallback.update({lang: fill(text.zh, lang, items) for lang in missing})
    return rendered


# --------------------------------------------------------------------------- walking a file


def _fields(model: BaseModel) -> Iterator[tuple[str, str, Any]]:
    """``(attribute, key in the file, value)`` of each field of ``model`` that is set."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value is not None:
            yield name, info.alias or name, value


def texts_of(model: object, here: Path = (), owner: BaseModel | None = None) -> Iterator[tuple[Path, Text, Any]]:
    """Every prose text of ``model`` as ``(path, text, owner)``: the owner is the nearest item that
    carries the notice's words (a ``quote``), or None for texts of the program itself."""
    if isinstance(model, Text):
        yield here, model, owner
    elif isinstance(model, tuple):
        for i, item in enumerate(model):
            yield from texts_of(item, here + (i,), owner)
    elif isinstance(model, dict):
        for key, item in model.items():
            yield from texts_of(item, here + (key,), owner)
    elif isinstance(model, BaseModel):
        own = model if "quote" in type(model).model_fields else owner
        for name, key, value in _fields(model):
            if not (isinstance(model, Program) and name in VERBATIM):
                yield from texts_of(value, here + (key,), own)


def _strings(model: object, here: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every string of ``model`` that is not a prose text (quotes, aliases, phrasings, names, a notice's title)."""
    if isinstance(model, str):
        yield here, model
    elif isinstance(model, Text) and here[:1] == ("notice",):
        for lang in LANGS:
            value = getattr(model, lang)
            if value:
                yield here + (lang,), value
    elif isinstance(model, tuple):
        for i, item in enumerate(model):
            yield from _strings(item, here + (i,))
    elif isinstance(model, dict):
        for key, item in model.items():
            yield from _strings(item, here + (key,))
    elif isinstance(model, BaseModel) and not isinstance(model, Text):
        for _, key, value in _fields(model):
            yield from _strings(value, here + (key,))


def placeholder_findings(model: object, items: Items | None, here: Path = ()) -> Iterator[Finding]:
    """Every placeholder of ``model`` names an item of ``items`` (None: the file belongs to no program,
    so it may hold none), and none stands where it would not be filled in."""
    for path, text, _ in texts_of(model, here):
        for lang in LANGS:
            value = getattr(text, lang)
            if not value:
                continue
            found, malformed = parse(value)
            for message in malformed:
                yield path + (lang,), message
            for placeholder in found:
                written = spell(placeholder.field, placeholder.item, placeholder.form)
                if items is None:
                    yield (
                        path + (lang,),
                        f"{written}: this file belongs to no program, so no placeholder is filled in here",
                    )
                    continue
                message_ = problem(placeholder, items)
                if message_:
                    yield path + (lang,), message_
    for path, value in _strings(model, here):
        if _LOOKS_LIKE.search(value):
            what = (
                "a quote is the notice's words as printed" if "quote" in path else "only texts (zh/en/ug) are filled in"
            )
            yield path, f"no placeholder here: {what}; write the words themselves"


# --------------------------------------------------------------------------- rendering a file


def _render(model: M, items: Items) -> M:
    if isinstance(model, Text):
        return render_text(model, items)  # type: ignore[return-value]  # a Text renders to a Text
    if isinstance(model, tuple):
        rendered = tuple(_render(item, items) for item in model)
        return model if all(a is b for a, b in zip(rendered, model, strict=True)) else rendered  # type: ignore[return-value]  # same shape
    if isinstance(model, dict):
        changed = {key: _render(item, items) for key, item in model.items()}
        return model if all(changed[k] is v for k, v in model.items()) else changed  # type: ignore[return-value]  # same shape
    if isinstance(model, BaseModel):
        update = {}
        for name, _, value in _fields(model):
            if isinstance(model, Program) and name in VERBATIM:
                continue
            new = _render(value, items)
            if new is not value:
                update[name] = new
        return model.model_copy(update=update) if update else model
    return model


def render_program(program: Program) -> Program:
    """``program`` with every text's placeholders filled in (checked beforehand by the loader)."""
    return _render(program, Items.of([program]))


def render_faq(entries: Iterable[GlobalFaq], programs: Iterable[Program]) -> tuple[GlobalFaq, ...]:
    """``faq.yaml``'s answers filled in from the programs each cites."""
    known = {p.id: p for p in programs}
    return tuple(_render(entry, faq_items(entry, known)) for entry in entries)


def faq_items(entry: GlobalFaq, programs: Mapping[str, Program]) -> Items:
    """What a ``faq.yaml`` answer's placeholders can name: the items of the programs its sources cite."""
    cited = dict.fromkeys(ref.program for ref in entry.sources if ref.program in programs)
    return Items.of(programs[p] for p in cited)
