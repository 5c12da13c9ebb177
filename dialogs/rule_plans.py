"""Rules compiled once per content version: what each reads, and its settled outcome per answer.

:mod:`dialogs.rules` reads a rule as it is written, node by node, rebuilding each comparison as it
goes: right for one evaluation, slow for the thousands an applicant's questions take. A
:class:`RulePlan` is the same rule compiled against the content's facts: its fact tests bound to
their fact's kind and operand once, the answers that can settle it (:func:`dialogs.rules.distinct_answers`)
worked out once, and its outcome remembered per answer to the few facts it reads — a rule reads one to
three facts, so a round of applicants gives each rule only a handful of distinct answers to evaluate.

The outcome is exactly :func:`dialogs.rules.settle`'s (tests/test_engine_plans.py compares them on
random answers over every rule of the content).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from itertools import repeat

from dialogs.facts import Facts, FactValue
from dialogs.memo import Memo
from dialogs.rules import SETTLE_LIMIT, Outcome, distinct_answers
from dialogs.schema_facts import FactDef
from dialogs.schema_rules import Rule

#: Stands for "not answered" in a memo key (no fact value is ever None, but a key must say so for sure).
MISSING = object()

TRUE, FALSE, UNKNOWN = Outcome(True), Outcome(False), Outcome(None)

Evaluator = Callable[[Facts], Outcome]

#: Outcomes kept per rule: the distinct answers to its one to three facts a round of applicants gives.
OUTCOMES_KEPT = 512


class RulePlan:
    """One rule compiled against one content's facts."""

    __slots__ = ("_evaluate", "_outcomes", "choices", "reads", "rule")

    def __init__(self, rule: Rule, registry: Mapping[str, FactDef]):
        self.rule = rule
        #: The facts the rule reads, in a fixed order (the memo key follows it).
        self.reads: tuple[str, ...] = tuple(sorted(rule.facts()))
        #: Per fact it reads, one answer per way of meeting its tests (what settling tries).
        self.choices: dict[str, list[FactValue]] = {f: distinct_answers(rule, registry[f]) for f in self.reads}
        self._evaluate = _compile(rule, registry)
        self._outcomes: Memo[tuple[object, ...], Outcome] = Memo(OUTCOMES_KEPT)

    def outcome(self, facts: Facts) -> Outcome:
        """:func:`dialogs.rules.settle` of the rule over ``facts``."""
        key = tuple(map(facts.get, self.reads, repeat(MISSING)))
        hit = self._outcomes.get(key)
        if hit is None:
            hit = self._outcomes.put(key, self._settle(facts))
        return hit

    def outcome_with(self, facts: Facts, fact_id: str, value: FactValue) -> Outcome:
        """The outcome were ``fact_id`` answered ``value`` (the rest of ``facts`` as they are)."""
        key = tuple(value if f == fact_id else facts.get(f, MISSING) for f in self.reads)
        hit = self._outcomes.get(key)
        if hit is None:
            hit = self._outcomes.put(key, self._settle({**facts, fact_id: value}))
        return hit

    def _settle(self, facts: Facts) -> Outcome:
        outcome = self._evaluate(facts)
        if outcome.value is not None:
            return outcome
        missing = outcome.missing
        choices = [self.choices[f] for f in missing]
        size = 1
        for c in choices:
            size *= len(c)
        if size > SETTLE_LIMIT:
            return outcome
        trial = dict(facts)
        values = set()
        for answers in itertools.product(*choices):
            trial.update(zip(missing, answers, strict=True))
            values.add(self._evaluate(trial).value)
        if len(values) == 1 and None not in values:
            return TRUE if values.pop() else FALSE
        return outcome


def _merge(outcomes: list[Outcome]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for outcome in outcomes:
        if outcome.value is None:
            seen.update(dict.fromkeys(outcome.missing))
    return tuple(seen)


def _compile(rule: Rule, registry: Mapping[str, FactDef]) -> Evaluator:
    """:func:`dialogs.rules.evaluate` of ``rule`` as one closure per node, comparisons bound once."""
    if rule.all_ is not None:
        parts = tuple(_compile(r, registry) for r in rule.all_)

        def all_(facts: Facts) -> Outcome:
            outcomes = [part(facts) for part in parts]
            values = [o.value for o in outcomes]
            if False in values:
                return FALSE
            if None in values:
                return Outcome(None, _merge(outcomes))
            return TRUE

        return all_
    if rule.any_ is not None:
        parts = tuple(_compile(r, registry) for r in rule.any_)

        def any_(facts: Facts) -> Outcome:
            outcomes = [part(facts) for part in parts]
            values = [o.value for o in outcomes]
            if True in values:
                return TRUE
            if None in values:
                return Outcome(None, _merge(outcomes))
            return FALSE

        return any_
    if rule.not_ is not None:
        inner = _compile(rule.not_, registry)

        def not_(facts: Facts) -> Outcome:
            outcome = inner(facts)
            return outcome if outcome.value is None else (FALSE if outcome.value else TRUE)

        return not_
    fact_id = rule.fact
    assert fact_id is not None  # the schema guarantees a fact test here
    ((op, operand),) = rule.comparisons().items()
    fact = registry[fact_id]
    compare = fact.kind.compare
    unknown = Outcome(None, (fact_id,))

    def test(facts: Facts) -> Outcome:
        value = facts.get(fact_id, MISSING)
        if value is MISSING:
            return unknown
        return TRUE if compare(fact, op, value, operand) else FALSE  # type: ignore[arg-type]

    return test
