"""The stale-prose check: no text types a date, phone or amount a field holds, or contradicts one.

Part of loading (so ``content check`` and every publish refuse it). Each date,
time, phone and amount a prose text states in words (:mod:`dialogs.prose_literals`)
goes through these rules, in this order:

0. **Cited.** Inside quotation marks (“…”, «…», '…'), words that occur in the
   quote of the item the text belongs to are the notice's words, cited as
   printed (``通知此行写作“0351-7676028 7676026”``): left alone.
1. **Typed again.** It is a value a placeholder of this program writes: a
   milestone's opening or closing date (with or without its year) or time, a
   contact's phone as listed, a benefit's amount (or one end of its range).
   Refused, with the placeholder to write instead: typed, it would go stale the
   day the field moves.
2. **Contradicts.** It stands in a milestone's, contact's or benefit's own text
   (label, note, a contact's duties and address, a benefit's text), is of that
   item's kind (a date in a milestone's, a phone in a contact's, an amount in a
   benefit's) and matches no field of the program. Refused: it says something
   else than the field (``contradicts milestone city-materials (closes:
   2024-03-29)``). The notice's words do not excuse it: after a field moves,
   the quote still holds the old value.
3. **Unbound.** It matches no field of the program and is not a value the
   notice's words state here (the item's quote; for the program's own texts —
   summary, titles, tracks — any quote of the file). Refused: make it a field,
   or quote the words it comes from. So a historic date without a milestone (an
   age reference date, the day a notice was issued) stays literal only where the
   item quotes the notice stating it.

Matching: a date matches when month and day agree, and the year too when the
text gives one. A phone written with and without its area code is one number:
``3193501`` (as the notice prints it) matches ``0991-3193501`` — no typed-again
(a placeholder writes the whole number), no contradiction either. An amount
matches a benefit when its figure or range is the benefit's ``min``/``max``.

A time of day counts only next to a date (``6月15日20:00``, ``20:00 on 15 June``):
a deadline's time, for rules 1 and 2; a time elsewhere (office hours) is not
checked, and rule 3 never applies to times.

Checked: every text of a program file but the notice's title; a ``faq.yaml``
answer that cites programs, against their fields and its sources' quotes.
``facts.yaml`` and answers about the bot itself hold no program's values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from dialogs.problems import Path
from dialogs.prose import (
    PLACEHOLDER,
    Finding,
    Items,
    faq_items,
    in_beijing,
    parse,
    placeholder_findings,
    spell,
    texts_of,
)
from dialogs.prose_literals import (
    AmountValue,
    DateValue,
    Kind,
    PhoneValue,
    Stated,
    TimeValue,
    Value,
    cited_spans,
    near_date,
    phone_value,
    stated_in,
    statements,
)
from dialogs.quotes import quotes_of
from dialogs.schema import LANGS
from dialogs.schema_program import Amount, Benefit, Contact, Milestone, Program
from dialogs.schema_questions import GlobalFaq

#: A character no literal pattern reads, standing in for a placeholder while a text is scanned.
_MASK = "\ufffc"


@dataclass(frozen=True)
class _Field:
    """A structured value texts may state: whose, how to describe it, the placeholder that writes it."""

    kind: Kind
    owner: Any
    what: str
    exact: Callable[[Value], bool]
    loose: Callable[[Value], bool]
    #: The placeholder's field (``closes``, ``phone``…) and form (``time``, ``2``…).
    name: str
    form: str | None = None

    def write(self, stated: Stated) -> str:
        """The placeholder that writes what ``stated`` says (a date without its year: ``:no-year``)."""
        yearless = isinstance(stated.value, DateValue) and stated.value.year is None
        return spell(self.name, self.owner.id, "no-year" if self.kind == "date" and yearless else self.form)


def _date_field(milestone: Milestone, name: str) -> Iterator[_Field]:
    shown = in_beijing(milestone, name)
    if shown is None:
        return
    day, clock = shown
    moment = milestone.opens if name == "opens" else milestone.closes
    assert moment is not None  # in_beijing found it
    what = f"milestone {milestone.id} ({name}: {moment.date.isoformat()}" + (f" {moment.time})" if moment.time else ")")

    def same_day(value: Value) -> bool:
        return (
            isinstance(value, DateValue)
            and (value.month, value.day) == (day.month, day.day)
            and value.year in (None, day.year)
        )

    yield _Field("date", milestone, what, same_day, same_day, name)
    if clock is not None:

        def same_time(value: Value) -> bool:
            return isinstance(value, TimeValue) and (value.hour, value.minute) == (clock.hour, clock.minute)

        yield _Field("time", milestone, what, same_time, same_time, name, "time")


def _phone_fields(contact: Contact) -> Iterator[_Field]:
    for index, phone in enumerate(contact.phones, start=1):
        listed = phone_value(phone)

        def exact(value: Value, listed: PhoneValue = listed) -> bool:
            return isinstance(value, PhoneValue) and value.digits == listed.digits

        def loose(value: Value, listed: PhoneValue = listed) -> bool:
            return isinstance(value, PhoneValue) and _same_number(value, listed)

        form = str(index) if index > 1 else None
        yield _Field("phone", contact, f"contact {contact.id}'s phone {phone}", exact, loose, "phone", form)


def _same_number(a: PhoneValue, b: PhoneValue) -> bool:
    """One number, whether or not each is written with its area code."""
    return a.digits == b.digits or (a.local == b.local and not (a.has_area and b.has_area))


def _amount_field(benefit: Benefit) -> Iterator[_Field]:
    amount = benefit.amount
    if amount is None:
        return
    figures = (amount.min,) if amount.max is None else (amount.min, amount.max)

    def same(value: Value) -> bool:
        if not isinstance(value, AmountValue):
            return False
        return value.figures() == figures or (value.high is None and value.low in figures)

    yield _Field(
        "amount",
        benefit,
        f"benefit {benefit.id}'s amount ({_figures(amount)} {amount.currency})",
        same,
        same,
        "amount",
    )


def _figures(amount: Amount) -> str:
    return "–".join(f"{f:,.0f}" for f in (amount.min, amount.max) if f is not None)


def fields_of(items: Items) -> list[_Field]:
    """Every value of ``items`` a text could state."""
    found: list[_Field] = []
    for milestone in items.milestones.values():
        for name in ("opens", "closes"):
            found += _date_field(milestone, name)
    for contact in items.contacts.values():
        found += _phone_fields(contact)
    for benefit in items.benefits.values():
        found += _amount_field(benefit)
    return found


#: The kind of value an item's own texts state, for rule 2.
_OWN_KIND: dict[type, Kind] = {Milestone: "date", Contact: "phone", Benefit: "amount"}
_ITEM_WORD: dict[Kind, str] = {"date": "milestone", "time": "milestone", "phone": "contact", "amount": "benefit"}


def _same_value(a: Value, b: Value) -> bool:
    """Whether the notice's words (``b``) state the value a text states (``a``)."""
    if isinstance(a, DateValue) and isinstance(b, DateValue):
        return (a.month, a.day) == (b.month, b.day) and (a.year is None or b.year is None or a.year == b.year)
    if isinstance(a, PhoneValue) and isinstance(b, PhoneValue):
        return _same_number(a, b)
    if isinstance(a, AmountValue) and isinstance(b, AmountValue):
        return a.figures() == b.figures()
    return False


def _describe_own(owner: Any) -> str:
    if isinstance(owner, Milestone):
        opens = f"opens: {owner.opens.date.isoformat()}, " if owner.opens else ""
        closes = owner.closes.date.isoformat() + (f" {owner.closes.time}" if owner.closes.time else "")
        return f"milestone {owner.id} ({opens}closes: {closes})"
    if isinstance(owner, Contact):
        return f"contact {owner.id} (phones: {', '.join(owner.phones) or 'none'})"
    amount = owner.amount
    if amount is None:
        return f"benefit {owner.id} (no amount)"
    return f"benefit {owner.id} (amount: {_figures(amount)} {amount.currency})"


def text_findings(value: str, fields: list[_Field], owner: Any, quotes: tuple[str, ...]) -> Iterator[str]:
    """What is stale or contradicting in one language of one text (rules 0–3 of the module)."""
    found, _ = parse(value)
    masked = value
    for placeholder in found:
        masked = masked[: placeholder.start] + _MASK * (placeholder.end - placeholder.start) + masked[placeholder.end :]
    stated = statements(masked)
    if not stated:
        return
    dates = [(s.start, s.end) for s in stated if s.kind == "date"]
    dates += [(p.start, p.end) for p in found if p.is_date]
    cited = cited_spans(masked, quotes)
    own_kind = _OWN_KIND.get(type(owner))
    in_quotes: list[Value] | None = None
    for s in stated:
        if any(start <= s.start and s.end <= end for start, end in cited):
            continue
        if s.kind == "time" and not near_date(s, dates):
            continue
        exact = [f for f in fields if f.kind == s.kind and f.exact(s.value)]
        if exact:
            best = next((f for f in exact if f.owner is owner), exact[0])
            yield f"states '{s.words}', which is {best.what}: write {best.write(s)} (typed again, it goes stale when that field changes)"
            continue
        if any(f.kind == s.kind and f.loose(s.value) for f in fields):
            continue
        if own_kind is not None and (s.kind == own_kind or (own_kind == "date" and s.kind == "time")):
            yield f"states '{s.words}', which contradicts {_describe_own(owner)}"
            continue
        if s.kind == "time":
            continue
        if in_quotes is None:
            in_quotes = stated_in(quotes)
        if any(_same_value(s.value, v) for v in in_quotes):
            continue
        word = _ITEM_WORD[s.kind]
        yield (
            f"states '{s.words}', which no {word} of this program holds and the notice's words quoted here do not "
            f"state: add it as a {word} and write its placeholder, or quote the notice's words that give it"
        )


def _quotes_in(model: object) -> Iterator[str]:
    """Every quote passage in ``model``."""
    if isinstance(model, tuple):
        for item in model:
            yield from _quotes_in(item)
    elif isinstance(model, BaseModel):
        for name in type(model).model_fields:
            value = getattr(model, name)
            if name == "quote":
                yield from quotes_of(value)
            elif isinstance(value, (tuple, BaseModel)):
                yield from _quotes_in(value)


def _prose_findings(
    model: object, here: Path, fields: list[_Field], everything: tuple[str, ...], own_quotes: bool = True
) -> Iterator[Finding]:
    for path, text, owner in texts_of(model, here):
        quotes = quotes_of(owner.quote) if own_quotes and owner is not None else everything
        for lang in LANGS:
            value = getattr(text, lang)
            if value and (PLACEHOLDER.search(value) or any(ch.isdigit() for ch in value)):
                for message in text_findings(value, fields, owner, quotes):
                    yield path + (lang,), message


def program_findings(program: Program) -> Iterator[Finding]:
    """Placeholders that name nothing, and prose that is stale or contradicts a field, in one program file."""
    items = Items.of([program])
    yield from placeholder_findings(program, items)
    yield from _prose_findings(program, (), fields_of(items), tuple(_quotes_in(program)))


def faq_findings(entries: Iterable[GlobalFaq], programs: Mapping[str, Program]) -> Iterator[Finding]:
    """The same for ``faq.yaml``: an answer's placeholders and literals against the programs it cites."""
    for i, entry in enumerate(entries):
        here: Path = ("faq", i)
        if not entry.sources:
            yield from placeholder_findings(entry, None, here)
            continue
        items = faq_items(entry, programs)
        yield from placeholder_findings(entry, items, here)
        quotes = tuple(p for ref in entry.sources for p in quotes_of(ref.quote))
        yield from _prose_findings(entry, here, fields_of(items), quotes, own_quotes=False)
