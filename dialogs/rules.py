"""Evaluating rules over facts with three-valued (Kleene) logic.

A fact test on a missing fact is *unknown*. ``all`` is false as soon as one part
is false, ``any`` is true as soon as one part is true; otherwise an unknown part
makes the whole unknown. Alongside the value we return the missing facts that
keep an unknown rule undecided — exactly what a dialog still has to ask.

Three-valued logic alone leaves some rules unknown that every answer would
decide the same way: a medical team of ten meets "at least 8 for a prefecture
hospital, at least 6 for a county one" whatever the hospital. :func:`settle`
tries the answers that can make a difference (each kind's candidates) and
decides such a rule, so nobody is asked a question whose answer cannot matter.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dialogs.facts import Facts, FactValue
from dialogs.schema_facts import FactDef
from dialogs.schema_rules import Rule, Scalar


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


#: A rule whose missing facts have more answer combinations than this is left as three-valued logic
#: reads it (the content's largest has a few dozen).
SETTLE_LIMIT = 5_000

_SETTLED: dict[tuple[int, int, frozenset[tuple[str, FactValue]]], tuple[Rule, Mapping[str, FactDef], Outcome]] = {}


def settle(rule: Rule, facts: Facts, registry: Mapping[str, FactDef]) -> Outcome:
    """Like :func:`evaluate`, but an unknown rule that every answer to its missing facts decides the
    same way is decided that way."""
    outcome = evaluate(rule, facts, registry)
    if outcome.value is not None:
        return outcome
    read = reads(rule)
    key = (id(rule), id(registry), frozenset((k, facts[k]) for k in read if k in facts))
    hit = _SETTLED.get(key)
    if hit is not None and hit[0] is rule and hit[1] is registry:
        return hit[2]
    settled = _settle(rule, facts, registry, outcome)
    if len(_SETTLED) >= 50_000:
        _SETTLED.clear()
    _SETTLED[key] = (rule, registry, settled)
    return settled


_READS: dict[int, tuple[Rule, frozenset[str]]] = {}


def reads(rule: Rule) -> frozenset[str]:
    """``rule.facts()``, worked out once per rule (settling asks at every evaluation)."""
    hit = _READS.get(id(rule))
    if hit is None or hit[0] is not rule:
        if len(_READS) >= 50_000:
            _READS.clear()
        hit = _READS[id(rule)] = (rule, rule.facts())
    return hit[1]


def _settle(rule: Rule, facts: Facts, registry: Mapping[str, FactDef], outcome: Outcome) -> Outcome:
    missing = list(outcome.missing)
    choices = [distinct_answers(rule, registry[f]) for f in missing]
    size = 1
    for c in choices:
        size *= len(c)
    if size > SETTLE_LIMIT:
        return outcome
    values = {
        evaluate(rule, {**facts, **dict(zip(missing, answers, strict=True))}, registry).value
        for answers in itertools.product(*choices)
    }
    if len(values) == 1 and None not in values:
        return Outcome(values.pop())
    return outcome


def distinct_answers(rules: Rule | Iterable[Rule], fact: FactDef) -> list[FactValue]:
    """One candidate answer (:meth:`FactKind.candidates`) per way of meeting ``rules``' tests of ``fact``:
    two answers every test of the fact treats alike behave alike, so searching one of them is enough."""
    tests = _tests(rules, fact.id)
    seen: dict[tuple[bool, ...], FactValue] = {}
    for value in fact.kind.candidates(fact, [v for _, o in tests for v in (o if isinstance(o, tuple) else (o,))]):
        seen.setdefault(tuple(fact.kind.compare(fact, op, value, operand) for op, operand in tests), value)
    return list(seen.values())


def _tests(rules: Rule | Iterable[Rule], fact: str) -> list[tuple[str, Scalar | tuple[Scalar, ...]]]:
    found: list[tuple[str, Scalar | tuple[Scalar, ...]]] = []
    stack = [rules] if isinstance(rules, Rule) else list(rules)
    while stack:
        node = stack.pop()
        stack += list(node.all_ or ()) + list(node.any_ or ()) + ([node.not_] if node.not_ else [])
        if node.fact == fact:
            found += node.comparisons().items()
    return found


def operands(rules: Rule | Iterable[Rule], fact: str) -> list[FactValue]:
    """Every value ``rules`` compare ``fact`` with, in the order found."""
    found: list[FactValue] = []
    stack = [rules] if isinstance(rules, Rule) else list(rules)
    while stack:
        node = stack.pop()
        stack += list(node.all_ or ()) + list(node.any_ or ()) + ([node.not_] if node.not_ else [])
        if node.fact == fact:
            for operand in node.comparisons().values():
                found += operand if isinstance(operand, tuple) else (operand,)
    return found
