"""Applicant facts: checking a value against its definition, and reading a profile.

The same checks serve the content loader (a rule comparing ``title`` with
``professor`` is refused) and the edges (a profile saying ``"age": "forty"`` is
refused), so a value the engine sees is always one its definition allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from dialogs.problems import DialogsError
from dialogs.schema import FactDef

if TYPE_CHECKING:
    from dialogs.inputs import Parsed

FactValue = bool | int | str
Facts = Mapping[str, FactValue]

#: Babel territory codes that are not countries (unknown, outlying, EU, UN, pseudo-locales).
_NOT_COUNTRIES = frozenset({"ZZ", "QO", "EU", "EZ", "UN", "XA", "XB"})


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166 alpha-2 codes, from Babel's CLDR territory list."""
    from babel import Locale

    return frozenset(
        code
        for code in Locale("en").territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


def value_problem(fact: FactDef, value: object) -> str | None:
    """Why ``value`` cannot be a value of ``fact``, or ``None`` when it can."""
    if fact.type == "bool":
        return None if isinstance(value, bool) else f"'{fact.id}' is true or false, not {value!r}"
    if fact.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"'{fact.id}' is a whole number, not {value!r}"
        if fact.min is not None and value < fact.min:
            return f"'{fact.id}' cannot be below {fact.min} (got {value})"
        if fact.max is not None and value > fact.max:
            return f"'{fact.id}' cannot be above {fact.max} (got {value})"
        return None
    if fact.type == "country":
        if not isinstance(value, str) or value not in country_codes():
            return f"'{fact.id}' is an ISO 3166 alpha-2 country code such as CN, not {value!r}"
        return None
    values = fact.values or ()
    if not isinstance(value, str) or value not in values:
        return f"'{fact.id}' is one of {', '.join(values)}; not {value!r}"
    return None


def rank(fact: FactDef, value: FactValue) -> int:
    """The position of a value on an ordered scale (``level``) or the number itself (``int``)."""
    if fact.type == "level":
        return (fact.values or ()).index(str(value))
    return int(value)


class ProfileError(DialogsError):
    """A profile of facts that cannot be evaluated; the message says which fact and why."""


def parse_profile(raw: Any, registry: Mapping[str, FactDef]) -> dict[str, FactValue]:
    """Check a profile (fact id → value) from outside. ``null`` means the fact is not known."""
    if not isinstance(raw, dict):
        raise ProfileError(f"a profile is a JSON object of facts, not {type(raw).__name__}")
    profile: dict[str, FactValue] = {}
    for key, value in raw.items():
        fact = registry.get(key)
        if fact is None:
            raise ProfileError(f"unknown fact '{key}' (known facts: {', '.join(sorted(registry))})")
        if value is None:
            continue
        problem = value_problem(fact, value)
        if problem:
            raise ProfileError(problem)
        profile[key] = value
    return profile


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country names in Chinese and English (lower-cased) → ISO code, from Babel's CLDR data."""
    from babel import Locale

    names: dict[str, str] = {}
    codes = country_codes()
    for locale in ("en", "zh_Hans_CN", "zh_Hant"):
        for code, name in Locale.parse(locale).territories.items():
            if code in codes:
                names.setdefault(name.lower(), code)
    names.update({"中国": "CN", "中华人民共和国": "CN", "china": "CN", "prc": "CN"})
    return names


def parse_country(text: str) -> Parsed[str]:
    """A country typed as its code (CN, us) or its name in Chinese or English."""
    from dialogs.i18n import N_
    from dialogs.inputs import Parsed, Refusal

    cleaned = text.strip().strip("。.!！")
    if cleaned.upper() in country_codes():
        return Parsed(value=cleaned.upper())
    code = _country_names().get(cleaned.lower())
    if code is not None:
        return Parsed(value=code)
    return Parsed(
        error=Refusal(
            N_("I do not know the country “{text}”. Type its two-letter code, e.g. CN."), {"text": cleaned[:40]}
        )
    )
