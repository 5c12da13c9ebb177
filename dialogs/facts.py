"""Applicant facts: checking a value against its definition, and reading a profile.

The same checks serve the content loader (a rule comparing ``title`` with
``professor`` is refused) and the edges (a profile saying ``"age": "forty"`` is
refused), so a value the engine sees is always one its definition allows. What a
value may be is up to the fact's kind (:mod:`dialogs.fact_kinds`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.fact_kind_base import FactValue
from dialogs.problems import DialogsError
from dialogs.schema_facts import FactDef

__all__ = ["FactValue", "Facts", "ProfileError", "parse_profile", "value_problem"]

Facts = Mapping[str, FactValue]


def value_problem(fact: FactDef, value: object) -> str | None:
    """Why ``value`` cannot be a value of ``fact``, or ``None`` when it can."""
    return fact.kind.value_problem(fact, value)


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
