"""The compiled engine decides exactly as the engine it replaced (issue 17).

Rules are compiled once per content version (:mod:`dialogs.rule_plans`), a track's requirements and
verdicts are kept by its plan (:mod:`dialogs.eligibility`), and the question picker works out only what
an answer can move (:mod:`dialogs.matcher`). Speed must change no verdict and no question: the
implementations they replaced are kept below as the reference — rules read node by node, requirements
filtered and every requirement settled at each assessment, the picker assessing every affected track
afresh for every candidate answer — and both are run on many random sets of answers over every
program and track, remembered results on and forgotten.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Mapping, Sequence

import pytest

from dialogs.eligibility import Assessment, Reason, Verdict, assess, requirements_of
from dialogs.facts import FactValue
from dialogs.loader import Content, load_content
from dialogs.matcher import next_question
from dialogs.memo import forget_answers
from dialogs.relevance import SEARCH_LIMIT, list_facts, mattering
from dialogs.rule_plans import RulePlan
from dialogs.rules import distinct_answers, operands, settle
from dialogs.schema_facts import FactDef
from dialogs.schema_program import Program, Track, applies_to
from dialogs.schema_rules import Requirement, Rule

CONTENT = load_content()
Pair = tuple[Program, Track]

# --------------------------------------------------------------------------- the reference (before issue 17)


def reference_assess(
    program: Program, track: Track, facts: Mapping[str, FactValue], registry: Mapping[str, FactDef]
) -> Assessment:
    reasons = []
    for requirement in [r for r in program.requirements if applies_to(r.tracks, track.id)]:
        outcome = settle(requirement.rule, facts, registry)
        met = outcome.value
        if requirement.kind == "exclusion" and met is not None:
            met = not met
        reasons.append(Reason(requirement, met, outcome.missing))
    missing: tuple[str, ...]
    if any(r.met is False for r in reasons):
        verdict, missing = Verdict.INELIGIBLE, ()
    elif any(r.met is None for r in reasons):
        verdict = Verdict.UNDETERMINED
        missing = tuple(dict.fromkeys(f for r in reasons if r.met is None for f in r.missing))
    else:
        verdict, missing = Verdict.ELIGIBLE, ()
    return Assessment(program, track, verdict, tuple(reasons), missing)


def reference_mattering(
    assessment: Assessment,
    facts: Mapping[str, FactValue],
    registry: Mapping[str, FactDef],
    unknowable: Iterable[str] = (),
) -> tuple[str, ...]:
    if assessment.verdict is not Verdict.UNDETERMINED:
        return ()
    skip = frozenset(unknowable)
    open_requirements: list[tuple[Requirement, frozenset[str]]] = []
    for requirement in requirements_of(assessment.program, assessment.track):
        outcome = settle(requirement.rule, facts, registry)
        if outcome.value is None:
            open_requirements.append((requirement, frozenset(outcome.missing) - skip))
    groups: list[tuple[list[Requirement], set[str]]] = []
    for requirement, variables in open_requirements:
        linked = [g for g in groups if g[1] & variables]
        merged: tuple[list[Requirement], set[str]] = ([requirement], set(variables))
        for g in linked:
            merged[0].extend(g[0])
            merged[1].update(g[1])
            groups.remove(g)
        groups.append(merged)
    reach: list[set[bool | None]] = []
    pivots: list[dict[str, tuple[bool, bool]]] = []
    for requirements, linked_facts in groups:
        can, pivot = _reference_search(requirements, sorted(linked_facts), facts, registry)
        reach.append(can)
        pivots.append(pivot)
    found: set[str] = set()
    for i, pivot in enumerate(pivots):
        others = [r for j, r in enumerate(reach) if j != i]
        others_true = all(True in r for r in others)
        others_not_false = all(True in r or None in r for r in others)
        for fact_id, (changes, to_false) in pivot.items():
            if (changes and others_true) or (to_false and others_not_false):
                found.add(fact_id)
    return tuple(f for f in assessment.missing if f in found)


def _reference_value(
    requirement: Requirement, facts: Mapping[str, FactValue], registry: Mapping[str, FactDef]
) -> bool | None:
    met = settle(requirement.rule, facts, registry).value
    return met if met is None or requirement.kind == "requirement" else not met


def _all3(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = True
    for v in values:
        if v is False:
            return False
        if v is None:
            result = None
    return result


def _reference_search(
    requirements: list[Requirement],
    variables: list[str],
    facts: Mapping[str, FactValue],
    registry: Mapping[str, FactDef],
) -> tuple[set[bool | None], dict[str, tuple[bool, bool]]]:
    rules = [r.rule for r in requirements]
    choices = [distinct_answers(rules, registry[v]) for v in variables]
    size = 1
    for c in choices:
        size *= len(c)
    if size > SEARCH_LIMIT:
        return {True, False, None}, dict.fromkeys(variables, (True, True))
    table: dict[tuple[FactValue, ...], bool | None] = {}
    for answers in itertools.product(*choices):
        trial = {**facts, **dict(zip(variables, answers, strict=True))}
        table[answers] = _all3(_reference_value(r, trial, registry) for r in requirements)
    pivot: dict[str, tuple[bool, bool]] = {}
    for i, fact_id in enumerate(variables):
        changes = to_false = False
        rows: dict[tuple[FactValue, ...], set[bool | None]] = {}
        for answers, value in table.items():
            rows.setdefault(answers[:i] + answers[i + 1 :], set()).add(value)
        for values in rows.values():
            if len(values) > 1:
                changes = True
                to_false = to_false or False in values
        pivot[fact_id] = (changes, to_false)
    return set(table.values()), pivot


def reference_next_question(
    pairs: Sequence[Pair], facts: Mapping[str, FactValue], content: Content, skipped: Iterable[str] = ()
) -> str | None:
    """The picker as it was: every candidate fact, every answer, every affected track assessed afresh."""
    undecided = [
        a for a in (reference_assess(p, t, facts, content.facts) for p, t in pairs) if a.verdict is Verdict.UNDETERMINED
    ]
    if not undecided:
        return None
    order = {fact_id: i for i, fact_id in enumerate(content.facts)}
    never = set(skipped) | list_facts(content.facts)
    mattering_all = dict.fromkeys(f for a in undecided for f in reference_mattering(a, facts, content.facts, never))
    candidates = sorted(set(mattering_all) - never, key=lambda f: order.get(f, len(order)))
    rules = [r.rule for a in undecided for r in (x.requirement for x in a.reasons)]
    best: tuple[tuple[int, float, int], str] | None = None
    for fact_id in candidates:
        fact = content.facts[fact_id]
        values = fact.kind.candidates(fact, operands(rules, fact_id))
        affected = [a for a in undecided if fact_id in a.missing]
        decided = []
        for value in values:
            trial = {**facts, fact_id: value}
            decided.append(
                sum(
                    1
                    for a in affected
                    if reference_assess(a.program, a.track, trial, content.facts).verdict is not Verdict.UNDETERMINED
                )
            )
        score = (min(decided), sum(decided) / len(decided), -order.get(fact_id, 0))
        if best is None or score > best[0]:
            best = (score, fact_id)
    return best[1] if best else None


# --------------------------------------------------------------------------- random answers


def _values(content: Content) -> dict[str, list[FactValue]]:
    """Per fact, every answer any rule tells apart from another (and a few the rules never name)."""
    rules = [r.rule for p in content.programs for r in p.requirements]
    found: dict[str, list[FactValue]] = {}
    for fact_id, fact in content.facts.items():
        values = list(fact.kind.candidates(fact, operands(rules, fact_id)))
        values += [v for _, v in fact.kind.buttons(fact) if v not in values]
        found[fact_id] = values
    return found


VALUES = _values(CONTENT)


def random_answers(rng: random.Random, most: float = 1.0) -> tuple[dict[str, FactValue], list[str]]:
    """Some facts answered (up to ``most`` of them), a few skipped, the rest open: from a first question
    to nearly done."""
    keep = rng.random() * most
    facts: dict[str, FactValue] = {}
    skipped: list[str] = []
    for fact_id, values in VALUES.items():
        roll = rng.random()
        if roll < keep:
            facts[fact_id] = rng.choice(values)
        elif roll < keep + 0.1:
            skipped.append(fact_id)
    return facts, skipped


def _rules(rule: Rule) -> list[Rule]:
    """The rule and every rule inside it."""
    inside = list(rule.all_ or ()) + list(rule.any_ or ()) + ([rule.not_] if rule.not_ else [])
    return [rule, *(r for child in inside for r in _rules(child))]


# --------------------------------------------------------------------------- the tests


def test_compiled_rules_settle_every_rule_as_read_node_by_node() -> None:
    rng = random.Random(17)
    every = [r for p in CONTENT.programs for req in p.requirements for r in _rules(req.rule)]
    for _ in range(150):
        facts, _skipped = random_answers(rng)
        for rule in every:
            plan = RulePlan(rule, CONTENT.facts)
            assert plan.outcome(facts) == settle(rule, facts, CONTENT.facts), rule
            fact_id = rng.choice(plan.reads)
            value = rng.choice(VALUES[fact_id])
            assert plan.outcome_with(facts, fact_id, value) == settle(rule, {**facts, fact_id: value}, CONTENT.facts)


def test_a_tracks_plan_gives_the_verdict_and_reasons_requirement_by_requirement() -> None:
    rng = random.Random(18)
    for round_ in range(300):
        if round_ % 50 == 0:
            forget_answers()
        facts, _skipped = random_answers(rng)
        for program, track in CONTENT.tracks():
            assert assess(program, track, facts, CONTENT.facts) == reference_assess(
                program, track, facts, CONTENT.facts
            )


def test_only_facts_that_can_change_a_verdict_matter_as_before() -> None:
    rng = random.Random(19)
    lists = list_facts(CONTENT.facts)
    for _ in range(300):
        facts, skipped = random_answers(rng)
        for program, track in CONTENT.tracks():
            assessment = assess(program, track, facts, CONTENT.facts)
            for unknowable in ((), lists, lists | set(skipped)):
                assert mattering(assessment, facts, CONTENT.facts, unknowable) == reference_mattering(
                    assessment, facts, CONTENT.facts, unknowable
                )


@pytest.mark.parametrize("scope", ["every track (which program fits me)", "one track at a time (am I eligible)"])
def test_the_picker_asks_the_question_the_old_picker_asked(scope: str) -> None:
    rng = random.Random(20 if scope.startswith("every") else 21)
    every = CONTENT.tracks()
    compared = asked = 0
    for round_ in range(400 if scope.startswith("every") else 150):
        if round_ % 100 == 0:
            forget_answers()
        # one track is ruled out by a few random answers: fewer of them leave it something to ask
        facts, skipped = random_answers(rng, 1.0 if scope.startswith("every") else 0.4)
        for pairs in [every] if scope.startswith("every") else [[pair] for pair in every]:
            expected = reference_next_question(pairs, facts, CONTENT, skipped)
            assert next_question(pairs, facts, CONTENT, skipped) == expected, (pairs, facts, skipped)
            assert next_question(pairs, facts, CONTENT, skipped) == expected  # and again, remembered
            compared += 1
            asked += expected is not None
    assert asked >= compared // 4  # most sets leave something to ask: the comparison is not between two Nones


def test_the_picker_follows_a_dialog_to_its_end_as_before() -> None:
    """Whole dialogs: each answer drawn for the question the old picker picked, until it asks nothing."""
    rng = random.Random(22)
    for _ in range(60):
        facts: dict[str, FactValue] = {}
        skipped: list[str] = []
        pairs = CONTENT.tracks() if rng.random() < 0.5 else [rng.choice(CONTENT.tracks())]
        while True:
            expected = reference_next_question(pairs, facts, CONTENT, skipped)
            assert next_question(pairs, facts, CONTENT, skipped) == expected
            if expected is None:
                break
            if rng.random() < 0.15:
                skipped.append(expected)
            else:
                facts[expected] = rng.choice(VALUES[expected])
