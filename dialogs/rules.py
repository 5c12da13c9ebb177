"""Evaluating rules over facts with three-valued (Kleene) logic.

A fact test on a missing fact is *unknown*. ``all`` is false as soon as one part
is false, ``any`` is true as soon as one part is true; otherwise an unknown part
makes the whole unknown. Alongside the value we return the missing facts that
keep an unknown rule undecided — exactly what a dialog still has to ask.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dialogs.facts import Facts, FactValue
from dialogs.schema_facts import FactDef
from dialogs.schema_rules import Rule


@dataclass(frozen=True)
class Outcome:
    value: bool | None
    #: Facts whose absence leaves the rule undecided (empty when decided), in rule order.
    missing: tuple[str, ...] = ()


def _merge(outcomes: list[Outcome]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for outcome in outcomes:
        if outcome.value is None:
            seen.update(dict.fromkeys(outcome.missing))
    return tuple(seen)


def evaluate(rule: Rule, facts: Facts, registry: Mapping[str, FactDef]) -> Outcome:
    if rule.all_ is not None:
        parts = [evaluate(r, facts, registry) for r in rule.all_]
        if any(p.value is False for p in parts):
            return Outcome(False)
        if any(p.value is None for p in parts):
            return Outcome(None, _merge(parts))
        return Outcome(True)
    if rule.any_ is not None:
        parts = [evaluate(r, facts, registry) for r in rule.any_]
        if any(p.value is True for p in parts):
            return Outcome(True)
        if any(p.value is None for p in parts):
            return Outcome(None, _merge(parts))
        return Outcome(False)
    if rule.not_ is not None:
        inner = evaluate(rule.not_, facts, registry)
        return inner if inner.value is None else Outcome(not inner.value)
    assert rule.fact is not None  # the schema guarantees a fact test here
    if rule.fact not in facts:
        return Outcome(None, (rule.fact,))
    return Outcome(_compare(rule, facts[rule.fact], registry[rule.fact]))


def _compare(rule: Rule, value: FactValue, fact: FactDef) -> bool:
    ((op, operand),) = rule.comparisons().items()
    return fact.kind.compare(fact, op, value, operand)
