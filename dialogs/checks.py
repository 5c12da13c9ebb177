"""Meaning checks on content that already has the right shape.

Each check yields ``(path, message)``; the loader turns the path into the file's
line. Kept apart from the schema so one run reports every problem with its place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dialogs.fact_kind_base import ORDERED_OPS
from dialogs.facts import value_problem
from dialogs.problems import Path
from dialogs.schedule import closes_at, opens_at
from dialogs.schema import LANGS, Text
from dialogs.schema_facts import FactDef
from dialogs.schema_program import Program
from dialogs.schema_rules import Rule

Finding = tuple[Path, str]


class _Identified(Protocol):
    """A content item with an id (a track's may be null)."""

    @property
    def id(self) -> str | None: ...


_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{3,24}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --------------------------------------------------------------------------- facts


def check_facts(facts: Iterable[FactDef]) -> Iterator[Finding]:
    """Ids differ; each definition holds what its kind needs and nothing it does not read."""
    seen: set[str] = set()
    for i, fact in enumerate(facts):
        here: Path = ("facts", i)
        if fact.id in seen:
            yield here + ("id",), f"duplicate fact id '{fact.id}'"
        seen.add(fact.id)
        for where, message in fact.kind.check(fact):
            yield here + where, message


# --------------------------------------------------------------------------- rules


def check_rule(rule: Rule, here: Path, facts: Mapping[str, FactDef]) -> Iterator[Finding]:
    """Every fact a rule names exists, and every value compared could be one of its values."""
    for key in ("all", "any"):
        children = rule.all_ if key == "all" else rule.any_
        for i, child in enumerate(children or ()):
            yield from check_rule(child, here + (key, i), facts)
    if rule.not_ is not None:
        yield from check_rule(rule.not_, here + ("not",), facts)
    if rule.fact is None:
        return
    fact = facts.get(rule.fact)
    if fact is None:
        yield here + ("fact",), f"unknown fact '{rule.fact}'"
        return
    for op, operand in rule.comparisons().items():
        if op in ORDERED_OPS and not fact.kind.ordered:
            yield (
                here + (op,),
                f"'{op}' compares ordered values; '{fact.id}' is a {fact.kind.name} fact (use eq, ne, in, not_in)",
            )
            continue
        operands = operand if isinstance(operand, tuple) else (operand,)
        for j, value in enumerate(operands):
            problem = value_problem(fact, value)
            if problem:
                where = here + (op, j) if isinstance(operand, tuple) else here + (op,)
                yield where, f"impossible value: {problem}"


# --------------------------------------------------------------------------- programs


def _unique(items: Iterable[_Identified], here: Path, what: str) -> Iterator[Finding]:
    seen: set[str | None] = set()
    for i, item in enumerate(items):
        item_id = item.id
        if item_id in seen:
            yield here + (i, "id"), f"duplicate {what} id '{item_id}'"
        seen.add(item_id)


def _scoped(items: Iterable[object], here: Path, track_ids: set[str | None]) -> Iterator[Finding]:
    for i, item in enumerate(items):
        for j, track in enumerate(getattr(item, "tracks", ())):
            if track not in track_ids:
                yield here + (i, "tracks", j), f"unknown track '{track}'"


def check_texts(model: object, here: Path) -> Iterator[Finding]:
    """Warn (not refuse) where a text has only its Chinese version: it falls back to Chinese."""
    if isinstance(model, Text):
        for lang in LANGS[1:]:
            if getattr(model, lang) is None:
                yield here + (lang,), f"no {lang} text yet; Chinese is shown instead"
        return
    if isinstance(model, tuple):
        for i, item in enumerate(model):
            yield from check_texts(item, here + (i,))
        return
    fields = getattr(type(model), "model_fields", None)
    if fields is None:
        return
    for name, info in fields.items():
        value = getattr(model, name)
        if value is None:
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                yield from check_texts(item, here + (info.alias or name, key))
        else:
            yield from check_texts(value, here + (info.alias or name,))


def check_program(program: Program, facts: Mapping[str, FactDef]) -> Iterator[Finding]:
    track_ids = {t.id for t in program.tracks}
    yield from _unique(program.tracks, ("tracks",), "track")
    if None in track_ids and len(program.tracks) > 1:
        yield ("tracks",), "a track with id null is only for a program with a single track"
    for name in (
        "deadlines",
        "sectors",
        "requirements",
        "assessed",
        "documents",
        "benefits",
        "quotas",
        "contacts",
        "apply",
        "faq",
    ):
        items = getattr(program, name)
        yield from _unique(items, (name,), {"apply": "apply step", "faq": "FAQ entry"}.get(name, name.rstrip("s")))
        yield from _scoped(items, (name,), track_ids)

    deadline_ids = {m.id for m in program.deadlines}
    if program.window is not None and program.window not in deadline_ids:
        yield ("window",), f"unknown deadline '{program.window}'"
    for i, track in enumerate(program.tracks):
        if track.window is not None and track.window not in deadline_ids:
            yield ("tracks", i, "window"), f"unknown deadline '{track.window}'"
        if not program.draft and not (track.window or program.window):
            yield ("tracks", i), "no applicant-facing deadline: set 'window' on the program or the track"
        own = [r for r in program.requirements if track.id in r.tracks or (len(program.tracks) == 1 and not r.tracks)]
        if not own:
            yield (
                ("tracks", i),
                f"track '{track.id}' has no rules of its own: scope at least one requirement to it (tracks: [{track.id}])",
            )

    for i, milestone in enumerate(program.deadlines):
        try:
            ZoneInfo(milestone.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            yield (
                ("deadlines", i, "timezone"),
                f"unknown time zone '{milestone.timezone}' (use an IANA name such as Asia/Shanghai)",
            )
            continue
        start = opens_at(milestone)
        if start is not None and start >= closes_at(milestone):
            yield ("deadlines", i, "opens"), "opens after it closes"

    contact_ids = {c.id for c in program.contacts}
    sector_ids = {s.id for s in program.sectors}
    for i, requirement in enumerate(program.requirements):
        yield from check_rule(requirement.rule, ("requirements", i, "rule"), facts)
        if requirement.softened:
            for j, contact_id in enumerate(requirement.softened.ask):
                if contact_id not in contact_ids:
                    yield ("requirements", i, "softened", "ask", j), f"unknown contact '{contact_id}'"

    for i, contact in enumerate(program.contacts):
        if not (contact.phones or contact.emails or contact.address):
            yield (
                ("contacts", i),
                f"contact '{contact.id}' has no way to reach them: give a phone, an e-mail or an address",
            )
        for j, phone in enumerate(contact.phones):
            if not _PHONE.match(phone):
                yield ("contacts", i, "phones", j), f"'{phone}' is not a phone number"
        for j, email in enumerate(contact.emails):
            if not _EMAIL.match(email):
                yield ("contacts", i, "emails", j), f"'{email}' is not an e-mail address"
        for j, duty in enumerate(contact.duties):
            for k, track_id in enumerate(duty.tracks):
                if track_id not in track_ids:
                    yield ("contacts", i, "duties", j, "tracks", k), f"unknown track '{track_id}'"
            for k, sector in enumerate(duty.sectors):
                if sector not in sector_ids:
                    yield ("contacts", i, "duties", j, "sectors", k), f"unknown sector '{sector}'"
