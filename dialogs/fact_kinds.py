"""Fact kinds: everything that depends on what type of answer a fact takes, one class per type.

A fact's ``type`` in ``facts.yaml`` names its kind. The kind decides what the
definition may hold (a list of values, min/max, a unit), which values are
possible, whether values are ordered and how rules compare them, which answers
the matcher tries, the question's buttons and hint, how a typed answer is read,
and how a value is shown to the reader. Before, each of these was a switch on
the type name in another module, so a new kind of question meant some twenty
edits; now it is one class here, registered in :data:`KINDS`, plus its texts.
What every kind shares (the base class and its defaults) is in
:mod:`dialogs.fact_kind_base`.

Pure: no clock (``today`` is an argument), no I/O; country names come from
Babel's CLDR data.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from dialogs import input_dates, input_numbers, input_quantities, input_words
from dialogs.countries import country_codes, country_name, parse_country
from dialogs.fact_kind_base import DefinitionProblem, FactKind, FactValue, widen
from dialogs.i18n import N_, NOTICE_ZONE, Translator
from dialogs.inputs import BIRTH_DAY_MATTERS, BIRTH_YEAR_ONLY, DATE_IN_FUTURE, Parsed

if TYPE_CHECKING:
    from dialogs.schema_facts import FactDef

# --------------------------------------------------------------------------- yes/no


class YesNo(FactKind):
    name = "bool"
    row_width = 2

    def value_problem(self, fact: FactDef, value: object) -> str | None:
        return None if isinstance(value, bool) else f"'{fact.id}' is true or false, not {value!r}"

    def candidates(self, fact: FactDef, operands: Sequence[FactValue]) -> list[FactValue]:
        return [True, False]

    def buttons(self, fact: FactDef) -> tuple[tuple[str, FactValue], ...]:
        return (("1", True), ("0", False))

    def parse(self, fact: FactDef, text: str, *, lang: str, today: dt.date) -> Parsed[FactValue]:
        return widen(input_words.parse_yes_no(text))

    def label(self, fact: FactDef, value: FactValue, tr: Translator) -> str:
        return tr.gettext("Yes") if value else tr.gettext("No")


# --------------------------------------------------------------------------- number with a unit

#: Units a number may be counted in: how a value reads, and the hint under the question.
UNIT_LABELS: dict[str, Callable[[Translator, int], str]] = {
    "years_of_age": lambda tr, n: tr.ngettext("{n} year old", "{n} years old", n),
    "years": lambda tr, n: tr.ngettext("{n} year", "{n} years", n),
    "months": lambda tr, n: tr.ngettext("{n} month", "{n} months", n),
    "months_per_year": lambda tr, n: tr.ngettext("{n} month a year", "{n} months a year", n),
    "days": lambda tr, n: tr.ngettext("{n} day", "{n} days", n),
    "people": lambda tr, n: tr.ngettext("{n} person", "{n} people", n),
}
UNIT_HINTS: dict[str, str] = {
    "years_of_age": N_("Type your age in whole years, e.g. 45."),
    "years": N_("Type a number of years, e.g. 5."),
    "months": N_("Type a number of months, e.g. 6."),
    "months_per_year": N_("Type how many months a year, e.g. 3 (a whole year is 12)."),
    "days": N_("Type a number of days, e.g. 45."),
    "people": N_("Type a number of people, e.g. 8."),
}


class Number(FactKind):
    """A whole number between ``min`` and ``max``, counted in an optional ``unit``; an age may be
    answered with a birth date (``from_birth_date``), and the age is worked out on ``today``."""

    name = "int"
    ordered = True
    uses = frozenset({"min", "max", "unit", "from_birth_date"})
    expects = "number"

    def check(self, fact: FactDef) -> Iterator[DefinitionProblem]:
        yield from super().check(fact)
        if fact.min is not None and fact.max is not None and fact.min > fact.max:
            yield ("max",), "max is below min"
        if fact.unit is not None and fact.unit not in UNIT_LABELS:
            yield ("unit",), f"unknown unit '{fact.unit}' (known: {', '.join(UNIT_LABELS)})"

    def value_problem(self, fact: FactDef, value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"'{fact.id}' is a whole number, not {value!r}"
        if fact.min is not None and value < fact.min:
            return f"'{fact.id}' cannot be below {fact.min} (got {value})"
        if fact.max is not None and value > fact.max:
            return f"'{fact.id}' cannot be above {fact.max} (got {value})"
        return None

    def rank(self, fact: FactDef, value: FactValue) -> int:
        return int(value)

    def candidates(self, fact: FactDef, operands: Sequence[FactValue]) -> list[FactValue]:
        near: set[int] = set()
        for t in operands:
            if isinstance(t, int) and not isinstance(t, bool):
                near |= {t - 1, t, t + 1}
        low = fact.min if fact.min is not None else -(10**9)
        high = fact.max if fact.max is not None else 10**9
        return list(sorted(v for v in near if low <= v <= high) or [low])

    def hint(self, fact: FactDef) -> str | None:
        return UNIT_HINTS.get(fact.unit or "", N_("Type a number."))

    def parse(self, fact: FactDef, text: str, *, lang: str, today: dt.date) -> Parsed[FactValue]:
        low = fact.min if fact.min is not None else 0
        number = (
            input_quantities.parse_quantity(text, unit=fact.unit, min=low, max=fact.max)
            if fact.unit in input_quantities.MEASURE
            else input_numbers.parse_int(text, min=low, max=fact.max)
        )
        if number.error is None or not fact.from_birth_date:
            return widen(number)
        partial = input_dates.parse_birth_month(text)
        if partial is not None:
            return self._age_from_month(fact, partial, today)
        if not _looks_like_date(text):
            return widen(number)
        born = input_dates.parse_date(text, today=today, past_only=True)
        if born.value is None:
            return Parsed(error=born.error)  # the refusal, with its reason (2月30日: February never has 30 days)
        return widen(input_numbers.parse_int(str(input_dates.age_on(born.value, today)), min=low, max=fact.max))

    @staticmethod
    def _age_from_month(fact: FactDef, partial: Parsed[tuple[int, int | None]], today: dt.date) -> Parsed[FactValue]:
        """The age from a birth year and month, or the year alone, when the missing part cannot change it on
        ``today``; otherwise both possible ages and the birth day that separates them, never a guess."""
        if partial.value is None:
            return Parsed(error=partial.error)  # 1976年13月: there is no month 13
        year, month = partial.value
        bounds = input_dates.age_bounds(year, month, today)
        if bounds is None:
            return Parsed.refuse(DATE_IN_FUTURE, today=today.isoformat())
        youngest, oldest, cutoff = bounds
        if youngest == oldest:
            low = fact.min if fact.min is not None else 0
            return widen(input_numbers.parse_int(str(oldest), min=low, max=fact.max))
        common: dict[str, str | int] = {"year": year, "older": oldest, "younger": youngest, "on": today.isoformat()}
        if month is None:
            return Parsed.refuse(BIRTH_YEAR_ONLY, cutoff=cutoff.isoformat(), example=f"{year}-08", **common)
        example = dt.date(year, month, 15).isoformat()
        return Parsed.refuse(
            BIRTH_DAY_MATTERS, month=f"{month:02d}", cutoff=cutoff.isoformat(), example=example, **common
        )

    def label(self, fact: FactDef, value: FactValue, tr: Translator) -> str:
        unit = UNIT_LABELS.get(fact.unit or "")
        if unit is None or isinstance(value, bool) or not isinstance(value, int):
            return str(value)
        return unit(tr, value).format(n=value)


def _looks_like_date(text: str) -> bool:
    """A birth date rather than an age: 1980年5月3日, 2月30日, 1980-05-03, 1980/5/3."""
    if "年" in text or "月" in text:
        return True
    return sum(ch.isdigit() for ch in text) >= 6 and any(sep in text for sep in "-/.")


# --------------------------------------------------------------------------- choices


class Choice(FactKind):
    """One of the listed ``values``, each with a label in every language; unordered."""

    name = "choice"
    uses = frozenset({"values", "value_labels"})

    def check(self, fact: FactDef) -> Iterator[DefinitionProblem]:
        yield from super().check(fact)
        if not fact.values:
            yield ("values",), f"a {self.name} fact needs its list of values"
            return
        if len(set(fact.values)) != len(fact.values):
            yield ("values",), "a value is listed twice"
        labels = fact.value_labels or {}
        for value in fact.values:
            if value not in labels:
                yield ("value_labels",), f"no label for value '{value}'"
        for value in labels:
            if value not in fact.values:
                yield ("value_labels", value), f"label for '{value}', which is not among the values"

    def value_problem(self, fact: FactDef, value: object) -> str | None:
        values = fact.values or ()
        if not isinstance(value, str) or value not in values:
            return f"'{fact.id}' is one of {', '.join(values)}; not {value!r}"
        return None

    def candidates(self, fact: FactDef, operands: Sequence[FactValue]) -> list[FactValue]:
        return list(fact.values or ())

    def buttons(self, fact: FactDef) -> tuple[tuple[str, FactValue], ...]:
        return tuple((value, value) for value in fact.values or ())

    def parse(self, fact: FactDef, text: str, *, lang: str, today: dt.date) -> Parsed[FactValue]:
        return widen(input_words.parse_choice(text, [(v, self._names(fact, v, lang)) for v in fact.values or ()]))

    def label(self, fact: FactDef, value: FactValue, tr: Translator) -> str:
        labels = fact.value_labels or {}
        return labels[value].get(tr.lang) if isinstance(value, str) and value in labels else str(value)

    @staticmethod
    def _names(fact: FactDef, value: str, lang: str) -> tuple[str, ...]:
        """The names an answer may be typed as; the reader's language first, as refusals show the first."""
        label = (fact.value_labels or {}).get(value)
        names: list[str] = []
        if label is not None:
            names.append(label.get(lang))
            names += [v for v in (label.zh, label.en, label.ug) if v and v not in names]
        return tuple(names + [value])


class Level(Choice):
    """A choice whose values are listed in ascending order (a title, a degree): rules compare ranks."""

    name = "level"
    ordered = True

    def rank(self, fact: FactDef, value: FactValue) -> int:
        return (fact.values or ()).index(str(value))


# --------------------------------------------------------------------------- countries


class Country(FactKind):
    """An ISO 3166 alpha-2 code, typed as the code or the country's name; shown by its name."""

    name = "country"

    def value_problem(self, fact: FactDef, value: object) -> str | None:
        if not isinstance(value, str) or value not in country_codes():
            return f"'{fact.id}' is an ISO 3166 alpha-2 country code such as CN, not {value!r}"
        return None

    def candidates(self, fact: FactDef, operands: Sequence[FactValue]) -> list[FactValue]:
        named = {v for v in operands if isinstance(v, str)}
        other = next(code for code in sorted(country_codes()) if code not in named)
        return [*sorted(named), other]

    def hint(self, fact: FactDef) -> str | None:
        return N_("Type the country code, e.g. CN.")

    def parse(self, fact: FactDef, text: str, *, lang: str, today: dt.date) -> Parsed[FactValue]:
        return widen(parse_country(text))

    def label(self, fact: FactDef, value: FactValue, tr: Translator) -> str:
        name = country_name(str(value), tr.lang)
        return f"{name} ({value})" if name else str(value)


# --------------------------------------------------------------------------- dates

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Date(FactKind):
    """A calendar day, kept as ISO text (``2020-05-03``) so it stays a JSON scalar; rules compare days
    (``lt: 2021-01-01`` is "before 2021"); typed the way people write dates, an impossible one refused
    with the reason (2月30日: February never has 30 days)."""

    name = "date"
    ordered = True
    expects = "date"

    def value_problem(self, fact: FactDef, value: object) -> str | None:
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            return f"'{fact.id}' is a date written YYYY-MM-DD, not {value!r}"
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return f"'{fact.id}': there is no day {value}"
        return None

    def rank(self, fact: FactDef, value: FactValue) -> int:
        return dt.date.fromisoformat(str(value)).toordinal()

    def candidates(self, fact: FactDef, operands: Sequence[FactValue]) -> list[FactValue]:
        days: set[dt.date] = set()
        for operand in operands:
            if self.value_problem(fact, operand) is None:
                day = dt.date.fromisoformat(str(operand))
                days |= {day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)}
        return [day.isoformat() for day in sorted(days)] or ["2000-01-01"]

    def hint(self, fact: FactDef) -> str | None:
        return N_("Type the date, e.g. 2020-05-03.")

    def parse(self, fact: FactDef, text: str, *, lang: str, today: dt.date) -> Parsed[FactValue]:
        day = input_dates.parse_date(text, today=today)
        return Parsed(error=day.error) if day.value is None else Parsed.accept(day.value.isoformat())

    def label(self, fact: FactDef, value: FactValue, tr: Translator) -> str:
        if self.value_problem(fact, value) is not None:
            return str(value)
        noon = dt.datetime.combine(dt.date.fromisoformat(str(value)), dt.time(12), tzinfo=ZoneInfo(NOTICE_ZONE))
        return tr.datetime(noon, with_time=False, zone=False)


# --------------------------------------------------------------------------- free short text


class ShortText(FactKind):
    """A few words typed freely (a specialty, a hospital): rules test it with eq, ne, in and not_in,
    ignoring case, width and spaces, so ``in: [儿科]`` holds for " 儿科 " and ``ICU`` for "icu"."""

    name = "text"
    longest: ClassVar[int] = 100

    def value_problem(self, fact: FactDef, value: object) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return f"'{fact.id}' is a short text, not {value!r}"
        if len(value) > self.longest:
            return f"'{fact.id}' is at most {self.longest} characters (got {len(value)})"
        return None

    def same(self, fact: FactDef, value: FactValue, operand: FactValue) -> bool:
        return isinstance(value, str) and isinstance(operand, str) and _fold(value) == _fold(operand)

    def candidates(self, fact: FactDef, operands: Sequence[FactValue]) -> list[FactValue]:
        named: list[FactValue] = [o for o in dict.fromkeys(operands) if isinstance(o, str)]
        other = "?"
        while any(self.same(fact, other, o) for o in named):
            other += "?"
        return [*named, other]

    def hint(self, fact: FactDef) -> str | None:
        return N_("Type a short answer.")

    def parse(self, fact: FactDef, text: str, *, lang: str, today: dt.date) -> Parsed[FactValue]:
        return widen(input_words.check_text(text, max_len=self.longest))


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


# --------------------------------------------------------------------------- the registry


def _registry(*kinds: FactKind) -> dict[str, FactKind]:
    return {kind.name: kind for kind in kinds}


#: Every kind by its ``type`` name: a fact definition with another type is refused.
KINDS: dict[str, FactKind] = _registry(YesNo(), Number(), Choice(), Level(), Country(), Date(), ShortText())
